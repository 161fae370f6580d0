//! The integration tests: one binary, a module per feature.

mod harness;

mod build;
mod edition_text;
mod errors;
mod exports;
mod fuzz_regressions;
mod incremental;
mod properties;
mod publish;
mod reading;
mod robustness;
mod serve;
