//! What JSON, YAML and TOML share: each document is a tree of mappings, sequences and
//! scalars, and its text is one line per scalar, labelled with the scalar's key path:
//!
//! ```text
//! title: Sample Document
//! author.name: Test Author
//! items[0].title: First
//! ```
//!
//! Numbers, booleans, null and dates appear as written. A top-level scalar, and each scalar
//! item of a top-level array, is written without a label (`[0]: x` would be a Markdown link
//! reference definition and vanish when rendered). The same lines are the Markdown output:
//! they read as Markdown already. Empty strings and YAML's implicit nulls give `key:`, empty
//! collections `key: []` and `key: {}`, so no key of the document is lost.
//!
//! Metadata, after `format_type` (which each format writes first):
//! - `top_level_type`: `object` (mapping, table), `array` (sequence), `scalar`, or `empty`
//!   (no value at all; YAML only). For a YAML stream, the first document's.
//! - `key_count`: keys of all mappings (alias expansions included; TOML counts each key as
//!   written, and a table header only by its last key).
//! - `depth`: the deepest nesting of mappings and sequences (a scalar document is 0).
//!
//! The parsers use [`TreeText`] as their container stack, so its depth check against
//! `cfg.max_depth` (LIMIT) bounds every structure. Text inside values is cleaned the way the
//! plain-text format cleans it: invalid UTF-8 becomes U+FFFD (with one warning), line
//! endings become LF and other control characters are dropped.

// Each format uses a different part of this module.
#![cfg_attr(not(all(feature = "json", feature = "yaml", feature = "toml")), allow(dead_code))]

use crate::config::Config;
use crate::encoding::{utf8, Encoding, LineCleaner};
use crate::error::{corrupt_at, limit, oom, reserve_str, Result};
use crate::sink::Sink;
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// A front-matter value: a scalar as text, or a list of scalars.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrontValue {
    Str(String),
    List(Vec<String>),
}

/// Front matter as returned by `yaml::front_matter` and `toml::front_matter`: every scalar
/// with its key path, nested mappings flattened with dotted keys (`extra.note`); the scalar
/// items of a sequence are gathered into one `List` under the sequence's path (`tags`).
pub type FrontMatter = Vec<(String, FrontValue)>;

