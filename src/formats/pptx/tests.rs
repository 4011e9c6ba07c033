use super::*;
use crate::arena::Arena;
use crate::error::Code;
use crate::records::Kind;
use crate::stream::Stream;
use crate::testing::Rng;
use crate::zip::testing::archive;

const MIME: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

#[derive(Default, Debug)]
struct Out {
    text: String,
    meta: Vec<serde_json::Value>,
    tables: Vec<serde_json::Value>,
    pages: Vec<u64>,
    /// Text length when each page record came.
    page_starts: Vec<usize>,
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
            Kind::Page => {
                out.pages.push(json()["page_number"].as_u64().unwrap());
                out.page_starts.push(out.text.len());
            }
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
    for f in ["office/pptx_basic.json", "office/pptx_images.json", "office/pptx_pitch_deck.json"] {
        check_fixture(f);
    }
}

const CORPUS: [&str; 4] = [
    "presentations/powerpoint_bad_text.pptx",
    "presentations/powerpoint_sample.pptx",
    "presentations/powerpoint_with_image.pptx",
    "presentations/simple.pptx",
];

/// Every corpus deck against the text runs of its slides; the candidates are left in the
/// temp dir for `../shared/tools/score`.
#[test]
fn corpus_recall() {
    let dir = std::env::temp_dir().join("pith-pptx-candidates");
    std::fs::create_dir_all(&dir).unwrap();
    for path in CORPUS {
        let out = run(&corpus(path));
        std::fs::write(dir.join(path.replace('/', "__") + ".txt"), &out.text).unwrap();
        let r = recall(&reference(path), &out.text);
        assert!(r >= 0.95, "{path}: recall {r}");
    }
}

#[test]
fn fixtures_lengths_and_metadata() {
    let out = run(&corpus("presentations/simple.pptx"));
    assert!(out.text.len() >= 50);
    assert_eq!(out.meta("format_type").unwrap(), "pptx");
    assert_eq!(out.meta("slide_count").unwrap(), 2);
    assert_eq!(out.meta("title").unwrap(), "Title Slide");
    assert_eq!(out.pages, [1, 2]);
    assert!(out.text.starts_with("# Title Slide\n\nWith a subtitle"), "{}", out.text);
    assert!(out.text.contains("## Things to think about"), "{}", out.text);
    assert!(run(&corpus("presentations/powerpoint_with_image.pptx")).text.len() >= 20);
}

#[test]
fn slides_in_order_with_tables_and_lists() {
    let out = run(&corpus("presentations/powerpoint_sample.pptx"));
    assert_eq!(out.pages, [1, 2, 3]);
    let second = out.text.get(out.page_starts[1]..out.page_starts[2]).unwrap();
    assert!(second.contains("## Second slide title"), "{second}");
    assert!(second.contains("- With foo\n- Bar\n- And baz things"), "{second}");
    assert!(out.text.get(out.page_starts[2]..).unwrap().contains("1. List item4"), "{}", out.text);
    assert_eq!(out.tables.len(), 1);
    let t = &out.tables[0];
    assert_eq!(t["page_number"], 1);
    assert_eq!(t["cells"][0], serde_json::json!(["", "Class1", "", "", "Class2", "", ""]));
    assert_eq!(t["cells"][1][1], "A merged with B");
    assert_eq!(t["cells"][1][2], "");
    assert!(out.text.contains("|  | Class1 |  |  | Class2 |  |  |"), "{}", out.text);
    assert!(!out.text.contains("Some notes on the second slide."));
}

#[test]
fn notes_are_opt_in() {
    let cfg = Config { notes: true, ..Config::default() };
    let out = run_with(&corpus("presentations/powerpoint_sample.pptx"), &cfg).unwrap();
    let second = out.text.get(out.page_starts[1]..out.page_starts[2]).unwrap();
    assert!(second.contains("### Notes\n\nSome notes on the second slide."), "{second}");
}

#[test]
fn plain_mode() {
    let cfg = Config { plain: true, ..Config::default() };
    let out = run_with(&corpus("presentations/powerpoint_sample.pptx"), &cfg).unwrap();
    assert!(!out.text.contains('#') && !out.text.contains("- "), "{}", out.text);
    assert!(out.text.contains("Class1\t\t\tClass2"), "{}", out.text);
    assert_eq!(out.tables.len(), 1);
}

