//! The build engine on the fixture edition: output pages, mentions, glossaries,
//! entity pages, relative links, determinism, `check`, `--out` safety.

use std::collections::HashMap;
use std::fs;

use crate::harness::{Edition, html_pages, ids, resolve_href, sel};

#[test]
fn builds_every_page_kind_and_prints_a_summary() {
    let ed = Edition::fixture("basic");
    let run = ed.build();
    run.success();
    let out = run.stdout();
    assert!(out.starts_with("built "), "{out}");
    assert!(
        out.contains("2 parts; 2 people, 1 source, 2 claims, 1 term"),
        "{out}"
    );
    for page in [
        "index.html",
        "404.html",
        "01-beginnings/index.html",
        "02-later/index.html",
        "pages/about/index.html",
        "people/index.html",
        "people/crocker/index.html",
        "sources/index.html",
        "sources/new-yorker-interview/index.html",
        "claims/index.html",
        "claims/met-in-geneva/index.html",
        "terms/index.html",
        "terms/jcpoa/index.html",
    ] {
        assert!(ed.site().join(page).is_file(), "missing {page}");
    }
}

#[test]
fn every_internal_link_and_fragment_resolves() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let pages = html_pages(&ed.site());
    let ids_of: HashMap<&str, _> = pages.iter().map(|(p, h)| (p.as_str(), ids(h))).collect();
    let mut checked = 0;
    for (path, page) in &pages {
        for a in page.select(&sel("a[href], link[href]")) {
            let href = a.value().attr("href").unwrap();
            let Some((target, fragment)) = resolve_href(path, href) else {
                continue;
            };
            assert!(
                ed.site().join(&target).is_file(),
                "{path}: link {href} → missing {target}"
            );
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let target_ids = ids_of
                    .get(target.as_str())
                    .unwrap_or_else(|| panic!("{target} not parsed"));
                assert!(
                    target_ids.contains(&f),
                    "{path}: link {href} → no #{f} in {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn mentions_link_to_entity_pages_and_glossary_backlinks_match_mentions() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let page = ed.page("01-beginnings/index.html");
    let mentions: Vec<_> = page.select(&sel("a.mention[id]")).collect();
    assert_eq!(mentions.len(), 6);
    let mut per_entity: HashMap<String, usize> = HashMap::new();
    for m in &mentions {
        let href = m.value().attr("href").unwrap();
        let (target, _) = resolve_href("01-beginnings/index.html", href).unwrap();
        assert!(ed.site().join(&target).is_file(), "mention → {target}");
        *per_entity
            .entry(m.value().attr("data-entity").unwrap().to_string())
            .or_default() += 1;
    }
    assert_eq!(per_entity["person:crocker"], 2);
    let page_ids = ids(&page);
    let notes: Vec<_> = page.select(&sel("ol.notes > li")).collect();
    // source, crocker, footnote, claim, term, zarif: in order of first occurrence.
    assert_eq!(notes.len(), 6);
    assert_eq!(notes[2].value().attr("class"), Some("note note--footnote"));
    for note in &notes {
        let backlinks: Vec<_> = note.select(&sel(".backlinks a")).collect();
        for b in &backlinks {
            let target = b.value().attr("href").unwrap().trim_start_matches('#');
            assert!(page_ids.contains(target), "back-link to missing #{target}");
        }
        if let Some(name) = note.select(&sel("a.note-name")).next() {
            let href = name.value().attr("href").unwrap();
            let entity = mentions
                .iter()
                .find(|m| m.value().attr("href") == Some(href))
                .and_then(|m| m.value().attr("data-entity"))
                .unwrap();
            assert_eq!(
                backlinks.len(),
                per_entity[entity],
                "back-links of {entity}"
            );
        }
    }
}

#[test]
fn first_mention_carries_the_note_number_and_a_margin_note() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let html = ed.read("site/01-beginnings/index.html");
    let first = html.find("id=\"m-2\"").unwrap();
    let second = html.find("id=\"m-4\"").unwrap();
    let after_first = &html[first..second];
    assert!(
        after_first.contains("for=\"sn-2\""),
        "first Crocker mention has note 2"
    );
    let after_second = &html[second..second + 400];
    assert!(
        !after_second.contains("class=\"sidenote\""),
        "second mention has no margin note"
    );
}

#[test]
fn paragraphs_are_numbered_with_permalinks() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let page = ed.page("02-later/index.html");
    let paras: Vec<_> = page.select(&sel("p.para")).collect();
    assert_eq!(paras.len(), 2);
    for (i, p) in paras.iter().enumerate() {
        assert_eq!(p.value().attr("id"), Some(format!("p{}", i + 1).as_str()));
        let link = p.select(&sel("a.pnum")).next().unwrap();
        assert_eq!(
            link.value().attr("href"),
            Some(format!("#p{}", i + 1).as_str())
        );
    }
}

