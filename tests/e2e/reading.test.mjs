// The reading experience in a real browser: margin notes, previews, the
// paragraph menu, navigation, search and the theme toggle. Navigation,
// previews and search run twice: served over HTTP and opened from disk.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, launch, watchedPage, sitePages, searchIndex, FILE_BASE } from "./harness.mjs";

const pages = sitePages();
const firstPart = pages.parts[0];
let server, browser;

before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Opens `path` in a new context; returns `{ page, errors, close }`. */
async function open(base, path, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const errors = [];
  const page = await watchedPage(context, errors);
  await page.goto(base + path);
  return { page, errors, context, close: () => context.close() };
}

const box = (locator) => locator.boundingBox();

describe("margin notes", () => {
  test("sit beside the text at 1280px", async () => {
    const { page, errors, close } = await open(server.base, firstPart);
    const note = page.locator(".text .sidenote").first();
    const label = page.locator(".text label.note-number").first();
    assert.ok(await note.isVisible(), "the first margin note is not shown");
    const n = await box(note), l = await box(label), text = await box(page.locator(".text"));
    assert.ok(n.x >= text.x + text.width, `note at x=${n.x} overlaps the text ending at ${text.x + text.width}`);
    assert.ok(Math.abs(n.y - l.y) < 40, `note at y=${n.y} is not beside its number at y=${l.y}`);
    assert.ok(n.x + n.width <= 1280, "note runs off the screen");
    await close();
    assert.deepEqual(errors, []);
  });

  test("fold inline at 390px and open on tap", async () => {
    const { page, errors, close } = await open(server.base, firstPart, { viewport: { width: 390, height: 844 } });
    const note = page.locator(".text .sidenote").first();
    assert.equal(await note.isVisible(), false, "the note is open before it is tapped");
    await page.locator(".text label.note-number").first().click();
    assert.ok(await note.isVisible(), "tapping the number did not open the note");
    const n = await box(note), text = await box(page.locator(".text"));
    assert.ok(n.x >= text.x - 1 && n.x + n.width <= text.x + text.width + 1, "the open note is not inside the text column");
    await page.locator(".text label.note-number").first().click();
    assert.equal(await note.isVisible(), false, "a second tap did not close the note");
    await close();
    assert.deepEqual(errors, []);
  });

  test("work with JavaScript disabled, and mentions stay links", async () => {
    const { page, close } = await open(server.base, firstPart, { viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const note = page.locator(".text .sidenote").first();
    await page.locator(".text label.note-number").first().click();
    assert.ok(await note.isVisible(), "the note did not open without JavaScript");
    const mention = page.locator(".text a.mention").first();
    const href = await mention.getAttribute("href");
    assert.ok(href && href.endsWith("index.html"), `mention links to ${href}`);
    await mention.click();
    await page.waitForURL((u) => !u.href.includes(firstPart));
    assert.ok(await page.locator("article.entity h1").isVisible(), "the mention's link did not open the entity page");
    await close();
  });

  test("the glossary at the end holds every numbered note", async () => {
    const { page, close } = await open(server.base, firstPart, { viewport: { width: 390, height: 844 } });
    const numbers = await page.locator(".text .sidenote-number").allTextContents();
    assert.ok(numbers.length > 0, "the part has no numbered note");
    for (const n of numbers) assert.equal(await page.locator(`#n-${n}`).count(), 1, `no glossary entry n-${n}`);
    await close();
  });
});

for (const [origin, getBase] of [["http", () => server.base], ["file", () => FILE_BASE]]) {
  describe(`over ${origin}`, () => {
    test("a preview opens on hover and on focus, and Escape closes it", async () => {
      const { page, errors, close } = await open(getBase(), firstPart);
      const mention = page.locator(".text a.mention[data-note]").first();
      const preview = page.locator(".preview");
      const noteId = await mention.getAttribute("data-note");
      const name = (await page.locator(`#${noteId} .note-name`).textContent()).trim();
      await mention.hover();
      await preview.waitFor({ state: "visible" });
      assert.ok((await preview.textContent()).includes(name) || (await page.locator(`#${noteId}`).getAttribute("data-kind")) === "claim");
      assert.equal(await preview.locator("a").last().getAttribute("href"), await mention.getAttribute("href"));
      await page.keyboard.press("Escape");
      await preview.waitFor({ state: "hidden" });
      await page.mouse.move(0, 0);
      await mention.focus();
      await preview.waitFor({ state: "visible" });
      assert.equal(await mention.getAttribute("aria-describedby"), "glossator-preview");
      await page.keyboard.press("Escape");
      await preview.waitFor({ state: "hidden" });
      const claim = page.locator(".text a.mention--claim[data-note]").first();
      assert.equal(await claim.count(), 1, "the first part has no claim to preview");
      await claim.focus();
      await preview.waitFor({ state: "visible" });
      const status = (await claim.getAttribute("class")).match(/claim--(\w+)/)[1];
      assert.ok((await preview.textContent()).includes(status), `the claim preview does not say "${status}"`);
      await page.keyboard.press("Escape");
      await preview.waitFor({ state: "hidden" });
      await close();
      assert.deepEqual(errors, []);
    });

    test("navigation: contents, next part, skip link, breadcrumbs", async () => {
      const { page, errors, close } = await open(getBase(), pages.cover);
      await page.locator("nav.toc ol a").first().click();
      await page.waitForURL((u) => u.href.endsWith(firstPart));
      assert.equal((await page.locator("article.part h1").textContent()).trim().length > 0, true);
      if (pages.parts.length > 1) {
        await page.locator(".pager a[rel=next]").click();
        await page.waitForURL((u) => u.href.endsWith(pages.parts[1]));
        await page.locator(".pager a[rel=prev]").click();
        await page.waitForURL((u) => u.href.endsWith(firstPart));
      }
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
      await page.keyboard.press("Enter");
      assert.equal(await page.evaluate(() => document.activeElement.id), "main");
      // The parts of the bundled edition have no headings; its pages do.
      await page.goto(getBase() + pages.pages[0]);
      const heading = page.locator("h2[id] a.anchor").first();
      assert.equal(await heading.count(), 1, `${pages.pages[0]} has no heading anchor`);
      const headingId = (await heading.getAttribute("href")).slice(1);
      assert.equal(await page.locator(`h2[id="${headingId}"] a.anchor`).count(), 1, "the anchor does not link to its heading");
      await heading.click();
      await page.waitForURL((u) => u.hash === `#${headingId}`);
      await page.goto(getBase() + Object.values(pages.entities)[0]);
      const crumbs = page.locator("nav.breadcrumbs a");
      assert.ok((await crumbs.count()) >= 2, "entity page has no breadcrumbs");
      await crumbs.last().click();
      await page.waitForURL((u) => /\/(people|sources|claims|terms)\/index\.html$/.test(u.href));
      await page.goto(getBase() + pages.timeline);
      const place = page.locator(".places a").first();
      assert.equal(await place.count(), 1, "the timeline links to no place in the text");
      const href = await place.getAttribute("href");
      await place.click();
      const id = href.split("#")[1];
      await page.waitForURL((u) => u.hash === `#${id}`);
      assert.equal(await page.locator(`[id="${id}"]`).count(), 1);
      await close();
      assert.deepEqual(errors, []);
    });

    test("search finds a person by alias and a phrase from the text", async () => {
      const index = searchIndex();
      const people = index.entities.filter((e) => e[0] === "person" && e[3].length > 0);
      assert.ok(people.length > 0, "no person in the edition has an alias");
      // An alias with a word the name does not hold ("Qomi" for "Qumi"), so
      // only alias matching can find the person: "James Dobbins" would match
      // the name "James F. Dobbins" word by word.
      const wordsOnlyInAlias = (name, alias) => alias.toLowerCase().split(/\s+/).some((w) => !name.toLowerCase().includes(w));
      const person = people.find((p) => p[3].some((a) => wordsOnlyInAlias(p[1], a)));
      assert.ok(person, "no person has an alias with a word that is not in the name");
      const [, name, url, aliases] = person;
      const alias = aliases.find((a) => wordsOnlyInAlias(name, a));
      const { page, errors, close } = await open(getBase(), firstPart);
      await page.fill("#site-q", alias);
      await page.press("#site-q", "Enter");
      await page.waitForURL((u) => u.pathname.endsWith("search/index.html"));
      const hit = page.locator(`#search-entities a[href$="${url}"]`);
      await hit.first().waitFor();
      assert.ok((await hit.count()) >= 1, `searching "${alias}" did not find ${name}`);
      const top = await page.locator("#search-entities a").first().getAttribute("href");
      assert.ok(top.endsWith(url), `searching "${alias}" ranks ${top} above ${name}`);

      const para = index.paras.find((p) => p[2].split(/\s+/).length > 12) || index.paras[0];
      const words = para[2].split(/\s+/);
      const phrase = words.slice(3, 8).join(" ");
      await page.fill("#search-q", phrase);
      const target = `${index.parts[para[0]][1]}#p${para[1]}`;
      const result = page.locator(`#search-paras a[href$="${target}"]`);
      await result.first().waitFor();
      assert.match(await page.locator("#search-status").textContent(), /match/);
      await result.first().click();
      await page.waitForURL((u) => u.hash === `#p${para[1]}`);
      // The paragraph as read: without its number and its margin notes.
      const text = await page.locator(`#p${para[1]}`).evaluate((p) => {
        const copy = p.cloneNode(true);
        copy.querySelectorAll(".pnum, .sidenote, .claim-mark, label.note-number, sup.footnote-ref").forEach((n) => n.remove());
        return copy.textContent.replace(/\s+/g, " ");
      });
      assert.ok(text.includes(phrase), `paragraph ${para[1]} does not contain "${phrase}": ${text.slice(0, 200)}`);
      await close();
      assert.deepEqual(errors, []);
    });
  });
}

/* Search over a long edition: a made-up index of five text shards of 30
   parts each, served in place of the bundled edition's (routes apply over
   HTTP only; the real shard is loaded from file:// above). Part p (from 0)
   has the one paragraph textOf(p). */
describe("search over many text shards", () => {
  const PARTS = 30, SHARDS = 5;

  /** Opens the search page for `q`; `onShard(number, route)` answers each
   *  shard request (by default with the made-up shard). Returns the numbers
   *  of the shards requested, in order, with the usual helpers. */
  async function searchMadeUp(q, textOf, onShard) {
    const entry = {
      parts: Array.from({ length: PARTS * SHARDS }, (_, p) => [`Made-up part ${p + 1}`, firstPart]),
      entities: [],
      shards: Array.from({ length: SHARDS }, (_, k) => [`search/text-${String(k + 1).padStart(4, "0")}.js`, k * PARTS, PARTS]),
    };
    const shard = (n) => {
      const texts = Array.from({ length: PARTS }, (_, i) => [textOf((n - 1) * PARTS + i)]);
      return `(window.GLOSSATOR_SEARCH_TEXT = window.GLOSSATOR_SEARCH_TEXT || []).push(${JSON.stringify([n, (n - 1) * PARTS, texts])});\n`;
    };
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const requested = [];
    const js = (body) => ({ status: 200, contentType: "text/javascript; charset=utf-8", body });
    await context.route("**/search-index.js", (route) => route.fulfill(js(`window.GLOSSATOR_SEARCH = ${JSON.stringify(entry)};\n`)));
    await context.route("**/search/text-*.js", (route) => {
      const n = Number(route.request().url().match(/text-(\d+)\.js$/)[1]);
      requested.push(n);
      return onShard ? onShard(n, route, js(shard(n))) : route.fulfill(js(shard(n)));
    });
    const errors = [];
    const page = await watchedPage(context, errors);
    // Shards inserted before the load event delay it: wait for the document only.
    await page.goto(`${server.base}${pages.search}?q=${encodeURIComponent(q)}`, { waitUntil: "domcontentloaded" });
    return { page, errors, requested, close: () => context.close() };
  }

  const places = (page) => page.locator("#search-paras .result-where a").allTextContents();
  const status = (page) => page.locator("#search-status").textContent();

  test("stops loading shards once the first 50 phrase matches are found", async () => {
    // Every other part holds the phrase: 15 a shard, 60 in the first four.
    const textOf = (p) => (p % 2 === 0 ? `The amber lantern of part ${p + 1} swung.` : "A lantern, amber in colour.");
    const { page, errors, requested, close } = await searchMadeUp("amber lantern", textOf);
    await page.waitForFunction(() => /at least/.test(document.getElementById("search-status").textContent));
    assert.equal(await status(page), "0 names and at least 120 paragraphs match \u201camber lantern\u201d (the first 50 shown).");
    const shown = await places(page);
    assert.equal(shown.length, 50);
    assert.deepEqual(shown.slice(0, 2), ["Part 1, \u00b61", "Part 3, \u00b61"], "phrase matches come first, in part order");
    assert.equal(shown[49], "Part 99, \u00b61");
    await page.waitForTimeout(300);
    assert.deepEqual(requested, [1, 2, 3, 4], "a shard was loaded that could not change the results");
    await close();
    assert.deepEqual(errors, []);
  });

  test("shows results as shards arrive and puts phrase matches first", async () => {
    const textOf = (p) => ({ 1: "A lantern, amber in colour.", 100: "An amber lantern.", 140: "Another amber lantern." })[p] || "Nothing to find.";
    let release;
    const held = new Promise((ok) => { release = ok; });
    const { page, errors, requested, close } = await searchMadeUp("amber lantern", textOf, async (n, route, answer) => {
      if (n === 3) await held;
      return route.fulfill(answer);
    });
    await page.waitForFunction(() => /parts 1\u201360 of 150/.test(document.getElementById("search-status").textContent));
    assert.equal(await status(page), "0 names and 1 paragraph match \u201camber lantern\u201d in parts 1\u201360 of 150; searching the rest\u2026");
    assert.equal(await page.locator("#search-status").getAttribute("aria-busy"), "true");
    assert.deepEqual(await places(page), ["Part 2, \u00b61"], "the match in the first shard is not shown while later shards load");
    release();
    await page.waitForFunction(() => /\.$/.test(document.getElementById("search-status").textContent));
    assert.equal(await status(page), "0 names and 3 paragraphs match \u201camber lantern\u201d.");
    assert.equal(await page.locator("#search-status").getAttribute("aria-busy"), null);
    assert.deepEqual(await places(page), ["Part 101, \u00b61", "Part 141, \u00b61", "Part 2, \u00b61"]);
    assert.deepEqual(requested, [1, 2, 3, 4, 5]);
    await close();
    assert.deepEqual(errors, []);
  });

  test("a shard that does not load is named, and the search does not hang", async () => {
    const textOf = (p) => (p === 4 ? "An amber lantern." : "Nothing to find.");
    const { page, requested, close } = await searchMadeUp("amber lantern", textOf, (n, route, answer) =>
      n === 2 ? route.abort() : route.fulfill(answer));
    await page.waitForFunction(() => /did not load/.test(document.getElementById("search-status").textContent));
    assert.equal(await status(page), "0 names and 1 paragraph match \u201camber lantern\u201d in parts 1\u201330 of 150. " +
      "The rest of the text could not be searched: search/text-0002.js did not load.");
    assert.equal(await page.locator("#search-status").getAttribute("aria-busy"), null);
    assert.deepEqual(await places(page), ["Part 5, \u00b61"]);
    assert.deepEqual(requested, [1, 2]);
    await close();
  });
});

describe("what a reader sees of each note", () => {
  test("a person's margin note begins with the name", async () => {
    const { page, errors, close } = await open(server.base, firstPart);
    const mention = page.locator(".text a.mention--person[data-note]").first();
    const name = (await mention.getAttribute("data-entity")).split(":")[1];
    const note = page.locator(`.text a.mention--person[data-note] + label + input + .sidenote`).first();
    assert.ok(await note.isVisible(), "the person's margin note is not shown");
    const shown = await note.locator(".sidenote-name").textContent();
    assert.ok(shown.trim().length > 0, `the note of person:${name} does not begin with a name`);
    await close();
    assert.deepEqual(errors, []);
  });

  test("a mention in a footnote keeps the footnote's sentence on the entity page", async () => {
    const { page, errors, close } = await open(server.base, "people/lammon/index.html");
    const text = await page.locator("main").textContent();
    assert.match(text.replace(/\s+/g, " "), /begins Adam Lammon’s text here/);
    await close();
    assert.deepEqual(errors, []);
  });

  test("dates are in words, never broken, in a <time> that keeps the ISO form", async () => {
    const { page, errors, close } = await open(server.base, pages.timeline);
    const time = page.locator("time[datetime*='-']").first();
    const iso = await time.getAttribute("datetime");
    const words = await time.textContent();
    assert.notEqual(words, iso, `the date ${iso} is shown as written`);
    assert.match(words, /[a-z]/i, `the date ${iso} is not in words: ${words}`);
    assert.ok(!/ /.test(words), `the date ${words} can break at a space`);
    await close();
    assert.deepEqual(errors, []);
  });
});

test("on a phone the preview never covers the mention", async () => {
  const { page, errors, close } = await open(server.base, firstPart, { viewport: { width: 390, height: 844 }, hasTouch: true });
  // Mentions inside folded notes are hidden until their note is opened.
  const mentions = page.locator(".text a.mention[data-note]:visible");
  const count = Math.min(await mentions.count(), 6);
  assert.ok(count > 0, "no visible mention with a note to preview");
  for (let i = 0; i < count; i++) {
    const m = mentions.nth(i);
    await m.scrollIntoViewIfNeeded();
    await m.focus();
    const preview = page.locator(".preview");
    await preview.waitFor({ state: "visible" });
    const a = await box(m), p = await box(preview);
    assert.ok(a.y + a.height <= p.y + 1, `preview (top ${p.y}) covers mention ${i} (bottom ${a.y + a.height})`);
    await page.keyboard.press("Escape");
  }
  await close();
  assert.deepEqual(errors, []);
});

test("the site header is laid out alike on the cover, a part and an entity page", async () => {
  for (const width of [1280, 320]) {
    const boxes = [];
    for (const path of [pages.cover, firstPart, Object.values(pages.entities)[0]]) {
      const { page, close } = await open(server.base, path, { viewport: { width, height: 800 } });
      boxes.push(await box(page.locator(".site-header .site-title")));
      await close();
    }
    for (const b of boxes.slice(1)) assert.deepEqual(b, boxes[0], `the title moves between pages at ${width}px`);
  }
});

test("the paragraph menu offers a permalink and a citation", async () => {
  const { page, errors, close } = await open(server.base, firstPart);
  const pnum = page.locator(".pnum").nth(1);
  const n = await pnum.getAttribute("data-para");
  await pnum.click();
  const menu = page.locator(".pmenu");
  await menu.waitFor({ state: "visible" });
  const cite = await menu.locator(".pmenu-cite").textContent();
  const title = (await page.locator("article.part h1").textContent()).trim();
  // In the edition's style (Chicago author-date by default): the part's
  // reference with the paragraph's address, then the paragraph as a locator.
  assert.ok(cite.includes(title) && cite.includes(`#p${n}. `) && cite.endsWith(`, para. ${n})`), `citation: ${cite}`);
  assert.ok(page.url().endsWith(`#p${n}`));
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Copy link");
  await page.keyboard.press("Escape");
  await menu.waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("data-para")), n);
  await close();
  assert.deepEqual(errors, []);
});

