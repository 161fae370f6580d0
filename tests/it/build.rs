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
        out.contains("2 parts; 2 people, 1 sources, 2 claims, 1 terms"),
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
    let mut entity_notes = 0;
    for note in &notes {
        let backlinks: Vec<_> = note.select(&sel(".backlinks a")).collect();
        for b in &backlinks {
            let target = b.value().attr("href").unwrap().trim_start_matches('#');
            assert!(page_ids.contains(target), "back-link to missing #{target}");
        }
        // A footnote has no entity to name; every other note names its
        // entity and links back to each mention of it.
        if note.value().attr("class") == Some("note note--footnote") {
            continue;
        }
        let name = note
            .select(&sel("a.note-name"))
            .next()
            .unwrap_or_else(|| panic!("a note without its entity's name: {}", note.html()));
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
        entity_notes += 1;
    }
    assert_eq!(entity_notes, 5, "one note per entity mentioned");
}

#[test]
fn first_mention_carries_the_note_number_and_a_margin_note() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let page = ed.page("01-beginnings/index.html");
    let crocker: Vec<_> = page
        .select(&sel("a.mention[data-entity='person:crocker']"))
        .collect();
    assert_eq!(crocker.len(), 2);
    // What follows each mention directly, up to the first text or element
    // that is not its note: the number label, checkbox and margin note.
    fn after<'a>(m: &scraper::ElementRef<'a>) -> Vec<scraper::ElementRef<'a>> {
        m.next_siblings()
            .map_while(scraper::ElementRef::wrap)
            .take_while(|e| {
                let class = e.value().attr("class").unwrap_or("");
                class.contains("margin-toggle") || class == "sidenote"
            })
            .collect()
    }
    let first = after(&crocker[0]);
    let classes: Vec<&str> = first
        .iter()
        .map(|e| e.value().attr("class").unwrap())
        .collect();
    assert_eq!(
        classes,
        ["margin-toggle note-number", "margin-toggle", "sidenote"],
        "the first Crocker mention's note"
    );
    assert_eq!(first[0].value().attr("for"), Some("sn-2"));
    assert_eq!(first[0].text().collect::<String>(), "Note 2");
    let note: String = first[2].text().collect();
    // The margin note gives the description from people/crocker.md.
    assert_eq!(
        note,
        "2 A U.S. diplomat, ambassador to Iraq from 2007 to 2009."
    );
    assert!(
        after(&crocker[1]).is_empty(),
        "the second Crocker mention has a margin note"
    );
    // One margin note per note of the glossary: five entities and the footnote.
    assert_eq!(
        page.select(&sel(".text .sidenote")).count(),
        page.select(&sel("ol.notes > li")).count()
    );
    assert_eq!(page.select(&sel(".text .sidenote")).count(), 6);
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
    // Every file is dated a day back: a rewrite would date it now, however
    // coarse the file system's clock, with no wait between the builds.
    let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(24 * 3600);
    for p in first.keys() {
        fs::File::options()
            .write(true)
            .open(ed.site().join(p))
            .unwrap()
            .set_modified(day_ago)
            .unwrap();
    }
    ed.build().success();
    assert_eq!(first, ed.snapshot());
    for p in first.keys() {
        let modified = fs::metadata(ed.site().join(p)).unwrap().modified().unwrap();
        assert_eq!(modified, day_ago, "{p} was rewritten");
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

/// The links of the cover's table of contents, in order.
fn contents(ed: &Edition) -> Vec<String> {
    ed.page("index.html")
        .select(&sel("nav.toc ol a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

#[test]
fn parts_with_order_come_first_by_order_then_the_others_by_file_name() {
    let ed = Edition::fixture("basic");
    for (rel, from, to) in [
        ("content/01-beginnings.md", "order: 1", "order: 5"),
        ("content/02-later.md", "order: 2", "order: 3"),
    ] {
        let text = ed.read(rel);
        assert!(text.contains(from), "{rel} has no `{from}`");
        ed.write(rel, &text.replacen(from, to, 1));
    }
    ed.write(
        "content/00-unordered.md",
        "---\ntitle: Unordered\n---\nText.\n",
    );
    ed.write("content/09-last.md", "---\ntitle: Last\n---\nText.\n");
    ed.build().success();
    assert_eq!(
        contents(&ed),
        [
            "02-later/index.html",
            "01-beginnings/index.html",
            "00-unordered/index.html",
            "09-last/index.html"
        ]
    );
    // The pager follows the same order.
    let next = |page: &str| {
        ed.page(page)
            .select(&sel(".pager a[rel=next]"))
            .next()
            .map(|a| a.value().attr("href").unwrap().to_string())
    };
    assert_eq!(
        next("02-later/index.html").as_deref(),
        Some("../01-beginnings/index.html")
    );
    assert_eq!(
        next("01-beginnings/index.html").as_deref(),
        Some("../00-unordered/index.html")
    );
    assert_eq!(next("09-last/index.html"), None);
}

#[test]
fn the_a_to_z_lists_go_by_sort_as() {
    let ed = Edition::fixture("basic");
    let people = |ed: &Edition| -> Vec<(String, String)> {
        let page = ed.page("people/index.html");
        page.select(&sel("section[id^='g-']"))
            .flat_map(|section| {
                let letter: String = section.select(&sel("h2")).next().unwrap().text().collect();
                section
                    .select(&sel("ul.entries > li"))
                    .map(move |li| (letter.clone(), li.value().attr("id").unwrap().to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    ed.build().success();
    // By default the surname: Crocker, then Zarif.
    assert_eq!(
        people(&ed),
        [("C".into(), "crocker".into()), ("Z".into(), "zarif".into())]
    );
    let zarif = ed.read("content/people/zarif.md").replacen(
        "aliases:",
        "sort_as: \"Abbas, M.\"\naliases:",
        1,
    );
    ed.write("content/people/zarif.md", &zarif);
    ed.build().success();
    assert_eq!(
        people(&ed),
        [("A".into(), "zarif".into()), ("C".into(), "crocker".into())]
    );
}

#[test]
fn a_claim_mention_on_a_part_page_carries_its_status_symbol_and_word() {
    let ed = Edition::fixture("basic");
    let text = ed.read("content/01-beginnings.md");
    // Every status, each with its own symbol.
    let statuses = [
        ("sourced", "✓"),
        ("attributed", "❝"),
        ("disputed", "⚠"),
        ("unverified", "?"),
        ("assessment", "◆"),
    ];
    let mut claims = String::new();
    let mut body = String::new();
    for (status, _) in statuses {
        let extra = match status {
            "sourced" => "\n    sources: [new-yorker-interview]",
            "attributed" => "\n    attributed_to: [crocker]",
            _ => "",
        };
        claims.push_str(&format!(
            "  c-{status}:\n    text: A {status} claim.\n    status: {status}{extra}\n"
        ));
        body.push_str(&format!(" [It is {status}](claim:c-{status})."));
    }
    let text = text
        .replacen("claims:\n", &format!("claims:\n{claims}"), 1)
        .replacen("recalls meetings.", &format!("recalls meetings.{body}"), 1);
    ed.write("content/01-beginnings.md", &text);
    ed.build().success();
    let page = ed.page("01-beginnings/index.html");
    for (status, symbol) in statuses {
        let mention = page
            .select(&sel(&format!("a.mention[data-entity='claim:c-{status}']")))
            .next()
            .unwrap_or_else(|| panic!("no mention of claim c-{status}"));
        // The mark follows the link, inside the same paragraph.
        let mark = mention
            .next_siblings()
            .filter_map(scraper::ElementRef::wrap)
            .next()
            .unwrap_or_else(|| panic!("nothing after the mention of c-{status}"));
        assert_eq!(
            mark.value().attr("class"),
            Some(format!("claim-mark claim-mark--{status}").as_str())
        );
        let shown: String = mark.text().collect();
        assert_eq!(shown, format!("{symbol} ({status} claim)"), "c-{status}");
        let title = mark.value().attr("title").unwrap();
        assert!(title.starts_with(&format!("{status} claim: ")), "{title}");
        let hidden: String = mark
            .select(&sel(".visually-hidden"))
            .next()
            .expect("the status in words, for screen readers")
            .text()
            .collect();
        assert_eq!(hidden, format!(" ({status} claim)"));
    }
}

#[test]
fn allow_html_lets_raw_html_through_to_the_site() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/03-html.md",
        "---\ntitle: Html\n---\nThe <abbr title=\"Joint Comprehensive Plan of Action\">JCPOA</abbr> text.\n",
    );
    let run = ed.build();
    run.failure();
    assert!(
        run.stderr()
            .contains("content/03-html.md:4:5: error: raw HTML is not allowed in this edition"),
        "{}",
        run.stderr()
    );
    let index = ed
        .read("content/_index.md")
        .replacen("title:", "allow_html: true\ntitle:", 1);
    ed.write("content/_index.md", &index);
    ed.build().success();
    let page = ed.page("03-html/index.html");
    let abbr: Vec<_> = page.select(&sel("main p abbr")).collect();
    assert_eq!(abbr.len(), 1);
    assert_eq!(
        abbr[0].value().attr("title"),
        Some("Joint Comprehensive Plan of Action")
    );
    assert_eq!(abbr[0].text().collect::<String>(), "JCPOA");
}
