//! A stream: one open document. It pulls events from the format's extractor a unit (a page,
//! a sheet, a piece of text) at a time, only when the host asks for more, so memory stays
//! bounded by the input plus one unit's working set.

use crate::arena::Arena;
use crate::config::Config;
use crate::error::{limit, Code, Error, Result};
use crate::formats::{Extractor, Step};
use crate::mime;
use crate::records::{Kind, RecordQueue};
use crate::result::ResultJson;
use alloc::boxed::Box;
use alloc::vec::Vec;

/// Text chunk size when the host passes 0.
pub const DEFAULT_CHUNK: usize = 65536;
/// The smallest chunk that always fits one UTF-8 character.
pub const MIN_CHUNK: usize = 4;

enum Payload {
    None,
    Queue(usize, usize),
    Json(Vec<u8>),
}

pub struct Stream<'a> {
    extractor: Box<dyn Extractor + 'a>,
    queue: RecordQueue,
    /// The extractor has nothing more to give.
    finished: bool,
    /// An extractor error, reported once the records queued before it are handed out.
    pending: Option<Error>,
    /// Set once an error was reported: every later call repeats it.
    failed: Option<Error>,
    started: bool,
    payload: Payload,
}

impl<'a> Stream<'a> {
    /// Opens `doc`, borrowed for the life of the stream. `mime` is what the host declared.
    pub fn open(doc: &'a [u8], mime: Option<&[u8]>, cfg: &Config, arena: &mut Arena) -> Result<Stream<'a>> {
        if doc.len() > cfg.max_input as usize {
            return Err(limit("input exceeds max_input"));
        }
        let resolved = mime::resolve(mime, doc)?;
        let extractor = (resolved.format.open)(doc, cfg)?;
        let mut queue = RecordQueue::new(arena.take(), cfg.max_output);
        queue.document(&resolved.mime)?;
        Ok(Stream {
            extractor,
            queue,
            finished: false,
            pending: None,
            failed: None,
            started: false,
            payload: Payload::None,
        })
    }

    /// Runs the extractor for one more unit of work.
    fn step(&mut self) {
        match self.extractor.step(&mut self.queue) {
            Ok(Step::More) => {}
            Ok(Step::Done) => self.finished = true,
            Err(e) => {
                self.finished = true;
                self.pending = Some(e);
            }
        }
    }

    /// The next record, its payload then available from [`Stream::payload`].
    pub fn next(&mut self, max_chunk: usize) -> Result<Kind> {
        if let Some(e) = &self.failed {
            return Err(e.again());
        }
        let max = match max_chunk {
            0 => DEFAULT_CHUNK,
            m if m < MIN_CHUNK => return Err(Error::new(Code::InvalidArgument, "max_chunk below 4")),
            m => m,
        };
        self.started = true;
        // The previous payload is no longer the host's to read, so its bytes can go.
        self.payload = Payload::None;
        self.queue.compact();
        while !self.queue.ready(max, self.finished) && !self.finished {
            self.step();
        }
        match self.queue.pop(max) {
            Some((kind, start, end)) => {
                self.payload = Payload::Queue(start, end);
                Ok(kind)
            }
            None => match self.pending.take() {
                Some(e) => {
                    self.failed = Some(e.again());
                    Err(e)
                }
                None => Ok(Kind::End),
            },
        }
    }

    /// The payload of the last record or of the JSON result.
    pub fn payload(&self) -> &[u8] {
        match &self.payload {
            Payload::None => &[],
            Payload::Queue(s, e) => self.queue.bytes(*s, *e),
            Payload::Json(j) => j,
        }
    }

    /// Runs the whole document into one JSON result (then available from `payload`).
    /// Only on a fresh stream, so the result is always the complete document.
    pub fn result_json(&mut self, arena: &mut Arena) -> Result<usize> {
        if let Some(e) = &self.failed {
            return Err(e.again());
        }
        if self.started {
            return Err(Error::new(Code::InvalidArgument, "result_json after stream_next"));
        }
        self.started = true;
        let mut json = ResultJson::new(arena.take());
        let built = 'build: loop {
            while let Some((kind, s, e)) = self.queue.pop(usize::MAX) {
                if let Err(err) = json.add(kind, self.queue.bytes(s, e)) {
                    break 'build Err(err);
                }
            }
            self.queue.compact();
            if let Some(e) = self.pending.take() {
                break Err(e);
            }
            if self.finished {
                break json.finish();
            }
            self.step();
        };
        match built {
            Ok((out, scratch)) => {
                arena.give(scratch);
                let len = out.len();
                self.payload = Payload::Json(out);
                Ok(len)
            }
            Err(e) => {
                self.failed = Some(e.again());
                Err(e)
            }
        }
    }

