"""Stage 2, validate: loaded data -> the typed :class:`~cityprofiles.site.Site`.

Every problem of a run is collected (schema errors, broken cross-references,
missing translations) and reported together with its file, line and data path.
Errors stop the build; warnings are reported and become errors under ``--strict``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from cityprofiles.config import Language, SiteConfig, resolve_languages
from cityprofiles.errors import ContentError, Problem
from cityprofiles.goal_texts import shipped_sdgs, site_sdgs
from cityprofiles.load import (
    CitySource,
    DataPath,
    Mark,
    Sources,
    SourceText,
    YamlDocument,
)
from cityprofiles.markup import MarkdownRenderer
from cityprofiles.model import (
    LANG_PATTERN,
    SLUG_PATTERN,
    AccessibilityStatement,
    City,
    Coordinates,
    Network,
    NetworkRegistry,
    Sdg,
    Text,
)
from cityprofiles.site import Site
from cityprofiles.ui_coverage import ui_warnings

KNOWN_PAGES = ("about", "home")
TODO_MARKER = "TODO"
"""How `new city` marks a value still to write; `check` warns, `--strict` fails, `i18n status` lists."""


def _regional_locale(code: str) -> str:
    """The most likely regional locale of a language, for messages (``nl`` -> ``nl_NL``).

    >>> _regional_locale("nl"), _regional_locale("sv")
    ('nl_NL', 'sv_SE')
    """
    from babel import Locale
    from babel.core import get_global

    try:
        territory = Locale.parse(get_global("likely_subtags").get(code, code)).territory
    except (ValueError, LookupError):
        territory = None
    return f"{code}_{territory}" if territory else code


def format_path(path: Sequence[str | int]) -> str:
    """``("networks", 2, "since")`` -> ``networks[2].since``.

    >>> format_path(("memberships", 0, "role", "nl"))
    'memberships[0].role.nl'
    """
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_sdgs() -> tuple[Sdg, ...]:
    """The 17 SDGs shipped with the package (see :mod:`cityprofiles.goal_texts`)."""
    return shipped_sdgs()


class Validator:
    """Collects problems while turning one site's sources into a :class:`Site`."""

    def __init__(self, sources: Sources, problems: list[Problem] | None = None) -> None:
        self.sources = sources
        self.problems: list[Problem] = list(problems or [])
        # Empty until site.yaml names the languages: with a broken site.yaml, language
        # checks are skipped rather than flooding every file with "unknown language".
        self.languages: tuple[str, ...] = ()
        self.markdown = MarkdownRenderer()

    # -- helpers ---------------------------------------------------------
    def error(
        self, source: SourceText, mark: Mark | None, path: DataPath, message: str, code: str
    ) -> None:
        self.problems.append(source.problem(mark, message, path=format_path(path), code=code))

    def warn(
        self, source: SourceText, mark: Mark | None, path: DataPath, message: str, code: str
    ) -> None:
        self.problems.append(
            source.problem(mark, message, path=format_path(path), code=code, severity="warning")
        )

    def model(self, cls: type[Any], doc: YamlDocument, data: Any, **update: Any) -> Any:
        """Validate ``data`` from ``doc`` against ``cls``; on failure record positioned problems."""
        if not isinstance(data, dict):
            self.error(
                doc.source,
                doc.mark(()),
                (),
                f"expected a mapping of fields ({_kind(data)} found)",
                "type",
            )
            return None
        try:
            obj = cls.model_validate(data, context={"languages": self.languages})
        except ValidationError as exc:
            for err in exc.errors():
                self._record(err, cls, doc, data)
            return None
        return obj.model_copy(update=update) if update else obj

    def _record(self, err: Any, cls: type[BaseModel], doc: YamlDocument, data: Any) -> None:
        kind = err["type"]
        if err["loc"] and err["loc"][-1] == "[key]":  # a mapping key itself is invalid
            key_path, _ = _clean_loc(data, err["loc"][:-1])
            message = _message(err, str)
            where = doc.mark(key_path, prefer_key=True)
            self.error(doc.source, where, key_path[:-1], message, kind)
            return
        path, exists = _clean_loc(data, err["loc"])
        if kind == "extra_forbidden":
            key = str(path[-1])
            allowed = _fields_at(cls, path[:-1])
            message = f"unknown field '{key}'"
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            if close:
                message += f"; did you mean '{close[0]}'?"
            elif allowed:
                message += f"; expected one of: {', '.join(allowed)}"
            self.error(doc.source, doc.mark(path, prefer_key=True), path, message, "unknown-field")
            return
        if kind == "missing" and not exists:
            parent = path[:-1]
            message = f"required field '{path[-1]}' is missing"
            self.error(
                doc.source, doc.mark(parent, prefer_key=True), parent, message, "missing-field"
            )
            return
        annotation = _annotation_at(cls, path)
        self.error(doc.source, doc.mark(path), path, _message(err, annotation), kind)

    # -- stages ------------------------------------------------------------
    def run(self) -> Site:
        config, languages, default = self.site_config()
        networks = self.networks()
        statement = self.accessibility()
        cities = [c for c in (self.city(src) for src in self.sources.cities) if c is not None]
        pages = self.pages()
        if config is not None:
            self.cross_check(cities, networks)
            self.problems.extend(ui_warnings(self.sources.root, self.languages))
        sdgs = site_sdgs(self)
        errors = [p for p in self.problems if p.severity == "error"]
        if errors or config is None or statement is None or networks is None:
            raise ContentError(self.problems)
        return Site(
            root=self.sources.root,
            config=config,
            languages=languages,
            default_language=default,
            cities=tuple(sorted(cities, key=lambda c: c.id)),
            networks=dict(sorted(networks.items())),
            sdgs=sdgs,
            accessibility=statement,
            pages=pages,
            warnings=tuple(sorted(self.problems)),
            city_sources={c.id: f"content/cities/{c.id}/city.yaml" for c in cities},
        )

    def site_config(self) -> tuple[SiteConfig | None, tuple[Language, ...], str]:
        doc = self.sources.site
        if doc is None:
            return None, (), "en"
        raw = doc.data
        if isinstance(raw, dict) and isinstance(raw.get("languages"), list):
            raw_codes = [
                v if isinstance(v, str) else v.get("code") if isinstance(v, dict) else None
                for v in raw["languages"]
            ]
            # Only a fully valid list is used to check other files' languages; otherwise
            # site.yaml's own error is enough (no "unknown language" in every file).
            if all(isinstance(c, str) and re.match(LANG_PATTERN, c) for c in raw_codes):
                self.languages = tuple(dict.fromkeys(c for c in raw_codes if isinstance(c, str)))
        config: SiteConfig | None = self.model(SiteConfig, doc, raw)
        if config is None:
            return None, (), "en"
        languages = resolve_languages(config)
        codes = [lang.code for lang in languages]
        for index, code in enumerate(codes):
            if code in codes[:index]:
                self.error(
                    doc.source,
                    doc.mark(("languages", index)),
                    ("languages", index),
                    f"language '{code}' is listed twice",
                    "duplicate",
                )
        default: str = config.default_language or codes[0]
        if default not in codes:
            self.error(
                doc.source,
                doc.mark(("default_language",)),
                ("default_language",),
                f"default language '{default}' is not one of the site's languages ({', '.join(codes)})",
                "unknown-language",
            )
        for index, lang in enumerate(languages):
            try:
                lang.native_name  # noqa: B018 - fails for a locale Babel does not know
            except (ValueError, LookupError):
                self.error(
                    doc.source,
                    doc.mark(("languages", index)),
                    ("languages", index),
                    f"unknown locale '{lang.locale}'; use a code like en, nl or nl_BE",
                    "unknown-language",
                )
            else:
                if lang.locale.replace("-", "_").split("_")[0].lower() != lang.code:
                    self.error(
                        doc.source,
                        doc.mark(("languages", index, "locale")),
                        ("languages", index, "locale"),
                        f"locale '{lang.locale}' is for another language than '{lang.code}'; "
                        f"use '{lang.code}' or a regional form of it, e.g. "
                        f"'{_regional_locale(lang.code)}'",
                        "unknown-language",
                    )
            segs = list(lang.segments.values())
            dupes = sorted({s for s in segs if segs.count(s) > 1})
            if dupes:
                self.error(
                    doc.source,
                    doc.mark(("languages", index)),
                    ("languages", index),
                    f"two URL segments are both '{dupes[0]}'",
                    "duplicate",
                )
        self.check_translations(doc.source, doc, config, ())
        return config, languages, default

    def networks(self) -> dict[str, Network] | None:
        doc = self.sources.networks
        if doc is None:
            return None
        registry = self.model(NetworkRegistry, doc, doc.data)
        if registry is None:
            return None
        result = {}
        for nid, network in registry.networks.items():
            self.check_translations(doc.source, doc, network, ("networks", nid))
            result[nid] = network.model_copy(update={"id": nid})
        return result

    def accessibility(self) -> AccessibilityStatement | None:
        doc = self.sources.accessibility
        if doc is None:
            return None
        statement: AccessibilityStatement | None = self.model(AccessibilityStatement, doc, doc.data)
        if statement is None:
            return None
        self.check_translations(doc.source, doc, statement, ())
        today = dt.date.today()
        if statement.evaluated is not None and (today - statement.evaluated).days > 3 * 365:
            self.warn(
                doc.source,
                doc.mark(("evaluated",)),
                ("evaluated",),
                "the last evaluation is more than 36 months old; Dutch rules ask for a new one",
                "stale-statement",
            )
        if (today - statement.reviewed).days > 365:
            self.warn(
                doc.source,
                doc.mark(("reviewed",)),
                ("reviewed",),
                "the statement was not reviewed in the last 12 months",
                "stale-statement",
            )
        return statement

    def city(self, src: CitySource) -> City | None:

        if not re.match(SLUG_PATTERN, src.id) or len(src.id) > 64:
            self.problems.append(
                Problem(
                    src.folder,
                    message=f"'{src.id}' is not a valid city folder name; use lower-case letters, "
                    "digits and hyphens, e.g. den-haag",
                    code="bad-slug",
                )
            )
            return None
        doc = src.document
        if doc is None:
            return None
        if isinstance(doc.data, dict):
            for reserved in ("id", "narrative"):
                if reserved in doc.data:
                    where = doc.mark((reserved,), prefer_key=True)
                    hint = (
                        "the id is the folder name"
                        if reserved == "id"
                        else "the narrative lives in narrative.<language>.md files"
                    )
                    self.error(
                        doc.source,
                        where,
                        (reserved,),
                        f"unknown field '{reserved}' ({hint})",
                        "unknown-field",
                    )
                    return None
        narrative = self.prose(src.prose, allowed=("narrative",))
        city: City | None = self.model(
            City, doc, doc.data, id=src.id, narrative=narrative.get("narrative", {})
        )
        if city is None:
            return None
        self.check_translations(doc.source, doc, city, ())
        for path, message in _placeholders(city, ()):
            self.warn(doc.source, doc.mark(path), path, message, "todo")
        missing = [lang for lang in self.languages if lang not in city.narrative]
        if missing and len(missing) < len(self.languages):
            self.warn(
                doc.source,
                None,
                ("narrative",),
                f"no narrative.{missing[0]}.md: the {missing[0]} page shows the narrative of another language",
                "missing-translation",
            )
        elif missing:
            self.warn(
                doc.source,
                None,
                ("narrative",),
                "this city has no narrative.<language>.md yet",
                "empty-section",
            )
        if not city.contacts:
            self.warn(
                doc.source,
                doc.mark(()),
                ("contacts",),
                "no contacts: readers cannot reach anyone",
                "empty-section",
            )
        return city

    def prose(
        self, files: dict[tuple[str, str], SourceText], allowed: Sequence[str]
    ) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {}
        for (name, lang), source in sorted(files.items()):
            if name not in allowed:
                self.error(
                    source,
                    None,
                    (),
                    f"unexpected file name '{name}'; expected "
                    + " or ".join(f"{a}.<language>.md" for a in allowed),
                    "unexpected-file",
                )
                continue
            if self.languages and lang not in self.languages:
                self.error(
                    source,
                    None,
                    (),
                    f"unknown language '{lang}' in the file name; this site's "
                    f"languages are {', '.join(self.languages)}",
                    "unknown-language",
                )
                continue
            issue = self.markdown.check(source.text)
            if issue is not None:
                self.error(source, Mark(issue.line, 1), (), issue.message, "markdown-too-deep")
                continue
            h1 = self.markdown.has_h1(source.text)
            if h1 is not None:
                self.warn(
                    source,
                    Mark(h1, 1),
                    (),
                    "start headings at level 2 (##); the page title is the level-1 heading",
                    "heading-level",
                )
            if not source.text.strip():
                self.warn(source, None, (), "this file is empty", "empty-section")
                continue
            if source.text.lstrip().startswith(TODO_MARKER):
                self.warn(source, Mark(1, 1), (), "still to do: replace the TODO text", "todo")
            result.setdefault(name, {})[lang] = self.markdown.render(source.text)
        return result

    def pages(self) -> dict[tuple[str, str], str]:
        rendered = self.prose(self.sources.pages, allowed=KNOWN_PAGES)
        result = {
            (name, lang): html
            for name, by_lang in rendered.items()
            for lang, html in by_lang.items()
        }
        for lang in self.languages:
            if ("about", lang) not in result and self.sources.site is not None:
                self.warn(
                    self.sources.site.source,
                    None,
                    (),
                    f"content/pages/about.{lang}.md is missing; "
                    "the about page shows another language",
                    "missing-translation",
                )
        return result

    def cross_check(self, cities: list[City], networks: dict[str, Network] | None) -> None:
        """References between files; references to a registry that failed are not checked."""
        ids = {c.id for c in cities}
        seen_slugs: dict[tuple[str, str], str] = {}

        sources = {s.id: s for s in self.sources.cities}  # a dict: a linear scan was O(N²)
        for city in cities:
            src = sources[city.id]
            doc = src.document
            assert doc is not None
            bad_slugs: set[str] = set()
            clashes: dict[tuple[str, str], list[str]] = {}
            for lang in self.languages:
                slug = city.url_slug(lang)
                if not re.match(SLUG_PATTERN, slug) and slug not in bad_slugs:
                    bad_slugs.add(slug)  # a plain-text slug is shared by all languages
                    where: DataPath = ("slug", lang)
                    if isinstance(doc.data, dict) and isinstance(doc.data.get("slug"), str):
                        where = ("slug",)
                    self.error(
                        doc.source,
                        doc.mark(where),
                        where,
                        f"'{slug}' cannot be used in a URL; use lower-case letters, digits and hyphens",
                        "bad-slug",
                    )
                other = seen_slugs.get((lang, slug))
                if other is not None:
                    clashes.setdefault((other, slug), []).append(lang)
                seen_slugs[(lang, slug)] = city.id
            for (other, slug), langs in clashes.items():
                self.error(
                    doc.source,
                    doc.mark(("slug",)),
                    ("slug",),
                    f"two cities have the URL name '{slug}' in {' and '.join(langs)}: "
                    f"{other} and {city.id}",
                    "duplicate-slug",
                )
            used: set[str] = set()
            for index, membership in enumerate(city.memberships):
                path: DataPath = ("memberships", index, "network")
                if networks is None:
                    continue
                if membership.network not in networks:
                    close = difflib.get_close_matches(
                        membership.network, list(networks), n=1, cutoff=0.6
                    )
                    hint = (
                        f"; did you mean '{close[0]}'?"
                        if close
                        else "; add it to content/networks.yaml first"
                    )
                    self.error(
                        doc.source,
                        doc.mark(path),
                        path,
                        f"unknown network '{membership.network}'{hint}",
                        "unknown-reference",
                    )
                elif membership.network in used:
                    self.error(
                        doc.source,
                        doc.mark(path),
                        path,
                        f"'{membership.network}' is listed twice",
                        "duplicate",
                    )
                used.add(membership.network)
            if city.sdgs is not None:
                goals: set[int] = set()
                for index, link in enumerate(city.sdgs.goals):
                    if link.goal in goals:
                        path = ("sdgs", "goals", index, "goal")
                        self.error(
                            doc.source,
                            doc.mark(path),
                            path,
                            f"SDG {link.goal} is listed twice; describe all work on it in one entry",
                            "duplicate",
                        )
                    goals.add(link.goal)
            contact_ids: set[str] = set()
            for index, contact in enumerate(city.contacts):
                if contact.id in contact_ids:
                    path = ("contacts", index, "id")
                    self.error(
                        doc.source,
                        doc.mark(path),
                        path,
                        f"contact id '{contact.id}' is used twice",
                        "duplicate",
                    )
                contact_ids.add(contact.id)
            if (
                city.delegations is not None
                and city.delegations.contact is not None
                and city.delegations.contact not in contact_ids
            ):
                path = ("delegations", "contact")
                self.error(
                    doc.source,
                    doc.mark(path),
                    path,
                    f"no contact with id '{city.delegations.contact}' in this city's contacts"
                    + (f" ({', '.join(sorted(contact_ids))})" if contact_ids else ""),
                    "unknown-reference",
                )
            for index, partner in enumerate(city.partners):
                if partner.city is None:
                    continue
                path = ("partners", index, "city")
                if partner.city == city.id:
                    self.error(
                        doc.source,
                        doc.mark(path),
                        path,
                        "a city cannot be its own partner",
                        "unknown-reference",
                    )
                elif partner.city not in ids:
                    self.error(
                        doc.source,
                        doc.mark(path),
                        path,
                        f"no city '{partner.city}' in content/cities/; remove the line or add the city",
                        "unknown-reference",
                    )

    def check_translations(
        self, source: SourceText, doc: YamlDocument, obj: Any, base: DataPath
    ) -> None:
        """Warn for each :class:`Text` lacking a language, and for TODO markers left by ``new``."""
        for path, text in _walk_texts(obj, base):
            for lang in self.languages:
                value = text.get(lang)
                if value is None:
                    self.warn(
                        source,
                        doc.mark(path),
                        path,
                        f"no {lang} translation",
                        "missing-translation",
                    )
                elif value.startswith(TODO_MARKER):
                    self.warn(
                        source,
                        doc.mark((*path, lang)),
                        (*path, lang),
                        "still to do: replace the TODO text",
                        "todo",
                    )


