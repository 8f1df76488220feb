//! Fuzzes `promagent lint --crds`: CRD schemas and CEL rules compiled and evaluated.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| promagent::fuzzing::crd_cel(data));
