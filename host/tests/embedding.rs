//! The host's own behaviour on the built module: bounds (fuel, epochs), poisoning after a trap
//! and `recycle`, stream cleanup, and the `pith` command line end to end.

use std::path::PathBuf;
use std::process::Command;

use pith_host::{status, Config, Instance, Module, ModuleOptions, PithError, RecordKind};

fn module_path() -> PathBuf {
    let path = match std::env::var_os("PITH_TEST_MODULE") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist/pith-complete.wasm"),
    };
    assert!(path.is_file(), "{} is missing: run `cargo xtask dist` first", path.display());
    path
}

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/documents/text").join(name)
}

/// A document big enough that extracting it needs far more than a little fuel.
fn big_doc() -> Vec<u8> {
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n".repeat(20_000).into_bytes()
}

#[test]
fn fuel_bounds_a_call_and_poisons_until_recycled() {
    let module =
        Module::from_file_with(module_path(), ModuleOptions { consume_fuel: true, ..Default::default() }).unwrap();
    let mut inst = Instance::new(&module).unwrap();
    // Unbounded by default.
    let ok = inst.extract(b"fuel is unbounded\n", None, &Config::default()).unwrap();
    assert!(ok.content().unwrap().contains("unbounded"));

    inst.set_fuel(Some(10_000)).unwrap();
    let err = inst.extract(&big_doc(), None, &Config::default()).unwrap_err();
    assert!(err.is_out_of_fuel(), "expected an out-of-fuel trap, got {err}");
    assert!(inst.is_poisoned());
    let again = inst.alloc(16).unwrap_err();
    assert!(matches!(again, PithError::Poisoned { .. }), "{again}");
    assert_eq!(again.code_name(), "POISONED");

    inst.recycle().unwrap();
    assert!(!inst.is_poisoned());
    assert!(inst.fuel().unwrap() > 1_000_000_000, "recycle restores unbounded fuel");
    let r = inst.extract(&big_doc(), None, &Config::plain()).unwrap();
    assert!(r.content().unwrap().starts_with("Lorem ipsum"));
}

#[test]
fn a_trap_in_the_middle_of_a_stream_is_reported_and_the_drop_is_quiet() {
    let module =
        Module::from_file_with(module_path(), ModuleOptions { consume_fuel: true, ..Default::default() }).unwrap();
    let mut inst = Instance::new(&module).unwrap();
    let doc = big_doc();
    {
        let mut stream = inst.stream(&doc, None, &Config::default(), 64).unwrap();
        assert_eq!(stream.next_record().unwrap().unwrap().kind, RecordKind::Document);
        stream.instance().set_fuel(Some(5_000)).unwrap();
        let mut saw_trap = false;
        for r in &mut stream {
            if let Err(e) = r {
                assert!(e.is_out_of_fuel(), "{e}");
                saw_trap = true;
            }
        }
        assert!(saw_trap, "5000 fuel cannot stream a 1 MB document");
        // Dropped here: close and free fail (poisoned) and are ignored.
    }
    assert!(inst.is_poisoned());
    inst.recycle().unwrap();
    assert_eq!(inst.arena_reset().unwrap(), status::OK);
}

#[test]
fn epoch_deadline_interrupts() {
    let module =
        Module::from_file_with(module_path(), ModuleOptions { epoch_interruption: true, ..Default::default() })
            .unwrap();
    let mut inst = Instance::new(&module).unwrap();
    inst.extract(b"no deadline by default\n", None, &Config::default()).unwrap();
    inst.set_epoch_deadline(Some(1)).unwrap();
    module.increment_epoch();
    let err = inst.extract(b"past the deadline\n", None, &Config::default()).unwrap_err();
    assert!(err.is_interrupt(), "expected an interrupt trap, got {err}");
    inst.recycle().unwrap();
    inst.extract(b"fresh instance, no deadline\n", None, &Config::default()).unwrap();
}

#[test]
fn epoch_ticker_bounds_wall_clock_time() {
    let module =
        Module::from_file_with(module_path(), ModuleOptions { epoch_interruption: true, ..Default::default() })
            .unwrap();
    let mut inst = Instance::new(&module).unwrap();
    let _ticker = module.start_epoch_ticker(std::time::Duration::from_millis(1));
    inst.set_epoch_deadline(Some(2)).unwrap();
    let doc = big_doc();
    let start = std::time::Instant::now();
    // Extractions go on until the deadline (2-3 ms) stops one; the time cap only keeps a
    // broken ticker from hanging the test.
    let err = loop {
        match inst.extract(&doc, None, &Config::default()) {
            Ok(_) => assert!(start.elapsed().as_secs() < 30, "the ticker never interrupted"),
            Err(e) => break e,
        }
    };
    assert!(err.is_interrupt(), "{err}");
}

