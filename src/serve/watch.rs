//! Watches `content/`, `static/`, the themes and `glossator.toml`, and rebuilds on a thread of its
//! own after each burst of changes (editors often write a file in several
//! steps, so events are debounced).

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::{Shared, report, report_exports};
use crate::assets::STATIC_DIR;
use crate::build::BuildOptions;
use crate::config;
use crate::diagnostics::Diagnostic;
use crate::incremental::Session;

/// Quiet time after the last event before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(20);

pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    thread: JoinHandle<()>,
}

impl Watcher {
    /// Stops watching and waits for a rebuild in progress to finish.
    pub fn stop(self) {
        // Dropping the debouncer closes the channel, which ends the thread.
        drop(self.debouncer);
        let _ = self.thread.join();
    }
}

/// Watches the edition at `root` and rebuilds with `session`; when
/// `glossator.toml` changes, `reread` gives the new options.
pub fn start(
    root: &Path,
    mut session: Session,
    reread: impl Fn() -> Result<BuildOptions, Diagnostic> + Send + 'static,
    shared: Arc<Shared>,
) -> Result<Watcher, String> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer =
        new_debouncer(DEBOUNCE, None, tx).map_err(|e| format!("cannot watch for changes: {e}"))?;
    // All themes, not only the one in use: glossator.toml may name another.
    let folders = [
        root.join("content"),
        root.join(STATIC_DIR),
        root.join("themes"),
    ];
    for folder in folders.iter().filter(|f| f.is_dir()) {
        debouncer
            .watch(folder, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", folder.display()))?;
    }
    // The edition folder itself only for its config file: a site built
    // into it must not start a rebuild.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    // Events name paths as the watcher found them: compare real paths.
    let config = root
        .canonicalize()
        .map_err(|e| format!("cannot resolve {}: {e}", root.display()))?
        .join(config::FILE);
    let thread = std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            // A burst may span several debounce windows: take them all. The
            // session finds what changed by itself (file stamps and texts),
            // so only whether anything changed matters, not where.
            let mut changed = changes(first, &config);
            while let Ok(more) = rx.try_recv() {
                changed = changed.max(changes(more, &config));
            }
            if changed == Change::None {
                continue;
            }
            if changed == Change::Config {
                match reread() {
                    Ok(opts) => session.reconfigure(opts),
                    Err(d) => {
                        // The last good build stays, under the error.
                        d.eprint();
                        *shared.errors.write().unwrap_or_else(|p| p.into_inner()) =
                            Some(d.render(false));
                        let _ = shared.reload.send(());
                        continue;
                    }
                }
            }
            let outcome = session.rebuild_pages();
            if outcome.cancelled {
                break;
            }
            report(&outcome);
            let errors = outcome.error_text();
            let mut slot = shared.errors.write().unwrap_or_else(|p| p.into_inner());
            let error_changed = *slot != errors;
            *slot = errors;
            drop(slot);
            if outcome.written > 0 || error_changed {
                let _ = shared.reload.send(());
            }
            // The pages are up; the downloads follow. Their errors (an EPUB
            // that cannot be made) are printed, not shown over the pages.
            report_exports(&session.finish_exports());
        }
    });
    Ok(Watcher { debouncer, thread })
}

/// What a batch of events changed, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    None,
    /// A file the session rereads by itself (it compares stamps and texts).
    Sources,
    /// `glossator.toml`: the options change, so the session starts over.
    Config,
}

/// What a batch changed. Reads are reported too (a file or folder opened),
/// and the rebuild's own reads must not start another rebuild; of the
/// edition folder's own entries only the config file counts.
fn changes(result: DebounceEventResult, config: &Path) -> Change {
    match result {
        Ok(events) => events
            .iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| &e.event.paths)
            .map(|p| {
                let parent = p.parent().and_then(|d| d.canonicalize().ok());
                let in_root = parent.as_deref() == config.parent();
                match p.file_name() {
                    Some(name) if in_root && name == config::FILE => Change::Config,
                    _ if in_root && !p.is_dir() => Change::None,
                    _ => Change::Sources,
                }
            })
            .max()
            .unwrap_or(Change::None),
        Err(errors) => {
            for e in errors {
                eprintln!("warning: watching for changes: {e}");
            }
            Change::None
        }
    }
}
