//! Hand-written argument parsing (the CLI is small enough not to need a parser crate).

use std::ffi::OsString;
use std::path::PathBuf;

pub const USAGE: &str = "\
pith: extract text from documents with the pith WebAssembly module

USAGE:
    pith extract FILE... [OPTIONS]
    pith --help | --version

OPTIONS:
    --format FORMAT   markdown (default), text (plain text) or json (the whole result)
    --mime TYPE       declare the MIME type of every FILE instead of sniffing it
    --out DIR         write DIR/<file name>.<md|txt|json> per file (needed for several files)
    --module PATH     the pith .wasm to use; default: the most complete of
                      dist/pith-{complete,standard,minimal,text}.wasm, looked up in the
                      current directory and then in the pith repository
    --jobs N          worker threads for several files (default: available parallelism)
    -h, --help        show this help

Options also take the form --name=value; `--` ends the options.
Several files are extracted in parallel, one module instance per thread. A failing file
prints `path: error CODE: message` and does not stop the others.

EXIT STATUS:
    0 every file extracted, 1 a file failed, 2 bad usage or no usable module";

/// What to print for a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Text,
    Json,
}

impl Format {
    /// Extension of the output file in `--out DIR`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Text => "txt",
            Format::Json => "json",
        }
    }
}

/// A parsed `extract` command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractArgs {
    pub files: Vec<PathBuf>,
    pub format: Format,
    pub mime: Option<String>,
    pub out: Option<PathBuf>,
    pub module: Option<PathBuf>,
    pub jobs: Option<usize>,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Version,
    Extract(ExtractArgs),
}

/// Parses the arguments after the program name. Errors are one-line messages for stderr.
pub fn parse(args: Vec<OsString>) -> Result<Command, String> {
    let mut it = args.into_iter();
    let first = match it.next() {
        None => return Err("no command given".into()),
        Some(a) => a,
    };
    match first.to_str() {
        Some("-h" | "--help" | "help") => return Ok(Command::Help),
        Some("-V" | "--version") => return Ok(Command::Version),
        Some("extract") => {}
        _ => return Err(format!("unknown command {:?}", first.to_string_lossy())),
    }

    let mut parsed =
        ExtractArgs { files: Vec::new(), format: Format::Markdown, mime: None, out: None, module: None, jobs: None };
    let mut only_files = false;
    while let Some(arg) = it.next() {
        // File names need not be UTF-8; options are.
        let text = match arg.to_str() {
            Some(t) if !only_files && t.starts_with('-') && t != "-" => t.to_string(),
            _ => {
                parsed.files.push(PathBuf::from(arg));
                continue;
            }
        };
        if text == "--" {
            only_files = true;
            continue;
        }
        if text == "-h" || text == "--help" {
            return Ok(Command::Help);
        }
        let (name, inline) = match text.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(OsString::from(v))),
            None => (text.clone(), None),
        };
        let mut value = || -> Result<OsString, String> {
            match inline.clone().or_else(|| it.next()) {
                Some(v) => Ok(v),
                None => Err(format!("{name} needs a value")),
            }
        };
        match name.as_str() {
            "--format" => {
                let v = value()?;
                parsed.format = match v.to_str() {
                    Some("markdown" | "md") => Format::Markdown,
                    Some("text" | "txt" | "plain") => Format::Text,
                    Some("json") => Format::Json,
                    _ => return Err(format!("--format must be text, markdown or json, not {:?}", v.to_string_lossy())),
                };
            }
            "--mime" => {
                let v = value()?;
                let s = v.to_str().ok_or("--mime must be UTF-8")?.to_string();
                parsed.mime = Some(s);
            }
            "--out" => parsed.out = Some(PathBuf::from(value()?)),
            "--module" => parsed.module = Some(PathBuf::from(value()?)),
            "--jobs" | "-j" => {
                let v = value()?;
                let n = v
                    .to_str()
                    .and_then(|s| s.parse::<usize>().ok())
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("--jobs needs a positive number, not {:?}", v.to_string_lossy()))?;
                parsed.jobs = Some(n);
            }
            _ => return Err(format!("unknown option {name}")),
        }
    }
    if parsed.files.is_empty() {
        return Err("extract needs at least one FILE".into());
    }
    if parsed.files.len() > 1 && parsed.out.is_none() {
        // Several documents on stdout would run together (and JSON would not stay JSON).
        return Err("several files need --out DIR".into());
    }
    Ok(Command::Extract(parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(OsString::from).collect())
    }

    #[test]
    fn defaults() {
        let Ok(Command::Extract(a)) = p(&["extract", "a.txt"]) else { panic!() };
        assert_eq!(a.files, vec![PathBuf::from("a.txt")]);
        assert_eq!(a.format, Format::Markdown);
        assert_eq!((a.mime, a.out, a.module, a.jobs), (None, None, None, None));
    }

    #[test]
    fn options_both_forms() {
        let Ok(Command::Extract(a)) = p(&[
            "extract",
            "--format",
            "json",
            "a",
            "--mime=text/plain",
            "b",
            "--out",
            "o",
            "--module=m.wasm",
            "--jobs",
            "3",
            "--",
            "--c",
        ]) else {
            panic!()
        };
        assert_eq!(a.format, Format::Json);
        assert_eq!(a.mime.as_deref(), Some("text/plain"));
        assert_eq!(a.out, Some(PathBuf::from("o")));
        assert_eq!(a.module, Some(PathBuf::from("m.wasm")));
        assert_eq!(a.jobs, Some(3));
        let names: Vec<_> = a.files.iter().map(|f| f.to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["a", "b", "--c"]);
    }

    #[test]
    fn errors() {
        assert!(p(&[]).is_err());
        assert!(p(&["frobnicate"]).is_err());
        assert!(p(&["extract"]).is_err());
        assert!(p(&["extract", "a", "--format"]).is_err());
        assert!(p(&["extract", "a", "--format", "pdf"]).is_err());
        assert!(p(&["extract", "a", "--bogus"]).is_err());
        assert!(p(&["extract", "a", "b"]).is_err());
        assert!(p(&["extract", "a", "--jobs", "0"]).is_err());
        assert_eq!(p(&["--help"]), Ok(Command::Help));
        assert_eq!(p(&["extract", "a", "-h"]), Ok(Command::Help));
    }
}
