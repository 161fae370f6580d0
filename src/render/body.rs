//! Render stage: a parsed Markdown body with its resolved links becomes HTML.
//!
//! The event stream is rewritten, not re-parsed: numbered paragraphs get their
//! id and ¶ permalink, mentions become links to entity pages with margin notes
//! on first mention, footnote references join the part's note numbering,
//! footnote definitions move to the glossary, and code blocks are highlighted.
//! Text is escaped by pulldown-cmark's HTML writer; only markup built here is
//! passed through as HTML.

use std::collections::HashMap;
use std::fmt::Write as _;

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use crate::diagnostics::{Code, Diagnostic};
use crate::files::{self, Files};
use crate::markdown::{Body, EventIndex, cow};
use crate::model::{Edition, EntityKind, EntityRef, LinkResolution, Note, Part};
use crate::render::citations::Citations;
use crate::render::esc;
use crate::render::highlight::{self, Plain};
use crate::render::notes::ShortTexts;

/// What a body needs besides itself.
pub struct BodyContext<'a> {
    pub edition: &'a Edition,
    /// `../` repeated to reach the site root from the page.
    pub root: &'a str,
    pub links: &'a [LinkResolution],
    /// The part, when the body is reading text (notes and mentions apply).
    pub part: Option<&'a Part>,
    pub short: &'a ShortTexts,
    /// The sources formatted in the edition's style, made on first use
    /// (see [`Renderer::citations`](crate::render::Renderer::citations)).
    pub citations: &'a CitationsCell,
    /// The files copied from `content/`, for image sizes.
    pub files: &'a Files,
    /// Whether to emit ids (a footnote shown twice must not repeat them).
    pub with_ids: bool,
    /// Whether mentions carry their `m-N` anchor. A footnote's text is shown
    /// twice, as a margin note and in the notes list; a mention inside it is
    /// anchored in the list, which is always visible, so it has one target.
    pub mention_ids: bool,
}

impl BodyContext<'_> {
    /// An entity's text in a margin note or a glossary entry: its short
    /// text, or for a source its reference as the edition's style formats it.
    pub fn note_text(&self, entity: EntityRef) -> String {
        note_text(self.edition, self.short, self.citations, entity, self.root)
    }
}

/// The sources as the style formats them, formatted when first asked for.
pub type CitationsCell = std::sync::OnceLock<std::sync::Arc<Citations>>;

/// See [`BodyContext::note_text`]. A source the style gives no entry
/// keeps its short text.
pub fn note_text(
    e: &Edition,
    short: &ShortTexts,
    citations: &CitationsCell,
    entity: EntityRef,
    root: &str,
) -> String {
    if entity.kind == EntityKind::Source {
        let formatted = (citations.get_or_init(|| Citations::new(e))).entry(entity.index);
        if !formatted.is_empty() {
            return formatted.to_string();
        }
    }
    short.at(entity, root)
}

/// A body parsed again for rendering, once per page: the body itself, its
/// margin notes and its glossary entries are all cut from the same events.
pub struct Parsed<'b> {
    events: Vec<Event<'b>>,
    spans: Vec<std::ops::Range<usize>>,
    index: EventIndex,
}

impl<'b> Parsed<'b> {
    pub fn new(body: &'b Body) -> Self {
        let (events, spans) = body.events_and_spans();
        Parsed {
            events,
            spans,
            index: body.event_index(),
        }
    }
}

