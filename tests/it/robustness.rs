//! Adversarial input: budgets against YAML bombs, deeply nested Markdown,
//! control characters, odd files, unsafe output folders, failures halfway
//! through writing, and script injection through every field.

use std::fs;
use std::time::{Duration, Instant};

use crate::harness::{Edition, html_pages, sel};

/// A hang guard, not a benchmark: minutes-long parsing would trip it.
const HANG_GUARD: Duration = Duration::from_secs(20);

fn assert_no_leftovers(ed: &Edition) {
    let leftovers: Vec<_> = fs::read_dir(ed.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".glossator-"))
        .collect();
    assert!(leftovers.is_empty(), "left {leftovers:?}");
}

#[test]
fn yaml_bombs_and_deep_nesting_are_rejected_by_a_budget() {
    let ed = Edition::fixture("basic");
    // Each alias is a string, as `roles` wants, so only the alias budget
    // (1,000) can stop the 2,000 of them.
    let aliases = vec!["*a"; 2000].join(", ");
    ed.write(
        "content/people/bomb.md",
        &format!("---\nname: &a Bomb\ndescription: x\nroles: [{aliases}]\n---\n"),
    );
    ed.write(
        "content/people/deep.md",
        &format!(
            "---\nname: Deep\ndescription: x\nroles: {}\n---\n",
            "[".repeat(100_000)
        ),
    );
    let start = Instant::now();
    let run = ed.build();
    assert!(start.elapsed() < HANG_GUARD);
    run.failure();
    let err = run.stderr();
    assert!(
        err.contains("content/people/bomb.md:4:4009: error: budget breached: Aliases"),
        "{err}"
    );
    assert!(
        err.contains("content/people/deep.md:4:72: error: recursion limit exceeded"),
        "{err}"
    );
    assert!(err.contains("error: build failed with 2 errors"), "{err}");
}

#[test]
fn oversized_front_matter_is_refused() {
    let ed = Edition::fixture("basic");
    let big = format!(
        "---\ntitle: Big\nsummary: \"{}\"\n---\nText.\n",
        "x".repeat(300 * 1024)
    );
    ed.write("content/pages/big.md", &big);
    let run = ed.build();
    run.failure();
    assert!(
        run.stderr()
            .contains("content/pages/big.md:1:1: error: front matter is"),
        "{}",
        run.stderr()
    );
}

#[test]
fn bom_crlf_and_trailing_blanks_parse_and_keep_line_numbers() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/pages/win.md",
        "\u{feff}--- \r\ntitle: Windows\r\n---  \r\nLine one.\r\n\r\nSee [x](person:nobody).\r\n",
    );
    let run = ed.build();
    run.failure();
    assert!(
        run.stderr()
            .contains("content/pages/win.md:6:5: error: unknown person `nobody`"),
        "{}",
        run.stderr()
    );
    ed.write(
        "content/pages/win.md",
        "\u{feff}--- \r\ntitle: Windows\r\n---  \r\nLine one.\r\n",
    );
    ed.build().success();
    assert!(
        ed.read("site/pages/win/index.html")
            .contains("<h1>Windows</h1>")
    );
}

#[test]
fn deeply_nested_and_pathological_markdown_renders() {
    let ed = Edition::fixture("basic");
    let text = format!(
        "---\ntitle: Deep\n---\n{}quoted\n\n{}item\n\n{}\n\n{}x{}\n",
        "> ".repeat(50_000),
        "- ".repeat(50_000),
        "*a **b ".repeat(20_000),
        "[".repeat(30_000),
        "]".repeat(30_000)
    );
    ed.write("content/03-deep.md", &text);
    let start = Instant::now();
    let run = ed.build();
    assert!(start.elapsed() < HANG_GUARD);
    run.success();
    assert!(ed.read("site/03-deep/index.html").contains("quoted"));
}

#[test]
fn control_characters_are_escaped_and_bidi_controls_warned() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/03-odd.md",
        "---\ntitle: Odd\n---\nNUL\0here, lone\rCR, sep\u{2028}arator, bidi\u{202E}override.\n",
    );
    let run = ed.build();
    run.success();
    assert!(
        run.stderr()
            .contains("content/03-odd.md:5:21: warning: bidirectional control character U+202E"),
        "{}",
        run.stderr()
    );
    let html = ed.read("site/03-odd/index.html");
    assert!(!html.contains('\0') && !html.contains('\u{202E}') && !html.contains('\u{2028}'));
    assert!(
        html.contains("NUL\u{FFFD}here") && html.contains("bidi&#x202E;override"),
        "{html}"
    );
}

#[test]
fn unknown_languages_and_huge_code_blocks_are_plain_with_a_warning() {
    let ed = Edition::fixture("basic");
    let text = format!(
        "---\ntitle: Code\n---\n```nosuchlang\n<b>\n```\n\n```rust\n{}\n```\n",
        "x".repeat(2 * 1024 * 1024)
    );
    ed.write("content/03-code.md", &text);
    let run = ed.build();
    run.success();
    let err = run.stderr();
    assert!(
        err.contains("content/03-code.md:4:1: warning: unknown code-block language `nosuchlang`"),
        "{err}"
    );
    assert!(
        err.contains("content/03-code.md:8:1: warning: code block too large to highlight"),
        "{err}"
    );
    let page = ed.page("03-code/index.html");
    let pres: Vec<String> = page
        .select(&sel("pre code"))
        .map(|c| c.inner_html())
        .collect();
    assert_eq!(pres[0], "&lt;b&gt;\n");
    assert_eq!(pres[1].len(), 2 * 1024 * 1024 + 1);
}

