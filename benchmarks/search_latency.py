"""How fast the search page answers in a real browser: headless Chromium through Playwright.

``python -m benchmarks.search_latency OUT [--lang en] [--repeat 5]`` serves the built site
``OUT`` over HTTP on 127.0.0.1 (HTTP/1.1 with keep-alive, as a static host) and, for
each query and repeat, opens the search page in a fresh browser context (an empty
cache: a first visit) and measures, with the page's own clock:

* **first load**: from navigation start until the search is ready, every part of the
  index merged (``data-ready`` on the search box);
* **first keystroke**: from the key-down of the query's first letter, typed into the
  ready page, until the first results for that letter are on screen (the list holds
  results and says they are for that letter; on a large site these are the pages whose
  names match, from the names index, while the full text is still being searched);
* **first page**: the same until the whole first page of results (20, or fewer when
  fewer match) is listed and the status line gives the count (the full text's answer;
  the list is no longer ``aria-busy``);
* **word**: until the first results for the whole word, typed as one input (pasted),
  are on screen, on a new page.

It also records how many pages each query matched (from the status line) and the load
average before and after, as the machine may be shared.

``python -m benchmarks.search_latency --cities 1000 10000`` generates the benchmark
corpus at each size with each vocabulary (:data:`benchmarks.corpus.VOCABULARIES`:
``small``, where every word is on every page and every query matches every page, and
``zipf``, where a query matches a realistic share of the pages), builds it (the default
build, search index on) and measures each, labelled; it prints a Markdown table and
writes every sample as JSON (``--json``).

Prints JSON: the medians and every sample. Needs ``playwright`` and Debian's chromium
(``/usr/bin/chromium``, or ``CITYPROFILES_CHROMIUM``).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import statistics
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("CITYPROFILES_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
QUERIES = {
    "en": ["climate", "housing", "universities", "energy", "council", "networks"],
    "nl": ["klimaat", "wonen", "universiteiten", "energiewijken", "raad", "netwerken"],
}
SEARCH_PAGE = {"en": "en/search/", "nl": "nl/zoeken/"}
#: The answer times measured for each query, besides the first load.
ANSWERS = ("first_keystroke", "first_page", "word", "word_page")

# Set up in the page before typing: the time of the first key-down, of the moment the
# status line shows the answer (not "Searching…") for the text in the box with results
# listed, and of the moment the list is complete (no longer aria-busy).
WATCH = """
() => {
  window.__t0 = null; window.__t1 = null; window.__t2 = null; window.__status = null;
  const box = document.querySelector("[data-cp-search]");
  const input = box.querySelector("input");
  const status = box.querySelector("[data-cp-search-status]");
  const list = box.querySelector("[data-cp-search-results]");
  input.addEventListener("keydown", () => { if (window.__t0 === null) window.__t0 = performance.now(); }, { capture: true });
  input.addEventListener("input", () => { if (window.__t0 === null) window.__t0 = performance.now(); }, { capture: true });
  const check = () => {
    const text = status.textContent;
    const answered = text && text !== box.dataset.busy && text.includes(input.value);
    // The list says which query its results are for (data-query); a page without that
    // (older code) lists a query's results only with its answer in the status line.
    const forQuery = list.dataset.query === undefined ? answered : list.dataset.query === input.value;
    const none = text === box.dataset.none.replace("%(query)s", input.value);
    if (window.__t1 === null && ((forQuery && list.children.length > 0) || none)) {
      window.__t1 = performance.now();
    }
    if (window.__t1 !== null && window.__t2 === null && answered && !list.hasAttribute("aria-busy")) {
      window.__t2 = performance.now();
      window.__status = text;
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(status, { childList: true, characterData: true, subtree: true });
  observer.observe(list, { childList: true, attributes: true, attributeFilter: ["aria-busy", "data-query"] });
}
"""
# Before the page's own scripts: the moment the search box is marked ready (ms since the
# navigation started).
READY = """
new MutationObserver((_, observer) => {
  if (document.querySelector("[data-cp-search][data-ready]")) {
    window.__ready = performance.now();
    observer.disconnect();
  }
}).observe(document, { attributes: true, attributeFilter: ["data-ready"], subtree: true });
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as any real static host

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(out: Path) -> Iterator[str]:
    """Serve ``out`` on a free port of 127.0.0.1; yield its base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=str(out))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _ready_page(browser: Any, url: str) -> tuple[Any, Any, float]:
    """A fresh context and page at ``url``, waited on until the search is ready; the
    first-load time in ms."""
    context = browser.new_context()
    context.add_init_script(READY)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => window.__ready !== undefined", timeout=120_000)
    return context, page, float(page.evaluate("() => window.__ready"))


def _answer_ms(page: Any, typing: str, *, paste: bool) -> tuple[float, float, int]:
    """Type (or paste) ``typing``: ms until the first results are on screen, ms until the
    first page of results is, and the number of pages found."""
    page.evaluate(WATCH)
    box = page.locator("[data-cp-search] input")
    if paste:
        box.fill(typing)
    else:
        box.press(typing[0])
    page.wait_for_function("() => window.__t2 !== null", timeout=120_000)
    first, whole, text = page.evaluate(
        "() => [window.__t1 - window.__t0, window.__t2 - window.__t0, window.__status]"
    )
    digits = re.search(r"\d[\d.,\u00a0\u202f]*", text.replace(typing, ""))
    found = int(re.sub(r"\D", "", digits.group())) if digits else 0
    return float(first), float(whole), found


def measure(out: Path, lang: str = "en", repeat: int = 3) -> dict[str, Any]:
    """First load, first keystroke and whole-word times (ms) on the built site ``out``."""
    from playwright.sync_api import sync_playwright

    samples: dict[str, list[float]] = {k: [] for k in ("first_load", *ANSWERS)}
    found: dict[str, int] = {}
    load_before = os.getloadavg()
    with serve(out) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            url = base + SEARCH_PAGE[lang]
            for _ in range(repeat):
                for query in QUERIES[lang]:
                    context, page, loaded = _ready_page(browser, url)
                    samples["first_load"].append(loaded)
                    first, whole, found[query[0]] = _answer_ms(page, query, paste=False)
                    samples["first_keystroke"].append(first)
                    samples["first_page"].append(whole)
                    context.close()
                    context, page, _ = _ready_page(browser, url)
                    first, whole, found[query] = _answer_ms(page, query, paste=True)
                    samples["word"].append(first)
                    samples["word_page"].append(whole)
                    context.close()
        finally:
            browser.close()
    pages = sum(
        json.loads(entry.read_text("utf-8"))["languages"][lang]["page_count"]
        for entry in (out / "pagefind").glob(f"{lang}*/pagefind-entry.json")
    )
    return {
        "parts": len(list((out / "pagefind").glob(f"{lang}*"))),
        **{f"{key}_ms": statistics.median(values) for key, values in samples.items()},
        "found": found,
        "pages": pages,
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "samples": samples,
    }


LABELS = {
    "small": "small vocabulary (every word on every page)",
    "zipf": "Zipf vocabulary (30 000 words)",
}


def corpora(cities: list[int], work: Path, lang: str, repeat: int) -> list[dict[str, Any]]:
    """Generate, build (default build, ``--jobs 2``) and measure the corpus of each size
    with each vocabulary; a list of labelled results."""
    from benchmarks.corpus import VOCABULARIES, generate

    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": f"{repo / 'src'}{os.pathsep}{repo}", "NO_COLOR": "1"}
    results = []
    for n in cities:
        for vocabulary in VOCABULARIES:
            site = work / f"search-{vocabulary}-{n}"
            generate(site, n, vocabulary=vocabulary)
            build = [sys.executable, "-m", "cityprofiles", "build", str(site), "--jobs", "2"]
            subprocess.run([*build, "--quiet", "--no-cache"], env=env, check=True)
            data = measure(site / "build", lang, repeat)
            results.append({"cities": n, "corpus": vocabulary, **data})
            print(f"  {n} cities, {LABELS[vocabulary]}: done", file=sys.stderr, flush=True)
    return results


def table(results: list[dict[str, Any]]) -> str:
    """Medians of :func:`corpora`'s results as a Markdown table."""
    lines = [
        "| cities | corpus | parts | share of pages a query matches | first load "
        "| first keystroke: first results | first keystroke: first page "
        "| word: first results | word: first page | samples | load average before / after |",
        "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        words = [q for q in r["found"] if len(q) > 1]
        share = ", ".join(f"{q} {r['found'][q] / r['pages']:.0%}" for q in words)
        times = " | ".join(f"{r[f'{k}_ms']:.0f} ms" for k in ("first_load", *ANSWERS))
        load = " / ".join(
            " ".join(f"{x:.1f}" for x in r["load_average"][k]) for k in ("before", "after")
        )
        lines.append(
            f"| {r['cities']} | {LABELS[r['corpus']]} | {r['parts']} | {share} | {times} "
            f"| {len(r['samples']['first_keystroke'])} | {load} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, nargs="?", help="a built site (cityprofiles build)")
    parser.add_argument(
        "--cities",
        type=int,
        nargs="+",
        help="instead of OUT: generate, build and measure the corpus of each size with each "
        "vocabulary (small and zipf)",
    )
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/cityprofiles-search"))
    parser.add_argument("--json", type=Path, help="write the results here (with --cities)")
    parser.add_argument("--lang", default="en", choices=sorted(QUERIES))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.cities:
        results = corpora(args.cities, args.work, args.lang, args.repeat)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")
        print(table(results))
    elif args.out:
        print(json.dumps(measure(args.out, args.lang, args.repeat)))
    else:
        parser.error("give a built site OUT or --cities N …")


if __name__ == "__main__":
    main()
