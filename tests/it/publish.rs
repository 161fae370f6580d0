//! Publishing: JSON-LD and Open Graph in every page, the sitemap, the data
//! exports (`annotations.json`, `citations.bib`), the editor schemas, the
//! EPUB, and the `new` and `theme eject` commands.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::Path;

use assert_cmd::Command;
use biblatex::ChunksExt;
use glossator::kinds::EntityKind;
use scraper::Html;
use serde_json::Value;

use crate::harness::{Edition, html_pages, sel};

const BASE: &str = "https://example.org/ed/";

/// The fixture edition with a person who has a Wikidata item and links, built
/// with a base URL.
fn built_with_base_url() -> Edition {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/people/crocker.md",
        "---\nname: Ryan Crocker\ndescription: A U.S. diplomat.\naliases: [Crocker]\nborn: \"1949\"\nwikidata: Q1373371\nlinks:\n  - label: State Department\n    url: https://history.state.gov/departmenthistory/people/crocker-ryan-clark\n---\nA note.\n",
    );
    ed.run(&["build", "--base-url", BASE]).success();
    ed
}

/// The one JSON-LD document of a page, parsed.
fn json_ld(page: &Html) -> Value {
    let scripts: Vec<_> = page
        .select(&sel("head script[type=\"application/ld+json\"]"))
        .collect();
    assert_eq!(scripts.len(), 1, "one JSON-LD script per page");
    let text: String = scripts[0].text().collect();
    let v: Value = serde_json::from_str(&text).expect("JSON-LD parses");
    assert_eq!(v["@context"], "https://schema.org");
    v
}

fn meta(page: &Html, attr: &str, name: &str) -> Option<String> {
    page.select(&sel(&format!("head meta[{attr}=\"{name}\"]")))
        .next()
        .and_then(|m| m.value().attr("content").map(str::to_string))
}

fn ids_of(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|n| n["@id"].as_str().expect("@id"))
        .collect()
}

#[test]
fn json_ld_types_and_links_on_each_page_kind() {
    let ed = built_with_base_url();

    let index = json_ld(&ed.page("index.html"));
    assert_eq!(index["@type"], "CreativeWork");
    assert_eq!(index["@id"], BASE);
    assert_eq!(index["isBasedOn"]["name"], "The Original");
    assert_eq!(index["isBasedOn"]["publisher"]["name"], "The Test Gazette");
    assert_eq!(
        ids_of(&index["hasPart"]),
        [format!("{BASE}01-beginnings/"), format!("{BASE}02-later/")]
    );

    let part = json_ld(&ed.page("01-beginnings/index.html"));
    assert_eq!(part["@type"], "Article");
    assert_eq!(part["isPartOf"]["@id"], BASE);
    assert_eq!(part["isBasedOn"]["name"], "The Original");
    let mentioned = ids_of(&part["mentions"]);
    for id in [
        "people/crocker/",
        "sources/new-yorker-interview/",
        "claims/met-in-geneva/",
        "terms/jcpoa/",
    ] {
        assert!(mentioned.contains(&format!("{BASE}{id}").as_str()), "{id}");
    }

    let person = json_ld(&ed.page("people/crocker/index.html"));
    assert_eq!(person["@type"], "Person");
    assert_eq!(person["name"], "Ryan Crocker");
    assert_eq!(
        person["sameAs"],
        serde_json::json!([
            "https://www.wikidata.org/wiki/Q1373371",
            "https://history.state.gov/departmenthistory/people/crocker-ryan-clark"
        ])
    );

    let source = json_ld(&ed.page("sources/new-yorker-interview/index.html"));
    assert_eq!(source["@type"], "Article");
    assert_eq!(source["publisher"]["name"], "The New Yorker");
    assert_eq!(source["datePublished"], "2013-09-30");

    let claim = json_ld(&ed.page("claims/met-in-geneva/index.html"));
    assert_eq!(claim["@type"], "Claim");
    assert_eq!(
        ids_of(&claim["citation"]),
        [format!("{BASE}sources/new-yorker-interview/")]
    );
    assert_eq!(ids_of(&claim["author"]), [format!("{BASE}people/crocker/")]);
    let appearances = claim["appearance"].as_array().unwrap();
    assert_eq!(appearances.len(), 1);
    let url = appearances[0]["url"].as_str().unwrap();
    let (page_url, anchor) = url.split_once('#').expect("a passage anchor");
    assert_eq!(page_url, format!("{BASE}01-beginnings/"));
    // The anchor names the mention's link in the part's page.
    let part_page = ed.page("01-beginnings/index.html");
    let target = part_page
        .select(&sel(&format!("#{anchor}")))
        .next()
        .unwrap_or_else(|| panic!("no #{anchor} in the part"));
    assert_eq!(
        target.value().attr("data-entity"),
        Some("claim:met-in-geneva")
    );

    let term = json_ld(&ed.page("terms/jcpoa/index.html"));
    assert_eq!(term["@type"], "DefinedTerm");
    assert_eq!(term["name"], "JCPOA");
    assert_eq!(term["inDefinedTermSet"]["@type"], "DefinedTermSet");
    assert_eq!(term["inDefinedTermSet"]["@id"], format!("{BASE}terms/"));

    let glossary = json_ld(&ed.page("terms/index.html"));
    assert_eq!(glossary["@type"], "DefinedTermSet");
    assert_eq!(
        ids_of(&glossary["hasDefinedTerm"]),
        [format!("{BASE}terms/jcpoa/")]
    );

    let people = json_ld(&ed.page("people/index.html"));
    assert_eq!(people["@type"], "CollectionPage");
    assert_eq!(
        ids_of(&people["hasPart"]),
        [
            format!("{BASE}people/crocker/"),
            format!("{BASE}people/zarif/")
        ]
    );

    let missing = json_ld(&ed.page("404.html"));
    assert_eq!(missing["@type"], "WebPage");
    assert!(
        missing.get("@id").is_none(),
        "the 404 page has no URL of its own"
    );

    let page = json_ld(&ed.page("pages/about/index.html"));
    assert_eq!(page["@type"], "WebPage");
    assert_eq!(page["isPartOf"]["@id"], BASE);
}

