//! The `pith` command line: argument parsing, module lookup and the parallel extraction.

pub mod args;
mod progress;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use pith_host::{Config, Instance, Module, PithError};

use args::{Command, ExtractArgs, Format};
use progress::Progress;

/// Presets from most to least complete: the default module is the first one found.
const PRESETS: [&str; 4] = ["complete", "standard", "minimal", "text"];

/// Why one file failed: the name printed in `path: error NAME: message` and the message.
#[derive(Debug)]
struct FileError {
    name: String,
    message: String,
}

impl From<PithError> for FileError {
    fn from(e: PithError) -> Self {
        FileError { name: e.code_name(), message: e.message() }
    }
}

impl FileError {
    fn io(what: &str, path: &Path, e: std::io::Error) -> Self {
        FileError { name: "IO".into(), message: format!("cannot {what} {}: {e}", path.display()) }
    }
}

pub fn main(raw_args: Vec<std::ffi::OsString>) -> ExitCode {
    let command = match args::parse(raw_args) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("pith: {msg}\nRun `pith --help` for usage.");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help => {
            println!("{}", args::USAGE);
            ExitCode::SUCCESS
        }
        Command::Version => {
            println!("pith {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Command::Extract(a) => extract(a),
    }
}

/// Directories searched for `dist/`: the current directory first (a checkout the user is in),
/// then the repository this binary was built from.
fn search_roots() -> Vec<PathBuf> {
    let mut roots = vec![PathBuf::from(".")];
    if let Some(repo) = Path::new(env!("CARGO_MANIFEST_DIR")).parent() {
        roots.push(repo.to_path_buf());
    }
    roots
}

fn find_module() -> Result<PathBuf, String> {
    let mut tried = Vec::new();
    for root in search_roots() {
        for preset in PRESETS {
            let candidate = root.join("dist").join(format!("pith-{preset}.wasm"));
            if candidate.is_file() {
                return Ok(candidate);
            }
            tried.push(candidate.display().to_string());
        }
    }
    Err(format!(
        "no module found (tried {}); build one with `cargo xtask dist` or pass --module PATH",
        tried.join(", ")
    ))
}

fn extract(a: ExtractArgs) -> ExitCode {
    let module_path = match a.module.clone().map(Ok).unwrap_or_else(find_module) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("pith: {msg}");
            return ExitCode::from(2);
        }
    };
    let module = match Module::from_file(&module_path) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("pith: {}", e.message());
            return ExitCode::from(2);
        }
    };
    let cfg = if a.format == Format::Text { Config::plain() } else { Config::default() };

    let Some(out_dir) = a.out.clone() else {
        // One file to stdout (the parser refuses several without --out).
        return single_to_stdout(&module, &a, &cfg);
    };
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        eprintln!("pith: cannot create {}: {e}", out_dir.display());
        return ExitCode::from(2);
    }
    let failed = extract_many(&module, &a, &cfg, &out_dir);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn single_to_stdout(module: &Module, a: &ExtractArgs, cfg: &Config) -> ExitCode {
    let Some(path) = a.files.first() else {
        return ExitCode::from(2);
    };
    let result = Instance::new(module)
        .map_err(FileError::from)
        .and_then(|mut inst| extract_one(&mut inst, path, a.mime.as_deref(), cfg, a.format));
    match result {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                // A closed pipe (`pith extract f | head`) is not worth a second message.
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("pith: cannot write to stdout: {e}");
                }
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", error_line(path, &e));
            ExitCode::from(1)
        }
    }
}

fn error_line(path: &Path, e: &FileError) -> String {
    format!("{}: error {}: {}", path.display(), e.name, e.message)
}

