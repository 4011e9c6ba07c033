//! References and entities: the five predefined entities, character references, and the
//! general entities an internal DTD subset declares (`<!ENTITY name "value">`).
//!
//! Declared entities are expanded as text (markup inside a value is not parsed) with an
//! explicit stack no deeper than `max_depth`, and every expansion spends a budget of one
//! byte per replacement byte: `input length + 1 MiB` in all, and 1 MiB for one reference,
//! so the billion laughs attack (ten references to ten references to ...) ends in LIMIT
//! after about a megabyte of work.
//! External entities (`SYSTEM`, `PUBLIC`) expand to nothing: nothing is ever fetched.

use super::{at, is_space, Span};
use crate::error::{limit, oom, reserve_str, Result};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;

/// Entities kept from the DTD; later declarations are ignored. Bounds the lookup table.
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

struct Entity {
    name: Span,
    /// The literal value between its quotes; None for an external entity.
    value: Option<Span>,
}

#[derive(Default)]
pub struct Entities {
    list: Vec<Entity>,
    /// Open addressing: index + 1 into `list`, 0 for an empty slot; a power of two long,
    /// at most half full.
    table: Vec<u32>,
    /// Expansion work left (a Cell: attribute values are expanded through shared borrows).
    budget: Cell<usize>,
    max_depth: usize,
    /// A DOCTYPE was read: a second one declares nothing (the spec allows one).
    sealed: bool,
}

fn hash(name: &[u8]) -> usize {
    name.iter().fold(0x811c_9dc5u32, |h, &b| (h ^ b as u32).wrapping_mul(0x0100_0193)) as usize
}

