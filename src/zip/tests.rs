use super::testing::{archive, Builder, Raw};
use super::*;
use crate::testing::Rng;

fn corpus(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../shared/corpus/documents/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn cfg() -> Config {
    Config::default()
}

fn code<T>(r: Result<T>) -> Code {
    r.err().map(|e| e.code()).expect("expected an error")
}

#[test]
fn reads_corpus_office_archives() {
    let doc = corpus("office/document.docx");
    let a = Archive::open(&doc, &cfg()).unwrap();
    assert!(a.entries().iter().any(|e| e.name == "[Content_Types].xml"));
    let body = a.read_name("word/document.xml").unwrap().unwrap();
    assert!(body.starts_with(b"<?xml"));
    assert_eq!(body.len() as u64, a.find("word/document.xml").unwrap().size);
    assert!(a.read_name("word/nothing.xml").unwrap().is_none());
    // Every entry of every kind of office archive inflates and passes its CRC.
    for path in ["office/document.docx", "spreadsheets/stanley_cups.xlsx", "odt/bold.odt", "documents/textbox.docx"] {
        let doc = corpus(path);
        let a = Archive::open(&doc, &cfg()).unwrap();
        assert!(a.entries().len() > 3, "{path}");
        for e in a.entries() {
            assert_eq!(a.read(e).unwrap().len() as u64, e.size, "{path} {}", e.name);
        }
    }
    let odt = corpus("odt/bold.odt");
    let a = Archive::open(&odt, &cfg()).unwrap();
    assert_eq!(a.read_name("mimetype").unwrap().unwrap(), b"application/vnd.oasis.opendocument.text");
}

#[test]
fn find_ignores_leading_slash_and_case() {
    let doc = archive(&[("word/Document.xml", b"a"), ("Dir\\File.txt", b"b")]);
    let a = Archive::open(&doc, &cfg()).unwrap();
    assert_eq!(a.find("/word/Document.xml").unwrap().name, "word/Document.xml");
    assert_eq!(a.find("WORD/document.XML").unwrap().name, "word/Document.xml");
    assert_eq!(a.find("dir/file.txt").unwrap().name, "Dir\\File.txt");
    assert!(a.find("word/Document.xm").is_none());
}

#[test]
fn stored_deflated_and_empty_entries() {
    let text = b"hello hello hello hello hello".repeat(100);
    let mut b = Builder::new();
    b.add("stored", &text, false);
    b.add("deflated", &text, true);
    b.add("empty", b"", true);
    b.add("empty-stored", b"", false);
    let doc = b.finish(b"a comment");
    let a = Archive::open(&doc, &cfg()).unwrap();
    assert_eq!(a.entries().len(), 4);
    assert_eq!(a.read_name("stored").unwrap().unwrap(), text);
    assert_eq!(a.read_name("deflated").unwrap().unwrap(), text);
    assert!(a.read_name("empty").unwrap().unwrap().is_empty());
    assert!(a.read_name("empty-stored").unwrap().unwrap().is_empty());
}

#[test]
fn end_record_behind_comments_and_prefixes() {
    // A comment that holds a fake end record, and 64 KiB of comment.
    let mut fake = b"PK\x05\x06".to_vec();
    fake.extend_from_slice(&[0xff; 18]);
    for comment in [fake, vec![b'x'; 65535]] {
        let mut b = Builder::new();
        b.add("a.txt", b"alpha", true);
        let doc = b.finish(&comment);
        let a = Archive::open(&doc, &cfg()).unwrap();
        assert_eq!(a.read_name("a.txt").unwrap().unwrap(), b"alpha");
    }
    // A self-extractor stub before the archive shifts every offset.
    let mut doc = b"MZ stub ".repeat(100);
    doc.extend_from_slice(&archive(&[("a.txt", b"alpha"), ("b.txt", b"beta")]));
    let a = Archive::open(&doc, &cfg()).unwrap();
    assert_eq!(a.read_name("b.txt").unwrap().unwrap(), b"beta");
}

#[test]
fn zip64_records_and_extra_fields() {
    let mut b = Builder::zip64();
    b.add("big.txt", &b"0123456789".repeat(1000), true);
    b.add("small.txt", b"small", false);
    let doc = b.finish(b"");
    let a = Archive::open(&doc, &cfg()).unwrap();
    assert_eq!(a.find("big.txt").unwrap().size, 10_000);
    assert_eq!(a.read_name("big.txt").unwrap().unwrap().len(), 10_000);
    assert_eq!(a.read_name("small.txt").unwrap().unwrap(), b"small");
}

#[test]
fn not_an_archive_is_corrupt() {
    for doc in [&b""[..], b"PK\x03\x04", b"plain text, not a zip at all", &[0u8; 100]] {
        assert_eq!(code(Archive::open(doc, &cfg())), Code::Corrupt);
    }
}

#[test]
fn names_with_nul_are_rejected() {
    let doc = archive(&[("a\0b", b"x")]);
    assert_eq!(code(Archive::open(&doc, &cfg())), Code::Corrupt);
}

#[test]
fn names_that_are_not_utf8_are_kept_lossily() {
    let mut b = Builder::new();
    b.add_raw(&Raw { name: b"caf\x82.txt", method: 0, flags: 0, crc: crc32(b"x"), size: 1, payload: b"x" });
    let doc = b.finish(b"");
    let a = Archive::open(&doc, &cfg()).unwrap();
    assert_eq!(a.entries()[0].name, "caf\u{fffd}.txt");
    assert_eq!(a.read(&a.entries()[0]).unwrap(), b"x");
}

#[test]
fn flipped_crc_is_corrupt() {
    for deflate in [false, true] {
        let mut b = Builder::new();
        let data = b"some text worth checking".repeat(10);
        let payload = if deflate { miniz_oxide::deflate::compress_to_vec(&data, 6) } else { data.clone() };
        let method = if deflate { 8 } else { 0 };
        let crc = crc32(&data) ^ 1;
        b.add_raw(&Raw { name: b"a", method, flags: 0, crc, size: data.len() as u64, payload: &payload });
        let doc = b.finish(b"");
        let a = Archive::open(&doc, &cfg()).unwrap();
        assert_eq!(code(a.read_name("a")), Code::Corrupt);
    }
}

#[test]
fn sizes_that_lie_are_corrupt() {
    let data = b"abcdefgh".repeat(100);
    let payload = miniz_oxide::deflate::compress_to_vec(&data, 6);
    for size in [799, 801, 0] {
        let mut b = Builder::new();
        b.add_raw(&Raw { name: b"a", method: 8, flags: 0, crc: crc32(&data), size, payload: &payload });
        let doc = b.finish(b"");
        let a = Archive::open(&doc, &cfg()).unwrap();
        assert_eq!(code(a.read_name("a")), Code::Corrupt, "declared {size}");
    }
}

#[test]
fn encrypted_and_unknown_methods_are_clean_errors() {
    let mut b = Builder::new();
    b.add_raw(&Raw { name: b"enc", method: 0, flags: 1, crc: crc32(b"x"), size: 1, payload: b"x" });
    b.add_raw(&Raw { name: b"bz2", method: 12, flags: 0, crc: crc32(b"x"), size: 1, payload: b"x" });
    let doc = b.finish(b"");
    let a = Archive::open(&doc, &cfg()).unwrap();
    assert_eq!(code(a.read_name("enc")), Code::PasswordRequired);
    assert_eq!(code(a.read_name("bz2")), Code::Unsupported);
}

#[test]
fn truncated_archives_end_cleanly() {
    let doc = corpus("office/document.docx");
    for cut in [0, 1, 4, 30, 100, doc.len() / 3, doc.len() / 2, doc.len() - 23, doc.len() - 22, doc.len() - 1] {
        let part = &doc[..cut];
        match Archive::open(part, &cfg()) {
            Ok(a) => {
                for e in a.entries() {
                    let _ = a.read(e);
                }
            }
            Err(e) => assert_eq!(e.code(), Code::Corrupt, "cut at {cut}"),
        }
    }
}

#[test]
fn byte_flips_never_panic() {
    let doc = corpus("documents/unit_test_lists.docx");
    let mut rng = Rng::new(0x5eed_2f1e);
    for _ in 0..300 {
        let mut d = doc.clone();
        for _ in 0..1 + rng.next() % 8 {
            let i = rng.next() % d.len();
            d[i] ^= 1 << (rng.next() % 8);
        }
        // Flips near the end hit the central directory, which is what this is after.
        let i = d.len() - 1 - rng.next() % 2000;
        d[i] = rng.next() as u8;
        if let Ok(a) = Archive::open(&d, &cfg()) {
            for e in a.entries() {
                let _ = a.read(e);
            }
            let _ = has_entry(&d, "word/document.xml");
        }
    }
}

#[test]
fn entry_count_limit() {
    let mut b = Builder::new();
    let offset = b.add("0", b"", false) as u64;
    let e = Raw { name: b"n", method: 0, flags: 0, crc: 0, size: 0, payload: b"" };
    for _ in 1..100_000 {
        b.central_record(&e, offset);
    }
    let doc = b.finish(b"");
    let small = Config { max_objects: 1000, ..cfg() };
    assert_eq!(code(Archive::open(&doc, &small)), Code::Limit);
    // More than 65535 entries: the 16-bit count in the end record wrapped, the directory's
    // size did not.
    let a = Archive::open(&doc, &cfg()).unwrap();
    assert_eq!(a.entries().len(), 100_000);
    assert!(a.read_name("n").unwrap().unwrap().is_empty());
}

#[test]
fn zip_bomb_is_a_limit_before_allocating() {
    // 16 MiB of zeros deflate to about 16 KiB: the ratio cap catches it, whatever the budget.
    let zeros = vec![0u8; 16 << 20];
    let doc = archive(&[("bomb", &zeros)]);
    assert!(doc.len() < 17_000, "{}", doc.len());
    let a = Archive::open(&doc, &cfg()).unwrap();
    assert_eq!(code(a.read_name("bomb")), Code::Limit);
    // A declared size of 4 GiB from a few bytes: refused before any buffer is made for it.
    let mut b = Builder::zip64();
    let payload = miniz_oxide::deflate::compress_to_vec(&[0u8; 4096], 9);
    b.add_raw(&Raw { name: b"huge", method: 8, flags: 0, crc: 0, size: 4 << 30, payload: &payload });
    let doc = b.finish(b"");
    let a = Archive::open(&doc, &cfg()).unwrap();
    assert_eq!(code(a.read_name("huge")), Code::Limit);
    // Within the ratio, beyond the budget.
    let data: Vec<u8> = (0..2_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let doc = archive(&[("a", &data)]);
    let tight = Config { max_decompressed: 1_000_000, ..cfg() };
    assert_eq!(code(Archive::open(&doc, &tight).unwrap().read_name("a")), Code::Limit);
}

#[test]
fn overlapping_entries_share_one_budget() {
    // Fifield's overlapping bomb: many directory records point at the same compressed data.
    let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
    let payload = miniz_oxide::deflate::compress_to_vec(&data, 6);
    let e = Raw { name: b"x", method: 8, flags: 0, crc: crc32(&data), size: data.len() as u64, payload: &payload };
    let mut b = Builder::new();
    let offset = b.add_raw(&e) as u64;
    for _ in 0..200 {
        b.central_record(&e, offset);
    }
    let doc = b.finish(b"");
    let c = Config { max_decompressed: 50_000_000, ..cfg() };
    let a = Archive::open(&doc, &c).unwrap();
    let mut results = a.entries().iter().map(|e| a.read(e).map(|v| v.len()));
    assert!(results.by_ref().take(50).all(|r| r.unwrap() == data.len()));
    assert_eq!(code(results.next().unwrap()), Code::Limit);
}

#[test]
fn nested_archive_is_just_bytes() {
    let inner = archive(&[("word/document.xml", b"<w:document/>")]);
    let outer = archive(&[("inner.docx", &inner)]);
    let a = Archive::open(&outer, &cfg()).unwrap();
    assert_eq!(a.read_name("inner.docx").unwrap().unwrap(), inner);
    assert!(!has_entry(&outer, "word/document.xml"));
    assert!(has_entry(&inner, "word/document.xml"));
}

#[test]
fn has_entry_reads_directory_or_local_headers() {
    let doc = corpus("office/document.docx");
    assert!(has_entry(&doc, "word/document.xml"));
    assert!(!has_entry(&doc, "xl/workbook.xml"));
    assert!(!has_entry(b"word/document.xml", "word/document.xml"));
    // Without the directory, the local headers in front still tell.
    let doc = archive(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")]);
    assert!(has_entry(&doc[..doc.len() - 30], "word/document.xml"));
    assert!(!has_entry(&doc[..doc.len() - 30], "xl/workbook.xml"));
}
