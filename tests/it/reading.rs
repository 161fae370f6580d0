//! The reading aids the engine writes for the default theme: the search index
//! script, the search and timeline pages, the header on every page, footnote
//! numbers shown once.

use std::path::Path;

use serde_json::{Value, json};

use crate::harness::{Edition, html_pages, ids, sel, tree_bytes};

/// The JSON a search script passes on: what lies between `start` and `end`.
fn script_json(js: &str, start: &str, end: &str) -> Value {
    let json = js
        .strip_prefix(start)
        .and_then(|s| s.trim_end().strip_suffix(end))
        .unwrap_or_else(|| panic!("not a search script: {}", &js[..js.len().min(80)]));
    serde_json::from_str(json).expect("the script holds JSON")
}

/// The entry script's object: parts, entities and the list of text shards.
fn search_entry(site: &Path) -> Value {
    let js = std::fs::read_to_string(site.join("search-index.js")).unwrap();
    script_json(&js, "window.GLOSSATOR_SEARCH = ", ";")
}

/// What each shard the entry lists pushes: `[number, first part, texts by part]`.
fn search_shards(site: &Path, entry: &Value) -> Vec<Value> {
    let start = "(window.GLOSSATOR_SEARCH_TEXT = window.GLOSSATOR_SEARCH_TEXT || []).push(";
    entry["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let url = s[0].as_str().unwrap();
            let js =
                std::fs::read_to_string(site.join(url)).unwrap_or_else(|e| panic!("{url}: {e}"));
            script_json(&js, start, ");")
        })
        .collect()
}

/// The paragraph texts of each part, gathered from every shard in order,
/// after checking that each shard is the one the entry lists at its place.
fn texts_by_part(site: &Path) -> Vec<Vec<String>> {
    let entry = search_entry(site);
    let listed = entry["shards"].as_array().unwrap();
    let mut parts = Vec::new();
    for (k, shard) in search_shards(site, &entry).iter().enumerate() {
        assert_eq!(shard[0], k + 1, "shard {} says it is {}", k + 1, shard[0]);
        assert_eq!(shard[1], listed[k][1], "shard {} starts elsewhere", k + 1);
        assert_eq!(shard[1], parts.len(), "shard {} leaves a gap", k + 1);
        let texts = shard[2].as_array().unwrap();
        assert_eq!(texts.len() as u64, listed[k][2].as_u64().unwrap());
        parts.extend(
            texts
                .iter()
                .map(|t| serde_json::from_value::<Vec<String>>(t.clone()).unwrap()),
        );
    }
    parts
}

