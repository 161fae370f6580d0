//! Render stage: the short texts of entities (a person's description, a
//! term's definition, a claim with its status and sources, a source's
//! citation), rendered once per build and shared by margin notes, glossaries,
//! previews and index pages.

use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt::Write as _;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::markdown::{cow, dangerous_scheme, options};
use crate::model::{Author, Edition, EntityKind, EntityRef, Source};
use crate::render::esc;
use crate::site_paths;

/// Inline HTML of each entity's short text. Links inside are root-relative
/// with a placeholder prefix, so one rendering serves pages at any depth.
pub struct ShortTexts {
    people: Vec<Short>,
    sources: Vec<Short>,
    claims: Vec<Short>,
    terms: Vec<Short>,
    places: Vec<Short>,
    organisations: Vec<Short>,
}

/// One short text, with the places where the root prefix goes found once:
/// pages ask for short texts about as often as there are mentions, so
/// searching each for the placeholder again would cost more than the rest of
/// the copy.
#[derive(Hash)]
pub struct Short {
    /// The HTML with every [`ROOT_MARK`] taken out.
    html: String,
    /// Byte offsets into `html` where the root prefix goes, in order.
    roots: Vec<u32>,
}

impl Short {
    fn new(marked: String) -> Short {
        if !marked.contains(ROOT_MARK) {
            return Short {
                html: marked,
                roots: Vec::new(),
            };
        }
        let mut html = String::with_capacity(marked.len());
        let mut roots = Vec::new();
        for (i, piece) in marked.split(ROOT_MARK).enumerate() {
            if i > 0 {
                roots.push(html.len() as u32);
            }
            html.push_str(piece);
        }
        Short { html, roots }
    }

    /// The HTML for a page whose root prefix is `root`.
    fn at(&self, root: &str) -> String {
        let mut out = String::with_capacity(self.html.len() + self.roots.len() * root.len());
        let mut from = 0;
        for &at in &self.roots {
            out.push_str(&self.html[from..at as usize]);
            out.push_str(root);
            from = at as usize;
        }
        out.push_str(&self.html[from..]);
        out
    }
}

/// Stands for the path to the site root inside cached HTML.
pub const ROOT_MARK: &str = "\u{1}ROOT\u{1}";

impl ShortTexts {
    pub fn new(e: &Edition) -> Self {
        let lookup = IdLookup::new(e);
        // Made anew on every rebuild of the development server: in parallel.
        let people = e
            .people
            .par_iter()
            .map(|p| Short::new(inline_markdown(&p.description, &lookup)))
            .collect();
        let terms = e
            .terms
            .par_iter()
            .map(|t| Short::new(inline_markdown(&t.definition, &lookup)))
            .collect();
        let places = (e.places.par_iter())
            .map(|p| Short::new(inline_markdown(&p.description, &lookup)))
            .collect();
        let organisations = (e.organisations.par_iter())
            .map(|o| Short::new(inline_markdown(&o.description, &lookup)))
            .collect();
        let sources = e
            .sources
            .par_iter()
            .map(|s| Short::new(citation_html(e, s)))
            .collect();
        let claims = e
            .claims
            .par_iter()
            .map(|c| {
                let status = c.status.as_str();
                let mut s = format!(
                    "{} <span class=\"status status--{status}\">{status}</span>",
                    inline_markdown(&c.text, &lookup)
                );
                let sources = c.sources.iter().map(|&si| {
                    let src = &e[si];
                    (
                        EntityKind::Source,
                        &src.id,
                        format!("<cite>{}</cite>", esc(&src.title)),
                    )
                });
                push_linked_list(&mut s, "claim-sources", "Sources: ", "; ", sources);
                let people = c.attributed_to.iter().map(|&pi| {
                    let p = &e[pi];
                    (EntityKind::Person, &p.id, esc(&p.name))
                });
                push_linked_list(&mut s, "claim-people", "Attributed to ", ", ", people);
                Short::new(s)
            })
            .collect();
        ShortTexts {
            people,
            sources,
            claims,
            terms,
            places,
            organisations,
        }
    }

    /// The short text, before a root prefix is put in.
    pub fn get(&self, e: EntityRef) -> &Short {
        let i = e.index as usize;
        match e.kind {
            EntityKind::Person => &self.people[i],
            EntityKind::Source => &self.sources[i],
            EntityKind::Claim => &self.claims[i],
            EntityKind::Term => &self.terms[i],
            EntityKind::Place => &self.places[i],
            EntityKind::Organisation => &self.organisations[i],
        }
    }

