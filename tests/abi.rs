//! The C ABI of `abi/pith.h`, exercised through raw calls on the built module: memory
//! ownership, pointer and handle checks, config validation, status codes and error messages,
//! chunk boundaries of streamed text, and the plain-text decoder's behaviour.

mod common;

use common::{assert_status, assert_still_works, cfg_bytes, put, raw_open};
use pith_host::{rec, status, Config, Instance, Module, ModuleOptions, RecordKind};
use serde_json::{Map, Value};

// ---- alloc / free ------------------------------------------------------------------------

#[test]
fn alloc_then_free() {
    let mut inst = common::instance();
    // Warm up, so bookkeeping the allocator sets up once does not show in heap_live below.
    let p = inst.alloc(16).unwrap();
    assert_eq!(inst.free(p, 16).unwrap(), status::OK);
    for len in [1, 7, 8, 9, 100, 4096, 65536, 1 << 20] {
        let before = inst.heap_live().unwrap();
        let p = inst.alloc(len).unwrap();
        assert!(p > 0, "alloc({len}) = {p}");
        let end = p as usize + len as usize;
        assert!(end <= inst.memory_size(), "block of {len} at {p} past memory end");
        let pattern: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
        inst.write(p, &pattern).unwrap();
        assert_eq!(inst.read(p, len).unwrap(), pattern);
        assert!(inst.heap_live().unwrap() >= before + len, "heap_live counts host blocks (len {len})");
        let rc = inst.free(p, len).unwrap();
        assert_status(&mut inst, rc, status::OK, "free");
        assert_eq!(inst.heap_live().unwrap(), before, "heap_live back after free({len})");
    }
}

#[test]
fn blocks_do_not_overlap() {
    let mut inst = common::instance();
    let sizes = [3, 64, 1, 1000, 17, 8, 4096, 5];
    let blocks: Vec<(i32, i32)> = sizes.iter().map(|&n| (put(&mut inst, &vec![n as u8; n as usize]), n)).collect();
    for &(p, n) in &blocks {
        assert_eq!(inst.read(p, n).unwrap(), vec![n as u8; n as usize], "block at {p} overwritten");
    }
    for (p, n) in blocks {
        assert_eq!(inst.free(p, n).unwrap(), status::OK);
    }
}

#[test]
fn double_free_is_bad_pointer() {
    let mut inst = common::instance();
    let p = inst.alloc(32).unwrap();
    assert_eq!(inst.free(p, 32).unwrap(), status::OK);
    let rc = inst.free(p, 32).unwrap();
    assert_status(&mut inst, rc, status::BAD_POINTER, "second free");
    assert_still_works(&mut inst);
}

#[test]
fn free_with_wrong_len_is_bad_pointer() {
    let mut inst = common::instance();
    let p = inst.alloc(40).unwrap();
    for len in [39, 41, 0, 1, -40, i32::MAX] {
        let rc = inst.free(p, len).unwrap();
        assert_status(&mut inst, rc, status::BAD_POINTER, &format!("free(p, {len})"));
    }
    // The wrong frees left the block alive.
    assert_eq!(inst.free(p, 40).unwrap(), status::OK);
    assert_still_works(&mut inst);
}

#[test]
fn free_of_something_not_a_block_is_bad_pointer() {
    let mut inst = common::instance();
    let p = inst.alloc(64).unwrap();
    let mem = inst.memory_size() as i64;
    let mime_list = inst.mime_types_ptr().unwrap();
    for (ptr, len) in [
        (p + 1, 63),
        (p + 8, 56),
        (8, 64),
        (mime_list, 4),
        (-8, 64),
        (i32::MIN, 64),
        (i32::MAX, 1),
        ((mem - 8).min(i32::MAX as i64) as i32, 8),
    ] {
        let rc = inst.free(ptr, len).unwrap();
        assert_status(&mut inst, rc, status::BAD_POINTER, &format!("free({ptr}, {len})"));
    }
    assert_eq!(inst.free(p, 64).unwrap(), status::OK);
    assert_still_works(&mut inst);
}

#[test]
fn free_of_null_is_ok() {
    let mut inst = common::instance();
    for len in [0, 5, -1, i32::MAX] {
        assert_eq!(inst.free(0, len).unwrap(), status::OK, "free(0, {len})");
    }
}

