//! Load stage, before `content/`: the edition's optional `glossator.toml`,
//! and how it meets the command line.
//!
//! The file is one typed struct read with the `toml` crate, which keeps each
//! value's byte span, so a misspelt key or a value of the wrong type is an
//! error at `glossator.toml:line:col` with a did-you-mean. A missing file means
//! today's defaults. Flags given on the command line win over the file
//! ([`Flags::over`]), as in mdBook and Zola.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::build::BuildOptions;
use crate::codes::Code;
use crate::diagnostics::{Diagnostic, SourceText};

/// The file's name, at the edition root.
pub const FILE: &str = "glossator.toml";

/// A config file is a few lines; anything this large is not one.
const MAX_BYTES: u64 = 1024 * 1024;

/// The settings of an edition, `glossator.toml` at its root. Every key is
/// optional; a flag given on the command line wins over the value here.
// New settings are added here as keys of this one struct, so the file stays
// one typed value with one schema.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The site's public URL, such as `https://example.org/my-edition/`: used
    /// for canonical links, Open Graph URLs, `sitemap.xml` and `robots.txt`.
    /// Links between pages stay relative either way. `--base-url` wins.
    pub base_url: Option<String>,
    /// The theme: a folder under `themes/`, or the built-in `default`.
    /// `--theme` wins.
    pub theme: String,
    /// The output folder, relative to the edition folder. `--out` wins.
    pub output: PathBuf,
    /// Also write the edition as an EPUB 3 book, `SLUG.epub`. `--epub` turns
    /// it on too.
    pub epub: bool,
    /// Also write the edition as TEI P5, `SLUG.tei.xml`. `--tei` turns it on
    /// too.
    pub tei: bool,
    /// Also write every mention as a W3C Web Annotation, `annotations.jsonld`.
    /// Off by default: its selectors need the text of every part page, which
    /// costs the build time. `--web-annotations` turns it on too.
    pub web_annotations: bool,
    /// Treat warnings as errors. `--strict` turns it on too.
    pub strict: bool,
    /// Build the parts and entities marked `draft: true` too. `--drafts`
    /// turns it on too; `serve` always shows them, marked.
    pub drafts: bool,
    /// The client-side search.
    pub search: SearchConfig,
}

/// `[search]` in `glossator.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// The search page, its index scripts and the search box on every page.
    /// `false` leaves them all out.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: None,
            theme: "default".into(),
            output: PathBuf::from("site"),
            epub: false,
            tei: false,
            web_annotations: false,
            strict: false,
            drafts: false,
            search: SearchConfig::default(),
        }
    }
}

/// What the command line said; `None` and `false` where a flag was not given,
/// so the file decides.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub theme: Option<String>,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub epub: bool,
    pub tei: bool,
    pub web_annotations: bool,
    pub strict: bool,
    pub drafts: bool,
}

impl Flags {
    /// The options of a run over the edition at `root`: each flag given wins
    /// over the file's value, which wins over the default. `write` is false
    /// for `check`.
    pub fn over(self, config: Config, root: &Path, write: bool) -> BuildOptions {
        BuildOptions {
            out: Some(self.out.unwrap_or_else(|| root.join(&config.output))),
            root: root.to_path_buf(),
            theme: self.theme.unwrap_or(config.theme),
            base_url: self.base_url.or(config.base_url),
            strict: self.strict || config.strict,
            write,
            epub: self.epub || config.epub,
            tei: self.tei || config.tei,
            web_annotations: self.web_annotations || config.web_annotations,
            drafts: self.drafts || config.drafts,
            search: config.search.enabled,
        }
    }
}

/// The edition folder on the command line of `build`, `check` and `serve`:
/// a positional argument, as in mdBook, or `--root`, which came first.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct EditionArg {
    /// The edition folder, the one that holds `content/` (default: the
    /// current folder).
    #[arg(value_name = "DIR", conflicts_with = "root")]
    pub dir: Option<PathBuf>,
    /// The edition folder, as DIR.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

impl EditionArg {
    pub fn root(&self) -> PathBuf {
        self.dir
            .clone()
            .or_else(|| self.root.clone())
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

/// Reads `ROOT/glossator.toml`; the defaults when there is none.
pub fn read(root: &Path) -> Result<Config, Diagnostic> {
    let path = root.join(FILE);
    let shown = Path::new(FILE);
    let cannot = |e: std::io::Error| {
        Diagnostic::error(format!("cannot read {FILE}: {e}"))
            .with_code(Code::BadConfig)
            .in_file(shown)
    };
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(cannot(e)),
    };
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return Err(
            Diagnostic::error(format!("{FILE} is not a configuration file"))
                .with_code(Code::BadConfig)
                .with_help(format!(
                    "{FILE} must be a regular TOML file under {MAX_BYTES} bytes"
                ))
                .in_file(shown),
        );
    }
    let bytes = std::fs::read(&path).map_err(cannot)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Diagnostic::error(format!("{FILE} is not UTF-8"))
            .with_code(Code::BadConfig)
            .with_help("save the file as UTF-8")
            .in_file(shown)
    })?;
    parse(&SourceText::new(FILE, text))
}