#[test]
fn every_page_has_a_description_and_open_graph_tags() {
    let ed = built_with_base_url();
    let pages = html_pages(&ed.site());
    assert!(pages.len() > 10);
    for (path, page) in &pages {
        let description = meta(page, "name", "description").unwrap_or_default();
        assert!(!description.trim().is_empty(), "{path}: no description");
        for property in ["og:title", "og:type", "og:description", "og:site_name"] {
            assert!(
                meta(page, "property", property).is_some_and(|c| !c.is_empty()),
                "{path}: no {property}"
            );
        }
        let og_url = meta(page, "property", "og:url").expect("og:url with a base URL");
        let canonical = page
            .select(&sel("link[rel=canonical]"))
            .next()
            .and_then(|l| l.value().attr("href").map(str::to_string));
        assert_eq!(Some(og_url), canonical, "{path}");
    }
    let part = &pages["01-beginnings/index.html"];
    assert_eq!(
        meta(part, "name", "description").as_deref(),
        Some("Where it starts.")
    );
    assert_eq!(
        meta(part, "property", "og:type").as_deref(),
        Some("article")
    );
}

#[test]
fn front_matter_cannot_break_out_of_the_json_ld_script() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/sources/new-yorker-interview.md",
        "---\ntitle: \"Knew </script><script>alert(1)</script> <!-- & -->\"\nkind: article\n---\n",
    );
    ed.build().success();
    let page = ed.page("sources/new-yorker-interview/index.html");
    // One inline script, the JSON-LD; every other script is the theme's own.
    assert_eq!(page.select(&sel("script:not([src])")).count(), 1);
    for s in page.select(&sel("script[src]")) {
        let src = s.value().attr("src").unwrap();
        assert!(src.starts_with("../../static/"), "script {src}");
    }
    let v = json_ld(&page);
    assert_eq!(
        v["name"],
        "Knew </script><script>alert(1)</script> <!-- & -->"
    );
}

#[test]
fn a_base_url_that_is_not_absolute_is_refused_and_the_site_kept() {
    let ed = built_with_base_url();
    let before = ed.snapshot();
    let run = ed.run(&["build", "--base-url", "example.org/ed"]);
    run.failure();
    assert!(
        run.stderr()
            .contains("--base-url `example.org/ed` is not an absolute http:// or https:// URL"),
        "{}",
        run.stderr()
    );
    assert!(ed.snapshot() == before, "the previous site changed");
}

#[test]
fn sitemap_and_robots_only_with_a_base_url() {
    let ed = built_with_base_url();
    let sitemap = ed.read("site/sitemap.xml");
    let locs: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split_once("</loc>").unwrap().0.to_string())
        .collect();
    let expected: BTreeSet<String> = html_pages(&ed.site())
        .into_keys()
        .filter(|p| p != "404.html")
        .map(|p| format!("{BASE}{}", p.trim_end_matches("index.html")))
        .collect();
    assert_eq!(locs, expected);
    assert!(
        ed.read("site/robots.txt")
            .contains(&format!("Sitemap: {BASE}sitemap.xml"))
    );

    let plain = Edition::fixture("basic");
    plain.build().success();
    assert!(!plain.site().join("sitemap.xml").exists());
    assert!(!plain.site().join("robots.txt").exists());
    assert!(plain.site().join("annotations.json").is_file());
}

