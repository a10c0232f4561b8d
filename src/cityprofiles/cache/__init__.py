"""The build cache: what the last build made of which inputs, so the next one redoes only
what changed. Data, never code: JSON lines, read with every value checked.

Public entry: :func:`scan_inputs_since` and :func:`rescan` (the inputs and their hashes),
:func:`global_key` and :func:`city_hashes` (what a change invalidates), and
:func:`load_state` / :func:`save_state` with :class:`BuildState` (what the last build made).
Light to import: a build that finds nothing changed needs nothing else.
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.cache.codec import CacheFormatError, decode_city, encode_city
    from cityprofiles.cache.collation_keys import (
        collation_keys_path,
        load_collation_keys,
        save_collation_keys,
    )
    from cityprofiles.cache.inputs import (
        InputScan,
        city_hashes,
        city_of,
        digest,
        global_key,
        package_fingerprint,
        rescan,
        scan_inputs,
        scan_inputs_since,
    )
    from cityprofiles.cache.state import (
        FORMAT,
        BuildState,
        load_state,
        output_stats,
        save_state,
        state_path,
        up_to_date,
    )

__all__ = [
    "FORMAT",
    "BuildState",
    "CacheFormatError",
    "InputScan",
    "city_hashes",
    "city_of",
    "collation_keys_path",
    "decode_city",
    "digest",
    "encode_city",
    "global_key",
    "load_collation_keys",
    "load_state",
    "output_stats",
    "package_fingerprint",
    "rescan",
    "save_collation_keys",
    "save_state",
    "scan_inputs",
    "scan_inputs_since",
    "state_path",
    "up_to_date",
]
__getattr__ = lazy_public_entry(__name__)
