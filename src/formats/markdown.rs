//! Markdown (CommonMark with the GFM table and strikethrough extensions), chosen by its
//! declared MIME type only: any text reads as Markdown, so sniffing could not tell.
//!
//! By default the content is the Markdown itself: line endings normalised, control
//! characters dropped, front matter removed. In plain mode (`cfg.plain`) the markup goes:
//! heading marks, emphasis, link and image syntax (the text and alt text stay, URLs go), code
//! fences (the code stays), block quote marks, link reference definitions, HTML tags and
//! comments; escapes and the common entities are resolved, list items keep `-` or their
//! number (counted on, as a renderer shows them), and table rows become tab-separated lines.
//!
//! The block structure is read a line at a time, the open blocks' state carried between
//! steps, so output streams and no recursion follows the document's nesting. Inline syntax is
//! read per paragraph (links and code spans may span lines); every lookahead it makes is
//! charged to a budget proportional to the paragraph, so hostile input stays linear.
//!
//! Front matter (YAML between `---` lines or TOML between `+++` lines at the very start) goes
//! to metadata under Kreuzberg's names where they exist (`title`, `author` → `created_by`, a
//! list of authors → `authors`, `date` → `created_at`, `keywords`, `tags`,
//! `description`/`subject` → `subject`, `abstract` → `abstract_text`, `lang` → `language`,
//! `version` → `document_version`); other keys pass through as written (nested ones dotted).
//! Then, as in Kreuzberg's text metadata: `format_type` "text", `title` (front matter, else
//! the first level-1 heading), `headers` (every heading's text), `line_count`, `word_count`
//! and `character_count` of the content as returned; and `link_count`, `code_block_count`.
//! GFM pipe tables also become table records (cells as plain text).

use crate::config::Config;
use crate::encoding::Encoding;
use crate::error::{limit, oom, reserve_str, Code, Result};
use crate::feature;
use crate::formats::text::Counts;
use crate::formats::tree_text::{self, HashCounts};
use crate::formats::yaml::FrontValue;
use crate::formats::{toml, yaml, Extractor, Family, Format, Step};
use crate::sink::{Sink, Table};
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

pub const FORMAT: Format = Format {
    mimes: &[
        "text/markdown",
        "text/x-markdown",
        "text/x-gfm",
        "text/x-commonmark",
        "text/x-markdown-extra",
        "text/x-multimarkdown",
    ],
    feature: feature::MARKDOWN,
    family: Family::Text { looks_like: None },
    open,
};

/// Input bytes read, or output bytes handed over, per step.
const PIECE: usize = 64 * 1024;
/// Front matter fields beyond this many are dropped with a warning (each costs a record, and
/// duplicate keys are found by a linear search).
const MAX_FRONT: usize = 256;
/// Front matter keys with another name in Kreuzberg's metadata (a list of authors goes
/// under `authors`; `subject` wins over `description`).
const RENAME: [(&str, &str); 6] = [
    ("author", "created_by"),
    ("date", "created_at"),
    ("description", "subject"),
    ("abstract", "abstract_text"),
    ("lang", "language"),
    ("version", "document_version"),
];
/// Metadata keys this format writes itself: front matter cannot take them (but `title`).
const OWN_KEYS: [&str; 7] =
    ["format_type", "headers", "line_count", "word_count", "character_count", "link_count", "code_block_count"];

fn open<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    let (src, encoding) = Encoding::decode_text(doc)?;
    let mut md = Box::new(Markdown {
        src,
        plain: cfg.plain,
        max_depth: cfg.max_depth as usize,
        max_objects: cfg.max_objects as usize,
        latin1: encoding == Encoding::Windows1252,
        after_blank: true,
        ..Markdown::default()
    });
    md.front_matter(cfg)?;
    md.collect_defs()?;
    Ok(md)
}

/// An open fenced code block.
#[derive(Clone, Copy)]
struct Fence {
    ch: u8,
    len: usize,
    /// Columns of indentation the opening fence had: removed from the code lines.
    indent: usize,
    /// Block quote depth it opened at: a line with fewer `>` ends it.
    quote: usize,
}

#[derive(Default)]
struct Markdown<'a> {
    src: Cow<'a, str>,
    /// Start of the next line in `src`.
    pos: usize,
    plain: bool,
    max_depth: usize,
    max_objects: usize,
    started: bool,
    front: Vec<(String, FrontValue)>,
    /// Warnings owed to the first step: the input was decoded as Windows-1252; the front
    /// matter did not parse.
    latin1: bool,
    bad_front: bool,
    /// Hashes of the link reference definitions' labels.
    defs: HashCounts,
    /// Content for the sink; the bytes before `sent` were given to it.
    out: String,
    sent: usize,
    /// A table record (None: too large for one) waiting for the text before it, by its
    /// position in `out`. Lines wait for it to go out: one is pending at a time.
    table: Option<(usize, Option<Table>)>,
    /// The open paragraph: its lines without container marks, joined by '\n'.
    para: String,
    /// An open list item's indentation and marker, ASCII (plain mode; in Markdown mode a
    /// space only marks that the paragraph is a list item).
    prefix: Vec<u8>,
    para_quote: usize,
    fence: Option<Fence>,
    indented_code: bool,
    /// Inside an HTML comment block (`<!--` to `-->`).
    comment: bool,
    /// The open table's rows and number of columns (0: no table is open). A table is in
    /// the place of a paragraph: what ends one ends it.
    rows: Vec<Vec<String>>,
    width: usize,
    in_list: bool,
    /// Plain mode: the open ordered lists (indentation, next number, delimiter), innermost
    /// last.
    ordered: Vec<(usize, u32, u8)>,
    after_blank: bool,
    /// Plain mode: a blank line is owed before the next output block.
    blank_out: bool,
    /// The line after a link reference definition with no destination is its destination.
    skip_def_line: bool,
    counts: Counts,
    headers: Vec<String>,
    /// One more than the index in `headers` of the first level-1 heading, the title (an
    /// index, not a copy of the text); 0: none yet; `usize::MAX`: the front matter gave one.
    title: usize,
    links: usize,
    code_blocks: usize,
    /// Table cells kept for table records, against `max_objects`.
    cells: usize,
}

