"""The site as each language's pages list it: cities and networks by their names in that
language (:mod:`cityprofiles.i18n.collation`), not by folder name.

Every list a template shows follows from these two orders: the cities and networks
indexes, the home page, the compare page (rows, columns and the Goals' matrix), each
network's member cities and each Goal's cities. Addresses stay by id wherever order is
not for reading: the URL table, and with it the sitemap and the search index, and the
open data, so those files do not change when a name does.
"""

from __future__ import annotations

import dataclasses

from cityprofiles.i18n import by_name, pick
from cityprofiles.model import Language, Site, Text


def in_name_order(site: Site, language: Language) -> Site:
    """``site`` with its cities and networks ordered by their names in ``language`` (the
    name shown on its pages: the translation, or the fallback the page shows)."""
    order = site.fallback_order(language.code)

    def shown(text: Text) -> str:
        found = pick(text, language.code, order)
        return found.text if found is not None else ""

    cities = by_name(site.cities, lambda city: shown(city.name), language.code)
    networks = by_name(site.networks.items(), lambda item: shown(item[1].name), language.code)
    return dataclasses.replace(site, cities=tuple(cities), networks=dict(networks))
