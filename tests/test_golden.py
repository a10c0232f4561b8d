"""The sample site under tests/sites/sample renders exactly to tests/golden/sample.

When a change to templates or rendering is intended, regenerate with
``python -m pytest tests/test_golden.py --update-golden`` and review the diff in git.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from cityprofiles.pipeline import build

HERE = Path(__file__).parent
SAMPLE = HERE / "sites" / "sample"
GOLDEN = HERE / "golden" / "sample"


def _compared(root: Path) -> dict[str, bytes]:
    """Every generated file; theme assets that are plain copies are left out."""
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel.startswith(".cityprofiles"):
            continue
        if rel.startswith("pagefind/"):
            continue  # binary search index: depends on the pagefind version
        if rel.startswith("assets/") and rel != "assets/css/sdgs.css":
            continue
        files[rel] = path.read_bytes()
    return files


def test_sample_site_matches_golden_output(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    out = tmp_path / "out"
    build(SAMPLE, out)
    actual = _compared(out)
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in actual.items():
            target = GOLDEN / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        pytest.skip("golden output rewritten; review it with git diff")
    expected = _compared(GOLDEN)
    assert sorted(actual) == sorted(expected), "the set of generated files changed"
    for rel, data in expected.items():
        if actual[rel] != data:
            diff = "\n".join(
                difflib.unified_diff(
                    data.decode().splitlines(),
                    actual[rel].decode().splitlines(),
                    f"golden/{rel}",
                    f"built/{rel}",
                    lineterm="",
                    n=2,
                )
            )
            pytest.fail(f"{rel} differs from the golden output:\n{diff[:4000]}")
