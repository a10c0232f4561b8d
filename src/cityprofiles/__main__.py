"""Allow ``python -m cityprofiles``."""

from cityprofiles.cli import run

run()