impl<'a> Extractor for Markdown<'a> {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        if !self.started {
            self.started = true;
            if self.latin1 {
                sink.warning("markdown", "input is not valid UTF-8; decoded as Windows-1252")?;
            }
            if self.bad_front {
                sink.warning("markdown", "front matter does not parse; kept as text")?;
            }
            self.emit_front(sink)?;
            sink.meta_str("format_type", "text")?;
        }
        // A backlog (one huge paragraph) goes out a piece per step: as one record, the host's
        // reads would copy the rest of it again and again.
        // At the end, what is left goes out before the statistics.
        let end = self.pos >= self.src.len();
        if self.out.len() - self.sent > PIECE || end && (self.sent < self.out.len() || self.table.is_some()) {
            self.send(sink)?;
            return Ok(Step::More);
        }
        if end {
            self.emit_stats(sink)?;
            return Ok(Step::Done);
        }
        let start = self.pos;
        // The source leaves `self` for the step, so lines borrow it while `self` changes.
        let src = core::mem::take(&mut self.src);
        let mut r = Ok(());
        while r.is_ok()
            && self.table.is_none()
            && self.pos < src.len()
            && self.pos - start < PIECE
            && self.out.len() - self.sent < PIECE
        {
            let rest = src.get(self.pos..).unwrap_or("");
            let (end, next) = line_end(rest.as_bytes());
            let line = rest.get(..end).unwrap_or("");
            r = self.line(line);
            // Markdown mode keeps every line as it is, after whatever the line ended (so a
            // table record goes before the line after the table).
            if !self.plain && r.is_ok() {
                r = self.put(line);
                if next > end {
                    r = r.and_then(|_| self.put("\n"));
                }
            }
            self.pos += next;
        }
        self.src = src;
        r?;
        if self.pos >= self.src.len() {
            self.end_block(0)?;
        }
        self.send(sink)?;
        Ok(Step::More)
    }
}

impl<'a> Markdown<'a> {
    /// Finds front matter at the very start, parses it and moves `pos` past it. Front matter
    /// that does not parse stays in the content, with a warning.
    fn front_matter(&mut self, cfg: &Config) -> Result<()> {
        let s = self.src.as_bytes();
        let (end, mut at) = line_end(s);
        let open = s.get(..end).unwrap_or(&[]).trim_ascii_end();
        let toml = open == b"+++";
        if !toml && open != b"---" {
            return Ok(());
        }
        let inner_start = at;
        while at < s.len() {
            let rest = s.get(at..).unwrap_or(&[]);
            let (end, next) = line_end(rest);
            let line = rest.get(..end).unwrap_or(&[]).trim_ascii_end();
            // YAML may also close with `...`.
            if line == open || !toml && line == b"..." {
                let inner = s.get(inner_start..at).unwrap_or(&[]);
                let parsed = if toml { toml::front_matter(inner, cfg) } else { yaml::front_matter(inner, cfg) };
                match parsed {
                    Ok(front) => {
                        self.front = front;
                        self.pos = at + next;
                    }
                    Err(e) if e.code() == Code::OutOfMemory => return Err(e),
                    Err(_) => self.bad_front = true,
                }
                return Ok(());
            }
            at += next;
        }
        Ok(())
    }

    /// Gathers the labels of link reference definitions (`[label]: url`), which may come
    /// after their uses: `[text][label]` and `[label]` are links only when defined.
    fn collect_defs(&mut self) -> Result<()> {
        let s = self.src.as_bytes();
        let mut at = self.pos;
        let mut n = 0;
        while at < s.len() {
            let rest = s.get(at..).unwrap_or(&[]);
            let (end, next) = line_end(rest);
            at += next;
            let line = rest.get(..end).unwrap_or(&[]);
            let t = line.trim_ascii_start();
            if line.len() - t.len() > 3 {
                continue;
            }
            if let Some((label, _)) = def_label(t) {
                n += 1;
                if n > self.max_objects {
                    return Err(limit("markdown: link definitions exceed max_objects"));
                }
                self.defs.set(label_hash(label), 1)?;
            }
        }
        Ok(())
    }

    fn emit_front(&mut self, sink: &mut Sink) -> Result<()> {
        let all = &self.front;
        if all.len() > MAX_FRONT {
            sink.warning("markdown", "front matter has more than 256 fields; the rest are dropped")?;
        }
        let front = all.get(..MAX_FRONT).unwrap_or(all);
        let subject = front.iter().any(|(k, _)| k == "subject");
        // Every field's name, taken or not: the first field to take a name keeps it.
        let mut names = Vec::new();
        for field in front {
            let n = front_name(field, subject);
            let taken = has(&OWN_KEYS, n) || has(&names, n);
            push_item(&mut names, n)?;
            if taken {
                continue;
            }
            if n == "title" {
                // A title from the front matter wins over the first heading.
                self.title = usize::MAX;
            }
            let mut items = Vec::new();
            match &field.1 {
                FrontValue::Str(s) if !has(&["keywords", "tags"], n) => {
                    sink.meta_str(n, s)?;
                    continue;
                }
                FrontValue::Str(s) => {
                    // Split at commas by bytes: a `char` pattern would bring its searcher. (The
                    // cuts are at an ASCII byte, so on character boundaries.)
                    let mut rest = s.as_str();
                    loop {
                        let cut = rest.bytes().position(|b| b == b',').unwrap_or(rest.len());
                        let k = trim(rest.get(..cut).unwrap_or(""));
                        if !k.is_empty() {
                            push_item(&mut items, k)?;
                        }
                        let Some(r) = rest.get(cut + 1..) else { break };
                        rest = r;
                    }
                }
                FrontValue::List(list) => {
                    for item in list {
                        push_item(&mut items, item)?;
                    }
                }
            }
            sink.meta_list(n, &items)?;
        }
        Ok(())
    }

    fn emit_stats(&mut self, sink: &mut Sink) -> Result<()> {
        if let Some(t) = self.headers.get(self.title.wrapping_sub(1)) {
            sink.meta_str("title", t)?;
        }
        if !self.headers.is_empty() {
            let mut items = Vec::new();
            for h in &self.headers {
                push_item(&mut items, h)?;
            }
            sink.meta_list("headers", &items)?;
        }
        self.counts.emit(sink)?;
        sink.meta_int("link_count", self.links)?;
        sink.meta_int("code_block_count", self.code_blocks)
    }

    /// Gives up to [`PIECE`] bytes of the gathered content to the sink, and the pending table
    /// record once its place in the text is reached. The text is counted, and loses the C0
    /// control characters other than tab and line feed on the way (as plain text does).
    fn send(&mut self, sink: &mut Sink) -> Result<()> {
        let at = self.table.as_ref().map_or(self.out.len(), |t| t.0);
        let mut end = at.min(self.sent + PIECE);
        while !self.out.is_char_boundary(end) {
            end -= 1;
        }
        if end > self.sent {
            let mut piece = String::new();
            reserve_str(&mut piece, end - self.sent)?;
            for c in self.out.get(self.sent..end).unwrap_or("").chars() {
                if c >= ' ' || c == '\n' || c == '\t' {
                    self.counts.add(c);
                    piece.push(c);
                }
            }
            sink.text(&piece)?;
            self.sent = end;
        }
        // The text after a table goes out with a later step.
        if at <= self.sent {
            match self.table.take() {
                Some((_, Some(t))) => sink.table(&t)?,
                Some(_) => sink.warning("markdown", "table too large for a table record; kept as text")?,
                None => {}
            }
        }
        if self.sent == self.out.len() {
            self.out.clear();
            self.sent = 0;
        }
        Ok(())
    }

    /// Appends to the content (a paragraph can be as large as the document: grown fallibly).
    fn put(&mut self, s: &str) -> Result<()> {
        append(&mut self.out, s)
    }

    /// Appends `s` and a line break.
    fn put_line(&mut self, s: &str) -> Result<()> {
        self.put(s)?;
        self.put("\n")
    }

