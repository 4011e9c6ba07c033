//! PDF: `open` reads only the cross-reference, trailer, security handler and page tree;
//! each `step` then extracts one page (metadata first), so memory stays bounded by the
//! input plus one page's working set and a host can stop after any page.
//!
//! Pages that cannot be read are skipped with a warning; limits and a missing password end
//! the document. A document whose pages draw images but hold no text needs OCR, which this
//! module does not do: it says so in a warning.

use crate::config::Config;
use crate::error::{Code, Result};
use crate::feature;
use crate::formats::{Extractor, Family, Format, Step};
use crate::pdf::document::{is_corrupt, Document, Page};
use crate::pdf::filters::Filter;
use crate::pdf::object::{Object, Ref};
use crate::pdf::text::TextExtractor;
use crate::pdf::{metadata, Warnings};
use crate::sink::{Image, Sink, Table};
use alloc::boxed::Box;
use alloc::vec::Vec;

pub const FORMAT: Format = Format {
    mimes: &["application/pdf", "application/x-pdf"],
    feature: feature::PDF,
    family: Family::Binary(is_pdf),
    open,
};

/// "%PDF-" within the first 1024 bytes (junk such as an HTTP error page may precede it).
fn is_pdf(data: &[u8]) -> bool {
    crate::pdf::lexer::find(data.get(..1024).unwrap_or(data), b"%PDF-", 0).is_some()
}

fn open<'a>(data: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    let doc = Document::open(data, cfg)?;
    Ok(Box::new(Pdf {
        text: TextExtractor::new(cfg),
        doc,
        images: cfg.images,
        started: false,
        next: 0,
        any_text: false,
        any_images: false,
        sent: Warnings::default(),
        images_sent: Vec::new(),
    }))
}

struct Pdf<'a> {
    doc: Document<'a>,
    text: TextExtractor,
    images: bool,
    started: bool,
    /// The next page to read (0-based).
    next: usize,
    any_text: bool,
    any_images: bool,
    /// Warnings already reported.
    sent: Warnings,
    /// Image objects already reported (a logo on every page is one image).
    images_sent: Vec<Ref>,
}

impl Extractor for Pdf<'_> {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        if !self.started {
            self.started = true;
            metadata::write(&self.doc, sink)?;
            self.flush(&mut Warnings::default(), sink)?;
            return Ok(Step::More);
        }
        if self.next >= self.doc.page_count() {
            if !self.any_text && self.any_images {
                sink.warning("pdf", "pages hold only images; OCR is needed")?;
            }
            return Ok(Step::Done);
        }
        let index = self.next;
        self.next += 1;
        let mut warnings = Warnings::default();
        let page = match self.doc.page(index) {
            Ok(p) => Some(p),
            Err(e) if is_corrupt(&e) => {
                warnings.add("a page could not be read; it was skipped");
                None
            }
            Err(e) => return Err(e),
        };
        let mut text = None;
        let mut tables = Vec::new();
        if let Some(page) = &page {
            match self.text.page(&self.doc, page, &mut warnings) {
                Ok(t) => {
                    self.any_images |= t.images > 0;
                    tables = t.tables;
                    if !t.text.trim().is_empty() {
                        text = Some(t.text);
                    }
                }
                Err(e) if is_corrupt(&e) => warnings.add("a page's content could not be read; it was skipped"),
                Err(e) => return Err(e),
            }
        }
        if let Some(t) = &text {
            // A blank line between pages, at the end of the page before.
            if self.any_text {
                sink.text("\n")?;
            }
            sink.page(index as u32 + 1)?;
            sink.text(t.trim_end_matches(['\n', ' ']))?;
            sink.text("\n")?;
            self.any_text = true;
        } else {
            sink.page(index as u32 + 1)?;
        }
        for rows in tables {
            let markdown = crate::markdown::table(&rows)?;
            sink.table(&Table { rows, markdown, page_number: index as u32 + 1 })?;
        }
        if let (true, Some(page)) = (self.images, &page) {
            self.report_images(page, sink)?;
        }
        self.flush(&mut warnings, sink)?;
        Ok(Step::More)
    }
}

impl Pdf<'_> {
    /// Reports the document's and the text layer's new warnings, each once.
    fn flush(&mut self, extra: &mut Warnings, sink: &mut Sink) -> Result<()> {
        let doc = self.doc.take_warnings();
        for w in doc.list.iter().chain(extra.list.iter()) {
            if !self.sent.list.contains(w) {
                self.sent.add(w);
                sink.warning("pdf", w)?;
            }
        }
        extra.list.clear();
        Ok(())
    }

    /// The page's image XObjects as image records: the bytes as stored for image codecs
    /// (JPEG, JPX, JBIG2, CCITT), the decoded samples otherwise ("raw").
    fn report_images(&mut self, page: &Page, sink: &mut Sink) -> Result<()> {
        let xobjects = match page.resources.get(b"XObject") {
            Some(x) => self.doc.resolve(x)?,
            None => return Ok(()),
        };
        let Some(xobjects) = xobjects.as_dict() else { return Ok(()) };
        for (_, x) in xobjects.iter() {
            if let Some(r) = x.as_ref() {
                if self.images_sent.contains(&r) {
                    continue;
                }
                self.images_sent.try_reserve(1).map_err(|_| crate::error::oom())?;
                self.images_sent.push(r);
            }
            let Object::Stream(s) = self.doc.resolve(x)? else { continue };
            if s.dict.name(b"Subtype") != Some(b"Image") {
                continue;
            }
            let filters = self.doc.resolve(s.dict.get(b"Filter").unwrap_or(&Object::Null))?;
            let last = match &filters {
                Object::Array(a) => a.iter().rev().find_map(|f| f.as_name().and_then(Filter::by_name)),
                f => f.as_name().and_then(Filter::by_name),
            };
            let format = match last {
                Some(Filter::Image(name)) => name,
                _ => "raw",
            };
            let dim = |k: &[u8]| -> Result<u32> {
                Ok(match s.dict.get(k) {
                    Some(v) => self.doc.resolve(v)?.as_int().and_then(|v| u32::try_from(v).ok()).unwrap_or(0),
                    None => 0,
                })
            };
            let (width, height) = (dim(b"Width")?, dim(b"Height")?);
            let data = match self.doc.stream_data(&s) {
                Ok(d) => d,
                Err(e) if e.code() == Code::Corrupt => continue,
                Err(e) => return Err(e),
            };
            sink.image(&Image { format, width, height, page_number: page.number, data: &data })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
