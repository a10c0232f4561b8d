"""Run the benchmark: cityprofiles against the floor and Hugo, side by side, on one corpus.

``python -m benchmarks.run --cities 100 1000`` (add ``10000`` for the scale run;
``--cities 1000 10000 --cold-only-from 10000`` does both sizes in one run;
``--src OTHER/src`` measures another checkout's code on the same corpus and machine).

For each corpus size it generates the synthetic site (untimed), then times, each in a
fresh process and ``--repeat`` times: the floor script; ``cityprofiles build`` cold
with one process and with ``--jobs`` (no output, no cache), without and with the search
index; ``cityprofiles check`` with one process and with ``--jobs``; a no-change
rebuild; a rebuild after editing one city's narrative; the same edit in an in-process
:class:`~cityprofiles.pipeline.Pipeline` kept across edits (what ``serve`` does); a
city's population saved through the editor's back end after the preview's first build
(the server's answer: the save checked as ``check`` checks it, then written); the
CPU an idle ``serve`` uses after its first build (``benchmarks/idle.py``); the default
build (search index on) after editing a narrative and after editing a template outside
``<main>``; a search on the built site in headless Chromium
(:mod:`benchmarks.search_latency`); and Hugo on the corpus translated into a Hugo
multilingual site. It prints two Markdown tables (the builds; the search index and
page) and writes JSON (``--json``). Wall times are min and median of the repeats; peak
RSS is the largest of the measured process's repeats; ratios divide min by the floor's
min; the search table divides medians by the cold default build's median.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.corpus import generate
from benchmarks.hugo import convert
from benchmarks.search_latency import CHROMIUM
from benchmarks.search_latency import measure as search_latency

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{REPO}", "NO_COLOR": "1"}
SERVE_EDIT = """
import json, sys, time
from pathlib import Path
root, out, narrative = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
try:
    from cityprofiles.pipeline import Pipeline
    session = Pipeline(root, out, jobs=1, cache=False, reindex_edits=False)  # as serve
    rebuild = session.run
except ImportError:  # cityprofiles before 0.2 (--src of an older checkout): its Session
    from cityprofiles.incremental import Session
    session = Session(root, out, jobs=1, persist=False, reindex_edits=False)
    rebuild = session.rebuild
rebuild()
times = []
for i in range(int(sys.argv[4])):
    with narrative.open("a", encoding="utf-8") as handle:
        handle.write(f"\\nServe edit {i}.\\n")
    start = time.perf_counter()
    report = rebuild([narrative])
    times.append(time.perf_counter() - start)
print(json.dumps({"times": times, "rendered": report.rendered}))
"""

EDITOR_SAVE = """
import json, re, sys, time
from pathlib import Path
root, out, city, repeat = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
from cityprofiles.pipeline import Pipeline
from cityprofiles.server.editor.backend import LocalBackend
preview = Pipeline(root, out, jobs=1, cache=False, reindex_edits=False)  # as serve
preview.run()
try:
    backend = LocalBackend(root, builds=lambda: preview.state)
except TypeError:  # an older checkout (--src): every save ran a full check
    backend = LocalBackend(root)
rel = city.relative_to(root).as_posix()
original = city.read_text("utf-8")
times, cpu = [], []
for i in range(repeat):
    raw = re.sub(r"(population: \\{value: )(\\d+)", lambda m: m.group(1) + str(1000 + i), city.read_text("utf-8"), count=1)
    files = [{"path": rel, "raw": raw, "slug": city.parent.name}]
    body = {"action": "persistEntry", "params": {"dataFiles": files, "assets": [], "options": {}}}
    start, clock = time.perf_counter(), time.process_time()
    status, answer = backend.handle(body)
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - clock)
    assert status == 200, answer
    preview.run([city])  # the preview's rebuild after the save (untimed)
city.write_text(original, encoding="utf-8")
print(json.dumps({"times": times, "cpu": cpu}))
"""


@dataclass
class Result:
    """One row of the table."""

    cities: int
    name: str
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_mb: float = 0.0
    pages: int = 0
    rendered: int | None = None
    bytes: int = 0
    note: str = ""

    @property
    def best(self) -> float:
        return min(self.times) if self.times else float("nan")

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")


def run(cmd: list[str]) -> tuple[float, str]:
    """Run ``cmd``; return its wall seconds and stdout (exit on failure)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=ENV, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return wall, proc.stdout


