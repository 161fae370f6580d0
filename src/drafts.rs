//! Between parse and resolve: parts and entities marked `draft: true`.
//!
//! Unless drafts are asked for, they are taken out of the parsed edition
//! before it is resolved, so no page, search entry or export knows them; an
//! entity defined inline in a draft part goes with it. A published text that
//! mentions a draft entity would link to a page that is not there: that is an
//! error naming both, and the entity stays in so that nothing else fails on
//! it. When drafts are shown (`serve`, `--drafts`), their pages are marked.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use serde_saphyr::Spanned;

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::markdown::{Body, Target};
use crate::model::{Edition, EntityKind, Origin};
use crate::parse::{ParsedEdition, ParsedEntity};
use crate::raw::RawEntity;
use crate::render::PageSpec;

/// What became of the drafts of one build.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Drafts {
    /// How many were left out.
    pub left_out: usize,
    /// Those shown, whose pages carry a banner: parts and sections by their
    /// path relative to `content/`, entities by kind and ID.
    shown_parts: BTreeSet<String>,
    shown_entities: BTreeSet<(EntityKind, String)>,
}

/// Marks every part and section inside a draft section as a draft itself.
fn spread_section_drafts(parsed: &mut ParsedEdition) {
    let folders: Vec<String> = (parsed.sections.iter())
        .filter(|s| s.raw.draft)
        .filter_map(|s| s.rel.strip_suffix(crate::load::SECTION_FILE))
        .map(str::to_string)
        .collect();
    let inside = |rel: &str| folders.iter().any(|f| rel.starts_with(f.as_str()));
    for p in &mut parsed.parts {
        p.raw.draft |= inside(&p.rel);
    }
    for s in &mut parsed.sections {
        s.raw.draft |= inside(&s.rel);
    }
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
            PageSpec::Section(i) => self.shown_parts.contains(&e.sections[i].rel),
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
    spread_section_drafts(parsed);
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
        return (shown(parsed, draft_entities), Vec::new());
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
                diags.push(draft_mentioned(body, link.span.clone(), *kind, id, origin));
                mentioned.insert(key);
            }
        }
    }
    for (x, at, kind, id) in references_to_drafts(parsed, &draft_parts, &draft_entities) {
        let origin = &draft_entities[&(kind, id.clone())];
        diags.push(draft_referenced(x, at, kind, &id, origin));
        mentioned.insert((kind, id));
    }
    (leave_out(parsed, &draft_entities, &mentioned), diags)
}

/// What `--drafts` builds: everything, with the drafts noted for the
/// pages' banner.
fn shown(parsed: &ParsedEdition, draft_entities: HashMap<(EntityKind, String), Origin>) -> Drafts {
    Drafts {
        left_out: 0,
        shown_parts: (parsed.parts.iter())
            .filter(|p| p.raw.draft)
            .map(|p| p.rel.clone())
            .chain(
                (parsed.sections.iter())
                    .filter(|s| s.raw.draft)
                    .map(|s| s.rel.clone()),
            )
            .collect(),
        shown_entities: draft_entities.into_keys().collect(),
    }
}

/// A published body's mention, at `span`, of the draft `kind:id`.
fn draft_mentioned(
    body: &Body,
    span: Range<usize>,
    kind: EntityKind,
    id: &str,
    origin: &Origin,
) -> Diagnostic {
    Diagnostic::error(format!(
        "mention of {} `{id}`, which is a draft ({})",
        kind.prefix(),
        origin.source.display_path
    ))
    .at(&body.source, span, "a published page")
    .with_code(Code::DraftMentioned)
    .also(&origin.source, origin.span.clone(), "marked `draft: true`")
    .with_help("publish it (remove `draft: true`), or leave the mention out of the published text; `--drafts` builds with drafts")
}

/// A published definition's reference, at `at`, to the draft `kind:id`.
fn draft_referenced(
    x: &ParsedEntity,
    at: Range<usize>,
    kind: EntityKind,
    id: &str,
    origin: &Origin,
) -> Diagnostic {
    Diagnostic::error(format!(
        "{} `{}` names {} `{id}`, which is a draft ({})",
        x.kind.name(),
        x.id,
        kind.name(),
        origin.source.display_path
    ))
    .at(&x.yaml.source, at, "in a published page")
    .with_code(Code::DraftReferenced)
    .also(&origin.source, origin.span.clone(), "marked `draft: true`")
    .with_help(
        "publish it (remove `draft: true`), or leave the reference out; `--drafts` builds with drafts",
    )
}

