//! Render stage: what the site's files are, as data: the pages and the
//! search index's files, their paths, and the order they are rendered in.

use crate::model::{Edition, EntityKind, EntityRef};
use crate::render::{RenderOptions, search};
use crate::site_paths;

/// Every page of the site, as data: what to render, not how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageSpec {
    Index,
    Part(usize),
    Section(usize),
    Page(usize),
    KindIndex(EntityKind),
    Entity(EntityRef),
    Search,
    Timeline,
    NotFound,
}

impl PageSpec {
    /// The page's path inside the site folder.
    pub fn path(self, e: &Edition) -> String {
        match self {
            PageSpec::Index => site_paths::INDEX.into(),
            PageSpec::Part(i) => e.part_url(i),
            PageSpec::Section(i) => e.section_url(i),
            PageSpec::Page(i) => e.page_url(i),
            PageSpec::KindIndex(k) => site_paths::kind_index(k),
            PageSpec::Entity(r) => e.entity_url(r),
            PageSpec::Search => site_paths::SEARCH.into(),
            PageSpec::Timeline => site_paths::TIMELINE.into(),
            PageSpec::NotFound => site_paths::NOT_FOUND.into(),
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
            FileSpec::SearchIndex => site_paths::SEARCH_INDEX.into(),
            FileSpec::SearchShard(n) => site_paths::shard(n),
        }
    }
}

/// All pages of the edition, in a stable order.
pub fn page_specs(e: &Edition, opts: &RenderOptions) -> Vec<PageSpec> {
    let mut specs = vec![PageSpec::Index, PageSpec::NotFound];
    specs.extend((0..e.parts.len()).map(PageSpec::Part));
    specs.extend((0..e.sections.len()).map(PageSpec::Section));
    specs.extend((0..e.pages.len()).map(PageSpec::Page));
    specs.extend(listed_kinds(e).map(PageSpec::KindIndex));
    specs.extend(e.entities().map(PageSpec::Entity));
    if !opts.without_search {
        specs.push(PageSpec::Search);
    }
    specs.push(PageSpec::Timeline);
    specs
}

/// The theme's script of the search page, left out with the search.
const SEARCH_SCRIPT: &str = "search.js";

/// Whether the theme's static file `rel` is copied: all are, but the search
/// page's script without the search.
pub fn theme_file_wanted(rel: &str, opts: &RenderOptions) -> bool {
    !(opts.without_search && rel == SEARCH_SCRIPT)
}

/// The kinds the edition has entities of, in list order: each has an index
/// page and a link in the navigation; a kind with none has neither.
pub fn listed_kinds(e: &Edition) -> impl Iterator<Item = EntityKind> + '_ {
    EntityKind::ALL.into_iter().filter(|&k| e.count(k) > 0)
}

/// All files rendered from the model, in a stable order: the pages, then
/// the search index.
pub fn file_specs(e: &Edition, opts: &RenderOptions) -> Vec<FileSpec> {
    let pages = page_specs(e, opts).into_iter().map(FileSpec::Page);
    let mut specs: Vec<FileSpec> = pages.collect();
    if !opts.without_search {
        specs.push(FileSpec::SearchIndex);
        specs.extend((1..=search::shard_count(e)).map(FileSpec::SearchShard));
    }
    specs
}

/// The order to render `specs` in (indices into it): the files that may
/// show a source as the style formats it (the parts, for their margin notes
/// and glossaries, and the sources' own pages) after all the others, so the
/// formatting, which runs alone beside the first files, is done before a
/// page has to wait for it.
pub(super) fn citing_last(e: &Edition, specs: &[FileSpec]) -> Vec<usize> {
    let cites = |s: &FileSpec| match s {
        FileSpec::Page(PageSpec::Part(_)) => true,
        FileSpec::Page(PageSpec::KindIndex(k)) => *k == EntityKind::Source,
        FileSpec::Page(PageSpec::Entity(r)) => r.kind == EntityKind::Source,
        _ => false,
    };
    let mut order: Vec<usize> = (0..specs.len()).collect();
    if !e.sources.is_empty() {
        order.sort_by_key(|&i| cites(&specs[i]));
    }
    order
}
