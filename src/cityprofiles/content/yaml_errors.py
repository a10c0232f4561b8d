"""YAML syntax errors in plain words: what an editor should change, and where.

libyaml (CSafeLoader) and pure-Python PyYAML word their errors differently; each entry
below matches both. An opening bracket or quote that is never closed is reported where
it was opened, not at the end of the file where the parser gave up.
"""

from __future__ import annotations

from typing import Any

from yaml.error import MarkedYAMLError

from cityprofiles.content.files import Mark, SourceText
from cityprofiles.content.yaml_quotes import open_quote_before
from cityprofiles.errors import Problem

# libyaml (CSafeLoader) and pure-Python PyYAML word their errors differently; each
# entry matches both and says in plain language what an editor should change.
_SYNTAX_MESSAGES = (
    (
        "mapping values are not allowed",
        "unexpected ':'; put a value that contains ': ' in "
        "quotes, or check that this line is not indented further than the one above",
    ),
    (
        "could not find expected ':'",
        "this line has no ':' after its key (or a quote on an earlier line is not closed)",
    ),
    (
        "found unexpected end of stream",
        "the file ends in the middle of a value; is a quote or bracket not closed?",
    ),
    (
        "',' or ']'",
        "expected ',' or ']' here; put a value that contains ':', ',' or brackets in quotes",
    ),
    (
        "',' or '}'",
        "expected ',' or '}' here; put a value that contains ':', ',' or braces in quotes",
    ),
    (
        "block scalar",
        "'|' or '>' starts a block of text and must end its line; put a value "
        "that starts with '|' or '>' in quotes",
    ),
    (
        "hexdecimal number",
        "unknown escape with '\\' in a double-quoted value; use single quotes, "
        "or write '\\\\' for a backslash",
    ),
    (
        "escape",
        "unknown escape with '\\' in a double-quoted value; use single quotes, "
        "or write '\\\\' for a backslash",
    ),
    ("violates indentation", "a tab is used for indentation; YAML allows only spaces"),
    ("document start", "unexpected text after the end of the document; remove it"),
    ("mapping keys are not allowed", "unexpected '?'; put a value that starts with '?' in quotes"),
    ("did not find expected key", "the indentation of this line does not match the lines above"),
    (
        "expected <block end>, but found '<block mapping",
        "the indentation of this line does not match the lines above",
    ),
    (
        "did not find expected '-' indicator",
        "a list item is not indented like the ones above, "
        "or a list and a mapping are mixed at the same level",
    ),
    (
        "expected <block end>",
        "a list item is not indented like the ones above, "
        "or a list and a mapping are mixed at the same level",
    ),
    ("directive", "a line starting with '%' is not a valid YAML directive; remove it"),
    (
        "did not find expected node content",
        "a value is missing here; is a bracket not closed, or a ',' doubled?",
    ),
    (
        "expected the node content",
        "a value is missing here; is a bracket not closed, or a ',' doubled?",
    ),
    (
        "entries are not allowed",
        "a list item ('- ') must start on its own line, indented under its key",
    ),
    ("alias", "'*' must be followed by a name; put a value that starts with '*' in quotes"),
    ("anchor", "'&' must be followed by a name; put a value that starts with '&' in quotes"),
    ("tag", "'!' starts a YAML tag; put a value that starts with '!' in quotes"),
)


def syntax_problem(source: SourceText, exc: MarkedYAMLError) -> Problem:
    """``exc`` in plain words, at the place the editor has to change."""
    quote = open_quote_before(source.text, exc)
    if quote is not None:  # name: 's-Hertogenbosch
        where = Mark(quote.line, quote.column)
        return source.problem(where, f"YAML syntax error: {quote.message}", code="yaml-syntax")
    context = exc.context or ""
    mark: Any
    unclosed = next((msg for key, msg in _UNCLOSED if key in context), None)
    problem_mark = exc.problem_mark
    # An opening bracket or quote whose error shows up at the end of the file or on a
    # later line was most likely never closed: point at where it was opened.
    at_end = (
        problem_mark is None
        or exc.context_mark is None
        or problem_mark.line != exc.context_mark.line
        or not _rest(source, problem_mark).strip()
    )
    if "escape" in (exc.problem or "") or "hexdecimal" in (exc.problem or ""):
        unclosed = None  # a closed quote with a bad escape inside
    if unclosed is not None and exc.context_mark is not None and at_end:
        # Point at where the unclosed bracket or quote began, not at the end of the file.
        mark = exc.context_mark
        message = unclosed
    else:
        mark = exc.problem_mark or exc.context_mark
        raw = " ".join(p for p in (exc.context, exc.problem) if p)
        char = _char_at(source, mark)
        if "cannot start any token" in raw:
            message = (
                "a tab is used for indentation; YAML allows only spaces"
                if char == "\t"
                else f"a value cannot start with {char!r}; put the value in quotes"
            )
        else:
            message = next((m for key, m in _SYNTAX_MESSAGES if key in raw), raw)
    position = Mark(mark.line + 1, mark.column + 1) if mark is not None else None
    return source.problem(position, f"YAML syntax error: {message}", code="yaml-syntax")


def _rest(source: SourceText, mark: Any) -> str:
    """The text from an error mark to the end (line/column, since libyaml counts bytes)."""
    lines = source.text.split("\n")
    line: int = mark.line
    column: int = mark.column
    if line >= len(lines):
        return ""
    return lines[line][column:] + "\n" + "\n".join(lines[line + 1 :])


def _char_at(source: SourceText, mark: Any) -> str:
    """The character an error mark points at (libyaml does not name it)."""
    if mark is None:
        return "?"
    line = source.line(mark.line + 1) or ""
    return line[mark.column] if 0 <= mark.column < len(line) else "?"


_UNCLOSED = (
    ("flow sequence", "the list opened with '[' here is never closed with ']'"),
    ("flow mapping", "the mapping opened with '{' here is never closed with '}'"),
    ("quoted scalar", "the quote opened here is never closed; end the value with the same quote"),
)


def too_deep_message(depth: int) -> str:
    return (
        f"the data is nested more than {depth} levels deep; a content file needs a few "
        "levels at most: check the indentation and the brackets"
    )


def tag_message(tag: str) -> str:
    """A YAML tag (``!!python/object``, ``!Important``): content files use none."""
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return (
        f"'{shown}' is a YAML tag, which content files do not use; put a value that starts "
        "with '!' in quotes"
    )
