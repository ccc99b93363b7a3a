#!/usr/bin/env bash
# Runs the whole system on this machine: builds the jars when they are missing or older than the
# sources, starts the generator and the metrics-service with their default configuration, waits
# until the API answers, prints example calls, and stops both cleanly on Ctrl-C.
# Needs only a JDK 17+ (the Maven wrapper fetches Maven) and bash 3.2 or newer (the one macOS ships:
# no `wait -n`, no associative arrays, no ${var,,}). Logs go to logs/ (LOGS_DIR elsewhere).
set -euo pipefail
cd "$(dirname "$0")"

GEN_PORT="${GENERATOR_PORT:-9001}"
# GENERATOR_HOST/GENERATOR_PORT are where the generator listens; the metrics-service polls
# GENERATOR_URL, by default the generator started here, on loopback whatever address it binds
# (GENERATOR_HOST=0.0.0.0 binds every interface; it is no address to connect to).
GEN_URL="${GENERATOR_URL:-http://127.0.0.1:$GEN_PORT}"
API_PORT="${METRICS_SERVER_PORT:-8080}"
API_HOST="${METRICS_SERVER_HOST:-127.0.0.1}"
# Bounded heaps: without them each JVM may take a quarter of the machine's memory. 256 MB holds
# 100,000 switches under a flood (docs/BENCHMARKS.md); the default fabric needs far less, and a
# heap that starts at 64 MB grows only as far as the load asks (the whole 256 MB otherwise: the
# initial heap would be 1/64 of the machine's memory, capped at the maximum).
JAVA_OPTS="${JAVA_OPTS:--Xms64m -Xmx256m}"
# An OutOfMemoryError of the heap ends the JVM instead of leaving a service that looks alive and no
# longer ingests (a direct-memory one is thrown to the code that allocated: a poll ends as
# internal_error and the next one runs; docs/RELIABILITY.md). Always given, before JAVA_OPTS, so JAVA_OPTS can still turn it off
# (-XX:-ExitOnOutOfMemoryError: the last setting of a flag wins).
JAVA_OPTS="-XX:+ExitOnOutOfMemoryError $JAVA_OPTS"
# Where the services' logs go (relative paths from the repository root).
LOGS_DIR="${LOGS_DIR:-logs}"
# RUN_BUILD=false never builds: the jars are used as they are (RunScriptIT sets it, so a test never
# rewrites the jars of a ./run.sh the user is running from the same checkout).
RUN_BUILD="${RUN_BUILD:-true}"
# Class Data Sharing (JAVA_CDS=false turns it off): each service runs from its jar extracted into
# <module>/target/cds/ with an archive of the classes its startup loads, parsed and verified once by
# a training run that stops as soon as the Spring context has refreshed. It halves the CPU a start
# costs. Built on the first run after each build (a few seconds), never committed.
JAVA_CDS="${JAVA_CDS:-true}"

jar_of() { ls "$1"/target/"$1"-*-exec.jar 2>/dev/null | head -n 1; }

needs_build() {
  local module jar
  for module in generator-service metrics-service; do
    jar="$(jar_of "$module")"
    [ -n "$jar" ] || return 0
    # stale when its sources, or those of the module both services use, are newer than its jar
    [ -z "$(find "$module/src/main" "$module/pom.xml" service-conventions/src/main service-conventions/pom.xml \
      pom.xml -newer "$jar" -print -quit)" ] || return 0
  done
  return 1
}

mkdir -p "$LOGS_DIR"

# Reads Maven's output and prints one line per module, the build's result and its errors, and a count
# of downloaded files every 100, so a first build (minutes of downloads) is seen moving.
build_progress() {
  local line downloads=0
  while IFS= read -r line; do
    case "$line" in
      "[INFO] Building "*" ["*"]"|"[INFO] BUILD "*|"[ERROR]"*) echo "  ${line#\[INFO\] }" ;;
      *"Downloaded from "*)
        downloads=$((downloads + 1))
        [ $((downloads % 100)) -ne 0 ] || echo "  ... $downloads files downloaded"
        ;;
    esac
  done
}

