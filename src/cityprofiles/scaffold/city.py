"""``cityprofiles new city``: a complete, valid city folder with every section marked TODO.

The scaffold is a checklist that the tools understand: every value to write
starts with ``TODO`` (addresses use the reserved ``.invalid`` domain, the map
point is 0, 0), so plain ``check`` passes at once while ``check --strict`` lists
each remaining item with its line. Comments in the file explain each section in
plain words; the first line links the JSON Schema for completion in editors.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import yaml

from cityprofiles import clock
from cityprofiles.content import site_languages
from cityprofiles.errors import UsageError
from cityprofiles.model import SLUG_PATTERN
from cityprofiles.output import staging_folder


def new_city(root: Path, slug: str, name: str, *, country: str | None = None) -> list[Path]:
    """Create ``content/cities/<slug>/`` under ``root``; return the files written."""
    cities = root / "content" / "cities"
    if not (root / "content").is_dir():
        raise UsageError(
            f"{root} has no content/ folder; run this in a cityprofiles site or pass --site DIR"
        )
    check_slug(slug)
    folder = cities / slug
    if folder.exists() or folder.is_symlink():
        raise UsageError(f"content/cities/{slug} already exists; choose another name or edit it")
    name = " ".join(name.split())
    if not name:
        raise UsageError('--name is empty; give the city\'s name, e.g. --name "Den Haag"')
    languages = site_languages(root)
    code = resolve_country(cities, country)
    networks = network_ids(root)
    files = {
        "city.yaml": city_yaml(name, code, languages, networks),
        **{f"narrative.{lang}.md": narrative(name) for lang in languages},
    }
    cities.mkdir(parents=True, exist_ok=True)
    tmp = staging_folder(f".new-{slug}-", cities)
    try:
        for filename, text in files.items():
            (tmp / filename).write_text(text, encoding="utf-8")
        os.rename(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    written = [folder / filename for filename in files]
    if not (root / "schema").exists():
        from cityprofiles.model import write_schemas

        written += write_schemas(root / "schema")
    return written


def check_slug(slug: str) -> None:
    """Refuse a folder name that is not a safe, URL-friendly id.

    >>> check_slug("den-haag")
    >>> check_slug("../etc")
    Traceback (most recent call last):
    ...
    cityprofiles.errors.UsageError: '../etc' cannot be a city folder name; use lower-case letters, digits and hyphens, e.g. den-haag
    """
    if not re.match(SLUG_PATTERN, slug) or len(slug) > 64:
        raise UsageError(
            f"{slug!r} cannot be a city folder name; "
            "use lower-case letters, digits and hyphens, e.g. den-haag"
        )


def resolve_country(cities: Path, country: str | None) -> str:
    """``--country``, or the country every existing city shares."""
    if country is not None:
        from cityprofiles.model import country_problem

        code = country.strip()
        code = code.upper() if len(code) == 2 else code
        problem = country_problem(code)
        if problem is not None:
            raise UsageError(f"--country: {problem}")
        return code
    found: set[str] = set()
    for path in sorted(cities.glob("*/city.yaml")) if cities.is_dir() else []:
        try:
            data = yaml.safe_load(path.read_text("utf-8-sig"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("country"), str):
            found.add(data["country"])
    if len(found) == 1:
        return found.pop()
    raise UsageError("give the city's country with --country, e.g. --country NL")


def network_ids(root: Path) -> list[str]:
    """The ids in ``content/networks.yaml`` (for the comment that lists them)."""
    try:
        data = yaml.safe_load((root / "content" / "networks.yaml").read_text("utf-8-sig"))
        return sorted(str(k) for k in data["networks"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return []


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _text(key: str, hint: str, languages: Sequence[str], indent: int, *, item: bool = False) -> str:
    """A translatable field with a TODO value in every language."""
    pad = " " * indent
    head = f"{pad}- {key}:" if item else f"{pad}{key}:"
    inner = " " * (indent + (4 if item else 2))
    return "\n".join([head, *(f"{inner}{lang}: {_q('TODO: ' + hint)}" for lang in languages)])


def _list(hint: str, languages: Sequence[str], indent: int) -> str:
    """A list of translatable items with one TODO item."""
    pad = " " * indent
    first, *rest = languages
    lines = [f"{pad}- {first}: {_q('TODO: ' + hint)}"]
    lines += [f"{pad}  {lang}: {_q('TODO: ' + hint)}" for lang in rest]
    return "\n".join(lines)


def city_yaml(name: str, country: str, languages: Sequence[str], networks: Sequence[str]) -> str:
    """The text of a new ``city.yaml``: every section, every language, all marked TODO."""
    L = languages
    year = clock.today().year
    known = ", ".join(networks) if networks else "none yet: add them to content/networks.yaml"
    first_network = networks[0] if networks else None
    membership = (
        f"  - network: {first_network}\n"
        + _text("role", "the city's role, or remove these lines", L, 4)
        if first_network
        else "  []"
    )
    return f"""\
