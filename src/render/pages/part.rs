//! Render: a part of the reading text, with its glossary of notes and
//! its parts menu.

use crate::render::*;

/// Up to this many parts, every part page lists them all (as mdBook does);
/// beyond it, a list on every page would make the site grow with the square
/// of the number of parts.
pub const PARTS_MENU_ALL: usize = 40;

/// Parts either side of the current one in a partial menu.
pub(in crate::render) const PARTS_MENU_NEIGHBOURS: usize = 5;

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

impl<'a> Renderer<'a> {
    pub(in crate::render) fn part_view(
        &self,
        i: usize,
        root: &str,
    ) -> (PartView<'_>, Vec<Diagnostic>) {
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
            breadcrumbs: match part.section {
                Some(_) => self.breadcrumbs(part.section, root),
                None => Vec::new(),
            },
            section_title: part.section.map(|s| e[s].title.as_str()),
            cite_style: self.cite_style(part),
            menu: self.menu(i, root),
            menu_is_partial: e.parts.len() > PARTS_MENU_ALL,
            nested_menu: !e.sections.is_empty(),
            statuses: self.statuses(|s| {
                e.mentions[part.mentions.clone()]
                    .iter()
                    .filter(|m| {
                        m.entity.kind == EntityKind::Claim
                            && e.claims[m.entity.index as usize].status == s
                    })
                    .count()
            }),
        };
        (view, diags)
    }

    /// The parts menu of part `i`, nested in its sections.
    fn menu(&self, i: usize, root: &str) -> Vec<MenuEntry<'_>> {
        let e = self.edition;
        let shown = parts_menu(i, e.parts.len());
        let js: Vec<usize> = shown.iter().map(|&(j, _)| j).collect();
        let nesting = if e.sections.is_empty() {
            Vec::new()
        } else {
            self.menu_nesting(&js, root)
        };
        let mut nesting = nesting.into_iter();
        shown
            .into_iter()
            .map(|(j, gap_before)| {
                let (opens, closes) = nesting.next().unwrap_or_default();
                MenuEntry {
                    number: j + 1,
                    title: &e.parts[j].title,
                    url: format!("{root}{}", e.part_url(j)),
                    gap_before,
                    opens,
                    closes,
                }
            })
            .collect()
    }

    /// The edition's paragraph citation with this part's title in it; the
    /// marks are taken out of the title first, so none can come from it.
    fn cite_style(&self, part: &Part) -> String {
        let template = self.paragraph_citation();
        if template.is_empty() {
            return String::new();
        }
        let title: String = (part.title.chars())
            .filter(|c| !('\u{E000}'..='\u{E002}').contains(c))
            .collect();
        template.replace(crate::export::csl_json::PART_TITLE_MARK, &title)
    }

    pub(in crate::render) fn glossary(&self, part: &'a Part, root: &str) -> Vec<GlossaryEntry<'a>> {
        let e = self.edition;
        // Parsed once for all the part's footnotes, and only if it has any.
        let parsed = std::cell::OnceCell::new();
        part.notes
            .iter()
            .enumerate()
            .map(|(n, note)| match note {
                Note::Entity { entity, mentions } => GlossaryEntry {
                    number: n + 1,
                    kind: entity.kind.name(),
                    name: e.entity_name(*entity),
                    url: Some(format!("{root}{}", e.entity_url(*entity))),
                    html: body::note_text(e, &self.short, &self.citations, *entity, root),
                    status: (entity.kind == EntityKind::Claim)
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
                        citations: &self.citations,
                        files: self.files,
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
