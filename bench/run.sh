#!/usr/bin/env bash
# Tollgate's benchmark, on loopback only: the gateway's added latency and throughput against the
# mock upstream, the dev server's time to first answer, the proxy Lambda's cold init and what
# limit policies add to a request.
#
#   bash bench/run.sh            builds the jars if missing (BENCH_REBUILD=1 forces a build)
#   BENCH_ONLY=ttft bash bench/run.sh     only the streamed time-to-first-token phase (about 1 minute)
#   BENCH_ONLY=limits bash bench/run.sh   only the limits phase (about 3 minutes; BENCH_LIMIT_CALLS=0
#                                         skips its DynamoDB call count, a Maven test run)
#   BENCH_ONLY=security bash bench/run.sh only the security phase: a guard, a decorator and a PII
#                                         filter against none (about 2 minutes)
#   BENCH_ONLY=routing bash bench/run.sh  only the routing decision, in process: 10 rules and 10
#                                         targets, with and without a semantic rule (about 1 minute)
#   BENCH_ONLY=cache bash bench/run.sh    only the response cache phase: a hit against an upstream
#                                         call taking 20 ms (about 1 minute)
#   BENCH_ONLY=rag bash bench/run.sh      only the retrieval phase: recall on bench/rag-eval and
#                                         latency at 10,000 chunks (about 2 minutes once the
#                                         vectors are cached in bench/target; the first run embeds
#                                         10,000 texts with MiniLM, several minutes more)
#
# Prints a results table and writes it to bench/results/latest.md. Takes about 3-5 minutes, plus
# about 3 for the limits phase, 2 for the security phase and 2 (first run: 8) for the retrieval phase.
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

# bench.yaml with its three upstream ports filled in: $1 for every alias, or $1 $2 $3.
bench_config() {
  sed -e "s/SLOW_UPSTREAM_PORT/${2:-$1}/" -e "s/STREAM_UPSTREAM_PORT/${3:-$1}/" -e "s/UPSTREAM_PORT/$1/" bench/bench.yaml
}

# Starts `tollgate dev` with the demo key: $1 log name, $2 port, $3 config, $4 DynamoDB Local port,
# $5 "audit" to write audit records. Without it the gateway writes none: the phases measure the
# gateway, not DynamoDB Local's PutItem, which the security phase measures on its own (c).
# Sets STARTED_PID.
start_dev() {
  local audit=--no-audit
  if [[ "${5:-}" == audit ]]; then audit=; fi
  java -jar "$CLI_JAR" dev --port "$2" --config "$3" --demo-key "$DEMO_KEY" --dynamodb-port "$4" $audit > "$WORK/$1.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}

DEMO_KEY="tg-bench-$(date +%s)-$RANDOM"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u +"%Y-%m-%d %H:%M UTC")
echo "Tollgate benchmark, $STARTED, load average $LOAD_BEFORE"

RESULTS="$WORK/results.md"
{
  echo "## Tollgate benchmark"
  echo
  echo "- Date: $STARTED; command: \`${BENCH_ONLY:+BENCH_ONLY=$BENCH_ONLY }bash bench/run.sh\`; commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "- JDK: $(java -version 2>&1 | sed -n 2p)"
  echo "- Load generator, gateway (\`tollgate dev\`), mock upstream (\`tollgate mock-upstream\`) and probes all share this machine, on 127.0.0.1."
  echo
} > "$RESULTS"

if [[ "${BENCH_ONLY:-}" != limits && "${BENCH_ONLY:-}" != security && "${BENCH_ONLY:-}" != routing && "${BENCH_ONLY:-}" != cache && "${BENCH_ONLY:-}" != rag ]]; then
read -r UPSTREAM_PORT SLOW_UPSTREAM_PORT STREAM_UPSTREAM_PORT GATEWAY_PORT DYNAMODB_PORT \
  < <(java -cp "$BENCH_JAR" dev.tollgate.bench.FreePorts 5)
