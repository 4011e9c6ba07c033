#![no_main]
// PDF cross-reference read, recovery scan and the document layer (`pith::fuzzing::pdf_xref`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| pith::fuzzing::pdf_xref(data));
