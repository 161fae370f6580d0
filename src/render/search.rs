//! Render stage: the client-side search index, written at build time.
//!
//! Browsers refuse `fetch` of local files from `file://` pages, so every file
//! of the index is a script, loaded by a `<script>` element. The entry,
//! `search-index.js`, is small: it assigns `window.GLOSSATOR_SEARCH` the title
//! and URL of each part, each entity's name, aliases and short text, and the
//! list of text shards. The plain text of the numbered paragraphs is in the
//! shards (`search/text-0001.js`, …), each holding a fixed run of
//! [`SHARD_PARTS`] consecutive parts, so that an edit to one part changes one
//! shard; a shard pushes its text onto the array `window.GLOSSATOR_SEARCH_TEXT`.
//! The search page loads the shards one after another when a query needs the
//! text. URLs are root-relative, so one index serves pages at any depth.
//!
//! [`Entry`] and [`Shard`] are what the files hold; hashing one is the file's
//! fingerprint for rebuilds ([`super::deps`]), so it covers exactly what the
//! file shows.

use std::ops::Range;

use super::html::skip_plain_blocks;
use crate::markdown::plain_text;
use crate::model::{Edition, EntityKind, EntityRef, Part};
use crate::site_paths;

/// Parts per text shard. Fixed, so a shard's parts depend only on their
/// numbers: a change to one part's text changes only the shard holding it.
pub const SHARD_PARTS: usize = 50;

/// The global the entry script assigns.
const GLOBAL: &str = "GLOSSATOR_SEARCH";

/// The array each shard pushes itself onto.
const TEXT_GLOBAL: &str = "GLOSSATOR_SEARCH_TEXT";

/// How many text shards an edition has: one per [`SHARD_PARTS`] parts or fewer.
pub fn shard_count(e: &Edition) -> usize {
    e.parts.len().div_ceil(SHARD_PARTS)
}

/// The part indices shard `number` (from 1) holds.
pub fn shard_parts(e: &Edition, number: usize) -> Range<usize> {
    let first = (number - 1) * SHARD_PARTS;
    first..(first + SHARD_PARTS).min(e.parts.len())
}

/// What the entry script holds, in model order.
pub struct Entry<'a> {
    /// `[title, url]` of each part, by part number − 1, and the title of
    /// its section as a third item when it stands in one.
    parts: Vec<(&'a str, String, Option<&'a str>)>,
    /// `[kind, name, url, aliases, short text]` of each entity.
    entities: Vec<EntityEntry<'a>>,
    /// `[url, first part index, number of parts]` of each text shard.
    shards: Vec<(String, usize, usize)>,
}

struct EntityEntry<'a> {
    kind: &'static str,
    name: &'a str,
    url: String,
    aliases: &'a [String],
    short: String,
}

impl<'a> Entry<'a> {
    pub fn new(e: &'a Edition) -> Self {
        Entry {
            parts: (0..e.parts.len())
                .map(|i| {
                    let section = e.parts[i].section;
                    let section = section.map(|s| e[s].title.as_str());
                    (e.parts[i].title.as_str(), e.part_url(i), section)
                })
                .collect(),
            entities: e
                .entities()
                .map(|r| EntityEntry {
                    kind: r.kind.name(),
                    name: e.entity_name(r),
                    url: e.entity_url(r),
                    aliases: aliases(e, r),
                    short: short_plain(e, r),
                })
                .collect(),
            shards: (1..=shard_count(e))
                .map(|n| {
                    let parts = shard_parts(e, n);
                    (site_paths::shard(n), parts.start, parts.len())
                })
                .collect(),
        }
    }

    /// The script's bytes: `window.GLOSSATOR_SEARCH = {…};`.
    pub fn script(&self) -> Vec<u8> {
        let mut out = format!("window.{GLOBAL} = {{\"parts\":[");
        for (i, (title, url, section)) in self.parts.iter().enumerate() {
            comma(&mut out, i);
            out.push('[');
            json_str(&mut out, title);
            out.push(',');
            json_str(&mut out, url);
            if let Some(section) = section {
                out.push(',');
                json_str(&mut out, section);
            }
            out.push(']');
        }
        out.push_str("],\"entities\":[");
        for (i, x) in self.entities.iter().enumerate() {
            comma(&mut out, i);
            out.push('[');
            for s in [x.kind, x.name, &x.url] {
                json_str(&mut out, s);
                out.push(',');
            }
            out.push('[');
            for (j, a) in x.aliases.iter().enumerate() {
                comma(&mut out, j);
                json_str(&mut out, a);
            }
            out.push_str("],");
            json_str(&mut out, &x.short);
            out.push(']');
        }
        out.push_str("],\"shards\":[");
        for (i, (url, first, len)) in self.shards.iter().enumerate() {
            comma(&mut out, i);
            out.push('[');
            json_str(&mut out, url);
            out.push_str(&format!(",{first},{len}]"));
        }
        out.push_str("]};\n");
        out.into_bytes()
    }
}

/// What one text shard holds: the paragraph texts of its run of parts.
pub struct Shard<'a> {
    /// From 1, as in the file name.
    number: usize,
    /// The index of its first part.
    first: usize,
    parts: &'a [Part],
}

impl<'a> Shard<'a> {
    /// Shard `number`, from 1 to [`shard_count`].
    pub fn new(e: &'a Edition, number: usize) -> Self {
        let range = shard_parts(e, number);
        Shard {
            number,
            first: range.start,
            parts: &e.parts[range],
        }
    }

