//! The reading aids the engine writes for the default theme: the search index
//! script, the search and timeline pages, the header on every page, footnote
//! numbers shown once.

use crate::harness::{Edition, html_pages, ids, sel};

/// The JSON the index script assigns to its global.
fn search_index(ed: &Edition) -> serde_json::Value {
    let js = ed.read("site/search-index.js");
    let json = js
        .strip_prefix("window.GLOSSATOR_SEARCH = ")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .unwrap_or_else(|| panic!("not an index script: {}", &js[..js.len().min(80)]));
    serde_json::from_str(json).expect("the index is JSON")
}

#[test]
fn the_search_index_holds_every_numbered_paragraph_and_every_entity_with_aliases() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let index = search_index(&ed);

    let parts = index["parts"].as_array().unwrap();
    assert_eq!(parts[0][1], "01-beginnings/index.html");
    let paras = index["paras"].as_array().unwrap();
    let pages = html_pages(&ed.site());
    let numbered: usize = parts
        .iter()
        .map(|p| pages[p[1].as_str().unwrap()].select(&sel("p.para")).count())
        .sum();
    assert_eq!(
        paras.len(),
        numbered,
        "one index entry per numbered paragraph"
    );
    for p in paras {
        let url = parts[p[0].as_u64().unwrap() as usize][1].as_str().unwrap();
        let id = format!("p{}", p[1]);
        assert!(ids(&pages[url]).contains(&id), "{url}#{id} is missing");
    }
    // Plain text, without Markdown syntax or the footnote's text.
    let first = paras[0][2].as_str().unwrap();
    assert!(
        first.starts_with("In an interview with The New Yorker"),
        "{first}"
    );
    assert!(
        !first.contains('[') && !first.contains("remembershow"),
        "{first}"
    );

    let zarif = index["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[0] == "person" && e[2] == "people/zarif/index.html")
        .expect("zarif is indexed");
    assert_eq!(zarif[3], serde_json::json!(["Zarif"]));
}

#[test]
fn the_search_page_loads_the_index_as_a_script_and_every_page_has_a_search_box() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let search = ed.page("search/index.html");
    let scripts: Vec<_> = search
        .select(&sel("script[src]"))
        .map(|s| s.value().attr("src").unwrap().to_string())
        .collect();
    assert!(
        scripts.contains(&"../search-index.js".to_string()),
        "{scripts:?}"
    );
    for (path, page) in html_pages(&ed.site()) {
        let form = page
            .select(&sel("header form[role=search]"))
            .next()
            .unwrap_or_else(|| panic!("{path} has no search box"));
        let action = form.value().attr("action").unwrap();
        assert!(action.ends_with("search/index.html"), "{path}: {action}");
    }
}

#[test]
fn the_timeline_lists_dated_claims_and_sources_oldest_first_with_their_places() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let page = ed.page("timeline/index.html");
    let entries: Vec<_> = page.select(&sel("li.tl")).collect();
    let dates: Vec<_> = entries
        .iter()
        .map(|li| {
            li.select(&sel("time"))
                .next()
                .unwrap()
                .value()
                .attr("datetime")
                .unwrap()
        })
        .collect();
    assert_eq!(dates, ["2001", "2013-09-30"]);
    let claim = &entries[0];
    assert!(
        claim.value().classes().any(|c| c == "claim--sourced"),
        "the claim shows its status"
    );
    let place = claim.select(&sel(".places a")).next().unwrap();
    assert_eq!(
        place.value().attr("href"),
        Some("../01-beginnings/index.html#m-3")
    );
    assert_eq!(place.text().collect::<String>(), "Part 1, ¶1");
    let years: Vec<_> = page
        .select(&sel("h2[id]"))
        .map(|h| h.value().attr("id").unwrap())
        .collect();
    assert_eq!(years, ["y-2001", "y-2013"]);
}

#[test]
fn a_footnote_shows_one_number_that_the_glossary_links_back_to() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let page = ed.page("01-beginnings/index.html");
    assert_eq!(
        page.select(&sel(".text sup.footnote-ref")).count(),
        0,
        "a footnote referenced once has no second number"
    );
    let label = page.select(&sel(".text label.note-number#fr-1")).next();
    let label = label.expect("the margin note's number carries the reference id");
    let input = label.value().attr("for").unwrap();
    assert!(ids(&page).contains(input));
    let back = page
        .select(&sel("#glossary li.note--footnote .backlinks a"))
        .next()
        .unwrap();
    assert_eq!(back.value().attr("href"), Some("#fr-1"));
}

#[test]
fn a_claims_note_states_it_once_and_links_to_its_page() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let page = ed.page("01-beginnings/index.html");
    let note = page
        .select(&sel("#glossary li.note--claim"))
        .next()
        .expect("the part has a claim note");
    let text: String = note.text().collect();
    assert_eq!(
        text.matches("Crocker met Iranian diplomats in Geneva.")
            .count(),
        1,
        "{text}"
    );
    let link = note.select(&sel("a.note-name")).next().unwrap();
    assert_eq!(
        link.value().attr("href"),
        Some("../claims/met-in-geneva/index.html")
    );
}
