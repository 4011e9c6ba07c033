//! `cargo xtask`: pith's build, size-report and test driver.
//!
//! - `cargo xtask setup`: install the wasm target, binaryen's wasm-opt and the JS test packages
//!   when they are missing.
//! - `cargo xtask dist [--quick] [BUILD...]`: build the bundles, post-process, check budgets,
//!   write `dist/` and `size-reports/`.
//! - `cargo xtask test`: `dist`, then every Rust and JS test (what CI runs).
//! - `cargo xtask extract [ARGS...]`: build and run the host CLI's `extract`.

mod demangle;
mod dist;
mod formats;
mod setup;
mod util;
mod wasm;

use anyhow::{bail, Result};
use std::path::Path;
use util::Cmd;

const USAGE: &str = "\
usage: cargo xtask <command> [args]

commands:
  setup                   install what is missing: the wasm32-unknown-unknown target,
                          binaryen's wasm-opt (npm, pinned in xtask/package-lock.json),
                          js-glue's test packages, and what the runtime suites use: deno,
                          bun, workerd, playwright-core (npm, js-glue/runtimes), Chromium and
                          wabt (apt-get, as root), wasmtime (PyPI, a venv under target/)
  dist [--quick] [BUILD]  build the bundles (text, minimal, standard, complete) into dist/,
                          check size budgets and write size-reports/*.md;
                          --quick skips the comparison builds and the reports
  test                    dist, then `cargo test --release --workspace`,
                          `node --test js-glue/test/`, the loader in Node, Deno, Bun,
                          Chromium and workerd and the demo page
                          (`node js-glue/runtimes/run.mjs`), and the Python and C hosts
                          (`python3 hosts/python/run_tests.py`, `bash hosts/c/test.sh`);
                          the command CI runs
  extract [ARGS...]       dist --quick, then `pith extract ARGS...` from the host crate
  bench [ARGS...]         dist --quick, then `node bench/run.mjs ARGS...` (pith beside its
                          peers; writes bench/results/ and the README's benchmark block)
";

fn main() {
    if let Err(err) = real_main() {
        eprintln!("[xtask] error: {err:#}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = util::repo_root()?;
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        bail!("no command given");
    };
    match command.as_str() {
        "setup" => {
            if !rest.is_empty() {
                bail!("`setup` takes no arguments");
            }
            setup::run(&root)?;
            setup::runtimes(&root)?;
            eprintln!("[xtask] setup: everything is installed");
            Ok(())
        }
        "dist" => dist::run(&root, &dist::parse_options(rest)?)?.into_result(),
        "test" => {
            if !rest.is_empty() {
                bail!("`test` takes no arguments");
            }
            test(&root)
        }
        "bench" => bench(&root, rest),
        "extract" => extract(&root, rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => {
            eprint!("{USAGE}");
            bail!("unknown command `{other}`")
        }
    }
}

fn test(root: &Path) -> Result<()> {
    // A size budget overrun still produced working modules: run the tests anyway, and report
    // the overrun at the end (after any test failure).
    let budgets = dist::run(root, &dist::Options { quick: false, summary_on_stderr: false, only: Vec::new() })?;
    // Release: the wasmtime host compiles the modules much faster when optimised.
    Cmd::new(util::cargo()).args(["test", "--release", "--workspace"]).dir(root).run()?;
    if root.join("js-glue/test").is_dir() {
        Cmd::new("node").args(["--test", "js-glue/test/"]).dir(root).run()?;
    } else {
        eprintln!("[xtask] js-glue/test/ does not exist: no JS tests to run");
    }
    // The loader in five runtimes (Node, Deno, Bun, headless Chromium, workerd) and the demo
    // page's browser test; the script installs its packages and Chromium when they are missing.
    Cmd::new("node").args(["js-glue/runtimes/run.mjs"]).dir(root).run()?;
    // Hosts beyond JavaScript on the same module: Python (wasmtime from PyPI) and C (wasm2c).
    Cmd::new("python3").args(["hosts/python/run_tests.py"]).dir(root).run()?;
    Cmd::new("bash").args(["hosts/c/test.sh"]).dir(root).run()?;
    budgets.into_result()
}

fn extract(root: &Path, args: &[String]) -> Result<()> {
    // dist runs setup first. An exceeded budget does not stop a local extraction.
    let budgets = dist::run(root, &dist::Options { quick: true, summary_on_stderr: true, only: Vec::new() })?;
    if let Err(err) = budgets.into_result() {
        eprintln!("[xtask] warning: {err:#}");
    }
    // From the caller's directory, so that relative document paths mean what they typed.
    let status = Cmd::new(util::cargo())
        .arg("run")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(["--release", "-p", "pith-host", "--bin", "pith", "--", "extract"])
        .args(args.iter())
        .status()?;
    if !status.success() {
        // Pass the CLI's own exit code on (2 for usage errors, for instance).
        eprintln!("[xtask] pith extract failed ({status})");
        std::process::exit(status.code().unwrap_or(1));
    }
    Ok(())
}

fn bench(root: &Path, args: &[String]) -> Result<()> {
    // Fresh modules of this tree first; an exceeded budget does not stop a benchmark.
    let budgets = dist::run(root, &dist::Options { quick: true, summary_on_stderr: true, only: Vec::new() })?;
    if let Err(err) = budgets.into_result() {
        eprintln!("[xtask] warning: {err:#}");
    }
    Cmd::new("node").arg("bench/run.mjs").args(args.iter()).dir(root).run()
}