bench_config "$UPSTREAM_PORT" "$SLOW_UPSTREAM_PORT" "$STREAM_UPSTREAM_PORT" > "$WORK/bench.yaml"

java -jar "$CLI_JAR" mock-upstream --port "$UPSTREAM_PORT" > "$WORK/upstream.log" 2>&1 &
UPSTREAM_PID=$!
PIDS+=("$UPSTREAM_PID")
java -jar "$CLI_JAR" mock-upstream --port "$SLOW_UPSTREAM_PORT" --latency-ms 20 > "$WORK/slow-upstream.log" 2>&1 &
SLOW_UPSTREAM_PID=$!
PIDS+=("$SLOW_UPSTREAM_PID")
java -jar "$CLI_JAR" mock-upstream --port "$STREAM_UPSTREAM_PORT" --chunk-interval-ms 20 > "$WORK/stream-upstream.log" 2>&1 &
STREAM_UPSTREAM_PID=$!
PIDS+=("$STREAM_UPSTREAM_PID")
start_dev gateway "$GATEWAY_PORT" "$WORK/bench.yaml" "$DYNAMODB_PORT"
GATEWAY_PID=$STARTED_PID
await_line "$UPSTREAM_PID" "$WORK/upstream.log" "Mock upstream:"
await_line "$SLOW_UPSTREAM_PID" "$WORK/slow-upstream.log" "Mock upstream:"
await_line "$STREAM_UPSTREAM_PID" "$WORK/stream-upstream.log" "Mock upstream:"
await_line "$GATEWAY_PID" "$WORK/gateway.log" "Tollgate dev server:"

if [[ "${BENCH_ONLY:-}" != ttft ]]; then
echo "1/8 latency and throughput (direct vs through the gateway) ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.LatencyBench \
  --direct "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" \
  --gateway "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" \
  --key "$DEMO_KEY" --gateway-pid "$GATEWAY_PID" --upstream-pid "$UPSTREAM_PID" \
  --title "Latency seen by the client, mock upstream answering at once" \
  ${BENCH_LATENCY_ARGS:-} >> "$RESULTS"

echo "2/8 c=32 paced at 1000 requests/s, below saturation ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.LatencyBench \
  --direct "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" \
  --gateway "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" \
  --key "$DEMO_KEY" --gateway-pid "$GATEWAY_PID" --upstream-pid "$UPSTREAM_PID" \
  --concurrency 32 --rounds 2 --requests-c32 10000 --warmup 5000 --phase-warmup 1000 --rate 1000 \
  --title "Latency seen by the client, mock upstream answering at once" \
  ${BENCH_PACED_ARGS:-} >> "$RESULTS"

echo "3/8 the same with an upstream that takes 20 ms (c=32) ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.LatencyBench \
  --direct "http://127.0.0.1:$SLOW_UPSTREAM_PORT/v1/chat/completions" \
  --gateway "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" \
  --key "$DEMO_KEY" --gateway-pid "$GATEWAY_PID" --upstream-pid "$SLOW_UPSTREAM_PID" \
  --model bench-slow --concurrency 32 --rounds 2 --requests-c32 4000 --warmup 3000 \
  --title "Latency seen by the client, mock upstream taking 20 ms" \
  ${BENCH_SLOW_ARGS:-} >> "$RESULTS"

fi

echo "4/8 time to first token, streamed (direct vs through the gateway) ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.TtftBench \
  --direct "http://127.0.0.1:$STREAM_UPSTREAM_PORT/v1/chat/completions" \
  --gateway "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" \
  --key "$DEMO_KEY" ${BENCH_TTFT_ARGS:-} >> "$RESULTS"

