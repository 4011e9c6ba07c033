//! The record queue: the one [`Sink`] the module has. Events become typed records whose
//! payloads sit in one reusable byte buffer; consecutive text events merge into one record so
//! the host gets large chunks, cut at paragraph boundaries by [`cut_point`].

use crate::error::{limit, push_bytes, reserve, Result};
use crate::json;
use crate::sink::{Image, Table};
use alloc::vec::Vec;

/// Record kinds (`PITH_REC_*` in `abi/pith.h`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(i32)]
pub enum Kind {
    End = 0,
    Text = 1,
    Page = 2,
    Metadata = 3,
    Table = 4,
    Image = 5,
    Warning = 6,
    Document = 7,
}

#[derive(Clone, Copy, Debug)]
struct Rec {
    kind: Kind,
    start: usize,
    end: usize,
}

pub struct RecordQueue {
    buf: Vec<u8>,
    /// Queued records from `head` on; those before it were handed out. (A Vec with a head
    /// index costs far less code than a VecDeque, and the queue empties after every unit.)
    recs: Vec<Rec>,
    head: usize,
    text_written: usize,
    max_output: u32,
}

impl RecordQueue {
    /// `buf` is a scratch buffer from the arena; `max_output` bounds the content text.
    pub fn new(mut buf: Vec<u8>, max_output: u32) -> RecordQueue {
        buf.clear();
        RecordQueue { buf, recs: Vec::new(), head: 0, text_written: 0, max_output }
    }

    /// Gives the payload buffer back for reuse.
    pub fn into_buffer(self) -> Vec<u8> {
        self.buf
    }

    pub fn is_empty(&self) -> bool {
        self.queued().is_empty()
    }

    fn queued(&self) -> &[Rec] {
        self.recs.get(self.head..).unwrap_or(&[])
    }

    /// Whether a record can be handed out now without cutting text short: a non-text record
    /// is at the front, the front text is followed by another record or already fills a
    /// chunk, or no more events will come.
    pub fn ready(&self, max_chunk: usize, finished: bool) -> bool {
        match self.queued() {
            [] => false,
            [r, rest @ ..] => r.kind != Kind::Text || finished || !rest.is_empty() || r.end - r.start >= max_chunk,
        }
    }

    /// Drops payload bytes that were already handed out, so the buffer holds only what is
    /// queued. Only called when no payload pointer given to the host is live any more.
    pub fn compact(&mut self) {
        // Drop the handed-out records (a plain copy: `drain` costs more code than it saves).
        let head = self.head.min(self.recs.len());
        self.recs.copy_within(head.., 0);
        self.recs.truncate(self.recs.len() - head);
        self.head = 0;
        let Some(first) = self.recs.first().map(|r| r.start) else {
            self.buf.clear();
            return;
        };
        // Move the queued bytes down only once the handed-out part is at least half the
        // buffer: each byte is then moved O(1) times on average, where moving on every call
        // made reading one huge unit in small chunks quadratic.
        if first > 0 && first >= self.buf.len() - first {
            self.buf.copy_within(first.., 0);
            self.buf.truncate(self.buf.len() - first);
            for r in self.recs.iter_mut() {
                r.start -= first;
                r.end -= first;
            }
        }
    }

    /// Takes the next record, cutting text to at most `max_chunk` bytes. Returns its kind and
    /// payload range in [`RecordQueue::bytes`].
    pub fn pop(&mut self, max_chunk: usize) -> Option<(Kind, usize, usize)> {
        let r = self.recs.get_mut(self.head)?;
        if r.kind == Kind::Text && r.end - r.start > max_chunk {
            let cut = cut_point(self.buf.get(r.start..r.end).unwrap_or(&[]), max_chunk);
            let start = r.start;
            r.start += cut;
            return Some((Kind::Text, start, start + cut));
        }
        self.head += 1;
        Some((r.kind, r.start, r.end))
    }

    pub fn bytes(&self, start: usize, end: usize) -> &[u8] {
        self.buf.get(start..end).unwrap_or(&[])
    }

    /// Queues a record whose payload is written by `f`.
    fn record(&mut self, kind: Kind, f: impl FnOnce(&mut Vec<u8>) -> Result<()>) -> Result<()> {
        let start = self.buf.len();
        if let Err(e) = f(&mut self.buf) {
            self.buf.truncate(start);
            return Err(e);
        }
        self.push_rec(Rec { kind, start, end: self.buf.len() })
    }

