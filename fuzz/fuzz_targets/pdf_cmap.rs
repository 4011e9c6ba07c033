#![no_main]
// PDF CMaps (ToUnicode, embedded encodings) and look-ups through them (`pith::fuzzing::pdf_cmap`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| pith::fuzzing::pdf_cmap(data));
