//! Positions and document names as the protocol has them: a position is a
//! line and a column counted in UTF-16 code units, a document a `file://`
//! URI; glossator counts bytes and names files relative to the edition root.

use std::ops::Range;
use std::path::{Path, PathBuf};

use lsp_types::{Position, Range as LspRange, Uri};

use crate::diagnostics::SourceText;

/// The protocol position of a byte offset.
pub fn position(source: &SourceText, offset: usize) -> Position {
    let offset = floor_boundary(&source.text, offset.min(source.text.len()));
    let (line, _) = source.line_col(offset);
    let start = source.offset_of(line, 1);
    let character = source.text[start..offset].encode_utf16().count();
    Position::new((line - 1) as u32, character as u32)
}

pub fn range(source: &SourceText, span: &Range<usize>) -> LspRange {
    LspRange::new(position(source, span.start), position(source, span.end))
}

/// The byte offset of a protocol position; past the end of a line is its end.
pub fn offset(source: &SourceText, pos: Position) -> usize {
    let line = pos.line as usize + 1;
    let start = source.offset_of(line, 1);
    if start >= source.text.len() {
        return source.text.len();
    }
    let line_text = source.line_text(line);
    let mut units = 0u32;
    for (i, c) in line_text.char_indices() {
        if units >= pos.character {
            return start + i;
        }
        units += c.len_utf16() as u32;
    }
    start + line_text.len()
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The file a `file://` URI names, or `None` for another scheme.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path` names another machine; only the local form is read.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    Some(PathBuf::from(percent_decode(path)?))
}

pub fn path_to_uri(path: &Path) -> Uri {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                s.push(b as char)
            }
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    s.parse()
        .expect("a percent-encoded file URI is a valid URI")
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_code_units() {
        let s = SourceText::new("a.md", "x\nTaḥrīr 😀 end\n".to_string());
        let at = s.text.find("end").unwrap();
        // "Taḥrīr " is 7 units, the emoji 2, the space 1.
        assert_eq!(position(&s, at), Position::new(1, 10));
        assert_eq!(offset(&s, Position::new(1, 10)), at);
        assert_eq!(offset(&s, Position::new(1, 99)), s.text.len() - 1);
        assert_eq!(offset(&s, Position::new(9, 0)), s.text.len());
    }

    #[test]
    fn file_uris_round_trip() {
        let p = Path::new("/tmp/an edition/content/01-a.md");
        let uri = path_to_uri(p);
        assert_eq!(uri.as_str(), "file:///tmp/an%20edition/content/01-a.md");
        assert_eq!(uri_to_path(&uri).unwrap(), p);
        assert!(uri_to_path(&"untitled:1".parse().unwrap()).is_none());
    }
}
