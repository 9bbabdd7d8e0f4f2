#!/usr/bin/env python3
"""How closely `openness` agrees with the expert openness assessments (issue 11, point 7).

Starts ../shared/tools/hub_emulator.py (with its token, so gated cards are readable, and with
--github so linked code repositories are read too, with a GitHub token so its quota does not run
out), audits the models of
../shared/expert-verdicts/osai-dev.csv with `--rubric osai` and those of mot-dev.csv with
`--rubric mof`, and prints:

  OSAI  per-parameter agreement with a confusion table (expert verdict x tool verdict, `unknown`
        a column of its own), overall agreement, the number of `unknown`, the majority-class
        baseline, and the Spearman rank correlation of the tool's totals with the Index's;
  MOF   classes right (classed and unclassified models apart), per-component agreement
        (counted by MOT x passed by the tool) and the per-class progress error.

Totals (both sides, the Index's own scoring, website composables/models.ts): open = 1,
partial = 0.5, closed = 0, summed over the 12 parameters (the Index shows the mean, total / 12,
which ranks the same). A tool verdict `unknown` counts 0, as the rubric's `score` does.

Standard library only. Skips (exit 0, with a message) when ../shared is absent. `--json` prints
one machine-readable document; `--min-*` thresholds make the exit code 1 when a figure falls
short, for CI. Typical use:

  cargo build --release && python3 scripts/agreement.py
  python3 scripts/agreement.py --json > agreement.json
  python3 scripts/agreement.py --disagreements osai        # every disagreement with its note
  python3 scripts/agreement.py --fixtures                  # same measure on tests/fixtures only
"""
import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "hf_agreement_harness_token"
# The GitHub stand-in's quota with a token (5000 an hour), as a user ranking many models sets
# GITHUB_TOKEN; --no-github-token measures the anonymous 60 an hour.
GITHUB_TOKEN = "ghp_agreement_harness_token"
VERDICTS = ["open", "partial", "closed"]
TOOL_VERDICTS = VERDICTS + ["unknown"]
POINTS = {"open": 1.0, "partial": 0.5, "closed": 0.0, "unknown": 0.0}

# MOT component name (mot-dev.csv `component:<name>`) -> criterion id of rubrics/mof.toml.
MOF_COMPONENTS = {
    "Model architecture": "model-architecture",
    "Model parameters (Final)": "model-parameters-final",
    "Technical report": "technical-report",
    "Evaluation results": "evaluation-results",
    "Model card": "model-card",
    "Data card": "data-card",
    "Sample model outputs": "sample-model-outputs",
    "Training code": "training-code",
    "Inference code": "inference-code",
    "Evaluation code": "evaluation-code",
    "Evaluation data": "evaluation-data",
    "Supporting libraries and tools": "supporting-libraries",
    "Datasets": "datasets",
    "Data preprocessing code": "data-preprocessing-code",
    "Model metadata": "model-metadata",
    "Research paper": "research-paper",
    "Model parameters (Intermediate)": "model-parameters-intermediate",
}
# MOT component statuses that count towards a class (ModelEvaluator::evaluateComponents).
MOF_COUNTS = {"open", "open-not-type-appropriate"}
MOF_CLASS_IDS = {"class-iii": "III", "class-ii": "II", "class-i": "I"}


def fail(message):
    sys.exit(f"agreement: {message}")


# ------------------------------------------------------------------------------------------
# Expected verdicts
# ------------------------------------------------------------------------------------------

def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def osai_expected(path):
    """(model, parameter) -> {verdict, notes, evidence}, models in file order."""
    rows = read_csv(path)
    expected, models = {}, []
    for r in rows:
        if r["model"] not in models:
            models.append(r["model"])
        expected[(r["model"], r["parameter"])] = {
            "verdict": r["verdict"],
            "notes": r.get("expert_notes", ""),
            "evidence": r.get("expert_evidence", ""),
        }
    return models, expected


def class_key(name):
    """'Class I - Open Science Model' / 'Class I – Open Science Model' -> 'I'; else None."""
    if not name:
        return None
    head = name.split()[:2]
    if len(head) == 2 and head[0] == "Class" and head[1] in ("I", "II", "III"):
        return head[1]
    return None


