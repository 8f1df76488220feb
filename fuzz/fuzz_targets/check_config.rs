//! Fuzzes `promagent check-config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| promagent::fuzzing::check_config(data));
