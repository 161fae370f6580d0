//! Resolve stage: parsed records become the [`Edition`] model.
//!
//! It merges entity definitions into one registry per kind, checks every
//! reference (mentions, a claim's sources and people, links between files),
//! orders the parts, numbers mentions and notes, and computes every back-link
//! once. Every problem found is reported; resolution goes on past errors so a
//! run shows them all.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use serde_saphyr::Spanned;
use unicode_normalization::UnicodeNormalization;

use crate::diagnostics::{Diagnostic, SourceText, did_you_mean};
use crate::frontmatter;
use crate::markdown::{Body, Target, dangerous_scheme, is_valid_id};
use crate::model::*;
use crate::parse::{ParsedEdition, ParsedEntity, YamlPlace};
use crate::raw::RawEntity;

mod source_fields;

/// Output names at the top of the site that a part's slug may not take.
pub const RESERVED_SLUGS: &[&str] = &[
    "people",
    "sources",
    "claims",
    "terms",
    "pages",
    "search",
    "timeline",
    "static",
    "index.html",
    "404.html",
    "search-index.js",
    "annotations.json",
    "citations.bib",
    "sources.csl.json",
    "annotations.jsonld",
    "sitemap.xml",
    "robots.txt",
];

pub fn resolve(parsed: ParsedEdition) -> (Option<Edition>, Vec<Diagnostic>) {
    let (resolved, diags) = resolve_keeping(parsed);
    (resolved.map(|r| r.edition), diags)
}

/// A resolved edition with what resolving it learnt, kept so that an edit to
/// one part's text can be resolved alone ([`Resolved::resolve_part_again`]).
pub struct Resolved {
    pub edition: Edition,
    registry: Registry,
    files: FileIndex,
    /// What every stage but the parts' and the final checks reported.
    other: Vec<Diagnostic>,
    /// What resolving each part reported, by part index.
    by_part: Vec<Vec<Diagnostic>>,
    /// What the final checks reported: they look at the whole edition.
    checks: Vec<Diagnostic>,
}

/// [`resolve`], keeping what a later [`Resolved::resolve_part_again`] needs;
/// `None` when there were errors.
pub fn resolve_keeping(parsed: ParsedEdition) -> (Option<Resolved>, Vec<Diagnostic>) {
    let mut r = Resolver { diags: Vec::new() };
    let registry = r.registry(&parsed.entities);
    let meta_raw = parsed.index;
    let (parts, pages) = r.order_documents(parsed.parts, parsed.pages);
    let mut edition = Edition {
        meta: Meta {
            title: String::new(),
            subtitle: None,
            author: None,
            original: None,
            editor: None,
            language: "en".into(),
            license: None,
            allow_html: false,
            tei: false,
            citation_style: String::new(),
            preface: Body::default(),
            preface_links: Vec::new(),
        },
        parts,
        pages,
        people: Vec::new(),
        sources: Vec::new(),
        claims: Vec::new(),
        terms: Vec::new(),
        mentions: Vec::new(),
        note_links: NoteLinks::default(),
    };
    r.build_entities(&mut edition, parsed.entities, &registry);
    let files = FileIndex::new(&edition);
    let mut other = std::mem::take(&mut r.diags);
    // Each part's links alone, in parallel, numbering its mentions from 0;
    // then in order, each part's mentions take their place after the last's.
    let resolved_parts: Vec<_> = (edition.parts.par_iter().enumerate())
        .map(|(pi, part)| {
            let mut r = Resolver { diags: Vec::new() };
            let (links, mentions) = r.part_links(part, pi, 0, &registry, &files);
            (links, mentions, r.diags)
        })
        .collect();
    let by_part = (edition.parts.iter_mut().zip(resolved_parts))
        .map(|(part, (mut links, mentions, diags))| {
            let first = edition.mentions.len();
            shift_links(&mut links, first as isize);
            attach(part, links, &mentions, first);
            edition.mentions.extend(mentions);
            diags
        })
        .collect();
    r.resolve_pages(&mut edition, &registry, &files);
    r.resolve_notes(&mut edition, &registry, &files);
    if let Some(index) = meta_raw {
        r.meta(&mut edition, index, &registry, &files);
    }
    other.append(&mut r.diags);
    back_links(&mut edition);
    r.warnings(&edition);
    let resolved = Resolved {
        edition,
        registry,
        files,
        other,
        by_part,
        checks: r.diags,
    };
    let diags = resolved.diagnostics();
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(resolved), diags)
}

impl Resolved {
    /// Every diagnostic, as [`resolve`] returns them.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let by_part = self.by_part.iter().flatten();
        (self.other.iter().chain(by_part).chain(&self.checks))
            .cloned()
            .collect()
    }

    /// Resolves the part at `rel` again after an edit to its text alone:
    /// `text` is the whole new file, whose front matter is byte for byte the
    /// old one's, and `body` its parsed body. Mentions of the other parts
    /// shift; back-links and the final checks are made again. Gives the
    /// edition a full [`resolve`] would, or returns false, changing nothing,
    /// when the edit does more than that: the front matter changed, the part's
    /// anchors changed (other files may link to them), or the new text has
    /// errors (a full resolve reports them in order).
    pub fn resolve_part_again(
        &mut self,
        rel: &str,
        text: &str,
        origin: Origin,
        body: Body,
    ) -> bool {
        let e = &mut self.edition;
        let Some(pi) = e.parts.iter().position(|p| p.rel == rel) else {
            return false;
        };
        let old = &e.parts[pi];
        let front = old.body.range.start;
        let same_front =
            body.range.start == front && old.origin.source.text.get(..front) == text.get(..front);
        if !same_front || body.anchors() != old.body.anchors() {
            return false;
        }
        let part = Part {
            slug: old.slug.clone(),
            title: old.title.clone(),
            summary: old.summary.clone(),
            order: old.order,
            rel: old.rel.clone(),
            origin,
            body,
            links: Vec::new(),
            notes: Vec::new(),
            mentions: 0..0,
            footnote_numbers: Vec::new(),
        };
        let first = old.mentions.start;
        let mut r = Resolver { diags: Vec::new() };
        let (links, mentions) = r.part_links(&part, pi, first, &self.registry, &self.files);
        if r.diags.iter().any(Diagnostic::is_error) {
            return false;
        }
        let old_range = old.mentions.clone();
        let shift = mentions.len() as isize - old_range.len() as isize;
        let mut part = part;
        attach(&mut part, links, &mentions, first);
        e.parts[pi] = part;
        e.mentions.splice(old_range, mentions);
        if shift != 0 {
            shift_mentions(&mut e.parts[pi + 1..], shift);
        }
        self.by_part[pi] = r.diags;
        clear_back_links(e);
        back_links(e);
        let mut checks = Resolver { diags: Vec::new() };
        checks.warnings(e);
        self.checks = checks.diags;
        true
    }
}

