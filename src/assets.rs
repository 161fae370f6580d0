//! Load and write stages for the files that are not Markdown: every other
//! file under `content/` (images, PDFs, audio, data) goes to the same
//! relative path in the site, and the edition's `static/` folder goes to the
//! site root as it is (`CNAME`, `favicon.ico`, `_redirects`, `.nojekyll`).
//!
//! Files are found here, checked (nothing may leave its folder through a
//! symbolic link, nothing may take the place of a file glossator generates)
//! and handed to [`write::Staging::put_copy`], which streams each one or
//! links the previous output's copy when it is unchanged.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::codes::Code;
use crate::diagnostics::{Diagnostic, SourceText};
use crate::load::{self, Stamp};
use crate::render::OutFile;
use crate::write;

/// The edition folder whose files are copied to the site root.
pub const STATIC_DIR: &str = "static";

/// Where a copied file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `content/`: beside the text that uses it.
    Content,
    /// `static/`: to the site root.
    Static,
}

impl Origin {
    pub fn folder(self) -> &'static str {
        match self {
            Origin::Content => "content",
            Origin::Static => STATIC_DIR,
        }
    }
}

/// One file to copy into the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Its path inside the site folder, with `/` separators; also its path
    /// inside its origin folder.
    pub rel: String,
    pub origin: Origin,
    /// Where it is on disk.
    pub path: PathBuf,
}

impl Asset {
    /// The path shown in messages, relative to the edition folder.
    pub fn shown(&self) -> String {
        format!("{}/{}", self.origin.folder(), self.rel)
    }
}

/// Every file to copy, sorted by site path, and what is wrong with the rest.
pub fn find(root: &Path) -> (Vec<Asset>, Vec<Diagnostic>) {
    let mut assets = Vec::new();
    let mut diags = Vec::new();
    for origin in [Origin::Content, Origin::Static] {
        let dir = root.join(origin.folder());
        if dir.is_dir() {
            walk(&dir, origin, &mut assets, &mut diags);
        }
    }
    assets.sort_by(|a, b| (&a.rel, a.origin.folder()).cmp(&(&b.rel, b.origin.folder())));
    diags.extend(duplicates(&assets));
    (assets, diags)
}

fn walk(dir: &Path, origin: Origin, assets: &mut Vec<Asset>, diags: &mut Vec<Diagnostic>) {
    let Ok(base) = dir.canonicalize() else {
        return;
    };
    // Hidden folders of `content/` (`.git/`, an editor's) are not the
    // edition's; in `static/` they may be (`.well-known/`).
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            origin == Origin::Static || !(hidden && e.file_type().is_dir())
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            // `load` reports what it cannot walk under `content/`.
            Err(_) if origin == Origin::Content => continue,
            Err(e) => {
                let shown = shown_path(origin, dir, e.path().unwrap_or(dir));
                diags.push(
                    Diagnostic::error(format!("cannot read {shown}: {e}"))
                        .with_code(Code::UnreadableFile)
                        .in_file(Path::new(&shown)),
                );
                continue;
            }
        };
        if entry.file_type().is_dir() || !is_copied(origin, entry.path()) {
            continue;
        }
        let bibliography = entry
            .path()
            .strip_prefix(dir)
            .ok()
            .and_then(|r| r.to_str())
            .is_some_and(|r| load::is_bibliography(&r.replace('\\', "/")));
        if origin == Origin::Content && bibliography {
            continue;
        }
        let shown = shown_path(origin, dir, entry.path());
        match check(dir, &base, &entry, &shown) {
            Ok(rel) => assets.push(Asset {
                rel,
                origin,
                path: entry.into_path(),
            }),
            Err(d) => diags.push(d),
        }
    }
}

/// Markdown under `content/` is the text, read by `load`, and so are the
/// bibliographies of `content/sources/` (`load::is_bibliography`), which are
/// not copied either; hidden files (an editor's or the system's:
/// `.DS_Store`, `.foo.swp`) are left out. Everything in `static/` is copied,
/// hidden files too (`.nojekyll`).
fn is_copied(origin: Origin, path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    match origin {
        Origin::Content => !name.starts_with('.') && !name.ends_with(".md"),
        Origin::Static => true,
    }
}

