//! The pipeline: runs load → parse → resolve → render → write and gathers
//! every stage's diagnostics. `build` and `check` are the same run, but
//! `check` stops before writing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::drafts::{self, Drafts};
use crate::export;
use crate::files::{self, Files};
use crate::model::{Edition, EntityKind};
use crate::render::{OutFile, RenderOptions, Renderer};
use crate::theme::Theme;
use crate::{assets, load, parse, render, resolve, site_paths, theme, write};

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
    /// Also write every mention as a W3C Web Annotation, `annotations.jsonld`.
    pub web_annotations: bool,
    /// Build the drafts too (`serve` does, marking them).
    pub drafts: bool,
    /// The search page, its index scripts and the search box (`[search]
    /// enabled` in `glossator.toml`).
    pub search: bool,
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
            web_annotations: false,
            drafts: false,
            search: true,
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
    /// Entities by kind, in the order of [`EntityKind::ALL`].
    pub entities: [usize; EntityKind::ALL.len()],
    pub mentions: usize,
    pub written: usize,
    pub unchanged: usize,
    /// Drafts left out.
    pub drafts: usize,
    pub elapsed: Duration,
    pub diagnostics: Diagnostics,
}

impl BuildReport {
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// One line: pages, entities by kind, warnings, time.
    pub fn summary(&self, verb: &str) -> String {
        let entities: Vec<String> = (EntityKind::ALL.iter().zip(self.entities))
            .map(|(k, n)| counted(n, k.name(), k.folder()))
            .collect();
        format!(
            "{verb} {} ({}; {}; {}), {}{} in {:.0?}",
            counted(self.pages, "page", "pages"),
            counted(self.parts, "part", "parts"),
            entities.join(", "),
            counted(self.mentions, "mention", "mentions"),
            match self.drafts {
                0 => String::new(),
                n => format!("{} left out, ", counted(n, "draft", "drafts")),
            },
            counted(self.diagnostics.warning_count(), "warning", "warnings"),
            self.elapsed
        )
    }
}

/// `1 part`, `2 parts`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
    if let Err(d) = check_output(opts, opts.write) {
        report.diagnostics.push(d);
        report.elapsed = start.elapsed();
        return report;
    }
    // A file that cannot be copied does not stop the text from being
    // checked and rendered: every problem is reported, nothing is committed.
    // Finding the copied files walks `content/` a second time: beside the
    // text's stages rather than before them.
    let ((assets, asset_diags), resolved) = rayon::join(
        || assets::find(&opts.root),
        || load_and_resolve(opts, &mut report.diagnostics),
    );
    report.diagnostics.extend(asset_diags);
    let mut staging = None;
    if let Some((mut edition, theme, drafts)) = resolved {
        report.drafts = drafts.left_out;
        report.parts = edition.parts.len();
        report.entities = EntityKind::ALL.map(|k| edition.count(k));
        report.mentions = edition.mentions.len();
        let mut assets = assets;
        let options = render_options(opts);
        let (files, ds) = check_files(&mut edition, &theme, &options, &mut assets);
        report.diagnostics.extend(ds);
        let site = Site {
            edition: &edition,
            theme: &theme,
            assets: &assets,
            files: &files,
            drafts: &drafts,
        };
        staging = render_and_write(opts, &out, &site, &mut report);
    }
    settle(&mut report.diagnostics, opts.strict);
    let committed =
        staging.and_then(|s| commit_unless_failed(&mut report.diagnostics, || s.commit()));
    if let Some(stats) = committed {
        report.written = stats.written;
        report.unchanged = stats.unchanged;
    }
    report.elapsed = start.elapsed();
    report
}

/// Whether the run may write where it is asked to: `--base-url` must be
/// absolute, and the output folder, when written, must be glossator's.
pub(crate) fn check_output(opts: &BuildOptions, writes: bool) -> Result<(), Diagnostic> {
    check_base_url(opts.base_url.as_deref())?;
    match writes {
        true => write::check_out_dir(&opts.root, &opts.out_dir()),
        false => Ok(()),
    }
}

