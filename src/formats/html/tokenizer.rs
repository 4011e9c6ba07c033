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
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Byte classes for the scans inside tags.
const SPACE: u8 = 1;
const SLASH: u8 = 2;
const GT: u8 = 4;
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
fn scan(input: &[u8], from: usize, stop: u8) -> usize {
    seek(input, from, stop, true)
}

/// The index of the first byte from `from` whose class is (`hit`) or is not in `mask`, or
/// the input length.
fn seek(input: &[u8], from: usize, mask: u8, hit: bool) -> usize {
    let rest = input.get(from..).unwrap_or(&[]);
    from + rest.iter().position(|&b| (class(b) & mask != 0) == hit).unwrap_or(rest.len())
}

/// Case-insensitive `input[at..]` starts with `lower` (given in lower case).
fn starts_with_ci(input: &[u8], at: usize, lower: &[u8]) -> bool {
    input.get(at..at + lower.len()).is_some_and(|s| s.eq_ignore_ascii_case(lower))
}

/// Position of `pat` in `input` from `from`, if it occurs there.
pub fn find(input: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    let first = *pat.first()?;
    let mut i = from;
    while let Some(off) = input.get(i..)?.iter().position(|&b| b == first) {
        i += off;
        if input.get(i..i + pat.len()) == Some(pat) {
            return Some(i);
        }
        i += 1;
    }
    None
}

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
            b'?' => self.bogus(input, start + 1),
            b'/' if input.get(start + 2) == Some(&b'>') => {
                self.pos = start + 3;
                Token::Nothing
            }
            b'/' if !input.get(start + 2).is_some_and(u8::is_ascii_alphabetic) => self.bogus(input, start + 2),
            _ => {
                let end = next == b'/';
                match self.tag(input, start + 1 + end as usize) {
                    Some((name, _)) if end => Token::End { name },
                    Some((name, self_closing)) => Token::Start { name, self_closing },
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
            while let Some(d) = find(input, j, b"--") {
                match input.get(d + 2) {
                    Some(b'>') => {
                        self.pos = d + 3;
                        return Token::Nothing;
                    }
                    Some(b'!') if input.get(d + 3) == Some(&b'>') => {
                        self.pos = d + 4;
                        return Token::Nothing;
                    }
                    _ => j = d + 1,
                }
            }
            self.pos = input.len();
            return Token::Nothing;
        }
        if foreign && input.get(at..at + 7) == Some(b"[CDATA[") {
            let body = at + 7;
            let end = find(input, body, b"]]>").unwrap_or(input.len());
            self.pos = (end + 3).min(input.len());
            return input.get(body..end).map_or(Token::Nothing, Token::CData);
        }
        self.bogus(input, at)
    }

    /// A bogus comment: everything to the next '>'.
    fn bogus<'a>(&mut self, input: &'a [u8], from: usize) -> Token<'a> {
        self.pos = find(input, from, b">").map_or(input.len(), |e| e + 1);
        Token::Nothing
    }

    /// A tag from its name at `at`: returns the name and the self-closing flag, and fills
    /// `attrs`. None if the input ends inside the tag (then nothing more is read).
    fn tag<'a>(&mut self, input: &'a [u8], at: usize) -> Option<(&'a [u8], bool)> {
        self.attrs.clear();
        let tag = self.read_tag(input, at);
        if tag.is_none() {
            self.pos = input.len();
        }
        tag
    }

    fn read_tag<'a>(&mut self, input: &'a [u8], at: usize) -> Option<(&'a [u8], bool)> {
        let mut i = scan(input, at, SPACE | SLASH | GT);
        let name = input.get(at..i)?;
        loop {
            // Between attributes; a '/' not followed by '>' is skipped like white space.
            i = skip_space(input, i);
            let next = input.get(i + 1).copied();
            match input.get(i) {
                None => break,
                Some(b'/') if next == Some(b'>') => {
                    self.pos = i + 2;
                    return Some((name, true));
                }
                Some(b'/') => {
                    i += 1;
                    continue;
                }
                Some(b'>') => {
                    self.pos = i + 1;
                    return Some((name, false));
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
                        let close = find(input, i + 1, &[q])?;
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
            let closes = |at: usize| {
                starts_with_ci(input, at, name)
                    && input.get(at + name.len()).is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
            };
            if input.get(i) == Some(&b'-') {
                if state > 0 && input.get(i..i + 3) == Some(b"-->") {
                    state = 0;
                    i += 3;
                } else {
                    i += 1;
                }
                continue;
            }
            if input.get(i + 1) == Some(&b'/') && closes(i + 2) {
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
            if script && state == 1 && closes(i + 1) {
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