test("the theme toggle switches to dark and is remembered", async () => {
  const { page, errors, context, close } = await open(server.base, pages.cover, { colorScheme: "light" });
  const toggle = page.locator(".theme-toggle");
  assert.equal(await toggle.getAttribute("aria-pressed"), "false");
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  const other = await context.newPage();
  await other.goto(server.base + firstPart);
  assert.equal(await other.evaluate(() => document.documentElement.getAttribute("data-theme")), "dark");
  assert.equal(await other.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(22, 22, 20)");
  await close();
  assert.deepEqual(errors, []);
});

test("print hides navigation and shows notes as footnotes", async () => {
  const { page, close } = await open(server.base, firstPart);
  const backlinks = page.locator("#glossary .backlinks").first();
  // On screen: the header, the margin notes and the glossary's back-links show.
  assert.ok(await page.locator(".site-header").isVisible());
  assert.ok(await page.locator(".text .sidenote").first().isVisible());
  assert.ok(await backlinks.isVisible(), "the glossary has no visible back-links on screen");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".site-header").isVisible(), false);
  assert.equal(await page.locator(".text .sidenote").first().isVisible(), false);
  // The notes are read at the end, as footnotes: the glossary stays, without
  // the back-links that only a screen can follow.
  assert.ok(await page.locator("#glossary").isVisible());
  assert.equal(await backlinks.isVisible(), false, "the back-links are printed");
  await close();
});

/** The width and height in a PNG's header, or null if `bytes` is no PNG. */
function pngSize(bytes) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature)) return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

// The screenshots in docs/ are refreshed only when asked for
// (GLOSSATOR_SCREENSHOTS=docs/screenshots); otherwise they go to a temporary
// folder, so a test run never rewrites tracked files.
test("screenshots of a part at desktop and phone width", async () => {
  const dir = process.env.GLOSSATOR_SCREENSHOTS || mkdtempSync(join(tmpdir(), "glossator-screenshots-"));
  mkdirSync(dir, { recursive: true });
  for (const [name, viewport] of [["part-desktop.png", { width: 1280, height: 800 }], ["part-phone.png", { width: 390, height: 844 }]]) {
    const { page, close } = await open(server.base, firstPart, { viewport, colorScheme: "light" });
    await page.screenshot({ path: join(dir, name) });
    await close();
    assert.deepEqual(pngSize(readFileSync(join(dir, name))), viewport, `${name} is not a ${viewport.width}×${viewport.height} PNG`);
  }
  if (!process.env.GLOSSATOR_SCREENSHOTS) rmSync(dir, { recursive: true });
});
