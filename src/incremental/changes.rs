//! What changed since the last rebuild, and what it takes to redo, with the
//! caches of the stages: files reread by size and time ([`load::LoadCache`]),
//! the theme loaded again when one of its files changes
//! ([`ThemeCache`]), and a resolve of the parts whose text alone changed,
//! else of the whole edition.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{Outcome, Session, hash_of};
use crate::assets::{self, Asset};
use crate::diagnostics::{Diagnostic, SourceText};
use crate::drafts;
use crate::load::{self, FileKind, LoadedFile};
use crate::parse::ParsedFile;
use crate::resolve;
use crate::theme::ThemeCache;

impl Session {
    /// Rereads the files whose size or time changed, finds the files to
    /// copy, and loads the theme again if its files changed.
    pub(super) fn load(
        &mut self,
        outcome: &mut Outcome,
    ) -> (Vec<LoadedFile>, Vec<Asset>, Vec<Diagnostic>) {
        let (files, ds) = load::load_content_cached(&self.opts.root, &mut self.load_cache);
        outcome.diagnostics.extend(ds);
        let (assets, asset_diags) = assets::find(&self.opts.root);
        let cached = self.theme.take();
        let theme = ThemeCache::load_if_changed(cached, &self.opts.root, &self.opts.theme);
        self.theme = Some(theme);
        (files, assets, asset_diags)
    }

    /// Resolves the edition: again only the parts whose text alone changed
    /// when that is all that changed since the last resolve, else whole.
    /// Returns the diagnostics, as a full resolve would, and whether the
    /// whole edition was resolved.
    pub(super) fn resolve(&mut self, files: &[LoadedFile]) -> (Vec<Diagnostic>, bool) {
        if let Some(ds) = self.resolve_parts_again(files) {
            return (ds, false);
        }
        let mut parsed = self.parsed.assemble(files);
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
            let parsed = self.parsed.get(&f.rel)?;
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

    /// Content hashes of the source files, computed once per text.
    pub(super) fn update_hashes(&mut self, files: &[LoadedFile]) {
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
}

/// The text of each file, by path.
fn sources_of(files: &[LoadedFile]) -> HashMap<String, Arc<SourceText>> {
    (files.iter())
        .map(|f| (f.rel.clone(), Arc::clone(&f.source)))
        .collect()
}
