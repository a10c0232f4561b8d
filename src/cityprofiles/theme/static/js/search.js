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
  fallback.hidden = true;
  form.hidden = false;
  merged.then(() => {
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
      list.removeAttribute("aria-busy");
      more.hidden = true;
      status.textContent = "";
    } else {
      status.textContent = box.dataset.busy;
      if (running) pagefind.preload(query).catch(() => {});
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
  // the first PAGE follow, and "show more" loads the next PAGE.
  const FIRST = 5;
  const PAGE = 20;
  let shown = null; // the search on screen: its results and how many are listed

  async function run(query) {
    await merged;
    const search = await pagefind.search(query);
    if (wanted !== null) return; // typed on meanwhile: that answer comes next
    const current = { query, results: search.results, listed: 0 };
    shown = current;
    list.setAttribute("aria-busy", "true");
    const first = await details(current.results.slice(0, FIRST));
    if (wanted !== null || shown !== current) return;
    list.replaceChildren(...first.map(item));
    current.listed = first.length;
    more.hidden = true;
    const count = current.results.length;
    const template = count === 0 ? box.dataset.none : count === 1 ? box.dataset.one : box.dataset.many;
    status.textContent = format(template, { num: count.toLocaleString(document.documentElement.lang), query });
    extend(current, PAGE); // not awaited: the next search may start meanwhile
  }

  // List the results of `current` up to `upto`: the new items, or false if another
  // search (or an emptied field) replaced it meanwhile.
  async function extend(current, upto) {
    list.setAttribute("aria-busy", "true");
    const batch = await details(current.results.slice(current.listed, upto));
    if (shown !== current) return false;
    const items = batch.map(item);
    list.append(...items);
    current.listed += batch.length;
    list.removeAttribute("aria-busy");
    more.hidden = current.listed >= current.results.length;
    return items;
  }

  function details(results) {
    return Promise.all(results.map((r) => r.data()));
  }

  function item(result) {
    const entry = document.createElement("li");
    entry.className = "cp-search__result";
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = result.url;
    link.textContent = result.meta.title || result.url;
    heading.append(link);
    const excerpt = document.createElement("p");
    excerpt.append(excerptNodes(result.excerpt));
    entry.append(heading, excerpt);
    return entry;
  }

  // "Show more": the next results, and the keyboard focus on the first of them.
  let extending = false;
  more.addEventListener("click", async () => {
    if (!shown || extending) return;
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
