//! `glossator lsp`: a language server over standard input and output, for
//! the editor's help while annotating.
//!
//! The server is synchronous (`lsp-server`, `lsp-types`): one thread reads
//! messages ([`transport`]), this one answers them in order. Every feature
//! reads the plain facts of [`index::Analysis`], which runs the engine's
//! load → parse → resolve over the disk with the editor's unsaved text laid
//! over it. Diagnostics are the ones `build` reports, published per file,
//! and are made once the messages waiting have been handled, so a burst of
//! keystrokes costs one analysis.
//!
//! - [`complete`]: completion of kinds, IDs, front-matter keys and anchors;
//! - [`navigate`]: hover, definition, references, document and workspace symbols;
//! - [`edit`]: rename and code actions;
//! - [`publish`]: diagnostics as the protocol has them.

mod card;
pub mod complete;
pub mod edit;
mod extract;
pub mod facts;
pub mod index;
pub mod navigate;
pub mod publish;
pub mod text;
pub mod transport;

use std::collections::{HashMap, HashSet};
use std::io::BufReader;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, TryRecvError};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, InitializeParams, InitializeResult, OneOf,
    RenameOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use index::Analysis;
use transport::{Incoming, log};

/// Where the server stands in the protocol's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    BeforeInitialize,
    Running,
    ShuttingDown,
}

/// A request's answer, or the error to send instead.
pub type Answer = Result<Value, (ErrorCode, String)>;

/// The server's state between messages.
pub struct Server {
    stage: Stage,
    /// The edition root named on the command line, if any.
    given_root: Option<PathBuf>,
    analysis: Option<Analysis>,
    /// Open documents inside the edition, by URI: their path relative to `content/`.
    open: HashMap<Uri, String>,
    /// Text changed since the last analysis.
    dirty: bool,
    /// Files that diagnostics were last published for (root-relative).
    published: HashSet<String>,
}

/// Runs the server until `exit`; the exit code is 0 when `shutdown` came first.
pub fn run(root: Option<PathBuf>) -> u8 {
    let messages = transport::spawn_reader(BufReader::new(std::io::stdin()));
    let mut server = Server::new(root);
    let code = server.serve(&messages, transport::send);
    log(&format!("exiting with code {code}"));
    code
}

impl Server {
    pub fn new(given_root: Option<PathBuf>) -> Self {
        Server {
            stage: Stage::BeforeInitialize,
            given_root,
            analysis: None,
            open: HashMap::new(),
            dirty: false,
            published: HashSet::new(),
        }
    }

    /// Handles messages until `exit` or the end of input.
    pub fn serve(&mut self, messages: &mpsc::Receiver<Incoming>, send: impl Fn(Message)) -> u8 {
        let mut next = None;
        loop {
            let incoming = match next.take() {
                Some(m) => m,
                None => match messages.recv() {
                    Ok(m) => m,
                    Err(_) => {
                        log("the editor closed the connection without `exit`");
                        return 1;
                    }
                },
            };
            match incoming {
                Incoming::Malformed(why) => {
                    log(&format!("skipped a malformed message: {why}"));
                    transport::send_parse_error(&why);
                }
                Incoming::Message(Message::Request(req)) => {
                    let response = self.request(req, &send);
                    send(Message::Response(response));
                }
                Incoming::Message(Message::Notification(n)) if n.method == "exit" => {
                    return if self.stage == Stage::ShuttingDown {
                        0
                    } else {
                        1
                    };
                }
                Incoming::Message(Message::Notification(n)) => self.notification(n),
                Incoming::Message(Message::Response(_)) => {}
            }
            if self.dirty {
                match messages.try_recv() {
                    Ok(m) => next = Some(m),
                    Err(TryRecvError::Empty | TryRecvError::Disconnected) => self.refresh(&send),
                }
            }
        }
    }

