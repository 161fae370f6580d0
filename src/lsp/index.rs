//! The adapter between the engine and the editor features. With `extract`
//! and `card`, which read the facts out of a parse, it is the only part of
//! `src/lsp/` (and of `glossator suggest`) that reads the model, the
//! parser's records and the resolver (`load`, `parse`, `raw`, `model`,
//! `resolve`). The other files see diagnostics, source texts and `facts`, no
//! more.
//!
//! [`Analysis`] runs load → parse → resolve over the files on disk with the
//! editor's unsaved text laid over them, reparsing only files whose text
//! changed and resolving again only the part whose text alone changed
//! (`Resolved::resolve_part_again`), as `serve` does. From each file's
//! parse it keeps plain [`Facts`]: the entities the file defines, the
//! mentions and references it makes (with their byte ranges), its anchors and
//! headings. The features are written against those facts alone, so a change
//! to the model touches these three files and no other.
//!
//! Facts come from the parse, not from the resolved model: they are there
//! even while the edition has errors, and their positions are those of the
//! text being edited.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::extract::{file_facts, index_facts};
use super::facts::{Entity, Facts, Kind};
use crate::diagnostics::{Diagnostic, SourceText};
use crate::load::{self, FileKind, LoadCache, LoadedFile};
use crate::parse::{self, ParsedFile, ParsedIndex};
use crate::resolve::{self, Resolved};

type ParseResult<T> = (Option<T>, Vec<Diagnostic>);

/// One file's parse, kept while its text stays the same.
struct FileState {
    source: Arc<SourceText>,
    kind: FileKind,
    allow_html: bool,
    result: ParseResult<ParsedFile>,
    /// The last parse of this file that succeeded, stood in for a failed
    /// one so the rest of the edition does not report what it defines as
    /// missing.
    good: Option<ParsedFile>,
    facts: Facts,
}

struct IndexState {
    source: Arc<SourceText>,
    result: ParseResult<ParsedIndex>,
    facts: Facts,
}

/// The edition as the editor has it: disk, overlaid with unsaved text.
pub struct Analysis {
    root: PathBuf,
    load_cache: LoadCache,
    disk: Vec<LoadedFile>,
    load_diagnostics: Vec<Diagnostic>,
    /// Unsaved text of open files, by path relative to `content/`.
    overlays: HashMap<String, Arc<SourceText>>,
    index: Option<IndexState>,
    files: HashMap<String, FileState>,
    /// Paths relative to `content/`, in load order (sorted).
    order: Vec<String>,
    resolved: Option<Resolved>,
    resolved_from: HashMap<String, Arc<SourceText>>,
    diagnostics: Vec<Diagnostic>,
    /// Whether the last analysis resolved the whole edition.
    pub resolved_whole: bool,
}