#[test]
fn alloc_of_zero_or_negative_is_null() {
    let mut inst = common::instance();
    for len in [0, -1, -4096, i32::MIN] {
        assert_eq!(inst.alloc(len).unwrap(), 0, "alloc({len})");
    }
    assert_still_works(&mut inst);
}

#[test]
fn alloc_larger_than_memory_can_be_is_null() {
    // Memory capped by the host at 64 MiB: a 2 GiB block can never fit, so the module's
    // allocator must see memory.grow fail and return 0 rather than trap.
    let module = Module::from_file_with(
        common::module_path(),
        ModuleOptions { max_memory: Some(64 << 20), ..ModuleOptions::default() },
    )
    .unwrap();
    let mut inst = Instance::new(&module).unwrap();
    for len in [i32::MAX, i32::MAX - 7, 1 << 30, 100 << 20] {
        assert_eq!(inst.alloc(len).unwrap(), 0, "alloc({len}) with memory capped at 64 MiB");
        let p = inst.alloc(100).unwrap();
        assert!(p > 0, "the next alloc works after alloc({len}) failed");
        assert_eq!(inst.free(p, 100).unwrap(), status::OK);
    }
    assert_still_works(&mut inst);

    // Uncapped: 2 GiB may or may not fit in a 4 GiB wasm32 memory; either way no trap, and
    // the allocator keeps working.
    let mut inst = common::instance();
    let big = inst.alloc(i32::MAX).unwrap();
    if big != 0 {
        assert_eq!(inst.free(big, i32::MAX).unwrap(), status::OK);
    }
    let p = inst.alloc(100).unwrap();
    assert!(p > 0);
    assert_eq!(inst.free(p, 100).unwrap(), status::OK);
}

// ---- extract_ptr pointer checks --------------------------------------------------------

/// Calls extract_ptr with the given document range and an empty MIME type and config,
/// expecting BAD_POINTER; closes the stream if one was opened by mistake.
#[track_caller]
fn expect_bad_doc(inst: &mut Instance, ptr: i32, len: i32, what: &str) {
    let rc = inst.extract_ptr(ptr, len, 0, 0, 0, 0).unwrap();
    if rc > 0 {
        let _ = inst.stream_close(rc);
    }
    assert_status(inst, rc, status::BAD_POINTER, what);
}

#[test]
fn extract_ptr_rejects_ranges_outside_memory() {
    let mut inst = common::instance();
    let doc = b"hello world";
    let p = put(&mut inst, doc);
    let mem = i32::try_from(inst.memory_size()).unwrap_or(i32::MAX);
    expect_bad_doc(&mut inst, mem.saturating_add(16), 10, "past memory end");
    expect_bad_doc(&mut inst, mem, 1, "at memory end");
    expect_bad_doc(&mut inst, mem - 4, 8, "straddling memory end");
    expect_bad_doc(&mut inst, p, i32::MAX, "ptr + len overflows");
    expect_bad_doc(&mut inst, i32::MAX, 10, "ptr + len overflows i32");
    expect_bad_doc(&mut inst, -16, 10, "negative ptr");
    expect_bad_doc(&mut inst, i32::MIN, 10, "most negative ptr");
    expect_bad_doc(&mut inst, p, -1, "negative len");
    expect_bad_doc(&mut inst, 0, 10, "null ptr with a length");
    // No failed extract_ptr may leave a stream open (arena_reset would say IN_USE).
    assert_eq!(inst.arena_reset().unwrap(), status::OK);
    assert_eq!(inst.free(p, doc.len() as i32).unwrap(), status::OK);
    assert_still_works(&mut inst);
}

