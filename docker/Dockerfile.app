# The application: built with Maven on Temurin 25, run as a plain jar.
FROM maven:3-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -Dmaven.test.skip=true package

FROM eclipse-temurin:25-jre
COPY --from=build /src/app/target/callcenter-app.jar /app/callcenter-app.jar
USER 1000
ENTRYPOINT ["java", "-jar", "/app/callcenter-app.jar"]
