//! glossator: turns an edition (Markdown parts with YAML annotations for the
//! people, sources, claims and terms they mention) into a cross-linked static
//! site.
//!
//! The pipeline, one module per stage: [`load`] (disk → source files) →
//! [`parse`] (front matter, Markdown) → [`resolve`] (references → typed ids,
//! back-links, diagnostics) → [`render`] (typed views → tera) → [`write`]
//! (atomic swap). Only `load` and `write` touch the disk. [`build`] runs them.

// Diagnostics are returned by value on the rare error path; boxing them
// would only add noise to every signature.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod codes;
pub mod dates;
pub mod diagnostics;
pub mod export;
pub mod frontmatter;
#[doc(hidden)]
pub mod fuzzing;
pub mod incremental;
pub mod link_shapes;
pub mod load;
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
pub mod theme;
pub mod typography;
pub mod write;
pub mod yaml_errors;

pub use build::{BuildOptions, BuildReport, build};
