//! Render stage: the resolved [`Edition`] becomes the site's files in memory.
//!
//! The site is a list of [`FileSpec`]s: the pages ([`PageSpec`]s) and the
//! search index's scripts. Each is rendered on its own (in parallel, a panic
//! caught per file); a page from a typed view and the theme's templates.
//! Nothing here touches the disk: `write` does.

pub mod body;
pub mod citations;
pub mod deps;
pub mod highlight;
pub mod highwire;
pub mod jsonld;
pub mod notes;
pub mod search;
pub mod timeline;
pub mod views;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::theme::{Theme, template_error};
use body::BodyContext;
use notes::ShortTexts;
use timeline::{TIMELINE_PATH, TimelineView};
use views::*;

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// The public URL of the site: canonical links, Open Graph URLs and the
    /// sitemap. Links between pages stay relative either way.
    pub base_url: Option<String>,
    /// Also render the edition as an EPUB book, `SLUG.epub`.
    pub epub: bool,
    /// Also write the edition as TEI P5, `SLUG.tei.xml` (or `tei: true` in
    /// `_index.md`).
    pub tei: bool,
}

/// One file of the output, by its path inside the site folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What [`Renderer::render_each`] did.
#[derive(Debug, Default)]
pub struct RenderedEach {
    /// HTML files handed to the sink.
    pub pages: usize,
    /// All files handed to the sink.
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every page of the site, as data: what to render, not how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageSpec {
    Index,
    Part(usize),
    Page(usize),
    KindIndex(Kind),
    Entity(EntityRef),
    Search,
    Timeline,
    NotFound,
}

impl PageSpec {
    /// The page's path inside the site folder.
    pub fn path(self, e: &Edition) -> String {
        match self {
            PageSpec::Index => "index.html".into(),
            PageSpec::Part(i) => e.part_url(i),
            PageSpec::Page(i) => e.page_url(i),
            PageSpec::KindIndex(k) => format!("{}/index.html", k.folder()),
            PageSpec::Entity(r) => e.entity_url(r),
            PageSpec::Search => SEARCH_PATH.into(),
            PageSpec::Timeline => TIMELINE_PATH.into(),
            PageSpec::NotFound => "404.html".into(),
        }
    }
}

/// Every file rendered from the model: the pages, and the search index's
/// entry and text shards (scripts, not pages; see [`search`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileSpec {
    Page(PageSpec),
    SearchIndex,
    /// Text shard number `n`, from 1.
    SearchShard(usize),
}

impl FileSpec {
    /// The file's path inside the site folder.
    pub fn path(self, e: &Edition) -> String {
        match self {
            FileSpec::Page(p) => p.path(e),
            FileSpec::SearchIndex => search::INDEX_PATH.into(),
            FileSpec::SearchShard(n) => search::shard_path(n),
        }
    }
}

/// All pages of the edition, in a stable order.
pub fn page_specs(e: &Edition) -> Vec<PageSpec> {
    let mut specs = vec![PageSpec::Index, PageSpec::NotFound];
    specs.extend((0..e.parts.len()).map(PageSpec::Part));
    specs.extend((0..e.pages.len()).map(PageSpec::Page));
    specs.extend(Kind::ALL.map(PageSpec::KindIndex));
    specs.extend(e.entities().map(PageSpec::Entity));
    specs.extend([PageSpec::Search, PageSpec::Timeline]);
    specs
}

/// All files rendered from the model, in a stable order: the pages, then
/// the search index.
pub fn file_specs(e: &Edition) -> Vec<FileSpec> {
    let mut specs: Vec<FileSpec> = page_specs(e).into_iter().map(FileSpec::Page).collect();
    specs.push(FileSpec::SearchIndex);
    specs.extend((1..=search::shard_count(e)).map(FileSpec::SearchShard));
    specs
}

/// What every page render shares: computed once per build.
pub struct Renderer<'a> {
    pub edition: &'a Edition,
    pub theme: &'a Theme,
    pub options: &'a RenderOptions,
    pub short: ShortTexts,
    pub citations: std::sync::Arc<citations::Citations>,
}

