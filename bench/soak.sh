#!/usr/bin/env bash
# Soak: a gateway started from this repo (Netty's leak detector at paranoid) carries mixed traffic
# for DURATION: h2load over h2 and over HTTP/1.1 at a steady rate, and Node clients over SPDY/3.1,
# h2 and HTTP/1.1 that also reset streams mid-download and read slowly (bench/soak-clients.js).
# Every SAMPLE_INTERVAL it samples the gateway's RSS, open file descriptors, threads and live
# heap. At the end it stops the gateway with SIGTERM and judges:
#   - error-free streams: h2load has no failed/errored/timed-out request and only 2xx answers;
#     the Node clients have no error; every access-log line is TCP_MISS or, for a stream the
#     client reset, ERR_CLIENT_ABORT; no protocol error was counted; the gateway exited 0;
#   - memory flat: median RSS of the last quarter of the samples at most MAX_RSS_GROWTH_MIB above
#     that of the second quarter (the first quarter is warm-up: JIT, pools filling);
#   - file descriptors flat: the same with MAX_FD_GROWTH;
#   - leak detector clean: no "LEAK:" line in the gateway's output.
# Exit status 0 only if all hold. The last line printed is the figure.
#
#   bench/soak.sh                      # 30 minutes
#   DURATION=90 bench/soak.sh          # the short run the tests make (SoakTest)
#
# Environment: DURATION (seconds, or with an m/h suffix; default 30m), SAMPLE_INTERVAL (s, 10),
# MAX_RSS_GROWTH_MIB (64), MAX_FD_GROWTH (32), TLS_PORT / HTTP_PORT / ADMIN_PORT (0: any free
# port), SOAK_DIR (where logs, samples and reports go; default a new temp dir), MUXGATE_CP (a
# ready classpath; default: build gateway/target with Maven's package phase and use it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

seconds() {
  case "$1" in
    *h) echo $(( ${1%h} * 3600 )) ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}
DURATION=$(seconds "${DURATION:-30m}")
SAMPLE_INTERVAL=${SAMPLE_INTERVAL:-10}
MAX_RSS_GROWTH_MIB=${MAX_RSS_GROWTH_MIB:-64}
MAX_FD_GROWTH=${MAX_FD_GROWTH:-32}
OUT=${SOAK_DIR:-$(mktemp -d /tmp/muxgate-soak.XXXXXX)}
mkdir -p "$OUT"

for tool in h2load node curl; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is missing (bin/test-setup installs it)" >&2; exit 2; }
done
[[ -d node_modules/spdy-transport ]] || { echo "soak: node_modules missing: run bin/test-setup" >&2; exit 2; }

if [[ -z "${MUXGATE_CP:-}" ]]; then
  echo "soak: building the gateway (mvn package)..." >&2
  mvn -q -B -DskipTests package -pl gateway -am >&2
  MUXGATE_CP="gateway/target/gateway-0.1.0-SNAPSHOT.jar:gateway/target/lib/*"
fi

cat >"$OUT/gateway.yaml" <<EOF
listeners:
  http:
    host: 127.0.0.1
    port: ${HTTP_PORT:-0}
tls:
  host: 127.0.0.1
  port: ${TLS_PORT:-0}
  state-dir: $OUT/state
admin:
  port: ${ADMIN_PORT:-0}
warm-up:
  requests: 0
shutdown-grace: 5s
logs:
  access:
    path: $OUT/access.log
    format: '%<cqtq> %<ttms> %<chi> %<pitag> %<piid> %<cqhm> %<cquc> %<pssc> %<psql> %<sssc> %<shn> %<crc>'
  session:
    path: $OUT/session.log
EOF

# A fixed, pre-touched heap: the heap's pages are resident from the start, so RSS growth shows
# what grows outside it (direct buffers, threads, code) and a leak there is not hidden.
java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=paranoid \
  -cp "$MUXGATE_CP" dev.muxgate.gateway.Main --config "$OUT/gateway.yaml" >"$OUT/gateway.out" 2>&1 &
GW=$!
cleanup() {
  kill "$GW" 2>/dev/null || true
  [[ -n "${LOADS:-}" ]] && kill $LOADS 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 600); do
  grep -q '^muxgate: ready' "$OUT/gateway.out" 2>/dev/null && break
  kill -0 "$GW" 2>/dev/null || { cat "$OUT/gateway.out" >&2; echo "soak: the gateway did not start" >&2; exit 1; }
  sleep 0.1
