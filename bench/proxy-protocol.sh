#!/usr/bin/env bash
# The cost of the PROXY protocol per connection, in one run: two in-process proxy cores alike but
# for listeners.http.proxy-protocol (required, trusting 127.0.0.1, against off), one event loop
# each, short connections (connect, a v1 header where required, GET / with Connection: close, read
# to the end) from the same closed-loop clients in alternating rounds (gateway's test class
# ProxyProtocolCost). The last line is the figure:
#   proxy-protocol / off: <ratio> connections/s
#
# Usage: bench/proxy-protocol.sh [clients seconds-per-round rounds]
# Env:   MUXGATE_MVN_OFFLINE=1 builds with mvn -o.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

MVN=(mvn -q -B)
if [[ -n "${MUXGATE_MVN_OFFLINE:-}" ]]; then
    MVN+=(-o)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/muxgate-proxy-protocol.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "building gateway (main and test classes)..." >&2
"${MVN[@]}" -pl gateway -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" >&2
# Private copies: other builds may rewrite target/ while the benchmark runs.
for m in http-core spdy gateway; do
    mkdir -p "$work/$m"
    cp -r "$m/target/classes" "$work/$m/classes"
    cp -r "$m/target/test-classes" "$work/$m/test-classes" 2>/dev/null || true
done
cp="$work/gateway/test-classes:$work/gateway/classes:$work/spdy/classes:$work/http-core/classes"
cp="$cp:$work/http-core/test-classes:$(cat "$work/classpath.txt")"

# Production-like: no leak detector, a bounded heap.
java -Xmx512m -Dio.netty.leakDetection.level=disabled -cp "$cp" dev.muxgate.gateway.bench.ProxyProtocolCost "$@"
