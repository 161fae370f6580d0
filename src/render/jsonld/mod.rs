//! Render stage: what a page says about itself to search engines and link
//! previews: a description, Open Graph tags, and JSON-LD in schema.org terms.
//!
//! The edition is a CreativeWork based on its original publication, parts are
//! Articles, people Persons, sources the fitting CreativeWork subtype, claims
//! Claims that point at the passages they appear in, terms DefinedTerms of
//! the glossary's DefinedTermSet. Every node has the URL of its page as `@id`,
//! so the graphs of all pages join into one.
//!
//! Each node is a typed struct, serialized field by field. The fields are
//! declared in the byte order of their JSON keys (`@id`, `@type`, then the
//! camelCase names alphabetically), the order a `serde_json::Value` would
//! write them in, so [`json_ld`], the document read back as a value, gives
//! the same bytes again; a test checks it over every page of the fixtures.

use std::borrow::Cow;

use serde::Serialize;

use crate::markdown::plain_text;
use crate::model::{Edition, EntityKind, EntityRef, SectionId, SourceKind};
use crate::render::{PageSpec, esc};
use crate::site_paths;

mod describe;
mod documents;
mod entities;

pub use describe::description;
use describe::page_title;

/// Resolves site paths for one page: absolute under `--base-url`, otherwise
/// relative to the page (JSON-LD resolves relative IRIs against the page).
pub struct Urls<'a> {
    pub root: &'a str,
    pub base: Option<&'a str>,
}

impl Urls<'_> {
    pub fn url(&self, path: &str) -> String {
        match self.base {
            Some(b) => absolute(b, path),
            None => format!("{}{path}", self.root),
        }
    }
}

pub use crate::site_paths::absolute;

/// The `<meta>` tags and the JSON-LD `<script>` of one page, ready to place
/// in `<head>`. Everything from the edition is escaped.
pub fn head_html(e: &Edition, spec: PageSpec, urls: &Urls) -> String {
    let title = page_title(e, spec);
    let description = description(e, spec);
    let mut out = format!(
        "<meta name=\"description\" content=\"{}\">\n",
        esc(&description)
    );
    let og_type = match spec {
        PageSpec::Part(_) => "article",
        PageSpec::Entity(r) if r.kind == EntityKind::Person => "profile",
        _ => "website",
    };
    let mut og = vec![
        ("og:type", og_type.to_string()),
        ("og:title", title),
        ("og:description", description.clone()),
        ("og:site_name", e.meta.title.clone()),
    ];
    // Open Graph locales are `language_TERRITORY`; a bare language has none.
    if let Some((lang, region)) = e.meta.language.split_once('-') {
        og.push((
            "og:locale",
            format!("{lang}_{}", region.to_ascii_uppercase()),
        ));
    }
    if urls.base.is_some() {
        og.push(("og:url", urls.url(&spec.path(e))));
        // A preview's image must be an absolute URL.
        if let Some((path, alt)) = page_image(e, spec) {
            og.push(("og:image", urls.url(&path)));
            og.extend(alt.map(|a| ("og:image:alt", a.to_string())));
        }
    }
    for (property, content) in og {
        out.push_str(&format!(
            "<meta property=\"{property}\" content=\"{}\">\n",
            esc(&content)
        ));
    }
    out.push_str(&crate::render::highwire::meta_tags(e, spec, urls));
    out.push_str("<script type=\"application/ld+json\">");
    out.push_str(&script_json(&document(e, spec, urls, &description)));
    out.push_str("</script>\n");
    out
}

/// The image a preview of the page shows: an entity's own, else the cover.
fn page_image(e: &Edition, spec: PageSpec) -> Option<(String, Option<&str>)> {
    let own = match spec {
        PageSpec::Entity(r) => e.entity_image(r),
        _ => None,
    };
    let image = own.or(e.meta.cover.as_ref())?;
    Some((
        crate::files::front_image_target(image)?,
        image.alt.as_deref(),
    ))
}

/// JSON for inside `<script>`: `<`, `>` and `&` only ever occur inside JSON
/// strings, where their `\u` escapes mean the same, so neither `</script>` nor
/// `<!--` can end or change the script element.
pub fn script_json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v)
        .expect("JSON-LD nodes have string keys and finite numbers")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A page's JSON-LD document: its node in the schema.org context.
#[derive(Serialize)]
pub struct Document<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(flatten)]
    node: Node<'a>,
}

