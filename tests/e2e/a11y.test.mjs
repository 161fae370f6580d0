// No axe violations of WCAG 2.1 A and AA, in light and dark mode, on the
// cover, every part, every index, one page of each entity kind, the extra
// pages, search and timeline; and no console errors on any of them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import AxeBuilder from "@axe-core/playwright";
import { serve, launch, watchedPage, sitePages } from "./harness.mjs";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
let server, browser;
const pages = sitePages();
const targets = [
  pages.cover, ...pages.parts, ...pages.pages, ...pages.indexes,
  ...Object.values(pages.entities), pages.search, pages.timeline, "404.html",
];

before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test("every entity kind has a page to check", () => {
  assert.deepEqual(Object.keys(pages.entities).sort(), ["claims", "people", "sources", "terms"]);
  assert.ok(pages.parts.length >= 1, "the cover lists no part");
});

for (const scheme of ["light", "dark"]) {
  test(`no axe violations in ${scheme} mode`, async () => {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    const errors = [];
    const page = await watchedPage(context, errors);
    const found = [];
    for (const path of targets) {
      await page.goto(server.base + path);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const dark = bg === "rgb(22, 22, 20)";
      assert.equal(dark, scheme === "dark", `${path} is not in ${scheme} mode (background ${bg})`);
      const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      for (const v of result.violations) {
        found.push(`${path}: ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n    ")}`);
      }
    }
    await context.close();
    assert.deepEqual(found, [], found.join("\n"));
    assert.deepEqual(errors, []);
  });
}

test("the phone layout has no axe violations either", async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const errors = [];
  const page = await watchedPage(context, errors);
  const found = [];
  for (const path of [pages.cover, pages.parts[0], pages.search, pages.timeline]) {
    await page.goto(server.base + path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 320px`);
    const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    for (const v of result.violations) found.push(`${path}: ${v.id}: ${v.help}`);
  }
  await context.close();
  assert.deepEqual(found, []);
  assert.deepEqual(errors, []);
});