#[test]
fn bounds_need_their_engine_option() {
    let module = Module::from_file(module_path()).unwrap();
    let mut inst = Instance::new(&module).unwrap();
    assert!(inst.set_fuel(Some(1)).is_err());
    assert!(inst.set_epoch_deadline(Some(1)).is_err());
    assert_eq!(inst.fuel(), None);
}

#[test]
fn instances_from_clones_share_nothing_but_code() {
    let module = Module::from_file(module_path()).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let m = module.clone();
            std::thread::spawn(move || {
                let mut inst = Instance::new(&m).unwrap();
                let doc = format!("worker {i}\n");
                inst.extract(doc.as_bytes(), None, &Config::plain()).unwrap().content().unwrap()
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        assert_eq!(h.join().unwrap().trim_end(), format!("worker {i}"));
    }
}

#[test]
fn stream_drop_closes_and_frees() {
    let module = Module::from_file(module_path()).unwrap();
    let mut inst = Instance::new(&module).unwrap();
    inst.extract(b"warm up\n", None, &Config::default()).unwrap();
    assert_eq!(inst.arena_reset().unwrap(), status::OK);
    let base = inst.heap_live().unwrap();
    for max_chunk in [0, 4, 100] {
        let mut s = inst.stream(b"dropped early\n\nsecond paragraph\n", None, &Config::default(), max_chunk).unwrap();
        let _ = s.next_record().unwrap();
    }
    let s = inst.stream(b"closed explicitly\n", None, &Config::default(), 0).unwrap();
    s.close().unwrap();
    assert_eq!(inst.arena_reset().unwrap(), status::OK, "a dropped stream stayed open");
    assert_eq!(inst.heap_live().unwrap(), base, "a dropped stream leaked its document block");
}

#[test]
fn load_errors_are_clear() {
    let err = Module::from_file("/nonexistent/pith.wasm").err().unwrap();
    assert!(matches!(err, PithError::Load { .. }) && err.message().contains("cannot read"), "{err}");
    let err = Module::from_bytes(b"not wasm").err().unwrap();
    assert!(matches!(err, PithError::Load { .. }), "{err}");
    // A valid module that is not pith: instantiation names the missing export.
    let empty = b"\0asm\x01\0\0\0";
    let m = Module::from_bytes(empty).unwrap();
    let err = Instance::new(&m).err().unwrap();
    assert!(err.message().contains("memory"), "{err}");
}

// ---- the `pith` binary -------------------------------------------------------------------

fn pith() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pith"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pith-host-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn cli_single_file_to_stdout_in_each_format() {
    let file = corpus("german_text.txt");
    let expected = std::fs::read_to_string(&file).unwrap();
    for (format, check) in [("markdown", 0), ("text", 1), ("json", 2)] {
        let out = pith()
            .args(["extract", "--module"])
            .arg(module_path())
            .args(["--format", format])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).unwrap();
        match check {
            0 | 1 => assert_eq!(stdout.trim_end(), expected.trim_end(), "{format}"),
            _ => {
                let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert_eq!(v["content"].as_str().unwrap().trim_end(), expected.trim_end());
                assert_eq!(v["mime_type"], "text/plain");
            }
        }
    }
}

#[test]
fn cli_many_files_with_one_failing() {
    let dir = temp_dir("many");
    let bad = dir.join("fake.pdf");
    std::fs::write(&bad, b"%PDF-1.7\n").unwrap();
    let out_dir = dir.join("out");
    let names = ["german_text.txt", "french_text.txt", "norwich_city.txt", "readme.md"];
    let out = pith()
        .args(["extract", "--module"])
        .arg(module_path())
        .args(["--mime", "text/plain", "--format", "text", "--out"])
        .arg(&out_dir)
        .args(names.iter().map(|n| corpus(n)))
        .arg(&bad)
        .arg(dir.join("missing.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a failing file makes the exit status 1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}: error MIME_MISMATCH: ", bad.display())), "stderr: {stderr}");
    assert!(stderr.contains("missing.txt: error IO: "), "stderr: {stderr}");
    assert!(stderr.contains("4 of 6 files extracted, 2 failed"), "stderr: {stderr}");
    for n in names {
        let written = std::fs::read_to_string(out_dir.join(format!("{n}.txt"))).unwrap();
        let source = std::fs::read_to_string(corpus(n)).unwrap();
        assert_eq!(written.trim_end(), source.replace("\r\n", "\n").trim_end(), "{n}");
    }
    assert!(!out_dir.join("fake.pdf.txt").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_usage_errors_exit_2() {
    for args in [&["extract"][..], &["frobnicate"], &["extract", "a", "b"], &["extract", "a", "--format", "pdf"]] {
        let out = pith().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("pith --help"), "{args:?}");
    }
    let out = pith().args(["extract", "x", "--module", "/nonexistent.wasm"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let help = pith().arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--out DIR"));
}
