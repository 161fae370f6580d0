//! Parse stage: bibliographies made elsewhere, read as source definitions.
//!
//! `content/sources/*.bib` (BibTeX and BibLaTeX, read with the `biblatex`
//! crate, `bib.rs`) and `content/sources/*.json` (CSL-JSON, the format Zotero
//! exports as "CSL JSON", `csl.rs`) define sources beside the Markdown ones.
//! Each entry becomes a [`ParsedEntity`] with the same raw fields a source's
//! front matter has, so resolve checks and uses them the same way; its
//! citation key becomes its ID ([`source_id`]) and is where a duplicate ID is
//! shown. A field that fails a check in resolve is shown at the start of its
//! entry, since an imported value carries no YAML position.

mod bib;
mod csl;

use std::ops::Range;
use std::sync::Arc;

use serde_saphyr::{Location, Spanned};

use super::{ParsedEntity, YamlPlace};
use crate::diagnostics::{Code, Diagnostic, SourceText};
use crate::frontmatter::Split;
use crate::markdown::{Body, is_valid_id};
use crate::model::{EntityKind, Origin};
use crate::raw::{RawEntity, RawSource};

/// The sources `source` defines, by its extension, and what is wrong in it.
pub(super) fn parse(rel: &str, source: &Arc<SourceText>) -> (Vec<ParsedEntity>, Vec<Diagnostic>) {
    let entries = if rel.ends_with(".bib") {
        bib::entries(source)
    } else {
        csl::entries(source)
    };
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for entry in entries {
        match entry.and_then(|e| e.into_parsed(source)) {
            Ok(p) => out.push(p),
            Err(d) => diags.push(d),
        }
    }
    (out, diags)
}

/// One entry as read, before its key is checked.
struct Imported {
    key: String,
    /// Where the key is written.
    key_span: Range<usize>,
    /// The whole entry.
    span: Range<usize>,
    raw: RawSource,
}

impl Imported {
    fn into_parsed(self, source: &Arc<SourceText>) -> Result<ParsedEntity, Diagnostic> {
        let id = source_id(&self.key).ok_or_else(|| {
            Diagnostic::error(format!(
                "citation key `{}` cannot become a source ID",
                self.key
            ))
            .at(source, self.key_span.clone(), "this key")
            .with_help(
                "source IDs are lowercase letters, digits and hyphens; give the entry a key with letters or digits in it, such as `smith2020`",
            )
            .with_code(Code::BadCitationKey)
        })?;
        let start = self.span.start;
        Ok(ParsedEntity {
            kind: EntityKind::Source,
            id,
            id_origin: Origin {
                source: Arc::clone(source),
                span: self.key_span,
            },
            raw: RawEntity::Source(Box::new(self.raw)),
            yaml: YamlPlace {
                source: Arc::clone(source),
                split: Split {
                    yaml: start..start,
                    body: self.span.end..self.span.end,
                },
            },
            body: Body::default(),
        })
    }
}

/// A citation key as a source ID: lower case, accents dropped, every run of
/// other characters a hyphen (`Smith_2020:a` → `smith-2020-a`); `None` if
/// nothing of it is left.
pub fn source_id(key: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in key.nfkd().filter(char::is_ascii) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let id = out.trim_end_matches('-').to_string();
    is_valid_id(&id).then_some(id)
}

/// An imported value: it has no YAML position (see the module's note).
fn spanned(value: String) -> Spanned<String> {
    Spanned::new(value, Location::UNKNOWN, Location::UNKNOWN)
}

/// An empty source with `title`, for the readers to fill in.
fn raw_source(title: String) -> RawSource {
    RawSource {
        title,
        authors: Vec::new(),
        outlet: None,
        publisher: None,
        date: None,
        kind: None,
        url: None,
        note: None,
        draft: false,
        container_title: None,
        editors: Vec::new(),
        translators: Vec::new(),
        place: None,
        volume: None,
        issue: None,
        pages: None,
        edition: None,
        doi: None,
        isbn: None,
        issn: None,
        accessed: None,
        genre: None,
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` from its parts (month and day from 1).
fn iso_date(year: i64, month: Option<u32>, day: Option<u32>) -> String {
    match (month, day) {
        (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{year:04}-{m:02}"),
        _ => format!("{year:04}"),
    }
}

/// The byte offset of a 1-based line and byte column, within the text.
fn offset_at(source: &SourceText, line: usize, col: usize) -> usize {
    let start = source.offset_of(line, 1);
    let line_end = source.text[start..]
        .find('\n')
        .map_or(source.text.len(), |i| start + i);
    let mut at = (start + col.saturating_sub(1)).min(line_end);
    while !source.text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citation_keys_become_ids() {
        assert_eq!(source_id("Smith2020").as_deref(), Some("smith2020"));
        assert_eq!(source_id("smith_2020:a").as_deref(), Some("smith-2020-a"));
        assert_eq!(source_id("Müller-Éva").as_deref(), Some("muller-eva"));
        assert_eq!(source_id("__x__").as_deref(), Some("x"));
        assert_eq!(source_id("???"), None);
        assert_eq!(source_id("伊藤"), None);
    }
}
