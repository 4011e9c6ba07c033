#![no_main]
// The whole PDF pipeline: document, metadata, every page's text, tables and warnings.
libfuzzer_sys::fuzz_target!(|data: &[u8]| pith_fuzz::run(data, Some("application/pdf")));
