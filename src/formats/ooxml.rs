//! What DOCX, XLSX and PPTX share: the Open Packaging Conventions around their XML parts
//! (relationships from one part to the others, the package's main part), the document
//! properties in `docProps/`, and the magic test that tells the three apart.

use crate::config::Config;
use crate::error::{reserve_str, Result};
use crate::sink::Sink;
use crate::xml::{self, Event, Reader};
use crate::zip::Archive;
use alloc::string::String;
use alloc::vec::Vec;

/// The relationships namespace (the same in transitional and strict documents).
const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const CP: &str = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const APP: &str = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties";
const APP_STRICT: &str = "http://purl.oclc.org/ooxml/officeDocument/extendedProperties";

pub struct Rel {
    pub id: String,
    /// The relationship type URI.
    pub kind: String,
    /// For internal targets, the archive path of the target part, e.g. "word/media/a.png";
    /// for external ones, the target as written.
    pub target: String,
    pub external: bool,
}

impl Rel {
    /// Whether the type URI ends in `/<last>` (transitional and strict URIs differ before
    /// it: `.../officeDocument/2006/relationships/image`, `.../officeDocument/relationships/image`).
    pub fn is(&self, last: &str) -> bool {
        self.kind.strip_suffix(last).is_some_and(|head| head.ends_with('/'))
    }
}

/// The text of the XML part `name`, decoded, or None when the archive has no such part.
pub fn part_text(archive: &Archive, name: &str) -> Result<Option<String>> {
    match archive.read_name(name)? {
        Some(bytes) => Ok(Some(xml::decode_owned(bytes)?.text.into_owned())),
        None => Ok(None),
    }
}

/// The relationships of `part` (from `<dir>/_rels/<file>.rels`; "" for the package's own,
/// `_rels/.rels`), internal targets resolved to archive paths. No rels part: none.
pub fn rels_for(archive: &Archive, part: &str, cfg: &Config) -> Result<Vec<Rel>> {
    let (dir, file) = match part.rfind('/') {
        Some(i) => (part.get(..i).unwrap_or(""), part.get(i + 1..).unwrap_or("")),
        None => ("", part),
    };
    let mut path = String::new();
    for piece in [dir, if dir.is_empty() { "" } else { "/" }, "_rels/", file, ".rels"] {
        reserve_str(&mut path, piece.len())?;
        path.push_str(piece);
    }
    let Some(src) = part_text(archive, &path)? else {
        return Ok(Vec::new());
    };
    let mut rels = Vec::new();
    let mut r = Reader::new(cfg);
    loop {
        match r.next(&src)? {
            Event::Start(t) if t.name.is(RELS, "Relationship") => {
                let external = t.attr("", "TargetMode")?.is_some_and(|m| m == "External");
                let target = t.attr("", "Target")?.unwrap_or_default();
                let target = if external { String::from(target) } else { resolve(dir, &target)? };
                let rel = Rel {
                    id: t.attr("", "Id")?.unwrap_or_default().into_owned(),
                    kind: t.attr("", "Type")?.unwrap_or_default().into_owned(),
                    target,
                    external,
                };
                rels.try_reserve(1).map_err(|_| crate::error::oom())?;
                rels.push(rel);
            }
            Event::Eof => return Ok(rels),
            _ => {}
        }
    }
}

