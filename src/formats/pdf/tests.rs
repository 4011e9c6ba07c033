use super::*;
use crate::arena::Arena;
use crate::error::Code;
use crate::pdf::document::build;
use crate::records::Kind as Rec;
use crate::stream::Stream;
use crate::testing::Rng;
use alloc::string::String;
use std::path::{Path, PathBuf};

#[derive(Default, Debug)]
struct Out {
    text: String,
    meta: Vec<String>,
    pages: Vec<u32>,
    warnings: Vec<String>,
    images: Vec<serde_json::Value>,
}

fn run_with(doc: &[u8], cfg: &Config) -> Result<Out> {
    let mut arena = Arena::new();
    let mut s = Stream::open(doc, Some(b"application/pdf"), cfg, &mut arena)?;
    let mut out = Out::default();
    loop {
        let kind = s.next(0)?;
        let payload = String::from_utf8(s.payload().to_vec()).unwrap();
        match kind {
            Rec::End => break,
            Rec::Text => out.text.push_str(&payload),
            Rec::Metadata => out.meta.push(payload),
            Rec::Page => {
                let v: serde_json::Value = serde_json::from_str(&payload).unwrap();
                out.pages.push(v["page_number"].as_u64().unwrap() as u32);
            }
            Rec::Warning => out.warnings.push(payload),
            Rec::Image => out.images.push(serde_json::from_str(&payload).unwrap()),
            _ => {}
        }
    }
    Ok(out)
}

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// Every PDF of the corpus, as (path relative to documents/, bytes).
fn corpus_pdfs() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut dirs = vec![corpus_root().join("documents")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "pdf") {
                let rel = p.strip_prefix(corpus_root().join("documents")).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn reference(rel: &str) -> Option<String> {
    std::fs::read_to_string(corpus_root().join("references").join(format!("{rel}.ref.txt"))).ok()
}

fn corpus(rel: &str) -> Vec<u8> {
    std::fs::read(corpus_root().join("documents").join(rel)).unwrap()
}

#[test]
fn magic() {
    assert!(is_pdf(b"%PDF-1.7\n"));
    let mut junk = vec![b'x'; 1000];
    junk.extend_from_slice(b"%PDF-1.4");
    assert!(is_pdf(&junk));
    junk.splice(0..0, [b' '; 100]);
    assert!(!is_pdf(&junk));
    assert!(!is_pdf(b"PDF-1.7"));
}

#[test]
fn corpus_page_counts_match_pdftotext() {
    let pdfs = corpus_pdfs();
    assert!(pdfs.len() >= 40, "corpus has {} PDFs", pdfs.len());
    let mut checked = 0;
    for (rel, data) in &pdfs {
        let Some(reference) = reference(rel) else { continue };
        let pages = reference.matches('\u{c}').count();
        let doc = Document::open(data, &Config::default()).unwrap_or_else(|e| panic!("{rel}: {:?}", e));
        assert_eq!(doc.page_count(), pages, "{rel}");
        for i in 0..doc.page_count() {
            let page = doc.page(i).unwrap_or_else(|e| panic!("{rel} page {i}: {e:?}"));
            doc.page_contents(&page).unwrap_or_else(|e| panic!("{rel} page {i}: {e:?}"));
        }
        checked += 1;
    }
    assert!(checked >= 40);
}

/// Every corpus PDF gives a result with its pages. (Time and memory bounds are checked with
/// wasm fuel in tests/mutation.rs, never with a clock: a loaded machine would fail them.)
#[test]
fn corpus_documents_extract() {
    for (rel, data) in corpus_pdfs() {
        let out = run_with(&data, &Config::default()).unwrap_or_else(|e| panic!("{rel}: {:?}", e));
        assert!(out.meta.iter().any(|m| m == r#"{"format_type":"pdf"}"#), "{rel}");
        assert!(!out.pages.is_empty(), "{rel}");
    }
}

#[test]
fn junk_before_the_header_in_the_corpus() {
    let data = corpus("pdfs_with_tables/medium.pdf");
    assert!(!data.starts_with(b"%PDF-"));
    let doc = Document::open(&data, &Config::default()).unwrap();
    assert_eq!(doc.page_count(), 7);
}

#[test]
fn metadata_of_a_corpus_document() {
    let out = run_with(&corpus("pdfs/sample_contract.pdf"), &Config::default()).unwrap();
    let meta = out.meta.join("\n");
    assert!(meta.contains(r#"{"page_count":10}"#), "{meta}");
    assert!(meta.contains(r#"{"encrypted":false}"#), "{meta}");
    assert!(meta.contains(r#""pdf_version":"1."#), "{meta}");
    assert!(meta.contains(r#"{"page_width":612}"#), "{meta}");
    assert!(meta.contains(r#"{"page_height":792}"#), "{meta}");
    assert!(meta.contains(r#"{"title":"Microsoft Word - SampleContract-Shuttle"}"#), "{meta}");
    assert!(meta.contains(r#"{"author":"kshultz"}"#), "{meta}");
    assert!(meta.contains(r#"{"producer":"Acrobat Distiller 9.3.2 (Windows)"}"#), "{meta}");
    assert!(meta.contains(r#"{"created":"2012-07-11T18:52:58-07:00"}"#), "{meta}");
    assert_eq!(out.pages, (1..=10).collect::<Vec<u32>>());
    // Info dictionary only (no XMP), dates from PDF date strings.
    let out = run_with(&corpus("pdfs/test_article.pdf"), &Config::default()).unwrap();
    let meta = out.meta.join("\n");
    assert!(meta.contains(r#"{"title":"Inverted Honor"}"#), "{meta}");
    assert!(meta.contains(r#"{"subject":"The Treatment of Honor in The Life of Estevanillo Gonzales"}"#), "{meta}");
    assert!(meta.contains(r#"{"author":"Na'aman Hirschfeld"}"#), "{meta}");
    assert!(meta.contains(r#"{"creator":"Writer"}"#), "{meta}");
    assert!(meta.contains(r#""created":"2009-08-16T"#), "{meta}");
}

/// Arial CID fonts with no ToUnicode and no cmap or post table in the font program: pdftotext
/// prints their glyph numbers as letters ("0LWGHP" for "Mit dem"); pith reads them in the
/// glyph order their widths confirm, and says so.
#[test]
fn glyph_numbered_fonts_without_unicode_read_by_their_glyph_order() {
    let rel = "pdfs/non_ascii_text.pdf";
    let out = run_with(&corpus(rel), &Config { plain: true, ..Config::default() }).unwrap();
    for phrase in [
        "Spatenstich für neue Hackschnitzelheizung",
        "Nachhaltige Wärmeversorgung in der Ortsmitte",
        "„Mit dieser Maßnahme",
        "die Mörburgschule und die Alte Schule",
        "Bürgermeister Martin Holschuh",
    ] {
        assert!(out.text.contains(phrase), "{phrase:?} missing from {rel}");
    }
    assert!(out.warnings.iter().any(|w| w.contains("Macintosh glyph order")), "{:?}", out.warnings);
    // As many words as the reference has glyph runs between non-letters (its spaces are glyph
    // number 3, a control character): nothing dropped or doubled.
    let reference = reference(rel).unwrap();
    let count = |t: &str| t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).count() as f64;
    let ratio = count(&out.text) / count(&reference);
    assert!((0.97..1.03).contains(&ratio), "{} words against {} in the reference", count(&out.text), count(&reference));
}

/// Scans without a text layer: empty content and a warning that OCR is needed.
#[test]
fn image_only_corpus_documents_ask_for_ocr() {
    for rel in ["pdfs/ocr_test.pdf", "pdfs/non_searchable.pdf", "pdfs/image_only_german_pdf.pdf"] {
        let out = run_with(&corpus(rel), &Config::default()).unwrap();
        assert_eq!(out.text.trim(), "", "{rel}");
        assert!(out.warnings.iter().any(|w| w.contains("OCR is needed")), "{rel}: {:?}", out.warnings);
        assert!(!out.pages.is_empty(), "{rel}");
    }
}

#[test]
fn encrypted_corpus_documents_open_with_the_empty_password() {
    for rel in ["pdf/password_protected.pdf", "pdfs/copy_protected.pdf"] {
        let out = run_with(&corpus(rel), &Config::default()).unwrap();
        let meta = out.meta.join("\n");
        assert!(meta.contains(r#"{"encrypted":true}"#), "{rel}: {meta}");
        // Info strings are encrypted too: these read right only when decrypted.
        assert!(meta.contains(r#"{"producer":"macOS Version 12.5 (Build 21G72) Quartz PDFContext"}"#), "{rel}: {meta}");
        assert!(meta.contains(r#"{"created":"2023-04-21T16:04:35"#), "{rel}: {meta}");
        assert_eq!(out.pages, vec![1, 2]);
        assert!(out.text.split_whitespace().count() > 100, "{rel}");
    }
}

#[test]
fn synthetic_pages_stream_one_by_one() {
    let data = build::Pdf::simple(3);
    let mut arena = Arena::new();
    let mut s = Stream::open(&data, None, &Config::default(), &mut arena).unwrap();
    let mut pages = Vec::new();
    loop {
        match s.next(0).unwrap() {
            Rec::End => break,
            Rec::Page => pages.push(String::from_utf8(s.payload().to_vec()).unwrap()),
            _ => {}
        }
    }
    assert_eq!(pages, [r#"{"page_number":1}"#, r#"{"page_number":2}"#, r#"{"page_number":3}"#]);
}

#[test]
fn image_records() {
    let mut p = build::Pdf::new();
    p.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
    p.obj(2, "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>");
    p.obj(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>");
    p.stream(4, "", b"q 10 0 0 10 0 0 cm /Im1 Do Q");
    p.stream(5, "/Type /XObject /Subtype /Image /Width 2 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /DCTDecode", b"\xff\xd8fakejpeg");
    // The same image on the second page is reported once.
    p.obj(6, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>");
    let data = p.finish("/Root 1 0 R");
    let out = run_with(&data, &Config { images: true, ..Config::default() }).unwrap();
    assert_eq!(out.images.len(), 1);
    let im = &out.images[0];
    assert_eq!((im["format"].as_str(), im["width"].as_u64(), im["height"].as_u64()), (Some("jpeg"), Some(2), Some(1)));
    assert_eq!(im["page_number"].as_u64(), Some(1));
    assert_eq!(im["data"].as_str(), Some("/9hmYWtlanBlZw=="));
    // Only images, no text: OCR is needed.
    assert!(out.text.trim().is_empty());
    assert!(out.warnings.iter().any(|w| w.contains("OCR")), "{:?}", out.warnings);
    let out = run_with(&data, &Config::default()).unwrap();
    assert!(out.images.is_empty());
}

#[test]
fn wrong_password_and_unencrypted_password() {
    // A password given for an unencrypted document is ignored.
    let data = build::Pdf::simple(1);
    assert!(run_with(&data, &Config { password: b"secret".to_vec(), ..Config::default() }).is_ok());
}

/// Truncations and seeded byte flips of several corpus documents: each ends in a result or
/// a clean error, in bounded time.
#[test]
fn damaged_corpus_documents() {
    let picks = [
        "pdfs/fake_memo.pdf",
        "pdfs/sample_contract.pdf",
        "pdfs/google_doc_document.pdf",
        "pdfs_with_tables/medium.pdf",
        "pdf/password_protected.pdf",
        "pdfs/multi_page.pdf",
    ];
    let mut rng = Rng::new(0x5eed_0bad_f00d);
    let cfg = Config::default();
    for rel in picks {
        let data = corpus(rel);
        let mut variants: Vec<Vec<u8>> = Vec::new();
        for cut in [13, 100, 1000, data.len() / 3, data.len() / 2, data.len() - 200, data.len() - 20] {
            variants.push(data[..cut.min(data.len())].to_vec());
        }
        for _ in 0..12 {
            let mut v = data.clone();
            for _ in 0..1 + rng.next() % 20 {
                let i = rng.next() % v.len();
                v[i] ^= 1 << (rng.next() % 8);
            }
            variants.push(v);
        }
        // Hangs are caught by wasm fuel in tests/mutation.rs, not by a clock here.
        for v in variants {
            match run_with(&v, &cfg) {
                Ok(_) => {}
                Err(e) => assert!(
                    matches!(
                        e.code(),
                        Code::Corrupt | Code::Limit | Code::PasswordRequired | Code::Unsupported | Code::MimeMismatch
                    ),
                    "{rel}: {e:?}"
                ),
            }
        }
    }
}

/// A corpus document whose `startxref` points nowhere: the scan finds every object, those
/// inside object streams too, and every page reads as before.
#[test]
fn corpus_documents_without_a_usable_cross_reference() {
    for rel in
        ["pdfs/sample_contract.pdf", "pdfs/test_article.pdf", "pdfs/a_course_in_machine_learning_ciml_v0_9_all.pdf"]
    {
        let good = corpus(rel);
        let at = crate::pdf::lexer::rfind(&good, b"startxref", good.len()).unwrap();
        let mut bad = good[..at].to_vec();
        bad.extend_from_slice(b"startxref\n123\n%%EOF\n");
        let (a, b) =
            (Document::open(&good, &Config::default()).unwrap(), Document::open(&bad, &Config::default()).unwrap());
        assert_eq!(a.page_count(), b.page_count(), "{rel}");
        for i in (0..a.page_count()).step_by(7) {
            let (pa, pb) = (a.page(i).unwrap(), b.page(i).unwrap());
            assert_eq!(pa.media_box, pb.media_box, "{rel} page {i}");
            assert_eq!(a.page_contents(&pa).unwrap(), b.page_contents(&pb).unwrap(), "{rel} page {i}");
        }
        assert!(a.warnings().list.is_empty(), "{rel}");
        assert!(b.warnings().list.iter().any(|w| w.contains("scanning")), "{rel}");
    }
}
