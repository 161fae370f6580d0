//! Parse stage, part two: the front matter exactly as written, as serde types.
//!
//! Every struct denies unknown fields, so a misspelt field is an error with a
//! did-you-mean rather than a silently ignored value. References (`person:ID`,
//! source IDs, dates) keep their YAML position (`Spanned`) so resolve can point
//! at the exact line that names a missing entity.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::kinds::{ClaimStatus, OrganisationKind, SourceKind};

/// `content/_index.md`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawIndex {
    pub title: String,
    pub subtitle: Option<String>,
    pub author: Option<String>,
    pub original: Option<RawOriginal>,
    pub editor: Option<String>,
    pub language: Option<String>,
    pub license: Option<String>,
    #[serde(default)]
    pub allow_html: bool,
    /// An image of `content/` for the cover, `og:image` and the EPUB's
    /// cover, relative to this file.
    #[schemars(with = "Option<String>")]
    pub cover_image: Option<Spanned<String>>,
    /// The cover image's alt text.
    pub cover_alt: Option<String>,
    /// Also write the edition as TEI P5, `site/SLUG.tei.xml`, as `--tei` does.
    #[serde(default)]
    pub tei: bool,
    /// The CSL style sources are formatted in: a style bundled with
    /// glossator (`chicago-author-date`, the default; `apa`,
    /// `modern-language-association`, `ieee`, …).
    #[schemars(with = "Option<String>")]
    pub citation_style: Option<Spanned<String>>,
}

/// Where the edited text first appeared.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOriginal {
    pub title: Option<String>,
    pub outlet: Option<String>,
    #[schemars(
        with = "Option<String>",
        pattern(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
    )]
    pub date: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
}

/// A part of the reading text; may define entities inline.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPart {
    pub title: String,
    pub order: Option<i64>,
    #[schemars(with = "Option<String>")]
    pub slug: Option<Spanned<String>>,
    pub summary: Option<String>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawPerson>")]
    pub people: BTreeMap<String, Spanned<RawPerson>>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawSource>")]
    pub sources: BTreeMap<String, Spanned<RawSource>>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawClaim>")]
    pub claims: BTreeMap<String, Spanned<RawClaim>>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawTerm>")]
    pub terms: BTreeMap<String, Spanned<RawTerm>>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawPlace>")]
    pub places: BTreeMap<String, Spanned<RawPlace>>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawOrganisation>")]
    pub organisations: BTreeMap<String, Spanned<RawOrganisation>>,
    /// Left out of `build` and its exports unless drafts are asked for
    /// (`--drafts`, `drafts = true`); `serve` shows it, marked.
    #[serde(default)]
    pub draft: bool,
}

/// `content/FOLDER/_index.md`: a section of the reading text, holding the
/// parts and sections of its folder; its body introduces it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub title: String,
    /// Its place among the parts and sections beside it (then the folder name).
    pub order: Option<i64>,
    /// The folder of its pages in the site; the folder name by default.
    #[schemars(with = "Option<String>")]
    pub slug: Option<Spanned<String>>,
    pub summary: Option<String>,
    /// Left out of `build` and its exports, with everything in it, unless
    /// drafts are asked for (`--drafts`, `drafts = true`); `serve` shows it,
    /// marked.
    #[serde(default)]
    pub draft: bool,
}

