//! The TEI export's `<text>`: each part's Markdown events become TEI
//! elements, with its mentions marked up as references into the registers.
//!
//! The events are walked once, flat, with a stack of closing tags, as the
//! HTML renderer walks them. A part is a `<div type="part">`; each heading
//! opens a `<div type="section">` that lasts until a heading of the same or a
//! higher level; a numbered paragraph is `<p n="N" xml:id="…pN">`, as the
//! site's `#pN`; a footnote's text is written where it is referenced, as a
//! `<note>`.

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, Event, Tag};

use super::xml;
use crate::markdown::EventIndex;
use crate::model::{Edition, EntityKind, EntityRef, LinkResolution, Part};

/// How deep footnotes that reference footnotes are written out; deeper ones
/// become pointers, so a chain of them cannot grow the stack.
const MAX_NOTE_DEPTH: usize = 4;

/// One part as a `<div>`.
pub fn part_div(e: &Edition, index: usize, out: &mut String) {
    let part = &e.parts[index];
    let (events, _) = part.body.events_and_spans();
    let mut w = PartWriter {
        e,
        part,
        events: &events,
        index: part.body.event_index(),
        out,
        closers: Vec::new(),
        sections: Vec::new(),
        notes_written: HashSet::new(),
        note_depth: 0,
    };
    w.out.push_str(&format!(
        "<div type=\"part\" n=\"{}\" xml:id=\"{}\">\n<head>{}</head>\n",
        index + 1,
        xml::part_id(&part.slug),
        xml::text(&part.title)
    ));
    w.write_range(0..events.len(), true);
    for _ in w.sections.drain(..) {
        w.out.push_str("</div>\n");
    }
    w.out.push_str("</div>\n");
}

struct PartWriter<'a, 'o> {
    e: &'a Edition,
    part: &'a Part,
    events: &'a [Event<'a>],
    index: EventIndex,
    out: &'o mut String,
    /// The closing tags of the elements open now, innermost last.
    closers: Vec<&'static str>,
    /// The heading levels of the section `<div>`s open now.
    sections: Vec<u8>,
    /// Footnotes already written out, by label: a second reference points.
    notes_written: HashSet<String>,
    note_depth: usize,
}