/// Where scalar lines go.
pub enum Out<'o> {
    Sink(&'o mut Sink),
    Front(&'o mut FrontMatter),
    /// Nowhere: the document is only being checked.
    Check,
}

/// One open container.
struct Frame {
    /// Length of the path to the container itself: its children append to it.
    base: usize,
    /// The next item's index for sequences; `None` for mappings.
    next: Option<usize>,
    /// It has an entry.
    filled: bool,
}

/// Turns tree events (enter, key, scalar, leave) into labelled lines and statistics.
pub struct TreeText {
    path: String,
    frames: Vec<Frame>,
    max_depth: usize,
    pub keys: usize,
    pub depth: usize,
    top: &'static str,
    /// Some text was replaced because it was not UTF-8.
    pub lossy: bool,
    /// Lines were written and a blank line should separate what comes next (YAML documents).
    lines: bool,
    gap: bool,
    /// Bytes of text written, for the parsers' per-step output budget: the record queue
    /// holds a step's whole output, and an alias can multiply a few bytes of input.
    pub written: usize,
}

/// Input parsed and text written per step, about (a step ends after the token or line that
/// crosses it).
pub const PIECE: usize = 64 * 1024;

impl TreeText {
    // Out of line: each parser and the JSON sniffer make one, and inlined it costs more.
    #[inline(never)]
    pub fn new(cfg: &Config) -> TreeText {
        TreeText {
            path: String::new(),
            frames: Vec::new(),
            max_depth: cfg.max_depth as usize,
            keys: 0,
            depth: 0,
            top: "empty",
            lossy: false,
            lines: false,
            gap: false,
            written: 0,
        }
    }

    /// Open containers.
    pub fn level(&self) -> usize {
        self.frames.len()
    }

    /// Whether the innermost container is a sequence (None at the top level). Out of line:
    /// JSON asks at every comma and bracket.
    #[inline(never)]
    pub fn in_array(&self) -> Option<bool> {
        self.frames.last().map(|f| f.next.is_some())
    }

    /// A value starts: in a sequence, its index becomes the last path segment.
    fn item(&mut self) -> Result<()> {
        if let Some(f) = self.frames.last_mut() {
            f.filled = true;
        }
        if let Some(Frame { base, next: Some(i), .. }) = self.frames.last_mut() {
            let index = *i;
            *i += 1;
            self.path.truncate(*base);
            // `[`, at most 20 digits, `]`.
            reserve_str(&mut self.path, 22)?;
            self.path.push('[');
            push_uint(&mut self.path, index);
            self.path.push(']');
        }
        Ok(())
    }

    /// A mapping (`array` false) or sequence starts as the next value.
    pub fn enter(&mut self, array: bool) -> Result<()> {
        self.item()?;
        if self.frames.len() >= self.max_depth {
            return Err(limit("nesting deeper than max_depth"));
        }
        if self.frames.is_empty() && self.top == "empty" {
            self.top = if array { "array" } else { "object" };
        }
        self.frames.try_reserve(1).map_err(|_| oom())?;
        self.frames.push(Frame { base: self.path.len(), next: array.then_some(0), filled: false });
        self.depth = self.depth.max(self.frames.len());
        Ok(())
    }

    /// Like `enter(true)`, with the next item at `index` (a TOML array of tables reopened).
    pub fn enter_array_at(&mut self, index: usize) -> Result<()> {
        self.enter(true)?;
        if let Some(f) = self.frames.last_mut() {
            f.next = Some(index);
        }
        Ok(())
    }

    /// The innermost container ends; an empty one is written as `[]` or `{}`.
    pub fn leave(&mut self, out: &mut Out) -> Result<()> {
        let Some(f) = self.frames.pop() else {
            return Ok(());
        };
        if f.filled || !matches!(out, Out::Sink(_)) {
            return Ok(());
        }
        self.path.truncate(f.base);
        self.line(out, if f.next.is_some() { "[]" } else { "{}" })
    }

    /// Closes containers down to `level` open ones.
    pub fn truncate(&mut self, level: usize) {
        self.frames.truncate(level);
    }

    /// The next value of the innermost mapping is under key `k` (counted in `key_count`).
    pub fn key(&mut self, k: &str) -> Result<()> {
        self.keys += 1;
        self.name(k)
    }

    /// Like `key`, without counting it (a TOML table header naming a table again).
    pub fn name(&mut self, k: &str) -> Result<()> {
        let base = self.frames.last().map_or(0, |f| f.base);
        self.path.truncate(base);
        reserve_str(&mut self.path, k.len() + 1)?;
        if base > 0 {
            self.path.push('.');
        }
        // A label stays on its line.
        for c in k.chars() {
            self.path.push(if c == '\n' { ' ' } else { c });
        }
        Ok(())
    }

    /// Later lines are separated from earlier ones by a blank line (a new YAML document).
    pub fn gap(&mut self) {
        self.gap = self.lines;
    }

    /// A scalar value: one line, `path: value`.
    pub fn scalar(&mut self, out: &mut Out, value: &str) -> Result<()> {
        self.item()?;
        if self.frames.is_empty() && self.top == "empty" {
            self.top = "scalar";
        }
        self.line(out, value)
    }

    /// Writes `value` labelled with the current path.
    fn line(&mut self, out: &mut Out, value: &str) -> Result<()> {
        // A block scalar's final line break would only add a blank line.
        let value = value.get(..trimmed_len(value.as_bytes(), 0, true)).unwrap_or(value);
        let bare = match self.frames.as_slice() {
            [] => true,
            [f] => f.next.is_some(),
            _ => false,
        };
        let label = if bare { "" } else { self.path.as_str() };
        match out {
            Out::Sink(sink) => {
                if label.is_empty() && value.is_empty() {
                    return Ok(());
                }
                if self.gap {
                    self.gap = false;
                    sink.text("\n")?;
                }
                self.lines = true;
                if !label.is_empty() {
                    let sep = if value.is_empty() { ":" } else { ": " };
                    sink.text(label)?;
                    sink.text(sep)?;
                    self.written += label.len() + sep.len();
                }
                sink.text(value)?;
                sink.text("\n")?;
                self.written += value.len() + 1;
                Ok(())
            }
            Out::Front(list) => {
                let mut v = String::new();
                reserve_str(&mut v, value.len())?;
                v.push_str(value);
                let entry = match self.frames.last() {
                    // A sequence's scalars gather under the sequence's own path.
                    Some(Frame { base, next: Some(_), .. }) => {
                        let key = self.path.get(..*base).unwrap_or("");
                        if let Some((k, FrontValue::List(items))) = list.last_mut() {
                            if k == key {
                                items.try_reserve(1).map_err(|_| oom())?;
                                items.push(v);
                                return Ok(());
                            }
                        }
                        (String::from(key), FrontValue::List(alloc::vec![v]))
                    }
                    _ => (self.path.clone(), FrontValue::Str(v)),
                };
                list.try_reserve(1).map_err(|_| oom())?;
                list.push(entry);
                Ok(())
            }
            Out::Check => Ok(()),
        }
    }

    /// Whether a parser may go on in this step: less than `stop` bytes were written.
    pub fn may_write(&self, stop: usize) -> bool {
        self.written < stop
    }

    /// The closing metadata (`format_type` came first) and the lossy-text warning.
    pub fn finish(&self, sink: &mut Sink, source: &str) -> Result<()> {
        sink.meta_str("top_level_type", self.top)?;
        sink.meta_int("key_count", self.keys)?;
        sink.meta_int("depth", self.depth)?;
        if self.lossy {
            sink.warning(source, "invalid UTF-8 replaced with U+FFFD")?;
        }
        Ok(())
    }
}

/// Decimal digits without `core::fmt`, into a `String` (`json::push_uint` writes bytes).
fn push_uint(s: &mut String, n: usize) {
    let mut d = 1;
    while n / d >= 10 {
        d *= 10;
    }
    loop {
        s.push(char::from(b'0' + (n / d % 10) as u8));
        if d == 1 {
            break;
        }
        d /= 10;
    }
}

/// Scalar text being decoded, cleaned on the way in.
#[derive(Default)]
pub struct TextBuf {
    pub s: String,
    clean: LineCleaner,
    /// Some input was not UTF-8.
    pub lossy: bool,
}

impl TextBuf {
    /// Starts a new scalar at the end of the buffer; returns where it starts. (Out of line
    /// here and in `clear`: called from many places.)
    #[inline(never)]
    pub fn begin(&mut self) -> usize {
        self.clean = LineCleaner::default();
        self.s.len()
    }

    #[inline(never)]
    pub fn clear(&mut self) {
        self.s.clear();
        self.begin();
    }

    pub fn push(&mut self, c: char) -> Result<()> {
        reserve_str(&mut self.s, 4)?;
        if let Some(c) = self.clean.clean(c) {
            self.s.push(c);
        }
        Ok(())
    }

    /// Appends raw document bytes; invalid UTF-8 becomes U+FFFD.
    pub fn push_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        reserve_str(&mut self.s, bytes.len())?;
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            // Printable ASCII, the common case, skips the decoder and the cleaner.
            if (0x20..0x7f).contains(&b) {
                self.s.push(b as char);
                self.clean = LineCleaner::default();
                i += 1;
                continue;
            }
            let (c, n) = utf8::decode_char(bytes.get(i..).unwrap_or(&[])).unwrap_or(('\u{fffd}', 1));
            if n == 1 && b >= 0x80 {
                self.lossy = true;
                reserve_str(&mut self.s, 3)?;
            }
            if let Some(c) = self.clean.clean(c) {
                self.s.push(c);
            }
            i += n;
        }
        Ok(())
    }

    /// Appends `doc[from..to]` (nothing if that is out of range), as `push_bytes`: one
    /// call in place of the range check inlined at each of the parsers' many pushes.
    #[inline(never)]
    pub fn push_range(&mut self, doc: &[u8], from: usize, to: usize) -> Result<()> {
        self.push_bytes(doc.get(from..to).unwrap_or(&[]))
    }

    /// Drops trailing spaces and tabs, but not before `start`.
    pub fn trim_end(&mut self, start: usize) {
        let keep = trimmed_len(self.s.as_bytes(), start, false);
        self.s.truncate(keep);
    }
}

