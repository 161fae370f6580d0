//! Export: the edition as an EPUB 3 book (`--epub`).
//!
//! The reading text comes first, one XHTML document per part, with its notes
//! as EPUB footnotes: the first mention of an entity in a part and each
//! Markdown footnote reference is a `noteref` to an `aside` at the end of the
//! part, as in the site's footnote glossary. The editor's pages follow, then
//! one appendix per kind of entity, then the navigation document lists it all.
//!
//! Bodies are rewritten from their Markdown events, not taken from the site's
//! HTML: a book needs well-formed XHTML, links between its own documents, and
//! no scripts or form controls. Raw HTML and images are reduced to their text,
//! since a reader cannot fetch remote images and raw HTML may not be XML.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::diagnostics::Diagnostic;
use crate::markdown::{Body, cow, options, slugify};
use crate::model::{Author, Edition, EntityRef, Kind, LinkResolution, Note, Part};
use crate::render::body::first_mentions;
use crate::render::esc;

/// Where the book's documents live inside the container.
const DIR: &str = "EPUB";

/// The book's file name without `.epub`: the edition's title as a slug.
pub fn file_stem(e: &Edition) -> String {
    let s = slugify(&e.meta.title);
    if s.is_empty() { "edition".into() } else { s }
}

/// One document of the book.
struct Doc {
    /// File name inside [`DIR`].
    name: String,
    title: String,
    xhtml: String,
}

/// The whole book as the bytes of an EPUB (zip) file.
pub fn write_epub(e: &Edition) -> Result<Vec<u8>, Diagnostic> {
    let docs = documents(e);
    let files = container_files(e, &docs);
    zip_files(&files).map_err(|err| Diagnostic::error(format!("cannot write the EPUB: {err}")))
}

/// Every document of the book, in reading order.
fn documents(e: &Edition) -> Vec<Doc> {
    let book = Book { e };
    let mut docs = vec![book.title_page()];
    docs.extend((0..e.parts.len()).map(|i| book.part(i)));
    docs.extend((0..e.pages.len()).map(|i| book.page(i)));
    docs.extend(
        Kind::ALL
            .into_iter()
            .filter(|&k| e.count(k) > 0)
            .map(|k| book.appendix(k)),
    );
    docs
}

/// Each file of the container, by path; the `mimetype` comes first.
fn container_files(e: &Edition, docs: &[Doc]) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        ("mimetype".to_string(), b"application/epub+zip".to_vec()),
        (
            "META-INF/container.xml".into(),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n  <rootfiles>\n    <rootfile full-path=\"{DIR}/package.opf\" media-type=\"application/oebps-package+xml\"/>\n  </rootfiles>\n</container>\n"
            )
            .into_bytes(),
        ),
        (format!("{DIR}/package.opf"), package(e, docs).into_bytes()),
        (format!("{DIR}/nav.xhtml"), nav(e, docs).into_bytes()),
        (format!("{DIR}/style.css"), STYLE.as_bytes().to_vec()),
    ];
    files.extend(
        docs.iter()
            .map(|d| (format!("{DIR}/{}", d.name), d.xhtml.clone().into_bytes())),
    );
    files
}

