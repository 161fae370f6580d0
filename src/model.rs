//! The resolved model: what resolve hands to render.
//!
//! Entities live in one plain vector per kind and refer to each other by typed
//! index ([`EntityRef`]), never by string. Back-links (mentions, claims that
//! cite a source, …) are computed once, in resolve. The model knows nothing of
//! templates or HTML.

use std::ops::Range;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostics::SourceText;
use crate::markdown::Body;

/// The four kinds of annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Person,
    Source,
    Claim,
    Term,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Person, Kind::Source, Kind::Claim, Kind::Term];

    /// The prefix of a mention link: `person` in `person:crocker`.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Source => "source",
            Kind::Claim => "claim",
            Kind::Term => "term",
        }
    }

    /// The content folder and the output folder of the kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Person => "people",
            Kind::Source => "sources",
            Kind::Claim => "claims",
            Kind::Term => "terms",
        }
    }

    /// The heading of the kind's index page.
    pub fn plural_title(self) -> &'static str {
        match self {
            Kind::Person => "People",
            Kind::Source => "Sources",
            Kind::Claim => "Claims",
            Kind::Term => "Glossary",
        }
    }

    pub fn from_prefix(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.prefix() == s)
    }

    pub fn from_folder(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == s)
    }
}

/// How well a claim is supported, as the text gives it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ClaimStatus {
    Sourced,
    Attributed,
    Disputed,
    Unverified,
    Assessment,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 5] = [
        ClaimStatus::Sourced,
        ClaimStatus::Attributed,
        ClaimStatus::Disputed,
        ClaimStatus::Unverified,
        ClaimStatus::Assessment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Sourced => "sourced",
            ClaimStatus::Attributed => "attributed",
            ClaimStatus::Disputed => "disputed",
            ClaimStatus::Unverified => "unverified",
            ClaimStatus::Assessment => "assessment",
        }
    }

    /// A short explanation for legends and previews.
    pub fn explanation(self) -> &'static str {
        match self {
            ClaimStatus::Sourced => "the text names a source for it",
            ClaimStatus::Attributed => "a named person's statement",
            ClaimStatus::Disputed => "the text says it is contested or alleged",
            ClaimStatus::Unverified => "no source is given",
            ClaimStatus::Assessment => "the author's own judgement",
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Book,
    Article,
    Interview,
    Testimony,
    Broadcast,
    Document,
    Speech,
    Letter,
    Report,
    Other,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Book => "book",
            SourceKind::Article => "article",
            SourceKind::Interview => "interview",
            SourceKind::Testimony => "testimony",
            SourceKind::Broadcast => "broadcast",
            SourceKind::Document => "document",
            SourceKind::Speech => "speech",
            SourceKind::Letter => "letter",
            SourceKind::Report => "report",
            SourceKind::Other => "other",
        }
    }
}

/// A typed reference to one entity: its kind and its index in that kind's vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityRef {
    pub kind: Kind,
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
    pub note: Body,
    pub origin: Origin,
    pub mentions: Vec<u32>,
    /// Claims attributed to this person.
    pub claims_attributed: Vec<u32>,
    /// Claims whose `about` names this person.
    pub claims_about: Vec<u32>,
    /// Sources this person wrote.
    pub sources_written: Vec<u32>,
}

#[derive(Debug, Clone, Hash)]
pub enum Author {
    Person(u32),
    Name(String),
}

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub authors: Vec<Author>,
    pub outlet: Option<String>,
    pub date: Option<PartialDate>,
    pub kind: Option<SourceKind>,
    pub url: Option<String>,
    pub note_field: Option<String>,
    pub details: SourceDetails,
    pub note: Body,
    pub origin: Origin,
    pub mentions: Vec<u32>,
    /// Claims that cite this source.
    pub cited_by: Vec<u32>,
}

/// A source's bibliographic fields beyond title, authors, outlet, date and
/// URL, named as in CSL, already validated.
#[derive(Debug, Clone, Default, Hash)]
pub struct SourceDetails {
    pub container_title: Option<String>,
    pub editors: Vec<Author>,
    pub translators: Vec<Author>,
    pub publisher: Option<String>,
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
    pub sources: Vec<u32>,
    pub attributed_to: Vec<u32>,
    pub about: Vec<EntityRef>,
    pub date: Option<PartialDate>,
    pub note_field: Option<String>,
    pub note: Body,
    pub origin: Origin,
    pub mentions: Vec<u32>,
    /// Claims whose `about` names this claim.
    pub claims_about: Vec<u32>,
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
    pub mentions: Vec<u32>,
    pub claims_about: Vec<u32>,
}

