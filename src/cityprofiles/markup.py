"""Markdown prose -> sanitised HTML.

Content comes from many hands, so raw HTML in Markdown is cleaned with nh3
(the ammonia sanitiser): no scripts, no event handlers, no ``javascript:`` URLs,
no frames. Headings start at level 2 because every page has its own ``h1``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
import nh3

MAX_NESTING = 20
MAX_HTML_TAGS = 500

_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "abbr",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "dl",
    "dt",
    "dd",
    "sup",
    "sub",
    "small",
    "q",
    "cite",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "*": {"lang"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_H1 = re.compile(r"<(/?)h1>")
_QUOTE_DEPTH = re.compile(r"^[ \t]*((?:>[ \t]*)+)", re.MULTILINE)
_LIST_INDENT = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]", re.MULTILINE)
_EMPHASIS_RUN = re.compile(r"[*_]{21,}")
_HTML_OPEN = re.compile(r"<(?:div|span|b|i|em|strong|blockquote|ul|ol|li|table|p)\b", re.I)


@dataclass(frozen=True)
class MarkupIssue:
    """Something wrong in a Markdown file, at a line."""

    line: int
    message: str


class MarkdownRenderer:
    """A reusable, sanitising Markdown converter (one per process: it is not thread-safe)."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")

    def check(self, text: str) -> MarkupIssue | None:
        """Refuse structures nested so deep that rendering them would be a resource bomb."""
        for match in _QUOTE_DEPTH.finditer(text):
            if match.group(1).count(">") > MAX_NESTING:
                return MarkupIssue(
                    text.count("\n", 0, match.start()) + 1,
                    f"quotes are nested more than {MAX_NESTING} levels deep",
                )
        for match in _LIST_INDENT.finditer(text):
            if len(match.group(1).expandtabs(4)) > MAX_NESTING * 4:
                return MarkupIssue(
                    text.count("\n", 0, match.start()) + 1,
                    f"lists are nested more than {MAX_NESTING} levels deep",
                )
        if len(_HTML_OPEN.findall(text)) > MAX_HTML_TAGS:
            return MarkupIssue(
                1, f"the file holds more than {MAX_HTML_TAGS} HTML tags; write Markdown instead"
            )
        for number, line in enumerate(text.splitlines(), 1):
            depth = deepest = 0
            for char in line:
                if char in "[(":
                    depth += 1
                    deepest = max(deepest, depth)
                elif char in "])" and depth:
                    depth -= 1
            if deepest > MAX_NESTING:
                return MarkupIssue(
                    number, f"brackets are nested more than {MAX_NESTING} levels deep"
                )
            if _EMPHASIS_RUN.search(line):
                return MarkupIssue(number, "a run of more than 20 '*' or '_' characters")
        return None

    def render(self, text: str) -> str:
        """Markdown to clean HTML; a level-1 heading becomes level 2."""
        html = self._md.reset().convert(text)
        html = nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes=_ALLOWED_ATTRIBUTES,
            url_schemes=_URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
        return _H1.sub(r"<\1h2>", html)

    @staticmethod
    def has_h1(text: str) -> int | None:
        """The line of a level-1 heading, which should be level 2 (the page has the h1)."""
        for number, line in enumerate(text.splitlines(), 1):
            if re.match(r"^# ", line):
                return number
        return None
