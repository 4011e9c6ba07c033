//! One tokenizer and object parser for both the file structure and content streams.
//! Arrays and dictionaries are built with an explicit stack (no recursion), checked against
//! the depth limit. Malformed input is read the way viewers read it: stray `)`, `]` and `>>`
//! are skipped, a container left open by a keyword or the end of the data is closed there,
//! and a dictionary key that is not a name is dropped.

use crate::error::{limit, oom, Result};
use crate::pdf::lexer::{self, is_regular};
use crate::pdf::object::{Dict, Object, Ref};
use alloc::vec::Vec;

pub enum Token<'a> {
    Obj(Object),
    /// An operator or structural keyword (`BT`, `Tj`, `obj`, `stream`, `R` on its own...).
    Keyword(&'a [u8]),
}

pub struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
    max_depth: u32,
    /// File mode: "1 0 R" is one reference.
    refs: bool,
}

enum Frame {
    Array(Vec<Object>),
    Dict(Dict, Option<Vec<u8>>),
}

impl Frame {
    fn close(self) -> Object {
        match self {
            Frame::Array(a) => Object::Array(a),
            Frame::Dict(d, _) => Object::Dict(d),
        }
    }
}

impl<'a> Parser<'a> {
    /// Content-stream mode: "1 0 R" is NOT combined into a reference (content streams have
    /// none).
    pub fn content(data: &'a [u8], max_depth: u32) -> Parser<'a> {
        Parser { data, pos: 0, max_depth, refs: false }
    }

    /// File mode: indirect references are recognised.
    pub fn file(data: &'a [u8], max_depth: u32) -> Parser<'a> {
        Parser { data, pos: 0, max_depth, refs: true }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn set_pos(&mut self, pos: usize) {
        self.pos = pos;
    }

    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The next object, or `Null` when a keyword or the end comes first (the keyword is
    /// left unread).
    pub fn object(&mut self) -> Result<Object> {
        let at = self.pos;
        match self.next_token()? {
            Some(Token::Obj(o)) => Ok(o),
            Some(Token::Keyword(_)) => {
                self.pos = at;
                Ok(Object::Null)
            }
            None => Ok(Object::Null),
        }
    }

    /// The next keyword if the next token is one, else `None` with nothing consumed.
    pub fn keyword(&mut self) -> Option<&'a [u8]> {
        let at = lexer::skip_white(self.data, self.pos);
        let c = *self.data.get(at)?;
        if !is_regular(c) || c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.') {
            return None;
        }
        let end = lexer::regular_end(self.data, at);
        let word = self.data.get(at..end)?;
        if matches!(word, b"true" | b"false" | b"null") {
            return None;
        }
        self.pos = end;
        Some(word)
    }

    /// Next object (arrays and dicts parsed whole, depth-checked) or keyword; `None` at the
    /// end. Errors only on limits (depth, memory).
    pub fn next_token(&mut self) -> Result<Option<Token<'a>>> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            self.pos = lexer::skip_white(self.data, self.pos);
            let Some(&c) = self.data.get(self.pos) else {
                return Ok(close_all(stack).map(Token::Obj));
            };
            let next = self.data.get(self.pos + 1).copied();
            let value = match c {
                b'[' | b'<' if c == b'[' || next == Some(b'<') => {
                    if stack.len() >= self.max_depth as usize {
                        return Err(limit("pdf: objects nested deeper than max_depth"));
                    }
                    stack.try_reserve(1).map_err(|_| oom())?;
                    if c == b'[' {
                        self.pos += 1;
                        stack.push(Frame::Array(Vec::new()));
                    } else {
                        self.pos += 2;
                        stack.push(Frame::Dict(Dict::new(), None));
                    }
                    continue;
                }
                b']' => {
                    self.pos += 1;
                    match stack.pop() {
                        Some(Frame::Array(a)) => Object::Array(a),
                        Some(other) => {
                            stack.push(other);
                            continue;
                        }
                        None => continue,
                    }
                }
                b'>' => {
                    if next != Some(b'>') {
                        self.pos += 1;
                        continue;
                    }
                    self.pos += 2;
                    match stack.pop() {
                        Some(Frame::Dict(d, _)) => Object::Dict(d),
                        Some(other) => {
                            stack.push(other);
                            continue;
                        }
                        None => continue,
                    }
                }
                b')' => {
                    self.pos += 1;
                    continue;
                }
                b'(' => {
                    let mut s = Vec::new();
                    self.pos = lexer::literal_string(self.data, self.pos + 1, &mut s)?;
                    Object::Str(s)
                }
                b'<' => {
                    let mut s = Vec::new();
                    self.pos = lexer::hex_string(self.data, self.pos + 1, &mut s)?;
                    Object::Str(s)
                }
                b'/' => {
                    let mut n = Vec::new();
                    self.pos = lexer::name(self.data, self.pos + 1, &mut n)?;
                    Object::Name(n)
                }
                b'0'..=b'9' | b'+' | b'-' | b'.' => self.number(),
                b'{' | b'}' => {
                    // PostScript calculator braces: keywords of their own.
                    let at = self.pos;
                    self.pos += 1;
                    if stack.is_empty() {
                        return Ok(self.data.get(at..at + 1).map(Token::Keyword));
                    }
                    continue;
                }
                _ => {
                    let at = self.pos;
                    let end = lexer::regular_end(self.data, at).max(at + 1);
                    let word = self.data.get(at..end).unwrap_or(&[]);
                    let literal = match word {
                        b"true" => Object::Bool(true),
                        b"false" => Object::Bool(false),
                        b"null" => Object::Null,
                        _ if stack.is_empty() => {
                            self.pos = end;
                            return Ok(Some(Token::Keyword(word)));
                        }
                        // A keyword inside a container: the container was left open
                        // (truncated object, operator after an unclosed array).
                        _ => return Ok(close_all(stack).map(Token::Obj)),
                    };
                    self.pos = end;
                    literal
                }
            };
            match stack.last_mut() {
                None => return Ok(Some(Token::Obj(value))),
                Some(frame) => add(frame, value)?,
            }
        }
    }