def mof_expected(path):
    """model -> {class, progress: {III, II, I}, components: {criterion: status}}."""
    rows = read_csv(path)
    expected, models = {}, []
    for r in rows:
        m = r["model"]
        if m not in expected:
            models.append(m)
            expected[m] = {"class": None, "progress": {}, "components": {}}
        item, value = r["item"], r["value"]
        if item == "class":
            expected[m]["class"] = class_key(value)
        elif item.startswith("progress_class_"):
            expected[m]["progress"][item[len("progress_class_"):]] = float(value)
        elif item.startswith("component:"):
            name = item[len("component:"):]
            if name not in MOF_COMPONENTS:
                fail(f"{path}: unknown MOT component {name!r}")
            expected[m]["components"][MOF_COMPONENTS[name]] = value
    return models, expected


def osai_expected_fixture(path):
    """tests/fixtures/agreement/osai-expected.csv: model,parameter,verdict (no notes)."""
    return osai_expected(path)


def mof_expected_fixture(path):
    """tests/fixtures/agreement/mof-expected.csv: model,item,value where item is `class` (value
    I, II, III or none), `progress:class-iii|class-ii|class-i` (percent) or a criterion id of
    rubrics/mof.toml (value: MOT's status of that component)."""
    expected, models = {}, []
    for r in read_csv(path):
        m = r["model"]
        if m not in expected:
            models.append(m)
            expected[m] = {"class": None, "progress": {}, "components": {}}
        item, value = r["item"], r["value"]
        if item == "class":
            expected[m]["class"] = None if value == "none" else value
        elif item.startswith("progress:"):
            expected[m]["progress"][MOF_CLASS_IDS[item[len("progress:"):]]] = float(value)
        else:
            if item not in MOF_COMPONENTS.values():
                fail(f"{path}: unknown MOF criterion {item!r}")
            expected[m]["components"][item] = value
    return models, expected


# ------------------------------------------------------------------------------------------
# The emulator and the tool
# ------------------------------------------------------------------------------------------

class Emulator:
    """hub_emulator.py on loopback; stopped (by its own pid) on exit."""

    def __init__(self, shared, corpus, log, workdir, github_corpus=None):
        gh_file = os.path.join(workdir, "gh.url")
        args = [sys.executable, os.path.join(shared, "tools", "hub_emulator.py"),
                "--token", TOKEN, "--github-port-file", gh_file]
        args += ["--github", github_corpus] if github_corpus else ["--github"]
        if corpus:
            args += ["--corpus", corpus]
        if log:
            args += ["--log", log]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.stop()
            fail("the emulator did not start (no base URL on its first line)")
        self.github_api = self.github_raw = None
        if os.path.exists(gh_file):
            with open(gh_file) as fh:
                lines = fh.read().split()
            if len(lines) >= 2:
                self.github_api, self.github_raw = lines[0], lines[1]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def tool_env(emulator, home, token, github_token=True, code_host=True):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HF_", "HUGGINGFACE_", "GITHUB_", "GH_", "OPENNESS_"))}
    env.update({"HF_ENDPOINT": emulator.url, "HF_HOME": home, "NO_COLOR": "1"})
    if token:
        env["HF_TOKEN"] = TOKEN
    if emulator.github_api:
        # The linked code repositories, read on the GitHub stand-in (docs/code-host.md).
        env["GITHUB_API_URL"] = emulator.github_api
        env["OPENNESS_GITHUB_RAW_URL"] = emulator.github_raw
        if github_token:
            env["GITHUB_TOKEN"] = GITHUB_TOKEN
    if not code_host:
        env["OPENNESS_NO_CODE_HOST"] = "1"
    return env


def audit(binary, models, rubric, env, save=None, rubrics_from=None):
    """Runs one `openness audit` over all models; returns ({model: scorecard}, errors, version).
    With `rubrics_from`, the rubric is read from DIR/<rubric>.toml instead of the built-in."""
    chosen = os.path.join(rubrics_from, f"{rubric}.toml") if rubrics_from else rubric
    cmd = [binary, "audit", *models, "--rubric", chosen, "--format", "json"]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if save:
        os.makedirs(save, exist_ok=True)
        with open(os.path.join(save, f"{rubric}.json"), "w") as fh:
            fh.write(out.stdout)
    if out.returncode not in (0, 3):
        fail(f"`openness audit --rubric {rubric}` exited {out.returncode}: {out.stderr.strip()[:2000]}")
    try:
        doc = json.loads(out.stdout)
    except json.JSONDecodeError:
        fail(f"`openness audit --rubric {rubric}` did not print JSON: {out.stderr.strip()[:2000]}")
    cards = {}
    for card in doc.get("scorecards", []):
        cards[card["model"]] = card
        if card.get("requested"):
            cards[card["requested"]] = card
    version = doc.get("generator", {}).get("version")
    return cards, doc.get("errors", []), version


