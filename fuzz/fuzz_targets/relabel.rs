//! Fuzzes `promagent relabel`: rules, NUL byte, labels.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| promagent::fuzzing::relabel(data));
