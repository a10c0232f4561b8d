"""Languages: the UI catalogues (gettext, through Babel), translated fields and their
visible fallbacks, and the translators' tools (``i18n status``, ``extract``, ``update``)."""
