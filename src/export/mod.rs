//! Render stage, second half: the files beside the pages that carry the
//! edition's data out of the site: `annotations.json` for analysis,
//! `citations.bib` and `sources.csl.json` for citing, `sitemap.xml` and `robots.txt` for search
//! engines (only with a base URL: both need absolute URLs), the EPUB and the
//! TEI.
//!
//! Like the pages, these are built in memory from the resolved edition;
//! `write` puts them on disk.

pub mod annotations;
pub mod bibtex;
pub mod csl_json;
pub mod epub;
pub mod sitemap;
pub mod tei;
pub mod web_annotations;

use crate::diagnostics::Diagnostic;
use crate::model::Edition;
use crate::render::{OutFile, RenderOptions};

/// Every export file of the edition.
pub fn files(e: &Edition, opts: &RenderOptions) -> (Vec<OutFile>, Vec<Diagnostic>) {
    let (mut files, diags) = files_but_annotations(e, opts);
    files.insert(
        0,
        OutFile {
            path: annotations::PATH.into(),
            bytes: annotations::to_json(e),
        },
    );
    (files, diags)
}

/// Every export file but `annotations.json`, which [`annotations::write_json`]
/// streams.
pub fn files_but_annotations(e: &Edition, opts: &RenderOptions) -> (Vec<OutFile>, Vec<Diagnostic>) {
    let mut files = vec![OutFile {
        path: "citations.bib".into(),
        bytes: bibtex::to_bibtex(e).into_bytes(),
    }];
    files.push(OutFile {
        path: csl_json::PATH.into(),
        bytes: csl_json::to_csl_json(e),
    });
    let mut diags = Vec::new();
    if let Some(base) = &opts.base_url {
        files.push(OutFile {
            path: "sitemap.xml".into(),
            bytes: sitemap::sitemap(e, base).into_bytes(),
        });
        files.push(OutFile {
            path: "robots.txt".into(),
            bytes: sitemap::robots(base).into_bytes(),
        });
    }
    if opts.epub {
        match epub::write_epub(e) {
            Ok(bytes) => files.push(OutFile {
                path: format!("{}.epub", epub::file_stem(e)),
                bytes,
            }),
            Err(d) => diags.push(d),
        }
    }
    if opts.tei || e.meta.tei {
        files.push(OutFile {
            path: tei::path(e),
            bytes: tei::to_tei(e),
        });
    }
    (files, diags)
}
