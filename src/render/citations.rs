//! Render stage: each source formatted as a bibliography entry in the
//! edition's CSL style (`citation_style:` in `_index.md`), by hayagriva with
//! its bundled styles and locales, so nothing is fetched.
//!
//! The sources go to hayagriva as the CSL-JSON items of `sources.csl.json`,
//! so the formatted entries and the export read the same fields. Everything
//! is formatted once per build, together, because a style's disambiguation
//! (2020a, 2020b) and its order depend on all the entries.

use std::fmt::Write as _;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use hayagriva::archive::{ArchivedStyle, LOCALES, locales};
use hayagriva::citationberg::StyleClass;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{
    FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, LocaleCode, Style,
    TextDecoration, VerticalAlign, json::Item,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
    ElemChild, ElemChildren, Formatting, LocatorPayload, SpecificLocator,
};

use crate::export::csl_json;
use crate::model::{Author, Edition};
use crate::render::esc;

/// The style an edition is formatted in unless it names another.
pub const DEFAULT_STYLE: &str = "chicago-author-date";

/// Every name a bundled style answers to, sorted.
pub fn style_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = ArchivedStyle::all()
        .iter()
        .flat_map(|s| s.names().iter().copied())
        .collect();
    names.sort_unstable();
    names
}

/// Whether `name` is a bundled style that can format a bibliography.
pub fn is_bundled(name: &str) -> bool {
    ArchivedStyle::by_name(name).is_some_and(|s| matches!(s.get(), Style::Independent(_)))
}

/// The sources as the style formats them.
#[derive(Debug, Default, Clone)]
pub struct Citations {
    /// The HTML of each source's entry, by source index.
    entries: Vec<String>,
    /// Source indices in the order the style sorts its bibliography.
    order: Vec<u32>,
}

impl Citations {
    /// Formats every source of `e` in its style, or takes the formatting of
    /// the last edition formatted if its sources, style and language are the
    /// same: `serve` renders again on every edit, and formatting a thousand
    /// sources takes longer than the edit's whole rebuild.
    pub fn new(e: &Edition) -> Arc<Self> {
        if e.sources.is_empty() {
            return Arc::default();
        }
        static LAST: Mutex<Option<(u64, Arc<Citations>)>> = Mutex::new(None);
        let items = csl_json::to_csl_json(e);
        let key = foldhash::fast::FixedState::default().hash_one((
            &items,
            &e.meta.citation_style,
            e.meta.style_file.as_ref().map(|f| &f.xml),
            &e.meta.language,
        ));
        let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, c)) = last.as_ref().filter(|(k, _)| *k == key) {
            return Arc::clone(c);
        }
        let fresh = Arc::new(Self::format(e, &items));
        *last = Some((key, Arc::clone(&fresh)));
        fresh
    }

    /// Formats every source of `e` (as the CSL-JSON `items`) in its style
    /// (the default if the edition's is unknown, which resolve has already
    /// reported).
    fn format(e: &Edition, items: &[u8]) -> Self {
        let Some(style) = style_of(e) else {
            return Citations::default();
        };
        let items: Vec<Item> = serde_json::from_slice(items).expect("sources.csl.json is CSL-JSON");
        let locales = &locales_for(&e.meta.language);
        let mut driver = BibliographyDriver::new();
        // hayagriva's stable sort renders the sort keys anew for every
        // comparison; given the entries nearly in order, it makes about one
        // comparison per entry instead of a dozen. Its comparison alone
        // decides the order. A style that does not sort numbers the entries
        // in the order given, which stays the edition's.
        let mut given: Vec<usize> = (0..items.len()).collect();
        if (style.bibliography.as_ref()).is_some_and(|b| b.sort.is_some()) {
            given.sort_by_cached_key(|&i| presort_key(e, i));
        }
        for &i in &given {
            driver.citation(CitationRequest::from_items(
                vec![CitationItem::with_entry(&items[i])],
                &style,
                locales,
            ));
        }
        let locale = Some(LocaleCode(e.meta.language.clone()));
        let rendered = driver.finish(BibliographyRequest::new(&style, locale, locales));
        let mut entries = vec![String::new(); e.sources.len()];
        let mut order = Vec::with_capacity(e.sources.len());
        for item in rendered.bibliography.map(|b| b.items).unwrap_or_default() {
            let Some(i) = e.sources.iter().position(|s| s.id == item.key) else {
                continue;
            };
            let mut html = String::new();
            if let Some(first) = &item.first_field {
                write_child(&mut html, first);
                html.push(' ');
            }
            write_children(&mut html, &item.content);
            entries[i] = html;
            order.push(i as u32);
        }
        Citations { entries, order }
    }

    /// The HTML of source `index`'s entry; empty if the style gave none.
    pub fn entry(&self, index: u32) -> &str {
        self.entries.get(index as usize).map_or("", String::as_str)
    }

    /// Source indices in bibliography order.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// A hash of everything formatted, for the fingerprints of the pages
    /// that show it.
    pub fn hash_into(&self, h: &mut impl Hasher) {
        (&self.entries, &self.order).hash(h);
    }
}