if [[ "${BENCH_ONLY:-}" != ttft ]]; then
echo "5/8 Lambda cold init (new JVMs on $LAMBDA_JAR, config from the dev server's DynamoDB Local) ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.ColdStartBench \
  --classpath "$ROOT/$LAMBDA_JAR:$ROOT/$BENCH_JAR" \
  --dynamodb-endpoint "http://127.0.0.1:$DYNAMODB_PORT" --key "$DEMO_KEY" --aot-cache "$WORK/probe.aot" \
  ${BENCH_COLD_ARGS:-} >> "$RESULTS"

stop_all # the dev-server measurement runs alone

echo "6/8 dev server start ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.DevStartBench \
  --jar "$ROOT/$CLI_JAR" --key "$DEMO_KEY" --directory "$ROOT" ${BENCH_DEV_ARGS:-} >> "$RESULTS"
fi
fi # BENCH_ONLY is not limits, security, routing, cache or rag

if [[ -z "${BENCH_ONLY:-}" || "${BENCH_ONLY:-}" == limits ]]; then
# Limits: the same load through three dev servers (each with its own DynamoDB Local, all served on a
# port so the gateway reaches its counters over HTTP through the SDK, as on AWS) whose configs are
# bench.yaml plus nothing, plus bench/limits-one.yaml, plus bench/limits-three.yaml.
stop_all
echo "7/8 limits: three dev servers whose configs differ only in their limits (none, one cluster policy, three) ..."
read -r L_UPSTREAM_PORT L_PORT_A L_PORT_B L_PORT_C L_DYNAMODB_A L_DYNAMODB_B L_DYNAMODB_C \
  < <(java -cp "$BENCH_JAR" dev.tollgate.bench.FreePorts 7)
bench_config "$L_UPSTREAM_PORT" > "$WORK/limits-none.yaml"
cat "$WORK/limits-none.yaml" bench/limits-one.yaml > "$WORK/limits-one.yaml"
cat "$WORK/limits-none.yaml" bench/limits-three.yaml > "$WORK/limits-three.yaml"
java -jar "$CLI_JAR" mock-upstream --port "$L_UPSTREAM_PORT" > "$WORK/limits-upstream.log" 2>&1 &
L_UPSTREAM_PID=$!
PIDS+=("$L_UPSTREAM_PID")
start_dev limits-a "$L_PORT_A" "$WORK/limits-none.yaml" "$L_DYNAMODB_A"
L_PID_A=$STARTED_PID
start_dev limits-b "$L_PORT_B" "$WORK/limits-one.yaml" "$L_DYNAMODB_B"
L_PID_B=$STARTED_PID
start_dev limits-c "$L_PORT_C" "$WORK/limits-three.yaml" "$L_DYNAMODB_C"
L_PID_C=$STARTED_PID
await_line "$L_UPSTREAM_PID" "$WORK/limits-upstream.log" "Mock upstream:"
await_line "$L_PID_A" "$WORK/limits-a.log" "Tollgate dev server:"
await_line "$L_PID_B" "$WORK/limits-b.log" "Tollgate dev server:"
await_line "$L_PID_C" "$WORK/limits-c.log" "Tollgate dev server:"
java -cp "$BENCH_JAR" dev.tollgate.bench.LimitsBench \
  --baseline "http://127.0.0.1:$L_PORT_A/v1/chat/completions" \
  --one "http://127.0.0.1:$L_PORT_B/v1/chat/completions" \
  --three "http://127.0.0.1:$L_PORT_C/v1/chat/completions" \
  --key "$DEMO_KEY" --pids "$L_PID_A,$L_PID_B,$L_PID_C" ${BENCH_LIMITS_ARGS:-} >> "$RESULTS"
echo "  DynamoDB Local's own round trip per call ..."
java -cp "$BENCH_JAR" dev.tollgate.bench.DynamoDbLocalCalls --endpoint "http://127.0.0.1:$L_DYNAMODB_B" --pid "$L_PID_B" \
  ${BENCH_DYNAMODB_ARGS:-} >> "$RESULTS"
stop_all

