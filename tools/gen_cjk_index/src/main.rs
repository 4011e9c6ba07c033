//! Prints the WHATWG CJK indexes as `index pointer code-point[,code-point]` lines (hex code
//! points), derived by decoding each pointer's byte sequence with encoding_rs. With the
//! argument `decode`, instead reads `label hex-bytes` lines and prints each decoded text as
//! hex code points, so the generator can check its test vectors against the standard.

use encoding_rs::{Encoding, BIG5, EUC_JP, EUC_KR, GB18030, SHIFT_JIS};
use std::io::{BufRead, Write};

fn decode(enc: &'static Encoding, bytes: &[u8]) -> Vec<u32> {
    let (s, _) = enc.decode_without_bom_handling(bytes);
    s.chars().map(|c| c as u32).collect()
}

fn hex(cps: &[u32]) -> String {
    cps.iter().map(|c| format!("{c:x}")).collect::<Vec<_>>().join(",")
}

fn main() {
    let out = std::io::stdout();
    let mut o = std::io::BufWriter::new(out.lock());
    if std::env::args().nth(1).as_deref() == Some("decode") {
        for line in std::io::stdin().lock().lines() {
            let line = line.unwrap();
            let (label, h) = line.split_once(' ').unwrap();
            let enc = Encoding::for_label(label.as_bytes()).unwrap();
            let bytes: Vec<u8> = (0..h.len()).step_by(2).map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap()).collect();
            writeln!(o, "{}", hex(&decode(enc, &bytes))).unwrap();
        }
        return;
    }
    let mut put = |index: &str, pointer: usize, enc: &'static Encoding, bytes: &[u8]| {
        let cps = decode(enc, bytes);
        if !cps.is_empty() && cps[0] != 0xfffd && (cps.len() == 1 || index == "big5") {
            writeln!(o, "{index} {pointer} {}", hex(&cps)).unwrap();
        }
    };
    // jis0208 through Shift_JIS (every pointer; 8836..=10715 are the decoder's private use).
    for lead in (0x81..=0x9fu8).chain(0xe0..=0xfc) {
        for trail in (0x40..=0x7eu8).chain(0x80..=0xfc) {
            let p = (lead as usize - if lead < 0xa0 { 0x81 } else { 0xc1 }) * 188 + trail as usize
                - if trail < 0x7f { 0x40 } else { 0x41 };
            if !(8836..=10715).contains(&p) {
                put("jis0208", p, SHIFT_JIS, &[lead, trail]);
            }
        }
    }
    for lead in 0xa1..=0xfeu8 {
        for trail in 0xa1..=0xfeu8 {
            let p = (lead as usize - 0xa1) * 94 + trail as usize - 0xa1;
            put("jis0212", p, EUC_JP, &[0x8f, lead, trail]);
            put("jis0208-euc", p, EUC_JP, &[lead, trail]);
        }
    }
    for lead in 0x81..=0xfeu8 {
        for trail in (0x40..=0x7eu8).chain(0x80..=0xfe) {
            let p = (lead as usize - 0x81) * 190 + trail as usize - if trail < 0x7f { 0x40 } else { 0x41 };
            put("gb18030", p, GB18030, &[lead, trail]);
        }
        for trail in (0x40..=0x7eu8).chain(0xa1..=0xfe) {
            let p = (lead as usize - 0x81) * 157 + trail as usize - if trail < 0x7f { 0x40 } else { 0x62 };
            put("big5", p, BIG5, &[lead, trail]);
        }
        for trail in 0x41..=0xfeu8 {
            put("euc-kr", (lead as usize - 0x81) * 190 + trail as usize - 0x41, EUC_KR, &[lead, trail]);
        }
    }
    // gb18030 four-byte sequences of the BMP (pointers 0..39420) and a sample beyond.
    for p in (0..39420usize).chain([39420, 188999, 189000, 189001, 1237575, 1237576]) {
        let b = [(p / 12600 + 0x81) as u8, (p / 1260 % 10 + 0x30) as u8, (p / 10 % 126 + 0x81) as u8, (p % 10 + 0x30) as u8];
        put("gb18030-4", p, GB18030, &b);
    }
}
