"""A value that starts with an apostrophe: ``name: 's-Hertogenbosch``.

YAML reads a ``'`` at the start of a value as the opening of quoted text, which then runs
on over the next lines until the next apostrophe anywhere in the file (``auto's``), and the
parser stops far away with a message about indentation. When a syntax error follows such
a line, the editor is told where the real mistake is and what to write instead::

    city.yaml:1:7: put the name in double quotes: name: "'s-Hertogenbosch"

A candidate is confirmed by trying the fix: the file with that value in double quotes must
get further than the original did (parse, or stop at a later line), so a legitimate quoted
text that spans lines is never blamed for an unrelated error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.error import MarkedYAMLError
from yaml.reader import ReaderError

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_TRIES = 10
"""Candidates tried (a parse each) before giving up: a hostile file cannot make it slow."""
# A value starts after "key: ", "- " or, inside braces or brackets, after "{", "[" or ", ".
_BLOCK = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?:(?P<key>[^\s'\"#{\[-][^:#{}\[\]]*?):\s+)?(?=')")
_FLOW = re.compile(r"[{\[,]\s*(?:(?P<key>[^\s'\":{}\[\],][^:{}\[\],]*?):\s+)?(?=')")


@dataclass(frozen=True)
class OpenQuote:
    """A value on one line that opens a ``'`` and does not close it there."""

    line: int  # 1-based
    column: int  # 1-based, the apostrophe
    end: int  # 0-based index in the line where the value ends
    key: str | None
    value: str

    @property
    def fixed(self) -> str:
        """The value in double quotes, as the editor should write it (``name: "'s-…"``)."""
        quoted = json.dumps(self.value, ensure_ascii=False)
        return f"{self.key}: {quoted}" if self.key else f"- {quoted}"

    @property
    def message(self) -> str:
        key = (self.key or "").lower()
        what = "name" if "name" in key or re.match(r"^'[st][- ]", self.value) else "value"
        return (
            f"a value that starts with ' must end with ' too (YAML reads it as quoted text); "
            f"put the {what} in double quotes: {self.fixed}"
        )


def open_quote_before(text: str, exc: MarkedYAMLError) -> OpenQuote | None:
    """The value whose unclosed ``'`` caused ``exc``, when fixing it gets the parser further."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    error_line = mark.line + 1
    lines = text.split("\n")
    tries = 0
    for number, line in enumerate(lines[:error_line], start=1):
        found = _open_quote(line, number)
        if found is None:
            continue
        patched = [*lines]
        patched[number - 1] = line[: found.column - 1] + _quoted(found) + line[found.end :]
        if _gets_further("\n".join(patched), error_line):
            return found
        tries += 1
        if tries == MAX_TRIES:
            break
    return None


def _quoted(found: OpenQuote) -> str:
    return json.dumps(found.value, ensure_ascii=False)


def _open_quote(line: str, number: int) -> OpenQuote | None:
    """The first value on ``line`` that starts with ``'`` and is not closed on the line."""
    starts = [m for m in (_BLOCK.match(line),) if m] + list(_FLOW.finditer(line))
    for match in starts:
        start = match.end()
        in_flow = match.re is _FLOW
        if _closing_quote(line, start) is not None:
            continue
        end = _value_end(line, start, in_flow)
        value = line[start:end].rstrip()
        if len(value) > 1:
            return OpenQuote(number, start + 1, start + len(value), match["key"], value)
    return None


def _closing_quote(line: str, start: int) -> int | None:
    """Where the single-quoted text opened at ``start`` ends on this line (``''`` is an
    apostrophe inside it), or ``None``."""
    index = start + 1
    while True:
        index = line.find("'", index)
        if index < 0:
            return None
        if line.startswith("''", index):
            index += 2
            continue
        return index


def _value_end(line: str, start: int, in_flow: bool) -> int:
    """Where a plain value that starts at ``start`` would end: a comment, or in braces the
    next ``,``, ``}`` or ``]``."""
    comment = line.find(" #", start)
    end = len(line) if comment < 0 else comment
    if in_flow:
        stops = [i for i in (line.find(c, start) for c in ",}]") if 0 <= i < end]
        end = min(stops, default=end)
    return end


def _gets_further(text: str, error_line: int) -> bool:
    try:
        for _event in yaml.parse(text, Loader=_Loader):
            pass
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark is not None and mark.line + 1 > error_line
    except ReaderError:
        return False
    return True
