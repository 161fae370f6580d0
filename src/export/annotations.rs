//! Export: `annotations.json`, the edition's data for analysis elsewhere:
//! every entity with all its fields, and every mention with its place in the
//! text.
//!
//! The types here are the format: `glossator schema annotations` and
//! `docs/annotations.schema.json` are generated from them. A change that
//! removes or renames a field raises [`FORMAT_VERSION`].

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::{
    Author, ClaimStatus, Edition, Entity, EntityKind, EntityRef, Id, Mention, OrganisationId,
    OrganisationKind, Origin, SourceDetails, SourceKind,
};

/// The version of the format, written into every file as `version`.
///
/// Version 2 added `places`, `organisations`, a person's `affiliations` and a
/// source's `publisher`, `outlet_organisation` and `publisher_organisation`.
pub const FORMAT_VERSION: u32 = 2;

/// The whole export.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Annotations<'a> {
    /// Always `glossator-annotations`.
    pub format: &'static str,
    /// The format version; a reader should refuse versions it does not know.
    pub version: u32,
    /// The program that wrote the file, with its version.
    pub generator: &'static str,
    pub edition: EditionData<'a>,
    /// The parts of the reading text, in reading order.
    pub parts: Vec<PartData<'a>>,
    /// The editor's pages outside the reading order.
    pub pages: Vec<PageData<'a>>,
    pub people: Vec<PersonData<'a>>,
    pub sources: Vec<SourceData<'a>>,
    pub claims: Vec<ClaimData<'a>>,
    pub terms: Vec<TermData<'a>>,
    pub places: Vec<PlaceData<'a>>,
    pub organisations: Vec<OrganisationData<'a>>,
    /// Every mention in the reading text, in reading order.
    pub mentions: Vec<MentionData<'a>>,
}

/// The edition as its cover (`_index.md`) describes it.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditionData<'a> {
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub author: Option<&'a str>,
    pub editor: Option<&'a str>,
    /// A BCP 47 language tag.
    pub language: &'a str,
    pub license: Option<&'a str>,
    /// Where the edited text first appeared.
    pub original: Option<OriginalData<'a>>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OriginalData<'a> {
    pub title: Option<&'a str>,
    pub outlet: Option<&'a str>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<&'a str>,
    pub url: Option<&'a str>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartData<'a> {
    /// The part's folder in the site, and its key in `mentions[].part`.
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    /// The page's path inside the site folder.
    pub url: String,
    /// The content file, relative to `content/`.
    pub file: &'a str,
    /// The plain text of each numbered paragraph (`#p1` … `#pN`), which
    /// `mentions[].chars` count into.
    pub paragraphs: &'a [String],
    /// How many mentions the part has.
    pub mention_count: usize,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageData<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub url: String,
    pub file: &'a str,
}

/// Fields every entity has besides its own.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Common<'a> {
    /// The entity's page inside the site folder.
    pub url: String,
    /// The file that defines it, relative to the edition folder, and the line.
    pub defined_in: String,
    /// The long note (the Markdown body of the entity's own file), as written.
    pub note: &'a str,
    /// Indices into the top-level `mentions` array.
    pub mentions: Vec<u32>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkData<'a> {
    pub label: &'a str,
    pub url: &'a str,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonData<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// Inline Markdown.
    pub description: &'a str,
    pub sort_as: &'a str,
    pub born: Option<&'a str>,
    pub died: Option<&'a str>,
    pub roles: &'a [String],
    pub aliases: &'a [String],
    pub links: Vec<LinkData<'a>>,
    /// A Wikidata item ID such as `Q42`.
    pub wikidata: Option<&'a str>,
    /// IDs of the claims attributed to this person.
    pub claims_attributed: Vec<&'a str>,
    /// IDs of the claims about this person.
    pub claims_about: Vec<&'a str>,
    /// IDs of the sources this person wrote.
    pub sources_written: Vec<&'a str>,
    /// IDs of the organisations the person belongs to.
    pub affiliations: Vec<&'a str>,
    #[serde(flatten)]
    pub common: Common<'a>,
}

