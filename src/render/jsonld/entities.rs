//! The node of an entity's page: the entity with all it links to, one
//! schema.org type for each kind.

use serde::Serialize;

use super::describe::entity_description;
use super::documents::{DefinedTermSet, term_set};
use super::{Stub, Urls, edition_stub, entity_stub, part_stub, schema_type};
use crate::markdown::plain_text;
use crate::model::{self, Author, Edition, EntityKind, EntityRef, Id, Link};

#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Entity<'a> {
    Person(Person<'a>),
    Place(Place<'a>),
    Organization(Organization<'a>),
    Source(SourceWork<'a>),
    Claim(Claim<'a>),
    Term(DefinedTerm<'a>),
}

pub(super) fn entity<'a>(e: &'a Edition, r: EntityRef, urls: &Urls) -> Entity<'a> {
    let i = r.index as usize;
    let page = EntityPage::of(e, r, urls);
    match r.kind {
        EntityKind::Person => Entity::Person(person(e, i, urls, page)),
        EntityKind::Place => Entity::Place(place(e, i, urls, page)),
        EntityKind::Organisation => Entity::Organization(organisation(e, i, urls, page)),
        EntityKind::Source => Entity::Source(source(e, i, urls, page)),
        EntityKind::Claim => Entity::Claim(claim(e, i, urls, page)),
        EntityKind::Term => Entity::Term(term(e, i, urls, page)),
    }
}

/// What every entity's node says, whatever its kind.
struct EntityPage<'a> {
    url: String,
    kind: &'static str,
    name: String,
    description: String,
    subject_of: Stub<'a>,
}

impl<'a> EntityPage<'a> {
    fn of(e: &'a Edition, r: EntityRef, urls: &Urls) -> Self {
        EntityPage {
            url: urls.url(&e.entity_url(r)),
            kind: schema_type(e, r),
            name: plain_text(e.entity_name(r)),
            // People and terms are described by their own text, whole; the
            // page's meta description prefixes a term's definition with the
            // term.
            description: match r.kind {
                EntityKind::Term => plain_text(&e.terms[r.index as usize].definition),
                _ => entity_description(e, r),
            },
            subject_of: edition_stub(e, urls),
        }
    }
}

/// `sameAs`: the Wikidata item, then (for a place) GeoNames, then the links.
fn same_as(wikidata: Option<&str>, geonames: Option<u64>, links: &[Link]) -> Vec<String> {
    let wikidata = wikidata.map(|q| format!("https://www.wikidata.org/wiki/{q}"));
    let geonames = geonames.map(|g| format!("https://www.geonames.org/{g}"));
    (wikidata.into_iter().chain(geonames))
        .chain(links.iter().map(|l| l.url.clone()))
        .collect()
}

fn stubs<'a, T: model::Entity>(e: &'a Edition, ids: &[Id<T>], urls: &Urls) -> Vec<Stub<'a>> {
    (ids.iter())
        .map(|&id| entity_stub(e, id.into(), urls))
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Person<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    affiliation: Vec<Stub<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    alternate_name: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    death_date: Option<&'a str>,
    description: String,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    job_title: &'a [String],
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<String>,
    subject_of: Stub<'a>,
    url: String,
}

fn person<'a>(e: &'a Edition, i: usize, urls: &Urls, page: EntityPage<'a>) -> Person<'a> {
    let p = &e.people[i];
    Person {
        id: page.url.clone(),
        kind: page.kind,
        affiliation: stubs(e, &p.affiliations, urls),
        alternate_name: &p.aliases,
        birth_date: p.born.as_deref(),
        death_date: p.died.as_deref(),
        description: page.description,
        job_title: &p.roles,
        name: page.name,
        same_as: same_as(p.wikidata.as_deref(), None, &p.links),
        subject_of: page.subject_of,
        url: page.url,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Place<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    alternate_name: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    contained_in_place: Option<Stub<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contains_place: Vec<Stub<'a>>,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<GeoCoordinates>,
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<String>,
    subject_of: Stub<'a>,
    url: String,
}

#[derive(Serialize)]
pub(super) struct GeoCoordinates {
    #[serde(rename = "@type")]
    kind: &'static str,
    latitude: f64,
    longitude: f64,
}

fn place<'a>(e: &'a Edition, i: usize, urls: &Urls, page: EntityPage<'a>) -> Place<'a> {
    let p = &e.places[i];
    Place {
        id: page.url.clone(),
        kind: page.kind,
        alternate_name: &p.aliases,
        contained_in_place: p
            .located_in
            .map(|parent| entity_stub(e, parent.into(), urls)),
        contains_place: stubs(e, &p.contains, urls),
        description: page.description,
        geo: p.coordinates.map(|c| GeoCoordinates {
            kind: "GeoCoordinates",
            latitude: c.lat,
            longitude: c.lon,
        }),
        name: page.name,
        same_as: same_as(p.wikidata.as_deref(), p.geonames, &p.links),
        subject_of: page.subject_of,
        url: page.url,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Organization<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    alternate_name: &'a [String],
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    dissolution_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    founding_date: Option<&'a str>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_organization: Option<Stub<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sub_organization: Vec<Stub<'a>>,
    subject_of: Stub<'a>,
    url: String,
}

fn organisation<'a>(
    e: &'a Edition,
    i: usize,
    urls: &Urls,
    page: EntityPage<'a>,
) -> Organization<'a> {
    let o = &e.organisations[i];
    Organization {
        id: page.url.clone(),
        kind: page.kind,
        alternate_name: &o.aliases,
        description: page.description,
        dissolution_date: o.dissolved.as_ref().map(|d| d.0.as_str()),
        founding_date: o.founded.as_ref().map(|d| d.0.as_str()),
        name: page.name,
        parent_organization: o.part_of.map(|parent| entity_stub(e, parent.into(), urls)),
        same_as: same_as(o.wikidata.as_deref(), None, &o.links),
        sub_organization: stubs(e, &o.units, urls),
        subject_of: page.subject_of,
        url: page.url,
    }
}

