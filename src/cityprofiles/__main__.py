"""Allow ``python -m cityprofiles``."""

from cityprofiles.cli import main

raise SystemExit(main())
