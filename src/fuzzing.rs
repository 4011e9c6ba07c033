//! Entry points for the unit-level fuzz targets in `fuzz/` (feature `fuzzing`, in no preset
//! and never in a release build): each takes arbitrary bytes straight to one internal parser
//! or decoder, below the format that normally feeds it. Any panic, or a loop that stops
//! making progress, is a finding; errors are fine outcomes.

use crate::config::Config;
#[cfg(feature = "pdf")]
use alloc::{string::String, vec::Vec};

/// Small limits, as the format targets use: a run explores structure rather than size.
pub fn config() -> Config {
    Config {
        max_input: 1 << 20,
        max_output: 4 << 20,
        max_pages: 200,
        max_decompressed: 16 << 20,
        max_depth: 64,
        max_objects: 100_000,
        ..Config::default()
    }
}

/// The ZIP container: directory, entry lookup and every entry read (ratio, budget, CRC).
#[cfg(feature = "zip")]
pub fn zip_archive(data: &[u8]) {
    use crate::zip::{has_entry, Archive};
    let _ = has_entry(data, "mimetype");
    let _ = has_entry(data, "[Content_Types].xml");
    let Ok(archive) = Archive::open(data, &config()) else { return };
    for entry in archive.entries() {
        let _ = archive.read(entry);
    }
    let _ = archive.find("word/document.xml");
    let _ = archive.read_name("CONTENT.XML");
}

/// Inflate as both users call it. The first two bytes are the size a ZIP entry declares
/// (its inflate must fill exactly that); the rest is the compressed data, also fed to the
/// PDF FlateDecode filter (zlib or raw deflate, growing output, capped).
#[cfg(any(feature = "zip", feature = "pdf"))]
pub fn inflate(data: &[u8]) {
    let [lo, hi, rest @ ..] = data else { return };
    #[cfg(feature = "zip")]
    {
        let mut out = alloc::vec![0u8; usize::from(u16::from_le_bytes([*lo, *hi]))];
        let _ = crate::zip::inflate(rest, &mut out);
    }
    #[cfg(feature = "pdf")]
    {
        use crate::pdf::filters::{decode, Filter, Params};
        let mut damaged = false;
        let max = usize::from(*lo) << 12;
        let _ = decode(Filter::Flate, rest, &Params::from_dict(None), max, &mut damaged);
    }
    let _ = (lo, hi, rest);
}

/// The PDF lexer and object parser: every token in file mode and in content mode, the
/// content operators (inline images skipped whole), an indirect object and the lexer's
/// primitives at the start.
#[cfg(feature = "pdf")]
pub fn pdf_lexer(data: &[u8]) {
    use crate::pdf::content::Ops;
    use crate::pdf::lexer;
    use crate::pdf::parser::Parser;
    let depth = config().max_depth;
    for mut p in [Parser::file(data, depth), Parser::content(data, depth)] {
        // Each token consumes at least one byte.
        let mut tokens = 0usize;
        while let Ok(Some(_)) = p.next_token() {
            tokens += 1;
            assert!(tokens <= data.len(), "the parser stopped making progress");
        }
    }
    let mut ops = Ops::new(data, depth);
    let mut n = 0usize;
    while let Ok(Some(_)) = ops.next_op() {
        n += 1;
        assert!(n <= data.len(), "content operators stopped making progress");
    }
    let mut out = Vec::new();
    let _ = lexer::literal_string(data, 0, &mut out);
    out.clear();
    let _ = lexer::hex_string(data, 0, &mut out);
    out.clear();
    let _ = lexer::name(data, 0, &mut out);
    let _ = lexer::number(data, 0);
    let _ = lexer::uint(data, 0);
    if let Ok(Some((_, _, Some(start)))) = crate::pdf::xref::indirect(data, 0, depth) {
        let (s, e) = crate::pdf::xref::stream_extent(data, start, None);
        assert!(s <= e && e <= data.len(), "stream extent outside the data");
    }
}

