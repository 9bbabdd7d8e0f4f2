#!/usr/bin/env bash
# Copies Hub repositories from the shared corpus into tests/fixtures/, the layout the tests'
# fake Hub (tests/integration/fake_hub/) serves:
#   models:   tests/fixtures/hub/<org>__<name>/info.json and files/
#   datasets: tests/fixtures/datasets/<org>__<name>.json  (with --dataset)
# The recorded API answer (api/*.json) wins over the derived one (api/derived/), as in
# hub_emulator.py.
#
#   scripts/add-fixture.sh [--corpus DIR] ORG/NAME...
#   scripts/add-fixture.sh --dataset ORG/NAME...
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/hub-corpus
kind=models
while [[ $# -gt 0 ]]; do
  case "$1" in
    --corpus) corpus=$2; shift 2 ;;
    --dataset) kind=datasets; shift ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || { echo "usage: $0 [--corpus DIR] [--dataset] ORG/NAME..." >&2; exit 2; }
for id in "$@"; do
  org=${id%%/*} name=${id#*/}
  flat="${org}--${name}"
  api="$corpus/api/$kind--$flat.json"
  [[ -f $api ]] || api="$corpus/api/derived/$kind--$flat.json"
  [[ -f $api ]] || { echo "error: $id: no $kind answer in $corpus/api" >&2; exit 1; }
  if [[ $kind == datasets ]]; then
    cp "$api" "tests/fixtures/datasets/${org}__${name}.json"
  else
    dest="tests/fixtures/hub/${org}__${name}"
    mkdir -p "$dest/files"
    cp "$api" "$dest/info.json"
    if [[ -d "$corpus/models/$org/$name" ]]; then
      cp -R "$corpus/models/$org/$name/." "$dest/files/"
      chmod -R u+w "$dest"
    fi
  fi
  echo "copied $id"
done
