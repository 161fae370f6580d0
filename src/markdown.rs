//! Parse stage, part three: a Markdown body becomes a [`Body`]: its events,
//! the links it makes (mentions, links to other content files, external
//! links), its numbered paragraphs as plain text, its footnotes and headings.
//!
//! Nothing here knows which entities exist: a mention is only a kind and an ID
//! until resolve looks it up. All loops are over the flat event list, never
//! recursive, so deeply nested input cannot overflow the stack.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Code, Diagnostic, SourceText, did_you_mean};
use crate::kinds::EntityKind;
use crate::link_shapes;

/// The Markdown extensions glossator enables, one by one (`Options::all()`
/// would also turn on the old footnote syntax).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What a link points at, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `person:crocker`: an entity of the edition.
    Mention { kind: EntityKind, id: String },
    /// `02-iraq.md#p4`: another content file, by its path relative to this one.
    Content {
        path: String,
        fragment: Option<String>,
    },
    /// `#p4`: a place on the same page.
    Fragment(String),
    /// Anything with a safe scheme, or a relative URL that is not a content file.
    External(String),
}

#[derive(Debug, Clone)]
pub struct LinkRef {
    /// Index of the link's `Start` event in [`BodyData::events`].
    pub start: usize,
    /// Index of its matching `End` event.
    pub end: usize,
    pub target: Target,
    /// The link title, used by mentions as a pinpoint locator ("p. 52").
    pub locator: Option<String>,
    /// The link's visible text, as plain text.
    pub text: String,
    /// Byte range of the link in the file.
    pub span: Range<usize>,
    /// The numbered paragraph it sits in (0-based), if any.
    pub paragraph: Option<usize>,
    /// Character range of the link text within that paragraph's plain
    /// text, or within its footnote's.
    pub chars: Range<usize>,
    /// True when the link sits inside a footnote definition.
    pub in_footnote: bool,
    /// The footnote definition it sits in, an index into the body's
    /// footnotes: its sentence is taken from the footnote's text.
    pub footnote: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct FootnoteDef {
    pub label: String,
    /// Event indices of `Start(FootnoteDefinition)` ..= its `End`.
    pub events: Range<usize>,
    /// The definition as plain text: the sentences of its mentions, and
    /// what search finds.
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    /// Index of the heading's `Start` event.
    pub start: usize,
}

/// A parsed Markdown body, shared: it is parsed once, then read by resolve
/// and render (and kept between rebuilds by `serve`) without being copied.
#[derive(Debug, Clone, Default)]
pub struct Body(Arc<BodyData>);

impl std::ops::Deref for Body {
    type Target = BodyData;
    fn deref(&self) -> &BodyData {
        &self.0
    }
}

/// What a body holds: what was learnt from its events, not the events
/// themselves. Those are parsed again from the source text when a body is
/// rendered ([`BodyData::events`]): pulldown-cmark parses faster than owned
/// events can be copied, and keeping them would take several times the text's
/// size in memory for the whole build. Event indices below refer to that
/// event sequence, which is the same on every parse.
#[derive(Debug, Clone)]
pub struct BodyData {
    /// The file the body is in, and the body's byte range in it.
    pub source: Arc<SourceText>,
    pub range: Range<usize>,
    /// Raw HTML stays HTML (otherwise it becomes text, as reported at parse).
    allow_html: bool,
    /// How many events the body has.
    pub event_count: usize,
    pub links: Vec<LinkRef>,
    /// Plain text of each numbered paragraph.
    pub paragraphs: Vec<String>,
    /// Event index of each numbered paragraph's `Start`.
    pub paragraph_starts: Vec<usize>,
    pub footnotes: Vec<FootnoteDef>,
    /// `(event index, label)` of each footnote reference, in order.
    pub footnote_refs: Vec<(usize, String)>,
    pub headings: Vec<Heading>,
    pub has_code: bool,
    /// Whether the body has an image (which parse does not keep).
    pub has_images: bool,
}

/// Event index → the position, in the body's own lists, of what is there.
pub struct EventIndex {
    /// Index into `links` of the link that starts at the event.
    pub link_at: HashMap<usize, usize>,
    /// Index into `links` of the link that ends at the event.
    pub link_end: HashMap<usize, usize>,
    /// Zero-based number of the numbered paragraph that starts at the event.
    pub paragraph_at: HashMap<usize, usize>,
    /// Index into `headings` of the heading that starts at the event.
    pub heading_at: HashMap<usize, usize>,
    /// Index into `footnote_refs` of the reference at the event.
    pub footnote_ref_at: HashMap<usize, usize>,
}

impl Default for BodyData {
    fn default() -> Self {
        BodyData {
            source: SourceText::new("", String::new()),
            range: 0..0,
            allow_html: false,
            event_count: 0,
            links: Vec::new(),
            paragraphs: Vec::new(),
            paragraph_starts: Vec::new(),
            footnotes: Vec::new(),
            footnote_refs: Vec::new(),
            headings: Vec::new(),
            has_code: false,
            has_images: false,
        }
    }
}

impl BodyData {
    /// The body's events, parsed again from its source.
    pub fn events(&self) -> Vec<Event<'_>> {
        self.parse().map(|(event, _)| event).collect()
    }

