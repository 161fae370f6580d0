//! Save-to-written latency of `glossator serve`, for `benches/serve_latency.sh`.
//!
//! ```text
//! cargo run --release --example serve_latency -- --root DIR [--part content/01-x.md] [--runs 11]
//! ```
//!
//! Starts the real server (the `glossator` binary next to this example) on a
//! free loopback port, then, run after run, changes one word in one part,
//! saves it, and waits for the rebuilt page to hold the new word in the
//! server's site folder. Reports the median, minimum and maximum time from
//! the save to the written page (watcher, debounce and rebuild together) and
//! the server's own rebuild time. The part is restored at the end.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use clap::Parser;

#[derive(Parser)]
struct Args {
    /// The edition folder.
    #[arg(long)]
    root: PathBuf,
    /// The part to edit (default: the first part file).
    #[arg(long)]
    part: Option<PathBuf>,
    /// Number of measured edits.
    #[arg(long, default_value_t = 11)]
    runs: usize,
}

fn main() {
    let args = Args::parse();
    let part = args.part.clone().unwrap_or_else(|| first_part(&args.root));
    let part_path = args.root.join(&part);
    let original = std::fs::read_to_string(&part_path).expect("the part file");
    let _restore = Restore(part_path.clone(), original.clone());
    let stem = part.file_stem().unwrap().to_string_lossy().into_owned();
    let slug = front_matter_slug(&original).unwrap_or(stem);

    let tmp = tempfile::tempdir().unwrap();
    let bin = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("glossator");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let started = Instant::now();
    let mut server = Server(
        Command::new(&bin)
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(&args.root)
            .env("TMPDIR", tmp.path())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display())),
    );
    let child = &mut server.0;
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    wait_line(&rx, |l| l.starts_with("serving "), Duration::from_secs(600));
    println!("first build and start: {:.2?}", started.elapsed());
    let site = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("glossator-serve-")
        })
        .unwrap()
        .join("site");
    let page = site.join(&slug).join("index.html");
    assert!(page.is_file(), "no page at {}", page.display());

    let body_start = original[3..].find("\n---").map_or(0, |i| i + 7);
    let at = body_start
        + original[body_start..]
            .find(" the ")
            .expect("the part has the word `the`");
    let mut total = Vec::new();
    let mut engine = Vec::new();
    let mut exports = Vec::new();
    let mut stages: Vec<(String, Vec<Duration>)> = Vec::new();
    let mut last = String::new();
    for run in 0..args.runs + 1 {
        let word = format!("the{run}x");
        let text = format!("{} {word} {}", &original[..at], &original[at + 5..]);
        while rx.try_recv().is_ok() {}
        std::fs::write(&part_path, &text).unwrap();
        let saved = Instant::now();
        loop {
            if std::fs::read_to_string(&page).is_ok_and(|t| t.contains(&word)) {
                break;
            }
            assert!(saved.elapsed() < Duration::from_secs(60), "no rebuild");
            std::thread::sleep(Duration::from_micros(500));
        }
        let elapsed = saved.elapsed();
        let line = wait_line(&rx, |l| l.starts_with("rebuilt: "), Duration::from_secs(60));
        // Printed when GLOSSATOR_SERVE_TIMINGS is set.
        let by_stage = std::env::var_os("GLOSSATOR_SERVE_TIMINGS")
            .map(|_| wait_line(&rx, |l| l.starts_with("stages: "), Duration::from_secs(60)));
        // The exports follow the pages (and the reload); wait for them so
        // the next edit starts on an idle server.
        let exports_line = by_stage
            .as_ref()
            .map(|_| wait_line(&rx, |l| l.starts_with("exports: "), Duration::from_secs(60)));
        // The first edit warms caches (the page cache, the allocator): not counted.
        if run > 0 {
            if let Some(line) = exports_line {
                exports.push(rebuild_time(&line));
            }
            last = line.clone();
            total.push(elapsed);
            engine.push(rebuild_time(&line));
            if let Some(line) = by_stage {
                for (i, item) in line["stages: ".len()..].split(", ").enumerate() {
                    let (name, t) = item.split_once(' ').unwrap_or((item, ""));
                    if stages.len() <= i {
                        stages.push((name.to_string(), Vec::new()));
                    }
                    stages[i].1.push(rebuild_time(&format!(" in {t}")));
                }
            }
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    std::fs::write(&part_path, &original).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    drop(server);
    println!("edited {} ({} runs)", part.display(), args.runs);
    println!("last {last}");
    report("save to written page", &mut total);
    report("rebuild (load to write)", &mut engine);
    for (name, times) in &mut stages {
        report(&format!("  {name}"), times);
    }
    if !exports.is_empty() {
        report("exports, after the reload", &mut exports);
    }
}

/// The server, stopped with Ctrl-C (SIGINT) however the measurement ends,
/// so a failed run leaves no server behind rebuilding on later edits.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

/// Puts the edited part back as it was, however the measurement ends.
struct Restore(PathBuf, String);

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.0, &self.1);
    }
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms (min {:.1}, max {:.1})",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}

fn wait_line(rx: &mpsc::Receiver<String>, pred: impl Fn(&str) -> bool, within: Duration) -> String {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx.recv_timeout(left).expect("the server's output");
        if pred(&line) {
            return line;
        }
    }
}

/// The time in `rebuilt: … written in 12.3ms`.
fn rebuild_time(line: &str) -> Duration {
    let t = line.rsplit(" in ").next().unwrap_or_default();
    let (num, unit) = t.split_at(
        t.find(|c: char| c.is_alphabetic() || c == 'µ')
            .unwrap_or(t.len()),
    );
    let n: f64 = num.parse().unwrap_or(f64::NAN);
    match unit {
        "s" => Duration::from_secs_f64(n),
        "ms" => Duration::from_secs_f64(n / 1e3),
        "µs" => Duration::from_secs_f64(n / 1e6),
        _ => Duration::from_secs_f64(n / 1e9),
    }
}

fn first_part(root: &Path) -> PathBuf {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(root.join("content"))
        .expect("a content folder")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "md")
                && p.file_name().is_some_and(|n| n != "_index.md")
        })
        .collect();
    parts.sort();
    let first = parts.first().expect("a part");
    first.strip_prefix(root).unwrap().to_path_buf()
}

fn front_matter_slug(text: &str) -> Option<String> {
    let end = text[3..].find("\n---")? + 3;
    text[..end]
        .lines()
        .find_map(|l| l.strip_prefix("slug:"))
        .map(|s| s.trim().trim_matches('"').to_string())
}
