//! The nodes of the pages that are not an entity's: the edition, its parts
//! and sections, the other pages, and the index of each kind.

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde::Serialize;

use super::{Stub, Urls, edition_stub, entity_stub, page_title, part_of, part_stub, section_stub};
use crate::model::{Edition, EntityKind, EntityRef, Item};
use crate::render::PageSpec;
use crate::site_paths;

/// The edition, with its authors, its parts and the publication it is
/// based on.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct EditionWork<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    alternative_headline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Stub<'a>>,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    editor: Option<Stub<'a>>,
    has_part: Vec<Stub<'a>>,
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_based_on: Option<Original<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    name: &'a str,
    url: String,
}

/// The publication the edition is based on.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Original<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Stub<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Stub<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

pub(super) fn edition<'a>(e: &'a Edition, urls: &Urls, description: &'a str) -> EditionWork<'a> {
    let m = &e.meta;
    let author = || m.author.as_deref().map(|a| Stub::named("Person", a));
    let original = m.original.as_ref().map(|o| Original {
        kind: "CreativeWork",
        author: author(),
        date_published: o.date.as_ref().map(|d| d.0.as_str()),
        name: o.title.as_deref().unwrap_or(&m.title),
        publisher: o.outlet.as_deref().map(|n| Stub::named("Organization", n)),
        url: o.url.as_deref(),
    });
    EditionWork {
        id: urls.url(site_paths::INDEX),
        kind: "CreativeWork",
        alternative_headline: m.subtitle.as_deref(),
        author: author(),
        description,
        editor: m.editor.as_deref().map(|ed| Stub::named("Person", ed)),
        has_part: (0..e.parts.len()).map(|i| part_stub(e, i, urls)).collect(),
        in_language: &m.language,
        is_based_on: original,
        license: m.license.as_deref(),
        name: &m.title,
        url: urls.url(site_paths::INDEX),
    }
}

/// A part, with every entity it mentions.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Article<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    description: &'a str,
    headline: &'a str,
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_based_on: Option<Stub<'a>>,
    is_part_of: Stub<'a>,
    mentions: Vec<Stub<'a>>,
    name: &'a str,
    position: usize,
    url: String,
}

pub(super) fn part<'a>(e: &'a Edition, i: usize, urls: &Urls, description: &'a str) -> Article<'a> {
    let p = &e.parts[i];
    let mentioned: BTreeSet<EntityRef> = e.mentions[p.mentions.clone()]
        .iter()
        .map(|m| m.entity)
        .collect();
    Article {
        id: urls.url(&e.part_url(i)),
        kind: "Article",
        description,
        headline: &p.title,
        in_language: &e.meta.language,
        is_based_on: (e.meta.original.as_ref())
            .map(|o| Stub::named("CreativeWork", o.title.as_deref().unwrap_or(&e.meta.title))),
        is_part_of: part_of(e, p.section, urls),
        mentions: (mentioned.into_iter())
            .map(|r| entity_stub(e, r, urls))
            .collect(),
        name: &p.title,
        position: i + 1,
        url: urls.url(&e.part_url(i)),
    }
}

/// A section, with the parts and sections in it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SectionWork<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    description: &'a str,
    has_part: Vec<Stub<'a>>,
    is_part_of: Stub<'a>,
    name: &'a str,
    url: String,
}

pub(super) fn section<'a>(
    e: &'a Edition,
    i: usize,
    urls: &Urls,
    description: &'a str,
) -> SectionWork<'a> {
    let s = &e.sections[i];
    SectionWork {
        id: urls.url(&e.section_url(i)),
        kind: "CreativeWork",
        description,
        has_part: (s.items.iter())
            .map(|item| match *item {
                Item::Part(p) => part_stub(e, p.index(), urls),
                Item::Section(t) => section_stub(e, t.index(), urls),
            })
            .collect(),
        is_part_of: part_of(e, s.parent, urls),
        name: &s.title,
        url: urls.url(&e.section_url(i)),
    }
}

/// A page of the edition that is neither a part nor an index: a page of
/// `pages/`, the search, the timeline, the page for a missing one.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WebPage<'a> {
    #[serde(rename = "@id", skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    is_part_of: Stub<'a>,
    name: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

pub(super) fn page<'a>(e: &'a Edition, i: usize, urls: &Urls, description: &'a str) -> WebPage<'a> {
    let url = urls.url(&e.page_url(i));
    WebPage {
        id: Some(url.clone()),
        kind: "WebPage",
        description: Some(description),
        is_part_of: edition_stub(e, urls),
        name: Cow::Borrowed(&e.pages[i].title),
        url: Some(url),
    }
}

/// The search or the timeline page.
pub(super) fn fixed_page<'a>(
    e: &'a Edition,
    spec: PageSpec,
    urls: &Urls,
    description: &'a str,
) -> WebPage<'a> {
    let url = urls.url(&spec.path(e));
    WebPage {
        id: Some(url.clone()),
        kind: "WebPage",
        description: Some(description),
        is_part_of: edition_stub(e, urls),
        name: Cow::Owned(page_title(e, spec)),
        url: Some(url),
    }
}

/// The page shown for a missing one, at whatever URL was asked for: it has
/// no URL of its own.
pub(super) fn not_found<'a>(e: &'a Edition, urls: &Urls) -> WebPage<'a> {
    WebPage {
        id: None,
        kind: "WebPage",
        description: None,
        is_part_of: edition_stub(e, urls),
        name: Cow::Owned(page_title(e, PageSpec::NotFound)),
        url: None,
    }
}

/// The index page of a kind, with every entity of it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CollectionPage<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    has_part: Vec<Stub<'a>>,
    is_part_of: Stub<'a>,
    name: String,
}

pub(super) fn kind_index<'a>(e: &'a Edition, k: EntityKind, urls: &Urls) -> CollectionPage<'a> {
    CollectionPage {
        id: urls.url(&site_paths::kind_index(k)),
        kind: "CollectionPage",
        has_part: (0..e.count(k) as u32)
            .map(|index| entity_stub(e, EntityRef { kind: k, index }, urls))
            .collect(),
        is_part_of: edition_stub(e, urls),
        name: format!("{} · {}", k.plural_title(), e.meta.title),
    }
}

/// The glossary: on its own page with every term, and as each term's set.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DefinedTermSet<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    has_defined_term: Option<Vec<Stub<'a>>>,
    is_part_of: Stub<'a>,
    name: String,
}

pub(super) fn term_set<'a>(e: &'a Edition, urls: &Urls, with_terms: bool) -> DefinedTermSet<'a> {
    let term = |index| EntityRef {
        kind: EntityKind::Term,
        index,
    };
    DefinedTermSet {
        id: urls.url(&site_paths::kind_index(EntityKind::Term)),
        kind: "DefinedTermSet",
        has_defined_term: with_terms.then(|| {
            (0..e.terms.len() as u32)
                .map(|index| entity_stub(e, term(index), urls))
                .collect()
        }),
        is_part_of: edition_stub(e, urls),
        name: format!("{} · {}", EntityKind::Term.plural_title(), e.meta.title),
    }
}
