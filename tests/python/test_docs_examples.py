"""The command examples of README.md and docs/*.md run as the pages say.

Convention (docs/development.md, "Command examples in the documentation"): in a
fenced ``sh`` block, every line that is not blank and not a ``#`` comment is a
command (a line ending in ``\\`` continues on the next). Its trailing comment
says ``exit N``, the exit code it ends with; each "double-quoted" piece of that
comment must appear in what it prints (standard output or error); a lone
command followed by a ``text`` block prints exactly that block. A block right
after an HTML comment ``<!-- not run: REASON -->`` is not run (it needs AWS, the
network, a build, or writes outside the working directory); every other
command must declare its exit code, so a new example cannot go unchecked.

The runnable commands run with ``bash`` against the built ``kmswatch`` binary
(``KMSWATCH_BIN``, else target/debug/kmswatch), in a directory that links every
entry of the repository root (so ``examples/...`` resolves and files a command
writes land in a temporary directory), with dummy credentials and an endpoint
that refuses connections: an offline example cannot reach AWS.

The same pages are held to what they describe in other ways here: every bundled
example is named in docs/examples.md, each policy section of docs/iam.md lists
exactly the actions of its file in policies/, and every link between the pages
leads to a file and heading that exist."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from harness import REPO, kmswatch_binary, kmswatch_env

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
NOT_RUN = re.compile(r"<!--\s*not run:\s*(?P<reason>[^>]*?)\s*-->")
EXIT = re.compile(r"\bexit (?P<code>\d+)\b")
QUOTED = re.compile(r'"(?P<text>[^"]+)"')
# How old a snapshot is changes with the clock: a shown output is compared up
# to the capture time that ends it.
SNAPSHOT_AGE = re.compile(r"(snapshot captured \S+),.*\Z", re.S)


def without_age(text: str) -> str:
    return SNAPSHOT_AGE.sub(r"\1", text)


@dataclass(frozen=True)
class Example:
    """One command of a ``sh`` block: where it is, what it runs, what it says."""

    page: str
    line: int
    command: str
    comment: str
    not_run: str | None
    output: str | None = None

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def exit_code(self) -> int | None:
        found = EXIT.search(self.comment)
        return int(found["code"]) if found else None

    @property
    def prints(self) -> list[str]:
        return [m["text"] for m in QUOTED.finditer(self.comment)]


def split_comment(line: str) -> tuple[str, str]:
    """A command line and its trailing comment (after the last " # ")."""
    if " # " in line:
        command, comment = line.rsplit(" # ", 1)
        return command.rstrip(), comment.strip()
    return line.rstrip(), ""


def examples_of(page: Path) -> Iterator[Example]:
    """The commands of every ``sh`` block of ``page``."""
    name = page.relative_to(REPO).as_posix()
    lines = page.read_text().splitlines()
    index = 0
    while index < len(lines):
        fence = lines[index].strip()
        if not fence.startswith("```") or fence[3:].strip() != "sh":
            if fence.startswith("```"):
                # Skip any other fenced block whole: its lines are not prose.
                index += 1
                while index < len(lines) and not lines[index].strip().startswith("```"):
                    index += 1
            index += 1
            continue
        before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        marker = NOT_RUN.search(before)
        not_run = marker["reason"] if marker else None
        index += 1
        block: list[Example] = []
        pending: list[str] = []
        start = 0
        while index < len(lines) and not lines[index].strip().startswith("```"):
            text = lines[index]
            index += 1
            if not pending and (not text.strip() or text.lstrip().startswith("#")):
                continue
            if not pending:
                start = index
            if text.rstrip().endswith("\\"):
                pending.append(text.rstrip()[:-1])
                continue
            command, comment = split_comment(text)
            block.append(Example(name, start, " ".join([*pending, command]).strip(), comment, not_run))
            pending = []
        index += 1
        # A lone command followed by a ``text`` block: that block is what it prints.
        after = next((i for i in range(index, len(lines)) if lines[i].strip()), len(lines))
        if len(block) == 1 and after < len(lines) and lines[after].strip() == "```text":
            end = next(i for i in range(after + 1, len(lines)) if lines[i].strip().startswith("```"))
            block = [replace(block[0], output="\n".join(lines[after + 1 : end]) + "\n")]
        yield from block


EXAMPLES = [example for page in PAGES for example in examples_of(page)]
RUNNABLE = [e for e in EXAMPLES if e.not_run is None]


def test_the_pages_have_examples_to_run() -> None:
    # The README's quickstart alone has more; an empty list means the parser broke.
    assert len([e for e in RUNNABLE if e.page == "README.md"]) >= 5
    assert any(e.page.startswith("docs/") for e in RUNNABLE)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_every_example_declares_its_exit_code_or_why_it_is_not_run(example: Example) -> None:
    if example.not_run is not None:
        assert example.not_run, f"{example.id}: say why the block is not run"
        return
    assert example.exit_code is not None, (
        f"{example.id}: `{example.command}` needs a trailing `# ... exit N` comment, "
        "or its block a `<!-- not run: REASON -->` line before it"
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory that looks like the repository root: each top-level entry is a
    link, so what a command writes stays in this directory."""
    root = tmp_path_factory.mktemp("root")
    for entry in REPO.iterdir():
        if entry.name not in {".git", "target"}:
            (root / entry.name).symlink_to(entry)
    return root


