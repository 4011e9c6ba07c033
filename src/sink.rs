//! The events every format produces. A format writes them to the [`Sink`] and never knows
//! whether the host streams records or asks for one JSON result.

use alloc::string::String;
use alloc::vec::Vec;

/// A table: rows of cells (spans already spread) and its Markdown rendering.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub rows: Vec<Vec<String>>,
    pub markdown: String,
    /// 1-based page (or sheet, or slide) the table is on; 0 when the format has no pages.
    pub page_number: u32,
}

/// An embedded image, reported as found (not decoded).
#[derive(Clone, Copy, Debug)]
pub struct Image<'a> {
    /// e.g. "jpeg", "png", "jpx"
    pub format: &'a str,
    pub width: u32,
    pub height: u32,
    pub page_number: u32,
    pub data: &'a [u8],
}

/// The sink every format writes to. It is one concrete type, not a trait object, so a build
/// keeps only the event kinds its formats emit (a text-only module carries no table or image
/// encoder). Its methods are documented on [`RecordQueue`].
pub use crate::records::RecordQueue as Sink;