# The DynamoDB calls per request are counted, not modelled: a JUnit test drives the gateway on a
# counting SDK client and writes its table to shared/target; if a count is not what it asserts, the
# results say the test failed instead. test-compile is a no-op when the build above is current.
if [[ "${BENCH_LIMIT_CALLS:-1}" == 1 ]]; then
  echo "  counting DynamoDB calls per request (DynamoDbQuotaGatewayCallsTest) ..."
  CALLS_TABLE=shared/target/dynamodb-calls-per-request.md
  rm -f "$CALLS_TABLE"
  if mvn -B -q -pl shared test-compile surefire:test -Dtest=DynamoDbQuotaGatewayCallsTest > "$WORK/calls.log" 2>&1; then
    { echo "### Limits: DynamoDB calls per request"; echo; cat "$CALLS_TABLE"; echo; } >> "$RESULTS"
  else
    tail -40 "$WORK/calls.log" >&2
    { echo "### Limits: DynamoDB calls per request"; echo; echo "The count test failed (DynamoDbQuotaGatewayCallsTest); see the run's output."; echo; } >> "$RESULTS"
  fi
fi
fi

if [[ -z "${BENCH_ONLY:-}" || "${BENCH_ONLY:-}" == security ]]; then
# Security policies: the same load through three dev servers: bench.yaml as it is, bench.yaml plus
# bench/security.yaml (a guard, a decorator, a PII filter on both sides), and bench.yaml again
# with audit records on: what the policies cost, and what one audit PutItem costs.
stop_all
echo "8/8 security: three dev servers (none; a guard, a decorator and a PII filter; audit records on) ..."
read -r S_UPSTREAM_PORT S_PORT_A S_PORT_B S_PORT_C S_DYNAMODB_A S_DYNAMODB_B S_DYNAMODB_C \
  < <(java -cp "$BENCH_JAR" dev.tollgate.bench.FreePorts 7)
bench_config "$S_UPSTREAM_PORT" > "$WORK/security-none.yaml"
cat "$WORK/security-none.yaml" bench/security.yaml > "$WORK/security-on.yaml"
java -jar "$CLI_JAR" mock-upstream --port "$S_UPSTREAM_PORT" > "$WORK/security-upstream.log" 2>&1 &
S_UPSTREAM_PID=$!
PIDS+=("$S_UPSTREAM_PID")
start_dev security-a "$S_PORT_A" "$WORK/security-none.yaml" "$S_DYNAMODB_A"
S_PID_A=$STARTED_PID
start_dev security-b "$S_PORT_B" "$WORK/security-on.yaml" "$S_DYNAMODB_B"
S_PID_B=$STARTED_PID
start_dev security-c "$S_PORT_C" "$WORK/security-none.yaml" "$S_DYNAMODB_C" audit
S_PID_C=$STARTED_PID
await_line "$S_UPSTREAM_PID" "$WORK/security-upstream.log" "Mock upstream:"
await_line "$S_PID_A" "$WORK/security-a.log" "Tollgate dev server:"
await_line "$S_PID_B" "$WORK/security-b.log" "Tollgate dev server:"
await_line "$S_PID_C" "$WORK/security-c.log" "Tollgate dev server:"
java -cp "$BENCH_JAR" dev.tollgate.bench.LimitsBench --title "Security policies" \
  --label-a "(a) no security policy, no audit record" \
  --label-b "(b) guard (3 deny patterns, all roles and messages) + decorator + PII filter on both sides" \
  --label-c "(c) as (a), with an audit record per request (PutItem to DynamoDB Local)" \
  --baseline "http://127.0.0.1:$S_PORT_A/v1/chat/completions" \
  --one "http://127.0.0.1:$S_PORT_B/v1/chat/completions" \
  --three "http://127.0.0.1:$S_PORT_C/v1/chat/completions" \
  --key "$DEMO_KEY" --pids "$S_PID_A,$S_PID_B,$S_PID_C" ${BENCH_SECURITY_ARGS:-} >> "$RESULTS"
