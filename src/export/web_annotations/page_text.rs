//! The text content of a finished page, as a browser's `document.body
//! .textContent` gives it before any script runs, with where each mention
//! (`<a id="m-N">`) and each numbered paragraph (`<p id="pN">`) falls in it.
//!
//! A scan, not an HTML parser: it reads only pages glossator rendered, whose
//! markup is well formed, so the text is every text node of `<body>` in
//! order, entities decoded, comments left out, the contents of `<script>`
//! and `<style>` kept as written (as a browser keeps them). Raw HTML that an
//! edition allows (`allow_html`) could break that assumption; the browser
//! suite checks the result against a real browser on the bundled edition.

use std::ops::Range;

/// A page's body text, and the character ranges in it of what the
/// annotations point at. Ranges count Unicode code points, as the W3C
/// `TextPositionSelector` does.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PageText {
    pub text: Vec<char>,
    /// `(N, range)` for each `<a id="m-N">`.
    pub mentions: Vec<(u32, Range<usize>)>,
    /// `(N, range)` for each `<p id="pN">`.
    pub paragraphs: Vec<(u32, Range<usize>)>,
}

/// Scans `html` (a whole page).
pub fn page_text(html: &str) -> PageText {
    let mut page = PageText::default();
    let Some(body) = html.find("<body") else {
        return page;
    };
    let mut rest = &html[body..];
    // The `<body>` tag itself holds no text.
    match tag_end(rest) {
        Some(end) => rest = &rest[end..],
        None => return page,
    }
    let mut open_mention: Option<(u32, usize)> = None;
    let mut open_paragraph: Option<(u32, usize)> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut page.text, rest);
            break;
        };
        push_text(&mut page.text, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let Some(end) = tag_end(rest) else { break };
        let tag = &rest[..end];
        rest = &rest[end..];
        let pos = page.text.len();
        if let Some(name) = tag.strip_prefix("</") {
            match tag_name(name) {
                "body" => break,
                "a" => {
                    if let Some((n, start)) = open_mention.take() {
                        page.mentions.push((n, start..pos));
                    }
                }
                "p" => {
                    if let Some((n, start)) = open_paragraph.take() {
                        page.paragraphs.push((n, start..pos));
                    }
                }
                _ => {}
            }
            continue;
        }
        let name = tag_name(&tag[1..]);
        let id = attribute(tag, "id");
        match name {
            "a" => open_mention = id.and_then(|id| number_after(id, "m-")).map(|n| (n, pos)),
            "p" => open_paragraph = id.and_then(|id| number_after(id, "p")).map(|n| (n, pos)),
            "script" | "style" => {
                // Raw text: kept as written, up to the closing tag.
                let close = format!("</{name}");
                let end = rest.find(&close).unwrap_or(rest.len());
                page.text.extend(normalise_newlines(&rest[..end]).chars());
                rest = &rest[end..];
            }
            _ => {}
        }
    }
    page
}

/// The byte length of the tag at the start of `s`, up to and including its
/// `>`; quoted attribute values may hold `>`.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn tag_name(s: &str) -> &str {
    let end = s
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .unwrap_or(s.len());
    &s[..end]
}

/// The value of a double-quoted attribute `name` of a start tag. glossator
/// writes attribute values in double quotes; ids are plain ASCII.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// `m-12` → 12 for prefix `m-`.
fn number_after(id: &str, prefix: &str) -> Option<u32> {
    let digits = id.strip_prefix(prefix)?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Appends text as a browser reads it: entities decoded, line ends as `\n`.
fn push_text(out: &mut Vec<char>, raw: &str) {
    let raw = normalise_newlines(raw);
    let mut rest = raw.as_ref();
    while let Some(amp) = rest.find('&') {
        out.extend(rest[..amp].chars());
        rest = &rest[amp..];
        match decode_entity(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.extend(rest.chars());
}

fn normalise_newlines(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        s.into()
    }
}

/// The character an entity at the start of `s` stands for, and its length.
/// Numeric references, and the named ones glossator and its theme write.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let semi = s[..s.len().min(12)].find(';')?;
    let name = &s[1..semi];
    let c = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        char::from_u32(u32::from_str_radix(hex, 16).ok()?).unwrap_or('\u{FFFD}')
    } else if let Some(dec) = name.strip_prefix('#') {
        char::from_u32(dec.parse().ok()?).unwrap_or('\u{FFFD}')
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{A0}',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(p: &PageText, r: &Range<usize>) -> String {
        p.text[r.clone()].iter().collect()
    }

    #[test]
    fn body_text_with_entities_decoded_and_ranges_of_mentions_and_paragraphs() {
        let html = "<html><head><title>no</title></head><body class=\"x\">\n<!-- gone -->\
            <p id=\"p1\" class=\"para\"><a class=\"pnum\" href=\"#p1\">1</a> \
            <a class=\"mention\" id=\"m-3\" title=\"a > b\">Ryan&nbsp;Crocker</a> &amp; \
            caf&#xE9; &#8212;</p><script>if (a < b) {}</script></body></html>";
        let p = page_text(html);
        let all: String = p.text.iter().collect();
        assert_eq!(all, "\n1 Ryan\u{A0}Crocker & café —if (a < b) {}");
        assert_eq!(p.mentions.len(), 1);
        assert_eq!(p.mentions[0].0, 3);
        assert_eq!(text(&p, &p.mentions[0].1), "Ryan\u{A0}Crocker");
        assert_eq!(p.paragraphs[0].0, 1);
        assert_eq!(text(&p, &p.paragraphs[0].1), "1 Ryan\u{A0}Crocker & café —");
    }

    #[test]
    fn unknown_entities_and_ids_are_left_alone() {
        let p = page_text("<body><a id=\"m-x\">a &bogus; b</a><p id=\"p\">c</p></body>");
        assert_eq!(p.text.iter().collect::<String>(), "a &bogus; bc");
        assert!(p.mentions.is_empty() && p.paragraphs.is_empty());
    }
}
