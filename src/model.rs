//! The resolved model: what resolve hands to render.
//!
//! Entities live in one plain vector per kind and refer to each other by
//! index, never by string: [`Id`] where the kind is known (a claim's
//! `sources` are [`SourceId`]s), [`EntityRef`] where it is not (a claim's
//! `about`). Back-links (mentions, claims that cite a source, …) are computed
//! once, in resolve. The model knows nothing of templates or HTML.

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostics::SourceText;
pub use crate::kinds::{ClaimStatus, EntityKind, OrganisationKind, SourceKind};
use crate::markdown::Body;
use crate::site_paths;

mod ids;
pub use ids::{
    ClaimId, Entity, Id, MentionId, OrganisationId, PartId, PersonId, PlaceId, SectionId, SourceId,
    Stored,
};

/// A typed reference to one entity: its kind and its index in that kind's vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub index: u32,
}

/// Where something was defined, for diagnostics.
#[derive(Debug, Clone)]
pub struct Origin {
    pub source: Arc<SourceText>,
    pub span: Range<usize>,
}

/// A date as written (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), already validated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate(pub String);

#[derive(Debug, Clone)]
pub struct Link {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub description: String,
    pub sort_as: String,
    pub born: Option<String>,
    pub died: Option<String>,
    pub roles: Vec<String>,
    pub aliases: Vec<String>,
    pub links: Vec<Link>,
    pub wikidata: Option<String>,
    pub image: Option<FrontImage>,
    pub note: Body,
    pub origin: Origin,
    pub mentions: Vec<MentionId>,
    /// Claims attributed to this person.
    pub claims_attributed: Vec<ClaimId>,
    /// Claims whose `about` names this person.
    pub claims_about: Vec<ClaimId>,
    /// Sources this person wrote.
    pub sources_written: Vec<SourceId>,
    /// Organisations the person belongs to.
    pub affiliations: Vec<OrganisationId>,
}

#[derive(Debug, Clone, Hash)]
pub enum Author {
    Person(PersonId),
    Name(String),
}

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub authors: Vec<Author>,
    /// The outlet's name: as written, or the organisation's name.
    pub outlet: Option<String>,
    /// The outlet, when it is an organisation of the edition.
    pub outlet_org: Option<OrganisationId>,
    /// The publisher's name: as written, or the organisation's name.
    pub publisher: Option<String>,
    pub publisher_org: Option<OrganisationId>,
    pub date: Option<PartialDate>,
    pub kind: Option<SourceKind>,
    pub url: Option<String>,
    pub note_field: Option<String>,
    pub details: SourceDetails,
    pub note: Body,
    pub origin: Origin,
    pub mentions: Vec<MentionId>,
    /// Claims that cite this source.
    pub cited_by: Vec<ClaimId>,
}

/// A source's bibliographic fields beyond title, authors, outlet,
/// publisher, date and URL, named as in CSL, already validated.
#[derive(Debug, Clone, Default, Hash)]
pub struct SourceDetails {
    pub container_title: Option<String>,
    pub editors: Vec<Author>,
    pub translators: Vec<Author>,
    pub place: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<String>,
    pub edition: Option<String>,
    /// Bare, as `10.5555/123`.
    pub doi: Option<String>,
    /// As written; the check digit is right.
    pub isbn: Option<String>,
    pub issn: Option<String>,
    pub accessed: Option<PartialDate>,
    pub genre: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    pub text: String,
    pub status: ClaimStatus,
    pub sources: Vec<SourceId>,
    pub attributed_to: Vec<PersonId>,
    pub about: Vec<EntityRef>,
    pub date: Option<PartialDate>,
    pub note_field: Option<String>,
    pub note: Body,
    pub origin: Origin,
    pub mentions: Vec<MentionId>,
    /// Claims whose `about` names this claim.
    pub claims_about: Vec<ClaimId>,
}

#[derive(Debug, Clone)]
pub struct Term {
    pub id: String,
    pub term: String,
    pub definition: String,
    pub aliases: Vec<String>,
    pub category: Option<String>,
    pub note: Body,
    pub origin: Origin,
    pub mentions: Vec<MentionId>,
    pub claims_about: Vec<ClaimId>,
}

/// A point on the globe, in decimal degrees, already range-checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