/// The edition's style: its own `.csl` file, or a bundled style by name, or
/// the default if the name is unknown (which resolve has already reported).
fn style_of(e: &Edition) -> Option<IndependentStyle> {
    if let Some(file) = &e.meta.style_file {
        return IndependentStyle::from_xml(&file.xml).ok();
    }
    let style = ArchivedStyle::by_name(&e.meta.citation_style)
        .or_else(|| ArchivedStyle::by_name(DEFAULT_STYLE))
        .map(ArchivedStyle::get);
    match style {
        Some(Style::Independent(style)) => Some(style),
        _ => None,
    }
}

/// Where a paragraph's number goes in a part's reference.
pub const PARAGRAPH_MARK: &str = "\u{E002}";

/// How the ¶ menu cites a paragraph of a part in the edition's style, as
/// plain text with marks for the part's title
/// ([`csl_json::PART_TITLE_MARK`]), the paragraph's address
/// ([`csl_json::PARAGRAPH_URL_MARK`]) and its number ([`PARAGRAPH_MARK`]):
/// formatted once per edition, each page fills in its title and the script
/// the paragraph. A note style's note cites the paragraph as a locator; an
/// in-text style's bibliography entry names the part, with the paragraph's
/// address, followed by the citation in the text with the paragraph as a
/// locator. Empty when the style gives nothing.
pub fn paragraph_citation(e: &Edition) -> String {
    static LAST: Mutex<Option<(u64, String)>> = Mutex::new(None);
    let item = csl_json::part_item(e);
    let key = foldhash::fast::FixedState::default().hash_one((
        &item,
        &e.meta.citation_style,
        e.meta.style_file.as_ref().map(|f| &f.xml),
        &e.meta.language,
    ));
    let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, text)) = last.as_ref().filter(|(k, _)| *k == key) {
        return text.clone();
    }
    let text = format_paragraph_citation(e, &item).unwrap_or_default();
    *last = Some((key, text.clone()));
    text
}

