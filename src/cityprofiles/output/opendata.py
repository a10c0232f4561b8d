"""Open data: the content again, for machines — JSON per city, CSV per collection, Atom, vCard.

Researchers and data portals reuse what the site publishes, so every file here is
derived from the *validated* model and nothing else: a city's JSON is exactly
``City.model_dump(mode="json")`` (described by ``data/schema/city.schema.json``,
generated from the same model), and the CSV columns are flat views of it. URLs are
stable and language-neutral except where the file holds prose for readers (the Atom
feed and the vCards, one per language). No file carries a build timestamp: two builds
of the same content produce the same bytes, so hosts and caches see no false updates.

The files: ``tables`` (CSV), ``feeds`` (Atom) and ``vcards`` (vCard); this module
holds the JSON and the mapping of every file by its path.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping

from cityprofiles.model import City, Site
from cityprofiles.output.feeds import atom_feed
from cityprofiles.output.tables import collections, csv_bytes
from cityprofiles.output.vcards import vcard
from cityprofiles.render import (
    COLLECTIONS,
    SCHEMA_PATH,
    Router,
    city_json_path,
    collection_path,
    feed_path,
    vcard_path,
)


def city_json(city: City) -> bytes:
    """The validated profile, exactly as the model serialises it (pydantic's own JSON
    writer: the same bytes as ``json.dumps(model_dump(mode="json"), indent=2)``, 6x faster)."""
    return (city.model_dump_json(indent=2) + "\n").encode("utf-8")


def city_schema() -> bytes:
    """The JSON Schema of the city files, generated from the same model that validates them."""
    schema = City.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


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

    def know_sizes(self, sizes: Mapping[str, int]) -> None:
        """Sizes of files known to be as a previous run made them (not made again to
        measure them: the data page of 1 000 cities would serialise each city)."""
        self._sizes.update((path, size) for path, size in sizes.items() if path in self._recipes)

    def known_sizes(self) -> dict[str, int]:
        """The sizes measured (or told) so far."""
        return dict(self._sizes)

    def __getitem__(self, path: str) -> bytes:
        recipe = self._recipes[path]  # KeyError for a path that is not open data
        if not recipe:
            if self._shared is None:
                self._shared = {}
            if path not in self._shared:  # made by kind: the data page measures no feed
                self._shared.update(shared_files(self.site, self.router, self.gettexts, path))
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
    site: Site,
    router: Router,
    gettexts: Mapping[str, Callable[[str], str]],
    path: str | None = None,
) -> dict[str, bytes]:
    """The files about all cities: the schema, the CSV collections, the Atom feeds
    (``path``: only the files made with it: the schema, every collection, or one feed)."""
    files: dict[str, bytes] = {}
    if path in (None, SCHEMA_PATH):
        files[SCHEMA_PATH] = city_schema()
    if path is None or path.endswith(".csv"):
        for collection in collections(site):
            files[collection.path] = csv_bytes(collection)
    for lang in site.language_codes:
        if path in (None, feed_path(lang)):
            files[feed_path(lang)] = atom_feed(site, router, lang, gettexts[lang])
    return files
