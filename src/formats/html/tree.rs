//! The tree builder: a stack of open elements and the HTML5 rules that decide where blocks
//! and inline markup end (implied end tags, element scopes, stray and misnested end tags,
//! foreign content), turning tags into what [`Out`] writes and what [`Meta`] emits.

use super::charset::{Charset, Source};
use super::entities::Entities;
use super::meta::{self, Meta};
use super::render::Out;
use super::table;
use super::tags::{self, Name, Tag};
use super::tokenizer::{Token, Tokenizer};
use crate::config::Config;
use crate::encoding::Encoding;
use crate::error::{reserve_str, Result};
use crate::sink::Sink;
use alloc::string::String;
use alloc::vec::Vec;

/// Attribute values are decoded up to this length (longer ones are data, not text).
const MAX_ATTR: usize = 64 * 1024;

/// What an open element changed, to undo when it closes: at most one effect (numbered, in
/// `EFFECT`), and flags for hidden and foreign content.
const CONTAINER: u16 = 1;
const MARK: u16 = 2;
const HEADING: u16 = 3;
const PRE: u16 = 4;
const CELL: u16 = 5;
const ROW: u16 = 6;
const TABLE: u16 = 7;
/// Owes the break of its kind (block or line, if any) when it closes.
const BREAKS: u16 = 8;
const EFFECT: u16 = 15;
const HIDE: u16 = 1 << 4;
const FOREIGN: u16 = 1 << 5;

#[derive(Clone, Copy)]
struct Open {
    name: Name,
    did: u16,
}

/// No element found on the stack.
const NONE: usize = usize::MAX;

fn bit(t: Tag) -> u64 {
    1 << t as u8
}

pub struct Tree {
    /// How text bytes are decoded (UTF-8 once UTF-16 was transcoded).
    cs: Charset,
    /// The page's charset as found, and where it came from.
    charset: Charset,
    source: Source,
    max_depth: usize,
    /// `max_objects` left for the empty grid slots of table spans.
    budget: usize,
    /// `max_objects`: the largest table grid rendered as a Markdown table.
    max_cells: usize,
    stack: Vec<Open>,
    /// Open elements per tag id, so most scope searches end without walking the stack.
    counts: [u32; tags::COUNT],
    pub out: Out,
    meta: Meta,
    /// Open elements hiding their content.
    hidden: u32,
    /// Open SVG/MathML elements.
    pub foreign: u32,
    /// Drop a line feed right after `<pre>` or `<textarea>`, as the spec does.
    skip_lf: bool,
    ents: Entities,
}

/// Appends raw text or an attribute value decoded: character references (if `refs`), the
/// page's encoding, CR LF and CR as LF, NUL dropped.
fn decode(cs: Charset, ents: &mut Entities, raw: &[u8], refs: bool, in_attr: bool, out: &mut String) {
    let (mut seg, mut i) = (0, 0);
    while let Some(off) = raw.get(i..).and_then(|r| r.iter().position(|&b| b == b'&' && refs || b == b'\r' || b == 0)) {
        let at = i + off;
        cs.decode(raw.get(seg..at).unwrap_or(&[]), out);
        i = at + 1;
        match raw.get(at) {
            Some(b'&') => {
                let len = ents.decode(raw.get(i..).unwrap_or(&[]), in_attr, out);
                if len == 0 {
                    out.push('&');
                }
                i += len;
            }
            Some(b'\r') if raw.get(i) != Some(&b'\n') => out.push('\n'),
            _ => {}
        }
        seg = i;
    }
    cs.decode(raw.get(seg..).unwrap_or(&[]), out);
}

/// `display: none` in a style attribute.
fn display_none(style: &[u8]) -> bool {
    let mut rest = style;
    loop {
        let p = super::tokenizer::find_ci(rest, b"display");
        let Some(after) = p.checked_add(7).and_then(|at| rest.get(at..)) else {
            return false;
        };
        rest = after.trim_ascii_start();
        if let Some(value) = rest.strip_prefix(b":") {
            let value = value.trim_ascii_start();
            if value.get(..4).is_some_and(|v| v.eq_ignore_ascii_case(b"none")) {
                return true;
            }
        }
    }
}

