"""A translated field in the page's language, or visibly in another.

Content fields are :class:`~cityprofiles.model.Text` values; a missing language falls
back to the default language (then the others in order), and the page marks the passage
with its real ``lang`` and a visible, translated note (WCAG 3.1.2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Localized:
    """A field's value in one language, and the language it is really in."""

    text: str
    lang: str
    fallback: bool


def pick(value: Mapping[str, str], lang: str, order: Iterable[str]) -> Localized | None:
    """The value in ``lang``, else the first available in ``order`` (default language first)."""
    if lang in value:
        return Localized(value[lang], lang, False)
    for other in order:
        if other in value:
            return Localized(value[other], other, True)
    return None
