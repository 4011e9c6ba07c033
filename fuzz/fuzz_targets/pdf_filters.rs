#![no_main]
// PDF stream filters and predictors, two in a row (`pith::fuzzing::pdf_filters`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| pith::fuzzing::pdf_filters(data));