/// A source's author: a person of the edition (by ID) or a name.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorData<'a> {
    pub name: &'a str,
    /// The person's ID when the author is one of the edition's people.
    pub person: Option<&'a str>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceData<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub authors: Vec<AuthorData<'a>>,
    /// The outlet's name (an organisation's name when it is one).
    pub outlet: Option<&'a str>,
    /// The ID of the organisation that is the outlet, if it is one.
    pub outlet_organisation: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub publisher_organisation: Option<&'a str>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<&'a str>,
    pub kind: Option<SourceKind>,
    pub source_url: Option<&'a str>,
    /// The `note` field of the front matter.
    pub remark: Option<&'a str>,
    /// IDs of the claims that cite this source.
    pub cited_by: Vec<&'a str>,
    #[serde(flatten)]
    pub details: SourceDetailsData<'a>,
    #[serde(flatten)]
    pub common: Common<'a>,
}

/// A source's bibliographic fields beyond the above, as CSL names them
/// (with `_` for `-`).
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceDetailsData<'a> {
    pub container_title: Option<&'a str>,
    pub editors: Vec<AuthorData<'a>>,
    pub translators: Vec<AuthorData<'a>>,
    pub place: Option<&'a str>,
    pub volume: Option<&'a str>,
    pub issue: Option<&'a str>,
    pub pages: Option<&'a str>,
    pub edition: Option<&'a str>,
    /// A bare DOI: `10.5555/12345678`.
    pub doi: Option<&'a str>,
    /// As written, with a right check digit.
    pub isbn: Option<&'a str>,
    pub issn: Option<&'a str>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub accessed: Option<&'a str>,
    pub genre: Option<&'a str>,
}

/// A reference to any entity.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityKey<'a> {
    /// `person`, `source`, `claim`, `term`, `place` or `organisation`.
    pub kind: &'static str,
    pub id: &'a str,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimData<'a> {
    pub id: &'a str,
    /// Inline Markdown.
    pub text: &'a str,
    pub status: ClaimStatus,
    /// IDs of the sources cited for the claim.
    pub sources: Vec<&'a str>,
    /// IDs of the people the claim is attributed to.
    pub attributed_to: Vec<&'a str>,
    pub about: Vec<EntityKey<'a>>,
    pub date: Option<&'a str>,
    /// The `note` field of the front matter.
    pub remark: Option<&'a str>,
    /// IDs of the claims about this claim.
    pub claims_about: Vec<&'a str>,
    #[serde(flatten)]
    pub common: Common<'a>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TermData<'a> {
    pub id: &'a str,
    pub term: &'a str,
    /// Inline Markdown.
    pub definition: &'a str,
    pub aliases: &'a [String],
    pub category: Option<&'a str>,
    /// IDs of the claims about this term.
    pub claims_about: Vec<&'a str>,
    #[serde(flatten)]
    pub common: Common<'a>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceData<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// Inline Markdown.
    pub description: &'a str,
    pub aliases: &'a [String],
    pub coordinates: Option<CoordinatesData>,
    /// The ID of the place it lies in.
    pub located_in: Option<&'a str>,
    /// IDs of the places that lie in it.
    pub contains: Vec<&'a str>,
    pub wikidata: Option<&'a str>,
    /// A GeoNames ID.
    pub geonames: Option<u64>,
    pub links: Vec<LinkData<'a>>,
    /// IDs of the claims about this place.
    pub claims_about: Vec<&'a str>,
    #[serde(flatten)]
    pub common: Common<'a>,
}

/// Decimal degrees.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoordinatesData {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationData<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// Inline Markdown.
    pub description: &'a str,
    pub aliases: &'a [String],
    pub kind: Option<OrganisationKind>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub founded: Option<&'a str>,
    pub dissolved: Option<&'a str>,
    /// The ID of the organisation it belongs to.
    pub part_of: Option<&'a str>,
    /// IDs of the organisations that belong to it.
    pub units: Vec<&'a str>,
    /// IDs of the people who list it among their affiliations.
    pub members: Vec<&'a str>,
    /// IDs of the sources it is the outlet or publisher of.
    pub sources_published: Vec<&'a str>,
    pub wikidata: Option<&'a str>,
    pub links: Vec<LinkData<'a>>,
    /// IDs of the claims about this organisation.
    pub claims_about: Vec<&'a str>,
    #[serde(flatten)]
    pub common: Common<'a>,
}