def _walk_texts(obj: Any, path: DataPath) -> Iterator[tuple[DataPath, Text]]:
    if isinstance(obj, Text):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name in ("id", "narrative"):
                continue
            yield from _walk_texts(getattr(obj, name), (*path, name))
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from _walk_texts(item, (*path, index))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _walk_texts(item, (*path, key))


def _placeholders(obj: Any, path: DataPath) -> Iterator[tuple[DataPath, str]]:
    """Values that ``cityprofiles new city`` leaves to fill in, outside translated text: plain
    text starting with TODO, addresses on the reserved ``.invalid`` domain, and 0, 0 coordinates.
    """
    if isinstance(obj, Text):
        return
    if isinstance(obj, str):
        host = obj.rsplit("@", 1)[-1].split("://", 1)[-1].split("/", 1)[0].lower()
        if obj.startswith(TODO_MARKER) or host.endswith(".invalid"):
            yield path, "still to do: replace the placeholder"
    elif isinstance(obj, Coordinates):
        if obj.lat == 0 and obj.lon == 0:
            yield path, "still to do: put the city on the map (lat and lon are 0)"
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name not in ("id", "narrative"):
                yield from _placeholders(getattr(obj, name), (*path, name))
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from _placeholders(item, (*path, index))


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text '{_short(value)}'"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    return f"'{value}'"


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clean_loc(data: Any, loc: Sequence[str | int]) -> tuple[DataPath, bool]:
    """Map a pydantic error location onto the data path (dropping union/type tags)."""
    current = data
    path: list[str | int] = []
    for index, part in enumerate(loc):
        if (isinstance(current, dict) and isinstance(part, str) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        ):
            path.append(part)
            current = current[part]  # type: ignore[index]
        elif index == len(loc) - 1 and isinstance(part, str | int):
            path.append(part)
            return tuple(path), False
    return tuple(path), True


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _annotation_at(cls: Any, path: DataPath) -> Any:
    current: Any = cls
    for part in path:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(part, str) and isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        elif origin is list and isinstance(part, int):
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[1]
        elif isinstance(current, type) and issubclass(current, dict):
            return str
        else:
            return None
    return _unwrap(current)


