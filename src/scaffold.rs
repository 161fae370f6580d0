//! Starting points: `glossator new` writes a minimal edition that builds with
//! `--strict` at once, `glossator theme eject` copies the built-in theme out
//! for customising, and `glossator schema --out` writes the editor schemas.
//!
//! These are the only commands besides `build` that write to disk; each
//! refuses to overwrite anything that is already there.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::kinds::{EntityKind, FileKind};
use crate::schema;
use crate::theme;

/// The folder of the editor schemas inside a new edition.
pub const SCHEMA_DIR: &str = "schemas";

/// The files of a new edition: path relative to the edition folder → text.
/// Front matter starts with the YAML language server's schema comment.
pub fn new_edition_files() -> Vec<(String, String)> {
    let files: [(&str, FileKind, &str); 7] = [
        (
            "content/_index.md",
            FileKind::Index,
            "title: A New Edition\nsubtitle: An annotated reading text\nauthor: The Author\neditor: The Editor\nlanguage: en\nlicense: CC BY 4.0\n",
        ),
        (
            "content/01-opening.md",
            FileKind::Part,
            "title: Opening\nsummary: The first part of the text.\n",
        ),
        (
            "content/people/ada-lovelace.md",
            FileKind::Entity(EntityKind::Person),
            "name: Ada Lovelace\ndescription: A mathematician who wrote the first published algorithm for a machine.\nborn: \"1815-12-10\"\ndied: \"1852-11-27\"\nroles: [mathematician]\naliases: [Lovelace]\nwikidata: Q7259\n",
        ),
        (
            "content/sources/sketch-of-the-analytical-engine.md",
            FileKind::Entity(EntityKind::Source),
            "title: Sketch of the Analytical Engine, with notes by the translator\nauthors: [ada-lovelace]\noutlet: Scientific Memoirs\nkind: article\ndate: \"1843\"\n",
        ),
        (
            "content/claims/first-program.md",
            FileKind::Entity(EntityKind::Claim),
            "text: Lovelace's notes contain the first published program.\nstatus: sourced\nsources: [sketch-of-the-analytical-engine]\nabout: [person:ada-lovelace]\n",
        ),
        (
            "content/terms/analytical-engine.md",
            FileKind::Entity(EntityKind::Term),
            "term: Analytical Engine\ndefinition: Charles Babbage's design for a general-purpose mechanical computer.\n",
        ),
        (
            "content/pages/about.md",
            FileKind::Page,
            "title: About this edition\n",
        ),
    ];
    let bodies = [
        "Welcome to the edition. Start reading with the [first part](01-opening.md).\n",
        "In her notes on the [Analytical Engine](term:analytical-engine), [Ada Lovelace](person:ada-lovelace) \
described how the machine could compute Bernoulli numbers, [in the first published program](claim:first-program). \
The notes appeared as part of her translation, the [*Sketch of the Analytical Engine*](source:sketch-of-the-analytical-engine \"Note G\").\n\n\
A second paragraph mentions [Lovelace](person:ada-lovelace) again.\n",
        "A longer note about the person may follow the front matter.\n",
        "",
        "",
        "",
        "This edition was started with `glossator new`. Edit the files under `content/` and run `glossator build`.\n",
    ];
    let mut out: Vec<(String, String)> = files
        .iter()
        .zip(bodies)
        .map(|((path, kind, yaml), body)| {
            let depth = path.matches('/').count();
            let modeline = format!(
                "# yaml-language-server: $schema={}{SCHEMA_DIR}/{}\n",
                "../".repeat(depth),
                kind.file_name()
            );
            (
                path.to_string(),
                format!("---\n{modeline}{yaml}---\n{body}"),
            )
        })
        .collect();
    out.push((
        crate::config::FILE.into(),
        format!(
            "#:schema ./{SCHEMA_DIR}/{}\n{}",
            schema::CONFIG_FILE,
            crate::config::commented_default()
        ),
    ));
    out.push((".gitignore".into(), "/site/\n".into()));
    out
}

/// Writes a new edition into `dir`, which must not exist or be empty.
pub fn new_edition(dir: &Path) -> Result<String, Diagnostic> {
    ensure_empty(dir)?;
    for (rel, text) in new_edition_files() {
        write_new(&dir.join(&rel), text.as_bytes())?;
    }
    write_schemas(&dir.join(SCHEMA_DIR))?;
    Ok(format!(
        "created a new edition in {}; build it with `glossator build {}`",
        dir.display(),
        dir.display()
    ))
}

/// Copies the embedded default theme into `root/themes/NAME/`.
pub fn eject_theme(root: &Path, name: &str) -> Result<String, Diagnostic> {
    if name.is_empty()
        || name == "default"
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Diagnostic::error(format!("`{name}` cannot be a theme name"))
            .with_help("use letters, digits, `-` and `_`; `default` is the built-in theme's name, which a folder would shadow"));
    }
    let dir = root.join("themes").join(name);
    ensure_empty(&dir)?;
    let files = theme::default_theme_files();
    for (rel, bytes) in &files {
        write_new(&dir.join(rel), bytes)?;
    }
    Ok(format!(
        "copied the default theme ({} files) into {}; build with `--theme {name}`",
        files.len(),
        dir.display()
    ))
}

/// Writes every front-matter schema, the config schema and the annotations
/// schema into `dir`.
pub fn write_schemas(dir: &Path) -> Result<String, Diagnostic> {
    fs::create_dir_all(dir).map_err(|e| io_error(dir, "create", &e))?;
    let mut written: Vec<(PathBuf, String)> = FileKind::ALL
        .iter()
        .map(|&k| {
            (
                dir.join(k.file_name()),
                schema::to_text(&schema::front_matter(k)),
            )
        })
        .collect();
    written.push((
        dir.join(schema::CONFIG_FILE),
        schema::to_text(&schema::config()),
    ));
    written.push((
        dir.join("annotations.schema.json"),
        schema::to_text(&schema::annotations()),
    ));
    for (path, text) in &written {
        fs::write(path, text).map_err(|e| io_error(path, "write", &e))?;
    }
    Ok(format!(
        "wrote {} schemas into {}",
        written.len(),
        dir.display()
    ))
}

fn ensure_empty(dir: &Path) -> Result<(), Diagnostic> {
    let has_entries = fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    match () {
        _ if has_entries => Err(Diagnostic::error(format!(
            "{} already exists and is not empty",
            dir.display()
        ))
        .with_help("choose a new folder; nothing was written")
        .in_file(dir)),
        _ if dir.is_file() => Err(Diagnostic::error(format!(
            "{} is a file, not a folder",
            dir.display()
        ))
        .in_file(dir)),
        _ => Ok(()),
    }
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| io_error(parent, "create", &e))?;
    }
    fs::write(path, bytes).map_err(|e| io_error(path, "write", &e))
}

fn io_error(path: &Path, what: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {what} {}: {e}", path.display())).in_file(path)
}
