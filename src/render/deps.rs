//! Render stage, for rebuilds: a fingerprint of everything each page (and
//! each file of the search index) reads from the model. Two builds that give
//! a file the same fingerprint render it to the same bytes, so a rebuild
//! renders only the files whose fingerprint changed.
//!
//! Each function below mirrors the view it stands for (`views.rs`, built in
//! `mod.rs`): a field a view starts to read must be hashed here too. Where a
//! page shows another entity, it hashes that entity's *card* (id, name, short
//! text, status): everything any page shows of an entity it is not about.
//! Positions in global vectors (mention and entity indices) are not hashed,
//! only what they point at, so adding a mention to one part does not
//! invalidate every later part. A mention is hashed by its entity's card and
//! its part's text (whence all its own fields come), not field by field:
//! hashing 200,000 sentences per rebuild cost more than re-rendering the few
//! entity pages an edit to a part's text then invalidates.

use std::hash::{BuildHasher, Hash, Hasher};

use rayon::prelude::*;

use super::search::{shard_count, shard_parts};
use super::{FileSpec, PageSpec, Renderer};
use crate::diagnostics::SourceText;
use crate::model::*;

/// The hasher of fingerprints: fast, and the same in every process run.
pub type Fingerprint = foldhash::fast::FoldHasher<'static>;

pub fn hasher() -> Fingerprint {
    foldhash::fast::FixedState::default().build_hasher()
}

/// What pages read that is not in the model: the theme, the options, and the
/// text of the source files (by which bodies are hashed).
pub struct Inputs<'a> {
    /// A fingerprint of the theme (templates and static files).
    pub theme: u64,
    /// The content hash of `_index.md`: metadata every page shows, and the preface.
    pub index: u64,
    /// The content hash of a source file.
    pub file_hash: &'a (dyn Fn(&SourceText) -> u64 + Sync),
}

/// The fingerprint of each file in `specs`, in order.
pub fn fingerprints(r: &Renderer, specs: &[FileSpec], inputs: &Inputs) -> Vec<u64> {
    let e = r.edition;
    let cards = Cards::new(r);
    let global = global(r, inputs);
    let parts: Vec<u64> = (0..e.parts.len())
        .into_par_iter()
        .map(|i| part_text_hash(e, i, inputs))
        .collect();
    let mentions: Vec<u64> = e
        .mentions
        .par_iter()
        .map(|m| mention_hash(&cards, &parts, m))
        .collect();
    let ctx = Ctx {
        r,
        inputs,
        cards: &cards,
        parts: &parts,
        mentions: &mentions,
        global,
    };
    specs.par_iter().map(|&s| ctx.file(s)).collect()
}

struct Cards {
    by_kind: [Vec<u64>; EntityKind::ALL.len()],
}

impl Cards {
    fn new(r: &Renderer) -> Self {
        let e = r.edition;
        let by_kind = EntityKind::ALL.map(|kind| {
            (0..e.count(kind) as u32)
                .into_par_iter()
                .map(|index| {
                    let x = EntityRef { kind, index };
                    let mut h = hasher();
                    x.kind.hash(&mut h);
                    e.entity_id(x).hash(&mut h);
                    e.entity_name(x).hash(&mut h);
                    r.short.get(x).hash(&mut h);
                    if kind == EntityKind::Claim {
                        e.claims[index as usize].status.hash(&mut h);
                    }
                    h.finish()
                })
                .collect()
        });
        Cards { by_kind }
    }

    fn of(&self, x: EntityRef) -> u64 {
        let i = EntityKind::ALL
            .iter()
            .position(|k| *k == x.kind)
            .unwrap_or(0);
        self.by_kind[i][x.index as usize]
    }
}

/// A part's place, title and slug, and its text: everything its mentions
/// are made of but the entities they name. (A mention's words, paragraph,
/// locator and sentence all come from the part's text, read with the options
/// of `_index.md`.)
fn part_text_hash(e: &Edition, i: usize, inputs: &Inputs) -> u64 {
    let p = &e.parts[i];
    let mut h = hasher();
    (i, &p.title, &p.slug, inputs.index).hash(&mut h);
    (inputs.file_hash)(&p.origin.source).hash(&mut h);
    h.finish()
}

fn mention_hash(cards: &Cards, parts: &[u64], m: &Mention) -> u64 {
    let mut h = hasher();
    (cards.of(m.entity), parts[m.part.index()], m.anchor).hash(&mut h);
    h.finish()
}

