//! The plain facts the editor features read, one [`Facts`] per file: the
//! entities a file defines, the mentions and references it makes (with their
//! byte ranges), its anchors and headings; and the vocabulary of kinds and
//! reference fields they are written in. Nothing here reads a parse or the
//! resolved model: `extract` fills these in, `index` keeps them, and the
//! features (`complete`, `navigate`, `edit`, `suggest`) read them alone.

use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

use crate::diagnostics::SourceText;
use crate::kinds::EntityKind;
use crate::load::{self, FileKind};
use crate::markdown::{self, Body};
use crate::schema;

/// A kind of entity, as the editor features see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kind(pub(super) EntityKind);

impl Kind {
    pub fn all() -> impl Iterator<Item = Kind> {
        EntityKind::ALL.into_iter().map(Kind)
    }

    /// `person` in `person:crocker`; also the kind's name in messages.
    pub fn prefix(self) -> &'static str {
        self.0.prefix()
    }

    /// `people`, the folder of the kind's own files under `content/`.
    pub fn folder(self) -> &'static str {
        self.0.folder()
    }

    pub fn from_prefix(prefix: &str) -> Option<Kind> {
        EntityKind::from_prefix(prefix).map(Kind)
    }

    /// The fields a definition of this kind must have, from the JSON Schema
    /// generated from the types the loader deserialises.
    pub fn required_fields(self) -> Vec<String> {
        let schema = schema::front_matter(self.file_kind());
        (schema["required"].as_array().into_iter().flatten())
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    }

    /// The required fields of a new definition with their first values, as
    /// YAML lines: the ID, in words, for the name (the first field), an
    /// enumeration's first value, else an empty string to fill in.
    pub fn new_definition(self, id: &str) -> Vec<String> {
        let schema = schema::front_matter(self.file_kind());
        let words = id.split('-').map(capitalised).collect::<Vec<_>>().join(" ");
        (self.required_fields().iter().enumerate())
            .map(|(i, field)| {
                let property = &schema["properties"][field];
                let choices = property["enum"].as_array().or_else(|| {
                    let refd = property["$ref"].as_str()?.rsplit('/').next()?;
                    let defs = ["definitions", "$defs"].map(|d| &schema[d][refd]["enum"]);
                    defs.into_iter().find_map(Value::as_array)
                });
                let value = match (i, choices.and_then(|c| c.first())) {
                    (_, Some(first)) => first.as_str().unwrap_or("").to_string(),
                    (0, None) => yaml_string(&words),
                    _ => "\"\"".to_string(),
                };
                format!("{field}: {value}")
            })
            .collect()
    }

    fn file_kind(self) -> FileKind {
        FileKind::Entity(self.0)
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// A YAML double-quoted string.
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// The front-matter keys of the file at `rel` (relative to `content/`),
/// from the same schema.
pub fn front_matter_keys(rel: &str) -> Vec<String> {
    let Some(kind) = load::file_kind_of(rel) else {
        return Vec::new();
    };
    let schema = schema::front_matter(kind);
    let props = schema["properties"].as_object();
    props.map_or_else(Vec::new, |p| p.keys().cloned().collect())
}

/// Front-matter fields whose values are references, and the kind they name:
/// `None` for `about`, whose values say their kind (`person:x`).
pub const REFERENCE_FIELDS: &[(&str, Option<&str>)] = &[
    ("sources", Some("source")),
    ("attributed_to", Some("person")),
    ("authors", Some("person")),
    ("about", None),
    ("affiliations", Some("org")),
    ("located_in", Some("place")),
    ("part_of", Some("org")),
    ("outlet", Some("org")),
    ("publisher", Some("org")),
];

/// Whether IDs of `kind` may be written as `kind:id` in `field` (`authors`
/// takes `person:id` beside plain names).
pub fn field_takes_prefix(field: &str) -> bool {
    matches!(
        field,
        "about" | "authors" | "affiliations" | "located_in" | "part_of" | "outlet" | "publisher"
    )
}

/// A place in a file: its path relative to the edition root, and a byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub span: Range<usize>,
}

