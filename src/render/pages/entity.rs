//! Render: an entity's page: its fields, relations, claims, links and
//! the passages that mention it.

use crate::render::*;

/// An entity's own links, then its Wikidata page.
pub(in crate::render) fn external_links<'a>(
    links: &'a [Link],
    wikidata: Option<&str>,
) -> Vec<LinkView<'a>> {
    let mut out: Vec<LinkView> = (links.iter())
        .map(|l| LinkView {
            title: &l.label,
            url: l.url.clone(),
        })
        .collect();
    out.extend(wikidata.map(|q| LinkView {
        title: "Wikidata",
        url: format!("https://www.wikidata.org/wiki/{q}"),
    }));
    out
}

impl<'a> Renderer<'a> {
    pub(in crate::render) fn entity_view(&self, r: EntityRef, root: &str) -> EntityView<'a> {
        let e = self.edition;
        let i = r.index as usize;
        let (note_html, _) = self.body_html(e.entity_note(r), e.entity_note_links(r), None, root);
        let kind_url = format!("{root}{}", site_paths::kind_index(r.kind));
        let mut view = EntityView {
            site: self.site(PageSpec::Entity(r), root, None),
            kind: r.kind.name(),
            kind_title: r.kind.plural_title(),
            kind_url: kind_url.clone(),
            id: e.entity_id(r),
            name: e.entity_name(r),
            short_html: self.short.at(r, root),
            note_html,
            breadcrumbs: vec![
                Crumb {
                    title: &e.meta.title,
                    url: format!("{root}{}", site_paths::INDEX),
                },
                Crumb {
                    title: r.kind.plural_title(),
                    url: kind_url,
                },
            ],
            mentioned_in: self.mention_groups(e.entity_mentions(r), root),
            mention_count: e.entity_mentions(r).len(),
            fields: Vec::new(),
            claims_attributed: Vec::new(),
            claims_about: Vec::new(),
            claims_citing: Vec::new(),
            sources_written: Vec::new(),
            claim_sources: Vec::new(),
            claim_people: Vec::new(),
            claim_about: Vec::new(),
            status: None,
            links: Vec::new(),
            image: (e.entity_image(r)).and_then(|im| images::view(im, self.files, root)),
            related: Vec::new(),
            citation_html: String::new(),
        };
        let refs = Refs { e, root };
        match r.kind {
            EntityKind::Person => self.person_details(&mut view, i, &refs),
            EntityKind::Place => self.place_details(&mut view, i, &refs),
            EntityKind::Organisation => self.organisation_details(&mut view, i, &refs),
            EntityKind::Source => self.source_details(&mut view, i, &refs),
            EntityKind::Claim => self.claim_details(&mut view, i, &refs),
            EntityKind::Term => self.term_details(&mut view, i, &refs),
        }
        view.related.retain(|g| !g.items.is_empty());
        view
    }

    /// What only a person's page shows.
    fn person_details(&self, view: &mut EntityView<'a>, i: usize, refs: &Refs<'a, '_>) {
        let e = self.edition;
        let p = &e.people[i];
        view.fields
            .extend(p.born.as_deref().map(|v| date(e, "Born", v)));
        view.fields
            .extend(p.died.as_deref().map(|v| date(e, "Died", v)));
        if !p.roles.is_empty() {
            view.fields.push(field("Roles", &p.roles.join("; ")));
        }
        if !p.aliases.is_empty() {
            view.fields
                .push(field("Also called", &p.aliases.join(", ")));
        }
        view.claims_attributed = p.claims_attributed.iter().map(|&c| refs.claim(c)).collect();
        view.claims_about = p.claims_about.iter().map(|&c| refs.claim(c)).collect();
        view.sources_written = p
            .sources_written
            .iter()
            .map(|&s| refs.entity(s.into()))
            .collect();
        view.links = p
            .links
            .iter()
            .map(|l| LinkView {
                title: &l.label,
                url: l.url.clone(),
            })
            .collect();
        if let Some(q) = &p.wikidata {
            view.links.push(LinkView {
                title: "Wikidata",
                url: format!("https://www.wikidata.org/wiki/{q}"),
            });
        }
        view.related
            .push(refs.related("Affiliations", &p.affiliations));
    }

    /// What only a place's page shows.
    fn place_details(&self, view: &mut EntityView<'a>, i: usize, refs: &Refs<'a, '_>) {
        let e = self.edition;
        let p = &e.places[i];
        if !p.aliases.is_empty() {
            view.fields
                .push(field("Also called", &p.aliases.join(", ")));
        }
        if let Some(c) = p.coordinates {
            view.fields.push(field("Coordinates", &c.to_string()));
        }
        let within = p.located_in.as_slice();
        view.related.push(refs.related("Located in", within));
        view.related
            .push(refs.related("Places within", &p.contains));
        view.claims_about = p.claims_about.iter().map(|&c| refs.claim(c)).collect();
        view.links = external_links(&p.links, p.wikidata.as_deref());
        if let Some(g) = p.geonames {
            view.links.push(LinkView {
                title: "GeoNames",
                url: format!("https://www.geonames.org/{g}"),
            });
        }
    }

    /// What only a organisation's page shows.
    fn organisation_details(&self, view: &mut EntityView<'a>, i: usize, refs: &Refs<'a, '_>) {
        let e = self.edition;
        let o = &e.organisations[i];
        view.fields
            .extend(o.kind.map(|k| field("Kind", k.as_str())));
        if !o.aliases.is_empty() {
            view.fields
                .push(field("Also called", &o.aliases.join(", ")));
        }
        view.fields
            .extend(o.founded.as_ref().map(|d| date(e, "Founded", &d.0)));
        view.fields
            .extend(o.dissolved.as_ref().map(|d| date(e, "Dissolved", &d.0)));
        view.related
            .push(refs.related("Part of", o.part_of.as_slice()));
        view.related.push(refs.related("Units", &o.units));
        view.related.push(refs.related("Members", &o.members));
        view.related
            .push(refs.related("Sources it published", &o.sources_published));
        view.claims_about = o.claims_about.iter().map(|&c| refs.claim(c)).collect();
        view.links = external_links(&o.links, o.wikidata.as_deref());
    }

    /// What only a source's page shows.
    fn source_details(&self, view: &mut EntityView<'a>, i: usize, refs: &Refs<'a, '_>) {
        let e = self.edition;
        let s = &e.sources[i];
        view.fields
            .extend(s.kind.map(|k| field("Kind", k.as_str())));
        view.fields
            .extend(s.outlet.as_deref().map(|v| field("Outlet", v)));
        view.fields
            .extend(s.date.as_ref().map(|d| date(e, "Date", &d.0)));
        view.fields
            .extend(s.note_field.as_deref().map(|v| field("Note", v)));
        if let Some(u) = &s.url {
            view.links.push(LinkView {
                title: "Read the source",
                url: u.clone(),
            });
        }
        view.claims_citing = s.cited_by.iter().map(|&c| refs.claim(c)).collect();
        view.citation_html = self.citations().entry(i as u32).to_string();
    }

    /// What only a claim's page shows.
    fn claim_details(&self, view: &mut EntityView<'a>, i: usize, refs: &Refs<'a, '_>) {
        let e = self.edition;
        let root = refs.root;
        let c = &e.claims[i];
        view.status = Some(StatusView {
            name: c.status.as_str(),
            symbol: c.status.symbol(),
            explanation: c.status.explanation(),
            count: 1,
        });
        view.fields
            .extend(c.date.as_ref().map(|d| date(e, "Date", &d.0)));
        view.fields
            .extend(c.note_field.as_deref().map(|v| field("Note", v)));
        view.claim_sources = c
            .sources
            .iter()
            .map(|&s| {
                let src = s.into();
                SourceRef {
                    title: e.entity_name(src),
                    url: format!("{root}{}", e.entity_url(src)),
                    citation_html: self.short.at(src, root),
                }
            })
            .collect();
        view.claim_people = c
            .attributed_to
            .iter()
            .map(|&p| refs.entity(p.into()))
            .collect();
        view.claim_about = c.about.iter().map(|&a| refs.entity(a)).collect();
        view.claims_about = c.claims_about.iter().map(|&c| refs.claim(c)).collect();
    }

    /// What only a term's page shows.
    fn term_details(&self, view: &mut EntityView<'a>, i: usize, refs: &Refs<'a, '_>) {
        let e = self.edition;
        let t = &e.terms[i];
        view.fields
            .extend(t.category.as_deref().map(|v| field("Category", v)));
        if !t.aliases.is_empty() {
            view.fields
                .push(field("Also called", &t.aliases.join(", ")));
        }
        view.claims_about = t.claims_about.iter().map(|&c| refs.claim(c)).collect();
    }

    /// "Mentioned in": an entity's mentions grouped by part, with context.
    pub(in crate::render) fn mention_groups(
        &self,
        mentions: &[MentionId],
        root: &str,
    ) -> Vec<MentionGroup<'a>> {
        let e = self.edition;
        let mut groups: Vec<MentionGroup> = Vec::new();
        for &mi in mentions {
            let m = &e[mi];
            let p = m.part.index();
            if groups.last().is_none_or(|g| g.part_number != p + 1) {
                groups.push(MentionGroup {
                    part_title: &e.parts[p].title,
                    part_number: p + 1,
                    part_url: format!("{root}{}", e.part_url(p)),
                    items: Vec::new(),
                });
            }
            let group = groups.last_mut().expect("pushed above");
            group.items.push(MentionItem {
                url: format!("{root}{}", e.mention_url(m)),
                paragraph: m.paragraph.map(|p| p + 1),
                context_html: context_html(&m.context, &m.text),
            });
        }
        groups
    }
}