/// What every page shows: the edition's metadata (all of `_index.md`, the
/// preface with it), the theme and the options.
fn global(r: &Renderer, inputs: &Inputs) -> u64 {
    let e = r.edition;
    let m = &e.meta;
    let mut h = hasher();
    (inputs.theme, inputs.index).hash(&mut h);
    (&r.options.base_url, r.options.without_search).hash(&mut h);
    (&m.title, &m.subtitle, &m.author, &m.editor).hash(&mut h);
    (&m.language, &m.license, m.allow_html).hash(&mut h);
    if let Some(o) = &m.original {
        (&o.title, &o.outlet, o.date.as_ref().map(|d| &d.0), &o.url).hash(&mut h);
    }
    // The parts menu of the site view.
    for p in &e.parts {
        (&p.title, &p.slug).hash(&mut h);
    }
    sections(e, &mut h);
    h.finish()
}

/// The sections and where each part stands: the contents, breadcrumbs,
/// menus, addresses and JSON-LD of every page that shows a section.
fn sections(e: &Edition, h: &mut Fingerprint) {
    for s in &e.sections {
        (&s.slug, &s.path, &s.title, &s.summary, &s.parent, &s.items).hash(h);
    }
    e.contents.hash(h);
    for p in &e.parts {
        p.section.hash(h);
    }
}

struct Ctx<'a> {
    r: &'a Renderer<'a>,
    inputs: &'a Inputs<'a>,
    cards: &'a Cards,
    /// [`part_text_hash`] of each part.
    parts: &'a [u64],
    mentions: &'a [u64],
    global: u64,
}