/// Moves the mentions of `parts` by `shift` places in `Edition::mentions`.
fn shift_mentions(parts: &mut [Part], shift: isize) {
    for p in parts {
        let moved = |i: usize| {
            i.checked_add_signed(shift)
                .expect("mention indices stay in range")
        };
        p.mentions = moved(p.mentions.start)..moved(p.mentions.end);
        shift_links(&mut p.links, shift);
    }
}

/// Moves the mentions `links` point at by `shift` places.
fn shift_links(links: &mut [LinkResolution], shift: isize) {
    for link in links {
        if let LinkResolution::Mention(mi) = link {
            let moved = (*mi as usize).checked_add_signed(shift);
            *mi = moved.expect("mention indices stay in range") as u32;
        }
    }
}

/// A part's notes, footnote numbers and mention range, from its resolved links.
fn attach(part: &mut Part, links: Vec<LinkResolution>, mentions: &[Mention], first: usize) {
    let notes = number_notes(&part.body, &links, mentions, first);
    part.links = links;
    part.footnote_numbers = footnote_numbers(&part.body, &notes);
    part.notes = notes;
    part.mentions = first..first + mentions.len();
}

struct Resolver {
    diags: Vec<Diagnostic>,
}

/// ID → index, per kind.
#[derive(Default)]
struct Registry {
    ids: HashMap<(Kind, String), u32>,
    by_kind: BTreeMap<Kind, Vec<String>>,
}

impl Registry {
    fn get(&self, kind: Kind, id: &str) -> Option<u32> {
        self.ids.get(&(kind, id.to_string())).copied()
    }

    fn suggest(&self, kind: Kind, id: &str) -> Option<String> {
        let ids = self.by_kind.get(&kind)?;
        did_you_mean(id, ids.iter().map(String::as_str)).map(str::to_string)
    }
}

/// Content files by path, with their address and body (for its anchors).
struct FileIndex {
    by_rel: HashMap<String, (String, Body)>,
}

impl FileIndex {
    fn new(e: &Edition) -> Self {
        let mut by_rel = HashMap::new();
        for (i, p) in e.parts.iter().enumerate() {
            by_rel.insert(p.rel.clone(), (e.part_url(i), p.body.clone()));
        }
        for (i, p) in e.pages.iter().enumerate() {
            by_rel.insert(p.rel.clone(), (e.page_url(i), p.body.clone()));
        }
        FileIndex { by_rel }
    }
}

impl Resolver {
    fn error_at(&mut self, origin: &Origin, message: impl Into<String>) -> &mut Diagnostic {
        self.diags
            .push(Diagnostic::error(message).at(&origin.source, origin.span.clone(), ""));
        self.diags.last_mut().expect("just pushed")
    }

