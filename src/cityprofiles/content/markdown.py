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
# Python-Markdown re-splits a block for every heading, list item or emphasis it finds,
# so its cost grows with the square of a block's size (a 100 KB block of "a\n===" lines
# takes minutes). Real prose has short blocks; these caps keep every file linear and fast.
MAX_PROSE_CHARS = 50_000
MAX_BLOCK_LINES = 100
MAX_BLOCK_CHARS = 10_000
MAX_BLOCK_MARKUP = 300
MAX_BLOCKS = 1_000

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
_INLINE_MARKUP = re.compile(r"[*_`\[<&\\]")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_HTML_OPEN = re.compile(r"<(?:div|span|b|i|em|strong|blockquote|ul|ol|li|table|p)\b", re.I)


def _check_blocks(text: str) -> MarkupIssue | None:
    """Refuse a block (lines between blank lines) too long for Python-Markdown to parse fast."""
    start = 0
    line = 1
    separators = [*_BLANK_LINES.finditer(text)]
    if len(separators) >= MAX_BLOCKS:
        return MarkupIssue(
            1,
            f"the file holds {len(separators) + 1:,} paragraphs; the limit is {MAX_BLOCKS:,} "
            "(split it into several pages)",
        )
    for match in [*separators, None]:
        end = match.start() if match is not None else len(text)
        block = text[start:end]
        lines = block.count("\n") + 1
        if lines > MAX_BLOCK_LINES:
            return MarkupIssue(
                line,
                f"a paragraph, list or table of {lines:,} lines without a blank line; "
                f"the limit is {MAX_BLOCK_LINES} (add blank lines between parts)",
            )
        if len(block) > MAX_BLOCK_CHARS:
            return MarkupIssue(
                line,
                f"a paragraph of {len(block):,} characters without a blank line; "
                f"the limit is {MAX_BLOCK_CHARS:,} (add blank lines between paragraphs)",
            )
        markup = len(_INLINE_MARKUP.findall(block))
        if markup > MAX_BLOCK_MARKUP:
            return MarkupIssue(
                line,
                f"a paragraph with {markup:,} formatting characters (* _ ` [ < & \\); "
                f"the limit is {MAX_BLOCK_MARKUP} (add blank lines between paragraphs)",
            )
        if match is not None:
            line += lines - 1 + match.group().count("\n")
            start = match.end()
    return None


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
        """Refuse prose whose size or nesting would make rendering it a resource bomb."""
        if len(text) > MAX_PROSE_CHARS:
            return MarkupIssue(
                1,
                f"this file holds {len(text):,} characters; prose files are limited to "
                f"{MAX_PROSE_CHARS:,} (split it, or move data into city.yaml)",
            )
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
        if _EMPHASIS_RUN.search(text) is None and text.count("[") + text.count("(") <= MAX_NESTING:
            return _check_blocks(text)  # no line can hold either problem: skip the walk
        for number, line in enumerate(text.splitlines(), 1):
            if _EMPHASIS_RUN.search(line):
                return MarkupIssue(number, "a run of more than 20 '*' or '_' characters")
            if line.count("[") + line.count("(") <= MAX_NESTING:
                continue  # too few brackets to nest too deeply: skip the walk (most lines)
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
        return _check_blocks(text)

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
