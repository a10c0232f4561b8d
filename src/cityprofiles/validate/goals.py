"""The Goals' wording in every language of the site: the shipped names and descriptions
with ``content/sdgs.yaml`` over them; a language without a Goal's name or description is
a missing translation (a warning, an error under ``--strict``)."""

from __future__ import annotations

from cityprofiles.content import YamlDocument
from cityprofiles.errors import Problem
from cityprofiles.model import SITE_GOALS_FILE, GoalTextFile, Sdg, load_sdgs, merge_goal_texts
from cityprofiles.validate.model_errors import validated
from cityprofiles.validate.problems import Collector

FIELDS = ("name", "description")


def site_sdgs(validator: Collector, doc: YamlDocument | None) -> tuple[Sdg, ...]:
    """The Goals with the site's own wording over the shipped one; warns, through
    ``validator``, for each configured language that lacks a Goal's name or description."""
    own: GoalTextFile | None = None
    if doc is not None:
        own = validated(validator, GoalTextFile, doc, doc.data)
    sdgs = merge_goal_texts(load_sdgs(), own)
    for lang in validator.languages:
        for field in FIELDS:
            missing = [s.number for s in sdgs if lang not in getattr(s, field)]
            if not missing:
                continue
            message = (
                f"no {lang} {field} for {_goals(missing)}; "
                f"add them to {SITE_GOALS_FILE} (goals: <number>: {field}: {lang}: …)"
            )
            if doc is None:
                validator.problems.append(
                    Problem(
                        SITE_GOALS_FILE,
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
