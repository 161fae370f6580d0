//! Render stage: what a page says about itself to search engines and link
//! previews: a description, Open Graph tags, and JSON-LD in schema.org terms.
//!
//! The edition is a CreativeWork based on its original publication, parts are
//! Articles, people Persons, sources the fitting CreativeWork subtype, claims
//! Claims that point at the passages they appear in, terms DefinedTerms of
//! the glossary's DefinedTermSet. Every node has the URL of its page as `@id`,
//! so the graphs of all pages join into one.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::markdown::plain_text;
use crate::model::{Author, Edition, EntityKind, EntityRef, SourceKind};
use crate::render::{PageSpec, esc};
use crate::site_paths;

mod describe;

pub use describe::description;
use describe::{entity_description, page_title};

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
    out.push_str("<script type=\"application/ld+json\">");
    out.push_str(&script_json(&json_ld(e, spec, urls, &description)));
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
pub fn script_json(v: &Value) -> String {
    serde_json::to_string(v)
        .expect("a JSON value always serializes")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The page's JSON-LD document.
/// `description` is the page's [`description`], made once by the caller.
pub fn json_ld(e: &Edition, spec: PageSpec, urls: &Urls, description: &str) -> Value {
    let mut node = match spec {
        PageSpec::Index => {
            let mut w = edition_node(e, urls, description);
            w["hasPart"] = e
                .parts
                .iter()
                .enumerate()
                .map(|(i, _)| part_stub(e, i, urls))
                .collect();
            w
        }
        PageSpec::Part(i) => part_node(e, i, urls, description),
        PageSpec::Section(i) => {
            let mut s = section_stub(e, i, urls);
            s["url"] = urls.url(&e.section_url(i)).into();
            s["description"] = description.into();
            s["isPartOf"] = part_of(e, e.sections[i].parent, urls);
            s["hasPart"] = (e.sections[i].items.iter())
                .map(|item| match *item {
                    crate::model::Item::Part(p) => part_stub(e, p as usize, urls),
                    crate::model::Item::Section(t) => section_stub(e, t as usize, urls),
                })
                .collect();
            s
        }
        PageSpec::Page(i) => json!({
            "@type": "WebPage",
            "@id": urls.url(&e.page_url(i)),
            "url": urls.url(&e.page_url(i)),
            "name": e.pages[i].title,
            "description": description,
            "isPartOf": edition_stub(e, urls),
        }),
        PageSpec::KindIndex(EntityKind::Term) => term_set(e, urls, true),
        PageSpec::KindIndex(k) => json!({
            "@type": "CollectionPage",
            "@id": urls.url(&site_paths::kind_index(k)),
            "name": format!("{} · {}", k.plural_title(), e.meta.title),
            "isPartOf": edition_stub(e, urls),
            "hasPart": (0..e.count(k) as u32)
                .map(|index| entity_stub(e, EntityRef { kind: k, index }, urls))
                .collect::<Vec<_>>(),
        }),
        PageSpec::Entity(r) => entity_node(e, r, urls),
        PageSpec::Search | PageSpec::Timeline => json!({
            "@type": "WebPage",
            "@id": urls.url(&spec.path(e)),
            "url": urls.url(&spec.path(e)),
            "name": page_title(e, spec),
            "description": description,
            "isPartOf": edition_stub(e, urls),
        }),
        PageSpec::NotFound => json!({
            "@type": "WebPage",
            "name": page_title(e, spec),
            "isPartOf": edition_stub(e, urls),
        }),
    };
    let mut doc = json!({ "@context": "https://schema.org" });
    if let (Value::Object(d), Value::Object(n)) = (&mut doc, &mut node) {
        d.append(n);
    }
    doc
}

fn section_stub(e: &Edition, i: usize, urls: &Urls) -> Value {
    json!({
        "@type": "CreativeWork",
        "@id": urls.url(&e.section_url(i)),
        "name": e.sections[i].title,
    })
}

/// What a part or section is part of: its section, or the edition.
fn part_of(e: &Edition, section: Option<u32>, urls: &Urls) -> Value {
    match section {
        Some(s) => section_stub(e, s as usize, urls),
        None => edition_stub(e, urls),
    }
}

fn edition_stub(e: &Edition, urls: &Urls) -> Value {
    json!({
        "@type": "CreativeWork",
        "@id": urls.url(site_paths::INDEX),
        "name": e.meta.title,
    })
}

/// The edition, with its authors and the publication it is based on.
fn edition_node(e: &Edition, urls: &Urls, description: &str) -> Value {
    let m = &e.meta;
    let mut w = edition_stub(e, urls);
    w["url"] = urls.url(site_paths::INDEX).into();
    w["inLanguage"] = m.language.clone().into();
    w["description"] = description.into();
    if let Some(s) = &m.subtitle {
        w["alternativeHeadline"] = s.clone().into();
    }
    if let Some(a) = &m.author {
        w["author"] = json!({ "@type": "Person", "name": a });
    }
    if let Some(ed) = &m.editor {
        w["editor"] = json!({ "@type": "Person", "name": ed });
    }
    if let Some(l) = &m.license {
        w["license"] = l.clone().into();
    }
    if let Some(o) = &m.original {
        let mut b = json!({
            "@type": "CreativeWork",
            "name": o.title.clone().unwrap_or_else(|| m.title.clone()),
        });
        if let Some(a) = &m.author {
            b["author"] = json!({ "@type": "Person", "name": a });
        }
        if let Some(outlet) = &o.outlet {
            b["publisher"] = json!({ "@type": "Organization", "name": outlet });
        }
        if let Some(d) = &o.date {
            b["datePublished"] = d.0.clone().into();
        }
        if let Some(u) = &o.url {
            b["url"] = u.clone().into();
        }
        w["isBasedOn"] = b;
    }
    w
}

fn part_stub(e: &Edition, i: usize, urls: &Urls) -> Value {
    json!({
        "@type": "Article",
        "@id": urls.url(&e.part_url(i)),
        "name": e.parts[i].title,
        "position": i + 1,
    })
}

/// A part, with every entity it mentions.
fn part_node(e: &Edition, i: usize, urls: &Urls, description: &str) -> Value {
    let p = &e.parts[i];
    let mut a = part_stub(e, i, urls);
    a["headline"] = p.title.clone().into();
    a["url"] = urls.url(&e.part_url(i)).into();
    a["description"] = description.into();
    a["inLanguage"] = e.meta.language.clone().into();
    a["isPartOf"] = part_of(e, p.section, urls);
    if let Some(o) = &e.meta.original {
        a["isBasedOn"] = json!({
            "@type": "CreativeWork",
            "name": o.title.clone().unwrap_or_else(|| e.meta.title.clone()),
        });
    }
    let mentioned: BTreeSet<EntityRef> = e.mentions[p.mentions.clone()]
        .iter()
        .map(|m| m.entity)
        .collect();
    a["mentions"] = mentioned
        .into_iter()
        .map(|r| entity_stub(e, r, urls))
        .collect();
    a
}

fn schema_type(e: &Edition, r: EntityRef) -> &'static str {
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

fn entity_stub(e: &Edition, r: EntityRef, urls: &Urls) -> Value {
    json!({
        "@type": schema_type(e, r),
        "@id": urls.url(&e.entity_url(r)),
        "name": plain_text(e.entity_name(r)),
    })
}

fn term_set(e: &Edition, urls: &Urls, with_terms: bool) -> Value {
    let mut s = json!({
        "@type": "DefinedTermSet",
        "@id": urls.url(&site_paths::kind_index(EntityKind::Term)),
        "name": format!("{} · {}", EntityKind::Term.plural_title(), e.meta.title),
        "isPartOf": edition_stub(e, urls),
    });
    if with_terms {
        s["hasDefinedTerm"] = (0..e.terms.len() as u32)
            .map(|index| {
                entity_stub(
                    e,
                    EntityRef {
                        kind: EntityKind::Term,
                        index,
                    },
                    urls,
                )
            })
            .collect();
    }
    s
}

/// The Wikidata page of an item, as a list for `sameAs`.
fn wikidata_url(q: Option<&str>) -> Vec<String> {
    q.map(|q| format!("https://www.wikidata.org/wiki/{q}"))
        .into_iter()
        .collect()
}

/// An entity's page: the entity with all it links to.
fn entity_node(e: &Edition, r: EntityRef, urls: &Urls) -> Value {
    let i = r.index as usize;
    let mut n = entity_stub(e, r, urls);
    n["url"] = urls.url(&e.entity_url(r)).into();
    // People and terms are described by their own text, whole; the page's
    // meta description prefixes a term's definition with the term.
    n["description"] = match r.kind {
        EntityKind::Term => plain_text(&e.terms[i].definition),
        _ => entity_description(e, r),
    }
    .into();
    match r.kind {
        EntityKind::Person => person_node(e, i, urls, &mut n),
        EntityKind::Place => place_node(e, i, urls, &mut n),
        EntityKind::Organisation => organisation_node(e, i, urls, &mut n),
        EntityKind::Source => source_node(e, i, urls, &mut n),
        EntityKind::Claim => claim_node(e, i, urls, &mut n),
        EntityKind::Term => term_node(e, i, urls, &mut n),
    }
    n["subjectOf"] = edition_stub(e, urls);
    n
}

/// What only a person's node says.
fn person_node(e: &Edition, i: usize, urls: &Urls, n: &mut Value) {
    let stub = |kind: EntityKind, index: u32| entity_stub(e, EntityRef { kind, index }, urls);
    let p = &e.people[i];
    if !p.aliases.is_empty() {
        n["alternateName"] = p.aliases.clone().into();
    }
    if !p.roles.is_empty() {
        n["jobTitle"] = p.roles.clone().into();
    }
    if let Some(b) = &p.born {
        n["birthDate"] = b.clone().into();
    }
    if let Some(d) = &p.died {
        n["deathDate"] = d.clone().into();
    }
    let mut same_as: Vec<String> = p
        .wikidata
        .iter()
        .map(|q| format!("https://www.wikidata.org/wiki/{q}"))
        .collect();
    same_as.extend(p.links.iter().map(|l| l.url.clone()));
    if !same_as.is_empty() {
        n["sameAs"] = same_as.into();
    }
    if !p.affiliations.is_empty() {
        let orgs = p.affiliations.iter();
        n["affiliation"] = orgs.map(|&o| stub(EntityKind::Organisation, o)).collect();
    }
}

/// What only a place's node says.
fn place_node(e: &Edition, i: usize, urls: &Urls, n: &mut Value) {
    let stub = |kind: EntityKind, index: u32| entity_stub(e, EntityRef { kind, index }, urls);
    let p = &e.places[i];
    if !p.aliases.is_empty() {
        n["alternateName"] = p.aliases.clone().into();
    }
    if let Some(c) = p.coordinates {
        n["geo"] = json!({ "@type": "GeoCoordinates", "latitude": c.lat, "longitude": c.lon });
    }
    if let Some(parent) = p.located_in {
        n["containedInPlace"] = stub(EntityKind::Place, parent);
    }
    if !p.contains.is_empty() {
        n["containsPlace"] = p
            .contains
            .iter()
            .map(|&c| stub(EntityKind::Place, c))
            .collect();
    }
    let mut same_as = wikidata_url(p.wikidata.as_deref());
    same_as.extend(p.geonames.map(|g| format!("https://www.geonames.org/{g}")));
    same_as.extend(p.links.iter().map(|l| l.url.clone()));
    if !same_as.is_empty() {
        n["sameAs"] = same_as.into();
    }
}

/// What only a organisation's node says.
fn organisation_node(e: &Edition, i: usize, urls: &Urls, n: &mut Value) {
    let stub = |kind: EntityKind, index: u32| entity_stub(e, EntityRef { kind, index }, urls);
    let o = &e.organisations[i];
    if !o.aliases.is_empty() {
        n["alternateName"] = o.aliases.clone().into();
    }
    if let Some(parent) = o.part_of {
        n["parentOrganization"] = stub(EntityKind::Organisation, parent);
    }
    if !o.units.is_empty() {
        let units = o.units.iter();
        n["subOrganization"] = units.map(|&u| stub(EntityKind::Organisation, u)).collect();
    }
    if let Some(d) = &o.founded {
        n["foundingDate"] = d.0.clone().into();
    }
    if let Some(d) = &o.dissolved {
        n["dissolutionDate"] = d.0.clone().into();
    }
    let mut same_as = wikidata_url(o.wikidata.as_deref());
    same_as.extend(o.links.iter().map(|l| l.url.clone()));
    if !same_as.is_empty() {
        n["sameAs"] = same_as.into();
    }
}

/// What only a source's node says.
fn source_node(e: &Edition, i: usize, urls: &Urls, n: &mut Value) {
    let stub = |kind: EntityKind, index: u32| entity_stub(e, EntityRef { kind, index }, urls);
    let s = &e.sources[i];
    n["name"] = s.title.clone().into();
    if let Some(k) = s.kind {
        n["genre"] = k.as_str().into();
    }
    let authors: Vec<Value> = s
        .authors
        .iter()
        .map(|a| match a {
            Author::Person(p) => stub(EntityKind::Person, *p),
            Author::Name(name) => json!({ "@type": "Person", "name": name }),
        })
        .collect();
    if !authors.is_empty() {
        n["author"] = authors.into();
    }
    let publisher = s.publisher_org.or(s.outlet_org);
    match (publisher, s.publisher.as_ref().or(s.outlet.as_ref())) {
        (Some(o), _) => n["publisher"] = stub(EntityKind::Organisation, o),
        (None, Some(name)) => n["publisher"] = json!({ "@type": "Organization", "name": name }),
        (None, None) => {}
    }
    if let Some(d) = &s.date {
        n["datePublished"] = d.0.clone().into();
    }
    if let Some(u) = &s.url {
        n["sameAs"] = u.clone().into();
    }
}

/// What only a claim's node says.
fn claim_node(e: &Edition, i: usize, urls: &Urls, n: &mut Value) {
    let stub = |kind: EntityKind, index: u32| entity_stub(e, EntityRef { kind, index }, urls);
    let c = &e.claims[i];
    n["text"] = plain_text(&c.text).into();
    n["creativeWorkStatus"] = c.status.as_str().into();
    n["appearance"] = c
        .mentions
        .iter()
        .map(|&mi| {
            let m = &e.mentions[mi as usize];
            json!({
                "@type": "CreativeWork",
                "url": urls.url(&e.mention_url(m)),
                "isPartOf": part_stub(e, m.part as usize, urls),
                "text": m.context,
            })
        })
        .collect();
    if !c.sources.is_empty() {
        n["citation"] = c
            .sources
            .iter()
            .map(|&s| stub(EntityKind::Source, s))
            .collect();
    }
    if !c.attributed_to.is_empty() {
        n["author"] = c
            .attributed_to
            .iter()
            .map(|&p| stub(EntityKind::Person, p))
            .collect();
    }
    if !c.about.is_empty() {
        n["about"] = c.about.iter().map(|&a| entity_stub(e, a, urls)).collect();
    }
    if let Some(d) = &c.date {
        n["dateCreated"] = d.0.clone().into();
    }
}

/// What only a term's node says.
fn term_node(e: &Edition, i: usize, urls: &Urls, n: &mut Value) {
    let t = &e.terms[i];
    n["name"] = t.term.clone().into();
    if !t.aliases.is_empty() {
        n["alternateName"] = t.aliases.clone().into();
    }
    n["inDefinedTermSet"] = term_set(e, urls, false);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_cannot_close_the_element() {
        let v = json!({ "name": "</script><!-- & -->" });
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
