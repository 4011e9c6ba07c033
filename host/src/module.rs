//! Compiling the module once, so that many instances can be made from it.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::error::PithError;

/// Engine settings that cannot be changed after compiling: both bounds add instrumentation to
/// the compiled code (fuel costs noticeably, epochs a little), so both are off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleOptions {
    /// Count fuel, so [`crate::Instance::set_fuel`] can bound a call deterministically.
    /// Instances start with unlimited fuel.
    pub consume_fuel: bool,
    /// Check the engine's epoch, so [`crate::Instance::set_epoch_deadline`] can bound a call
    /// in wall-clock time (with [`Module::increment_epoch`] or [`Module::start_epoch_ticker`]).
    /// Instances start with no deadline.
    pub epoch_interruption: bool,
    /// Upper bound of the module's linear memory per instance, in bytes; memory growth past it
    /// fails inside the module (its `alloc` returns 0) instead of taking host memory.
    /// `None`: the module's own maximum (4 GiB for wasm32).
    pub max_memory: Option<usize>,
}

/// A compiled pith module. Cloning is cheap (the engine and code are shared), so each worker
/// thread can take a clone and make its own [`crate::Instance`].
#[derive(Clone)]
pub struct Module {
    pub(crate) engine: wasmtime::Engine,
    pub(crate) module: wasmtime::Module,
    pub(crate) options: ModuleOptions,
}

/// Kind of an export or import, with the function signature for functions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternKind {
    /// A function; value types as in the text format (`"i32"`, `"i64"`, ...).
    Func {
        params: Vec<String>,
        results: Vec<String>,
    },
    Memory,
    Table,
    Global,
    /// Tags and anything a newer wasmtime adds.
    Other,
}

/// One export (or import) of the module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternInfo {
    /// For imports: "module::name".
    pub name: String,
    pub kind: ExternKind,
}

impl Module {
    /// Compiles a module from a `.wasm` file with default options.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, PithError> {
        Self::from_file_with(path, ModuleOptions::default())
    }

    /// Compiles a module from a `.wasm` file.
    pub fn from_file_with(path: impl AsRef<Path>, options: ModuleOptions) -> Result<Self, PithError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| PithError::load(format!("cannot read {}: {e}", path.display())))?;
        Self::from_bytes_with(&bytes, options)
            .map_err(|e| PithError::load(format!("{}: {}", path.display(), e.message())))
    }

    /// Compiles a module from the bytes of a `.wasm` file with default options.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PithError> {
        Self::from_bytes_with(bytes, ModuleOptions::default())
    }

    /// Compiles a module from the bytes of a `.wasm` file.
    pub fn from_bytes_with(bytes: &[u8], options: ModuleOptions) -> Result<Self, PithError> {
        let mut config = wasmtime::Config::new();
        config.consume_fuel(options.consume_fuel);
        config.epoch_interruption(options.epoch_interruption);
        let engine =
            wasmtime::Engine::new(&config).map_err(|e| PithError::load(format!("cannot create the engine: {e:#}")))?;
        let module = wasmtime::Module::new(&engine, bytes)
            .map_err(|e| PithError::load(format!("cannot compile the module: {e:#}")))?;
        Ok(Module { engine, module, options })
    }

    /// The options the module was compiled with.
    pub fn options(&self) -> &ModuleOptions {
        &self.options
    }

    /// The underlying wasmtime module, for anything this crate does not wrap.
    pub fn wasmtime_module(&self) -> &wasmtime::Module {
        &self.module
    }

    /// The module's exports in declaration order.
    pub fn exports(&self) -> Vec<ExternInfo> {
        self.module.exports().map(|e| ExternInfo { name: e.name().to_string(), kind: extern_kind(e.ty()) }).collect()
    }

    /// The module's imports ("module::name"); pith promises there are none.
    pub fn imports(&self) -> Vec<ExternInfo> {
        self.module
            .imports()
            .map(|i| ExternInfo { name: format!("{}::{}", i.module(), i.name()), kind: extern_kind(i.ty()) })
            .collect()
    }

    /// Advances the engine's epoch by one tick, for every instance of this module (and its
    /// clones). Only meaningful with [`ModuleOptions::epoch_interruption`].
    pub fn increment_epoch(&self) {
        self.engine.increment_epoch();
    }

    /// Starts a thread that advances the epoch every `interval` until the returned ticker is
    /// dropped, so `set_epoch_deadline(n)` means "about n × interval of wall-clock time".
    pub fn start_epoch_ticker(&self, interval: Duration) -> EpochTicker {
        let stop = Arc::new(AtomicBool::new(false));
        let engine = self.engine.clone();
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(interval);
                engine.increment_epoch();
            }
        });
        EpochTicker { stop, thread: Some(thread) }
    }
}

/// Background epoch ticker from [`Module::start_epoch_ticker`]; stops when dropped.
pub struct EpochTicker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            // The thread only sleeps and ticks; a panic there cannot leave anything to undo.
            let _ = t.join();
        }
    }
}

fn extern_kind(ty: wasmtime::ExternType) -> ExternKind {
    match ty {
        wasmtime::ExternType::Func(f) => ExternKind::Func {
            params: f.params().map(|t| t.to_string()).collect(),
            results: f.results().map(|t| t.to_string()).collect(),
        },
        wasmtime::ExternType::Memory(_) => ExternKind::Memory,
        wasmtime::ExternType::Table(_) => ExternKind::Table,
        wasmtime::ExternType::Global(_) => ExternKind::Global,
        #[allow(unreachable_patterns)]
        _ => ExternKind::Other,
    }
}
