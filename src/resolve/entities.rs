//! Resolve: each entity from its raw front matter, finished: its fields
//! validated (dates, URLs, Wikidata IDs, coordinates) and its references to
//! other entities looked up.

use super::*;

/// What every entity's definition has besides its fields: where it is, and
/// its long note.
pub(super) struct Defined {
    id: String,
    origin: Origin,
    yaml: YamlPlace,
    body: Body,
}

impl Resolver {
    pub(super) fn build_entities(
        &mut self,
        e: &mut Edition,
        entities: Vec<ParsedEntity>,
        reg: &Registry,
    ) {
        let mut seen: HashSet<(EntityKind, String)> = HashSet::new();
        for p in entities {
            if !seen.insert((p.kind, p.id.clone())) || reg.get(p.kind, &p.id).is_none() {
                continue; // a duplicate, already reported
            }
            let d = Defined {
                origin: p.id_origin.clone(),
                yaml: p.yaml.clone(),
                id: p.id,
                body: p.body,
            };
            match p.raw {
                RawEntity::Person(raw) => {
                    let x = self.person(d, *raw, reg);
                    e.people.push(x);
                }
                RawEntity::Source(raw) => {
                    let x = self.source(d, *raw, reg);
                    e.sources.push(x);
                }
                RawEntity::Claim(raw) => {
                    let x = self.claim(d, raw, reg);
                    e.claims.push(x);
                }
                RawEntity::Term(raw) => {
                    let x = self.term(d, raw, reg);
                    e.terms.push(x);
                }
                RawEntity::Place(raw) => {
                    let x = self.place(d, *raw, reg);
                    e.places.push(x);
                }
                RawEntity::Organisation(raw) => {
                    let x = self.organisation(d, *raw, reg);
                    e.organisations.push(x);
                }
            }
        }
    }

    /// A person, with dates, links and affiliations checked.
    fn person(&mut self, d: Defined, raw: crate::raw::RawPerson, reg: &Registry) -> Person {
        let Defined {
            id,
            origin,
            yaml,
            body,
        } = d;
        let born = raw
            .born
            .map(|d| self.date(&yaml, &d, "born"))
            .and_then(|d| d.map(|d| d.0));
        let died = raw
            .died
            .map(|d| self.date(&yaml, &d, "died"))
            .and_then(|d| d.map(|d| d.0));
        let wikidata = raw.wikidata.and_then(|w| self.wikidata(&yaml, w));
        let links = self.links(&yaml, raw.links);
        let affiliations = (raw.affiliations.iter())
            .filter_map(|a| {
                self.reference_to(&yaml, a, EntityKind::Organisation, "affiliations", reg)
            })
            .map(Id::new)
            .collect();
        Person {
            sort_as: raw.sort_as.unwrap_or_else(|| default_sort_key(&raw.name)),
            id,
            name: raw.name,
            description: smart(&raw.description),
            born,
            died,
            roles: raw.roles,
            aliases: raw.aliases,
            links,
            wikidata,
            image: front_image(&yaml, raw.image, raw.image_alt, raw.image_credit),
            note: body,
            origin,
            mentions: Vec::new(),
            claims_attributed: Vec::new(),
            claims_about: Vec::new(),
            sources_written: Vec::new(),
            affiliations,
        }
    }

    /// A source, with its authors, outlet and publisher looked up.
    fn source(&mut self, d: Defined, raw: crate::raw::RawSource, reg: &Registry) -> Source {
        let Defined {
            id,
            origin,
            yaml,
            body,
        } = d;
        let authors = self.names(&yaml, "authors", &raw.authors, reg);
        let details = self.source_details(&yaml, &raw, reg);
        let date = raw.date.and_then(|d| self.date(&yaml, &d, "date"));
        let url = (raw.url.as_ref())
            .and_then(|u| self.url(&yaml, u))
            .and_then(|_| self.checked(&yaml, raw.url.as_ref()?, source_fields::absolute_url));
        let (outlet, outlet_org) = self.name_or_org(&yaml, raw.outlet, "outlet", reg);
        let (publisher, publisher_org) = self.name_or_org(&yaml, raw.publisher, "publisher", reg);
        Source {
            id,
            title: smart(&raw.title),
            authors,
            outlet,
            outlet_org,
            publisher,
            publisher_org,
            date,
            kind: raw.kind,
            url,
            note_field: raw.note,
            details,
            note: body,
            origin,
            mentions: Vec::new(),
            cited_by: Vec::new(),
        }
    }

