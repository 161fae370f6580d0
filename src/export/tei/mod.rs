//! Export: `SLUG.tei.xml` (with `--tei`), the edition as one TEI P5 document
//! that validates against TEI All, for digital-edition tools (TEI Publisher,
//! EVT) and for archiving.
//!
//! The `teiHeader` holds the title, author and editor, the licence, the
//! original publication as `sourceDesc` and the editorial policy; `<text>`
//! holds the parts (`text.rs`); `<standOff>` holds the registers every mention
//! points into: people, sources, claims (an `interpGrp` whose `interp`s the
//! claims' `<seg ana>` name) and terms. Nothing in it depends on the time of
//! the build, so the same edition gives the same bytes.

mod text;
mod xml;

use crate::markdown::plain_text;
use crate::model::{Author, Edition, EntityKind, Item, Organisation, Person, Place, Source, Term};

/// The file's path in the site, beside the EPUB of the same name.
pub fn path(e: &Edition) -> String {
    crate::site_paths::tei(&crate::export::epub::file_stem(e))
}

/// The whole document.
pub fn to_tei(e: &Edition) -> Vec<u8> {
    let mut out = String::with_capacity(e.parts.iter().map(|p| p.body.range.len() * 2).sum());
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"{}\">\n",
        xml::attr(&e.meta.language)
    ));
    header(e, &mut out);
    standoff(e, &mut out);
    out.push_str("<text>\n<body>\n");
    items(e, &e.contents, &mut out);
    out.push_str("</body>\n</text>\n</TEI>\n");
    out.into_bytes()
}

/// The parts and sections of one level of the contents, in reading order:
/// a section is a `<div type="section">` around what it holds, after its
/// introduction's paragraphs (as plain text: its links are not mentions).
fn items(e: &Edition, list: &[Item], out: &mut String) {
    for item in list {
        match *item {
            Item::Part(i) => text::part_div(e, i.index(), out),
            Item::Section(s) => {
                let section = &e[s];
                out.push_str(&format!(
                    "<div type=\"section\" xml:id=\"{}\">\n<head>{}</head>\n",
                    xml::section_id(&section.path),
                    xml::text(&section.title)
                ));
                for paragraph in intro_paragraphs(&section.body) {
                    out.push_str(&format!("<p>{}</p>\n", xml::text(&paragraph)));
                }
                items(e, &section.items, out);
                out.push_str("</div>\n");
            }
        }
    }
}

/// A section's introduction as plain paragraphs: its blocks of text, each
/// with its Markdown (links, emphasis) reduced to the words.
fn intro_paragraphs(body: &crate::markdown::Body) -> Vec<String> {
    let text = &body.source.text[body.range.clone()];
    (text.split("\n\n"))
        .map(|block| plain_text(block.trim()))
        .filter(|p| !p.trim().is_empty())
        .collect()
}

fn header(e: &Edition, out: &mut String) {
    let m = &e.meta;
    out.push_str("<teiHeader>\n<fileDesc>\n<titleStmt>\n");
    out.push_str(&element("title", &m.title));
    if let Some(s) = &m.subtitle {
        out.push_str(&format!("<title type=\"sub\">{}</title>\n", xml::text(s)));
    }
    if let Some(a) = &m.author {
        out.push_str(&element("author", a));
    }
    if let Some(ed) = &m.editor {
        out.push_str(&element("editor", ed));
    }
    out.push_str("</titleStmt>\n<publicationStmt>\n");
    match &m.editor {
        Some(ed) => out.push_str(&element("publisher", ed)),
        None => out.push_str("<p>An annotated reading edition.</p>\n"),
    }
    if let Some(l) = &m.license {
        out.push_str(&format!(
            "<availability>\n<licence>{}</licence>\n</availability>\n",
            xml::text(l)
        ));
    }
    out.push_str("</publicationStmt>\n<sourceDesc>\n");
    source_desc(e, out);
    out.push_str("</sourceDesc>\n</fileDesc>\n");
    out.push_str(concat!(
        "<encodingDesc>\n<editorialDecl>\n",
        "<correction><p>The words of the source are kept in their order; where the editor ",
        "corrects a plain typesetting fault, a note at the place gives the original reading.</p></correction>\n",
        "<interpretation><p>Every annotated mention points into the registers of the standOff: ",
        "people (persName), sources (bibl), terms (term), and claims (seg, whose ana names the ",
        "claim's interp; the interp's type is the claim's status).</p></interpretation>\n",
        "</editorialDecl>\n</encodingDesc>\n"
    ));
    out.push_str(&format!(
        "<profileDesc>\n<langUsage>\n<language ident=\"{}\"/>\n</langUsage>\n</profileDesc>\n",
        xml::attr(&m.language)
    ));
    out.push_str("</teiHeader>\n");
}

