//! Data-driven fixture cases (`tests/fixtures/errors/`, `tests/fixtures/warnings/`):
//! every folder is a case, found by listing the folder, so a new case runs
//! without being named anywhere. Each case holds files laid over a copy of the
//! basic edition (`files/`), optionally a `remove` list, and an `expected` file
//! whose lines must each appear in standard error.
//!
//! The cases of a folder run in a few `#[test]`s (shards), each spread over
//! two threads, and every failing case is reported, not only the first (as
//! mdBook's testsuite does). `GLOSSATOR_CASES=a,b cargo test --test it
//! errors::` runs only the cases named.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use crate::harness::{Edition, copy_tree, fixtures};

/// One case folder of `tests/fixtures/KIND/`.
pub struct Case {
    pub name: String,
    pub dir: PathBuf,
}

impl Case {
    /// The lines of `expected` that are not blank. Panics if there are none:
    /// an empty expectation would let any output pass.
    pub fn expected(&self) -> Vec<String> {
        let text = fs::read_to_string(self.dir.join("expected"))
            .unwrap_or_else(|e| panic!("{}/expected: {e}", self.dir.display()));
        let lines: Vec<String> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        assert!(
            !lines.is_empty(),
            "{}/expected is empty",
            self.dir.display()
        );
        lines
    }

    /// A copy of `base` (an edition folder, with its site if it was built)
    /// with this case's files laid over it and its `remove` list removed.
    pub fn edition(&self, base: &Path) -> Edition {
        let ed = Edition::copy_of(base);
        // A case that only removes files has no `files/` (git keeps no empty folder).
        if self.dir.join("files").is_dir() {
            copy_tree(&self.dir.join("files"), ed.root());
        }
        if let Ok(removed) = fs::read_to_string(self.dir.join("remove")) {
            for rel in removed.lines().filter(|l| !l.is_empty()) {
                fs::remove_file(ed.root().join(rel))
                    .unwrap_or_else(|e| panic!("remove {rel}: {e}"));
            }
        }
        ed
    }
}

/// Every case folder of `tests/fixtures/KIND/`, by name.
pub fn cases(kind: &str) -> Vec<Case> {
    let dir = fixtures().join(kind);
    let mut cases: Vec<Case> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|dir| Case {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            dir,
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// Runs `check` on shard `shard` of `shards` of the cases of
/// `tests/fixtures/KIND/` (every `shards`-th case, so the test binary can
/// spread one folder's cases over its threads) or on those named in
/// `GLOSSATOR_CASES`, a few at a time, and panics with the message of every
/// case that failed. Returns how many cases ran.
pub fn run_shard(kind: &str, shard: usize, shards: usize, check: impl Fn(&Case) + Sync) -> usize {
    let wanted: Option<Vec<String>> = std::env::var("GLOSSATOR_CASES")
        .ok()
        .map(|v| v.split(',').map(str::to_string).collect());
    let queue: Vec<Case> = cases(kind)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % shards == shard)
        .map(|(_, c)| c)
        .filter(|c| wanted.as_ref().is_none_or(|w| w.contains(&c.name)))
        .collect();
    let total = queue.len();
    if wanted.is_some() {
        // On the real standard error, so a filter that matched nothing shows.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "GLOSSATOR_CASES: running {total} {kind} case(s)"
        );
    }
    let queue = Mutex::new(queue);
    let failures = Mutex::new(Vec::new());
    // Two workers: the test binary runs other tests beside this one.
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some(case) = queue.lock().unwrap().pop() {
                    let outcome =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&case)));
                    if let Err(panic) = outcome {
                        failures.lock().unwrap().push(format!(
                            "case {}: {}",
                            case.name,
                            panic_message(&panic)
                        ));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {total} {kind} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    total
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(a panic without a message)".to_string())
}

/// Whether `line` is the first line of a located diagnostic of `severity`:
/// `path:line:col: severity: message`.
pub fn is_located_headline(line: &str, severity: &str) -> bool {
    let Some((place, _message)) = line.split_once(&format!(": {severity}: ")) else {
        return false;
    };
    let mut parts = place.rsplitn(3, ':');
    let (Some(col), Some(line_no), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    number(col) && number(line_no) && !path.is_empty() && !path.contains(char::is_whitespace)
}

/// Whether `line` is the first line of a diagnostic of `severity`, located
/// (`path:line:col: `), naming only a file (`path: `) or neither; the final
/// summary line is not one.
pub fn is_headline(line: &str, severity: &str) -> bool {
    if line.starts_with("error: build failed with ") {
        return false;
    }
    if line.starts_with(&format!("{severity}: ")) {
        return true;
    }
    line.split_once(&format!(": {severity}: "))
        .is_some_and(|(place, _)| !place.is_empty() && !place.contains(char::is_whitespace))
}

/// How many diagnostics of `severity` the text holds, counted by headline.
pub fn headlines(text: &str, severity: &str) -> usize {
    text.lines().filter(|l| is_headline(l, severity)).count()
}

/// The N of the final `error: build failed with N error(s)` line.
pub fn summary_count(stderr: &str) -> Option<usize> {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("error: build failed with "))?;
    line["error: build failed with ".len()..]
        .split(' ')
        .next()?
        .parse()
        .ok()
}

/// Every line of `expected` appears in `stderr`.
#[track_caller]
pub fn assert_lines_shown(expected: &[String], stderr: &str, what: &str) {
    for line in expected {
        assert!(
            stderr.contains(line.as_str()),
            "{what}: expected `{line}` in:\n{stderr}"
        );
    }
}

/// The output folder as path → (bytes, modification time): what a failed
/// build must leave exactly as it was.
pub fn site_state(ed: &Edition) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    ed.snapshot()
        .into_iter()
        .map(|(rel, bytes)| {
            let modified = fs::metadata(ed.site().join(&rel))
                .and_then(|m| m.modified())
                .unwrap();
            (rel, (bytes, modified))
        })
        .collect()
}

/// The temporary folders of an interrupted build left in the edition folder.
pub fn leftovers(root: &Path) -> Vec<String> {
    fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".glossator-"))
        .collect()
}

#[test]
fn headlines_are_told_from_other_lines() {
    let located = "content/a.md:4:12: error: unknown person `x`";
    assert!(is_located_headline(located, "error") && is_headline(located, "error"));
    assert!(!is_located_headline(
        "content/a.md: error: cannot read",
        "error"
    ));
    assert!(is_headline("content/a.md: error: cannot read", "error"));
    assert!(is_headline("error: content/_index.md is missing", "error"));
    assert!(!is_headline("error: build failed with 1 error", "error"));
    assert!(!is_headline("  3 │ title: error: x", "error"));
    assert!(!is_located_headline("content/a.md:4:x: error: y", "error"));
    assert!(!is_headline("content/a.md:4:12: warning: y", "error"));
    assert!(is_located_headline(
        "content/a.md:4:12: warning: y",
        "warning"
    ));
    assert_eq!(
        summary_count(
            "x\nerror: build failed with 12 errors; the previous output was left untouched\n"
        ),
        Some(12)
    );
}