    /// The file byte range of each event.
    pub fn spans(&self) -> Vec<Range<usize>> {
        self.parse().map(|(_, span)| span).collect()
    }

    /// Both at once.
    pub fn events_and_spans(&self) -> (Vec<Event<'_>>, Vec<Range<usize>>) {
        self.parse().unzip()
    }

    /// Events with their file byte ranges, raw HTML turned into text unless
    /// the edition allows it.
    fn parse(&self) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
        let base = self.range.start;
        let allow_html = self.allow_html;
        Parser::new_ext(&self.source.text[self.range.clone()], options())
            .into_offset_iter()
            .map(move |(event, span)| {
                let event = match event {
                    Event::Html(html) | Event::InlineHtml(html) if !allow_html => Event::Text(html),
                    other => other,
                };
                (event, base + span.start..base + span.end)
            })
    }

    /// What starts or ends at each event index, for the renderers that walk
    /// the events and must recognise links, paragraphs, headings and
    /// footnote references as they pass them.
    pub fn event_index(&self) -> EventIndex {
        fn by_event(pairs: impl Iterator<Item = (usize, usize)>) -> HashMap<usize, usize> {
            pairs.collect()
        }
        let links = self.links.iter().enumerate();
        EventIndex {
            link_at: by_event(links.clone().map(|(i, l)| (l.start, i))),
            link_end: by_event(links.map(|(i, l)| (l.end, i))),
            paragraph_at: by_event(
                self.paragraph_starts
                    .iter()
                    .enumerate()
                    .map(|(n, &ev)| (ev, n)),
            ),
            heading_at: by_event(self.headings.iter().enumerate().map(|(i, h)| (h.start, i))),
            footnote_ref_at: by_event(
                self.footnote_refs
                    .iter()
                    .enumerate()
                    .map(|(i, (ev, _))| (*ev, i)),
            ),
        }
    }

    /// The event index just past the footnote definition that starts at
    /// `start` (definitions are shown apart from where they are written).
    pub fn skip_footnote_definition(&self, start: usize) -> usize {
        self.footnotes
            .iter()
            .find(|f| f.events.start == start)
            .map_or(start + 1, |f| f.events.end)
    }

    /// Every `#fragment` another page may link to.
    pub fn anchors(&self) -> HashSet<String> {
        let mut set: HashSet<String> = (1..=self.paragraphs.len())
            .map(|i| format!("p{i}"))
            .collect();
        set.extend(self.headings.iter().map(|h| h.id.clone()));
        set
    }

    /// Whether `#f` names a place in the body, one of [`anchors`](Self::anchors),
    /// without making them all: every link between parts asks.
    pub fn has_anchor(&self, f: &str) -> bool {
        let paragraph = f
            .strip_prefix('p')
            .filter(|n| {
                !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())
            })
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n <= self.paragraphs.len());
        paragraph || self.headings.iter().any(|h| h.id == f)
    }

    pub fn footnote(&self, label: &str) -> Option<&FootnoteDef> {
        self.footnotes.iter().find(|f| f.label == label)
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// Number paragraphs (`p1`, `p2`, …): true for the reading text.
    pub number_paragraphs: bool,
    /// The edition allows raw HTML in Markdown.
    pub allow_html: bool,
}

