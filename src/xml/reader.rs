//! The pull reader: markup, the stack of open elements and the namespaces in scope.

use super::escape::{find_byte, markup_end, name_end, skip_space, Entities, Mode};
use super::{at, is_space, Span, XML_NS};
use crate::config::Config;
use crate::error::{corrupt, limit, oom, Error, Result};
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// Character data handed out per event at most (before references are resolved): a long
/// text node arrives as several events, so no buffer grows with the document.
const TEXT_PIECE: usize = 64 * 1024;
/// Namespace declarations in scope at once; more are ignored. Every prefixed name scans
/// them, so this bounds that work on hostile input (Office roots declare about 40).
const MAX_BINDINGS: usize = 128;
/// How far up the open elements an end tag that does not close the innermost one is
/// looked for: misnesting is local in real documents, and the scan stays cheap.
const MISNEST_REACH: usize = 16;

/// `'s` is the text's lifetime, `'r` the reader's borrow: names and attribute values
/// outlive the event, character data (which may sit in the reader's scratch) does not.
pub enum Event<'r, 's> {
    /// A start tag, or an empty-element tag (`empty`), which the next event closes with its
    /// `End`: consumers see both alike.
    Start(Tag<'r, 's>),
    End(Name<'s>),
    /// Character data with references resolved and line ends normalised to LF. A long run
    /// comes as several events; whitespace between tags comes too.
    Text(&'r str),
    /// A CDATA section's text (line ends normalised), possibly in several events.
    CData(&'r str),
    /// The end of the input (after every open element was closed); repeats if asked again.
    Eof,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Name<'s> {
    /// The namespace URI, "" for none (no default namespace, or an undeclared prefix).
    pub ns: &'s str,
    pub local: &'s str,
    /// As written, prefix included: `w:p`.
    pub qname: &'s str,
}

impl Name<'_> {
    /// Whether this is `local` in namespace `ns`, whatever the prefix.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.local == local && self.ns == ns
    }
}

/// `w:p` → (`w`, `p`); `p` → (None, `p`). By bytes: `split_once` brings a searcher.
fn split(qname: &str) -> (Option<&str>, &str) {
    match qname.bytes().position(|c| c == b':') {
        Some(i) => (qname.get(..i), qname.get(i + 1..).unwrap_or("")),
        None => (None, qname),
    }
}

/// (prefix, URI) of a namespace declaration; the default namespace has an empty prefix.
type Binding = (Span, Span);

/// Whether namespaces are resolved. Only the Office formats tell names apart by namespace;
/// a build without them (the XML format reads names as written) leaves the bindings out, and
/// every name has none.
const NAMESPACES: bool = cfg!(any(feature = "docx", feature = "xlsx", feature = "pptx", feature = "odf"));

/// The name at `qname` with its namespace: its prefix's in `bindings` (the innermost
/// declaration wins), for no prefix the default namespace's if `element` (attributes
/// without a prefix have none).
fn qualify<'s>(src: &'s str, bindings: &[Binding], qname: Span, element: bool) -> Name<'s> {
    let qname = at(src, qname);
    if !NAMESPACES {
        return Name { ns: "", local: qname, qname };
    }
    let (prefix, local) = split(qname);
    let mut ns = "";
    if let Some(p) = prefix.or(element.then_some("")).filter(|_| NAMESPACES) {
        ns = match p {
            "xml" => XML_NS,
            _ => bindings.iter().rev().find(|b| at(src, b.0) == p).map_or("", |b| at(src, b.1)),
        };
    }
    Name { ns, local, qname }
}

pub struct Tag<'r, 's> {
    pub name: Name<'s>,
    pub empty: bool,
    /// Byte offset of the `<` in the text.
    pub offset: usize,
    src: &'s str,
    /// Holds the attributes, namespace bindings and entities.
    reader: &'r Reader,
}

/// An attribute; its value is resolved on demand, so unread attributes cost nothing.
pub struct Attr<'r, 's> {
    pub name: Name<'s>,
    /// The value as written between its quotes.
    pub raw: &'s str,
    src: &'s str,
    entities: &'r Entities,
}

impl<'s> Attr<'_, 's> {
    /// The value with references resolved and white space normalised (borrowed when
    /// nothing needed rewriting). LIMIT if entity expansion runs over its budget.
    pub fn value(&self) -> Result<Cow<'s, str>> {
        value(self.src, self.entities, self.raw)
    }
}

