"""Property-based tests: whatever arrives, the result is a model or a clean content error.

Hypothesis feeds random and mutated YAML and Markdown to the real loader, validator
and renderer. "Clean" means a :class:`ContentError` whose every problem names a file
(and a position, when it has one) in plain words; any other exception is a traceback
an editor would see, and fails the test. Example counts are modest so this file runs
in seconds.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityprofiles.content import MarkdownRenderer, SourceText, load_sources, parse_yaml
from cityprofiles.errors import ContentError, Problem
from cityprofiles.validate import validate_sources
from conftest import BASE_FILES, CITY_YAML

FAST = settings(
    max_examples=100,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow],
)


def _tokens(tokens: list[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(tokens), max_size=max_size).map("".join)


YAMLISH = _tokens([*list("ab:- \n\t[]{},&*!|>'\"#%@?~01.\\\x00é\u2028"), "en:", "- "], 200)
MARKDOWNISH = _tokens(
    [*list("ab *_`[]()<>!#>-=|\\&\n\t1."), "<script>", "javascript:", " onerror=", "\n\n"], 400
)
JARGON = ("Traceback", "pydantic", "Input should", "<class", "Errno", "object at 0x")


def assert_clean(problems: list[Problem]) -> None:
    assert problems, "a ContentError must carry at least one problem"
    for problem in problems:
        assert problem.file and problem.message, problem
        assert problem.line is None or problem.line >= 1, problem
        assert problem.column is None or problem.column >= 1, problem
        for word in JARGON:
            assert word not in problem.message, problem.format()
        problem.format()  # the excerpt and caret are built without error


@FAST
@given(YAMLISH)
def test_any_text_is_data_or_a_positioned_yaml_error(text: str) -> None:
    try:
        parse_yaml(SourceText("f.yaml", text))
    except ContentError as exc:
        assert_clean(exc.problems)
        assert all(p.line is not None for p in exc.problems)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@FAST
@given(documents)
def test_what_pyyaml_writes_reads_back_unchanged(data: Any) -> None:
    """Our event-stream builder agrees with PyYAML on every document PyYAML can write."""
    text = yaml.safe_dump({"root": data}, allow_unicode=True)
    try:
        loaded = parse_yaml(SourceText("f.yaml", text)).data["root"]
    except ContentError as exc:
        assert_clean(exc.problems)  # e.g. a control character PyYAML writes but refuses to read
        return
    # Compare with PyYAML's own reading (it folds a few characters such as U+0085 in keys).
    assert _same(loaded, yaml.safe_load(text)["root"]), (text, loaded)


_CORE_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


def _core_schema(text: str) -> Any:
    """What the YAML 1.2 core schema makes of a plain scalar that PyYAML (YAML 1.1) writes
    unquoted because 1.1 reads it as text (``0E0``, ``0o17``, ``+1e5``); ``text`` itself
    when 1.2 reads it as text too. Written from the 1.2 specification, not from our loader."""
    if _CORE_INT.fullmatch(text):
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
    if _CORE_FLOAT.fullmatch(text):
        return float(text)
    return text


def test_scalars_yaml_1_1_writes_plain_compare_as_yaml_1_2_reads_them() -> None:
    """The examples Hypothesis found: PyYAML writes these unquoted, as text."""
    for text, value in (("0E0", 0.0), ("0o17", 15), ("+1e5", 100000.0), ("x1", "x1")):
        dumped = yaml.safe_dump({"root": text})
        loaded = parse_yaml(SourceText("f.yaml", dumped)).data["root"]
        assert loaded == value and _same(loaded, yaml.safe_load(dumped)["root"]), dumped


def _same(a: Any, b: Any) -> bool:
    if isinstance(b, str) and not isinstance(a, str):
        b = _core_schema(b)  # PyYAML writes for YAML 1.1; our loader reads YAML 1.2
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b) or a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@pytest.fixture(scope="module")
def site_root() -> Iterator[Path]:
    """One valid site on disk; each example rewrites its city.yaml."""
    folder = Path(tempfile.mkdtemp(prefix="cityprofiles-props-"))
    root = folder / "site"
    for rel, text in BASE_FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    yield root
    shutil.rmtree(folder)


def validate_city(root: Path, text: str | bytes) -> None:
    """Load and validate the site with this city.yaml; only a clean ContentError may escape."""
    path = root / "content/cities/alphen/city.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    sources, problems = load_sources(root)
    try:
        validate_sources(sources, problems)
    except ContentError as exc:
        assert_clean(exc.problems)


@st.composite
def mutated_city(draw: st.DrawFn) -> str:
    """The valid city.yaml with a few edits an editor might make by accident."""
    lines = CITY_YAML.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "char", "swap"]))
        line = lines[index]
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        elif action == "indent":
            lines[index] = "  " + line
        elif action == "dedent":
            lines[index] = line[2:] if line.startswith("  ") else line
        elif action == "char":
            at = draw(st.integers(0, len(line)))
            char = draw(st.sampled_from([*list(":-[]{}'\"#&*!\t "), "", "x", "é", "NO"]))
            lines[index] = line[:at] + char + line[at + 1 :]
        else:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        if not lines:
            break
    return "\n".join(lines) + "\n"


@settings(FAST, max_examples=80, suppress_health_check=list(HealthCheck))
@given(text=mutated_city())
def test_mutated_city_is_a_model_or_a_clean_error(site_root: Path, text: str) -> None:
    validate_city(site_root, text)


field_names = st.sampled_from(
    [
        "name",
        "country",
        "population",
        "value",
        "year",
        "coordinates",
        "lat",
        "memberships",
        "network",
        "since",
        "sdgs",
        "goals",
        "goal",
        "contacts",
        "id",
        "email",
        "phone",
        "en",
        "nl",
        "de",
        "slug",
        "strategy",
        "summary",
        "partners",
        "last_reviewed",
        "[key]",
    ]
)
field_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 3000)
    | st.sampled_from(["NL", "eurocities", "+31 30 286 0000", "x@y.nl", "2024-01-01", "../x", ""])
    | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(field_names, inner, max_size=4),
    max_leaves=12,
)


@settings(FAST, max_examples=80, suppress_health_check=list(HealthCheck))
@given(data=st.dictionaries(field_names, field_values, max_size=8))
def test_random_city_data_is_a_model_or_a_clean_error(site_root: Path, data: Any) -> None:
    validate_city(site_root, yaml.safe_dump(data, allow_unicode=True))


@settings(FAST, max_examples=40, suppress_health_check=list(HealthCheck))
@given(raw=st.binary(max_size=200))
def test_random_bytes_are_a_model_or_a_clean_error(site_root: Path, raw: bytes) -> None:
    validate_city(site_root, raw)


_renderer = MarkdownRenderer()
_EVENT_ATTR = re.compile(r"<[^>]+\son\w+\s*=", re.IGNORECASE)


@FAST
@given(MARKDOWNISH)
def test_any_markdown_is_refused_or_rendered_safely(text: str) -> None:
    issue = _renderer.check(text)
    if issue is not None:
        assert issue.line >= 1 and issue.message
        return
    html = _renderer.render(text)
    assert "<script" not in html.lower()
    assert not _EVENT_ATTR.search(html)
    assert 'href="javascript:' not in html.lower()