/// The length of `s` without its trailing line breaks (`lines`) or blanks, but at least
/// `min`. Bytes, not chars: `str::trim_end_matches` brings a reverse UTF-8 decoder along.
fn trimmed_len(s: &[u8], min: usize, lines: bool) -> usize {
    let mut n = s.len();
    while n > min && s.get(n - 1).is_some_and(|&b| if lines { b == b'\n' } else { b == b' ' || b == b'\t' }) {
        n -= 1;
    }
    n
}

/// The value of `n` hex digits at `i`, or the offset of the first bad digit.
pub fn hex(doc: &[u8], i: usize, n: usize) -> core::result::Result<u32, usize> {
    let mut v = 0;
    for k in i..i + n {
        let d = doc.get(k).and_then(|&b| (b as char).to_digit(16)).ok_or(k)?;
        v = v << 4 | d;
    }
    Ok(v)
}

/// Decodes the `n` hex digits of a `\u`-style escape at `i`: a UTF-16 surrogate pair written
/// as two `\u` escapes becomes one character, a lone surrogate U+FFFD. Returns the character
/// and the position after the escape, or the offset of the first bad digit.
pub fn hex_escape(doc: &[u8], i: usize, n: usize) -> core::result::Result<(char, usize), usize> {
    let hi = hex(doc, i, n)?;
    let mut next = i + n;
    let mut c = hi;
    if (0xd800..0xdc00).contains(&hi) && doc.get(next..next + 2) == Some(b"\\u") {
        if let Ok(lo @ 0xdc00..=0xdfff) = hex(doc, next + 2, 4) {
            c = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
            next += 6;
        }
    }
    Ok((char::from_u32(c).unwrap_or('\u{fffd}'), next))
}

