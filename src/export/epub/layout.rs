//! Where each thing lives inside the EPUB: the file of each part, page and
//! appendix, and the href of an entity's entry or of a site path. Read by
//! both the documents ([`super::book`]) and the XHTML writer
//! ([`super::xhtml`]), so neither needs the other to link.

use crate::model::{Edition, EntityKind, EntityRef};
use crate::site_paths;

/// The book's file names and hrefs.
pub(super) struct Layout<'a> {
    pub(super) e: &'a Edition,
}

impl Layout<'_> {
    pub(super) fn part_file(i: usize) -> String {
        format!("part-{}.xhtml", i + 1)
    }

    pub(super) fn section_file(i: usize) -> String {
        format!("section-{}.xhtml", i + 1)
    }

    pub(super) fn page_file(i: usize) -> String {
        format!("page-{}.xhtml", i + 1)
    }

    pub(super) fn appendix_file(kind: EntityKind) -> String {
        format!("{}.xhtml", kind.folder())
    }

    pub(super) fn entity_anchor(&self, r: EntityRef) -> String {
        format!("{}-{}", r.kind.prefix(), self.e.entity_id(r))
    }

    /// An entity's entry in its appendix.
    pub(super) fn entity_href(&self, r: EntityRef) -> String {
        format!("{}#{}", Self::appendix_file(r.kind), self.entity_anchor(r))
    }

    /// A site path (`02-later/index.html#p2`) as a place in the book.
    pub(super) fn internal_href(&self, url: &str) -> Option<String> {
        let e = self.e;
        let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
        let file = if path == site_paths::INDEX || path.is_empty() {
            "title.xhtml".to_string()
        } else if let Some(i) = (0..e.parts.len()).find(|&i| e.part_url(i) == path) {
            Self::part_file(i)
        } else if let Some(i) = (0..e.sections.len()).find(|&i| e.section_url(i) == path) {
            Self::section_file(i)
        } else if let Some(i) = (0..e.pages.len()).find(|&i| e.page_url(i) == path) {
            Self::page_file(i)
        } else if let Some(r) = e.entities().find(|&r| e.entity_url(r) == path) {
            return Some(self.entity_href(r));
        } else {
            return None;
        };
        Some(if fragment.is_empty() {
            file
        } else {
            format!("{file}#{fragment}")
        })
    }
}
