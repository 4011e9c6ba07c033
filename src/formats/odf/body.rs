//! The walker over `content.xml`. Each open element has a frame; paragraphs gather their
//! inline text (spans, links, spaces, tabs, fields' displayed text) in one line buffer and,
//! when they end, go where the nearest container says: a table cell, the notes gathered
//! for the end, or the document as a block (a heading, a list item with its number, a
//! paragraph). Paragraphs nested in a paragraph (a text box, a note) leave before it.
//! Tracked deletions are skipped (the text is the document as it stands), and so are
//! annotations and speaker notes unless the config asks for them.

use super::lists::{self, Numbering, Styles};
use super::meta;
use super::table::{Budget, Table};
use super::Kind;
use crate::config::Config;
use crate::error::{limit, oom, reserve_str, Code, Result};
use crate::formats::{Extractor, Step};
use crate::markdown;
use crate::sink::{self, Sink};
use crate::xml::{is_space, trim, Event, Reader, Tag};
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

pub const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
pub const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
pub const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
pub const DRAW: &str = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
pub const STYLE: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
pub const META: &str = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
const PRESENTATION: &str = "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0";
const SVG: &str = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";
const XLINK: &str = "http://www.w3.org/1999/xlink";

/// Input bytes read per step at most (a sheet or slide ends a step sooner).
const PIECE: usize = 64 * 1024;
/// Blocks written per step at most.
const BLOCKS_PER_STEP: usize = 256;
/// Spaces one `text:s` writes at most.
const MAX_SPACES: u32 = 256;
/// Sheet names listed in the metadata at most.
const MAX_SHEET_NAMES: usize = 1024;
/// The value attributes a cell without a paragraph shows, in order of preference.
const VALUES: [&str; 5] = ["string-value", "value", "date-value", "time-value", "boolean-value"];

enum Frame {
    /// An element with no meaning of its own here (a span, a section, a shape).
    Other,
    /// `text:p` or `text:h` (`heading` > 0): where its text starts in the line buffer, and
    /// the white-space state of the paragraph around it.
    Para {
        start: usize,
        heading: u8,
        outer_space: bool,
    },
    List {
        style: Option<usize>,
    },
    /// A list item: its label until its first paragraph takes it.
    Item {
        label: Option<String>,
    },
    Table {
        sheet: bool,
    },
    Row,
    /// A cell, with the value to show if it has no paragraph.
    Cell {
        fallback: String,
    },
    Note {
        citation: String,
    },
    Citation {
        start: usize,
    },
    /// A note's body, or an annotation (no citation): gathered for the end, its first
    /// paragraph led by the citation. The mark in the text stays as the document shows it
    /// (a number right after the word), which is also what text exports write.
    NoteBody {
        citation: String,
        first: bool,
    },
    Link {
        href: String,
    },
    /// A frame that holds a slide's title.
    Title,
    Page,
}

struct Open {
    frame: Frame,
    /// Character data here is paragraph text.
    text: bool,
}

/// What the last block written to the document was, for the blank line between blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Block,
    Item,
}

/// What a start tag asks of the reader.
enum Then {
    Read,
    Skip,
    ListStyle(String),
}

pub struct Odf {
    cfg: Config,
    src: Cow<'static, str>,
    meta: Option<Cow<'static, str>>,
    reader: Reader,
    started: bool,
    s: State,
}

/// Everything but the text and its reader, so events (which borrow those) can be handled.
struct State {
    kind: Kind,
    plain: bool,
    notes_on: bool,
    comments_on: bool,
    max_pages: u32,
    max_output: usize,
    styles: Styles,
    styles_warning: Option<&'static str>,
    numbering: Numbering,
    frames: Vec<Open>,
    line: String,
    /// Where the innermost paragraph's text starts in `line`.
    para: usize,
    /// White space seen in paragraph text since the last character written.
    space: bool,
    /// Scratch for a block being written.
    out: String,
    tables: Vec<Table>,
    budget: Budget,
    notes: String,
    last: Last,
    pages: u32,
    sheet_names: Vec<String>,
    /// A sheet or slide ended, or enough blocks were written: the step is over.
    unit_done: bool,
    blocks: usize,
}

