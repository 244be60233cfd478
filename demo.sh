#!/usr/bin/env bash
# Builds Courier, starts the sample provider and the sample consumer as two JVMs talking over
# TCP on port 7070, and stops the provider cleanly. Needs only a JDK 17+; exits non-zero if any
# step fails. Logs go to target/demo/.
set -euo pipefail
cd "$(dirname "$0")"

PORT=7070
LOG_DIR=target/demo
PROVIDER_JAR=sample-provider/target/sample-provider-0.1.0-SNAPSHOT.jar
CONSUMER_JAR=sample-consumer/target/sample-consumer-0.1.0-SNAPSHOT.jar
provider_pid=

if [[ -t 1 ]]; then bold=$'\033[1m' red=$'\033[31m' green=$'\033[32m' plain=$'\033[0m'; else bold= red= green= plain=; fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }
fail() { printf '\n%sDEMO FAILED: %s%s\n' "$red" "$*" "$plain" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

cleanup() {
  if [[ -n "$provider_pid" ]] && kill -0 "$provider_pid" 2>/dev/null; then
    kill "$provider_pid" 2>/dev/null || true
    wait "$provider_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

command -v java >/dev/null || fail "java not found: install a JDK 17 or newer"
port_open && fail "port $PORT is already in use; stop whatever listens there and retry"

step "Building (./mvnw -B -q -DskipTests package)"
./mvnw -B -q -DskipTests -pl sample-provider,sample-consumer -am package
mkdir -p "$LOG_DIR"

step "Starting the provider on port $PORT (log: $LOG_DIR/provider.log)"
java -jar "$PROVIDER_JAR" >"$LOG_DIR/provider.log" 2>&1 &
provider_pid=$!
for _ in $(seq 1 120); do
  port_open && break
  kill -0 "$provider_pid" 2>/dev/null || { cat "$LOG_DIR/provider.log" >&2; fail "the provider exited during startup"; }
  sleep 0.5
done
port_open || { cat "$LOG_DIR/provider.log" >&2; fail "the provider did not listen on port $PORT within 60 s"; }
grep -h "Courier RPC server started" "$LOG_DIR/provider.log" || true

step "Running the consumer: one call per UserService method"
consumer_status=0
java -jar "$CONSUMER_JAR" >"$LOG_DIR/consumer.log" 2>&1 || consumer_status=$?
if [[ "$consumer_status" != 0 ]]; then
  cat "$LOG_DIR/consumer.log" >&2
  fail "the consumer exited with status $consumer_status"
fi
grep -h "UserServiceCalls" "$LOG_DIR/consumer.log"

step "Stopping the provider (graceful: stop accepting, drain in-flight calls, close)"
kill "$provider_pid" 2>/dev/null || fail "the provider had already exited"
provider_status=0
wait "$provider_pid" || provider_status=$?
provider_pid=
grep -hE "Stopping Courier RPC server|Courier RPC server stopped" "$LOG_DIR/provider.log" || true
# 143 = terminated by SIGTERM, which a JVM reports after running its shutdown hooks.
[[ "$provider_status" == 0 || "$provider_status" == 143 ]] || fail "the provider exited with status $provider_status"
grep -q "Courier RPC server stopped" "$LOG_DIR/provider.log" || fail "the provider did not stop cleanly"

printf '\n%sDemo OK: the consumer called the provider over TCP and both JVMs stopped cleanly.%s\n' "$green" "$plain"
