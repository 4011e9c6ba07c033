//! The HTML elements the extractor treats specially: an id for those with their own
//! behaviour, and flags for the rest of the tree-building and rendering rules. Every other
//! element (spans, custom elements) is an inline [`Tag::Other`].

/// Elements with their own behaviour. Several names share an id (`b`/`strong`, `h1`-`h6`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum Tag {
    Other,
    A,
    Bold,
    Italic,
    Code,
    Strike,
    Quote,
    Html,
    Head,
    Body,
    Title,
    Meta,
    Link,
    Base,
    P,
    Li,
    Dt,
    Dd,
    Ul,
    Ol,
    Heading,
    Pre,
    Xmp,
    Blockquote,
    Table,
    Caption,
    Tr,
    Td,
    Th,
    Section,
    Br,
    Hr,
    Img,
    Svg,
    Math,
    Option,
    Optgroup,
    Button,
    Template,
    Textarea,
    Script,
    Plaintext,
}

/// Number of `Tag` values, for per-tag counters.
pub const COUNT: usize = Tag::Plaintext as usize + 1;

/// A blank line before and after.
pub const BLOCK: u16 = 1 << 0;
/// A line break before and after.
pub const LINE: u16 = 1 << 1;
/// No content and no end tag.
pub const VOID: u16 = 1 << 2;
/// Content not shown to a reader.
pub const HIDE: u16 = 1 << 3;
/// Raw text that is skipped (script, style...).
pub const RAW: u16 = 1 << 4;
/// Content that is not markup but text (title and textarea with character references; xmp
/// and plaintext without).
pub const TEXT: u16 = 1 << 5;
/// The spec's "special" category: an unknown end tag does not close across it.
pub const SPECIAL: u16 = 1 << 6;
/// Bounds the default element scope (end tags of blocks do not close across it).
pub const SCOPE: u16 = 1 << 7;
/// A start tag that closes an open `<p>`.
pub const CLOSES_P: u16 = 1 << 8;
/// Formatting element: its end tag closes it across blocks (the adoption agency, simplified).
pub const FORMAT: u16 = 1 << 9;
/// Leaves foreign (SVG/MathML) content when it starts there.
pub const BREAKOUT: u16 = 1 << 10;
/// Bounds table scope.
pub const TABLE_SCOPE: u16 = 1 << 11;

const BLK: u16 = BLOCK | SPECIAL | CLOSES_P;
const BLKB: u16 = BLK | BREAKOUT;
const FMT: u16 = FORMAT | BREAKOUT;

