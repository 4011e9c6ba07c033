//! (being written by pdf-core: replace all of this file)
use crate::config::Config;
use crate::error::{Code, Error, Result};
use crate::formats::{Extractor, Family, Format};
use alloc::boxed::Box;

pub const FORMAT: Format = Format {
    mimes: &["application/pdf"],
    feature: crate::feature::PDF,
    family: Family::Binary(|d| d.get(..1024).unwrap_or(d).windows(5).any(|w| w == b"%PDF-")),
    open,
};

fn open<'a>(_doc: &'a [u8], _cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    Err(Error::new(Code::Unsupported, "pdf: being written"))
}
