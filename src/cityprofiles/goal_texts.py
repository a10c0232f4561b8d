"""The names and descriptions of the 17 Goals in the site's languages: shipped data plus the site's own.

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
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from cityprofiles.colour import readable_text_colour
from cityprofiles.errors import Problem
from cityprofiles.load import package_data
from cityprofiles.model import Model, Sdg, Text

if TYPE_CHECKING:
    from cityprofiles.validate import Validator

SITE_FILE = "content/sdgs.yaml"
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
def shipped_sdgs() -> tuple[Sdg, ...]:
    """The 17 Goals shipped with the package, with a readable badge text colour computed.

    Read once per process (the models are frozen): the live preview validates on every save."""
    sdgs = []
    for item in package_data("data/sdgs.yaml"):
        sdg = Sdg.model_validate(item)
        sdgs.append(sdg.model_copy(update={"text_colour": readable_text_colour(sdg.colour)}))
    return tuple(sorted(sdgs, key=lambda s: s.number))


def site_sdgs(validator: Validator) -> tuple[Sdg, ...]:
    """The Goals with the site's own wording over the shipped one; warns, through
    ``validator``, for each configured language that lacks a Goal's name or description."""
    doc = validator.sources.sdgs
    own: GoalTextFile | None = None
    if doc is not None:
        own = validator.model(GoalTextFile, doc, doc.data)
    sdgs = merge(shipped_sdgs(), own)
    for lang in validator.languages:
        for field in FIELDS:
            missing = [s.number for s in sdgs if lang not in getattr(s, field)]
            if not missing:
                continue
            message = (
                f"no {lang} {field} for {_goals(missing)}; "
                f"add them to {SITE_FILE} (goals: <number>: {field}: {lang}: …)"
            )
            if doc is None:
                validator.problems.append(
                    Problem(
                        SITE_FILE,
                        message=message + "; the file does not exist yet",
                        code="missing-translation",
                        severity="warning",
                    )
                )
            else:
                validator.warn(
                    doc.source, doc.mark(("goals",)), ("goals",), message, "missing-translation"
                )
    return sdgs


def merge(shipped: tuple[Sdg, ...], own: GoalTextFile | None) -> tuple[Sdg, ...]:
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


def _goals(numbers: list[int]) -> str:
    """``[1, 2, 3, 5]`` -> ``Goals 1–3 and 5``.

    >>> _goals([4]), _goals([1, 2, 3, 5, 7, 8])
    ('Goal 4', 'Goals 1–3, 5 and 7–8')
    """
    if len(numbers) == 1:
        return f"Goal {numbers[0]}"
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return "Goals " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])
