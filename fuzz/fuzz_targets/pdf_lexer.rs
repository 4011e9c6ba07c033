#![no_main]
// The PDF lexer and object parser, file and content modes (`pith::fuzzing::pdf_lexer`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| pith::fuzzing::pdf_lexer(data));
