"""The command line's arguments (import-light: it is all ``--help`` needs).

Every command takes the site folder, as ``SITE`` or ``--site SITE`` (CONTRIBUTING.md):
call :func:`site_args` on each new (leaf) command.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from cityprofiles import __version__


def site_args(parser: argparse.ArgumentParser) -> None:
    """The site folder, as every command takes it: ``SITE`` or ``--site SITE`` (CONTRIBUTING.md)."""
    parser.add_argument(
        "site_dir",
        nargs="?",
        type=Path,
        default=None,
        metavar="SITE",
        help="the site folder (default: the current folder, or --site)",
    )
    parser.add_argument("--site", type=Path, default=None, help="the site folder")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {text!r}")
    return value


def _day(text: str) -> object:
    """A date for ``--today`` (``YYYY-MM-DD``)."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2027-01-31, got {text!r}") from None


def _today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today",
        type=_day,
        default=None,
        metavar="YYYY-MM-DD",
        help="check the dates (reviews due, the accessibility statement) as on this day "
        "(default: $CITYPROFILES_TODAY, else today)",
    )


def _host(text: str) -> str:
    """An IP address or a host name (checked for its form; the server reports a name that
    does not resolve)."""
    import ipaddress
    import re

    try:
        ipaddress.ip_address(text)
    except ValueError:
        label = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
        if not re.fullmatch(rf"{label}(\.{label})*\.?", text) or len(text) > 253:
            raise argparse.ArgumentTypeError(
                f"expected an IP address such as 127.0.0.1 or a host name, got {text!r}"
            ) from None
    return text


def make_parser() -> argparse.ArgumentParser:
    """The argument parser (kept import-light: it is all ``--help`` needs)."""
    parser = argparse.ArgumentParser(
        prog="cityprofiles",
        description="Build bilingual websites about cities' international work from YAML and Markdown.",
    )
    parser.add_argument("--version", action="version", version=f"cityprofiles {__version__}")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _build_command(sub)
    _check_command(sub)
    _review_command(sub)
    _init_command(sub)
    _editor_commands(sub)
    return parser


if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def _jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        default=None,
        metavar="N",
        help="render in N processes (default: one per core; 1: no extra processes)",
    )


def _build_command(sub: Commands) -> None:
    build = sub.add_parser("build", help="build the site into the output folder")
    site_args(build)
    build.add_argument("--out", type=Path, default=None, help="output folder (default: SITE/build)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--base-url", default=None, help="override the configured base URL")
    build.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    _jobs(build)
    _today(build)
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore and do not write the build cache (SITE/.cache/cityprofiles/)",
    )
    build.add_argument(
        "--no-search",
        action="store_true",
        help="leave out the Pagefind search index (faster preview builds)",
    )
    build.add_argument(
        "--timings",
        action="store_true",
        help="print how long each stage of the build took (to standard error)",
    )


def _check_command(sub: Commands) -> None:
    check = sub.add_parser("check", help="validate the content without writing anything")
    site_args(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    _jobs(check)
    _today(check)
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json, or GitHub Actions annotations",
    )


def _review_command(sub: Commands) -> None:
    review = sub.add_parser(
        "review",
        help="which city profiles are due for review, and when the others will be",
        description="List every city with its last review (last_reviewed) and the day it "
        "falls due (review_after months later, site.yaml), most overdue first. `check` "
        "warns for overdue profiles; `check --strict` fails on them.",
    )
    site_args(review)
    review.add_argument("--format", choices=("text", "json"), default="text")
    _today(review)


def _init_command(sub: Commands) -> None:
    init = sub.add_parser(
        "init",
        help="create a new site with an example city",
        description="Create a new site: configuration, one example city in every language, "
        "the network registry, the accessibility statement, a README for editors and a CI "
        "workflow. It passes `check --strict` and builds at once.",
    )
    site_args(init)
    init.add_argument(
        "--languages",
        default="en,nl",
        metavar="CODES",
        help="languages in menu order, the first the default: en,nl (default), nl,en, en or nl",
    )
    init.add_argument(
        "--base-url",
        default=None,
        help="public address of the site (default: https://www.example.org/)",
    )
    init.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    init.add_argument(
        "--source",
        default=None,
        metavar="REQUIREMENT",
        help="where the site's CI installs cityprofiles from: a requirement "
        "(cityprofiles==X.Y.Z) or a wheel or Git address (default: this version's Git tag)",
    )


def _editor_commands(sub: Commands) -> None:
    """The editor's loop: serve, new city, schema (and i18n, below)."""
    serve = sub.add_parser("serve", help="preview with live reload while you edit")
    site_args(serve)
    serve.add_argument("--out", type=Path, default=None, help="output folder (default: SITE/build)")
    serve.add_argument(
        "--host",
        type=_host,
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    serve.add_argument(
        "--port", type=_port, default=8000, help="port to listen on, 1-65535 (default: 8000)"
    )

    new = sub.add_parser("new", help="start a new piece of content from a template")
    kinds = new.add_subparsers(dest="kind", metavar="KIND", required=True)
    city = kinds.add_parser("city", help="a new city folder with every section marked TODO")
    city.add_argument("slug", metavar="SLUG", help="folder and URL name, e.g. den-haag")
    city.add_argument("--name", required=True, help='the city\'s name, e.g. "Den Haag"')
    city.add_argument("--country", default=None, help="ISO country code, e.g. NL or BE")
    site_args(city)

    schema = sub.add_parser(
        "schema", help="write JSON Schemas of the content files and the editor's configuration"
    )
    site_args(schema)
    schema.add_argument(
        "--out", type=Path, default=None, help="folder for the schemas (default: SITE/schema)"
    )

    _i18n_commands(sub)


def _i18n_commands(sub: Commands) -> None:
    """The translators' tools: status, add, extract, update, compile."""
    i18n = sub.add_parser("i18n", help="translation status and the UI catalogues (Babel)")
    actions = i18n.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="what is not yet translated, per language and city")
    site_args(status)
    status.add_argument("--format", choices=("text", "json"), default="text")
    for name, text in (
        ("extract", "collect the UI strings into messages.pot"),
        ("update", "merge messages.pot into every language's messages.po"),
        ("compile", "write messages.mo files (the build does not need them)"),
    ):
        action = actions.add_parser(name, help=text)
        site_args(action)
        action.add_argument(
            "--locales",
            type=Path,
            default=None,
            help="catalogue folder inside the site (default: SITE/locales; in the "
            "cityprofiles repository src/cityprofiles/locales)",
        )
    add = actions.add_parser(
        "add",
        help="add a language: site.yaml, its catalogue, and what is left to translate",
        description="Add LANG to the site's languages in content/site.yaml (comments and "
        "layout kept), create its UI catalogue locales/LANG/LC_MESSAGES/messages.po from the "
        "template, and list what is left to translate. See docs/translating.md.",
    )
    add.add_argument("language", metavar="LANG", help="language code, e.g. de or fr")
    add.add_argument(
        "--locale", default=None, help="locale for numbers and dates, e.g. de_AT (default: LANG)"
    )
    site_args(add)
