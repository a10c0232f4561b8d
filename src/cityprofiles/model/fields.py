"""The building blocks of the content model: translatable text, checked forms (web and
e-mail addresses, phone numbers, years, ids) and the strict base of every model.

Translatable text is a :class:`Text` (one value per language). A :class:`Text` may lack
a language: the missing translation is reported by ``validate`` and filled from the
default language (visibly marked) at render time.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationInfo,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from cityprofiles import clock
from cityprofiles.model.countries import country_codes, country_problem

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2,3}$"
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][^\s<>\"']*)?$")
_E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")
NORMALISED = "normalised"
"""Validation context key: the data is this model's own JSON dump (the build cache), so a
phone number already in the E.164 form it makes is taken as it is instead of parsed again
(loading phonenumbers' metadata cost a one-edit build 0.3 s)."""


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
        if info.context and info.context.get(NORMALISED):
            return cls(value)  # this model's own JSON (the build cache): checked when made
        langs = _languages(info)
        if not value:
            raise PydanticCustomError("text_empty", "needs a value in at least one language")
        for key, text in value.items():
            if langs and key not in langs:
                hint = (
                    f"write the code in lower case: '{key.lower()}'"
                    if key.lower() in langs
                    else "this site's languages are " + ", ".join(langs)
                )
                raise PydanticCustomError(
                    "unknown_language",
                    "unknown language '{key}'; {hint}",
                    {"key": key, "hint": hint},
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


def check_url(value: str) -> str:
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


def _check_phone(value: str, info: ValidationInfo) -> str:
    if (info.context or {}).get(NORMALISED) and _E164.match(value):
        return value  # written by this function before (a city read back from the build cache)
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


def _check_country(value: str, info: ValidationInfo) -> str:
    problem = country_problem(value, _languages(info))
    if problem is not None:
        raise PydanticCustomError("country", "{problem}", {"problem": problem})
    return value


def _country_schema(schema: dict[str, Any]) -> None:
    """In the JSON Schema, the codes themselves: editors offer them as completions."""
    schema.update(pattern="^[A-Z]{2}$", enum=sorted(country_codes()))


TODAY = "today"
"""Validation context key: the day the rules check against (:mod:`cityprofiles.clock`)."""


def _check_since(value: int, info: ValidationInfo) -> int:
    today = (info.context or {}).get(TODAY) or clock.today()
    if value > today.year:
        raise PydanticCustomError(
            "future_year", "{value} is in the future; expected the year it began", {"value": value}
        )
    return value


Url = Annotated[
    str,
    AfterValidator(check_url),
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
CountryCode = Annotated[
    str,
    AfterValidator(_check_country),
    Field(
        description="ISO 3166-1 code, e.g. NL",
        json_schema_extra=_country_schema,
    ),
]


class Model(BaseModel):
    """Base of every content model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, validate_default=False
    )