/// `33.3152° N, 44.3661° E`: hemispheres spelt out, so no sign is misread.
impl std::fmt::Display for Coordinates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ns = if self.lat < 0.0 { 'S' } else { 'N' };
        let ew = if self.lon < 0.0 { 'W' } else { 'E' };
        write!(f, "{}° {ns}, {}° {ew}", self.lat.abs(), self.lon.abs())
    }
}

#[derive(Debug, Clone)]
pub struct Place {
    pub id: String,
    pub name: String,
    pub description: String,
    pub aliases: Vec<String>,
    pub coordinates: Option<Coordinates>,
    /// The place it lies in.
    pub located_in: Option<PlaceId>,
    pub wikidata: Option<String>,
    pub geonames: Option<u64>,
    pub links: Vec<Link>,
    pub image: Option<FrontImage>,
    pub note: Body,
    pub origin: Origin,
    pub mentions: Vec<MentionId>,
    pub claims_about: Vec<ClaimId>,
    /// Places whose `located_in` names this one.
    pub contains: Vec<PlaceId>,
}

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub description: String,
    pub aliases: Vec<String>,
    pub kind: Option<OrganisationKind>,
    pub founded: Option<PartialDate>,
    pub dissolved: Option<PartialDate>,
    /// The organisation it belongs to.
    pub part_of: Option<OrganisationId>,
    pub wikidata: Option<String>,
    pub links: Vec<Link>,
    pub image: Option<FrontImage>,
    pub note: Body,
    pub origin: Origin,
    pub mentions: Vec<MentionId>,
    pub claims_about: Vec<ClaimId>,
    /// Organisations whose `part_of` names this one.
    pub units: Vec<OrganisationId>,
    /// People who list it among their affiliations.
    pub members: Vec<PersonId>,
    /// Sources whose outlet or publisher it is.
    pub sources_published: Vec<SourceId>,
}

/// One mention of an entity in the reading text.
#[derive(Debug, Clone)]
pub struct Mention {
    pub entity: EntityRef,
    pub part: PartId,
    /// The numbered paragraph (0-based) it stands in, if any.
    pub paragraph: Option<u32>,
    /// The mention's anchor number within its part: `m-3`.
    pub anchor: u32,
    /// The linked words as written.
    pub text: String,
    pub locator: Option<String>,
    /// Character range of the linked words within the paragraph's text.
    pub chars: Range<usize>,
    /// The sentence around the mention.
    pub context: String,
}

/// One entry of a part's footnote glossary, numbered by its position.
#[derive(Debug, Clone)]
pub enum Note {
    /// An entity, with the anchors of its mentions in this part.
    Entity {
        entity: EntityRef,
        mentions: Vec<u32>,
    },
    /// A Markdown footnote of the part, with the anchors of its references.
    Footnote { label: String, refs: Vec<u32> },
}

/// What a link in a body resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkResolution {
    /// A counted mention.
    Mention(MentionId),
    /// A link to an entity from outside the reading text (preface, notes).
    Entity(EntityRef),
    /// A root-relative URL (`02-iraq/index.html#p4`).
    Internal(String),
    /// A fragment on the same page.
    Fragment(String),
    External(String),
    /// Broken; already reported.
    Broken,
}

#[derive(Debug, Clone)]
pub struct Part {
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub order: Option<i64>,
    /// Path relative to `content/`.
    pub rel: String,
    pub origin: Origin,
    pub body: Body,
    /// One entry per `body.links`.
    pub links: Vec<LinkResolution>,
    pub notes: Vec<Note>,
    /// Range of this part's mentions in `Edition::mentions`.
    pub mentions: Range<usize>,
    /// For each footnote reference (in `body.footnote_refs` order), its note number (1-based).
    pub footnote_numbers: Vec<u32>,
    /// The section it stands in, if any.
    pub section: Option<SectionId>,
}

/// A section of the reading text: a folder of `content/` with an `_index.md`,
/// holding parts and sections.
#[derive(Debug, Clone)]
pub struct Section {
    pub slug: String,
    /// Its folder in the site: the slugs of the sections it lies in and its
    /// own, joined by `/`.
    pub path: String,
    pub title: String,
    pub summary: Option<String>,
    pub order: Option<i64>,
    /// Path of its `_index.md` relative to `content/`.
    pub rel: String,
    pub origin: Origin,
    /// Its introduction.
    pub body: Body,
    /// One entry per `body.links`.
    pub links: Vec<LinkResolution>,
    /// The section it lies in.
    pub parent: Option<SectionId>,
    /// What it holds, in reading order.
    pub items: Vec<Item>,
}