/// The original publication, or a statement that there is none on record.
fn source_desc(e: &Edition, out: &mut String) {
    let Some(o) = &e.meta.original else {
        out.push_str("<p>No earlier publication is recorded.</p>\n");
        return;
    };
    out.push_str("<bibl>");
    if let Some(a) = &e.meta.author {
        out.push_str(&format!("<author>{}</author>", xml::text(a)));
    }
    let title = o.title.as_deref().unwrap_or(&e.meta.title);
    out.push_str(&format!("<title level=\"a\">{}</title>", xml::text(title)));
    if let Some(outlet) = &o.outlet {
        out.push_str(&format!("<title level=\"j\">{}</title>", xml::text(outlet)));
    }
    if let Some(d) = &o.date {
        out.push_str(&date(&d.0));
    }
    if let Some(url) = &o.url {
        out.push_str(&format!("<ptr target=\"{}\"/>", xml::attr(url)));
    }
    out.push_str("</bibl>\n");
}

/// The registers. Each kind of entity the text can mention has one list
/// here: people, places, organisations, sources, claims, terms.
fn standoff(e: &Edition, out: &mut String) {
    out.push_str("<standOff>\n");
    if !e.people.is_empty() {
        out.push_str("<listPerson>\n");
        for p in &e.people {
            person(p, out);
        }
        out.push_str("</listPerson>\n");
    }
    if !e.places.is_empty() {
        out.push_str("<listPlace>\n");
        for p in &e.places {
            place(e, p, out);
        }
        out.push_str("</listPlace>\n");
    }
    if !e.organisations.is_empty() {
        out.push_str("<listOrg>\n");
        for o in &e.organisations {
            organisation(e, o, out);
        }
        out.push_str("</listOrg>\n");
    }
    if !e.sources.is_empty() {
        out.push_str("<listBibl>\n");
        for s in &e.sources {
            source(e, s, out);
        }
        out.push_str("</listBibl>\n");
    }
    if !e.claims.is_empty() {
        claims(e, out);
    }
    if !e.terms.is_empty() {
        out.push_str("<list type=\"gloss\">\n");
        for t in &e.terms {
            term(t, out);
        }
        out.push_str("</list>\n");
    }
    if e.people.is_empty()
        && e.places.is_empty()
        && e.organisations.is_empty()
        && e.sources.is_empty()
        && e.claims.is_empty()
        && e.terms.is_empty()
    {
        // A standOff must hold something; an empty register says there is nothing.
        out.push_str("<listPerson/>\n");
    }
    out.push_str("</standOff>\n");
}

fn person(p: &Person, out: &mut String) {
    out.push_str(&format!(
        "<person xml:id=\"{}\">\n",
        xml::entity_id(EntityKind::Person, &p.id)
    ));
    out.push_str(&element("persName", &p.name));
    if let Some(b) = &p.born {
        out.push_str(&format!("<birth when=\"{}\"/>\n", xml::attr(b)));
    }
    if let Some(d) = &p.died {
        out.push_str(&format!("<death when=\"{}\"/>\n", xml::attr(d)));
    }
    for r in &p.roles {
        out.push_str(&element("occupation", r));
    }
    if let Some(q) = &p.wikidata {
        out.push_str(&format!(
            "<idno type=\"wikidata\">{}</idno>\n",
            xml::text(q)
        ));
    }
    out.push_str(&element("note", &plain_text(&p.description)));
    out.push_str("</person>\n");
}

/// A place: its name, its coordinates as `<geo>` (latitude, then longitude),
/// the place it lies in, and its authority ids.
fn place(e: &Edition, p: &Place, out: &mut String) {
    out.push_str(&format!(
        "<place xml:id=\"{}\">\n",
        xml::entity_id(EntityKind::Place, &p.id)
    ));
    out.push_str(&element("placeName", &p.name));
    if let Some(c) = &p.coordinates {
        out.push_str(&format!(
            "<location><geo>{} {}</geo></location>\n",
            c.lat, c.lon
        ));
    }
    if let Some(q) = &p.wikidata {
        out.push_str(&format!(
            "<idno type=\"wikidata\">{}</idno>\n",
            xml::text(q)
        ));
    }
    if let Some(g) = p.geonames {
        out.push_str(&format!("<idno type=\"geonames\">{g}</idno>\n"));
    }
    out.push_str(&element("note", &plain_text(&p.description)));
    if let Some(within) = p.located_in {
        let r = within.into();
        out.push_str(&format!(
            "<note type=\"locatedIn\"><placeName ref=\"{}\">{}</placeName></note>\n",
            xml::pointer(e, r),
            xml::text(e.entity_name(r))
        ));
    }
    out.push_str("</place>\n");
}

