use super::*;
use crate::arena::Arena;
use crate::error::Code;
use crate::records::Kind;
use crate::stream::Stream;
use crate::testing::Rng;
use crate::zip::testing::archive;

const MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Default, Debug)]
struct Out {
    text: String,
    meta: Vec<serde_json::Value>,
    tables: Vec<serde_json::Value>,
    pages: Vec<u64>,
    warnings: Vec<String>,
}

impl Out {
    fn meta(&self, key: &str) -> Option<&serde_json::Value> {
        self.meta.iter().find_map(|m| m.get(key))
    }
}

fn run_with(doc: &[u8], cfg: &Config) -> Result<Out> {
    let mut arena = Arena::new();
    let mut s = Stream::open(doc, Some(MIME.as_bytes()), cfg, &mut arena)?;
    let mut out = Out::default();
    loop {
        let kind = s.next(0)?;
        let payload = String::from_utf8(s.payload().to_vec()).unwrap();
        let json = || serde_json::from_str::<serde_json::Value>(&payload).unwrap();
        match kind {
            Kind::End => return Ok(out),
            Kind::Text => out.text.push_str(&payload),
            Kind::Metadata => out.meta.push(json()),
            Kind::Table => out.tables.push(json()),
            Kind::Page => out.pages.push(json()["page_number"].as_u64().unwrap()),
            Kind::Warning => out.warnings.push(payload),
            _ => {}
        }
    }
}

fn run(doc: &[u8]) -> Out {
    run_with(doc, &Config::default()).unwrap()
}

fn corpus(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../shared/corpus/documents/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn reference(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../shared/corpus/references/{path}.ref.txt", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
}

/// Lower-cased runs of letters and digits (the scorer's tokens, without its NFKC).
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase()).collect()
}

/// Share of the reference's words (as a multiset) found in the candidate.
fn recall(reference: &str, candidate: &str) -> f64 {
    let mut have = std::collections::HashMap::new();
    for w in words(candidate) {
        *have.entry(w).or_insert(0usize) += 1;
    }
    let want = words(reference);
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
    found as f64 / want.len().max(1) as f64
}

/// Runs a shared-corpus fixture (`fixtures/schema.json`) and checks its assertions:
/// MIME type, content length and words, table count, metadata (`eq`, `gte`, `contains`).
/// Fixtures whose document the corpus could not carry are skipped.
fn check_fixture(fixture: &str) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
    let f: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{root}/fixtures/{fixture}")).unwrap()).unwrap();
    let Ok(doc) = std::fs::read(format!("{root}/documents/{}", f["document"]["path"].as_str().unwrap())) else {
        return;
    };
    let a = &f["assertions"];
    assert_eq!(a["expected_mime"], FORMAT.mimes[0], "{fixture}");
    let out = run(&doc);
    let len = out.text.chars().count() as u64;
    assert!(len >= a["min_content_length"].as_u64().unwrap_or(0), "{fixture}: {len}");
    assert!(len <= a["max_content_length"].as_u64().unwrap_or(u64::MAX), "{fixture}: {len}");
    let words = |key: &str| a[key].as_array().cloned().unwrap_or_default();
    for w in words("content_contains_all") {
        assert!(out.text.contains(w.as_str().unwrap()), "{fixture}: {w}");
    }
    let any = words("content_contains_any");
    assert!(any.is_empty() || any.iter().any(|w| out.text.contains(w.as_str().unwrap())), "{fixture}");
    assert!(out.tables.len() as u64 >= a["tables"]["min"].as_u64().unwrap_or(0), "{fixture}");
    for (key, check) in a["metadata"].as_object().into_iter().flatten() {
        let got = out.meta(key).unwrap_or_else(|| panic!("{fixture}: no {key}"));
        if let Some(want) = check.get("eq") {
            assert_eq!(got, want, "{fixture}: {key}");
        }
        if let Some(min) = check.get("gte") {
            assert!(got.as_f64().unwrap() >= min.as_f64().unwrap(), "{fixture}: {key}");
        }
        for item in check.get("contains").and_then(|c| c.as_array()).into_iter().flatten() {
            assert!(got.as_array().is_some_and(|l| l.contains(item)), "{fixture}: {key} lacks {item}");
        }
    }
}

#[test]
fn fixtures() {
    for f in [
        "office/xlsx_basic.json",
        "office/xlsx_multi_sheet.json",
        "office/xlsx_office_example.json",
        "smoke/xlsx_basic.json",
    ] {
        check_fixture(f);
    }
}

const CORPUS: [&str; 4] = [
    "office/excel.xlsx",
    "spreadsheets/excel_multi_sheet.xlsx",
    "spreadsheets/stanley_cups.xlsx",
    "spreadsheets/test_01.xlsx",
];