/// The index after the `>` that ends a declaration, skipping quoted strings.
fn decl_end(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        match *b.get(i)? {
            q @ (b'"' | b'\'') => i = find_byte(b, i + 1, q)?,
            b'>' => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
}

pub fn find_byte(b: &[u8], from: usize, c: u8) -> Option<usize> {
    Some(from + b.get(from..)?.iter().position(|&x| x == c)?)
}

/// The index of the first `needle` at or after `from`.
pub fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    Some(from + b.get(from..)?.windows(needle.len()).position(|w| w == needle)?)
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
        let end = loop {
            match *b.get(i)? {
                q @ (b'"' | b'\'') => i = find_byte(b, i + 1, q)? + 1,
                b'[' => i = self.subset(b, i + 1)?,
                b'>' => break i + 1,
                _ => i += 1,
            }
        };
        if !self.sealed {
            self.sealed = true;
            self.index(b);
        }
        Some(end)
    }

    /// The internal subset, up to and including its `]`.
    fn subset(&mut self, b: &[u8], mut i: usize) -> Option<usize> {
        loop {
            let rest = b.get(i..)?;
            i = if rest.starts_with(b"]") {
                return Some(i + 1);
            } else if rest.starts_with(b"<!--") {
                find(b, i + 4, b"-->")? + 3
            } else if rest.starts_with(b"<?") {
                find(b, i + 2, b"?>")? + 2
            } else if rest.starts_with(b"<!ENTITY") {
                self.entity(b, i + 8)?
            } else if rest.starts_with(b"<") {
                decl_end(b, i + 1)?
            } else {
                // White space, parameter-entity references and anything unexpected.
                i + 1
            };
        }
    }

    /// One `<!ENTITY`, from after the keyword; keeps general entities.
    fn entity(&mut self, b: &[u8], i: usize) -> Option<usize> {
        let mut i = skip_space(b, i);
        let parameter = b.get(i) == Some(&b'%');
        if parameter {
            i = skip_space(b, i + 1);
        }
        let name = (i, name_end(b, i));
        i = skip_space(b, name.1);
        let value = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => Some((i + 1, find_byte(b, i + 1, q)?)),
            _ => None,
        };
        if !parameter
            && !self.sealed
            && name.1 > name.0
            && self.list.len() < MAX_ENTITIES
            && self.list.try_reserve(1).is_ok()
        {
            self.list.push(Entity { name, value });
        }
        decl_end(b, i)
    }

    /// Builds the lookup table; the first declaration of a name wins, as the spec says.
    fn index(&mut self, b: &[u8]) {
        let size = (self.list.len() * 2).next_power_of_two();
        let mut table = Vec::new();
        if self.list.is_empty() || table.try_reserve_exact(size).is_err() {
            return;
        }
        table.resize(size, 0u32);
        for (n, e) in self.list.iter().enumerate() {
            let name = b.get(e.name.0..e.name.1).unwrap_or(&[]);
            let mut h = hash(name);
            // At most half full, so an empty slot comes within `size` probes.
            for _ in 0..size {
                h &= size - 1;
                match table.get(h).map(|&t| t as usize) {
                    Some(0) => {
                        if let Some(slot) = table.get_mut(h) {
                            *slot = n as u32 + 1;
                        }
                        break;
                    }
                    Some(t) if self.list.get(t - 1).and_then(|o| b.get(o.name.0..o.name.1)) == Some(name) => break,
                    _ => h += 1,
                }
            }
        }
        self.table = table;
    }

    fn lookup(&self, src: &str, name: &str) -> Option<&Entity> {
        let mask = self.table.len().checked_sub(1)?;
        let mut h = hash(name.as_bytes());
        for _ in 0..self.table.len() {
            let e = self.list.get((*self.table.get(h & mask)? as usize).checked_sub(1)?)?;
            if at(src, e.name) == name {
                return Some(e);
            }
            h = (h & mask) + 1;
        }
        None
    }

    /// Appends `raw` (a slice of `src`) to `out` as `mode` says, stopping between
    /// references once `out` holds `max_out` bytes. Returns the bytes of `raw` read.
    pub fn unescape(&self, src: &str, raw: &str, out: &mut String, mode: Mode, max_out: usize) -> Result<usize> {
        // Where to resume in the texts whose expansion is in progress.
        let mut stack: Vec<&str> = Vec::new();
        let mut cur = raw;
        let mut spent = 0usize;
        loop {
            if stack.is_empty() && out.len() >= max_out {
                return Ok(raw.len().saturating_sub(cur.len()));
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
                    None => return Ok(raw.len()),
                }
                continue;
            };
            if c != b'&' {
                out.push(if mode == Mode::Attr { ' ' } else { '\n' });
                let crlf = rest.as_bytes().get(..2) == Some(b"\r\n");
                cur = rest.get(1 + crlf as usize..).unwrap_or("");
                continue;
            }
            // `&name;` or `&#...;`: the name runs to the first byte that cannot be in one.
            let len = rest
                .bytes()
                .skip(1)
                .position(|c| is_space(c) || matches!(c, b';' | b'&' | b'<' | b'"' | b'\''))
                .unwrap_or(0);
            let (body, after) = match (rest.get(1..len + 1), rest.as_bytes().get(len + 1)) {
                (Some(body), Some(b';')) if len > 0 => (body, rest.get(len + 2..).unwrap_or("")),
                _ => ("", ""),
            };
            let known = match body {
                "" => None,
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "apos" => Some('\''),
                "quot" => Some('"'),
                _ => body.strip_prefix('#').and_then(char_ref),
            };
            if let Some(ch) = known {
                out.push(ch);
                cur = after;
                continue;
            }
            match self.lookup(src, body) {
                Some(e) if !body.is_empty() => {
                    let value = e.value.map_or("", |v| at(src, v));
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
                }
                // Not a reference we know: keep the `&` and read on.
                _ => {
                    out.push('&');
                    cur = rest.get(1..).unwrap_or("");
                }
            }
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
    for c in digits.chars() {
        // Saturating just past the last code point: no overflow, and still invalid.
        v = (v * radix + c.to_digit(radix)?).min(0x11_0000);
    }
    Some(char::from_u32(v).filter(|&c| c != '\0').unwrap_or('\u{fffd}'))
}
