//! The WordprocessingML walker: one part (the body, a header, the footnotes) read as a
//! stream of events and written as blocks of text, a bounded number of blocks per call.
//!
//! Paragraphs nest (a text box's paragraphs sit inside a run of the paragraph that anchors
//! it), and so do tables, so the walker keeps a stack of each and a stack of the containers
//! their text goes to: a table cell, a text box (shown after the block that anchors it) or
//! a note. Anything outside every container is a block of the output.

use super::numbering::Marker;
use super::{number, Ctx};
use crate::config::Config;
use crate::error::{oom, reserve_str, Result};
use crate::markdown;
use crate::sink::{Sink, Table};
use crate::xml::{self, Event, Name, Reader, Tag};
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const MATH: &str = "http://schemas.openxmlformats.org/officeDocument/2006/math";
const MATH_STRICT: &str = "http://purl.oclc.org/ooxml/officeDocument/math";
/// Text buffered before a call returns, so the host sees progress on long documents.
const OUT_CHUNK: usize = 64 * 1024;
/// Word allows 63 columns; a wider span is a lie that would only multiply empty cells.
const MAX_SPAN: u32 = 64;

/// What kind of part is walked.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Body,
    /// A header or footer.
    Story,
    Footnotes,
    Endnotes,
    Comments,
}

/// The elements the walker acts on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum El {
    P,
    R,
    RPr,
    Bold,
    Italic,
    T,
    Tab,
    Br,
    Hyphen,
    PStyle,
    NumId,
    Ilvl,
    OutlineLvl,
    Tbl,
    Tr,
    Tc,
    GridSpan,
    GridBefore,
    VMerge,
    TextBox,
    Alternate,
    Choice,
    Fallback,
    FldChar,
    FootnoteRef,
    EndnoteRef,
    SectionRef,
    Note,
    /// Elements whose content is never text: properties, deleted text, field codes.
    Skip,
    Other,
}

fn classify(n: &Name, ctx: &Ctx) -> El {
    if n.ns == ctx.ns.main {
        return match n.local {
            "p" => El::P,
            "r" => El::R,
            "rPr" => El::RPr,
            "b" => El::Bold,
            "i" => El::Italic,
            "t" => El::T,
            "tab" | "ptab" => El::Tab,
            "br" | "cr" => El::Br,
            "noBreakHyphen" => El::Hyphen,
            "pStyle" => El::PStyle,
            "numId" => El::NumId,
            "ilvl" => El::Ilvl,
            "outlineLvl" => El::OutlineLvl,
            "tbl" => El::Tbl,
            "tr" => El::Tr,
            "tc" => El::Tc,
            "gridSpan" => El::GridSpan,
            "gridBefore" => El::GridBefore,
            "vMerge" => El::VMerge,
            "txbxContent" => El::TextBox,
            "fldChar" => El::FldChar,
            "footnoteReference" => El::FootnoteRef,
            "endnoteReference" => El::EndnoteRef,
            "headerReference" | "footerReference" => El::SectionRef,
            "footnote" | "endnote" | "comment" => El::Note,
            // Tab stops (`w:tabs`) are not tabs; tracked changes keep the old properties
            // and the deleted text; content controls keep placeholder text in `sdtPr`.
            "rPrChange" | "tabs" | "pPrChange" | "tblPr" | "tblGrid" | "tcPrChange" | "trPrChange" | "tblPrEx"
            | "sdtPr" | "sdtEndPr" | "instrText" | "delText" | "delInstrText" | "del" | "moveFrom" | "background" => {
                El::Skip
            }
            _ => El::Other,
        };
    }
    match (n.ns, n.local) {
        (MC, "AlternateContent") => El::Alternate,
        (MC, "Choice") => El::Choice,
        (MC, "Fallback") => El::Fallback,
        (MATH | MATH_STRICT, "t") => El::T,
        _ => El::Other,
    }
}

