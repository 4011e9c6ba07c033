//! Hostile input for every text format, through the built module: truncated real documents,
//! invalid UTF-8, deep nesting, huge attribute values, entity and alias bombs, a 50 MB single
//! line. Each must end in a result or a clean status code (never a trap) within a fuel budget
//! linear in its size (so a quadratic path fails deterministically, on any machine, where a
//! clock would only be flaky), and the same instance must then extract a good document.

mod common;

use pith_host::{Config, Instance, Module, ModuleOptions};
use std::sync::OnceLock;

/// Fuel (wasm instructions, roughly) a hostile document may use: a fixed part plus a part
/// per byte. Measured: at most 600 per byte on the 50 MB lines (CSV), 4,021 per byte on
/// HTML entity soup (every `&name` tries the longest named reference first), and 10 billion
/// for the YAML alias bomb, whose work the `max_objects` limit bounds, not its 342 bytes.
/// The bound leaves room for that and none for work that grows faster than the input.
const FUEL_BASE: u64 = 20_000_000_000;
const FUEL_PER_BYTE: u64 = 5_000;

/// The built module, compiled to count fuel.
fn module() -> &'static Module {
    static MODULE: OnceLock<Module> = OnceLock::new();
    MODULE.get_or_init(|| {
        let options = ModuleOptions { consume_fuel: true, ..ModuleOptions::default() };
        Module::from_file_with(common::module_path(), options).expect("compile the module")
    })
}

