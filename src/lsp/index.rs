//! The adapter between the engine and the editor features: the only file of
//! `src/lsp/` (and of `glossator suggest`) that reads the model, the
//! parser's records and the resolver (`load`, `parse`, `raw`, `model`,
//! `resolve`). The other files see diagnostics and source texts, no more.
//!
//! [`Analysis`] runs load → parse → resolve over the files on disk with the
//! editor's unsaved text laid over them, reparsing only files whose text
//! changed and resolving again only the part whose text alone changed
//! ([`Resolved::resolve_part_again`]), as `serve` does. From each file's
//! parse it keeps plain [`Facts`]: the entities the file defines, the
//! mentions and references it makes (with their byte ranges), its anchors and
//! headings. The features are written against those facts alone, so a change
//! to the model touches this file and no other.
//!
//! Facts come from the parse, not from the resolved model: they are there
//! even while the edition has errors, and their positions are those of the
//! text being edited.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, SourceText};
use crate::frontmatter::{self, Split};
use crate::kinds::EntityKind;
use crate::load::{self, FileKind, LoadCache, LoadedFile};
use crate::markdown::{self, Body, Target};
use crate::parse::{self, ParsedEntity, ParsedFile, ParsedIndex, YamlPlace};
use crate::raw::RawEntity;
use crate::resolve::{self, Resolved};
use crate::schema;

/// A kind of entity, as the editor features see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kind(EntityKind);

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
    body: Option<Body>,
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

type ParseResult<T> = (Option<T>, Vec<Diagnostic>);

/// One file's parse, kept while its text stays the same.
struct FileState {
    source: Arc<SourceText>,
    kind: FileKind,
    allow_html: bool,
    result: ParseResult<ParsedFile>,
    /// The last parse of this file that succeeded, stood in for a failed
    /// one so the rest of the edition does not report what it defines as
    /// missing.
    good: Option<ParsedFile>,
    facts: Facts,
}

struct IndexState {
    source: Arc<SourceText>,
    result: ParseResult<ParsedIndex>,
    facts: Facts,
}

/// The edition as the editor has it: disk, overlaid with unsaved text.
pub struct Analysis {
    root: PathBuf,
    load_cache: LoadCache,
    disk: Vec<LoadedFile>,
    load_diagnostics: Vec<Diagnostic>,
    /// Unsaved text of open files, by path relative to `content/`.
    overlays: HashMap<String, Arc<SourceText>>,
    index: Option<IndexState>,
    files: HashMap<String, FileState>,
    /// Paths relative to `content/`, in load order (sorted).
    order: Vec<String>,
    resolved: Option<Resolved>,
    resolved_from: HashMap<String, Arc<SourceText>>,
    diagnostics: Vec<Diagnostic>,
    /// Whether the last analysis resolved the whole edition.
    pub resolved_whole: bool,
}

