"""What the command line prints about problems: plain text, colour on a terminal, JSON, GitHub.

Colours come from ``rich``, which knows when they make sense: only on a terminal,
never with ``NO_COLOR`` set or on a ``TERM=dumb`` terminal (``FORCE_COLOR`` forces
them). Lines are never wrapped or cut: a report is read by editors and CI as
``file:line:col`` lines.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cityprofiles.errors import Problem, problems_as_json, summarize

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


def stderr_console() -> Console:
    """A console on standard error that decides about colour for itself."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False, markup=False)


def report(problems: Sequence[Problem], fmt: str, console: Console | None = None) -> None:
    """Print ``problems`` as ``fmt`` (``text``, ``json`` or ``github``), then a summary
    line on standard error when there were any (``json`` is one document on stdout)."""
    if fmt == "json":
        print(problems_as_json(problems))
        return
    if fmt == "github":
        for problem in problems:
            print(problem.as_github())
        print(summarize(problems), file=sys.stderr)
        return
    if not problems:
        return
    console = console or stderr_console()
    for problem in problems:
        if console.color_system is None or console.no_color:  # NO_COLOR: no styles at all
            console.print(problem.format())
        else:
            console.print(styled(problem))
    console.print(summarize(problems))


def styled(problem: Problem) -> Text:
    """A problem in colour: the location in bold, ``error:`` in red, ``warning:`` in yellow
    (without colour, :meth:`Problem.format` has no ``error:``: every line is one)."""
    from rich.text import Text

    parts = problem.parts()
    label = ("warning:", "yellow") if problem.severity == "warning" else ("error:", "red")
    text = Text.assemble((parts.location, "bold"), ": ", label, " ", parts.text)
    for line in parts.excerpt:
        text.append("\n" + line)
    return text