/// Runs `glossator ARGS` and returns its output.
fn glossator<I, S>(args: I) -> std::process::Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::cargo_bin("glossator")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

#[track_caller]
fn assert_success(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The schema `glossator schema KIND` prints.
fn schema(kind: &str) -> Value {
    let out = glossator(["schema", kind]);
    assert_success(&out);
    serde_json::from_slice(&out.stdout).expect("the schema is JSON")
}

fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("a valid schema");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn part_paragraph<'a>(data: &'a Value, slug: &str, p: u64) -> &'a str {
    let part = data["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["slug"] == slug)
        .unwrap();
    part["paragraphs"][p as usize - 1].as_str().unwrap()
}

/// Checks `site/annotations.json` against its schema and against the HTML:
/// one mention per mention link of the parts, in the same order, with the
/// same anchor, entity and words. Returns how many mentions there are.
fn check_annotations(site: &Path) -> usize {
    let data: Value =
        serde_json::from_str(&fs::read_to_string(site.join("annotations.json")).unwrap()).unwrap();
    assert_eq!(errors(&schema("annotations"), &data), Vec::<String>::new());
    assert_eq!(data["format"], "glossator-annotations");
    assert_eq!(data["version"], 2);

    let pages = html_pages(site);
    let mut links = Vec::new();
    for part in data["parts"].as_array().unwrap() {
        let url = part["url"].as_str().unwrap();
        for a in pages[url].select(&sel("main a[id^=\"m-\"][data-entity]")) {
            let text: String = a.text().collect();
            links.push((
                part["slug"].as_str().unwrap().to_string(),
                a.value().attr("id").unwrap().to_string(),
                a.value().attr("data-entity").unwrap().to_string(),
                text,
            ));
        }
    }
    let mentions = data["mentions"].as_array().unwrap();
    assert_eq!(mentions.len(), links.len());
    for (m, (part, anchor, entity, text)) in mentions.iter().zip(&links) {
        assert_eq!(m["part"], part.as_str());
        assert_eq!(m["anchor"], anchor.as_str());
        // The export names the kind in full; a mention link by its prefix.
        let kind = m["entity"]["kind"].as_str().unwrap();
        let prefix = (EntityKind::ALL.iter())
            .find(|k| k.name() == kind)
            .unwrap_or_else(|| panic!("unknown kind {kind}"))
            .prefix();
        assert_eq!(
            format!("{prefix}:{}", m["entity"]["id"].as_str().unwrap()),
            *entity
        );
        let words = m["text"].as_str().unwrap();
        if !words.is_empty() {
            assert_eq!(words, text.as_str(), "{anchor}");
        }
        // The range picks the linked words out of the paragraph's text.
        match m["paragraph"].as_u64() {
            Some(p) => {
                let paragraph = part_paragraph(&data, part, p);
                let (start, end) = (
                    m["chars"]["start"].as_u64().unwrap() as usize,
                    m["chars"]["end"].as_u64().unwrap() as usize,
                );
                let picked: String = paragraph.chars().skip(start).take(end - start).collect();
                assert_eq!(picked, words, "{part} {anchor}");
            }
            None => assert!(m["chars"].is_null(), "{part} {anchor}"),
        }
    }
    mentions.len()
}

#[test]
fn annotations_validate_and_count_every_mention_link() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    assert!(check_annotations(&ed.site()) >= 8);
}

#[test]
fn a_mention_inside_a_footnote_has_one_anchor_in_the_notes_list() {
    let ed = Edition::fixture("basic");
    let part = ed.read("content/01-beginnings.md").replace(
        "[^e1]: The original reads “remembershow”.",
        "[^e1]: The original reads “remembershow”, says [Zarif](person:zarif).",
    );
    ed.write("content/01-beginnings.md", &part);
    ed.build().success();
    check_annotations(&ed.site());
    let data: Value = serde_json::from_str(&ed.read("site/annotations.json")).unwrap();
    let in_note = data["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| {
            m["paragraph"].is_null() && m["entity"]["id"] == "zarif" && m["part"] == "01-beginnings"
        })
        .expect("the mention in the footnote");
    let anchor = in_note["anchor"].as_str().unwrap();
    let page = ed.page("01-beginnings/index.html");
    let targets: Vec<_> = page.select(&sel(&format!("#{anchor}"))).collect();
    assert_eq!(targets.len(), 1, "#{anchor}");
    assert_eq!(targets[0].value().attr("data-entity"), Some("person:zarif"));
}