/// Renders `body` to HTML, with warnings for code blocks shown plain.
pub fn render(body: &Body, ctx: &BodyContext) -> (String, Vec<Diagnostic>) {
    let parsed = Parsed::new(body);
    let mut diags = Vec::new();
    let events = rewrite(body, &parsed, ctx, 0..parsed.events.len(), &mut diags);
    let mut html = String::with_capacity(body.range.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    (html, diags)
}

/// Renders a footnote definition's content (for the glossary and margin notes).
pub fn render_footnote(body: &Body, parsed: &Parsed, label: &str, ctx: &BodyContext) -> String {
    let Some(def) = body.footnote(label) else {
        return String::new();
    };
    let inner = def.events.start + 1..def.events.end - 1;
    let mut diags = Vec::new();
    let events = rewrite(body, parsed, ctx, inner, &mut diags);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Rewrites the events of `range` in one pass: each event is copied or
/// replaced by the markup built here, and a few take the events after them
/// along (an image, a code block, the text a margin note follows).
fn rewrite<'e>(
    body: &Body,
    parsed: &Parsed<'e>,
    ctx: &BodyContext,
    range: std::ops::Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Event<'e>> {
    let mut rewriter = Rewriter {
        body,
        parsed,
        ctx,
        end: range.end,
        whole_body: range.start == 0,
        first_of_note: ctx.part.map(first_mentions).unwrap_or_default(),
        out: Vec::with_capacity(range.len()),
        numbered: Vec::new(),
        heading_stack: Vec::new(),
        after_heading: String::new(),
        diags,
    };
    let mut i = range.start;
    while i < range.end {
        i = rewriter.event(i);
    }
    rewriter.out
}

/// The state of one [`rewrite`].
struct Rewriter<'r, 'e> {
    body: &'r Body,
    parsed: &'r Parsed<'e>,
    ctx: &'r BodyContext<'r>,
    /// Where the events to rewrite end.
    end: usize,
    /// Whether the whole body is rewritten, not one footnote's content.
    whole_body: bool,
    first_of_note: HashMap<u32, usize>,
    out: Vec<Event<'e>>,
    /// For each open paragraph, whether it is numbered (and so closed here).
    numbered: Vec<bool>,
    /// The id of each open heading.
    heading_stack: Vec<String>,
    /// Margin notes of mentions inside a heading, shown after it: a note
    /// inside `<h2>` would become part of the heading's text and outline.
    after_heading: String,
    diags: &'r mut Vec<Diagnostic>,
}

impl<'e> Rewriter<'_, 'e> {
    /// Rewrites the event at `i`; returns the index of the next event to
    /// rewrite.
    fn event(&mut self, i: usize) -> usize {
        let parsed = self.parsed;
        let events = &parsed.events;
        let index = &parsed.index;
        let event = &events[i];
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) if self.whole_body => {
                // Definitions are shown in the glossary, not where they are written.
                return self.body.skip_footnote_definition(i);
            }
            Event::Start(Tag::Paragraph) => match lone_image(events, i) {
                Some(end) => return self.figure(i, end),
                None => self.start_paragraph(i, event),
            },
            Event::Start(Tag::Image { .. }) => return self.image(i),
            Event::End(TagEnd::Paragraph) => self.end_paragraph(event),
            Event::Start(Tag::Heading { level, .. }) => self.start_heading(i, *level as u8),
            Event::End(TagEnd::Heading(level)) => self.end_heading(*level as u8),
            Event::Start(Tag::Link { .. }) => match index.link_at.get(&i) {
                Some(&li) => self.start_link(i, li),
                None => self.out.push(event.clone()),
            },
            Event::End(TagEnd::Link) => match index.link_end.get(&i) {
                Some(&li) => return self.end_link(i, li),
                None => self.out.push(event.clone()),
            },
            Event::FootnoteReference(_) => {
                let ri = index.footnote_ref_at.get(&i).copied().unwrap_or(0);
                let html_ref = footnote_ref(self.body, parsed, self.ctx, ri);
                self.out.push(html(html_ref));
            }
            Event::Start(Tag::CodeBlock(kind)) => return self.code_block(i, kind),
            _ => self.out.push(event.clone()),
        }
        i + 1
    }

    /// A paragraph of one titled image (it ends at `end`) as a `<figure>`.
    fn figure(&mut self, i: usize, end: usize) -> usize {
        let events = &self.parsed.events;
        let id = (self.parsed.index.paragraph_at.get(&i).copied())
            .filter(|_| self.ctx.with_ids)
            .map(|n| format!(" id=\"p{}\"", n + 1))
            .unwrap_or_default();
        let (image, caption) = image_html(self.ctx, self.body, &events[i + 1..end], true);
        self.out.push(html(format!(
            "<figure{id}>{image}<figcaption>{}</figcaption></figure>\n",
            esc(&caption)
        )));
        end + 2
    }

    fn image(&mut self, i: usize) -> usize {
        let events = &self.parsed.events;
        let end = image_end(events, i);
        let (image, _) = image_html(self.ctx, self.body, &events[i..end], false);
        self.out.push(html(image));
        end + 1
    }

    /// A numbered paragraph opens with its id and ¶ number.
    fn start_paragraph(&mut self, i: usize, event: &Event<'e>) {
        let n = (self.parsed.index.paragraph_at.get(&i).copied()).filter(|_| self.ctx.with_ids);
        self.numbered.push(n.is_some());
        match n {
            Some(n) => self.out.push(html(format!(
                "<p id=\"p{0}\" class=\"para\"><a class=\"pnum\" href=\"#p{0}\" aria-label=\"Paragraph {0}\" data-para=\"{0}\">{0}</a> ",
                n + 1
            ))),
            None => self.out.push(event.clone()),
        }
    }

    fn end_paragraph(&mut self, event: &Event<'e>) {
        if self.numbered.pop() == Some(true) {
            self.out.push(html("</p>\n".into()));
        } else {
            self.out.push(event.clone());
        }
    }

    fn start_heading(&mut self, i: usize, lvl: u8) {
        let id = (self.parsed.index.heading_at.get(&i))
            .map(|&h| self.body.headings[h].id.clone())
            .unwrap_or_default();
        if self.ctx.with_ids && !id.is_empty() {
            self.out.push(html(format!("<h{lvl} id=\"{}\">", esc(&id))));
        } else {
            self.out.push(html(format!("<h{lvl}>")));
        }
        self.heading_stack.push(id);
    }

    /// A heading closes with its `#` link, then the margin notes of the
    /// mentions in it.
    fn end_heading(&mut self, lvl: u8) {
        let id = self.heading_stack.pop().unwrap_or_default();
        if self.ctx.with_ids && !id.is_empty() {
            self.out.push(html(format!(
                " <a class=\"anchor\" href=\"#{0}\" aria-label=\"Link to this section\">#</a></h{lvl}>\n",
                esc(&id)
            )));
        } else {
            self.out.push(html(format!("</h{lvl}>\n")));
        }
        if !self.after_heading.is_empty() {
            let notes = std::mem::take(&mut self.after_heading);
            self.out.push(html(format!(
                "<div class=\"heading-notes\">{notes}</div>\n"
            )));
        }
    }

    /// The opening tag of the `li`th link of the body, and the entity's
    /// name for a link written without text.
    fn start_link(&mut self, i: usize, li: usize) {
        let ctx = self.ctx;
        let res = &ctx.links[li];
        let to_file = match res {
            LinkResolution::External(url) => file_link(ctx, self.body, url),
            _ => None,
        };
        self.out
            .push(html(to_file.unwrap_or_else(|| open_link(ctx, res))));
        if self.body.links[li].end == i + 1 {
            self.out.push(Event::Text(cow(empty_link_text(ctx, res))));
        }
    }

    /// The end of the `li`th link, then its margin note, if it opens one:
    /// after the rest of the word the link ends in, or, in a heading, after
    /// the heading.
    fn end_link(&mut self, i: usize, li: usize) -> usize {
        let events = &self.parsed.events;
        let (close, note) = close_link(
            self.ctx,
            &self.ctx.links[li],
            self.body.links[li].locator.as_deref(),
            &self.first_of_note,
        );
        self.out.push(html(close));
        // The text that follows, as one run: smart punctuation makes
        // each quote a text event of its own.
        let mut next = i + 1;
        let mut following = String::new();
        while next < self.end && !note.is_empty() && self.heading_stack.is_empty() {
            let Event::Text(t) = &events[next] else { break };
            following.push_str(t);
            next += 1;
        }
        let word_end = end_of_word(&following);
        if word_end > 0 {
            // `Trump’s¹`, not `Trump¹’s`: the number goes after what
            // still belongs to the word.
            self.out
                .push(Event::Text(cow(following[..word_end].to_string())));
            self.out.push(html(note));
            if word_end < following.len() {
                self.out
                    .push(Event::Text(cow(following[word_end..].to_string())));
            }
            return next;
        }
        match self.heading_stack.is_empty() {
            true => self.out.push(html(note)),
            false => self.after_heading.push_str(&note),
        }
        i + 1
    }

    /// A code block, highlighted, with a warning when it is shown plain.
    fn code_block(&mut self, start: usize, kind: &CodeBlockKind) -> usize {
        let events = &self.parsed.events;
        let lang = match kind {
            CodeBlockKind::Fenced(info) => {
                info.split([' ', ',', '{']).next().unwrap_or("").to_string()
            }
            CodeBlockKind::Indented => String::new(),
        };
        let mut code = String::new();
        let mut i = start + 1;
        while i < self.end && !matches!(events[i], Event::End(TagEnd::CodeBlock)) {
            if let Event::Text(t) = &events[i] {
                code.push_str(t);
            }
            i += 1;
        }
        let (inner, plain) = highlight::highlight(&code, &lang);
        if let (Some(plain), Some(part)) = (plain, self.ctx.part) {
            let span = self.parsed.spans[start].clone();
            (self.diags).push(code_warning(plain, &part.origin.source, span));
        }
        let class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", esc(&lang))
        };
        self.out.push(html(format!(
            "<pre class=\"code\"><code{class}>{inner}</code></pre>\n"
        )));
        i + 1
    }
}

