//! Which encoding a page is in, as WHATWG's "determine the character encoding" does it: a
//! BOM, else a `<meta charset>` or `<meta http-equiv="content-type" content="...charset=...">`
//! in the first 1024 bytes (or an XML declaration's `encoding`), else UTF-8 when the bytes
//! are valid UTF-8, else Windows-1252. Labels and the code pages come from
//! [`crate::encoding`]; this module only finds the label and decodes text runs.

use crate::encoding::{from_label, utf8, Encoding, Label};
use alloc::string::String;

/// How far the meta prescan looks, as in the spec.
const PRESCAN: usize = 1024;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Charset {
    Known(Encoding),
    /// An encoding this build cannot decode (the CJK encodings without the `cjk` feature, or
    /// "replacement"): ASCII is kept, every other
    /// run of bytes becomes one U+FFFD, and a warning says so.
    Unsupported(&'static str),
}

/// Where the charset came from, for the warning records.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Source {
    Bom,
    Declared,
    /// Declared with a label the Encoding Standard does not know.
    UnknownLabel,
    Default,
}

/// The page's charset, where it came from, and the BOM length to skip.
pub fn detect(doc: &[u8]) -> (Charset, Source, usize) {
    if let Some((enc, bom)) = Encoding::from_bom(doc) {
        return (Charset::Known(enc), Source::Bom, bom);
    }
    let (charset, source) = match prescan(doc.get(..PRESCAN).unwrap_or(doc)) {
        // A page that declares UTF-16 was readable as ASCII, so it is not: the spec reads it
        // as UTF-8.
        Some(Label::Known(Encoding::Utf16Le | Encoding::Utf16Be)) => {
            (Some(Charset::Known(Encoding::Utf8)), Source::Declared)
        }
        Some(Label::Known(enc)) => (Some(Charset::Known(enc)), Source::Declared),
        Some(Label::NotCompiled(name)) => (Some(Charset::Unsupported(name)), Source::Declared),
        Some(Label::Unknown) => (None, Source::UnknownLabel),
        None => (None, Source::Default),
    };
    let fallback = || Charset::Known(if utf8::is_valid(doc) { Encoding::Utf8 } else { Encoding::Windows1252 });
    (charset.unwrap_or_else(fallback), source, 0)
}

/// The label declared in the first bytes, if any: the first `charset=` in a `<meta>` tag,
/// whether as its own attribute or inside `content` (the spec also asks for
/// `http-equiv=content-type` there, which real pages that write one always have). Comments
/// are skipped.
fn prescan(head: &[u8]) -> Option<Label> {
    if let Some(l) = in_tag(head, b"<?xml", b"encoding") {
        return Some(from_label(l));
    }
    let mut i = 0;
    while let Some(p) = head.get(i..)?.iter().position(|&b| b == b'<') {
        let at = head.get(i + p..)?;
        let end = if at.starts_with(b"<!--") { b"-->" as &[u8] } else { b">" };
        let len = super::tokenizer::find(at, 0, end);
        if len == super::tokenizer::NOT_FOUND {
            return None;
        }
        if let Some(l) = in_tag(at.get(..len)?, b"<meta", b"charset") {
            return Some(from_label(l));
        }
        i += p + len;
    }
    None
}

/// `param(name)` of `at` if it starts with `tag` (any case).
fn in_tag<'a>(at: &'a [u8], tag: &[u8], name: &[u8]) -> Option<&'a [u8]> {
    at.get(..tag.len()).filter(|t| t.eq_ignore_ascii_case(tag))?;
    param(at, name)
}

/// The value of `name=` in `content` (the first occurrence), as the spec extracts a charset
/// from a content type: quoted, or up to white space or ';'.
fn param<'a>(content: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let at = super::tokenizer::find_ci(content, name).checked_add(name.len())?;
    let rest = content.get(at..)?.trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
    let quoted = matches!(rest.first(), Some(b'"' | b'\''));
    let rest = rest.get(quoted as usize..).unwrap_or(&[]);
    let end = rest.iter().position(|&b| b.is_ascii_whitespace() || matches!(b, b';' | b'"' | b'\'' | b'?' | b'/'));
    rest.get(..end.unwrap_or(rest.len()))
}