impl Tree {
    /// `cs` decodes the input; `charset` and `source` are what the page declared.
    pub fn new(cs: Charset, charset: Charset, source: Source, cfg: &Config) -> Tree {
        Tree {
            cs,
            charset,
            source,
            max_depth: cfg.max_depth as usize,
            budget: cfg.max_objects as usize,
            max_cells: cfg.max_objects as usize,
            stack: Vec::new(),
            counts: [0; tags::COUNT],
            out: Out::new(cfg.plain),
            meta: Meta::default(),
            hidden: 0,
            foreign: 0,
            skip_lf: false,
            ents: Entities::default(),
        }
    }

    pub fn begin(&mut self, sink: &mut Sink) -> Result<()> {
        sink.meta_str("format_type", "html")?;
        sink.meta_str("encoding", self.charset.name())?;
        match (self.charset, self.source) {
            (Charset::Unsupported(name), _) => {
                let mut m = String::from("the page is encoded in ");
                m.push_str(name);
                m.push_str(", which this build cannot decode: text outside ASCII is replaced by U+FFFD");
                sink.warning("html", &m)
            }
            (_, Source::UnknownLabel) => sink.warning(
                "html",
                "the declared charset is not a known encoding; decoded as UTF-8 or, if invalid, Windows-1252",
            ),
            (Charset::Known(Encoding::Windows1252), Source::Default) => {
                sink.warning("html", "input is not valid UTF-8 and declares no charset; decoded as Windows-1252")
            }
            _ => Ok(()),
        }
    }

    pub fn finish(&mut self, sink: &mut Sink) -> Result<()> {
        self.pop_to(0, sink)?;
        self.out.finish();
        Ok(())
    }

    pub fn token(&mut self, token: Token<'_>, input: &[u8], tok: &mut Tokenizer, sink: &mut Sink) -> Result<()> {
        let skip_lf = core::mem::take(&mut self.skip_lf);
        match token {
            Token::Text(raw) => self.text(raw, true, skip_lf),
            Token::CData(raw) => self.text(raw, false, false),
            Token::Start { name, self_closing } => self.start(name, self_closing, input, tok, sink),
            Token::End { name } => self.end(name, sink),
            Token::Nothing => Ok(()),
        }
    }

    fn text(&mut self, raw: &[u8], refs: bool, skip_lf: bool) -> Result<()> {
        if self.hidden > 0 {
            return Ok(());
        }
        let s = self.decoded(raw, refs, false)?;
        let text = if skip_lf { s.strip_prefix('\n').unwrap_or(&s) } else { &s };
        reserve_str(&mut self.out.main.buf, text.len() + 16)?;
        self.out.text(text);
        Ok(())
    }

    /// An attribute of the current start tag, decoded (None also if memory runs out).
    fn attr(&mut self, input: &[u8], tok: &Tokenizer, name: &[u8]) -> Option<String> {
        let raw = tok.attr(input, name)?;
        self.decoded(raw.get(..MAX_ATTR).unwrap_or(raw), true, true).ok()
    }

    /// `raw` decoded into a new string.
    fn decoded(&mut self, raw: &[u8], refs: bool, in_attr: bool) -> Result<String> {
        let mut s = String::new();
        reserve_str(&mut s, raw.len())?;
        decode(self.cs, &mut self.ents, raw, refs, in_attr, &mut s);
        Ok(s)
    }

