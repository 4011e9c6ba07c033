#![no_main]
// PDF fonts: a font dictionary loaded over a fixed document, strings shown through it (`pith::fuzzing::pdf_font`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| pith::fuzzing::pdf_font(data));
