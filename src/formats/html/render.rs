//! The text a reader sees, written as the tree builder opens and closes elements.
//!
//! White space collapses outside `<pre>`; breaks are owed lazily (a space, a line break or
//! a blank line) and paid only before the next visible character, so empty elements leave
//! nothing behind and blocks never stack blank lines. Markdown markup is lazy the same way:
//! a list marker, heading prefix, `**` or `[` is written only with the first character it
//! applies to, and inline markup is closed before a line break and reopened after it, so
//! the output stays valid Markdown whatever the nesting. Plain mode writes the same
//! structure without markup (ordered list numbers and `-` bullets are kept, as a reader sees
//! them). Table cells collect their own plain text; the whole table is written when it ends.

use super::table::{self, Cell};
use super::tags::Tag;
use crate::error::Result;
use crate::sink::{Sink, Table};
use alloc::string::String;
use alloc::vec::Vec;

/// Text with its owed break: 0 none, 1 a space, 2 a line break, 3 a blank line.
pub struct Writer {
    pub buf: String,
    pending: u8,
    /// Something was written: breaks owed before the first character are dropped.
    started: bool,
    /// At the start of a line: prefixes (quote marks, list indentation) are due.
    col0: bool,
}

impl Writer {
    fn new() -> Writer {
        Writer { buf: String::new(), pending: 0, started: false, col0: true }
    }

    /// Cell text: white space collapses, line breaks are kept as '\n', no markup.
    fn cell_text(&mut self, s: &str, pre: bool) {
        let mut rest = s;
        while let Some(&b) = rest.as_bytes().first() {
            let n = run_len(rest);
            if n > 0 {
                if self.pending > 0 && self.started {
                    self.buf.push(if self.pending == 1 { ' ' } else { '\n' });
                }
                self.pending = 0;
                self.started = true;
                self.buf.push_str(rest.get(..n).unwrap_or(""));
            } else if b == b'\n' && pre {
                self.pending = 2;
            } else {
                self.pending = self.pending.max(is_space(b as char) as u8);
            }
            rest = rest.get(n.max(1)..).unwrap_or("");
        }
    }
}

/// The length of the run of printing characters `s` starts with: text is handled a run at a
/// time (much faster than a character at a time), and each ASCII white space or control
/// byte between runs on its own (they are ASCII, so cuts are on character boundaries).
fn run_len(s: &str) -> usize {
    s.bytes().position(|b| b <= b' ').unwrap_or(s.len())
}

/// HTML's ASCII white space (U+00A0 is content, as in browsers).
pub fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// Blocks that prefix every line they contain.
enum Container {
    Quote,
    List {
        ordered: bool,
        next: u32,
    },
    /// A list item: its number (0 for a bullet), and whether its marker is still to write.
    Item {
        number: u32,
        marker: bool,
    },
}

/// Inline markup of an open element; `href` is where its link target starts in `hrefs`.
struct Mark {
    kind: Tag,
    opened: bool,
    href: usize,
}

/// A table being read: its cells, and their text in one writer.
struct OpenTable {
    cells: Vec<Cell>,
    text: Writer,
    /// Text goes to the table's last cell (not after `</td>` or between rows).
    in_cell: bool,
}

pub struct Out {
    /// Markdown markup (not plain text).
    md: bool,
    pub main: Writer,
    containers: Vec<Container>,
    marks: Vec<Mark>,
    /// Marks whose opening markup is still to write.
    unopened: usize,
    hrefs: String,
    /// Heading level whose `#` prefix is still to write.
    heading: u8,
    in_heading: u32,
    pre: u32,
    tables: Vec<OpenTable>,
    /// A table too large for `max_objects` was already reported.
    warned: bool,
}

impl Out {
    pub fn new(plain: bool) -> Out {
        Out {
            md: !plain,
            main: Writer::new(),
            containers: Vec::new(),
            marks: Vec::new(),
            unopened: 0,
            hrefs: String::new(),
            heading: 0,
            in_heading: 0,
            pre: 0,
            tables: Vec::new(),
            warned: false,
        }
    }

    /// Ends the text with a line break.
    pub fn finish(&mut self) {
        if self.main.started && !self.main.col0 {
            self.main.buf.push('\n');
        }
    }

    /// The innermost open table cell, where text goes instead of the main output.
    fn cell(&mut self) -> Option<&mut Writer> {
        self.tables.iter_mut().rev().find(|t| t.in_cell).map(|t| &mut t.text)
    }

