//! Warnings, one fixture per kind: `tests/fixtures/warnings/CASE/` holds files
//! laid over a copy of the basic edition and an `expected` file whose lines
//! must each appear in standard error, the first being the first warning. It
//! lists every warning the case gives. Under `build` the site is written
//! (exit code 0) with exactly those warnings; under `--strict` each becomes an
//! error, the run exits with code 1 and the site just written is untouched.

use std::fs;

use crate::cases::{
    Case, assert_lines_shown, cases, headlines, is_headline, leftovers, run_shard, site_state,
    summary_count,
};
use crate::harness::{Edition, fixtures};

/// `basic` is a copy of the basic edition, not built, copied for each case.
fn run_case(case: &Case, basic: &Edition) {
    let expected = case.expected();
    assert!(
        is_headline(&expected[0], "warning"),
        "the first line of expected must be a warning, not `{}`",
        expected[0]
    );
    let count = expected
        .iter()
        .filter(|l| is_headline(l, "warning"))
        .count();
    let ed = case.edition(basic.root());

    let run = ed.build();
    run.success();
    let stderr = run.stderr();
    assert_lines_shown(&expected, &stderr, "build");
    assert_eq!(
        headlines(&stderr, "warning"),
        count,
        "build: expected {count} warning(s) in:\n{stderr}"
    );
    assert!(
        ed.site().join("index.html").is_file(),
        "build: no site written"
    );
    let before = site_state(&ed);

    // Under --strict: the same diagnostics, now errors, and the site kept.
    let as_errors: Vec<String> = expected
        .iter()
        .map(|l| l.replacen("warning: ", "error: ", 1))
        .collect();
    let run = ed.run(&["build", "--strict"]);
    run.failure();
    let stderr = run.stderr();
    assert_lines_shown(&as_errors, &stderr, "build --strict");
    assert_eq!(
        (headlines(&stderr, "error"), summary_count(&stderr)),
        (count, Some(count)),
        "build --strict: expected {count} error(s) in:\n{stderr}"
    );
    assert_eq!(
        headlines(&stderr, "warning"),
        0,
        "build --strict:\n{stderr}"
    );
    assert!(
        before == site_state(&ed),
        "build --strict: the previous site changed"
    );
    assert_eq!(
        leftovers(ed.root()),
        Vec::<String>::new(),
        "temporary folders left"
    );
}

#[test]
fn every_warning_case_builds_and_fails_under_strict() {
    let basic = Edition::fixture("basic");
    let ran = run_shard("warnings", 0, 1, |case| run_case(case, &basic));
    if std::env::var_os("GLOSSATOR_CASES").is_none() {
        assert!(ran >= 8, "only {ran} warning cases");
    }
}

/// The message of the first code span of a docs/errors.md example cell, after
/// its severity: `` `path:1:1: warning: text` `` gives `text`.
fn documented_message(example: &str, severity: &str) -> Option<String> {
    let example = example.trim();
    let fence = if example.starts_with("``") { "``" } else { "`" };
    let span = example.strip_prefix(fence)?;
    let span = &span[..span.find(fence)?];
    let message = span.split_once(&format!("{severity}: "))?.1;
    Some(message.trim().to_string())
}

/// Every warning docs/errors.md lists has a case in `tests/fixtures/warnings/`
/// that gives the documented message.
#[test]
fn every_documented_warning_has_a_case() {
    let docs = fs::read_to_string(fixtures().join("../../docs/errors.md")).unwrap();
    let expected: Vec<String> = cases("warnings")
        .iter()
        .flat_map(|c| c.expected())
        .collect();
    let mut documented = 0;
    for row in docs.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split(" | ").collect();
        if cells.len() < 2 || !cells[0].contains("(warning)") {
            continue;
        }
        let message = documented_message(cells[1].trim_end_matches('|'), "warning")
            .unwrap_or_else(|| panic!("docs/errors.md: no example message in `{row}`"));
        documented += 1;
        assert!(
            expected.iter().any(|l| l.contains(&message)),
            "no case in tests/fixtures/warnings/ gives the documented warning `{message}`"
        );
    }
    assert!(
        documented >= 8,
        "only {documented} warnings found in docs/errors.md"
    );
}
