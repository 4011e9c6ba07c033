//! Memory stays flat across many documents: after `arena_reset` the live heap and the memory
//! size return to exactly what they were after the first batch.
//!
//! Run with `cargo test --release --test arena -- --nocapture` to see the figures.

mod common;

use std::time::Instant;

use pith_host::{rec, status, Instance};

const BATCHES: usize = 1000;

/// Ten real documents of mixed sizes (35 B to 610 KB), read in place from the shared corpus.
const DOCUMENTS: [&str; 10] = [
    "world_war_ii.md",
    "norwich_city.txt",
    "wkey_am.md",
    "sinthgunt.md",
    "book_war_and_peace_1p.txt",
    "selected_pdfs.txt",
    "readme.rst",
    "german_text.txt",
    "french_text.txt",
    "contract.txt",
];

/// How document `i` of every batch is read. Every batch does exactly the same, so each one
/// reaches the same peak and the memory size may fairly be compared between batches.
fn max_chunk_for(i: usize) -> Option<i32> {
    match i % 4 {
        0 => None, // result_json
        1 => Some(0),
        2 => Some(64),
        _ => Some(4096),
    }
}

/// Extracts the document in `(ptr, len)` and returns the bytes of output read.
fn extract_block(inst: &mut Instance, ptr: i32, len: i32, mode: Option<i32>, name: &str) -> usize {
    let h = inst.extract_ptr(ptr, len, 0, 0, 0, 0).unwrap();
    assert!(h > 0, "{name}: extract_ptr gave {}", common::name(h));
    let mut out = 0;
    match mode {
        None => {
            let n = inst.result_json(h).unwrap();
            assert!(n > 0, "{name}: result_json gave {}", common::name(n));
            assert_eq!(inst.record_len(h).unwrap(), n);
            out += n as usize;
        }
        Some(max_chunk) => loop {
            let kind = inst.stream_next(h, max_chunk).unwrap();
            assert!(kind >= 0, "{name}: stream_next gave {}", common::name(kind));
            if kind == rec::END {
                break;
            }
            out += inst.record_len(h).unwrap() as usize;
        },
    }
    assert_eq!(inst.stream_close(h).unwrap(), status::OK, "{name}: close");
    out
}

#[test]
fn heap_and_memory_are_flat_over_1000_batches() {
    let docs: Vec<(&str, Vec<u8>)> = DOCUMENTS.iter().map(|&n| (n, common::corpus_text(n))).collect();
    let batch_bytes: usize = docs.iter().map(|(_, d)| d.len()).sum();
    let mut inst = common::instance();
    let fresh_heap = inst.heap_live().unwrap();
    let fresh_memory = inst.memory_size();

    let mut baseline: Option<(i32, usize)> = None;
    let mut output_bytes = 0usize;
    let start = Instant::now();
    for batch in 0..BATCHES {
        let blocks: Vec<(i32, i32)> = docs.iter().map(|(_, d)| (common::put(&mut inst, d), d.len() as i32)).collect();
        for (i, ((name, _), &(ptr, len))) in docs.iter().zip(&blocks).enumerate() {
            output_bytes += extract_block(&mut inst, ptr, len, max_chunk_for(i), name);
        }
        for (ptr, len) in blocks {
            assert_eq!(inst.free(ptr, len).unwrap(), status::OK);
        }
        assert_eq!(inst.arena_reset().unwrap(), status::OK, "arena_reset after batch {batch}");

        let now = (inst.heap_live().unwrap(), inst.memory_size());
        match baseline {
            None => baseline = Some(now),
            Some(base) => {
                assert_eq!(now, base, "(heap_live, memory bytes) after batch {batch} differ from after batch 0")
            }
        }
    }
    let elapsed = start.elapsed();
    let (heap, memory) = baseline.unwrap();
    let docs_done = BATCHES * docs.len();
    let mb = (BATCHES * batch_bytes) as f64 / 1e6;
    println!("arena: {BATCHES} batches x {} documents ({batch_bytes} bytes a batch)", docs.len());
    println!("arena: fresh instance: heap_live {fresh_heap} B, memory {fresh_memory} B");
    println!("arena: after every batch: heap_live {heap} B, memory {memory} B ({} pages)", memory / 65536);
    println!(
        "arena: {docs_done} extractions in {:.2} s ({:.0} docs/s, {:.1} MB/s input, {:.1} MB output)",
        elapsed.as_secs_f64(),
        docs_done as f64 / elapsed.as_secs_f64(),
        mb / elapsed.as_secs_f64(),
        output_bytes as f64 / 1e6
    );
}