/// One mention of an entity in the reading text.
#[derive(Debug, Clone)]
pub struct Mention {
    pub entity: EntityRef,
    pub part: u32,
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
    /// A counted mention: index into `Edition::mentions`.
    Mention(u32),
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
    /// A bundled CSL style's name, checked.
    pub citation_style: String,
    pub preface: Body,
    pub preface_links: Vec<LinkResolution>,
}

/// Links in an entity's long note, per kind and index.
#[derive(Debug, Clone, Default)]
pub struct NoteLinks {
    pub people: Vec<Vec<LinkResolution>>,
    pub sources: Vec<Vec<LinkResolution>>,
    pub claims: Vec<Vec<LinkResolution>>,
    pub terms: Vec<Vec<LinkResolution>>,
}

/// The whole edition, resolved.
#[derive(Debug, Clone)]
pub struct Edition {
    pub meta: Meta,
    pub parts: Vec<Part>,
    pub pages: Vec<Page>,
    pub people: Vec<Person>,
    pub sources: Vec<Source>,
    pub claims: Vec<Claim>,
    pub terms: Vec<Term>,
    pub mentions: Vec<Mention>,
    pub note_links: NoteLinks,
}

impl Edition {
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Person => self.people.len(),
            Kind::Source => self.sources.len(),
            Kind::Claim => self.claims.len(),
            Kind::Term => self.terms.len(),
        }
    }

    pub fn entity_id(&self, e: EntityRef) -> &str {
        let i = e.index as usize;
        match e.kind {
            Kind::Person => &self.people[i].id,
            Kind::Source => &self.sources[i].id,
            Kind::Claim => &self.claims[i].id,
            Kind::Term => &self.terms[i].id,
        }
    }

    /// The entity's display name: a person's name, a source's title, a term, a claim's text.
    pub fn entity_name(&self, e: EntityRef) -> &str {
        let i = e.index as usize;
        match e.kind {
            Kind::Person => &self.people[i].name,
            Kind::Source => &self.sources[i].title,
            Kind::Claim => &self.claims[i].text,
            Kind::Term => &self.terms[i].term,
        }
    }

    /// Where the entity is defined: its own file, or a part's front matter.
    pub fn entity_origin(&self, e: EntityRef) -> &Origin {
        let i = e.index as usize;
        match e.kind {
            Kind::Person => &self.people[i].origin,
            Kind::Source => &self.sources[i].origin,
            Kind::Claim => &self.claims[i].origin,
            Kind::Term => &self.terms[i].origin,
        }
    }

    pub fn entity_mentions(&self, e: EntityRef) -> &[u32] {
        let i = e.index as usize;
        match e.kind {
            Kind::Person => &self.people[i].mentions,
            Kind::Source => &self.sources[i].mentions,
            Kind::Claim => &self.claims[i].mentions,
            Kind::Term => &self.terms[i].mentions,
        }
    }

    pub fn entity_note(&self, e: EntityRef) -> &Body {
        let i = e.index as usize;
        match e.kind {
            Kind::Person => &self.people[i].note,
            Kind::Source => &self.sources[i].note,
            Kind::Claim => &self.claims[i].note,
            Kind::Term => &self.terms[i].note,
        }
    }

    pub fn entity_note_links(&self, e: EntityRef) -> &[LinkResolution] {
        let i = e.index as usize;
        let v = match e.kind {
            Kind::Person => &self.note_links.people,
            Kind::Source => &self.note_links.sources,
            Kind::Claim => &self.note_links.claims,
            Kind::Term => &self.note_links.terms,
        };
        v.get(i).map_or(&[], Vec::as_slice)
    }

    /// Every entity of every kind, in kind then definition order.
    pub fn entities(&self) -> impl Iterator<Item = EntityRef> + '_ {
        Kind::ALL.into_iter().flat_map(move |kind| {
            (0..self.count(kind) as u32).map(move |index| EntityRef { kind, index })
        })
    }

    /// Root-relative URL of an entity's page.
    pub fn entity_url(&self, e: EntityRef) -> String {
        format!("{}/{}/index.html", e.kind.folder(), self.entity_id(e))
    }

    pub fn part_url(&self, part: usize) -> String {
        format!("{}/index.html", self.parts[part].slug)
    }

    pub fn page_url(&self, page: usize) -> String {
        format!("pages/{}/index.html", self.pages[page].slug)
    }

    /// Root-relative URL of a mention's exact spot in its part.
    pub fn mention_url(&self, m: &Mention) -> String {
        format!("{}#m-{}", self.part_url(m.part as usize), m.anchor)
    }
}
