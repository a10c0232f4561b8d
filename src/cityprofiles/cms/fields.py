"""Decap CMS fields from the content model: one widget per field, translations side by side.

The source is the JSON Schema that pydantic makes of each model (the same one
``cityprofiles schema`` writes), so the form follows the model without a second
description of it: a new field, bound or option in ``model.py`` appears in the editor
at the next build. The mapping, in short:

* text with one value per language (``Text``) -> an object with one input per language,
  labelled with the language's own name (``English``, ``Nederlands``); long texts get a
  text area. A ``Name`` (plain text or one value per language) looks the same and is
  marked ``cityprofiles: name`` so the editor's glue can show a plain name in every
  language and write it back plain when all languages agree;
* numbers -> ``number`` with the model's bounds; dates -> ``datetime`` without time;
  web, e-mail addresses and phone numbers -> ``string`` with a pattern;
  a fixed set of values -> ``select``; SDG numbers -> a ``select`` of the 17 goals with
  their names; countries -> a ``select`` of their names and codes; network ids -> a
  ``relation`` to the networks;
* sections -> ``object``; lists -> ``list``; a mapping by id (the network registry) ->
  a ``list`` whose items carry the id, marked ``cityprofiles: keyed``.

A field is ``required`` in the form only where the model requires it *and* every section
around it is required: Decap checks a required field even inside an empty optional
section, which would make the section impossible to leave out. ``check`` stays the
authority and reports a half-filled section on save.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from cityprofiles.cms.labels import (
    country_options,
    hint,
    label,
    message,
    option_label,
    pattern_message,
    singular,
    vocabulary,
)
from cityprofiles.model import LANG_PATTERN, SLUG_PATTERN

Field = dict[str, Any]
Schema = Mapping[str, Any]

MARK = "cityprofiles"
"""The key of the field markers the editor's glue reads (and removes before Decap sees them)."""

# Translated texts that hold sentences rather than a few words: a text area each.
MULTILINE = frozenset(
    {
        "summary",
        "description",
        "how_to_ask",
        "note",
        "strategy",
        "team",
        "funding",
        "method",
        "plan",
        "developments",
        "partnerships",
        "address",
    }
)
# Fields the model declares first but an editor rarely needs: shown at the end of the form.
LAST_FIELDS = {"City": ("slug",)}
PHONE_PATTERN = r"^\+[0-9][0-9 ().-]{5,}$"
URL_PATTERN = r"^https?://[^\s]+$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"


@dataclass(frozen=True)
class FormLanguage:
    """A content language as the form shows it: its code and its name in itself."""

    code: str
    name: str


@dataclass(frozen=True)
class Context:
    """What every field needs: the content languages, the interface language, the goals."""

    languages: tuple[FormLanguage, ...]
    default: str
    ui: str
    goals: tuple[tuple[int, str], ...]
    networks_collection: str = "networks"


