//! Parse and resolve stages: links that are almost right.
//!
//! Every link from content must be an absolute `http`, `https` or `mailto`
//! URL or name a file of the edition; anything else would ship a dead link.
//! The usual near misses are recognised here so the error can say what was
//! meant: a mention with a space after the colon (which Markdown does not
//! take for a link at all, so the raw text would reach the page), a kind
//! written in upper case or in the plural, a link to a part without its
//! `.md`, image syntax around a mention. Pure functions over strings; the
//! stages turn their answers into diagnostics.

use std::ops::Range;

use crate::kinds::EntityKind;

/// The kind a mention's prefix was probably meant to be: `Person`,
/// `people`, `PEOPLE` → person. `None` for an exact prefix or no kind.
pub fn almost_kind(prefix: &str) -> Option<EntityKind> {
    let lower = prefix.to_lowercase();
    EntityKind::ALL
        .into_iter()
        .find(|k| (lower == k.prefix() || lower == k.folder()) && prefix != k.prefix())
}

/// A mention written with blanks after the colon, `](person: davis)`, found
/// in text Markdown did not take for a link. Returns the byte range within
/// `text` of what is inside the parentheses, the kind and the ID.
pub fn spaced_mention(text: &str) -> Option<(Range<usize>, EntityKind, String)> {
    let mut from = 0;
    while let Some(i) = link_close(&text[from..]) {
        let inner_start = from + i + 2;
        from = inner_start;
        let Some(len) = text[inner_start..].find(')') else {
            continue;
        };
        let inner = &text[inner_start..inner_start + len];
        let Some((prefix, id)) = inner.split_once(':') else {
            continue;
        };
        let kind = EntityKind::from_prefix(prefix.trim()).or_else(|| almost_kind(prefix.trim()));
        let spaced = prefix != prefix.trim() || id.starts_with(char::is_whitespace);
        if let (Some(kind), true, false) = (kind, spaced, id.trim().is_empty()) {
            return Some((inner_start..inner_start + len, kind, id.trim().to_string()));
        }
    }
    None
}

/// Where the first `](` of `text` is. Every run of a body's text is searched
/// for one, and runs are short: looking for `]` (a byte search) and then at
/// the byte after it costs less than a two-byte string search.
pub fn link_close(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find(']') {
        let at = from + i;
        if b.get(at + 1) == Some(&b'(') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Whether a link target is one glossator lets through unchecked: an
/// absolute `http`/`https` URL with a host, or a `mailto:` address.
pub fn is_absolute_web_link(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let web = ["http://", "https://"]
        .iter()
        .find_map(|s| lower.strip_prefix(s))
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    web || lower
        .strip_prefix("mailto:")
        .is_some_and(|a| a.contains('@'))
}

/// The content file a relative link without `.md` was meant for. `joined`
/// is the link's path from `content/`; `files` are each part's and page's
/// path (`01-occasion.md`, `pages/about.md`) with its address in the site
/// (`occasion/index.html`). Matches the file name without `.md`, or the
/// address, with or without `index.html`.
pub fn meant_content_file<'a>(
    joined: &str,
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<&'a str> {
    let wanted = joined.strip_suffix("index.html").unwrap_or(joined);
    let wanted = wanted.trim_end_matches('/');
    files.into_iter().find_map(|(rel, url)| {
        let stem = rel.strip_suffix(".md").unwrap_or(rel);
        let address = url.strip_suffix("/index.html").unwrap_or(url);
        (!wanted.is_empty() && (wanted == stem || wanted == address)).then_some(rel)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_case_and_plural_kinds_are_almost_kinds() {
        assert_eq!(almost_kind("Person"), Some(EntityKind::Person));
        assert_eq!(almost_kind("people"), Some(EntityKind::Person));
        assert_eq!(almost_kind("Terms"), Some(EntityKind::Term));
        assert_eq!(almost_kind("person"), None);
        assert_eq!(almost_kind("persn"), None);
    }

    #[test]
    fn a_space_after_the_colon_is_found() {
        let (range, kind, id) = spaced_mention("[Davis](person: davis) said").unwrap();
        assert_eq!(
            (range, kind, id.as_str()),
            (8..21, EntityKind::Person, "davis")
        );
        assert!(spaced_mention("[Davis](person:davis)").is_none());
        assert!(spaced_mention("a] (person: b)").is_none());
        assert_eq!(link_close("x] ]]("), Some(4));
        assert_eq!(link_close("x] ( ]"), None);
        assert!(spaced_mention("see (note: this)").is_none());
        assert!(spaced_mention("[a](b) and [c](Sources: d)").is_some());
    }

    #[test]
    fn only_absolute_web_links_and_mail_pass_unchecked() {
        assert!(is_absolute_web_link("https://example.org/a"));
        assert!(is_absolute_web_link("mailto:a@example.org"));
        assert!(!is_absolute_web_link("https://"));
        assert!(!is_absolute_web_link("01-occasion"));
        assert!(!is_absolute_web_link("ftp://example.org"));
    }

    #[test]
    fn a_part_is_found_by_its_stem_or_slug() {
        let files = [
            ("01-occasion.md", "occasion/index.html"),
            ("pages/about.md", "pages/about/index.html"),
        ];
        assert_eq!(
            meant_content_file("01-occasion", files),
            Some("01-occasion.md")
        );
        assert_eq!(
            meant_content_file("occasion/", files),
            Some("01-occasion.md")
        );
        assert_eq!(
            meant_content_file("pages/about", files),
            Some("pages/about.md")
        );
        assert_eq!(
            meant_content_file("occasion/index.html", files),
            Some("01-occasion.md")
        );
        assert_eq!(meant_content_file("elsewhere", files), None);
    }
}