#[test]
fn extract_ptr_rejects_ranges_not_in_a_live_block() {
    let mut inst = common::instance();
    let doc = b"hello world, a block of some length";
    let n = doc.len() as i32;
    let p = put(&mut inst, doc);
    // The module's own data: the MIME list lives in module memory but was never alloc'd.
    let own = inst.mime_types_ptr().unwrap();
    let own_len = inst.mime_types_len().unwrap();
    expect_bad_doc(&mut inst, own, own_len, "module's own data (mime list)");
    expect_bad_doc(&mut inst, 1024, 16, "low memory, not a block");
    expect_bad_doc(&mut inst, p, n + 1, "one byte past the block's end");
    expect_bad_doc(&mut inst, p + n - 2, 4, "overlapping the block's end");
    expect_bad_doc(&mut inst, p - 1, 2, "starting before the block");
    // A sub-range of a live block is fine (the ABI reads any range inside one block).
    let h = inst.extract_ptr(p + 6, 5, 0, 0, 0, 0).unwrap();
    assert!(h > 0, "sub-range of a live block: {}", common::name(h));
    assert_eq!(inst.stream_close(h).unwrap(), status::OK);
    // A freed block is no longer live.
    assert_eq!(inst.free(p, n).unwrap(), status::OK);
    expect_bad_doc(&mut inst, p, n, "freed block");
    assert_eq!(inst.arena_reset().unwrap(), status::OK);
    assert_still_works(&mut inst);
}

#[test]
fn extract_ptr_checks_mime_and_config_ranges_too() {
    let mut inst = common::instance();
    let doc = b"some text";
    let d = put(&mut inst, doc);
    let dl = doc.len() as i32;
    let mem = i32::try_from(inst.memory_size()).unwrap_or(i32::MAX);
    let own = inst.mime_types_ptr().unwrap();
    for (m, ml, c, cl, what) in [
        (mem + 16, 10, 0, 0, "mime past memory end"),
        (-4, 10, 0, 0, "mime negative ptr"),
        (own, 10, 0, 0, "mime in the module's own data"),
        (0, 0, mem + 16, 32, "cfg past memory end"),
        (0, 0, -4, 32, "cfg negative ptr"),
        (0, 0, own, 8, "cfg in the module's own data"),
    ] {
        let rc = inst.extract_ptr(d, dl, m, ml, c, cl).unwrap();
        if rc > 0 {
            let _ = inst.stream_close(rc);
        }
        assert_status(&mut inst, rc, status::BAD_POINTER, what);
    }
    assert_eq!(inst.free(d, dl).unwrap(), status::OK);
    assert_still_works(&mut inst);
}

// ---- borrowing and handles -------------------------------------------------------------

#[test]
fn document_block_is_in_use_while_a_stream_is_open() {
    let mut inst = common::instance();
    let doc = b"borrowed document\n";
    let (h, d, dl) = raw_open(&mut inst, doc, b"text/plain", b"");
    assert!(h > 0, "open: {}", common::name(h));
    let rc = inst.free(d, dl).unwrap();
    assert_status(&mut inst, rc, status::IN_USE, "free of the borrowed block");
    let rc = inst.arena_reset().unwrap();
    assert_status(&mut inst, rc, status::IN_USE, "arena_reset with an open stream");
    // The block survived and the stream still reads it.
    assert_eq!(inst.read(d, dl).unwrap(), doc);
    let json_len = inst.result_json(h).unwrap();
    assert!(json_len > 0, "result_json: {}", common::name(json_len));
    assert_eq!(inst.stream_close(h).unwrap(), status::OK);
    assert_eq!(inst.free(d, dl).unwrap(), status::OK, "free after close");
    assert_eq!(inst.arena_reset().unwrap(), status::OK);
    assert_still_works(&mut inst);
}

#[test]
fn two_streams_on_one_block() {
    let mut inst = common::instance();
    let doc = b"shared block\n";
    let d = put(&mut inst, doc);
    let dl = doc.len() as i32;
    let h1 = inst.extract_ptr(d, dl, 0, 0, 0, 0).unwrap();
    let h2 = inst.extract_ptr(d, dl, 0, 0, 0, 0).unwrap();
    assert!(h1 > 0 && h2 > 0 && h1 != h2, "handles {h1} {h2}");
    assert_eq!(inst.stream_close(h1).unwrap(), status::OK);
    let rc = inst.free(d, dl).unwrap();
    assert_status(&mut inst, rc, status::IN_USE, "free while the second stream is open");
    assert_eq!(inst.stream_close(h2).unwrap(), status::OK);
    assert_eq!(inst.free(d, dl).unwrap(), status::OK);
}

