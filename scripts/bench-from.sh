#!/usr/bin/env bash
# Benchmark (issue 17): `openness rank --from FILE` — 200 models of 25 organisations — against the
# `huggingface_hub` loop on the same emulator in one run, then the cost of a second identical run
# on the warm cache, then four shards against the unsharded JSONL.
#
#   scripts/bench-from.sh [PER_ORG=8] [LATENCY_MS=50]
#
# Needs ../shared (the emulator), python3, and PyPI once (huggingface_hub into target/bench-venv).
# Requests, their statuses and paths come from the emulator's --log; wall time and peak RSS from
# /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
PER_ORG=${1:-8}
LATENCY=${2:-50}
source scripts/bench-lib.sh
baseline_venv

python3 "$EMULATOR" --synthetic 500 --latency-ms "$LATENCY" --log "$WORK/requests.log" --port-file "$WORK/url" > /dev/null 2>&1 &
for _ in $(seq 100); do [ -s "$WORK/url" ] && break; sleep 0.1; done
URL=$(cat "$WORK/url")
# PER_ORG models of each of the 25 synthetic organisations.
python3 - "$URL" "$PER_ORG" > "$WORK/ids" <<'PY'
import json, sys, urllib.request
ids = [m["id"] for m in json.load(urllib.request.urlopen(sys.argv[1] + "/api/models?search=synthetic-&limit=1000"))]
per_org, taken = int(sys.argv[2]), {}
for i in sorted(ids):
    org = i.split("/")[0]
    if taken.get(org, 0) < per_org:
        taken[org] = taken.get(org, 0) + 1
        print(i)
PY
N=$(wc -l < "$WORK/ids")

lines() { wc -l < "$WORK/requests.log" 2>/dev/null || echo 0; }
# args: label, command...; prints "seconds peak_kb first_log_line last_log_line"
measure() {
  local before after took
  before=$(lines)
  took=$(timed "$@")
  after=$(lines)
  echo "$took $before $after"
}
# args: first, last line of the log; prints "requests bodies" (bodies: file downloads answered 200)
count() {
  sed -n "$(($1 + 1)),$2p" "$WORK/requests.log" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
bodies = sum(1 for r in rows if "/resolve/" in r["path"] and r["status"] == 200 and r["method"] == "GET")
print(len(rows), bodies)'
}

echo "== rank --from: $N models of 25 organisations, ${LATENCY} ms per request"
read -r o_s o_kb a b <<< "$(measure first env HF_HOME="$WORK/hf" "$BIN" rank --from "$WORK/ids" --endpoint "$URL" --format json -o "$WORK/first.json" --quiet)"
read -r o_req o_bodies <<< "$(count "$a" "$b")"
read -r s_s s_kb a b <<< "$(measure second env HF_HOME="$WORK/hf" "$BIN" rank --from "$WORK/ids" --endpoint "$URL" --format json -o "$WORK/second.json" --quiet)"
read -r s_req s_bodies <<< "$(count "$a" "$b")"
read -r p_s p_kb a b <<< "$(measure baseline env HF_HOME="$WORK/hf-python" HF_HUB_DISABLE_PROGRESS_BARS=1 "$VENV/bin/python" scripts/bench_baseline.py "$URL" "$WORK/ids" "$WORK/hf-python/hub")"
read -r p_req p_bodies <<< "$(count "$a" "$b")"
printf '%-30s %9s %15s %13s %14s\n' "" "wall (s)" "requests/model" "file bodies" "peak RSS (MB)"
row() { printf '%-30s %9s %15.2f %13s %14.1f\n' "$1" "$2" "$(echo "$3 / $N" | bc -l)" "$4" "$(echo "$5 / 1024" | bc -l)"; }
row "openness rank --from" "$o_s" "$o_req" "$o_bodies" "$o_kb"
row "  the same, second run" "$s_s" "$s_req" "$s_bodies" "$s_kb"
row "huggingface_hub loop" "$p_s" "$p_req" "$p_bodies" "$p_kb"
printf 'speed-up: %.1fx\n' "$(echo "$p_s / $o_s" | bc -l)"
python3 - "$WORK/first.json" "$WORK/second.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
strip = lambda d: [{k: v for k, v in c.items() if k != "retrieval"} for c in d["scorecards"]]
print(f"{len(a['scorecards'])} scorecards, {len(a['errors'])} errors; second run identical but for "
      f"retrieval: {strip(a) == strip(b)}; metadata of the second run: "
      f"{sorted({c['retrieval']['metadata'] for c in b['scorecards']})}")
PY

echo
echo "== shards: rank --search synthetic- as one run and as --shard 1/4 … 4/4 (JSONL, fresh caches)"
"$BIN" rank --search synthetic- --endpoint "$URL" --format jsonl --quiet --cache-dir "$WORK/c0" > "$WORK/all.jsonl"
for i in 1 2 3 4; do
  "$BIN" rank --search synthetic- --shard "$i/4" --endpoint "$URL" --format jsonl --quiet --cache-dir "$WORK/c$i" > "$WORK/shard$i.jsonl"
done
wc -l "$WORK"/shard?.jsonl | sed 's#'"$WORK"'/##'
if cmp -s <(sort "$WORK/all.jsonl") <(cat "$WORK"/shard?.jsonl | sort); then
  echo "shards 1/4…4/4 together equal the unsharded JSONL ($(wc -l < "$WORK/all.jsonl") lines)"
else
  echo "SHARDS DIFFER"; exit 1
fi