    fn request(&mut self, req: Request, send: &impl Fn(Message)) -> Response {
        let answer = match (self.stage, req.method.as_str()) {
            (Stage::BeforeInitialize, "initialize") => self.initialize(req.params),
            (Stage::BeforeInitialize, _) => Err((
                ErrorCode::ServerNotInitialized,
                "the server has not been initialized".into(),
            )),
            (Stage::ShuttingDown, _) => Err((
                ErrorCode::InvalidRequest,
                format!(
                    "`{}` after `shutdown`: only `exit` is expected now",
                    req.method
                ),
            )),
            (Stage::Running, "initialize") => Err((
                ErrorCode::InvalidRequest,
                "the server is initialized already".into(),
            )),
            (Stage::Running, "shutdown") => {
                self.stage = Stage::ShuttingDown;
                Ok(Value::Null)
            }
            (Stage::Running, method) => {
                if self.dirty {
                    self.refresh(send);
                }
                // A bug in one feature answers that request with an error;
                // the session goes on.
                let answer = catch_unwind(AssertUnwindSafe(|| self.feature(method, req.params)));
                answer.unwrap_or_else(|_| {
                    Err((
                        ErrorCode::InternalError,
                        format!(
                            "internal error while answering `{method}`: this is a bug in glossator"
                        ),
                    ))
                })
            }
        };
        match answer {
            Ok(value) => Response::new_ok(req.id, value),
            Err((code, message)) => error_response(req.id, code, message),
        }
    }

    /// Answers a request of a running server.
    fn feature(&mut self, method: &str, params: Value) -> Answer {
        let Some(analysis) = self.analysis.as_ref() else {
            return Err((ErrorCode::InternalError, "no edition is loaded".into()));
        };
        let docs = Documents {
            analysis,
            open: &self.open,
        };
        match method {
            "textDocument/completion" => complete::completion(&docs, parse(params)?),
            "textDocument/hover" => navigate::hover(&docs, parse(params)?),
            "textDocument/definition" => navigate::definition(&docs, parse(params)?),
            "textDocument/references" => navigate::references(&docs, parse(params)?),
            "textDocument/documentSymbol" => navigate::document_symbols(&docs, parse(params)?),
            "workspace/symbol" => navigate::workspace_symbols(&docs, parse(params)?),
            "textDocument/prepareRename" => edit::prepare_rename(&docs, parse(params)?),
            "textDocument/rename" => edit::rename(&docs, parse(params)?),
            "textDocument/codeAction" => edit::code_actions(&docs, parse(params)?),
            other => Err((
                ErrorCode::MethodNotFound,
                format!("glossator lsp does not handle `{other}`"),
            )),
        }
    }

    fn initialize(&mut self, params: Value) -> Answer {
        let params: InitializeParams = parse(params)?;
        let root = self
            .given_root
            .clone()
            .or_else(|| workspace_root(&params))
            .or_else(|| std::env::current_dir().ok())
            .ok_or((ErrorCode::InternalError, "no edition root".to_string()))?;
        let root = edition_root(&root);
        log(&format!("edition root {}", root.display()));
        let mut analysis = Analysis::new(&root);
        analysis.reload_disk();
        self.analysis = Some(analysis);
        self.stage = Stage::Running;
        self.dirty = true;
        let result = InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo {
                name: "glossator".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        Ok(serde_json::to_value(result).expect("the result serialises"))
    }

    fn notification(&mut self, n: Notification) {
        if self.stage != Stage::Running {
            return;
        }
        match n.method.as_str() {
            "textDocument/didOpen" | "textDocument/didChange" | "textDocument/didSave" => {
                self.text_changed(&n.method, &n.params)
            }
            "textDocument/didClose" => {
                let uri = uri_of(&n.params).and_then(|u| self.open.remove(&u));
                if let (Some(rel), Some(analysis)) = (uri, self.analysis.as_mut()) {
                    analysis.forget_text(&rel);
                    self.dirty = true;
                }
            }
            "workspace/didChangeWatchedFiles" => self.dirty = true,
            "initialized" | "$/cancelRequest" | "$/setTrace" => {}
            other => log(&format!("ignored the notification `{other}`")),
        }
    }

    /// A document was opened, edited or saved: its text, as the editor has
    /// it, is laid over the disk's.
    fn text_changed(&mut self, method: &str, params: &Value) {
        let Some(analysis) = self.analysis.as_mut() else {
            return;
        };
        let Some(uri) = uri_of(params) else {
            return log(&format!("`{method}` without a document URI"));
        };
        let Some(rel) = content_rel(analysis.root(), &uri) else {
            if method == "textDocument/didOpen" {
                log(&format!(
                    "{} is outside the edition at {}; it gets no help",
                    uri.as_str(),
                    analysis.root().display()
                ));
            }
            return;
        };
        let text = match method {
            // Full sync: the last change is the whole new text.
            "textDocument/didChange" => params["contentChanges"]
                .as_array()
                .and_then(|c| c.last())
                .and_then(|c| c["text"].as_str()),
            _ => params["textDocument"]["text"].as_str(),
        };
        if let Some(text) = text {
            analysis.set_text(&rel, text.to_string());
        }
        self.open.insert(uri, rel);
        self.dirty = true;
    }

    /// Analyses the edition again and publishes what changed.
    fn refresh(&mut self, send: &impl Fn(Message)) {
        self.dirty = false;
        let Some(analysis) = self.analysis.as_mut() else {
            return;
        };
        // A file deleted while open: the disk decides whether it is in the edition.
        analysis.reload_disk();
        if catch_unwind(AssertUnwindSafe(|| analysis.analyse().len())).is_err() {
            return log("internal error while checking the edition: this is a bug in glossator");
        }
        let mut by_file = publish::by_file(analysis);
        // Open documents hear even that they are clean, so the editor knows
        // its text was checked; files fixed since the last time are cleared.
        let open = self.open.values().map(|rel| format!("content/{rel}"));
        for file in open.chain(self.published.iter().cloned()) {
            by_file.entry(file).or_default();
        }
        let root = analysis.root().to_path_buf();
        self.published.clear();
        for (file, diagnostics) in by_file {
            if !diagnostics.is_empty() {
                self.published.insert(file.clone());
            }
            send(publish::notification(&root, &file, diagnostics));
        }
    }
}

/// The `textDocument.uri` of a notification's parameters.
fn uri_of(params: &Value) -> Option<Uri> {
    serde_json::from_value(params["textDocument"]["uri"].clone()).ok()
}

/// What a feature may read: the analysis and the open documents.
pub struct Documents<'a> {
    pub analysis: &'a Analysis,
    open: &'a HashMap<Uri, String>,
}