#[track_caller]
fn assert_bad_handle(inst: &mut Instance, h: i32, what: &str) {
    let rc = inst.stream_next(h, 0).unwrap();
    assert_status(inst, rc, status::BAD_HANDLE, &format!("stream_next on {what}"));
    let rc = inst.result_json(h).unwrap();
    assert_status(inst, rc, status::BAD_HANDLE, &format!("result_json on {what}"));
    assert_eq!(inst.record_ptr(h).unwrap(), 0, "record_ptr on {what}");
    assert_eq!(inst.record_len(h).unwrap(), 0, "record_len on {what}");
    let rc = inst.stream_close(h).unwrap();
    assert_status(inst, rc, status::BAD_HANDLE, &format!("stream_close on {what}"));
}

#[test]
fn closed_stale_and_random_handles_are_bad() {
    let mut inst = common::instance();
    let (h1, _, _) = raw_open(&mut inst, b"", b"", b"");
    assert!(h1 > 0);
    assert_eq!(inst.stream_next(h1, 0).unwrap(), rec::DOCUMENT);
    assert_eq!(inst.stream_close(h1).unwrap(), status::OK);
    assert_bad_handle(&mut inst, h1, "a closed handle (and double close)");
    // Open another stream: the old handle must stay dead even if a slot is reused.
    let (h2, _, _) = raw_open(&mut inst, b"", b"", b"");
    assert!(h2 > 0);
    assert_ne!(h1, h2, "a closed handle came back to life");
    assert_bad_handle(&mut inst, h1, "a stale handle while another stream is open");
    for h in [0, -1, -8, i32::MIN, i32::MAX, 12345, h2 + 1, h2 ^ (1 << 20)] {
        if h != h2 {
            assert_bad_handle(&mut inst, h, &format!("handle {h}"));
        }
    }
    assert_eq!(inst.stream_close(h2).unwrap(), status::OK);
    assert_still_works(&mut inst);
}

// ---- inputs --------------------------------------------------------------------------

#[test]
fn zero_length_document_extracts() {
    let mut inst = common::instance();
    let h = inst.extract_ptr(0, 0, 0, 0, 0, 0).unwrap();
    assert!(h > 0, "extract_ptr(0,0,...): {}", common::name(h));
    assert_eq!(inst.stream_next(h, 0).unwrap(), rec::DOCUMENT, "first record");
    let (ptr, len) = (inst.record_ptr(h).unwrap(), inst.record_len(h).unwrap());
    let payload = inst.read(ptr, len).unwrap();
    let v: Value = serde_json::from_slice(&payload).unwrap();
    assert!(v["mime_type"].is_string(), "DOCUMENT payload {v}");
    loop {
        let k = inst.stream_next(h, 0).unwrap();
        assert!(k >= 0, "stream_next: {}", common::name(k));
        assert_ne!(k, rec::TEXT, "an empty document has no text");
        if k == rec::END {
            break;
        }
    }
    // END stays END until closed.
    assert_eq!(inst.stream_next(h, 0).unwrap(), rec::END);
    assert_eq!(inst.stream_close(h).unwrap(), status::OK);

    let r = inst.extract(b"", None, &Config::default()).unwrap();
    assert_eq!(r.content().unwrap(), "");
    assert_still_works(&mut inst);
}

#[test]
fn config_length_must_be_words_or_words_plus_password() {
    let mut inst = common::instance();
    for len in 1..=40usize {
        let cfg = vec![0u8; len];
        let (h, d, dl) = raw_open(&mut inst, b"text", b"", &cfg);
        let ok = len % 4 == 0 || len > 32;
        if ok {
            assert!(h > 0, "config of {len} bytes: {}", common::name(h));
            assert_eq!(inst.stream_close(h).unwrap(), status::OK);
        } else {
            if h > 0 {
                let _ = inst.stream_close(h);
            }
            assert_status(&mut inst, h, status::INVALID_ARGUMENT, &format!("config of {len} bytes"));
        }
        assert_eq!(inst.free(d, dl).unwrap(), status::OK);
    }
    assert_still_works(&mut inst);
}

