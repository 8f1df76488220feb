//! Fuzzes `promagent targets --config`: configuration, NUL byte, cluster objects.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| promagent::fuzzing::targets(data));
