//! The development server (`glossator serve`): builds the edition into a
//! temporary folder, serves it over HTTP, watches `content/` and the theme,
//! rebuilds on change and tells open pages to reload.
//!
//! This module and `load`/`write` are the only ones that touch the disk. The
//! site folder is a temporary folder removed on shutdown; what is served is
//! byte for byte what `glossator build` writes, and the live-reload script and
//! the error overlay are added only in HTTP responses (`http`).

mod http;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tokio::sync::{broadcast, watch as tokio_watch};

use crate::build::BuildOptions;
use crate::config::Flags;
use crate::diagnostics::Diagnostic;
use crate::incremental::Session;

/// `glossator serve` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub edition: crate::config::EditionArg,
    /// Theme name: a folder under ROOT/themes/, or the built-in `default`
    /// (default: `theme` in glossator.toml, else `default`).
    #[arg(long)]
    pub theme: Option<String>,
    /// Address to listen on. Anything but loopback exposes the drafts to the network.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Port to listen on; if it is taken, the next few are tried.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    pub open: bool,
}

/// How many ports after `--port` are tried before giving up.
const PORT_ATTEMPTS: u16 = 10;

/// What the HTTP side shares with the rebuild side.
pub struct Shared {
    /// The served folder (canonical), inside the temporary folder.
    pub site: PathBuf,
    /// The last build's errors as the terminal shows them (without colour);
    /// `None` when the last build succeeded.
    pub errors: RwLock<Option<String>>,
    /// One message per finished rebuild: open pages reload.
    pub reload: broadcast::Sender<()>,
    /// Becomes true on Ctrl-C, so that event streams end and shutdown is clean.
    pub shutdown: tokio_watch::Receiver<bool>,
}

/// Runs the server until Ctrl-C. Returns an error message for the CLI.
pub fn run(args: ServeArgs) -> Result<(), String> {
    let root = args.edition.root();
    if !root.join("content").is_dir() {
        return Err(format!(
            "no content folder at {}; name the folder that holds `content/` (`glossator serve DIR`)",
            root.join("content").display()
        ));
    }
    let tmp = tempfile::Builder::new()
        .prefix("glossator-serve-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let site = tmp.path().join("site");
    let opts = options(&args, &root, &site).map_err(|d| {
        d.eprint();
        format!("{} has an error; nothing is served", crate::config::FILE)
    })?;
    let result = serve_from(&args, opts, &site);
    // The temporary folder (and the site in it) goes now, whatever happened.
    let tmp_path = tmp.path().to_path_buf();
    tmp.close()
        .map_err(|e| format!("cannot remove {}: {e}", tmp_path.display()))?;
    result
}

/// The options of the previews: the edition's `glossator.toml` under the
/// flags, building into `site`.
fn options(args: &ServeArgs, root: &Path, site: &Path) -> Result<BuildOptions, Diagnostic> {
    let config = crate::config::read(root)?;
    let mut opts = Flags {
        theme: args.theme.clone(),
        out: Some(site.to_path_buf()),
        ..Flags::default()
    }
    .over(config, root, true);
    // Canonical URLs would point at the public site and the book is for
    // publishing: previews do without both, and a warning stays a warning
    // while the text is being written.
    opts.base_url = None;
    opts.epub = false;
    opts.strict = false;
    // Drafts are for previews: shown, each marked by a banner.
    opts.drafts = true;
    Ok(opts)
}

fn serve_from(args: &ServeArgs, opts: BuildOptions, site: &Path) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let (shutdown_tx, shutdown_rx) = tokio_watch::channel(false);
    let (root, out) = (opts.root.clone(), opts.out_dir());
    let session = Session::new(opts);
    // Ctrl-C from the start: it stops a build in progress (the first build of
    // a large edition takes a while), then the server.
    let cancel = session.cancel_flag();
    runtime.spawn(async move {
        shutdown_signal().await;
        cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = shutdown_tx.send(true);
    });
    let (session, first) = runtime
        .block_on(runtime.spawn_blocking(move || {
            let mut session = session;
            let first = session.rebuild();
            (session, first)
        }))
        .map_err(|e| format!("the first build stopped: {e}"))?;
    if first.cancelled {
        println!("stopped");
        return Ok(());
    }
    report(&first);
    std::fs::create_dir_all(site).map_err(|e| format!("cannot create {}: {e}", site.display()))?;
    let site = site
        .canonicalize()
        .map_err(|e| format!("cannot resolve {}: {e}", site.display()))?;

    let shared = Arc::new(Shared {
        site,
        errors: RwLock::new(first.error_text()),
        reload: broadcast::channel(16).0,
        shutdown: shutdown_rx.clone(),
    });
    let reread = {
        let (args, root) = (args.clone(), root.clone());
        move || options(&args, &root, &out)
    };
    let watcher = watch::start(&root, session, reread, Arc::clone(&shared))?;
    let mut stopping = shutdown_rx;
    let served = runtime.block_on(async {
        let listener = bind(args.bind, args.port).await?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot read the bound address: {e}"))?;
        announce(args, &root, addr);
        let app = http::router(Arc::clone(&shared));
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopping.wait_for(|stop| *stop).await;
            })
            .await
            .map_err(|e| format!("the server stopped: {e}"))
    });
    watcher.stop();
    println!("stopped");
    served
}