/// The cross-reference (the `startxref` chain and the recovery scan, each entry's object
/// read) and the document layer on top: open (security, page tree), every object fetched
/// (object streams), every page and its contents.
#[cfg(feature = "pdf")]
pub fn pdf_xref(data: &[u8]) {
    use crate::pdf::document::Document;
    use crate::pdf::object::Ref;
    use crate::pdf::xref::{self, Entry, Xref};
    let cfg = config();
    let objects = |x: &Xref| {
        for e in x.entries.iter().take(4096) {
            if let Entry::Offset { pos, .. } = *e {
                if let Ok(Some((_, _, Some(start)))) = xref::indirect(data, pos, cfg.max_depth) {
                    let (s, e) = xref::stream_extent(data, start, None);
                    assert!(s <= e && e <= data.len(), "stream extent outside the data");
                }
            }
        }
    };
    let mut used = 0u64;
    if let Ok(Some(x)) = xref::read(data, &cfg, &mut used) {
        objects(&x);
    }
    if let Ok(x) = xref::scan(data, &cfg) {
        objects(&x);
    }
    let Ok(doc) = Document::open(data, &cfg) else { return };
    let _ = doc.catalog();
    let _ = doc.info();
    for num in 0..1024 {
        if let Ok(crate::pdf::object::Object::Stream(s)) = doc.get(Ref { num, gen: 0 }) {
            let _ = doc.stream_data(&s);
        }
    }
    for i in 0..doc.page_count().min(64) {
        if let Ok(page) = doc.page(i) {
            let _ = doc.page_contents(&page);
        }
    }
}

/// The stream filters and predictors. Byte 0 picks up to two filters (low and high nibble,
/// 0 = none), bytes 1 to 3 the first filter's parameters (predictor; colours, bits per
/// component and LZW's early change; columns); the rest is the encoded stream.
#[cfg(feature = "pdf")]
pub fn pdf_filters(data: &[u8]) {
    use crate::pdf::filters::{decode, Filter, Params};
    const FILTERS: [Option<Filter>; 16] = [
        None,
        Some(Filter::Flate),
        Some(Filter::Lzw),
        Some(Filter::AsciiHex),
        Some(Filter::Ascii85),
        Some(Filter::RunLength),
        Some(Filter::Crypt),
        Some(Filter::Image("jpeg")),
        Some(Filter::Flate),
        Some(Filter::Lzw),
        Some(Filter::AsciiHex),
        Some(Filter::Ascii85),
        Some(Filter::RunLength),
        Some(Filter::Flate),
        Some(Filter::Lzw),
        None,
    ];
    const COLORS: [i64; 8] = [1, 3, 4, 2, 0, -1, 16, 1 << 20];
    const BITS: [i64; 8] = [1, 2, 4, 8, 16, 0, 3, 32];
    let [pick, pred, cb, cols, rest @ ..] = data else { return };
    let predictor = match pred % 16 {
        0 => 1,
        1 => 2,
        n @ 2..=7 => 8 + i64::from(n),
        // Values no writer uses: negative, unknown, huge.
        8 => -i64::from(*pred),
        9 => i64::from(*pred) << 24,
        n => i64::from(n) + 5,
    };
    let first = Params {
        predictor,
        colors: COLORS[usize::from(cb & 7)],
        bits: BITS[usize::from(cb >> 4 & 7)],
        columns: if cols & 0x80 != 0 { i64::from(*cols) << 20 } else { i64::from(*cols) },
        early_change: cb & 0x80 == 0,
    };
    let max = 1 << 20;
    let mut damaged = false;
    let mut input: Vec<u8> = rest.to_vec();
    for (i, f) in [FILTERS[usize::from(pick & 15)], FILTERS[usize::from(pick >> 4)]].into_iter().enumerate() {
        let Some(f) = f else { continue };
        let params = if i == 0 { first } else { Params::from_dict(None) };
        match decode(f, &input, &params, max, &mut damaged) {
            Ok(out) => {
                assert!(out.len() <= max, "a filter wrote past its limit");
                input = out;
            }
            Err(_) => return,
        }
    }
}