class FieldMaker:
    """Turns one model's JSON Schema into Decap fields."""

    def __init__(self, schema: Schema, context: Context) -> None:
        self.defs: Mapping[str, Schema] = schema.get("$defs", {})
        self.context = context

    # -- entry points ------------------------------------------------------------------
    def model_fields(
        self, schema: Schema, owner: str, *, required: bool = True, only: Sequence[str] = ()
    ) -> list[Field]:
        """The fields of an object schema, in the model's order (``only``: a subset)."""
        props: Mapping[str, Schema] = schema.get("properties", {})
        needed = set(schema.get("required", ()))
        names = [n for n in props if not only or n in only]
        last = LAST_FIELDS.get(owner, ())
        names = [n for n in names if n not in last] + [n for n in names if n in last]
        return [
            self.field(name, props[name], owner, required=required and name in needed)
            for name in names
        ]

    def field(self, name: str, schema: Schema, owner: str, *, required: bool) -> Field:
        """One field; ``required``: required by the model and inside required sections."""
        ui = self.context.ui
        schema, optional = _strip_null(schema)
        required = required and not optional
        base: Field = {"name": name, "label": label(name, owner, ui)}
        described = schema.get("description")
        if described in _generic_descriptions():
            described = None  # "one value per language" says nothing the form does not show
        special = self._special(name, schema, owner)
        if special is not None:
            body = special
        else:
            body = self._body(name, schema, owner, required=required)
        items, _ = _strip_null(schema.get("items", {}))
        section = schema if "$ref" in schema else items
        if "$ref" in section and not described:
            ref = _ref_name(section)
            text = hint(ref, self.defs[ref].get("description"), ui)
        else:
            text = hint(f"{owner}.{name}", described, ui)
        field: Field = {**base, **body}
        if text and text.rstrip(".").lower() != field["label"].lower():
            field["hint"] = text
        field["required"] = required
        return field

    # -- one schema -> one widget ------------------------------------------------------
    def _body(self, name: str, schema: Schema, owner: str, *, required: bool) -> Field:
        if "$ref" in schema:
            ref = _ref_name(schema)
            target = self.defs[ref]
            return {
                "widget": "object",
                "collapsed": False,
                "fields": self.model_fields(target, ref, required=required),
            }
        if _is_name(schema):
            return self.translated(name, required=required, marker="name")
        if _is_text(schema):
            return self.translated(name, required=required, marker="text")
        kind = schema.get("type")
        if "enum" in schema:
            # No Decap `default`: left empty, the file leaves the key out and the model's
            # default applies; and Decap would add an item to every list whose items have
            # a field with a default, as soon as a new entry is opened.
            return {
                "widget": "select",
                "options": [
                    {"label": option_label(str(v), self.context.ui), "value": v}
                    for v in schema["enum"]
                ],
            }
        if kind == "array":
            return self._list(name, schema["items"], owner)
        if kind == "object" and ("additionalProperties" in schema or "patternProperties" in schema):
            return self._keyed(name, schema, owner)
        if kind in ("integer", "number"):
            return _number(schema, integer=kind == "integer")
        if kind == "boolean":
            return {"widget": "boolean"}
        if kind == "string":
            return self._string(schema)
        raise ValueError(f"{owner}.{name}: no editor widget for {schema!r}")

    def _string(self, schema: Schema) -> Field:
        fmt = schema.get("format")
        if fmt == "date":
            return {
                "widget": "datetime",
                "format": "YYYY-MM-DD",
                "date_format": "YYYY-MM-DD",
                "time_format": False,
                "picker_utc": True,
            }
        ui = self.context.ui
        field: Field = {"widget": "string"}
        if fmt == "uri":
            field["pattern"] = [URL_PATTERN, message("url", ui)]
        elif fmt == "email":
            field["pattern"] = [EMAIL_PATTERN, message("email", ui)]
        elif "pattern" in schema:
            field["pattern"] = [schema["pattern"], pattern_message(schema["pattern"], ui)]
        return field

    def translated(self, name: str, *, required: bool, marker: str) -> Field:
        """One input per language, side by side, each labelled with the language's name."""
        widget = "text" if name in MULTILINE else "string"
        return {
            "widget": "object",
            "collapsed": False,
            MARK: marker,
            "fields": [
                {
                    "name": lang.code,
                    "label": lang.name,
                    "widget": widget,
                    "required": required and lang.code == self.context.default,
                }
                for lang in self.context.languages
            ],
        }

    def _list(self, name: str, items: Schema, owner: str) -> Field:
        items, _ = _strip_null(items)
        ui = self.context.ui
        field: Field = {"widget": "list", "collapsed": True}
        one = singular(name, owner, ui)
        if one:
            field["label_singular"] = one
        first = f"{{{{fields.{self.context.default}}}}}"
        if _is_name(items) or _is_text(items):
            marker = "names" if _is_name(items) else "texts"
            inner = self.translated(name, required=True, marker=marker)
            field.update({"fields": inner["fields"], "summary": first, MARK: marker})
            return field
        if "$ref" in items:
            ref = _ref_name(items)
            fields = self.model_fields(self.defs[ref], ref)
            field["fields"] = fields
            summary = _summary(fields, self.context.default)
            if summary:
                field["summary"] = summary
            return field
        inner_field = self.field(name, items, owner, required=True)
        field["field"] = inner_field
        return field

    def _keyed(self, name: str, schema: Schema, owner: str) -> Field:
        """A mapping by id, shown as a list whose items carry the id (marked ``keyed``)."""
        if "patternProperties" in schema:  # pydantic's form of dict[Annotated[str, pattern], X]
            ((key_pattern, values),) = schema["patternProperties"].items()
        else:
            values = schema["additionalProperties"]
            key_pattern = schema.get("propertyNames", {}).get("pattern", SLUG_PATTERN)
        values, _ = _strip_null(values)
        ref = _ref_name(values)
        ui = self.context.ui
        id_field: Field = {
            "name": "id",
            "label": label("id", ref, ui),
            "widget": "string",
            "pattern": [key_pattern, pattern_message(key_pattern, ui)],
            "hint": hint(f"{ref}.id", vocabulary()["id_hint"]["en"], ui),
            "required": True,
        }
        fields = [id_field, *self.model_fields(self.defs[ref], ref)]
        field: Field = {
            "widget": "list",
            "collapsed": True,
            MARK: "keyed",
            "fields": fields,
            "summary": _summary(fields, self.context.default) or "{{fields.id}}",
        }
        one = singular(name, owner, ui)
        if one:
            field["label_singular"] = one
        return field

    def _special(self, name: str, schema: Schema, owner: str) -> Field | None:
        """Fields whose values come from elsewhere: the goals, the network registry, phones."""
        if (owner, name) == ("GoalLink", "goal"):
            return {
                "widget": "select",
                "options": [
                    {"label": f"{number}. {title}", "value": number}
                    for number, title in self.context.goals
                ],
            }
        if (owner, name) == ("Membership", "network"):
            default = self.context.default
            return {
                "widget": "relation",
                "collection": self.context.networks_collection,
                "file": "networks",
                "value_field": "networks.*.id",
                "search_fields": [f"networks.*.name.{default}", "networks.*.id"],
                "display_fields": [f"networks.*.name.{default}"],
            }
        if name == "country" and "enum" in schema:  # a city's or a partner's
            return {"widget": "select", "options": country_options(self.context.ui)}
        if (owner, name) == ("Contact", "phone"):
            return {
                "widget": "string",
                "pattern": [PHONE_PATTERN, message("phone", self.context.ui)],
            }
        return None


