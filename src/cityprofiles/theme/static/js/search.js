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
      list.replaceChildren();
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

  async function run(query) {
    await merged;
    const search = await pagefind.search(query);
    const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    if (wanted !== null) return; // typed on meanwhile: that answer comes next
    const count = search.results.length;
    const template = count === 0 ? box.dataset.none : count === 1 ? box.dataset.one : box.dataset.many;
    const items = results.map((result) => {
      const item = document.createElement("li");
      item.className = "cp-search__result";
      const heading = document.createElement("h2");
      const link = document.createElement("a");
      link.href = result.url;
      link.textContent = result.meta.title || result.url;
      heading.append(link);
      const excerpt = document.createElement("p");
      excerpt.append(excerptNodes(result.excerpt));
      item.append(heading, excerpt);
      return item;
    });
    list.replaceChildren(...items);
    status.textContent = format(template, { num: count.toLocaleString(document.documentElement.lang), query });
  }

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