/// The index of the `End(Image)` of the image that starts at `start`.
pub(crate) fn image_end(events: &[Event], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, e) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// If the paragraph starting at `start` holds one image with a title and
/// nothing else, the index of that image's end: it becomes a figure.
fn lone_image(events: &[Event], start: usize) -> Option<usize> {
    let Some(Event::Start(Tag::Image { title, .. })) = events.get(start + 1) else {
        return None;
    };
    let end = image_end(events, start + 1);
    let alone = matches!(events.get(end + 1), Some(Event::End(TagEnd::Paragraph)));
    (alone && !title.trim().is_empty()).then_some(end)
}

/// An image's `<img>` from its events (`Start(Image)` … `End(Image)`), and
/// its title. A file of the edition is linked from the site root, with its
/// width and height so the text does not move as it loads. In a figure the
/// title is the caption, so it is not repeated as a tooltip.
fn image_html(ctx: &BodyContext, body: &Body, events: &[Event], figure: bool) -> (String, String) {
    let Some(Event::Start(Tag::Image {
        dest_url, title, ..
    })) = events.first()
    else {
        return (String::new(), String::new());
    };
    let alt: String = (events.iter())
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let target = files::file_target(files::body_rel(&body.source), dest_url).and_then(Result::ok);
    let size = (target.as_deref())
        .and_then(|t| ctx.files.get(t))
        .and_then(|f| f.size)
        .map(|(w, h)| format!(" width=\"{w}\" height=\"{h}\""))
        .unwrap_or_default();
    let src = match &target {
        Some(t) => format!("{}{t}", ctx.root),
        None => dest_url.to_string(),
    };
    let tooltip = match title.is_empty() || figure {
        true => String::new(),
        false => format!(" title=\"{}\"", esc(title)),
    };
    // On the element, not in the stylesheet every page loads (which would
    // change every page of every edition): a large image stays within the
    // measure, its height following from its width.
    let img = format!(
        "<img src=\"{}\" alt=\"{}\"{size}{tooltip} loading=\"lazy\" style=\"max-width: 100%; height: auto\">",
        esc(&src),
        esc(&alt)
    );
    (img, title.to_string())
}

