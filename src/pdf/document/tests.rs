use super::build::Pdf;
use super::*;
use crate::error::Code;

fn open(data: &[u8]) -> Document<'_> {
    Document::open(data, &Config::default()).unwrap()
}

fn contents(doc: &Document, i: usize) -> String {
    let page = doc.page(i).unwrap();
    String::from_utf8(doc.page_contents(&page).unwrap()).unwrap()
}

#[test]
fn simple_document() {
    let data = Pdf::simple(3);
    let doc = open(&data);
    assert_eq!(doc.page_count(), 3);
    assert_eq!(doc.version(), b"1.7");
    let p = doc.page(1).unwrap();
    assert_eq!(p.number, 2);
    // Inherited from the Pages node.
    assert_eq!(p.media_box, [0.0, 0.0, 595.0, 842.0]);
    assert_eq!(p.crop_box, p.media_box);
    assert!(p.resources.get(b"Font").is_some());
    assert_eq!(contents(&doc, 2), "BT /F1 12 Tf 72 720 Td (Page 3) Tj ET");
    assert!(doc.warnings().list.is_empty());
    assert_eq!(doc.page(3).unwrap_err().code(), Code::Corrupt);
}

#[test]
fn junk_before_the_header() {
    // Offsets count from %PDF-, as in a download with an HTML error page in front.
    let mut data = b"<html><body>502 Bad Gateway</body></html>\n".to_vec();
    data.extend_from_slice(&Pdf::simple(2));
    let doc = open(&data);
    assert_eq!(doc.page_count(), 2);
    assert_eq!(contents(&doc, 1), "BT /F1 12 Tf 72 720 Td (Page 2) Tj ET");
}

#[test]
fn damaged_offsets_are_recovered_by_scanning() {
    let good = Pdf::simple(4);
    let mut data = good.clone();
    // Shift every table offset by 7: each now points into the middle of something else.
    let at = crate::pdf::lexer::rfind(&data, b"\nxref\n", data.len()).unwrap() + 1;
    let text = String::from_utf8(data[at..].to_vec()).unwrap();
    let fixed: String = text
        .lines()
        .map(|l| match l.strip_suffix(" 00000 n ") {
            Some(off) => format!("{:010} 00000 n \n", off.parse::<usize>().unwrap() + 7),
            None => format!("{l}\n"),
        })
        .collect();
    data.truncate(at);
    data.extend_from_slice(fixed.as_bytes());
    let doc = open(&data);
    assert_eq!(doc.page_count(), 4);
    assert_eq!(contents(&doc, 3), "BT /F1 12 Tf 72 720 Td (Page 4) Tj ET");
    assert!(doc.warnings().list.iter().any(|w| w.contains("scanning")));

    // No cross-reference at all (cut before "xref").
    let cut = &good[..at];
    let doc = open(cut);
    assert_eq!(doc.page_count(), 4);
    assert_eq!(contents(&doc, 0), "BT /F1 12 Tf 72 720 Td (Page 1) Tj ET");
}

#[test]
fn incremental_update_replaces_objects() {
    let mut data = Pdf::simple(2);
    let first_xref = {
        let at = crate::pdf::lexer::rfind(&data, b"startxref", data.len()).unwrap();
        let (v, _) = crate::pdf::lexer::uint(&data, at + 10).unwrap();
        v
    };
    let off = data.len();
    data.extend_from_slice(b"13 0 obj\n<< /Length 11 >>\nstream\nBT (new) ET\n\nendstream\nendobj\n");
    let xref_at = data.len();
    data.extend_from_slice(
        format!("xref\n13 1\n{off:010} 00000 n \ntrailer\n<< /Size 14 /Root 1 0 R /Prev {first_xref} >>\nstartxref\n{xref_at}\n%%EOF\n")
            .as_bytes(),
    );
    let doc = open(&data);
    assert_eq!(doc.page_count(), 2);
    assert_eq!(contents(&doc, 0), "BT /F1 12 Tf 72 720 Td (Page 1) Tj ET");
    assert_eq!(contents(&doc, 1), "BT (new) ET");
}

