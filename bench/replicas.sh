#!/usr/bin/env bash
# Issue 23's two figures for replicas on Apache Kafka (not part of CI). On loopback, every process a
# JVM of its own: a real single-node KRaft broker (bench's KafkaBroker: Kafka's own test kit through
# spring-kafka-test; no Docker here), the generator, a metrics-service with INGEST_MODE=publish
# polling it, and metrics-services with INGEST_MODE=consume, all as jars like bench/ports.sh starts them.
#   latency     per size in REPLICAS_SIZES (switch rows, one port a switch, as bench/run.sh): the
#               generator at that size with a short period, the publisher polling it, one consumer.
#               bench's ArrivalProbe asks GetMetric of the publisher and of the consumer every
#               REPLICAS_PROBE_INTERVAL_MS with If-None-Match, and for every new snapshot takes the
#               time its answer arrived minus the snapshot's collectedAt: the payload's arrival at the
#               publisher (the record's collected-at header, which the consumer serves as it is).
#               Beside it, measured in the same run over the same payloads: the consumer's build time
#               (fabric_ingest_poll_duration_seconds in consume mode: one record read, parsed and built
#               into the snapshot it serves) and the publisher's append (fabric_kafka_publish_duration_seconds:
#               handed to the producer until acknowledged). Target (issue 23): the consumer's latency
#               ≤ its build time + 100 ms at 1,000 switches, + 300 ms at 100,000; judged on the median.
#   throughput  GetMetric at THROUGHPUT_SWITCHES switches (default 1,000; generator's default period),
#               a consume-mode service against a poll-mode service, one at a time on the same port,
#               alternating (round r starts with consume when r is even), as bench/alternate.sh does;
#               the broker, the generator and the publisher run throughout, for both. Each: warm-up
#               (BENCH_WARMUP s, half at wrk -c4), then BENCH_DURATION s of wrk -t2 -c64 --latency, with
#               the service's user and system CPU per request (/proc/<pid>/stat). Target: consume ≥ 0.95
#               of poll over all rounds (sum of req/s).
# Prints a table and exits non-zero when a target is missed (1) or cannot be measured (2). `uptime`'s
# load average is recorded beside each figure. Results land in bench/results/replicas-<time>/.
#
#   bench/replicas.sh                                   both phases (~14 min: 2 x 90 s of probing, 6 x 50 s of floods, the starts)
#   BENCH_PHASES=latency bench/replicas.sh              one phase
#   REPLICAS_SIZES=1000 LATENCY_DURATION=20 THROUGHPUT_ROUNDS=1 BENCH_WARMUP=4 BENCH_DURATION=4 bench/replicas.sh   a dry run
#   BENCH_PORTS=18380 bench/replicas.sh                 ports used: BENCH_PORTS .. BENCH_PORTS+3 (default 28380);
#                                                       the broker takes a free port of its own and prints it
# Other settings: LATENCY_DURATION (90 s of probing per size), REPLICAS_PROBE_INTERVAL_MS (2),
#   REPLICAS_PERIOD_<N> (the generator's period at N switches: 1s up to 10,000, else 5s; the publisher
#   polls at half of it, so every generation is fetched once), REPLICAS_POLL_TIMEOUT_<N> (the
#   publisher's POLL_TIMEOUT: 400ms up to 10,000 switches, else 2s), THROUGHPUT_ROUNDS (3),
#   BENCH_GEN_JAR, BENCH_API_JAR, BENCH_BENCH_JAR (default: the jars built here).
#
# Needs: a JDK 17+, curl, wrk, awk; the jars built (./mvnw -B -DskipTests package: both services and
# bench/target/benchmarks.jar).
set -euo pipefail
cd "$(dirname "$0")/.."