/// The CMap parser (ToUnicode and embedded encoding CMaps), then the input read back as
/// shown bytes through it: codes by the code space, their text and CIDs.
#[cfg(feature = "pdf")]
pub fn pdf_cmap(data: &[u8]) {
    let Ok(cmap) = crate::pdf::cmap::CMap::parse(data, &config()) else { return };
    let _ = cmap.usecmap();
    let mut text = String::new();
    let mut pos = 0;
    while pos < data.len() {
        let (code, n) = cmap.next_code(data, pos);
        assert!(n >= 1, "next_code made no progress");
        cmap.unicode(code, &mut text);
        let _ = cmap.cid(code);
        pos += n;
    }
}

/// A font loaded from a dictionary over a small fixed document (`mini_pdf`): the input is
/// the font dictionary (it may refer to the document's fonts, widths, CMaps and to object
/// 30, a stream holding the rest of the input), then the bytes after the dictionary are
/// shown through the font: codes, widths, text.
#[cfg(feature = "pdf")]
pub fn pdf_font(data: &[u8]) {
    use crate::pdf::document::Document;
    use crate::pdf::font::Font;
    use crate::pdf::object::Object;
    use crate::pdf::parser::Parser;
    let cfg = config();
    let mut p = Parser::file(data, cfg.max_depth);
    let Ok(Object::Dict(dict)) = p.object() else { return };
    let shown = data.get(p.pos()..).unwrap_or(&[]);
    let pdf = mini_pdf(b"", shown, 0);
    let doc = Document::open(&pdf, &cfg).expect("the fixed document opens");
    let mut warnings = crate::pdf::Warnings::default();
    let Ok(font) = Font::load(&doc, &dict, &cfg, &mut warnings) else { return };
    let _ = font.text_unknown_in_build();
    let mut text = String::new();
    let mut pos = 0;
    while pos < shown.len() {
        let (code, n) = font.next_code(shown, pos);
        assert!(n >= 1, "next_code made no progress");
        let _ = font.width(code);
        font.unicode(code, &mut text);
        pos += n;
    }
}

/// The text layer over one page of a small fixed document (`mini_pdf`) whose content
/// stream is the input: operators, graphics and text state, the document's fonts (simple,
/// composite, Type 3, vertical), Form XObjects (one of them the input again), marked
/// content and ActualText, then the layout. The page's rotation comes from the input's
/// length.
#[cfg(feature = "pdf")]
pub fn pdf_content(data: &[u8]) {
    use crate::pdf::document::Document;
    use crate::pdf::text::TextExtractor;
    let cfg = config();
    let pdf = mini_pdf(data, data, data.len() % 4 * 90);
    let doc = Document::open(&pdf, &cfg).expect("the fixed document opens");
    let page = doc.page(0).expect("the fixed document has a page");
    let mut warnings = crate::pdf::Warnings::default();
    let _ = TextExtractor::new(&cfg).page(&doc, &page, &mut warnings);
}