@pytest.fixture(scope="module")
def bindir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    directory = tmp_path_factory.mktemp("bin")
    (directory / "kmswatch").symlink_to(binary)
    return directory


@pytest.mark.parametrize("example", RUNNABLE, ids=[e.id for e in RUNNABLE])
def test_each_example_runs_as_documented(example: Example, workdir: Path, bindir: Path, tmp_path: Path) -> None:
    if example.exit_code is None:
        pytest.fail(f"{example.id}: no documented exit code")
    env = kmswatch_env(tmp_path, "111122223333", "testing")
    env["PATH"] = f"{bindir}:{env.get('PATH', '/usr/bin:/bin')}"
    # Nothing listens on port 9: an example that tried to reach AWS would fail.
    env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
    # The pages show output as a pipe gets it: no colour, whatever the caller's terminal asks.
    env.pop("CLICOLOR_FORCE", None)
    env["NO_COLOR"] = "1"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", example.command],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        # A guard against a hang, far above any example's run time: not a measurement.
        timeout=120,
        check=False,
    )
    shown = f"{example.id}: `{example.command}`\nstdout:\n{done.stdout[-2000:]}\nstderr:\n{done.stderr[-2000:]}"
    assert "panicked" not in done.stderr, shown
    assert done.returncode == example.exit_code, f"exit {done.returncode}, documented {example.exit_code}\n{shown}"
    for text in example.prints:
        assert text in done.stdout or text in done.stderr, f"does not print {text!r}\n{shown}"
    if example.output is not None:
        assert without_age(done.stdout) == without_age(example.output), f"prints other than the page shows\n{shown}"


def test_every_bundled_example_is_documented() -> None:
    page = (REPO / "docs" / "examples.md").read_text()
    bundled = [p for p in (REPO / "examples").rglob("*") if p.is_file()]
    assert len(bundled) >= 20
    missing = [p.relative_to(REPO).as_posix() for p in bundled if p.relative_to(REPO).as_posix() not in page]
    assert not missing, f"docs/examples.md does not name {missing}"


def policy_actions(path: Path) -> set[str]:
    actions: set[str] = set()
    for statement in json.loads(path.read_text())["Statement"]:
        action = statement["Action"]
        actions.update([action] if isinstance(action, str) else action)
    return actions


def documented_actions(page: str, policy: str) -> set[str]:
    """The `service:Action` names of the list items in the section of ``policy``."""
    section = re.search(rf"^## `policies/{re.escape(policy)}`\n(?P<body>.*?)(?=^## |\Z)", page, re.M | re.S)
    assert section, f"docs/iam.md has no section `policies/{policy}`"
    items = re.findall(r"^- .*?(?=^- |^\S|\Z)", section["body"], re.M | re.S)
    return {name for item in items for name in re.findall(r"`([a-z0-9-]+:[A-Za-z*]+)`", item)}


@pytest.mark.parametrize("policy", sorted(p.name for p in (REPO / "policies").glob("*.json")))
def test_the_iam_page_lists_each_policys_actions(policy: str) -> None:
    page = (REPO / "docs" / "iam.md").read_text()
    assert documented_actions(page, policy) == policy_actions(REPO / "policies" / policy)


def anchor(heading: str) -> str:
    """The anchor the forge gives a heading: lower case, punctuation dropped,
    spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(REPO).as_posix() for p in PAGES])
def test_every_link_to_a_page_or_heading_resolves(page: Path) -> None:
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text()):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(target)
        elif fragment:
            headings = re.findall(r"^#+ (.*)$", linked.read_text(), re.M)
            if fragment not in {anchor(h) for h in headings}:
                broken.append(target)
    assert not broken, f"{page.relative_to(REPO)}: links that lead nowhere: {broken}"