    fn push_rec(&mut self, rec: Rec) -> Result<()> {
        self.recs.try_reserve(1).map_err(|_| crate::error::oom())?;
        self.recs.push(rec);
        Ok(())
    }

    /// The first record of every stream.
    pub fn document(&mut self, mime: &str) -> Result<()> {
        self.record(Kind::Document, |b| {
            push_bytes(b, b"{\"mime_type\":")?;
            json::push_string(b, mime)?;
            b.push(b'}');
            Ok(())
        })
    }
}

/// Where to cut a text chunk of at most `max` bytes (`max` ≥ 4, `text.len()` > `max`):
/// after the last paragraph break, else the last line break, else the last space, provided
/// that leaves at least a quarter of `max`; otherwise at the last character boundary.
/// Never splits a UTF-8 character.
pub fn cut_point(text: &[u8], max: usize) -> usize {
    let end = max.min(text.len());
    // One backward scan: the first paragraph break found wins at once; the first line break
    // and space found are kept in case there is none.
    let (mut line, mut space) = (0, 0);
    let mut c = end;
    while c > max / 4 {
        match text.get(c - 1) {
            Some(b'\n') if text.get(c.wrapping_sub(2)) == Some(&b'\n') => return c,
            Some(b'\n') if line == 0 => line = c,
            Some(b' ') if space == 0 => space = c,
            _ => {}
        }
        c -= 1;
    }
    if line > 0 {
        return line;
    }
    if space > 0 {
        return space;
    }
    // Back off from continuation bytes (10xxxxxx) to the start of a character.
    let mut c = end;
    while c > 0 && text.get(c).is_some_and(|&b| b & 0xc0 == 0x80) {
        c -= 1;
    }
    c
}

/// The sink API: what formats call. Every method fails only with LIMIT (content beyond
/// `max_output`) or OUT_OF_MEMORY, and a format passes that on with `?`.
impl RecordQueue {
    /// Content text, already normalised (LF line endings; UTF-8 by type).
    pub fn text(&mut self, s: &str) -> Result<()> {
        if s.is_empty() {
            return Ok(());
        }
        let total = self.text_written.checked_add(s.len()).filter(|&t| t <= self.max_output as usize);
        self.text_written = total.ok_or_else(|| limit("content exceeds max_output"))?;
        reserve(&mut self.buf, s.len())?;
        let at_end = self.buf.len();
        self.buf.extend_from_slice(s.as_bytes());
        let end = self.buf.len();
        let has_queued = self.recs.len() > self.head;
        match self.recs.last_mut() {
            // Merge with queued text that ends right here (not with text already handed out).
            Some(r) if r.kind == Kind::Text && r.end == at_end && has_queued => {
                r.end = end;
                Ok(())
            }
            _ => self.push_rec(Rec { kind: Kind::Text, start: at_end, end }),
        }
    }

    /// Starts page `number` (1-based); the text that follows belongs to it.
    pub fn page(&mut self, number: u32) -> Result<()> {
        self.record(Kind::Page, |b| {
            push_bytes(b, b"{\"page_number\":")?;
            json::push_uint(b, number as usize);
            b.push(b'}');
            Ok(())
        })
    }

    /// Metadata fields: one record each, and a format emits each key at most once. One
    /// method per value type keeps each call a few scalars and compiles in only the types a
    /// build's formats use.
    pub fn meta_str(&mut self, key: &str, value: &str) -> Result<()> {
        self.meta_with(key, |b| json::push_string(b, value))
    }

    pub fn meta_int(&mut self, key: &str, value: usize) -> Result<()> {
        self.meta_with(key, |b| {
            json::push_uint(b, value);
            Ok(())
        })
    }

    pub fn meta_bool(&mut self, key: &str, value: bool) -> Result<()> {
        self.meta_with(key, |b| push_bytes(b, if value { b"true" } else { b"false" }))
    }

    pub fn meta_list(&mut self, key: &str, items: &[&str]) -> Result<()> {
        self.meta_with(key, |b| {
            b.push(b'[');
            for (i, s) in items.iter().enumerate() {
                if i > 0 {
                    b.push(b',');
                }
                json::push_string(b, s)?;
            }
            b.push(b']');
            Ok(())
        })
    }