# ------------------------------------------------------------------------------------------
# Measures
# ------------------------------------------------------------------------------------------

def spearman(xs, ys):
    """Spearman's rho: Pearson correlation of average ranks (ties share their mean rank)."""
    def ranks(values):
        order = sorted(range(len(values)), key=lambda i: values[i])
        result = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                result[order[k]] = (i + j) / 2 + 1
            i = j + 1
        return result
    n = len(xs)
    if n < 2:
        return None
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    if vx == 0 or vy == 0:
        return None
    return cov / (vx * vy) ** 0.5


def empty_confusion():
    return {e: {t: 0 for t in TOOL_VERDICTS} for e in VERDICTS}


def measure_osai(models, expected, cards, errors):
    parameters = []
    for (_, p) in expected:
        if p not in parameters:
            parameters.append(p)
    per_param = {p: {"n": 0, "agree": 0, "unknown": 0, "confusion": empty_confusion()} for p in parameters}
    overall = empty_confusion()
    rows, totals, missing = [], [], []
    for m in models:
        card = cards.get(m)
        if card is None:
            missing.append(m)
        dims = {d["id"]: d for d in (card or {}).get("dimensions", [])}
        index_total = tool_total = 0.0
        for p in parameters:
            if (m, p) not in expected:
                continue
            e = expected[(m, p)]["verdict"]
            t = dims.get(p, {}).get("verdict") or "unknown"
            if t not in TOOL_VERDICTS:
                t = "unknown"
            stats = per_param[p]
            stats["n"] += 1
            stats["agree"] += int(e == t)
            stats["unknown"] += int(t == "unknown")
            stats["confusion"][e][t] += 1
            overall[e][t] += 1
            index_total += POINTS[e]
            tool_total += POINTS[t]
            rows.append({"model": m, "parameter": p, "expert": e, "tool": t,
                         "notes": expected[(m, p)]["notes"], "evidence": expected[(m, p)]["evidence"]})
        totals.append({"model": m, "index": index_total, "tool": tool_total,
                       "tool_score": card.get("score") if card else None})
    n = sum(s["n"] for s in per_param.values())
    agree = sum(s["agree"] for s in per_param.values())
    unknown = sum(s["unknown"] for s in per_param.values())
    # Majority-class baseline: answer each parameter's most frequent expert verdict, blind.
    majority = 0
    for p in parameters:
        counts = {v: sum(1 for r in rows if r["parameter"] == p and r["expert"] == v) for v in VERDICTS}
        majority += max(counts.values())
    all_closed = sum(1 for r in rows if r["expert"] == "closed")
    rho = spearman([t["index"] for t in totals], [t["tool"] for t in totals])
    return {
        "models": len(models), "verdicts": n, "agree": agree, "unknown": unknown,
        "agreement": agree / n if n else None, "unknown_share": unknown / n if n else None,
        "majority_baseline": majority, "all_closed_baseline": all_closed,
        "spearman": rho, "parameters": per_param, "confusion": overall,
        "totals": totals, "verdicts_by_model": rows, "missing": missing,
        "errors": errors,
    }


