//! XML (and SVG, RSS, Atom, OPML: any XML vocabulary without a format of its own): the
//! character data of every element in document order, CDATA included, and the few
//! attributes that hold text for people (`title`, `text`, `alt`, `label`, `_note`; their
//! first 64 KiB).
//!
//! Element boundaries become line breaks, so data records read as lines; inside mixed
//! content (an element with text of its own beside child elements, like `<p>a <b>b</b></p>`)
//! children run on inline. Indentation is dropped. Metadata follows Kreuzberg's
//! `XmlMetadata`: `element_count`, `unique_elements` (qualified names as written, in order
//! of first appearance, the first 1000), plus `root_element`.
//!
//! Recovery is the reader's (see [`crate::xml`]); a document cut off inside markup ends
//! with a warning after the text before the cut, or CORRUPT when nothing came before it.

use crate::config::Config;
use crate::error::{Code, Result};
use crate::feature;
use crate::formats::{Extractor, Family, Format, Step};
use crate::sink::Sink;
use crate::xml::{self, Event, Reader};
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::vec::Vec;

pub const FORMAT: Format = Format {
    mimes: &[
        "application/xml",
        "text/xml",
        "image/svg+xml",
        "application/rss+xml",
        "application/atom+xml",
        "text/x-opml",
    ],
    feature: feature::XML,
    family: Family::Text { looks_like: Some(looks_like) },
    open,
};

/// Input bytes read per step.
const PIECE: usize = 64 * 1024;
/// Element names listed in `unique_elements` at most.
const MAX_UNIQUE: usize = 1000;
/// Attributes that hold text for people rather than for programs (OPML keeps its outline
/// in `text` and `_note`, images their description in `alt`): read as text of their own.
/// Unprefixed only: `xlink:title` and the like belong to other vocabularies.
const TEXT_ATTRIBUTES: [&str; 5] = ["title", "text", "alt", "label", "_note"];
/// How far into the document sniffing looks for the root element.
const SNIFF_WINDOW: usize = 1024;

fn open<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    let decoded = xml::decode(doc)?;
    Ok(Box::new(Xml {
        src: decoded.text,
        warning: decoded.warning,
        reader: Reader::new(cfg),
        layout: Layout::default(),
        names: xml::Names::default(),
    }))
}

struct Xml<'a> {
    src: Cow<'a, str>,
    warning: Option<&'static str>,
    reader: Reader,
    layout: Layout,
    /// Distinct element names, in order of first appearance.
    names: xml::Names,
}

impl Extractor for Xml<'_> {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        let Xml { src, warning, reader, layout, names } = self;
        let src: &str = src;
        // The first step: every step reads on (or finishes), so only the first starts at 0.
        if reader.pos() == 0 {
            sink.meta_str("format_type", "xml")?;
            if let Some(w) = warning {
                sink.warning("xml", w)?;
            }
        }
        // A piece of input or of output per step: the sink holds one step's output.
        let stop = reader.pos().saturating_add(PIECE);
        let room = layout.written.saturating_add(PIECE);
        let finished = loop {
            if reader.pos() >= stop || layout.written >= room {
                break false;
            }
            let recovered_any = layout.written > 0 || reader.elements() > 0;
            match reader.next(src) {
                Ok(Event::Start(tag)) => {
                    let name = (tag.offset + 1, tag.offset + 1 + tag.name.qname.len());
                    names.add(src, name, name, MAX_UNIQUE)?;
                    layout.start()?;
                    for name in &TEXT_ATTRIBUTES {
                        if let Some(value) = tag.attr_named(name)? {
                            // A step writes about a piece at most: longer attribute text
                            // (never real) is cut short.
                            let mut end = value.len().min(PIECE);
                            while !value.is_char_boundary(end) {
                                end -= 1;
                            }
                            layout.text(sink, value.get(..end).unwrap_or(""), true)?;
                        }
                    }
                }
                Ok(Event::End(_)) => layout.end(),
                Ok(Event::Text(s) | Event::CData(s)) => layout.text(sink, s, false)?,
                Ok(Event::Eof) => break true,
                // Cut off inside markup: what came before is the document's text.
                Err(e) if e.code() == Code::Corrupt && recovered_any => {
                    let message = e.message();
                    sink.warning("xml", core::str::from_utf8(&message).unwrap_or(""))?;
                    break true;
                }
                Err(e) => return Err(e),
            }
        };
        if !finished {
            return Ok(Step::More);
        }
        if let Some(&(name, _)) = names.list.first() {
            sink.meta_str("root_element", xml::at(src, name))?;
        }
        sink.meta_int("element_count", reader.elements())?;
        let mut list = Vec::new();
        list.try_reserve_exact(names.list.len()).map_err(|_| crate::error::oom())?;
        for &(name, _) in &names.list {
            list.push(xml::at(src, name));
        }
        sink.meta_list("unique_elements", &list)?;
        if reader.recovered() {
            sink.warning("xml", "xml: not well-formed; read what could be recovered")?;
        }
        Ok(Step::Done)
    }
}