/// One entity definition.
#[derive(Debug, Clone)]
pub struct Entity {
    pub kind: Kind,
    pub id: String,
    /// A person's name, a source's title, a term, a claim's text.
    pub name: String,
    pub aliases: Vec<String>,
    /// A person's description, a term's definition, a source's outlet.
    pub description: String,
    /// Further lines of the entity's card: dates, roles, a claim's status.
    pub details: Vec<String>,
    /// The sources a claim cites, by ID.
    pub sources: Vec<String>,
    /// Where its ID is written: the file name or the inline key.
    pub definition: Place,
    /// Defined in its own file (`content/people/ID.md`), not inline.
    pub own_file: bool,
}

impl Entity {
    /// `person:crocker`.
    pub fn target(&self) -> String {
        format!("{}:{}", self.kind.prefix(), self.id)
    }

    /// The name and the aliases, which the text may use for the entity.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// Whether an occurrence is a mention in Markdown or a reference in YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// `[words](person:x)` in a body.
    Mention,
    /// `sources: [x]` and the like in front matter.
    Reference,
}

/// One mention or reference of an entity, resolved or not.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub kind: Kind,
    pub id: String,
    pub written: Written,
    /// The whole link or YAML value.
    pub span: Range<usize>,
    /// The ID alone within it, when it is written there (a reference-style
    /// link keeps its target elsewhere).
    pub id_span: Option<Range<usize>>,
}

/// A link from a body to another content file: `02-iraq.md#p4`.
#[derive(Debug, Clone)]
pub struct FileLink {
    pub span: Range<usize>,
    /// The target, relative to `content/`.
    pub rel: String,
    pub fragment: Option<String>,
}

/// A `#fragment` of a body: a numbered paragraph or a heading.
#[derive(Debug, Clone)]
pub struct Anchor {
    pub id: String,
    /// The heading's text, or the paragraph's first words.
    pub label: String,
    pub span: Range<usize>,
    /// 0 for a paragraph, else the heading level.
    pub heading_level: u8,
}

/// What a content file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Index,
    Part,
    Page,
    Entity(Kind),
}

/// Everything the features know of one file, from its last parse.
#[derive(Debug, Clone)]
pub struct Facts {
    /// Relative to `content/`, with `/` separators.
    pub rel: String,
    pub source: Arc<SourceText>,
    pub role: Role,
    /// The YAML between the fences (empty when there is none).
    pub front_matter: Range<usize>,
    pub title: Option<String>,
    pub entities: Vec<Entity>,
    pub occurrences: Vec<Occurrence>,
    pub file_links: Vec<FileLink>,
    pub anchors: Vec<Anchor>,
    pub(super) body: Option<Body>,
}

impl Facts {
    /// The path relative to the edition root (`content/01-a.md`).
    pub fn path(&self) -> &str {
        &self.source.display_path
    }

    /// The byte ranges of the body's running text that a name may be
    /// linked in: outside code, links, images, headings, HTML and front
    /// matter. Adjacent text events are joined, so a name is one run.
    pub fn prose(&self) -> Vec<Range<usize>> {
        let Some(body) = &self.body else {
            return Vec::new();
        };
        use pulldown_cmark::{Event, Tag, TagEnd};
        let (events, spans) = body.events_and_spans();
        let mut runs: Vec<Range<usize>> = Vec::new();
        let mut shut = 0usize;
        for (event, span) in events.iter().zip(spans) {
            match event {
                Event::Start(
                    Tag::Link { .. }
                    | Tag::Image { .. }
                    | Tag::Heading { .. }
                    | Tag::CodeBlock(_)
                    | Tag::HtmlBlock
                    | Tag::MetadataBlock(_),
                ) => shut += 1,
                Event::End(
                    TagEnd::Link
                    | TagEnd::Image
                    | TagEnd::Heading(_)
                    | TagEnd::CodeBlock
                    | TagEnd::HtmlBlock
                    | TagEnd::MetadataBlock(_),
                ) => shut = shut.saturating_sub(1),
                Event::Text(_) if shut == 0 => match runs.last_mut() {
                    Some(last) if last.end == span.start => last.end = span.end,
                    _ => runs.push(span),
                },
                _ => {}
            }
        }
        runs
    }
}

/// `path` as written in the file at `from`, relative to `content/`.
pub fn join_relative(from: &str, path: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in path.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Whether `id` may name an entity: lower-case letters, digits and `-`.
pub fn is_valid_id(id: &str) -> bool {
    markdown::is_valid_id(id)
}
