//! CJK text of composite fonts that carry no ToUnicode CMap (feature `cjk`, the complete
//! preset). Two cases, both ending in the WHATWG decoders of `crate::encoding::cjk`:
//! - a predefined legacy CMap (`90ms-RKSJ-H`, `GBK-EUC-H`, `ETen-B5-H`, `KSCms-UHC-H`, ...):
//!   its codes are the bytes of a legacy encoding, so they are decoded as such;
//! - CIDs of the Adobe-Japan1, -GB1, -CNS1 or -Korea1 collection (usually with Identity-H):
//!   the collections number their CIDs in the order of a legacy character set, so
//!   `cjk_data.rs` turns a CID into that set's code in a few hundred runs, which is decoded.
//!
//! Without the feature such fonts yield no text and a warning that the build lacks them.

use super::cjk_data;
use crate::encoding::cjk::{Cjk, Decoder};
use crate::error::Result;
use alloc::string::String;
use core::cell::RefCell;

/// A decoder for the codes of one font.
pub struct Legacy {
    decoder: RefCell<Decoder>,
    /// ISO-2022 row/column codes (`H`, `GB-H`, `KSC-H`): two 7-bit bytes, which are the EUC
    /// bytes without their high bits.
    row_col: bool,
}

impl Legacy {
    /// For a predefined CMap whose codes are a legacy encoding's bytes; None for any other.
    pub fn for_cmap(name: &[u8]) -> Result<Option<Legacy>> {
        match cmap_encoding(name) {
            Some((enc, row_col)) => Ok(Some(Legacy { decoder: RefCell::new(Decoder::new(enc)?), row_col })),
            None => Ok(None),
        }
    }

    /// The code at `pos` as a big-endian number of its bytes, and its length.
    pub fn next_code(&self, bytes: &[u8], pos: usize) -> (u32, usize) {
        let rest = bytes.get(pos..).unwrap_or(&[]);
        let len = if self.row_col {
            rest.len().min(2)
        } else {
            // The decoder knows how long a code is; the text is produced again in `unicode`.
            self.decoder.borrow_mut().decode_step(rest, &mut |_| {}).min(4)
        };
        let code = rest.iter().take(len).fold(0u32, |acc, &b| acc << 8 | b as u32);
        (code, len.max(1))
    }

    /// Appends the text of a code from [`Legacy::next_code`] (or from a CID's run); false for
    /// an unmapped code.
    pub fn unicode(&self, code: u32, out: &mut String) -> bool {
        let bytes = code.to_be_bytes();
        let len = 4 - (code.leading_zeros() / 8).min(3) as usize;
        let mut code_bytes = [0u8; 4];
        for (dst, src) in code_bytes.iter_mut().zip(bytes.iter().skip(4 - len)) {
            *dst = if self.row_col { src | 0x80 } else { *src };
        }
        let mut any = false;
        let at = out.len();
        self.decoder.borrow_mut().decode_step(code_bytes.get(..len).unwrap_or(&[]), &mut |c| {
            if c != '\u{fffd}' && (c >= ' ' || c == '\t') {
                any = true;
            }
            out.push(c);
        });
        if !any {
            out.truncate(at);
        }
        any
    }

    /// The advance of a code for a font whose widths are keyed by CIDs this build cannot
    /// compute: one-byte codes are the half-width Latin and kana, the rest full width.
    pub fn is_half_width(&self, code: u32) -> bool {
        code <= 0xFF && !self.row_col
    }
}

/// The decoder and CID runs of a character collection, by its `/Ordering`.
pub fn collection(ordering: &[u8]) -> Result<Option<(Legacy, &'static [u16])>> {
    let (enc, table): (Cjk, &'static [u16]) = match ordering {
        b"Japan1" => (Cjk::ShiftJis, &cjk_data::JAPAN1),
        b"GB1" => (Cjk::Gbk, &cjk_data::GB1),
        b"CNS1" => (Cjk::Big5, &cjk_data::CNS1),
        b"Korea1" => (Cjk::EucKr, &cjk_data::KOREA1),
        _ => return Ok(None),
    };
    Ok(Some((Legacy { decoder: RefCell::new(Decoder::new(enc)?), row_col: false }, table)))
}

