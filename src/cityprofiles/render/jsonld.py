"""schema.org JSON-LD for city pages: the City, and the municipality as a GovernmentOrganization.

Memberships belong to the organisation (``memberOf`` is not defined on Place),
modelled as ``OrganizationRole`` so the role and start year survive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cityprofiles.i18n.catalogues import pick
from cityprofiles.model.city import City, Network


def city_graph(
    city: City,
    lang: str,
    order: tuple[str, ...],
    page_url: str,
    networks: Mapping[str, Network],
    network_urls: Mapping[str, str],
) -> dict[str, Any]:
    """The JSON-LD graph for one city page in one language."""

    def text(value: dict[str, str] | None) -> str | None:
        if value is None:
            return None
        found = pick(value, lang, order)
        return found.text if found else None

    city_id = f"{page_url}#city"
    org_id = f"{page_url}#organisation"
    contact_points = []
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
        contact_points.append(point)
    member_of = []
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
        member_of.append(role)
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
        "@id": org_id,
        "name": text(city.organisation),
        "url": city.website,
        "areaServed": {"@id": city_id},
        "contactPoint": contact_points,
        "memberOf": member_of,
    }
    return {"@context": "https://schema.org", "@graph": [place, organisation]}
