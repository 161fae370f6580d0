//! The pipeline: runs load → parse → resolve → render → write and gathers
//! every stage's diagnostics. `build` and `check` are the same run, but
//! `check` stops before writing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::export;
use crate::model::{Edition, Kind};
use crate::render::{OutFile, RenderOptions, Renderer};
use crate::theme::Theme;
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
    /// Also write the edition as TEI P5.
    pub tei: bool,
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
            tei: false,
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

/// Runs the whole pipeline. Each page is written as soon as it is rendered,
/// into a temporary folder that replaces the output only if nothing failed,
/// so memory holds the model and a few pages in flight, never the whole site.
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
    if let Some((edition, theme)) = load_and_resolve(opts, &mut report.diagnostics) {
        report.parts = edition.parts.len();
        report.entities = Kind::ALL.map(|k| edition.count(k));
        report.mentions = edition.mentions.len();
        render_and_write(opts, &out, &edition, &theme, &mut report);
    } else if opts.strict {
        report.diagnostics.promote_warnings();
    }
    report.diagnostics.sort();
    report.elapsed = start.elapsed();
    report
}

/// Renders every page and export and, for `build`, writes each into a
/// staging folder as soon as it is made; commits it only if nothing failed
/// (warnings count under `--strict`). Dropping the staging folder without a
/// commit leaves the previous output as it was.
fn render_and_write(
    opts: &BuildOptions,
    out: &Path,
    edition: &Edition,
    theme: &Theme,
    report: &mut BuildReport,
) {
    let staging = if opts.write {
        match write::Staging::begin(out) {
            Ok(s) => Some(s),
            Err(d) => {
                report.diagnostics.push(d);
                return;
            }
        }
    } else {
        None
    };
    let put = |f: &OutFile| staging.as_ref().map_or(Ok(()), |s| s.put(f));
    let options = render_options(opts);
    // The exports are one more task beside the pages, so the last pages and
    // the exports finish together rather than one after the other.
    // annotations.jsonld points into the text of the part pages, so it is
    // made from them as they pass, and written once they all have.
    let page_texts = export::web_annotations::PageTexts::default();
    let (rendered, exported) = rayon::join(
        || {
            Renderer::new(edition, theme, &options).render_each(|f| {
                page_texts.observe(&f);
                put(&f)
            })
        },
        || write_exports(edition, &options, staging.as_ref()),
    );
    report.pages = rendered.pages;
    report.files = rendered.files + exported.0 + 1;
    report.diagnostics.extend(rendered.diagnostics);
    report.diagnostics.extend(exported.1);
    if let Some(s) = &staging {
        let path = export::web_annotations::PATH;
        let streamed = s.put_stream(path, |w| page_texts.write(edition, &options, w));
        report.diagnostics.extend(streamed.err());
    }
    if opts.strict {
        report.diagnostics.promote_warnings();
    }
    if let (Some(s), false) = (staging, report.diagnostics.has_errors()) {
        match s.commit() {
            Ok(stats) => {
                report.written = stats.written;
                report.unchanged = stats.unchanged;
            }
            Err(d) => report.diagnostics.push(d),
        }
    }
}

/// Makes the export files and, for `build`, puts them into `staging`;
/// `annotations.json` is streamed. Returns how many files and the diagnostics.
fn write_exports(
    edition: &Edition,
    options: &RenderOptions,
    staging: Option<&write::Staging>,
) -> (usize, Vec<Diagnostic>) {
    let (exported, mut diags) = export::files_but_annotations(edition, options);
    let Some(staging) = staging else {
        return (exported.len() + 1, diags);
    };
    let streamed = staging.put_stream(export::annotations::PATH, |w| {
        export::annotations::write_json(edition, w)
    });
    let written = exported.iter().try_for_each(|f| staging.put(f));
    diags.extend(streamed.err());
    diags.extend(written.err());
    (exported.len() + 1, diags)
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

pub(crate) fn render_options(opts: &BuildOptions) -> RenderOptions {
    RenderOptions {
        base_url: opts.base_url.clone(),
        epub: opts.epub,
        tei: opts.tei,
    }
}

/// Load, parse and resolve, and load the theme; `None` if any stage failed.
pub fn load_and_resolve(opts: &BuildOptions, diags: &mut Diagnostics) -> Option<(Edition, Theme)> {
    let (files, ds) = load::load_content(&opts.root);
    diags.extend(ds);
    let theme = load_theme(opts, diags);
    let edition = resolve_files(&files, diags);
    let (edition, theme) = (edition?, theme?);
    (!diags.has_errors()).then_some((edition, theme))
}

fn load_theme(opts: &BuildOptions, diags: &mut Diagnostics) -> Option<Theme> {
    match theme::load(&opts.root, &opts.theme) {
        Ok(t) => Some(t),
        Err(ds) => {
            diags.extend(ds);
            None
        }
    }
}

/// Parse and resolve files already in memory.
fn resolve_files(files: &[load::LoadedFile], diags: &mut Diagnostics) -> Option<Edition> {
    let (parsed, ds) = parse::parse_files(files);
    diags.extend(ds);
    let (edition, ds) = resolve::resolve(parsed);
    diags.extend(ds);
    edition
}

/// Load, parse, resolve and render into memory; `None` if any stage failed.
pub fn load_and_render(opts: &BuildOptions, diags: &mut Diagnostics) -> Option<Rendered> {
    let (files, ds) = load::load_content(&opts.root);
    diags.extend(ds);
    let theme = load_theme(opts, diags);
    render_files(&files, theme.as_ref(), &render_options(opts), diags)
}

/// Parse, resolve and render files already in memory. With no theme (it
/// failed to load) the content is still checked, so all errors are reported.
pub fn render_files(
    files: &[load::LoadedFile],
    theme: Option<&theme::Theme>,
    options: &RenderOptions,
    diags: &mut Diagnostics,
) -> Option<Rendered> {
    let edition = resolve_files(files, diags);
    let (edition, theme) = (edition?, theme?);
    if diags.has_errors() {
        return None;
    }
    let renderer = Renderer::new(&edition, theme, options);
    let (mut files, ds) = renderer.render_all();
    diags.extend(ds);
    drop(renderer);
    let page_texts = export::web_annotations::PageTexts::default();
    files.iter().for_each(|f| page_texts.observe(f));
    let (exported, ds) = export::files(&edition, options);
    files.extend(exported);
    files.push(page_texts.file(&edition, options));
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
