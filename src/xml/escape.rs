//! References and entities: the five predefined entities, character references, and the
//! general entities an internal DTD subset declares (`<!ENTITY name "value">`).
//!
//! Declared entities are expanded as text (markup inside a value is not parsed) with an
//! explicit stack no deeper than `max_depth`, and every expansion spends a budget of one
//! byte per replacement byte: `input length + 1 MiB` in all, and 1 MiB for one reference,
//! so the billion laughs attack (ten references to ten references to ...) ends in LIMIT
//! after about a megabyte of work.
//! External entities (`SYSTEM`, `PUBLIC`) expand to nothing: nothing is ever fetched.

use super::{at, is_space, Names};
use crate::error::{limit, oom, reserve_str, Result};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;

/// Entities kept from the DTD; later declarations are ignored. Bounds the sorted index.
const MAX_ENTITIES: usize = 4096;
/// Expansion work allowed beyond the input's own length.
const EXPANSION_SLACK: usize = 1 << 20;
/// Replacement text one call may read: a piece of text ends between references once it
/// holds enough, so this bounds a single reference (and the memory of one event).
const MAX_PER_REFERENCE: usize = 1 << 20;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Character data: references resolved, CR LF and lone CR become LF.
    Text,
    /// Attribute values: as text, and then every white space character becomes a space.
    Attr,
    /// CDATA sections: line ends only; `&` is just a character.
    CData,
}

#[derive(Default)]
pub struct Entities {
    /// Each general entity's name and literal value (between its quotes; empty for an
    /// external entity).
    names: Names,
    /// Expansion work left (a Cell: attribute values are expanded through shared borrows).
    budget: Cell<usize>,
    max_depth: usize,
    /// A DOCTYPE was read: a second one declares nothing (the spec allows one).
    sealed: bool,
}

/// The index after the `>` that ends a declaration, skipping quoted strings; `usize::MAX`
/// when it never ends (a plain index: an `Option` would come back through memory).
fn decl_end(b: &[u8], mut i: usize) -> usize {
    loop {
        match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => i = scan(b, i + 1, q),
            Some(b'>') => return i + 1,
            Some(_) => {}
            None => return usize::MAX,
        }
        i += 1;
    }
}

/// The index after the comment or processing instruction at `i`, or after the declaration
/// or tag there: its first `>`, or with `quoted` the first outside quoted strings.
/// (Inlined around `skip_markup`, as `find_byte` is around `scan`.)
#[inline(always)]
pub fn markup_end(b: &[u8], i: usize, quoted: bool) -> Option<usize> {
    let end = skip_markup(b, i, quoted);
    (end <= b.len()).then_some(end)
}

/// As `markup_end`, with `usize::MAX` for markup that never ends.
fn skip_markup(b: &[u8], i: usize, quoted: bool) -> usize {
    let rest = b.get(i..).unwrap_or(&[]);
    let end = if rest.starts_with(b"<!--") {
        find(b, i + 4, b"-->").map(|e| e + 3)
    } else if rest.starts_with(b"<?") {
        find(b, i + 2, b"?>").map(|e| e + 2)
    } else if quoted {
        return decl_end(b, i + 1);
    } else {
        find_byte(b, i, b'>').map(|e| e + 1)
    };
    end.unwrap_or(usize::MAX)
}

/// The index of the first `c` at or after `from`. (Inlined around `scan`, which returns a
/// plain index: an `Option<usize>` would come back through memory at every call.)
#[inline(always)]
pub fn find_byte(b: &[u8], from: usize, c: u8) -> Option<usize> {
    let i = scan(b, from, c);
    (i < b.len()).then_some(i)
}

/// The index of the first `c` at or after `from`, or `b.len()`.
fn scan(b: &[u8], from: usize, c: u8) -> usize {
    b.get(from..).map_or(b.len(), |r| from + r.iter().position(|&x| x == c).unwrap_or(r.len()))
}

/// The index of the first `needle` at or after `from` (inlined around `search`, as
/// `find_byte` is around `scan`).
#[inline(always)]
pub fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let i = search(b, from, needle);
    (i < b.len()).then_some(i)
}

/// The index of the first `needle` at or after `from`, or `b.len()`.
fn search(b: &[u8], from: usize, needle: &[u8]) -> usize {
    b.get(from..).map_or(b.len(), |r| from + r.windows(needle.len()).position(|w| w == needle).unwrap_or(r.len()))
}

pub fn skip_space(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_space(c)) {
        i += 1;
    }
    i
}

/// The end of a name (or of anything that is not white space or tag punctuation).
pub fn name_end(b: &[u8], i: usize) -> usize {
    let stop = |c: u8| is_space(c) || matches!(c, b'>' | b'/' | b'=' | b'"' | b'\'' | b'<' | b'[' | b'%');
    b.get(i..).map_or(i, |r| i + r.iter().position(|&c| stop(c)).unwrap_or(r.len()))
}

impl Entities {
    pub fn new(max_depth: usize) -> Entities {
        Entities { max_depth, ..Entities::default() }
    }

    /// Reads a DOCTYPE from just after `<!DOCTYPE`; returns the index after its `>`, or None
    /// when it never ends.
    pub fn doctype(&mut self, src: &str, mut i: usize) -> Option<usize> {
        let b = src.as_bytes();
        if !self.sealed {
            self.budget.set(src.len().saturating_add(EXPANSION_SLACK));
        }
        // Inside the internal subset (`[...]`): declarations, comments and processing
        // instructions up to its `]`.
        let mut subset = false;
        let end = loop {
            let rest = b.get(i..)?;
            i = match *rest.first()? {
                b']' if subset => {
                    subset = false;
                    i + 1
                }
                b'<' if subset => match rest.starts_with(b"<!ENTITY") {
                    true => self.entity(src, i + 8)?,
                    false => markup_end(b, i, true)?,
                },
                // White space, parameter-entity references and anything unexpected.
                _ if subset => i + 1,
                q @ (b'"' | b'\'') => find_byte(b, i + 1, q)? + 1,
                b'[' => {
                    subset = true;
                    i + 1
                }
                b'>' => break i + 1,
                _ => i + 1,
            };
        };
        self.sealed = true;
        Some(end)
    }

