//! Property tests: generated content files never panic the build, and
//! escaping holds for arbitrary strings.
//!
//! Most generated files are text shaped like an edition's (front matter with
//! real field names, Markdown with mentions, links, code and emphasis), half
//! of them with a few things an edition must refuse (unknown mentions, stray
//! footnotes, raw HTML, control characters, a second `---`), so they get past
//! decoding into YAML, Markdown, resolution and rendering; a small share ends
//! in raw bytes, for the decoder. The test counts how far the
//! cases got and fails if too few reach each stage, so a generator that
//! drifts into producing only rejected input is noticed.

use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use glossator::diagnostics::Diagnostics;
use glossator::{BuildOptions, build::load_and_render};

use crate::harness::Edition;

const CASES: u32 = 64;

/// Where a generated file goes: a part, a person or a page.
const PLACES: [&str; 3] = [
    "content/03-fuzz.md",
    "content/people/fuzz.md",
    "content/pages/fuzz.md",
];

/// A front-matter field the file's kind knows, with a value of its type.
fn field(place: usize) -> BoxedStrategy<String> {
    match place {
        0 => prop_oneof![
            "order: [0-9]{1,3}",
            "summary: [A-Za-z][A-Za-z ]{0,11}",
            "slug: [a-z][a-z0-9-]{0,8}",
        ]
        .boxed(),
        1 => prop_oneof![
            "aliases: \\[[A-Z][a-z]{1,8}\\]",
            "roles: \\[[a-z]{1,8}\\]",
            "born: \"1[89][0-9]{2}\"",
            "sort_as: [A-Za-z][A-Za-z ]{0,11}",
        ]
        .boxed(),
        _ => prop_oneof![
            "summary: [A-Za-z][A-Za-z ]{0,11}",
            "slug: [a-z][a-z0-9-]{0,8}"
        ]
        .boxed(),
    }
}

/// Front matter with the fields the kind requires, then a few more.
fn front_matter(place: usize) -> impl Strategy<Value = String> {
    let required = match place {
        1 => "name: Fuzz\ndescription: A generated person.\n",
        _ => "title: Fuzz\n",
    };
    proptest::collection::vec(field(place), 0..3).prop_map(move |fields| {
        let mut fm = format!("---\n{required}");
        for f in fields {
            fm.push_str(&f);
            fm.push('\n');
        }
        fm.push_str("---\n");
        fm
    })
}

/// Markdown built from pieces an edition uses: mentions of entities that
/// exist, emphasis, headings, lists, quotes, code and links between parts.
fn good_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[A-Za-z][A-Za-z ,.]{0,20}",
        1 => Just("[Crocker](person:crocker)".to_string()),
        1 => Just("[](person:zarif)".to_string()),
        1 => Just("[the deal](term:jcpoa)".to_string()),
        1 => Just("[he met them](claim:met-in-geneva)".to_string()),
        1 => Just("[an interview](source:new-yorker-interview \"p. 4\")".to_string()),
        1 => "\\[x\\]\\((02-later|01-beginnings)\\.md(#p[12])?\\)",
        1 => " (\\*\\*|\\*|`|_)",
        2 => Just("\n\n".to_string()),
        1 => "\n\n(# |## |> |- |1\\. )",
        1 => Just("\n\n```rust\nfn main() {}\n```\n\n".to_string()),
        1 => "[\u{e9}\u{20ac}\u{2014}\u{201c}]",
    ]
}

/// What a file must not hold: each gives a diagnostic at its place.
fn bad_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\[x\\]\\((person|term|persn):[a-z]{1,8}\\)",
        "\\[\\^[a-z0-9]{1,3}\\]",
        "\n\n\\[\\^[a-z0-9]{1,3}\\]: [a-z ]{1,10}\n",
        Just("[x](none.md)".to_string()),
        "<(b|i|script)>",
        "[\\x00-\\x1f\u{202e}\u{2028}]",
        "\n(order|slug|name): [^\\n]{0,12}\n",
        Just("\n---\n".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
    ]
}

/// A body of good pieces, and in one case of two a few bad ones among them.
fn body() -> impl Strategy<Value = String> {
    let bad = prop_oneof![
        1 => Just(Vec::new()),
        1 => proptest::collection::vec((any::<proptest::sample::Index>(), bad_piece()), 1..4),
    ];
    (proptest::collection::vec(good_piece(), 0..20), bad).prop_map(|(mut pieces, bad)| {
        for (at, piece) in bad {
            let at = at.index(pieces.len() + 1);
            pieces.insert(at, piece);
        }
        pieces.concat()
    })
}

