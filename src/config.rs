//! The configuration a host passes to `extract_ptr`: little-endian u32 words, then an
//! optional password (layout in `abi/pith.h`, `PITH_CFG_*`). A word of 0 means the default.

use crate::error::{Code, Error, Result};
use alloc::vec::Vec;

pub const WORDS: usize = 8;
/// Flag: content as plain text instead of Markdown.
pub const FLAG_PLAIN: u32 = 1 << 0;
/// Flag: report embedded images as image records (with their bytes).
pub const FLAG_IMAGES: u32 = 1 << 1;
/// Flag: include speaker notes (presentations).
pub const FLAG_NOTES: u32 = 1 << 2;
/// Flag: include comments (word processing documents).
pub const FLAG_COMMENTS: u32 = 1 << 3;
const KNOWN_FLAGS: u32 = FLAG_PLAIN | FLAG_IMAGES | FLAG_NOTES | FLAG_COMMENTS;

/// Defaults of words 1 to 6, in word order (documented in `abi/pith.h` and ROBUSTNESS notes).
const DEFAULTS: [u32; 6] = [256 * MIB, 128 * MIB, 100_000, 512 * MIB, 256, 4_000_000];
const MIB: u32 = 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Plain text instead of Markdown.
    pub plain: bool,
    /// Report embedded images.
    pub images: bool,
    /// Include speaker notes.
    pub notes: bool,
    /// Include comments.
    pub comments: bool,
    /// Bytes of input accepted.
    pub max_input: u32,
    /// Bytes of content text produced.
    pub max_output: u32,
    /// Pages, sheets or slides.
    pub max_pages: u32,
    /// Bytes decompressed in total.
    pub max_decompressed: u32,
    /// Nesting depth of any structure.
    pub max_depth: u32,
    /// Objects, entries or elements.
    pub max_objects: u32,
    pub password: Vec<u8>,
}

impl Default for Config {
    fn default() -> Config {
        Config::from_words(0, DEFAULTS, Vec::new())
    }
}

impl Config {
    fn from_words(flags: u32, w: [u32; 6], password: Vec<u8>) -> Config {
        let [max_input, max_output, max_pages, max_decompressed, max_depth, max_objects] = w;
        Config {
            plain: flags & FLAG_PLAIN != 0,
            images: flags & FLAG_IMAGES != 0,
            notes: flags & FLAG_NOTES != 0,
            comments: flags & FLAG_COMMENTS != 0,
            max_input,
            max_output,
            max_pages,
            max_decompressed,
            max_depth,
            max_objects,
            password,
        }
    }

    /// Parses the host's config bytes. Lengths that are not 0, a multiple of 4 up to 32, or
    /// longer than 32 (the tail is the password) are INVALID_ARGUMENT, as are unknown flag
    /// bits and a non-zero reserved word, so a newer host never has an option silently ignored.
    pub fn parse(bytes: &[u8]) -> Result<Config> {
        let words = bytes.get(..WORDS * 4).unwrap_or(bytes);
        if words.len() % 4 != 0 {
            return Err(Error::new(Code::InvalidArgument, "config length is not a multiple of 4"));
        }
        let (mut flags, mut limits) = (0, DEFAULTS);
        for (i, chunk) in words.chunks_exact(4).enumerate() {
            let v = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
            match i {
                0 if v & !KNOWN_FLAGS != 0 => {
                    return Err(Error::new(Code::InvalidArgument, "unknown config flag bits"))
                }
                0 => flags = v,
                7 if v != 0 => return Err(Error::new(Code::InvalidArgument, "reserved config word is not 0")),
                _ if v != 0 => {
                    if let Some(l) = limits.get_mut(i.wrapping_sub(1)) {
                        *l = v;
                    }
                }
                _ => {}
            }
        }
        let password = bytes.get(WORDS * 4..).unwrap_or(&[]).to_vec();
        Ok(Config::from_words(flags, limits, password))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_default() {
        assert_eq!(Config::parse(&[]).unwrap(), Config::default());
    }

    #[test]
    fn words_and_password() {
        let mut b = Vec::new();
        for w in [FLAG_PLAIN, 10, 20, 3, 0, 7, 0, 0] {
            b.extend_from_slice(&w.to_le_bytes());
        }
        b.extend_from_slice(b"secret");
        let c = Config::parse(&b).unwrap();
        assert!(c.plain);
        assert_eq!((c.max_input, c.max_output, c.max_pages, c.max_depth), (10, 20, 3, 7));
        assert_eq!(c.max_decompressed, Config::default().max_decompressed);
        assert_eq!(c.password, b"secret");
    }

    #[test]
    fn partial_words_are_defaults() {
        let c = Config::parse(&FLAG_PLAIN.to_le_bytes()).unwrap();
        assert!(c.plain);
        assert_eq!(c.max_input, Config::default().max_input);
    }

    #[test]
    fn rejects_bad_shapes() {
        assert_eq!(Config::parse(&[1, 0, 0]).unwrap_err().code(), Code::InvalidArgument);
        assert_eq!(Config::parse(&0x80u32.to_le_bytes()).unwrap_err().code(), Code::InvalidArgument);
        let mut b = [0u8; 32];
        b[28] = 1;
        assert_eq!(Config::parse(&b).unwrap_err().code(), Code::InvalidArgument);
    }
}
