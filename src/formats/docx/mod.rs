//! DOCX (WordprocessingML): the main document part in document order, then the headers and
//! footers its sections use (each once), the footnotes, the endnotes and, when asked for,
//! the comments. Headings (from paragraph styles and outline levels) become Markdown
//! headings, numbered paragraphs Markdown list items with the numbers Word shows, tables
//! table records and Markdown tables, text boxes paragraphs after the one that anchors them.
//!
//! The body is read a few hundred blocks per step, so a long document streams; the other
//! parts are short and take a step each. Metadata: `format_type` and the package's
//! document properties.

mod body;
mod numbering;
mod styles;
#[cfg(test)]
mod tests;

use crate::config::Config;
use crate::error::{corrupt, reserve_str, Code, Result};
use crate::feature;
use crate::formats::ooxml::{self, Rel};
use crate::formats::{Extractor, Family, Format, Step};
use crate::sink::Sink;
use crate::zip::Archive;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use body::{Part, Walk};
use numbering::Numbering;
use styles::Styles;

pub const FORMAT: Format = Format {
    mimes: &[
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-word.document.macroenabled.12",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
    ],
    feature: feature::DOCX,
    family: Family::Binary(magic),
    open,
};

/// Top-level blocks (paragraphs, tables) per step.
const BLOCKS: usize = 256;
/// Headers and footers read at most: three kinds each per section, and every section
/// reference is looked up among them, so they are bounded.
const MAX_STORIES: usize = 64;

fn magic(doc: &[u8]) -> bool {
    ooxml::is_package(doc, "word/document.xml")
}

/// The namespaces of a document: transitional (what Word writes) or strict ISO 29500.
pub struct Ns {
    pub main: &'static str,
    pub rel: &'static str,
}

pub const TRANSITIONAL: Ns = Ns {
    main: "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    rel: "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
};
const STRICT: Ns = Ns {
    main: "http://purl.oclc.org/ooxml/wordprocessingml/main",
    rel: "http://purl.oclc.org/ooxml/officeDocument/relationships",
};

/// What every part's walk shares: the document's styles, lists and relationships, the
/// text written so far in this step, and how the last block ended.
pub struct Ctx {
    pub ns: Ns,
    pub styles: Styles,
    pub numbering: Numbering,
    pub plain: bool,
    /// The main part's relationships to headers and footers (the first `MAX_STORIES`).
    pub story_rels: Vec<Rel>,
    /// Headers and footers the sections refer to, in order of first reference.
    pub stories: Vec<String>,
    pub out: String,
    started: bool,
    after_item: bool,
}

impl Ctx {
    /// Writes a block: after a blank line, or a single line break between list items.
    pub fn block(&mut self, text: &str, item: bool) -> Result<()> {
        reserve_str(&mut self.out, text.len() + 2)?;
        if self.started && !(item && self.after_item) {
            self.out.push('\n');
        }
        self.out.push_str(text);
        self.out.push('\n');
        self.started = true;
        self.after_item = item;
        Ok(())
    }
}

enum Phase {
    Start,
    /// Walking a part; then the part at this index of the ones after the body.
    Walk(usize),
    /// Opening the part at this index: the headers and footers, then `parts`.
    Open(usize),
}

struct Docx<'a> {
    archive: Archive<'a>,
    cfg: Config,
    ctx: Ctx,
    walk: Walk,
    phase: Phase,
    /// Notes and comments parts, read after the headers and footers.
    parts: Vec<(String, Part)>,
}