/// Every corpus workbook against its LibreOffice CSV export; the candidates are left in
/// the temp dir for `../shared/tools/score`.
#[test]
fn corpus_recall() {
    let dir = std::env::temp_dir().join("pith-xlsx-candidates");
    std::fs::create_dir_all(&dir).unwrap();
    for path in CORPUS {
        let out = run(&corpus(path));
        std::fs::write(dir.join(path.replace('/', "__") + ".txt"), &out.text).unwrap();
        let r = recall(&reference(path), &out.text);
        assert!(r >= 0.95, "{path}: recall {r}");
    }
}

#[test]
fn stanley_cups_fixture() {
    let out = run(&corpus("spreadsheets/stanley_cups.xlsx"));
    for w in ["Team", "Location", "Stanley Cups", "Blues", "Flyers", "Maple Leafs", "STL", "PHI", "TOR"] {
        assert!(out.text.contains(w), "{w}");
    }
    assert_eq!(out.meta("format_type").unwrap(), "xlsx");
    assert_eq!(out.meta("sheet_count").unwrap(), 2);
    assert_eq!(out.meta("sheet_names").unwrap(), &serde_json::json!(["Stanley Cups", "Stanley Cups Since 67"]));
    assert_eq!(out.pages, [1, 2]);
    assert_eq!(out.tables.len(), 2);
    let t = &out.tables[0];
    assert_eq!(t["page_number"], 1);
    assert_eq!(t["cells"][0][0], "Stanley Cups");
    assert_eq!(t["cells"][4], serde_json::json!(["Maple Leafs", "TOR", "13"]));
    assert_eq!(out.tables[1]["cells"][4], serde_json::json!(["Maple Leafs", "TOR", "0"]));
    assert!(out.text.starts_with("## Stanley Cups\n\n| Stanley Cups |  |  |\n| --- | --- | --- |\n"), "{}", out.text);
}

#[test]
fn multi_sheet_in_workbook_order() {
    let out = run(&corpus("spreadsheets/excel_multi_sheet.xlsx"));
    assert_eq!(out.meta("sheet_count").unwrap(), 2);
    let first = out.text.find("## first_sheet").unwrap();
    let second = out.text.find("## second_sheet").unwrap();
    assert!(first < second);
    assert!(out.text.contains("| Beetroot | 2 |"), "{}", out.text);
}

#[test]
fn plain_mode_is_tab_separated() {
    let cfg = Config { plain: true, ..Config::default() };
    let out = run_with(&corpus("office/excel.xlsx"), &cfg).unwrap();
    assert!(out.text.starts_with("first_sheet\nColumn 1\tColumn 2\na\t1\n"), "{}", out.text);
    assert!(!out.text.contains('|'));
    assert_eq!(out.tables.len(), 2);
}

#[test]
fn sparse_sheet_keeps_columns() {
    let out = run(&corpus("spreadsheets/test_01.xlsx"));
    let sheet3 = out.tables.iter().find(|t| t["page_number"] == 3).unwrap();
    assert_eq!(sheet3["cells"][0], serde_json::json!(["first ", "header"]));
    assert_eq!(sheet3["cells"][6], serde_json::json!(["10", "", "", "", "first (f)", "header (f)"]));
}

const WB: &str = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets><sheet name="Later" sheetId="2" r:id="rId2"/><sheet name="Secret" sheetId="1" state="hidden" r:id="rId1"/></sheets></workbook>"#;
const WB_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
const PKG_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const SST: &str =
    r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>hello</t></si></sst>"#;
const STYLES: &str = r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"#;

fn sheet_xml(data: &str) -> String {
    format!(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>{data}</sheetData></worksheet>"#
    )
}

fn book(sheet1: &str, sheet2: &str) -> Vec<u8> {
    let (s1, s2) = (sheet_xml(sheet1), sheet_xml(sheet2));
    archive(&[
        ("_rels/.rels", PKG_RELS.as_bytes()),
        ("xl/workbook.xml", WB.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WB_RELS.as_bytes()),
        ("xl/sharedStrings.xml", SST.as_bytes()),
        ("xl/styles.xml", STYLES.as_bytes()),
        ("xl/worksheets/sheet1.xml", s1.as_bytes()),
        ("xl/worksheets/sheet2.xml", s2.as_bytes()),
    ])
}

