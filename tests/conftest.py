"""Shared fixtures: throwaway sites written from inline strings, and the real CLI entry point."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"

TODAY = "2026-12-01"
"""The day every test runs on (reviews fall due, statements go stale, memberships cannot
begin in the future): set for this process and inherited by the CLI runs, so no test
depends on the computer's date. A test of another day passes ``today=`` or ``--today``."""
os.environ["CITYPROFILES_TODAY"] = TODAY

SITE_YAML = """\
title: {en: Test Cities, nl: Teststeden}
tagline: {en: A small test site, nl: Een kleine testsite}
publisher: {en: The testers, nl: De testers}
base_url: https://test.example.org/
languages: [en, nl]
"""

NETWORKS_YAML = """\
networks:
  eurocities:
    name: Eurocities
    website: https://eurocities.eu/
    description:
      en: A network of large European cities.
      nl: Een netwerk van grote Europese steden.
  polis:
    name: POLIS
    website: https://www.polisnetwork.eu/
    description:
      en: Cities and regions working on transport.
      nl: Steden en regio's die werken aan vervoer.
"""

ACCESSIBILITY_YAML = """\
organisation: {en: The testers, nl: De testers}
status: partial
evaluated: 2026-11-01
contact_email: a11y@test.example.org
statement_date: 2026-11-01
reviewed: 2026-11-01
"""

CITY_YAML = """\
name: Alphen
organisation: {en: City of Alphen, nl: Gemeente Alphen}
country: NL
population: {value: 112000, year: 2024}
coordinates: {lat: 52.13, lon: 4.66}
website: https://www.alphen.example/
last_reviewed: 2026-10-01
summary:
  en: A test city on the Old Rhine.
  nl: Een teststad aan de Oude Rijn.
strategy:
  title: {en: Open to the world, nl: Open naar de wereld}
  summary: {en: We work with others., nl: We werken samen.}
memberships:
  - network: eurocities
    since: 2001
contacts:
  - id: international
    purpose: {en: International affairs, nl: Internationale zaken}
    email: international@alphen.example
"""

BASE_FILES: dict[str, str] = {
    "content/site.yaml": SITE_YAML,
    "content/networks.yaml": NETWORKS_YAML,
    "content/accessibility.yaml": ACCESSIBILITY_YAML,
    "content/pages/about.en.md": "About the test site.\n",
    "content/pages/about.nl.md": "Over de testsite.\n",
    "content/cities/alphen/city.yaml": CITY_YAML,
    "content/cities/alphen/narrative.en.md": "Alphen is a *test* city.\n",
    "content/cities/alphen/narrative.nl.md": "Alphen is een *test*stad.\n",
}

MakeSite = Callable[..., Path]


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Write a valid small site into ``tmp_path/site``; ``files`` add, replace or (``None``) remove files.

    Strings are dedented, so tests can write YAML inline at any indentation.
    """

    def make(files: Mapping[str, str | bytes | None] | None = None, *, base: bool = True) -> Path:
        root = tmp_path / "site"
        merged: dict[str, str | bytes | None] = dict(BASE_FILES) if base else {}
        merged.update(files or {})
        for rel, content in merged.items():
            path = root / rel
            if content is None:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        root.mkdir(parents=True, exist_ok=True)
        return root

    return make


def run_cli(
    *args: str | os.PathLike[str], cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cityprofiles`` as a user would, with this checkout's code."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "cityprofiles", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The real entry point, for tests that check messages and exit codes."""
    return run_cli


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current output instead of comparing",
    )
