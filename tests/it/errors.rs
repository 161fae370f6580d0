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