/// One entry of the contents: a part or a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    Part(PartId),
    Section(SectionId),
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub rel: String,
    pub origin: Origin,
    pub body: Body,
    pub links: Vec<LinkResolution>,
}

#[derive(Debug, Clone, Default)]
pub struct Original {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<PartialDate>,
    pub url: Option<String>,
}

/// An image named in front matter (a cover, a portrait), as written there.
#[derive(Debug, Clone)]
pub struct FrontImage {
    /// The path as written, relative to the file that names it.
    pub path: String,
    pub alt: Option<String>,
    pub credit: Option<String>,
    /// Where the path is written.
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub subtitle: Option<String>,
    pub author: Option<String>,
    pub original: Option<Original>,
    pub editor: Option<String>,
    pub language: String,
    pub license: Option<String>,
    pub allow_html: bool,
    /// `tei: true` in `_index.md`: write the TEI export on every build.
    pub tei: bool,
    /// A bundled CSL style's name, checked, or the path of the edition's
    /// own `.csl` file as written.
    pub citation_style: String,
    /// The edition's own style, when `citation_style` names a `.csl` file.
    pub style_file: Option<StyleFile>,
    pub preface: Body,
    pub preface_links: Vec<LinkResolution>,
    pub cover: Option<FrontImage>,
}

/// A CSL style of the edition's own, named by `citation_style`.
#[derive(Debug, Clone)]
pub struct StyleFile {
    /// Where its path is written.
    pub origin: Origin,
    /// Its XML, read and checked with the other files of `content/`; empty
    /// until then.
    pub xml: Arc<str>,
}

/// Links in an entity's long note, per kind and index.
#[derive(Debug, Clone, Default)]
pub struct NoteLinks {
    pub people: Vec<Vec<LinkResolution>>,
    pub sources: Vec<Vec<LinkResolution>>,
    pub claims: Vec<Vec<LinkResolution>>,
    pub terms: Vec<Vec<LinkResolution>>,
    pub places: Vec<Vec<LinkResolution>>,
    pub organisations: Vec<Vec<LinkResolution>>,
}

/// The whole edition, resolved.
#[derive(Debug, Clone)]
pub struct Edition {
    pub meta: Meta,
    /// In reading order: the parts of the sections in turn.
    pub parts: Vec<Part>,
    /// Each before the sections it holds, in reading order.
    pub sections: Vec<Section>,
    /// The top of the contents: the parts and sections outside any section.
    pub contents: Vec<Item>,
    pub pages: Vec<Page>,
    pub people: Vec<Person>,
    pub sources: Vec<Source>,
    pub claims: Vec<Claim>,
    pub terms: Vec<Term>,
    pub places: Vec<Place>,
    pub organisations: Vec<Organisation>,
    pub mentions: Vec<Mention>,
    pub note_links: NoteLinks,
}

impl Edition {
    pub fn count(&self, kind: EntityKind) -> usize {
        match kind {
            EntityKind::Person => self.people.len(),
            EntityKind::Source => self.sources.len(),
            EntityKind::Claim => self.claims.len(),
            EntityKind::Term => self.terms.len(),
            EntityKind::Place => self.places.len(),
            EntityKind::Organisation => self.organisations.len(),
        }
    }

    pub fn entity_id(&self, e: EntityRef) -> &str {
        let i = e.index as usize;
        match e.kind {
            EntityKind::Person => &self.people[i].id,
            EntityKind::Source => &self.sources[i].id,
            EntityKind::Claim => &self.claims[i].id,
            EntityKind::Term => &self.terms[i].id,
            EntityKind::Place => &self.places[i].id,
            EntityKind::Organisation => &self.organisations[i].id,
        }
    }

    /// The entity's display name: a person's name, a source's title, a term, a claim's text.
    pub fn entity_name(&self, e: EntityRef) -> &str {
        let i = e.index as usize;
        match e.kind {
            EntityKind::Person => &self.people[i].name,
            EntityKind::Source => &self.sources[i].title,
            EntityKind::Claim => &self.claims[i].text,
            EntityKind::Term => &self.terms[i].term,
            EntityKind::Place => &self.places[i].name,
            EntityKind::Organisation => &self.organisations[i].name,
        }
    }

