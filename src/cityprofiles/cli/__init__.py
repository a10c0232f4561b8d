"""The ``cityprofiles`` command line (kept import-light: ``--help`` answers at once)."""

from cityprofiles.cli.commands import main, make_parser

__all__ = ["main", "make_parser"]
