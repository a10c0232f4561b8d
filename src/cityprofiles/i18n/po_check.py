"""Reading a gettext ``.po`` catalogue strictly: Babel's reader and checks, plus what they let pass.

Catalogues are edited by hand by translators, so every mistake is reported with its
line, like a content error. Babel does most of it: ``PoFileParser`` with
``abort_invalid`` refuses unknown keywords, stray lines and a ``msgid`` without
``msgstr``, and ``Catalog.check()`` finds a translation whose ``%(name)s`` placeholders
do not match the original (or whose plural forms are miscounted).

Three mistakes Babel reads without a word, found by trying (Babel 2.19): an unclosed
quote (``msgstr "Steden`` becomes "Stede": the last character is lost), a quoted line
after a blank line or a comment (appended to the message above it), and a ``msgid``
translated twice (the second silently wins). The short line check below finds the
first two and a recording catalogue the third.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser

_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+(.*)$")
_ESCAPES = set('\\"ntrabfv')
_NAMED = re.compile(r"%\((\w+)\)")


@dataclass(frozen=True)
class PoIssue:
    """A problem at a line (1-based) and column of a catalogue."""

    line: int
    column: int
    message: str


def read_checked(text: str, lang: str) -> tuple[Catalog, list[PoIssue]]:
    """The catalogue in ``text`` and every problem found in it (none: it is sound)."""
    issues = list(_string_issues(text))
    catalogue = _Recording(locale=lang)
    if issues:  # Babel would read the damaged strings as something else
        return catalogue, issues
    try:
        PoFileParser(catalogue, abort_invalid=True).parse(text.split("\n"))
    except PoFileError as exc:
        return catalogue, [_from_babel(exc)]
    issues += catalogue.duplicates
    for message, errors in catalogue.check():
        if not message.fuzzy:  # a fuzzy entry is not used, so it cannot break a page
            issues.append(_placeholder_issue(message, errors))
    return catalogue, sorted(issues, key=lambda i: (i.line, i.column))


class _Recording(Catalog):
    """A catalogue that notes a message added twice (Babel's reader replaces it quietly)."""

    def __init__(self, locale: str) -> None:
        super().__init__(locale=locale)
        self.duplicates: list[PoIssue] = []

    def __setitem__(self, id: str | tuple[str, ...] | list[str], message: Message) -> None:
        first = self.get(id, context=message.context) if id else None
        if first is not None and message.lineno is not None:
            self.duplicates.append(
                PoIssue(
                    message.lineno,
                    1,
                    f"msgid {message.id!r} is translated twice (first at line {first.lineno})",
                )
            )
        super().__setitem__(id, message)


def _from_babel(exc: PoFileError) -> PoIssue:
    """Babel's complaint in the editor's words where we know it (``lineno`` is 0-based)."""
    line = exc.lineno + 1
    word = exc.line.split()[0] if exc.line.strip() else ""
    if word and not word.startswith('"') and not _KEYWORD.match(exc.line.strip()):
        return PoIssue(
            line,
            1,
            f"'{word}' is not a catalogue keyword (msgid, msgstr, msgctxt, msgid_plural)",
        )
    reason = str(exc).rsplit(" on ", 1)[0]  # Babel appends " on <line>"
    if reason.startswith("missing msgstr"):
        return PoIssue(line, 1, "this msgid has no msgstr")
    return PoIssue(line, 1, reason)


def _placeholder_issue(message: Message, errors: Sequence[Exception]) -> PoIssue:
    original = message.id if isinstance(message.id, str) else message.id[0]
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    wanted = set(_NAMED.findall(original))
    extra = sorted({name for s in strings for name in _NAMED.findall(s or "")} - wanted)
    if extra:
        reason = f"uses the placeholder %({extra[0]})s, which the original does not have"
    else:
        reason = f"does not fit the original: {errors[0]}"
    return PoIssue(message.lineno or 1, 1, f"the translation of {original!r} {reason}")


def _string_issues(text: str) -> Iterator[PoIssue]:
    """Unclosed quotes, unknown escapes, text after a closing quote, and quoted lines that
    belong to no entry (after a blank line or a comment)."""
    in_entry = False
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            in_entry = False
            continue
        match = _KEYWORD.match(line)
        if match is not None:
            in_entry = True
            yield from _quoted(match.group(2), number, raw.index(match.group(2)) + 1)
        elif line.startswith('"'):
            if not in_entry:
                yield PoIssue(number, 1, "a quoted line that belongs to no msgid or msgstr")
            yield from _quoted(line, number, raw.index('"') + 1)


def _quoted(rest: str, line: int, column: int) -> Iterator[PoIssue]:
    """The problems of one ``"…"`` string starting at ``column``."""
    if not rest.startswith('"'):
        yield PoIssue(line, column, 'the text must be in double quotes: "…"')
        return
    index = 1
    while index < len(rest):
        char = rest[index]
        if char == "\\":
            following = rest[index + 1 : index + 2]
            if following not in _ESCAPES:
                yield PoIssue(line, column + index, f"unknown escape '\\{following}'; write '\\\\'")
            index += 2
            continue
        if char == '"':
            trailing = rest[index + 1 :].strip()
            if trailing and not trailing.startswith("#"):
                yield PoIssue(
                    line,
                    column + index + 1,
                    'text after the closing quote; write a quote inside the text as \\"',
                )
            return
        index += 1
    yield PoIssue(line, column, "the quote opened here is never closed")
