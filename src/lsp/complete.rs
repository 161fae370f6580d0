//! Completion: what may be typed where the cursor is.
//!
//! - after `](`: the kinds (`person:` …) and the other content files;
//! - after `](person:`: every person, by ID, with the name as detail and the
//!   description as documentation, matched on ID, name and aliases;
//! - after `](02-afghanistan.md#`: that file's paragraph and heading anchors;
//! - in front matter: the keys of the file's kind (from the JSON Schema of
//!   the types the loader reads), and in reference fields (`sources:`,
//!   `attributed_to:`, `authors:`, `about:`) the IDs of the right kind.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, Documentation,
    MarkupContent, MarkupKind, Range, TextEdit,
};

use super::facts::{self, Entity, Facts, Kind, Role};
use super::{Answer, Documents, text};

pub fn completion(docs: &Documents, params: CompletionParams) -> Answer {
    let at = params.text_document_position;
    let facts = docs.facts(&at.text_document.uri)?;
    let offset = text::offset(&facts.source, at.position);
    let line_start = facts.source.text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &facts.source.text[line_start..offset];
    let replace = |typed: &str| {
        let start = text::position(&facts.source, offset - typed.len());
        Range::new(start, at.position)
    };
    let items = if in_front_matter(facts, offset) {
        front_matter(docs, facts, line_start, before, &replace)
    } else {
        body(docs, facts, before, &replace)
    };
    Ok(serde_json::to_value(CompletionResponse::Array(items)).expect("items serialise"))
}

fn in_front_matter(facts: &Facts, offset: usize) -> bool {
    let fm = &facts.front_matter;
    !fm.is_empty() && fm.start <= offset && offset <= fm.end
}

/// Completion inside a link target in Markdown.
fn body(
    docs: &Documents,
    facts: &Facts,
    before: &str,
    replace: &dyn Fn(&str) -> Range,
) -> Vec<CompletionItem> {
    let Some(open) = before.rfind("](") else {
        return Vec::new();
    };
    let typed = &before[open + 2..];
    if typed.contains([')', ' ']) {
        return Vec::new();
    }
    if let Some((path, fragment)) = typed.split_once('#') {
        let target = facts::join_relative(&facts.rel, path);
        return anchors(docs, &target, replace(fragment));
    }
    if let Some((prefix, id)) = typed.split_once(':') {
        let Some(kind) = Kind::from_prefix(prefix) else {
            return Vec::new();
        };
        let range = replace(id);
        let entities = docs.analysis.entities().filter(|e| e.kind == kind);
        return entities.map(|e| entity_item(e, &e.id, range)).collect();
    }
    let range = replace(typed);
    let kinds = Kind::all().map(|k| CompletionItem {
        label: format!("{}:", k.prefix()),
        kind: Some(CompletionItemKind::MODULE),
        detail: Some(format!("link to a {}", k.prefix())),
        text_edit: Some(TextEdit::new(range, format!("{}:", k.prefix())).into()),
        ..Default::default()
    });
    let files = (docs.analysis.facts())
        .filter(|f| matches!(f.role, Role::Part | Role::Page) && f.rel != facts.rel)
        .map(|f| {
            let path = relative_path(&facts.rel, &f.rel);
            CompletionItem {
                label: path.clone(),
                kind: Some(CompletionItemKind::FILE),
                detail: f.title.clone(),
                text_edit: Some(TextEdit::new(range, path).into()),
                ..Default::default()
            }
        });
    kinds.chain(files).collect()
}

