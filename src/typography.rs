//! Resolve stage, vocabulary: smart punctuation for text from front matter.
//!
//! The body's Markdown gets curly quotes, dashes and ellipses from
//! pulldown-cmark; titles, summaries, names, descriptions and claim texts
//! written in front matter get the same here, once, so a claim quoted in the
//! text and shown on its own page reads alike. The rules are pulldown-cmark's:
//! `"` and `'` open after a blank, an opening bracket or a dash and close
//! elsewhere (so an apostrophe is `’`), `--` is an en dash, `---` an em dash
//! and `...` an ellipsis. Text inside backticks is left as written.

/// `text` with curly quotes, dashes and ellipses.
pub fn smart(text: &str) -> String {
    // Most names and many titles have nothing to change.
    let b = text.as_bytes();
    let changes = b.iter().any(|&c| c == b'"' || c == b'\'')
        || b.windows(2).any(|w| w == b".." || w == b"--");
    if !changes {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev: Option<char> = None;
    let mut in_code = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '`' {
            in_code = !in_code;
        }
        let opens = prev.is_none_or(|p| p.is_whitespace() || "([{“‘—–-".contains(p));
        match c {
            _ if in_code || c == '`' => out.push(c),
            '"' => out.push(if opens { '“' } else { '”' }),
            '\'' => out.push(if opens { '‘' } else { '’' }),
            '.' if chars.peek() == Some(&'.') => {
                let mut dots = 1;
                while chars.peek() == Some(&'.') {
                    chars.next();
                    dots += 1;
                }
                match dots {
                    3 => out.push('…'),
                    n => out.extend(std::iter::repeat_n('.', n)),
                }
            }
            // `<!--` and `-->` stay: in the body they would be raw HTML,
            // not text, and a reader of the source expects them as written.
            '-' if chars.peek() == Some(&'-')
                && !out.ends_with("<!")
                && !closes_comment(&chars) =>
            {
                chars.next();
                if chars.peek() == Some(&'-') {
                    chars.next();
                    out.push('—');
                } else {
                    out.push('–');
                }
            }
            c => out.push(c),
        }
        prev = out.chars().next_back();
    }
    out
}

/// Whether the `-` just read and the rest form `-->`.
fn closes_comment(rest: &std::iter::Peekable<std::str::Chars>) -> bool {
    rest.clone().take(2).eq(['-', '>'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_dashes_and_ellipses_as_in_the_body() {
        assert_eq!(
            smart(r#"The "deal" isn't dead -- yet..."#),
            "The “deal” isn’t dead – yet…"
        );
        assert_eq!(smart("'Tis 1990---2000"), "‘Tis 1990—2000");
        assert_eq!(smart("(\"a\")"), "(“a”)");
    }

    #[test]
    fn code_and_plain_text_are_left_alone() {
        assert_eq!(smart("use `it's` here"), "use `it's` here");
        assert_eq!(smart("A. B. Smith"), "A. B. Smith");
        assert_eq!(smart("no quotes"), "no quotes");
        assert_eq!(smart("a <!-- b --> c"), "a <!-- b --> c");
    }
}
