//! The EPUB's documents: the title page, the parts with their notes, the
//! editor's pages and the appendices of entities; knows where each thing lives
//! inside the book.

use std::fmt::Write as _;

use super::xhtml::{Writer, external_link, inline, to_html, xml};
use super::{Doc, xhtml_document};
use crate::markdown::Body;
use crate::model::{Author, Edition, EntityRef, Kind, LinkResolution, Note, Part};
use crate::render::esc;

/// Builds the documents; knows where everything lives inside the book.
pub(super) struct Book<'a> {
    pub(super) e: &'a Edition,
}

impl<'a> Book<'a> {
    fn part_file(i: usize) -> String {
        format!("part-{}.xhtml", i + 1)
    }

    fn page_file(i: usize) -> String {
        format!("page-{}.xhtml", i + 1)
    }

    fn appendix_file(kind: Kind) -> String {
        format!("{}.xhtml", kind.folder())
    }

    fn entity_anchor(&self, r: EntityRef) -> String {
        format!("{}-{}", r.kind.prefix(), self.e.entity_id(r))
    }

    /// An entity's entry in its appendix.
    pub(super) fn entity_href(&self, r: EntityRef) -> String {
        format!("{}#{}", Self::appendix_file(r.kind), self.entity_anchor(r))
    }

    /// A site path (`02-later/index.html#p2`) as a place in the book.
    pub(super) fn internal_href(&self, url: &str) -> Option<String> {
        let e = self.e;
        let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
        let file = if path == "index.html" || path.is_empty() {
            "title.xhtml".to_string()
        } else if let Some(i) = (0..e.parts.len()).find(|&i| e.part_url(i) == path) {
            Self::part_file(i)
        } else if let Some(i) = (0..e.pages.len()).find(|&i| e.page_url(i) == path) {
            Self::page_file(i)
        } else if let Some(r) = e.entities().find(|&r| e.entity_url(r) == path) {
            return Some(self.entity_href(r));
        } else {
            return None;
        };
        Some(if fragment.is_empty() {
            file
        } else {
            format!("{file}#{fragment}")
        })
    }

    pub(super) fn title_page(&self) -> Doc {
        let m = &self.e.meta;
        let mut body = format!(
            "<section epub:type=\"titlepage\" id=\"title\">\n<h1>{}</h1>\n",
            xml(&m.title)
        );
        if let Some(s) = &m.subtitle {
            let _ = writeln!(body, "<p class=\"subtitle\">{}</p>", xml(s));
        }
        if let Some(a) = &m.author {
            let _ = writeln!(body, "<p class=\"author\">{}</p>", xml(a));
        }
        if let Some(o) = &m.original {
            let said: Vec<&str> = [o.title.as_deref(), o.outlet.as_deref()]
                .into_iter()
                .flatten()
                .chain(o.date.as_ref().map(|d| d.0.as_str()))
                .collect();
            if !said.is_empty() {
                let _ = writeln!(
                    body,
                    "<p class=\"original\">First published: {}</p>",
                    xml(&said.join(", "))
                );
            }
        }
        if let Some(ed) = &m.editor {
            let _ = writeln!(body, "<p class=\"editor\">Edited by {}</p>", xml(ed));
        }
        if let Some(l) = &m.license {
            let _ = writeln!(body, "<p class=\"license\">{}</p>", xml(l));
        }
        body.push_str(&self.body(&m.preface, &m.preface_links, None));
        body.push_str("</section>\n");
        Doc {
            name: "title.xhtml".into(),
            title: m.title.clone(),
            xhtml: xhtml_document(self.e, &m.title, &body),
        }
    }

    pub(super) fn part(&self, i: usize) -> Doc {
        let p = &self.e.parts[i];
        let mut body = format!(
            "<section epub:type=\"chapter\" id=\"part\">\n<h1>{}</h1>\n",
            xml(&p.title)
        );
        body.push_str(&self.body(&p.body, &p.links, Some(p)));
        body.push_str("</section>\n");
        body.push_str(&self.footnotes(p));
        Doc {
            name: Self::part_file(i),
            title: p.title.clone(),
            xhtml: xhtml_document(self.e, &p.title, &body),
        }
    }

    pub(super) fn page(&self, i: usize) -> Doc {
        let p = &self.e.pages[i];
        let mut body = format!("<section id=\"page\">\n<h1>{}</h1>\n", xml(&p.title));
        body.push_str(&self.body(&p.body, &p.links, None));
        body.push_str("</section>\n");
        Doc {
            name: Self::page_file(i),
            title: p.title.clone(),
            xhtml: xhtml_document(self.e, &p.title, &body),
        }
    }

