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

import json
import re
import shutil
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cityprofiles.errors import ContentError, Problem
from cityprofiles.pipeline import build, check
from conftest import MakeSite, run_cli

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
        for jargon in ("Traceback", "pydantic", "Input should", "Value error", "<class", "Errno"):
            assert jargon not in problem.message, problem.format()
    if case.name.startswith(("bomb-", "markdown-")):
        assert seconds < BOMB_SECONDS, f"{case.name} took {seconds:.2f} s"


# -- Nothing let in: hostile text in every field and in the prose ------------------------

HOSTILE = "</script><script>alert(1)</script> \"dq\" 'sq' {{ 7*7 }} <b>&amp;"
HOSTILE_MARKDOWN = """\
Text <script>alert(1)</script> and <img src=x onerror=alert(1)> here.

[plain](javascript:alert(1)) [mixed case](JaVaScRiPt:alert(1)) [data](data:text/html,hi)
[spaced]( javascript:alert(1)) [entity](&#106;avascript:alert(1)) [ok](https://example.org/)

<iframe src="https://evil.example/"></iframe>
<svg onload="alert(1)"><circle/></svg>
<a href="https://example.org/" onclick="alert(1)" style="color:red">styled</a>
<p onmouseover="alert(1)">hover</p>
<object data="x.swf"></object><embed src="x.swf"><form action="https://evil.example/"><input></form>
<math><mi xlink:href="javascript:alert(1)">x</mi></math>
<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">
"""


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Build a site whose fields and prose hold script injections; return every HTML page."""
    from conftest import BASE_FILES, CITY_YAML, SITE_YAML

    quoted = json.dumps(HOSTILE)  # a JSON string is a valid YAML double-quoted string
    files = dict(BASE_FILES)
    files["content/site.yaml"] = SITE_YAML.replace(
        "title: {en: Test Cities, nl: Teststeden}", f"title: {{en: {quoted}, nl: {quoted}}}"
    )
    files["content/cities/alphen/city.yaml"] = (
        CITY_YAML.replace("name: Alphen", f"name: {quoted}")
        .replace("  en: A test city on the Old Rhine.", f"  en: {quoted}")
        .replace("{en: International affairs,", f"{{en: {quoted},")
    )
    files["content/cities/alphen/narrative.en.md"] = HOSTILE_MARKDOWN
    files["content/pages/about.en.md"] = HOSTILE_MARKDOWN
    root = tmp_path_factory.mktemp("hostile") / "site"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    build(root, root / "build")
    return {
        p.relative_to(root / "build").as_posix(): p.read_text("utf-8")
        for p in (root / "build").rglob("*.html")
    }


def test_no_script_runs_from_content(hostile_site: dict[str, str]) -> None:
    city_page = hostile_site["en/cities/alphen/index.html"]
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in city_page
    for name, html in hostile_site.items():
        parser = _Tags()
        parser.feed(html)
        for tag, attrs in parser.tags:
            # (the theme itself may use <form> for search and <svg> for the map)
            assert tag not in {"iframe", "object", "embed", "math", "base"}, name
            assert "evil.example" not in " ".join(str(v) for v in attrs.values()), name
            if tag == "script":
                assert attrs.get("type") == "application/ld+json" or attrs.get("src"), name
            if tag == "meta":
                assert attrs.get("http-equiv") != "refresh", name
            for attr, value in attrs.items():
                assert not attr.startswith("on"), f"{name}: <{tag} {attr}=…>"
                target = (value or "").strip().lower()
                assert not target.startswith(("javascript:", "data:", "vbscript:")), (
                    f"{name}: <{tag} {attr}={value!r}>"
                )
            if tag in ("a", "p") and "style" in attrs:
                pytest.fail(f"{name}: style attribute let through on <{tag}>")


def test_json_ld_keeps_hostile_text_as_data(hostile_site: dict[str, str]) -> None:
    parser = _Tags()
    parser.feed(hostile_site["en/cities/alphen/index.html"])
    (script,) = [s for s in parser.scripts if s.strip()]
    assert "</" not in script and "<script" not in script.lower()
    graph = json.loads(script)["@graph"]
    assert graph[0]["name"] == HOSTILE
    assert graph[1]["contactPoint"][0]["contactType"] == HOSTILE


def test_title_and_attributes_escape_hostile_text(hostile_site: dict[str, str]) -> None:
    html = hostile_site["en/cities/alphen/index.html"]
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "&lt;/script&gt;" in title
    assert "{{ 7*7 }}" in title  # content is never evaluated as a template
    for name, html in hostile_site.items():
        for attr_value in re.findall(r'content="([^"]*)"', html):
            assert "<" not in attr_value and '"' not in attr_value, name


# -- Through the real command line -------------------------------------------------------

CLI_SAMPLE = ("encoding-windows-1252", "bomb-billion-laughs", "template-syntax-error", "po-broken")


@pytest.mark.parametrize("name", CLI_SAMPLE)
def test_cli_reports_corpus_cases_without_traceback(name: str, make_site: MakeSite) -> None:
    case = next(c for c in CASES if c.name == name)
    root = build_case_site(case, make_site)
    result = run_cli("build", root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for expected in case.expected:
        assert f"{expected}:" in result.stderr, result.stderr
    assert not (root / "build").exists()
    assert [p.name for p in root.iterdir() if p.name.startswith(".build")] == []


def test_terminal_escapes_in_names_are_shown_not_obeyed(make_site: MakeSite) -> None:
    root = make_site({"content/cities/\x1b[2Jevil/city.yaml": "name: X\n"})
    result = run_cli("check", root)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr
    assert "content/cities/\\x1b[2Jevil: '\\x1b[2Jevil' is not a valid city folder name" in (
        result.stderr
    )


# -- Markdown within the limits stays fast; real prose is not refused --------------------

# The slowest shapes found by measuring Python-Markdown (see MAX_BLOCK_* in markup.py).
WORST_SHAPES = {
    "emphasis": "*a* _b_ ",
    "headings": "## h\n",
    "setext-headings": "a\n===\n",
    "nested-quote-lists": "> - > - x\n",
    "flat-list": "- item\n",
    "links": "[a](https://x.org/) ",
    "one-word-paragraphs": "para\n\n",
}


def _fill_to_limits(unit: str) -> str:
    """``unit`` repeated into blocks just under every block cap, up to the file cap."""
    from cityprofiles.content import markdown as markup

    block = ""
    while "\n\n" not in unit:
        longer = block + unit
        if (
            len(longer) > markup.MAX_BLOCK_CHARS - 10
            or longer.count("\n") >= markup.MAX_BLOCK_LINES - 2
            or len(markup._INLINE_MARKUP.findall(longer)) > markup.MAX_BLOCK_MARKUP
        ):
            break
        block = longer
    block = (block or unit).rstrip("\n") + "\n\n"
    count = min((markup.MAX_PROSE_CHARS - 1) // len(block), markup.MAX_BLOCKS - 1)
    return block * count


@pytest.mark.parametrize("unit", WORST_SHAPES.values(), ids=WORST_SHAPES.keys())
def test_worst_markdown_within_the_limits_renders_in_under_a_second(unit: str) -> None:
    from cityprofiles.content import MarkdownRenderer

    text = _fill_to_limits(unit)
    renderer = MarkdownRenderer()
    started = time.process_time()  # CPU time: other jobs on a busy CI machine do not count
    assert renderer.check(text) is None
    renderer.render(text)
    assert time.process_time() - started < BOMB_SECONDS


def test_long_realistic_prose_is_accepted() -> None:
    from cityprofiles.content import MarkdownRenderer

    paragraph = (
        "Utrecht works with *European partners* on [clean air](https://example.org/air) "
        "and **mobility**; see the `2024` report & the city's site. " * 4
    )
    parts = [f"## Part {n}\n\n{paragraph}\n\n{paragraph}" for n in range(20)]
    parts.append("\n".join(f"- item {n} with a [link](https://example.org/{n})" for n in range(60)))
    parts.append(
        "| year | visits |\n|---|---|\n" + "\n".join(f"| {2000 + n} | {n} |" for n in range(80))
    )
    text = "\n\n".join(parts) + "\n"
    renderer = MarkdownRenderer()
    assert renderer.check(text) is None
    assert "<table>" in renderer.render(text)
