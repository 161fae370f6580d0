//! Parse stage, part two: the front matter exactly as written, as serde types.
//!
//! Every struct denies unknown fields, so a misspelt field is an error with a
//! did-you-mean rather than a silently ignored value. References (`person:ID`,
//! source IDs, dates) keep their YAML position (`Spanned`) so resolve can point
//! at the exact line that names a missing entity.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::model::{ClaimStatus, SourceKind};

/// `content/_index.md`.
#[derive(Debug, Clone, Deserialize)]
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
}

/// Where the edited text first appeared.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOriginal {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<Spanned<String>>,
    pub url: Option<Spanned<String>>,
}

/// A part of the reading text; may define entities inline.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPart {
    pub title: String,
    pub order: Option<i64>,
    pub slug: Option<Spanned<String>>,
    pub summary: Option<String>,
    #[serde(default)]
    pub people: BTreeMap<String, Spanned<RawPerson>>,
    #[serde(default)]
    pub sources: BTreeMap<String, Spanned<RawSource>>,
    #[serde(default)]
    pub claims: BTreeMap<String, Spanned<RawClaim>>,
    #[serde(default)]
    pub terms: BTreeMap<String, Spanned<RawTerm>>,
}

/// An editor's page outside the reading order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    pub title: String,
    pub slug: Option<Spanned<String>>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub name: String,
    pub description: String,
    pub sort_as: Option<String>,
    pub born: Option<Spanned<String>>,
    pub died: Option<Spanned<String>>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub links: Vec<RawLink>,
    pub wikidata: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    pub label: String,
    pub url: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub title: String,
    #[serde(default)]
    pub authors: Vec<Spanned<String>>,
    pub outlet: Option<String>,
    pub date: Option<Spanned<String>>,
    pub kind: Option<SourceKind>,
    pub url: Option<Spanned<String>>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    pub text: String,
    pub status: ClaimStatus,
    #[serde(default)]
    pub sources: Vec<Spanned<String>>,
    #[serde(default)]
    pub attributed_to: Vec<Spanned<String>>,
    #[serde(default)]
    pub about: Vec<Spanned<String>>,
    pub date: Option<Spanned<String>>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub term: String,
    pub definition: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub category: Option<String>,
}

/// Any one entity, as read from its own file or from a part's front matter.
#[derive(Debug, Clone)]
pub enum RawEntity {
    Person(RawPerson),
    Source(RawSource),
    Claim(RawClaim),
    Term(RawTerm),
}
