"""schema.org JSON-LD for city pages: the City, and the municipality as a GovernmentOrganization.

Memberships belong to the organisation (``memberOf`` is not defined on Place),
modelled as ``OrganizationRole`` so the role and start year survive.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cityprofiles.i18n import pick
from cityprofiles.model import City, Network

Text = Callable[[Mapping[str, str] | None], str | None]
"""A translated field in the page language (or its fallback)."""


def city_graph(
    city: City,
    lang: str,
    order: tuple[str, ...],
    page_url: str,
    networks: Mapping[str, Network],
    network_urls: Mapping[str, str],
) -> dict[str, Any]:
    """The JSON-LD graph for one city page in one language."""

    def text(value: Mapping[str, str] | None) -> str | None:
        if value is None:
            return None
        found = pick(value, lang, order)
        return found.text if found else None

    city_id = f"{page_url}#city"
    place: dict[str, Any] = {
        "@type": "City",
        "@id": city_id,
        "name": text(city.name),
        "url": page_url,
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": city.coordinates.lat,
            "longitude": city.coordinates.lon,
        },
        "containedInPlace": {"@type": "Country", "identifier": city.country},
    }
    if city.population is not None:
        place["population"] = city.population.value
    organisation: dict[str, Any] = {
        "@type": "GovernmentOrganization",
        "@id": f"{page_url}#organisation",
        "name": text(city.organisation),
        "url": city.website,
        "areaServed": {"@id": city_id},
        "contactPoint": _contact_points(city, text),
        "memberOf": _memberships(city, networks, network_urls, text),
    }
    return {"@context": "https://schema.org", "@graph": [place, organisation]}


def _contact_points(city: City, text: Text) -> list[dict[str, Any]]:
    points = []
    for contact in city.contacts:
        point: dict[str, Any] = {
            "@type": "ContactPoint",
            "contactType": text(contact.purpose),
            "availableLanguage": sorted(contact.purpose.keys()),
        }
        if contact.email:
            point["email"] = contact.email
        if contact.phone:
            point["telephone"] = contact.phone
        if contact.url:
            point["url"] = contact.url
        points.append(point)
    return points


def _memberships(
    city: City, networks: Mapping[str, Network], network_urls: Mapping[str, str], text: Text
) -> list[dict[str, Any]]:
    roles = []
    for membership in city.memberships:
        network = networks[membership.network]
        role: dict[str, Any] = {
            "@type": "OrganizationRole",
            "memberOf": {
                "@type": "Organization",
                "@id": network_urls[membership.network] + "#network",
                "name": text(network.name),
                "url": network.website,
            },
        }
        if membership.role:
            role["roleName"] = text(membership.role)
        if membership.since:
            role["startDate"] = str(membership.since)
        roles.append(role)
    return roles
