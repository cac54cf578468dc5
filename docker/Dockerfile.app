# The application: built with Maven on Temurin 25, run as a plain jar by an unprivileged user. Where no image
# registry is reachable, scripts/containers.sh passes locally built images as BUILD_IMAGE and RUNTIME_IMAGE.
ARG BUILD_IMAGE=maven:3-eclipse-temurin-25
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre
FROM ${BUILD_IMAGE} AS build
# The softphone page is bundled with esbuild from the npm registry during the Maven build.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the Maven build reads: a change to scripts, docs or the other images keeps this stage cached.
COPY pom.xml ./
COPY tools/ tools/
COPY migrations/ migrations/
COPY app/ app/
# The Maven repository is a build cache, not a layer: a second build downloads nothing and the image holds none of it.
# Behind a TLS-intercepting proxy the build trusts the host's certificates, given as build secrets (never a layer):
# build_truststore (a Java truststore, for Maven) and build_ca_bundle (PEM, for npm); scripts/containers.sh
# passes them when the host has certificates of its own in /usr/local/share/ca-certificates.
RUN --mount=type=cache,target=/root/.m2 \
    --mount=type=secret,id=build_truststore --mount=type=secret,id=build_ca_bundle \
    if [ -s /run/secrets/build_truststore ]; then export MAVEN_OPTS="-Djavax.net.ssl.trustStore=/run/secrets/build_truststore"; fi; \
    if [ -s /run/secrets/build_ca_bundle ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/build_ca_bundle; fi; \
    mvn -B -ntp -DskipTests package

FROM ${RUNTIME_IMAGE}
# curl for the health check. uid 10001: the eclipse-temurin images already have a user 1000 (ubuntu), and the
# Asterisk image gives this uid the recordings directory.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 callcenter \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin callcenter
COPY --from=build /src/app/target/callcenter-app.jar /app/callcenter-app.jar
USER 10001
WORKDIR /app
# No secrets here: the database, ARI, token key and trunk settings come from the environment (see README,
# "Production"). Logs go to stdout.
ENV SPRING_PROFILES_ACTIVE=prod
# A fixed 1 GiB G1 heap with a 10 ms pause goal: with the default sizing G1 kept the app at 200-256 MiB around a
# 60 MiB live set, ran a concurrent cycle every few seconds, and its Remark pauses (30-130 ms) were the tail of the
# webhook acknowledgements (BENCHMARKS.md, "Webhook intake, fourth pass"). Replace the whole variable to change it.
ENV JDK_JAVA_OPTIONS="-XX:+UseG1GC -Xms1g -Xmx1g -XX:MaxGCPauseMillis=10"
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD curl -sf "http://127.0.0.1:${CALLCENTER_HTTP_PORT:-8080}/actuator/health/liveness" >/dev/null \
   || curl -skf "https://127.0.0.1:${CALLCENTER_HTTP_PORT:-8080}/actuator/health/liveness" >/dev/null || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/callcenter-app.jar"]
