//! Fuzzes `promagent lint` against the embedded CRDs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| promagent::fuzzing::lint(data));