/// The one attribute the walker needs of each element it acts on.
fn attribute<'s>(el: El, t: &Tag<'_, 's>, ctx: &Ctx) -> Result<Option<Cow<'s, str>>> {
    let w = ctx.ns.main;
    match el {
        El::PStyle
        | El::NumId
        | El::Ilvl
        | El::OutlineLvl
        | El::GridSpan
        | El::GridBefore
        | El::VMerge
        | El::Bold
        | El::Italic => t.attr(w, "val"),
        El::FldChar => t.attr(w, "fldCharType"),
        El::FootnoteRef | El::EndnoteRef => t.attr(w, "id"),
        El::SectionRef => t.attr(ctx.ns.rel, "id"),
        // Separator notes have a type; a comment is labelled with its author.
        El::Note if t.name.local == "comment" => Ok(Some(t.attr(w, "author")?.unwrap_or(Cow::Borrowed("")))),
        El::Note => match t.attr(w, "type")? {
            Some(kind) if kind != "normal" => Ok(None),
            _ => Ok(Some(t.attr(w, "id")?.unwrap_or(Cow::Borrowed("")))),
        },
        _ => Ok(None),
    }
}

#[derive(Default)]
struct Para {
    text: String,
    /// Emphasis open at the end of `text` (`BOLD`, `ITALIC`).
    open: u8,
    style: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u8>,
    outline: Option<u8>,
}

#[derive(Default)]
struct OpenTable {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
    span: u32,
    merged: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Cell,
    TextBox,
    Note,
}

pub struct Walk {
    src: String,
    reader: Reader,
    st: State,
}

struct State {
    part: Part,
    paras: Vec<Para>,
    tables: Vec<OpenTable>,
    containers: Vec<Container>,
    /// Per open `mc:AlternateContent`: whether one of its branches was read already.
    alternates: Vec<bool>,
    /// Open fields, and a bit per field (the innermost 64) set while its instruction,
    /// not its result, is being read.
    fields: u32,
    in_code: u64,
    /// Text boxes met inside the current block, shown after it.
    boxes: String,
    /// The note being read, and its label (an id, or a comment's author).
    note: String,
    label: String,
    /// Empty cells that spans may still add; they are not paid for by input bytes.
    spread: usize,
    blocks: usize,
    /// Inside a run, and its emphasis (Markdown, outside containers: cells and notes stay
    /// plain text).
    in_run: bool,
    run: u8,
    /// A run's text, read here when emphasis opens or closes before it.
    scratch: String,
}

const BOLD: u8 = 1;
const ITALIC: u8 = 2;

enum Action {
    Descend,
    Skip,
    ReadText,
}

impl Walk {
    pub fn new(src: String, part: Part, cfg: &Config) -> Walk {
        let st = State {
            part,
            paras: Vec::new(),
            tables: Vec::new(),
            containers: Vec::new(),
            alternates: Vec::new(),
            fields: 0,
            in_code: 0,
            boxes: String::new(),
            note: String::new(),
            label: String::new(),
            spread: cfg.max_objects as usize,
            blocks: 0,
            in_run: false,
            run: 0,
            scratch: String::new(),
        };
        Walk { src, reader: Reader::new(cfg), st }
    }

    pub fn part(&self) -> Part {
        self.st.part
    }

    /// Reads on until `budget` blocks are written to `ctx.out` (or it holds a chunk's worth);
    /// true at the end of the part.
    pub fn run(&mut self, ctx: &mut Ctx, sink: &mut Sink, budget: usize) -> Result<bool> {
        let Walk { src, reader, st } = self;
        let src: &str = src;
        st.blocks = 0;
        while st.blocks < budget && ctx.out.len() < OUT_CHUNK {
            let action = match reader.next(src)? {
                Event::Start(t) => {
                    let el = classify(&t.name, ctx);
                    let val = attribute(el, &t, ctx)?;
                    st.start(el, val.as_deref(), ctx)?
                }
                Event::End(n) => {
                    let el = classify(&n, ctx);
                    st.end(el, ctx, sink)?;
                    Action::Descend
                }
                Event::Eof => return Ok(true),
                _ => Action::Descend,
            };
            match action {
                Action::Descend => {}
                Action::Skip => reader.skip(src)?,
                Action::ReadText => match st.paras.last_mut() {
                    Some(p) if p.open == st.run => reader.read_text(src, &mut p.text)?,
                    Some(_) => {
                        st.scratch.clear();
                        reader.read_text(src, &mut st.scratch)?;
                        st.emphasize()?;
                    }
                    None => reader.skip(src)?,
                },
            }
        }
        Ok(false)
    }
}

