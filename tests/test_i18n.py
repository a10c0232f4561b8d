"""UI catalogues: compiled in memory, site overrides, broken catalogues reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityprofiles.errors import ContentError
from cityprofiles.i18n import load_translations, pick


def test_pick_prefers_the_language_then_the_fallback_order() -> None:
    value = {"en": "Hello", "nl": "Hallo"}
    assert pick(value, "nl", ("en",)).text == "Hallo"  # type: ignore[union-attr]
    found = pick({"en": "Hello"}, "nl", ("en", "nl"))
    assert found is not None and found.fallback and found.lang == "en"
    assert pick({}, "nl", ("en",)) is None


def test_package_catalogue_translates_ui_strings(tmp_path: Path) -> None:
    translations = load_translations(["nl"], None, tmp_path)
    assert translations["nl"].gettext("Skip to main content") == "Direct naar de inhoud"


def test_site_catalogue_overrides_the_package(tmp_path: Path) -> None:
    po = tmp_path / "locales/nl/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Cities"\nmsgstr "Gemeenten"\n'
    )
    translations = load_translations(["nl"], tmp_path / "locales", tmp_path)
    assert translations["nl"].gettext("Cities") == "Gemeenten"
    assert translations["nl"].gettext("Networks") == "Netwerken"


def test_broken_catalogue_is_a_positioned_error(tmp_path: Path) -> None:
    po = tmp_path / "locales/nl/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "Cities"\nmsgstr "Steden"\nmsgid "Oops\n')
    with pytest.raises(ContentError) as info:
        load_translations(["nl"], tmp_path / "locales", tmp_path)
    problem = info.value.problems[0]
    assert problem.file == "locales/nl/LC_MESSAGES/messages.po"
    assert problem.line is not None
