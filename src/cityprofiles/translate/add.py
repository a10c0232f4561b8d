"""``cityprofiles i18n add LANG``: a new language for a site, and what is left to translate.

The recipe a translator would otherwise follow by hand (docs/translating.md):

1. add the code to ``languages`` in ``content/site.yaml``: the new entry is spliced into
   the text at the position the YAML parser gives, so every other byte (comments, order,
   layout) stays as it was, and the result is read back to prove it;
2. make the site's UI catalogue ``locales/LANG/LC_MESSAGES/messages.po`` from the
   template (``locales/messages.pot``, extracted by Babel from the package's theme and
   code and the site's own templates): every string the package does not already
   translate into LANG, with an empty translation to fill in Poedit, Weblate or any
   gettext editor;
3. list what is left: UI strings, content fields, prose files and the names of the Goals.

The site builds at once: what is not translated yet falls back, marked with its own
language, and ``check --strict`` fails until everything is translated.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

from cityprofiles.errors import ContentError, UsageError
from cityprofiles.model import LANG_PATTERN

SITE_YAML = Path("content") / "site.yaml"


def add_language(root: Path, code: str, *, locale: str | None = None) -> int:
    """Add ``code`` to the site under ``root``; print what was done and what is left."""
    _check_code(code, locale)
    site_yaml = root / SITE_YAML
    if not site_yaml.is_file():
        raise UsageError(
            f"{root} is not a cityprofiles site (no content/site.yaml); run this in a site "
            "or pass --site DIR"
        )
    text = _vetted_site_yaml(root)
    updated = add_to_languages(text, code, locale)
    catalogue, strings = create_catalogue(root, code)
    if updated is None:
        print(f"{code} is already one of the site's languages in {SITE_YAML.as_posix()}.")
    else:
        _write_atomically(site_yaml, updated)
        print(f"Added {code} to the languages in {SITE_YAML.as_posix()}.")
    if catalogue is not None:
        print(f"Created {catalogue} with {strings} UI strings to translate.")
    elif strings < 0:
        print(f"cityprofiles translates every UI string into {code}; no catalogue needed.")
    else:
        print(
            f"The UI catalogue of {code} is already there; `cityprofiles i18n update` refreshes it."
        )
    print()
    print(what_is_left(root, code))
    return 0


def _check_code(code: str, locale: str | None) -> None:
    from babel import Locale, UnknownLocaleError

    if not re.match(LANG_PATTERN, code):
        raise UsageError(f"'{code}' is not a language code like de, fr or fy")
    for name in (code, locale):
        if name is None:
            continue
        try:
            Locale.parse(name)
        except (ValueError, UnknownLocaleError):
            raise UsageError(
                f"unknown locale '{name}'; use a code Babel knows, like de, fr or de_AT"
            ) from None
    if locale is not None and Locale.parse(locale).language != code:
        raise UsageError(f"--locale {locale} is not a locale of the language '{code}'")


def _vetted_site_yaml(root: Path) -> str:
    """site.yaml's text, after the same checks as any content file (size, nesting, aliases,
    tags, duplicate keys): the round-trip parser below then only reads a vetted file."""
    from cityprofiles.content import load_yaml, read_text

    doc = load_yaml(root / SITE_YAML, root)
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("languages"), list):
        raise ContentError(
            [
                doc.source.problem(
                    doc.mark(("languages",)),
                    "expected a list of languages, e.g. languages: [en, nl]",
                    path="languages",
                    code="type",
                )
            ]
        )
    return read_text(root / SITE_YAML, root).text


def add_to_languages(text: str, code: str, locale: str | None = None) -> str | None:
    """``text`` (a site.yaml) with ``code`` appended to ``languages``; ``None`` when it is
    there already. Only the new entry is written into the text: every other byte (comments,
    spacing, quoting, the list's flow or block style, line endings) stays as it was.

    >>> print(add_to_languages("# Site\\nlanguages: [en, nl]  # menu order\\n", "de"), end="")
    # Site
    languages: [en, nl, de]  # menu order
    >>> print(add_to_languages("languages:\\n  - en   # first\\ntitle: T\\n", "de"), end="")
    languages:
      - en   # first
      - de
    title: T
    >>> text = "languages:\\n  - code: en\\n    locale: en_GB\\ntitle: T\\n"
    >>> print(add_to_languages(text, "de", "de_DE"), end="")
    languages:
      - code: en
        locale: en_GB
      - code: de
        locale: de_DE
    title: T
    """
    found = _languages_node(text)
    if found is None:
        raise UsageError("content/site.yaml has no list of languages; add one, e.g. [en, nl]")
    flow, items = found
    if code in [item_code for item_code, _, _ in items]:
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    if flow:
        entry = code if locale is None else f"{{code: {code}, locale: {locale}}}"
        at = items[-1][2]
        result = text[:at] + f", {entry}" + text[at:]
    else:
        _, start, end = items[-1]
        line_start = text.rfind("\n", 0, start) + 1
        dash = text.rfind("-", line_start, start)
        indent = " " * (dash - line_start)
        entry = f"{indent}- {code}"
        if locale is not None:
            entry = f"{indent}- code: {code}{newline}{indent}  locale: {locale}"
        line_end = text.find("\n", end)
        at = len(text) if line_end < 0 else line_end + 1
        prefix = text[:at] if line_end >= 0 else text + newline
        result = prefix + entry + newline + text[at:]
    _verify(text, result, code)
    return result


def _languages_node(text: str) -> tuple[bool, list[tuple[str | None, int, int]]] | None:
    """Where ``languages`` is: (flow style?, per item: its code, start and end offsets)."""
    import yaml

    events = iter(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    depth = 0
    key_next = True
    for event in events:
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > 1:
                key_next = True
                if depth == 2:
                    _skip(events)  # a nested value of another top-level key
                    depth -= 1
            continue
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
            continue
        if depth == 1 and isinstance(event, yaml.ScalarEvent):
            if key_next and event.value == "languages":
                value = next(events)
                if not isinstance(value, yaml.SequenceStartEvent):
                    return None
                return bool(value.flow_style), _items(events)
            key_next = not key_next
    return None


def _skip(events: Any) -> None:
    """Consume the rest of a collection whose start event was just read."""
    import yaml

    depth = 1
    for event in events:
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
            if depth == 0:
                return


def _items(events: Any) -> list[tuple[str | None, int, int]]:
    """The items of the sequence whose start event was just read."""
    import yaml

    items: list[tuple[str | None, int, int]] = []
    for event in events:
        if isinstance(event, yaml.SequenceEndEvent):
            break
        if isinstance(event, yaml.ScalarEvent):
            items.append((event.value, _offset(event.start_mark), _offset(event.end_mark)))
        elif isinstance(event, yaml.MappingStartEvent):
            start, code, key, last = _offset(event.start_mark), None, None, 0
            for inner in events:
                if isinstance(inner, yaml.MappingEndEvent):
                    # A block mapping ends where the next line's token begins: its item
                    # ends with its last value instead.
                    end = _offset(inner.end_mark) if event.flow_style else last
                    items.append((code, start, end))
                    break
                if isinstance(inner, yaml.ScalarEvent):
                    last = _offset(inner.end_mark)
                    if key == "code":
                        code = inner.value
                    key = inner.value if key is None else None
        else:
            raise UsageError("content/site.yaml: expected languages as codes or {code: …} entries")
    return items


def _offset(mark: Any) -> int:
    """A parser position as an offset into the text (the parser always gives one here)."""
    assert mark is not None
    return int(mark.index)


def _verify(before: str, after: str, code: str) -> None:
    """The edited file must read as the old one with one more language: nothing else changed."""
    import yaml

    old, new = yaml.safe_load(before), yaml.safe_load(after)
    expected_codes = [*(_code(e) for e in old["languages"]), code]
    if [_code(e) for e in new["languages"]] != expected_codes or {
        k: v for k, v in new.items() if k != "languages"
    } != {k: v for k, v in old.items() if k != "languages"}:
        raise UsageError(
            f"could not add '{code}' to content/site.yaml safely; add it to languages by hand"
        )


def _code(entry: Any) -> Any:
    return entry.get("code") if isinstance(entry, dict) else entry


def create_catalogue(root: Path, code: str) -> tuple[str | None, int]:
    """Make ``locales/<code>/LC_MESSAGES/messages.po`` from a freshly extracted template,
    without the strings the package's own catalogue of ``code`` translates already.
    Returns (its path for messages, the number of strings), or ``(None, 0)`` when it
    existed and ``(None, -1)`` when the package translates every string already."""
    from babel.messages.pofile import write_po

    from cityprofiles.content import display_path
    from cityprofiles.i18n import package_locales, read_catalogue
    from cityprofiles.translate.commands import DOMAIN, extract, update

    folder = root / "locales"
    path = folder / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.is_file():
        return None, 0
    extract(root, folder)
    ((created, _),) = update(folder, [code])
    shipped = package_locales() / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    catalog = read_catalogue(created, root, code)
    if shipped.is_file():
        known = {m.id for m in read_catalogue(shipped, shipped.parent, code) if m.string}
        for message in [m for m in catalog if m.id and m.id in known]:
            catalog.delete(message.id, context=message.context)
        with created.open("wb") as handle:
            write_po(handle, catalog, width=100, ignore_obsolete=True)
    strings = sum(1 for m in catalog if m.id)
    if strings == 0:  # the package's catalogue has them all
        created.unlink()
        for folder in (created.parent, created.parent.parent):  # made for it: now empty
            if not any(folder.iterdir()):
                folder.rmdir()
        return None, -1
    return display_path(created, root), strings


def what_is_left(root: Path, code: str) -> str:
    """The translator's list for ``code``: counts, files and the commands that show more."""
    from cityprofiles.translate.status import content_status, ui_status

    lines = [f"Left to translate into {code}:"]
    try:
        _, status = content_status(root)
        ui_status(root, status)
    except ContentError:
        lines.append(
            "  (the site has errors: run `cityprofiles check` and fix them to see the list)"
        )
        return "\n".join(lines)
    lang = status[code]
    ui = len(lang.ui_missing)
    lines.append(
        f"  - {ui} UI strings in locales/{code}/LC_MESSAGES/messages.po "
        "(open it in Poedit or Weblate)"
        if ui
        else "  - UI strings: none"
    )
    gaps = [g for g in lang.gaps if g.kind in ("missing", "todo")]
    goals = [g for g in gaps if g.file == "content/sdgs.yaml"]
    prose = [g for g in gaps if g.file.endswith(".md")]
    fields = [g for g in gaps if g not in goals and g not in prose]
    files = sorted({g.file for g in fields})
    lines.append(
        f"  - {len(fields)} content fields in {len(files)} files (add a '{code}:' line to each)"
    )
    if prose:
        more = f" and {len(prose) - 1} more" if len(prose) > 1 else ""
        lines.append(f"  - Markdown files to write: {prose[0].file}{more}")
    if goals:
        lines.append(f"  - {len(goals)} names and descriptions of the Goals, in content/sdgs.yaml")
    if code not in _segment_languages():
        lines.append(
            f"  - optional: URL segments in {code} (languages[].segments in site.yaml); "
            "until then the English ones are used"
        )
    lines.append("")
    lines.append(
        "`cityprofiles i18n status` lists every item with its file and line; until all is "
        "translated, pages show the default language, marked, and `check --strict` fails. "
        "Steps for translators: docs/translating.md."
    )
    return "\n".join(lines)


def _segment_languages() -> set[str]:
    from cityprofiles.model import default_segments

    return set(default_segments())


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one rename, keeping its permissions."""
    mode = path.stat().st_mode & 0o777
    fd, tmp = tempfile.mkstemp(prefix=".site-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