#[test]
fn the_search_entry_holds_every_part_and_every_entity_with_aliases_and_no_text() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let entry = search_entry(&ed.site());
    let annotations: Value = serde_json::from_str(&ed.read("site/annotations.json")).unwrap();

    let parts: Vec<Value> = annotations["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| json!([p["title"], p["url"]]))
        .collect();
    assert_eq!(entry["parts"], Value::Array(parts));
    assert_eq!(entry["parts"][0][1], "01-beginnings/index.html");

    let mut expected = Vec::new();
    for (kind, plural, name) in [
        ("person", "people", "name"),
        ("source", "sources", "title"),
        ("claim", "claims", "text"),
        ("term", "terms", "term"),
    ] {
        for x in annotations[plural].as_array().unwrap() {
            let aliases = x.get("aliases").cloned().unwrap_or(json!([]));
            expected.push(json!([kind, x[name], x["url"], aliases]));
        }
    }
    let mut entities: Vec<Value> = entry["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!([e[0], e[1], e[2], e[3]]))
        .collect();
    let key = |v: &Value| v.to_string();
    expected.sort_by_key(key);
    entities.sort_by_key(key);
    assert_eq!(entities, expected);
    let zarif = entry["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[0] == "person" && e[2] == "people/zarif/index.html")
        .expect("zarif is indexed");
    assert_eq!(zarif[3], json!(["Zarif"]));
    assert_eq!(zarif[4], "Iran’s foreign minister from 2013 to 2021.");

    assert_eq!(entry["shards"], json!([["search/text-0001.js", 0, 2]]));
    let keys: Vec<&String> = entry.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["entities", "parts", "shards"],
        "the entry holds no text"
    );

    // Plain text, without Markdown syntax or the footnote's text.
    let texts = texts_by_part(&ed.site());
    let first = &texts[0][0];
    assert!(
        first.starts_with("In an interview with The New Yorker"),
        "{first}"
    );
    assert!(
        !first.contains('[') && !first.contains("remembershow"),
        "{first}"
    );
}

#[test]
fn the_shards_hold_every_numbered_paragraph_of_the_bundled_edition_once_in_order() {
    let ed = Edition::bundled();
    ed.build().success();
    let site = ed.site();
    let texts = texts_by_part(&site);
    let annotations: Value = serde_json::from_str(&ed.read("site/annotations.json")).unwrap();
    let expected: Vec<Vec<String>> = annotations["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| serde_json::from_value(p["paragraphs"].clone()).unwrap())
        .collect();
    assert_eq!(texts.len(), 7);
    assert_eq!(texts, expected);

    let entry = search_entry(&site);
    let pages = html_pages(&site);
    for (i, part) in texts.iter().enumerate() {
        let url = entry["parts"][i][1].as_str().unwrap();
        let page = &pages[url];
        assert_eq!(
            part.len(),
            page.select(&sel("p.para")).count(),
            "{url}: one text per numbered paragraph"
        );
        let page_ids = ids(page);
        for n in 1..=part.len() {
            assert!(page_ids.contains(&format!("p{n}")), "{url}#p{n} is missing");
        }
        assert!(part.iter().all(|t| !t.trim().is_empty()), "{url}");
    }
}

#[test]
fn a_long_edition_has_one_shard_per_fixed_run_of_parts_and_they_are_not_pages() {
    let ed = Edition::many_parts(120);
    let run = ed.build();
    run.success();
    let site = ed.site();
    let entry = search_entry(&site);
    let shards = entry["shards"].as_array().unwrap();
    let size = shards[0][2].as_u64().unwrap() as usize;
    assert!(size < 120, "one shard holds every part ({size})");
    assert_eq!(shards.len(), 120_usize.div_ceil(size));
    for (k, s) in shards.iter().enumerate() {
        assert_eq!(s[0], format!("search/text-{:04}.js", k + 1));
        assert_eq!(s[1], k * size);
        assert_eq!(s[2], size.min(120 - k * size));
    }
    let texts = texts_by_part(&site);
    assert_eq!(texts.len(), 120);
    assert_eq!(
        texts[119],
        [
            "The first paragraph of part 120.",
            "The second, in part 120."
        ]
    );
    let files = tree_bytes(&site);
    let on_disk: Vec<&String> = files
        .keys()
        .filter(|p| p.starts_with("search/text-"))
        .collect();
    assert_eq!(on_disk.len(), shards.len(), "{on_disk:?}");
    let html = files.keys().filter(|p| p.ends_with(".html")).count();
    assert!(
        run.stdout().starts_with(&format!("built {html} pages ")),
        "the shards are counted as pages: {} (and {html} HTML files)",
        run.stdout()
    );
}

#[test]
fn a_one_word_edit_changes_exactly_one_shard() {
    let ed = Edition::many_parts(120);
    ed.build().success();
    let before = ed.snapshot();
    let other = Edition::many_parts(120);
    let part = "content/075-part.md";
    other.write(part, &ed.read(part).replace("second", "next"));
    other.build().success();
    let after = other.snapshot();
    let changed: Vec<&String> = after
        .iter()
        .filter(|(p, bytes)| p.starts_with("search") && before.get(*p) != Some(bytes))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(changed, ["search/text-0002.js"]);
    let shard = String::from_utf8(after["search/text-0002.js"].clone()).unwrap();
    assert!(shard.contains("The next, in part 75."), "{shard}");
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
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

/// A mention in a heading links the heading's words; its margin note comes
/// after the heading, never inside it (where it would join the heading's
/// text, its outline entry and its anchor).
#[test]
fn a_mention_in_a_heading_keeps_its_note_out_of_the_heading() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/03-more.md",
        "---\ntitle: More\n---\n## About [Crocker](person:crocker)\n\nText.\n",
    );
    ed.build().success();
    let page = ed.page("03-more/index.html");
    let heading = page.select(&sel("h2#about-crocker")).next().unwrap();
    assert_eq!(heading.select(&sel("a.mention")).count(), 1);
    assert_eq!(heading.select(&sel(".sidenote, .note-number")).count(), 0);
    let note = page
        .select(&sel("h2#about-crocker + .heading-notes .sidenote"))
        .next()
        .expect("the note follows the heading");
    assert!(note.text().collect::<String>().contains("A U.S. diplomat"));
}

/// Dates are shown in words in the edition's language, in a `<time>` that
/// keeps the ISO form, with no-break spaces so they never break inside.
#[test]
fn dates_are_in_words_in_the_editions_language() {
    let ed = Edition::fixture("basic");
    let index = ed.read("content/_index.md");
    ed.write(
        "content/_index.md",
        &index.replace("language: en", "language: de"),
    );
    ed.build().success();
    let source = ed.page("sources/new-yorker-interview/index.html");
    let time = source
        .select(&sel("dd time[datetime='2013-09-30']"))
        .next()
        .expect("the source's date is a <time>");
    assert_eq!(
        time.text().collect::<String>(),
        "30.\u{a0}September\u{a0}2013"
    );
    let index = ed.page("index.html");
    let original = index
        .select(&sel(".original time[datetime='2020-10']"))
        .next()
        .expect("the original's date is a <time>");
    assert_eq!(original.text().collect::<String>(), "Oktober\u{a0}2020");
}

/// A person's margin note begins with the name, so a reader knows whose
/// note it is when the text says "he" or "myself".
#[test]
fn a_persons_margin_note_begins_with_the_name() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let page = ed.page("01-beginnings/index.html");
    let note = page
        .select(&sel("a.mention--person + label + input + .sidenote"))
        .next()
        .expect("a person's first mention opens a margin note");
    let text: String = note.text().collect();
    let (number, rest) = text.split_once(' ').unwrap();
    assert!(number.parse::<u32>().is_ok(), "{text}");
    assert!(rest.starts_with("Ryan Crocker: A U.S. diplomat"), "{text}");
}