impl PartWriter<'_, '_> {
    /// Writes the events in `range`; `top` is true for the body itself, where
    /// footnote definitions are skipped (they are written at their reference).
    fn write_range(&mut self, range: std::ops::Range<usize>, top: bool) {
        let mut i = range.start;
        while i < range.end {
            match &self.events[i] {
                Event::Start(Tag::FootnoteDefinition(_)) if top => {
                    i = self.part.body.skip_footnote_definition(i);
                    continue;
                }
                Event::Start(tag) => self.open(i, tag),
                Event::End(_) => {
                    let closer = self.closers.pop().unwrap_or_default();
                    self.out.push_str(closer);
                }
                Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                    self.out.push_str(&xml::text(t))
                }
                Event::Code(t) => self.out.push_str(&format!("<code>{}</code>", xml::text(t))),
                Event::SoftBreak => self.out.push('\n'),
                Event::HardBreak => self.out.push_str("<lb/>"),
                Event::Rule => self
                    .out
                    .push_str("<milestone unit=\"section\" rend=\"rule\"/>\n"),
                Event::FootnoteReference(label) => self.footnote(i, label),
                Event::InlineMath(t) | Event::DisplayMath(t) => self.out.push_str(&xml::text(t)),
                Event::TaskListMarker(_) => {}
            }
            i += 1;
        }
    }

    /// Opens the element for `tag` and remembers how to close it.
    fn open(&mut self, i: usize, tag: &Tag) {
        let (open, close): (String, &'static str) = match tag {
            Tag::Paragraph => match self.index.paragraph_at.get(&i) {
                Some(n) => (
                    format!(
                        "<p n=\"{0}\" xml:id=\"{1}\">",
                        n + 1,
                        xml::place_id(&self.part.slug, &format!("p{}", n + 1))
                    ),
                    "</p>\n",
                ),
                None => ("<p>".into(), "</p>\n"),
            },
            Tag::Heading { level, .. } => return self.heading(i, *level as u8),
            Tag::BlockQuote(_) => ("<quote>\n".into(), "</quote>\n"),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or(""),
                    CodeBlockKind::Indented => "",
                };
                let lang = if lang.is_empty() {
                    String::new()
                } else {
                    format!(" subtype=\"{}\"", xml::attr(lang))
                };
                (format!("<ab type=\"code\"{lang}>"), "</ab>\n")
            }
            Tag::HtmlBlock => ("<ab type=\"html\">".into(), "</ab>\n"),
            Tag::List(None) => ("<list rend=\"bulleted\">\n".into(), "</list>\n"),
            Tag::List(Some(_)) => ("<list rend=\"numbered\">\n".into(), "</list>\n"),
            Tag::Item => ("<item>".into(), "</item>\n"),
            Tag::Table(_) => ("<table>\n".into(), "</table>\n"),
            Tag::TableHead => ("<row role=\"label\">".into(), "</row>\n"),
            Tag::TableRow => ("<row>".into(), "</row>\n"),
            Tag::TableCell => ("<cell>".into(), "</cell>"),
            Tag::Emphasis => ("<hi rend=\"italic\">".into(), "</hi>"),
            Tag::Strong => ("<hi rend=\"bold\">".into(), "</hi>"),
            Tag::Strikethrough => ("<hi rend=\"strikethrough\">".into(), "</hi>"),
            Tag::Image { dest_url, .. } => (
                format!("<graphic url=\"{}\"><desc>", xml::attr(dest_url)),
                "</desc></graphic>",
            ),
            Tag::Link { .. } => match self.index.link_at.get(&i) {
                Some(&li) => self.link(&self.part.links[li]),
                None => (String::new(), ""),
            },
            // Not enabled in glossator's Markdown; their content is kept.
            _ => (String::new(), ""),
        };
        self.out.push_str(&open);
        self.closers.push(close);
    }

    /// A heading of the body opens a section; one nested in a list or quote
    /// cannot, and is a paragraph marked as a heading.
    fn heading(&mut self, i: usize, level: u8) {
        if !self.closers.is_empty() {
            self.out.push_str("<p rend=\"heading\">");
            self.closers.push("</p>\n");
            return;
        }
        while self.sections.last().is_some_and(|&open| open >= level) {
            self.sections.pop();
            self.out.push_str("</div>\n");
        }
        self.sections.push(level);
        let id = (self.index.heading_at.get(&i))
            .map(|&h| &self.part.body.headings[h].id)
            .filter(|id| !id.is_empty())
            .map(|id| format!(" xml:id=\"{}\"", xml::place_id(&self.part.slug, id)))
            .unwrap_or_default();
        self.out
            .push_str(&format!("<div type=\"section\"{id}>\n<head>"));
        self.closers.push("</head>\n");
    }

    /// The element a link becomes: a mention marks up its words as a
    /// reference to the entity's entry; other links are `<ref>`s.
    fn link(&self, resolution: &LinkResolution) -> (String, &'static str) {
        match resolution {
            LinkResolution::Mention(mi) => {
                let m = &self.e[*mi];
                let id = xml::place_id(&self.part.slug, &format!("m-{}", m.anchor));
                mention_element(self.e, m.entity, Some(&id))
            }
            LinkResolution::Entity(r) => mention_element(self.e, *r, None),
            LinkResolution::Internal(url) | LinkResolution::External(url) => {
                (format!("<ref target=\"{}\">", xml::attr(url)), "</ref>")
            }
            LinkResolution::Fragment(f) => (
                format!("<ref target=\"#{}\">", xml::place_id(&self.part.slug, f)),
                "</ref>",
            ),
            LinkResolution::Broken => (String::new(), ""),
        }
    }

    /// A footnote, written out at its first reference.
    fn footnote(&mut self, i: usize, label: &str) {
        let ri = self.index.footnote_ref_at.get(&i).copied().unwrap_or(0);
        let number = self.part.footnote_numbers.get(ri).copied().unwrap_or(0);
        let id = xml::place_id(&self.part.slug, &format!("note-{label}"));
        let def = self.part.body.footnote(label);
        let first = self.notes_written.insert(label.to_string());
        match def {
            Some(def) if first && self.note_depth < MAX_NOTE_DEPTH => {
                self.out.push_str(&format!(
                    "<note place=\"foot\" n=\"{number}\" xml:id=\"{id}\">"
                ));
                self.note_depth += 1;
                self.write_range(def.events.start + 1..def.events.end - 1, false);
                self.note_depth -= 1;
                self.out.push_str("</note>");
            }
            _ => self.out.push_str(&format!("<ptr target=\"#{id}\"/>")),
        }
    }
}

/// The TEI element that marks a mention of `r`: a name for a person, place
/// or organisation, a term
/// for a term, a bibliographic reference for a source, and a segment
/// interpreted by the claim's entry for a claim.
fn mention_element(e: &Edition, r: EntityRef, id: Option<&str>) -> (String, &'static str) {
    let id = id.map(|id| format!(" xml:id=\"{id}\"")).unwrap_or_default();
    let target = xml::pointer(e, r);
    match r.kind {
        EntityKind::Person => (format!("<persName ref=\"{target}\"{id}>"), "</persName>"),
        EntityKind::Place => (format!("<placeName ref=\"{target}\"{id}>"), "</placeName>"),
        EntityKind::Organisation => (format!("<orgName ref=\"{target}\"{id}>"), "</orgName>"),
        EntityKind::Term => (format!("<term ref=\"{target}\"{id}>"), "</term>"),
        EntityKind::Source => (format!("<bibl corresp=\"{target}\"{id}>"), "</bibl>"),
        EntityKind::Claim => (format!("<seg ana=\"{target}\"{id}>"), "</seg>"),
    }
}