/// A corpus document, or with `repo:` a file of this repository (the corpus has no TOML, and
/// our own Cargo.toml is a real one).
fn corpus(path: &str) -> Vec<u8> {
    let p = match path.strip_prefix("repo:") {
        Some(own) => common::repo_root().join(own),
        None => common::repo_root().join("../shared/corpus/documents").join(path),
    };
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// One format's good document (must extract, and contain `needle`) and its MIME type.
struct Case {
    mime: &'static str,
    good: &'static str,
    needle: &'static str,
}

const CASES: &[Case] = &[
    Case { mime: "text/html", good: "web/simple_table.html", needle: "Product" },
    Case { mime: "application/xml", good: "xml/plant_catalog.xml", needle: "Bloodroot" },
    Case { mime: "application/json", good: "json/sample_document.json", needle: "" },
    Case { mime: "application/yaml", good: "data_formats/simple.yaml", needle: "" },
    Case { mime: "application/toml", good: "repo:Cargo.toml", needle: "talc" },
    Case { mime: "text/csv", good: "spreadsheets/stanley_cups.csv", needle: "" },
    Case { mime: "text/markdown", good: "markdown/comprehensive.md", needle: "" },
    Case { mime: "text/plain", good: "text/fake_text.txt", needle: "" },
];

/// The hostile inputs for one format, named for the assertion messages.
fn hostile(mime: &str, good: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = Vec::new();
    for cut in [1, 7, 64, good.len() / 3, good.len() / 2, good.len().saturating_sub(3)] {
        v.push((format!("truncated at {cut}"), good[..cut.min(good.len())].to_vec()));
    }
    let mut bad_utf8 = good.to_vec();
    for (i, b) in bad_utf8.iter_mut().enumerate() {
        if i % 17 == 5 {
            *b = 0xC0 | (i as u8 & 0x3F);
        }
    }
    v.push(("invalid UTF-8 sprinkled".into(), bad_utf8));
    let n = 100_000;
    let deep: Vec<u8> = match mime {
        "text/html" => "<div>".repeat(n).into_bytes(),
        "application/xml" => {
            let mut s = "<a>".repeat(n);
            s += &"</a>".repeat(n);
            s.into_bytes()
        }
        "application/json" => "[".repeat(n).into_bytes(),
        "application/yaml" => {
            let mut s = String::new();
            for i in 0..2_000 {
                s += &" ".repeat(i);
                s += "- \n";
            }
            s += &"[".repeat(n);
            s.into_bytes()
        }
        "text/markdown" => format!("{}x\n{}", ">".repeat(n), "- ".repeat(n)).into_bytes(),
        "text/csv" => "\"".repeat(n).into_bytes(),
        "application/toml" => format!("a = {}", "[".repeat(n)).into_bytes(),
        _ => "(".repeat(n).into_bytes(),
    };
    v.push(("100,000 levels of nesting".into(), deep));
    let huge = "x".repeat(10 << 20);
    match mime {
        "text/html" => v.push(("10 MB attribute value".into(), format!("<p title=\"{huge}\">hi</p>").into_bytes())),
        "application/xml" => {
            v.push(("10 MB attribute value".into(), format!("<r a=\"{huge}\">hi</r>").into_bytes()));
            let mut bomb = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
            for i in 1..10 {
                let prev = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
                bomb += &format!("<!ENTITY lol{i} \"{}\">", format!("&{prev};").repeat(10));
            }
            bomb += "]><lolz>&lol9;</lolz>";
            v.push(("billion laughs".into(), bomb.into_bytes()));
        }
        "application/yaml" => {
            let mut bomb =
                String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
            for (prev, name) in
                ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"])
            {
                bomb += &format!("{name}: &{name} [{}]\n", format!("*{prev},").repeat(9).trim_end_matches(','));
            }
            v.push(("alias bomb".into(), bomb.into_bytes()));
        }
        "application/toml" => {
            v.push(("10 MB string".into(), format!("k = \"{huge}\"").into_bytes()));
        }
        _ => {}
    }
    if mime == "text/html" || mime == "text/markdown" {
        v.push(("entity soup".into(), "&amp;&lt;&#x10FFFF;&#99999999;&nosuch;&".repeat(200_000).into_bytes()));
    }
    // 50 MB on one line, shaped so the format reads it as its own (a JSON string, a CSV cell...).
    let line = "word ".repeat(10 << 20);
    let single = match mime {
        "application/json" => format!("[\"{line}\"]"),
        "application/xml" => format!("<r>{line}</r>"),
        "text/html" => format!("<p>{line}"),
        "application/yaml" => format!("k: {line}"),
        "application/toml" => format!("k = \"{line}\""),
        _ => line,
    };
    v.push(("50 MB single line".into(), single.into_bytes()));
    v
}

fn assert_works(inst: &mut Instance, case: &Case, good: &[u8], after: &str) {
    inst.set_fuel(Some(FUEL_BASE + FUEL_PER_BYTE * good.len() as u64)).unwrap();
    let r = inst
        .extract(good, Some(case.mime), &Config::default())
        .unwrap_or_else(|e| panic!("{}: good document fails after {after}: {e}", case.mime));
    let content = r.content().unwrap();
    assert!(content.contains(case.needle) && !content.trim().is_empty(), "{}: empty after {after}", case.mime);
}

#[test]
fn hostile_input_ends_in_a_result_or_a_status_and_the_next_call_works() {
    let supported = common::instance().mime_types().unwrap();
    // Formats are independent: two at a time keeps the 50 MB cases from dominating the run.
    let next = std::sync::Mutex::new(CASES.iter());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let Some(case) = next.lock().unwrap().next() else { break };
                run_case(case, &supported);
            });
        }
    });
}

fn run_case(case: &Case, supported: &[String]) {
    if !supported.iter().any(|m| m == case.mime) {
        println!("{}: not in this build", case.mime);
        return;
    }
    let good = corpus(case.good);
    let mut inst = Instance::new(module()).expect("instantiate the module");
    assert_works(&mut inst, case, &good, "nothing");
    for (what, doc) in hostile(case.mime, &good) {
        let budget = FUEL_BASE + FUEL_PER_BYTE * doc.len() as u64;
        inst.set_fuel(Some(budget)).unwrap();
        let outcome = match inst.extract(&doc, Some(case.mime), &Config::default()) {
            Ok(r) => format!("result, {} bytes of content", r.content().map(|c| c.len()).unwrap_or(0)),
            Err(e) => {
                assert!(!e.is_out_of_fuel(), "{} / {what}: more than {budget} fuel for {} bytes", case.mime, doc.len());
                assert!(e.code().is_some(), "{} / {what}: not a clean status: {e}", case.mime);
                format!("status {}", e.code_name())
            }
        };
        let used = budget - inst.fuel().unwrap_or(0);
        let per_byte = used as f64 / doc.len().max(1) as f64;
        println!("{:18} {what:28} {outcome}; fuel {used} ({per_byte:.0}/byte)", case.mime);
        assert_works(&mut inst, case, &good, &what);
    }
}
