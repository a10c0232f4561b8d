"""Text shown in another language than its page's: marked while rendering, given its ``lang`` at the end.

A UI string without a translation in the page language (shown in English, or the
default language), and a content value shown in a fallback language through the
plain ``text`` filter, are values like any other inside a template: they can land in
running text, in an attribute, in ``<title>`` or in a variable used later. Only the
finished page tells which. So while rendering such a value is written between three
Unicode noncharacters (U+FDD0 lang U+FDD1 text U+FDD2; noncharacters are reserved for
a program's internal use and never appear in text), and when the page is done
:func:`resolve_marks` turns each mark into

* ``<span lang="en">text</span>`` in running text (plus ``dir`` when the direction
  differs from the page's), so a screen reader switches voice (WCAG 3.1.2);
* the bare text inside a tag (``aria-label``, ``title``, ``alt``, ``content``…), in
  ``<head>`` (``<title>``, meta descriptions, JSON-LD), in ``<script>``, ``<style>``,
  ``<textarea>``, ``<option>``, inline SVG and comments, where HTML allows no element.
  An attribute is read in its element's language; HTML has no way to give an attribute
  value a language of its own, which is why ``check --strict`` requires every UI string
  to be translated before a site is published.

Values carry the mark only in their HTML form (``__html__``): as Python strings they are
the plain text, so comparisons, lengths and filters in templates see what they always saw.
"""

from __future__ import annotations

import bisect
import re

from markupsafe import Markup, escape

from cityprofiles.model import text_direction as direction

START, SEP, END = "\ufdd0", "\ufdd1", "\ufdd2"
START_BYTES = START.encode("utf-8")

_MARK = re.compile("\ufdd0([a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\ufdd1|\ufdd2")
_NO_ELEMENTS = re.compile(
    r"<(title|script|style|textarea|option|svg|math|template)\b.*?</\1\s*>|<!--.*?-->",
    re.DOTALL | re.IGNORECASE,
)
_BODY = re.compile(r"<body\b", re.IGNORECASE)


def _marked(text: str, lang: str) -> Markup:
    return Markup(f"{START}{lang}{SEP}{text}{END}")  # noqa: S704 - text is escaped HTML


class MarkedMarkup(Markup):
    """A UI string (trusted HTML, like every catalogue string) shown in another language.

    Jinja's i18n functions return ``Markup``; this one renders with its mark. What a
    template derives from it (``|upper``, ``~``, ``%``) is plain ``Markup`` again."""

    lang = ""

    def __html__(self) -> Markup:  # type: ignore[override]  # a Markup, not this class
        return _marked(str.__str__(self), self.lang) if self.lang else Markup(self)  # noqa: S704


class MarkedText(str):
    """A content value in plain-text form (the ``text`` filter) shown in a fallback language."""

    lang = ""

    def __html__(self) -> Markup:
        return _marked(escape(str.__str__(self)), self.lang)


def mark_markup(html: str, lang: str) -> MarkedMarkup:
    """``html`` (a formatted UI string) as shown in ``lang``, another language than the page's."""
    result = MarkedMarkup(html)
    result.lang = lang
    return result


def mark_text(text: str, lang: str) -> MarkedText:
    """A plain-text content value as shown in ``lang``, a fallback language."""
    result = MarkedText(text)
    result.lang = lang
    return result


def lang_attributes(lang: str, page_direction: str) -> Markup:
    """``lang="…"``, and ``dir="…"`` when the language runs the other way than the page."""
    way = direction(lang)
    if way != page_direction:
        return Markup(' lang="{}" dir="{}"').format(lang, way)
    return Markup(' lang="{}"').format(lang)


def resolve_marks(page: bytes, page_direction: str = "ltr") -> bytes:
    """Replace the marks of a finished HTML page: a ``span`` with ``lang`` in running text,
    the bare text wherever HTML allows no element (see the module docstring).

    >>> resolve_marks('<body><p title="\ufdd0en\ufdd1Hi\ufdd2">\ufdd0en\ufdd1Hi\ufdd2</p>'.encode())
    b'<body><p title="Hi"><span lang="en">Hi</span></p>'
    """
    if START_BYTES not in page:
        return page
    html = page.decode("utf-8")
    body = _BODY.search(html)
    head_end = body.start() if body else len(html)
    starts: list[int] = []
    ends: list[int] = []
    for found in _NO_ELEMENTS.finditer(html, head_end):
        starts.append(found.start())
        ends.append(found.end())
    out: list[str] = []
    stack: list[bool] = []  # per open mark: whether it became a span
    done = 0
    for mark in _MARK.finditer(html):
        out.append(html[done : mark.start()])
        done = mark.end()
        lang = mark.group(1)
        if lang is None:  # the end of a mark
            if stack and stack.pop():
                out.append("</span>")
            continue
        at = mark.start()
        inside_tag = html.rfind("<", 0, at) > html.rfind(">", 0, at)
        region = bisect.bisect_right(starts, at) - 1
        no_elements = at < head_end or inside_tag or (region >= 0 and at < ends[region])
        stack.append(not no_elements)
        if not no_elements:
            out.append(f"<span{lang_attributes(lang, page_direction)}>")
    out.append(html[done:])
    return "".join(out).encode("utf-8")
