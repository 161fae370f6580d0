//! Load stage: finds the edition's source files under `content/` and reads them.
//!
//! This is one of the three modules that touch the disk (with `write` and
//! `serve`). It classifies each file by where it sits, reads it as UTF-8 and
//! reports what it cannot read — never skipping a file silently.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, SourceText};
use crate::kinds::EntityKind;

pub use crate::kinds::FileKind;

#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    pub kind: FileKind,
    pub source: Arc<SourceText>,
}

/// Files larger than this are refused: an edition's part is text, not data.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A file's size and modification time: when both are as before, the file
/// is taken as unchanged and not read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified: Option<std::time::SystemTime>,
}

/// The files read by the last load, by path, for rebuilds that reread only
/// what changed.
pub type LoadCache = HashMap<PathBuf, CachedFile>;

#[derive(Debug, Clone)]
pub struct CachedFile {
    stamp: Stamp,
    source: Arc<SourceText>,
    read_at: std::time::SystemTime,
}

/// File times come from a coarse clock: a file written just before or after
/// it was read may show the same stamp twice with different text. Such files
/// are read again until their stamp is older than this.
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

impl CachedFile {
    fn reusable(&self, stamp: Option<Stamp>) -> Option<Arc<SourceText>> {
        let settled = settled(&self.stamp, self.read_at);
        (stamp == Some(self.stamp) && settled).then(|| Arc::clone(&self.source))
    }
}

/// Whether a file with `stamp`, read at `read_at`, is old enough for its
/// stamp to say when its text changes (`RACY`).
pub fn settled(stamp: &Stamp, read_at: std::time::SystemTime) -> bool {
    stamp.modified.is_some_and(|m| m + RACY < read_at)
}

/// Size and time of every file under `dir` (none if it does not exist).
pub fn stamps(dir: &Path) -> Vec<(String, Stamp)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            let stamp = Stamp {
                len: m.len(),
                modified: m.modified().ok(),
            };
            Some((e.path().to_string_lossy().into_owned(), stamp))
        })
        .collect()
}

/// Reads every content file, sorted by path, with diagnostics for the ones that
/// could not be read.
pub fn load_content(root: &Path) -> (Vec<LoadedFile>, Vec<Diagnostic>) {
    load_content_cached(root, &mut LoadCache::new())
}

/// [`load_content`], reusing the text of files whose [`Stamp`] is the one in
/// `cache`; the cache is then replaced by the files found this time.
pub fn load_content_cached(
    root: &Path,
    cache: &mut LoadCache,
) -> (Vec<LoadedFile>, Vec<Diagnostic>) {
    let content = root.join("content");
    let mut diags = Vec::new();
    if !content.is_dir() {
        diags.push(no_content_folder(&content));
        return (Vec::new(), diags);
    }
    let found = find_content(root, &content, &mut diags);
    let read = read_files(root, found, cache);
    let mut files = Vec::with_capacity(read.len());
    cache.clear();
    for r in read {
        match r {
            Ok((f, path, entry)) => {
                if let Some(entry) = entry {
                    cache.insert(path, entry);
                }
                files.push(f);
            }
            Err(d) => diags.push(d),
        }
    }
    (files, diags)
}

fn no_content_folder(content: &Path) -> Diagnostic {
    Diagnostic::error(format!("no content folder at {}", content.display()))
        .with_help(
            "an edition folder holds `content/_index.md` and its parts; `--root` names that folder",
        )
        .with_code(Code::NoContentFolder)
        .in_file(content)
}

/// The content files under `content`, in walk order (sorted), with their
/// kinds; what cannot be walked, is not a regular file or is in a folder
/// glossator does not read goes to `diags`.
fn find_content(
    root: &Path,
    content: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, FileKind, PathBuf)> {
    let mut found: Vec<(String, FileKind, PathBuf)> = Vec::new();
    let walker = walkdir::WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name();
    let mut entries = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_dir() => {}
            Ok(entry) => entries.push((relative(content, entry.path()), entry)),
            Err(err) => diags.push(walk_error(root, &err)),
        }
    }
    let sections = section_folders(entries.iter().map(|(rel, _)| rel.as_str()));
    for (rel, entry) in entries {
        match classify(&rel, &sections) {
            Classified::Content(_) if !entry.file_type().is_file() => diags.push(
                Diagnostic::error(format!(
                    "cannot read {}: it is not a regular file (a pipe, socket or device)",
                    display(root, entry.path()).display()
                ))
                .with_code(Code::NotAFile)
                .in_file(&display(root, entry.path())),
            ),
            Classified::Content(kind) => found.push((rel, kind, entry.into_path())),
            Classified::Ignored => {}
            Classified::Misplaced(why) => diags.push(
                Diagnostic::warning(format!("content/{rel}: {why}"))
                    .with_code(Code::UnreadFolder)
                    .in_file(&display(root, entry.path())),
            ),
        }
    }
    found
}

