//! Parse stage, Markdown: one pass over a body's events that keeps what
//! later stages need (links, numbered paragraphs as plain text, footnotes,
//! headings) and reports what is wrong in the text as it goes.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use super::problems::{classify_target, image_problem, text_link_problem};
use super::{
    Body, BodyData, FootnoteDef, Heading, LinkRef, ParseOptions, dangerous_scheme, options,
    slugify, unique_id,
};
use crate::diagnostics::{Code, Diagnostic, SourceText, did_you_mean};

/// Parses the body `range` of `source`.
pub fn parse_body(
    source: &Arc<SourceText>,
    range: Range<usize>,
    opts: ParseOptions,
) -> (Body, Vec<Diagnostic>) {
    let text = &source.text[range.clone()];
    let mut p = BodyParser::new(source, range.clone(), opts);
    warn_bidi_controls(source, range.clone(), &mut p.diags);
    for (event, span) in Parser::new_ext(text, options()).into_offset_iter() {
        p.event(event, range.start + span.start..range.start + span.end);
    }
    p.finish()
}

/// The state of one pass over a body's events.
struct BodyParser<'a> {
    source: &'a Arc<SourceText>,
    opts: ParseOptions,
    body: BodyData,
    diags: Vec<Diagnostic>,
    // Kept only while parsing; see `BodyData`.
    events: Vec<Event<'a>>,
    spans: Vec<Range<usize>>,
    open_links: Vec<(usize, LinkOpen)>,
    /// Consecutive text events, as one run (pulldown-cmark splits text at
    /// every `[` and `]`), to look for links that Markdown did not take for
    /// links.
    text_run: Option<TextRun<'a>>,
    /// Whether the previous event ended a link (a run after it may be the
    /// rest of a link around a link).
    link_just_closed: bool,
    /// The numbered paragraph being read: its number and plain text.
    paragraph: Option<(usize, String)>,
    /// The footnote definition being read: its label and first event.
    in_footnote: Option<(String, usize)>,
    footnote_text: String,
    /// The heading being read: level, id as written, first event, text.
    heading: Option<(u8, Option<String>, usize, String)>,
    heading_ids: HashSet<String>,
}

impl<'a> BodyParser<'a> {
    fn new(source: &'a Arc<SourceText>, range: Range<usize>, opts: ParseOptions) -> Self {
        BodyParser {
            source,
            opts,
            body: BodyData {
                source: Arc::clone(source),
                range,
                allow_html: opts.allow_html,
                ..BodyData::default()
            },
            diags: Vec::new(),
            events: Vec::new(),
            spans: Vec::new(),
            open_links: Vec::new(),
            text_run: None,
            link_just_closed: false,
            paragraph: None,
            in_footnote: None,
            footnote_text: String::new(),
            heading: None,
            heading_ids: HashSet::new(),
        }
    }

