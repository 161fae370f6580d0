//! Resolve stage for the files copied beside the text: which files of
//! `content/` the site will hold (with each image's size, read from its
//! header by the `imagesize` crate), and the checks of every Markdown image
//! and link that points at one of them.
//!
//! A relative link or image source that is not a Markdown file names a file
//! of `content/`, relative to the Markdown file it is written in, just as a
//! link to a part does; the file is copied to the same relative path in the
//! site, so the rendered page links to `ROOT/path`.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Tag, TagEnd};
use rayon::prelude::*;

use crate::assets::{Asset, Origin};
use crate::codes::Code;
use crate::diagnostics::{Diagnostic, SourceText, did_you_mean};
use crate::markdown::{Body, Target};
use crate::model::{Edition, FrontImage};

/// The files of `content/` the site holds, by path relative to `content/`
/// (which is also their path in the site).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Files {
    by_path: BTreeMap<String, FileInfo>,
}

/// What the pages and the EPUB need to know about one copied file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FileInfo {
    /// Width and height in pixels, for an image whose header could be read.
    pub size: Option<(u32, u32)>,
    /// Where it is on disk, for the EPUB, which packs images in.
    pub path: std::path::PathBuf,
}

/// Extensions whose header `imagesize` reads; others are not images here.
const IMAGES: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "bmp", "ico", "tif", "tiff",
];

/// The media type of an image by its extension, for the EPUB and `og:image`.
pub fn image_media_type(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "avif" => "image/avif",
        _ => return None,
    })
}

impl Files {
    pub const EMPTY: Files = Files {
        by_path: BTreeMap::new(),
    };

    /// The files of `content/` among `assets`, with the size of each image
    /// (read in parallel: only each file's first bytes are read).
    pub fn of(assets: &[Asset]) -> Files {
        let by_path = assets
            .par_iter()
            .filter(|a| a.origin == Origin::Content)
            .map(|a| {
                let size = is_image(&a.rel)
                    .then(|| imagesize::size(&a.path).ok())
                    .flatten()
                    .and_then(|s| {
                        Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?))
                    });
                let path = a.path.clone();
                (a.rel.clone(), FileInfo { size, path })
            })
            .collect();
        Files { by_path }
    }

    pub fn get(&self, path: &str) -> Option<&FileInfo> {
        self.by_path.get(path)
    }

    /// Every image whose type the EPUB and `og:image` know, by path.
    pub fn images(&self) -> impl Iterator<Item = (&str, &FileInfo)> {
        (self.by_path.iter())
            .filter(|(p, _)| image_media_type(p).is_some())
            .map(|(p, f)| (p.as_str(), f))
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.by_path.keys().map(String::as_str)
    }
}

fn is_image(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| IMAGES.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The path relative to `content/` that `dest`, written in the Markdown file
/// at `from` (relative to `content/`), names, if it is a relative path to a
/// file: not a URL, not absolute, not a fragment, not Markdown. `Err` when
/// it climbs out of `content/`.
pub fn file_target(from: &str, dest: &str) -> Option<Result<String, ()>> {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let has_scheme = path.split_once(':').is_some_and(|(s, _)| !s.contains('/'));
    if path.is_empty() || has_scheme || path.starts_with('/') || path.ends_with(".md") {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Err(()));
                }
            }
            s => parts.push(s),
        }
    }
    Some(Ok(parts.join("/")))
}

/// The path relative to `content/` of the file a body is written in.
pub fn body_rel(source: &SourceText) -> &str {
    let path = source.display_path.as_str();
    path.strip_prefix("content/").unwrap_or(path)
}

/// Checks every image and every link to a file in the edition's Markdown:
/// a missing file is an error with a did-you-mean from the files beside it,
/// an image without alt text a warning.
pub fn check(edition: &Edition, files: &Files) -> Vec<Diagnostic> {
    let bodies = bodies(edition);
    let mut diags: Vec<Diagnostic> = bodies
        .par_iter()
        .flat_map_iter(|body| check_body(body, files))
        .collect();
    for image in front_images(edition) {
        diags.extend(check_front_image(image, files));
    }
    diags
}