    /// A claim, with its sources, people and subjects looked up, and its
    /// status checked against them.
    fn claim(&mut self, d: Defined, raw: crate::raw::RawClaim, reg: &Registry) -> Claim {
        let Defined {
            id,
            origin,
            yaml,
            body,
        } = d;
        let sources: Vec<SourceId> = raw
            .sources
            .iter()
            .filter_map(|s| self.reference(&yaml, s, EntityKind::Source, &s.value, reg))
            .map(Id::new)
            .collect();
        let attributed_to: Vec<PersonId> = raw
            .attributed_to
            .iter()
            .filter_map(|s| self.reference(&yaml, s, EntityKind::Person, &s.value, reg))
            .map(Id::new)
            .collect();
        let self_ref = EntityRef {
            kind: EntityKind::Claim,
            index: reg.get(EntityKind::Claim, &id).unwrap_or(u32::MAX),
        };
        let mut about = Vec::new();
        for a in &raw.about {
            let Some(r) = self.typed_reference(&yaml, a, reg) else {
                continue;
            };
            if r == self_ref {
                let at = spanned_origin(&yaml.source, &yaml.split, a);
                self.error_at(
                    Code::ClaimAboutItself,
                    &at,
                    format!("claim `{}` names itself in `about`", id),
                )
                .help = Some(
                    "`about` lists the people, terms, sources or other claims the claim is about"
                        .into(),
                );
                continue;
            }
            about.push(r);
        }
        let status_at =
            frontmatter::key_line_after(&yaml.source, &yaml.split, origin.span.start, "status")
                .map_or_else(
                    || origin.clone(),
                    |span| Origin {
                        source: Arc::clone(&yaml.source),
                        span,
                    },
                );
        if raw.status == ClaimStatus::Sourced && raw.sources.is_empty() {
            self.error_at(
                Code::ClaimWithoutSources,
                &status_at,
                format!("claim `{}` is `sourced` but lists no `sources`", id),
            )
            .help = Some(
                "add `sources: [source-id]`, or choose another status (unverified, assessment, …)"
                    .into(),
            );
        }
        if raw.status == ClaimStatus::Attributed && raw.attributed_to.is_empty() {
            self.error_at(
                Code::ClaimWithoutPeople,
                &status_at,
                format!(
                    "claim `{}` is `attributed` but lists no `attributed_to`",
                    id
                ),
            )
            .help = Some("add `attributed_to: [person-id]`".into());
        }
        let date = raw.date.and_then(|d| self.date(&yaml, &d, "date"));
        Claim {
            id,
            text: smart(&raw.text),
            status: raw.status,
            sources,
            attributed_to,
            about,
            date,
            note_field: raw.note,
            note: body,
            origin,
            mentions: Vec::new(),
            claims_about: Vec::new(),
        }
    }

    /// A term: nothing in it refers elsewhere.
    fn term(&mut self, d: Defined, raw: crate::raw::RawTerm, _reg: &Registry) -> Term {
        let Defined {
            id,
            origin,
            yaml: _,
            body,
        } = d;
        Term {
            id,
            term: raw.term,
            definition: smart(&raw.definition),
            aliases: raw.aliases,
            category: raw.category,
            note: body,
            origin,
            mentions: Vec::new(),
            claims_about: Vec::new(),
        }
    }

    /// A place, with its coordinates range-checked and `located_in` looked up.
    fn place(&mut self, d: Defined, raw: crate::raw::RawPlace, reg: &Registry) -> Place {
        let Defined {
            id,
            origin,
            yaml,
            body,
        } = d;
        let coordinates = raw.coordinates.and_then(|c| self.coordinates(&yaml, &c));
        let located_in = (raw.located_in.as_ref())
            .and_then(|l| self.reference_to(&yaml, l, EntityKind::Place, "located_in", reg))
            .map(Id::new);
        Place {
            id,
            name: raw.name,
            description: smart(&raw.description),
            aliases: raw.aliases,
            coordinates,
            located_in,
            wikidata: raw.wikidata.and_then(|w| self.wikidata(&yaml, w)),
            geonames: raw.geonames,
            links: self.links(&yaml, raw.links),
            image: front_image(&yaml, raw.image, raw.image_alt, raw.image_credit),
            note: body,
            origin,
            mentions: Vec::new(),
            claims_about: Vec::new(),
            contains: Vec::new(),
        }
    }