/// Reads and extracts one file; the text to write (content, or the whole JSON).
fn extract_one(
    inst: &mut Instance,
    path: &Path,
    mime: Option<&str>,
    cfg: &Config,
    format: Format,
) -> Result<String, FileError> {
    let doc = std::fs::read(path).map_err(|e| FileError::io("read", path, e))?;
    let guessed = match mime {
        Some(_) => None,
        None => mime_from_extension(inst, path)?,
    };
    let result = inst.extract(&doc, mime.or(guessed), cfg)?;
    let mut text = match format {
        Format::Json => result.json,
        Format::Markdown | Format::Text => result.content()?,
    };
    // Output files and terminals expect a final newline; content rarely carries one.
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// The MIME type a file's extension names, when the module reads that type. Formats that
/// cannot be recognised from their bytes alone (YAML, TOML, CSV, Markdown) need it; anything
/// else is left to the module's sniffing.
fn mime_from_extension(inst: &mut Instance, path: &Path) -> Result<Option<&'static str>, FileError> {
    const BY_EXTENSION: &[(&str, &str)] = &[
        ("txt", "text/plain"),
        ("md", "text/markdown"),
        ("markdown", "text/markdown"),
        ("html", "text/html"),
        ("htm", "text/html"),
        ("xhtml", "application/xhtml+xml"),
        ("json", "application/json"),
        ("yaml", "application/yaml"),
        ("yml", "application/yaml"),
        ("toml", "application/toml"),
        ("xml", "application/xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ];
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return Ok(None);
    };
    let ext = ext.to_ascii_lowercase();
    let Some(&(_, mime)) = BY_EXTENSION.iter().find(|(e, _)| *e == ext) else {
        return Ok(None);
    };
    let supported = inst.mime_types()?;
    Ok(supported.iter().any(|m| m == mime).then_some(mime))
}

/// Output path for each input: DIR/<file name>.<ext>. The whole file name is kept
/// (`a.txt` -> `a.txt.md`) so `a.txt` and `a.pdf` do not collide; inputs that would still
/// collide (same name in two directories) get an error instead of overwriting each other.
fn output_paths(files: &[PathBuf], out_dir: &Path, ext: &str) -> Vec<Result<PathBuf, FileError>> {
    let mut seen: HashMap<PathBuf, &Path> = HashMap::new();
    files
        .iter()
        .map(|f| {
            let Some(name) = f.file_name() else {
                return Err(FileError { name: "USAGE".into(), message: "not a file name".into() });
            };
            let mut out_name = name.to_os_string();
            out_name.push(".");
            out_name.push(ext);
            let out = out_dir.join(out_name);
            if let Some(first) = seen.get(&out) {
                return Err(FileError {
                    name: "USAGE".into(),
                    message: format!("{} would overwrite the output of {}", out.display(), first.display()),
                });
            }
            seen.insert(out.clone(), f);
            Ok(out)
        })
        .collect()
}

/// Extracts every file into `out_dir` on worker threads, one instance each. Returns whether
/// any file failed.
fn extract_many(module: &Module, a: &ExtractArgs, cfg: &Config, out_dir: &Path) -> bool {
    let outputs = output_paths(&a.files, out_dir, a.format.extension());
    let workers =
        a.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).min(a.files.len()).max(1);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Result<(), FileError>)>();
    let mut progress = Progress::new(a.files.len());
    let mut failed = false;

    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, outputs) = (&next, &outputs);
            scope.spawn(move || {
                // Created lazily, recreated after a trap (poisoned) or a failed instantiation.
                let mut inst: Option<Instance> = None;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = a.files.get(i) else { break };
                    let result = match &outputs[i] {
                        Err(e) => Err(FileError { name: e.name.clone(), message: e.message.clone() }),
                        Ok(out) => run_file(module, &mut inst, path, out, a, cfg),
                    };
                    if tx.send((i, result)).is_err() {
                        break; // The receiver is gone: nobody is left to report to.
                    }
                }
            });
        }
        drop(tx);
        for (i, result) in rx {
            let line = result.err().map(|e| error_line(&a.files[i], &e));
            failed |= line.is_some();
            progress.file_done(line.as_deref());
        }
    });
    progress.finish();
    failed
}

fn run_file(
    module: &Module,
    slot: &mut Option<Instance>,
    path: &Path,
    out: &Path,
    a: &ExtractArgs,
    cfg: &Config,
) -> Result<(), FileError> {
    if slot.as_ref().is_none_or(Instance::is_poisoned) {
        *slot = Some(Instance::new(module)?);
    }
    let Some(inst) = slot.as_mut() else {
        return Err(FileError { name: "INTERNAL".into(), message: "no instance".into() });
    };
    let text = extract_one(inst, path, a.mime.as_deref(), cfg, a.format);
    // Give the scratch buffers back between documents so a worker's memory tracks the
    // largest document, not the sum of them. A failure here only costs memory.
    let _ = inst.arena_reset();
    std::fs::write(out, text?.as_bytes()).map_err(|e| FileError::io("write", out, e))
}
