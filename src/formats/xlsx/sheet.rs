//! One worksheet: its cells as displayed, placed on a grid.
//!
//! Only the cells present in `<sheetData>` count; the `<dimension>` a sheet declares is
//! ignored, so a sheet claiming A1:XFD1048576 with three cells costs three cells. The grid
//! spans the occupied cells only (empty rows and columns at the edges are trimmed) and its
//! area is checked against `max_objects` before it is built. Rows are kept only as wide as
//! their last cell (the Markdown table pads them).
//!
//! Merged cells keep their value in the top-left cell and leave the rest empty, as a
//! spreadsheet shows them and as a CSV export writes them; a merge does not widen the grid.

use super::numfmt;
use super::parts::{is, rich_text, Strings, Styles};
use crate::config::Config;
use crate::error::{limit, oom, reserve_str, Result};
use crate::xml::{Event, Reader};
use alloc::string::String;
use alloc::vec::Vec;

/// What a sheet refers to while its cells are read.
pub struct Book<'b> {
    pub strings: &'b Strings,
    pub styles: &'b Styles,
    pub date1904: bool,
}

/// A cell with something to show: 0-based row and column.
struct Cell {
    row: u32,
    col: u32,
    text: String,
}

/// The cells of a sheet, and whether a shared-string index pointed nowhere.
pub struct Cells {
    list: Vec<Cell>,
    pub missing_string: bool,
}

/// The kind of a cell's value (`t`).
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Number,
    Shared,
    Inline,
    Bool,
    /// Errors, formula strings, ISO dates: shown as written.
    Text,
}

fn kind(t: Option<&str>) -> Kind {
    match t {
        Some("s") => Kind::Shared,
        Some("inlineStr") => Kind::Inline,
        Some("b") => Kind::Bool,
        Some("e" | "str" | "d") => Kind::Text,
        _ => Kind::Number,
    }
}

/// A cell reference such as `C5` as 0-based (row, column); None if it is not one.
fn reference(r: &str) -> Option<(u32, u32)> {
    let b = r.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let (mut col, mut row) = (0u32, 0u32);
    for &c in b.get(..letters)? {
        col = col.checked_mul(26)?.checked_add((c.to_ascii_uppercase() - b'A' + 1) as u32)?;
    }
    let digits = b.get(letters..)?;
    if letters == 0 || digits.is_empty() {
        return None;
    }
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        row = row.checked_mul(10)?.checked_add((c - b'0') as u32)?;
    }
    Some((row.checked_sub(1)?, col - 1))
}

fn unsigned(s: Option<&str>) -> Option<u32> {
    let s = s?;
    let mut n: u32 = 0;
    for c in s.bytes() {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add((c - b'0') as u32)?;
    }
    (!s.is_empty()).then_some(n)
}

