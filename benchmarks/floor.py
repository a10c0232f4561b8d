"""The floor: the same page set rendered with Jinja2 and Python-Markdown alone.

No validation, no positions, no i18n machinery, no sanitising, no atomic swap:
read the YAML (libyaml), convert each narrative, render one template per page
kind, write the files. What cityprofiles does beyond this is its overhead.
``python -m benchmarks.floor SITE OUT``
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import markdown
import yaml

SDGS = [{"number": n, "name": {"en": f"Goal {n}", "nl": f"Doel {n}"}} for n in range(1, 18)]
BASE = """<!DOCTYPE html><html lang="{{ lang }}"><head><meta charset="utf-8">
<title>{{ title }}</title><link rel="stylesheet" href="{{ up }}assets/css/site.css">
{% for l in langs %}<link rel="alternate" hreflang="{{ l }}" href="{{ base_url }}{{ l }}/">{% endfor %}
</head><body><header><a href="{{ up }}{{ lang }}/">{{ site.title[lang] }}</a><nav>
{% for l in langs %}<a href="{{ up }}{{ l }}/">{{ l }}</a>{% endfor %}</nav></header>
<main>{% block main %}{% endblock %}</main><footer>{{ site.publisher[lang] }}</footer></body></html>"""
CARD = """<article><h3><a href="{{ up }}{{ lang }}/cities/{{ c.id }}/">{{ c.name }}</a></h3>
<p>{{ c.country }} · {{ c.region[lang] }}</p><p>{{ c.summary[lang] }}</p>
<dl><dt>Population</dt><dd>{{ "{:,}".format(c.population.value) }}</dd>
<dt>Networks</dt><dd>{{ c.memberships|length }}</dd><dt>Goals</dt><dd>{{ c.sdgs.goals|length }}</dd></dl></article>"""
PAGES = {
    "base": BASE,
    "home": "{% extends 'base' %}{% block main %}<h1>{{ site.title[lang] }}</h1>{% for c in cities %}"
    + CARD
    + "{% endfor %}{% endblock %}",
    "city": """{% extends 'base' %}{% block main %}<h1>{{ c.name }}</h1><p>{{ c.summary[lang] }}</p>
<dl><dt>Country</dt><dd>{{ c.country }}</dd><dt>Population</dt><dd>{{ c.population.value }}</dd>
<dt>Mayor</dt><dd>{{ c.mayor.name }}</dd><dt>Website</dt><dd><a href="{{ c.website }}">{{ c.website }}</a></dd></dl>
<section>{{ c.html[lang] }}</section><h2>{{ c.strategy.title[lang] }}</h2><p>{{ c.strategy.summary[lang] }}</p>
<ul>{% for s in c.strategy.spearheads %}<li>{{ s[lang] }}</li>{% endfor %}</ul>
<ul>{% for t in c.themes %}<li>{{ t[lang] }}</li>{% endfor %}</ul><table>
{% for m in c.memberships %}<tr><th><a href="../../networks/{{ m.network }}/">{{ networks[m.network].name }}</a></th>
<td>{{ m.role[lang] if m.role else "Member" }}</td><td>{{ m.since }}</td></tr>{% endfor %}</table>
<p>{{ c.sdgs.summary[lang] }}</p><ul>{% for g in c.sdgs.goals %}<li><a href="../../goals/{{ g.goal }}/">{{ g.goal }}</a>
<p>{{ g.description[lang] }}</p></li>{% endfor %}</ul><ul>{% for p in c.partners %}<li>{{ p.name }} ({{ p.country }},
{{ p.kind }}, {{ p.since }}){% for f in p.focus %} {{ f[lang] }}{% endfor %}</li>{% endfor %}</ul>
<ul>{% for k in c.contacts %}<li>{{ k.purpose[lang] }} <a href="mailto:{{ k.email }}">{{ k.email }}</a>
<a href="tel:{{ k.phone }}">{{ k.phone }}</a></li>{% endfor %}</ul><p>{{ c.last_reviewed }}</p>{% endblock %}""",
    "network": """{% extends 'base' %}{% block main %}<h1>{{ n.name }}</h1><p>{{ n.description[lang] }}</p>
<table>{% for c, m in members %}<tr><th><a href="../../cities/{{ c.id }}/">{{ c.name }}</a></th>
<td>{{ m.role[lang] if m.role else "Member" }}</td><td>{{ m.since }}</td></tr>{% endfor %}</table>{% endblock %}""",
    "networks": """{% extends 'base' %}{% block main %}{% for nid, n in networks.items() %}<h2>{{ n.name }}</h2>