    /// Assigns each entity its index; reports bad and duplicate IDs.
    fn registry(&mut self, entities: &[ParsedEntity]) -> Registry {
        let mut reg = Registry::default();
        let mut first: HashMap<(Kind, String), &Origin> = HashMap::new();
        // Valid IDs are lowercase ASCII, so an ID that collides with another
        // by case or Unicode form is always the invalid one of the two.
        let valid: HashMap<(Kind, String), &ParsedEntity> = entities
            .iter()
            .filter(|e| is_valid_id(&e.id))
            .map(|e| ((e.kind, e.id.clone()), e))
            .collect();
        for e in entities {
            let key = (e.kind, e.id.clone());
            if let Some(prev) = first.get(&key) {
                self.diags.push(
                    Diagnostic::error(format!("{} `{}` is defined twice", e.kind.prefix(), e.id))
                        .at(
                            &e.id_origin.source,
                            e.id_origin.span.clone(),
                            "second definition",
                        )
                        .also(&prev.source, prev.span.clone(), "first definition")
                        .with_help(
                            "an ID is defined exactly once per kind: remove or rename one of them",
                        ),
                );
                continue;
            }
            if !is_valid_id(&e.id) {
                let folded: String = e.id.nfkc().flat_map(char::to_lowercase).collect();
                let d = match valid.get(&(e.kind, folded.clone())) {
                    Some(other) => Diagnostic::error(format!(
                        "{} ID `{}` collides with `{folded}`: they differ only in case or Unicode form",
                        e.kind.prefix(),
                        e.id
                    ))
                    .at(&e.id_origin.source, e.id_origin.span.clone(), "colliding ID")
                    .also(&other.id_origin.source, other.id_origin.span.clone(), "the other ID"),
                    None => Diagnostic::error(format!("`{}` is not a valid {} ID", e.id, e.kind.prefix()))
                        .at(&e.id_origin.source, e.id_origin.span.clone(), "bad ID"),
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

    /// Sorts parts by `order`, then file name; checks slugs and output paths.
    fn order_documents(
        &mut self,
        mut parts: Vec<crate::parse::ParsedPart>,
        mut pages: Vec<crate::parse::ParsedPage>,
    ) -> (Vec<Part>, Vec<Page>) {
        parts.sort_by(|a, b| {
            (a.raw.order.is_none(), a.raw.order, &a.rel).cmp(&(
                b.raw.order.is_none(),
                b.raw.order,
                &b.rel,
            ))
        });
        pages.sort_by(|a, b| a.rel.cmp(&b.rel));
        let mut taken: HashMap<String, Origin> = HashMap::new();
        let mut out_parts = Vec::new();
        for p in parts {
            let slug = self.slug(&p.rel, p.raw.slug.as_ref(), &p.origin);
            let path = slug.clone();
            if RESERVED_SLUGS.contains(&path.as_str()) {
                self.error_at(&p.origin, format!("part slug `{slug}` maps to `{path}/`, which the site uses for its own pages"))
                    .help = Some("set another `slug:` in the front matter".into());
            }
            self.claim_output(&mut taken, path, &p.origin);
            out_parts.push(Part {
                slug,
                title: p.raw.title,
                summary: p.raw.summary,
                order: p.raw.order,
                rel: p.rel,
                origin: p.origin,
                body: p.body,
                links: Vec::new(),
                notes: Vec::new(),
                mentions: 0..0,
                footnote_numbers: Vec::new(),
            });
        }
        let mut out_pages = Vec::new();
        for p in pages {
            let slug = self.slug(&p.rel, p.raw.slug.as_ref(), &p.origin);
            self.claim_output(&mut taken, format!("pages/{slug}"), &p.origin);
            out_pages.push(Page {
                slug,
                title: p.raw.title,
                summary: p.raw.summary,
                rel: p.rel,
                origin: p.origin,
                body: p.body,
                links: Vec::new(),
            });
        }
        (out_parts, out_pages)
    }

    fn claim_output(&mut self, taken: &mut HashMap<String, Origin>, path: String, origin: &Origin) {
        let key = path.to_lowercase();
        if let Some(prev) = taken.get(&key) {
            self.diags.push(
                Diagnostic::error(format!(
                    "two files map to the same output path `{path}/index.html`"
                ))
                .at(&origin.source, origin.span.clone(), "this file")
                .also(&prev.source, prev.span.clone(), "and this one")
                .with_help("give one of them another `slug:`"),
            );
        } else {
            taken.insert(key, origin.clone());
        }
    }

    /// A slug from front matter or the file name; only safe slugs pass.
    fn slug(&mut self, rel: &str, explicit: Option<&Spanned<String>>, origin: &Origin) -> String {
        let from_file = rel
            .rsplit('/')
            .next()
            .unwrap_or(rel)
            .trim_end_matches(".md")
            .to_string();
        let (slug, at) = match explicit {
            Some(s) => (s.value.clone(), self.yaml_origin(origin, s)),
            None => (from_file.clone(), origin.clone()),
        };
        if let Some(why) = unsafe_slug(&slug) {
            self.error_at(&at, format!("unsafe slug `{}`: {why}", slug.escape_debug()))
                .help = Some(
                "a slug is letters, digits, `-`, `_` and `.`, and names one folder inside the site"
                    .into(),
            );
            return suggested_id(&slug);
        }
        slug
    }

    /// The file position of a spanned YAML value in the file of `origin`.
    fn yaml_origin<T>(&self, origin: &Origin, value: &Spanned<T>) -> Origin {
        spanned_origin(&origin.source, &yaml_split_of(origin), value)
    }

    fn build_entities(&mut self, e: &mut Edition, entities: Vec<ParsedEntity>, reg: &Registry) {
        let mut seen: HashSet<(Kind, String)> = HashSet::new();
        for p in entities {
            if !seen.insert((p.kind, p.id.clone())) || reg.get(p.kind, &p.id).is_none() {
                continue; // a duplicate, already reported
            }
            let origin = p.id_origin.clone();
            let yaml = p.yaml.clone();
            match p.raw {
                RawEntity::Person(raw) => {
                    let born = raw
                        .born
                        .map(|d| self.date(&yaml, &d, "born"))
                        .and_then(|d| d.map(|d| d.0));
                    let died = raw
                        .died
                        .map(|d| self.date(&yaml, &d, "died"))
                        .and_then(|d| d.map(|d| d.0));
                    let wikidata = raw.wikidata.and_then(|w| {
                        let ok = w.value.len() > 1
                            && w.value.starts_with('Q')
                            && w.value[1..].bytes().all(|b| b.is_ascii_digit());
                        if !ok {
                            let at = spanned_origin(&yaml.source, &yaml.split, &w);
                            self.error_at(&at, format!("`{}` is not a Wikidata ID", w.value))
                                .help = Some(
                                "a Wikidata ID is `Q` followed by digits, such as `Q42`".into(),
                            );
                        }
                        ok.then_some(w.value)
                    });
                    let links = raw
                        .links
                        .into_iter()
                        .filter_map(|l| {
                            self.url(&yaml, &l.url).map(|url| Link {
                                label: l.label,
                                url,
                            })
                        })
                        .collect();
                    e.people.push(Person {
                        sort_as: raw.sort_as.unwrap_or_else(|| default_sort_key(&raw.name)),
                        id: p.id,
                        name: raw.name,
                        description: raw.description,
                        born,
                        died,
                        roles: raw.roles,
                        aliases: raw.aliases,
                        links,
                        wikidata,
                        note: p.body,
                        origin,
                        mentions: Vec::new(),
                        claims_attributed: Vec::new(),
                        claims_about: Vec::new(),
                        sources_written: Vec::new(),
                    });
                }
                RawEntity::Source(raw) => {
                    let authors = self.names(&yaml, &raw.authors, reg);
                    let details = self.source_details(&yaml, &raw, reg);
                    let date = raw.date.and_then(|d| self.date(&yaml, &d, "date"));
                    let url = (raw.url.as_ref())
                        .and_then(|u| self.url(&yaml, u))
                        .and_then(|_| {
                            self.checked(&yaml, raw.url.as_ref()?, source_fields::absolute_url)
                        });
                    e.sources.push(Source {
                        id: p.id,
                        title: raw.title,
                        authors,
                        outlet: raw.outlet,
                        date,
                        kind: raw.kind,
                        url,
                        note_field: raw.note,
                        details,
                        note: p.body,
                        origin,
                        mentions: Vec::new(),
                        cited_by: Vec::new(),
                    });
                }
                RawEntity::Claim(raw) => {
                    let sources: Vec<u32> = raw
                        .sources
                        .iter()
                        .filter_map(|s| self.reference(&yaml, s, Kind::Source, &s.value, reg))
                        .collect();
                    let attributed_to: Vec<u32> = raw
                        .attributed_to
                        .iter()
                        .filter_map(|s| self.reference(&yaml, s, Kind::Person, &s.value, reg))
                        .collect();
                    let self_ref = EntityRef {
                        kind: Kind::Claim,
                        index: reg.get(Kind::Claim, &p.id).unwrap_or(u32::MAX),
                    };
                    let mut about = Vec::new();
                    for a in &raw.about {
                        let Some(r) = self.typed_reference(&yaml, a, reg) else {
                            continue;
                        };
                        if r == self_ref {
                            let at = spanned_origin(&yaml.source, &yaml.split, a);
                            self.error_at(&at, format!("claim `{}` names itself in `about`", p.id)).help =
                                Some("`about` lists the people, terms, sources or other claims the claim is about".into());
                            continue;
                        }
                        about.push(r);
                    }
                    if raw.status == ClaimStatus::Sourced && raw.sources.is_empty() {
                        self.error_at(&origin, format!("claim `{}` is `sourced` but lists no `sources`", p.id)).help =
                            Some("add `sources: [source-id]`, or choose another status (unverified, assessment, …)".into());
                    }
                    if raw.status == ClaimStatus::Attributed && raw.attributed_to.is_empty() {
                        self.error_at(
                            &origin,
                            format!(
                                "claim `{}` is `attributed` but lists no `attributed_to`",
                                p.id
                            ),
                        )
                        .help = Some("add `attributed_to: [person-id]`".into());
                    }
                    let date = raw.date.and_then(|d| self.date(&yaml, &d, "date"));
                    e.claims.push(Claim {
                        id: p.id,
                        text: raw.text,
                        status: raw.status,
                        sources,
                        attributed_to,
                        about,
                        date,
                        note_field: raw.note,
                        note: p.body,
                        origin,
                        mentions: Vec::new(),
                        claims_about: Vec::new(),
                    });
                }
                RawEntity::Term(raw) => e.terms.push(Term {
                    id: p.id,
                    term: raw.term,
                    definition: raw.definition,
                    aliases: raw.aliases,
                    category: raw.category,
                    note: p.body,
                    origin,
                    mentions: Vec::new(),
                    claims_about: Vec::new(),
                }),
            }
        }
    }

    /// Looks up an ID of a known kind named in front matter.
    fn reference(
        &mut self,
        yaml: &YamlPlace,
        at: &Spanned<String>,
        kind: Kind,
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
        self.error_at(&origin, format!("unknown {} `{id}`", kind.prefix()))
            .help = Some(help);
        None
    }

    /// Looks up a `kind:ID` reference named in front matter.
    fn typed_reference(
        &mut self,
        yaml: &YamlPlace,
        at: &Spanned<String>,
        reg: &Registry,
    ) -> Option<EntityRef> {
        let (prefix, id) = at.value.split_once(':').unwrap_or(("", &at.value));
        match Kind::from_prefix(prefix) {
            Some(kind) => self
                .reference(yaml, at, kind, id, reg)
                .map(|index| EntityRef { kind, index }),
            None => {
                let origin = spanned_origin(&yaml.source, &yaml.split, at);
                let help = match did_you_mean(prefix, Kind::ALL.iter().map(|k| k.prefix())) {
                    Some(k) => format!("did you mean `{k}:{id}`?"),
                    None => "write references as `kind:ID`, e.g. `term:jcpoa` or `person:crocker`"
                        .into(),
                };
                self.error_at(
                    &origin,
                    format!("`{}` is not a `kind:ID` reference", at.value),
                )
                .help = Some(help);
                None
            }
        }
    }

    fn date(&mut self, yaml: &YamlPlace, d: &Spanned<String>, field: &str) -> Option<PartialDate> {
        if valid_date(&d.value) {
            return Some(PartialDate(d.value.clone()));
        }
        let origin = spanned_origin(&yaml.source, &yaml.split, d);
        self.error_at(&origin, format!("`{}` is not a valid {field}", d.value))
            .help =
            Some("write dates as YYYY, YYYY-MM or YYYY-MM-DD, with a real month and day".into());
        None
    }

    fn url(&mut self, yaml: &YamlPlace, u: &Spanned<String>) -> Option<String> {
        if let Some(scheme) = dangerous_scheme(&u.value) {
            let origin = spanned_origin(&yaml.source, &yaml.split, u);
            self.error_at(&origin, format!("`{scheme}:` URLs are not allowed"))
                .help = Some("use an http(s) address".into());
            return None;
        }
        Some(u.value.clone())
    }

    /// Resolves a part's links; its mentions are numbered from `first` in
    /// `Edition::mentions`.
    fn part_links(
        &mut self,
        part: &Part,
        pi: usize,
        first: usize,
        reg: &Registry,
        files: &FileIndex,
    ) -> (Vec<LinkResolution>, Vec<Mention>) {
        let mut links = Vec::with_capacity(part.body.links.len());
        let mut mentions = Vec::new();
        for link in &part.body.links {
            let resolution = match &link.target {
                Target::Mention { kind, id } => match self.mention_target(
                    &part.origin.source,
                    link.span.clone(),
                    *kind,
                    id,
                    reg,
                ) {
                    Some(entity) => {
                        let anchor = mentions.len() as u32 + 1;
                        let context = link
                            .paragraph
                            .map(|p| sentence_around(&part.body.paragraphs[p], link.chars.clone()))
                            .unwrap_or_else(|| link.text.clone());
                        mentions.push(Mention {
                            entity,
                            part: pi as u32,
                            paragraph: link.paragraph.map(|p| p as u32),
                            anchor,
                            text: link.text.clone(),
                            locator: link.locator.clone(),
                            chars: link.chars.clone(),
                            context,
                        });
                        LinkResolution::Mention((first + mentions.len() - 1) as u32)
                    }
                    None => LinkResolution::Broken,
                },
                other => self.plain_link(
                    &part.origin.source,
                    &part.rel,
                    link.span.clone(),
                    other,
                    files,
                    &part.body,
                ),
            };
            links.push(resolution);
        }
        (links, mentions)
    }

    fn resolve_pages(&mut self, e: &mut Edition, reg: &Registry, files: &FileIndex) {
        for i in 0..e.pages.len() {
            let page = &e.pages[i];
            let links =
                self.uncounted_links(&page.origin.source, &page.rel, &page.body, reg, files);
            e.pages[i].links = links;
        }
    }

    fn resolve_notes(&mut self, e: &mut Edition, reg: &Registry, files: &FileIndex) {
        let mut out = NoteLinks::default();
        for entity in e.entities().collect::<Vec<_>>() {
            let note = e.entity_note(entity);
            let source = match entity.kind {
                Kind::Person => Arc::clone(&e.people[entity.index as usize].origin.source),
                Kind::Source => Arc::clone(&e.sources[entity.index as usize].origin.source),
                Kind::Claim => Arc::clone(&e.claims[entity.index as usize].origin.source),
                Kind::Term => Arc::clone(&e.terms[entity.index as usize].origin.source),
            };
            let rel = format!("{}/{}.md", entity.kind.folder(), e.entity_id(entity));
            let links = self.uncounted_links(&source, &rel, note, reg, files);
            match entity.kind {
                Kind::Person => out.people.push(links),
                Kind::Source => out.sources.push(links),
                Kind::Claim => out.claims.push(links),
                Kind::Term => out.terms.push(links),
            }
        }
        e.note_links = out;
    }

    /// Links in text outside the reading order: mentions there link to the
    /// entity but are not counted as mentions.
    fn uncounted_links(
        &mut self,
        source: &Arc<SourceText>,
        rel: &str,
        body: &Body,
        reg: &Registry,
        files: &FileIndex,
    ) -> Vec<LinkResolution> {
        body.links
            .iter()
            .map(|link| match &link.target {
                Target::Mention { kind, id } => self
                    .mention_target(source, link.span.clone(), *kind, id, reg)
                    .map_or(LinkResolution::Broken, LinkResolution::Entity),
                other => self.plain_link(source, rel, link.span.clone(), other, files, body),
            })
            .collect()
    }

    fn mention_target(
        &mut self,
        source: &Arc<SourceText>,
        span: Range<usize>,
        kind: Kind,
        id: &str,
        reg: &Registry,
    ) -> Option<EntityRef> {
        if let Some(index) = reg.get(kind, id) {
            return Some(EntityRef { kind, index });
        }
        let mut d = Diagnostic::error(format!("unknown {} `{id}`", kind.prefix())).at(
            source,
            span,
            "no such entity",
        );
        d = match reg.suggest(kind, id) {
            Some(s) => d.with_help(format!("did you mean `{}:{s}`?", kind.prefix())),
            None => {
                let other = Kind::ALL
                    .into_iter()
                    .find(|k| *k != kind && reg.get(*k, id).is_some());
                match other {
                    Some(k) => d.with_help(format!(
                        "`{id}` is a {}: did you mean `{}:{id}`?",
                        k.prefix(),
                        k.prefix()
                    )),
                    None => d.with_help(format!(
                        "define it in content/{}/{id}.md or inline in a part's front matter",
                        kind.folder()
                    )),
                }
            }
        };
        self.diags.push(d);
        None
    }

    fn plain_link(
        &mut self,
        source: &Arc<SourceText>,
        from_rel: &str,
        span: Range<usize>,
        target: &Target,
        files: &FileIndex,
        own: &Body,
    ) -> LinkResolution {
        match target {
            Target::External(url) => LinkResolution::External(url.clone()),
            Target::Fragment(f) => {
                if !own.has_anchor(f) && !f.is_empty() {
                    let d = Diagnostic::error(format!("link to `#{f}`, which is not on this page"))
                        .at(source, span, "missing anchor");
                    self.diags.push(with_anchor_help(d, f, &own.anchors()));
                    return LinkResolution::Broken;
                }
                LinkResolution::Fragment(f.clone())
            }
            Target::Content { path, fragment } => {
                let target_rel = join_relative(from_rel, path);
                let Some((url, body)) = target_rel.as_ref().and_then(|t| files.by_rel.get(t))
                else {
                    let mut d = Diagnostic::error(format!(
                        "link to `{path}`, which is not a part or page of this edition"
                    ))
                    .at(source, span, "broken link");
                    if let Some(best) = did_you_mean(
                        target_rel.as_deref().unwrap_or(path),
                        files.by_rel.keys().map(String::as_str),
                    ) {
                        d = d.with_help(format!("did you mean `{best}`?"));
                    }
                    self.diags.push(d);
                    return LinkResolution::Broken;
                };
                match fragment {
                    Some(f) if !f.is_empty() && !body.has_anchor(f) => {
                        let d = Diagnostic::error(format!(
                            "link to `{path}#{f}`, but that page has no `#{f}`"
                        ))
                        .at(source, span, "missing anchor");
                        self.diags.push(with_anchor_help(d, f, &body.anchors()));
                        LinkResolution::Broken
                    }
                    Some(f) if !f.is_empty() => LinkResolution::Internal(format!("{url}#{f}")),
                    _ => LinkResolution::Internal(url.clone()),
                }
            }
            Target::Mention { .. } => unreachable!("mentions are resolved by the caller"),
        }
    }

    fn meta(
        &mut self,
        e: &mut Edition,
        index: crate::parse::ParsedIndex,
        reg: &Registry,
        files: &FileIndex,
    ) {
        let yaml = YamlPlace {
            source: Arc::clone(&index.origin.source),
            split: yaml_split_of(&index.origin),
        };
        let original = index.raw.original.map(|o| Original {
            title: o.title,
            outlet: o.outlet,
            date: o.date.and_then(|d| self.date(&yaml, &d, "date")),
            url: o.url.and_then(|u| self.url(&yaml, &u)),
        });
        let preface_links =
            self.uncounted_links(&index.origin.source, "_index.md", &index.body, reg, files);
        let citation_style = (index.raw.citation_style.as_ref())
            .and_then(|s| self.checked(&yaml, s, source_fields::citation_style))
            .unwrap_or_else(|| crate::render::citations::DEFAULT_STYLE.into());
        e.meta = Meta {
            title: index.raw.title,
            subtitle: index.raw.subtitle,
            author: index.raw.author,
            original,
            editor: index.raw.editor,
            language: index.raw.language.unwrap_or_else(|| "en".into()),
            license: index.raw.license,
            allow_html: index.raw.allow_html,
            tei: index.raw.tei,
            citation_style,
            preface: index.body,
            preface_links,
        };
    }

    /// Fills every back-link vector, once.
    /// Unmentioned entities and shared aliases: warnings, errors under `--strict`.
    fn warnings(&mut self, e: &Edition) {
        for entity in e.entities() {
            if !e.entity_mentions(entity).is_empty() {
                continue;
            }
            let (origin, cited) = match entity.kind {
                Kind::Person => (&e.people[entity.index as usize].origin, false),
                Kind::Source => {
                    let s = &e.sources[entity.index as usize];
                    (&s.origin, !s.cited_by.is_empty())
                }
                Kind::Claim => (&e.claims[entity.index as usize].origin, false),
                Kind::Term => (&e.terms[entity.index as usize].origin, false),
            };
            if cited {
                continue;
            }
            let what = if entity.kind == Kind::Source {
                "neither mentioned in the text nor cited by any claim"
            } else {
                "never mentioned in the text"
            };
            self.diags.push(
                Diagnostic::warning(format!(
                    "{} `{}` is {what}",
                    entity.kind.prefix(),
                    e.entity_id(entity)
                ))
                .at(&origin.source, origin.span.clone(), "defined here")
                .with_help(format!(
                    "link it from a part as `[words]({}:{})`, or remove it",
                    entity.kind.prefix(),
                    e.entity_id(entity)
                )),
            );
        }
        let mut aliases: BTreeMap<String, Vec<EntityRef>> = BTreeMap::new();
        for (i, p) in e.people.iter().enumerate() {
            for a in &p.aliases {
                aliases
                    .entry(a.to_lowercase())
                    .or_default()
                    .push(EntityRef {
                        kind: Kind::Person,
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
                        kind: Kind::Term,
                        index: i as u32,
                    });
            }
        }
        for (alias, owners) in aliases {
            if owners.len() < 2 {
                continue;
            }
            let origin_of = |r: EntityRef| match r.kind {
                Kind::Person => e.people[r.index as usize].origin.clone(),
                _ => e.terms[r.index as usize].origin.clone(),
            };
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
                .with_help("search by this alias cannot tell them apart: make it more specific"),
            );
        }
    }
}

/// Fills the lists that point back: each entity's mentions, each source's
/// citing claims, each person's claims and writings, what claims are about.
fn back_links(e: &mut Edition) {
    for (mi, m) in e.mentions.iter().enumerate() {
        let i = m.entity.index as usize;
        let list = match m.entity.kind {
            Kind::Person => &mut e.people[i].mentions,
            Kind::Source => &mut e.sources[i].mentions,
            Kind::Claim => &mut e.claims[i].mentions,
            Kind::Term => &mut e.terms[i].mentions,
        };
        list.push(mi as u32);
    }
    for (ci, c) in e.claims.iter().enumerate() {
        for &s in &c.sources {
            e.sources[s as usize].cited_by.push(ci as u32);
        }
        for &p in &c.attributed_to {
            e.people[p as usize].claims_attributed.push(ci as u32);
        }
    }
    for ci in 0..e.claims.len() {
        for a in e.claims[ci].about.clone() {
            let i = a.index as usize;
            match a.kind {
                Kind::Person => e.people[i].claims_about.push(ci as u32),
                Kind::Claim => e.claims[i].claims_about.push(ci as u32),
                Kind::Term => e.terms[i].claims_about.push(ci as u32),
                Kind::Source => e.sources[i].cited_by.push(ci as u32),
            }
        }
    }
    for s in &mut e.sources {
        s.cited_by.sort_unstable();
        s.cited_by.dedup();
    }
    for (si, s) in e.sources.iter().enumerate() {
        for a in &s.authors {
            if let Author::Person(p) = a {
                e.people[*p as usize].sources_written.push(si as u32);
            }
        }
    }
}

/// Empties the lists [`back_links`] fills.
fn clear_back_links(e: &mut Edition) {
    for p in &mut e.people {
        p.mentions.clear();
        p.claims_attributed.clear();
        p.claims_about.clear();
        p.sources_written.clear();
    }
    for s in &mut e.sources {
        s.mentions.clear();
        s.cited_by.clear();
    }
    for c in &mut e.claims {
        c.mentions.clear();
        c.claims_about.clear();
    }
    for t in &mut e.terms {
        t.mentions.clear();
        t.claims_about.clear();
    }
}

/// Numbers a part's notes in order of first occurrence: the first mention of
/// each entity and each footnote reference, interleaved as they appear.
fn number_notes(
    body: &Body,
    links: &[LinkResolution],
    mentions: &[Mention],
    first: usize,
) -> Vec<Note> {
    let mut events: Vec<(usize, Result<usize, usize>)> = Vec::new();
    for (li, link) in body.links.iter().enumerate() {
        if let LinkResolution::Mention(mi) = links[li] {
            events.push((link.start, Ok(mi as usize - first)));
        }
    }
    for (ri, (ev, _)) in body.footnote_refs.iter().enumerate() {
        events.push((*ev, Err(ri)));
    }
    events.sort_by_key(|(ev, _)| *ev);
    let mut notes: Vec<Note> = Vec::new();
    let mut entity_note: HashMap<EntityRef, usize> = HashMap::new();
    let mut footnote_note: HashMap<&str, usize> = HashMap::new();
    for (_, item) in events {
        match item {
            Ok(local) => {
                let m = &mentions[local];
                let n = *entity_note.entry(m.entity).or_insert_with(|| {
                    notes.push(Note::Entity {
                        entity: m.entity,
                        mentions: Vec::new(),
                    });
                    notes.len() - 1
                });
                if let Note::Entity { mentions, .. } = &mut notes[n] {
                    mentions.push(m.anchor);
                }
            }
            Err(ri) => {
                let label = body.footnote_refs[ri].1.as_str();
                let n = *footnote_note.entry(label).or_insert_with(|| {
                    notes.push(Note::Footnote {
                        label: label.to_string(),
                        refs: Vec::new(),
                    });
                    notes.len() - 1
                });
                if let Note::Footnote { refs, .. } = &mut notes[n] {
                    refs.push(ri as u32 + 1);
                }
            }
        }
    }
    notes
}

/// The note number of each footnote reference, in `footnote_refs` order.
fn footnote_numbers(body: &Body, notes: &[Note]) -> Vec<u32> {
    body.footnote_refs
        .iter()
        .map(|(_, label)| {
            notes
                .iter()
                .position(|n| matches!(n, Note::Footnote { label: l, .. } if l == label))
                .map_or(0, |i| i as u32 + 1)
        })
        .collect()
}

fn with_anchor_help(d: Diagnostic, f: &str, anchors: &HashSet<String>) -> Diagnostic {
    match did_you_mean(f, anchors.iter().map(String::as_str)) {
        Some(best) => d.with_help(format!("did you mean `#{best}`?")),
        None if f.starts_with('p') => d.with_help(format!(
            "that page has {} numbered paragraphs",
            anchors
                .iter()
                .filter(|a| a.starts_with('p') && a[1..].parse::<u32>().is_ok())
                .count()
        )),
        None => d,
    }
}

/// `../02-b.md` from `pages/x.md` → `02-b.md`; `None` if it leaves `content/`.
fn join_relative(from_rel: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_rel.split('/').collect();
    parts.pop();
    let path = path.strip_prefix("./").unwrap_or(path);
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Why a slug is unsafe as a folder name, if it is.
pub fn unsafe_slug(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        return Some("it is empty");
    }
    if slug.contains('\0') {
        return Some("it contains a NUL character");
    }
    if slug.contains(['/', '\\']) {
        return Some("it contains a path separator");
    }
    if slug == "." || slug == ".." || slug.contains("..") {
        return Some("it names a parent folder");
    }
    if slug.len() >= 2 && slug.as_bytes()[1] == b':' {
        return Some("it starts with a drive letter");
    }
    let stem = slug.split('.').next().unwrap_or(slug).to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str())
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        return Some("it is a reserved device name on Windows");
    }
    if slug.starts_with('.') {
        return Some("it starts with a dot (a hidden folder)");
    }
    if !slug
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Some("it contains characters other than letters, digits, `-`, `_` and `.`");
    }
    None
}