#[cfg(unix)]
#[test]
fn symlink_loops_dangling_links_and_special_files_are_reported() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let before = ed.snapshot();
    std::os::unix::fs::symlink("..", ed.root().join("content/people/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.md", ed.root().join("content/people/dangling.md")).unwrap();
    let fifo = ed.root().join("content/pages/fifo.md");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let run = ed.build();
    run.failure();
    let err = run.stderr();
    assert!(
        err.contains("content/people/loop: error: symbolic link loop"),
        "{err}"
    );
    assert!(
        err.contains("content/people/dangling.md: error: dangling symbolic link"),
        "{err}"
    );
    assert!(err.contains("content/pages/fifo.md: error: cannot read content/pages/fifo.md: it is not a regular file"), "{err}");
    assert_eq!(before, ed.snapshot());
}

#[test]
fn home_and_foreign_folders_are_refused_as_output() {
    let ed = Edition::fixture("basic");
    let home = tempfile::tempdir().unwrap();
    fs::write(home.path().join(".profile"), "keep").unwrap();
    let run = ed.run(&["build", "--out", home.path().to_str().unwrap()]);
    run.failure();
    assert!(
        run.stderr()
            .contains("non-empty folder that glossator did not create"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        fs::read_to_string(home.path().join(".profile")).unwrap(),
        "keep"
    );
    assert_eq!(fs::read_dir(home.path()).unwrap().count(), 1);
}

#[test]
fn a_write_failure_halfway_leaves_the_previous_site_and_no_temporary_folder() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let before = ed.snapshot();
    ed.write(
        "content/02-later.md",
        "---\ntitle: Changed\norder: 2\n---\nNew text.\n\nA second paragraph.\n",
    );
    let mut cmd = assert_cmd::Command::cargo_bin("glossator").unwrap();
    let out = cmd
        .env("GLOSSATOR_TEST_FAIL_WRITE_AT", "5")
        .args(["build", "--root"])
        .arg(ed.root())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("simulated write failure"), "{err}");
    assert_eq!(before, ed.snapshot());
    assert_no_leftovers(&ed);
}

#[test]
fn leftovers_of_a_killed_build_are_cleaned_on_the_next_run() {
    let ed = Edition::fixture("basic");
    let stale = ed.root().join(".site.glossator-tmp-99999");
    fs::create_dir_all(stale.join("people")).unwrap();
    fs::write(stale.join(".glossator-output"), "").unwrap();
    fs::write(stale.join("people/x.html"), "half").unwrap();
    ed.build().success();
    assert!(!stale.exists());
    assert_no_leftovers(&ed);
}

const PAYLOAD: &str =
    r#""><script>alert(1)</script><img src=x onerror=alert(1)> javascript:alert(1)"#;

#[test]
fn injected_markup_in_every_field_never_reaches_the_page_as_markup() {
    let ed = Edition::fixture("basic");
    let p = PAYLOAD.replace('"', "\\\"");
    let q = |s: &str| format!("\"{s}\"");
    let v = q(&p);
    ed.write(
        "content/_index.md",
        &format!("---\ntitle: {v}\nsubtitle: {v}\nauthor: {v}\neditor: {v}\nlicense: {v}\nlanguage: {v}\noriginal:\n  title: {v}\n  outlet: {v}\n  url: {v}\n---\nPreface.\n"),
    );
    ed.write(
        "content/01-beginnings.md",
        &format!(
            "---\ntitle: {v}\norder: 1\nsummary: {v}\nterms:\n  jcpoa:\n    term: {v}\n    definition: {v}\n    aliases: [{v}]\n    category: {v}\nclaims:\n  met-in-geneva:\n    text: {v}\n    status: sourced\n    sources: [new-yorker-interview]\n    date: \"2001\"\n    note: {v}\n---\n[x](source:new-yorker-interview {v}) [y](person:crocker) [z](claim:met-in-geneva) [w](term:jcpoa) [](person:zarif)\n"
        ),
    );
    ed.write(
        "content/people/crocker.md",
        &format!("---\nname: {v}\ndescription: {v}\nsort_as: {v}\nroles: [{v}]\naliases: [{v}]\nlinks:\n  - label: {v}\n    url: {v}\n---\n"),
    );
    ed.write(
        "content/sources/new-yorker-interview.md",
        // A source's URL must be absolute, so its payload follows a real address.
        &format!("---\ntitle: {v}\nauthors: [{v}]\noutlet: {v}\nkind: article\nurl: {}\nnote: {v}\n---\n", q(&format!("https://example.org/{}", p.replace(' ', "")))),
    );
    ed.build().success();
    let mut pages_checked = 0;
    for (path, page) in html_pages(&ed.site()) {
        assert_eq!(
            page.select(&sel("script:not([src]):not([type='application/ld+json'])"))
                .count(),
            0,
            "{path}: inline script"
        );
        assert_eq!(page.select(&sel("img")).count(), 0, "{path}: injected img");
        for el in page.select(&sel("*")) {
            for (name, value) in el.value().attrs() {
                assert!(!name.starts_with("on"), "{path}: event handler {name}");
                let v = value.trim().to_ascii_lowercase();
                if matches!(name, "href" | "src" | "action" | "formaction") {
                    assert!(
                        !v.starts_with("javascript:")
                            && !v.starts_with("data:")
                            && !v.starts_with("vbscript:"),
                        "{path}: {name}={value}"
                    );
                }
            }
        }
        for s in page.select(&sel("script[src]")) {
            assert!(!s.value().attr("src").unwrap().contains("alert"), "{path}");
        }
        pages_checked += 1;
    }
    assert!(pages_checked >= 13);
    let part = ed.read("site/01-beginnings/index.html");
    assert!(
        part.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the payload shows as text"
    );
}