/// Cross-reference stream (with a PNG predictor) and an object stream holding the catalog,
/// the page tree and the pages.
fn compressed_document() -> Vec<u8> {
    let mut p = Pdf::new();
    let objs = [
        (1, "<< /Type /Catalog /Pages 2 0 R >>"),
        (2, "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /Rotate 90 >>"),
        (3, "<< /Type /Page /Parent 2 0 R /Contents 6 0 R /CropBox [10 10 300 400] >>"),
        (4, "<< /Type /Page /Parent 2 0 R /Contents [6 0 R 7 0 R] /Rotate -90 >>"),
    ];
    let mut header = String::new();
    let mut body = String::new();
    for (n, o) in objs {
        header.push_str(&format!("{n} {} ", body.len()));
        body.push_str(o);
        body.push('\n');
    }
    let first = header.len();
    let objstm = miniz_oxide::deflate::compress_to_vec_zlib(format!("{header}{body}").as_bytes(), 6);
    p.stream(5, &format!("/Type /ObjStm /N 4 /First {first} /Filter /FlateDecode"), &objstm);
    let c1 = miniz_oxide::deflate::compress_to_vec_zlib(b"BT (one) Tj ET", 6);
    p.stream(6, "/Filter /FlateDecode", &c1);
    // ASCIIHex over Flate: a filter chain.
    let c2 = miniz_oxide::deflate::compress_to_vec_zlib(b"BT (two) Tj ET", 6);
    let hex: String = c2.iter().map(|b| format!("{b:02x}")).collect::<String>() + ">";
    p.stream(7, "/Filter [/ASCIIHexDecode /FlateDecode]", hex.as_bytes());
    // The cross-reference stream: W [1 2 1], rows PNG-Up encoded (predictor 12, 4 columns).
    let xref_at = p.out.len();
    let mut rows: Vec<[u8; 4]> = vec![[0, 0, 0, 0]];
    for i in 0..4u8 {
        rows.push([2, 0, 5, i]);
    }
    for (n, off) in p.offsets.clone() {
        rows.push([1, (off >> 8) as u8, off as u8, 0]);
        assert!(n as usize == rows.len() - 1);
    }
    rows.push([1, (xref_at >> 8) as u8, xref_at as u8, 0]);
    let mut enc = Vec::new();
    let mut prev = [0u8; 4];
    for r in &rows {
        enc.push(2);
        for i in 0..4 {
            enc.push(r[i].wrapping_sub(prev[i]));
        }
        prev = *r;
    }
    let z = miniz_oxide::deflate::compress_to_vec_zlib(&enc, 6);
    let size = rows.len();
    p.stream(
        size as u32 - 1,
        &format!(
            "/Type /XRef /Size {size} /W [1 2 1] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>"
        ),
        &z,
    );
    p.out.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
    p.out.clone()
}

#[test]
fn object_and_cross_reference_streams() {
    let data = compressed_document();
    let doc = open(&data);
    assert!(doc.warnings().list.is_empty(), "{:?}", doc.warnings().list);
    assert_eq!(doc.page_count(), 2);
    let p1 = doc.page(0).unwrap();
    assert_eq!(p1.rotate, 90);
    assert_eq!(p1.crop_box, [10.0, 10.0, 300.0, 400.0]);
    assert_eq!(p1.media_box, LETTER);
    assert_eq!(doc.page(1).unwrap().rotate, 270);
    assert_eq!(contents(&doc, 0), "BT (one) Tj ET");
    assert_eq!(contents(&doc, 1), "BT (one) Tj ET\nBT (two) Tj ET");

    // Without its cross-reference stream, the scan finds the object stream's objects.
    let at = crate::pdf::lexer::rfind(&data, b"startxref", data.len()).unwrap();
    let mut broken = data[..at].to_vec();
    broken.extend_from_slice(b"startxref\n999999\n%%EOF\n");
    let doc = open(&broken);
    assert_eq!(doc.page_count(), 2);
    assert_eq!(contents(&doc, 1), "BT (one) Tj ET\nBT (two) Tj ET");
}