type Read = (LoadedFile, PathBuf, Option<CachedFile>);

/// Reads the files found, in parallel, reusing the cached text of a file
/// whose size and time are as they were; each with its new cache entry.
fn read_files(
    root: &Path,
    found: Vec<(String, FileKind, PathBuf)>,
    cache: &LoadCache,
) -> Vec<Result<Read, Diagnostic>> {
    found
        .into_par_iter()
        .map(|(rel, kind, path)| {
            let stamp = std::fs::metadata(&path).ok().map(|m| Stamp {
                len: m.len(),
                modified: m.modified().ok(),
            });
            let read_at = std::time::SystemTime::now();
            let cached = cache.get(&path).and_then(|c| c.reusable(stamp));
            let source = match cached {
                Some(source) => source,
                None => read_source(root, &path)?,
            };
            let entry = stamp.map(|stamp| CachedFile {
                stamp,
                source: Arc::clone(&source),
                read_at,
            });
            Ok((LoadedFile { rel, kind, source }, path, entry))
        })
        .collect()
}

/// The kind of the content file at `rel` (relative to `content/`), or
/// `None` for a file glossator does not read as content. Without the list
/// of the other files, every folder but the entity folders and `pages/` is
/// taken to be a section.
pub fn file_kind_of(rel: &str) -> Option<FileKind> {
    let folders = rel.rsplit_once('/').map(|(dir, _)| {
        let mut all = vec![dir.to_string()];
        all.extend(dir.match_indices('/').map(|(i, _)| dir[..i].to_string()));
        all
    });
    let sections: HashSet<String> = (folders.into_iter().flatten())
        .filter(|d| !is_reserved_folder(d))
        .collect();
    match classify(rel, &sections) {
        Classified::Content(kind) => Some(kind),
        Classified::Ignored | Classified::Misplaced(_) => None,
    }
}

/// Sections may nest this deep (a section in a section in a section).
pub const MAX_SECTION_DEPTH: usize = 3;

/// The name of a section's own file inside its folder.
pub const SECTION_FILE: &str = "_index.md";

/// A folder at the top of `content/` that is never a section: the entity
/// folders and `pages/`.
fn is_reserved_folder(dir: &str) -> bool {
    let top = dir.split('/').next().unwrap_or(dir);
    top == "pages" || EntityKind::from_folder(top).is_some()
}

/// The folders (relative to `content/`) that are sections: each holds an
/// `_index.md`, is not an entity folder or `pages/`, is at most
/// [`MAX_SECTION_DEPTH`] deep and lies in a section itself.
fn section_folders<'a>(rels: impl Iterator<Item = &'a str>) -> HashSet<String> {
    let mut candidates: Vec<&str> = rels
        .filter_map(|rel| rel.strip_suffix(SECTION_FILE)?.strip_suffix('/'))
        .filter(|dir| !is_reserved_folder(dir))
        .filter(|dir| dir.split('/').count() <= MAX_SECTION_DEPTH)
        .filter(|dir| !dir.split('/').any(|seg| seg.starts_with('.')))
        .collect();
    candidates.sort_by_key(|dir| dir.matches('/').count());
    let mut sections = HashSet::new();
    for dir in candidates {
        let parent_ok = match dir.rsplit_once('/') {
            Some((parent, _)) => sections.contains(parent),
            None => true,
        };
        if parent_ok {
            sections.insert(dir.to_string());
        }
    }
    sections
}

enum Classified {
    Content(FileKind),
    Ignored,
    Misplaced(String),
}

