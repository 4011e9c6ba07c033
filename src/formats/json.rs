//! JSON (RFC 8259), strictly: anything else is CORRUPT with the byte offset where it went
//! wrong. The text is one line per scalar with its key path (see [`super::tree_text`]).
//!
//! - Parsed a piece at a time by a state machine whose only stack is the container stack
//!   of [`TreeText`], so nesting costs no native stack and is bounded by `cfg.max_depth`.
//! - A UTF-8 BOM is skipped (the RFC lets parsers ignore it) and UTF-16 with a BOM, which
//!   some Windows tools still write, is transcoded. Invalid UTF-8 inside strings becomes
//!   U+FFFD with a warning rather than failing the document: the rest of its text is good.
//! - `cfg.plain` changes nothing: the lines read the same as plain text and as Markdown.
//! - Escapes are decoded; a surrogate pair (`\uD83D\uDE00`) is one character, a lone
//!   surrogate U+FFFD.
//! - Without a declared MIME type, content is taken for JSON when it starts with `{` or `[`
//!   and its first 64 KB parse, so Markdown starting with `[link]` stays Markdown.

use super::tree_text::{escape, utf8_input, Out, TextBuf, TreeText, PIECE};
use crate::config::Config;
use crate::error::{corrupt_at, Code, Result};
use crate::feature;
use crate::formats::{Extractor, Family, Format, Step};
use crate::sink::Sink;
use alloc::borrow::Cow;
use alloc::boxed::Box;

pub const FORMAT: Format = Format {
    mimes: &["application/json", "text/json", "application/ld+json", "application/geo+json"],
    feature: feature::JSON,
    family: Family::Text { looks_like: Some(looks_like) },
    open,
};

/// Input bytes parsed to decide whether undeclared content is JSON.
const SNIFF: usize = 64 * 1024;

fn open<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    Ok(Box::new(Json { doc: utf8_input(doc)?, p: Parser::new(cfg), started: false }))
}

// Out of line: one call is smaller than the inlined test at each of its places.
#[inline(never)]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn looks_like(doc: &[u8]) -> bool {
    let doc = doc.strip_prefix(b"\xef\xbb\xbf").unwrap_or(doc);
    if !matches!(doc.iter().find(|&&b| !is_space(b)), Some(b'{' | b'[')) {
        return false;
    }
    match Parser::new(&Config::default()).run(doc, &mut Out::Check, SNIFF) {
        Ok(()) => true,
        // Too deep for the default limit is still JSON; the configured limit decides later.
        Err(e) => e.code() == Code::Limit,
    }
}

struct Json<'a> {
    doc: Cow<'a, [u8]>,
    p: Parser,
    started: bool,
}

impl Extractor for Json<'_> {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        if !self.started {
            self.started = true;
            sink.meta_str("format_type", "json")?;
        }
        self.p.run(&self.doc, &mut Out::Sink(sink), PIECE)?;
        if self.p.want != Want::End || self.p.pos < self.doc.len() {
            return Ok(Step::More);
        }
        self.p.tt.lossy = self.p.text.lossy;
        self.p.tt.finish(sink, "json")?;
        Ok(Step::Done)
    }
}

/// What the parser expects next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Value,
    /// After `[`.
    ValueOrClose,
    Key,
    /// After `{`.
    KeyOrClose,
    Colon,
    CommaOrClose,
    /// The top-level value is complete.
    End,
}

struct Parser {
    pos: usize,
    want: Want,
    tt: TreeText,
    text: TextBuf,
}

impl Parser {
    fn new(cfg: &Config) -> Parser {
        Parser { pos: 0, want: Want::Value, tt: TreeText::new(cfg), text: TextBuf::default() }
    }

