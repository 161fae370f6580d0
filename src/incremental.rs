//! Rebuilds for the development server: a [`Session`] keeps what the last
//! build computed and redoes only what a change needs, stage by stage:
//!
//! - **load** rereads only files whose size or modification time changed;
//! - **parse** reuses a file's records while its text is the same;
//! - **resolve** redoes only the parts whose text alone changed (front
//!   matter and anchors as they were; [`Resolved::resolve_part_again`]),
//!   else the whole edition;
//! - **render** renders only pages and search-index files whose fingerprint
//!   ([`crate::render::deps`]) changed, reusing the others' diagnostics;
//! - **write** replaces only files whose bytes changed, in place;
//! - the **exports** (`annotations.json` and the rest) follow the pages in a
//!   second step, [`Session::finish_exports`], so open pages can reload
//!   before them.
//!
//! The output is byte-identical to a full [`build`](crate::build::build) of
//! the same sources, and so are the diagnostics.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::assets;
use crate::build::{self, BuildOptions};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::drafts::{self, Drafts};
use crate::export;
use crate::files::{self, Files};
use crate::load::{self, FileKind, LoadCache, LoadedFile};
use crate::model::Edition;
use crate::parse::{self, ParsedEdition, ParsedFile, ParsedIndex};
use crate::render::deps::{self, Inputs, hasher};
use crate::render::{FileSpec, OutFile, RenderOptions, Renderer, file_specs};
use crate::resolve::{self, Resolved};
use crate::theme::{self, Theme};
use crate::write;

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Diagnostics,
    /// Pages rendered (the others were unaffected by the change); the
    /// search index's files are not pages and are not counted.
    pub rendered: usize,
    /// Files whose bytes changed on disk (written or removed).
    pub written: usize,
    pub elapsed: Duration,
    /// Time spent in each stage, in pipeline order.
    pub stages: Vec<(&'static str, Duration)>,
    /// Stopped halfway by [`Session::cancel_flag`]: nothing was written.
    pub cancelled: bool,
    /// The whole edition was resolved, not only the parts whose text changed.
    pub resolved_whole: bool,
}

impl Outcome {
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// The errors as the terminal shows them (without colour), or `None`.
    pub fn error_text(&self) -> Option<String> {
        let errors: Vec<String> = self
            .diagnostics
            .items
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render(false))
            .collect();
        (!errors.is_empty()).then(|| errors.join("\n"))
    }
}

type ParseResult<T> = (Option<T>, Vec<Diagnostic>);
type RenderedPage = (Option<OutFile>, Vec<Diagnostic>);

/// One file's parse, kept while its text and the options it depends on stay.
struct Parsed<T> {
    source: Arc<SourceText>,
    kind: FileKind,
    allow_html: bool,
    result: ParseResult<T>,
}

impl<T> Parsed<T> {
    fn matches(&self, file: &LoadedFile, allow_html: bool) -> bool {
        self.kind == file.kind
            && self.allow_html == allow_html
            && (Arc::ptr_eq(&self.source, &file.source) || self.source.text == file.source.text)
    }
}

/// The theme as loaded, with the stamps of its files on disk.
struct LoadedTheme {
    stamps: Vec<(String, load::Stamp)>,
    checked_at: SystemTime,
    result: Result<(Theme, u64), Vec<Diagnostic>>,
}

/// What the output folder holds for one page or file.
struct Written {
    fingerprint: u64,
    bytes: u64,
    diagnostics: Vec<Diagnostic>,
}

impl Written {
    /// A file that is not a page (a theme file, an export): remade whole,
    /// so its bytes are its fingerprint, and it reports nothing.
    fn file(bytes: u64) -> Self {
        Written {
            fingerprint: bytes,
            bytes,
            diagnostics: Vec::new(),
        }
    }
}

