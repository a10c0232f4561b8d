"""The ``cityprofiles`` command. Heavy modules are imported inside the commands so that
``--help`` answers at once. Exit codes: 0 ok, 1 content errors, 2 usage errors, 130 interrupted.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from cityprofiles.cli.parser import make_parser
from cityprofiles.errors import counted

if TYPE_CHECKING:
    from cityprofiles.errors import Problem


def _site(args: argparse.Namespace) -> Path:
    """The site folder of a command: ``--site`` or the positional one (they must agree)."""
    if args.site and args.site_dir and args.site.absolute() != args.site_dir.absolute():
        from cityprofiles.errors import UsageError

        raise UsageError(f"two site folders given: {args.site_dir} and --site {args.site}")
    chosen: Path | None = args.site or args.site_dir
    return (chosen or Path.cwd()).absolute()


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
        if args.command == "review":
            return _review(args)
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


def run() -> NoReturn:
    """The process's entry (the console script, ``python -m cityprofiles``): :func:`main`,
    then exit with its code. An interrupt that comes once the work is done and reported
    is ignored: Python, shutting down, would otherwise die of it (exit code -2, nothing
    said) although the build was whole and written."""
    code = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise SystemExit(code)


def _report(problems: Sequence[Problem], fmt: str) -> None:
    from cityprofiles.cli.report import report

    report(problems, fmt)


def _build(args: argparse.Namespace) -> int:
    from cityprofiles.cli.progress import progress_for
    from cityprofiles.pipeline import build

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
        progress=progress_for(quiet=args.quiet),
        today=args.today,
    )
    _report(report.warnings, "text")
    if args.timings:
        for stage, seconds in report.stages.items():
            print(f"{seconds:8.3f} s  {stage}", file=sys.stderr)
    if not args.quiet:
        pages = ", ".join(f"{n} {lang}" for lang, n in report.pages.items())
        print(
            f"Built {counted(sum(report.pages.values()), 'page')} ({pages}) and "
            f"{counted(report.files, 'file')} into {out} in {report.seconds:.2f} s; "
            f"{report.rendered} rendered, {report.written} written, {report.unchanged} "
            f"unchanged, {counted(len(report.warnings), 'warning')}."
            + (
                f" Search index: {report.search_parts[0]} of "
                f"{counted(report.search_parts[1], 'part')} made."
                if report.search_parts is not None
                else ""
            )
        )
    return 0


def _check(args: argparse.Namespace) -> int:
    from cityprofiles.cli.progress import progress_for
    from cityprofiles.pipeline import check

    progress = progress_for(quiet=args.quiet, fmt=args.format)
    warnings = check(
        _site(args), strict=args.strict, jobs=args.jobs, progress=progress, today=args.today
    )
    _report(warnings, args.format)
    if args.format == "text" and not args.quiet:
        print("Content is valid." + (f" {counted(len(warnings), 'warning')}." if warnings else ""))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from cityprofiles.server import ServeOptions, serve

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


def _review(args: argparse.Namespace) -> int:
    from cityprofiles.clock import today
    from cityprofiles.review import print_reviews

    return print_reviews(_site(args), today=args.today or today(), fmt=args.format)


def _schema(args: argparse.Namespace) -> int:
    from cityprofiles.model import write_schemas

    root = _site(args)
    out = (args.out or root / "schema").absolute()
    for path in write_schemas(out):
        print(f"Wrote {path}")
    if (root / "content" / "site.yaml").is_file():
        from cityprofiles.cms import write_configurations

        for path in write_configurations(root, out / "cms"):
            print(f"Wrote {path}")
    return 0


def _i18n(args: argparse.Namespace) -> int:
    if args.action == "status":
        from cityprofiles.translate import print_status

        return print_status(_site(args), fmt=args.format)
    if args.action == "add":
        from cityprofiles.translate import add_language

        return add_language(_site(args), args.language, locale=args.locale)
    from cityprofiles.translate import run_catalogue_command

    return run_catalogue_command(args.action, _site(args), args.locales)


def _init(args: argparse.Namespace) -> int:
    from cityprofiles.scaffold import DEFAULT_BASE_URL, create_site

    root = _site(args)
    files = create_site(
        root,
        languages=args.languages.split(","),
        base_url=args.base_url or DEFAULT_BASE_URL,
        force=args.force,
        source=args.source,
    )
    print(
        f"Created a cityprofiles site with {counted(len(files), 'file')} in {root}.\n"
        "Next: read its README.md, then run `cityprofiles check --strict` and "
        "`cityprofiles build` in that folder."
    )
    return 0