    fn meta_with(&mut self, key: &str, value: impl FnOnce(&mut Vec<u8>) -> Result<()>) -> Result<()> {
        self.record(Kind::Metadata, |b| {
            b.push(b'{');
            json::push_string(b, key)?;
            b.push(b':');
            value(b)?;
            b.push(b'}');
            Ok(())
        })
    }

    pub fn table(&mut self, table: &Table) -> Result<()> {
        self.record(Kind::Table, |b| {
            push_bytes(b, b"{\"cells\":[")?;
            for (i, row) in table.rows.iter().enumerate() {
                if i > 0 {
                    b.push(b',');
                }
                b.push(b'[');
                for (j, cell) in row.iter().enumerate() {
                    if j > 0 {
                        b.push(b',');
                    }
                    json::push_string(b, cell)?;
                }
                b.push(b']');
            }
            push_bytes(b, b"],\"markdown\":")?;
            json::push_string(b, &table.markdown)?;
            push_bytes(b, b",\"page_number\":")?;
            json::push_uint(b, table.page_number as usize);
            b.push(b'}');
            Ok(())
        })
    }

    pub fn image(&mut self, image: &Image<'_>) -> Result<()> {
        self.record(Kind::Image, |b| {
            push_bytes(b, b"{\"format\":")?;
            json::push_string(b, image.format)?;
            for (key, v) in [
                (&b",\"width\":"[..], image.width),
                (b",\"height\":", image.height),
                (b",\"page_number\":", image.page_number),
            ] {
                push_bytes(b, key)?;
                json::push_uint(b, v as usize);
            }
            push_bytes(b, b",\"data\":\"")?;
            push_base64(b, image.data)?;
            push_bytes(b, b"\"}")
        })
    }

    /// Something the host should know: a recovery, a skipped part, a fallback.
    pub fn warning(&mut self, source: &str, message: &str) -> Result<()> {
        self.record(Kind::Warning, |b| {
            push_bytes(b, b"{\"source\":")?;
            json::push_string(b, source)?;
            push_bytes(b, b",\"message\":")?;
            json::push_string(b, message)?;
            b.push(b'}');
            Ok(())
        })
    }
}

