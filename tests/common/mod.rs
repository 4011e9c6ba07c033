//! Shared helpers of the integration tests that drive the built module through `pith-host`.
//!
//! The tests load `dist/pith-complete.wasm` (or the file named by `PITH_TEST_MODULE`) and fail
//! with a clear message when it is missing: a test run that silently skipped the module would
//! report green for nothing.

#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::path::PathBuf;
use std::sync::OnceLock;

use pith_host::{status, Config, Instance, Module};

/// The repository root (this package's manifest directory).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The module under test.
pub fn module_path() -> PathBuf {
    match std::env::var_os("PITH_TEST_MODULE") {
        Some(p) => PathBuf::from(p),
        None => repo_root().join("dist").join("pith-complete.wasm"),
    }
}

/// The compiled module, compiled once per test binary.
pub fn module() -> &'static Module {
    static MODULE: OnceLock<Module> = OnceLock::new();
    MODULE.get_or_init(|| {
        let path = module_path();
        if !path.is_file() {
            panic!("{} is missing: run `cargo xtask dist` first (or set PITH_TEST_MODULE)", path.display());
        }
        Module::from_file(&path).unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()))
    })
}

/// A fresh instance of the module under test.
pub fn instance() -> Instance {
    Instance::new(module()).expect("instantiate the module")
}

/// `../shared/corpus/documents/text/<name>`, read in place.
pub fn corpus_text_path(name: &str) -> PathBuf {
    repo_root().join("../shared/corpus/documents/text").join(name)
}

pub fn corpus_text(name: &str) -> Vec<u8> {
    let path = corpus_text_path(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!("cannot read corpus document {} ({e}); shared/ must sit beside the repo", path.display())
    })
}

/// `name(code)` for assertion messages.
pub fn name(code: i32) -> String {
    match status::name(code) {
        Some(n) => format!("{n} ({code})"),
        None if code > 0 => format!("{code} (not a status)"),
        None => format!("UNKNOWN ({code})"),
    }
}

/// Asserts a raw result equals the expected status, naming both and showing the module's
/// message on failure.
#[track_caller]
pub fn assert_status(inst: &mut Instance, actual: i32, expected: i32, what: &str) {
    if actual != expected {
        let msg = if actual < 0 { inst.last_error().unwrap_or_default() } else { String::new() };
        panic!("{what}: expected {}, got {} {msg:?}", name(expected), name(actual));
    }
}

/// Allocates a block and writes `data` into it; returns the pointer (`data` must not be empty).
pub fn put(inst: &mut Instance, data: &[u8]) -> i32 {
    assert!(!data.is_empty());
    let len = i32::try_from(data.len()).expect("test data under 2 GiB");
    let ptr = inst.alloc(len).expect("alloc call");
    assert!(ptr > 0, "alloc({len}) returned {ptr}");
    inst.write(ptr, data).expect("write into the block");
    ptr
}

/// Little-endian config words followed by `tail`.
pub fn cfg_bytes(words: &[u32], tail: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    out.extend_from_slice(tail);
    out
}

/// Raw extraction: writes doc, mime and cfg into fresh blocks and calls `extract_ptr`. Frees the
/// mime and cfg blocks; returns the result and the document block (ptr 0 when empty), which the
/// caller frees after closing.
pub fn raw_open(inst: &mut Instance, doc: &[u8], mime: &[u8], cfg: &[u8]) -> (i32, i32, i32) {
    let block = |inst: &mut Instance, data: &[u8]| {
        if data.is_empty() {
            (0, 0)
        } else {
            (put(inst, data), data.len() as i32)
        }
    };
    let (d, dl) = block(inst, doc);
    let (m, ml) = block(inst, mime);
    let (c, cl) = block(inst, cfg);
    let rc = inst.extract_ptr(d, dl, m, ml, c, cl).expect("extract_ptr call");
    if m != 0 {
        assert_eq!(inst.free(m, ml).unwrap(), status::OK, "free the mime block");
    }
    if c != 0 {
        assert_eq!(inst.free(c, cl).unwrap(), status::OK, "free the cfg block");
    }
    (rc, d, dl)
}

/// Asserts the instance still extracts a small document correctly: the check after every error
/// that the error left the module usable.
#[track_caller]
pub fn assert_still_works(inst: &mut Instance) {
    let r =
        inst.extract(b"still works\n", Some("text/plain"), &Config::plain()).expect("an extraction after the error");
    let content = r.content().expect("content");
    assert_eq!(content.trim_end(), "still works");
    assert_eq!(inst.arena_reset().unwrap(), status::OK, "no stream may be left open");
}
