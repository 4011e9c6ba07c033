//! The extraction config and its wire form (`PITH_CFG_*` in `abi/pith.h`).

/// Number of little-endian u32 words before the password (`PITH_CFG_WORDS`).
pub const CFG_WORDS: usize = 8;
/// Word indexes of the config (`PITH_CFG_*`).
pub mod word {
    pub const FLAGS: usize = 0;
    pub const MAX_INPUT: usize = 1;
    pub const MAX_OUTPUT: usize = 2;
    pub const MAX_PAGES: usize = 3;
    pub const MAX_DECOMPRESSED: usize = 4;
    pub const MAX_DEPTH: usize = 5;
    pub const MAX_OBJECTS: usize = 6;
    pub const RESERVED: usize = 7;
}
/// `PITH_FLAG_PLAIN`: plain text content instead of Markdown.
pub const FLAG_PLAIN: u32 = 1 << 0;

/// What to extract and within which limits. Every limit is a `u32` where 0 means the module's
/// default (listed in `pith.h`), so `Config::default()` is "all defaults".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Plain text content instead of Markdown (`PITH_FLAG_PLAIN`).
    pub plain: bool,
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
    /// Password of an encrypted document. `Some(empty)` is sent like `None`: the ABI cannot
    /// tell an empty password from none, since the password is "the bytes after the words".
    pub password: Option<Vec<u8>>,
}

impl Config {
    /// Default config with plain-text output.
    pub fn plain() -> Self {
        Config { plain: true, ..Config::default() }
    }

    /// The config words in ABI order.
    pub fn words(&self) -> [u32; CFG_WORDS] {
        let mut w = [0u32; CFG_WORDS];
        w[word::FLAGS] = if self.plain { FLAG_PLAIN } else { 0 };
        w[word::MAX_INPUT] = self.max_input;
        w[word::MAX_OUTPUT] = self.max_output;
        w[word::MAX_PAGES] = self.max_pages;
        w[word::MAX_DECOMPRESSED] = self.max_decompressed;
        w[word::MAX_DEPTH] = self.max_depth;
        w[word::MAX_OBJECTS] = self.max_objects;
        // RESERVED stays 0: the ABI rejects anything else.
        w
    }

    /// The bytes to pass as `cfg`: empty when everything is default (the ABI's cheapest
    /// form), otherwise all eight words little-endian followed by the password, if any.
    pub fn to_bytes(&self) -> Vec<u8> {
        let words = self.words();
        let password = self.password.as_deref().unwrap_or(&[]);
        if password.is_empty() && words.iter().all(|&w| w == 0) {
            return Vec::new();
        }
        let mut out = Vec::with_capacity(CFG_WORDS * 4 + password.len());
        for w in words {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out.extend_from_slice(password);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_empty() {
        assert!(Config::default().to_bytes().is_empty());
        let empty_pw = Config { password: Some(Vec::new()), ..Config::default() };
        assert!(empty_pw.to_bytes().is_empty());
    }

    #[test]
    fn words_are_little_endian_in_order() {
        let cfg = Config {
            plain: true,
            max_input: 0x0102_0304,
            max_output: 2,
            max_pages: 3,
            max_decompressed: 4,
            max_depth: 5,
            max_objects: 6,
            password: None,
        };
        let b = cfg.to_bytes();
        assert_eq!(b.len(), 32);
        assert_eq!(&b[0..4], &[1, 0, 0, 0]);
        assert_eq!(&b[4..8], &[4, 3, 2, 1]);
        assert_eq!(&b[8..12], &[2, 0, 0, 0]);
        assert_eq!(&b[24..28], &[6, 0, 0, 0]);
        assert_eq!(&b[28..32], &[0, 0, 0, 0]);
    }

    #[test]
    fn password_follows_the_words() {
        let cfg = Config { password: Some(b"secret".to_vec()), ..Config::default() };
        let b = cfg.to_bytes();
        assert_eq!(b.len(), 32 + 6);
        assert!(b[..32].iter().all(|&x| x == 0));
        assert_eq!(&b[32..], b"secret");
    }
}
