"""The bad-input corpus: every malformed or hostile file gives a clear, positioned error.

Each folder in ``tests/bad_input/`` is one case: the files it holds replace or add to
the valid base site of ``conftest.BASE_FILES``, and its ``expected.txt`` says what
``cityprofiles check`` must report::

    # what the case shows (comment)
    remove content/site.yaml                  # optional: delete a base file first
    content/cities/alphen/city.yaml:4:21: population.value: must be more than 0

Every expected line must match a reported error (same file, line and column when
given; the fragment inside ``path: message``), and every reported error must be
expected, so a case also fails when one fault starts producing follow-on noise.
A case whose ``expected.txt`` says ``ok`` must pass without errors. To add a case,
make a folder with the changed files and an ``expected.txt``; nothing else.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from cityprofiles.build import check
from cityprofiles.errors import ContentError, Problem
from conftest import MakeSite

CORPUS = Path(__file__).parent / "bad_input"
_EXPECTED = re.compile(r"^(?P<file>[^:]+?)(?::(?P<line>\d+))?(?::(?P<col>\d+))?: (?P<text>.+)$")
# A refused resource bomb must stop well under a second (here: the whole load + validate).
BOMB_SECONDS = 1.0


@dataclass(frozen=True)
class Expected:
    """One error a case must report."""

    file: str
    line: int | None
    column: int | None
    text: str

    def matches(self, problem: Problem) -> bool:
        said = f"{problem.path}: {problem.message}" if problem.path else problem.message
        return (
            problem.file == self.file
            and (self.line is None or problem.line == self.line)
            and (self.column is None or problem.column == self.column)
            and self.text in said
        )

    def __str__(self) -> str:
        return ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)


@dataclass(frozen=True)
class Case:
    """A corpus folder, parsed."""

    name: str
    folder: Path
    remove: tuple[str, ...]
    expected: tuple[Expected, ...]


def read_case(folder: Path) -> Case:
    remove: list[str] = []
    expected: list[Expected] = []
    for raw in (folder / "expected.txt").read_text("utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or line == "ok":
            continue
        if line.startswith("remove "):
            remove.append(line.removeprefix("remove ").strip())
            continue
        match = _EXPECTED.match(line)
        assert match, f"{folder.name}/expected.txt: cannot read the line {raw!r}"
        expected.append(
            Expected(
                match["file"],
                int(match["line"]) if match["line"] else None,
                int(match["col"]) if match["col"] else None,
                match["text"],
            )
        )
    return Case(folder.name, folder, tuple(remove), tuple(expected))


CASES = [read_case(folder) for folder in sorted(CORPUS.iterdir()) if folder.is_dir()]


def build_case_site(case: Case, make_site: MakeSite) -> Path:
    root = make_site(dict.fromkeys(case.remove))
    for rel in case.remove:
        (root / rel).unlink(missing_ok=True)
    for path in sorted(case.folder.rglob("*")):
        if path.is_file() and path.name != "expected.txt":
            target = root / path.relative_to(case.folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return root


def run_check(root: Path) -> tuple[list[Problem], float]:
    """Errors reported by ``check``; anything but a ContentError (a traceback) fails the test."""
    started = time.perf_counter()
    try:
        check(root)
    except ContentError as exc:
        problems = [p for p in exc.problems if p.severity == "error"]
    else:
        problems = []
    return problems, time.perf_counter() - started


def test_the_corpus_covers_every_kind_of_fault() -> None:
    """The issue lists the faults; this keeps at least one case for each family."""
    families = {name.split("-")[0] for name in (c.name for c in CASES)}
    assert {
        "yaml",
        "type",
        "empty",
        "encoding",
        "duplicate",
        "unknown",
        "missing",
        "range",
        "format",
        "reference",
        "city",
        "template",
        "po",
        "bomb",
        "markdown",
        "traversal",
        "many",
    } <= families
    assert len(CASES) >= 70


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gives_the_expected_positioned_errors(case: Case, make_site: MakeSite) -> None:
    root = build_case_site(case, make_site)
    problems, seconds = run_check(root)
    shown = "\n".join(p.format() for p in problems) or "(no errors)"
    for expected in case.expected:
        assert any(expected.matches(p) for p in problems), (
            f"expected {expected}: …{expected.text}… in:\n{shown}"
        )
    unexpected = [p for p in problems if not any(e.matches(p) for e in case.expected)]
    assert not unexpected, "unexpected errors:\n" + "\n".join(p.format() for p in unexpected)
    for problem in problems:  # plain language: no Python reprs, class names or pydantic jargon
        assert problem.file and not problem.file.startswith("/"), problem.format()
        for jargon in ("Traceback", "pydantic", "Input should", "<class", "Errno"):
            assert jargon not in problem.message, problem.format()
    if case.name.startswith(("bomb-", "markdown-")):
        assert seconds < BOMB_SECONDS, f"{case.name} took {seconds:.2f} s"