/// The state kept between rebuilds of one edition into one folder.
pub struct Session {
    opts: BuildOptions,
    load_cache: LoadCache,
    index: Option<Parsed<ParsedIndex>>,
    parsed: HashMap<String, Parsed<ParsedFile>>,
    hashes: HashMap<String, (Arc<SourceText>, u64)>,
    theme: Option<LoadedTheme>,
    /// The output as last written, by path; empty before the first write.
    written: HashMap<String, Written>,
    /// The edition as last resolved, and the text of each file it was
    /// resolved from (`_index.md` under its own name).
    resolved: Option<Resolved>,
    resolved_from: HashMap<String, Arc<SourceText>>,
    /// The pages of `resolved` are written; its exports wait for
    /// [`Session::finish_exports`].
    exports_pending: bool,
    /// The export files as last written, and their diagnostics.
    export_paths: Vec<String>,
    export_diagnostics: Vec<Diagnostic>,
    /// The files copied from `content/` and `static/`, as last copied.
    copied: assets::Copied,
    /// The files of `content/` the last rendered pages point at.
    files: Files,
    /// The drafts of the last whole resolve.
    drafts: Drafts,
    /// What `annotations.jsonld` needs of the part pages as last written.
    page_texts: export::web_annotations::PageTexts,
    cancel: Arc<AtomicBool>,
}

