//! Places and organisations, end to end over `tests/fixtures/places`: index
//! and entity pages, margin notes and glossary, previews, search, the
//! timeline, JSON-LD, `annotations.json`, `places.geojson`, the EPUB and the
//! schemas.

use std::io::Read;

use serde_json::Value;

use crate::harness::{Edition, sel};

fn built() -> Edition {
    let ed = Edition::fixture("places");
    ed.run(&["build", "--epub", "--base-url", "https://example.org/ed/"])
        .success();
    ed
}

fn text(page: &scraper::Html, css: &str) -> Vec<String> {
    page.select(&sel(css))
        .map(|n| n.text().collect::<String>().trim().to_string())
        .collect()
}

fn json_ld(page: &scraper::Html) -> Value {
    let script: String = page
        .select(&sel("head script[type=\"application/ld+json\"]"))
        .next()
        .expect("a JSON-LD script")
        .text()
        .collect();
    serde_json::from_str(&script).expect("JSON-LD parses")
}

#[test]
fn places_and_organisations_have_index_pages_sorted_a_to_z_and_in_the_navigation() {
    let ed = built();
    let places = ed.page("places/index.html");
    assert_eq!(
        text(&places, "ul.entries > li > a:first-child"),
        ["Baghdad", "Herat", "Iraq"]
    );
    let orgs = ed.page("organisations/index.html");
    assert_eq!(
        text(&orgs, "ul.entries > li > a:first-child"),
        [
            "Islamic Revolutionary Guard Corps",
            "Northern Alliance",
            "Quds Force",
            "The National Interest"
        ]
    );
    let nav = text(&ed.page("index.html"), "nav a");
    assert!(nav.iter().any(|t| t == "Places"), "{nav:?}");
    assert!(nav.iter().any(|t| t == "Organisations"), "{nav:?}");
    // The edition has no terms: no glossary page and no link to one.
    assert!(!ed.site().join("terms/index.html").exists());
    assert!(!nav.iter().any(|t| t == "Glossary"), "{nav:?}");
}

#[test]
fn a_place_page_shows_its_fields_surroundings_claims_and_mentions() {
    let ed = built();
    let baghdad = ed.page("places/baghdad/index.html");
    assert_eq!(text(&baghdad, ".fields dd"), ["33.3152° N, 44.3661° E"]);
    let sections = text(&baghdad, "article section h2");
    assert!(sections.contains(&"Located in".to_string()), "{sections:?}");
    assert!(sections.contains(&"Claims about this place".to_string()));
    let mentioned = text(&baghdad, ".mentioned-in li");
    assert!(
        mentioned[0].contains("In Baghdad, the capital of Iraq"),
        "{mentioned:?}"
    );
    let iraq = ed.page("places/iraq/index.html");
    let within: Vec<String> = text(&iraq, "article section ul li a");
    assert!(within.contains(&"Baghdad".to_string()), "{within:?}");
    let links = text(&iraq, "ul.links a");
    assert_eq!(links, ["Wikidata", "GeoNames"]);
}

#[test]
fn an_organisation_page_shows_its_kind_dates_units_members_and_sources() {
    let ed = built();
    let irgc = ed.page("organisations/irgc/index.html");
    let fields = text(&irgc, ".fields dt");
    assert_eq!(fields, ["Kind", "Also called", "Founded"]);
    let page = irgc.html();
    assert!(page.contains("<h2>Units</h2>"), "no units");
    assert!(page.contains("<h2>Members</h2>"), "no members");
    assert!(page.contains("../../organisations/quds-force/index.html"));
    assert!(page.contains("../../people/soleimani/index.html"));
    let magazine = ed.page("organisations/national-interest/index.html").html();
    assert!(magazine.contains("<h2>Sources it published</h2>"));
    assert!(magazine.contains("../../sources/lammon-2020/index.html"));
    let person = ed.page("people/soleimani/index.html").html();
    assert!(person.contains("<h2>Affiliations</h2>"));
    // A source's outlet named as `org:ID` shows the organisation's name.
    let source = ed.page("sources/lammon-2020/index.html");
    assert!(text(&source, ".short")[0].contains("The National Interest"));
}

