//! Bad input, one fixture per error kind: `tests/fixtures/errors/CASE/` holds
//! files laid over a copy of the basic edition and an `expected` file whose
//! lines must each appear in the error output. Its first line is the first
//! diagnostic, `path:line:col: error: …`, and it lists every error the case
//! gives: the run must report exactly as many. Each case runs through `build`
//! (exit code 1, the previous site untouched to the byte and the modification
//! time, no temporary folder left) and through `check` (the same errors).

use std::fs;

use crate::cases::{
    Case, assert_lines_shown, headlines, is_headline, is_located_headline, leftovers, run_shard,
    site_state, summary_count,
};
use crate::harness::{Edition, copy_tree, fixtures};

/// The errors a case expects: a non-empty list whose first line is located.
fn expected_errors(case: &Case) -> (Vec<String>, usize) {
    let expected = case.expected();
    assert!(
        is_located_headline(&expected[0], "error"),
        "the first line of expected must be `path:line:col: error: …`, not `{}`",
        expected[0]
    );
    let count = expected.iter().filter(|l| is_headline(l, "error")).count();
    (expected, count)
}

/// A failed run shows every expected line and exactly `count` errors, both
/// as headlines and in the final summary.
#[track_caller]
fn assert_fails_with(run: &crate::harness::Run, expected: &[String], count: usize, verb: &str) {
    run.failure();
    let stderr = run.stderr();
    assert_lines_shown(expected, &stderr, verb);
    assert_eq!(
        headlines(&stderr, "error"),
        count,
        "{verb}: expected {count} error(s) in:\n{stderr}"
    );
    assert_eq!(
        summary_count(&stderr),
        Some(count),
        "{verb}: the summary does not count {count} error(s):\n{stderr}"
    );
}

/// `built` is a basic edition with its site built, copied for each case.
fn run_case(case: &Case, built: &Edition) {
    let (expected, count) = expected_errors(case);
    let ed = case.edition(built.root());
    let before = site_state(&ed);
    assert!(before.contains_key("index.html"), "no previous site");

    assert_fails_with(&ed.build(), &expected, count, "build");
    assert!(
        before == site_state(&ed),
        "build: the previous site changed"
    );
    assert_eq!(
        leftovers(ed.root()),
        Vec::<String>::new(),
        "build: temporary folders left"
    );

    assert_fails_with(&ed.run(&["check"]), &expected, count, "check");
    assert!(
        before == site_state(&ed),
        "check: the previous site changed"
    );
}

/// The cases are split in four tests, so that they run beside the others.
const SHARDS: usize = 4;

fn run_error_shard(shard: usize) {
    let built = Edition::fixture("basic");
    built.build().success();
    run_shard("errors", shard, SHARDS, |case| run_case(case, &built));
}

#[test]
fn every_error_case_fails_cleanly_with_its_location_and_count_1() {
    run_error_shard(0);
}

#[test]
fn every_error_case_fails_cleanly_with_its_location_and_count_2() {
    run_error_shard(1);
}

#[test]
fn every_error_case_fails_cleanly_with_its_location_and_count_3() {
    run_error_shard(2);
}

#[test]
fn every_error_case_fails_cleanly_with_its_location_and_count_4() {
    run_error_shard(3);
}

#[test]
fn every_error_case_folder_is_found() {
    let found = crate::cases::cases("errors").len();
    assert!(found >= 29, "only {found} error cases");
}

/// docs/errors.md lists every error the fixtures produce, with its message.
#[test]
fn every_error_case_is_documented() {
    let docs = fs::read_to_string(fixtures().join("../../docs/errors.md")).unwrap();
    for case in crate::cases::cases("errors") {
        for line in case.expected().iter().filter(|l| l.contains("error: ")) {
            let message = line.split("error: ").nth(1).unwrap();
            let message = message.split(", expected").next().unwrap();
            assert!(
                docs.contains(message),
                "docs/errors.md lacks `{message}` (case {})",
                case.name
            );
        }
    }
}

/// The whole of one diagnostic as an editor sees it: location, message, the
/// source line with its marker, and the did-you-mean.
#[test]
fn a_diagnostic_shows_the_source_line_marker_and_help() {
    let case = fixtures().join("errors").join("unknown-mention-id");
    let ed = Edition::fixture("basic");
    copy_tree(&case.join("files"), ed.root());
    let run = ed.build();
    run.failure();
    insta::assert_snapshot!(run.stderr());
}

/// An error that belongs to no line of a file, such as a missing file or
/// folder, has no case folder (whose first line must be located): `build`
/// and `check` report exactly `message`, once, and leave the site as it was.
#[track_caller]
fn assert_refused_without_a_place(ed: &Edition, message: &str) {
    let before = site_state(ed);
    for verb in ["build", "check"] {
        let run = ed.run(&[verb]);
        assert_fails_with(&run, &[message.to_string()], 1, verb);
        assert!(
            before == site_state(ed),
            "{verb}: the previous site changed"
        );
    }
    assert_eq!(leftovers(ed.root()), Vec::<String>::new());
}

#[test]
fn a_missing_index_is_an_error_and_the_site_is_kept() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    fs::remove_file(ed.root().join("content/_index.md")).unwrap();
    assert_refused_without_a_place(&ed, "error: content/_index.md is missing");
}

#[test]
fn a_missing_content_folder_is_one_error() {
    let ed = Edition::fixture("basic");
    ed.build().success();
    fs::rename(ed.root().join("content"), ed.root().join("contents")).unwrap();
    let folder = ed.root().join("content");
    assert_refused_without_a_place(
        &ed,
        &format!("error: no content folder at {}", folder.display()),
    );
}
