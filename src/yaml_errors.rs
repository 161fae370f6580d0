//! Parse stage, front matter: YAML mistakes explained in an editor's words.
//!
//! The YAML parser reports where it gave up, in its own vocabulary ("mapping
//! values are not allowed in this context"), which is often lines below the
//! mistake: a quote left open swallows the lines after it. Here the YAML
//! block is read again, line by line, for the few mistakes people make by
//! hand, so the error points at the mistake and says how to fix it. Byte
//! ranges are into the whole file, like every position.

use std::ops::Range;

use crate::codes::Code;

/// A mistake found in the YAML block, where it is and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub code: Code,
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

/// The mistake behind a YAML parser error, if it is one of the common ones.
/// `yaml` is the block's range in `text`; `at` is where the parser stopped
/// and `parser_message` what it said.
pub fn explain(
    text: &str,
    yaml: Range<usize>,
    parser_message: &str,
    at: usize,
) -> Option<Explained> {
    let lines = lines_of(text, yaml);
    let stopped = lines
        .iter()
        .position(|l| l.range.contains(&at) || l.range.end == at)
        .unwrap_or(lines.len().saturating_sub(1));
    let before = &lines[..(stopped + 1).min(lines.len())];
    if parser_message.contains("expected sequence start") {
        return lines.get(stopped).and_then(|l| expected_list(text, l));
    }
    if !is_syntax_error(parser_message) {
        return None;
    }
    // A tab at the start of the next line is often what stops the parser
    // in the middle of the line before.
    let through_next = &lines[..(stopped + 2).min(lines.len())];
    through_next
        .iter()
        .find_map(|l| tab_in_indentation(text, l))
        .or_else(|| before.iter().find_map(|l| unclosed_quote(text, l)))
        .or_else(|| before.iter().rev().find_map(|l| colon_in_value(text, l)))
        .or_else(|| {
            let line = lines.get(stopped)?;
            let above = before[..stopped]
                .iter()
                .rev()
                .find(|l| !l.range.is_empty())?;
            indented_under_a_value(text, line, above)
        })
}

/// Errors of the YAML syntax itself, as opposed to a value of the wrong
/// type or an unknown field, whose own messages are already precise.
fn is_syntax_error(message: &str) -> bool {
    [
        "quote",
        "tab",
        "mapping values are not allowed",
        "did not find expected",
        "while scanning",
        "while parsing",
        "expected string scalar",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// One line of the YAML block.
struct Line {
    /// The line's bytes in the file, without its line ending.
    range: Range<usize>,
}

fn lines_of(text: &str, yaml: Range<usize>) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = yaml.start;
    for piece in text[yaml.clone()].split_inclusive('\n') {
        let end = start + piece.trim_end_matches(['\n', '\r']).len();
        out.push(Line { range: start..end });
        start += piece.len();
    }
    out
}

/// `key: value` on one line: the key and where the value starts in the file.
fn key_and_value<'t>(text: &'t str, line: &Line) -> Option<(&'t str, usize)> {
    let s = &text[line.range.clone()];
    let body = s.trim_start_matches(' ');
    let body = body.strip_prefix("- ").unwrap_or(body);
    let key_start = s.len() - body.len();
    let colon = body.find(": ")?;
    let key = &body[..colon];
    if key.is_empty() || key.contains(['"', '\'', '[', '{', '#']) {
        return None;
    }
    let value_at = key_start + colon + 2;
    let value = &s[value_at..];
    let value_at = value_at + (value.len() - value.trim_start().len());
    Some((key.trim(), line.range.start + value_at))
}

fn tab_in_indentation(text: &str, line: &Line) -> Option<Explained> {
    let s = &text[line.range.clone()];
    let indent = s.len() - s.trim_start_matches([' ', '\t']).len();
    let tab = s[..indent].find('\t')?;
    let at = line.range.start + tab;
    Some(Explained {
        code: Code::YamlTab,
        span: at..at + 1,
        message: "a tab in the indentation".into(),
        help: "indent with spaces: YAML does not allow tabs there".into(),
    })
}

fn unclosed_quote(text: &str, line: &Line) -> Option<Explained> {
    let (key, value_at) = key_and_value(text, line)?;
    let value = &text[value_at..line.range.end];
    let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    if closes(&value[1..], quote) {
        return None;
    }
    let fixed = format!("{}{quote}", value.trim_end());
    Some(Explained {
        code: Code::YamlUnclosedQuote,
        span: value_at..value_at + 1,
        message: "this quote is never closed".into(),
        help: format!("end the value on the same line: `{key}: {fixed}`"),
    })
}

/// Whether a quoted value's closing quote is on its line (`\"` does not
/// close a double-quoted value, `''` does not close a single-quoted one).
fn closes(rest: &str, quote: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && chars.peek() == Some(&'\'') => {
                chars.next();
            }
            c if c == quote => return true,
            _ => {}
        }
    }
    false
}

