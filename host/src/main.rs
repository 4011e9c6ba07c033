//! `pith`: extract text from documents with the pith WebAssembly module. See `pith --help`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main(std::env::args_os().skip(1).collect())
}
