# One image recipe for both services: --build-arg SERVICE=generator-service | metrics-service.
# Build stage: compiles with the Maven wrapper, so the image needs nothing from this machine.
FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY service-conventions/pom.xml service-conventions/
COPY generator-service/pom.xml generator-service/
COPY metrics-service/pom.xml metrics-service/
COPY bench/pom.xml bench/
COPY bench/floor/pom.xml bench/floor/
COPY service-conventions/src service-conventions/src
COPY generator-service/src generator-service/src
COPY metrics-service/src metrics-service/src
# only the service (and what it depends on); the bench modules' poms are there for the reactor to load
RUN ./mvnw -B -q -DskipTests -pl ${SERVICE} -am package

FROM eclipse-temurin:17-jre
ARG SERVICE
# curl for the compose health checks; a fixed non-root user to run the JVM
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home app
WORKDIR /app
COPY --from=build /src/${SERVICE}/target/${SERVICE}-*-exec.jar /tmp/app.jar
COPY config /app/config
# Class Data Sharing, as ./run.sh does: the jar extracted (CDS maps classes from plain jars only) and
# an archive of the classes startup loads, written by a training run of this image's own JVM that
# stops as soon as the Spring context has refreshed (it binds no port and polls nothing). About
# half the CPU of a start, so restarts and rollouts serve sooner.
RUN java -Djarmode=tools -jar /tmp/app.jar extract --destination /app/run \
    && rm /tmp/app.jar \
    && java -XX:ArchiveClassesAtExit=/app/run/app.jsa -Dspring.context.exit=onRefresh -jar /app/run/app.jar > /dev/null
USER 10001
# Heap from the container's memory limit, not a fixed -Xmx: half of it, leaving the other half for
# the direct buffers that hold the encoded bodies, metaspace, code cache and threads.
# -XX:+ExitOnOutOfMemoryError: an exhausted heap ends the process (exit code 3) for the supervisor to
# restart (compose: restart: unless-stopped); other Errors end only the poll they happen in (README, Health).
# Exec form: the JVM is PID 1 and receives SIGTERM directly, so shutdown is graceful.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", \
            "-XX:SharedArchiveFile=/app/run/app.jsa", "-jar", "/app/run/app.jar"]