#[test]
fn mentions_of_places_and_organisations_get_margin_notes_and_glossary_entries() {
    let ed = built();
    let part = ed.page("01-baghdad/index.html");
    let mentions: Vec<_> = part
        .select(&sel("a.mention--place, a.mention--organisation"))
        .filter_map(|a| a.value().attr("data-entity").map(str::to_string))
        .collect();
    assert!(
        mentions.contains(&"place:baghdad".to_string()),
        "{mentions:?}"
    );
    assert!(
        mentions.contains(&"org:quds-force".to_string()),
        "{mentions:?}"
    );
    let kinds: Vec<_> = part
        .select(&sel("li.note"))
        .filter_map(|n| n.value().attr("data-kind").map(str::to_string))
        .collect();
    assert!(kinds.contains(&"place".to_string()) && kinds.contains(&"organisation".to_string()));
    let notes = text(&part, "li.note--place .note-text");
    assert!(
        notes.iter().any(|n| n == "The capital of Iraq."),
        "{notes:?}"
    );
}

#[test]
fn search_json_ld_and_the_timeline_know_the_new_kinds() {
    let ed = built();
    let entry = ed.read("site/search-index.js");
    assert!(
        entry.contains("\"place\",\"Baghdad\""),
        "no place in the search entry"
    );
    assert!(entry.contains("\"organisation\",\"Quds Force\""));
    assert!(
        entry.contains("Revolutionary Guards"),
        "aliases are searchable"
    );
    let place = json_ld(&ed.page("places/baghdad/index.html"));
    assert_eq!(place["@type"], "Place");
    assert_eq!(place["geo"]["@type"], "GeoCoordinates");
    assert_eq!(place["geo"]["latitude"], 33.3152);
    assert_eq!(
        place["containedInPlace"]["@id"],
        "https://example.org/ed/places/iraq/"
    );
    let org = json_ld(&ed.page("organisations/quds-force/index.html"));
    assert_eq!(org["@type"], "Organization");
    assert_eq!(org["foundingDate"], "1988");
    assert_eq!(
        org["parentOrganization"]["@id"],
        "https://example.org/ed/organisations/irgc/"
    );
    let ended = json_ld(&ed.page("organisations/northern-alliance/index.html"));
    assert_eq!(ended["dissolutionDate"], "2002");
    let source = json_ld(&ed.page("sources/lammon-2020/index.html"));
    assert_eq!(
        source["publisher"]["@id"],
        "https://example.org/ed/organisations/national-interest/"
    );
    let timeline = text(&ed.page("timeline/index.html"), ".tl");
    let founded: Vec<_> = timeline.iter().filter(|t| t.contains("founded")).collect();
    assert_eq!(founded.len(), 4, "{timeline:?}");
    assert!(
        timeline
            .iter()
            .any(|t| t.contains("2002") && t.contains("dissolved"))
    );
}

