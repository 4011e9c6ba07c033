//! TOML 1.0: tables, arrays of tables, dotted keys, inline tables, arrays, the four string
//! forms with their escapes, and integers, floats, booleans, dates and times kept as
//! written. The text is one line per scalar with its key path (see [`super::tree_text`]):
//! `[server]` then `host = "x"` gives `server.host: x`; the second `[[items]]` table gives
//! `items[1].title: ...`.
//!
//! Read a statement at a time, in document order, without building the document: a table
//! header sets the path that the key/value lines below it extend. Only arrays of tables
//! need memory across statements: their element counts, by key path hash. So a table header
//! with no keys under it gives no line (`[a]` then `[a.b]` cannot be told from an empty
//! `[a]` without keeping the document), and duplicate keys and tables defined twice are
//! tolerated (both values appear in the text): checking them would mean keeping every key,
//! for no gain in text. Also tolerated, as TOML 1.1 allows: line breaks and a trailing comma
//! in inline tables, `\e` and `\xHH` escapes (and the other escapes YAML knows). Anything
//! else outside the grammar is CORRUPT with the offset. Nesting is bounded by
//! `cfg.max_depth`.
//!
//! TOML is only read when declared (`looks_like` is None). `cfg.plain` changes nothing.

pub use super::tree_text::FrontValue;
use super::tree_text::{
    at_line_end, escape, hash, is_break, line_end, next_line, skip_blanks, utf8_input, FrontMatter, HashCounts, Out,
    TextBuf, TreeText, HASH_START, PIECE,
};
use crate::config::Config;
use crate::error::{corrupt_at, oom, Result};
use crate::feature;
use crate::formats::{Extractor, Family, Format, Step};
use crate::sink::Sink;
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::vec::Vec;

pub const FORMAT: Format = Format {
    mimes: &["application/toml", "text/x-toml"],
    feature: feature::TOML,
    family: Family::Text { looks_like: None },
    open,
};

fn open<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    Ok(Box::new(Toml { doc: utf8_input(doc)?, p: Parser::new(cfg)?, started: false }))
}

/// The front matter of a Markdown document: `doc` is the TOML between the `+++` lines
/// (without them). Every scalar comes with its key path, tables flattened with dotted keys
/// (`extra.note`), and the scalars of an array gathered into one list (`tags`).
pub fn front_matter(doc: &[u8], cfg: &Config) -> Result<FrontMatter> {
    let doc = utf8_input(doc)?;
    let mut p = Parser::new(cfg)?;
    let mut list = Vec::new();
    p.run(&doc, &mut Out::Front(&mut list), usize::MAX)?;
    Ok(list)
}

struct Toml<'a> {
    doc: Cow<'a, [u8]>,
    p: Parser,
    started: bool,
}

impl Extractor for Toml<'_> {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        if !self.started {
            self.started = true;
            sink.meta_str("format_type", "toml")?;
        }
        self.p.run(&self.doc, &mut Out::Sink(sink), PIECE)?;
        if self.p.pos < self.doc.len() {
            return Ok(Step::More);
        }
        self.p.tt.lossy = self.p.text.lossy;
        self.p.tt.finish(sink, "toml")?;
        Ok(Step::Done)
    }
}

/// What a value parser expects next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Value,
    /// After `[` or `,` in an array: a value or `]`.
    Item,
    /// After `{` or `,` in an inline table: a key or `}`.
    Key,
    /// A value is complete.
    After,
}

struct Parser {
    pos: usize,
    tt: TreeText,
    text: TextBuf,
    /// Containers open at the current table (the root is 1).
    table: usize,
    /// Element counts of the arrays of tables, by hash of their resolved path.
    arrays: HashCounts,
    /// Open arrays (true) and inline tables of the value being read, with their level.
    open: Vec<(bool, usize)>,
}

/// Blanks, line breaks and comments: what separates the parts of an array or inline table.
fn skip_space(doc: &[u8], mut i: usize) -> usize {
    loop {
        i = skip_blanks(doc, i);
        match doc.get(i) {
            Some(b'\n' | b'\r') => i += 1,
            Some(b'#') => i = line_end(doc, i),
            _ => return i,
        }
    }
}

