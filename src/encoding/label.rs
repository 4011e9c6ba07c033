//! WHATWG encoding labels ("latin1", "Shift_JIS", " KOI8-R ") to encodings, for the charset of
//! an HTML `<meta>`, an XML declaration or a MIME type.

use super::single_byte::SingleByte;
use super::tables::{self, FIRST_OTHER, LABELS, MAX_KEY, NAMES, NAME_END, PREFIXES};
use super::Encoding;

/// What a label names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Label {
    /// An encoding this build decodes.
    Known(Encoding),
    /// A WHATWG encoding this build cannot decode, by its canonical name: the multi-byte CJK
    /// encodings (GBK, gb18030, Big5, EUC-JP, ISO-2022-JP, Shift_JIS, EUC-KR) without the
    /// `cjk` feature, and "replacement" (ISO-2022-KR/CN, HZ), which the standard decodes to a
    /// single U+FFFD. Callers fall back and say so in a warning.
    NotCompiled(&'static str),
    Unknown,
}

/// Looks a label up as the Encoding Standard does: ASCII case-insensitive, surrounding ASCII
/// white space ignored. Every WHATWG label is recognised; the matching is a little looser
/// than the standard's (separators '-' and '_' and a ":year" suffix are ignored), which only
/// ever maps a near-miss like "utf_8" or "ISO8859_5" to the encoding it evidently means.
pub fn from_label(label: &[u8]) -> Label {
    let label = label.trim_ascii();
    // Normalise into a small buffer: lowercase, cut at ':', without '-' and '_'.
    let mut buf = [0u8; MAX_KEY];
    let mut len = 0;
    for &b in label.iter().take_while(|&&b| b != b':') {
        if b == b'-' || b == b'_' {
            continue;
        }
        let Some(slot) = buf.get_mut(len) else {
            return Label::Unknown;
        };
        *slot = b.to_ascii_lowercase();
        len += 1;
    }
    // Prefix rewrites, in order. Each shortens the key (the generator checks), so it is
    // written in place just before the rest.
    let mut start = 0;
    for (from, to) in PREFIXES.iter() {
        if buf.get(start..len).is_some_and(|k| k.starts_with(from)) {
            start = (start + from.len()).saturating_sub(to.len());
            if let Some(dst) = buf.get_mut(start..start + to.len()) {
                dst.copy_from_slice(to);
            }
        }
    }
    let key = buf.get(start..len).unwrap_or(&[]);
    // LABELS: each key followed by 0x80 | id.
    let mut rest = LABELS;
    while let Some(end) = rest.iter().position(|&b| b >= 0x80) {
        let (k, tail) = rest.split_at(end);
        let Some((&id, tail)) = tail.split_first() else {
            break;
        };
        if k == key {
            return by_id(id & 0x7f);
        }
        rest = tail;
    }
    Label::Unknown
}

fn by_id(id: u8) -> Label {
    match id {
        tables::ID_UTF_8 => Label::Known(Encoding::Utf8),
        tables::ID_UTF_16LE => Label::Known(Encoding::Utf16Le),
        tables::ID_UTF_16BE => Label::Known(Encoding::Utf16Be),
        tables::ID_WINDOWS_1252 => Label::Known(Encoding::Windows1252),
        id if id < FIRST_OTHER => Label::Known(Encoding::Single(SingleByte(id))),
        id => {
            #[cfg(feature = "cjk")]
            if let Some(&c) = super::Cjk::ALL.get(id.wrapping_sub(FIRST_OTHER) as usize) {
                return Label::Known(Encoding::Cjk(c));
            }
            Label::NotCompiled(name(id))
        }
    }
}

