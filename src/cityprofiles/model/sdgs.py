"""The 17 UN Sustainable Development Goals: shipped data plus the site's own wording.

The package ships each Goal's colour, name and description in English and Dutch
(``data/sdgs.yaml``, with the sources of each). No single official wording exists in
most languages (three Dutch sets are in use), so a site gives the wording of any other
language, or replaces the shipped one, in ``content/sdgs.yaml``::

    goals:
      1:
        name:
          de: Keine Armut
        description:
          de: Armut in jeder Form und überall beenden

It is validated like every content file (positions, unknown fields, unknown languages);
a configured language without a Goal's name or description is a missing translation:
a warning, and an error under ``--strict``. Until then the Goal shows in the default
language, marked with its ``lang``.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from cityprofiles.content import package_data
from cityprofiles.model.colour import readable_text_colour
from cityprofiles.model.fields import Model, Text


class Sdg(BaseModel):
    """One of the 17 UN Sustainable Development Goals (shipped with the package)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1, le=17)
    name: Text
    description: Text
    colour: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    text_colour: str = "#FFFFFF"


SITE_GOALS_FILE = "content/sdgs.yaml"
GOAL_NUMBER = r"^(?:[1-9]|1[0-7])$"
FIELDS = ("name", "description")


def _goal_number(key: str) -> str:
    if not re.match(GOAL_NUMBER, key):
        raise PydanticCustomError(
            "unknown_goal", "'{key}' is not a Goal; the Goals are numbered 1 to 17", {"key": key}
        )
    return key


class GoalTexts(Model):
    """A Goal's wording in one or more of the site's languages."""

    name: Text | None = Field(
        None, description="The Goal's short name, as on the UN icons, e.g. de: Keine Armut"
    )
    description: Text | None = Field(
        None, description="The Goal as worded in the 2030 Agenda, per language"
    )


class GoalTextFile(Model):
    """``content/sdgs.yaml``: names and descriptions of the Goals, added to or replacing the
    shipped English and Dutch ones, language by language."""

    goals: dict[Annotated[str, AfterValidator(_goal_number)], GoalTexts] = Field(
        description="By Goal number (1 to 17)",
        json_schema_extra={"propertyNames": {"pattern": GOAL_NUMBER}},
    )


@functools.cache
def load_sdgs() -> tuple[Sdg, ...]:
    """The 17 Goals shipped with the package, with a readable badge text colour computed.

    Read once per process (the models are frozen): the live preview validates on every save."""
    sdgs = []
    for item in package_data("data/sdgs.yaml"):
        sdg = Sdg.model_validate(item)
        sdgs.append(sdg.model_copy(update={"text_colour": readable_text_colour(sdg.colour)}))
    return tuple(sorted(sdgs, key=lambda s: s.number))


def merge_goal_texts(shipped: tuple[Sdg, ...], own: GoalTextFile | None) -> tuple[Sdg, ...]:
    """``shipped`` with ``own``'s values replacing or adding languages, field by field."""
    if own is None or not own.goals:
        return shipped
    result = []
    for sdg in shipped:
        texts = own.goals.get(str(sdg.number))
        if texts is None:
            result.append(sdg)
            continue
        update = {
            field: Text({**getattr(sdg, field), **value})
            for field in FIELDS
            if (value := getattr(texts, field)) is not None
        }
        result.append(sdg.model_copy(update=update))
    return tuple(result)
