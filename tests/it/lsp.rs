//! `glossator lsp`: a client that speaks JSON-RPC to the real binary over
//! pipes, against a copy of the `basic` fixture. Every wait is bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::Edition;

/// Longer than any answer takes, short enough that a hang fails the test.
const WAIT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    stderr: Receiver<String>,
    /// Notifications seen while waiting for something else.
    notes: Vec<Value>,
    next_id: i64,
    root: std::path::PathBuf,
}

impl Client {
    /// Starts `glossator lsp ROOT` and initializes it.
    fn start(root: &Path) -> Client {
        let mut client = Client::spawn(root, &[root.as_os_str()]);
        client.initialize(Value::Null);
        client
    }

    /// `initialize`, with `rootUri` when given, then `initialized`.
    fn initialize(&mut self, root_uri: Value) {
        let init = self.request(
            "initialize",
            json!({ "processId": null, "rootUri": root_uri, "capabilities": {} }),
        );
        assert!(
            init["result"]["capabilities"]["completionProvider"].is_object(),
            "{init}"
        );
        self.notify("initialized", json!({}));
    }

    /// Starts `glossator lsp ARGS`, for an edition at `root`, uninitialized.
    fn spawn(root: &Path, args: &[&std::ffi::OsStr]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_glossator"))
            .arg("lsp")
            .args(args)
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("glossator lsp starts");
        let stdin = child.stdin.take().unwrap();
        let messages = read_messages(child.stdout.take().unwrap());
        let stderr = read_lines(child.stderr.take().unwrap());
        Client {
            child,
            stdin,
            messages,
            stderr,
            notes: Vec::new(),
            next_id: 1,
            root: root.to_path_buf(),
        }
    }

    fn uri(&self, rel: &str) -> String {
        format!("file://{}", self.root.join(rel).display())
    }

    fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.stdin.write_all(header.as_bytes()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response (the whole message).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait_for(&format!("the answer to {method}"), |m| m["id"] == json!(id))
    }