fn open<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    let archive = Archive::open(doc, cfg)?;
    let main = ooxml::main_part(&archive, cfg)?.unwrap_or_else(|| String::from("word/document.xml"));
    let src = ooxml::part_text(&archive, &main)?.ok_or_else(|| corrupt("docx: no main document part"))?;
    let ns = if has(&src, STRICT.main) { STRICT } else { TRANSITIONAL };
    let rels = ooxml::rels_for(&archive, &main, cfg)?;
    let part_of = |kind: &str, default: &str| -> String {
        let path = rels.iter().find(|r| !r.external && r.is(kind)).map_or(default, |r| r.target.as_str());
        String::from(path)
    };
    let styles = match ooxml::part_text(&archive, &part_of("styles", "word/styles.xml"))? {
        Some(s) => Styles::parse(&s, &ns, cfg)?,
        None => Styles::default(),
    };
    let numbering = match ooxml::part_text(&archive, &part_of("numbering", "word/numbering.xml"))? {
        Some(s) => Numbering::parse(&s, &ns, cfg)?,
        None => Numbering::default(),
    };
    let mut parts = Vec::new();
    parts.push((part_of("footnotes", "word/footnotes.xml"), Part::Footnotes));
    parts.push((part_of("endnotes", "word/endnotes.xml"), Part::Endnotes));
    if cfg.comments {
        parts.push((part_of("comments", "word/comments.xml"), Part::Comments));
    }
    let story_rels =
        rels.into_iter().filter(|r| !r.external && (r.is("header") || r.is("footer"))).take(MAX_STORIES).collect();
    let ctx = Ctx {
        ns,
        styles,
        numbering,
        plain: cfg.plain,
        story_rels,
        stories: Vec::new(),
        out: String::new(),
        started: false,
        after_item: false,
    };
    let walk = Walk::new(src, Part::Body, cfg);
    Ok(Box::new(Docx { archive, cfg: cfg.clone(), ctx, walk, phase: Phase::Start, parts }))
}

impl Extractor for Docx<'_> {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        match self.phase {
            Phase::Start => {
                sink.meta_str("format_type", "docx")?;
                // Broken properties cost the metadata, not the text.
                if let Err(e) = ooxml::core_properties(&self.archive, &self.cfg, sink) {
                    if e.code() != Code::Corrupt {
                        return Err(e);
                    }
                    sink.warning("docx", "document properties unreadable")?;
                }
                self.phase = Phase::Walk(0);
            }
            Phase::Walk(next) => match self.walk.run(&mut self.ctx, sink, BLOCKS) {
                Ok(true) => self.phase = Phase::Open(next),
                Ok(false) => {}
                // A header or a note that cannot be read costs its own text, not the rest.
                Err(e) if e.code() == Code::Corrupt && self.walk.part() != Part::Body => {
                    sink.warning("docx", "a part is corrupt")?;
                    self.phase = Phase::Open(next);
                }
                Err(e) => return Err(e),
            },
            Phase::Open(i) => {
                let stories = self.ctx.stories.len();
                let (path, part) = match self.ctx.stories.get(i) {
                    Some(p) => (p.as_str(), Part::Story),
                    None => match self.parts.get(i.saturating_sub(stories)) {
                        Some((p, part)) => (p.as_str(), *part),
                        None => {
                            sink.text(&self.ctx.out)?;
                            self.ctx.out.clear();
                            return Ok(Step::Done);
                        }
                    },
                };
                self.phase = Phase::Open(i + 1);
                match ooxml::part_text(&self.archive, path) {
                    Ok(Some(src)) => {
                        self.walk = Walk::new(src, part, &self.cfg);
                        self.phase = Phase::Walk(i + 1);
                    }
                    Ok(None) => {}
                    Err(e) if e.code() == Code::Corrupt => sink.warning("docx", "a part is corrupt")?,
                    Err(e) => return Err(e),
                }
            }
        }
        sink.text(&self.ctx.out)?;
        self.ctx.out.clear();
        Ok(Step::More)
    }
}

/// Whether the start of `src` (where the root element declares its namespaces) has `what`.
fn has(src: &str, what: &str) -> bool {
    let head = src.as_bytes().get(..16 * 1024).unwrap_or(src.as_bytes());
    head.windows(what.len()).any(|w| w == what.as_bytes())
}

/// Definitions (styles, lists) kept at most: real documents have hundreds. Lookups happen
/// once per paragraph, so they are binary searches in lists kept sorted by id.
pub const MAX_DEFINITIONS: usize = 8192;

/// Inserts `item` where `cmp` (the item's id against the probe's) says, keeping the first of
/// equal ids and at most `MAX_DEFINITIONS`.
pub fn insert_sorted<T>(v: &mut Vec<T>, item: T, cmp: impl Fn(&T) -> core::cmp::Ordering) -> Result<()> {
    if v.len() >= MAX_DEFINITIONS {
        return Ok(());
    }
    if let Err(at) = v.binary_search_by(cmp) {
        v.try_reserve(1).map_err(|_| crate::error::oom())?;
        v.insert(at, item);
    }
    Ok(())
}

/// A decimal attribute value (`w:val="3"`); None for anything else.
pub fn number(s: &str) -> Option<u32> {
    let s = crate::xml::trim(s);
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    s.bytes().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + (c - b'0') as u32))
}

pub fn push_decimal(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in digits.get(i..).unwrap_or(&[]) {
        out.push(d as char);
    }
}