#[test]
fn unknown_flags_and_reserved_word_are_invalid() {
    let mut inst = common::instance();
    let bad = [
        cfg_bytes(&[1 << 4], b""),
        cfg_bytes(&[1 << 31], b""),
        cfg_bytes(&[0xFFFF_FFFE], b""),
        cfg_bytes(&[1 | 1 << 5, 0, 0, 0, 0, 0, 0, 0], b""),
        cfg_bytes(&[0, 0, 0, 0, 0, 0, 0, 1], b""),
        cfg_bytes(&[1, 0, 0, 0, 0, 0, 0, 0xFFFF_FFFF], b"password"),
    ];
    for cfg in &bad {
        let (h, d, dl) = raw_open(&mut inst, b"text", b"", cfg);
        if h > 0 {
            let _ = inst.stream_close(h);
        }
        assert_status(&mut inst, h, status::INVALID_ARGUMENT, &format!("config {cfg:?}"));
        assert_eq!(inst.free(d, dl).unwrap(), status::OK);
        assert_still_works(&mut inst);
    }
    // The known flag and nonzero limits are fine.
    for cfg in [cfg_bytes(&[1], b""), cfg_bytes(&[1, 1 << 20, 1 << 20, 10, 1 << 20, 8, 1000, 0], b"pw")] {
        let (h, d, dl) = raw_open(&mut inst, b"text", b"", &cfg);
        assert!(h > 0, "config {cfg:?}: {}", common::name(h));
        assert_eq!(inst.stream_close(h).unwrap(), status::OK);
        assert_eq!(inst.free(d, dl).unwrap(), status::OK);
    }
}

#[test]
fn host_config_encoding_is_accepted() {
    let mut inst = common::instance();
    let cfg = Config {
        plain: true,
        max_input: 1 << 20,
        max_output: 1 << 20,
        max_pages: 5,
        max_decompressed: 1 << 20,
        max_depth: 16,
        max_objects: 1000,
        password: Some(b"secret".to_vec()),
    };
    let r = inst.extract(b"Hello *world*\n", Some("text/plain"), &cfg).unwrap();
    assert_eq!(r.content().unwrap().trim_end(), "Hello *world*");
}

#[test]
fn max_chunk_below_four_is_invalid_and_leaves_the_stream_usable() {
    let mut inst = common::instance();
    for bad in [1, 2, 3, -1, i32::MIN] {
        let (h, d, dl) = raw_open(&mut inst, "some text €".as_bytes(), b"", b"");
        assert!(h > 0);
        let rc = inst.stream_next(h, bad).unwrap();
        assert_status(&mut inst, rc, status::INVALID_ARGUMENT, &format!("max_chunk {bad}"));
        // A bad argument is the caller's mistake, not the document's: the stream goes on
        // with the first record (DOCUMENT) when asked properly.
        let rc = inst.stream_next(h, 0).unwrap();
        assert_eq!(rc, 7, "stream_next with a valid max_chunk after a bad one");
        assert_eq!(inst.stream_close(h).unwrap(), status::OK);
        assert_eq!(inst.free(d, dl).unwrap(), status::OK);
        assert_still_works(&mut inst);
    }
}

#[test]
fn result_json_only_on_a_fresh_stream() {
    let mut inst = common::instance();
    let (h, d, dl) = raw_open(&mut inst, b"text here\n", b"", b"");
    assert_eq!(inst.stream_next(h, 0).unwrap(), rec::DOCUMENT);
    let rc = inst.result_json(h).unwrap();
    assert!(rc < 0, "result_json after stream_next returned {rc}, expected an error");
    let msg = inst.last_error().unwrap();
    assert!(!msg.is_empty(), "an error message for {}", common::name(rc));
    assert_eq!(inst.stream_close(h).unwrap(), status::OK);
    assert_eq!(inst.free(d, dl).unwrap(), status::OK);
    assert_still_works(&mut inst);
}

#[test]
fn unknown_mime_type_is_unsupported() {
    let mut inst = common::instance();
    // (text/* types are read as plain text by design, so none is used here.)
    for mime in ["application/x-pith-does-not-exist", "chemical/x-unknown", "image/x-nope"] {
        let err = inst.extract(b"plain words", Some(mime), &Config::default()).unwrap_err();
        assert!(err.is(status::UNSUPPORTED), "{mime}: {err}");
        assert!(!err.message().is_empty());
        assert_still_works(&mut inst);
    }
}

