"""What day it is, for the rules that depend on it: a profile's review falls due, the
accessibility statement goes stale, a membership cannot begin in the future.

One place decides, so a run can be asked about another day and give the same answer
tomorrow: ``--today YYYY-MM-DD`` on the command line (``check``, ``build``, ``review``),
or the environment variable ``CITYPROFILES_TODAY`` for every command of a job (a CI
pipeline that must be reproducible, the test suite). Otherwise it is the computer's date.
"""

from __future__ import annotations

import datetime as dt
import os

TODAY_VARIABLE = "CITYPROFILES_TODAY"


def today() -> dt.date:
    """The day the rules are checked against: ``CITYPROFILES_TODAY`` when set, else today."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    return parse_day(value, TODAY_VARIABLE) if value else dt.date.today()


def parse_day(text: str, where: str) -> dt.date:
    """``2027-01-31`` as a date; anything else is a usage error that names ``where``.

    >>> parse_day("2027-01-31", "--today")
    datetime.date(2027, 1, 31)
    """
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        from cityprofiles.errors import UsageError

        raise UsageError(f"{where}: expected a date like 2027-01-31, got {text!r}") from None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day.

    >>> add_months(dt.date(2026, 1, 31), 1), add_months(dt.date(2024, 2, 29), 12)
    (datetime.date(2026, 2, 28), datetime.date(2025, 2, 28))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))
