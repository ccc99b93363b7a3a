#!/usr/bin/env bash
# CPU per request, user and system apart, for the service, the framework floor and bare Reactor
# Netty answering the same bytes (not part of CI). Starts a generator (CPU_SWITCHES, default 1000)
# and the metrics-service jar given (default: the one built), captures its GetMetric and ListMetrics
# answers, starts the floor and the baseline with them, then for each endpoint and server: warm-up,
# then a measured `wrk -t2 -c64` run, reading the server's utime and stime from /proc/<pid>/stat
# before and after, and its young collections from jstat.
#
# Page faults: minor faults of the server during the measured run.
#
#   bench/cpu-split.sh [metrics-service-exec.jar]
#   CPU_ENDPOINTS=ListMetrics CPU_ARGS="--logging.level.access=OFF" bench/cpu-split.sh
#   CPU_PORTS=18470 (ports CPU_PORTS..+3), CPU_WARMUP=20, CPU_DURATION=15 (seconds), CPU_SERVICE_OPTS=-Xmx1g
#
# Needs: a JDK 17+ (jstat), curl, wrk; jars built (./mvnw -B -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/.."
API_JAR="${1:-$(ls metrics-service/target/metrics-service-*-exec.jar | head -n 1)}"
GEN_JAR="$(ls generator-service/target/generator-service-*-exec.jar | head -n 1)"
FLOOR_JAR="$(ls bench/floor/target/bench-floor-*-exec.jar | head -n 1)"
PORTS="${CPU_PORTS:-18470}"
API_PORT=$PORTS; GEN_PORT=$((PORTS + 1)); BASE_PORT=$((PORTS + 2)); FLOOR_PORT=$((PORTS + 3))
WARMUP="${CPU_WARMUP:-20}"; DURATION="${CPU_DURATION:-15}"
OUT="$(mktemp -d)"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_for() { for _ in $(seq 1 300); do curl -sf "$1" -o "${2:-/dev/null}" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

GENERATOR_SWITCHES="${CPU_SWITCHES:-1000}" GENERATOR_PORT=$GEN_PORT GENERATOR_CONFIG_FILE=/nonexistent \
  java -Xmx1g -jar "$GEN_JAR" > "$OUT/generator.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$GEN_PORT/counters"
# shellcheck disable=SC2086
GENERATOR_URL="http://127.0.0.1:$GEN_PORT" METRICS_CONFIG_FILE=/nonexistent \
  java ${CPU_SERVICE_OPTS:--Xmx1g} -jar "$API_JAR" --server.port=$API_PORT ${CPU_ARGS:-} > "$OUT/service.log" 2>&1 &
API=$!; PIDS+=($API)
wait_for "http://127.0.0.1:$API_PORT/telemetry/ListMetrics" "$OUT/lm.json"
SWITCH=$(grep -o '"switches":{"[^"]*"' "$OUT/lm.json" | cut -d'"' -f4)
QUERY="?switch=$SWITCH&metric=latency_us"
curl -sf "http://127.0.0.1:$API_PORT/telemetry/GetMetric$QUERY" -o "$OUT/gm.json"
java -cp bench/target/benchmarks.jar io.fabrictelemetry.bench.BaselineServer $BASE_PORT "$OUT/gm.json" "$OUT/lm.json" > "$OUT/baseline.log" 2>&1 &
NETTY=$!; PIDS+=($NETTY)
java -Xmx1g -jar "$FLOOR_JAR" --server.port=$FLOOR_PORT --floor.get-metric="$OUT/gm.json" --floor.list-metrics="$OUT/lm.json" > "$OUT/floor.log" 2>&1 &
FLOOR=$!; PIDS+=($FLOOR)
wait_for "http://127.0.0.1:$BASE_PORT/telemetry/GetMetric"
wait_for "http://127.0.0.1:$FLOOR_PORT/telemetry/GetMetric"

measure() { # label pid url
  local pid=$2 url=$3 u0 s0 f0 g0 u1 s1 f1 g1 r n
  wrk -t1 -c4 -d$((WARMUP / 2))s "$url" > /dev/null
  wrk -t2 -c64 -d$((WARMUP / 2))s "$url" > /dev/null
  read -r u0 s0 f0 < <(awk '{print $14, $15, $10}' "/proc/$pid/stat"); g0=$(jstat -gc "$pid" | awk 'NR==2 {print $13}')
  r=$(wrk -t2 -c64 -d"${DURATION}"s --latency "$url")
  read -r u1 s1 f1 < <(awk '{print $14, $15, $10}' "/proc/$pid/stat"); g1=$(jstat -gc "$pid" | awk 'NR==2 {print $13}')
  n=$(echo "$r" | awk '/requests in/ {print $1}')
  # clock ticks are 1/100 s: µs per request = ticks * 10,000 / requests
  printf '%-8s %-12s %10s req/s  p99 %8s  user %6.1f µs  system %6.1f µs per request  page faults %s  young GCs %s\n' "$1" "$4" \
    "$(echo "$r" | awk '/Requests\/sec/ {print $2}')" "$(echo "$r" | awk '$1 == "99%" {print $2}')" \
    "$(awk -v c=$((u1 - u0)) -v n="$n" 'BEGIN {print c * 10000 / n}')" \
    "$(awk -v c=$((s1 - s0)) -v n="$n" 'BEGIN {print c * 10000 / n}')" "$((f1 - f0))" "$((g1 - g0))"
}
echo "load $(cut -d' ' -f1-3 /proc/loadavg); $API_JAR ${CPU_ARGS:-}"
for endpoint in ${CPU_ENDPOINTS:-GetMetric ListMetrics}; do
  q=""; [ "$endpoint" = GetMetric ] && q="$QUERY"
  measure service $API "http://127.0.0.1:$API_PORT/telemetry/$endpoint$q" "$endpoint"
  measure floor $FLOOR "http://127.0.0.1:$FLOOR_PORT/telemetry/$endpoint$q" "$endpoint"
  measure netty $NETTY "http://127.0.0.1:$BASE_PORT/telemetry/$endpoint$q" "$endpoint"
done
