//! The whole-result JSON, built by consuming the same records the stream hands out, so the
//! two paths cannot disagree. Field names follow Kreuzberg's `ExtractionResult`; the schema
//! is documented in `abi/ABI.md`.

use crate::error::{push_bytes, reserve, Result};
use crate::json;
use crate::records::Kind;
use alloc::vec::Vec;

/// The parts after `content`, in output order: the key that opens each and what closes it.
const PARTS: [(&[u8], &[u8]); 5] = [
    (b"\",\"metadata\":{", b"}"),
    (b",\"tables\":[", b"]"),
    (b",\"pages\":[", b"\"}]"),
    (b",\"images\":[", b"]"),
    (b",\"warnings\":[", b"]}"),
];
const PAGES: usize = 2;

#[derive(Default)]
pub struct ResultJson {
    /// The output; `content` is escaped straight into it as text arrives.
    out: Vec<u8>,
    /// The comma-separated items of each part of `PARTS`.
    parts: [Vec<u8>; 5],
    has_pages: bool,
}

/// `{"k":v}` → `"k":v`
fn inner(payload: &[u8]) -> &[u8] {
    payload.get(1..payload.len().saturating_sub(1)).unwrap_or(&[])
}

impl ResultJson {
    /// `out` is a scratch buffer from the arena.
    pub fn new(mut out: Vec<u8>) -> ResultJson {
        out.clear();
        ResultJson { out, ..ResultJson::default() }
    }

    pub fn add(&mut self, kind: Kind, payload: &[u8]) -> Result<()> {
        let [metadata, tables, pages, images, warnings] = &mut self.parts;
        let (list, item) = match kind {
            Kind::Document => {
                self.out.push(b'{');
                push_bytes(&mut self.out, inner(payload))?;
                return push_bytes(&mut self.out, b",\"content\":\"");
            }
            Kind::Text => {
                json::push_escaped(&mut self.out, payload)?;
                if self.has_pages {
                    json::push_escaped(pages, payload)?;
                }
                return Ok(());
            }
            Kind::Page => {
                if self.has_pages {
                    push_bytes(pages, b"\"},")?;
                }
                self.has_pages = true;
                // {"page_number":N} → {"page_number":N,"content":"
                push_bytes(pages, payload.get(..payload.len().saturating_sub(1)).unwrap_or(&[]))?;
                return push_bytes(pages, b",\"content\":\"");
            }
            Kind::Metadata => (metadata, inner(payload)),
            Kind::Table => (tables, payload),
            Kind::Image => (images, payload),
            Kind::Warning => (warnings, payload),
            Kind::End => return Ok(()),
        };
        if !list.is_empty() {
            list.push(b',');
        }
        push_bytes(list, item)
    }

    /// Closes the document. Returns the JSON and the largest temporary, for the arena.
    pub fn finish(mut self) -> Result<(Vec<u8>, Vec<u8>)> {
        reserve(&mut self.out, self.parts.iter().map(|p| p.len() + 16).sum())?;
        // Everything below fits the reservation, so plain appends cannot reallocate.
        for (i, ((open, close), items)) in PARTS.iter().zip(&self.parts).enumerate() {
            if i == PAGES && !self.has_pages {
                self.out.extend_from_slice(b",\"pages\":null");
                continue;
            }
            self.out.extend_from_slice(open);
            self.out.extend_from_slice(items);
            self.out.extend_from_slice(close);
        }
        let [_, _, pages, _, _] = self.parts;
        Ok((self.out, pages))
    }
}
