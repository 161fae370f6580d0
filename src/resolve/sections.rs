//! Resolve: the sections, and the reading order they make with the parts.
//!
//! A section is a folder of `content/` with an `_index.md` (`load` finds
//! them). In each folder the parts and sections are ordered together by
//! `order`, then by file or folder name, as the parts of an edition without
//! sections are; the reading order walks that tree depth first.

use std::collections::HashMap;

use crate::model::{Item, PartId, SectionId};
use crate::parse::{ParsedPart, ParsedSection};

/// The parts and sections in reading order, with where each stands.
pub(super) struct Ordered {
    /// The parts in reading order, each with its section (an index into
    /// `sections`).
    pub parts: Vec<(ParsedPart, Option<SectionId>)>,
    /// Each section before the sections it holds, with the section it lies
    /// in and what it holds.
    pub sections: Vec<(ParsedSection, Option<SectionId>, Vec<Item>)>,
    /// What lies outside any section.
    pub contents: Vec<Item>,
    /// The parts of each folder, in order: where two may share an `order`.
    pub levels: Vec<Vec<usize>>,
}

enum Entry {
    Part(Box<ParsedPart>),
    Section(Box<ParsedSection>),
}

impl Entry {
    fn key(&self) -> (bool, Option<i64>, &str) {
        let (order, rel) = match self {
            Entry::Part(p) => (p.raw.order, name_in_folder(&p.rel)),
            Entry::Section(s) => (s.raw.order, name_in_folder(folder_of(&s.rel))),
        };
        (order.is_none(), order, rel)
    }
}

/// The folder of a content file (`""` at the top of `content/`).
pub(super) fn folder_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn name_in_folder(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// Orders the parts and sections. A part or section whose folder's section
/// is missing (its `_index.md` failed to parse, and is reported) stands in
/// the nearest section around it that is there.
pub(super) fn reading_order(parts: Vec<ParsedPart>, sections: Vec<ParsedSection>) -> Ordered {
    let known: std::collections::HashSet<String> = (sections.iter())
        .map(|s| folder_of(&s.rel).to_string())
        .collect();
    let place = |mut folder: &str| -> String {
        while !folder.is_empty() && !known.contains(folder) {
            folder = folder_of(folder);
        }
        folder.to_string()
    };
    let mut children: HashMap<String, Vec<Entry>> = HashMap::new();
    for p in parts {
        let at = place(folder_of(&p.rel));
        children
            .entry(at)
            .or_default()
            .push(Entry::Part(Box::new(p)));
    }
    for s in sections {
        let at = place(folder_of(folder_of(&s.rel)));
        (children.entry(at).or_default()).push(Entry::Section(Box::new(s)));
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.key().cmp(&b.key()));
    }
    let mut out = Ordered {
        parts: Vec::new(),
        sections: Vec::new(),
        contents: Vec::new(),
        levels: Vec::new(),
    };
    out.contents = walk(&mut children, "", None, &mut out);
    out
}

/// Takes the entries of `folder` out of `children`, depth first.
fn walk(
    children: &mut HashMap<String, Vec<Entry>>,
    folder: &str,
    section: Option<SectionId>,
    out: &mut Ordered,
) -> Vec<Item> {
    let mut items = Vec::new();
    let mut level = Vec::new();
    for entry in children.remove(folder).unwrap_or_default() {
        match entry {
            Entry::Part(p) => {
                items.push(Item::Part(PartId::at(out.parts.len())));
                level.push(out.parts.len());
                out.parts.push((*p, section));
            }
            Entry::Section(s) => {
                let index = out.sections.len();
                items.push(Item::Section(SectionId::at(index)));
                let inner = folder_of(&s.rel).to_string();
                out.sections.push((*s, section, Vec::new()));
                let held = walk(children, &inner, Some(SectionId::at(index)), out);
                out.sections[index].2 = held;
            }
        }
    }
    out.levels.push(level);
    items
}