/// One mention: a link from the reading text to an entity.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MentionData<'a> {
    pub entity: EntityKey<'a>,
    /// The slug of the part it stands in.
    pub part: &'a str,
    /// The numbered paragraph (1-based, as in the `#pN` anchor), if any.
    pub paragraph: Option<u32>,
    /// The mention's anchor in the part's page: `m-3`.
    pub anchor: String,
    /// Path of the mention's exact spot inside the site folder.
    pub url: String,
    /// The linked words as written.
    pub text: &'a str,
    /// The pinpoint locator (`p. 52`) from the link title, if any.
    pub locator: Option<&'a str>,
    /// Range of the linked words in the paragraph's plain text (the part's
    /// `paragraphs[paragraph - 1]`), counted in Unicode scalar values, end
    /// exclusive; `null` outside numbered paragraphs (a list, a footnote).
    pub chars: Option<CharRange>,
    /// The sentence around the mention.
    pub context: &'a str,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CharRange {
    pub start: usize,
    pub end: usize,
}

/// The export of `e`.
pub fn collect<'a>(e: &'a Edition) -> Annotations<'a> {
    let refs =
        |kind: EntityKind| (0..e.count(kind) as u32).map(move |index| EntityRef { kind, index });
    Annotations {
        format: "glossator-annotations",
        version: FORMAT_VERSION,
        generator: concat!("glossator ", env!("CARGO_PKG_VERSION")),
        edition: edition_data(e),
        parts: e
            .parts
            .iter()
            .enumerate()
            .map(|(i, p)| PartData {
                slug: &p.slug,
                title: &p.title,
                summary: p.summary.as_deref(),
                url: e.part_url(i),
                file: &p.rel,
                paragraphs: &p.body.paragraphs,
                mention_count: p.mentions.len(),
            })
            .collect(),
        pages: e
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| PageData {
                slug: &p.slug,
                title: &p.title,
                summary: p.summary.as_deref(),
                url: e.page_url(i),
                file: &p.rel,
            })
            .collect(),
        people: refs(EntityKind::Person)
            .map(|r| person_data(e, r))
            .collect(),
        sources: refs(EntityKind::Source)
            .map(|r| source_data(e, r))
            .collect(),
        claims: refs(EntityKind::Claim).map(|r| claim_data(e, r)).collect(),
        terms: refs(EntityKind::Term).map(|r| term_data(e, r)).collect(),
        places: refs(EntityKind::Place).map(|r| place_data(e, r)).collect(),
        organisations: refs(EntityKind::Organisation)
            .map(|r| organisation_data(e, r))
            .collect(),
        mentions: e.mentions.iter().map(|m| mention_data(e, m)).collect(),
    }
}

fn person_data(e: &Edition, r: EntityRef) -> PersonData<'_> {
    let p = &e.people[r.index as usize];
    PersonData {
        id: &p.id,
        name: &p.name,
        description: &p.description,
        sort_as: &p.sort_as,
        born: p.born.as_deref(),
        died: p.died.as_deref(),
        roles: &p.roles,
        aliases: &p.aliases,
        links: p
            .links
            .iter()
            .map(|l| LinkData {
                label: &l.label,
                url: &l.url,
            })
            .collect(),
        wikidata: p.wikidata.as_deref(),
        claims_attributed: ids(e, &p.claims_attributed),
        claims_about: ids(e, &p.claims_about),
        sources_written: ids(e, &p.sources_written),
        affiliations: ids(e, &p.affiliations),
        common: common(e, r, &p.origin),
    }
}