/// Where the text of successive elements goes: on a new line, or inline in mixed content.
#[derive(Default)]
struct Layout {
    /// For each open element: whether it has text of its own (non-white-space), 0 or 1
    /// (bytes: they grow through the crate's one fallible push).
    has_text: Vec<u8>,
    /// The lowest depth the reader was at since the last text written.
    low: usize,
    /// White space came after the last text written.
    space: bool,
    /// Bytes of text written.
    written: usize,
}

impl Layout {
    fn start(&mut self) -> Result<()> {
        crate::error::push_bytes(&mut self.has_text, &[0])
    }

    fn end(&mut self) {
        self.has_text.pop();
        self.low = self.low.min(self.has_text.len());
    }

    /// Writes character data, or an attribute's text (`attribute`: always a block of its
    /// own, and not text of the element's for the layout of what follows).
    fn text(&mut self, sink: &mut Sink, s: &str, attribute: bool) -> Result<()> {
        let bytes = s.as_bytes();
        if bytes.iter().all(|&c| xml::is_space(c)) {
            self.space |= !s.is_empty();
            return Ok(());
        }
        let depth = self.has_text.len();
        if let Some(own) = self.has_text.last_mut().filter(|_| !attribute) {
            *own = 1;
        }
        // The nearest element holding both this text and the last: inline if it has text
        // of its own, else the two are separate blocks.
        let common = self.low.min(depth);
        let inline = !attribute && common > 0 && self.has_text.get(common - 1) == Some(&1);
        if self.written > 0 {
            if !inline {
                self.put(sink, "\n")?;
            } else if self.space || bytes.first().is_some_and(|&c| xml::is_space(c)) {
                self.put(sink, " ")?;
            }
        }
        // Line by line without the indentation; runs of blank lines become one. (By
        // bytes: `split('\n')` would bring a searcher into the module.)
        // (Every line is trimmed, so blank lines at either end fall away.)
        let (mut rest, mut first, mut blank) = (s, true, false);
        while !rest.is_empty() {
            let (line, after) = match rest.bytes().position(|c| c == b'\n') {
                Some(n) => (rest.get(..n).unwrap_or(""), rest.get(n + 1..).unwrap_or("")),
                None => (rest, ""),
            };
            rest = after;
            let line = xml::trim(line);
            if line.is_empty() {
                blank = true;
                continue;
            }
            if !first {
                self.put(sink, if blank { "\n\n" } else { "\n" })?;
            }
            self.put(sink, line)?;
            (first, blank) = (false, false);
        }
        self.space = bytes.last().is_some_and(|&c| xml::is_space(c));
        self.low = depth;
        Ok(())
    }

    fn put(&mut self, sink: &mut Sink, s: &str) -> Result<()> {
        self.written += s.len();
        sink.text(s)
    }
}

/// The first bytes as ASCII: UTF-16 (with its BOM) takes every other byte, anything not
/// ASCII becomes 0xFF.
fn ascii_head<'b>(doc: &'b [u8], buf: &'b mut [u8; SNIFF_WINDOW / 2]) -> &'b [u8] {
    let (le, rest) = match doc {
        [0xff, 0xfe, rest @ ..] => (true, rest),
        [0xfe, 0xff, rest @ ..] => (false, rest),
        _ => {
            let doc = doc.strip_prefix(b"\xef\xbb\xbf").unwrap_or(doc);
            return doc.get(..SNIFF_WINDOW).unwrap_or(doc);
        }
    };
    let mut n = 0;
    for (slot, unit) in buf.iter_mut().zip(rest.chunks_exact(2)) {
        let (lo, hi) = match unit {
            [a, b] if le => (*a, *b),
            [a, b] => (*b, *a),
            _ => (0xff, 0),
        };
        *slot = if hi == 0 && lo < 0x80 { lo } else { 0xff };
        n += 1;
    }
    buf.get(..n).unwrap_or(&[])
}

