#!/usr/bin/env bash
# Runs the Courier RPC benchmark suite and writes docs/benchmarks.md and docs/benchmarks.svg.
#
# Builds once, then for each run, load mode and contender (one at a time): starts the contender's
# server JVM on a free loopback port, runs the client JVM (prewarm with a mix of all four methods,
# then warm-up and measurement per concurrency and method), stops the server. Then the scaling
# phase: Courier next to raw Netty for getUser as the callers grow, and for getProfile (getUser
# plus a bio) as the response grows. Then the TLS phase: getUser over plaintext Courier next to Courier
# over TLS with the JDK and the OpenSSL provider. Then the streaming phase: Courier next to gRPC, each
# caller opening a server stream of STREAMING_MESSAGES users and consuming it whole, again and again.
# Then the HTTP phase: getUser over Courier's HTTP/JSON next to a Spring MVC @RestController, one HTTP
# client for both. Then the JMH codec benchmarks with -prof gc, then the report.
# The default full run takes about an hour. Every setting is an environment variable:
#
#   PREWARM_SECONDS=60  WARMUP_SECONDS=10  MEASURE_SECONDS=30
#   CONCURRENCY="32"            space- or comma-separated, e.g. "32 1 128"
#   METHODS="getUser,listUser,existUser,createUser"
#   CONTENDERS="courier dubbo grpc raw-netty raw-netty-batched"   (also: courier-inline, a diagnostic,
#                               and courier-tls-jdk, courier-tls-openssl)
#   MODES="async sync"          "async", "sync" or both
#   RUNS=1                      repeat the whole suite (RUNS=2 shows the noise); scaling and TLS run once
#   MAIN=1                      0 skips the main suite (e.g. a TLS-only run)
#   SCALING=1                   0 skips the scaling phase
#   SCALING_CONTENDERS="courier raw-netty"   contenders serving getProfile: courier*, raw-netty*
#   SCALING_MODES="async sync"
#   SCALING_CALLERS="1 8 32 128 512"         callers sweep, getUser
#   SCALING_BIO_BYTES="100 4096 65536"       payload sweep, getProfile with a bio of this many bytes
#   SCALING_BIO_CALLERS=32                   callers of the payload sweep
#   SCALING_PREWARM_SECONDS=30  SCALING_WARMUP_SECONDS=5  SCALING_MEASURE_SECONDS=10
#   TLS=1                       0 skips the TLS phase
#   TLS_CONTENDERS="courier courier-tls-jdk courier-tls-openssl"   plaintext first: the ratios divide by it
#   TLS_MODES="async"  TLS_CALLERS=32                              getUser only; callers may be a list
#   TLS_PREWARM_SECONDS TLS_WARMUP_SECONDS TLS_MEASURE_SECONDS     default: the SCALING_* durations
#   STREAMING=1                 0 skips the streaming phase
#   STREAMING_CONTENDERS="courier grpc"      Courier first: the ratios divide by gRPC
#   STREAMING_MODES="async sync"   async: Reactor count() / gRPC async stub; sync: RpcStreams.iterate / blocking stub;
#                               the target compares each contender's faster mode
#   STREAMING_CALLERS="8 32"    callers, each with one stream open at a time
#   STREAMING_MESSAGES=1000     users per stream
#   STREAMING_PREWARM_SECONDS STREAMING_WARMUP_SECONDS STREAMING_MEASURE_SECONDS   default: the SCALING_* durations
#   HTTP=1                      0 skips the HTTP phase: getUser over Courier's HTTP/JSON next to Spring MVC
#   HTTP_CONTENDERS="courier-http spring-mvc"   Spring MVC last: the ratios divide by it
#   HTTP_CALLERS=32                              getUser only, async; callers may be a list
#   HTTP_PREWARM_SECONDS HTTP_WARMUP_SECONDS HTTP_MEASURE_SECONDS  default: the SCALING_* durations
#   JMH=1                       0 skips the JMH benchmarks
#   JMH_ARGS="-f 1 -wi 3 -w 2s -i 5 -r 2s"
#   JVM_FLAGS="-Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch -Dnetty.epoll.enable=true"
#   SKIP_BUILD=0                1 reuses the last build
#   OUT_MD=docs/benchmarks.md  OUT_SVG=docs/benchmarks.svg
#
# Example, a short smoke run:
#   PREWARM_SECONDS=10 WARMUP_SECONDS=3 MEASURE_SECONDS=5 SCALING_PREWARM_SECONDS=5 \
#   SCALING_WARMUP_SECONDS=2 SCALING_MEASURE_SECONDS=3 rpc-benchmark/run.sh
# TLS only, into a scratch report:
#   MAIN=0 SCALING=0 JMH=0 OUT_MD=/tmp/tls.md OUT_SVG=/tmp/tls.svg rpc-benchmark/run.sh
# Streaming only, into a scratch report:
#   MAIN=0 SCALING=0 TLS=0 JMH=0 HTTP=0 OUT_MD=/tmp/stream.md OUT_SVG=/tmp/stream.svg rpc-benchmark/run.sh
# HTTP only, likewise: MAIN=0 SCALING=0 TLS=0 JMH=0 STREAMING=0 OUT_MD=/tmp/http.md OUT_SVG=/tmp/http.svg rpc-benchmark/run.sh
# Work files (results.jsonl, scaling.jsonl, tls.jsonl, streaming.jsonl, http.jsonl, the TLS certificate, logs, server stats, jmh.json) go to
# rpc-benchmark/target/bench/<timestamp>/.
set -euo pipefail
cd "$(dirname "$0")/.."