def measure_mof(models, expected, cards, errors):
    per_model, components, missing = [], {}, []
    classed = classed_right = unclassified = unclassified_right = 0
    progress_error = {"III": [], "II": [], "I": []}
    for m in models:
        exp = expected[m]
        card = cards.get(m)
        if card is None:
            missing.append(m)
        cls = (card or {}).get("class")
        tool_class = MOF_CLASS_IDS.get(cls.get("id")) if isinstance(cls, dict) else None
        right = card is not None and tool_class == exp["class"]
        if exp["class"]:
            classed += 1
            classed_right += int(right)
        else:
            unclassified += 1
            unclassified_right += int(right)
        tool_progress = {}
        for c in (card or {}).get("classes", []):
            key = MOF_CLASS_IDS.get(c.get("id"))
            if key:
                tool_progress[key] = c.get("progress")
        for key, value in exp["progress"].items():
            if tool_progress.get(key) is not None:
                progress_error[key].append(abs(tool_progress[key] - value))
        criteria = {}
        for d in (card or {}).get("dimensions", []):
            for c in d.get("criteria", []):
                criteria[c["id"]] = c
        comp_rows = []
        for crit, status in exp["components"].items():
            counts = status in MOF_COUNTS
            c = criteria.get(crit, {})
            tool = c.get("status") or "unknown"
            stats = components.setdefault(crit, {"n": 0, "agree": 0, "unknown": 0,
                                                 "confusion": {"counts": {"pass": 0, "fail": 0, "unknown": 0},
                                                               "not": {"pass": 0, "fail": 0, "unknown": 0}}})
            stats["n"] += 1
            stats["agree"] += int((tool == "pass") == counts and tool != "unknown")
            stats["unknown"] += int(tool == "unknown")
            stats["confusion"]["counts" if counts else "not"][tool if tool in ("pass", "fail") else "unknown"] += 1
            comp_rows.append({"criterion": crit, "mot": status, "tool": tool,
                              "conditional": bool(c.get("conditional"))})
        per_model.append({"model": m, "expected": exp["class"], "tool": tool_class, "right": right,
                          "expected_progress": exp["progress"], "tool_progress": tool_progress,
                          "components": comp_rows})
    n = sum(s["n"] for s in components.values())
    agree = sum(s["agree"] for s in components.values())
    return {
        "models": len(models), "classed": classed, "classed_right": classed_right,
        "unclassified": unclassified, "unclassified_right": unclassified_right,
        "classes_right": classed_right + unclassified_right,
        "component_verdicts": n, "component_agree": agree,
        "component_unknown": sum(s["unknown"] for s in components.values()),
        "components": components,
        "progress_mean_abs_error": {k: (sum(v) / len(v) if v else None) for k, v in progress_error.items()},
        "per_model": per_model, "missing": missing, "errors": errors,
    }


# ------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------

def pct(a, b):
    return f"{100 * a / b:.0f} %" if b else "-"


def print_confusion(conf, indent="  "):
    corner = "expert \\ tool"
    print(f"{indent}{corner:<14}" + "".join(f"{t:>9}" for t in TOOL_VERDICTS))
    for e in VERDICTS:
        print(f"{indent}{e:<14}" + "".join(f"{conf[e][t]:>9}" for t in TOOL_VERDICTS))


def print_osai(r, show_disagreements):
    print(f"OSAI: {r['models']} models, {r['verdicts']} verdicts (osai-dev.csv)")
    print(f"  agreement {r['agree']}/{r['verdicts']} ({pct(r['agree'], r['verdicts'])}), "
          f"unknown {r['unknown']} ({pct(r['unknown'], r['verdicts'])})")
    print(f"  baselines: majority class per parameter {r['majority_baseline']} "
          f"({pct(r['majority_baseline'], r['verdicts'])}), all closed {r['all_closed_baseline']} "
          f"({pct(r['all_closed_baseline'], r['verdicts'])})")
    rho = r["spearman"]
    print(f"  Spearman rank correlation of totals (tool vs Index): "
          f"{'undefined' if rho is None else f'{rho:.3f}'}")
    if r["missing"]:
        print(f"  not audited: {', '.join(r['missing'])}")
    for err in r["errors"]:
        print(f"  error: {err.get('model')}: {err.get('code')}: {err.get('message')}")
    print()
    print(f"  {'parameter':<24}{'agree':>8}{'':>7}{'unknown':>9}")
    for p, s in r["parameters"].items():
        print(f"  {p:<24}{s['agree']:>5}/{s['n']:<2}{pct(s['agree'], s['n']):>7}{s['unknown']:>9}")
    print()
    print("  all parameters:")
    print_confusion(r["confusion"], "    ")
    for p, s in r["parameters"].items():
        print(f"  {p}:")
        print_confusion(s["confusion"], "    ")
    print()
    print(f"  {'model':<44}{'Index':>7}{'tool':>7}")
    for t in r["totals"]:
        print(f"  {t['model']:<44}{t['index']:>7.1f}{t['tool']:>7.1f}")
    if show_disagreements:
        print()
        print("  disagreements (model, parameter: expert / tool — expert note):")
        for row in r["verdicts_by_model"]:
            if row["expert"] != row["tool"]:
                note = row["notes"] or "(no note)"
                print(f"  {row['model']}  {row['parameter']}: {row['expert']} / {row['tool']} — {note}")


