//! Export: the edition as an EPUB 3 book (`--epub`).
//!
//! The reading text comes first, one XHTML document per part, with its notes
//! as EPUB footnotes: the first mention of an entity in a part and each
//! Markdown footnote reference is a `noteref` to an `aside` at the end of the
//! part, as in the site's footnote glossary. The editor's pages follow, then
//! one appendix per kind of entity, then the navigation document lists it all.
//!
//! Bodies are rewritten from their Markdown events, not taken from the site's
//! HTML: a book needs well-formed XHTML, links between its own documents, and
//! no scripts or form controls. Raw HTML and images are reduced to their text,
//! since a reader cannot fetch remote images and raw HTML may not be XML.
//!
//! `book` lays out the documents, `xhtml` rewrites Markdown into them;
//! this module writes the package and the navigation document and zips it all.

mod book;
mod layout;
mod xhtml;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use book::Book;
use layout::Layout;
use xhtml::{xml, xml_chars};

use crate::diagnostics::{Code, Diagnostic};
use crate::files::Files;
use crate::markdown::slugify;
use crate::model::{Edition, EntityKind, Item};
use crate::render::esc;

/// Where the book's documents live inside the container.
const DIR: &str = "EPUB";

/// The book's file name without `.epub`: the edition's title as a slug.
pub fn file_stem(e: &Edition) -> String {
    let s = slugify(&e.meta.title);
    if s.is_empty() { "edition".into() } else { s }
}

/// One document of the book.
struct Doc {
    /// File name inside [`DIR`].
    name: String,
    title: String,
    xhtml: String,
}

/// The whole book as the bytes of an EPUB (zip) file.
pub fn write_epub(e: &Edition, copied: &Files) -> Result<Vec<u8>, Diagnostic> {
    let images = images(copied);
    let docs = documents(e, &images);
    let mut files = container_files(e, &docs, &images);
    for (target, image) in &images {
        let bytes = std::fs::read(&image.source).map_err(|err| {
            Diagnostic::error(format!("cannot read content/{target} for the EPUB: {err}"))
                .with_code(Code::EpubFailed)
        })?;
        files.push((format!("{DIR}/{}", image.href), bytes));
    }
    zip_files(&files).map_err(|err| {
        Diagnostic::error(format!("cannot write the EPUB: {err}")).with_code(Code::EpubFailed)
    })
}

/// An image of `content/` packed into the book.
pub(super) struct Image {
    /// Its name inside the book, `images/N.EXT`: content paths may hold
    /// characters a book's file names may not.
    pub(super) href: String,
    media_type: &'static str,
    source: std::path::PathBuf,
}

/// The images of the book, by their path relative to `content/`: every
/// image the edition holds whose type a reading system shows.
pub(super) type Images = BTreeMap<String, Image>;

fn images(copied: &Files) -> Images {
    (copied.images())
        .enumerate()
        .filter_map(|(n, (path, info))| {
            let media_type = crate::files::image_media_type(path)?;
            let ext = path
                .rsplit_once('.')
                .map_or("", |(_, x)| x)
                .to_ascii_lowercase();
            Some((
                path.to_string(),
                Image {
                    href: format!("images/{}.{ext}", n + 1),
                    media_type,
                    source: info.path.clone(),
                },
            ))
        })
        .collect()
}

/// Every document of the book, in reading order.
fn documents(e: &Edition, images: &Images) -> Vec<Doc> {
    let book = Book {
        e,
        images,
        layout: Layout { e },
    };
    let mut docs = vec![book.title_page()];
    let mut reading = Vec::new();
    reading_order(e, &e.contents, &mut reading);
    docs.extend(reading.into_iter().map(|item| match item {
        Item::Part(i) => book.part(i.index()),
        Item::Section(i) => book.section(i.index()),
    }));
    docs.extend((0..e.pages.len()).map(|i| book.page(i)));
    docs.extend(
        EntityKind::ALL
            .into_iter()
            .filter(|&k| e.count(k) > 0)
            .map(|k| book.appendix(k)),
    );
    docs
}

/// The parts and sections, depth first: each section before what it holds.
fn reading_order(e: &Edition, items: &[Item], out: &mut Vec<Item>) {
    for &item in items {
        out.push(item);
        if let Item::Section(s) = item {
            reading_order(e, &e[s].items, out);
        }
    }
}

/// Each file of the container, by path; the `mimetype` comes first.
fn container_files(e: &Edition, docs: &[Doc], images: &Images) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        ("mimetype".to_string(), b"application/epub+zip".to_vec()),
        (
            "META-INF/container.xml".into(),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n  <rootfiles>\n    <rootfile full-path=\"{DIR}/package.opf\" media-type=\"application/oebps-package+xml\"/>\n  </rootfiles>\n</container>\n"
            )
            .into_bytes(),
        ),
        (format!("{DIR}/package.opf"), package(e, docs, images).into_bytes()),
        (format!("{DIR}/nav.xhtml"), nav(e, docs).into_bytes()),
        (format!("{DIR}/style.css"), STYLE.as_bytes().to_vec()),
    ];
    files.extend(
        docs.iter()
            .map(|d| (format!("{DIR}/{}", d.name), d.xhtml.clone().into_bytes())),
    );
    files
}