impl Ctx<'_> {
    /// The search index's files are data, not pages: they show neither the
    /// theme nor the edition's metadata, so they hash only what they hold
    /// (the very values they are written from).
    fn file(&self, spec: FileSpec) -> u64 {
        let e = self.r.edition;
        let mut h = hasher();
        match spec {
            FileSpec::Page(p) => return self.page(p),
            FileSpec::SearchIndex => self.search_entry(&mut h),
            FileSpec::SearchShard(n) => {
                // Paragraph texts come from the parts' texts.
                let range = shard_parts(e, n);
                (n, range.start, range.len()).hash(&mut h);
                self.parts[range].hash(&mut h);
            }
        }
        h.finish()
    }

    /// Every part's title and address, every entity's card (name, address
    /// and short text) and aliases, and the shards.
    fn search_entry(&self, h: &mut Fingerprint) {
        let e = self.r.edition;
        for p in &e.parts {
            (&p.title, &p.slug).hash(h);
        }
        sections(e, h);
        self.cards.by_kind.hash(h);
        for p in &e.people {
            p.aliases.hash(h);
        }
        for t in &e.terms {
            t.aliases.hash(h);
        }
        shard_count(e).hash(h);
    }

    fn page(&self, spec: PageSpec) -> u64 {
        let mut h = hasher();
        self.global.hash(&mut h);
        spec.path(self.r.edition).hash(&mut h);
        match spec {
            PageSpec::Index => self.index(&mut h),
            PageSpec::Part(i) => self.part(i, &mut h),
            PageSpec::Section(i) => {
                let s = &self.r.edition.sections[i];
                self.source(&s.origin.source, &mut h);
                self.links(&s.links, &mut h);
            }
            PageSpec::Page(i) => self.other_page(i, &mut h),
            PageSpec::KindIndex(k) => self.kind_index(k, &mut h),
            PageSpec::Entity(x) => self.entity(x, &mut h),
            PageSpec::Timeline => self.timeline(&mut h),
            PageSpec::Search | PageSpec::NotFound => 0.hash(&mut h),
        }
        h.finish()
    }

    fn source(&self, source: &SourceText, h: &mut Fingerprint) {
        (self.inputs.file_hash)(source).hash(h);
    }

    /// A body's links: what each resolved to, never where it is stored.
    fn links(&self, links: &[LinkResolution], h: &mut Fingerprint) {
        for l in links {
            match l {
                LinkResolution::Mention(mi) => (0u8, self.mentions[mi.index()]).hash(h),
                LinkResolution::Entity(x) => (1u8, self.cards.of(*x)).hash(h),
                LinkResolution::Internal(s) => (2u8, s).hash(h),
                LinkResolution::Fragment(s) => (3u8, s).hash(h),
                LinkResolution::External(s) => (4u8, s).hash(h),
                LinkResolution::Broken => 5u8.hash(h),
            }
        }
    }

    fn index(&self, h: &mut Fingerprint) {
        let e = self.r.edition;
        self.links(&e.meta.preface_links, h);
        for p in &e.parts {
            (&p.title, &p.summary, &p.slug).hash(h);
        }
        for p in &e.pages {
            (&p.title, &p.slug).hash(h);
        }
        EntityKind::ALL.map(|k| e.count(k)).hash(h);
        e.mentions.len().hash(h);
    }

    fn part(&self, i: usize, h: &mut Fingerprint) {
        let e = self.r.edition;
        let p = &e.parts[i];
        (i, e.parts.len()).hash(h);
        self.source(&p.origin.source, h);
        (&p.slug, &p.title, &p.summary).hash(h);
        for j in [i.checked_sub(1), (i + 1 < e.parts.len()).then_some(i + 1)] {
            j.map(|j| (&e.parts[j].title, &e.parts[j].slug)).hash(h);
        }
        self.links(&p.links, h);
        for note in &p.notes {
            match note {
                Note::Entity { entity, mentions } => {
                    (0u8, self.cards.of(*entity), mentions).hash(h);
                    // Its margin note and glossary entry show the source as
                    // the style formats it.
                    if entity.kind == EntityKind::Source {
                        self.r.citations().entry(entity.index).hash(h);
                    }
                }
                Note::Footnote { label, refs } => (1u8, label, refs).hash(h),
            }
        }
        p.footnote_numbers.hash(h);
        self.mentions[p.mentions.clone()].hash(h);
        self.r.paragraph_citation().hash(h);
    }

    fn other_page(&self, i: usize, h: &mut Fingerprint) {
        let p = &self.r.edition.pages[i];
        self.source(&p.origin.source, h);
        (&p.slug, &p.title, &p.summary).hash(h);
        self.links(&p.links, h);
    }

    fn kind_index(&self, kind: EntityKind, h: &mut Fingerprint) {
        let e = self.r.edition;
        for index in 0..e.count(kind) as u32 {
            let x = EntityRef { kind, index };
            (self.cards.of(x), e.entity_mentions(x).len()).hash(h);
            if kind == EntityKind::Person {
                e.people[index as usize].sort_as.hash(h);
            }
        }
        for c in &e.claims {
            c.status.hash(h);
        }
        if kind == EntityKind::Source {
            self.r.citations().hash_into(h);
        }
    }

    fn entity(&self, x: EntityRef, h: &mut Fingerprint) {
        let e = self.r.edition;
        self.cards.of(x).hash(h);
        let note = e.entity_note(x);
        if note.event_count > 0 {
            self.source(&e.entity_origin(x).source, h);
        }
        self.links(e.entity_note_links(x), h);
        let image = e.entity_image(x);
        image.map(|im| (&im.path, &im.alt, &im.credit)).hash(h);
        for &mi in e.entity_mentions(x) {
            self.mentions[mi.index()].hash(h);
        }
        let i = x.index as usize;
        match x.kind {
            EntityKind::Person => self.person_fields(i, h),
            EntityKind::Source => self.source_fields(i, h),
            EntityKind::Claim => self.claim_fields(i, h),
            EntityKind::Term => self.term_fields(i, h),
            EntityKind::Place => self.place_fields(i, h),
            EntityKind::Organisation => self.organisation_fields(i, h),
        }
    }

    /// The cards of the entities of `kind` at `list`.
    fn hash_cards<T: Entity>(&self, list: &[Id<T>], h: &mut Fingerprint) {
        for &id in list {
            self.cards.of(id.into()).hash(h);
        }
    }

    /// What a person's page shows besides its card, note and mentions.
    fn person_fields(&self, i: usize, h: &mut Fingerprint) {
        let e = self.r.edition;
        let p = &e.people[i];
        (&p.born, &p.died, &p.roles, &p.aliases, &p.wikidata).hash(h);
        for l in &p.links {
            (&l.label, &l.url).hash(h);
        }
        self.hash_cards(&p.claims_attributed, h);
        self.hash_cards(&p.claims_about, h);
        self.hash_cards(&p.sources_written, h);
        self.hash_cards(&p.affiliations, h);
    }

    /// What a source's page shows besides its card, note and mentions.
    fn source_fields(&self, i: usize, h: &mut Fingerprint) {
        let e = self.r.edition;
        let s = &e.sources[i];
        (s.kind, &s.outlet, s.date.as_ref().map(|d| &d.0)).hash(h);
        s.publisher.hash(h);
        // The page links them, by ID, in its JSON-LD.
        self.hash_cards(s.outlet_org.as_slice(), h);
        self.hash_cards(s.publisher_org.as_slice(), h);
        (&s.note_field, &s.url).hash(h);
        // The citation_* tags show the authors and every CSL field;
        // the formatted reference may change with any source's
        // (a style disambiguates and numbers them together).
        (&s.authors, &s.details).hash(h);
        self.r.citations().hash_into(h);
        for a in s.authors.iter().chain(&s.details.editors) {
            if let Author::Person(p) = a {
                e[*p].name.hash(h);
            }
        }
        self.hash_cards(&s.cited_by, h);
    }

    /// What a claim's page shows besides its card, note and mentions.
    fn claim_fields(&self, i: usize, h: &mut Fingerprint) {
        let e = self.r.edition;
        let c = &e.claims[i];
        (c.date.as_ref().map(|d| &d.0), &c.note_field).hash(h);
        self.hash_cards(&c.sources, h);
        self.hash_cards(&c.attributed_to, h);
        for &a in &c.about {
            self.cards.of(a).hash(h);
        }
        self.hash_cards(&c.claims_about, h);
    }

    /// What a term's page shows besides its card, note and mentions.
    fn term_fields(&self, i: usize, h: &mut Fingerprint) {
        let e = self.r.edition;
        let t = &e.terms[i];
        (&t.category, &t.aliases).hash(h);
        self.hash_cards(&t.claims_about, h);
    }

    /// What a place's page shows besides its card, note and mentions.
    fn place_fields(&self, i: usize, h: &mut Fingerprint) {
        let e = self.r.edition;
        let p = &e.places[i];
        (&p.aliases, &p.wikidata, p.geonames).hash(h);
        p.coordinates
            .map(|c| (c.lat.to_bits(), c.lon.to_bits()))
            .hash(h);
        for l in &p.links {
            (&l.label, &l.url).hash(h);
        }
        self.hash_cards(p.located_in.as_slice(), h);
        self.hash_cards(&p.contains, h);
        self.hash_cards(&p.claims_about, h);
    }

    /// What an organisation's page shows besides its card, note and mentions.
    fn organisation_fields(&self, i: usize, h: &mut Fingerprint) {
        let e = self.r.edition;
        let o = &e.organisations[i];
        let dates = [&o.founded, &o.dissolved].map(|d| d.as_ref().map(|d| &d.0));
        (&o.aliases, o.kind, dates, &o.wikidata).hash(h);
        for l in &o.links {
            (&l.label, &l.url).hash(h);
        }
        self.hash_cards(o.part_of.as_slice(), h);
        self.hash_cards(&o.units, h);
        self.hash_cards(&o.members, h);
        self.hash_cards(&o.sources_published, h);
        self.hash_cards(&o.claims_about, h);
    }

    /// Dated claims and sources with their dates and the mentions that place
    /// them in the text (a source's own, and those of the claims citing it).
    fn timeline(&self, h: &mut Fingerprint) {
        let e = self.r.edition;
        let hash_mentions = |list: &[MentionId], h: &mut Fingerprint| {
            for &mi in list {
                self.mentions[mi.index()].hash(h);
            }
        };
        for (i, c) in e.claims.iter().enumerate() {
            if let Some(d) = &c.date {
                let x = EntityRef {
                    kind: EntityKind::Claim,
                    index: i as u32,
                };
                (self.cards.of(x), &d.0).hash(h);
                hash_mentions(&c.mentions, h);
            }
        }
        for (i, s) in e.sources.iter().enumerate() {
            if let Some(d) = &s.date {
                let x = EntityRef {
                    kind: EntityKind::Source,
                    index: i as u32,
                };
                (self.cards.of(x), &d.0).hash(h);
                hash_mentions(&s.mentions, h);
                for &c in &s.cited_by {
                    hash_mentions(&e[c].mentions, h);
                }
            }
        }
        for (i, o) in e.organisations.iter().enumerate() {
            let x = EntityRef {
                kind: EntityKind::Organisation,
                index: i as u32,
            };
            for d in [&o.founded, &o.dissolved].into_iter().flatten() {
                (self.cards.of(x), &d.0).hash(h);
                hash_mentions(&o.mentions, h);
            }
        }
    }
}
