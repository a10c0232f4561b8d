"""The accessibility statement (``content/accessibility.yaml``), required by law."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cityprofiles.model.fields import Date, Email, Model, Name, Text, Url


class Deviation(Model):
    """A known accessibility problem and what is done about it."""

    description: Text
    plan: Text | None = None


class AccessibilityStatement(Model):
    """``content/accessibility.yaml``: the legally required accessibility statement."""

    organisation: Name
    standard: str = "WCAG 2.1 AA (EN 301 549)"
    status: Literal["full", "partial", "none"] = Field(
        description="Compliance: full, partial (with known deviations) or none"
    )
    nl_status: Literal["A", "B", "C", "D", "E"] | None = Field(
        None, description="Dutch register status A–E (digitoegankelijk.nl)"
    )
    evaluated: Date | None = Field(None, description="Date of the last full evaluation")
    method: Text | None = None
    report_url: Url | None = None
    register_url: Url | None = None
    deviations: list[Deviation] = Field(default_factory=list)
    contact_email: Email
    response_days: int = Field(10, gt=0, le=90, description="Days within which we answer")
    statement_date: Date
    reviewed: Date