#[test]
fn the_committed_annotations_schema_is_current() {
    // A change to the types that make the format shows in the committed schema.
    let committed: Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/annotations.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        committed,
        schema("annotations"),
        "docs/annotations.schema.json is stale: run `glossator schema annotations > docs/annotations.schema.json`"
    );
}

#[test]
fn annotations_schema_refuses_a_malformed_export() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let mut data: Value = serde_json::from_str(&ed.read("site/annotations.json")).unwrap();
    let schema = schema("annotations");
    data["mentions"][0]["chars"] = Value::String("3..7".into());
    data["people"][0]["unexpected"] = Value::Bool(true);
    assert_eq!(
        errors(&schema, &data).len(),
        2,
        "{:?}",
        errors(&schema, &data)
    );
}

/// Key, type and every field's text of each entry: a bibliography without
/// the source positions the parser keeps.
fn entries(bib: &biblatex::Bibliography) -> Vec<(String, String, BTreeMap<String, String>)> {
    bib.iter()
        .map(|e| {
            let fields = e
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), v.format_verbatim()))
                .collect();
            (e.key.clone(), e.entry_type.to_string(), fields)
        })
        .collect()
}

#[test]
fn citations_parse_and_round_trip_through_a_bibtex_parser() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let text = ed.read("site/citations.bib");
    let bib = biblatex::Bibliography::parse(&text).expect("citations.bib parses");
    assert_eq!(bib.len(), 1);
    let entry = bib.get("new-yorker-interview").expect("keyed by source ID");
    assert_eq!(entry.entry_type, biblatex::EntryType::Article);
    assert_eq!(entry.title().unwrap().format_verbatim(), "The Man Who Knew");
    assert_eq!(entry.author().unwrap()[0].name, "Filkins");
    let again = biblatex::Bibliography::parse(&bib.to_bibtex_string()).unwrap();
    assert_eq!(entries(&again), entries(&bib));
}

#[test]
fn exports_of_the_bundled_edition() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    assert_success(&glossator([
        "build".as_ref(),
        "--epub".as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
        "--out".as_ref(),
        site.as_os_str(),
    ]));
    let mentions = check_annotations(&site);
    assert!(mentions > 300, "{mentions}");

    let text = fs::read_to_string(site.join("citations.bib")).unwrap();
    let bib = biblatex::Bibliography::parse(&text).expect("citations.bib parses");
    let sources = fs::read_dir(root.join("content/sources")).unwrap().count();
    assert!(
        bib.len() >= sources,
        "{} entries, {sources} source files",
        bib.len()
    );
    for entry in bib.iter() {
        assert!(entry.title().is_ok(), "{} has no title", entry.key);
    }
    let again = biblatex::Bibliography::parse(&bib.to_bibtex_string()).unwrap();
    assert_eq!(entries(&again), entries(&bib));

    let (_, texts) = epub_files(&site.join("washington-must-talk-with-tehran.epub"));
    let nav = Html::parse_document(&texts["EPUB/nav.xhtml"]);
    let parts = nav
        .select(&sel("nav ol a"))
        .filter(|a| a.value().attr("href").unwrap().starts_with("part-"))
        .count();
    assert_eq!(parts, 7);
}

/// The YAML between the `---` lines of a content file, as JSON.
fn front_matter(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap();
    let rest = text.strip_prefix("---\n").expect("front matter");
    let (yaml, _) = rest.split_once("\n---").expect("closing ---");
    serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_front_matter_of_the_bundled_edition_validates_against_its_schema() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let kinds = [
        "index",
        "part",
        "page",
        "person",
        "source",
        "claim",
        "term",
        "place",
        "organisation",
    ];
    let validators: Vec<_> = kinds
        .iter()
        .map(|k| jsonschema::validator_for(&schema(k)).unwrap())
        .collect();
    let mut checked = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&content)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if !rel.ends_with(".md") {
            continue;
        }
        let kind = match rel.split_once('/') {
            None if rel == "_index.md" => "index",
            None => "part",
            Some(("pages", _)) => "page",
            Some((folder, _)) => EntityKind::from_folder(folder)
                .unwrap_or_else(|| panic!("unexpected file {rel}"))
                .name(),
        };
        let v = &validators[kinds.iter().position(|k| *k == kind).unwrap()];
        let fm = front_matter(entry.path());
        let errs: Vec<String> = v
            .iter_errors(&fm)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errs.is_empty(), "{rel}: {errs:?}");
        checked.insert(kind);
    }
    assert_eq!(
        checked.len(),
        kinds.len(),
        "every kind was checked: {checked:?}"
    );
}

