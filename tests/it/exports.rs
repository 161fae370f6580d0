//! The files that carry the edition out to other tools: `sources.csl.json`
//! (checked against the CSL-JSON schema), the Highwire `citation_*` tags,
//! the TEI export (checked with `jing` against TEI All where jing is
//! installed; `.ci/run` installs it) and `annotations.jsonld`.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::harness::{Edition, sel};

fn schemas() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/schemas"))
}

fn csl_errors(csl: &Value) -> Vec<String> {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schemas().join("csl-data.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    validator
        .iter_errors(csl)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn json_file(ed: &Edition, rel: &str) -> Value {
    serde_json::from_str(&ed.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn sources_csl_json_carries_every_field_and_is_valid_csl() {
    let ed = Edition::fixture("citations");
    ed.build().success();
    let csl = json_file(&ed, "site/sources.csl.json");
    assert_eq!(csl_errors(&csl), Vec::<String>::new());
    let complete = &csl[0];
    let expected = json!({
        "id": "complete",
        "type": "article-journal",
        "title": "Talking with Adversaries: A Study",
        "author": [{"family": "Crocker", "given": "Ryan"}, {"literal": "Jane Q. Placeholder"}],
        "editor": [{"literal": "Edith Editor"}],
        "translator": [{"family": "Crocker", "given": "Ryan"}],
        "container-title": "Journal of Example Studies",
        "publisher": "Example University Press",
        "publisher-place": "Exampleton",
        "volume": "12",
        "issue": "3",
        "page": "45-67",
        "edition": "2",
        "DOI": "10.5555/example.2021.0012",
        "ISBN": "978-1-23456-789-7",
        "ISSN": "1234-5679",
        "URL": "https://example.org/articles/talking",
        "issued": {"date-parts": [[2021, 3]]},
        "accessed": {"date-parts": [[2024, 5, 1]]},
        "genre": "Research article",
        "note": "A fixture with every field."
    });
    assert_eq!(complete, &expected);
    // A book's outlet is its publisher.
    assert_eq!(csl[1]["type"], "book");
    assert_eq!(csl[1]["publisher"], "Example House");
    assert!(csl[1].get("container-title").is_none());
    // annotations.json carries the same fields.
    let data = json_file(&ed, "site/annotations.json");
    let source = &data["sources"][0];
    assert_eq!(source["doi"], "10.5555/example.2021.0012");
    assert_eq!(source["translators"][0]["person"], "crocker");
    assert_eq!(source["accessed"], "2024-05-01");
}

#[test]
fn the_bundled_editions_sources_are_valid_csl_json() {
    let ed = Edition::bundled();
    ed.build().success();
    let csl = json_file(&ed, "site/sources.csl.json");
    assert_eq!(csl_errors(&csl), Vec::<String>::new());
    assert_eq!(csl.as_array().unwrap().len(), 21);
}

/// The schema's own checks refuse what glossator refuses: the test would
/// catch an export that the schema does not accept.
#[test]
fn the_csl_schema_check_refuses_a_broken_item() {
    let broken = json!([{"id": "x", "type": "newspaper", "title": "T"}]);
    assert!(!csl_errors(&broken).is_empty());
}

/// `name` → every `content` of `<meta name="NAME">` on a page, in order.
fn meta(ed: &Edition, page: &str, name: &str) -> Vec<String> {
    ed.page(page)
        .select(&sel(&format!("meta[name='{name}']")))
        .map(|m| m.value().attr("content").unwrap().to_string())
        .collect()
}

#[test]
fn part_and_source_pages_carry_highwire_citation_tags() {
    let ed = Edition::fixture("citations");
    ed.run(&["build", "--base-url", "https://example.org/ed/"])
        .success();
    let part = "01-talks/index.html";
    let one = |page: &str, name: &str| meta(&ed, page, name);
    assert_eq!(one(part, "citation_title"), ["Talks"]);
    assert_eq!(one(part, "citation_author"), ["Ada Example"]);
    assert_eq!(one(part, "citation_publication_date"), ["2020/10/05"]);
    assert_eq!(one(part, "citation_journal_title"), ["The Test Gazette"]);
    assert_eq!(
        one(part, "citation_public_url"),
        ["https://example.org/ed/01-talks/"]
    );
    let source = "sources/complete/index.html";
    assert_eq!(
        one(source, "citation_author"),
        ["Ryan Crocker", "Jane Q. Placeholder"]
    );
    assert_eq!(one(source, "citation_doi"), ["10.5555/example.2021.0012"]);
    assert_eq!(one(source, "citation_firstpage"), ["45"]);
    assert_eq!(one(source, "citation_lastpage"), ["67"]);
    assert_eq!(
        one(source, "citation_journal_title"),
        ["Journal of Example Studies"]
    );
    let person = "people/crocker/index.html";
    assert_eq!(one(person, "citation_title"), ["Ryan Crocker"]);
    assert_eq!(one(person, "citation_author"), ["The Editors"]);
    // Pages that are not citable items carry none.
    assert!(one("index.html", "citation_title").is_empty());
}

#[test]
fn without_a_base_url_no_public_url_is_claimed() {
    let ed = Edition::fixture("citations");
    ed.build().success();
    assert!(meta(&ed, "01-talks/index.html", "citation_public_url").is_empty());
}

/// Runs jing on `file`; `None` when jing is not installed.
fn jing(file: &Path) -> Option<(bool, String)> {
    let out = Command::new("jing")
        .arg(schemas().join("tei_all.rng"))
        .arg(file)
        .output()
        .ok()?;
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    Some((out.status.success(), report))
}

/// Every `xml:id` of a TEI file, and every `#id` its `ref`, `corresp`,
/// `ana` and `target` attributes point at.
fn ids_and_pointers(tei: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let values = |attr: &str| -> Vec<String> {
        tei.split(&format!(" {attr}=\""))
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().to_string())
            .collect()
    };
    let ids = values("xml:id").into_iter().collect();
    let pointers = ["ref", "corresp", "ana", "target"]
        .into_iter()
        .flat_map(values)
        .flat_map(|v| {
            v.split(' ')
                .filter_map(|p| p.strip_prefix('#').map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect();
    (ids, pointers)
}

fn check_tei(ed: &Edition, name: &str) -> String {
    let path = ed.site().join(name);
    let tei = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (ids, pointers) = ids_and_pointers(&tei);
    let dangling: Vec<_> = pointers.difference(&ids).collect();
    assert!(dangling.is_empty(), "pointers to no xml:id: {dangling:?}");
    match jing(&path) {
        Some((valid, report)) => assert!(valid, "{name} is not valid TEI All:\n{report}"),
        None => println!("skipped: jing is not installed, so {name} was not validated"),
    }
    tei
}

#[test]
fn the_tei_export_is_valid_tei_with_the_sites_paragraph_ids() {
    let ed = Edition::fixture("citations");
    ed.run(&["build", "--tei"]).success();
    let tei = check_tei(&ed, "a-citable-edition.tei.xml");
    // Paragraph n and xml:id follow the site's #pN, part by part.
    for (slug, page) in [("01-talks", "01-talks/index.html")] {
        let site_ids: Vec<String> = ed
            .page(page)
            .select(&sel("p.para"))
            .map(|p| p.value().attr("id").unwrap().to_string())
            .collect();
        assert_eq!(site_ids, ["p1", "p2", "p3"]);
        for id in &site_ids {
            let n = &id[1..];
            let tag = format!("<p n=\"{n}\" xml:id=\"part-{slug}.{id}\">");
            assert!(tei.contains(&tag), "no {tag}");
        }
    }
    for expected in [
        "<persName ref=\"#person-crocker\" xml:id=\"part-01-talks.m-1\">Ryan Crocker</persName>",
        "<bibl corresp=\"#source-complete\" xml:id=\"part-01-talks.m-2\">",
        "<seg ana=\"#claim-talks-work\" xml:id=\"part-01-talks.m-3\">talks between enemies can work</seg>",
        "<term ref=\"#term-jcpoa\"",
        "<note place=\"foot\" n=\"4\" xml:id=\"part-01-talks.note-e1\"><p>The source reads “talksbetween”",
        "<idno type=\"wikidata\">Q1373371</idno>",
        "<idno type=\"DOI\">10.5555/example.2021.0012</idno>",
        "<interp xml:id=\"claim-talks-work\" type=\"sourced\" corresp=\"#source-complete\">",
        "<head>Details &amp; more</head>",
        "<sourceDesc>\n<bibl><author>Ada Example</author><title level=\"a\">The Original Essay</title>",
    ] {
        assert!(tei.contains(expected), "no {expected}");
    }
}

#[test]
fn the_bundled_edition_as_tei_is_valid_tei() {
    let ed = Edition::bundled();
    ed.run(&["build", "--tei"]).success();
    check_tei(&ed, "washington-must-talk-with-tehran.tei.xml");
}

#[test]
fn tei_is_written_only_when_asked_for_by_flag_or_configuration() {
    let ed = Edition::fixture("citations");
    ed.build().success();
    assert!(!ed.site().join("a-citable-edition.tei.xml").exists());
    let index = ed
        .read("content/_index.md")
        .replacen("license:", "tei: true\nlicense:", 1);
    ed.write("content/_index.md", &index);
    ed.build().success();
    assert!(ed.site().join("a-citable-edition.tei.xml").exists());
}

/// A part page's `document.body.textContent`, by an HTML5 parser.
fn body_text(ed: &Edition, page: &str) -> Vec<char> {
    let html = ed.page(page);
    let body = html.select(&sel("body")).next().unwrap();
    body.text().collect::<String>().chars().collect()
}

#[test]
fn web_annotations_select_each_mention_on_its_part_page() {
    let ed = Edition::fixture("citations");
    ed.build().success();
    let jsonld = json_file(&ed, "site/annotations.jsonld");
    assert_eq!(jsonld["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(jsonld["type"], "AnnotationCollection");
    let items = jsonld["first"]["items"].as_array().unwrap();
    let mentions = json_file(&ed, "site/annotations.json")["mentions"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(items.len(), mentions);
    assert_eq!(jsonld["total"], mentions);
    let mut motivations = BTreeSet::new();
    for a in items {
        motivations.insert(a["motivation"].as_str().unwrap().to_string());
        let source = a["target"]["source"].as_str().unwrap();
        let text = body_text(&ed, source);
        let s = &a["target"]["selector"];
        let (quote, position) = (&s[0], &s[1]);
        assert_eq!(quote["type"], "TextQuoteSelector");
        let (start, end) = (
            position["start"].as_u64().unwrap() as usize,
            position["end"].as_u64().unwrap() as usize,
        );
        let at = |r: std::ops::Range<usize>| text[r].iter().collect::<String>();
        assert_eq!(
            at(start..end),
            quote["exact"].as_str().unwrap(),
            "{}",
            a["id"]
        );
        let prefix = quote["prefix"].as_str().unwrap();
        let prefix_len = prefix.chars().count();
        assert_eq!(at(start - prefix_len..start), prefix, "{}", a["id"]);
        let whole: String = format!(
            "{prefix}{}{}",
            quote["exact"].as_str().unwrap(),
            quote["suffix"].as_str().unwrap()
        );
        let page: String = text.iter().collect();
        assert_eq!(page.matches(&whole).count(), 1, "{}: «{whole}»", a["id"]);
    }
    assert_eq!(
        motivations.into_iter().collect::<Vec<_>>(),
        ["assessing", "describing", "identifying", "linking"]
    );
    // A claim carries its status as a second body.
    let claim = items
        .iter()
        .find(|a| a["motivation"] == "assessing")
        .unwrap();
    assert_eq!(
        claim["body"][1],
        json!({"type": "TextualBody", "purpose": "assessing", "value": "sourced"})
    );
    assert_eq!(claim["body"][0]["type"], "schema:Claim");
}

/// The sources index's bibliography as text, entry by entry, with the
/// style's chosen in `_index.md`.
fn bibliography_in(style: Option<&str>) -> Vec<String> {
    bibliography_in_edition(&Edition::fixture("citations"), style)
}

/// The same in `ed`, whose `_index.md` is given `style` if there is one.
fn bibliography_in_edition(ed: &Edition, style: Option<&str>) -> Vec<String> {
    if let Some(style) = style {
        let index = ed.read("content/_index.md").replacen(
            "license:",
            &format!("citation_style: {style}\nlicense:"),
            1,
        );
        ed.write("content/_index.md", &index);
    }
    ed.build().success();
    let page = ed.page("sources/index.html");
    page.select(&sel("#bibliography li"))
        .map(|li| {
            let text: String = li.text().collect();
            text.trim_end_matches(" (in this edition)").to_string()
        })
        .collect()
}

#[test]
fn the_bibliography_is_formatted_in_the_chosen_style() {
    assert_eq!(
        bibliography_in(None),
        [
            "Crocker, Ryan, and Jane Q. Placeholder. 2021. “Talking with Adversaries: A Study.” Research article. Translated by Ryan Crocker. Journal of Example Studies (Exampleton) 12 (3): 45–67. https://doi.org/10.5555/example.2021.0012.",
            "Pat Writer. 2015. A Diplomat’s Memoir. Example House.",
        ],
        "chicago-author-date, the default"
    );
    assert_eq!(
        bibliography_in(Some("apa")),
        [
            "Crocker, R., & Jane Q. Placeholder. (2021). Talking with Adversaries: A Study (R. Crocker, Trans.) [Research article]. Journal of Example Studies, 12(3), 45–67. https://doi.org/10.5555/example.2021.0012",
            "Pat Writer. (2015). A Diplomat’s Memoir. Example House.",
        ]
    );
    assert_eq!(
        bibliography_in(Some("modern-language-association")),
        [
            "Crocker, Ryan, and Jane Q. Placeholder. “Talking with Adversaries: A Study.” Research article. Journal of Example Studies [Exampleton], edited by Edith Editor, translated by Ryan Crocker, 2nd ed., vol. 12, no. 3, Mar. 2021, pp. 45–67, https://doi.org/10.5555/example.2021.0012.",
            "Pat Writer. A Diplomat’s Memoir. Example House, 2015.",
        ]
    );
}

/// A style of the edition's own: titles in capitals, then the year.
const HOUSE_STYLE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info>
    <title>House style</title>
    <id>house-style</id>
    <updated>2026-01-01T00:00:00+00:00</updated>
  </info>
  <citation>
    <layout><text variable="title"/></layout>
  </citation>
  <bibliography>
    <sort><key variable="issued"/></sort>
    <layout suffix=".">
      <group delimiter=" / ">
        <text variable="title" text-case="uppercase"/>
        <date variable="issued"><date-part name="year"/></date>
      </group>
    </layout>
  </bibliography>
</style>
"#;

#[test]
fn an_editions_own_csl_file_formats_its_sources() {
    let ed = Edition::fixture("citations");
    ed.write("content/styles/house.csl", HOUSE_STYLE);
    assert_eq!(
        bibliography_in_edition(&ed, Some("styles/house.csl")),
        [
            "A DIPLOMAT’S MEMOIR / 2015.",
            "TALKING WITH ADVERSARIES: A STUDY / 2021.",
        ]
    );
    // Edited, the style formats anew.
    ed.write(
        "content/styles/house.csl",
        &HOUSE_STYLE.replace(" / ", " — "),
    );
    assert_eq!(
        bibliography_in_edition(&ed, None)[0],
        "A DIPLOMAT’S MEMOIR — 2015."
    );
}

#[test]
fn a_source_page_shows_its_reference_in_the_style_with_markup_escaped() {
    let ed = Edition::fixture("citations");
    ed.write(
        "content/sources/memoir.md",
        "---\ntitle: \"<script>alert(1)</script> & Memoir\"\nauthors: [Pat Writer]\nkind: book\ndate: \"2015\"\n---\n",
    );
    ed.build().success();
    let html = ed.read("site/sources/memoir/index.html");
    assert!(html.contains("<i>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Memoir</i>"));
    assert!(!html.contains("<script>alert"));
}

#[test]
fn the_epub_shows_each_sources_reference_in_the_style() {
    let ed = Edition::fixture("citations");
    ed.run(&["build", "--epub"]).success();
    let book = std::fs::File::open(ed.site().join("a-citable-edition.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(book).unwrap();
    let mut appendix = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().contains("sources") && f.name().ends_with(".xhtml") {
            std::io::Read::read_to_string(&mut f, &mut appendix).unwrap();
        }
    }
    assert!(
        appendix.contains("<p class=\"reference\">Pat Writer. 2015. <i>A Diplomat’s Memoir</i>. Example House.</p>"),
        "{appendix}"
    );
}

#[test]
fn sections_are_nested_divs_in_the_tei_and_their_parts_are_annotated() {
    let ed = Edition::fixture("edition");
    ed.run(&["build", "--tei", "--web-annotations"]).success();
    let tei = check_tei(&ed, "letters-from-the-gulf.tei.xml");
    let opens: Vec<&str> = tei
        .lines()
        .filter(|l| l.starts_with("<div ") || *l == "</div>")
        .map(|l| match l.split("xml:id=\"").nth(1) {
            Some(id) => &id[..id.find('"').unwrap()],
            None => "/",
        })
        .collect();
    let kabul = opens.iter().position(|&d| d == "section-kabul").unwrap();
    assert_eq!(
        opens[kabul..kabul + 10],
        [
            "section-kabul",
            "part-01-arrival",
            "/",
            "part-02-the-compound",
            "/",
            "section-kabul.maps",
            "section-kabul.maps.sketch-book",
            "part-01-a-sketch",
            "/",
            "/"
        ]
    );
    assert!(tei.contains(
        "<head>Letters from Kabul</head>\n<p>The letters Crocker sent in the first months, and the maps that came with them.</p>\n"
    ));
    let jsonld = json_file(&ed, "site/annotations.jsonld");
    let mentions = json_file(&ed, "site/annotations.json")["mentions"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(jsonld["total"], mentions);
    let sources: BTreeSet<&str> = (jsonld["first"]["items"].as_array().unwrap().iter())
        .map(|a| a["target"]["source"].as_str().unwrap())
        .collect();
    assert!(
        sources.contains("https://edition.example.org/kabul/maps/sketch-book/01-a-sketch/"),
        "{sources:?}"
    );
}

#[test]
fn a_sources_margin_note_and_glossary_entry_show_its_reference_in_the_style() {
    let ed = Edition::fixture("citations");
    let index = ed.read("content/_index.md");
    ed.write(
        "content/_index.md",
        &index.replacen("---\n", "---\ncitation_style: apa\n", 1),
    );
    ed.build().success();
    let reference = ed
        .page("sources/complete/index.html")
        .select(&sel("p.citation"))
        .next()
        .unwrap()
        .inner_html();
    assert!(
        reference.starts_with("Crocker, R., &amp; Jane Q. Placeholder. (2021)."),
        "{reference}"
    );
    let part = ed.page("01-talks/index.html");
    let note = part
        .select(&sel("a#m-2 ~ span.sidenote"))
        .next()
        .unwrap()
        .inner_html();
    assert_eq!(
        note,
        format!("<span class=\"sidenote-number\">2</span> {reference}")
    );
    let entry = part
        .select(&sel("#glossary .note-text"))
        .map(|d| d.inner_html())
        .find(|h| h.contains("Placeholder"))
        .unwrap();
    assert_eq!(entry, reference);
}

/// The part page's paragraph citation with its marks shown: `{url}` and
/// `{n}` where the ¶ menu puts the paragraph's address and number.
fn paragraph_citation(ed: &Edition, page: &str) -> String {
    let html = ed.page(page);
    let article = html.select(&sel("article.part")).next().unwrap();
    (article.value().attr("data-cite-style").unwrap_or(""))
        .replace('\u{E001}', "{url}")
        .replace('\u{E002}', "{n}")
}

#[test]
fn the_paragraph_menu_cites_in_the_editions_style() {
    let ed = Edition::fixture("citations");
    let index = ed.read("content/_index.md");
    let with_style = |style: &str| {
        ed.write(
            "content/_index.md",
            &index.replacen("license:", &format!("citation_style: {style}\nlicense:"), 1),
        );
        ed.build().success();
        paragraph_citation(&ed, "01-talks/index.html")
    };
    assert_eq!(
        with_style("chicago-notes"),
        "Ada Example, “Talks,” in A Citable Edition, ed. The Editors (2020), para. {n}, {url}."
    );
    assert_eq!(
        with_style("apa"),
        "Ada Example. (2020). Talks. In The Editors (Ed.), A Citable Edition. {url} (Ada Example, 2020, para. {n})"
    );
    assert_eq!(
        with_style("chicago-author-date"),
        "Ada Example. 2020. “Talks.” In A Citable Edition, edited by The Editors. {url}. (Ada Example 2020, para. {n})"
    );
    // Each part has its own title in it.
    assert!(paragraph_citation(&ed, "02-later/index.html").contains("“Later.”"));
    // A style of the edition's own whose citations name no locator: the
    // entry alone. The title goes in as written, after the style's change
    // of case.
    ed.write("content/styles/house.csl", HOUSE_STYLE);
    assert_eq!(with_style("styles/house.csl"), "Talks / 2020.");
}
