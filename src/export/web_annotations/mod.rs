//! Export: `annotations.jsonld`, every mention of the reading text as a W3C
//! Web Annotation, for annotation tools (Hypothesis, Recogito) and
//! annotation servers.
//!
//! One `AnnotationCollection` holds one `Annotation` per mention: its
//! motivation says what the mention does (`identifying` a person,
//! `describing` with a term, `assessing` a claim, whose status is a second,
//! textual body; a source mention is `linking`), its body is the entity's
//! page with its schema.org type, and its target is the part page with three
//! selectors of the mention's words: a `TextQuoteSelector`, a
//! `TextPositionSelector` over the page's text content, and a
//! `FragmentSelector` of the paragraph refined by a quote within it (or of
//! the mention's own anchor outside numbered paragraphs).
//!
//! Positions are in the text of the rendered page, so the selectors are made
//! from each part page as it is rendered ([`PageTexts::observe`]) and kept
//! small; the file is written once every page is.

mod page_text;

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Serialize;

use crate::model::{Edition, EntityKind, EntityRef};
use crate::render::jsonld::{Urls, schema_type};
use crate::render::{OutFile, PageSpec, RenderOptions};
use page_text::{PageText, page_text};

pub const PATH: &str = crate::site_paths::WEB_ANNOTATIONS;

/// Characters of context on each side of a quote.
const CONTEXT: usize = 32;

/// The selectors of each part page's mentions, by part index; filled as the
/// pages are rendered, from any thread.
#[derive(Default)]
pub struct PageTexts {
    parts: Mutex<HashMap<String, Vec<Selectors>>>,
}

/// Where one mention's words are on its page.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Selectors {
    anchor: u32,
    exact: String,
    prefix: String,
    suffix: String,
    start: usize,
    end: usize,
    /// The paragraph number and the quote's context clipped to it.
    paragraph: Option<(u32, String, String)>,
}

impl PageTexts {
    /// Takes note of a rendered file if it may be a part page: a page of
    /// the reading text (`SLUG/index.html`, or inside its sections' folders)
    /// with mention anchors. Which of them are parts is decided when the file
    /// is made, so there is no lookup per page. A page rendered again
    /// replaces what was noted of it.
    pub fn observe(&self, file: &OutFile) {
        let reading = crate::site_paths::is_reading_page(&file.path);
        let html = reading.then(|| std::str::from_utf8(&file.bytes).ok());
        let Some(Some(html)) = html else {
            return;
        };
        let selectors = selectors(&page_text(html));
        let mut parts = self.parts.lock().unwrap_or_else(|p| p.into_inner());
        if selectors.is_empty() {
            parts.remove(&file.path);
        } else {
            parts.insert(file.path.clone(), selectors);
        }
    }

    /// Forgets pages that are no longer parts of `e` (after a rename).
    pub fn retain_parts_of(&self, e: &Edition) {
        let current: std::collections::HashSet<String> = (0..e.parts.len())
            .map(|i| PageSpec::Part(i).path(e))
            .collect();
        let mut parts = self.parts.lock().unwrap_or_else(|p| p.into_inner());
        parts.retain(|path, _| current.contains(path));
    }

    /// The file, from the pages noted so far.
    pub fn file(&self, e: &Edition, opts: &RenderOptions) -> OutFile {
        let mut bytes = Vec::new();
        self.write(e, opts, &mut bytes)
            .expect("writing to memory cannot fail");
        OutFile {
            path: PATH.into(),
            bytes,
        }
    }

    /// The file, written to `w` as it is made: at 1,000 annotated parts it
    /// is 25 MB, which `build` need not hold.
    pub fn write(
        &self,
        e: &Edition,
        opts: &RenderOptions,
        w: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let parts = self.parts.lock().unwrap_or_else(|p| p.into_inner());
        write_jsonld(e, opts, &parts, w)
    }
}

/// The selectors of every mention anchor on a page.
fn selectors(page: &PageText) -> Vec<Selectors> {
    let chars = &page.text;
    let collect = |r: std::ops::Range<usize>| chars[r].iter().collect::<String>();
    page.mentions
        .iter()
        .map(|(anchor, r)| {
            let paragraph =
                (page.paragraphs.iter()).find(|(_, p)| p.start <= r.start && r.end <= p.end);
            let (prefix, suffix) = context_bounds(chars, r.start, r.end, paragraph.is_none());
            let paragraph = paragraph.map(|(n, p)| {
                let before = r.start.saturating_sub(CONTEXT).max(p.start);
                let after = (r.end + CONTEXT).min(p.end);
                (*n, collect(before..r.start), collect(r.end..after))
            });
            Selectors {
                anchor: *anchor,
                exact: collect(r.clone()),
                prefix: collect(prefix..r.start),
                suffix: collect(r.end..suffix),
                start: r.start,
                end: r.end,
                paragraph,
            }
        })
        .collect()
}

/// The bounds of `CONTEXT` characters each side of `start..end`; with
/// `widen`, widened while the quote with its context occurs more than once
/// on the page (as the text of a footnote does, shown both as a margin note
/// and in the notes list). Searching the whole page for every mention would
/// cost more than the page, so only mentions outside numbered paragraphs,
/// where such repeats are, are widened.
fn context_bounds(chars: &[char], start: usize, end: usize, widen: bool) -> (usize, usize) {
    let mut width = CONTEXT;
    loop {
        let before = start.saturating_sub(width);
        let after = (end + width).min(chars.len());
        let whole = before == 0 && after == chars.len();
        if !widen || whole || occurs_once(chars, before, after) {
            return (before, after);
        }
        width *= 2;
    }
}

