//! Parse stage: the entries of a BibTeX or BibLaTeX file, through `biblatex`.
//!
//! The file is read twice: once raw, for each entry's key and where it is
//! written, once resolved (abbreviations, `crossref`), for typed fields.

use std::collections::HashMap;
use std::sync::Arc;

use biblatex::{
    Bibliography, ChunksExt, DateValue, EditorType, Entry, EntryType, PermissiveType, Person,
    RawBibliography,
};

use super::{Imported, iso_date, raw_source, spanned};
use crate::diagnostics::{Code, Diagnostic, SourceText};
use crate::kinds::SourceKind;
use crate::raw::RawSource;

/// Every entry of the file, or the one syntax error that stops it.
pub(super) fn entries(source: &Arc<SourceText>) -> Vec<Result<Imported, Diagnostic>> {
    let text = source.text.trim_start_matches('\u{feff}');
    let offset = source.text.len() - text.len();
    let parsed = RawBibliography::parse(text).and_then(|raw| {
        let places: HashMap<String, (std::ops::Range<usize>, std::ops::Range<usize>)> =
            (raw.entries.iter())
                .map(|e| {
                    (
                        e.v.key.v.to_string(),
                        (e.v.key.span.clone(), e.span.clone()),
                    )
                })
                .collect();
        Bibliography::from_raw(raw).map(|b| (b, places))
    });
    let (bibliography, places) = match parsed {
        Ok(p) => p,
        Err(e) => {
            let at = offset + e.span.start..offset + e.span.end.max(e.span.start);
            return vec![Err(Diagnostic::error(format!("malformed BibTeX: {}", e.kind))
                .at(source, at, "here")
                .with_help(
                    "each entry is `@type{key, field = {value}, …}`; check the braces and commas before this point (a `{` never closed takes in the rest of the file)",
                )
                .with_code(Code::BibSyntax))];
        }
    };
    (bibliography.iter())
        .map(|entry| {
            let (key_span, span) = places.get(&entry.key).cloned().unwrap_or((0..0, 0..0));
            let key_span = offset + key_span.start..offset + key_span.end;
            let span = offset + span.start..offset + span.end;
            let Some(title) = text_field(entry, &["title"]) else {
                return Err(
                    Diagnostic::error(format!("entry `{}` has no title", entry.key))
                        .at(source, key_span, "this entry")
                        .with_help("give it a `title = {…}` field: every source has a title")
                        .with_code(Code::BadImportedEntry),
                );
            };
            Ok(Imported {
                key: entry.key.clone(),
                key_span,
                span,
                raw: raw_fields(entry, title),
            })
        })
        .collect()
}

/// The fields glossator keeps, by their BibLaTeX names (and BibTeX's).
fn raw_fields(entry: &Entry, title: String) -> RawSource {
    let mut raw = raw_source(title);
    let kind = source_kind(&entry.entry_type);
    raw.kind = Some(kind);
    raw.authors = names(entry.author().unwrap_or_default());
    if let Ok(editors) = entry.editors() {
        raw.editors = (editors.into_iter())
            .filter(|(_, role)| *role == EditorType::Editor)
            .flat_map(|(people, _)| names(people))
            .collect();
    }
    raw.translators = names(
        entry
            .get_as::<Vec<Person>>("translator")
            .unwrap_or_default(),
    );
    raw.date = date(entry).map(spanned);
    raw.container_title = text_field(entry, &["journaltitle", "journal", "booktitle"]);
    let publisher = text_field(
        entry,
        &["publisher", "institution", "school", "organization"],
    );
    raw.publisher = publisher.map(spanned);
    raw.place = text_field(entry, &["location", "address"]);
    raw.volume = text_field(entry, &["volume"]);
    raw.issue = text_field(entry, &["number", "issue"]);
    raw.pages = text_field(entry, &["pages"]);
    raw.edition = text_field(entry, &["edition"]);
    raw.url = text_field(entry, &["url"]).map(spanned);
    raw.doi = text_field(entry, &["doi"]).map(spanned);
    raw.isbn = text_field(entry, &["isbn"]).map(spanned);
    raw.issn = text_field(entry, &["issn"]).map(spanned);
    raw.accessed = (entry.url_date().ok())
        .and_then(|d| typed_date(&d))
        .map(spanned);
    raw.genre = text_field(entry, &["type"]).or_else(|| thesis_genre(&entry.entry_type));
    raw.note = text_field(entry, &["note"]);
    raw
}

/// The first of `fields` the entry has, as plain text.
fn text_field(entry: &Entry, fields: &[&str]) -> Option<String> {
    (fields.iter())
        .filter_map(|f| entry.get(f))
        .map(|chunks| chunks.format_verbatim().trim().to_string())
        .find(|s| !s.is_empty())
}

/// People as `authors` takes them: given name, particle, family name, suffix.
fn names(people: Vec<Person>) -> Vec<serde_saphyr::Spanned<String>> {
    (people.into_iter())
        .map(|p| {
            let parts = [p.given_name, p.prefix, p.name];
            let mut name = (parts.iter())
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if !p.suffix.trim().is_empty() {
                name = format!("{name}, {}", p.suffix.trim());
            }
            spanned(name)
        })
        .filter(|s| !s.value.is_empty())
        .collect()
}

/// The entry's date (`date`, or `year`, `month`, `day`) as `YYYY-MM-DD` or
/// shorter; a date in words, or one biblatex cannot read, is kept as
/// written, for resolve to judge.
fn date(entry: &Entry) -> Option<String> {
    match entry.date() {
        Ok(PermissiveType::Typed(d)) => typed_date(&PermissiveType::Typed(d)),
        Ok(PermissiveType::Chunks(c)) => Some(c.format_verbatim()),
        // A `year` biblatex cannot read (`year = {abc}`) is kept as written,
        // so that resolve reports it rather than the date going missing.
        Err(_) => text_field(entry, &["date", "year"]),
    }
}

fn typed_date(d: &PermissiveType<biblatex::Date>) -> Option<String> {
    let PermissiveType::Typed(d) = d else {
        return None;
    };
    let at = match d.value {
        DateValue::At(at) | DateValue::After(at) | DateValue::Between(at, _) => at,
        DateValue::Before(at) => at,
    };
    // biblatex counts months and days from zero.
    Some(iso_date(
        i64::from(at.year),
        at.month.map(|m| u32::from(m) + 1),
        at.day.map(|d| u32::from(d) + 1),
    ))
}

fn source_kind(t: &EntryType) -> SourceKind {
    use EntryType as T;
    match t {
        T::Article | T::InProceedings | T::InCollection | T::InBook | T::InReference => {
            SourceKind::Article
        }
        T::Book | T::MvBook | T::Booklet | T::Collection | T::MvCollection | T::Proceedings => {
            SourceKind::Book
        }
        T::Report | T::TechReport => SourceKind::Report,
        T::Online | T::Manual => SourceKind::Document,
        _ => SourceKind::Other,
    }
}

fn thesis_genre(t: &EntryType) -> Option<String> {
    match t {
        EntryType::PhdThesis => Some("PhD thesis".into()),
        EntryType::MastersThesis => Some("Master’s thesis".into()),
        _ => None,
    }
}