PREWARM_SECONDS=${PREWARM_SECONDS:-60}
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
MEASURE_SECONDS=${MEASURE_SECONDS:-30}
CONCURRENCY=${CONCURRENCY:-32}
METHODS=${METHODS:-getUser,listUser,existUser,createUser}
CONTENDERS=${CONTENDERS:-courier dubbo grpc raw-netty raw-netty-batched}
MODES=${MODES:-async sync}
RUNS=${RUNS:-1}
MAIN=${MAIN:-1}
SCALING=${SCALING:-1}
SCALING_CONTENDERS=${SCALING_CONTENDERS:-courier raw-netty}
SCALING_MODES=${SCALING_MODES:-async sync}
SCALING_CALLERS=${SCALING_CALLERS:-1 8 32 128 512}
SCALING_BIO_BYTES=${SCALING_BIO_BYTES:-100 4096 65536}
SCALING_BIO_CALLERS=${SCALING_BIO_CALLERS:-32}
SCALING_PREWARM_SECONDS=${SCALING_PREWARM_SECONDS:-30}
SCALING_WARMUP_SECONDS=${SCALING_WARMUP_SECONDS:-5}
SCALING_MEASURE_SECONDS=${SCALING_MEASURE_SECONDS:-10}
TLS=${TLS:-1}
TLS_CONTENDERS=${TLS_CONTENDERS:-courier courier-tls-jdk courier-tls-openssl}
TLS_MODES=${TLS_MODES:-async}
TLS_CALLERS=${TLS_CALLERS:-32}
TLS_PREWARM_SECONDS=${TLS_PREWARM_SECONDS:-$SCALING_PREWARM_SECONDS}
TLS_WARMUP_SECONDS=${TLS_WARMUP_SECONDS:-$SCALING_WARMUP_SECONDS}
TLS_MEASURE_SECONDS=${TLS_MEASURE_SECONDS:-$SCALING_MEASURE_SECONDS}
STREAMING=${STREAMING:-1}
STREAMING_CONTENDERS=${STREAMING_CONTENDERS:-courier grpc}
STREAMING_MODES=${STREAMING_MODES:-async sync}
STREAMING_CALLERS=${STREAMING_CALLERS:-8 32}
STREAMING_MESSAGES=${STREAMING_MESSAGES:-1000}
STREAMING_PREWARM_SECONDS=${STREAMING_PREWARM_SECONDS:-$SCALING_PREWARM_SECONDS}
STREAMING_WARMUP_SECONDS=${STREAMING_WARMUP_SECONDS:-$SCALING_WARMUP_SECONDS}
STREAMING_MEASURE_SECONDS=${STREAMING_MEASURE_SECONDS:-$SCALING_MEASURE_SECONDS}
HTTP=${HTTP:-1}
HTTP_CONTENDERS=${HTTP_CONTENDERS:-courier-http spring-mvc}
HTTP_CALLERS=${HTTP_CALLERS:-32}
HTTP_PREWARM_SECONDS=${HTTP_PREWARM_SECONDS:-$SCALING_PREWARM_SECONDS}
HTTP_WARMUP_SECONDS=${HTTP_WARMUP_SECONDS:-$SCALING_WARMUP_SECONDS}
HTTP_MEASURE_SECONDS=${HTTP_MEASURE_SECONDS:-$SCALING_MEASURE_SECONDS}
JMH=${JMH:-1}
JMH_ARGS=${JMH_ARGS:--f 1 -wi 3 -w 2s -i 5 -r 2s}
JVM_FLAGS=${JVM_FLAGS:--Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch -Dnetty.epoll.enable=true}
SKIP_BUILD=${SKIP_BUILD:-0}
OUT_MD=${OUT_MD:-docs/benchmarks.md}
OUT_SVG=${OUT_SVG:-docs/benchmarks.svg}

