//! Parse stage: loaded files become typed, unresolved records.
//!
//! Each file is split into front matter and body, its YAML deserialized into
//! the raw types and its Markdown parsed into a [`Body`]. Files are independent
//! here, so they are parsed in parallel; a file that fails to parse is reported
//! and left out, and the others go on.

use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use rayon::prelude::*;

mod cache;
mod import;

pub use cache::ParseCache;

use crate::diagnostics::{Code, Diagnostic, SourceText};
use crate::frontmatter::{self, Split};
use crate::load::{FileKind, LoadedFile};
use crate::markdown::{Body, ParseOptions, parse_body};
use crate::model::{EntityKind, Origin};
use crate::raw::{RawEntity, RawIndex, RawPage, RawPart, RawSection, RawSource};

#[derive(Debug, Clone)]
pub struct ParsedIndex {
    pub raw: RawIndex,
    pub origin: Origin,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct ParsedPart {
    pub rel: String,
    pub raw: RawPart,
    pub origin: Origin,
    pub body: Body,
}

/// A section's `_index.md`; `rel` is the file's path (`letters/_index.md`).
#[derive(Debug, Clone)]
pub struct ParsedSection {
    pub rel: String,
    pub raw: RawSection,
    pub origin: Origin,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct ParsedPage {
    pub rel: String,
    pub raw: RawPage,
    pub origin: Origin,
    pub body: Body,
}

/// One entity definition, from its own file or from a part's front matter.
#[derive(Debug, Clone)]
pub struct ParsedEntity {
    pub kind: EntityKind,
    pub id: String,
    /// Where the ID is written: the file name, or the inline key.
    pub id_origin: Origin,
    pub raw: RawEntity,
    /// The YAML of the definition, for positions of its fields.
    pub yaml: YamlPlace,
    /// The long note (empty for inline definitions).
    pub body: Body,
}

/// Where a definition's YAML sits, to turn YAML positions into file offsets.
#[derive(Debug, Clone)]
pub struct YamlPlace {
    pub source: Arc<SourceText>,
    pub split: Split,
}

#[derive(Debug, Default)]
pub struct ParsedEdition {
    pub index: Option<ParsedIndex>,
    pub parts: Vec<ParsedPart>,
    pub pages: Vec<ParsedPage>,
    pub sections: Vec<ParsedSection>,
    pub entities: Vec<ParsedEntity>,
}

/// One file's records: a part brings its inline entity definitions along.
#[derive(Debug, Clone)]
pub enum ParsedFile {
    Part(ParsedPart, Vec<ParsedEntity>),
    Page(ParsedPage),
    Section(ParsedSection),
    Entity(ParsedEntity),
    /// The sources of a `.bib` or CSL-JSON file of `content/sources/`.
    Imported(Vec<ParsedEntity>),
    /// `content/sources/ID.md` with a body and no front matter: the long
    /// note of the imported source `ID`. If no bibliography defines `ID`,
    /// `missing` (the error for a file without front matter) is reported.
    SourceNote(SourceNote),
}

#[derive(Debug, Clone)]
pub struct SourceNote {
    pub id: String,
    pub body: Body,
    pub missing: Diagnostic,
}

/// Parses every loaded file. `_index.md` goes first: it says whether raw HTML is allowed.
pub fn parse_files(files: &[LoadedFile]) -> (ParsedEdition, Vec<Diagnostic>) {
    let index = files
        .iter()
        .find(|f| f.kind == FileKind::Index)
        .map(parse_index_file);
    let allow_html = allows_html(index.as_ref());
    let results: Vec<(Option<ParsedFile>, Vec<Diagnostic>)> = files
        .par_iter()
        .filter(|f| f.kind != FileKind::Index)
        .map(|file| parse_one(file, allow_html))
        .collect();
    assemble(index, results)
}

/// Whether the parsed `_index.md` allows raw HTML in the other files.
pub fn allows_html(index: Option<&(Option<ParsedIndex>, Vec<Diagnostic>)>) -> bool {
    index
        .and_then(|(i, _)| i.as_ref())
        .is_some_and(|i| i.raw.allow_html)
}

/// Gathers per-file results, in file order, into one edition. `index` is
/// `None` when there is no `_index.md`.
pub fn assemble(
    index: Option<(Option<ParsedIndex>, Vec<Diagnostic>)>,
    results: impl IntoIterator<Item = (Option<ParsedFile>, Vec<Diagnostic>)>,
) -> (ParsedEdition, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut edition = ParsedEdition::default();
    let mut imported = std::collections::HashSet::new();
    let mut notes = Vec::new();
    match index {
        Some((index, ds)) => {
            diags.extend(ds);
            edition.index = index;
        }
        None => diags.push(
            Diagnostic::error("content/_index.md is missing")
                .with_help(
                    "every edition has a `content/_index.md` with at least `title:` in its front matter",
                )
                .with_code(Code::MissingIndex),
        ),
    }
    for (parsed, ds) in results {
        diags.extend(ds);
        match parsed {
            Some(ParsedFile::Part(part, inline)) => {
                edition.parts.push(part);
                edition.entities.extend(inline);
            }
            Some(ParsedFile::Page(page)) => edition.pages.push(page),
            Some(ParsedFile::Section(section)) => edition.sections.push(section),
            Some(ParsedFile::Entity(e)) => edition.entities.push(e),
            Some(ParsedFile::Imported(list)) => {
                imported.extend(list.iter().map(|e| e.id.clone()));
                edition.entities.extend(list);
            }
            Some(ParsedFile::SourceNote(note)) => notes.push(note),
            None => {}
        }
    }
    attach_notes(&mut edition, notes, &imported, &mut diags);
    (edition, diags)
}

/// Gives each imported source the long note written for it in
/// `content/sources/ID.md`; a note for no imported source is an error.
fn attach_notes(
    edition: &mut ParsedEdition,
    notes: Vec<SourceNote>,
    imported: &std::collections::HashSet<String>,
    diags: &mut Vec<Diagnostic>,
) {
    for note in notes {
        let target = (imported.contains(&note.id))
            .then(|| {
                edition.entities.iter_mut().find(|e| {
                    e.kind == EntityKind::Source && e.id == note.id && e.body.event_count == 0
                })
            })
            .flatten();
        match target {
            Some(e) => e.body = note.body,
            None => diags.push(note.missing),
        }
    }
}

/// Parses `_index.md`.
pub fn parse_index_file(file: &LoadedFile) -> (Option<ParsedIndex>, Vec<Diagnostic>) {
    match parse_index(file) {
        Ok((index, ds)) => (Some(index), ds),
        Err(d) => (None, vec![d]),
    }
}

/// Parses one file other than `_index.md`. A panic while parsing becomes an
/// error naming that file; the other files are still parsed and reported.
pub fn parse_one(file: &LoadedFile, allow_html: bool) -> (Option<ParsedFile>, Vec<Diagnostic>) {
    match catch_unwind(AssertUnwindSafe(|| parse_file(file, allow_html))) {
        Ok(Ok((parsed, ds))) => (Some(parsed), ds),
        Ok(Err(d)) => (None, vec![d]),
        Err(_) => (
            None,
            vec![
                Diagnostic::error(format!(
                    "internal error while parsing {}: this is a bug in glossator",
                    file.source.display_path
                ))
                .with_code(Code::InternalError)
                .in_file(std::path::Path::new(&file.source.display_path)),
            ],
        ),
    }
}

fn parse_index(file: &LoadedFile) -> Result<(ParsedIndex, Vec<Diagnostic>), Diagnostic> {
    let split = frontmatter::split(&file.source)?;
    let raw: RawIndex = frontmatter::parse(&file.source, &split)?;
    let opts = ParseOptions {
        number_paragraphs: false,
        allow_html: raw.allow_html,
    };
    let (body, diags) = parse_body(&file.source, split.body.clone(), opts);
    let origin = origin_of(&file.source, &split);
    Ok((ParsedIndex { raw, origin, body }, diags))
}

fn parse_file(
    file: &LoadedFile,
    allow_html: bool,
) -> Result<(ParsedFile, Vec<Diagnostic>), Diagnostic> {
    let source_file = file.kind == FileKind::Entity(EntityKind::Source);
    if source_file && !file.rel.ends_with(".md") {
        let (entities, diags) = import::parse(&file.rel, &file.source);
        return Ok((ParsedFile::Imported(entities), diags));
    }
    let split = frontmatter::split(&file.source)?;
    let note_opts = ParseOptions {
        number_paragraphs: false,
        allow_html,
    };
    if source_file
        && split.yaml.is_empty()
        && let Err(missing) = frontmatter::parse::<RawSource>(&file.source, &split)
    {
        let (body, diags) = parse_body(&file.source, split.body.clone(), note_opts);
        let id = entity_id(&file.rel);
        let note = SourceNote { id, body, missing };
        return Ok((ParsedFile::SourceNote(note), diags));
    }
    match file.kind {
        FileKind::Part => parse_part(file, split, allow_html),
        FileKind::Page => parse_page(file, split, note_opts),
        FileKind::Section => parse_section(file, split, note_opts),
        FileKind::Entity(kind) => parse_entity(file, kind, split, note_opts),
        FileKind::Index => unreachable!("_index.md is parsed first, on its own"),
    }
}

type Parsed = Result<(ParsedFile, Vec<Diagnostic>), Diagnostic>;

/// A part, with the entities defined inline in its front matter taken out.
fn parse_part(file: &LoadedFile, split: frontmatter::Split, allow_html: bool) -> Parsed {
    let raw: RawPart = frontmatter::parse(&file.source, &split)?;
    let opts = ParseOptions {
        number_paragraphs: true,
        allow_html,
    };
    let (body, diags) = parse_body(&file.source, split.body.clone(), opts);
    let origin = origin_of(&file.source, &split);
    let yaml = YamlPlace {
        source: Arc::clone(&file.source),
        split,
    };
    let mut part = ParsedPart {
        rel: file.rel.clone(),
        raw,
        origin,
        body,
    };
    let inline = take_inline_entities(&mut part.raw, &yaml);
    Ok((ParsedFile::Part(part, inline), diags))
}

fn parse_page(file: &LoadedFile, split: frontmatter::Split, opts: ParseOptions) -> Parsed {
    let raw: RawPage = frontmatter::parse(&file.source, &split)?;
    let (body, diags) = parse_body(&file.source, split.body.clone(), opts);
    let page = ParsedPage {
        rel: file.rel.clone(),
        raw,
        origin: origin_of(&file.source, &split),
        body,
    };
    Ok((ParsedFile::Page(page), diags))
}

fn parse_section(file: &LoadedFile, split: frontmatter::Split, opts: ParseOptions) -> Parsed {
    let raw: RawSection = frontmatter::parse(&file.source, &split)?;
    let (body, diags) = parse_body(&file.source, split.body.clone(), opts);
    let section = ParsedSection {
        rel: file.rel.clone(),
        raw,
        origin: origin_of(&file.source, &split),
        body,
    };
    Ok((ParsedFile::Section(section), diags))
}

/// An entity file: its front matter read as its kind's fields, its body as
/// the long note, its ID from its name.
fn parse_entity(
    file: &LoadedFile,
    kind: EntityKind,
    split: frontmatter::Split,
    opts: ParseOptions,
) -> Parsed {
    let raw = raw_entity(file, kind, &split)?;
    let (body, diags) = parse_body(&file.source, split.body.clone(), opts);
    let entity = ParsedEntity {
        kind,
        id: entity_id(&file.rel),
        id_origin: origin_of(&file.source, &split),
        raw,
        yaml: YamlPlace {
            source: Arc::clone(&file.source),
            split,
        },
        body,
    };
    Ok((ParsedFile::Entity(entity), diags))
}

fn raw_entity(
    file: &LoadedFile,
    kind: EntityKind,
    split: &frontmatter::Split,
) -> Result<RawEntity, Diagnostic> {
    let source = &file.source;
    Ok(match kind {
        EntityKind::Person => RawEntity::Person(Box::new(frontmatter::parse(source, split)?)),
        EntityKind::Source => RawEntity::Source(Box::new(frontmatter::parse(source, split)?)),
        EntityKind::Claim => RawEntity::Claim(frontmatter::parse(source, split)?),
        EntityKind::Term => RawEntity::Term(frontmatter::parse(source, split)?),
        EntityKind::Place => RawEntity::Place(Box::new(frontmatter::parse(source, split)?)),
        EntityKind::Organisation => {
            RawEntity::Organisation(Box::new(frontmatter::parse(source, split)?))
        }
    })
}

/// The front matter's opening line: where a file's own problems are reported.
/// An entity file's ID: its name without `.md`.
fn entity_id(rel: &str) -> String {
    (rel.rsplit('/').next().unwrap_or_default())
        .trim_end_matches(".md")
        .to_string()
}

fn origin_of(source: &Arc<SourceText>, split: &Split) -> Origin {
    let start = split.yaml.start.saturating_sub(4);
    let line_end = source.text[start..]
        .find('\n')
        .map_or(source.text.len(), |i| start + i);
    Origin {
        source: Arc::clone(source),
        span: start..line_end,
    }
}

/// Moves a part's inline entity definitions out of its raw front matter.
fn take_inline_entities(raw: &mut RawPart, yaml: &YamlPlace) -> Vec<ParsedEntity> {
    let mut out = Vec::new();
    let mut push =
        |kind: EntityKind, id: String, loc: serde_saphyr::Location, entity: RawEntity| {
            let at = frontmatter::offset_in_file(
                &yaml.source,
                &yaml.split,
                loc.line() as usize,
                loc.column() as usize,
            );
            let span = key_span(&yaml.source, at, &id);
            out.push(ParsedEntity {
                kind,
                id,
                id_origin: Origin {
                    source: Arc::clone(&yaml.source),
                    span,
                },
                raw: entity,
                yaml: yaml.clone(),
                body: Body::default(),
            });
        };
    for (id, v) in std::mem::take(&mut raw.people) {
        push(
            EntityKind::Person,
            id,
            v.referenced,
            RawEntity::Person(Box::new(v.value)),
        );
    }
    for (id, v) in std::mem::take(&mut raw.sources) {
        push(
            EntityKind::Source,
            id,
            v.referenced,
            RawEntity::Source(Box::new(v.value)),
        );
    }
    for (id, v) in std::mem::take(&mut raw.claims) {
        push(
            EntityKind::Claim,
            id,
            v.referenced,
            RawEntity::Claim(v.value),
        );
    }
    for (id, v) in std::mem::take(&mut raw.terms) {
        push(EntityKind::Term, id, v.referenced, RawEntity::Term(v.value));
    }
    for (id, v) in std::mem::take(&mut raw.places) {
        push(
            EntityKind::Place,
            id,
            v.referenced,
            RawEntity::Place(Box::new(v.value)),
        );
    }
    for (id, v) in std::mem::take(&mut raw.organisations) {
        let entity = RawEntity::Organisation(Box::new(v.value));
        push(EntityKind::Organisation, id, v.referenced, entity);
    }
    out
}

/// The span of an inline definition's key: the YAML position points at the
/// value, so look back for the line that holds `id:`.
fn key_span(source: &SourceText, value_at: usize, id: &str) -> Range<usize> {
    let before = &source.text[..value_at.min(source.text.len())];
    let needle = format!("{id}:");
    match before.rfind(&needle) {
        Some(i) => i..i + id.len(),
        None => value_at..value_at,
    }
}
