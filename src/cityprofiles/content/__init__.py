"""Stage 1, content: the files on disk -> plain data with the source position of every value.

Public entry: :func:`load_sources` (every content file of a site) and :func:`load_city`
(one city folder, for the pipeline's workers) hand over :class:`Sources` and
:class:`CitySource`: YAML as data with the position of each value (:class:`YamlDocument`)
and Markdown prose as text (:class:`SourceText`), turned into sanitised HTML by
:class:`MarkdownRenderer`. Every file is untrusted; every problem points at
``file:line:col``.

Modules: ``files`` (reading safely, positions, paths that cannot leave the site),
``yaml_reader`` (YAML from the parser's events, with limits), ``yaml_errors`` (syntax
errors in plain words), ``markdown`` (prose to HTML, with limits), ``sources`` (a site's
files together).
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.content.files import (
        DEFAULT_MAX_BYTES,
        Mark,
        SourceText,
        display_path,
        read_text,
        require_site,
    )
    from cityprofiles.content.markdown import MarkdownRenderer, MarkupIssue
    from cityprofiles.content.sources import (
        CitySource,
        Sources,
        load_city,
        load_sources,
        site_languages,
        site_max_bytes,
    )
    from cityprofiles.content.yaml_reader import (
        DataPath,
        YamlDocument,
        load_yaml,
        package_data,
        parse_yaml,
    )

__all__ = [
    "DEFAULT_MAX_BYTES",
    "CitySource",
    "DataPath",
    "Mark",
    "MarkdownRenderer",
    "MarkupIssue",
    "SourceText",
    "Sources",
    "YamlDocument",
    "display_path",
    "load_city",
    "load_sources",
    "load_yaml",
    "package_data",
    "parse_yaml",
    "read_text",
    "require_site",
    "site_languages",
    "site_max_bytes",
]
__getattr__ = lazy_public_entry(__name__)
