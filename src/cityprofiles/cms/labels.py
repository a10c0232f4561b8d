"""The editor's words: field labels, list item names, hints, option labels and pattern
explanations in each interface language (``cms/labels.yaml``), with plain fallbacks made
from the field's own name."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from cityprofiles.content import package_data
from cityprofiles.model import LANG_PATTERN, SLUG_PATTERN


@cache
def vocabulary() -> dict[str, Any]:
    data: dict[str, Any] = package_data("cms/labels.yaml")
    return data


def label(name: str, owner: str, ui: str) -> str:
    """The label of field ``name`` of model ``owner`` in interface language ``ui``.

    >>> label("last_reviewed", "City", "en"), label("last_reviewed", "City", "nl")
    ('Last reviewed', 'Laatst gecontroleerd')
    """
    table = vocabulary()["labels"]
    entry = table.get(f"{owner}.{name}") or table.get(name) or {}
    if ui in entry:
        return str(entry[ui])
    if "en" in entry:
        return str(entry["en"])
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]


def singular(name: str, owner: str, ui: str) -> str | None:
    """What one item of list ``name`` is called (``Add contact``), if the table knows it."""
    table = vocabulary()["singular"]
    entry = table.get(f"{owner}.{name}") or table.get(name) or {}
    value = entry.get(ui) or entry.get("en")
    return str(value) if value else None


def hint(key: str, english: str | None, ui: str) -> str | None:
    """The help text under a field: the model's description, or its translation."""
    if not english:
        return None
    entry = vocabulary()["hints"].get(key) or {}
    return str(entry.get(ui) or entry.get("en") or english)


def option_label(value: str, ui: str) -> str:
    """The label of one value of a fixed set (``voluntary-local-review``)."""
    entry = vocabulary()["options"].get(value) or {}
    if ui in entry:
        return str(entry[ui])
    if "en" in entry:
        return str(entry["en"])
    words = value.replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


def message(kind: str, ui: str) -> str:
    messages: Mapping[str, Mapping[str, str]] = vocabulary()["patterns"]
    entry = messages[kind]
    return str(entry.get(ui) or entry["en"])


def pattern_message(pattern: str, ui: str) -> str:
    """A pattern's explanation in words (the model's known patterns have one each)."""
    known = {
        SLUG_PATTERN: "slug",
        LANG_PATTERN: "language",
        r"^[A-Z]{2}$": "country",
    }
    kind = known.get(pattern)
    if kind is not None:
        return message(kind, ui)
    return message("pattern", ui).replace("{pattern}", pattern)


def country_options(ui: str) -> list[dict[str, str]]:
    """Every country code as a choice, labelled with its name in ``ui`` and its code
    (``Nederland (NL)``), in that language's alphabetical order: found by typing its name."""
    from cityprofiles.i18n import by_name
    from cityprofiles.model import country_codes, country_name

    named = [(country_name(code, ui), code) for code in country_codes()]
    ordered = by_name(named, lambda pair: pair[0], ui)
    return [{"label": f"{name} ({code})", "value": code} for name, code in ordered]
