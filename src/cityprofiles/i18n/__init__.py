"""Languages: the UI catalogues (gettext, through Babel), translated fields and UI strings
with their visible fallbacks, and which UI strings each language still lacks.

Public entry: :func:`load_translations` (every language's catalogue, compiled in memory,
the site's over the package's), :func:`ui_texts` (UI strings that fall back like content),
:func:`pick` with :class:`Localized` (a field in the page language, or visibly in another)
and :func:`ui_warnings` / :func:`untranslated` (UI coverage, for ``check`` and
``i18n status``), and :func:`by_name` / :func:`sort_key` (names in a language's order).
The translators' commands are in :mod:`cityprofiles.translate`.

Modules: ``catalogues``, ``po_check`` (reading ``.po`` files strictly), ``ui_text``,
``fallback``, ``coverage``, ``collation``.
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.i18n.catalogues import (
        SOURCE_LANGUAGE,
        catalogue_files,
        is_translated,
        load_translations,
        package_locales,
        read_catalogue,
    )
    from cityprofiles.i18n.collation import (
        COLLATION_TABLE,
        by_name,
        known_keys,
        learn_keys,
        sort_key,
    )
    from cityprofiles.i18n.coverage import ui_warnings, untranslated
    from cityprofiles.i18n.fallback import Localized, pick
    from cityprofiles.i18n.ui_text import UiText, ui_texts

__all__ = [
    "COLLATION_TABLE",
    "SOURCE_LANGUAGE",
    "Localized",
    "UiText",
    "by_name",
    "catalogue_files",
    "is_translated",
    "known_keys",
    "learn_keys",
    "load_translations",
    "package_locales",
    "pick",
    "read_catalogue",
    "sort_key",
    "ui_texts",
    "ui_warnings",
    "untranslated",
]
__getattr__ = lazy_public_entry(__name__)
