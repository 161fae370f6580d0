// Shared by the browser tests: where the built site is, a static server for
// it, the browser, and the pages to visit (read from the cover's contents).
import { createServer } from "node:http";
import { readFileSync, existsSync, statSync, createReadStream, readdirSync } from "node:fs";
import { join, resolve, extname, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

/** The site under test: GLOSSATOR_SITE, or the bundled edition's `site/`. */
export const SITE = resolve(process.env.GLOSSATOR_SITE || join(import.meta.dirname, "..", "..", "site"));

if (!existsSync(join(SITE, "index.html"))) {
  throw new Error(`no built site at ${SITE}: build the edition first or set GLOSSATOR_SITE`);
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml",
  ".json": "application/json", ".jpg": "image/jpeg", ".webp": "image/webp",
};

/** Serves SITE on 127.0.0.1 at a free port; returns `{ base, close }`. */
export async function serve() {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = resolve(SITE, "." + path);
    if (!file.startsWith(SITE)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) { res.writeHead(404).end("not found"); return; }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { base: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** The file:// URL of the site root, with a trailing slash. */
export const FILE_BASE = pathToFileURL(SITE).href.replace(/\/?$/, "/");

/** Debian's Chromium, never a downloaded browser. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
}

/** A page that records console errors and uncaught exceptions in `errors`. */
export async function watchedPage(context, errors) {
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") errors.push(`${page.url()}: ${m.text()}`); });
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  return page;
}

/** Every HTML file of the site, as paths relative to SITE with `/`. */
export function htmlFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".html")) out.push(relative(SITE, p).split(sep).join("/"));
    }
  };
  walk(SITE);
  return out.sort();
}

/** Decodes the few entities the engine writes in attributes. */
export function unescape(s) {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** `href="…"` values of `<a>` elements in the cover's table of contents. */
function tocLinks(cover) {
  const toc = cover.match(/<nav class="toc"[\s\S]*?<\/nav>/);
  if (!toc) throw new Error("the cover has no table of contents (nav.toc)");
  const ol = toc[0].match(/<ol>[\s\S]*?<\/ol>/);
  return [...(ol ? ol[0] : "").matchAll(/<a href="([^"]+)"/g)].map((m) => unescape(m[1]));
}

/** The pages the suite visits, by kind, as root-relative paths. */
export function sitePages() {
  const cover = readFileSync(join(SITE, "index.html"), "utf8");
  const parts = tocLinks(cover);
  const kinds = ["people", "sources", "claims", "terms"];
  const entities = {};
  for (const k of kinds) {
    const index = readFileSync(join(SITE, k, "index.html"), "utf8");
    const m = index.match(new RegExp(`<a href="\\.\\./(${k}/[^"]+/index\\.html)"`));
    if (m) entities[k] = unescape(m[1]);
  }
  const pages = [...cover.matchAll(/<a href="(pages\/[^"]+)"/g)].map((m) => unescape(m[1]));
  return {
    cover: "index.html",
    parts,
    pages: [...new Set(pages)],
    indexes: kinds.map((k) => `${k}/index.html`),
    entities,
    search: "search/index.html",
    timeline: "timeline/index.html",
  };
}

/** The search index the build wrote, parsed: the entry (`search-index.js`)
 *  with `paras`, every numbered paragraph as `[part index, ¶ number, text]`,
 *  gathered from the text shards it lists. */
export function searchIndex() {
  const js = readFileSync(join(SITE, "search-index.js"), "utf8");
  const index = JSON.parse(js.slice(js.indexOf("=") + 1).trim().replace(/;$/, ""));
  index.paras = [];
  for (const [url] of index.shards) {
    const [, first, parts] = searchShard(url);
    parts.forEach((texts, i) => texts.forEach((text, n) => index.paras.push([first + i, n + 1, text])));
  }
  return index;
}

/** A text shard of the search index, parsed: `[number, first part index,
 *  paragraph texts by part]`. */
export function searchShard(url) {
  const js = readFileSync(join(SITE, url), "utf8");
  return JSON.parse(js.slice(js.indexOf(".push(") + ".push(".length).trim().replace(/\);$/, ""));
}
