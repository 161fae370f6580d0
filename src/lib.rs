//! glossator: turns an edition (Markdown parts with YAML annotations for the
//! people, places, organisations, sources, claims and terms they mention)
//! into a cross-linked static site.
//!
//! The pipeline, one module per stage: [`load`] (disk → source files) →
//! [`parse`] (front matter, Markdown) → [`resolve`] (references → typed ids,
//! back-links, diagnostics) → [`render`] (typed views → tera) → [`write`](mod@write)
//! (atomic swap). Only `load` and `write` touch the disk. [`build`](mod@build) runs them.

// Diagnostics are returned by value on the rare error path; boxing them
// would only add noise to every signature.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod build;
pub mod codes;
pub mod config;
pub mod dates;
pub mod diagnostics;
pub mod drafts;
pub mod export;
pub mod files;
pub mod frontmatter;
#[doc(hidden)]
pub mod fuzzing;
pub mod incremental;
pub mod kinds;
pub mod link_shapes;
pub mod load;
pub mod lsp;
pub mod markdown;
pub mod model;
pub mod parse;
pub mod raw;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site_paths;
pub mod suggest;
pub mod theme;
pub mod typography;
pub mod write;
pub mod yaml_errors;

pub use build::{BuildOptions, BuildReport, build};

/// ARCHITECTURE.md's invariants about imports, checked on the source text.
#[cfg(test)]
mod architecture {
    /// The `crate::` modules a file's code (its tests aside) imports.
    fn imports(source: &str) -> Vec<&str> {
        let code = source.split("#[cfg(test)]").next().unwrap_or(source);
        code.match_indices("crate::")
            .map(|(at, _)| {
                let rest = &code[at + "crate::".len()..];
                let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'));
                &rest[..end.unwrap_or(rest.len())]
            })
            .collect()
    }

    #[test]
    fn the_vocabulary_and_the_paths_import_nothing_above_them() {
        assert_eq!(imports(include_str!("kinds.rs")), Vec::<&str>::new());
        for m in imports(include_str!("site_paths.rs")) {
            assert_eq!(m, "kinds", "site_paths imports {m}");
        }
    }

    #[test]
    fn markdown_and_load_do_not_import_the_model() {
        for (name, source) in [
            ("markdown", include_str!("markdown/mod.rs")),
            ("markdown::parse", include_str!("markdown/parse.rs")),
            ("markdown::problems", include_str!("markdown/problems.rs")),
            ("load", include_str!("load.rs")),
        ] {
            let found = imports(source);
            assert!(!found.contains(&"model"), "{name} imports the model");
            assert!(!found.contains(&"render"), "{name} imports render");
        }
    }

    #[test]
    fn nothing_outside_build_settles_diagnostics_or_checks_the_files() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for entry in walkdir::WalkDir::new(&src)
            .into_iter()
            .filter_map(Result::ok)
        {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") || path == src.join("build.rs") {
                continue;
            }
            let source = std::fs::read_to_string(path).expect("a source file");
            let code = source.split("#[cfg(test)]").next().unwrap_or(&source);
            for call in [
                ".promote_warnings()",
                ".fold_cascades()",
                "files::check(",
                "files::read_style(",
                "assets::collisions(",
            ] {
                assert!(!code.contains(call), "{} calls {call}", path.display());
            }
        }
    }

    #[test]
    fn the_epub_layout_is_shared_not_a_cycle() {
        assert!(!include_str!("export/epub/xhtml.rs").contains("super::book"));
    }
}