/// A generated content file: its place and its bytes. Nine in ten are text;
/// the rest is text with raw bytes after it, mostly not UTF-8.
fn content_file() -> impl Strategy<Value = (usize, Vec<u8>)> {
    let text = (0usize..3).prop_flat_map(|place| {
        (front_matter(place), body()).prop_map(move |(fm, body)| (place, format!("{fm}{body}")))
    });
    let bytes = proptest::collection::vec(any::<u8>(), 1..400);
    prop_oneof![
        9 => text.clone().prop_map(|(place, t)| (place, t.into_bytes())),
        1 => (text, bytes).prop_map(|((place, t), b)| {
            let mut content = t.into_bytes();
            content.extend(b);
            (place, content)
        }),
    ]
}

/// How many cases reached each stage.
#[derive(Default)]
struct Reached {
    cases: AtomicUsize,
    /// Valid UTF-8: the file went on to its front matter and Markdown.
    decoded: AtomicUsize,
    /// No error in the generated file itself: its YAML and Markdown were accepted.
    parsed: AtomicUsize,
    /// The whole edition rendered.
    rendered: AtomicUsize,
}

/// Any generated content file gives a result or diagnostics, never a panic.
#[test]
fn generated_content_files_give_a_result_or_diagnostics() {
    let reached = Reached::default();
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        ..Config::default()
    });
    let outcome = runner.run(&content_file(), |(place, content)| {
        let ed = Edition::fixture("basic");
        let rel = PLACES[place];
        std::fs::write(ed.root().join(rel), &content).unwrap();
        let opts = BuildOptions {
            write: false,
            ..BuildOptions::new(ed.root())
        };
        let mut diags = Diagnostics::default();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            load_and_render(&opts, &mut diags)
        }));
        prop_assert!(
            result.is_ok(),
            "panicked on {:?}",
            String::from_utf8_lossy(&content)
        );
        let rendered = result.unwrap();
        prop_assert!(
            rendered.is_some() || diags.has_errors(),
            "no output and no error"
        );
        for d in &diags.items {
            prop_assert!(!d.message.is_empty());
        }
        reached.cases.fetch_add(1, Ordering::Relaxed);
        if std::str::from_utf8(&content).is_ok() {
            reached.decoded.fetch_add(1, Ordering::Relaxed);
            let in_file = |d: &glossator::diagnostics::Diagnostic| {
                d.is_error() && d.location().is_some_and(|l| l.starts_with(rel))
            };
            if !diags.items.iter().any(in_file) {
                reached.parsed.fetch_add(1, Ordering::Relaxed);
            }
        }
        if rendered.is_some() {
            reached.rendered.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let [cases, decoded, parsed, rendered] = [
        &reached.cases,
        &reached.decoded,
        &reached.parsed,
        &reached.rendered,
    ]
    .map(|n| n.load(Ordering::Relaxed));
    // On the real standard error: libtest would swallow an `eprintln!`.
    let _ = writeln!(
        std::io::stderr(),
        "properties: of {cases} generated files, {decoded} were decoded, {parsed} parsed without error, {rendered} rendered"
    );
    assert_eq!(cases, CASES as usize);
    // Nine in ten are text, and about half of those have nothing bad in them
    // (of 64, some 57 decode and 25 render). The cases are random, so the
    // bounds sit about four standard deviations below that, yet far above
    // what a generator gone wrong gives (raw bytes appended to every case,
    // as before: 1 in 64 parsed).
    assert!(
        decoded * 10 >= cases * 7,
        "only {decoded} of {cases} decoded"
    );
    assert!(
        parsed * 100 >= cases * 15,
        "only {parsed} of {cases} parsed"
    );
    assert!(
        rendered * 100 >= cases * 15,
        "only {rendered} of {cases} rendered"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Escaped text never contains markup characters outside entities.
    #[test]
    fn escaping_holds_for_arbitrary_strings(s in any::<String>()) {
        let escaped = glossator::esc(&s);
        prop_assert!(!escaped.contains('<') && !escaped.contains('>') && !escaped.contains('"') && !escaped.contains('\''));
        let neutral = glossator::neutralize_controls(escaped);
        prop_assert!(!neutral.contains('\0'));
    }
}
