//! The built module's interface equals the contract in `abi/pith.h`: exactly the functions
//! declared with PITH_EXPORT (same arity, all i32) plus "memory", and no imports.

mod common;

use std::collections::BTreeMap;

use pith_host::ExternKind;

/// Name -> parameter count of every `PITH_EXPORT int32_t name(...)` declaration in pith.h.
/// Parsed from the whole text rather than line by line, so a declaration may span lines.
fn header_exports() -> BTreeMap<String, usize> {
    let path = common::repo_root().join("abi/pith.h");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for (at, _) in text.match_indices("PITH_EXPORT ") {
        let decl = &text[at + "PITH_EXPORT ".len()..];
        if !decl.starts_with("int32_t ") {
            // Prose that mentions PITH_EXPORT is skipped; a declaration with another return
            // type would contradict the header's rule that every result is an i32.
            let first = decl.lines().next().unwrap_or("");
            assert!(!looks_like_declaration(first), "pith.h: export not returning int32_t: {first}");
            continue;
        }
        let decl = &decl["int32_t ".len()..];
        let open = decl.find('(').expect("parameter list");
        let close = decl.find(')').expect("closing parenthesis");
        let name = decl[..open].trim().to_string();
        let params = decl[open + 1..close].trim();
        let arity = if params == "void" || params.is_empty() {
            0
        } else {
            for p in params.split(',') {
                assert!(p.trim().starts_with("int32_t"), "pith.h: {name} has a non-i32 parameter {p:?}");
            }
            params.split(',').count()
        };
        assert!(out.insert(name.clone(), arity).is_none(), "pith.h declares {name} twice");
    }
    out
}

/// `type name(` at the start of a line.
fn looks_like_declaration(line: &str) -> bool {
    let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let Some((head, _)) = line.split_once('(') else {
        return false;
    };
    let mut words = head.split_whitespace();
    matches!((words.next(), words.next(), words.next()), (Some(t), Some(n), None) if ident(t) && ident(n))
}

#[test]
fn header_parser_finds_the_exports() {
    let exports = header_exports();
    // Guards the parser: if it broke and found nothing, the next test would compare two
    // empty sets.
    for name in ["alloc", "free", "extract_ptr", "stream_next", "arena_reset", "mime_types_len"] {
        assert!(exports.contains_key(name), "parser missed {name}: {exports:?}");
    }
    assert_eq!(exports["extract_ptr"], 6);
    assert_eq!(exports["abi_version"], 0);
    assert_eq!(exports["free"], 2);
}

#[test]
fn functions_match_the_header_exactly() {
    let header = header_exports();
    let module = common::module();
    let mut funcs = BTreeMap::new();
    let mut others = Vec::new();
    for e in module.exports() {
        match e.kind {
            ExternKind::Func { params, results } => {
                funcs.insert(e.name, (params, results));
            }
            kind => others.push((e.name, kind)),
        }
    }

    let header_names: Vec<&String> = header.keys().collect();
    let module_names: Vec<&String> = funcs.keys().collect();
    assert_eq!(module_names, header_names, "function exports differ from PITH_EXPORT in pith.h");
    for (name, arity) in &header {
        let (params, results) = &funcs[name];
        assert_eq!(params.len(), *arity, "{name}: parameter count");
        assert!(params.iter().all(|p| p == "i32"), "{name}: params {params:?} not all i32");
        assert_eq!(results, &vec!["i32".to_string()], "{name}: result");
    }
    assert_eq!(others, vec![("memory".to_string(), ExternKind::Memory)], "the only non-function export is the memory");
}

#[test]
fn no_imports() {
    let imports = common::module().imports();
    assert!(imports.is_empty(), "the module imports {imports:?}");
}

#[test]
fn version_features_and_mime_types() {
    let mut inst = common::instance();
    assert_eq!(inst.abi_version().unwrap(), pith_host::ABI_VERSION);
    let features = inst.features().unwrap();
    assert_ne!(features & pith_host::FEATURE_TEXT, 0, "text is always compiled in");
    let mimes = inst.mime_types().unwrap();
    assert!(mimes.iter().any(|m| m == "text/plain"), "mime_types: {mimes:?}");
    for m in &mimes {
        assert!(m.contains('/') && !m.contains(char::is_whitespace), "odd MIME type {m:?}");
    }
    println!("features {features:#x}, mime types {mimes:?}");
}