    /// Plain mode: starts an output block, after a blank line if one is owed.
    fn block(&mut self) -> Result<()> {
        if core::mem::take(&mut self.blank_out) && (!self.out.is_empty() || self.counts.chars > 0) {
            self.put("\n")?;
        }
        Ok(())
    }

    /// One line of the document (without its line break).
    fn line(&mut self, line: &str) -> Result<()> {
        // Container: block quote marks.
        let mut rest = line;
        let mut quote = 0;
        // An open fence's lines without the marks of the quotes it is in.
        let fence_quote = self.fence.map_or(0, |f| f.quote);
        let mut inner = line;
        loop {
            if quote == fence_quote {
                inner = rest;
            }
            let Some(r) = strip_quote(rest) else { break };
            rest = r;
            quote += 1;
        }
        if let Some(f) = self.fence {
            if quote >= f.quote {
                let (cols, n) = indent(inner);
                if cols <= 3 + f.indent && closes_fence(inner.get(n..).unwrap_or(""), f) {
                    self.fence = None;
                    self.blank_out = true;
                } else if self.plain {
                    self.put_line(drop_columns(inner, f.indent))?;
                }
                return Ok(());
            }
            self.fence = None;
        }
        if self.comment {
            self.comment = find(line.as_bytes(), b"-->").is_none();
            return Ok(());
        }
        let (cols, indent_bytes) = indent(rest);
        let t = rest.get(indent_bytes..).unwrap_or("").trim_ascii_end();
        if t.is_empty() {
            self.end_block(0)?;
            self.skip_def_line = false;
            self.after_blank = true;
            self.blank_out = true;
            return Ok(());
        }
        if core::mem::take(&mut self.skip_def_line) {
            return Ok(());
        }
        let b = t.as_bytes();
        // An ordered item not starting at 1, or an empty item, cannot interrupt a paragraph.
        let marker = list_marker(b).filter(|&m| {
            self.para.is_empty()
                || !self.prefix.is_empty()
                || m < b.len()
                    && (b.first().is_some_and(|c| !c.is_ascii_digit()) || matches!(b, [b'1', b'.' | b')', ..]))
        });
        if cols == 0 && marker.is_none() && (self.after_blank || self.para.is_empty()) {
            self.in_list = false;
            self.ordered.clear();
        }
        let after_blank = core::mem::replace(&mut self.after_blank, false);
        if quote != self.para_quote {
            self.end_block(0)?;
        }
        if cols >= 4 {
            self.end_table()?;
        }
        // Indented code: not inside a paragraph or a list, where indentation means other things.
        if cols >= 4 && self.para.is_empty() && !self.in_list {
            if !self.indented_code {
                self.indented_code = true;
                self.code_blocks += 1;
            }
            if self.plain {
                self.block()?;
                self.put_line(drop_columns(rest, 4))?;
            }
            return Ok(());
        }
        if core::mem::take(&mut self.indented_code) {
            self.blank_out = true;
        }
        if cols <= 3 || self.in_list {
            if let Some((ch, len)) = opens_fence(b) {
                self.end_block(0)?;
                self.fence = Some(Fence { ch, len, indent: cols, quote });
                self.code_blocks += 1;
                self.blank_out |= after_blank;
                if self.plain {
                    self.block()?;
                }
                return Ok(());
            }
        }
        if cols <= 3 {
            if let Some((level, text)) = atx_heading(t) {
                self.end_block(0)?;
                self.para_line(text)?;
                return self.end_block(level);
            }
            if !self.para.is_empty() && self.prefix.is_empty() {
                if let Some(level) = setext_underline(b) {
                    return self.end_block(level);
                }
                if let Some(width) = delimiter_row(t) {
                    let last = self.para.bytes().rposition(|c| c == b'\n').map_or(0, |i| i + 1);
                    let header = self.para.get(last..).unwrap_or("");
                    if cells(header).count() == width {
                        return self.start_table(last, width);
                    }
                }
            }
            if thematic_break(b) {
                self.end_block(0)?;
                self.blank_out = true;
                return Ok(());
            }
            // What did not end the open table (a heading, fence or break) is one of its rows.
            if self.width > 0 {
                return self.table_row(t);
            }
            if b.starts_with(b"<!--") && find(b, b"-->").is_none() {
                self.end_block(0)?;
                self.comment = true;
                return Ok(());
            }
        }
        if let Some(m) = marker {
            self.end_block(0)?;
            self.in_list = true;
            self.para_quote = quote;
            if self.plain {
                self.prefix.extend_from_slice(rest.as_bytes().get(..indent_bytes).unwrap_or(&[]));
                self.item_marker(cols, b.get(..m).unwrap_or(&[]).trim_ascii_end());
            }
            self.prefix.push(b' ');
            return self.para_line(t.get(m..).unwrap_or("").trim_ascii_start());
        }
        if self.para.is_empty() && cols <= 3 {
            if let Some((_, dest)) = def_label(b) {
                // `[label]:` alone: the destination is on the next line.
                self.skip_def_line = blank(dest);
                return Ok(());
            }
        }
        self.para_quote = quote;
        self.para_line(t)
    }

    /// Plain mode: a list item's marker, `-` for bullets; ordered items are numbered on
    /// from their list's first number, as a renderer shows them (`1.` on every item is
    /// common in Markdown sources).
    fn item_marker(&mut self, cols: usize, mark: &[u8]) {
        let delim = mark.last().copied().filter(|c| matches!(c, b'.' | b')'));
        // Lists deeper than the item end; another kind of marker at the same level starts
        // another list.
        while self.ordered.last().is_some_and(|&(at, _, d)| at > cols || at == cols && Some(d) != delim) {
            self.ordered.pop();
        }
        let Some(delim) = delim else {
            self.prefix.push(b'-');
            return;
        };
        let n = match self.ordered.last_mut().filter(|(at, _, _)| *at == cols) {
            Some((_, next, _)) => {
                *next = next.saturating_add(1);
                *next - 1
            }
            None => {
                let start =
                    mark.iter().take_while(|d| d.is_ascii_digit()).fold(0u32, |n, d| n * 10 + (d - b'0') as u32);
                if self.ordered.len() < self.max_depth {
                    self.ordered.push((cols, start.saturating_add(1), delim));
                }
                start
            }
        };
        crate::json::push_uint(&mut self.prefix, n as usize);
        self.prefix.push(delim);
    }

    fn para_line(&mut self, text: &str) -> Result<()> {
        reserve_str(&mut self.para, text.len() + 1)?;
        if !self.para.is_empty() {
            self.para.push('\n');
        }
        self.para.push_str(text);
        Ok(())
    }

