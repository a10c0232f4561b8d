"""The ``cityprofiles`` command line (kept import-light: ``--help`` answers at once).

Public entry: :func:`run` (the console script), :func:`main` (the command, returning its
exit code) and :func:`make_parser`. Modules:
``parser`` (the arguments), ``commands`` (what each command does), ``report`` (problems
as text, colour, JSON, GitHub annotations), ``progress`` (the progress line on a terminal).
"""

# Imported at once, unlike the other stages' entries: both modules are light by design
# (argparse only; every command imports what it needs when it runs).
from cityprofiles.cli.commands import main, run
from cityprofiles.cli.parser import make_parser

__all__ = ["main", "make_parser", "run"]
