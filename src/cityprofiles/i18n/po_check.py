"""A strict syntax check of gettext ``.po`` catalogues, run before Babel reads them.

Babel's reader is forgiving: an unclosed quote silently loses the last character of
a translation, a line it does not understand is skipped, a duplicated ``msgid``
quietly replaces the first, and a translation whose ``%(name)s`` placeholder is
misspelt only fails when a page is rendered. Catalogues are edited by hand by
translators, so each of these is reported here with its line, like a content error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+(.*)$")
_ESCAPES = set('\\"ntrabfv')
_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")


@dataclass(frozen=True)
class PoIssue:
    """A problem at a line (1-based) and column of a catalogue."""

    line: int
    column: int
    message: str


@dataclass
class _Entry:
    line: int
    context: str | None = None
    msgid: str | None = None
    strings: dict[str, str] | None = None
    fuzzy: bool = False


def check_po(text: str) -> list[PoIssue]:
    """Every syntax problem in a catalogue's text; an empty list when it is sound."""
    issues: list[PoIssue] = []
    entries: list[_Entry] = []
    current: _Entry | None = None
    field: str | None = None
    fuzzy = False
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            current, field, fuzzy = None, None, False
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if line.startswith("#~"):
                continue
            current, field = None, None
            continue
        match = _KEYWORD.match(line)
        if match is not None:
            keyword, rest = match.groups()
            column = raw.index(rest) + 1
            value = _string(rest, number, column, issues)
            if keyword == "msgctxt" or (
                keyword == "msgid" and (current is None or current.msgid is not None)
            ):
                current = _Entry(number, fuzzy=fuzzy)
                entries.append(current)
            if current is None:
                issues.append(PoIssue(number, 1, f"'{keyword}' without a msgid before it"))
                continue
            if keyword == "msgctxt":
                current.context = value
            elif keyword == "msgid":
                current.msgid = value
            elif keyword.startswith("msgstr") or keyword == "msgid_plural":
                if current.msgid is None:
                    issues.append(PoIssue(number, 1, f"'{keyword}' without a msgid before it"))
                    continue
                current.strings = current.strings or {}
                current.strings[keyword] = value
            field = keyword
            continue
        if line.startswith('"'):
            if current is None or field is None:
                issues.append(
                    PoIssue(number, 1, "a quoted line that belongs to no msgid or msgstr")
                )
                continue
            value = _string(line, number, raw.index('"') + 1, issues)
            if field == "msgctxt":
                current.context = (current.context or "") + value
            elif field == "msgid":
                current.msgid = (current.msgid or "") + value
            elif current.strings is not None:
                current.strings[field] = current.strings.get(field, "") + value
            continue
        word = line.split()[0]
        issues.append(
            PoIssue(
                number,
                raw.index(word) + 1,
                f"'{word}' is not a catalogue keyword (msgid, msgstr, msgctxt, msgid_plural)",
            )
        )
        current, field = None, None
    issues.extend(_check_entries(entries))
    return sorted(issues, key=lambda i: (i.line, i.column))


def _string(rest: str, line: int, column: int, issues: list[PoIssue]) -> str:
    """Unquote one ``"…"`` string, reporting a missing quote or a bad escape."""
    if not rest.startswith('"'):
        issues.append(PoIssue(line, column, 'the text must be in double quotes: "…"'))
        return ""
    chars: list[str] = []
    index = 1
    while index < len(rest):
        char = rest[index]
        if char == "\\":
            following = rest[index + 1 : index + 2]
            if following not in _ESCAPES:
                issues.append(
                    PoIssue(line, column + index, f"unknown escape '\\{following}'; write '\\\\'")
                )
            chars.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(following, following))
            index += 2
            continue
        if char == '"':
            trailing = rest[index + 1 :].strip()
            if trailing and not trailing.startswith("#"):
                issues.append(
                    PoIssue(
                        line,
                        column + index + 1,
                        'text after the closing quote; write a quote inside the text as \\"',
                    )
                )
            return "".join(chars)
        chars.append(char)
        index += 1
    issues.append(PoIssue(line, column, "the quote opened here is never closed"))
    return "".join(chars)


def _check_entries(entries: list[_Entry]) -> list[PoIssue]:
    issues: list[PoIssue] = []
    seen: dict[tuple[str | None, str], int] = {}
    for entry in entries:
        if entry.msgid is None:
            continue
        key = (entry.context, entry.msgid)
        if key in seen and entry.msgid:
            issues.append(
                PoIssue(
                    entry.line,
                    1,
                    f"msgid {entry.msgid!r} is translated twice (first at line {seen[key]})",
                )
            )
        seen.setdefault(key, entry.line)
        if not entry.strings:
            issues.append(PoIssue(entry.line, 1, "this msgid has no msgstr"))
            continue
        if not entry.msgid or entry.fuzzy:
            continue
        wanted = _names(entry.msgid)
        for keyword, string in entry.strings.items():
            if keyword == "msgid_plural" or not string:
                continue
            extra = sorted(_names(string) - wanted - {""})
            if extra:
                issues.append(
                    PoIssue(
                        entry.line,
                        1,
                        f"the translation of {entry.msgid!r} uses the placeholder "
                        f"%({extra[0]})s, which the original does not have",
                    )
                )
    return issues


def _names(text: str) -> set[str]:
    """Named ``%(x)s`` placeholders (``""`` for unnamed ones), ignoring ``%%``."""
    return {m.group(1) or "" for m in _PLACEHOLDER.finditer(text) if m.group(2) != "%"}
