//! A safe Rust embedding of the pith WebAssembly module on wasmtime.
//!
//! The module speaks the C ABI of `abi/pith.h`: i32 scalars, pointers into its memory, status
//! codes. This crate hides that behind three types:
//!
//! - [`Module`]: compiled once (from a path or bytes), cheap to clone, one per process;
//! - [`Instance`]: one instance with its own memory; raw wrappers of every export for ABI tests,
//!   memory helpers, and the high-level [`Instance::extract`] and [`Instance::stream`];
//! - [`Config`]: flags and limits, encoded exactly as `pith.h` describes.
//!
//! Errors are [`PithError`]: the module's status codes (constants in [`status`]) with its
//! message, traps, and host-side failures. A trap poisons the instance: later calls return
//! [`PithError::Poisoned`] until [`Instance::recycle`].
//!
//! ```no_run
//! use pith_host::{Config, Instance, Module};
//! let module = Module::from_file("dist/pith-complete.wasm")?;
//! let mut inst = Instance::new(&module)?;
//! let result = inst.extract(b"Hello", Some("text/plain"), &Config::default())?;
//! println!("{}", result.content()?);
//! # Ok::<(), pith_host::PithError>(())
//! ```

mod config;
mod error;
mod instance;
mod module;
mod stream;

pub use config::{word, Config, CFG_WORDS, FLAG_PLAIN};
pub use error::{status, PithError};
pub use instance::{Block, Instance, ABI_VERSION, FEATURE_ALLOC_WEE, FEATURE_TEXT};
pub use module::{EpochTicker, ExternInfo, ExternKind, Module, ModuleOptions};
pub use stream::{rec, ExtractResult, Record, RecordKind, Stream};

/// The wasmtime version this crate is built on, re-exported for callers that need the raw API
/// (e.g. [`Module::wasmtime_module`]).
pub use wasmtime;