    /// The `result` of a request that must succeed.
    fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response["error"].is_null(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// Waits for a message that `wanted` accepts; keeps the notifications
    /// seen meanwhile.
    fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.notes.iter().position(&wanted) {
            return self.notes.remove(i);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if wanted(&m) => return m,
                Ok(m) => self.notes.push(m),
                Err(RecvTimeoutError::Timeout) => panic!("no {what} within {WAIT:?}"),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed its output before {what}: {}", self.log())
                }
            }
        }
    }

    /// Waits for diagnostics of `rel` that `wanted` accepts; returns them.
    fn diagnostics(&mut self, rel: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let uri = self.uri(rel);
        let m = self.wait_for(&format!("diagnostics of {rel}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == json!(uri)
                && wanted(m["params"]["diagnostics"].as_array().unwrap())
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, rel: &str, text: &str) {
        let uri = self.uri(rel);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, rel: &str, version: i64, text: &str) {
        let uri = self.uri(rel);
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// `textDocument` and `position` parameters at the first `marker` in
    /// `text`, plus `offset` bytes.
    fn at(&self, rel: &str, text: &str, marker: &str, offset: usize) -> Value {
        let at = text
            .find(marker)
            .unwrap_or_else(|| panic!("{marker:?} in {rel}"))
            + offset;
        let line = text[..at].matches('\n').count();
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let character = text[line_start..at].encode_utf16().count();
        json!({ "textDocument": { "uri": self.uri(rel) }, "position": { "line": line, "character": character } })
    }

    /// Shuts the server down; returns its exit code.
    fn shutdown(&mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert!(r["error"].is_null(), "{r}");
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().expect("exited, not killed");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the server did not exit within {WAIT:?}");
    }

    /// What the server wrote to standard error so far.
    fn log(&self) -> String {
        let mut out = String::new();
        while let Ok(line) = self.stderr.recv_timeout(Duration::from_millis(200)) {
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            if r.read_exact(&mut body).is_err() {
                return;
            }
            if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        }
    });
    rx
}

fn read_lines(stderr: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

fn labels(result: &Value) -> Vec<String> {
    let items = result.as_array().cloned().unwrap_or_default();
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

fn item<'a>(result: &'a Value, label: &str) -> &'a Value {
    let items = result.as_array().unwrap();
    items
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no item {label} in {result}"))
}

const PART: &str = "content/01-beginnings.md";

fn session() -> (Edition, Client, String) {
    let ed = Edition::fixture("basic");
    let client = Client::start(ed.root());
    let text = ed.read(PART);
    (ed, client, text)
}

#[test]
fn completion_offers_kinds_ids_anchors_and_front_matter() {
    let (_ed, mut c, text) = session();
    // Typing a new link at the end of the first paragraph.
    let typed = text.replace(
        "in Geneva](claim:met-in-geneva).",
        "in Geneva](claim:met-in-geneva). [He](person:",
    );
    c.open(PART, &typed);
    let at = c.at(PART, &typed, "[He](person:", "[He](person:".len());
    let people = c.result("textDocument/completion", at);
    assert_eq!(labels(&people), ["crocker", "zarif"]);
    let crocker = item(&people, "crocker");
    assert_eq!(crocker["detail"], "Ryan Crocker");
    assert!(
        crocker["documentation"]["value"]
            .as_str()
            .unwrap()
            .contains("ambassador to Iraq")
    );
    assert!(crocker["filterText"].as_str().unwrap().contains("Crocker"));

    let kinds = c.result("textDocument/completion", c.at(PART, &typed, "[He](", 5));
    for kind in ["person:", "source:", "claim:", "term:", "02-later.md"] {
        assert!(
            labels(&kinds).contains(&kind.to_string()),
            "{kind} in {kinds}"
        );
    }

    let anchors = c.result(
        "textDocument/completion",
        c.at(PART, &typed, "02-later.md#", 12),
    );
    assert_eq!(labels(&anchors), ["p1", "p2"]);

    let sources = c.result(
        "textDocument/completion",
        c.at(PART, &typed, "sources: [", 10),
    );
    assert_eq!(labels(&sources), ["new-yorker-interview"]);
    let about = c.result("textDocument/completion", c.at(PART, &typed, "about: [", 8));
    assert!(
        labels(&about).contains(&"person:crocker".to_string()),
        "{about}"
    );
    assert!(
        labels(&about).contains(&"claim:zarif-minister".to_string()),
        "{about}"
    );

    // An item of a reference list, and a key of an inline definition.
    let listed = typed
        .replace(
            "    attributed_to: [crocker]\n",
            "    attributed_to:\n      - \n",
        )
        .replace(
            "    aliases: [Iran deal]\n",
            "    aliases: [Iran deal]\n    cat\n",
        );
    c.change(PART, 2, &listed);
    let people = c.result(
        "textDocument/completion",
        c.at(PART, &listed, "      - ", 8),
    );
    assert_eq!(labels(&people), ["crocker", "zarif"]);
    let term_keys = c.result(
        "textDocument/completion",
        c.at(PART, &listed, "    cat\n", 7),
    );
    assert!(
        labels(&term_keys).contains(&"category".to_string()),
        "{term_keys}"
    );
    assert!(
        !labels(&term_keys).contains(&"title".to_string()),
        "{term_keys}"
    );

    // A key at the top level of a part's front matter: the part's own fields.
    let with_key = typed.replace("order: 1\n", "order: 1\nsu\n");
    c.change(PART, 3, &with_key);
    let keys = c.result(
        "textDocument/completion",
        c.at(PART, &with_key, "\nsu\n", 3),
    );
    for key in ["title", "summary", "slug", "people", "terms"] {
        assert!(labels(&keys).contains(&key.to_string()), "{key} in {keys}");
    }
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn hover_definition_and_references() {
    let (_ed, mut c, text) = session();
    c.open(PART, &text);
    let hover = c.result("textDocument/hover", c.at(PART, &text, "[Ryan Crocker]", 3));
    let card = hover["contents"]["value"].as_str().unwrap();
    assert!(
        card.contains("**Ryan Crocker** · `person:crocker`"),
        "{card}"
    );
    assert!(
        card.contains("ambassador to Iraq") && card.contains("1949"),
        "{card}"
    );
    let claim = c.result("textDocument/hover", c.at(PART, &text, "[He met", 3));
    let card = claim["contents"]["value"].as_str().unwrap();
    assert!(
        card.contains("Status: sourced")
            && card.contains("Sources: The Man Who Knew (`new-yorker-interview`)"),
        "{card}"
    );

    let def = c.result(
        "textDocument/definition",
        c.at(PART, &text, "[Ryan Crocker]", 3),
    );
    assert_eq!(def["uri"], json!(c.uri("content/people/crocker.md")));
    // An inline definition: the key in this part's front matter.
    let def = c.result("textDocument/definition", c.at(PART, &text, "[He met", 3));
    assert_eq!(def["uri"], json!(c.uri(PART)));
    let key_line = text[..text.find("  met-in-geneva:").unwrap()]
        .matches('\n')
        .count();
    assert_eq!(def["range"]["start"]["line"], json!(key_line));
    // A link to a part's paragraph: that paragraph.
    let def = c.result(
        "textDocument/definition",
        c.at(PART, &text, "02-later.md#p2", 3),
    );
    assert_eq!(def["uri"], json!(c.uri("content/02-later.md")));
    assert_eq!(def["range"]["start"]["line"], json!(6), "{def}");

    let mut at = c.at(PART, &text, "[Ryan Crocker]", 3);
    at["context"] = json!({ "includeDeclaration": false });
    let refs = c.result("textDocument/references", at);
    let files: Vec<String> = (refs.as_array().unwrap().iter())
        .map(|l| {
            l["uri"]
                .as_str()
                .unwrap()
                .rsplit("/content/")
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    // The preface, two mentions and two references here, one in the other
    // part, one in Crocker's own note.
    assert_eq!(
        files,
        [
            "_index.md",
            "01-beginnings.md",
            "01-beginnings.md",
            "01-beginnings.md",
            "01-beginnings.md",
            "02-later.md",
            "people/crocker.md"
        ],
        "{refs}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn rename_changes_every_mention_and_reference_and_the_file() {
    let (_ed, mut c, text) = session();
    c.open(PART, &text);
    let mut at = c.at(PART, &text, "[Ryan Crocker](person:crocker)", 22);
    at["newName"] = json!("ryan-crocker");
    let edit = c.result("textDocument/rename", at.clone());
    let ops = edit["documentChanges"].as_array().unwrap();
    let edits: usize = (ops.iter())
        .filter_map(|o| o["edits"].as_array())
        .map(|e| {
            assert!(e.iter().all(|e| e["newText"] == "ryan-crocker"));
            e.len()
        })
        .sum();
    assert_eq!(edits, 7, "{edit}");
    let rename = ops
        .iter()
        .find(|o| o["kind"] == "rename")
        .expect("a file rename");
    assert_eq!(rename["oldUri"], json!(c.uri("content/people/crocker.md")));
    assert_eq!(
        rename["newUri"],
        json!(c.uri("content/people/ryan-crocker.md"))
    );

    at["newName"] = json!("zarif");
    let taken = c.request("textDocument/rename", at.clone());
    assert!(
        taken["error"]["message"]
            .as_str()
            .unwrap()
            .contains("exists already"),
        "{taken}"
    );
    at["newName"] = json!("Ryan Crocker");
    let bad = c.request("textDocument/rename", at);
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not a valid ID"),
        "{bad}"
    );

    // An inline entity: its key is renamed, no file.
    let mut at = c.at(PART, &text, "(term:jcpoa)", 7);
    at["newName"] = json!("nuclear-deal");
    let edit = c.result("textDocument/rename", at);
    let ops = edit["documentChanges"].as_array().unwrap();
    assert!(ops.iter().all(|o| o["kind"].is_null()), "{edit}");
    let edits: usize = ops
        .iter()
        .map(|o| o["edits"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        edits, 3,
        "the key, the mention here, the one in 02-later.md: {edit}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn code_actions_create_define_and_link() {
    let (_ed, mut c, text) = session();
    let typed = text.replace(
        "recalls meetings.",
        "recalls meetings with [Hassan](person:kazemi-qumi).",
    );
    c.open(PART, &typed);
    let mut params = c.at(PART, &typed, "(person:kazemi-qumi)", 3);
    let pos = params["position"].clone();
    params["range"] = json!({ "start": pos, "end": pos });
    params["context"] = json!({ "diagnostics": [] });
    let actions = c.result("textDocument/codeAction", params.clone());
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("create person `kazemi-qumi`")),
        "{titles:?}"
    );
    let create = &actions[0]["edit"]["documentChanges"];
    assert_eq!(create[0]["kind"], "create");
    let new_file = create[1]["edits"][0]["newText"].as_str().unwrap();
    assert_eq!(
        new_file,
        "---\nname: \"Kazemi Qumi\"\ndescription: \"\"\n---\n"
    );
    let inline = (actions.as_array().unwrap().iter())
        .find(|a| a["title"].as_str().unwrap().starts_with("define person"))
        .expect("define inline");
    let insert = inline["edit"]["changes"][c.uri(PART)][0]["newText"]
        .as_str()
        .unwrap();
    assert_eq!(
        insert,
        "people:\n  kazemi-qumi:\n    name: \"Kazemi Qumi\"\n    description: \"\"\n"
    );

    // A known name without its link.
    // Zarif, linked nowhere else in the part.
    let unlinked = (typed.replace("recalls meetings with", "recalls meetings with Zarif and"))
        .replace(" and [](person:zarif)", "");
    c.change(PART, 2, &unlinked);
    let mut params = c.at(PART, &unlinked, "Zarif and", 2);
    let pos = params["position"].clone();
    params["range"] = json!({ "start": pos, "end": pos });
    params["context"] = json!({ "diagnostics": [] });
    let actions = c.result("textDocument/codeAction", params);
    let link = (actions.as_array().unwrap().iter())
        .find(|a| a["title"] == "link to person:zarif")
        .unwrap_or_else(|| panic!("{actions}"));
    let edit = &link["edit"]["changes"][c.uri(PART)][0];
    assert_eq!(edit["newText"], "[Zarif](person:zarif)");
    let all = (actions.as_array().unwrap().iter())
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("link the first unlinked mention")
        })
        .unwrap_or_else(|| panic!("{actions}"));
    assert_eq!(
        all["edit"]["changes"][c.uri(PART)]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn symbols_of_a_document_and_of_the_workspace() {
    let (_ed, mut c, text) = session();
    c.open(PART, &text);
    let uri = c.uri(PART);
    let symbols = c.result(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "JCPOA",
            "Crocker met Iranian diplomats in Geneva.",
            "A heading"
        ]
    );
    let found = c.result("workspace/symbol", json!({ "query": "croc" }));
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Ryan Crocker"), "{found}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn diagnostics_follow_the_unsaved_text_and_clear_once_fixed() {
    let (ed, mut c, text) = session();
    c.open(PART, &text);
    let broken = text.replace(
        "[Crocker](person:crocker) spoke",
        "[Crocker](person:crocket) spoke",
    );
    c.change(PART, 2, &broken);
    let ds = c.diagnostics(PART, |d| !d.is_empty());
    let build = {
        ed.write(PART, &broken);
        ed.run(&["check"])
    };
    // The message `build` prints, at the place it names.
    let first = ds[0]["message"].as_str().unwrap();
    let headline = first.lines().next().unwrap();
    let message = headline.split(" (").next().unwrap();
    assert!(
        build.stderr().contains(message),
        "{message:?} in {}",
        build.stderr()
    );
    assert!(
        first.contains("did you mean") || first.contains("crocker"),
        "{first}"
    );
    let line = broken[..broken.find("(person:crocket)").unwrap()]
        .matches('\n')
        .count();
    assert_eq!(ds[0]["range"]["start"]["line"], json!(line));
    assert_eq!(ds[0]["severity"], json!(1));
    c.change(PART, 3, &text);
    c.diagnostics(PART, <[Value]>::is_empty);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_file_that_fails_to_parse_does_not_flood_the_others() {
    let (_ed, mut c, text) = session();
    c.open(PART, &text);
    // 02-later.md mentions the term and claims 01 defines inline.
    let broken = text.replace("title: Beginnings", "title: [Beginnings");
    c.change(PART, 2, &broken);
    let ds = c.diagnostics(PART, |d| !d.is_empty());
    assert_eq!(ds.len(), 1, "{ds:?}");
    c.notes.clear();
    let r = c.result("workspace/symbol", json!({ "query": "" }));
    assert!(r.as_array().unwrap().len() >= 5);
    let others: Vec<&Value> = (c.notes.iter())
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .filter(|m| m["params"]["uri"] != json!(c.uri(PART)))
        .filter(|m| !m["params"]["diagnostics"].as_array().unwrap().is_empty())
        .collect();
    assert!(others.is_empty(), "follow-on errors: {others:?}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn malformed_messages_and_unknown_methods_get_error_answers() {
    let (_ed, mut c, _) = session();
    c.send_raw(b"{ this is not json");
    let err = c.wait_for("a parse error", |m| m["error"]["code"] == json!(-32700));
    assert!(err["id"].is_null(), "{err}");
    c.send_raw(b"{\"jsonrpc\":\"2.0\",\"no\":\"method\"}");
    c.wait_for("a second parse error", |m| {
        m["error"]["code"] == json!(-32700)
    });
    let unknown = c.request("textDocument/inlayHint", json!({}));
    assert_eq!(unknown["error"]["code"], json!(-32601), "{unknown}");
    let bad_params = c.request("textDocument/hover", json!({ "nonsense": true }));
    assert_eq!(bad_params["error"]["code"], json!(-32602), "{bad_params}");
    // Still serving.
    let found = c.result("workspace/symbol", json!({ "query": "zarif" }));
    assert!(!found.as_array().unwrap().is_empty());
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_document_outside_the_root_gets_a_clear_error() {
    let (_ed, mut c, _) = session();
    let elsewhere = tempfile::tempdir().unwrap();
    let uri = format!("file://{}/notes.md", elsewhere.path().display());
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": "[x](person:crocker)" } }),
    );
    let r = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 1 } }),
    );
    let message = r["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"));
    assert!(
        message.contains("is not a file of the edition"),
        "{message}"
    );
    assert_eq!(c.shutdown(), 0);
    let log = c.log();
    assert!(log.contains("is outside the edition"), "{log}");
}

#[test]
fn a_ten_megabyte_buffer_is_answered() {
    let (_ed, mut c, text) = session();
    let paragraph = "Words about [Crocker](person:crocker) and more words to fill the line.\n\n";
    let big = format!(
        "{text}\n{}",
        paragraph.repeat(10 * 1024 * 1024 / paragraph.len())
    );
    assert!(big.len() > 10_000_000);
    c.open(PART, &big);
    let r = c.result("textDocument/hover", c.at(PART, &big, "[Ryan Crocker]", 3));
    assert!(
        r["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Ryan Crocker")
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_file_deleted_while_open() {
    let (ed, mut c, _) = session();
    let later = "content/02-later.md";
    let text = ed.read(later);
    c.open(later, &text);
    std::fs::remove_file(ed.root().join(later)).unwrap();
    c.change(later, 2, &format!("{text}\nMore."));
    let r = c.request("textDocument/hover", c.at(later, &text, "[Crocker]", 2));
    let message = r["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"));
    assert!(message.contains("not in the edition"), "{message}");
    // Its mentions are gone from the edition.
    let claim = "content/claims/zarif-minister.md";
    let claim_text = ed.read(claim);
    let mut at = c.at(claim, &claim_text, "person:zarif", 8);
    at["context"] = json!({ "includeDeclaration": false });
    let refs = c.result("textDocument/references", at);
    let uris: Vec<&str> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, [c.uri(PART), c.uri(claim)], "{refs}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn requests_after_shutdown_are_refused_and_exit_without_shutdown_is_an_error() {
    let (_ed, mut c, _) = session();
    assert!(c.request("shutdown", Value::Null)["error"].is_null());
    let late = c.request("workspace/symbol", json!({ "query": "" }));
    assert_eq!(late["error"]["code"], json!(-32600), "{late}");
    assert!(
        late["error"]["message"]
            .as_str()
            .unwrap()
            .contains("after `shutdown`")
    );
    c.notify("exit", Value::Null);
    assert_eq!(c.exit_code(), 0);

    let (_ed, mut c, _) = session();
    c.notify("exit", Value::Null);
    assert_eq!(c.exit_code(), 1);
}

#[test]
fn the_root_is_the_workspace_folder_that_holds_content() {
    let ed = Edition::fixture("basic");
    let mut c = Client::spawn(ed.root(), &[]);
    let early = c.request("workspace/symbol", json!({ "query": "" }));
    assert_eq!(early["error"]["code"], json!(-32002), "{early}");
    // The editor names a folder inside the edition; its parent holds content/.
    let inside = format!("file://{}", ed.root().join("content/people").display());
    c.initialize(json!(inside));
    let found = c.result("workspace/symbol", json!({ "query": "crocker" }));
    let crocker = (found.as_array().unwrap().iter())
        .find(|s| s["name"] == "Ryan Crocker")
        .unwrap_or_else(|| panic!("{found}"));
    assert_eq!(
        crocker["location"]["uri"],
        json!(c.uri("content/people/crocker.md"))
    );
    assert_eq!(c.shutdown(), 0);
}
