"""Stage 4, output: the files of the site put in place atomically, and what is made from
the pages and the model besides them: the sitemap, the open data and the search index.

Public entry: :func:`write_site` (a new output folder, swapped in whole) and
:func:`write_in_place` (only the changed files of an existing one), both all-or-nothing;
:class:`OpenData` (JSON, CSV, Atom and vCard files by path), :func:`sitemap` and
:func:`robots`, :func:`search_index` (Pagefind, in parts that follow an edit, with its
:class:`SearchCache`). Files are given as bytes, as a file to
copy, or as :data:`PREVIOUS` (unchanged: linked from the last output).

Modules: ``write`` and ``in_place`` (the two ways to write), ``modes`` (file modes as
the umask gives them), ``opendata`` with ``tables`` (CSV), ``feeds`` (Atom) and
``vcards``, ``sitemaps``, ``search/`` (Pagefind runs, the parts' cache).
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.output.in_place import write_in_place
    from cityprofiles.output.modes import file_mode, folder_mode, staging_folder
    from cityprofiles.output.opendata import OpenData
    from cityprofiles.output.search import (
        SearchCache,
        SearchIndex,
        pagefind_available,
        search_cache_path,
        search_index,
    )
    from cityprofiles.output.sitemaps import robots, sitemap
    from cityprofiles.output.vcards import vcard_escape, vcard_fold
    from cityprofiles.output.write import (
        MARKER,
        PREVIOUS,
        WRITER_THREADS,
        Content,
        Previous,
        Stage,
        check_output_folder,
        folder_stats,
        remove_foreign,
        write_site,
    )

__all__ = [
    "MARKER",
    "PREVIOUS",
    "WRITER_THREADS",
    "Content",
    "OpenData",
    "Previous",
    "SearchCache",
    "SearchIndex",
    "Stage",
    "check_output_folder",
    "file_mode",
    "folder_mode",
    "folder_stats",
    "pagefind_available",
    "remove_foreign",
    "robots",
    "search_cache_path",
    "search_index",
    "sitemap",
    "staging_folder",
    "vcard_escape",
    "vcard_fold",
    "write_in_place",
    "write_site",
]
__getattr__ = lazy_public_entry(__name__)
