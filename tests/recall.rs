//! Text quality through the built module: every corpus document of a format that has a
//! reference text is extracted (default config: Markdown, whose markup the scorer ignores),
//! scored with the shared scorer (`../shared/tools/score`, the yardstick the issues name) and
//! held to the format's floor. The table is printed, so `--nocapture` shows the figures.
//!
//! A format this build does not read is reported and skipped: the module decides, through
//! its MIME list, which rows run.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use pith_host::Config;

/// Which corpus documents a row covers and the floor they must reach.
struct Family {
    name: &'static str,
    mime: &'static str,
    /// Formats as `references/INDEX.tsv` names them.
    index_formats: &'static [&'static str],
    /// Score that each document must reach.
    floor_each: f64,
    /// Score that the median must reach.
    floor_median: f64,
    /// Recall (Office and HTML, whose references leave parts out) or F1 (PDF).
    measure: Measure,
}

#[derive(Clone, Copy, PartialEq)]
enum Measure {
    Recall,
    F1,
}

const FAMILIES: &[Family] = &[
    Family {
        name: "html",
        mime: "text/html",
        index_formats: &["html", "html4", "html5", "xhtml", "htm"],
        floor_each: 0.95,
        floor_median: 0.98,
        measure: Measure::Recall,
    },
    Family {
        name: "docx",
        mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        index_formats: &["docx"],
        floor_each: 0.95,
        floor_median: 0.95,
        measure: Measure::Recall,
    },
    Family {
        name: "xlsx",
        mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        index_formats: &["xlsx"],
        floor_each: 0.95,
        floor_median: 0.95,
        measure: Measure::Recall,
    },
    Family {
        name: "pptx",
        mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        index_formats: &["pptx"],
        floor_each: 0.95,
        floor_median: 0.95,
        measure: Measure::Recall,
    },
    Family {
        name: "odt",
        mime: "application/vnd.oasis.opendocument.text",
        index_formats: &["odt"],
        floor_each: 0.95,
        floor_median: 0.95,
        measure: Measure::Recall,
    },
    Family {
        name: "ods",
        mime: "application/vnd.oasis.opendocument.spreadsheet",
        index_formats: &["ods"],
        floor_each: 0.95,
        floor_median: 0.95,
        measure: Measure::Recall,
    },
    Family {
        name: "odp",
        mime: "application/vnd.oasis.opendocument.presentation",
        index_formats: &["odp"],
        floor_each: 0.95,
        floor_median: 0.95,
        measure: Measure::Recall,
    },
    Family {
        name: "pdf",
        mime: "application/pdf",
        index_formats: &["pdf"],
        floor_each: 0.90,
        floor_median: 0.95,
        measure: Measure::F1,
    },
];

/// Documents held to no floor, each with the reason; they still count in the median and are
/// printed with their scores.
const EXCEPTIONS: &[(&str, &str)] = &[
    (
        "odt/trackedChanges.odt",
        "the reference (LibreOffice) keeps tracked deletions; pith extracts the document as it stands, \
         deletions dropped, as for DOCX",
    ),
    (
        "pdfs/non_ascii_text.pdf",
        "most of its text is in Arial CID fonts with no Unicode information at all (no ToUnicode, no \
         cmap or post table in the font program): the reference (pdftotext) prints the glyph numbers \
         as letters (\"0LWGHP\" for \"Mit dem\"); pith reads them in the standard Macintosh glyph order \
         the widths confirm, so it disagrees with the reference word for word by being right \
         (src/formats/pdf/tests.rs checks the text itself)",
    ),
];

fn corpus() -> PathBuf {
    common::repo_root().join("../shared/corpus")
}

/// `references/INDEX.tsv`: document path and format, one row per reference.
fn index() -> Vec<(String, String)> {
    let path = corpus().join("references/INDEX.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?.to_string(), cols.next()?.to_string()))
        })
        .collect()
}

#[derive(Clone, Debug)]
struct Score {
    recall: f64,
    f1: f64,
    order: f64,
    /// Words in the reference: 0 for image-only documents (no text layer to compare).
    ref_tokens: f64,
}

