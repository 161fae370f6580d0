//! Latency and memory of `glossator lsp`, for `benches/lsp_latency.sh`.
//!
//! ```text
//! cargo run --release --example lsp_latency -- --root DIR [--part content/01-x.md] [--runs 21]
//! ```
//!
//! Starts the real server (the `glossator` binary next to this example) on
//! pipes, opens one part and, run after run, times: a completion after
//! `](person:`, a hover on a mention, and the diagnostics after a
//! one-character edit of the part's text (from sending `didChange` to
//! receiving that file's `publishDiagnostics`). Reports the median, minimum
//! and maximum of each, the time to the first diagnostics after opening,
//! and the server's resident memory (current and peak) at the end.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};

#[derive(Parser)]
struct Args {
    /// The edition folder.
    #[arg(long)]
    root: PathBuf,
    /// The part to open (default: the first part file with a person mention).
    #[arg(long)]
    part: Option<PathBuf>,
    /// Number of measured runs of each request.
    #[arg(long, default_value_t = 21)]
    runs: usize,
}

const WAIT: Duration = Duration::from_secs(60);

struct Server {
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(|m| m["id"] == json!(id))
    }

    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let m = self
                .messages
                .recv_timeout(left)
                .expect("the server answers");
            if wanted(&m) {
                return m;
            }
        }
    }

    fn diagnostics_of(&mut self, uri: &str) {
        self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
    }
}

fn main() {
    let args = Args::parse();
    let root = std::fs::canonicalize(&args.root).expect("the edition folder exists");
    let part = args
        .part
        .map_or_else(|| first_part(&root), |p| root.join(p));
    let text = std::fs::read_to_string(&part).expect("the part is readable");
    let uri = format!("file://{}", part.display());
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("glossator");
    let mut child = Command::new(&bin)
        .arg("lsp")
        .arg(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
    let pid = child.id();
    let mut server = Server {
        stdin: child.stdin.take().unwrap(),
        messages: read_messages(child.stdout.take().unwrap()),
        next_id: 1,
    };
    server.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    server.notify("initialized", json!({}));
    let start = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
    );
    server.diagnostics_of(&uri);
    let first = start.elapsed();

    let mention = text.find("](person:").expect("the part mentions a person") + "](person:".len();
    let position = position_of(&text, mention);
    let at = json!({ "textDocument": { "uri": uri }, "position": position });
    let hover_at =
        json!({ "textDocument": { "uri": uri }, "position": position_of(&text, mention - 4) });
    let mut completion = Vec::new();
    let mut hover = Vec::new();
    let mut diagnostics = Vec::new();
    // One character added to the last paragraph, then taken away again.
    let edit_at = text.trim_end().rfind(' ').expect("a space in the part");
    let edited = format!("{}x{}", &text[..edit_at], &text[edit_at..]);
    for run in 0..args.runs {
        let t = Instant::now();
        let r = server.request("textDocument/completion", at.clone());
        completion.push(t.elapsed());
        assert!(r["result"].as_array().is_some_and(|a| !a.is_empty()), "{r}");
        let t = Instant::now();
        let r = server.request("textDocument/hover", hover_at.clone());
        hover.push(t.elapsed());
        assert!(r["result"]["contents"].is_object(), "{r}");
        let new_text = if run % 2 == 0 { &edited } else { &text };
        let t = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": run + 2 }, "contentChanges": [{ "text": new_text }] }),
        );
        server.diagnostics_of(&uri);
        diagnostics.push(t.elapsed());
    }
    let memory = memory_of(pid);
    server.request("shutdown", Value::Null);
    server.notify("exit", Value::Null);
    let _ = child.wait();

    println!("part: {}", part.display());
    println!("first diagnostics after opening: {}", ms(first));
    report("completion", &mut completion);
    report("hover", &mut hover);
    report("diagnostics after a one-character edit", &mut diagnostics);
    println!("server memory: {memory}");
}

fn first_part(root: &Path) -> PathBuf {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(root.join("content"))
        .expect("a content folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    parts.sort();
    (parts.into_iter())
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("](person:")))
        .expect("a part that mentions a person")
}

fn position_of(text: &str, offset: usize) -> Value {
    let line = text[..offset].matches('\n').count();
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": text[start..offset].encode_utf16().count() })
}

fn read_messages(stdout: impl Read + Send + 'static) -> Receiver<Value> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                match line.trim_end() {
                    "" => break,
                    l => {
                        if let Some(n) = l.strip_prefix("Content-Length: ") {
                            length = n.parse().unwrap();
                        }
                    }
                }
            }
            let mut body = vec![0; length];
            if r.read_exact(&mut body).is_err()
                || tx.send(serde_json::from_slice(&body).unwrap()).is_err()
            {
                return;
            }
        }
    });
    rx
}

/// Resident memory now and at its peak, from `/proc`.
fn memory_of(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        (status.lines())
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or("?".to_string(), |kb| {
                format!("{:.1} MiB", kb as f64 / 1024.0)
            })
    };
    format!("{} resident, {} peak", field("VmRSS:"), field("VmHWM:"))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    println!(
        "{what}: median {} (min {}, max {}, {} runs)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}
