//! Small helpers: the repository root, running and printing external commands, number formatting.

use anyhow::{bail, Context, Result};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root: the parent of this crate's manifest directory.
pub fn repo_root() -> Result<PathBuf> {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest_dir
        .parent()
        .with_context(|| format!("xtask manifest dir {} has no parent", manifest_dir.display()))?;
    Ok(root.to_path_buf())
}

/// The cargo that runs us (so nested builds use the same toolchain), or `cargo` from PATH.
pub fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"))
}

/// A command line being built: the program, its arguments, extra environment and directory.
/// `run` prints it (shell-like) before it starts and fails with the whole line when it fails.
pub struct Cmd {
    program: OsString,
    args: Vec<OsString>,
    envs: Vec<(String, String)>,
    dir: Option<PathBuf>,
}

impl Cmd {
    pub fn new(program: impl Into<OsString>) -> Cmd {
        Cmd { program: program.into(), args: Vec::new(), envs: Vec::new(), dir: None }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Cmd {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Cmd {
        self.envs.push((key.to_string(), value.to_string()));
        self
    }

    pub fn dir(mut self, dir: impl Into<PathBuf>) -> Cmd {
        self.dir = Some(dir.into());
        self
    }

    /// The command as one shell-like line, for printing and error messages.
    pub fn display(&self) -> String {
        let mut parts = Vec::new();
        if let Some(dir) = &self.dir {
            parts.push(format!("(cd {})", quote(&dir.to_string_lossy())));
        }
        for (k, v) in &self.envs {
            parts.push(format!("{k}={}", quote(v)));
        }
        parts.push(quote(&self.program.to_string_lossy()));
        for a in &self.args {
            parts.push(quote(&a.to_string_lossy()));
        }
        parts.join(" ")
    }

    fn command(&self) -> Command {
        let mut c = Command::new(&self.program);
        c.args(&self.args);
        for (k, v) in &self.envs {
            c.env(k, v);
        }
        if let Some(dir) = &self.dir {
            c.current_dir(dir);
        }
        c
    }

    /// Print the command, run it with inherited stdio (its output streams through) and fail
    /// unless it exits successfully.
    pub fn run(&self) -> Result<()> {
        let status = self.status()?;
        if !status.success() {
            bail!("command failed ({status}): {}", self.display());
        }
        Ok(())
    }

    /// Print the command and run it with inherited stdio; its exit status is the caller's to judge.
    pub fn status(&self) -> Result<std::process::ExitStatus> {
        let line = self.display();
        eprintln!("[xtask] $ {line}");
        self.command().status().with_context(|| format!("could not start `{line}` (is it installed and on PATH?)"))
    }

    /// Print the command, run it and return its stdout (stderr streams through).
    pub fn output(&self) -> Result<String> {
        let line = self.display();
        eprintln!("[xtask] $ {line}");
        let out = self
            .command()
            .stderr(std::process::Stdio::inherit())
            .output()
            .with_context(|| format!("could not start `{line}` (is it installed and on PATH?)"))?;
        if !out.status.success() {
            bail!("command failed ({}): {line}", out.status);
        }
        String::from_utf8(out.stdout).with_context(|| format!("`{line}` printed non-UTF-8 output"))
    }
}

fn quote(s: &str) -> String {
    let plain = !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=,:+@%".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// `1234567` -> `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `part` as a signed percentage change relative to `base`, e.g. `-12.6%`.
pub fn percent_change(base: u64, part: u64) -> String {
    if base == 0 {
        return "n/a".to_string();
    }
    let change = (part as f64 - base as f64) * 100.0 / base as f64;
    format!("{change:+.1}%")
}

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("could not create directory {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("could not write {}", path.display()))
}

/// Write only when the content differs, so unchanged reports keep their modification time.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    write(path, bytes)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(16384), "16,384");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("--features"), "--features");
        assert_eq!(quote("talc,preset-minimal"), "talc,preset-minimal");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote(""), "''");
    }
}
