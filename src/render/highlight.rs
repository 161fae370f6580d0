//! Render stage: syntax highlighting of fenced code blocks with syntect.
//!
//! The syntax set is loaded lazily, on the first code block of a build, so an
//! edition without code never pays for it. Output uses CSS classes prefixed `hl-`;
//! the default theme's `style.css` colours them.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Blocks larger than this, or with a longer line, are shown plain: syntect's
/// regexes can take very long on them.
pub const MAX_HIGHLIGHT_BYTES: usize = 256 * 1024;
pub const MAX_HIGHLIGHT_LINE: usize = 4 * 1024;

/// Why a block was shown without highlighting.
#[derive(Debug, PartialEq, Eq)]
pub enum Plain {
    UnknownLanguage(String),
    TooLarge,
}

/// The inner HTML of a `<code>` element: highlighted spans, or escaped text
/// with the reason it was not highlighted.
pub fn highlight(code: &str, lang: &str) -> (String, Option<Plain>) {
    if lang.is_empty() {
        return (escape(code), None);
    }
    if code.len() > MAX_HIGHLIGHT_BYTES || code.lines().any(|l| l.len() > MAX_HIGHLIGHT_LINE) {
        return (escape(code), Some(Plain::TooLarge));
    }
    let Some(syntax) = SYNTAXES.find_syntax_by_token(lang) else {
        return (escape(code), Some(Plain::UnknownLanguage(lang.to_string())));
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        &SYNTAXES,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return (escape(code), Some(Plain::TooLarge));
        }
    }
    (generator.finalize(), None)
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html_body_text(&mut out, s)
        .expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes_and_unknown_ones_stay_plain() {
        let (html, plain) = highlight("title: x\n", "yaml");
        assert!(plain.is_none());
        assert!(html.contains("class=\"hl-"), "{html}");
        let (html, plain) = highlight("<x>\n", "no-such-language");
        assert_eq!(
            plain,
            Some(Plain::UnknownLanguage("no-such-language".into()))
        );
        assert_eq!(html, "&lt;x&gt;\n");
    }

    #[test]
    fn huge_lines_are_not_highlighted() {
        let line = "a".repeat(MAX_HIGHLIGHT_LINE + 1);
        assert_eq!(highlight(&line, "rust").1, Some(Plain::TooLarge));
    }
}
