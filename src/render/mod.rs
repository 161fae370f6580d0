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
mod html;
pub mod images;
pub mod jsonld;
pub mod notes;
mod pages;
pub mod search;
mod specs;
pub mod timeline;
pub mod views;

use specs::citing_last;
pub use specs::{FileSpec, PageSpec, file_specs, listed_kinds, page_specs, theme_file_wanted};

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic};
use crate::drafts::Drafts;
use crate::files::Files;
use crate::model::*;
use crate::site_paths;
use crate::theme::{Theme, template_error};
use body::BodyContext;
use notes::ShortTexts;
use timeline::TimelineView;
use views::*;

use html::{backlinks, capitalize, context_html};
pub use html::{esc, neutralize_controls};

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
    /// Also write `annotations.jsonld`, whose selectors point into the text
    /// of the part pages (`--web-annotations`, or `web_annotations = true`).
    pub web_annotations: bool,
    /// Leave out the search page, its index scripts and the search box
    /// (`[search] enabled = false`).
    pub without_search: bool,
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

/// What every page render shares: computed once per build.
pub struct Renderer<'a> {
    pub edition: &'a Edition,
    pub theme: &'a Theme,
    pub options: &'a RenderOptions,
    pub short: ShortTexts,
    /// The sources as the style formats them, made on first use (see
    /// [`Renderer::citations`]).
    citations: body::CitationsCell,
    /// How the ¶ menu cites a paragraph, made on first use (see
    /// [`Renderer::paragraph_citation`]).
    paragraph_citation: std::sync::OnceLock<String>,
    /// The files copied from `content/`; none unless [`Renderer::with_files`].
    pub files: &'a Files,
    /// The drafts shown, whose pages are marked; none unless
    /// [`Renderer::with_drafts`].
    pub drafts: &'a Drafts,
}

/// No copied files: what a renderer knows until told.
static NO_FILES: Files = Files::EMPTY;
/// No drafts shown.
static NO_DRAFTS: Drafts = Drafts::NONE;

impl<'a> Renderer<'a> {
    pub fn new(edition: &'a Edition, theme: &'a Theme, options: &'a RenderOptions) -> Self {
        Renderer {
            edition,
            theme,
            options,
            short: ShortTexts::new(edition),
            citations: body::CitationsCell::new(),
            paragraph_citation: std::sync::OnceLock::new(),
            files: &NO_FILES,
            drafts: &NO_DRAFTS,
        }
    }

    /// The sources formatted in the edition's style. The sources' pages,
    /// their index and the margin notes and glossaries of parts that mention
    /// a source show them, so they are formatted when the first of those
    /// asks, or earlier, as a task of its own beside the first pages
    /// (`build` does this, and renders the parts last): formatting runs alone
    /// on one thread, and a page that asks meanwhile waits for it. Formatting
    /// uses no rayon task, so that wait cannot hold up the formatting.
    pub fn citations(&self) -> &citations::Citations {
        self.citations
            .get_or_init(|| citations::Citations::new(self.edition))
    }

    /// A paragraph's citation in the edition's style, with marks for the
    /// part's title, the paragraph's address and its number
    /// ([`citations::paragraph_citation`]).
    pub fn paragraph_citation(&self) -> &str {
        self.paragraph_citation
            .get_or_init(|| citations::paragraph_citation(self.edition))
    }

    /// The drafts shown, which their pages mark.
    pub fn with_drafts(self, drafts: &'a Drafts) -> Self {
        Renderer { drafts, ..self }
    }

    /// The files copied from `content/`, which images and links point at.
    pub fn with_files(self, files: &'a Files) -> Self {
        Renderer { files, ..self }
    }

