//! Fuzz target: see `glossator::fuzzing::render_file`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| glossator::fuzzing::render_file(data));