impl Odf {
    pub fn new(
        kind: Kind,
        src: Cow<'static, str>,
        meta: Option<Cow<'static, str>>,
        styles: Styles,
        styles_warning: Option<&'static str>,
        cfg: &Config,
    ) -> Odf {
        let s = State {
            kind,
            plain: cfg.plain,
            notes_on: cfg.notes,
            comments_on: cfg.comments,
            max_pages: cfg.max_pages,
            max_output: cfg.max_output as usize,
            styles,
            styles_warning,
            numbering: Numbering::default(),
            frames: Vec::new(),
            line: String::new(),
            para: 0,
            space: false,
            out: String::new(),
            tables: Vec::new(),
            budget: Budget { used: 0, max: cfg.max_objects as u64, bytes: 0, max_bytes: cfg.max_output as u64 },
            notes: String::new(),
            last: Last::Nothing,
            pages: 0,
            sheet_names: Vec::new(),
            unit_done: false,
            blocks: 0,
        };
        Odf { cfg: cfg.clone(), src, meta, reader: Reader::new(cfg), started: false, s }
    }
}

impl Extractor for Odf {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        let Odf { cfg, src, meta, reader, started, s } = self;
        let src: &str = src;
        if !*started {
            *started = true;
            sink.meta_str("format_type", s.kind.name())?;
            if let Some(m) = meta.take() {
                // Properties are not the document: damaged ones are a warning.
                if let Err(e) = meta::emit(&m, cfg, sink) {
                    if matches!(e.code(), Code::OutOfMemory) {
                        return Err(e);
                    }
                    sink.warning("odf", "odf: meta.xml unreadable; properties skipped")?;
                }
            }
            if let Some(w) = s.styles_warning {
                sink.warning("odf", w)?;
            }
        }
        let stop = reader.pos().saturating_add(PIECE);
        s.unit_done = false;
        s.blocks = 0;
        loop {
            if s.unit_done || reader.pos() >= stop {
                return Ok(Step::More);
            }
            let progress = reader.elements() > 0;
            let then = match reader.next(src) {
                Ok(Event::Start(t)) => s.start(&t, sink)?,
                Ok(Event::End(_)) => {
                    s.end(sink)?;
                    Then::Read
                }
                Ok(Event::Text(t) | Event::CData(t)) => {
                    s.text(t)?;
                    Then::Read
                }
                Ok(Event::Eof) => break,
                // A part cut off inside markup: what came before it is the document.
                Err(e) if e.code() == Code::Corrupt && progress => {
                    sink.warning("odf", "odf: content.xml cut off; read what came before")?;
                    break;
                }
                Err(e) => return Err(e),
            };
            match then {
                Then::Read => {}
                Then::Skip => reader.skip(src)?,
                Then::ListStyle(name) => s.styles.read_style(reader, src, name)?,
            }
        }
        if reader.recovered() {
            sink.warning("odf", "odf: content.xml not well-formed; read what could be recovered")?;
        }
        s.finish(sink)?;
        Ok(Step::Done)
    }
}

fn attr(t: &Tag<'_, '_>, ns: &str, local: &str) -> Result<String> {
    let v = t.attr(ns, local)?;
    let v = v.as_deref().unwrap_or("");
    let mut s = String::new();
    reserve_str(&mut s, v.len())?;
    s.push_str(v);
    Ok(s)
}

fn count(t: &Tag<'_, '_>, ns: &str, local: &str) -> Result<u32> {
    Ok(t.attr(ns, local)?.map_or(1, |v| lists::number(&v)))
}