    /// The short text for a page whose root prefix is `root`.
    pub fn at(&self, e: EntityRef, root: &str) -> String {
        self.get(e).at(root)
    }
}

/// Appends `<span class="CLASS">LEAD a; b; c</span>`, each item a link to its
/// entity page; nothing when there are no items.
fn push_linked_list<'a>(
    s: &mut String,
    class: &str,
    lead: &str,
    separator: &str,
    items: impl Iterator<Item = (EntityKind, &'a String, String)>,
) {
    let mut items = items.peekable();
    if items.peek().is_none() {
        return;
    }
    // A middle dot between the note's parts: "sourced · Sources: … ·
    // Attributed to …", which would otherwise run together as one phrase.
    let _ = write!(
        s,
        "<span class=\"note-sep\" aria-hidden=\"true\"> · </span><span class=\"{class}\">{lead}"
    );
    for (i, (kind, id, label_html)) in items.enumerate() {
        if i > 0 {
            s.push_str(separator);
        }
        let _ = write!(
            s,
            "<a href=\"{ROOT_MARK}{}\">{label_html}</a>",
            esc(&site_paths::entity(kind, id))
        );
    }
    s.push_str("</span>");
}

/// Finds entities by ID for links inside front-matter Markdown fields.
pub struct IdLookup<'a> {
    edition: &'a Edition,
    ids: HashMap<(EntityKind, &'a str), u32>,
}

impl<'a> IdLookup<'a> {
    pub fn new(e: &'a Edition) -> Self {
        let mut ids = HashMap::new();
        for r in e.entities() {
            ids.insert((r.kind, e.entity_id(r)), r.index);
        }
        IdLookup { edition: e, ids }
    }
}

/// Renders a front-matter field as inline Markdown: emphasis, code and links;
/// block structure is flattened, raw HTML is escaped, unsafe links dropped.
pub fn inline_markdown(md: &str, lookup: &IdLookup) -> String {
    let mut events = Vec::new();
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h)),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let href = link_href(&dest_url, lookup);
                events.push(Event::InlineHtml(cow(match href {
                    Some(h) => format!("<a href=\"{}\">", esc(&h)),
                    None => "<a>".into(),
                })));
            }
            Event::End(TagEnd::Link) => events.push(Event::InlineHtml("</a>".into())),
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_)) => {}
            Event::SoftBreak => events.push(Event::Text(" ".into())),
            other => events.push(other),
        }
    }
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out.trim().to_string()
}

fn link_href(dest: &str, lookup: &IdLookup) -> Option<String> {
    if dangerous_scheme(dest).is_some() {
        return None;
    }
    if let Some((prefix, id)) = dest.split_once(':')
        && let Some(kind) = EntityKind::from_prefix(prefix)
    {
        let index = lookup.ids.get(&(kind, id))?;
        let r = EntityRef {
            kind,
            index: *index,
        };
        return Some(format!("{ROOT_MARK}{}", lookup.edition.entity_url(r)));
    }
    Some(dest.to_string())
}

/// A source as a bibliography entry: authors, title, outlet, date.
pub fn citation_html(e: &Edition, s: &Source) -> String {
    let mut out = String::new();
    let authors: Vec<String> = s
        .authors
        .iter()
        .map(|a| match a {
            Author::Person(p) => {
                let p = &e[*p];
                format!(
                    "<a href=\"{ROOT_MARK}{}\">{}</a>",
                    esc(&site_paths::entity(EntityKind::Person, &p.id)),
                    esc(&p.name)
                )
            }
            Author::Name(n) => esc(n),
        })
        .collect();
    if !authors.is_empty() {
        out.push_str(&authors.join(", "));
        out.push_str(". ");
    }
    let _ = write!(out, "<cite>{}</cite>", esc(&s.title));
    if let Some(outlet) = &s.outlet {
        let _ = write!(out, ", {}", esc(outlet));
    }
    if let Some(d) = &s.date {
        let _ = write!(
            out,
            ", {}",
            crate::dates::time_element(&d.0, &e.meta.language)
        );
    }
    if let Some(k) = s.kind {
        let _ = write!(out, " <span class=\"source-kind\">({})</span>", k.as_str());
    }
    out
}

/// Flattens rendered block HTML to fit inside a `<span>` margin note.
pub fn inline_block_html(html: &str) -> String {
    html.replace("<p>", "")
        .replace("</p>\n", " ")
        .replace("</p>", " ")
        .trim()
        .to_string()
}