def _fields_at(cls: Any, path: DataPath) -> list[str]:
    target = _annotation_at(cls, path)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return [n for n in target.model_fields if n not in ("id", "narrative")]
    return []


def _message(err: Any, annotation: Any) -> str:
    kind = err["type"]
    given = err.get("input")
    ctx = err.get("ctx") or {}
    is_text = isinstance(annotation, type) and issubclass(annotation, Text)
    if kind == "dict_type" and is_text:
        message = (
            f"expected one value per language on its own line (en: …, nl: …), got {_kind(given)}"
        )
        if isinstance(annotation, type) and annotation.__name__ == "Name":
            message = f"expected a name (text, or en: … and nl: … lines), got {_kind(given)}"
        if isinstance(given, int | float):
            message += "; put the value in quotes"
        return message
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of fields (key: value lines), got {_kind(given)}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {_kind(given)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_kind(given)}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {_kind(given)}"
    if kind in ("string_type",):
        if isinstance(given, int | float):  # bool is an int too
            return (
                f"expected text, got {_kind(given)}; put the value in quotes so it is read "
                "as text exactly as written"
            )
        return f"expected text, got {_kind(given)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_kind(given)}"
    if kind.startswith("date_"):
        return f"expected a date like 2024-05-31, got {_kind(given)}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern == SLUG_PATTERN or "a-z0-9" in pattern:
            return (
                f"'{_short(given)}' is not a valid id; use lower-case letters, digits and hyphens"
            )
        if "A-Z]{2}" in pattern:
            return f"'{_short(given)}' is not a two-letter country code like NL or BE"
        if "[a-z]{2,3}" in pattern:
            return f"'{_short(given)}' is not a language code like en or nl"
        if "#[0-9A-Fa-f]" in pattern:
            return f"'{_short(given)}' is not a colour like #1A2B3C"
        return f"'{_short(given)}' does not have the expected form"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {
            "greater_than": ("more than", "gt"),
            "greater_than_equal": ("at least", "ge"),
            "less_than": ("less than", "lt"),
            "less_than_equal": ("at most", "le"),
        }[kind]
        limit = ctx.get(words[1])
        return f"must be {words[0]} {limit}, got {_kind(given)}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '')}, got {_kind(given)}"
    if kind in ("too_short",) and isinstance(given, list):
        return "the list is empty; add at least one item"
    if kind == "string_too_short":
        return "the text is empty"
    if kind == "string_too_long":
        return f"the text is too long (at most {ctx.get('max_length')} characters)"
    return str(err.get("msg", "invalid value"))


def validate_sources(sources: Sources, problems: list[Problem] | None = None) -> Site:
    """Validate loaded sources into a :class:`Site`, or raise :class:`ContentError` with all problems."""
    return Validator(sources, problems).run()
