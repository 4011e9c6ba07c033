//! Which format reads a document: the host's declared MIME type, checked against the
//! content, or a type sniffed from magic bytes when none was declared.

use crate::error::{Code, Error, Result};
use crate::formats::{self, Family, Format};
use alloc::string::String;

pub struct Resolved {
    pub format: &'static Format,
    /// The MIME type reported in the result.
    pub mime: String,
}

/// Binary formats recognised by their first bytes, whether or not this build reads them,
/// so a PDF is never passed off as text and an unsupported type is named in the error.
const MAGIC: &[(&[u8], &str)] = &[
    (b"PK\x03\x04", "application/zip"),
    (b"PK\x05\x06", "application/zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\x00asm", "application/wasm"),
    (b"{\\rtf", "application/rtf"),
];

/// How far into the file `%PDF-` may start: real downloads sometimes carry a few hundred
/// bytes of an HTML error page or a mail header first, and viewers accept that.
const PDF_WINDOW: usize = 1024;
/// Bytes inspected for NULs when deciding text vs binary.
const TEXT_WINDOW: usize = 8192;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sniff {
    /// A known binary (or binary-like) type.
    Known(&'static str),
    /// Text in some encoding (BOM or no NUL bytes).
    Text,
    /// Binary content of a type we do not know.
    Unknown,
}

pub fn has_bom(doc: &[u8]) -> bool {
    doc.starts_with(b"\xef\xbb\xbf") || doc.starts_with(b"\xff\xfe") || doc.starts_with(b"\xfe\xff")
}

pub fn sniff(doc: &[u8]) -> Sniff {
    let head = doc.get(..PDF_WINDOW).unwrap_or(doc);
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Sniff::Known("application/pdf");
    }
    if let Some((_, m)) = MAGIC.iter().find(|(magic, _)| doc.starts_with(magic)) {
        return Sniff::Known(m);
    }
    if doc.len() >= 12 && doc.starts_with(b"RIFF") && doc.get(8..12) == Some(b"WEBP") {
        return Sniff::Known("image/webp");
    }
    if has_bom(doc) {
        return Sniff::Text;
    }
    let window = doc.get(..TEXT_WINDOW).unwrap_or(doc);
    // A plain loop: `contains` would pull in a 300-byte memchr for one use.
    #[allow(clippy::manual_contains)]
    if window.iter().any(|&b| b == 0) {
        Sniff::Unknown
    } else {
        Sniff::Text
    }
}

/// `"Text/Plain; charset=UTF-8"` → `"text/plain"`.
pub fn essence(declared: &[u8]) -> String {
    let end = declared.iter().position(|&b| b == b';').unwrap_or(declared.len());
    let mut s = String::new();
    for &b in declared.get(..end).unwrap_or(&[]) {
        if !b.is_ascii_whitespace() {
            s.push(b.to_ascii_lowercase() as char);
        }
    }
    s
}

fn accepts(format: &Format, doc: &[u8], sniffed: Sniff) -> bool {
    match format.family {
        Family::Text { .. } => sniffed == Sniff::Text,
        Family::Binary(magic) => magic(doc),
    }
}

fn describe(s: Sniff) -> &'static str {
    match s {
        Sniff::Known(m) => m,
        Sniff::Text => "text",
        Sniff::Unknown => "application/octet-stream",
    }
}

#[cold]
fn unsupported(what: &'static str) -> Error {
    Error::new(Code::Unsupported, what)
}

pub fn resolve(declared: Option<&[u8]>, doc: &[u8]) -> Result<Resolved> {
    let sniffed = sniff(doc);
    let declared = declared.map(essence).filter(|m| !m.is_empty());
    if let Some(mime) = declared {
        if !mime.bytes().any(|b| b == b'/') {
            return Err(Error::new(Code::InvalidArgument, "not a MIME type"));
        }
        // text/* subtypes without a dedicated extractor are still text: read them as such.
        let format = formats::by_mime(&mime).or_else(|| {
            if mime.starts_with("text/") {
                formats::by_mime("text/plain")
            } else {
                None
            }
        });
        let format = format.ok_or_else(|| unsupported("declared type not in this build"))?;
        if !accepts(format, doc, sniffed) {
            return Err(Error::new(Code::MimeMismatch, "content is").with_subject(describe(sniffed)));
        }
        return Ok(Resolved { format, mime });
    }
    // Binary formats recognise themselves (a ZIP is DOCX or ODT only by what is inside it).
    if let Some(format) = formats::FORMATS.iter().find(|f| matches!(f.family, Family::Binary(m) if m(doc))) {
        return Ok(Resolved { format, mime: String::from(format.mimes.first().copied().unwrap_or("")) });
    }
    let mime = match sniffed {
        Sniff::Known(m) => m,
        Sniff::Text => formats::FORMATS
            .iter()
            .find(|f| matches!(f.family, Family::Text { looks_like: Some(looks) } if looks(doc)))
            .and_then(|f| f.mimes.first().copied())
            .unwrap_or("text/plain"),
        Sniff::Unknown => return Err(unsupported("unknown binary content")),
    };
    let format =
        formats::by_mime(mime).ok_or_else(|| unsupported("no extractor in this build for").with_subject(mime))?;
    Ok(Resolved { format, mime: String::from(format.mimes.first().copied().unwrap_or(mime)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniff::Known("application/pdf"));
        let mut html_then_pdf = b"<html>error</html>\n".to_vec();
        html_then_pdf.extend_from_slice(b"%PDF-1.4");
        assert_eq!(sniff(&html_then_pdf), Sniff::Known("application/pdf"));
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniff::Known("application/zip"));
        assert_eq!(sniff(b"hello"), Sniff::Text);
        assert_eq!(sniff(b""), Sniff::Text);
        assert_eq!(sniff(b"\xff\xfeh\x00i\x00"), Sniff::Text);
        assert_eq!(sniff(b"ab\x00cd"), Sniff::Unknown);
    }

    #[test]
    fn essence_strips_parameters_and_case() {
        assert_eq!(essence(b" Text/Plain ; charset=UTF-8"), "text/plain");
    }

    #[test]
    fn resolves() {
        assert_eq!(resolve(None, b"hi").unwrap().mime, "text/plain");
        assert_eq!(resolve(Some(b"text/x-log"), b"hi").unwrap().mime, "text/x-log");
        assert_eq!(resolve(Some(b""), b"hi").unwrap().mime, "text/plain");
        let code = |m: Option<&[u8]>, d: &[u8]| resolve(m, d).err().map(|e| e.code());
        assert_eq!(code(Some(b"text/plain"), b"%PDF-1.7"), Some(Code::MimeMismatch));
        assert_eq!(code(Some(b"application/x-nope"), b"hi"), Some(Code::Unsupported));
        assert_eq!(code(None, b"\x89PNG\r\n\x1a\n...."), Some(Code::Unsupported));
        assert_eq!(code(None, b"a\x00b"), Some(Code::Unsupported));
        assert_eq!(code(Some(b"plain"), b"hi"), Some(Code::InvalidArgument));
        let msg = resolve(Some(b"text/plain"), b"%PDF-1.4").err().unwrap().message();
        assert_eq!(msg, b"MIME type does not match the content: content is application/pdf");
    }
}