    fn event(&mut self, event: Event<'a>, span: Range<usize>) {
        let index = self.events.len();
        let event = self.refuse_html(event, &span);
        match &event {
            Event::Start(Tag::Paragraph)
                if self.opts.number_paragraphs && self.in_footnote.is_none() =>
            {
                self.start_paragraph(index, &span)
            }
            Event::End(TagEnd::Paragraph) => self.end_paragraph(),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.in_footnote = Some((label.to_string(), index));
            }
            Event::End(TagEnd::FootnoteDefinition) => self.end_footnote(index),
            Event::FootnoteReference(label) => {
                self.body.footnote_refs.push((index, label.to_string()))
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                let id = id.as_ref().map(|s| s.to_string());
                self.heading = Some((*level as u8, id, index, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(_)) => self.body.has_code = true,
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => self.start_link(index, *link_type, dest_url, title, &span),
            Event::Start(Tag::Image { dest_url, .. }) => self.image(dest_url, &span),
            Event::End(TagEnd::Link) => self.end_link(index),
            Event::Text(t) => {
                self.extend_run(t, &span);
                self.push_text(t, true);
            }
            Event::Code(t) => self.push_text(t, true),
            Event::SoftBreak | Event::HardBreak => self.push_text(" ", false),
            _ => {}
        }
        if !matches!(event, Event::Text(_))
            && let Some(run) = self.text_run.take()
        {
            let problem = text_link_problem(self.source, run.span, &run.text, run.after_link);
            self.diags.extend(problem);
        }
        self.link_just_closed = matches!(event, Event::End(TagEnd::Link));
        self.events.push(event);
        self.spans.push(span);
    }

    /// Raw HTML as text, with an error, unless the edition allows it.
    fn refuse_html(&mut self, event: Event<'a>, span: &Range<usize>) -> Event<'a> {
        match event {
            Event::Html(html) | Event::InlineHtml(html) if !self.opts.allow_html => {
                self.diags.push(
                    Diagnostic::error("raw HTML is not allowed in this edition")
                        .at(self.source, span.clone(), "HTML here")
                        .with_help("write it in Markdown, escape `<` as `\\<`, or set `allow_html: true` in content/_index.md")
                        .with_code(Code::RawHtml),
                );
                Event::Text(html)
            }
            other => other,
        }
    }

    fn start_paragraph(&mut self, index: usize, span: &Range<usize>) {
        // Its plain text is at most as long as its source: room for all of
        // it at once rather than growing by doubling.
        let text = String::with_capacity(span.len());
        self.paragraph = Some((self.body.paragraphs.len(), text));
        self.body.paragraph_starts.push(index);
        self.body.paragraphs.push(String::new());
    }

    fn end_paragraph(&mut self) {
        if let Some((i, mut text)) = self.paragraph.take() {
            // Built by appending, so with up to as much room again as it
            // holds: an edition's paragraphs are nearly a copy of its text.
            text.shrink_to_fit();
            self.body.paragraphs[i] = text;
        }
        if self.in_footnote.is_some() {
            self.footnote_text.push(' ');
        }
    }

    fn end_footnote(&mut self, index: usize) {
        if let Some((label, start)) = self.in_footnote.take() {
            let text = std::mem::take(&mut self.footnote_text);
            self.body.footnotes.push(FootnoteDef {
                label,
                events: start..index + 1,
                text: text.trim_end().to_string(),
            });
        }
    }

    fn end_heading(&mut self) {
        if let Some((level, id, start, text)) = self.heading.take() {
            let id = unique_id(id.unwrap_or_else(|| slugify(&text)), &mut self.heading_ids);
            self.body.headings.push(Heading {
                level,
                id,
                text,
                start,
            });
        }
    }

    /// Characters of plain text so far in the paragraph, else the footnote.
    fn text_len(&self) -> usize {
        (self.paragraph.as_ref()).map_or(self.footnote_text.chars().count(), |(_, t)| {
            t.chars().count()
        })
    }

    fn start_link(
        &mut self,
        index: usize,
        link_type: LinkType,
        dest: &str,
        title: &str,
        span: &Range<usize>,
    ) {
        let open = LinkOpen {
            link_type,
            dest: dest.to_string(),
            title: title.to_string(),
            span: span.clone(),
            chars: self.text_len(),
            text: String::new(),
        };
        self.open_links.push((index, open));
    }

    fn end_link(&mut self, index: usize) {
        let Some((start, open)) = self.open_links.pop() else {
            return;
        };
        let chars_end = self.text_len();
        match classify_target(&open.dest) {
            Ok(target) => self.body.links.push(LinkRef {
                start,
                end: index,
                target,
                locator: (!open.title.is_empty()).then(|| open.title.clone()),
                text: open.text,
                span: open.span,
                paragraph: self.paragraph.as_ref().map(|(i, _)| *i),
                chars: open.chars..chars_end,
                in_footnote: self.in_footnote.is_some(),
                footnote: self
                    .in_footnote
                    .is_some()
                    .then_some(self.body.footnotes.len()),
            }),
            Err(problem) => {
                let d = problem.diagnostic(self.source, open.span, open.link_type);
                self.diags.push(d)
            }
        }
    }

    fn image(&mut self, dest: &str, span: &Range<usize>) {
        self.body.has_images = true;
        if let Some(scheme) = dangerous_scheme(dest) {
            self.diags.push(
                Diagnostic::error(format!("`{scheme}:` image sources are not allowed"))
                    .at(self.source, span.clone(), "unsafe image source")
                    .with_code(Code::UnsafeImage),
            );
        } else {
            self.diags
                .extend(image_problem(self.source, span.clone(), dest));
        }
    }

    /// Adds a text event to the run of text it belongs to.
    fn extend_run(&mut self, t: &CowStr<'a>, span: &Range<usize>) {
        match self.text_run.as_mut() {
            Some(run) => {
                run.span.end = span.end;
                run.text.to_mut().push_str(t);
            }
            None => {
                self.text_run = Some(TextRun {
                    span: span.clone(),
                    text: match t {
                        CowStr::Borrowed(b) => Cow::Borrowed(*b),
                        owned => Cow::Owned(owned.to_string()),
                    },
                    after_link: self.link_just_closed,
                })
            }
        }
    }

    /// Adds text to the plain text of the paragraph (else the footnote), of
    /// every open link, and, unless it is a line break, of the heading.
    fn push_text(&mut self, t: &str, in_heading: bool) {
        if let Some((_, p)) = self.paragraph.as_mut() {
            p.push_str(t);
        } else if self.in_footnote.is_some() {
            self.footnote_text.push_str(t);
        }
        for (_, open) in self.open_links.iter_mut() {
            open.text.push_str(t);
        }
        if in_heading && let Some((_, _, _, h)) = self.heading.as_mut() {
            h.push_str(t);
        }
    }

    fn finish(mut self) -> (Body, Vec<Diagnostic>) {
        let body = &mut self.body;
        body.event_count = self.events.len();
        // The lists grew by doubling; the model keeps them for the whole build.
        body.links.shrink_to_fit();
        body.paragraphs.shrink_to_fit();
        body.paragraph_starts.shrink_to_fit();
        body.headings.shrink_to_fit();
        check_footnotes(
            self.source,
            &self.body,
            &self.events,
            &self.spans,
            &mut self.diags,
        );
        (Body(Arc::new(self.body)), self.diags)
    }
}

struct LinkOpen {
    link_type: LinkType,
    dest: String,
    title: String,
    span: Range<usize>,
    chars: usize,
    text: String,
}

/// Text between two other events, gathered from consecutive text events.
struct TextRun<'a> {
    span: Range<usize>,
    /// Borrowed from the source while the run is one piece of it, as most
    /// runs are; copied only when a second piece joins it.
    text: std::borrow::Cow<'a, str>,
    after_link: bool,
}

/// `[^label]` left as text means the footnote was never defined: pulldown-cmark
/// renders it silently, so it is caught here.
fn check_footnotes(
    source: &Arc<SourceText>,
    body: &BodyData,
    events: &[Event],
    spans: &[Range<usize>],
    diags: &mut Vec<Diagnostic>,
) {
    let defined: HashSet<&str> = body.footnotes.iter().map(|f| f.label.as_str()).collect();
    let mut i = 0;
    // Text inside a code block is shown verbatim: `[^x]` there is an example.
    let mut in_code_block = false;
    while i < events.len() {
        match events[i] {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            _ => {}
        }
        if in_code_block || !matches!(events[i], Event::Text(_)) {
            i += 1;
            continue;
        }
        let start = i;
        let mut run = String::new();
        while let Some(Event::Text(t)) = events.get(i) {
            run.push_str(t);
            i += 1;
        }
        let span = spans[start].start..spans[i - 1].end;
        let mut rest = run.as_str();
        while let Some(open) = rest.find("[^") {
            let after = &rest[open + 2..];
            if let Some(close) = after.find(']') {
                let label = &after[..close];
                if !label.is_empty()
                    && !label.contains(char::is_whitespace)
                    && !defined.contains(label)
                {
                    let at = source.text[span.clone()]
                        .find(&format!("[^{label}]"))
                        .map_or(span.clone(), |o| {
                            span.start + o..span.start + o + label.len() + 3
                        });
                    let mut d =
                        Diagnostic::error(format!("footnote `[^{label}]` is never defined"))
                            .at(source, at, "undefined footnote")
                            .with_code(Code::UndefinedFootnote);
                    d = match did_you_mean(label, defined.iter().copied()) {
                        Some(best) => d.with_help(format!("did you mean `[^{best}]`?")),
                        None => d.with_help(format!(
                            "add a definition line `[^{label}]: …` to this file"
                        )),
                    };
                    diags.push(d);
                }
            }
            rest = &rest[open + 2..];
        }
    }
    let used: HashSet<&str> = body.footnote_refs.iter().map(|(_, l)| l.as_str()).collect();
    for def in &body.footnotes {
        if !used.contains(def.label.as_str()) {
            diags.push(
                Diagnostic::warning(format!(
                    "footnote `[^{}]` is defined but never referenced",
                    def.label
                ))
                .at(source, spans[def.events.start].clone(), "unused footnote")
                .with_code(Code::UnusedFootnote),
            );
        }
    }
}

/// Bidirectional control characters can make source text read differently
/// from what it says; they are kept (escaped) but reported.
fn warn_bidi_controls(source: &Arc<SourceText>, range: Range<usize>, diags: &mut Vec<Diagnostic>) {
    let text = &source.text[range.clone()];
    if let Some((i, c)) = text
        .char_indices()
        .find(|(_, c)| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
        let at = range.start + i;
        diags.push(
            Diagnostic::warning(format!("bidirectional control character U+{:04X} in the text", c as u32))
                .at(source, at..at + c.len_utf8(), "invisible control character")
                .with_help("remove it unless the text really needs it: it can make the source read differently from the page")
                .with_code(Code::BidiControl),
        );
    }
}
