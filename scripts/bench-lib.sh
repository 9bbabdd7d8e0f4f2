# Set-up shared by the benchmarks (sourced from the repository root, after `set -euo pipefail`):
# skips without ../shared, builds the release binary (BIN), makes a work folder (WORK) removed
# on exit with the emulator it started, and times a command (`timed`).
EMULATOR=../shared/tools/hub_emulator.py
[ -f "$EMULATOR" ] || { echo "skipped: $EMULATOR not found (../shared is not beside the repository)"; exit 0; }
cargo build --release --quiet
BIN=$PWD/target/release/openness
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The `huggingface_hub` baseline's interpreter (VENV), installed from PyPI once.
baseline_venv() {
  VENV=target/bench-venv
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet huggingface_hub
  fi
}

# args: label, command...; runs it with its output in $WORK/label.{out,err} and prints
# "seconds peak_kb"; a failure prints the end of its stderr and stops the benchmark.
timed() {
  /usr/bin/time -f "%e %M" -o "$WORK/time" "${@:2}" > "$WORK/$1.out" 2> "$WORK/$1.err" || { echo "$1 failed:"; tail -5 "$WORK/$1.err"; exit 1; }
  cat "$WORK/time"
}
