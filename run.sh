#!/usr/bin/env bash
# Runs the whole system on this machine: builds the jars when they are missing or older than the
# sources, starts the generator and the metrics-service with their default configuration, waits
# until the API answers, prints example calls, and stops both cleanly on Ctrl-C.
# Needs only a JDK 17+ (the Maven wrapper fetches Maven). Logs go to logs/.
set -euo pipefail
cd "$(dirname "$0")"

GEN_PORT="${GENERATOR_PORT:-9001}"
API_PORT="${METRICS_SERVER_PORT:-8080}"
API_HOST="${METRICS_SERVER_HOST:-127.0.0.1}"
# Bounded heaps: without them each JVM may take a quarter of the machine's memory.
JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"

jar_of() { ls "$1"/target/"$1"-*-exec.jar 2>/dev/null | head -n 1; }

needs_build() {
  local module jar
  for module in generator-service metrics-service; do
    jar="$(jar_of "$module")"
    [ -n "$jar" ] || return 0
    [ -z "$(find "$module/src/main" "$module/pom.xml" pom.xml -newer "$jar" -print -quit)" ] || return 0
  done
  return 1
}

if needs_build; then
  echo "Building the services (first run: Maven and the dependencies are downloaded) ..."
  ./mvnw -B -q -DskipTests package
fi
GEN_JAR="$(jar_of generator-service)"
API_JAR="$(jar_of metrics-service)"

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

mkdir -p logs
GEN_PID=""
API_PID=""
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping ..."
  [ -n "$API_PID" ] && kill -TERM "$API_PID" 2>/dev/null || true
  [ -n "$GEN_PID" ] && kill -TERM "$GEN_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  echo "Stopped both services."
  exit 0
}
trap stop INT TERM EXIT

# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$GEN_JAR" > logs/generator.log 2>&1 &
GEN_PID=$!
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$API_JAR" > logs/metrics-service.log 2>&1 &
API_PID=$!
echo "generator-service (pid $GEN_PID) on 127.0.0.1:$GEN_PORT, log: logs/generator.log"
echo "metrics-service   (pid $API_PID) on $API_HOST:$API_PORT, log: logs/metrics-service.log"
echo "Waiting for the first snapshot ..."

for _ in $(seq 1 240); do
  for pid in "$GEN_PID" "$API_PID"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "A service exited during startup; the end of its log:" >&2
      tail -n 30 logs/generator.log logs/metrics-service.log >&2
      exit 1
    fi
  done
  [ "$(http_status "$API_PORT" /telemetry/ListMetrics)" = 200 ] && break
  sleep 0.5
done
if [ "$(http_status "$API_PORT" /telemetry/ListMetrics)" != 200 ]; then
  echo "The API did not answer within 120 s; see logs/." >&2
  exit 1
fi

cat <<MSG

Ready. Try:
  curl -s 'http://127.0.0.1:$API_PORT/telemetry/ListMetrics' | jq .
  curl -s 'http://127.0.0.1:$API_PORT/telemetry/GetMetric?switch=sw-0001&metric=latency_us' | jq .
  curl -si 'http://127.0.0.1:$API_PORT/telemetry/GetMetric?switch=sw-0001&metric=bandwidth_gbps'
  curl -s 'http://127.0.0.1:$API_PORT/actuator/health' | jq .
  curl -s 'http://127.0.0.1:$GEN_PORT/counters'

Press Ctrl-C to stop both services.
MSG
wait -n "$GEN_PID" "$API_PID" || true
echo "A service stopped on its own; see logs/." >&2
exit 1
