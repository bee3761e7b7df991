#!/usr/bin/env bash
# Plugin connection vs loopback TCP into the same proxy core (JMH, http-core's
# PluginConnectionBenchmark): connect + GET /bytes/1024 + close, and kept-alive GETs, against the
# built-in demo origin and a loopback TCP origin. Prints a table, then the ratios; the last line is
#   plugin/loopback: connect <R>x, kept <R>x      (demo origin)
#
# Usage: bench/plugin-connect.sh [extra JMH options, e.g. -p accessLog=discard,file or -prof stack]
# Env:   MUXGATE_BENCH_PIN=1 pins the JVM to CPU 0 (taskset), like the peers in ../shared/bench.
#        Off by default: pinned, the JIT shares the one core with the event loop and the connect
#        workload needs ~30 s instead of ~6 s to warm up, so add e.g. -wi 15 when pinning.
#        MUXGATE_MVN_OFFLINE=1 builds with mvn -o.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

MVN=(mvn -q -B)
if [[ -n "${MUXGATE_MVN_OFFLINE:-}" ]]; then
    MVN+=(-o)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/muxgate-plugin-connect.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Every source file of http-core's main code, and the benchmark, has its class in the copy.
complete_copy() {
    local src cls
    while IFS= read -r src; do
        cls="$work/classes/${src#http-core/src/main/java/}"
        [[ -f "${cls%.java}.class" ]] || return 1
    done < <(find http-core/src/main/java -name '*.java' ! -name 'package-info.java')
    [[ -f "$work/test-classes/META-INF/BenchmarkList" \
        && -f "$work/test-classes/dev/muxgate/httpcore/bench/PluginConnectionBenchmark.class" ]]
}

echo "building http-core (main and test classes)..." >&2
# http-core's only in-project dependency is the parent POM.
"${MVN[@]}" -N -DskipTests install >&2
for attempt in 1 2 3; do
    "${MVN[@]}" -pl http-core test-compile >&2
    # Private copies: other builds may rewrite (or clean) http-core/target while the benchmark runs.
    rm -rf "$work/classes" "$work/test-classes"
    cp -r http-core/target/classes "$work/classes" 2>/dev/null || true
    cp -r http-core/target/test-classes "$work/test-classes" 2>/dev/null || true
    if complete_copy; then
        break
    fi
    if [[ $attempt == 3 ]]; then
        echo "http-core/target keeps changing under us (another build running?); giving up" >&2
        exit 1
    fi
    echo "http-core/target was incomplete (another build running?); building again" >&2
    sleep 5
done
"${MVN[@]}" -pl http-core dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" >&2
cp="$work/test-classes:$work/classes:$(cat "$work/classpath.txt")"

pin=()
if [[ "${MUXGATE_BENCH_PIN:-0}" == 1 ]] && command -v taskset >/dev/null 2>&1 \
        && taskset -c 0 true 2>/dev/null; then
    # One core for the whole JVM (event loop, origin loop, JIT, GC), as the peers get one core.
    pin=(taskset -c 0)
    echo "pinned to CPU 0" >&2
fi

result="$work/result.json"
"${pin[@]}" java -cp "$cp" org.openjdk.jmh.Main PluginConnectionBenchmark \
    -jvmArgsAppend "-Dio.netty.leakDetection.level=disabled" \
    -foe true -rf json -rff "$result" "$@" >&2

python3 - "$result" <<'EOF'
import json, sys

with open(sys.argv[1]) as f:
    runs = json.load(f)

names = {"connectGetClose": "connect", "keptAliveGet": "kept"}
scores = {}  # (workload, origin, accessLog, path) -> (score, error)
for r in runs:
    workload = names.get(r["benchmark"].rsplit(".", 1)[-1], r["benchmark"])
    p = r.get("params", {})
    m = r["primaryMetric"]
    scores[(workload, p.get("origin"), p.get("accessLog", "discard"), p.get("path"))] = (m["score"], m["scoreError"])

def fmt(v):
    return f"{v:,.0f}" if isinstance(v, (int, float)) and v == v else "-"

print()
print(f"{'workload':<9} {'origin':<7} {'log':<8} {'plugin ops/s':>14} {'+-':>9} {'loopback ops/s':>15} {'+-':>9} {'ratio':>7}")
groups = sorted({k[:3] for k in scores}, key=lambda g: (g[2] != "discard", g[2], g[1] != "demo", g[1], g[0]))
ratio = {}
for g in groups:
    pl = scores.get(g + ("plugin",))
    lo = scores.get(g + ("loopback",))
    r = pl[0] / lo[0] if pl and lo and lo[0] > 0 else None
    ratio[g] = r
    print(f"{g[0]:<9} {g[1]:<7} {g[2]:<8} {fmt(pl and pl[0]):>14} {fmt(pl and pl[1]):>9} "
          f"{fmt(lo and lo[0]):>15} {fmt(lo and lo[1]):>9} {('-' if r is None else f'{r:.1f}x'):>7}")
print()

def line(origin):
    logs = [g[2] for g in groups if g[1] == origin]
    log = "discard" if "discard" in logs else (logs[0] if logs else "discard")
    def one(w):
        r = ratio.get((w, origin, log))
        return "n/a" if r is None else f"{r:.1f}x"
    return f"connect {one('connect')}, kept {one('kept')}"

print(f"plugin/loopback (tcp origin): {line('tcp')}")
print(f"plugin/loopback: {line('demo')}")
EOF
