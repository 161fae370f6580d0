//! Sources defined by a BibTeX file and a CSL-JSON file (Zotero's export) in
//! `content/sources/`, beside Markdown sources; their errors are fixture
//! cases (`bib-syntax`, `csl-json-syntax`, `bad-citation-key`,
//! `duplicate-imported-key`).

use serde_json::Value;

use crate::harness::{Edition, sel};

fn text_of(ed: &Edition, page: &str, selector: &str) -> String {
    let html = ed.page(page);
    let found: Vec<String> = html
        .select(&sel(selector))
        .map(|e| e.text().collect())
        .collect();
    found.join("\n")
}

#[test]
fn bibtex_and_csl_json_entries_become_sources_that_parts_mention() {
    let ed = Edition::fixture("imported");
    let run = ed.build();
    run.success();
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    // `Smith_2020` and `Doe_2018` are keys; the IDs are what parts mention.
    for (id, title) in [
        ("smith-2020", "On Testing Imports"),
        ("lee1999", "A Monograph of <Examples> & Others"),
        ("doe-2018", "A Book from Zotero"),
        ("memoir", "A Diplomat’s Memoir"),
    ] {
        let page = format!("sources/{id}/index.html");
        assert_eq!(text_of(&ed, &page, "h1"), title, "{page}");
    }
    let part = ed.read("site/01-reading/index.html");
    for id in ["smith-2020", "lee1999", "doe-2018"] {
        assert!(
            part.contains(&format!("../sources/{id}/index.html")),
            "{id}"
        );
    }
}

#[test]
fn imported_fields_reach_the_pages_escaped_and_the_exports() {
    let ed = Edition::fixture("imported");
    ed.build().success();
    let lee = ed.read("site/sources/lee1999/index.html");
    assert!(lee.contains("A Monograph of &lt;Examples&gt; &amp; Others"));
    assert!(!lee.contains("<Examples>"));
    assert!(lee.contains("<meta name=\"citation_publisher\" content=\"Example House\">"));
    let csl: Value = serde_json::from_str(&ed.read("site/sources.csl.json")).unwrap();
    let doe = (csl.as_array().unwrap().iter())
        .find(|i| i["id"] == "doe-2018")
        .expect("the Zotero item is exported");
    assert_eq!(doe["type"], "book");
    assert_eq!(doe["issued"]["date-parts"][0][0], 2018);
    assert_eq!(doe["issued"]["date-parts"][0][1], 5);
    let smith = (csl.as_array().unwrap().iter())
        .find(|i| i["id"] == "smith-2020")
        .unwrap();
    assert_eq!(smith["container-title"], "Journal of Examples");
    // BibTeX writes a range with `--`, an en dash.
    assert_eq!(smith["page"], "10–20");
    assert_eq!(smith["volume"], "4");
    assert_eq!(smith["issue"], "2");
}

#[test]
fn a_markdown_file_with_only_a_body_is_the_long_note_of_an_imported_source() {
    let ed = Edition::fixture("imported");
    ed.build().success();
    assert!(
        text_of(&ed, "sources/smith-2020/index.html", "main")
            .contains("The long note on the Smith article")
    );
}

#[test]
fn a_note_for_no_imported_source_is_still_a_file_without_front_matter() {
    let ed = Edition::fixture("imported");
    ed.write(
        "content/sources/nobody.md",
        "A note for a source no file defines.\n",
    );
    let run = ed.build();
    run.failure();
    assert!(
        run.stderr()
            .contains("content/sources/nobody.md:1:1: error:"),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_bibliographies_are_read_not_copied() {
    let ed = Edition::fixture("imported");
    ed.build().success();
    assert!(!ed.site().join("sources/library.bib").exists());
    assert!(!ed.site().join("sources/zotero.json").exists());
}

#[test]
fn two_keys_that_become_one_id_are_a_duplicate_naming_both() {
    let ed = Edition::fixture("imported");
    ed.write(
        "content/sources/more.json",
        "[\n  {\"id\": \"smith:2020\", \"title\": \"Another\"}\n]\n",
    );
    let run = ed.build();
    run.failure();
    let err = run.stderr();
    assert!(
        err.contains("content/sources/more.json:2:10: error: source `smith-2020` is defined twice"),
        "{err}"
    );
    assert!(err.contains("content/sources/library.bib:2:10"), "{err}");
}

#[test]
fn a_field_that_fails_its_check_is_shown_at_its_entry() {
    let ed = Edition::fixture("imported");
    ed.write(
        "content/sources/more.bib",
        "% One more.\n\n@book{more, title = {More}, year = {2001},\n  doi = {https://doi.org/10.5555/1}}\n",
    );
    let run = ed.build();
    run.failure();
    let err = run.stderr();
    assert!(
        err.contains(
            "content/sources/more.bib:3:1: error: `https://doi.org/10.5555/1` is a DOI written as a link"
        ),
        "{err}"
    );
}

#[test]
fn a_year_that_is_not_a_date_is_reported_not_dropped() {
    let ed = Edition::fixture("imported");
    ed.write(
        "content/sources/more.bib",
        "@book{more, title = {More}, year = {abc}}\n",
    );
    ed.write(
        "content/sources/more.json",
        "[{\"id\": \"other\", \"title\": \"Other\", \"issued\": {\"date-parts\": [[\"n.d.\"]]}}]\n",
    );
    let run = ed.build();
    run.failure();
    let err = run.stderr();
    assert!(
        err.contains("content/sources/more.bib:1:1: error: `abc` is not a valid date"),
        "{err}"
    );
    assert!(
        err.contains("content/sources/more.json:1:1: error:"),
        "{err}"
    );
    assert!(err.contains("is not a valid date"), "{err}");
}
