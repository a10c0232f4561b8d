"""What Pagefind reads of a page, so that a part is indexed again only when that changed.

Pagefind runs with ``--root-selector main``: it reads the language from ``<html lang>``
and the text, headings, title and any ``data-pagefind-*`` attributes from the ``<main>``
element, and nothing else (its documentation: "filters and metadata outside of this
selector will not be detected"). So a page's *indexed text* is its ``<html>`` start tag
and everything from the first ``<main`` to the last ``</main>``: a change of menu,
footer, stylesheet link or ``<head>`` leaves it as it was, and with it the part.
"""

from __future__ import annotations

import hashlib
import re

_HTML = re.compile(rb"<html(?:\s[^>]*)?>", re.IGNORECASE)
_MAIN = re.compile(rb"<main[\s>]", re.IGNORECASE)
_TAG = re.compile(rb"<[^>]*>")
_H1 = re.compile(rb"<h1(?:\s[^>]*)?>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)


def indexed_text(page: bytes) -> bytes:
    """The ``<html>`` start tag and the ``<main>`` element of ``page`` (a superset of
    what Pagefind indexes; empty parts when the page has neither).

    >>> indexed_text(b'<!doctype html><html lang="nl"><nav>menu</nav><main><h1>Utrecht</h1></main><footer>x')
    b'<html lang="nl">\\x00<main><h1>Utrecht</h1></main>'
    """
    html = _HTML.search(page, 0, 4096)
    start = _MAIN.search(page)
    end = page.lower().rfind(b"</main>") if start is not None else -1
    main = page[start.start() : end + len(b"</main>")] if start is not None and end > 0 else b""
    return (html.group(0) if html is not None else b"") + b"\0" + main


def indexed_digest(page: bytes) -> str:
    """A short hash of :func:`indexed_text`.

    >>> indexed_digest(b'<html lang="en"><main>a</main><footer>1</footer>') == indexed_digest(
    ...     b'<html lang="en"><head><title>new</title></head><main>a</main><footer>2</footer>')
    True
    """
    return hashlib.blake2b(indexed_text(page), digest_size=16).hexdigest()


def digest_and_name(page: bytes) -> tuple[str, str]:
    """:func:`indexed_digest` and :func:`page_name` of ``page``, its indexed text cut once.

    >>> digest_and_name(b'<html lang="en"><main><h1>Gent</h1></main>') == (
    ...     indexed_digest(b'<html lang="en"><main><h1>Gent</h1></main>'),
    ...     page_name(b'<html lang="en"><main><h1>Gent</h1></main>'))
    True
    """
    text = indexed_text(page)
    return hashlib.blake2b(text, digest_size=16).hexdigest(), _name(text)


def page_name(page: bytes) -> str:
    """What the names part indexes of a page: the ``<html>`` start tag and the inner
    HTML of the first ``<h1>`` of its ``<main>`` (which Pagefind takes as the title),
    joined by a NUL; empty if it has none.

    >>> page_name(b'<html lang="en"><h1>Menu</h1><main><h1 id="top">Gent <span>(BE)</span></h1></main>')
    '<html lang="en">\\x00Gent <span>(BE)</span>'
    >>> page_name(b'<html lang="en"><main><p>no heading</p></main>')
    ''
    >>> page_name(b'<html lang="en"><main><h1><img src="logo.svg" alt=""> </h1></main>')
    ''
    """
    return _name(indexed_text(page))


def _name(text: bytes) -> str:
    """:func:`page_name` of a page's :func:`indexed_text`."""
    found = _H1.search(text)
    if found is None or not _TAG.sub(b"", found.group(1)).strip():
        return ""  # no title to find the page by (Pagefind would index an empty page)
    html = text.split(b"\0", 1)[0]
    return (html + b"\0" + found.group(1)).decode("utf-8", "replace")


def names_document(name: str) -> bytes:
    """The page the names part indexes for a page whose :func:`page_name` is ``name``:
    its language and title, nothing else.

    Nothing rides along: Pagefind searches metadata too (a summary would make a
    one-letter query match most pages again), and its filter files come out in another
    order from run to run (the index must not change when the site did not)."""
    html, title = name.split("\0", 1)
    return (
        f'<!doctype html>{html}<head><meta charset="utf-8"><title></title></head>'
        f"<body><main><h1>{title}</h1></main></body></html>"
    ).encode()
