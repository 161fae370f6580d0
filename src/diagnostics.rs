//! Diagnostics: every stage reports problems as values, never by panicking.
//!
//! A [`Diagnostic`] carries a severity, a message, an optional help line and
//! labels that point at byte ranges of a [`SourceText`]. Byte offsets become
//! `line:col` in exactly one place, [`SourceText::line_col`], so every message
//! and every test agrees on positions.
//!
//! Every diagnostic is printed once, beginning with its headline
//! `path:line:col: error: message`. On a terminal the headline is followed by
//! the source line with a marker and the help (miette's report, without its
//! own header, which would repeat the headline); elsewhere (an editor, a CI
//! log) by indented `help:` and `see also` lines only. See [`Style`].

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub use crate::codes::{Code, Stage};

/// The text of one input file, shared between the stages and the diagnostics
/// that point into it.
#[derive(Debug)]
pub struct SourceText {
    /// The path shown to the user (relative to the edition root where possible).
    pub display_path: String,
    /// The file's full text (after decoding; a leading BOM is kept so offsets stay true).
    pub text: String,
    /// Byte offsets at which each line starts, found when first needed:
    /// most files never have a diagnostic.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceText {
    pub fn new(display_path: impl Into<String>, text: String) -> Arc<Self> {
        Arc::new(SourceText {
            display_path: display_path.into(),
            text,
            line_starts: OnceLock::new(),
        })
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            // A lone CR ends a line too (CommonMark and editors agree), so
            // positions match what the reader of the file sees.
            let bytes = self.text.as_bytes();
            std::iter::once(0)
                .chain(bytes.iter().enumerate().filter_map(|(i, &b)| {
                    let ends = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
                    ends.then_some(i + 1)
                }))
                .collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts().partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts()[line];
        let col = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, col + 1)
    }

    /// The byte offset of a 1-based line and column (column in characters).
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let within = rest
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
        start + within
    }

    /// The text of the 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts().get(line - 1).copied().unwrap_or(0);
        let end = self
            .line_starts()
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// For a person at a terminal: the headline, the source line with a
    /// marker, the help and related places, in colour or not.
    Full { color: bool },
    /// For editors and CI logs: the headline, then indented `help:` and
    /// `see also` lines, so the fix still reaches the reader.
    Compact,
}