/// The canonical name of encoding `id` in the generated tables.
pub(super) fn name(id: u8) -> &'static str {
    let id = id as usize;
    let start = match id.checked_sub(1) {
        Some(prev) => NAME_END.get(prev).copied().unwrap_or(0),
        None => 0,
    };
    let end = NAME_END.get(id).copied().unwrap_or(0);
    NAMES.get(start as usize..end as usize).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::super::tables::expected;
    use super::*;

    fn label_name(l: Label) -> &'static str {
        match l {
            Label::Known(e) => e.name(),
            Label::NotCompiled(n) => n,
            Label::Unknown => "?",
        }
    }

    #[test]
    fn every_whatwg_label() {
        assert_eq!(expected::LABELS.len(), 228);
        for &(label, name) in expected::LABELS {
            assert_eq!(label_name(from_label(label.as_bytes())), name, "{label}");
            let upper = label.to_ascii_uppercase();
            assert_eq!(label_name(from_label(upper.as_bytes())), name, "{upper}");
        }
    }

    #[test]
    fn trims_and_folds_case() {
        assert_eq!(from_label(b" \t\r\n\x0cUTF-8 \n"), Label::Known(Encoding::Utf8));
        assert_eq!(from_label(b"Latin1"), Label::Known(Encoding::Windows1252));
        assert_eq!(from_label(b"ISO-8859-1"), Label::Known(Encoding::Windows1252));
        assert_eq!(from_label(b"koi8-r"), Label::Known(Encoding::Single(SingleByte::KOI8_R)));
        assert_eq!(from_label(b"WINDOWS-1250"), Label::Known(Encoding::Single(SingleByte::WINDOWS_1250)));
        assert_eq!(from_label(b"iso-8859-9"), Label::Known(Encoding::Single(SingleByte::WINDOWS_1254)));
        assert_eq!(from_label(b"tis-620"), Label::Known(Encoding::Single(SingleByte::WINDOWS_874)));
        assert_eq!(from_label(b"utf-16"), Label::Known(Encoding::Utf16Le));
    }

    #[cfg(not(feature = "cjk"))]
    #[test]
    fn cjk_and_replacement_are_not_compiled() {
        assert_eq!(from_label(b"Shift_JIS"), Label::NotCompiled("Shift_JIS"));
        assert_eq!(from_label(b"gb2312"), Label::NotCompiled("GBK"));
        assert_eq!(from_label(b"x-euc-jp"), Label::NotCompiled("EUC-JP"));
        assert_eq!(from_label(b"ks_c_5601-1987"), Label::NotCompiled("EUC-KR"));
        assert_eq!(from_label(b"big5-hkscs"), Label::NotCompiled("Big5"));
        assert_eq!(from_label(b"iso-2022-kr"), Label::NotCompiled("replacement"));
    }

    #[cfg(feature = "cjk")]
    #[test]
    fn cjk_labels_are_known_and_replacement_is_not_compiled() {
        use crate::encoding::Cjk;
        assert_eq!(from_label(b"Shift_JIS"), Label::Known(Encoding::Cjk(Cjk::ShiftJis)));
        assert_eq!(from_label(b"windows-31j"), Label::Known(Encoding::Cjk(Cjk::ShiftJis)));
        assert_eq!(from_label(b"gb2312"), Label::Known(Encoding::Cjk(Cjk::Gbk)));
        assert_eq!(from_label(b"GB18030"), Label::Known(Encoding::Cjk(Cjk::Gb18030)));
        assert_eq!(from_label(b"x-euc-jp"), Label::Known(Encoding::Cjk(Cjk::EucJp)));
        assert_eq!(from_label(b"csiso2022jp"), Label::Known(Encoding::Cjk(Cjk::Iso2022Jp)));
        assert_eq!(from_label(b"ks_c_5601-1987"), Label::Known(Encoding::Cjk(Cjk::EucKr)));
        assert_eq!(from_label(b"big5-hkscs"), Label::Known(Encoding::Cjk(Cjk::Big5)));
        assert_eq!(from_label(b"iso-2022-kr"), Label::NotCompiled("replacement"));
        let names: Vec<&str> = Cjk::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(names, ["GBK", "gb18030", "Big5", "EUC-JP", "ISO-2022-JP", "Shift_JIS", "EUC-KR"]);
    }

    #[test]
    fn unknown_and_hostile_labels() {
        for l in [
            &b""[..],
            b"   ",
            b"utf-7",
            b"latin",
            b"iso-8859-12",
            b"windows-1252x",
            b"\xff\xfe",
            b"x",
            b"cs",
            b"windows",
            b"iso8859",
            b"-_-_:",
            b"a-very-long-label-that-is-no-encoding-at-all",
        ] {
            assert_eq!(from_label(l), Label::Unknown, "{l:?}");
        }
        // Long input of separators only normalises to nothing; a huge label is cut off early.
        assert_eq!(from_label(&[b'-'; 100_000]), Label::Unknown);
        assert_eq!(from_label(&[b'a'; 100_000]), Label::Unknown);
    }

    #[test]
    fn lenient_near_misses() {
        assert_eq!(from_label(b"utf_8"), Label::Known(Encoding::Utf8));
        assert_eq!(from_label(b"ISO8859_5"), Label::Known(Encoding::Single(SingleByte::ISO_8859_5)));
        assert_eq!(from_label(b"iso_8859-13"), Label::Known(Encoding::Single(SingleByte::ISO_8859_13)));
    }
}
