//! The HTML tokenizer, over bytes. All markup is ASCII in every encoding an HTML page can
//! be read in here (UTF-16 is transcoded first), so text and attribute values are handed
//! out as raw bytes and decoded by the caller.
//!
//! It follows the WHATWG tokenizer states closely enough for real pages: a '<' that does not
//! start markup is text; tag and attribute names end at white space, '/', '>' (and '=');
//! attribute values are double-, single- or unquoted; comments end at `-->` or `--!>`, and
//! `<!-->` / `<!--->` are empty comments; `<!...>` and `<?...>` are bogus comments; CDATA
//! sections are text in foreign content and bogus comments elsewhere; a tag cut off by the
//! end of the input is dropped, as the spec says. Raw text elements are read by
//! [`Tokenizer::raw_text`], which the tree builder calls after their start tag.

use alloc::vec::Vec;

/// Longest text token: a page that is one 50 MB line of text is handed out in pieces, so
/// decoding never needs a buffer the size of the page.
const MAX_TEXT: usize = 64 * 1024;

/// Attributes kept per tag: real tags have a handful; a hostile tag with millions is read
/// to its end but only its first attributes are kept (and the first of a name wins anyway).
const MAX_ATTRS: usize = 32;

pub enum Token<'a> {
    /// Text up to the next markup, character references not decoded.
    Text(&'a [u8]),
    /// A start tag; its attributes are in [`Tokenizer::attrs`].
    Start {
        name: &'a [u8],
        self_closing: bool,
    },
    End {
        name: &'a [u8],
    },
    /// A CDATA section in foreign content: text without references.
    CData(&'a [u8]),
    /// Comment, doctype, processing instruction, or a token that was dropped.
    Nothing,
}

/// One attribute: name and value as byte ranges of the input.
#[derive(Clone, Copy)]
pub struct Attr {
    pub name: (usize, usize),
    pub value: (usize, usize),
}

#[derive(Default)]
pub struct Tokenizer {
    pub pos: usize,
    pub attrs: Vec<Attr>,
    /// Where the name of the last tag ends.
    name_end: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Byte classes for the scans inside tags.
pub const SPACE: u8 = 1;
pub const SLASH: u8 = 2;
pub const GT: u8 = 4;
const EQ: u8 = 8;

fn class(b: u8) -> u8 {
    match b {
        b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => SPACE,
        b'/' => SLASH,
        b'>' => GT,
        b'=' => EQ,
        _ => 0,
    }
}

/// The index of the first byte from `from` that is not white space.
fn skip_space(input: &[u8], from: usize) -> usize {
    seek(input, from, SPACE, false)
}

/// The index of the first byte from `from` whose class is in `stop` (the input length if
/// none is).
pub fn scan(input: &[u8], from: usize, stop: u8) -> usize {
    seek(input, from, stop, true)
}

/// The index of the first byte from `from` whose class is (`hit`) or is not in `mask`, or
/// the input length.
fn seek(input: &[u8], from: usize, mask: u8, hit: bool) -> usize {
    let rest = input.get(from..).unwrap_or(&[]);
    from + rest.iter().position(|&b| (class(b) & mask != 0) == hit).unwrap_or(rest.len())
}

/// `input[at..]` starts with the tag name `name` (in any case), ended by white space, '/',
/// '>' or the end of the input.
fn closes(input: &[u8], at: usize, name: &[u8]) -> bool {
    input.get(at..at + name.len()).is_some_and(|s| s.eq_ignore_ascii_case(name))
        && input.get(at + name.len()).is_none_or(|&b| class(b) & (SPACE | SLASH | GT) != 0)
}

/// Position of `pat` (not empty) in `input` from `from`, or [`NOT_FOUND`].
pub fn find(input: &[u8], from: usize, pat: &[u8]) -> usize {
    let first = pat.first().copied().unwrap_or(0);
    let mut i = from;
    while let Some(off) = input.get(i..).and_then(|r| r.iter().position(|&b| b == first)) {
        i += off;
        if input.get(i..i + pat.len()) == Some(pat) {
            return i;
        }
        i += 1;
    }
    NOT_FOUND
}

/// Position of `pat` (not empty) in `input`, ignoring ASCII case, or [`NOT_FOUND`].
pub fn find_ci(input: &[u8], pat: &[u8]) -> usize {
    input.windows(pat.len()).position(|w| w.eq_ignore_ascii_case(pat)).unwrap_or(NOT_FOUND)
}

/// [`find`] found nothing (a plain number returns in a register, an Option in memory).
pub const NOT_FOUND: usize = usize::MAX;

/// Where to cut a long text run near `at`: after white space if there is some shortly
/// before, else on a character boundary and before any '&' that may start a reference.
fn text_cut(input: &[u8], at: usize) -> usize {
    let from = at - 256;
    if let Some(p) = input.get(from..at).and_then(|w| w.iter().rposition(|&b| is_space(b))) {
        return from + p + 1;
    }
    let mut cut = at;
    while input.get(cut).is_some_and(|&b| b & 0xc0 == 0x80) && cut > from {
        cut -= 1;
    }
    match input.get(cut - 40..cut).and_then(|w| w.iter().rposition(|&b| b == b'&')) {
        Some(p) => cut - 40 + p,
        None => cut,
    }
}

impl Tokenizer {
    pub fn at_end(&self, input: &[u8]) -> bool {
        self.pos >= input.len()
    }

    /// The next token, or None at the end of the input. `foreign`: inside SVG or MathML,
    /// where `<![CDATA[` opens a CDATA section.
    pub fn next<'a>(&mut self, input: &'a [u8], foreign: bool) -> Option<Token<'a>> {
        let start = self.pos;
        let rest = input.get(start..)?;
        if rest.is_empty() {
            return None;
        }
        // Text runs to the next '<' that starts markup, and at most about MAX_TEXT bytes.
        let window = input.len().min(start + MAX_TEXT);
        let mut i = start;
        loop {
            let Some(off) = input.get(i..window)?.iter().position(|&b| b == b'<') else {
                i = if window < input.len() { text_cut(input, window) } else { window };
                break;
            };
            i += off;
            let next = input.get(i + 1).copied().unwrap_or(0);
            if next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?') {
                break;
            }
            i += 1;
        }
        if i > start {
            self.pos = i;
            return input.get(start..i).map(Token::Text);
        }
        // Markup at `start`.
        let next = input.get(start + 1).copied().unwrap_or(0);
        let token = match next {
            b'!' => self.declaration(input, foreign),
            // `</>` and `</` before anything but a letter too.
            b'?' | b'/' if next == b'?' || !input.get(start + 2).is_some_and(u8::is_ascii_alphabetic) => {
                self.bogus(input)
            }
            _ => {
                let end = next == b'/';
                let at = start + 1 + end as usize;
                let self_closing = self.tag(input, at);
                match input.get(at..self.name_end) {
                    Some(name) if end => Token::End { name },
                    Some(name) => Token::Start { name, self_closing },
                    None => Token::Nothing,
                }
            }
        };
        Some(token)
    }

    /// `<!`: a comment, a doctype or other declaration, or CDATA.
    fn declaration<'a>(&mut self, input: &'a [u8], foreign: bool) -> Token<'a> {
        let at = self.pos + 2;
        if input.get(at..at + 2) == Some(b"--") {
            // Scanning from the opening dashes makes `<!-->` and `<!--->` end at once.
            let mut j = at;
            loop {
                let d = find(input, j, b"--");
                match input.get(d.saturating_add(2)) {
                    Some(b'>') => {
                        self.pos = d + 3;
                        return Token::Nothing;
                    }
                    Some(b'!') if input.get(d + 3) == Some(&b'>') => {
                        self.pos = d + 4;
                        return Token::Nothing;
                    }
                    Some(_) => j = d + 1,
                    None => break,
                }
            }
            self.pos = input.len();
            return Token::Nothing;
        }
        if foreign && input.get(at..at + 7) == Some(b"[CDATA[") {
            let body = at + 7;
            let end = find(input, body, b"]]>").min(input.len());
            self.pos = (end + 3).min(input.len());
            return input.get(body..end).map_or(Token::Nothing, Token::CData);
        }
        self.bogus(input)
    }

    /// A bogus comment: everything from the markup's second byte to the next '>'.
    fn bogus<'a>(&mut self, input: &'a [u8]) -> Token<'a> {
        self.pos = find(input, self.pos + 1, b">").saturating_add(1).min(input.len());
        Token::Nothing
    }

    /// A tag from its name at `at`: sets `name_end` and fills `attrs`, and returns the
    /// self-closing flag. If the input ends inside the tag, `name_end` is [`NOT_FOUND`] and
    /// nothing more is read.
    fn tag(&mut self, input: &[u8], at: usize) -> bool {
        self.attrs.clear();
        let i = scan(input, at, SPACE | SLASH | GT);
        self.name_end = i;
        let tag = self.read_tag(input, i);
        if tag.is_none() {
            self.pos = input.len();
            self.name_end = NOT_FOUND;
        }
        tag == Some(true)
    }

    /// Reads the attributes from `i`; whether the tag is self-closing, None if it is cut off.
    fn read_tag(&mut self, input: &[u8], mut i: usize) -> Option<bool> {
        loop {
            // Between attributes; a '/' not followed by '>' is skipped like white space.
            i = skip_space(input, i);
            let next = input.get(i + 1).copied();
            match input.get(i) {
                None => break,
                Some(b'/') if next == Some(b'>') => {
                    self.pos = i + 2;
                    return Some(true);
                }
                Some(b'/') => {
                    i += 1;
                    continue;
                }
                Some(b'>') => {
                    self.pos = i + 1;
                    return Some(false);
                }
                _ => {}
            }
            // Attribute name: a leading '=' belongs to it.
            let name_start = i;
            let name_end = scan(input, i + 1, SPACE | SLASH | GT | EQ);
            i = skip_space(input, name_end);
            let mut value = (i, i);
            if input.get(i) == Some(&b'=') {
                i = skip_space(input, i + 1);
                match input.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let close = find(input, i + 1, &[q]);
                        if close == NOT_FOUND {
                            return None;
                        }
                        value = (i + 1, close);
                        i = close + 1;
                    }
                    _ => {
                        let end = scan(input, i, SPACE | GT);
                        value = (i, end);
                        i = end;
                    }
                }
            }
            if self.attrs.len() < MAX_ATTRS {
                self.attrs.push(Attr { name: (name_start, name_end), value });
            }
        }
        None
    }

    /// The value of attribute `name` (lower case) of the last start tag.
    pub fn attr<'a>(&self, input: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
        let a =
            self.attrs.iter().find(|a| input.get(a.name.0..a.name.1).is_some_and(|n| n.eq_ignore_ascii_case(name)))?;
        input.get(a.value.0..a.value.1)
    }

    /// The content of a raw text or RCDATA element whose start tag was just read: everything
    /// up to `</name` followed by white space, '/' or '>' (the end tag is the next token).
    /// `script` follows the spec's escape states, so a `</script>` written inside
    /// `<!-- <script> ... -->` does not end it.
    pub fn raw_text<'a>(&mut self, input: &'a [u8], name: &[u8], script: bool) -> &'a [u8] {
        let start = self.pos;
        let mut i = start;
        // 0: data, 1: escaped (inside <!--), 2: double escaped (<script> inside <!--).
        let mut state = 0u8;
        while let Some(off) = input.get(i..).and_then(|r| r.iter().position(|&b| b == b'<' || script && b == b'-')) {
            i += off;
            if input.get(i) == Some(&b'-') {
                if state > 0 && input.get(i..i + 3) == Some(b"-->") {
                    state = 0;
                    i += 3;
                } else {
                    i += 1;
                }
                continue;
            }
            if input.get(i + 1) == Some(&b'/') && closes(input, i + 2, name) {
                if state == 2 {
                    state = 1;
                    i += 2;
                    continue;
                }
                self.pos = i;
                return input.get(start..i).unwrap_or(&[]);
            }
            if script && state == 0 && input.get(i..i + 4) == Some(b"<!--") {
                state = 1;
                i += 4;
                continue;
            }
            if script && state == 1 && closes(input, i + 1, name) {
                state = 2;
            }
            i += 1;
        }
        self.pos = input.len();
        input.get(start..).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    /// Tokens as short strings: text as is, tags as <name> / </name>, skipped as ~.
    fn tokens(input: &str) -> Vec<String> {
        let mut t = Tokenizer::default();
        let b = input.as_bytes();
        let mut out = Vec::new();
        while let Some(tok) = t.next(b, false) {
            let s = |x: &[u8]| String::from_utf8(x.to_vec()).unwrap();
            out.push(match tok {
                Token::Text(x) => s(x),
                Token::Start { name, self_closing } => {
                    let attrs: Vec<String> = t
                        .attrs
                        .iter()
                        .map(|a| format!(" {}={}", s(&b[a.name.0..a.name.1]), s(&b[a.value.0..a.value.1])))
                        .collect();
                    format!("<{}{}{}>", s(name), attrs.concat(), if self_closing { "/" } else { "" })
                }
                Token::End { name } => format!("</{}>", s(name)),
                Token::CData(x) => format!("[{}]", s(x)),
                Token::Nothing => "~".into(),
            });
        }
        out
    }

    #[test]
    fn tags_attributes_and_text() {
        assert_eq!(
            tokens("a<B class=x id='y z' data-q=\"1>2\" checked>b</b >c"),
            ["a", "<B class=x id=y z data-q=1>2 checked=>", "b", "</b>", "c"]
        );
        assert_eq!(tokens("<br/><img src=a.png/>"), ["<br/>", "<img src=a.png/>"]);
        assert_eq!(tokens("<p =x a=b/c>"), ["<p =x= a=b/c>"]);
        assert_eq!(tokens("1 < 2 <3 <> </> x"), ["1 < 2 <3 <> ", "~", " x"]);
    }

    #[test]
    fn comments_and_declarations() {
        assert_eq!(
            tokens("<!DOCTYPE html>a<!-- c -->b<!-->c<!--->d<!-- x --!>e<?php x ?>f</3>g"),
            ["~", "a", "~", "b", "~", "c", "~", "d", "~", "e", "~", "f", "~", "g"]
        );
        assert_eq!(tokens("a<!-- never closed <p>"), ["a", "~"]);
        assert_eq!(tokens("a<![CDATA[x]]>b"), ["a", "~", "b"]);
        let mut t = Tokenizer::default();
        assert!(matches!(t.next(b"<![CDATA[x<y]]>", true), Some(Token::CData(b"x<y"))));
    }

    #[test]
    fn truncated_tags_are_dropped() {
        assert_eq!(tokens("a<div class=\"x"), ["a", "~"]);
        assert_eq!(tokens("a<div"), ["a", "~"]);
        assert_eq!(tokens("a</div"), ["a", "~"]);
    }

    #[test]
    fn raw_text_and_script_escapes() {
        let input = b"<script>if (a</b) x = '<!-- <script> </script> -->';</script >after";
        let mut t = Tokenizer::default();
        assert!(matches!(t.next(input, false), Some(Token::Start { .. })));
        assert_eq!(t.raw_text(input, b"script", true), &b"if (a</b) x = '<!-- <script> </script> -->';"[..]);
        assert!(matches!(t.next(input, false), Some(Token::End { name: b"script" })));
        let input = b"<title>a <b> &amp; </TITLE>";
        let mut t = Tokenizer::default();
        t.next(input, false);
        assert_eq!(t.raw_text(input, b"title", false), b"a <b> &amp; ");
        let input = b"<style>never closed </styles";
        let mut t = Tokenizer::default();
        t.next(input, false);
        assert_eq!(t.raw_text(input, b"style", false), b"never closed </styles");
        assert!(t.at_end(input));
    }
}
