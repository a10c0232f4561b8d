"""How fast the search page answers in a real browser: headless Chromium through Playwright.

``python -m benchmarks.search_latency OUT [--lang en] [--repeat 5]`` serves the built site
``OUT`` over HTTP on 127.0.0.1 (HTTP/1.1 with keep-alive, as a static host) and, for
each query and repeat, opens the search page in a fresh browser context (an empty
cache: a first visit) and measures, with the page's own clock:

* **first load**: from navigation start until the search is ready, every part of the
  index merged (``data-ready`` on the search box);
* **first keystroke**: from the key-down of the query's first letter, typed into the
  ready page, until the results for that letter are on screen (the status line
  names the query);
* **word**: the same for the whole word typed as one input (pasted), on a new page.

Prints JSON: the medians and every sample. Needs ``playwright`` and Debian's chromium
(``/usr/bin/chromium``, or ``CITYPROFILES_CHROMIUM``).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
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

# Set up in the page before typing: the time of the first key-down, and of the moment the
# status line shows the answer (not "Searching…") for the text in the box.
WATCH = """
() => {
  window.__t0 = null; window.__t1 = null;
  const box = document.querySelector("[data-cp-search]");
  const input = box.querySelector("input");
  const status = box.querySelector("[data-cp-search-status]");
  input.addEventListener("keydown", () => { if (window.__t0 === null) window.__t0 = performance.now(); }, { capture: true });
  input.addEventListener("input", () => { if (window.__t0 === null) window.__t0 = performance.now(); }, { capture: true });
  new MutationObserver(() => {
    const text = status.textContent;
    if (window.__t1 === null && text && text !== box.dataset.busy && text.includes(input.value)) {
      window.__t1 = performance.now();
    }
  }).observe(status, { childList: true, characterData: true, subtree: true });
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


def _answer_ms(page: Any, typing: str, *, paste: bool) -> float:
    page.evaluate(WATCH)
    box = page.locator("[data-cp-search] input")
    if paste:
        box.fill(typing)
    else:
        box.press(typing[0])
    page.wait_for_function("() => window.__t1 !== null", timeout=60_000)
    return float(page.evaluate("() => window.__t1 - window.__t0"))


def measure(out: Path, lang: str = "en", repeat: int = 3) -> dict[str, Any]:
    """First load, first keystroke and whole-word times (ms) on the built site ``out``."""
    from playwright.sync_api import sync_playwright

    loads: list[float] = []
    keystrokes: list[float] = []
    words: list[float] = []
    with serve(out) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            url = base + SEARCH_PAGE[lang]
            for _ in range(repeat):
                for query in QUERIES[lang]:
                    context, page, loaded = _ready_page(browser, url)
                    loads.append(loaded)
                    keystrokes.append(_answer_ms(page, query, paste=False))
                    context.close()
                    context, page, _ = _ready_page(browser, url)
                    words.append(_answer_ms(page, query, paste=True))
                    context.close()
        finally:
            browser.close()
    parts = len(list((out / "pagefind").glob(f"{lang}*")))
    return {
        "parts": parts,
        "first_load_ms": statistics.median(loads),
        "first_keystroke_ms": statistics.median(keystrokes),
        "word_ms": statistics.median(words),
        "samples": {"first_load": loads, "first_keystroke": keystrokes, "word": words},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a built site (cityprofiles build --out OUT)")
    parser.add_argument("--lang", default="en", choices=sorted(QUERIES))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure(args.out, args.lang, args.repeat)))


if __name__ == "__main__":
    main()