impl Style {
    /// The style for standard error: full on a terminal, compact otherwise.
    /// `GLOSSATOR_DIAGNOSTICS=full` or `=compact` chooses one explicitly;
    /// colour needs a terminal and no `NO_COLOR`.
    pub fn for_stderr() -> Style {
        let terminal = std::io::stderr().is_terminal();
        let color = terminal && std::env::var_os("NO_COLOR").is_none();
        match std::env::var("GLOSSATOR_DIAGNOSTICS").as_deref() {
            Ok("full") => Style::Full { color },
            Ok("compact") => Style::Compact,
            _ if terminal => Style::Full { color },
            _ => Style::Compact,
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A place in a source file with what to say about it.
#[derive(Debug, Clone)]
pub struct Label {
    pub source: Arc<SourceText>,
    pub span: Range<usize>,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// The primary place, if the problem has one.
    pub primary: Option<Label>,
    /// Other places worth showing (the first definition of a duplicate, …).
    pub related: Vec<Label>,
    /// A file with no useful span (an unreadable file, a folder).
    pub path: Option<PathBuf>,
    /// What kind of problem this is, as listed in `docs/errors.md`.
    pub code: Option<Code>,
    /// Further facts, one line each (`note: …`).
    pub notes: Vec<String>,
    /// The file whose failure to parse would explain this problem (an
    /// unknown ID that file would have defined): see
    /// [`Diagnostics::fold_cascades`].
    pub depends_on: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            help: None,
            primary: None,
            related: Vec::new(),
            path: None,
            code: None,
            notes: Vec::new(),
            depends_on: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(
        mut self,
        source: &Arc<SourceText>,
        span: Range<usize>,
        text: impl Into<String>,
    ) -> Self {
        self.primary = Some(Label {
            source: Arc::clone(source),
            span: clamp_span(source, span),
            text: text.into(),
        });
        self
    }

    pub fn also(
        mut self,
        source: &Arc<SourceText>,
        span: Range<usize>,
        text: impl Into<String>,
    ) -> Self {
        self.related.push(Label {
            source: Arc::clone(source),
            span: clamp_span(source, span),
            text: text.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Marks the problem as one that `file` failing to parse would cause.
    pub fn depending_on(mut self, file: impl Into<String>) -> Self {
        self.depends_on = Some(file.into());
        self
    }

    /// The stage the problem belongs to, for ordering: a diagnostic without a
    /// code is taken to come from resolve, the stage with the most checks.
    pub fn stage(&self) -> Stage {
        self.code.map_or(Stage::Resolve, Code::stage)
    }

    pub fn in_file(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The file the problem is in, as shown.
    fn file(&self) -> Option<String> {
        match (&self.primary, &self.path) {
            (Some(l), _) => Some(l.source.display_path.clone()),
            (None, Some(p)) => Some(p.display().to_string()),
            (None, None) => None,
        }
    }

    /// `path:line:col` of the primary place, or the bare path.
    pub fn location(&self) -> Option<String> {
        if let Some(label) = &self.primary {
            let (line, col) = label.source.line_col(label.span.start);
            return Some(format!("{}:{line}:{col}", label.source.display_path));
        }
        self.path.as_ref().map(|p| p.display().to_string())
    }

    /// A plain one-line form: `path:line:col: error: message`.
    pub fn headline(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.location() {
            Some(loc) => format!("{loc}: {sev}: {}", self.message),
            None => format!("{sev}: {}", self.message),
        }
    }

    /// Prints the report on standard error, in [`Style::for_stderr`].
    pub fn eprint(&self) {
        eprintln!("{}", self.show(Style::for_stderr()));
    }

    /// The report in `style`.
    pub fn show(&self, style: Style) -> String {
        match style {
            Style::Full { color } => self.render(color),
            Style::Compact => self.compact(),
        }
    }

    /// The compact form: the headline, then an indented line for the help
    /// and for each related place.
    pub fn compact(&self) -> String {
        let mut out = self.headline();
        if let Some(help) = &self.help {
            for (i, line) in help.lines().enumerate() {
                out.push_str(if i == 0 { "\n  help: " } else { "\n        " });
                out.push_str(line);
            }
        }
        for note in &self.notes {
            out.push_str(&format!("\n  note: {note}"));
        }
        for label in &self.related {
            let (line, col) = label.source.line_col(label.span.start);
            out.push_str(&format!(
                "\n  see also {}:{line}:{col}",
                label.source.display_path
            ));
            if !label.text.is_empty() {
                out.push_str(&format!(": {}", label.text));
            }
        }
        out
    }

    /// The full report: headline, the source line with a marker, help, the
    /// related places, and the code.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let handler = miette::GraphicalReportHandler::new_themed(theme)
            .with_context_lines(1)
            .with_width(100);
        let mut out = self.headline();
        out.push('\n');
        let report = MietteView {
            diag: self,
            label: self.primary.as_ref(),
            headless: true,
        };
        let mut body = String::new();
        if handler.render_report(&mut body, &report).is_ok() {
            out.push_str(without_header(&body));
        }
        for label in &self.related {
            let related = MietteView {
                diag: self,
                label: Some(label),
                headless: true,
            };
            let mut r = String::new();
            if handler
                .render_report(&mut r, &RelatedView(&related))
                .is_ok()
            {
                out.push_str(&r);
            }
        }
        for note in &self.notes {
            out.push_str(&format!("  note: {note}\n"));
        }
        if let Some(code) = self.code {
            out.push_str(&format!("  code: {code}\n"));
        }
        out
    }
}

/// miette's report without its first line: for a headless view (no code, an
/// empty message) that line is only the severity mark, and the headline
/// printed above says it all.
fn without_header(report: &str) -> &str {
    report.split_once('\n').map_or("", |(_, rest)| rest)
}

fn clamp_span(source: &SourceText, span: Range<usize>) -> Range<usize> {
    let len = source.text.len();
    let start = floor_char_boundary(&source.text, span.start.min(len));
    let end = floor_char_boundary(&source.text, span.end.clamp(start, len));
    start..end
}

/// Adapts a diagnostic (with one label at a time, so each file shows its own
/// snippet) to miette's report renderer.
struct MietteView<'a> {
    diag: &'a Diagnostic,
    label: Option<&'a Label>,
    /// Leave out the message and code, which the headline already shows.
    headless: bool,
}

impl fmt::Debug for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.headless {
            return Ok(());
        }
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for MietteView<'_> {}

impl miette::Diagnostic for MietteView<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.headless {
            return None;
        }
        self.diag.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.label
            .map(|l| l.source.as_ref() as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let label = self.label?;
        let span = miette::SourceSpan::from(label.span.start..label.span.end.max(label.span.start));
        let text = (!label.text.is_empty()).then(|| label.text.clone());
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_primary_with_span(text, span),
        )))
    }
}

/// A related place, shown as an advice with its own snippet.
struct RelatedView<'a>(&'a MietteView<'a>);

impl fmt::Debug for RelatedView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("related")
    }
}

impl fmt::Display for RelatedView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.label {
            Some(l) => {
                let (line, col) = l.source.line_col(l.span.start);
                write!(f, "see also {}:{line}:{col}", l.source.display_path)
            }
            None => f.write_str("see also"),
        }
    }
}

impl std::error::Error for RelatedView<'_> {}

impl miette::Diagnostic for RelatedView<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.0.labels()
    }
}