/// A one-page PDF with a classic cross-reference table: `content` is the page's content
/// stream, `extra` is stream object 30 (also the Form XObject /X2), and the page's
/// resources hold one font of each kind and two forms.
#[cfg(feature = "pdf")]
fn mini_pdf(content: &[u8], extra: &[u8], rotate: usize) -> Vec<u8> {
    use crate::json::push_uint;
    const TO_UNICODE: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
        1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
        2 beginbfchar <0003> <0020> <0024> <00660069> endbfchar\n\
        2 beginbfrange <0010> <0020> <0041> <0030> <0032> [<0061> <D835DC00> <00E9>] endbfrange\n\
        endcmap CMapName currentdict /CMap defineresource pop end end";
    const FORM: &[u8] = b"q 1 0 0 1 10 10 cm BT /F1 9 Tf 0 0 Td (in form) Tj ET /X2 Do /X1 Do Q";
    let mut out: Vec<u8> = Vec::new();
    let mut offsets: Vec<(u32, usize)> = Vec::new();
    out.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    let obj = |out: &mut Vec<u8>, offsets: &mut Vec<(u32, usize)>, num: u32, body: &[u8]| {
        offsets.push((num, out.len()));
        push_uint(out, num as usize);
        out.extend_from_slice(b" 0 obj\n");
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    let stream = |out: &mut Vec<u8>, offsets: &mut Vec<(u32, usize)>, num: u32, dict: &[u8], data: &[u8]| {
        offsets.push((num, out.len()));
        push_uint(out, num as usize);
        out.extend_from_slice(b" 0 obj\n<< ");
        out.extend_from_slice(dict);
        out.extend_from_slice(b" /Length ");
        push_uint(out, data.len());
        out.extend_from_slice(b" >>\nstream\n");
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    };
    obj(&mut out, &mut offsets, 1, b"<< /Type /Catalog /Pages 2 0 R >>");
    obj(&mut out, &mut offsets, 2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>");
    let mut page = Vec::new();
    page.extend_from_slice(b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Rotate ");
    push_uint(&mut page, rotate);
    page.extend_from_slice(
        b" /Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 7 0 R /F4 8 0 R /F5 11 0 R /F6 12 0 R >> \
        /XObject << /X1 20 0 R /X2 30 0 R /Im1 21 0 R >> \
        /Properties << /P1 << /ActualText (alt text) >> /P2 << /ActualText <FEFF00410042> >> >> >> >>",
    );
    obj(&mut out, &mut offsets, 3, &page);
    stream(&mut out, &mut offsets, 4, b"", content);
    obj(
        &mut out,
        &mut offsets,
        5,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    );
    obj(
        &mut out,
        &mut offsets,
        6,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Composite /Encoding /Identity-H \
        /DescendantFonts [9 0 R] /ToUnicode 10 0 R >>",
    );
    obj(
        &mut out,
        &mut offsets,
        7,
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial,Bold /FirstChar 32 /LastChar 40 \
        /Widths [250 300 350 400 450 500 550 600 650] \
        /Encoding << /BaseEncoding /MacRomanEncoding /Differences [33 /A /B /fi /uni0041 /g12 /a123] >> >>",
    );
    obj(
        &mut out,
        &mut offsets,
        8,
        b"<< /Type /Font /Subtype /Type3 /FontMatrix [0.001 0 0 0.001 0 0] /FontBBox [0 0 1000 1000] \
        /CharProcs << >> /Encoding << /Type /Encoding /Differences [65 /a /b /space] >> \
        /FirstChar 65 /LastChar 67 /Widths [500 600 250] /Resources << >> >>",
    );
    obj(
        &mut out,
        &mut offsets,
        9,
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Composite \
        /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
        /W [1 [500 600] 10 20 700] /DW 1000 >>",
    );
    stream(&mut out, &mut offsets, 10, b"", TO_UNICODE);
    obj(
        &mut out,
        &mut offsets,
        11,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /V /Encoding /Identity-V /DescendantFonts [9 0 R] >>",
    );
    obj(
        &mut out,
        &mut offsets,
        12,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /U /Encoding /UniJIS-UCS2-H /DescendantFonts [9 0 R] >>",
    );
    stream(
        &mut out,
        &mut offsets,
        20,
        b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Matrix [1 0 0 1 5 5]",
        FORM,
    );
    stream(&mut out, &mut offsets, 21, b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8", b"\0");
    stream(&mut out, &mut offsets, 30, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792]", extra);
    let at = out.len();
    out.extend_from_slice(b"xref\n0 31\n0000000000 65535 f \n");
    for n in 1..31u32 {
        match offsets.iter().find(|o| o.0 == n) {
            Some(&(_, off)) => {
                let mut digits = Vec::new();
                push_uint(&mut digits, off);
                out.resize(out.len() + 10 - digits.len().min(10), b'0');
                out.extend_from_slice(&digits);
                out.extend_from_slice(b" 00000 n \n");
            }
            None => out.extend_from_slice(b"0000000000 65535 f \n"),
        }
    }
    out.extend_from_slice(b"trailer\n<< /Size 31 /Root 1 0 R >>\nstartxref\n");
    push_uint(&mut out, at);
    out.extend_from_slice(b"\n%%EOF\n");
    out
}
