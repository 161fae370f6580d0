//! What a page says of itself in words: its title as a preview shows it and
//! a description of a sentence or two, both plain text.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::markdown::{Body, plain_text};
use crate::model::{Edition, EntityKind, EntityRef};
use crate::render::PageSpec;

/// Longest description, in characters, before it is cut at a word.
const DESCRIPTION_CHARS: usize = 200;

/// The page's title as a preview shows it.
pub(super) fn page_title(e: &Edition, spec: PageSpec) -> String {
    match spec {
        PageSpec::Index => e.meta.title.clone(),
        PageSpec::Part(i) => e.parts[i].title.clone(),
        PageSpec::Section(i) => e.sections[i].title.clone(),
        PageSpec::Page(i) => e.pages[i].title.clone(),
        PageSpec::KindIndex(k) => format!("{} · {}", k.plural_title(), e.meta.title),
        PageSpec::Entity(r) => plain_text(e.entity_name(r)),
        PageSpec::Search => format!("Search · {}", e.meta.title),
        PageSpec::Timeline => format!("Timeline · {}", e.meta.title),
        PageSpec::NotFound => format!("Page not found · {}", e.meta.title),
    }
}

/// One or two sentences on what the page holds, as plain text.
pub fn description(e: &Edition, spec: PageSpec) -> String {
    let text = match spec {
        PageSpec::Index => e
            .meta
            .subtitle
            .clone()
            .or_else(|| first_text(&e.meta.preface))
            .unwrap_or_else(|| e.meta.title.clone()),
        PageSpec::Part(i) => {
            let p = &e.parts[i];
            p.summary
                .as_deref()
                .map(plain_text)
                .or_else(|| first_text(&p.body))
                .unwrap_or_else(|| format!("{} · {}", p.title, e.meta.title))
        }
        PageSpec::Section(i) => {
            let s = &e.sections[i];
            (s.summary.as_deref().map(plain_text))
                .or_else(|| first_text(&s.body))
                .unwrap_or_else(|| format!("{} · {}", s.title, e.meta.title))
        }
        PageSpec::Page(i) => {
            let p = &e.pages[i];
            p.summary
                .as_deref()
                .map(plain_text)
                .or_else(|| first_text(&p.body))
                .unwrap_or_else(|| p.title.clone())
        }
        PageSpec::KindIndex(k) => format!(
            "{} in {}: {} entries.",
            k.plural_title(),
            e.meta.title,
            e.count(k)
        ),
        PageSpec::Entity(r) => entity_description(e, r),
        PageSpec::Search => format!("Search the text and the names of {}.", e.meta.title),
        PageSpec::Timeline => format!(
            "The dated claims and sources of {}, oldest first.",
            e.meta.title
        ),
        PageSpec::NotFound => format!("This page is not part of {}.", e.meta.title),
    };
    shorten(&text)
}

pub(super) fn entity_description(e: &Edition, r: EntityRef) -> String {
    let i = r.index as usize;
    match r.kind {
        EntityKind::Person => plain_text(&e.people[i].description),
        EntityKind::Place => plain_text(&e.places[i].description),
        EntityKind::Organisation => plain_text(&e.organisations[i].description),
        EntityKind::Term => format!(
            "{}: {}",
            e.terms[i].term,
            plain_text(&e.terms[i].definition)
        ),
        EntityKind::Claim => {
            let c = &e.claims[i];
            format!("{} ({} claim)", plain_text(&c.text), c.status.as_str())
        }
        EntityKind::Source => {
            let s = &e.sources[i];
            let mut out = s.title.clone();
            for extra in [s.outlet.as_deref(), s.date.as_ref().map(|d| d.0.as_str())]
                .into_iter()
                .flatten()
            {
                out.push_str(", ");
                out.push_str(extra);
            }
            out
        }
    }
}

/// The plain text of a body's first paragraph (headings and the like before
/// it are passed over).
fn first_text(body: &Body) -> Option<String> {
    if let Some(p) = body.paragraphs.first() {
        return Some(p.clone());
    }
    let mut out = String::new();
    let mut depth = 0usize;
    for ev in &body.events() {
        match ev {
            Event::Start(Tag::Paragraph) => depth += 1,
            Event::End(TagEnd::Paragraph) => {
                depth = depth.saturating_sub(1);
                if depth == 0 && !out.trim().is_empty() {
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) if depth > 0 => out.push_str(t),
            Event::SoftBreak | Event::HardBreak if depth > 0 => out.push(' '),
            _ => {}
        }
    }
    let out = out.trim().to_string();
    (!out.is_empty()).then_some(out)
}

/// Whitespace collapsed; cut at a word before the limit, with an ellipsis.
fn shorten(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= DESCRIPTION_CHARS {
        return text;
    }
    let cut: String = text.chars().take(DESCRIPTION_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let s = shorten(&long);
        assert!(s.ends_with("word…"));
        assert!(s.chars().count() <= DESCRIPTION_CHARS + 1);
    }

    #[test]
    fn a_description_skips_a_leading_heading() {
        let src = crate::diagnostics::SourceText::new(
            "content/pages/about.md",
            "## About the author\n\nAdam *Lammon* edits.\nHe writes.\n\nMore.\n".into(),
        );
        let opts = crate::markdown::ParseOptions {
            number_paragraphs: false,
            allow_html: false,
        };
        let (body, _) = crate::markdown::parse_body(&src, 0..src.text.len(), opts);
        assert!(body.paragraphs.is_empty());
        assert_eq!(
            first_text(&body).as_deref(),
            Some("Adam Lammon edits. He writes.")
        );
    }
}
