"""Stage 2, validate: loaded data -> the typed, cross-referenced site, collecting every problem.

Public entry: :func:`validate_sources` (``Sources`` in, a
:class:`~cityprofiles.model.site.Site` out, or a ``ContentError`` with every problem) and
:class:`Validator` for the pipeline, which reuses cities validated before. Rules by
concern: ``site_config`` (languages first: everything is checked against them),
``references`` (URL names, networks, goals, partner cities), ``contacts``,
``translations`` (missing languages, TODO markers), ``dates`` (reviews falling due, a
statement going stale), ``prose`` (Markdown files); ``model_errors`` words pydantic's
errors for editors, and ``partial`` keeps what did validate of a file with errors, so the
checks between files still run on it.
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.validate.dates import review_due
    from cityprofiles.validate.problems import format_path
    from cityprofiles.validate.translations import TODO_MARKER
    from cityprofiles.validate.validator import Validator, validate_sources

__all__ = ["TODO_MARKER", "Validator", "format_path", "review_due", "validate_sources"]
__getattr__ = lazy_public_entry(__name__)