impl<'a> Renderer<'a> {
    pub fn new(edition: &'a Edition, theme: &'a Theme, options: &'a RenderOptions) -> Self {
        Renderer {
            edition,
            theme,
            options,
            short: ShortTexts::new(edition),
            citations: citations::Citations::new(edition),
        }
    }

    /// Renders every file and copies the theme's static files.
    pub fn render_all(&self) -> (Vec<OutFile>, Vec<Diagnostic>) {
        let specs = file_specs(self.edition);
        let results: Vec<(Option<OutFile>, Vec<Diagnostic>)> =
            specs.par_iter().map(|&s| self.render_isolated(s)).collect();
        let mut files = Vec::with_capacity(results.len() + self.theme.static_files.len());
        let mut diags = Vec::new();
        for (f, ds) in results {
            files.extend(f);
            diags.extend(ds);
        }
        files.extend(self.static_files());
        (files, diags)
    }

    /// Renders every file and copies the theme's static files, handing each
    /// file to `sink` as soon as it is made, in parallel, so the site is never
    /// whole in memory. After a sink error no more files are rendered.
    /// Diagnostics come back in file order, as from [`render_all`](Self::render_all).
    pub fn render_each(
        &self,
        sink: impl Fn(OutFile) -> Result<(), Diagnostic> + Sync,
    ) -> RenderedEach {
        let specs = file_specs(self.edition);
        let stop = AtomicBool::new(false);
        let pages = AtomicUsize::new(0);
        let files = AtomicUsize::new(0);
        let deliver = |f: OutFile, diags: &mut Vec<Diagnostic>| {
            let html = f.path.ends_with(".html");
            match sink(f) {
                Ok(()) => {
                    files.fetch_add(1, Ordering::Relaxed);
                    pages.fetch_add(usize::from(html), Ordering::Relaxed);
                }
                Err(d) => {
                    stop.store(true, Ordering::Relaxed);
                    diags.push(d);
                }
            }
        };
        let per_page: Vec<Vec<Diagnostic>> = specs
            .par_iter()
            .map(|&s| {
                if stop.load(Ordering::Relaxed) {
                    return Vec::new();
                }
                let (file, mut diags) = self.render_isolated(s);
                if let Some(f) = file {
                    deliver(f, &mut diags);
                }
                diags
            })
            .collect();
        let mut diagnostics: Vec<Diagnostic> = per_page.into_iter().flatten().collect();
        for f in self.static_files() {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            deliver(f, &mut diagnostics);
        }
        RenderedEach {
            pages: pages.into_inner(),
            files: files.into_inner(),
            diagnostics,
        }
    }

    /// The theme's static files, copied as they are. Cheap to make, so
    /// rebuilds remake them and compare bytes.
    pub fn static_files(&self) -> Vec<OutFile> {
        self.theme
            .static_files
            .iter()
            .map(|(p, b)| OutFile {
                path: format!("static/{p}"),
                bytes: b.clone(),
            })
            .collect()
    }

    /// A panic in one file becomes an error naming that file.
    pub fn render_isolated(&self, spec: FileSpec) -> (Option<OutFile>, Vec<Diagnostic>) {
        match catch_unwind(AssertUnwindSafe(|| self.render_file(spec))) {
            Ok(r) => r,
            Err(_) => (
                None,
                vec![Diagnostic::error(format!(
                    "internal error while rendering {}: this is a bug in glossator",
                    spec.path(self.edition)
                ))],
            ),
        }
    }

    /// A page from its view and template; a search-index script directly.
    pub fn render_file(&self, spec: FileSpec) -> (Option<OutFile>, Vec<Diagnostic>) {
        let e = self.edition;
        let bytes = match spec {
            FileSpec::Page(p) => return self.render_page(p),
            FileSpec::SearchIndex => search::Entry::new(e).script(),
            FileSpec::SearchShard(n) => search::Shard::new(e, n).script(),
        };
        let path = spec.path(e);
        (Some(OutFile { path, bytes }), Vec::new())
    }

