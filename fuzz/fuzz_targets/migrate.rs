//! Fuzzes `promagent migrate` and its properties (idempotent, bytes outside the edits kept).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| promagent::fuzzing::migrate(data));
