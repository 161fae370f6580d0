//! Parse stage, part one: splits a content file into its YAML front matter and
//! Markdown body, and deserializes the YAML.
//!
//! This is the only module that knows which YAML crate is used (serde-saphyr),
//! so it can be swapped. Positions are always byte offsets into the *file*,
//! never into the front-matter block, so `line:col` in messages match what an
//! editor shows.

use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, SourceText, did_you_mean};

/// Front matter larger than this is refused before it reaches the YAML parser.
pub const MAX_FRONT_MATTER_BYTES: usize = 256 * 1024;

/// The two halves of a content file, as byte ranges of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the `---` lines (empty when the file has none).
    pub yaml: Range<usize>,
    /// The Markdown after the closing `---` line.
    pub body: Range<usize>,
}

/// Splits a file at its `---` fences. A leading byte-order mark, CRLF line ends
/// and trailing blanks after `---` are accepted. A file that does not open with
/// `---` has no front matter; one that opens it and never closes it is an error.
pub fn split(source: &Arc<SourceText>) -> Result<Split, Diagnostic> {
    let text = source.text.as_str();
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = LineIter { text, pos: start };
    let Some(first) = lines.next() else {
        return Ok(Split {
            yaml: start..start,
            body: start..text.len(),
        });
    };
    if !is_fence(&text[first.clone()]) {
        return Ok(Split {
            yaml: start..start,
            body: start..text.len(),
        });
    }
    let yaml_start = lines.pos;
    for line in lines.by_ref() {
        if is_fence(&text[line.clone()]) {
            let yaml = yaml_start..line.start;
            if yaml.len() > MAX_FRONT_MATTER_BYTES {
                return Err(Diagnostic::error(format!(
                    "front matter is {} bytes, over the limit of {MAX_FRONT_MATTER_BYTES}",
                    yaml.len()
                ))
                .at(source, first.clone(), "front matter opens here")
                .with_help("long notes belong in the Markdown body, not in the front matter"));
            }
            let body_start = (line.end + 1).min(text.len());
            return Ok(Split {
                yaml,
                body: body_start..text.len(),
            });
        }
        if line.start - yaml_start > MAX_FRONT_MATTER_BYTES {
            break;
        }
    }
    Err(
        Diagnostic::error("front matter is opened with `---` but never closed")
            .at(source, first, "opened here")
            .with_help("add a line with `---` after the last YAML line"),
    )
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', ' ', '\t']) == "---"
}

/// Yields the byte range of each line, without its `\n`.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for LineIter<'_> {
    type Item = Range<usize>;
    fn next(&mut self) -> Option<Range<usize>> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        self.pos = end + 1;
        Some(start..end)
    }
}

/// Deserializes the YAML of `split` into `T`. An empty front matter is
/// deserialized from an empty map, so required fields are still reported.
pub fn parse<T: DeserializeOwned>(
    source: &Arc<SourceText>,
    split: &Split,
) -> Result<T, Diagnostic> {
    let yaml = &source.text[split.yaml.clone()];
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        budget: Some(budget()),
    };
    serde_saphyr::from_str_with_options::<T>(yaml, options)
        .map_err(|err| yaml_diagnostic(source, split, &err))
}

fn budget() -> serde_saphyr::Budget {
    let mut b = serde_saphyr::Budget::default();
    b.max_aliases = 1_000;
    b.max_anchors = 1_000;
    b.max_events = 200_000;
    b.flow_nesting_limit = 64;
    b.max_recorded_anchor_events = 10_000;
    b.max_recorded_anchor_bytes = 1024 * 1024;
    b
}

/// Turns a YAML error into a diagnostic at the right place of the file.
fn yaml_diagnostic(
    source: &Arc<SourceText>,
    split: &Split,
    err: &serde_saphyr::Error,
) -> Diagnostic {
    let message = plain_message(err);
    let at = err.location().map_or(split.yaml.start, |loc| {
        offset_in_file(source, split, loc.line() as usize, loc.column() as usize)
    });
    let line_end = source.text[at..]
        .find('\n')
        .map_or(source.text.len(), |i| at + i);
    let span = at..line_end.max(at);
    let (message, help) = explain(&message);
    let mut d = Diagnostic::error(message.clone()).at(source, span, "");
    if let Some(h) = help {
        d = d.with_help(h);
    }
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        if let Some(first) = first_key_line(source, split, key) {
            d = d.also(source, first, "first written here");
        }
        d = d.with_help(
            "each field is written once; a later value would silently replace the earlier one",
        );
    }
    d
}