/// The legacy code of a collection CID: a binary search of the (first CID, first code,
/// length) runs.
pub fn cid_code(runs: &[u16], cid: u32) -> Option<u32> {
    let (mut lo, mut hi) = (0, runs.len() / 3);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if *runs.get(mid * 3)? as u32 <= cid {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let i = lo.checked_sub(1)? * 3;
    let (start, code, len) = (*runs.get(i)? as u32, *runs.get(i + 1)? as u32, *runs.get(i + 2)? as u32);
    (cid < start + len).then(|| code + (cid - start))
}

/// The legacy encoding of a predefined CMap's codes, and whether they are ISO-2022 row/column
/// pairs. CNS 11643 (`CNS-EUC-H`, `CNS1-H`) and JIS X 0212 alone (`Hojo-*`) are not WHATWG
/// encodings and stay unknown.
fn cmap_encoding(name: &[u8]) -> Option<(Cjk, bool)> {
    if name == b"H" || name == b"V" {
        return Some((Cjk::EucJp, true));
    }
    let base = name.strip_suffix(b"-H").or_else(|| name.strip_suffix(b"-V"))?;
    let base = base.strip_suffix(b"-HW").unwrap_or(base);
    let has = |needle: &[u8]| base.windows(needle.len()).any(|w| w == needle);
    Some(match base {
        _ if has(b"RKSJ") => (Cjk::ShiftJis, false),
        b"EUC" | b"78-EUC" => (Cjk::EucJp, false),
        _ if base.starts_with(b"GBK2K") => (Cjk::Gb18030, false),
        _ if base.starts_with(b"GB") && base.ends_with(b"-EUC") => (Cjk::Gbk, false),
        _ if base.starts_with(b"KSC") && (base.ends_with(b"-EUC") || has(b"UHC")) => (Cjk::EucKr, false),
        _ if base.starts_with(b"B5") || base.ends_with(b"-B5") => (Cjk::Big5, false),
        b"78" | b"Add" | b"Ext" | b"NWP" => (Cjk::EucJp, true),
        b"GB" | b"GBT" => (Cjk::Gbk, true),
        b"KSC" => (Cjk::EucKr, true),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(l: &Legacy, bytes: &[u8]) -> String {
        let mut out = String::new();
        let mut pos = 0;
        while pos < bytes.len() {
            let (code, n) = l.next_code(bytes, pos);
            l.unicode(code, &mut out);
            pos += n;
        }
        out
    }

    #[test]
    fn predefined_cmaps_name_their_encodings() {
        type Case = (&'static [u8], Option<(Cjk, bool)>);
        let cases: [Case; 14] = [
            (b"90ms-RKSJ-H", Some((Cjk::ShiftJis, false))),
            (b"Add-RKSJ-V", Some((Cjk::ShiftJis, false))),
            (b"EUC-H", Some((Cjk::EucJp, false))),
            (b"H", Some((Cjk::EucJp, true))),
            (b"Ext-V", Some((Cjk::EucJp, true))),
            (b"GBK-EUC-H", Some((Cjk::Gbk, false))),
            (b"GBpc-EUC-V", Some((Cjk::Gbk, false))),
            (b"GBK2K-H", Some((Cjk::Gb18030, false))),
            (b"GB-H", Some((Cjk::Gbk, true))),
            (b"ETen-B5-H", Some((Cjk::Big5, false))),
            (b"B5pc-V", Some((Cjk::Big5, false))),
            (b"KSCms-UHC-HW-H", Some((Cjk::EucKr, false))),
            (b"CNS-EUC-H", None),
            (b"Identity-H", None),
        ];
        for (name, want) in cases {
            assert_eq!(cmap_encoding(name), want, "{}", String::from_utf8_lossy(name));
        }
    }

    #[test]
    fn legacy_codes_decode_code_by_code() {
        // "日本語のテキスト" in Shift_JIS, then ASCII, as a 90ms-RKSJ-H font shows it.
        let sjis = b"\x93\xfa\x96\x7b\x8c\xea\x82\xcc\x83\x65\x83\x4c\x83\x58\x83\x67 PDF";
        let l = Legacy::for_cmap(b"90ms-RKSJ-H").unwrap().unwrap();
        assert_eq!(text(&l, sjis), "日本語のテキスト PDF");
        assert!(l.is_half_width(l.next_code(sjis, 16).0) && !l.is_half_width(l.next_code(sjis, 0).0));
        // "中文" in GBK and the same characters as GB 2312 row/column pairs (GB-H).
        let gbk = Legacy::for_cmap(b"GBK-EUC-H").unwrap().unwrap();
        assert_eq!(text(&gbk, b"\xd6\xd0\xce\xc4"), "中文");
        let rc = Legacy::for_cmap(b"GB-H").unwrap().unwrap();
        assert_eq!(text(&rc, b"\x56\x50\x4e\x44"), "中文");
        // "한국어" in EUC-KR, "中文" in Big5.
        let kr = Legacy::for_cmap(b"KSC-EUC-H").unwrap().unwrap();
        assert_eq!(text(&kr, b"\xc7\xd1\xb1\xb9\xbe\xee"), "한국어");
        let b5 = Legacy::for_cmap(b"ETen-B5-H").unwrap().unwrap();
        assert_eq!(text(&b5, b"\xa4\xa4\xa4\xe5"), "中文");
    }

    #[test]
    fn collection_cids_become_text() {
        // Adobe-Japan1: CID 1 is the proportional space, 34 'A', 843 'あ' (Shift_JIS 0x82A0),
        // 1125 '亜' (0x889F); Adobe-GB1: 4559 '中'; Adobe-CNS1: 661 '中'; Adobe-Korea1: 3296 '한'
        // (the CIDs of poppler-data's cidToUnicode files).
        let cases: [(&[u8], u32, &str); 7] = [
            (b"Japan1", 1, " "),
            (b"Japan1", 34, "A"),
            (b"Japan1", 843, "あ"),
            (b"Japan1", 1125, "亜"),
            (b"GB1", 4559, "中"),
            (b"CNS1", 661, "中"),
            (b"Korea1", 3296, "한"),
        ];
        for (ordering, cid, want) in cases {
            let (l, runs) = collection(ordering).unwrap().unwrap();
            let mut out = String::new();
            let code = cid_code(runs, cid).unwrap_or_else(|| panic!("CID {cid} unmapped"));
            assert!(l.unicode(code, &mut out));
            assert_eq!(out, want, "{} CID {cid}", String::from_utf8_lossy(ordering));
        }
        let (_, runs) = collection(b"Japan1").unwrap().unwrap();
        assert_eq!(cid_code(runs, 0), None);
        assert_eq!(cid_code(runs, 65_535), None);
        assert!(collection(b"Identity").unwrap().is_none());
    }
}