/// The opening tag of a link to a file of the edition (`map.pdf`), which
/// is copied to the same path from the site root; `None` for other links.
fn file_link(ctx: &BodyContext, body: &Body, url: &str) -> Option<String> {
    let target = files::file_target(files::body_rel(&body.source), url)?.ok()?;
    let rest = url.find(['#', '?']).map_or("", |i| &url[i..]);
    Some(format!(
        "<a href=\"{}{}{}\">",
        ctx.root,
        esc(&target),
        esc(rest)
    ))
}

/// How many bytes at the start of `text` still belong to the word before
/// it: a possessive (`’s`, `'s`) and closing quotes or brackets.
fn end_of_word(text: &str) -> usize {
    let mut end = ["’s", "'s"]
        .iter()
        .find(|p| {
            text.strip_prefix(**p)
                .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
        })
        .map_or(0, |p| p.len());
    while let Some(c) = text[end..]
        .chars()
        .next()
        .filter(|c| matches!(c, '’' | '”' | '"' | '\'' | ')' | ']'))
    {
        end += c.len_utf8();
    }
    end
}

fn html(s: String) -> Event<'static> {
    Event::InlineHtml(cow(s))
}

/// For each note of the part, the mention anchor that carries its number.
pub fn first_mentions(part: &Part) -> HashMap<u32, usize> {
    part.notes
        .iter()
        .enumerate()
        .filter_map(|(n, note)| match note {
            Note::Entity { mentions, .. } => mentions.first().map(|&a| (a, n + 1)),
            Note::Footnote { .. } => None,
        })
        .collect()
}

