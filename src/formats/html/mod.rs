//! HTML and XHTML: the text a reader sees, as Markdown (default) or plain text, with tables
//! as table records and the page's metadata (named in [`meta`]).
//!
//! One pass over the bytes: the [`tokenizer`] hands out tags and raw text; the [`tree`]
//! builder keeps a stack of open elements to apply the HTML5 rules that decide where blocks
//! and inline markup end (implied end tags for p, li, dt/dd, tr, td, option..., stray and
//! misnested end tags, element scopes), and tells [`render`] what opens and closes. No
//! document tree is built, so memory is the input plus the text of the open table.
//! [`charset`] finds the encoding, [`entities`] decodes character references, [`table`]
//! lays out table grids.
//!
//! Limits: the stack holds at most `max_depth` elements. Deeper elements are still read and
//! their text still extracted, with the line breaks their kind implies, but their structure
//! (lists, marks, tables, hidden content) is not tracked: browsers cap the depth of the tree
//! in the same spirit, and a reader keeps every word. Table grids count against
//! `max_objects`. Text is handed to the sink after every 64 KB of input.

mod charset;
mod entities;
mod entity_table;
mod meta;
mod render;
mod table;
mod tags;
mod tokenizer;
mod tree;

#[cfg(test)]
mod tests;

use crate::config::Config;
use crate::encoding::Encoding;
use crate::error::Result;
use crate::feature;
use crate::formats::{Extractor, Family, Format, Step};
use crate::sink::Sink;
use alloc::borrow::Cow;
use alloc::boxed::Box;
use charset::Charset;
use tokenizer::Tokenizer;
use tree::Tree;

pub const FORMAT: Format = Format {
    mimes: &["text/html", "application/xhtml+xml"],
    feature: feature::HTML,
    family: Family::Text { looks_like: Some(looks_like) },
    open,
};

/// Input consumed per step.
const PIECE: usize = 64 * 1024;

/// Claims content whose first markup (after a BOM, white space, comments and an XML
/// declaration) is `<!doctype html`, `<html`, `<head` or `<body`, in any case.
fn looks_like(doc: &[u8]) -> bool {
    let mut s = doc.strip_prefix(b"\xef\xbb\xbf").unwrap_or(doc);
    loop {
        s = s.trim_ascii_start();
        let close: &[u8] = if s.starts_with(b"<!--") {
            b"-->"
        } else if s.starts_with(b"<?") {
            b">"
        } else {
            break;
        };
        let p = tokenizer::find(s, 0, close);
        if p == tokenizer::NOT_FOUND {
            return false;
        }
        s = s.get(p + close.len()..).unwrap_or(&[]);
    }
    // `<!doctype html` (one space) or `<html`, `<head`, `<body`, the name ended as a tag
    // name ends (or by the end of the input).
    let doctype = s.get(..10).is_some_and(|h| h.eq_ignore_ascii_case(b"<!doctype "));
    let at = if doctype { 10 } else { 1 };
    let end = tokenizer::scan(s, at, tokenizer::SPACE | tokenizer::SLASH | tokenizer::GT);
    let tag = tags::lookup(s.get(at..end).unwrap_or(&[])).tag;
    s.first() == Some(&b'<') && (tag == tags::Tag::Html || !doctype && matches!(tag, tags::Tag::Head | tags::Tag::Body))
}

fn open<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    let (charset, source, bom) = charset::detect(doc);
    let body = doc.get(bom..).unwrap_or(&[]);
    let (input, decode_as) = match charset.transcode(body)? {
        // A UTF-16 or CJK page transcoded to UTF-8.
        Some(utf8) => (Cow::Owned(utf8.into_bytes()), Charset::Known(Encoding::Utf8)),
        None => (Cow::Borrowed(body), charset),
    };
    let tree = Tree::new(decode_as, charset, source, cfg);
    Ok(Box::new(Html { input, tok: Tokenizer::default(), tree }))
}

struct Html<'a> {
    input: Cow<'a, [u8]>,
    tok: Tokenizer,
    tree: Tree,
}

impl Extractor for Html<'_> {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        let input: &[u8] = &self.input;
        let tree = &mut self.tree;
        // Every step but the last consumes input, so only the first starts at 0.
        if self.tok.pos == 0 {
            tree.begin(sink)?;
        }
        let stop = self.tok.pos.saturating_add(PIECE);
        while self.tok.pos < stop {
            let Some(token) = self.tok.next(input, tree.foreign > 0) else {
                break;
            };
            tree.token(token, input, &mut self.tok, sink)?;
        }
        let done = self.tok.at_end(input);
        if done {
            tree.finish(sink)?;
        }
        sink.text(&tree.out.main.buf)?;
        tree.out.main.buf.clear();
        Ok(if done { Step::Done } else { Step::More })
    }
}
