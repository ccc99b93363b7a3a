#!/usr/bin/env bash
# What tracing costs the API (issue 24): GetMetric throughput of the metrics-service with tracing
# configured (OTEL_EXPORTER_OTLP_ENDPOINT set, spans sent to a stand-in OTLP receiver on loopback,
# TRACING_SAMPLING_PROBABILITY=0: every poll traced, no request) against tracing off (the same build
# with Spring Boot's tracing and OpenTelemetry auto-configuration left out: Micrometer's no-op tracer,
# no SDK, no exemplars), alternating the two in one run with bench/alternate.sh (warm-up, then a
# measured wrk -t2 -c64 flood each; both poll the same generator).
# Prints each run and, per round and over all rounds, configured / off; the target is >= 0.95.
#
#   bench/tracing.sh [ROUNDS]          default 4 rounds; ALT_WARMUP=30 ALT_DURATION=20 (seconds) by default
#   ALT_PORTS, ALT_SWITCHES            as in bench/alternate.sh; the receiver listens on ALT_PORTS+2
#   TRACING_JAR=<metrics-service exec jar>   use this build (e.g. metrics-service/target/...-exec.jar
#                                      after ./mvnw verify) instead of building one
#
# Both jars are made once per commit into bench/results/tracing/: configured is this tree's build;
# off is a copy whose BOOT-INF/classes/application.yml excludes the tracing auto-configurations too.
# Needs what bench/alternate.sh needs, plus python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-4}"
export ALT_WARMUP="${ALT_WARMUP:-30}" ALT_DURATION="${ALT_DURATION:-20}"
PORTS="${ALT_PORTS:-18530}"; RECEIVER_PORT=$((PORTS + 2))
DIR=bench/results/tracing; mkdir -p "$DIR"
SHA="$(git rev-parse --short HEAD)"
ON_JAR="${TRACING_JAR:-$DIR/metrics-service-configured-$SHA.jar}"; OFF_JAR="$DIR/metrics-service-off-$(basename "$ON_JAR" .jar)-$SHA.jar"

if [ ! -f "$ON_JAR" ]; then
  [ -z "$(git status --porcelain -- metrics-service service-conventions)" ] || echo "note: uncommitted changes are built into $ON_JAR" >&2
  ./mvnw -B -q -DskipTests -pl service-conventions,generator-service,metrics-service package
  cp metrics-service/target/metrics-service-*-exec.jar "$ON_JAR"
fi
if [ ! -f "$OFF_JAR" ] || [ "$ON_JAR" -nt "$OFF_JAR" ]; then
  python3 - "$ON_JAR" "$OFF_JAR" <<'PY'
import sys, zipfile
source, target = sys.argv[1], sys.argv[2]
OFF = ["org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
       "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration",
       "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
       "org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration",
       "org.springframework.boot.micrometer.tracing.autoconfigure.otlp.OtlpExemplarsAutoConfiguration",
       "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
       "org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration",
       "org.springframework.boot.opentelemetry.autoconfigure.logging.otlp.OtlpLoggingAutoConfiguration"]
YML = "BOOT-INF/classes/application.yml"
with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
    for item in src.infolist():
        data = src.read(item)
        if item.filename == YML:
            text = data.decode()
            anchor = "    exclude:\n"
            assert anchor in text, "no spring.autoconfigure.exclude list in " + YML
            data = text.replace(anchor, anchor + "".join("      - %s\n" % name for name in OFF), 1).encode()
        dst.writestr(item, data)  # keeps each entry's compression: nested jars stay stored
PY
fi
ls generator-service/target/generator-service-*-exec.jar >/dev/null 2>&1 \
  || ./mvnw -B -q -DskipTests -pl service-conventions,generator-service package

# The stand-in OTLP receiver: answers every export with 200 and counts the requests and bytes.
RECEIVED="$(mktemp)"
python3 - "$RECEIVER_PORT" "$RECEIVED" <<'PY' &
import sys, http.server
port, out = int(sys.argv[1]), sys.argv[2]
class Receiver(http.server.BaseHTTPRequestHandler):
    count = 0; size = 0
    def do_POST(self):
        n = int(self.headers.get('Content-Length', 0)); self.rfile.read(n)
        Receiver.count += 1; Receiver.size += n
        with open(out, 'w') as f: f.write(f"{Receiver.count} {Receiver.size} {self.path}\n")
        self.send_response(200); self.send_header('Content-Type', 'application/x-protobuf'); self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(('127.0.0.1', port), Receiver).serve_forever()
PY
RECEIVER=$!
trap 'kill $RECEIVER 2>/dev/null || true' EXIT

echo "off: $OFF_JAR; configured: $ON_JAR, OTLP to 127.0.0.1:$RECEIVER_PORT, probability 0 (commit $SHA)"
# Both services see the variables; the off copy makes no spans and ignores them, the generator sends
# the server spans of the configured service's polls too.
OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$RECEIVER_PORT" TRACING_SAMPLING_PROBABILITY=0 \
  bench/alternate.sh "$ROUNDS" "$OFF_JAR" "$ON_JAR" | tee "$DIR/last-run.txt"
echo "OTLP receiver: $(cat "$RECEIVED" 2>/dev/null || echo '0 0') (export requests, bytes, last path)"
awk -v off="$(basename "$OFF_JAR")" -v on="$(basename "$ON_JAR")" '
  $1 == "round" && $3 == off { o[$2] = $4; so += $4 }
  $1 == "round" && $3 == on  { c[$2] = $4; sc += $4 }
  END {
    for (r in o) if (r in c) { printf "round %s: configured/off = %.3f\n", r, c[r] / o[r]; n++ }
    if (n && so > 0) printf "all rounds: configured %.0f req/s, off %.0f req/s, configured/off = %.3f (target >= 0.95)\n", sc / n, so / n, sc / so
  }' "$DIR/last-run.txt"
