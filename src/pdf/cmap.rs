//! CMaps: ToUnicode maps (character code to text) and embedded encoding CMaps (character
//! code to CID) of composite fonts.
//!
//! Only the operators that carry mappings are read; everything else in the PostScript
//! (dictionaries, `findresource`, comments, junk) is skipped token by token. Ranges are stored
//! as ranges, so `<0000> <FFFF> <0000>` costs one entry, and all entries together are bounded
//! by `Config::max_objects`.

use crate::config::Config;
use crate::error::{limit, oom, Result};
use crate::pdf::glyphs;
use alloc::string::String;
use alloc::vec::Vec;

/// The longest usecmap name kept (predefined CMap names are at most about 20 bytes).
const MAX_NAME: usize = 32;
/// Codespace ranges kept: `next_code` tries each for every code (the specification allows
/// 100 per block; real CMaps have a handful).
const MAX_CODESPACE: usize = 64;
/// Overlapping ranges kept (each look-up may scan them all): a catch-all range under specific
/// ones is common, hundreds of nested ranges are junk.
const MAX_OVERLAPPING: usize = 64;

#[derive(Clone, Copy, Debug)]
struct CodeSpace {
    lo: u32,
    hi: u32,
    len: u8,
}

/// One mapping of the codes lo..=hi (lo == hi for bfchar and cidchar). For bf entries
/// `off`/`len` locate the destination in `CMap::text`, or for an array destination the
/// range's strings in `CMap::strings`; for cid entries `off` is the CID of `lo`. One type for
/// both keeps one copy of the sort and search code in the module.
#[derive(Clone, Copy, Debug)]
struct Entry {
    lo: u32,
    hi: u32,
    off: u32,
    len: u32,
    array: bool,
}

/// Each mapping kind in three sorted lists: single codes and disjoint ranges, found by
/// binary search, and the few ranges that overlap others, scanned.
#[derive(Debug, Default)]
pub struct CMap {
    codespace: Vec<CodeSpace>,
    bf: Lists,
    cid: Lists,
    /// UTF-16 code units of all destinations.
    text: Vec<u16>,
    /// (offset, length) in `text` of each string of array destinations.
    strings: Vec<(u32, u32)>,
    identity: bool,
    vertical: bool,
    /// The code length of the first mapping, for CMaps that forgot their codespace.
    key_len: u8,
    usecmap: Vec<u8>,
}

fn push<T>(v: &mut Vec<T>, x: T) -> Result<()> {
    v.try_reserve(1).map_err(|_| oom())?;
    v.push(x);
    Ok(())
}

impl CMap {
    pub fn parse(data: &[u8], cfg: &Config) -> Result<CMap> {
        let mut p = Parser { lex: Lexer { data, pos: 0 }, cmap: CMap::default(), entries: 0, max: cfg.max_objects };
        p.run()?;
        let mut cmap = p.cmap;
        cmap.bf.finish()?;
        cmap.cid.finish()?;
        Ok(cmap)
    }

    /// Identity-H: 2-byte codes, cid = code.
    pub fn identity() -> CMap {
        CMap { identity: true, key_len: 2, ..CMap::default() }
    }

    pub fn identity_vertical() -> CMap {
        CMap { vertical: true, ..CMap::identity() }
    }

    /// The name of a CMap this one is based on (`usecmap`) other than Identity-H/V, which
    /// this module cannot load: the caller can warn that some codes may be missing.
    pub fn usecmap(&self) -> Option<&[u8]> {
        (!self.usecmap.is_empty()).then_some(&self.usecmap[..])
    }

    /// The next character code at `pos` by the codespace ranges (1–4 bytes); without
    /// ranges, 1 byte (2 for identity or when the mappings used 2-byte codes). A code no
    /// range accepts takes the shortest range's length, as viewers do. Returns (code,
    /// length >= 1); (0, 1) at or past the end.
    pub fn next_code(&self, bytes: &[u8], pos: usize) -> (u32, usize) {
        let rest = bytes.get(pos..).unwrap_or(&[]);
        if rest.is_empty() {
            return (0, 1);
        }
        let read = |n: usize| rest.iter().take(n).fold(0u32, |acc, &b| acc << 8 | u32::from(b));
        if self.codespace.is_empty() {
            let n = usize::from(self.key_len.clamp(1, 4)).min(rest.len());
            return (read(n), n);
        }
        let mut shortest = 4;
        for n in 1..=rest.len().min(4) {
            let code = read(n);
            for cs in &self.codespace {
                if usize::from(cs.len) == n && cs.lo <= code && code <= cs.hi {
                    return (code, n);
                }
            }
        }
        for cs in &self.codespace {
            shortest = shortest.min(usize::from(cs.len));
        }
        let n = shortest.clamp(1, rest.len());
        (read(n), n)
    }

