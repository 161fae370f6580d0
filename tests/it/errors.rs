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

/// Builds a failing case with diagnostics in the given style.
fn stderr_in_style(case: &str, style: &str) -> String {
    let ed = Edition::fixture("basic");
    copy_tree(
        &fixtures().join("errors").join(case).join("files"),
        ed.root(),
    );
    let out = assert_cmd::Command::cargo_bin("glossator")
        .unwrap()
        .env("GLOSSATOR_DIAGNOSTICS", style)
        .args(["build", "--root"])
        .arg(ed.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stderr).unwrap()
}

/// The whole of one diagnostic as a person at a terminal sees it: location
/// and message once, the source line with its marker, the did-you-mean and
/// the code.
#[test]
fn a_diagnostic_shows_the_source_line_marker_and_help() {
    insta::assert_snapshot!(stderr_in_style("unknown-mention-id", "full"));
}

/// For editors and CI: the headline, then the help and the other places on
/// indented lines of their own.
#[test]
fn a_compact_diagnostic_is_its_headline_and_indented_help() {
    insta::assert_snapshot!(stderr_in_style("duplicate-id", "compact"));
}

/// Each headline is printed exactly once, in either style.
#[test]
fn a_diagnostic_headline_is_printed_once() {
    for style in ["full", "compact"] {
        let stderr = stderr_in_style("unknown-mention-id", style);
        assert_eq!(
            stderr.matches("unknown person `crockr`").count(),
            1,
            "{style}:\n{stderr}"
        );
    }
}

/// A file that fails to parse is the one error shown for it: the references
/// to the entity it would have defined are counted in a note on that error,
/// not reported one by one as unknown.
#[test]
fn a_broken_entity_file_is_one_error_not_a_cascade() {
    let stderr = stderr_in_style("cascade-broken-entity", "compact");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error: ")).collect();
    assert_eq!(
        errors,
        [
            "content/people/crocker.md:3:14: error: this quote is never closed",
            "error: build failed with 1 error; the previous output was left untouched",
        ],
        "{stderr}"
    );
    assert!(!stderr.contains("unknown person"), "{stderr}");
}

/// Parse errors come before the resolution errors, whatever the file names.
#[test]
fn root_causes_come_first() {
    let stderr = stderr_in_style("several-errors", "compact");
    let parse = stderr.find("content/people/bad.md:3:1: error: unknown field");
    let resolve = stderr.find("content/03-more.md:4:12: error: unknown person");
    assert!(parse.unwrap() < resolve.unwrap(), "{stderr}");
}

/// Two parts with the same `order`: a warning naming both files, an error
/// under `--strict` that leaves the previous site as it was.
#[test]
fn two_parts_with_the_same_order_are_named() {
    let ed = Edition::fixture("basic");
    ed.write(
        "content/03-more.md",
        "---\ntitle: More\norder: 1\n---\nText.\n",
    );
    let message = "content/01-beginnings.md and content/03-more.md both have `order: 1`";
    let warned = ed.build();
    warned.success();
    assert!(
        warned
            .stderr()
            .contains(&format!("content/03-more.md:3:1: warning: {message}")),
        "{}",
        warned.stderr()
    );
    let before = ed.snapshot();
    let strict = ed.run(&["build", "--strict"]);
    strict.failure();
    assert!(
        strict
            .stderr()
            .contains(&format!("content/03-more.md:3:1: error: {message}")),
        "{}",
        strict.stderr()
    );
    assert_eq!(before, ed.snapshot());
}

/// docs/errors.md lists every diagnostic code.
#[test]
fn every_code_is_documented() {
    let docs = fs::read_to_string(fixtures().join("../../docs/errors.md")).unwrap();
    for code in glossator::codes::Code::ALL {
        assert!(
            docs.contains(&format!("`{}`", code.name())),
            "docs/errors.md lacks the code `{}`",
            code.name()
        );
    }
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