/// Takes the drafts out of `parsed`, but for the entities a published page
/// names: those are reported already, and stay in so that nothing else
/// fails on them.
fn leave_out(
    parsed: &mut ParsedEdition,
    draft_entities: &HashMap<(EntityKind, String), Origin>,
    mentioned: &BTreeSet<(EntityKind, String)>,
) -> Drafts {
    let before = parsed.parts.len() + parsed.sections.len() + parsed.entities.len();
    parsed.parts.retain(|p| !p.raw.draft);
    parsed.sections.retain(|s| !s.raw.draft);
    parsed.entities.retain(|x| {
        let key = (x.kind, x.id.clone());
        !draft_entities.contains_key(&key) || mentioned.contains(&key)
    });
    Drafts {
        left_out: before - parsed.parts.len() - parsed.sections.len() - parsed.entities.len(),
        ..Drafts::default()
    }
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

/// A reference in published front matter to a draft entity: the entity
/// that makes it, where it is written, and the kind and ID it names.
type DraftReference<'p> = (&'p ParsedEntity, Range<usize>, EntityKind, String);

/// Every published definition's references (a claim's `sources`,
/// `attributed_to` and `about`, a source's `person:` authors and `org:`
/// outlet or publisher, an affiliation, `located_in`, `part_of`) that name a
/// draft entity.
fn references_to_drafts<'p>(
    parsed: &'p ParsedEdition,
    draft_parts: &BTreeSet<String>,
    draft_entities: &HashMap<(EntityKind, String), Origin>,
) -> Vec<DraftReference<'p>> {
    let mut out = Vec::new();
    for x in &parsed.entities {
        let published = !draft_entities.contains_key(&(x.kind, x.id.clone()))
            && !draft_parts.contains(&x.id_origin.source.display_path);
        if !published {
            continue;
        }
        for (bare, at) in named(&x.raw) {
            let (kind, id) = match (at.value.split_once(':'), bare) {
                (Some((prefix, id)), _) => match EntityKind::from_prefix(prefix) {
                    Some(kind) => (kind, id),
                    None => continue,
                },
                (None, Some(kind)) => (kind, at.value.as_str()),
                (None, None) => continue,
            };
            if draft_entities.contains_key(&(kind, id.to_string())) {
                let loc = at.referenced;
                let start = crate::frontmatter::offset_in_file(
                    &x.yaml.source,
                    &x.yaml.split,
                    loc.line() as usize,
                    loc.column() as usize,
                );
                let end = (x.yaml.source.text[start..].find('\n'))
                    .map_or(x.yaml.source.text.len(), |i| start + i);
                out.push((x, start..end, kind, id.to_string()));
            }
        }
    }
    out
}

/// The references of a definition, each with the kind a bare ID names (a
/// claim's `sources` and `attributed_to`), or `None` where only `kind:ID`
/// names an entity.
fn named(raw: &RawEntity) -> Vec<(Option<EntityKind>, &Spanned<String>)> {
    fn typed(v: &[Spanned<String>]) -> Vec<(Option<EntityKind>, &Spanned<String>)> {
        v.iter().map(|s| (None, s)).collect()
    }
    match raw {
        RawEntity::Claim(c) => {
            let mut all: Vec<_> = (c.sources.iter())
                .map(|s| (Some(EntityKind::Source), s))
                .chain(
                    c.attributed_to
                        .iter()
                        .map(|s| (Some(EntityKind::Person), s)),
                )
                .collect();
            all.extend(typed(&c.about));
            all
        }
        RawEntity::Source(s) => {
            let mut all = typed(&s.authors);
            all.extend(s.outlet.iter().chain(&s.publisher).map(|v| (None, v)));
            all
        }
        RawEntity::Person(p) => typed(&p.affiliations),
        RawEntity::Place(p) => p.located_in.iter().map(|v| (None, v)).collect(),
        RawEntity::Organisation(o) => o.part_of.iter().map(|v| (None, v)).collect(),
        RawEntity::Term(_) => Vec::new(),
    }
}
