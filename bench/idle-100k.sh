#!/usr/bin/env bash
# Holds 100,000 idle TLS h2 sessions on one gateway on loopback and reports its memory per session,
# while a well-behaved client's latency is measured before and during the hold.
#
#   bench/idle-100k.sh                # 100,000 sessions
#   SESSIONS=20000 bench/idle-100k.sh # fewer
#
# The gateway is started with bin/muxgate (so with the heap and GC settings it chooses), pinned to
# PROXY_CPU (default 1), with the demo origin and the default warm-up; the client (bench/IdleSessions.java,
# one Netty event loop) runs on LOAD_CPU (default 0) from SOURCES addresses 127.0.0.2.. (one source
# address runs out of ephemeral ports near 28,000). Each session is a full handshake with ALPN h2, the
# preface and SETTINGS, then nothing. Time-bounded: OPEN_TIMEOUT (default 600 s) for opening them all.
# The last line is the summary:
#   idle-100k: <held> sessions held, RSS <rss0> -> <rss> MiB, <k> KiB/session; good client mean <a> ms -> <b> ms
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SESSIONS="${SESSIONS:-100000}"
SOURCES="${SOURCES:-$(( (SESSIONS + 19999) / 20000 ))}"
PORT="${IDLE_PORT:-8443}"
PROXY_CPU="${PROXY_CPU:-1}"
LOAD_CPU="${LOAD_CPU:-0}"
OPEN_TIMEOUT="${OPEN_TIMEOUT:-600}"
CONCURRENCY="${CONCURRENCY:-128}"
cd "$ROOT"

# Every session is a file descriptor in the gateway and one in the client. Raising the hard limit
# needs CAP_SYS_RESOURCE; where it is missing (some sandboxes), the run holds as many sessions as
# the limit allows and says so, and the summary line gives the measured count.
fds=$((SESSIONS + 1000))
ulimit -Hn "$fds" 2>/dev/null || true
hard="$(ulimit -Hn)"
if [[ "$hard" != unlimited ]] && (( hard < fds )); then
  SESSIONS=$((hard - 1000))
  echo "idle-100k: the open-files hard limit is $hard and cannot be raised here (no CAP_SYS_RESOURCE): holding $SESSIONS sessions instead" >&2
  fds="$hard"
  SOURCES="$(( (SESSIONS + 19999) / 20000 ))"
fi
ulimit -n "$fds"
command -v h2load >/dev/null || { echo "idle-100k: h2load not found (bin/test-setup installs nghttp2-client)" >&2; exit 2; }

mvn -q -B -DskipTests install >&2

work="$(mktemp -d -t muxgate-idle.XXXXXX)"
cat > "$work/gateway.yaml" <<YAML
listeners:
  http:
    enabled: false
tls:
  host: 127.0.0.1
  port: $PORT
  state-dir: $work/state
admin:
  enabled: false
connections:
  max: $((SESSIONS + 1000))
  max-per-client: $((SESSIONS + 1000))
h2:
  idle-timeout: 1h
logs:
  access:
    enabled: false
    path: $work/access.log
  session:
    enabled: false
    path: $work/session.log
YAML

pid=""
client=""
cleanup() {
  if [[ -n "$client" ]]; then kill "$client" 2>/dev/null || true; fi
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# bin/muxgate's own sizing rule for many sessions (see its comments and the README).
export MUXGATE_HEAP="${MUXGATE_HEAP:-$((256 + SESSIONS * 10 / 1024))m}"
taskset -c "$PROXY_CPU" bin/muxgate --config "$work/gateway.yaml" > "$work/muxgate.out" 2>&1 &
pid=$!
for _ in $(seq 1 1800); do
  grep -q "muxgate: ready" "$work/muxgate.out" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$work/muxgate.out" >&2; exit 1; }
  sleep 0.1
done
grep -q "muxgate: ready" "$work/muxgate.out" || { echo "idle-100k: muxgate did not start" >&2; cat "$work/muxgate.out" >&2; exit 1; }
jpid="$(pgrep -P $pid java || echo $pid)"   # bin/muxgate execs java, so usually the same pid
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$jpid/status"; }
mean_ms() {  # h2load's mean time per request of 2,000 sequential requests on one session, in ms
  taskset -c "$LOAD_CPU" h2load -n 2000 -c 1 -m 1 "https://127.0.0.1:$PORT/" 2>&1 \
    | awk '/time for request:/ {v=$6; u=v; gsub(/[0-9.]/,"",u); gsub(/[a-z]/,"",v);
            if (u=="us") v/=1000; else if (u=="s") v*=1000; printf "%.2f", v}'
}
sleep 2
mean0="$(mean_ms)"
sleep 3
rss0="$(rss)"
echo "idle-100k: gateway pid $jpid on cpu $PROXY_CPU, heap $MUXGATE_HEAP, RSS $rss0 MiB, good client mean $mean0 ms; opening $SESSIONS sessions from $SOURCES addresses" >&2

mkfifo "$work/hold"
taskset -c "$LOAD_CPU" java -Xss256k -Xmx6g -cp "gateway/target/lib/*" bench/IdleSessions.java \
  127.0.0.1 "$PORT" "$SESSIONS" "$SOURCES" "$CONCURRENCY" "$((OPEN_TIMEOUT + 600))" \
  < "$work/hold" > "$work/client.out" &
client=$!
exec 3> "$work/hold"   # the client holds its sessions until this closes
deadline=$((SECONDS + OPEN_TIMEOUT))
until grep -q '^open=' "$work/client.out" 2>/dev/null; do
  kill -0 $client 2>/dev/null || { echo "idle-100k: client died" >&2; cat "$work/client.out" >&2; exit 1; }
  (( SECONDS < deadline )) || { echo "idle-100k: not all sessions opened within ${OPEN_TIMEOUT}s" >&2; exit 1; }
  sleep 1
done
opened="$(grep '^open=' "$work/client.out")"
echo "idle-100k: client: $opened" >&2
sleep 5
held="$(ss -Htn state established "( sport = :$PORT )" | wc -l)"
rss1="$(rss)"
mean1="$(mean_ms)"
rss2="$(rss)"
exec 3>&-
wait "$client" || true
grep '^peer_closed=' "$work/client.out" >&2 || true
kib="$(awk -v a="$rss0" -v b="$rss1" -v n="$held" 'BEGIN { if (n > 0) printf "%.1f", (b - a) * 1024 / n; else print "n/a" }')"
echo "idle-100k: $held sessions held, RSS $rss0 -> $rss1 MiB ($rss2 after the good client), $kib KiB/session; good client mean $mean0 ms -> $mean1 ms"
