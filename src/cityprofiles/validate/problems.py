"""Collecting problems: every rule adds to one list, positioned in its file, and the run
reports them all together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cityprofiles.clock import today as clock_today
from cityprofiles.content import DataPath, Mark, SourceText
from cityprofiles.errors import Problem
from cityprofiles.model import REVIEW_AFTER_MONTHS


def format_path(path: Sequence[str | int]) -> str:
    """``("networks", 2, "since")`` -> ``networks[2].since``.

    >>> format_path(("memberships", 0, "role", "nl"))
    'memberships[0].role.nl'
    """
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class Collector:
    """The problems found so far, and what the rules check against: the site's languages,
    the day (``today``: :func:`cityprofiles.clock.today` unless given) and how many months
    a profile's review lasts (``review_after``, from site.yaml; ``None``: never due)."""

    def __init__(self, problems: list[Problem] | None = None, today: dt.date | None = None) -> None:
        self.problems: list[Problem] = list(problems or [])
        self.today = today or clock_today()
        self.review_after: int | None = REVIEW_AFTER_MONTHS  # until site.yaml says otherwise
        # Empty until site.yaml names the languages: with a broken site.yaml, language
        # checks are skipped rather than flooding every file with "unknown language".
        self.languages: tuple[str, ...] = ()

    def error(
        self, source: SourceText, mark: Mark | None, path: DataPath, message: str, code: str
    ) -> None:
        """An error at ``mark`` (the data path ``path``) in ``source``."""
        self.problems.append(source.problem(mark, message, path=format_path(path), code=code))

    def warn(
        self, source: SourceText, mark: Mark | None, path: DataPath, message: str, code: str
    ) -> None:
        """A warning (an error under ``--strict``)."""
        self.problems.append(
            source.problem(mark, message, path=format_path(path), code=code, severity="warning")
        )