/// Standard base64 with padding, for image bytes inside JSON.
fn push_base64(out: &mut Vec<u8>, data: &[u8]) -> Result<()> {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    reserve(out, data.len().div_ceil(3) * 4)?;
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() { ABC[(n >> (18 - 6 * i) & 63) as usize] } else { b'=' });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn drain(q: &mut RecordQueue, max: usize) -> Vec<(Kind, String)> {
        let mut out = Vec::new();
        while let Some((k, s, e)) = q.pop(max) {
            out.push((k, String::from_utf8(q.bytes(s, e).to_vec()).unwrap()));
        }
        out
    }

    #[test]
    fn text_merges_and_records_keep_order() {
        let mut q = RecordQueue::new(Vec::new(), 1000);
        q.document("text/plain").unwrap();
        q.text("Hello, ").unwrap();
        q.text("world").unwrap();
        q.page(2).unwrap();
        q.meta_str("title", "T\"x").unwrap();
        q.meta_list("sheet_names", &["a", "b"]).unwrap();
        q.meta_int("page_count", 12).unwrap();
        q.meta_bool("encrypted", false).unwrap();
        q.warning("text", "w").unwrap();
        let r = drain(&mut q, 64);
        let kinds: Vec<Kind> = r.iter().map(|x| x.0).collect();
        assert_eq!(
            kinds,
            [
                Kind::Document,
                Kind::Text,
                Kind::Page,
                Kind::Metadata,
                Kind::Metadata,
                Kind::Metadata,
                Kind::Metadata,
                Kind::Warning
            ]
        );
        assert_eq!(r[0].1, "{\"mime_type\":\"text/plain\"}");
        assert_eq!(r[1].1, "Hello, world");
        assert_eq!(r[2].1, "{\"page_number\":2}");
        assert_eq!(r[3].1, "{\"title\":\"T\\\"x\"}");
        assert_eq!(r[4].1, "{\"sheet_names\":[\"a\",\"b\"]}");
        assert_eq!(r[5].1, "{\"page_count\":12}");
        assert_eq!(r[6].1, "{\"encrypted\":false}");
        assert_eq!(r[7].1, "{\"source\":\"text\",\"message\":\"w\"}");
    }

    #[test]
    fn table_and_image_payloads() {
        let mut q = RecordQueue::new(Vec::new(), 1000);
        let t = Table {
            rows: vec![vec!["a".into(), "b".into()], vec!["1".into(), "2".into()]],
            markdown: "| a | b |".into(),
            page_number: 3,
        };
        q.table(&t).unwrap();
        q.image(&Image { format: "png", width: 2, height: 1, page_number: 1, data: b"Man" }).unwrap();
        q.image(&Image { format: "png", width: 2, height: 1, page_number: 1, data: b"Ma" }).unwrap();
        let r = drain(&mut q, 64);
        assert_eq!(r[0].1, "{\"cells\":[[\"a\",\"b\"],[\"1\",\"2\"]],\"markdown\":\"| a | b |\",\"page_number\":3}");
        assert_eq!(r[1].1, "{\"format\":\"png\",\"width\":2,\"height\":1,\"page_number\":1,\"data\":\"TWFu\"}");
        assert!(r[2].1.ends_with("\"TWE=\"}"));
    }

    #[test]
    fn output_limit() {
        let mut q = RecordQueue::new(Vec::new(), 10);
        q.text("0123456789").unwrap();
        assert_eq!(q.text("x").unwrap_err().code(), crate::error::Code::Limit);
    }

    #[test]
    fn cut_prefers_paragraphs_then_lines_then_spaces() {
        assert_eq!(cut_point(b"aaaa\n\nbbbb cccc", 12), 6);
        assert_eq!(cut_point(b"aaaa bbbb\ncccc", 12), 10);
        assert_eq!(cut_point(b"aaaa bbbbbbbbbbb", 12), 5);
        assert_eq!(cut_point(b"aaaa\nbbbbbbbbbb", 12), 5);
        assert_eq!(cut_point(b"aaaaaaaaaaaaaaaa", 12), 12);
        // A break too early (within the first quarter) is not worth a tiny chunk.
        assert_eq!(cut_point(b"a\n\nbbbbbbbbbbbbbbbbbbbb", 16), 16);
    }

    #[test]
    fn chunks_never_split_characters() {
        let text = "aé€😀 ".repeat(40);
        for max in 4..40 {
            let mut q = RecordQueue::new(Vec::new(), 1 << 20);
            q.text(&text).unwrap();
            let mut joined = String::new();
            for (k, s) in drain(&mut q, max) {
                assert_eq!(k, Kind::Text);
                assert!(s.len() <= max && !s.is_empty(), "max {max}: {s:?}");
                joined.push_str(&s);
            }
            assert_eq!(joined, text);
        }
    }

    #[test]
    fn reading_a_huge_unit_in_small_chunks_moves_each_byte_a_bounded_number_of_times() {
        // 8 MB of text read 64 bytes at a time: 131,072 pops. Moving the rest down on every
        // pop would move ~550 GB; amortised compaction moves at most about the text's size.
        let mut q = RecordQueue::new(Vec::new(), 1 << 30);
        let text = "x".repeat(8 << 20);
        q.text(&text).unwrap();
        let (mut total, mut moved) = (0, 0);
        while let Some((_, s, e)) = q.pop(64) {
            total += e - s;
            let before = q.buf.len();
            q.compact();
            if q.buf.len() != before {
                moved += q.buf.len(); // the bytes still queued were moved to the front
            }
        }
        assert_eq!(total, text.len());
        assert!(moved <= text.len(), "moved {moved} bytes for {} of text", text.len());
    }

    #[test]
    fn compact_keeps_queued_payloads() {
        let mut q = RecordQueue::new(Vec::new(), 1000);
        q.text("first chunk of text").unwrap();
        q.page(1).unwrap();
        q.pop(6).unwrap();
        q.compact();
        q.text("more").unwrap();
        let r = drain(&mut q, 100);
        assert_eq!(r[0].1, "chunk of text");
        assert_eq!(r[1].1, "{\"page_number\":1}");
        assert_eq!(r[2].1, "more");
    }
}
