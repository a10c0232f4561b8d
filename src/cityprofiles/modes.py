"""File modes for what cityprofiles writes: what ``mkdir`` and ``open`` would give.

The output folder is served by a web server that often runs as another user, and a
new city folder is shared through Git with colleagues. Temporary folders and files
(``tempfile.mkdtemp``, ``mkstemp``) are private (0700, 0600) by design; when one of
them becomes a real folder or file of the site it gets the mode the user's umask
gives everything else (0755 and 0644 under the usual umask 022), as ``cp`` does.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path


@functools.cache
def umask() -> int:
    """The process's umask, read once (reading it means setting it, briefly)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


def file_mode() -> int:
    """The mode ``open(path, "w")`` gives a new file."""
    return 0o666 & ~umask()


def folder_mode() -> int:
    """The mode ``mkdir`` gives a new folder."""
    return 0o777 & ~umask()


def staging_folder(prefix: str, parent: Path) -> Path:
    """A new, uniquely named folder in ``parent`` that will be renamed into place, with
    the mode of an ordinary folder (not ``mkdtemp``'s 0700)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    os.chmod(folder, folder_mode())
    return folder
