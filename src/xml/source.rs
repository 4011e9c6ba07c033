//! From document bytes to the UTF-8 text the reader works on: a byte order mark wins, then
//! the XML declaration's `encoding` (any WHATWG label this build decodes), then UTF-8.
//! UTF-8 input is validated once and read in place; anything else is transcoded once.

use crate::encoding::{from_label, Encoding, Label};
use crate::error::Result;
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// What the bytes were read as: "UTF-8", "UTF-16LE", "windows-1252", "KOI8-R", ...
    pub encoding: &'static str,
    /// Set when the bytes were not what they claimed to be, for a warning record.
    pub warning: Option<&'static str>,
}

/// How far into the document the XML declaration is looked for.
const DECL_WINDOW: usize = 512;

pub fn decode(doc: &[u8]) -> Result<Decoded<'_>> {
    let (enc, skip) = match (Encoding::from_bom(doc), doc) {
        (Some((enc, bom)), _) => (Some(enc), bom),
        // `<?` without a BOM: the XML spec's autodetection of UTF-16.
        (None, [b'<', 0, b'?', 0, ..]) => (Some(Encoding::Utf16Le), 0),
        (None, [0, b'<', 0, b'?', ..]) => (Some(Encoding::Utf16Be), 0),
        (None, _) => (declared_label(doc).map_or(Some(Encoding::Utf8), by_label), 0),
    };
    let rest = doc.get(skip..).unwrap_or(&[]);
    let (enc, warning) = match enc {
        Some(Encoding::Utf8) | None => match core::str::from_utf8(rest) {
            Ok(s) => {
                let warning = enc.is_none().then_some("xml: declared encoding not in this build; read as UTF-8");
                return Ok(Decoded { text: Cow::Borrowed(s), encoding: "UTF-8", warning });
            }
            // Valid multi-byte sequences before the error: UTF-8 with a glitch, keep the
            // rest and replace the bad bytes. Otherwise it is most likely Windows-1252
            // (the declaration, if any, was wrong), as plain text assumes too.
            Err(e) if rest.get(..e.valid_up_to()).is_some_and(|ok| ok.iter().any(|&b| b >= 0x80)) => {
                (Encoding::Utf8, Some("xml: invalid UTF-8 replaced with U+FFFD"))
            }
            Err(_) => (Encoding::Windows1252, Some("xml: input is not valid UTF-8; decoded as windows-1252")),
        },
        Some(e) => (e, None),
    };
    let mut text = String::new();
    enc.decode_all(rest, &mut text)?;
    Ok(Decoded { text: Cow::Owned(text), encoding: enc.name(), warning })
}

/// As [`decode`], for bytes the caller owns (a decompressed Office part), so the text can
/// live beside the reader in one struct: UTF-8 without a BOM becomes the text in place.
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded<'static>> {
    let utf8 = Encoding::from_bom(&bytes).is_none()
        && declared_label(&bytes).is_none_or(|l| by_label(l) == Some(Encoding::Utf8));
    let bytes = match utf8 {
        true => match String::from_utf8(bytes) {
            Ok(text) => return Ok(Decoded { text: Cow::Owned(text), encoding: "UTF-8", warning: None }),
            Err(e) => e.into_bytes(),
        },
        false => bytes,
    };
    let d = decode(&bytes)?;
    Ok(Decoded { text: Cow::Owned(d.text.into_owned()), encoding: d.encoding, warning: d.warning })
}

/// The encoding a declaration names, None when this build cannot decode it. A UTF-16
/// label on bytes that spelled out the declaration in ASCII is wrong: those are UTF-8.
fn by_label(label: &[u8]) -> Option<Encoding> {
    match from_label(label) {
        Label::Known(Encoding::Utf16Le | Encoding::Utf16Be) => Some(Encoding::Utf8),
        Label::Known(e) => Some(e),
        _ => None,
    }
}

/// The `encoding` pseudo-attribute of a leading `<?xml ... ?>` declaration.
fn declared_label(doc: &[u8]) -> Option<&[u8]> {
    let head = doc.get(..DECL_WINDOW).unwrap_or(doc);
    let decl = head.strip_prefix(b"<?xml")?;
    // `find`: the reader's search, one copy of that loop in the module.
    let decl = decl.get(..super::escape::find(decl, 0, b"?>")?)?;
    let at = super::escape::find(decl, 0, b"encoding")?;
    let rest = decl.get(at + 8..)?;
    let rest = rest.get(rest.iter().position(|&b| b == b'"' || b == b'\'')?..)?;
    let (&quote, value) = rest.split_first()?;
    value.get(..value.iter().position(|&b| b == quote)?)
}
