// Site search with Pagefind, as a progressive enhancement of the search page.
// Without JavaScript (or without a search index) the page keeps its explanation and
// links to the list of cities. The index is per language: Pagefind picks the one
// matching <html lang>, so a Dutch page searches the Dutch pages only.
const box = document.querySelector("[data-cp-search]");

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
}

// Pagefind excerpts mark matches with <mark>; keep only text and those marks.
function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const out = document.createDocumentFragment();
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

async function start() {
  if (!box) return;
  const form = box.querySelector("[data-cp-search-form]");
  const input = form.querySelector("input");
  const status = box.querySelector("[data-cp-search-status]");
  const list = box.querySelector("[data-cp-search-results]");
  const fallback = box.querySelector("[data-cp-search-fallback]");
  // "Show more" is in the theme's page; a site's own, older search.html may lack it (then
  // the first page of results is all it shows).
  const more = box.querySelector("[data-cp-search-more]") || document.createElement("button");
  const root = new URL(box.dataset.root, document.baseURI);
  // The merged parts need the same settings: each part makes its own results' excerpts.
  const settings = { baseUrl: root.pathname, excerptLength: 24 };
  let pagefind;
  try {
    pagefind = await import(new URL(box.dataset.pagefind, document.baseURI).href);
    await pagefind.options(settings);
    await pagefind.init();
  } catch (error) {
    return; // no index published: the explanation and links stay visible
  }
  // A large site's index comes in parts (one Pagefind run each): search them all. They
  // load side by side while the form is already usable; a search waits for them. A part
  // that is missing (a preview whose index is not remade yet) is left out: merged, it
  // would make every search fail.
  const parts = (box.dataset.more || "").split(" ").filter(Boolean);
  const merged = Promise.all(
    parts.map(async (part) => {
      const url = new URL(part, document.baseURI);
      try {
        const entry = await fetch(new URL("pagefind-entry.json", url), { method: "HEAD" });
        if (entry.ok) await pagefind.mergeIndex(url.pathname, settings);
      } catch (error) {
        console.warn(`search: index part ${part} not loaded`, error);
      }
    }),
  );
  // A large site also has a names index: the titles of its pages and nothing else. It is
  // asked first and answers in a fraction of the time, so the pages whose names match
  // are listed while the full text (where a first letter matches thousands of pages) is
  // still being searched. It is a Pagefind of its own, from its own folder, with its own
  // worker: a second index in the first one's worker mixed up their answers and now and
  // then hung a search. Without it (a small site, a preview whose index is not remade
  // yet) the full text answers alone.
  const names = (async () => {
    if (!box.dataset.names) return null;
    const url = new URL(box.dataset.names, document.baseURI);
    try {
      const entry = await fetch(new URL("pagefind-entry.json", url), { method: "HEAD" });
      if (!entry.ok) return null;
      const instance = await import(new URL("pagefind.js", url).href);
      await instance.options({ ...settings, basePath: url.pathname });
      await instance.init();
      return instance;
    } catch (error) {
      console.warn("search: names index not loaded", error);
      return null;
    }
  })();
  fallback.hidden = true;
  form.hidden = false;
  Promise.all([merged, names]).then(() => {
    box.dataset.ready = "";
  });

  // Results follow the typing. One search runs at a time: keys typed meanwhile are
  // searched together when it is done (their index chunks already loading), so a fast
  // typist waits for at most two searches, not one per letter.
  let running = false;
  let wanted = null;
  function request(query) {
    wanted = query;
    if (!query.trim()) {
      shown = null;
      list.replaceChildren();
      delete list.dataset.query;
      list.removeAttribute("aria-busy");
      more.hidden = true;
      status.textContent = "";
    } else {
      status.textContent = box.dataset.busy;
      if (running) {
        pagefind.preload(query).catch(() => {});
        names.then((index) => index && index.preload(query)).catch(() => {});
      }
    }
    if (running) return;
    running = true;
    (async () => {
      try {
        while (wanted !== null) {
          const query = wanted;
          wanted = null;
          if (query.trim()) await run(query);
        }
      } finally {
        running = false;
      }
    })();
  }

  // A result's title, link and excerpt come from its own fragment file (one request
  // each), so the first FIRST results are shown as soon as theirs are in, the rest of
  // the first PAGE follow, and "show more" loads the next PAGE. On a large site the
  // first results are the pages whose names match (at most FIRST), and the full text's
  // results follow them, each page listed once.
  const FIRST = 5;
  const PAGE = 20;
  let shown = null; // the search on screen: its results, how far they are listed

  async function run(query) {
    const current = { query, results: null, next: 0, listed: 0, urls: new Set() };
    const namesIndex = await names;
    await merged;
    // The names first: started together, the full text's many requests and its scoring
    // held the names back (first results in 210 ms instead of 120 ms at 10 000 cities).
    // The full text starts once the names are found, and runs while their titles load.
    const found = namesIndex ? await namesIndex.search(query).catch(() => null) : null;
    if (wanted !== null) return; // typed on meanwhile: that answer comes next
    const full = pagefind.search(query);
    full.catch(() => {}); // a search left behind for a newer one fails unobserved
    let early = [];
    if (found && found.results.length) {
      early = await details(found.results.slice(0, FIRST));
      if (wanted !== null) return;
      const visible = visibly(query);
      if (!early.every(visible) && found.results.length > FIRST) {
        // Some of them match only by their stem: read the next names' titles too.
        const next = await details(found.results.slice(FIRST, 3 * FIRST));
        if (wanted !== null) return;
        const all = [...early, ...next];
        early = [...all.filter(visible), ...all.filter((r) => !visible(r))].slice(0, FIRST);
      }
      show(current, early.map(named));
    }
    const search = await full;
    if (wanted !== null || (early.length && shown !== current)) return;
    current.results = search.results;
    if (!early.length) {
      const first = await details(current.results.slice(0, FIRST));
      if (wanted !== null) return;
      current.next = first.length;
      show(current, first.map(item));
    }
    const count = current.results.length;
    const template = count === 0 ? box.dataset.none : count === 1 ? box.dataset.one : box.dataset.many;
    status.textContent = format(template, { num: count.toLocaleString(document.documentElement.lang), query });
    extend(current, PAGE); // not awaited: the next search may start meanwhile
  }

  // Whether a name's words visibly start with what was typed: those are listed before
  // the others (each group in Pagefind's order). Pagefind matches stems: in Dutch "n"
  // finds "Genros" (its stemmer takes off "ge-"), right for text but puzzling as the
  // first of a few names.
  function visibly(query) {
    const fold = (text) =>
      text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase(document.documentElement.lang);
    const terms = fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return (result) => {
      const words = fold(result.meta.title || "").split(/[^\p{L}\p{N}]+/u);
      return terms.every((term) => words.some((word) => word.startsWith(term)));
    };
  }

  // The first results of `current` replace the list (still busy: more follow).
  function show(current, items) {
    shown = current;
    list.setAttribute("aria-busy", "true");
    list.replaceChildren(...items);
    list.dataset.query = current.query;
    for (const entry of items) current.urls.add(entry.querySelector("a").getAttribute("href"));
    current.listed = items.length;
    more.hidden = true;
  }

  // List the results of `current` up to `upto` (leaving out pages already listed by
  // name): the new items, or false if another search (or an emptied field) replaced it.
  async function extend(current, upto) {
    list.setAttribute("aria-busy", "true");
    const added = [];
    while (current.listed < upto && current.next < current.results.length) {
      const batch = current.results.slice(current.next, current.next + upto - current.listed);
      current.next += batch.length;
      const found = await details(batch);
      if (shown !== current) return false;
      const items = found.map(item).filter((entry) => {
        const href = entry.querySelector("a").getAttribute("href");
        if (current.urls.has(href)) return false;
        current.urls.add(href);
        return true;
      });
      list.append(...items);
      added.push(...items);
      current.listed += items.length;
    }
    list.removeAttribute("aria-busy");
    more.hidden = current.next >= current.results.length;
    return added;
  }

  function details(results) {
    return Promise.all(results.map((r) => r.data()));
  }

  function entryFor(url, title) {
    const entry = document.createElement("li");
    entry.className = "cp-search__result";
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = url;
    link.textContent = title || url;
    heading.append(link);
    entry.append(heading);
    return entry;
  }

  function item(result) {
    const entry = entryFor(result.url, result.meta.title);
    const excerpt = document.createElement("p");
    excerpt.append(excerptNodes(result.excerpt));
    entry.append(excerpt);
    return entry;
  }

  // A page found by its name: its title, and what kind of page it is (a city, a network,
  // a goal: a page under the list of those) where the search page has a word for that.
  const KINDS = ["City", "Network", "Goal"]
    .filter((kind) => box.dataset[`kind${kind}`] && box.dataset[`under${kind}`])
    .map((kind) => ({
      label: box.dataset[`kind${kind}`],
      under: new URL(box.dataset[`under${kind}`], document.baseURI).pathname,
    }));

  function named(result) {
    const entry = entryFor(result.url, result.meta.title);
    const path = new URL(result.url, document.baseURI).pathname;
    const kind = KINDS.find((k) => path.startsWith(k.under) && path !== k.under);
    if (kind) {
      const what = document.createElement("p");
      what.className = "cp-search__kind";
      what.textContent = kind.label;
      entry.append(what);
    }
    return entry;
  }

  // "Show more": the next results, and the keyboard focus on the first of them.
  let extending = false;
  more.addEventListener("click", async () => {
    if (!shown || !shown.results || extending) return;
    extending = true;
    try {
      const items = await extend(shown, shown.listed + PAGE);
      if (items && items.length) items[0].querySelector("a").focus();
    } finally {
      extending = false;
    }
  });

  function remember(query) {
    const url = new URL(window.location.href);
    url.searchParams.set("q", query);
    window.history.replaceState(null, "", url);
  }

  input.addEventListener("input", () => {
    remember(input.value);
    request(input.value);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    remember(input.value);
    request(input.value);
  });
  const initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    request(initial);
  }
}

start();
