"""The benchmark corpus translated into a Hugo multilingual site (en, nl), same page set.

Each city becomes a page bundle with ``index.en.md`` and ``index.nl.md`` (front matter
with the facts, the narrative as body); networks and goals become taxonomies, so Hugo
generates one page per network and per goal listing its cities, plus the term lists.
Layouts are minimal and comparable to the floor's templates.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

CONFIG = """\
baseURL = "https://bench.example.org/"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
disableKinds = ["RSS", "sitemap"]
[taxonomies]
network = "networks"
goal = "goals"
[languages.en]
weight = 1
[languages.nl]
weight = 2
"""
LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html><html lang="{{ .Language.Lang }}"><head><meta charset="utf-8">
<title>{{ .Title }}</title>{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}
</head><body><header><a href="{{ "" | relLangURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>""",
    "_default/single.html": """{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>
<dl><dt>Country</dt><dd>{{ .Params.country }}</dd><dt>Population</dt><dd>{{ .Params.population }}</dd></dl>
<section>{{ .Content }}</section><h2>{{ .Params.strategy }}</h2>
<ul>{{ range .Params.themes }}<li>{{ . }}</li>{{ end }}</ul>
<table>{{ range .Params.networks }}<tr><th><a href="{{ (printf "/networks/%s" .) | relLangURL }}">{{ . }}</a></th></tr>{{ end }}</table>
<ul>{{ range .Params.goal_texts }}<li>{{ . }}</li>{{ end }}</ul>
<ul>{{ range .Params.contacts }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
{{ range .Pages }}<article><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3><p>{{ .Params.summary }}</p></article>{{ end }}{{ end }}""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>{{ range where site.RegularPages "Section" "cities" }}
<article><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3><p>{{ .Params.summary }}</p></article>{{ end }}{{ end }}""",
    "404.html": """{{ define "main" }}<h1>Not found</h1>{{ end }}""",
}


def convert(site: Path, out: Path) -> Path:
    """Write the Hugo version of the cityprofiles site ``site`` into ``out``."""
    if out.exists():
        shutil.rmtree(out)
    (out / "content").mkdir(parents=True)
    (out / "hugo.toml").write_text(CONFIG)
    for rel, text in LAYOUTS.items():
        (out / "layouts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / "layouts" / rel).write_text(text)
    for lang in ("en", "nl"):
        about = (site / f"content/pages/about.{lang}.md").read_text("utf-8")
        (out / "content/about").mkdir(exist_ok=True)
        (out / f"content/about/index.{lang}.md").write_text(f'---\ntitle: "About"\n---\n{about}')
        (out / f"content/accessibility.{lang}.md").write_text('---\ntitle: "Accessibility"\n---\n')
    for folder in sorted((site / "content/cities").iterdir()):
        city = yaml.load((folder / "city.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
        bundle = out / "content/cities" / folder.name
        bundle.mkdir(parents=True)
        for lang in ("en", "nl"):
            front = {
                "title": city["name"],
                "summary": city["summary"][lang],
                "country": city["country"],
                "population": city["population"]["value"],
                "strategy": city["strategy"]["title"][lang],
                "themes": [t[lang] for t in city.get("themes", [])],
                "networks": [m["network"] for m in city["memberships"]],
                "goals": [str(g["goal"]) for g in city["sdgs"]["goals"]],
                "goal_texts": [g["description"][lang] for g in city["sdgs"]["goals"]],
                "contacts": [c["email"] for c in city.get("contacts", [])],
            }
            body = (folder / f"narrative.{lang}.md").read_text("utf-8")
            text = json.dumps(front, ensure_ascii=False) + "\n\n" + body
            (bundle / f"index.{lang}.md").write_text(text, encoding="utf-8")
    return out