/// Parses the body `range` of `source`.
pub fn parse_body(
    source: &Arc<SourceText>,
    range: Range<usize>,
    opts: ParseOptions,
) -> (Body, Vec<Diagnostic>) {
    let text = &source.text[range.clone()];
    let base = range.start;
    let mut diags = Vec::new();
    warn_bidi_controls(source, range.clone(), &mut diags);

    let mut body = BodyData {
        source: Arc::clone(source),
        range: range.clone(),
        allow_html: opts.allow_html,
        ..BodyData::default()
    };
    // Kept only while parsing; see `BodyData`.
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut open_links: Vec<(usize, LinkOpen)> = Vec::new();
    // Consecutive text events, as one run (pulldown-cmark splits text at
    // every `[` and `]`), to look for links that Markdown did not take for
    // links; and whether the run began right after a link's end.
    let mut text_run: Option<TextRun> = None;
    let mut link_just_closed = false;
    let mut paragraph: Option<(usize, String)> = None;
    let mut in_footnote: Option<(String, usize)> = None;
    let mut footnote_text = String::new();
    // Where plain text goes: the numbered paragraph, else the footnote.
    let text_len = |paragraph: &Option<(usize, String)>, footnote_text: &String| {
        paragraph
            .as_ref()
            .map_or(footnote_text.chars().count(), |(_, t)| t.chars().count())
    };
    let mut heading: Option<(u8, Option<String>, usize, String)> = None;
    let mut heading_ids: HashSet<String> = HashSet::new();

    for (event, span) in Parser::new_ext(text, options()).into_offset_iter() {
        let span = base + span.start..base + span.end;
        let index = events.len();
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) if !opts.allow_html => {
                diags.push(
                    Diagnostic::error("raw HTML is not allowed in this edition")
                        .at(source, span.clone(), "HTML here")
                        .with_help("write it in Markdown, escape `<` as `\\<`, or set `allow_html: true` in content/_index.md")
                        .with_code(Code::RawHtml),
                );
                Event::Text(html)
            }
            other => other,
        };
        match &event {
            Event::Start(Tag::Paragraph) if opts.number_paragraphs && in_footnote.is_none() => {
                // Its plain text is at most as long as its source: room
                // for all of it at once rather than growing by doubling.
                paragraph = Some((body.paragraphs.len(), String::with_capacity(span.len())));
                body.paragraph_starts.push(index);
                body.paragraphs.push(String::new());
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some((i, mut text)) = paragraph.take() {
                    // Built by appending, so with up to as much room again
                    // as it holds: an edition's paragraphs are nearly a copy
                    // of its whole text.
                    text.shrink_to_fit();
                    body.paragraphs[i] = text;
                }
                if in_footnote.is_some() {
                    footnote_text.push(' ');
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                in_footnote = Some((label.to_string(), index));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, start)) = in_footnote.take() {
                    body.footnotes.push(FootnoteDef {
                        label,
                        events: start..index + 1,
                        text: std::mem::take(&mut footnote_text).trim_end().to_string(),
                    });
                }
            }
            Event::FootnoteReference(label) => body.footnote_refs.push((index, label.to_string())),
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((
                    *level as u8,
                    id.as_ref().map(|s| s.to_string()),
                    index,
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, start, text)) = heading.take() {
                    let id = unique_id(id.unwrap_or_else(|| slugify(&text)), &mut heading_ids);
                    body.headings.push(Heading {
                        level,
                        id,
                        text,
                        start,
                    });
                }
            }
            Event::Start(Tag::CodeBlock(_)) => body.has_code = true,
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let chars = text_len(&paragraph, &footnote_text);
                open_links.push((
                    index,
                    LinkOpen {
                        link_type: *link_type,
                        dest: dest_url.to_string(),
                        title: title.to_string(),
                        span: span.clone(),
                        chars,
                        text: String::new(),
                    },
                ));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                body.has_images = true;
                if let Some(scheme) = dangerous_scheme(dest_url) {
                    diags.push(
                        Diagnostic::error(format!("`{scheme}:` image sources are not allowed"))
                            .at(source, span.clone(), "unsafe image source")
                            .with_code(Code::UnsafeImage),
                    );
                } else {
                    diags.extend(image_problem(source, span.clone(), dest_url));
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some((start, open)) = open_links.pop() {
                    let chars_end = text_len(&paragraph, &footnote_text);
                    match classify_target(&open.dest) {
                        Ok(target) => body.links.push(LinkRef {
                            start,
                            end: index,
                            target,
                            locator: (!open.title.is_empty()).then(|| open.title.clone()),
                            text: open.text,
                            span: open.span,
                            paragraph: paragraph.as_ref().map(|(i, _)| *i),
                            chars: open.chars..chars_end,
                            in_footnote: in_footnote.is_some(),
                            footnote: in_footnote.is_some().then_some(body.footnotes.len()),
                        }),
                        Err(problem) => {
                            diags.push(problem.diagnostic(source, open.span, open.link_type))
                        }
                    }
                }
            }
            Event::Text(t) => {
                match text_run.as_mut() {
                    Some(run) => {
                        run.span.end = span.end;
                        run.text.to_mut().push_str(t);
                    }
                    None => {
                        text_run = Some(TextRun {
                            span: span.clone(),
                            text: match t {
                                CowStr::Borrowed(b) => std::borrow::Cow::Borrowed(*b),
                                owned => std::borrow::Cow::Owned(owned.to_string()),
                            },
                            after_link: link_just_closed,
                        })
                    }
                }
                if let Some((_, p)) = paragraph.as_mut() {
                    p.push_str(t);
                } else if in_footnote.is_some() {
                    footnote_text.push_str(t);
                }
                for (_, open) in open_links.iter_mut() {
                    open.text.push_str(t);
                }
                if let Some((_, _, _, h)) = heading.as_mut() {
                    h.push_str(t);
                }
            }
            Event::Code(t) => {
                if let Some((_, p)) = paragraph.as_mut() {
                    p.push_str(t);
                } else if in_footnote.is_some() {
                    footnote_text.push_str(t);
                }
                for (_, open) in open_links.iter_mut() {
                    open.text.push_str(t);
                }
                if let Some((_, _, _, h)) = heading.as_mut() {
                    h.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, p)) = paragraph.as_mut() {
                    p.push(' ');
                } else if in_footnote.is_some() {
                    footnote_text.push(' ');
                }
                for (_, open) in open_links.iter_mut() {
                    open.text.push(' ');
                }
            }
            _ => {}
        }
        if let (false, Some(run)) = (matches!(event, Event::Text(_)), &text_run) {
            diags.extend(text_link_problem(source, run));
            text_run = None;
        }
        link_just_closed = matches!(event, Event::End(TagEnd::Link));
        events.push(event);
        spans.push(span);
    }
    body.event_count = events.len();
    // The lists grew by doubling; the model keeps them for the whole build.
    body.links.shrink_to_fit();
    body.paragraphs.shrink_to_fit();
    body.paragraph_starts.shrink_to_fit();
    body.headings.shrink_to_fit();
    check_footnotes(source, &body, &events, &spans, &mut diags);
    (Body(Arc::new(body)), diags)
}

