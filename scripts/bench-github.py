#!/usr/bin/env python3
"""What reading GitHub costs (issue 12; figures in docs/performance.md).

Starts ../shared/tools/hub_emulator.py with --github (the GitHub stand-in over
../shared/github-corpus, which counts requests by host and status at /_emulator/stats) and
measures, without a GitHub token (GitHub's anonymous quota is what matters):

  1. per audited model: `openness audit MODEL` with a cold cache, for every model of the two
     development sets (../shared/expert-verdicts): GitHub API calls and raw-file downloads apart;
  2. a rank of the 30 MOT development models: API calls per distinct repository looked up; the
     same rank again within the cache's freshness window (no request expected); and once more
     past it (OPENNESS_GITHUB_MAX_AGE=0: every request conditional, 304s not counted);
  3. the same rank with the anonymous quota cut to 5 calls (--github-rate-limit 5/3600): the exit
     code, the warning lines, the calls spent, the models whose GitHub facts stayed unknown.

For 1 and 2 the stand-in's anonymous quota is raised (100000 an hour) so that the figures are the
tool's cost, not the quota's cut. Standard library only; skipped when ../shared is absent.

  cargo build --release && python3 scripts/bench-github.py [--json]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HF_TOKEN = "hf_bench_github_token_0123"


class Emulator:
    def __init__(self, shared, workdir, rate_limit):
        gh_file = os.path.join(workdir, f"gh-{rate_limit.replace('/', '-')}.url")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(shared, "tools", "hub_emulator.py"), "--token", HF_TOKEN,
             "--github", "--github-port-file", gh_file, "--github-rate-limit", rate_limit],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.proc.stdout.readline().strip()
        for _ in range(100):
            if os.path.exists(gh_file) and len(open(gh_file).read().split()) >= 2:
                break
            time.sleep(0.05)
        self.api, self.raw = open(gh_file).read().split()[:2]

    def stats(self):
        with urllib.request.urlopen(f"{self.url}/_emulator/stats") as r:
            return json.load(r)["github"]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def counts(stats):
    c = stats["counts"]
    api = sum(v for k, v in c.items() if k.startswith("api "))
    return {"api": api, "api_304": c.get("api 304", 0), "api_403": c.get("api 403", 0),
            "raw": sum(v for k, v in c.items() if k.startswith("raw ")),
            "hf_token_leaks": stats["hf_token_leaks"]}


def delta(after, before):
    return {k: after[k] - before[k] for k in after}


def env_for(emulator, home, extra=None):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HF_", "HUGGINGFACE_", "GITHUB_", "GH_", "OPENNESS_"))}
    env.update({"HF_ENDPOINT": emulator.url, "HF_HOME": home, "HF_TOKEN": HF_TOKEN, "NO_COLOR": "1",
                "GITHUB_API_URL": emulator.api, "OPENNESS_GITHUB_RAW_URL": emulator.raw})
    env.update(extra or {})
    return env


def run(binary, args, env):
    start = time.monotonic()
    out = subprocess.run([binary, *args], env=env, capture_output=True, text=True)
    return out, time.monotonic() - start


def repositories(cards):
    """Distinct GitHub repositories the audits looked up: read, missing, or left unread."""
    seen = set()
    for card in cards:
        ev = card.get("evidence", {})
        for key in ("repo.read", "repo.missing"):
            seen.update(u.lower() for u in (ev.get(key, {}).get("value") or []))
        for f in card.get("findings", []):
            if f["code"] in ("code-host-quota", "code-host-unread"):
                seen.update(e["repo"].lower() for e in f.get("evidence", []) if e.get("repo"))
    return seen


def models_of(shared):
    import csv
    seen = []
    for name in ("osai-dev.csv", "mot-dev.csv"):
        with open(os.path.join(shared, "expert-verdicts", name), newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["model"] not in seen:
                    seen.append(row["model"])
    with open(os.path.join(shared, "expert-verdicts", "mot-dev.csv"), newline="", encoding="utf-8") as fh:
        mot = []
        for row in csv.DictReader(fh):
            if row["model"] not in mot:
                mot.append(row["model"])
    return seen, mot


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "openness"))
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    shared = os.path.abspath(args.shared)
    if not os.path.isfile(os.path.join(shared, "tools", "hub_emulator.py")):
        print(f"bench-github: skipped: {shared} is not there", file=sys.stderr)
        return 0
    if not os.path.isfile(args.binary):
        sys.exit(f"bench-github: no binary at {args.binary} (cargo build --release)")
    all_models, mot = models_of(shared)
    work = tempfile.mkdtemp(prefix="openness-bench-github-")
    result = {}
    try:
        # 1 and 2: the tool's cost, quota out of the way.
        emu = Emulator(shared, work, "100000/3600")
        try:
            per_model = []
            for model in all_models:
                home = tempfile.mkdtemp(dir=work)
                before = counts(emu.stats())
                out, _ = run(args.binary, ["audit", model, "--format", "json"], env_for(emu, home))
                d = delta(counts(emu.stats()), before)
                cards = json.loads(out.stdout).get("scorecards", []) if out.stdout.strip() else []
                per_model.append({"model": model, "repositories": len(repositories(cards)), **d})
            result["per_model"] = per_model

            home = tempfile.mkdtemp(dir=work)
            rank = ["rank", *mot, "--format", "json"]
            runs = {}
            for label, extra in (("first", {}), ("second", {}), ("revalidate", {"OPENNESS_GITHUB_MAX_AGE": "0"})):
                before = counts(emu.stats())
                out, elapsed = run(args.binary, rank, env_for(emu, home, extra))
                d = delta(counts(emu.stats()), before)
                cards = json.loads(out.stdout)["scorecards"]
                runs[label] = {**d, "exit": out.returncode, "seconds": round(elapsed, 2),
                               "repositories": len(repositories(cards))}
            result["rank"] = runs
        finally:
            emu.stop()

        # 3: GitHub's quota cut to 5 calls.
        emu = Emulator(shared, work, "5/3600")
        try:
            home = tempfile.mkdtemp(dir=work)
            before = counts(emu.stats())
            out, elapsed = run(args.binary, ["rank", *mot, "--format", "json"], env_for(emu, home))
            d = delta(counts(emu.stats()), before)
            cards = json.loads(out.stdout)["scorecards"]
            warnings = [l for l in out.stderr.splitlines() if "quota exhausted" in l]
            result["quota5"] = {
                **d, "exit": out.returncode, "seconds": round(elapsed, 2), "scorecards": len(cards),
                "warning_lines": warnings,
                "models_with_quota_finding": sum(
                    any(f["code"] == "code-host-quota" for f in c["findings"]) for c in cards),
                "models_with_github_facts": sum("repo.training" in c["evidence"] for c in cards),
            }
        finally:
            emu.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print()
        return 0
    pm = result["per_model"]
    linking = [m for m in pm if m["repositories"]]
    print(f"1. per audited model (cold cache, anonymous), {len(pm)} models, {len(linking)} link GitHub repositories")
    print(f"   {'model':<44}{'repos':>6}{'API':>6}{'raw':>6}")
    for m in pm:
        print(f"   {m['model']:<44}{m['repositories']:>6}{m['api']:>6}{m['raw']:>6}")
    for key in ("api", "raw"):
        values = [m[key] for m in pm]
        print(f"   {key}: mean {statistics.mean(values):.1f}, median {statistics.median(values)}, max {max(values)} per model")
    repos = sum(m["repositories"] for m in pm)
    print(f"   per repository looked up: {sum(m['api'] for m in pm) / max(repos, 1):.2f} API calls, "
          f"{sum(m['raw'] for m in pm) / max(repos, 1):.2f} raw downloads")
    r = result["rank"]
    print(f"2. rank of the {len(mot)} MOT development models (one cache):")
    for label in ("first", "second", "revalidate"):
        x = r[label]
        print(f"   {label:<11} exit {x['exit']}  API {x['api']} (304: {x['api_304']})  raw {x['raw']}  "
              f"repositories {x['repositories']}  {x['seconds']} s")
    print(f"   API calls per distinct repository, first run: {r['first']['api'] / max(r['first']['repositories'], 1):.2f}")
    q = result["quota5"]
    print(f"3. the same rank, anonymous quota 5 calls: exit {q['exit']}, {q['scorecards']} scorecards, "
          f"API {q['api']} (403: {q['api_403']}), raw {q['raw']}, {q['models_with_quota_finding']} models with "
          f"code-host-quota, {q['models_with_github_facts']} with GitHub facts, {q['seconds']} s")
    for line in q["warning_lines"]:
        print(f"   stderr: {line}")
    leaks = sum(m["hf_token_leaks"] for m in pm) + sum(x["hf_token_leaks"] for x in r.values()) + q["hf_token_leaks"]
    print(f"hf_token_leaks: {leaks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
