"""Editing in the browser, end to end: ``cityprofiles serve``, Decap CMS at /admin/, real Chromium.

A copy of the shipped site (the repository root is a site) in a Git repository of its
own, served by the real entry point; each test opens the editor in a fresh browser
context, does what a communications officer would do, and then looks at the files,
``git diff``, ``check`` and the preview. Every request the editor makes is recorded:
none may go to another origin.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, SRC, TODAY, run_cli
from webtools import CHROMIUM, CHROMIUM_ARGS, require

pytestmark = pytest.mark.browser

UTRECHT = "content/cities/utrecht/city.yaml"
NEW_SUMMARY = "Utrecht, edited in the browser: a city that works with partners everywhere."
SITE_PARTS = ("content", "templates", "locales", "static")


@dataclass
class Editor:
    """A running ``cityprofiles serve`` of a Git-tracked copy of the shipped site."""

    root: Path
    port: int
    process: subprocess.Popen[str]
    log: list[str]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url(path), timeout=10) as response:
            return str(response.read().decode("utf-8"))

    def git(self, *args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        ).stdout

    def rebuilds(self) -> int:
        return sum(1 for line in self.log if line.startswith(("Built", "Rebuilt", "The preview")))


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _git_site(root: Path) -> None:
    for part in SITE_PARTS:
        if (REPO / part).is_dir():
            shutil.copytree(REPO / part, root / part)
    (root / ".gitignore").write_text("build/\n.cache/\n", encoding="utf-8")
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org")
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "the shipped site"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    root = tmp_path_factory.mktemp("cms") / "site"
    root.mkdir()
    _git_site(root)
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(SRC), NO_COLOR="1", PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "cityprofiles", "serve", str(root), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    log: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            log.append(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    running = Editor(root, port, process, log)
    wait_for(lambda: any(line.startswith("Serving") for line in log), "the server", 120)
    yield running
    process.terminate()
    assert process.wait(timeout=30) == 0, "\n".join(log)
    assert process.stdout is not None
    process.stdout.close()
    assert "Traceback" not in "\n".join(log), "\n".join(log)


@pytest.fixture(autouse=True)
def pristine(editor: Editor) -> Iterator[None]:
    """Each test starts from, and leaves, the committed site (and a preview built from it)."""
    yield
    dirty = editor.git("status", "--porcelain", "--", "content", "static")
    if dirty:
        before = editor.rebuilds()
        editor.git("checkout", "-q", "--", ".")
        editor.git("clean", "-qfd", "--", "content", "static")
        wait_for(lambda: editor.rebuilds() > before, "the preview to follow the restored files")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(
        sync_playwright is not None and CHROMIUM.exists(),
        f"needs Playwright and Chromium at {CHROMIUM}",
    )
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Session:
    """One editor in one browser context, with every request it made."""

    page: Any
    requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture
def session(browser: Any, editor: Editor) -> Iterator[Session]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    # The browser's day is the test suite's (conftest.TODAY), as the server's is: the
    # editor's "Now" for last_reviewed is then never a day the check calls the future.
    context.clock.set_fixed_time(f"{TODAY}T12:00:00Z")
    page = context.new_page()
    opened = Session(page)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("pageerror", lambda error: opened.page_errors.append(str(error)))
    yield opened
    context.close()
    origin = editor.url("")
    elsewhere = [url for url in opened.requests if not url.startswith((origin, "blob:", "data:"))]
    assert elsewhere == [], "the editor asked another origin"
    assert opened.page_errors == []


def sign_in(session: Session, editor: Editor, *, lang: str = "en") -> Any:
    """Open /admin/ and pass Decap's local sign-in page (there is no password locally)."""
    page = session.page
    page.goto(editor.url(f"/admin/?lang={lang}"))
    login = page.get_by_role("button", name=re.compile("^(Login|Inloggen)$"))
    login.or_(page.locator('a[href*="#/collections/"]')).first.wait_for()
    if login.count():  # signed in already in this browser context otherwise
        login.click()
    return page


def open_city(page: Any, name: str) -> None:
    """From the collections, the way an editor finds a city: Cities, then its name."""
    page.get_by_role("link", name=re.compile("^(Cities|Steden)$")).first.click()
    page.get_by_role("link", name=re.compile(rf"\b{name}\b")).first.click()
    page.locator('textarea[id^="en-field-"]').first.wait_for()