/// A valid ID close to `s`, for help messages.
fn suggested_id(s: &str) -> String {
    let mut out = String::new();
    for c in s.nfkd().filter(|c| c.is_ascii()) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_end_matches('-');
    if t.is_empty() {
        "item".into()
    } else {
        t.into()
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a real month and day.
pub fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => num(y, 4).is_some(),
        [y, m] => num(y, 4).is_some() && num(m, 2).is_some_and(|m| (1..=12).contains(&m)),
        [y, m, d] => {
            let (Some(y), Some(m), Some(d)) = (num(y, 4), num(m, 2), num(d, 2)) else {
                return false;
            };
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1]
        }
        _ => false,
    }
}

/// "Ryan Crocker" sorts as "Crocker, Ryan".
fn default_sort_key(name: &str) -> String {
    match name.rsplit_once(' ') {
        Some((first, last)) => format!("{last}, {first}"),
        None => name.to_string(),
    }
}

/// The sentence of `text` that holds the character range `chars`.
pub fn sentence_around(text: &str, chars: Range<usize>) -> String {
    // Byte positions, found without copying the paragraph: this runs once per
    // mention, and an edition can have hundreds of thousands.
    let byte_of = |n: usize| text.char_indices().nth(n).map_or(text.len(), |(b, _)| b);
    let (from, to) = (byte_of(chars.start), byte_of(chars.end));
    let start = text[..from]
        .char_indices()
        .rev()
        .find(|&(i, _)| ends_sentence(text, i))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[to..]
        .char_indices()
        .find(|&(i, _)| ends_sentence(text, to + i))
        .map_or(text.len(), |(i, c)| to + i + c.len_utf8());
    let sentence = text[start..end].trim();
    if sentence.chars().count() > 400 {
        let start_chars = text[..start].chars().count();
        let local_start = chars.start.saturating_sub(start_chars).saturating_sub(150);
        let s: String = sentence.chars().skip(local_start).take(320).collect();
        return format!("…{}…", s.trim());
    }
    sentence.to_string()
}

