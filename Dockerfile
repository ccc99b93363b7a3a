# One image recipe for both services: --build-arg SERVICE=generator-service | metrics-service.
# Build stage: compiles with the Maven wrapper, so the image needs nothing from this machine.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY generator-service/pom.xml generator-service/
COPY metrics-service/pom.xml metrics-service/
COPY generator-service/src generator-service/src
COPY metrics-service/src metrics-service/src
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
ARG SERVICE
# curl for the compose health checks; a fixed non-root user to run the JVM
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home app
WORKDIR /app
COPY --from=build /src/${SERVICE}/target/${SERVICE}-*-exec.jar /app/app.jar
COPY config /app/config
USER 10001
# exec form: the JVM is PID 1 and receives SIGTERM directly, so shutdown is graceful
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
