#!/usr/bin/env python3
"""The GitHub evidence against ../shared/tools/hub_emulator.py --github (the whole GitHub corpus).

`cargo test` checks the same behaviour against a Rust stand-in over tests/fixtures/github/
(tests/integration/github.rs); this runs it over the shared corpus, and reads the emulator's own
counters: `hf_token_leaks` must stay 0. Run by .ci/run when ../shared is beside the clone.

  scripts/github-e2e.py [--shared DIR] [--binary PATH]
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "hf_emulator_token"


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


class Emulator:
    def __init__(self, shared, work, name, extra):
        self.hub_file = os.path.join(work, f"{name}.url")
        self.gh_file = os.path.join(work, f"{name}.gh")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(shared, "tools", "hub_emulator.py"), "--port-file", self.hub_file,
             "--token", TOKEN, "--github", "--github-port-file", self.gh_file, *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.getsize(self.gh_file) if os.path.exists(self.gh_file) else 0:
                break
            time.sleep(0.05)
        self.url = open(self.hub_file).read().strip()
        self.api, self.raw = open(self.gh_file).read().split()[:2]

    def github_stats(self):
        with urllib.request.urlopen(f"{self.url}/_emulator/stats") as answer:
            return json.load(answer)["github"]

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def run(binary, emulator, args, home):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "GITHUB_", "GH_"))}
    env.update({"HF_ENDPOINT": emulator.url, "HF_HOME": home, "HF_TOKEN": TOKEN, "COLUMNS": "400",
                "NO_COLOR": "1", "OPENNESS_NO_CODE_HOST": "0", "GITHUB_API_URL": emulator.api,
                "OPENNESS_GITHUB_RAW_URL": emulator.raw})
    return subprocess.run([binary, *args], env=env, capture_output=True, text=True)


def api_calls(stats):
    return sum(v for k, v in stats["counts"].items() if k.startswith("api "))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "debug", "openness"))
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.shared, "tools", "hub_emulator.py")):
        fail(f"{args.shared}/tools/hub_emulator.py not found")
    if not os.path.exists(args.binary):
        subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, check=True)

    with tempfile.TemporaryDirectory() as work:
        print("== audit allenai/OLMo-7B --explain shows its training and data code and license")
        emulator = Emulator(args.shared, work, "plain", [])
        try:
            out = run(args.binary, emulator, ["audit", "allenai/OLMo-7B", "--explain", "--format", "table"],
                      os.path.join(work, "home1"))
            if out.returncode != 0:
                fail(f"exit {out.returncode}: {out.stderr[-2000:]}")
            for expected in [
                'repo.training = ["https://github.com/allenai/OLMo"',
                "github.com/allenai/OLMo@59a53e3f68e5 olmo/train.py",
                'repo.data-processing = ["https://github.com/allenai/OLMo"',
                "github.com/allenai/OLMo@59a53e3f68e5 scripts/prepare_",
                'repo.license = "apache-2.0"  (github.com/allenai/OLMo@59a53e3f68e5 LICENSE:1)',
            ]:
                if expected not in out.stdout:
                    fail(f"missing {expected!r} in the explanation")
            stats = emulator.github_stats()
            if stats["hf_token_leaks"] != 0:
                fail(f"a Hugging Face token reached GitHub: {stats}")
            if api_calls(stats) > 9:
                fail(f"more than 3 API calls per linked repository: {stats}")
            print(f"   ok: {api_calls(stats)} API calls, 0 token leaks")
        finally:
            emulator.stop()

        print("== a rank of the 30 MOT models with 5 calls of quota finishes with one warning")
        emulator = Emulator(args.shared, work, "quota", ["--github-rate-limit", "5/3600"])
        try:
            with open(os.path.join(ROOT, "tests", "fixtures", "agreement", "mof-expected.csv")) as fh:
                models = list(dict.fromkeys(row["model"] for row in csv.DictReader(fh)))
            if len(models) != 30:
                fail(f"{len(models)} MOT models, not 30")
            out = run(args.binary, emulator, ["rank", "--format", "json", *models], os.path.join(work, "home2"))
            if out.returncode != 0:
                fail(f"exit {out.returncode}: {out.stderr[-2000:]}")
            if len(json.loads(out.stdout)["scorecards"]) != 30:
                fail("not every model was ranked")
            warnings = [l for l in out.stderr.splitlines() if "GitHub API quota exhausted until" in l]
            if len(warnings) != 1:
                fail(f"{len(warnings)} quota warnings, not 1:\n{out.stderr}")
            stats = emulator.github_stats()
            if stats["hf_token_leaks"] != 0:
                fail(f"a Hugging Face token reached GitHub: {stats}")
            spent = api_calls(stats)
            if not 1 <= spent <= 4 or "api 403" in stats["counts"]:
                fail(f"quota spent past its reserve or refused: {stats}")
            print(f"   ok: 30 scorecards, one warning, {spent} API calls, none refused, 0 token leaks")
        finally:
            emulator.stop()


if __name__ == "__main__":
    main()
