"""The 17 UN Sustainable Development Goals, shipped with the package (``data/sdgs.yaml``)."""

from __future__ import annotations

import functools

from pydantic import BaseModel, ConfigDict, Field

from cityprofiles.content import package_data
from cityprofiles.model.colour import readable_text_colour
from cityprofiles.model.fields import Text


class Sdg(BaseModel):
    """One of the 17 UN Sustainable Development Goals (shipped with the package)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1, le=17)
    name: Text
    colour: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    text_colour: str = "#FFFFFF"


@functools.cache
def load_sdgs() -> tuple[Sdg, ...]:
    """The SDGs in order, each with a badge text colour that passes WCAG AA on its colour.

    Read once per process (the models are frozen): the live preview validates on every save."""
    sdgs = []
    for item in package_data("data/sdgs.yaml"):
        sdg = Sdg.model_validate(item)
        sdgs.append(sdg.model_copy(update={"text_colour": readable_text_colour(sdg.colour)}))
    return tuple(sorted(sdgs, key=lambda s: s.number))
