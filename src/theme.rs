//! Render stage, setup: finds the theme, compiles its templates once, and
//! lists its static files.
//!
//! The default theme is embedded in the binary, so an edition without a
//! `themes/` folder builds. A theme on disk (`ROOT/themes/NAME/`) overrides the
//! embedded default template by template and file by file: a theme only needs
//! the files it changes.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use include_dir::{Dir, include_dir};

use crate::diagnostics::{Code, Diagnostic, SourceText};
use crate::kinds::EntityKind;
use crate::load::{self, Stamp};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The templates every theme provides (from itself or the default) besides
/// those of each entity kind ([`required_templates`]).
const PAGE_TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "part.html",
    "section.html",
    "page.html",
    "search.html",
    "timeline.html",
    "404.html",
];

/// Every template a theme must have: the pages', and for each entity kind
/// its entity page (`person.html`) and its index page (`people.html`).
pub fn required_templates() -> Vec<String> {
    let mut names: Vec<String> = PAGE_TEMPLATES.iter().map(|s| s.to_string()).collect();
    for k in EntityKind::ALL {
        names.push(format!("{}.html", k.name()));
        names.push(format!("{}.html", k.folder()));
    }
    names
}

pub struct Theme {
    pub tera: tera::Tera,
    /// Template name → its source, for error positions.
    pub sources: BTreeMap<String, Arc<SourceText>>,
    /// Static files: path under `static/` → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Where the theme came from, for messages.
    pub origin: String,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

/// Loads theme `name` for the edition at `root`.
pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let dir = root.join("themes").join(name);
    let on_disk = dir.is_dir();
    if !on_disk && name != "default" {
        return Err(vec![not_found(name)]);
    }
    let mut files: BTreeMap<String, Vec<u8>> = embedded_files();
    let mut from_disk: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut diags = Vec::new();
    if on_disk {
        read_theme_dir(root, &dir, &mut files, &mut from_disk, &mut diags);
    }
    let (tera, sources) = compile_templates(&files, &from_disk, &mut diags);
    diags.extend(missing_templates(name, &dir, &sources));
    if !diags.is_empty() {
        return Err(diags);
    }
    let static_files = files
        .into_iter()
        .filter_map(|(rel, bytes)| rel.strip_prefix("static/").map(|r| (r.to_string(), bytes)))
        .collect();
    let origin = if on_disk {
        format!("themes/{name}")
    } else {
        "built-in default theme".into()
    };
    Ok(Theme {
        tera,
        sources,
        static_files,
        origin,
    })
}

/// The theme as last loaded, for rebuilds, with the size and time of its
/// files on disk: loaded again only when one of them changes.
pub struct ThemeCache {
    stamps: Vec<(String, Stamp)>,
    checked_at: SystemTime,
    /// The theme and a hash of its templates and static files, or why it did
    /// not load.
    pub result: Result<(Theme, u64), Vec<Diagnostic>>,
}

impl ThemeCache {
    /// `cached` while no file of the theme `name` changed since it was
    /// loaded (and each is old enough for its time to tell), else the theme
    /// loaded again.
    pub fn load_if_changed(cached: Option<ThemeCache>, root: &Path, name: &str) -> ThemeCache {
        let now = SystemTime::now();
        let stamps = load::stamps(&root.join("themes").join(name));
        let settled = |t: &ThemeCache| {
            t.stamps == stamps && (t.stamps.iter()).all(|(_, s)| load::settled(s, t.checked_at))
        };
        if let Some(t) = cached.filter(settled) {
            return t;
        }
        let result = load(root, name).map(|t| {
            let h = hash(&t);
            (t, h)
        });
        ThemeCache {
            stamps,
            checked_at: now,
            result,
        }
    }
}

/// The theme's part of the pages' fingerprints, with their hasher
/// (`render::deps::hasher`, which render's own imports keep out of reach).
fn hash(t: &Theme) -> u64 {
    let mut h = foldhash::fast::FixedState::default().build_hasher();
    for (name, source) in &t.sources {
        (name, &source.text).hash(&mut h);
    }
    t.static_files.hash(&mut h);
    h.finish()
}

fn not_found(name: &str) -> Diagnostic {
    Diagnostic::error(format!("theme `{name}` not found: there is no folder themes/{name}/"))
        .with_help("`--theme default` uses the theme built into glossator; `glossator theme eject` copies it out for editing")
        .with_code(Code::ThemeNotFound)
        .in_file(&PathBuf::from(format!("themes/{name}")))
}

