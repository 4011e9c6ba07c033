//! The text layer's entry point: one page's content streams through the interpreter, its
//! glyphs through the layout, out comes the page's text.

use crate::config::Config;
use crate::error::{Code, Result};
use crate::pdf::document::{Document, Page};
use crate::pdf::interp::{FontCache, Interp};
use crate::pdf::layout::{finish, layout, Glyphs};
use crate::pdf::Warnings;
use alloc::string::String;
use alloc::vec::Vec;

/// What one page holds.
pub struct PageText {
    pub text: String,
    /// Tables found in the page's layout: rows of cell texts.
    pub tables: Vec<Vec<Vec<String>>>,
    /// Image XObjects and inline images drawn (an image-only page needs OCR).
    pub images: u32,
}

/// Reads the pages of one document; fonts loaded for one page serve the next.
pub struct TextExtractor {
    cfg: Config,
    fonts: FontCache,
    glyphs: Glyphs,
}

impl TextExtractor {
    pub fn new(cfg: &Config) -> TextExtractor {
        TextExtractor { cfg: cfg.clone(), fonts: FontCache::default(), glyphs: Glyphs::default() }
    }

    pub fn page(&mut self, doc: &Document, page: &Page, warnings: &mut Warnings) -> Result<PageText> {
        let data = match doc.page_contents(page) {
            Ok(d) => d,
            Err(e) if matches!(e.code(), Code::Corrupt | Code::Unsupported) => {
                warnings.add("pdf: a page's content could not be read; the page is left empty");
                return Ok(PageText { text: String::new(), tables: Vec::new(), images: 0 });
            }
            Err(e) => return Err(e),
        };
        self.glyphs.clear();
        let mut interp =
            Interp::new(doc, &self.cfg, &mut self.fonts, &mut self.glyphs, warnings, page.rotate, page.crop_box);
        interp.run(&data, &page.resources, 0)?;
        let images = interp.images;
        let mut text = String::new();
        let mut tables = Vec::new();
        layout(&self.glyphs, &mut text, &mut tables)?;
        finish(&mut text)?;
        Ok(PageText { text, tables, images })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::document::build::Pdf;
    use alloc::format;

    /// All pages' text of a document.
    fn extract(data: &[u8]) -> Result<(String, Warnings)> {
        let cfg = Config::default();
        let doc = Document::open(data, &cfg)?;
        let mut x = TextExtractor::new(&cfg);
        let mut w = Warnings::default();
        let mut out = String::new();
        for i in 0..doc.page_count() {
            let page = doc.page(i)?;
            out.push_str(&x.page(&doc, &page, &mut w)?.text);
            out.push('\n');
        }
        Ok((out, w))
    }

    /// A one-page document with the given content stream and extra objects (numbered from 20).
    fn one_page(content: &[u8], extra: &[(u32, &str)], streams: &[(u32, &str, &[u8])]) -> Vec<u8> {
        let mut p = Pdf::new();
        p.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        p.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>");
        p.obj(
            3,
            "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /X1 20 0 R /X2 21 0 R >> >> >>",
        );
        p.stream(4, "", content);
        p.obj(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        for (n, body) in extra {
            p.obj(*n, body);
        }
        for (n, dict, data) in streams {
            p.stream(*n, dict, data);
        }
        p.finish("/Root 1 0 R")
    }

    #[test]
    fn positioned_text_with_kerning_and_spaces() {
        let doc = one_page(
            b"BT /F1 12 Tf 72 700 Td [(W) 80 (ater) -250 (is) ( wet)] TJ 0 -14 Td (next line) Tj ET",
            &[],
            &[],
        );
        let (t, _) = extract(&doc).unwrap();
        assert_eq!(t.trim(), "Water is wet\nnext line");
    }

    #[test]
    fn unbalanced_q_a_hundred_thousand_times() {
        let mut c = Vec::new();
        for _ in 0..100_000 {
            c.extend_from_slice(b"q 1 0 0 1 0 0 cm ");
        }
        c.extend_from_slice(b"BT /F1 12 Tf 72 700 Td (still here) Tj ET");
        let (t, _) = extract(&one_page(&c, &[], &[])).unwrap();
        assert_eq!(t.trim(), "still here");
    }

    #[test]
    fn forms_nested_deeply_and_in_a_cycle() {
        // X1 draws X2, which draws itself and X1: every path ends at the cycle check.
        let form = "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /XObject << /X1 20 0 R /X2 21 0 R >> >>";
        let doc = one_page(
            b"/X1 Do BT /F1 12 Tf 72 600 Td (page text) Tj ET",
            &[],
            &[(20, form, b"BT /F1 12 Tf 72 700 Td (in form) Tj ET /X2 Do"), (21, form, b"/X2 Do /X1 Do")],
        );
        let (t, w) = extract(&doc).unwrap();
        assert!(t.contains("in form") && t.contains("page text"), "{t}");
        assert!(w.list.iter().any(|m| m.contains("cycle")), "{:?}", w.list);
    }

    #[test]
    fn form_bomb_is_bounded() {
        // Each form draws the next ten times: 10^12 draws unless the work is bounded.
        let mut p = Pdf::new();
        p.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        p.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        p.obj(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /X 10 0 R >> /Font << /F1 5 0 R >> >> >>");
        p.stream(4, "", b"/X Do");
        p.obj(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        for i in 0..12 {
            let body = if i == 11 { "BT /F1 9 Tf 10 10 Td (x) Tj ET".to_string() } else { "/X Do ".repeat(10) };
            let dict =
                format!("/Subtype /Form /Resources << /Font << /F1 5 0 R >> /XObject << /X {} 0 R >> >>", 11 + i);
            p.stream(10 + i, &dict, body.as_bytes());
        }
        let data = p.finish("/Root 1 0 R");
        // Ends (a regression would hang here), with a warning that the work was cut short.
        let (_, w) = extract(&data).unwrap();
        assert!(!w.list.is_empty());
    }

    #[test]
    fn bit_flipped_content_ends_in_text_or_a_clean_error() {
        let content: &[u8] = b"q 1 0 0 1 10 10 cm BT /F1 12 Tf 72 700 Td [(Hello) -250 (World)] TJ T* (x) ' 1 2 (y) \" ET Q BI /W 1 /H 1 ID \x00 EI /X1 Do";
        let mut rng = crate::testing::Rng::new(11);
        for _ in 0..300 {
            let mut c = content.to_vec();
            for _ in 0..3 {
                let i = rng.next() % c.len();
                c[i] ^= 1 << (rng.next() % 8);
            }
            let _ = extract(&one_page(&c, &[], &[(20, "/Subtype /Form", b"(a) Tj")]));
        }
    }

    /// A one-page document showing `content` in /F1, a Type0 font with the given encoding and
    /// descendant font dictionary (object 6), without ToUnicode.
    fn type0_page(encoding: &str, descendant: &str, content: &[u8]) -> Vec<u8> {
        let mut p = Pdf::new();
        p.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        p.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>");
        p.obj(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>");
        p.stream(4, "", content);
        p.obj(
            5,
            &format!("<< /Type /Font /Subtype /Type0 /BaseFont /F /Encoding /{encoding} /DescendantFonts [6 0 R] >>"),
        );
        p.obj(6, descendant);
        p.obj(7, "<< /Type /FontDescriptor /FontName /F /Flags 4 >>");
        p.stream(8, "/Length1 4", b"true");
        p.obj(9, "<< /Type /FontDescriptor /FontName /F /Flags 4 /FontFile2 8 0 R >>");
        p.finish("/Root 1 0 R")
    }

    const JAPAN1_CFF: &str = "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /F /FontDescriptor 7 0 R /DW 1000 \
        /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> >>";

    #[test]
    fn predefined_unicode_cmaps() {
        // "中文 PDF" as UTF-8 codes (UniGB-UTF8-H) and as UTF-32 codes (UniGB-UTF32-H).
        let doc = type0_page("UniGB-UTF8-H", JAPAN1_CFF, b"BT /F1 12 Tf 72 700 Td <e4b8ade69687> Tj ET");
        assert_eq!(extract(&doc).unwrap().0.trim(), "中文");
        let doc = type0_page("UniGB-UTF32-H", JAPAN1_CFF, b"BT /F1 12 Tf 72 700 Td <00004e2d00006587> Tj ET");
        assert_eq!(extract(&doc).unwrap().0.trim(), "中文");
    }

    #[cfg(feature = "cjk")]
    #[test]
    fn cjk_fonts_without_to_unicode() {
        // A predefined legacy CMap: the codes are Shift_JIS ("日本語" and a half-width "PDF").
        let doc = type0_page("90ms-RKSJ-H", JAPAN1_CFF, b"BT /F1 12 Tf 72 700 Td <93fa967b8cea> Tj (PDF) Tj ET");
        let (t, w) = extract(&doc).unwrap();
        assert_eq!(t.trim(), "日本語PDF", "{:?}", w.list);
        assert!(w.list.is_empty(), "{:?}", w.list);
        // Identity-H over Adobe-Japan1 CIDs: 843 is "あ", 1125 "亜" (poppler-data's cidToUnicode).
        let doc = type0_page("Identity-H", JAPAN1_CFF, b"BT /F1 12 Tf 72 700 Td <034b0465> Tj ET");
        assert_eq!(extract(&doc).unwrap().0.trim(), "あ亜");
        // The same codes in an embedded TrueType font with the Identity CIDToGIDMap are glyph
        // numbers: no text rather than the wrong text.
        let truetype = JAPAN1_CFF.replace("CIDFontType0", "CIDFontType2").replace("7 0 R", "9 0 R");
        let doc = type0_page("Identity-H", &truetype, b"BT /F1 12 Tf 72 700 Td <034b0465> Tj ET");
        let (t, w) = extract(&doc).unwrap();
        assert_eq!(t.trim(), "");
        assert!(w.list.iter().any(|m| m.contains("without Unicode")), "{:?}", w.list);
        // A CMap of an encoding no WHATWG decoder covers (CNS 11643) says so.
        let doc = type0_page("CNS-EUC-H", JAPAN1_CFF, b"BT /F1 12 Tf 72 700 Td <a4a4> Tj ET");
        let (t, w) = extract(&doc).unwrap();
        assert_eq!(t.trim(), "");
        assert!(w.list.iter().any(|m| m.contains("CNS 11643")), "{:?}", w.list);
    }

    #[test]
    fn actual_text_replaces_the_glyphs() {
        let doc = one_page(
            b"BT /F1 12 Tf 72 700 Td (A) Tj /Span << /ActualText <FEFF00660069> >> BDC (X) Tj EMC (B) Tj ET",
            &[],
            &[],
        );
        let (t, _) = extract(&doc).unwrap();
        assert_eq!(t.trim(), "AfiB");
    }

    #[test]
    fn rotated_page_and_rotated_text() {
        // Text running upwards (rotated 90 degrees) still reads as a line.
        let doc = one_page(b"BT /F1 12 Tf 0 1 -1 0 300 100 Tm (upwards text) Tj ET", &[], &[]);
        let (t, _) = extract(&doc).unwrap();
        assert_eq!(t.trim(), "upwards text");
    }

    #[test]
    fn inline_image_counted_and_skipped() {
        let cfg = Config::default();
        let data = one_page(
            b"BI /W 2 /H 1 /BPC 8 /CS /G ID \x00\xff EI BT /F1 10 Tf 72 700 Td (after) Tj ET /X2 Do",
            &[],
            &[(21, "/Subtype /Image /Width 1 /Height 1", b"\x00")],
        );
        let doc = Document::open(&data, &cfg).unwrap();
        let mut x = TextExtractor::new(&cfg);
        let mut w = Warnings::default();
        let p = x.page(&doc, &doc.page(0).unwrap(), &mut w).unwrap();
        assert_eq!((p.text.trim(), p.images), ("after", 2));
    }
}

/// Every PDF of the shared corpus through the text layer: each text PDF must recall most
/// words of its reference (pdftotext), and the texts are left in a temporary folder for
/// `../shared/tools/score`.
#[cfg(test)]
mod corpus {
    use super::*;
    use alloc::vec::Vec;
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};

    const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

    /// References that are not text a reader sees: pdftotext printed glyph ids for fonts
    /// without any Unicode information (pith reads them by their glyph order instead).
    const GARBLED_REFERENCES: &[&str] = &["pdfs/non_ascii_text.pdf"];

    fn words(t: &str) -> HashMap<String, usize> {
        let mut m = HashMap::new();
        for w in t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            *m.entry(w.to_lowercase()).or_insert(0) += 1;
        }
        m
    }

    fn recall(reference: &str, cand: &str) -> f64 {
        let (r, c) = (words(reference), words(cand));
        let total: usize = r.values().sum();
        let hit: usize = r.iter().map(|(w, n)| (*n).min(c.get(w).copied().unwrap_or(0))).sum();
        if total == 0 {
            1.0
        } else {
            hit as f64 / total as f64
        }
    }

    fn pdfs(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                pdfs(&p, out);
            } else if p.extension().is_some_and(|x| x == "pdf") {
                out.push(p);
            }
        }
    }

    #[test]
    fn corpus_recall() {
        let docs_dir = Path::new(ROOT).join("documents");
        let mut files = Vec::new();
        pdfs(&docs_dir, &mut files);
        files.sort();
        if files.is_empty() {
            return;
        }
        let out_dir = std::env::temp_dir().join("pith-pdf-text");
        let cfg = Config::default();
        let mut failures = Vec::new();
        for f in &files {
            let rel = f.strip_prefix(&docs_dir).unwrap().to_string_lossy().into_owned();
            let data = std::fs::read(f).unwrap();
            let start = data.windows(5).position(|w| w == b"%PDF-").unwrap_or(0);
            let started = std::time::Instant::now();
            let mut text = String::new();
            let mut pages = 0;
            if let Ok(doc) = Document::open(&data[start..], &cfg) {
                let mut x = TextExtractor::new(&cfg);
                let mut w = Warnings::default();
                for i in 0..doc.page_count() {
                    let Ok(page) = doc.page(i) else { continue };
                    if let Ok(p) = x.page(&doc, &page, &mut w) {
                        text.push_str(&p.text);
                        text.push_str("\n\x0c");
                        pages += 1;
                    }
                }
            }
            let elapsed = started.elapsed();
            let cand = out_dir.join(format!("{rel}.txt"));
            std::fs::create_dir_all(cand.parent().unwrap()).unwrap();
            std::fs::write(&cand, &text).unwrap();
            let reference = Path::new(ROOT).join("references").join(format!("{rel}.ref.txt"));
            let Ok(reference) = std::fs::read(&reference) else { continue };
            let reference = String::from_utf8_lossy(&reference);
            let r = recall(&reference, &text);
            std::println!("{r:.4}\t{pages} pages\t{:.1} ms\t{rel}", elapsed.as_secs_f64() * 1000.0);
            if r < 0.9 && !GARBLED_REFERENCES.contains(&rel.as_str()) {
                failures.push((rel, r));
            }
        }
        assert!(failures.is_empty(), "word recall below 0.9: {failures:?}");
    }

    #[test]
    fn known_sentences() {
        let cases = [
            ("pdfs/fake_memo.pdf", "May 5, 2023"),
            ("pdfs/searchable.pdf", "Phasellus facilisis odio sed mi"),
            ("pdfs/the_hideous_name_1985_pike85hideous.pdf", "The Hideous Name"),
            ("pdfs/right_to_left_01.pdf", "البرمجة بلغة R و Python"),
            // Spaces of a smaller size that a footer's text run draws over a heading's
            // letters split no words.
            ("pdfs/non_ascii_text.pdf", "Freitag, 31. Januar 2025\n"),
            ("pdfs/non_ascii_text.pdf", "Wir freuen uns auf Ihren Besuch"),
            ("pdfs/non_ascii_text.pdf", "GOTTESDIENSTE"),
        ];
        let cfg = Config::default();
        for (path, needle) in cases {
            let Ok(data) = std::fs::read(Path::new(ROOT).join("documents").join(path)) else { continue };
            let doc = Document::open(&data, &cfg).unwrap();
            let mut x = TextExtractor::new(&cfg);
            let mut w = Warnings::default();
            let mut text = String::new();
            for i in 0..doc.page_count() {
                text.push_str(&x.page(&doc, &doc.page(i).unwrap(), &mut w).unwrap().text);
            }
            assert!(text.contains(needle), "{path}: {needle:?} not in {text:?}");
        }
    }
}