fn push(out: &mut String, s: &str) -> Result<()> {
    reserve_str(out, s.len())?;
    out.push_str(s);
    Ok(())
}

fn grow<T>(v: &mut Vec<T>) -> Result<()> {
    v.try_reserve(1).map_err(|_| oom())
}

impl State {
    fn start(&mut self, el: El, val: Option<&str>, ctx: &mut Ctx) -> Result<Action> {
        let code = self.in_code != 0;
        let para = self.paras.last_mut();
        match el {
            El::P => {
                grow(&mut self.paras)?;
                self.paras.push(Para::default());
            }
            El::R => (self.in_run, self.run) = (true, 0),
            // Run properties matter only for emphasis; paragraph marks have theirs too.
            El::RPr if !self.in_run || ctx.plain || !self.containers.is_empty() => return Ok(Action::Skip),
            El::Bold | El::Italic if self.in_run => {
                let bit = if el == El::Bold { BOLD } else { ITALIC };
                match val {
                    Some("0" | "false" | "off") => self.run &= !bit,
                    _ => self.run |= bit,
                }
            }
            El::T if code => return Ok(Action::Skip),
            El::T => return Ok(Action::ReadText),
            El::Tab | El::Br | El::Hyphen if !code => {
                if let Some(p) = para {
                    push(
                        &mut p.text,
                        [("\t", El::Tab), ("\n", El::Br), ("-", El::Hyphen)]
                            .iter()
                            .find(|x| x.1 == el)
                            .map_or("", |x| x.0),
                    )?;
                }
            }
            El::PStyle => {
                if let Some(p) = para {
                    p.style = val.map(String::from);
                }
            }
            El::NumId => {
                if let Some(p) = para {
                    p.num_id = val.and_then(number);
                }
            }
            El::Ilvl => {
                if let Some(p) = para {
                    p.ilvl = val.and_then(number).map(|l| l.min(8) as u8);
                }
            }
            El::OutlineLvl => {
                if let Some(p) = para {
                    p.outline = val.and_then(number).filter(|&l| l < 9).map(|l| l as u8 + 1);
                }
            }
            El::Tbl => {
                grow(&mut self.tables)?;
                self.tables.push(OpenTable::default());
            }
            El::Tr => {
                if let Some(t) = self.tables.last_mut() {
                    t.row.clear();
                }
            }
            El::GridBefore => {
                let n = val.and_then(number).unwrap_or(0).min(MAX_SPAN);
                if let Some(t) = self.tables.last_mut() {
                    for _ in 0..n.min(self.spread as u32) {
                        grow(&mut t.row)?;
                        t.row.push(String::new());
                        self.spread -= 1;
                    }
                }
            }
            El::Tc => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell.clear();
                    (t.span, t.merged) = (1, false);
                }
                grow(&mut self.containers)?;
                self.containers.push(Container::Cell);
            }
            El::GridSpan => {
                if let Some(t) = self.tables.last_mut() {
                    t.span = val.and_then(number).unwrap_or(1).clamp(1, MAX_SPAN);
                }
            }
            El::VMerge => {
                if let Some(t) = self.tables.last_mut() {
                    t.merged = val.is_none_or(|v| v == "continue");
                }
            }
            El::TextBox => {
                grow(&mut self.containers)?;
                self.containers.push(Container::TextBox);
            }
            El::Alternate => {
                grow(&mut self.alternates)?;
                self.alternates.push(false);
            }
            // One branch of each alternative, the first: never the same text twice.
            El::Choice | El::Fallback => match self.alternates.last_mut() {
                Some(true) => return Ok(Action::Skip),
                Some(taken) => *taken = true,
                None => {}
            },
            El::FldChar => match val {
                Some("begin") => {
                    if self.fields < 64 {
                        self.in_code |= 1 << self.fields;
                    }
                    self.fields = self.fields.saturating_add(1);
                }
                Some("separate") if (1..=64).contains(&self.fields) => self.in_code &= !(1 << (self.fields - 1)),
                Some("end") if self.fields > 0 => {
                    self.fields -= 1;
                    if self.fields < 64 {
                        self.in_code &= !(1 << self.fields);
                    }
                }
                _ => {}
            },
            El::FootnoteRef | El::EndnoteRef if !ctx.plain && !code => {
                if let (Some(p), Some(id)) = (para, val) {
                    push(&mut p.text, if el == El::FootnoteRef { "[^" } else { "[^e" })?;
                    push(&mut p.text, id)?;
                    push(&mut p.text, "]")?;
                }
            }
            // Once every header and footer is known, references need no lookup.
            El::SectionRef if self.part == Part::Body && ctx.stories.len() < ctx.story_rels.len() => {
                if let Some(rel) = ctx.story_rels.iter().find(|r| Some(r.id.as_str()) == val) {
                    if !ctx.stories.contains(&rel.target) {
                        grow(&mut ctx.stories)?;
                        ctx.stories.push(rel.target.clone());
                    }
                }
            }
            El::Note => match val {
                None => return Ok(Action::Skip),
                Some(label) => {
                    self.label.clear();
                    push(&mut self.label, label)?;
                    self.note.clear();
                    grow(&mut self.containers)?;
                    self.containers.push(Container::Note);
                }
            },
            El::Skip => return Ok(Action::Skip),
            _ => {}
        }
        Ok(Action::Descend)
    }

    fn end(&mut self, el: El, ctx: &mut Ctx, sink: &mut Sink) -> Result<()> {
        match el {
            El::R => (self.in_run, self.run) = (false, 0),
            El::P => {
                // A field's code never runs past its paragraph in what Word writes; one that
                // never ends must not hide the rest of the document.
                if self.in_code != 0 {
                    (self.fields, self.in_code) = (0, 0);
                }
                if let Some(mut p) = self.paras.pop() {
                    close(&mut p.text, p.open)?;
                    self.paragraph(p, ctx)?;
                    if self.paras.is_empty() && self.containers.is_empty() {
                        self.block_done(ctx)?;
                    }
                }
            }
            El::Tc => {
                self.containers.pop();
                if let Some(t) = self.tables.last_mut() {
                    let text = if t.merged { String::new() } else { core::mem::take(&mut t.cell) };
                    grow(&mut t.row)?;
                    t.row.push(text);
                    for _ in 1..t.span.min((self.spread as u32).saturating_add(1)) {
                        grow(&mut t.row)?;
                        t.row.push(String::new());
                        self.spread -= 1;
                    }
                }
            }
            El::Tr => {
                if let Some(t) = self.tables.last_mut() {
                    let row = core::mem::take(&mut t.row);
                    if !row.is_empty() {
                        grow(&mut t.rows)?;
                        t.rows.push(row);
                    }
                }
            }
            El::Tbl => {
                if let Some(t) = self.tables.pop() {
                    self.table(t.rows, ctx, sink)?;
                    if self.tables.is_empty() && self.containers.is_empty() && self.paras.is_empty() {
                        self.block_done(ctx)?;
                    }
                }
            }
            El::TextBox => {
                self.containers.pop();
            }
            El::Alternate => {
                self.alternates.pop();
            }
            El::Note if self.containers.last() == Some(&Container::Note) => {
                self.containers.pop();
                self.note_done(ctx)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// A finished paragraph, written where the innermost container wants it.
    fn paragraph(&mut self, p: Para, ctx: &mut Ctx) -> Result<()> {
        let style = p.style.as_deref().map(|s| ctx.styles.resolve(s)).unwrap_or_default();
        let level = p.outline.or(style.level);
        let ilvl = p.ilvl.or(style.ilvl).unwrap_or(0);
        let marker = match p.num_id.or(style.num_id) {
            Some(id) if id != 0 => ctx.numbering.next(id, ilvl)?,
            _ => None,
        };
        let text = xml::trim(&p.text);
        if text.is_empty() {
            return Ok(());
        }
        match self.containers.last() {
            Some(Container::Cell) => {
                if let Some(t) = self.tables.last_mut() {
                    join(&mut t.cell, marker.as_ref(), text, "\n")?;
                }
            }
            Some(Container::Note) => join(&mut self.note, marker.as_ref(), text, " ")?,
            Some(Container::TextBox) => {
                let mut line = String::new();
                render(&mut line, level, marker.as_ref(), ilvl, text, ctx.plain)?;
                if !self.boxes.is_empty() {
                    push(&mut self.boxes, "\n\n")?;
                }
                push(&mut self.boxes, &line)?;
            }
            None => {
                let mut line = String::new();
                let item = render(&mut line, level, marker.as_ref(), ilvl, text, ctx.plain)?;
                ctx.block(&line, item)?;
            }
        }
        Ok(())
    }

    /// Appends the run text in `scratch` to the paragraph, closing the emphasis that was
    /// open and opening the run's. White space stays outside the markers (`**a** b`, not
    /// `**a **b`, which Markdown would not read as emphasis), and changes nothing.
    fn emphasize(&mut self) -> Result<()> {
        let Some(p) = self.paras.last_mut() else {
            return Ok(());
        };
        let text = self.scratch.as_str();
        let body = text.trim_start_matches(|c: char| c.is_ascii() && xml::is_space(c as u8));
        if body.is_empty() {
            return push(&mut p.text, text);
        }
        close(&mut p.text, p.open)?;
        push(&mut p.text, text.get(..text.len() - body.len()).unwrap_or(""))?;
        push(&mut p.text, markers(self.run))?;
        p.open = self.run;
        push(&mut p.text, body)
    }

    fn block_done(&mut self, ctx: &mut Ctx) -> Result<()> {
        self.blocks += 1;
        if !self.boxes.is_empty() {
            let boxes = core::mem::take(&mut self.boxes);
            ctx.block(&boxes, false)?;
        }
        Ok(())
    }

    /// A finished table: flattened into the enclosing cell when nested, else a table
    /// record and its Markdown (tab-separated rows in plain text).
    fn table(&mut self, rows: Vec<Vec<String>>, ctx: &mut Ctx, sink: &mut Sink) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        if self.containers.last() == Some(&Container::Cell) {
            if let Some(parent) = self.tables.last_mut() {
                for row in &rows {
                    let line = join_row(row, " ")?;
                    if !line.is_empty() {
                        join(&mut parent.cell, None, &line, "\n")?;
                    }
                }
            }
            return Ok(());
        }
        let markdown = markdown::table(&rows)?;
        let text = match ctx.plain {
            true => {
                let mut t = String::new();
                for row in &rows {
                    let line = join_row(row, "\t")?;
                    join(&mut t, None, &line, "\n")?;
                }
                t
            }
            false => String::from(markdown.trim_end()),
        };
        match self.containers.last() {
            Some(Container::TextBox) => {
                if !self.boxes.is_empty() {
                    push(&mut self.boxes, "\n\n")?;
                }
                push(&mut self.boxes, &text)?;
            }
            Some(Container::Note) => join(&mut self.note, None, &text, " ")?,
            _ => {
                // The text so far first, so the record comes where the table is.
                sink.text(&ctx.out)?;
                ctx.out.clear();
                ctx.block(&text, false)?;
            }
        }
        sink.table(&Table { rows, markdown, page_number: 0 })
    }

    fn note_done(&mut self, ctx: &mut Ctx) -> Result<()> {
        let text = xml::trim(&self.note);
        if text.is_empty() {
            return Ok(());
        }
        let mut line = String::new();
        match (self.part, ctx.plain) {
            (Part::Comments, _) if !self.label.is_empty() => {
                push(&mut line, &self.label)?;
                push(&mut line, ": ")?;
            }
            (Part::Comments, _) => {}
            (_, false) => {
                push(&mut line, if self.part == Part::Endnotes { "[^e" } else { "[^" })?;
                push(&mut line, &self.label)?;
                push(&mut line, "]: ")?;
            }
            (_, true) => {}
        }
        push(&mut line, text)?;
        self.blocks += 1;
        ctx.block(&line, false)
    }
}

fn markers(open: u8) -> &'static str {
    match open {
        BOLD => "**",
        ITALIC => "*",
        0 => "",
        _ => "***",
    }
}

