//! Deterministic mutation test over the whole corpus, through the built module: every
//! document the build reads is cut at several points and has seeded bytes flipped, and each
//! variant must end in a result or a clean status code within a fuel budget (so a hang is a
//! failure, not a slow test), without memory growing past a bound proportional to the input,
//! and the same instance must extract a good document afterwards.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use pith_host::{Config, Instance, Module, ModuleOptions};

/// Flips per flipped variant, and flipped variants per document.
const FLIPS: usize = 24;
const FLIP_VARIANTS: u64 = 3;
/// Fuel (about one unit per wasm instruction) a call may use: a fixed part plus a part per
/// input byte, far above what any corpus document needs and far below a hang.
const FUEL_BASE: u64 = 2_000_000_000;
const FUEL_PER_BYTE: u64 = 4_000;
/// Linear memory a variant may leave the instance at: a fixed part plus a multiple of the input.
const MEMORY_BASE: usize = 96 << 20;
const MEMORY_PER_BYTE: usize = 24;

/// MIME types by extension for the formats that bytes alone do not identify (as the CLI does).
const BY_EXTENSION: &[(&str, &str)] = &[
    ("md", "text/markdown"),
    ("markdown", "text/markdown"),
    ("yaml", "application/yaml"),
    ("yml", "application/yaml"),
    ("toml", "application/toml"),
    ("csv", "text/csv"),
    ("tsv", "text/tab-separated-values"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("html", "text/html"),
    ("htm", "text/html"),
];

fn documents(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            documents(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// xorshift64*: the same variants on every run and every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn variants(doc: &[u8], seed: u64) -> Vec<(String, Vec<u8>)> {
    let n = doc.len();
    let mut v = Vec::new();
    for cut in [n / 8, n / 4, n / 2, n * 3 / 4, n.saturating_sub(1)] {
        v.push((format!("cut at {cut}"), doc[..cut].to_vec()));
    }
    if n > 0 {
        for k in 0..FLIP_VARIANTS {
            let mut rng = Rng(seed.wrapping_mul(31).wrapping_add(k) | 1);
            let mut m = doc.to_vec();
            for _ in 0..FLIPS {
                let at = (rng.next() % n as u64) as usize;
                m[at] ^= 1 << (rng.next() % 8);
            }
            v.push((format!("flips #{k}"), m));
        }
    }
    v
}

fn mime_of(path: &Path, supported: &[String]) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    let &(_, mime) = BY_EXTENSION.iter().find(|(e, _)| *e == ext)?;
    supported.iter().any(|m| m == mime).then_some(mime)
}

/// A fresh instance that counts fuel.
fn instance(module: &Module) -> Instance {
    Instance::new(module).unwrap()
}

fn still_works(inst: &mut Instance) -> Result<(), String> {
    inst.set_fuel(Some(FUEL_BASE)).map_err(|e| e.to_string())?;
    let r = inst.extract(b"still here", Some("text/plain"), &Config::default()).map_err(|e| e.to_string())?;
    match r.content() {
        Ok(c) if c.contains("still here") => Ok(()),
        other => Err(format!("wrong content {other:?}")),
    }
}

#[test]
fn every_corpus_document_survives_truncation_and_byte_flips() {
    let options = ModuleOptions { consume_fuel: true, ..ModuleOptions::default() };
    let module = Module::from_file_with(common::module_path(), options).unwrap();
    let supported = instance(&module).mime_types().unwrap();
    let root = common::repo_root().join("../shared/corpus/documents");
    let mut docs = Vec::new();
    documents(&root, &mut docs);

    let failures = Mutex::new(Vec::new());
    let counts = Mutex::new((0usize, 0usize, 0usize)); // documents, results, statuses
    let next = Mutex::new(docs.iter().enumerate());
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(4);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut inst = instance(&module);
                loop {
                    let Some((i, path)) = next.lock().unwrap().next() else { break };
                    let bytes = std::fs::read(path).unwrap();
                    let mime = mime_of(path, &supported);
                    let name = path.strip_prefix(&root).unwrap_or(path).display().to_string();
                    let mut tally = (0, 0);
                    for (what, doc) in variants(&bytes, i as u64 + 1) {
                        let fuel = FUEL_BASE + FUEL_PER_BYTE * doc.len() as u64;
                        inst.set_fuel(Some(fuel)).unwrap();
                        let outcome = inst.extract(&doc, mime, &Config::default());
                        let problem = match &outcome {
                            Ok(_) => {
                                tally.0 += 1;
                                None
                            }
                            Err(e) if e.code().is_some() => {
                                tally.1 += 1;
                                None
                            }
                            Err(e) if e.is_out_of_fuel() => Some(format!("ran out of fuel ({fuel})")),
                            Err(e) => Some(format!("trapped: {e}")),
                        };
                        let limit = MEMORY_BASE + MEMORY_PER_BYTE * doc.len();
                        let problem = problem.or_else(|| {
                            (inst.memory_size() > limit).then(|| format!("memory {} B > {limit} B", inst.memory_size()))
                        });
                        let problem =
                            problem.or_else(|| still_works(&mut inst).err().map(|e| format!("next call: {e}")));
                        if let Some(p) = problem {
                            failures.lock().unwrap().push(format!("{name} ({what}): {p}"));
                        }
                        // A trapped instance is poisoned; a host would replace it, and so do we.
                        if inst.is_poisoned() || inst.memory_size() > MEMORY_BASE {
                            inst = instance(&module);
                        }
                    }
                    let mut c = counts.lock().unwrap();
                    c.0 += 1;
                    c.1 += tally.0;
                    c.2 += tally.1;
                }
            });
        }
    });
    let (n, results, statuses) = counts.into_inner().unwrap();
    println!("mutation: {n} documents, {} variants: {results} results, {statuses} clean statuses", results + statuses);
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{} variants failed:\n{}", failures.len(), failures.join("\n"));
}