fn zip_files(files: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (i, (path, bytes)) in files.iter().enumerate() {
        // The mimetype must be the first entry, stored uncompressed.
        let method = if i == 0 {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        zip.start_file(
            path.as_str(),
            SimpleFileOptions::default().compression_method(method),
        )?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The package document: metadata, the manifest of files, the reading order.
fn package(e: &Edition, docs: &[Doc], images: &Images) -> String {
    let m = &e.meta;
    let mut meta = format!(
        "    <dc:identifier id=\"uid\">urn:glossator:{}</dc:identifier>\n    <dc:title>{}</dc:title>\n    <dc:language>{}</dc:language>\n    <meta property=\"dcterms:modified\">{}</meta>\n",
        esc(&file_stem(e)),
        xml(&m.title),
        xml(&m.language),
        modified()
    );
    for (role, name) in [("creator", &m.author), ("contributor", &m.editor)] {
        if let Some(n) = name {
            let _ = writeln!(meta, "    <dc:{role}>{}</dc:{role}>", xml(n));
        }
    }
    if let Some(l) = &m.license {
        let _ = writeln!(meta, "    <dc:rights>{}</dc:rights>", xml(l));
    }
    if let Some(s) = &m.subtitle {
        let _ = writeln!(meta, "    <dc:description>{}</dc:description>", xml(s));
    }
    let mut manifest = String::from(
        "    <item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n    <item id=\"style\" href=\"style.css\" media-type=\"text/css\"/>\n",
    );
    let cover = (m.cover.as_ref()).and_then(crate::files::front_image_target);
    for (target, image) in images {
        let is_cover = cover.as_deref() == Some(target.as_str());
        let _ = writeln!(
            manifest,
            "    <item id=\"{}\" href=\"{}\" media-type=\"{}\"{}/>",
            image.href.replace(['/', '.'], "-"),
            esc(&image.href),
            image.media_type,
            if is_cover {
                " properties=\"cover-image\""
            } else {
                ""
            }
        );
    }
    let mut spine = String::new();
    for (i, d) in docs.iter().enumerate() {
        let _ = writeln!(
            manifest,
            "    <item id=\"d{i}\" href=\"{}\" media-type=\"application/xhtml+xml\"/>",
            esc(&d.name)
        );
        let _ = writeln!(spine, "    <itemref idref=\"d{i}\"/>");
        if i == 0 {
            spine.push_str("    <itemref idref=\"nav\"/>\n");
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"uid\" xml:lang=\"{}\">\n  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n{meta}  </metadata>\n  <manifest>\n{manifest}  </manifest>\n  <spine>\n{spine}  </spine>\n</package>\n",
        esc(&m.language)
    )
}

/// The navigation document: the table of contents, each section's parts
/// and sections in a list of its own.
fn nav(e: &Edition, docs: &[Doc]) -> String {
    let reading = e.parts.len() + e.sections.len();
    let mut items = String::new();
    let entry = |items: &mut String, d: &Doc| {
        let _ = writeln!(
            items,
            "      <li><a href=\"{}\">{}</a></li>",
            esc(&d.name),
            xml(&d.title)
        );
    };
    for d in docs.iter().take(1) {
        entry(&mut items, d);
    }
    nav_items(e, &e.contents, 6, &mut items);
    for d in docs.iter().skip(1 + reading) {
        entry(&mut items, d);
    }
    let body = format!(
        "<nav epub:type=\"toc\" id=\"toc\">\n  <h1>Contents</h1>\n  <ol>\n{items}  </ol>\n</nav>\n"
    );
    xhtml_document(e, "Contents", &body)
}

/// The entries of `items`, a section's with its own list of what it holds.
fn nav_items(e: &Edition, items: &[Item], indent: usize, out: &mut String) {
    for &item in items {
        let (name, title) = match item {
            Item::Part(i) => (Layout::part_file(i.index()), &e[i].title),
            Item::Section(i) => (Layout::section_file(i.index()), &e[i].title),
        };
        let link = format!("<a href=\"{}\">{}</a>", esc(&name), xml(title));
        match item {
            Item::Section(s) if !e[s].items.is_empty() => {
                let _ = writeln!(out, "{:indent$}<li>{link}\n{:indent$}  <ol>", "", "");
                nav_items(e, &e[s].items, indent + 4, out);
                let _ = writeln!(out, "{:indent$}  </ol>\n{:indent$}</li>", "", "");
            }
            _ => {
                let _ = writeln!(out, "{:indent$}<li>{link}</li>", "");
            }
        }
    }
}

/// A complete XHTML content document.
fn xhtml_document(e: &Edition, title: &str, body: &str) -> String {
    let lang = esc(&e.meta.language);
    xml_chars(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{lang}\" lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n<body>\n{body}</body>\n</html>\n",
        xml(title)
    ))
}

/// `dcterms:modified`: from `SOURCE_DATE_EPOCH` for reproducible builds,
/// otherwise now.
fn modified() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    utc_timestamp(secs)
}

/// Seconds since 1970 as `YYYY-MM-DDThh:mm:ssZ` (Howard Hinnant's
/// days-to-civil algorithm).
fn utc_timestamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

const STYLE: &str = "body { font-family: serif; line-height: 1.5; }\n\
h1, h2, h3 { font-family: sans-serif; }\n\
.subtitle { font-style: italic; }\n\
.notes { font-size: 0.9em; border-top: 1px solid #999; margin-top: 2em; }\n\
.note-number { font-weight: bold; margin-bottom: 0; }\n\
.entry { margin-bottom: 1.5em; }\n\
dt { font-weight: bold; }\n\
.status { font-variant: small-caps; }\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_timestamp(1_700_000_000), "2023-11-14T22:13:20Z");
    }
}
