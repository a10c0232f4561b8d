"""JSON Schema of the content files, for completion and checking while typing in an editor.

The schemas are generated from the same pydantic models that validate the
content (``model_json_schema()``), so they cannot drift from what ``check``
accepts; the field docstrings become hover help. ``cityprofiles`` itself never
reads them: ``check`` stays the authority (it also knows cross-references and
translations, which a schema cannot express).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cityprofiles.errors import UsageError

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _models() -> dict[str, tuple[type[BaseModel], str]]:
    from cityprofiles.model.accessibility import AccessibilityStatement
    from cityprofiles.model.city import City
    from cityprofiles.model.config import SiteConfig
    from cityprofiles.model.networks import NetworkRegistry
    from cityprofiles.model.sdgs import GoalTextFile

    return {
        "city": (City, "content/cities/<slug>/city.yaml"),
        "site": (SiteConfig, "content/site.yaml"),
        "networks": (NetworkRegistry, "content/networks.yaml"),
        "accessibility": (AccessibilityStatement, "content/accessibility.yaml"),
        "sdgs": (GoalTextFile, "content/sdgs.yaml"),
    }


def schemas() -> dict[str, dict[str, Any]]:
    """Each content file's schema by name (``city``, ``site``, ``networks``, ``accessibility``,
    ``sdgs``)."""
    result = {}
    for name, (model, where) in _models().items():
        schema = model.model_json_schema(mode="validation")
        schema = {"$schema": DIALECT, **schema}
        schema["title"] = f"cityprofiles {where}"
        result[name] = schema
    _languages_as_codes(result["site"])
    return result


def _languages_as_codes(site: dict[str, Any]) -> None:
    """``languages: [en, nl]`` is accepted (a validator expands codes); say so in the schema."""
    from cityprofiles.model.fields import LANG_PATTERN

    languages = site["properties"]["languages"]
    languages["items"] = {
        "anyOf": [
            {"type": "string", "pattern": LANG_PATTERN, "description": "A language code"},
            languages["items"],
        ]
    }


def schema_text(schema: dict[str, Any]) -> str:
    """Stable JSON (sorted keys, trailing newline) so regenerating gives no diff."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write ``<name>.schema.json`` files into ``out``; return the paths written."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = out / f"{name}.schema.json"
        text = schema_text(schema)
        if not path.is_file() or path.read_text("utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