impl State {
    fn push(&mut self, frame: Frame, text: bool) -> Result<()> {
        self.frames.try_reserve(1).map_err(|_| oom())?;
        self.frames.push(Open { frame, text });
        Ok(())
    }

    fn in_text(&self) -> bool {
        self.frames.last().is_some_and(|o| o.text)
    }

    fn put(&mut self, s: &str) -> Result<()> {
        if self.line.len().saturating_add(s.len()) > self.max_output {
            return Err(limit("content exceeds max_output"));
        }
        reserve_str(&mut self.line, s.len())?;
        self.line.push_str(s);
        Ok(())
    }

    fn start(&mut self, t: &Tag<'_, '_>, sink: &mut Sink) -> Result<Then> {
        let (ns, local) = (t.name.ns, t.name.local);
        let inherit = self.in_text();
        let frame = if ns == TEXT {
            match local {
                "p" | "h" => {
                    let heading = match local {
                        "h" => count(t, TEXT, "outline-level")?.clamp(1, 6) as u8,
                        _ => 0,
                    };
                    let frame = Frame::Para { start: self.line.len(), heading, outer_space: self.space };
                    (self.para, self.space) = (self.line.len(), false);
                    return self.push(frame, true).map(|_| Then::Read);
                }
                "s" | "tab" | "line-break" if inherit => {
                    self.flush_space()?;
                    match local {
                        "s" => {
                            for _ in 0..count(t, TEXT, "c")?.clamp(1, MAX_SPACES) {
                                self.put(" ")?;
                            }
                        }
                        "tab" => self.put("\t")?,
                        _ => self.put("\n")?,
                    }
                    Frame::Other
                }
                "list" => self.start_list(t)?,
                "list-item" | "list-header" => self.start_item(local == "list-header")?,
                "note" => Frame::Note { citation: String::new() },
                "note-citation" => Frame::Citation { start: self.line.len() },
                "note-body" => {
                    let citation = match self.frames.last_mut() {
                        Some(Open { frame: Frame::Note { citation }, .. }) => core::mem::take(citation),
                        _ => String::new(),
                    };
                    return self.push(Frame::NoteBody { citation, first: true }, false).map(|_| Then::Read);
                }
                "a" if inherit && !self.plain => {
                    let href = attr(t, XLINK, "href")?;
                    if href.is_empty() {
                        Frame::Other
                    } else {
                        self.flush_space()?;
                        self.put("[")?;
                        Frame::Link { href }
                    }
                }
                "tracked-changes" | "deletion" => return Ok(Then::Skip),
                "list-style" => return Ok(Then::ListStyle(attr(t, STYLE, "name")?)),
                _ => Frame::Other,
            }
        } else if ns == TABLE {
            match local {
                "table" => return self.start_table(t, sink),
                "table-row" => {
                    let repeat = count(t, TABLE, "number-rows-repeated")?;
                    if let Some(table) = self.tables.last_mut() {
                        table.start_row(repeat as u64);
                    }
                    return self.push(Frame::Row, false).map(|_| Then::Read);
                }
                "table-cell" | "covered-table-cell" => {
                    let repeat = count(t, TABLE, "number-columns-repeated")?;
                    if let Some(table) = self.tables.last_mut() {
                        table.start_cell(repeat as u64);
                    }
                    let mut fallback = String::new();
                    for name in VALUES {
                        fallback = attr(t, OFFICE, name)?;
                        if !fallback.is_empty() {
                            break;
                        }
                    }
                    return self.push(Frame::Cell { fallback }, false).map(|_| Then::Read);
                }
                _ => Frame::Other,
            }
        } else if ns == DRAW && local == "page" {
            self.next_page(sink)?;
            return self.push(Frame::Page, false).map(|_| Then::Read);
        } else if ns == DRAW && local == "frame" && t.attr(PRESENTATION, "class")?.as_deref() == Some("title") {
            Frame::Title
        } else if ns == OFFICE && local == "annotation" {
            if !self.comments_on {
                return Ok(Then::Skip);
            }
            return self.push(Frame::NoteBody { citation: String::new(), first: true }, false).map(|_| Then::Read);
        } else if (ns == PRESENTATION && local == "notes" && !self.notes_on)
            || (ns == SVG && (local == "title" || local == "desc"))
        {
            return Ok(Then::Skip);
        } else {
            Frame::Other
        };
        self.push(frame, inherit)?;
        Ok(Then::Read)
    }

