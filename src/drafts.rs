//! Between parse and resolve: parts and entities marked `draft: true`.
//!
//! Unless drafts are asked for, they are taken out of the parsed edition
//! before it is resolved, so no page, search entry or export knows them; an
//! entity defined inline in a draft part goes with it. A published text that
//! mentions a draft entity would link to a page that is not there: that is an
//! error naming both, and the entity stays in so that nothing else fails on
//! it. When drafts are shown (`serve`, `--drafts`), their pages are marked.

use std::collections::{BTreeSet, HashMap};

use crate::diagnostics::Diagnostic;
use crate::markdown::{Body, Target};
use crate::model::{Edition, EntityKind, Origin};
use crate::parse::ParsedEdition;
use crate::render::PageSpec;

/// What became of the drafts of one build.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Drafts {
    /// How many were left out.
    pub left_out: usize,
    /// Those shown, whose pages carry a banner: parts by their path relative
    /// to `content/`, entities by kind and ID.
    shown_parts: BTreeSet<String>,
    shown_entities: BTreeSet<(EntityKind, String)>,
}

impl Drafts {
    pub const NONE: Drafts = Drafts {
        left_out: 0,
        shown_parts: BTreeSet::new(),
        shown_entities: BTreeSet::new(),
    };

    /// Whether the page is a draft shown anyway.
    pub fn marks(&self, e: &Edition, spec: PageSpec) -> bool {
        match spec {
            PageSpec::Part(i) => self.shown_parts.contains(&e.parts[i].rel),
            PageSpec::Entity(r) => {
                (self.shown_entities.iter()).any(|(k, id)| *k == r.kind && id == e.entity_id(r))
            }
            _ => false,
        }
    }
}

/// Takes the drafts out of `parsed` (or, with `show`, notes them to be
/// marked); errors for published mentions of a draft entity.
pub fn apply(parsed: &mut ParsedEdition, show: bool) -> (Drafts, Vec<Diagnostic>) {
    let draft_parts: BTreeSet<String> = (parsed.parts.iter())
        .filter(|p| p.raw.draft)
        .map(|p| p.origin.source.display_path.clone())
        .collect();
    // An entity is a draft if it says so or is defined in a draft part.
    let draft_entities: HashMap<(EntityKind, String), Origin> = (parsed.entities.iter())
        .filter(|x| x.raw.is_draft() || draft_parts.contains(&x.id_origin.source.display_path))
        .map(|x| ((x.kind, x.id.clone()), x.id_origin.clone()))
        .collect();
    if show {
        let drafts = Drafts {
            left_out: 0,
            shown_parts: (parsed.parts.iter())
                .filter(|p| p.raw.draft)
                .map(|p| p.rel.clone())
                .collect(),
            shown_entities: draft_entities.into_keys().collect(),
        };
        return (drafts, Vec::new());
    }
    let published = published_bodies(parsed, &draft_parts, &draft_entities);
    let mut diags = Vec::new();
    let mut mentioned: BTreeSet<(EntityKind, String)> = BTreeSet::new();
    for body in published {
        for link in &body.links {
            let Target::Mention { kind, id } = &link.target else {
                continue;
            };
            let key = (*kind, id.clone());
            if let Some(origin) = draft_entities.get(&key) {
                diags.push(
                    Diagnostic::error(format!(
                        "mention of {} `{id}`, which is a draft ({})",
                        kind.prefix(),
                        origin.source.display_path
                    ))
                    .at(&body.source, link.span.clone(), "a published page")
                    .also(&origin.source, origin.span.clone(), "marked `draft: true`")
                    .with_help("publish it (remove `draft: true`), or leave the mention out of the published text; `--drafts` builds with drafts"),
                );
                mentioned.insert(key);
            }
        }
    }
    let before = parsed.parts.len() + parsed.entities.len();
    parsed.parts.retain(|p| !p.raw.draft);
    parsed.entities.retain(|x| {
        let key = (x.kind, x.id.clone());
        !draft_entities.contains_key(&key) || mentioned.contains(&key)
    });
    let drafts = Drafts {
        left_out: before - parsed.parts.len() - parsed.entities.len(),
        ..Drafts::default()
    };
    (drafts, diags)
}

/// The bodies of what is published: the preface, the parts and pages that
/// are not drafts and the notes of entities that are not.
fn published_bodies<'p>(
    parsed: &'p ParsedEdition,
    draft_parts: &BTreeSet<String>,
    draft_entities: &HashMap<(EntityKind, String), Origin>,
) -> Vec<&'p Body> {
    let mut bodies: Vec<&Body> = parsed.index.iter().map(|i| &i.body).collect();
    bodies.extend(
        (parsed.parts.iter())
            .filter(|p| !draft_parts.contains(&p.origin.source.display_path))
            .map(|p| &p.body),
    );
    bodies.extend(parsed.pages.iter().map(|p| &p.body));
    bodies.extend(
        (parsed.entities.iter())
            .filter(|x| !draft_entities.contains_key(&(x.kind, x.id.clone())))
            .map(|x| &x.body),
    );
    bodies
}