#[test]
fn order_hidden_sheets_and_1904_dates() {
    let doc = book(r#"<row r="3"><c r="C3" t="s"><v>0</v></c></row>"#, r#"<row><c s="1"><v>0</v></c></row>"#);
    let out = run(&doc);
    assert_eq!(out.meta("sheet_names").unwrap(), &serde_json::json!(["Later", "Secret"]));
    assert_eq!(out.meta("hidden_sheets").unwrap(), &serde_json::json!(["Secret"]));
    assert_eq!(out.text, "## Later\n\n| 1904-01-01 |\n| --- |\n\n## Secret\n\n| hello |\n| --- |\n");
}

#[test]
fn huge_dimension_with_few_cells_is_small() {
    let doc = book(r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#, "");
    let out = run(&doc);
    assert_eq!(out.tables.len(), 1);
    assert_eq!(out.tables[0]["cells"], serde_json::json!([["1"]]));
    // Two cells at opposite corners: the area is the limit, reached before any grid.
    let doc =
        book(r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#, "");
    assert_eq!(run_with(&doc, &Config::default()).unwrap_err().code(), Code::Limit);
}

#[test]
fn plain_rows_stay_on_one_line() {
    let doc = book(
        r#"<row><c t="inlineStr"><is><t>two
lines</t></is></c><c><v>1</v></c></row>"#,
        "",
    );
    let out = run_with(&doc, &Config { plain: true, ..Config::default() }).unwrap();
    assert_eq!(out.text, "Later\n\nSecret\ntwo lines\t1\n");
    assert_eq!(out.tables[0]["cells"][0][0], "two\nlines");
}

#[test]
fn missing_shared_string_warns() {
    let doc = book(r#"<row><c t="s"><v>5</v></c><c t="s"><v>0</v></c></row>"#, "");
    let out = run(&doc);
    assert!(out.text.contains("| hello |"));
    assert_eq!(out.warnings.len(), 1);
}

#[test]
fn limits() {
    let doc = corpus("spreadsheets/stanley_cups.xlsx");
    let one_page = Config { max_pages: 1, ..Config::default() };
    assert_eq!(run_with(&doc, &one_page).unwrap_err().code(), Code::Limit);
    let deep = format!("<row><c t=\"inlineStr\"><is>{}</is></c></row>", "<r>".repeat(5000));
    let doc = book(&deep, "");
    assert_eq!(run_with(&doc, &Config::default()).unwrap_err().code(), Code::Limit);
    let few = Config { max_objects: 1000, ..Config::default() };
    let many = "<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>".repeat(400);
    assert_eq!(run_with(&book(&many, ""), &few).unwrap_err().code(), Code::Limit);
    // Two cells, but 26 × 40 slots between them.
    let wide = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="40"><c r="Z40"><v>2</v></c></row>"#;
    assert_eq!(run_with(&book(wide, ""), &few).unwrap_err().code(), Code::Limit);
    let fits = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="38"><c r="Z38"><v>2</v></c></row>"#;
    assert_eq!(run_with(&book(fits, ""), &few).unwrap().tables[0]["cells"].as_array().unwrap().len(), 38);
    // Shared strings repeated in many cells multiply text: bounded by max_output.
    let repeated = r#"<row><c t="s"><v>0</v></c><c t="s"><v>0</v></c></row>"#.repeat(10);
    let short = Config { max_output: 64, ..Config::default() };
    assert_eq!(run_with(&book(&repeated, ""), &short).unwrap_err().code(), Code::Limit);
}

#[test]
fn truncated_archives_fail_cleanly() {
    let doc = corpus("spreadsheets/stanley_cups.xlsx");
    for cut in [0, 4, 100, doc.len() / 3, doc.len() / 2, doc.len() - 30, doc.len() - 1] {
        let result = run_with(doc.get(..cut).unwrap(), &Config::default());
        if let Err(e) = result {
            assert!(matches!(e.code(), Code::Corrupt | Code::Unsupported | Code::MimeMismatch), "{cut}: {e:?}");
        }
    }
}

#[test]
fn flipped_bytes_never_panic() {
    let mut rng = Rng::new(0x5eed);
    let doc = corpus("spreadsheets/test_01.xlsx");
    for _ in 0..200 {
        let mut d = doc.clone();
        for _ in 0..1 + rng.next() % 4 {
            let i = rng.next() % d.len();
            d[i] ^= 1 << (rng.next() % 8);
        }
        let _ = run_with(&d, &Config::default());
    }
    // Flips inside the XML itself, past the CRC check.
    let parts = [WB, WB_RELS, SST, STYLES];
    let sheet = sheet_xml(r#"<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" s="1"><v>44927.5</v></c></row>"#);
    for _ in 0..500 {
        let k = rng.next() % 5;
        let mut texts: Vec<Vec<u8>> = parts.iter().map(|p| p.as_bytes().to_vec()).collect();
        texts.push(sheet.clone().into_bytes());
        let t = &mut texts[k];
        for _ in 0..1 + rng.next() % 3 {
            let i = rng.next() % t.len();
            t[i] = b"<>/\"= x1&;"[rng.next() % 10];
        }
        let doc = archive(&[
            ("_rels/.rels", PKG_RELS.as_bytes()),
            ("xl/workbook.xml", &texts[0]),
            ("xl/_rels/workbook.xml.rels", &texts[1]),
            ("xl/sharedStrings.xml", &texts[2]),
            ("xl/styles.xml", &texts[3]),
            ("xl/worksheets/sheet1.xml", &texts[4]),
            ("xl/worksheets/sheet2.xml", &texts[4]),
        ]);
        if let Err(e) = run_with(&doc, &Config::default()) {
            assert!(matches!(e.code(), Code::Corrupt | Code::Limit), "{e:?}");
        }
    }
}