impl Analysis {
    pub fn new(root: &Path) -> Self {
        Analysis {
            root: root.to_path_buf(),
            load_cache: LoadCache::new(),
            disk: Vec::new(),
            load_diagnostics: Vec::new(),
            overlays: HashMap::new(),
            index: None,
            files: HashMap::new(),
            order: Vec::new(),
            resolved: None,
            resolved_from: HashMap::new(),
            diagnostics: Vec::new(),
            resolved_whole: false,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Reads `content/` again (only files whose size or time changed).
    pub fn reload_disk(&mut self) {
        let (files, ds) = load::load_content_cached(&self.root, &mut self.load_cache);
        self.disk = files;
        self.load_diagnostics = ds;
    }

    /// Lays the editor's text of `rel` over the disk's. A file that is not
    /// on disk (yet) is not part of the edition until it is saved.
    pub fn set_text(&mut self, rel: &str, text: String) {
        let display = format!("content/{rel}");
        self.overlays
            .insert(rel.to_string(), SourceText::new(display, text));
    }

    /// The editor closed `rel`: the disk's text counts again.
    pub fn forget_text(&mut self, rel: &str) {
        self.overlays.remove(rel);
    }

    /// Parses what changed and resolves; returns every diagnostic, as
    /// `build` reports them (before rendering).
    pub fn analyse(&mut self) -> &[Diagnostic] {
        let files = self.current_files();
        self.parse(&files);
        let mut diags = self.load_diagnostics.clone();
        diags.extend(self.parse_diagnostics(&files));
        let (resolved, whole) = self.resolve(&files);
        self.resolved_whole = whole;
        diags.extend(resolved);
        let mut all = crate::diagnostics::Diagnostics { items: diags };
        all.fold_cascades();
        all.sort();
        self.diagnostics = all.items;
        &self.diagnostics
    }

    /// The files of the edition with the overlays laid over them.
    fn current_files(&self) -> Vec<LoadedFile> {
        (self.disk.iter())
            .map(|f| match self.overlays.get(&f.rel) {
                Some(text) => LoadedFile {
                    rel: f.rel.clone(),
                    kind: f.kind,
                    source: Arc::clone(text),
                },
                None => f.clone(),
            })
            .collect()
    }

    fn parse(&mut self, files: &[LoadedFile]) {
        let index_file = files.iter().find(|f| f.kind == FileKind::Index);
        self.index = index_file.map(|f| match self.index.take() {
            Some(state) if same_text(&state.source, &f.source) => state,
            _ => {
                let result = parse::parse_index_file(f);
                let facts = index_facts(f, result.0.as_ref());
                IndexState {
                    source: Arc::clone(&f.source),
                    result,
                    facts,
                }
            }
        });
        let allow_html = (self.index.as_ref())
            .and_then(|i| i.result.0.as_ref())
            .is_some_and(|i| i.raw.allow_html);
        let mut old = std::mem::take(&mut self.files);
        self.order.clear();
        for f in files.iter().filter(|f| f.kind != FileKind::Index) {
            self.order.push(f.rel.clone());
            let kept = old.remove(&f.rel);
            let state = match kept {
                Some(s) if s.kind == f.kind && s.allow_html == allow_html => {
                    if same_text(&s.source, &f.source) {
                        s
                    } else {
                        parse_state(f, allow_html, s.good)
                    }
                }
                _ => parse_state(f, allow_html, None),
            };
            self.files.insert(f.rel.clone(), state);
        }
    }

    fn parse_diagnostics(&self, files: &[LoadedFile]) -> Vec<Diagnostic> {
        let index = self.index.as_ref().map(|i| (None, i.result.1.clone()));
        let rest = (files.iter().filter(|f| f.kind != FileKind::Index))
            .filter_map(|f| self.files.get(&f.rel))
            .map(|s| (None, s.result.1.clone()));
        parse::assemble(index, rest).1
    }

    /// Resolves again only the parts whose text alone changed when that is
    /// all, else the whole edition. A file that fails to parse stands in
    /// with its last good parse, and what resolve says of that stale text
    /// is dropped: its parse error is the one thing to fix.
    fn resolve(&mut self, files: &[LoadedFile]) -> (Vec<Diagnostic>, bool) {
        let stale: Vec<String> = (self.files.values())
            .filter(|s| s.result.0.is_none() && s.good.is_some())
            .map(|s| s.source.display_path.clone())
            .collect();
        if stale.is_empty()
            && let Some(ds) = self.resolve_parts_again(files)
        {
            return (ds, false);
        }
        let index = self.index.as_ref().map(|i| i.result.clone());
        let parsed = (self.order.iter())
            .filter_map(|rel| self.files.get(rel))
            .map(|s| match (&s.result.0, &s.good) {
                (None, Some(good)) => (Some(good.clone()), Vec::new()),
                _ => s.result.clone(),
            });
        let (edition, _) = parse::assemble(index, parsed);
        let (resolved, ds) = resolve::resolve_keeping(edition);
        let ds = (ds.into_iter())
            .filter(|d| {
                let file = d.primary.as_ref().map(|l| l.source.display_path.as_str());
                !file.is_some_and(|f| stale.iter().any(|s| s == f))
            })
            .collect();
        let can_continue = stale.is_empty();
        self.resolved = resolved.filter(|_| can_continue);
        self.resolved_from = (files.iter())
            .map(|f| (f.rel.clone(), Arc::clone(&f.source)))
            .collect();
        (ds, true)
    }

    fn resolve_parts_again(&mut self, files: &[LoadedFile]) -> Option<Vec<Diagnostic>> {
        let resolved = self.resolved.as_mut()?;
        if files.len() != self.resolved_from.len() {
            return None;
        }
        let mut changed = Vec::new();
        for f in files {
            let old = self.resolved_from.get(&f.rel)?;
            if !same_text(old, &f.source) {
                changed.push(f);
            }
        }
        for f in &changed {
            let state = self.files.get(&f.rel)?;
            let (Some(ParsedFile::Part(part, _)), ds) = &state.result else {
                return None;
            };
            if ds.iter().any(Diagnostic::is_error) {
                return None;
            }
            let (origin, body) = (part.origin.clone(), part.body.clone());
            if !resolved.resolve_part_again(&f.rel, &f.source.text, origin, body) {
                return None;
            }
        }
        for f in changed {
            self.resolved_from
                .insert(f.rel.clone(), Arc::clone(&f.source));
        }
        Some(resolved.diagnostics())
    }

    /// The diagnostics of the last [`analyse`](Self::analyse).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The facts of every file, `_index.md` first, then in path order.
    pub fn facts(&self) -> impl Iterator<Item = &Facts> {
        let index = self.index.as_ref().map(|i| &i.facts);
        let rest = (self.order.iter())
            .filter_map(|rel| self.files.get(rel))
            .map(|s| &s.facts);
        index.into_iter().chain(rest)
    }

    /// The facts of one file, by its path relative to `content/`.
    pub fn file(&self, rel: &str) -> Option<&Facts> {
        match rel {
            "_index.md" => self.index.as_ref().map(|i| &i.facts),
            _ => self.files.get(rel).map(|s| &s.facts),
        }
    }

    /// Every entity definition, in file order.
    pub fn entities(&self) -> impl Iterator<Item = &Entity> {
        self.facts().flat_map(|f| &f.entities)
    }

    pub fn entity(&self, kind: Kind, id: &str) -> Option<&Entity> {
        self.entities().find(|e| e.kind == kind && e.id == id)
    }

    /// The text of a file as the analysis has it: overlay, else disk.
    pub fn source(&self, rel: &str) -> Option<&Arc<SourceText>> {
        self.file(rel).map(|f| &f.source)
    }
}

fn same_text(a: &Arc<SourceText>, b: &Arc<SourceText>) -> bool {
    Arc::ptr_eq(a, b) || a.text == b.text
}

fn parse_state(f: &LoadedFile, allow_html: bool, good: Option<ParsedFile>) -> FileState {
    let result = parse::parse_one(f, allow_html);
    let good = result.0.clone().or(good);
    let mut facts = file_facts(f, result.0.as_ref());
    if result.0.is_none() {
        // What the file defined stays known to the rest of the edition
        // while its text does not parse.
        facts.entities = file_facts(f, good.as_ref()).entities;
    }
    FileState {
        source: Arc::clone(&f.source),
        kind: f.kind,
        allow_html,
        result,
        good,
        facts,
    }
}

fn role_of(kind: FileKind) -> Role {
    match kind {
        FileKind::Index => Role::Index,
        FileKind::Part => Role::Part,
        // A section's introduction is read as a page is: a title, a body and
        // the anchors of its headings.
        FileKind::Page | FileKind::Section => Role::Page,
        FileKind::Entity(k) => Role::Entity(Kind(k)),
    }
}

fn empty_facts(f: &LoadedFile) -> Facts {
    let front_matter = frontmatter::split(&f.source).map_or(0..0, |s| s.yaml);
    Facts {
        rel: f.rel.clone(),
        source: Arc::clone(&f.source),
        role: role_of(f.kind),
        front_matter,
        title: None,
        entities: Vec::new(),
        occurrences: Vec::new(),
        file_links: Vec::new(),
        anchors: Vec::new(),
        body: None,
    }
}

fn index_facts(f: &LoadedFile, parsed: Option<&ParsedIndex>) -> Facts {
    let mut facts = empty_facts(f);
    if let Some(index) = parsed {
        facts.title = Some(index.raw.title.clone());
        add_body(&mut facts, &index.body);
    }
    facts
}

fn file_facts(f: &LoadedFile, parsed: Option<&ParsedFile>) -> Facts {
    let mut facts = empty_facts(f);
    match parsed {
        Some(ParsedFile::Part(part, inline)) => {
            facts.title = Some(part.raw.title.clone());
            add_body(&mut facts, &part.body);
            facts.anchors = anchors(&part.body);
            for e in inline {
                add_entity(&mut facts, e, false);
            }
        }
        Some(ParsedFile::Page(page)) => {
            facts.title = Some(page.raw.title.clone());
            add_body(&mut facts, &page.body);
            facts.anchors = anchors(&page.body);
        }
        Some(ParsedFile::Section(section)) => {
            facts.title = Some(section.raw.title.clone());
            add_body(&mut facts, &section.body);
            facts.anchors = anchors(&section.body);
        }
        Some(ParsedFile::Entity(e)) => {
            add_entity(&mut facts, e, true);
            add_body(&mut facts, &e.body);
        }
        // Many sources in one file: none of them is the file's own.
        Some(ParsedFile::Imported(list)) => {
            for e in list {
                add_entity(&mut facts, e, false);
            }
        }
        Some(ParsedFile::SourceNote(note)) => add_body(&mut facts, &note.body),
        None => {}
    }
    facts
}

/// The mentions and file links of a body.
fn add_body(facts: &mut Facts, body: &Body) {
    let text = &body.source.text;
    for link in &body.links {
        match &link.target {
            Target::Mention { kind, id } => {
                let target = format!("{}:{id}", kind.prefix());
                let within = text.get(link.span.clone()).unwrap_or("");
                let id_span = within.rfind(&target).map(|i| {
                    let start = link.span.start + i + kind.prefix().len() + 1;
                    start..start + id.len()
                });
                facts.occurrences.push(Occurrence {
                    kind: Kind(*kind),
                    id: id.clone(),
                    written: Written::Mention,
                    span: link.span.clone(),
                    id_span,
                });
            }
            Target::Content { path, fragment } => facts.file_links.push(FileLink {
                span: link.span.clone(),
                rel: join_relative(&facts.rel, path),
                fragment: fragment.clone(),
            }),
            Target::Fragment(_) | Target::External(_) => {}
        }
    }
    facts.body = Some(body.clone());
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

/// The numbered paragraphs and headings of a body, with their byte ranges.
fn anchors(body: &Body) -> Vec<Anchor> {
    let spans = body.spans();
    let span_of = |event: usize| spans.get(event).cloned().unwrap_or(0..0);
    let paragraphs = (body.paragraph_starts.iter().zip(&body.paragraphs))
        .enumerate()
        .map(|(i, (&event, text))| Anchor {
            id: format!("p{}", i + 1),
            label: first_words(text),
            span: span_of(event),
            heading_level: 0,
        });
    let headings = body.headings.iter().map(|h| Anchor {
        id: h.id.clone(),
        label: h.text.clone(),
        span: span_of(h.start),
        heading_level: h.level,
    });
    let mut all: Vec<Anchor> = paragraphs.chain(headings).collect();
    all.sort_by_key(|a| a.span.start);
    all
}

fn first_words(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

fn add_entity(facts: &mut Facts, e: &ParsedEntity, own_file: bool) {
    let kind = Kind(e.kind);
    let (name, aliases, description, details) = card(&e.raw);
    let sources = match &e.raw {
        RawEntity::Claim(c) => c.sources.iter().map(|s| s.value.clone()).collect(),
        _ => Vec::new(),
    };
    facts.entities.push(Entity {
        kind,
        id: e.id.clone(),
        name,
        aliases,
        description,
        details,
        sources,
        definition: Place {
            file: e.id_origin.source.display_path.clone(),
            span: e.id_origin.span.clone(),
        },
        own_file,
    });
    for (field, value) in references(&e.raw) {
        if let Some(occurrence) = reference(&e.yaml, field, value) {
            facts.occurrences.push(occurrence);
        }
    }
}

/// Name, aliases, description and further lines of an entity's card.
fn card(raw: &RawEntity) -> (String, Vec<String>, String, Vec<String>) {
    match raw {
        RawEntity::Person(p) => {
            let dates = match (&p.born, &p.died) {
                (None, None) => None,
                (b, d) => Some(format!(
                    "{}–{}",
                    b.as_ref().map_or("", |s| s.value.as_str()),
                    d.as_ref().map_or("", |s| s.value.as_str())
                )),
            };
            let roles = (!p.roles.is_empty()).then(|| p.roles.join(", "));
            let details = dates.into_iter().chain(roles).collect();
            (
                p.name.clone(),
                p.aliases.clone(),
                p.description.clone(),
                details,
            )
        }
        RawEntity::Source(s) => {
            let authors = s.authors.iter().map(|a| a.value.as_str());
            let authors = authors.collect::<Vec<_>>().join(", ");
            let line = [
                Some(authors).filter(|a| !a.is_empty()),
                s.outlet.as_ref().map(|o| o.value.clone()),
                s.date.as_ref().map(|d| d.value.clone()),
            ];
            let line = line.into_iter().flatten().collect::<Vec<_>>().join(" · ");
            (s.title.clone(), Vec::new(), line, Vec::new())
        }
        RawEntity::Claim(c) => {
            let mut details = vec![format!(
                "Status: {} ({})",
                c.status.as_str(),
                c.status.explanation()
            )];
            if let Some(d) = &c.date {
                details.push(format!("Date: {}", d.value));
            }
            (c.text.clone(), Vec::new(), String::new(), details)
        }
        RawEntity::Place(p) => {
            let details = (p.coordinates.iter())
                .map(|c| format!("Coordinates: {}, {}", c.value.lat.value, c.value.lon.value))
                .collect();
            (
                p.name.clone(),
                p.aliases.clone(),
                p.description.clone(),
                details,
            )
        }
        RawEntity::Organisation(o) => {
            let mut details: Vec<String> = o
                .kind
                .iter()
                .map(|k| format!("Kind: {}", k.as_str()))
                .collect();
            details.extend(o.founded.iter().map(|d| format!("Founded: {}", d.value)));
            details.extend(
                o.dissolved
                    .iter()
                    .map(|d| format!("Dissolved: {}", d.value)),
            );
            (
                o.name.clone(),
                o.aliases.clone(),
                o.description.clone(),
                details,
            )
        }
        RawEntity::Term(t) => {
            let details = t
                .category
                .iter()
                .map(|c| format!("Category: {c}"))
                .collect();
            (
                t.term.clone(),
                t.aliases.clone(),
                t.definition.clone(),
                details,
            )
        }
    }
}

/// The reference fields of a definition, as (field, value).
fn references(raw: &RawEntity) -> Vec<(&'static str, &Spanned<String>)> {
    let mut out = Vec::new();
    match raw {
        RawEntity::Source(s) => {
            out.extend(s.authors.iter().map(|a| ("authors", a)));
            out.extend(s.outlet.iter().map(|o| ("outlet", o)));
            out.extend(s.publisher.iter().map(|o| ("publisher", o)));
        }
        RawEntity::Person(p) => out.extend(p.affiliations.iter().map(|a| ("affiliations", a))),
        RawEntity::Place(p) => out.extend(p.located_in.iter().map(|l| ("located_in", l))),
        RawEntity::Organisation(o) => out.extend(o.part_of.iter().map(|o| ("part_of", o))),
        RawEntity::Claim(c) => {
            out.extend(c.sources.iter().map(|s| ("sources", s)));
            out.extend(c.attributed_to.iter().map(|s| ("attributed_to", s)));
            out.extend(c.about.iter().map(|s| ("about", s)));
        }
        RawEntity::Term(_) => {}
    }
    out
}

/// A reference written in YAML, with its place in the file.
fn reference(yaml: &YamlPlace, field: &str, value: &Spanned<String>) -> Option<Occurrence> {
    let fixed = REFERENCE_FIELDS.iter().find(|(f, _)| *f == field)?.1;
    let (kind, id, prefix_len) = match value.value.split_once(':') {
        Some((prefix, id)) if field_takes_prefix(field) => {
            (Kind::from_prefix(prefix)?, id, prefix.len() + 1)
        }
        // A plain name or outlet, not a reference.
        _ if matches!(field, "authors" | "outlet" | "publisher") => return None,
        _ => (Kind::from_prefix(fixed?)?, value.value.as_str(), 0),
    };
    let span = yaml_value_span(&yaml.source, &yaml.split, value)?;
    let id_start = span.start + prefix_len;
    Some(Occurrence {
        kind,
        id: id.to_string(),
        written: Written::Reference,
        id_span: Some(id_start..id_start + id.len()),
        span,
    })
}

/// The byte range of a YAML scalar's text in the file: from where the parser
/// saw it, to the end of the value as written (quotes excluded).
fn yaml_value_span(
    source: &SourceText,
    split: &Split,
    v: &Spanned<String>,
) -> Option<Range<usize>> {
    let loc = v.referenced;
    let at = frontmatter::offset_in_file(source, split, loc.line() as usize, loc.column() as usize);
    let line_end = source.text[at..]
        .find('\n')
        .map_or(source.text.len(), |i| at + i);
    let found = source.text[at..line_end].find(v.value.as_str())?;
    Some(at + found..at + found + v.value.len())
}

/// Whether `id` may name an entity: lower-case letters, digits and `-`.
pub fn is_valid_id(id: &str) -> bool {
    markdown::is_valid_id(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/content");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = dir
                .path()
                .join("content")
                .join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        dir
    }

    fn messages(ds: &[Diagnostic]) -> Vec<String> {
        ds.iter().map(|d| d.render(false)).collect()
    }

    #[test]
    fn an_edit_to_a_part_text_resolves_that_part_alone_with_the_diagnostics_of_a_full_check() {
        let dir = basic();
        let part = "01-beginnings.md";
        let text = std::fs::read_to_string(dir.path().join("content").join(part)).unwrap();
        let mut analysis = Analysis::new(dir.path());
        analysis.reload_disk();
        assert!(analysis.analyse().is_empty());
        assert!(analysis.resolved_whole);
        // The claim loses its only mention: a warning, from this part's text alone.
        let edited = text.replace(
            "[He met Iranian diplomats in Geneva](claim:met-in-geneva)",
            "He met Iranian diplomats in Geneva",
        );
        analysis.set_text(part, edited.clone());
        let again = messages(analysis.analyse());
        assert!(!analysis.resolved_whole, "only the part was resolved again");
        let mut fresh = Analysis::new(dir.path());
        fresh.reload_disk();
        fresh.set_text(part, edited);
        let whole = messages(fresh.analyse());
        assert!(fresh.resolved_whole);
        assert_eq!(again, whole);
        assert!(
            again.iter().any(|m| m.contains("met-in-geneva")),
            "{again:?}"
        );
    }
}
