//! What every format target does with its input: open a stream as the wasm exports would,
//! pull every record, and check the invariants a host relies on. Any panic is a finding.

use pith::arena::Arena;
use pith::config::Config;
use pith::records::Kind;
use pith::stream::Stream;

/// Limits small enough that a run explores structure, not size; crossing one is a clean
/// LIMIT, which is a fine outcome.
pub fn config() -> Config {
    Config {
        max_input: 1 << 20,
        max_output: 4 << 20,
        max_pages: 200,
        max_decompressed: 16 << 20,
        max_depth: 64,
        max_objects: 100_000,
        ..Config::default()
    }
}

/// Extracts `data` as `mime` (or sniffed), in small chunks, checking each record.
pub fn run(data: &[u8], mime: Option<&str>) {
    let cfg = config();
    let mut arena = Arena::default();
    let Ok(mut stream) = Stream::open(data, mime.map(str::as_bytes), &cfg, &mut arena) else {
        return;
    };
    // Every call either returns a record or ends the stream: a bound on the number of calls
    // catches an extractor that stops making progress.
    for _ in 0..(data.len() + 1024) * 64 {
        match stream.next(61) {
            Ok(Kind::End) | Err(_) => break,
            Ok(Kind::Text) => assert!(core::str::from_utf8(stream.payload()).is_ok(), "text chunk is not UTF-8"),
            Ok(_) => {
                let payload = stream.payload();
                assert!(serde_json::from_slice::<serde_json::Value>(payload).is_ok(), "record is not JSON");
            }
        }
    }
    stream.release(&mut arena);
}