# Builds the two services ./run.sh starts (and the module they share); Maven's whole output goes to
# $LOGS_DIR/build.log, the terminal gets build_progress's lines.
build() {
  echo "Building the services (the first run downloads Maven and the dependencies; full output in $LOGS_DIR/build.log) ..."
  if ./mvnw -B -DskipTests -Dstyle.color=never -pl generator-service,metrics-service -am package 2>&1 \
      | tee "$LOGS_DIR/build.log" | build_progress; then
    return 0
  fi
  echo "The build failed; the end of $LOGS_DIR/build.log:" >&2
  tail -n 40 "$LOGS_DIR/build.log" >&2
  exit 1
}

if needs_build; then
  if [ "$RUN_BUILD" = false ]; then
    echo "The jars are missing or older than the sources, and RUN_BUILD=false: run ./mvnw -B -DskipTests package." >&2
    exit 1
  fi
  build
fi
GEN_JAR="$(jar_of generator-service)"
API_JAR="$(jar_of metrics-service)"

# The CDS layout of a module: its jar extracted into <module>/target/cds/ plus app.jsa, the archive a
# training run writes. Paths stay relative to the repository root: an archive only maps for the very
# classpath it was trained with, and only into the JVM that wrote it (hence java.version).
JAVA_VERSION_TEXT="$(java -version 2>&1)"
cds_dir() { echo "$1/target/cds"; }
cds_current() { # module jar
  local dir; dir="$(cds_dir "$1")"
  [ -f "$dir/app.jsa" ] && [ ! "$2" -nt "$dir/app.jsa" ] \
    && [ "$(cat "$dir/java.version" 2>/dev/null)" = "$JAVA_VERSION_TEXT" ]
}
cds_prepare() { # module jar
  local module="$1" jar="$2" dir; dir="$(cds_dir "$1")"
  cds_current "$module" "$jar" && return 0
  rm -rf "$dir"
  # shellcheck disable=SC2086
  if { java -Djarmode=tools -jar "$jar" extract --destination "$dir" \
      && java $JAVA_OPTS -XX:ArchiveClassesAtExit="$dir/app.jsa" -Dspring.context.exit=onRefresh \
           -jar "$dir/$(basename "$jar")"; } > "$LOGS_DIR/cds-$module.log" 2>&1 && [ -f "$dir/app.jsa" ]; then
    echo "$JAVA_VERSION_TEXT" > "$dir/java.version"
  else
    rm -rf "$dir"
    echo "Could not build the CDS archive of $module (see $LOGS_DIR/cds-$module.log); starting it without." >&2
  fi
}
launch_args() { # module jar -> the java arguments that start it
  local dir; dir="$(cds_dir "$1")"
  if [ "$JAVA_CDS" = true ] && cds_current "$1" "$2"; then
    echo "-XX:SharedArchiveFile=$dir/app.jsa -jar $dir/$(basename "$2")"
  else
    echo "-jar $2"
  fi
}

# Answers the HTTP status of a GET on 127.0.0.1:$1$2, using bash alone (no curl needed).
http_status() {
  local status
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || { echo 000; return; }
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$2" >&3
  IFS=' ' read -r _ status _ <&3 || status=000
  exec 3<&- 3>&-
  echo "${status:-000}"
}

for port in "$GEN_PORT" "$API_PORT"; do
  if [ "$(http_status "$port" /)" != 000 ]; then
    echo "Port $port is already in use: stop what listens there, or set GENERATOR_PORT / METRICS_SERVER_PORT." >&2
    exit 1
  fi
done

if [ "$JAVA_CDS" = true ] && ! { cds_current generator-service "$GEN_JAR" && cds_current metrics-service "$API_JAR"; }; then
  echo "Preparing the class-data-sharing archives (once per build, a few seconds) ..."
  cds_prepare generator-service "$GEN_JAR" &
  cds_prepare metrics-service "$API_JAR" &
  wait
fi
GEN_ARGS="$(launch_args generator-service "$GEN_JAR")"
API_ARGS="$(launch_args metrics-service "$API_JAR")"

GEN_PID=""
API_PID=""
# Exit status: 0 when stopped on request (Ctrl-C, SIGTERM); otherwise that of the failure that
# ended the script (a service that did not start, or stopped on its own): never masked by the trap.
stop() {
  local status="$1"
  trap - INT TERM EXIT
  echo
  echo "Stopping ..."
  [ -n "$API_PID" ] && kill -TERM "$API_PID" 2>/dev/null || true
  [ -n "$GEN_PID" ] && kill -TERM "$GEN_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  echo "Stopped both services."
  exit "$status"
}
trap 'stop 0' INT TERM
trap 'stop $?' EXIT

