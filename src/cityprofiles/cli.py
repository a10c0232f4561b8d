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

    check = sub.add_parser("check", help="validate the content without writing anything")
    _site_args(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json, or GitHub Actions annotations",
    )
    return parser


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
        parser.error(f"unknown command {args.command}")
    except ContentError as exc:
        _report(exc.problems, getattr(args, "format", "text"))
        return exc.exit_code
    except CityProfilesError as exc:
        if args.debug:
            raise
        print(f"cityprofiles: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("cityprofiles: interrupted; the previous output was left as it was", file=sys.stderr)
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
    )
    _report(report.warnings, "text")
    if not args.quiet:
        pages = ", ".join(f"{n} {lang}" for lang, n in report.pages.items())
        print(
            f"Built {sum(report.pages.values())} pages ({pages}) and {report.files} files into "
            f"{out} in {report.seconds:.2f} s; {report.rendered} rendered, {report.written} written, "
            f"{report.unchanged} unchanged, {len(report.warnings)} warnings."
        )
    return 0


def _check(args: argparse.Namespace) -> int:
    from cityprofiles.build import check

    warnings = check(_site(args), strict=args.strict)
    _report(warnings, args.format)
    if args.format == "text":
        print("Content is valid." + (f" {len(warnings)} warnings." if warnings else ""))
    return 0