struct LinkOpen {
    link_type: LinkType,
    dest: String,
    title: String,
    span: Range<usize>,
    chars: usize,
    text: String,
}

/// The problem with an image, if any: image syntax around a mention or a
/// content page (a link was meant), or a path to a file the site does not
/// hold (glossator copies no files from `content/` but its Markdown).
fn image_problem(source: &Arc<SourceText>, span: Range<usize>, dest: &str) -> Option<Diagnostic> {
    let d = match classify_target(dest) {
        Ok(Target::Mention { kind, id }) => Diagnostic::error(format!(
            "image syntax around the mention `{}:{id}`",
            kind.prefix()
        ))
        .with_help("a mention is a link: remove the `!` before `[`")
        .with_code(Code::ImageOfContent),
        Ok(Target::Content { path, .. }) => {
            Diagnostic::error(format!("image syntax around a link to the page `{path}`"))
                .with_help("a link to a part or page is written without the `!` before `[`")
                .with_code(Code::ImageOfContent)
        }
        _ => return None,
    };
    Some(d.at(source, span, "this image"))
}

/// Text between two other events, gathered from consecutive text events.
struct TextRun<'a> {
    span: Range<usize>,
    /// Borrowed from the source while the run is one piece of it, as most
    /// runs are; copied only when a second piece joins it.
    text: std::borrow::Cow<'a, str>,
    after_link: bool,
}