/// The end of an unquoted value: a number, boolean, date or time as written.
fn bare_end(doc: &[u8], start: usize) -> usize {
    let mut i = start;
    loop {
        match doc.get(i) {
            Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-' | b'.' | b':') => i += 1,
            // `1979-05-27 07:32:00`: a date, a space, a time.
            Some(b' ')
                if i - start == 10
                    && doc.get(start + 4) == Some(&b'-')
                    && doc.get(i + 1).is_some_and(u8::is_ascii_digit) =>
            {
                i += 1
            }
            _ => return i,
        }
    }
}

impl Parser {
    fn new(cfg: &Config) -> Result<Parser> {
        let mut tt = TreeText::new(cfg);
        // The document is the root table.
        tt.enter(false)?;
        Ok(Parser { pos: 0, tt, text: TextBuf::default(), table: 1, arrays: HashCounts::default(), open: Vec::new() })
    }

    /// Reads statements until about `budget` bytes are consumed or the document ends (then
    /// `pos` is at the end).
    fn run(&mut self, doc: &[u8], out: &mut Out, budget: usize) -> Result<()> {
        let stop = self.pos.saturating_add(budget);
        let out_stop = self.tt.written + PIECE;
        while self.pos < stop && self.tt.may_write(out_stop) {
            let c = skip_blanks(doc, self.pos);
            match doc.get(c) {
                None => {
                    self.pos = c;
                    return Ok(());
                }
                Some(b'\n' | b'\r' | b'#') => {
                    self.pos = next_line(doc, c);
                    continue;
                }
                Some(b'[') => self.header(doc, c)?,
                Some(_) => {
                    self.dotted_key(doc, c)?;
                    let i = self.pos;
                    if doc.get(i) != Some(&b'=') {
                        return Err(corrupt_at("toml: expected '='", i));
                    }
                    self.value(doc, i + 1, out)?;
                    self.tt.truncate(self.table);
                }
            }
            let i = skip_blanks(doc, self.pos);
            if !at_line_end(doc, i) {
                return Err(corrupt_at("toml: expected the end of the line", i));
            }
            self.pos = next_line(doc, i);
        }
        Ok(())
    }

    /// A `[table]` or `[[array.of.tables]]` header at `c`: the path of the lines below it.
    fn header(&mut self, doc: &[u8], c: usize) -> Result<()> {
        let array = doc.get(c + 1) == Some(&b'[');
        let mut i = c + 1 + array as usize;
        self.tt.truncate(1);
        // The hash of the resolved path, indices of arrays of tables included.
        let mut h = HASH_START;
        loop {
            self.key_segment(doc, skip_blanks(doc, i))?;
            i = skip_blanks(doc, self.pos);
            let last = doc.get(i) != Some(&b'.');
            h = hash(hash(h, self.text.s.as_bytes()), &[0xff]);
            if last {
                self.tt.key(&self.text.s)?;
            } else {
                self.tt.name(&self.text.s)?;
            }
            // A key naming an array of tables means its last element; the last key of an
            // `[[...]]` header adds an element.
            let mut count = self.arrays.get(h)?;
            if last && array {
                count += 1;
                self.arrays.set(h, count)?;
            }
            if count > 0 {
                self.tt.enter_array_at(count - 1)?;
                h = hash(h, &(count as u64).to_le_bytes());
            }
            self.tt.enter(false)?;
            if last {
                break;
            }
            i += 1;
        }
        let close: &[u8] = if array { b"]]" } else { b"]" };
        if doc.get(i..i + close.len()) != Some(close) {
            return Err(corrupt_at("toml: expected ']'", i));
        }
        self.pos = i + close.len();
        self.table = self.tt.level();
        Ok(())
    }