    pub fn render_page(&self, spec: PageSpec) -> (Option<OutFile>, Vec<Diagnostic>) {
        let path = spec.path(self.edition);
        let root = root_prefix(&path);
        let mut diags = Vec::new();
        let result = match spec {
            PageSpec::Index => self.template("index.html", &self.index_view(&root)),
            PageSpec::Part(i) => {
                let (view, ds) = self.part_view(i, &root);
                diags.extend(ds);
                self.template("part.html", &view)
            }
            PageSpec::Page(i) => self.template("page.html", &self.page_view(i, &root)),
            PageSpec::KindIndex(k) => self.template(
                &format!("{}.html", k.folder()),
                &self.kind_index_view(k, &root),
            ),
            PageSpec::Entity(r) => self.template(
                &format!("{}.html", r.kind.prefix()),
                &self.entity_view(r, &root),
            ),
            PageSpec::Search => self.template(
                "search.html",
                &SearchView {
                    site: self.site(spec, &root, Some(SEARCH_PATH)),
                    index_url: format!("{root}{}", search::INDEX_PATH),
                },
            ),
            PageSpec::Timeline => {
                let years = timeline::timeline_years(self.edition, &root);
                self.template(
                    "timeline.html",
                    &TimelineView {
                        site: self.site(spec, &root, Some(TIMELINE_PATH)),
                        total: years.iter().map(|y| y.entries.len()).sum(),
                        years,
                    },
                )
            }
            PageSpec::NotFound => self.template(
                "404.html",
                &NotFoundView {
                    site: self.site(PageSpec::NotFound, &root, None),
                },
            ),
        };
        match result {
            Ok(html) => (
                Some(OutFile {
                    path,
                    bytes: neutralize_controls(html).into_bytes(),
                }),
                diags,
            ),
            Err(d) => {
                diags.push(d);
                (None, diags)
            }
        }
    }

    fn template<T: Serialize>(&self, name: &str, view: &T) -> Result<String, Diagnostic> {
        let context = tera::Context::from_serialize(view)
            .map_err(|e| template_error(&e, &self.theme.sources))?;
        self.theme
            .tera
            .render(name, &context)
            .map_err(|e| template_error(&e, &self.theme.sources))
    }

