"""Markdown prose files: named for a page and a language, within the safety limits, and
turned into sanitised HTML."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cityprofiles.content import Mark, MarkdownRenderer, SourceText, YamlDocument
from cityprofiles.validate.problems import Collector
from cityprofiles.validate.translations import TODO_MARKER

KNOWN_PAGES = ("about", "home")
"""The site's own prose pages (``content/pages/<name>.<lang>.md``)."""


def prose(
    collector: Collector,
    markdown: MarkdownRenderer,
    files: Mapping[tuple[str, str], SourceText],
    allowed: Sequence[str],
) -> dict[str, dict[str, str]]:
    """``name -> language -> HTML`` of the files ``(name, language) -> text`` whose name is
    one of ``allowed``; every other file, and every file over a limit, is a problem."""
    result: dict[str, dict[str, str]] = {}
    for (name, lang), source in sorted(files.items()):
        if name not in allowed:
            expected = " or ".join(f"{a}.<language>.md" for a in allowed)
            message = f"unexpected file name '{name}'; expected {expected}"
            collector.error(source, None, (), message, "unexpected-file")
            continue
        if collector.languages and lang not in collector.languages:
            message = (
                f"unknown language '{lang}' in the file name; this site's "
                f"languages are {', '.join(collector.languages)}"
            )
            collector.error(source, None, (), message, "unknown-language")
            continue
        if _readable(collector, markdown, source):
            result.setdefault(name, {})[lang] = markdown.render(source.text)
    return result


def _readable(collector: Collector, markdown: MarkdownRenderer, source: SourceText) -> bool:
    """Whether a prose file is to be shown: within the limits (else an error) and not empty
    (else a warning); a level-1 heading and a TODO are warnings."""
    issue = markdown.check(source.text)
    if issue is not None:
        collector.error(source, Mark(issue.line, 1), (), issue.message, "markdown-too-deep")
        return False
    h1 = markdown.has_h1(source.text)
    if h1 is not None:
        message = "start headings at level 2 (##); the page title is the level-1 heading"
        collector.warn(source, Mark(h1, 1), (), message, "heading-level")
    if not source.text.strip():
        collector.warn(source, None, (), "this file is empty", "empty-section")
        return False
    if source.text.lstrip().startswith(TODO_MARKER):
        collector.warn(source, Mark(1, 1), (), "still to do: replace the TODO text", "todo")
    return True


def pages(
    collector: Collector,
    markdown: MarkdownRenderer,
    files: Mapping[tuple[str, str], SourceText],
    site: YamlDocument | None,
) -> dict[tuple[str, str], str]:
    """The site's prose pages, ``(name, language) -> HTML``; a missing about page in some
    language is a warning (on ``site.yaml``, which names the languages)."""
    rendered = prose(collector, markdown, files, KNOWN_PAGES)
    result = {
        (name, lang): html for name, by_lang in rendered.items() for lang, html in by_lang.items()
    }
    for lang in collector.languages:
        if ("about", lang) not in result and site is not None:
            message = (
                f"content/pages/about.{lang}.md is missing; the about page shows another language"
            )
            collector.warn(site.source, None, (), message, "missing-translation")
    return result
