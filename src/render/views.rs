//! Render stage: the typed views templates see.
//!
//! Each page kind gets a small struct that borrows from the model and holds
//! only what that page shows; it is serialized into the template context once
//! per page. This is the theme contract: a field renamed here is a change for
//! every theme (the snapshot tests show it).

use serde::Serialize;

pub use super::images::ImageView;

/// What every page knows of the edition.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub author: Option<&'a str>,
    pub editor: Option<&'a str>,
    pub language: &'a str,
    pub license: Option<&'a str>,
    /// `../` repeated to reach the site root from this page ("" at the root).
    pub root: String,
    /// The canonical URL of this page, when `--base-url` is given.
    pub canonical: Option<String>,
    pub base_url: Option<&'a str>,
    /// Description, Open Graph and JSON-LD tags for `<head>`, already escaped
    /// (insert with `| safe`).
    pub head_html: String,
    /// Links of the main navigation, relative to this page.
    pub nav: Vec<NavItem>,
    /// The search page, where the header's search box sends its query;
    /// none without the search, and so no box.
    pub search_url: Option<String>,
    /// Paths of stylesheets and scripts, relative to this page.
    pub assets: Assets,
    /// The page is a draft, shown only because drafts were asked for.
    pub draft: bool,
    pub generator: &'static str,
}

#[derive(Serialize)]
pub struct Assets {
    pub styles: Vec<String>,
    pub scripts: Vec<String>,
}

#[derive(Serialize)]
pub struct NavItem {
    pub title: &'static str,
    pub url: String,
    pub current: bool,
}

#[derive(Serialize)]
pub struct LinkView<'a> {
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct Crumb<'a> {
    pub title: &'a str,
    pub url: String,
}

/// `index.html`: the cover.
#[derive(Serialize)]
pub struct IndexView<'a> {
    pub site: SiteView<'a>,
    /// `cover_image` of `_index.md`.
    pub cover: Option<ImageView<'a>>,
    pub preface_html: String,
    pub original: Option<OriginalView<'a>>,
    pub toc: Vec<TocEntry<'a>>,
    /// The edition has sections: `toc` nests.
    pub nested: bool,
    pub pages: Vec<LinkView<'a>>,
    pub counts: Counts,
}

#[derive(Serialize)]
pub struct OriginalView<'a> {
    pub title: Option<&'a str>,
    pub outlet: Option<&'a str>,
    pub date: Option<&'a str>,
    /// `date` in words, in the edition's language.
    pub date_words: Option<String>,
    pub url: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Counts {
    pub parts: usize,
    pub people: usize,
    pub sources: usize,
    pub claims: usize,
    pub terms: usize,
    pub places: usize,
    pub organisations: usize,
    pub mentions: usize,
}

/// One entry of the contents, a part or a section; a section's entry opens
/// a list of what it holds, which the last entry inside it closes.
#[derive(Serialize)]
pub struct TocEntry<'a> {
    pub number: usize,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub url: String,
    /// A section, whose list follows.
    #[serde(skip_serializing_if = "is_false")]
    pub section: bool,
    /// How many section lists end after this entry.
    #[serde(skip_serializing_if = "is_zero")]
    pub closes: usize,
}

fn is_false(b: &bool) -> bool {
    !b
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// `SECTION/index.html`: a section, its introduction and what it holds.
#[derive(Serialize)]
pub struct SectionView<'a> {
    pub site: SiteView<'a>,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub body_html: String,
    /// The cover and the sections it lies in, outermost first.
    pub breadcrumbs: Vec<Crumb<'a>>,
    /// Its parts and sections, nested as [`TocEntry`] says.
    pub contents: Vec<TocEntry<'a>>,
    /// The number of parts in it, its sections' included.
    pub part_count: usize,
}

/// `SLUG/index.html`: a part of the reading text.
#[derive(Serialize)]
pub struct PartView<'a> {
    pub site: SiteView<'a>,
    pub number: usize,
    pub total: usize,
    pub title: &'a str,
    pub slug: &'a str,
    pub summary: Option<&'a str>,
    pub body_html: String,
    pub glossary: Vec<GlossaryEntry<'a>>,
    pub headings: Vec<HeadingView<'a>>,
    pub prev: Option<LinkView<'a>>,
    pub next: Option<LinkView<'a>>,
    /// The cover and the sections the part lies in, outermost first; empty
    /// outside any section.
    pub breadcrumbs: Vec<Crumb<'a>>,
    /// The title of the section it lies in, for citations.
    pub section_title: Option<&'a str>,
    /// A paragraph of it cited in the edition's style, with marks where the
    /// ¶ menu puts the paragraph's address and number; empty if the style
    /// gives nothing.
    pub cite_style: String,
    pub statuses: Vec<StatusView>,
    /// The parts menu: every part in a short edition, else a window around
    /// this one (see `parts_menu`).
    pub menu: Vec<MenuEntry<'a>>,
    /// Whether `menu` leaves parts out, so the menu links to the full contents.
    pub menu_is_partial: bool,
    /// The edition has sections: `menu` nests.
    pub nested_menu: bool,
}

/// One entry of a part page's parts menu.
#[derive(Serialize)]
pub struct MenuEntry<'a> {
    pub number: usize,
    pub title: &'a str,
    pub url: String,
    /// Parts are left out between the previous entry and this one.
    pub gap_before: bool,
    /// The sections that start before this part, outermost first: each
    /// opens a list.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub opens: Vec<LinkView<'a>>,
    /// How many section lists end after this part.
    #[serde(skip_serializing_if = "is_zero")]
    pub closes: usize,
}

