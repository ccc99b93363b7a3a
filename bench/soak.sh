#!/usr/bin/env bash
# Soak test (not part of CI): runs both services on loopback, floods GetMetric and ListMetrics with
# wrk, keeps SOAK_STREAM_CLIENTS (default 200) /telemetry/stream clients connected (a tenth of them
# reading slowly or not at all), and meanwhile cycles the generator through normal running, fault
# injection, and being killed and restarted. Reports requests served, non-2xx answers (must be 0 once the first snapshot exists),
# polls by outcome, the longest data age seen, and heap-after-GC and RSS of the metrics-service
# sampled every minute.
#
#   bench/soak.sh [duration-seconds]        default 600 (10 minutes); SOAK_PHASE=60 seconds per phase
#
# Needs: a JDK 17+ (jcmd), curl, and wrk (Debian: apt-get install wrk). Exits non-zero when a
# non-2xx answer was seen after the first snapshot, or a service died.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${1:-${SOAK_DURATION:-600}}"
PHASE="${SOAK_PHASE:-60}"
GEN_PORT="${SOAK_GENERATOR_PORT:-19001}"
API_PORT="${SOAK_API_PORT:-18080}"
OUT="bench/results/soak-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
for tool in curl wrk jcmd; do
  command -v "$tool" >/dev/null || { echo "soak needs $tool" >&2; exit 2; }
done

ls generator-service/target/generator-service-*-exec.jar metrics-service/target/metrics-service-*-exec.jar \
  bench/target/benchmarks.jar >/dev/null 2>&1 || ./mvnw -B -q -DskipTests package
STREAM_CLIENTS="${SOAK_STREAM_CLIENTS:-200}"
STREAM_SLOW=$(( STREAM_CLIENTS / 20 ))      # a tenth reading slowly or not at all: half of each
STREAM_STALLED=$(( STREAM_CLIENTS / 20 ))
GEN_JAR="$(ls generator-service/target/generator-service-*-exec.jar | head -n 1)"
API_JAR="$(ls metrics-service/target/metrics-service-*-exec.jar | head -n 1)"

GEN_PID=""
API_PID=""
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}" $GEN_PID $API_PID; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

start_generator() { # extra environment as arguments: NAME=value ...
  env GENERATOR_PORT="$GEN_PORT" GENERATOR_PERIOD=2s GENERATOR_SWITCHES=1000 GENERATOR_CONFIG_FILE=/nonexistent \
    "$@" java -Xmx256m -jar "$GEN_JAR" >> "$OUT/generator.log" 2>&1 &
  GEN_PID=$!
}
stop_generator() {
  [ -n "$GEN_PID" ] && kill "$GEN_PID" 2>/dev/null && wait "$GEN_PID" 2>/dev/null || true
  GEN_PID=""
}

start_generator
GENERATOR_PORT="$GEN_PORT" METRICS_SERVER_PORT="$API_PORT" POLL_INTERVAL=1s POLL_TIMEOUT=800ms \
  METRICS_CONFIG_FILE=/nonexistent LOGGING_LEVEL_ACCESS=WARN \
  java -Xmx256m -jar "$API_JAR" > "$OUT/metrics-service.log" 2>&1 &
API_PID=$!

API="http://127.0.0.1:$API_PORT"
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$API/telemetry/ListMetrics")" = 200 ] && break
  sleep 1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$API/telemetry/ListMetrics")" = 200 ] \
  || { echo "no first snapshot within 120 s" >&2; exit 1; }
echo "first snapshot served; soaking for ${DURATION}s (phases of ${PHASE}s), results in $OUT"

wrk -t1 -c32 -d"${DURATION}s" --latency "$API/telemetry/GetMetric?switch=sw-0042&metric=latency_us" \
  > "$OUT/wrk-getmetric.txt" 2>&1 &
PIDS+=($!)
WRK1=$!
wrk -t1 -c8 -d"${DURATION}s" --latency "$API/telemetry/ListMetrics" > "$OUT/wrk-listmetrics.txt" 2>&1 &
PIDS+=($!)
WRK2=$!
java -Xmx256m -cp bench/target/benchmarks.jar io.fabrictelemetry.bench.StreamSoak 127.0.0.1 "$API_PORT" \
  "$STREAM_CLIENTS" "$STREAM_SLOW" "$STREAM_STALLED" "$DURATION" > "$OUT/streams.txt" 2>&1 &
PIDS+=($!)
STREAMS=$!

# data age, every second
( while kill -0 "$API_PID" 2>/dev/null; do
    curl -s -D - -o /dev/null "$API/telemetry/GetMetric?switch=sw-0001&metric=link_state" \
      | tr -d '\r' | awk -F': ' 'tolower($1)=="x-data-age-ms"{print $2}'
    sleep 1
  done > "$OUT/data-age-ms.txt" ) &
