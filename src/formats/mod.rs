//! The format registry. Each format is one module that turns the input bytes into events on
//! a [`Sink`]; this table is the only place that lists them, so a build's `features` and
//! MIME list are exactly what was compiled in.

use crate::config::Config;
use crate::error::Result;
use crate::sink::Sink;
use alloc::boxed::Box;

#[cfg(feature = "csv")]
pub mod csv;
#[cfg(feature = "docx")]
pub mod docx;
#[cfg(feature = "html")]
pub mod html;
#[cfg(feature = "json")]
pub mod json;
#[cfg(feature = "markdown")]
pub mod markdown;
#[cfg(feature = "odf")]
pub mod odf;
#[cfg(any(feature = "docx", feature = "xlsx", feature = "pptx"))]
pub mod ooxml;
#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(feature = "pptx")]
pub mod pptx;
pub mod text;
#[cfg(feature = "toml")]
pub mod toml;
#[cfg(any(feature = "json", feature = "yaml", feature = "toml"))]
mod tree_text;
#[cfg(feature = "xlsx")]
pub mod xlsx;
#[cfg(feature = "xml")]
pub mod xml;
#[cfg(feature = "yaml")]
pub mod yaml;

/// What an extractor reports after a unit of work.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Step {
    More,
    Done,
}

/// A format's state over one document. Every call to `step` either consumes input or
/// finishes, so a document always ends in bounded time.
pub trait Extractor {
    fn step(&mut self, sink: &mut Sink) -> Result<Step>;
}

/// How a format is recognised in the bytes.
#[derive(Clone, Copy)]
pub enum Family {
    /// Text-based: accepts any content the sniffer does not take for a binary format. When
    /// the host declares no MIME type, `looks_like` (if any) claims text content for this
    /// format; formats are tried in `FORMATS` order and plain text takes the rest.
    Text { looks_like: Option<fn(&[u8]) -> bool> },
    /// Binary, recognised by this magic test.
    Binary(fn(&[u8]) -> bool),
}

pub type Open = for<'a> fn(&'a [u8], &Config) -> Result<Box<dyn Extractor + 'a>>;

pub struct Format {
    /// Canonical MIME type first, then aliases hosts commonly send.
    pub mimes: &'static [&'static str],
    /// `PITH_FEATURE_*` bit.
    pub feature: u32,
    pub family: Family,
    pub open: Open,
}

/// Every compiled-in format. Text formats that claim content by sniffing come before plain
/// text, most specific first.
pub const FORMATS: &[&Format] = &[
    #[cfg(feature = "pdf")]
    &pdf::FORMAT,
    #[cfg(feature = "docx")]
    &docx::FORMAT,
    #[cfg(feature = "xlsx")]
    &xlsx::FORMAT,
    #[cfg(feature = "pptx")]
    &pptx::FORMAT,
    #[cfg(feature = "odt")]
    &odf::ODT,
    #[cfg(feature = "ods")]
    &odf::ODS,
    #[cfg(feature = "odp")]
    &odf::ODP,
    #[cfg(feature = "html")]
    &html::FORMAT,
    #[cfg(feature = "xml")]
    &xml::FORMAT,
    #[cfg(feature = "json")]
    &json::FORMAT,
    #[cfg(feature = "yaml")]
    &yaml::FORMAT,
    #[cfg(feature = "toml")]
    &toml::FORMAT,
    #[cfg(feature = "csv")]
    &csv::FORMAT,
    #[cfg(feature = "markdown")]
    &markdown::FORMAT,
    &text::FORMAT,
];

/// The `mime_types` export: every MIME type of `FORMATS`, '\n'-separated, built at compile
/// time so the module carries the list as data and no code to assemble it.
pub static MIME_LIST: [u8; MIME_LIST_LEN] = mime_list();
const MIME_LIST_LEN: usize = mime_list_len();

const fn mime_list_len() -> usize {
    let (mut n, mut i) = (0, 0);
    while i < FORMATS.len() {
        let mut j = 0;
        while j < FORMATS[i].mimes.len() {
            n += FORMATS[i].mimes[j].len() + 1;
            j += 1;
        }
        i += 1;
    }
    n - 1
}

const fn mime_list() -> [u8; MIME_LIST_LEN] {
    let mut out = [b'\n'; MIME_LIST_LEN];
    let (mut at, mut i) = (0, 0);
    while i < FORMATS.len() {
        let mut j = 0;
        while j < FORMATS[i].mimes.len() {
            let m = FORMATS[i].mimes[j].as_bytes();
            let mut k = 0;
            while k < m.len() {
                out[at] = m[k];
                at += 1;
                k += 1;
            }
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// The `features` export: every compiled-in format's bit, and the capabilities that are not
/// formats of their own (extra character encodings).
pub fn feature_bits() -> u32 {
    let extras = if cfg!(feature = "encodings") { crate::feature::ENCODINGS } else { 0 }
        | if cfg!(feature = "cjk") { crate::feature::CJK } else { 0 };
    FORMATS.iter().fold(extras, |bits, f| bits | f.feature)
}

pub fn by_mime(mime: &str) -> Option<&'static Format> {
    FORMATS.iter().copied().find(|f| f.mimes.contains(&mime))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Declared types are lowercased before lookup (`mime::essence`), so a listed type with a
    /// capital letter could never be matched.
    #[test]
    fn listed_mime_types_are_lowercase_and_unique() {
        let list = core::str::from_utf8(&MIME_LIST).unwrap();
        let all: alloc::vec::Vec<&str> = list.split('\n').collect();
        for m in &all {
            assert_eq!(*m, m.to_ascii_lowercase(), "{m}");
            assert_eq!(all.iter().filter(|x| *x == m).count(), 1, "{m} listed twice");
        }
    }
}
