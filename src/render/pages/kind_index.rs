//! Render: a kind's index page, A–Z by sort key or, for claims, by status.

use crate::render::*;

pub(in crate::render) fn sort_key(e: &Edition, r: EntityRef) -> String {
    match r.kind {
        EntityKind::Person => e.people[r.index as usize].sort_as.to_lowercase(),
        _ => e
            .entity_name(r)
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase(),
    }
}

impl<'a> Renderer<'a> {
    pub(in crate::render) fn kind_index_view(
        &self,
        kind: EntityKind,
        root: &str,
    ) -> KindIndexView<'_> {
        let e = self.edition;
        let entry = |r: EntityRef| IndexEntry {
            id: e.entity_id(r),
            name: e.entity_name(r),
            url: format!("{root}{}", e.entity_url(r)),
            short_html: self.short.at(r, root),
            mention_count: e.entity_mentions(r).len(),
            status: (r.kind == EntityKind::Claim)
                .then(|| e.claims[r.index as usize].status.as_str()),
        };
        let refs = (0..e.count(kind) as u32).map(|index| EntityRef { kind, index });
        let groups = match kind {
            EntityKind::Claim => ClaimStatus::ALL
                .into_iter()
                .map(|s| IndexGroup {
                    key: s.as_str().into(),
                    title: format!("{} {}", capitalize(s.as_str()), "claims"),
                    entries: refs
                        .clone()
                        .filter(|r| e.claims[r.index as usize].status == s)
                        .map(entry)
                        .collect(),
                })
                .filter(|g| !g.entries.is_empty())
                .collect(),
            _ => {
                let mut sorted: Vec<EntityRef> = refs.collect();
                sorted.sort_by_cached_key(|r| sort_key(e, *r));
                let mut groups: BTreeMap<String, Vec<IndexEntry>> = BTreeMap::new();
                for r in sorted {
                    let letter = sort_key(e, r)
                        .chars()
                        .find(|c| c.is_alphanumeric())
                        .map_or('#', |c| c.to_ascii_uppercase());
                    let letter = if letter.is_ascii_alphabetic() {
                        letter.to_string()
                    } else {
                        "#".into()
                    };
                    groups.entry(letter).or_default().push(entry(r));
                }
                groups
                    .into_iter()
                    .map(|(k, entries)| IndexGroup {
                        title: k.clone(),
                        key: k,
                        entries,
                    })
                    .collect()
            }
        };
        KindIndexView {
            site: self.site(
                PageSpec::KindIndex(kind),
                root,
                Some(&site_paths::kind_index(kind)),
            ),
            kind: kind.name(),
            title: kind.plural_title(),
            groups,
            total: e.count(kind),
            statuses: self.statuses(|s| e.claims.iter().filter(|c| c.status == s).count()),
            bibliography: self.bibliography(kind, root),
        }
    }

    /// The formatted sources, in the style's order, for the sources index.
    fn bibliography(&self, kind: EntityKind, root: &str) -> Vec<BibliographyEntry> {
        if kind != EntityKind::Source {
            return Vec::new();
        }
        let c = self.citations();
        (c.order().iter())
            .map(|&index| BibliographyEntry {
                url: format!(
                    "{root}{}",
                    self.edition.entity_url(EntityRef { kind, index })
                ),
                html: c.entry(index).to_string(),
            })
            .collect()
    }
}