#[test]
fn declared_mime_contradicting_the_content_is_mismatch() {
    let mut inst = common::instance();
    let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
    let err = inst.extract(pdf, Some("text/plain"), &Config::default()).unwrap_err();
    assert!(err.is(status::MIME_MISMATCH), "text/plain on PDF bytes: {err}");
    assert_still_works(&mut inst);
}

#[test]
fn error_message_is_set_and_survives_successful_calls() {
    let mut inst = common::instance();
    let rc = inst.stream_close(777).unwrap();
    assert_eq!(rc, status::BAD_HANDLE);
    let msg = inst.last_error().unwrap();
    assert!(!msg.is_empty(), "BAD_HANDLE without a message");
    // "valid until the next failing call": successful calls leave it alone.
    let p = inst.alloc(10).unwrap();
    assert_eq!(inst.free(p, 10).unwrap(), status::OK);
    let _ = inst.heap_live().unwrap();
    assert_eq!(inst.last_error().unwrap(), msg);
    // A different failure gives a different message.
    let rc = inst.free(12, 34).unwrap();
    assert_eq!(rc, status::BAD_POINTER);
    let msg2 = inst.last_error().unwrap();
    assert!(!msg2.is_empty());
    assert_ne!(msg, msg2, "BAD_HANDLE and BAD_POINTER share a message");
    println!("BAD_HANDLE: {msg:?}\nBAD_POINTER: {msg2:?}");
}

/// Failing and abandoned high-level calls: each must close its stream and free its blocks.
fn failing_round(inst: &mut Instance) {
    let e = inst.extract(b"%PDF-1.7\n", Some("text/plain"), &Config::default()).unwrap_err();
    assert!(e.is(status::MIME_MISMATCH), "{e}");
    let e = inst.extract(b"x", Some("application/x-nope"), &Config::default()).unwrap_err();
    assert!(e.is(status::UNSUPPORTED), "{e}");
    let mut s = inst.stream(b"abc", None, &Config::default(), 0).unwrap();
    assert!(s.next_record().unwrap().is_some());
    drop(s); // dropped mid-stream: closes and frees
             // Last, so every round leaves the same error message behind (its buffer is on the heap).
    let mut s = inst.stream(b"abc", None, &Config::default(), 2).unwrap();
    assert!(s.next_record().unwrap_err().is(status::INVALID_ARGUMENT));
    drop(s);
}

#[test]
fn high_level_calls_clean_up_after_errors() {
    let mut inst = common::instance();
    // One round first, so state the module creates once (handle table, message buffer) is
    // part of the baseline.
    failing_round(&mut inst);
    assert_eq!(inst.arena_reset().unwrap(), status::OK);
    let base = inst.heap_live().unwrap();
    for _ in 0..20 {
        failing_round(&mut inst);
    }
    assert_eq!(inst.arena_reset().unwrap(), status::OK, "a stream was left open");
    assert_eq!(inst.heap_live().unwrap(), base, "blocks leaked by failing high-level calls");
}

// ---- streamed records vs the JSON result -------------------------------------------------

/// Deterministic text mixing 1-, 2-, 3- and 4-byte characters in paragraphs separated by
/// blank lines, with CRLF line endings.
fn mixed_utf8_text() -> String {
    let pieces = ["a", "Z", " ", "é", "ß", "Ж", "€", "中", "ア", "😀", "𝄞", "🇩🇪", ".", ","];
    let mut seed: u32 = 0x1234_5678;
    let mut next = || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        (seed >> 16) as usize
    };
    let mut s = String::new();
    for para in 0..30 {
        let lines = 1 + next() % 4;
        for _ in 0..lines {
            let n = 1 + next() % (20 + para * 3);
            for _ in 0..n {
                s.push_str(pieces[next() % pieces.len()]);
            }
            s.push_str("\r\n");
        }
        s.push_str("\r\n");
    }
    s
}

