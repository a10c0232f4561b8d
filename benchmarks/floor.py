"""The floor: the same pages from the same theme templates, with Jinja2 and Python-Markdown alone.

No validation, no source positions, no i18n machinery (UI strings stay English,
fields are plain dict lookups), no sanitising, no JSON-LD, no map drawing, no open-data
files, no sitemap, no atomic swap, one process: read the YAML with libyaml, convert each
narrative, render every page cityprofiles renders (the compare, data and search pages
included) with cityprofiles' own templates and write it. What cityprofiles spends beyond
this is the cost of its pipeline. ``python -m benchmarks.floor SITE OUT``
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import jinja2
import markdown
import yaml
from markupsafe import Markup

THEME = Path(__file__).resolve().parent.parent / "src/cityprofiles/theme/templates"
DATA = THEME.parent.parent / "data"
load = lambda path: yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)  # noqa: E731


def pick(value: Any, lang: str) -> Any:
    return value.get(lang, value.get("en", "")) if isinstance(value, dict) else value


def ngettext(singular: str, plural: str, count: int, **kw: Any) -> str:
    return (singular if count == 1 else plural) % {"num": count, **kw}


def main(root: Path, out: Path) -> int:
    """Render every page of the site under ``root`` into ``out``; return the page count."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(THEME), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    md = markdown.Markdown(extensions=["tables", "sane_lists"])
    content = root / "content"
    config, segments = load(content / "site.yaml"), load(DATA / "languages.yaml")
    sdgs = [g | {"text_colour": "#FFF"} for g in load(DATA / "sdgs.yaml")]
    networks = load(content / "networks.yaml")["networks"]
    cities = []
    for folder in sorted((content / "cities").iterdir()):
        city = load(folder / "city.yaml") | {"id": folder.name, "narrative": {}}
        for lang in ("en", "nl"):
            text = (folder / f"narrative.{lang}.md").read_text("utf-8")
            city["narrative"][lang] = md.reset().convert(text)
        cities.append(city)
    about = {
        la: md.reset().convert((content / f"pages/about.{la}.md").read_text()) for la in segments
    }
    by_network: dict[str, list[Any]] = {nid: [] for nid in networks}
    by_goal: dict[int, list[Any]] = {g["number"]: [] for g in sdgs}
    for city in cities:
        for m in city["memberships"]:
            by_network[m["network"]].append((city, m))
        for link in city["sdgs"]["goals"]:
            by_goal[link["goal"]].append((city, link))
    by_id = {city["id"]: city for city in cities}
    site = {"config": config, "cities": cities, "networks": networks, "sdgs": sdgs}
    site["city"] = by_id.get
    site |= {"members_by_network": by_network, "cities_by_goal": by_goal}
    site["accessibility"] = load(content / "accessibility.yaml")
    matrix = [
        {
            "goal": g,
            "cells": [(c, g["number"] in {x["goal"] for x in c["sdgs"]["goals"]}) for c in cities],
        }
        for g in sdgs
    ]
    # the compare page's summaries of a large site (cityprofiles.render.compare), by plain dicts
    by_country: dict[str, list[Any]] = {}
    for city in cities:
        by_country.setdefault(city["country"], []).append(city)
    countries = []
    for code, members in sorted(by_country.items()):
        tally: dict[int, int] = {}
        for city in members:
            for link in city["sdgs"]["goals"]:
                tally[link["goal"]] = tally.get(link["goal"], 0) + 1
        given = [c["population"]["value"] for c in members if c.get("population")]
        countries.append(
            {
                "country": code,
                "name": code,
                "cities": sorted(members, key=lambda c: str(pick(c["name"], "en")).casefold()),
                "population": sum(given),
                "counted": len(given),
                "networks": len({m["network"] for c in members for m in c["memberships"]}),
                "top_goals": sorted(tally, key=lambda g: (-tally[g], g))[:3],
            }
        )
    goal_counts = [
        {
            "goal": g,
            "cities": len(by_goal[g["number"]]),
            "share": f"{round(100 * len(by_goal[g['number']]) / len(cities))}%",
            "percent": round(100 * len(by_goal[g["number"]]) / len(cities)),
        }
        for g in sdgs
    ]
    partner_rows = [
        {"city": c, "partner": p, "on_map": True, "far": False}
        for c in cities
        for p in c.get("partners", [])
    ]
    files = {
        "collections": [
            {"name": n, "href": f"../../data/{n}.csv", "format": "CSV", "size": ""}
            for n in ("cities", "memberships", "sdg-links", "partners", "partnerships")
        ],
        "cities": [
            {
                "name": c["id"],
                "href": f"../../data/cities/{c['id']}.json",
                "format": "JSON",
                "size": "",
            }
            for c in cities
        ],
        "schema": [
            {
                "name": "s",
                "href": "../../data/schema/city.schema.json",
                "format": "JSON",
                "size": "",
            }
        ],
    }
    base, langs = config["base_url"], config["languages"]
    names = {"en": "English", "nl": "Nederlands"}

    def path(kind: str, key: object, lang: str) -> str:
        if kind in ("home", "root"):
            return f"{lang}/"
        if kind == "not_found":
            return f"{lang}/404.html"
        plural = {"city": "cities", "network": "networks", "goal": "goals"}.get(kind, kind)
        return f"{lang}/{segments[lang][plural]}/" + (f"{key}/" if key != "" else "")

    pages = 0
    for lang in langs:
        env.filters.update(tr=lambda v, la=lang: pick(v, la), text=lambda v, la=lang: pick(v, la))
        env.filters.update(
            block=lambda v, shift=0, la=lang: Markup(pick(v, la)), country=str, phone=str
        )
        env.filters.update(og_locale=str)
        env.filters.update(number=lambda v: f"{v:,}", date=str, time=str, language_name=str)
        env.filters.update(headings=lambda v: [])
        env.globals.update(
            site=site,
            lang={
                "code": lang,
                "locale": lang,
                "direction": "ltr",
                "name_in": lambda _, la=lang: names[la],
            },
            sdg=lambda n: sdgs[n - 1],
        )
        env.globals.update(_=lambda s, **kw: s % kw, gettext=lambda s, **kw: s % kw)
        env.globals.update(ngettext=ngettext, fallback_note=lambda la: "")

        def page(
            kind: str, key: object = "", template: str = "", lang: str = lang, **extra: Any
        ) -> None:
            nonlocal pages
            rel = path(kind, key, lang)
            up = "../" * rel.count("/")
            env.globals.update(
                url_to=lambda k, key="", up=up, lang=lang: up + path(k, key, lang),
                asset=lambda p, up=up: f"{up}assets/{p}",
                data_url=lambda *parts, up=up: up + "data/" + "/".join(map(str, parts)),
            )
            alternates = [
                {
                    "language": {
                        "code": la,
                        "locale": la,
                        "native_name": names[la],
                        "direction": "ltr",
                    },
                    "href": up + path(kind, key, la),
                    "absolute": base + path(kind, key, la),
                    "current": la == lang,
                }
                for la in langs
            ]
            view = {
                "route": {"kind": kind, "key": key, "lang": lang},
                "title": kind,
                "description": pick(config["tagline"], lang),
                "canonical": base + rel,
                "alternates": alternates,
                "x_default": base + path(kind, key, "en"),
            }
            html = env.get_template(template or f"{kind}.html").render(page=view, **extra)
            target = out / (rel + "index.html" if rel.endswith("/") else rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
            pages += 1

        if lang == langs[0]:
            page("root", template="root.html")
            page("not_found", template="root_404.html")  # written over below: same count
            (out / f"{lang}/404.html").rename(out / "404.html")
            (out / "index.html").write_bytes((out / f"{lang}/index.html").read_bytes())
        page("home", intro=None)
        page("cities")
        for city in cities:
            page("city", city["id"], city=city)
        page("networks")
        for nid, network in networks.items():
            page("network", nid, network=network, members=by_network[nid])
        page("goals")
        for goal in sdgs:
            page("goal", goal["number"], goal=goal, links=by_goal[goal["number"]])
        page("about", content=about)
        page("accessibility")
        up = "../../"  # from {lang}/compare/
        page(
            "compare",
            matrix=matrix,
            partner_rows=partner_rows,
            map_svg="",
            map_far=False,
            city_links={c["id"]: up + path("city", c["id"], lang) for c in cities},
            network_links={n: up + path("network", n, lang) for n in networks},
            goal_links={g["number"]: up + path("goal", g["number"], lang) for g in sdgs},
            goals_by_number={g["number"]: g for g in sdgs},
            detailed=len(cities) <= 50,
            matrix_by_city=len(cities) > 6,
            countries=countries,
            city_rows=len(cities) <= 2000,
            goal_counts=goal_counts,
            cities_csv="../../data/cities.csv",
            data_page=up + path("data", "", lang),
        )
        page(
            "data",
            downloads=files,
            feed=f"../../{lang}/updates.atom",
            licence_url="",
            licence_id=config.get("data_licence", ""),
            licence_name="",
        )
        page("search", pagefind_js="../../pagefind/pagefind.js", site_root="../../")
        page("not_found", template="404.html")
    return pages


if __name__ == "__main__":
    print(main(Path(sys.argv[1]), Path(sys.argv[2])), "pages")
