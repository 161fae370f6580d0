//! Sections: folders of `content/` with an `_index.md`, holding parts and
//! sections. Their pages, addresses, contents, breadcrumbs, menus, search
//! entries, JSON-LD, EPUB navigation, drafts and errors.

use std::fs;

use crate::harness::{Edition, sel};

fn texts(page: &scraper::Html, selector: &str) -> Vec<String> {
    page.select(&sel(selector))
        .map(|n| n.text().collect::<String>().trim().to_string())
        .collect()
}

fn hrefs(page: &scraper::Html, selector: &str) -> Vec<String> {
    page.select(&sel(selector))
        .filter_map(|n| n.value().attr("href").map(str::to_string))
        .collect()
}

/// The fixture edition: two parts at the top, a section of two parts with
/// a section in it that holds another (three levels), a second section of
/// two parts, and a draft part.
#[test]
fn the_fixture_edition_reads_in_section_order_with_nested_contents() {
    let ed = Edition::fixture("edition");
    let run = ed.build();
    run.success();
    assert!(
        run.stdout().contains("(7 parts;") && run.stdout().contains("1 draft left out"),
        "{}",
        run.stdout()
    );
    let site = ed.site();
    for page in [
        "kabul/index.html",
        "kabul/01-arrival/index.html",
        "kabul/02-the-compound/index.html",
        "kabul/maps/index.html",
        "kabul/maps/sketch-book/index.html",
        "kabul/maps/sketch-book/01-a-sketch/index.html",
        "tehran/index.html",
        "tehran/01-rumours/index.html",
        "tehran/02-talks/index.html",
    ] {
        assert!(site.join(page).is_file(), "{page}");
    }
    assert!(
        !site.join("kabul/03-unsent").exists(),
        "the draft is left out"
    );

    // The cover's contents nest the sections, in reading order.
    let cover = ed.page("index.html");
    assert_eq!(
        hrefs(&cover, "nav.toc > ol > li > a"),
        [
            "01-first-letter/index.html",
            "02-second-letter/index.html",
            "kabul/index.html",
            "tehran/index.html"
        ]
    );
    assert_eq!(
        hrefs(
            &cover,
            "nav.toc > ol > li > ol > li > ol > li > ol > li > a"
        ),
        ["kabul/maps/sketch-book/01-a-sketch/index.html"]
    );

    // A part three sections deep: breadcrumbs, its place in the menu,
    // previous and next across the sections' edges, the citation.
    let deep = ed.page("kabul/maps/sketch-book/01-a-sketch/index.html");
    assert_eq!(
        texts(&deep, ".part-header nav.breadcrumbs li"),
        [
            "Letters from the Gulf",
            "Letters from Kabul",
            "Maps",
            "Sketches",
            "A sketch of the gate"
        ]
    );
    assert_eq!(
        hrefs(&deep, ".part-header nav.breadcrumbs a")[0],
        "../../../../index.html"
    );
    assert_eq!(
        hrefs(&deep, ".pager a[rel=prev]"),
        ["../../../../kabul/02-the-compound/index.html"]
    );
    assert_eq!(
        hrefs(&deep, ".pager a[rel=next]"),
        ["../../../../tehran/01-rumours/index.html"]
    );
    assert_eq!(
        hrefs(
            &deep,
            ".toc-menu li.toc-section > ol > li.toc-section > ol > li.toc-section > ol > li > a[aria-current=page]"
        ),
        ["../../../../kabul/maps/sketch-book/01-a-sketch/index.html"]
    );
    let article = deep.select(&sel("article.part")).next().unwrap();
    assert_eq!(article.value().attr("data-cite-section"), Some("Sketches"));
    assert_eq!(article.value().attr("data-cite-part"), Some("5"));
    // Its picture climbs four folders to the site's images.
    let img = deep.select(&sel(".text img")).next().unwrap();
    assert_eq!(
        img.value().attr("src"),
        Some("../../../../images/stamp.png")
    );

    // A part outside any section has no breadcrumbs and no section.
    let top = ed.page("01-first-letter/index.html");
    assert!(texts(&top, ".part-header nav.breadcrumbs").is_empty());
    let article = top.select(&sel("article.part")).next().unwrap();
    assert_eq!(article.value().attr("data-cite-section"), None);

    // A section's page: breadcrumbs, introduction, what it holds.
    let kabul = ed.page("kabul/index.html");
    assert_eq!(texts(&kabul, "h1"), ["Letters from Kabul"]);
    assert!(texts(&kabul, ".section-introduction")[0].contains("the maps that came with them"));
    assert_eq!(
        hrefs(&kabul, "nav.toc > ol > li > a"),
        [
            "../kabul/01-arrival/index.html",
            "../kabul/02-the-compound/index.html",
            "../kabul/maps/index.html"
        ]
    );
    assert_eq!(texts(&kabul, "nav.toc .counts"), ["3 parts"]);
    let sketches = ed.page("kabul/maps/sketch-book/index.html");
    assert_eq!(
        texts(&sketches, "nav.breadcrumbs li"),
        [
            "Letters from the Gulf",
            "Letters from Kabul",
            "Maps",
            "Sketches"
        ]
    );

    // Links between parts in sections are relative and reach their target.
    let talks = ed.page("tehran/02-talks/index.html");
    assert!(
        hrefs(&talks, ".text a").contains(&"../../kabul/02-the-compound/index.html#p1".to_string())
    );

    // A link to a section's `_index.md` leads to its page.
    let rumours = ed.page("tehran/01-rumours/index.html");
    assert!(hrefs(&rumours, ".text a").contains(&"../../kabul/index.html".to_string()));

    // The search entry names each part's section; JSON-LD says what each
    // part and section is part of.
    let entry = fs::read_to_string(site.join("search-index.js")).unwrap();
    assert!(
        entry.contains(r#"["Rumours","tehran/01-rumours/index.html","Letters about Tehran"]"#),
        "{entry}"
    );
    assert!(entry.contains(r#"["The first letter","01-first-letter/index.html"]"#));
    let head = fs::read_to_string(site.join("tehran/01-rumours/index.html")).unwrap();
    assert!(
        head.contains(r#""isPartOf":{"@id":"https://edition.example.org/tehran/","@type":"CreativeWork","name":"Letters about Tehran"}"#),
        "{head}"
    );
    let maps = fs::read_to_string(site.join("kabul/maps/index.html")).unwrap();
    assert!(maps.contains(r#""isPartOf":{"@id":"https://edition.example.org/kabul/""#));
}

#[test]
fn the_books_navigation_nests_the_sections() {
    let ed = Edition::fixture("edition");
    ed.build().success();
    let epub = fs::read(ed.site().join("letters-from-the-gulf.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let read = |zip: &mut zip::ZipArchive<_>, name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let nav = read(&mut zip, "EPUB/nav.xhtml");
    let nested = "<li><a href=\"section-3.xhtml\">Sketches</a>\n                <ol>\n                  <li><a href=\"part-5.xhtml\">A sketch of the gate</a></li>";
    assert!(nav.contains(nested), "{nav}");
    let section = read(&mut zip, "EPUB/section-1.xhtml");
    assert!(section.contains("<h1>Letters from Kabul</h1>"), "{section}");
    // The manifest lists the documents in reading order, as the spine does.
    let opf = read(&mut zip, "EPUB/package.opf");
    let at = |name: &str| opf.find(&format!("href=\"{name}.xhtml\"")).unwrap();
    assert!(at("section-1") < at("part-3") && at("part-4") < at("section-2"));
    assert!(at("section-3") < at("part-5") && at("part-5") < at("section-4"));
}

/// The basic edition with a section `later/` (holding one part and a
/// section `later/notes/` of one part).
fn with_sections() -> Edition {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/later/_index.md",
        "---\ntitle: Later letters\norder: 9\n---\nWhat came after.\n",
    );
    ed.write(
        "content/later/03-after.md",
        "---\ntitle: After\n---\n[Zarif](person:zarif) again.\n",
    );
    ed.write("content/later/notes/_index.md", "---\ntitle: Notes\n---\n");
    ed.write(
        "content/later/notes/04-note.md",
        "---\ntitle: A note\n---\n[Crocker](person:crocker) once more.\n",
    );
    ed
}

#[test]
fn a_draft_section_leaves_out_everything_in_it_unless_drafts_are_shown() {
    let ed = with_sections();
    ed.write(
        "content/later/_index.md",
        "---\ntitle: Later letters\ndraft: true\n---\n",
    );
    let run = ed.build();
    run.success();
    assert!(run.stdout().contains("(2 parts;"), "{}", run.stdout());
    assert!(
        run.stdout().contains("4 drafts left out"),
        "{}",
        run.stdout()
    );
    assert!(!ed.site().join("later").exists());
    let entry = fs::read_to_string(ed.site().join("search-index.js")).unwrap();
    assert!(!entry.contains("Later letters") && !entry.contains("A note"));

    let run = ed.run(&["build", "--drafts"]);
    run.success();
    for page in [
        "later/index.html",
        "later/03-after/index.html",
        "later/notes/04-note/index.html",
    ] {
        let html = ed.page(page);
        assert_eq!(html.select(&sel(".draft-banner")).count(), 1, "{page}");
    }
    assert_eq!(
        ed.page("index.html").select(&sel(".draft-banner")).count(),
        0
    );
}

#[test]
fn sections_and_parts_share_one_order_in_each_folder() {
    let ed = with_sections();
    ed.write(
        "content/later/02-first.md",
        "---\ntitle: First in the section\norder: 1\n---\nText.\n",
    );
    ed.build().success();
    let cover = ed.page("index.html");
    // `later` has `order: 9`: after the parts with a lower order.
    assert_eq!(
        hrefs(&cover, "nav.toc a"),
        [
            "01-beginnings/index.html",
            "02-later/index.html",
            "later/index.html",
            "later/02-first/index.html",
            "later/03-after/index.html",
            "later/notes/index.html",
            "later/notes/04-note/index.html",
            "pages/about/index.html"
        ]
    );
    let part = ed.page("later/02-first/index.html");
    assert_eq!(
        part.select(&sel("article.part"))
            .next()
            .unwrap()
            .value()
            .attr("data-cite-part"),
        Some("3")
    );
}

#[test]
fn a_section_slug_may_not_be_reserved_or_shared_and_part_slugs_are_unique() {
    let ed = with_sections();
    ed.write(
        "content/later/_index.md",
        "---\ntitle: Later\nslug: people\n---\n",
    );
    let run = ed.build();
    run.failure();
    assert!(
        run.stderr().contains("content/later/_index.md:1:1: error: section slug `people` maps to `people/`, which the site uses for its own pages"),
        "{}",
        run.stderr()
    );

    let ed = with_sections();
    ed.write(
        "content/later/notes/01-beginnings.md",
        "---\ntitle: Again\n---\nText.\n",
    );
    let run = ed.build();
    run.failure();
    assert!(
        run.stderr().contains("error: two parts have the slug `01-beginnings` (`later/notes/01-beginnings/` and `01-beginnings/`)"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains("content/later/notes/01-beginnings.md:1:1"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_folder_without_an_index_is_not_a_section_and_says_so() {
    let ed = Edition::fixture("basic");
    ed.write("content/loose/03-x.md", "---\ntitle: X\n---\nText.\n");
    let run = ed.build();
    run.success();
    assert!(
        run.stderr()
            .contains("content/loose/03-x.md: a Markdown file in a folder glossator does not read"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains("a section: a folder with an `_index.md`")
    );
}

#[test]
fn the_section_schema_is_generated_from_its_front_matter() {
    let out = assert_cmd::Command::cargo_bin("glossator")
        .unwrap()
        .args(["schema", "section"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema["required"], serde_json::json!(["title"]));
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
    for key in ["title", "order", "slug", "summary", "draft"] {
        assert!(schema["properties"][key].is_object(), "{key}");
    }
}
