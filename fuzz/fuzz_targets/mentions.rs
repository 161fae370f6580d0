//! Fuzz target: see `glossator::fuzzing::mentions`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| glossator::fuzzing::mentions(data));
