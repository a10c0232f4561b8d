"""The search index of a site with hundreds of pages is built, not deadlocked.

Pagefind's ``get_files`` sends the whole index through one pipe message and hangs once
the index is large; the build must stay on the file-writing path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.corpus import generate

from cityprofiles.output import pagefind_available
from conftest import run_cli


@pytest.mark.skipif(not pagefind_available(), reason="pagefind[bin] is not installed")
def test_search_index_of_a_hundred_cities_is_built(tmp_path: Path) -> None:
    site = tmp_path / "site"
    generate(site, 100, seed=3)
    result = run_cli("build", site, "--out", tmp_path / "out", "--jobs", "2", timeout=240)
    assert result.returncode == 0, result.stderr
    for lang in ("en", "nl"):
        fragments = list((tmp_path / f"out/pagefind/{lang}/fragment").iterdir())
        assert fragments and all(f.name.startswith(f"{lang}_") for f in fragments)
