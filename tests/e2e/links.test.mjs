// Every internal link and #fragment on every page of the built site resolves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, dirname, posix } from "node:path";
import { SITE, htmlFiles, unescape } from "./harness.mjs";

const files = htmlFiles();
const ids = new Map();
function idsOf(rel) {
  if (!ids.has(rel)) {
    const html = readFileSync(join(SITE, rel), "utf8");
    ids.set(rel, new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => unescape(m[1]))));
  }
  return ids.get(rel);
}

test("the site has pages to check", () => {
  assert.ok(files.length >= 5, `only ${files.length} pages in ${SITE}`);
});

test("every internal link and fragment resolves", () => {
  const broken = [];
  let checked = 0;
  for (const rel of files) {
    const html = readFileSync(join(SITE, rel), "utf8");
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const url = unescape(m[1]);
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) continue;
      checked++;
      const [pathAndQuery, fragment] = url.split("#", 2);
      const path = pathAndQuery.split("?")[0];
      let target = path === "" ? rel : posix.normalize(posix.join(posix.dirname(rel), path));
      if (target.startsWith("..")) { broken.push(`${rel}: ${url} leaves the site`); continue; }
      const abs = join(SITE, target);
      if (existsSync(abs) && statSync(abs).isDirectory()) target = posix.join(target, "index.html");
      if (!existsSync(join(SITE, target))) { broken.push(`${rel}: ${url} (no file ${target})`); continue; }
      if (fragment && target.endsWith(".html") && !idsOf(target).has(decodeURIComponent(fragment))) {
        broken.push(`${rel}: ${url} (no id "${fragment}" in ${target})`);
      }
    }
  }
  assert.ok(checked > files.length, `only ${checked} links checked`);
  assert.deepEqual(broken, []);
});

test("ids are unique on every page", () => {
  const dupes = [];
  for (const rel of files) {
    const html = readFileSync(join(SITE, rel), "utf8");
    const seen = new Set();
    for (const m of html.matchAll(/\sid="([^"]*)"/g)) {
      if (seen.has(m[1])) dupes.push(`${rel}: #${m[1]}`);
      seen.add(m[1]);
    }
  }
  assert.deepEqual(dupes, []);
});

test("every search result URL in the index resolves", async () => {
  const { searchIndex } = await import("./harness.mjs");
  const index = searchIndex();
  const missing = [];
  for (const [, url] of index.parts) if (!existsSync(join(SITE, url))) missing.push(url);
  for (const e of index.entities) if (!existsSync(join(SITE, e[2]))) missing.push(e[2]);
  for (const [part, n] of index.paras) {
    const url = index.parts[part][1];
    if (!idsOf(url).has(`p${n}`)) missing.push(`${url}#p${n}`);
  }
  assert.ok(index.paras.length > 0, "the index has no paragraph");
  assert.deepEqual(missing, []);
});
