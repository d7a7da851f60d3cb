#!/usr/bin/env python3
"""Fails when two or more files of a crate import each other in a cycle.

Reads the `use super::...` and `use crate::...` items of every file under each
crate's `src/` and maps them to the files that define those modules; a strongly
connected component of more than one file is a cycle. Parent `mod` declarations
are not imports and do not count.
"""
import os
import re
import sys

USE = re.compile(r"^\s*(?:pub(?:\([a-z]+\))?\s+)?use\s+([^;]+);", re.M)


def module_path(rel):
    parts = rel[:-3].split("/")
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def edges_of(root):
    files = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            if name.endswith(".rs"):
                path = os.path.join(dirpath, name)
                files[os.path.relpath(path, root)] = open(path, encoding="utf-8").read()
    by_module = {module_path(rel): rel for rel in files}
    edges = {rel: set() for rel in files}
    for rel, text in files.items():
        me = module_path(rel)
        for match in USE.finditer(text):
            item = " ".join(match.group(1).split())
            segments = [s.strip() for s in item.split("::")]
            if segments[0] == "super":
                base = list(me[:-1])
                segments = segments[1:]
                while segments and segments[0] == "super":
                    base = base[:-1]
                    segments = segments[1:]
            elif segments[0] == "crate":
                base, segments = [], segments[1:]
            else:
                continue
            path = list(base)
            for segment in segments:
                if not re.fullmatch(r"\w+", segment):
                    break
                path.append(segment)
            targets = []
            for k in range(len(path), 0, -1):
                if tuple(path[:k]) in by_module:
                    targets.append(by_module[tuple(path[:k])])
                    break
            braces = re.search(r"\{(.*)\}", item)
            if braces:
                for name in braces.group(1).split(","):
                    head = name.strip().split("::")[0].strip()
                    key = tuple(path + [head])
                    if key in by_module:
                        targets.append(by_module[key])
            edges[rel].update(t for t in targets if t != rel)
    return edges


def cycles(edges):
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in edges:
        if v not in index:
            visit(v)
    return found


def main():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    failed = False
    for crate in sorted(os.listdir(repo)):
        src = os.path.join(repo, crate, "src")
        if crate.startswith("kmswatch") and os.path.isdir(src):
            for component in cycles(edges_of(src)):
                failed = True
                print(f"import cycle in {crate}/src: {' <-> '.join(component)}")
    print("import cycles: " + ("found" if failed else "none"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
