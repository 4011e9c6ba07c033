//! A small pull reader for XML, shared by the XML format and the Office formats (DOCX, XLSX,
//! PPTX and ODF parts are XML too).
//!
//! ```text
//! let part = xml::decode_owned(bytes)?.text;     // or decode(&bytes): UTF-8 read in place
//! let mut r = xml::Reader::new(cfg);
//! loop {
//!     match r.next(&part)? {
//!         Event::Start(t) if t.name.is(W, "t") => {}       // (namespace URI, local name)
//!         Event::Start(t) if t.name.is(W, "pStyle") => style = t.attr(W, "val")?,
//!         Event::Start(t) if t.name.is(W, "instrText") => r.skip(&part)?,
//!         Event::Text(s) | Event::CData(s) => {}          // references resolved
//!         Event::End(name) if name.is(W, "p") => {}
//!         Event::Eof => break,
//!         _ => {}
//!     }
//! }
//! ```
//!
//! The reader keeps only offsets into the text, never a borrow of it, so the caller can own
//! the text in the same struct (a decompressed part, a transcoded document) and pass it to
//! every [`Reader::next`]. Names borrow the text (zero-copy); character data is copied
//! into the reader's scratch buffer, resolved as it goes (one code path for plain and
//! rewritten text is smaller than a zero-copy fast path beside it).
//! Character data comes in pieces of at most 64 KiB (plus one entity's expansion), so a
//! giant text node never needs a buffer of its size; an empty-element tag comes as a
//! `Start` (with `empty` set) followed by its `End`.
//!
//! What the reader forgives (it sets [`Reader::recovered`] and carries on, because the text
//! is still there to extract): end tags that match no open element (ignored) or an ancestor
//! up to 16 levels up (the elements in between are closed), elements left open at the end
//! (closed), `&` or `<` that start no reference or markup (kept as text), unknown entities
//! (kept as written), invalid character references (U+FFFD), attributes without a value or
//! quotes, undeclared prefixes (no namespace), text and elements outside the root element.
//! What it does not: markup cut off by the end of the input (a tag, comment, CDATA section,
//! processing instruction or DOCTYPE that never closes) is CORRUPT at the byte where it
//! starts. Depth beyond `max_depth`, more elements than `max_objects` and entity expansion
//! beyond its budget (see `escape`) are LIMIT. External entities are never read.
//! Namespace URIs are compared as written (one with a reference in it would not match).
//! Only the Office formats tell names apart by namespace: a build without them resolves
//! none (every name's `ns` is empty and its `local` is its `qname`: nothing in such a build
//! reads more than the qualified name), which leaves the bindings' code out of it.

use crate::error::{oom, Result};
use alloc::vec::Vec;

mod escape;
mod reader;
mod source;
#[cfg(test)]
mod tests;

/// For the XML format's sniffing, which skips what the reader skips.
#[cfg(feature = "xml")]
pub(crate) use escape::markup_end;
pub use reader::{Attr, Event, Name, Reader, Tag};
pub use source::{decode, decode_owned, Decoded};

/// The namespace the `xml` prefix is bound to (`xml:space`, `xml:lang`).
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// A byte range of the text: (start, end).
pub(crate) type Span = (usize, usize);

/// Distinct names of the text, each with a value, in order of first appearance: the XML
/// format's element names, the entities a DTD declares. One sorted index serves both.
#[derive(Default)]
pub(crate) struct Names {
    /// (name, value) in order of first appearance.
    pub list: Vec<(Span, Span)>,
    /// Indexes into `list`, sorted by name, for the binary search.
    sorted: Vec<u16>,
}

impl Names {
    /// The name and value at `pos` in sorted order.
    fn sorted(&self, pos: usize) -> Option<&(Span, Span)> {
        self.list.get(*self.sorted.get(pos)? as usize)
    }

    /// Where `name` is in sorted order, or where it would go: the first position whose
    /// name is not less. (By hand: `binary_search_by` brings a closure of its own.)
    fn lower_bound(&self, src: &str, name: &str) -> usize {
        let (mut lo, mut hi) = (0, self.sorted.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.sorted(mid).is_some_and(|e| at(src, e.0) < name) {
                true => lo = mid + 1,
                false => hi = mid,
            }
        }
        lo
    }

    /// The value of the first `name` added.
    pub fn get(&self, src: &str, name: &str) -> Option<Span> {
        let e = self.sorted(self.lower_bound(src, name))?;
        (at(src, e.0) == name).then_some(e.1)
    }

    /// Adds `name` (a span of `src`) with `value` unless it is there already or `max` names are.
    /// `max` must stay at most 65,536, the indexes being u16; the callers keep it at 1,000
    /// (element names) and 4,096 (entities), which also bounds the insertion's shifting.
    pub fn add(&mut self, src: &str, name: Span, value: Span, max: usize) -> Result<()> {
        let s = at(src, name);
        let pos = self.lower_bound(src, s);
        if self.list.len() < max && self.sorted(pos).is_none_or(|e| at(src, e.0) != s) {
            self.sorted.try_reserve(1).map_err(|_| oom())?;
            self.list.try_reserve(1).map_err(|_| oom())?;
            self.sorted.insert(pos, self.list.len() as u16);
            self.list.push((name, value));
        }
        Ok(())
    }
}

pub(crate) fn at(src: &str, s: Span) -> &str {
    src.get(s.0..s.1).unwrap_or("")
}

/// XML's white space: space, tab, CR, LF (production S). Not Unicode's.
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// `s` without XML white space at either end.
pub fn trim(s: &str) -> &str {
    // By bytes: white space is ASCII, so the cuts fall on character boundaries.
    let b = s.as_bytes();
    let start = b.iter().position(|&c| !is_space(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|&c| !is_space(c)).map_or(start, |e| e + 1);
    s.get(start..end).unwrap_or("")
}
