// Sections in a browser: breadcrumbs lead up, the contents menu nests, and
// previous/next crosses a section's edge; the paragraph menu's citation
// names the section. Skipped for a site without sections.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SITE, serve, launch, watchedPage } from "./harness.mjs";

test("breadcrumbs, nested contents and previous/next across sections", async (t) => {
  const server = await serve();
  const browser = await launch();
  const errors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await watchedPage(context, errors);
    await page.goto(server.base + "index.html", { waitUntil: "load" });
    if ((await page.locator("nav.toc li.toc-section").count()) === 0) {
      t.skip(`${SITE} has no sections`);
      return;
    }
    // The first part of the first section, from the cover's nested contents.
    const first = page.locator("nav.toc > ol > li.toc-section > ol > li:not(.toc-section) > a").first();
    const partUrl = new URL(await first.getAttribute("href"), page.url()).href;
    const sectionUrl = new URL(
      await page.locator("nav.toc > ol > li.toc-section > a").first().getAttribute("href"),
      page.url(),
    ).href;
    await first.click();
    await page.waitForURL(partUrl);
    const crumbs = page.locator(".part-header nav.breadcrumbs li");
    assert.ok((await crumbs.count()) >= 3, "the cover, the section and the part");
    assert.equal(await crumbs.last().getAttribute("aria-current"), "page");

    // Its menu nests it in its section, marked as the current page.
    await page.locator(".toc-menu summary").click();
    const current = page.locator(".toc-menu li.toc-section > ol > li > a[aria-current=page]");
    assert.equal(await current.count(), 1);
    assert.ok(await current.isVisible());

    // Previous leads out of the section, to a part outside its folder, and
    // next comes back.
    const prev = page.locator(".pager a[rel=prev]");
    const prevUrl = new URL(await prev.getAttribute("href"), page.url()).href;
    assert.ok(!prevUrl.startsWith(sectionUrl.replace(/index\.html$/, "")), prevUrl);
    await prev.click();
    await page.waitForURL(prevUrl);
    await page.locator(".pager a[rel=next]").click();
    await page.waitForURL(partUrl);

    // The part names its section for citations; the paragraph menu cites
    // the part in the edition's style, where CSL has no place for a section.
    const section = await page.locator("article.part").getAttribute("data-cite-section");
    assert.ok(section, "the part names its section");
    await page.locator(".pnum").first().click();
    const menu = page.locator(".pmenu");
    await menu.waitFor({ state: "visible" });
    const cite = await menu.locator(".pmenu-cite").textContent();
    const partTitleNow = (await page.locator("article.part h1").textContent()).trim();
    assert.ok(cite.includes(`\u201c${partTitleNow}.\u201d`) && cite.includes("#p1. "), `citation: ${cite}`);
    await page.keyboard.press("Escape");

    // The section's breadcrumb leads to its page, which lists the part.
    await page.locator(".part-header nav.breadcrumbs a").nth(1).click();
    await page.waitForURL(sectionUrl);
    const listed = await page.locator("article.section-page nav.toc a").evaluateAll((as) => as.map((a) => a.href));
    assert.ok(listed.includes(partUrl), listed.join(" "));

    // A search result in a section's part names the section. The longest
    // word of the part's first paragraph finds it.
    await page.goto(partUrl, { waitUntil: "load" });
    const partTitle = (await page.locator("article.part h1").textContent()).trim();
    const word = await page.locator(".text p.para").first().evaluate((p) => {
      // The paragraph's own words: not its links, nor the margin notes.
      const own = [...p.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent);
      return own.join(" ").match(/[A-Za-z]+/g).sort((a, b) => b.length - a.length)[0];
    });
    await page.goto(`${server.base}search/index.html?q=${encodeURIComponent(word)}`, { waitUntil: "load" });
    const where = page.locator("#search-paras .result-where", { hasText: partTitle }).first();
    await where.waitFor({ timeout: 5000 }).catch(async () => {
      throw new Error(`no result for ${word}: ${await page.locator("main").innerText()}`);
    });
    assert.ok((await where.textContent()).includes(`${section} \u00b7 ${partTitle}`), await where.textContent());
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