fn occurs_once(chars: &[char], from: usize, to: usize) -> bool {
    let needle = &chars[from..to];
    let mut windows = chars.windows(needle.len()).filter(|w| *w == needle);
    windows.next().is_some() && windows.next().is_none()
}

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    total: usize,
    first: Page<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Page<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    start_index: usize,
    items: Vec<Annotation<'a>>,
}

#[derive(Serialize)]
struct Annotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    body: Vec<Body>,
    target: Target<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body {
    /// The entity's page.
    Page {
        id: String,
        #[serde(rename = "type")]
        kind: String,
        format: &'static str,
    },
    /// A claim's status.
    Status {
        #[serde(rename = "type")]
        kind: &'static str,
        purpose: &'static str,
        value: &'static str,
    },
}

#[derive(Serialize)]
struct Target<'a> {
    source: String,
    selector: Vec<Selector<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Selector<'a> {
    #[serde(rename = "TextQuoteSelector")]
    Quote {
        exact: &'a str,
        prefix: &'a str,
        suffix: &'a str,
    },
    #[serde(rename = "TextPositionSelector")]
    Position { start: usize, end: usize },
    #[serde(rename = "FragmentSelector")]
    Fragment {
        #[serde(rename = "conformsTo")]
        conforms_to: &'static str,
        value: String,
        #[serde(rename = "refinedBy", skip_serializing_if = "Option::is_none")]
        refined_by: Option<Box<Selector<'a>>>,
    },
}

/// The whole file, from the selectors noted per part page.
fn write_jsonld(
    e: &Edition,
    opts: &RenderOptions,
    pages: &HashMap<String, Vec<Selectors>>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let urls = Urls {
        root: "",
        base: opts.base_url.as_deref(),
    };
    let mut items = Vec::with_capacity(e.mentions.len());
    for (pi, part) in e.parts.iter().enumerate() {
        let path = PageSpec::Part(pi).path(e);
        let Some(selectors) = pages.get(&path) else {
            continue;
        };
        let by_anchor: HashMap<u32, &Selectors> = selectors.iter().map(|s| (s.anchor, s)).collect();
        for m in &e.mentions[part.mentions.clone()] {
            if let Some(s) = by_anchor.get(&m.anchor) {
                items.push(annotation(e, &urls, &path, m.entity, s));
            }
        }
    }
    let collection = Collection {
        context: "http://www.w3.org/ns/anno.jsonld",
        id: urls.url(PATH),
        kind: "AnnotationCollection",
        label: format!("The annotations of {}", e.meta.title),
        total: items.len(),
        first: Page {
            id: format!("{}#page-1", urls.url(PATH)),
            kind: "AnnotationPage",
            start_index: 0,
            items,
        },
    };
    serde_json::to_writer_pretty(&mut *w, &collection)?;
    w.write_all(b"\n")
}

fn annotation<'a>(
    e: &Edition,
    urls: &Urls,
    page: &str,
    entity: EntityRef,
    s: &'a Selectors,
) -> Annotation<'a> {
    let mut body = vec![Body::Page {
        id: urls.url(&PageSpec::Entity(entity).path(e)),
        kind: format!("schema:{}", schema_type(e, entity)),
        format: "text/html",
    }];
    let motivation = match entity.kind {
        EntityKind::Person | EntityKind::Place | EntityKind::Organisation => "identifying",
        EntityKind::Term => "describing",
        EntityKind::Source => "linking",
        EntityKind::Claim => {
            body.push(Body::Status {
                kind: "TextualBody",
                purpose: "assessing",
                value: e.claims[entity.index as usize].status.as_str(),
            });
            "assessing"
        }
    };
    let fragment = match &s.paragraph {
        Some((n, prefix, suffix)) => Selector::Fragment {
            conforms_to: "http://tools.ietf.org/rfc/rfc3986",
            value: format!("p{n}"),
            refined_by: Some(Box::new(Selector::Quote {
                exact: &s.exact,
                prefix,
                suffix,
            })),
        },
        None => Selector::Fragment {
            conforms_to: "http://tools.ietf.org/rfc/rfc3986",
            value: format!("m-{}", s.anchor),
            refined_by: None,
        },
    };
    Annotation {
        id: format!(
            "{}#{}-m-{}",
            urls.url(PATH),
            page.trim_end_matches("/index.html"),
            s.anchor
        ),
        kind: "Annotation",
        motivation,
        body,
        target: Target {
            source: urls.url(page),
            selector: vec![
                Selector::Quote {
                    exact: &s.exact,
                    prefix: &s.prefix,
                    suffix: &s.suffix,
                },
                Selector::Position {
                    start: s.start,
                    end: s.end,
                },
                fragment,
            ],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_quote_gets_context_until_it_is_unique() {
        // The same footnote text twice, as a margin note and in the notes
        // list, with different surroundings only far from the quote.
        let note = format!("{} Crocker {}", "a".repeat(40), "b".repeat(40));
        let page: Vec<char> = format!("margin: {note} / list: {note} end")
            .chars()
            .collect();
        let start = page.len() - " end".len() - "b".repeat(40).len() - " Crocker ".len() + 1;
        let end = start + "Crocker".len();
        assert_eq!(page[start..end].iter().collect::<String>(), "Crocker");
        let (before, after) = context_bounds(&page, start, end, false);
        assert_eq!((start - before, after - end), (CONTEXT, CONTEXT));
        assert!(!occurs_once(&page, before, after));
        let (before, after) = context_bounds(&page, start, end, true);
        assert!(occurs_once(&page, before, after));
        assert_eq!(start - before, 2 * CONTEXT);
    }
}