    /// One `<!ENTITY`, from after the keyword; keeps general entities (the first
    /// declaration of a name wins, as the spec says).
    fn entity(&mut self, src: &str, i: usize) -> Option<usize> {
        let b = src.as_bytes();
        let mut i = skip_space(b, i);
        let parameter = b.get(i) == Some(&b'%');
        if parameter {
            i = skip_space(b, i + 1);
        }
        let name = (i, name_end(b, i));
        i = skip_space(b, name.1);
        let value = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => (i + 1, find_byte(b, i + 1, q)?),
            _ => (0, 0),
        };
        if !parameter && !self.sealed && name.1 > name.0 {
            // Out of memory: the entity is left undeclared, as one past the limit is.
            let _ = self.names.add(src, name, value, MAX_ENTITIES);
        }
        let end = decl_end(b, i);
        (end <= b.len()).then_some(end)
    }

    /// Appends `raw` (a slice of `src`) to `out` as `mode` says, stopping between
    /// references once `out` holds `max_out` bytes; `raw` is left holding what was not read.
    pub fn unescape<'s>(
        &self,
        src: &'s str,
        raw: &mut &'s str,
        out: &mut String,
        mode: Mode,
        max_out: usize,
    ) -> Result<()> {
        // Where to resume in the texts whose expansion is in progress.
        let mut stack: Vec<&str> = Vec::new();
        let mut cur = *raw;
        let mut spent = 0usize;
        loop {
            if stack.is_empty() && out.len() >= max_out {
                *raw = cur;
                return Ok(());
            }
            let special = |c: u8| {
                c == b'\r' || (c == b'&' && mode != Mode::CData) || (mode == Mode::Attr && (c == b'\t' || c == b'\n'))
            };
            let n = cur.bytes().position(special).unwrap_or(cur.len());
            reserve_str(out, n + 4)?;
            out.push_str(cur.get(..n).unwrap_or(""));
            let rest = cur.get(n..).unwrap_or("");
            let Some(&c) = rest.as_bytes().first() else {
                match stack.pop() {
                    Some(s) => cur = s,
                    None => {
                        *raw = "";
                        return Ok(());
                    }
                }
                continue;
            };
            // One character for a line end or a reference, and where to read on.
            let (ch, next) = if c != b'&' {
                let crlf = rest.as_bytes().get(..2) == Some(b"\r\n");
                (if mode == Mode::Attr { ' ' } else { '\n' }, rest.get(1 + crlf as usize..).unwrap_or(""))
            } else {
                // `&name;` or `&#...;`: the name runs to the first byte that cannot be in one.
                let tail = rest.get(1..).unwrap_or("");
                let len = tail
                    .bytes()
                    .position(|c| is_space(c) || matches!(c, b';' | b'&' | b'<' | b'"' | b'\''))
                    .unwrap_or(0);
                let (body, after) = match tail.as_bytes().get(len) {
                    Some(b';') => (tail.get(..len).unwrap_or(""), tail.get(len + 1..).unwrap_or("")),
                    _ => ("", ""),
                };
                let known = match body {
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "amp" => Some('&'),
                    "apos" => Some('\''),
                    "quot" => Some('"'),
                    _ => body.strip_prefix('#').and_then(char_ref),
                };
                // A predefined or character reference; else a declared entity, looked up only then.
                match known.ok_or_else(|| self.names.get(src, body)) {
                    Ok(ch) => (ch, after),
                    Err(Some(value)) => {
                        let value = at(src, value);
                        let left = self.budget.get().checked_sub(value.len() + 1);
                        self.budget.set(left.ok_or_else(|| limit("xml: entity expansion exceeds its budget"))?);
                        // One reference may not expand to more than a piece of text can hold.
                        spent += value.len() + 1;
                        if spent > MAX_PER_REFERENCE {
                            return Err(limit("xml: an entity expands to more than 1 MiB"));
                        }
                        if stack.len() >= self.max_depth {
                            return Err(limit("xml: entities nested deeper than max_depth"));
                        }
                        stack.try_reserve(1).map_err(|_| oom())?;
                        stack.push(after);
                        cur = value;
                        continue;
                    }
                    // Not a reference we know: keep the `&` and read on.
                    Err(None) => ('&', tail),
                }
            };
            out.push(ch);
            cur = next;
        }
    }
}

/// `x1F` or `233` (after `&#`): the character, U+FFFD for one XML forbids or none at all;
/// None when it is not a number.
fn char_ref(s: &str) -> Option<char> {
    let (digits, radix) = match s.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (s, 10),
    };
    if digits.is_empty() {
        return None;
    }
    let mut v = 0u32;
    for c in digits.bytes() {
        // By hand: `char::to_digit` is larger. Not a digit of `radix`: 99 fails the check.
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' | b'A'..=b'F' => (c | 0x20) - b'a' + 10,
            _ => 99,
        } as u32;
        if d >= radix {
            return None;
        }
        // Saturating just past the last code point: no overflow, and still invalid.
        v = (v * radix + d).min(0x11_0000);
    }
    Some(char::from_u32(v).filter(|&c| c != '\0').unwrap_or('\u{fffd}'))
}