#[derive(Serialize)]
pub struct HeadingView<'a> {
    pub level: u8,
    pub id: &'a str,
    pub text: &'a str,
}

/// One numbered entry of a part's footnote glossary.
#[derive(Serialize)]
pub struct GlossaryEntry<'a> {
    pub number: usize,
    /// `person`, `source`, `claim`, `term`, or `footnote`.
    pub kind: &'static str,
    pub name: &'a str,
    pub url: Option<String>,
    /// The entity's short text, or the footnote's content, as HTML.
    pub html: String,
    pub status: Option<&'static str>,
    pub backlinks: Vec<Backlink>,
}

#[derive(Serialize)]
pub struct Backlink {
    /// `#m-3` or `#fr-1`.
    pub href: String,
    /// `a`, `b`, … as in printed books.
    pub label: String,
}

#[derive(Serialize)]
pub struct StatusView {
    pub name: &'static str,
    pub symbol: &'static str,
    pub explanation: &'static str,
    pub count: usize,
}

/// `pages/SLUG/index.html`.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub site: SiteView<'a>,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub body_html: String,
}

/// Every entity page shares this header; kind-specific fields follow.
#[derive(Serialize)]
pub struct EntityView<'a> {
    pub site: SiteView<'a>,
    pub kind: &'static str,
    pub kind_title: &'static str,
    pub kind_url: String,
    pub id: &'a str,
    pub name: &'a str,
    pub short_html: String,
    pub note_html: String,
    pub breadcrumbs: Vec<Crumb<'a>>,
    pub mentioned_in: Vec<MentionGroup<'a>>,
    pub mention_count: usize,
    pub fields: Vec<Field<'a>>,
    pub claims_attributed: Vec<ClaimRef<'a>>,
    pub claims_about: Vec<ClaimRef<'a>>,
    pub claims_citing: Vec<ClaimRef<'a>>,
    pub sources_written: Vec<LinkView<'a>>,
    pub claim_sources: Vec<SourceRef<'a>>,
    pub claim_people: Vec<LinkView<'a>>,
    pub claim_about: Vec<LinkView<'a>>,
    pub status: Option<StatusView>,
    pub links: Vec<LinkView<'a>>,
    /// The `image` of a person, place or organisation.
    pub image: Option<ImageView<'a>>,
    /// A source formatted in the edition's citation style, as HTML (insert
    /// with `| safe`); empty for other kinds.
    pub citation_html: String,
    /// Entities this one names or is named by, in titled groups (a place's
    /// surroundings, an organisation's units and members); no empty group.
    pub related: Vec<RelatedGroup<'a>>,
}

/// "Located in", "Units", "Members", …
#[derive(Serialize)]
pub struct RelatedGroup<'a> {
    pub title: &'static str,
    pub items: Vec<LinkView<'a>>,
}

/// A labelled value of an entity (born, outlet, date, …).
#[derive(Serialize)]
pub struct Field<'a> {
    pub label: &'static str,
    pub value: String,
    pub url: Option<&'a str>,
    /// For a date: its ISO form, for `<time datetime>`; `value` is in words.
    pub datetime: Option<&'a str>,
}

#[derive(Serialize)]
pub struct ClaimRef<'a> {
    pub text: &'a str,
    pub status: &'static str,
    pub url: String,
}

#[derive(Serialize)]
pub struct SourceRef<'a> {
    pub title: &'a str,
    pub url: String,
    pub citation_html: String,
}

/// Mentions of an entity in one part.
#[derive(Serialize)]
pub struct MentionGroup<'a> {
    pub part_title: &'a str,
    pub part_number: usize,
    pub part_url: String,
    pub items: Vec<MentionItem>,
}

#[derive(Serialize)]
pub struct MentionItem {
    pub url: String,
    pub paragraph: Option<u32>,
    /// The sentence around the mention, escaped, with the mention in `<mark>`.
    pub context_html: String,
}

/// `people/index.html` and the other kind indexes.
#[derive(Serialize)]
pub struct KindIndexView<'a> {
    pub site: SiteView<'a>,
    pub kind: &'static str,
    pub title: &'static str,
    pub groups: Vec<IndexGroup<'a>>,
    pub total: usize,
    pub statuses: Vec<StatusView>,
    /// On the sources index: every source formatted in the edition's
    /// citation style, in the style's order; empty elsewhere.
    pub bibliography: Vec<BibliographyEntry>,
}

/// One formatted source, with its page.
#[derive(Serialize)]
pub struct BibliographyEntry {
    pub url: String,
    /// Insert with `| safe`.
    pub html: String,
}

/// A letter of the glossary, a status of the claims, or all people.
#[derive(Serialize)]
pub struct IndexGroup<'a> {
    pub key: String,
    pub title: String,
    pub entries: Vec<IndexEntry<'a>>,
}

#[derive(Serialize)]
pub struct IndexEntry<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: String,
    pub short_html: String,
    pub mention_count: usize,
    pub status: Option<&'static str>,
}

/// `404.html`.
#[derive(Serialize)]
pub struct NotFoundView<'a> {
    pub site: SiteView<'a>,
}

/// `search/index.html`: the results page of the search box.
#[derive(Serialize)]
pub struct SearchView<'a> {
    pub site: SiteView<'a>,
    /// The index script, relative to this page.
    pub index_url: String,
}
