//! Write stage: puts the rendered files on disk, all or nothing.
//!
//! The site is written into a temporary sibling folder and swapped in only
//! when every file is written, so a failed build leaves the previous output
//! exactly as it was. Files whose bytes did not change are hard-linked from the
//! previous output, keeping their modification times. glossator marks the
//! folders it creates and refuses to write anywhere else.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::render::OutFile;

/// The file that marks a folder as glossator's output.
pub const MARKER: &str = crate::site_paths::MARKER;

const TMP_TAG: &str = ".glossator-tmp-";
const OLD_TAG: &str = ".glossator-old-";

/// For tests of failure halfway: fail on the Nth file written.
const FAIL_ENV: &str = "GLOSSATOR_TEST_FAIL_WRITE_AT";

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
}

/// What the output folder holds for one file, as last written: what lets a
/// rebuild render and write only what changed.
#[derive(Debug, Clone)]
pub struct OutputRecord {
    /// What the file was made from ([`crate::render::deps`]).
    pub fingerprint: u64,
    /// The hash of its bytes.
    pub content_hash: u64,
    /// What rendering it reported, reported again while it is not rendered
    /// anew.
    pub diagnostics: Vec<Diagnostic>,
}

impl OutputRecord {
    /// A file that is not a page (a theme file, an export): remade whole,
    /// so its content hash is its fingerprint, and it reports nothing.
    pub fn file(content_hash: u64) -> Self {
        OutputRecord {
            fingerprint: content_hash,
            content_hash,
            diagnostics: Vec::new(),
        }
    }
}

/// The output folder as last written, by site path; empty before the first
/// write.
#[derive(Debug, Default)]
pub struct OutputRecords(HashMap<String, OutputRecord>);

impl OutputRecords {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, path: &str) -> Option<&OutputRecord> {
        self.0.get(path)
    }

    /// Whether `path` holds other bytes than those hashed `content_hash`.
    fn differs(&self, path: &str, content_hash: u64) -> bool {
        self.0
            .get(path)
            .is_none_or(|w| w.content_hash != content_hash)
    }

    /// Writes the site into `out`: the whole folder the first time, else
    /// only the `files` whose bytes changed, removing the files `records`
    /// no longer has; the records are then `records`. Returns how many
    /// files changed on disk.
    pub fn write(
        &mut self,
        out: &Path,
        files: Vec<OutFile>,
        records: Vec<(String, OutputRecord)>,
        content_hash: impl Fn(&OutFile) -> u64,
    ) -> Result<usize, Diagnostic> {
        let count = if self.0.is_empty() {
            write_site(out, &files)?.written
        } else {
            let changed: Vec<OutFile> = files
                .into_iter()
                .filter(|f| self.differs(&f.path, content_hash(f)))
                .collect();
            let keep: HashSet<&str> = records.iter().map(|(p, _)| p.as_str()).collect();
            let removed: Vec<String> = (self.0.keys())
                .filter(|p| !keep.contains(p.as_str()))
                .cloned()
                .collect();
            update_site(out, &changed, &removed)?;
            changed.len() + removed.len()
        };
        self.0 = records.into_iter().collect();
        Ok(count)
    }

    /// Writes the files of `fresh` (each with its content hash) whose bytes
    /// changed and removes `removed`, in place, keeping the other records.
    /// Returns how many files changed on disk.
    pub fn replace_files(
        &mut self,
        out: &Path,
        fresh: &[(OutFile, u64)],
        removed: &[String],
    ) -> Result<usize, Diagnostic> {
        let changed: Vec<&OutFile> = (fresh.iter())
            .filter(|(f, h)| self.differs(&f.path, *h))
            .map(|(f, _)| f)
            .collect();
        update_site(out, &changed, removed)?;
        for p in removed {
            self.0.remove(p);
        }
        for (f, h) in fresh {
            self.0.insert(f.path.clone(), OutputRecord::file(*h));
        }
        Ok(changed.len() + removed.len())
    }
}

