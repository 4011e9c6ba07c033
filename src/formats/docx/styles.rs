//! Paragraph styles (`word/styles.xml`): which are headings, and which carry list numbering
//! (numbered headings get theirs from the style, not from the paragraph).

use super::Ns;
use crate::config::Config;
use crate::error::Result;
use crate::xml::{Event, Reader};
use alloc::string::String;
use alloc::vec::Vec;

/// How far `basedOn` chains are followed: real ones are two or three deep, and a cycle
/// must end.
const MAX_HOPS: usize = 8;

#[derive(Default)]
struct Style {
    id: String,
    based_on: String,
    /// Markdown heading level, 1 to 9.
    level: Option<u8>,
    num_id: Option<u32>,
    ilvl: Option<u8>,
}

/// What a paragraph gets from its style.
#[derive(Default, Clone, Copy)]
pub struct Resolved {
    pub level: Option<u8>,
    pub num_id: Option<u32>,
    pub ilvl: Option<u8>,
}

#[derive(Default)]
pub struct Styles {
    styles: Vec<Style>,
}

impl Styles {
    pub fn parse(src: &str, w: &Ns, cfg: &Config) -> Result<Styles> {
        let mut styles: Vec<Style> = Vec::new();
        let mut cur: Option<Style> = None;
        let mut r = Reader::new(cfg);
        loop {
            match r.next(src)? {
                Event::Start(t) if t.name.ns == w.main => {
                    let val = || t.attr(w.main, "val");
                    match (t.name.local, cur.as_mut()) {
                        ("style", _) => {
                            let paragraph = t.attr(w.main, "type")?.is_none_or(|k| k == "paragraph");
                            let id = t.attr(w.main, "styleId")?.unwrap_or_default();
                            cur = paragraph.then(|| Style { id: String::from(id), ..Style::default() });
                        }
                        ("name", Some(s)) => s.level = s.level.or(heading_level(&val()?.unwrap_or_default())),
                        ("basedOn", Some(s)) => s.based_on = String::from(val()?.unwrap_or_default()),
                        ("outlineLvl", Some(s)) => {
                            s.level = s
                                .level
                                .or(super::number(&val()?.unwrap_or_default()).filter(|&l| l < 9).map(|l| l as u8 + 1))
                        }
                        ("numId", Some(s)) => s.num_id = super::number(&val()?.unwrap_or_default()),
                        ("ilvl", Some(s)) => {
                            s.ilvl = super::number(&val()?.unwrap_or_default()).map(|l| l.min(8) as u8)
                        }
                        // Run properties and tables hold nothing of this.
                        ("rPr" | "tblPr" | "tblStylePr", _) => r.skip(src)?,
                        _ => {}
                    }
                }
                Event::End(n) if n.ns == w.main && n.local == "style" => {
                    if let Some(s) = cur.take() {
                        let id = s.id.clone();
                        super::insert_sorted(&mut styles, s, |x| x.id.as_str().cmp(&id))?;
                    }
                }
                Event::Eof => return Ok(Styles { styles }),
                _ => {}
            }
        }
    }

    /// The heading level and numbering of style `id`, inherited through `basedOn`.
    pub fn resolve(&self, id: &str) -> Resolved {
        let mut out = Resolved::default();
        let mut id = id;
        for _ in 0..MAX_HOPS {
            let found = self.styles.binary_search_by(|s| s.id.as_str().cmp(id)).ok();
            let Some(s) = found.and_then(|i| self.styles.get(i)) else {
                break;
            };
            out.level = out.level.or(s.level);
            out.num_id = out.num_id.or(s.num_id);
            out.ilvl = out.ilvl.or(s.ilvl);
            id = &s.based_on;
        }
        out
    }
}

/// "heading 2" → 2, "Title" → 1 (built-in names are English whatever the UI language).
fn heading_level(name: &str) -> Option<u8> {
    let b = name.as_bytes();
    if name.eq_ignore_ascii_case("title") {
        return Some(1);
    }
    match b {
        [h @ .., b' ', d @ b'1'..=b'9'] if h.eq_ignore_ascii_case(b"heading") => Some(d - b'0'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_names() {
        assert_eq!(heading_level("heading 1"), Some(1));
        assert_eq!(heading_level("Heading 9"), Some(9));
        assert_eq!(heading_level("Title"), Some(1));
        assert_eq!(heading_level("heading 10"), None);
        assert_eq!(heading_level("Normal"), None);
    }

    #[test]
    fn inheritance_and_cycles() {
        let w = super::super::TRANSITIONAL;
        let src = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
            <w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="My heading"/><w:basedOn w:val="H1"/></w:style>
            <w:style w:type="paragraph" w:styleId="Outline"><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
            <w:style w:type="character" w:styleId="C"><w:name w:val="heading 2"/></w:style>
            <w:style w:type="paragraph" w:styleId="A"><w:basedOn w:val="B"/></w:style>
            <w:style w:type="paragraph" w:styleId="B"><w:basedOn w:val="A"/></w:style></w:styles>"#;
        let s = Styles::parse(src, &w, &Config::default()).unwrap();
        let mine = s.resolve("Mine");
        assert_eq!((mine.level, mine.num_id, mine.ilvl), (Some(1), Some(4), None));
        assert_eq!(s.resolve("Outline").level, Some(3));
        assert_eq!(s.resolve("C").level, None);
        assert_eq!(s.resolve("A").level, None);
        assert_eq!(s.resolve("missing").level, None);
    }
}
