#!/usr/bin/env bash
# The measuring stick (not part of CI). On loopback, for each fabric size: starts the generator and
# the metrics-service, waits for the first snapshot (startup time), captures the real GetMetric and
# ListMetrics responses, and floods three servers in turn with wrk (2 threads, 64 connections,
# warm-up then a measured run): the service; the framework floor (bench/floor: a minimal WebFlux
# functional-endpoint app, same Boot version, no Actuator, no filters) and a bare Reactor Netty
# baseline, both serving those same bytes. Then: ingestion under a GetMetric flood
# (POLL_INTERVAL=1s, POLL_TIMEOUT=800ms); memory at 100k switches with -Xmx256m; startup (./run.sh
# launch to first snapshot with and without CDS, the metrics-service alone); footprint (RSS of
# ./run.sh's metrics-service, its defaults, 1,000 switches, under a GetMetric flood).
# The queries phase floods the operator queries (TopSwitches, a one-switch filtered ListMetrics)
# against GetMetric on the same service, GetMetric measured before and after them.
# Prints a table and exits non-zero when a target is missed. `uptime` is recorded beside each figure.
#
#   bench/run.sh                      sizes 1000 10000 100000; BENCH_WARMUP=60 BENCH_DURATION=20 (seconds)
#   BENCH_SIZES="1000" bench/run.sh   a quicker look
#   BENCH_PHASES="memory" bench/run.sh   only some of: floods queries starvation memory startup footprint
#   BENCH_PORTS=18450 bench/run.sh    ports used: BENCH_PORTS .. BENCH_PORTS+5 (default 28080)
#
# Needs: a JDK 17+, curl, wrk (Debian: apt-get install wrk). JMH: java -jar bench/target/benchmarks.jar
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${BENCH_SIZES:-1000 10000 100000}"
PHASES="${BENCH_PHASES:-floods queries starvation memory startup footprint}"
enabled() { case " $PHASES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
WARMUP="${BENCH_WARMUP:-60}"
DURATION="${BENCH_DURATION:-20}"
THREADS=2
CONNECTIONS=64
PORTS="${BENCH_PORTS:-28080}"
API_PORT=$PORTS
BASE_PORT=$((PORTS + 1))
FLOOR_PORT=$((PORTS + 2))
GEN_PORT=$((PORTS + 3))
RUN_GEN_PORT=$((PORTS + 4))
RUN_API_PORT=$((PORTS + 5))
OUT="bench/results/run-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
for tool in curl wrk java; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool" >&2; exit 2; }
done
[ -f bench/target/benchmarks.jar ] && ls metrics-service/target/metrics-service-*-exec.jar bench/floor/target/bench-floor-*-exec.jar >/dev/null 2>&1 \
  || ./mvnw -B -q -DskipTests package
GEN_JAR="$(ls generator-service/target/generator-service-*-exec.jar | head -n 1)"
API_JAR="$(ls metrics-service/target/metrics-service-*-exec.jar | head -n 1)"
FLOOR_JAR="$(ls bench/floor/target/bench-floor-*-exec.jar | head -n 1)"
BENCH_JAR=bench/target/benchmarks.jar
load() { cut -d' ' -f1-3 /proc/loadavg; }

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=(); }
trap cleanup EXIT
FAILED=0
miss() { echo "TARGET MISSED: $*" | tee -a "$OUT/summary.md"; FAILED=1; }

