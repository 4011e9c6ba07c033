//! PPTX presentations: one step and one page per slide, in presentation order (the
//! `p:sldIdLst` of `presentation.xml` through its relationships, never part names).
//!
//! Each slide's shapes come in reading order (see [`slide`]): titles as headings (`# ` for
//! a title slide's, `## ` otherwise), paragraphs, bulleted and numbered paragraphs as list
//! items, tables as Markdown tables and table records. Speaker notes (the notes page's body
//! placeholder) follow their slide under a `### Notes` heading when `cfg.notes` asks for
//! them. Metadata: `format_type`, `slide_count`, and the package's core properties.
//!
//! More slides than `max_pages` is LIMIT.

mod slide;

use crate::config::Config;
use crate::error::{corrupt, limit, oom, Result};
use crate::feature;
use crate::formats::{ooxml, Extractor, Family, Format, Step};
use crate::sink::{Sink, Table};
use crate::xml::{Event, Reader};
use crate::zip::Archive;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

pub const FORMAT: Format = Format {
    mimes: &["application/vnd.openxmlformats-officedocument.presentationml.presentation"],
    feature: feature::PPTX,
    family: Family::Binary(|d| ooxml::is_package(d, "ppt/presentation.xml")),
    open,
};

const P: &str = "http://schemas.openxmlformats.org/presentationml/2006/main";
const P_STRICT: &str = "http://purl.oclc.org/ooxml/presentationml/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_STRICT: &str = "http://purl.oclc.org/ooxml/officeDocument/relationships";

struct Pptx<'a> {
    zip: Archive<'a>,
    cfg: Config,
    /// Archive paths of the slides, in order.
    slides: Vec<String>,
    /// Steps taken: the first writes the metadata, each later one a slide.
    steps: usize,
    /// Whether any block was written (the next one needs a blank line before it).
    wrote: bool,
}

fn open<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    let zip = Archive::open(doc, cfg)?;
    let main = ooxml::main_part(&zip, cfg)?;
    let main = main.as_deref().unwrap_or("ppt/presentation.xml");
    let src = ooxml::part_text(&zip, main)?.ok_or_else(|| corrupt("pptx: no presentation part"))?;
    let rels = ooxml::rels_for(&zip, main, cfg)?;
    let slides = slide_list(&src, cfg, &rels)?;
    if slides.len() > cfg.max_pages as usize {
        return Err(limit("pptx: more slides than max_pages"));
    }
    Ok(Box::new(Pptx { zip, cfg: cfg.clone(), slides, steps: 0, wrote: false }))
}

/// The slide parts `p:sldIdLst` lists, in its order; ids without a slide relationship
/// are left out.
fn slide_list(src: &str, cfg: &Config, rels: &[ooxml::Rel]) -> Result<Vec<String>> {
    let mut slides = Vec::new();
    let mut reader = Reader::new(cfg);
    loop {
        match reader.next(src)? {
            Event::Start(t) if t.name.local == "sldId" && (t.name.ns == P || t.name.ns == P_STRICT) => {
                let id = match t.attr(REL, "id")? {
                    Some(id) => Some(id),
                    None => t.attr(REL_STRICT, "id")?,
                };
                let Some(rel) = id.and_then(|id| rels.iter().find(|r| r.id == *id && !r.external && r.is("slide")))
                else {
                    continue;
                };
                slides.try_reserve(1).map_err(|_| oom())?;
                slides.push(rel.target.clone());
            }
            Event::Eof => return Ok(slides),
            _ => {}
        }
    }
}

impl Extractor for Pptx<'_> {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        let Pptx { zip, cfg, slides, steps, wrote } = self;
        if *steps == 0 {
            sink.meta_str("format_type", "pptx")?;
            sink.meta_int("slide_count", slides.len())?;
            ooxml::core_properties(zip, cfg, sink)?;
        } else if let Some(path) = slides.get(*steps - 1) {
            let out = Out { sink, cfg, page: *steps as u32, wrote };
            slide(zip, path, out)?;
        }
        *steps += 1;
        Ok(if *steps > slides.len() { Step::Done } else { Step::More })
    }
}

/// Where a slide's blocks go.
struct Out<'s, 'c> {
    sink: &'s mut Sink,
    cfg: &'c Config,
    page: u32,
    wrote: &'s mut bool,
}

fn slide(zip: &Archive, path: &str, mut out: Out) -> Result<()> {
    out.sink.page(out.page)?;
    // A slide part the archive lacks is an empty page, not a broken deck.
    let Some(src) = ooxml::part_text(zip, path)? else { return Ok(()) };
    let shapes = slide::read(&src, out.cfg, false)?;
    drop(src);
    out.shapes(shapes)?;
    if !out.cfg.notes {
        return Ok(());
    }
    let rels = ooxml::rels_for(zip, path, out.cfg)?;
    let Some(notes) = rels.iter().find(|r| !r.external && r.is("notesSlide")) else { return Ok(()) };
    let Some(src) = ooxml::part_text(zip, &notes.target)? else { return Ok(()) };
    let shapes = slide::read(&src, out.cfg, true)?;
    if shapes.is_empty() {
        return Ok(());
    }
    out.separate()?;
    out.sink.text(if out.cfg.plain { "Notes:" } else { "### Notes" })?;
    out.shapes(shapes)
}

impl Out<'_, '_> {
    /// Writes shapes one after the other, a blank line apart.
    fn shapes(&mut self, shapes: Vec<slide::Shape>) -> Result<()> {
        for shape in shapes {
            self.separate()?;
            let Some(rows) = shape.table else {
                self.sink.text(&shape.text)?;
                continue;
            };
            let markdown = crate::markdown::table(&rows)?;
            if self.cfg.plain {
                for (r, row) in rows.iter().enumerate() {
                    if r > 0 {
                        self.sink.text("\n")?;
                    }
                    for (i, cell) in row.iter().enumerate() {
                        if i > 0 {
                            self.sink.text("\t")?;
                        }
                        self.sink.text(cell)?;
                    }
                }
            } else {
                self.sink.text(markdown.trim_end())?;
            }
            self.sink.table(&Table { rows, markdown, page_number: self.page })?;
        }
        Ok(())
    }

    /// A blank line before every block but the document's first.
    fn separate(&mut self) -> Result<()> {
        if *self.wrote {
            self.sink.text("\n\n")?;
        }
        *self.wrote = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