    /// Whether Markdown block markup (fences, rules, tables) is written: not in plain mode
    /// and not inside a table cell, which keeps plain text.
    fn block_markup(&mut self) -> bool {
        self.md && self.cell().is_none()
    }

    /// Appends decoded text.
    pub fn text(&mut self, s: &str) {
        let pre = self.pre > 0;
        if let Some(w) = self.cell() {
            w.cell_text(s, pre);
            return;
        }
        let mut rest = s;
        while let Some(&b) = rest.as_bytes().first() {
            let n = run_len(rest);
            match b {
                _ if n > 0 => self.put(rest.get(..n).unwrap_or("")),
                b'\n' if pre => {
                    self.prepare();
                    self.main.buf.push('\n');
                    self.main.col0 = true;
                }
                b' ' | b'\t' if pre => self.put(if b == b' ' { " " } else { "\t" }),
                _ if is_space(b as char) => self.main.pending = self.main.pending.max(1),
                // Other control characters are dropped.
                _ => {}
            }
            rest = rest.get(n.max(1)..).unwrap_or("");
        }
    }

    /// Writes printing text to the main output.
    fn put(&mut self, run: &str) {
        let w = &self.main;
        if w.pending != 0 || w.col0 || self.unopened > 0 || self.heading > 0 {
            self.prepare();
        }
        self.main.buf.push_str(run);
    }

    /// Pays the owed break and writes the markup due before the next character.
    fn prepare(&mut self) {
        let pending = core::mem::take(&mut self.main.pending);
        if self.main.started {
            if pending >= 2 {
                self.close_marks();
                // Preformatted text may already have ended the line.
                if !self.main.col0 {
                    self.main.buf.push('\n');
                }
                if pending == 3 {
                    self.prefix(true);
                    // A blank line keeps only the quote marks of the prefix.
                    let mut len = self.main.buf.len();
                    while len > 0 && self.main.buf.as_bytes().get(len - 1) == Some(&b' ') {
                        len -= 1;
                    }
                    self.main.buf.truncate(len);
                    self.main.buf.push('\n');
                }
                self.main.col0 = true;
            } else if pending == 1 && !self.main.col0 {
                self.main.buf.push(' ');
            }
        }
        if self.main.col0 {
            self.main.col0 = false;
            self.prefix(false);
            if self.md && self.heading > 0 {
                // Levels are 1 to 6.
                self.main.buf.push_str("###### ".get(6usize.wrapping_sub(self.heading as usize)..).unwrap_or(""));
            }
            self.heading = 0;
        }
        if self.unopened > 0 && self.pre == 0 {
            for m in self.marks.iter_mut() {
                if !m.opened {
                    m.opened = true;
                    self.main.buf.push_str(opener(m.kind));
                }
            }
            self.unopened = 0;
        }
        self.main.started = true;
    }

    /// Writes the line prefix of the open containers. On a `blank` line, list markers stay
    /// due for the item's first real line.
    fn prefix(&mut self, blank: bool) {
        let buf = &mut self.main.buf;
        for c in self.containers.iter_mut() {
            match c {
                Container::Quote => buf.push_str(if self.md { "> " } else { "  " }),
                Container::List { .. } => {}
                Container::Item { number, marker } => {
                    let start = buf.len();
                    if *number == 0 {
                        buf.push('-');
                    } else {
                        // The decimal digits, from the highest power of ten in the number.
                        let mut p = 1;
                        while p <= *number / 10 {
                            p *= 10;
                        }
                        while p > 0 {
                            buf.push(char::from(b'0' + (*number / p % 10) as u8));
                            p /= 10;
                        }
                        buf.push('.');
                    }
                    buf.push(' ');
                    if !*marker || blank {
                        // A marker already written (or due later) leaves its width in spaces.
                        let width = buf.len() - start;
                        buf.truncate(start);
                        for _ in 0..width {
                            buf.push(' ');
                        }
                    }
                    *marker &= blank;
                }
            }
        }
    }

    /// Closes the opened inline markup before a line break; it reopens after it.
    fn close_marks(&mut self) {
        for i in (0..self.marks.len()).rev() {
            self.write_closer(i);
        }
    }