/// A problem that shows only in text: a mention written with a space after
/// the colon (so not a link at all), or the rest of a link around a link.
fn text_link_problem(source: &Arc<SourceText>, run: &TextRun) -> Option<Diagnostic> {
    let (span, text, after_link) = (run.span.clone(), run.text.as_ref(), run.after_link);
    // Both problems need a `](` in the text; most runs have none.
    let first_close = link_shapes::link_close(text)?;
    // The offset within the text is exact when the text is the source as
    // written, as it is unless it held escapes or entities.
    let written = source.text.get(span.clone()) == Some(text);
    let at = |r: Range<usize>| match written {
        true => span.start + r.start..span.start + r.end,
        false => span.clone(),
    };
    let closes_outer = Some(first_close).filter(|&i| after_link && !text[..i].contains('['));
    if let Some(close) = closes_outer {
        let end = text[close..]
            .find(')')
            .map_or(text.len(), |i| close + i + 1);
        return Some(
            Diagnostic::error("a link inside a link")
                .at(source, at(close..end), "the outer link ends here")
                .with_help(
                    "Markdown does not nest links: link the outer words and the mention separately",
                )
                .with_code(Code::NestedLink),
        );
    }
    let (range, kind, id) = link_shapes::spaced_mention(text)?;
    Some(
        Diagnostic::error(format!(
            "`{}` is not a mention: there is a space around the colon",
            &text[range.clone()]
        ))
        .at(source, at(range.clone()), "not a link")
        .with_help(match text[..range.start].rfind('[') {
            Some(open) => format!(
                "write `{}({}:{id})`",
                &text[open..range.start - 1],
                kind.prefix()
            ),
            None => format!("write `({}:{id})`", kind.prefix()),
        })
        .with_code(Code::AlmostMention),
    )
}

/// Why a link target was refused.
enum TargetProblem {
    /// `Person:x` or `people:x`: a kind in the wrong case or number.
    AlmostKind {
        written: String,
        kind: EntityKind,
        id: String,
    },
    UnknownKind {
        kind: String,
        id: String,
    },
    BadId {
        kind: EntityKind,
        id: String,
    },
    Dangerous(String),
}

