#!/usr/bin/env bash
# b24flow `plan` beside fast-bitrix24's `get_all` listing the same templates, on the
# local portal (`b24flow emulator`) answering every request after 100 ms.
#
# Creates N workflows (default 1,000) and applies them, then times, three times each:
# - `b24flow plan --format json` (reads every template and the user fields, builds
#   every lockfile's template and diffs: the whole command, process start included);
# - a Python process that imports fast_bitrix24 and lists every template with
#   `get_all("bizproc.workflow.template.list")`, selecting the same fields plan reads.
# Prints a Markdown table: wall time and the REST requests the portal received.
# Usage: bench/vs_fast_bitrix24.sh [N] [LATENCY_MS]   (B24FLOW_BIN picks the binary;
# default target/debug/b24flow, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000}"
LATENCY="${2:-100}"
BIN="${B24FLOW_BIN:-$PWD/target/debug/b24flow}"
[ -x "$BIN" ] || cargo build --quiet
python3 -c "import fast_bitrix24" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check fast-bitrix24

WORK="$(mktemp -d)"
PORT=$((20000 + RANDOM % 20000))
TOKEN="bench-app-token-7f3a"
HOOK="1/benchhook0123456789"
cleanup() {
    [ -n "${EMU:-}" ] && kill "$EMU" 2>/dev/null || true
    [ -n "${PROXY:-}" ] && kill "$PROXY" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" emulator --listen "127.0.0.1:$PORT" --rate off --latency-ms "$LATENCY" \
    --app-token "$TOKEN" --webhook "$HOOK" >"$WORK/emulator.log" 2>&1 &
EMU=$!
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/rest/profile.json?auth=$TOKEN" && break
    sleep 0.1
done
mkdir -p "$WORK/project/workflows"
printf '[portal]\nurl = "http://127.0.0.1:%s"\nrate = "off"\n' "$PORT" >"$WORK/project/b24flow.toml"
for i in $(seq 0 $((N - 1))); do
    printf 'When a new lead is created, add a comment "Lead rule %s"\n' "$i" \
        >"$WORK/project/workflows/w$(printf %04d "$i").txt"
done
(cd "$WORK/project" && "$BIN" compile >/dev/null 2>&1 && \
    B24FLOW_ACCESS_TOKEN="$TOKEN" "$BIN" apply --auto-approve >/dev/null 2>&1)

cat >"$WORK/fb.py" <<'PY'
import sys, time
t0 = time.perf_counter()
from fast_bitrix24 import Bitrix
import fast_bitrix24.srh as srh
sent = 0
_orig = srh.ServerRequestHandler.request_attempt
async def counting(self, *a, **k):
    global sent
    sent += 1
    return await _orig(self, *a, **k)
srh.ServerRequestHandler.request_attempt = counting
b = Bitrix(sys.argv[1], verbose=False)
rows = b.get_all("bizproc.workflow.template.list", params={"select": sys.argv[3].split(",")})
assert len(rows) == int(sys.argv[2]), len(rows)
print(f"{time.perf_counter() - t0:.2f} {sent}")
PY

# A counting proxy in front of the portal, for one untimed plan: how many HTTP
# requests b24flow sends.
cat >"$WORK/count.py" <<'PY'
import http.server, sys, urllib.request
upstream, count_file = sys.argv[2], sys.argv[3]
n = 0
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global n
        n += 1
        open(count_file, "w").write(str(n))
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        req = urllib.request.Request(upstream + self.path, data=body, method="POST",
                                     headers={"Content-Type": self.headers.get("Content-Type", "application/json")})
        with urllib.request.urlopen(req) as r:
            data = r.read()
            self.send_response(r.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
PROXY_PORT=$((PORT + 1))
python3 "$WORK/count.py" "$PROXY_PORT" "http://127.0.0.1:$PORT" "$WORK/count" &
PROXY=$!
sleep 0.5
mkdir -p "$WORK/counted"
cp -r "$WORK/project/workflows" "$WORK/counted/"
printf '[portal]\nurl = "http://127.0.0.1:%s"\nrate = "off"\n' "$PROXY_PORT" >"$WORK/counted/b24flow.toml"
(cd "$WORK/counted" && B24FLOW_ACCESS_TOKEN="$TOKEN" "$BIN" plan --format json >/dev/null 2>&1)
PLAN_REQUESTS=$(cat "$WORK/count")
kill "$PROXY"

SELECT="ID,MODULE_ID,ENTITY,DOCUMENT_TYPE,AUTO_EXECUTE,NAME,DESCRIPTION,TEMPLATE,PARAMETERS,VARIABLES,CONSTANTS,MODIFIED,IS_MODIFIED,USER_ID,SYSTEM_CODE"
echo "| tool | run | wall time | requests |"
echo "|---|---:|---:|---:|"
for run in 1 2 3; do
    start=$(date +%s.%N)
    out=$(cd "$WORK/project" && B24FLOW_ACCESS_TOKEN="$TOKEN" "$BIN" plan --format json 2>/dev/null)
    end=$(date +%s.%N)
    unchanged=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["unchanged"])')
    [ "$unchanged" = "$N" ] || { echo "plan saw $unchanged unchanged, not $N" >&2; exit 1; }
    printf '| b24flow plan | %s | %.2f s | %s |\n' "$run" "$(echo "$end - $start" | bc)" "$PLAN_REQUESTS"
done
for run in 1 2 3; do
    read -r secs sent < <(python3 "$WORK/fb.py" "http://127.0.0.1:$PORT/rest/$HOOK/" "$N" "$SELECT")
    printf '| fast-bitrix24 get_all | %s | %s s | %s |\n' "$run" "$secs" "$sent"
done