    fn start_list(&mut self, t: &Tag<'_, '_>) -> Result<Frame> {
        let named = t.attr(TEXT, "style-name")?;
        let mut style = named.as_deref().and_then(|n| self.styles.find(n));
        // A nested list numbers on from its outer list, in its style unless it names one.
        let mut nested = false;
        for o in self.frames.iter().rev() {
            match &o.frame {
                Frame::List { style: outer } => {
                    nested = true;
                    if named.is_none() {
                        style = *outer;
                    }
                    break;
                }
                Frame::Cell { .. } | Frame::NoteBody { .. } | Frame::Table { .. } => break,
                _ => {}
            }
        }
        if !nested {
            // Two lists in a row are two blocks.
            if self.last == Last::Item {
                self.last = Last::Block;
            }
            let continues = t.attr(TEXT, "continue-numbering")?.as_deref() == Some("true")
                || t.attr(TEXT, "continue-list")?.is_some();
            self.numbering.start_list(style, continues);
        }
        Ok(Frame::List { style })
    }

    fn start_item(&mut self, header: bool) -> Result<Frame> {
        let (mut level, mut style) = (0, None);
        for o in self.frames.iter().rev() {
            match &o.frame {
                Frame::List { style: s } => {
                    if level == 0 {
                        style = *s;
                    }
                    level += 1;
                }
                Frame::Cell { .. } | Frame::NoteBody { .. } | Frame::Table { .. } => break,
                _ => {}
            }
        }
        let mut label = String::new();
        if !header && !self.numbering.item(&self.styles, style, level.max(1), &mut label)? {
            label.push_str(if self.plain { "•" } else { "-" });
        }
        Ok(Frame::Item { label: Some(label) })
    }

    fn start_table(&mut self, t: &Tag<'_, '_>, sink: &mut Sink) -> Result<Then> {
        let sheet = self.kind == Kind::Spreadsheet && self.tables.is_empty();
        if sheet {
            self.next_page(sink)?;
            let name = attr(t, TABLE, "name")?;
            if !name.is_empty() {
                self.block(sink, if self.plain { "" } else { "## " }, &name, Last::Block)?;
            }
            if self.sheet_names.len() < MAX_SHEET_NAMES {
                self.sheet_names.try_reserve(1).map_err(|_| oom())?;
                self.sheet_names.push(name);
            }
        }
        self.tables.try_reserve(1).map_err(|_| oom())?;
        self.tables.push(Table::default());
        self.push(Frame::Table { sheet }, false)?;
        Ok(Then::Read)
    }

    fn next_page(&mut self, sink: &mut Sink) -> Result<()> {
        if self.pages >= self.max_pages {
            return Err(limit("odf: more sheets or slides than max_pages"));
        }
        self.pages += 1;
        sink.page(self.pages)
    }

    /// Writes the space that white space seen since the last character stands for, unless
    /// the paragraph has no text yet.
    fn flush_space(&mut self) -> Result<()> {
        if core::mem::take(&mut self.space) && self.line.len() > self.para {
            self.put(" ")?;
        }
        Ok(())
    }

    /// Paragraph text: runs of white space are one space, none at the start.
    fn text(&mut self, s: &str) -> Result<()> {
        if !self.in_text() {
            return Ok(());
        }
        let mut rest = s;
        while !rest.is_empty() {
            let b = rest.as_bytes();
            let word = b.iter().position(|&c| is_space(c)).unwrap_or(b.len());
            if word > 0 {
                self.flush_space()?;
                self.put(rest.get(..word).unwrap_or(""))?;
            }
            let gap = b.get(word..).map_or(0, |r| r.iter().position(|&c| !is_space(c)).unwrap_or(r.len()));
            self.space |= gap > 0;
            rest = rest.get(word + gap..).unwrap_or("");
        }
        Ok(())
    }

