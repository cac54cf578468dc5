# The application: built with Maven on Temurin 25, run as a plain jar.
FROM maven:3-eclipse-temurin-25 AS build
# The softphone page is bundled with esbuild from the npm registry during the Maven build.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:25-jre
COPY --from=build /src/app/target/callcenter-app.jar /app/callcenter-app.jar
USER 1000
ENTRYPOINT ["java", "-jar", "/app/callcenter-app.jar"]
