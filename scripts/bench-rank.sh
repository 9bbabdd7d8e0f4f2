#!/usr/bin/env bash
# Benchmark: `openness rank` over N synthetic models served by the Hub emulator, side by side
# with a Python baseline written as a `huggingface_hub` user would (model_info + README + LICENSE
# per model), then the same ranking under the emulator's rate limit.
#
#   scripts/bench-rank.sh [N=500] [LATENCY_MS=50] [RATE=50/1]
#
# Needs ../shared (the emulator and corpus), python3, and network access to PyPI once (the
# baseline's huggingface_hub is installed into target/bench-venv). Prints wall time, requests per
# model (from /_emulator/stats) and peak memory for both, and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
LATENCY=${2:-50}
RATE=${3:-50/1}
source scripts/bench-lib.sh
baseline_venv

start_emulator() { # args: extra emulator options; sets URL
  python3 "$EMULATOR" --synthetic "$N" --port-file "$WORK/url" "$@" > /dev/null 2>&1 &
  for _ in $(seq 100); do [ -s "$WORK/url" ] && break; sleep 0.1; done
  URL=$(cat "$WORK/url"); rm -f "$WORK/url"
}
requests() { python3 -c "import json,urllib.request,sys;print(json.load(urllib.request.urlopen(sys.argv[1]+'/_emulator/stats'))['total'])" "$URL"; }
measure() { # args: label, command...; prints "seconds peak_kb requests"
  local before after took
  before=$(requests)
  took=$(timed "$@")
  after=$(requests)
  echo "$took $((after - before))"
}

echo "== $N synthetic models, ${LATENCY} ms latency per request"
start_emulator --latency-ms "$LATENCY"
python3 -c "import json,urllib.request,sys;[print(m['id']) for m in json.load(urllib.request.urlopen(sys.argv[1]+'/api/models?search=synthetic-&limit=1000'))]" "$URL" | head -n "$N" > "$WORK/ids"
read -r o_s o_kb o_req <<< "$(measure openness env HF_HOME="$WORK/hf-openness" "$BIN" rank --search synthetic- --endpoint "$URL" --format json -o "$WORK/rank.json" --quiet)"
read -r p_s p_kb p_req <<< "$(measure baseline env HF_HOME="$WORK/hf-python" HF_HUB_DISABLE_PROGRESS_BARS=1 "$VENV/bin/python" scripts/bench_baseline.py "$URL" "$WORK/ids" "$WORK/hf-python/hub")"
ranked=$(python3 -c "import json,sys;d=json.load(open(sys.argv[1]));print(len(d['scorecards']), len(d['errors']))" "$WORK/rank.json")
printf '%-22s %10s %14s %14s\n' "" "wall (s)" "requests/model" "peak RSS (MB)"
printf '%-22s %10s %14.2f %14.1f\n' "openness rank" "$o_s" "$(echo "$o_req / $N" | bc -l)" "$(echo "$o_kb / 1024" | bc -l)"
printf '%-22s %10s %14.2f %14.1f\n' "huggingface_hub loop" "$p_s" "$(echo "$p_req / $N" | bc -l)" "$(echo "$p_kb / 1024" | bc -l)"
printf 'speed-up: %.1fx   (openness ranked %s scorecards, %s errors)\n' "$(echo "$p_s / $o_s" | bc -l)" ${ranked}
kill %1; wait 2>/dev/null || true

echo
echo "== the same ranking under --rate-limit $RATE (fixed windows, both buckets), ${LATENCY} ms latency"
start_emulator --latency-ms "$LATENCY" --rate-limit "$RATE" --log "$WORK/requests.log"
read -r r_s r_kb r_req <<< "$(measure limited env HF_HOME="$WORK/hf-limited" "$BIN" rank --search synthetic- --endpoint "$URL" --format json -o "$WORK/limited.json" --quiet)"
python3 - "$WORK/requests.log" "$WORK/limited.json" "$RATE" "$r_s" <<'PY'
import json, sys
log, report, rate, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
quota, window = (float(x) for x in rate.split("/"))
per_second = quota / window
lines = [json.loads(l) for l in open(log)]
refused = sum(1 for l in lines if l["status"] == 429)
resolvers = sum(1 for l in lines if "/resolve/" in l["path"])
api = len(lines) - resolvers
d = json.load(open(report))
print(f"ranked {len(d['scorecards'])} models, {len(d['errors'])} errors; {len(lines)} requests "
      f"({api} api, {resolvers} resolvers), {refused} answered 429")
total_bound = len(lines) / per_second
bucket_bound = max(api, resolvers) / per_second
print(f"wall {seconds:.1f} s; the limit imposes {total_bound:.1f} s counting all requests "
      f"(ratio {seconds / total_bound:.2f}), {bucket_bound:.1f} s per bucket (ratio {seconds / bucket_bound:.2f})")
PY
