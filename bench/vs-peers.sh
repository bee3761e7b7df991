#!/usr/bin/env bash
# muxgate beside nginx, Apache Traffic Server, HAProxy, h2o and Caddy as TLS h2 reverse proxies to
# the same origin, each pinned to one core, in one run of the shared harness (../shared/bench).
#
#   bench/vs-peers.sh                 # throughput, 1 KiB and 64 KiB bodies
#   bench/vs-peers.sh --quick         # 10x fewer requests
#   MUXGATE_CERT=rsa bench/vs-peers.sh --mode handshake   # muxgate with an RSA 2048 certificate
#   MUXGATE_WARMUP_REQUESTS=0 bench/vs-peers.sh --mode idle   # any peers.sh option passes through;
#                                     # idle memory wants a fresh process, so no warm-up load first
#
# muxgate runs as the peers do: one core (PROXY_CPU, default 1), so one event loop; its origin
# pool has the same room as nginx's (512); no access or session log, like the peers (set
# MUXGATE_LOGS=on to measure with both logs written). The last line is the harness's last line.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HARNESS="${HARNESS:-$ROOT/../shared/bench/peers.sh}"
PROXY_CPU="${PROXY_CPU:-1}"
PORT="${MUXGATE_PORT:-8443}"
LOGS="${MUXGATE_LOGS:-off}"

[[ -x "$HARNESS" || -f "$HARNESS" ]] || { echo "vs-peers: harness not found at $HARNESS" >&2; exit 2; }
cd "$ROOT"
mvn -q -B -DskipTests install >&2

work="$(mktemp -d -t muxgate-vs-peers.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# MUXGATE_CERT=rsa: serve one RSA 2048 certificate (the harness's RSA rows) instead of the
# generated ECDSA P-256 and RSA pair, of which h2load gets the ECDSA one.
certificates="[]"
if [[ "${MUXGATE_CERT:-generated}" == rsa ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost -keyout "$work/rsa.key" \
    -out "$work/rsa.crt" 2>/dev/null
  certificates="[{names: [localhost], cert: $work/rsa.crt, key: $work/rsa.key}]"
fi
logs_enabled=false
[[ "$LOGS" == on ]] && logs_enabled=true
cat > "$work/gateway.yaml" <<YAML
listeners:
  http:
    enabled: false
tls:
  host: 127.0.0.1
  port: $PORT
  state-dir: $work/state
  certificates: $certificates
admin:
  enabled: false
warm-up:
  requests: ${MUXGATE_WARMUP_REQUESTS:-100000}
  handshakes: ${MUXGATE_WARMUP_HANDSHAKES:-12000}
  max-time: ${MUXGATE_WARMUP_TIME:-120s}
origins:
  max-connections-per-origin: 512
  max-waiters: 100000
remap:
  - host: "*"
    path: /
    to: http://127.0.0.1:18080/
logs:
  access:
    enabled: $logs_enabled
    path: $work/access.log
  session:
    enabled: $logs_enabled
    path: $work/session.log
YAML

# MUXGATE_JAVA may name a JDK with an AOT cache (25 and later): then, as bin/muxgate does, a
# training run (`muxgate warm-up`, pinned the same way) writes the cache first and muxgate starts
# from it, with tiered compilation on (MUXGATE_AOT=off: JDK 25 without the cache).
JAVA="${MUXGATE_JAVA:-java}"
java_major="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
CP="gateway/target/gateway-0.1.0-SNAPSHOT.jar:gateway/target/lib/*"
if [[ -n "$java_major" ]] && (( java_major >= 25 )); then
  read -r -a OPTS <<< "${MUXGATE_JAVA_OPTS:--Xms256m -Xmx512m --enable-native-access=ALL-UNNAMED}"
  if [[ "${MUXGATE_AOT:-on}" != off ]]; then
    echo "vs-peers: training the JDK $java_major AOT cache..." >&2
    taskset -c "$PROXY_CPU" "$JAVA" "${OPTS[@]}" -XX:AOTCacheOutput="$work/muxgate.aot" -cp "$CP" \
      dev.muxgate.gateway.Main warm-up --config "$work/gateway.yaml" > "$work/train.out" 2>&1 \
      || { cat "$work/train.out" >&2; exit 1; }
    grep 'muxgate: warm-up:' "$work/train.out" >&2 || true
    OPTS+=(-XX:AOTCache="$work/muxgate.aot")
  fi
else
  # As bin/muxgate runs it on two cores: C2 alone, and no trap limit (see there).
  read -r -a OPTS <<< "${MUXGATE_JAVA_OPTS:--Xms256m -Xmx512m -XX:-TieredCompilation -XX:PerMethodTrapLimit=0 -XX:PerBytecodeTrapLimit=0}"
fi
taskset -c "$PROXY_CPU" "$JAVA" "${OPTS[@]}" -cp "$CP" dev.muxgate.gateway.Main \
  --config "$work/gateway.yaml" > "$work/muxgate.out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 2400); do   # up to 240 s: the warm-up runs before the listener opens
  grep -q "muxgate: ready" "$work/muxgate.out" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$work/muxgate.out" >&2; exit 1; }
  sleep 0.1
done
grep -q "muxgate: ready" "$work/muxgate.out" || { echo "vs-peers: muxgate did not start" >&2; cat "$work/muxgate.out" >&2; exit 1; }
echo "muxgate pid $pid pinned to cpu $PROXY_CPU, logs $LOGS" >&2
grep 'muxgate: warm-up' "$work/muxgate.out" >&2 || true

PROXY_CPU="$PROXY_CPU" bash "$HARNESS" --target "muxgate=$PORT" "$@"
