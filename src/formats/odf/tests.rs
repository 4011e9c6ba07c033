use super::*;
use crate::arena::Arena;
use crate::error::Code;
use crate::records::Kind as Rec;
use crate::stream::Stream;
use crate::testing::Rng;
use alloc::string::String;
use alloc::vec::Vec;

#[derive(Default, Debug)]
struct Out {
    text: String,
    meta: Vec<String>,
    tables: Vec<serde_json::Value>,
    pages: Vec<u32>,
    warnings: Vec<String>,
}

fn run_with(doc: &[u8], mime: Option<&str>, cfg: &Config) -> Result<Out> {
    let mut arena = Arena::new();
    let mut s = Stream::open(doc, mime.map(str::as_bytes), cfg, &mut arena)?;
    let mut out = Out::default();
    loop {
        let kind = s.next(0)?;
        let payload = String::from_utf8(s.payload().to_vec()).unwrap();
        match kind {
            Rec::End => break,
            Rec::Text => out.text.push_str(&payload),
            Rec::Metadata => out.meta.push(payload),
            Rec::Table => out.tables.push(serde_json::from_str(&payload).unwrap()),
            Rec::Page => {
                let v: serde_json::Value = serde_json::from_str(&payload).unwrap();
                out.pages.push(v["page_number"].as_u64().unwrap() as u32);
            }
            Rec::Warning => out.warnings.push(payload),
            _ => {}
        }
    }
    Ok(out)
}

fn run(doc: &[u8]) -> Out {
    run_with(doc, None, &Config::default()).unwrap()
}

fn plain(doc: &[u8]) -> String {
    run_with(doc, None, &Config { plain: true, ..Config::default() }).unwrap().text
}

