//! Rebuilds for the development server: a [`Session`] keeps what the last
//! build computed and redoes only what a change needs, stage by stage:
//!
//! - **load** rereads only files whose size or modification time changed
//!   (`crate::load::LoadCache`, `crate::theme::ThemeCache`);
//! - **parse** reuses a file's records while its text is the same
//!   (`ParseCache`);
//! - **resolve** redoes only the parts whose text alone changed (front
//!   matter and anchors as they were; `Resolved::resolve_part_again`),
//!   else the whole edition;
//! - **render** renders only pages and search-index files whose fingerprint
//!   (`crate::render::deps`) changed, reusing the others' diagnostics;
//! - **write** replaces only files whose bytes changed, in place
//!   (`OutputRecords`);
//! - the **exports** (`annotations.json` and the rest) follow the pages in a
//!   second step, [`Session::finish_exports`], so open pages can reload
//!   before them.
//!
//! The output is byte-identical to a full [`build`](crate::build::build) of
//! the same sources, and so are the diagnostics: the output check, the
//! checks of the files, the settling of diagnostics and the commit rule are
//! `build`'s own functions.
//!
//! `changes.rs` loads, with the stages' caches, and resolves
//! again what that needs; `pages.rs` renders by fingerprint and writes.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::assets;
use crate::build::{self, BuildOptions};
use crate::diagnostics::{Diagnostics, SourceText};
use crate::drafts::Drafts;
use crate::files::Files;
use crate::load::LoadCache;
use crate::parse::ParseCache;
use crate::render::RenderOptions;
use crate::render::deps::hasher;
use crate::resolve::Resolved;
use crate::theme::ThemeCache;
use crate::write::OutputRecords;

mod changes;
mod pages;

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

/// The state kept between rebuilds of one edition into one folder.
pub struct Session {
    opts: BuildOptions,
    load_cache: LoadCache,
    parsed: ParseCache,
    hashes: HashMap<String, (Arc<SourceText>, u64)>,
    theme: Option<ThemeCache>,
    /// The output as last written, by path; empty before the first write.
    written: OutputRecords,
    /// The edition as last resolved, and the text of each file it was
    /// resolved from (`_index.md` under its own name).
    resolved: Option<Resolved>,
    resolved_from: HashMap<String, Arc<SourceText>>,
    /// The pages of `resolved` are written; its exports wait for
    /// [`Session::finish_exports`].
    exports_pending: bool,
    /// The export files as last written.
    export_paths: Vec<String>,
    /// The files copied from `content/` and `static/`, as last copied.
    copied: assets::Copied,
    /// The files of `content/` the last rendered pages point at.
    files: Files,
    /// The drafts of the last whole resolve.
    drafts: Drafts,
    /// What `annotations.jsonld` needs of the part pages as last written.
    page_texts: crate::export::web_annotations::PageTexts,
    cancel: Arc<AtomicBool>,
}

impl Session {
    pub fn new(opts: BuildOptions) -> Self {
        Session {
            opts,
            load_cache: LoadCache::new(),
            parsed: ParseCache::default(),
            hashes: HashMap::new(),
            theme: None,
            written: OutputRecords::default(),
            resolved: None,
            resolved_from: HashMap::new(),
            exports_pending: false,
            export_paths: Vec::new(),
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
        build::settle(&mut outcome.diagnostics, self.opts.strict);
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
        if let Err(d) = build::check_output(&self.opts, first) {
            outcome.diagnostics.push(d);
            outcome.elapsed = start.elapsed();
            return outcome;
        }
        let mut laps = Laps::new(&self.cancel);
        let (files, mut assets, asset_diags) = self.load(&mut outcome);
        if laps.stage("load", &mut outcome) {
            return outcome;
        }
        if self.exports_pending {
            // New pages must not be written before the exports of the last.
            let exports = self.finish_exports();
            outcome.diagnostics.extend(exports.diagnostics.items);
        }
        self.parsed.update(&files);
        outcome.diagnostics.extend(self.parsed.diagnostics(&files));
        if laps.stage("parse", &mut outcome) {
            return outcome;
        }
        let (ds, whole) = self.resolve(&files);
        outcome.diagnostics.extend(ds);
        outcome.diagnostics.extend(asset_diags);
        outcome.resolved_whole = whole;
        if laps.stage("resolve", &mut outcome) {
            return outcome;
        }
        let rendered = self.render_pages(&files, &mut assets, &mut outcome);
        if laps.stage("render", &mut outcome) {
            return outcome;
        }
        if let Some((files, records, _)) = rendered {
            let written = build::commit_unless_failed(&mut outcome.diagnostics, || {
                if self.opts.web_annotations {
                    files.iter().for_each(|f| self.page_texts.observe(f));
                }
                self.write_pages(&out, first, files, records, &assets)
            });
            if let Some(n) = written {
                outcome.written = n;
                self.exports_pending = true;
            }
        }
        laps.stage("write", &mut outcome);
        outcome.elapsed = start.elapsed();
        outcome
    }

    fn render_options(&self) -> RenderOptions {
        crate::build::render_options(&self.opts)
    }
}

/// The time of each stage of a rebuild, and whether to stop after it.
struct Laps {
    lap: Instant,
    cancel: Arc<AtomicBool>,
}

impl Laps {
    fn new(cancel: &Arc<AtomicBool>) -> Self {
        Laps {
            lap: Instant::now(),
            cancel: Arc::clone(cancel),
        }
    }

    /// Records the stage `name` just finished; true if the rebuild is
    /// cancelled and must stop here.
    fn stage(&mut self, name: &'static str, outcome: &mut Outcome) -> bool {
        outcome.stages.push((name, self.lap.elapsed()));
        self.lap = Instant::now();
        outcome.cancelled = self.cancel.load(Ordering::Relaxed);
        outcome.cancelled
    }
}

fn hash_of<T: Hash + ?Sized>(x: &T) -> u64 {
    let mut h = hasher();
    x.hash(&mut h);
    h.finish()
}
