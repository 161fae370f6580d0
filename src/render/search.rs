//! Render stage: the client-side search index, written at build time.
//!
//! Browsers refuse `fetch` of local JSON from `file://` pages, so the index is
//! a script that assigns one global (`window.GLOSSATOR_SEARCH`) and the search
//! page loads it with a plain `<script src>`. It holds the plain text of every
//! numbered paragraph and every entity's name, aliases and short text; URLs are
//! root-relative so one index serves pages at any depth.

use serde::Serialize;

use crate::markdown::plain_text;
use crate::model::{Edition, EntityRef, Kind};

/// Where the index goes inside the site folder.
pub const INDEX_PATH: &str = "search-index.js";

/// The global the index script assigns.
const GLOBAL: &str = "GLOSSATOR_SEARCH";

#[derive(Serialize)]
struct Index<'a> {
    /// `[title, url]` of each part, by part number − 1.
    parts: Vec<(&'a str, String)>,
    /// `[part index, ¶ number, text]` of each numbered paragraph.
    paras: Vec<(usize, usize, &'a str)>,
    /// `[kind, name, url, aliases, short text]` of each entity.
    entities: Vec<(&'static str, &'a str, String, Vec<&'a str>, String)>,
}

/// The index script's bytes. Deterministic: model order throughout.
pub fn index_script(e: &Edition) -> Vec<u8> {
    let index = Index {
        parts: (0..e.parts.len())
            .map(|i| (e.parts[i].title.as_str(), e.part_url(i)))
            .collect(),
        paras: e
            .parts
            .iter()
            .enumerate()
            .flat_map(|(pi, p)| {
                p.body
                    .paragraphs
                    .iter()
                    .enumerate()
                    .map(move |(n, text)| (pi, n + 1, text.as_str()))
            })
            .collect(),
        entities: e
            .entities()
            .map(|r| {
                (
                    r.kind.prefix(),
                    e.entity_name(r),
                    e.entity_url(r),
                    aliases(e, r),
                    short_plain(e, r),
                )
            })
            .collect(),
    };
    let json = serde_json::to_string(&index).expect("the index serializes");
    // `</script>` cannot occur in a separate script file, but U+2028/2029 were
    // not valid in JavaScript strings before ES2019; escape them for old readers.
    let json = json
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!("window.{GLOBAL} = {json};\n").into_bytes()
}

fn aliases(e: &Edition, r: EntityRef) -> Vec<&str> {
    let i = r.index as usize;
    match r.kind {
        Kind::Person => e.people[i].aliases.iter().map(String::as_str).collect(),
        Kind::Term => e.terms[i].aliases.iter().map(String::as_str).collect(),
        Kind::Source | Kind::Claim => Vec::new(),
    }
}

/// A line under the name in results: description, definition, status, outlet.
fn short_plain(e: &Edition, r: EntityRef) -> String {
    let i = r.index as usize;
    match r.kind {
        Kind::Person => plain_text(&e.people[i].description),
        Kind::Term => plain_text(&e.terms[i].definition),
        Kind::Claim => e.claims[i].status.as_str().to_string(),
        Kind::Source => {
            let s = &e.sources[i];
            [s.outlet.as_deref(), s.date.as_ref().map(|d| d.0.as_str())]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}
