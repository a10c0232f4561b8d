"""``cityprofiles review``: which profiles are due for review, and when the others will be.

Every city with the day it was last reviewed (``last_reviewed``) and the day it falls due
(``review_after`` months later, site.yaml; 12 by default), most overdue first, then the
accessibility statement (reviewed every 12 months). ``check`` warns for the overdue ones
(``check --strict`` fails on them); this report is the plan: what is due this month, and
what comes next. ``--format json`` gives the same as data; ``--today`` asks about another
day.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cityprofiles.clock import add_months
from cityprofiles.content import Sources, load_sources, require_site, site_max_bytes
from cityprofiles.errors import counted
from cityprofiles.i18n import sort_key
from cityprofiles.model import Site
from cityprofiles.validate import review_due, validate_sources

Status = Literal["overdue", "due soon", "up to date", "never due"]
SOON_MONTHS = 1
"""A review due within this many months is "due soon"."""


@dataclass(frozen=True)
class Review:
    """One profile's review: when it was done, when it is due again."""

    city: str
    name: str
    file: str
    line: int | None
    last_reviewed: dt.date
    due: dt.date | None
    status: Status

    def as_json(self) -> dict[str, Any]:
        return {
            "city": self.city,
            "name": self.name,
            "file": self.file,
            "line": self.line,
            "last_reviewed": self.last_reviewed.isoformat(),
            "due": self.due.isoformat() if self.due else None,
            "status": self.status,
        }


def status_on(due: dt.date | None, today: dt.date) -> Status:
    """How a review due on ``due`` stands on ``today``.

    >>> day = dt.date(2026, 12, 1)
    >>> [status_on(d, day) for d in (day, dt.date(2026, 12, 31), dt.date(2027, 1, 2), None)]
    ['overdue', 'due soon', 'up to date', 'never due']
    """
    if due is None:
        return "never due"
    if due <= today:
        return "overdue"
    return "due soon" if due <= add_months(today, SOON_MONTHS) else "up to date"


def reviews(site: Site, sources: Sources, today: dt.date) -> list[Review]:
    """Every city's review, the earliest due first (never due last), then by name."""
    docs = {src.id: src.document for src in sources.cities}
    result = []
    for city in site.cities:
        due = review_due(city.last_reviewed, site.config.review_after)
        doc = docs.get(city.id)
        mark = doc.mark(("last_reviewed",)) if doc is not None else None
        name = city.name.get(site.default_language) or next(iter(city.name.values()))
        file = site.city_sources.get(city.id, f"content/cities/{city.id}/city.yaml")
        line = mark.line if mark is not None else None
        status = status_on(due, today)
        result.append(Review(city.id, name, file, line, city.last_reviewed, due, status))
    never, lang = dt.date.max, site.default_language
    return sorted(result, key=lambda r: (r.due or never, sort_key(r.name, lang), r.city))


def statement_review(site: Site, today: dt.date) -> dict[str, Any]:
    """The accessibility statement's review (every 12 months, Dutch rules)."""
    due = add_months(site.accessibility.reviewed, 12)
    return {
        "file": "content/accessibility.yaml",
        "reviewed": site.accessibility.reviewed.isoformat(),
        "due": due.isoformat(),
        "status": status_on(due, today),
    }


def as_json(site: Site, found: list[Review], today: dt.date) -> dict[str, Any]:
    """The report as data (``--format json``)."""
    return {
        "today": today.isoformat(),
        "review_after": site.config.review_after,
        "profiles": [r.as_json() for r in found],
        "overdue": sum(1 for r in found if r.status == "overdue"),
        "due_soon": sum(1 for r in found if r.status == "due soon"),
        "accessibility_statement": statement_review(site, today),
    }


def as_text(site: Site, found: list[Review], today: dt.date) -> str:
    """The report for people: one line per profile, then the totals."""
    months = site.config.review_after
    every = (
        f"due {months} months after last_reviewed"
        if months is not None
        else "never due: review_after is off"
    )
    lines = [f"Profile reviews on {today.isoformat()} ({every}; review_after in site.yaml)", ""]
    width = max((len(r.name) for r in found), default=4)
    lines.append(f"{'Status':<11} {'Reviewed':<10}  {'Due':<10}  {'City':<{width}}  File")
    for r in found:
        due = r.due.isoformat() if r.due else "–"
        where = r.file + (f":{r.line}" if r.line else "")
        reviewed = r.last_reviewed.isoformat()
        lines.append(f"{r.status:<11} {reviewed:<10}  {due:<10}  {r.name:<{width}}  {where}")
    overdue = sum(1 for r in found if r.status == "overdue")
    soon = sum(1 for r in found if r.status == "due soon")
    statement = statement_review(site, today)
    lines += [
        "",
        f"{counted(len(found), 'profile')}: {overdue} overdue, {soon} due within a month.",
        f"Accessibility statement: reviewed {statement['reviewed']}, due {statement['due']} "
        f"({statement['status']}).",
    ]
    return "\n".join(lines) + "\n"


def print_reviews(root: Path, *, today: dt.date, fmt: str = "text") -> int:
    """Print the report; exit code 0 (it is a plan, ``check --strict`` is the gate).
    Content with errors is reported as ``check`` reports it (``ContentError``)."""
    require_site(root)
    sources, problems = load_sources(root, max_bytes=site_max_bytes(root))
    site = validate_sources(sources, problems, today=today)
    found = reviews(site, sources, today)
    if fmt == "json":
        print(json.dumps(as_json(site, found, today), indent=2, ensure_ascii=False))
    else:
        print(as_text(site, found, today), end="")
    return 0
