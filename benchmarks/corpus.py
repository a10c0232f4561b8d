"""A deterministic synthetic site in cityprofiles' own content format, for benchmarks.

``python -m benchmarks.corpus OUT --cities 1000 --seed 7`` writes ``OUT/content/``:
``site.yaml``, ``networks.yaml`` (40 networks), ``accessibility.yaml``, the about
pages and N city folders, each with a ``city.yaml`` (3–10 network memberships,
3–12 SDG links, partners, contacts, strategy, themes) and a narrative of about
600 words per language (``--vocabulary``: see :data:`VOCABULARIES`). The same N, seed
and vocabulary give byte-identical files: only a seeded :class:`random.Random` is used,
never the clock or ``hash()``.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from benchmarks.vocabulary import draw
from benchmarks.vocabulary import vocabulary as words_of

NETWORKS = 40

_SYLLABLES = [
    "al",
    "ber",
    "bur",
    "dam",
    "del",
    "dor",
    "dren",
    "ek",
    "en",
    "ga",
    "gen",
    "ha",
    "hem",
    "her",
    "hoe",
    "horn",
    "huis",
    "kamp",
    "ker",
    "lan",
    "lei",
    "lo",
    "maas",
    "mer",
    "mon",
    "ne",
    "oor",
    "pen",
    "rijn",
    "ros",
    "sel",
    "ste",
    "ter",
    "tiel",
    "ven",
    "vel",
    "wijk",
    "win",
    "zee",
    "zand",
    "zwol",
]

_EN = [
    "the",
    "city",
    "works",
    "with",
    "partners",
    "across",
    "Europe",
    "on",
    "climate",
    "health",
    "housing",
    "mobility",
    "and",
    "culture",
    "its",
    "international",
    "office",
    "supports",
    "local",
    "firms",
    "universities",
    "and",
    "residents",
    "who",
    "want",
    "to",
    "learn",
    "from",
    "other",
    "places",
    "projects",
    "range",
    "from",
    "clean",
    "energy",
    "districts",
    "to",
    "inclusive",
    "public",
    "services",
    "and",
    "the",
    "council",
    "reviews",
    "progress",
    "every",
    "year",
    "with",
    "citizens",
    "and",
    "networks",
    "that",
    "share",
    "knowledge",
    "data",
    "and",
    "practical",
    "tools",
    "for",
    "better",
    "local",
    "policy",
]
_NL = [
    "de",
    "stad",
    "werkt",
    "met",
    "partners",
    "in",
    "heel",
    "Europa",
    "aan",
    "klimaat",
    "gezondheid",
    "wonen",
    "mobiliteit",
    "en",
    "cultuur",
    "het",
    "internationale",
    "bureau",
    "ondersteunt",
    "lokale",
    "bedrijven",
    "universiteiten",
    "en",
    "inwoners",
    "die",
    "willen",
    "leren",
    "van",
    "andere",
    "plaatsen",
    "projecten",
    "lopen",
    "van",
    "schone",
    "energiewijken",
    "tot",
    "inclusieve",
    "publieke",
    "diensten",
    "en",
    "de",
    "raad",
    "bespreekt",
    "de",
    "voortgang",
    "elk",
    "jaar",
    "met",
    "inwoners",
    "en",
    "netwerken",
    "die",
    "kennis",
    "gegevens",
    "en",
    "praktische",
    "hulpmiddelen",
    "delen",
    "voor",
    "beter",
    "lokaal",
    "beleid",
]
_HEADINGS = {
    "en": ("Where we stand", "What we learn abroad", "Working with partners", "Looking ahead"),
    "nl": ("Waar we staan", "Wat we leren in het buitenland", "Samen met partners", "Vooruitblik"),
}
_COUNTRIES = ("NL", "BE", "DE", "FR", "ES", "IT", "PL", "SE", "PT", "AT")


VOCABULARIES = ("small", "zipf")
"""``small``: the ~60 words above, each on every page (every search matches every page;
the build benchmarks' corpus, kept byte for byte). ``zipf``: 30 000 words a language
drawn with Zipf's law (:mod:`benchmarks.vocabulary`), so a word is on a realistic
share of the pages: what the search benchmark needs."""


class _Writer:
    """One seeded random stream for a whole corpus, so output depends on (N, seed,
    vocabulary) only."""

    def __init__(self, seed: int, vocabulary: str = "small") -> None:
        if vocabulary not in VOCABULARIES:
            raise ValueError(f"vocabulary must be one of {VOCABULARIES}, not {vocabulary!r}")
        self.rng = random.Random(seed)
        self.zipf = vocabulary == "zipf"

    def sentence(self, lang: str, low: int = 8, high: int = 18) -> str:
        count = self.rng.randint(low, high)
        if self.zipf:
            picked = draw(self.rng, words_of(lang), count)
        else:
            small = _EN if lang == "en" else _NL
            picked = [self.rng.choice(small) for _ in range(count)]
        return picked[0].capitalize() + " " + " ".join(picked[1:]) + "."

    def text(self, low: int = 8, high: int = 18) -> str:
        """A YAML ``{en: …, nl: …}`` block (indented by the caller)."""
        return f"en: {self.sentence('en', low, high)}\nnl: {self.sentence('nl', low, high)}"

    def narrative(self, lang: str, name: str) -> str:
        """About 600 words of Markdown: sections, paragraphs, a list, emphasis and a link."""
        parts: list[str] = []
        for heading in _HEADINGS[lang]:
            parts.append(f"## {heading}\n")
            for _ in range(2):
                sentences = [self.sentence(lang) for _ in range(5)]
                sentences[1] = f"*{name}* " + sentences[1][0].lower() + sentences[1][1:]
                parts.append(" ".join(sentences) + "\n")
            items = [f"- **{self.sentence(lang, 2, 3)[:-1]}**: {self.sentence(lang, 4, 7)}"]
            items += [f"- {self.sentence(lang, 4, 8)}" for _ in range(2)]
            parts.append("\n".join(items) + "\n")
        parts.append(f"[{name}](https://www.example.org/{name.lower()}/)\n")
        return "\n".join(parts)


def _indent(block: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in block.splitlines())


def _names(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    names: list[str] = []
    while len(names) < count:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        if name.lower() in seen:
            name = f"{name} {len(names)}"
        seen.add(name.lower())
        names.append(name)
    return names


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _city_yaml(w: _Writer, name: str, others: list[str], index: int) -> str:
    rng = w.rng
    lines = [
        f"name: {name}",
        f"organisation:\n  en: City of {name}\n  nl: Gemeente {name}",
        f"country: {rng.choice(_COUNTRIES)}",
        f"region:\n  en: Region {index % 12 + 1}\n  nl: Regio {index % 12 + 1}",
        f"population: {{value: {rng.randint(20_000, 900_000)}, year: {rng.randint(2015, 2024)}}}",
        f"nationalities: {rng.randint(20, 180)}",
        f"mayor: {{name: Mayor {name}, as_of: {rng.randint(2015, 2024)}}}",
        f"coordinates: {{lat: {rng.uniform(36, 60):.4f}, lon: {rng.uniform(-8, 24):.4f}}}",
        f"website: https://www.{_slug(name)}.example/",
        # reviewed in 2026 up to November: none due on the test suite's day (2026-12-01)
        f"last_reviewed: 2026-{min(rng.randint(1, 12), 11):02d}-{rng.randint(1, 28):02d}",
        "summary:\n" + _indent(w.text(14, 24), 2),
        "strategy:",
        "  title:\n" + _indent(w.text(3, 6), 4),
        f"  period: {{start: {rng.randint(2018, 2024)}, end: 2030}}",
        "  summary:\n" + _indent(w.text(20, 35), 4),
        "  spearheads:",
        *("    - " + _indent(w.text(4, 8), 6).lstrip() for _ in range(rng.randint(2, 5))),
        "themes:",
        *("  - " + _indent(w.text(2, 4), 4).lstrip() for _ in range(rng.randint(2, 5))),
        "memberships:",
    ]
    for nid in sorted(rng.sample(range(NETWORKS), rng.randint(3, 10))):
        lines.append(f"  - network: network-{nid:02d}")
        lines.append(f"    since: {rng.randint(1990, 2024)}")
        if rng.random() < 0.3:
            lines.append("    role:\n" + _indent(w.text(2, 4), 6))
    lines.append("sdgs:\n  summary:\n" + _indent(w.text(10, 20), 4) + "\n  goals:")
    for goal in sorted(rng.sample(range(1, 18), rng.randint(3, 12))):
        lines.append(f"    - goal: {goal}\n      description:\n" + _indent(w.text(8, 20), 8))
    lines.append("partners:")
    for _ in range(rng.randint(1, 4)):
        partner = rng.choice(others) if others else "Elsewhere"
        lines.append(f"  - name: {partner}\n    country: {rng.choice(_COUNTRIES)}")
        lines.append(f"    kind: {rng.choice(('sister', 'partner', 'friendship'))}")
        lines.append(f"    since: {rng.randint(1960, 2024)}")
        if others and partner != name:
            lines.append(f"    city: {_slug(partner)}")
        lines.append("    focus:\n      - " + _indent(w.text(2, 4), 8).lstrip())
    lines.append("contacts:")
    for number in range(rng.randint(1, 3)):
        lines.append(f"  - id: contact-{number}\n    purpose:\n" + _indent(w.text(3, 6), 6))
        lines.append(f"    email: office{number}@{_slug(name)}.example")
        lines.append(f'    phone: "+31 30 {rng.randint(200, 999)} {rng.randint(1000, 9999)}"')
    return "\n".join(lines) + "\n"


def generate(out: Path, cities: int, seed: int = 7, vocabulary: str = "small") -> Path:
    """Write a complete site with ``cities`` cities into ``out`` (replacing ``out/content``),
    its text drawn from the ``small`` or the ``zipf`` vocabulary (:data:`VOCABULARIES`)."""
    w = _Writer(seed, vocabulary)
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "pages").mkdir(parents=True)
    files: dict[str, str] = {
        "site.yaml": (
            "title: {en: Cities in the World, nl: Steden in de wereld}\n"
            "tagline: {en: A synthetic benchmark site, nl: Een synthetische testsite}\n"
            "publisher: {en: The benchmark, nl: De benchmark}\n"
            "base_url: https://bench.example.org/\nlanguages: [en, nl]\n"
        ),
        "accessibility.yaml": (
            "organisation: {en: The benchmark, nl: De benchmark}\nstatus: partial\n"
            "evaluated: 2026-11-01\ncontact_email: a11y@bench.example.org\n"
            "statement_date: 2026-11-01\nreviewed: 2026-11-01\n"
        ),
        "pages/about.en.md": w.narrative("en", "About") + "\n",
        "pages/about.nl.md": w.narrative("nl", "Over") + "\n",
    }
    registry = ["networks:"]
    for nid in range(NETWORKS):
        registry.append(f"  network-{nid:02d}:\n    name: Network {nid}")
        registry.append(f"    website: https://network-{nid:02d}.example.org/")
        registry.append("    description:\n" + _indent(w.text(12, 24), 6))
    files["networks.yaml"] = "\n".join(registry) + "\n"
    names = _names(w.rng, cities)
    for index, name in enumerate(names):
        folder = f"cities/{_slug(name)}"
        others = [n for n in w.rng.sample(names, min(5, len(names))) if n != name]
        files[f"{folder}/city.yaml"] = _city_yaml(w, name, others, index)
        for lang in ("en", "nl"):
            files[f"{folder}/narrative.{lang}.md"] = w.narrative(lang, name)
    for rel, text in sorted(files.items()):
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--cities", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--vocabulary",
        choices=VOCABULARIES,
        default="small",
        help="small: every word on every page (the build benchmarks' corpus); zipf: 30 000 "
        "words a language with Zipf's law, a query matches a realistic share of the pages",
    )
    args = parser.parse_args()
    generate(args.out, args.cities, args.seed, args.vocabulary)
    print(f"wrote {args.cities} cities ({args.vocabulary} vocabulary) into {args.out / 'content'}")


if __name__ == "__main__":
    main()
