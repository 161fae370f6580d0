// annotations.jsonld against the pages it annotates, in a real browser: for
// every annotation, its quote with its prefix and suffix occurs exactly once
// in the part page's text content, its TextPositionSelector selects the same
// words there, and its paragraph FragmentSelector names a paragraph that
// holds the quote. The text content is the page's `<body>` as served, before
// any script runs (scripts may add controls to the page); positions count
// Unicode code points, as the W3C data model does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SITE, serve, launch, sitePages } from "./harness.mjs";

const collection = JSON.parse(readFileSync(join(SITE, "annotations.jsonld"), "utf8"));
const items = collection.first.items;
let server, browser;

before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the collection is a W3C AnnotationCollection of every mention", () => {
  assert.equal(collection["@context"], "http://www.w3.org/ns/anno.jsonld");
  assert.equal(collection.type, "AnnotationCollection");
  assert.equal(collection.total, items.length);
  const annotations = JSON.parse(readFileSync(join(SITE, "annotations.json"), "utf8"));
  assert.equal(items.length, annotations.mentions.length, "one annotation per mention");
  const motivations = new Set(items.map((a) => a.motivation));
  for (const m of ["identifying", "describing", "assessing"]) assert.ok(motivations.has(m), m);
});

test("every annotation's selectors find its words on the part page", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const bySource = new Map();
  for (const a of items) bySource.set(a.target.source, [...(bySource.get(a.target.source) || []), a]);
  const parts = sitePages().parts;
  assert.ok(bySource.size > 0 && bySource.size <= parts.length);
  let checked = 0;
  for (const [source, annotations] of bySource) {
    assert.ok(parts.includes(source), `${source} is a part page`);
    await page.goto(server.base + source);
    const { text, paragraphs } = await page.evaluate(() => ({
      text: document.body.textContent,
      paragraphs: Object.fromEntries(
        [...document.querySelectorAll("p.para[id]")].map((p) => [p.id, p.textContent]),
      ),
    }));
    const chars = Array.from(text);
    for (const a of annotations) {
      const [quote, position, fragment] = a.target.selector;
      assert.equal(quote.type, "TextQuoteSelector");
      const whole = quote.prefix + quote.exact + quote.suffix;
      const first = text.indexOf(whole);
      assert.ok(first >= 0, `${a.id}: «${whole}» is not on ${source}`);
      assert.equal(text.indexOf(whole, first + 1), -1, `${a.id}: «${whole}» occurs twice on ${source}`);
      assert.equal(position.type, "TextPositionSelector");
      assert.equal(chars.slice(position.start, position.end).join(""), quote.exact, `${a.id}: positions`);
      assert.equal(chars.slice(position.start - Array.from(quote.prefix).length, position.start).join(""), quote.prefix);
      assert.equal(fragment.type, "FragmentSelector");
      if (fragment.refinedBy) {
        const para = paragraphs[fragment.value];
        assert.ok(para !== undefined, `${a.id}: no paragraph #${fragment.value}`);
        const r = fragment.refinedBy;
        assert.ok(para.includes(r.prefix + r.exact + r.suffix), `${a.id}: not in #${fragment.value}`);
      } else {
        const words = await page.evaluate((id) => document.getElementById(id)?.textContent, fragment.value);
        assert.equal(words, quote.exact, `${a.id}: #${fragment.value}`);
      }
      checked++;
    }
  }
  assert.equal(checked, items.length);
  await context.close();
});
