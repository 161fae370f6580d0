// Every image of every page loads, has its width and height, and takes its
// final room before it has loaded, so the text does not move as images
// arrive (no layout shift from images). No page logs an error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SITE, htmlFiles, serve, launch, watchedPage } from "./harness.mjs";

const withImages = htmlFiles().filter((rel) => readFileSync(join(SITE, rel), "utf8").includes("<img"));

/** Each local image of the page: its src, whether it loaded, and its box;
 * with `wait`, once every image has loaded (lazy ones come into view). */
async function boxes(page, wait) {
  for (const img of wait ? await page.locator("img").all() : []) {
    await img.scrollIntoViewIfNeeded();
    await img.evaluate((el) => el.decode().catch(() => {}));
  }
  return page.evaluate(() =>
    [...document.images]
      .filter((i) => !/^[a-z]+:/i.test(i.getAttribute("src")))
      .map((i) => {
        const r = i.getBoundingClientRect();
        return {
          src: i.getAttribute("src"),
          loaded: i.complete && i.naturalWidth > 0,
          sized: i.hasAttribute("width") && i.hasAttribute("height"),
          box: `${Math.round(r.width)}×${Math.round(r.height)}`,
        };
      }),
  );
}

test("images load with their size and take their room before they load", async (t) => {
  if (withImages.length === 0) {
    t.skip(`no page of ${SITE} has an image`);
    return;
  }
  const server = await serve();
  const browser = await launch();
  const errors = [];
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The same pages with every image's bytes held back: the room the page
    // gives an image while it is still loading.
    const blocked = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const held = [];
    await blocked.route(/\.(png|jpe?g|gif|webp|avif|svg)$/, (route) => { held.push(route); });
    for (const rel of withImages) {
      const page = await watchedPage(context, errors);
      await page.goto(server.base + rel, { waitUntil: "load" });
      const loaded = await boxes(page, true);
      await page.close();
      const early = await blocked.newPage();
      await early.goto(server.base + rel, { waitUntil: "domcontentloaded" });
      const before = await boxes(early, false);
      for (const route of held.splice(0)) await route.abort().catch(() => {});
      await early.close();
      loaded.forEach((img, n) => {
        if (!img.loaded) problems.push(`${rel}: ${img.src} did not load`);
        if (!img.sized) problems.push(`${rel}: ${img.src} has no width and height`);
        if (before[n]?.box !== img.box) {
          problems.push(`${rel}: ${img.src} is ${before[n]?.box} before it loads and ${img.box} after`);
        }
      });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(errors, []);
});
