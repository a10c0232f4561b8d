"""The typed model: what a site, its configuration, a city, a network and an SDG are.

Pydantic models whose field names are the YAML keys editors write (so an error's data
path is the path in the file), and the validated :class:`Site` that every later stage
receives: typed objects all the way to the templates. Public entry: the models, the
:class:`Site`, :func:`write_schemas` (JSON Schema for editors, generated from the same
models) and :func:`load_sdgs`.

Modules: ``fields`` (translatable text, checked forms, the strict base), ``city``,
``networks``, ``accessibility``, ``sdgs``, ``config`` (``site.yaml`` and languages),
``site`` (the validated whole with its indexes), ``schema``, ``colour`` (WCAG contrast).
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.model.accessibility import AccessibilityStatement
    from cityprofiles.model.city import City, Contact, Coordinates, Partner
    from cityprofiles.model.cms_settings import CmsSettings
    from cityprofiles.model.colour import contrast_ratio
    from cityprofiles.model.config import (
        REVIEW_AFTER_MONTHS,
        Language,
        LanguageConfig,
        SiteConfig,
        default_segments,
        resolve_languages,
        text_direction,
    )
    from cityprofiles.model.countries import country_codes, country_name, country_problem
    from cityprofiles.model.fields import (
        LANG_PATTERN,
        NORMALISED,
        SLUG_PATTERN,
        TODAY,
        Name,
        Text,
        check_url,
    )
    from cityprofiles.model.networks import Network, NetworkRegistry
    from cityprofiles.model.schema import schema_text, schemas, write_schemas
    from cityprofiles.model.sdgs import (
        SITE_GOALS_FILE,
        GoalTextFile,
        Sdg,
        load_sdgs,
        merge_goal_texts,
    )
    from cityprofiles.model.site import Site

__all__ = [
    "LANG_PATTERN",
    "NORMALISED",
    "REVIEW_AFTER_MONTHS",
    "SITE_GOALS_FILE",
    "SLUG_PATTERN",
    "TODAY",
    "AccessibilityStatement",
    "City",
    "CmsSettings",
    "Contact",
    "Coordinates",
    "GoalTextFile",
    "Language",
    "LanguageConfig",
    "Name",
    "Network",
    "NetworkRegistry",
    "Partner",
    "Sdg",
    "Site",
    "SiteConfig",
    "Text",
    "check_url",
    "contrast_ratio",
    "country_codes",
    "country_name",
    "country_problem",
    "default_segments",
    "load_sdgs",
    "merge_goal_texts",
    "resolve_languages",
    "schema_text",
    "schemas",
    "text_direction",
    "write_schemas",
]
__getattr__ = lazy_public_entry(__name__)