now_ms() { date +%s%3N; }
status_of() { curl -s -o /dev/null -w '%{http_code}' "$1" || true; }
wait_for_200() { # url, seconds
  local deadline=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(status_of "$1")" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}
to_ms() { # wrk latency like 1.23ms, 512.00us, 1.02s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
flood() { # name url -> "rps p50ms p99ms non2xx"
  local name="$1" url="$2"
  # warm-up: half at low concurrency, which leaves the JIT compiler threads CPU to work with (on two
  # cores a saturating flood starves them, and a Spring app then takes minutes to reach steady state),
  # half at full concurrency
  wrk -t1 -c4 -d"$((WARMUP / 2))s" "$url" > "$OUT/$name-warmup-low.txt" 2>&1
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((WARMUP - WARMUP / 2))s" "$url" > "$OUT/$name-warmup.txt" 2>&1
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" > "$OUT/$name.txt" 2>&1
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.txt")
  p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$OUT/$name.txt")")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$OUT/$name.txt")")
  bad=$(awk '/Non-2xx/ {print $5}' "$OUT/$name.txt"); bad=${bad:-0}
  echo "$rps $p50 $p99 $bad"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

start_services() { # switches, extra env for the metrics-service..., sets API_START_MS
  local switches="$1"; shift
  # one port per switch: these runs measure switch rows, and 100,000 switches of the default 40 ports
  # would be 4,000,000 ports (over the generator's limit of 1,000,000)
  env GENERATOR_PORT=$GEN_PORT GENERATOR_SWITCHES="$switches" GENERATOR_PORTS_PER_SWITCH=1 GENERATOR_SEED=1 GENERATOR_CONFIG_FILE=/nonexistent \
    java -Xmx1g -jar "$GEN_JAR" > "$OUT/generator-$switches.log" 2>&1 &
  PIDS+=($!)
  wait_for_200 "http://127.0.0.1:$GEN_PORT/actuator/health/readiness" 120 || { echo "generator did not start" >&2; exit 1; }
  API_START_MS=$(now_ms)
  env GENERATOR_PORT=$GEN_PORT METRICS_SERVER_PORT=$API_PORT METRICS_CONFIG_FILE=/nonexistent "$@" \
    java ${API_JAVA_OPTS:--Xmx1g} -jar "$API_JAR" > "$OUT/metrics-service-$switches.log" 2>&1 &
  API_PID=$!
  PIDS+=($API_PID)
  wait_for_200 "http://127.0.0.1:$API_PORT/telemetry/ListMetrics" 120 || { echo "no first snapshot" >&2; exit 1; }
  STARTUP_MS=$(( $(now_ms) - API_START_MS ))
}

{
  echo "# bench/run.sh, $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -n 1)."
  echo "wrk: $THREADS threads, $CONNECTIONS connections; per cell ${WARMUP}s of warm-up (half at 4 connections, half at $CONNECTIONS), then ${DURATION}s measured."
  echo "Ratios: service ÷ bare Netty, service ÷ floor, floor ÷ bare Netty, from the same run. Load average (1/5/15 min) when each service cell ended."
  echo
  echo "| switches | endpoint | service req/s | floor req/s | bare Netty req/s | svc/Netty | svc/floor | floor/Netty | p50 / p99 ms: service | floor | Netty | p99 svc/Netty | non-2xx | load |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} > "$OUT/summary.md"
STARTUPS=""

for N in $SIZES; do
  enabled floods || break
  start_services "$N"
  STARTUPS="$STARTUPS $N:${STARTUP_MS}ms"
  API="http://127.0.0.1:$API_PORT"
  curl -s "$API/telemetry/ListMetrics" -o "$OUT/listmetrics-$N.json"
  SWITCH=$(grep -o '"switches":{"[^"]*"' "$OUT/listmetrics-$N.json" | cut -d'"' -f4)
  GET_URL="$API/telemetry/GetMetric?switch=$SWITCH&metric=latency_us"
  curl -s "$GET_URL" -o "$OUT/getmetric-$N.json"
  java -cp "$BENCH_JAR" io.fabrictelemetry.bench.BaselineServer $BASE_PORT "$OUT/getmetric-$N.json" "$OUT/listmetrics-$N.json" \
    > "$OUT/baseline-$N.log" 2>&1 &
  PIDS+=($!)
  wait_for_200 "http://127.0.0.1:$BASE_PORT/telemetry/GetMetric" 30
  BASE="http://127.0.0.1:$BASE_PORT"
  java -Xmx1g -jar "$FLOOR_JAR" --server.port=$FLOOR_PORT --floor.get-metric="$OUT/getmetric-$N.json" \
    --floor.list-metrics="$OUT/listmetrics-$N.json" > "$OUT/floor-$N.log" 2>&1 &
  PIDS+=($!)
  wait_for_200 "http://127.0.0.1:$FLOOR_PORT/telemetry/GetMetric" 120 || { echo "the floor did not start" >&2; exit 1; }
  FLOOR="http://127.0.0.1:$FLOOR_PORT"

  for endpoint in GetMetric ListMetrics; do
    if [ "$endpoint" = GetMetric ]; then url="$GET_URL"; else url="$API/telemetry/ListMetrics"; fi
    read -r s_rps s_p50 s_p99 s_bad <<< "$(flood "service-$endpoint-$N" "$url")"
    s_load=$(load)
    read -r f_rps f_p50 f_p99 f_bad <<< "$(flood "floor-$endpoint-$N" "$FLOOR/telemetry/$endpoint")"
    read -r b_rps b_p50 b_p99 b_bad <<< "$(flood "baseline-$endpoint-$N" "$BASE/telemetry/$endpoint")"
    r=$(ratio "$s_rps" "$b_rps"); rf=$(ratio "$s_rps" "$f_rps"); fb=$(ratio "$f_rps" "$b_rps"); pr=$(ratio "$s_p99" "$b_p99")
    echo "| $N | $endpoint | $s_rps | $f_rps | $b_rps | $r | $rf | $fb | $s_p50 / $s_p99 | $f_p50 / $f_p99 | $b_p50 / $b_p99 | $pr | $s_bad | $s_load |" >> "$OUT/summary.md"
    [ "$s_bad" = 0 ] || miss "$endpoint at $N switches: $s_bad non-2xx answers"
    if [ "$endpoint" = GetMetric ]; then
      at_least "$r" 0.50 || miss "GetMetric at $N switches: throughput ratio to bare Netty $r < 0.50"
      at_least "$rf" 0.90 || miss "GetMetric at $N switches: throughput ratio to the floor $rf < 0.90"
      at_least 3 "$pr" || miss "GetMetric at $N switches: p99 ratio to bare Netty $pr > 3"
    elif [ "$N" = 1000 ]; then
      at_least "$r" 0.80 || miss "ListMetrics at $N switches: throughput ratio $r < 0.80"
    elif [ "$N" = 100000 ]; then
      at_least "$r" 0.70 || miss "ListMetrics at $N switches: throughput ratio $r < 0.70"
    fi
  done
  echo "| $N | ListMetrics body | $(wc -c < "$OUT/listmetrics-$N.json") bytes | | | | | | | | | | | |" >> "$OUT/summary.md"
  cleanup
done

# Operator queries: TopSwitches and a one-switch filtered ListMetrics, each against GetMetric on the
# same service in the same run. GetMetric is measured first and last, and the better of the two is
# the reference: on a loaded machine the first cell can still be warming the JIT (seen: 1.8k req/s
# first, 9.8k last), and a mean would flatter the queries.
if enabled queries; then
{
  echo
  echo "| switches | query | req/s | ÷ GetMetric (target ≥ 0.80) | p50 / p99 ms | non-2xx | load |"
  echo "|---|---|---|---|---|---|---|"
} >> "$OUT/summary.md"
for N in $SIZES; do
  start_services "$N"
  API="http://127.0.0.1:$API_PORT"
  SWITCH=$(curl -s "$API/telemetry/ListMetrics" | grep -o '"switches":{"[^"]*"' | cut -d'"' -f4)
  read -r g1_rps g1_p50 g1_p99 g1_bad <<< "$(flood "queries-GetMetric-first-$N" "$API/telemetry/GetMetric?switch=$SWITCH&metric=latency_us")"
  g1_load=$(load)
  read -r t_rps t_p50 t_p99 t_bad <<< "$(flood "queries-TopSwitches-$N" "$API/telemetry/TopSwitches?metric=latency_us&limit=10")"
  t_load=$(load)
  read -r f_rps f_p50 f_p99 f_bad <<< "$(flood "queries-filtered-$N" "$API/telemetry/ListMetrics?switch=$SWITCH")"
  f_load=$(load)
  read -r g2_rps g2_p50 g2_p99 g2_bad <<< "$(flood "queries-GetMetric-last-$N" "$API/telemetry/GetMetric?switch=$SWITCH&metric=latency_us")"
  g2_load=$(load)
  g_rps=$(awk -v a="$g1_rps" -v b="$g2_rps" 'BEGIN { printf "%.2f", (a > b ? a : b) }')
  tr=$(ratio "$t_rps" "$g_rps"); fr=$(ratio "$f_rps" "$g_rps")
  {
    echo "| $N | GetMetric (first / last) | $g1_rps / $g2_rps | reference: the better, $g_rps | $g1_p50 / $g1_p99, $g2_p50 / $g2_p99 | $((g1_bad + g2_bad)) | $g1_load; $g2_load |"
    echo "| $N | TopSwitches?metric=latency_us&limit=10 | $t_rps | $tr | $t_p50 / $t_p99 | $t_bad | $t_load |"
    echo "| $N | ListMetrics?switch=$SWITCH | $f_rps | $fr | $f_p50 / $f_p99 | $f_bad | $f_load |"
  } >> "$OUT/summary.md"
  [ "$t_bad" = 0 ] && [ "$f_bad" = 0 ] || miss "queries at $N switches: non-2xx answers"
  at_least "$tr" 0.80 || miss "TopSwitches at $N switches: $tr of GetMetric's throughput < 0.80"
  at_least "$fr" 0.80 || miss "one-switch ListMetrics at $N switches: $fr of GetMetric's throughput < 0.80"
  cleanup
done
fi

# Ingestion under load: a GetMetric flood must not starve polling.
if enabled starvation; then
start_services 10000 POLL_INTERVAL=1s POLL_TIMEOUT=800ms
API="http://127.0.0.1:$API_PORT"
polls_ok() { curl -s "$API/actuator/prometheus" | awk '/^fabric_ingest_polls_total\{outcome="(success|not_modified)"\}/ {s += $2} END {print s + 0}'; }
GET_URL="$API/telemetry/GetMetric?switch=sw-00042&metric=latency_us"
[ "$(status_of "$GET_URL")" = 200 ] || { echo "no switch sw-00042 at 10,000 switches" >&2; exit 1; }
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$GET_URL" > /dev/null 2>&1  # warm-up
before=$(polls_ok)
wrk -t"$THREADS" -c"$CONNECTIONS" -d60s "$GET_URL" > "$OUT/starvation-wrk.txt" 2>&1 &
WRK=$!
max_age=0
while kill -0 "$WRK" 2>/dev/null; do
  age=$(curl -s "$API/actuator/prometheus" | awk '/^fabric_ingest_last_success_age_seconds/ {print $2}')
  max_age=$(awk -v a="${age:-0}" -v m="$max_age" 'BEGIN { print (a > m ? a : m) }')
  sleep 0.25
done
after=$(polls_ok)
succeeded=$(awk -v a="$after" -v b="$before" 'BEGIN { print a - b }')
{
  echo
  echo "Ingestion during 60 s of a GetMetric flood ($(awk '/Requests\/sec/ {print $2}' "$OUT/starvation-wrk.txt") req/s),"
  echo "POLL_INTERVAL=1s, POLL_TIMEOUT=800ms, 10,000 switches: $succeeded successful polls (target >= 55);"
  echo "longest time since the last successful poll, sampled every 250 ms: ${max_age} s (target <= 1.8 s)."
} >> "$OUT/summary.md"
at_least "$succeeded" 55 || miss "only $succeeded polls succeeded during the flood"
at_least 1.8 "$max_age" || miss "time since the last successful poll reached ${max_age}s"
cleanup
fi

# Memory: 100k switches in -Xmx256m under a ListMetrics flood and a Prometheus scrape every 15 s.
if enabled memory; then
API_JAVA_OPTS="-Xmx256m -Xlog:gc:file=$OUT/gc-256m.log" start_services 100000
STARTUPS="$STARTUPS 100000@256MB:${STARTUP_MS}ms"
API="http://127.0.0.1:$API_PORT"
wrk -t"$THREADS" -c16 -d60s "$API/telemetry/ListMetrics" > "$OUT/memory-wrk.txt" 2>&1 &
WRK=$!
scrapes=0
while kill -0 "$WRK" 2>/dev/null; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$API/telemetry/prometheus")" = 200 ] && scrapes=$((scrapes + 1))
  sleep 15
done
alive=yes; kill -0 "$API_PID" 2>/dev/null || alive=no
oom=$(grep -c OutOfMemoryError "$OUT/metrics-service-100000.log" || true)
full=$(grep -c 'Pause Full' "$OUT/gc-256m.log" || true)
back_to_back=$(awk '/Pause Full/ { gsub(/[\[\]s]/, "", $1); t = $1 + 0; if (last != "" && t - last < 2) n++; last = t } END { print n + 0 }' "$OUT/gc-256m.log")
heap=$(command -v jcmd >/dev/null && jcmd "$API_PID" GC.heap_info 2>/dev/null | awk '/heap/ && /used/ {for (i=1;i<=NF;i++) if ($i=="used") {print $(i+1); exit}}')
{
  echo
  echo "Memory, 100,000 switches, -Xmx256m, 60 s ListMetrics flood ($(awk '/Requests\/sec/ {print $2}' "$OUT/memory-wrk.txt") req/s) and $scrapes scrapes of /telemetry/prometheus:"
  echo "alive: $alive; OutOfMemoryError: $oom; full GCs: $full, back to back (< 2 s apart): $back_to_back; heap used at the end: ${heap:-?}."
} >> "$OUT/summary.md"
[ "$alive" = yes ] && [ "$oom" = 0 ] && [ "$back_to_back" = 0 ] || miss "memory at 100k switches in 256 MB"
cleanup
fi

# Startup: ./run.sh from launch to its "Ready" line (the first snapshot served), as a user sees it,
# with the CDS archives (built by an untimed first run) and without; then the metrics-service alone.
run_sh_start() { # extra env... -> READY_MS (ms from launch to "Ready"), RUN_SH_PID
  local out="$OUT/run-sh.out" t0
  : > "$out"
  t0=$(now_ms)
  env GENERATOR_PORT=$RUN_GEN_PORT METRICS_SERVER_PORT=$RUN_API_PORT "$@" ./run.sh > "$out" 2>&1 &
  RUN_SH_PID=$!
  PIDS+=($RUN_SH_PID)
  READY_MS=failed
  while ! grep -q '^Ready' "$out"; do
    kill -0 "$RUN_SH_PID" 2>/dev/null || return 0
    sleep 0.05
  done
  READY_MS=$(( $(now_ms) - t0 ))
}
stop_run_sh() { kill -TERM "$RUN_SH_PID" 2>/dev/null || true; wait "$RUN_SH_PID" 2>/dev/null || true; }
if enabled startup; then
  run_sh_start; stop_run_sh; first=$READY_MS   # builds the CDS archives if the jars are new
  cds_runs=""; plain_runs=""
  for i in 1 2 3; do
    run_sh_start; stop_run_sh; cds_runs="$cds_runs $READY_MS ms ($(load))"
    run_sh_start JAVA_CDS=false; stop_run_sh; plain_runs="$plain_runs $READY_MS ms ($(load))"
  done
  {
    echo
    echo "Startup, ./run.sh launch to first snapshot (its \"Ready\"), default fabric: first run after a build (trains the CDS archives) $first ms;"
    echo "with CDS:$cds_runs; JAVA_CDS=false:$plain_runs (target <= 6 s on an idle machine)."
  } >> "$OUT/summary.md"
  # the metrics-service alone, generator already up, CDS layout as ./run.sh leaves it
  API_CDS="metrics-service/target/cds"
  if [ -f "$API_CDS/app.jsa" ]; then
    alone=""
    for i in 1 2 3; do
      API_JAVA_OPTS="-Xmx256m -XX:SharedArchiveFile=$API_CDS/app.jsa" API_JAR="$API_CDS/$(basename "$API_JAR")" start_services 1000
      alone="$alone ${STARTUP_MS} ms ($(load))"; cleanup
    done
    echo "Startup, metrics-service alone with CDS (generator already up), launch to first snapshot:$alone (target <= 3.5 s on an idle machine)." >> "$OUT/summary.md"
  fi
fi

# Footprint: ./run.sh with its defaults (JAVA_OPTS, CDS), 1,000 switches, a 60 s GetMetric flood;
# the metrics-service's resident set sampled every second.
if enabled footprint; then
  run_sh_start GENERATOR_SWITCHES=1000
  api_pid=$(awk '/^metrics-service/ { gsub(/[()]/, ""); print $3 }' "$OUT/run-sh.out")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d60s "http://127.0.0.1:$RUN_API_PORT/telemetry/GetMetric?switch=sw-0001&metric=latency_us" \
    > "$OUT/footprint-wrk.txt" 2>&1 &
  WRK=$!
  max_rss=0
  while kill -0 "$WRK" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$api_pid/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$max_rss" ] && max_rss=$rss
    sleep 1
  done
  stop_run_sh
  rss_mb=$((max_rss / 1024))
  {
    echo
    echo "Footprint: ./run.sh defaults (JAVA_OPTS ${JAVA_OPTS:--Xms64m -Xmx256m}, CDS), 1,000 switches, 60 s GetMetric flood ($(awk '/Requests\/sec/ {print $2}' "$OUT/footprint-wrk.txt") req/s):"
    echo "metrics-service RSS at most $rss_mb MB (target <= 300 MB); load $(load)."
  } >> "$OUT/summary.md"
  [ "$rss_mb" -gt 0 ] && [ "$rss_mb" -le 300 ] || miss "RSS $rss_mb MB > 300 MB under a GetMetric flood"
fi

echo >> "$OUT/summary.md"
echo "Startup, metrics-service launch to first snapshot served (generator already up):$STARTUPS" >> "$OUT/summary.md"
cat "$OUT/summary.md"
[ "$FAILED" = 0 ] || { echo "Some targets were missed (see above)." >&2; exit 1; }
echo "All targets met."
