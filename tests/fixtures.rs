//! Conformance: every end-to-end fixture of `../shared/corpus/fixtures` run through the built
//! module. A fixture is in scope when this build reads its MIME type and it needs no external
//! tool (OCR, legacy Office conversion); every in-scope fixture must pass. The table printed
//! (`--nocapture`) lists each fixture's outcome and why.

mod common;

use std::path::{Path, PathBuf};

use pith_host::Config;
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    common::repo_root().join("../shared/corpus/fixtures")
}

fn documents_dir() -> PathBuf {
    common::repo_root().join("../shared/corpus/documents")
}

fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {} ({e}); shared/ must sit beside the repo", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            fixture_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") && p.file_name().is_some_and(|n| n != "schema.json") {
            out.push(p);
        }
    }
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Pass,
    Fail(String),
    /// Needs OCR or legacy Office conversion, or the fixture itself says to skip it.
    OutOfScope(String),
    /// The document is not in the shared corpus (too large to carry).
    Absent,
    /// This build has no extractor for the type (yet).
    NotInBuild(String),
}

/// One metadata assertion: `{"eq": v}`, `{"gte": n}`, `{"lte": n}`, `{"contains": [..]}`, or a
/// plain value compared for equality.
fn check_metadata(key: &str, want: &Value, got: Option<&Value>) -> Result<(), String> {
    let got = got.ok_or_else(|| format!("metadata.{key} missing"))?;
    let ok = match want {
        Value::Object(ops) => ops.iter().all(|(op, v)| match op.as_str() {
            "eq" => got == v,
            "gte" => got.as_f64().zip(v.as_f64()).is_some_and(|(g, w)| g >= w),
            "lte" => got.as_f64().zip(v.as_f64()).is_some_and(|(g, w)| g <= w),
            "contains" => match (got, v) {
                (Value::Array(items), Value::Array(wanted)) => wanted.iter().all(|w| items.contains(w)),
                (Value::String(s), Value::String(w)) => s.contains(w.as_str()),
                (Value::Array(items), w) => items.contains(w),
                _ => false,
            },
            _ => false,
        }),
        v => got == v,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("metadata.{key} = {got}, wanted {want}"))
    }
}

fn check(assertions: &Value, result: &Value) -> Result<(), String> {
    let content = result["content"].as_str().unwrap_or("");
    let chars = content.chars().count() as u64;
    if let Some(m) = assertions.get("expected_mime") {
        let got = &result["mime_type"];
        let ok = match m {
            Value::Array(list) => list.contains(got),
            m => got == m,
        };
        if !ok {
            return Err(format!("mime_type {got}, wanted {m}"));
        }
    }
    if let Some(min) = assertions.get("min_content_length").and_then(Value::as_u64) {
        if chars < min {
            return Err(format!("content has {chars} characters, wanted at least {min}"));
        }
    }
    if let Some(max) = assertions.get("max_content_length").and_then(Value::as_u64) {
        if chars > max {
            return Err(format!("content has {chars} characters, wanted at most {max}"));
        }
    }
    if let Some(Value::Array(any)) = assertions.get("content_contains_any") {
        if !any.iter().any(|w| w.as_str().is_some_and(|w| content.contains(w))) {
            return Err(format!("content contains none of {any:?}"));
        }
    }
    if let Some(Value::Array(all)) = assertions.get("content_contains_all") {
        if let Some(missing) = all.iter().find(|w| !w.as_str().is_some_and(|w| content.contains(w))) {
            return Err(format!("content lacks {missing}"));
        }
    }
    if let Some(t) = assertions.get("tables") {
        let n = result["tables"].as_array().map_or(0, Vec::len) as u64;
        if t.get("min").and_then(Value::as_u64).is_some_and(|min| n < min) {
            return Err(format!("{n} tables, wanted at least {}", t["min"]));
        }
        if t.get("max").and_then(Value::as_u64).is_some_and(|max| n > max) {
            return Err(format!("{n} tables, wanted at most {}", t["max"]));
        }
    }
    if let Some(Value::Object(meta)) = assertions.get("metadata") {
        for (key, want) in meta {
            check_metadata(key, want, result["metadata"].get(key))?;
        }
    }
    Ok(())
}

fn run(fixture: &Value, supported: &[String]) -> Outcome {
    let doc = &fixture["document"];
    if let Some(tools) = doc.get("requires_external_tool").and_then(Value::as_array) {
        if !tools.is_empty() {
            return Outcome::OutOfScope(format!("needs {}", serde_json::to_string(tools).unwrap()));
        }
    }
    if let Some(skip) = fixture.get("skip") {
        return Outcome::OutOfScope(format!(
            "fixture skip: {}",
            skip.get("notes").and_then(Value::as_str).unwrap_or("")
        ));
    }
    let path = documents_dir().join(doc["path"].as_str().unwrap_or(""));
    let Ok(bytes) = std::fs::read(&path) else {
        return Outcome::Absent;
    };
    let mime = doc["media_type"].as_str();
    if let Some(m) = mime {
        if !supported.iter().any(|s| s == m) {
            return Outcome::NotInBuild(m.to_string());
        }
    }
    let mut inst = common::instance();
    let result = match inst.extract(&bytes, mime, &Config::default()) {
        Ok(r) => r,
        Err(e) => return Outcome::Fail(format!("extraction failed: {e}")),
    };
    let value = match result.value() {
        Ok(v) => v,
        Err(e) => return Outcome::Fail(e.to_string()),
    };
    match check(&fixture["assertions"], &value) {
        Ok(()) => Outcome::Pass,
        Err(why) => Outcome::Fail(why),
    }
}

#[test]
fn every_in_scope_fixture_passes() {
    let mut files = Vec::new();
    fixture_files(&fixtures_dir(), &mut files);
    assert!(files.len() >= 40, "expected the corpus fixtures, found {}", files.len());
    let supported = common::instance().mime_types().expect("mime_types");
    let mut counts = [0usize; 5];
    let mut failures = Vec::new();
    println!("{:<40} outcome", "fixture");
    for f in &files {
        let fixture: Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        let id = fixture["id"].as_str().unwrap_or("?").to_string();
        let outcome = run(&fixture, &supported);
        let (slot, text) = match &outcome {
            Outcome::Pass => (0, "pass".to_string()),
            Outcome::Fail(why) => (1, format!("FAIL: {why}")),
            Outcome::OutOfScope(why) => (2, format!("out of scope ({why})")),
            Outcome::Absent => (3, "document absent from the corpus".to_string()),
            Outcome::NotInBuild(m) => (4, format!("not in this build ({m})")),
        };
        counts[slot] += 1;
        println!("{id:<40} {text}");
        if let Outcome::Fail(why) = outcome {
            failures.push(format!("{id}: {why}"));
        }
    }
    println!(
        "fixtures: {} pass, {} fail, {} out of scope, {} absent, {} not in this build",
        counts[0], counts[1], counts[2], counts[3], counts[4]
    );
    assert!(counts[0] >= 1, "no fixture ran: the text fixture at least is in scope");
    assert!(failures.is_empty(), "failing fixtures:\n{}", failures.join("\n"));
}
