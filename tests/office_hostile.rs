//! Hostile archives for the Office formats, through the built module: a 42 KB zip bomb, an
//! archive with 100,000 entries, truncated archives, an entry whose CRC fails, and an XML
//! billion-laughs inside a DOCX. Each ends in a result or a clean status code, and the same
//! instance then extracts a real document.

mod common;

use pith_host::{status, Config, Instance};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

fn corpus(path: &str) -> Vec<u8> {
    let p = common::repo_root().join("../shared/corpus/documents").join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// One archive entry: name, uncompressed bytes, and whether to deflate them.
struct Entry<'a> {
    name: &'a str,
    data: &'a [u8],
    deflate: bool,
}

/// A plain ZIP writer (local headers, central directory, end record): enough for hostile
/// archives whose every field the test controls.
fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let body = if e.deflate { miniz_oxide::deflate::compress_to_vec(e.data, 10) } else { e.data.to_vec() };
        let method: u16 = if e.deflate { 8 } else { 0 };
        let offset = out.len() as u32;
        let crc = crc32(e.data);
        let fields = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            for v in [20u16, 0, method, 0, 0] {
                h.extend_from_slice(&v.to_le_bytes());
            }
            for v in [crc, body.len() as u32, e.data.len() as u32] {
                h.extend_from_slice(&v.to_le_bytes());
            }
            h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            if central {
                for v in [0u16, 0, 0] {
                    h.extend_from_slice(&v.to_le_bytes());
                }
                h.extend_from_slice(&0u32.to_le_bytes());
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(e.name.as_bytes());
            h
        };
        out.extend(fields(0x0403_4b50, false));
        out.extend_from_slice(&body);
        central.extend(fields(0x0201_4b50, true));
    }
    let (dir_at, dir_len) = (out.len() as u32, central.len() as u32);
    out.extend(central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    let n = entries.len().min(0xFFFF) as u16;
    for v in [0u16, 0, n, n] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&dir_len.to_le_bytes());
    out.extend_from_slice(&dir_at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &[u8] = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

fn document(body: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0"?>{body}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"#
    )
    .into_bytes()
}

/// A DOCX whose document part is `doc`, deflated or stored.
fn docx(doc: &[u8], deflate: bool, extra: &[Entry]) -> Vec<u8> {
    let mut entries = vec![
        Entry { name: "[Content_Types].xml", data: CONTENT_TYPES, deflate: false },
        Entry { name: "_rels/.rels", data: RELS, deflate: false },
        Entry { name: "word/document.xml", data: doc, deflate },
    ];
    entries.extend(extra.iter().map(|e| Entry { name: e.name, data: e.data, deflate: e.deflate }));
    zip(&entries)
}

fn still_works(inst: &mut Instance, after: &str) {
    let good = corpus("office/document.docx");
    let r = inst.extract(&good, Some(DOCX), &Config::default()).unwrap_or_else(|e| panic!("after {after}: {e}"));
    assert!(!r.content().unwrap().trim().is_empty(), "after {after}: empty");
}

/// Extracts `doc` and returns the status (0 for a result); a trap fails the test.
fn outcome(inst: &mut Instance, doc: &[u8], cfg: &Config, what: &str) -> i32 {
    let code = match inst.extract(doc, Some(DOCX), cfg) {
        Ok(_) => 0,
        Err(e) => e.code().unwrap_or_else(|| panic!("{what}: not a clean status: {e}")),
    };
    println!("{what:40} {}", status::name(code).unwrap_or("result"));
    still_works(inst, what);
    code
}

#[test]
fn hostile_archives_end_cleanly_and_the_next_call_works() {
    let mut inst = common::instance();
    if !inst.mime_types().unwrap().iter().any(|m| m == DOCX) {
        println!("DOCX not in this build");
        return;
    }
    let plain = document(r#"<!DOCTYPE d [<!ENTITY x "hello">]>"#);
    assert_eq!(outcome(&mut inst, &docx(&plain, true, &[]), &Config::default(), "well-formed control"), 0);

    // 42 KB zip bomb: a body of 43 MB of white space deflates to about 42 KB (deflate's
    // best ratio is about 1:1030).
    let mut bomb =
        b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>".to_vec();
    bomb.resize(43 << 20, b' ');
    bomb.extend_from_slice(b"<w:p/></w:body></w:document>");
    let archive = docx(&bomb, true, &[]);
    assert!(archive.len() < 64 << 10, "the bomb is {} bytes", archive.len());
    let small = Config { max_decompressed: 8 << 20, ..Config::default() };
    assert_eq!(outcome(&mut inst, &archive, &small, "42 KB bomb, max_decompressed 8 MiB"), status::LIMIT);
    outcome(&mut inst, &archive, &Config::default(), "42 KB bomb, default limits");

    // 100,000 entries beside the real parts.
    let names: Vec<String> = (0..100_000).map(|i| format!("junk/{i}.xml")).collect();
    let junk: Vec<Entry> = names.iter().map(|n| Entry { name: n, data: b"", deflate: false }).collect();
    let many = docx(&plain, false, &junk);
    outcome(&mut inst, &many, &Config::default(), "100,000 entries");
    let few = Config { max_objects: 1_000, ..Config::default() };
    assert_eq!(outcome(&mut inst, &many, &few, "100,000 entries, max_objects 1000"), status::LIMIT);

    // Truncated real archives.
    let real = corpus("office/document.docx");
    for cut in [10, real.len() / 4, real.len() / 2, real.len() - 30] {
        assert_ne!(outcome(&mut inst, &real[..cut], &Config::default(), &format!("truncated at {cut}")), 0);
    }

    // An entry whose CRC fails: the document part is stored, one byte of it changed.
    let mut bad = docx(&plain, false, &[]);
    let at = bad.windows(5).position(|w| w == b"hello").unwrap();
    bad[at] = b'j';
    assert_eq!(outcome(&mut inst, &bad, &Config::default(), "CRC mismatch"), status::CORRUPT);

    // Billion laughs in the document part.
    let mut decl = String::from(r#"<!DOCTYPE d [<!ENTITY a "lol">"#);
    for (prev, name) in
        ["a", "b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i", "x"])
    {
        decl += &format!(r#"<!ENTITY {name} "{}">"#, format!("&{prev};").repeat(10));
    }
    decl += "]>";
    assert_eq!(
        outcome(&mut inst, &docx(&document(&decl), true, &[]), &Config::default(), "billion laughs"),
        status::LIMIT
    );
}