impl Session {
    pub fn new(opts: BuildOptions) -> Self {
        Session {
            opts,
            load_cache: LoadCache::new(),
            index: None,
            parsed: HashMap::new(),
            hashes: HashMap::new(),
            theme: None,
            written: HashMap::new(),
            resolved: None,
            resolved_from: HashMap::new(),
            exports_pending: false,
            export_paths: Vec::new(),
            export_diagnostics: Vec::new(),
            copied: assets::Copied::default(),
            files: Files::default(),
            drafts: Drafts::default(),
            page_texts: Default::default(),
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Takes new options (the edition's `glossator.toml` changed): the next
    /// rebuild starts from nothing, as the first did.
    pub fn reconfigure(&mut self, opts: BuildOptions) {
        let cancel = Arc::clone(&self.cancel);
        *self = Session {
            cancel,
            ..Session::new(opts)
        };
    }

    /// Set it to stop the rebuild in progress (and any later one) before it
    /// writes anything: shutting down need not wait for a long build.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Brings the output folder up to date with the sources on disk: the
    /// pages, then the exports.
    pub fn rebuild(&mut self) -> Outcome {
        let mut outcome = self.rebuild_pages();
        if outcome.cancelled || outcome.failed() {
            return outcome;
        }
        let exports = self.finish_exports();
        outcome.diagnostics.extend(exports.diagnostics.items);
        outcome.diagnostics.fold_cascades();
        outcome.diagnostics.sort();
        outcome.written += exports.written;
        outcome.stages.extend(exports.stages);
        outcome.elapsed += exports.elapsed;
        outcome
    }

    /// Brings the pages, the search data and the theme's files up to date,
    /// leaving the exports (`annotations.json`, `citations.bib`, the sitemap,
    /// the EPUB) as they were until [`finish_exports`](Session::finish_exports):
    /// no page shows them, and at 10,000 parts remaking them takes longer
    /// than everything else an edit needs. The development server reloads
    /// open pages between the two.
    pub fn rebuild_pages(&mut self) -> Outcome {
        let start = Instant::now();
        let mut outcome = Outcome::default();
        let out = self.opts.out_dir();
        let first = self.written.is_empty();
        if let (true, Err(d)) = (first, write::check_out_dir(&self.opts.root, &out)) {
            outcome.diagnostics.push(d);
            outcome.elapsed = start.elapsed();
            return outcome;
        }
        let mut lap = Instant::now();
        let cancel = Arc::clone(&self.cancel);
        let mut stage = |name: &'static str, outcome: &mut Outcome| {
            outcome.stages.push((name, lap.elapsed()));
            lap = Instant::now();
            outcome.cancelled = cancel.load(Ordering::Relaxed);
            outcome.cancelled
        };
        let (files, ds) = load::load_content_cached(&self.opts.root, &mut self.load_cache);
        outcome.diagnostics.extend(ds);
        let (assets, asset_diags) = assets::find(&self.opts.root);
        self.reload_theme_if_changed();
        if stage("load", &mut outcome) {
            return outcome;
        }
        if self.exports_pending {
            // New pages must not be written before the exports of the last.
            let exports = self.finish_exports();
            outcome.diagnostics.extend(exports.diagnostics.items);
        }
        self.parse(&files);
        outcome.diagnostics.extend(self.parse_diagnostics(&files));
        if stage("parse", &mut outcome) {
            return outcome;
        }
        let (ds, whole) = self.resolve(&files);
        outcome.diagnostics.extend(ds);
        outcome.diagnostics.extend(asset_diags);
        outcome.resolved_whole = whole;
        if stage("resolve", &mut outcome) {
            return outcome;
        }
        self.update_hashes(&files);
        // Read on every rebuild: the style file may be the one that changed.
        if let Some(r) = self
            .resolved
            .as_mut()
            .filter(|r| r.edition.meta.style_file.is_some())
        {
            let style = files::read_style(&mut r.edition, &Files::of(&assets));
            outcome.diagnostics.extend(style);
        }
        let edition = self.resolved.as_ref().map(|r| &r.edition);
        let theme = match self.theme.as_ref().map(|t| &t.result) {
            Some(Ok(t)) => Some(t),
            Some(Err(ds)) => {
                outcome.diagnostics.extend(ds.iter().cloned());
                None
            }
            None => None,
        };
        let mut new_files = None;
        let rendered = match (edition, theme) {
            (Some(edition), Some((theme, theme_hash))) if !outcome.diagnostics.has_errors() => {
                let generated = build::generated_paths(edition, theme, &self.render_options());
                let generated = generated.iter().map(String::as_str);
                outcome
                    .diagnostics
                    .extend(assets::collisions(&assets, generated));
                let files = Files::of(&assets);
                outcome.diagnostics.extend(files::check(edition, &files));
                let r = self.render(edition, theme, *theme_hash, &files);
                new_files = Some(files);
                outcome
                    .diagnostics
                    .extend(r.1.iter().flat_map(|(_, w)| w.diagnostics.clone()));
                outcome.rendered = r.2;
                Some(r)
            }
            _ => None,
        };
        if let Some(files) = new_files {
            self.files = files;
        }
        if self.opts.strict {
            outcome.diagnostics.promote_warnings();
        }
        outcome.diagnostics.fold_cascades();
        outcome.diagnostics.sort();
        if stage("render", &mut outcome) {
            return outcome;
        }
        if let (Some((files, records, _)), false) = (rendered, outcome.diagnostics.has_errors()) {
            if self.opts.web_annotations {
                files.iter().for_each(|f| self.page_texts.observe(f));
            }
            if first {
                // The first write replaces the whole folder.
                self.copied = assets::Copied::default();
            }
            let written = self
                .write(&out, files, records)
                .and_then(|n| Ok(n + assets::update(&out, &assets, &mut self.copied)?));
            match written {
                Ok(n) => {
                    outcome.written = n;
                    self.exports_pending = true;
                }
                Err(d) => outcome.diagnostics.push(d),
            }
        }
        stage("write", &mut outcome);
        outcome.elapsed = start.elapsed();
        outcome
    }

    /// Resolves the edition: again only the parts whose text alone changed
    /// when that is all that changed since the last resolve, else whole.
    /// Returns the diagnostics, as a full resolve would, and whether the
    /// whole edition was resolved.
    fn resolve(&mut self, files: &[LoadedFile]) -> (Vec<Diagnostic>, bool) {
        if let Some(ds) = self.resolve_parts_again(files) {
            return (ds, false);
        }
        let mut parsed = self.assemble(files);
        let (drafts, mut ds) = drafts::apply(&mut parsed, self.opts.drafts);
        self.drafts = drafts;
        let (resolved, resolve_ds) = resolve::resolve_keeping(parsed);
        ds.extend(resolve_ds);
        let old = std::mem::replace(&mut self.resolved, resolved);
        // At 10,000 parts freeing an edition takes as long as an edit's
        // rebuild: another thread does it.
        if old.is_some() {
            std::thread::spawn(move || drop(old));
        }
        self.resolved_from = sources_of(files);
        (ds, true)
    }

    /// The diagnostics of resolving again the parts whose text changed, if
    /// nothing else did and each of them allows it
    /// ([`Resolved::resolve_part_again`]).
    fn resolve_parts_again(&mut self, files: &[LoadedFile]) -> Option<Vec<Diagnostic>> {
        let resolved = self.resolved.as_mut()?;
        if files.len() != self.resolved_from.len() {
            return None;
        }
        let mut changed = Vec::new();
        for f in files {
            let old = self.resolved_from.get(&f.rel)?;
            if !Arc::ptr_eq(old, &f.source) && old.text != f.source.text {
                changed.push(f);
            }
        }
        for f in &changed {
            let parsed = &self.parsed.get(&f.rel)?.result;
            let (Some(ParsedFile::Part(part, _)), ds) = parsed else {
                return None;
            };
            if f.kind != FileKind::Part || ds.iter().any(Diagnostic::is_error) {
                return None;
            }
            let (origin, body) = (part.origin.clone(), part.body.clone());
            if !resolved.resolve_part_again(&f.rel, &f.source.text, origin, body) {
                // Half done: the caller resolves the whole edition instead.
                return None;
            }
        }
        for f in changed {
            self.resolved_from
                .insert(f.rel.clone(), Arc::clone(&f.source));
        }
        Some(resolved.diagnostics())
    }

    /// Writes the exports of the edition whose pages were written last, if
    /// they are not up to date yet: only files whose bytes changed.
    pub fn finish_exports(&mut self) -> Outcome {
        let start = Instant::now();
        let mut outcome = Outcome::default();
        let edition = self.resolved.as_ref().map(|r| &r.edition);
        let Some(edition) = edition.filter(|_| self.exports_pending) else {
            return outcome;
        };
        self.exports_pending = false;
        let options = self.render_options();
        let (mut exported, diagnostics) = export::files(edition, &options, &self.files);
        if options.web_annotations {
            self.page_texts.retain_parts_of(edition);
            exported.push(self.page_texts.file(edition, &options));
        }
        let fresh: Vec<(OutFile, u64)> = exported
            .into_par_iter()
            .map(|f| {
                let h = hash_of(&f.bytes);
                (f, h)
            })
            .collect();
        let keep: std::collections::HashSet<&str> =
            fresh.iter().map(|(f, _)| f.path.as_str()).collect();
        let removed: Vec<String> = (self.export_paths.iter())
            .filter(|p| !keep.contains(p.as_str()))
            .cloned()
            .collect();
        let changed: Vec<&OutFile> = (fresh.iter())
            .filter(|(f, h)| self.written.get(&f.path).is_none_or(|w| w.bytes != *h))
            .map(|(f, _)| f)
            .collect();
        if let Err(d) = write::update_site(&self.opts.out_dir(), &changed, &removed) {
            outcome.diagnostics.push(d);
            return outcome;
        }
        outcome.written = changed.len() + removed.len();
        for p in &removed {
            self.written.remove(p);
        }
        for (f, h) in &fresh {
            self.written.insert(f.path.clone(), Written::file(*h));
        }
        self.export_paths = fresh.into_iter().map(|(f, _)| f.path).collect();
        self.export_diagnostics = diagnostics.clone();
        outcome.diagnostics.extend(diagnostics);
        if self.opts.strict {
            outcome.diagnostics.promote_warnings();
        }
        outcome.stages.push(("exports", start.elapsed()));
        outcome.elapsed = start.elapsed();
        outcome
    }

    fn render_options(&self) -> RenderOptions {
        crate::build::render_options(&self.opts)
    }

    /// Parses the files whose text changed; keeps the rest as they were.
    fn parse(&mut self, files: &[LoadedFile]) {
        let index = files.iter().find(|f| f.kind == FileKind::Index);
        self.index = index.map(|f| match self.index.take() {
            Some(p) if p.matches(f, false) => p,
            _ => Parsed {
                source: Arc::clone(&f.source),
                kind: f.kind,
                allow_html: false,
                result: parse::parse_index_file(f),
            },
        });
        let allow_html = parse::allows_html(self.index.as_ref().map(|p| &p.result));
        // Entries still valid move to the new cache; the rest are parsed again.
        let mut old = std::mem::take(&mut self.parsed);
        let kept: Vec<(&LoadedFile, Option<Parsed<ParsedFile>>)> = files
            .iter()
            .filter(|f| f.kind != FileKind::Index)
            .map(|f| {
                let p = old.remove(&f.rel).filter(|p| p.matches(f, allow_html));
                (f, p)
            })
            .collect();
        self.parsed = kept
            .into_par_iter()
            .map(|(f, kept)| {
                let p = kept.unwrap_or_else(|| Parsed {
                    source: Arc::clone(&f.source),
                    kind: f.kind,
                    allow_html,
                    result: parse::parse_one(f, allow_html),
                });
                (f.rel.clone(), p)
            })
            .collect();
    }

    /// The parsed files in `files` order, as a full parse gives them.
    fn parsed_in_order<'s>(
        &'s self,
        files: &'s [LoadedFile],
    ) -> impl Iterator<Item = &'s ParseResult<ParsedFile>> + 's {
        files
            .iter()
            .filter(|f| f.kind != FileKind::Index)
            .filter_map(|f| self.parsed.get(&f.rel).map(|p| &p.result))
    }

    /// What parsing reported, as [`parse::assemble`] reports it.
    fn parse_diagnostics(&self, files: &[LoadedFile]) -> Vec<Diagnostic> {
        let (_, ds) = parse::assemble(
            self.index.as_ref().map(|p| (None, p.result.1.clone())),
            self.parsed_in_order(files)
                .map(|(_, ds)| (None, ds.clone())),
        );
        ds
    }

    /// A copy of every parsed file for a full resolve, which consumes them.
    fn assemble(&self, files: &[LoadedFile]) -> ParsedEdition {
        let index = self.index.as_ref().map(|p| p.result.clone());
        parse::assemble(index, self.parsed_in_order(files).cloned()).0
    }

    /// Content hashes of the source files, computed once per text.
    fn update_hashes(&mut self, files: &[LoadedFile]) {
        let fresh: Vec<(String, (Arc<SourceText>, u64))> = files
            .par_iter()
            .map(|f| {
                let path = f.source.display_path.clone();
                match self.hashes.get(&path) {
                    Some((s, h)) if Arc::ptr_eq(s, &f.source) => (path, (Arc::clone(s), *h)),
                    _ => (path, (Arc::clone(&f.source), hash_of(&f.source.text))),
                }
            })
            .collect();
        self.hashes = fresh.into_iter().collect();
    }

    fn reload_theme_if_changed(&mut self) {
        let dir = self.opts.root.join("themes").join(&self.opts.theme);
        let now = SystemTime::now();
        let stamps = stamps(&dir);
        let settled = |t: &LoadedTheme| {
            t.stamps == stamps
                && t.stamps.iter().all(|(_, s)| {
                    s.modified
                        .is_some_and(|m| m + Duration::from_secs(2) < t.checked_at)
                })
        };
        if self.theme.as_ref().is_some_and(settled) {
            return;
        }
        let result = theme::load(&self.opts.root, &self.opts.theme).map(|t| {
            let h = theme_hash(&t);
            (t, h)
        });
        self.theme = Some(LoadedTheme {
            stamps,
            checked_at: now,
            result,
        });
    }

    /// Renders the files whose fingerprint changed. Returns them (with the
    /// theme's static files and the exports), the record of every file of the
    /// new output, and how many pages (not search-index files) were rendered.
    fn render(
        &self,
        edition: &Edition,
        theme: &Theme,
        theme_hash: u64,
        files: &Files,
    ) -> (Vec<OutFile>, Vec<(String, Written)>, usize) {
        let options = self.render_options();
        let renderer = Renderer::new(edition, theme, &options)
            .with_files(files)
            .with_drafts(&self.drafts);
        let specs = file_specs(edition, &options);
        let index = self.index.as_ref().map_or(0, |p| self.file_hash(&p.source));
        let file_hash = |s: &SourceText| self.file_hash(s);
        // Any page may show an image or link to a file: a change to the
        // copied files (one added, removed or resized) renders them all.
        let theme_hash = theme_hash ^ hash_of(files) ^ hash_of(&self.drafts);
        let inputs = Inputs {
            theme: theme_hash,
            index,
            file_hash: &file_hash,
        };
        let fingerprints = deps::fingerprints(&renderer, &specs, &inputs);
        let pages: Vec<(FileSpec, u64, Option<RenderedPage>)> = specs
            .par_iter()
            .zip(&fingerprints)
            .map(|(&spec, &fp)| {
                let path = spec.path(edition);
                let same = self.written.get(&path).is_some_and(|w| w.fingerprint == fp);
                let render = || match self.cancelled() {
                    // Skipped, and never written: the rebuild stops after rendering.
                    true => (None, Vec::new()),
                    false => renderer.render_isolated(spec),
                };
                (spec, fp, (!same).then(render))
            })
            .collect();
        let rendered = pages
            .iter()
            .filter(|p| matches!(p.0, FileSpec::Page(_)) && p.2.is_some())
            .count();
        let mut files = Vec::new();
        let mut records = Vec::with_capacity(pages.len() + theme.static_files.len());
        for (spec, fingerprint, result) in pages {
            let path = spec.path(edition);
            let record = match result {
                None => {
                    let old = &self.written[&path];
                    Written {
                        fingerprint,
                        bytes: old.bytes,
                        diagnostics: old.diagnostics.clone(),
                    }
                }
                Some((file, diagnostics)) => {
                    let bytes = file.as_ref().map_or(0, |f| hash_of(&f.bytes));
                    files.extend(file);
                    Written {
                        fingerprint,
                        bytes,
                        diagnostics,
                    }
                }
            };
            records.push((path, record));
        }
        // The theme's files and the search data are cheap: made anew each
        // time, only changed bytes are written.
        for f in renderer.static_files() {
            records.push((f.path.clone(), Written::file(hash_of(&f.bytes))));
            files.push(f);
        }
        // The exports stay as they are until `finish_exports`.
        for path in &self.export_paths {
            if let Some(w) = self.written.get(path) {
                records.push((path.clone(), Written::file(w.bytes)));
            }
        }
        (files, records, rendered)
    }

    /// Writes what changed; returns how many files changed on disk.
    fn write(
        &mut self,
        out: &Path,
        files: Vec<OutFile>,
        records: Vec<(String, Written)>,
    ) -> Result<usize, Diagnostic> {
        let count = if self.written.is_empty() {
            write::write_site(out, &files)?.written
        } else {
            let changed: Vec<OutFile> = files
                .into_iter()
                .filter(|f| {
                    self.written
                        .get(&f.path)
                        .is_none_or(|w| w.bytes != hash_of(&f.bytes))
                })
                .collect();
            let keep: std::collections::HashSet<&str> =
                records.iter().map(|(p, _)| p.as_str()).collect();
            let removed: Vec<String> = self
                .written
                .keys()
                .filter(|p| !keep.contains(p.as_str()))
                .cloned()
                .collect();
            write::update_site(out, &changed, &removed)?;
            changed.len() + removed.len()
        };
        self.written = records.into_iter().collect();
        Ok(count)
    }

    fn file_hash(&self, source: &SourceText) -> u64 {
        match self.hashes.get(&source.display_path) {
            Some((s, h)) if std::ptr::eq(Arc::as_ptr(s), source) || s.text == source.text => *h,
            _ => hash_of(&source.text),
        }
    }
}

/// The text of each file, by path.
fn sources_of(files: &[LoadedFile]) -> HashMap<String, Arc<SourceText>> {
    (files.iter())
        .map(|f| (f.rel.clone(), Arc::clone(&f.source)))
        .collect()
}

fn hash_of<T: Hash + ?Sized>(x: &T) -> u64 {
    let mut h = hasher();
    x.hash(&mut h);
    h.finish()
}

fn theme_hash(t: &Theme) -> u64 {
    let mut h = hasher();
    for (name, source) in &t.sources {
        (name, &source.text).hash(&mut h);
    }
    t.static_files.hash(&mut h);
    h.finish()
}

/// Size and time of every file under `dir` (none if it does not exist).
fn stamps(dir: &Path) -> Vec<(String, load::Stamp)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            let stamp = load::Stamp {
                len: m.len(),
                modified: m.modified().ok(),
            };
            Some((e.path().to_string_lossy().into_owned(), stamp))
        })
        .collect()
}
