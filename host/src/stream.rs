//! Records of a stream, the stream itself and the whole-document result.

use serde_json::Value;

use crate::error::PithError;
use crate::instance::{Block, Instance, Opened};

/// Record kinds, mirroring `PITH_REC_*` of `abi/pith.h`.
pub mod rec {
    pub const END: i32 = 0;
    pub const TEXT: i32 = 1;
    pub const PAGE: i32 = 2;
    pub const METADATA: i32 = 3;
    pub const TABLE: i32 = 4;
    pub const IMAGE: i32 = 5;
    pub const WARNING: i32 = 6;
    pub const DOCUMENT: i32 = 7;
}

/// The kind of a record (END is the end of the iteration, not a record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// UTF-8 content text, never splitting a character.
    Text,
    /// `{"page_number":N}`: text that follows is page N.
    Page,
    /// A JSON object with one metadata field.
    Metadata,
    /// `{"cells":[[...]],"markdown":"...","page_number":N}`.
    Table,
    /// A JSON object describing one image.
    Image,
    /// `{"source":"...","message":"..."}`.
    Warning,
    /// `{"mime_type":"..."}`; always the first record.
    Document,
}

impl RecordKind {
    /// The kind for a positive `stream_next` result; `None` for END and unknown values.
    pub fn from_raw(kind: i32) -> Option<Self> {
        Some(match kind {
            rec::TEXT => RecordKind::Text,
            rec::PAGE => RecordKind::Page,
            rec::METADATA => RecordKind::Metadata,
            rec::TABLE => RecordKind::Table,
            rec::IMAGE => RecordKind::Image,
            rec::WARNING => RecordKind::Warning,
            rec::DOCUMENT => RecordKind::Document,
            _ => return None,
        })
    }

    /// The `PITH_REC_*` value.
    pub fn raw(self) -> i32 {
        match self {
            RecordKind::Text => rec::TEXT,
            RecordKind::Page => rec::PAGE,
            RecordKind::Metadata => rec::METADATA,
            RecordKind::Table => rec::TABLE,
            RecordKind::Image => rec::IMAGE,
            RecordKind::Warning => rec::WARNING,
            RecordKind::Document => rec::DOCUMENT,
        }
    }
}

/// One record of a stream, its payload copied out of module memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub kind: RecordKind,
    pub payload: Vec<u8>,
}

impl Record {
    /// The payload as UTF-8 (every payload should be: text, or JSON).
    pub fn text(&self) -> Result<&str, PithError> {
        std::str::from_utf8(&self.payload)
            .map_err(|e| PithError::protocol(format!("{:?} payload is not UTF-8: {e}", self.kind)))
    }

    /// The payload parsed as JSON (every kind but Text carries a JSON object).
    pub fn json(&self) -> Result<Value, PithError> {
        serde_json::from_slice(&self.payload)
            .map_err(|e| PithError::protocol(format!("{:?} payload is not JSON: {e}", self.kind)))
    }
}

/// An open stream over a document. Records come in order from [`Stream::next_record`] or by
/// iterating. Dropping the stream closes the handle and frees the document block; use
/// [`Stream::close`] to see whether that worked.
pub struct Stream<'a> {
    inst: &'a mut Instance,
    opened: Opened,
    max_chunk: i32,
    ended: bool,
    closed: bool,
}

impl<'a> Stream<'a> {
    pub(crate) fn new(inst: &'a mut Instance, opened: Opened, max_chunk: i32) -> Self {
        Stream { inst, opened, max_chunk, ended: false, closed: false }
    }

    /// The raw handle, for ABI tests that poke at an open stream through [`Stream::instance`].
    pub fn handle(&self) -> i32 {
        self.opened.handle
    }

    /// The block holding the document, borrowed by the stream until it is closed.
    pub fn document_block(&self) -> Block {
        self.opened.doc
    }

    /// The instance, for raw calls while the stream is open. Closing the handle or freeing
    /// the block behind the stream's back makes its own close fail later (ignored on drop).
    pub fn instance(&mut self) -> &mut Instance {
        self.inst
    }

    /// Changes the bound on TEXT payloads for the following records.
    pub fn set_max_chunk(&mut self, max_chunk: i32) {
        self.max_chunk = max_chunk;
    }

    /// The next record, or `None` after END. An error fails the stream in the module; it still
    /// gets closed on drop.
    pub fn next_record(&mut self) -> Result<Option<Record>, PithError> {
        if self.ended {
            return Ok(None);
        }
        let handle = self.opened.handle;
        let raw = self.inst.stream_next(handle, self.max_chunk)?;
        if raw == rec::END {
            self.ended = true;
            return Ok(None);
        }
        if raw < 0 {
            return Err(self.inst.status_error(raw));
        }
        let kind = RecordKind::from_raw(raw)
            .ok_or_else(|| PithError::protocol(format!("stream_next returned unknown kind {raw}")))?;
        let payload = self.inst.payload(handle)?;
        Ok(Some(Record { kind, payload }))
    }

    /// Reads every remaining record.
    pub fn collect_records(&mut self) -> Result<Vec<Record>, PithError> {
        let mut out = Vec::new();
        while let Some(r) = self.next_record()? {
            out.push(r);
        }
        Ok(out)
    }

    /// Closes the handle and frees the document block, reporting the first failure.
    pub fn close(mut self) -> Result<(), PithError> {
        self.closed = true;
        self.inst.finish(self.opened)
    }
}

impl Iterator for Stream<'_> {
    type Item = Result<Record, PithError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_record() {
            Ok(Some(r)) => Some(Ok(r)),
            Ok(None) => None,
            Err(e) => {
                // The module repeats a stream's error forever; end the iteration after
                // reporting it once so `for r in stream` terminates.
                self.ended = true;
                Some(Err(e))
            }
        }
    }
}

impl Drop for Stream<'_> {
    fn drop(&mut self) {
        if !self.closed {
            // Nothing to report to from a destructor; `close` exists for callers who care.
            let _ = self.inst.finish(self.opened);
        }
    }
}

/// The whole result of [`Instance::extract`]: the JSON text from `result_json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractResult {
    pub json: String,
}

impl ExtractResult {
    /// The JSON parsed into a value.
    pub fn value(&self) -> Result<Value, PithError> {
        serde_json::from_str(&self.json).map_err(|e| PithError::protocol(format!("result is not JSON: {e}")))
    }

    /// The `content` field.
    pub fn content(&self) -> Result<String, PithError> {
        match self.value()?.get("content") {
            Some(Value::String(s)) => Ok(s.clone()),
            _ => Err(PithError::protocol("result has no string `content`")),
        }
    }
}