def _is_save(response: Any) -> bool:
    return response.url.endswith("/api/v1") and '"persistEntry"' in (
        response.request.post_data or ""
    )


def publish(page: Any, *, dutch: bool = False) -> tuple[int, str]:
    """Decap's "Publish" -> "Publish now"; the back end's answer to the save."""
    page.get_by_role("button", name="Publiceren" if dutch else "Publish").click()
    with page.expect_response(_is_save, timeout=60_000) as answer:
        page.get_by_text("Nu publiceren" if dutch else "Publish now").click()
    response = answer.value
    return response.status, response.text()


def translated(page: Any, label: str) -> Any:
    """The first translated field with this label (its inputs, one per language)."""
    return page.locator(f'[aria-label="object field"]:has(> div > label:text-is("{label}"))').first


def field_input(page: Any, label: str) -> Any:
    return page.get_by_label(label, exact=True).first


def changed_lines(diff: str) -> list[str]:
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


# -- the tests ---------------------------------------------------------------------------


def test_an_edit_in_the_browser_changes_only_those_lines_and_the_preview_follows(
    editor: Editor, session: Session
) -> None:
    dutch_before = editor.get("/nl/steden/utrecht/")
    preview = session.page.context.new_page()
    preview.goto(editor.url("/en/cities/utrecht/"))
    page = sign_in(session, editor)
    open_city(page, "Utrecht")
    page.locator('textarea[id^="en-field-"]').first.fill(NEW_SUMMARY)
    field_input(page, "Inhabitants (optional)").fill("361234")
    status, answer = publish(page)
    assert status == 200, answer

    diff = editor.git("diff", "--", UTRECHT)
    assert changed_lines(diff) == [
        "-population: {value: 350000, year: 2018}",
        "+population: {value: 361234, year: 2018}",
        "-    An internationally connected city in the centre of the Netherlands whose work abroad",
        "-    follows one aim: Healthy Urban Living for Everyone.",
        f"+    {NEW_SUMMARY}",
    ]
    committed = editor.git("show", f"HEAD:{UTRECHT}").splitlines()
    assert (editor.root / UTRECHT).read_text("utf-8").splitlines()[:3] == committed[:3]
    assert committed[0].startswith("# yaml-language-server:")

    checked = run_cli("check", editor.root)
    assert checked.returncode == 0, checked.stderr

    # The preview tab reloads by itself and shows the new English text ...
    preview.get_by_text(NEW_SUMMARY).first.wait_for(timeout=30_000)
    # ... and the Dutch page is unchanged but for the population (written the Dutch way).
    dutch_after = editor.get("/nl/steden/utrecht/")
    assert NEW_SUMMARY not in dutch_after
    expected = dutch_before.replace("350.000", "361.234").replace("350000", "361234")
    assert dutch_after == expected  # the number in the facts and in the JSON-LD


@pytest.mark.parametrize(
    ("sent", "in_file", "message"),
    [
        (
            ("value: 361234\n", "value: many\n"),
            ("{value: 350000,", "{value: many,"),
            "population.value: ",
        ),
        (("- goal: 3\n", "- goal: 18\n"), ("- goal: 3\n", "- goal: 18\n"), "sdgs.goals[0].goal: "),
    ],
    ids=["population-many", "unknown-sdg"],
)
def test_an_invalid_save_is_refused_with_checks_message_and_the_file_stays_as_it_was(
    editor: Editor,
    session: Session,
    sent: tuple[str, str],
    in_file: tuple[str, str],
    message: str,
) -> None:
    """The form cannot produce these values (a number field, a list of 17 goals); the
    request can, so it is changed on its way, as another client or a hand edit would."""
    before = (editor.root / UTRECHT).read_bytes()
    page = sign_in(session, editor)
    old, new = sent

    def tamper(route: Any) -> None:
        body = json.loads(route.request.post_data or "{}")
        if body.get("action") == "persistEntry":
            for item in body["params"]["dataFiles"]:
                assert old in item["raw"], item["raw"][:2000]
                item["raw"] = item["raw"].replace(old, new)
        route.continue_(post_data=json.dumps(body))

    page.route("**/api/v1", tamper)
    open_city(page, "Utrecht")
    number = field_input(page, "Inhabitants (optional)")
    number.fill("361234")
    number.press_sequentially("many")  # a number field takes no letters
    assert number.input_value() == "361234"
    status, answer = publish(page)

    assert status == 422
    error = json.loads(answer)["error"]
    refusal = page.locator("#cityprofiles-refusal")
    refusal.wait_for()
    assert UTRECHT in refusal.inner_text()
    assert message in refusal.inner_text()
    # The same words as `cityprofiles check` prints for that file.
    (editor.root / "tampered").mkdir()
    try:
        shutil.copytree(editor.root / "content", editor.root / "tampered" / "content")
        path = editor.root / "tampered" / UTRECHT
        path.write_text(path.read_text("utf-8").replace(*in_file), encoding="utf-8")
        printed = run_cli("check", editor.root / "tampered").stderr
    finally:
        shutil.rmtree(editor.root / "tampered")
    problem = next(line for line in error.splitlines() if message in line)
    assert problem.split(": ", 2)[1:] == next(
        line.split(": ", 2)[1:] for line in printed.splitlines() if message in line
    )
    assert (editor.root / UTRECHT).read_bytes() == before
    assert editor.git("status", "--porcelain") == ""
    # Decap leaves the failed save's promise unhandled; that is its error, not another.
    page.wait_for_timeout(300)
    assert set(session.page_errors) <= {"Object"}
    session.page_errors.clear()


