"""Scaffolding: a new site (``cityprofiles init``) and a new city (``cityprofiles new city``),
each passing ``check`` at once, with what is left to write marked ``TODO``.

Public entry: :func:`create_site` and :func:`new_city`.
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.scaffold.city import check_slug, narrative, new_city
    from cityprofiles.scaffold.init import DEFAULT_BASE_URL, create_site, keep_languages

__all__ = [
    "DEFAULT_BASE_URL",
    "check_slug",
    "create_site",
    "keep_languages",
    "narrative",
    "new_city",
]
__getattr__ = lazy_public_entry(__name__)
