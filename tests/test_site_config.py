"""content/site.yaml is validated like content, and every option is documented."""

from __future__ import annotations

import re

import pytest

from cityprofiles.errors import ContentError
from cityprofiles.model import LanguageConfig, SiteConfig
from cityprofiles.pipeline import check
from conftest import REPO, SITE_YAML, MakeSite


def problems_of(root: object) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check(root)  # type: ignore[arg-type]
    return [p.format().splitlines()[0] for p in caught.value.problems]


def test_a_misspelt_option_is_named_with_its_position_and_a_suggestion(
    make_site: MakeSite,
) -> None:
    root = make_site({"content/site.yaml": SITE_YAML + "directory_url: false\n"})
    assert problems_of(root) == [
        "content/site.yaml:6:1: directory_url: unknown field 'directory_url'; "
        "did you mean 'directory_urls'?"
    ]


def test_a_misspelt_key_of_a_language_entry_is_named_too(make_site: MakeSite) -> None:
    site_yaml = SITE_YAML.replace(
        "languages: [en, nl]", "languages:\n  - en\n  - code: nl\n    segment: {cities: steden}"
    )
    root = make_site({"content/site.yaml": site_yaml})
    [problem] = problems_of(root)
    assert problem.startswith("content/site.yaml:8:5: languages[1].segment: unknown field")
    assert "did you mean 'segments'?" in problem


def test_a_wrong_value_points_at_the_value(make_site: MakeSite) -> None:
    root = make_site({"content/site.yaml": SITE_YAML.replace("https://test.example.org/", "test")})
    [problem] = problems_of(root)
    assert problem.startswith("content/site.yaml:4:11: base_url: 'test' is not a web address")


@pytest.mark.parametrize("model", [SiteConfig, LanguageConfig])
def test_every_option_is_described_where_declared_and_in_the_docs(model: type) -> None:
    docs = (REPO / "docs/configuration.md").read_text()
    for name, field in model.model_fields.items():
        assert field.description, f"{model.__name__}.{name} has no description"
        assert re.search(rf"^\| `{name}` \|", docs, re.M), f"docs/configuration.md lacks `{name}`"
