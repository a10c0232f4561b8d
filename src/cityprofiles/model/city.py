"""A city's profile: ``content/cities/<slug>/city.yaml`` plus ``narrative.<lang>.md``.

Field names are the YAML keys editors write, so a validation error's path is also
the path in the file. Docstrings on fields end up in the JSON Schema, which gives
editors hover help and completion in VS Code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from cityprofiles.model.fields import (
    LANG_PATTERN,
    NORMALISED,
    CountryCode,
    Date,
    Email,
    Model,
    Name,
    Phone,
    Since,
    Slug,
    Text,
    Url,
    Year,
)


class Coordinates(Model):
    """A point on the map, in decimal degrees (WGS 84)."""

    lat: float = Field(ge=-90, le=90, description="Latitude, e.g. 52.09")
    lon: float = Field(ge=-180, le=180, description="Longitude, e.g. 5.12")


class Population(Model):
    """Number of inhabitants, with the year it was counted."""

    value: int = Field(gt=0, strict=True)
    year: Year


class Mayor(Model):
    """The mayor, with the year this was last checked."""

    name: str = Field(min_length=1)
    as_of: Year


class Period(Model):
    """A policy period such as 2023–2030."""

    start: Year
    end: Year | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end is not None and self.end < self.start:
            raise PydanticCustomError(
                "period_order",
                "the period ends ({end}) before it starts ({start})",
                {"end": self.end, "start": self.start},
            )
        return self


class Document(Model):
    """A linked document such as a policy note or report."""

    title: Text
    url: Url
    language: str | None = Field(None, pattern=LANG_PATTERN, description="Language of the document")
    format: str | None = Field(None, description="File format, e.g. PDF")
    size: str | None = Field(None, description="File size as shown to readers, e.g. 10 MB")


class Strategy(Model):
    """The city's international strategy."""

    title: Text
    period: Period | None = None
    summary: Text
    spearheads: list[Text] = Field(default_factory=list, description="Spearheads or objectives")
    developments: list[Text] = Field(
        default_factory=list, description="International developments the strategy responds to"
    )
    documents: list[Document] = Field(default_factory=list)


class Membership(Model):
    """Membership of a network from the shared registry (content/networks.yaml)."""

    network: Slug = Field(description="Id of the network in content/networks.yaml")
    role: Text | None = None
    since: Since | None = None
    note: Text | None = None


class GoalLink(Model):
    """How local work contributes to one Sustainable Development Goal."""

    goal: int = Field(ge=1, le=17, strict=True, description="SDG number, 1 to 17")
    description: Text


class Commitment(Model):
    """A city-level SDG commitment, such as being a Global Goals City."""

    title: Text
    since: Since | None = None
    url: Url | None = None


class Report(Model):
    """A published SDG report: a voluntary local review or a sustainability report."""

    kind: Literal["voluntary-local-review", "sustainability-report", "other"]
    title: Text
    year: Year | None = None
    frequency: Literal["once", "annual"] = "once"
    url: Url | None = None
    format: str | None = None
    size: str | None = None


class SdgWork(Model):
    """The city's work on the 2030 Agenda."""

    summary: Text | None = None
    commitments: list[Commitment] = Field(default_factory=list)
    reports: list[Report] = Field(default_factory=list)
    goals: list[GoalLink] = Field(default_factory=list)


class Partner(Model):
    """A sister, partner or friendship city."""

    name: Name
    country: CountryCode
    kind: Literal["sister", "partner", "friendship", "neighbour"] = "partner"
    since: Since | None = None
    focus: list[Text] = Field(default_factory=list)
    city: Slug | None = Field(None, description="Slug of the partner, if it has a profile here")
    coordinates: Coordinates | None = None
    note: Text | None = None


class Partnership(Model):
    """A regional or cross-border partnership of several members."""

    name: Name
    since: Since | None = None
    description: Text | None = None
    focus: list[Text] = Field(default_factory=list)
    members: list[Name] = Field(default_factory=list)
    url: Url | None = None


class Delegations(Model):
    """Receiving international delegations and visits."""

    location: Text | None = None
    topics: list[Text] = Field(default_factory=list)
    how_to_ask: Text
    contact: Slug | None = Field(None, description="Id of one of this city's contacts")


class Innovation(Model):
    """The city's innovation capacity (e.g. from a City Innovation Snapshot)."""

    summary: Text | None = None
    strategy: Text | None = None
    team: Text | None = None
    funding: Text | None = None
    goals: list[Text] = Field(default_factory=list)
    focus_areas: list[Text] = Field(default_factory=list)
    partnerships: list[Text] = Field(default_factory=list)
    source: Document | None = None


class Contact(Model):
    """Whom to contact, and for what."""

    id: Slug
    purpose: Text
    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    phone_local: str | None = Field(None, description="Short local number, e.g. 14 030")
    address: Text | None = None
    url: Url | None = None


class City(Model):
    """One city's profile: ``content/cities/<slug>/city.yaml`` plus ``narrative.<lang>.md``."""

    id: SkipJsonSchema[str] = Field("", exclude=True)
    narrative: SkipJsonSchema[dict[str, str]] = Field(default_factory=dict, exclude=True)

    slug: Name | None = Field(
        None, description="Name in URLs if not the folder name, per language, e.g. {nl: gent}"
    )

    name: Name
    organisation: Name = Field(description="The municipal organisation, e.g. Gemeente Utrecht")
    country: CountryCode
    region: Name | None = None
    population: Population | None = None
    nationalities: int | None = Field(None, gt=0, description="Number of nationalities living here")
    mayor: Mayor | None = None
    coordinates: Coordinates
    website: Url
    last_reviewed: Date = Field(description="When the profile was last checked, YYYY-MM-DD")
    summary: Text = Field(description="One or two sentences for the home page and search engines")
    strategy: Strategy
    themes: list[Text] = Field(default_factory=list, description="Thematic focus areas")
    lobbying: list[Text] = Field(default_factory=list, description="European lobbying priorities")
    memberships: list[Membership] = Field(default_factory=list)
    sdgs: SdgWork | None = None
    partners: list[Partner] = Field(default_factory=list)
    partnerships: list[Partnership] = Field(default_factory=list)
    delegations: Delegations | None = None
    innovation: Innovation | None = None
    contacts: list[Contact] = Field(default_factory=list)

    @field_validator("last_reviewed", mode="before")
    @classmethod
    def _date_only(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, str) and (info.context or {}).get(NORMALISED):
            return dt.date.fromisoformat(value)  # this model's own JSON (the build cache)
        if isinstance(value, str):
            raise PydanticCustomError(
                "date", "'{value}' is not a date; write it as YYYY-MM-DD", {"value": value}
            )
        return value

    def url_slug(self, lang: str) -> str:
        """The city's name in URLs of ``lang``: its ``slug`` for that language, or the folder name."""
        if self.slug is not None and lang in self.slug:
            return self.slug[lang]
        return self.id

    def contact(self, contact_id: str) -> Contact | None:
        """The contact with this id, if any (used by the delegations section)."""
        return next((c for c in self.contacts if c.id == contact_id), None)
