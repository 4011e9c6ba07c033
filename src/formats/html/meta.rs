//! Page metadata, named as Kreuzberg's `HtmlMetadata` names it (plus `language`):
//!
//! - `title` (the first `<title>`), `description`, `keywords` (a list, split on ','),
//!   `author` (`<meta name=...>`), `language` (`<html lang>`), `canonical`
//!   (`<link rel=canonical>`), `base_href` (`<base href>`);
//! - Open Graph `og_title`, `og_description`, `og_image`, `og_url`, `og_type`,
//!   `og_site_name`, `og_locale` and Twitter card `twitter_card`, `twitter_title`,
//!   `twitter_description`, `twitter_image`, `twitter_site`, `twitter_creator`
//!   (`<meta property=...>` or `<meta name=...>`);
//! - `link_author`, `link_license`, `link_alternate` (`<link rel=...>`).
//!
//! The first non-empty value of each key wins; each is emitted when it is found (nearly
//! always in `<head>`, so before the text).

use crate::error::Result;
use crate::sink::Sink;
use alloc::string::String;
use alloc::vec::Vec;

pub const TITLE: usize = 0;
const KEYWORDS: usize = 2;
pub const LANGUAGE: usize = 4;
pub const BASE_HREF: usize = 6;

/// The keys. `<meta name|property>` fills those from "description" to "author" and from
/// "og_title" to "twitter_creator" (its name with ':' for '_'), `<link rel>` "canonical" and
/// the "link_" ones. Only the compiler reads this list: the module holds `KEYS` and `ENDS`.
const NAMES: [&str; 23] = [
    "title",
    "description",
    "keywords",
    "author",
    "language",
    "canonical",
    "base_href",
    "og_title",
    "og_description",
    "og_image",
    "og_url",
    "og_type",
    "og_site_name",
    "og_locale",
    "twitter_card",
    "twitter_title",
    "twitter_description",
    "twitter_image",
    "twitter_site",
    "twitter_creator",
    "link_author",
    "link_license",
    "link_alternate",
];

/// The names back to back (one string, not 23 string slices), each ending where `ENDS`
/// says; both built from `NAMES` at compile time.
const PACKED: [u8; ends()[NAMES.len() - 1] as usize] = pack();
const KEYS: &str = match core::str::from_utf8(&PACKED) {
    Ok(s) => s,
    Err(_) => panic!("key names are ASCII"),
};
static ENDS: [u8; NAMES.len()] = ends();

const fn ends() -> [u8; NAMES.len()] {
    let mut out = [0; NAMES.len()];
    let (mut i, mut end) = (0, 0);
    while i < NAMES.len() {
        end += NAMES[i].len();
        assert!(end <= u8::MAX as usize, "ENDS holds bytes");
        out[i] = end as u8;
        i += 1;
    }
    out
}

const fn pack() -> [u8; ends()[NAMES.len() - 1] as usize] {
    let mut out = [0; ends()[NAMES.len() - 1] as usize];
    let (mut i, mut at) = (0, 0);
    while i < NAMES.len() {
        let name = NAMES[i].as_bytes();
        let mut j = 0;
        while j < name.len() {
            out[at] = name[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// The name of key `k`.
fn key(k: usize) -> Option<&'static str> {
    let start = k.checked_sub(1).map_or(Some(0), |p| ENDS.get(p).copied())?;
    KEYS.get(start as usize..*ENDS.get(k)? as usize)
}

/// Whether `key` is `name` in any case, with ':' read as '_'.
fn same(key: &str, name: &[u8]) -> bool {
    key.len() == name.len()
        && key.bytes().zip(name).all(|(k, &n)| k == if n == b':' { b'_' } else { n.to_ascii_lowercase() })
}

/// The key a `<meta name|property=...>` value fills.
pub fn meta_key(name: &[u8]) -> Option<usize> {
    (1..20).find(|&i| !(4..7).contains(&i) && key(i).is_some_and(|k| same(k, name)))
}

/// The key a `<link rel=...>` fills: the first known word of the space-separated `rel`.
pub fn link_key(rel: &[u8]) -> Option<usize> {
    rel.split(u8::is_ascii_whitespace).find_map(|word| {
        let canonical = same("canonical", word).then_some(5);
        canonical.or_else(|| (20..23).find(|&i| key(i).and_then(|k| k.get(5..)).is_some_and(|k| same(k, word))))
    })
}

/// Which keys were emitted.
#[derive(Default)]
pub struct Meta(u32);

impl Meta {
    /// Emits `key` with `value` (white space collapsed) unless it was already emitted.
    /// Keywords are a list, split at ','.
    pub fn emit(&mut self, sink: &mut Sink, key: usize, value: &str) -> Result<()> {
        let Some(name) = self::key(key) else {
            return Ok(());
        };
        let bit = 1u32 << key;
        if self.0 & bit != 0 {
            return Ok(());
        }
        let mut v = String::new();
        crate::error::reserve_str(&mut v, value.len())?;
        let mut space = false;
        for c in value.chars() {
            if super::render::is_space(c) {
                space = !v.is_empty();
                continue;
            }
            if space && !(key == KEYWORDS && (c == ',' || v.ends_with(','))) {
                v.push(' ');
            }
            space = false;
            v.push(c);
        }
        if v.is_empty() {
            return Ok(());
        }
        self.0 |= bit;
        if key != KEYWORDS {
            return sink.meta_str(name, &v);
        }
        let mut list: Vec<&str> = Vec::new();
        let mut rest = v.as_str();
        while !rest.is_empty() {
            let end = rest.bytes().position(|b| b == b',').unwrap_or(rest.len());
            if end > 0 {
                list.push(rest.get(..end).unwrap_or(""));
            }
            rest = rest.get(end + 1..).unwrap_or("");
        }
        sink.meta_list(name, &list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_lookups() {
        let names: alloc::vec::Vec<&str> = (0..23).map(|k| key(k).unwrap()).collect();
        assert_eq!(names[0], "title");
        assert_eq!(names[6], "base_href");
        assert_eq!(names[22], "link_alternate");
        assert_eq!(key(23), None);
        assert_eq!(meta_key(b"OG:Site_Name"), Some(12));
        assert_eq!(meta_key(b"description"), Some(1));
        assert_eq!(meta_key(b"language"), None);
        assert_eq!(meta_key(b"title"), None);
        assert_eq!(link_key(b"stylesheet LICENSE canonical"), Some(21));
        assert_eq!(link_key(b"canonical"), Some(5));
        assert_eq!(link_key(b"link_author"), None);
    }
}
