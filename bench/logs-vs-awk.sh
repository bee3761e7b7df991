#!/usr/bin/env bash
# muxgate-logs summary beside an awk one-liner and GoAccess on the same generated access log, in one
# run: wall-clock time (page cache warm) as a ratio to each, and muxgate-logs' peak RSS. muxgate-logs
# and awk take turns for RUNS rounds (the awk ratio is the median of the rounds'); GoAccess, which
# takes minutes, runs once.
#
#   bench/logs-vs-awk.sh            # 1 GiB log (generated once, reused)
#   bench/logs-vs-awk.sh 256        # 256 MiB
#   RUNS=5 bench/logs-vs-awk.sh     # five rounds of muxgate-logs and awk (default 3)
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
RUNS="${RUNS:-3}"
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

# timed NAME CMD...: runs CMD once, output to $DIR/NAME.out, prints its wall time in seconds.
timed() {
  local name="$1" start end
  shift
  start=$(date +%s.%N)
  "$@" >"$DIR/$name.out" 2>"$DIR/$name.err"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f", b - a}'
}

awk_counts() {
  awk '{ s[$4]++; k = $4 " " $5; if (!(k in seen)) { seen[k] = 1; n[$4]++ } }
       END { for (p in s) print p, s[p], n[p] }' "$1"
}

# earlier A B: true when time A is less than time B.
earlier() {
  awk -v a="$1" -v b="$2" 'BEGIN{exit !(a < b)}'
}

# muxgate-logs and awk take turns, RUNS rounds: a busy spell of a shared machine then slows both
# runs of a round, and each round's ratio compares runs seconds apart. The ratio reported is the
# median of the rounds'; the table shows each tool's best time.
rss_file="$DIR/muxgate-logs.rss"
rss_kib=0
mux_t=""
awk_t=""
ratios=()
for ((round = 0; round < RUNS; round++)); do
  if [[ -x /usr/bin/time ]]; then
    m=$(timed muxgate-logs /usr/bin/time -o "$rss_file" -f %M "$ROOT/bin/muxgate-logs" summary "$LOG")
    rss_kib=$(awk -v a="$rss_kib" '{print ($1 > a ? $1 : a)}' "$rss_file")
  else
    m=$(timed muxgate-logs "$ROOT/bin/muxgate-logs" summary "$LOG")
  fi
  a=$(timed awk awk_counts "$LOG")
  ratios+=("$(awk -v a="$a" -v m="$m" 'BEGIN {printf "%.2f", a / m}')")
  if [[ -z "$mux_t" ]] || earlier "$m" "$mux_t"; then mux_t="$m"; fi
  if [[ -z "$awk_t" ]] || earlier "$a" "$awk_t"; then awk_t="$a"; fi
done
rss_mib="n/a"
[[ -x /usr/bin/time ]] && rss_mib=$(awk -v v="$rss_kib" 'BEGIN {printf "%.0f", v / 1024}')
awk_ratio=$(printf '%s\n' "${ratios[@]}" | sort -n |
  awk '{v[NR] = $1} END {printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
awk_name=$(awk -W version 2>/dev/null | head -1 || true)

ga_t=""
ga_note="not installed"
if command -v goaccess >/dev/null 2>&1; then
  # cqtq is seconds.millis: %x takes the seconds (date and time formats %s), %^ the millis; ttms is %L.
  if ga_t=$(timed goaccess goaccess "$LOG" --no-global-config --no-progress \
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
echo "file: $LOG ($SIZE_MB MiB, $(wc -l <"$LOG") lines), rounds: $RUNS, cpus: $(nproc), load before: $load_before"
echo "awk / muxgate-logs per round: ${ratios[*]} (median $awk_ratio)"

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
echo "muxgate-logs: ${awk_ratio}x awk (median of $RUNS rounds), ${ga_ratio} goaccess, peak RSS ${rss_mib} MiB, counts $agree"
[[ "$agree" == agree ]]
