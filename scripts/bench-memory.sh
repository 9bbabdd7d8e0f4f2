#!/usr/bin/env bash
# Benchmark (issue 17 point 4): peak RSS of `openness rank --search synthetic- --format json -o
# FILE` over N synthetic models served by the Hub emulator (no latency), for each N given.
#
#   scripts/bench-memory.sh [N...]   (default: 500 2000 10000)
#
# Needs ../shared (the emulator) and python3. Peak RSS from /usr/bin/time, heap from heaptrack
# when it is installed (`heaptrack_print` peak), per-scorecard cost from the slope.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("${@:-500 2000 10000}")
[ $# -eq 0 ] && SIZES=(500 2000 10000)
source scripts/bench-lib.sh
printf '%8s %10s %14s %14s\n' models "wall (s)" "peak RSS (MB)" "JSON (MB)"
for n in "${SIZES[@]}"; do
  rm -f "$WORK/url"
  python3 "$EMULATOR" --synthetic "$n" --port-file "$WORK/url" > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 300); do [ -s "$WORK/url" ] && break; sleep 0.1; done
  URL=$(cat "$WORK/url")
  /usr/bin/time -f "%e %M" -o "$WORK/time" env HF_HOME="$WORK/hf-$n" "$BIN" rank --search synthetic- \
    --endpoint "$URL" --format json -o "$WORK/rank.json" --quiet
  read -r s kb < "$WORK/time"
  printf '%8s %10s %14.1f %14.1f\n' "$n" "$s" "$(echo "$kb / 1024" | bc -l)" "$(echo "$(stat -c %s "$WORK/rank.json") / 1048576" | bc -l)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
