//! Parse stage: the items of a CSL-JSON file (Zotero's "CSL JSON" export),
//! read with serde_json.
//!
//! A syntax error is shown where serde_json stopped; an item that cannot
//! become a source (no `id`, no `title`) is shown at the item, whose place
//! is found by walking the text once ([`item_spans`]), since serde_json
//! keeps no positions.

use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

use super::{Imported, iso_date, offset_at, raw_source, spanned};
use crate::diagnostics::{Code, Diagnostic, SourceText};
use crate::kinds::SourceKind;
use crate::raw::RawSource;

/// Every item of the file, or the one error that stops it.
pub(super) fn entries(source: &Arc<SourceText>) -> Vec<Result<Imported, Diagnostic>> {
    let text = source.text.trim_start_matches('\u{feff}');
    let offset = source.text.len() - text.len();
    let items = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items,
        Ok(_) => {
            let end = source.text.find('\n').unwrap_or(source.text.len());
            return vec![Err(Diagnostic::error(
                "a CSL-JSON file is a list of items, `[ {…}, … ]`",
            )
            .at(source, offset..end, "not a list")
            .with_help("export from Zotero with the format \"CSL JSON\"")
            .with_code(Code::CslJsonSyntax))];
        }
        Err(e) => {
            let at = offset_at(source, e.line(), e.column());
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            return vec![Err(Diagnostic::error(format!("not valid JSON: {message}"))
                .at(source, at..at, "here")
                .with_help("export from Zotero again, or check the quotes, commas and brackets before this point")
                .with_code(Code::CslJsonSyntax))];
        }
    };
    let spans = item_spans(text);
    (items.iter().enumerate())
        .map(|(i, item)| {
            let span = spans.get(i).cloned().unwrap_or(0..0);
            let span = offset + span.start..offset + span.end;
            item_entry(source, item, span)
        })
        .collect()
}

fn item_entry(
    source: &Arc<SourceText>,
    item: &Value,
    span: Range<usize>,
) -> Result<Imported, Diagnostic> {
    let first_line = source.text[span.clone()]
        .find('\n')
        .map_or(span.end, |i| span.start + i);
    let problem = |message: String, help: &str| {
        Diagnostic::error(message)
            .at(source, span.start..first_line, "this item")
            .with_help(help)
            .with_code(Code::BadImportedEntry)
    };
    let key = match item.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(problem(
                "CSL-JSON item without an `id`".into(),
                "every item needs an `id`, which becomes its source ID: `\"id\": \"smith2020\"`",
            ));
        }
    };
    let Some(title) = text(item, "title") else {
        return Err(problem(
            format!("item `{key}` has no title"),
            "give it a `\"title\"`: every source has a title",
        ));
    };
    let key_span = key_span(&source.text, &span, &key);
    Ok(Imported {
        key,
        key_span,
        span,
        raw: raw_fields(item, title),
    })
}

/// Where the item's `"id"` value is written, or its first line.
fn key_span(text: &str, span: &Range<usize>, key: &str) -> Range<usize> {
    let within = &text[span.clone()];
    let quoted = serde_json::to_string(key).unwrap_or_default();
    within
        .find("\"id\"")
        .and_then(|at| within[at..].find(&quoted).map(|i| at + i))
        .or_else(|| within.find(key))
        .map_or(span.start..span.start, |i| {
            span.start + i..span.start + i + quoted.len().min(within.len() - i)
        })
}

fn raw_fields(item: &Value, title: String) -> RawSource {
    let mut raw = raw_source(title);
    raw.kind = Some(source_kind(text(item, "type").as_deref().unwrap_or("")));
    raw.authors = names(item, "author");
    raw.editors = names(item, "editor");
    raw.translators = names(item, "translator");
    raw.date = date(item, "issued").map(spanned);
    raw.accessed = date(item, "accessed").map(spanned);
    raw.container_title = text(item, "container-title");
    raw.publisher = text(item, "publisher").map(spanned);
    raw.place = text(item, "publisher-place");
    raw.volume = text(item, "volume");
    raw.issue = text(item, "issue");
    raw.pages = text(item, "page");
    raw.edition = text(item, "edition");
    raw.url = text(item, "URL").map(spanned);
    raw.doi = text(item, "DOI").map(spanned);
    raw.isbn = text(item, "ISBN").map(spanned);
    raw.issn = text(item, "ISSN").map(spanned);
    raw.genre = text(item, "genre");
    raw.note = text(item, "note");
    raw
}

