//! YAML 1.2: block and flow collections, plain, quoted, literal (`|`) and folded (`>`)
//! scalars with chomping and indentation indicators, comments, multiple documents (`---`,
//! `...`), directives, tags (ignored), anchors and aliases. The text is one line per scalar
//! with its key path (see [`super::tree_text`]); documents are separated by a blank line and
//! counted in the `document_count` metadata.
//!
//! How it works: a line-driven parser turns the input into events (mapping, sequence, end,
//! key, scalar, null, alias) a piece at a time, and a walker turns events into lines. Block
//! and flow nesting live on explicit stacks checked against `cfg.max_depth`; nothing
//! recurses. Events are dropped once walked unless the document has anchors, whose nodes
//! aliases replay later: then the document's events are kept, at most `cfg.max_objects` of
//! them, and alias expansion counts every replayed event against `cfg.max_objects` too, so
//! a "billion laughs" document ends in LIMIT.
//!
//! Also read: explicit keys (`? key` then `: value`, which keys over 1024 characters need),
//! one-pair mappings in flow sequences (`[cron: "0 1 * * *"]`), and merge keys: `<<: *base`
//! puts the keys of `base` in the mapping. Forgiving where common parsers are, and a little
//! beyond: tabs count as indentation, `key: a: b` and continuation lines containing `: ` are
//! plain text, an unknown escape stands for its character. CORRUPT (with the offset) for an
//! unterminated quoted scalar or flow collection, a mismatched bracket, a line at an
//! indentation that fits no open collection, text after a complete value, an alias to an
//! unknown anchor, and complex keys (a collection, block scalar or alias as a key), which
//! this reader does not support.
//!
//! YAML is only read when declared (`looks_like` is None): too much plain text is valid YAML.
//! `cfg.plain` changes nothing (see [`super::tree_text`]).

pub use super::tree_text::FrontValue;
use super::tree_text::{
    at_line_end, escape, hash, is_blank, is_break, line_end, next_line, skip_blanks, utf8_input, FrontMatter,
    HashCounts, Out, TextBuf, TreeText, HASH_START, PIECE,
};
use crate::config::Config;
use crate::error::{corrupt_at, limit, oom, Result};
use crate::feature;
use crate::formats::{Extractor, Family, Format, Step};
use crate::sink::Sink;
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::vec::Vec;

pub const FORMAT: Format = Format {
    mimes: &["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"],
    feature: feature::YAML,
    family: Family::Text { looks_like: None },
    open,
};

fn open<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    Ok(Box::new(Yaml {
        doc: utf8_input(doc)?,
        p: Parser::new(cfg),
        w: Walker::default(),
        tt: TreeText::new(cfg),
        started: false,
        status: Status::More,
    }))
}

/// The front matter of a Markdown document: `doc` is the YAML between the `---` lines (the
/// lines themselves may be included). Only the first document is read. Every scalar comes
/// with its key path, nested mappings flattened with dotted keys (`author.name`), and the
/// scalars of a sequence gathered into one list (`tags: [a, b]` and block lists alike).
pub fn front_matter(doc: &[u8], cfg: &Config) -> Result<FrontMatter> {
    let doc = utf8_input(doc)?;
    let (mut p, mut w, mut tt) = (Parser::new(cfg), Walker::default(), TreeText::new(cfg));
    let mut list = Vec::new();
    p.parse(&doc, usize::MAX)?;
    w.walk(&p, &mut tt, &mut Out::Front(&mut list), usize::MAX)?;
    Ok(list)
}

struct Yaml<'a> {
    doc: Cow<'a, [u8]>,
    p: Parser,
    w: Walker,
    tt: TreeText,
    started: bool,
    /// What the last parse reached; acted on once its events are walked.
    status: Status,
}

impl Extractor for Yaml<'_> {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        if !self.started {
            self.started = true;
            sink.meta_str("format_type", "yaml")?;
        }
        if self.w.caught_up(&self.p) {
            if self.p.anchors.is_empty() && self.p.open_anchors == 0 {
                // Nothing will replay these events: drop them.
                self.p.events.clear();
                self.p.text.clear();
                self.w.at = 0;
            }
            match self.status {
                Status::More => {}
                Status::DocEnd => {
                    self.p.new_document();
                    self.w.at = 0;
                    self.tt.gap();
                }
                Status::Eof => {
                    sink.meta_int("document_count", self.p.documents)?;
                    self.tt.lossy = self.p.text.lossy;
                    self.tt.finish(sink, "yaml")?;
                    return Ok(Step::Done);
                }
            }
            self.status = self.p.parse(&self.doc, PIECE)?;
        }
        let stop = self.tt.written + PIECE;
        self.w.walk(&self.p, &mut self.tt, &mut Out::Sink(sink), stop)?;
        Ok(Step::More)
    }
}

// Event kinds.
const MAP: u8 = 0;
const SEQ: u8 = 1;
const END: u8 = 2;
const KEY: u8 = 3;
const SCALAR: u8 = 4;
/// A node with no text (`key:` with nothing after it).
const NULL: u8 = 5;
const ALIAS: u8 = 6;

/// A parse event: scalars and keys carry their text range in `Parser::text`, aliases the
/// index of their anchor in `Parser::anchors`.
#[derive(Clone, Copy)]
struct Ev {
    kind: u8,
    a: usize,
    b: usize,
}

/// An open collection: block collections, and above them while a flow collection is read,
/// flow collections.
#[derive(Clone, Copy)]
struct Block {
    /// Column of its entries; -1 for the document itself, whose one value is the root node.
    /// Flow collections do not use it.
    indent: isize,
    seq: bool,
    /// An entry (`key:`, `-`) was read and its value has not come yet.
    want: bool,
    /// The key was explicit (`? key`) or is a flow mapping's: its value follows a `:`.
    explicit: bool,
    /// A single-pair mapping inside a flow sequence (`[key: value]`), closed after its value.
    pair: bool,
    /// Anchor name hash and first event, defined when the collection ends.
    anchor: Option<(u64, usize)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    More,
    DocEnd,
    Eof,
}