# -- helpers --------------------------------------------------------------------------


def _strip_null(schema: Schema) -> tuple[Schema, bool]:
    """``X | None`` -> (X, True); anything else -> (itself, False). Keeps the description."""
    options = schema.get("anyOf")
    if options and any(o.get("type") == "null" for o in options):
        rest = [o for o in options if o.get("type") != "null"]
        if len(rest) == 1:
            inner = dict(rest[0])
            for key in ("description", "default"):
                if key in schema and key not in inner:
                    inner[key] = schema[key]
            return inner, True
    return schema, False


@cache
def _generic_descriptions() -> frozenset[str]:
    """The descriptions ``Text`` and ``Name`` give themselves in the JSON Schema."""
    from pydantic import TypeAdapter

    from cityprofiles.model import Name, Text

    return frozenset(str(TypeAdapter(t).json_schema().get("description", "")) for t in (Text, Name))


def _ref_name(schema: Schema) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def _is_text(schema: Schema) -> bool:
    """The schema ``Text`` gives itself: an object keyed by language code."""
    return (
        schema.get("type") == "object"
        and schema.get("propertyNames", {}).get("pattern") == LANG_PATTERN
    )


def _is_name(schema: Schema) -> bool:
    """``Name``: plain text, or one value per language."""
    options: Sequence[Schema] = schema.get("anyOf") or []
    return len(options) == 2 and options[0].get("type") == "string" and _is_text(options[1])


def _number(schema: Schema, *, integer: bool) -> Field:
    field: Field = {"widget": "number", "value_type": "int" if integer else "float"}
    low = schema.get("minimum")
    if "exclusiveMinimum" in schema:
        low = schema["exclusiveMinimum"] + (1 if integer else 0)
    high = schema.get("maximum")
    if "exclusiveMaximum" in schema:
        high = schema["exclusiveMaximum"] - (1 if integer else 0)
    if low is not None:
        field["min"] = low
    if high is not None:
        field["max"] = high
    if integer:
        field["step"] = 1
    return field


def _summary(fields: Sequence[Field], default: str) -> str | None:
    """A list item's one-line summary: its first name, title, id or goal."""
    for key in ("name", "title", "network", "goal", "id", "kind", "description", "purpose"):
        for field in fields:
            if field["name"] != key:
                continue
            if field.get(MARK) in ("name", "text"):
                return f"{{{{fields.{key}.{default}}}}}"
            return f"{{{{fields.{key}}}}}"
    return None
