#!/usr/bin/env bash
# Builds Courier, starts the sample provider and the sample consumer as two JVMs talking over
# TCP on port 7070, and stops the provider cleanly. Needs only a JDK 17+; exits non-zero if any
# step fails. Logs go to target/demo/.
#
#   ./demo.sh          plaintext
#   ./demo.sh --tls    mutual TLS and a bearer token (profile "tls" of both samples), with a CA,
#                      certificates, a password and a token generated here by keytool and the shell
set -euo pipefail
cd "$(dirname "$0")"

TLS=0
case "${1:-}" in
  --tls) TLS=1 ;;
  "") ;;
  *) echo "usage: $0 [--tls]" >&2; exit 2 ;;
esac

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

PROFILE_ARGS=()
if [[ "$TLS" == 1 ]]; then
  TLS_DIR=$LOG_DIR/tls
  step "Generating a demo CA and certificates for 127.0.0.1 (keytool, in $TLS_DIR)"
  command -v keytool >/dev/null || fail "keytool not found: it comes with the JDK"
  rm -rf "$TLS_DIR" && mkdir -p "$TLS_DIR"
  # Random per run: nothing secret is committed or reused.
  COURIER_DEMO_TLS_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  COURIER_DEMO_TOKEN=demo-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  COURIER_DEMO_TLS_DIR=$(cd "$TLS_DIR" && pwd)
  export COURIER_DEMO_TLS_PASSWORD COURIER_DEMO_TOKEN COURIER_DEMO_TLS_DIR
  kt() { keytool -storetype PKCS12 -storepass "$COURIER_DEMO_TLS_PASSWORD" -keypass "$COURIER_DEMO_TLS_PASSWORD" "$@" >/dev/null 2>&1; }
  kt -genkeypair -keystore "$TLS_DIR/ca.p12" -alias ca -keyalg EC -groupname secp256r1 -validity 2 \
    -dname "CN=Courier demo CA" -ext bc:c || fail "keytool could not create the CA"
  kt -exportcert -rfc -keystore "$TLS_DIR/ca.p12" -alias ca -file "$TLS_DIR/ca.crt"
  kt -importcert -noprompt -keystore "$TLS_DIR/truststore.p12" -alias ca -file "$TLS_DIR/ca.crt"
  for who in server client; do
    kt -genkeypair -keystore "$TLS_DIR/$who.p12" -alias "$who" -keyalg EC -groupname secp256r1 -validity 2 \
      -dname "CN=courier-demo-$who"
    kt -certreq -keystore "$TLS_DIR/$who.p12" -alias "$who" -file "$TLS_DIR/$who.csr"
    kt -gencert -keystore "$TLS_DIR/ca.p12" -alias ca -infile "$TLS_DIR/$who.csr" -outfile "$TLS_DIR/$who.crt" \
      -rfc -validity 2 -ext san=ip:127.0.0.1,dns:localhost
    kt -importcert -noprompt -keystore "$TLS_DIR/$who.p12" -alias ca -file "$TLS_DIR/ca.crt"
    kt -importcert -keystore "$TLS_DIR/$who.p12" -alias "$who" -file "$TLS_DIR/$who.crt" \
      || fail "keytool could not sign the $who certificate"
  done
  PROFILE_ARGS=(--spring.profiles.active=tls)
fi

step "Starting the provider on port $PORT (log: $LOG_DIR/provider.log)"
java -jar "$PROVIDER_JAR" "${PROFILE_ARGS[@]}" >"$LOG_DIR/provider.log" 2>&1 &
provider_pid=$!
for _ in $(seq 1 120); do
  port_open && break
  kill -0 "$provider_pid" 2>/dev/null || { cat "$LOG_DIR/provider.log" >&2; fail "the provider exited during startup"; }
  sleep 0.5
done
port_open || { cat "$LOG_DIR/provider.log" >&2; fail "the provider did not listen on port $PORT within 60 s"; }
grep -h "Courier RPC server started" "$LOG_DIR/provider.log" || true
if [[ "$TLS" == 1 ]]; then
  grep -h "requires TLS" "$LOG_DIR/provider.log" || fail "the provider did not start with TLS"
fi

step "Running the consumer: one call per UserService method"
consumer_status=0
java -jar "$CONSUMER_JAR" "${PROFILE_ARGS[@]}" >"$LOG_DIR/consumer.log" 2>&1 || consumer_status=$?
if [[ "$consumer_status" != 0 ]]; then
  cat "$LOG_DIR/consumer.log" >&2
  fail "the consumer exited with status $consumer_status"
fi
grep -h "UserServiceCalls" "$LOG_DIR/consumer.log"

step "Calling the provider over HTTP/JSON on the same port, as anyone can with curl"
if command -v curl >/dev/null; then
  CURL=(curl -sS --max-time 10 -H 'Content-Type: application/json')
  if [[ "$TLS" == 1 ]]; then
    CURL+=(--cacert "$TLS_DIR/ca.crt" --cert-type P12 --cert "$TLS_DIR/client.p12:$COURIER_DEMO_TLS_PASSWORD"
      -H "Authorization: Bearer $COURIER_DEMO_TOKEN")
    URL=https://127.0.0.1:$PORT/rpc/io.courier.sample.api.UserService/get
    SHOWN="curl --cacert ca.crt --cert client.p12 -H 'Authorization: Bearer ...' -H 'Content-Type: application/json'"
    echo "\$ $SHOWN -d '[1]' $URL"
  else
    URL=http://127.0.0.1:$PORT/rpc/io.courier.sample.api.UserService/get
    SHOWN="curl -H 'Content-Type: application/json'"
    echo "\$ $SHOWN -d '[1]' $URL"
  fi
  answer=$("${CURL[@]}" -d '[1]' "$URL") || fail "the HTTP call failed"
  echo "$answer"
  [[ "$answer" == *'"name":"Ada Lovelace"'* ]] || fail "unexpected HTTP answer: $answer"
  # A streamed result answers as NDJSON: one user per line.
  STREAM_URL=${URL%/get}/streamAll
  echo "\$ $SHOWN -d '[]' $STREAM_URL"
  streamed=$("${CURL[@]}" -d '[]' "$STREAM_URL") || fail "the HTTP streaming call failed"
  echo "$streamed"
  [[ $(grep -c '"id"' <<<"$streamed") -ge 3 ]] || fail "unexpected HTTP stream: $streamed"
else
  echo "curl is not installed: skipping the HTTP call (the binary calls above ran)"
fi

step "Stopping the provider (graceful: stop accepting, drain in-flight calls, close)"
kill "$provider_pid" 2>/dev/null || fail "the provider had already exited"
provider_status=0
wait "$provider_pid" || provider_status=$?
provider_pid=
grep -hE "Stopping Courier RPC server|Courier RPC server stopped" "$LOG_DIR/provider.log" || true
# 143 = terminated by SIGTERM, which a JVM reports after running its shutdown hooks.
[[ "$provider_status" == 0 || "$provider_status" == 143 ]] || fail "the provider exited with status $provider_status"
grep -q "Courier RPC server stopped" "$LOG_DIR/provider.log" || fail "the provider did not stop cleanly"

if [[ "$TLS" == 1 ]]; then
  printf '\n%sDemo OK: the consumer called the provider over mutual TLS with a token and both JVMs stopped cleanly.%s\n' "$green" "$plain"
else
  printf '\n%sDemo OK: the consumer called the provider over TCP and both JVMs stopped cleanly.%s\n' "$green" "$plain"
fi