    /// Appends the Unicode text of `code` (UTF-16BE decoded, surrogates joined); false when
    /// unmapped.
    pub fn unicode(&self, code: u32, out: &mut String) -> bool {
        let Some(r) = self.bf.find(code) else { return false };
        let delta = code - r.lo;
        if r.array {
            let Some(&(off, len)) = r.off.checked_add(delta).and_then(|i| self.strings.get(i as usize)) else {
                return false;
            };
            return self.push_text(off, len, 0, out);
        }
        self.push_text(r.off, r.len, delta, out)
    }

    /// The destination string `text[off..off + len]` with `delta` added to its last unit.
    fn push_text(&self, off: u32, len: u32, delta: u32, out: &mut String) -> bool {
        let (off, len) = (off as usize, len as usize);
        let Some(units) = self.text.get(off..off.saturating_add(len)) else { return false };
        let Some((&last, head)) = units.split_last() else { return false };
        let Some(last) = u32::from(last).checked_add(delta).and_then(|u| u16::try_from(u).ok()) else {
            return false;
        };
        if out.try_reserve(units.len().saturating_mul(3)).is_err() {
            return false;
        }
        let all = head.iter().copied().chain(core::iter::once(last));
        for c in char::decode_utf16(all) {
            out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        true
    }

    pub fn cid(&self, code: u32) -> Option<u32> {
        if let Some(r) = self.cid.find(code) {
            return r.off.checked_add(code - r.lo);
        }
        (self.identity && code <= 0xFFFF).then_some(code)
    }

    pub fn is_vertical(&self) -> bool {
        self.vertical
    }
}

#[derive(Debug, Default)]
struct Lists {
    singles: Vec<Entry>,
    /// Disjoint once `finish` has moved the overlapping ones out.
    ranges: Vec<Entry>,
    overlapping: Vec<Entry>,
}

impl Lists {
    /// Sorts, and moves every range that overlaps a later one to `overlapping`. Sorted by
    /// start, a range overlaps some later range exactly when it overlaps the next one, so
    /// the ranges left behind are disjoint.
    fn finish(&mut self) -> Result<()> {
        heap_sort(&mut self.singles);
        heap_sort(&mut self.ranges);
        let mut disjoint = Vec::new();
        disjoint.try_reserve(self.ranges.len()).map_err(|_| oom())?;
        for (i, r) in self.ranges.iter().enumerate() {
            let overlaps = self.ranges.get(i + 1).is_some_and(|next| r.hi >= next.lo);
            if !overlaps {
                disjoint.push(*r);
            } else if self.overlapping.len() < MAX_OVERLAPPING {
                push(&mut self.overlapping, *r)?;
            }
        }
        self.ranges = disjoint;
        Ok(())
    }

