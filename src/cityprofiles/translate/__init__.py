"""The translators' tools: what is left to translate, a new language, the UI catalogues.

Public entry: :func:`print_status` (``i18n status``: untranslated fields, Goals and UI
strings, per language and city), :func:`add_language` (``i18n add``: the language into
``site.yaml`` and its catalogue) and :func:`run_catalogue_command` (``i18n extract``,
``update``, ``compile``, through Babel). They read the site the way ``check`` does and
write only inside it.

Modules: ``status``, ``add``, ``commands``.
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.translate.add import add_language
    from cityprofiles.translate.commands import run_catalogue_command
    from cityprofiles.translate.status import content_status, print_status, ui_status

__all__ = ["add_language", "content_status", "print_status", "run_catalogue_command", "ui_status"]
__getattr__ = lazy_public_entry(__name__)
