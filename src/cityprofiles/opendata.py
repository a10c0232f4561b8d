"""Open data: the content again, for machines — JSON per city, CSV per collection, Atom, vCard.

Researchers and data portals reuse what the site publishes, so every file here is
derived from the *validated* model and nothing else: a city's JSON is exactly
``City.model_dump(mode="json")`` (described by ``data/schema/city.schema.json``,
generated from the same model), and the CSV columns are flat views of it. URLs are
stable and language-neutral except where the file holds prose for readers (the Atom
feed and the vCards, one per language). No file carries a build timestamp: two builds
of the same content produce the same bytes, so hosts and caches see no false updates.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from babel.dates import format_date

from cityprofiles.i18n import pick
from cityprofiles.model import City, Contact, Coordinates
from cityprofiles.routes import Router
from cityprofiles.site import Site


def escape(text: str) -> str:
    """XML character data: ``&``, ``<`` and ``>`` escaped (as ``xml.sax.saxutils.escape``,
    whose import pulls in ``urllib.request``: a tenth of a preview edit's imports)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes, as ``xml.sax.saxutils.quoteattr``."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in text:
        if "'" in text:
            return '"{}"'.format(text.replace('"', "&quot;"))
        return f"'{text}'"
    return f'"{text}"'


DATA = "data/"
SCHEMA_PATH = DATA + "schema/city.schema.json"

#: Readable names of common SPDX licence ids; others are shown as their id.
LICENCE_NAMES = {
    "CC0-1.0": "Creative Commons Zero v1.0 Universal",
    "CC-BY-4.0": "Creative Commons Attribution 4.0 International",
    "CC-BY-SA-4.0": "Creative Commons Attribution Share Alike 4.0 International",
    "ODbL-1.0": "Open Data Commons Open Database License v1.0",
    "PDDL-1.0": "Open Data Commons Public Domain Dedication & License 1.0",
    "EUPL-1.2": "European Union Public License 1.2",
}


def city_json_path(city_id: str) -> str:
    """``data/cities/utrecht.json``: the stable address of a city's profile as JSON."""
    return f"{DATA}cities/{city_id}.json"


def collection_path(name: str) -> str:
    """``data/memberships.csv``: one of the :data:`COLLECTIONS` as CSV."""
    return f"{DATA}{name}.csv"


def feed_path(lang: str) -> str:
    """``en/updates.atom``: the Atom feed of profile updates in one language."""
    return f"{lang}/updates.atom"


def vcard_path(city_id: str, contact_id: str, lang: str) -> str:
    """``data/contacts/utrecht/delegations.nl.vcf``: one contact, labelled in one language."""
    return f"{DATA}contacts/{city_id}/{contact_id}.{lang}.vcf"


def licence_url(spdx: str) -> str:
    """The SPDX page of a licence id, e.g. https://spdx.org/licenses/CC-BY-4.0.html."""
    return f"https://spdx.org/licenses/{spdx}.html"


#: The CSV collections, each published as ``data/<name>.csv``.
COLLECTIONS = ("cities", "memberships", "sdg-links", "partners", "partnerships")


@dataclass(frozen=True)
class Collection:
    """One CSV file: a flat table of one kind of record across all cities."""

    name: str
    path: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


# -- CSV -----------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value)


def _per_lang(value: Mapping[str, str] | None, langs: Sequence[str]) -> list[str]:
    """One column per language; a missing translation stays empty (raw data, no fallback)."""
    return [(value or {}).get(lang, "") for lang in langs]


def _lang_columns(prefix: str, langs: Sequence[str]) -> list[str]:
    return [f"{prefix}_{lang}" for lang in langs]


def collections(site: Site) -> tuple[Collection, ...]:
    """The CSV collections: cities, memberships, SDG links, partner cities, partnerships."""
    langs = site.language_codes
    cities: list[tuple[str, ...]] = []
    memberships: list[tuple[str, ...]] = []
    goals: list[tuple[str, ...]] = []
    partners: list[tuple[str, ...]] = []
    partnerships: list[tuple[str, ...]] = []
    for city in site.cities:
        period = city.strategy.period
        cities.append(
            (
                city.id,
                *_per_lang(city.name, langs),
                city.country,
                *_per_lang(city.region, langs),
                _cell(city.population.value if city.population else None),
                _cell(city.population.year if city.population else None),
                _cell(city.coordinates.lat),
                _cell(city.coordinates.lon),
                city.website,
                *_per_lang(city.strategy.title, langs),
                _cell(period.start if period else None),
                _cell(period.end if period else None),
                str(len(city.memberships)),
                str(len(city.sdgs.goals) if city.sdgs else 0),
                city.last_reviewed.isoformat(),
            )
        )
        for m in city.memberships:
            memberships.append(
                (
                    city.id,
                    m.network,
                    *_per_lang(site.networks[m.network].name, langs),
                    *_per_lang(m.role, langs),
                    _cell(m.since),
                )
            )
        for link in city.sdgs.goals if city.sdgs else ():
            sdg = site.sdg(link.goal)
            goals.append(
                (
                    city.id,
                    str(link.goal),
                    *_per_lang(sdg.name, langs),
                    *_per_lang(link.description, langs),
                )
            )
        for p in city.partners:
            point = partner_coordinates(site, p.city, p.coordinates)
            partners.append(
                (
                    city.id,
                    *_per_lang(p.name, langs),
                    p.country,
                    p.kind,
                    _cell(p.since),
                    p.city or "",
                    _cell(point[0] if point else None),
                    _cell(point[1] if point else None),
                )
            )
        for ps in city.partnerships:
            partnerships.append(
                (
                    city.id,
                    *_per_lang(ps.name, langs),
                    _cell(ps.since),
                    "; ".join(_default_text(site, m) for m in ps.members),
                    ps.url or "",
                )
            )
    return (
        Collection(
            "cities",
            collection_path("cities"),
            (
                "city",
                *_lang_columns("name", langs),
                "country",
                *_lang_columns("region", langs),
                "population",
                "population_year",
                "lat",
                "lon",
                "website",
                *_lang_columns("strategy", langs),
                "strategy_start",
                "strategy_end",
                "networks",
                "sdgs",
                "last_reviewed",
            ),
            tuple(cities),
        ),
        Collection(
            "memberships",
            collection_path("memberships"),
            (
                "city",
                "network",
                *_lang_columns("network", langs),
                *_lang_columns("role", langs),
                "since",
            ),
            tuple(memberships),
        ),
        Collection(
            "sdg-links",
            collection_path("sdg-links"),
            ("city", "goal", *_lang_columns("goal", langs), *_lang_columns("description", langs)),
            tuple(goals),
        ),
        Collection(
            "partners",
            collection_path("partners"),
            (
                "city",
                *_lang_columns("partner", langs),
                "country",
                "kind",
                "since",
                "partner_city",
                "lat",
                "lon",
            ),
            tuple(partners),
        ),
        Collection(
            "partnerships",
            collection_path("partnerships"),
            ("city", *_lang_columns("partnership", langs), "since", "members", "url"),
            tuple(partnerships),
        ),
    )


def _default_text(site: Site, value: Mapping[str, str]) -> str:
    found = pick(value, site.default_language, site.language_codes)
    return found.text if found else ""


def partner_coordinates(
    site: Site, city_id: str | None, own: Coordinates | None
) -> tuple[float, float] | None:
    """Where a partner is: the profiled city's coordinates if it has a profile, else its own."""
    profiled = site.city(city_id) if city_id else None
    if profiled is not None:
        return (profiled.coordinates.lat, profiled.coordinates.lon)
    if own is not None:
        return (own.lat, own.lon)
    return None


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(cell: object) -> object:
    """Keep a spreadsheet from running text as a formula (CSV injection).

    Text that starts like a formula gets a leading apostrophe, which spreadsheets
    show as plain text; numbers such as ``-3.2`` stay numbers.

    >>> defuse_formula("=1+1"), defuse_formula("-3.2"), defuse_formula("Gent")
    ("'=1+1", '-3.2', 'Gent')
    """
    if not isinstance(cell, str) or not cell.startswith(_FORMULA_START):
        return cell
    try:
        float(cell)
    except ValueError:
        return "'" + cell
    return cell


def csv_bytes(collection: Collection) -> bytes:
    """RFC 4180 CSV: UTF-8, comma-separated, CRLF line ends, a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(collection.columns)
    writer.writerows([defuse_formula(cell) for cell in row] for row in collection.rows)
    return buffer.getvalue().encode("utf-8")


# -- JSON ----------------------------------------------------------------------


def city_json(city: City) -> bytes:
    """The validated profile, exactly as the model serialises it (pydantic's own JSON
    writer: the same bytes as ``json.dumps(model_dump(mode="json"), indent=2)``, 6x faster)."""
    return (city.model_dump_json(indent=2) + "\n").encode("utf-8")


def city_schema() -> bytes:
    """The JSON Schema of the city files, generated from the same model that validates them."""
    schema = City.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- Atom ----------------------------------------------------------------------


def atom_feed(site: Site, router: Router, lang: str, gettext: Callable[[str], str]) -> bytes:
    """Profile updates in one language, newest first; ``updated`` is each ``last_reviewed``."""
    order = site.fallback_order(lang)

    def text(value: Mapping[str, str]) -> str:
        found = pick(value, lang, order)
        return found.text if found else ""

    base = site.config.base_url
    self_url = base + feed_path(lang)
    cities = sorted(site.cities, key=lambda c: (c.last_reviewed, c.id), reverse=True)
    newest = cities[0].last_reviewed if cities else site.accessibility.reviewed
    title = gettext("Profile updates") + " – " + text(site.config.title)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"  <title>{escape(title)}</title>",
        f"  <subtitle>{escape(text(site.config.tagline))}</subtitle>",
        f"  <id>{escape(self_url)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(self_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(router.absolute(router.get("cities", "", lang)))}/>',
        f"  <updated>{newest.isoformat()}T00:00:00Z</updated>",
        f"  <author><name>{escape(text(site.config.publisher))}</name></author>",
    ]
    if site.config.data_licence:
        rights = gettext("Data licence: %(licence)s") % {"licence": site.config.data_licence}
        lines.append(f"  <rights>{escape(rights)}</rights>")
    locale = site.language(lang).locale
    reviewed = gettext("Profile last reviewed on %(date)s.")
    for city in cities:
        url = router.absolute(router.get("city", city.id, lang))
        # the human date in the page language's locale, as on the page ("23 November 2026")
        when = format_date(city.last_reviewed, format="long", locale=locale)
        summary = text(city.summary) + " " + reviewed % {"date": when}
        lines += [
            "  <entry>",
            f"    <title>{escape(text(city.name))}</title>",
            f"    <id>{escape(url)}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f'    <link rel="alternate" type="application/json" href={quoteattr(base + city_json_path(city.id))}/>',
            f"    <updated>{city.last_reviewed.isoformat()}T00:00:00Z</updated>",
            f"    <summary>{escape(summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- vCard ---------------------------------------------------------------------


def vcard_escape(value: str) -> str:
    r"""Escape a vCard TEXT value (RFC 6350 3.4): backslash, comma, semicolon, newline.

    >>> vcard_escape("Stadsplateau 1; Utrecht, NL\nfloor 2")
    'Stadsplateau 1\\; Utrecht\\, NL\\nfloor 2'
    """
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def vcard_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 6350 3.2) without splitting a UTF-8 character.

    >>> vcard_fold("NOTE:" + "é" * 40).split("\\r\\n ")[0].encode()[-2:] == "é".encode()
    True
    """
    if len(line) <= 18 or len(line.encode("utf-8")) <= 75:  # 18 chars are at most 72 bytes
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def vcard(site: Site, city: City, contact: Contact, lang: str, page_url: str) -> bytes:
    """One contact as a vCard 4.0, its labels in ``lang`` (falling back like the pages)."""
    order = site.fallback_order(lang)

    def text(value: Mapping[str, str] | None) -> str:
        found = pick(value, lang, order) if value else None
        return found.text if found else ""

    organisation = text(city.organisation)
    purpose = text(contact.purpose)
    person = text(contact.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"PRODID:{vcard_escape('-//cityprofiles//vCard export//EN')}",
        f"KIND:{'individual' if person else 'org'}",
        f"FN:{vcard_escape(person or f'{organisation} – {purpose}')}",
        f"ORG:{vcard_escape(organisation)}",
        f"LANG:{lang}",
    ]
    if person:
        lines.append(f"ROLE:{vcard_escape(purpose)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=work:{contact.email}")
    if contact.phone:
        lines.append(f"TEL;VALUE=uri;TYPE=work,voice:tel:{contact.phone}")
    if contact.address:
        lines.append(f"ADR;TYPE=work:;;{vcard_escape(text(contact.address))};;;;")
    if contact.url:
        lines.append(f"URL:{contact.url}")
    lines.append(f"NOTE:{vcard_escape(purpose + ' – ' + text(city.name))}")
    lines.append(f"SOURCE:{page_url}")
    lines.append(f"REV:{city.last_reviewed.strftime('%Y%m%d')}T000000Z")
    lines.append("END:VCARD")
    return ("\r\n".join(vcard_fold(line) for line in lines) + "\r\n").encode("utf-8")


# -- all together --------------------------------------------------------------


class OpenData(Mapping[str, bytes]):
    """Every open-data file by output path, each made when it is read.

    The paths follow from ids alone, so they are known up front. A city's files are
    made one at a time and not kept (at 10 000 cities they would hold 100 MB while the
    writer streams them out), and an incremental build that keeps a city's previous
    files never serialises that city at all. The files about all cities are made
    together, once."""

    def __init__(
        self, site: Site, router: Router, gettexts: Mapping[str, Callable[[str], str]]
    ) -> None:
        self.site, self.router, self.gettexts = site, router, gettexts
        recipes: dict[str, tuple[str, ...]] = {SCHEMA_PATH: ()}
        recipes.update({collection_path(name): () for name in COLLECTIONS})
        recipes.update({feed_path(lang): () for lang in site.language_codes})
        for city in site.cities:
            recipes[city_json_path(city.id)] = (city.id,)
            for lang in site.language_codes:
                for contact in city.contacts:
                    recipes[vcard_path(city.id, contact.id, lang)] = (city.id, contact.id, lang)
        self._recipes = dict(sorted(recipes.items()))
        self._shared: dict[str, bytes] | None = None
        self._sizes: dict[str, int] = {}

    def owner(self, path: str) -> str | None:
        """The id of the city ``path`` belongs to; ``None`` for a file about all cities."""
        recipe = self._recipes[path]
        return recipe[0] if recipe else None

    def size(self, path: str) -> int:
        """The length of a file in bytes (remembered: the data page lists every file's size)."""
        found = self._sizes.get(path)
        if found is None:
            found = self._sizes[path] = len(self[path])
        return found

    def __getitem__(self, path: str) -> bytes:
        recipe = self._recipes[path]  # KeyError for a path that is not open data
        if not recipe:
            if self._shared is None:
                self._shared = shared_files(self.site, self.router, self.gettexts)
            return self._shared[path]
        city = self.site.city(recipe[0])
        assert city is not None
        if len(recipe) == 1:
            return city_json(city)
        contact = next(c for c in city.contacts if c.id == recipe[1])
        lang = recipe[2]
        page = self.router.absolute(self.router.get("city", city.id, lang))
        return vcard(self.site, city, contact, lang, page)

    def __iter__(self) -> Iterator[str]:
        return iter(self._recipes)

    def __len__(self) -> int:
        return len(self._recipes)


def shared_files(
    site: Site, router: Router, gettexts: Mapping[str, Callable[[str], str]]
) -> dict[str, bytes]:
    """The files about all cities: the schema, the CSV collections, the Atom feeds."""
    files: dict[str, bytes] = {SCHEMA_PATH: city_schema()}
    for collection in collections(site):
        files[collection.path] = csv_bytes(collection)
    for lang in site.language_codes:
        files[feed_path(lang)] = atom_feed(site, router, lang, gettexts[lang])
    return files
