//! Facts from a file's parse: what `index::Analysis` keeps of each file,
//! read from the parser's records (`parse`, `raw`, `markdown`), never from
//! the resolved model, so they are there while the edition has errors.

use std::ops::Range;
use std::sync::Arc;

use serde_saphyr::Spanned;

use super::card::card;
use super::facts::{
    Anchor, Entity, Facts, FileLink, Kind, Occurrence, Place, REFERENCE_FIELDS, Role, Written,
    field_takes_prefix, join_relative,
};
use crate::diagnostics::SourceText;
use crate::frontmatter::{self, Split};
use crate::load::{FileKind, LoadedFile};
use crate::markdown::{Body, Target};
use crate::parse::{ParsedEntity, ParsedFile, ParsedIndex, YamlPlace};
use crate::raw::RawEntity;

fn role_of(kind: FileKind) -> Role {
    match kind {
        FileKind::Index => Role::Index,
        FileKind::Part => Role::Part,
        // A section's introduction is read as a page is: a title, a body and
        // the anchors of its headings.
        FileKind::Page | FileKind::Section => Role::Page,
        FileKind::Entity(k) => Role::Entity(Kind(k)),
    }
}

fn empty_facts(f: &LoadedFile) -> Facts {
    let front_matter = frontmatter::split(&f.source).map_or(0..0, |s| s.yaml);
    Facts {
        rel: f.rel.clone(),
        source: Arc::clone(&f.source),
        role: role_of(f.kind),
        front_matter,
        title: None,
        entities: Vec::new(),
        occurrences: Vec::new(),
        file_links: Vec::new(),
        anchors: Vec::new(),
        body: None,
    }
}

pub(super) fn index_facts(f: &LoadedFile, parsed: Option<&ParsedIndex>) -> Facts {
    let mut facts = empty_facts(f);
    if let Some(index) = parsed {
        facts.title = Some(index.raw.title.clone());
        add_body(&mut facts, &index.body);
    }
    facts
}

pub(super) fn file_facts(f: &LoadedFile, parsed: Option<&ParsedFile>) -> Facts {
    let mut facts = empty_facts(f);
    match parsed {
        Some(ParsedFile::Part(part, inline)) => {
            facts.title = Some(part.raw.title.clone());
            add_body(&mut facts, &part.body);
            facts.anchors = anchors(&part.body);
            for e in inline {
                add_entity(&mut facts, e, false);
            }
        }
        Some(ParsedFile::Page(page)) => {
            facts.title = Some(page.raw.title.clone());
            add_body(&mut facts, &page.body);
            facts.anchors = anchors(&page.body);
        }
        Some(ParsedFile::Section(section)) => {
            facts.title = Some(section.raw.title.clone());
            add_body(&mut facts, &section.body);
            facts.anchors = anchors(&section.body);
        }
        Some(ParsedFile::Entity(e)) => {
            add_entity(&mut facts, e, true);
            add_body(&mut facts, &e.body);
        }
        // Many sources in one file: none of them is the file's own.
        Some(ParsedFile::Imported(list)) => {
            for e in list {
                add_entity(&mut facts, e, false);
            }
        }
        Some(ParsedFile::SourceNote(note)) => add_body(&mut facts, &note.body),
        None => {}
    }
    facts
}

/// The mentions and file links of a body.
fn add_body(facts: &mut Facts, body: &Body) {
    let text = &body.source.text;
    for link in &body.links {
        match &link.target {
            Target::Mention { kind, id } => {
                let target = format!("{}:{id}", kind.prefix());
                let within = text.get(link.span.clone()).unwrap_or("");
                let id_span = within.rfind(&target).map(|i| {
                    let start = link.span.start + i + kind.prefix().len() + 1;
                    start..start + id.len()
                });
                facts.occurrences.push(Occurrence {
                    kind: Kind(*kind),
                    id: id.clone(),
                    written: Written::Mention,
                    span: link.span.clone(),
                    id_span,
                });
            }
            Target::Content { path, fragment } => facts.file_links.push(FileLink {
                span: link.span.clone(),
                rel: join_relative(&facts.rel, path),
                fragment: fragment.clone(),
            }),
            Target::Fragment(_) | Target::External(_) => {}
        }
    }
    facts.body = Some(body.clone());
}

