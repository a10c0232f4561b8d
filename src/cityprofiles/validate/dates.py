"""Dates that go stale: a city's profile is due for review ``review_after`` months (site.yaml,
12 by default) after its ``last_reviewed``; an accessibility statement must be reviewed
every year and the evaluation renewed every three (Dutch rules). Checked against the
collector's day (:mod:`cityprofiles.clock`), so a site that passed yesterday can warn today,
and a test or CI job can name the day."""

from __future__ import annotations

import datetime as dt

from cityprofiles.clock import add_months
from cityprofiles.content import YamlDocument
from cityprofiles.model import AccessibilityStatement, City
from cityprofiles.validate.problems import Collector


def review_due(last_reviewed: dt.date, review_after: int | None) -> dt.date | None:
    """The day a profile reviewed on ``last_reviewed`` is due again (``None``: never).

    >>> review_due(dt.date(2026, 3, 31), 12), review_due(dt.date(2026, 3, 31), None)
    (datetime.date(2027, 3, 31), None)
    """
    return None if review_after is None else add_months(last_reviewed, review_after)


def check_review(collector: Collector, doc: YamlDocument, city: City) -> None:
    """Warn when the profile's last review is older than the site's ``review_after``."""
    last = getattr(city, "last_reviewed", None)  # None in a city that failed validation
    due = review_due(last, collector.review_after) if last is not None else None
    if last is None or due is None:
        return
    path = ("last_reviewed",)
    if last > collector.today + dt.timedelta(days=1):  # a day's grace: time zones
        message = f"{last.isoformat()} is in the future; write the day the profile was last checked"
        collector.error(doc.source, doc.mark(path), path, message, "future-date")
    elif due <= collector.today:
        months = collector.review_after
        message = (
            f"the profile was last reviewed on {last.isoformat()} and was due for review on "
            f"{due.isoformat()} (every {months} months, review_after in content/site.yaml); "
            "check its facts and links, then set last_reviewed to the day you did"
        )
        collector.warn(doc.source, doc.mark(path), path, message, "review-due")


def check_statement_dates(
    collector: Collector, doc: YamlDocument, statement: AccessibilityStatement
) -> None:
    """Warn when the evaluation is older than 36 months or the review older than 12."""
    today = collector.today
    if statement.evaluated is not None and add_months(statement.evaluated, 36) < today:
        message = (
            "the last evaluation is more than 36 months old; Dutch rules ask for a new one "
            "(have the site evaluated, then update evaluated)"
        )
        collector.warn(
            doc.source, doc.mark(("evaluated",)), ("evaluated",), message, "stale-statement"
        )
    if add_months(statement.reviewed, 12) < today:
        message = (
            "the statement was not reviewed in the last 12 months; check it, "
            "then set reviewed to the day you did"
        )
        collector.warn(
            doc.source, doc.mark(("reviewed",)), ("reviewed",), message, "stale-statement"
        )
