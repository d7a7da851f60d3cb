#!/usr/bin/env python3
"""Fails when a module imports a module of a higher layer, or when modules
import each other in a cycle across the entries of the layer table.

The table is `layers.toml` at the repository's root (ARCHITECTURE.md explains
it): layers lowest first, each a list of modules named with their crate
(`kmswatch_core::check::gather`). A source file belongs to the longest entry
that is a prefix of its module path; every path it names — `use` items,
including grouped ones, and paths written inline (`crate::remediate::Plan` in
a signature) — is mapped the same way. Test code (`#[cfg(test)]` modules,
inline or in their own files) is not product code and is not read.

Usage: layers.py [ROOT]   (ROOT: the repository, default: two levels up)
"""
from __future__ import annotations

import os
import re
import sys
import tomllib
from dataclasses import dataclass

COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
STRING = re.compile(r'r#*"(?:.|\n)*?"#*|"(?:\\.|[^"\\])*"')
USE = re.compile(r"\buse\s+([^;]+);")
INLINE = re.compile(r"(?<![\w:])((?:crate|super|self)(?:::\w+)+|kmswatch_\w+(?:::\w+)+)")
TEST_MOD_FILE = re.compile(r"#\[cfg\(test\)\]\s*(?:pub(?:\([a-z]+\))?\s+)?mod\s+(\w+)\s*;")
TEST_MOD_INLINE = re.compile(r"#\[cfg\(test\)\]\s*(?:pub(?:\([a-z]+\))?\s+)?mod\s+\w+\s*\{")


@dataclass(frozen=True)
class Entry:
    module: tuple[str, ...]
    layer: int
    layer_name: str


def load_table(root: str) -> list[Entry]:
    with open(os.path.join(root, "layers.toml"), "rb") as f:
        table = tomllib.load(f)
    entries = []
    for index, layer in enumerate(table["layer"]):
        for module in layer["modules"]:
            entries.append(Entry(tuple(module.split("::")), index, layer["name"]))
    return entries


def crates(root: str) -> dict[str, str]:
    """Crate name (with underscores) -> its `src` folder."""
    found = {}
    for name in sorted(os.listdir(root)):
        src = os.path.join(root, name, "src")
        if name.startswith("kmswatch-") and os.path.isdir(src):
            found[name.replace("-", "_")] = src
    return found


def module_of(crate: str, rel: str) -> tuple[str, ...]:
    parts = rel[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return (crate, *parts)


def expand(item: str) -> list[str]:
    """`a::{b, c::{d, e}}` -> [`a::b`, `a::c::d`, `a::c::e`]."""
    item = "".join(item.split())
    if "{" not in item:
        return [item]
    head, _, rest = item.partition("{")
    body = rest[: rest.rfind("}")]
    parts, depth, current = [], 0, ""
    for ch in body:
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        current += ch
    parts.append(current)
    return [p for part in parts if part for p in expand(head + part)]


def product_code(text: str) -> str:
    text = COMMENT.sub("", STRING.sub('""', text))
    cut = TEST_MOD_INLINE.search(text)
    return text[: cut.start()] if cut else text


def resolve(path: str, me: tuple[str, ...], crate: str) -> tuple[str, ...] | None:
    segments = [s for s in path.split("::") if s]
    segments = [s.split(" as ")[0] for s in segments]
    if not segments:
        return None
    if segments[0] == "crate":
        return (crate, *segments[1:])
    if segments[0] in ("super", "self"):
        base = list(me)
        while segments and segments[0] in ("super", "self"):
            if segments.pop(0) == "super":
                base = base[:-1]
        return (*base, *segments)
    if segments[0].startswith("kmswatch_"):
        return tuple(segments)
    return None


def entry_of(module: tuple[str, ...], entries: list[Entry]) -> Entry | None:
    best = None
    for entry in entries:
        if module[: len(entry.module)] == entry.module:
            if best is None or len(entry.module) > len(best.module):
                best = entry
    return best


def files_of(crate: str, src: str) -> dict[str, tuple[tuple[str, ...], str]]:
    """Relative path -> (module path, product code), test files left out."""
    texts = {}
    for dirpath, _, names in os.walk(src):
        for name in names:
            if name.endswith(".rs"):
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as f:
                    texts[os.path.relpath(path, src)] = f.read()
    test_modules = set()
    for rel, text in texts.items():
        me = module_of(crate, rel)
        for match in TEST_MOD_FILE.finditer(COMMENT.sub("", text)):
            test_modules.add((*me, match.group(1)))
    files = {}
    for rel, text in texts.items():
        me = module_of(crate, rel)
        if any(me[: len(t)] == t for t in test_modules):
            continue
        files[rel] = (me, product_code(text))
    return files


def main() -> int:
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    root = os.path.abspath(root)
    entries = load_table(root)
    problems = []
    graph: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    why: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}
    for crate, src in crates(root).items():
        for rel, (me, code) in sorted(files_of(crate, src).items()):
            mine = entry_of(me, entries)
            where = os.path.join(os.path.relpath(src, root), rel)
            if mine is None and len(me) == 1 and any(e.module[0] == crate for e in entries):
                continue
            if mine is None:
                problems.append(f"{where}: module {'::'.join(me)} is in no layer of layers.toml")
                continue
            paths = [p for m in USE.finditer(code) for p in expand(m.group(1))]
            paths += INLINE.findall(USE.sub("", code))
            for path in paths:
                target = resolve(path, me, crate)
                if target is None or target[0] not in crates(root):
                    continue
                theirs = entry_of(target, entries)
                if theirs is None or theirs == mine:
                    continue
                if theirs.layer > mine.layer:
                    problems.append(
                        f"{where}: {'::'.join(mine.module)} ({mine.layer_name}) names "
                        f"{'::'.join(target)} of a higher layer ({theirs.layer_name})"
                    )
                graph.setdefault(mine.module, set()).add(theirs.module)
                why.setdefault((mine.module, theirs.module), f"{where} names {'::'.join(target)}")
    for cycle in cycles(graph):
        steps = [why[(a, b)] for a, b in zip(cycle, cycle[1:] + cycle[:1])]
        problems.append("modules import each other: " + " -> ".join("::".join(m) for m in cycle)
                        + "\n    " + "\n    ".join(steps))
    for problem in sorted(set(problems)):
        print(problem)
    if problems:
        print(f"layers: {len(set(problems))} problem(s); see layers.toml and ARCHITECTURE.md")
        return 1
    print(f"layers: ok ({len(entries)} modules in {len({e.layer for e in entries})} layers)")
    return 0


def cycles(graph: dict[tuple[str, ...], set[tuple[str, ...]]]) -> list[list[tuple[str, ...]]]:
    """One cycle per strongly connected component of more than one entry (Tarjan)."""
    index: dict = {}
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    found = []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(shortest_cycle(graph, set(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def shortest_cycle(graph, component):
    """A shortest cycle through the component's first node, for the message."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(graph.get(node, ())):
            if succ == start:
                return paths[node]
            if succ in component and succ not in paths:
                paths[succ] = paths[node] + [succ]
                queue.append(succ)
    return sorted(component)


if __name__ == "__main__":
    sys.exit(main())
