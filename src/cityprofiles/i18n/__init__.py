"""Languages: the UI catalogues (gettext, through Babel), translated fields and their
visible fallbacks, and the translators' tools.

Public entry: :func:`load_translations` (every language's catalogue, compiled in memory,
the site's over the package's), :func:`pick` with :class:`Localized` (a field in the page
language, or visibly in another), :func:`print_status` (``i18n status``) and
:func:`run_catalogue_command` (``i18n extract``/``update``/``compile``).

Modules: ``catalogues``, ``po_check`` (reading ``.po`` files strictly), ``fallback``,
``status``, ``commands``.
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.i18n.catalogues import (
        catalogue_files,
        load_translations,
        package_locales,
        read_catalogue,
    )
    from cityprofiles.i18n.commands import run_catalogue_command
    from cityprofiles.i18n.fallback import Localized, pick
    from cityprofiles.i18n.status import print_status

__all__ = [
    "Localized",
    "catalogue_files",
    "load_translations",
    "package_locales",
    "pick",
    "print_status",
    "read_catalogue",
    "run_catalogue_command",
]
__getattr__ = lazy_public_entry(__name__)
