//! Resolve, for rebuilds: one part resolved again after an edit to its
//! text alone, and the mentions of the parts after it shifted.

use super::*;

/// Moves the mentions of `parts` by `shift` places in `Edition::mentions`.
pub(super) fn shift_mentions(parts: &mut [Part], shift: isize) {
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
pub(super) fn shift_links(links: &mut [LinkResolution], shift: isize) {
    for link in links {
        if let LinkResolution::Mention(mi) = link {
            let moved = mi.index().checked_add_signed(shift);
            *mi = MentionId::at(moved.expect("mention indices stay in range"));
        }
    }
}

/// A part's notes, footnote numbers and mention range, from its resolved links.
pub(super) fn attach(
    part: &mut Part,
    links: Vec<LinkResolution>,
    mentions: &[Mention],
    first: usize,
) {
    let notes = number_notes(&part.body, &links, mentions, first);
    part.links = links;
    part.footnote_numbers = footnote_numbers(&part.body, &notes);
    part.notes = notes;
    part.mentions = first..first + mentions.len();
}

impl Resolved {
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
            section: old.section,
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
