//! Export: `citations.bib`, the edition's sources as BibTeX entries, keyed by
//! their IDs, for readers who cite what the edition cites.
//!
//! Values are brace-delimited; characters that mean something to TeX are
//! escaped so any front matter yields an entry BibTeX and biblatex accept.

use std::fmt::Write as _;

use crate::model::{Author, Edition, Source, SourceKind};

/// The whole file.
pub fn to_bibtex(e: &Edition) -> String {
    let mut out = format!(
        "% Sources of {}, written by glossator {}.\n",
        one_line(&e.meta.title),
        env!("CARGO_PKG_VERSION")
    );
    for s in &e.sources {
        out.push('\n');
        out.push_str(&entry(e, s));
    }
    out
}

/// One source as an entry.
pub fn entry(e: &Edition, s: &Source) -> String {
    let kind = entry_type(s.kind);
    let mut fields: Vec<(&str, String)> = Vec::new();
    let authors: Vec<String> = s
        .authors
        .iter()
        .map(|a| {
            let name = match a {
                Author::Person(p) => e[*p].name.as_str(),
                Author::Name(n) => n.as_str(),
            };
            // A name with a comma or "and" in it is kept whole, as a corporate name.
            if name.contains(',') || name.split_whitespace().any(|w| w == "and") {
                format!("{{{}}}", tex(name))
            } else {
                tex(name)
            }
        })
        .collect();
    if !authors.is_empty() {
        fields.push(("author", authors.join(" and ")));
    }
    fields.push(("title", tex(&s.title)));
    if let Some(outlet) = &s.outlet {
        let field = match kind {
            "article" => "journal",
            "book" => "publisher",
            "techreport" => "institution",
            _ => "howpublished",
        };
        fields.push((field, tex(outlet)));
    }
    if let Some(d) = &s.date {
        let mut parts = d.0.split('-');
        if let Some(year) = parts.next() {
            fields.push(("year", year.to_string()));
        }
        if let Some(month) = parts.next().and_then(|m| m.parse::<usize>().ok()) {
            fields.push(("month", month.to_string()));
        }
    }
    if kind == "techreport" && s.outlet.is_none() {
        // BibTeX requires an institution for a report.
        fields.push(("institution", "Unknown".into()));
    }
    if let Some(url) = &s.url {
        fields.push(("url", url_value(url)));
    }
    let mut notes = Vec::new();
    if let Some(k) = s.kind.filter(|k| entry_type(Some(*k)) == "misc") {
        notes.push(capitalize(k.as_str()));
    }
    if let Some(n) = &s.note_field {
        notes.push(tex(n));
    }
    if !notes.is_empty() {
        fields.push(("note", notes.join(". ")));
    }
    let mut out = format!("@{kind}{{{},\n", key(&s.id));
    for (name, value) in fields {
        let _ = writeln!(out, "  {name:<12} = {{{value}}},");
    }
    out.push_str("}\n");
    out
}

fn entry_type(kind: Option<SourceKind>) -> &'static str {
    match kind {
        Some(SourceKind::Book) => "book",
        Some(SourceKind::Article) => "article",
        Some(SourceKind::Report) => "techreport",
        _ => "misc",
    }
}

/// A citation key: the source ID, which is already letters, digits and `-`;
/// anything else is replaced so the key stays one token.
fn key(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Text with TeX's special characters escaped, on one line.
fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            '@' => out.push_str("{@}"),
            c => out.push(c),
        }
    }
    out
}

/// URLs are read verbatim by biblatex; only what could break the braces or
/// the line is percent-encoded.
fn url_value(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_specials_are_escaped_and_braces_stay_balanced() {
        assert_eq!(
            tex("50% & {x} $1 #2 a_b"),
            "50\\% \\& \\{x\\} \\$1 \\#2 a\\_b"
        );
        assert_eq!(tex("a\\b ^ ~"), "a\\textbackslash{}b \\^{} \\~{}");
        assert_eq!(
            url_value("https://x.org/{a} b"),
            "https://x.org/%7Ba%7D%20b"
        );
    }

    #[test]
    fn keys_are_one_token() {
        assert_eq!(key("new-yorker interview"), "new-yorker-interview");
    }
}
