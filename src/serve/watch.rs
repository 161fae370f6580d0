//! Watches `content/` and the theme folder, and rebuilds on a thread of its
//! own after each burst of changes (editors often write a file in several
//! steps, so events are debounced).

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};

use super::{Shared, report};
use crate::incremental::Session;

/// Quiet time after the last event before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(20);

pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher>,
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
        new_debouncer(DEBOUNCE, tx).map_err(|e| format!("cannot watch for changes: {e}"))?;
    let mut folders = vec![root.join("content")];
    let theme_dir = root.join("themes").join(theme);
    if theme_dir.is_dir() {
        folders.push(theme_dir);
    }
    for folder in &folders {
        debouncer
            .watcher()
            .watch(folder, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", folder.display()))?;
    }
    let thread = std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            log_errors(first);
            // A burst may span several debounce windows: take them all. The
            // session finds what changed by itself (content hashes), so the
            // event paths are not needed.
            while let Ok(more) = rx.try_recv() {
                log_errors(more);
            }
            let outcome = session.rebuild();
            report(&outcome);
            let errors = outcome.error_text();
            let mut slot = shared.errors.write().unwrap_or_else(|p| p.into_inner());
            let error_changed = *slot != errors;
            *slot = errors;
            drop(slot);
            if outcome.written > 0 || error_changed {
                let _ = shared.reload.send(());
            }
        }
    });
    Ok(Watcher { debouncer, thread })
}

fn log_errors(result: DebounceEventResult) {
    if let Err(e) = result {
        eprintln!("warning: watching for changes: {e}");
    }
}