#[test]
fn entity_pages_list_mentions_with_context_and_relations() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let page = ed.page("people/crocker/index.html");
    let groups: Vec<String> = page
        .select(&sel(".mentioned-in h3"))
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(groups, vec!["1. Beginnings", "2. Later"]);
    let items: Vec<String> = page
        .select(&sel(".mentioned-in li"))
        .map(|li| li.text().collect())
        .collect();
    assert_eq!(items.len(), 3);
    assert!(
        items[0].contains("In an interview with The New Yorker, Ryan Crocker recalls meetings."),
        "{items:?}"
    );
    let marks: Vec<String> = page
        .select(&sel(".mentioned-in mark"))
        .map(|m| m.text().collect())
        .collect();
    assert_eq!(marks, ["Ryan Crocker", "Crocker", "Crocker"]);
    let text: String = page.root_element().text().collect();
    assert!(text.contains("Claims attributed"));
    let source = ed.page("sources/new-yorker-interview/index.html");
    let cited: Vec<String> = source
        .select(&sel("a[href*='claims/met-in-geneva']"))
        .map(|a| a.text().collect())
        .collect();
    assert!(
        !cited.is_empty(),
        "source page lists the claim that cites it"
    );
    let claim = ed.page("claims/zarif-minister/index.html");
    assert!(
        claim
            .select(&sel("a[href$='people/zarif/index.html']"))
            .next()
            .is_some()
    );
}

#[test]
fn empty_link_text_shows_the_entity_name_and_locators_show() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let page = ed.page("01-beginnings/index.html");
    let zarif = page
        .select(&sel("a.mention[data-entity='person:zarif']"))
        .next()
        .unwrap();
    assert_eq!(zarif.text().collect::<String>(), "Mohammad Javad Zarif");
    let locator = page.select(&sel(".locator")).next().unwrap();
    assert_eq!(locator.text().collect::<String>(), "(interview)");
}

#[test]
fn code_blocks_are_highlighted_with_classes() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let page = ed.page("01-beginnings/index.html");
    let code = page
        .select(&sel("pre.code code.language-yaml span[class^='hl-']"))
        .count();
    assert!(code > 0);
}

#[test]
fn output_is_deterministic_and_an_unchanged_rebuild_rewrites_nothing() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let first = ed.snapshot();
    let mtimes: HashMap<String, _> = first
        .keys()
        .map(|p| {
            (
                p.clone(),
                fs::metadata(ed.site().join(p)).unwrap().modified().unwrap(),
            )
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    ed.build().success();
    assert_eq!(first, ed.snapshot());
    for (p, t) in mtimes {
        assert_eq!(
            fs::metadata(ed.site().join(&p))
                .unwrap()
                .modified()
                .unwrap(),
            t,
            "{p} was rewritten"
        );
    }
    let other = Edition::fixture("basic");
    other.build().success();
    assert_eq!(
        first,
        other.snapshot(),
        "two folders give byte-identical output"
    );
}

#[test]
fn check_validates_and_writes_nothing() {
    let ed = Edition::fixture("basic");
    let run = ed.run(&["check"]);
    run.success();
    assert!(run.stdout().starts_with("checked "));
    assert!(!ed.site().exists());
}

#[test]
fn out_folder_is_refused_when_it_is_not_glossators() {
    let ed = Edition::fixture("basic");
    for out in [".", "content", "themes/x"] {
        let target = ed.root().join(out);
        let run = ed.run(&["build", "--out", target.to_str().unwrap()]);
        run.failure();
        assert!(
            run.stderr().contains("refusing to write the site"),
            "{}",
            run.stderr()
        );
    }
    ed.write("elsewhere/keep.txt", "precious");
    let run = ed.run(&[
        "build",
        "--out",
        ed.root().join("elsewhere").to_str().unwrap(),
    ]);
    run.failure();
    assert_eq!(ed.read("elsewhere/keep.txt"), "precious");
    let fresh = ed.root().join("public");
    ed.run(&["build", "--out", fresh.to_str().unwrap()])
        .success();
    ed.run(&["build", "--out", fresh.to_str().unwrap()])
        .success();
    assert!(fresh.join("index.html").is_file());
}

#[test]
fn unmentioned_entities_warn_and_fail_under_strict() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/terms/lonely.md",
        "---\nterm: Lonely\ndefinition: Never used.\n---\n",
    );
    let run = ed.build();
    run.success();
    assert!(
        run.stderr()
            .contains("content/terms/lonely.md:1:1: warning: term `lonely` is never mentioned"),
        "{}",
        run.stderr()
    );
    assert!(run.stdout().contains("1 warning"));
    let strict = ed.run(&["build", "--strict"]);
    strict.failure();
    assert!(
        strict
            .stderr()
            .contains("error: term `lonely` is never mentioned")
    );
}