/// A labelled value with no link.
fn field<'a>(label: &'static str, value: &str) -> Field<'a> {
    Field {
        label,
        value: value.to_string(),
        url: None,
        datetime: None,
    }
}

/// A date, in words in the edition's language, that keeps its ISO form for
/// `<time datetime>`.
fn date<'a>(e: &Edition, label: &'static str, iso: &'a str) -> Field<'a> {
    Field {
        label,
        value: crate::dates::in_words(iso, &e.meta.language),
        url: None,
        datetime: Some(iso),
    }
}

/// Links from an entity's page to the entities and claims it names.
struct Refs<'a, 'r> {
    e: &'a Edition,
    root: &'r str,
}

impl<'a> Refs<'a, '_> {
    fn claim(&self, ci: ClaimId) -> ClaimRef<'a> {
        let c = &self.e[ci];
        ClaimRef {
            text: &c.text,
            status: c.status.as_str(),
            url: format!(
                "{}{}",
                self.root,
                site_paths::entity(EntityKind::Claim, &c.id)
            ),
        }
    }

    fn entity(&self, x: EntityRef) -> LinkView<'a> {
        LinkView {
            title: self.e.entity_name(x),
            url: format!("{}{}", self.root, self.e.entity_url(x)),
        }
    }

    /// A titled group of links to entities of one kind.
    fn related<T: Entity>(&self, title: &'static str, list: &[Id<T>]) -> RelatedGroup<'a> {
        RelatedGroup {
            title,
            items: (list.iter()).map(|&id| self.entity(id.into())).collect(),
        }
    }
}