/// How the file at `from` names the file at `to` (both relative to `content/`).
fn relative_path(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

fn anchors(docs: &Documents, target: &str, range: Range) -> Vec<CompletionItem> {
    let Some(file) = docs.analysis.file(target) else {
        return Vec::new();
    };
    (file.anchors.iter())
        .map(|a| CompletionItem {
            label: a.id.clone(),
            kind: Some(if a.heading_level == 0 {
                CompletionItemKind::REFERENCE
            } else {
                CompletionItemKind::CLASS
            }),
            detail: Some(a.label.clone()),
            text_edit: Some(TextEdit::new(range, a.id.clone()).into()),
            ..Default::default()
        })
        .collect()
}

/// An entity as a completion item inserting `insert`; found by its ID, name
/// or aliases.
fn entity_item(e: &Entity, insert: &str, range: Range) -> CompletionItem {
    let names: Vec<&str> = e.names().collect();
    CompletionItem {
        label: insert.to_string(),
        kind: Some(CompletionItemKind::REFERENCE),
        detail: Some(e.name.clone()),
        documentation: (!e.description.is_empty()).then(|| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: e.description.clone(),
            })
        }),
        filter_text: Some(format!("{insert} {}", names.join(" "))),
        text_edit: Some(TextEdit::new(range, insert.to_string()).into()),
        ..Default::default()
    }
}

/// Completion in the YAML between the fences: a key, or a reference.
fn front_matter(
    docs: &Documents,
    facts: &Facts,
    line_start: usize,
    before: &str,
    replace: &dyn Fn(&str) -> Range,
) -> Vec<CompletionItem> {
    let indent = before.len() - before.trim_start().len();
    let trimmed = before.trim_start();
    let (field, typed) = if let Some(item) = trimmed.strip_prefix("- ") {
        let above = &facts.source.text[facts.front_matter.start..line_start];
        (key_above(above, indent), item)
    } else if let Some((key, value)) = trimmed.split_once(':') {
        let value = value.trim_start();
        let typed = value
            .rsplit(['[', ','])
            .next()
            .unwrap_or(value)
            .trim_start();
        (Some(key.trim().to_string()), typed)
    } else {
        let above = &facts.source.text[facts.front_matter.start..line_start];
        return keys(facts, above, indent, replace(trimmed));
    };
    let Some(field) = field else {
        return Vec::new();
    };
    let Some(&(_, fixed)) = facts::REFERENCE_FIELDS.iter().find(|(f, _)| *f == field) else {
        return Vec::new();
    };
    let range = replace(typed);
    let prefixed = facts::field_takes_prefix(&field);
    (docs.analysis.entities())
        .filter(|e| fixed.is_none_or(|k| e.kind.prefix() == k))
        .map(|e| {
            let insert = if prefixed { e.target() } else { e.id.clone() };
            entity_item(e, &insert, range)
        })
        .collect()
}

/// The key of the nearest line above with less indentation (the list a
/// `- item` belongs to).
fn key_above(above: &str, indent: usize) -> Option<String> {
    above.lines().rev().find_map(|line| {
        let own = line.len() - line.trim_start().len();
        let (key, _) = line.trim_start().split_once(':')?;
        (own <= indent && !key.starts_with('-')).then(|| key.trim().to_string())
    })
}

/// The keys that may be written at this indentation: the file's own at the
/// top level; an entity's inside a part's inline `people:` and the like.
fn keys(facts: &Facts, above: &str, indent: usize, range: Range) -> Vec<CompletionItem> {
    let names = if indent == 0 {
        facts::front_matter_keys(&facts.rel)
    } else {
        let top = above.lines().rev().find_map(|l| {
            let key = l
                .strip_suffix(':')
                .or_else(|| l.split_once(':').map(|(k, _)| k))?;
            (!l.starts_with([' ', '\t', '-'])).then(|| key.trim().to_string())
        });
        let kind = top.and_then(|t| Kind::all().find(|k| k.folder() == t));
        match kind {
            // Two levels in: the entity's ID is the key at the first.
            Some(k) if indent >= 4 => facts::front_matter_keys(&format!("{}/x.md", k.folder())),
            _ => Vec::new(),
        }
    };
    names
        .into_iter()
        .map(|name| CompletionItem {
            label: name.clone(),
            kind: Some(CompletionItemKind::PROPERTY),
            text_edit: Some(TextEdit::new(range, format!("{name}: ")).into()),
            ..Default::default()
        })
        .collect()
}