#[test]
fn dangerous_url_schemes_in_fields_are_refused() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/sources/new-yorker-interview.md",
        "---\ntitle: T\nurl: \" JavaScript:alert(1)\"\n---\n",
    );
    ed.write(
        "content/people/zarif.md",
        "---\nname: Z\ndescription: d\nlinks:\n  - label: x\n    url: data:text/html,x\n---\n",
    );
    let run = ed.build();
    run.failure();
    let err = run.stderr();
    assert!(
        err.contains(
            "content/sources/new-yorker-interview.md:3:6: error: `javascript:` URLs are not allowed"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/people/zarif.md:6:10: error: `data:` URLs are not allowed"),
        "{err}"
    );
}

#[test]
fn every_kind_of_unsafe_slug_is_refused_at_its_place() {
    let cases = [
        ("../up", "path separator"),
        ("a/b", "path separator"),
        ("a\\\\b", "path separator"),
        ("..", "it names a parent folder"),
        ("C:", "it starts with a drive letter"),
        ("CON", "it is a reserved device name on Windows"),
        ("nul", "it is a reserved device name on Windows"),
        ("bad\\u0000byte", "it contains a NUL character"),
        (".hidden", "it starts with a dot (a hidden folder)"),
    ];
    let ed = Edition::fixture("basic");
    ed.build().success();
    let before = ed.snapshot();
    for (slug, why) in cases {
        ed.write(
            "content/pages/odd.md",
            &format!("---\ntitle: Odd\nslug: \"{slug}\"\n---\nText.\n"),
        );
        let run = ed.build();
        run.failure();
        let stderr = run.stderr();
        assert!(
            stderr.contains("content/pages/odd.md:3:7: error: unsafe slug"),
            "slug {slug}: {stderr}"
        );
        assert!(
            stderr.lines().any(
                |l| l.starts_with("content/pages/odd.md:3:7: error: unsafe slug")
                    && l.ends_with(why)
            ),
            "slug {slug}: not refused because {why}: {stderr}"
        );
        assert_eq!(before, ed.snapshot(), "slug {slug}: the site changed");
        assert_no_leftovers(&ed);
    }
}

#[test]
fn two_files_mapping_to_one_output_path_are_both_cited() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/03-again.md",
        "---\ntitle: Again\nslug: 01-Beginnings\n---\nText.\n",
    );
    let run = ed.build();
    run.failure();
    let stderr = run.stderr();
    assert!(
        stderr.contains("error: two files map to the same output path"),
        "{stderr}"
    );
    assert!(stderr.contains("content/03-again.md"), "{stderr}");
    assert!(stderr.contains("content/01-beginnings.md"), "{stderr}");
}

#[test]
fn ids_that_differ_only_in_unicode_form_collide() {
    let ed = Edition::fixture("basic");
    // A fullwidth `ｚ` folds to `z` under NFKC: to a reader the two IDs are
    // the same word, so they must not name two people.
    ed.write(
        "content/people/\u{ff5a}arif.md",
        "---\nname: Another Zarif\ndescription: One.\n---\n",
    );
    let run = ed.build();
    run.failure();
    let stderr = run.stderr();
    assert!(
        stderr.contains(
            "error: person ID `\u{ff5a}arif` collides with `zarif`: they differ only in case or Unicode form"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("content/people/zarif.md"), "{stderr}");
}

#[test]
fn a_content_file_over_the_size_limit_is_refused_unread() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    let before = ed.snapshot();
    // One byte over 16 MiB; a sparse file, so the test writes almost nothing.
    let big = fs::File::create(ed.root().join("content/big.md")).unwrap();
    big.set_len(16 * 1024 * 1024 + 1).unwrap();
    let run = ed.build();
    run.failure();
    assert!(
        run.stderr().contains(
            "error: content/big.md is 16777217 bytes, over the 16777216 byte limit for a content file"
        ),
        "{}",
        run.stderr()
    );
    assert_eq!(before, ed.snapshot());
}
