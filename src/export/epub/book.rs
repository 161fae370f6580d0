//! The EPUB's documents: the title page, the parts with their notes, the
//! editor's pages and the appendices of entities, placed by [`Layout`].

use std::fmt::Write as _;

use super::layout::Layout;
use super::xhtml::{Writer, external_link, inline, to_html, xml};
use super::{Doc, xhtml_document};
use crate::markdown::Body;
use crate::model::{
    Author, Edition, Entity, EntityKind, EntityRef, Id, LinkResolution, Note, Part,
};
use crate::render::esc;

/// Builds the documents.
pub(super) struct Book<'a> {
    pub(super) e: &'a Edition,
    /// The images packed into the book, by path relative to `content/`.
    pub(super) images: &'a super::Images,
    pub(super) layout: Layout<'a>,
}

impl<'a> Book<'a> {
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
        let cover = (m.cover.as_ref())
            .and_then(|c| Some((c, self.images.get(&crate::files::front_image_target(c)?)?)));
        if let Some((c, image)) = cover {
            let alt = c.alt.as_deref().unwrap_or("");
            let _ = writeln!(
                body,
                "<p class=\"cover\"><img src=\"{}\" alt=\"{}\"/></p>",
                esc(&image.href),
                xml(alt)
            );
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
            name: Layout::part_file(i),
            title: p.title.clone(),
            xhtml: xhtml_document(self.e, &p.title, &body),
        }
    }

    /// A section's title and introduction, before what it holds.
    pub(super) fn section(&self, i: usize) -> Doc {
        let s = &self.e.sections[i];
        let mut body = format!(
            "<section epub:type=\"part\" id=\"section\">\n<h1>{}</h1>\n",
            xml(&s.title)
        );
        body.push_str(&self.body(&s.body, &s.links, None));
        body.push_str("</section>\n");
        Doc {
            name: Layout::section_file(i),
            title: s.title.clone(),
            xhtml: xhtml_document(self.e, &s.title, &body),
        }
    }

    pub(super) fn page(&self, i: usize) -> Doc {
        let p = &self.e.pages[i];
        let mut body = format!("<section id=\"page\">\n<h1>{}</h1>\n", xml(&p.title));
        body.push_str(&self.body(&p.body, &p.links, None));
        body.push_str("</section>\n");
        Doc {
            name: Layout::page_file(i),
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
                        EntityKind::Claim => {
                            format!(" {}", self.claim_details(entity.index as usize))
                        }
                        _ => format!(": {}", self.short_text(*entity)),
                    };
                    format!(
                        "<p><a href=\"{}\"><strong>{}</strong></a>{rest}</p>\n",
                        esc(&self.layout.entity_href(*entity)),
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
            layout: &self.layout,
            images: self.images,
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
            EntityKind::Person => inline(&e.people[i].description),
            EntityKind::Term => inline(&e.terms[i].definition),
            EntityKind::Source => self.citation(i),
            EntityKind::Claim => format!("{} {}", inline(&e.claims[i].text), self.claim_details(i)),
            EntityKind::Place => inline(&e.places[i].description),
            EntityKind::Organisation => inline(&e.organisations[i].description),
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
                .map(|&si| format!("<cite>{}</cite>", xml(&e[si].title)))
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
                Author::Person(p) => xml(&e[*p].name),
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
    pub(super) fn appendix(&self, kind: EntityKind) -> Doc {
        let e = self.e;
        let mut body = format!(
            "<section epub:type=\"appendix\" id=\"{}\">\n<h1>{}</h1>\n",
            kind.folder(),
            kind.plural_title()
        );
        // Sources also show their reference in the edition's citation style.
        let citations =
            (kind == EntityKind::Source).then(|| crate::render::citations::Citations::new(e));
        for index in 0..e.count(kind) as u32 {
            let r = EntityRef { kind, index };
            let _ = write!(
                body,
                "<section class=\"entry\" id=\"{}\">\n<h2>{}</h2>\n<p>{}</p>\n",
                esc(&self.layout.entity_anchor(r)),
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
            name: Layout::appendix_file(kind),
            title: kind.plural_title().into(),
            xhtml: xhtml_document(e, kind.plural_title(), &body),
        }
    }

    fn fields(&self, r: EntityRef) -> String {
        let i = r.index as usize;
        let fields = match r.kind {
            EntityKind::Person => self.person_fields(i),
            EntityKind::Source => self.source_fields(i),
            EntityKind::Claim => self.claim_fields(i),
            EntityKind::Term => self.term_fields(i),
            EntityKind::Place => self.place_fields(i),
            EntityKind::Organisation => self.organisation_fields(i),
        };
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

    /// The fields of a person's entry, as XHTML.
    fn person_fields(&self, i: usize) -> Vec<(&'static str, String)> {
        let e = self.e;
        let mut fields: Vec<(&'static str, String)> = Vec::new();
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
        let orgs = self.entity_links(&p.affiliations);
        if !orgs.is_empty() {
            fields.push(("Affiliations", orgs));
        }
        fields
    }

    /// The fields of a source's entry, as XHTML.
    fn source_fields(&self, i: usize) -> Vec<(&'static str, String)> {
        let e = self.e;
        let mut fields: Vec<(&'static str, String)> = Vec::new();
        let s = &e.sources[i];
        fields.extend(s.kind.map(|k| ("Kind", k.as_str().to_string())));
        fields.extend(
            s.url
                .as_ref()
                .map(|u| ("Read the source", external_link(u, u))),
        );
        fields.extend(s.note_field.as_ref().map(|n| ("Note", xml(n))));
        fields
    }

    /// The fields of a claim's entry, as XHTML.
    fn claim_fields(&self, i: usize) -> Vec<(&'static str, String)> {
        let e = self.e;
        let mut fields: Vec<(&'static str, String)> = Vec::new();
        let c = &e.claims[i];
        fields.push((
            "Status",
            format!("{}: {}", c.status.as_str(), c.status.explanation()),
        ));
        let people: Vec<String> = c
            .attributed_to
            .iter()
            .map(|&p| self.entity_link(p.into()))
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
        fields
    }

    /// The fields of a term's entry, as XHTML.
    fn term_fields(&self, i: usize) -> Vec<(&'static str, String)> {
        let e = self.e;
        let mut fields: Vec<(&'static str, String)> = Vec::new();
        let t = &e.terms[i];
        fields.extend(t.category.as_ref().map(|c| ("Category", xml(c))));
        if !t.aliases.is_empty() {
            fields.push(("Also called", xml(&t.aliases.join(", "))));
        }
        fields
    }

    /// The fields of a place's entry, as XHTML.
    fn place_fields(&self, i: usize) -> Vec<(&'static str, String)> {
        let e = self.e;
        let mut fields: Vec<(&'static str, String)> = Vec::new();
        let p = &e.places[i];
        if !p.aliases.is_empty() {
            fields.push(("Also called", xml(&p.aliases.join(", "))));
        }
        if let Some(c) = p.coordinates {
            fields.push(("Coordinates", xml(&c.to_string())));
        }
        let within = self.entity_links(p.located_in.as_slice());
        if !within.is_empty() {
            fields.push(("Located in", within));
        }
        let contains = self.entity_links(&p.contains);
        if !contains.is_empty() {
            fields.push(("Places within", contains));
        }
        for l in &p.links {
            fields.push(("Link", external_link(&l.url, &l.label)));
        }
        fields
    }

    /// The fields of a organisation's entry, as XHTML.
    fn organisation_fields(&self, i: usize) -> Vec<(&'static str, String)> {
        let e = self.e;
        let mut fields: Vec<(&'static str, String)> = Vec::new();
        let o = &e.organisations[i];
        fields.extend(o.kind.map(|k| ("Kind", k.as_str().to_string())));
        if !o.aliases.is_empty() {
            fields.push(("Also called", xml(&o.aliases.join(", "))));
        }
        fields.extend(o.founded.as_ref().map(|d| ("Founded", xml(&d.0))));
        fields.extend(o.dissolved.as_ref().map(|d| ("Dissolved", xml(&d.0))));
        let parent = self.entity_links(o.part_of.as_slice());
        if !parent.is_empty() {
            fields.push(("Part of", parent));
        }
        let units = self.entity_links(&o.units);
        if !units.is_empty() {
            fields.push(("Units", units));
        }
        let members = self.entity_links(&o.members);
        if !members.is_empty() {
            fields.push(("Members", members));
        }
        for l in &o.links {
            fields.push(("Link", external_link(&l.url, &l.label)));
        }
        fields
    }

    /// Links to entities of one kind, separated by commas.
    fn entity_links<T: Entity>(&self, ids: &[Id<T>]) -> String {
        let links: Vec<String> = (ids.iter())
            .map(|&id| self.entity_link(id.into()))
            .collect();
        links.join(", ")
    }

    fn entity_link(&self, r: EntityRef) -> String {
        format!(
            "<a href=\"{}\">{}</a>",
            esc(&self.layout.entity_href(r)),
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
            let m = &e[mi];
            if last_part != Some(m.part) {
                if last_part.is_some() {
                    out.push_str("; ");
                }
                let _ = write!(out, "{}: ", xml(&e[m.part].title));
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
                Layout::part_file(m.part.index()),
                m.anchor
            );
        }
        out.push_str(".</p>\n");
        out
    }

    fn body(&self, body: &Body, links: &[LinkResolution], part: Option<&Part>) -> String {
        let w = Writer {
            layout: &self.layout,
            images: self.images,
            body,
            links,
            part,
            numbered: part.is_some(),
        };
        to_html(w.rewrite(&body.events(), 0..body.event_count))
    }
}