fn colon_in_value(text: &str, line: &Line) -> Option<Explained> {
    let (key, value_at) = key_and_value(text, line)?;
    let value = text[value_at..line.range.end].trim_end();
    if value.starts_with(['"', '\'', '[', '{', '|', '>']) || !value.contains(": ") {
        return None;
    }
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(Explained {
        code: Code::YamlUnquotedColon,
        span: value_at..value_at + value.len(),
        message: format!("the value of `{key}` contains `: `, which YAML reads as a new key"),
        help: format!("quote it: `{key}: \"{escaped}\"`"),
    })
}

/// A key indented under the line above, whose value is already given:
/// `description: x` then `  roles: [a]`.
fn indented_under_a_value(text: &str, line: &Line, above: &Line) -> Option<Explained> {
    let indent = |l: &Line| {
        let s = &text[l.range.clone()];
        s.len() - s.trim_start_matches(' ').len()
    };
    let (key, value_at) = key_and_value(text, line)?;
    let (above_key, above_value) = key_and_value(text, above)?;
    if indent(line) <= indent(above) || above_value >= above.range.end {
        return None;
    }
    let key_at = line.range.start + indent(line);
    Some(Explained {
        code: Code::YamlSyntax,
        span: key_at..value_at,
        message: format!("`{key}` is indented under `{above_key}`, which already has a value"),
        help: format!(
            "start `{key}:` in the same column as `{above_key}:`; only list items and nested fields are indented"
        ),
    })
}

fn expected_list(text: &str, line: &Line) -> Option<Explained> {
    let (key, value_at) = key_and_value(text, line)?;
    let value = text[value_at..line.range.end].trim_end();
    Some(Explained {
        code: Code::YamlExpectedList,
        span: value_at..value_at + value.len(),
        message: format!("`{key}` is a list, not a single value"),
        help: format!(
            "write `{key}: [{value}]` (`[a, b]` for several), or one item per line with `- `"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explain_all(yaml: &str, message: &str, at_line: usize) -> Option<(String, Explained)> {
        let text = format!("---\n{yaml}---\n");
        let at = text
            .split_inclusive('\n')
            .take(at_line - 1)
            .map(str::len)
            .sum();
        let e = explain(&text, 4..4 + yaml.len(), message, at)?;
        Some((text[e.span.clone()].to_string(), e))
    }

    #[test]
    fn an_open_quote_is_reported_where_it_opens() {
        let yaml = "title: \"About\nsummary: x\nname: \"y\"\n";
        let (at, e) = explain_all(yaml, "did not find expected key", 5).unwrap();
        assert_eq!(at, "\"");
        assert_eq!(e.span.start, 11);
        assert_eq!(e.message, "this quote is never closed");
        assert_eq!(e.help, "end the value on the same line: `title: \"About\"`");
    }

    #[test]
    fn closed_and_escaped_quotes_are_not_mistakes() {
        assert!(closes("a \\\" b\"", '"'));
        assert!(!closes("a \\\"", '"'));
        assert!(!closes("it''s", '\''));
        assert!(closes("it''s'", '\''));
    }

    #[test]
    fn a_colon_in_a_plain_value_says_to_quote_it() {
        let (at, e) = explain_all(
            "title: Note: one\n",
            "mapping values are not allowed in this context",
            2,
        )
        .unwrap();
        assert_eq!(at, "Note: one");
        assert_eq!(e.help, "quote it: `title: \"Note: one\"`");
    }

    #[test]
    fn a_tab_is_reported_at_the_tab() {
        let (at, e) = explain_all("name: x\nroles:\n\t- one\n", "tabs disallowed", 4).unwrap();
        assert_eq!(at, "\t");
        assert_eq!(e.code, Code::YamlTab);
    }

    #[test]
    fn a_scalar_for_a_list_says_how_to_write_a_list() {
        let (at, e) = explain_all("roles: one\n", "expected sequence start", 2).unwrap();
        assert_eq!(at, "one");
        assert_eq!(
            e.help,
            "write `roles: [one]` (`[a, b]` for several), or one item per line with `- `"
        );
    }

    #[test]
    fn a_key_indented_under_a_value_is_named() {
        let (at, e) = explain_all(
            "name: x\ndescription: y\n  roles: [a]\n",
            "mapping values are not allowed in this context",
            4,
        )
        .unwrap();
        assert_eq!(at, "roles: ");
        assert_eq!(
            e.message,
            "`roles` is indented under `description`, which already has a value"
        );
    }

    #[test]
    fn other_errors_are_left_as_they_are() {
        assert!(explain_all("titel: x\n", "unknown field `titel`", 2).is_none());
    }
}