/// A source, as the CreativeWork subtype of its kind.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SourceWork<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Stub<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<&'static str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Stub<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    same_as: Option<&'a str>,
    subject_of: Stub<'a>,
    url: String,
}

fn source<'a>(e: &'a Edition, i: usize, urls: &Urls, page: EntityPage<'a>) -> SourceWork<'a> {
    let s = &e.sources[i];
    let authors = (s.authors.iter()).map(|a| match a {
        Author::Person(p) => entity_stub(e, (*p).into(), urls),
        Author::Name(name) => Stub::named("Person", name.as_str()),
    });
    let publisher_name = s.publisher.as_deref().or(s.outlet.as_deref());
    let publisher = match (s.publisher_org.or(s.outlet_org), publisher_name) {
        (Some(o), _) => Some(entity_stub(e, o.into(), urls)),
        (None, Some(name)) => Some(Stub::named("Organization", name)),
        (None, None) => None,
    };
    SourceWork {
        id: page.url.clone(),
        kind: page.kind,
        author: authors.collect(),
        date_published: s.date.as_ref().map(|d| d.0.as_str()),
        description: page.description,
        genre: s.kind.map(|k| k.as_str()),
        name: &s.title,
        publisher,
        same_as: s.url.as_deref(),
        subject_of: page.subject_of,
        url: page.url,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Claim<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<Stub<'a>>,
    appearance: Vec<Appearance<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Stub<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citation: Vec<Stub<'a>>,
    creative_work_status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_created: Option<&'a str>,
    description: String,
    name: String,
    subject_of: Stub<'a>,
    text: String,
    url: String,
}

/// A passage a claim is made in.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Appearance<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    is_part_of: Stub<'a>,
    text: &'a str,
    url: String,
}

fn claim<'a>(e: &'a Edition, i: usize, urls: &Urls, page: EntityPage<'a>) -> Claim<'a> {
    let c = &e.claims[i];
    let appearance = (c.mentions.iter()).map(|&mi| {
        let m = &e[mi];
        Appearance {
            kind: "CreativeWork",
            is_part_of: part_stub(e, m.part.index(), urls),
            text: &m.context,
            url: urls.url(&e.mention_url(m)),
        }
    });
    Claim {
        id: page.url.clone(),
        kind: page.kind,
        about: (c.about.iter()).map(|&a| entity_stub(e, a, urls)).collect(),
        appearance: appearance.collect(),
        author: stubs(e, &c.attributed_to, urls),
        citation: stubs(e, &c.sources, urls),
        creative_work_status: c.status.as_str(),
        date_created: c.date.as_ref().map(|d| d.0.as_str()),
        description: page.description,
        name: page.name,
        subject_of: page.subject_of,
        text: plain_text(&c.text),
        url: page.url,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DefinedTerm<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    alternate_name: &'a [String],
    description: String,
    in_defined_term_set: DefinedTermSet<'a>,
    name: &'a str,
    subject_of: Stub<'a>,
    url: String,
}

fn term<'a>(e: &'a Edition, i: usize, urls: &Urls, page: EntityPage<'a>) -> DefinedTerm<'a> {
    let t = &e.terms[i];
    DefinedTerm {
        id: page.url.clone(),
        kind: page.kind,
        alternate_name: &t.aliases,
        description: page.description,
        in_defined_term_set: term_set(e, urls, false),
        name: &t.term,
        subject_of: page.subject_of,
        url: page.url,
    }
}
