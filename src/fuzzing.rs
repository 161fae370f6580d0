//! Entry points shared by the fuzz targets (`fuzz/`) and the regression test
//! that replays the inputs they found (`tests/fixtures/fuzz-regressions/`).
//! Each takes arbitrary bytes and must return without panicking.

use std::path::Path;
use std::sync::OnceLock;

use crate::build::render_files;
use crate::diagnostics::{Diagnostics, SourceText};
use crate::frontmatter;
use crate::kinds::EntityKind;
use crate::load::{FileKind, LoadedFile};
use crate::markdown::{ParseOptions, parse_body};
use crate::raw::{
    RawClaim, RawIndex, RawOrganisation, RawPart, RawPerson, RawPlace, RawSource, RawTerm,
};
use crate::theme::{self, Theme};

/// Front-matter splitting and YAML parsing into every raw type.
pub fn frontmatter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceText::new("content/fuzz.md", text.to_string());
    let Ok(split) = frontmatter::split(&source) else {
        return;
    };
    let _ = frontmatter::parse::<RawIndex>(&source, &split);
    let _ = frontmatter::parse::<RawPart>(&source, &split);
    let _ = frontmatter::parse::<RawPerson>(&source, &split);
    let _ = frontmatter::parse::<RawSource>(&source, &split);
    let _ = frontmatter::parse::<RawClaim>(&source, &split);
    let _ = frontmatter::parse::<RawTerm>(&source, &split);
    let _ = frontmatter::parse::<RawPlace>(&source, &split);
    let _ = frontmatter::parse::<RawOrganisation>(&source, &split);
}

/// Markdown bodies with mention links: parsing, link classification, footnotes.
pub fn mentions(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceText::new("content/01-fuzz.md", text.to_string());
    let len = source.text.len();
    for allow_html in [false, true] {
        let (body, _) = parse_body(
            &source,
            0..len,
            ParseOptions {
                number_paragraphs: true,
                allow_html,
            },
        );
        for link in &body.links {
            assert!(
                link.start < link.end && link.end < body.event_count,
                "link events out of order"
            );
        }
    }
}

/// A whole file as a part, through parse, resolve and render beside a small
/// valid edition.
pub fn render_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = |rel: &str, kind: FileKind, text: String| LoadedFile {
        rel: rel.into(),
        kind,
        source: SourceText::new(format!("content/{rel}"), text),
    };
    let files = [
        file(
            "_index.md",
            FileKind::Index,
            "---\ntitle: Fuzz\n---\nPreface.\n".into(),
        ),
        file(
            "people/crocker.md",
            FileKind::Entity(EntityKind::Person),
            "---\nname: Ryan Crocker\ndescription: A diplomat.\n---\n".into(),
        ),
        file("01-fuzz.md", FileKind::Part, text.to_string()),
    ];
    let mut diags = Diagnostics::default();
    let _ = render_files(
        &files,
        Some(default_theme()),
        &Default::default(),
        &mut diags,
    );
}

/// The embedded default theme, compiled once.
fn default_theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        theme::load(Path::new("/nonexistent"), "default").expect("the embedded theme loads")
    })
}
