//! XLSX (and macro-enabled XLSM) workbooks: every sheet in workbook order, one step and
//! one page each, under a heading with the sheet's name, as a Markdown table (plain mode:
//! tab-separated lines) and a table record.
//!
//! The sheet list comes from `workbook.xml` and its relationships, never from part names.
//! Cells show what a spreadsheet shows: shared and inline strings, TRUE/FALSE, error codes,
//! formulas' cached values, and numbers through their number format (see [`numfmt`]).
//! Hidden sheets are extracted like the others and listed in `hidden_sheets`. Metadata:
//! `format_type`, `sheet_count`, `sheet_names`, and the package's core properties.
//!
//! Limits: more sheets than `max_pages`, a sheet whose occupied area has more cells than
//! `max_objects`, or more cell text than `max_output` are LIMIT.

mod number;
mod numfmt;
mod parts;
mod sheet;

use crate::config::Config;
use crate::error::{corrupt, limit, oom, reserve_str, Result};
use crate::feature;
use crate::formats::{ooxml, Extractor, Family, Format, Step};
use crate::sink::{Sink, Table};
use crate::xml::{Event, Reader};
use crate::zip::Archive;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use parts::{is, Strings, Styles};
use sheet::{Book, Cells};

pub const FORMAT: Format = Format {
    mimes: &[
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel.sheet.macroenabled.12",
    ],
    feature: feature::XLSX,
    family: Family::Binary(|d| ooxml::is_package(d, "xl/workbook.xml")),
    open,
};

/// Office relationships, transitional and strict (for `r:id`).
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_STRICT: &str = "http://purl.oclc.org/ooxml/officeDocument/relationships";

struct Sheet {
    name: String,
    /// Archive path of the worksheet; empty when its relationship is missing (a chart
    /// sheet, a broken package): the sheet is then listed but has no cells.
    path: String,
    hidden: bool,
}

struct Xlsx<'a> {
    zip: Archive<'a>,
    cfg: Config,
    sheets: Vec<Sheet>,
    strings: Strings,
    styles: Styles,
    date1904: bool,
    /// Steps taken: the first writes the metadata, each later one a sheet.
    steps: usize,
}

fn open<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    let zip = Archive::open(doc, cfg)?;
    let main = ooxml::main_part(&zip, cfg)?;
    let main = main.as_deref().unwrap_or("xl/workbook.xml");
    let src = ooxml::part_text(&zip, main)?.ok_or_else(|| corrupt("xlsx: no workbook part"))?;
    let rels = ooxml::rels_for(&zip, main, cfg)?;
    let (mut sheets, date1904) = workbook(&src, cfg, &rels)?;
    if sheets.len() > cfg.max_pages as usize {
        return Err(limit("xlsx: more sheets than max_pages"));
    }
    let part = |last: &str| rels.iter().find(|r| !r.external && r.is(last)).map(|r| r.target.as_str());
    let strings = match part("sharedStrings") {
        Some(p) => ooxml::part_text(&zip, p)?.map(|s| Strings::read(&s, cfg)).transpose()?,
        None => None,
    };
    let styles = match part("styles") {
        Some(p) => ooxml::part_text(&zip, p)?.map(|s| Styles::read(&s, cfg)).transpose()?,
        None => None,
    };
    // A relationship to a part the archive lacks leaves the sheet empty, not the book.
    for s in &mut sheets {
        if zip.find(&s.path).is_none() {
            s.path.clear();
        }
    }
    Ok(Box::new(Xlsx {
        zip,
        cfg: cfg.clone(),
        sheets,
        strings: strings.unwrap_or_default(),
        styles: styles.unwrap_or_default(),
        date1904,
        steps: 0,
    }))
}