/// Escape letters and what they stand for, as a table (a `match` compiles to more code).
/// Control characters are U+0000: cleaning drops them like the others. The hex escapes
/// stand for `HEX` + their number of digits (surrogates, which no other escape gives).
const ESCAPES: &[(u8, u16)] = &[
    (b'x', HEX + 2),
    (b'u', HEX + 4),
    (b'U', HEX + 8),
    (b'0', 0),
    (b'a', 0),
    (b'b', 0),
    (b'e', 0),
    (b'v', 0),
    (b't', 9),
    (b'\t', 9),
    (b'n', 10),
    (b'f', 12),
    (b'r', 13),
    (b'"', 34),
    (b'\\', 92),
    (b'/', 47),
    (b' ', 32),
    (b'N', 0x85),
    (b'_', 0xa0),
    (b'L', 0x2028),
    (b'P', 0x2029),
];

/// Decodes the escape whose letter is at `i` (after a backslash) into `text`. These are
/// YAML's escapes, which include JSON's and TOML's: a format that allows fewer checks the
/// letter first. Returns the position after the escape, or None for an unknown letter.
pub fn escape(doc: &[u8], i: usize, text: &mut TextBuf, what: &'static str) -> Result<Option<usize>> {
    let Some(&(_, c)) = ESCAPES.iter().find(|e| doc.get(i) == Some(&e.0)) else {
        return Ok(None);
    };
    let (c, next) = match c.checked_sub(HEX) {
        Some(digits) => hex_escape(doc, i + 1, digits as usize).map_err(|at| corrupt_at(what, at))?,
        None => (char::from_u32(c as u32).unwrap_or('\0'), i + 1),
    };
    text.push(c)?;
    Ok(Some(next))
}

const HEX: u16 = 0xd800;

/// The document as UTF-8 bytes: a UTF-8 BOM is skipped and UTF-16 with a BOM is transcoded.
/// Invalid UTF-8 is left to the parsers, which replace it inside values.
pub fn utf8_input(doc: &[u8]) -> Result<Cow<'_, [u8]>> {
    let (encoding, skip) = Encoding::from_bom(doc).unwrap_or((Encoding::Utf8, 0));
    let rest = doc.get(skip..).unwrap_or(&[]);
    if matches!(encoding, Encoding::Utf8) {
        return Ok(Cow::Borrowed(rest));
    }
    // UTF-16: a lone trailing byte becomes U+FFFD.
    let mut s = String::new();
    encoding.decode_all(rest, &mut s)?;
    Ok(Cow::Owned(s.into_bytes()))
}

// Lines, as YAML and TOML see them: LF, CRLF or CR ends a line; blanks are spaces and tabs.
// These tests are called from many places: out of line (`inline(never)`), a call is
// smaller than the test, which matters more in the module than the call does in time.

#[inline(never)]
pub fn is_blank(b: Option<&u8>) -> bool {
    matches!(b, Some(b' ' | b'\t'))
}

#[inline(never)]
pub fn is_break(b: Option<&u8>) -> bool {
    matches!(b, None | Some(b'\n' | b'\r'))
}

