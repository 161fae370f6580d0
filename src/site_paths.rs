//! Every output path of the site, in one place: where each page and file
//! goes inside the site folder, and so the root-relative URL other pages link
//! it by (all internal links are relative and end in `index.html`).
//!
//! A leaf module beside [`crate::kinds`]: render, the exports, resolve (for
//! the names a part's slug may not take) and write (for the marker) read
//! their paths from here, so the layout of the site changes in one file.

use crate::kinds::EntityKind;

/// The cover.
pub const INDEX: &str = "index.html";
/// The page static hosts serve for a missing path.
pub const NOT_FOUND: &str = "404.html";
/// The search page.
pub const SEARCH: &str = "search/index.html";
/// The timeline of dated claims and sources.
pub const TIMELINE: &str = "timeline/index.html";
/// The search index's entry script.
pub const SEARCH_INDEX: &str = "search-index.js";
/// The data export.
pub const ANNOTATIONS: &str = "annotations.json";
/// The places with coordinates, for maps.
pub const PLACES_GEOJSON: &str = "places.geojson";
/// The sources as BibTeX.
pub const CITATIONS: &str = "citations.bib";
/// The sources as CSL-JSON.
pub const CSL_JSON: &str = "sources.csl.json";
/// Every mention as a W3C Web Annotation, only with `--web-annotations`.
pub const WEB_ANNOTATIONS: &str = "annotations.jsonld";
/// Only with `--base-url`.
pub const SITEMAP: &str = "sitemap.xml";
/// Only with `--base-url`.
pub const ROBOTS: &str = "robots.txt";
/// The file that marks a folder as glossator's output.
pub const MARKER: &str = ".glossator-output";
/// The folder of the theme's static files.
pub const STATIC: &str = "static";
/// The folder of the editor's pages.
pub const PAGES: &str = "pages";

/// A part of the reading text, by its folder ([`in_section`]).
pub fn part(folder: &str) -> String {
    format!("{folder}/{INDEX}")
}

/// The folder of a part or section with `slug`: at the top of the site, or
/// inside the folder of the section it lies in (`section-slug/part-slug`).
pub fn in_section(section: Option<&str>, slug: &str) -> String {
    match section {
        Some(folder) => format!("{folder}/{slug}"),
        None => slug.to_string(),
    }
}

/// A part by its slug and its section's folder: `part(&in_section(…))`
/// in one string.
pub fn part_in(section: Option<&str>, slug: &str) -> String {
    match section {
        Some(folder) => format!("{folder}/{slug}/{INDEX}"),
        None => part(slug),
    }
}

/// A mention's exact spot, by its part's slug and section folder.
pub fn mention_in(section: Option<&str>, slug: &str, anchor: u32) -> String {
    match section {
        Some(folder) => format!("{folder}/{slug}/{INDEX}#m-{anchor}"),
        None => mention(slug, anchor),
    }
}

/// A section's page, by its folder ([`in_section`]).
pub fn section(folder: &str) -> String {
    format!("{folder}/{INDEX}")
}

/// An editor's page.
pub fn page(slug: &str) -> String {
    format!("{PAGES}/{slug}/{INDEX}")
}

/// The page of one entity.
pub fn entity(kind: EntityKind, id: &str) -> String {
    format!("{}/{id}/{INDEX}", kind.folder())
}

/// The index page of a kind of entity.
pub fn kind_index(kind: EntityKind) -> String {
    format!("{}/{INDEX}", kind.folder())
}

/// A mention's exact spot in its part (by the part's folder).
pub fn mention(part_folder: &str, anchor: u32) -> String {
    format!("{}#m-{anchor}", part(part_folder))
}

/// Text shard `number` (from 1) of the search index.
pub fn shard(number: usize) -> String {
    format!("search/text-{number:04}.js")
}

/// The theme's static file `rel`.
pub fn static_file(rel: &str) -> String {
    format!("{STATIC}/{rel}")
}

/// The EPUB book, with the edition's title as a slug.
pub fn epub(stem: &str) -> String {
    format!("{stem}.epub")
}

/// The TEI document, with the edition's title as a slug.
pub fn tei(stem: &str) -> String {
    format!("{stem}.tei.xml")
}

/// Which of the optional exports a build writes, for [`exports`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Optional<'a> {
    pub base_url: bool,
    pub web_annotations: bool,
    /// The file stem of the EPUB and of the TEI, when each is written.
    pub epub_stem: Option<&'a str>,
    pub tei_stem: Option<&'a str>,
}

