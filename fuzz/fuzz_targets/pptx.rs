#![no_main]
// A real archive as it is, or parts packed into a stored ZIP (`pith_fuzz::office`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| pith_fuzz::office(
    data,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation"
));