impl miette::SourceCode for SourceText {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.display_path.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// All the diagnostics of a run, in a stable order.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Prints every report on standard error, as [`Diagnostic::eprint`].
    pub fn eprint(&self) {
        let style = Style::for_stderr();
        for d in &self.items {
            eprintln!("{}", d.show(style));
        }
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Under `--strict`, warnings count as errors.
    pub fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Folds the problems a file that failed to parse causes elsewhere (the
    /// IDs it would have defined, reported unknown) into one note on that
    /// file's own error: the root cause is then the one error shown for it.
    pub fn fold_cascades(&mut self) {
        let is_root = |d: &Diagnostic| d.is_error() && d.stage() <= Stage::Parse;
        let broken: HashSet<String> = self
            .items
            .iter()
            .filter(|d| is_root(d))
            .filter_map(Diagnostic::file)
            .collect();
        let mut unchecked: BTreeMap<String, usize> = BTreeMap::new();
        self.items.retain(|d| match &d.depends_on {
            Some(file) if broken.contains(file) => {
                *unchecked.entry(file.clone()).or_default() += 1;
                false
            }
            _ => true,
        });
        for (file, n) in unchecked {
            let what = match n {
                1 => format!("1 reference to {file} was"),
                n => format!("{n} references to {file} were"),
            };
            let root = self
                .items
                .iter_mut()
                .find(|d| is_root(d) && d.file().as_ref() == Some(&file));
            if let Some(root) = root {
                root.notes
                    .push(format!("{what} not checked, because it failed to parse"));
            }
        }
    }

    /// Sorts by stage, then file and position: a root cause (a file that
    /// does not parse) comes before what it breaks, and the order never
    /// depends on thread timing.
    pub fn sort(&mut self) {
        self.items.sort_by_cached_key(|d| {
            let place = d
                .primary
                .as_ref()
                .map(|l| (l.source.display_path.clone(), l.span.start))
                .or_else(|| d.path.as_ref().map(|p| (p.display().to_string(), 0)));
            (d.stage(), place, d.message.clone())
        });
    }
}

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(word, candidate);
        if score > 0.8 && best.is_none_or(|(_, s)| score > s) {
            best = Some((candidate, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_lines_from_one() {
        let src = SourceText::new("a.md", "ab\ncé d\n".to_string());
        let cr = SourceText::new("b.md", "a\rb\r\nc".to_string());
        assert_eq!(cr.line_col(2), (2, 1));
        assert_eq!(cr.line_col(5), (3, 1));
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_col(3), (2, 1));
        // "é" is two bytes: the space after it is the third character.
        assert_eq!(src.line_col(6), (2, 3));
        assert_eq!(src.offset_of(2, 3), 6);
        assert_eq!(src.line_text(2), "cé d");
    }

    #[test]
    fn did_you_mean_finds_close_words_only() {
        assert_eq!(did_you_mean("nmae", ["name", "description"]), Some("name"));
        assert_eq!(did_you_mean("zzz", ["name", "description"]), None);
    }

    #[test]
    fn render_shows_path_line_col_and_source_line() {
        let src = SourceText::new("content/a.md", "---\ntitle: x\nnmae: y\n---\n".to_string());
        let d = Diagnostic::error("unknown field `nmae`")
            .at(&src, 13..17, "here")
            .with_help("did you mean `name`?");
        let out = d.render(false);
        assert!(
            out.starts_with("content/a.md:3:1: error: unknown field `nmae`"),
            "{out}"
        );
        assert!(out.contains("nmae: y"), "{out}");
        assert!(out.contains("did you mean `name`?"), "{out}");
        assert_eq!(out.matches("unknown field").count(), 1, "{out}");
    }

    #[test]
    fn compact_is_the_headline_with_indented_help_notes_and_places() {
        let src = SourceText::new(
            "content/a.md",
            "---
title: x
nmae: y
---
"
            .to_string(),
        );
        let d = Diagnostic::error("unknown field `nmae`")
            .at(&src, 13..17, "here")
            .also(&src, 4..9, "the title")
            .with_help("did you mean `name`?")
            .with_note("one more fact");
        assert_eq!(
            d.compact(),
            "content/a.md:3:1: error: unknown field `nmae`\n  help: did you mean `name`?\n  note: one more fact\n  see also content/a.md:2:1: the title"
        );
    }

    #[test]
    fn a_broken_files_cascade_folds_into_a_note_on_its_error() {
        let broken = SourceText::new(
            "content/people/x.md",
            "---
name: \"x\n---\n"
                .to_string(),
        );
        let part = SourceText::new("content/01.md", "[X](person:x) [X](person:x)\n".to_string());
        let mut ds = Diagnostics::default();
        for at in [0..13, 14..27] {
            ds.push(
                Diagnostic::error("unknown person `x`")
                    .at(&part, at, "")
                    .with_code(Code::UnknownEntity)
                    .depending_on("content/people/x.md"),
            );
        }
        ds.push(
            Diagnostic::error("this quote is never closed")
                .at(&broken, 10..11, "")
                .with_code(Code::YamlUnclosedQuote),
        );
        ds.fold_cascades();
        assert_eq!(ds.items.len(), 1);
        assert_eq!(
            ds.items[0].notes,
            ["2 references to content/people/x.md were not checked, because it failed to parse"]
        );
    }
}