stop_all
fi

if [[ -z "${BENCH_ONLY:-}" || "${BENCH_ONLY:-}" == routing ]]; then
# Routing decision (issue 5): RoutingRulePolicy and the target pick in one JVM, no HTTP, so the
# figures are the decision alone. It runs on the CLI jar, which carries the in-process MiniLM model.
stop_all
echo "routing: decision time with 10 rules and 10 targets, with and without a semantic rule (MiniLM) ..."
java --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir="$WORK" \
  -cp "$BENCH_JAR:$CLI_JAR" dev.tollgate.bench.RoutingDecisionBench \
  ${BENCH_ROUTING_ARGS:-} >> "$RESULTS" 2> "$WORK/routing.log" || { tail -20 "$WORK/routing.log" >&2; exit 1; }
fi

if [[ -z "${BENCH_ONLY:-}" || "${BENCH_ONLY:-}" == cache ]]; then
# Response cache: one dev server caching bench-slow (mock upstream waiting 20 ms); the same request
# answered by the upstream (Cache-Control: no-store) and from the cache table (a hit).
stop_all
echo "cache: a cache hit against an upstream call through one dev server ..."
read -r C_UPSTREAM_PORT C_PORT C_DYNAMODB < <(java -cp "$BENCH_JAR" dev.tollgate.bench.FreePorts 3)
bench_config "$C_UPSTREAM_PORT" > "$WORK/cache.yaml"
cat bench/cache.yaml >> "$WORK/cache.yaml"
java -jar "$CLI_JAR" mock-upstream --port "$C_UPSTREAM_PORT" --latency-ms 20 > "$WORK/cache-upstream.log" 2>&1 &
C_UPSTREAM_PID=$!
PIDS+=("$C_UPSTREAM_PID")
start_dev cache "$C_PORT" "$WORK/cache.yaml" "$C_DYNAMODB"
C_PID=$STARTED_PID
await_line "$C_UPSTREAM_PID" "$WORK/cache-upstream.log" "Mock upstream:"
await_line "$C_PID" "$WORK/cache.log" "Tollgate dev server:"
java -cp "$BENCH_JAR" dev.tollgate.bench.CacheBench --gateway "http://127.0.0.1:$C_PORT/v1/chat/completions" \
  --key "$DEMO_KEY" --model bench-slow ${BENCH_CACHE_ARGS:-} >> "$RESULTS"
stop_all
fi

if [[ -z "${BENCH_ONLY:-}" || "${BENCH_ONLY:-}" == rag ]]; then
# Retrieval (issue 7): no server, one JVM each, on the CLI jar's classpath (its readers, chunker,
# index and the in-process MiniLM model). RagLatency caches its 10,000 vectors in bench/target.
stop_all
echo "retrieval: recall@5 on bench/rag-eval (cosine and BM25 blend), then latency at 10,000 chunks ..."
java --enable-native-access=ALL-UNNAMED -cp "$BENCH_JAR:$CLI_JAR" dev.tollgate.bench.RagEval --set bench/rag-eval \
  ${BENCH_RAG_EVAL_ARGS:-} >> "$RESULTS" 2> "$WORK/rag-eval.log" || { tail -20 "$WORK/rag-eval.log" >&2; exit 1; }
java --enable-native-access=ALL-UNNAMED -cp "$BENCH_JAR:$CLI_JAR" dev.tollgate.bench.RagLatency --set bench/rag-eval \
  --cache bench/target/rag-latency-vectors.bin ${BENCH_RAG_LATENCY_ARGS:-} >> "$RESULTS" 2> "$WORK/rag-latency.log" \
  || { tail -20 "$WORK/rag-latency.log" >&2; exit 1; }
fi

echo "- Load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS"

mkdir -p bench/results
cp "$RESULTS" bench/results/latest.md
echo
cat "$RESULTS"
echo "Written to bench/results/latest.md"