    /// Writes the closing markup of mark `i` if its opening was written; it is then due
    /// again (counted in `unopened`).
    fn write_closer(&mut self, i: usize) {
        let Some(m) = self.marks.get_mut(i).filter(|m| m.opened) else { return };
        m.opened = false;
        let (kind, href) = (m.kind, m.href);
        self.unopened += 1;
        if kind == Tag::A {
            let end = self.marks.get(i + 1).map_or(self.hrefs.len(), |n| n.href);
            self.main.buf.push_str("](");
            self.main.buf.push_str(self.hrefs.get(href..end).unwrap_or(""));
            self.main.buf.push(')');
        } else {
            self.main.buf.push_str(opener(kind));
        }
    }

    /// Owes a break of `level` (1 space, 2 line, 3 blank line) before the next text.
    pub fn brk(&mut self, level: u8) {
        if let Some(w) = self.cell() {
            w.pending = w.pending.max(level.min(2));
            return;
        }
        // A Markdown heading is one line.
        let level = if self.in_heading > 0 && self.md { 1 } else { level };
        self.main.pending = self.main.pending.max(level);
    }

    /// `<br>`: a line break; two in a row leave a blank line.
    pub fn line_break(&mut self) {
        let level = if self.main.pending == 2 { 3 } else { 2 };
        self.brk(level);
    }

    /// The break around a list or quote: a line break inside a list item, else a blank line.
    fn list_break(&mut self) {
        let nested = self.containers.iter().any(|c| matches!(c, Container::Item { .. }));
        self.brk(if nested { 2 } else { 3 });
    }

    pub fn open_list(&mut self, ordered: bool, start: u32) {
        self.list_break();
        self.containers.push(Container::List { ordered, next: start });
    }

    /// Opens a list item; `value` is its `value` attribute (0: none).
    pub fn open_item(&mut self, value: u32) {
        self.brk(2);
        let list = self.containers.iter_mut().rev().find_map(|c| match c {
            Container::List { ordered, next } => Some((ordered, next)),
            _ => None,
        });
        let number = match list {
            Some((true, next)) => {
                let n = if value > 0 { value } else { *next };
                *next = n.saturating_add(1);
                n.max(1)
            }
            _ => 0,
        };
        self.containers.push(Container::Item { number, marker: true });
    }

    pub fn open_quote(&mut self) {
        self.brk(3);
        self.containers.push(Container::Quote);
    }

    pub fn close_container(&mut self) {
        match self.containers.pop() {
            Some(Container::Item { .. }) => self.brk(2),
            _ => self.list_break(),
        }
    }

    /// Inline markup for an element. Plain mode keeps only quotation marks.
    pub fn open_mark(&mut self, kind: Tag, href: &str) -> bool {
        let md = self.md && self.pre == 0;
        let wanted = match kind {
            Tag::Quote => true,
            Tag::A => md && !href.is_empty(),
            _ => md && !self.marks.iter().any(|m| m.kind == kind),
        };
        if wanted {
            let at = self.hrefs.len();
            push_url(&mut self.hrefs, href);
            self.marks.push(Mark { kind, opened: false, href: at });
            self.unopened += 1;
        }
        wanted
    }

    pub fn close_mark(&mut self) {
        self.write_closer(self.marks.len().wrapping_sub(1));
        if let Some(m) = self.marks.pop() {
            self.unopened = self.unopened.saturating_sub(1);
            self.hrefs.truncate(m.href);
        }
    }

    pub fn open_heading(&mut self, level: u8) {
        self.brk(3);
        self.heading = level;
        self.in_heading += 1;
    }

    pub fn close_heading(&mut self) {
        self.in_heading = self.in_heading.saturating_sub(1);
        self.heading = 0;
        self.brk(3);
    }

    /// `<pre>`: a fenced code block in Markdown.
    pub fn open_pre(&mut self) {
        self.brk(3);
        if self.block_markup() {
            self.text("```");
            self.main.buf.push('\n');
            self.main.col0 = true;
        }
        self.pre += 1;
    }

    pub fn close_pre(&mut self) {
        self.pre = self.pre.saturating_sub(1);
        if self.block_markup() {
            if !self.main.col0 {
                self.main.buf.push('\n');
                self.main.col0 = true;
            }
            self.main.pending = 0;
            self.text("```");
        }
        self.brk(3);
    }

    /// `<hr>`: a thematic break in Markdown, a blank line in plain text.
    pub fn rule(&mut self) {
        self.brk(3);
        if self.block_markup() {
            self.text("---");
            self.brk(3);
        }
    }