/// The sheets of `workbook.xml` with their parts, and whether dates count from 1904.
fn workbook(src: &str, cfg: &Config, rels: &[ooxml::Rel]) -> Result<(Vec<Sheet>, bool)> {
    let mut sheets = Vec::new();
    let mut date1904 = false;
    let mut reader = Reader::new(cfg);
    loop {
        match reader.next(src)? {
            Event::Start(t) if is(&t.name, "workbookPr") => {
                date1904 = t.attr("", "date1904")?.is_some_and(|v| v == "1" || v == "true");
            }
            Event::Start(t) if is(&t.name, "sheet") => {
                let id = match t.attr(REL, "id")? {
                    Some(id) => Some(id),
                    None => t.attr(REL_STRICT, "id")?,
                };
                let target = id.and_then(|id| rels.iter().find(|r| r.id == *id && !r.external));
                let mut path = String::new();
                if let Some(r) = target.filter(|r| r.is("worksheet")) {
                    reserve_str(&mut path, r.target.len())?;
                    path.push_str(&r.target);
                }
                let name = t.attr("", "name")?.unwrap_or_default();
                let mut owned = String::new();
                reserve_str(&mut owned, name.len())?;
                owned.push_str(&name);
                let hidden = t.attr("", "state")?.is_some_and(|s| s == "hidden" || s == "veryHidden");
                sheets.try_reserve(1).map_err(|_| oom())?;
                sheets.push(Sheet { name: owned, path, hidden });
            }
            Event::Eof => return Ok((sheets, date1904)),
            _ => {}
        }
    }
}

impl Extractor for Xlsx<'_> {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        if self.steps == 0 {
            self.metadata(sink)?;
        } else if let Some(sheet) = self.sheets.get(self.steps - 1) {
            self.sheet(sink, sheet, self.steps as u32)?;
        }
        self.steps += 1;
        Ok(if self.steps > self.sheets.len() { Step::Done } else { Step::More })
    }
}

impl Xlsx<'_> {
    fn metadata(&self, sink: &mut Sink) -> Result<()> {
        sink.meta_str("format_type", "xlsx")?;
        sink.meta_int("sheet_count", self.sheets.len())?;
        let mut names: Vec<&str> = Vec::new();
        names.try_reserve_exact(self.sheets.len()).map_err(|_| oom())?;
        names.extend(self.sheets.iter().map(|s| s.name.as_str()));
        sink.meta_list("sheet_names", &names)?;
        names.clear();
        names.extend(self.sheets.iter().filter(|s| s.hidden).map(|s| s.name.as_str()));
        if !names.is_empty() {
            sink.meta_list("hidden_sheets", &names)?;
        }
        ooxml::core_properties(&self.zip, &self.cfg, sink)
    }

    fn sheet(&self, sink: &mut Sink, sheet: &Sheet, number: u32) -> Result<()> {
        sink.page(number)?;
        if number > 1 {
            sink.text("\n")?;
        }
        if !self.cfg.plain {
            sink.text("## ")?;
        }
        sink.text(&sheet.name)?;
        sink.text(if self.cfg.plain { "\n" } else { "\n\n" })?;
        if sheet.path.is_empty() {
            return Ok(());
        }
        let Some(src) = ooxml::part_text(&self.zip, &sheet.path)? else { return Ok(()) };
        let book = Book { strings: &self.strings, styles: &self.styles, date1904: self.date1904 };
        let cells = Cells::read(&src, &self.cfg, &book)?;
        if cells.missing_string {
            sink.warning("xlsx", "a cell refers to a shared string that does not exist")?;
        }
        drop(src);
        let Some(rows) = cells.grid(&self.cfg)? else { return Ok(()) };
        let markdown = crate::markdown::table(&rows)?;
        if self.cfg.plain {
            plain(sink, &rows)?;
        } else {
            sink.text(&markdown)?;
        }
        sink.table(&Table { rows, markdown, page_number: number })
    }
}

/// Rows as tab-separated lines; line breaks and tabs inside a cell (wrapped text) become
/// spaces, so every line stays one row.
fn plain(sink: &mut Sink, rows: &[Vec<String>]) -> Result<()> {
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                sink.text("\t")?;
            }
            for (k, piece) in cell.split(['\n', '\t']).enumerate() {
                if k > 0 {
                    sink.text(" ")?;
                }
                sink.text(piece)?;
            }
        }
        sink.text("\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