    /// One key, bare or quoted, at `i` into `text`; leaves `pos` after it.
    fn key_segment(&mut self, doc: &[u8], i: usize) -> Result<()> {
        self.text.clear();
        if matches!(doc.get(i), Some(b'"' | b'\'')) {
            return self.string(doc, i);
        }
        let mut end = i;
        while doc.get(end).is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            end += 1;
        }
        if end == i {
            return Err(corrupt_at("toml: expected a key", i));
        }
        self.pos = end;
        self.text.push_range(doc, i, end)
    }

    /// A dotted key at `i`: its leading keys open tables. Leaves `pos` after it and the
    /// blanks that follow.
    fn dotted_key(&mut self, doc: &[u8], mut i: usize) -> Result<()> {
        loop {
            self.key_segment(doc, skip_blanks(doc, i))?;
            i = skip_blanks(doc, self.pos);
            self.pos = i;
            self.tt.key(&self.text.s)?;
            if doc.get(i) != Some(&b'.') {
                return Ok(());
            }
            self.tt.enter(false)?;
            i += 1;
        }
    }

    /// The value at `i` (after `=`), arrays and inline tables included; leaves `pos` after it.
    fn value(&mut self, doc: &[u8], mut i: usize, out: &mut Out) -> Result<()> {
        let mut want = Want::Value;
        loop {
            // A value starts on the line of its key; inside brackets, lines do not matter.
            i = if self.open.is_empty() { skip_blanks(doc, i) } else { skip_space(doc, i) };
            let b = doc.get(i).copied();
            match (want, b) {
                (Want::After, _) => {
                    let Some(&(array, level)) = self.open.last() else {
                        self.pos = i;
                        return Ok(());
                    };
                    // Close the tables of a dotted key inside an inline table.
                    self.tt.truncate(level);
                    match b {
                        Some(b',') => {
                            i += 1;
                            want = if array { Want::Item } else { Want::Key };
                            continue;
                        }
                        Some(b']' | b'}') if (b == Some(b']')) == array => {}
                        _ => return Err(corrupt_at("toml: expected ',' or a closing bracket", i)),
                    }
                }
                (Want::Item, Some(b']')) | (Want::Key, Some(b'}')) => {}
                (Want::Key, _) => {
                    self.dotted_key(doc, i)?;
                    i = self.pos;
                    if doc.get(i) != Some(&b'=') {
                        return Err(corrupt_at("toml: expected '='", i));
                    }
                    i += 1;
                    want = Want::Value;
                    continue;
                }
                (_, Some(b'[' | b'{')) => {
                    let array = b == Some(b'[');
                    self.tt.enter(array)?;
                    self.open.try_reserve(1).map_err(|_| oom())?;
                    self.open.push((array, self.tt.level()));
                    i += 1;
                    want = if array { Want::Item } else { Want::Key };
                    continue;
                }
                _ => {
                    self.scalar(doc, i, out)?;
                    i = self.pos;
                    want = Want::After;
                    continue;
                }
            }
            // A closing bracket.
            self.open.pop();
            self.tt.leave(out)?;
            i += 1;
            want = Want::After;
        }
    }

    /// A string, number, boolean, date or time at `i`; leaves `pos` after it.
    fn scalar(&mut self, doc: &[u8], i: usize, out: &mut Out) -> Result<()> {
        self.text.clear();
        if matches!(doc.get(i), Some(b'"' | b'\'')) {
            self.string(doc, i)?;
        } else {
            let end = bare_end(doc, i);
            let token = doc.get(i..end).unwrap_or(&[]);
            let number = matches!(token.first(), Some(b'0'..=b'9' | b'+' | b'-'));
            if !number && !matches!(token, b"true" | b"false" | b"inf" | b"nan") {
                return Err(corrupt_at("toml: expected a value", i));
            }
            self.text.push_bytes(token)?;
            self.pos = end;
        }
        self.tt.scalar(out, &self.text.s)
    }

    /// A basic (`"`) or literal (`'`) string at `c`, single- or multi-line, appended to
    /// `text`. Leaves `pos` after it.
    fn string(&mut self, doc: &[u8], c: usize) -> Result<()> {
        let Some(&quote) = doc.get(c) else {
            return Err(corrupt_at("toml: expected a string", c));
        };
        let basic = quote == b'"';
        let multi = doc.get(c + 1) == Some(&quote) && doc.get(c + 2) == Some(&quote);
        let mut i = c + if multi { 3 } else { 1 };
        if multi && is_break(doc.get(i)) && i < doc.len() {
            // A line break right after the opening delimiter is not part of the string.
            i = next_line(doc, i);
        }
        // Text runs to a quote or an escape; a multi-line string's line breaks, and quotes
        // that do not close it, are part of the run.
        let mut run = i;
        loop {
            while doc
                .get(i)
                .is_some_and(|&b| b != quote && !(basic && b == b'\\') && (multi || (b != b'\n' && b != b'\r')))
            {
                i += 1;
            }
            match doc.get(i) {
                Some(&b) if b == quote => {
                    let mut n = 1;
                    if multi {
                        while doc.get(i + n) == Some(&quote) {
                            n += 1;
                        }
                        if n < 3 {
                            i += n;
                            continue;
                        }
                        // Up to two quotes before the closing delimiter belong to the string.
                        i += n - 3;
                        n = 3;
                    }
                    self.text.push_range(doc, run, i)?;
                    self.pos = i + n;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.text.push_range(doc, run, i)?;
                    i = self.escape(doc, i + 1, multi)?;
                    run = i;
                }
                _ => return Err(corrupt_at("toml: unterminated string", c)),
            }
        }
    }

    /// The escape whose letter is at `i` in a basic string; returns the position after it.
    fn escape(&mut self, doc: &[u8], i: usize, multi: bool) -> Result<usize> {
        const INVALID: &str = "toml: invalid escape";
        // A backslash ending a line of a multi-line string: the line break and the white
        // space after it are dropped.
        let j = skip_blanks(doc, i);
        if multi && is_break(doc.get(j)) && j < doc.len() {
            return Ok(skip_space_only(doc, j));
        }
        match escape(doc, i, &mut self.text, INVALID)? {
            Some(next) => Ok(next),
            None => Err(corrupt_at(INVALID, i)),
        }
    }
}

