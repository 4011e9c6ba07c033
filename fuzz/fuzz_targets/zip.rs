#![no_main]
// The ZIP container on its own: directory, lookup, every entry read (`pith::fuzzing::zip_archive`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| pith::fuzzing::zip_archive(data));