    /// A number at `pos`; in file mode "num gen R" becomes a reference.
    fn number(&mut self) -> Object {
        let (n, end) = lexer::number(self.data, self.pos);
        self.pos = end;
        let int = match n {
            Ok(i) => i,
            Err(r) => return Object::Real(r),
        };
        if self.refs && (0..=i64::from(u32::MAX)).contains(&int) {
            if let Some(r) = self.reference_tail(int as u32) {
                return Object::Ref(r);
            }
        }
        Object::Int(int)
    }

    /// After an object number: " gen R"? Consumes it only when it is there.
    fn reference_tail(&mut self, num: u32) -> Option<Ref> {
        let at = lexer::skip_white(self.data, self.pos);
        if !self.data.get(at)?.is_ascii_digit() {
            return None;
        }
        let (gen, after) = lexer::uint(self.data, at)?;
        let r = lexer::skip_white(self.data, after);
        if after == r || self.data.get(r) != Some(&b'R') || self.data.get(r + 1).is_some_and(|&c| is_regular(c)) {
            return None;
        }
        self.pos = r + 1;
        Some(Ref { num, gen: u16::try_from(gen).unwrap_or(u16::MAX) })
    }
}

fn add(frame: &mut Frame, value: Object) -> Result<()> {
    match frame {
        Frame::Array(a) => {
            a.try_reserve(1).map_err(|_| oom())?;
            a.push(value);
        }
        Frame::Dict(d, key) => match key.take() {
            Some(k) => {
                d.try_reserve(1)?;
                d.push(k, value);
            }
            None => {
                if let Object::Name(n) = value {
                    *key = Some(n);
                }
            }
        },
    }
    Ok(())
}