struct Parser {
    pos: usize,
    /// Start of the current line, for columns.
    line: usize,
    blocks: Vec<Block>,
    /// The anchor for the next node.
    anchor: Option<u64>,
    events: Vec<Ev>,
    text: TextBuf,
    /// Event ranges of the anchored nodes of this document.
    anchors: Vec<(usize, usize)>,
    /// Anchor name hash to index in `anchors` + 1.
    names: HashCounts,
    /// Anchored collections not closed yet.
    open_anchors: usize,
    /// The current document has begun (`---` or content).
    started: bool,
    /// Where the value of the key `find_key` read starts (after its `:`); 0 if it read none.
    key_end: usize,
    documents: usize,
    max_depth: usize,
    max_objects: usize,
}

/// A blank, a line break or the end: what must follow `-` or `:` as indicators. (Out of
/// line: called from many places.)
#[inline(never)]
fn is_sep(b: Option<&u8>) -> bool {
    matches!(b, None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

/// The indicator `b` at `i`, followed by a separator (`- `, `: `, `? `). Out of line:
/// called from many places.
#[inline(never)]
fn indicator(doc: &[u8], i: usize, b: u8) -> bool {
    doc.get(i) == Some(&b) && is_sep(doc.get(i + 1))
}

/// The end of an anchor, alias or tag name at `i`.
fn name_end(doc: &[u8], mut i: usize) -> usize {
    while !matches!(doc.get(i), None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b'[' | b']' | b'{' | b'}')) {
        i += 1;
    }
    i
}

/// The hash of the anchor or alias name at `i`, and its end (shared by anchors and
/// aliases, in block and flow context).
#[inline(never)]
fn name(doc: &[u8], i: usize) -> (u64, usize) {
    let end = name_end(doc, i);
    (hash(HASH_START, doc.get(i..end).unwrap_or(&[])), end)
}

/// `---` or `...` at `i` (column 0), followed by a separator.
fn marker(doc: &[u8], i: usize, m: &[u8]) -> bool {
    doc.get(i..i + 3) == Some(m) && is_sep(doc.get(i + 3))
}

/// From the line break at `i`: skips it, the blank lines after it and the next line's
/// indentation. Returns the position reached, the number of blank lines and its column.
fn next_content(doc: &[u8], i: usize) -> (usize, usize, usize) {
    let mut line = next_line(doc, i);
    let mut blank = 0;
    loop {
        let j = skip_blanks(doc, line);
        if j >= doc.len() || !is_break(doc.get(j)) {
            return (j, blank, j - line);
        }
        blank += 1;
        line = next_line(doc, j);
    }
}

impl Parser {
    fn new(cfg: &Config) -> Parser {
        let mut p = Parser {
            pos: 0,
            line: 0,
            blocks: Vec::new(),
            anchor: None,
            events: Vec::new(),
            text: TextBuf::default(),
            anchors: Vec::new(),
            names: HashCounts::default(),
            open_anchors: 0,
            started: false,
            key_end: 0,
            documents: 0,
            max_depth: cfg.max_depth as usize,
            max_objects: cfg.max_objects as usize,
        };
        p.new_document();
        p
    }

    /// Forgets the previous document (anchors do not cross documents).
    fn new_document(&mut self) {
        self.blocks.clear();
        self.blocks.push(Block { indent: -1, seq: false, want: true, explicit: false, pair: false, anchor: None });
        self.anchor = None;
        self.events.clear();
        self.text.clear();
        self.anchors.clear();
        self.names = HashCounts::default();
        self.open_anchors = 0;
        self.started = false;
    }

    /// Parses lines until about `budget` bytes are consumed or a document ends.
    fn parse(&mut self, doc: &[u8], budget: usize) -> Result<Status> {
        let stop = self.pos.saturating_add(budget);
        loop {
            let status = self.line(doc)?;
            if status != Status::More || self.pos >= stop {
                return Ok(status);
            }
        }
    }

    fn top(&mut self) -> Option<&mut Block> {
        self.blocks.last_mut()
    }

    fn event(&mut self, kind: u8, a: usize, b: usize) -> Result<()> {
        if self.events.len() >= self.max_objects {
            return Err(limit("yaml: more nodes than max_objects"));
        }
        self.events.try_reserve(1).map_err(|_| oom())?;
        self.events.push(Ev { kind, a, b });
        Ok(())
    }

    /// Records that an anchored node spans events `start..` up to now.
    fn define(&mut self, name: u64, start: usize) -> Result<()> {
        self.anchors.try_reserve(1).map_err(|_| oom())?;
        self.anchors.push((start, self.events.len()));
        self.names.set(name, self.anchors.len())
    }

    /// A scalar or key whose text starts at `start` in `text`, with the pending anchor.
    fn scalar(&mut self, kind: u8, start: usize) -> Result<()> {
        let at = self.events.len();
        self.event(kind, start, self.text.s.len())?;
        match self.anchor.take() {
            Some(name) => self.define(name, at),
            None => Ok(()),
        }
    }

    /// The top block got its value.
    fn done(&mut self) {
        self.want(false, false);
    }

    /// The top block wants a value (after a key or `-`), or not. A block that wants none has
    /// no pending explicit key either. Out of line: called from many places.
    #[inline(never)]
    fn want(&mut self, want: bool, explicit: bool) {
        if let Some(top) = self.top() {
            (top.want, top.explicit) = (want, explicit);
        }
    }

    fn check_depth(&self) -> Result<()> {
        if self.blocks.len() > self.max_depth {
            return Err(limit("yaml: nesting deeper than max_depth"));
        }
        Ok(())
    }

    /// Opens a block collection at column `indent` as the value of the top block.
    fn open(&mut self, seq: bool, indent: usize, anchor: Option<u64>) -> Result<()> {
        self.check_depth()?;
        let start = self.events.len();
        self.event(if seq { SEQ } else { MAP }, 0, 0)?;
        self.open_anchors += anchor.is_some() as usize;
        self.blocks.try_reserve(1).map_err(|_| oom())?;
        self.blocks.push(Block {
            indent: indent as isize,
            seq,
            want: seq,
            explicit: false,
            pair: false,
            anchor: anchor.map(|a| (a, start)),
        });
        Ok(())
    }

    /// Closes the top block collection.
    fn pop(&mut self) -> Result<()> {
        let Some(b) = self.blocks.pop() else {
            return Ok(());
        };
        if b.want {
            self.event(NULL, 0, 0)?;
        }
        self.event(END, 0, 0)?;
        if let Some((name, start)) = b.anchor {
            self.open_anchors -= 1;
            self.define(name, start)?;
        }
        self.done();
        Ok(())
    }

    fn end_document(&mut self) -> Result<()> {
        while self.blocks.len() > 1 {
            self.pop()?;
        }
        self.started = false;
        self.documents += 1;
        Ok(())
    }

    /// Parses the line at `pos` (and the lines a multi-line node spans).
    fn line(&mut self, doc: &[u8]) -> Result<Status> {
        self.line = self.pos;
        let c = skip_blanks(doc, self.pos);
        let n = c - self.pos;
        match doc.get(c) {
            None => {
                self.pos = c;
                if self.started {
                    self.end_document()?;
                }
                return Ok(Status::Eof);
            }
            Some(b'\n' | b'\r' | b'#') => {
                self.pos = next_line(doc, c);
                return Ok(Status::More);
            }
            Some(b'%') if n == 0 && !self.started => {
                // A directive (%YAML, %TAG): nothing to read in it.
                self.pos = next_line(doc, c);
                return Ok(Status::More);
            }
            _ => {}
        }
        let end = n == 0 && marker(doc, c, b"...");
        if end {
            self.pos = next_line(doc, c);
        }
        if n == 0 && marker(doc, c, b"---") || end {
            if self.started {
                // Ends the current document; a `---` is read again to start the next.
                self.end_document()?;
                return Ok(Status::DocEnd);
            }
            if end {
                return Ok(Status::More);
            }
            self.started = true;
            // The root node may start on the marker line (`--- |`, `--- text`).
            self.node(doc, c + 3, false)?;
        } else {
            self.started = true;
            self.block_line(doc, n as isize, c)?;
        }
        Ok(Status::More)
    }

    /// A content line at indentation `n`, content at `c`.
    fn block_line(&mut self, doc: &[u8], n: isize, c: usize) -> Result<()> {
        let dash = indicator(doc, c, b'-');
        // Close the collections this line is outside of. A sequence at the line's own
        // indentation continues only with another `-`.
        while let Some(&top) = self.blocks.last() {
            if self.blocks.len() > 1 && (top.indent > n || (top.indent == n && top.seq && !dash)) {
                self.pop()?;
            } else {
                break;
            }
        }
        // The document's own entry is never closed, so there is always a top.
        let Some(&top) = self.blocks.last() else {
            return Err(corrupt_at("yaml: bad indentation", c));
        };
        let colon = indicator(doc, c, b':');
        if top.want {
            if top.explicit {
                // The value of an explicit key.
                if colon && n == top.indent {
                    return self.node(doc, c + 1, true);
                }
            } else if n > top.indent || (dash && !top.seq) {
                // More indented, or a sequence at the indentation of its mapping key.
                return self.node(doc, c, true);
            }
            self.event(NULL, 0, 0)?;
            self.done();
        }
        if top.indent != n {
            return Err(corrupt_at("yaml: bad indentation", c));
        }
        if top.seq {
            self.want(true, false);
            return self.node(doc, c + 1, true);
        }
        let start = self.text.s.len();
        self.find_key(doc, c)?;
        if self.key_end > 0 {
            self.push_key(start)?;
            self.node(doc, self.key_end, false)
        } else if indicator(doc, c, b'?') {
            self.explicit_key(doc, c + 1)
        } else {
            Err(corrupt_at("yaml: expected a mapping key", c))
        }
    }

    /// An explicit key (`? key`, needed for keys over 1024 characters) after the `?` at
    /// `c`. Only a scalar on the `?` line is supported as the key.
    fn explicit_key(&mut self, doc: &[u8], c: usize) -> Result<()> {
        let c = skip_blanks(doc, c);
        if matches!(doc.get(c), Some(b'[' | b'{' | b'|' | b'>' | b'*')) {
            return Err(corrupt_at("yaml: complex keys are not supported", c));
        }
        self.leaf(doc, c, KEY)?;
        self.want(true, true);
        Ok(())
    }

    /// If a block mapping key starts at `c` (a key, then `:` and a separator, on this line),
    /// reads it into `text` from its end and sets `key_end` after the `:`; else sets it to 0.
    fn find_key(&mut self, doc: &[u8], c: usize) -> Result<()> {
        self.key_end = 0;
        let start = self.text.begin();
        let end = match doc.get(c) {
            Some(b'"' | b'\'') => {
                self.quoted(doc, c)?;
                self.pos
            }
            None | Some(b'[' | b'{' | b'*' | b'|' | b'>' | b'#' | b'%' | b'@' | b'`') => return Ok(()),
            _ => {
                // A plain key ends at the first `: ` of the line, unless a comment comes first.
                let mut i = c;
                loop {
                    match doc.get(i) {
                        Some(b':') if is_sep(doc.get(i + 1)) => break,
                        Some(b'#') if is_blank(doc.get(i.wrapping_sub(1))) => return Ok(()),
                        Some(b'\n' | b'\r') | None => return Ok(()),
                        _ => i += 1,
                    }
                }
                self.text.push_range(doc, c, i)?;
                self.text.trim_end(start);
                i
            }
        };
        let colon = skip_blanks(doc, end);
        // A quoted key ends on its line, and only blanks come before the colon.
        if indicator(doc, colon, b':') && colon < line_end(doc, c) {
            self.key_end = colon + 1;
        } else {
            self.text.s.truncate(start);
        }
        Ok(())
    }

    /// After a node: only blanks and a comment may remain on its line.
    fn line_rest(&mut self, doc: &[u8]) -> Result<()> {
        let i = skip_blanks(doc, self.pos);
        if !at_line_end(doc, i) {
            return Err(corrupt_at("yaml: unexpected text after a value", i));
        }
        self.pos = next_line(doc, i);
        Ok(())
    }

    /// Emits the key read into `text` from `start`; the top mapping then wants its value.
    fn push_key(&mut self, start: usize) -> Result<()> {
        self.scalar(KEY, start)?;
        self.want(true, false);
        Ok(())
    }

    /// Reads the node at `c` on the current line as the value the top block wants. With
    /// `block`, it may open block collections (`- ` entries, `key:` entries).
    fn node(&mut self, doc: &[u8], mut c: usize, mut block: bool) -> Result<()> {
        loop {
            // Properties from an earlier line belong to this node (or to the collection it
            // opens); properties on this line before a key belong to the key.
            let carried = self.anchor.take();
            loop {
                c = skip_blanks(doc, c);
                match doc.get(c) {
                    Some(b'&') => {
                        let (name, end) = name(doc, c + 1);
                        self.anchor = Some(name);
                        c = end;
                    }
                    Some(b'!') => c = name_end(doc, c),
                    _ => break,
                }
            }
            let inline = self.anchor.take();
            if at_line_end(doc, c) {
                // The node is on the following lines.
                self.anchor = inline.or(carried);
                self.pos = next_line(doc, c);
                return Ok(());
            }
            let column = c - self.line;
            if block && indicator(doc, c, b'-') {
                self.open(true, column, inline.or(carried))?;
                c += 1;
                continue;
            }
            let start = self.text.s.len();
            self.key_end = 0;
            if block {
                self.find_key(doc, c)?;
            }
            if block && self.key_end == 0 && indicator(doc, c, b'?') {
                self.open(false, column, carried)?;
                return self.explicit_key(doc, c + 1);
            }
            if self.key_end > 0 {
                c = self.key_end;
                self.open(false, column, carried)?;
                self.anchor = inline;
                self.push_key(start)?;
                block = false;
                continue;
            }
            self.anchor = inline.or(carried);
            return self.leaf(doc, c, SCALAR);
        }
    }

    /// A node that opens no block collection: flow collection, block scalar, alias, quoted
    /// or plain scalar. Leaves `pos` at the start of the next line.
    /// `kind` is KEY for an explicit key, which must be a scalar.
    fn leaf(&mut self, doc: &[u8], c: usize, kind: u8) -> Result<()> {
        let parent = self.blocks.last().map_or(-1, |b| b.indent);
        let start = self.text.begin();
        match doc.get(c) {
            Some(b'[' | b'{') => self.flow(doc, c)?,
            Some(b'|' | b'>') => return self.block_scalar(doc, c, parent),
            Some(b'*') => self.alias(doc, c)?,
            _ => {
                self.quoted_or_plain(doc, c, parent, false)?;
                self.scalar(kind, start)?;
            }
        }
        self.done();
        self.line_rest(doc)
    }

    fn alias(&mut self, doc: &[u8], c: usize) -> Result<()> {
        let (name, end) = name(doc, c + 1);
        let index = self.names.get(name)?;
        if index == 0 {
            return Err(corrupt_at("yaml: alias to an unknown anchor", c));
        }
        self.anchor = None;
        self.event(ALIAS, index - 1, 0)?;
        self.pos = end;
        Ok(())
    }

    /// A quoted scalar at `c`, or else a plain one (see [`Parser::plain`]).
    fn quoted_or_plain(&mut self, doc: &[u8], c: usize, parent: isize, flow: bool) -> Result<()> {
        if matches!(doc.get(c), Some(b'"' | b'\'')) {
            self.quoted(doc, c)
        } else {
            self.plain(doc, c, parent, flow)
        }
    }

    /// Folds the line break at `i` inside a scalar (a space, or one line break per blank
    /// line after it) and returns where the next line's text starts.
    fn fold(&mut self, doc: &[u8], i: usize, start: usize) -> Result<usize> {
        self.text.trim_end(start);
        let (next, blank, _) = next_content(doc, i);
        self.breaks(blank, true)?;
        Ok(next)
    }

    /// `n` line breaks; if `n` is 0, a space if `space`.
    fn breaks(&mut self, n: usize, space: bool) -> Result<()> {
        if n == 0 && space {
            return self.text.push(' ');
        }
        for _ in 0..n {
            self.text.push('\n')?;
        }
        Ok(())
    }

    /// A quoted scalar at `c`, double (`"`, with escapes) or single (`'`, with `''` for a
    /// quote), possibly over several lines. Leaves `pos` after its closing quote.
    fn quoted(&mut self, doc: &[u8], c: usize) -> Result<()> {
        let start = self.text.s.len();
        let q = doc.get(c).copied().unwrap_or(b'"');
        let double = q == b'"';
        let mut i = c + 1;
        loop {
            let run = i;
            while doc.get(i).is_some_and(|&b| b != q && b != b'\n' && b != b'\r' && !(double && b == b'\\')) {
                i += 1;
            }
            self.text.push_range(doc, run, i)?;
            match doc.get(i) {
                None => return Err(corrupt_at("yaml: unterminated quoted scalar", c)),
                Some(b'\\') if double => i = self.escape(doc, i + 1)?,
                Some(b'\n' | b'\r') => i = self.fold(doc, i, start)?,
                // A doubled quote in a single-quoted scalar is a quote.
                Some(_) if !double && doc.get(i + 1) == Some(&q) => {
                    self.text.push('\'')?;
                    i += 2;
                }
                Some(_) => {
                    self.pos = i + 1;
                    return Ok(());
                }
            }
        }
    }

    /// Decodes the escape whose letter is at `i`; returns the position after it.
    fn escape(&mut self, doc: &[u8], i: usize) -> Result<usize> {
        let Some(&b) = doc.get(i) else {
            return Err(corrupt_at("yaml: unterminated quoted scalar", i));
        };
        if is_break(Some(&b)) {
            // An escaped line break joins the lines without a space.
            let (next, blank, _) = next_content(doc, i);
            self.breaks(blank, false)?;
            return Ok(next);
        }
        if let Some(next) = escape(doc, i, &mut self.text, "yaml: invalid escape")? {
            return Ok(next);
        }
        // Forgivingly, any other ASCII character stands for itself.
        let end = if b < 0x80 { i + 1 } else { i };
        self.text.push_range(doc, i, end)?;
        Ok(end)
    }

    /// A plain scalar at `c`, continued on following lines indented more than `parent` (in
    /// flow context: not starting with an indicator). Leaves `pos` where it ends: a line
    /// break, a comment, or in flow context an indicator.
    fn plain(&mut self, doc: &[u8], c: usize, parent: isize, flow: bool) -> Result<()> {
        let start = self.text.s.len();
        let mut i = c;
        loop {
            let from = i;
            let mut end = i;
            loop {
                match doc.get(i) {
                    None | Some(b'\n' | b'\r') => break,
                    Some(b'#') if is_blank(doc.get(i.wrapping_sub(1))) => break,
                    Some(b':')
                        if flow
                            && (is_sep(doc.get(i + 1))
                                || matches!(doc.get(i + 1), Some(b',' | b'[' | b']' | b'{' | b'}'))) =>
                    {
                        break
                    }
                    Some(b',' | b'[' | b']' | b'{' | b'}') if flow => break,
                    Some(b' ' | b'\t') => {}
                    _ => end = i + 1,
                }
                i += 1;
            }
            self.text.push_range(doc, from, end)?;
            self.pos = i;
            if !is_break(doc.get(i)) || i >= doc.len() {
                return Ok(());
            }
            let (next, blank, column) = next_content(doc, i);
            let stop = match doc.get(next) {
                None | Some(b'#') => true,
                Some(b',' | b'[' | b']' | b'{' | b'}' | b':') if flow => true,
                _ => {
                    !flow
                        && (column as isize <= parent
                            || (column == 0 && (marker(doc, next, b"---") || marker(doc, next, b"..."))))
                }
            };
            if stop {
                return Ok(());
            }
            self.text.trim_end(start);
            self.breaks(blank, true)?;
            i = next;
        }
    }

    /// A literal (`|`) or folded (`>`) block scalar whose header is at `c`, in a block
    /// collection at indentation `parent`. Leaves `pos` at the first line after it.
    fn block_scalar(&mut self, doc: &[u8], c: usize, parent: isize) -> Result<()> {
        let literal = doc.get(c) == Some(&b'|');
        let (mut chomp, mut explicit) = (b' ', 0);
        let mut i = c + 1;
        for _ in 0..2 {
            match doc.get(i) {
                Some(&b @ (b'+' | b'-')) => chomp = b,
                Some(&d @ b'1'..=b'9') => explicit = (d - b'0') as isize,
                _ => break,
            }
            i += 1;
        }
        let i = skip_blanks(doc, i);
        if !at_line_end(doc, i) {
            return Err(corrupt_at("yaml: bad block scalar header", i));
        }
        let spaces = |at: usize| doc.get(at..).unwrap_or(&[]).iter().take_while(|&&b| b == b' ').count();
        let first = next_line(doc, i);
        // The content's indentation: explicit, or that of the first non-empty line.
        let mut indent = parent.max(0) + explicit;
        if explicit == 0 {
            let mut at = first;
            while at < doc.len() && is_break(doc.get(at + spaces(at))) {
                at = next_line(doc, at);
            }
            indent = spaces(at) as isize;
        }
        let start = self.text.begin();
        // Line breaks read and not written yet; the previous line was more indented.
        let (mut breaks, mut more_before, mut lines) = (0, false, 0);
        let mut at = first;
        while at < doc.len() {
            let n = spaces(at);
            // A line of spaces up to the indentation is empty; beyond, its spaces are text.
            let blank = is_break(doc.get(at + n)) && n as isize <= indent;
            if !blank && (n as isize) < indent.max(parent + 1) {
                break;
            }
            if blank {
                breaks += 1;
                at = next_line(doc, at + n);
                continue;
            }
            let from = at + indent as usize;
            let more = is_blank(doc.get(from));
            if lines > 0 && !literal && !more && !more_before {
                // Folding: one line break becomes a space, more keep all but one.
                self.breaks(breaks - 1, true)?;
            } else {
                self.breaks(breaks, false)?;
            }
            let end = line_end(doc, from);
            self.text.push_range(doc, from, end)?;
            (breaks, more_before, lines) = (1, more, lines + 1);
            at = next_line(doc, end);
        }
        // Chomping: strip drops the final line breaks, clip keeps one, keep all.
        let keep = match chomp {
            b'-' => 0,
            b'+' => breaks,
            _ => breaks.min(lines),
        };
        self.breaks(keep, false)?;
        self.pos = at;
        self.scalar(SCALAR, start)?;
        self.done();
        Ok(())
    }

    /// A flow collection at `c`, possibly over several lines, up to its closing bracket. Its
    /// collections go on the block stack; a flow mapping is before a key, after a key
    /// (`want` and `explicit`) or after the key's `:` (`want`).
    fn flow(&mut self, doc: &[u8], c: usize) -> Result<()> {
        let base = self.blocks.len();
        let mut i = c;
        // The event of a scalar just read as a sequence item: it may be a pair's key.
        let mut item: Option<usize> = None;
        loop {
            // Blanks, line breaks and comments separate flow tokens.
            loop {
                i = skip_blanks(doc, i);
                match doc.get(i) {
                    Some(b'\n' | b'\r' | b'#') => i = next_line(doc, i),
                    _ => break,
                }
            }
            let Some(&b) = doc.get(i) else {
                return Err(corrupt_at("yaml: unterminated flow collection", c));
            };
            let prev = item.take();
            let top = self.blocks.last().copied().filter(|_| self.blocks.len() > base);
            let map = top.is_some_and(|t| !t.seq);
            let want = top.is_some_and(|t| t.want);
            if matches!(b, b',' | b']' | b'}') && top.is_some_and(|t| t.pair) {
                // A pair without a value (`[a:]`) ends with its sequence entry.
                self.pop()?;
                continue;
            }
            match b {
                b'[' | b'{' => {
                    if map && !want {
                        return Err(corrupt_at("yaml: collections as keys are not supported", i));
                    }
                    let anchor = self.anchor.take();
                    self.open(b == b'[', 0, anchor)?;
                    self.done();
                    i += 1;
                    continue;
                }
                b']' | b'}' => {
                    if top.is_none_or(|t| t.seq != (b == b']')) {
                        return Err(corrupt_at("yaml: mismatched bracket", i));
                    }
                    self.pop()?;
                    i += 1;
                    if self.blocks.len() == base {
                        self.pos = i;
                        return Ok(());
                    }
                }
                b',' => {
                    if want {
                        self.event(NULL, 0, 0)?;
                        self.done();
                    }
                    i += 1;
                    continue;
                }
                b':' if prev.is_some_and(|at| at + 1 == self.events.len()) => {
                    // `[key: value]`: the item just read is the key of a one-pair mapping.
                    let Some(mut key) = self.events.pop() else {
                        continue;
                    };
                    let at = self.events.len();
                    self.open(false, 0, None)?;
                    key.kind = KEY;
                    self.event(key.kind, key.a, key.b)?;
                    if let Some(anchor) = self.anchors.last_mut().filter(|a| **a == (at, at + 1)) {
                        *anchor = (at + 1, at + 2);
                    }
                    if let Some(t) = self.top() {
                        (t.pair, t.want) = (true, true);
                    }
                    i += 1;
                    continue;
                }
                b':' => {
                    // A value indicator. An empty key (`{: v}`) is an empty string.
                    if map && !want {
                        let start = self.text.begin();
                        self.scalar(KEY, start)?;
                    }
                    if map {
                        self.want(true, false);
                    }
                    i += 1;
                    continue;
                }
                b'&' => {
                    let (name, end) = name(doc, i + 1);
                    self.anchor = Some(name);
                    i = end;
                    continue;
                }
                b'!' => {
                    i = name_end(doc, i);
                    continue;
                }
                b'?' if is_sep(doc.get(i + 1)) => {
                    // An explicit key marker: the key follows.
                    i += 1;
                    continue;
                }
                _ => {
                    let explicit = top.is_some_and(|t| t.explicit);
                    if want && explicit {
                        return Err(corrupt_at("yaml: expected ':' or ','", i));
                    }
                    let key = map && !want;
                    if b == b'*' {
                        if key {
                            return Err(corrupt_at("yaml: aliases as keys are not supported", i));
                        }
                        self.alias(doc, i)?;
                        i = self.pos;
                    } else {
                        let (start, before) = (self.text.begin(), i);
                        self.quoted_or_plain(doc, i, -1, true)?;
                        i = self.pos;
                        if i == before {
                            // Cannot happen (every indicator is handled above); never loop.
                            return Err(corrupt_at("yaml: unexpected character", i));
                        }
                        self.scalar(if key { KEY } else { SCALAR }, start)?;
                        if !map {
                            item = Some(self.events.len() - 1);
                        }
                    }
                    // A key is read: its value follows a `:`.
                    self.want(key, key);
                }
            }
            // A pair ends with its value.
            if self.blocks.last().is_some_and(|t| t.pair && !t.want) {
                self.pop()?;
            }
        }
    }
}

/// Turns events into lines, replaying the events of anchored nodes for aliases.
#[derive(Default)]
struct Walker {
    /// The next event of the document.
    at: usize,
    /// Event ranges being replayed, innermost last.
    replays: Vec<(usize, usize)>,
    /// Events replayed so far, against `max_objects`.
    expanded: usize,
    /// The last key was `<<`: a merge, if an alias to a mapping follows.
    merge: bool,
}

impl Walker {
    /// Whether every event parsed so far was walked.
    fn caught_up(&self, p: &Parser) -> bool {
        self.at >= p.events.len() && self.replays.is_empty()
    }

    /// Walks events until all are walked or `stop` bytes of text were written.
    fn walk(&mut self, p: &Parser, tt: &mut TreeText, out: &mut Out, stop: usize) -> Result<()> {
        loop {
            if !tt.may_write(stop) {
                return Ok(());
            }
            let i = match self.replays.last_mut() {
                Some(r) if r.0 < r.1 => {
                    r.0 += 1;
                    r.0 - 1
                }
                Some(_) => {
                    self.replays.pop();
                    continue;
                }
                None if self.at < p.events.len() => {
                    self.at += 1;
                    self.at - 1
                }
                None => return Ok(()),
            };
            let Some(&ev) = p.events.get(i) else {
                continue;
            };
            if !self.replays.is_empty() {
                self.expanded += 1;
                if self.expanded > p.max_objects {
                    return Err(limit("yaml: alias expansion exceeds max_objects"));
                }
            }
            let text = |e: Ev| p.text.s.get(e.a..e.b).unwrap_or("");
            let target = p.anchors.get(ev.a).copied().filter(|_| ev.kind == ALIAS);
            if core::mem::take(&mut self.merge) {
                match target {
                    Some((s, e)) if p.events.get(s).is_some_and(|f| f.kind == MAP) => {
                        // `<<: *base`: the keys of base join this mapping.
                        self.replay(p, s + 1, e.saturating_sub(1))?;
                        continue;
                    }
                    _ => tt.key("<<")?,
                }
            }
            match ev.kind {
                MAP | SEQ => tt.enter(ev.kind == SEQ)?,
                END => tt.leave(out)?,
                KEY if text(ev) == "<<" => self.merge = true,
                KEY => tt.key(text(ev))?,
                SCALAR => tt.scalar(out, text(ev))?,
                NULL => tt.scalar(out, "")?,
                _ => {
                    let Some((s, e)) = target else { continue };
                    match p.events.get(s) {
                        // An anchored scalar (or key) is used as a scalar.
                        Some(&f) if e == s + 1 && matches!(f.kind, KEY | SCALAR) => tt.scalar(out, text(f))?,
                        _ => self.replay(p, s, e)?,
                    }
                }
            }
        }
    }

    fn replay(&mut self, p: &Parser, start: usize, end: usize) -> Result<()> {
        if self.replays.len() >= p.max_depth {
            return Err(limit("yaml: aliases nested deeper than max_depth"));
        }
        self.replays.try_reserve(1).map_err(|_| oom())?;
        self.replays.push((start, end));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tree_text::tests::{check_fixtures, corpus, run, run_cfg};
    use super::*;
    use crate::error::Code;
    use alloc::string::String;

    const MIME: &str = "application/yaml";

    fn text(doc: &str) -> String {
        let r = run(doc.as_bytes(), MIME);
        assert_eq!(r.error, None, "{doc}");
        r.text
    }

    fn error(doc: &str) -> Option<Code> {
        run(doc.as_bytes(), MIME).error
    }

    #[test]
    fn block_collections() {
        assert_eq!(
            text("title: Sample\nauthor:\n  name: Test Author\n  tags:\n    - a\n    - b\nitems:\n- title: First\n  n: 1\n- title: Second\n-\n- - x\n  - y\nempty:\nlast: z\n"),
            "title: Sample\nauthor.name: Test Author\nauthor.tags[0]: a\nauthor.tags[1]: b\nitems[0].title: First\nitems[0].n: 1\nitems[1].title: Second\nitems[2]:\nitems[3][0]: x\nitems[3][1]: y\nempty:\nlast: z\n"
        );
        assert_eq!(text("- a\n- b: c\n  d: e\n"), "a\n[1].b: c\n[1].d: e\n");
        assert_eq!(text("just text\n  over lines\n"), "just text over lines\n");
        assert_eq!(text("  indented: map\n  second: 2\n"), "indented: map\nsecond: 2\n");
        // Explicit keys, as used for keys of more than 1024 characters.
        assert_eq!(
            text("? long key\n  over lines\n: value\n? 'no value'\nnext: 1\nseq:\n- ? k\n  : - v\n"),
            "long key over lines: value\nno value:\nnext: 1\nseq[0].k[0]: v\n"
        );
    }

    #[test]
    fn scalars() {
        assert_eq!(
            text("a: plain # comment\nb: 'it''s'\nc: \"tab\\tq\\\" \\u00e9 \\x41 \\U0001F600\"\nd: url://x#y\ne: a: b\nf: multi\n  line\n\n  plain\n"),
            "a: plain\nb: it's\nc: tab\tq\" é A 😀\nd: url://x#y\ne: a: b\nf: multi line\nplain\n"
        );
        assert_eq!(text("q: \"folded\n   quoted\n\n   text\\\n   joined\"\n"), "q: folded quoted\ntextjoined\n");
        assert_eq!(text("s: 'one\n  two'\n"), "s: one two\n");
        assert_eq!(text("\"quoted key\": 1\n'k''s': 2\n"), "quoted key: 1\nk's: 2\n");
    }

    #[test]
    fn block_scalars() {
        let doc = "lit: |\n  line 1\n    indented\n\n  line 3\nfold: >\n  folded\n  text\n\n  para\n    more\n  back\nstrip: |-\n  x\n\nkeep: |+\n  y\n\nnext: 1\n";
        assert_eq!(
            text(doc),
            "lit: line 1\n  indented\n\nline 3\nfold: folded text\npara\n  more\nback\nstrip: x\nkeep: y\nnext: 1\n"
        );
        let fm = front_matter(doc.as_bytes(), &Config::default()).unwrap();
        assert_eq!(fm[0].1, FrontValue::Str("line 1\n  indented\n\nline 3".into()));
        assert_eq!(text("- |2\n   x\n- >-\n  a\n  b\n"), " x\na b\n");
        assert_eq!(text("--- |\n  root\n"), "root\n");
        // Spaces beyond the indentation are text, even on a line of nothing else.
        assert_eq!(text("a: |\n  x\n     \n  y\n"), "a: x\n   \ny\n");
        assert_eq!(text("a: |\nb: 1\n"), "a:\nb: 1\n");
    }

    #[test]
    fn flow_collections() {
        assert_eq!(
            text("a: [x, 'y z', {k: v, n: [1, 2]}, \"q\"]\nb: {\"j\":1, e, f: }\nc: [a: b]\nd: [\n  multi\n  line, # c\n  2,\n]\n"),
            "a[0]: x\na[1]: y z\na[2].k: v\na[2].n[0]: 1\na[2].n[1]: 2\na[3]: q\nb.j: 1\nb.e:\nb.f:\nc[0].a: b\nd[0]: multi line\nd[1]: 2\n"
        );
        assert_eq!(text("{\"a\": [1, {\"b\": null}]}"), "a[0]: 1\na[1].b: null\n");
        assert_eq!(text("[]"), "[]\n");
        assert_eq!(
            text("on: [cron: \"40 1 * * *\", b, &k c: [1], d:, *k : x, 'q': {z: 1}]\nr: *k\n"),
            "on[0].cron: 40 1 * * *\non[1]: b\non[2].c[0]: 1\non[3].d:\non[4]: c\non[5]: x\non[6].q.z: 1\nr: c\n"
        );
        assert_eq!(text("a: []\nb: {}\nc: [[]]\n"), "a: []\nb: {}\nc[0]: []\n");
    }

    #[test]
    fn documents_anchors_and_tags() {
        let r = run(b"%YAML 1.2\n---\na: 1\n...\n---\n- x\n--- !!str text\n", MIME);
        assert_eq!(r.text, "a: 1\n\nx\n\ntext\n");
        assert_eq!(r.meta("document_count").unwrap(), 3);
        assert_eq!(r.meta("top_level_type").unwrap(), "object");
        assert_eq!(
            text("base: &b\n  x: 1\n  y: !!int 2\nname: &n Alice\nuse: *b\nwho: *n\nlist: &l [a, *n]\nagain: *l\nmerged:\n  <<: *b\n  z: 3\n"),
            "base.x: 1\nbase.y: 2\nname: Alice\nuse.x: 1\nuse.y: 2\nwho: Alice\nlist[0]: a\nlist[1]: Alice\nagain[0]: a\nagain[1]: Alice\nmerged.x: 1\nmerged.y: 2\nmerged.z: 3\n"
        );
        assert_eq!(text("- &a one\n- *a\n- &s\n  - two\n- *s\n"), "one\none\n[2][0]: two\n[3][0]: two\n");
        // Anchors do not cross documents.
        assert_eq!(error("a: &x 1\n---\nb: *x\n"), Some(Code::Corrupt));
    }

    #[test]
    fn metadata() {
        let r = run(b"a:\n  b: [1, {c: 2}]\nd: 3\n", MIME);
        assert_eq!(r.meta[0], r#"{"format_type":"yaml"}"#);
        assert_eq!(r.meta("key_count").unwrap(), 4);
        assert_eq!(r.meta("depth").unwrap(), 4);
        assert_eq!(r.meta("document_count").unwrap(), 1);
        assert_eq!(run(b"- 1", MIME).meta("top_level_type").unwrap(), "array");
        assert_eq!(run(b"x", MIME).meta("top_level_type").unwrap(), "scalar");
        assert_eq!(run(b"# nothing", MIME).meta("top_level_type").unwrap(), "empty");
        assert_eq!(run(b"", MIME).meta("document_count").unwrap(), 0);
    }

    #[test]
    fn malformed() {
        for bad in [
            "a: \"open\n",
            "a: 'open",
            "a: [1, 2\n",
            "a: {b: 1]\n",
            "a:\n  b: 1\n c: 2\n",
            "a: *nope\n",
            "a: \"x\" y\n",
            "a: [1] 2\n",
            "- a\nb: 1\n",
            "a: |x\n",
            "{[a]: 1}\n",
            "? [complex]\n: key\n",
            "{\"a\" \"b\"}",
        ] {
            assert_eq!(error(bad), Some(Code::Corrupt), "{bad:?}");
        }
        let r = run(b"k: caf\xe9\n", MIME);
        assert_eq!(r.text, "k: caf\u{fffd}\n");
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(text("a: 1\r\nb:\r\n  - x\r\n"), "a: 1\nb[0]: x\n");
        assert_eq!(text("\u{feff}a:\tb\n"), "a: b\n");
    }

    #[test]
    fn truncations_never_panic() {
        for path in ["data_formats/simple.yaml", "yaml/sample_config.yaml"] {
            let doc = corpus(path);
            for cut in 0..doc.len() {
                let e = run(&doc[..cut], MIME).error;
                assert!(e.is_none() || e == Some(Code::Corrupt), "{path} cut at {cut}: {e:?}");
            }
        }
        let tricky = "a: \"x\\u12\"\nb: [ {c: 'd\n";
        for cut in 0..tricky.len() {
            let e = run(&tricky.as_bytes()[..cut], MIME).error;
            assert!(e.is_none() || e == Some(Code::Corrupt), "cut at {cut}: {e:?}");
        }
    }

    #[test]
    fn hostile_nesting_and_expansion() {
        let flow = "[".repeat(100_000);
        assert_eq!(error(&flow), Some(Code::Limit));
        let flow_maps = "{a: ".repeat(100_000);
        assert_eq!(error(&flow_maps), Some(Code::Limit));
        let dashes = "- ".repeat(100_000) + "x";
        assert_eq!(error(&dashes), Some(Code::Limit));
        let mut block = String::new();
        for i in 0..2_000 {
            block.push_str(&" ".repeat(i));
            block.push_str("k:\n");
        }
        assert_eq!(error(&block), Some(Code::Limit));
        // Billion laughs.
        let mut laughs = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (name, prev) in
            ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            laughs.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert_eq!(error(&laughs), Some(Code::Limit));
        let cfg = Config { max_objects: 1000, ..Config::default() };
        assert_eq!(run_cfg(laughs.as_bytes(), MIME, &cfg).error, Some(Code::Limit));
        // Many anchors and aliases stay linear.
        let mut many = String::new();
        for i in 0..50_000 {
            many.push_str(&format!("k{i}: &a{i} v{i}\nr{i}: *a{i}\n"));
        }
        let r = run(many.as_bytes(), MIME);
        assert_eq!(r.error, None);
        assert!(r.text.contains("r49999: v49999\n"));
    }

    #[test]
    fn huge_values_are_linear() {
        let mut doc = String::from("big: ");
        doc.push_str(&"word ".repeat(10 << 20));
        doc.push_str("\nlines: |\n");
        for _ in 0..200_000 {
            doc.push_str("  a line of a literal block\n");
        }
        let r = run(doc.as_bytes(), MIME);
        assert_eq!(r.error, None);
        assert!(r.text.len() > 50 << 20);
        let cfg = Config { max_output: 1 << 20, ..Config::default() };
        assert_eq!(run_cfg(doc.as_bytes(), MIME, &cfg).error, Some(Code::Limit));
    }

    #[test]
    fn front_matter_api() {
        let fm = front_matter(
            b"---\ntitle: Hello \"World\"\ntags: [a, b]\nauthors:\n  - Ann\n  - Bob\nextra:\n  note: n\n  list:\n    - {x: 1}\ndraft: false\n---\nignored: yes\n",
            &Config::default(),
        )
        .unwrap();
        let s = |v: &str| FrontValue::Str(v.into());
        let l = |v: &[&str]| FrontValue::List(v.iter().map(|x| String::from(*x)).collect());
        assert_eq!(
            fm,
            vec![
                ("title".into(), s("Hello \"World\"")),
                ("tags".into(), l(&["a", "b"])),
                ("authors".into(), l(&["Ann", "Bob"])),
                ("extra.note".into(), s("n")),
                ("extra.list[0].x".into(), s("1")),
                ("draft".into(), s("false")),
            ]
        );
        assert_eq!(front_matter(b"a: [1", &Config::default()).unwrap_err().code(), Code::Corrupt);
    }

    #[test]
    fn corpus_documents() {
        let r = run(&corpus("data_formats/simple.yaml"), "application/x-yaml");
        assert_eq!(r.error, None);
        for line in [
            "doe: a deer, a female deer\n",
            "pi: 3.14159\n",
            "xmas: true\n",
            "calling-birds[3]: fred\n",
            "xmas-fifth-day.partridges.location: a pear tree\n",
        ] {
            assert!(r.text.contains(line), "{line}\n{}", r.text);
        }
        let r = run(&corpus("yaml/sample_config.yaml"), MIME);
        assert_eq!(r.error, None);
        for line in [
            "title: Sample Configuration\n",
            "server.port: 8080\n",
            "database.credentials.username: admin\n",
            "features[2]: monitoring\n",
        ] {
            assert!(r.text.contains(line), "{line}\n{}", r.text);
        }
        assert_eq!(r.meta("depth").unwrap(), 3);
    }

    #[test]
    fn fixtures() {
        assert_eq!(check_fixtures(&["application/yaml", "application/x-yaml", "text/yaml"]), 1);
    }
}
