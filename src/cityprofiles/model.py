"""The typed content model: what a site, a city, a network and an SDG are.

Field names are the YAML keys editors write, so a validation error's path is also
the path in the file. Docstrings on fields end up in the JSON Schema, which gives
editors hover help and completion in VS Code.

Translatable text is a :class:`Text` (one value per language). A :class:`Text`
may lack a language: the missing translation is reported by ``validate`` and
filled from the default language (visibly marked) at render time.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema
from pydantic_core import PydanticCustomError, core_schema

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2,3}$"
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][^\s<>\"']*)?$")


def _languages(info: ValidationInfo) -> tuple[str, ...]:
    context = info.context or {}
    langs = context.get("languages", ())
    return tuple(langs)


class Text(dict[str, str]):
    """One value per language, written in YAML as ``en: …`` and ``nl: …`` lines."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(
            cls._check,
            core_schema.dict_schema(
                core_schema.str_schema(), core_schema.str_schema(strip_whitespace=True)
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "object",
            "description": "One value per language, e.g. en: … and nl: …",
            "propertyNames": {"pattern": LANG_PATTERN},
            "additionalProperties": {"type": "string", "minLength": 1},
            "minProperties": 1,
        }

    @classmethod
    def _check(cls, value: dict[str, str], info: ValidationInfo) -> Text:
        langs = _languages(info)
        if not value:
            raise PydanticCustomError("text_empty", "needs a value in at least one language")
        for key, text in value.items():
            if langs and key not in langs:
                raise PydanticCustomError(
                    "unknown_language",
                    "unknown language '{key}'; this site's languages are {langs}",
                    {"key": key, "langs": ", ".join(langs)},
                )
            if not text:
                raise PydanticCustomError(
                    "text_blank",
                    "the {key} value is empty; write the text or remove the line",
                    {"key": key},
                )
        return cls(value)


class Name(Text):
    """A name: plain text when it is the same in every language, or one value per language."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        text_schema = Text.__get_pydantic_core_schema__(Text, handler)
        return core_schema.with_info_before_validator_function(cls._expand, text_schema)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "string", "minLength": 1},
                Text.__get_pydantic_json_schema__(schema, handler),
            ],
            "description": "A name: plain text, or one value per language",
        }

    @staticmethod
    def _expand(value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            stripped = value.strip()
            if not stripped:
                raise PydanticCustomError("text_blank", "the name is empty")
            langs = _languages(info) or ("en",)
            return dict.fromkeys(langs, stripped)
        return value


def _check_url(value: str) -> str:
    if not _URL.match(value):
        raise PydanticCustomError(
            "url",
            "'{value}' is not a web address; expected one starting with https:// or http://",
            {"value": value},
        )
    return value


def _check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise PydanticCustomError(
            "email", "'{value}' is not an e-mail address like name@example.org", {"value": value}
        )
    return value


def _check_phone(value: str) -> str:
    import phonenumbers  # imported lazily: it is large and only needed for contacts

    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        raise PydanticCustomError(
            "phone",
            "'{value}' is not a phone number in international format like +31 30 286 0000",
            {"value": value},
        )
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def _check_since(value: int) -> int:
    if value > dt.date.today().year:
        raise PydanticCustomError(
            "future_year", "{value} is in the future; expected the year it began", {"value": value}
        )
    return value


Url = Annotated[
    str,
    AfterValidator(_check_url),
    Field(json_schema_extra={"format": "uri", "pattern": "^https?://"}),
]
Email = Annotated[str, AfterValidator(_check_email), Field(json_schema_extra={"format": "email"})]
Phone = Annotated[
    str,
    AfterValidator(_check_phone),
    Field(description="International format, e.g. +31 30 286 0000"),
]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=64)]
Year = Annotated[int, Field(ge=1000, le=2100, strict=True)]
Since = Annotated[int, Field(ge=1000, le=2100, strict=True), AfterValidator(_check_since)]
# Strict: a date must be written as one (YYYY-MM-DD); pydantic's lax mode would read
# ``2026`` as seconds since 1970 and quietly publish 1 January 1970.
Date = Annotated[dt.date, Field(strict=True)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 code, e.g. NL")]


class Model(BaseModel):
    """Base of every content model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, validate_default=False
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
    def _date_only(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
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


class Sdg(BaseModel):
    """One of the 17 UN Sustainable Development Goals (shipped with the package)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1, le=17)
    name: Text
    description: Text
    colour: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    text_colour: str = "#FFFFFF"


class Deviation(Model):
    """A known accessibility problem and what is done about it."""

    description: Text
    plan: Text | None = None


class AccessibilityStatement(Model):
    """``content/accessibility.yaml``: the legally required accessibility statement."""

    organisation: Name
    standard: str = "WCAG 2.1 AA (EN 301 549)"
    status: Literal["full", "partial", "none"] = Field(
        description="Compliance: full, partial (with known deviations) or none"
    )
    nl_status: Literal["A", "B", "C", "D", "E"] | None = Field(
        None, description="Dutch register status A–E (digitoegankelijk.nl)"
    )
    evaluated: Date | None = Field(None, description="Date of the last full evaluation")
    method: Text | None = None
    report_url: Url | None = None
    register_url: Url | None = None
    deviations: list[Deviation] = Field(default_factory=list)
    contact_email: Email
    response_days: int = Field(10, gt=0, le=90, description="Days within which we answer")
    statement_date: Date
    reviewed: Date