    fn start(
        &mut self,
        raw: &[u8],
        self_closing: bool,
        input: &[u8],
        tok: &mut Tokenizer,
        sink: &mut Sink,
    ) -> Result<()> {
        let n = tags::lookup(raw);
        if self.foreign > 0 {
            if n.flags & tags::BREAKOUT == 0 {
                if !self_closing && self.stack.len() < self.max_depth {
                    let hide = n.flags & tags::HIDE != 0 && self.hidden == 0;
                    self.hidden += hide as u32;
                    self.foreign += 1;
                    let name = Name { tag: Tag::Other, flags: 0, hash: n.hash };
                    self.push(Open { name, did: FOREIGN | if hide { HIDE } else { 0 } });
                }
                return Ok(());
            }
            while self.stack.last().is_some_and(|o| o.did & FOREIGN != 0) {
                self.pop(sink)?;
            }
        }
        if self.head(n.tag, input, tok, sink)? {
            return Ok(());
        }
        let tracked = self.stack.len() < self.max_depth;
        if tracked {
            self.implied_ends(n, sink)?;
        }
        if n.flags & (tags::RAW | tags::TEXT) != 0 {
            return self.raw_element(n, raw, input, tok);
        }
        if !tracked {
            if self.hidden == 0 {
                match n.tag {
                    Tag::Br => self.out.line_break(),
                    Tag::Img => self.image(input, tok),
                    _ => self.breaks(n.flags),
                }
            }
            return Ok(());
        }
        let table_part = matches!(n.tag, Tag::Caption | Tag::Section | Tag::Tr | Tag::Td | Tag::Th);
        if table_part && self.find(bit(Tag::Table), None, tags::TABLE_SCOPE, 0) == NONE {
            // Table parts outside a table are ignored, as the spec does.
            return Ok(());
        }
        let did = self.open_effects(n, raw, input, tok);
        let foreign_root = matches!(n.tag, Tag::Svg | Tag::Math);
        if n.flags & tags::VOID == 0 && !(foreign_root && self_closing) {
            self.push(Open { name: n, did });
        } else if did & HIDE != 0 {
            self.hidden -= 1;
        }
        if did & FOREIGN != 0 && (self_closing || n.flags & tags::VOID != 0) {
            self.foreign -= 1;
        }
        Ok(())
    }

    fn push(&mut self, o: Open) {
        if let Some(c) = self.counts.get_mut(o.name.tag as usize) {
            *c += 1;
        }
        self.stack.push(o);
    }

    /// Elements that only carry metadata. Returns whether `tag` was one.
    fn head(&mut self, tag: Tag, input: &[u8], tok: &mut Tokenizer, sink: &mut Sink) -> Result<bool> {
        let (key, value) = match tag {
            Tag::Head | Tag::Body => return Ok(true),
            Tag::Title => {
                let raw = tok.raw_text(input, b"title", false);
                (meta::TITLE, Some(self.decoded(raw.get(..MAX_ATTR).unwrap_or(raw), true, false)?))
            }
            _ => {
                // The key the element fills, and the attribute that has the value.
                let (key, attr): (usize, &[u8]) = match tag {
                    Tag::Html => (meta::LANGUAGE, b"lang"),
                    Tag::Meta => {
                        let name = tok.attr(input, b"name").or_else(|| tok.attr(input, b"property"));
                        (name.and_then(meta::meta_key).unwrap_or(usize::MAX), b"content")
                    }
                    Tag::Link => (tok.attr(input, b"rel").and_then(meta::link_key).unwrap_or(usize::MAX), b"href"),
                    Tag::Base => (meta::BASE_HREF, b"href"),
                    _ => return Ok(false),
                };
                (key, self.attr(input, tok, attr))
            }
        };
        if let Some(v) = value {
            self.meta.emit(sink, key, &v)?;
        }
        Ok(true)
    }

    /// Elements whose content is not markup: skipped (script, style...), or shown as it is
    /// (textarea, and xmp and plaintext as preformatted text).
    fn raw_element(&mut self, n: Name, raw: &[u8], input: &[u8], tok: &mut Tokenizer) -> Result<()> {
        let content = if n.tag == Tag::Plaintext {
            let rest = input.get(tok.pos..).unwrap_or(&[]);
            tok.pos = input.len();
            rest
        } else {
            tok.raw_text(input, raw, n.tag == Tag::Script)
        };
        if n.flags & tags::RAW != 0 || self.hidden > 0 {
            return Ok(());
        }
        let pre = n.tag != Tag::Textarea;
        if pre {
            self.out.open_pre();
        } else {
            self.breaks(n.flags);
        }
        // A line feed right after the start tag is dropped.
        self.text(content, !pre, true)?;
        if pre {
            self.out.close_pre();
        } else {
            self.breaks(n.flags);
        }
        Ok(())
    }

    fn breaks(&mut self, flags: u16) {
        if flags & (tags::BLOCK | tags::LINE) != 0 {
            self.out.brk(if flags & tags::BLOCK != 0 { 3 } else { 2 });
        }
    }

    fn image(&mut self, input: &[u8], tok: &Tokenizer) {
        let alt = self.attr(input, tok, b"alt").unwrap_or_default();
        let src = self.attr(input, tok, b"src").unwrap_or_default();
        self.out.image(&alt, &src);
    }

