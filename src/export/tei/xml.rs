//! The XML that the TEI export writes: escaped text and attribute values,
//! and the `xml:id`s of everything the document can point at.
//!
//! Every `xml:id` is a kind prefix and the site's own name for the thing, so
//! it is a valid NCName (an ID may start with a digit, a prefix may not) and
//! two kinds never collide; a paragraph's is its part's and the site's
//! fragment, so `01-intro/index.html#p3` is `part-01-intro.p3` here.

use crate::model::{EntityKind, EntityRef};

/// Text for element content: `&` and `<` escaped (and `>`, so `]]>` cannot
/// appear), and characters XML 1.0 forbids replaced by U+FFFD.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// A value for inside a double-quoted attribute; line breaks become spaces
/// as an XML reader would make them anyway.
pub fn attr(s: &str) -> String {
    text(s)
        .replace('"', "&quot;")
        .replace(['\n', '\r', '\t'], " ")
}

/// Characters XML 1.0 allows in a document.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// `prefix-name`, with any character an NCName may not hold after its first
/// replaced by `_`. Names in the edition are ASCII letters, digits and `-`
/// already; only slugs and heading ids written by hand may hold more.
pub fn id(prefix: &str, name: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + 1 + name.len());
    out.push_str(prefix);
    out.push('-');
    out.extend(name.chars().map(|c| {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
            c
        } else {
            '_'
        }
    }));
    out
}

/// The `xml:id` of a part's `<div>`.
pub fn part_id(slug: &str) -> String {
    id("part", slug)
}

/// The `xml:id` of a section, by its folder in the site (`kabul/maps`).
pub fn section_id(path: &str) -> String {
    id("section", &path.replace('/', "."))
}

/// The `xml:id` of a place inside a part, by the site's fragment (`p3`,
/// `m-12`, a heading's id).
pub fn place_id(slug: &str, fragment: &str) -> String {
    format!("{}.{}", part_id(slug), id_tail(fragment))
}

fn id_tail(fragment: &str) -> String {
    let full = id("x", fragment);
    full["x-".len()..].to_string()
}

/// The `xml:id` of an entity's entry in the `<standOff>`: `person-crocker`.
pub fn entity_id(kind: EntityKind, entity_id: &str) -> String {
    id(kind.prefix(), entity_id)
}

/// `#person-crocker`, for a `ref`, `corresp` or `ana` attribute.
pub fn pointer(e: &crate::model::Edition, r: EntityRef) -> String {
    format!("#{}", entity_id(r.kind, e.entity_id(r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_forbidden_characters_replaced() {
        assert_eq!(text("a & <b> ]]>"), "a &amp; &lt;b&gt; ]]&gt;");
        assert_eq!(text("nul\u{0}bell\u{7}"), "nul\u{FFFD}bell\u{FFFD}");
        assert_eq!(attr("say \"hi\"\nthere"), "say &quot;hi&quot; there");
    }

    #[test]
    fn ids_are_ncnames_even_for_names_that_start_with_a_digit() {
        assert_eq!(part_id("01-rock-bottom"), "part-01-rock-bottom");
        assert_eq!(place_id("01-rock-bottom", "p3"), "part-01-rock-bottom.p3");
        assert_eq!(place_id("a", "dé jà/vu"), "part-a.d__j__vu");
        assert_eq!(
            entity_id(EntityKind::Source, "2002-sotu"),
            "source-2002-sotu"
        );
    }
}