/// The line where `key:` is first written in the front matter.
fn first_key_line(source: &SourceText, split: &Split, key: &str) -> Option<Range<usize>> {
    let yaml = &source.text[split.yaml.clone()];
    let mut offset = split.yaml.start;
    for line in yaml.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
        {
            let indent = line.len() - trimmed.len();
            return Some(offset + indent..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    None
}

/// The file offset of a line and column counted within the YAML block.
pub fn offset_in_file(source: &SourceText, split: &Split, line: usize, col: usize) -> usize {
    let (first_line, _) = source.line_col(split.yaml.start);
    source.offset_of(first_line + line.saturating_sub(1), col.max(1))
}

fn plain_message(err: &serde_saphyr::Error) -> String {
    let options = serde_saphyr::render_options!(snippets: serde_saphyr::SnippetMode::Off);
    let rendered = err.render_with_options(options);
    // The plain form ends with the YAML block's own "at line L column C", which
    // would contradict the file position we print: drop it.
    let trimmed = match rendered.rfind(" at line ") {
        Some(i) if rendered[i..].contains("column") => &rendered[..i],
        _ => rendered.as_str(),
    };
    let message = trimmed.trim().trim_end_matches(',');
    // serde-saphyr's advice is for programmers, not editors.
    let message = message
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(message);
    match message {
        "invalid i64" | "invalid u64" => "expected a whole number".to_string(),
        "invalid bool" => "expected true or false".to_string(),
        m => m.to_string(),
    }
}

/// Adds a did-you-mean to serde's "unknown field" and "unknown variant" messages.
pub(crate) fn explain(message: &str) -> (String, Option<String>) {
    for what in ["unknown field `", "unknown variant `"] {
        let Some(rest) = message.split(what).nth(1) else {
            continue;
        };
        let word = rest.split('`').next().unwrap_or("");
        let expected: Vec<String> = rest
            .split_once("expected ")
            .map(|(_, list)| {
                list.trim_start_matches("one of ")
                    .split([',', ' '])
                    .map(|w| w.trim_matches(|c: char| c == '`' || c == '.' || c.is_whitespace()))
                    .filter(|w| !w.is_empty() && *w != "or")
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let help = match did_you_mean(word, expected.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None if !expected.is_empty() => format!("expected one of: {}", expected.join(", ")),
            None => return (message.to_string(), None),
        };
        return (message.to_string(), Some(help));
    }
    (message.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        order: Option<i64>,
    }

    fn src(text: &str) -> Arc<SourceText> {
        SourceText::new("content/a.md", text.to_string())
    }

    #[test]
    fn splits_with_bom_crlf_and_trailing_blanks() {
        let s = src("\u{feff}--- \r\ntitle: x\r\n---\t\r\nbody\r\n");
        let split = split(&s).unwrap();
        assert_eq!(&s.text[split.yaml.clone()], "title: x\r\n");
        assert_eq!(&s.text[split.body.clone()], "body\r\n");
        let t: T = parse(&s, &split).unwrap();
        assert_eq!(t.title, "x");
    }

    #[test]
    fn a_file_without_front_matter_is_all_body() {
        let s = src("# Hello\n");
        let split = split(&s).unwrap();
        assert!(split.yaml.is_empty());
        assert_eq!(&s.text[split.body], "# Hello\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let s = src("---\ntitle: x\nbody\n");
        let d = split(&s).unwrap_err();
        assert_eq!(d.location().unwrap(), "content/a.md:1:1");
    }

    #[test]
    fn yaml_errors_point_at_file_lines() {
        let s = src("---\ntitle: x\ntitel: y\n---\n");
        let split = split(&s).unwrap();
        let d = parse::<T>(&s, &split).unwrap_err();
        assert_eq!(d.location().unwrap(), "content/a.md:3:1", "{}", d.message);
        assert_eq!(d.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let s = src("---\ntitle: x\ntitle: y\n---\n");
        let split = split(&s).unwrap();
        let d = parse::<T>(&s, &split).unwrap_err();
        assert!(
            d.message.to_lowercase().contains("duplicate"),
            "{}",
            d.message
        );
        assert_eq!(d.location().unwrap(), "content/a.md:3:1");
    }

    #[test]
    fn wrong_types_are_errors_at_the_value() {
        let s = src("---\ntitle: x\norder: \"x\"\n---\n");
        let split = split(&s).unwrap();
        let d = parse::<T>(&s, &split).unwrap_err();
        assert!(
            d.location().unwrap().starts_with("content/a.md:3:"),
            "{:?}",
            d.location()
        );
    }
}
