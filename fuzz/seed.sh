#!/usr/bin/env bash
# Seeds the fuzz corpora: copies real inputs into fuzz/corpus/<target>/ (gitignored), plus the
# small hand-written seeds committed under fuzz/seeds/<target>/.
#
#   fuzz/seed.sh                 # every target
#   fuzz/seed.sh evidence rubric # some targets
#
# Real inputs come from the shared Hub corpus (../shared/hub-corpus next to the repository, or
# $HUB_CORPUS), the built-in rubrics and the rubric test corpus. Seeding is idempotent: files are
# named after their source, so running it again overwrites instead of duplicating.
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$fuzz")"
hub="${HUB_CORPUS:-$root/../shared/hub-corpus}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(frontmatter license evidence rubric config_toml policy headers card)

if [ ! -d "$hub" ]; then
  echo "seed.sh: no Hub corpus at $hub (set HUB_CORPUS); seeding from the repository only" >&2
fi

# put TARGET FILE...: copies each file into the target's corpus, named after its path.
put() {
  local target="$1"
  shift
  local dir="$fuzz/corpus/$target"
  mkdir -p "$dir"
  local file name
  for file in "$@"; do
    [ -f "$file" ] || continue
    name="${file#"$root"/}"
    name="${name#"$hub"/}"
    name="${name//\//__}"
    cp "$file" "$dir/$name"
  done
}

# repeat TEXT BYTES: TEXT repeated to BYTES bytes.
repeat() {
  local s=$1
  while ((${#s} < $2)); do s+=$s; done
  printf '%s' "${s:0:$2}"
}

# hand TARGET: the committed hand-written seeds.
hand() {
  if [ -d "$fuzz/seeds/$1" ]; then
    put "$1" "$fuzz/seeds/$1"/*
  fi
}

# An evidence seed: model-info JSON, then README, LICENSE and use policy, NUL-separated
# (fuzz_targets/evidence.rs). Missing files are empty parts.
evidence_seed() {
  local json="$1" dir="$2" out="$3"
  local license="" policy="" f
  for f in "$dir"/LICENSE* "$dir"/LICENCE*; do
    [ -f "$f" ] && { license="$f"; break; }
  done
  for f in "$dir"/USE_POLICY* "$dir"/USAGE_POLICY*; do
    [ -f "$f" ] && { policy="$f"; break; }
  done
  {
    cat "$json"
    printf '\0'
    [ -f "$dir/README.md" ] && cat "$dir/README.md"
    printf '\0'
    [ -n "$license" ] && cat "$license"
    printf '\0'
    [ -n "$policy" ] && cat "$policy"
    true
  } >"$out"
}

for target in "${targets[@]}"; do
  case "$target" in
    frontmatter)
      if [ -d "$hub" ]; then
        while IFS= read -r -d '' f; do put frontmatter "$f"; done \
          < <(find "$hub/models" -type f -name '*.md' -print0)
      fi
      while IFS= read -r -d '' f; do put frontmatter "$f"; done \
        < <(find "$root/tests/fixtures/hub" -type f -name 'README.md' -print0)
      ;;
    license)
      if [ -d "$hub" ]; then
        put license "$hub"/licenses/*
        while IFS= read -r -d '' f; do put license "$f"; done \
          < <(find "$hub/models" -type f \( -name 'LICENSE*' -o -name 'LICENCE*' -o -name 'NOTICE*' \
                -o -name 'USE_POLICY*' -o -name 'USAGE_POLICY*' \) -print0)
      fi
      while IFS= read -r -d '' f; do put license "$f"; done \
        < <(find "$root/tests/fixtures/licenses" -type f -print0)
      ;;
    evidence)
      dir="$fuzz/corpus/evidence"
      mkdir -p "$dir"
      if [ -d "$hub" ]; then
        for json in "$hub"/api/models--*.json "$hub"/api/derived/models--*.json; do
          [ -f "$json" ] || continue
          id="$(basename "$json" .json)"
          id="${id#models--}"
          org="${id%%--*}"
          name="${id#*--}"
          rel="${json#"$hub"/}"
          evidence_seed "$json" "$hub/models/$org/$name" "$dir/${rel//\//__}"
        done
        # Other recordings and dataset infos: JSON alone.
        for json in "$hub"/api/variants/*.json "$hub"/api/derived/datasets--*.json; do
          [ -f "$json" ] && put evidence "$json"
        done
      fi
      for fixture in "$root"/tests/fixtures/hub/*/; do
        [ -f "$fixture/info.json" ] || continue
        evidence_seed "$fixture/info.json" "$fixture/files" \
          "$dir/fixture__$(basename "$fixture")"
      done
      ;;
    rubric | config_toml)
      put "$target" "$root"/rubrics/*.toml
      while IFS= read -r -d '' f; do put "$target" "$f"; done \
        < <(find "$root/tests/rubrics" -type f -name '*.toml' -print0)
      if [ "$target" = config_toml ]; then
        # Other TOML the project reads: the license knowledge base.
        put config_toml "$root"/licenses/*.toml
      fi
      ;;
    policy)
      while IFS= read -r -d '' f; do put policy "$f"; done \
        < <(find "$root/tests/policies" "$root/examples" -type f -name '*.toml' -print0)
      ;;
    headers)
      # The hand-written seeds alone: the Hub's headers and the overflowing ones of issue 14.
      ;;
    card)
      # Model cards whole (front matter included: the walker must not care).
      if [ -d "$hub" ]; then
        while IFS= read -r -d '' f; do put card "$f"; done \
          < <(find "$hub/models" -type f -name 'README.md' -print0)
      fi
      while IFS= read -r -d '' f; do put card "$f"; done \
        < <(find "$root/tests/fixtures/hub" -type f -name 'README.md' -print0)
      # Hostile cards of megabytes (issue 14 rows 5 and 14), generated: too large to commit.
      big="$fuzz/corpus/card"
      repeat "[l](http://x.org/1) " 2000000 >"$big/big-inline-links"
      repeat "https://github.com/o/r " 1000000 >"$big/big-bare-urls"
      repeat $'# heading\n' 2000000 >"$big/big-headings"
      { printf '# M\n\n## Training data\n\n'
        repeat $'- [d](https://huggingface.co/datasets/org/d)\n' 1000000; } >"$big/big-datasets"
      ;;
    *)
      echo "seed.sh: unknown target $target" >&2
      exit 2
      ;;
  esac
  hand "$target"
  echo "$target: $(find "$fuzz/corpus/$target" -type f | wc -l) seeds in fuzz/corpus/$target"
done