#[test]
fn schemas_refuse_what_glossator_refuses() {
    let person = jsonschema::validator_for(&schema("person")).unwrap();
    assert!(
        person.is_valid(&serde_json::json!({"name": "A", "description": "B", "born": "1950-02"}))
    );
    assert!(
        !person.is_valid(&serde_json::json!({"name": "A", "description": "B", "nmae": "typo"}))
    );
    assert!(!person.is_valid(&serde_json::json!({"name": "A"})));
    assert!(
        !person.is_valid(&serde_json::json!({"name": "A", "description": "B", "born": "May 1950"}))
    );
    let claim = jsonschema::validator_for(&schema("claim")).unwrap();
    assert!(!claim.is_valid(&serde_json::json!({"text": "A", "status": "certain"})));
    let part = jsonschema::validator_for(&schema("part")).unwrap();
    assert!(!part.is_valid(&serde_json::json!({
        "title": "A",
        "people": {"x": {"name": "X"}}
    })));
}

fn epub_files(path: &Path) -> (Vec<String>, BTreeMap<String, String>) {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).expect("a zip file");
    let mut names = Vec::new();
    let mut texts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        names.push(f.name().to_string());
        if i == 0 {
            assert_eq!(
                f.compression(),
                zip::CompressionMethod::Stored,
                "mimetype is stored"
            );
        }
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        texts.insert(f.name().to_string(), s);
    }
    (names, texts)
}

#[test]
fn epub_has_the_structure_of_an_epub_3_book() {
    let ed = Edition::fixture("basic");
    ed.run(&["build", "--epub"]).success();
    let books: Vec<_> = fs::read_dir(ed.site())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "epub"))
        .collect();
    assert_eq!(books.len(), 1);
    assert_eq!(books[0].file_name(), "a-test-edition.epub");
    let (names, texts) = epub_files(&books[0].path());
    assert_eq!(names[0], "mimetype");
    assert_eq!(texts["mimetype"], "application/epub+zip");
    assert!(texts["META-INF/container.xml"].contains("full-path=\"EPUB/package.opf\""));
    let opf = &texts["EPUB/package.opf"];
    assert!(opf.contains("version=\"3.0\""));
    assert!(opf.contains("properties=\"nav\""));
    // Every XML file of the book is well-formed XML (an EPUB reader parses
    // XHTML strictly: one stray `&nbsp;` or unclosed tag and the book fails),
    // and every document is XHTML and in the manifest.
    let options = || roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let mut documents = 0;
    for name in names
        .iter()
        .filter(|n| n.ends_with(".xhtml") || n.ends_with(".opf") || n.ends_with(".xml"))
    {
        let doc = roxmltree::Document::parse_with_options(&texts[name], options())
            .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"));
        if name.ends_with(".xhtml") {
            let root = doc.root_element();
            assert_eq!(
                (root.tag_name().namespace(), root.tag_name().name()),
                (Some("http://www.w3.org/1999/xhtml"), "html"),
                "{name}"
            );
            let href = name.trim_start_matches("EPUB/");
            assert!(
                opf.contains(&format!("href=\"{href}\"")),
                "{name} not in the manifest"
            );
            documents += 1;
        }
    }
    assert!(documents >= 8, "only {documents} XHTML documents");
    let nav = Html::parse_document(&texts["EPUB/nav.xhtml"]);
    let toc: Vec<String> = nav
        .select(&sel("nav ol a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    for href in &toc {
        let file = href.split('#').next().unwrap();
        assert!(texts.contains_key(&format!("EPUB/{file}")), "nav → {href}");
    }
    assert!(toc.iter().any(|h| h.starts_with("part-1.xhtml")));
    assert!(toc.iter().any(|h| h.starts_with("people.xhtml")));

    // Notes: each noteref points at a footnote in the same document.
    let part = &texts["EPUB/part-1.xhtml"];
    assert!(part.contains("epub:type=\"noteref\""));
    assert!(part.contains("epub:type=\"footnote\""));
    let doc = Html::parse_document(part);
    let footnotes: BTreeSet<String> = doc
        .select(&sel("aside"))
        .filter(|a| a.value().attr("epub:type") == Some("footnote"))
        .map(|a| a.value().attr("id").unwrap().to_string())
        .collect();
    let refs: Vec<String> = doc
        .select(&sel("a"))
        .filter(|a| a.value().attr("epub:type") == Some("noteref"))
        .map(|a| {
            a.value()
                .attr("href")
                .unwrap()
                .trim_start_matches('#')
                .to_string()
        })
        .collect();
    assert!(!refs.is_empty());
    for r in &refs {
        assert!(footnotes.contains(r), "noteref #{r} has no footnote");
    }
    // A claim's note states the claim once, with its status.
    assert_eq!(
        part.matches("Crocker met Iranian diplomats in Geneva.")
            .count(),
        1
    );
    assert!(part.contains("<span class=\"status\">(sourced)</span>"));
    // The appendices hold every entity of their kind, each once, as
    // annotations.json lists them.
    let data: Value = serde_json::from_str(&ed.read("site/annotations.json")).unwrap();
    for (field, kind) in [
        ("people", "person"),
        ("sources", "source"),
        ("claims", "claim"),
        ("terms", "term"),
    ] {
        let expected: Vec<String> = data[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| format!("{kind}-{}", e["id"].as_str().unwrap()))
            .collect();
        assert!(!expected.is_empty(), "the fixture has no {field}");
        let file = format!("EPUB/{field}.xhtml");
        let doc = roxmltree::Document::parse_with_options(&texts[&file], options()).unwrap();
        let mut entries: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("section") && n.attribute("class") == Some("entry"))
            .map(|n| n.attribute("id").unwrap().to_string())
            .collect();
        entries.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(entries, expected, "{file}");
    }
    assert!(texts["EPUB/claims.xhtml"].contains("Crocker met Iranian diplomats in Geneva."));
}

