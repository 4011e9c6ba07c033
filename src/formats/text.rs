//! Plain text: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, Windows-1252 when the
//! bytes are not valid UTF-8. Decoded and cleaned a piece at a time; metadata counts lines,
//! words and characters of the content as returned.

use crate::config::Config;
use crate::encoding::{Encoding, LineCleaner};
use crate::error::Result;
use crate::feature;
use crate::formats::{Extractor, Family, Format, Step};
use crate::sink::Sink;
use alloc::boxed::Box;
use alloc::string::String;

pub const FORMAT: Format =
    Format { mimes: &["text/plain"], feature: feature::TEXT, family: Family::Text { looks_like: None }, open };

/// Input bytes decoded per step: large enough to amortise the sink, small enough that a
/// 50 MB file never needs a second full-size copy.
const PIECE: usize = 64 * 1024;

fn open<'a>(doc: &'a [u8], _cfg: &Config) -> Result<Box<dyn Extractor + 'a>> {
    let (encoding, bom) = Encoding::detect(doc);
    Ok(Box::new(Text {
        rest: doc.get(bom..).unwrap_or(&[]),
        encoding,
        started: false,
        cleaner: LineCleaner::default(),
        piece: String::new(),
        counts: Counts::default(),
    }))
}

struct Text<'a> {
    rest: &'a [u8],
    encoding: Encoding,
    started: bool,
    cleaner: LineCleaner,
    piece: String,
    counts: Counts,
}

/// Line, word and character counts over text that arrives in pieces.
#[derive(Default)]
pub struct Counts {
    pub lines: usize,
    pub words: usize,
    pub chars: usize,
    in_word: bool,
    /// The last character seen was not a line break (an unterminated last line).
    open_line: bool,
}

/// Unicode's White_Space property, spelled out: `char::is_whitespace` carries a 256-byte
/// table into the module for the same answer. ASCII, nearly every character tested, is
/// settled first by the short list.
pub fn is_white_space(c: char) -> bool {
    if c < '\u{80}' {
        return matches!(c, '\t'..='\r' | ' ');
    }
    matches!(c, '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}')
}

impl Counts {
    pub fn add(&mut self, c: char) {
        self.chars += 1;
        if c == '\n' {
            self.lines += 1;
        }
        self.open_line = c != '\n';
        let space = is_white_space(c);
        if !space && !self.in_word {
            self.words += 1;
        }
        self.in_word = !space;
    }

    /// Lines as `str::lines` counts them: a final line without a line break counts too.
    pub fn line_count(&self) -> usize {
        self.lines + self.open_line as usize
    }

    /// The `line_count`, `word_count` and `character_count` metadata (plain text and
    /// Markdown write the same three).
    pub fn emit(&self, sink: &mut Sink) -> Result<()> {
        sink.meta_int("line_count", self.line_count())?;
        sink.meta_int("word_count", self.words)?;
        sink.meta_int("character_count", self.chars)
    }
}

impl<'a> Extractor for Text<'a> {
    fn step(&mut self, sink: &mut Sink) -> Result<Step> {
        if !self.started {
            self.started = true;
            sink.meta_str("format_type", "text")?;
            sink.meta_str("encoding", self.encoding.name())?;
            if self.encoding == Encoding::Windows1252 {
                sink.warning("text", "input is not valid UTF-8; decoded as Windows-1252")?;
            }
        }
        if self.rest.is_empty() {
            self.counts.emit(sink)?;
            return Ok(Step::Done);
        }
        let (piece, cleaner, counts) = (&mut self.piece, &mut self.cleaner, &mut self.counts);
        piece.clear();
        crate::error::reserve_str(piece, PIECE)?;
        let used = self.encoding.decode(self.rest, PIECE, &mut |c| {
            if let Some(c) = cleaner.clean(c) {
                counts.add(c);
                piece.push(c);
            }
        });
        self.rest = self.rest.get(used..).unwrap_or(&[]);
        sink.text(piece)?;
        Ok(Step::More)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arena::Arena;
    use crate::records::Kind;
    use crate::stream::Stream;

    /// Runs a document through the stream and returns (content, metadata payloads, warnings).
    fn run(doc: &[u8]) -> (String, Vec<String>, usize) {
        let mut arena = Arena::new();
        let mut s = Stream::open(doc, Some(b"text/plain"), &Config::default(), &mut arena).unwrap();
        let (mut text, mut meta, mut warnings) = (String::new(), Vec::new(), 0);
        loop {
            match s.next(0).unwrap() {
                Kind::End => break,
                Kind::Text => text.push_str(core::str::from_utf8(s.payload()).unwrap()),
                Kind::Metadata => meta.push(String::from_utf8(s.payload().to_vec()).unwrap()),
                Kind::Warning => warnings += 1,
                _ => {}
            }
        }
        (text, meta, warnings)
    }

    #[test]
    fn counts_like_str_methods() {
        let t = "Ceci est un texte français.\n\nDeux  lignes\tici\n";
        let (content, meta, w) = run(t.as_bytes());
        assert_eq!(content, t);
        assert_eq!(w, 0);
        assert!(meta.contains(&format!("{{\"line_count\":{}}}", t.lines().count())));
        assert!(meta.contains(&format!("{{\"word_count\":{}}}", t.split_whitespace().count())));
        assert!(meta.contains(&format!("{{\"character_count\":{}}}", t.chars().count())));
    }

    #[test]
    fn white_space_matches_core() {
        for c in (0..0x11000).filter_map(char::from_u32) {
            assert_eq!(is_white_space(c), c.is_whitespace(), "{c:?}");
        }
    }

    #[test]
    fn boms_and_fallback() {
        assert_eq!(run(b"\xef\xbb\xbfhello\r\nworld").0, "hello\nworld");
        let le: Vec<u8> = [0xff, 0xfe].into_iter().chain("ħi\r\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(run(&le).0, "ħi\n");
        let (text, meta, warnings) = run(b"na\xefve caf\xe9");
        assert_eq!(text, "naïve café");
        assert_eq!(warnings, 1);
        assert!(meta.iter().any(|m| m.contains("windows-1252")));
    }

    #[test]
    fn large_input_streams_in_pieces() {
        let line = "Ünïcödé line of text\r\n";
        let doc = line.repeat(20_000);
        let (content, _, _) = run(doc.as_bytes());
        assert_eq!(content, doc.replace("\r\n", "\n"));
    }
}
