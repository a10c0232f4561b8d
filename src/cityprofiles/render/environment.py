"""One Jinja2 environment per language: the theme's templates, the language's catalogue
installed (``jinja2.ext.i18n``), its filters and the link helpers. Undefined variables are
errors (``StrictUndefined``), so a template mistake fails the build with the template's
file and line instead of leaving a gap on a published page."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket
from markupsafe import Markup

from cityprofiles.i18n import UiText
from cityprofiles.model import Language, Site
from cityprofiles.render.fallback_marks import mark_markup
from cityprofiles.render.filters import LanguageTools, og_locale


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in this process's memory, keyed by template source: each
    language's environment compiles a template once between them, and the live preview
    does not compile them again on every save. Never written to disk: compiled code in
    a file would run whatever the file says."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.store.get(bucket.key + bucket.checksum)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key + bucket.checksum] = bucket.bytecode_to_string()


def environment(
    site: Site,
    language: Language,
    template_dirs: Sequence[Path],
    translations: UiText,
    tools: LanguageTools,
    helpers: Mapping[str, Callable[..., str]],
    bytecode_cache: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """The environment of one language (``helpers``: the link globals)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode_cache,
        # A build (and each preview rebuild) makes a new Renderer, so templates never
        # change under it: without this, every page asked the disk for the mtime of
        # each template it extends, includes or imports (~3 % of a cold build).
        auto_reload=False,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    _install_fast_gettext(env, translations)
    env.filters.update(
        tr=tools.tr,
        text=tools.text,
        block=tools.block,
        headings=tools.headings,
        number=tools.number,
        date=tools.date,
        time=tools.time,
        country=tools.country,
        language_name=tools.language_name,
        phone=tools.phone,
        og_locale=og_locale,
    )
    env.globals.update(
        site=site,
        lang=language,
        languages=site.languages,
        sdg=site.sdg,
        fallback_note=tools.fallback_note,
        **helpers,
    )
    return env


def _install_fast_gettext(env: jinja2.Environment, translations: UiText) -> None:
    """Replace Jinja's newstyle ``_``/``gettext``/``ngettext`` with equivalent one-layer callables.

    Jinja's versions go through ``Context.call`` two or three times per string (``_`` resolves
    ``gettext``, which calls the catalogue through the context again); with ~70 UI strings per
    page that was 10 % of a 1 000-city build under cProfile. Output is identical: the same
    catalogue lookup, ``Markup`` when autoescaping, and ``%`` formatting even without variables.

    A string that is not translated into the page language comes back marked with the
    language it is shown in (:mod:`cityprofiles.render.fallback_marks`), when autoescaping.
    """
    lookup = translations.lookup
    nlookup = translations.nlookup
    page_lang = translations.lang

    # A string without variables gives the same result every time: most UI strings of a
    # page are such, so each is looked up and formatted once per build, not once per page.
    plain: dict[tuple[str, bool], str] = {}

    @jinja2.pass_eval_context
    def gettext(eval_ctx: Any, string: str, /, **variables: Any) -> str:
        if not variables:
            key = (string, eval_ctx.autoescape)
            found = plain.get(key)
            if found is None:
                found = plain[key] = _format(*lookup(string), eval_ctx.autoescape, {})
            return found
        return _format(*lookup(string), eval_ctx.autoescape, variables)

    @jinja2.pass_eval_context
    def ngettext(eval_ctx: Any, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("num", num)
        return _format(*nlookup(singular, plural, num), eval_ctx.autoescape, variables)

    def _format(rv: str, lang: str, autoescape: bool, variables: Mapping[str, Any]) -> str:
        formatted = _format_message(rv, autoescape, variables)
        if lang != page_lang and autoescape:
            return mark_markup(formatted, lang)
        return formatted

    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)


def _format_message(rv: str, autoescape: bool, variables: Mapping[str, Any]) -> str:
    """A catalogue string with its variables, as jinja2.ext formats it: ``Markup`` when
    autoescaping (so the variables are escaped, the string itself is trusted), and ``%``
    formatting even without variables (``%%`` becomes ``%``)."""
    if autoescape:
        rv = Markup(rv)  # noqa: S704 - a catalogue string, as in jinja2.ext
    return rv % variables