/// An editor's page outside the reading order.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    pub title: String,
    #[schemars(with = "Option<String>")]
    pub slug: Option<Spanned<String>>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub name: String,
    pub description: String,
    pub sort_as: Option<String>,
    #[schemars(
        with = "Option<String>",
        pattern(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
    )]
    pub born: Option<Spanned<String>>,
    #[schemars(
        with = "Option<String>",
        pattern(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
    )]
    pub died: Option<Spanned<String>>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub links: Vec<RawLink>,
    #[schemars(with = "Option<String>")]
    pub wikidata: Option<Spanned<String>>,
    /// Organisations the person belongs to, as `org:ID`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub affiliations: Vec<Spanned<String>>,
    /// A portrait: an image of `content/`, relative to this file, shown on
    /// its page.
    #[schemars(with = "Option<String>")]
    pub image: Option<Spanned<String>>,
    /// The image's alt text.
    pub image_alt: Option<String>,
    /// Who made the image, or where it is from, shown beneath it.
    pub image_credit: Option<String>,
    /// Left out of `build` and its exports unless drafts are asked for
    /// (`--drafts`, `drafts = true`); `serve` shows it, marked.
    #[serde(default)]
    pub draft: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    pub label: String,
    #[schemars(with = "String")]
    pub url: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub title: String,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub authors: Vec<Spanned<String>>,
    /// Where it appeared: a name, or an organisation of the edition as `org:ID`.
    #[schemars(with = "Option<String>")]
    pub outlet: Option<Spanned<String>>,
    /// Who published it: a name, or `org:ID`.
    #[schemars(with = "Option<String>")]
    pub publisher: Option<Spanned<String>>,
    #[schemars(
        with = "Option<String>",
        pattern(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
    )]
    pub date: Option<Spanned<String>>,
    pub kind: Option<SourceKind>,
    /// An absolute http(s) URL.
    #[schemars(with = "Option<String>", pattern(r"^https?://"))]
    pub url: Option<Spanned<String>>,
    pub note: Option<String>,
    /// Left out of `build` and its exports unless drafts are asked for
    /// (`--drafts`, `drafts = true`); `serve` shows it, marked.
    #[serde(default)]
    pub draft: bool,

    // CSL's fields, by their CSL-JSON names with `_` for `-`.
    /// The journal, book or series the source is part of.
    pub container_title: Option<String>,
    /// Names, or `person:ID`, like `authors`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub editors: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub translators: Vec<Spanned<String>>,
    /// Where it was published: the publisher's city.
    pub place: Option<String>,
    #[schemars(with = "Option<TextOrNumber>")]
    pub volume: Option<String>,
    #[schemars(with = "Option<TextOrNumber>")]
    pub issue: Option<String>,
    /// A page or a range of pages: `52`, `52-61`.
    #[schemars(with = "Option<TextOrNumber>")]
    pub pages: Option<String>,
    #[schemars(with = "Option<TextOrNumber>")]
    pub edition: Option<String>,
    /// A DOI alone, without `https://doi.org/`: `10.5555/12345678`.
    #[schemars(with = "Option<String>", pattern(r"^10\.[0-9]{4,9}/\S+$"))]
    pub doi: Option<Spanned<String>>,
    /// An ISBN-10 or ISBN-13, with or without hyphens; its check digit is checked.
    #[schemars(with = "Option<String>")]
    pub isbn: Option<Spanned<String>>,
    /// `NNNN-NNNC`; its check digit is checked.
    #[schemars(with = "Option<String>", pattern(r"^[0-9]{4}-?[0-9]{3}[0-9Xx]$"))]
    pub issn: Option<Spanned<String>>,
    /// When the `url` was last read.
    #[schemars(
        with = "Option<String>",
        pattern(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
    )]
    pub accessed: Option<Spanned<String>>,
    /// What kind of work it is, in words: `PhD dissertation`, `podcast`.
    pub genre: Option<String>,
}

/// What the schema says of a field read as text that may be written as a
/// bare number (`volume: 12`): YAML gives glossator its text either way.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only its schema is used
enum TextOrNumber {
    Text(String),
    Number(u64),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    pub text: String,
    pub status: ClaimStatus,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub sources: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub attributed_to: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub about: Vec<Spanned<String>>,
    #[schemars(
        with = "Option<String>",
        pattern(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
    )]
    pub date: Option<Spanned<String>>,
    pub note: Option<String>,
    /// Left out of `build` and its exports unless drafts are asked for
    /// (`--drafts`, `drafts = true`); `serve` shows it, marked.
    #[serde(default)]
    pub draft: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub term: String,
    pub definition: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub category: Option<String>,
    /// Left out of `build` and its exports unless drafts are asked for
    /// (`--drafts`, `drafts = true`); `serve` shows it, marked.
    #[serde(default)]
    pub draft: bool,
}