PHASES="${BENCH_PHASES:-latency throughput}"
enabled() { case " $PHASES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
SIZES="${REPLICAS_SIZES:-1000 100000}"
LATENCY_DURATION="${LATENCY_DURATION:-90}"
PROBE_INTERVAL_MS="${REPLICAS_PROBE_INTERVAL_MS:-2}"
THROUGHPUT_SWITCHES="${THROUGHPUT_SWITCHES:-1000}"
ROUNDS="${THROUGHPUT_ROUNDS:-3}"
WARMUP="${BENCH_WARMUP:-30}"
DURATION="${BENCH_DURATION:-20}"
THREADS=2
CONNECTIONS=64
PORTS="${BENCH_PORTS:-28380}"
API_PORT=$PORTS
GEN_PORT=$((PORTS + 1))
PUB_PORT=$((PORTS + 2))
CON_PORT=$((PORTS + 3))
OUT="bench/results/replicas-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
for tool in curl wrk java awk; do
  command -v "$tool" >/dev/null || { echo "bench/replicas.sh needs $tool" >&2; exit 2; }
done
GEN_JAR="${BENCH_GEN_JAR:-$(ls generator-service/target/generator-service-*-exec.jar 2>/dev/null | head -n 1)}"
API_JAR="${BENCH_API_JAR:-$(ls metrics-service/target/metrics-service-*-exec.jar 2>/dev/null | head -n 1)}"
BENCH_JAR="${BENCH_BENCH_JAR:-bench/target/benchmarks.jar}"
[ -n "$GEN_JAR" ] && [ -n "$API_JAR" ] && [ -f "$BENCH_JAR" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

PIDS=()      # everything but the broker: stopped after each phase
BROKER_PID=""
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done; PIDS=(); }
stop_all() { cleanup; [ -z "$BROKER_PID" ] || { kill "$BROKER_PID" 2>/dev/null || true; wait "$BROKER_PID" 2>/dev/null || true; }; }
trap stop_all EXIT
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
etag_of() { curl -s -o /dev/null -D - --max-time 60 "$1" | awk 'tolower($1) == "etag:" {gsub(/\r/, ""); print $2}'; }
wait_for_logged() { # url seconds: until the service serves a snapshot under the log's ETag ("k-<topic>-0-<offset>")
  local deadline=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    case "$(etag_of "$1")" in '"k-'*) return 0 ;; esac
    sleep 0.5
  done
  return 1
}
to_ms() { # wrk latency like 1.23ms, 512.00us, 1.02s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
wrk_errors() { # non-2xx answers plus socket errors (connect, read, write, timeout)
  awk '/Non-2xx/ {n += $5} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
prom() { curl -s --max-time 30 "$1/actuator/prometheus" | awk -v p="$2" '$0 !~ /^#/ && $0 ~ p {s += $NF} END {printf "%.6f", s}'; }
ms_of() { # a duration like 500ms, 2s -> milliseconds
  awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /ms$/) n = n; else if (d ~ /s$/) n *= 1000; printf "%d", n }'
}

