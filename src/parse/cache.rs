//! The parse stage's cache, for rebuilds: a file's records are kept while
//! its text, its kind and whether raw HTML is allowed stay the same.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{ParsedEdition, ParsedFile, ParsedIndex};
use crate::diagnostics::{Diagnostic, SourceText};
use crate::load::{FileKind, LoadedFile};

/// One file's records, or none if it failed, and what parsing it reported.
pub type ParseResult<T> = (Option<T>, Vec<Diagnostic>);

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

/// The files as last parsed, by path (`_index.md` on its own).
#[derive(Default)]
pub struct ParseCache {
    index: Option<Parsed<ParsedIndex>>,
    parsed: HashMap<String, Parsed<ParsedFile>>,
}

impl ParseCache {
    /// Parses the files whose text changed; keeps the rest as they were.
    pub fn update(&mut self, files: &[LoadedFile]) {
        let index = files.iter().find(|f| f.kind == FileKind::Index);
        self.index = index.map(|f| match self.index.take() {
            Some(p) if p.matches(f, false) => p,
            _ => Parsed {
                source: Arc::clone(&f.source),
                kind: f.kind,
                allow_html: false,
                result: super::parse_index_file(f),
            },
        });
        let allow_html = super::allows_html(self.index.as_ref().map(|p| &p.result));
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
                    result: super::parse_one(f, allow_html),
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

    /// What parsing reported, as [`super::assemble`] reports it.
    pub fn diagnostics(&self, files: &[LoadedFile]) -> Vec<Diagnostic> {
        let (_, ds) = super::assemble(
            self.index.as_ref().map(|p| (None, p.result.1.clone())),
            self.parsed_in_order(files)
                .map(|(_, ds)| (None, ds.clone())),
        );
        ds
    }

    /// A copy of every parsed file for a full resolve, which consumes them.
    pub fn assemble(&self, files: &[LoadedFile]) -> ParsedEdition {
        let index = self.index.as_ref().map(|p| p.result.clone());
        super::assemble(index, self.parsed_in_order(files).cloned()).0
    }

    /// What parsing the file at `rel` gave, as last parsed.
    pub fn get(&self, rel: &str) -> Option<&ParseResult<ParsedFile>> {
        self.parsed.get(rel).map(|p| &p.result)
    }

    /// The text of `_index.md`, as last parsed.
    pub fn index_source(&self) -> Option<&Arc<SourceText>> {
        self.index.as_ref().map(|p| &p.source)
    }
}