#[test]
fn shared_aliases_warn() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/people/zarif.md",
        "---\nname: Mohammad Javad Zarif\ndescription: Iran's foreign minister.\naliases: [Crocker]\n---\n",
    );
    let run = ed.build();
    run.success();
    assert!(
        run.stderr()
            .contains("alias `crocker` is shared by person:crocker and person:zarif"),
        "{}",
        run.stderr()
    );
}

#[test]
fn an_edition_without_themes_folder_uses_the_embedded_theme_and_a_disk_theme_overrides_it() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    assert!(ed.site().join("static").is_dir());
    ed.write(
        "themes/mine/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>Lost: {{ site.title }}</p>{% endblock %}",
    );
    ed.run(&["build", "--theme", "mine"]).success();
    assert!(
        ed.read("site/404.html")
            .contains("<p>Lost: A Test Edition</p>")
    );
    assert!(
        ed.read("site/index.html").contains("Contents"),
        "other templates fall back to the default"
    );
    let missing = ed.run(&["build", "--theme", "nope"]);
    missing.failure();
    assert!(missing.stderr().contains("theme `nope` not found"));
}

#[test]
fn an_entity_first_mentioned_in_a_footnote_shows_its_number_there() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/03-third.md",
        "---\ntitle: Third\n---\nA sentence with a note.[^a]\n\n[^a]: On this, see [Zarif](person:zarif).\n",
    );
    ed.build().success();
    let page = ed.page("03-third/index.html");
    let entry = page
        .select(&sel("li#n-1"))
        .next()
        .expect("the footnote is note 1");
    let numbers: Vec<_> = entry
        .select(&sel("sup.note-ref a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(numbers, ["#n-2"], "Zarif's number follows his mention");
    let zarif = page.select(&sel("li#n-2")).next().expect("note 2 exists");
    assert!(
        zarif
            .text()
            .collect::<String>()
            .contains("foreign minister")
    );
}

#[test]
fn a_long_edition_lists_a_window_of_parts_on_each_part_page() {
    let ed = Edition::fixture("basic");
    for n in 3..=60 {
        ed.write(
            &format!("content/{n:02}-extra.md"),
            &format!("---\ntitle: Extra {n}\n---\nText {n}.\n"),
        );
    }
    ed.build().success();
    let page = ed.page("30-extra/index.html");
    let entries: Vec<String> = page
        .select(&sel(".toc-menu details > ol > li > a"))
        .map(|a| a.text().collect())
        .collect();
    let mut expected = vec!["Beginnings".to_string()];
    expected.extend((25..=35).map(|n| format!("Extra {n}")));
    expected.push("Extra 60".into());
    assert_eq!(entries[0], "Beginnings", "{entries:?}");
    assert_eq!(entries.len(), expected.len(), "{entries:?}");
    assert_eq!(entries[1..12], expected[1..12]);
    let all = page
        .select(&sel(".toc-all a"))
        .next()
        .expect("a link to the full contents");
    assert_eq!(all.text().collect::<String>(), "All 60 parts");
    // A short edition lists every part and no such link.
    let short = Edition::fixture("basic");
    short.build().success();
    let page = short.page("01-beginnings/index.html");
    assert_eq!(
        page.select(&sel(".toc-menu details > ol > li > a")).count(),
        2
    );
    assert_eq!(page.select(&sel(".toc-all")).count(), 0);
}