/// Binds `port`, or the next free one of the following few.
async fn bind(ip: IpAddr, port: u16) -> Result<tokio::net::TcpListener, String> {
    let mut last_err = None;
    for candidate in (0..PORT_ATTEMPTS).filter_map(|i| port.checked_add(i)) {
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, candidate)).await {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                println!("port {candidate} is in use; trying the next one");
                last_err = Some(e);
            }
            Err(e) => return Err(format!("cannot listen on {ip}:{candidate}: {e}")),
        }
    }
    Err(format!(
        "ports {port} to {} are all in use ({}); choose another with --port",
        port.saturating_add(PORT_ATTEMPTS - 1),
        last_err.map_or_else(String::new, |e| e.to_string())
    ))
}

fn announce(args: &ServeArgs, root: &Path, addr: SocketAddr) {
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {} makes the drafts readable from other machines; the default --bind 127.0.0.1 keeps them on this one",
            addr.ip()
        );
    }
    let url = format!("http://{addr}/");
    println!("serving {} at {url} (Ctrl-C to stop)", root.display());
    if args.open {
        open_browser(&url);
    }
}

/// Starts the platform's opener; a failure is reported, not fatal.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(e) = cmd.arg(url).spawn() {
        eprintln!("warning: could not open a browser ({e}); open {url} yourself");
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).ok();
        let terminated = async {
            match term.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminated => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Prints a rebuild's diagnostics and outcome, as `build` would.
fn report(outcome: &crate::incremental::Outcome) {
    outcome.diagnostics.eprint();
    if outcome.failed() {
        eprintln!("error: the build failed; still serving the last good build");
    } else {
        println!(
            "rebuilt: {} page{} rendered, {} file{} written in {:.1?}",
            outcome.rendered,
            if outcome.rendered == 1 { "" } else { "s" },
            outcome.written,
            if outcome.written == 1 { "" } else { "s" },
            outcome.elapsed
        );
    }
    if std::env::var_os(TIMINGS_ENV).is_some() {
        let stages: Vec<String> = outcome
            .stages
            .iter()
            .map(|(name, t)| format!("{name} {:.1?}", t))
            .collect();
        println!("stages: {}", stages.join(", "));
    }
}

/// Prints the diagnostics of the exports written after a rebuild's pages,
/// and with [`TIMINGS_ENV`] set, how long they took.
fn report_exports(outcome: &crate::incremental::Outcome) {
    outcome.diagnostics.eprint();
    if std::env::var_os(TIMINGS_ENV).is_some() {
        println!(
            "exports: {} file{} written in {:.1?}",
            outcome.written,
            if outcome.written == 1 { "" } else { "s" },
            outcome.elapsed
        );
    }
}

/// Set to print each rebuild's time per stage.
const TIMINGS_ENV: &str = "GLOSSATOR_SERVE_TIMINGS";
