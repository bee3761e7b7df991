#!/usr/bin/env bash
# CPU per proxied request of two builds of muxgate, measured side by side: both gateways pinned to
# the proxy core, both loaded at once by two h2load runs on the other core, so that a busy spell
# of a shared machine slows both alike. Runs one after the other drifted by 2x here; runs side by
# side by a few percent, which is what a change on the request path is worth.
#
#   bench/ab-cpu.sh                  # HEAD~1 (A) against the working tree (B)
#   bench/ab-cpu.sh REV_A [REV_B]    # two revisions (B default: the working tree)
#   ROUNDS=8 P=/64k bench/ab-cpu.sh  # rounds (default 8) and the path (/1k or /64k)
#   OPTS_B=-XX:... bench/ab-cpu.sh HEAD HEAD   # one build, two JVM settings (OPTS_A, OPTS_B)
#   bench/ab-cpu.sh HEAD floor       # B is the minimal Netty h2 proxy (bench/NettyFloorProxy.java):
#                                    # what muxgate's request path costs over its libraries' floor
#   bench/ab-cpu.sh HEAD haproxy     # B is the harness's HAProxy (or nginx, h2o, ats, caddy), pinned as
#                                    # there: issue 3's target in CPU per request instead of req/s
#
# Each revision is built in a temporary worktree; the origin is the harness's (../shared/bench,
# nginx). Every round starts the two h2load runs in turn, A first in odd rounds and B first in even
# ones. The last line is `ab-cpu: B/A CPU per request <median> (median of <N> rounds: ...)`; under 1
# means B is cheaper. Needs nginx-light and nghttp2-client, as the harness does.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HARNESS="${HARNESS:-$ROOT/../shared/bench/peers.sh}"
PROXY_CPU="${PROXY_CPU:-1}"
LOAD_CPU="${LOAD_CPU:-0}"
ROUNDS="${ROUNDS:-8}"
N="${N:-60000}"
P="${P:-/1k}"
REV_A="${1:-HEAD~1}"
REV_B="${2:-}"

# shellcheck source=harness-gateway.sh
source "$ROOT/bench/harness-gateway.sh"
[[ -f "$HARNESS" ]] || { echo "ab-cpu: harness not found at $HARNESS" >&2; exit 2; }
command -v h2load >/dev/null || { echo "ab-cpu: h2load is needed (Debian nghttp2-client)" >&2; exit 2; }
work="$(mktemp -d -t muxgate-ab-cpu.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for t in a b; do
    [[ -d "$work/tree-$t" ]] && git -C "$ROOT" worktree remove --force "$work/tree-$t" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# build NAME REV: a packaged gateway (jar and lib) of REV, or of the working tree when REV is empty.
build() {
  local name=$1 rev=$2 tree
  if [[ -z "$rev" ]]; then
    tree="$ROOT"
  else
    tree="$work/tree-$name"
    git -C "$ROOT" worktree add -q --detach "$tree" "$rev"
  fi
  echo "ab-cpu: building $name (${rev:-working tree})..." >&2
  # package, not install: the reactor's own modules go into gateway/target/lib, ~/.m2 is untouched.
  (cd "$tree" && mvn -q -B -o -Dstyle.color=never -DskipTests package >&2 2>"$work/build-$name.log") \
    || (cd "$tree" && mvn -q -B -Dstyle.color=never -DskipTests package >&2) \
    || { echo "ab-cpu: build of $name failed" >&2; exit 1; }
  echo "$tree"
}

# start_floor TREE PORT: the floor (harness-gateway.sh) on TREE's libraries, pinned like the
# gateways, OPTS_B added; sets started_pid.
start_floor() {
  local tree=$1 port=$2
  # shellcheck disable=SC2086 # the options are words
  floor_start "$work/floor" "$tree/gateway/target/lib" "$port" "$PROXY_CPU" ${OPTS_B:-} || exit 1
  pids+=("$floor_pid")
  # muxgate warms itself with 30,000 requests before it listens; the floor gets as many here.
  taskset -c "$LOAD_CPU" h2load -n 30000 -c 32 -m 16 -t 1 "https://127.0.0.1:$port$P" > /dev/null 2>&1
  started_pid=$floor_pid
}