/// Reads the edition's own CSL style, when `citation_style` names a `.csl`
/// file: it must be a file of `content/` (named relative to `_index.md`)
/// that is an independent CSL style, one that formats by itself rather than
/// pointing at another.
pub fn read_style(e: &mut Edition, files: &Files) -> Vec<Diagnostic> {
    let Some(style) = &mut e.meta.style_file else {
        return Vec::new();
    };
    let (name, source, span) = (
        &e.meta.citation_style,
        &style.origin.source,
        style.origin.span.clone(),
    );
    let from = body_rel(source);
    if let Some(d) = missing(from, name, files, source, span.clone(), "style") {
        return vec![d];
    }
    let Some(Ok(target)) = file_target(from, name) else {
        return vec![
            Diagnostic::error(format!("`{name}` is not a path to a file of the edition"))
                .at(source, span, "not a file of content/")
                .with_code(Code::UnknownStyle)
                .with_help("name a `.csl` file under `content/`, such as `styles/house.csl`"),
        ];
    };
    let path = &files.get(&target).expect("found above").path;
    let problem = match std::fs::read_to_string(path) {
        Err(err) => format!("cannot be read: {err}"),
        Ok(xml) => match hayagriva::citationberg::Style::from_xml(&xml) {
            Ok(hayagriva::citationberg::Style::Independent(_)) => {
                style.xml = Arc::from(xml);
                return Vec::new();
            }
            Ok(hayagriva::citationberg::Style::Dependent(_)) => {
                "is a dependent style, which only names another style".to_string()
            }
            Err(err) => format!("is not a CSL style: {err}"),
        },
    };
    vec![
        Diagnostic::error(format!("content/{target} {problem}"))
            .at(source, span, "this style")
            .with_code(Code::UnknownStyle)
            .with_help("name an independent CSL 1.0 style (a `<style class=…>` with its own `<bibliography>`), or a bundled style such as `chicago-author-date`"),
    ]
}

/// Every image named in front matter: the cover, the entities' images.
fn front_images(e: &Edition) -> impl Iterator<Item = &FrontImage> {
    let entities = e.entities().filter_map(|r| e.entity_image(r));
    e.meta.cover.iter().chain(entities)
}

/// The site path of an image named in front matter, if the path is one.
pub fn front_image_target(image: &FrontImage) -> Option<String> {
    file_target(body_rel(&image.origin.source), &image.path)?.ok()
}

fn check_front_image(image: &FrontImage, files: &Files) -> Vec<Diagnostic> {
    let from = body_rel(&image.origin.source);
    let (source, span) = (&image.origin.source, image.origin.span.clone());
    let mut diags = Vec::new();
    match file_target(from, &image.path) {
        None => diags.push(
            Diagnostic::error(format!(
                "`{}` is not a path to an image of the edition",
                image.path
            ))
            .at(source, span.clone(), "not a file of content/")
            .with_code(Code::MissingImage)
            .with_help(
                "name an image under `content/`, relative to this file, such as `portrait.jpg`",
            ),
        ),
        Some(_) => diags.extend(missing(
            from,
            &image.path,
            files,
            source,
            span.clone(),
            "image",
        )),
    }
    if diags.is_empty() && image_media_type(&image.path).is_none() {
        diags.push(
            Diagnostic::error(format!(
                "`{}` is not an image glossator can show",
                image.path
            ))
            .at(source, span.clone(), "unknown image type")
            .with_code(Code::MissingImage)
            .with_help("use a PNG, JPEG, GIF, WebP, AVIF or SVG file"),
        );
    }
    if image.alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
        diags.push(
            Diagnostic::warning("image without alt text")
                .at(source, span, "no alt text")
                .with_code(Code::ImageWithoutAlt)
                .with_help("describe the image in `cover_alt:` (or `image_alt:`) for readers who cannot see it"),
        );
    }
    diags
}

/// Every Markdown body of the edition.
fn bodies(e: &Edition) -> Vec<&Body> {
    let mut all: Vec<&Body> = vec![&e.meta.preface];
    all.extend(e.parts.iter().map(|p| &p.body));
    all.extend(e.pages.iter().map(|p| &p.body));
    all.extend(e.entities().map(|r| e.entity_note(r)));
    all
}

fn check_body(body: &Body, files: &Files) -> Vec<Diagnostic> {
    let from = body_rel(&body.source);
    let mut diags = Vec::new();
    for link in &body.links {
        if let Target::External(dest) = &link.target
            && let Some(d) = missing(from, dest, files, &body.source, link.span.clone(), "link")
        {
            diags.push(d);
        }
    }
    // Images are not kept by parse, which notes only whether there are any:
    // most bodies have none, and only the others are parsed again.
    if !body.has_images {
        return diags;
    }
    for image in images(body) {
        if let Some(d) = missing(
            from,
            &image.dest,
            files,
            &body.source,
            image.span.clone(),
            "image",
        ) {
            diags.push(d);
        }
        if image.alt.trim().is_empty() {
            diags.push(
                Diagnostic::warning("image without alt text")
                    .at(&body.source, image.span, "empty alt text")
                    .with_code(Code::ImageWithoutAlt)
                    .with_help("describe the image between the brackets, `![A map of the Gulf](map.png)`, for readers who cannot see it"),
            );
        }
    }
    diags
}