    /// The index of the topmost open element whose tag is in `mask` (or, with `hash`, that
    /// has this name; `mask` is then its tag), searching down until an element with a `stop`
    /// flag or a tag in `stop_mask` (checked after the match, so a boundary can itself be
    /// found). [`NONE`] if there is none.
    fn find(&self, mask: u64, hash: Option<u32>, stop: u16, stop_mask: u64) -> usize {
        let mut m = mask;
        let mut any = false;
        while m != 0 {
            any |= self.counts.get(m.trailing_zeros() as usize).is_some_and(|&c| c > 0);
            m &= m - 1;
        }
        if !any {
            return NONE;
        }
        for (i, o) in self.stack.iter().enumerate().rev() {
            let by_tag = mask & bit(o.name.tag) != 0;
            let hit = match hash {
                // h1-h6 close each other.
                Some(h) => o.name.hash == h || by_tag && o.name.tag == Tag::Heading,
                None => by_tag,
            };
            if hit {
                return i;
            }
            if o.name.flags & stop != 0 || stop_mask & bit(o.name.tag) != 0 {
                return NONE;
            }
        }
        NONE
    }

    /// End tags a start tag implies: each closes the topmost open element in `mask` found
    /// before a boundary (`stop` flags or `stop_mask` tags), or with `keep` pops only what
    /// is above it (table parts close the open parts below their level).
    fn implied_ends(&mut self, n: Name, sink: &mut Sink) -> Result<()> {
        if n.flags & tags::CLOSES_P != 0 {
            self.pop_to(self.find(bit(Tag::P), None, tags::SCOPE, bit(Tag::Button)), sink)?;
        }
        let lists = bit(Tag::Ul) | bit(Tag::Ol);
        let table = bit(Tag::Table);
        let (mask, stop, stop_mask, keep) = match n.tag {
            // Only the current element (every element is a boundary).
            Tag::Heading => (bit(Tag::Heading), 0, u64::MAX, 0),
            Tag::Option | Tag::Optgroup => (bit(Tag::Option), 0, u64::MAX, 0),
            // A table started directly in a table (not in a cell) closes it.
            Tag::Table => (table, tags::TABLE_SCOPE, bit(Tag::Td) | bit(Tag::Th) | bit(Tag::Caption), 0),
            Tag::Tr => (bit(Tag::Section) | table, tags::TABLE_SCOPE, 0, 1),
            Tag::Td | Tag::Th => (bit(Tag::Tr) | bit(Tag::Section) | table, tags::TABLE_SCOPE, 0, 1),
            Tag::Section | Tag::Caption => (table, tags::TABLE_SCOPE, 0, 1),
            Tag::Li => (bit(Tag::Li), tags::SCOPE, lists, 0),
            Tag::Dt | Tag::Dd => (bit(Tag::Dt) | bit(Tag::Dd), tags::SCOPE, lists, 0),
            Tag::A | Tag::Button => (bit(n.tag), tags::SCOPE, 0, 0),
            _ => return Ok(()),
        };
        let i = self.find(mask, None, stop, stop_mask);
        self.pop_to(i.saturating_add(keep), sink)
    }

