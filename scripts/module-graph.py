#!/usr/bin/env python3
"""The import graph of src/: which file uses which, import circles, and arrows that run back up.

Reads every `use crate::…` / `use super::…` / `crate::a::b` path in src/**/*.rs, maps it to the
file that defines the module, and reports:
  - circles: strongly connected groups of files (a file's own `mod` children do not count);
  - upward arrows: a file of a lower layer importing a higher one (layers below).
Exit status 1 when either exists. Usage: scripts/module-graph.py [--dot] [SRC]
"""
import os
import re
import sys

# Lower number = lower floor. A file may import its own floor or below.
LAYERS = {
    "text": 0, "config": 0,
    "hub": 1, "discover": 1,
    "evidence": 2,
    "licenses": 3,
    "rubric": 4,
    "scorecard": 5,
    "audit": 6, "rank": 6,
    "policy": 7,
    # check and diff orchestrate: they audit (6) and hand the result to the policy (7)
    "check": 8, "diff": 8,
    "report": 8,
    "cli": 9, "main": 9, "lib": 9,
}


def module_files(src):
    """Map module path tuples ('hub','fetch') to files."""
    files = {}
    for root, _, names in os.walk(src):
        for name in names:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            if rel in (["lib"], ["main"]):
                mod = (rel[0],)
            else:
                mod = tuple(rel)
            files[mod] = path
    return files


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//")[0] if "\"" not in line else line for line in text.splitlines())


def test_free(text):
    """Drop `#[cfg(test)] mod … { … }` blocks: tests may reach anywhere."""
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(pub\s+)?mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def expand_use(tree):
    """Expand `a::{b, c::{d}}` into paths."""
    tree = tree.replace(" ", "").replace("\n", "")
    m = re.match(r"^(.*?)\{(.*)\}$", tree)
    if not m:
        return [tree]
    prefix, inner = m.group(1), m.group(2)
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    out = []
    for p in parts:
        if p:
            out.extend(prefix + q for q in expand_use(p))
    return out


def resolve(path, here, files):
    """The file a path points into: the longest module prefix that is a file."""
    segs = [s for s in path.split("::") if s]
    if not segs:
        return None
    if segs[0] == "crate":
        base, segs = [], segs[1:]
    elif segs[0] in ("super", "self"):
        # `self` is the file's own module, each `super` one floor up, for leaf and mod.rs alike
        base = list(here)
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
    elif segs[0] == "openness":
        base, segs = [], segs[1:]
    else:
        return None
    full = base + segs
    for n in range(len(full), 0, -1):
        if tuple(full[:n]) in files:
            return tuple(full[:n])
    return None


def edges(src):
    files = module_files(src)
    graph = {mod: set() for mod in files}
    for mod, path in files.items():
        text = test_free(strip_comments(open(path, encoding="utf-8").read()))
        paths = []
        for m in re.finditer(r"\buse\s+([^;]+);", text):
            paths.extend(expand_use(m.group(1)))
        for m in re.finditer(r"\b((?:crate|super|openness)(?:::\w+)+)", text):
            paths.append(m.group(1))
        for p in paths:
            p = re.sub(r"\s+as\s+\w+$", "", p)
            target = resolve(p, mod, files)
            if target and target != mod:
                # a module's own children are its rooms, not an import
                if target[: len(mod)] == mod and files[mod].endswith(("mod.rs", "lib.rs")):
                    continue
                graph[mod].add(target)
    return graph


def sccs(graph):
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def layer(mod):
    return LAYERS.get(mod[0], None)


def name(mod):
    return "/".join(mod)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    src = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "src")
    graph = edges(src)
    if "--dot" in sys.argv:
        print("digraph src {")
        for a in sorted(graph):
            for b in sorted(graph[a]):
                print(f'  "{name(a)}" -> "{name(b)}";')
        print("}")
        return 0
    circles = sccs(graph)
    upward = []
    for a in sorted(graph):
        for b in sorted(graph[a]):
            la, lb = layer(a), layer(b)
            if la is not None and lb is not None and lb > la:
                upward.append((a, b))
    print(f"{len(graph)} files, {sum(len(v) for v in graph.values())} imports between files")
    print(f"{len(circles)} import circles")
    for c in circles:
        print("  circle: " + " <-> ".join(name(m) for m in c))
    print(f"{len(upward)} upward arrows")
    for a, b in upward:
        print(f"  up: {name(a)} -> {name(b)}")
    return 1 if circles or upward else 0


if __name__ == "__main__":
    sys.exit(main())
