//! One instance of the module: raw wrappers of every export, memory helpers and the
//! high-level `extract` / `stream` calls.

use wasmtime::{Memory, Store, StoreLimits, StoreLimitsBuilder, TypedFunc};

use crate::config::Config;
use crate::error::{status, PithError};
use crate::module::Module;
use crate::stream::{ExtractResult, Stream};

/// `PITH_ABI_VERSION`: the only version this host speaks.
pub const ABI_VERSION: i32 = 1;
/// `PITH_FEATURE_TEXT`.
pub const FEATURE_TEXT: i32 = 1 << 0;
/// `PITH_FEATURE_ALLOC_WEE`.
pub const FEATURE_ALLOC_WEE: i32 = 1 << 30;

// Fuel and epoch deadlines when the engine counts them but the caller set no bound. Epoch
// deadlines are added to the current epoch inside wasmtime, so half the range leaves room.
const UNBOUNDED_FUEL: u64 = u64::MAX;
const UNBOUNDED_EPOCH: u64 = u64::MAX / 2;

type F0 = TypedFunc<(), i32>;
type F1 = TypedFunc<i32, i32>;
type F2 = TypedFunc<(i32, i32), i32>;
type F6 = TypedFunc<(i32, i32, i32, i32, i32, i32), i32>;

/// The typed exports, looked up once at instantiation.
struct Exports {
    alloc: F1,
    free: F2,
    abi_version: F0,
    features: F0,
    mime_types: F0,
    mime_types_len: F0,
    extract_ptr: F6,
    stream_next: F2,
    record_ptr: F1,
    record_len: F1,
    result_json: F1,
    stream_close: F1,
    error_ptr: F0,
    error_len: F0,
    heap_live: F0,
    arena_reset: F0,
}

/// A block the host allocated in module memory and wrote bytes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub ptr: i32,
    pub len: i32,
}

impl Block {
    /// The (0, 0) block used for empty inputs: `alloc(0)` returns 0, and the ABI accepts
    /// (0, 0) for the document, the MIME type and the config.
    pub const EMPTY: Block = Block { ptr: 0, len: 0 };
}

/// A stream opened by [`Instance::open`]: its handle and the document block it borrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Opened {
    pub handle: i32,
    pub doc: Block,
}

/// One instance of the pith module with its own memory.
///
/// **Traps poison the instance.** The ABI promises that no call traps, so a trap is either a
/// module bug or a fuel/epoch bound set by the host; either way it can stop the module in the
/// middle of updating its heap. After a trap every call returns [`PithError::Poisoned`]
/// (without entering the module) until [`Instance::recycle`] replaces the instance with a fresh
/// one from the same compiled module.
pub struct Instance {
    module: Module,
    store: Store<StoreLimits>,
    memory: Memory,
    exports: Exports,
    /// The message of the trap that poisoned this instance.
    poisoned: Option<String>,
}

/// Calls a typed export, turning a trap into [`PithError::Trap`] and poisoning the instance.
/// A free function over the disjoint fields, so a method can borrow `self.exports` and
/// `self.store` at once.
fn call<P, R>(
    store: &mut Store<StoreLimits>,
    poisoned: &mut Option<String>,
    f: &TypedFunc<P, R>,
    params: P,
) -> Result<R, PithError>
where
    P: wasmtime::WasmParams,
    R: wasmtime::WasmResults,
{
    if let Some(message) = poisoned {
        return Err(PithError::Poisoned { message: message.clone() });
    }
    f.call(&mut *store, params).map_err(|e| {
        let err = PithError::from_call(e);
        *poisoned = Some(err.message());
        err
    })
}