def print_mof(r, show_disagreements):
    print(f"MOF: {r['models']} models (mot-dev.csv)")
    print(f"  classes right {r['classes_right']}/{r['models']}: classed {r['classed_right']}/{r['classed']}, "
          f"unclassified {r['unclassified_right']}/{r['unclassified']}")
    print(f"  components agree {r['component_agree']}/{r['component_verdicts']} "
          f"({pct(r['component_agree'], r['component_verdicts'])}), unknown {r['component_unknown']}")
    pe = r["progress_mean_abs_error"]
    print("  progress mean absolute error (points of %): " +
          ", ".join(f"Class {k} {'-' if v is None else f'{v:.1f}'}" for k, v in pe.items()))
    if r["missing"]:
        print(f"  not audited: {', '.join(r['missing'])}")
    for err in r["errors"]:
        print(f"  error: {err.get('model')}: {err.get('code')}: {err.get('message')}")
    print()
    print(f"  {'model':<44}{'MOT':>6}{'tool':>6}")
    for m in r["per_model"]:
        print(f"  {m['model']:<44}{m['expected'] or '-':>6}{m['tool'] or '-':>6}{'' if m['right'] else '   ✗'}")
    print()
    print(f"  {'component':<32}{'agree':>8}{'':>7}{'unknown':>9}   counts: pass/fail/unk   not: pass/fail/unk")
    for c, s in r["components"].items():
        cc, cn = s["confusion"]["counts"], s["confusion"]["not"]
        print(f"  {c:<32}{s['agree']:>5}/{s['n']:<2}{pct(s['agree'], s['n']):>7}{s['unknown']:>9}"
              f"   {cc['pass']:>6}/{cc['fail']}/{cc['unknown']:<8}{cn['pass']:>8}/{cn['fail']}/{cn['unknown']}")
    if show_disagreements:
        print()
        print("  disagreements (model, component: MOT status / tool status):")
        for m in r["per_model"]:
            for c in m["components"]:
                counts = c["mot"] in MOF_COUNTS
                if c["tool"] == "unknown" or (c["tool"] == "pass") != counts:
                    print(f"  {m['model']}  {c['criterion']}: {c['mot']} / {c['tool']}")


# ------------------------------------------------------------------------------------------
# A corpus made of tests/fixtures only (to check the fixtures reproduce the full-corpus figures)
# ------------------------------------------------------------------------------------------

def corpus_from_fixtures(fixtures, dest):
    """Lays tests/fixtures/hub/<o>__<n>/{info.json,files/} and tests/fixtures/datasets/*.json out
    as the emulator's corpus (api/models--o--n.json, models/o/n/…, api/datasets--o--n.json)."""
    api = os.path.join(dest, "api")
    os.makedirs(api)
    hub = os.path.join(fixtures, "hub")
    for entry in sorted(os.listdir(hub)):
        owner, _, name = entry.partition("__")
        shutil.copy(os.path.join(hub, entry, "info.json"), os.path.join(api, f"models--{owner}--{name}.json"))
        files = os.path.join(hub, entry, "files")
        target = os.path.join(dest, "models", owner, name)
        if os.path.isdir(files):
            shutil.copytree(files, target)
        else:
            os.makedirs(target)
    datasets = os.path.join(fixtures, "datasets")
    for fn in sorted(os.listdir(datasets)) if os.path.isdir(datasets) else []:
        if fn.endswith(".json"):
            owner, _, name = fn[:-5].partition("__")
            shutil.copy(os.path.join(datasets, fn), os.path.join(api, f"datasets--{owner}--{name}.json"))


