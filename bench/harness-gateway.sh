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
