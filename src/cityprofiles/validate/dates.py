"""Dates that go stale: an accessibility statement must be reviewed every year and the
evaluation renewed every three (Dutch rules). Checked against today, so a site that
passed yesterday can warn today."""

from __future__ import annotations

import datetime as dt

from cityprofiles.content import YamlDocument
from cityprofiles.model import AccessibilityStatement
from cityprofiles.validate.problems import Collector


def check_statement_dates(
    collector: Collector,
    doc: YamlDocument,
    statement: AccessibilityStatement,
    today: dt.date | None = None,
) -> None:
    """Warn when the evaluation is older than 36 months or the review older than 12."""
    today = today or dt.date.today()
    if statement.evaluated is not None and (today - statement.evaluated).days > 3 * 365:
        message = "the last evaluation is more than 36 months old; Dutch rules ask for a new one"
        collector.warn(
            doc.source, doc.mark(("evaluated",)), ("evaluated",), message, "stale-statement"
        )
    if (today - statement.reviewed).days > 365:
        message = "the statement was not reviewed in the last 12 months"
        collector.warn(
            doc.source, doc.mark(("reviewed",)), ("reviewed",), message, "stale-statement"
        )