/// The checks of the files beside the text, once the edition is resolved and
/// the theme loaded: every image and file link must name a file of
/// `content/`, the style file (if any) is read into the edition, and no
/// copied file may take the place of a generated one. Returns the files of
/// `content/` that pages may point at.
pub(crate) fn check_files(
    edition: &mut Edition,
    theme: &Theme,
    options: &RenderOptions,
    assets: &mut Vec<assets::Asset>,
) -> (Files, Vec<Diagnostic>) {
    let generated = generated_paths(edition, theme, options);
    let files = Files::of(assets);
    let mut diags = files::check(edition, &files);
    diags.extend(files::read_style(edition, &files));
    let collisions = assets::collisions(assets, generated.iter().map(String::as_str));
    // Nothing is copied over a generated file, even into a site that will
    // not be committed.
    if !collisions.is_empty() {
        assets.clear();
    }
    diags.extend(collisions);
    (files, diags)
}

/// Puts a run's diagnostics in their final form, as every run reports them:
/// warnings are errors under `--strict`, what a file that failed to parse
/// breaks elsewhere is folded into its error, and the order is stage, file,
/// position.
pub(crate) fn settle(diags: &mut Diagnostics, strict: bool) {
    if strict {
        diags.promote_warnings();
    }
    diags.fold_cascades();
    diags.sort();
}

/// Writes the output with `commit` only if the settled diagnostics hold no
/// error: a failed run leaves the previous output as it was.
pub(crate) fn commit_unless_failed<T>(
    diags: &mut Diagnostics,
    commit: impl FnOnce() -> Result<T, Diagnostic>,
) -> Option<T> {
    if diags.has_errors() {
        return None;
    }
    match commit() {
        Ok(done) => Some(done),
        Err(d) => {
            diags.push(d);
            diags.sort();
            None
        }
    }
}

/// What the site is made from, once the edition is resolved.
struct Site<'a> {
    edition: &'a Edition,
    theme: &'a Theme,
    /// The files to copy, and those of `content/` that pages point at.
    assets: &'a [assets::Asset],
    files: &'a Files,
    /// The drafts shown, marked on their pages.
    drafts: &'a Drafts,
}

/// Renders every page and export and, for `build`, writes each into a
/// staging folder as soon as it is made, returned to be committed once the
/// diagnostics are settled. Dropping it without a commit leaves the previous
/// output as it was.
fn render_and_write(
    opts: &BuildOptions,
    out: &Path,
    site: &Site,
    report: &mut BuildReport,
) -> Option<write::Staging> {
    let Site {
        edition,
        theme,
        assets,
        files,
        drafts,
    } = *site;
    let staging = if opts.write {
        match write::Staging::begin(out) {
            Ok(s) => Some(s),
            Err(d) => {
                report.diagnostics.push(d);
                return None;
            }
        }
    } else {
        None
    };
    let put = |f: &OutFile| staging.as_ref().map_or(Ok(()), |s| s.put(f));
    let options = render_options(opts);
    // The exports and the copied files are more tasks beside the pages, so
    // the last pages and the exports finish together rather than one after
    // the other. annotations.jsonld, when asked for, points into the text of
    // the part pages, so it is made from them as they pass, and written once
    // they all have.
    let page_texts = export::web_annotations::PageTexts::default();
    let renderer = Renderer::new(edition, theme, &options)
        .with_files(files)
        .with_drafts(drafts);
    // The sources are formatted as one more task, on the other thread while
    // the first pages render, since the part pages (most of them) do not
    // show them.
    let (rendered, (_, (exported, copied))) = rayon::join(
        || {
            renderer.render_each(|f| {
                if options.web_annotations {
                    page_texts.observe(&f);
                }
                put(&f)
            })
        },
        || {
            rayon::join(
                || renderer.citations().order().len(),
                || {
                    rayon::join(
                        || write_exports(edition, &options, files, staging.as_ref()),
                        || {
                            staging
                                .as_ref()
                                .map_or(Ok(assets.len()), |s| assets::copy_all(assets, s))
                        },
                    )
                },
            )
        },
    );
    report.pages = rendered.pages;
    report.files = rendered.files + exported.0 + *copied.as_ref().unwrap_or(&0);
    report.diagnostics.extend(rendered.diagnostics);
    report.diagnostics.extend(exported.1);
    report.diagnostics.extend(copied.err());
    if let (Some(s), true) = (&staging, options.web_annotations) {
        report.files += 1;
        let path = site_paths::WEB_ANNOTATIONS;
        let streamed = s.put_stream(path, |w| page_texts.write(edition, &options, w));
        report.diagnostics.extend(streamed.err());
    }
    staging
}

