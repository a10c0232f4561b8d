"""Open data must be safe to open: no spreadsheet formula runs from a content value."""

from __future__ import annotations

from cityprofiles.pipeline import build
from conftest import CITY_YAML, MakeSite


def test_csv_cells_cannot_run_as_spreadsheet_formulas(make_site: MakeSite) -> None:
    hostile = CITY_YAML.replace("name: Alphen", 'name: \'=HYPERLINK("https://evil.example","x")\'')
    root = make_site({"content/cities/alphen/city.yaml": hostile})
    build(root, root / "build")
    csv_text = (root / "build/data/cities.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in csv_text
    assert ",=HYPERLINK" not in csv_text
    assert "4.66" in csv_text  # numbers, negative ones included, stay numbers
