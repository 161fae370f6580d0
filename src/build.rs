//! The pipeline: runs load → parse → resolve → render → write and gathers
//! every stage's diagnostics. `build` and `check` are the same run, but
//! `check` stops before writing.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::export;
use crate::model::{Edition, Kind};
use crate::render::{OutFile, RenderOptions, Renderer};
use crate::{load, parse, resolve, theme, write};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The edition folder (the one holding `content/`).
    pub root: PathBuf,
    /// Where the site goes; `None` means `ROOT/site`.
    pub out: Option<PathBuf>,
    pub theme: String,
    pub base_url: Option<String>,
    /// Warnings count as errors.
    pub strict: bool,
    /// False for `check`: validate everything, write nothing.
    pub write: bool,
    /// Also write the edition as an EPUB book.
    pub epub: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: None,
            theme: "default".into(),
            base_url: None,
            strict: false,
            write: true,
            epub: false,
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("site"))
    }
}

/// What a run did: figures for the summary line, and every diagnostic.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub parts: usize,
    pub entities: [usize; 4],
    pub mentions: usize,
    pub written: usize,
    pub unchanged: usize,
    pub elapsed: Duration,
    pub diagnostics: Diagnostics,
}

impl BuildReport {
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// One line: pages, entities by kind, warnings, time.
    pub fn summary(&self, verb: &str) -> String {
        let [people, sources, claims, terms] = self.entities;
        format!(
            "{verb} {} pages ({} parts; {people} people, {sources} sources, {claims} claims, {terms} terms; {} mentions), {} warning{} in {:.0?}",
            self.pages,
            self.parts,
            self.mentions,
            self.diagnostics.warning_count(),
            if self.diagnostics.warning_count() == 1 {
                ""
            } else {
                "s"
            },
            self.elapsed
        )
    }
}

/// The edition and its rendered files, before writing.
pub struct Rendered {
    pub edition: Edition,
    pub files: Vec<OutFile>,
}

/// Runs the whole pipeline.
pub fn build(opts: &BuildOptions) -> BuildReport {
    let start = Instant::now();
    let mut report = BuildReport::default();
    let out = opts.out_dir();
    let checked = check_base_url(opts.base_url.as_deref()).and_then(|()| match opts.write {
        true => write::check_out_dir(&opts.root, &out),
        false => Ok(()),
    });
    if let Err(d) = checked {
        report.diagnostics.push(d);
        report.elapsed = start.elapsed();
        return report;
    }
    let rendered = load_and_render(opts, &mut report.diagnostics);
    if opts.strict {
        report.diagnostics.promote_warnings();
    }
    report.diagnostics.sort();
    if let Some(r) = &rendered {
        report.pages = r.files.iter().filter(|f| f.path.ends_with(".html")).count();
        report.files = r.files.len();
        report.parts = r.edition.parts.len();
        report.entities = Kind::ALL.map(|k| r.edition.count(k));
        report.mentions = r.edition.mentions.len();
    }
    if let (Some(r), true, false) = (&rendered, opts.write, report.diagnostics.has_errors()) {
        match write::write_site(&out, &r.files) {
            Ok(stats) => {
                report.written = stats.written;
                report.unchanged = stats.unchanged;
            }
            Err(d) => report.diagnostics.push(d),
        }
    }
    report.elapsed = start.elapsed();
    report
}

/// `--base-url` ends up in canonical links, Open Graph URLs and the sitemap,
/// which all need an absolute URL; anything else would make them relative.
pub fn check_base_url(base: Option<&str>) -> Result<(), Diagnostic> {
    let Some(base) = base else { return Ok(()) };
    let host = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
        .map(|rest| rest.split('/').next().unwrap_or(""));
    let bad_char = base
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '"' | '<' | '>'));
    match host {
        Some(h) if !h.is_empty() && !bad_char => Ok(()),
        _ => Err(Diagnostic::error(format!(
            "--base-url `{base}` is not an absolute http:// or https:// URL"
        ))
        .with_help("give the address the site will have, such as https://example.org/my-edition/; links between pages stay relative either way")),
    }
}

/// Load, parse, resolve and render; `None` if any stage failed.
pub fn load_and_render(opts: &BuildOptions, diags: &mut Diagnostics) -> Option<Rendered> {
    let (files, ds) = load::load_content(&opts.root);
    diags.extend(ds);
    let theme = match theme::load(&opts.root, &opts.theme) {
        Ok(t) => Some(t),
        Err(ds) => {
            diags.extend(ds);
            None
        }
    };
    let options = RenderOptions {
        base_url: opts.base_url.clone(),
        epub: opts.epub,
    };
    render_files(&files, theme.as_ref(), &options, diags)
}

/// Parse, resolve and render files already in memory. With no theme (it
/// failed to load) the content is still checked, so all errors are reported.
pub fn render_files(
    files: &[load::LoadedFile],
    theme: Option<&theme::Theme>,
    options: &RenderOptions,
    diags: &mut Diagnostics,
) -> Option<Rendered> {
    let (parsed, ds) = parse::parse_files(files);
    diags.extend(ds);
    let (edition, ds) = resolve::resolve(parsed);
    diags.extend(ds);
    let (edition, theme) = (edition?, theme?);
    if diags.has_errors() {
        return None;
    }
    let renderer = Renderer::new(&edition, theme, options);
    let (mut files, ds) = renderer.render_all();
    diags.extend(ds);
    drop(renderer);
    let (exported, ds) = export::files(&edition, options);
    files.extend(exported);
    diags.extend(ds);
    Some(Rendered { edition, files })
}

#[cfg(test)]
mod tests {
    use super::check_base_url;

    #[test]
    fn a_base_url_must_be_absolute() {
        for good in [
            "https://example.org",
            "http://localhost:8000/ed/",
            "https://x.org/a/b",
        ] {
            assert!(check_base_url(Some(good)).is_ok(), "{good}");
        }
        for bad in [
            "example.org",
            "/ed/",
            "https://",
            "ftp://x.org",
            "https://x.org/?a",
            "https://x .org",
        ] {
            assert!(check_base_url(Some(bad)).is_err(), "{bad}");
        }
        assert!(check_base_url(None).is_ok());
    }
}
