#!/usr/bin/env bash
# bin/muxgate-logs as an operator runs it: the launcher's choice of java, its start-up archive (an
# AOT cache on JDK 25 and later, a class data archive before) trained on first use, and the same
# report from every java it may pick. Run by bin/test-all after the Maven build (the jar is fresh,
# so the launcher does not build again). Fails on the first difference.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
LOGS="$ROOT/bin/muxgate-logs"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT

fail() {
  echo "launcher-test: FAIL: $*" >&2
  exit 1
}

# Three sessions (two h2, one spdy/3.1) of 3, 1 and 2 streams, one untagged line, one bad line.
cat >"$DIR/access.log" <<'EOF'
1764000000.000 12 10.0.0.1 h2 7 GET https://x/a 200 100 200 o
1764000000.001 12 10.0.0.1 h2 7 GET https://x/b 404 10 404 o
1764000000.002 12 10.0.0.2 spdy/3.1 9 GET https://x/c 200 1000 200 o
1764000000.003 12 10.0.0.1 h2 7 GET https://x/d 500 1 500 o
1764000000.004 12 10.0.0.3 h2 8 GET https://x/e 200 5 200 o
1764000000.005 12 10.0.0.2 spdy/3.1 9 POST https://x/f 200 2000 200 o
1764000000.006 12 192.0.2.1 - 0 GET https://x/g 200 7 200 o
1764000000.007 not a log line
EOF
expected="protocol,sessions,streams,mean,p50,p90,p99,max,bytes,2xx,3xx,4xx,5xx,errors
h2,2,4,2,1,3,3,3,116,2,0,1,1,1
spdy/3.1,1,2,2,2,2,2,2,3000,2,0,0,0,0
untagged,0,1,0,0,0,0,0,7,1,0,0,0,0"

# run NAME [ENV=VALUE...]: the summary through the launcher, checked against the expected report.
run() {
  local name="$1"
  shift
  local status=0
  (cd "$DIR" && env "$@" "$LOGS" summary --output csv access.log >"$DIR/$name.out" 2>"$DIR/$name.err") || status=$?
  [[ "$status" == 0 ]] || fail "$name: exit status $status: $(cat "$DIR/$name.err")"
  # CSV lines end in CRLF (RFC 4180).
  [[ "$(tr -d '\r' <"$DIR/$name.out")" == "$expected" ]] || fail "$name: report differs:
$(diff <(echo "$expected") <(tr -d '\r' <"$DIR/$name.out"))"
  grep -q '1 malformed line skipped (of 8)' "$DIR/$name.err" || fail "$name: no malformed-line warning: $(cat "$DIR/$name.err")"
  grep -q 'access.log:8: ' "$DIR/$name.err" || fail "$name: the bad line is not named: $(cat "$DIR/$name.err")"
}

run chosen
choice="$ROOT/log-tools/target/muxgate-logs-java"
[[ -f "$choice" ]] || fail "the launcher kept no java choice in $choice"
read -r major java <"$choice"
[[ -x "$java" ]] || fail "the chosen java '$java' is not executable"
if (( major >= 25 )); then
  archive="$ROOT/log-tools/target/muxgate-logs-jdk$major.aot"
else
  archive="$ROOT/log-tools/target/muxgate-logs-jdk$major.jsa"
fi
[[ -s "$archive" ]] || fail "no start-up archive $archive after a run (training log: $(tail -3 "$archive.log" 2>/dev/null))"
run again
echo "launcher-test: java $major ($java), archive $(basename "$archive"): same report twice"

# The java on the PATH as well, when it is another one (JDK 17 here: a class data archive).
path_java="$(readlink -f "$(type -P java)")"
if [[ "$path_java" != "$(readlink -f "$java")" ]]; then
  run path-java MUXGATE_JAVA="$path_java"
  echo "launcher-test: MUXGATE_JAVA=$path_java: same report"
fi

# A usage error is exit status 2 with one line, through the launcher too.
status=0
"$LOGS" summary --format 'no tag or id' "$DIR/access.log" >/dev/null 2>"$DIR/usage.err" || status=$?
[[ "$status" == 2 ]] || fail "a bad --format gave exit status $status"
[[ "$(wc -l <"$DIR/usage.err")" == 1 ]] || fail "a bad --format said: $(cat "$DIR/usage.err")"
echo "launcher-test: PASS"
