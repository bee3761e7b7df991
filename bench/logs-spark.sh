#!/usr/bin/env bash
# muxgate-logs summary with the builtin engine and with --engine spark (local mode, in one process)
# on the same generated access log as bench/logs-vs-awk.sh, in one run: wall-clock time, best of RUNS.
#
#   bench/logs-spark.sh            # 1 GiB log (generated once, shared with logs-vs-awk.sh)
#   bench/logs-spark.sh 256        # 256 MiB
#
# Spark is not expected to win on one machine (it starts a session, plans tasks, serializes tallies);
# it is there for a fleet's logs on a cluster. The last line is the summary:
#   muxgate-logs spark local / builtin: <R>x the time, <S> s against <B> s, reports identical
# and the script fails when the two engines' JSON reports differ.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE_MB="${1:-1024}"
RUNS="${RUNS:-1}"
DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/muxgate-logs-bench}"
LOG="$DIR/access-${SIZE_MB}M.log"
BYTES=$((SIZE_MB * 1024 * 1024))
mkdir -p "$DIR"

if [[ ! -f "$LOG" || $(stat -c %s "$LOG") -lt $BYTES ]]; then
  echo "logs-spark: generating $LOG ($SIZE_MB MiB)..." >&2
  java "$ROOT/bench/AccessLogGen.java" "$LOG.tmp" "$BYTES"
  mv "$LOG.tmp" "$LOG"
fi

"$ROOT/bin/muxgate-logs" --version >/dev/null                                    # build now, not inside the timed run
"$ROOT/bin/muxgate-logs" summary --engine spark /dev/null >/dev/null 2>&1 || true  # and the Spark module
cat "$LOG" >/dev/null                                                             # a warm page cache for both
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

best_of() {
  local name="$1" best="" start end t
  shift
  for ((i = 0; i < RUNS; i++)); do
    start=$(date +%s.%N)
    "$@" >"$DIR/$name.out" 2>"$DIR/$name.err"
    end=$(date +%s.%N)
    t=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f", b - a}')
    if [[ -z "$best" ]] || awk -v t="$t" -v b="$best" 'BEGIN{exit !(t < b)}'; then best="$t"; fi
  done
  echo "$best"
}

builtin_t=$(best_of engine-builtin "$ROOT/bin/muxgate-logs" summary --output json "$LOG")
spark_t=$(best_of engine-spark "$ROOT/bin/muxgate-logs" summary --engine spark --output json "$LOG")

same="identical"
cmp -s "$DIR/engine-builtin.out" "$DIR/engine-spark.out" || same="DIFFERENT"
echo "builtin: $builtin_t s, spark local[*]: $spark_t s; file: $LOG ($SIZE_MB MiB), runs: $RUNS, cpus: $(nproc), load before: $load_before"
echo "muxgate-logs spark local / builtin: $(awk -v s="$spark_t" -v b="$builtin_t" 'BEGIN { printf "%.2f", s / b }')x the time, $spark_t s against $builtin_t s, reports $same"
[[ "$same" == identical ]]