/// The node a page is about, one schema.org type for each kind of page.
#[derive(Serialize)]
#[serde(untagged)]
enum Node<'a> {
    Edition(documents::EditionWork<'a>),
    Part(documents::Article<'a>),
    Section(documents::SectionWork<'a>),
    WebPage(documents::WebPage<'a>),
    Collection(documents::CollectionPage<'a>),
    Glossary(documents::DefinedTermSet<'a>),
    Entity(entities::Entity<'a>),
}

/// The page's JSON-LD document.
/// `description` is the page's [`description`], made once by the caller.
pub fn document<'a>(
    e: &'a Edition,
    spec: PageSpec,
    urls: &Urls,
    description: &'a str,
) -> Document<'a> {
    let node = match spec {
        PageSpec::Index => Node::Edition(documents::edition(e, urls, description)),
        PageSpec::Part(i) => Node::Part(documents::part(e, i, urls, description)),
        PageSpec::Section(i) => Node::Section(documents::section(e, i, urls, description)),
        PageSpec::Page(i) => Node::WebPage(documents::page(e, i, urls, description)),
        PageSpec::KindIndex(EntityKind::Term) => Node::Glossary(documents::term_set(e, urls, true)),
        PageSpec::KindIndex(k) => Node::Collection(documents::kind_index(e, k, urls)),
        PageSpec::Entity(r) => Node::Entity(entities::entity(e, r, urls)),
        PageSpec::Search | PageSpec::Timeline => {
            Node::WebPage(documents::fixed_page(e, spec, urls, description))
        }
        PageSpec::NotFound => Node::WebPage(documents::not_found(e, urls)),
    };
    Document {
        context: "https://schema.org",
        node,
    }
}

/// The page's JSON-LD document as a JSON value, for reading it back.
#[cfg(test)]
pub fn json_ld(e: &Edition, spec: PageSpec, urls: &Urls, description: &str) -> serde_json::Value {
    serde_json::to_value(document(e, spec, urls, description))
        .expect("JSON-LD nodes have string keys and finite numbers")
}

/// A node as another node names it: its type, `@id` and name (and, for a
/// part, its place in the reading order).
#[derive(Serialize)]
struct Stub<'a> {
    #[serde(rename = "@id", skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<usize>,
}

impl<'a> Stub<'a> {
    /// A node known by its name alone, with no page of its own (an author
    /// or a publisher written as text).
    fn named(kind: &'static str, name: impl Into<Cow<'a, str>>) -> Self {
        Stub {
            id: None,
            kind,
            name: name.into(),
            position: None,
        }
    }
}

fn section_stub<'a>(e: &'a Edition, i: usize, urls: &Urls) -> Stub<'a> {
    Stub {
        id: Some(urls.url(&e.section_url(i))),
        ..Stub::named("CreativeWork", e.sections[i].title.as_str())
    }
}

/// What a part or section is part of: its section, or the edition.
fn part_of<'a>(e: &'a Edition, section: Option<SectionId>, urls: &Urls) -> Stub<'a> {
    match section {
        Some(s) => section_stub(e, s.index(), urls),
        None => edition_stub(e, urls),
    }
}

fn edition_stub<'a>(e: &'a Edition, urls: &Urls) -> Stub<'a> {
    Stub {
        id: Some(urls.url(site_paths::INDEX)),
        ..Stub::named("CreativeWork", e.meta.title.as_str())
    }
}

fn part_stub<'a>(e: &'a Edition, i: usize, urls: &Urls) -> Stub<'a> {
    Stub {
        id: Some(urls.url(&e.part_url(i))),
        position: Some(i + 1),
        ..Stub::named("Article", e.parts[i].title.as_str())
    }
}

pub fn schema_type(e: &Edition, r: EntityRef) -> &'static str {
    match r.kind {
        EntityKind::Source => source_type(e.sources[r.index as usize].kind),
        _ => r.kind.info().json_ld_type,
    }
}

/// The schema.org type of each kind of source; kinds schema.org has no type
/// for stay CreativeWork and keep their kind as `genre`.
pub fn source_type(kind: Option<SourceKind>) -> &'static str {
    match kind {
        Some(SourceKind::Book) => "Book",
        Some(SourceKind::Article) => "Article",
        Some(SourceKind::Report) => "Report",
        Some(SourceKind::Letter) => "Message",
        Some(SourceKind::Broadcast) => "Episode",
        _ => "CreativeWork",
    }
}

fn entity_stub<'a>(e: &'a Edition, r: EntityRef, urls: &Urls) -> Stub<'a> {
    Stub {
        id: Some(urls.url(&e.entity_url(r))),
        ..Stub::named(schema_type(e, r), plain_text(e.entity_name(r)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn script_text_cannot_close_the_element() {
        let v = json!({ "name": "</script><!-- & -->" });
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    fn edition_of(fixture: &str) -> Edition {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        let (files, _) = crate::load::load_content(&root);
        let (parsed, _) = crate::parse::parse_files(&files);
        crate::resolve::resolve(parsed)
            .0
            .expect("the fixture resolves")
    }

    /// The nodes' fields are declared in the order a JSON value sorts their
    /// keys; a field out of place would change the bytes of every page.
    #[test]
    fn every_node_writes_its_keys_in_sorted_order() {
        for fixture in ["basic", "places"] {
            let e = edition_of(fixture);
            let options = crate::render::RenderOptions::default();
            for spec in crate::render::page_specs(&e, &options) {
                for base in [None, Some("https://example.org/ed/")] {
                    let urls = Urls { root: "../", base };
                    let description = description(&e, spec);
                    let typed = script_json(&document(&e, spec, &urls, &description));
                    let sorted = script_json(&json_ld(&e, spec, &urls, &description));
                    assert_eq!(typed, sorted, "{}", spec.path(&e));
                }
            }
        }
    }
}
