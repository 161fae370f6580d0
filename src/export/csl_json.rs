//! Export: `sources.csl.json`, the edition's sources as CSL-JSON, the format
//! citation processors read and Zotero imports ("CSL JSON"), valid against
//! the schema of CSL 1.0.2 input data (`csl-data.json`).
//!
//! Items are typed structs rather than JSON trees, so a field's CSL name is
//! written once, and the file is the same bytes for the same edition.

use serde::Serialize;

use crate::model::{Author, Edition, PartialDate, Source, SourceKind};

/// One CSL-JSON item, with CSL's variable names.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Item<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    item_type: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Name<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    editor: Vec<Name<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    translator: Vec<Name<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    container_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher_place: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    volume: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edition: Option<&'a str>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<&'a str>,
    #[serde(rename = "ISBN", skip_serializing_if = "Option::is_none")]
    isbn: Option<&'a str>,
    #[serde(rename = "ISSN", skip_serializing_if = "Option::is_none")]
    issn: Option<&'a str>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

/// A CSL name: family and given for a person of the edition whose sort key
/// splits them, the name whole (`literal`) otherwise: a name as written may
/// be an organisation's, and guessing where a surname starts would garble it.
#[derive(Serialize)]
#[serde(untagged)]
enum Name<'a> {
    Split { family: &'a str, given: &'a str },
    Literal { literal: &'a str },
}

/// `{"date-parts": [[2020, 5, 1]]}`: year, month and day as far as known.
#[derive(Serialize)]
struct Date {
    #[serde(rename = "date-parts")]
    date_parts: [Vec<u32>; 1],
}

/// Where the title of a part goes in its reference, which is formatted once
/// per edition (see [`part_item`]).
pub const PART_TITLE_MARK: &str = "\u{E000}";
/// Where a paragraph's address goes in a part's reference.
pub const PARAGRAPH_URL_MARK: &str = "\u{E001}";

/// A part of the edition as a CSL-JSON item, a chapter of the edition, with
/// marks for its title and address: a style formats every part's reference
/// the same way, so one formatting serves them all.
pub fn part_item(e: &Edition) -> Vec<u8> {
    fn literal(n: &Option<String>) -> Vec<Name<'_>> {
        n.iter().map(|literal| Name::Literal { literal }).collect()
    }
    let original = e.meta.original.as_ref();
    let item = Item {
        id: "part",
        item_type: "chapter",
        title: PART_TITLE_MARK,
        author: literal(&e.meta.author),
        editor: literal(&e.meta.editor),
        translator: Vec::new(),
        container_title: Some(&e.meta.title),
        publisher: None,
        publisher_place: None,
        volume: None,
        issue: None,
        page: None,
        edition: None,
        doi: None,
        isbn: None,
        issn: None,
        url: Some(PARAGRAPH_URL_MARK),
        issued: original.and_then(|o| o.date.as_ref()).map(date),
        accessed: None,
        genre: None,
        note: None,
    };
    serde_json::to_vec(&item).expect("an item serializes")
}

/// The whole file: a JSON array of items, in the edition's source order.
pub fn to_csl_json(e: &Edition) -> Vec<u8> {
    let items: Vec<Item> = e.sources.iter().map(|s| item(e, s)).collect();
    let mut out = serde_json::to_vec_pretty(&items).expect("CSL items always serialize");
    out.push(b'\n');
    out
}

fn item<'a>(e: &'a Edition, s: &'a Source) -> Item<'a> {
    let d = &s.details;
    // The outlet is where an article or broadcast appeared, and who
    // published a book or a report.
    let outlet_publishes = matches!(s.kind, Some(SourceKind::Book | SourceKind::Report));
    let outlet = s.outlet.as_deref();
    Item {
        id: &s.id,
        item_type: item_type(s),
        title: &s.title,
        author: names(e, &s.authors),
        editor: names(e, &d.editors),
        translator: names(e, &d.translators),
        container_title: d
            .container_title
            .as_deref()
            .or(outlet.filter(|_| !outlet_publishes)),
        publisher: s
            .publisher
            .as_deref()
            .or(outlet.filter(|_| outlet_publishes)),
        publisher_place: d.place.as_deref(),
        volume: d.volume.as_deref(),
        issue: d.issue.as_deref(),
        page: d.pages.as_deref(),
        edition: d.edition.as_deref(),
        doi: d.doi.as_deref(),
        isbn: d.isbn.as_deref(),
        issn: d.issn.as_deref(),
        url: s.url.as_deref(),
        issued: s.date.as_ref().map(date),
        accessed: d.accessed.as_ref().map(date),
        genre: d.genre.as_deref(),
        note: s.note_field.as_deref(),
    }
}

/// The CSL type of a source. An article with a volume, issue or ISSN is a
/// journal's; any other is taken to be a magazine's, the nearer guess for
/// the press an edition usually cites.
fn item_type(s: &Source) -> &'static str {
    let d = &s.details;
    match s.kind {
        Some(SourceKind::Book) => "book",
        Some(SourceKind::Article)
            if d.volume.is_some() || d.issue.is_some() || d.issn.is_some() =>
        {
            "article-journal"
        }
        Some(SourceKind::Article) => "article-magazine",
        Some(SourceKind::Interview) => "interview",
        Some(SourceKind::Testimony) => "hearing",
        Some(SourceKind::Broadcast) => "broadcast",
        Some(SourceKind::Speech) => "speech",
        Some(SourceKind::Letter) => "personal_communication",
        Some(SourceKind::Report) => "report",
        Some(SourceKind::Document | SourceKind::Other) | None => "document",
    }
}

fn names<'a>(e: &'a Edition, authors: &'a [Author]) -> Vec<Name<'a>> {
    authors
        .iter()
        .map(|a| match a {
            Author::Person(p) => {
                let person = &e[*p];
                match person.sort_as.split_once(", ") {
                    Some((family, given)) if !family.is_empty() && !given.is_empty() => {
                        Name::Split { family, given }
                    }
                    _ => Name::Literal {
                        literal: &person.name,
                    },
                }
            }
            Author::Name(n) => Name::Literal { literal: n },
        })
        .collect()
}

fn date(d: &PartialDate) -> Date {
    let parts = d.0.split('-').filter_map(|p| p.parse().ok()).collect();
    Date {
        date_parts: [parts],
    }
}
