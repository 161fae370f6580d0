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

use pulldown_cmark::{CowStr, Event, Options, Parser};

use crate::diagnostics::SourceText;
use crate::kinds::EntityKind;

mod parse;
mod problems;

pub use parse::parse_body;

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
            // Front matter's Markdown shows raw HTML as text (pages escape
            // it), so its plain text keeps it too.
            Event::InlineHtml(t) | Event::Html(t) => out.push_str(&t),
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
    use super::problems::classify_target;
    use super::*;
    use crate::diagnostics::Diagnostic;

    #[test]
    fn plain_text_keeps_what_looks_like_html_as_the_pages_show_it() {
        assert_eq!(
            plain_text("A Monograph of <Examples> & *Others*"),
            "A Monograph of <Examples> & Others"
        );
        assert_eq!(plain_text("x <b>y</b>"), "x <b>y</b>");
    }

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