    /// Ends the open table, or the open paragraph: renders its inline syntax, as a heading
    /// of `level` (trimmed; not one when it comes out empty) or a paragraph (level 0).
    /// Plain mode writes the result.
    fn end_block(&mut self, level: usize) -> Result<()> {
        self.end_table()?;
        if self.para.is_empty() && self.prefix.is_empty() {
            return Ok(());
        }
        // An error ends the extraction: the state need not be tidy after one.
        let mut text = String::new();
        render(&self.para, &mut text, &self.defs, self.max_depth, &mut self.links)?;
        self.para.clear();
        let mut t = text.as_str();
        if level > 0 {
            t = trim(t);
            if !t.is_empty() {
                self.headers.try_reserve(1).map_err(|_| oom())?;
                self.headers.push(String::from(t));
                if level == 1 && self.title == 0 {
                    self.title = self.headers.len();
                }
            }
        }
        if self.plain && (level == 0 || !t.is_empty()) {
            self.block()?;
            // ASCII only: indentation, a marker, a space.
            append(&mut self.out, core::str::from_utf8(&self.prefix).unwrap_or(""))?;
            self.put_line(t)?;
            // List items stay together; other blocks are separated.
            self.blank_out = self.prefix.is_empty();
        }
        self.prefix.clear();
        Ok(())
    }

    /// Starts a table whose header row is the paragraph's last line (from byte `last`).
    fn start_table(&mut self, last: usize, width: usize) -> Result<()> {
        let header = String::from(self.para.get(last..).unwrap_or(""));
        self.para.truncate(last.saturating_sub(1));
        self.end_block(0)?;
        self.width = width;
        self.table_row(&header)
    }

    /// Adds a row to the open table (plain mode writes it, its cells tab-separated).
    fn table_row(&mut self, line: &str) -> Result<()> {
        if self.plain {
            self.block()?;
        }
        let mut row = Vec::new();
        for cell in cells(line).take(self.width) {
            self.cells += 1;
            if self.cells > self.max_objects {
                return Err(limit("markdown: table cells exceed max_objects"));
            }
            let mut text = String::new();
            render(trim(cell), &mut text, &self.defs, self.max_depth, &mut self.links)?;
            if self.plain {
                if !row.is_empty() {
                    self.put("\t")?;
                }
                self.put(&text)?;
            }
            row.try_reserve(1).map_err(|_| oom())?;
            row.push(text);
        }
        if self.plain {
            self.put("\n")?;
        }
        self.rows.try_reserve(1).map_err(|_| oom())?;
        self.rows.push(row);
        Ok(())
    }

    /// Ends the open table: its record waits for the text before it to go out first.
    fn end_table(&mut self) -> Result<()> {
        let width = core::mem::take(&mut self.width);
        if width == 0 {
            return Ok(());
        }
        let rows = core::mem::take(&mut self.rows);
        self.blank_out = true;
        // The record's Markdown pads every row to the widest, so rows × width is held to the
        // object limit too; a larger table stays in the text only (with a warning).
        let record = if rows.len().saturating_mul(width) > self.max_objects {
            None
        } else {
            let markdown = crate::markdown::table(&rows)?;
            Some(Table { rows, markdown, page_number: 0 })
        };
        self.table = Some((self.out.len(), record));
        Ok(())
    }
}

/// Renders Markdown inline syntax as plain text onto `out`, counting links. The end of
/// each link's text is kept on a stack (bounded by `max_depth`) so nested links and
/// images need no recursion. A function, not a method, so a paragraph can be rendered from
/// the state it lives in.
fn render(s: &str, out: &mut String, defs: &HashCounts, max_depth: usize, links: &mut usize) -> Result<()> {
    reserve_str(out, s.len())?;
    let mut r = Inline::new(s, defs);
    let mut closers: Vec<(usize, usize)> = Vec::new();
    let b = s.as_bytes();
    let (mut i, mut lit) = (0, 0);
    while let Some(&c) = b.get(i) {
        if let Some(&(close, end)) = closers.last() {
            if i >= close {
                push_range(out, s, lit, close.max(lit));
                closers.pop();
                i = end.max(i);
                lit = i;
                continue;
            }
        }
        if !matches!(c, b'\\' | b'`' | b'*' | b'_' | b'~' | b'!' | b'[' | b'<' | b'&') {
            i += 1;
            continue;
        }
        push_range(out, s, lit, i);
        lit = i;
        // What the markup at `i` becomes (skipping to `next`), if it is markup.
        let mut next = i + 1;
        match c {
            b'\\' => match b.get(i + 1) {
                Some(&n) if n.is_ascii_punctuation() || n == b'\n' => {
                    out.push(n as char);
                    next = i + 2;
                    lit = next;
                }
                _ => {}
            },
            b'`' => {
                let n = run(b, i, b'`');
                next = i + n;
                if let Some(end) = r.code_span_end(next, n) {
                    push_code(out, s.get(next..end).unwrap_or(""));
                    next = end + n;
                    lit = next;
                }
            }
            b'*' | b'_' | b'~' => {
                let n = run(b, i, c);
                next = i + n;
                // A run that opens or closes (flanking on exactly one side) is markup.
                if flanks_one_side(b, i, next) && (c != b'~' || n <= 2) {
                    lit = next;
                }
            }
            b'!' | b'[' => {
                let image = c == b'!';
                let open = i + image as usize;
                if b.get(open) == Some(&b'[') {
                    next = open + 1;
                    if let Some(closer) = r.link(open).filter(|_| closers.len() < max_depth) {
                        *links += !image as usize;
                        closers.try_reserve(1).map_err(|_| oom())?;
                        closers.push(closer);
                        lit = next;
                    }
                }
            }
            b'<' => {
                if let Some((end, text)) = r.angle(i) {
                    out.push_str(text.unwrap_or(""));
                    *links += text.is_some() as usize;
                    next = end;
                    lit = end;
                }
            }
            _ => {
                if let Some((ch, end)) = entity(b, i) {
                    out.push(ch);
                    next = end;
                    lit = end;
                }
            }
        }
        i = next;
    }
    push_range(out, s, lit, s.len());
    Ok(())
}

/// Lookahead over one paragraph's inline syntax. Every byte a scan reads is charged to
/// `budget`, a small multiple of the paragraph's length: once it is spent the rest of the
/// paragraph is literal text, so `[[[[...` or `[a](` repeated cannot take quadratic time.
struct Inline<'s> {
    s: &'s str,
    budget: usize,
    defs: &'s HashCounts,
    /// The current scan started at `from`, may not read at or past `end`, and read as far
    /// as `reach`.
    from: usize,
    end: usize,
    reach: usize,
}