/// Parses the text of a config file; errors point into `source`.
pub fn parse(source: &Arc<SourceText>) -> Result<Config, Diagnostic> {
    toml::from_str(&source.text).map_err(|e| error_at(source, &e))
}

/// A TOML or type error as a diagnostic at its place in the file, with a
/// did-you-mean for a misspelt key.
fn error_at(source: &Arc<SourceText>, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim_end().trim_end_matches('.');
    let (message, help) = crate::frontmatter::explain(message);
    let help = help
        .unwrap_or_else(|| "see `glossator schema config` for every key and its type".to_string());
    let d = Diagnostic::error(message)
        .with_code(Code::BadConfig)
        .with_help(help);
    match e.span() {
        Some(span) => d.at(source, span, "here"),
        None => d.in_file(Path::new(FILE)),
    }
}

/// The text `glossator new` writes: every key, commented, at its default.
pub fn commented_default() -> String {
    "\
# glossator.toml: settings of this edition. Every key is optional; a flag
# given on the command line wins over the value here.
# `glossator schema config` prints the JSON Schema of this file.

# The public URL of the site (canonical links, Open Graph, sitemap.xml,
# robots.txt). Links between pages are relative either way.
# base_url = \"https://example.org/my-edition/\"

# A folder under themes/ (see `glossator theme eject`), or the built-in one.
theme = \"default\"

# Where the site is written, relative to this folder.
output = \"site\"

# Also write the edition as an EPUB 3 book, SLUG.epub beside the pages.
epub = false
# Also write the edition as TEI P5, SLUG.tei.xml beside the pages.
tei = false
# Also write every mention as a W3C Web Annotation, annotations.jsonld
# (it scans every part page, so it is off by default).
web_annotations = false

# Treat warnings (an unmentioned entity, an image without alt text) as errors.
strict = false

# Build the parts, sections and entities marked `draft: true` too (serve
# always shows them, marked as drafts).
drafts = false

# The search page, its index scripts and the search box on every page;
# `enabled = false` leaves them all out.
[search]
enabled = true
"
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Config, Diagnostic> {
        parse(&SourceText::new(FILE, text.to_string()))
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        assert_eq!(parsed("").unwrap(), Config::default());
    }

    #[test]
    fn the_commented_default_reads_back_as_the_defaults() {
        assert_eq!(parsed(&commented_default()).unwrap(), Config::default());
    }

    #[test]
    fn search_is_on_unless_the_search_table_says_otherwise() {
        assert!(parsed("").unwrap().search.enabled);
        assert!(parsed("[search]\n").unwrap().search.enabled);
        assert!(
            !parsed("[search]\nenabled = false\n")
                .unwrap()
                .search
                .enabled
        );
        let opts = Flags::default().over(
            parsed("[search]\nenabled = false\n").unwrap(),
            Path::new("."),
            true,
        );
        assert!(!opts.search);
    }

    #[test]
    fn keys_are_read() {
        let c = parsed("base_url = \"https://x.org/\"\ntheme = \"t\"\noutput = \"public\"\nepub = true\nstrict = true\n").unwrap();
        assert_eq!(c.base_url.as_deref(), Some("https://x.org/"));
        assert_eq!(
            (c.theme.as_str(), c.output.as_path()),
            ("t", Path::new("public"))
        );
        assert!(c.epub && c.strict);
    }

    #[test]
    fn an_unknown_key_is_located_with_a_suggestion() {
        let d = parsed("epub = true\nbase_ur = \"https://x.org/\"\n").unwrap_err();
        assert!(
            d.headline()
                .starts_with("glossator.toml:2:1: error: unknown field `base_ur`"),
            "{}",
            d.headline()
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `base_url`?"));
    }

    #[test]
    fn a_wrong_type_points_at_the_value() {
        let d = parsed("strict = \"yes\"\n").unwrap_err();
        assert!(
            d.headline()
                .starts_with("glossator.toml:1:10: error: invalid type: string"),
            "{}",
            d.headline()
        );
    }

    #[test]
    fn flags_win_over_the_file() {
        let file =
            parsed("theme = \"a\"\noutput = \"public\"\nbase_url = \"https://x.org/\"\n").unwrap();
        let root = Path::new("ed");
        let plain = Flags::default().over(file.clone(), root, true);
        assert_eq!(plain.theme, "a");
        assert_eq!(plain.out.as_deref(), Some(Path::new("ed/public")));
        assert_eq!(plain.base_url.as_deref(), Some("https://x.org/"));
        let flags = Flags {
            theme: Some("b".into()),
            out: Some("elsewhere".into()),
            base_url: Some("https://y.org/".into()),
            epub: true,
            tei: true,
            web_annotations: true,
            strict: true,
            drafts: true,
        };
        let o = flags.over(file, root, true);
        assert_eq!(o.theme, "b");
        assert_eq!(o.out.as_deref(), Some(Path::new("elsewhere")));
        assert_eq!(o.base_url.as_deref(), Some("https://y.org/"));
        assert!(o.epub && o.tei && o.web_annotations && o.strict && o.drafts);
    }
}
