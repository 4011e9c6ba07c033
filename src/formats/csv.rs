//! CSV and TSV: RFC 4180 records (quoted fields with delimiters, doubled quotes and line
//! breaks inside; LF, CRLF or CR between records), the delimiter sniffed among comma,
//! semicolon, tab and pipe. Each file is one table whose first row is the header; ragged
//! rows are kept as they are (and padded in the Markdown). Blank lines are no rows.
//!
//! The content is the table as Markdown (plain mode: tab-separated lines), written a piece
//! of input at a time. A counting pass first learns the table's width, so the header and
//! every row can be written as they are read, and checks the cell count: the table record
//! at the end carries every cell, so the cells of the whole file count against
//! `max_objects` (LIMIT before anything is written when there are more).
//!
//! Lenient where RFC 4180 is strict: a quote inside an unquoted field is kept, text after a
//! closing quote is appended to the field, and a quote that never closes runs to the end
//! of the input (as in spreadsheet programs).

use crate::config::Config;
use crate::encoding::Encoding;
use crate::error::{limit, oom, reserve_str, Result};
use crate::feature;
use crate::formats::{Extractor, Family, Format, Step};
use crate::sink::{Sink, Table};
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

pub const FORMAT: Format = Format {
    mimes: &["text/csv", "application/csv", "text/tab-separated-values"],
    feature: feature::CSV,
    family: Family::Text { looks_like: None },
    open,
};

/// Input bytes read per step.
const PIECE: usize = 64 * 1024;
/// Records and bytes the delimiter is sniffed from.
const SNIFF_RECORDS: usize = 20;
const SNIFF_WINDOW: usize = 64 * 1024;
/// Candidates, in order of preference when they fit equally well.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

fn open<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    // UTF-8 (BOM or not) in place, UTF-16 with a BOM, else Windows-1252 as plain text does.
    let (text, enc) = Encoding::decode_text(doc)?;
    let warning = (enc == Encoding::Windows1252).then_some("csv: input is not valid UTF-8; decoded as windows-1252");
    let delimiter = sniff(text.as_bytes());
    let shape = Shape::of(text.as_bytes(), delimiter);
    if shape.cells > cfg.max_objects as usize {
        return Err(limit("csv: more cells than max_objects"));
    }
    Ok(Box::new(Csv {
        text,
        warning,
        delimiter,
        shape,
        plain: cfg.plain,
        started: false,
        pos: 0,
        rows: Vec::new(),
        spans: Vec::new(),
        line: String::new(),
        sent: 0,
    }))
}

fn find_byte(b: &[u8], from: usize, c: u8) -> Option<usize> {
    Some(from + b.get(from..)?.iter().position(|&x| x == c)?)
}

/// Reads the record at `i` (< `b.len()`), handing each field's raw span (quotes included)
/// to `cell`; returns where the next record starts, always after `i`.
fn record(b: &[u8], mut i: usize, delim: u8, cell: &mut dyn FnMut(usize, usize)) -> usize {
    loop {
        let start = i;
        if b.get(i) == Some(&b'"') {
            // To the closing quote, over doubled ones; an unclosed quote runs to the end.
            i += 1;
            loop {
                match find_byte(b, i, b'"') {
                    None => i = b.len(),
                    Some(q) if b.get(q + 1) == Some(&b'"') => {
                        i = q + 2;
                        continue;
                    }
                    Some(q) => i = q + 1,
                }
                break;
            }
        }
        i +=
            b.get(i..).map_or(0, |r| r.iter().position(|&c| c == delim || c == b'\n' || c == b'\r').unwrap_or(r.len()));
        cell(start, i);
        match b.get(i) {
            Some(&c) if c == delim => i += 1,
            Some(b'\r') if b.get(i + 1) == Some(&b'\n') => return i + 2,
            Some(_) => return i + 1,
            None => return i,
        }
    }
}

/// A record that is only a line break.
fn blank(b: &[u8], start: usize, next: usize) -> bool {
    b.get(start..next).is_some_and(|r| r.iter().all(|&c| c == b'\n' || c == b'\r'))
}

