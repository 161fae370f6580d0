//! Render: the markup built in Rust rather than in templates, and the
//! escaping and cleaning every page goes through.

use crate::render::*;

pub(in crate::render) fn backlinks(anchors: &[u32], prefix: &str) -> Vec<Backlink> {
    anchors
        .iter()
        .enumerate()
        .map(|(i, a)| Backlink {
            href: format!("#{prefix}-{a}"),
            label: letter_label(i),
        })
        .collect()
}

/// a, b, …, z, aa, ab, …
pub(in crate::render) fn letter_label(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'a' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII letters")
}

/// The sentence with the mention's words marked; everything escaped.
pub(in crate::render) fn context_html(context: &str, text: &str) -> String {
    match find_in_sentence(context, text) {
        Some(at) => format!(
            "{}<mark>{}</mark>{}",
            esc(&context[..at]),
            esc(text),
            esc(&context[at + text.len()..])
        ),
        None => esc(context),
    }
}

/// Where `needle` first occurs in `hay`, for the short strings of a
/// mention's sentence: comparing at each byte that matches the first is
/// cheaper there than setting up `str::find`'s searcher, once per mention.
fn find_in_sentence(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let first = *n.first()?;
    (0..(h.len() + 1).saturating_sub(n.len())).find(|&i| h[i] == first && h[i..].starts_with(n))
}

pub(in crate::render) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// HTML-escapes text for element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

/// Makes invisible and forbidden characters harmless in a finished page: NUL
/// and other C0 controls (not allowed in HTML) become U+FFFD, and
/// bidirectional controls and line/paragraph separators become numeric
/// references, so the page source shows them instead of hiding them.
pub fn neutralize_controls(html: String) -> String {
    if !may_need_neutralizing(html.as_bytes()) {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 16);
    for c in html.chars() {
        if !needs_neutralizing(c) {
            out.push(c);
        } else if (c as u32) < 0x80 || ('\u{80}'..='\u{9f}').contains(&c) {
            out.push('\u{FFFD}');
        } else {
            out.push_str(&format!("&#x{:X};", c as u32));
        }
    }
    out
}

pub(in crate::render) fn needs_neutralizing(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// A fast byte scan for [`neutralize_controls`]: true when `b` holds a C0 or
/// C1 control other than tab and line ends, or a bidi control or line/paragraph
/// separator. Every output byte passes through here, so it skips 64-byte
/// blocks without a byte that can be part of such a character
/// ([`skip_plain_blocks`]) and looks closer only at the others: in text that
/// has smart quotes and dashes, very few.
pub(in crate::render) fn may_need_neutralizing(b: &[u8]) -> bool {
    const BLOCK: usize = 64;
    // A control itself, the lead byte of U+0080..=U+009F, or the last byte of
    // U+2028..=U+202E (E2 80 A8..AE) and U+2066..=U+2069 (E2 81 A6..A9).
    let suspect = |x: u8| {
        ((x < 0x20) & (x != b'\t') & (x != b'\n') & (x != b'\r'))
            | (x == 0x7F)
            | (x == 0xC2)
            | (0xA6..=0xAE).contains(&x)
    };
    let mut at = 0;
    while at < b.len() {
        at = skip_plain_blocks(b, at, BLOCK, suspect);
        let end = (at + BLOCK).min(b.len());
        // A sequence may start up to two bytes before its last byte.
        if at < end && exact_scan(b, at.saturating_sub(2)..end) {
            return true;
        }
        at = end;
    }
    false
}

/// The first index from `from`, in steps of `block` bytes, where a whole
/// block of `b` holds no byte for which `suspect` is true no longer follows:
/// the start of the first block with such a byte, or of the last, partial
/// block. The test has no branches, so the compiler vectorises it; callers
/// look at the bytes from there one by one.
pub(in crate::render) fn skip_plain_blocks(
    b: &[u8],
    from: usize,
    block: usize,
    suspect: impl Fn(u8) -> bool,
) -> usize {
    let mut at = from;
    while let Some(chunk) = b.get(at..at + block)
        && !chunk.iter().fold(false, |any, &x| any | suspect(x))
    {
        at += block;
    }
    at
}

/// Whether a character [`neutralize_controls`] changes starts at an index in `range`.
pub(in crate::render) fn exact_scan(b: &[u8], range: std::ops::Range<usize>) -> bool {
    range.into_iter().any(|i| match b[i] {
        b'\t' | b'\n' | b'\r' => false,
        0x00..=0x1F | 0x7F => true,
        // U+0080..=U+009F
        0xC2 => matches!(b.get(i + 1), Some(0x80..=0x9F)),
        // U+2028..=U+202E and U+2066..=U+2069
        0xE2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0xA8..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
        ),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_labels_continue_past_z() {
        assert_eq!(letter_label(0), "a");
        assert_eq!(letter_label(25), "z");
        assert_eq!(letter_label(26), "aa");
    }

    #[test]
    fn the_byte_scan_agrees_with_the_char_test() {
        for cp in (0..0x3000u32).chain(0xFFF0..0x10000) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let s = format!("a{c}“b”");
            assert_eq!(
                may_need_neutralizing(s.as_bytes()),
                needs_neutralizing(c),
                "U+{cp:04X}"
            );
        }
    }

    #[test]
    fn the_byte_scan_finds_a_control_at_any_offset_and_nothing_in_clean_text() {
        let clean = "Smart “quotes”, ’apostrophes’ – dashes — and … ellipses, «guillemets» ©\n\t";
        let page = clean.repeat(20);
        assert!(!may_need_neutralizing(page.as_bytes()));
        for c in [
            '\u{0}', '\u{7F}', '\u{85}', '\u{2028}', '\u{202E}', '\u{2066}', '\u{2069}',
        ] {
            for at in 0..200 {
                let mut s = "x".repeat(at);
                s.push(c);
                s.push_str(&page);
                assert!(
                    may_need_neutralizing(s.as_bytes()),
                    "U+{:04X} at {at}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn controls_are_neutralized() {
        let out = neutralize_controls("a\0b\u{202E}c\u{2028}d\te".to_string());
        assert_eq!(out, "a\u{FFFD}b&#x202E;c&#x2028;d\te");
    }

    #[test]
    fn context_marks_the_mention_and_escapes() {
        assert_eq!(context_html("a <b> c", "<b>"), "a <mark>&lt;b&gt;</mark> c");
        // The first occurrence, after text of several bytes a character.
        assert_eq!(
            context_html("Téhéran, Tehran’s Tehran", "Tehran"),
            "Téhéran, <mark>Tehran</mark>’s Tehran"
        );
        assert_eq!(context_html("ends on it", "it"), "ends on <mark>it</mark>");
        // Nothing to mark: the sentence as it is.
        assert_eq!(context_html("a & b", ""), "a &amp; b");
        assert_eq!(context_html("a & b", "c"), "a &amp; b");
        assert_eq!(context_html("ab", "abc"), "ab");
    }
}
