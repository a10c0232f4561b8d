"""The ``cityprofiles`` command line (kept import-light: ``--help`` answers at once).

Public entry: :func:`main` (the console script) and :func:`make_parser`. Modules:
``parser`` (the arguments), ``commands`` (what each command does), ``report`` (problems
as text, colour, JSON, GitHub annotations), ``progress`` (the progress line on a terminal).
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.cli.commands import main
    from cityprofiles.cli.parser import make_parser

__all__ = ["main", "make_parser"]
__getattr__ = lazy_public_entry(__name__)