fn open_link(ctx: &BodyContext, res: &LinkResolution) -> String {
    let e = ctx.edition;
    match res {
        LinkResolution::Mention(mi) => {
            let m = &e[*mi];
            let id_attr = if ctx.mention_ids {
                format!(" id=\"m-{}\"", m.anchor)
            } else {
                String::new()
            };
            let note = ctx
                .part
                .and_then(|p| {
                    p.notes.iter().position(
                        |n| matches!(n, Note::Entity { entity, .. } if *entity == m.entity),
                    )
                })
                .map(|n| format!(" data-note=\"n-{}\"", n + 1))
                .unwrap_or_default();
            format!(
                "<a class=\"{}\"{id_attr} href=\"{}{}\" data-entity=\"{}:{}\"{note}>",
                mention_class(e, m.entity),
                ctx.root,
                esc(&e.entity_url(m.entity)),
                m.entity.kind.prefix(),
                esc(e.entity_id(m.entity))
            )
        }
        LinkResolution::Entity(ent) => format!(
            "<a class=\"{}\" href=\"{}{}\" data-entity=\"{}:{}\">",
            mention_class(e, *ent),
            ctx.root,
            esc(&e.entity_url(*ent)),
            ent.kind.prefix(),
            esc(e.entity_id(*ent))
        ),
        LinkResolution::Internal(url) => format!("<a href=\"{}{}\">", ctx.root, esc(url)),
        LinkResolution::Fragment(f) => format!("<a href=\"#{}\">", esc(f)),
        LinkResolution::External(url) => format!(
            "<a class=\"external\" href=\"{}\" rel=\"noopener\">",
            esc(url)
        ),
        LinkResolution::Broken => "<a>".into(),
    }
}

fn mention_class(e: &Edition, entity: crate::model::EntityRef) -> String {
    match entity.kind {
        EntityKind::Claim => format!(
            "mention mention--claim claim--{}",
            e.claims[entity.index as usize].status.as_str()
        ),
        k => format!("mention mention--{}", k.name()),
    }
}

fn empty_link_text(ctx: &BodyContext, res: &LinkResolution) -> String {
    let e = ctx.edition;
    match res {
        LinkResolution::Mention(mi) => e.entity_name(e[*mi].entity).to_string(),
        LinkResolution::Entity(ent) => e.entity_name(*ent).to_string(),
        _ => String::new(),
    }
}

/// The end of a link, with its locator and claim mark; and, apart, the
/// margin note (or note number) of a mention that opens one.
fn close_link(
    ctx: &BodyContext,
    res: &LinkResolution,
    locator: Option<&str>,
    first: &HashMap<u32, usize>,
) -> (String, String) {
    let e = ctx.edition;
    let mut s = String::from("</a>");
    let entity = match res {
        LinkResolution::Mention(mi) => Some(e[*mi].entity),
        LinkResolution::Entity(ent) => Some(*ent),
        _ => None,
    };
    if let Some(locator) = locator.filter(|_| entity.is_some()) {
        let _ = write!(s, " <span class=\"locator\">({})</span>", esc(locator));
    }
    if let Some(ent) = entity.filter(|e| e.kind == EntityKind::Claim) {
        let status = e.claims[ent.index as usize].status;
        let _ = write!(
            s,
            "<span class=\"claim-mark claim-mark--{0}\" title=\"{0} claim: {1}\">{2}<span class=\"visually-hidden\"> ({0} claim)</span></span>",
            status.as_str(),
            status.explanation(),
            status.symbol()
        );
    }
    let mut note = String::new();
    if let LinkResolution::Mention(mi) = res {
        let m = &e[*mi];
        if let Some(&n) = first.get(&m.anchor) {
            if ctx.with_ids {
                note.push_str(&sidenote(n, &margin_note_text(ctx, m.entity)));
            } else {
                // First mentioned inside a footnote: the footnote is itself a
                // note, so the number links to the entry instead of opening
                // a margin note within a margin note.
                let _ = write!(
                    note,
                    "<sup class=\"note-ref\"><a href=\"#n-{n}\" aria-label=\"Note {n}\">{n}</a></sup>"
                );
            }
        }
    }
    (s, note)
}