/// An organisation: its name, its kind as `@role`, the organisation it
/// belongs to, and its authority id.
fn organisation(e: &Edition, o: &Organisation, out: &mut String) {
    let role = (o.kind)
        .map(|k| format!(" role=\"{}\"", k.as_str()))
        .unwrap_or_default();
    out.push_str(&format!(
        "<org xml:id=\"{}\"{role}>\n",
        xml::entity_id(EntityKind::Organisation, &o.id)
    ));
    out.push_str(&element("orgName", &o.name));
    if let Some(q) = &o.wikidata {
        out.push_str(&format!(
            "<idno type=\"wikidata\">{}</idno>\n",
            xml::text(q)
        ));
    }
    let mut note = plain_text(&o.description);
    for (word, d) in [("Founded", &o.founded), ("Dissolved", &o.dissolved)] {
        if let Some(d) = d {
            note.push_str(&format!(" {word} {}.", d.0));
        }
    }
    out.push_str(&element("note", note.trim()));
    if let Some(whole) = o.part_of {
        let r = whole.into();
        out.push_str(&format!(
            "<note type=\"partOf\"><orgName ref=\"{}\">{}</orgName></note>\n",
            xml::pointer(e, r),
            xml::text(e.entity_name(r))
        ));
    }
    out.push_str("</org>\n");
}

fn source(e: &Edition, s: &Source, out: &mut String) {
    let d = &s.details;
    let kind = s
        .kind
        .map(|k| format!(" type=\"{}\"", k.as_str()))
        .unwrap_or_default();
    out.push_str(&format!(
        "<bibl xml:id=\"{}\"{kind}>",
        xml::entity_id(EntityKind::Source, &s.id)
    ));
    for a in &s.authors {
        out.push_str(&name_element(e, "author", "", a));
    }
    for a in &d.editors {
        out.push_str(&name_element(e, "editor", "", a));
    }
    for a in &d.translators {
        out.push_str(&name_element(e, "editor", " role=\"translator\"", a));
    }
    out.push_str(&format!("<title>{}</title>", xml::text(&s.title)));
    if let Some(c) = d.container_title.as_ref().or(s.outlet.as_ref()) {
        out.push_str(&format!("<title level=\"j\">{}</title>", xml::text(c)));
    }
    let optional = [
        ("edition", &d.edition),
        ("publisher", &s.publisher),
        ("pubPlace", &d.place),
    ];
    for (name, value) in optional {
        if let Some(v) = value {
            out.push_str(&format!("<{name}>{}</{name}>", xml::text(v)));
        }
    }
    if let Some(date_) = &s.date {
        out.push_str(&date(&date_.0));
    }
    let scopes = [
        ("volume", &d.volume),
        ("issue", &d.issue),
        ("page", &d.pages),
    ];
    for (unit, value) in scopes {
        if let Some(v) = value {
            out.push_str(&format!(
                "<biblScope unit=\"{unit}\">{}</biblScope>",
                xml::text(v)
            ));
        }
    }
    let ids = [("DOI", &d.doi), ("ISBN", &d.isbn), ("ISSN", &d.issn)];
    for (kind, value) in ids {
        if let Some(v) = value {
            out.push_str(&format!("<idno type=\"{kind}\">{}</idno>", xml::text(v)));
        }
    }
    if let Some(url) = &s.url {
        out.push_str(&format!("<ptr target=\"{}\"/>", xml::attr(url)));
    }
    if let Some(n) = &s.note_field {
        out.push_str(&format!("<note>{}</note>", xml::text(&plain_text(n))));
    }
    out.push_str("</bibl>\n");
}

/// An author or editor: a person of the edition points at their entry.
fn name_element(e: &Edition, element: &str, attrs: &str, a: &Author) -> String {
    match a {
        Author::Person(p) => format!(
            "<{element}{attrs} ref=\"{}\">{}</{element}>",
            xml::pointer(e, (*p).into()),
            xml::text(&e[*p].name)
        ),
        Author::Name(n) => format!("<{element}{attrs}>{}</{element}>", xml::text(n)),
    }
}

/// The claims, one `interp` each: its text, its status as the type, and the
/// sources it rests on.
fn claims(e: &Edition, out: &mut String) {
    out.push_str("<interpGrp type=\"claims\">\n");
    for c in &e.claims {
        let sources: Vec<String> = (c.sources.iter())
            .map(|&s| xml::pointer(e, s.into()))
            .collect();
        let corresp = if sources.is_empty() {
            String::new()
        } else {
            format!(" corresp=\"{}\"", sources.join(" "))
        };
        out.push_str(&format!(
            "<interp xml:id=\"{}\" type=\"{}\"{corresp}>{}</interp>\n",
            xml::entity_id(EntityKind::Claim, &c.id),
            c.status.as_str(),
            xml::text(&plain_text(&c.text))
        ));
    }
    out.push_str("</interpGrp>\n");
}

fn term(t: &Term, out: &mut String) {
    out.push_str(&format!(
        "<label><term xml:id=\"{}\">{}</term></label>\n<item>{}</item>\n",
        xml::entity_id(EntityKind::Term, &t.id),
        xml::text(&t.term),
        xml::text(&plain_text(&t.definition))
    ));
}

/// `<date when="2020-05">2020-05</date>`: glossator's dates are already in
/// the W3C form TEI's `@when` takes.
fn date(d: &str) -> String {
    format!("<date when=\"{0}\">{0}</date>", xml::attr(d))
}

fn element(name: &str, content: &str) -> String {
    format!("<{name}>{}</{name}>\n", xml::text(content))
}
