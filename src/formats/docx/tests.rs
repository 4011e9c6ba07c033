use super::*;
use crate::arena::Arena;
use crate::records::Kind;
use crate::stream::Stream;
use crate::testing::Rng;
use crate::zip::testing::{archive, Builder, Raw};

const MIME: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

#[derive(Default, Debug)]
struct Out {
    text: String,
    meta: Vec<String>,
    tables: Vec<String>,
    warnings: usize,
}

fn run_with(doc: &[u8], mime: Option<&str>, cfg: &Config) -> Result<Out> {
    let mut arena = Arena::new();
    let mut s = Stream::open(doc, mime.map(str::as_bytes), cfg, &mut arena)?;
    let mut out = Out::default();
    loop {
        let kind = s.next(0)?;
        let payload = String::from_utf8(s.payload().to_vec()).unwrap();
        match kind {
            Kind::End => break,
            Kind::Text => out.text.push_str(&payload),
            Kind::Metadata => out.meta.push(payload),
            Kind::Table => out.tables.push(payload),
            Kind::Warning => out.warnings += 1,
            _ => {}
        }
    }
    Ok(out)
}

fn run(doc: &[u8]) -> Out {
    run_with(doc, Some(MIME), &Config::default()).unwrap()
}

fn plain(doc: &[u8]) -> String {
    run_with(doc, Some(MIME), &Config { plain: true, ..Config::default() }).unwrap().text
}