def test_a_city_made_in_the_editor_builds_in_both_languages_and_strict_lists_the_rest(
    editor: Editor, session: Session, tmp_path: Path
) -> None:
    page = sign_in(session, editor)
    page.get_by_role("link", name=re.compile("^Cities$")).first.click()
    page.locator('a[href$="/collections/cities/new"]').click()
    page.locator('input[id^="en-field-"]').first.wait_for()
    groups = {
        "Name": "'s-Hertogenbosch",
        "Organisation": "Municipality of 's-Hertogenbosch",
    }
    for label, value in groups.items():
        translated(page, label).locator('input[id^="en-field-"]').fill(value)
    # the country is chosen by its name (the list holds every ISO 3166 country)
    field_input(page, "Country").fill("Nether")
    page.get_by_text("Netherlands (NL)", exact=True).click()
    field_input(page, "Latitude").fill("51.69")
    field_input(page, "Longitude").fill("5.30")
    field_input(page, "Website").fill("https://www.s-hertogenbosch.nl/")
    page.get_by_role("button", name="Now").first.click()
    summaries = page.locator('textarea[id^="en-field-"]')
    summaries.nth(0).fill("A city in Brabant that works with partners abroad.")
    translated(page, "Title").locator('input[id^="en-field-"]').fill("Working with the world")
    summaries.nth(1).fill("What the strategy is about.")
    status, answer = publish(page)
    assert status == 200, answer

    folder = editor.root / "content/cities/s-hertogenbosch"
    assert sorted(p.name for p in folder.iterdir()) == [
        "city.yaml",
        "narrative.en.md",
        "narrative.nl.md",
    ]
    text = (folder / "city.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/city.schema.json\n")
    assert 'name:\n  en: "\'s-Hertogenbosch"\n' in text  # quoted, as it must be

    built = run_cli("build", editor.root, "--out", tmp_path / "out", "--no-search")
    assert built.returncode == 0, built.stderr
    assert "'s-Hertogenbosch" in (tmp_path / "out/en/cities/s-hertogenbosch/index.html").read_text()
    assert "'s-Hertogenbosch" in (tmp_path / "out/nl/steden/s-hertogenbosch/index.html").read_text()

    strict = run_cli("check", "--strict", editor.root)
    assert strict.returncode == 1
    left = [line for line in strict.stderr.splitlines() if "s-hertogenbosch" in line]
    assert any("narrative" in line and "TODO" in line for line in left), strict.stderr
    assert any("summary" in line and "nl" in line for line in left), strict.stderr


def test_the_interface_follows_the_editors_language_choice(
    editor: Editor, session: Session
) -> None:
    page = sign_in(session, editor, lang="nl")
    open_city(page, "Utrecht")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_text("Laatst gecontroleerd").first.wait_for()
    assert page.get_by_label("Nederlands", exact=False).count() > 0
    # The choice is remembered: /admin/ without ?lang= stays Dutch.
    page.goto(editor.url("/admin/"))
    page.get_by_role("link", name="Steden").first.wait_for()
    assert page.locator("html").get_attribute("lang") == "nl"
    # Each language's input says its language (spelling, screen readers).
    page.goto(editor.url("/admin/#/collections/cities/entries/utrecht/city"))
    dutch = page.locator('textarea[id^="nl-field-"]').first
    dutch.wait_for()
    assert dutch.get_attribute("lang") == "nl"