/// Closes the emphasis `open` at the end of `text`, before its trailing white space.
fn close(text: &mut String, open: u8) -> Result<()> {
    let m = markers(open);
    if !m.is_empty() {
        let at = xml::trim(text).len()
            + (text.len() - text.trim_start_matches(|c: char| c.is_ascii() && xml::is_space(c as u8)).len());
        reserve_str(text, m.len())?;
        text.insert_str(at.min(text.len()), m);
    }
    Ok(())
}

/// Appends `text` (after the marker, if any, and `sep` when `out` has text already).
fn join(out: &mut String, marker: Option<&Marker>, text: &str, sep: &str) -> Result<()> {
    if !out.is_empty() {
        push(out, sep)?;
    }
    if let Some(m) = marker.filter(|m| !m.bullet) {
        push(out, &m.text)?;
        push(out, " ")?;
    }
    push(out, text)
}

fn join_row(row: &[String], sep: &str) -> Result<String> {
    let mut line = String::new();
    let used = row.iter().rposition(|c| !c.is_empty()).map_or(0, |j| j + 1);
    for (j, cell) in row.iter().take(used).enumerate() {
        if j > 0 {
            push(&mut line, sep)?;
        }
        // A cell's own line breaks would break the row.
        for (k, piece) in cell.split('\n').enumerate() {
            if k > 0 {
                push(&mut line, " ")?;
            }
            push(&mut line, piece)?;
        }
    }
    Ok(line)
}