    /// A part's notes, numbered as in the site's glossary.
    fn footnotes(&self, part: &Part) -> String {
        if part.notes.is_empty() {
            return String::new();
        }
        let mut out =
            String::from("<section epub:type=\"footnotes\" class=\"notes\">\n<h2>Notes</h2>\n");
        for (n, note) in part.notes.iter().enumerate() {
            let inner = match note {
                Note::Entity { entity, .. } => {
                    // A claim's name is its text: it is stated once.
                    let rest = match entity.kind {
                        Kind::Claim => format!(" {}", self.claim_details(entity.index as usize)),
                        _ => format!(": {}", self.short_text(*entity)),
                    };
                    format!(
                        "<p><a href=\"{}\"><strong>{}</strong></a>{rest}</p>\n",
                        esc(&self.entity_href(*entity)),
                        inline(self.e.entity_name(*entity)),
                    )
                }
                Note::Footnote { label, .. } => self.footnote_body(part, label),
            };
            let _ = write!(
                out,
                "<aside epub:type=\"footnote\" id=\"n-{}\">\n<p class=\"note-number\">{}</p>\n{inner}</aside>\n",
                n + 1,
                n + 1
            );
        }
        out.push_str("</section>\n");
        out
    }

    fn footnote_body(&self, part: &Part, label: &str) -> String {
        let Some(def) = part.body.footnote(label) else {
            return String::new();
        };
        let inner = def.events.start + 1..def.events.end.saturating_sub(1);
        let w = Writer {
            book: self,
            body: &part.body,
            links: &part.links,
            part: Some(part),
            numbered: false,
        };
        to_html(w.rewrite(&part.body.events(), inner))
    }

    /// An entity's short text, as in the site's margin notes.
    fn short_text(&self, r: EntityRef) -> String {
        let e = self.e;
        let i = r.index as usize;
        match r.kind {
            Kind::Person => inline(&e.people[i].description),
            Kind::Term => inline(&e.terms[i].definition),
            Kind::Source => self.citation(i),
            Kind::Claim => format!("{} {}", inline(&e.claims[i].text), self.claim_details(i)),
        }
    }

    /// A claim's status and the titles of its sources.
    fn claim_details(&self, i: usize) -> String {
        let e = self.e;
        let c = &e.claims[i];
        let mut s = format!("<span class=\"status\">({})</span>", c.status.as_str());
        if !c.sources.is_empty() {
            let titles: Vec<String> = c
                .sources
                .iter()
                .map(|&si| format!("<cite>{}</cite>", xml(&e.sources[si as usize].title)))
                .collect();
            let _ = write!(s, " Sources: {}.", titles.join("; "));
        }
        s
    }

    fn citation(&self, i: usize) -> String {
        let e = self.e;
        let s = &e.sources[i];
        let authors: Vec<String> = s
            .authors
            .iter()
            .map(|a| match a {
                Author::Person(p) => xml(&e.people[*p as usize].name),
                Author::Name(n) => xml(n),
            })
            .collect();
        let mut out = String::new();
        if !authors.is_empty() {
            let _ = write!(out, "{}. ", authors.join(", "));
        }
        let _ = write!(out, "<cite>{}</cite>", xml(&s.title));
        for extra in [s.outlet.as_deref(), s.date.as_ref().map(|d| d.0.as_str())]
            .into_iter()
            .flatten()
        {
            let _ = write!(out, ", {}", xml(extra));
        }
        out
    }

    /// One appendix: every entity of a kind with its fields, note and mentions.
    pub(super) fn appendix(&self, kind: Kind) -> Doc {
        let e = self.e;
        let mut body = format!(
            "<section epub:type=\"appendix\" id=\"{}\">\n<h1>{}</h1>\n",
            kind.folder(),
            kind.plural_title()
        );
        // Sources also show their reference in the edition's citation style.
        let citations = (kind == Kind::Source).then(|| crate::render::citations::Citations::new(e));
        for index in 0..e.count(kind) as u32 {
            let r = EntityRef { kind, index };
            let _ = write!(
                body,
                "<section class=\"entry\" id=\"{}\">\n<h2>{}</h2>\n<p>{}</p>\n",
                esc(&self.entity_anchor(r)),
                inline(e.entity_name(r)),
                self.short_text(r)
            );
            body.push_str(&self.fields(r));
            let reference = citations.as_ref().map_or("", |c| c.entry(index));
            if !reference.is_empty() {
                let _ = writeln!(body, "<p class=\"reference\">{reference}</p>");
            }
            body.push_str(&self.body(e.entity_note(r), e.entity_note_links(r), None));
            body.push_str(&self.mentioned_in(r));
            body.push_str("</section>\n");
        }
        body.push_str("</section>\n");
        Doc {
            name: Self::appendix_file(kind),
            title: kind.plural_title().into(),
            xhtml: xhtml_document(e, kind.plural_title(), &body),
        }
    }