pub fn skip_blanks(doc: &[u8], mut i: usize) -> usize {
    while is_blank(doc.get(i)) {
        i += 1;
    }
    i
}

pub fn line_end(doc: &[u8], mut i: usize) -> usize {
    while !is_break(doc.get(i)) {
        i += 1;
    }
    i
}

/// The start of the line after the one `i` is on.
pub fn next_line(doc: &[u8], i: usize) -> usize {
    let i = line_end(doc, i);
    match doc.get(i) {
        Some(b'\r') if doc.get(i + 1) == Some(&b'\n') => i + 2,
        Some(_) => i + 1,
        None => i,
    }
}

/// Only blanks and maybe a comment remain on the line (`i` is after a blank or at a token).
#[inline(never)]
pub fn at_line_end(doc: &[u8], i: usize) -> bool {
    matches!(doc.get(i), None | Some(b'\n' | b'\r' | b'#'))
}

/// FNV-1a: hashes key paths and anchor names for [`HashCounts`].
pub fn hash(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

pub const HASH_START: u64 = 0xcbf2_9ce4_8422_2325;

/// A map from 64-bit key hashes to non-zero values: TOML's array-of-tables counts, YAML's
/// anchors. Keys are compared by hash only; two names with the same 64-bit hash could only
/// mislabel an index or an alias, never break memory or time bounds.
#[derive(Default)]
pub struct HashCounts {
    /// Open addressing; a value of 0 marks a free slot.
    slots: Vec<(u64, usize)>,
    used: usize,
}

/// Probes tolerated before a lookup gives up: a table at most half full needs a handful,
/// so only hashes crafted to collide get here.
const MAX_PROBES: usize = 64;

impl HashCounts {
    /// The slot for `h`: its own, or the free one where it would go.
    fn slot(&self, h: u64) -> Result<usize> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = (h ^ h >> 32) as usize & mask;
        for _ in 0..MAX_PROBES {
            match self.slots.get(i) {
                Some(&(k, v)) if v != 0 && k != h => i = (i + 1) & mask,
                _ => return Ok(i),
            }
        }
        Err(limit("too many colliding keys"))
    }

    pub fn get(&self, h: u64) -> Result<usize> {
        let i = self.slot(h)?;
        Ok(self.slots.get(i).map_or(0, |s| s.1))
    }

    /// Sets the value of `h` (`v` > 0).
    pub fn set(&mut self, h: u64, v: usize) -> Result<()> {
        if (self.used + 1) * 2 > self.slots.len() {
            // Twice the size, and every entry set again.
            let size = (self.slots.len() * 2).max(16);
            let mut slots = Vec::new();
            slots.try_reserve_exact(size).map_err(|_| oom())?;
            slots.resize(size, (0, 0));
            let old = core::mem::replace(&mut self.slots, slots);
            self.used = 0;
            for (h, v) in old {
                if v != 0 {
                    self.put(h, v)?;
                }
            }
        }
        self.put(h, v)
    }

    fn put(&mut self, h: u64, v: usize) -> Result<()> {
        let i = self.slot(h)?;
        if let Some(s) = self.slots.get_mut(i) {
            self.used += (s.1 == 0) as usize;
            *s = (h, v);
        }
        Ok(())
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::arena::Arena;
    use crate::records::Kind;
    use crate::stream::Stream;

    /// What a document gave: content, metadata payloads, warnings, or the error code.
    pub struct Run {
        pub text: String,
        pub meta: Vec<String>,
        pub warnings: Vec<String>,
        pub error: Option<crate::error::Code>,
    }

    impl Run {
        pub fn meta(&self, key: &str) -> Option<serde_json::Value> {
            self.meta.iter().find_map(|m| {
                let v: serde_json::Value = serde_json::from_str(m).unwrap();
                v.get(key).cloned()
            })
        }
    }

    pub fn run_cfg(doc: &[u8], mime: &str, cfg: &Config) -> Run {
        run_chunked(doc, mime, cfg, 0)
    }

    /// Streams with text chunks of at most `chunk` bytes (0: the default).
    pub fn run_chunked(doc: &[u8], mime: &str, cfg: &Config, chunk: usize) -> Run {
        let mut arena = Arena::new();
        let mut r = Run { text: String::new(), meta: Vec::new(), warnings: Vec::new(), error: None };
        let mut s = match Stream::open(doc, Some(mime.as_bytes()), cfg, &mut arena) {
            Ok(s) => s,
            Err(e) => {
                r.error = Some(e.code());
                return r;
            }
        };
        loop {
            match s.next(chunk) {
                Ok(Kind::End) => break,
                Ok(Kind::Text) => r.text.push_str(core::str::from_utf8(s.payload()).unwrap()),
                Ok(Kind::Metadata) => r.meta.push(String::from_utf8(s.payload().to_vec()).unwrap()),
                Ok(Kind::Warning) => r.warnings.push(String::from_utf8(s.payload().to_vec()).unwrap()),
                Ok(_) => {}
                Err(e) => {
                    r.error = Some(e.code());
                    break;
                }
            }
        }
        r
    }

    pub fn run(doc: &[u8], mime: &str) -> Run {
        run_cfg(doc, mime, &Config::default())
    }

    /// A corpus document, read in place.
    pub fn corpus(path: &str) -> Vec<u8> {
        let full = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/documents/").to_string() + path;
        std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
    }

    /// Checks the corpus fixtures of `fixtures/structured` and `fixtures/smoke` that use `mime`.
    pub fn check_fixtures(mimes: &[&str]) -> usize {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/fixtures/");
        let mut checked = 0;
        for sub in ["structured", "smoke"] {
            for entry in std::fs::read_dir(dir.to_string() + sub).unwrap() {
                let f: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(entry.unwrap().path()).unwrap()).unwrap();
                let mime = f["document"]["media_type"].as_str().unwrap_or("");
                if !mimes.contains(&mime) {
                    continue;
                }
                let r = run(&corpus(f["document"]["path"].as_str().unwrap()), mime);
                let id = f["id"].as_str().unwrap();
                assert_eq!(r.error, None, "{id}");
                let a = &f["assertions"];
                if let Some(m) = a["min_content_length"].as_u64() {
                    assert!(r.text.len() as u64 >= m, "{id}: content too short");
                }
                if let Some(any) = a["content_contains_any"].as_array() {
                    assert!(any.iter().any(|s| r.text.contains(s.as_str().unwrap())), "{id}: {}", r.text);
                }
                if let Some(all) = a["content_contains_all"].as_array() {
                    assert!(all.iter().all(|s| r.text.contains(s.as_str().unwrap())), "{id}: {}", r.text);
                }
                checked += 1;
            }
        }
        checked
    }

    #[test]
    fn hash_counts_grow_and_overwrite() {
        let mut c = HashCounts::default();
        for i in 0..1000u64 {
            c.set(hash(HASH_START, &i.to_le_bytes()), i as usize + 1).unwrap();
        }
        for i in 0..1000u64 {
            assert_eq!(c.get(hash(HASH_START, &i.to_le_bytes())).unwrap(), i as usize + 1);
        }
        c.set(hash(HASH_START, &7u64.to_le_bytes()), 99).unwrap();
        assert_eq!(c.get(hash(HASH_START, &7u64.to_le_bytes())).unwrap(), 99);
        assert_eq!(c.get(hash(HASH_START, b"absent")).unwrap(), 0);
    }

    #[test]
    fn text_buf_cleans_and_replaces() {
        let mut t = TextBuf::default();
        t.push_bytes(b"a\r\nb\x01c\xffd\xc3\xa9").unwrap();
        t.push('\r').unwrap();
        t.push('\n').unwrap();
        assert_eq!(t.s, "a\nbc\u{fffd}dé\n");
        assert!(t.lossy);
    }

    #[test]
    fn escapes_join_surrogate_pairs() {
        assert_eq!(hex_escape(b"d83d\\ude00", 0, 4), Ok(('😀', 10)));
        assert_eq!(hex_escape(b"d83dx", 0, 4), Ok(('\u{fffd}', 4)));
        assert_eq!(hex_escape(b"de00", 0, 4), Ok(('\u{fffd}', 4)));
        assert_eq!(hex_escape(b"00e9", 0, 4), Ok(('é', 4)));
        assert_eq!(hex_escape(b"0g", 0, 4), Err(1));
    }

    #[test]
    fn utf16_input_is_transcoded() {
        let le: Vec<u8> =
            [0xff, 0xfe].into_iter().chain("{\"a\":\"é\"}".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(&*utf8_input(&le).unwrap(), "{\"a\":\"é\"}".as_bytes());
        assert_eq!(&*utf8_input(b"\xef\xbb\xbfx").unwrap(), b"x");
    }
}
