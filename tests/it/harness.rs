//! Shared test harness: copies a fixture edition to a temporary folder, runs
//! the real `glossator` binary on it, and reads the output with an HTML parser.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use scraper::{Html, Selector};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture edition copied into a temporary folder.
pub struct Edition {
    pub dir: tempfile::TempDir,
}

impl Edition {
    /// Copies `tests/fixtures/NAME` (its `content/` and any other files).
    pub fn fixture(name: &str) -> Edition {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(&fixtures().join(name), dir.path());
        let _ = fs::remove_dir_all(dir.path().join("site"));
        Edition { dir }
    }

    /// A copy of the edition folder `root`, with everything in it (a built
    /// site too), so a test can start from a build without running one.
    pub fn copy_of(root: &Path) -> Edition {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(root, dir.path());
        Edition { dir }
    }

    /// The edition in the repository's `content/`, copied.
    pub fn bundled() -> Edition {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
            &dir.path().join("content"),
        );
        Edition { dir }
    }

    /// A generated edition of `n` parts (`001-part.md`, …) of two short
    /// paragraphs each: "The first paragraph of part N." and "The second,
    /// in part N."
    pub fn many_parts(n: usize) -> Edition {
        let ed = Edition {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        ed.write("content/_index.md", "---\ntitle: Many Parts\n---\n");
        for i in 1..=n {
            ed.write(
                &format!("content/{i:03}-part.md"),
                &format!(
                    "---\ntitle: Part {i}\n---\nThe first paragraph of part {i}.\n\nThe second, in part {i}.\n"
                ),
            );
        }
        ed
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn site(&self) -> PathBuf {
        self.root().join("site")
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Runs `glossator ARGS --root ROOT` from a neutral working folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let cwd = tempfile::tempdir().unwrap();
        let mut cmd = Command::cargo_bin("glossator").unwrap();
        cmd.current_dir(cwd.path())
            .args(args)
            .arg("--root")
            .arg(self.root());
        Run(cmd.output().unwrap())
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// The output folder as a map of path → bytes.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        tree_bytes(&self.site())
    }

    pub fn page(&self, rel: &str) -> Html {
        Html::parse_document(
            &fs::read_to_string(self.site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")),
        )
    }
}

pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0
            .status
            .code()
            .expect("exited normally, not by a signal")
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code(),
            0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
    #[track_caller]
    pub fn failure(&self) -> &Self {
        assert_eq!(
            self.code(),
            1,
            "expected exit code 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        assert!(!self.stderr().contains("panicked"), "{}", self.stderr());
        self
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn tree_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    out
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Every `.html` file of a site, parsed.
pub fn html_pages(site: &Path) -> BTreeMap<String, Html> {
    tree_bytes(site)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, Html::parse_document(&String::from_utf8(b).unwrap())))
        .collect()
}

/// Resolves a relative `href` found on page `from` to a site path and fragment.
pub fn resolve_href(from: &str, href: &str) -> Option<(String, Option<String>)> {
    if href.contains("://") || href.starts_with("mailto:") || href.starts_with("//") {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    if path.is_empty() {
        return Some((from.to_string(), fragment));
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if joined.is_empty() || path.ends_with('/') {
        joined = format!("{joined}/index.html")
            .trim_start_matches('/')
            .to_string();
    }
    Some((joined, fragment))
}

/// The ids defined on a page.
pub fn ids(page: &Html) -> std::collections::HashSet<String> {
    page.select(&sel("[id]"))
        .filter_map(|e| e.value().attr("id").map(str::to_string))
        .collect()
}
