//! Render: a section's page, and what sections add to the others: the
//! nested contents of the cover and of a section, breadcrumbs, and the
//! sections a part page's contents menu opens and closes around its parts.

use crate::render::*;

impl<'a> Renderer<'a> {
    pub(in crate::render) fn section_view(
        &self,
        i: usize,
        root: &str,
    ) -> (SectionView<'_>, Vec<Diagnostic>) {
        let e = self.edition;
        let section = &e.sections[i];
        let (body_html, diags) = self.body_html(&section.body, &section.links, None, root);
        let view = SectionView {
            site: self.site(PageSpec::Section(i), root, None),
            title: &section.title,
            summary: section.summary.as_deref(),
            body_html,
            breadcrumbs: self.breadcrumbs(section.parent, root),
            contents: self.toc(&section.items, root),
            part_count: parts_in(e, &section.items),
        };
        (view, diags)
    }

    /// The cover, then each section of `trail`'s, outermost first.
    pub(in crate::render) fn breadcrumbs(
        &self,
        inner: Option<SectionId>,
        root: &str,
    ) -> Vec<Crumb<'a>> {
        let e = self.edition;
        let mut crumbs = vec![Crumb {
            title: &e.meta.title,
            url: format!("{root}{}", site_paths::INDEX),
        }];
        crumbs.extend(e.section_trail(inner).into_iter().map(|s| Crumb {
            title: &e.sections[s].title,
            url: format!("{root}{}", e.section_url(s)),
        }));
        crumbs
    }

    /// The contents of `items`, depth first: each section's entry is
    /// followed by what it holds, the last of which closes its list.
    pub(in crate::render) fn toc(&self, items: &[Item], root: &str) -> Vec<TocEntry<'a>> {
        let e = self.edition;
        let mut out = Vec::new();
        let mut stack: Vec<std::slice::Iter<'_, Item>> = vec![items.iter()];
        while let Some(level) = stack.last_mut() {
            let Some(item) = level.next() else {
                stack.pop();
                if let Some(last) = out.last_mut().filter(|_| !stack.is_empty()) {
                    let last: &mut TocEntry = last;
                    last.closes += 1;
                }
                continue;
            };
            match *item {
                Item::Part(p) => {
                    let p = p.index();
                    out.push(TocEntry {
                        number: p + 1,
                        title: &e.parts[p].title,
                        summary: e.parts[p].summary.as_deref(),
                        url: format!("{root}{}", e.part_url(p)),
                        section: false,
                        closes: 0,
                    });
                }
                Item::Section(s) => {
                    let s = s.index();
                    out.push(TocEntry {
                        number: 0,
                        title: &e.sections[s].title,
                        summary: e.sections[s].summary.as_deref(),
                        url: format!("{root}{}", e.section_url(s)),
                        section: true,
                        closes: 0,
                    });
                    stack.push(e.sections[s].items.iter());
                }
            }
        }
        out
    }

    /// For each part a menu lists, the sections opened before it and the
    /// number closed after it, so that the menu nests as the contents do
    /// (a partial menu opens the sections of the parts it shows).
    pub(in crate::render) fn menu_nesting(
        &self,
        shown: &[usize],
        root: &str,
    ) -> Vec<(Vec<LinkView<'a>>, usize)> {
        let e = self.edition;
        let mut out: Vec<(Vec<LinkView<'a>>, usize)> = Vec::with_capacity(shown.len());
        let mut open: Vec<usize> = Vec::new();
        for &j in shown {
            let trail = e.section_trail(e.parts[j].section);
            let common = open.iter().zip(&trail).take_while(|(a, b)| a == b).count();
            if let Some(last) = out.last_mut() {
                last.1 += open.len() - common;
            }
            let opens = trail[common..]
                .iter()
                .map(|&s| LinkView {
                    title: &e.sections[s].title,
                    url: format!("{root}{}", e.section_url(s)),
                })
                .collect();
            out.push((opens, 0));
            open = trail;
        }
        if let Some(last) = out.last_mut() {
            last.1 += open.len();
        }
        out
    }
}

/// How many parts `items` hold, their sections' included.
fn parts_in(e: &Edition, items: &[Item]) -> usize {
    items
        .iter()
        .map(|item| match *item {
            Item::Part(_) => 1,
            Item::Section(s) => parts_in(e, &e[s].items),
        })
        .sum()
}