impl Charset {
    /// The name reported in the `encoding` metadata.
    pub fn name(self) -> &'static str {
        match self {
            Charset::Known(enc) => enc.name(),
            Charset::Unsupported(n) => n,
        }
    }

    /// Appends `bytes` (text without markup) decoded. Invalid sequences become U+FFFD.
    pub fn decode(self, bytes: &[u8], out: &mut String) {
        let utf8 = match self {
            // UTF-16 was transcoded to UTF-8 at the start.
            Charset::Known(Encoding::Utf8 | Encoding::Utf16Le | Encoding::Utf16Be) => true,
            // Any other known encoding is a single-byte code page here (CJK was transcoded
            // too), which maps ASCII to itself: one call decodes it all, unpacking the code
            // page's table once rather than once per run of non-ASCII bytes (which made a
            // Polish page 6x slower than the same page in UTF-8).
            Charset::Known(enc) => {
                enc.decode(bytes, bytes.len(), &mut |c| out.push(c));
                return;
            }
            Charset::Unsupported(_) => false,
        };
        let mut rest = bytes;
        while !rest.is_empty() {
            // The longest prefix that is UTF-8 (for an unsupported charset, its ASCII part)
            // goes in one piece.
            let ok = match core::str::from_utf8(rest) {
                Ok(s) => s,
                Err(e) => core::str::from_utf8(rest.get(..e.valid_up_to()).unwrap_or(&[])).unwrap_or(""),
            };
            let n = if utf8 { ok.len() } else { ok.bytes().position(|b| b >= 0x80).unwrap_or(ok.len()) };
            out.push_str(ok.get(..n).unwrap_or(""));
            rest = rest.get(n..).unwrap_or(&[]);
            if rest.is_empty() {
                break;
            }
            out.push('\u{fffd}');
            // One invalid UTF-8 byte; for an unsupported charset, the bytes up to the next
            // ASCII one, and a double-byte character's second byte, which may look like
            // ASCII (0x40 and up in Shift_JIS, GBK and Big5).
            let used = match utf8 {
                true => 1,
                false => {
                    let high = rest.iter().position(|&b| b < 0x80).unwrap_or(rest.len());
                    high + rest.get(high).is_some_and(|&t| t >= 0x40) as usize
                }
            };
            rest = rest.get(used.max(1).min(rest.len())..).unwrap_or(&[]);
        }
    }

    /// For UTF-16 and CJK pages: the whole page as UTF-8, which the tokenizer can read (a
    /// CJK trail byte can look like ASCII, and ISO-2022-JP is not ASCII-compatible at all).
    pub fn transcode(self, doc: &[u8]) -> crate::error::Result<Option<String>> {
        let Charset::Known(enc) = self else {
            return Ok(None);
        };
        let whole = matches!(enc, Encoding::Utf16Le | Encoding::Utf16Be);
        #[cfg(feature = "cjk")]
        let whole = whole || matches!(enc, Encoding::Cjk(_));
        if !whole {
            return Ok(None);
        }
        let mut out = String::new();
        enc.decode_all(doc, &mut out)?;
        Ok(Some(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_meta_and_fallback() {
        assert_eq!(detect(b"\xef\xbb\xbf<p>"), (Charset::Known(Encoding::Utf8), Source::Bom, 3));
        assert_eq!(detect(b"\xff\xfe<\x00"), (Charset::Known(Encoding::Utf16Le), Source::Bom, 2));
        assert_eq!(
            detect(b"<meta charset=\"ISO-8859-1\"><p>caf\xc3\xa9"),
            (Charset::Known(Encoding::Windows1252), Source::Declared, 0)
        );
        let pragma =
            b"<!-- <meta charset=x> --><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset = shift_jis'>";
        #[cfg(not(feature = "cjk"))]
        assert_eq!(detect(pragma), (Charset::Unsupported("Shift_JIS"), Source::Declared, 0));
        #[cfg(feature = "cjk")]
        assert_eq!(
            detect(pragma),
            (Charset::Known(Encoding::Cjk(crate::encoding::Cjk::ShiftJis)), Source::Declared, 0)
        );
        // A charset in `content` counts without checking `http-equiv` (a simplification).
        assert_eq!(
            detect(b"<meta content='text/html; charset=utf-8'><p>\xe9"),
            (Charset::Known(Encoding::Utf8), Source::Declared, 0)
        );
        assert_eq!(detect(b"<p charset=utf-8>\xe9"), (Charset::Known(Encoding::Windows1252), Source::Default, 0));
        assert_eq!(
            detect(b"<meta charset=koi8-q><p>\xc3\xa9"),
            (Charset::Known(Encoding::Utf8), Source::UnknownLabel, 0)
        );
        assert_eq!(
            detect(b"<?xml version='1.0' encoding='windows-1252'?><html>"),
            (Charset::Known(Encoding::Windows1252), Source::Declared, 0)
        );
        assert_eq!(detect(b"<meta charset=utf-16><p>"), (Charset::Known(Encoding::Utf8), Source::Declared, 0));
        // Beyond the first 1024 bytes a declaration is not looked at.
        let mut late = vec![b' '; 1030];
        late.extend_from_slice(b"<meta charset=windows-1252>");
        assert_eq!(detect(&late).1, Source::Default);
    }

    #[test]
    fn decodes() {
        let mut s = String::new();
        Charset::Known(Encoding::Utf8).decode("é€".as_bytes(), &mut s);
        Charset::Known(Encoding::Utf8).decode(b"a\xffb\xe2\x82", &mut s);
        Charset::Known(Encoding::Windows1252).decode(b"\x93q\x94", &mut s);
        Charset::Unsupported("GBK").decode(b"a\xc4\xe3\xba\xc3 b\x96\x7b", &mut s);
        assert_eq!(s, "é€a\u{fffd}b\u{fffd}\u{fffd}“q”a\u{fffd} b\u{fffd}");
        // A legacy code page from crate::encoding.
        let mut cyr = String::new();
        let Label::Known(enc) = from_label(b"windows-1251") else { panic!() };
        Charset::Known(enc).decode(b"\xcf\xf0\xe8\xe2\xe5\xf2, world", &mut cyr);
        assert_eq!(cyr, "Привет, world");
        let le: Vec<u8> = "<p>ħ😀".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(Charset::Known(Encoding::Utf16Le).transcode(&le).unwrap().unwrap(), "<p>ħ😀");
    }
}
