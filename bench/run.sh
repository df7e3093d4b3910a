#!/usr/bin/env bash
# Tollgate's benchmark, on loopback only: the gateway's added latency and throughput against the
# mock upstream, the dev server's time to first answer and the proxy Lambda's cold init.
#
#   bash bench/run.sh            builds the jars if missing (BENCH_REBUILD=1 forces a build)
#   BENCH_ONLY=ttft bash bench/run.sh   only the streamed time-to-first-token phase (about 1 minute)
#
# Prints a results table and writes it to bench/results/latest.md. Takes about 3-5 minutes.
# Every process it starts is stopped on exit. Method and recorded figures: bench/RESULTS.md.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

# JDK 25, like the rest of the build.
. scripts/java25.sh

# Nothing may leave loopback: static credentials, a region, no metadata endpoint, EMF to stdout.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_EMF_ENVIRONMENT=Local DJL_OFFLINE=true OPT_OUT_TRACKING=true

CLI_JAR=cli/target/tollgate.jar
LAMBDA_JAR=functions/proxy/target/tollgate-proxy-lambda.jar
BENCH_JAR=bench/target/tollgate-bench.jar
if [[ "${BENCH_REBUILD:-0}" == 1 || ! -f $CLI_JAR || ! -f $LAMBDA_JAR || ! -f $BENCH_JAR ]]; then
  echo "Building (mvn -B -q -DskipTests package) ..."
  mvn -B -q -DskipTests package
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tollgate-bench.XXXXXX")
PIDS=()
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}
cleanup() {
  stop_all
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits until $2 contains the line pattern $3, or fails when process $1 dies or after 60 s.
await_line() {
  local pid=$1 log=$2 pattern=$3 i
  for ((i = 0; i < 600; i++)); do
    if grep -q "$pattern" "$log"; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "process $pid exited before '$pattern':" >&2; tail -20 "$log" >&2; return 1
    fi
    sleep 0.1
  done
  echo "timed out waiting for '$pattern' in $log" >&2; return 1
}

read -r UPSTREAM_PORT SLOW_UPSTREAM_PORT STREAM_UPSTREAM_PORT GATEWAY_PORT DYNAMODB_PORT \
  < <(java -cp "$BENCH_JAR" dev.tollgate.bench.FreePorts 5)
DEMO_KEY="tg-bench-$(date +%s)-$RANDOM"
sed -e "s/SLOW_UPSTREAM_PORT/$SLOW_UPSTREAM_PORT/" -e "s/STREAM_UPSTREAM_PORT/$STREAM_UPSTREAM_PORT/" \
  -e "s/UPSTREAM_PORT/$UPSTREAM_PORT/" bench/bench.yaml > "$WORK/bench.yaml"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u +"%Y-%m-%d %H:%M UTC")
echo "Tollgate benchmark, $STARTED, load average $LOAD_BEFORE"

java -jar "$CLI_JAR" mock-upstream --port "$UPSTREAM_PORT" > "$WORK/upstream.log" 2>&1 &
UPSTREAM_PID=$!
PIDS+=("$UPSTREAM_PID")
java -jar "$CLI_JAR" mock-upstream --port "$SLOW_UPSTREAM_PORT" --latency-ms 20 > "$WORK/slow-upstream.log" 2>&1 &
SLOW_UPSTREAM_PID=$!
PIDS+=("$SLOW_UPSTREAM_PID")
java -jar "$CLI_JAR" mock-upstream --port "$STREAM_UPSTREAM_PORT" --chunk-interval-ms 20 > "$WORK/stream-upstream.log" 2>&1 &
STREAM_UPSTREAM_PID=$!
PIDS+=("$STREAM_UPSTREAM_PID")
java -jar "$CLI_JAR" dev --port "$GATEWAY_PORT" --config "$WORK/bench.yaml" --demo-key "$DEMO_KEY" \
  --dynamodb-port "$DYNAMODB_PORT" > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")