    /// Where the entity is defined: its own file, or a part's front matter.
    pub fn entity_origin(&self, e: EntityRef) -> &Origin {
        let i = e.index as usize;
        match e.kind {
            EntityKind::Person => &self.people[i].origin,
            EntityKind::Source => &self.sources[i].origin,
            EntityKind::Claim => &self.claims[i].origin,
            EntityKind::Term => &self.terms[i].origin,
            EntityKind::Place => &self.places[i].origin,
            EntityKind::Organisation => &self.organisations[i].origin,
        }
    }

    pub fn entity_mentions(&self, e: EntityRef) -> &[MentionId] {
        let i = e.index as usize;
        match e.kind {
            EntityKind::Person => &self.people[i].mentions,
            EntityKind::Source => &self.sources[i].mentions,
            EntityKind::Claim => &self.claims[i].mentions,
            EntityKind::Term => &self.terms[i].mentions,
            EntityKind::Place => &self.places[i].mentions,
            EntityKind::Organisation => &self.organisations[i].mentions,
        }
    }

    pub fn entity_note(&self, e: EntityRef) -> &Body {
        let i = e.index as usize;
        match e.kind {
            EntityKind::Person => &self.people[i].note,
            EntityKind::Source => &self.sources[i].note,
            EntityKind::Claim => &self.claims[i].note,
            EntityKind::Term => &self.terms[i].note,
            EntityKind::Place => &self.places[i].note,
            EntityKind::Organisation => &self.organisations[i].note,
        }
    }

    /// The `image` of a person, place or organisation; other kinds have none.
    pub fn entity_image(&self, e: EntityRef) -> Option<&FrontImage> {
        let i = e.index as usize;
        match e.kind {
            EntityKind::Person => self.people[i].image.as_ref(),
            EntityKind::Place => self.places[i].image.as_ref(),
            EntityKind::Organisation => self.organisations[i].image.as_ref(),
            EntityKind::Source | EntityKind::Claim | EntityKind::Term => None,
        }
    }

    pub fn entity_note_links(&self, e: EntityRef) -> &[LinkResolution] {
        let i = e.index as usize;
        let v = match e.kind {
            EntityKind::Person => &self.note_links.people,
            EntityKind::Source => &self.note_links.sources,
            EntityKind::Claim => &self.note_links.claims,
            EntityKind::Term => &self.note_links.terms,
            EntityKind::Place => &self.note_links.places,
            EntityKind::Organisation => &self.note_links.organisations,
        };
        v.get(i).map_or(&[], Vec::as_slice)
    }

    /// Every entity of every kind, in kind then definition order.
    pub fn entities(&self) -> impl Iterator<Item = EntityRef> + '_ {
        EntityKind::ALL.into_iter().flat_map(move |kind| {
            (0..self.count(kind) as u32).map(move |index| EntityRef { kind, index })
        })
    }

    /// Root-relative URL of an entity's page (the layout is [`site_paths`]'s).
    pub fn entity_url(&self, e: EntityRef) -> String {
        site_paths::entity(e.kind, self.entity_id(e))
    }

    pub fn part_url(&self, part: usize) -> String {
        let p = &self.parts[part];
        site_paths::part_in(self.section_folder(p.section), &p.slug)
    }

    fn section_folder(&self, section: Option<SectionId>) -> Option<&str> {
        section.map(|s| self[s].path.as_str())
    }

    pub fn section_url(&self, section: usize) -> String {
        site_paths::section(&self.sections[section].path)
    }

    /// The sections `section` lies in, outermost first, and itself.
    pub fn section_trail(&self, section: Option<SectionId>) -> Vec<usize> {
        let mut trail = Vec::new();
        let mut at = section;
        while let Some(s) = at {
            trail.push(s.index());
            at = self[s].parent;
        }
        trail.reverse();
        trail
    }

    pub fn page_url(&self, page: usize) -> String {
        site_paths::page(&self.pages[page].slug)
    }

    /// Root-relative URL of a mention's exact spot in its part.
    pub fn mention_url(&self, m: &Mention) -> String {
        let p = &self[m.part];
        site_paths::mention_in(self.section_folder(p.section), &p.slug, m.anchor)
    }
}