/// Closes every open container (innermost first) and returns the outermost.
fn close_all(mut stack: Vec<Frame>) -> Option<Object> {
    let mut value = stack.pop()?.close();
    while let Some(mut frame) = stack.pop() {
        // Capacity for one more element cannot be promised here; a failed push drops the
        // inner value, which only happens when memory is already exhausted.
        match &mut frame {
            Frame::Array(a) => {
                if a.try_reserve(1).is_ok() {
                    a.push(value);
                }
            }
            Frame::Dict(d, key) => {
                if let Some(k) = key.take() {
                    if d.try_reserve(1).is_ok() {
                        d.push(k, value);
                    }
                }
            }
        }
        value = frame.close();
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[derive(Debug, PartialEq)]
    enum T {
        K(String),
        O(Object),
    }
    use T::{K, O};

    fn tokens(src: &[u8], file: bool) -> Vec<T> {
        let mut p = if file { Parser::file(src, 64) } else { Parser::content(src, 64) };
        let mut out = Vec::new();
        while let Some(t) = p.next_token().unwrap() {
            out.push(match t {
                Token::Keyword(k) => K(String::from_utf8_lossy(k).into_owned()),
                Token::Obj(o) => O(o),
            });
        }
        out
    }

    fn name(s: &str) -> Object {
        Object::Name(s.as_bytes().to_vec())
    }

    #[test]
    fn content_tokens() {
        let t = tokens(b"BT /F1 12 Tf [(a) -20 (b)] TJ 1 0 0 RG ET", false);
        assert_eq!(t[0], K("BT".into()));
        assert_eq!(t[1], O(name("F1")));
        assert_eq!(t[2], O(Object::Int(12)));
        assert_eq!(t[3], K("Tf".into()));
        assert_eq!(
            t[4],
            O(Object::Array(vec![Object::Str(b"a".to_vec()), Object::Int(-20), Object::Str(b"b".to_vec())]))
        );
        // No references in content streams: "1 0 0 RG" stays numbers.
        assert_eq!(t[6], O(Object::Int(1)));
        assert_eq!(t[9], K("RG".into()));
        assert_eq!(t.len(), 11);
    }

    #[test]
    fn file_objects() {
        let t = tokens(b"1 0 obj << /Type /Page /Kids [3 0 R 4 0 R] /N 5 /B true /X null >> endobj", true);
        assert_eq!(t[0], O(Object::Int(1)));
        assert_eq!(t[1], O(Object::Int(0)));
        assert_eq!(t[2], K("obj".into()));
        let O(Object::Dict(d)) = &t[3] else { panic!("{:?}", t[3]) };
        assert_eq!(d.get(b"Type"), Some(&name("Page")));
        assert_eq!(
            d.get(b"Kids").unwrap().as_array().unwrap(),
            &[Object::Ref(Ref { num: 3, gen: 0 }), Object::Ref(Ref { num: 4, gen: 0 })]
        );
        assert_eq!(d.get(b"N"), Some(&Object::Int(5)));
        assert_eq!(d.get(b"B"), Some(&Object::Bool(true)));
        assert_eq!(d.get(b"X"), Some(&Object::Null));
        assert_eq!(t[4], K("endobj".into()));
    }

    #[test]
    fn malformed_is_read_like_a_viewer() {
        // Stray closers skipped; a key that is not a name dropped; the dict ends at "endobj".
        let t = tokens(b") ] >> << /A 1 2 /B (x) /C [1 2 endobj", true);
        let O(Object::Dict(d)) = &t[0] else { panic!("{:?}", t[0]) };
        assert_eq!(d.get(b"A"), Some(&Object::Int(1)));
        assert_eq!(d.get(b"B"), Some(&Object::Str(b"x".to_vec())));
        assert_eq!(d.get(b"C").unwrap().as_array().unwrap().len(), 2);
        assert_eq!(t[1], K("endobj".into()));
        // Truncated inside a dictionary: what was read is kept.
        let t = tokens(b"<< /A [1 (x", true);
        let O(Object::Dict(d)) = &t[0] else { panic!() };
        assert_eq!(d.get(b"A").unwrap().as_array().unwrap().len(), 2);
        // "1 0 Rx" is not a reference.
        let t = tokens(b"1 0 Rx", true);
        assert_eq!(t[2], K("Rx".into()));
    }

    #[test]
    fn deep_nesting_is_a_limit() {
        let deep = [b'['; 10_000];
        let mut p = Parser::file(&deep, 256);
        assert_eq!(p.next_token().err().map(|e| e.code()), Some(Code::Limit));
        let mut ok = Vec::new();
        ok.extend_from_slice(&[b'['; 100]);
        ok.extend_from_slice(&[b']'; 100]);
        let mut p = Parser::content(&ok, 256);
        assert!(matches!(p.next_token().unwrap(), Some(Token::Obj(Object::Array(_)))));
        assert!(p.next_token().unwrap().is_none());
    }
}