CONCURRENCY=${CONCURRENCY//[, ]/,}
METHODS=${METHODS//[, ]/,}
SCALING_CALLERS=${SCALING_CALLERS//[, ]/,}
TLS_CALLERS=${TLS_CALLERS//[, ]/,}
STREAMING_CALLERS=${STREAMING_CALLERS//[, ]/,}
HTTP_CALLERS=${HTTP_CALLERS//[, ]/,}
bio_methods=
for b in ${SCALING_BIO_BYTES//,/ }; do bio_methods+="${bio_methods:+,}getProfile:$b"; done
SCALING_BIO_BYTES=${SCALING_BIO_BYTES//[, ]/,}
# Every setting that changes what is measured, so that the report's command reproduces it.
COMMAND="PREWARM_SECONDS=$PREWARM_SECONDS WARMUP_SECONDS=$WARMUP_SECONDS MEASURE_SECONDS=$MEASURE_SECONDS \
MAIN=$MAIN CONCURRENCY=$CONCURRENCY METHODS=$METHODS CONTENDERS=\"$CONTENDERS\" MODES=\"$MODES\" RUNS=$RUNS \
SCALING=$SCALING SCALING_CONTENDERS=\"$SCALING_CONTENDERS\" SCALING_MODES=\"$SCALING_MODES\" \
SCALING_CALLERS=$SCALING_CALLERS SCALING_BIO_BYTES=$SCALING_BIO_BYTES SCALING_BIO_CALLERS=$SCALING_BIO_CALLERS \
SCALING_PREWARM_SECONDS=$SCALING_PREWARM_SECONDS SCALING_WARMUP_SECONDS=$SCALING_WARMUP_SECONDS \
SCALING_MEASURE_SECONDS=$SCALING_MEASURE_SECONDS TLS=$TLS TLS_CONTENDERS=\"$TLS_CONTENDERS\" \
TLS_MODES=\"$TLS_MODES\" TLS_CALLERS=$TLS_CALLERS TLS_PREWARM_SECONDS=$TLS_PREWARM_SECONDS \
TLS_WARMUP_SECONDS=$TLS_WARMUP_SECONDS TLS_MEASURE_SECONDS=$TLS_MEASURE_SECONDS STREAMING=$STREAMING \
STREAMING_CONTENDERS=\"$STREAMING_CONTENDERS\" STREAMING_MODES=\"$STREAMING_MODES\" STREAMING_CALLERS=$STREAMING_CALLERS \
STREAMING_MESSAGES=$STREAMING_MESSAGES STREAMING_PREWARM_SECONDS=$STREAMING_PREWARM_SECONDS \
STREAMING_WARMUP_SECONDS=$STREAMING_WARMUP_SECONDS STREAMING_MEASURE_SECONDS=$STREAMING_MEASURE_SECONDS \
HTTP=$HTTP HTTP_CONTENDERS=\"$HTTP_CONTENDERS\" HTTP_CALLERS=$HTTP_CALLERS HTTP_PREWARM_SECONDS=$HTTP_PREWARM_SECONDS \
HTTP_WARMUP_SECONDS=$HTTP_WARMUP_SECONDS HTTP_MEASURE_SECONDS=$HTTP_MEASURE_SECONDS JMH=$JMH JMH_ARGS=\"$JMH_ARGS\" JVM_FLAGS=\"$JVM_FLAGS\" \
rpc-benchmark/run.sh"

WORK=rpc-benchmark/target/bench/$(date -u +%Y%m%dT%H%M%SZ)
JAR=rpc-benchmark/target/rpc-benchmark-0.1.0-SNAPSHOT.jar
CP="$JAR:rpc-benchmark/target/lib/*"
server_pid=

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nBENCHMARK FAILED: %s\n' "$*" >&2; exit 1; }

stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
trap stop_server EXIT

command -v java >/dev/null || fail "java not found: install a JDK 17 or newer"
mkdir -p "$WORK"
# Anything else running on the machine skews every number: record how busy it was.
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

if [[ "$SKIP_BUILD" != 1 ]]; then
  step "Building (./mvnw -B -q -DskipTests -pl rpc-benchmark -am package)"
  rm -rf rpc-benchmark/target/lib
  ./mvnw -B -q -DskipTests -pl rpc-benchmark -am package
fi
[[ -f "$JAR" ]] || fail "$JAR is missing: build first, or unset SKIP_BUILD"

# Starts a contender's server JVM on a free loopback port and waits until it is ready.
# Sets server_pid, port and stats (its CPU and allocation samples). Args: contender, file tag, then
# more server options.
start_server() {
  local contender=$1 log=$WORK/server-$1-$2.log
  stats=$WORK/server-$1-$2.tsv
  shift 2
  # shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
  java $JVM_FLAGS -cp "$CP" io.courier.rpc.benchmark.load.BenchmarkServer \
    --contender="$contender" --host=127.0.0.1 --port=0 --stats="$stats" "$@" >"$log" 2>&1 &
  server_pid=$!
  port=
  for _ in $(seq 1 600); do
    # The log may not exist yet: the server's shell has not opened it. Not an error under set -e.
    port=$(sed -n 's/^READY [^ ]* \([0-9]*\)$/\1/p' "$log" 2>/dev/null || true)
    [[ -n "$port" ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; fail "$contender server exited during start-up"; }
    sleep 0.1
  done
  cat "$log" >&2
  fail "$contender server not ready after 60 s"
}

# Runs one client JVM against the server started last. Args: contender, file tag, then client options.
# Its time limit (after which it counts as hung) follows from the concurrencies, methods and durations.
run_client() {
  local contender=$1 err=$WORK/client-$1-$2.err arg prewarm=0 warmup=0 measure=0 n_conc=1 n_methods=1
  shift 2
  for arg in "$@"; do
    case $arg in
      --prewarm=*) prewarm=${arg#*=} ;;
      --warmup=*) warmup=${arg#*=} ;;
      --measure=*) measure=${arg#*=} ;;
      --concurrency=*) n_conc=$(tr ',' '\n' <<<"${arg#*=}" | grep -c .) ;;
      --methods=*) n_methods=$(tr ',' '\n' <<<"${arg#*=}" | grep -c .) ;;
    esac
  done
  local limit=$(( ${prewarm%.*} + n_conc * n_methods * (${warmup%.*} + ${measure%.*} + 40) + 120 ))
  # shellcheck disable=SC2086
  timeout "$limit" java $JVM_FLAGS -cp "$CP" io.courier.rpc.benchmark.load.BenchmarkClient \
    --contender="$contender" --host=127.0.0.1 --port="$port" --server-stats="$stats" "$@" 2>"$err" \
    || { tail -20 "$err" >&2; fail "$contender client failed"; }
}

results_json=
if [[ "$MAIN" == 1 ]]; then results_json=$WORK/results.jsonl; fi
for run in $(seq 1 "$RUNS"); do
  [[ "$MAIN" == 1 ]] || break
  for mode in $MODES; do
    for contender in $CONTENDERS; do
      step "Run $run/$RUNS, $mode, $contender"
      start_server "$contender" "$mode-$run"
      run_client "$contender" "$mode-$run" --mode="$mode" --run="$run" \
        --concurrency="$CONCURRENCY" --methods="$METHODS" --prewarm="$PREWARM_SECONDS" \
        --warmup="$WARMUP_SECONDS" --measure="$MEASURE_SECONDS" --results="$WORK/results.jsonl"
      stop_server
    done
  done
done

scaling_json=
if [[ "$SCALING" == 1 ]]; then
  scaling_json=$WORK/scaling.jsonl
  for mode in $SCALING_MODES; do
    for contender in $SCALING_CONTENDERS; do
      step "Scaling, $mode, $contender: getUser at $SCALING_CALLERS callers; $bio_methods at $SCALING_BIO_CALLERS"
      start_server "$contender" "scaling-$mode"
      # The callers sweep prewarms at 32 callers whatever the first count is: one caller warms the JIT slowly.
      run_client "$contender" "scaling-callers-$mode" --mode="$mode" --concurrency="$SCALING_CALLERS" \
        --methods=getUser --prewarm="$SCALING_PREWARM_SECONDS" --prewarm-concurrency=32 \
        --warmup="$SCALING_WARMUP_SECONDS" --measure="$SCALING_MEASURE_SECONDS" --results="$scaling_json"
      # A second client JVM on the same (warm) server; its own JIT needs a shorter prewarm on the probe.
      run_client "$contender" "scaling-payload-$mode" --mode="$mode" --concurrency="$SCALING_BIO_CALLERS" \
        --methods="$bio_methods" --prewarm=$(( SCALING_PREWARM_SECONDS / 2 )) --prewarm-method="${bio_methods%%,*}" \
        --warmup="$SCALING_WARMUP_SECONDS" --measure="$SCALING_MEASURE_SECONDS" --results="$scaling_json"
      stop_server
    done
  done
fi

tls_json=
if [[ "$TLS" == 1 ]]; then
  tls_json=$WORK/tls.jsonl
  # The courier-tls-* servers write a new self-signed certificate here; their clients trust it.
  tls_dir=$WORK/tls
  for mode in $TLS_MODES; do
    for contender in $TLS_CONTENDERS; do
      step "TLS, $mode, $contender: getUser at $TLS_CALLERS callers"
      start_server "$contender" "tls-$mode" --tls-dir="$tls_dir"
      run_client "$contender" "tls-$mode" --tls-dir="$tls_dir" --mode="$mode" --concurrency="$TLS_CALLERS" \
        --methods=getUser --prewarm="$TLS_PREWARM_SECONDS" --warmup="$TLS_WARMUP_SECONDS" \
        --measure="$TLS_MEASURE_SECONDS" --results="$tls_json"
      stop_server
    done
  done
fi

streaming_json=
if [[ "$STREAMING" == 1 ]]; then
  streaming_json=$WORK/streaming.jsonl
  for mode in $STREAMING_MODES; do
    for contender in $STREAMING_CONTENDERS; do
      step "Streaming, $mode, $contender: streams of $STREAMING_MESSAGES users at $STREAMING_CALLERS callers"
      start_server "$contender" "streaming-$mode"
      # The prewarm streams too (at the first callers count): the unary mix would leave the stream path cold.
      run_client "$contender" "streaming-$mode" --mode="$mode" --concurrency="$STREAMING_CALLERS" \
        --methods="streamUsers:$STREAMING_MESSAGES" --prewarm-method="streamUsers:$STREAMING_MESSAGES" \
        --prewarm="$STREAMING_PREWARM_SECONDS" --warmup="$STREAMING_WARMUP_SECONDS" \
        --measure="$STREAMING_MEASURE_SECONDS" --results="$streaming_json"
      stop_server
    done
  done
fi

http_json=
if [[ "$HTTP" == 1 ]]; then
  http_json=$WORK/http.jsonl
  for contender in $HTTP_CONTENDERS; do
    step "HTTP/JSON, async, $contender: getUser at $HTTP_CALLERS callers"
    start_server "$contender" http
    run_client "$contender" http --mode=async --concurrency="$HTTP_CALLERS" --methods=getUser \
      --prewarm-method=getUser --prewarm="$HTTP_PREWARM_SECONDS" --warmup="$HTTP_WARMUP_SECONDS" \
      --measure="$HTTP_MEASURE_SECONDS" --results="$http_json"
    stop_server
  done
fi

jmh_json=
if [[ "$JMH" == 1 ]]; then
  step "JMH codec benchmarks (-prof gc)"
  jmh_json=$WORK/jmh.json
  # shellcheck disable=SC2086
  java -cp "$CP" org.openjdk.jmh.Main -prof gc -rf json -rff "$jmh_json" -jvmArgs "$JVM_FLAGS" $JMH_ARGS \
    'io\.courier\.rpc\.benchmark\.jmh\..*' | tee "$WORK/jmh.log" | grep -E '^(Benchmark|[A-Za-z]+Benchmark\.[A-Za-z0-9]+) ' || true
  [[ -s "$jmh_json" ]] || fail "JMH wrote no results (see $WORK/jmh.log)"
fi

load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
step "Writing $OUT_MD and $OUT_SVG"
java -cp "$CP" io.courier.rpc.benchmark.report.ReportWriter --results="$results_json" --jmh="$jmh_json" \
  --scaling="$scaling_json" --tls="$tls_json" --streaming="$streaming_json" \
  --md="$OUT_MD" --svg="$OUT_SVG" --command="$COMMAND" --jvm-flags="$JVM_FLAGS" --prewarm="$PREWARM_SECONDS" \
  --tls-prewarm="$TLS_PREWARM_SECONDS" --streaming-prewarm="$STREAMING_PREWARM_SECONDS" --http="$http_json" --http-prewarm="$HTTP_PREWARM_SECONDS" --load="1/5/15-minute load average before: $load_before; after: $load_after"
printf '\nDone: %s, %s (work files in %s)\n' "$OUT_MD" "$OUT_SVG" "$WORK"
