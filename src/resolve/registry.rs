//! Resolve: the registry of entity IDs, one per kind, and the index of
//! content files that links between files are checked against.

use super::*;

/// ID → index, per kind.
#[derive(Default)]
pub(super) struct Registry {
    pub(super) ids: HashMap<(EntityKind, String), u32>,
    pub(super) by_kind: BTreeMap<EntityKind, Vec<String>>,
}

impl Registry {
    pub(super) fn get(&self, kind: EntityKind, id: &str) -> Option<u32> {
        self.ids.get(&(kind, id.to_string())).copied()
    }

    pub(super) fn suggest(&self, kind: EntityKind, id: &str) -> Option<String> {
        let ids = self.by_kind.get(&kind)?;
        did_you_mean(id, ids.iter().map(String::as_str)).map(str::to_string)
    }
}

/// Content files by path, with their address and body (for its anchors).
pub(super) struct FileIndex {
    pub(super) by_rel: HashMap<String, (String, Body)>,
}

impl FileIndex {
    pub(super) fn new(e: &Edition) -> Self {
        let mut by_rel = HashMap::new();
        for (i, p) in e.parts.iter().enumerate() {
            by_rel.insert(p.rel.clone(), (e.part_url(i), p.body.clone()));
        }
        for (i, p) in e.pages.iter().enumerate() {
            by_rel.insert(p.rel.clone(), (e.page_url(i), p.body.clone()));
        }
        // A section's `_index.md` names its page.
        for (i, s) in e.sections.iter().enumerate() {
            by_rel.insert(s.rel.clone(), (e.section_url(i), s.body.clone()));
        }
        FileIndex { by_rel }
    }
}

impl Resolver {
    /// Assigns each entity its index; reports bad and duplicate IDs.
    pub(super) fn registry(&mut self, entities: &[ParsedEntity]) -> Registry {
        let mut reg = Registry::default();
        let mut first: HashMap<(EntityKind, String), &Origin> = HashMap::new();
        // Valid IDs are lowercase ASCII, so an ID that collides with another
        // by case or Unicode form is always the invalid one of the two.
        let valid: HashMap<(EntityKind, String), &ParsedEntity> = entities
            .iter()
            .filter(|e| is_valid_id(&e.id))
            .map(|e| ((e.kind, e.id.clone()), e))
            .collect();
        for e in entities {
            let key = (e.kind, e.id.clone());
            if let Some(prev) = first.get(&key) {
                self.diags.push(
                    Diagnostic::error(format!("{} `{}` is defined twice", e.kind.name(), e.id))
                        .at(
                            &e.id_origin.source,
                            e.id_origin.span.clone(),
                            "second definition",
                        )
                        .also(&prev.source, prev.span.clone(), "first definition")
                        .with_help(
                            "an ID is defined exactly once per kind: remove or rename one of them",
                        )
                        .with_code(Code::DuplicateId),
                );
                continue;
            }
            if !is_valid_id(&e.id) {
                let folded: String = e.id.nfkc().flat_map(char::to_lowercase).collect();
                let d = match valid.get(&(e.kind, folded.clone())) {
                    Some(other) => Diagnostic::error(format!(
                        "{} ID `{}` collides with `{folded}`: they differ only in case or Unicode form",
                        e.kind.name(),
                        e.id
                    ))
                    .at(&e.id_origin.source, e.id_origin.span.clone(), "colliding ID")
                    .also(&other.id_origin.source, other.id_origin.span.clone(), "the other ID")
                    .with_code(Code::IdCollision),
                    None => Diagnostic::error(format!("`{}` is not a valid {} ID", e.id, e.kind.name()))
                        .at(&e.id_origin.source, e.id_origin.span.clone(), "bad ID")
                        .with_code(Code::InvalidId),
                };
                self.diags.push(d.with_help(format!(
                    "IDs are lowercase letters, digits and hyphens (`[a-z0-9][a-z0-9-]*`), such as `{}`",
                    suggested_id(&e.id)
                )));
                continue;
            }
            first.insert(key.clone(), &e.id_origin);
            let list = reg.by_kind.entry(e.kind).or_default();
            reg.ids.insert(key, list.len() as u32);
            list.push(e.id.clone());
        }
        reg
    }
}
