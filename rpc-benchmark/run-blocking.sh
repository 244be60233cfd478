#!/usr/bin/env bash
# Service methods that block 10 ms: Courier's default pool next to a virtual thread per call
# (issue 18). Virtual threads need Java 21+: this script uses JAVA_HOME when it is 21 or newer,
# else the first JDK 21+ under /usr/lib/jvm, else the default java (and the virtual row says so).
#   rpc-benchmark/run-blocking.sh [--callers=1000] [--block-ms=10] [--warmup=3] [--measure=10]
set -euo pipefail
cd "$(dirname "$0")/.."
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }
java=java
[[ -n "${JAVA_HOME:-}" ]] && java="$JAVA_HOME/bin/java"
if [[ "$(java_major "$java")" -lt 21 ]]; then
  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" && "$(java_major "$candidate")" -ge 21 ]] && { java=$candidate; break; }
  done
fi
[[ "${SKIP_BUILD:-0}" == 1 ]] || ./mvnw -B -q -DskipTests -pl rpc-benchmark -am package
exec "$java" -Xms1g -Xmx1g -cp "rpc-benchmark/target/rpc-benchmark-0.1.0-SNAPSHOT.jar:rpc-benchmark/target/lib/*" \
  io.courier.rpc.benchmark.load.BlockingCallsBenchmark "$@"
