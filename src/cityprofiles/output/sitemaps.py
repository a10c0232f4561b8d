"""``sitemap.xml`` with ``hreflang`` alternates for every page, and ``robots.txt``."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from cityprofiles.render import Router


def sitemap(router: Router) -> bytes:
    """Every page (404 pages excepted) with all its language versions and ``x-default``."""
    site = router.site
    lastmod = {city.id: city.last_reviewed.isoformat() for city in site.cities}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    base = site.config.base_url
    lines.append(f"  <url><loc>{_esc(base)}</loc>")
    for lang in site.language_codes:
        home = router.absolute(router.get("home", "", lang))
        lines.append(f'    <xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(home)}/>')
    lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(base)}/>')
    lines.append("  </url>")
    for route in router:
        if route.kind == "not_found":
            continue
        lines.append(f"  <url><loc>{_esc(router.absolute(route))}</loc>")
        if route.kind == "city":
            lines.append(f"    <lastmod>{lastmod[route.key]}</lastmod>")
        for alt in router.alternates(route):
            href = quoteattr(router.absolute(alt))
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{alt.lang}" href={href}/>')
        default = router.get(route.kind, route.key, site.default_language)
        x_default = base if route.kind == "home" else router.absolute(default)
        lines.append(
            f'    <xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(x_default)}/>'
        )
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(base_url: str) -> bytes:
    """Allow everything and point crawlers at the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n".encode()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
