#!/usr/bin/env bash
# The fixtures in tests/fixtures/ are copies of the shared corpus: this checks they still are,
# byte for byte, and that every license file of the corpus has its copy (the license tests
# expect an id for each). Needs ../shared (or --corpus DIR); run by .ci/run when it is there.
#
#   scripts/check-fixtures.sh [--corpus DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/hub-corpus
[[ ${1:-} == --corpus ]] && corpus=$2
fx=tests/fixtures
bad=0
differs() { echo "fixture differs from the corpus: $1" >&2; bad=1; }

api_of() { # kind org name -> the corpus answer the emulator serves
  local f="$corpus/api/$1--$2--$3.json"
  [[ -f $f ]] || f="$corpus/api/derived/$1--$2--$3.json"
  echo "$f"
}

for dir in "$fx"/hub/*/; do
  flat=$(basename "$dir") org=${flat%%__*} name=${flat#*__}
  cmp -s "$(api_of models "$org" "$name")" "$dir/info.json" || differs "$dir/info.json"
  for file in "$dir"/files/* "$dir"/files/.[!.]*; do
    [[ -e $file ]] || continue
    cmp -s "$corpus/models/$org/$name/$(basename "$file")" "$file" || differs "$file"
  done
done
for file in "$fx"/datasets/*.json; do
  flat=$(basename "$file" .json) org=${flat%%__*} name=${flat#*__}
  cmp -s "$(api_of datasets "$org" "$name")" "$file" || differs "$file"
done
for file in "$corpus"/licenses/*; do
  cmp -s "$file" "$fx/licenses/corpus/$(basename "$file")" || differs "licenses/corpus/$(basename "$file")"
done
while IFS= read -r file; do
  rel=${file#"$corpus"/models/}
  cmp -s "$file" "$fx/licenses/models/${rel//\//__}" || differs "licenses/models/${rel//\//__}"
done < <(find "$corpus/models" -type f \( -name 'LICENSE*' -o -name 'LICENCE*' -o -name 'USE_POLICY*' \
           -o -name 'USAGE_POLICY*' -o -name 'NOTICE*' \))
[[ $bad == 0 ]] && echo "fixtures match $corpus"
exit $bad