    /// Parses tokens until about `budget` more bytes are consumed or the document ends: it
    /// ended when the value is complete (`End`) and `pos` is at the end.
    fn run(&mut self, doc: &[u8], out: &mut Out, budget: usize) -> Result<()> {
        let stop = self.pos.saturating_add(budget);
        let out_stop = self.tt.written + PIECE;
        loop {
            if !self.tt.may_write(out_stop) {
                return Ok(());
            }
            while doc.get(self.pos).is_some_and(|&b| is_space(b)) {
                self.pos += 1;
            }
            let Some(&b) = doc.get(self.pos) else {
                return match self.want {
                    Want::End => Ok(()),
                    _ => Err(corrupt_at("json: unexpected end", self.pos)),
                };
            };
            if self.pos >= stop {
                return Ok(());
            }
            // The error arms give their message; one call below builds the error for all.
            let what = match (self.want, b) {
                (Want::End, _) => "json: data after the value",
                (Want::Colon, b':') => {
                    self.pos += 1;
                    self.want = Want::Value;
                    continue;
                }
                (Want::Colon, _) => "json: expected ':'",
                (Want::CommaOrClose, b',') => {
                    self.pos += 1;
                    self.want = if self.tt.in_array() == Some(true) { Want::Value } else { Want::Key };
                    continue;
                }
                (Want::CommaOrClose, b']' | b'}') if (b == b']') == (self.tt.in_array() == Some(true)) => {
                    self.close(out)?;
                    continue;
                }
                (Want::CommaOrClose, _) => "json: expected ',' or a closing bracket",
                (Want::KeyOrClose, b'}') | (Want::ValueOrClose, b']') => {
                    self.close(out)?;
                    continue;
                }
                (Want::Key | Want::KeyOrClose, b'"') => {
                    self.string(doc)?;
                    self.tt.key(&self.text.s)?;
                    self.want = Want::Colon;
                    continue;
                }
                (Want::Key | Want::KeyOrClose, _) => "json: expected a key",
                (_, b'{' | b'[') => {
                    self.tt.enter(b == b'[')?;
                    self.pos += 1;
                    self.want = if b == b'[' { Want::ValueOrClose } else { Want::KeyOrClose };
                    continue;
                }
                _ => {
                    if b == b'"' {
                        self.string(doc)?;
                    } else {
                        let end = if b == b'-' || b.is_ascii_digit() {
                            number_end(doc, self.pos)?
                        } else {
                            literal_end(doc, self.pos)?
                        };
                        self.text.clear();
                        self.text.push_range(doc, self.pos, end)?;
                        self.pos = end;
                    }
                    self.tt.scalar(out, &self.text.s)?;
                    self.after_value();
                    continue;
                }
            };
            return Err(corrupt_at(what, self.pos));
        }
    }

    fn close(&mut self, out: &mut Out) -> Result<()> {
        self.tt.leave(out)?;
        self.pos += 1;
        self.after_value();
        Ok(())
    }

    fn after_value(&mut self) {
        self.want = if self.tt.level() == 0 { Want::End } else { Want::CommaOrClose };
    }

    /// Decodes the string at `pos` (its opening quote) into `text`.
    fn string(&mut self, doc: &[u8]) -> Result<()> {
        self.text.clear();
        let mut i = self.pos + 1;
        loop {
            let run = i;
            while doc.get(i).is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20) {
                i += 1;
            }
            self.text.push_range(doc, run, i)?;
            match doc.get(i) {
                Some(b'"') => break,
                Some(b'\\') => i = self.escape(doc, i + 1)?,
                Some(_) => return Err(corrupt_at("json: control character in string", i)),
                None => return Err(corrupt_at("json: unterminated string", i)),
            }
        }
        self.pos = i + 1;
        Ok(())
    }

    /// Decodes the escape whose letter is at `i`; returns the position after it.
    fn escape(&mut self, doc: &[u8], i: usize) -> Result<usize> {
        const INVALID: &str = "json: invalid escape";
        // JSON has fewer escapes than the shared decoder knows.
        let known = matches!(doc.get(i), Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' | b'u'));
        match escape(doc, i, &mut self.text, INVALID)? {
            Some(next) if known => Ok(next),
            _ => Err(corrupt_at(INVALID, i)),
        }
    }
}

/// The end of the number at `i`: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn number_end(doc: &[u8], mut i: usize) -> Result<usize> {
    let digits = |mut i: usize| -> Result<usize> {
        let start = i;
        while doc.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Err(corrupt_at("json: invalid number", i));
        }
        Ok(i)
    };
    if doc.get(i) == Some(&b'-') {
        i += 1;
    }
    i = if doc.get(i) == Some(&b'0') { i + 1 } else { digits(i)? };
    if doc.get(i) == Some(&b'.') {
        i = digits(i + 1)?;
    }
    if matches!(doc.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(doc.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(i)?;
    }
    Ok(i)
}

/// The end of `true`, `false` or `null` at `i`.
fn literal_end(doc: &[u8], i: usize) -> Result<usize> {
    let word: &[u8] = match doc.get(i) {
        Some(b't') => b"true",
        Some(b'f') => b"false",
        Some(b'n') => b"null",
        _ => return Err(corrupt_at("json: expected a value", i)),
    };
    for (k, &c) in word.iter().enumerate() {
        if doc.get(i + k) != Some(&c) {
            return Err(corrupt_at("json: invalid literal", i + k));
        }
    }
    Ok(i + word.len())
}

#[cfg(test)]
mod tests {
    use super::super::tree_text::tests::{check_fixtures, corpus, run, run_cfg};
    use super::*;

    const MIME: &str = "application/json";

    fn text(doc: &str) -> String {
        let r = run(doc.as_bytes(), MIME);
        assert_eq!(r.error, None, "{doc}");
        r.text
    }