/// The numbered paragraphs and headings of a body, with their byte ranges.
fn anchors(body: &Body) -> Vec<Anchor> {
    let spans = body.spans();
    let span_of = |event: usize| spans.get(event).cloned().unwrap_or(0..0);
    let paragraphs = (body.paragraph_starts.iter().zip(&body.paragraphs))
        .enumerate()
        .map(|(i, (&event, text))| Anchor {
            id: format!("p{}", i + 1),
            label: first_words(text),
            span: span_of(event),
            heading_level: 0,
        });
    let headings = body.headings.iter().map(|h| Anchor {
        id: h.id.clone(),
        label: h.text.clone(),
        span: span_of(h.start),
        heading_level: h.level,
    });
    let mut all: Vec<Anchor> = paragraphs.chain(headings).collect();
    all.sort_by_key(|a| a.span.start);
    all
}

fn first_words(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

fn add_entity(facts: &mut Facts, e: &ParsedEntity, own_file: bool) {
    let kind = Kind(e.kind);
    let (name, aliases, description, details) = card(&e.raw);
    let sources = match &e.raw {
        RawEntity::Claim(c) => c.sources.iter().map(|s| s.value.clone()).collect(),
        _ => Vec::new(),
    };
    facts.entities.push(Entity {
        kind,
        id: e.id.clone(),
        name,
        aliases,
        description,
        details,
        sources,
        definition: Place {
            file: e.id_origin.source.display_path.clone(),
            span: e.id_origin.span.clone(),
        },
        own_file,
    });
    for (field, value) in references(&e.raw) {
        if let Some(occurrence) = reference(&e.yaml, field, value) {
            facts.occurrences.push(occurrence);
        }
    }
}

/// The reference fields of a definition, as (field, value).
fn references(raw: &RawEntity) -> Vec<(&'static str, &Spanned<String>)> {
    let mut out = Vec::new();
    match raw {
        RawEntity::Source(s) => {
            out.extend(s.authors.iter().map(|a| ("authors", a)));
            out.extend(s.outlet.iter().map(|o| ("outlet", o)));
            out.extend(s.publisher.iter().map(|o| ("publisher", o)));
        }
        RawEntity::Person(p) => out.extend(p.affiliations.iter().map(|a| ("affiliations", a))),
        RawEntity::Place(p) => out.extend(p.located_in.iter().map(|l| ("located_in", l))),
        RawEntity::Organisation(o) => out.extend(o.part_of.iter().map(|o| ("part_of", o))),
        RawEntity::Claim(c) => {
            out.extend(c.sources.iter().map(|s| ("sources", s)));
            out.extend(c.attributed_to.iter().map(|s| ("attributed_to", s)));
            out.extend(c.about.iter().map(|s| ("about", s)));
        }
        RawEntity::Term(_) => {}
    }
    out
}

/// A reference written in YAML, with its place in the file.
fn reference(yaml: &YamlPlace, field: &str, value: &Spanned<String>) -> Option<Occurrence> {
    let fixed = REFERENCE_FIELDS.iter().find(|(f, _)| *f == field)?.1;
    let (kind, id, prefix_len) = match value.value.split_once(':') {
        Some((prefix, id)) if field_takes_prefix(field) => {
            (Kind::from_prefix(prefix)?, id, prefix.len() + 1)
        }
        // A plain name or outlet, not a reference.
        _ if matches!(field, "authors" | "outlet" | "publisher") => return None,
        _ => (Kind::from_prefix(fixed?)?, value.value.as_str(), 0),
    };
    let span = yaml_value_span(&yaml.source, &yaml.split, value)?;
    let id_start = span.start + prefix_len;
    Some(Occurrence {
        kind,
        id: id.to_string(),
        written: Written::Reference,
        id_span: Some(id_start..id_start + id.len()),
        span,
    })
}

/// The byte range of a YAML scalar's text in the file: from where the parser
/// saw it, to the end of the value as written (quotes excluded).
fn yaml_value_span(
    source: &SourceText,
    split: &Split,
    v: &Spanned<String>,
) -> Option<Range<usize>> {
    let loc = v.referenced;
    let at = frontmatter::offset_in_file(source, split, loc.line() as usize, loc.column() as usize);
    let line_end = source.text[at..]
        .find('\n')
        .map_or(source.text.len(), |i| at + i);
    let found = source.text[at..line_end].find(v.value.as_str())?;
    Some(at + found..at + found + v.value.len())
}