start_broker() {
  java -Xmx1g -cp "$BENCH_JAR" io.fabrictelemetry.bench.KafkaBroker > "$OUT/broker.log" 2>&1 &
  BROKER_PID=$!
  local deadline=$(( $(date +%s) + 180 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    BOOTSTRAP=$(awk -F= '/^bootstrap-servers=/ {print $2; exit}' "$OUT/broker.log")
    [ -n "$BOOTSTRAP" ] && return 0
    kill -0 "$BROKER_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "the broker did not start (see $OUT/broker.log)" >&2; exit 2
}
start_generator() { # switches period name
  env GENERATOR_PORT="$GEN_PORT" GENERATOR_SWITCHES="$1" GENERATOR_PORTS_PER_SWITCH=1 GENERATOR_SEED=1 \
    GENERATOR_PERIOD="$2" GENERATOR_CONFIG_FILE=/nonexistent java -Xmx1g -jar "$GEN_JAR" > "$OUT/generator-$3.log" 2>&1 &
  PIDS+=($!)
  wait_for_200 "http://127.0.0.1:$GEN_PORT/actuator/health/readiness" 180 || { echo "generator $3 did not start" >&2; exit 2; }
}
start_service() { # name port [env...]; sets SERVICE_PID
  local name="$1" port="$2"; shift 2
  env METRICS_SERVER_PORT="$port" METRICS_CONFIG_FILE=/nonexistent "$@" \
    java -Xmx1g -jar "$API_JAR" > "$OUT/metrics-service-$name.log" 2>&1 &
  SERVICE_PID=$!
  PIDS+=($SERVICE_PID)
}
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
# the switch asked for: the first of TopSwitches (no whole ListMetrics body read at 100,000 switches)
first_switch() { curl -s --max-time 60 "$1/telemetry/TopSwitches?metric=latency_us&limit=1" | grep -o '"switch":"[^"]*"' | head -n 1 | cut -d'"' -f4; }

{
  echo "# bench/replicas.sh, $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -n 1); metrics-service $(basename "$API_JAR"), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "Every process a JVM of its own on loopback: a single-node KRaft broker (bench KafkaBroker), the generator, a publisher (INGEST_MODE=publish), consumers (INGEST_MODE=consume); services -Xmx1g."
} > "$OUT/summary.md"
start_broker
note "Broker: $BOOTSTRAP (started $(date -u +%T))."

if enabled latency; then
  {
    echo
    echo "## Latency: payload arrival at the publisher (collectedAt) to the snapshot served (GetMetric), ms"
    echo
    echo "ArrivalProbe: GetMetric with If-None-Match every ${PROBE_INTERVAL_MS} ms per service, ${LATENCY_DURATION} s per size; a sample is served-by (the 200's arrival) minus collectedAt; \"not yet at\" is the previous request's send time minus collectedAt (the lower bound); resolution = served-by − not-yet-at."
    echo
    echo "| switches | served by | samples | p50 | p90 | max | not yet at, p50 | resolution, mean | consumer build, mean (records) / max* | publisher append, mean | p50 − build (target) | load (1/5/15) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  } >> "$OUT/summary.md"
  for N in $SIZES; do
    period_var="REPLICAS_PERIOD_$N"; timeout_var="REPLICAS_POLL_TIMEOUT_$N"
    if [ "$N" -le 10000 ]; then period="${!period_var:-1s}"; poll_timeout="${!timeout_var:-400ms}"; target=100
    else period="${!period_var:-5s}"; poll_timeout="${!timeout_var:-2s}"; target=300; fi
    [ "$N" = 1000 ] || [ "$N" = 100000 ] || target=""
    interval="$(( $(ms_of "$period") / 2 ))ms"
    topic="bench-replicas-$N-$(date +%s)"
    size_started=$(date +%s)
    start_generator "$N" "$period" "latency-$N"
    start_service "publisher-$N" "$PUB_PORT" INGEST_MODE=publish KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" KAFKA_TOPIC="$topic" \
      GENERATOR_URL="http://127.0.0.1:$GEN_PORT" POLL_INTERVAL="$interval" POLL_TIMEOUT="$poll_timeout"
    PUB_PID=$SERVICE_PID
    PUB="http://127.0.0.1:$PUB_PORT"
    if ! wait_for_logged "$PUB/telemetry/TopSwitches?metric=latency_us&limit=1" 240; then
      cannot "latency at $N switches: the publisher published nothing within 240 s (see $OUT/metrics-service-publisher-$N.log)"
      cleanup; continue
    fi
    start_service "consumer-$N" "$CON_PORT" INGEST_MODE=consume KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" KAFKA_TOPIC="$topic"
    CON_PID=$SERVICE_PID
    CON="http://127.0.0.1:$CON_PORT"
    if ! wait_for_200 "$CON/actuator/health/readiness" 240 || ! wait_for_logged "$CON/telemetry/TopSwitches?metric=latency_us&limit=1" 60; then
      cannot "latency at $N switches: the consumer was not ready within 300 s (see $OUT/metrics-service-consumer-$N.log)"
      cleanup; continue
    fi
    SW=$(first_switch "$PUB")
    build_sum0=$(prom "$CON" '^fabric_ingest_poll_duration_seconds_sum'); build_n0=$(prom "$CON" '^fabric_ingest_poll_duration_seconds_count')
    append_sum0=$(prom "$PUB" '^fabric_kafka_publish_duration_seconds_sum'); append_n0=$(prom "$PUB" '^fabric_kafka_publish_duration_seconds_count')
    failures0=$(prom "$PUB" '^fabric_kafka_publish_failures_total'); skipped0=$(prom "$CON" '^fabric_kafka_records_skipped_total')
    java -Xmx256m -cp "$BENCH_JAR" io.fabrictelemetry.bench.ArrivalProbe "$LATENCY_DURATION" "$PROBE_INTERVAL_MS" \
      "$OUT/latency-$N.tsv" "publisher=$PUB/telemetry/GetMetric?switch=$SW&metric=latency_us" \
      "consumer=$CON/telemetry/GetMetric?switch=$SW&metric=latency_us" > "$OUT/latency-$N.txt" 2>&1 || true
    at_load=$(load)
    build_sum1=$(prom "$CON" '^fabric_ingest_poll_duration_seconds_sum'); build_n1=$(prom "$CON" '^fabric_ingest_poll_duration_seconds_count')
    build_max=$(prom "$CON" '^fabric_ingest_poll_duration_seconds_max')
    append_sum1=$(prom "$PUB" '^fabric_kafka_publish_duration_seconds_sum'); append_n1=$(prom "$PUB" '^fabric_kafka_publish_duration_seconds_count')
    failures1=$(prom "$PUB" '^fabric_kafka_publish_failures_total'); skipped1=$(prom "$CON" '^fabric_kafka_records_skipped_total')
    records=$(awk -v a="$build_n0" -v b="$build_n1" 'BEGIN { printf "%d", b - a }')
    build=$(awk -v s0="$build_sum0" -v s1="$build_sum1" -v n="$records" 'BEGIN { printf "%.1f", (n > 0 ? (s1 - s0) * 1000 / n : 0) }')
    build_max=$(awk -v m="$build_max" 'BEGIN { printf "%.1f", m * 1000 }')
    appends=$(awk -v a="$append_n0" -v b="$append_n1" 'BEGIN { printf "%d", b - a }')
    append=$(awk -v s0="$append_sum0" -v s1="$append_sum1" -v n="$appends" 'BEGIN { printf "%.1f", (n > 0 ? (s1 - s0) * 1000 / n : 0) }')
    for who in publisher consumer; do
      line=$(awk -v w="$who" '$1 == w' "$OUT/latency-$N.txt")
      field() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }
      n=$(field samples); p50=$(field p50); errors=$(field errors)
      if [ -z "$line" ] || [ "${n:-0}" = 0 ]; then
        cannot "latency at $N switches, $who: no sample (see $OUT/latency-$N.txt)"
        continue
      fi
      over="—"
      if [ "$who" = consumer ]; then
        over=$(awk -v p="$p50" -v b="$build" 'BEGIN { printf "%.1f", p - b }')
        if [ -n "$target" ]; then
          over="$over (≤ $target)"
          at_least "$target" "$(awk -v p="$p50" -v b="$build" 'BEGIN { print p - b }')" \
            || miss "latency at $N switches: the consumer's median $p50 ms is more than its build time $build ms + $target ms"
        fi
      fi
      echo "| $N | $who | $n | $p50 | $(field p90) | $(field max) | $(field lower_p50) | $(field resolution_mean) | $build ($records) / $build_max | $append ($appends) | $over | $at_load |" >> "$OUT/summary.md"
      [ "${errors:-0}" = 0 ] || note "The probe of the $who at $N switches had $errors failed requests: $(echo "$line" | sed 's/.*last_error=//')"
    done
    # the same record served by both: what the consumer adds after the publisher serves it (its read
    # of the record, and its own build where the publisher builds after the acknowledgement)
    behind=$(awk -F'\t' 'NR > 1 { t[$1, $2] = $4; e[$2] = 1 }
      END { for (k in e) if ((("publisher", k) in t) && (("consumer", k) in t)) d[++n] = t["consumer", k] - t["publisher", k]
            for (i = 2; i <= n; i++) { v = d[i]; for (j = i - 1; j >= 1 && d[j] > v; j--) d[j + 1] = d[j]; d[j + 1] = v }
            if (n) printf "p50 %d ms, max %d ms, min %d ms over %d records", d[int((n + 1) / 2)], d[n], d[1], n; else printf "no record seen by both" }' "$OUT/latency-$N.tsv")
    note ""
    note "$N switches, the same record's served-by, consumer − publisher: $behind."
    note "*max: Micrometer's decaying maximum at the end of the probe (fabric_ingest_poll_duration_seconds_max, the last minutes: it may hold a record replayed at the consumer's start, before the probe)."
    note "$N switches: $(( $(date +%s) - size_started )) s with the starts (from $(date -u -d @"$size_started" +%T) UTC); generator period $period, the publisher polling every $interval (POLL_TIMEOUT $poll_timeout), topic $topic; during the probe the publisher failed $(awk -v a="$failures0" -v b="$failures1" 'BEGIN { printf "%d", b - a }') appends and the consumer skipped $(awk -v a="$skipped0" -v b="$skipped1" 'BEGIN { printf "%d", b - a }') records. Samples: $OUT/latency-$N.tsv."
    note ""
    cleanup
  done
fi

if enabled throughput; then
  {
    echo
    echo "## Throughput: GetMetric of a consumer (INGEST_MODE=consume) against a poll-mode service, alternating"
    echo
    echo "$THROUGHPUT_SWITCHES switches, generator period its default (10 s); the broker, the generator and a publisher run throughout. Per run: ${WARMUP} s warm-up (half at wrk -c4), ${DURATION} s measured with wrk -t$THREADS -c$CONNECTIONS."
    echo
    echo "| round | mode | req/s | p50 / p99 ms | errors | CPU µs/request user / system | load (1/5/15) |"
    echo "|---|---|---|---|---|---|---|"
  } >> "$OUT/summary.md"
  topic="bench-replicas-throughput-$(date +%s)"
  phase_started=$(date +%s)
  start_generator "$THROUGHPUT_SWITCHES" 10s throughput
  start_service publisher-throughput "$PUB_PORT" INGEST_MODE=publish KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" KAFKA_TOPIC="$topic" \
    GENERATOR_URL="http://127.0.0.1:$GEN_PORT"
  PUB="http://127.0.0.1:$PUB_PORT"
  if ! wait_for_logged "$PUB/telemetry/TopSwitches?metric=latency_us&limit=1" 240; then
    cannot "throughput: the publisher published nothing within 240 s (see $OUT/metrics-service-publisher-throughput.log)"
    ROUNDS=0
  fi
  SW=$(first_switch "$PUB")
  API="http://127.0.0.1:$API_PORT"
  URL="$API/telemetry/GetMetric?switch=$SW&metric=latency_us"
  SUM_consume=0; SUM_poll=0
  run_mode() { # round mode
    local round="$1" mode="$2" pid rps p50 p99 bad n u0 s0 u1 s1
    if [ "$mode" = consume ]; then
      start_service "consume-$round" "$API_PORT" INGEST_MODE=consume KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" KAFKA_TOPIC="$topic"
    else
      start_service "poll-$round" "$API_PORT" GENERATOR_URL="http://127.0.0.1:$GEN_PORT"
    fi
    pid=$SERVICE_PID
    if ! wait_for_200 "$API/actuator/health/readiness" 240 || ! wait_for_200 "$URL" 60; then
      cannot "throughput round $round: the $mode service did not serve $URL"; stop_pid "$pid"; return
    fi
    wrk -t1 -c4 -d"$((WARMUP / 2))s" "$URL" > "$OUT/throughput-$round-$mode-warmup-low.txt" 2>&1
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((WARMUP - WARMUP / 2))s" "$URL" > "$OUT/throughput-$round-$mode-warmup.txt" 2>&1
    read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$URL" > "$OUT/throughput-$round-$mode.txt" 2>&1
    read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
    rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/throughput-$round-$mode.txt"); rps=${rps:-0}
    n=$(awk '/requests in/ {print $1}' "$OUT/throughput-$round-$mode.txt"); n=${n:-0}
    p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$OUT/throughput-$round-$mode.txt")")
    p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$OUT/throughput-$round-$mode.txt")")
    bad=$(wrk_errors "$OUT/throughput-$round-$mode.txt")
    # clock ticks are 1/100 s: µs per request = ticks * 10,000 / requests
    echo "| $round | $mode | $rps | $p50 / $p99 | $bad | $(awk -v c=$((u1 - u0)) -v n="$n" 'BEGIN {printf "%.1f", (n > 0 ? c * 10000 / n : 0)}') / $(awk -v c=$((s1 - s0)) -v n="$n" 'BEGIN {printf "%.1f", (n > 0 ? c * 10000 / n : 0)}') | $(load) |" >> "$OUT/summary.md"
    [ "$bad" = 0 ] || miss "throughput round $round, $mode: $bad errors"
    eval "RPS_${mode}_$round=$rps"
    if [ "$mode" = consume ]; then SUM_consume=$(awk -v a="$SUM_consume" -v b="$rps" 'BEGIN { print a + b }')
    else SUM_poll=$(awk -v a="$SUM_poll" -v b="$rps" 'BEGIN { print a + b }'); fi
    stop_pid "$pid"
  }
  for round in $(seq 0 $((ROUNDS - 1))); do
    if [ $((round % 2)) = 0 ]; then run_mode "$round" consume; run_mode "$round" poll
    else run_mode "$round" poll; run_mode "$round" consume; fi
  done
  note ""
  for round in $(seq 0 $((ROUNDS - 1))); do
    c="RPS_consume_$round"; p="RPS_poll_$round"
    [ -n "${!c:-}" ] && [ -n "${!p:-}" ] && note "Round $round: consume / poll = $(ratio "${!c}" "${!p}")."
  done
  r=$(ratio "$SUM_consume" "$SUM_poll")
  note ""
  note "All rounds: consume $SUM_consume req/s summed, poll $SUM_poll req/s summed: **consume / poll = $r** (target ≥ 0.95)."
  note "Throughput phase: $(( $(date +%s) - phase_started )) s with the starts (from $(date -u -d @"$phase_started" +%T) UTC)."
  at_least "$r" 0.95 || miss "throughput: a consumer's GetMetric is $r of a poll-mode service's (< 0.95)"
  cleanup
fi

note ""
note "The whole run: $SECONDS s."
cat "$OUT/summary.md"
[ "$FAILED" = 0 ] || { echo "Some targets were missed or not measured (see above)." >&2; exit "$FAILED"; }
echo "All targets met."