/// Whether the character at byte `i` ends a sentence: . ? ! (and closing
/// quotes) followed by a space and a capital, unless the word is an initial
/// or an abbreviation (U.S.).
fn ends_sentence(text: &str, i: usize) -> bool {
    let rest = &text[i..];
    if !rest.starts_with(['.', '?', '!']) {
        return false;
    }
    let after = rest[1..].trim_start_matches(['"', '”', '’', '\'', ')']);
    let Some(next) = after.strip_prefix(' ') else {
        return false;
    };
    if !next
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || matches!(c, '“' | '"'))
    {
        return false;
    }
    let word = &text[text[..i].rfind(' ').map_or(0, |p| p + 1)..i];
    !(word.chars().count() <= 1 || word.contains('.'))
}

fn yaml_split_of(origin: &Origin) -> frontmatter::Split {
    frontmatter::split(&origin.source).unwrap_or(frontmatter::Split {
        yaml: 0..0,
        body: 0..0,
    })
}

/// The file position of a spanned YAML value.
fn spanned_origin<T>(
    source: &Arc<SourceText>,
    split: &frontmatter::Split,
    v: &Spanned<T>,
) -> Origin {
    let loc = v.referenced;
    let at = frontmatter::offset_in_file(source, split, loc.line() as usize, loc.column() as usize);
    let end = source.text[at..]
        .find('\n')
        .map_or(source.text.len(), |i| at + i);
    Origin {
        source: Arc::clone(source),
        span: at..end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real() {
        assert!(valid_date("2020"));
        assert!(valid_date("2020-02"));
        assert!(valid_date("2020-02-29"));
        assert!(!valid_date("2019-02-29"));
        assert!(!valid_date("2020-13-45"));
        assert!(!valid_date("20-1-1"));
    }

    #[test]
    fn unsafe_slugs_are_refused() {
        for bad in [
            "../x", "a/b", "a\\b", "C:x", "CON", "nul.txt", "x\0", ".hidden", "a b",
        ] {
            assert!(unsafe_slug(bad).is_some(), "{bad:?} should be unsafe");
        }
        assert_eq!(unsafe_slug("01-intro"), None);
    }

    #[test]
    fn relative_paths_join_within_content() {
        assert_eq!(
            join_relative("pages/about.md", "../02-b.md").as_deref(),
            Some("02-b.md")
        );
        assert_eq!(
            join_relative("01-a.md", "./02-b.md").as_deref(),
            Some("02-b.md")
        );
        assert_eq!(join_relative("01-a.md", "../../x.md"), None);
    }

    /// The first, straightforward version, kept as the specification of
    /// the faster one.
    fn sentence_around_reference(text: &str, chars: Range<usize>) -> String {
        let chars_vec: Vec<char> = text.chars().collect();
        let is_end = |i: usize| -> bool {
            // A sentence ends at . ? ! (and closing quotes) followed by a space and
            // a capital, unless the word is an initial or an abbreviation (U.S.).
            let c = chars_vec[i];
            if !matches!(c, '.' | '?' | '!') {
                return false;
            }
            let mut j = i + 1;
            while j < chars_vec.len() && matches!(chars_vec[j], '"' | '”' | '’' | '\'' | ')') {
                j += 1;
            }
            if j >= chars_vec.len() || chars_vec[j] != ' ' {
                return false;
            }
            if !chars_vec
                .get(j + 1)
                .is_some_and(|c| c.is_uppercase() || matches!(c, '“' | '"'))
            {
                return false;
            }
            let word_start = chars_vec[..i]
                .iter()
                .rposition(|c| *c == ' ')
                .map_or(0, |p| p + 1);
            let word = &chars_vec[word_start..i];
            !(word.len() <= 1 || word.contains(&'.'))
        };
        let start = (0..chars.start.min(chars_vec.len()))
            .rev()
            .find(|&i| is_end(i))
            .map_or(0, |i| i + 1);
        let end = (chars.end.min(chars_vec.len())..chars_vec.len())
            .find(|&i| is_end(i))
            .map_or(chars_vec.len(), |i| i + 1);
        let sentence: String = chars_vec[start..end]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        if sentence.chars().count() > 400 {
            let local_start = chars.start.saturating_sub(start).saturating_sub(150);
            let s: String = sentence.chars().skip(local_start).take(320).collect();
            return format!("…{}…", s.trim());
        }
        sentence
    }

    proptest::proptest! {
        #[test]
        fn sentence_around_matches_its_specification(
            text in "[A-Za-z .?!”’\"')“éU]{0,900}",
            a in 0usize..950,
            len in 0usize..8,
        ) {
            let n = text.chars().count();
            let start = a.min(n);
            let end = (start + len).min(n);
            proptest::prop_assert_eq!(
                sentence_around(&text, start..end),
                sentence_around_reference(&text, start..end)
            );
        }
    }

    #[test]
    fn sentence_around_skips_initials_and_abbreviations() {
        let text = "It began. Then James F. Dobbins met U.S. diplomats in Bonn. Later, more.";
        let start = text.find("Dobbins").unwrap();
        let s = sentence_around(text, start..start + 7);
        assert_eq!(s, "Then James F. Dobbins met U.S. diplomats in Bonn.");
    }
}
