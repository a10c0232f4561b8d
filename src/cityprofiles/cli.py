"""The ``cityprofiles`` command. Heavy modules are imported inside the commands so that
``--help`` answers at once. Exit codes: 0 ok, 1 content errors, 2 usage errors, 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cityprofiles import __version__

if TYPE_CHECKING:
    from cityprofiles.errors import Problem


def _site_args(parser: argparse.ArgumentParser) -> None:
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


def _site(args: argparse.Namespace) -> Path:
    """The site folder of a command: ``--site`` or the positional one (they must agree)."""
    if args.site and args.site_dir and args.site.absolute() != args.site_dir.absolute():
        from cityprofiles.errors import UsageError

        raise UsageError(f"two site folders given: {args.site_dir} and --site {args.site}")
    chosen: Path | None = args.site or args.site_dir
    return (chosen or Path.cwd()).absolute()


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

    build = sub.add_parser("build", help="build the site into the output folder")
    _site_args(build)
    build.add_argument("--out", type=Path, default=None, help="output folder (default: SITE/build)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--base-url", default=None, help="override the configured base URL")
    build.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    build.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        default=None,
        metavar="N",
        help="render in N processes (default: one per core; 1: no extra processes)",
    )
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

    check = sub.add_parser("check", help="validate the content without writing anything")
    _site_args(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json, or GitHub Actions annotations",
    )

    init = sub.add_parser(
        "init",
        help="create a new site with an example city",
        description="Create a new site: configuration, one example city in every language, "
        "the network registry, the accessibility statement, a README for editors and a CI "
        "workflow. It passes `check --strict` and builds at once.",
    )
    _site_args(init)
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
    _editor_commands(sub)
    return parser


def _editor_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The editor's loop: serve, new city, schema, i18n."""
    serve = sub.add_parser("serve", help="preview with live reload while you edit")
    _site_args(serve)
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
    _site_args(city)

    schema = sub.add_parser(
        "schema", help="write JSON Schemas of the content files and the editor's configuration"
    )
    _site_args(schema)
    schema.add_argument(
        "--out", type=Path, default=None, help="folder for the schemas (default: SITE/schema)"
    )

    i18n = sub.add_parser("i18n", help="translation status and the UI catalogues (Babel)")
    actions = i18n.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="what is not yet translated, per language and city")
    _site_args(status)
    status.add_argument("--format", choices=("text", "json"), default="text")
    for name, text in (
        ("extract", "collect the UI strings into messages.pot"),
        ("update", "merge messages.pot into every language's messages.po"),
        ("compile", "write messages.mo files (the build does not need them)"),
    ):
        action = actions.add_parser(name, help=text)
        _site_args(action)
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
    _site_args(add)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    from cityprofiles.errors import CityProfilesError, ContentError

    try:
        if args.command == "build":
            return _build(args)
        if args.command == "check":
            return _check(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "new":
            return _new(args)
        if args.command == "schema":
            return _schema(args)
        if args.command == "i18n":
            return _i18n(args)
        if args.command == "init":
            return _init(args)
        parser.error(f"unknown command {args.command}")
    except ContentError as exc:
        _report(exc.problems, getattr(args, "format", "text"))
        return exc.exit_code
    except CityProfilesError as exc:
        if args.debug:
            raise
        print(f"cityprofiles: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # the disk or the system said no; not a bug to show as a traceback
        if args.debug:
            raise
        print(f"cityprofiles: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "cityprofiles: interrupted; the output folder holds a complete site "
            "(the previous one, or the new one if the swap had finished), never a mix",
            file=sys.stderr,
        )
        return 130
    return 0


def _color() -> bool:
    return sys.stderr.isatty() and "NO_COLOR" not in os.environ


def _report(problems: Sequence[Problem], fmt: str) -> None:
    from cityprofiles.errors import problems_as_json, summarize

    if fmt == "json":
        print(problems_as_json(problems))
        return
    if fmt == "github":
        for problem in problems:
            print(problem.as_github())
        print(summarize(problems), file=sys.stderr)
        return
    color = _color()
    for problem in problems:
        print(problem.format(color=color), file=sys.stderr)
    if problems:
        print(summarize(problems), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from cityprofiles.build import build

    root = _site(args)
    out = (args.out or root / "build").absolute()
    report = build(
        root,
        out,
        strict=args.strict,
        base_url=args.base_url,
        jobs=args.jobs,
        cache=not args.no_cache,
        search=not args.no_search,
    )
    _report(report.warnings, "text")
    if args.timings:
        for stage, seconds in report.stages.items():
            print(f"{seconds:8.3f} s  {stage}", file=sys.stderr)
    if not args.quiet:
        pages = ", ".join(f"{n} {lang}" for lang, n in report.pages.items())
        print(
            f"Built {sum(report.pages.values())} pages ({pages}) and {report.files} files into "
            f"{out} in {report.seconds:.2f} s; {report.rendered} rendered, {report.written} written, "
            f"{report.unchanged} unchanged, {len(report.warnings)} warnings."
            + (
                f" Search index: {report.search_parts[0]} of {report.search_parts[1]} parts made."
                if report.search_parts is not None
                else ""
            )
        )
    return 0


def _check(args: argparse.Namespace) -> int:
    from cityprofiles.build import check

    warnings = check(_site(args), strict=args.strict)
    _report(warnings, args.format)
    if args.format == "text":
        print("Content is valid." + (f" {len(warnings)} warnings." if warnings else ""))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from cityprofiles.serve import ServeOptions, serve

    root = _site(args)
    if not (root / "content").is_dir():
        from cityprofiles.errors import UsageError

        raise UsageError(
            f"{root} has no content/ folder; run this in a cityprofiles site or pass --site DIR"
        )
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        import ipaddress

        try:
            local = ipaddress.ip_address(args.host).is_loopback
        except ValueError:
            local = False
        if not local:
            anywhere = args.host in ("0.0.0.0", "::")  # noqa: S104 - a check, not a bind
            everyone = "everyone on the network" if anywhere else "others"
            print(
                f"cityprofiles: warning: --host {args.host} lets {everyone} see the preview, "
                "drafts included; use 127.0.0.1 to keep it on this computer",
                file=sys.stderr,
            )
    options = ServeOptions(
        root=root,
        out=(args.out or root / "build").absolute(),
        host=args.host,
        port=args.port,
        problems_report=lambda problems: _report(problems, "text"),
    )
    return serve(options)


def _new(args: argparse.Namespace) -> int:
    from cityprofiles.scaffold import new_city

    created = new_city(_site(args), args.slug, args.name, country=args.country)
    for path in created:
        print(f"Created {path}")
    print("Fill in every TODO; `cityprofiles check --strict` lists what remains.")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from cityprofiles.schema import write_schemas

    root = _site(args)
    out = (args.out or root / "schema").absolute()
    for path in write_schemas(out):
        print(f"Wrote {path}")
    if (root / "content" / "site.yaml").is_file():
        from cityprofiles.cms.admin import write_configurations

        for path in write_configurations(root, out / "cms"):
            print(f"Wrote {path}")
    return 0


def _i18n(args: argparse.Namespace) -> int:
    if args.action == "status":
        from cityprofiles.i18n_status import print_status

        return print_status(_site(args), fmt=args.format)
    if args.action == "add":
        from cityprofiles.language_add import add_language

        return add_language(_site(args), args.language, locale=args.locale)
    from cityprofiles.catalogues import run_catalogue_command

    return run_catalogue_command(args.action, _site(args), args.locales)


def _init(args: argparse.Namespace) -> int:
    from cityprofiles.init import DEFAULT_BASE_URL, create_site

    root = _site(args)
    files = create_site(
        root,
        languages=args.languages.split(","),
        base_url=args.base_url or DEFAULT_BASE_URL,
        force=args.force,
        source=args.source,
    )
    print(
        f"Created a cityprofiles site with {len(files)} files in {root}.\n"
        "Next: read its README.md, then run `cityprofiles check --strict` and "
        "`cityprofiles build` in that folder."
    )
    return 0