/// Refuses an output folder that is the edition itself, its content or
/// themes, one of their parents, or a non-empty folder glossator did not make.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root_abs = absolute(root);
    let out_abs = absolute(out);
    let refuse = |why: String| {
        Err(Diagnostic::error(format!("refusing to write the site to {}: {why}", out.display()))
            .with_help("choose a new folder, or one glossator created before (it holds a `.glossator-output` file)")
            .with_code(Code::OutDirRefused)
            .in_file(out))
    };
    if out_abs == root_abs {
        return refuse("it is the edition folder itself".into());
    }
    if root_abs.starts_with(&out_abs) {
        return refuse("it contains the edition folder".into());
    }
    for protected in ["content", "themes"] {
        if out_abs.starts_with(root_abs.join(protected)) {
            return refuse(format!("it is inside the edition's `{protected}/` folder"));
        }
    }
    if out_abs.parent().is_none() {
        return refuse("it is the root of the file system".into());
    }
    match fs::symlink_metadata(&out_abs) {
        Ok(meta) if meta.file_type().is_symlink() => refuse("it is a symbolic link".into()),
        Ok(meta) if !meta.is_dir() => refuse("it is a file, not a folder".into()),
        Ok(_) => {
            let has_marker = out_abs.join(MARKER).is_file();
            let empty = fs::read_dir(&out_abs)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if has_marker || empty {
                Ok(())
            } else {
                refuse("it is a non-empty folder that glossator did not create".into())
            }
        }
        Err(_) => Ok(()),
    }
}

/// Writes `files` as the new content of `out`.
pub fn write_site(out: &Path, files: &[OutFile]) -> Result<WriteStats, Diagnostic> {
    let staging = Staging::begin(out)?;
    files.par_iter().try_for_each(|f| staging.put(f))?;
    staging.commit()
}

/// Brings an output folder written by [`write_site`] up to date in place:
/// writes `changed` (each file beside its target, then renamed over it, so a
/// reader never sees half a file) and removes `removed` with the folders it
/// leaves empty. For the development server, whose output folder is its own;
/// the caller writes only after a build succeeded.
pub fn update_site<F: Borrow<OutFile> + Sync>(
    out: &Path,
    changed: &[F],
    removed: &[String],
) -> Result<(), Diagnostic> {
    for f in changed {
        check_inside(&f.borrow().path)?;
    }
    changed.par_iter().try_for_each(|f| {
        let f: &OutFile = f.borrow();
        let target = out.join(&f.path);
        let dir = target.parent().unwrap_or(out);
        fs::create_dir_all(dir).map_err(|e| io_error(dir, "create", &e))?;
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let tmp = dir.join(format!(".{name}{TMP_TAG}{}", std::process::id()));
        fs::write(&tmp, &f.bytes).map_err(|e| io_error(&tmp, "write", &e))?;
        fs::rename(&tmp, &target).map_err(|e| {
            let _ = fs::remove_file(&tmp);
            io_error(&target, "replace", &e)
        })
    })?;
    for path in removed {
        check_inside(path)?;
        let target = out.join(path);
        match fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&target, "remove", &e)),
        }
        // Folders a full build would not create: remove them once empty.
        let mut dir = target.parent();
        while let Some(d) = dir.filter(|d| *d != out && d.starts_with(out)) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

/// Copies the file at `from` into an output folder in place, as
/// [`update_site`] writes: beside its target, then renamed over it.
pub fn copy_in_place(out: &Path, path: &str, from: &Path) -> Result<(), Diagnostic> {
    check_inside(path)?;
    let target = out.join(path);
    let dir = target.parent().unwrap_or(out);
    fs::create_dir_all(dir).map_err(|e| io_error(dir, "create", &e))?;
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}{TMP_TAG}{}", std::process::id()));
    fs::copy(from, &tmp).map_err(|e| io_error(&tmp, "copy a file to", &e))?;
    fs::rename(&tmp, &target).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_error(&target, "replace", &e)
    })
}