await_line "$UPSTREAM_PID" "$WORK/upstream.log" "Mock upstream:"
await_line "$SLOW_UPSTREAM_PID" "$WORK/slow-upstream.log" "Mock upstream:"
await_line "$STREAM_UPSTREAM_PID" "$WORK/stream-upstream.log" "Mock upstream:"
await_line "$GATEWAY_PID" "$WORK/gateway.log" "Tollgate dev server:"

RESULTS="$WORK/results.md"
{
  echo "## Tollgate benchmark"
  echo
  echo "- Date: $STARTED; command: \`bash bench/run.sh\`; commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "- JDK: $(java -version 2>&1 | sed -n 2p)"
  echo "- Load generator, gateway (\`tollgate dev\`), mock upstream (\`tollgate mock-upstream\`) and probes all share this machine, on 127.0.0.1."
  echo
} > "$RESULTS"

if [[ "${BENCH_ONLY:-}" != ttft ]]; then
echo "1/6 latency and throughput (direct vs through the gateway) ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.LatencyBench \
  --direct "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" \
  --gateway "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" \
  --key "$DEMO_KEY" --gateway-pid "$GATEWAY_PID" --upstream-pid "$UPSTREAM_PID" \
  --title "Latency seen by the client, mock upstream answering at once" \
  ${BENCH_LATENCY_ARGS:-} >> "$RESULTS"

echo "2/6 c=32 paced at 1000 requests/s, below saturation ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.LatencyBench \
  --direct "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" \
  --gateway "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" \
  --key "$DEMO_KEY" --gateway-pid "$GATEWAY_PID" --upstream-pid "$UPSTREAM_PID" \
  --concurrency 32 --rounds 2 --requests-c32 10000 --warmup 5000 --phase-warmup 1000 --rate 1000 \
  --title "Latency seen by the client, mock upstream answering at once" \
  ${BENCH_PACED_ARGS:-} >> "$RESULTS"

echo "3/6 the same with an upstream that takes 20 ms (c=32) ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.LatencyBench \
  --direct "http://127.0.0.1:$SLOW_UPSTREAM_PORT/v1/chat/completions" \
  --gateway "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" \
  --key "$DEMO_KEY" --gateway-pid "$GATEWAY_PID" --upstream-pid "$SLOW_UPSTREAM_PID" \
  --model bench-slow --concurrency 32 --rounds 2 --requests-c32 4000 --warmup 3000 \
  --title "Latency seen by the client, mock upstream taking 20 ms" \
  ${BENCH_SLOW_ARGS:-} >> "$RESULTS"

fi

echo "4/6 time to first token, streamed (direct vs through the gateway) ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.TtftBench \
  --direct "http://127.0.0.1:$STREAM_UPSTREAM_PORT/v1/chat/completions" \
  --gateway "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" \
  --key "$DEMO_KEY" ${BENCH_TTFT_ARGS:-} >> "$RESULTS"

if [[ "${BENCH_ONLY:-}" != ttft ]]; then
echo "5/6 Lambda cold init (new JVMs on $LAMBDA_JAR, config from the dev server's DynamoDB Local) ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.ColdStartBench \
  --classpath "$ROOT/$LAMBDA_JAR:$ROOT/$BENCH_JAR" \
  --dynamodb-endpoint "http://127.0.0.1:$DYNAMODB_PORT" --key "$DEMO_KEY" --aot-cache "$WORK/probe.aot" \
  ${BENCH_COLD_ARGS:-} >> "$RESULTS"

stop_all # the dev-server measurement runs alone

echo "6/6 dev server start ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.DevStartBench \
  --jar "$ROOT/$CLI_JAR" --key "$DEMO_KEY" --directory "$ROOT" ${BENCH_DEV_ARGS:-} >> "$RESULTS"
fi

echo "- Load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS"

mkdir -p bench/results
cp "$RESULTS" bench/results/latest.md
echo
cat "$RESULTS"
echo "Written to bench/results/latest.md"