impl Instance {
    /// Instantiates the module, checks that it speaks ABI version 1 and, where the engine
    /// counts fuel or epochs, starts unbounded.
    pub fn new(module: &Module) -> Result<Self, PithError> {
        let mut limits = StoreLimitsBuilder::new();
        if let Some(max) = module.options.max_memory {
            limits = limits.memory_size(max);
        }
        let mut store = Store::new(&module.engine, limits.build());
        store.limiter(|l| l);
        if module.options.consume_fuel {
            store.set_fuel(UNBOUNDED_FUEL).map_err(|e| PithError::load(format!("cannot set fuel: {e:#}")))?;
        }
        if module.options.epoch_interruption {
            store.set_epoch_deadline(UNBOUNDED_EPOCH);
        }
        // No imports: a module that needs any is not a pith module, and instantiation says so.
        let instance = wasmtime::Instance::new(&mut store, &module.module, &[])
            .map_err(|e| PithError::load(format!("cannot instantiate the module: {e:#}")))?;
        let memory = instance
            .get_memory(&mut store, "memory")
            .ok_or_else(|| PithError::load("the module exports no memory named \"memory\""))?;

        macro_rules! get {
            ($name:literal) => {
                instance
                    .get_typed_func(&mut store, $name)
                    .map_err(|e| PithError::load(format!("export `{}` missing or mistyped: {e:#}", $name)))?
            };
        }
        let exports = Exports {
            alloc: get!("alloc"),
            free: get!("free"),
            abi_version: get!("abi_version"),
            features: get!("features"),
            mime_types: get!("mime_types"),
            mime_types_len: get!("mime_types_len"),
            extract_ptr: get!("extract_ptr"),
            stream_next: get!("stream_next"),
            record_ptr: get!("record_ptr"),
            record_len: get!("record_len"),
            result_json: get!("result_json"),
            stream_close: get!("stream_close"),
            error_ptr: get!("error_ptr"),
            error_len: get!("error_len"),
            heap_live: get!("heap_live"),
            arena_reset: get!("arena_reset"),
        };
        let mut inst = Instance { module: module.clone(), store, memory, exports, poisoned: None };
        // Checked here rather than per call: a module of another ABI version may give the same
        // exports different meanings, and every later result would be misread.
        let version = inst.abi_version()?;
        if version != ABI_VERSION {
            return Err(PithError::load(format!(
                "the module speaks ABI version {version}; this host speaks {ABI_VERSION}"
            )));
        }
        Ok(inst)
    }

    /// Replaces this instance with a fresh one from the same compiled module: new memory, no
    /// open streams, not poisoned, fuel and epoch deadline unbounded again.
    pub fn recycle(&mut self) -> Result<(), PithError> {
        *self = Instance::new(&self.module)?;
        Ok(())
    }

    /// Whether a trap poisoned this instance (see [`Instance::recycle`]).
    pub fn is_poisoned(&self) -> bool {
        self.poisoned.is_some()
    }

    /// The compiled module this instance came from.
    pub fn module(&self) -> &Module {
        &self.module
    }

    // ---- Bounds on a call ------------------------------------------------------------------

    /// Sets the fuel left for this instance (`None`: unbounded). Calls that run out trap with
    /// [`PithError::is_out_of_fuel`] and poison the instance. Needs
    /// [`crate::ModuleOptions::consume_fuel`].
    pub fn set_fuel(&mut self, fuel: Option<u64>) -> Result<(), PithError> {
        if !self.module.options.consume_fuel {
            return Err(PithError::load("fuel is off: compile with ModuleOptions::consume_fuel"));
        }
        self.store
            .set_fuel(fuel.unwrap_or(UNBOUNDED_FUEL))
            .map_err(|e| PithError::load(format!("cannot set fuel: {e:#}")))
    }

    /// Fuel left, or `None` when the engine does not count fuel.
    pub fn fuel(&self) -> Option<u64> {
        self.store.get_fuel().ok()
    }