/// A note number after a mention goes past a possessive and a closing
/// quote: `Crocker’s¹`, not `Crocker¹’s`.
#[test]
fn a_note_number_goes_after_a_possessive() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/03-more.md",
        "---\ntitle: More\n---\nIt was [Crocker](person:crocker)'s view, and “[Zarif](person:zarif)” agreed.\n",
    );
    ed.build().success();
    let html = ed.read("site/03-more/index.html");
    assert!(html.contains("</a>’s<label for=\"sn-1\""), "{html}");
    assert!(html.contains("</a>”<label for=\"sn-2\""), "{html}");
}

/// The notes list separates a claim's parts with a middle dot.
#[test]
fn a_claims_note_separates_its_parts() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let page = ed.page("01-beginnings/index.html");
    let note = page
        .select(&sel("#glossary li.note--claim"))
        .next()
        .expect("the part's claim has a note");
    let text: String = note
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains(
            "sourced · Sources: The Man Who Knew · Attributed to Ryan Crocker · The claim’s page"
        ),
        "{text}"
    );
}

/// A stylesheet a theme adds loads after the default one, so it can
/// override it.
#[test]
fn a_themes_own_stylesheet_loads_after_the_default_one() {
    let ed = Edition::fixture("basic");
    ed.run(&["theme", "eject", "mine"]).success();
    ed.write("themes/mine/static/a-override.css", "body { color: red }\n");
    ed.run(&["build", "--theme", "mine"]).success();
    let page = ed.page("index.html");
    let styles: Vec<&str> = page
        .select(&sel("link[rel=stylesheet]"))
        .filter_map(|l| l.value().attr("href"))
        .collect();
    assert_eq!(styles, ["static/style.css", "static/a-override.css"]);
}

/// A mention inside a footnote keeps the footnote's sentence, on the
/// entity's page and in `annotations.json`.
#[test]
fn a_mention_in_a_footnote_keeps_its_sentence() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/03-more.md",
        "---\ntitle: More\n---\nA remark.[^a]\n\n[^a]: It was long ago. As [Zarif](person:zarif) said in Geneva, it began there.\n",
    );
    ed.build().success();
    let sentence = "As Zarif said in Geneva, it began there.";
    let data: Value = serde_json::from_str(&ed.read("site/annotations.json")).unwrap();
    let contexts: Vec<&str> = data["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["entity"]["id"] == "zarif")
        .filter_map(|m| m["context"].as_str())
        .collect();
    assert!(contexts.contains(&sentence), "{contexts:?}");
    let page = ed.page("people/zarif/index.html");
    let text: String = page.root_element().text().collect();
    assert!(
        text.contains(sentence),
        "the entity page shows the sentence"
    );
}

/// Text from front matter gets the body's smart punctuation.
#[test]
fn front_matter_text_gets_smart_punctuation() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/03-more.md",
        "---\ntitle: The \"end\"\nsummary: It isn't over...\nclaims:\n  said-no:\n    text: He said \"no\" -- twice.\n    status: unverified\n---\n[He said so](claim:said-no).\n",
    );
    ed.build().success();
    let index = ed.read("site/index.html");
    assert!(index.contains("The “end”"), "{index}");
    assert!(index.contains("It isn’t over…"), "{index}");
    let claim = ed.read("site/claims/said-no/index.html");
    assert!(claim.contains("He said “no” – twice."), "{claim}");
    assert!(!claim.contains("He said \"no\""), "{claim}");
}

/// Footnote text is searchable: each shard holds its parts' footnotes with
/// the number of the note that shows each (`#n-NUMBER` on the part's page).
#[test]
fn footnote_text_is_in_the_search_index() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let entry = search_entry(&ed.site());
    let shards = search_shards(&ed.site(), &entry);
    let notes = &shards[0][3][0];
    let (number, text) = (&notes[0][0], &notes[0][1]);
    assert_eq!(text, "The original reads “remembershow”.");
    let page = ed.page("01-beginnings/index.html");
    let id = format!("n-{number}");
    let note = page
        .select(&sel(&format!("li[id='{id}']")))
        .next()
        .unwrap_or_else(|| panic!("no note #{id}"));
    assert!(note.text().collect::<String>().contains("remembershow"));
}
