#!/usr/bin/env bash
# Issue 22's load targets on port rows (not part of CI). On loopback:
#   floods  GetMetric at BASE_SWITCHES switch rows (the reference), then, on a service polling the
#           generator's /csv/metrics at PORTS_SWITCHES x PORTS_PER_SWITCH ports: GetMetric of a port,
#           GetMetric of a switch aggregate, TopPorts, a one-switch ListMetrics (its ports included),
#           twice: identity (no Accept-Encoding, what wrk and a plain curl get) and gzip (the client
#           sends `Accept-Encoding: gzip`, as curl --compressed, browsers and Prometheus do: the kept
#           gzip body, Content-Encoding: gzip), then the reference again; each must reach 80 % of the
#           better of the two references.
#           One service at a time, each with its own generator; every cell as bench/run.sh floods
#           (wrk -t2 -c64; BENCH_WARMUP s of warm-up, half at 4 connections; BENCH_DURATION s measured).
#           The port service is first warmed with every request kind in turn (BENCH_WARMUP/2 s each at
#           4 connections), so that the first cell is not measured on a JVM that has only seen its own.
#           Then the floor: a bare Reactor Netty server (bench's BaselineServer, no Spring, none of our
#           work) serving the bytes captured from the reference's GetMetric and from the one-switch
#           ListMetrics, identity and gzip (the gzip bytes as they are, without a Content-Encoding
#           header), flooded alike: what the machine allows for each body size, the same run.
#   memory  the port fabric under -Xmx2g with HISTORY_RETENTION=15m: MEMORY_FILL s of running (history
#           fills), then a MEMORY_FLOOD s GetMetric flood (a port); 0 errors, alive, history spanning
#           15 minutes (GetMetricHistory's oldest point) before and after the flood; heap after GC, GC
#           pauses, history bytes a point (fabric_history_bytes / fabric_history_points) recorded.
# Prints a table and exits non-zero when a target is missed (1) or cannot be measured (2). `uptime`'s
# load average is recorded beside each figure. Results land in bench/results/ports-<time>/.
#
#   bench/ports.sh                                   both phases (~20 min of floods, 25 min of memory; floods at
#                                                    BENCH_WARMUP=30 BENCH_DURATION=15: ~11 min)
#   BENCH_PHASES=memory bench/ports.sh               one phase
#   BENCH_PORTS=18600 bench/ports.sh                 ports used: BENCH_PORTS .. BENCH_PORTS+4 (default 28180)
#   PORTS_SWITCHES=100 PORTS_PER_SWITCH=4 BASE_SWITCHES=100 BENCH_WARMUP=4 BENCH_DURATION=3 \
#     MEMORY_FILL=30 MEMORY_FLOOD=20 MEMORY_RETENTION=20s bench/ports.sh   a dry run at small scale
#   BENCH_GEN_JAR, BENCH_API_JAR, BENCH_BENCH_JAR: other jars than the ones built here (the last: the
#   floor's BaselineServer, bench/target/benchmarks.jar; without it the floor is not measured)
#   BENCH_ROUNDS=1: the port cells measured once (default 2: a second round in the reverse order, each
#   cell after BENCH_ROUND_WARMUP s (5) at 64 connections on the JVM the first round warmed; a cell's
#   verdict is the better of its rounds, as the reference's is the better of its first and last run;
#   both rounds are in the table)
#   other settings: MEMORY_HEAP (2g), MEMORY_HISTORY_MAX_BYTES (1536MB), PORTS_METRIC
#   (Infiniband_XmitWait_u_Ticks), PORTS_PORT (23, the port asked for)
#
# Needs: a JDK 17+ (jcmd), curl, wrk, awk; both services built (./mvnw -B -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/.."

