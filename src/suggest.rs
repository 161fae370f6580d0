//! `glossator suggest`: names and aliases of known entities that stand in
//! the reading text without their link, and (`--write`) the links added.
//!
//! A name is found as a whole word, in the case it is defined with (or with
//! its first letter capitalised, as at the start of a sentence), only in
//! running text: never inside code, links, images, headings, HTML or front
//! matter. Where names overlap, the longest wins ("Qassim Suleimani" before
//! "Suleimani"). Linking changes link syntax only: the words stay as written,
//! inside `[…](kind:id)`.
//!
//! The facts come from the language server's adapter
//! ([`crate::lsp::index`]), which also offers these links as code actions.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::lsp::facts::{Entity, Facts, Kind, Role};
use crate::lsp::index::Analysis;

/// A name of an entity that the text may use.
#[derive(Debug, Clone)]
pub struct Name {
    pub text: String,
    /// `person:crocker`.
    pub target: String,
    pub kind: Kind,
}

/// An unlinked occurrence of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte range of the words in the file.
    pub span: Range<usize>,
    /// The words as written.
    pub words: String,
    pub target: String,
}

/// Every name and alias of every entity, longest first.
pub fn names<'a>(entities: impl Iterator<Item = &'a Entity>) -> Vec<Name> {
    let mut names: Vec<Name> = entities
        .flat_map(|e| {
            e.names()
                .filter(|n| !n.trim().is_empty())
                .map(move |n| Name {
                    text: n.trim().to_string(),
                    target: e.target(),
                    kind: e.kind,
                })
        })
        .collect();
    names.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then(a.text.cmp(&b.text)));
    names
}

/// Every unlinked occurrence of `names` in the running text of a file, in
/// text order, without overlaps (the longest name at a place wins).
pub fn unlinked(facts: &Facts, names: &[Name]) -> Vec<Found> {
    let text = &facts.source.text;
    let mut found: Vec<Found> = Vec::new();
    for run in facts.prose() {
        let run_text = &text[run.clone()];
        let mut taken: Vec<Range<usize>> = Vec::new();
        for name in names {
            for start in occurrences(run_text, &name.text) {
                let span = start..start + name.text.len();
                if taken
                    .iter()
                    .any(|t| t.start < span.end && span.start < t.end)
                {
                    continue;
                }
                taken.push(span.clone());
                found.push(Found {
                    span: run.start + span.start..run.start + span.end,
                    words: run_text[span].to_string(),
                    target: name.target.clone(),
                });
            }
        }
    }
    found.sort_by_key(|f| f.span.start);
    found
}