/// The file's site path, if it is a regular file whose real place is inside
/// its folder (`base`, canonical) and whose name can be written as it is.
fn check(
    dir: &Path,
    base: &Path,
    entry: &walkdir::DirEntry,
    shown: &str,
) -> Result<String, Diagnostic> {
    let refuse = |why: &str, help: &str| {
        Err(Diagnostic::error(format!("cannot copy {shown}: {why}"))
            .with_code(Code::CopyRefused)
            .with_help(help.to_string())
            .in_file(Path::new(shown)))
    };
    let real = entry.path().canonicalize();
    if !real.as_ref().is_ok_and(|r| r.starts_with(base)) {
        let folder = shown.split('/').next().unwrap_or("");
        return refuse(
            &format!("it is a symbolic link to a file outside `{folder}/`"),
            "copy the file into the edition instead of linking to it, so the site holds only what the edition holds",
        );
    }
    if !entry.file_type().is_file() {
        return refuse(
            "it is not a regular file (a pipe, socket or device)",
            "remove it from the edition",
        );
    }
    let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
    let mut parts = Vec::new();
    for c in rel.components() {
        match c.as_os_str().to_str() {
            Some(s) => parts.push(s),
            None => return refuse("its name is not valid UTF-8", "rename it with a UTF-8 name"),
        }
    }
    Ok(parts.join("/"))
}

fn shown_path(origin: Origin, dir: &Path, path: &Path) -> String {
    let rel = path
        .strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    format!("{}/{rel}", origin.folder())
}

/// A file in `static/` and one in `content/` at the same site path.
fn duplicates(assets: &[Asset]) -> Vec<Diagnostic> {
    assets
        .windows(2)
        .filter(|w| w[0].rel == w[1].rel)
        .map(|w| collision(&w[1], &w[0].shown()))
        .collect()
}

fn collision(asset: &Asset, other: &str) -> Diagnostic {
    // About the whole file, so located at its start, as every diagnostic
    // about a whole file is; the file itself is never read (it may be binary).
    let file = SourceText::new(asset.shown(), String::new());
    Diagnostic::error(format!(
        "{} collides with {other}: both would be written to {} in the site",
        asset.shown(),
        asset.rel
    ))
    .at(&file, 0..0, format!("copied to {}", asset.rel))
    .with_help("rename or move one of them; the site has one file at each path")
    .with_code(Code::CopyCollision)
}

/// Files to copy that would take the place of a file glossator generates:
/// `generated` lists each generated file's site path.
pub fn collisions<'a>(
    assets: &[Asset],
    generated: impl IntoIterator<Item = &'a str>,
) -> Vec<Diagnostic> {
    let by_path: HashMap<&str, &Asset> = assets.iter().map(|a| (a.rel.as_str(), a)).collect();
    let mut found: Vec<Diagnostic> = generated
        .into_iter()
        .filter_map(|path| by_path.get(path).map(|a| (path, a)))
        .map(|(path, a)| collision(a, &format!("the generated file {path}")))
        .collect();
    found.sort_by(|a, b| a.message.cmp(&b.message));
    found
}

/// Copies every asset into the site being written, in parallel. Returns how
/// many were copied.
pub fn copy_all(assets: &[Asset], staging: &write::Staging) -> Result<usize, Diagnostic> {
    assets
        .par_iter()
        .try_for_each(|a| staging.put_copy(&a.rel, &a.path))?;
    Ok(assets.len())
}

/// The copied files of a site folder kept up to date in place (by `serve`),
/// by site path: where each came from and its stamp then.
#[derive(Debug, Default)]
pub struct Copied(HashMap<String, (PathBuf, Option<Stamp>)>);

/// Brings the copied files of `out` up to date in place: copies those that
/// are new or whose source changed since `copied`, removes those that are
/// gone. Returns how many files it wrote or removed.
pub fn update(out: &Path, assets: &[Asset], copied: &mut Copied) -> Result<usize, Diagnostic> {
    let mut fresh = HashMap::with_capacity(assets.len());
    let mut changed = 0;
    for a in assets {
        let stamp = stamp(&a.path);
        let same = copied.0.get(&a.rel) == Some(&(a.path.clone(), stamp)) && stamp.is_some();
        if !same {
            write::copy_in_place(out, &a.rel, &a.path)?;
            changed += 1;
        }
        fresh.insert(a.rel.clone(), (a.path.clone(), stamp));
    }
    let removed: Vec<String> = (copied.0.keys())
        .filter(|p| !fresh.contains_key(*p))
        .cloned()
        .collect();
    write::update_site(out, &[] as &[OutFile], &removed)?;
    copied.0 = fresh;
    Ok(changed + removed.len())
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
    })
}