/// A mention's margin note. A person's, a place's and an organisation's
/// begin with the name: the description alone ("A U.S. diplomat…", "The
/// capital of Iraq") does not say whose note it is when the text calls them
/// "he", "the city" or "the agency". A claim, a source and a term show
/// their own words first.
fn margin_note_text(ctx: &BodyContext, entity: EntityRef) -> String {
    let short = ctx.note_text(entity);
    match entity.kind {
        EntityKind::Person | EntityKind::Place | EntityKind::Organisation => format!(
            "<span class=\"sidenote-name\">{}</span>: {short}",
            esc(ctx.edition.entity_name(entity))
        ),
        _ => short,
    }
}

/// The Tufte pattern: a number that toggles a margin note, usable without
/// JavaScript (a checkbox), with the note beside the text on wide screens.
pub fn sidenote(n: usize, content: &str) -> String {
    sidenote_with_id(n, "", content)
}

/// A margin note whose number carries `id_attr` (empty, or ` id="…"`).
fn sidenote_with_id(n: usize, id_attr: &str, content: &str) -> String {
    format!(
        "<label for=\"sn-{n}\" class=\"margin-toggle note-number\"{id_attr}><span class=\"visually-hidden\">Note </span>{n}</label><input type=\"checkbox\" id=\"sn-{n}\" class=\"margin-toggle\"><span class=\"sidenote\" id=\"sn-{n}-text\"><span class=\"sidenote-number\">{n}</span> {content}</span>"
    )
}

fn footnote_ref(body: &Body, parsed: &Parsed, ctx: &BodyContext, ri: usize) -> String {
    let Some(part) = ctx.part else {
        return String::new();
    };
    let n = part.footnote_numbers.get(ri).copied().unwrap_or(0) as usize;
    let label = &body.footnote_refs[ri].1;
    let first = body.footnote_refs.iter().position(|(_, l)| l == label) == Some(ri);
    let id = if ctx.with_ids {
        format!(" id=\"fr-{}\"", ri + 1)
    } else {
        String::new()
    };
    // The first reference opens the note in the margin; its number is the
    // only one shown, and carries the id the glossary's back-link targets.
    // Later references link to the glossary entry.
    if first && ctx.with_ids {
        let inner_ctx = BodyContext {
            with_ids: false,
            mention_ids: false,
            ..*ctx
        };
        let content = crate::render::notes::inline_block_html(&render_footnote(
            body, parsed, label, &inner_ctx,
        ));
        return sidenote_with_id(n, &id, &content);
    }
    format!(
        "<sup class=\"footnote-ref\"{id}><a href=\"#n-{n}\" aria-label=\"Note {n}\">{n}</a></sup>"
    )
}

fn code_warning(
    plain: Plain,
    source: &std::sync::Arc<crate::diagnostics::SourceText>,
    span: std::ops::Range<usize>,
) -> Diagnostic {
    let line_end = source.text[span.start..]
        .find('\n')
        .map_or(span.end, |i| span.start + i);
    match plain {
        Plain::UnknownLanguage(lang) => Diagnostic::warning(format!(
            "unknown code-block language `{lang}`: shown without highlighting"
        ))
        .at(source, span.start..line_end, "this block")
        .with_code(Code::UnknownLanguage)
        .with_help("use a language syntect knows (rust, yaml, markdown, python, json, …) or none"),
        Plain::TooLarge => {
            Diagnostic::warning("code block too large to highlight: shown as plain text")
                .at(source, span.start..line_end, "this block")
                .with_code(Code::CodeTooLarge)
        }
    }
}
