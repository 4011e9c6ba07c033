//! What every format target does with its input: open a stream as the wasm exports would,
//! pull every record, and check the invariants a host relies on. Any panic is a finding.

use pith::arena::Arena;
use pith::records::Kind;
use pith::stream::Stream;

/// Limits small enough that a run explores structure, not size; crossing one is a clean
/// LIMIT, which is a fine outcome. The unit targets use the same ones.
pub use pith::fuzzing::config;

/// Extracts `data` as `mime` (or sniffed), in small chunks, checking each record.
pub fn run(data: &[u8], mime: Option<&str>) {
    let cfg = config();
    let mut arena = Arena::default();
    let Ok(mut stream) = Stream::open(data, mime.map(str::as_bytes), &cfg, &mut arena) else {
        return;
    };
    // Every call either returns a record or ends the stream: a bound on the number of calls
    // (every text chunk the output limit allows, plus a generous number of other records
    // per input byte) catches an extractor that stops making progress.
    let max_calls = cfg.max_output as usize / 61 + 1 + (data.len() + 1024) * 64;
    let mut ended = false;
    for _ in 0..max_calls {
        match stream.next(61) {
            Ok(Kind::End) | Err(_) => {
                ended = true;
                break;
            }
            Ok(Kind::Text) => assert!(core::str::from_utf8(stream.payload()).is_ok(), "text chunk is not UTF-8"),
            Ok(_) => {
                let payload = stream.payload();
                assert!(serde_json::from_slice::<serde_json::Value>(payload).is_ok(), "record is not JSON");
            }
        }
    }
    assert!(ended, "no end after {max_calls} calls: the extractor stopped making progress");
    stream.release(&mut arena);
}

/// An Office target's input. A real archive (it starts with "PK") is extracted as it is,
/// which exercises the ZIP layer; anything else is a list of parts, `name NUL content NUL
/// name NUL content ...`, packed here into a stored ZIP with correct sizes and CRCs, so
/// mutations reach the XML of the parts instead of failing the archive's checks.
pub fn office(data: &[u8], mime: &str) {
    if data.starts_with(b"PK") {
        run(data, Some(mime));
    } else {
        run(&pack(data), Some(mime));
    }
}

/// The stored ZIP of `name NUL content NUL ...` (at most 256 parts; a name without content
/// gets an empty one).
pub fn pack(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut fields = data.split(|&b| b == 0);
    let mut count = 0u16;
    while let Some(name) = fields.next() {
        if count == 256 {
            break;
        }
        let content = fields.next().unwrap_or(&[]);
        let crc = pith::zip::crc32(content);
        let (size, name_len) = (content.len() as u32, name.len().min(0xffff) as u16);
        let name = &name[..usize::from(name_len)];
        let offset = out.len() as u32;
        // Local header: version 20, no flags, stored, no time.
        out.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
        for v in [crc, size, size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(name);
        out.extend_from_slice(content);
        central.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
        for v in [crc, size, size] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&name_len.to_le_bytes());
        // Extra and comment lengths, disk, attributes, then the local header's offset.
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
        count += 1;
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00");
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The packed form is a ZIP pith reads: the text of the part comes out.
    #[test]
    fn packed_parts_extract() {
        let content = concat!(
            r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
            r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>"#,
            r#"<text:p>packed hello</text:p></office:text></office:body></office:document-content>"#
        );
        let mut parts = b"mimetype\0application/vnd.oasis.opendocument.text\0content.xml\0".to_vec();
        parts.extend_from_slice(content.as_bytes());
        let zip = pack(&parts);
        let cfg = config();
        let mut arena = Arena::default();
        let mime = "application/vnd.oasis.opendocument.text";
        let mut stream = Stream::open(&zip, Some(mime.as_bytes()), &cfg, &mut arena).ok().expect("opens");
        let mut text = Vec::new();
        while let Ok(kind) = stream.next(1 << 16) {
            match kind {
                Kind::End => break,
                Kind::Text => text.extend_from_slice(stream.payload()),
                _ => {}
            }
        }
        assert!(String::from_utf8_lossy(&text).contains("packed hello"));
        // Arbitrary bytes pack too (odd field counts, empty names).
        assert!(pack(b"").starts_with(b"PK\x03\x04"));
        assert!(pack(b"\0\0\0x").len() > 22);
    }
}
