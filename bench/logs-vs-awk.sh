#!/usr/bin/env bash
# muxgate-logs summary beside an awk one-liner and GoAccess on the same generated access log, in one
# run: wall-clock time (best of RUNS, page cache warm) as a ratio to each, and muxgate-logs' peak RSS.
#
#   bench/logs-vs-awk.sh            # 1 GiB log (generated once, reused)
#   bench/logs-vs-awk.sh 256        # 256 MiB
#   RUNS=2 bench/logs-vs-awk.sh     # best of two runs of each tool
#
# The log is in the gateway's default format with h2, http/1.1 and spdy/3.1 sessions of 1 to 10,000
# streams (bench/AccessLogGen.java). awk computes the same per-protocol streams and distinct sessions;
# GoAccess (installed with apt-get when missing and possible) parses every line with a custom
# format and writes its HTML report. The last line is the summary:
#   muxgate-logs: <R>x awk, <R>x goaccess, peak RSS <N> MiB, counts agree
# and the script fails when muxgate-logs and awk disagree on any protocol's streams or sessions.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE_MB="${1:-1024}"
RUNS="${RUNS:-1}"
DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/muxgate-logs-bench}"
LOG="$DIR/access-${SIZE_MB}M.log"
BYTES=$((SIZE_MB * 1024 * 1024))
mkdir -p "$DIR"

if [[ ! -f "$LOG" || $(stat -c %s "$LOG") -lt $BYTES ]]; then
  echo "logs-vs-awk: generating $LOG ($SIZE_MB MiB)..." >&2
  java "$ROOT/bench/AccessLogGen.java" "$LOG.tmp" "$BYTES"
  mv "$LOG.tmp" "$LOG"
fi

if ! command -v goaccess >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
  echo "logs-vs-awk: installing goaccess..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q goaccess >/dev/null 2>&1 || true
fi
if [[ ! -x /usr/bin/time ]] && command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null 2>&1 || true
fi

"$ROOT/bin/muxgate-logs" --version >/dev/null   # build now, not inside the timed run
cat "$LOG" >/dev/null                            # every tool reads from a warm page cache
load_before=$(cut -d' ' -f1-3 /proc/loadavg)    # the machine may be shared: say how busy it was

# best_of NAME CMD...: runs CMD RUNS times, output to $DIR/NAME.out, prints the best wall time in seconds.
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

awk_counts() {
  awk '{ s[$4]++; k = $4 " " $5; if (!(k in seen)) { seen[k] = 1; n[$4]++ } }
       END { for (p in s) print p, s[p], n[p] }' "$1"
}

rss_file="$DIR/muxgate-logs.rss"
if [[ -x /usr/bin/time ]]; then
  mux_t=$(best_of muxgate-logs /usr/bin/time -o "$rss_file" -f %M "$ROOT/bin/muxgate-logs" summary "$LOG")
  rss_mib=$(awk '{v = $1} END {printf "%.0f", v / 1024}' "$rss_file")
else
  mux_t=$(best_of muxgate-logs "$ROOT/bin/muxgate-logs" summary "$LOG")
  rss_mib="n/a"
fi
awk_t=$(best_of awk awk_counts "$LOG")
awk_name=$(awk -W version 2>/dev/null | head -1 || true)

ga_t=""
ga_note="not installed"
if command -v goaccess >/dev/null 2>&1; then
  # cqtq is seconds.millis: %x takes the seconds (date and time formats %s), %^ the millis; ttms is %L.
  if ga_t=$(best_of goaccess goaccess "$LOG" --no-global-config --no-progress \
      --log-format='%x.%^ %L %h %^ %^ %m %U %s %b %^ %^' --date-format=%s --time-format=%s \
      -o "$DIR/goaccess.html"); then
    ga_note="ok"
  else
    ga_t=""
    ga_note="failed: $(tail -1 "$DIR/goaccess.err")"
  fi
fi

echo "muxgate-logs summary:"
cat "$DIR/muxgate-logs.out"
echo "awk (${awk_name:-awk}): protocol streams sessions"
sort "$DIR/awk.out"
echo
printf '%-14s %9s %9s %8s\n' tool "wall s" "MiB/s" "x of mux"
row() {
  awk -v n="$1" -v t="$2" -v mb="$SIZE_MB" -v m="$mux_t" \
    'BEGIN { printf "%-14s %9.2f %9.0f %7.2fx\n", n, t, mb / t, t / m }'
}
row muxgate-logs "$mux_t"
row awk "$awk_t"
if [[ -n "$ga_t" ]]; then row goaccess "$ga_t"; else echo "goaccess: $ga_note"; fi
echo "file: $LOG ($SIZE_MB MiB, $(wc -l <"$LOG") lines), runs: $RUNS, cpus: $(nproc), load before: $load_before"

# The counts must agree before the times mean anything: per protocol, streams and distinct sessions
# (awk's '-' row is muxgate's untagged row, whose lines have no session; only its streams compare).
agree=$(awk 'NR == FNR { if (FNR > 1) { mux[$1] = $3 " " $2 } next }
             { p = $1 == "-" ? "untagged" : $1; want = p == "untagged" ? $2 " 0" : $2 " " $3
               if (mux[p] != want) bad = bad " " p; delete mux[p] }
             END { for (p in mux) bad = bad " " p; print bad == "" ? "agree" : "DIFFER:" bad }' \
  "$DIR/muxgate-logs.out" "$DIR/awk.out")
echo "counts (streams, sessions per protocol): $agree"

ratio() { awk -v a="$1" -v m="$mux_t" 'BEGIN { printf "%.2f", a / m }'; }
ga_ratio="n/a"
[[ -n "$ga_t" ]] && ga_ratio="$(ratio "$ga_t")x"
echo "muxgate-logs: $(ratio "$awk_t")x awk, ${ga_ratio} goaccess, peak RSS ${rss_mib} MiB, counts $agree"
[[ "$agree" == agree ]]