# shellcheck disable=SC2086
java $JAVA_OPTS $GEN_ARGS > "$LOGS_DIR/generator.log" 2>&1 &
GEN_PID=$!
# shellcheck disable=SC2086
GENERATOR_URL="$GEN_URL" java $JAVA_OPTS $API_ARGS > "$LOGS_DIR/metrics-service.log" 2>&1 &
API_PID=$!
echo "generator-service (pid $GEN_PID) on 127.0.0.1:$GEN_PORT, log: $LOGS_DIR/generator.log"
echo "metrics-service   (pid $API_PID) on $API_HOST:$API_PORT, polling $GEN_URL, log: $LOGS_DIR/metrics-service.log"
echo "Waiting for the first snapshot ..."

for _ in $(seq 1 240); do
  for pid in "$GEN_PID" "$API_PID"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "A service exited during startup; the end of its log:" >&2
      tail -n 30 "$LOGS_DIR/generator.log" "$LOGS_DIR/metrics-service.log" >&2
      exit 1
    fi
  done
  [ "$(http_status "$API_PORT" /telemetry/ListMetrics)" = 200 ] && break
  sleep 0.5
done
if [ "$(http_status "$API_PORT" /telemetry/ListMetrics)" != 200 ]; then
  echo "The API did not answer within 120 s; see $LOGS_DIR/." >&2
  exit 1
fi

# a service bound to every interface is still reached on loopback from this machine
DASHBOARD_HOST="$API_HOST"
case "$API_HOST" in 0.0.0.0|::|'[::]') DASHBOARD_HOST=127.0.0.1 ;; esac

# the examples name metrics of the layout the service reads: UFM Telemetry's port rows when the
# source's path is /csv/metrics (the generator's port view), the seed's switch rows otherwise
case "$GEN_URL" in
  */csv/metrics)
    EXAMPLES="  curl -s 'http://127.0.0.1:$API_PORT/telemetry/ListMetrics?switch=sw-0001' | jq .
  curl -s 'http://127.0.0.1:$API_PORT/telemetry/GetMetric?switch=sw-0001&metric=Infiniband_MBOut_u_Gb' | jq .
  curl -si 'http://127.0.0.1:$API_PORT/telemetry/GetMetric?switch=sw-0001&metric=Infiniband_MBOut_u_Gb&port=1'
  curl -s 'http://127.0.0.1:$API_PORT/telemetry/TopPorts?metric=Infiniband_SymbolErrors_u_Errors&limit=5' | jq .
  curl -s 'http://127.0.0.1:$API_PORT/actuator/health' | jq .
  curl -s 'http://127.0.0.1:$GEN_PORT/csv/metrics' | head -3" ;;
  *)
    EXAMPLES="  curl -s 'http://127.0.0.1:$API_PORT/telemetry/ListMetrics' | jq .
  curl -s 'http://127.0.0.1:$API_PORT/telemetry/GetMetric?switch=sw-0001&metric=latency_us' | jq .
  curl -si 'http://127.0.0.1:$API_PORT/telemetry/GetMetric?switch=sw-0001&metric=bandwidth_gbps'
  curl -s 'http://127.0.0.1:$API_PORT/actuator/health' | jq .
  curl -s 'http://127.0.0.1:$GEN_PORT/counters'" ;;
esac

cat <<MSG

Ready. The dashboard: http://$DASHBOARD_HOST:$API_PORT/

Try (with curl, and jq to pretty-print: apt-get install curl jq, or brew install jq):
$EXAMPLES

Press Ctrl-C to stop both services.
MSG
# Until one of them ends. bash 3.2 has no `wait -n`: both pids are looked at every second (a
# `wait` on a background sleep, so Ctrl-C and SIGTERM run the trap at once, not after the sleep).
while kill -0 "$GEN_PID" 2>/dev/null && kill -0 "$API_PID" 2>/dev/null; do
  sleep 1 &
  wait $! || true
done
echo "A service stopped on its own; see $LOGS_DIR/." >&2
exit 1
