//! Bad input, one fixture per error kind: `tests/fixtures/errors/CASE/` holds
//! files laid over a copy of the basic edition and an `expected` file whose
//! lines must each appear in the error output (`path:line:col` first). Every
//! case must exit with code 1 and leave the previous site byte-identical.

use std::fs;

use crate::harness::{Edition, copy_tree, fixtures};

fn run_case(name: &str) {
    let case = fixtures().join("errors").join(name);
    let ed = Edition::fixture("basic");
    ed.build().success();
    let before = ed.snapshot();
    assert!(!before.is_empty());
    // A case that only removes files has no `files/` (git keeps no empty folder).
    if case.join("files").is_dir() {
        copy_tree(&case.join("files"), ed.root());
    }
    if let Ok(removed) = fs::read_to_string(case.join("remove")) {
        for rel in removed.lines().filter(|l| !l.is_empty()) {
            fs::remove_file(ed.root().join(rel)).unwrap();
        }
    }
    let run = ed.build();
    run.failure();
    let stderr = run.stderr();
    let expected = fs::read_to_string(case.join("expected")).unwrap();
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            stderr.contains(line),
            "case {name}: expected `{line}` in:\n{stderr}"
        );
    }
    assert_eq!(
        before,
        ed.snapshot(),
        "case {name}: the previous site changed"
    );
    let leftovers: Vec<_> = fs::read_dir(ed.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".glossator-"))
        .collect();
    assert!(leftovers.is_empty(), "case {name}: left {leftovers:?}");
}

#[test]
fn every_error_case_fails_cleanly_with_its_location() {
    let dir = fixtures().join("errors");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 20, "only {} error cases", names.len());
    for name in names {
        run_case(&name);
    }
}

/// docs/errors.md lists every error the fixtures produce, with its message.
#[test]
fn every_error_case_is_documented() {
    let docs = fs::read_to_string(fixtures().join("../../docs/errors.md")).unwrap();
    let dir = fixtures().join("errors");
    for entry in fs::read_dir(&dir).unwrap() {
        let case = entry.unwrap().path();
        let expected = fs::read_to_string(case.join("expected")).unwrap();
        for line in expected.lines().filter(|l| l.contains("error: ")) {
            let message = line.split("error: ").nth(1).unwrap();
            let message = message.split(", expected").next().unwrap();
            assert!(
                docs.contains(message),
                "docs/errors.md lacks `{message}` ({})",
                case.display()
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