fn source_data(e: &Edition, r: EntityRef) -> SourceData<'_> {
    let s = &e.sources[r.index as usize];
    SourceData {
        id: &s.id,
        title: &s.title,
        authors: s
            .authors
            .iter()
            .map(|a| match a {
                Author::Person(p) => AuthorData {
                    name: &e[*p].name,
                    person: Some(&e[*p].id),
                },
                Author::Name(n) => AuthorData {
                    name: n,
                    person: None,
                },
            })
            .collect(),
        outlet: s.outlet.as_deref(),
        outlet_organisation: org_id(e, s.outlet_org),
        publisher: s.publisher.as_deref(),
        publisher_organisation: org_id(e, s.publisher_org),
        date: s.date.as_ref().map(|d| d.0.as_str()),
        kind: s.kind,
        source_url: s.url.as_deref(),
        remark: s.note_field.as_deref(),
        cited_by: ids(e, &s.cited_by),
        details: details(e, &s.details),
        common: common(e, r, &s.origin),
    }
}

fn claim_data(e: &Edition, r: EntityRef) -> ClaimData<'_> {
    let c = &e.claims[r.index as usize];
    ClaimData {
        id: &c.id,
        text: &c.text,
        status: c.status,
        sources: ids(e, &c.sources),
        attributed_to: ids(e, &c.attributed_to),
        about: c.about.iter().map(|&a| key(e, a)).collect(),
        date: c.date.as_ref().map(|d| d.0.as_str()),
        remark: c.note_field.as_deref(),
        claims_about: ids(e, &c.claims_about),
        common: common(e, r, &c.origin),
    }
}

fn term_data(e: &Edition, r: EntityRef) -> TermData<'_> {
    let t = &e.terms[r.index as usize];
    TermData {
        id: &t.id,
        term: &t.term,
        definition: &t.definition,
        aliases: &t.aliases,
        category: t.category.as_deref(),
        claims_about: ids(e, &t.claims_about),
        common: common(e, r, &t.origin),
    }
}

fn place_data(e: &Edition, r: EntityRef) -> PlaceData<'_> {
    let p = &e.places[r.index as usize];
    PlaceData {
        id: &p.id,
        name: &p.name,
        description: &p.description,
        aliases: &p.aliases,
        coordinates: (p.coordinates).map(|c| CoordinatesData {
            lat: c.lat,
            lon: c.lon,
        }),
        located_in: p.located_in.map(|i| e[i].id.as_str()),
        contains: ids(e, &p.contains),
        wikidata: p.wikidata.as_deref(),
        geonames: p.geonames,
        links: links(&p.links),
        claims_about: ids(e, &p.claims_about),
        common: common(e, r, &p.origin),
    }
}

fn organisation_data(e: &Edition, r: EntityRef) -> OrganisationData<'_> {
    let o = &e.organisations[r.index as usize];
    OrganisationData {
        id: &o.id,
        name: &o.name,
        description: &o.description,
        aliases: &o.aliases,
        kind: o.kind,
        founded: o.founded.as_ref().map(|d| d.0.as_str()),
        dissolved: o.dissolved.as_ref().map(|d| d.0.as_str()),
        part_of: org_id(e, o.part_of),
        units: ids(e, &o.units),
        members: ids(e, &o.members),
        sources_published: ids(e, &o.sources_published),
        wikidata: o.wikidata.as_deref(),
        links: links(&o.links),
        claims_about: ids(e, &o.claims_about),
        common: common(e, r, &o.origin),
    }
}

/// The IDs of entities of one kind.
fn ids<'a, T: Entity>(e: &'a Edition, v: &[Id<T>]) -> Vec<&'a str> {
    v.iter().map(|&id| e.entity_id(id.into())).collect()
}

fn org_id(e: &Edition, o: Option<OrganisationId>) -> Option<&str> {
    o.map(|i| e[i].id.as_str())
}