#[test]
fn the_epub_is_reproducible_under_source_date_epoch() {
    let ed = Edition::fixture("basic");
    let book = ed.site().join("a-test-edition.epub");
    let build = || {
        let out = Command::cargo_bin("glossator")
            .unwrap()
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .args(["build", "--epub", "--root"])
            .arg(ed.root())
            .output()
            .unwrap();
        assert_success(&out);
        fs::read(&book).unwrap()
    };
    let first = build();
    let second = build();
    assert!(first == second, "two builds differ");
    let (_, texts) = epub_files(&book);
    assert!(
        texts["EPUB/package.opf"]
            .contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>")
    );
}

#[test]
fn without_the_flag_there_is_no_epub() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    assert!(!ed.site().join("a-test-edition.epub").exists());
}

#[test]
fn a_new_edition_builds_strictly_without_a_theme_copy() {
    let dir = tempfile::tempdir().unwrap();
    let ed = dir.path().join("my-edition");
    assert_success(&glossator(["new".as_ref(), ed.as_os_str()]));
    assert!(!ed.join("themes").exists());
    for file in [
        "content/_index.md",
        "content/pages/about.md",
        "schemas/person.schema.json",
    ] {
        assert!(ed.join(file).is_file(), "{file}");
    }
    let out = glossator([
        "build".as_ref(),
        "--strict".as_ref(),
        "--root".as_ref(),
        ed.as_os_str(),
    ]);
    assert_success(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 part; 1 person, 1 source, 1 claim, 1 term"),
        "{stdout}"
    );
    assert!(ed.join("site/pages/about/index.html").is_file());

    // A second run refuses to overwrite it.
    let again = glossator(["new".as_ref(), ed.as_os_str()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

#[test]
fn an_ejected_theme_overrides_the_built_in_one() {
    let ed = Edition::fixture("basic");
    let eject = || {
        glossator([
            "theme".as_ref(),
            "eject".as_ref(),
            "mine".as_ref(),
            "--root".as_ref(),
            ed.root().as_os_str(),
        ])
    };
    assert_success(&eject());
    let base = ed.root().join("themes/mine/templates/base.html");
    let text = fs::read_to_string(&base).unwrap();
    fs::write(&base, text.replace("<body", "<body data-theme=\"mine\"")).unwrap();
    ed.run(&["build", "--theme", "mine"]).success();
    let page = ed.page("index.html");
    assert_eq!(page.select(&sel("body[data-theme=mine]")).count(), 1);

    // `default` would be shadowed by a folder of that name.
    let shadow = glossator([
        "theme".as_ref(),
        "eject".as_ref(),
        "default".as_ref(),
        "--root".as_ref(),
        ed.root().as_os_str(),
    ]);
    assert_eq!(shadow.status.code(), Some(1));
    assert!(!ed.root().join("themes/default").exists());
    // Ejecting again does not overwrite the customised copy.
    let again = eject();
    assert_eq!(again.status.code(), Some(1));
    assert!(
        fs::read_to_string(&base)
            .unwrap()
            .contains("data-theme=\"mine\"")
    );
}

/// Every `href` and `src` of every page, in order.
fn references(site: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, page) in html_pages(site) {
        for el in page.select(&sel(
            "a[href], link[href]:not([rel=canonical]), script[src], img[src]",
        )) {
            let v = el.value();
            let target = v.attr("href").or_else(|| v.attr("src")).unwrap();
            out.push((path.clone(), target.to_string()));
        }
    }
    out
}

#[test]
fn a_base_url_leaves_every_link_between_pages_relative() {
    let with = built_with_base_url();
    let without = Edition::fixture("basic");
    without.write(
        "content/people/crocker.md",
        &with.read("content/people/crocker.md"),
    );
    without.build().success();
    let (a, b) = (references(&with.site()), references(&without.site()));
    assert!(a.len() > 50, "{}", a.len());
    assert_eq!(a, b);
    assert!(a.iter().all(|(_, href)| !href.starts_with(BASE)));
}

#[test]
fn the_sample_publishing_workflow_builds_with_a_base_url_and_uploads_site() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/github-pages.yml");
    let wf: Value = serde_saphyr::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let steps = wf["jobs"]["build"]["steps"].as_array().unwrap();
    let run: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let build = run
        .iter()
        .flat_map(|r| r.lines())
        .find(|l| l.trim_start().starts_with("glossator build"))
        .expect("a build step");
    assert!(build.contains("--base-url"), "{build}");
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact"))
        })
        .expect("an upload step");
    assert_eq!(upload["with"]["path"], "site");
    assert_eq!(wf["jobs"]["deploy"]["needs"], "build");
}

