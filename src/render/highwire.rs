//! Render stage: the Highwire Press `citation_*` meta tags, which Zotero's
//! page translator (and Google Scholar) read to save a page as a citable item
//! rather than as a bare web page.
//!
//! A part page describes the edited text (its author, the original date and
//! outlet); a source's page describes the source itself, so saving it saves
//! what the edition cites; the page of a person, claim or term describes the
//! editor's note. Other pages carry none.

use crate::markdown::plain_text;
use crate::model::{Author, Edition, EntityKind, EntityRef, Source, SourceKind};
use crate::render::jsonld::Urls;
use crate::render::{PageSpec, esc};

/// The tags of one page, ready to place in `<head>`; empty for pages that
/// are not citable items. Every value is escaped.
pub fn meta_tags(e: &Edition, spec: PageSpec, urls: &Urls) -> String {
    let mut tags = match spec {
        PageSpec::Part(i) => part_tags(e, i),
        PageSpec::Entity(r) if r.kind == EntityKind::Source => {
            source_tags(e, &e.sources[r.index as usize])
        }
        PageSpec::Entity(r) => note_tags(e, r),
        _ => return String::new(),
    };
    if urls.base.is_some() {
        tags.push(("citation_public_url", urls.url(&spec.path(e))));
    }
    let mut out = String::new();
    for (name, content) in tags {
        out.push_str(&format!(
            "<meta name=\"{name}\" content=\"{}\">\n",
            esc(&content)
        ));
    }
    out
}

type Tags = Vec<(&'static str, String)>;

fn part_tags(e: &Edition, i: usize) -> Tags {
    let mut tags = vec![("citation_title", e.parts[i].title.clone())];
    tags.extend(e.meta.author.iter().map(|a| ("citation_author", a.clone())));
    if let Some(original) = &e.meta.original {
        if let Some(d) = &original.date {
            tags.push(("citation_publication_date", slashed(&d.0)));
        }
        if let Some(outlet) = &original.outlet {
            tags.push(("citation_journal_title", outlet.clone()));
        }
    }
    tags.push(("citation_language", e.meta.language.clone()));
    tags
}

fn source_tags(e: &Edition, s: &Source) -> Tags {
    let d = &s.details;
    let mut tags = vec![("citation_title", s.title.clone())];
    tags.extend(s.authors.iter().map(|a| ("citation_author", name(e, a))));
    tags.extend(d.editors.iter().map(|a| ("citation_editor", name(e, a))));
    if let Some(date) = &s.date {
        tags.push(("citation_publication_date", slashed(&date.0)));
    }
    // The outlet is where an article appeared, and who published a book or report.
    let publishes = matches!(s.kind, Some(SourceKind::Book | SourceKind::Report));
    let container = d
        .container_title
        .as_ref()
        .or(s.outlet.as_ref().filter(|_| !publishes));
    let publisher = s
        .publisher
        .as_ref()
        .or(s.outlet.as_ref().filter(|_| publishes));
    if let Some(c) = container {
        let tag = match s.kind {
            Some(SourceKind::Book) => "citation_inbook_title",
            _ => "citation_journal_title",
        };
        tags.push((tag, c.clone()));
    }
    if let Some(p) = publisher {
        tags.push(("citation_publisher", p.clone()));
    }
    let (first, last) = match d.pages.as_deref().map(page_range) {
        Some((f, l)) => (Some(f), l),
        None => (None, None),
    };
    let optional = [
        ("citation_volume", d.volume.clone()),
        ("citation_issue", d.issue.clone()),
        ("citation_firstpage", first),
        ("citation_lastpage", last),
        ("citation_doi", d.doi.clone()),
        ("citation_isbn", d.isbn.clone()),
        ("citation_issn", d.issn.clone()),
    ];
    tags.extend(optional.into_iter().filter_map(|(n, v)| v.map(|v| (n, v))));
    tags
}

fn note_tags(e: &Edition, r: EntityRef) -> Tags {
    let mut tags = vec![("citation_title", plain_text(e.entity_name(r)))];
    tags.extend(e.meta.editor.iter().map(|a| ("citation_author", a.clone())));
    tags.push(("citation_language", e.meta.language.clone()));
    tags
}

fn name(e: &Edition, a: &Author) -> String {
    match a {
        Author::Person(p) => e[*p].name.clone(),
        Author::Name(n) => n.clone(),
    }
}

/// Highwire dates are written `2020/05/01`.
fn slashed(date: &str) -> String {
    date.replace('-', "/")
}

/// `52-61` (or with an en dash) → first and last page; `52` → first only.
fn page_range(pages: &str) -> (String, Option<String>) {
    match pages.split_once(['-', '–']) {
        Some((f, l)) => (f.trim().to_string(), Some(l.trim().to_string())),
        None => (pages.trim().to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_ranges_split_at_a_hyphen_or_dash() {
        assert_eq!(page_range("52-61"), ("52".into(), Some("61".into())));
        assert_eq!(page_range("52 – 61"), ("52".into(), Some("61".into())));
        assert_eq!(page_range("xii"), ("xii".into(), None));
    }
}