    /// An organisation, with its dates checked and `part_of` looked up.
    fn organisation(
        &mut self,
        d: Defined,
        raw: crate::raw::RawOrganisation,
        reg: &Registry,
    ) -> Organisation {
        let Defined {
            id,
            origin,
            yaml,
            body,
        } = d;
        let part_of = (raw.part_of.as_ref())
            .and_then(|o| self.reference_to(&yaml, o, EntityKind::Organisation, "part_of", reg))
            .map(Id::new);
        Organisation {
            id,
            name: raw.name,
            description: smart(&raw.description),
            aliases: raw.aliases,
            kind: raw.kind,
            founded: raw.founded.and_then(|d| self.date(&yaml, &d, "founded")),
            dissolved: raw
                .dissolved
                .and_then(|d| self.date(&yaml, &d, "dissolved")),
            part_of,
            wikidata: raw.wikidata.and_then(|w| self.wikidata(&yaml, w)),
            links: self.links(&yaml, raw.links),
            image: front_image(&yaml, raw.image, raw.image_alt, raw.image_credit),
            note: body,
            origin,
            mentions: Vec::new(),
            claims_about: Vec::new(),
            units: Vec::new(),
            members: Vec::new(),
            sources_published: Vec::new(),
        }
    }

    pub(super) fn wikidata(&mut self, yaml: &YamlPlace, w: Spanned<String>) -> Option<String> {
        let ok = w.value.len() > 1
            && w.value.starts_with('Q')
            && w.value[1..].bytes().all(|b| b.is_ascii_digit());
        if !ok {
            let at = spanned_origin(&yaml.source, &yaml.split, &w);
            self.error_at(
                Code::BadWikidata,
                &at,
                format!("`{}` is not a Wikidata ID", w.value),
            )
            .help = Some("a Wikidata ID is `Q` followed by digits, such as `Q42`".into());
        }
        ok.then_some(w.value)
    }

    pub(super) fn links(&mut self, yaml: &YamlPlace, links: Vec<crate::raw::RawLink>) -> Vec<Link> {
        links
            .into_iter()
            .filter_map(|l| {
                self.url(yaml, &l.url).map(|url| Link {
                    label: l.label,
                    url,
                })
            })
            .collect()
    }

    /// Decimal degrees within range: latitude −90…90, longitude −180…180.
    pub(super) fn coordinates(
        &mut self,
        yaml: &YamlPlace,
        c: &Spanned<crate::raw::RawCoordinates>,
    ) -> Option<Coordinates> {
        let (lat, lon) = (c.value.lat.value, c.value.lon.value);
        let (problem, at) = if !(-90.0..=90.0).contains(&lat) {
            (format!("latitude {lat} is outside −90…90"), &c.value.lat)
        } else if !(-180.0..=180.0).contains(&lon) {
            (format!("longitude {lon} is outside −180…180"), &c.value.lon)
        } else {
            return Some(Coordinates { lat, lon });
        };
        let at = spanned_origin(&yaml.source, &yaml.split, at);
        self.error_at(Code::BadCoordinates, &at, problem).help = Some(
            "write `coordinates: {lat: 33.3, lon: 44.4}` in decimal degrees, latitude first (north and east are positive)"
                .into(),
        );
        None
    }