impl<'s> Inline<'s> {
    fn new(s: &'s str, defs: &'s HashCounts) -> Inline<'s> {
        // One more than the budget: the first scan pays for the empty one before it.
        let budget = s.len().saturating_mul(4).saturating_add(4097);
        Inline { s, budget, defs, from: 0, end: 0, reach: 0 }
    }

    /// Starts a scan from `from`, first charging the previous scan with what it read (the
    /// budget is only read here, so a scan's charge can wait for the next one).
    #[inline(never)]
    fn begin(&mut self, from: usize) {
        self.budget = self.budget.saturating_sub(self.reach - self.from + 1);
        self.end = from.saturating_add(self.budget).min(self.s.len());
        self.from = from;
        self.reach = from;
    }

    /// The byte at `j`, if the scan may read it.
    fn byte(&mut self, j: usize) -> Option<u8> {
        if j >= self.end {
            return None;
        }
        self.reach = self.reach.max(j);
        self.s.as_bytes().get(j).copied()
    }

    /// Where the code span whose opening run of `n` backticks ends at `from` closes.
    fn code_span_end(&mut self, from: usize, n: usize) -> Option<usize> {
        self.begin(from);
        let mut j = from;
        loop {
            self.byte(j)?;
            let mut m = 0;
            while self.byte(j + m) == Some(b'`') {
                m += 1;
            }
            if m == n {
                return Some(j);
            }
            j += m.max(1);
        }
    }

    /// A link or image whose text starts with the `[` at `open`: the position of its `]`
    /// and of the end of what follows (destination and title, or reference label).
    fn link(&mut self, open: usize) -> Option<(usize, usize)> {
        let close = self.bracket_end(open)?;
        let text = self.s.as_bytes().get(open + 1..close)?;
        let after = close + 1;
        match self.s.as_bytes().get(after) {
            Some(b'(') => {
                if let Some(end) = self.tail(after + 1) {
                    return Some((close, end));
                }
            }
            Some(b'[') => {
                if let Some(end) = self.bracket_end(after) {
                    let label = self.s.as_bytes().get(after + 1..end)?;
                    let label = if blank(label) { text } else { label };
                    if self.defined(label) {
                        return Some((close, end + 1));
                    }
                }
            }
            _ => {}
        }
        self.defined(text).then_some((close, after))
    }

    fn defined(&self, label: &[u8]) -> bool {
        !blank(label) && self.defs.get(label_hash(label)).is_ok_and(|v| v > 0)
    }

    /// The `]` matching the `[` at `open` (brackets nest; backslash escapes skip a byte).
    fn bracket_end(&mut self, open: usize) -> Option<usize> {
        self.begin(open);
        let (mut depth, mut j) = (0usize, open);
        loop {
            match self.byte(j)? {
                b'\\' => j += 1,
                b'[' => depth += 1,
                b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(j);
                    }
                }
                _ => {}
            }
            j += 1;
        }
    }

    /// `(destination "title")` from just after the `(`: the position after the `)`.
    fn tail(&mut self, from: usize) -> Option<usize> {
        self.begin(from);
        let mut j = self.space(from);
        if self.byte(j)? == b'<' {
            loop {
                j += 1;
                match self.byte(j)? {
                    b'>' => break,
                    b'\n' | b'<' => return None,
                    b'\\' => j += 1,
                    _ => {}
                }
            }
            j += 1;
        } else {
            let mut depth = 0usize;
            loop {
                match self.byte(j)? {
                    b'(' => depth += 1,
                    b')' if depth == 0 => break,
                    b')' => depth -= 1,
                    b'\\' => j += 1,
                    c if c <= b' ' => break,
                    _ => {}
                }
                j += 1;
            }
        }
        let k = self.space(j);
        j = match self.byte(k)? {
            q @ (b'"' | b'\'' | b'(') => {
                let close = if q == b'(' { b')' } else { q };
                let mut t = k + 1;
                loop {
                    match self.byte(t)? {
                        b'\\' => t += 1,
                        c if c == close => break,
                        _ => {}
                    }
                    t += 1;
                }
                self.space(t + 1)
            }
            _ => k,
        };
        (self.byte(j)? == b')').then_some(j + 1)
    }

    /// Skips spaces, tabs and at most one line break from `j`.
    fn space(&mut self, mut j: usize) -> usize {
        let mut newline = false;
        while let Some(c) = self.byte(j) {
            match c {
                b' ' | b'\t' => {}
                b'\n' if !newline => newline = true,
                _ => break,
            }
            j += 1;
        }
        j
    }

    /// What starts with the `<` at `i`: an autolink (its end and its text), an HTML tag or
    /// comment (its end), or nothing.
    fn angle(&mut self, i: usize) -> Option<(usize, Option<&'s str>)> {
        self.begin(i);
        let next = self.byte(i + 1)?;
        if next == b'!' && self.byte(i + 2)? == b'-' && self.byte(i + 3)? == b'-' {
            // The first `>` after two dashes of the comment's own.
            let (mut j, mut dashes) = (i + 4, 0);
            loop {
                match self.byte(j)? {
                    b'>' if dashes >= 2 => return Some((j + 1, None)),
                    b'-' => dashes += 1,
                    _ => dashes = 0,
                }
                j += 1;
            }
        }
        if !(next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?')) {
            return None;
        }
        // A tag ends at the first `>` outside quoted attribute values.
        let mut j = i + 1;
        let (mut quote, mut space, mut at, mut colon) = (0u8, false, false, 0);
        loop {
            let c = self.byte(j)?;
            match c {
                _ if quote != 0 => quote = if c == quote { 0 } else { quote },
                b'>' => break,
                b'<' => return None,
                b'"' | b'\'' if space => quote = c,
                b'@' => at = true,
                b':' if colon == 0 => colon = j - i,
                c if c <= b' ' => space = true,
                _ => {}
            }
            j += 1;
        }
        // An autolink: `<scheme:...>` (a scheme of two or more letters, digits, `+.-`) or
        // `<user@host>`, without spaces.
        let scheme = self.s.as_bytes().get(i + 1..i + colon).unwrap_or(&[]);
        let scheme_ok =
            scheme.len() >= 2 && scheme.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'));
        let autolink = !space && (at || scheme_ok);
        Some((j + 1, self.s.get(i + 1..j).filter(|_| autolink)))
    }
}

/// The metadata name of a front matter field (`subject`: the front matter has one).
fn front_name((key, value): &(String, FrontValue), subject: bool) -> &str {
    let k = key.as_str();
    if k == "author" && matches!(value, FrontValue::List(_)) {
        return "authors";
    }
    if k == "description" && subject {
        return k;
    }
    RENAME.iter().find(|(from, _)| *from == k).map_or(k, |(_, to)| to)
}

/// Whether `list` holds `n` (`contains` on a slice of strings is a generic loop of its own
/// in the module).
#[allow(clippy::manual_contains)]
fn has(list: &[&str], n: &str) -> bool {
    list.iter().any(|k| *k == n)
}

/// Adds a string to a metadata list (grown fallibly: a list is as long as the input allows).
fn push_item<'x>(v: &mut Vec<&'x str>, item: &'x str) -> Result<()> {
    v.try_reserve(1).map_err(|_| oom())?;
    v.push(item);
    Ok(())
}