    fn end(&mut self, sink: &mut Sink) -> Result<()> {
        let Some(open) = self.frames.pop() else { return Ok(()) };
        match open.frame {
            Frame::Para { start, heading, outer_space } => {
                let mut line = core::mem::take(&mut self.line);
                let result = self.paragraph(sink, trim(line.get(start..).unwrap_or("")), heading);
                line.truncate(start);
                self.line = line;
                self.space = outer_space;
                let outer = self.frames.iter().rev().find_map(|o| match o.frame {
                    Frame::Para { start, .. } => Some(start),
                    _ => None,
                });
                self.para = outer.unwrap_or(start);
                result?;
            }
            Frame::Citation { start } => {
                let cited = self.line.get(start..).unwrap_or("");
                if let Some(Open { frame: Frame::Note { citation }, .. }) = self.frames.last_mut() {
                    reserve_str(citation, cited.len())?;
                    citation.push_str(cited);
                }
            }
            Frame::Link { href } => {
                self.put("](")?;
                self.put(&href)?;
                self.put(")")?;
            }
            Frame::Row => {
                if let Some(t) = self.tables.last_mut() {
                    t.end_row(&mut self.budget)?;
                }
            }
            Frame::Cell { fallback } => {
                if let Some(t) = self.tables.last_mut() {
                    t.end_cell(&fallback, &mut self.budget)?;
                }
            }
            Frame::Table { sheet } => self.end_table(sink, sheet)?,
            Frame::Page => self.unit_done = true,
            _ => {}
        }
        Ok(())
    }

    fn end_table(&mut self, sink: &mut Sink, sheet: bool) -> Result<()> {
        let Some(table) = self.tables.pop() else { return Ok(()) };
        let rows = table.finish(&mut self.budget)?;
        self.unit_done |= sheet;
        if let Some(outer) = self.tables.last_mut() {
            // A table in a cell: its text joins the cell's.
            for row in &rows {
                for cell in row.iter().filter(|c| !c.is_empty()) {
                    reserve_str(&mut outer.cell, cell.len() + 1)?;
                    if !outer.cell.is_empty() {
                        outer.cell.push(' ');
                    }
                    outer.cell.push_str(cell);
                }
            }
            return Ok(());
        }
        if rows.is_empty() {
            return Ok(());
        }
        let markdown = markdown::table(&rows)?;
        if self.plain {
            let mut tsv = String::new();
            for row in &rows {
                for (i, cell) in row.iter().enumerate() {
                    reserve_str(&mut tsv, cell.len() + 2)?;
                    if i > 0 {
                        tsv.push('\t');
                    }
                    // A cell's line breaks and tabs would break the row apart.
                    tsv.extend(cell.chars().map(|c| if c == '\n' || c == '\t' { ' ' } else { c }));
                }
                tsv.push('\n');
            }
            self.block(sink, "", tsv.trim_end_matches('\n'), Last::Block)?;
        } else {
            self.block(sink, "", markdown.trim_end_matches('\n'), Last::Block)?;
        }
        let page_number = if self.kind == Kind::Text { 0 } else { self.pages };
        sink.table(&sink::Table { rows, markdown, page_number })
    }