/// Sorted by name for binary search. A `const`, so only the packed form below is in the
/// module.
#[rustfmt::skip]
const TAGS: &[(&str, Tag, u16)] = &[
    ("a", Tag::A, FORMAT),
    ("address", Tag::Other, BLK),
    ("annotation", Tag::Other, HIDE),
    ("applet", Tag::Other, SPECIAL | SCOPE),
    ("area", Tag::Other, VOID | SPECIAL),
    ("article", Tag::Other, BLK),
    ("aside", Tag::Other, BLK),
    ("audio", Tag::Other, HIDE),
    ("b", Tag::Bold, FMT),
    ("base", Tag::Base, VOID | SPECIAL),
    ("basefont", Tag::Other, VOID | SPECIAL),
    ("bgsound", Tag::Other, VOID | SPECIAL),
    ("big", Tag::Other, FMT),
    ("blockquote", Tag::Blockquote, BLKB),
    ("body", Tag::Body, SPECIAL | BREAKOUT),
    ("br", Tag::Br, VOID | SPECIAL | BREAKOUT),
    ("button", Tag::Button, SPECIAL),
    ("canvas", Tag::Other, HIDE),
    ("caption", Tag::Caption, LINE | SPECIAL | SCOPE),
    ("center", Tag::Other, BLKB),
    ("code", Tag::Code, FMT),
    ("col", Tag::Other, VOID | SPECIAL),
    ("colgroup", Tag::Other, SPECIAL),
    ("dd", Tag::Dd, LINE | SPECIAL | CLOSES_P | BREAKOUT),
    ("del", Tag::Strike, 0),
    ("details", Tag::Other, BLK),
    ("dialog", Tag::Other, BLK),
    ("dir", Tag::Ul, BLK),
    ("div", Tag::Other, BLKB),
    ("dl", Tag::Other, BLKB),
    ("dt", Tag::Dt, LINE | SPECIAL | CLOSES_P | BREAKOUT),
    ("em", Tag::Italic, FMT),
    ("embed", Tag::Other, VOID | SPECIAL | BREAKOUT),
    ("fieldset", Tag::Other, BLK),
    ("figcaption", Tag::Other, LINE | SPECIAL | CLOSES_P),
    ("figure", Tag::Other, BLK),
    ("font", Tag::Other, FORMAT),
    ("footer", Tag::Other, BLK),
    ("form", Tag::Other, BLK),
    ("frame", Tag::Other, VOID | SPECIAL),
    ("frameset", Tag::Other, SPECIAL),
    ("h1", Tag::Heading, BLKB),
    ("h2", Tag::Heading, BLKB),
    ("h3", Tag::Heading, BLKB),
    ("h4", Tag::Heading, BLKB),
    ("h5", Tag::Heading, BLKB),
    ("h6", Tag::Heading, BLKB),
    ("head", Tag::Head, SPECIAL | BREAKOUT),
    ("header", Tag::Other, BLK),
    ("hgroup", Tag::Other, BLK),
    ("hr", Tag::Hr, VOID | BLKB),
    ("html", Tag::Html, SPECIAL | SCOPE | TABLE_SCOPE),
    ("i", Tag::Italic, FMT),
    ("iframe", Tag::Other, RAW | SPECIAL),
    ("image", Tag::Img, VOID | SPECIAL),
    ("img", Tag::Img, VOID | SPECIAL | BREAKOUT),
    ("input", Tag::Other, VOID | SPECIAL),
    ("kbd", Tag::Code, 0),
    ("keygen", Tag::Other, VOID | SPECIAL),
    ("legend", Tag::Other, LINE),
    ("li", Tag::Li, LINE | SPECIAL | CLOSES_P | BREAKOUT),
    ("link", Tag::Link, VOID | SPECIAL),
    ("listing", Tag::Pre, BLKB),
    ("main", Tag::Other, BLK),
    ("marquee", Tag::Other, LINE | SPECIAL | SCOPE),
    ("math", Tag::Math, 0),
    ("menu", Tag::Ul, BLKB),
    ("meta", Tag::Meta, VOID | SPECIAL | BREAKOUT),
    ("nav", Tag::Other, BLK),
    ("nobr", Tag::Other, FMT),
    ("noembed", Tag::Other, RAW | SPECIAL),
    ("noframes", Tag::Other, RAW | SPECIAL),
    ("noscript", Tag::Other, RAW | SPECIAL),
    ("object", Tag::Other, SPECIAL | SCOPE),
    ("ol", Tag::Ol, BLKB),
    ("optgroup", Tag::Optgroup, LINE),
    ("option", Tag::Option, LINE),
    ("p", Tag::P, BLKB),
    ("param", Tag::Other, VOID | SPECIAL),
    ("plaintext", Tag::Plaintext, BLK | TEXT),
    ("pre", Tag::Pre, BLKB),
    ("q", Tag::Quote, 0),
    ("s", Tag::Strike, FMT),
    ("samp", Tag::Code, 0),
    ("script", Tag::Script, RAW | SPECIAL),
    ("search", Tag::Other, BLK),
    ("section", Tag::Other, BLK),
    ("select", Tag::Other, SPECIAL),
    ("small", Tag::Other, FMT),
    ("source", Tag::Other, VOID | SPECIAL),
    ("strike", Tag::Strike, FMT),
    ("strong", Tag::Bold, FMT),
    ("style", Tag::Other, RAW | SPECIAL),
    ("summary", Tag::Other, LINE | SPECIAL | CLOSES_P),
    ("svg", Tag::Svg, HIDE),
    ("table", Tag::Table, BLKB | SCOPE | TABLE_SCOPE),
    ("tbody", Tag::Section, SPECIAL),
    ("td", Tag::Td, SPECIAL | SCOPE),
    ("template", Tag::Template, HIDE | SPECIAL | SCOPE | TABLE_SCOPE),
    ("textarea", Tag::Textarea, TEXT | SPECIAL | LINE),
    ("tfoot", Tag::Section, SPECIAL),
    ("th", Tag::Th, SPECIAL | SCOPE),
    ("thead", Tag::Section, SPECIAL),
    ("title", Tag::Title, TEXT | SPECIAL),
    ("tr", Tag::Tr, LINE | SPECIAL),
    ("track", Tag::Other, VOID | SPECIAL),
    ("tt", Tag::Code, FMT),
    ("u", Tag::Other, FMT),
    ("ul", Tag::Ul, BLKB),
    ("video", Tag::Other, HIDE),
    ("wbr", Tag::Other, VOID | SPECIAL),
    ("xmp", Tag::Xmp, BLK | TEXT),
];