/// Whether `rel` (from `content/`) is a bibliography that defines sources:
/// `sources/*.bib` (BibTeX, BibLaTeX) or `sources/*.json` (CSL-JSON). It is
/// read as content, like the Markdown sources, and not copied.
pub fn is_bibliography(rel: &str) -> bool {
    match rel.split('/').collect::<Vec<_>>().as_slice() {
        [folder, name] if *folder == EntityKind::Source.folder() => {
            !name.starts_with('.') && (name.ends_with(".bib") || name.ends_with(".json"))
        }
        _ => false,
    }
}

fn classify(rel: &str, sections: &HashSet<String>) -> Classified {
    if is_bibliography(rel) {
        return Classified::Content(FileKind::Entity(EntityKind::Source));
    }
    if !rel.ends_with(".md") {
        return Classified::Ignored;
    }
    let (dir, name) = match rel.rsplit_once('/') {
        Some((dir, name)) => (Some(dir), name),
        None => (None, rel),
    };
    let in_section = dir.is_some_and(|d| sections.contains(d));
    if name.starts_with('.') && (dir.is_none() || in_section) {
        return Classified::Ignored;
    }
    let parts: Vec<&str> = rel.split('/').collect();
    match (dir, parts.as_slice()) {
        (None, ["_index.md"]) => Classified::Content(FileKind::Index),
        (None, _) => Classified::Content(FileKind::Part),
        (Some(_), _) if in_section => Classified::Content(if name == SECTION_FILE {
            FileKind::Section
        } else {
            FileKind::Part
        }),
        (_, ["pages", _]) => Classified::Content(FileKind::Page),
        (_, [folder, _]) => match EntityKind::from_folder(folder) {
            Some(kind) => Classified::Content(FileKind::Entity(kind)),
            None => {
                let folders: Vec<String> = (EntityKind::ALL.iter())
                    .map(|k| format!("{}/", k.folder()))
                    .collect();
                Classified::Misplaced(format!(
                    "a Markdown file in a folder glossator does not read (expected {}, pages/, or a section: a folder with an `_index.md`)",
                    folders.join(", ")
                ))
            }
        },
        _ => Classified::Misplaced(format!(
            "a Markdown file nested too deep: entity folders and pages/ are one level deep, sections at most {MAX_SECTION_DEPTH}, each with an `_index.md`"
        )),
    }
}

/// Reads one file as UTF-8, reporting the line of the first bad byte otherwise.
pub fn read_source(root: &Path, path: &Path) -> Result<Arc<SourceText>, Diagnostic> {
    let shown = display(root, path);
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostic::error(format!("cannot read {}: {e}", shown.display()))
            .with_code(Code::UnreadableFile)
            .in_file(&shown)
    })?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(format!(
            "{} is {} bytes, over the {} byte limit for a content file",
            shown.display(),
            meta.len(),
            MAX_FILE_BYTES
        ))
        .with_code(Code::FileTooLarge)
        .in_file(&shown));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(format!("cannot read {}: {e}", shown.display()))
            .with_code(Code::UnreadableFile)
            .in_file(&shown)
    })?;
    decode(&shown, bytes)
}

fn decode(shown: &Path, bytes: Vec<u8>) -> Result<Arc<SourceText>, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(format!(
            "{} is not UTF-8 at line 1: it looks like UTF-16 (it starts with a UTF-16 byte-order mark)",
            shown.display()
        ))
        .with_help("save the file as UTF-8")
        .with_code(Code::NotUtf8)
        .in_file(&PathBuf::from(format!("{}:1:1", shown.display()))));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText::new(shown.display().to_string(), text)),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bad = err.as_bytes()[valid];
            // The valid prefix, with the rest decoded lossily, is shown with
            // a marker at the first bad byte; the column counts characters.
            let lossy = SourceText::new(
                shown.display().to_string(),
                String::from_utf8_lossy(err.as_bytes()).into_owned(),
            );
            let (line, col) = lossy.line_col(valid);
            Err(Diagnostic::error(format!(
                "{} is not UTF-8 at line {line}, column {col} (byte 0x{bad:02X})",
                shown.display(),
            ))
            .at(&lossy, valid..valid + 1, "not UTF-8")
            .with_help("save the file as UTF-8 (it may be Latin-1 or Windows-1252)")
            .with_code(Code::NotUtf8))
        }
    }
}

