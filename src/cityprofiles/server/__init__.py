"""The live preview: build, serve the output folder, rebuild on every saved change.

Public entry: :func:`serve` with :class:`ServeOptions`; :class:`PreviewApp` (the web
application, for tests) and :class:`PreviewState`. An editor back end will live here
too. Modules: ``server`` (the server's lifetime), ``preview`` (building and watching),
``watch`` (file-system events), ``app`` (what a request gets).
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.server.app import PreviewApp, PreviewState
    from cityprofiles.server.server import ServeOptions, serve
    from cityprofiles.server.watch import QUIET_SECONDS

__all__ = ["QUIET_SECONDS", "PreviewApp", "PreviewState", "ServeOptions", "serve"]
__getattr__ = lazy_public_entry(__name__)