/// `target` relative to the directory `dir` (or to the root when it starts with '/'), with
/// `.` and `..` segments and %-escapes resolved: "../media/a%20b.png" from "word/charts" is
/// "word/media/a b.png".
fn resolve(dir: &str, target: &str) -> Result<String> {
    let (base, target) = match target.strip_prefix('/') {
        Some(t) => ("", t),
        None => (dir, target),
    };
    let mut out: Vec<u8> = Vec::new();
    crate::error::reserve(&mut out, base.len() + target.len() + 1)?;
    for seg in base.split('/').chain(target.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                let cut = out.iter().rposition(|&c| c == b'/').unwrap_or(0);
                out.truncate(cut);
            }
            _ => {
                if !out.is_empty() {
                    out.push(b'/');
                }
                push_unescaped(&mut out, seg);
            }
        }
    }
    Ok(match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

fn push_unescaped(out: &mut Vec<u8>, seg: &str) {
    let b = seg.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex = |k: usize| b.get(k).and_then(|&h| (h as char).to_digit(16));
        match (c, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
}

/// The archive path of the package's main part (the `officeDocument` relationship).
pub fn main_part(archive: &Archive, cfg: &Config) -> Result<Option<String>> {
    Ok(rels_for(archive, "", cfg)?.into_iter().find(|r| !r.external && r.is("officeDocument")).map(|r| r.target))
}

/// Metadata keys from the core properties: (namespace, element, key).
const CORE: [(&str, &str, &str); 8] = [
    (DC, "title", "title"),
    (DC, "subject", "subject"),
    (DC, "creator", "author"),
    (CP, "keywords", "keywords"),
    (DC, "description", "description"),
    (CP, "lastModifiedBy", "last_modified_by"),
    (DCTERMS, "created", "created"),
    (DCTERMS, "modified", "modified"),
];
/// From the extended (application) properties: (element, key, whether a number).
const EXTENDED: [(&str, &str, bool); 3] =
    [("Application", "application", false), ("Pages", "page_count", true), ("Words", "word_count", true)];

/// The document properties (`docProps/core.xml`, `docProps/app.xml`, or wherever the
/// package relationships put them) as metadata; empty and missing ones are left out.
pub fn core_properties(archive: &Archive, cfg: &Config, sink: &mut Sink) -> Result<()> {
    let rels = rels_for(archive, "", cfg)?;
    let path = |last: &str, default: &'static str| {
        rels.iter().find(|r| !r.external && r.is(last)).map_or(default, |r| r.target.as_str())
    };
    // One bit per key: each is emitted once even when a part repeats an element.
    let mut seen = 0u32;
    if let Some(src) = part_text(archive, path("core-properties", "docProps/core.xml"))? {
        each_field(&src, cfg, |ns, local, value| match CORE.iter().position(|&(n, l, _)| n == ns && l == local) {
            Some(i) if seen & 1 << i == 0 => {
                seen |= 1 << i;
                sink.meta_str(CORE.get(i).map_or("", |c| c.2), value)
            }
            _ => Ok(()),
        })?;
    }
    if let Some(src) = part_text(archive, path("extended-properties", "docProps/app.xml"))? {
        each_field(&src, cfg, |ns, local, value| {
            if ns != APP && ns != APP_STRICT {
                return Ok(());
            }
            match EXTENDED.iter().position(|&(l, _, _)| l == local) {
                Some(i) if seen & 1 << (8 + i) == 0 => {
                    seen |= 1 << (8 + i);
                    let (_, key, number) = EXTENDED.get(i).copied().unwrap_or(("", "", false));
                    match number {
                        true => match parse_uint(value) {
                            Some(n) => sink.meta_int(key, n),
                            None => Ok(()),
                        },
                        false => sink.meta_str(key, value),
                    }
                }
                _ => Ok(()),
            }
        })?;
    }
    Ok(())
}

/// Calls `f(namespace, local name, trimmed text)` for every child of the root element with
/// non-empty text.
fn each_field(src: &str, cfg: &Config, mut f: impl FnMut(&str, &str, &str) -> Result<()>) -> Result<()> {
    let mut r = Reader::new(cfg);
    let mut text = String::new();
    loop {
        let depth = r.depth();
        match r.next(src)? {
            Event::Start(t) if depth == 1 => {
                let (ns, local) = (t.name.ns, t.name.local);
                text.clear();
                r.read_text(src, &mut text)?;
                let value = xml::trim(&text);
                if !value.is_empty() {
                    f(ns, local, value)?;
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn parse_uint(s: &str) -> Option<usize> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0usize, |n, c| match c {
        b'0'..=b'9' => Some(n.saturating_mul(10).saturating_add((c - b'0') as usize)),
        _ => None,
    })
}

/// The magic test of a package format: a ZIP archive with the part `marker`
/// (`word/document.xml`, `xl/workbook.xml`, `ppt/presentation.xml`).
pub fn is_package(doc: &[u8], marker: &str) -> bool {
    crate::zip::has_entry(doc, marker)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zip::testing::archive;

    fn corpus(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../shared/corpus/documents/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn resolves_targets() {
        assert_eq!(resolve("word", "media/a.png").unwrap(), "word/media/a.png");
        assert_eq!(resolve("word/charts", "../media/a%20b.png").unwrap(), "word/media/a b.png");
        assert_eq!(resolve("ppt/slides", "/ppt/media/x.png").unwrap(), "ppt/media/x.png");
        assert_eq!(resolve("", "./word/document.xml").unwrap(), "word/document.xml");
        assert_eq!(resolve("a", "../../../b").unwrap(), "b");
        assert_eq!(resolve("a", "100%").unwrap(), "a/100%");
    }

    #[test]
    fn corpus_package_rels() {
        let doc = corpus("office/document.docx");
        let cfg = Config::default();
        let a = Archive::open(&doc, &cfg).unwrap();
        assert_eq!(main_part(&a, &cfg).unwrap().as_deref(), Some("word/document.xml"));
        let rels = rels_for(&a, "word/document.xml", &cfg).unwrap();
        let image = rels.iter().find(|r| r.is("image")).unwrap();
        assert_eq!(image.target, "word/media/image1.png");
        assert!(a.find(&image.target).is_some());
        assert!(rels.iter().any(|r| r.id == "rId8" && r.is("footer") && r.target == "word/footer1.xml"));
        assert!(rels_for(&a, "word/styles.xml", &cfg).unwrap().is_empty());
        let xlsx = corpus("spreadsheets/stanley_cups.xlsx");
        let a = Archive::open(&xlsx, &cfg).unwrap();
        assert_eq!(main_part(&a, &cfg).unwrap().as_deref(), Some("xl/workbook.xml"));
    }

    #[test]
    fn external_targets_stay_as_written() {
        let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://x/hyperlink" Target="https://example.com/a?b=1&amp;c" TargetMode="External"/>
            <Relationship Id="rId2" Type="http://x/image" Target="../media/p.png"/></Relationships>"#;
        let doc = archive(&[("word/_rels/document.xml.rels", rels)]);
        let cfg = Config::default();
        let a = Archive::open(&doc, &cfg).unwrap();
        let r = rels_for(&a, "word/document.xml", &cfg).unwrap();
        assert!(r[0].external && r[0].target == "https://example.com/a?b=1&c");
        assert!(!r[1].external && r[1].target == "media/p.png");
        assert!(main_part(&a, &cfg).unwrap().is_none());
    }

    fn metadata(doc: &[u8]) -> Vec<String> {
        let cfg = Config::default();
        let a = Archive::open(doc, &cfg).unwrap();
        let mut sink = Sink::new(Vec::new(), u32::MAX);
        core_properties(&a, &cfg, &mut sink).unwrap();
        let mut out = Vec::new();
        while let Some((_, start, end)) = sink.pop(usize::MAX) {
            out.push(String::from_utf8(sink.bytes(start, end).to_vec()).unwrap());
        }
        out
    }

    #[test]
    fn core_and_app_properties() {
        let m = metadata(&corpus("office/document.docx"));
        assert_eq!(
            m,
            [
                r#"{"author":"Christoph Auer"}"#,
                r#"{"last_modified_by":"Maxim Lysak"}"#,
                r#"{"created":"2024-10-09T12:43:00Z"}"#,
                r#"{"modified":"2024-10-15T11:34:00Z"}"#,
                r#"{"page_count":2}"#,
                r#"{"word_count":108}"#,
                r#"{"application":"Microsoft Office Word"}"#,
            ]
        );
        // Parts elsewhere, found through the package relationships; repeats emitted once.
        let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="a" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="meta/c.xml"/></Relationships>"#;
        let core = br#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title> A &amp; B </dc:title><dc:title>again</dc:title><cp:keywords/><dc:creator>x</dc:creator></cp:coreProperties>"#;
        let m = metadata(&archive(&[
            ("_rels/.rels", rels),
            ("meta/c.xml", core),
            ("docProps/app.xml", b"<Properties><Pages>3</Pages></Properties>"),
        ]));
        assert_eq!(m, [r#"{"title":"A & B"}"#, r#"{"author":"x"}"#]);
        assert!(metadata(&archive(&[("a", b"")])).is_empty());
    }

    #[test]
    fn magic_tells_packages_apart() {
        let docx = corpus("office/document.docx");
        let xlsx = corpus("spreadsheets/stanley_cups.xlsx");
        assert!(is_package(&docx, "word/document.xml"));
        assert!(!is_package(&docx, "xl/workbook.xml"));
        assert!(is_package(&xlsx, "xl/workbook.xml"));
        assert!(!is_package(b"PK\x03\x04", "word/document.xml"));
    }
}