    /// Sends a paragraph's text where its nearest container says.
    fn paragraph(&mut self, sink: &mut Sink, text: &str, mut heading: u8) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        let (mut item, mut depth) = (None, 0usize);
        for i in (0..self.frames.len()).rev() {
            match self.frames.get(i).map(|o| &o.frame) {
                Some(Frame::Cell { .. }) => return self.cell_paragraph(text, item),
                Some(Frame::NoteBody { .. }) => return self.note_paragraph(i, text),
                Some(Frame::Title) => heading = 1,
                Some(Frame::Item { .. }) if item.is_none() => item = Some(i),
                Some(Frame::List { .. }) => depth += 1,
                _ => {}
            }
        }
        let label = self.take_label(item);
        let mut prefix = String::new();
        reserve_str(&mut prefix, depth * 4 + 16)?;
        for _ in 1..depth {
            prefix.push_str("    ");
        }
        match (item, label) {
            (Some(_), Some(label)) => {
                prefix.push_str(&label);
                if !label.is_empty() {
                    prefix.push(' ');
                }
            }
            (Some(_), None) => prefix.push_str("    "),
            (None, _) if heading > 0 && !self.plain => {
                for _ in 0..heading {
                    prefix.push('#');
                }
                prefix.push(' ');
            }
            (None, _) => {}
        }
        self.block(sink, &prefix, text, if item.is_some() { Last::Item } else { Last::Block })
    }

    fn take_label(&mut self, item: Option<usize>) -> Option<String> {
        match self.frames.get_mut(item?) {
            Some(Open { frame: Frame::Item { label }, .. }) => label.take(),
            _ => None,
        }
    }

    fn cell_paragraph(&mut self, text: &str, item: Option<usize>) -> Result<()> {
        let label = self.take_label(item).filter(|l| !l.is_empty());
        let Some(t) = self.tables.last_mut() else { return Ok(()) };
        reserve_str(&mut t.cell, text.len() + label.as_ref().map_or(0, |l| l.len()) + 2)?;
        if t.cell_started {
            t.cell.push('\n');
        }
        t.cell_started = true;
        if let Some(l) = label {
            t.cell.push_str(&l);
            t.cell.push(' ');
        }
        t.cell.push_str(text);
        Ok(())
    }

    fn note_paragraph(&mut self, at: usize, text: &str) -> Result<()> {
        let Some(Open { frame: Frame::NoteBody { citation, first }, .. }) = self.frames.get_mut(at) else {
            return Ok(());
        };
        let notes = &mut self.notes;
        if notes.len().saturating_add(text.len()) > self.max_output {
            return Err(limit("content exceeds max_output"));
        }
        reserve_str(notes, text.len() + citation.len() + 16)?;
        if !notes.is_empty() {
            notes.push('\n');
        }
        if core::mem::take(first) {
            notes.push_str(if citation.is_empty() { "Comment:" } else { citation });
            notes.push(' ');
        }
        notes.push_str(text);
        Ok(())
    }

    /// Writes a block to the document: list items follow each other line by line, other
    /// blocks are set apart by a blank line.
    fn block(&mut self, sink: &mut Sink, prefix: &str, text: &str, kind: Last) -> Result<()> {
        let out = &mut self.out;
        out.clear();
        reserve_str(out, prefix.len() + text.len() + 2)?;
        match (self.last, kind) {
            (Last::Nothing, _) | (Last::Item, Last::Item) => {}
            _ => out.push('\n'),
        }
        out.push_str(prefix);
        out.push_str(text);
        out.push('\n');
        self.last = kind;
        self.blocks += 1;
        self.unit_done |= self.blocks >= BLOCKS_PER_STEP;
        sink.text(out)
    }

    fn finish(&mut self, sink: &mut Sink) -> Result<()> {
        if !self.notes.is_empty() {
            let notes = core::mem::take(&mut self.notes);
            self.block(sink, "", &notes, Last::Block)?;
        }
        match self.kind {
            Kind::Spreadsheet => {
                sink.meta_int("sheet_count", self.pages as usize)?;
                let names: Vec<&str> = self.sheet_names.iter().map(String::as_str).collect();
                sink.meta_list("sheet_names", &names)?;
            }
            Kind::Presentation => sink.meta_int("slide_count", self.pages as usize)?,
            Kind::Text => {}
        }
        Ok(())
    }
}
