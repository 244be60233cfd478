#!/usr/bin/env bash
# Runs the Courier RPC benchmark suite and writes docs/benchmarks.md and docs/benchmarks.svg.
#
# Builds once, then for each run, load mode and contender (one at a time): starts the contender's
# server JVM on a free loopback port, runs the client JVM (prewarm with a mix of all four methods,
# then warm-up and measurement per concurrency and method), stops the server. Then the JMH codec
# benchmarks with -prof gc, then the report. Every setting is an environment variable:
#
#   PREWARM_SECONDS=60  WARMUP_SECONDS=10  MEASURE_SECONDS=30
#   CONCURRENCY="32"            space- or comma-separated, e.g. "32 1 128"
#   METHODS="getUser,listUser,existUser,createUser"
#   CONTENDERS="courier dubbo grpc raw-netty raw-netty-batched"   (also: courier-inline, a diagnostic)
#   MODES="async"               "async", "sync" or both
#   RUNS=1                      repeat the whole suite (RUNS=2 shows the noise)
#   JMH=1                       0 skips the JMH benchmarks
#   JMH_ARGS="-f 1 -wi 3 -w 2s -i 5 -r 2s"
#   JVM_FLAGS="-Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch -Dnetty.epoll.enable=true"
#   SKIP_BUILD=0                1 reuses the last build
#   OUT_MD=docs/benchmarks.md  OUT_SVG=docs/benchmarks.svg
#
# Example, a short smoke run:  PREWARM_SECONDS=10 WARMUP_SECONDS=3 MEASURE_SECONDS=5 rpc-benchmark/run.sh
# Work files (results.jsonl, logs, server stats, jmh.json) go to rpc-benchmark/target/bench/<timestamp>/.
set -euo pipefail
cd "$(dirname "$0")/.."

PREWARM_SECONDS=${PREWARM_SECONDS:-60}
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
MEASURE_SECONDS=${MEASURE_SECONDS:-30}
CONCURRENCY=${CONCURRENCY:-32}
METHODS=${METHODS:-getUser,listUser,existUser,createUser}
CONTENDERS=${CONTENDERS:-courier dubbo grpc raw-netty raw-netty-batched}
MODES=${MODES:-async}
RUNS=${RUNS:-1}
JMH=${JMH:-1}
JMH_ARGS=${JMH_ARGS:--f 1 -wi 3 -w 2s -i 5 -r 2s}
JVM_FLAGS=${JVM_FLAGS:--Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch -Dnetty.epoll.enable=true}
SKIP_BUILD=${SKIP_BUILD:-0}
OUT_MD=${OUT_MD:-docs/benchmarks.md}
OUT_SVG=${OUT_SVG:-docs/benchmarks.svg}

CONCURRENCY=${CONCURRENCY//[, ]/,}
METHODS=${METHODS//[, ]/,}
COMMAND="PREWARM_SECONDS=$PREWARM_SECONDS WARMUP_SECONDS=$WARMUP_SECONDS MEASURE_SECONDS=$MEASURE_SECONDS \
CONCURRENCY=$CONCURRENCY METHODS=$METHODS CONTENDERS=\"$CONTENDERS\" MODES=\"$MODES\" RUNS=$RUNS JMH=$JMH \
JMH_ARGS=\"$JMH_ARGS\" rpc-benchmark/run.sh"

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

# Longest a client JVM may take before it is considered hung.
n_conc=$(tr ',' '\n' <<<"$CONCURRENCY" | grep -c .)
n_methods=$(tr ',' '\n' <<<"$METHODS" | grep -c .)
client_limit=$(( PREWARM_SECONDS + n_conc * n_methods * (WARMUP_SECONDS + MEASURE_SECONDS + 40) + 120 ))

for run in $(seq 1 "$RUNS"); do
  for mode in $MODES; do
    for contender in $CONTENDERS; do
      step "Run $run/$RUNS, $mode, $contender"
      log=$WORK/server-$contender-$mode-$run.log
      stats=$WORK/server-$contender-$mode-$run.tsv
      # shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
      java $JVM_FLAGS -cp "$CP" io.courier.rpc.benchmark.load.BenchmarkServer \
        --contender="$contender" --host=127.0.0.1 --port=0 --stats="$stats" >"$log" 2>&1 &
      server_pid=$!
      port=
      for _ in $(seq 1 600); do
        port=$(sed -n 's/^READY [^ ]* \([0-9]*\)$/\1/p' "$log")
        [[ -n "$port" ]] && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; fail "$contender server exited during start-up"; }
        sleep 0.1
      done
      [[ -n "$port" ]] || { cat "$log" >&2; fail "$contender server not ready after 60 s"; }
      # shellcheck disable=SC2086
      timeout "$client_limit" java $JVM_FLAGS -cp "$CP" io.courier.rpc.benchmark.load.BenchmarkClient \
        --contender="$contender" --host=127.0.0.1 --port="$port" --mode="$mode" --run="$run" \
        --concurrency="$CONCURRENCY" --methods="$METHODS" --prewarm="$PREWARM_SECONDS" \
        --warmup="$WARMUP_SECONDS" --measure="$MEASURE_SECONDS" \
        --results="$WORK/results.jsonl" --server-stats="$stats" 2>"$WORK/client-$contender-$mode-$run.err" \
        || { tail -20 "$WORK/client-$contender-$mode-$run.err" >&2; fail "$contender client failed"; }
      stop_server
    done
  done
done

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
java -cp "$CP" io.courier.rpc.benchmark.report.ReportWriter --results="$WORK/results.jsonl" --jmh="$jmh_json" \
  --md="$OUT_MD" --svg="$OUT_SVG" --command="$COMMAND" --jvm-flags="$JVM_FLAGS" --prewarm="$PREWARM_SECONDS" \
  --load="1/5/15-minute load average before: $load_before; after: $load_after"
printf '\nDone: %s, %s (work files in %s)\n' "$OUT_MD" "$OUT_SVG" "$WORK"
