//! The integration tests: one binary, a module per feature.

mod cases;
mod harness;

mod build;
mod edition_config;
mod edition_text;
mod errors;
mod exports;
mod fuzz_regressions;
mod imports;
mod incremental;
mod kinds;
mod lsp;
mod properties;
mod publish;
mod reading;
mod robustness;
mod sections;
mod serve;
mod suggest;
mod warnings;
