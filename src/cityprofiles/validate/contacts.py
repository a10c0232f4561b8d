"""A city's contacts: someone to reach, each with an id of its own, and the delegations
section pointing at one that exists."""

from __future__ import annotations

from cityprofiles.content import DataPath, YamlDocument
from cityprofiles.model import City
from cityprofiles.validate.partial import present
from cityprofiles.validate.problems import Collector


def check_contacts(collector: Collector, doc: YamlDocument, city: City) -> None:
    """Contact ids are unique and the delegations' contact is one of them."""
    if city.contacts is None:
        return  # not a list: its own error says so, and no id can be known
    ids: set[str] = set()
    for index, contact in present(city.contacts):
        if contact.id is None:
            continue  # an error of its own
        if contact.id in ids:
            path: DataPath = ("contacts", index, "id")
            message = f"contact id '{contact.id}' is used twice"
            collector.error(doc.source, doc.mark(path), path, message, "duplicate")
        ids.add(contact.id)
    wanted = city.delegations.contact if city.delegations is not None else None
    if wanted is not None and wanted not in ids:
        path = ("delegations", "contact")
        known = f" ({', '.join(sorted(ids))})" if ids else ""
        message = f"no contact with id '{wanted}' in this city's contacts{known}"
        collector.error(doc.source, doc.mark(path), path, message, "unknown-reference")


def check_reachable(collector: Collector, doc: YamlDocument, city: City) -> None:
    """A profile without contacts leaves readers nobody to ask (a warning)."""
    if city.contacts == []:  # None: the list has errors of its own
        message = "no contacts: readers cannot reach anyone"
        collector.warn(doc.source, doc.mark(()), ("contacts",), message, "empty-section")
