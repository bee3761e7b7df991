#!/usr/bin/env bash
# spdy/3.1 against h2 through the same in-process gateway on the same workload, in one run:
# closed-loop Netty load clients (gateway's test class SpdyVsH2Load), GET /bytes/1024 from the demo
# origin, 8 connections x 16 concurrent streams, alternating 5 s rounds after a warm-up of each.
# The last line is the figure:
#   spdy/3.1 / h2: <ratio>          (target: 0.90 or more)
#
# Usage: bench/spdy-vs-h2.sh [connections streams seconds-per-round rounds size]
# Env:   MUXGATE_MVN_OFFLINE=1 builds with mvn -o.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

MVN=(mvn -q -B)
if [[ -n "${MUXGATE_MVN_OFFLINE:-}" ]]; then
    MVN+=(-o)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/muxgate-spdy-vs-h2.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "building gateway (main and test classes)..." >&2
"${MVN[@]}" -pl gateway -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" >&2
# Private copies: other builds may rewrite gateway/target while the benchmark runs.
for m in http-core spdy gateway; do
    mkdir -p "$work/$m"
    cp -r "$m/target/classes" "$work/$m/classes"
    cp -r "$m/target/test-classes" "$work/$m/test-classes" 2>/dev/null || true
done
cp="$work/gateway/test-classes:$work/gateway/classes:$work/spdy/classes:$work/http-core/classes"
cp="$cp:$work/http-core/test-classes:$(cat "$work/classpath.txt")"

# Production-like: no leak detector, a bounded heap.
java -Xmx1g -Dio.netty.leakDetection.level=disabled -cp "$cp" dev.muxgate.gateway.bench.SpdyVsH2Load "$@"