fn corpus(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../shared/corpus/documents/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml""#;

/// A DOCX whose body is `body`, with more parts beside it.
fn docx(body: &str, parts: &[(&str, &str)]) -> Vec<u8> {
    let document = format!("<?xml version=\"1.0\"?><w:document {NS}><w:body>{body}</w:body></w:document>");
    let mut entries: Vec<(&str, &[u8])> = vec![("word/document.xml", document.as_bytes())];
    entries.extend(parts.iter().map(|(n, s)| (*n, s.as_bytes())));
    archive(&entries)
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// Every DOCX of the corpus: (path, phrases its text must hold).
const CORPUS: &[(&str, &[&str])] = &[
    ("documents/docx_tables.docx", &["Simple uniform table", "Nested Table", "merged cells", "Header Col"]),
    ("documents/equations.docx", &["inline equation", "Cheers!"]),
    ("documents/fake.docx", &["Lorem ipsum dolor sit amet."]),
    ("documents/lorem_ipsum.docx", &["Lorem ipsum dolor sit amet, consectetur adipiscing elit."]),
    ("documents/tablecell.docx", &["Some text before", "Tab1", "Some text after"]),
    ("documents/test_emf_docx.docx", &["Test with three images in unusual formats"]),
    ("documents/textbox.docx", &["Infectious Disease Reporting Procedure"]),
    ("documents/unit_test_formatting.docx", &["Normal *italic* **bold** underline and hyperlink on the same line"]),
    ("documents/unit_test_headers.docx", &["# Test Document", "## Section 1.1\n", "### Section 1.2.3\n"]),
    ("documents/unit_test_headers_numbered.docx", &["1.1. Section 1.1", "2.1.1. Section 2.1.1", "2.2. Section 2.1"]),
    ("documents/unit_test_lists.docx", &["- List item 1\n- List item 2", "1. List item a\n2. List item b"]),
    ("documents/word_image_anchors.docx", &[]),
    ("documents/word_sample.docx", &["Summer activities", "Enjoy summer warmth", "| Leaves |"]),
    ("documents/word_tables.docx", &[]),
    ("extraction_test.docx", &[]),
    ("office/document.docx", &["Swimming in the lake", "Let’s eat"]),
];

/// Extracts every corpus DOCX (writing each text to a temp folder, for the scorer) and
/// checks what it must hold.
#[test]
fn corpus_documents() {
    let dir = std::env::temp_dir().join("pith-docx-candidates");
    std::fs::create_dir_all(&dir).unwrap();
    for (path, phrases) in CORPUS {
        let out = run(&corpus(path));
        assert!(out.text.len() >= 20, "{path}: {:?}", out.text);
        for phrase in *phrases {
            assert!(out.text.contains(phrase), "{path}: {phrase:?} not in\n{}", out.text);
        }
        assert!(out.meta.iter().any(|m| m == r#"{"format_type":"docx"}"#), "{path}");
        std::fs::write(dir.join(path.replace('/', "__") + ".txt"), &out.text).unwrap();
    }
    // Every DOCX the corpus holds is in the list above.
    let mut found = Vec::new();
    let root = format!("{}/../shared/corpus/documents", env!("CARGO_MANIFEST_DIR"));
    for sub in ["", "documents", "office"] {
        for e in std::fs::read_dir(format!("{root}/{sub}")).unwrap() {
            let name = e.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".docx") {
                found.push(if sub.is_empty() { name } else { format!("{sub}/{name}") });
            }
        }
    }
    assert!(found.iter().all(|f| CORPUS.iter().any(|(p, _)| p == f)), "{found:?}");
}

#[test]
fn fixture_tables_and_metadata() {
    let out = run(&corpus("documents/docx_tables.docx"));
    assert!(out.tables.len() >= 3, "{}", out.tables.len());
    // The nested table is flattened into its cell; merged cells leave empty slots.
    assert!(out.tables[1].contains(r#"["d","e f\ng&t h","i"]"#), "{}", out.tables[1]);
    assert!(out.tables[2].contains(r#"[["a","b",""],["","c","d"]"#), "{}", out.tables[2]);
    assert!(out.text.contains("| Header Col 1 | Header Col 2 |\n| --- | --- |\n| Lorem ipsum | A link example |"));
    let out = run(&corpus("office/document.docx"));
    for m in [r#"{"author":"Christoph Auer"}"#, r#"{"page_count":2}"#, r#"{"modified":"2024-10-15T11:34:00Z"}"#] {
        assert!(out.meta.iter().any(|x| x == m), "{m} not in {:?}", out.meta);
    }
}

#[test]
fn headings_and_nested_lists() {
    let text = run(&corpus("documents/unit_test_lists.docx")).text;
    assert!(text.starts_with("# Test Document\n"), "{text}");
    assert!(text
        .contains("- List item 2\n    - List item 1.1\n    - List item 1.2\n        - List item 1.2.1\n- List item 3"));
    let text = run(&corpus("documents/unit_test_headers_numbered.docx")).text;
    assert!(text.contains("# 1. Section 1\n"), "{text}");
    assert!(text.contains("## 1.1. Section 1.1\n"), "{text}");
    let plain = plain(&corpus("documents/unit_test_lists.docx"));
    assert!(plain.contains("• List item 1\n• List item 2"), "{plain}");
    assert!(plain.contains("\n1. List item a\n2. List item b"), "{plain}");
    assert!(!plain.contains('#'));
}

#[test]
fn plain_text_has_no_markup() {
    let text = plain(&corpus("documents/docx_tables.docx"));
    assert!(!text.contains('|') && !text.contains("---"), "{text}");
    assert!(text.contains("Header Col 1\tHeader Col 2\n"), "{text}");
}

#[test]
fn text_boxes_once() {
    let text = run(&corpus("documents/textbox.docx")).text;
    assert_eq!(text.matches("Infectious Disease Reporting Procedure").count(), 1, "{text}");
    let body = r#"<w:p><w:r><w:t>anchor</w:t></w:r><w:r><mc:AlternateContent>
        <mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>
        <mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback>
        </mc:AlternateContent></w:r><w:r><w:t> text</w:t></w:r></w:p>"#;
    assert_eq!(run(&docx(&(body.to_string() + &p("next")), &[])).text, "anchor text\n\nboxed\n\nnext\n");
}

#[test]
fn fields_show_their_result() {
    let body = r#"<w:p><w:r><w:t>Page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
        <w:r><w:instrText> PAGE \* MERGEFORMAT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>
        <w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
        <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF </w:instrText></w:r>
        <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>hidden</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
        <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t> shown</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
        <w:fldSimple w:instr="DATE"><w:r><w:t>, today</w:t></w:r></w:fldSimple></w:p>"#;
    assert_eq!(run(&docx(body, &[])).text, "Page 3 shown, today\n");
    // A field that never ends hides its code, not the paragraphs after it.
    let body = r#"<w:p><w:r><w:t>a</w:t><w:fldChar w:fldCharType="begin"/><w:instrText>X</w:instrText><w:t>x</w:t></w:r></w:p>"#;
    assert_eq!(run(&docx(&(body.to_string() + &p("b")), &[])).text, "a\n\nb\n");
}

#[test]
fn tabs_breaks_and_deletions() {
    let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t><w:noBreakHyphen/><w:t>e</w:t></w:r>
        <w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:ins><w:r><w:t>new</w:t></w:r></w:ins></w:p>"#;
    assert_eq!(run(&docx(body, &[])).text, "a\tb\nc\nd-enew\n");
}

#[test]
fn headers_footers_and_notes_once_each() {
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
        <Relationship Id="h" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>
        <Relationship Id="f" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="/word/footer1.xml"/></Relationships>"#;
    let sect = r#"<w:sectPr><w:headerReference w:type="default" r:id="h"/><w:footerReference w:type="default" r:id="f"/></w:sectPr>"#;
    let body = format!(
        "<w:p><w:pPr>{sect}</w:pPr><w:r><w:t>one</w:t><w:footnoteReference w:id=\"1\"/></w:r></w:p>{}{sect}",
        p("two")
    );
    let notes = format!(
        "<w:footnotes {NS}><w:footnote w:type=\"separator\" w:id=\"0\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id=\"1\"><w:p><w:r><w:footnoteRef/><w:t xml:space=\"preserve\"> A note.</w:t></w:r></w:p></w:footnote></w:footnotes>"
    );
    let header = format!("<w:hdr {NS}>{}</w:hdr>", p("Running head"));
    let footer = format!("<w:ftr {NS}>{}</w:ftr>", p("Page foot"));
    let doc = docx(
        &body,
        &[
            ("word/_rels/document.xml.rels", rels),
            ("word/header1.xml", &header),
            ("word/footer1.xml", &footer),
            ("word/footnotes.xml", &notes),
        ],
    );
    assert_eq!(run(&doc).text, "one[^1]\n\ntwo\n\nRunning head\n\nPage foot\n\n[^1]: A note.\n");
    assert_eq!(plain(&doc), "one\n\ntwo\n\nRunning head\n\nPage foot\n\nA note.\n");
}

#[test]
fn comments_only_when_asked() {
    let comments = format!(
        "<w:comments {NS}><w:comment w:id=\"0\" w:author=\"Ann\"><w:p><w:r><w:t>Check this</w:t></w:r></w:p></w:comment></w:comments>"
    );
    let doc = docx(&p("body"), &[("word/comments.xml", &comments)]);
    assert_eq!(run(&doc).text, "body\n");
    let with = run_with(&doc, Some(MIME), &Config { comments: true, ..Config::default() }).unwrap();
    assert_eq!(with.text, "body\n\nAnn: Check this\n");
}

#[test]
fn long_bodies_stream() {
    let body: String = (0..2000).map(|i| p(&format!("paragraph {i}"))).collect();
    let doc = docx(&body, &[]);
    let out = run(&doc);
    assert!(out.text.starts_with("paragraph 0\n\nparagraph 1\n"));
    assert!(out.text.ends_with("paragraph 1999\n"));
    // The body comes a bounded number of paragraphs per step.
    let mut x = (FORMAT.open)(&doc, &Config::default()).unwrap();
    let mut sink = Sink::new(Vec::new(), u32::MAX);
    let mut steps = 0;
    while x.step(&mut sink).unwrap() == Step::More {
        steps += 1;
    }
    assert!(steps >= 2000 / BLOCKS, "{steps}");
}

#[test]
fn sniffed_without_a_mime_type() {
    let out = run_with(&corpus("documents/fake.docx"), None, &Config::default()).unwrap();
    assert!(out.text.contains("Lorem ipsum"));
    assert!(magic(&corpus("office/document.docx")));
    assert!(!magic(&corpus("spreadsheets/stanley_cups.xlsx")));
}

fn code(r: Result<Out>) -> Option<Code> {
    r.err().map(|e| e.code())
}

#[test]
fn not_a_docx_is_a_clean_error() {
    for doc in [&b"PK\x03\x04 not really"[..], b"plain text"] {
        assert!(code(run_with(doc, Some(MIME), &Config::default())).is_some());
    }
    // A ZIP without the main part is not a DOCX; one whose relationships name a missing
    // main part is a corrupt one.
    let nothing = archive(&[("[Content_Types].xml", b"<Types/>")]);
    assert_eq!(code(run_with(&nothing, Some(MIME), &Config::default())), Some(Code::MimeMismatch));
    let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="a" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/main.xml"/></Relationships>"#;
    let lost = archive(&[("_rels/.rels", rels), ("word/document.xml", b"<w:document/>")]);
    assert_eq!(code(run_with(&lost, Some(MIME), &Config::default())), Some(Code::Corrupt));
}

#[test]
fn truncated_documents_end_cleanly() {
    let doc = corpus("documents/word_sample.docx");
    for cut in [10, 100, 1000, doc.len() / 4, doc.len() / 2, doc.len() - 100, doc.len() - 22, doc.len() - 1] {
        match run_with(&doc[..cut], Some(MIME), &Config::default()) {
            Ok(out) => assert!(out.text.len() < 100_000),
            Err(e) => assert!(matches!(e.code(), Code::Corrupt | Code::MimeMismatch), "cut {cut}: {:?}", e.code()),
        }
    }
    // The body XML itself cut off: CORRUPT, not a panic.
    let body = p("whole").repeat(10);
    let document = format!("<w:document {NS}><w:body>{body}</w:body></w:document>");
    for cut in [5, document.len() / 2, document.len() - 3] {
        let doc = archive(&[("word/document.xml", &document.as_bytes()[..cut])]);
        let _ = run_with(&doc, Some(MIME), &Config::default());
    }
}

#[test]
fn byte_flips_never_panic() {
    let doc = corpus("documents/unit_test_lists.docx");
    let mut rng = Rng::new(0xd0c5);
    for _ in 0..200 {
        let mut d = doc.clone();
        for _ in 0..1 + rng.next() % 6 {
            let i = rng.next() % d.len();
            d[i] ^= 1 << (rng.next() % 8);
        }
        let _ = run_with(&d, Some(MIME), &Config::default());
    }
    // Flips inside the XML, stored so the bytes reach the parser.
    let body: String = (0..50).map(|i| p(&format!("p{i}"))).collect();
    let document = format!(
        "<w:document {NS}><w:body>{body}<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl></w:body></w:document>",
        p("c")
    );
    for _ in 0..300 {
        let mut d = document.clone().into_bytes();
        for _ in 0..1 + rng.next() % 4 {
            let i = rng.next() % d.len();
            d[i] = b"<>/=\"w:pt \x00\xff"[rng.next() % 12];
        }
        let mut b = Builder::new();
        b.add("word/document.xml", &d, false);
        let _ = run_with(&b.finish(b""), Some(MIME), &Config::default());
    }
}

#[test]
fn zip_bomb_is_a_limit() {
    // A body of 16 MB of spaces deflates to about 16 KB (a 42 KB bomb is the same at a
    // larger scale): beyond the ratio cap, and beyond a small budget, refused before
    // inflating either way.
    let mut doc = format!("<w:document {NS}><w:body>").into_bytes();
    doc.resize(doc.len() + (16 << 20), b' ');
    doc.extend_from_slice(b"</w:body></w:document>");
    let bomb = archive(&[("word/document.xml", &doc)]);
    assert!(bomb.len() < 17_000, "{}", bomb.len());
    assert_eq!(code(run_with(&bomb, Some(MIME), &Config::default())), Some(Code::Limit));
    let small = Config { max_decompressed: 10 << 20, ..Config::default() };
    assert_eq!(code(run_with(&bomb, Some(MIME), &small)), Some(Code::Limit));
    // A declared size far beyond the data: refused by the budget, never allocated.
    let mut b = Builder::zip64();
    let payload = miniz_oxide::deflate::compress_to_vec(b"<w:document/>", 6);
    b.add_raw(&Raw { name: b"word/document.xml", method: 8, flags: 0, crc: 0, size: 1 << 40, payload: &payload });
    assert_eq!(code(run_with(&b.finish(b""), Some(MIME), &Config::default())), Some(Code::Limit));
}

#[test]
fn billion_laughs_is_refused() {
    let mut dtd = String::from("<!DOCTYPE w:document [<!ENTITY a0 \"lol\">");
    for i in 1..10 {
        dtd.push_str(&format!("<!ENTITY a{i} \"{}\">", format!("&a{};", i - 1).repeat(10)));
    }
    dtd.push_str("]>");
    let document = format!("{dtd}<w:document {NS}><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>");
    let doc = archive(&[("word/document.xml", document.as_bytes())]);
    assert_eq!(code(run_with(&doc, Some(MIME), &Config::default())), Some(Code::Limit));
}

#[test]
fn many_entries_and_deep_nesting() {
    let mut b = Builder::new();
    b.add("word/document.xml", format!("<w:document {NS}><w:body>{}</w:body></w:document>", p("ok")).as_bytes(), true);
    for i in 0..100_000 {
        b.add(&format!("f{i}"), b"", false);
    }
    let doc = b.finish(b"");
    assert_eq!(run(&doc).text, "ok\n");
    let small = Config { max_objects: 10_000, ..Config::default() };
    assert_eq!(code(run_with(&doc, Some(MIME), &small)), Some(Code::Limit));
    // Tables in tables past max_depth.
    let deep = "<w:tbl><w:tr><w:tc>".repeat(300) + &p("x");
    assert_eq!(code(run_with(&docx(&deep, &[]), Some(MIME), &Config::default())), Some(Code::Limit));
}

#[test]
fn many_lists_and_styles_stay_cheap() {
    // Definitions in descending order and every paragraph in a list of its own: lookups are
    // binary searches, definitions beyond the cap are ignored.
    let mut numbering = format!("<w:numbering {NS}><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl></w:abstractNum>");
    let mut styles = format!("<w:styles {NS}>");
    for i in (1..=20_000).rev() {
        numbering.push_str(&format!("<w:num w:numId=\"{i}\"><w:abstractNumId w:val=\"0\"/></w:num>"));
        styles.push_str(&format!("<w:style w:styleId=\"S{i}\"><w:name w:val=\"heading {}\"/></w:style>", i % 9 + 1));
    }
    numbering.push_str("</w:numbering>");
    styles.push_str("</w:styles>");
    let body: String = (1..=20_000)
        .map(|i| format!("<w:p><w:pPr><w:numPr><w:numId w:val=\"{i}\"/></w:numPr></w:pPr><w:r><w:t>item</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val=\"S{i}\"/></w:pPr><w:r><w:t>h</w:t></w:r></w:p>"))
        .collect();
    let doc = docx(&body, &[("word/numbering.xml", &numbering), ("word/styles.xml", &styles)]);
    let text = "\n".to_string() + &run(&doc).text;
    assert_eq!(text.matches("1. item\n").count(), MAX_DEFINITIONS);
    assert_eq!(text.matches("\nitem\n").count(), 20_000 - MAX_DEFINITIONS);
    assert!(text.contains("\n# h\n") && text.contains("\n## h\n"));
}

#[test]
fn emphasis_in_markdown_only() {
    let run =
        |props: &str, text: &str| format!("<w:r><w:rPr>{props}</w:rPr><w:t xml:space=\"preserve\">{text}</w:t></w:r>");
    let body = format!(
        "<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr>{}{}{}{}{}{}</w:p><w:tbl><w:tr><w:tc><w:p>{}</w:p></w:tc></w:tr></w:tbl>",
        run("", "plain "),
        run("<w:b/>", "bold "),
        run("<w:b/>", "still"),
        run("<w:b/><w:i/>", " both"),
        run("<w:b w:val=\"0\"/><w:i w:val=\"false\"/>", " off "),
        run("<w:i/>", "it"),
        run("<w:b/>", "cell"),
    );
    let doc = docx(&body, &[]);
    assert_eq!(super::tests::run(&doc).text, "plain **bold still** ***both*** off *it*\n\n| cell |\n| --- |\n");
    assert_eq!(plain(&doc), "plain bold still both off it\n\ncell\n");
}