/// Appends a field's text: outer quotes dropped, doubled quotes single.
fn push_field(out: &mut String, raw: &str) {
    let Some(mut rest) = raw.strip_prefix('"') else {
        out.push_str(raw);
        return;
    };
    while let Some(q) = rest.bytes().position(|c| c == b'"') {
        out.push_str(rest.get(..q).unwrap_or(""));
        let after = rest.get(q + 1..).unwrap_or("");
        match after.strip_prefix('"') {
            Some(more) => {
                out.push('"');
                rest = more;
            }
            // The closing quote: anything after it belongs to the field too.
            None => {
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
}

/// The delimiter that splits the first records most consistently into more than one field:
/// most records with the most common field count, then the widest, then the earliest.
fn sniff(b: &[u8]) -> u8 {
    let window = b.get(..SNIFF_WINDOW).unwrap_or(b);
    let mut best = ((0, 0), b',');
    for d in DELIMITERS {
        let mut counts = [0usize; SNIFF_RECORDS];
        let (mut n, mut i) = (0, 0);
        while i < window.len() && n < SNIFF_RECORDS {
            let mut cells = 0;
            let next = record(window, i, d, &mut |_, _| cells += 1);
            // A record the window cuts short says nothing, unless it is the only one.
            if next >= window.len() && window.len() < b.len() && n > 0 {
                break;
            }
            if !blank(window, i, next) {
                if let Some(slot) = counts.get_mut(n) {
                    *slot = cells;
                }
                n += 1;
            }
            i = next;
        }
        let counts = counts.get(..n).unwrap_or(&[]);
        let mode = counts.iter().map(|&c| (counts.iter().filter(|&&x| x == c).count(), c)).max().unwrap_or((0, 0));
        if mode.1 > 1 && mode > best.0 {
            best = (mode, d);
        }
    }
    best.1
}

/// The table's size, from a counting pass.
#[derive(Default)]
struct Shape {
    rows: usize,
    columns: usize,
    cells: usize,
}

impl Shape {
    fn of(b: &[u8], delim: u8) -> Shape {
        let mut s = Shape::default();
        let mut i = 0;
        while i < b.len() {
            let mut cells = 0;
            let next = record(b, i, delim, &mut |_, _| cells += 1);
            if !blank(b, i, next) {
                s.rows += 1;
                s.columns = s.columns.max(cells);
                s.cells += cells;
            }
            i = next;
        }
        s
    }
}

struct Csv<'a> {
    text: Cow<'a, str>,
    warning: Option<&'static str>,
    delimiter: u8,
    shape: Shape,
    plain: bool,
    started: bool,
    pos: usize,
    /// Every row so far, for the table record.
    rows: Vec<Vec<String>>,
    /// The current record's field spans.
    spans: Vec<(usize, usize)>,
    /// The current row's output line, written up to `sent`.
    line: String,
    sent: usize,
}

impl Extractor for Csv<'_> {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        if !self.started {
            self.started = true;
            sink.meta_str("format_type", "csv")?;
            sink.meta_int("row_count", self.shape.rows)?;
            sink.meta_int("column_count", self.shape.columns)?;
            // One of the ASCII `DELIMITERS`, so always one whole character.
            let delimiter = core::str::from_utf8(core::slice::from_ref(&self.delimiter)).unwrap_or(",");
            sink.meta_str("delimiter", delimiter)?;
            if let Some(w) = self.warning {
                sink.warning("csv", w)?;
            }
        }
        let text: &str = &self.text;
        let b = text.as_bytes();
        // Output per step stays near PIECE even for a giant row, which is written over
        // several steps: the sink holds one step's output at a time.
        let mut room = PIECE;
        loop {
            if room == 0 {
                return Ok(Step::More);
            }
            if self.sent < self.line.len() {
                let line = &self.line;
                let mut end = self.sent.saturating_add(room).min(line.len());
                while !line.is_char_boundary(end) {
                    end += 1;
                }
                sink.text(line.get(self.sent..end).unwrap_or(""))?;
                room = room.saturating_sub(end - self.sent);
                self.sent = end;
                continue;
            }
            if self.pos >= b.len() {
                break;
            }
            let row = read_row(text, &mut self.pos, self.delimiter, &mut self.spans)?;
            if row.is_empty() {
                continue;
            }
            self.line.clear();
            self.sent = 0;
            line(&mut self.line, &row, self.shape.columns, self.plain, self.rows.is_empty())?;
            self.rows.try_reserve(1).map_err(|_| oom())?;
            self.rows.push(row);
        }
        if !self.rows.is_empty() {
            let rows = core::mem::take(&mut self.rows);
            let markdown = crate::markdown::table(&rows)?;
            sink.table(&Table { rows, markdown, page_number: 0 })?;
        }
        Ok(Step::Done)
    }
}