fn value<'s>(src: &'s str, entities: &Entities, raw: &'s str) -> Result<Cow<'s, str>> {
    // Borrowed when nothing needs rewriting: the Office formats read an attribute per
    // cell or run, and a copy each time is an allocation each time.
    if !raw.bytes().any(|c| matches!(c, b'&' | b'\t' | b'\n' | b'\r')) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut s = String::new();
    entities.unescape(src, &mut { raw }, &mut s, Mode::Attr, usize::MAX)?;
    Ok(Cow::Owned(s))
}

impl<'r, 's> Tag<'r, 's> {
    /// Attributes in document order. Unprefixed attributes have no namespace (as the
    /// Namespaces spec says); `xmlns` declarations are listed too.
    pub fn attrs(&self) -> impl Iterator<Item = Attr<'r, 's>> {
        let (src, r) = (self.src, self.reader);
        r.attrs.iter().map(move |&(n, v)| Attr {
            name: qualify(src, &r.bindings, n, false),
            raw: at(src, v),
            src,
            entities: &r.entities,
        })
    }

    /// The value of attribute (`ns`, `local`), if present; the first one if repeated.
    pub fn attr(&self, ns: &str, local: &str) -> Result<Option<Cow<'s, str>>> {
        self.find_attr(Some(ns), local)
    }

    /// The value of the attribute named `qname` as written (prefix included), if present;
    /// the first one if repeated.
    pub fn attr_named(&self, qname: &str) -> Result<Option<Cow<'s, str>>> {
        self.find_attr(None, qname)
    }

    /// The first attribute (`ns`, `name`) or, without `ns`, named `name` as written.
    fn find_attr(&self, ns: Option<&str>, name: &str) -> Result<Option<Cow<'s, str>>> {
        let (src, r) = (self.src, self.reader);
        for &(n, v) in &r.attrs {
            let hit = match ns {
                // The local name first: resolving a prefix scans the bindings.
                Some(ns) => split(at(src, n)).1 == name && qualify(src, &r.bindings, n, false).ns == ns,
                None => at(src, n) == name,
            };
            if hit {
                return value(src, &r.entities, at(src, v)).map(Some);
            }
        }
        Ok(None)
    }
}

struct Open {
    qname: Span,
    /// `bindings.len()` before this element's declarations.
    bindings: usize,
}

pub struct Reader {
    pos: usize,
    max_depth: usize,
    max_elements: usize,
    elements: usize,
    open: Vec<Open>,
    /// Elements deeper than this are closed by the coming calls (an empty-element tag, a
    /// misnested end tag, the end of the input). At least `open.len()` when none are owed.
    close_to: usize,
    bindings: Vec<Binding>,
    /// The attributes of the last start tag.
    attrs: Vec<(Span, Span)>,
    entities: Entities,
    /// Text rewritten by reference resolution.
    scratch: String,
    /// Inside a CDATA section that started at this offset.
    cdata: Option<usize>,
    recovered: bool,
    /// `TEXT_PIECE`, or a few bytes in tests so they cross piece boundaries everywhere.
    pub(super) piece: usize,
}

#[cold]
fn cut(at: usize) -> Error {
    corrupt("xml: markup cut off by the end of the input").at(at)
}

/// The LIMIT error of a start tag at `at`, out of line: the check sits on the hot path.
#[cold]
#[inline(never)]
fn over(deep: bool, at: usize) -> Error {
    let what = match deep {
        true => "xml: elements nested deeper than max_depth",
        false => "xml: more elements than max_objects",
    };
    limit(what).at(at)
}

fn grow<T>(v: &mut Vec<T>) -> Result<()> {
    v.try_reserve(1).map_err(|_| oom())
}

/// Whether `<` followed by `c` starts markup; otherwise the `<` is text.
fn starts_markup(c: Option<&u8>) -> bool {
    c.is_some_and(|&c| c.is_ascii_alphabetic() || c >= 0x80 || matches!(c, b'!' | b'?' | b'/' | b'_' | b':'))
}

impl Reader {
    pub fn new(cfg: &Config) -> Reader {
        Reader {
            pos: 0,
            max_depth: cfg.max_depth as usize,
            max_elements: cfg.max_objects as usize,
            elements: 0,
            open: Vec::new(),
            close_to: 0,
            bindings: Vec::new(),
            attrs: Vec::new(),
            entities: Entities::new(cfg.max_depth as usize),
            scratch: String::new(),
            cdata: None,
            recovered: false,
            piece: TEXT_PIECE,
        }
    }