/// Streams `doc` with `max_chunk` and checks every record against the JSON result `json`.
fn check_stream_against_json(inst: &mut Instance, doc: &[u8], cfg: &Config, max_chunk: u32, json: &Value, label: &str) {
    let ctx = format!("{label}, max_chunk {max_chunk}");
    let limit = if max_chunk == 0 { 65536 } else { max_chunk as usize };
    let mut stream = inst.stream(doc, None, cfg, max_chunk).unwrap();
    let records = stream.collect_records().unwrap_or_else(|e| panic!("{ctx}: {e}"));
    stream.close().unwrap();

    let first = records.first().unwrap_or_else(|| panic!("{ctx}: no records"));
    assert_eq!(first.kind, RecordKind::Document, "{ctx}: first record");
    assert_eq!(first.json().unwrap()["mime_type"], json["mime_type"], "{ctx}: mime_type");

    let mut text = String::new();
    let mut metadata = Map::new();
    let mut warnings = Vec::new();
    let mut tables = Vec::new();
    for r in &records[1..] {
        match r.kind {
            RecordKind::Text => {
                let t = std::str::from_utf8(&r.payload)
                    .unwrap_or_else(|e| panic!("{ctx}: TEXT record is not UTF-8 ({e}): {:?}", r.payload));
                assert!(r.payload.len() <= limit, "{ctx}: TEXT of {} bytes", r.payload.len());
                text.push_str(t);
            }
            RecordKind::Metadata => {
                let Value::Object(obj) = r.json().unwrap() else { panic!("{ctx}: METADATA not an object") };
                assert_eq!(obj.len(), 1, "{ctx}: METADATA with one field: {obj:?}");
                for (k, v) in obj {
                    assert!(metadata.insert(k.clone(), v).is_none(), "{ctx}: metadata {k} twice");
                }
            }
            RecordKind::Warning => warnings.push(r.json().unwrap()),
            RecordKind::Table => tables.push(r.json().unwrap()),
            RecordKind::Document => panic!("{ctx}: a second DOCUMENT record"),
            RecordKind::Page | RecordKind::Image => {}
        }
    }
    assert_eq!(text, json["content"].as_str().unwrap(), "{ctx}: concatenated TEXT vs content");
    assert_eq!(Value::Object(metadata), json["metadata"], "{ctx}: metadata records vs JSON");
    assert_eq!(Value::Array(warnings), json["warnings"], "{ctx}: warnings");
    assert_eq!(tables.len(), json["tables"].as_array().map_or(0, Vec::len), "{ctx}: tables");
}

fn check_all_chunk_sizes(doc: &[u8], label: &str) {
    let mut inst = common::instance();
    for cfg in [Config::default(), Config::plain()] {
        let json = inst.extract(doc, None, &cfg).unwrap().value().unwrap();
        assert!(json["content"].is_string(), "{label}: {json}");
        for max_chunk in (4..=64).chain([65, 100, 127, 255, 1000, 4096, 65536, 0]) {
            check_stream_against_json(&mut inst, doc, &cfg, max_chunk, &json, label);
        }
        assert_eq!(inst.arena_reset().unwrap(), status::OK);
    }
}

#[test]
fn chunks_of_mixed_utf8_text() {
    check_all_chunk_sizes(mixed_utf8_text().as_bytes(), "mixed UTF-8 text");
}

#[test]
fn chunks_of_german_text() {
    check_all_chunk_sizes(&common::corpus_text("german_text.txt"), "german_text.txt");
}

#[test]
fn chunks_of_french_text() {
    check_all_chunk_sizes(&common::corpus_text("french_text.txt"), "french_text.txt");
}

#[test]
fn chunks_of_a_longer_corpus_document() {
    check_all_chunk_sizes(&common::corpus_text("norwich_city.txt"), "norwich_city.txt");
}

// ---- plain text decoding -----------------------------------------------------------------

fn plain_content(inst: &mut Instance, doc: &[u8]) -> (String, Value) {
    let v = inst.extract(doc, None, &Config::plain()).unwrap().value().unwrap();
    (v["content"].as_str().unwrap().to_string(), v)
}

#[test]
fn utf8_bom_is_stripped() {
    let mut inst = common::instance();
    let (c, v) = plain_content(&mut inst, "\u{FEFF}Grüße aus Köln\n".as_bytes());
    assert_eq!(c.trim_end(), "Grüße aus Köln");
    assert_eq!(v["mime_type"], "text/plain");
}