/// A top-level paragraph: a heading, a list item or plain text. True for a list item.
fn render(
    out: &mut String,
    level: Option<u8>,
    marker: Option<&Marker>,
    ilvl: u8,
    text: &str,
    plain: bool,
) -> Result<bool> {
    match (level, marker) {
        (Some(level), _) => {
            if !plain {
                for _ in 0..level.min(6) {
                    push(out, "#")?;
                }
                push(out, " ")?;
            }
            if let Some(m) = marker.filter(|m| !m.bullet) {
                push(out, &m.text)?;
                push(out, " ")?;
            }
            // A heading is one line.
            for (k, piece) in text.split('\n').enumerate() {
                if k > 0 {
                    push(out, " ")?;
                }
                push(out, piece)?;
            }
            Ok(false)
        }
        (None, Some(m)) => {
            for _ in 0..ilvl {
                push(out, "    ")?;
            }
            match (m.bullet, m.ordered, plain) {
                (true, _, true) => push(out, "• ")?,
                (true, _, false) => push(out, "- ")?,
                (false, true, _) | (false, _, true) => {}
                (false, false, false) => push(out, "- ")?,
            }
            if !m.bullet {
                push(out, &m.text)?;
                push(out, " ")?;
            }
            push(out, text)?;
            Ok(true)
        }
        (None, None) => {
            push(out, text)?;
            Ok(false)
        }
    }
}