    /// Lets calls run for `ticks` more epoch ticks (`None`: no deadline); then they trap with
    /// [`PithError::is_interrupt`] and poison the instance. Needs
    /// [`crate::ModuleOptions::epoch_interruption`].
    pub fn set_epoch_deadline(&mut self, ticks: Option<u64>) -> Result<(), PithError> {
        if !self.module.options.epoch_interruption {
            return Err(PithError::load("epochs are off: compile with ModuleOptions::epoch_interruption"));
        }
        self.store.set_epoch_deadline(ticks.unwrap_or(UNBOUNDED_EPOCH));
        Ok(())
    }

    // ---- Raw exports: one wrapper each, same arguments, raw i32 result -------------------

    /// `alloc(len)`: a block pointer, or 0.
    pub fn alloc(&mut self, len: i32) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.alloc, len)
    }
    /// `free(ptr, len)`: a status code.
    pub fn free(&mut self, ptr: i32, len: i32) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.free, (ptr, len))
    }
    /// `abi_version()`.
    pub fn abi_version(&mut self) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.abi_version, ())
    }
    /// `features()`: `PITH_FEATURE_*` bits.
    pub fn features(&mut self) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.features, ())
    }
    /// `mime_types()`: pointer to the '\n'-separated list.
    pub fn mime_types_ptr(&mut self) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.mime_types, ())
    }
    /// `mime_types_len()`.
    pub fn mime_types_len(&mut self) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.mime_types_len, ())
    }
    /// `extract_ptr(doc, doc_len, mime, mime_len, cfg, cfg_len)`: a handle > 0 or a status.
    pub fn extract_ptr(
        &mut self,
        doc: i32,
        doc_len: i32,
        mime: i32,
        mime_len: i32,
        cfg: i32,
        cfg_len: i32,
    ) -> Result<i32, PithError> {
        let args = (doc, doc_len, mime, mime_len, cfg, cfg_len);
        call(&mut self.store, &mut self.poisoned, &self.exports.extract_ptr, args)
    }
    /// `stream_next(handle, max_chunk)`: a record kind or a status.
    pub fn stream_next(&mut self, handle: i32, max_chunk: i32) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.stream_next, (handle, max_chunk))
    }
    /// `record_ptr(handle)`: 0 for a bad handle.
    pub fn record_ptr(&mut self, handle: i32) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.record_ptr, handle)
    }
    /// `record_len(handle)`.
    pub fn record_len(&mut self, handle: i32) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.record_len, handle)
    }
    /// `result_json(handle)`: the JSON length or a status.
    pub fn result_json(&mut self, handle: i32) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.result_json, handle)
    }
    /// `stream_close(handle)`: a status.
    pub fn stream_close(&mut self, handle: i32) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.stream_close, handle)
    }
    /// `error_ptr()`.
    pub fn error_ptr(&mut self) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.error_ptr, ())
    }
    /// `error_len()`.
    pub fn error_len(&mut self) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.error_len, ())
    }
    /// `heap_live()`: bytes allocated on the module heap.
    pub fn heap_live(&mut self) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.heap_live, ())
    }
    /// `arena_reset()`: a status.
    pub fn arena_reset(&mut self) -> Result<i32, PithError> {
        call(&mut self.store, &mut self.poisoned, &self.exports.arena_reset, ())
    }

    // ---- Convenience over the raw exports --------------------------------------------------

    /// The message of the most recent failing call (`error_ptr`/`error_len`), decoded lossily
    /// so a broken message still shows.
    pub fn last_error(&mut self) -> Result<String, PithError> {
        let ptr = self.error_ptr()?;
        let len = self.error_len()?;
        let bytes = self.read(ptr, len)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The MIME types this build reads (`mime_types` / `mime_types_len`).
    pub fn mime_types(&mut self) -> Result<Vec<String>, PithError> {
        let ptr = self.mime_types_ptr()?;
        let len = self.mime_types_len()?;
        let bytes = self.read(ptr, len)?;
        let text =
            String::from_utf8(bytes).map_err(|e| PithError::protocol(format!("mime_types is not UTF-8: {e}")))?;
        Ok(text.split('\n').filter(|s| !s.is_empty()).map(str::to_string).collect())
    }

    // ---- Memory ------------------------------------------------------------------------------

    /// Current size of the module's memory in bytes.
    pub fn memory_size(&self) -> usize {
        self.memory.data_size(&self.store)
    }

    fn range(&self, ptr: i64, len: i64) -> Result<std::ops::Range<usize>, PithError> {
        let memory = self.memory_size();
        let oob = PithError::OutOfBounds { ptr, len, memory };
        let start = usize::try_from(ptr).map_err(|_| oob.clone())?;
        let n = usize::try_from(len).map_err(|_| oob.clone())?;
        let end = start.checked_add(n).ok_or_else(|| oob.clone())?;
        if end > memory {
            return Err(oob);
        }
        Ok(start..end)
    }

    /// Copies `data` into module memory at `ptr` (bounds-checked).
    pub fn write(&mut self, ptr: i32, data: &[u8]) -> Result<(), PithError> {
        let len = i64::try_from(data.len()).unwrap_or(i64::MAX);
        let range = self.range(i64::from(ptr), len)?;
        let mem = self.memory.data_mut(&mut self.store);
        // `range` checked end <= memory size, so the index cannot panic.
        mem[range].copy_from_slice(data);
        Ok(())
    }

    /// Copies `len` bytes out of module memory at `ptr` (bounds-checked).
    pub fn read(&self, ptr: i32, len: i32) -> Result<Vec<u8>, PithError> {
        let range = self.range(i64::from(ptr), i64::from(len))?;
        Ok(self.memory.data(&self.store)[range].to_vec())
    }

    /// Allocates a block and writes `data` into it. Empty data gives [`Block::EMPTY`] without
    /// calling the module.
    pub fn put(&mut self, data: &[u8]) -> Result<Block, PithError> {
        if data.is_empty() {
            return Ok(Block::EMPTY);
        }
        let len = i32::try_from(data.len()).map_err(|_| {
            PithError::status(
                status::LIMIT,
                format!("{} bytes exceed the 2 GiB a module pointer can address", data.len()),
            )
        })?;
        let ptr = self.alloc(len)?;
        if ptr == 0 {
            return Err(PithError::status(status::OUT_OF_MEMORY, format!("the module could not allocate {len} bytes")));
        }
        let block = Block { ptr, len };
        if let Err(e) = self.write(ptr, data) {
            self.release(block);
            return Err(e);
        }
        Ok(block)
    }

    /// Frees a block from [`Instance::put`]; [`Block::EMPTY`] is a no-op.
    pub fn free_block(&mut self, block: Block) -> Result<(), PithError> {
        if block == Block::EMPTY {
            return Ok(());
        }
        let rc = self.free(block.ptr, block.len)?;
        self.check(rc).map(|_| ())
    }

    /// Cleanup on a path that already has an error to report: a failure here would only hide
    /// the first one, so it is dropped.
    pub(crate) fn release(&mut self, block: Block) {
        let _ = self.free_block(block);
    }

    /// Turns a raw result into `Ok(result)` when >= 0, or the status error with the module's
    /// message when negative.
    pub fn check(&mut self, rc: i32) -> Result<i32, PithError> {
        if rc >= 0 {
            return Ok(rc);
        }
        Err(self.status_error(rc))
    }

    /// The error for a negative status, with the module's message. Must be called before any
    /// other failing call, which would replace the message.
    pub(crate) fn status_error(&mut self, code: i32) -> PithError {
        let message = match self.last_error() {
            Ok(m) if !m.is_empty() => m,
            Ok(_) => String::from("(the module gave no message)"),
            Err(e) => format!("(the module's message could not be read: {e})"),
        };
        PithError::Status { code, message }
    }

    // ---- High level ----------------------------------------------------------------------

    /// Writes the document, MIME type and config into module memory and opens a stream. The
    /// MIME and config blocks are freed at once (the module copies them); the document block
    /// is returned with the handle because the stream borrows it until closed. On error every
    /// block is freed.
    pub(crate) fn open(&mut self, doc: &[u8], mime: Option<&str>, cfg: &Config) -> Result<Opened, PithError> {
        let doc_block = self.put(doc)?;
        let mime_block = match self.put(mime.unwrap_or("").as_bytes()) {
            Ok(b) => b,
            Err(e) => {
                self.release(doc_block);
                return Err(e);
            }
        };
        let cfg_block = match self.put(&cfg.to_bytes()) {
            Ok(b) => b,
            Err(e) => {
                self.release(mime_block);
                self.release(doc_block);
                return Err(e);
            }
        };
        let rc = self.extract_ptr(
            doc_block.ptr,
            doc_block.len,
            mime_block.ptr,
            mime_block.len,
            cfg_block.ptr,
            cfg_block.len,
        );
        // Read the message before the frees: they succeed and keep it, but a failing free
        // would replace it.
        let result = match rc {
            Ok(h) if h > 0 => Ok(h),
            Ok(0) => Err(PithError::protocol("extract_ptr returned handle 0")),
            Ok(code) => Err(self.status_error(code)),
            Err(e) => Err(e),
        };
        self.release(cfg_block);
        self.release(mime_block);
        match result {
            Ok(handle) => Ok(Opened { handle, doc: doc_block }),
            Err(e) => {
                self.release(doc_block);
                Err(e)
            }
        }
    }

    /// Closes a stream from [`Instance::open`] and frees its document block, reporting the
    /// first failure but always attempting both.
    pub(crate) fn finish(&mut self, opened: Opened) -> Result<(), PithError> {
        let closed = self.stream_close(opened.handle).and_then(|rc| self.check(rc));
        let freed = self.free_block(opened.doc);
        closed.and(freed)
    }

    /// The payload of the handle's current record (`record_ptr` / `record_len`).
    pub(crate) fn payload(&mut self, handle: i32) -> Result<Vec<u8>, PithError> {
        let ptr = self.record_ptr(handle)?;
        let len = self.record_len(handle)?;
        if len == 0 {
            return Ok(Vec::new());
        }
        if ptr == 0 {
            return Err(PithError::protocol(format!("record_ptr is 0 for open handle {handle} with record_len {len}")));
        }
        self.read(ptr, len)
    }

    /// Extracts a whole document with `result_json`. The stream is closed and every block freed
    /// whatever happens.
    pub fn extract(&mut self, doc: &[u8], mime: Option<&str>, cfg: &Config) -> Result<ExtractResult, PithError> {
        let opened = self.open(doc, mime, cfg)?;
        let json = self.json_of(opened.handle);
        let finished = self.finish(opened);
        let json = json?;
        finished?;
        Ok(ExtractResult { json })
    }

    fn json_of(&mut self, handle: i32) -> Result<String, PithError> {
        let rc = self.result_json(handle)?;
        let len = self.check(rc)?;
        let bytes = self.payload(handle)?;
        if bytes.len() != len as usize {
            return Err(PithError::protocol(format!("result_json returned {len} but record_len is {}", bytes.len())));
        }
        String::from_utf8(bytes).map_err(|e| PithError::protocol(format!("result JSON is not UTF-8: {e}")))
    }

    /// Opens a stream of records over `doc`; TEXT payloads are at most `max_chunk` bytes
    /// (0: the module's default of 65536). Dropping the stream closes it and frees the
    /// document block.
    pub fn stream(
        &mut self,
        doc: &[u8],
        mime: Option<&str>,
        cfg: &Config,
        max_chunk: u32,
    ) -> Result<Stream<'_>, PithError> {
        let max_chunk = i32::try_from(max_chunk)
            .map_err(|_| PithError::status(status::INVALID_ARGUMENT, format!("max_chunk {max_chunk} over i32")))?;
        let opened = self.open(doc, mime, cfg)?;
        Ok(Stream::new(self, opened, max_chunk))
    }
}