PHASES="${BENCH_PHASES:-floods memory}"
enabled() { case " $PHASES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
WARMUP="${BENCH_WARMUP:-60}"
DURATION="${BENCH_DURATION:-20}"
ROUNDS="${BENCH_ROUNDS:-2}"
ROUND_WARMUP="${BENCH_ROUND_WARMUP:-5}"
THREADS=2
CONNECTIONS=64
PORTS="${BENCH_PORTS:-28180}"
API_PORT=$PORTS
GEN_PORT=$((PORTS + 1))
BASE_GEN_PORT=$((PORTS + 2))
PROXY_PORT=$((PORTS + 3))
PORTS_SWITCHES="${PORTS_SWITCHES:-5000}"
PORTS_PER_SWITCH="${PORTS_PER_SWITCH:-40}"
BASE_SWITCHES="${BASE_SWITCHES:-1000}"
METRIC="${PORTS_METRIC:-Infiniband_XmitWait_u_Ticks}"
PORT="${PORTS_PORT:-23}"
[ "$PORT" -le "$PORTS_PER_SWITCH" ] || PORT=1
MEMORY_FILL="${MEMORY_FILL:-900}"
MEMORY_FLOOD="${MEMORY_FLOOD:-600}"
MEMORY_HEAP="${MEMORY_HEAP:-2g}"
MEMORY_RETENTION="${MEMORY_RETENTION:-15m}"
MEMORY_HISTORY_MAX_BYTES="${MEMORY_HISTORY_MAX_BYTES:-1536MB}"
OUT="bench/results/ports-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
for tool in curl wrk java jcmd awk; do
  command -v "$tool" >/dev/null || { echo "bench/ports.sh needs $tool" >&2; exit 2; }
done
GEN_JAR="${BENCH_GEN_JAR:-$(ls generator-service/target/generator-service-*-exec.jar 2>/dev/null | head -n 1)}"
API_JAR="${BENCH_API_JAR:-$(ls metrics-service/target/metrics-service-*-exec.jar 2>/dev/null | head -n 1)}"
BENCH_JAR="${BENCH_BENCH_JAR:-bench/target/benchmarks.jar}"
FLOOR_PORT=$((PORTS + 4))
[ -n "$GEN_JAR" ] && [ -n "$API_JAR" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done; PIDS=(); PROXY_STARTED=no; }
trap cleanup EXIT
FAILED=0
miss() { echo "TARGET MISSED: $*" | tee -a "$OUT/summary.md"; FAILED=1; }
cannot() { echo "NOT MEASURED: $*" | tee -a "$OUT/summary.md"; [ "$FAILED" != 0 ] || FAILED=2; }
note() { echo "$*" >> "$OUT/summary.md"; }

status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 60 "$1" || true; }
wait_for_200() { # url, seconds
  local deadline=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(status_of "$1")" = 200 ] && return 0
    sleep 0.5
  done
  return 1
}
to_ms() { # wrk latency like 1.23ms, 512.00us, 1.02s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
# wrk's errors of a run: non-2xx answers plus socket errors (connect, read, write, timeout)
wrk_errors() {
  awk '/Non-2xx/ {n += $5} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$1"
}
flood() { # name url [request header] -> "rps p50ms p99ms errors"
  local name="$1" url="$2" header=()
  [ -z "${3:-}" ] || header=(-H "$3")
  wrk -t1 -c4 -d"$((WARMUP / 2))s" "${header[@]}" "$url" > "$OUT/$name-warmup-low.txt" 2>&1
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((WARMUP - WARMUP / 2))s" "${header[@]}" "$url" > "$OUT/$name-warmup.txt" 2>&1
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${header[@]}" "$url" > "$OUT/$name.txt" 2>&1
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.txt")
  p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$OUT/$name.txt")")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$OUT/$name.txt")")
  echo "${rps:-0} $p50 $p99 $(wrk_errors "$OUT/$name.txt")"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
# a value of the service's /actuator/prometheus: the sum of the series whose line matches the pattern
FAILED_OUTCOMES='(timeout|connect_error|io_error|http_error|parse_error|too_large|internal_error)'
prom() { curl -s --max-time 30 "$1/actuator/prometheus" | awk -v p="$2" '$0 !~ /^#/ && $0 ~ p {s += $NF} END {printf "%.0f", s}'; }

