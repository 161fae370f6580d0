//! Resolve stage: parsed records become the [`Edition`] model.
//!
//! It merges entity definitions into one registry per kind, checks every
//! reference (mentions, a claim's sources and people, links between files),
//! orders the parts, numbers mentions and notes, and computes every back-link
//! once. Every problem found is reported; resolution goes on past errors so a
//! run shows them all.
//!
//! This file runs the jobs in order; each job is a file of its own:
//! `registry`, `documents`, `entities`, `links`, `notes`, `backlinks`,
//! `checks`, and `rebuild` for `serve`.

mod backlinks;
mod checks;
mod documents;
mod entities;
mod links;
mod notes;
mod rebuild;
mod registry;
mod sections;
mod source_fields;
mod text;

// The job files share these imports (`use super::*`): they are one stage.
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use serde_saphyr::Spanned;
use unicode_normalization::UnicodeNormalization;

use crate::diagnostics::{Code, Diagnostic, SourceText, did_you_mean};
use crate::frontmatter;
use crate::link_shapes;
use crate::markdown::{Body, Target, dangerous_scheme, is_valid_id};
use crate::model::*;
use crate::parse::{ParsedEdition, ParsedEntity, YamlPlace};
use crate::raw::RawEntity;
use crate::site_paths;
use crate::typography::smart;

use backlinks::{back_links, clear_back_links, name_organisations};
use notes::{footnote_numbers, number_notes};
use rebuild::{attach, shift_links};
use registry::{FileIndex, Registry};
use text::{default_sort_key, suggested_id};

pub use text::{sentence_around, valid_date};

pub fn resolve(parsed: ParsedEdition) -> (Option<Edition>, Vec<Diagnostic>) {
    let (resolved, diags) = resolve_keeping(parsed);
    (resolved.map(|r| r.edition), diags)
}

/// A resolved edition with what resolving it learnt, kept so that an edit to
/// one part's text can be resolved alone ([`Resolved::resolve_part_again`]).
pub struct Resolved {
    pub edition: Edition,
    registry: Registry,
    files: FileIndex,
    /// What every stage but the parts' and the final checks reported.
    other: Vec<Diagnostic>,
    /// What resolving each part reported, by part index.
    by_part: Vec<Vec<Diagnostic>>,
    /// What the final checks reported: they look at the whole edition.
    checks: Vec<Diagnostic>,
}

/// [`resolve`], keeping what a later [`Resolved::resolve_part_again`] needs;
/// `None` when there were errors.
pub fn resolve_keeping(parsed: ParsedEdition) -> (Option<Resolved>, Vec<Diagnostic>) {
    let mut r = Resolver { diags: Vec::new() };
    let registry = r.registry(&parsed.entities);
    let meta_raw = parsed.index;
    let docs = r.order_documents(parsed.parts, parsed.pages, parsed.sections);
    let mut edition = Edition {
        meta: Meta {
            title: String::new(),
            subtitle: None,
            author: None,
            original: None,
            editor: None,
            language: "en".into(),
            license: None,
            allow_html: false,
            tei: false,
            citation_style: String::new(),
            style_file: None,
            preface: Body::default(),
            preface_links: Vec::new(),
            cover: None,
        },
        parts: docs.parts,
        sections: docs.sections,
        contents: docs.contents,
        pages: docs.pages,
        people: Vec::new(),
        sources: Vec::new(),
        claims: Vec::new(),
        terms: Vec::new(),
        places: Vec::new(),
        organisations: Vec::new(),
        mentions: Vec::new(),
        note_links: NoteLinks::default(),
    };
    r.build_entities(&mut edition, parsed.entities, &registry);
    name_organisations(&mut edition);
    let located_in: Vec<_> = edition.places.iter().map(|p| p.located_in).collect();
    r.cycles(&edition, "located_in", &located_in);
    let part_of: Vec<_> = edition.organisations.iter().map(|o| o.part_of).collect();
    r.cycles(&edition, "part_of", &part_of);
    let files = FileIndex::new(&edition);
    let mut other = std::mem::take(&mut r.diags);
    // Each part's links alone, in parallel, numbering its mentions from 0;
    // then in order, each part's mentions take their place after the last's.
    let resolved_parts: Vec<_> = (edition.parts.par_iter().enumerate())
        .map(|(pi, part)| {
            let mut r = Resolver { diags: Vec::new() };
            let (links, mentions) = r.part_links(part, pi, 0, &registry, &files);
            (links, mentions, r.diags)
        })
        .collect();
    let by_part = (edition.parts.iter_mut().zip(resolved_parts))
        .map(|(part, (mut links, mentions, diags))| {
            let first = edition.mentions.len();
            shift_links(&mut links, first as isize);
            attach(part, links, &mentions, first);
            edition.mentions.extend(mentions);
            diags
        })
        .collect();
    r.resolve_pages(&mut edition, &registry, &files);
    r.resolve_notes(&mut edition, &registry, &files);
    if let Some(index) = meta_raw {
        r.meta(&mut edition, index, &registry, &files);
    }
    other.append(&mut r.diags);
    back_links(&mut edition);
    r.warnings(&edition);
    let resolved = Resolved {
        edition,
        registry,
        files,
        other,
        by_part,
        checks: r.diags,
    };
    let diags = resolved.diagnostics();
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(resolved), diags)
}

impl Resolved {
    /// Every diagnostic, as [`resolve`] returns them.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let by_part = self.by_part.iter().flatten();
        (self.other.iter().chain(by_part).chain(&self.checks))
            .cloned()
            .collect()
    }
}

struct Resolver {
    diags: Vec<Diagnostic>,
}

impl Resolver {
    fn error_at(
        &mut self,
        code: Code,
        origin: &Origin,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diags.push(
            Diagnostic::error(message)
                .at(&origin.source, origin.span.clone(), "")
                .with_code(code),
        );
        self.diags.last_mut().expect("just pushed")
    }

    /// The file position of a spanned YAML value in the file of `origin`.
    fn yaml_origin<T>(&self, origin: &Origin, value: &Spanned<T>) -> Origin {
        spanned_origin(&origin.source, &yaml_split_of(origin), value)
    }
}

fn yaml_split_of(origin: &Origin) -> frontmatter::Split {
    frontmatter::split(&origin.source).unwrap_or(frontmatter::Split {
        yaml: 0..0,
        body: 0..0,
    })
}

/// An image named in front matter, with the place its path is written;
/// whether the file exists is checked with the other files (`files`).
fn front_image(
    yaml: &YamlPlace,
    path: Option<Spanned<String>>,
    alt: Option<String>,
    credit: Option<String>,
) -> Option<FrontImage> {
    let path = path?;
    Some(FrontImage {
        origin: spanned_origin(&yaml.source, &yaml.split, &path),
        path: path.value,
        alt,
        credit,
    })
}

/// The file position of a spanned YAML value.
fn spanned_origin<T>(
    source: &Arc<SourceText>,
    split: &frontmatter::Split,
    v: &Spanned<T>,
) -> Origin {
    let loc = v.referenced;
    let at = frontmatter::offset_in_file(source, split, loc.line() as usize, loc.column() as usize);
    let end = source.text[at..]
        .find('\n')
        .map_or(source.text.len(), |i| at + i);
    Origin {
        source: Arc::clone(source),
        span: at..end,
    }
}
