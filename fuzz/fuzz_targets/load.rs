//! Fuzzes the loader.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| promagent::fuzzing::load(data));
