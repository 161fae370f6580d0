//! Fuzz target: see `glossator::fuzzing::frontmatter`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| glossator::fuzzing::frontmatter(data));