/// A site being written: files go into a temporary sibling folder, from any
/// number of threads, and replace the previous output only on
/// [`commit`](Staging::commit). Dropped without a commit, it removes the
/// temporary folder and the previous output stays as it was.
///
/// This lets the build write each page as soon as it is rendered, so the
/// whole site never has to be held in memory.
pub struct Staging {
    tmp: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    fail_at: Option<usize>,
    counter: AtomicUsize,
    unchanged: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Clears what a killed build left, creates the temporary folder and marks it.
    pub fn begin(out: &Path) -> Result<Staging, Diagnostic> {
        let out = absolute(out);
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        fs::create_dir_all(&parent).map_err(|e| io_error(&parent, "create", &e))?;
        clean_leftovers(&parent, &name);
        let tmp = parent.join(format!(".{name}{TMP_TAG}{}", std::process::id()));
        let staging = Staging {
            tmp,
            out,
            parent,
            name,
            fail_at: std::env::var(FAIL_ENV).ok().and_then(|v| v.parse().ok()),
            counter: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            committed: false,
        };
        fs::create_dir_all(&staging.tmp).map_err(|e| io_error(&staging.tmp, "create", &e))?;
        let marker = OutFile {
            path: MARKER.into(),
            bytes: b"This folder was written by glossator; it replaces it whole on every build.\n"
                .to_vec(),
        };
        write_or_link(&staging.tmp, &staging.out, &marker)?;
        Ok(staging)
    }