done
grep -q '^muxgate: ready' "$OUT/gateway.out" || { echo "soak: the gateway did not get ready" >&2; exit 1; }
PORT=$(sed -n 's/^muxgate: TLS listener on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$OUT/gateway.out")
ADMIN=$(sed -n 's/^muxgate: admin on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$OUT/gateway.out")
URL="https://127.0.0.1:$PORT"
echo "soak: gateway pid $GW on $URL (admin $ADMIN), ${DURATION}s, output in $OUT" >&2

h2load -D "$DURATION" -c 4 -m 4 --rps 40 "$URL/bytes/1024" "$URL/bytes/16384" "$URL/delay/20" "$URL/" \
  >"$OUT/h2load-h2.out" 2>&1 &
L1=$!
h2load --h1 -D "$DURATION" -c 4 --rps 20 "$URL/bytes/1024" "$URL/bytes/16384" "$URL/" \
  >"$OUT/h2load-h1.out" 2>&1 &
L2=$!
node bench/soak-clients.js "$PORT" "$DURATION" 2 >"$OUT/node.out" 2>"$OUT/node.err" &
L3=$!
LOADS="$L1 $L2 $L3"

echo "seconds,rss_kib,fds,threads,heap_used_bytes" >"$OUT/samples.csv"
START=$(date +%s)
sample() {
  local rss fds threads heap
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$GW/status")
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$GW/status")
  fds=$(ls "/proc/$GW/fd" | wc -l)
  heap=$(curl -s "http://127.0.0.1:$ADMIN/metrics" \
    | awk '/^jvm_memory_used_bytes\{area="heap"/ {sum += $NF} END {printf "%.0f", sum}')
  echo "$(( $(date +%s) - START )),$rss,$fds,$threads,$heap" >>"$OUT/samples.csv"
}
while kill -0 $L1 2>/dev/null || kill -0 $L2 2>/dev/null || kill -0 $L3 2>/dev/null; do
  sample
  sleep "$SAMPLE_INTERVAL"
done
sample
wait $L1 || true
wait $L2 || true
NODE_STATUS=0
wait $L3 || NODE_STATUS=$?
LOADS=""

curl -s "http://127.0.0.1:$ADMIN/metrics" >"$OUT/metrics.txt"
kill -TERM "$GW"
GW_STATUS=0
wait "$GW" || GW_STATUS=$?
trap - EXIT

fail=()
succeeded() {
  local n
  n=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' "$1" 2>/dev/null)
  echo "${n:-0}"
}
H2_OK=$(succeeded "$OUT/h2load-h2.out")
H1_OK=$(succeeded "$OUT/h2load-h1.out")
for f in h2 h1; do
  file="$OUT/h2load-$f.out"
  line=$(grep '^requests:' "$file" || echo "none")
  [[ "$line" =~ \ 0\ failed,\ 0\ errored,\ 0\ timeout ]] || fail+=("h2load $f: $line")
  grep -q '^status codes: [0-9]* 2xx, 0 3xx, 0 4xx, 0 5xx' "$file" || fail+=("h2load $f: $(grep '^status codes' "$file" || echo none)")
done
(( H2_OK > 0 && H1_OK > 0 )) || fail+=("h2load: no request succeeded")

NODE_JSON=$(tail -1 "$OUT/node.out" 2>/dev/null || echo '{}')
read -r SPDY_OK NODE_H2_OK NODE_H1_OK RESETS SLOW NODE_ERRORS < <(node -e '
  const r = JSON.parse(process.argv[1] || "{}"); const s = r.stats || {};
  const g = (p, k) => (s[p] && s[p][k]) || 0;
  const all = (k) => ["spdy/3.1", "h2", "http/1.1"].reduce((a, p) => a + g(p, k), 0);
  console.log([g("spdy/3.1", "ok"), g("h2", "ok"), g("http/1.1", "ok"), all("reset"), all("slow"),
    all("errors") + g("node", "errors") + (r.error ? 1 : 0)].join(" "));' "$NODE_JSON")
(( NODE_STATUS == 0 && NODE_ERRORS == 0 )) || fail+=("node clients: status $NODE_STATUS, $NODE_JSON")
(( SPDY_OK > 0 )) || fail+=("no SPDY stream completed")

LINES=$(wc -l <"$OUT/access.log")
BAD_LINES=$(awk '$12 != "TCP_MISS" && $12 != "ERR_CLIENT_ABORT"' "$OUT/access.log" | wc -l)
ABORTS=$(awk '$12 == "ERR_CLIENT_ABORT"' "$OUT/access.log" | wc -l)
(( BAD_LINES == 0 )) || fail+=("$BAD_LINES access-log lines neither TCP_MISS nor a client reset, e.g. $(awk '$12 != "TCP_MISS" && $12 != "ERR_CLIENT_ABORT"' "$OUT/access.log" | head -2 | tr '\n' ';')")
PROTOCOL_ERRORS=$(awk '/^muxgate_protocol_errors_total/ {sum += $NF} END {printf "%.0f", sum}' "$OUT/metrics.txt")
(( PROTOCOL_ERRORS == 0 )) || fail+=("$PROTOCOL_ERRORS protocol errors counted")
(( GW_STATUS == 0 )) || fail+=("the gateway exited $GW_STATUS after SIGTERM")
LEAKS=$(grep -c 'LEAK:' "$OUT/gateway.out" || true)
(( LEAKS == 0 )) || fail+=("$LEAKS leak-detector reports in $OUT/gateway.out")

# Flatness: medians of the second and the last quarter of the samples.
read -r N RSS_A RSS_B FD_A FD_B HEAP_A HEAP_B < <(awk -F, 'NR > 1 {rss[n] = $2; fd[n] = $3; heap[n] = $5; n++}
  function median(a, from, to,   i, j, t, k, m, v) {
    k = 0; for (i = from; i < to; i++) v[k++] = a[i]
    for (i = 0; i < k; i++) for (j = i + 1; j < k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return k ? v[int(k / 2)] : 0
  }
  END {
    q = int(n / 4); if (q < 1) q = 1
    printf "%d %d %d %d %d %d %d\n", n, median(rss, q, 2 * q), median(rss, n - q, n),
      median(fd, q, 2 * q), median(fd, n - q, n), median(heap, q, 2 * q), median(heap, n - q, n)
  }' "$OUT/samples.csv")
RSS_GROWTH_KIB=$(( RSS_B - RSS_A ))
FD_GROWTH=$(( FD_B - FD_A ))
(( N >= 8 )) || fail+=("only $N samples: run longer than 8 x SAMPLE_INTERVAL")
(( RSS_GROWTH_KIB <= MAX_RSS_GROWTH_MIB * 1024 )) || fail+=("RSS grew $(( RSS_GROWTH_KIB / 1024 )) MiB (bound $MAX_RSS_GROWTH_MIB)")
(( FD_GROWTH <= MAX_FD_GROWTH )) || fail+=("open fds grew by $FD_GROWTH (bound $MAX_FD_GROWTH)")

{
  echo "soak: h2load h2 $H2_OK and http/1.1 $H1_OK requests succeeded; node: spdy/3.1 $SPDY_OK, h2 $NODE_H2_OK, http/1.1 $NODE_H1_OK whole, $SLOW read slowly, $RESETS reset on purpose"
  echo "soak: access log $LINES lines, $ABORTS client resets, $BAD_LINES other failures; protocol errors $PROTOCOL_ERRORS; gateway exit $GW_STATUS"
  echo "soak: $N samples every ${SAMPLE_INTERVAL}s in $OUT/samples.csv"
} | tee "$OUT/report.txt"
for f in "${fail[@]}"; do
  echo "soak: FAIL: $f" | tee -a "$OUT/report.txt"
done
VERDICT=PASS
(( ${#fail[@]} == 0 )) || VERDICT=FAIL
echo "soak: ${DURATION}s, $(( H2_OK + H1_OK + SPDY_OK + NODE_H2_OK + NODE_H1_OK + SLOW )) streams ok, $NODE_ERRORS client errors, $BAD_LINES failed lines, RSS $(( RSS_A / 1024 )) -> $(( RSS_B / 1024 )) MiB, fds $FD_A -> $FD_B, heap $(( HEAP_A >> 20 )) -> $(( HEAP_B >> 20 )) MiB, leaks $LEAKS: $VERDICT" | tee -a "$OUT/report.txt"
[[ $VERDICT == PASS ]]
