// Every image of every page loads, has its width and height (so the text
// does not move as it loads: no layout shift), and no page logs an error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SITE, htmlFiles, serve, launch, watchedPage } from "./harness.mjs";

const withImages = htmlFiles().filter((rel) => readFileSync(join(SITE, rel), "utf8").includes("<img"));

test("images load with their size and move nothing", async (t) => {
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
    for (const rel of withImages) {
      const page = await watchedPage(context, errors);
      await page.addInitScript(() => {
        window.__shift = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
        }).observe({ type: "layout-shift", buffered: true });
      });
      await page.goto(server.base + rel, { waitUntil: "load" });
      // Lazy images load as they come into view: scroll each into view.
      for (const img of await page.locator("img").all()) {
        await img.scrollIntoViewIfNeeded();
        await img.evaluate((el) => el.decode().catch(() => {}));
      }
      const found = await page.evaluate(() =>
        [...document.images].map((i) => ({
          src: i.getAttribute("src"),
          loaded: i.complete && i.naturalWidth > 0,
          sized: i.hasAttribute("width") && i.hasAttribute("height"),
          remote: /^[a-z]+:/i.test(i.getAttribute("src")),
        })),
      );
      for (const i of found.filter((i) => !i.remote)) {
        if (!i.loaded) problems.push(`${rel}: ${i.src} did not load`);
        if (!i.sized) problems.push(`${rel}: ${i.src} has no width and height`);
      }
      const shift = await page.evaluate(() => window.__shift);
      if (shift > 0) problems.push(`${rel}: layout shift ${shift.toFixed(4)}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(errors, []);
});