    /// Applies what a start tag does to the output; returns what to undo at its end.
    fn open_effects(&mut self, n: Name, raw: &[u8], input: &[u8], tok: &Tokenizer) -> u16 {
        let foreign = if matches!(n.tag, Tag::Svg | Tag::Math) {
            self.foreign += 1;
            FOREIGN
        } else {
            0
        };
        if self.hidden > 0 {
            return foreign;
        }
        let style_hidden = || tok.attr(input, b"style").is_some_and(display_none);
        if n.flags & tags::HIDE != 0 || tok.attr(input, b"hidden").is_some() || style_hidden() {
            self.hidden += 1;
            return HIDE | foreign;
        }
        let number = |name: &[u8]| table::number(tok.attr(input, name));
        let did = match n.tag {
            Tag::Table => {
                self.out.open_table();
                TABLE
            }
            Tag::Tr => {
                self.out.table_entry(0, 0);
                ROW
            }
            Tag::Td | Tag::Th => {
                let colspan = number(b"colspan").clamp(1, table::MAX_COLSPAN);
                let rowspan = number(b"rowspan").clamp(1, table::MAX_ROWSPAN);
                self.out.table_entry(colspan as u16, rowspan as u16);
                CELL
            }
            Tag::Ul | Tag::Ol => {
                // No start (or 0) starts at 1.
                self.out.open_list(n.tag == Tag::Ol, number(b"start").max(1));
                CONTAINER
            }
            Tag::Li => {
                self.out.open_item(number(b"value"));
                CONTAINER
            }
            Tag::Blockquote => {
                self.out.open_quote();
                CONTAINER
            }
            Tag::Heading => {
                self.out.open_heading(raw.get(1).map_or(1, |d| d.wrapping_sub(b'0').clamp(1, 6)));
                HEADING
            }
            Tag::Pre => {
                self.out.open_pre();
                self.skip_lf = true;
                PRE
            }
            Tag::A | Tag::Bold | Tag::Italic | Tag::Code | Tag::Strike | Tag::Quote => {
                // In-page anchors and scripts are not links a reader can follow.
                let href =
                    if n.tag == Tag::A { self.attr(input, tok, b"href").unwrap_or_default() } else { String::new() };
                let href = if href.starts_with('#') || href.starts_with("javascript:") { "" } else { &href };
                if self.out.open_mark(n.tag, href) {
                    MARK
                } else {
                    0
                }
            }
            Tag::Br => {
                self.out.line_break();
                0
            }
            Tag::Hr => {
                self.out.rule();
                0
            }
            Tag::Img => {
                self.image(input, tok);
                0
            }
            _ => {
                self.breaks(n.flags);
                BREAKS
            }
        };
        did | foreign
    }

    /// Pops the elements from index `i` up (none for [`NONE`]).
    fn pop_to(&mut self, i: usize, sink: &mut Sink) -> Result<()> {
        while self.stack.len() > i {
            self.pop(sink)?;
        }
        Ok(())
    }

    fn pop(&mut self, sink: &mut Sink) -> Result<()> {
        let Some(o) = self.stack.pop() else {
            return Ok(());
        };
        if let Some(c) = self.counts.get_mut(o.name.tag as usize) {
            *c = c.saturating_sub(1);
        }
        let did = o.did;
        if did & HIDE != 0 {
            self.hidden = self.hidden.saturating_sub(1);
        }
        if did & FOREIGN != 0 {
            self.foreign = self.foreign.saturating_sub(1);
        }
        let out = &mut self.out;
        match did & EFFECT {
            CONTAINER => out.close_container(),
            MARK => out.close_mark(),
            HEADING => out.close_heading(),
            PRE => out.close_pre(),
            // Both end the open cell of the innermost table.
            CELL | ROW => out.end_cell(),
            TABLE => out.close_table(sink, &mut self.budget, self.max_cells)?,
            BREAKS => self.breaks(o.name.flags),
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, raw: &[u8], sink: &mut Sink) -> Result<()> {
        let n = tags::lookup(raw);
        if self.foreign > 0 {
            // Foreign elements close by name, up to the SVG or MathML root.
            for (i, o) in self.stack.iter().enumerate().rev() {
                if o.did & FOREIGN == 0 {
                    break;
                }
                if o.name.hash == n.hash {
                    return self.pop_to(i, sink);
                }
            }
        }
        let found = match n.tag {
            Tag::Html | Tag::Body | Tag::Head => NONE,
            Tag::Br => {
                if self.hidden == 0 {
                    self.out.line_break();
                }
                NONE
            }
            Tag::P => {
                let p = self.find(bit(Tag::P), None, tags::SCOPE, bit(Tag::Button));
                if p == NONE && self.hidden == 0 {
                    // A stray </p> is an empty paragraph.
                    self.out.brk(3);
                }
                p
            }
            _ => {
                let stop = match n.tag {
                    Tag::Table | Tag::Tr | Tag::Td | Tag::Th | Tag::Section | Tag::Caption => tags::TABLE_SCOPE,
                    Tag::Other if n.flags == 0 => tags::SPECIAL,
                    _ => tags::SCOPE,
                };
                // A list item's end tag does not close across a list.
                let lists = if n.tag == Tag::Li { bit(Tag::Ul) | bit(Tag::Ol) } else { 0 };
                self.find(bit(n.tag), Some(n.hash), stop, lists)
            }
        };
        self.pop_to(found, sink)
    }
}