/// Lays the files of the theme folder `dir` over the embedded ones in
/// `files`, noting where each came from (relative to `root`) for messages.
fn read_theme_dir(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, Vec<u8>>,
    from_disk: &mut BTreeMap<String, PathBuf>,
    diags: &mut Vec<Diagnostic>,
) {
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                match std::fs::read(e.path()) {
                    Ok(bytes) => {
                        files.insert(rel.clone(), bytes);
                        from_disk.insert(
                            rel,
                            e.path()
                                .strip_prefix(root)
                                .unwrap_or(e.path())
                                .to_path_buf(),
                        );
                    }
                    Err(err) => diags.push(
                        Diagnostic::error(format!("cannot read {}: {err}", e.path().display()))
                            .with_code(Code::ThemeUnreadable)
                            .in_file(e.path()),
                    ),
                }
            }
            Ok(_) => {}
            Err(err) => diags.push(
                Diagnostic::error(format!("cannot read theme file: {err}"))
                    .with_code(Code::ThemeUnreadable)
                    .in_file(dir),
            ),
        }
    }
}

/// Compiles the templates among `files`, each named for messages by where it
/// came from.
fn compile_templates(
    files: &BTreeMap<String, Vec<u8>>,
    from_disk: &BTreeMap<String, PathBuf>,
    diags: &mut Vec<Diagnostic>,
) -> (tera::Tera, BTreeMap<String, Arc<SourceText>>) {
    let mut tera = tera::Tera::new();
    let mut sources = BTreeMap::new();
    let mut templates = Vec::new();
    for (rel, bytes) in files {
        let Some(name) = rel.strip_prefix("templates/") else {
            continue;
        };
        let shown = from_disk.get(rel).map_or_else(
            || format!("(default theme) templates/{name}"),
            |p| p.display().to_string(),
        );
        match String::from_utf8(bytes.clone()) {
            Ok(text) => {
                let source = SourceText::new(shown, text);
                templates.push((name.to_string(), Arc::clone(&source)));
                sources.insert(name.to_string(), source);
            }
            Err(_) => diags.push(
                Diagnostic::error(format!("{shown} is not UTF-8"))
                    .with_code(Code::ThemeUnreadable)
                    .in_file(Path::new(&shown)),
            ),
        }
    }
    if let Err(err) =
        tera.add_raw_templates(templates.iter().map(|(n, s)| (n.as_str(), s.text.as_str())))
    {
        diags.push(template_error(&err, &sources));
    }
    (tera, sources)
}

/// A diagnostic for each required template the theme lacks.
fn missing_templates(
    name: &str,
    dir: &Path,
    sources: &BTreeMap<String, Arc<SourceText>>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for required in required_templates() {
        if !sources.contains_key(&required) {
            diags.push(
                Diagnostic::error(format!("theme `{name}` has no template `{required}`"))
                    .with_code(Code::TemplateMissing)
                    .in_file(&dir.join("templates").join(&required)),
            );
        }
    }
    diags
}

fn embedded_files() -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![&DEFAULT_THEME];
    while let Some(dir) = stack.pop() {
        for f in dir.files() {
            out.insert(
                f.path().to_string_lossy().replace('\\', "/"),
                f.contents().to_vec(),
            );
        }
        stack.extend(dir.dirs());
    }
    out
}

/// Every file of the embedded default theme, for `theme eject`.
pub fn default_theme_files() -> BTreeMap<String, Vec<u8>> {
    embedded_files()
}

/// A tera error as a diagnostic at `template:line:col`.
pub fn template_error(
    err: &tera::Error,
    sources: &BTreeMap<String, Arc<SourceText>>,
) -> Diagnostic {
    tera_diagnostic(err, sources).with_code(Code::TemplateError)
}

fn tera_diagnostic(err: &tera::Error, sources: &BTreeMap<String, Arc<SourceText>>) -> Diagnostic {
    use tera::ErrorKind;
    let report = match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    if let Some(r) = report {
        let name = r.filename();
        if let Some(source) = sources.get(name) {
            let span = r.span().range.clone();
            return Diagnostic::error(format!("template error: {}", r.message()))
                .at(source, span, "here");
        }
        return Diagnostic::error(format!("template error in {name}: {}", r.message()));
    }
    if let ErrorKind::CircularInclude { tpl, include_chain } = err.kind() {
        let next = include_chain.get(1).unwrap_or(tpl);
        if let Some(source) = sources.get(tpl.as_str()) {
            let needle = format!("\"{next}\"");
            if let Some(at) = source.text.find(&needle) {
                let line_start = source.text[..at].rfind('\n').map_or(0, |i| i + 1);
                return Diagnostic::error(format!(
                    "template error: `{tpl}` includes itself (include chain: {})",
                    include_chain.join(" → ")
                ))
                .at(source, line_start..at + needle.len(), "circular include")
                .with_help("a template cannot include itself, directly or through others");
            }
        }
    }
    let mut message = format!("template error: {err}");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    Diagnostic::error(message)
}
