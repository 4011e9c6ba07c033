//! Content-stream operators: operands are collected until a keyword, which is the operator.
//! Inline images (`BI` … `ID` data `EI`) are skipped whole and reported as one `BI`
//! operator, so their binary data is never read as operators.

use crate::error::Result;
use crate::pdf::lexer::{is_delimiter, is_white};
use crate::pdf::object::{Dict, Object};
use crate::pdf::parser::{Parser, Token};
use alloc::vec::Vec;

/// Operands kept per operator: the most any operator takes is 6 (`cm`, `Tm`, `d0`/`d1`
/// curves); a longer run is junk whose oldest entries are dropped.
const MAX_OPERANDS: usize = 32;

pub struct Ops<'a> {
    parser: Parser<'a>,
    operands: Vec<Object>,
}

impl<'a> Ops<'a> {
    pub fn new(data: &'a [u8], max_depth: u32) -> Ops<'a> {
        Ops { parser: Parser::content(data, max_depth), operands: Vec::new() }
    }

    /// The operands of the operator `next_op` returned last.
    pub fn operands(&self) -> &[Object] {
        &self.operands
    }

    /// The next operator, `None` at the end of the stream.
    pub fn next_op(&mut self) -> Result<Option<&'a [u8]>> {
        self.operands.clear();
        loop {
            match self.parser.next_token()? {
                None => return Ok(None),
                Some(Token::Obj(o)) => {
                    if self.operands.len() >= MAX_OPERANDS {
                        self.operands.remove(0);
                    }
                    self.operands.try_reserve(1).map_err(|_| crate::error::oom())?;
                    self.operands.push(o);
                }
                Some(Token::Keyword(b"BI")) => {
                    self.inline_image()?;
                    self.operands.clear();
                    return Ok(Some(b"BI"));
                }
                Some(Token::Keyword(k)) => return Ok(Some(k)),
            }
        }
    }

    /// Skips an inline image's dictionary and data, leaving the parser after `EI`.
    fn inline_image(&mut self) -> Result<()> {
        let mut dict = Dict::new();
        let mut key: Option<Vec<u8>> = None;
        loop {
            match self.parser.next_token()? {
                None => return Ok(()),
                Some(Token::Keyword(b"ID")) => break,
                Some(Token::Keyword(b"EI")) => return Ok(()),
                Some(Token::Keyword(_)) => {}
                Some(Token::Obj(o)) => match key.take() {
                    None => key = o.as_name().map(<[u8]>::to_vec),
                    Some(k) => {
                        if dict.len() < 64 {
                            dict.try_reserve(1)?;
                            dict.push(k, o);
                        }
                    }
                },
            }
        }
        let data = self.parser.data();
        // One white-space byte separates `ID` from the data.
        let start = self.parser.pos().saturating_add(1);
        let length = dict.get(b"L").or_else(|| dict.get(b"Length")).and_then(Object::as_int);
        let from = match length {
            Some(n) if n >= 0 => start.saturating_add(n as usize).min(data.len()),
            _ => start,
        };
        let end = find_ei(data, from).or_else(|| find_ei(data, start)).unwrap_or(data.len());
        self.parser.set_pos(end);
        Ok(())
    }
}

/// The position after the first `EI` at or after `from` that stands on its own: white space
/// before it and white space, a delimiter or the end after it.
fn find_ei(data: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(rest) = data.get(i..) {
        let at = rest.windows(2).position(|w| w == b"EI")?;
        let p = i + at;
        let before = p == 0 || p == from || data.get(p - 1).is_some_and(|&c| is_white(c));
        let after = data.get(p + 2).is_none_or(|&c| is_white(c) || is_delimiter(c));
        if before && after {
            return Some(p + 2);
        }
        i = p + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(data: &[u8]) -> Vec<(Vec<u8>, usize)> {
        let mut o = Ops::new(data, 32);
        let mut v = Vec::new();
        while let Some(k) = o.next_op().unwrap() {
            v.push((k.to_vec(), o.operands().len()));
        }
        v
    }

    #[test]
    fn operators_with_operands() {
        let v = ops(b"BT /F1 12 Tf 1 0 0 1 72 700 Tm [(A) -20 (B)] TJ ET");
        let names: Vec<&[u8]> = v.iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(names, [&b"BT"[..], b"Tf", b"Tm", b"TJ", b"ET"]);
        assert_eq!(v.iter().map(|(_, n)| *n).collect::<Vec<_>>(), [0, 2, 6, 1, 0]);
    }

    #[test]
    fn inline_image_data_is_skipped() {
        let v = ops(b"q BI /W 2 /H 2 /BPC 8 /CS /G ID \x01EI Tj(\xff) EI Q (x) Tj");
        let names: Vec<&[u8]> = v.iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(names, [&b"q"[..], b"BI", b"Q", b"Tj"]);
    }

    #[test]
    fn inline_image_length_is_used() {
        let v = ops(b"BI /L 6 ID  EI EIx EI Tj");
        let names: Vec<&[u8]> = v.iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(names, [&b"BI"[..], b"Tj"]);
    }

    #[test]
    fn unterminated_inline_image_ends_the_stream() {
        assert_eq!(ops(b"BI /W 1 ID abc").len(), 1);
    }

    #[test]
    fn random_bytes_end_in_operators_or_a_clean_error() {
        let base =
            b"BT /F1 12 Tf [(Hello) -250 (World)] TJ 0 -14 Td <48656c6c6f> Tj ET BI /W 1 ID x EI q 1 0 0 1 0 0 cm Q";
        let mut rng = crate::testing::Rng::new(7);
        for _ in 0..2000 {
            let mut d = base.to_vec();
            for _ in 0..4 {
                let i = rng.next() % d.len();
                d[i] ^= 1 << (rng.next() % 8);
            }
            let mut o = Ops::new(&d, 8);
            let mut n = 0;
            while let Ok(Some(_)) = o.next_op() {
                n += 1;
                assert!(n <= d.len());
            }
        }
    }

    #[test]
    fn operand_stack_is_bounded() {
        let mut data = Vec::new();
        for _ in 0..10_000 {
            data.extend_from_slice(b"1 ");
        }
        data.extend_from_slice(b"Tj");
        assert_eq!(ops(&data), [(b"Tj".to_vec(), MAX_OPERANDS)]);
    }
}