def tree_size(out: Path) -> tuple[int, int]:
    """(HTML pages, total bytes) under ``out``."""
    pages = size = 0
    for path in out.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            size += path.stat().st_size
            pages += path.suffix == ".html"
    return pages, size


def bench(cities: int, repeat: int, jobs: int, work: Path, cold_only: bool = False) -> list[Result]:
    site = work / f"site-{cities}"
    generate(site, cities)
    out = work / f"out-{cities}"
    py = sys.executable
    results: list[Result] = []

    def clean() -> None:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / ".cache", ignore_errors=True)

    def once(result: Result, cmd: list[str], before: object = None) -> None:
        if "check" in cmd:
            once_check(result, cmd)
            return
        # Peak RSS per scenario: run it in a child of a fresh interpreter, so RUSAGE_CHILDREN
        # is that scenario's alone.
        if callable(before):
            before()
        _, stdout = run([py, "-m", "benchmarks.measure", *cmd])
        data = json.loads(stdout.strip().splitlines()[-1])
        result.times.append(data["wall"])
        result.cpu.append(data["cpu"])
        result.rss_mb = max(result.rss_mb, data["rss_mb"])
        if "rendered" in data["stdout"]:
            words = data["stdout"].split(" rendered")[0].split()
            result.rendered = int(words[-1])
        if "Search index: " in data["stdout"]:  # "Search index: 1 of 34 parts made."
            made = data["stdout"].split("Search index: ")[1].split(" parts made")[0]
            result.note = f"search index parts made: {made}"
        result.pages, result.bytes = tree_size(out)

    def once_check(result: Result, cmd: list[str]) -> None:
        """``check`` writes nothing: its row shows what it rendered, not an output."""
        _, stdout = run([py, "-m", "benchmarks.measure", *cmd])
        data = json.loads(stdout.strip().splitlines()[-1])
        result.times.append(data["wall"])
        result.cpu.append(data["cpu"])
        result.rss_mb = max(result.rss_mb, data["rss_mb"])
        result.note = "renders every page, writes nothing"

    def rounds(scenarios: list[tuple[str, list[str], object]], n: int = repeat) -> None:
        """Each scenario once per round, ``n`` rounds: a machine that slows down or speeds
        up during the run affects every scenario alike, so the ratios stay fair."""
        rows = [Result(cities, name) for name, _, _ in scenarios]
        for _ in range(n):
            for result, (_, cmd, before) in zip(rows, scenarios, strict=True):
                once(result, cmd, before)
        for result in rows:
            results.append(result)
            print(f"  {result.name}: min {result.best:.2f} s", file=sys.stderr, flush=True)

    def row(name: str, cmd: list[str], before: object = None, n: int = repeat) -> Result:
        result = Result(cities, name)
        for _ in range(n):
            once(result, cmd, before)
        results.append(result)
        print(f"  {name}: min {result.best:.2f} s", file=sys.stderr, flush=True)
        return result

    def fresh_out() -> None:
        shutil.rmtree(out, ignore_errors=True)

    print(f"{cities} cities:", file=sys.stderr)
    # The floor renders no search index, so the comparable rows leave it out too; one more
    # row shows what the Pagefind index adds to a cold build (it is on by default).
    build = [py, "-m", "cityprofiles", "build", str(site), "--out", str(out), "--no-search"]
    check = [py, "-m", "cityprofiles", "check", str(site)]
    if "--jobs" in run([*check[:4], "--help"])[1]:
        checks = [
            ("cityprofiles check, --jobs 1", [*check, "--jobs", "1"], clean),
            (f"cityprofiles check, --jobs {jobs}", [*check, "--jobs", str(jobs)], clean),
        ]
    else:  # an older checkout (--src): check had no --jobs and used one process
        checks = [("cityprofiles check", check, clean)]
    rounds(
        [
            (
                "floor (Jinja2 + Markdown, 1 process)",
                [py, "-m", "benchmarks.floor", str(site), str(out)],
                fresh_out,
            ),
            ("cityprofiles cold, --jobs 1", [*build, "--jobs", "1"], clean),
            (f"cityprofiles cold, --jobs {jobs}", [*build, "--jobs", str(jobs)], clean),
            (
                f"cityprofiles cold, --jobs {jobs}, with the search index",
                [*build[:-1], "--jobs", str(jobs)],
                clean,
            ),
            *checks,
        ]
    )
    if cold_only:
        results.extend(latency(cities, out, repeat))
        return results
    run([*build, "--jobs", str(jobs)])  # untimed: the state a no-change rebuild starts from
    row("cityprofiles no-change rebuild", [*build, "--jobs", str(jobs)])
    narrative = sorted((site / "content/cities").iterdir())[cities // 2] / "narrative.en.md"
    edits = iter(range(10**6))

    def edit() -> None:
        with narrative.open("a", encoding="utf-8") as handle:
            handle.write(f"\nBenchmark edit {next(edits)}.\n")

    row("cityprofiles one narrative edited", [*build, "--jobs", str(jobs)], edit)

    # The default build, search index included: an edited narrative, and a template edited
    # outside <main> (every page is rendered again, no part of the index is made again).
    default = [*build[:-1], "--jobs", str(jobs)]
    run(default)  # untimed: the state the edits start from
    row(f"default build (--jobs {jobs}, search index): one narrative edited", default, edit)
    footer = site / "templates/partials/footer.html"
    theme_footer = REPO / "src/cityprofiles/theme/templates/partials/footer.html"
    footer.parent.mkdir(parents=True, exist_ok=True)

    def edit_template() -> None:
        footer.write_text(theme_footer.read_text("utf-8") + f"<!-- edit {next(edits)} -->\n")

    row(
        f"default build (--jobs {jobs}, search index): template edited outside <main>",
        default,
        edit_template,
    )
    shutil.rmtree(site / "templates")
    run(default)  # untimed: the site as generated again
    results.extend(latency(cities, out, repeat))
    serve = Result(cities, "serve: one narrative edited (in-process Pipeline)")
    serve_out = work / f"serve-{cities}"
    shutil.rmtree(serve_out, ignore_errors=True)
    _, stdout = run(
        [py, "-c", SERVE_EDIT, str(site), str(serve_out), str(narrative), str(max(repeat, 3))]
    )
    data = json.loads(stdout)
    serve.times, serve.rendered = data["times"], data["rendered"]
    serve.pages, serve.bytes = tree_size(serve_out)
    serve.note = "run() of an edit only; the first full build is not counted"
    results.append(serve)
    print(f"  {serve.name}: min {serve.best * 1000:.0f} ms", file=sys.stderr)
    results.append(editor_row(cities, site, work, narrative.parent / "city.yaml", repeat))
    results.append(idle_row(cities, site))
    if shutil.which("hugo"):
        hugo_site = convert(site, work / f"hugo-{cities}")
        hugo = row(
            "Hugo (multilingual, same corpus)",
            ["hugo", "--quiet", "-s", str(hugo_site), "-d", str(out)],
            fresh_out,
        )
        hugo.note = subprocess.run(
            ["hugo", "version"], capture_output=True, text=True
        ).stdout.split()[1]
    else:
        results.append(
            Result(cities, "Hugo", note="skipped: hugo is not installed (apt install hugo)")
        )
    return results


def editor_row(cities: int, site: Path, work: Path, city: Path, repeat: int) -> Result:
    """A save of one city's population from the editor (``serve``'s back end, in process,
    after the preview's first build, which is not counted): the server's time to answer
    (the check and the write; the preview's rebuild that follows is not counted)."""
    result = Result(cities, "serve: one city saved in the editor (checked, then written)")
    out = work / f"editor-{cities}"
    shutil.rmtree(out, ignore_errors=True)
    args = [str(site), str(out), str(city), str(max(repeat, 3))]
    _, stdout = run([sys.executable, "-c", EDITOR_SAVE, *args])
    data = json.loads(stdout.strip().splitlines()[-1])
    result.times, result.cpu = data["times"], data["cpu"]
    result.note = "the back end's answer; the preview's rebuild after it is not counted"
    print(f"  {result.name}: min {result.best * 1000:.0f} ms", file=sys.stderr, flush=True)
    return result


IDLE_SECONDS = 20.0


def idle_row(cities: int, site: Path) -> Result:
    """``cityprofiles serve`` left alone after its first build: CPU over :data:`IDLE_SECONDS`."""
    _, stdout = run(
        [sys.executable, "-m", "benchmarks.idle", str(site), "--seconds", str(IDLE_SECONDS)]
    )
    data = json.loads(stdout.strip().splitlines()[-1])
    result = Result(cities, "serve: idle after the first build (% of one core)")
    result.times, result.cpu = [data["seconds"]], [data["cpu_seconds"]]
    result.note = f"{data['percent']:.2f} % of a core"
    print(f"  {result.name}: {result.note}", file=sys.stderr)
    return result


def latency(cities: int, out: Path, repeat: int) -> list[Result]:
    """A search on the English search page of the built site ``out``, in headless
    Chromium (see :mod:`benchmarks.search_latency`): first load, first keystroke, word.
    Times in seconds like the other rows; "pages in output" holds the number of parts."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        playwright_ok = False
    else:
        playwright_ok = True
    if not (playwright_ok and CHROMIUM.exists()):
        return [Result(cities, "search in Chromium", note="skipped: needs playwright and chromium")]
    data = search_latency(out, "en", max(repeat, 1))
    rows = []
    for key, name in (
        ("first_load", "search in Chromium: first load (until every part is merged)"),
        ("first_keystroke", "search in Chromium: first results after the first keystroke"),
        ("first_page", "search in Chromium: first page of results after the first keystroke"),
        ("word", "search in Chromium: first results for a whole word"),
    ):
        result = Result(cities, name, times=[t / 1000 for t in data["samples"][key]])
        result.note = (
            f"{data['parts']} parts in the English index; small vocabulary, every query "
            "matches every page (python -m benchmarks.search_latency --cities N: both corpora)"
        )
        rows.append(result)
        print(f"  {name}: median {result.median * 1000:.0f} ms", file=sys.stderr, flush=True)
    return rows


def default_work() -> Path:
    """Where corpora and outputs go: a RAM-backed folder (``/dev/shm``) when there is one
    with room, so the run measures the generators, not the disk. On the 2-core virtual
    machines this was tuned on, creating a file on the ext4 disk intermittently cost
    ~1 ms in the kernel (7 000 files: 7 s of a 10 s build) and on tmpfs 0.03 ms; which
    generator ran during such a spell decided the ratios. ``--work`` picks another folder
    (a disk, to include it)."""
    shm = Path("/dev/shm")
    try:
        usage = shutil.disk_usage(shm)
    except OSError:
        usage = None
    if usage is not None and os.access(shm, os.W_OK) and usage.free > 4 * 2**30:
        return shm / "cityprofiles-benchmark"
    return REPO / ".cache" / "benchmark"


def filesystem(folder: Path) -> str:
    """The file system type of ``folder`` (from /proc/mounts), e.g. ``tmpfs`` or ``ext4``."""
    best, kind = "", "unknown"
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return kind
    resolved = str(folder.resolve())
    for line in mounts:
        fields = line.split()
        inside = len(fields) > 2 and (resolved + "/").startswith(fields[1].rstrip("/") + "/")
        if inside and len(fields[1]) > len(best):
            best, kind = fields[1], fields[2]
    return kind


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(len(os.sched_getaffinity(0))),
        "python": platform.python_version(),
        "system": platform.platform(),
        "load average at start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def help_time(repeat: int = 7) -> float:
    times = [run([sys.executable, "-m", "cityprofiles", "--help"])[0] for _ in range(repeat)]
    return min(times)


def table(results: list[Result]) -> str:
    floors = {r.cities: r.best for r in results if r.name.startswith("floor")}
    colds = {r.cities: r.best for r in results if r.name == "cityprofiles cold, --jobs 1"}
    lines = [
        "| cities | run | wall min (s) | wall median (s) | CPU min (s) | pages in output | pages rendered | ms/page | peak RSS (MB) | output (MB) | × floor | % of cold |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if r.name.startswith("search in Chromium"):
            continue  # in the search table
        if not r.times or r.name.startswith("serve: idle"):
            cpu = f"{min(r.cpu):.2f}" if r.cpu else ""
            lines.append(f"| {r.cities} | {r.name} ({r.note}) | | | {cpu} | | | | | | | |")
            continue
        per_page = r.best * 1000 / r.pages if r.pages else float("nan")
        rendered = "" if r.rendered is None else str(r.rendered)
        ratio = r.best / floors[r.cities]
        cold = r.best / colds[r.cities] * 100
        rss = f"{r.rss_mb:.0f}" if r.rss_mb else ""
        cpu = f"{min(r.cpu):.2f}" if r.cpu else ""
        name = f"{r.name} ({r.note})" if r.note else r.name
        lines.append(
            f"| {r.cities} | {name} | {r.best:.3f} | {r.median:.3f} | {cpu} | {r.pages} | {rendered} "
            f"| {per_page:.2f} | {rss} | {r.bytes / 1e6:.1f} | {ratio:.2f} | {cold:.1f} |"
        )
    return "\n".join(lines)


def search_table(results: list[Result]) -> str:
    """The default build (search index on) and the search page: medians, each build
    against the median of the cold default build of its size."""
    colds = {
        r.cities: r.median
        for r in results
        if r.name.startswith("cityprofiles cold") and r.name.endswith("with the search index")
    }
    lines = [
        "| cities | run | min | median | % of cold default build (medians) | note |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for r in results:
        browser = r.name.startswith("search in Chromium")
        if not (browser or "search index" in r.name):
            continue
        if not r.times:
            lines.append(f"| {r.cities} | {r.name} | | | | {r.note} |")
        elif browser:
            lines.append(
                f"| {r.cities} | {r.name} | {r.best * 1000:.0f} ms | {r.median * 1000:.0f} ms "
                f"| | {r.note}; {len(r.times)} samples |"
            )
        else:
            share = r.median / colds[r.cities] * 100 if r.cities in colds else float("nan")
            lines.append(
                f"| {r.cities} | {r.name} | {r.best:.3f} s | {r.median:.3f} s | {share:.1f} "
                f"| {r.note} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="cityprofiles vs the floor vs Hugo")
    parser.add_argument("--cities", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument(
        "--work",
        type=Path,
        default=default_work(),
        help="folder for corpora and outputs (default: /dev/shm when it has room)",
    )
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results.json")
    parser.add_argument(
        "--src",
        type=Path,
        default=REPO / "src",
        help="the cityprofiles code to measure (default: this checkout's src/; another "
        "checkout's, to compare before and after on the same machine and corpus)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the corpora and outputs in a RAM folder afterwards (by default a "
        "/dev/shm work folder is removed at the end: it holds ~2 GB at 10 000 cities)",
    )
    parser.add_argument(
        "--cold-only",
        action="store_true",
        help="only the floor, the cold builds and the search page (the scale run at 10 000 cities)",
    )
    parser.add_argument(
        "--cold-only-from",
        type=int,
        metavar="N",
        help="sizes of N cities and more get only the cold builds and the search page "
        "(e.g. --cities 1000 10000 --cold-only-from 10000: both sizes in one run)",
    )
    args = parser.parse_args()
    ENV["PYTHONPATH"] = f"{args.src.absolute()}{os.pathsep}{REPO}"
    args.work.mkdir(parents=True, exist_ok=True)
    info = machine()
    info["work folder"] = f"{args.work} ({filesystem(args.work)})"
    results: list[Result] = []
    for n in args.cities:
        repeat = args.repeat if n < 10000 else 1
        cold_only = args.cold_only or (args.cold_only_from is not None and n >= args.cold_only_from)
        results.extend(bench(n, repeat, args.jobs, args.work, cold_only))
    info["load average at end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    info["cityprofiles --help (min of 7, s)"] = f"{help_time():.3f}"
    report = table(results)
    print("\n".join(f"- {k}: {v}" for k, v in info.items()))
    print()
    print(report)
    print()
    print(search_table(results))
    args.json.write_text(
        json.dumps({"machine": info, "results": [asdict(r) for r in results]}, indent=2) + "\n"
    )
    if not args.keep and filesystem(args.work) == "tmpfs":
        shutil.rmtree(args.work, ignore_errors=True)  # RAM; the corpus is made again in seconds


if __name__ == "__main__":
    main()