/// Blanks and line breaks (no comments: this is inside a string).
fn skip_space_only(doc: &[u8], mut i: usize) -> usize {
    while matches!(doc.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::super::tree_text::tests::{run, run_cfg};
    use super::*;
    use crate::error::Code;
    use alloc::string::String;

    const MIME: &str = "application/toml";

    fn text(doc: &str) -> String {
        let r = run(doc.as_bytes(), MIME);
        assert_eq!(r.error, None, "{doc}");
        r.text
    }

    fn error(doc: &str) -> Option<Code> {
        run(doc.as_bytes(), MIME).error
    }

    /// A document in the shape of Cargo manifests and site configurations.
    const SAMPLE: &str = r#"# This is a TOML document
title = "TOML Example"
"quoted key" = 'literal \n no escape'

[owner]
name = "Tom Preston-Werner"
dob = 1979-05-27T07:32:00-08:00 # First class dates
local = 1979-05-27 07:32:00

[database]
enabled = true
ports = [ 8000, 8001, 8002 ]
data = [ ["delta", "phi"], [3.14] ]
temp_targets = { cpu = 79.5, case = 72.0 }

[servers.alpha]
ip = "10.0.0.1"
role.kind = "frontend"

[[products]]
name = "Hammer"
sku = 738594937

[[products]]  # empty table

[[products]]
name = "Nail"
color = "gray"
"#;

    #[test]
    fn tables_arrays_and_keys() {
        assert_eq!(
            text(SAMPLE),
            "title: TOML Example\nquoted key: literal \\n no escape\nowner.name: Tom Preston-Werner\nowner.dob: 1979-05-27T07:32:00-08:00\n\
             owner.local: 1979-05-27 07:32:00\ndatabase.enabled: true\ndatabase.ports[0]: 8000\ndatabase.ports[1]: 8001\n\
             database.ports[2]: 8002\ndatabase.data[0][0]: delta\ndatabase.data[0][1]: phi\ndatabase.data[1][0]: 3.14\n\
             database.temp_targets.cpu: 79.5\ndatabase.temp_targets.case: 72.0\nservers.alpha.ip: 10.0.0.1\n\
             servers.alpha.role.kind: frontend\nproducts[0].name: Hammer\nproducts[0].sku: 738594937\nproducts[2].name: Nail\n\
             products[2].color: gray\n"
        );
        let r = run(SAMPLE.as_bytes(), MIME);
        assert_eq!(r.meta[0], r#"{"format_type":"toml"}"#);
        assert_eq!(r.meta("top_level_type").unwrap(), "object");
        assert_eq!(r.meta("depth").unwrap(), 4);
        assert_eq!(r.meta("key_count").unwrap(), 24);
    }

    #[test]
    fn nested_arrays_of_tables() {
        let doc = "[[fruit]]\nname = \"apple\"\n[fruit.physical]\ncolor = \"red\"\n[[fruit.variety]]\nname = \"red delicious\"\n\
                   [[fruit.variety]]\nname = \"granny smith\"\n[[fruit]]\nname = \"banana\"\n[[fruit.variety]]\nname = \"plantain\"\n";
        assert_eq!(
            text(doc),
            "fruit[0].name: apple\nfruit[0].physical.color: red\nfruit[0].variety[0].name: red delicious\n\
             fruit[0].variety[1].name: granny smith\nfruit[1].name: banana\nfruit[1].variety[0].name: plantain\n"
        );
        // Inline tables with dotted keys, nested, over lines.
        assert_eq!(
            text("p = { a.b = 1, c = { d = [1, {e = 'x'}] }, }\nq = [\n  1, # one\n  2,\n]\nr = []\ns = {}\nt = [[], {}]\n"),
            "p.a.b: 1\np.c.d[0]: 1\np.c.d[1].e: x\nq[0]: 1\nq[1]: 2\nr: []\ns: {}\nt[0]: []\nt[1]: {}\n"
        );
    }

    #[test]
    fn strings() {
        let doc = "a = \"tab\\t quote\\\" back\\\\ \\u00e9 \\U0001F600 \\e \\x41\"\n\
                   b = \"\"\"\nline one\nline \"two\" \\  \n\n    joined\"\"\"\"\n\
                   c = '''\nraw \\n ''text'''''\n\
                   d = ''\n";
        assert_eq!(
            text(doc),
            "a: tab\t quote\" back\\ é 😀  A\nb: line one\nline \"two\" joined\"\nc: raw \\n ''text''\nd:\n"
        );
        assert_eq!(text("k = \"\"\"\r\nx\r\ny\"\"\"\r\n"), "k: x\ny\n");
        assert_eq!(text("\"a.b\".'c' = 1\n"), "a.b.c: 1\n");
        let r = run(b"k = \"caf\xe9\"\n", MIME);
        assert_eq!(r.text, "k: caf\u{fffd}\n");
        assert_eq!(r.warnings.len(), 1);
    }

    #[test]
    fn numbers_as_written() {
        assert_eq!(
            text("a = +1_000\nb = 0xDEAD_beef\nc = 0o755\nd = 0b1101\ne = -3.5e+10\nf = inf\ng = -nan\nh = 07:32:00.999\ni = 1979-05-27\n"),
            "a: +1_000\nb: 0xDEAD_beef\nc: 0o755\nd: 0b1101\ne: -3.5e+10\nf: inf\ng: -nan\nh: 07:32:00.999\ni: 1979-05-27\n"
        );
    }

    #[test]
    fn duplicates_are_tolerated() {
        assert_eq!(text("a = 1\na = 2\n[t]\nx = 1\n[t]\nx = 2\n"), "a: 1\na: 2\nt.x: 1\nt.x: 2\n");
    }

    #[test]
    fn malformed() {
        for bad in [
            "a",
            "a =",
            "a = \n",
            "= 1",
            "a = hello",
            "a = \"open",
            "a = \"line\nbreak\"",
            "a = '''open",
            "a = [1, 2",
            "a = [1 2]",
            "a = {b = 1",
            "a = {b}",
            "[table",
            "[[aot]",
            "[a.]",
            "a = 1 b = 2",
            "a = \"\\q\"",
            "a = \"\\u12\"",
            "[a] x = 1",
            "a.b. = 1",
            "a = [1,,]",
        ] {
            assert_eq!(error(bad), Some(Code::Corrupt), "{bad:?}");
        }
        assert_eq!(text(""), "");
        assert_eq!(text("\u{feff}# only a comment\n\n"), "");
    }

    #[test]
    fn hostile_input() {
        assert_eq!(error(&format!("a = {}", "[".repeat(100_000))), Some(Code::Limit));
        assert_eq!(error(&format!("a = {}", "{b = ".repeat(100_000))), Some(Code::Limit));
        assert_eq!(error(&format!("{} = 1", vec!["k"; 100_000].join("."))), Some(Code::Limit));
        assert_eq!(error(&format!("[{}]", vec!["k"; 100_000].join("."))), Some(Code::Limit));
        // Many distinct arrays of tables stay linear.
        let mut many = String::new();
        for i in 0..100_000 {
            many.push_str(&format!("[[a{i}]]\n[[a{i}.b]]\nx = {i}\n"));
        }
        let r = run(many.as_bytes(), MIME);
        assert_eq!(r.error, None);
        assert!(r.text.ends_with("a99999[0].b[0].x: 99999\n"));
        // A 50 MB string: linear, and bounded by max_output.
        let doc = format!("big = \"{}\"\nnext = 1\n", "x".repeat(50 << 20));
        let r = run(doc.as_bytes(), MIME);
        assert_eq!(r.error, None);
        assert!(r.text.ends_with("xxx\nnext: 1\n"));
        let cfg = Config { max_output: 1 << 20, ..Config::default() };
        assert_eq!(run_cfg(doc.as_bytes(), MIME, &cfg).error, Some(Code::Limit));
        // Truncations of the sample end in a clean result or CORRUPT.
        for cut in 0..SAMPLE.len() {
            let e = error(&SAMPLE[..cut]);
            assert!(e.is_none() || e == Some(Code::Corrupt), "cut at {cut}: {e:?}");
        }
    }

    #[test]
    fn front_matter_api() {
        let fm = front_matter(
            b"title = \"Hello\"\ntags = [\"a\", \"b\"]\ndate = 2024-01-02\n[extra]\nnote = 'n'\n",
            &Config::default(),
        )
        .unwrap();
        let s = |v: &str| FrontValue::Str(v.into());
        assert_eq!(
            fm,
            vec![
                ("title".into(), s("Hello")),
                ("tags".into(), FrontValue::List(vec!["a".into(), "b".into()])),
                ("date".into(), s("2024-01-02")),
                ("extra.note".into(), s("n")),
            ]
        );
        assert_eq!(front_matter(b"+++\ntitle = 1\n+++\n", &Config::default()).unwrap_err().code(), Code::Corrupt);
    }

    #[test]
    fn real_documents() {
        // The corpus has no TOML; the repository's manifest and lock file are real ones.
        let manifest = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
        let r = run(&manifest, MIME);
        assert_eq!(r.error, None);
        for line in [
            "package.name: pith\n",
            "features.default[0]: talc\n",
            "profile.wasm.opt-level: z\n",
            "workspace.members[0]: .\n",
        ] {
            assert!(r.text.contains(line), "{line}\n{}", r.text);
        }
        let lock = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
        let r = run(&lock, MIME);
        assert_eq!(r.error, None);
        // One `[[package]]` table per locked crate, numbered in order.
        let packages = lock.split(|&b| b == b'\n').filter(|l| l == b"[[package]]").count();
        assert!(packages > 10);
        assert!(r.text.contains(&format!("package[{}].name: ", packages - 1)));
        assert!(!r.text.contains(&format!("package[{packages}]")));
        assert!(r.text.contains("].name: talc\n"));
    }

    #[test]
    fn declared_aliases() {
        assert_eq!(run(b"a = 1", "text/x-toml").text, "a: 1\n");
    }
}
