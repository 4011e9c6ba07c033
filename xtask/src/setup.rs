//! `cargo xtask setup`: install what a fresh machine lacks, and nothing when it lacks nothing.

use crate::util::{self, Cmd};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The binaryen version `xtask/package.json` pins (checked against the installed copy).
pub const BINARYEN_VERSION: &str = "132.0.0";

/// Paths of the tools setup provides.
pub struct Tools {
    pub wasm_opt: PathBuf,
}

pub fn wasm_opt_path(root: &Path) -> PathBuf {
    root.join("xtask/node_modules/.bin/wasm-opt")
}

pub fn run(root: &Path) -> Result<Tools> {
    ensure_wasm_target()?;
    check_package_json(root)?;
    let wasm_opt = ensure_binaryen(root)?;
    ensure_js_glue_packages(root)?;
    Ok(Tools { wasm_opt })
}

fn ensure_wasm_target() -> Result<()> {
    let installed = match Cmd::new("rustup").args(["target", "list", "--installed"]).output() {
        Ok(list) => list,
        Err(err) => {
            // A toolchain not managed by rustup may still have the target: the build will say.
            eprintln!("[xtask] warning: could not ask rustup for installed targets ({err:#}); assuming {WASM_TARGET} is available");
            return Ok(());
        }
    };
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    Cmd::new("rustup").args(["target", "add", WASM_TARGET]).run()
}

/// Install binaryen from `xtask/package-lock.json` unless the pinned version is already there.
fn ensure_binaryen(root: &Path) -> Result<PathBuf> {
    let xtask_dir = root.join("xtask");
    let wasm_opt = wasm_opt_path(root);
    let installed_version = root.join("xtask/node_modules/binaryen/package.json");
    let up_to_date = wasm_opt.exists()
        && std::fs::read_to_string(&installed_version)
            .is_ok_and(|json| json_version(&json).as_deref() == Some(BINARYEN_VERSION));
    if !up_to_date {
        if !xtask_dir.join("package-lock.json").exists() {
            bail!("xtask/package-lock.json is missing: it pins binaryen {BINARYEN_VERSION} for `npm ci`");
        }
        Cmd::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .dir(&xtask_dir)
            .run()
            .context("installing binaryen (wasm-opt) with npm failed")?;
        if !wasm_opt.exists() {
            bail!("`npm ci` in xtask/ did not install {}", wasm_opt.display());
        }
        let json = std::fs::read_to_string(&installed_version)
            .with_context(|| format!("could not read {}", installed_version.display()))?;
        let got = json_version(&json);
        if got.as_deref() != Some(BINARYEN_VERSION) {
            bail!(
                "xtask/package-lock.json installed binaryen {} but xtask expects {BINARYEN_VERSION}; \
                 update BINARYEN_VERSION in xtask/src/setup.rs together with package.json",
                got.unwrap_or_else(|| "(unknown)".into())
            );
        }
    }
    Ok(wasm_opt)
}

/// The JS loader's test dependencies, when js-glue has a lock file and they are not installed.
fn ensure_js_glue_packages(root: &Path) -> Result<()> {
    let dir = root.join("js-glue");
    if dir.join("package-lock.json").exists() && !dir.join("node_modules").exists() {
        Cmd::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .dir(&dir)
            .run()
            .context("installing the js-glue test packages with npm failed")?;
    }
    Ok(())
}

/// What the runtime suites use, each installed by its own script only when missing: deno, bun,
/// workerd, playwright-core and esbuild (`npm ci` in js-glue/runtimes), Debian's chromium and
/// wabt (apt-get, as root), and wasmtime from PyPI in a venv under target/python-host.
/// `cargo xtask test` needs none of this first: the same scripts install on their own.
pub fn runtimes(root: &Path) -> Result<()> {
    Cmd::new("node").args(["js-glue/runtimes/run.mjs", "--setup"]).dir(root).run()?;
    Cmd::new("python3").args(["hosts/python/run_tests.py", "--setup"]).dir(root).run()?;
    Cmd::new("bash").args(["hosts/c/test.sh", "--setup"]).dir(root).run()
}

/// The top-level `"version": "..."` of a package.json (the first one, which npm writes first).
fn json_version(json: &str) -> Option<String> {
    let at = json.find("\"version\"")?;
    let rest = json[at + "\"version\"".len()..].trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// Read the pinned binaryen version from xtask/package.json, to catch the two drifting apart.
pub fn check_package_json(root: &Path) -> Result<()> {
    let path = root.join("xtask/package.json");
    let json = String::from_utf8(util::read(&path)?).with_context(|| format!("{} is not UTF-8", path.display()))?;
    let needle = format!("\"binaryen\": \"{BINARYEN_VERSION}\"");
    if !json.contains(&needle) {
        bail!("{} does not pin {needle}; keep it in step with xtask/src/setup.rs", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_package_version() {
        let json = "{\n  \"name\": \"binaryen\",\n  \"version\": \"132.0.0\",\n  \"x\": {\"version\": \"1\"}\n}";
        assert_eq!(json_version(json).as_deref(), Some("132.0.0"));
        assert_eq!(json_version("{}"), None);
    }
}
