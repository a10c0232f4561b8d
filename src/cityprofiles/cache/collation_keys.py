"""The collation keys of the names the last build sorted, so the next build needs no
collator: pyuca reads its whole table (0.17 s) before it can make the first key, and a
one-narrative build takes under a second.

Data, never code: one JSON object, ``{"format", "version", "table", "keys"}``, each key a
list of integers, every value checked when read; a file of another format, version or
table, or anything unexpected in it, is ignored (the collator is loaded, as without the
file). The keys depend only on the text and the table, so a file can be wrong only by
being planted: then lists are out of order, nothing runs.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import cityprofiles

FORMAT = 1


def collation_keys_path(root: Path) -> Path:
    """One file per site, beside the build state."""
    return root / ".cache" / "cityprofiles" / "collation-keys.json"


def load_collation_keys(path: Path, table: str) -> dict[str, tuple[int, ...]]:
    """The keys in ``path`` if it is this version's file for ``table``; else none."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or (
        data.get("format"),
        data.get("version"),
        data.get("table"),
    ) != (FORMAT, cityprofiles.__version__, table):
        return {}
    keys = data.get("keys")
    if not isinstance(keys, dict):
        return {}
    found: dict[str, tuple[int, ...]] = {}
    for text, key in keys.items():
        if not isinstance(key, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in key
        ):
            return {}
        found[text] = tuple(key)
    return found


def save_collation_keys(path: Path, table: str, keys: dict[str, tuple[int, ...]]) -> None:
    """Write the keys atomically; a failure only costs the next build the collator."""
    data = {
        "format": FORMAT,
        "version": cityprofiles.__version__,
        "table": table,
        "keys": {text: list(key) for text, key in sorted(keys.items())},
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=".collation-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False, separators=(",", ":"))
        os.replace(name, path)
    except OSError:
        Path(name).unlink(missing_ok=True)