#[test]
fn annotations_and_geojson_carry_places_and_organisations() {
    let ed = built();
    let a: Value = serde_json::from_str(&ed.read("site/annotations.json")).unwrap();
    assert_eq!(a["version"], 2);
    let places = a["places"].as_array().unwrap();
    let baghdad = places.iter().find(|p| p["id"] == "baghdad").unwrap();
    assert_eq!(baghdad["located_in"], "iraq");
    assert_eq!(baghdad["coordinates"]["lon"], 44.3661);
    let orgs = a["organisations"].as_array().unwrap();
    let quds = orgs.iter().find(|o| o["id"] == "quds-force").unwrap();
    assert_eq!(quds["part_of"], "irgc");
    assert_eq!(quds["kind"], "military");
    assert_eq!(a["people"][0]["affiliations"][0], "quds-force");
    assert_eq!(a["sources"][0]["outlet_organisation"], "national-interest");
    let kinds: Vec<&str> = (a["mentions"].as_array().unwrap().iter())
        .map(|m| m["entity"]["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"organisation") && kinds.contains(&"place"));

    let g: Value = serde_json::from_str(&ed.read("site/places.geojson")).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let features = g["features"].as_array().unwrap();
    // Herat has no coordinates, so only two of the three places are mapped.
    assert_eq!(features.len(), 2);
    let f = &features[0];
    assert_eq!(
        f["geometry"]["coordinates"],
        serde_json::json!([44.3661, 33.3152])
    );
    assert_eq!(f["properties"]["url"], "places/baghdad/index.html");
    assert_eq!(f["properties"]["description"], "The capital of Iraq.");
    assert_eq!(f["properties"]["mentions"], 1);
}

#[test]
fn the_epub_has_appendices_of_places_and_organisations() {
    let ed = built();
    let file = std::fs::File::open(ed.site().join("a-gazetteer-edition.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let places = read("EPUB/places.xhtml");
    assert!(places.contains("id=\"place-baghdad\""));
    assert!(
        places.contains("<dt>Located in</dt><dd><a href=\"places.xhtml#place-iraq\">Iraq</a></dd>")
    );
    let orgs = read("EPUB/organisations.xhtml");
    assert!(orgs.contains("<dt>Part of</dt>"), "{orgs}");
    let part = read("EPUB/part-1.xhtml");
    assert!(part.contains("href=\"organisations.xhtml#org-quds-force\""));
}

#[test]
fn schemas_exist_for_places_and_organisations() {
    let schema = |kind: &str| {
        let out = assert_cmd::Command::cargo_bin("glossator")
            .unwrap()
            .args(["schema", kind])
            .output()
            .unwrap();
        assert!(out.status.success(), "glossator schema {kind}");
        String::from_utf8(out.stdout).unwrap()
    };
    for (kind, field) in [("place", "located_in"), ("organisation", "part_of")] {
        let s: Value = serde_json::from_str(&schema(kind)).unwrap();
        assert!(s["properties"][field].is_object(), "{kind}: no {field}");
        assert_eq!(s["additionalProperties"], false);
    }
    let place = schema("place");
    assert!(
        place.contains("\"maximum\": 90.0"),
        "latitude range in the schema"
    );
}

/// Rebuilds of `serve` after edits to places and organisations give the
/// bytes of a full build, as `incremental.rs` proves for the other kinds.
#[test]
fn incremental_rebuilds_after_edits_to_places_and_organisations_match_a_full_build() {
    use glossator::incremental::Session;
    use glossator::{BuildOptions, build};

    let ed = Edition::fixture("places");
    let mut opts = BuildOptions::new(ed.root());
    opts.out = Some(ed.root().join("served"));
    let mut session = Session::new(opts);
    let mut step = |what: &str| {
        let outcome = session.rebuild();
        let full = build(&BuildOptions::new(ed.root()));
        assert_eq!(outcome.failed(), full.failed(), "{what}");
        let served = crate::harness::tree_bytes(&ed.root().join("served"));
        let built = crate::harness::tree_bytes(&ed.site());
        assert_eq!(
            served.keys().collect::<Vec<_>>(),
            built.keys().collect::<Vec<_>>(),
            "{what}: different files"
        );
        for (path, bytes) in &built {
            assert!(served[path] == *bytes, "{what}: {path} differs");
        }
    };
    let edit = |rel: &str, from: &str, to: &str| {
        let text = ed.read(rel);
        assert!(text.contains(from), "{rel} holds {from:?}");
        ed.write(rel, &text.replacen(from, to, 1));
    };
    step("first build");
    // The magazine's name shows on the source that names it as its outlet.
    edit(
        "content/organisations/national-interest.md",
        "name: The National Interest",
        "name: The National Interest (magazine)",
    );
    step("an outlet renamed");
    // Iraq's name shows on Baghdad's page (located in) and in its note.
    edit(
        "content/places/iraq.md",
        "name: Iraq",
        "name: Republic of Iraq",
    );
    step("a containing place renamed");
    edit("content/places/baghdad.md", "lat: 33.3152", "lat: 33.32");
    step("coordinates moved");
    edit(
        "content/organisations/northern-alliance.md",
        "dissolved: \"2002\"",
        "dissolved: \"2001-12\"",
    );
    step("a dissolution date changed");
    edit(
        "content/people/soleimani.md",
        "affiliations: [org:quds-force, org:irgc]",
        "affiliations: [org:quds-force]",
    );
    step("an affiliation removed");
    edit(
        "content/01-baghdad.md",
        "met American diplomats",
        "met U.S. diplomats",
    );
    step("the text edited");
}