/// Where `name` occurs in `text` as a whole word, as written or with its
/// first letter capitalised.
fn occurrences(text: &str, name: &str) -> Vec<usize> {
    let mut forms = vec![name.to_string()];
    let mut chars = name.chars();
    if let Some(first) = chars.next().filter(|c| c.is_lowercase()) {
        forms.push(first.to_uppercase().chain(chars).collect());
    }
    let mut out: Vec<usize> = forms
        .iter()
        .flat_map(|form| {
            text.match_indices(form.as_str())
                .map(|(i, m)| (i, i + m.len()))
                .filter(|&(s, e)| whole_word(text, s, e))
                .map(|(s, _)| s)
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Of `found` in a file, the first occurrence of each entity the file does
/// not link yet.
pub fn first_unlinked(facts: &Facts, found: Vec<Found>) -> Vec<Found> {
    let mut linked: HashSet<String> = (facts.occurrences.iter())
        .map(|o| format!("{}:{}", o.kind.prefix(), o.id))
        .collect();
    found
        .into_iter()
        .filter(|f| linked.insert(f.target.clone()))
        .collect()
}

/// The file's text with each of `found` made a link, words unchanged.
pub fn apply(text: &str, found: &[Found]) -> String {
    let mut out = String::with_capacity(text.len() + found.len() * 24);
    let mut at = 0;
    for f in found {
        out.push_str(&text[at..f.span.start]);
        out.push_str(&link(f));
        at = f.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `[words](kind:id)`.
pub fn link(f: &Found) -> String {
    format!("[{}]({})", f.words, f.target)
}

/// What `glossator suggest` was asked.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    /// Only names of this kind (`person`, …).
    pub kind: Option<String>,
    /// Only this part (a path, as given, ending in the part's file name).
    pub part: Option<String>,
    /// Every unlinked occurrence, not the first per entity and part.
    pub all: bool,
    /// Write the links into the files.
    pub write: bool,
}

/// What `suggest` found, per file, and what it wrote.
#[derive(Debug, Default)]
pub struct Report {
    /// One block per finding: `path:line:col: Name → kind:id` and the line.
    pub lines: Vec<String>,
    pub found: usize,
    pub files_written: usize,
}

/// Runs `suggest` over the edition at `opts.root`.
pub fn suggest(opts: &Options) -> Result<Report, Diagnostic> {
    let kind = match &opts.kind {
        Some(k) => Some(Kind::from_prefix(k).ok_or_else(|| unknown_kind(k))?),
        None => None,
    };
    let mut analysis = Analysis::new(&opts.root);
    analysis.reload_disk();
    let errors: Vec<&Diagnostic> = (analysis.analyse().iter())
        .filter(|d| d.is_error())
        .collect();
    if opts.write && !errors.is_empty() {
        return Err(Diagnostic::error(format!(
            "the edition has {} error{}; `suggest --write` changes nothing until `glossator check` passes",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        ))
        .with_code(Code::EditionHasErrors));
    }
    let names: Vec<Name> = (names(analysis.entities()).into_iter())
        .filter(|n| kind.is_none_or(|k| n.kind == k))
        .collect();
    let parts: Vec<&Facts> = (analysis.facts())
        .filter(|f| f.role == Role::Part)
        .filter(|f| opts.part.as_deref().is_none_or(|p| same_part(p, f)))
        .collect();
    if let (Some(p), true) = (&opts.part, parts.is_empty()) {
        return Err(Diagnostic::error(format!("no part {p} in content/"))
            .with_code(Code::NoSuchPart)
            .with_help("name a part's file, like `content/02-afghanistan.md`"));
    }
    let mut report = Report::default();
    for facts in parts {
        let found = unlinked(facts, &names);
        let found = if opts.all {
            found
        } else {
            first_unlinked(facts, found)
        };
        for f in &found {
            let (line, col) = facts.source.line_col(f.span.start);
            report.lines.push(format!(
                "{}:{line}:{col}: {} → {}\n    {}",
                facts.path(),
                f.words,
                f.target,
                facts.source.line_text(line).trim()
            ));
        }
        report.found += found.len();
        if opts.write && !found.is_empty() {
            write_file(
                &opts.root.join(facts.path()),
                &apply(&facts.source.text, &found),
            )?;
            report.files_written += 1;
        }
    }
    Ok(report)
}

fn same_part(given: &str, facts: &Facts) -> bool {
    let given = given.trim_start_matches("./");
    given == facts.rel || given == facts.path() || Path::new(given).ends_with(&facts.rel)
}

fn unknown_kind(k: &str) -> Diagnostic {
    let kinds: Vec<&str> = Kind::all().map(Kind::prefix).collect();
    let mut d = Diagnostic::error(format!("`{k}` is not a kind of entity"))
        .with_code(Code::UnknownKind)
        .with_help(format!("one of: {}", kinds.join(", ")));
    if let Some(close) = crate::diagnostics::did_you_mean(k, kinds.iter().copied()) {
        d = d.with_help(format!(
            "did you mean `{close}`? (one of: {})",
            kinds.join(", ")
        ));
    }
    d
}

/// Replaces a content file through a temporary sibling, so an interrupted
/// write leaves the old text whole.
fn write_file(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let tmp = path.with_extension("md.glossator-tmp");
    let fail = |e: std::io::Error| {
        Diagnostic::error(format!("cannot write {}: {e}", path.display()))
            .with_code(Code::WriteFailed)
            .in_file(path)
    };
    std::fs::write(&tmp, text).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only_in_either_first_letter_case() {
        assert_eq!(occurrences("Iran, Iranian, Iran's", "Iran"), vec![0, 15]);
        assert_eq!(
            occurrences("hardliners. Hardliners", "hardliners"),
            vec![0, 12]
        );
        assert!(occurrences("OBAMA and obama", "Obama").is_empty());
    }
}
