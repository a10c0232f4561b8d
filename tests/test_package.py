"""The package as a stranger gets it: the wheel, `init`, one version, the site-folder convention."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
import yaml

import cityprofiles
from cityprofiles.cli import make_parser
from cityprofiles.errors import UsageError
from cityprofiles.pipeline import build, check
from cityprofiles.scaffold import create_site, keep_languages
from conftest import REPO, SRC, run_cli

PACKAGE = SRC / "cityprofiles"
SHIPPED_DATA = ("theme", "locales", "data", "starter", "cms")


def _need_module(name: str) -> None:
    """Skip when a test tool is missing locally; under CI a missing tool is a failure."""
    try:
        __import__(name)
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed; CI must install the test extras")
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")


def _run(*args: str | os.PathLike[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        list(map(str, args)),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _package_files() -> set[str]:
    """Every data file of the package in the checkout, as the wheel must carry it."""
    files = set()
    for folder in SHIPPED_DATA:
        for path in (PACKAGE / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                files.add(path.relative_to(SRC).as_posix())
    return files


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_venv_makes_builds_and_checks_a_new_site(
    tmp_path: Path,
) -> None:
    _need_module("build")
    version = cityprofiles.__version__
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--outdir", dist, REPO, cwd=tmp_path, env=dict(os.environ))
    wheel = next(dist.glob("cityprofiles-*.whl"))
    sdist = next(dist.glob("cityprofiles-*.tar.gz"))

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        meta = Parser().parsestr(
            archive.read(f"cityprofiles-{version}.dist-info/METADATA").decode()
        )
    missing = _package_files() - names
    assert not missing, f"the wheel lacks {sorted(missing)}"
    assert f"cityprofiles-{version}.dist-info/licenses/LICENSE" in names
    assert meta["Version"] == version
    assert meta["License-Expression"] == "EUPL-1.2"
    assert meta["Requires-Python"] == ">=3.10"
    assert {"Homepage", "Source", "Issues", "Changelog"} <= {
        url.split(",")[0] for url in meta.get_all("Project-URL", [])
    }
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "README.md", "CHANGELOG.md", "docs/theming.md"} <= in_sdist
    assert {f"src/{name}" for name in _package_files()} <= in_sdist

    # A site made by `init`, whose CI installs this wheel (`--source`: no release can be
    # fetched here), then the workflow's own steps in a fresh virtual environment with
    # nothing of this checkout on the path, as GitHub Actions runs them on a pull request.
    work = tmp_path / "elsewhere"
    work.mkdir()
    made = run_cli(
        "init",
        work / "our-site",
        "--base-url",
        "https://cities.example.net/",
        "--source",
        wheel.as_uri(),
    )
    assert made.returncode == 0, made.stderr
    requirements = (work / "our-site/requirements.txt").read_text("utf-8")
    assert f"cityprofiles @ {wheel.as_uri()}" in requirements
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path, env=dict(os.environ))
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["NO_COLOR"] = "1"
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    for command in workflow_commands(work / "our-site/.github/workflows/publish.yml"):
        _run("bash", "-e", "-c", command, cwd=work / "our-site", env=env)

    where = _run(
        python, "-c", "import cityprofiles; print(cityprofiles.__file__)", cwd=work, env=env
    )
    assert Path(where.strip()).is_relative_to(venv)
    assert _run(bin_dir / "cityprofiles", "--version", cwd=work, env=env).strip() == (
        f"cityprofiles {version}"
    )
    assert version in _run(python, "-m", "cityprofiles", "--version", cwd=work, env=env)

    out = work / "our-site" / "build"
    english = (out / "en/cities/voorbeeldstad/index.html").read_text("utf-8")
    dutch = (out / "nl/steden/voorbeeldstad/index.html").read_text("utf-8")
    assert '<html lang="en"' in english and "Key facts" in english
    assert '<html lang="nl"' in dutch and "Kerngegevens" in dutch  # the packaged nl catalogue
    assert (out / "assets/css/tokens.css").read_bytes() == (
        PACKAGE / "theme/static/css/tokens.css"
    ).read_bytes()
    assert (out / "assets/css/sdgs.css").read_text().count(".cp-sdg-") == 17
    assert (
        "https://cities.example.net/nl/steden/voorbeeldstad/" in (out / "sitemap.xml").read_text()
    )
    assert (out / "pagefind/en/pagefind.js").is_file(), "the search index is part of CI's build"


def workflow_commands(path: Path) -> list[str]:
    """The shell commands of the workflow's build job, as they run on a pull request: steps
    with ``if: github.event_name != 'pull_request'`` are skipped, so their outputs are empty."""
    workflow = yaml.safe_load(path.read_text("utf-8"))
    commands = []
    for step in workflow["jobs"]["build"]["steps"]:
        if "run" not in step:
            continue
        command = re.sub(r"\$\{\{.*?\}\}", "", step["run"])
        assert "${{" not in command
        commands.append(command)
    assert len(commands) >= 3, "install, check and build"
    return commands


def _lock_pins(text: str) -> set[str]:
    return {
        line.split("#")[0].strip()
        for line in text.splitlines()
        if "==" in line and not line.startswith(("#", "cityprofiles"))
    }


def test_an_init_site_installs_from_the_lock_and_a_release_that_exists(tmp_path: Path) -> None:
    create_site(tmp_path / "site")
    requirements = (tmp_path / "site/requirements.txt").read_text("utf-8")
    first = next(line for line in requirements.splitlines() if not line.startswith("#"))
    version = cityprofiles.__version__
    assert first == (f"cityprofiles @ git+https://github.com/cityprofiles/cityprofiles@v{version}")
    pins = _lock_pins(requirements)
    lock = _lock_pins((REPO / "requirements/lock.txt").read_text("utf-8"))
    assert pins <= lock, f"pins not in requirements/lock.txt (run `make lock`): {pins - lock}"
    named = {re.split(r"[=<>\[ ;]", pin, maxsplit=1)[0].lower() for pin in pins}
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    direct = {
        re.split(r"[=<>\[ ;]", dep, maxsplit=1)[0].lower().replace(".", "-").replace("_", "-")
        for dep in project["dependencies"]
    }
    assert direct <= named, f"run-time dependencies missing from the site's lock: {direct - named}"
    workflow = (tmp_path / "site/.github/workflows/publish.yml").read_text("utf-8")
    assert "python -m pip install -r requirements.txt" in workflow


def test_init_source_names_a_release_a_wheel_or_is_refused(tmp_path: Path) -> None:
    create_site(tmp_path / "a", source="cityprofiles==0.2.0")
    assert "\ncityprofiles==0.2.0\n" in (tmp_path / "a/requirements.txt").read_text("utf-8")
    result = run_cli("init", tmp_path / "b", "--source", "requests")
    assert result.returncode == 2
    assert "neither a requirement for cityprofiles" in result.stderr


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init") / "site"
    create_site(root, base_url="https://cities.example.net")
    return root


def test_init_makes_a_site_that_passes_strict_check_and_builds(
    new_site: Path, tmp_path: Path
) -> None:
    assert check(new_site, strict=True) == []
    report = build(new_site, tmp_path / "out")
    assert report.warnings == []
    assert report.pages["en"] == report.pages["nl"] > 20
    home = (tmp_path / "out/nl/index.html").read_text("utf-8")
    assert "Voorbeeldstad" in home and "voorbeeld" in home  # the example is marked as one


def test_init_writes_what_an_editor_and_ci_need(new_site: Path) -> None:
    expected = {
        "README.md",
        ".gitignore",
        ".github/workflows/publish.yml",
        "content/site.yaml",
        "content/networks.yaml",
        "content/accessibility.yaml",
        "content/cities/voorbeeldstad/city.yaml",
        "content/cities/voorbeeldstad/narrative.en.md",
        "content/cities/voorbeeldstad/narrative.nl.md",
        "schema/city.schema.json",
        "schema/site.schema.json",
    }
    written = {
        p.relative_to(new_site).as_posix()
        for p in new_site.rglob("*")
        if p.is_file() and ".cache" not in p.parts  # the build cache of an earlier test
    }
    assert expected <= written
    for rel in written:
        text = (new_site / rel).read_text("utf-8")
        assert not re.search(r"@[A-Z_]+@", text), f"{rel} has an unfilled placeholder"
    site_yaml = (new_site / "content/site.yaml").read_text()
    assert "base_url: https://cities.example.net/" in site_yaml
    assert "languages: [{code: en, locale: en_GB}, {code: nl, locale: nl_NL}]" in site_yaml
    workflow = yaml.safe_load((new_site / ".github/workflows/publish.yml").read_text())
    commands = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert any(c.startswith("cityprofiles check --strict --format github") for c in commands)
    assert any(c.startswith("cityprofiles build") for c in commands)


@pytest.mark.parametrize("languages", [("nl",), ("en",), ("nl", "en")])
def test_init_with_chosen_languages_writes_only_those(
    tmp_path: Path, languages: tuple[str, ...]
) -> None:
    root = tmp_path / "site"
    files = create_site(root, languages=languages)
    assert check(root, strict=True) == []
    dropped = {"en", "nl"} - set(languages)
    for rel in files:
        if rel.startswith("content/"):
            text = (root / rel).read_text()
            for lang in dropped:
                assert not rel.endswith(f".{lang}.md")
                assert not re.search(rf"^\s*(- )?{lang}: ", text, re.M), rel
    assert f"default_language: {languages[0]}" in (root / "content/site.yaml").read_text()


def test_dropping_a_language_hands_the_list_dash_to_the_next_one() -> None:
    text = "themes:\n  - en: Energy\n    nl: Energie\n  - en: Health\n    nl: Gezondheid\n"
    assert keep_languages(text, {"en"}) == "themes:\n  - nl: Energie\n  - nl: Gezondheid\n"
    assert keep_languages(text, {"nl"}) == "themes:\n  - en: Energy\n  - en: Health\n"


def test_init_refuses_a_non_empty_folder_unless_forced(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (root / "notes.txt").write_text("mine")
    refused = run_cli("init", root)
    assert refused.returncode == 2
    assert "is not empty" in refused.stderr and "--force" in refused.stderr
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]
    forced = run_cli("init", "--site", root, "--force")
    assert forced.returncode == 0, forced.stderr
    assert (root / "content/site.yaml").is_file()
    assert (root / "notes.txt").read_text() == "mine"


def test_init_refuses_a_file_in_place_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "site").write_text("not a folder")
    with pytest.raises(UsageError, match="is not a folder"):
        create_site(tmp_path / "site", force=True)


def test_init_explains_a_language_the_starter_lacks_and_a_bad_address(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="written in en and nl, not 'de'"):
        create_site(tmp_path / "a", languages=("en", "de"))
    with pytest.raises(UsageError, match="not a web address"):
        create_site(tmp_path / "b", base_url="ftp://files.example.org")
    with pytest.raises(UsageError, match="listed twice"):
        create_site(tmp_path / "c", languages=("en", "en"))
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def _subcommands(
    parser: argparse.ArgumentParser | None = None, prefix: str = ""
) -> dict[str, argparse.ArgumentParser]:
    """Every leaf command, nested ones included (``new city`` as well as ``build``)."""
    parser = parser or make_parser()
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(_subcommands(sub, f"{prefix}{name} ") or {f"{prefix}{name}": sub})
    return found


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_command_takes_the_site_folder_as_argument_or_option(command: str) -> None:
    """The convention of CONTRIBUTING.md: CI builds several sites from one repository."""
    sub = _subcommands()[command]
    dests = {action.dest for action in sub._actions}
    assert {"site", "site_dir"} <= dests, (
        f"`{command}` lacks SITE / --site (use cli.parser.site_args)"
    )


def test_two_different_site_folders_are_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("check", tmp_path / "a", "--site", tmp_path / "b")
    assert result.returncode == 2
    assert "two site folders" in result.stderr


def test_version_has_one_source() -> None:
    pyproject = (REPO / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = { attr = "cityprofiles.__version__" }' in pyproject
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+|rc\d+)?", cityprofiles.__version__)
    assert f"## {cityprofiles.__version__}" in (REPO / "CHANGELOG.md").read_text()
