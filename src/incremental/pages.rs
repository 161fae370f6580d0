//! The page rebuild: renders the files whose fingerprint changed
//! ([`crate::render::deps`]), keeping the others' records, and writes only
//! the files whose bytes changed; the exports follow in their own step.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::{Outcome, Session, hash_of};
use crate::assets::{self, Asset};
use crate::build;
use crate::diagnostics::{Diagnostic, SourceText};
use crate::export;
use crate::files::Files;
use crate::load::LoadedFile;
use crate::model::Edition;
use crate::render::deps::{self, Inputs};
use crate::render::{FileSpec, OutFile, Renderer, file_specs};
use crate::theme::Theme;
use crate::write::OutputRecord;

type RenderedPage = (Option<OutFile>, Vec<Diagnostic>);

/// The files rendered, the record of every file of the new output, and how
/// many pages (not search-index files) were rendered.
pub(super) type Rendered = (Vec<OutFile>, Vec<(String, OutputRecord)>, usize);

impl Session {
    /// Renders what changed, if the edition resolved and the theme loaded
    /// without errors, and settles the diagnostics as a full build does.
    pub(super) fn render_pages(
        &mut self,
        files: &[LoadedFile],
        assets: &mut Vec<Asset>,
        outcome: &mut Outcome,
    ) -> Option<Rendered> {
        self.update_hashes(files);
        let rendered = self.render_if_sound(assets, outcome);
        build::settle(&mut outcome.diagnostics, self.opts.strict);
        rendered
    }

    /// The rendered files, unless there is no edition or theme, or an error
    /// so far; keeps the copied files they point at.
    fn render_if_sound(
        &mut self,
        assets: &mut Vec<Asset>,
        outcome: &mut Outcome,
    ) -> Option<Rendered> {
        let theme = match self.theme.as_ref().map(|t| &t.result) {
            Some(Ok(t)) => Some(t),
            Some(Err(ds)) => {
                outcome.diagnostics.extend(ds.iter().cloned());
                None
            }
            None => None,
        };
        let ((theme, theme_hash), resolved) = (theme?, self.resolved.as_mut()?);
        if outcome.diagnostics.has_errors() {
            return None;
        }
        let options = build::render_options(&self.opts);
        // Read on every rebuild: the style file may be the one that changed.
        let (files, ds) = build::check_files(&mut resolved.edition, theme, &options, assets);
        outcome.diagnostics.extend(ds);
        let edition = &self.resolved.as_ref()?.edition;
        let r = self.render(edition, theme, *theme_hash, &files);
        outcome
            .diagnostics
            .extend(r.1.iter().flat_map(|(_, w)| w.diagnostics.clone()));
        outcome.rendered = r.2;
        self.files = files;
        Some(r)
    }

    /// Writes the rendered files and the copied ones; returns how many files
    /// changed on disk.
    pub(super) fn write_pages(
        &mut self,
        out: &Path,
        first: bool,
        files: Vec<OutFile>,
        records: Vec<(String, OutputRecord)>,
        assets: &[Asset],
    ) -> Result<usize, Diagnostic> {
        if first {
            // The first write replaces the whole folder.
            self.copied = assets::Copied::default();
        }
        let n = (self.written).write(out, files, records, |f| hash_of(&f.bytes))?;
        Ok(n + assets::update(out, assets, &mut self.copied)?)
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
        match (self.written).replace_files(&self.opts.out_dir(), &fresh, &removed) {
            Ok(n) => outcome.written = n,
            Err(d) => {
                outcome.diagnostics.push(d);
                return outcome;
            }
        }
        self.export_paths = fresh.into_iter().map(|(f, _)| f.path).collect();
        outcome.diagnostics.extend(diagnostics);
        build::settle(&mut outcome.diagnostics, self.opts.strict);
        outcome.stages.push(("exports", start.elapsed()));
        outcome.elapsed = start.elapsed();
        outcome
    }

    /// Renders the files whose fingerprint changed. Returns them (with the
    /// theme's static files and the exports), the record of every file of the
    /// new output, and how many pages (not search-index files) were rendered.
    fn render(&self, edition: &Edition, theme: &Theme, theme_hash: u64, files: &Files) -> Rendered {
        let options = self.render_options();
        let renderer = Renderer::new(edition, theme, &options)
            .with_files(files)
            .with_drafts(&self.drafts);
        let specs = file_specs(edition, &options);
        let index = (self.parsed.index_source()).map_or(0, |s| self.file_hash(s));
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
                    let old = self.written.get(&path).expect("kept because written");
                    OutputRecord {
                        fingerprint,
                        content_hash: old.content_hash,
                        diagnostics: old.diagnostics.clone(),
                    }
                }
                Some((file, diagnostics)) => {
                    let content_hash = file.as_ref().map_or(0, |f| hash_of(&f.bytes));
                    files.extend(file);
                    OutputRecord {
                        fingerprint,
                        content_hash,
                        diagnostics,
                    }
                }
            };
            records.push((path, record));
        }
        // The theme's files and the search data are cheap: made anew each
        // time, only changed bytes are written.
        for f in renderer.static_files() {
            records.push((f.path.clone(), OutputRecord::file(hash_of(&f.bytes))));
            files.push(f);
        }
        // The exports stay as they are until `finish_exports`.
        for path in &self.export_paths {
            if let Some(w) = self.written.get(path) {
                records.push((path.clone(), OutputRecord::file(w.content_hash)));
            }
        }
        (files, records, rendered)
    }

    fn file_hash(&self, source: &SourceText) -> u64 {
        match self.hashes.get(&source.display_path) {
            Some((s, h)) if std::ptr::eq(Arc::as_ptr(s), source) || s.text == source.text => *h,
            _ => hash_of(&source.text),
        }
    }
}