start_generator() { # port switches ports-per-switch name
  env GENERATOR_PORT="$1" GENERATOR_SWITCHES="$2" GENERATOR_PORTS_PER_SWITCH="$3" GENERATOR_SEED=1 \
    GENERATOR_CONFIG_FILE=/nonexistent java -Xmx2g -jar "$GEN_JAR" > "$OUT/generator-$4.log" 2>&1 &
  PIDS+=($!)
  wait_for_200 "http://127.0.0.1:$1/actuator/health/readiness" 180 || { echo "generator $4 did not start" >&2; exit 2; }
}
start_service() { # name java-options generator-url [env...]; sets API_PID
  local name="$1" opts="$2" url="$3"; shift 3
  # shellcheck disable=SC2086
  env GENERATOR_URL="$url" METRICS_SERVER_PORT=$API_PORT METRICS_CONFIG_FILE=/nonexistent "$@" \
    java $opts -jar "$API_JAR" > "$OUT/metrics-service-$name.log" 2>&1 &
  API_PID=$!
  PIDS+=($API_PID)
  # a first snapshot, seen in the metrics: a whole ListMetrics body is hundreds of MB at 200,000 ports
  local deadline=$(( $(date +%s) + 300 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(prom "http://127.0.0.1:$API_PORT" '^fabric_snapshot_switches')" -gt 0 ] && return 0
    grep -q 'Polling http[^ ]*/csv/metrics/counters' "$OUT/metrics-service-$name.log" && return 3
    kill -0 "$API_PID" 2>/dev/null || { echo "metrics-service $name exited" >&2; exit 2; }
    sleep 1
  done
  echo "metrics-service $name: no snapshot within 300 s" >&2; exit 2
}
stop_service() { kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; }
# A metrics-service whose GENERATOR_URL cannot name a path (it appends /counters: main before issue 22 §2's
# "GENERATOR_URL may name any path") reads the port view through a pass-through on PROXY_PORT that
# answers /counters with the generator's /csv/metrics (status, ETag, X-Sampled-At, If-None-Match as they are).
start_proxy() { # generator port
  cat > "$OUT/path-proxy.py" <<'PY'
import sys, urllib.request, urllib.error
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
listen, upstream = int(sys.argv[1]), sys.argv[2]
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        request = urllib.request.Request(upstream)
        if self.headers.get("If-None-Match"):
            request.add_header("If-None-Match", self.headers["If-None-Match"])
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, headers, body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, e.headers, e.read()
        self.send_response(status)
        for name in ("ETag", "X-Sampled-At", "Content-Type"):
            if headers.get(name):
                self.send_header(name, headers[name])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", listen), Handler).serve_forever()
PY
  python3 "$OUT/path-proxy.py" "$PROXY_PORT" "http://127.0.0.1:$1/csv/metrics" > "$OUT/path-proxy.log" 2>&1 &
  PIDS+=($!)
  wait_for_200 "http://127.0.0.1:$PROXY_PORT/counters" 30 || { echo "the pass-through did not start" >&2; exit 2; }
}
# a metrics-service polling the port view (generator on GEN_PORT): GENERATOR_URL=.../csv/metrics, or,
# when it polls .../csv/metrics/counters instead (start_service returns 3), again through the pass-through
start_port_service() { # name java-options [env...]
  local name="$1" opts="$2" rc=0; shift 2
  if [ "${PROXY_STARTED:-no}" != yes ]; then
    start_service "$name" "$opts" "http://127.0.0.1:$GEN_PORT/csv/metrics" "$@" || rc=$?
    [ "$rc" = 3 ] || return "$rc"
    stop_service
    start_proxy "$GEN_PORT"
    PROXY_STARTED=yes
    note ""
    note "This metrics-service appends /counters to GENERATOR_URL (it takes no path yet): it reads /csv/metrics through bench/ports.sh's pass-through (python3, port $PROXY_PORT)."
  fi
  start_service "$name" "$opts" "http://127.0.0.1:$PROXY_PORT" "$@"
}
# the first switch of the port view: its node GUID, from /csv/metrics' first row (no 200,000-port body parsed)
first_guid() { { curl -s --max-time 60 "http://127.0.0.1:$1/csv/metrics" || true; } | awk -F, 'NR == 2 {print $4; exit}'; }

{
  echo "# bench/ports.sh, $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -n 1); metrics-service $(basename "$API_JAR")."
  echo "Port fabric: $PORTS_SWITCHES switches x $PORTS_PER_SWITCH ports = $((PORTS_SWITCHES * PORTS_PER_SWITCH)) ports (GENERATOR_URL=.../csv/metrics); reference: $BASE_SWITCHES switches, switch rows (/counters)."
} > "$OUT/summary.md"

if enabled floods; then
  {
    echo
    echo "wrk: $THREADS threads, $CONNECTIONS connections; per cell ${WARMUP}s of warm-up (half at 4 connections), then ${DURATION}s measured. One service at a time, each with its generator."
    echo
    echo "| fabric | request | req/s | ÷ reference (target ≥ 0.80) | p50 / p99 ms | errors | body bytes | load (1/5/15) |"
    echo "|---|---|---|---|---|---|---|---|"
  } >> "$OUT/summary.md"
  API="http://127.0.0.1:$API_PORT"

  reference() { # first|last -> REF_RPS; a row in the table
    start_generator "$BASE_GEN_PORT" "$BASE_SWITCHES" 1 "reference-$1"
    start_service "reference-$1" "-Xmx1g" "http://127.0.0.1:$BASE_GEN_PORT"
    local sw url rps p50 p99 bad
    sw=$(curl -s "$API/telemetry/TopSwitches?metric=latency_us&limit=1" | grep -o '"switch":"[^"]*"' | head -n 1 | cut -d'"' -f4)
    url="$API/telemetry/GetMetric?switch=$sw&metric=latency_us"
    curl -s "$url" -o "$OUT/reference-$1.json"
    read -r rps p50 p99 bad <<< "$(flood "reference-GetMetric-$1" "$url")"
    echo "| $BASE_SWITCHES switches | GetMetric (switch row), $1 | $rps | reference | $p50 / $p99 | $bad | $(wc -c < "$OUT/reference-$1.json") | $(load) |" >> "$OUT/summary.md"
    [ "$bad" = 0 ] || miss "reference GetMetric ($1): $bad errors"
    cleanup
    REF_RPS=$rps
  }
  reference first; REF_FIRST=$REF_RPS

  start_generator "$GEN_PORT" "$PORTS_SWITCHES" "$PORTS_PER_SWITCH" ports
  [ "$(status_of "http://127.0.0.1:$GEN_PORT/csv/metrics")" = 200 ] || { cannot "the generator serves no /csv/metrics"; cleanup; }
  if [ "$FAILED" != 2 ]; then
    start_port_service ports "-Xmx2g"
    GUID=$(first_guid "$GEN_PORT")
    polls_before=$(prom "$API" '^fabric_ingest_polls_total.outcome="success"')
    failures_before=$(prom "$API" "^fabric_ingest_polls_total.outcome=\"$FAILED_OUTCOMES")
    CELLS=(); MEASURED=()
    # name|url|what the answer must hold (grep -E)|request header (optional)
    CELLS+=("port|$API/telemetry/GetMetric?switch=$GUID&metric=$METRIC&port=$PORT|\"port\":$PORT")
    CELLS+=("aggregate|$API/telemetry/GetMetric?switch=$GUID&metric=$METRIC|\"aggregate\":\"sum\"")
    CELLS+=("TopPorts|$API/telemetry/TopPorts?metric=$METRIC&limit=10|\"ports\":\\[\\{")
    CELLS+=("ListMetrics-one-switch|$API/telemetry/ListMetrics?switch=$GUID|\"ports\":\\{\"$GUID\":\\{")
    CELLS+=("ListMetrics-one-switch-gzip|$API/telemetry/ListMetrics?switch=$GUID|\"ports\":\\{\"$GUID\":\\{|Accept-Encoding: gzip")
    # every request kind once before any is measured: the first cell's JVM has seen all of them
    for cell in "${CELLS[@]}"; do
      IFS='|' read -r name url expect header <<< "$cell"
      header_args=(); [ -z "$header" ] || header_args=(-H "$header")
      wrk -t1 -c4 -d"$((WARMUP / 2))s" "${header_args[@]}" "$url" > "$OUT/ports-$name-warmup-service.txt" 2>&1
    done
    for cell in "${CELLS[@]}"; do
      IFS='|' read -r name url expect header <<< "$cell"
      header_args=(); [ -z "$header" ] || header_args=(-H "$header")
      # the bytes as sent (gzip: compressed, for the floor and the body size), and the answer decoded to check it
      code=$(curl -s -D "$OUT/ports-$name.headers" -o "$OUT/ports-$name.json" -w '%{http_code}' "${header_args[@]}" "$url" || true)
      if [ -n "$header" ]; then
        curl -s --compressed -o "$OUT/ports-$name.decoded.json" "$url" || true
        grep -qi '^content-encoding: gzip' "$OUT/ports-$name.headers" || code="$code (no Content-Encoding: gzip)"
      else
        cp "$OUT/ports-$name.json" "$OUT/ports-$name.decoded.json"
      fi
      if [ "$code" != 200 ] || ! grep -qE "$expect" "$OUT/ports-$name.decoded.json"; then
        echo "| $PORTS_SWITCHES x $PORTS_PER_SWITCH ports | $name: \`${url#"$API"}\` | — | answered $code without $expect | | | $(wc -c < "$OUT/ports-$name.json") | $(load) |" >> "$OUT/summary.md"
        cannot "$name: $url answered $code, not what issue 22 specifies ($expect)"
        continue
      fi
      read -r rps p50 p99 bad <<< "$(flood "ports-$name" "$url" "$header")"
      eval "RPS_$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')=$rps"
      eval "RPS1_$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')=$rps"
      echo "| $PORTS_SWITCHES x $PORTS_PER_SWITCH ports | $name: \`${url#"$API"}\`${header:+ with \`$header\`} | $rps | @RATIO_$name@ | $p50 / $p99 | $bad | $(wc -c < "$OUT/ports-$name.json") | $(load) |" >> "$OUT/summary.md"
      [ "$bad" = 0 ] || miss "$name: $bad errors"
      MEASURED+=("$cell")
    done
    # further rounds, in the reverse order: each cell measured again on the warm JVM, so that no cell's
    # verdict hangs on its place in the sequence (the history grows, the heap with it, as the run goes on)
    for ((round = 2; round <= ROUNDS; round++)); do
      for ((i = ${#MEASURED[@]} - 1; i >= 0; i--)); do
        IFS='|' read -r name url expect header <<< "${MEASURED[$i]}"
        header_args=(); [ -z "$header" ] || header_args=(-H "$header")
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${ROUND_WARMUP}s" "${header_args[@]}" "$url" > "$OUT/ports-$name-round$round-warmup.txt" 2>&1
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${header_args[@]}" "$url" > "$OUT/ports-$name-round$round.txt" 2>&1
        rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/ports-$name-round$round.txt"); rps=${rps:-0}
        p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$OUT/ports-$name-round$round.txt")")
        p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$OUT/ports-$name-round$round.txt")")
        bad=$(wrk_errors "$OUT/ports-$name-round$round.txt")
        var="RPS_$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')"
        at_least "${!var:-0}" "$rps" || eval "$var=$rps"
        echo "| $PORTS_SWITCHES x $PORTS_PER_SWITCH ports | $name, round $round (reverse order) | $rps | @RATIO${round}_$name@ | $p50 / $p99 | $bad | $(wc -c < "$OUT/ports-$name.json") | $(load) |" >> "$OUT/summary.md"
        eval "RPS${round}_$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')=$rps"
        [ "$bad" = 0 ] || miss "$name (round $round): $bad errors"
      done
    done
    polls_after=$(prom "$API" '^fabric_ingest_polls_total.outcome="success"')
    failures_after=$(prom "$API" "^fabric_ingest_polls_total.outcome=\"$FAILED_OUTCOMES")
    poll_max=$(curl -s "$API/actuator/prometheus" | awk '/^fabric_ingest_poll_duration_seconds_max/ {print $NF}')
    note ""
    note "Port service during its floods: $((polls_after - polls_before)) polls accepted, $((failures_after - failures_before)) failed; longest poll (fetch + parse + publish) in the last minutes: ${poll_max:-?} s."
    cleanup
  fi
  reference last; REF_LAST=$REF_RPS
  # the floor: a bare Reactor Netty server answering the captured bodies, nothing of ours; no service runs
  FLOOR_SMALL=""; FLOOR_LARGE=""; FLOOR_GZIP=""
  if [ -f "$BENCH_JAR" ] && [ -s "$OUT/reference-first.json" ] && [ -s "$OUT/ports-ListMetrics-one-switch.json" ]; then
    java -cp "$BENCH_JAR" io.fabrictelemetry.bench.BaselineServer "$FLOOR_PORT" "$OUT/reference-first.json" \
      "$OUT/ports-ListMetrics-one-switch.json" > "$OUT/floor.log" 2>&1 &
    PIDS+=($!)
    FLOOR="http://127.0.0.1:$FLOOR_PORT/telemetry"
    if wait_for_200 "$FLOOR/GetMetric" 60; then
      read -r rps p50 p99 bad <<< "$(flood "floor-GetMetric" "$FLOOR/GetMetric")"; FLOOR_SMALL=$rps
      echo "| floor (bare Reactor Netty) | the reference's GetMetric body, static | $rps | floor | $p50 / $p99 | $bad | $(wc -c < "$OUT/reference-first.json") | $(load) |" >> "$OUT/summary.md"
      read -r rps p50 p99 bad <<< "$(flood "floor-ListMetrics" "$FLOOR/ListMetrics")"; FLOOR_LARGE=$rps
      echo "| floor (bare Reactor Netty) | the one-switch ListMetrics body, static | $rps | @FLOOR_RATIO@ | $p50 / $p99 | $bad | $(wc -c < "$OUT/ports-ListMetrics-one-switch.json") | $(load) |" >> "$OUT/summary.md"
    else
      note ""; note "The floor's BaselineServer did not start (see floor.log): not measured."
    fi
    cleanup
    # the gzip body's floor: its bytes as the service sent them, served the same way (no Content-Encoding
    # header: wrk reads bytes, it does not decompress)
    if [ -s "$OUT/ports-ListMetrics-one-switch-gzip.json" ]; then
      java -cp "$BENCH_JAR" io.fabrictelemetry.bench.BaselineServer "$FLOOR_PORT" "$OUT/reference-first.json" \
        "$OUT/ports-ListMetrics-one-switch-gzip.json" > "$OUT/floor-gzip.log" 2>&1 &
      PIDS+=($!)
      if wait_for_200 "$FLOOR/GetMetric" 60; then
        read -r rps p50 p99 bad <<< "$(flood "floor-ListMetrics-gzip" "$FLOOR/ListMetrics")"; FLOOR_GZIP=$rps
        echo "| floor (bare Reactor Netty) | the one-switch ListMetrics gzip body, static | $rps | @FLOOR_GZIP_RATIO@ | $p50 / $p99 | $bad | $(wc -c < "$OUT/ports-ListMetrics-one-switch-gzip.json") | $(load) |" >> "$OUT/summary.md"
      else
        note ""; note "The gzip floor's BaselineServer did not start (see floor-gzip.log): not measured."
      fi
      cleanup
    fi
  else
    note ""; note "The floor was not measured (no $BENCH_JAR, or no captured bodies)."
  fi
  REF=$(awk -v a="$REF_FIRST" -v b="$REF_LAST" 'BEGIN { printf "%.2f", (a > b ? a : b) }')
  note ""
  note "Reference: the better of GetMetric at $BASE_SWITCHES switches first and last, $REF req/s (first $REF_FIRST, last $REF_LAST)."
  if [ -n "$FLOOR_LARGE" ]; then
    r=$(ratio "$FLOOR_LARGE" "$REF")
    sed -i "s/@FLOOR_RATIO@/$r/" "$OUT/summary.md"
    note ""
    note "Floor: a bare Reactor Netty server sends the one-switch ListMetrics body $FLOOR_LARGE times a second, $r of the reference; the reference's GetMetric body $FLOOR_SMALL times (no Spring, no snapshot: the most any service could do with these bodies on this machine)."
    at_least "$r" 0.80 || note "The floor itself is under 0.80 of the reference: the one-switch ListMetrics target cannot be met on this machine as stated for the identity body."
  fi
  if [ -n "$FLOOR_GZIP" ]; then
    r=$(ratio "$FLOOR_GZIP" "$REF")
    sed -i "s/@FLOOR_GZIP_RATIO@/$r/" "$OUT/summary.md"
    note ""
    note "Gzip floor: the same server sends the one-switch ListMetrics gzip body ($(wc -c < "$OUT/ports-ListMetrics-one-switch-gzip.json") bytes, the identity body $(wc -c < "$OUT/ports-ListMetrics-one-switch.json")) $FLOOR_GZIP times a second, $r of the reference."
  fi
  note ""
  note "ListMetrics-one-switch is the identity body (a client that sends no Accept-Encoding, as wrk and a plain curl); ListMetrics-one-switch-gzip the same answer to a client that sends \`Accept-Encoding: gzip\` (curl --compressed, browsers, Prometheus): the kept gzip body, Content-Encoding: gzip, decoded to the same bytes."
  for name in port aggregate TopPorts ListMetrics-one-switch ListMetrics-one-switch-gzip; do
    var="RPS_$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')"
    rps="${!var:-}"
    [ -n "$rps" ] || { sed -i "s/@RATIO_$name@/—/" "$OUT/summary.md"; continue; }
    # each round's own ratio in its row; the verdict on the better round (RPS_ holds it)
    first="RPS1_$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')"
    sed -i "s/@RATIO_$name@/$(ratio "${!first:-0}" "$REF")/" "$OUT/summary.md"
    for ((round = 2; round <= ROUNDS; round++)); do
      rvar="RPS${round}_$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')"
      sed -i "s/@RATIO${round}_$name@/$(ratio "${!rvar:-0}" "$REF")/" "$OUT/summary.md"
    done
    r=$(ratio "$rps" "$REF")
    [ "$ROUNDS" -lt 2 ] || note "$name: the better of its $ROUNDS rounds, $rps req/s, is $r of the reference."
    at_least "$r" 0.80 || miss "$name at $((PORTS_SWITCHES * PORTS_PER_SWITCH)) ports: $r of GetMetric's throughput at $BASE_SWITCHES switches < 0.80"
  done
fi

if enabled memory; then
  start_generator "$GEN_PORT" "$PORTS_SWITCHES" "$PORTS_PER_SWITCH" memory
  [ "$(status_of "http://127.0.0.1:$GEN_PORT/csv/metrics")" = 200 ] || { cannot "memory: the generator serves no /csv/metrics"; }
  GUID=$(first_guid "$GEN_PORT")
  GC_LOG="$OUT/gc-memory.log"
  start_port_service memory "-Xmx$MEMORY_HEAP -Xlog:gc:file=$GC_LOG" HISTORY_RETENTION="$MEMORY_RETENTION" HISTORY_MAX_BYTES="$MEMORY_HISTORY_MAX_BYTES"
  API="http://127.0.0.1:$API_PORT"
  STARTED=$(date +%s)
  SAMPLES="$OUT/memory-samples.tsv"
  printf 'utc\tphase\thistory_bytes\thistory_points\thistory_snapshots\tpolls_ok\tpolls_failed\trss_kb\tload\tpoll_s_sum\tpoll_count\tappend_s_sum\tappend_count\tpoll_max_s\n' > "$SAMPLES"
  sample() { # phase
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%T)" "$1" "$(prom "$API" '^fabric_history_bytes')" \
      "$(prom "$API" '^fabric_history_points')" "$(prom "$API" '^fabric_history_snapshots')" \
      "$(prom "$API" '^fabric_ingest_polls_total.outcome="success"')" \
      "$(prom "$API" "^fabric_ingest_polls_total.outcome=\"$FAILED_OUTCOMES")" \
      "$(awk '/VmRSS/ {print $2}' "/proc/$API_PID/status" 2>/dev/null || echo 0)" "$(load)" \
      "$(curl -s --max-time 30 "$API/actuator/prometheus" | awk '/^fabric_ingest_poll_duration_seconds_sum/ {s += $NF} END {printf "%.3f", s}')" \
      "$(prom "$API" '^fabric_ingest_poll_duration_seconds_count')" \
      "$(curl -s --max-time 30 "$API/actuator/prometheus" | awk '/^fabric_history_append_seconds_sum/ {s += $NF} END {printf "%.3f", s}')" \
      "$(prom "$API" '^fabric_history_append_seconds_count')" \
      "$(curl -s --max-time 30 "$API/actuator/prometheus" | awk '/^fabric_ingest_poll_duration_seconds_max/ {print $NF}')" >> "$SAMPLES"
  }
  HISTORY_URL="$API/telemetry/GetMetricHistory?switch=$GUID&metric=$METRIC&port=$PORT"
  [ "$(status_of "$HISTORY_URL")" = 200 ] || HISTORY_URL="$API/telemetry/GetMetricHistory?switch=$GUID&metric=$METRIC"
  span() { # seconds between the oldest and the newest point of GetMetricHistory, and the count of points
    curl -s --max-time 60 "$HISTORY_URL" | grep -o '"sampledAt":"[^"]*"' | cut -d'"' -f4 | \
      awk 'NR == 1 {first = $0} {last = $0; n++} END {
        cmd = "date -u -d " first " +%s.%N"; cmd | getline a; close(cmd)
        cmd = "date -u -d " last " +%s.%N"; cmd | getline b; close(cmd)
        printf "%.0f %d %s %s", b - a, n, first, last }'
  }
  while [ $(( $(date +%s) - STARTED )) -lt "$MEMORY_FILL" ]; do
    sample fill
    kill -0 "$API_PID" 2>/dev/null || break
    sleep "$(( MEMORY_FILL < 300 ? 5 : 30 ))"
  done
  read -r span_before points_before oldest_before newest_before <<< "$(span)"
  FLOOD_URL="$API/telemetry/GetMetric?switch=$GUID&metric=$METRIC&port=$PORT"
  [ "$(status_of "$FLOOD_URL")" = 200 ] || FLOOD_URL="$API/telemetry/GetMetric?switch=$GUID&metric=$METRIC"
  flood_t0=$(jcmd "$API_PID" VM.uptime | awk 'NR == 2 {sub(/s$/, "", $1); print $1}')
  # a 10 s client timeout: an answer slowed by the shared machine is a latency, not an error; wrk's
  # timeouts are reported apart from non-2xx answers and socket errors all the same
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${MEMORY_FLOOD}s" --timeout 10s --latency "$FLOOD_URL" > "$OUT/memory-wrk.txt" 2>&1 &
  WRK=$!
  while kill -0 "$WRK" 2>/dev/null; do
    sample flood
    sleep "$(( MEMORY_FLOOD < 300 ? 5 : 30 ))"
  done
  wait "$WRK" || true
  flood_t1=$(jcmd "$API_PID" VM.uptime 2>/dev/null | awk 'NR == 2 {sub(/s$/, "", $1); print $1}')
  sample end
  read -r span_after points_after oldest_after newest_after <<< "$(span)"
  alive=yes; kill -0 "$API_PID" 2>/dev/null || alive=no
  oom=$(grep -c OutOfMemoryError "$OUT/metrics-service-memory.log" || true)
  errors=$(wrk_errors "$OUT/memory-wrk.txt")
  timeouts=$(awk '/Socket errors/ {gsub(/,/, ""); print $10}' "$OUT/memory-wrk.txt"); timeouts=${timeouts:-0}
  requests=$(awk '/requests in/ {print $1}' "$OUT/memory-wrk.txt")
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/memory-wrk.txt")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$OUT/memory-wrk.txt")")
  polls_failed=$(awk -F'\t' 'NR == 2 {a = $7} END {print $7 - a}' "$SAMPLES")
  hb=$(prom "$API" '^fabric_history_bytes'); hp=$(prom "$API" '^fabric_history_points')
  # the live set: a full collection asked for at the end, its "after" figure
  jcmd "$API_PID" GC.run > /dev/null 2>&1 || true
  sleep 2
  live=$(awk '/Pause Full \((System.gc\(\)|Diagnostic Command)\)/ {v = $0} END { if (match(v, /->[0-9]+M/)) print substr(v, RSTART + 2, RLENGTH - 3) "M"; else print "?" }' "$GC_LOG")
  # pauses during the flood: count, total, mean, p99, max; full GCs; heap after the young collections (max)
  gc=$(awk -v t0="${flood_t0:-0}" -v t1="${flood_t1:-1e12}" '
    /Pause/ && match($0, /[0-9.]+ms$/) {
      t = substr($0, 2, index($0, "s]") - 2) + 0
      if (t < t0 || t > t1) next
      v = substr($0, RSTART, RLENGTH - 2) + 0
      n++; sum += v; if (v > max) max = v; p[n] = v
      if ($0 ~ /Pause Full/) full++
      if ($0 ~ /Pause Young/ && match($0, /->[0-9]+M/)) { a = substr($0, RSTART + 2, RLENGTH - 3) + 0; if (a > after) after = a }
    }
    END {
      for (i = 2; i <= n; i++) { v = p[i]; for (j = i - 1; j >= 1 && p[j] > v; j--) p[j + 1] = p[j]; p[j + 1] = v }
      printf "%d pauses, %.0f ms in all, mean %.1f ms, p99 %.1f ms, max %.1f ms; full GCs %d; heap after a young GC at most %d MB",
        n, sum, (n ? sum / n : 0), (n ? p[int(n * 0.99) + (n * 0.99 > int(n * 0.99) ? 1 : 0)] : 0), max, full, after }' "$GC_LOG")
  bpp=$(awk -v b="$hb" -v p="$hp" 'BEGIN { printf "%.3f", (p > 0 ? b / p : 0) }')
  {
    echo
    echo "Memory: $((PORTS_SWITCHES * PORTS_PER_SWITCH)) ports, -Xmx$MEMORY_HEAP, HISTORY_RETENTION=$MEMORY_RETENTION, HISTORY_MAX_BYTES=$MEMORY_HISTORY_MAX_BYTES;"
    echo "${MEMORY_FILL} s of running, then a ${MEMORY_FLOOD} s GetMetric flood (\`${FLOOD_URL#"$API"}\`, wrk -t$THREADS -c$CONNECTIONS): ${requests:-0} requests, $rps req/s, p99 $p99 ms; errors (non-2xx, socket errors, timeouts over 10 s) $errors, of which timeouts $timeouts."
    echo "- alive at the end: $alive; OutOfMemoryError in the log: $oom; polls failed over the run: $polls_failed"
    echo "- history (\`${HISTORY_URL#"$API"}\`): before the flood $points_before points spanning $span_before s ($oldest_before .. $newest_before); after it $points_after points spanning $span_after s ($oldest_after .. $newest_after)"
    echo "- history size: fabric_history_bytes $hb for fabric_history_points $hp = **$bpp bytes a point** (all counted)"
    echo "- GC during the flood: $gc"
    echo "- heap after a full GC at the end (live set, history included): $live"
    echo "- whole polls (fetch + parse + publish; 304s included), mean over the run: $(awk -F'\t' 'NR > 1 && $11 > 0 {s = $10; n = $11} END {printf "%.3f s over %d polls", (n ? s / n : 0), n}' "$SAMPLES"); longest poll seen (Micrometer's decaying max, sampled): $(awk -F'\t' 'NR > 1 && $14 > m {m = $14} END {printf "%.3f s", m}' "$SAMPLES"); history appends, mean: $(awk -F'\t' 'NR > 1 && $13 > 0 {s = $12; n = $13} END {printf "%.3f s over %d", (n ? s / n : 0), n}' "$SAMPLES")"
    echo "- samples every 30 s (history, polls, RSS, load): $SAMPLES; load at the end $(load)"
  } >> "$OUT/summary.md"
  [ "$alive" = yes ] && [ "$oom" = 0 ] || miss "memory: the service did not survive (alive $alive, OutOfMemoryError $oom)"
  [ "$errors" = 0 ] || miss "memory: $errors errors in the flood"
  retention_s=$(awk -v r="$MEMORY_RETENTION" 'BEGIN { n = r + 0; if (r ~ /m$/) n *= 60; else if (r ~ /h$/) n *= 3600; print n }')
  # full: the points reach back to the retention, give or take the newest point's age and a poll's lag
  # (two periods of the generator's 10 s), and none is missing between the oldest and the newest
  full() { # span points
    at_least "${1:-0}" "$((retention_s - 20))" && at_least "${2:-0}" "$(( ${1:-0} / 10 + 1 ))"
  }
  full "$span_before" "$points_before" || miss "memory: history before the flood: $points_before points spanning ${span_before:-?} s, not ${retention_s} s of 10 s periods"
  full "$span_after" "$points_after" || miss "memory: history after the flood: $points_after points spanning ${span_after:-?} s, not ${retention_s} s of 10 s periods"
  at_least 1.5 "$bpp" || miss "history: $bpp bytes a point > 1.5"
  cleanup
fi

cat "$OUT/summary.md"
[ "$FAILED" = 0 ] || { echo "Some targets were missed or not measured (see above)." >&2; exit "$FAILED"; }
echo "All targets met."