fn zip_files(files: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (i, (path, bytes)) in files.iter().enumerate() {
        // The mimetype must be the first entry, stored uncompressed.
        let method = if i == 0 {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        zip.start_file(
            path.as_str(),
            SimpleFileOptions::default().compression_method(method),
        )?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The package document: metadata, the manifest of files, the reading order.
fn package(e: &Edition, docs: &[Doc]) -> String {
    let m = &e.meta;
    let mut meta = format!(
        "    <dc:identifier id=\"uid\">urn:glossator:{}</dc:identifier>\n    <dc:title>{}</dc:title>\n    <dc:language>{}</dc:language>\n    <meta property=\"dcterms:modified\">{}</meta>\n",
        esc(&file_stem(e)),
        xml(&m.title),
        xml(&m.language),
        modified()
    );
    for (role, name) in [("creator", &m.author), ("contributor", &m.editor)] {
        if let Some(n) = name {
            let _ = writeln!(meta, "    <dc:{role}>{}</dc:{role}>", xml(n));
        }
    }
    if let Some(l) = &m.license {
        let _ = writeln!(meta, "    <dc:rights>{}</dc:rights>", xml(l));
    }
    if let Some(s) = &m.subtitle {
        let _ = writeln!(meta, "    <dc:description>{}</dc:description>", xml(s));
    }
    let mut manifest = String::from(
        "    <item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n    <item id=\"style\" href=\"style.css\" media-type=\"text/css\"/>\n",
    );
    let mut spine = String::new();
    for (i, d) in docs.iter().enumerate() {
        let _ = writeln!(
            manifest,
            "    <item id=\"d{i}\" href=\"{}\" media-type=\"application/xhtml+xml\"/>",
            esc(&d.name)
        );
        let _ = writeln!(spine, "    <itemref idref=\"d{i}\"/>");
        if i == 0 {
            spine.push_str("    <itemref idref=\"nav\"/>\n");
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"uid\" xml:lang=\"{}\">\n  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n{meta}  </metadata>\n  <manifest>\n{manifest}  </manifest>\n  <spine>\n{spine}  </spine>\n</package>\n",
        esc(&m.language)
    )
}

/// The navigation document: the table of contents.
fn nav(e: &Edition, docs: &[Doc]) -> String {
    let mut items = String::new();
    for d in docs {
        let _ = writeln!(
            items,
            "      <li><a href=\"{}\">{}</a></li>",
            esc(&d.name),
            xml(&d.title)
        );
    }
    let body = format!(
        "<nav epub:type=\"toc\" id=\"toc\">\n  <h1>Contents</h1>\n  <ol>\n{items}  </ol>\n</nav>\n"
    );
    xhtml_document(e, "Contents", &body)
}

/// A complete XHTML content document.
fn xhtml_document(e: &Edition, title: &str, body: &str) -> String {
    let lang = esc(&e.meta.language);
    xml_chars(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{lang}\" lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n<body>\n{body}</body>\n</html>\n",
        xml(title)
    ))
}

/// Builds the documents; knows where everything lives inside the book.
struct Book<'a> {
    e: &'a Edition,
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
    fn entity_href(&self, r: EntityRef) -> String {
        format!("{}#{}", Self::appendix_file(r.kind), self.entity_anchor(r))
    }

    /// A site path (`02-later/index.html#p2`) as a place in the book.
    fn internal_href(&self, url: &str) -> Option<String> {
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

    fn title_page(&self) -> Doc {
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

    fn part(&self, i: usize) -> Doc {
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

    fn page(&self, i: usize) -> Doc {
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
        to_html(w.rewrite(inner))
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
    fn appendix(&self, kind: Kind) -> Doc {
        let e = self.e;
        let mut body = format!(
            "<section epub:type=\"appendix\" id=\"{}\">\n<h1>{}</h1>\n",
            kind.folder(),
            kind.plural_title()
        );
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
        to_html(w.rewrite(0..body.events.len()))
    }
}

/// Rewrites one body's events into XHTML-safe events.
struct Writer<'b, 'a> {
    book: &'b Book<'a>,
    body: &'b Body,
    links: &'b [LinkResolution],
    part: Option<&'b Part>,
    /// Number paragraphs (`id="p3"`), for links from elsewhere.
    numbered: bool,
}

impl Writer<'_, '_> {
    fn rewrite(&self, range: std::ops::Range<usize>) -> Vec<Event<'static>> {
        let body = self.body;
        let index = |pairs: Vec<(usize, usize)>| pairs.into_iter().collect::<HashMap<_, _>>();
        let link_at = index(
            body.links
                .iter()
                .enumerate()
                .map(|(i, l)| (l.start, i))
                .collect(),
        );
        let link_end = index(
            body.links
                .iter()
                .enumerate()
                .map(|(i, l)| (l.end, i))
                .collect(),
        );
        let para_at = index(
            body.paragraph_starts
                .iter()
                .enumerate()
                .map(|(n, &ev)| (ev, n))
                .collect(),
        );
        let heading_at = index(
            body.headings
                .iter()
                .enumerate()
                .map(|(i, h)| (h.start, i))
                .collect(),
        );
        let fref_at = index(
            body.footnote_refs
                .iter()
                .enumerate()
                .map(|(k, (ev, _))| (*ev, k))
                .collect(),
        );
        let first_note = self.part.map(first_mentions).unwrap_or_default();
        let mut out = Vec::with_capacity(range.len());
        let mut headings: Vec<u8> = Vec::new();
        let mut i = range.start;
        while i < range.end {
            let ev = &body.events[i];
            match ev {
                Event::Start(Tag::FootnoteDefinition(_)) => {
                    i = skip(body, i);
                    continue;
                }
                Event::Start(Tag::Paragraph) if self.numbered && para_at.contains_key(&i) => {
                    out.push(html(format!("<p id=\"p{}\">", para_at[&i] + 1)));
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let lvl = (*level as u8 + 1).min(6);
                    headings.push(lvl);
                    let id = heading_at
                        .get(&i)
                        .map(|&h| format!(" id=\"{}\"", esc(&body.headings[h].id)))
                        .unwrap_or_default();
                    out.push(html(format!("<h{lvl}{id}>")));
                }
                Event::End(TagEnd::Heading(_)) => {
                    let lvl = headings.pop().unwrap_or(2);
                    out.push(html(format!("</h{lvl}>\n")));
                }
                Event::Start(Tag::Link { .. }) => {
                    out.push(html(match link_at.get(&i) {
                        Some(&l) => self.open_link(l),
                        None => "<a>".into(),
                    }));
                }
                Event::End(TagEnd::Link) => {
                    out.push(html("</a>".into()));
                    if let Some(&l) = link_end.get(&i) {
                        out.extend(self.noteref_after(l, &first_note));
                    }
                }
                Event::FootnoteReference(_) => {
                    if let (Some(&k), Some(part)) = (fref_at.get(&i), self.part) {
                        let n = part.footnote_numbers.get(k).copied().unwrap_or(0);
                        out.push(html(format!(
                            "<sup><a epub:type=\"noteref\" href=\"#n-{n}\" id=\"fr-{}\">{n}</a></sup>",
                            k + 1
                        )));
                    }
                }
                Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
                Event::Html(h) | Event::InlineHtml(h) => {
                    out.push(Event::Text(cow(strip_tags(h))));
                }
                Event::TaskListMarker(done) => {
                    out.push(Event::Text(if *done { "[x] " } else { "[ ] " }.into()));
                }
                other => out.push(other.clone()),
            }
            i += 1;
        }
        out
    }

    fn open_link(&self, l: usize) -> String {
        let b = self.book;
        let e = b.e;
        match self.links.get(l) {
            Some(LinkResolution::Mention(mi)) => {
                let m = &e.mentions[*mi as usize];
                format!(
                    "<a id=\"m-{}\" href=\"{}\">",
                    m.anchor,
                    esc(&b.entity_href(m.entity))
                )
            }
            Some(LinkResolution::Entity(r)) => format!("<a href=\"{}\">", esc(&b.entity_href(*r))),
            Some(LinkResolution::Internal(url)) => match b.internal_href(url) {
                Some(h) => format!("<a href=\"{}\">", esc(&h)),
                None => "<a>".into(),
            },
            Some(LinkResolution::Fragment(f)) => format!("<a href=\"#{}\">", esc(f)),
            Some(LinkResolution::External(url)) if has_scheme(url) => {
                format!("<a href=\"{}\">", esc(url))
            }
            _ => "<a>".into(),
        }
    }

    /// The note number after an entity's first mention in the part.
    fn noteref_after(&self, l: usize, first_note: &HashMap<u32, usize>) -> Option<Event<'static>> {
        let Some(LinkResolution::Mention(mi)) = self.links.get(l) else {
            return None;
        };
        let m = &self.book.e.mentions[*mi as usize];
        let n = first_note.get(&m.anchor)?;
        Some(html(format!(
            "<sup><a epub:type=\"noteref\" href=\"#n-{n}\">{n}</a></sup>"
        )))
    }
}

fn skip(body: &Body, start: usize) -> usize {
    body.footnotes
        .iter()
        .find(|f| f.events.start == start)
        .map_or(start + 1, |f| f.events.end)
}

fn html(s: String) -> Event<'static> {
    Event::InlineHtml(cow(s))
}

fn to_html(events: Vec<Event<'static>>) -> String {
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out
}

/// Inline Markdown from front matter as XHTML: emphasis and code kept, links
/// reduced to their text (their targets are site pages), raw HTML to text.
fn inline(md: &str) -> String {
    let events = Parser::new_ext(md, options()).filter_map(|ev| match ev {
        Event::Start(
            Tag::Paragraph | Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. },
        )
        | Event::End(TagEnd::Paragraph | TagEnd::Link | TagEnd::Image | TagEnd::Heading(_)) => None,
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(cow(strip_tags(&h)))),
        Event::SoftBreak => Some(Event::Text(" ".into())),
        other => Some(other),
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out.trim().to_string()
}

fn external_link(url: &str, label: &str) -> String {
    if has_scheme(url) {
        format!("<a href=\"{}\">{}</a>", esc(url), xml(label))
    } else {
        xml(label)
    }
}

/// Only absolute URLs leave the book; a relative one would point at a file
/// the book does not contain.
fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Raw HTML reduced to its text.
fn strip_tags(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut in_tag = false;
    for c in h.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Text escaped for XML content and attributes.
fn xml(s: &str) -> String {
    esc(s)
}

/// Drops the control characters XML 1.0 forbids; they can only come from
/// the edition's text, where they carry no meaning.
fn xml_chars(s: &str) -> String {
    s.chars()
        .filter(|&c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

/// `dcterms:modified`: from `SOURCE_DATE_EPOCH` for reproducible builds,
/// otherwise now.
fn modified() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    utc_timestamp(secs)
}

/// Seconds since 1970 as `YYYY-MM-DDThh:mm:ssZ` (Howard Hinnant's
/// days-to-civil algorithm).
fn utc_timestamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

const STYLE: &str = "body { font-family: serif; line-height: 1.5; }\n\
h1, h2, h3 { font-family: sans-serif; }\n\
.subtitle { font-style: italic; }\n\
.notes { font-size: 0.9em; border-top: 1px solid #999; margin-top: 2em; }\n\
.note-number { font-weight: bold; margin-bottom: 0; }\n\
.entry { margin-bottom: 1.5em; }\n\
dt { font-weight: bold; }\n\
.status { font-variant: small-caps; }\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_timestamp(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn raw_html_and_links_become_text() {
        assert_eq!(strip_tags("<span class=x>a</span> b"), "a b");
        assert_eq!(
            inline("*a* [b](person:x) <i>c</i> & d"),
            "<em>a</em> b c &amp; d"
        );
        assert!(has_scheme("https://x.org"));
        assert!(!has_scheme("notes/x.html"));
    }
}
