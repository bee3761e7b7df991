#!/usr/bin/env bash
# muxgate beside nginx, Apache Traffic Server, HAProxy, h2o and Caddy as TLS h2 reverse proxies to
# the same origin, each pinned to one core, in one run of the shared harness (../shared/bench).
#
#   bench/vs-peers.sh                 # throughput, 1 KiB and 64 KiB bodies
#   bench/vs-peers.sh --quick         # 10x fewer requests
#   MUXGATE_CERT=rsa bench/vs-peers.sh --mode handshake   # muxgate with an RSA 2048 certificate
#   RUNS=3 bench/vs-peers.sh --mode handshake --only nginx  # three runs, muxgate started afresh
#                                     # for each; the last line is the median ratio to nginx
#   MUXGATE_WARMUP_REQUESTS=0 bench/vs-peers.sh --mode idle   # any peers.sh option passes through;
#                                     # idle memory wants a fresh process, so no warm-up load first
#   NETTY_FLOOR=on bench/vs-peers.sh --only nginx,haproxy   # and the minimal Netty h2 proxy
#                                     # (bench/NettyFloorProxy.java) as target "netty": the floor
#                                     # of the libraries muxgate is built on, in the same run
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
# shellcheck source=harness-gateway.sh
source "$ROOT/bench/harness-gateway.sh"
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
harness_gateway_yaml "$PORT" "$work" "${MUXGATE_WARMUP_REQUESTS:-100000}" "${MUXGATE_WARMUP_HANDSHAKES:-12000}" \
  "${MUXGATE_WARMUP_TIME:-120s}" "$logs_enabled" "$certificates" > "$work/gateway.yaml"

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
  read -r -a OPTS <<< "${MUXGATE_JAVA_OPTS:-$HARNESS_C2_JAVA_OPTS}"
fi
pid=""
floor_pid=""
serve_pid=""
trap 'for p in $pid $floor_pid $serve_pid; do kill $p 2>/dev/null; wait $p 2>/dev/null || true; done; rm -rf "$work"' EXIT

# start_muxgate: a fresh, pinned muxgate on the config above; returns once it says it is ready.
start_muxgate() {
  taskset -c "$PROXY_CPU" "$JAVA" "${OPTS[@]}" -cp "$CP" dev.muxgate.gateway.Main \
    --config "$work/gateway.yaml" > "$work/muxgate.out" 2>&1 &
  pid=$!
  for _ in $(seq 1 2400); do   # up to 240 s: the warm-up runs before the listener opens
    grep -q "muxgate: ready" "$work/muxgate.out" 2>/dev/null && break
    kill -0 $pid 2>/dev/null || { cat "$work/muxgate.out" >&2; exit 1; }
    sleep 0.1
  done
  grep -q "muxgate: ready" "$work/muxgate.out" || { echo "vs-peers: muxgate did not start" >&2; cat "$work/muxgate.out" >&2; exit 1; }
  echo "muxgate pid $pid pinned to cpu $PROXY_CPU, logs $LOGS" >&2
  grep 'muxgate: warm-up' "$work/muxgate.out" >&2 || true
}

# stop_muxgate: SIGTERM, and wait until it has exited and freed its port.
stop_muxgate() {
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  pid=""
}

# start_floor: NettyFloorProxy pinned like muxgate, with the JVM options muxgate has on JDK 17, and
# warmed as muxgate warms itself before its listener opens (the harness warms each target with 5,000
# requests only): the harness serves its origin for the while, and h2load sends the floor the same
# number of 1 KiB requests, then 10,000 of 64 KiB. Then the harness run lists it as "netty".
FLOOR="${NETTY_FLOOR:-off}"
FLOOR_PORT="${NETTY_FLOOR_PORT:-8447}"
LOAD_CPU="${LOAD_CPU:-0}"
start_floor() {
  command -v h2load >/dev/null || { echo "vs-peers: h2load is needed (Debian nghttp2-client)" >&2; exit 2; }
  floor_build "$work/floor" gateway/target/lib
  floor_start "$work/floor" gateway/target/lib "$FLOOR_PORT" "$PROXY_CPU" || exit 1
  bash "$HARNESS" --only nginx --serve 900 > "$work/serve.out" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 300); do
    curl -s -o /dev/null http://127.0.0.1:18080/1k && break
    sleep 0.1
  done
  local warm="${MUXGATE_WARMUP_REQUESTS:-100000}"
  (( warm > 0 )) && taskset -c "$LOAD_CPU" h2load -n "$warm" -c 32 -m 16 -t 1 "https://127.0.0.1:$FLOOR_PORT/1k" \
    | grep -E '^requests:' | sed 's/^/vs-peers: netty floor warm-up 1k /' >&2
  (( warm > 0 )) && taskset -c "$LOAD_CPU" h2load -n 10000 -c 32 -m 16 -t 1 "https://127.0.0.1:$FLOOR_PORT/64k" \
    | grep -E '^requests:' | sed 's/^/vs-peers: netty floor warm-up 64k /' >&2
  kill $serve_pid 2>/dev/null || true
  wait $serve_pid 2>/dev/null || true
  serve_pid=""
  echo "netty floor pid $floor_pid pinned to cpu $PROXY_CPU" >&2
}
floor_target=()
if [[ "$FLOOR" == on ]]; then
  start_floor
  floor_target=(--target "netty=$FLOOR_PORT")
fi

# RUNS (default 1) runs of the harness, each against a freshly started muxgate: on a shared
# machine one run's ratio can be off by a third. With --mode handshake the last line is then the
# median over the runs of muxgate's handshakes per CPU-second over nginx's, same certificate type.
RUNS="${RUNS:-1}"
if (( RUNS <= 1 )); then
  start_muxgate
  PROXY_CPU="$PROXY_CPU" bash "$HARNESS" --target "muxgate=$PORT" "${floor_target[@]}" "$@"
  exit $?
fi
ratios=()
for ((run = 1; run <= RUNS; run++)); do
  echo "vs-peers: run $run of $RUNS" >&2
  start_muxgate
  PROXY_CPU="$PROXY_CPU" bash "$HARNESS" --target "muxgate=$PORT" "${floor_target[@]}" "$@" | tee "$work/run.out"
  stop_muxgate
  # The handshake table's rows: target cert conn/s vs_nginx per_cpu_s ...; muxgate's cert row
  # against nginx's row of the same certificate type.
  ratio=$(awk '/per_cpu_s/ { hs = 1; next }
               hs && $1 == "muxgate" && $5 ~ /^[0-9]+$/ { cert = $2; m = $5 }
               hs && $1 == "nginx" && $5 ~ /^[0-9]+$/ { n[$2] = $5 }
               END { if (m != "" && n[cert] > 0) printf "%s %.2f", cert, m / n[cert] }' "$work/run.out")
  [[ -n "$ratio" ]] && ratios+=("$ratio")
done
if (( ${#ratios[@]} > 0 )); then
  cert="${ratios[0]%% *}"
  list="$(printf '%s\n' "${ratios[@]}" | awk '{ printf " %s", $2 }')"
  median="$(printf '%s\n' "${ratios[@]}" | awk '{ print $2 }' | sort -n |
    awk '{ r[NR] = $1 } END { printf "%.2f", (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }')"
  echo "vs-peers: muxgate handshakes per CPU-second / nginx ($cert), ${#ratios[@]} runs:$list (median $median)"
fi
