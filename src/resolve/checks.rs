//! Resolve: the checks that look at the whole edition: cycles in
//! `located_in` and `part_of`, unmentioned entities, shared aliases.

use super::*;

impl Resolver {
    /// Reports each cycle of a relation to a parent (`located_in`,
    /// `part_of`) once, naming every member in order.
    pub(super) fn cycles<T: Entity>(
        &mut self,
        e: &Edition,
        field: &str,
        parents: &[Option<Id<T>>],
    ) {
        let kind = T::KIND;
        // 0: not seen, 1: on the path being followed, 2: done.
        let mut state = vec![0u8; parents.len()];
        for start in 0..parents.len() {
            let mut path: Vec<usize> = Vec::new();
            let mut at = Some(start);
            while let Some(i) = at.filter(|&i| state[i] != 2) {
                if state[i] == 1 {
                    let from = path.iter().position(|&p| p == i).expect("on the path");
                    self.report_cycle(e, kind, field, &path[from..]);
                    break;
                }
                state[i] = 1;
                path.push(i);
                at = parents[i].map(Id::index);
            }
            for i in path {
                state[i] = 2;
            }
        }
    }

    pub(super) fn report_cycle(
        &mut self,
        e: &Edition,
        kind: EntityKind,
        field: &str,
        members: &[usize],
    ) {
        let name = |i: usize| {
            let r = EntityRef {
                kind,
                index: i as u32,
            };
            format!("{}:{}", kind.prefix(), e.entity_id(r))
        };
        let mut chain: Vec<String> = members.iter().map(|&i| name(i)).collect();
        chain.push(name(members[0]));
        let origin_of = |i: usize| {
            e.entity_origin(EntityRef {
                kind,
                index: i as u32,
            })
        };
        let first = origin_of(members[0]);
        let mut d = Diagnostic::error(format!("`{field}` makes a cycle: {}", chain.join(" → ")))
            .at(&first.source, first.span.clone(), "in the cycle")
            .with_code(Code::ParentCycle);
        for &i in &members[1..] {
            let o = origin_of(i);
            d = d.also(&o.source, o.span.clone(), "in the cycle");
        }
        self.diags.push(d.with_help(format!(
            "no {} can be within itself: remove or change `{field}` in one of them",
            kind.name()
        )));
    }

    /// Unmentioned entities and shared aliases: warnings, errors under `--strict`.
    pub(super) fn warnings(&mut self, e: &Edition) {
        self.warn_unmentioned(e);
        self.warn_shared_aliases(e);
    }

    /// An entity the text never mentions and no other entity names.
    fn warn_unmentioned(&mut self, e: &Edition) {
        for entity in e.entities() {
            if !e.entity_mentions(entity).is_empty() {
                continue;
            }
            let i = entity.index as usize;
            let origin = e.entity_origin(entity);
            // Named by another entity: a source a claim cites, the place a
            // place lies in, the body an organisation or a person belongs to.
            let named = match entity.kind {
                EntityKind::Source => !e.sources[i].cited_by.is_empty(),
                EntityKind::Place => !e.places[i].contains.is_empty(),
                EntityKind::Organisation => {
                    let o = &e.organisations[i];
                    !(o.units.is_empty() && o.members.is_empty() && o.sources_published.is_empty())
                }
                EntityKind::Person | EntityKind::Claim | EntityKind::Term => false,
            };
            if named {
                continue;
            }
            let what = match entity.kind {
                EntityKind::Source => "neither mentioned in the text nor cited by any claim",
                EntityKind::Place | EntityKind::Organisation => {
                    "neither mentioned in the text nor named by another entity"
                }
                _ => "never mentioned in the text",
            };
            self.diags.push(
                Diagnostic::warning(format!(
                    "{} `{}` is {what}",
                    entity.kind.name(),
                    e.entity_id(entity)
                ))
                .at(&origin.source, origin.span.clone(), "defined here")
                .with_code(Code::Unmentioned)
                .with_help(format!(
                    "link it from a part as `[words]({}:{})`, or remove it",
                    entity.kind.prefix(),
                    e.entity_id(entity)
                )),
            );
        }
    }

    /// An alias two entities share: search cannot tell them apart.
    fn warn_shared_aliases(&mut self, e: &Edition) {
        let mut aliases: BTreeMap<String, Vec<EntityRef>> = BTreeMap::new();
        for (i, p) in e.people.iter().enumerate() {
            for a in &p.aliases {
                aliases
                    .entry(a.to_lowercase())
                    .or_default()
                    .push(EntityRef {
                        kind: EntityKind::Person,
                        index: i as u32,
                    });
            }
        }
        for (i, t) in e.terms.iter().enumerate() {
            for a in &t.aliases {
                aliases
                    .entry(a.to_lowercase())
                    .or_default()
                    .push(EntityRef {
                        kind: EntityKind::Term,
                        index: i as u32,
                    });
            }
        }
        let more = (e.places.iter().map(|p| &p.aliases))
            .enumerate()
            .map(|(i, a)| (EntityKind::Place, i, a))
            .chain(
                (e.organisations.iter().map(|o| &o.aliases))
                    .enumerate()
                    .map(|(i, a)| (EntityKind::Organisation, i, a)),
            );
        for (kind, i, list) in more {
            for a in list {
                let r = EntityRef {
                    kind,
                    index: i as u32,
                };
                aliases.entry(a.to_lowercase()).or_default().push(r);
            }
        }
        for (alias, owners) in aliases {
            if owners.len() < 2 {
                continue;
            }
            let origin_of = |r: EntityRef| e.entity_origin(r).clone();
            let (a, b) = (origin_of(owners[0]), origin_of(owners[1]));
            self.diags.push(
                Diagnostic::warning(format!(
                    "alias `{alias}` is shared by {}:{} and {}:{}",
                    owners[0].kind.prefix(),
                    e.entity_id(owners[0]),
                    owners[1].kind.prefix(),
                    e.entity_id(owners[1])
                ))
                .at(&b.source, b.span.clone(), "here")
                .also(&a.source, a.span.clone(), "and here")
                .with_code(Code::SharedAlias)
                .with_help("search by this alias cannot tell them apart: make it more specific"),
            );
        }
    }
}