/// The names of TAGS back to back, where each ends in `ENDS`, and each one's id and flags
/// (in two arrays, as a pair would be padded to four bytes): about a third of the bytes of
/// a table of string slices.
static NAMES: [u8; NAMES_LEN] = names();
static ENDS: [u16; TAGS.len()] = ends();
static IDS: [Tag; TAGS.len()] = info().0;
static FLAGS: [u16; TAGS.len()] = info().1;
const NAMES_LEN: usize = ends()[TAGS.len() - 1] as usize;

const fn ends() -> [u16; TAGS.len()] {
    let mut out = [0; TAGS.len()];
    let (mut i, mut end) = (0, 0);
    while i < TAGS.len() {
        end += TAGS[i].0.len();
        out[i] = end as u16;
        i += 1;
    }
    out
}

const fn names() -> [u8; NAMES_LEN] {
    let mut out = [0; NAMES_LEN];
    let (mut i, mut at) = (0, 0);
    while i < TAGS.len() {
        let name = TAGS[i].0.as_bytes();
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

const fn info() -> ([Tag; TAGS.len()], [u16; TAGS.len()]) {
    let mut out = ([Tag::Other; TAGS.len()], [0; TAGS.len()]);
    let mut i = 0;
    while i < TAGS.len() {
        out.0[i] = TAGS[i].1;
        out.1[i] = TAGS[i].2;
        i += 1;
    }
    out
}

/// An element's identity on the open-element stack: its id and flags, and for elements
/// without an id a hash of the lower-cased name, so end tags of custom elements match.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Name {
    pub tag: Tag,
    pub flags: u16,
    pub hash: u32,
}

/// Looks up a tag name (any case).
pub fn lookup(raw: &[u8]) -> Name {
    let mut lower = [0u8; 10];
    // FNV-1a over the lower-cased name.
    let mut hash: u32 = 0x811c_9dc5;
    for (i, &b) in raw.iter().enumerate() {
        let b = b.to_ascii_lowercase();
        hash = (hash ^ b as u32).wrapping_mul(0x0100_0193);
        if let Some(slot) = lower.get_mut(i) {
            *slot = b;
        }
    }
    let name = lower.get(..raw.len()).unwrap_or(&[]);
    let (mut lo, mut hi) = (0, ENDS.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        let start = mid.checked_sub(1).and_then(|m| ENDS.get(m)).copied().unwrap_or(0) as usize;
        let end = ENDS.get(mid).copied().unwrap_or(0) as usize;
        match NAMES.get(start..end).unwrap_or(&[]).cmp(name) {
            core::cmp::Ordering::Equal => {
                let tag = IDS.get(mid).copied().unwrap_or(Tag::Other);
                return Name { tag, flags: FLAGS.get(mid).copied().unwrap_or(0), hash };
            }
            core::cmp::Ordering::Less => lo = mid + 1,
            core::cmp::Ordering::Greater => hi = mid,
        }
    }
    Name { tag: Tag::Other, flags: 0, hash }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_looks_up_any_case() {
        assert!(TAGS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(TAGS.iter().all(|t| t.0.len() <= 10));
        for &(n, tag, flags) in TAGS {
            let l = lookup(n.to_ascii_uppercase().as_bytes());
            assert_eq!((l.tag, l.flags), (tag, flags), "{n}");
        }
        assert_eq!(lookup(b"my-widget").tag, Tag::Other);
        assert_eq!(lookup(b"my-widget").hash, lookup(b"MY-Widget").hash);
        assert_ne!(lookup(b"my-widget").hash, lookup(b"my-widgets").hash);
        assert_eq!(lookup(b"blockquotes").flags, 0);
    }
}
