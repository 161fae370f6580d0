//! The vocabulary every stage shares: the kinds of entity, with everything
//! that differs between them listed once ([`EntityKind::info`]), the
//! enumerations front matter may use (claim status, source kind), and the
//! kinds of content file.
//!
//! A leaf module: it imports nothing from the crate, so `load`, `raw`,
//! `markdown`, `model` and the exports can all depend on it without
//! depending on each other. Its serde derives are honest here: these values
//! are read from front matter and written to `annotations.json` as they are.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The kinds of annotation. The order of the variants is the order of
/// [`EntityKind::ALL`]: navigation, the kind indexes, the EPUB appendices and
/// the entity lists of `annotations.json` follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Source,
    Claim,
    Term,
    Place,
    Organisation,
}

/// How a kind's index page groups and orders its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexOrder {
    /// A–Z by the entity's sort key (`sort_as` where the kind has one,
    /// otherwise its name without leading punctuation).
    Alphabetical,
    /// By claim status, in the order of [`ClaimStatus::ALL`].
    ByStatus,
}

/// Everything that differs between two kinds of entity but their fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    /// The scheme of a mention link: `person` in `[Crocker](person:crocker)`.
    pub prefix: &'static str,
    /// The kind in messages, CSS classes, template and schema names: `person`.
    pub name: &'static str,
    /// The folder under `content/` and in the site: `people`.
    pub folder: &'static str,
    /// The key under which a part's front matter defines entities inline.
    pub inline_key: &'static str,
    /// The heading of the kind's index page and its navigation link.
    pub plural_title: &'static str,
    /// The schema.org type of the kind's entities (a source's may be more
    /// specific, from its own `kind`).
    pub json_ld_type: &'static str,
    pub index_order: IndexOrder,
}

impl EntityKind {
    pub const ALL: [EntityKind; 6] = [
        EntityKind::Person,
        EntityKind::Source,
        EntityKind::Claim,
        EntityKind::Term,
        EntityKind::Place,
        EntityKind::Organisation,
    ];

    /// The list: one entry per kind.
    pub const fn info(self) -> &'static KindInfo {
        match self {
            EntityKind::Person => &KindInfo {
                prefix: "person",
                name: "person",
                folder: "people",
                inline_key: "people",
                plural_title: "People",
                json_ld_type: "Person",
                index_order: IndexOrder::Alphabetical,
            },
            EntityKind::Source => &KindInfo {
                prefix: "source",
                name: "source",
                folder: "sources",
                inline_key: "sources",
                plural_title: "Sources",
                json_ld_type: "CreativeWork",
                index_order: IndexOrder::Alphabetical,
            },
            EntityKind::Claim => &KindInfo {
                prefix: "claim",
                name: "claim",
                folder: "claims",
                inline_key: "claims",
                plural_title: "Claims",
                json_ld_type: "Claim",
                index_order: IndexOrder::ByStatus,
            },
            EntityKind::Term => &KindInfo {
                prefix: "term",
                name: "term",
                folder: "terms",
                inline_key: "terms",
                plural_title: "Glossary",
                json_ld_type: "DefinedTerm",
                index_order: IndexOrder::Alphabetical,
            },
            EntityKind::Place => &KindInfo {
                prefix: "place",
                name: "place",
                folder: "places",
                inline_key: "places",
                plural_title: "Places",
                json_ld_type: "Place",
                index_order: IndexOrder::Alphabetical,
            },
            EntityKind::Organisation => &KindInfo {
                prefix: "org",
                name: "organisation",
                folder: "organisations",
                inline_key: "organisations",
                plural_title: "Organisations",
                json_ld_type: "Organization",
                index_order: IndexOrder::Alphabetical,
            },
        }
    }

    /// The prefix of a mention link: `person` in `person:crocker`.
    pub fn prefix(self) -> &'static str {
        self.info().prefix
    }

    /// The kind's name in messages and markup: `person`, `organisation`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The content folder and the output folder of the kind.
    pub fn folder(self) -> &'static str {
        self.info().folder
    }

    /// The heading of the kind's index page.
    pub fn plural_title(self) -> &'static str {
        self.info().plural_title
    }

    pub fn from_prefix(s: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.prefix() == s)
    }

    pub fn from_folder(s: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.folder() == s)
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
            ClaimStatus::Sourced => "the text ties it to a named publication or document",
            ClaimStatus::Attributed => "a named person's statement, opinion or recollection",
            ClaimStatus::Disputed => "the text says it is contested or alleged",
            ClaimStatus::Unverified => "no source is given",
            ClaimStatus::Assessment => "the author's own judgement",
        }
    }

    /// A symbol for each status, so status never rests on colour alone.
    pub fn symbol(self) -> &'static str {
        match self {
            ClaimStatus::Sourced => "✓",
            ClaimStatus::Attributed => "❝",
            ClaimStatus::Disputed => "⚠",
            ClaimStatus::Unverified => "?",
            ClaimStatus::Assessment => "◆",
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

/// What kind of body an organisation is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum OrganisationKind {
    Government,
    Military,
    Party,
    Agency,
    Legislature,
    International,
    Ngo,
    Company,
    Media,
    Other,
}