fn walk_error(root: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err.path().map(|p| display(root, p)).unwrap_or_default();
    let (code, message) = if let Some(ancestor) = err.loop_ancestor() {
        let message = format!(
            "symbolic link loop: {} points back to {}",
            path.display(),
            display(root, ancestor).display()
        );
        (Code::SymlinkLoop, message)
    } else if err
        .path()
        .is_some_and(|p| p.symlink_metadata().is_ok() && !p.exists())
    {
        let message = format!(
            "dangling symbolic link: {} points to nothing",
            path.display()
        );
        (Code::DanglingSymlink, message)
    } else {
        let message = format!("cannot read {}: {}", path.display(), err);
        (Code::UnreadableFile, message)
    };
    Diagnostic::error(message).with_code(code).in_file(&path)
}

fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The path shown in messages: relative to the edition root when inside it.
pub fn display(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_place() {
        let none = HashSet::new();
        let classify = |rel: &str| super::classify(rel, &none);
        assert!(matches!(
            classify("_index.md"),
            Classified::Content(FileKind::Index)
        ));
        assert!(matches!(
            classify("01-a.md"),
            Classified::Content(FileKind::Part)
        ));
        assert!(matches!(
            classify("people/x.md"),
            Classified::Content(FileKind::Entity(EntityKind::Person))
        ));
        assert!(matches!(
            classify("pages/about.md"),
            Classified::Content(FileKind::Page)
        ));
        assert!(matches!(classify("img/a.png"), Classified::Ignored));
        assert!(matches!(classify("misc/a.md"), Classified::Misplaced(_)));
    }

    #[test]
    fn bibliographies_in_the_sources_folder_are_content() {
        assert!(is_bibliography("sources/zotero.json"));
        assert!(is_bibliography("sources/refs.bib"));
        assert!(!is_bibliography("sources/.hidden.bib"));
        assert!(!is_bibliography("data/refs.bib"));
        assert!(!is_bibliography("sources/sub/refs.bib"));
        assert!(!is_bibliography("sources/memoir.md"));
        assert!(matches!(
            classify("sources/refs.bib", &HashSet::new()),
            Classified::Content(FileKind::Entity(EntityKind::Source))
        ));
    }

    #[test]
    fn a_folder_with_an_index_is_a_section_and_holds_parts_and_sections() {
        let rels = [
            "a/_index.md",
            "a/01-x.md",
            "a/b/_index.md",
            "a/b/c/_index.md",
            "a/b/c/d/_index.md",
            "people/_index.md",
            "loose/x/_index.md",
        ];
        let sections = section_folders(rels.into_iter());
        let mut found: Vec<&str> = sections.iter().map(String::as_str).collect();
        found.sort_unstable();
        assert_eq!(found, ["a", "a/b", "a/b/c"]);
        let kind = |rel: &str| match classify(rel, &sections) {
            Classified::Content(k) => Some(k),
            _ => None,
        };
        assert_eq!(kind("a/_index.md"), Some(FileKind::Section));
        assert_eq!(kind("a/01-x.md"), Some(FileKind::Part));
        assert_eq!(kind("a/b/c/02-y.md"), Some(FileKind::Part));
        assert_eq!(kind("a/b/c/d/_index.md"), None);
        assert_eq!(kind("loose/x/_index.md"), None);
        assert_eq!(
            kind("people/_index.md"),
            Some(FileKind::Entity(EntityKind::Person))
        );
        assert_eq!(file_kind_of("a/b/01-x.md"), Some(FileKind::Part));
        assert_eq!(
            file_kind_of("people/x.md"),
            Some(FileKind::Entity(EntityKind::Person))
        );
    }

    #[test]
    fn reports_the_line_of_the_first_non_utf8_byte() {
        let err = decode(Path::new("content/a.md"), b"ok\nfine\ncaf\xe9\n".to_vec()).unwrap_err();
        assert!(
            err.message.contains("not UTF-8 at line 3, column 4"),
            "{}",
            err.message
        );
        let utf16 = decode(Path::new("content/b.md"), vec![0xFF, 0xFE, b'a', 0]).unwrap_err();
        assert!(utf16.message.contains("UTF-16"));
    }
}
