//! Render stage, second half: the files beside the pages that carry the
//! edition's data out of the site: `annotations.json` for analysis,
//! `citations.bib` and `sources.csl.json` for citing, `places.geojson` for
//! maps, `sitemap.xml` and `robots.txt` for search engines (only with a base
//! URL: both need absolute URLs), the EPUB and the TEI.
//!
//! Like the pages, these are built in memory from the resolved edition;
//! `write` puts them on disk.

pub mod annotations;
pub mod bibtex;
pub mod csl_json;
pub mod epub;
pub mod geojson;
pub mod sitemap;
pub mod tei;
pub mod web_annotations;

use crate::diagnostics::Diagnostic;
use crate::files::Files;
use crate::model::Edition;
use crate::render::{OutFile, RenderOptions};
use crate::site_paths;

/// Every export file of the edition; `copied` are the files of `content/`
/// the site holds (the EPUB packs its images).
pub fn files(e: &Edition, opts: &RenderOptions, copied: &Files) -> (Vec<OutFile>, Vec<Diagnostic>) {
    let (mut files, diags) = files_but_annotations(e, opts, copied);
    files.insert(
        0,
        OutFile {
            path: annotations::PATH.into(),
            bytes: annotations::to_json(e),
        },
    );
    (files, diags)
}

/// One output beside the pages, made from the whole edition. A new export is
/// a type implementing this and one entry in [`EXPORTS`]; `build`, `check`
/// and `serve` all take the list from there.
pub trait Export: Sync {
    /// What it is, for the tests that tell the exports apart.
    #[cfg(test)]
    fn name(&self) -> &'static str;
    /// Its files, by path inside the site folder; none when the options
    /// leave it out. `copied` are the files of `content/` the site holds.
    fn files(
        &self,
        e: &Edition,
        opts: &RenderOptions,
        copied: &Files,
    ) -> Result<Vec<OutFile>, Diagnostic>;
}

/// Every export but `annotations.json` (which `build` streams, see
/// [`annotations::write_json`]), in the order their files are listed.
pub const EXPORTS: &[&dyn Export] = &[&Citations, &CslJson, &PlacesMap, &Sitemap, &Book, &Tei];

/// Every export file but `annotations.json`, which [`annotations::write_json`]
/// streams.
pub fn files_but_annotations(
    e: &Edition,
    opts: &RenderOptions,
    copied: &Files,
) -> (Vec<OutFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for export in EXPORTS {
        match export.files(e, opts, copied) {
            Ok(made) => files.extend(made),
            Err(d) => diags.push(d),
        }
    }
    (files, diags)
}

/// `citations.bib`.
struct Citations;

impl Export for Citations {
    #[cfg(test)]
    fn name(&self) -> &'static str {
        "BibTeX citations"
    }

    fn files(&self, e: &Edition, _: &RenderOptions, _: &Files) -> Result<Vec<OutFile>, Diagnostic> {
        Ok(vec![OutFile {
            path: site_paths::CITATIONS.into(),
            bytes: bibtex::to_bibtex(e).into_bytes(),
        }])
    }
}

/// `sources.csl.json`.
struct CslJson;

impl Export for CslJson {
    #[cfg(test)]
    fn name(&self) -> &'static str {
        "CSL-JSON of the sources"
    }

    fn files(&self, e: &Edition, _: &RenderOptions, _: &Files) -> Result<Vec<OutFile>, Diagnostic> {
        Ok(vec![OutFile {
            path: site_paths::CSL_JSON.into(),
            bytes: csl_json::to_csl_json(e),
        }])
    }
}

/// `SLUG.tei.xml`, only with `--tei` (or `tei = true`).
struct Tei;

impl Export for Tei {
    #[cfg(test)]
    fn name(&self) -> &'static str {
        "TEI"
    }

    fn files(
        &self,
        e: &Edition,
        opts: &RenderOptions,
        _: &Files,
    ) -> Result<Vec<OutFile>, Diagnostic> {
        if !(opts.tei || e.meta.tei) {
            return Ok(Vec::new());
        }
        Ok(vec![OutFile {
            path: tei::path(e),
            bytes: tei::to_tei(e),
        }])
    }
}

/// `places.geojson`.
struct PlacesMap;

impl Export for PlacesMap {
    #[cfg(test)]
    fn name(&self) -> &'static str {
        "GeoJSON of the places"
    }

    fn files(&self, e: &Edition, _: &RenderOptions, _: &Files) -> Result<Vec<OutFile>, Diagnostic> {
        Ok(vec![OutFile {
            path: site_paths::PLACES_GEOJSON.into(),
            bytes: geojson::to_geojson(e),
        }])
    }
}

/// `sitemap.xml` and `robots.txt`, only with a base URL.
struct Sitemap;

impl Export for Sitemap {
    #[cfg(test)]
    fn name(&self) -> &'static str {
        "sitemap"
    }

    fn files(
        &self,
        e: &Edition,
        opts: &RenderOptions,
        _: &Files,
    ) -> Result<Vec<OutFile>, Diagnostic> {
        let Some(base) = &opts.base_url else {
            return Ok(Vec::new());
        };
        Ok(vec![
            OutFile {
                path: site_paths::SITEMAP.into(),
                bytes: sitemap::sitemap(e, opts, base).into_bytes(),
            },
            OutFile {
                path: site_paths::ROBOTS.into(),
                bytes: sitemap::robots(base).into_bytes(),
            },
        ])
    }
}

/// `SLUG.epub`, only with `--epub`.
struct Book;

impl Export for Book {
    #[cfg(test)]
    fn name(&self) -> &'static str {
        "EPUB book"
    }

    fn files(
        &self,
        e: &Edition,
        opts: &RenderOptions,
        copied: &Files,
    ) -> Result<Vec<OutFile>, Diagnostic> {
        if !opts.epub {
            return Ok(Vec::new());
        }
        Ok(vec![OutFile {
            path: site_paths::epub(&epub::file_stem(e)),
            bytes: epub::write_epub(e, copied)?,
        }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_that_need_an_option_make_nothing_without_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let (files, _) = crate::load::load_content(&root);
        let (parsed, _) = crate::parse::parse_files(&files);
        let e = crate::resolve::resolve(parsed)
            .0
            .expect("the fixture resolves");
        let plain = RenderOptions::default();
        let none = Files::default();
        let made: Vec<(&str, usize)> = (EXPORTS.iter())
            .map(|x| (x.name(), x.files(&e, &plain, &none).unwrap().len()))
            .collect();
        assert_eq!(
            made,
            [
                ("BibTeX citations", 1),
                ("CSL-JSON of the sources", 1),
                ("GeoJSON of the places", 1),
                ("sitemap", 0),
                ("EPUB book", 0),
                ("TEI", 0)
            ]
        );
        let all = RenderOptions {
            base_url: Some("https://example.org/".into()),
            epub: true,
            tei: true,
            web_annotations: true,
            without_search: false,
        };
        let paths: Vec<String> = files_but_annotations(&e, &all, &none)
            .0
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert_eq!(
            paths,
            [
                "citations.bib",
                "sources.csl.json",
                "places.geojson",
                "sitemap.xml",
                "robots.txt",
                "a-test-edition.epub",
                "a-test-edition.tei.xml"
            ]
        );
    }
}