#[test]
fn citations_of_books_reports_and_other_kinds_have_their_types_fields_and_dates() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/sources/memoir.md",
        "---\ntitle: A Memoir\nauthors: [Jane Roe]\noutlet: Big House\nkind: book\ndate: \"2004-03\"\n---\n",
    );
    ed.write(
        "content/sources/study.md",
        "---\ntitle: A Study\nkind: report\ndate: \"2019\"\n---\n",
    );
    ed.write(
        "content/sources/talk.md",
        "---\ntitle: A Talk\nkind: interview\noutlet: Radio Four\ndate: \"2007-11-05\"\n---\n",
    );
    ed.build().success();
    let bib = biblatex::Bibliography::parse(&ed.read("site/citations.bib"))
        .expect("citations.bib parses");
    let entries: BTreeMap<String, (String, BTreeMap<String, String>)> = entries(&bib)
        .into_iter()
        .map(|(key, kind, fields)| (key, (kind, fields)))
        .collect();
    let field = |key: &str, name: &str| entries[key].1.get(name).cloned();
    assert_eq!(entries.len(), 4, "{entries:?}");

    assert_eq!(entries["memoir"].0, "book");
    assert_eq!(field("memoir", "publisher").as_deref(), Some("Big House"));
    assert_eq!(field("memoir", "author").as_deref(), Some("Jane Roe"));
    assert_eq!(field("memoir", "year").as_deref(), Some("2004"));
    assert_eq!(field("memoir", "month").as_deref(), Some("3"));

    // BibTeX requires an institution for a report.
    assert_eq!(entries["study"].0, "techreport");
    assert_eq!(field("study", "institution").as_deref(), Some("Unknown"));
    assert_eq!(field("study", "year").as_deref(), Some("2019"));
    assert_eq!(field("study", "month"), None);

    // Kinds BibTeX has no type for are `misc`, the kind kept in the note.
    assert_eq!(entries["talk"].0, "misc");
    assert_eq!(field("talk", "howpublished").as_deref(), Some("Radio Four"));
    assert_eq!(field("talk", "note").as_deref(), Some("Interview"));
    assert_eq!(field("talk", "year").as_deref(), Some("2007"));
    assert_eq!(field("talk", "month").as_deref(), Some("11"));
}

