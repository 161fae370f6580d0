//! Markdown bodies and inline fields rewritten as well-formed XHTML for the
//! EPUB: links between the book's own documents, noterefs, the edition's
//! images packed into the book, and raw HTML and remote images reduced to
//! their text.

use std::collections::HashMap;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::layout::Layout;
use crate::markdown::{Body, EventIndex, cow, options};
use crate::model::{LinkResolution, Part};
use crate::render::body::{first_mentions, image_end};
use crate::render::esc;

/// Rewrites one body's events into XHTML-safe events.
pub(super) struct Writer<'b, 'a> {
    pub(super) layout: &'b Layout<'a>,
    /// The images packed into the book, by path relative to `content/`.
    pub(super) images: &'b super::Images,
    pub(super) body: &'b Body,
    pub(super) links: &'b [LinkResolution],
    pub(super) part: Option<&'b Part>,
    /// Number paragraphs (`id="p3"`), for links from elsewhere.
    pub(super) numbered: bool,
}

impl Writer<'_, '_> {
    pub(super) fn rewrite(
        &self,
        events: &[Event],
        range: std::ops::Range<usize>,
    ) -> Vec<Event<'static>> {
        let body = self.body;
        let EventIndex {
            link_at,
            link_end,
            paragraph_at: para_at,
            heading_at,
            footnote_ref_at: fref_at,
        } = body.event_index();
        let first_note = self.part.map(first_mentions).unwrap_or_default();
        let mut out = Vec::with_capacity(range.len());
        let mut headings: Vec<u8> = Vec::new();
        let mut i = range.start;
        while i < range.end {
            let ev = &events[i];
            match ev {
                Event::Start(Tag::FootnoteDefinition(_)) => {
                    i = body.skip_footnote_definition(i);
                    continue;
                }
                Event::Start(Tag::Paragraph) if self.numbered && para_at.contains_key(&i) => {
                    out.push(html(format!("<p id=\"p{}\">", para_at[&i] + 1)));
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let lvl = (*level as u8 + 1).min(6);
                    headings.push(lvl);
                    out.push(self.heading_start(lvl, heading_at.get(&i).copied()));
                }
                Event::End(TagEnd::Heading(_)) => {
                    let lvl = headings.pop().unwrap_or(2);
                    out.push(html(format!("</h{lvl}>\n")));
                }
                Event::Start(Tag::Link { .. }) => {
                    out.push(html(match link_at.get(&i) {
                        Some(&l) => self.open_link(l),
                        None => "<a>".into(),
                    }));
                }
                Event::End(TagEnd::Link) => {
                    out.push(html("</a>".into()));
                    if let Some(&l) = link_end.get(&i) {
                        out.extend(self.locator_after(l));
                        out.extend(self.noteref_after(l, &first_note));
                    }
                }
                Event::FootnoteReference(_) => {
                    if let (Some(&k), Some(part)) = (fref_at.get(&i), self.part) {
                        out.push(footnote_noteref(part, k));
                    }
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    // An image of the edition is in the book; any other
                    // (remote) is left as its alt text.
                    if let Some((img, end)) = self.packed_image(events, i, dest_url) {
                        out.push(img);
                        i = end + 1;
                        continue;
                    }
                }
                Event::End(TagEnd::Image) => {}
                Event::Html(h) | Event::InlineHtml(h) => {
                    out.push(Event::Text(cow(strip_tags(h))));
                }
                Event::TaskListMarker(done) => {
                    out.push(Event::Text(if *done { "[x] " } else { "[ ] " }.into()));
                }
                other => out.push(other.clone().into_static()),
            }
            i += 1;
        }
        out
    }

    /// A heading's start tag at `lvl`, with the heading's `id` when it has
    /// one.
    fn heading_start(&self, lvl: u8, heading: Option<usize>) -> Event<'static> {
        let id = heading
            .map(|h| format!(" id=\"{}\"", esc(&self.body.headings[h].id)))
            .unwrap_or_default();
        html(format!("<h{lvl}{id}>"))
    }

    /// The image starting at event `i` as an `<img>` of the book, and the
    /// index of its end event, if the book packs it.
    fn packed_image(
        &self,
        events: &[Event],
        i: usize,
        dest_url: &str,
    ) -> Option<(Event<'static>, usize)> {
        let from = crate::files::body_rel(&self.body.source);
        let packed = crate::files::file_target(from, dest_url)
            .and_then(Result::ok)
            .and_then(|t| self.images.get(&t));
        let image = packed?;
        let end = image_end(events, i);
        let alt: String = (events[i..end].iter())
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let img = html(format!(
            "<img src=\"{}\" alt=\"{}\"/>",
            esc(&image.href),
            esc(&alt)
        ));
        Some((img, end))
    }

    /// A mention's pinpoint locator ("Matthew 7:1", "vol. 8"), after it
    /// as on the site.
    fn locator_after(&self, l: usize) -> Option<Event<'static>> {
        let entity = matches!(
            self.links.get(l),
            Some(LinkResolution::Mention(_) | LinkResolution::Entity(_))
        );
        let locator = self.body.links.get(l)?.locator.as_deref()?;
        entity.then(|| {
            html(format!(
                " <span class=\"locator\">({})</span>",
                esc(locator)
            ))
        })
    }

    fn open_link(&self, l: usize) -> String {
        let b = self.layout;
        let e = b.e;
        match self.links.get(l) {
            Some(LinkResolution::Mention(mi)) => {
                let m = &e[*mi];
                format!(
                    "<a id=\"m-{}\" href=\"{}\">",
                    m.anchor,
                    esc(&b.entity_href(m.entity))
                )
            }
            Some(LinkResolution::Entity(r)) => format!("<a href=\"{}\">", esc(&b.entity_href(*r))),
            Some(LinkResolution::Internal(url)) => match b.internal_href(url) {
                Some(h) => format!("<a href=\"{}\">", esc(&h)),
                None => "<a>".into(),
            },
            Some(LinkResolution::Fragment(f)) => format!("<a href=\"#{}\">", esc(f)),
            Some(LinkResolution::External(url)) if has_scheme(url) => {
                format!("<a href=\"{}\">", esc(url))
            }
            _ => "<a>".into(),
        }
    }

    /// The note number after an entity's first mention in the part.
    fn noteref_after(&self, l: usize, first_note: &HashMap<u32, usize>) -> Option<Event<'static>> {
        let Some(LinkResolution::Mention(mi)) = self.links.get(l) else {
            return None;
        };
        let m = &self.layout.e[*mi];
        let n = first_note.get(&m.anchor)?;
        Some(html(format!(
            "<sup><a epub:type=\"noteref\" href=\"#n-{n}\">{n}</a></sup>"
        )))
    }
}

