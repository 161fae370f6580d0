//! Watches `content/` and the theme folder, and rebuilds on a thread of its
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

pub fn start(
    root: &Path,
    theme: &str,
    mut session: Session,
    shared: Arc<Shared>,
) -> Result<Watcher, String> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer =
        new_debouncer(DEBOUNCE, None, tx).map_err(|e| format!("cannot watch for changes: {e}"))?;
    let mut folders = vec![root.join("content")];
    let theme_dir = root.join("themes").join(theme);
    if theme_dir.is_dir() {
        folders.push(theme_dir);
    }
    for folder in &folders {
        debouncer
            .watch(folder, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", folder.display()))?;
    }
    let thread = std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            // A burst may span several debounce windows: take them all. The
            // session finds what changed by itself (file stamps and texts),
            // so only whether anything changed matters, not where.
            let mut changed = changes(first);
            while let Ok(more) = rx.try_recv() {
                changed |= changes(more);
            }
            if !changed {
                continue;
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

/// Whether a batch holds a change. Reads are reported too (a file or folder
/// opened), and the rebuild's own reads must not start another rebuild.
fn changes(result: DebounceEventResult) -> bool {
    match result {
        Ok(events) => events
            .iter()
            .any(|e| !matches!(e.event.kind, EventKind::Access(_))),
        Err(errors) => {
            for e in errors {
                eprintln!("warning: watching for changes: {e}");
            }
            false
        }
    }
}