impl TargetProblem {
    fn diagnostic(
        &self,
        source: &Arc<SourceText>,
        span: Range<usize>,
        _link_type: LinkType,
    ) -> Diagnostic {
        match self {
            TargetProblem::AlmostKind { written, kind, id } => Diagnostic::error(format!(
                "`{written}:{id}` is not a mention: kinds are written in lower case and singular"
            ))
            .at(source, span, "almost a mention")
            .with_help(format!("write `{}:{id}`", kind.prefix()))
            .with_code(Code::AlmostMention),
            TargetProblem::UnknownKind { kind, id } => {
                let d =
                    Diagnostic::error(format!("unknown kind `{kind}` in mention `{kind}:{id}`"))
                        .at(source, span, "unknown kind")
                        .with_code(Code::UnknownKind);
                match did_you_mean(kind, EntityKind::ALL.iter().map(|k| k.prefix())) {
                    Some(best) => d.with_help(format!("did you mean `{best}:{id}`?")),
                    None => {
                        let kinds: Vec<&str> = EntityKind::ALL.iter().map(|k| k.prefix()).collect();
                        d.with_help(format!(
                            "a mention names one of the kinds {}",
                            kinds.join(", ")
                        ))
                    }
                }
            }
            TargetProblem::BadId { kind, id } => Diagnostic::error(format!(
                "`{id}` is not a valid {} ID",
                kind.prefix()
            ))
            .at(source, span, "bad ID")
            .with_help(
                "IDs are lowercase letters, digits and hyphens, starting with a letter or digit",
            )
            .with_code(Code::InvalidId),
            TargetProblem::Dangerous(scheme) => {
                Diagnostic::error(format!("`{scheme}:` links are not allowed"))
                    .at(source, span, "unsafe link target")
                    .with_help("link to an http(s) address or to a page of the edition")
                    .with_code(Code::UnsafeLink)
            }
        }
    }
}

/// URL schemes that are links to the outside world, never entity kinds.
const URL_SCHEMES: &[&str] = &[
    "http", "https", "mailto", "tel", "ftp", "ftps", "doi", "urn", "news", "irc", "geo", "sms",
];

fn classify_target(dest: &str) -> Result<Target, TargetProblem> {
    if let Some(scheme) = dangerous_scheme(dest) {
        return Err(TargetProblem::Dangerous(scheme));
    }
    if let Some(fragment) = dest.strip_prefix('#') {
        return Ok(Target::Fragment(fragment.to_string()));
    }
    if let Some((scheme, rest)) = dest.split_once(':') {
        let looks_like_kind = !scheme.is_empty()
            && scheme.bytes().all(|b| b.is_ascii_alphabetic())
            && !rest.starts_with("//");
        if looks_like_kind {
            if let Some(kind) = EntityKind::from_prefix(scheme) {
                return if is_valid_id(rest) {
                    Ok(Target::Mention {
                        kind,
                        id: rest.to_string(),
                    })
                } else {
                    Err(TargetProblem::BadId {
                        kind,
                        id: rest.to_string(),
                    })
                };
            }
            if let Some(kind) = link_shapes::almost_kind(scheme) {
                return Err(TargetProblem::AlmostKind {
                    written: scheme.to_string(),
                    kind,
                    id: rest.to_string(),
                });
            }
            if !URL_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
                return Err(TargetProblem::UnknownKind {
                    kind: scheme.to_string(),
                    id: rest.to_string(),
                });
            }
        }
        return Ok(Target::External(dest.to_string()));
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    if path.ends_with(".md") && !path.starts_with("//") {
        return Ok(Target::Content {
            path: path.to_string(),
            fragment,
        });
    }
    Ok(Target::External(dest.to_string()))
}

/// The scheme of a `javascript:`, `vbscript:` or `data:` URL, however it is
/// disguised with case, blanks or control characters.
pub fn dangerous_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript", "vbscript", "data"]
        .into_iter()
        .find(|s| cleaned.starts_with(&format!("{s}:")))
        .map(str::to_string)
}