/// Where the first line of `s` ends, and where the next starts (after `\n`, `\r\n` or `\r`).
fn line_end(s: &[u8]) -> (usize, usize) {
    (tree_text::line_end(s, 0), tree_text::next_line(s, 0))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A link reference definition (`[label]: destination`, not a footnote's `[^1]:`): its
/// label and what follows the `]:`.
fn def_label(t: &[u8]) -> Option<(&[u8], &[u8])> {
    if t.first() != Some(&b'[') || t.get(1) == Some(&b'^') {
        return None;
    }
    // A label holds no brackets: the first one after the `[` must be the `]:`.
    let close = 1 + t.get(1..)?.iter().position(|&c| c == b']' || c == b'[')?;
    let label = t.get(1..close)?;
    if t.get(close) != Some(&b']') || t.get(close + 1) != Some(&b':') || blank(label) || label.len() > 999 {
        return None;
    }
    Some((label, t.get(close + 2..)?))
}

/// A label as link matching compares them: ASCII case folded, runs of white space as one
/// space, none at the ends.
fn label_hash(label: &[u8]) -> u64 {
    let mix = |h: u64, b: u8| (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    // `space`: white space was skipped since the last character; `inner`: one was written
    // (white space at the start is never written, at the end is never followed).
    let (mut space, mut inner) = (false, false);
    for &b in label {
        if b.is_ascii_whitespace() {
            space = true;
            continue;
        }
        if core::mem::take(&mut space) && inner {
            h = mix(h, b' ');
        }
        inner = true;
        h = mix(h, b.to_ascii_lowercase());
    }
    h
}

/// Appends `s` to `out`, grown fallibly.
fn append(out: &mut String, s: &str) -> Result<()> {
    reserve_str(out, s.len())?;
    out.push_str(s);
    Ok(())
}

/// Appends `s[from..to]` (one out-of-line copy for the inline renderer's many flushes).
#[inline(never)]
fn push_range(out: &mut String, s: &str, from: usize, to: usize) {
    out.push_str(s.get(from..to).unwrap_or(""));
}

/// `s` without ASCII white space at either end (`str::trim_ascii` would bring another copy
/// of both loops).
fn trim(s: &str) -> &str {
    s.trim_ascii_start().trim_ascii_end()
}

/// Whether `b` is all ASCII white space.
fn blank(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_whitespace)
}

/// Bytes of the run of `c` starting at `i`.
fn run(b: &[u8], i: usize, c: u8) -> usize {
    b.get(i..).unwrap_or(&[]).iter().take_while(|&&x| x == c).count()
}

/// Whether the delimiter run `b[start..end]` is left- or right-flanking but not both
/// (CommonMark). With the characters around it classed as white space (or nothing),
/// punctuation or other, that is exactly when the two classes differ. Only ASCII is
/// classified; other characters count as letters.
fn flanks_one_side(b: &[u8], start: usize, end: usize) -> bool {
    let class = |c: Option<&u8>| match c {
        None => 0,
        Some(c) if c.is_ascii_whitespace() => 0,
        Some(c) if c.is_ascii_punctuation() => 1,
        _ => 2,
    };
    class(start.checked_sub(1).and_then(|i| b.get(i))) != class(b.get(end))
}

/// A code span's content: line breaks become spaces, and one space is stripped from each
/// end when both ends have one and the content is not all spaces.
fn push_code(out: &mut String, code: &str) {
    let b = code.as_bytes();
    let edge = |c: Option<&u8>| matches!(c, Some(b' ' | b'\n'));
    let strip = b.len() >= 2 && edge(b.first()) && edge(b.last()) && !b.iter().all(|&c| c == b' ' || c == b'\n');
    let code = if strip { code.get(1..code.len() - 1).unwrap_or(code) } else { code };
    for c in code.chars() {
        out.push(if c == '\n' { ' ' } else { c });
    }
}

/// The named character references resolved (a table: a `match` on byte strings compiles to
/// more code).
const ENTITIES: [(&[u8], char); 6] =
    [(b"amp", '&'), (b"lt", '<'), (b"gt", '>'), (b"quot", '"'), (b"apos", '\''), (b"nbsp", '\u{a0}')];

/// An entity or numeric character reference at `i`: the character and the end.
fn entity(b: &[u8], i: usize) -> Option<(char, usize)> {
    let semi = i + b.get(i..)?.iter().take(34).position(|&c| c == b';')?;
    let name = b.get(i + 1..semi)?;
    let Some(num) = name.strip_prefix(b"#") else {
        return Some((ENTITIES.iter().find(|e| e.0 == name)?.1, semi + 1));
    };
    let (digits, radix, max) = match num {
        [b'x' | b'X', hex @ ..] => (hex, 16, 6),
        _ => (num, 10, 7),
    };
    if digits.is_empty() || digits.len() > max {
        return None;
    }
    let mut v: u32 = 0;
    for &d in digits {
        v = v * radix + (d as char).to_digit(radix)?;
    }
    Some((char::from_u32(v).filter(|&c| c != '\0').unwrap_or('\u{fffd}'), semi + 1))
}

/// Columns of leading indentation (a tab advances to the next multiple of 4) and its bytes.
/// (This and `drop_columns` are inlined: a call to them costs as much as theirs to `columns`.)
#[inline(always)]
fn indent(s: &str) -> (usize, usize) {
    columns(s, usize::MAX)
}

/// `s` without up to `n` columns of indentation.
#[inline(always)]
fn drop_columns(s: &str, n: usize) -> &str {
    s.get(columns(s, n).1..).unwrap_or("")
}

/// Leading indentation up to `max` columns (a tab may pass it): its columns and bytes.
fn columns(s: &str, max: usize) -> (usize, usize) {
    let mut cols = 0;
    for (i, b) in s.bytes().enumerate() {
        if cols >= max || !matches!(b, b' ' | b'\t') {
            return (cols, i);
        }
        cols += if b == b'\t' { 4 - cols % 4 } else { 1 };
    }
    (cols, s.len())
}

/// The line after one block quote mark (up to 3 spaces, `>`, an optional space).
fn strip_quote(s: &str) -> Option<&str> {
    let (cols, n) = indent(s);
    if cols > 3 || s.as_bytes().get(n) != Some(&b'>') {
        return None;
    }
    let t = s.get(n + 1..)?;
    Some(t.strip_prefix(' ').unwrap_or(t))
}

/// An opening code fence: its character and length. (`iter().any`: `contains` would bring
/// memchr into the module.)
#[allow(clippy::manual_contains)]
fn opens_fence(t: &[u8]) -> Option<(u8, usize)> {
    let ch = *t.first().filter(|&&c| c == b'`' || c == b'~')?;
    let n = run(t, 0, ch);
    let info = t.get(n..).unwrap_or(&[]);
    (n >= 3 && !(ch == b'`' && info.iter().any(|&c| c == b'`'))).then_some((ch, n))
}

fn closes_fence(t: &str, f: Fence) -> bool {
    let n = run(t.as_bytes(), 0, f.ch);
    n >= f.len && t.get(n..).is_some_and(|r| blank(r.as_bytes()))
}

/// An ATX heading: its level and text (closing `#`s removed). `t` has no trailing white
/// space.
fn atx_heading(t: &str) -> Option<(usize, &str)> {
    let b = t.as_bytes();
    let level = run(b, 0, b'#');
    if level == 0 || level > 6 || !matches!(b.get(level), None | Some(b' ' | b'\t')) {
        return None;
    }
    // A closing run of `#`s goes when white space (or the opening run) precedes it.
    let mut end = b.len();
    while end > level && b.get(end - 1) == Some(&b'#') {
        end -= 1;
    }
    if end > level && !matches!(b.get(end - 1), Some(b' ' | b'\t')) {
        end = b.len();
    }
    Some((level, trim(t.get(level..end)?)))
}

fn setext_underline(t: &[u8]) -> Option<usize> {
    let ch = *t.first()?;
    let level = match ch {
        b'=' => 1,
        b'-' => 2,
        _ => return None,
    };
    t.iter().all(|&b| b == ch).then_some(level)
}

fn thematic_break(t: &[u8]) -> bool {
    let Some(&ch) = t.first() else { return false };
    if !matches!(ch, b'*' | b'-' | b'_') {
        return false;
    }
    let mut n = 0;
    for &b in t {
        if b == ch {
            n += 1;
        } else if b != b' ' && b != b'\t' {
            return false;
        }
    }
    n >= 3
}

/// A list item marker (`-`, `+`, `*`, `1.`, `1)`): the bytes up to the item's text.
fn list_marker(b: &[u8]) -> Option<usize> {
    let n = match b.first()? {
        b'-' | b'+' | b'*' => 1,
        b'0'..=b'9' => {
            let d = b.iter().take_while(|c| c.is_ascii_digit()).count();
            if d > 9 || !matches!(b.get(d), Some(b'.' | b')')) {
                return None;
            }
            d + 1
        }
        _ => return None,
    };
    match b.get(n) {
        None => Some(n),
        Some(b' ' | b'\t') => Some(n + 1),
        _ => None,
    }
}

/// A GFM table delimiter row (`| --- | :-: |`): its number of cells. (`iter().any`:
/// `contains` on bytes would bring memchr into the module.)
#[allow(clippy::manual_contains)]
fn delimiter_row(t: &str) -> Option<usize> {
    if !t.bytes().any(|c| c == b'|') {
        return None;
    }
    let mut n = 0;
    for c in cells(t) {
        // Dashes, with a colon allowed at either end.
        let c = trim(c).as_bytes();
        let last = c.len().wrapping_sub(1);
        let ok = |(k, &b): (usize, &u8)| b == b'-' || b == b':' && (k == 0 || k == last);
        if !c.iter().any(|&b| b == b'-') || !c.iter().enumerate().all(ok) {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// A table row's cells: split at each `|` not escaped by a backslash, without the outer
/// pipes. An iterator, so a hostile row of millions of cells allocates nothing.
fn cells(line: &str) -> Cells<'_> {
    let t = trim(line);
    let t = t.strip_prefix('|').unwrap_or(t);
    // The closing pipe, unless escaped (bytes: `strip_suffix`/`ends_with` bring a `char`
    // pattern's code).
    let (b, n) = (t.as_bytes(), t.len());
    let cut = b.last() == Some(&b'|') && b.get(n.wrapping_sub(2)) != Some(&b'\\');
    Cells { rest: t.get(..n - cut as usize) }
}

struct Cells<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for Cells<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let t = self.rest?;
        let mut escaped = false;
        for (i, b) in t.bytes().enumerate() {
            if b == b'|' && !escaped {
                self.rest = t.get(i + 1..);
                return t.get(..i);
            }
            escaped = b == b'\\' && !escaped;
        }
        self.rest = None;
        Some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arena::Arena;
    use crate::records::Kind;
    use crate::stream::Stream;

    struct Run {
        text: String,
        meta: Vec<String>,
        tables: Vec<String>,
        warnings: Vec<String>,
    }

    fn run_cfg(doc: &[u8], cfg: &Config) -> Result<Run> {
        let mut arena = Arena::new();
        let mut s = Stream::open(doc, Some(b"text/markdown"), cfg, &mut arena)?;
        let mut r = Run { text: String::new(), meta: Vec::new(), tables: Vec::new(), warnings: Vec::new() };
        loop {
            let kind = s.next(0)?;
            let payload = String::from_utf8(s.payload().to_vec()).unwrap();
            match kind {
                Kind::End => break,
                Kind::Text => r.text.push_str(&payload),
                Kind::Metadata => r.meta.push(payload),
                Kind::Table => r.tables.push(payload),
                Kind::Warning => r.warnings.push(payload),
                _ => {}
            }
        }
        Ok(r)
    }

    fn plain(doc: &str) -> String {
        run_cfg(doc.as_bytes(), &Config { plain: true, ..Config::default() }).unwrap().text
    }

    fn md(doc: &str) -> Run {
        run_cfg(doc.as_bytes(), &Config::default()).unwrap()
    }

    fn corpus(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../shared/corpus/documents/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn plain_strips_inline_markup() {
        assert_eq!(plain("Some **bold**, *em*, _under_ and ~~gone~~ text."), "Some bold, em, under and gone text.\n");
        assert_eq!(plain("snake_case_name and 2 * 3 and a*b"), "snake_case_name and 2 * 3 and a*b\n");
        assert_eq!(plain("A [link](http://x.org \"T\") and ![alt *text*](i.png)."), "A link and alt text.\n");
        assert_eq!(plain("Use `a *b*` or ``x ` y``."), "Use a *b* or x ` y.\n");
        assert_eq!(plain("`<div>`"), "<div>\n");
        assert_eq!(plain("\\*not em\\* &amp; &#169; &#x41; &bogus;"), "*not em* & © A &bogus;\n");
        assert_eq!(plain("<http://a.b/c> <x@y.z> <b>bold</b> <!-- hidden -->end"), "http://a.b/c x@y.z bold end\n");
        assert_eq!(plain("[Ward's](http://en.wikipedia.org/wiki/Ward's_method)"), "Ward's\n");
        assert_eq!(plain("a [b] c [d](<e f>) g"), "a [b] c d g\n");
    }

    #[test]
    fn plain_blocks() {
        let doc = "# Title #\n\nPara one\ncontinues.\n\nSetext\n======\n\n> quoted *text*\n> more\n\n- item *one*\n- item two\n  1. nested\n\n```rust\nlet x = *y;\n```\n\n    indented code\n\n---\n\n[ref]: http://example.com\n";
        assert_eq!(
            plain(doc),
            "Title\n\nPara one\ncontinues.\n\nSetext\n\nquoted text\nmore\n\n- item one\n- item two\n  1. nested\n\nlet x = *y;\n\nindented code\n"
        );
    }

    #[test]
    fn ordered_lists_are_numbered() {
        let doc = "1. a\n1. b\n   - c\n   - d\n1. e\n\n7) x\n7) y\n\nz\n\n1. again\n";
        assert_eq!(plain(doc), "1. a\n2. b\n   - c\n   - d\n3. e\n\n7) x\n8) y\n\nz\n\n1. again\n");
        assert_eq!(md(doc).text, doc);
    }

    #[test]
    fn reference_links_need_a_definition() {
        let doc = "[a][r] [b][] [c] [d][none] [e]\n\n[r]: /x\n[B]: /y\n[c]:\n  /z\n";
        assert_eq!(plain(doc), "a b c [d][none] [e]\n");
        let r = md(doc);
        assert!(r.meta.contains(&"{\"link_count\":3}".to_string()), "{:?}", r.meta);
    }

    #[test]
    fn markdown_mode_keeps_the_source() {
        let doc = "# Head\r\n\r\nText with *em* and [l](u).\r\n\r\n```\r\ncode\r\n```\r\n";
        let r = md(doc);
        assert_eq!(r.text, doc.replace("\r\n", "\n"));
        for m in [
            "{\"format_type\":\"text\"}",
            "{\"title\":\"Head\"}",
            "{\"headers\":[\"Head\"]}",
            "{\"link_count\":1}",
            "{\"code_block_count\":1}",
        ] {
            assert!(r.meta.contains(&m.to_string()), "{m} in {:?}", r.meta);
        }
    }

    #[test]
    fn tables_become_records() {
        let doc = "Intro line\n| A | B \\| C |\n|---|:-:|\n| 1 | *2* |\n| 3 |\nafter\n\nnext\n";
        let r = run_cfg(doc.as_bytes(), &Config { plain: true, ..Config::default() }).unwrap();
        assert_eq!(r.text, "Intro line\n\nA\tB | C\n1\t2\n3\nafter\n\nnext\n");
        assert_eq!(r.tables.len(), 1);
        assert!(
            r.tables[0].starts_with("{\"cells\":[[\"A\",\"B | C\"],[\"1\",\"2\"],[\"3\"],[\"after\"]]"),
            "{}",
            r.tables[0]
        );
        assert_eq!(md(doc).text, doc);
    }

    #[test]
    fn yaml_and_toml_front_matter() {
        let doc = "---\ntitle: My Doc\nauthor: Jane\ndate: 2024-01-15\ntags: [a, b]\nkeywords: x, y\ndescription: About\ncustom: v\nword_count: 99\n---\n# Heading\n\nBody.\n";
        let r = md(doc);
        assert_eq!(r.text, "# Heading\n\nBody.\n");
        for m in [
            "{\"title\":\"My Doc\"}",
            "{\"created_by\":\"Jane\"}",
            "{\"created_at\":\"2024-01-15\"}",
            "{\"tags\":[\"a\",\"b\"]}",
            "{\"keywords\":[\"x\",\"y\"]}",
            "{\"subject\":\"About\"}",
            "{\"custom\":\"v\"}",
            "{\"word_count\":3}",
        ] {
            assert!(r.meta.contains(&m.to_string()), "{m} in {:?}", r.meta);
        }
        assert_eq!(r.meta.iter().filter(|m| m.starts_with("{\"title\"")).count(), 1);
        let t = md("+++\ntitle = \"T\"\nauthors = [\"A\", \"B\"]\n+++\nText\n");
        assert_eq!(t.text, "Text\n");
        assert!(t.meta.contains(&"{\"authors\":[\"A\",\"B\"]}".to_string()), "{:?}", t.meta);
        // Not closed: no front matter, the lines are content.
        assert_eq!(md("---\ntitle: x\n").text, "---\ntitle: x\n");
    }

    #[test]
    fn legacy_and_utf16_input() {
        let r = run_cfg(b"# Caf\xe9\n", &Config::default()).unwrap();
        assert_eq!(r.text, "# Café\n");
        assert_eq!(r.warnings.len(), 1);
        let le: Vec<u8> = [0xff, 0xfe].into_iter().chain("*é*\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(run_cfg(&le, &Config { plain: true, ..Config::default() }).unwrap().text, "é\n");
    }

    #[test]
    fn hostile_input_ends_cleanly() {
        let cfg = Config { plain: true, ..Config::default() };
        // One 50 MB line, then patterns that would be quadratic without the lookahead budget
        // or deep without explicit stacks (smaller, so debug builds stay quick).
        let (big, mid) = (50 << 20, 4 << 20);
        let cases: Vec<Vec<u8>> = vec![
            "x".repeat(big).into_bytes(),
            "[".repeat(mid).into_bytes(),
            "[a](".repeat(mid / 4).into_bytes(),
            "[a](b \"".repeat(mid / 7).into_bytes(),
            ">".repeat(mid).into_bytes(),
            "`".repeat(mid).into_bytes(),
            "` ``".repeat(mid / 4).into_bytes(),
            "*a".repeat(mid / 2).into_bytes(),
            "<a ".repeat(mid / 3).into_bytes(),
            "<!--".repeat(mid / 4).into_bytes(),
            "|-".repeat(mid / 2).into_bytes(),
            "- ".repeat(mid / 2).into_bytes(),
            "1. ".repeat(mid / 3).into_bytes(),
            "  - a\n".repeat(mid / 6).into_bytes(),
            "```\n".repeat(mid / 4).into_bytes(),
            // Past the sniffer's window: a NUL and invalid UTF-8 (read as Windows-1252).
            [&b"a\n".repeat(5000)[..], &b"\xff\xfe\x00*x*\x01"[..]].concat(),
        ];
        for doc in &cases {
            let r = run_cfg(doc, &cfg);
            assert!(r.is_ok() || r.as_ref().err().map(|e| e.code()) == Some(Code::Limit), "{:?}", &doc[..8]);
        }
        // A table as wide as the input, then many one-cell rows: the cell limit stops it.
        let mut wide = "|a".repeat(1000);
        wide.push('\n');
        wide.push_str(&"|-".repeat(1000));
        wide.push('\n');
        wide.push_str(&"x\n".repeat(100_000));
        let small = Config { max_objects: 10_000, ..Config::default() };
        assert_eq!(run_cfg(wide.as_bytes(), &small).err().map(|e| e.code()), Some(Code::Limit));
    }

    #[test]
    fn corpus_documents() {
        let doc = corpus("extraction_test.md");
        let r = run_cfg(&doc, &Config { plain: true, ..Config::default() }).unwrap();
        assert!(r.text.starts_with("Comprehensive Extraction Test Document\n\nFirst Section\n\n"));
        assert!(r.text.contains("Header 1\tHeader 2\tHeader 3\nCell 1A\tCell 1B\tCell 1C\n"));
        assert!(!r.text.contains('#') && !r.text.contains('|'));
        assert_eq!(r.tables.len(), 2);
        assert!(r.tables[1].contains("[\"Apple\",\"$1.00\",\"10\"]"));
        let r = run_cfg(&doc, &Config::default()).unwrap();
        assert_eq!(r.text.as_bytes(), &doc[..]);
        assert!(r.meta.contains(&"{\"title\":\"Comprehensive Extraction Test Document\"}".to_string()));

        let r = run_cfg(&corpus("text/readme.md"), &Config { plain: true, ..Config::default() }).unwrap();
        assert!(r.text.contains("- example-10k.html - A 10-K SEC filing in HTML format\n"));
        assert!(r.text.contains("curl -O \\\n  -A '${organization} ${email}'\n"));
        let r = run_cfg(&corpus("text/simple_table.md"), &Config::default()).unwrap();
        assert!(r.tables[0].contains("[\"Juicy Apples\",\"1.99\",\"739\"]"), "{:?}", r.tables);
    }
}
