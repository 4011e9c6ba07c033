//! OpenDocument text, spreadsheet and presentation (ODT, ODS, ODP): a ZIP package whose
//! `content.xml` holds the body and `meta.xml` the document properties.
//!
//! The three share one walker over `content.xml` ([`body`]): paragraphs and headings,
//! lists numbered from their list styles ([`lists`]), tables with repeated rows and
//! columns ([`table`]), notes appended at the end; sheets (ODS) and slides (ODP) become pages
//! with a heading and their tables. `styles.xml` is read only for the list styles that
//! named lists refer to. A step is one sheet, one slide, or a piece of the text body.

mod body;
mod lists;
mod meta;
mod table;
#[cfg(test)]
mod tests;

use crate::config::Config;
use crate::error::{corrupt, Result};
use crate::formats::{Extractor, Family, Format};
use crate::xml;
use crate::zip::Archive;
use alloc::boxed::Box;

#[cfg(feature = "odt")]
pub const ODT: Format = Format {
    mimes: &["application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template"],
    feature: crate::feature::ODT,
    family: Family::Binary(is_odt),
    open: open_odt,
};

#[cfg(feature = "ods")]
pub const ODS: Format = Format {
    mimes: &["application/vnd.oasis.opendocument.spreadsheet"],
    feature: crate::feature::ODS,
    family: Family::Binary(is_ods),
    open: open_ods,
};

#[cfg(feature = "odp")]
pub const ODP: Format = Format {
    mimes: &["application/vnd.oasis.opendocument.presentation"],
    feature: crate::feature::ODP,
    family: Family::Binary(is_odp),
    open: open_odp,
};

const MIME_PREFIX: &str = "application/vnd.oasis.opendocument.";

/// Which of the three a package is, by its `mimetype` (after [`MIME_PREFIX`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Text,
    Spreadsheet,
    Presentation,
}

impl Kind {
    fn of(mimetype: &[u8]) -> Option<Kind> {
        let rest = mimetype.strip_prefix(MIME_PREFIX.as_bytes())?;
        let rest = rest.strip_suffix(b"-template").unwrap_or(rest);
        let kinds =
            [(&b"text"[..], Kind::Text), (b"spreadsheet", Kind::Spreadsheet), (b"presentation", Kind::Presentation)];
        kinds.into_iter().find(|(name, _)| *name == rest).map(|(_, kind)| kind)
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Text => "odt",
            Kind::Spreadsheet => "ods",
            Kind::Presentation => "odp",
        }
    }
}

#[cfg(feature = "odt")]
fn is_odt(doc: &[u8]) -> bool {
    sniff(doc) == Some(Kind::Text)
}

#[cfg(feature = "ods")]
fn is_ods(doc: &[u8]) -> bool {
    sniff(doc) == Some(Kind::Spreadsheet)
}

#[cfg(feature = "odp")]
fn is_odp(doc: &[u8]) -> bool {
    sniff(doc) == Some(Kind::Presentation)
}

/// The packaging rule puts `mimetype` first and stored, so its content sits at byte 38;
/// packages zipped by other tools may have it anywhere (or deflated), which the central
/// directory tells.
fn sniff(doc: &[u8]) -> Option<Kind> {
    let le = |at: usize| doc.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    if doc.get(..4)? != b"PK\x03\x04" {
        return None;
    }
    let stored = doc.get(8..10) == Some(&[0, 0]) && doc.get(26..38) == Some(b"\x08\x00\x00\x00mimetype");
    if let (true, Some(len)) = (stored, le(18)) {
        return Kind::of(doc.get(38..38usize.saturating_add(len as usize))?);
    }
    if !crate::zip::has_entry(doc, "mimetype") {
        return None;
    }
    let archive = Archive::open(doc, &Config::default()).ok()?;
    let entry = archive.entries().iter().find(|e| e.name == "mimetype" && e.size < 100)?;
    Kind::of(&archive.read(entry).ok()?)
}

#[cfg(feature = "odt")]
fn open_odt<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    open(doc, cfg, Kind::Text)
}

#[cfg(feature = "ods")]
fn open_ods<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    open(doc, cfg, Kind::Spreadsheet)
}

#[cfg(feature = "odp")]
fn open_odp<'a>(doc: &'a [u8], cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    open(doc, cfg, Kind::Presentation)
}

fn open<'a>(doc: &'a [u8], cfg: &Config, kind: Kind) -> Result<Box<dyn Extractor + 'a>> {
    let archive = Archive::open(doc, cfg)?;
    let content = archive.read_name("content.xml")?.ok_or_else(|| corrupt("odf: no content.xml in the package"))?;
    let content = xml::decode_owned(content)?.text;
    // The properties and the named list styles are extras: a package that lacks them, or
    // holds them damaged, still has its body.
    let part = |name| archive.read_name(name).ok().flatten().and_then(|b| xml::decode_owned(b).ok()).map(|d| d.text);
    let meta = part("meta.xml");
    let mut styles = lists::Styles::default();
    let styles_warning = match part("styles.xml") {
        Some(src) => styles.read_part(&src, cfg).err().map(|_| "odf: styles.xml unreadable; lists numbered by default"),
        None => None,
    };
    Ok(Box::new(body::Odf::new(kind, content, meta, styles, styles_warning, cfg)))
}