#[test]
fn utf16_with_bom_is_decoded() {
    let text = "Grüße 😀 中文\nzweite Zeile\n";
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in &units {
        le.extend_from_slice(&u.to_le_bytes());
        be.extend_from_slice(&u.to_be_bytes());
    }
    let mut inst = common::instance();
    for (doc, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
        let (c, v) = plain_content(&mut inst, &doc);
        assert_eq!(c.trim_end(), text.trim_end(), "{name}");
        assert_eq!(v["mime_type"], "text/plain", "{name}");
    }
}

#[test]
fn invalid_utf8_is_windows_1252_with_a_warning() {
    let mut inst = common::instance();
    // 0xE9 é, 0x80 €, 0x93/0x94 curly quotes, 0x9F Ÿ in Windows-1252.
    let doc = b"caf\xE9 co\xFBts \x80 5 \x93quoted\x94 \x9F\n";
    let (c, v) = plain_content(&mut inst, doc);
    assert_eq!(c.trim_end(), "café coûts € 5 \u{201C}quoted\u{201D} Ÿ");
    let warnings = v["warnings"].as_array().unwrap();
    assert!(!warnings.is_empty(), "no warning in {v}");
    for w in warnings {
        assert!(w["source"].is_string() && w["message"].is_string(), "warning shape {w}");
    }
    // The stream carries the same warning as a WARNING record.
    let mut s = inst.stream(doc, None, &Config::plain(), 0).unwrap();
    let recs = s.collect_records().unwrap();
    assert!(recs.iter().any(|r| r.kind == RecordKind::Warning), "no WARNING record");
}

#[test]
fn crlf_and_lone_cr_become_lf() {
    let mut inst = common::instance();
    let (c, _) = plain_content(&mut inst, b"one\r\ntwo\rthree\n\r\nfour\r");
    assert!(!c.contains('\r'), "CR left in {c:?}");
    assert_eq!(c.trim_end_matches('\n'), "one\ntwo\nthree\n\nfour");
    // A CRLF split across the chunk boundary is still one line break.
    let doc = format!("{}\r\n{}", "x".repeat(3), "y".repeat(5));
    for max_chunk in 4..=8 {
        let mut s = inst.stream(doc.as_bytes(), None, &Config::plain(), max_chunk).unwrap();
        let text: String = s
            .collect_records()
            .unwrap()
            .iter()
            .filter(|r| r.kind == RecordKind::Text)
            .map(|r| r.text().unwrap().to_string())
            .collect();
        assert_eq!(text.trim_end_matches('\n'), "xxx\nyyyyy", "max_chunk {max_chunk}");
    }
}

#[test]
fn text_metadata_counts_on_corpus_documents() {
    let mut inst = common::instance();
    for name in ["german_text.txt", "french_text.txt", "norwich_city.txt", "book_war_and_peace_1p.txt"] {
        let raw = common::corpus_text(name);
        // Independent expectation: the file is UTF-8 without BOM; lines as `str::lines`,
        // words as whitespace-separated runs, characters as Unicode scalar values.
        let text = String::from_utf8(raw.clone()).unwrap().replace("\r\n", "\n").replace('\r', "\n");
        let v = inst.extract(&raw, None, &Config::plain()).unwrap().value().unwrap();
        let meta = &v["metadata"];
        assert_eq!(meta["format_type"], "text", "{name}: {meta}");
        assert_eq!(meta["line_count"], text.lines().count(), "{name}: line_count");
        assert_eq!(meta["word_count"], text.split_whitespace().count(), "{name}: word_count");
        assert_eq!(meta["character_count"], text.chars().count(), "{name}: character_count");
        assert_eq!(v["mime_type"], "text/plain", "{name}");
        assert_eq!(v["content"].as_str().unwrap().trim_end(), text.trim_end(), "{name}: content");
        println!("{name}: {meta}");
    }
}

#[test]
fn result_json_has_the_documented_shape() {
    let mut inst = common::instance();
    let v = inst.extract(b"Hello\n\nWorld\n", None, &Config::default()).unwrap().value().unwrap();
    for key in ["content", "mime_type", "metadata", "tables", "pages", "warnings"] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    assert!(v["content"].is_string());
    assert!(v["metadata"].is_object());
    assert!(v["tables"].is_array());
    assert!(v["pages"].is_null() || v["pages"].is_array());
    assert!(v["warnings"].is_array());
}