    /// Renders every file and copies the theme's static files.
    pub fn render_all(&self) -> (Vec<OutFile>, Vec<Diagnostic>) {
        let specs = file_specs(self.edition, self.options);
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
        let specs = file_specs(self.edition, self.options);
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
        let order = citing_last(self.edition, &specs);
        let rendered: Vec<Vec<Diagnostic>> = order
            .par_iter()
            .map(|&i| {
                if stop.load(Ordering::Relaxed) {
                    return Vec::new();
                }
                let (file, mut diags) = self.render_isolated(specs[i]);
                if let Some(f) = file {
                    deliver(f, &mut diags);
                }
                diags
            })
            .collect();
        let mut per_page = vec![Vec::new(); specs.len()];
        for (&i, diags) in order.iter().zip(rendered) {
            per_page[i] = diags;
        }
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
            .filter(|(p, _)| theme_file_wanted(p, self.options))
            .map(|(p, b)| OutFile {
                path: site_paths::static_file(p),
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
                vec![
                    Diagnostic::error(format!(
                        "internal error while rendering {}: this is a bug in glossator",
                        spec.path(self.edition)
                    ))
                    .with_code(Code::InternalError),
                ],
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
            PageSpec::Section(i) => {
                let (view, ds) = self.section_view(i, &root);
                diags.extend(ds);
                self.template("section.html", &view)
            }
            PageSpec::Page(i) => self.template("page.html", &self.page_view(i, &root)),
            PageSpec::KindIndex(k) => self.template(
                &format!("{}.html", k.folder()),
                &self.kind_index_view(k, &root),
            ),
            PageSpec::Entity(r) => self.template(
                &format!("{}.html", r.kind.name()),
                &self.entity_view(r, &root),
            ),
            PageSpec::Search => self.template(
                "search.html",
                &SearchView {
                    site: self.site(spec, &root, Some(site_paths::SEARCH)),
                    index_url: format!("{root}{}", site_paths::SEARCH_INDEX),
                },
            ),
            PageSpec::Timeline => {
                let years = timeline::timeline_years(self.edition, &root);
                self.template(
                    "timeline.html",
                    &TimelineView {
                        site: self.site(spec, &root, Some(site_paths::TIMELINE)),
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
        let mut nav = vec![nav_item("Contents", site_paths::INDEX)];
        for k in listed_kinds(self.edition) {
            nav.push(nav_item(k.plural_title(), &site_paths::kind_index(k)));
        }
        nav.push(nav_item("Timeline", site_paths::TIMELINE));
        SiteView {
            title: &m.title,
            subtitle: m.subtitle.as_deref(),
            author: m.author.as_deref(),
            editor: m.editor.as_deref(),
            language: &m.language,
            license: m.license.as_deref(),
            root: root.to_string(),
            canonical: base.map(|b| site_paths::absolute(b, &path)),
            head_html: jsonld::head_html(self.edition, spec, &jsonld::Urls { root, base }),
            base_url: base,
            nav,
            search_url: (!self.options.without_search)
                .then(|| format!("{root}{}", site_paths::SEARCH)),
            assets: Assets {
                styles: self
                    .stylesheets()
                    .map(|p| format!("{root}{}", site_paths::static_file(p)))
                    .collect(),
                scripts: self
                    .theme
                    .static_files
                    .keys()
                    .filter(|p| p.ends_with(".js") && theme_file_wanted(p, self.options))
                    .map(|p| format!("{root}{}", site_paths::static_file(p)))
                    .collect(),
            },
            generator: concat!("glossator ", env!("CARGO_PKG_VERSION")),
            draft: self.drafts.marks(self.edition, spec),
        }
    }

    /// The theme's stylesheets, the default theme's `style.css` first: a
    /// stylesheet a theme adds loads after it, so it can override it.
    fn stylesheets(&self) -> impl Iterator<Item = &str> {
        let css = || {
            (self.theme.static_files.keys())
                .map(String::as_str)
                .filter(|p| p.ends_with(".css"))
        };
        css()
            .filter(|p| *p == "style.css")
            .chain(css().filter(|p| *p != "style.css"))
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
            citations: &self.citations,
            files: self.files,
            with_ids: true,
            mention_ids: true,
        };
        body::render(body, &ctx)
    }

    fn index_view(&self, root: &str) -> IndexView<'_> {
        let e = self.edition;
        let (preface_html, _) = self.body_html(&e.meta.preface, &e.meta.preface_links, None, root);
        IndexView {
            site: self.site(PageSpec::Index, root, Some(site_paths::INDEX)),
            cover: (e.meta.cover.as_ref()).and_then(|c| images::view(c, self.files, root)),
            preface_html,
            original: e.meta.original.as_ref().map(|o| OriginalView {
                title: o.title.as_deref(),
                outlet: o.outlet.as_deref(),
                date: o.date.as_ref().map(|d| d.0.as_str()),
                date_words: (o.date.as_ref())
                    .map(|d| crate::dates::in_words(&d.0, &e.meta.language)),
                url: o.url.as_deref(),
            }),
            toc: self.toc(&e.contents, root),
            nested: !e.sections.is_empty(),
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
                places: e.places.len(),
                organisations: e.organisations.len(),
                mentions: e.mentions.len(),
            },
        }
    }

    fn statuses(&self, count: impl Fn(ClaimStatus) -> usize) -> Vec<StatusView> {
        ClaimStatus::ALL
            .into_iter()
            .map(|s| StatusView {
                name: s.as_str(),
                symbol: s.symbol(),
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
}

pub use crate::site_paths::root_prefix;

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds the fixture edition in memory, up to the rendered files.
    fn fixture_edition() -> Edition {
        edition_of("basic")
    }

    fn edition_of(fixture: &str) -> Edition {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        let (files, _) = crate::load::load_content(&root);
        let (parsed, _) = crate::parse::parse_files(&files);
        crate::resolve::resolve(parsed)
            .0
            .expect("the fixture resolves")
    }

    /// The kind list is the one place a kind is defined: walking it, every
    /// kind must have an index page, templates, a front-matter schema, a
    /// JSON-LD type and entries in the search index.
    #[test]
    fn every_kind_in_the_list_has_pages_templates_a_schema_json_ld_and_search() {
        let editions = [edition_of("basic"), edition_of("places")];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let theme = crate::theme::load(&root, "default").expect("default theme");
        let required = crate::theme::required_templates();
        for kind in EntityKind::ALL {
            let e = (editions.iter())
                .find(|e| e.count(kind) > 0)
                .unwrap_or_else(|| panic!("no fixture has a {}", kind.name()));
            assert!(page_specs(e, &RenderOptions::default()).contains(&PageSpec::KindIndex(kind)));
            for template in [
                format!("{}.html", kind.folder()),
                format!("{}.html", kind.name()),
            ] {
                assert!(required.contains(&template), "{template} is not required");
                assert!(theme.sources.contains_key(&template), "no {template}");
            }
            let schema = crate::schema::front_matter(crate::kinds::FileKind::Entity(kind));
            assert!(
                schema["properties"]
                    .as_object()
                    .is_some_and(|p| !p.is_empty()),
                "no schema for {}",
                kind.name()
            );
            let r = EntityRef { kind, index: 0 };
            let urls = jsonld::Urls {
                root: "",
                base: None,
            };
            let node = jsonld::json_ld(e, PageSpec::Entity(r), &urls, "");
            let expected = match kind {
                EntityKind::Source => jsonld::source_type(e.sources[0].kind),
                _ => kind.info().json_ld_type,
            };
            assert_eq!(node["@type"], expected, "{}", kind.name());
            let entry = String::from_utf8(search::Entry::new(e).script()).unwrap();
            let name = search_json(e.entity_name(r));
            let needle = format!("[\"{}\",{name}", kind.name());
            assert!(entry.contains(&needle), "no search entry {needle}");
        }
    }

    fn search_json(s: &str) -> String {
        serde_json::to_string(s).unwrap()
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
    fn every_name_at_the_top_of_the_site_is_a_part_or_reserved() {
        let edition = fixture_edition();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let theme = crate::theme::load(&root, "default").expect("default theme");
        let options = RenderOptions {
            base_url: Some("https://example.org/".into()),
            epub: true,
            tei: true,
            web_annotations: true,
            without_search: false,
        };
        let (mut files, _) = Renderer::new(&edition, &theme, &options).render_all();
        files.extend(crate::export::files(&edition, &options, &Files::EMPTY).0);
        let reserved = site_paths::reserved();
        let parts: Vec<&str> = edition.parts.iter().map(|p| p.slug.as_str()).collect();
        let stem = crate::export::epub::file_stem(&edition);
        let (book, tei) = (site_paths::epub(&stem), site_paths::tei(&stem));
        for f in &files {
            let top = site_paths::top_level(&f.path);
            // The book and the TEI are named after the edition's title, which
            // no slug can foresee; they are the files with names of their own.
            if f.path == book || f.path == tei {
                continue;
            }
            assert!(
                parts.contains(&top) || reserved.contains(&top),
                "{} is neither a part nor reserved",
                f.path
            );
        }
        assert!(files.iter().any(|f| f.path == site_paths::SITEMAP));
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
}