impl Analysis {
    pub fn new(root: &Path) -> Self {
        Analysis {
            root: root.to_path_buf(),
            load_cache: LoadCache::new(),
            disk: Vec::new(),
            load_diagnostics: Vec::new(),
            overlays: HashMap::new(),
            index: None,
            files: HashMap::new(),
            order: Vec::new(),
            resolved: None,
            resolved_from: HashMap::new(),
            diagnostics: Vec::new(),
            resolved_whole: false,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Reads `content/` again (only files whose size or time changed).
    pub fn reload_disk(&mut self) {
        let (files, ds) = load::load_content_cached(&self.root, &mut self.load_cache);
        self.disk = files;
        self.load_diagnostics = ds;
    }

    /// Lays the editor's text of `rel` over the disk's. A file that is not
    /// on disk (yet) is not part of the edition until it is saved.
    pub fn set_text(&mut self, rel: &str, text: String) {
        let display = format!("content/{rel}");
        self.overlays
            .insert(rel.to_string(), SourceText::new(display, text));
    }

    /// The editor closed `rel`: the disk's text counts again.
    pub fn forget_text(&mut self, rel: &str) {
        self.overlays.remove(rel);
    }

    /// Parses what changed and resolves; returns every diagnostic, as
    /// `build` reports them (before rendering).
    pub fn analyse(&mut self) -> &[Diagnostic] {
        let files = self.current_files();
        self.parse(&files);
        let mut diags = self.load_diagnostics.clone();
        diags.extend(self.parse_diagnostics(&files));
        let (resolved, whole) = self.resolve(&files);
        self.resolved_whole = whole;
        diags.extend(resolved);
        let mut all = crate::diagnostics::Diagnostics { items: diags };
        crate::build::settle(&mut all, false);
        self.diagnostics = all.items;
        &self.diagnostics
    }

    /// The files of the edition with the overlays laid over them.
    fn current_files(&self) -> Vec<LoadedFile> {
        (self.disk.iter())
            .map(|f| match self.overlays.get(&f.rel) {
                Some(text) => LoadedFile {
                    rel: f.rel.clone(),
                    kind: f.kind,
                    source: Arc::clone(text),
                },
                None => f.clone(),
            })
            .collect()
    }

    fn parse(&mut self, files: &[LoadedFile]) {
        let index_file = files.iter().find(|f| f.kind == FileKind::Index);
        self.index = index_file.map(|f| match self.index.take() {
            Some(state) if same_text(&state.source, &f.source) => state,
            _ => {
                let result = parse::parse_index_file(f);
                let facts = index_facts(f, result.0.as_ref());
                IndexState {
                    source: Arc::clone(&f.source),
                    result,
                    facts,
                }
            }
        });
        let allow_html = (self.index.as_ref())
            .and_then(|i| i.result.0.as_ref())
            .is_some_and(|i| i.raw.allow_html);
        let mut old = std::mem::take(&mut self.files);
        self.order.clear();
        for f in files.iter().filter(|f| f.kind != FileKind::Index) {
            self.order.push(f.rel.clone());
            let kept = old.remove(&f.rel);
            let state = match kept {
                Some(s) if s.kind == f.kind && s.allow_html == allow_html => {
                    if same_text(&s.source, &f.source) {
                        s
                    } else {
                        parse_state(f, allow_html, s.good)
                    }
                }
                _ => parse_state(f, allow_html, None),
            };
            self.files.insert(f.rel.clone(), state);
        }
    }

    fn parse_diagnostics(&self, files: &[LoadedFile]) -> Vec<Diagnostic> {
        let index = self.index.as_ref().map(|i| (None, i.result.1.clone()));
        let rest = (files.iter().filter(|f| f.kind != FileKind::Index))
            .filter_map(|f| self.files.get(&f.rel))
            .map(|s| (None, s.result.1.clone()));
        parse::assemble(index, rest).1
    }

    /// Resolves again only the parts whose text alone changed when that is
    /// all, else the whole edition. A file that fails to parse stands in
    /// with its last good parse, and what resolve says of that stale text
    /// is dropped: its parse error is the one thing to fix.
    fn resolve(&mut self, files: &[LoadedFile]) -> (Vec<Diagnostic>, bool) {
        let stale: Vec<String> = (self.files.values())
            .filter(|s| s.result.0.is_none() && s.good.is_some())
            .map(|s| s.source.display_path.clone())
            .collect();
        if stale.is_empty()
            && let Some(ds) = self.resolve_parts_again(files)
        {
            return (ds, false);
        }
        let index = self.index.as_ref().map(|i| i.result.clone());
        let parsed = (self.order.iter())
            .filter_map(|rel| self.files.get(rel))
            .map(|s| match (&s.result.0, &s.good) {
                (None, Some(good)) => (Some(good.clone()), Vec::new()),
                _ => s.result.clone(),
            });
        let (edition, _) = parse::assemble(index, parsed);
        let (resolved, ds) = resolve::resolve_keeping(edition);
        let ds = (ds.into_iter())
            .filter(|d| {
                let file = d.primary.as_ref().map(|l| l.source.display_path.as_str());
                !file.is_some_and(|f| stale.iter().any(|s| s == f))
            })
            .collect();
        let can_continue = stale.is_empty();
        self.resolved = resolved.filter(|_| can_continue);
        self.resolved_from = (files.iter())
            .map(|f| (f.rel.clone(), Arc::clone(&f.source)))
            .collect();
        (ds, true)
    }

    fn resolve_parts_again(&mut self, files: &[LoadedFile]) -> Option<Vec<Diagnostic>> {
        let resolved = self.resolved.as_mut()?;
        if files.len() != self.resolved_from.len() {
            return None;
        }
        let mut changed = Vec::new();
        for f in files {
            let old = self.resolved_from.get(&f.rel)?;
            if !same_text(old, &f.source) {
                changed.push(f);
            }
        }
        for f in &changed {
            let state = self.files.get(&f.rel)?;
            let (Some(ParsedFile::Part(part, _)), ds) = &state.result else {
                return None;
            };
            if ds.iter().any(Diagnostic::is_error) {
                return None;
            }
            let (origin, body) = (part.origin.clone(), part.body.clone());
            if !resolved.resolve_part_again(&f.rel, &f.source.text, origin, body) {
                return None;
            }
        }
        for f in changed {
            self.resolved_from
                .insert(f.rel.clone(), Arc::clone(&f.source));
        }
        Some(resolved.diagnostics())
    }

    /// The diagnostics of the last [`analyse`](Self::analyse).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The facts of every file, `_index.md` first, then in path order.
    pub fn facts(&self) -> impl Iterator<Item = &Facts> {
        let index = self.index.as_ref().map(|i| &i.facts);
        let rest = (self.order.iter())
            .filter_map(|rel| self.files.get(rel))
            .map(|s| &s.facts);
        index.into_iter().chain(rest)
    }

    /// The facts of one file, by its path relative to `content/`.
    pub fn file(&self, rel: &str) -> Option<&Facts> {
        match rel {
            "_index.md" => self.index.as_ref().map(|i| &i.facts),
            _ => self.files.get(rel).map(|s| &s.facts),
        }
    }

    /// Every entity definition, in file order.
    pub fn entities(&self) -> impl Iterator<Item = &Entity> {
        self.facts().flat_map(|f| &f.entities)
    }

    pub fn entity(&self, kind: Kind, id: &str) -> Option<&Entity> {
        self.entities().find(|e| e.kind == kind && e.id == id)
    }

    /// The text of a file as the analysis has it: overlay, else disk.
    pub fn source(&self, rel: &str) -> Option<&Arc<SourceText>> {
        self.file(rel).map(|f| &f.source)
    }
}

fn same_text(a: &Arc<SourceText>, b: &Arc<SourceText>) -> bool {
    Arc::ptr_eq(a, b) || a.text == b.text
}

fn parse_state(f: &LoadedFile, allow_html: bool, good: Option<ParsedFile>) -> FileState {
    let result = parse::parse_one(f, allow_html);
    let good = result.0.clone().or(good);
    let mut facts = file_facts(f, result.0.as_ref());
    if result.0.is_none() {
        // What the file defined stays known to the rest of the edition
        // while its text does not parse.
        facts.entities = file_facts(f, good.as_ref()).entities;
    }
    FileState {
        source: Arc::clone(&f.source),
        kind: f.kind,
        allow_html,
        result,
        good,
        facts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/content");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = dir
                .path()
                .join("content")
                .join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        dir
    }

    fn messages(ds: &[Diagnostic]) -> Vec<String> {
        ds.iter().map(|d| d.render(false)).collect()
    }

    #[test]
    fn an_edit_to_a_part_text_resolves_that_part_alone_with_the_diagnostics_of_a_full_check() {
        let dir = basic();
        let part = "01-beginnings.md";
        let text = std::fs::read_to_string(dir.path().join("content").join(part)).unwrap();
        let mut analysis = Analysis::new(dir.path());
        analysis.reload_disk();
        assert!(analysis.analyse().is_empty());
        assert!(analysis.resolved_whole);
        // The claim loses its only mention: a warning, from this part's text alone.
        let edited = text.replace(
            "[He met Iranian diplomats in Geneva](claim:met-in-geneva)",
            "He met Iranian diplomats in Geneva",
        );
        analysis.set_text(part, edited.clone());
        let again = messages(analysis.analyse());
        assert!(!analysis.resolved_whole, "only the part was resolved again");
        let mut fresh = Analysis::new(dir.path());
        fresh.reload_disk();
        fresh.set_text(part, edited);
        let whole = messages(fresh.analyse());
        assert!(fresh.resolved_whole);
        assert_eq!(again, whole);
        assert!(
            again.iter().any(|m| m.contains("met-in-geneva")),
            "{again:?}"
        );
    }
}