    /// A single code's entry, else the disjoint range holding `code`, else the last (most
    /// specific: latest start) overlapping range that holds it.
    fn find(&self, code: u32) -> Option<Entry> {
        if let Ok(i) = self.singles.binary_search_by_key(&code, |e| e.lo) {
            return self.singles.get(i).copied();
        }
        let end = self.ranges.partition_point(|e| e.lo <= code);
        if let Some(r) = end.checked_sub(1).and_then(|i| self.ranges.get(i)).filter(|r| r.hi >= code) {
            return Some(*r);
        }
        self.overlapping.iter().rev().find(|r| r.lo <= code && code <= r.hi).copied()
    }
}

/// Sorts by start, and among entries with one start the narrowest last, so that `find`
/// prefers it to a catch-all range. A heap sort: no allocation, and a fraction of the code
/// of the standard library's sorts.
fn heap_sort(v: &mut [Entry]) {
    let key = |e: &Entry| (e.lo, core::cmp::Reverse(e.hi));
    let sift = |v: &mut [Entry], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && key(&v[child]) < key(&v[child + 1]) {
            child += 1;
        }
        if key(&v[root]) >= key(&v[child]) {
            break;
        }
        v.swap(root, child);
        root = child;
    };
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Token<'a> {
    /// The hex digits between < and > (whitespace included; decoded on use).
    Hex(&'a [u8]),
    /// The raw bytes between ( and ), escapes undecoded.
    Literal(&'a [u8]),
    Name(&'a [u8]),
    Int(i64),
    Keyword(&'a [u8]),
    ArrayStart,
    ArrayEnd,
    /// Anything else: dictionary brackets, procedures, stray delimiters.
    Other,
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

impl<'a> Lexer<'a> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.data.get(at).copied()
    }

    /// The next token; every call that returns one consumes at least one byte.
    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let b = self.byte(self.pos)?;
            if b.is_ascii_whitespace() || b == 0 {
                self.pos += 1;
            } else if b == b'%' {
                while self.byte(self.pos).is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
        let start = self.pos;
        let b = self.byte(start)?;
        self.pos += 1;
        Some(match b {
            b'[' => Token::ArrayStart,
            b']' => Token::ArrayEnd,
            b'<' if self.byte(self.pos) == Some(b'<') => {
                self.pos += 1;
                Token::Other
            }
            b'<' => {
                let len = self.data.get(self.pos..)?.iter().take_while(|&&b| b != b'>').count();
                let hex = self.data.get(self.pos..self.pos + len)?;
                self.pos += len + 1;
                Token::Hex(hex)
            }
            b'(' => {
                let (mut depth, mut i) = (1u32, self.pos);
                while let Some(c) = self.byte(i) {
                    match c {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                let lit = self.data.get(self.pos..i.min(self.data.len()))?;
                self.pos = i.saturating_add(1);
                Token::Literal(lit)
            }
            b'/' => Token::Name(self.word()),
            b'>' | b')' | b'{' | b'}' => Token::Other,
            _ => {
                self.pos = start;
                let w = self.word();
                if w.is_empty() {
                    self.pos = start + 1;
                    return Some(Token::Other);
                }
                match parse_int(w) {
                    Some(n) => Token::Int(n),
                    None => Token::Keyword(w),
                }
            }
        })
    }

    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.byte(self.pos).is_some_and(|b| !b.is_ascii_whitespace() && b != 0 && !is_delimiter(b)) {
            self.pos += 1;
        }
        self.data.get(start..self.pos).unwrap_or(&[])
    }
}

fn parse_int(w: &[u8]) -> Option<i64> {
    let (neg, digits) = match w.split_first() {
        Some((b'-', d)) => (true, d),
        Some((b'+', d)) => (false, d),
        _ => (false, w),
    };
    if digits.is_empty() || digits.len() > 12 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = digits.iter().fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'));
    Some(if neg { -n } else { n })
}

/// Decodes hex digits into bytes (whitespace skipped, an odd last digit padded with 0).
fn hex_bytes(hex: &[u8], mut emit: impl FnMut(u8)) {
    let mut high: Option<u8> = None;
    for &c in hex {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'F' => c - b'A' + 10,
            b'a'..=b'f' => c - b'a' + 10,
            _ => continue,
        };
        match high.take() {
            Some(h) => emit(h << 4 | v),
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        emit(h << 4);
    }
}

/// The bytes of a literal string with its escapes decoded.
fn literal_bytes(lit: &[u8], mut emit: impl FnMut(u8)) {
    let mut i = 0;
    while let Some(&c) = lit.get(i) {
        i += 1;
        if c != b'\\' {
            emit(c);
            continue;
        }
        let Some(&e) = lit.get(i) else { break };
        i += 1;
        match e {
            b'n' => emit(b'\n'),
            b'r' => emit(b'\r'),
            b't' => emit(b'\t'),
            b'b' => emit(8),
            b'f' => emit(12),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match lit.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                emit(v as u8);
            }
            b'\r' | b'\n' => {}
            other => emit(other),
        }
    }
}

/// A source code: its value and byte length (at most 4 bytes count).
fn code_of(tok: Token) -> Option<(u32, u8)> {
    let (mut v, mut n) = (0u32, 0u8);
    let mut add = |b: u8| {
        v = v << 8 | u32::from(b);
        n = n.saturating_add(1);
    };
    match tok {
        Token::Hex(h) => hex_bytes(h, &mut add),
        Token::Literal(l) => literal_bytes(l, &mut add),
        _ => return None,
    }
    (1..=4).contains(&n).then_some((v, n))
}

struct Parser<'a> {
    lex: Lexer<'a>,
    cmap: CMap,
    entries: u32,
    max: u32,
}

impl<'a> Parser<'a> {
    fn count(&mut self) -> Result<()> {
        self.entries += 1;
        if self.entries > self.max {
            return Err(limit("cmap: too many entries"));
        }
        Ok(())
    }

    fn run(&mut self) -> Result<()> {
        let mut prev: Option<Token> = None;
        while let Some(tok) = self.lex.next() {
            match tok {
                Token::Keyword(b"begincodespacerange") => self.codespace()?,
                Token::Keyword(b"beginbfchar") => self.bfchar()?,
                Token::Keyword(b"beginbfrange") => self.bfrange()?,
                Token::Keyword(b"begincidchar") => self.cidchar()?,
                Token::Keyword(b"begincidrange") => self.cidrange()?,
                Token::Keyword(b"usecmap") => {
                    if let Some(Token::Name(name)) = prev {
                        self.usecmap(name);
                    }
                }
                Token::Int(n) if prev == Some(Token::Name(b"WMode")) => self.cmap.vertical = n == 1,
                _ => {}
            }
            prev = Some(tok);
        }
        Ok(())
    }

    fn usecmap(&mut self, name: &[u8]) {
        match name {
            b"Identity-H" => self.cmap.identity = true,
            b"Identity-V" => {
                self.cmap.identity = true;
                self.cmap.vertical = true;
            }
            _ => {
                self.cmap.usecmap.clear();
                self.cmap.usecmap.extend_from_slice(name.get(..MAX_NAME).unwrap_or(name));
            }
        }
        if self.cmap.identity && self.cmap.key_len == 0 {
            self.cmap.key_len = 2;
        }
    }

    /// The next token of a section, or None at its end (or at a keyword that starts
    /// something else, so a missing `end...` loses nothing after it).
    fn item(&mut self) -> Option<Token<'a>> {
        let tok = self.lex.next()?;
        match tok {
            Token::Keyword(k) if k.starts_with(b"end") || k.starts_with(b"begin") => {
                if k.starts_with(b"begin") {
                    // Step back so `run` sees the keyword.
                    self.lex.pos = self.lex.pos.saturating_sub(k.len());
                }
                None
            }
            _ => Some(tok),
        }
    }

    fn note_key_len(&mut self, len: u8) {
        if self.cmap.key_len == 0 {
            self.cmap.key_len = len;
        }
    }

    fn codespace(&mut self) -> Result<()> {
        loop {
            let Some(lo) = self.item() else { return Ok(()) };
            let Some(lo) = code_of(lo) else { continue };
            let Some(hi) = self.item() else { return Ok(()) };
            let Some(hi) = code_of(hi) else { continue };
            self.count()?;
            if lo.1 == hi.1 && lo.0 <= hi.0 && self.cmap.codespace.len() < MAX_CODESPACE {
                push(&mut self.cmap.codespace, CodeSpace { lo: lo.0, hi: hi.0, len: lo.1 })?;
            }
        }
    }

    /// Adds a destination string to `text`; returns its (offset, length) in code units.
    fn dest(&mut self, tok: Token) -> Result<Option<(u32, u32)>> {
        let text = &mut self.cmap.text;
        let off = text.len();
        let mut bytes: Vec<u8> = Vec::new();
        match tok {
            Token::Hex(h) => {
                bytes.try_reserve(h.len() / 2 + 2).map_err(|_| oom())?;
                hex_bytes(h, |b| bytes.push(b));
            }
            Token::Literal(l) => {
                bytes.try_reserve(l.len() + 1).map_err(|_| oom())?;
                literal_bytes(l, |b| bytes.push(b));
            }
            Token::Name(n) => {
                let mut s = String::new();
                if !glyphs::glyph_to_unicode(n, &mut s) {
                    return Ok(None);
                }
                text.try_reserve(s.len()).map_err(|_| oom())?;
                text.extend(s.encode_utf16());
                return Ok(Some((off as u32, (text.len() - off) as u32)));
            }
            _ => return Ok(None),
        }
        // A single byte is a character code of its own (seen in broken producers).
        if bytes.len() == 1 {
            bytes.insert(0, 0);
        }
        if bytes.is_empty() {
            return Ok(None);
        }
        text.try_reserve(bytes.len().div_ceil(2)).map_err(|_| oom())?;
        for pair in bytes.chunks(2) {
            let unit = match *pair {
                [h, l] => u16::from_be_bytes([h, l]),
                [h] => u16::from(h),
                _ => 0,
            };
            text.push(unit);
        }
        if text.len() > u32::MAX as usize {
            return Err(limit("cmap: destinations too long"));
        }
        Ok(Some((off as u32, (text.len() - off) as u32)))
    }

    fn bfchar(&mut self) -> Result<()> {
        loop {
            let Some(src) = self.item() else { return Ok(()) };
            let Some((code, len)) = code_of(src) else { continue };
            let Some(dst) = self.item() else { return Ok(()) };
            self.count()?;
            self.note_key_len(len);
            if let Some((off, len)) = self.dest(dst)? {
                push(&mut self.cmap.bf.singles, Entry { lo: code, hi: code, off, len, array: false })?;
            }
        }
    }

    fn bfrange(&mut self) -> Result<()> {
        loop {
            let Some(lo) = self.item() else { return Ok(()) };
            let Some((lo, len)) = code_of(lo) else { continue };
            let Some(hi) = self.item() else { return Ok(()) };
            let Some((hi, _)) = code_of(hi) else { continue };
            let Some(dst) = self.item() else { return Ok(()) };
            self.count()?;
            self.note_key_len(len);
            if dst == Token::ArrayStart {
                let first = self.cmap.strings.len() as u32;
                let mut n = 0u32;
                while let Some(tok) = self.item() {
                    if tok == Token::ArrayEnd {
                        break;
                    }
                    self.count()?;
                    let d = self.dest(tok)?.unwrap_or((0, 0));
                    push(&mut self.cmap.strings, d)?;
                    n += 1;
                }
                if lo <= hi && n > 0 {
                    let hi = hi.min(lo.saturating_add(n - 1));
                    push(&mut self.cmap.bf.ranges, Entry { lo, hi, off: first, len: n, array: true })?;
                }
            } else if let Some((off, len)) = self.dest(dst)? {
                if lo <= hi {
                    push(&mut self.cmap.bf.ranges, Entry { lo, hi, off, len, array: false })?;
                }
            }
        }
    }

    fn cidchar(&mut self) -> Result<()> {
        loop {
            let Some(src) = self.item() else { return Ok(()) };
            let Some((code, len)) = code_of(src) else { continue };
            let Some(Token::Int(cid)) = self.item() else { continue };
            self.count()?;
            self.note_key_len(len);
            if let Ok(cid) = u32::try_from(cid) {
                push(&mut self.cmap.cid.singles, Entry { lo: code, hi: code, off: cid, len: 0, array: false })?;
            }
        }
    }

    fn cidrange(&mut self) -> Result<()> {
        loop {
            let Some(lo) = self.item() else { return Ok(()) };
            let Some((lo, len)) = code_of(lo) else { continue };
            let Some(hi) = self.item() else { return Ok(()) };
            let Some((hi, _)) = code_of(hi) else { continue };
            let Some(Token::Int(cid)) = self.item() else { continue };
            self.count()?;
            self.note_key_len(len);
            if let (Ok(cid), true) = (u32::try_from(cid), lo <= hi) {
                push(&mut self.cmap.cid.ranges, Entry { lo, hi, off: cid, len: 0, array: false })?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> CMap {
        CMap::parse(s.as_bytes(), &Config::default()).unwrap()
    }

    fn text(c: &CMap, code: u32) -> Option<String> {
        let mut s = String::new();
        c.unicode(code, &mut s).then_some(s)
    }

    const TO_UNICODE: &str = "/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
3 beginbfchar
<0003> <0020>
<0011> <00660069>
<0012> <D83DDE00>
endbfchar
2 beginbfrange
<0024> <0026> <0041>
<0030> <0032> [<0078> <0079007A> <03B1>]
endbfrange
1 beginbfrange
<0000> <FFFF> <E000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end";

    #[test]
    fn to_unicode() {
        let c = parse(TO_UNICODE);
        assert_eq!(text(&c, 3).as_deref(), Some(" "));
        assert_eq!(text(&c, 0x11).as_deref(), Some("fi"));
        assert_eq!(text(&c, 0x12).as_deref(), Some("\u{1F600}"));
        assert_eq!(text(&c, 0x24).as_deref(), Some("A"));
        assert_eq!(text(&c, 0x26).as_deref(), Some("C"));
        assert_eq!(text(&c, 0x31).as_deref(), Some("yz"));
        assert_eq!(text(&c, 0x32).as_deref(), Some("α"));
        // The whole-space range, defined last, covers everything else.
        assert_eq!(text(&c, 0x27).as_deref(), Some("\u{E027}"));
        assert_eq!(text(&c, 0x10000), None);
        assert_eq!(c.next_code(&[0x00, 0x24, 0x00], 0), (0x24, 2));
        assert_eq!(c.next_code(&[0x00, 0x24, 0x00], 2), (0, 1));
        assert!(!c.is_vertical());
        assert_eq!(c.cid(0x24), None);
    }

    #[test]
    fn catch_all_range_under_many_entries() {
        let mut s = String::from("beginbfrange <0000> <FFFF> <E000> ");
        for i in 0..20u32 {
            s.push_str(&format!("<{:04X}> <{:04X}> <0061> ", 0x100 + i * 4, 0x101 + i * 4));
        }
        s.push_str("<0100> <0100> <0041> endbfrange beginbfchar ");
        for i in 0..20u32 {
            s.push_str(&format!("<{:04X}> <0030> ", 0x10 + i));
        }
        let c = parse(&s);
        assert_eq!(text(&c, 0x100).as_deref(), Some("A"));
        assert_eq!(text(&c, 0x105).as_deref(), Some("b"));
        assert_eq!(text(&c, 0x106).as_deref(), Some("\u{E106}"));
        assert_eq!(text(&c, 0x15).as_deref(), Some("0"));
        assert_eq!(text(&c, 0x30).as_deref(), Some("\u{E030}"));
        assert_eq!(text(&c, 0x14E).as_deref(), Some("\u{E14E}"));
        assert_eq!(text(&c, 0x14D).as_deref(), Some("b"));
    }

    #[test]
    fn mixed_code_lengths() {
        let c = parse(
            "2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange
             1 begincidrange <8140> <817E> 633 endcidrange
             1 begincidchar <41> 34 endcidchar /WMode 1 def",
        );
        let bytes = [0x41, 0x81, 0x41, 0xA0, 0x81];
        assert_eq!(c.next_code(&bytes, 0), (0x41, 1));
        assert_eq!(c.next_code(&bytes, 1), (0x8141, 2));
        // 0xA0 fits no range: one byte, the shortest length.
        assert_eq!(c.next_code(&bytes, 3), (0xA0, 1));
        assert_eq!(c.next_code(&bytes, 4), (0x81, 1));
        assert_eq!(c.cid(0x8141), Some(634));
        assert_eq!(c.cid(0x41), Some(34));
        assert_eq!(c.cid(0x42), None);
        assert!(c.is_vertical());
    }

    #[test]
    fn identity() {
        let c = CMap::identity();
        assert_eq!(c.next_code(&[1, 2, 3], 0), (0x102, 2));
        assert_eq!(c.next_code(&[1, 2, 3], 2), (3, 1));
        assert_eq!(c.cid(0x1234), Some(0x1234));
        assert!(CMap::identity_vertical().is_vertical());
        let c = parse("/Identity-V usecmap 1 begincidchar <0005> 7 endcidchar");
        assert_eq!((c.cid(5), c.cid(6), c.is_vertical(), c.usecmap()), (Some(7), Some(6), true, None));
        let c = parse("/UniJIS-UCS2-H usecmap");
        assert_eq!(c.usecmap(), Some(&b"UniJIS-UCS2-H"[..]));
    }

    #[test]
    fn without_codespace_and_odd_forms() {
        let c = parse("beginbfchar <0041> /eacute <0042> (\\000X) <43> <41> endbfchar beginbfrange <10> <12> <0061>");
        assert_eq!(text(&c, 0x41).as_deref(), Some("é"));
        assert_eq!(text(&c, 0x42).as_deref(), Some("X"));
        assert_eq!(text(&c, 0x43).as_deref(), Some("A"));
        // The missing endbfrange still yields the range.
        assert_eq!(text(&c, 0x11).as_deref(), Some("b"));
        // Codes are read with the length of the first mapping's key.
        assert_eq!(c.next_code(b"\x00\x41", 0), (0x41, 2));
        let c = parse("beginbfchar <41> <0041> endbfchar");
        assert_eq!(c.next_code(b"AB", 0), (0x41, 1));
    }

    #[test]
    fn junk_is_tolerated() {
        for junk in [
            "",
            "begincodespacerange",
            "beginbfrange <00> [ <41>",
            "beginbfrange <00> <FF> <FFFF> endbfrange",
            "beginbfchar <> <> <1122334455> <41> endbfchar",
            "( unterminated",
            "<< /a [ { } ] >> ) ] } beginbfchar 1 2 3 endbfchar",
            "begincidrange <10> <01> 5 <20> <30> -4 endcidrange",
        ] {
            let c = parse(junk);
            let mut s = String::new();
            for code in [0, 0x10, 0x41, 0xFF] {
                c.unicode(code, &mut s);
                let _ = c.cid(code);
            }
            for pos in 0..4 {
                let (_, n) = c.next_code(b"\xFF\x00\x41", pos);
                assert!(n >= 1);
            }
        }
        // The last unit overflowing is unmapped, not wrapped.
        let c = parse("beginbfrange <00> <FF> <FFFF> endbfrange");
        assert_eq!(text(&c, 0).as_deref(), Some("\u{FFFF}"));
        assert_eq!(text(&c, 1), None);
    }

    #[test]
    fn never_panics_on_mangled_cmaps() {
        let mut rng = crate::testing::Rng::new(0x5eed);
        let base = TO_UNICODE.as_bytes();
        for _ in 0..2000 {
            let mut data = base.to_vec();
            for _ in 0..1 + rng.next() % 8 {
                let at = rng.next() % data.len();
                match rng.next() % 3 {
                    0 => data[at] = rng.next() as u8,
                    1 => data.truncate(at),
                    _ => data.insert(at, b"<>[]()/%"[rng.next() % 8]),
                }
                if data.is_empty() {
                    break;
                }
            }
            let c = CMap::parse(&data, &Config::default()).unwrap();
            let mut s = String::new();
            for code in [0, 3, 0x11, 0x12, 0x25, 0x31, 0xFFFF, u32::MAX] {
                c.unicode(code, &mut s);
                let _ = c.cid(code);
            }
            let mut pos = 0;
            while pos < data.len() {
                pos += c.next_code(&data, pos).1;
            }
        }
    }

    #[test]
    fn heap_sort_orders_by_start_then_narrowest_last() {
        let mut x = 12345u32;
        let mut v: Vec<Entry> = (0..1000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                let lo = x % 300;
                Entry { lo, hi: lo + (x >> 20) % 7, off: 0, len: 0, array: false }
            })
            .collect();
        let mut expected: Vec<(u32, u32)> = v.iter().map(|e| (e.lo, e.hi)).collect();
        expected.sort_by_key(|&(lo, hi)| (lo, core::cmp::Reverse(hi)));
        heap_sort(&mut v);
        assert_eq!(v.iter().map(|e| (e.lo, e.hi)).collect::<Vec<_>>(), expected);
        heap_sort(&mut []);
    }

    #[test]
    fn entries_are_bounded() {
        let mut s = String::from("beginbfchar ");
        for i in 0..50 {
            s.push_str(&format!("<{i:04X}> <0041> "));
        }
        let cfg = Config { max_objects: 10, ..Config::default() };
        assert_eq!(CMap::parse(s.as_bytes(), &cfg).unwrap_err().code(), crate::error::Code::Limit);
        assert!(CMap::parse(s.as_bytes(), &Config::default()).is_ok());
    }
}
