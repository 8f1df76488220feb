//! Fuzzes `promagent render`: configurations and workloads.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| promagent::fuzzing::render(data));