    /// Returns the stream's buffers to the arena.
    pub fn release(self, arena: &mut Arena) {
        if let Payload::Json(j) = self.payload {
            arena.give(j);
        }
        arena.give(self.queue.into_buffer());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::{Sink, Table};
    use alloc::string::String;

    /// A format-free extractor for testing the stream: emits the scripted events, one step each.
    struct Script(Vec<fn(&mut Sink) -> Result<()>>);

    impl Extractor for Script {
        fn step(&mut self, sink: &mut Sink) -> Result<Step> {
            if self.0.is_empty() {
                return Ok(Step::Done);
            }
            (self.0.remove(0))(sink)?;
            Ok(Step::More)
        }
    }

    fn scripted(events: Vec<fn(&mut Sink) -> Result<()>>) -> Stream<'static> {
        let mut queue = RecordQueue::new(Vec::new(), 1 << 20);
        queue.document("application/x-test").unwrap();
        Stream {
            extractor: Box::new(Script(events)),
            queue,
            finished: false,
            pending: None,
            failed: None,
            started: false,
            payload: Payload::None,
        }
    }

    fn events() -> Vec<fn(&mut Sink) -> Result<()>> {
        vec![
            |s| s.meta_str("format_type", "test"),
            |s| s.page(1),
            |s| s.text("Hello \"world\"\n\n"),
            |s| {
                let t =
                    Table { rows: vec![vec!["a".into(), "b".into()]], markdown: "| a | b |".into(), page_number: 1 };
                s.table(&t)
            },
            |s| s.page(2),
            |s| s.text("Zweite Seite: äöü"),
            |s| s.warning("test", "something odd"),
            |s| s.meta_int("page_count", 2),
        ]
    }

    #[test]
    fn json_result_equals_the_stream() {
        let mut arena = Arena::new();
        let mut s = scripted(events());
        let len = s.result_json(&mut arena).unwrap();
        let v: serde_json::Value = serde_json::from_slice(s.payload()).unwrap();
        assert_eq!(len, s.payload().len());
        assert_eq!(v["mime_type"], "application/x-test");
        assert_eq!(v["content"], "Hello \"world\"\n\nZweite Seite: äöü");
        assert_eq!(v["metadata"], serde_json::json!({"format_type": "test", "page_count": 2}));
        assert_eq!(v["pages"][0], serde_json::json!({"page_number": 1, "content": "Hello \"world\"\n\n"}));
        assert_eq!(v["pages"][1], serde_json::json!({"page_number": 2, "content": "Zweite Seite: äöü"}));
        assert_eq!(v["tables"][0]["cells"], serde_json::json!([["a", "b"]]));
        assert_eq!(v["warnings"][0]["message"], "something odd");
        assert_eq!(v["images"], serde_json::json!([]));

        // The same events, streamed.
        let mut s = scripted(events());
        let (mut text, mut kinds) = (String::new(), Vec::new());
        loop {
            let k = s.next(5).unwrap();
            if k == Kind::End {
                break;
            }
            if k == Kind::Text {
                text.push_str(core::str::from_utf8(s.payload()).unwrap());
            }
            kinds.push(k);
        }
        assert_eq!(text, v["content"]);
        assert_eq!(kinds.first(), Some(&Kind::Document));
        assert_eq!(kinds.iter().filter(|&&k| k == Kind::Page).count(), 2);
        assert_eq!(s.next(5).unwrap(), Kind::End, "END repeats");
    }

    #[test]
    fn errors_come_after_the_records_before_them_and_stick() {
        let mut s = scripted(vec![|s| s.text("kept"), |_| Err(crate::error::corrupt("broken"))]);
        assert_eq!(s.next(0).unwrap(), Kind::Document);
        assert_eq!(s.next(0).unwrap(), Kind::Text);
        assert_eq!(s.payload(), b"kept");
        assert_eq!(s.next(0).unwrap_err().code(), Code::Corrupt);
        assert_eq!(s.next(0).unwrap_err().code(), Code::Corrupt);
        let mut arena = Arena::new();
        assert_eq!(s.result_json(&mut arena).unwrap_err().code(), Code::Corrupt);
    }

    #[test]
    fn argument_errors_do_not_fail_the_stream() {
        let mut s = scripted(events());
        assert_eq!(s.next(3).unwrap_err().code(), Code::InvalidArgument);
        assert_eq!(s.next(0).unwrap(), Kind::Document);
        let mut arena = Arena::new();
        assert_eq!(s.result_json(&mut arena).unwrap_err().code(), Code::InvalidArgument, "not after next");
    }
}