/// The reference to footnote `k` of `part`, numbered as the part numbers it.
fn footnote_noteref(part: &Part, k: usize) -> Event<'static> {
    let n = part.footnote_numbers.get(k).copied().unwrap_or(0);
    html(format!(
        "<sup><a epub:type=\"noteref\" href=\"#n-{n}\" id=\"fr-{}\">{n}</a></sup>",
        k + 1
    ))
}

fn html(s: String) -> Event<'static> {
    Event::InlineHtml(cow(s))
}

pub(super) fn to_html(events: Vec<Event<'static>>) -> String {
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out
}

/// Inline Markdown from front matter as XHTML: emphasis and code kept, links
/// reduced to their text (their targets are site pages), raw HTML to text.
pub(super) fn inline(md: &str) -> String {
    let events = Parser::new_ext(md, options()).filter_map(|ev| match ev {
        Event::Start(
            Tag::Paragraph | Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. },
        )
        | Event::End(TagEnd::Paragraph | TagEnd::Link | TagEnd::Image | TagEnd::Heading(_)) => None,
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(cow(strip_tags(&h)))),
        Event::SoftBreak => Some(Event::Text(" ".into())),
        other => Some(other),
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out.trim().to_string()
}

pub(super) fn external_link(url: &str, label: &str) -> String {
    if has_scheme(url) {
        format!("<a href=\"{}\">{}</a>", esc(url), xml(label))
    } else {
        xml(label)
    }
}

/// Only absolute URLs leave the book; a relative one would point at a file
/// the book does not contain.
fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Raw HTML reduced to its text.
fn strip_tags(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut in_tag = false;
    for c in h.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Text escaped for XML content and attributes.
pub(super) fn xml(s: &str) -> String {
    esc(s)
}

/// Drops the control characters XML 1.0 forbids; they can only come from
/// the edition's text, where they carry no meaning.
pub(super) fn xml_chars(s: &str) -> String {
    s.chars()
        .filter(|&c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_links_become_text() {
        assert_eq!(strip_tags("<span class=x>a</span> b"), "a b");
        assert_eq!(
            inline("*a* [b](person:x) <i>c</i> & d"),
            "<em>a</em> b c &amp; d"
        );
        assert!(has_scheme("https://x.org"));
        assert!(!has_scheme("notes/x.html"));
    }
}