/// Makes the export files and, for `build`, puts them into `staging`;
/// `annotations.json` is streamed. Returns how many files and the diagnostics.
fn write_exports(
    edition: &Edition,
    options: &RenderOptions,
    files: &Files,
    staging: Option<&write::Staging>,
) -> (usize, Vec<Diagnostic>) {
    let (exported, mut diags) = export::files_but_annotations(edition, options, files);
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

/// Every file the build generates, by site path: the pages and search
/// scripts, the theme's files, the exports and the output marker. A copied
/// file may take none of these places.
pub(crate) fn generated_paths(
    edition: &Edition,
    theme: &Theme,
    options: &RenderOptions,
) -> Vec<String> {
    let mut paths: Vec<String> = render::file_specs(edition, options)
        .into_iter()
        .map(|f| f.path(edition))
        .collect();
    paths.extend(
        (theme.static_files.keys())
            .filter(|p| render::theme_file_wanted(p, options))
            .map(|p| site_paths::static_file(p)),
    );
    let stem = export::epub::file_stem(edition);
    paths.extend(site_paths::exports(site_paths::Optional {
        base_url: options.base_url.is_some(),
        web_annotations: options.web_annotations,
        epub_stem: options.epub.then_some(stem.as_str()),
        tei_stem: (options.tei || edition.meta.tei).then_some(stem.as_str()),
    }));
    paths.push(site_paths::MARKER.into());
    paths
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
        .with_code(Code::BadBaseUrl)
        .with_help("give the address the site will have, such as https://example.org/my-edition/; links between pages stay relative either way")),
    }
}

pub(crate) fn render_options(opts: &BuildOptions) -> RenderOptions {
    RenderOptions {
        base_url: opts.base_url.clone(),
        epub: opts.epub,
        tei: opts.tei,
        web_annotations: opts.web_annotations,
        without_search: !opts.search,
    }
}

/// Load, parse and resolve, and load the theme; `None` if any stage failed.
/// Drafts are left out unless `opts.drafts`.
pub fn load_and_resolve(
    opts: &BuildOptions,
    diags: &mut Diagnostics,
) -> Option<(Edition, Theme, Drafts)> {
    let (files, ds) = load::load_content(&opts.root);
    diags.extend(ds);
    let theme = load_theme(opts, diags);
    // Without a content folder, parsing nothing would only add that
    // `_index.md` is missing: the same problem, reported twice.
    if !opts.root.join("content").is_dir() {
        return None;
    }
    let resolved = resolve_files(&files, opts.drafts, diags);
    let ((edition, drafts), theme) = (resolved?, theme?);
    (!diags.has_errors()).then_some((edition, theme, drafts))
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

/// Parse and resolve files already in memory, leaving out the drafts unless
/// `show_drafts`.
fn resolve_files(
    files: &[load::LoadedFile],
    show_drafts: bool,
    diags: &mut Diagnostics,
) -> Option<(Edition, Drafts)> {
    let (mut parsed, ds) = parse::parse_files(files);
    diags.extend(ds);
    let (drafts, ds) = drafts::apply(&mut parsed, show_drafts);
    diags.extend(ds);
    let (edition, ds) = resolve::resolve(parsed);
    diags.extend(ds);
    Some((edition?, drafts))
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
    let resolved = resolve_files(files, false, diags);
    let ((edition, _), theme) = (resolved?, theme?);
    if diags.has_errors() {
        return None;
    }
    let renderer = Renderer::new(&edition, theme, options);
    let (mut files, ds) = renderer.render_all();
    diags.extend(ds);
    drop(renderer);
    let page_texts = export::web_annotations::PageTexts::default();
    if options.web_annotations {
        files.iter().for_each(|f| page_texts.observe(f));
    }
    let (exported, ds) = export::files(&edition, options, &Files::EMPTY);
    files.extend(exported);
    if options.web_annotations {
        files.push(page_texts.file(&edition, options));
    }
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