    /// `<img>`: `![alt](src)` in Markdown (alt text only for inline `data:` images), its alt
    /// text otherwise.
    pub fn image(&mut self, alt: &str, src: &str) {
        let linked = self.md && self.pre == 0 && !src.is_empty() && !src.starts_with("data:");
        if !linked || self.cell().is_some() {
            self.text(alt);
            return;
        }
        let mut md = String::from("![");
        md.push_str(alt);
        md.push_str("](");
        push_url(&mut md, src);
        md.push(')');
        self.text(&md);
    }

    /// Writes preformatted lines (a rendered table) as a block of their own.
    fn block(&mut self, s: &str) {
        self.brk(3);
        self.pre += 1;
        self.text(s);
        self.pre -= 1;
        self.brk(3);
    }

    pub fn open_table(&mut self) {
        self.brk(3);
        self.tables.push(OpenTable { cells: Vec::new(), text: Writer::new(), in_cell: false });
    }

    /// Starts a cell of the innermost table, or with `colspan` 0 a row (ending the open
    /// cell either way).
    pub fn table_entry(&mut self, colspan: u16, rowspan: u16) {
        if let Some(t) = self.tables.last_mut() {
            t.in_cell = colspan > 0;
            t.text.pending = 0;
            t.text.started = false;
            t.cells.push(Cell { start: t.text.buf.len(), colspan, rowspan });
        }
    }

    /// Ends the open cell of the innermost table.
    pub fn end_cell(&mut self) {
        if let Some(t) = self.tables.last_mut() {
            t.in_cell = false;
        }
    }

    /// Ends the innermost table: a table record, and its text where the table stood (a
    /// Markdown table; tab-separated rows in plain text; cell text inside another table).
    /// `budget` is the `max_objects` left for the empty slots of spans; a table that would
    /// need more, or whose padded Markdown would exceed `max_objects` slots, is kept whole
    /// in the record but written as rows of text, with a warning.
    pub fn close_table(&mut self, sink: &mut Sink, budget: &mut usize, max_cells: usize) -> Result<()> {
        let Some(t) = self.tables.pop() else {
            return Ok(());
        };
        let (grid, spread) = table::layout(&t.cells, &t.text.buf, budget)?;
        if grid.is_empty() {
            return Ok(());
        }
        let width = grid.iter().map(Vec::len).max().unwrap_or(0);
        let fits = spread && grid.len().saturating_mul(width) <= max_cells;
        if !fits && !core::mem::replace(&mut self.warned, true) {
            sink.warning("html", "a table is too large for max_objects: its rows are given as text")?;
        }
        let markdown = if fits { crate::markdown::table(&grid)? } else { String::new() };
        if fits && self.block_markup() {
            // Without its last line break: the block owes its own.
            self.block(markdown.get(..markdown.len().saturating_sub(1)).unwrap_or(""));
        } else {
            self.flat(&grid);
        }
        sink.table(&Table { rows: grid, markdown, page_number: 0 })
    }

    /// Rows as text, cells separated by tabs (by spaces inside another table's cell).
    fn flat(&mut self, rows: &[Vec<String>]) {
        let mut text = String::new();
        for row in rows {
            // Tabs are written before the next cell with text, so a row has no tabs of
            // empty cells at its end (cells hold no tabs).
            let mut tabs = 0;
            for (j, cell) in row.iter().enumerate() {
                tabs += (j > 0) as usize;
                if !cell.is_empty() {
                    for _ in 0..core::mem::take(&mut tabs) {
                        text.push('\t');
                    }
                    // Line breaks in a cell would break the row.
                    for c in cell.chars() {
                        text.push(if c <= ' ' { ' ' } else { c });
                    }
                }
            }
            text.push('\n');
        }
        match self.cell() {
            Some(w) => w.cell_text(&text, false),
            None => self.block(&text),
        }
    }
}

fn opener(kind: Tag) -> &'static str {
    match kind {
        Tag::Bold => "**",
        Tag::Italic => "*",
        Tag::Code => "`",
        Tag::Strike => "~~",
        Tag::Quote => "\"",
        _ => "[",
    }
}

/// A URL for a Markdown link target: white space dropped and characters that would end the
/// target early percent-encoded.
fn push_url(out: &mut String, url: &str) {
    let start = out.len();
    for c in url.chars() {
        match c {
            ' ' if out.len() > start => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            ' ' | '\t' | '\n' | '\r' | '\x0c' => {}
            c => out.push(c),
        }
    }
    while out.len() > start && out.ends_with("%20") {
        out.truncate(out.len() - 3);
    }
}