# yaml-language-server: $schema=../../../schema/city.schema.json
# A new city profile. Replace every TODO (and the .invalid addresses, and the
# 0, 0 map point); `cityprofiles check --strict` lists what is left.
# Remove an optional section you have nothing for; see docs/editing.md.
name: {_q(name)}
{_text("organisation", "the municipal organisation, e.g. Gemeente " + name, L, 0)}
country: {country}
{_text("region", "province or region", L, 0)}
# population: {{value: 100000, year: {year}}}
# nationalities: 100
mayor: {{name: "TODO: the mayor's name", as_of: {year}}}
coordinates: {{lat: 0, lon: 0}}  # TODO: decimal degrees, e.g. lat: 52.09, lon: 5.12
website: https://todo.invalid/  # TODO: the city's website
last_reviewed: {clock.today().isoformat()}
{_text("summary", "one or two sentences about the city's international work", L, 0)}

# The international strategy.
strategy:
{_text("title", "the strategy's title", L, 2)}
  # period: {{start: {year}, end: {year + 4}}}
{_text("summary", "what the strategy is about", L, 2)}
  spearheads:
{_list("a spearhead or objective", L, 4)}
  developments:
{_list("an international development the strategy responds to", L, 4)}
  documents:
{_text("title", "title of the strategy document", L, 4, item=True)}
      url: https://todo.invalid/strategy.pdf  # TODO: link to the document

themes:
{_list("a thematic focus area", L, 2)}
lobbying:
{_list("a European lobbying priority", L, 2)}

# Networks, by their id in content/networks.yaml: {known}.
memberships:
{membership}

# The 2030 Agenda: commitments, reports and the goals (1 to 17) local work contributes to.
sdgs:
{_text("summary", "how the city works on the Sustainable Development Goals", L, 2)}
  commitments:
{_text("title", "a commitment, e.g. Global Goals City", L, 4, item=True)}
  reports:
    - kind: other  # voluntary-local-review, sustainability-report or other
{_text("title", "title of the report", L, 6)}
  goals:
    - goal: 11  # TODO: the goal's number
{_text("description", "how local work contributes to this goal", L, 6)}

partners:
{_text("name", "name of a sister or partner city", L, 2, item=True)}
    country: {country}  # TODO: the partner's country code
    kind: partner  # sister, partner, friendship or neighbour
{_text("note", "what the partnership is about", L, 4)}

partnerships:
{_text("name", "name of a regional or cross-border partnership", L, 2, item=True)}
{_text("description", "what the partnership does", L, 4)}

delegations:
{_text("how_to_ask", "how to request a visit", L, 2)}
  contact: international

innovation:
{_text("summary", "the city's innovation capacity", L, 2)}

contacts:
  - id: international
{_text("purpose", "what to contact this address for", L, 4)}
    email: todo@example.invalid  # TODO: the e-mail address
"""


def narrative(name: str) -> str:
    """A narrative page to write, in Markdown."""
    return (
        f"TODO: tell the story of {name}'s international work in a few paragraphs.\n\n"
        "Start sections with `##` headings; the page title is the city's name.\n"
    )
