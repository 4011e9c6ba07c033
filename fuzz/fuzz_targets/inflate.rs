#![no_main]
// Inflate as the ZIP reader and the PDF FlateDecode filter call it (`pith::fuzzing::inflate`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| pith::fuzzing::inflate(data));