    fn site(&self, spec: PageSpec, root: &str, current: Option<&str>) -> SiteView<'a> {
        let m = &self.edition.meta;
        let path = spec.path(self.edition);
        let base = self.options.base_url.as_deref();
        let nav_item = |title: &'static str, target: &str| NavItem {
            title,
            url: format!("{root}{target}"),
            current: current == Some(target),
        };
        let mut nav = vec![nav_item("Contents", "index.html")];
        for k in Kind::ALL {
            nav.push(nav_item(
                k.plural_title(),
                &format!("{}/index.html", k.folder()),
            ));
        }
        nav.push(nav_item("Timeline", TIMELINE_PATH));
        SiteView {
            title: &m.title,
            subtitle: m.subtitle.as_deref(),
            author: m.author.as_deref(),
            editor: m.editor.as_deref(),
            language: &m.language,
            license: m.license.as_deref(),
            root: root.to_string(),
            canonical: base.map(|b| jsonld::absolute(b, &path)),
            head_html: jsonld::head_html(self.edition, spec, &jsonld::Urls { root, base }),
            base_url: base,
            nav,
            search_url: format!("{root}{SEARCH_PATH}"),
            assets: Assets {
                styles: self
                    .theme
                    .static_files
                    .keys()
                    .filter(|p| p.ends_with(".css"))
                    .map(|p| format!("{root}static/{p}"))
                    .collect(),
                scripts: self
                    .theme
                    .static_files
                    .keys()
                    .filter(|p| p.ends_with(".js"))
                    .map(|p| format!("{root}static/{p}"))
                    .collect(),
            },
            generator: concat!("glossator ", env!("CARGO_PKG_VERSION")),
        }
    }

    fn body_html(
        &self,
        body: &crate::markdown::Body,
        links: &[LinkResolution],
        part: Option<&Part>,
        root: &str,
    ) -> (String, Vec<Diagnostic>) {
        let ctx = BodyContext {
            edition: self.edition,
            root,
            links,
            part,
            short: &self.short,
            with_ids: true,
            mention_ids: true,
        };
        body::render(body, &ctx)
    }

    fn index_view(&self, root: &str) -> IndexView<'_> {
        let e = self.edition;
        let (preface_html, _) = self.body_html(&e.meta.preface, &e.meta.preface_links, None, root);
        IndexView {
            site: self.site(PageSpec::Index, root, Some("index.html")),
            preface_html,
            original: e.meta.original.as_ref().map(|o| OriginalView {
                title: o.title.as_deref(),
                outlet: o.outlet.as_deref(),
                date: o.date.as_ref().map(|d| d.0.as_str()),
                url: o.url.as_deref(),
            }),
            toc: e
                .parts
                .iter()
                .enumerate()
                .map(|(i, p)| TocEntry {
                    number: i + 1,
                    title: &p.title,
                    summary: p.summary.as_deref(),
                    url: format!("{root}{}", e.part_url(i)),
                })
                .collect(),
            pages: e
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| LinkView {
                    title: &p.title,
                    url: format!("{root}{}", e.page_url(i)),
                })
                .collect(),
            counts: Counts {
                parts: e.parts.len(),
                people: e.people.len(),
                sources: e.sources.len(),
                claims: e.claims.len(),
                terms: e.terms.len(),
                mentions: e.mentions.len(),
            },
        }
    }

    fn part_view(&self, i: usize, root: &str) -> (PartView<'_>, Vec<Diagnostic>) {
        let e = self.edition;
        let part = &e.parts[i];
        let (body_html, diags) = self.body_html(&part.body, &part.links, Some(part), root);
        let link = |j: usize| LinkView {
            title: &e.parts[j].title,
            url: format!("{root}{}", e.part_url(j)),
        };
        let view = PartView {
            site: self.site(PageSpec::Part(i), root, None),
            number: i + 1,
            total: e.parts.len(),
            title: &part.title,
            slug: &part.slug,
            summary: part.summary.as_deref(),
            body_html,
            glossary: self.glossary(part, root),
            headings: part
                .body
                .headings
                .iter()
                .map(|h| HeadingView {
                    level: h.level,
                    id: &h.id,
                    text: &h.text,
                })
                .collect(),
            prev: i.checked_sub(1).map(link),
            next: (i + 1 < e.parts.len()).then(|| link(i + 1)),
            menu: parts_menu(i, e.parts.len())
                .into_iter()
                .map(|(j, gap_before)| MenuEntry {
                    number: j + 1,
                    title: &e.parts[j].title,
                    url: format!("{root}{}", e.part_url(j)),
                    gap_before,
                })
                .collect(),
            menu_is_partial: e.parts.len() > PARTS_MENU_ALL,
            statuses: self.statuses(|s| {
                e.mentions[part.mentions.clone()]
                    .iter()
                    .filter(|m| {
                        m.entity.kind == Kind::Claim
                            && e.claims[m.entity.index as usize].status == s
                    })
                    .count()
            }),
        };
        (view, diags)
    }

    fn glossary(&self, part: &'a Part, root: &str) -> Vec<GlossaryEntry<'a>> {
        let e = self.edition;
        // Parsed once for all the part's footnotes, and only if it has any.
        let parsed = std::cell::OnceCell::new();
        part.notes
            .iter()
            .enumerate()
            .map(|(n, note)| match note {
                Note::Entity { entity, mentions } => GlossaryEntry {
                    number: n + 1,
                    kind: entity.kind.prefix(),
                    name: e.entity_name(*entity),
                    url: Some(format!("{root}{}", e.entity_url(*entity))),
                    html: self.short.at(*entity, root),
                    status: (entity.kind == Kind::Claim)
                        .then(|| e.claims[entity.index as usize].status.as_str()),
                    backlinks: backlinks(mentions, "m"),
                },
                Note::Footnote { label, refs } => {
                    let ctx = BodyContext {
                        edition: e,
                        root,
                        links: &part.links,
                        part: Some(part),
                        short: &self.short,
                        with_ids: false,
                        mention_ids: true,
                    };
                    GlossaryEntry {
                        number: n + 1,
                        kind: "footnote",
                        name: label,
                        url: None,
                        html: body::render_footnote(
                            &part.body,
                            parsed.get_or_init(|| body::Parsed::new(&part.body)),
                            label,
                            &ctx,
                        ),
                        status: None,
                        backlinks: backlinks(refs, "fr"),
                    }
                }
            })
            .collect()
    }

    fn statuses(&self, count: impl Fn(ClaimStatus) -> usize) -> Vec<StatusView> {
        ClaimStatus::ALL
            .into_iter()
            .map(|s| StatusView {
                name: s.as_str(),
                symbol: status_symbol(s),
                explanation: s.explanation(),
                count: count(s),
            })
            .collect()
    }

    fn page_view(&self, i: usize, root: &str) -> PageView<'_> {
        let e = self.edition;
        let page = &e.pages[i];
        let (body_html, _) = self.body_html(&page.body, &page.links, None, root);
        PageView {
            site: self.site(PageSpec::Page(i), root, None),
            title: &page.title,
            summary: page.summary.as_deref(),
            body_html,
        }
    }

    fn kind_index_view(&self, kind: Kind, root: &str) -> KindIndexView<'_> {
        let e = self.edition;
        let entry = |r: EntityRef| IndexEntry {
            id: e.entity_id(r),
            name: e.entity_name(r),
            url: format!("{root}{}", e.entity_url(r)),
            short_html: self.short.at(r, root),
            mention_count: e.entity_mentions(r).len(),
            status: (r.kind == Kind::Claim).then(|| e.claims[r.index as usize].status.as_str()),
        };
        let refs = (0..e.count(kind) as u32).map(|index| EntityRef { kind, index });
        let groups = match kind {
            Kind::Claim => ClaimStatus::ALL
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
                Some(&format!("{}/index.html", kind.folder())),
            ),
            kind: kind.prefix(),
            title: kind.plural_title(),
            groups,
            total: e.count(kind),
            statuses: self.statuses(|s| e.claims.iter().filter(|c| c.status == s).count()),
            bibliography: self.bibliography(kind, root),
        }
    }

    /// The formatted sources, in the style's order, for the sources index.
    fn bibliography(&self, kind: Kind, root: &str) -> Vec<BibliographyEntry> {
        if kind != Kind::Source {
            return Vec::new();
        }
        let c = &self.citations;
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

    fn entity_view(&self, r: EntityRef, root: &str) -> EntityView<'_> {
        let e = self.edition;
        let i = r.index as usize;
        let claim_ref = |ci: &u32| {
            let c = &e.claims[*ci as usize];
            ClaimRef {
                text: &c.text,
                status: c.status.as_str(),
                url: format!("{root}claims/{}/index.html", c.id),
            }
        };
        let entity_link = |x: EntityRef| LinkView {
            title: e.entity_name(x),
            url: format!("{root}{}", e.entity_url(x)),
        };
        let (note_html, _) = self.body_html(e.entity_note(r), e.entity_note_links(r), None, root);
        let kind_url = format!("{root}{}/index.html", r.kind.folder());
        let mut view = EntityView {
            site: self.site(PageSpec::Entity(r), root, None),
            kind: r.kind.prefix(),
            kind_title: r.kind.plural_title(),
            kind_url: kind_url.clone(),
            id: e.entity_id(r),
            name: e.entity_name(r),
            short_html: self.short.at(r, root),
            note_html,
            breadcrumbs: vec![
                Crumb {
                    title: &e.meta.title,
                    url: format!("{root}index.html"),
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
            citation_html: String::new(),
        };
        let field = |label: &'static str, value: &str| Field {
            label,
            value: value.to_string(),
            url: None,
        };
        match r.kind {
            Kind::Person => {
                let p = &e.people[i];
                view.fields
                    .extend(p.born.as_deref().map(|v| field("Born", v)));
                view.fields
                    .extend(p.died.as_deref().map(|v| field("Died", v)));
                if !p.roles.is_empty() {
                    view.fields.push(field("Roles", &p.roles.join("; ")));
                }
                if !p.aliases.is_empty() {
                    view.fields
                        .push(field("Also called", &p.aliases.join(", ")));
                }
                view.claims_attributed = p.claims_attributed.iter().map(claim_ref).collect();
                view.claims_about = p.claims_about.iter().map(claim_ref).collect();
                view.sources_written = p
                    .sources_written
                    .iter()
                    .map(|&s| {
                        entity_link(EntityRef {
                            kind: Kind::Source,
                            index: s,
                        })
                    })
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
            }
            Kind::Source => {
                let s = &e.sources[i];
                view.fields
                    .extend(s.kind.map(|k| field("Kind", k.as_str())));
                view.fields
                    .extend(s.outlet.as_deref().map(|v| field("Outlet", v)));
                view.fields
                    .extend(s.date.as_ref().map(|d| field("Date", &d.0)));
                view.fields
                    .extend(s.note_field.as_deref().map(|v| field("Note", v)));
                if let Some(u) = &s.url {
                    view.links.push(LinkView {
                        title: "Read the source",
                        url: u.clone(),
                    });
                }
                view.claims_citing = s.cited_by.iter().map(claim_ref).collect();
                view.citation_html = self.citations.entry(r.index).to_string();
            }
            Kind::Claim => {
                let c = &e.claims[i];
                view.status = Some(StatusView {
                    name: c.status.as_str(),
                    symbol: status_symbol(c.status),
                    explanation: c.status.explanation(),
                    count: 1,
                });
                view.fields
                    .extend(c.date.as_ref().map(|d| field("Date", &d.0)));
                view.fields
                    .extend(c.note_field.as_deref().map(|v| field("Note", v)));
                view.claim_sources = c
                    .sources
                    .iter()
                    .map(|&s| {
                        let src = EntityRef {
                            kind: Kind::Source,
                            index: s,
                        };
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
                    .map(|&p| {
                        entity_link(EntityRef {
                            kind: Kind::Person,
                            index: p,
                        })
                    })
                    .collect();
                view.claim_about = c.about.iter().map(|&a| entity_link(a)).collect();
                view.claims_about = c.claims_about.iter().map(claim_ref).collect();
            }
            Kind::Term => {
                let t = &e.terms[i];
                view.fields
                    .extend(t.category.as_deref().map(|v| field("Category", v)));
                if !t.aliases.is_empty() {
                    view.fields
                        .push(field("Also called", &t.aliases.join(", ")));
                }
                view.claims_about = t.claims_about.iter().map(claim_ref).collect();
            }
        }
        view
    }

    /// "Mentioned in": an entity's mentions grouped by part, with context.
    fn mention_groups(&self, mentions: &[u32], root: &str) -> Vec<MentionGroup<'a>> {
        let e = self.edition;
        let mut groups: Vec<MentionGroup> = Vec::new();
        for &mi in mentions {
            let m = &e.mentions[mi as usize];
            let p = m.part as usize;
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

/// Where the search page goes inside the site folder.
pub const SEARCH_PATH: &str = "search/index.html";

/// `../` once per folder level of `path`.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn backlinks(anchors: &[u32], prefix: &str) -> Vec<Backlink> {
    anchors
        .iter()
        .enumerate()
        .map(|(i, a)| Backlink {
            href: format!("#{prefix}-{a}"),
            label: letter_label(i),
        })
        .collect()
}

/// a, b, …, z, aa, ab, …
fn letter_label(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'a' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII letters")
}

/// The sentence with the mention's words marked; everything escaped.
fn context_html(context: &str, text: &str) -> String {
    match context.find(text).filter(|_| !text.is_empty()) {
        Some(at) => format!(
            "{}<mark>{}</mark>{}",
            esc(&context[..at]),
            esc(text),
            esc(&context[at + text.len()..])
        ),
        None => esc(context),
    }
}

fn sort_key(e: &Edition, r: EntityRef) -> String {
    match r.kind {
        Kind::Person => e.people[r.index as usize].sort_as.to_lowercase(),
        _ => e
            .entity_name(r)
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase(),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// A symbol for each claim status, so status never rests on colour alone.
pub fn status_symbol(s: ClaimStatus) -> &'static str {
    match s {
        ClaimStatus::Sourced => "✓",
        ClaimStatus::Attributed => "❝",
        ClaimStatus::Disputed => "⚠",
        ClaimStatus::Unverified => "?",
        ClaimStatus::Assessment => "◆",
    }
}

/// Makes invisible and forbidden characters harmless in a finished page: NUL
/// and other C0 controls (not allowed in HTML) become U+FFFD, and
/// bidirectional controls and line/paragraph separators become numeric
/// references, so the page source shows them instead of hiding them.
pub fn neutralize_controls(html: String) -> String {
    if !may_need_neutralizing(html.as_bytes()) {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 16);
    for c in html.chars() {
        if !needs_neutralizing(c) {
            out.push(c);
        } else if (c as u32) < 0x80 || ('\u{80}'..='\u{9f}').contains(&c) {
            out.push('\u{FFFD}');
        } else {
            out.push_str(&format!("&#x{:X};", c as u32));
        }
    }
    out
}

fn needs_neutralizing(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// A fast byte scan for [`neutralize_controls`]: true when `b` holds a C0 or
/// C1 control other than tab and line ends, or a bidi control or line/paragraph
/// separator. Every output byte passes through here, so it first tests
/// 64-byte blocks without branches (the compiler vectorises it) for a byte
/// that can be part of such a character, and looks closer only at those
/// blocks: in text that has smart quotes and dashes, very few.
fn may_need_neutralizing(b: &[u8]) -> bool {
    const BLOCK: usize = 64;
    // A control itself, the lead byte of U+0080..=U+009F, or the last byte of
    // U+2028..=U+202E (E2 80 A8..AE) and U+2066..=U+2069 (E2 81 A6..A9).
    let suspect = |x: u8| {
        ((x < 0x20) & (x != b'\t') & (x != b'\n') & (x != b'\r'))
            | (x == 0x7F)
            | (x == 0xC2)
            | (0xA6..=0xAE).contains(&x)
    };
    b.chunks(BLOCK).enumerate().any(|(n, block)| {
        block.iter().fold(false, |any, &x| any | suspect(x)) && {
            // A sequence may start up to two bytes before its last byte.
            let start = (n * BLOCK).saturating_sub(2);
            exact_scan(b, start..n * BLOCK + block.len())
        }
    })
}

/// Whether a character [`neutralize_controls`] changes starts at an index in `range`.
fn exact_scan(b: &[u8], range: std::ops::Range<usize>) -> bool {
    range.into_iter().any(|i| match b[i] {
        b'\t' | b'\n' | b'\r' => false,
        0x00..=0x1F | 0x7F => true,
        // U+0080..=U+009F
        0xC2 => matches!(b.get(i + 1), Some(0x80..=0x9F)),
        // U+2028..=U+202E and U+2066..=U+2069
        0xE2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0xA8..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
        ),
        _ => false,
    })
}

/// HTML-escapes text for element content and quoted attribute values.
/// Up to this many parts, every part page lists them all (as mdBook does);
/// beyond it, a list on every page would make the site grow with the square
/// of the number of parts.
pub const PARTS_MENU_ALL: usize = 40;

/// Parts either side of the current one in a partial menu.
const PARTS_MENU_NEIGHBOURS: usize = 5;

/// The parts the menu of part `current` lists, in order, each with whether
/// parts are left out before it: all of them in a short edition; otherwise
/// the first, the last and the current one's neighbours.
pub fn parts_menu(current: usize, total: usize) -> Vec<(usize, bool)> {
    let mut shown: Vec<usize> = if total <= PARTS_MENU_ALL {
        (0..total).collect()
    } else {
        let near = current.saturating_sub(PARTS_MENU_NEIGHBOURS)
            ..=(current + PARTS_MENU_NEIGHBOURS).min(total - 1);
        [0, total - 1].into_iter().chain(near).collect()
    };
    shown.sort_unstable();
    shown.dedup();
    let gaps = std::iter::once(false).chain(shown.windows(2).map(|w| w[1] > w[0] + 1));
    shown.iter().copied().zip(gaps).collect()
}

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::parts_menu;

    #[test]
    fn a_long_edition_lists_a_window_of_parts_with_gaps() {
        assert_eq!(parts_menu(2, 5).len(), 5);
        let menu = parts_menu(500, 10_000);
        let numbers: Vec<usize> = menu.iter().map(|&(j, _)| j).collect();
        let mut expected = vec![0];
        expected.extend(495..=505);
        expected.push(9_999);
        assert_eq!(numbers, expected);
        let gaps: Vec<usize> = menu.iter().filter(|m| m.1).map(|m| m.0).collect();
        assert_eq!(gaps, [495, 9_999]);
        let start: Vec<usize> = parts_menu(0, 100).iter().map(|m| m.0).collect();
        assert_eq!(start, [0, 1, 2, 3, 4, 5, 99]);
    }

    use super::*;

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("01-a/index.html"), "../");
        assert_eq!(root_prefix("people/x/index.html"), "../../");
    }

    #[test]
    fn letter_labels_continue_past_z() {
        assert_eq!(letter_label(0), "a");
        assert_eq!(letter_label(25), "z");
        assert_eq!(letter_label(26), "aa");
    }

    /// Builds the fixture edition in memory, up to the rendered files.
    fn fixture_edition() -> Edition {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let (files, _) = crate::load::load_content(&root);
        let (parsed, _) = crate::parse::parse_files(&files);
        crate::resolve::resolve(parsed)
            .0
            .expect("the fixture resolves")
    }

    #[test]
    fn a_panic_in_one_page_becomes_an_error_and_the_others_still_render() {
        let edition = fixture_edition();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let mut theme = crate::theme::load(&root, "default").expect("default theme");
        theme
            .tera
            .register_function("explode", |_: tera::Kwargs, _: &tera::State| -> String {
                panic!("a template function blew up")
            });
        theme
            .tera
            .add_raw_template("term.html", "{{ explode() }}")
            .unwrap();
        let options = RenderOptions::default();
        let renderer = Renderer::new(&edition, &theme, &options);
        let (files, diags) = renderer.render_all();
        let errors: Vec<_> = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(
            errors,
            vec![
                "internal error while rendering terms/jcpoa/index.html: this is a bug in glossator"
            ]
        );
        assert!(files.iter().any(|f| f.path == "people/crocker/index.html"));
        assert!(!files.iter().any(|f| f.path == "terms/jcpoa/index.html"));
    }

    #[test]
    fn rendering_is_deterministic() {
        let edition = fixture_edition();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let theme = crate::theme::load(&root, "default").expect("default theme");
        let options = RenderOptions::default();
        let first = Renderer::new(&edition, &theme, &options).render_all().0;
        let second = Renderer::new(&edition, &theme, &options).render_all().0;
        assert_eq!(first, second);
    }

    #[test]
    fn the_byte_scan_agrees_with_the_char_test() {
        for cp in (0..0x3000u32).chain(0xFFF0..0x10000) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let s = format!("a{c}“b”");
            assert_eq!(
                may_need_neutralizing(s.as_bytes()),
                needs_neutralizing(c),
                "U+{cp:04X}"
            );
        }
    }

    #[test]
    fn the_byte_scan_finds_a_control_at_any_offset_and_nothing_in_clean_text() {
        let clean = "Smart “quotes”, ’apostrophes’ – dashes — and … ellipses, «guillemets» ©\n\t";
        let page = clean.repeat(20);
        assert!(!may_need_neutralizing(page.as_bytes()));
        for c in [
            '\u{0}', '\u{7F}', '\u{85}', '\u{2028}', '\u{202E}', '\u{2066}', '\u{2069}',
        ] {
            for at in 0..200 {
                let mut s = "x".repeat(at);
                s.push(c);
                s.push_str(&page);
                assert!(
                    may_need_neutralizing(s.as_bytes()),
                    "U+{:04X} at {at}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn controls_are_neutralized() {
        let out = neutralize_controls("a\0b\u{202E}c\u{2028}d\te".to_string());
        assert_eq!(out, "a\u{FFFD}b&#x202E;c&#x2028;d\te");
    }

    #[test]
    fn context_marks_the_mention_and_escapes() {
        assert_eq!(context_html("a <b> c", "<b>"), "a <mark>&lt;b&gt;</mark> c");
    }
}