    /// The script's bytes: `[number, first part index, [paragraph texts of
    /// each part], [[note number, footnote text], … of each part]]` pushed
    /// onto the shards' array, which is created if the search page has not
    /// made it yet.
    pub fn script(&self) -> Vec<u8> {
        let size: usize = self
            .parts
            .iter()
            .flat_map(|p| &p.body.paragraphs)
            .map(|t| t.len() + 3)
            .sum();
        let mut out = String::with_capacity(size + 128);
        out.push_str(&format!(
            "(window.{TEXT_GLOBAL} = window.{TEXT_GLOBAL} || []).push([{},{},[",
            self.number, self.first
        ));
        for (i, p) in self.parts.iter().enumerate() {
            comma(&mut out, i);
            out.push('[');
            for (j, text) in p.body.paragraphs.iter().enumerate() {
                comma(&mut out, j);
                json_str(&mut out, text);
            }
            out.push(']');
        }
        out.push_str("],[");
        for (i, p) in self.parts.iter().enumerate() {
            comma(&mut out, i);
            out.push('[');
            for (j, (number, text)) in footnote_texts(p).enumerate() {
                comma(&mut out, j);
                out.push_str(&format!("[{number},"));
                json_str(&mut out, text);
                out.push(']');
            }
            out.push(']');
        }
        out.push_str("]]);\n");
        out.into_bytes()
    }
}

/// Each footnote of a part with the number of its note, in note order:
/// footnotes are searched like paragraphs and found at `#n-NUMBER`.
fn footnote_texts(p: &Part) -> impl Iterator<Item = (usize, &str)> {
    p.notes
        .iter()
        .enumerate()
        .filter_map(|(n, note)| match note {
            crate::model::Note::Footnote { label, .. } => {
                Some((n + 1, p.body.footnote(label)?.text.as_str()))
            }
            crate::model::Note::Entity { .. } => None,
        })
}

fn comma(out: &mut String, i: usize) {
    if i > 0 {
        out.push(',');
    }
}

/// The bytes at which [`json_str`] may have to escape: control characters,
/// `"`, `\`, and the lead byte of U+2028/U+2029. A table lookup lets the
/// loop skip plain text quickly: the shards hold the whole text.
static STOPS: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[0xE2] = true;
    t
};

/// Appends `s` as a JSON string. `</script>` cannot matter in a script file of
/// its own, but U+2028 and U+2029 were not valid in JavaScript strings before
/// ES2019, so they are escaped for older browsers along with what JSON requires.
fn json_str(out: &mut String, s: &str) {
    out.push('"');
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        // Whole blocks without a stop are skipped first; the table below is
        // looked up a byte at a time.
        i = skip_plain_blocks(b, i, 16, |x| {
            (x < 0x20) | (x == b'"') | (x == b'\\') | (x == 0xE2)
        });
        if i >= b.len() {
            break;
        }
        if !STOPS[b[i] as usize] {
            i += 1;
            continue;
        }
        let escape: Option<&str> = match b[i] {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0C => Some("\\f"),
            0x00..=0x1F => None,
            // U+2028 and U+2029: E2 80 A8 and E2 80 A9.
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => {
                Some(if b[i + 2] == 0xA8 {
                    "\\u2028"
                } else {
                    "\\u2029"
                })
            }
            _ => {
                i += 1;
                continue;
            }
        };
        // Every byte that stops the run is ASCII or a lead byte, so both
        // slices fall on character boundaries.
        out.push_str(&s[start..i]);
        match escape {
            Some(e) => out.push_str(e),
            None => out.push_str(&format!("\\u{:04x}", b[i])),
        }
        i += if b[i] == 0xE2 { 3 } else { 1 };
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

fn aliases(e: &Edition, r: EntityRef) -> &[String] {
    let i = r.index as usize;
    match r.kind {
        EntityKind::Person => &e.people[i].aliases,
        EntityKind::Term => &e.terms[i].aliases,
        EntityKind::Place => &e.places[i].aliases,
        EntityKind::Organisation => &e.organisations[i].aliases,
        EntityKind::Source | EntityKind::Claim => &[],
    }
}

/// A line under the name in results: description, definition, status, outlet.
fn short_plain(e: &Edition, r: EntityRef) -> String {
    let i = r.index as usize;
    match r.kind {
        EntityKind::Person => plain_text(&e.people[i].description),
        EntityKind::Term => plain_text(&e.terms[i].definition),
        EntityKind::Claim => e.claims[i].status.as_str().to_string(),
        EntityKind::Place => plain_text(&e.places[i].description),
        EntityKind::Organisation => plain_text(&e.organisations[i].description),
        EntityKind::Source => {
            let s = &e.sources[i];
            [s.outlet.as_deref(), s.date.as_ref().map(|d| d.0.as_str())]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json_str;

    fn json(s: &str) -> String {
        let mut out = String::new();
        json_str(&mut out, s);
        out
    }

    #[test]
    fn strings_are_json_with_line_and_paragraph_separators_escaped() {
        for s in [
            "plain",
            "“quotes” and \"quotes\" \\ back",
            "tab\tline\nreturn\r\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "sep\u{2028}par\u{2029}end, é ü 中 😀 \u{2027}\u{202a}",
            "",
        ]
        .into_iter()
        .map(String::from)
        // Stops just before, at and after the edge of a 16-byte block.
        .chain((13..19).flat_map(|n| {
            let pad = "x".repeat(n);
            [
                format!("{pad}\"{pad}{pad}"),
                format!("{pad}\u{2028}{pad}\u{2029}"),
                format!("{pad}’{pad}\n"),
            ]
        })) {
            let s = s.as_str();
            let ours = json(s);
            let theirs = serde_json::to_string(s)
                .unwrap()
                .replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029");
            assert_eq!(ours, theirs, "{s:?}");
            assert_eq!(serde_json::from_str::<String>(&ours).unwrap(), s);
        }
        assert!(!json("a\u{2028}b\u{2029}").contains(['\u{2028}', '\u{2029}']));
    }
}
