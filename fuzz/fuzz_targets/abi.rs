#![no_main]
//! The ABI itself, through wasmtime against the built module (`../dist/pith-complete.wasm`, or
//! `PITH_FUZZ_MODULE`): the input is a program of export calls with pointers and lengths that
//! are sometimes real blocks, sometimes near misses, sometimes garbage. Every call must return
//! a value (a status, a handle, a kind); a trap is a finding. The instance is then checked to
//! still extract a document.

use std::sync::OnceLock;

use pith_host::{Config, Instance, Module, ModuleOptions};

fn module() -> &'static Module {
    static M: OnceLock<Module> = OnceLock::new();
    M.get_or_init(|| {
        let path = std::env::var("PITH_FUZZ_MODULE")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../dist/pith-complete.wasm").into());
        let options = ModuleOptions { consume_fuel: true, max_memory: Some(256 << 20), ..ModuleOptions::default() };
        Module::from_file_with(path, options).expect("build the module first: cargo xtask dist")
    })
}

/// Reads the program's operands.
struct Ops<'a>(&'a [u8]);

impl Ops<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    fn word(&mut self) -> Option<i32> {
        let b = self.0.get(..4)?;
        let v = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        self.0 = &self.0[4..];
        Some(v)
    }
    fn bytes(&mut self, n: usize) -> &[u8] {
        let n = n.min(self.0.len());
        let (b, rest) = self.0.split_at(n);
        self.0 = rest;
        b
    }
}

/// A value that is usually near a real one: real, off by a little, or arbitrary.
fn near(ops: &mut Ops, real: i32) -> Option<i32> {
    Some(match ops.byte()? % 4 {
        0 | 1 => real,
        2 => real.wrapping_add(ops.byte()? as i8 as i32),
        _ => ops.word()?,
    })
}

fn check(r: Result<i32, pith_host::PithError>) -> i32 {
    match r {
        Ok(v) => v,
        Err(e) if e.is_out_of_fuel() => -1000,
        Err(e) => panic!("trap: {e}"),
    }
}

/// Runs the program until its bytes run out (mid-call included). Returns whether the fuel ran
/// out (then the instance is poisoned and not checked further).
fn program(inst: &mut Instance, ops: &mut Ops, handles: &mut Vec<i32>) -> Option<bool> {
    let mut blocks: Vec<(i32, i32)> = Vec::new();
    loop {
        let op = ops.byte()?;
        let pick = |ops: &mut Ops, v: &[(i32, i32)]| -> Option<(i32, i32)> {
            let i = ops.byte()? as usize;
            Some(v.get(i % v.len().max(1)).copied().unwrap_or((0, 0)))
        };
        let rc = match op % 10 {
            0 => {
                let len = (ops.byte()? as i32) << (ops.byte()? % 12);
                let p = check(inst.alloc(len));
                if p > 0 {
                    let content = ops.bytes(len as usize).to_vec();
                    inst.write(p, &content).unwrap();
                    blocks.push((p, len));
                }
                p
            }
            1 => {
                let (p, l) = pick(ops, &blocks)?;
                let (p, l) = (near(ops, p)?, near(ops, l)?);
                check(inst.free(p, l))
            }
            2 | 3 => {
                let (d, dl) = pick(ops, &blocks)?;
                let (m, ml) = if ops.byte()? % 2 == 0 { (0, 0) } else { pick(ops, &blocks)? };
                let (c, cl) = if ops.byte()? % 2 == 0 { (0, 0) } else { pick(ops, &blocks)? };
                let args = [near(ops, d)?, near(ops, dl)?, m, ml, c, cl];
                let h = check(inst.extract_ptr(args[0], args[1], args[2], args[3], args[4], args[5]));
                if h > 0 {
                    handles.push(h);
                }
                h
            }
            4 | 5 => {
                let i = ops.byte()? as usize;
                let h = near(ops, *handles.get(i % handles.len().max(1)).unwrap_or(&1))?;
                let chunk = near(ops, 64)?;
                let k = check(inst.stream_next(h, chunk));
                if k > 0 {
                    let (p, l) = (check(inst.record_ptr(h)), check(inst.record_len(h)));
                    assert!(p > 0 && l >= 0, "record {k} without payload");
                    inst.read(p, l).expect("payload inside memory");
                }
                k
            }
            6 => {
                let h = near(ops, *handles.first().unwrap_or(&1))?;
                check(inst.result_json(h))
            }
            7 => {
                let h = near(ops, *handles.last().unwrap_or(&1))?;
                check(inst.stream_close(h))
            }
            8 => check(inst.arena_reset()),
            _ => {
                check(inst.heap_live());
                check(inst.error_len())
            }
        };
        if rc == -1000 {
            return Some(true);
        }
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut inst = Instance::new(module()).unwrap();
    inst.set_fuel(Some(200_000_000)).unwrap();
    let mut handles = Vec::new();
    if program(&mut inst, &mut Ops(data), &mut handles) == Some(true) {
        return;
    }
    // Whatever happened, the instance still works (after closing what is open).
    for h in handles {
        let _ = inst.stream_close(h);
    }
    inst.set_fuel(Some(200_000_000)).unwrap();
    let r = inst.extract(b"still works", Some("text/plain"), &Config::default()).expect("next call");
    assert!(r.content().unwrap().contains("still works"));
});
