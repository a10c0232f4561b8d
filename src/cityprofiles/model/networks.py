"""The shared registry of city networks (``content/networks.yaml``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from cityprofiles.model.fields import SLUG_PATTERN, Model, Name, Text, Url


class Network(Model):
    """A city network in the shared registry (``content/networks.yaml``)."""

    id: SkipJsonSchema[str] = Field("", exclude=True)
    name: Name
    acronym: str | None = None
    website: Url
    scope: Literal["european", "global", "national", "regional"] = "european"
    description: Text


class NetworkRegistry(Model):
    """``content/networks.yaml``: every network a city can be a member of, by id."""

    networks: dict[Annotated[str, Field(pattern=SLUG_PATTERN)], Network]