const PKG_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>"#;
const PRES: &str = r#"<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldIdLst><p:sldId id="256" r:id="rId9"/><p:sldId id="257" r:id="rId2"/><p:sldId id="258" r:id="rIdMissing"/></p:sldIdLst></p:presentation>"#;
const PRES_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide2.xml"/></Relationships>"#;

fn slide_xml(tree: &str) -> String {
    format!(
        r#"<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>{tree}</p:spTree></p:cSld></p:sld>"#
    )
}

fn text_shape(t: &str) -> String {
    format!("<p:sp><p:txBody><a:p><a:r><a:t>{t}</a:t></a:r></a:p></p:txBody></p:sp>")
}

fn deck(slide1: &str, slide2: &str) -> Vec<u8> {
    archive(&[
        ("_rels/.rels", PKG_RELS.as_bytes()),
        ("ppt/presentation.xml", PRES.as_bytes()),
        ("ppt/_rels/presentation.xml.rels", PRES_RELS.as_bytes()),
        ("ppt/slides/slide1.xml", slide1.as_bytes()),
        ("ppt/slides/slide2.xml", slide2.as_bytes()),
    ])
}

#[test]
fn order_comes_from_the_presentation_not_file_names() {
    let doc = deck(&slide_xml(&text_shape("from slide1.xml")), &slide_xml(&text_shape("from slide2.xml")));
    let out = run(&doc);
    assert_eq!(out.meta("slide_count").unwrap(), 2);
    assert_eq!(out.text, "from slide2.xml\n\nfrom slide1.xml");
}

#[test]
fn deep_group_nesting_is_a_limit() {
    let deep = format!("{}{}{}", "<p:grpSp>".repeat(100_000), text_shape("deep"), "</p:grpSp>".repeat(100_000));
    let doc = deck(&slide_xml(&deep), &slide_xml(""));
    assert_eq!(run_with(&doc, &Config::default()).unwrap_err().code(), Code::Limit);
    let one = Config { max_pages: 1, ..Config::default() };
    assert_eq!(run_with(&corpus("presentations/simple.pptx"), &one).unwrap_err().code(), Code::Limit);
}

#[test]
fn truncated_archives_fail_cleanly() {
    let doc = corpus("presentations/simple.pptx");
    for cut in [0, 4, 100, doc.len() / 3, doc.len() / 2, doc.len() - 30, doc.len() - 1] {
        if let Err(e) = run_with(doc.get(..cut).unwrap(), &Config::default()) {
            assert!(matches!(e.code(), Code::Corrupt | Code::Unsupported | Code::MimeMismatch), "{cut}: {e:?}");
        }
    }
}

#[test]
fn flipped_bytes_never_panic() {
    let mut rng = Rng::new(0xdec0);
    let doc = corpus("presentations/powerpoint_sample.pptx");
    for _ in 0..200 {
        let mut d = doc.clone();
        for _ in 0..1 + rng.next() % 4 {
            let i = rng.next() % d.len();
            d[i] ^= 1 << (rng.next() % 8);
        }
        let _ = run_with(&d, &Config { notes: true, ..Config::default() });
    }
    // Flips inside the XML itself, past the CRC check.
    let slide = Archive::open(&doc, &Config::default()).unwrap().read_name("ppt/slides/slide1.xml").unwrap().unwrap();
    for _ in 0..300 {
        let mut parts: Vec<Vec<u8>> =
            [PRES.as_bytes(), PRES_RELS.as_bytes(), &slide].iter().map(|p| p.to_vec()).collect();
        let k = rng.next() % 3;
        let t = &mut parts[k];
        for _ in 0..1 + rng.next() % 3 {
            let i = rng.next() % t.len();
            t[i] = b"<>/\"= x1&;"[rng.next() % 10];
        }
        let doc = archive(&[
            ("_rels/.rels", PKG_RELS.as_bytes()),
            ("ppt/presentation.xml", &parts[0]),
            ("ppt/_rels/presentation.xml.rels", &parts[1]),
            ("ppt/slides/slide1.xml", &parts[2]),
            ("ppt/slides/slide2.xml", &parts[2]),
        ]);
        if let Err(e) = run_with(&doc, &Config::default()) {
            assert!(matches!(e.code(), Code::Corrupt | Code::Limit), "{e:?}");
        }
    }
}