#[test]
fn without_a_base_url_pages_have_no_canonical_link_and_relative_json_ld_ids() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let pages = html_pages(&ed.site());
    assert!(pages.len() > 10);
    for (path, page) in &pages {
        assert_eq!(
            page.select(&sel("link[rel=canonical]")).count(),
            0,
            "{path}: a canonical link without a base URL"
        );
        assert_eq!(meta(page, "property", "og:url"), None, "{path}: og:url");
    }
    let part = &pages["01-beginnings/index.html"];
    let v = json_ld(part);
    assert_eq!(v["@id"], "../01-beginnings/index.html");
    assert_eq!(v["isPartOf"]["@id"], "../index.html");
    let mentions = ids_of(&v["mentions"]);
    assert!(
        mentions.contains(&"../people/crocker/index.html"),
        "{mentions:?}"
    );
    for id in mentions {
        assert!(!id.contains("://"), "absolute @id {id} without a base URL");
        let (target, _) = crate::harness::resolve_href("01-beginnings/index.html", id).unwrap();
        assert!(ed.site().join(&target).is_file(), "@id {id} names no page");
    }
}

#[test]
fn og_locale_comes_from_a_language_with_a_territory() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    // `language: en`: no territory, so no locale.
    assert_eq!(meta(&ed.page("index.html"), "property", "og:locale"), None);
    let index = ed
        .read("content/_index.md")
        .replace("language: en", "language: en-gb");
    ed.write("content/_index.md", &index);
    ed.build().success();
    for (path, page) in html_pages(&ed.site()) {
        assert_eq!(
            meta(&page, "property", "og:locale").as_deref(),
            Some("en_GB"),
            "{path}"
        );
    }
}

#[test]
fn each_entity_in_annotations_lists_the_mentions_of_it_in_order() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let data: Value = serde_json::from_str(&ed.read("site/annotations.json")).unwrap();
    let mentions = data["mentions"].as_array().unwrap();
    let mut listed = 0;
    for (field, kind) in [
        ("people", "person"),
        ("sources", "source"),
        ("claims", "claim"),
        ("terms", "term"),
    ] {
        for entity in data[field].as_array().unwrap() {
            let id = entity["id"].as_str().unwrap();
            let expected: Vec<u64> = (0u64..)
                .zip(mentions)
                .filter(|(_, m)| m["entity"]["kind"] == kind && m["entity"]["id"] == id)
                .map(|(i, _)| i)
                .collect();
            let back: Vec<u64> = entity["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_u64().unwrap())
                .collect();
            assert_eq!(back, expected, "{kind}:{id}");
            listed += back.len();
        }
    }
    assert_eq!(
        listed,
        mentions.len(),
        "every mention is someone's back-link"
    );
    assert!(listed >= 8);
}

#[test]
fn new_refuses_a_file_where_the_folder_should_be() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("my-edition");
    fs::write(&file, "keep").unwrap();
    let out = glossator([std::ffi::OsStr::new("new"), file.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "error: {} is a file, not a folder",
            file.display()
        )),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "keep");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn schema_out_that_cannot_be_written_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // A file where a schema's folder would go: nothing can be written there.
    let blocked = dir.path().join("schemas");
    fs::write(&blocked, "keep").unwrap();
    let out = glossator([
        std::ffi::OsStr::new("schema"),
        std::ffi::OsStr::new("--out"),
        blocked.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error: "), "{err}");
    assert!(err.contains(&blocked.display().to_string()), "{err}");
    assert_eq!(fs::read_to_string(&blocked).unwrap(), "keep");
}

#[test]
fn with_allow_html_the_book_keeps_only_the_text_of_raw_html() {
    let ed = Edition::fixture("basic");
    let index = ed
        .read("content/_index.md")
        .replacen("title:", "allow_html: true\ntitle:", 1);
    ed.write("content/_index.md", &index);
    ed.write(
        "content/03-html.md",
        "---\ntitle: Html\n---\nThe <abbr title=\"Joint Comprehensive Plan of Action\">JCPOA</abbr> text.\n",
    );
    ed.run(&["build", "--epub"]).success();
    assert!(ed.read("site/03-html/index.html").contains("<abbr title="));
    let (_, texts) = epub_files(&ed.site().join("a-test-edition.epub"));
    let part = &texts["EPUB/part-3.xhtml"];
    assert!(part.contains("The JCPOA text."), "{part}");
    assert!(!part.contains("<abbr"), "{part}");
}

/// The EPUB keeps a mention's pinpoint locator beside it, as the site does.
#[test]
fn the_epub_keeps_pinpoint_locators() {
    let ed = Edition::fixture("basic");
    ed.run(&["build", "--epub"]).success();
    let (_, texts) = epub_files(&ed.site().join("a-test-edition.epub"));
    let part = &texts["EPUB/part-1.xhtml"];
    assert!(
        part.contains("The New Yorker</a> <span class=\"locator\">(interview)</span>"),
        "{part}"
    );
}
