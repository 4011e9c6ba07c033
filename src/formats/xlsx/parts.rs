//! The workbook-wide parts a sheet's cells refer to: the shared string table
//! (`sharedStrings.xml`) and the cell formats (`styles.xml`), plus the rich-text reading
//! both strings and inline cells use.

use super::numfmt;
use crate::config::Config;
use crate::error::{limit, oom, reserve_str, Result};
use crate::xml::{Event, Name, Reader};
use alloc::string::String;
use alloc::vec::Vec;

/// SpreadsheetML, transitional and strict.
const SML: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const SML_STRICT: &str = "http://purl.oclc.org/ooxml/spreadsheetml/main";

/// Whether `name` is SpreadsheetML's `local`.
pub fn is(name: &Name, local: &str) -> bool {
    name.local == local && (name.ns == SML || name.ns == SML_STRICT)
}

/// Appends the text of the rich-text element just started (`<si>`, `<is>`): its `<t>`
/// runs, plain or inside `<r>`, joined; phonetic guides (`<rPh>`) are skipped, since
/// they repeat the text in another script.
pub fn rich_text(reader: &mut Reader, src: &str, out: &mut String) -> Result<()> {
    let depth = reader.depth();
    while reader.depth() >= depth && depth > 0 {
        match reader.next(src)? {
            Event::Start(t) if is(&t.name, "t") => reader.read_text(src, out)?,
            Event::Start(t) if is(&t.name, "rPh") => reader.skip(src)?,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

/// The shared strings, one text with the end of each string in it.
#[derive(Default)]
pub struct Strings {
    text: String,
    ends: Vec<u32>,
}

impl Strings {
    pub fn read(src: &str, cfg: &Config) -> Result<Strings> {
        let mut s = Strings::default();
        let mut reader = Reader::new(cfg);
        loop {
            match reader.next(src)? {
                Event::Start(t) if is(&t.name, "si") => {
                    rich_text(&mut reader, src, &mut s.text)?;
                    let end = u32::try_from(s.text.len()).map_err(|_| limit("xlsx: shared strings too large"))?;
                    s.ends.try_reserve(1).map_err(|_| oom())?;
                    s.ends.push(end);
                }
                Event::Eof => return Ok(s),
                _ => {}
            }
        }
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let start = match i.checked_sub(1) {
            Some(prev) => *self.ends.get(prev)? as usize,
            None => 0,
        };
        self.text.get(start..*self.ends.get(i)? as usize)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.ends.len()
    }
}

/// Cell formats: the number format of each `cellXfs` entry, and the workbook's own
/// format codes by id.
#[derive(Default)]
pub struct Styles {
    xfs: Vec<u32>,
    custom: Vec<(u32, String)>,
}

fn number_attr(value: Option<alloc::borrow::Cow<str>>) -> u32 {
    let mut n: u32 = 0;
    for c in value.as_deref().unwrap_or("").bytes() {
        if !c.is_ascii_digit() {
            break;
        }
        n = n.saturating_mul(10).saturating_add((c - b'0') as u32);
    }
    n
}

impl Styles {
    pub fn read(src: &str, cfg: &Config) -> Result<Styles> {
        let mut s = Styles::default();
        let mut reader = Reader::new(cfg);
        let mut in_cell_xfs = false;
        loop {
            match reader.next(src)? {
                Event::Start(t) if is(&t.name, "cellXfs") => in_cell_xfs = true,
                Event::End(n) if is(&n, "cellXfs") => in_cell_xfs = false,
                Event::Start(t) if in_cell_xfs && is(&t.name, "xf") => {
                    s.xfs.try_reserve(1).map_err(|_| oom())?;
                    s.xfs.push(number_attr(t.attr("", "numFmtId")?));
                }
                Event::Start(t) if is(&t.name, "numFmt") => {
                    let id = number_attr(t.attr("", "numFmtId")?);
                    let code = t.attr("", "formatCode")?.unwrap_or_default();
                    let mut owned = String::new();
                    reserve_str(&mut owned, code.len())?;
                    owned.push_str(&code);
                    s.custom.try_reserve(1).map_err(|_| oom())?;
                    s.custom.push((id, owned));
                }
                Event::Eof => return Ok(s),
                _ => {}
            }
        }
    }

    /// The format code of cell style `index` (General when there is none).
    pub fn code(&self, index: usize) -> &str {
        let id = self.xfs.get(index).copied().unwrap_or(0);
        match self.custom.iter().find(|(i, _)| *i == id) {
            Some((_, code)) => code,
            None => numfmt::builtin(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_join_runs_and_skip_phonetics() {
        let src = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <si><t>plain</t></si>
            <si><r><rPr><b/></rPr><t>bold </t></r><r><t xml:space="preserve">and &amp; more</t></r></si>
            <si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>
            <si/>
        </sst>"#;
        let s = Strings::read(src, &Config::default()).unwrap();
        assert_eq!(s.len(), 4);
        assert_eq!(s.get(0), Some("plain"));
        assert_eq!(s.get(1), Some("bold and & more"));
        assert_eq!(s.get(2), Some("東京"));
        assert_eq!(s.get(3), Some(""));
        assert_eq!(s.get(4), None);
        assert_eq!(s.get(usize::MAX), None);
    }

    #[test]
    fn styles_map_cells_to_codes() {
        let src = r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
            <cellStyleXfs count="1"><xf numFmtId="10"/></cellStyleXfs>
            <cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="4"/></cellXfs>
        </styleSheet>"#;
        let s = Styles::read(src, &Config::default()).unwrap();
        assert_eq!((s.code(0), s.code(1), s.code(2), s.code(3)), ("General", "dd/mm/yyyy", "#,##0.00", "General"));
    }
}