fn format_paragraph_citation(e: &Edition, item: &[u8]) -> Option<String> {
    let style = style_of(e)?;
    let item: Item = serde_json::from_slice(item).ok()?;
    let locales = &locales_for(&e.meta.language);
    let locator = SpecificLocator(Locator::Paragraph, LocatorPayload::Str(PARAGRAPH_MARK));
    let mut driver = BibliographyDriver::new();
    driver.citation(CitationRequest::from_items(
        vec![CitationItem::with_locator(&item, Some(locator))],
        &style,
        locales,
    ));
    let locale = Some(LocaleCode(e.meta.language.clone()));
    let rendered = driver.finish(BibliographyRequest::new(&style, locale, locales));
    let mut citation = String::new();
    let first = rendered.citations.first()?;
    (first.citation)
        .write_buf(&mut citation, BufWriteFormat::Plain)
        .ok()?;
    if style.settings.class == StyleClass::Note {
        return Some(citation.trim().to_string()).filter(|t| !t.is_empty());
    }
    let mut text = String::new();
    let entry = rendered.bibliography?.items.into_iter().next()?;
    if let Some(first) = &entry.first_field {
        first.write_buf(&mut text, BufWriteFormat::Plain).ok()?;
        text.push(' ');
    }
    (entry.content)
        .write_buf(&mut text, BufWriteFormat::Plain)
        .ok()?;
    // The entry names the part; the citation in the text, the paragraph.
    if citation.contains(PARAGRAPH_MARK) {
        text.push(' ');
        text.push_str(citation.trim());
    }
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// What most styles sort a bibliography by: the first author's family name
/// (the last word of a plain name), or the title when there is no author;
/// then the date and the title.
fn presort_key(e: &Edition, i: usize) -> (String, String, String) {
    let Some(s) = e.sources.get(i) else {
        return Default::default();
    };
    let title = s.title.to_lowercase();
    let first = s.authors.first().map(|a| match a {
        Author::Person(p) => {
            let p = &e[*p];
            p.sort_as.clone()
        }
        Author::Name(n) => family(n),
    });
    let date = s.date.as_ref().map(|d| d.0.clone()).unwrap_or_default();
    (
        first.unwrap_or_else(|| title.clone()).to_lowercase(),
        date,
        title,
    )
}

fn family(name: &str) -> String {
    name.split_whitespace().last().unwrap_or(name).to_string()
}

/// The bundled locales a bibliography in `language` can use: those of its
/// language and `en-US`, CSL's last fallback. Decoding all of hayagriva's
/// locales costs far more than formatting an edition's sources, so only
/// these are decoded; if a locale's language cannot be read from its bytes,
/// all are.
fn locales_for(language: &str) -> Vec<Locale> {
    let primary = |l: &str| l.split(['-', '_']).next().unwrap_or(l).to_ascii_lowercase();
    let wanted = primary(language);
    let mut chosen = Vec::new();
    for bytes in LOCALES {
        match locale_lang(bytes) {
            Some(l) if l == "en-US" || primary(l) == wanted => chosen.push(*bytes),
            Some(_) => {}
            None => return locales(),
        }
    }
    (chosen.iter())
        .filter_map(|b| ciborium::de::from_reader(*b).ok())
        .collect()
}

/// The `lang` of a bundled locale, read from its CBOR without decoding it:
/// the text key `@xml:lang` followed by a short text value.
fn locale_lang(bytes: &[u8]) -> Option<&str> {
    const KEY: &[u8] = b"\x69@xml:lang";
    let at = bytes.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let head = *bytes.get(at)?;
    if !(0x60..0x78).contains(&head) {
        return None;
    }
    let len = usize::from(head - 0x60);
    std::str::from_utf8(bytes.get(at + 1..at + 1 + len)?).ok()
}

/// hayagriva's own HTML writer passes text through unescaped; this one
/// escapes every text and URL and marks formatting with plain elements.
fn write_children(out: &mut String, children: &ElemChildren) {
    for child in &children.0 {
        write_child(out, child);
    }
}

fn write_child(out: &mut String, child: &ElemChild) {
    match child {
        ElemChild::Text(t) => formatted(out, &t.formatting, &esc(&t.text)),
        ElemChild::Markup(m) => out.push_str(&esc(m)),
        ElemChild::Elem(e) => write_children(out, &e.children),
        ElemChild::Link { text, url } => {
            let inner = format!("<a href=\"{}\">{}</a>", esc(url), esc(&text.text));
            formatted(out, &text.formatting, &inner);
        }
        ElemChild::Transparent { .. } => {}
    }
}

/// `html` wrapped in the elements `f` asks for.
fn formatted(out: &mut String, f: &Formatting, html: &str) {
    let mut close = Vec::new();
    let mut open = |tag: &'static str, attrs: &str| {
        let _ = write!(out, "<{tag}{attrs}>");
        close.push(tag);
    };
    if f.font_style == FontStyle::Italic {
        open("i", "");
    }
    if f.font_weight == FontWeight::Bold {
        open("b", "");
    }
    if f.font_variant == FontVariant::SmallCaps {
        open("span", " class=\"small-caps\"");
    }
    if f.text_decoration == TextDecoration::Underline {
        open("u", "");
    }
    match f.vertical_align {
        VerticalAlign::Sup => open("sup", ""),
        VerticalAlign::Sub => open("sub", ""),
        _ => {}
    }
    out.push_str(html);
    for tag in close.into_iter().rev() {
        let _ = write!(out, "</{tag}>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_locale_names_its_language_in_its_bytes() {
        let langs: Vec<&str> = LOCALES.iter().filter_map(|b| locale_lang(b)).collect();
        assert_eq!(langs.len(), LOCALES.len());
        assert!(langs.contains(&"en-US"));
        assert_eq!(locales_for("en").len(), 2, "{langs:?}");
    }
}