/// IDs become URL paths and file names: `[a-z0-9][a-z0-9-]*`.
pub fn is_valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
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

/// A heading's text as an anchor: lowercase words joined by hyphens.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Heading ids must not collide with each other nor with the ids glossator
/// gives paragraphs (`p3`), mentions (`m-3`) and notes (`n-3`).
fn unique_id(base: String, taken: &mut HashSet<String>) -> String {
    let reserved = |s: &str| {
        let bytes = s.as_bytes();
        (bytes.first() == Some(&b'p') && s.len() > 1 && s[1..].bytes().all(|b| b.is_ascii_digit()))
            || ["m-", "n-", "r-", "sn-"].iter().any(|p| {
                s.strip_prefix(p)
                    .is_some_and(|r| r.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
            })
            || s == "glossary"
            || s == "main"
    };
    let mut id = if reserved(&base) {
        format!("h-{base}")
    } else {
        base
    };
    let stem = id.clone();
    let mut n = 1;
    while !taken.insert(id.clone()) {
        n += 1;
        id = format!("{stem}-{n}");
    }
    id
}

/// Plain text of a run of inline Markdown (for titles and search).
pub fn plain_text(markdown: &str) -> String {
    if is_plain_already(markdown) {
        return markdown.to_string();
    }
    parsed_plain_text(markdown)
}

/// [`plain_text`] by the parser, always.
fn parsed_plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Whether `s` reads the same as Markdown and as text: it starts with a
/// letter (so no list, heading or quote), holds only letters, digits, single
/// spaces and punctuation that neither inline syntax nor smart punctuation
/// touches. Names and titles mostly are, and skipping the parser for them
/// matters: page heads name every entity a part mentions.
fn is_plain_already(s: &str) -> bool {
    let safe = |c: char| {
        c.is_alphanumeric()
            || matches!(
                c,
                ' ' | ','
                    | ';'
                    | ':'
                    | '('
                    | ')'
                    | '/'
                    | '?'
                    | '%'
                    | '@'
                    | '+'
                    | '='
                    | '.'
                    | '-'
                    | '‘'
                    | '’'
                    | '“'
                    | '”'
                    | '–'
                    | '—'
            )
    };
    s.chars().next().is_some_and(char::is_alphabetic)
        && !s.ends_with(' ')
        && s.chars().all(safe)
        && !s.contains("  ")
        && !s.contains("..")
        && !s.contains("--")
}

/// Maps labels to footnote definitions, for renderers.
pub fn footnote_index(body: &Body) -> HashMap<&str, &FootnoteDef> {
    body.footnotes
        .iter()
        .map(|f| (f.label.as_str(), f))
        .collect()
}

/// An owned copy of a string as a pulldown-cmark string.
pub fn cow(s: String) -> CowStr<'static> {
    CowStr::Boxed(s.into_boxed_str())
}

#[cfg(test)]
mod tests {

    proptest::proptest! {
        #[test]
        fn plain_text_skips_the_parser_only_where_it_changes_nothing(
            s in "[A-Za-z0-9 ,;:()/?%@+=.\\-‘’“”–—é*_`#>!'\"&|~\\[\\]]{0,40}"
        ) {
            proptest::prop_assert_eq!(plain_text(&s), parsed_plain_text(&s));
        }

        #[test]
        fn plain_text_agrees_on_name_like_strings(
            s in "[A-Z][a-b .,\\-'*:/?%@+=();‘’“”–—]{0,10}"
        ) {
            proptest::prop_assert_eq!(plain_text(&s), parsed_plain_text(&s));
        }
    }
    use super::*;

    fn parse(text: &str) -> (Body, Vec<Diagnostic>) {
        let src = SourceText::new("content/01-a.md", text.to_string());
        let len = src.text.len();
        parse_body(
            &src,
            0..len,
            ParseOptions {
                number_paragraphs: true,
                allow_html: false,
            },
        )
    }

