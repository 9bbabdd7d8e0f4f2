#!/usr/bin/env bash
# End-to-end checks over the whole shared corpus, against ../shared/tools/hub_emulator.py (the
# Python stand-in for the Hub). `cargo test` runs the same checks over the fixture subset with a
# Rust server; this runs them over every model of the corpus. Needs python3 and ../shared; run
# by .ci/run when ../shared is there.
#
#   scripts/corpus-e2e.sh [--shared DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
[[ ${1:-} == --shared ]] && shared=$2
emulator="$shared/tools/hub_emulator.py"
[[ -f $emulator ]] || { echo "error: $emulator not found" >&2; exit 2; }

cargo build --quiet
bin=$PWD/target/debug/openness
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

start() { # name args... -> sets URL (the Hub); GitHub's stand-in is in $work/$name.gh
  # GitHub's stand-in injects no faults and gets a quota no run reaches: what GitHub says is
  # the same in every run, so only the Hub's faults are under test.
  local name=$1; shift
  python3 "$emulator" --port-file "$work/$name.url" --github --github-port-file "$work/$name.gh" \
    --github-rate-limit 100000/3600 "$@" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [[ -s $work/$name.url && -s $work/$name.gh ]] && break; sleep 0.1; done
  URL=$(cat "$work/$name.url")
}
run() { # name args...: a clean Hugging Face and GitHub environment, on that emulator
  local name=$1; shift
  env -u HF_TOKEN -u HF_TOKEN_PATH -u HF_HUB_OFFLINE -u HF_HUB_CACHE -u GITHUB_ACTIONS \
    -u GITHUB_TOKEN -u GH_TOKEN -u OPENNESS_NO_CODE_HOST \
    GITHUB_API_URL="$(sed -n 1p "$work/$name.gh")" OPENNESS_GITHUB_RAW_URL="$(sed -n 2p "$work/$name.gh")" \
    HF_HOME="$(mktemp -d -p "$work")" HF_ENDPOINT="$(cat "$work/$name.url")" NO_COLOR=1 "$bin" "$@"
}

echo "== a ranking of the whole corpus is the same through injected faults"
start clean; clean=$URL
start faulty --faults 429=0.05,500=0.03,reset=0.02,truncate=0.02,slow=0.01 --seed 11; faulty=$URL
rank=(rank --search / --token hf_emulator_token --format json --concurrency 16)
run clean "${rank[@]}" | sed "s|$clean|[ENDPOINT]|g" > "$work/clean.json"
run faulty "${rank[@]}" | sed "s|$faulty|[ENDPOINT]|g" > "$work/faulty.json"
models=$(grep -o '"model": *"[^"]*"' "$work/clean.json" | sort -u | wc -l)
[[ $models -gt 100 ]] || { echo "error: only $models models ranked" >&2; exit 1; }
! grep -q '"code-host-unread"' "$work/clean.json" || { echo "error: GitHub's stand-in was not read" >&2; exit 1; }
cmp -s "$work/clean.json" "$work/faulty.json" || { echo "error: a fault changed the ranking" >&2; exit 1; }
echo "   $models models, identical"

echo "== every model of the corpus, and the hostile ones, audit without a panic or an escape byte"
start hostile --hostile
ids=$(grep -o '"model": *"[^"]*"' "$work/clean.json" | sed 's/.*"\([^"]*\)"$/\1/' | sort -u)
hostile_ids="hostile/escapes hostile/bad-yaml hostile/alias-bomb hostile/not-utf8 hostile/huge-readme hostile/wrong-types hostile/self-parent"
check_run() { # label, then the command's arguments
  local label=$1; shift
  if ! run hostile "$@" >"$work/out" 2>"$work/err"; then
    echo "error: $label failed:" >&2; tail -5 "$work/err" >&2; exit 1
  fi
  if grep -q "panicked" "$work/err" || LC_ALL=C grep -q $'[\x1b\x07]' "$work/out" "$work/err"; then
    echo "error: $label: a panic or an escape byte" >&2; exit 1
  fi
}
# shellcheck disable=SC2086
check_run "audit of the whole corpus" audit --token hf_emulator_token --format json $ids $hostile_ids
for format in table markdown html csv sarif junit cyclonedx; do
  # shellcheck disable=SC2086
  check_run "audit --format $format of the hostile models" audit --explain --format "$format" $hostile_ids
done
echo "   ok"
