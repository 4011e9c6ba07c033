//! The format registry. Each format is one module that turns the input bytes into events on
//! a [`Sink`]; this table is the only place that lists them, so a build's `features` and
//! MIME list are exactly what was compiled in.

use crate::config::Config;
use crate::error::Result;
use crate::sink::Sink;
use alloc::boxed::Box;

pub mod text;

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
    /// Text-based: any content the sniffer does not take for a binary format.
    Text,
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

pub const FORMATS: &[&Format] = &[&text::FORMAT];

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

/// The `features` export: every compiled-in format's bit.
pub fn feature_bits() -> u32 {
    FORMATS.iter().fold(0, |bits, f| bits | f.feature)
}

pub fn by_mime(mime: &str) -> Option<&'static Format> {
    FORMATS.iter().copied().find(|f| f.mimes.contains(&mime))
}