/// A place: a country, a city, a region, a site.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlace {
    pub name: String,
    /// Inline Markdown.
    pub description: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[schemars(with = "Option<RawCoordinates>")]
    pub coordinates: Option<Spanned<RawCoordinates>>,
    /// The place it lies in, as `place:ID`.
    #[schemars(with = "Option<String>")]
    pub located_in: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub wikidata: Option<Spanned<String>>,
    /// A GeoNames ID (digits).
    pub geonames: Option<u64>,
    #[serde(default)]
    pub links: Vec<RawLink>,
    /// An image of `content/`, relative to this file, shown on its page.
    #[schemars(with = "Option<String>")]
    pub image: Option<Spanned<String>>,
    /// The image's alt text.
    pub image_alt: Option<String>,
    /// Who made the image, or where it is from, shown beneath it.
    pub image_credit: Option<String>,
    /// Left out of `build` and its exports unless drafts are asked for
    /// (`--drafts`, `drafts = true`); `serve` shows it, marked.
    #[serde(default)]
    pub draft: bool,
}

/// Decimal degrees.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCoordinates {
    /// −90 to 90.
    #[schemars(with = "f64", range(min = -90.0, max = 90.0))]
    pub lat: Spanned<f64>,
    /// −180 to 180.
    #[schemars(with = "f64", range(min = -180.0, max = 180.0))]
    pub lon: Spanned<f64>,
}

/// An organisation: a government body, an army, a party, a newspaper, …
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOrganisation {
    pub name: String,
    /// Inline Markdown.
    pub description: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: Option<OrganisationKind>,
    #[schemars(
        with = "Option<String>",
        pattern(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
    )]
    pub founded: Option<Spanned<String>>,
    #[schemars(
        with = "Option<String>",
        pattern(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
    )]
    pub dissolved: Option<Spanned<String>>,
    /// The organisation it belongs to, as `org:ID`.
    #[schemars(with = "Option<String>")]
    pub part_of: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub wikidata: Option<Spanned<String>>,
    #[serde(default)]
    pub links: Vec<RawLink>,
    /// An image of `content/`, relative to this file, shown on its page.
    #[schemars(with = "Option<String>")]
    pub image: Option<Spanned<String>>,
    /// The image's alt text.
    pub image_alt: Option<String>,
    /// Who made the image, or where it is from, shown beneath it.
    pub image_credit: Option<String>,
    /// Left out of `build` and its exports unless drafts are asked for
    /// (`--drafts`, `drafts = true`); `serve` shows it, marked.
    #[serde(default)]
    pub draft: bool,
}

/// Any one entity, as read from its own file or from a part's front matter.
#[derive(Debug, Clone)]
pub enum RawEntity {
    /// Boxed, as are places and organisations: the kinds with an image have
    /// the most fields, and CSL's many fields make a source the largest;
    /// each would size every variant.
    Person(Box<RawPerson>),
    Source(Box<RawSource>),
    Claim(RawClaim),
    Term(RawTerm),
    Place(Box<RawPlace>),
    Organisation(Box<RawOrganisation>),
}

impl RawEntity {
    /// `draft: true` in its front matter.
    pub fn is_draft(&self) -> bool {
        match self {
            RawEntity::Person(p) => p.draft,
            RawEntity::Source(s) => s.draft,
            RawEntity::Claim(c) => c.draft,
            RawEntity::Term(t) => t.draft,
            RawEntity::Place(p) => p.draft,
            RawEntity::Organisation(o) => o.draft,
        }
    }
}