#[test]
fn reference_cycles_end() {
    let mut p = Pdf::new();
    p.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
    // Kids names its own node and a page twice; a reference chain loops.
    p.obj(2, "<< /Type /Pages /Kids [2 0 R 3 0 R 3 0 R 5 0 R] /Count 3 >>");
    p.obj(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>");
    p.obj(4, "6 0 R");
    p.obj(5, "<< /Type /Pages /Kids [2 0 R] >>");
    p.obj(6, "4 0 R");
    let data = p.finish("/Root 1 0 R");
    let doc = open(&data);
    assert_eq!(doc.page_count(), 1);
    assert_eq!(doc.resolve(&Object::Ref(Ref { num: 4, gen: 0 })).unwrap(), Object::Null);
    assert_eq!(contents(&doc, 0), "");
    assert!(!doc.warnings().list.is_empty());
}

#[test]
fn stream_length_that_lies() {
    for length in ["5", "9999", "-3", "8 0 R"] {
        let mut p = Pdf::new();
        p.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        p.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        p.obj(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>");
        p.offsets.push((4, p.out.len()));
        p.out.extend_from_slice(
            format!("4 0 obj\n<< /Length {length} >>\nstream\r\nBT (all of it) Tj ET\r\nendstream\nendobj\n")
                .as_bytes(),
        );
        // "8 0 R" names a missing object.
        let data = p.finish("/Root 1 0 R");
        let doc = open(&data);
        assert_eq!(contents(&doc, 0), "BT (all of it) Tj ET", "Length {length}");
    }
}

#[test]
fn deep_nesting_is_a_clean_error() {
    let mut p = Pdf::new();
    p.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
    p.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    let deep = "[".repeat(5000);
    p.obj(3, &format!("<< /Type /Page /Parent 2 0 R /X {deep} >>"));
    let data = p.finish("/Root 1 0 R");
    match Document::open(&data, &Config::default()) {
        Ok(doc) => assert_eq!(doc.page(0).map(|_| ()).unwrap_err().code(), Code::Limit),
        Err(e) => assert_eq!(e.code(), Code::Limit),
    }
}

#[test]
fn limits() {
    let data = Pdf::simple(5);
    let cfg = Config { max_pages: 4, ..Config::default() };
    assert_eq!(Document::open(&data, &cfg).err().map(|e| e.code()), Some(Code::Limit));
    let cfg = Config { max_objects: 5, ..Config::default() };
    assert_eq!(Document::open(&data, &cfg).err().map(|e| e.code()), Some(Code::Limit));
    // Decompression budget, for the whole document.
    let data = compressed_document();
    let cfg = Config { max_decompressed: 300, ..Config::default() };
    let r = Document::open(&data, &cfg).and_then(|d| {
        for i in 0..d.page_count() {
            d.page_contents(&d.page(i)?)?;
        }
        Ok(())
    });
    assert_eq!(r.unwrap_err().code(), Code::Limit);
}

#[test]
fn not_a_pdf_is_corrupt() {
    for data in [&b""[..], b"%PDF-1.4", b"%PDF-1.4\n1 0 obj (x) endobj\ntrailer << /Root 1 0 R >>", b"hello"] {
        let e = Document::open(data, &Config::default()).err().map(|e| e.code());
        assert_eq!(e, Some(Code::Corrupt), "{:?}", String::from_utf8_lossy(data));
    }
    // A catalog without pages is a document of no pages.
    let doc = open(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>");
    assert_eq!(doc.page_count(), 0);
}

#[test]
fn a_damaged_content_stream_costs_only_its_part_of_the_page() {
    let mut p = Pdf::new();
    p.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
    p.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    p.obj(3, "<< /Type /Page /Parent 2 0 R /Contents [4 0 R 5 0 R 6 0 R] >>");
    p.stream(4, "", b"BT (one) Tj ET");
    // Not a zlib stream at all: the header check fails before any byte comes out.
    p.stream(5, "/Filter /FlateDecode", b"\xff\xfe this is not deflate data \x00\x01");
    p.stream(6, "", b"BT (three) Tj ET");
    let data = p.finish("/Root 1 0 R");
    let doc = open(&data);
    // Flate decodes what it can (here nothing) instead of failing the page.
    assert_eq!(contents(&doc, 0), "BT (one) Tj ET\n\nBT (three) Tj ET");
}