/// A text field (numbers, which CSL allows for `volume` and others, as text).
fn text(item: &Value, key: &str) -> Option<String> {
    let s = match item.get(key)? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// CSL names: `{"family", "given"}` or `{"literal"}`.
fn names(item: &Value, key: &str) -> Vec<serde_saphyr::Spanned<String>> {
    let Some(Value::Array(list)) = item.get(key) else {
        return Vec::new();
    };
    (list.iter())
        .filter_map(|n| {
            if let Some(literal) = text(n, "literal") {
                return Some(literal);
            }
            let parts = [
                text(n, "given"),
                text(n, "non-dropping-particle"),
                text(n, "family"),
            ];
            let name = parts.into_iter().flatten().collect::<Vec<_>>().join(" ");
            let name = match text(n, "suffix") {
                Some(suffix) if !name.is_empty() => format!("{name}, {suffix}"),
                _ => name,
            };
            (!name.is_empty()).then_some(name)
        })
        .map(spanned)
        .collect()
}

/// `{"date-parts": [[2020, 3, 1]]}` as `2020-03-01`; `{"raw": …}` as written,
/// for resolve to judge.
fn date(item: &Value, key: &str) -> Option<String> {
    let d = item.get(key)?;
    if let Some(Value::Array(ranges)) = d.get("date-parts") {
        let first = ranges.first()?.as_array()?;
        let part = |i: usize| {
            first.get(i).and_then(|v| {
                v.as_i64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            })
        };
        let month = part(1).and_then(|m| u32::try_from(m).ok());
        let day = part(2).and_then(|d| u32::try_from(d).ok());
        // A year that is not a number is kept as written, for resolve to
        // report as a bad date.
        let Some(year) = part(0) else {
            return Some(d.to_string());
        };
        return Some(iso_date(year, month, day.filter(|_| month.is_some())));
    }
    text(d, "raw").or_else(|| text(d, "literal"))
}

fn source_kind(csl_type: &str) -> SourceKind {
    match csl_type {
        "book" | "classic" => SourceKind::Book,
        "article" | "article-journal" | "article-magazine" | "article-newspaper" | "chapter"
        | "paper-conference" | "entry-encyclopedia" | "entry-dictionary" | "review"
        | "review-book" | "post" | "post-weblog" => SourceKind::Article,
        "interview" => SourceKind::Interview,
        "hearing" => SourceKind::Testimony,
        "broadcast" => SourceKind::Broadcast,
        "speech" => SourceKind::Speech,
        "personal_communication" => SourceKind::Letter,
        "report" => SourceKind::Report,
        "document" | "manuscript" | "webpage" | "legislation" | "legal_case" | "treaty" => {
            SourceKind::Document
        }
        _ => SourceKind::Other,
    }
}

/// The byte range of each element of the top-level array, in order. The text
/// is known to be valid JSON, so strings and nesting are all there is to it.
fn item_spans(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut start = None;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                if depth == 1 && start.is_none() {
                    start = Some(i);
                }
            }
            b'[' | b'{' => {
                if depth == 1 && start.is_none() {
                    start = Some(i);
                }
                depth += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    if let Some(s) = start.take() {
                        spans.push(s..i + 1);
                    }
                } else if depth == 0
                    && let Some(s) = start.take()
                {
                    spans.push(s..i);
                }
            }
            b',' if depth == 1 => {
                if let Some(s) = start.take() {
                    spans.push(s..i);
                }
            }
            b if depth == 1 && start.is_none() && !b.is_ascii_whitespace() => start = Some(i),
            _ => {}
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_items_place() {
        let text = "[\n  {\"id\": \"a\", \"x\": [1, {\"y\": \"]\"}]},\n  {\"id\": \"b\"}\n]\n";
        let spans = item_spans(text);
        assert_eq!(spans.len(), 2);
        assert_eq!(
            &text[spans[0].clone()],
            "{\"id\": \"a\", \"x\": [1, {\"y\": \"]\"}]}"
        );
        assert_eq!(&text[spans[1].clone()], "{\"id\": \"b\"}");
    }

    #[test]
    fn dates_from_their_parts() {
        let item: Value = serde_json::json!({"issued": {"date-parts": [[2020, 3, 1]]}});
        assert_eq!(date(&item, "issued").as_deref(), Some("2020-03-01"));
        let item: Value = serde_json::json!({"issued": {"date-parts": [["1999"]]}});
        assert_eq!(date(&item, "issued").as_deref(), Some("1999"));
    }
}
