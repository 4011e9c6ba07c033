#![no_main]
// PDF content streams through the interpreter and layout of a fixed page (`pith::fuzzing::pdf_content`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| pith::fuzzing::pdf_content(data));