    fn fields(&self, r: EntityRef) -> String {
        let e = self.e;
        let i = r.index as usize;
        let mut fields: Vec<(&str, String)> = Vec::new();
        match r.kind {
            Kind::Person => {
                let p = &e.people[i];
                fields.extend(p.born.as_ref().map(|b| ("Born", xml(b))));
                fields.extend(p.died.as_ref().map(|d| ("Died", xml(d))));
                if !p.roles.is_empty() {
                    fields.push(("Roles", xml(&p.roles.join("; "))));
                }
                if !p.aliases.is_empty() {
                    fields.push(("Also called", xml(&p.aliases.join(", "))));
                }
                for l in &p.links {
                    fields.push(("Link", external_link(&l.url, &l.label)));
                }
                if let Some(q) = &p.wikidata {
                    let url = format!("https://www.wikidata.org/wiki/{q}");
                    fields.push(("Wikidata", external_link(&url, q)));
                }
            }
            Kind::Source => {
                let s = &e.sources[i];
                fields.extend(s.kind.map(|k| ("Kind", k.as_str().to_string())));
                fields.extend(
                    s.url
                        .as_ref()
                        .map(|u| ("Read the source", external_link(u, u))),
                );
                fields.extend(s.note_field.as_ref().map(|n| ("Note", xml(n))));
            }
            Kind::Claim => {
                let c = &e.claims[i];
                fields.push((
                    "Status",
                    format!("{}: {}", c.status.as_str(), c.status.explanation()),
                ));
                let people: Vec<String> = c
                    .attributed_to
                    .iter()
                    .map(|&p| {
                        self.entity_link(EntityRef {
                            kind: Kind::Person,
                            index: p,
                        })
                    })
                    .collect();
                if !people.is_empty() {
                    fields.push(("Attributed to", people.join(", ")));
                }
                let about: Vec<String> = c.about.iter().map(|&a| self.entity_link(a)).collect();
                if !about.is_empty() {
                    fields.push(("About", about.join(", ")));
                }
                fields.extend(c.date.as_ref().map(|d| ("Date", xml(&d.0))));
                fields.extend(c.note_field.as_ref().map(|n| ("Note", xml(n))));
            }
            Kind::Term => {
                let t = &e.terms[i];
                fields.extend(t.category.as_ref().map(|c| ("Category", xml(c))));
                if !t.aliases.is_empty() {
                    fields.push(("Also called", xml(&t.aliases.join(", "))));
                }
            }
        }
        if fields.is_empty() {
            return String::new();
        }
        let mut out = String::from("<dl>\n");
        for (label, value) in fields {
            let _ = writeln!(out, "<dt>{label}</dt><dd>{value}</dd>");
        }
        out.push_str("</dl>\n");
        out
    }

    fn entity_link(&self, r: EntityRef) -> String {
        format!(
            "<a href=\"{}\">{}</a>",
            esc(&self.entity_href(r)),
            inline(self.e.entity_name(r))
        )
    }

    /// Links back to every mention, grouped by part.
    fn mentioned_in(&self, r: EntityRef) -> String {
        let e = self.e;
        let mentions = e.entity_mentions(r);
        if mentions.is_empty() {
            return String::new();
        }
        let mut out = String::from("<p class=\"mentioned-in\">Mentioned in ");
        let mut last_part = None;
        for (n, &mi) in mentions.iter().enumerate() {
            let m = &e.mentions[mi as usize];
            if last_part != Some(m.part) {
                if last_part.is_some() {
                    out.push_str("; ");
                }
                let _ = write!(out, "{}: ", xml(&e.parts[m.part as usize].title));
                last_part = Some(m.part);
            } else if n > 0 {
                out.push_str(", ");
            }
            let label = m
                .paragraph
                .map_or_else(|| "here".to_string(), |p| format!("¶ {}", p + 1));
            let _ = write!(
                out,
                "<a href=\"{}#m-{}\">{label}</a>",
                Self::part_file(m.part as usize),
                m.anchor
            );
        }
        out.push_str(".</p>\n");
        out
    }

    fn body(&self, body: &Body, links: &[LinkResolution], part: Option<&Part>) -> String {
        let w = Writer {
            book: self,
            body,
            links,
            part,
            numbered: part.is_some(),
        };
        to_html(w.rewrite(&body.events(), 0..body.event_count))
    }
}