    /// Writes one file (or hard-links the previous one when its bytes are
    /// unchanged), creating its folders. Safe to call from many threads.
    pub fn put(&self, f: &OutFile) -> Result<(), Diagnostic> {
        self.prepare(&f.path)?;
        if write_or_link(&self.tmp, &self.out, f)? {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Like [`put`](Staging::put) for a file too large to hold in memory:
    /// `write` streams its bytes to disk; if they turn out the same as the
    /// previous output's, that file is linked in its place.
    pub fn put_stream(
        &self,
        path: &str,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Diagnostic> {
        let target = self.prepare(path)?;
        let written = fs::File::create(&target).and_then(|file| {
            let mut w = io::BufWriter::with_capacity(1 << 20, file);
            write(&mut w)?;
            w.flush()
        });
        written.map_err(|e| io_error(&target, "write", &e))?;
        let old = self.out.join(path);
        if same_files(&old, &target) {
            let relinked = fs::remove_file(&target).and_then(|()| fs::hard_link(&old, &target));
            relinked.map_err(|e| io_error(&target, "link", &e))?;
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Copies the file at `from` to `path`, streamed by the kernel, never
    /// read whole into memory; if the previous output's file there holds the
    /// same bytes, that one is linked instead, keeping its modification time.
    pub fn put_copy(&self, path: &str, from: &Path) -> Result<(), Diagnostic> {
        let target = self.prepare(path)?;
        let old = self.out.join(path);
        if same_files(&old, from) && fs::hard_link(&old, &target).is_ok() {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        // Into a new file renamed over the target, never through it: a file
        // already there may be a link to the previous output's.
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let fresh = target.with_file_name(format!(".{name}{TMP_TAG}{}", std::process::id()));
        fs::copy(from, &fresh).map_err(|e| io_error(&target, "copy a file to", &e))?;
        fs::rename(&fresh, &target).map_err(|e| {
            let _ = fs::remove_file(&fresh);
            io_error(&target, "write", &e)
        })
    }

    /// Counts a file about to be written, checks its path and makes its
    /// folder; returns where it goes.
    fn prepare(&self, path: &str) -> Result<PathBuf, Diagnostic> {
        check_inside(path)?;
        let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
        let target = self.tmp.join(path);
        if self.fail_at == Some(n) {
            return Err(io_error(
                &target,
                "write",
                &io::Error::other("simulated write failure"),
            ));
        }
        if let Some(dir) = target.parent() {
            // Safe against other threads making the same folder at once.
            fs::create_dir_all(dir).map_err(|e| io_error(dir, "create", &e))?;
        }
        Ok(target)
    }

    /// Swaps the new site in.
    pub fn commit(mut self) -> Result<WriteStats, Diagnostic> {
        let files = self.counter.load(Ordering::Relaxed);
        let unchanged = self.unchanged.load(Ordering::Relaxed);
        swap(&self.tmp, &self.out, &self.parent, &self.name)?;
        self.committed = true;
        Ok(WriteStats {
            written: files - unchanged,
            unchanged,
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Writes `f` under `tmp`, or hard-links the previous file when its bytes are
/// the same (keeping its modification time). True when it was linked.
fn write_or_link(tmp: &Path, previous: &Path, f: &OutFile) -> Result<bool, Diagnostic> {
    let target = tmp.join(&f.path);
    let old = previous.join(&f.path);
    if same_bytes(&old, &f.bytes) && fs::hard_link(&old, &target).is_ok() {
        return Ok(true);
    }
    fs::write(&target, &f.bytes).map_err(|e| io_error(&target, "write", &e))?;
    Ok(false)
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Whether two files hold the same bytes, read a block at a time.
fn same_files(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    if !ma.is_file() || ma.len() != mb.len() {
        return false;
    }
    let (Ok(fa), Ok(fb)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    let (mut ra, mut rb) = (io::BufReader::new(fa), io::BufReader::new(fb));
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = match ra.read(&mut ba) {
            Ok(0) => return rb.read(&mut bb).is_ok_and(|m| m == 0),
            Ok(n) => n,
            Err(_) => return false,
        };
        if rb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

/// Every output path is relative and stays inside the site folder.
fn check_inside(path: &str) -> Result<(), Diagnostic> {
    let p = Path::new(path);
    let ok = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(Diagnostic::error(format!(
            "refusing to write `{path}`: it would leave the output folder"
        ))
        .with_code(Code::InternalError))
    }
}

/// Swaps the new site in: out → old, tmp → out, then removes old.
fn swap(tmp: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), Diagnostic> {
    if out.exists() {
        let old = parent.join(format!(".{name}{OLD_TAG}{}", std::process::id()));
        fs::rename(out, &old).map_err(|e| io_error(out, "move aside", &e))?;
        if let Err(e) = fs::rename(tmp, out) {
            let _ = fs::rename(&old, out);
            let _ = fs::remove_dir_all(tmp);
            return Err(io_error(out, "replace", &e));
        }
        let _ = fs::remove_dir_all(&old);
    } else {
        fs::rename(tmp, out).map_err(|e| io_error(out, "create", &e))?;
    }
    Ok(())
}

/// Removes temporary folders a killed build left beside the output.
pub fn clean_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let ours = [TMP_TAG, OLD_TAG]
            .iter()
            .any(|t| file.starts_with(&format!(".{name}{t}")));
        if ours && (entry.path().join(MARKER).exists() || is_empty_dir(&entry.path())) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn is_empty_dir(p: &Path) -> bool {
    fs::read_dir(p)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

fn io_error(path: &Path, what: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {what} {}: {e}", path.display()))
        .with_code(Code::WriteFailed)
        .in_file(path)
}

/// An absolute, lexically normalised path (the folder may not exist yet).
pub fn absolute(p: &Path) -> PathBuf {
    let base = if p.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let joined = base.join(p);
    let canonical_prefix = joined.canonicalize().ok();
    if let Some(c) = canonical_prefix {
        return c;
    }
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) => parent.canonicalize().map(|p| p.join(name)).unwrap_or(out),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, s: &str) -> OutFile {
        OutFile {
            path: path.into(),
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn refuses_the_root_its_content_and_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("content")).unwrap();
        fs::create_dir_all(root.join("other")).unwrap();
        fs::write(root.join("other/x"), "keep").unwrap();
        assert!(check_out_dir(root, root).is_err());
        assert!(check_out_dir(root, &root.join("content")).is_err());
        assert!(check_out_dir(root, &root.join("other")).is_err());
        assert!(check_out_dir(root, root.parent().unwrap()).is_err());
        assert!(check_out_dir(root, &root.join("site")).is_ok());
    }

    #[test]
    fn rewrites_only_changed_files_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[file("a/index.html", "A"), file("b.html", "B")]).unwrap();
        let stats = write_site(&out, &[file("a/index.html", "A"), file("b.html", "B2")]).unwrap();
        assert_eq!((stats.written, stats.unchanged), (1, 1));
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "B2");
        assert!(out.join(MARKER).is_file());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("site")]);
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        assert!(write_site(&out, &[file("../evil.html", "x")]).is_err());
        assert!(!dir.path().join("evil.html").exists());
        assert!(!out.exists());
    }
}