    fn error(doc: &[u8]) -> Option<Code> {
        run(doc, MIME).error
    }

    #[test]
    fn lines_with_key_paths() {
        assert_eq!(
            text(r#"{"title": "Sample Document", "author": {"name": "Test Author"}, "items": [{"title": "First"}, 2.5e3, true, null], "empty": "", "none": {}}"#),
            "title: Sample Document\nauthor.name: Test Author\nitems[0].title: First\nitems[1]: 2.5e3\nitems[2]: true\nitems[3]: null\nempty:\nnone: {}\n"
        );
        assert_eq!(text(r#"["a", ["b", -0.5], {"c": "d"}]"#), "a\n[1][0]: b\n[1][1]: -0.5\n[2].c: d\n");
        assert_eq!(text(" \"top\" "), "top\n");
        assert_eq!(text("42"), "42\n");
        assert_eq!(text("{}"), "{}\n");
        assert_eq!(
            text(r#"{"summaries": [], "results": [[], {}]}"#),
            "summaries: []\nresults[0]: []\nresults[1]: {}\n"
        );
    }

    #[test]
    fn metadata() {
        let r = run(br#"{"a": {"b": [1, {"c": 2}]}, "d": 3}"#, MIME);
        assert_eq!(r.meta[0], r#"{"format_type":"json"}"#);
        assert_eq!(r.meta("top_level_type").unwrap(), "object");
        assert_eq!(r.meta("key_count").unwrap(), 4);
        assert_eq!(r.meta("depth").unwrap(), 4);
        assert_eq!(run(b"[1]", MIME).meta("top_level_type").unwrap(), "array");
        assert_eq!(run(b"\"s\"", MIME).meta("top_level_type").unwrap(), "scalar");
        assert_eq!(run(b"1", MIME).meta("depth").unwrap(), 0);
    }

    #[test]
    fn escapes_and_unicode() {
        assert_eq!(
            text(r#"{"e": "q\" b\\ s\/ \u00e9 \uD83D\uDE00 \ud800 x \udc00 \n\t|\r\n|\b\f|"}"#),
            "e: q\" b\\ s/ é 😀 \u{fffd} x \u{fffd} \n\t|\n|\n|\n"
        );
        // Keys stay on their line; lone surrogate before a non-low escape.
        assert_eq!(text(r#"{"a\nb": "\uD83D\u0041"}"#), "a b: \u{fffd}A\n");
        let r = run(b"{\"k\": \"caf\xe9 \xf0\x9f\"}", MIME);
        assert_eq!(r.text, "k: caf\u{fffd} \u{fffd}\u{fffd}\n");
        assert_eq!(r.warnings.len(), 1);
    }

    #[test]
    fn bom_and_utf16() {
        assert_eq!(text("\u{feff}{\"a\": 1}"), "a: 1\n");
        let le: Vec<u8> =
            [0xff, 0xfe].into_iter().chain("{\"ü\": \"€\"}".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(run(&le, MIME).text, "ü: €\n");
    }

    #[test]
    fn invalid_json_is_corrupt() {
        for bad in [
            &b""[..],
            b"  ",
            b"{",
            b"[1,",
            b"{\"a\"}",
            b"{\"a\":}",
            b"{,}",
            b"[1,]",
            b"{\"a\":1,}",
            b"[1 2]",
            b"01",
            b"1.",
            b"-",
            b"1e",
            b".5",
            b"+1",
            b"tru",
            b"nul",
            b"True",
            b"'a'",
            b"\"abc",
            b"\"a\x01\"",
            b"\"\\x\"",
            b"\"\\u12g4\"",
            b"[}",
            b"{]",
            b"{} {}",
            b"[1]]",
            b"{1:2}",
            b"NaN",
            b"\"\\",
        ] {
            assert_eq!(error(bad), Some(Code::Corrupt), "{:?}", String::from_utf8_lossy(bad));
        }
        assert_eq!(error(b"\"ok\""), None);
    }

    #[test]
    fn truncations_are_corrupt() {
        let doc = corpus("json/complex_nested.json");
        for cut in 0..doc.len() - 1 {
            let e = error(&doc[..cut]);
            // A prefix that happens to be a complete value (there is none here but "").
            assert_eq!(e, Some(Code::Corrupt), "cut at {cut}");
        }
    }

    #[test]
    fn deep_nesting_is_a_limit_not_a_crash() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(error(deep.as_bytes()), Some(Code::Limit));
        assert_eq!(error("[".repeat(100_000).as_bytes()), Some(Code::Limit));
        let objects = "{\"a\":".repeat(100_000);
        assert_eq!(error(objects.as_bytes()), Some(Code::Limit));
        // Within the limit it parses.
        let ok = "[".repeat(200) + "1" + &"]".repeat(200);
        assert_eq!(text(&ok), format!("{}: 1\n", "[0]".repeat(200)));
        // The configured limit applies.
        let cfg = Config { max_depth: 3, ..Config::default() };
        assert_eq!(run_cfg(b"[[[1]]]", MIME, &cfg).error, None);
        assert_eq!(run_cfg(b"[[[[1]]]]", MIME, &cfg).error, Some(Code::Limit));
    }

    #[test]
    fn huge_string_is_linear_and_output_limited() {
        let mut doc = b"{\"big\": \"".to_vec();
        doc.resize(doc.len() + (50 << 20), b'x');
        doc.extend_from_slice(b"\"}");
        let r = run(&doc, MIME);
        assert_eq!(r.error, None);
        assert_eq!(r.text.len(), (50 << 20) + "big: \n".len());
        let cfg = Config { max_output: 1 << 20, ..Config::default() };
        assert_eq!(run_cfg(&doc, MIME, &cfg).error, Some(Code::Limit));
        // One long key repeated over many values is bounded by max_output, not a blow-up.
        let key = "k".repeat(1 << 20);
        let doc = format!("{{\"{key}\": [{}1]}}", "1,".repeat(1 << 16));
        assert_eq!(run(doc.as_bytes(), MIME).error, Some(Code::Limit));
    }

    #[test]
    fn sniffing() {
        assert!(looks_like(b" {\"a\": [1, 2]}"));
        assert!(looks_like(b"\xef\xbb\xbf[]"));
        assert!(!looks_like(b"[link](http://example.com) text"));
        assert!(!looks_like(b"{not json}"));
        assert!(!looks_like(b"hello"));
        assert!(!looks_like(b"[1, 2] trailing"));
        assert!(!looks_like("[".repeat(100).as_bytes()));
        assert!(looks_like(("[".repeat(1000) + &"]".repeat(1000)).as_bytes()));
        // Only a prefix is checked: a large document is not parsed twice.
        let big = format!("[{}0", "0,".repeat(100_000));
        assert!(looks_like(big.as_bytes()));
        assert_eq!(crate::mime::resolve(None, b"{\"a\": 1}").unwrap().mime, "application/json");
        assert_eq!(crate::mime::resolve(None, b"[x] todo").unwrap().mime, "text/plain");
    }

    #[test]
    fn corpus_documents() {
        let cases: &[(&str, &[&str])] = &[
            ("json/sample_document.json", &["title: Sample Document", "author: Test Author", "data[1].item: second"]),
            ("json/complex_nested.json", &[]),
            ("json/schema_test.json", &[]),
            ("json/real_world/aws_policy.json", &[]),
            ("json/real_world/earthquakes.geojson", &[]),
            ("json/real_world/github_emojis.json", &[]),
            ("json/real_world/iss_location.json", &[]),
            ("json/real_world/openapi_spec.json", &[]),
            ("json/real_world/package.json", &[]),
            ("json/real_world/rick_morty_character.json", &[]),
            ("data_formats/simple.json", &[]),
            ("data_formats/test_results.json", &[]),
            ("markdown/tables.org_full.json", &[]),
            ("markdown/tables.org_metadata.json", &[]),
            ("misc/readme.org_full.json", &[]),
            ("misc/readme.org_metadata.json", &[]),
            ("typst/metadata_pandoc_meta.json", &[]),
            ("jupyter/rank.ipynb", &[]),
            ("jupyter/simple.ipynb", &[]),
            ("jupyter/mime.ipynb", &[]),
            ("jupyter/mime.out.ipynb", &[]),
        ];
        for (path, expect) in cases {
            let doc = corpus(path);
            let r = run(&doc, MIME);
            assert_eq!(r.error, None, "{path}");
            // Every string value of the document is in the text.
            let v: serde_json::Value = serde_json::from_slice(&doc).unwrap();
            let mut stack = vec![&v];
            while let Some(v) = stack.pop() {
                match v {
                    serde_json::Value::String(s) if !s.contains(['\r', '\u{c}']) => {
                        assert!(r.text.contains(s.trim_end_matches('\n')), "{path}: {s:?}")
                    }
                    serde_json::Value::Array(a) => stack.extend(a),
                    serde_json::Value::Object(o) => stack.extend(o.values()),
                    _ => {}
                }
            }
            for e in *expect {
                assert!(r.text.contains(e), "{path}: {e}\n{}", r.text);
            }
            // Undeclared, it is recognised as JSON.
            assert!(looks_like(&doc), "{path}");
        }
    }

    #[test]
    fn fixtures() {
        assert_eq!(check_fixtures(&["application/json"]), 3);
    }
}