# start NAME TREE PORT: a pinned gateway to the harness's origin; sets started_pid once it is ready.
# OPTS_A or OPTS_B (by NAME) are added to its JVM options.
start() {
  local name=$1 tree=$2 port=$3 dir="$work/gw-$1" extra
  if [[ $name == a ]]; then extra="${OPTS_A:-}"; else extra="${OPTS_B:-}"; fi
  mkdir -p "$dir"
  harness_gateway_yaml "$port" "$dir" 30000 2000 60s false "[]" > "$dir/gateway.yaml"
  # shellcheck disable=SC2086 # the options are words
  taskset -c "$PROXY_CPU" java $HARNESS_C2_JAVA_OPTS $extra -cp "$tree/gateway/target/gateway-0.1.0-SNAPSHOT.jar:$tree/gateway/target/lib/*" \
    dev.muxgate.gateway.Main --config "$dir/gateway.yaml" > "$dir/out" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 1800); do
    grep -q "muxgate: ready" "$dir/out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/out" >&2; exit 1; }
    sleep 0.1
  done
  grep -q "muxgate: ready" "$dir/out" || { echo "ab-cpu: $name did not start" >&2; exit 1; }
  started_pid=$pid
}

# ticks PID: CPU of the process and its children (nginx's workers), in clock ticks.
ticks() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" 2>/dev/null); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

tree_a="$(build a "$REV_A")"
serve=nginx
case "$REV_B" in
  floor) floor_build "$work/floor" "$tree_a/gateway/target/lib";;
  nginx) ;;
  haproxy|h2o|ats|caddy) serve="nginx,$REV_B";;
  *) tree_b="$(build b "$REV_B")";;
esac
bash "$HARNESS" --only "$serve" --serve 100000 > "$work/serve.out" 2>&1 &
pids+=("$!")
for _ in $(seq 1 100); do grep -q "^origin " "$work/serve.out" 2>/dev/null && break; sleep 0.2; done
grep -q "^origin " "$work/serve.out" || { cat "$work/serve.out" >&2; echo "ab-cpu: the origin did not start" >&2; exit 1; }
port_a=8443
port_b=8444
start a "$tree_a" "$port_a"; pid_a=$started_pid
case "$REV_B" in
  floor) start_floor "$tree_a" "$port_b"; pid_b=$started_pid;;
  nginx|haproxy|h2o|ats|caddy)
    # The harness's proxy: its port from the serve listing, its top process from the socket.
    port_b=$(awk -v n="$REV_B" '$1 == n { sub(/.*:/, "", $2); sub(/\/.*/, "", $2); print $2 }' "$work/serve.out")
    pid_b=$(ss -ltnpH "sport = :$port_b" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -n | head -1)
    [[ -n "$pid_b" ]] || { echo "ab-cpu: $REV_B is not listening" >&2; exit 1; };;
  *) start b "$tree_b" "$port_b"; pid_b=$started_pid;;
esac
for port in "$port_a" "$port_b"; do   # the same warm load for both, one at a time
  taskset -c "$LOAD_CPU" h2load -n 50000 -c 32 -m 16 -t 1 "https://127.0.0.1:$port$P" > /dev/null 2>&1
done

ratios=()
for ((round = 1; round <= ROUNDS; round++)); do
  a0=$(ticks "$pid_a"); b0=$(ticks "$pid_b")
  order=("$port_a" "$port_b"); (( round % 2 == 0 )) && order=("$port_b" "$port_a")
  loads=()
  for port in "${order[@]}"; do
    taskset -c "$LOAD_CPU" h2load -n "$N" -c 32 -m 16 -t 1 "https://127.0.0.1:$port$P" > "$work/h2load-$port.out" 2>&1 &
    loads+=("$!")
  done
  wait "${loads[@]}" || true
  a1=$(ticks "$pid_a"); b1=$(ticks "$pid_b")
  for port in "$port_a" "$port_b"; do
    fails=$(awk '/^requests:/ { print $10 + $12 + $14 }' "$work/h2load-$port.out")
    [[ "$fails" == 0 ]] || { cat "$work/h2load-$port.out" >&2; echo "ab-cpu: failed requests on $port" >&2; exit 1; }
  done
  ratio=$(awk -v a=$((a1 - a0)) -v b=$((b1 - b0)) 'BEGIN { printf "%.3f", b / a }')
  echo "round $round: A $(( (a1 - a0) * 10000 / N )) us, B $(( (b1 - b0) * 10000 / N )) us per request, B/A $ratio"
  ratios+=("$ratio")
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n |
  awk '{ r[NR] = $1 } END { printf "%.3f", (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }')
echo "ab-cpu: B/A CPU per request $median (median of $ROUNDS rounds: ${ratios[*]})"