impl Cells {
    /// Reads `<sheetData>`: every cell's displayed text. More cells than `max_objects`, or
    /// more text than `max_output` (shared strings repeated in many cells multiply), is
    /// LIMIT.
    pub fn read(src: &str, cfg: &Config, book: &Book) -> Result<Cells> {
        let mut cells = Cells { list: Vec::new(), missing_string: false };
        let mut reader = Reader::new(cfg);
        let (mut row, mut next_col) = (0u32, 0u32);
        let mut first_row = true;
        let mut text_bytes = 0usize;
        let mut value = String::new();
        let mut shown = String::new();
        loop {
            match reader.next(src)? {
                Event::Start(t) if is(&t.name, "row") => {
                    row = match unsigned(t.attr("", "r")?.as_deref()) {
                        Some(r) => r.saturating_sub(1),
                        None if first_row => 0,
                        None => row.saturating_add(1),
                    };
                    first_row = false;
                    next_col = 0;
                }
                Event::Start(t) if is(&t.name, "c") => {
                    let (r, c) = t.attr("", "r")?.as_deref().and_then(reference).unwrap_or((row, next_col));
                    let kind = kind(t.attr("", "t")?.as_deref());
                    let style = unsigned(t.attr("", "s")?.as_deref()).unwrap_or(0) as usize;
                    value.clear();
                    let mut inline = false;
                    let depth = reader.depth();
                    while reader.depth() >= depth {
                        match reader.next(src)? {
                            Event::Start(t) if is(&t.name, "v") => reader.read_text(src, &mut value)?,
                            Event::Start(t) if is(&t.name, "is") => {
                                inline = true;
                                rich_text(&mut reader, src, &mut value)?;
                            }
                            Event::Start(t) if is(&t.name, "f") => reader.skip(src)?,
                            Event::Eof => break,
                            _ => {}
                        }
                    }
                    (row, next_col) = (r, c.saturating_add(1));
                    shown.clear();
                    cells.display(&mut shown, kind, inline, &value, style, book)?;
                    if shown.is_empty() {
                        continue;
                    }
                    // Exactly as long as the text: a sheet holds many cells.
                    let mut text = String::new();
                    reserve_str(&mut text, shown.len())?;
                    text.push_str(&shown);
                    text_bytes = text_bytes.saturating_add(text.len());
                    if text_bytes > cfg.max_output as usize {
                        return Err(limit("xlsx: sheet text beyond max_output"));
                    }
                    if cells.list.len() >= cfg.max_objects as usize {
                        return Err(limit("xlsx: more cells than max_objects"));
                    }
                    cells.list.try_reserve(1).map_err(|_| oom())?;
                    cells.list.push(Cell { row: r, col: c, text });
                }
                Event::Eof => return Ok(cells),
                _ => {}
            }
        }
    }

    /// The text a cell shows for its value as written.
    fn display(
        &mut self,
        out: &mut String,
        kind: Kind,
        inline: bool,
        v: &str,
        style: usize,
        book: &Book,
    ) -> Result<()> {
        let v = crate::xml::trim(v);
        let shown: &str = match kind {
            // A cell with an inline string but no type still shows the string.
            _ if inline => v,
            Kind::Shared => {
                let s = super::number::parse(v).filter(|n| *n >= 0.0).and_then(|n| book.strings.get(n as usize));
                self.missing_string |= s.is_none() && !v.is_empty();
                s.unwrap_or("")
            }
            Kind::Bool => match v {
                "1" | "true" => "TRUE",
                "" => "",
                _ => "FALSE",
            },
            Kind::Number => match super::number::parse(v) {
                Some(n) => {
                    // A formatted number is short: at most some 450 characters of digits,
                    // point and separators, plus the format's literals and padding zeros,
                    // which are part of the format code. `out` is reused from cell to cell,
                    // so this reserves once.
                    let code = book.styles.code(style);
                    reserve_str(out, 512 + 2 * code.len())?;
                    numfmt::format(out, n, code, book.date1904);
                    return Ok(());
                }
                None => v,
            },
            Kind::Inline | Kind::Text => v,
        };
        reserve_str(out, shown.len())?;
        out.push_str(shown);
        Ok(())
    }

