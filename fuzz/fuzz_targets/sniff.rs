#![no_main]
// No declared type: the sniffer picks the format (binary formats by their magic, text formats
// by their own checks), so every extractor is reachable from arbitrary bytes.
libfuzzer_sys::fuzz_target!(|data: &[u8]| pith_fuzz::run(data, None));