impl OrganisationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::Government => "government",
            OrganisationKind::Military => "military",
            OrganisationKind::Party => "party",
            OrganisationKind::Agency => "agency",
            OrganisationKind::Legislature => "legislature",
            OrganisationKind::International => "international",
            OrganisationKind::Ngo => "ngo",
            OrganisationKind::Company => "company",
            OrganisationKind::Media => "media",
            OrganisationKind::Other => "other",
        }
    }
}

/// Each kind of content file, by where it lives under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `content/_index.md`: edition metadata and preface.
    Index,
    /// `content/NN-slug.md`: a part of the reading text.
    Part,
    /// `content/pages/slug.md`: an editor's page outside the reading order.
    Page,
    /// `content/FOLDER/_index.md`: a section, holding the parts and sections
    /// of its folder.
    Section,
    /// `content/people/ID.md` and the other entity folders.
    Entity(EntityKind),
}

impl FileKind {
    pub const ALL: [FileKind; 4 + EntityKind::ALL.len()] = {
        let mut all = [FileKind::Index; 4 + EntityKind::ALL.len()];
        all[1] = FileKind::Part;
        all[2] = FileKind::Page;
        all[3] = FileKind::Section;
        let mut i = 0;
        while i < EntityKind::ALL.len() {
            all[4 + i] = FileKind::Entity(EntityKind::ALL[i]);
            i += 1;
        }
        all
    };

    /// The name `glossator schema` takes: `index`, `part`, `page`, `person`, …
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Index => "index",
            FileKind::Part => "part",
            FileKind::Page => "page",
            FileKind::Section => "section",
            FileKind::Entity(k) => k.name(),
        }
    }

    /// The schema's file name, as `glossator schema --out` writes it.
    pub fn file_name(self) -> String {
        format!("{}.schema.json", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_prefix_name_folder_and_inline_key() {
        for (i, a) in EntityKind::ALL.iter().enumerate() {
            for b in &EntityKind::ALL[i + 1..] {
                let (a, b) = (a.info(), b.info());
                assert_ne!(a.prefix, b.prefix);
                assert_ne!(a.name, b.name);
                assert_ne!(a.folder, b.folder);
                assert_ne!(a.inline_key, b.inline_key);
            }
        }
        for k in EntityKind::ALL {
            assert_eq!(EntityKind::from_prefix(k.prefix()), Some(k));
            assert_eq!(EntityKind::from_folder(k.folder()), Some(k));
        }
    }

    #[test]
    fn the_order_of_the_list_is_the_order_of_the_variants() {
        let mut sorted = EntityKind::ALL;
        sorted.sort();
        assert_eq!(sorted, EntityKind::ALL);
    }

    #[test]
    fn every_file_kind_has_its_own_schema_name() {
        let names: std::collections::BTreeSet<_> = FileKind::ALL.map(FileKind::name).into();
        assert_eq!(names.len(), FileKind::ALL.len());
    }
}