impl Documents<'_> {
    /// The path (relative to `content/`) of a document of the edition, or
    /// the error to answer with.
    pub fn rel(&self, uri: &Uri) -> Result<String, (ErrorCode, String)> {
        if let Some(rel) = self.open.get(uri) {
            return Ok(rel.clone());
        }
        content_rel(self.analysis.root(), uri).ok_or_else(|| {
            (
                ErrorCode::RequestFailed,
                format!(
                    "{} is not a file of the edition at {}",
                    uri.as_str(),
                    self.analysis.root().display()
                ),
            )
        })
    }

    /// The facts of a document, or the error to answer with.
    pub fn facts(&self, uri: &Uri) -> Result<&facts::Facts, (ErrorCode, String)> {
        let rel = self.rel(uri)?;
        self.analysis.file(&rel).ok_or_else(|| {
            (
                ErrorCode::RequestFailed,
                format!("content/{rel} is not in the edition (deleted, or not saved yet)"),
            )
        })
    }

    /// The URI of a root-relative path.
    pub fn uri(&self, path: &str) -> Uri {
        text::path_to_uri(&self.analysis.root().join(path))
    }
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["(", ":", "#", " "].map(String::from).to_vec()),
            ..Default::default()
        }),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    }
}

fn parse<P: DeserializeOwned>(params: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

fn error_response(id: RequestId, code: ErrorCode, message: String) -> Response {
    Response::new_err(id, code as i32, message)
}

/// The first workspace folder, else the root URI the editor gave.
#[allow(deprecated)] // `root_uri` is what older clients send.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    let folder =
        (params.workspace_folders.iter().flatten()).find_map(|f| text::uri_to_path(&f.uri));
    folder.or_else(|| params.root_uri.as_ref().and_then(text::uri_to_path))
}

/// The folder holding `content/`: `dir` or the nearest one above it; `dir`
/// itself when there is none (the analysis then reports the missing folder).
fn edition_root(dir: &Path) -> PathBuf {
    (dir.ancestors())
        .find(|d| d.join("content").is_dir())
        .unwrap_or(dir)
        .to_path_buf()
}

/// The path relative to `content/` of a `file://` URI inside the edition.
fn content_rel(root: &Path, uri: &Uri) -> Option<String> {
    let path = text::uri_to_path(uri)?;
    let rel = path.strip_prefix(root.join("content")).ok()?;
    let parts: Vec<String> = (rel.components())
        .map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    (!parts.is_empty()).then(|| parts.join("/"))
}