    #[test]
    fn has_anchor_answers_as_the_set_of_anchors_does() {
        let (body, _) = parse("One.\n\n## A heading\n\nTwo.\n\n## p9 {#p9}\n\nThree.\n");
        let anchors = body.anchors();
        assert!(anchors.contains("p3") && anchors.contains("a-heading"));
        for f in [
            "p0",
            "p1",
            "p3",
            "p4",
            "p01",
            "p+1",
            "p-1",
            "p",
            "p9",
            "a-heading",
            "A-heading",
            "",
            "x",
        ] {
            assert_eq!(body.has_anchor(f), anchors.contains(f), "#{f}");
        }
    }

    #[test]
    fn mentions_carry_kind_id_locator_and_place() {
        let (body, diags) = parse(
            "Intro.\n\nAs [The Envoy](source:the-envoy \"p. 52\") says, [Crocker](person:crocker) met.\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(body.paragraphs.len(), 2);
        let envoy = &body.links[0];
        assert_eq!(
            envoy.target,
            Target::Mention {
                kind: EntityKind::Source,
                id: "the-envoy".into()
            }
        );
        assert_eq!(envoy.locator.as_deref(), Some("p. 52"));
        assert_eq!(envoy.paragraph, Some(1));
        assert_eq!(envoy.chars, 3..12);
        assert_eq!(&body.paragraphs[1][envoy.chars.clone()], "The Envoy");
        assert_eq!(body.links[1].text, "Crocker");
    }

    #[test]
    fn unknown_kinds_and_dangerous_schemes_are_errors() {
        let (_, diags) =
            parse("[x](persn:crocker) [y](javascript:alert(1)) [z](https://example.org)\n");
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(diags[0].message.contains("unknown kind `persn`"));
        assert_eq!(
            diags[0].help.as_deref(),
            Some("did you mean `person:crocker`?")
        );
        assert!(
            diags[1]
                .message
                .contains("`javascript:` links are not allowed")
        );
        assert_eq!(
            dangerous_scheme(" JaVa\tScript:x").as_deref(),
            Some("javascript")
        );
    }

    #[test]
    fn content_links_and_fragments_are_classified() {
        assert_eq!(
            classify_target("02-iraq.md#p4").ok(),
            Some(Target::Content {
                path: "02-iraq.md".into(),
                fragment: Some("p4".into())
            })
        );
        assert_eq!(
            classify_target("#p2").ok(),
            Some(Target::Fragment("p2".into()))
        );
    }

    #[test]
    fn undefined_footnotes_and_raw_html_are_errors() {
        let (_, diags) = parse("Text[^1] and [^missing].\n\n<b>bold</b>\n\n[^1]: A note.\n");
        let messages: Vec<_> = diags.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`[^missing]` is never defined")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("raw HTML")),
            "{messages:?}"
        );
    }

    #[test]
    fn footnote_syntax_in_code_is_an_example_not_a_reference() {
        let (_, diags) =
            parse("Text.\n\n```markdown\nwords[^e2] here\n```\n\nAnd `[^x]` inline.\n");
        assert!(
            diags.is_empty(),
            "{:?}",
            diags.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
    }

    #[test]
    fn footnote_paragraphs_are_not_numbered() {
        let (body, _) = parse("One[^a].\n\nTwo.\n\n[^a]: Note.\n");
        assert_eq!(
            body.paragraphs,
            vec!["One.".to_string(), "Two.".to_string()]
        );
        assert_eq!(body.footnotes.len(), 1);
    }

    #[test]
    fn heading_ids_avoid_reserved_and_repeated_ids() {
        let (body, _) = parse("# P1\n\n# Intro\n\n# Intro\n");
        let ids: Vec<_> = body.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["h-p1", "intro", "intro-2"]);
    }
}
