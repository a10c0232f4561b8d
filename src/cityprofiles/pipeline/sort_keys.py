"""The names' collation keys kept from one process to the next
(:mod:`cityprofiles.cache.collation_keys`): a build whose names did not change sorts its
lists without loading the collator's table (0.17 s of a one-narrative build's ~1 s)."""

from __future__ import annotations

from pathlib import Path

from cityprofiles.cache import collation_keys_path, load_collation_keys, save_collation_keys


class RememberedKeys:
    """The file of one site's keys, read before the first render, written after a run that
    sorted a name it did not hold. ``root`` ``None``: a run without a cache."""

    def __init__(self, root: Path | None) -> None:
        self.path = collation_keys_path(root) if root is not None else None
        self._stored: set[str] | None = None
        """The texts whose keys the file holds (``None``: not read yet)."""

    def load(self) -> None:
        """Teach the collation the keys in the file (once)."""
        if self.path is None or self._stored is not None:
            return
        from cityprofiles.i18n import COLLATION_TABLE, learn_keys

        stored = load_collation_keys(self.path, COLLATION_TABLE)
        learn_keys(stored)
        self._stored = set(stored)

    def save(self) -> None:
        """Write the keys, when the process holds one the file does not."""
        if self.path is None or self._stored is None:
            return
        from cityprofiles.i18n import COLLATION_TABLE, known_keys

        keys = known_keys()
        if not self._stored.issuperset(keys):
            save_collation_keys(self.path, COLLATION_TABLE, keys)
            self._stored = set(keys)
