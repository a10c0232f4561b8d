"""Stage 3, render: the validated site -> page bytes, one Jinja2 environment per language.

Public entry: :class:`Renderer` (a site, its catalogues, its :class:`Router` and the
sizes of its other files in; each page's bytes out, template problems as positioned
``ContentError`` s) and the :class:`Router`, the one place that knows every URL: pages,
open-data files and the search index's parts alike.

Modules: ``routes`` (URLs), ``renderer`` (templates to bytes), ``environment`` (Jinja2
per language, gettext), ``context`` (what each page kind receives), ``filters``
(language-bound formatting), ``links`` (relative links), ``assets`` (the theme's files),
``features`` (compare, data and search pages) with ``compare`` (its layout) and
``maps/`` (the maps: geography, projection, labels), ``search_parts`` (which pages each
part of the search index holds), ``jsonld``.
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.render.assets import package_theme, sdg_stylesheet, static_files
    from cityprofiles.render.environment import MemoryBytecodeCache
    from cityprofiles.render.features import FileSizes
    from cityprofiles.render.renderer import Renderer
    from cityprofiles.render.routes import (
        COLLECTIONS,
        SCHEMA_PATH,
        Route,
        Router,
        city_json_path,
        collection_path,
        feed_path,
        vcard_path,
    )
    from cityprofiles.render.search_parts import (
        INDEX_DIR,
        INDEXED_KINDS,
        PART_PAGES,
        Part,
        all_parts,
        bundle_paths,
        names_part,
        plan_parts,
    )

__all__ = [
    "COLLECTIONS",
    "INDEXED_KINDS",
    "INDEX_DIR",
    "PART_PAGES",
    "SCHEMA_PATH",
    "FileSizes",
    "MemoryBytecodeCache",
    "Part",
    "Renderer",
    "Route",
    "Router",
    "all_parts",
    "bundle_paths",
    "city_json_path",
    "collection_path",
    "feed_path",
    "names_part",
    "package_theme",
    "plan_parts",
    "sdg_stylesheet",
    "static_files",
    "vcard_path",
]
__getattr__ = lazy_public_entry(__name__)
