//! Diagnostics as the protocol has them: the same [`Diagnostic`] values as
//! `build`, grouped by file, with byte spans turned into positions.

use std::collections::BTreeMap;
use std::path::Path;

use lsp_server::{Message, Notification};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, PublishDiagnosticsParams, Range,
};

use super::index::Analysis;
use super::text;
use crate::diagnostics::{Diagnostic, Severity};

/// The code of every diagnostic glossator publishes, so code actions know
/// their own.
pub const SOURCE: &str = "glossator";

/// The analysis's diagnostics by root-relative file. One without a place is
/// shown on the first line of `content/_index.md`, where the editor sees it.
pub fn by_file(analysis: &Analysis) -> BTreeMap<String, Vec<lsp_types::Diagnostic>> {
    let mut out: BTreeMap<String, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
    for d in analysis.diagnostics() {
        let (file, converted) = convert(analysis, d);
        out.entry(file).or_default().push(converted);
    }
    out
}

fn convert(analysis: &Analysis, d: &Diagnostic) -> (String, lsp_types::Diagnostic) {
    let (file, range) = match (&d.primary, &d.path) {
        (Some(label), _) => (
            label.source.display_path.clone(),
            text::range(&label.source, &label.span),
        ),
        (None, Some(path)) => (file_of(path), Range::default()),
        (None, None) => ("content/_index.md".to_string(), Range::default()),
    };
    let related: Vec<DiagnosticRelatedInformation> = (d.related.iter())
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(
                text::path_to_uri(&analysis.root().join(&l.source.display_path)),
                text::range(&l.source, &l.span),
            ),
            message: if l.text.is_empty() {
                "see also".into()
            } else {
                l.text.clone()
            },
        })
        .collect();
    let mut message = d.message.clone();
    if let Some(label) = d.primary.as_ref().filter(|l| !l.text.is_empty()) {
        message = format!("{message} ({})", label.text);
    }
    if let Some(help) = &d.help {
        message = format!("{message}\nhelp: {help}");
    }
    let converted = lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: None,
        source: Some(SOURCE.into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        code_description: None,
        tags: None,
        data: None,
    };
    (file, converted)
}

/// A diagnostic's path without the `:line:col` some carry.
fn file_of(path: &Path) -> String {
    let shown = path.to_string_lossy();
    let mut s = shown.as_ref();
    for _ in 0..2 {
        if let Some((head, tail)) = s.rsplit_once(':')
            && !tail.is_empty()
            && tail.bytes().all(|b| b.is_ascii_digit())
        {
            s = head;
        }
    }
    s.to_string()
}

pub fn notification(root: &Path, file: &str, diagnostics: Vec<lsp_types::Diagnostic>) -> Message {
    let params = PublishDiagnosticsParams {
        uri: text::path_to_uri(&root.join(file)),
        diagnostics,
        version: None,
    };
    Message::Notification(Notification::new(
        "textDocument/publishDiagnostics".into(),
        params,
    ))
}