/// Every export file's path: the data, citations and places always, the
/// sitemap and `robots.txt` with a base URL, the Web Annotations, the EPUB
/// and the TEI when asked for.
pub fn exports(optional: Optional) -> Vec<String> {
    let mut paths = vec![
        ANNOTATIONS.to_string(),
        CITATIONS.into(),
        CSL_JSON.into(),
        PLACES_GEOJSON.into(),
    ];
    if optional.base_url {
        paths.extend([SITEMAP.into(), ROBOTS.into()]);
    }
    if optional.web_annotations {
        paths.push(WEB_ANNOTATIONS.into());
    }
    paths.extend(optional.epub_stem.map(epub));
    paths.extend(optional.tei_stem.map(tei));
    paths
}

/// `../` once per folder level of `path`.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The public URL of a site path: `index.html` is left off so the URL is the
/// folder, as static hosts serve it.
pub fn absolute(base: &str, path: &str) -> String {
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (p, format!("#{f}")),
        None => (path, String::new()),
    };
    format!(
        "{}/{}{fragment}",
        base.trim_end_matches('/'),
        path.strip_suffix(INDEX).unwrap_or(path)
    )
}

/// The first segment of a site path: the name it takes at the top of the site.
pub fn top_level(path: &str) -> &str {
    path.split(['/', '#']).next().unwrap_or(path)
}

/// The names at the top of the site that glossator's own files take, so a
/// part's slug may not: the kind folders and every fixed path above.
pub fn reserved() -> Vec<&'static str> {
    let fixed = [
        INDEX,
        NOT_FOUND,
        SEARCH,
        TIMELINE,
        SEARCH_INDEX,
        ANNOTATIONS,
        PLACES_GEOJSON,
        CITATIONS,
        CSL_JSON,
        WEB_ANNOTATIONS,
        SITEMAP,
        ROBOTS,
        STATIC,
        PAGES,
    ];
    let kinds = EntityKind::ALL.map(EntityKind::folder);
    let mut names: Vec<&str> = kinds.into_iter().chain(fixed).map(top_level).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Whether a page at `path` is a part's or a section's: one whose folder at
/// the top of the site is none of glossator's own.
pub fn is_reading_page(path: &str) -> bool {
    static RESERVED: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(reserved);
    path.strip_suffix(INDEX)
        .and_then(|dir| dir.strip_suffix('/'))
        .is_some_and(|dir| !RESERVED.contains(&top_level(dir)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("01-a/index.html"), "../");
        assert_eq!(root_prefix("people/x/index.html"), "../../");
    }

    #[test]
    fn absolute_urls_name_the_folder() {
        assert_eq!(
            absolute("https://x.org/ed/", "people/a/index.html"),
            "https://x.org/ed/people/a/"
        );
        assert_eq!(
            absolute("https://x.org", "404.html"),
            "https://x.org/404.html"
        );
        assert_eq!(
            absolute("https://x.org", "01-a/index.html#m-2"),
            "https://x.org/01-a/#m-2"
        );
    }

    #[test]
    fn reading_pages_are_parts_and_sections_at_any_depth() {
        assert!(is_reading_page(&part("01-a")));
        assert!(is_reading_page(&part_in(Some("kabul/maps"), "01-a")));
        assert!(is_reading_page(&section("kabul")));
        assert!(!is_reading_page(&entity(EntityKind::Person, "x")));
        assert!(!is_reading_page(&page("about")));
        assert!(!is_reading_page(INDEX));
        assert!(!is_reading_page(SEARCH_INDEX));
    }

    #[test]
    fn the_reserved_names_are_the_top_of_every_fixed_path_and_kind_folder() {
        let reserved = reserved();
        for name in [
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
            "sitemap.xml",
            "robots.txt",
        ] {
            assert!(reserved.contains(&name), "{name} is not reserved");
        }
        assert_eq!(top_level(&shard(1)), "search");
        assert_eq!(top_level(&mention("01-a", 3)), "01-a");
    }

    #[test]
    fn a_part_in_a_section_lives_in_the_section_folder() {
        let folder = in_section(Some("letters/early"), "01-a");
        assert_eq!(part(&folder), "letters/early/01-a/index.html");
        assert_eq!(section("letters/early"), "letters/early/index.html");
        assert_eq!(part(&in_section(None, "01-a")), "01-a/index.html");
        assert_eq!(part_in(Some("letters/early"), "01-a"), part(&folder));
        assert_eq!(
            mention_in(Some("letters/early"), "01-a", 3),
            mention(&folder, 3)
        );
        assert_eq!(root_prefix(&part(&folder)), "../../../");
    }
}