<p>{{ n.description[lang] }}</p><p>{% for c, m in by_network[nid] %}<a href="../cities/{{ c.id }}/">{{ c.name }}</a>,
{% endfor %}</p>{% endfor %}{% endblock %}""",
    "goal": """{% extends 'base' %}{% block main %}<h1>{{ g.name[lang] }}</h1><ul>{% for c, link in links %}
<li><a href="../../cities/{{ c.id }}/">{{ c.name }}</a><p>{{ link.description[lang] }}</p></li>{% endfor %}</ul>{% endblock %}""",
    "goals": """{% extends 'base' %}{% block main %}<ul>{% for g in sdgs %}<li><a href="{{ g.number }}/">{{ g.name[lang] }}</a>
{{ by_goal[g.number]|length }}</li>{% endfor %}</ul>{% endblock %}""",
    "prose": "{% extends 'base' %}{% block main %}<h1>{{ title }}</h1>{{ body }}{% endblock %}",
}


def main(root: Path, out: Path) -> int:
    """Render every page of the site under ``root`` into ``out``; return the page count."""
    env = jinja2.Environment(loader=jinja2.DictLoader(PAGES), autoescape=True)
    md = markdown.Markdown(extensions=["tables", "sane_lists"])
    load = lambda p: yaml.load(p.read_text("utf-8"), Loader=yaml.CSafeLoader)  # noqa: E731
    site, networks = load(root / "content/site.yaml"), load(root / "content/networks.yaml")
    networks = networks["networks"]
    cities, prose = [], {}
    for folder in sorted((root / "content/cities").iterdir()):
        city = load(folder / "city.yaml") | {"id": folder.name, "html": {}}
        city["name"] = city["name"] if isinstance(city["name"], str) else city["name"]["en"]
        for lang in ("en", "nl"):
            text = (folder / f"narrative.{lang}.md").read_text("utf-8")
            city["html"][lang] = jinja2.utils.markupsafe.Markup(md.reset().convert(text))
        cities.append(city)
    for lang in ("en", "nl"):
        text = (root / f"content/pages/about.{lang}.md").read_text("utf-8")
        prose[lang] = jinja2.utils.markupsafe.Markup(md.reset().convert(text))
    by_network = {nid: [] for nid in networks}
    by_goal = {g["number"]: [] for g in SDGS}
    for city in cities:
        for m in city["memberships"]:
            by_network[m["network"]].append((city, m))
        for link in city["sdgs"]["goals"]:
            by_goal[link["goal"]].append((city, link))
    common = {"site": site, "langs": ("en", "nl"), "base_url": site["base_url"]}
    common |= {"networks": networks, "by_network": by_network, "by_goal": by_goal, "sdgs": SDGS}
    pages = 0

    def page(rel: str, template: str, **context: object) -> None:
        nonlocal pages
        up = "../" * rel.count("/")
        html = env.get_template(template).render(common, up=up, **context)
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        pages += 1

    page("index.html", "prose", lang="en", title="Choose", body="")
    page("404.html", "prose", lang="en", title="Not found", body="")
    for lang in ("en", "nl"):
        page(f"{lang}/index.html", "home", lang=lang, title="Home", cities=cities)
        page(f"{lang}/cities/index.html", "home", lang=lang, title="Cities", cities=cities)
        for c in cities:
            page(f"{lang}/cities/{c['id']}/index.html", "city", lang=lang, title=c["name"], c=c)
        page(f"{lang}/networks/index.html", "networks", lang=lang, title="Networks")
        for nid, n in networks.items():
            members = by_network[nid]
            page(
                f"{lang}/networks/{nid}/index.html",
                "network",
                lang=lang,
                title=nid,
                n=n,
                members=members,
            )
        page(f"{lang}/goals/index.html", "goals", lang=lang, title="Goals")
        for g in SDGS:
            links = by_goal[g["number"]]
            page(
                f"{lang}/goals/{g['number']}/index.html",
                "goal",
                lang=lang,
                title="Goal",
                g=g,
                links=links,
            )
        page(f"{lang}/about/index.html", "prose", lang=lang, title="About", body=prose[lang])
        page(f"{lang}/accessibility/index.html", "prose", lang=lang, title="A11y", body="")
        page(f"{lang}/404.html", "prose", lang=lang, title="Not found", body="")
    return pages


if __name__ == "__main__":
    print(main(Path(sys.argv[1]), Path(sys.argv[2])), "pages")