/// Whether `s` starts with `html` in any case.
fn html_at(s: &[u8]) -> bool {
    s.get(..4).is_some_and(|n| n.eq_ignore_ascii_case(b"html"))
}

/// Starts (after a BOM, white space, comments, processing instructions and a DOCTYPE) with
/// an element that is not `html`, or with an XML declaration.
fn looks_like(doc: &[u8]) -> bool {
    let mut buf = [0u8; SNIFF_WINDOW / 2];
    let mut s = ascii_head(doc, &mut buf);
    let mut declared = false;
    loop {
        s = s.trim_ascii_start();
        let Some(rest) = s.strip_prefix(b"<") else {
            return false;
        };
        match rest.first() {
            // A document type other than HTML's is XML's.
            Some(b'!') if rest.get(1..8).is_some_and(|k| k.eq_ignore_ascii_case(b"DOCTYPE")) => {
                return !html_at(rest.get(8..).unwrap_or(&[]).trim_ascii_start())
            }
            // Comments, processing instructions, other declarations: skipped as the reader
            // skips them.
            Some(b'!' | b'?') => {
                declared |= rest.starts_with(b"?xml");
                match xml::markup_end(s, 0, false) {
                    Some(end) => s = s.get(end..).unwrap_or(&[]),
                    None => return declared,
                }
            }
            Some(&c) => {
                let name = rest.iter().position(|&c| c.is_ascii_whitespace() || c == b'>' || c == b'/');
                return (c.is_ascii_alphabetic() || c == b'_' || c >= 0x80)
                    && !(html_at(rest) && name.unwrap_or(rest.len()) == 4);
            }
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arena::Arena;
    use crate::records::Kind;
    use crate::stream::Stream;
    use alloc::string::String;

    #[derive(Default, Debug)]
    struct Out {
        mime: String,
        text: String,
        meta: Vec<String>,
        warnings: Vec<String>,
    }

    fn run_with(doc: &[u8], mime: Option<&str>, cfg: &Config) -> Result<Out> {
        let mut arena = Arena::new();
        let mut s = Stream::open(doc, mime.map(str::as_bytes), cfg, &mut arena)?;
        let mut out = Out::default();
        loop {
            let payload = |s: &Stream| String::from_utf8(s.payload().to_vec()).unwrap();
            match s.next(0)? {
                Kind::End => break,
                Kind::Document => out.mime = payload(&s),
                Kind::Text => out.text.push_str(&payload(&s)),
                Kind::Metadata => out.meta.push(payload(&s)),
                Kind::Warning => out.warnings.push(payload(&s)),
                _ => {}
            }
        }
        Ok(out)
    }

    fn run(doc: &[u8]) -> Out {
        run_with(doc, Some("application/xml"), &Config::default()).unwrap()
    }

    fn corpus(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../shared/corpus/documents/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn reference(path: &str) -> String {
        std::fs::read_to_string(format!("{}/../shared/corpus/references/{path}.ref.txt", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
    }

    /// Bag-of-words recall of `reference` in `candidate` (lowercase alphanumeric tokens),
    /// as `shared/tools/score` computes it for these ASCII documents.
    fn recall(reference: &str, candidate: &str) -> f64 {
        let tokens = |s: &str| -> Vec<String> {
            s.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(String::from).collect()
        };
        let mut have = std::collections::HashMap::new();
        for t in tokens(candidate) {
            *have.entry(t).or_insert(0) += 1;
        }
        let want = tokens(reference);
        let found = want
            .iter()
            .filter(|t| {
                have.get_mut(*t).is_some_and(|n| {
                    *n > 0 && {
                        *n -= 1;
                        true
                    }
                })
            })
            .count();
        found as f64 / want.len().max(1) as f64
    }

    #[test]
    fn corpus_matches_references() {
        for path in [
            "xml/simple_note.xml",
            "xml/cd_catalog.xml",
            "xml/plant_catalog.xml",
            "xml/rss_feed.xml",
            "xml/simple_svg.svg",
            "xml/gdp_data.xml",
        ] {
            let out = run(&corpus(path));
            let r = recall(&reference(path), &out.text);
            assert!(r >= 0.99, "{path}: recall {r}");
            // Nothing but the reference's words: attributes and markup stay out.
            let p = recall(&out.text, &reference(path));
            assert!(p >= 0.99, "{path}: precision {p}");
        }
    }

    #[test]
    fn opml_outlines_are_read_from_attributes() {
        for name in ["feeds", "opml-reader", "outline", "pandoc-writer", "podcasts"] {
            let path = format!("opml/{name}.opml");
            let out = run_with(&corpus(&path), Some("text/x-opml"), &Config::default()).unwrap();
            let r = recall(&reference(&path), &out.text);
            assert!(r >= 0.99, "{path}: recall {r}");
        }
    }

    #[test]
    fn records_read_as_lines() {
        let out = run(&corpus("xml/simple_note.xml"));
        assert_eq!(out.text, "Tove\nJani\nReminder\nDon't forget me this weekend!");
        assert_eq!(
            out.meta,
            [
                "{\"format_type\":\"xml\"}",
                "{\"root_element\":\"note\"}",
                "{\"element_count\":5}",
                "{\"unique_elements\":[\"note\",\"to\",\"from\",\"heading\",\"body\"]}"
            ]
        );
        assert!(out.warnings.is_empty());
        let rss = run(&corpus("xml/rss_feed.xml")).text;
        assert!(rss.starts_with("Project Gutenberg Recently Posted or Updated EBooks\nhttps://www.gutenberg.org\nEBooks posted or updated today on Project Gutenberg.\nThis feed is regenerated every night.\nen-us\n"));
    }

    #[test]
    fn fixture_plant_catalog() {
        // fixtures/xml/plant_catalog.json
        let doc = corpus("xml/plant_catalog.xml");
        let out = run(&doc);
        assert_eq!(out.mime, "{\"mime_type\":\"application/xml\"}");
        assert!(out.text.chars().count() >= 100);
        let count = out.meta.iter().find_map(|m| m.strip_prefix("{\"element_count\":")).unwrap();
        assert!(count.trim_end_matches('}').parse::<usize>().unwrap() >= 1);
        // Sniffed without a declared type too.
        assert_eq!(run_with(&doc, None, &Config::default()).unwrap().mime, out.mime);
    }

    #[test]
    fn mixed_content_runs_inline() {
        let out =
            run(b"<doc><p>Hello <b>world</b>!</p><p>wor<i>ld</i> <i>x</i></p><p>a &amp; b<![CDATA[ <c> ]]>d</p></doc>");
        assert_eq!(out.text, "Hello world!\nworld x\na & b <c> d");
        let out = run(b"<r>\n  <item>\n    <t>A</t>\n    <t>B\n       continued\n\n\n    para</t>\n  </item>\n</r>");
        assert_eq!(out.text, "A\nB\ncontinued\n\npara");
    }

    #[test]
    fn text_attributes_are_the_unprefixed_ones() {
        let doc =
            b"<r xmlns:x=\"urn:x\"><i x:title=\"declared\" y:alt=\"undeclared\" alt=\"a &amp;\tb\" title=\"t\"/></r>";
        assert_eq!(run(doc).text, "t\na & b");
    }

    #[test]
    fn not_xml_is_still_text() {
        let out = run(&corpus("xml/gdp_data.xml"));
        assert_eq!(out.text, "404: Not Found");
        assert!(out.meta.contains(&"{\"element_count\":0}".into()));
    }

    #[test]
    fn sniffing() {
        for yes in [
            &b"<?xml version=\"1.0\"?><r/>"[..],
            b"\xef\xbb\xbf \n<note>",
            b"<!-- c --><?pi?><rss>",
            b"<!DOCTYPE note [<!ENTITY a 'b'>]><note/>",
            b"<?xml version='1.0'?>\n<!-- unterminated",
        ] {
            assert!(looks_like(yes), "{}", String::from_utf8_lossy(yes));
        }
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("<?xml version=\"1.0\"?><a/>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert!(looks_like(&utf16));
        for no in [
            &b"<!DOCTYPE html><html>"[..],
            b"<HTML><body>",
            b"<?xml version='1.0'?><!DOCTYPE html PUBLIC \"x\"><html>",
            b"plain",
            b"<3 u",
            b"",
            b"<",
        ] {
            assert!(!looks_like(no), "{}", String::from_utf8_lossy(no));
        }
        let svg = corpus("xml/simple_svg.svg");
        assert_eq!(run_with(&svg, None, &Config::default()).unwrap().mime, "{\"mime_type\":\"application/xml\"}");
        assert_eq!(
            run_with(&svg, Some("image/svg+xml"), &Config::default()).unwrap().text,
            "Simple SVG Example\nA simple SVG file with basic shapes\nHello SVG"
        );
    }

    #[test]
    fn encodings() {
        let latin = run(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>");
        assert_eq!((latin.text.as_str(), latin.warnings.len()), ("café", 0));
        let bad = run(b"<a>caf\xe9</a>");
        assert_eq!((bad.text.as_str(), bad.warnings.len()), ("café", 1));
        let utf16: Vec<u8> =
            [0xfe, 0xff].into_iter().chain("<a>ħ😀</a>".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(run(&utf16).text, "ħ😀");
    }

    #[test]
    fn truncated_documents_keep_their_text() {
        let doc = corpus("xml/simple_note.xml");
        for end in 0..doc.len() {
            match run_with(&doc[..end], Some("application/xml"), &Config::default()) {
                Ok(out) => assert!(out.text.len() <= 60),
                Err(e) => assert_eq!(e.code(), Code::Corrupt),
            }
        }
        let cut = run(b"<a><b>kept</b><c x=\"1");
        assert_eq!(cut.text, "kept");
        assert!(cut.warnings.iter().any(|w| w.contains("cut off by the end of the input at byte 14")));
        assert_eq!(run_with(b"<a x=", Some("application/xml"), &Config::default()).unwrap_err().code(), Code::Corrupt);
    }

    #[test]
    fn mutated_documents_never_panic() {
        let mut rng = crate::testing::Rng::new(0x9e37_79b9_7f4a_7c15u64);
        let mut next = move || rng.next();
        let alphabet = b"<>/!?[]-&;#x='\" \r\n:\xc3\xff";
        for path in ["xml/rss_feed.xml", "xml/simple_svg.svg", "opml/feeds.opml"] {
            let doc = corpus(path);
            for _ in 0..300 {
                let mut bytes = doc.clone();
                for _ in 0..1 + next() % 8 {
                    let at = next() % bytes.len();
                    bytes[at] = alphabet[next() % alphabet.len()];
                }
                if let Err(e) = run_with(&bytes, Some("application/xml"), &Config::default()) {
                    assert!(matches!(e.code(), Code::Corrupt | Code::MimeMismatch), "{path}");
                }
            }
        }
    }

    #[test]
    fn hostile_input_ends_cleanly() {
        let cfg = Config::default();
        let code = |doc: &[u8]| run_with(doc, Some("application/xml"), &cfg).err().map(|e| e.code());
        assert_eq!(code("<a>".repeat(100_000).as_bytes()), Some(Code::Limit));
        let mut lol = String::from("<!DOCTYPE l [<!ENTITY l0 \"lol\">");
        for i in 1..10 {
            lol.push_str(&format!("<!ENTITY l{i} \"{}\">", format!("&l{};", i - 1).repeat(10)));
        }
        lol.push_str("]><l>&l9;</l>");
        assert_eq!(code(lol.as_bytes()), Some(Code::Limit));
        assert_eq!(code(b"\xff\xfe\x00<\xd8"), None);
        // A 50 MB line of text in one element, and a line of 256K elements.
        let big = format!("<a>{}</a>", "word ".repeat(10 << 20));
        let out = run(big.as_bytes());
        assert_eq!(out.text.len(), (10 << 20) * 5 - 1);
        let title = format!("<a title=\"{}\"/>", "é".repeat(1 << 20));
        assert_eq!(run(title.as_bytes()).text.len(), PIECE);
        let many = format!("<r>{}</r>", "<i>x</i>".repeat(1 << 18));
        let out = run(many.as_bytes());
        assert_eq!(out.text.len(), (1 << 18) * 2 - 1);
        let fewer = Config { max_objects: 1 << 17, ..Config::default() };
        assert_eq!(run_with(many.as_bytes(), None, &fewer).unwrap_err().code(), Code::Limit);
        // Output bounded by max_output.
        let small = Config { max_output: 1000, ..Config::default() };
        assert_eq!(run_with(big.as_bytes(), None, &small).unwrap_err().code(), Code::Limit);
    }
}
