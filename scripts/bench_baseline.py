#!/usr/bin/env python3
"""The baseline for scripts/bench-rank.sh: what a user of the `huggingface_hub` library writes to
check the openness of many models — for each model, `model_info`, then download README.md and
LICENSE — run against the same emulator. Usage: bench_baseline.py ENDPOINT IDS_FILE CACHE_DIR"""
import sys

from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.utils import EntryNotFoundError, GatedRepoError

endpoint, ids_file, cache_dir = sys.argv[1], sys.argv[2], sys.argv[3]
api = HfApi(endpoint=endpoint)
ids = [line.strip() for line in open(ids_file) if line.strip()]
done = 0
for model_id in ids:
    info = api.model_info(model_id)
    for filename in ("README.md", "LICENSE"):
        try:
            hf_hub_download(model_id, filename, revision=info.sha, endpoint=endpoint, cache_dir=cache_dir)
        except (EntryNotFoundError, GatedRepoError):
            pass
    done += 1
print(f"baseline: {done} models", file=sys.stderr)