    /// The rows of the occupied area; None when the sheet shows nothing.
    pub fn grid(self, cfg: &Config) -> Result<Option<Vec<Vec<String>>>> {
        let Some(first) = self.list.first() else { return Ok(None) };
        let (mut top, mut bottom, mut left, mut right) = (first.row, first.row, first.col, first.col);
        for c in &self.list {
            (top, bottom) = (top.min(c.row), bottom.max(c.row));
            (left, right) = (left.min(c.col), right.max(c.col));
        }
        let height = (bottom - top) as u64 + 1;
        let width = (right - left) as u64 + 1;
        if height.saturating_mul(width) > cfg.max_objects as u64 {
            return Err(limit("xlsx: sheet area beyond max_objects"));
        }
        // Placed where they belong, in any order (no sort); of two cells with the same
        // reference the later wins, as it would on screen.
        let mut rows: Vec<Vec<String>> = Vec::new();
        rows.try_reserve_exact(height as usize).map_err(|_| oom())?;
        rows.resize_with(height as usize, Vec::new);
        for cell in self.list {
            let (r, c) = ((cell.row - top) as usize, (cell.col - left) as usize);
            if let Some(row) = rows.get_mut(r) {
                if row.len() <= c {
                    row.try_reserve(c + 1 - row.len()).map_err(|_| oom())?;
                    row.resize_with(c + 1, String::new);
                }
                if let Some(slot) = row.get_mut(c) {
                    *slot = cell.text;
                }
            }
        }
        Ok(Some(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    fn book_parts() -> (Strings, Styles) {
        let strings = Strings::read(
            r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Name</t></si><si><t>Total</t></si></sst>"#,
            &Config::default(),
        )
        .unwrap();
        let styles = Styles::read(
            r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="10"/></cellXfs></styleSheet>"#,
            &Config::default(),
        )
        .unwrap();
        (strings, styles)
    }

    fn sheet(data: &str) -> String {
        format!(
            r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>{data}</sheetData></worksheet>"#
        )
    }

    fn grid(data: &str, cfg: &Config) -> Result<Option<Vec<Vec<String>>>> {
        let (strings, styles) = book_parts();
        let book = Book { strings: &strings, styles: &styles, date1904: false };
        Cells::read(&sheet(data), cfg, &book)?.grid(cfg)
    }

    #[test]
    fn references() {
        assert_eq!(reference("A1"), Some((0, 0)));
        assert_eq!(reference("c5"), Some((4, 2)));
        assert_eq!(reference("XFD1048576"), Some((1048575, 16383)));
        for bad in ["", "A", "1", "A0", "A1B", "ZZZZZZZZZZZZ1", "A99999999999"] {
            assert_eq!(reference(bad), None, "{bad}");
        }
    }

    #[test]
    fn values_as_displayed_on_a_trimmed_grid() {
        let g = grid(
            r#"<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c></row>
               <row r="3"><c r="B3" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>
                 <c r="C3"><f>SUM(A1:A2)</f><v>1234.5</v></c></row>
               <row r="5"><c r="B5" s="1"><v>45047</v></c><c r="D5" s="2"><v>0.256</v></c></row>
               <row r="6"><c r="B6" t="b"><v>1</v></c><c t="b"><v>0</v></c><c t="e"><v>#N/A</v></c>
                 <c t="str"><f>A1</f><v>text</v></c></row>
               <row r="7"><c r="C7" t="s"><v>99</v></c><c r="D7"/></row>"#,
            &Config::default(),
        )
        .unwrap()
        .unwrap();
        let want: Vec<Vec<&str>> = vec![
            vec!["Name", "Total"],
            vec!["inline", "1234.5"],
            vec![],
            vec!["2023-05-01", "", "25.60%"],
            vec!["TRUE", "FALSE", "#N/A", "text"],
        ];
        assert_eq!(g, want);
    }

    #[test]
    fn cells_without_references_follow_each_other() {
        let g = grid("<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>", &Config::default());
        assert_eq!(g.unwrap().unwrap(), vec![vec!["1", "2"], vec!["3"]]);
        assert_eq!(grid("", &Config::default()).unwrap(), None);
    }

    #[test]
    fn far_apart_cells_are_a_limit_not_an_allocation() {
        let data = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#;
        assert_eq!(grid(data, &Config::default()).unwrap_err().code(), Code::Limit);
        let few = Config { max_objects: 3, ..Config::default() };
        let data = r#"<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c><c><v>4</v></c></row>"#;
        assert_eq!(grid(data, &few).unwrap_err().code(), Code::Limit);
    }

    #[test]
    fn shared_string_out_of_range_is_empty_and_noted() {
        let (strings, styles) = book_parts();
        let book = Book { strings: &strings, styles: &styles, date1904: false };
        let src = sheet(r#"<row><c t="s"><v>7</v></c><c t="s"><v>-1</v></c><c t="s"><v>1</v></c></row>"#);
        let cells = Cells::read(&src, &Config::default(), &book).unwrap();
        assert!(cells.missing_string);
        assert_eq!(cells.grid(&Config::default()).unwrap().unwrap(), vec![vec!["Total"]]);
    }
}