def test_screenshots_of_the_city_form_with_both_languages_side_by_side(
    editor: Editor, session: Session, tmp_path: Path
) -> None:
    """docs/screenshots/editor-city-{en,nl}.png (CITYPROFILES_SCREENSHOTS=docs/screenshots)."""
    folder = Path(os.environ.get("CITYPROFILES_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    session.page.set_viewport_size({"width": 1280, "height": 1000})
    for lang in ("en", "nl"):
        page = sign_in(session, editor, lang=lang)
        open_city(page, "Utrecht")
        # Both languages of a translated field sit side by side, each with its own name.
        english = page.locator('input[id^="en-field-"]').first.bounding_box()
        dutch = page.locator('input[id^="nl-field-"]').first.bounding_box()
        assert abs(english["y"] - dutch["y"]) < 2
        assert dutch["x"] > english["x"] + english["width"]
        page.get_by_text("Nederlands").first.wait_for()
        page.wait_for_timeout(300)
        path = folder / f"editor-city-{lang}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000


def test_the_back_end_refuses_requests_from_elsewhere_and_paths_outside_content(
    editor: Editor,
) -> None:
    (editor.root / "content" / "escape").symlink_to(editor.root.parent)
    try:
        answers = {}
        for name, params in {
            "dot-dot": {"path": "content/../../secret.txt"},
            "absolute": {"path": str(editor.root / "content/site.yaml")},
            "symlink": {"path": "content/escape/secret.txt"},
            "templates": {"path": "templates/base.html"},
            "hidden": {"path": "content/.git/config"},
        }.items():
            answers[name] = _post(editor, {"action": "getEntry", "params": params})
        for name, (status, body) in answers.items():
            assert status == 422, (name, body)
            assert "is not allowed" in body["error"], (name, body)
        saved = _post(
            editor,
            {
                "action": "persistEntry",
                "params": {
                    "dataFiles": [{"path": "content/escape/x.yaml", "raw": "a: 1", "slug": "x"}],
                    "assets": [],
                    "options": {},
                },
            },
        )
        assert saved[0] == 422
        assert not (editor.root.parent / "x.yaml").exists()
    finally:
        (editor.root / "content" / "escape").unlink()
    assert _post(editor, {"action": "info"}, headers={"Origin": "https://evil.example"})[0] == 403
    assert _post(editor, {"action": "info"}, headers={"Host": "evil.example"})[0] == 403
    assert _post(editor, {"action": "info"}, content_type="text/plain")[0] == 415
    status, body = _post(editor, {"action": "info"})
    assert (status, body["publish_modes"], body["type"]) == (200, ["simple"], "local_fs")


def _post(
    editor: Editor,
    payload: Any,
    *,
    headers: dict[str, str] | None = None,
    content_type: str = "application/json",
) -> tuple[int, Any]:
    request = urllib.request.Request(
        editor.url("/api/v1"),
        data=json.dumps(payload).encode(),
        headers={"Content-Type": content_type, **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@pytest.mark.parametrize(
    ("backend", "button"),
    [
        (
            "  backend: {name: github, repo: a/b, base_url: https://auth.example.org}\n",
            "Login with GitHub",
        ),
        ("  backend: {name: gitlab, repo: a/b, app_id: abc}\n", "Login with GitLab"),
    ],
    ids=["github", "gitlab"],
)
def test_the_published_editor_opens_at_the_git_hosts_sign_in_and_asks_no_one_else(
    browser: Any, tmp_path: Path, backend: str, button: str
) -> None:
    import functools
    import http.server

    root = tmp_path / "site"
    for part in SITE_PARTS:
        if (REPO / part).is_dir():
            shutil.copytree(REPO / part, root / part)
    site_yaml = root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + "cms:\n" + backend, encoding="utf-8")
    out = tmp_path / "out"
    built = run_cli("build", root, "--out", out, "--no-search")
    assert built.returncode == 0, built.stderr

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(out))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    context = browser.new_context()
    try:
        page = context.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{origin}/admin/")
        page.get_by_role("button", name=button).wait_for()
        page.wait_for_timeout(500)
        assert [url for url in requests if not url.startswith(origin)] == []
        assert errors == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()