fn corpus(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../shared/corpus/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn cells(table: &serde_json::Value) -> Vec<Vec<String>> {
    table["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect())
        .collect()
}

/// A ZIP of stored entries, as office suites write ODF packages (`mimetype` first).
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, data) in entries {
        let crc = crate::zip::crc32(data);
        let offset = out.len() as u32;
        let fields = |v: &mut Vec<u8>| {
            v.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&(data.len() as u32).to_le_bytes());
            v.extend_from_slice(&(data.len() as u32).to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&[0, 0]);
        };
        out.extend_from_slice(b"PK\x03\x04");
        fields(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02\x14\x00");
        fields(&mut central);
        // Comment length, disk, internal and external attributes.
        central.extend_from_slice(&[0; 10]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0""#;

/// A package of `kind` ("text", "spreadsheet", "presentation") whose body is `body`.
fn package(kind: &str, body: &str) -> Vec<u8> {
    let mimetype = format!("application/vnd.oasis.opendocument.{kind}");
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content {NS}><office:body><office:{kind}>{body}</office:{kind}></office:body></office:document-content>"
    );
    zip(&[("mimetype", mimetype.as_bytes()), ("content.xml", content.as_bytes())])
}

/// Word recall of `cand` against `reference`, tokenised as the shared scorer does
/// (letters and digits, case-folded; NFKC left out, which these documents do not need).
fn recall(reference: &str, cand: &str) -> f64 {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let mut have: std::collections::HashMap<String, usize> = Default::default();
    for w in words(cand) {
        *have.entry(w).or_default() += 1;
    }
    let want = words(reference);
    if want.is_empty() {
        return 1.0;
    }
    let found = want
        .iter()
        .filter(|w| match have.get_mut(*w) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count();
    found as f64 / want.len() as f64
}

fn corpus_odf() -> Vec<String> {
    let root = format!("{}/../shared/corpus/documents", env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(&root)];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "odt" || x == "ods" || x == "odp") {
                found.push(p.strip_prefix(&root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

/// Every ODF document of the corpus, in both output modes: the text goes to a temporary
/// folder for the shared scorer (`ODF_CANDIDATES` names it), and the word recall against
/// the reference must reach 0.95. The one exception is a document whose reference shows
/// a tracked deletion, which the current text of the document does not hold.
#[test]
fn corpus_recall() {
    let dir =
        std::env::var("ODF_CANDIDATES").unwrap_or_else(|_| format!("{}/pith-odf", std::env::temp_dir().display()));
    let files = corpus_odf();
    assert!(files.len() >= 50, "{}", files.len());
    for path in files {
        let doc = corpus(&format!("documents/{path}"));
        let reference = String::from_utf8(corpus(&format!("references/{path}.ref.txt"))).unwrap();
        for (mode, cfg) in [("md", Config::default()), ("plain", Config { plain: true, ..Config::default() })] {
            let out = run_with(&doc, None, &cfg).unwrap();
            let file = std::path::Path::new(&dir).join(mode).join(format!("{path}.txt"));
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, &out.text).unwrap();
            let r = recall(&reference, &out.text);
            if path != "odt/trackedChanges.odt" {
                assert!(r >= 0.95, "{path} ({mode}): recall {r}\n{}", out.text);
            }
        }
    }
}

#[test]
fn text_document_headings_tables_and_properties() {
    let doc = corpus("documents/extraction_test.odt");
    let out = run(&doc);
    assert!(out.text.starts_with("# Comprehensive Extraction Test Document\n\n## First Section\n\nThis is a regular"));
    assert!(out.text.contains("\n### Subsection 1.1\n"));
    assert!(out
        .text
        .contains("| Header 1 | Header 2 | Header 3 |\n| --- | --- | --- |\n| Cell 1A | Cell 1B | Cell 1C |"));
    assert_eq!(out.tables.len(), 2);
    assert_eq!(cells(&out.tables[1])[1], ["Apple", "$1.00", "10"]);
    assert_eq!(out.tables[1]["page_number"], 0);
    for m in
        ["{\"format_type\":\"odt\"}", "{\"application\":\"Pandoc/3.8.3\"}", "{\"created\":\"2025-12-08T15:03:36Z\"}"]
    {
        assert!(out.meta.iter().any(|x| x == m), "{m}: {:?}", out.meta);
    }
    // Empty properties are left out.
    assert!(!out.meta.iter().any(|m| m.starts_with("{\"title\"")));
    let p = plain(&doc);
    assert!(p.starts_with("Comprehensive Extraction Test Document\n\nFirst Section\n"));
    assert!(p.contains("\nHeader 1\tHeader 2\tHeader 3\nCell 1A\tCell 1B\tCell 1C\n"));

    let meta = run(&corpus("documents/metadata_test.odt")).meta;
    for m in [
        "{\"title\":\"Test Metadata Document\"}",
        "{\"subject\":\"Testing ODT Metadata Extraction\"}",
        "{\"author\":\"John Doe\"}",
        "{\"modified\":\"2025-12-08T15:26:04Z\"}",
    ] {
        assert!(meta.iter().any(|x| x == m), "{m}: {meta:?}");
    }
    let fake = run(&corpus("documents/documents/fake.odt")).meta;
    for m in ["{\"page_count\":1}", "{\"word_count\":23}", "{\"modified\":\"2023-09-13T14:02:34.367419807\"}"] {
        assert!(fake.iter().any(|x| x == m), "{m}: {fake:?}");
    }
}

#[test]
fn lists_are_numbered_from_their_styles() {
    let roman = plain(&corpus("documents/odt/orderedListRoman.odt"));
    assert!(
        roman.starts_with("I. A list item\nII. A second\nIII. A third\n    I. New level!\n        I. And another!\n"),
        "{roman}"
    );
    assert!(roman.contains("\nIV. Maybe someone\nV. Pushed us?\n\nIV. Start new list"), "{roman}");
    let mixed = run(&corpus("documents/odt/orderedListMixed.odt")).text;
    assert!(
        mixed
            .contains("    3.1. New level!\n        a) And another!\n        b) It's great up here!\n    3.2. Oh noes"),
        "{mixed}"
    );
    let cont = plain(&corpus("documents/odt/listContinueNumbering.odt"));
    assert!(cont.contains("\n2. Some text (2.)\n3. Some text (3.)\n"), "{cont}");
    assert!(
        cont.contains("\n4. Some text (4.)\n\nSome text before starting new list from 1.\n\n1. Some text (1.)"),
        "{cont}"
    );
    let header = plain(&corpus("documents/odt/orderedListHeader.odt"));
    assert!(header.starts_with("A list item (list-header)\n1. A second\n2. A third\n"), "{header}");
    assert!(header.contains("\n        1. It's great up here!\n    2. Oh noes\n"), "{header}");
    assert!(header.contains("Pushed us?\n\nStart new list"), "{header}");
    let bullets = run(&corpus("documents/odt/unorderedList.odt")).text;
    assert!(bullets.starts_with("- "), "{bullets}");
}

#[test]
fn notes_links_and_tracked_changes() {
    let foot = corpus("documents/odt/footnote.odt");
    assert_eq!(run(&foot).text, "Some text1 with a footnote.\n\n1 Footnote text\n");
    assert_eq!(plain(&foot), "Some text1 with a footnote.\n\n1 Footnote text\n");
    let link = run(&corpus("documents/odt/externalLink.odt")).text;
    assert_eq!(link, "Here comes an [external link](http://example.com/) to example.com.\n");
    // The current text: a deletion recorded for review is not in it (the spaces around it
    // stay, the second one written as `text:s`).
    assert_eq!(run(&corpus("documents/odt/trackedChanges.odt")).text, "Some text with  and inserted text.\n");
    let tab = plain(&corpus("documents/odt/tab.odt"));
    assert!(tab.contains('\t'), "{tab}");
}

#[test]
fn inline_spacing_and_annotations() {
    let body = r#"<text:p>a<text:s text:c="3"/>b <text:span>  c </text:span><text:tab/>d<text:line-break/>e<office:annotation><dc:creator>X</dc:creator><text:p>remark</text:p></office:annotation></text:p><text:p><text:s text:c="99999999"/></text:p>"#;
    let doc = package("text", body);
    assert_eq!(run(&doc).text, "a   b c \td\ne\n");
    let out = run_with(&doc, None, &Config { comments: true, ..Config::default() }).unwrap();
    assert_eq!(out.text, "a   b c \td\ne\n\nComment: remark\n");
}

#[test]
fn spreadsheet_sheets_trim_repeated_empties() {
    let sheet1 = r#"<table:table table:name="Sales"><table:table-column table:number-columns-repeated="1024"/>
        <table:table-row><table:table-cell office:value-type="string"><text:p>Item</text:p></table:table-cell><table:table-cell><text:p>Qty</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16382"/></table:table-row>
        <table:table-row table:number-rows-repeated="2"><table:table-cell><text:p>Pen</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="3"/><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>x</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16379"/></table:table-row>
        <table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
        <table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Total</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>6</text:p><office:annotation><text:p>checked</text:p></office:annotation></table:table-cell></table:table-row>
        <table:table-row table:number-rows-repeated="1048569"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#;
    let sheet2 = r#"<table:table table:name="Empty"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#;
    let doc = package("spreadsheet", &format!("{sheet1}{sheet2}"));
    let out = run(&doc);
    assert_eq!(out.pages, [1, 2]);
    assert_eq!(out.tables.len(), 1);
    let rows = cells(&out.tables[0]);
    assert_eq!(rows.len(), 7);
    assert_eq!(rows[1], ["Pen", "3", "", "", "x"]);
    assert_eq!(rows[2], rows[1]);
    assert_eq!(rows[3], ["", "", "", "", ""]);
    assert_eq!(rows[6], ["Total", "", "6", "", ""]);
    assert_eq!(out.tables[0]["page_number"], 1);
    assert!(out.text.starts_with("## Sales\n\n| Item | Qty |  |  |  |\n| --- | --- | --- | --- | --- |\n| Pen | 3 |"));
    assert!(out.text.ends_with("| Total |  | 6 |  |  |\n\n## Empty\n"), "{}", out.text);
    assert!(!out.text.contains("checked"));
    for m in ["{\"format_type\":\"ods\"}", "{\"sheet_count\":2}", "{\"sheet_names\":[\"Sales\",\"Empty\"]}"] {
        assert!(out.meta.iter().any(|x| x == m), "{m}: {:?}", out.meta);
    }
    let p = plain(&doc);
    assert!(p.starts_with("Sales\n\nItem\tQty\t\t\t\nPen\t3\t\t\tx\n"), "{p}");
}

#[test]
fn presentation_slides_titles_and_notes() {
    let slide = |n: u32, title: &str, notes: &str| {
        format!(
            r#"<draw:page draw:name="page{n}"><draw:frame presentation:class="title"><draw:text-box><text:p>{title}</text:p></draw:text-box></draw:frame><draw:frame presentation:class="outline"><draw:text-box><text:list><text:list-item><text:p>Point {n}</text:p></text:list-item></text:list></draw:text-box></draw:frame><presentation:notes><draw:frame presentation:class="notes"><draw:text-box><text:p>{notes}</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>"#
        )
    };
    let table = r#"<draw:page><draw:frame><table:table><table:table-row><table:table-cell><text:p>k</text:p></table:table-cell><table:table-cell><text:p>v</text:p></table:table-cell></table:table-row></table:table></draw:frame></draw:page>"#;
    let doc = package("presentation", &format!("{}{}{table}", slide(1, "Intro", "say hello"), slide(2, "End", "bye")));
    let out = run(&doc);
    assert_eq!(out.pages, [1, 2, 3]);
    assert_eq!(out.text, "# Intro\n\n- Point 1\n\n# End\n\n- Point 2\n\n| k | v |\n| --- | --- |\n");
    assert_eq!(out.tables[0]["page_number"], 3);
    assert!(out.meta.iter().any(|m| m == "{\"slide_count\":3}"));
    let notes = run_with(&doc, None, &Config { notes: true, plain: true, ..Config::default() }).unwrap();
    assert!(notes.text.starts_with("Intro\n\n• Point 1\n\nsay hello\n"), "{}", notes.text);
}

#[test]
fn sniffing_and_declared_types() {
    let doc = corpus("documents/odt/paragraph.odt");
    assert!(is_odt(&doc) && !is_ods(&doc) && !is_odp(&doc));
    assert!(is_ods(&package("spreadsheet", "")) && is_odp(&package("presentation", "")));
    // `mimetype` not first: found through the central directory.
    let content = format!("<office:document-content {NS}><office:body><office:text><text:p>late</text:p></office:text></office:body></office:document-content>");
    let late = zip(&[("content.xml", content.as_bytes()), ("mimetype", b"application/vnd.oasis.opendocument.text")]);
    assert!(is_odt(&late));
    assert_eq!(run(&late).text, "late\n");
    let err = run_with(&doc, Some("application/vnd.oasis.opendocument.spreadsheet"), &Config::default()).unwrap_err();
    assert_eq!(err.code(), Code::MimeMismatch);
    assert!(!is_odt(b"PK\x03\x04") && !is_odt(b"") && !is_odt(&corpus("documents/documents/fake.odt")[..40]));
}

#[test]
fn missing_content_is_a_clean_error() {
    let doc = zip(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("meta.xml", b"<x/>")]);
    assert_eq!(run_with(&doc, None, &Config::default()).unwrap_err().code(), Code::Corrupt);
}

#[test]
fn repeated_cells_with_content_hit_the_limit() {
    let bomb = r#"<table:table><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000000"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#;
    for kind in ["text", "spreadsheet"] {
        let err = run_with(&package(kind, bomb), None, &Config::default()).unwrap_err();
        assert_eq!(err.code(), Code::Limit, "{kind}");
    }
    // Within the limits, repetition is materialised.
    let small = r#"<table:table><table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="4"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#;
    let out = run(&package("spreadsheet", small));
    assert_eq!(cells(&out.tables[0]), vec![vec!["x"; 4]; 3]);
    let tight = Config { max_objects: 200, ..Config::default() };
    let wide = r#"<table:table><table:table-row><table:table-cell table:number-columns-repeated="1000"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#;
    assert_eq!(run_with(&package("text", wide), None, &tight).unwrap_err().code(), Code::Limit);
}

#[test]
fn deep_nesting_is_bounded() {
    let depth = 5000;
    let body = format!(
        "{}<text:p>deep</text:p>{}",
        "<text:list><text:list-item>".repeat(depth),
        "</text:list-item></text:list>".repeat(depth)
    );
    assert_eq!(run_with(&package("text", &body), None, &Config::default()).unwrap_err().code(), Code::Limit);
    let nested = format!(
        "{}<text:p>deep</text:p>{}",
        "<text:list><text:list-item>".repeat(40),
        "</text:list-item></text:list>".repeat(40)
    );
    let out = run(&package("text", &nested));
    assert!(out.text.trim_start().starts_with("- deep"), "{}", out.text);
}

/// Damaged packages end in a result or a clean error, never a panic.
#[test]
fn truncated_and_flipped_packages() {
    let paths = ["documents/extraction_test.odt", "documents/odt/orderedListMixed.odt", "documents/odt/imageIndex.odt"];
    for path in paths {
        let doc = corpus(path);
        for cut in [0, 4, 30, 38, 100, doc.len() / 3, doc.len() / 2, doc.len() - 22, doc.len() - 1] {
            match run_with(&doc[..cut], Some("application/vnd.oasis.opendocument.text"), &Config::default()) {
                Ok(_) => {}
                Err(e) => assert!(matches!(e.code(), Code::Corrupt | Code::MimeMismatch), "{path} at {cut}: {e:?}"),
            }
        }
        let mut rng = Rng::new(0x0df0 + doc.len() as u64);
        for _ in 0..200 {
            let mut bad = doc.clone();
            for _ in 0..1 + rng.next() % 4 {
                let at = rng.next() % bad.len();
                bad[at] ^= 1 << (rng.next() % 8);
            }
            let _ = run_with(&bad, None, &Config::default());
        }
    }
    // XML damaged inside an intact package: the text before the damage, with a warning.
    let cut = zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        (
            "content.xml",
            format!("<office:document-content {NS}><office:body><office:text><text:p>kept</text:p><text:p>lo")
                .as_bytes(),
        ),
    ]);
    let out = run(&cut);
    assert!(out.text.starts_with("kept\n") && !out.warnings.is_empty(), "{out:?}");
}

#[test]
fn long_bodies_stream_in_steps_and_limits_hold() {
    let body: String = (0..5000).map(|i| format!("<text:p>paragraph {i}</text:p>")).collect();
    let doc = package("text", &body);
    let mut arena = Arena::new();
    let mut s = Stream::open(&doc, None, &Config::default(), &mut arena).unwrap();
    let (mut text, mut records) = (String::new(), 0);
    loop {
        match s.next(4096).unwrap() {
            Rec::End => break,
            Rec::Text => text.push_str(core::str::from_utf8(s.payload()).unwrap()),
            _ => {}
        }
        records += 1;
    }
    assert!(records > 10, "{records}");
    assert_eq!(text.matches("paragraph ").count(), 5000);
    assert!(text.ends_with("paragraph 4999\n"));

    let sheets = package("spreadsheet", "<table:table table:name=\"a\"/><table:table table:name=\"b\"/>");
    let one = Config { max_pages: 1, ..Config::default() };
    assert_eq!(run_with(&sheets, None, &one).unwrap_err().code(), Code::Limit);
    let small = Config { max_output: 1000, ..Config::default() };
    assert_eq!(run_with(&doc, None, &small).unwrap_err().code(), Code::Limit);
}

#[test]
fn entity_bombs_and_broken_properties() {
    let laughs = format!(
        "<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\"><!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]><office:document-content {NS}><office:body><office:text><text:p>&h;</text:p></office:text></office:body></office:document-content>"
    );
    let bomb = zip(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", laughs.as_bytes())]);
    assert_eq!(run_with(&bomb, None, &Config::default()).unwrap_err().code(), Code::Limit);
    let content = format!("<office:document-content {NS}><office:body><office:text><text:p>body</text:p></office:text></office:body></office:document-content>");
    let doc = zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
        ("meta.xml", b"<office:document-meta><office:meta><dc:title>cut</dc:ti"),
        ("styles.xml", b"<office:document-styles"),
    ]);
    let out = run(&doc);
    assert_eq!(out.text, "body\n");
    assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
}
