# Sourced by the scripts that run muxgate beside the shared harness (vs-peers.sh, ab-cpu.sh): one
# gateway configuration and one set of JVM options for both, so their figures stay comparable.

# bin/muxgate's JVM options for JDK 17 on one or two cores: C2 alone, no trap limit (see there).
HARNESS_C2_JAVA_OPTS="-Xms256m -Xmx512m -XX:-TieredCompilation -XX:PerMethodTrapLimit=0 -XX:PerBytecodeTrapLimit=0"

# harness_gateway_yaml PORT DIR WARMUP_REQUESTS WARMUP_HANDSHAKES WARMUP_TIME LOGS CERTIFICATES
# prints a gateway.yaml: the TLS listener alone on 127.0.0.1:PORT, state and logs under DIR, the
# warm-up given, an origin pool as large as nginx's in the harness (512), everything remapped to
# the harness's origin, access and session logs on when LOGS is true, CERTIFICATES as YAML ([] for
# the generated pair).
harness_gateway_yaml() {
  local port=$1 dir=$2 requests=$3 handshakes=$4 max_time=$5 logs=$6 certificates=$7
  cat <<YAML
listeners:
  http:
    enabled: false
tls:
  host: 127.0.0.1
  port: $port
  state-dir: $dir/state
  certificates: $certificates
admin:
  enabled: false
warm-up:
  requests: $requests
  handshakes: $handshakes
  max-time: $max_time
origins:
  max-connections-per-origin: 512
  max-waiters: 100000
remap:
  - host: "*"
    path: /
    to: http://127.0.0.1:18080/
logs:
  access:
    enabled: $logs
    path: $dir/access.log
  session:
    enabled: $logs
    path: $dir/session.log
YAML
}

# floor_build DIR LIB: bench/NettyFloorProxy.java compiled into DIR/classes against the jars in LIB
# (a built gateway/target/lib), and an ECDSA P-256 certificate for it in DIR (muxgate's generated
# default type).
floor_build() {
  local dir=$1 lib=$2 src
  src="$(dirname "${BASH_SOURCE[0]}")/NettyFloorProxy.java"
  mkdir -p "$dir"
  javac -nowarn -d "$dir/classes" -cp "$lib/*" "$src"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
}

# floor_start DIR LIB PORT CPU [JVM options...]: the floor built by floor_build, pinned to CPU with
# muxgate's JDK 17 options and the given ones, proxying to the harness's origin; sets floor_pid once
# it listens, or fails.
floor_start() {
  local dir=$1 lib=$2 port=$3 cpu=$4
  shift 4
  # shellcheck disable=SC2086 # the options are words
  taskset -c "$cpu" java $HARNESS_C2_JAVA_OPTS "$@" -Dio.netty.leakDetection.level=disabled \
    -cp "$dir/classes:$lib/*" NettyFloorProxy "$port" 127.0.0.1 18080 "$dir/cert.pem" "$dir/key.pem" \
    > "$dir/out" 2>&1 &
  floor_pid=$!
  for _ in $(seq 1 300); do
    grep -q "netty-floor: ready" "$dir/out" 2>/dev/null && return 0
    kill -0 "$floor_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$floor_pid" 2>/dev/null || true
  cat "$dir/out" >&2
  echo "the Netty floor did not start" >&2
  return 1
}