/// An image of a body, as written.
struct Image {
    dest: String,
    alt: String,
    span: Range<usize>,
}

fn images(body: &Body) -> Vec<Image> {
    let (events, spans) = body.events_and_spans();
    let mut out: Vec<Image> = Vec::new();
    let mut open: Option<Image> = None;
    for (event, span) in events.iter().zip(spans) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                open = Some(Image {
                    dest: dest_url.to_string(),
                    alt: String::new(),
                    span,
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(image) = open.as_mut() {
                    image.alt.push_str(t);
                }
            }
            Event::End(TagEnd::Image) => out.extend(open.take()),
            _ => {}
        }
    }
    out
}

/// The error for `dest` if it names a file of `content/` that is not there.
fn missing(
    from: &str,
    dest: &str,
    files: &Files,
    source: &Arc<SourceText>,
    span: Range<usize>,
    what: &str,
) -> Option<Diagnostic> {
    let target = match file_target(from, dest)? {
        Ok(target) if files.get(&target).is_some() => return None,
        Ok(target) => target,
        Err(()) => {
            return Some(
                Diagnostic::error(format!("{what} `{dest}` points outside `content/`"))
                    .at(source, span, "outside the edition")
                    .with_code(Code::FileOutsideContent)
                    .with_help(
                        "put the file under `content/` and link to it relative to this file",
                    ),
            );
        }
    };
    let d = Diagnostic::error(format!(
        "{what} `{dest}` names content/{target}, which does not exist"
    ))
    .at(source, span, "missing file")
    .with_code(if what == "image" {
        Code::MissingImage
    } else {
        Code::MissingFile
    });
    Some(match suggest(&target, files) {
        Some(best) => d.with_help(format!("did you mean `{}`?", relative_to(from, best))),
        None => d.with_help("put the file under `content/`, at that path relative to this file"),
    })
}

/// The file most like `target`: by name among the files in its folder,
/// else by path among all.
fn suggest<'f>(target: &str, files: &'f Files) -> Option<&'f str> {
    let folder = |p: &str| p.rsplit_once('/').map_or("", |(f, _)| f).to_string();
    let name = |p: &'f str| p.rsplit('/').next().unwrap_or(p);
    let nearby: Vec<&str> = files
        .paths()
        .filter(|p| folder(p) == folder(target))
        .collect();
    let target_name = target.rsplit('/').next().unwrap_or(target);
    did_you_mean(target_name, nearby.iter().map(|p| name(p)))
        .and_then(|best| nearby.iter().copied().find(|p| name(p) == best))
        .or_else(|| did_you_mean(target, files.paths()))
}

/// `path` (relative to `content/`) as a link written in the file `from`.
fn relative_to(from: &str, path: &str) -> String {
    let depth = from.matches('/').count();
    let from_dir: Vec<&str> = from.split('/').take(depth).collect();
    let target: Vec<&str> = path.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&target)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dir.len() - common);
    out.push_str(&target[common..].join("/"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_targets_are_relative_to_the_file_they_are_written_in() {
        assert_eq!(
            file_target("01-a.md", "img/map.png"),
            Some(Ok("img/map.png".into()))
        );
        assert_eq!(
            file_target("people/x.md", "x.jpg"),
            Some(Ok("people/x.jpg".into()))
        );
        assert_eq!(
            file_target("people/x.md", "../img/a.png#top"),
            Some(Ok("img/a.png".into()))
        );
        assert_eq!(file_target("01-a.md", "../secret"), Some(Err(())));
        for not_a_file in [
            "https://x.org/a.png",
            "/abs.png",
            "02-b.md",
            "#p1",
            "mailto:a@b.c",
            "",
        ] {
            assert_eq!(file_target("01-a.md", not_a_file), None, "{not_a_file}");
        }
    }

    #[test]
    fn suggestions_are_written_relative_to_the_file() {
        assert_eq!(relative_to("01-a.md", "img/map.png"), "img/map.png");
        assert_eq!(relative_to("people/x.md", "people/x.jpg"), "x.jpg");
        assert_eq!(relative_to("people/x.md", "img/a.png"), "../img/a.png");
    }

    #[test]
    fn media_types_by_extension() {
        assert_eq!(image_media_type("a/b.JPG"), Some("image/jpeg"));
        assert_eq!(image_media_type("a.svg"), Some("image/svg+xml"));
        assert_eq!(image_media_type("a.pdf"), None);
    }
}