def update_fixtures(shared, log_path, osai_models, osai_exp, mof_models, mof_exp):
    """Copies into tests/fixtures/ what an offline `cargo test` needs to reproduce this measure:
    every model of the two development sets, and every other model or dataset the tool asked
    the emulator for and got (a base model, a named dataset), from the shared corpus; then the
    expected verdicts as tests/fixtures/agreement/*.csv. Existing fixtures are left as they are
    (other tests rely on them); a differing existing file is reported."""
    corpus = os.path.join(shared, "hub-corpus")
    fixtures = os.path.join(ROOT, "tests", "fixtures")
    models, datasets = set(osai_models) | set(mof_models), set()
    with open(log_path, encoding="utf-8") as fh:
        for line in fh:
            req = json.loads(line)
            if req.get("status") != 200:
                continue
            path = req["path"].split("?")[0]
            parts = path.strip("/").split("/")
            if parts[:2] == ["api", "models"] and len(parts) >= 4:
                models.add(f"{parts[2]}/{parts[3]}")
            elif parts[:2] == ["api", "datasets"] and len(parts) >= 4:
                datasets.add(f"{parts[2]}/{parts[3]}")
    copied, differing = [], []

    def copy(src, dst):
        if os.path.exists(dst):
            with open(src, "rb") as a, open(dst, "rb") as b:
                if a.read() != b.read():
                    differing.append(os.path.relpath(dst, ROOT))
            return
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
        copied.append(os.path.relpath(dst, ROOT))

    def api_json(kind, repo):
        owner, name = repo.split("/")
        for sub in ("api", os.path.join("api", "derived")):
            src = os.path.join(corpus, sub, f"{kind}--{owner}--{name}.json")
            if os.path.isfile(src):
                return src
        fail(f"no {kind} info for {repo} in {corpus}/api")

    for repo in sorted(models):
        owner, name = repo.split("/")
        target = os.path.join(fixtures, "hub", f"{owner}__{name}")
        copy(api_json("models", repo), os.path.join(target, "info.json"))
        source = os.path.join(corpus, "models", owner, name)
        for dirpath, _, filenames in os.walk(source):
            for fn in filenames:
                rel = os.path.relpath(os.path.join(dirpath, fn), source)
                copy(os.path.join(dirpath, fn), os.path.join(target, "files", rel))
    for repo in sorted(datasets):
        owner, name = repo.split("/")
        copy(api_json("datasets", repo), os.path.join(fixtures, "datasets", f"{owner}__{name}.json"))

    out = os.path.join(fixtures, "agreement")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "osai-expected.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["model", "parameter", "verdict"])
        for (m, p), e in osai_exp.items():
            w.writerow([m, p, e["verdict"]])
    inverse = {v: k for k, v in MOF_CLASS_IDS.items()}
    with open(os.path.join(out, "mof-expected.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["model", "item", "value"])
        for m in mof_models:
            e = mof_exp[m]
            w.writerow([m, "class", e["class"] or "none"])
            for key in ("III", "II", "I"):
                if key in e["progress"]:
                    w.writerow([m, f"progress:{inverse[key]}", f"{e['progress'][key]:g}"])
            for crit, status in e["components"].items():
                w.writerow([m, crit, status])
    return copied, differing, sorted(models), sorted(datasets)


def update_github_fixtures(shared, cards):
    """Copies into tests/fixtures/github/repos/ the GitHub repositories the audits read, in the
    corpus' layout (repo.json, tree.tsv, files/), so the offline test and `--fixtures` serve them
    the same way. The evidence reads a repository's tree and README only when it is some
    release's own code; for the others only the root of the tree and the license files are kept
    (what their evidence reads: existence and the license)."""
    corpus = os.path.join(shared, "github-corpus", "repos")
    target_root = os.path.join(ROOT, "tests", "fixtures", "github", "repos")
    names = {}
    for owner in os.listdir(corpus):
        for name in os.listdir(os.path.join(corpus, owner)):
            names[f"{owner}/{name}".lower()] = (owner, name)
    full, partial = set(), set()
    for card in cards:
        ev = card.get("evidence", {})
        own = {u.lower() for u in (ev.get("repo.own", {}).get("value") or [])}
        for url in ev.get("repo.read", {}).get("value") or []:
            key = url.lower().replace("https://github.com/", "")
            (full if url.lower() in own else partial).add(key)
    partial -= full
    copied = []
    for key in sorted(full | partial):
        if key not in names:
            continue
        owner, name = names[key]
        src = os.path.join(corpus, owner, name)
        dst = os.path.join(target_root, owner, name)
        if os.path.isdir(dst):
            shutil.rmtree(dst)
        os.makedirs(os.path.join(dst, "files"))
        shutil.copyfile(os.path.join(src, "repo.json"), os.path.join(dst, "repo.json"))
        keep_all = key in full
        with open(os.path.join(src, "tree.tsv"), encoding="utf-8", errors="replace") as fh:
            lines = fh.readlines()
        if not keep_all:
            lines = [l for l in lines if l.startswith("#") or "/" not in l.split("\t", 1)[-1]]
        with open(os.path.join(dst, "tree.tsv"), "w", encoding="utf-8") as fh:
            fh.writelines(lines)
        for dirpath, _, filenames in os.walk(os.path.join(src, "files")):
            for fn in filenames:
                rel = os.path.relpath(os.path.join(dirpath, fn), os.path.join(src, "files"))
                upper = rel.upper()
                licensey = "/" not in rel and any(w in upper for w in ("LICENSE", "LICENCE", "COPYING"))
                if keep_all or licensey:
                    os.makedirs(os.path.dirname(os.path.join(dst, "files", rel)), exist_ok=True)
                    shutil.copyfile(os.path.join(dirpath, fn), os.path.join(dst, "files", rel))
                    copied.append(os.path.relpath(os.path.join(dst, "files", rel), ROOT))
    return copied, sorted(full | partial)


# ------------------------------------------------------------------------------------------

def check_thresholds(args, osai, mof):
    failures = []
    if osai:
        if args.min_agreement is not None and (osai["agreement"] or 0) < args.min_agreement:
            failures.append(f"OSAI agreement {osai['agreement']:.3f} < {args.min_agreement}")
        if args.max_unknown is not None and (osai["unknown_share"] or 0) > args.max_unknown:
            failures.append(f"OSAI unknown share {osai['unknown_share']:.3f} > {args.max_unknown}")
        if args.min_spearman is not None and (osai["spearman"] is None or osai["spearman"] < args.min_spearman):
            failures.append(f"OSAI Spearman {osai['spearman']} < {args.min_spearman}")
    if mof:
        if args.min_mof_classed is not None and mof["classed_right"] < args.min_mof_classed:
            failures.append(f"MOF classed models right {mof['classed_right']} < {args.min_mof_classed}")
        if args.min_mof_unclassified is not None and mof["unclassified_right"] < args.min_mof_unclassified:
            failures.append(f"MOF unclassified models right {mof['unclassified_right']} < {args.min_mof_unclassified}")
    return failures


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends quietly
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[1:]))
    ap.add_argument("--binary", help="the openness binary (default: target/release/openness, brought up to date "
                                     "with `cargo build --release` first)")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"),
                    help="the shared folder with tools/, hub-corpus/ and expert-verdicts/ (default ../shared)")
    ap.add_argument("--rubric", choices=["osai", "mof", "both"], default="both")
    ap.add_argument("--rubrics-from", metavar="DIR",
                    help="read osai.toml and mof.toml from DIR (e.g. rubrics/) instead of the built-ins: "
                         "measures a rubric edit without rebuilding the binary")
    ap.add_argument("--fixtures", action="store_true",
                    help="serve only tests/fixtures (hub/, datasets/) and take the expected verdicts from "
                         "tests/fixtures/agreement/; still needs ../shared for the emulator")
    ap.add_argument("--no-token", action="store_true",
                    help="audit without the emulator's token (gated cards unreadable), as a user without access")
    ap.add_argument("--no-github-token", action="store_true",
                    help="read GitHub anonymously (60 API calls an hour: the quota runs out on the full set)")
    ap.add_argument("--no-code-host", action="store_true",
                    help="read no GitHub repository: code facts from the cards alone (the measure before GitHub was read)")
    ap.add_argument("--json", action="store_true", help="print one JSON document instead of the tables")
    ap.add_argument("--disagreements", choices=["osai", "mof", "both"],
                    help="also list every disagreement (with the expert's note for OSAI)")
    ap.add_argument("--save", metavar="DIR", help="keep the tool's JSON output (osai.json, mof.json) in DIR")
    ap.add_argument("--log", help="have the emulator append one JSON line per request to this file")
    ap.add_argument("--update-fixtures", action="store_true",
                    help="after measuring on ../shared, copy what the measure read into tests/fixtures/ "
                         "(models, base models, datasets) and write tests/fixtures/agreement/*.csv")
    ap.add_argument("--min-agreement", type=float, help="fail (exit 1) below this OSAI agreement (0..1)")
    ap.add_argument("--max-unknown", type=float, help="fail above this share of OSAI `unknown` (0..1)")
    ap.add_argument("--min-spearman", type=float, help="fail below this rank correlation")
    ap.add_argument("--min-mof-classed", type=int, help="fail when fewer classed MOT models get their class")
    ap.add_argument("--min-mof-unclassified", type=int, help="fail when fewer unclassified MOT models stay unclassified")
    args = ap.parse_args()

    shared = os.path.abspath(args.shared)
    if not os.path.isfile(os.path.join(shared, "tools", "hub_emulator.py")):
        print(f"agreement: skipped: {shared} (hub corpus, emulator, expert verdicts) is not there", file=sys.stderr)
        return 0
    if args.fixtures and args.update_fixtures:
        fail("--fixtures and --update-fixtures exclude each other")
    if args.update_fixtures and args.rubric != "both":
        fail("--update-fixtures needs both rubrics")
    read_osai, read_mof = osai_expected, mof_expected
    if args.fixtures:
        expected_dir = os.path.join(ROOT, "tests", "fixtures", "agreement")
        osai_csv, mot_csv = os.path.join(expected_dir, "osai-expected.csv"), os.path.join(expected_dir, "mof-expected.csv")
        read_osai, read_mof = osai_expected_fixture, mof_expected_fixture
    else:
        osai_csv = os.path.join(shared, "expert-verdicts", "osai-dev.csv")
        mot_csv = os.path.join(shared, "expert-verdicts", "mot-dev.csv")

    binary = args.binary or os.path.join(ROOT, "target", "release", "openness")
    if not args.binary:
        # Always, not only when absent: the rubrics are built into the binary, so a release binary
        # older than the checkout would measure yesterday's rules (cargo does nothing when current).
        print("agreement: cargo build --release", file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if not os.path.isfile(binary):
        fail(f"no binary at {binary}")

    workdir = tempfile.mkdtemp(prefix="openness-agreement-")
    emulator = None
    try:
        corpus = None
        if args.fixtures:
            corpus = os.path.join(workdir, "corpus")
            corpus_from_fixtures(os.path.join(ROOT, "tests", "fixtures"), corpus)
        log = args.log or (os.path.join(workdir, "requests.jsonl") if args.update_fixtures else None)
        github_corpus = os.path.join(ROOT, "tests", "fixtures", "github") if args.fixtures else None
        emulator = Emulator(shared, corpus, log, workdir, github_corpus)
        home = os.path.join(workdir, "hf-home")
        os.makedirs(home)
        env = tool_env(emulator, home, not args.no_token, not args.no_github_token, not args.no_code_host)
        osai = mof = None
        version = None
        all_cards = []
        if args.rubric in ("osai", "both"):
            osai_models, osai_exp = read_osai(osai_csv)
            cards, errors, version = audit(binary, osai_models, "osai", env, args.save, args.rubrics_from)
            osai = measure_osai(osai_models, osai_exp, cards, errors)
            all_cards += list(cards.values())
        if args.rubric in ("mof", "both"):
            mof_models, mof_exp = read_mof(mot_csv)
            cards, errors, version = audit(binary, mof_models, "mof", env, args.save, args.rubrics_from)
            mof = measure_mof(mof_models, mof_exp, cards, errors)
            all_cards += list(cards.values())
        if args.update_fixtures:
            emulator.stop()
            copied, differing, repos, datasets = update_fixtures(shared, log, osai_models, osai_exp, mof_models, mof_exp)
            gh_copied, gh_repos = update_github_fixtures(shared, all_cards)
            copied += gh_copied
            print(f"agreement: fixtures for {len(repos)} models, {len(datasets)} datasets and "
                  f"{len(gh_repos)} GitHub repositories; {len(copied)} files copied", file=sys.stderr)
            for f in differing:
                print(f"agreement: kept the existing {f}, which differs from the corpus", file=sys.stderr)
    finally:
        if emulator:
            emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    failures = check_thresholds(args, osai, mof)
    if args.json:
        doc = {"schema": "openness-agreement/v1", "tool": {"binary": binary, "version": version},
               "corpus": "tests/fixtures" if args.fixtures else "../shared/hub-corpus",
               "scoring": {"points": POINTS, "total": "sum over the 12 OSAI parameters; unknown counts 0"},
               "osai": osai, "mof": mof, "threshold_failures": failures}
        json.dump(doc, sys.stdout, indent=1, sort_keys=True)
        print()
    else:
        show = args.disagreements or ""
        if osai:
            print_osai(osai, show in ("osai", "both"))
        if osai and mof:
            print()
        if mof:
            print_mof(mof, show in ("mof", "both"))
    for f in failures:
        print(f"agreement: below threshold: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