fn common<'a>(e: &'a Edition, r: EntityRef, origin: &'a Origin) -> Common<'a> {
    Common {
        url: e.entity_url(r),
        defined_in: defined_in(origin),
        note: note_source(e, r, origin),
        mentions: e.entity_mentions(r).iter().map(|m| m.get()).collect(),
    }
}

fn links(links: &[crate::model::Link]) -> Vec<LinkData<'_>> {
    (links.iter())
        .map(|l| LinkData {
            label: &l.label,
            url: &l.url,
        })
        .collect()
}

/// Where the export goes inside the site folder.
pub const PATH: &str = crate::site_paths::ANNOTATIONS;

/// `annotations.json` as bytes: pretty-printed, so diffs between builds read well.
pub fn to_json(e: &Edition) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_json(e, &mut bytes).expect("writing to memory cannot fail");
    bytes
}

/// Writes `annotations.json` to `w` as it is serialised: it holds the whole
/// text, so a build streams it to disk rather than holding it in memory.
pub fn write_json(e: &Edition, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &collect(e))?;
    w.write_all(b"\n")
}

fn edition_data(e: &Edition) -> EditionData<'_> {
    let m = &e.meta;
    EditionData {
        title: &m.title,
        subtitle: m.subtitle.as_deref(),
        author: m.author.as_deref(),
        editor: m.editor.as_deref(),
        language: &m.language,
        license: m.license.as_deref(),
        original: m.original.as_ref().map(|o| OriginalData {
            title: o.title.as_deref(),
            outlet: o.outlet.as_deref(),
            date: o.date.as_ref().map(|d| d.0.as_str()),
            url: o.url.as_deref(),
        }),
    }
}

fn key(e: &Edition, r: EntityRef) -> EntityKey<'_> {
    EntityKey {
        kind: r.kind.name(),
        id: e.entity_id(r),
    }
}

fn mention_data<'a>(e: &'a Edition, m: &'a Mention) -> MentionData<'a> {
    MentionData {
        entity: key(e, m.entity),
        part: &e[m.part].slug,
        paragraph: m.paragraph.map(|p| p + 1),
        anchor: format!("m-{}", m.anchor),
        url: e.mention_url(m),
        text: &m.text,
        locator: m.locator.as_deref(),
        chars: m.paragraph.map(|_| CharRange {
            start: m.chars.start,
            end: m.chars.end,
        }),
        context: &m.context,
    }
}

fn defined_in(origin: &Origin) -> String {
    let (line, _) = origin.source.line_col(origin.span.start);
    format!("{}:{line}", origin.source.display_path)
}

/// The Markdown of an entity's long note, cut from its file as written.
fn note_source<'a>(e: &'a Edition, r: EntityRef, origin: &'a Origin) -> &'a str {
    let body = e.entity_note(r);
    let spans = body.spans();
    let (Some(first), Some(last)) = (spans.first(), spans.iter().map(|s| s.end).max()) else {
        return "";
    };
    origin
        .source
        .text
        .get(first.start..last)
        .map_or("", str::trim)
}
fn authors<'a>(e: &'a Edition, list: &'a [Author]) -> Vec<AuthorData<'a>> {
    list.iter()
        .map(|a| match a {
            Author::Person(p) => AuthorData {
                name: &e[*p].name,
                person: Some(&e[*p].id),
            },
            Author::Name(n) => AuthorData {
                name: n,
                person: None,
            },
        })
        .collect()
}

fn details<'a>(e: &'a Edition, d: &'a SourceDetails) -> SourceDetailsData<'a> {
    SourceDetailsData {
        container_title: d.container_title.as_deref(),
        editors: authors(e, &d.editors),
        translators: authors(e, &d.translators),
        place: d.place.as_deref(),
        volume: d.volume.as_deref(),
        issue: d.issue.as_deref(),
        pages: d.pages.as_deref(),
        edition: d.edition.as_deref(),
        doi: d.doi.as_deref(),
        isbn: d.isbn.as_deref(),
        issn: d.issn.as_deref(),
        accessed: d.accessed.as_ref().map(|a| a.0.as_str()),
        genre: d.genre.as_deref(),
    }
}