/// Runs the shared scorer on one pair and reads its `key<TAB>value` lines.
fn score(reference: &Path, candidate: &Path) -> Score {
    let out = Command::new(corpus().join("../tools/score"))
        .arg(reference)
        .arg(candidate)
        .output()
        .unwrap_or_else(|e| panic!("cannot run ../shared/tools/score (python3 needed): {e}"));
    assert!(out.status.success(), "score failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |key: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(key).and_then(|v| v.strip_prefix('\t')))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("score printed no {key}: {text}"))
    };
    Score { recall: field("recall"), f1: field("f1"), order: field("order"), ref_tokens: field("ref_tokens") }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn run_family(family: &Family, rows: &[(String, String)], supported: &[String]) -> Result<String, String> {
    if !supported.iter().any(|m| m == family.mime) {
        return Ok(format!("{}: not in this build ({})\n", family.name, family.mime));
    }
    let docs: Vec<&String> =
        rows.iter().filter(|(_, f)| family.index_formats.contains(&f.as_str())).map(|(p, _)| p).collect();
    if docs.is_empty() {
        return Ok(format!("{}: no corpus document has a reference\n", family.name));
    }
    let out_dir = common::repo_root().join("target/recall").join(family.name);
    std::fs::create_dir_all(&out_dir).unwrap();
    // Documents are independent: score them on as many threads as the machine has.
    let results: Mutex<BTreeMap<String, Result<Score, String>>> = Mutex::new(BTreeMap::new());
    let next = Mutex::new(docs.iter());
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(4);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut inst = common::instance();
                loop {
                    let Some(doc) = next.lock().unwrap().next().copied() else { break };
                    let path = corpus().join("documents").join(doc);
                    let outcome = match std::fs::read(&path) {
                        Err(e) => Err(format!("unreadable: {e}")),
                        Ok(bytes) => match inst.extract(&bytes, Some(family.mime), &Config::default()) {
                            Err(e) => {
                                let _ = inst.recycle();
                                Err(format!("extraction failed: {e}"))
                            }
                            Ok(r) => {
                                let text = r.content().unwrap_or_default();
                                let cand = out_dir.join(doc.replace('/', "__") + ".txt");
                                std::fs::write(&cand, text).unwrap();
                                let reference = corpus().join("references").join(format!("{doc}.ref.txt"));
                                Ok(score(&reference, &cand))
                            }
                        },
                    };
                    results.lock().unwrap().insert(doc.clone(), outcome);
                }
            });
        }
    });
    let results = results.into_inner().unwrap();
    let value = |s: &Score| if family.measure == Measure::Recall { s.recall } else { s.f1 };
    let mut report = format!("{} ({} documents): document\trecall\tf1\torder\n", family.name, results.len());
    let mut failures = Vec::new();
    let mut values = Vec::new();
    for (doc, r) in &results {
        match r {
            Ok(s) if s.ref_tokens == 0.0 => {
                report += &format!("  {doc}\tempty reference: not scored\n");
            }
            Ok(s) => {
                report += &format!("  {doc}\t{:.4}\t{:.4}\t{:.4}\n", s.recall, s.f1, s.order);
                values.push(value(s));
                if let Some((_, why)) = EXCEPTIONS.iter().find(|(d, _)| d == doc) {
                    report += &format!("    (no floor: {why})\n");
                } else if value(s) < family.floor_each {
                    failures.push(format!("{doc}: {:.4} < {}", value(s), family.floor_each));
                }
            }
            Err(e) => {
                report += &format!("  {doc}\tERROR {e}\n");
                failures.push(format!("{doc}: {e}"));
            }
        }
    }
    let (min, med) = (values.iter().copied().fold(f64::INFINITY, f64::min), median(values.clone()));
    let what = if family.measure == Measure::Recall { "recall" } else { "F1" };
    report +=
        &format!("  {} {what}: median {med:.4}, min {min:.4} over {} scored documents\n", family.name, values.len());
    if med.is_nan() || med < family.floor_median {
        failures.push(format!("median {what} {med:.4} < {}", family.floor_median));
    }
    if failures.is_empty() {
        Ok(report)
    } else {
        Err(format!("{report}{} below the floor:\n  {}", family.name, failures.join("\n  ")))
    }
}

#[test]
fn every_corpus_document_reaches_its_floor() {
    let rows = index();
    let supported = common::instance().mime_types().unwrap();
    let mut failed = Vec::new();
    for family in FAMILIES {
        match run_family(family, &rows, &supported) {
            Ok(report) => println!("{report}"),
            Err(report) => {
                println!("{report}");
                failed.push(family.name);
            }
        }
    }
    assert!(failed.is_empty(), "below the floor: {failed:?}");
}