PIDS+=($!)

# heap after a full GC, and RSS, every minute
( echo "elapsed_s heap_used_after_gc_kb rss_kb" > "$OUT/memory.txt"
  start=$(date +%s)
  while kill -0 "$API_PID" 2>/dev/null; do
    jcmd "$API_PID" GC.run >/dev/null 2>&1 || true
    heap=$(jcmd "$API_PID" GC.heap_info 2>/dev/null | awk '/garbage-first heap/ {for (i=1;i<=NF;i++) if ($i=="used") {print $(i+1); exit}}' | tr -d 'K')
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$API_PID/status" 2>/dev/null)
    echo "$(( $(date +%s) - start )) ${heap:-?} ${rss:-?}" >> "$OUT/memory.txt"
    sleep 60
  done ) &
PIDS+=($!)

# the generator's life: normal, faulty, killed, restarted ... until the flood ends
# (no pipe around this loop: it must run in this shell, so that cleanup knows the last GEN_PID)
say() { echo "$*" | tee -a "$OUT/phases.txt"; }
phase=0
end=$(( $(date +%s) + DURATION ))
while [ "$(date +%s)" -lt "$end" ]; do
  case $(( phase % 4 )) in
    0) say "$(date -u +%T) phase: generator normal" ;;
    1) say "$(date -u +%T) phase: fault injection on (errors, delays, truncation, corrupt rows)"
       stop_generator
       start_generator GENERATOR_FAULTS_ERROR_RATE=0.2 GENERATOR_FAULTS_DELAY=1500ms GENERATOR_FAULTS_DELAY_RATE=0.2 \
         GENERATOR_FAULTS_TRUNCATE_RATE=0.1 GENERATOR_FAULTS_CORRUPT_RATE=0.2 ;;
    2) say "$(date -u +%T) phase: generator killed (SIGKILL)"
       kill -9 "$GEN_PID" 2>/dev/null || true; wait "$GEN_PID" 2>/dev/null || true; GEN_PID="" ;;
    3) say "$(date -u +%T) phase: generator restarted, faults off"
       start_generator ;;
  esac
  phase=$((phase + 1))
  remaining=$(( end - $(date +%s) ))
  sleep $(( remaining < PHASE ? (remaining > 0 ? remaining : 0) : PHASE ))
done

wait "$WRK1" "$WRK2" || true
streams_ok=1
wait "$STREAMS" || streams_ok=0
kill -0 "$API_PID" 2>/dev/null || { echo "metrics-service died" >&2; exit 1; }
curl -s "$API/actuator/prometheus" > "$OUT/metrics-service.prom"

requests() { awk '/requests in/ {print $1}' "$1"; }
non2xx() { awk '/Non-2xx/ {print $5}' "$1"; }
{
  echo "## Soak: ${DURATION}s, phases of ${PHASE}s ($(date -u +%FT%TZ))"
  echo
  echo "| flood | requests | req/s | p50 | p99 | non-2xx | socket errors |"
  echo "|---|---|---|---|---|---|---|"
  for name in getmetric listmetrics; do
    f="$OUT/wrk-$name.txt"
    echo "| $name | $(requests "$f") | $(awk '/Requests\/sec/ {print $2}' "$f") | $(awk '$1=="50%" {print $2}' "$f") | $(awk '$1=="99%" {print $2}' "$f") | $(non2xx "$f" | grep . || echo 0) | $(grep -o 'Socket errors.*' "$f" || echo none) |"
  done
  echo
  echo "Polls by outcome:"
  grep '^fabric_ingest_polls_total' "$OUT/metrics-service.prom" | sed 's/^/    /'
  echo
  echo "Stream clients ($STREAM_CLIENTS: $STREAM_SLOW slow readers, $STREAM_STALLED that never read):"
  echo
  cat "$OUT/streams.txt"
  grep -E '^fabric_stream_' "$OUT/metrics-service.prom" | sed 's/^/    /'
  echo
  echo "Longest data age seen: $(sort -n "$OUT/data-age-ms.txt" | tail -n 1) ms (sampled every second)"
  echo
  echo "metrics-service memory (heap used after a full GC, RSS), every minute:"
  sed 's/^/    /' "$OUT/memory.txt"
} | tee "$OUT/report.md"

bad=0
for name in getmetric listmetrics; do
  n=$(non2xx "$OUT/wrk-$name.txt"); [ -z "$n" ] || [ "$n" = 0 ] || bad=1
done
[ "$bad" = 0 ] || { echo "FAIL: non-2xx answers after the first snapshot" >&2; exit 1; }
[ "$streams_ok" = 1 ] || { echo "FAIL: a stream client saw an error, an id out of order, or ended behind" >&2; exit 1; }
echo "PASS: no non-2xx answer after the first snapshot"