    /// Byte offset of the next unread byte of the text.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Open elements, the one just started (even if empty) included.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// Start tags read so far.
    pub fn elements(&self) -> usize {
        self.elements
    }

    /// Whether something not well-formed was forgiven (see the module docs).
    pub fn recovered(&self) -> bool {
        self.recovered
    }

    /// The next event of `src`, which must be the same text at every call.
    pub fn next<'r, 's: 'r>(&'r mut self, src: &'s str) -> Result<Event<'r, 's>> {
        let b = src.as_bytes();
        loop {
            // Elements owed an end: an empty-element tag, a misnested end tag, the input's end.
            if self.close_to < self.open.len() {
                return Ok(self.pop(src));
            }
            let i = self.pos;
            let rest = b.get(i..).unwrap_or(&[]);
            let cdata = self.cdata.is_some();
            if rest.is_empty() && !cdata {
                if self.open.is_empty() {
                    return Ok(Event::Eof);
                }
                self.recovered = true;
                self.close_to = 0;
                continue;
            }
            // In a CDATA section, or not at markup: character data.
            if cdata || rest.first() != Some(&b'<') || !starts_markup(rest.get(1)) {
                return self.text(src);
            }
            let end = if rest.starts_with(b"<![CDATA[") {
                self.cdata = Some(i);
                Some(i + 9)
            } else if rest.starts_with(b"<!DOCTYPE") {
                self.entities.doctype(src, i + 9)
            } else if let Some(b'!' | b'?' | b'/') = rest.get(1) {
                // Comments, processing instructions, end tags; other declarations (a
                // lowercase doctype, ...) have nothing to read in them.
                markup_end(b, i, false)
            } else {
                return self.start(src);
            };
            self.pos = end.ok_or_else(|| cut(i))?;
            if rest.get(1) == Some(&b'/') {
                let name = at(src, (i + 2, name_end(b, i + 2)));
                let depth = self.open.len();
                match self.open.iter().rev().take(MISNEST_REACH).position(|o| at(src, o.qname) == name) {
                    Some(up) => {
                        self.recovered |= up > 0;
                        self.close_to = depth - 1 - up;
                    }
                    None => self.recovered = true,
                }
            }
        }
    }

    /// Reads on to the end of the element just started, for elements whose content is
    /// not wanted.
    pub fn skip(&mut self, src: &str) -> Result<()> {
        let depth = self.open.len();
        while depth > 0 && self.open.len() >= depth {
            if let Event::Eof = self.next(src)? {
                break;
            }
        }
        Ok(())
    }

    /// Appends the text of the element just started (its descendants' included) to `out`,
    /// reading on to its end.
    pub fn read_text(&mut self, src: &str, out: &mut String) -> Result<()> {
        let depth = self.open.len();
        while depth > 0 && self.open.len() >= depth {
            match self.next(src)? {
                Event::Text(s) | Event::CData(s) => {
                    crate::error::reserve_str(out, s.len())?;
                    out.push_str(s);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(())
    }

    fn pop<'s>(&mut self, src: &'s str) -> Event<'s, 's> {
        let Some(o) = self.open.pop() else {
            return Event::Eof;
        };
        let name = qualify(src, &self.bindings, o.qname, true);
        self.bindings.truncate(o.bindings);
        Event::End(name)
    }

    fn start<'r, 's>(&'r mut self, src: &'s str) -> Result<Event<'r, 's>> {
        let b = src.as_bytes();
        let lt = self.pos;
        let qname = (lt + 1, name_end(b, lt + 1));
        let base = self.bindings.len();
        self.attrs.clear();
        let mut i = qname.1;
        let empty = loop {
            i = skip_space(b, i);
            match b.get(i) {
                None => return Err(cut(lt)),
                Some(b'>') => break false,
                Some(b'/') if b.get(i + 1) == Some(&b'>') => {
                    i += 1;
                    break true;
                }
                _ => {}
            }
            let n = (i, name_end(b, i));
            if n.1 == i {
                // A stray `/`, `=`, quote or `<`.
                self.recovered = true;
                i += 1;
                continue;
            }
            i = skip_space(b, n.1);
            let value = if b.get(i) == Some(&b'=') {
                i = skip_space(b, i + 1);
                match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let (open, end) = (i + 1, find_byte(b, i + 1, q).ok_or_else(|| cut(lt))?);
                        i = end + 1;
                        (open, end)
                    }
                    _ => {
                        self.recovered = true;
                        let start = i;
                        while b.get(i).is_some_and(|&c| !is_space(c) && c != b'>') {
                            i += 1;
                        }
                        (start, i)
                    }
                }
            } else {
                self.recovered = true;
                (i, i)
            };
            grow(&mut self.attrs)?;
            self.attrs.push((n, value));
            let attr = at(src, n);
            if NAMESPACES && (attr == "xmlns" || attr.starts_with("xmlns:")) {
                if self.bindings.len() < MAX_BINDINGS {
                    grow(&mut self.bindings)?;
                    self.bindings.push((((n.0 + 6).min(n.1), n.1), value));
                } else {
                    self.recovered = true;
                }
            }
        };
        self.pos = i + 1;
        self.elements += 1;
        if self.open.len() >= self.max_depth || self.elements > self.max_elements {
            return Err(over(self.open.len() >= self.max_depth, lt));
        }
        grow(&mut self.open)?;
        self.open.push(Open { qname, bindings: base });
        self.close_to = self.open.len() - empty as usize;
        let name = qualify(src, &self.bindings, qname, true);
        Ok(Event::Start(Tag { name, empty, offset: lt, src, reader: self }))
    }

    /// Where a piece of character data that does not end at markup is cut: on a character
    /// boundary, not inside a reference, not between CR and LF.
    fn cut_piece(src: &str, start: usize, limit: usize) -> usize {
        let b = src.as_bytes();
        let mut e = limit;
        while e > start + 1 && !src.is_char_boundary(e) {
            e -= 1;
        }
        // A reference cut in two would read as text; names longer than this are rare
        // enough to be read so. Back from the cut, a `;` first means no reference is open,
        // a `&` first starts one.
        let tail = e.saturating_sub(32).max(start);
        let mut k = e;
        while k > tail {
            k -= 1;
            match b.get(k) {
                Some(b';') => break,
                Some(b'&') => {
                    // Before the reference, or through it when it is all the piece holds.
                    e = if k > start {
                        k
                    } else {
                        find_byte(b.get(..k + 32).unwrap_or(b), e, b';').map_or(e, |semi| semi + 1)
                    };
                    break;
                }
                _ => {}
            }
        }
        if e > start + 1 && b.get(e - 1) == Some(&b'\r') {
            e -= 1;
        }
        e
    }

    /// The next piece of character data, or of the CDATA section the reader is in.
    fn text<'r, 's: 'r>(&'r mut self, src: &'s str) -> Result<Event<'r, 's>> {
        let b = src.as_bytes();
        let start = self.pos;
        let limit = start.saturating_add(self.piece).min(b.len());
        let cdata = self.cdata;
        // One pass finds the end: a `]]>` that starts before `limit` ends the section in
        // this piece; markup ends text. Every piece is then copied through `unescape` (one
        // path for all: a check for pieces that need no rewriting is more code).
        let (mut end, mut close) = (start, 0);
        while let Some(&c) = b.get(end).filter(|_| end < limit) {
            if match cdata {
                Some(_) => b.get(end..end + 3) == Some(b"]]>"),
                None => c == b'<' && end > start && starts_markup(b.get(end + 1)),
            } {
                close = 3 * cdata.is_some() as usize;
                break;
            }
            end += 1;
        }
        if end == limit {
            if limit < b.len() {
                end = Reader::cut_piece(src, start, limit);
            } else if let Some(open) = cdata {
                return Err(cut(open));
            }
        }
        if close > 0 {
            self.cdata = None;
        }
        let mut raw = src.get(start..end).unwrap_or("");
        self.pos = end + close;
        self.scratch.clear();
        let mode = if cdata.is_some() { Mode::CData } else { Mode::Text };
        // Expansion may end the piece early: the rest comes as the next event.
        self.entities.unescape(src, &mut raw, &mut self.scratch, mode, self.piece)?;
        self.pos -= raw.len();
        let raw = &self.scratch;
        Ok(match cdata {
            Some(_) => Event::CData(raw),
            None => Event::Text(raw),
        })
    }
}
