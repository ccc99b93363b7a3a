#!/usr/bin/env bash
# Two or more metrics-service jars compared on a GetMetric flood, one service at a time and in
# rotating order (round r starts with jar r mod N), all polling the same generator (not part of CI).
# Per run: warm-up (wrk -t1 -c4 5 s, then -t2 -c64 ALT_WARMUP s), then a measured `wrk -t2 -c64`
# run of ALT_DURATION s, with the service's user and system CPU per request (/proc/<pid>/stat),
# its young collections (jstat), and from its GC log (-Xlog:gc) over the measured run: allocation
# per request (eden filled between consecutive collections), mean and p90 pause. Single runs on a
# shared 2-core machine swing by ±10 %: compare jars within a round, over several rounds.
#
#   bench/alternate.sh ROUNDS old.jar new.jar [more.jar ...]
#   ALT_PORTS=18530 (ports ALT_PORTS..+1), ALT_SWITCHES=1000, ALT_WARMUP=12, ALT_DURATION=12 (seconds)
#
# Needs: a JDK 17+ (jstat, jcmd), curl, wrk, awk; the generator jar built.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=$1; shift; JARS=("$@")
GEN_JAR="$(ls generator-service/target/generator-service-*-exec.jar | head -n 1)"
PORTS="${ALT_PORTS:-18530}"; API_PORT=$PORTS; GEN_PORT=$((PORTS + 1))
WARMUP="${ALT_WARMUP:-12}"; DURATION="${ALT_DURATION:-12}"
OUT="$(mktemp -d)"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_for() { for _ in $(seq 1 300); do curl -sf "$1" -o "${2:-/dev/null}" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

GENERATOR_SWITCHES="${ALT_SWITCHES:-1000}" GENERATOR_PORT=$GEN_PORT GENERATOR_CONFIG_FILE=/nonexistent \
  java -Xmx1g -jar "$GEN_JAR" > "$OUT/generator.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$GEN_PORT/counters"

uptime_s() { jcmd "$1" VM.uptime | awk 'NR == 2 {sub(/s$/, "", $1); print $1}'; }
# allocation per request (KB), mean and p90 pause (ms) of the young collections between t0 and t1
gc_figures() { # log t0 t1 requests-per-second
  awk -v t0="$2" -v t1="$3" -v rps="$4" '
    /Pause Young/ && match($0, /[0-9]+M->[0-9]+M\([0-9]+M\) [0-9.]+ms/) {
      t = substr($0, 2, index($0, "s]") - 2) + 0
      if (t < t0 || t > t1) next
      split(substr($0, RSTART, RLENGTH), f, /M->|M\(|M\) |ms/)
      n++; at[n] = t; before[n] = f[1]; after[n] = f[2]; pause[n] = f[4]
    }
    END {
      if (n < 2) { print "n/a"; exit }
      for (i = 2; i <= n; i++) alloc += before[i] - after[i - 1]
      for (i = 1; i <= n; i++) { # insertion sort: mawk has no asort
        sum += pause[i]; v = pause[i] + 0
        for (j = i - 1; j >= 1 && p[j] > v; j--) p[j + 1] = p[j]
        p[j + 1] = v
      }
      printf "%.1f KB/request, pauses mean %.2f ms p90 %.2f ms", alloc * 1024 / (at[n] - at[1]) / rps, sum / n, p[int(n * 0.9) + 1]
    }' "$1"
}
run() { # round jar
  GENERATOR_URL="http://127.0.0.1:$GEN_PORT" METRICS_CONFIG_FILE=/nonexistent \
    java -Xmx1g -Xlog:gc:file="$OUT/gc.log" -jar "$2" --server.port=$API_PORT > "$OUT/service.log" 2>&1 &
  local pid=$! u0 s0 u1 s1 g0 g1 t0 t1 r n rps
  PIDS+=("$pid") # killed on exit too, should a step below fail
  wait_for "http://127.0.0.1:$API_PORT/telemetry/ListMetrics" "$OUT/lm.json"
  local url="http://127.0.0.1:$API_PORT/telemetry/GetMetric?switch=$(grep -o '"switches":{"[^"]*"' "$OUT/lm.json" | cut -d'"' -f4)&metric=latency_us"
  wrk -t1 -c4 -d5s "$url" > /dev/null
  wrk -t2 -c64 -d"${WARMUP}"s "$url" > /dev/null
  g0=$(jstat -gc "$pid" | awk 'NR == 2 {print $13}'); t0=$(uptime_s "$pid")
  read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  r=$(wrk -t2 -c64 -d"${DURATION}"s --latency "$url")
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  t1=$(uptime_s "$pid"); g1=$(jstat -gc "$pid" | awk 'NR == 2 {print $13}')
  n=$(echo "$r" | awk '/requests in/ {print $1}'); rps=$(echo "$r" | awk '/Requests\/sec/ {print $2}')
  # clock ticks are 1/100 s: µs per request = ticks * 10,000 / requests
  printf 'round %s %-40s %9s req/s  p99 %7s  user %5.1f µs  system %5.1f µs  young GCs %3s  %s\n' "$1" "$(basename "$2")" "$rps" \
    "$(echo "$r" | awk '$1 == "99%" {print $2}')" "$(awk -v c=$((u1 - u0)) -v n="$n" 'BEGIN {print c * 10000 / n}')" \
    "$(awk -v c=$((s1 - s0)) -v n="$n" 'BEGIN {print c * 10000 / n}')" "$((g1 - g0))" "$(gc_figures "$OUT/gc.log" "$t0" "$t1" "$rps")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
echo "load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S) UTC"
for round in $(seq 0 $((ROUNDS - 1))); do
  for k in $(seq 0 $((${#JARS[@]} - 1))); do run "$round" "${JARS[$(( (round + k) % ${#JARS[@]} ))]}"; done
done