/// The fields of the record at `pos` (none for a blank line); moves `pos` past it.
fn read_row(text: &str, pos: &mut usize, delimiter: u8, spans: &mut Vec<(usize, usize)>) -> Result<Vec<String>> {
    let b = text.as_bytes();
    spans.clear();
    let mut grown = true;
    let next = record(b, *pos, delimiter, &mut |s, e| {
        grown &= spans.try_reserve(1).is_ok();
        if grown {
            spans.push((s, e));
        }
    });
    if !grown {
        return Err(oom());
    }
    let blank = blank(b, *pos, next);
    *pos = next;
    let mut row = Vec::new();
    if blank {
        return Ok(row);
    }
    row.try_reserve_exact(spans.len()).map_err(|_| oom())?;
    for &(s, e) in spans.iter() {
        let raw = text.get(s..e).unwrap_or("");
        let mut cell = String::new();
        reserve_str(&mut cell, raw.len())?;
        push_field(&mut cell, raw);
        row.push(cell);
    }
    Ok(row)
}

/// A row's output line: Markdown by [`crate::markdown::push_row`], the row writer of
/// [`crate::markdown::table`] (the header followed by its rule), or the cells tab-separated
/// in plain mode.
fn line(out: &mut String, row: &[String], width: usize, plain: bool, header: bool) -> Result<()> {
    let width = width.max(1);
    // Escaping at most doubles a cell; the rest is punctuation.
    reserve_str(out, row.iter().map(|c| 2 * c.len() + 3).sum::<usize>() + 6 * width + 4)?;
    if plain {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            // Tabs and line breaks inside a cell would split it.
            if cell.bytes().any(|c| matches!(c, b'\t' | b'\n' | b'\r')) {
                out.extend(cell.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }));
            } else {
                out.push_str(cell);
            }
        }
        out.push('\n');
        return Ok(());
    }
    crate::markdown::push_row(out, row, width, header);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arena::Arena;
    use crate::error::Code;
    use crate::records::Kind;
    use crate::stream::Stream;

    #[derive(Default, Debug)]
    struct Out {
        text: String,
        meta: Vec<String>,
        tables: Vec<String>,
        warnings: usize,
        /// Record kinds in order, with consecutive text records merged.
        kinds: Vec<Kind>,
    }

    fn run_with(doc: &[u8], mime: &str, cfg: &Config) -> Result<Out> {
        let mut arena = Arena::new();
        let mut s = Stream::open(doc, Some(mime.as_bytes()), cfg, &mut arena)?;
        let mut out = Out::default();
        loop {
            let kind = s.next(0)?;
            let payload = String::from_utf8(s.payload().to_vec()).unwrap();
            if out.kinds.last() != Some(&kind) || kind != Kind::Text {
                out.kinds.push(kind);
            }
            match kind {
                Kind::End => break,
                Kind::Text => out.text.push_str(&payload),
                Kind::Metadata => out.meta.push(payload),
                Kind::Table => out.tables.push(payload),
                Kind::Warning => out.warnings += 1,
                _ => {}
            }
        }
        Ok(out)
    }

    fn run(doc: &[u8]) -> Out {
        run_with(doc, "text/csv", &Config::default()).unwrap()
    }

    fn plain(doc: &[u8]) -> String {
        run_with(doc, "text/csv", &Config { plain: true, ..Config::default() }).unwrap().text
    }

    fn corpus(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../shared/corpus/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    /// The rows of a table record's `cells`, parsed back.
    fn cells(table: &str) -> Vec<Vec<String>> {
        let v: serde_json::Value = serde_json::from_str(table).unwrap();
        v["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect())
            .collect()
    }

    #[test]
    fn corpus_files_become_tables() {
        for (path, rows, cols) in [("spreadsheets/stanley_cups.csv", 5, 3), ("pandoc/data_table.csv", 11, 5)] {
            let doc = corpus(&format!("documents/{path}"));
            let reference = String::from_utf8(corpus(&format!("references/{path}.ref.txt"))).unwrap();
            let out = run(&doc);
            assert!(out.meta.contains(&format!("{{\"row_count\":{rows}}}")), "{path}");
            assert!(out.meta.contains(&format!("{{\"column_count\":{cols}}}")), "{path}");
            assert!(out.meta.contains(&"{\"delimiter\":\",\"}".to_string()));
            // The cells are the reference's lines split at commas (no field is quoted).
            let want: Vec<Vec<String>> = reference.lines().map(|l| l.split(',').map(String::from).collect()).collect();
            assert_eq!(out.tables.len(), 1);
            assert_eq!(cells(&out.tables[0]), want, "{path}");
            // The content is the table's Markdown, and plain mode gives back the reference
            // with tabs.
            assert_eq!(out.text, crate::markdown::table(&want).unwrap());
            assert_eq!(plain(&doc), reference.replace(',', "\t").replace("\r\n", "\n"));
        }
        let out = run(&corpus("documents/spreadsheets/stanley_cups.csv"));
        assert!(out
            .text
            .starts_with("| Stanley Cups |  |  |\n| --- | --- | --- |\n| Team | Location | Stanley Cups |\n"));
    }

    #[test]
    fn rfc4180_quoting() {
        let doc =
            b"\xef\xbb\xbfname,quote,n\r\n\"Smith, J\",\"He said \"\"hi\"\"\r\nthen left\",1\r\n\"\",x\"y,\"a\"b\r\n";
        let out = run(doc);
        let rows = cells(&out.tables[0]);
        assert_eq!(
            rows,
            [vec!["name", "quote", "n"], vec!["Smith, J", "He said \"hi\"\r\nthen left", "1"], vec!["", "x\"y", "ab"]]
        );
        assert!(out.text.contains("| Smith, J | He said \"hi\" then left | 1 |"));
        assert_eq!(plain(doc), "name\tquote\tn\nSmith, J\tHe said \"hi\"  then left\t1\n\tx\"y\tab\n");
    }

    #[test]
    fn delimiters_are_sniffed() {
        for (doc, d) in [
            (&b"a;b;c\n1,5;2,5;3\n4;5;6\n"[..], ";"),
            (b"a\tb\n\"x,y\"\tz\n", "\\t"),
            (b"a|b|c\n1|2|3", "|"),
            (b"a,b\n\"1;2;3;4\",5\n", ","),
            (b"one column\nsecond row\n", ","),
            (b"", ","),
        ] {
            let out = run(doc);
            assert!(
                out.meta.contains(&format!("{{\"delimiter\":\"{d}\"}}")),
                "{}: {:?}",
                String::from_utf8_lossy(doc),
                out.meta
            );
        }
        let tsv = run_with(b"h1\th2\nv1\tv2\n", "text/tab-separated-values", &Config::default()).unwrap();
        assert_eq!(cells(&tsv.tables[0]), [["h1", "h2"], ["v1", "v2"]]);
    }

    #[test]
    fn ragged_rows_and_blank_lines() {
        let out = run(b"a,b\n\n1\n1,2,3,\r\n\r\n");
        assert_eq!(cells(&out.tables[0]), [vec!["a", "b"], vec!["1"], vec!["1", "2", "3", ""]]);
        assert_eq!(out.text, "| a | b |  |  |\n| --- | --- | --- | --- |\n| 1 |  |  |  |\n| 1 | 2 | 3 |  |\n");
        assert!(out.meta.contains(&"{\"row_count\":3}".into()));
        assert!(out.meta.contains(&"{\"column_count\":4}".into()));
        assert_eq!(plain(b"a|b\n"), "a\tb\n");
        let empty = run(b"\n\r\n");
        assert!(empty.text.is_empty() && empty.tables.is_empty());
    }

    #[test]
    fn rows_render_as_the_shared_markdown_table() {
        let cells =
            ["", " a", "a ", "a  b", "a|b", "a\\b", "x\u{a0}y", "tab\there", "é", "ok fine", "\u{3000}", "\"q\""];
        let doc: String =
            cells.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(",") + "\n1\n";
        let out = run(doc.as_bytes());
        let rows = vec![cells.iter().map(|c| c.to_string()).collect(), vec!["1".to_string()]];
        assert_eq!(out.text, crate::markdown::table(&rows).unwrap());
    }

    #[test]
    fn encodings() {
        let latin = run(b"caf\xe9,na\xefve\n");
        assert_eq!((cells(&latin.tables[0]), latin.warnings), (vec![vec!["café".to_string(), "naïve".to_string()]], 1));
        let utf16: Vec<u8> =
            [0xff, 0xfe].into_iter().chain("ä,ö\n1,2\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(cells(&run(&utf16).tables[0]), [["ä", "ö"], ["1", "2"]]);
    }

    #[test]
    fn large_files_stream_rows_before_the_table() {
        let doc: String = (0..20_000).map(|i| format!("{i},\"row {i}\",x\n")).collect();
        let out = run(doc.as_bytes());
        assert_eq!(
            out.kinds,
            [
                Kind::Document,
                Kind::Metadata,
                Kind::Metadata,
                Kind::Metadata,
                Kind::Metadata,
                Kind::Text,
                Kind::Table,
                Kind::End
            ]
        );
        assert_eq!(out.text.lines().count(), 20_001);
        assert_eq!(cells(&out.tables[0]).len(), 20_000);
    }

    #[test]
    fn limits() {
        let doc = "a,b,c\n".repeat(1000);
        let cfg = Config { max_objects: 2999, ..Config::default() };
        assert_eq!(run_with(doc.as_bytes(), "text/csv", &cfg).unwrap_err().code(), Code::Limit);
        let cfg = Config { max_objects: 3000, ..Config::default() };
        assert!(run_with(doc.as_bytes(), "text/csv", &cfg).is_ok());
        let cfg = Config { max_output: 100, ..Config::default() };
        assert_eq!(run_with(doc.as_bytes(), "text/csv", &cfg).unwrap_err().code(), Code::Limit);
    }

    #[test]
    fn random_input_never_panics() {
        let mut rng = crate::testing::Rng::new(0x2545_f491_4f6c_dd1du64);
        let mut next = move || rng.next();
        let alphabet = b",;\t|\"\r\n a\xc3\xa9\xff";
        for _ in 0..2000 {
            let doc: Vec<u8> = (0..next() % 64).map(|_| alphabet[next() % alphabet.len()]).collect();
            for plain in [false, true] {
                let out = run_with(&doc, "text/csv", &Config { plain, ..Config::default() }).unwrap();
                // Every row is a line of the content.
                let rows = out.tables.first().map_or(0, |t| cells(t).len());
                assert_eq!(out.text.lines().count(), rows + (rows > 0 && !plain) as usize);
            }
        }
    }

    #[test]
    fn hostile_input_ends_cleanly() {
        // A 50 MB single line: one field, then many fields, then an unclosed quote.
        let one = "x".repeat(50 << 20);
        let out = run(one.as_bytes());
        assert_eq!(out.text.len(), one.len() + "|  |\n| --- |\n".len());
        let fields = "ab,".repeat(1 << 20);
        assert_eq!(run(fields.as_bytes()).meta[2], format!("{{\"column_count\":{}}}", (1 << 20) + 1));
        let quote = format!("a,b\n\"{}", "x,\n".repeat(1 << 20));
        assert_eq!(cells(&run(quote.as_bytes()).tables[0]).len(), 2);
        // Every prefix of a quoted document.
        let doc = b"h,\"q\"\"x\"\r\n\"a\nb\",c\r\n";
        for end in 0..doc.len() {
            run(&doc[..end]);
        }
    }
}