    /// A reference that must name an entity of `kind`, written `prefix:ID`.
    pub(super) fn reference_to(
        &mut self,
        yaml: &YamlPlace,
        at: &Spanned<String>,
        kind: EntityKind,
        field: &str,
        reg: &Registry,
    ) -> Option<u32> {
        let prefix = kind.prefix();
        let origin = spanned_origin(&yaml.source, &yaml.split, at);
        if let Some(id) = at
            .value
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix(':'))
        {
            if let Some(i) = reg.get(kind, id) {
                return Some(i);
            }
            let help = match reg.suggest(kind, id) {
                Some(s) => format!("did you mean `{prefix}:{s}`?"),
                None => format!("define it in content/{}/{id}.md", kind.folder()),
            };
            let d = self.error_at(
                Code::UnknownEntity,
                &origin,
                format!("unknown {} `{id}`", kind.name()),
            );
            d.help = Some(help);
            d.depends_on = Some(format!("content/{}/{id}.md", kind.folder()));
            return None;
        }
        let id = at
            .value
            .split_once(':')
            .map_or(at.value.as_str(), |(_, id)| id);
        self.error_at(
            Code::BadReference,
            &origin,
            format!(
                "`{field}` names {}s as `{prefix}:ID`, not `{}`",
                kind.name(),
                at.value
            ),
        )
        .help = Some(format!("write `{prefix}:{}`", suggested_id(id)));
        None
    }

    /// An outlet or publisher: a name as written, or `org:ID`.
    pub(super) fn name_or_org(
        &mut self,
        yaml: &YamlPlace,
        value: Option<Spanned<String>>,
        field: &str,
        reg: &Registry,
    ) -> (Option<String>, Option<OrganisationId>) {
        let Some(v) = value else {
            return (None, None);
        };
        let kind = EntityKind::Organisation;
        if v.value.starts_with(&format!("{}:", kind.prefix())) {
            // The name is filled in once every organisation is built.
            let org = self.reference_to(yaml, &v, kind, field, reg);
            (None, org.map(Id::new))
        } else {
            (Some(v.value), None)
        }
    }

    /// Looks up an ID of a known kind named in front matter.
    pub(super) fn reference(
        &mut self,
        yaml: &YamlPlace,
        at: &Spanned<String>,
        kind: EntityKind,
        id: &str,
        reg: &Registry,
    ) -> Option<u32> {
        if let Some(i) = reg.get(kind, id) {
            return Some(i);
        }
        let origin = spanned_origin(&yaml.source, &yaml.split, at);
        let help = match reg.suggest(kind, id) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("define it in content/{}/{id}.md", kind.folder()),
        };
        let d = self.error_at(
            Code::UnknownEntity,
            &origin,
            format!("unknown {} `{id}`", kind.name()),
        );
        d.help = Some(help);
        d.depends_on = Some(format!("content/{}/{id}.md", kind.folder()));
        None
    }

    /// An author written as the bare ID of a person of the edition, which
    /// would otherwise be shown and exported as a name ("ada-lovelace").
    pub(super) fn bare_person_id(&mut self, yaml: &YamlPlace, field: &str, at: &Spanned<String>) {
        let origin = spanned_origin(&yaml.source, &yaml.split, at);
        self.error_at(
            Code::BareIdReference,
            &origin,
            format!(
                "`{}` in `{field}` is the ID of a person, written as a plain-text name",
                at.value
            ),
        )
        .help = Some(format!(
            "write `person:{}` to name the person; a plain-text author is a full name (`Jane Doe`)",
            at.value
        ));
    }

    /// Looks up a `kind:ID` reference named in front matter.
    pub(super) fn typed_reference(
        &mut self,
        yaml: &YamlPlace,
        at: &Spanned<String>,
        reg: &Registry,
    ) -> Option<EntityRef> {
        let (prefix, id) = at.value.split_once(':').unwrap_or(("", &at.value));
        match EntityKind::from_prefix(prefix) {
            Some(kind) => self
                .reference(yaml, at, kind, id, reg)
                .map(|index| EntityRef { kind, index }),
            None => {
                let origin = spanned_origin(&yaml.source, &yaml.split, at);
                // A bare ID of the edition (`crocker`): say which kind it is.
                let bare_kind = (prefix.is_empty())
                    .then(|| {
                        EntityKind::ALL
                            .into_iter()
                            .find(|k| reg.get(*k, id).is_some())
                    })
                    .flatten();
                let help = match (
                    bare_kind,
                    did_you_mean(prefix, EntityKind::ALL.iter().map(|k| k.prefix())),
                ) {
                    (Some(k), _) => {
                        let k = k.prefix();
                        format!("`{id}` is a {k} of this edition: write `{k}:{id}`")
                    }
                    (None, Some(k)) => format!("did you mean `{k}:{id}`?"),
                    (None, None) => {
                        "write references as `kind:ID`, e.g. `term:jcpoa` or `person:crocker`"
                            .into()
                    }
                };
                self.error_at(
                    Code::BadReference,
                    &origin,
                    format!("`{}` is not a `kind:ID` reference", at.value),
                )
                .help = Some(help);
                None
            }
        }
    }

    pub(super) fn date(
        &mut self,
        yaml: &YamlPlace,
        d: &Spanned<String>,
        field: &str,
    ) -> Option<PartialDate> {
        if valid_date(&d.value) {
            return Some(PartialDate(d.value.clone()));
        }
        let origin = spanned_origin(&yaml.source, &yaml.split, d);
        self.error_at(
            Code::BadDate,
            &origin,
            format!("`{}` is not a valid {field}", d.value),
        )
        .help =
            Some("write dates as YYYY, YYYY-MM or YYYY-MM-DD, with a real month and day".into());
        None
    }

    pub(super) fn url(&mut self, yaml: &YamlPlace, u: &Spanned<String>) -> Option<String> {
        if let Some(scheme) = dangerous_scheme(&u.value) {
            let origin = spanned_origin(&yaml.source, &yaml.split, u);
            self.error_at(
                Code::UnsafeUrl,
                &origin,
                format!("`{scheme}:` URLs are not allowed"),
            )
            .help = Some("use an http(s) address".into());
            return None;
        }
        Some(u.value.clone())
    }
}
