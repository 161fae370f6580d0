//! glossator: turns an edition (Markdown parts with YAML annotations for the
//! people, places, organisations, sources, claims and terms they mention)
//! into a cross-linked static site.
//!
//! The pipeline, one module per stage: `load` (disk → source files) →
//! `parse` (front matter, Markdown) → `resolve` (references → typed ids,
//! back-links, diagnostics) → `render` (typed views → tera) → `write`
//! (atomic swap). Only `load` and `write` touch the disk. [`build`](mod@build) runs them.

// Diagnostics are returned by value on the rare error path; boxing them
// would only add noise to every signature.
#![allow(clippy::result_large_err)]

pub(crate) mod assets;
pub mod build;
pub mod codes;
pub mod config;
pub(crate) mod dates;
pub mod diagnostics;
pub(crate) mod drafts;
pub(crate) mod export;
pub(crate) mod files;
pub(crate) mod frontmatter;
#[doc(hidden)]
pub mod fuzzing;
pub mod incremental;
pub mod kinds;
pub(crate) mod link_shapes;
pub(crate) mod load;
pub mod lsp;
pub(crate) mod markdown;
pub(crate) mod model;
pub(crate) mod parse;
pub(crate) mod raw;
pub(crate) mod render;
pub(crate) mod resolve;
pub mod scaffold;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub(crate) mod site_paths;
pub mod suggest;
pub(crate) mod theme;
pub(crate) mod typography;
pub(crate) mod write;
pub(crate) mod yaml_errors;

pub use build::{BuildOptions, BuildReport, build};
#[doc(hidden)]
pub use render::{esc, neutralize_controls};

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
    fn only_the_modules_used_outside_the_library_are_public() {
        let public: Vec<&str> = (include_str!("lib.rs").lines())
            .filter_map(|l| l.strip_prefix("pub mod "))
            .map(|m| m.trim_end_matches(';'))
            .collect();
        assert_eq!(
            public,
            [
                "build",
                "codes",
                "config",
                "diagnostics",
                "fuzzing",
                "incremental",
                "kinds",
                "lsp",
                "scaffold",
                "schema",
                "serve",
                "suggest"
            ]
        );
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
