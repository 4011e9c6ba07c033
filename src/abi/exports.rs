//! The `extern "C"` exports of `abi/pith.h`: the only code that turns host integers into
//! slices. Every pointer is checked against the memory size and the live host blocks first;
//! every failure is a status code; nothing here can trap on any argument.
//!
//! Names are set with `export_name` on wasm32 only, so a native build never replaces libc's
//! `free` (../shared/TOOLCHAIN.md).

use super::blocks::{Blocks, MAX_BLOCK_LEN};
use super::handles::Handles;
use crate::arena::Arena;
use crate::config::Config;
use crate::error::{limit, Code, Error, Result};
use crate::stream::Stream;
use alloc::vec::Vec;
use core::alloc::Layout;
use core::cell::UnsafeCell;

/// Alignment of host blocks: enough for any scalar the host may store in them.
const BLOCK_ALIGN: usize = 8;

struct Open {
    stream: Stream<'static>,
    /// Address of the host block the document lives in; 0 for an empty document.
    block: usize,
}

struct State {
    blocks: Blocks,
    streams: Handles<Open>,
    arena: Arena,
    error: Vec<u8>,
}

struct Global(UnsafeCell<State>);

// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread, so the state
// is never reached from two threads.
unsafe impl Sync for Global {}

static GLOBAL: Global = Global(UnsafeCell::new(State {
    blocks: Blocks::new(),
    streams: Handles::new(),
    arena: Arena::new(),
    error: Vec::new(),
}));

/// The module state. Only the exported functions call this, once each, at their start.
fn state() -> &'static mut State {
    // SAFETY: single-threaded (see `Global`), and the module imports nothing, so no host code
    // can run (and re-enter an export) while an export holds this reference; exports never
    // call each other. Hence at most one `&mut State` exists at any time.
    unsafe { &mut *GLOBAL.0.get() }
}

fn memory_bytes() -> usize {
    core::arch::wasm32::memory_size(0).saturating_mul(65536)
}

impl State {
    #[cold]
    fn fail(&mut self, e: &Error) -> i32 {
        self.error = e.message();
        e.code() as i32
    }

    /// Checks a host range: inside memory and inside one live host block. Returns the
    /// block's address, or None for an empty range.
    fn check(&self, ptr: i32, len: i32) -> Result<Option<usize>> {
        let bad = || Error::new(Code::BadPointer, "range not inside a live alloc block");
        if ptr < 0 || len < 0 {
            return Err(bad());
        }
        let (ptr, len) = (ptr as usize, len as usize);
        if len == 0 {
            return Ok(None);
        }
        let end = ptr.checked_add(len).ok_or_else(bad)?;
        if ptr == 0 || end > memory_bytes() {
            return Err(bad());
        }
        self.blocks.containing(ptr, len).map(Some).ok_or_else(bad)
    }

    /// A copy of a host range (MIME type, config), so the host may free it at once.
    fn copy(&self, ptr: i32, len: i32) -> Result<Vec<u8>> {
        let mut v = Vec::new();
        if self.check(ptr, len)?.is_some() {
            // SAFETY: `check` proved [ptr, ptr+len) lies inside a live block that the host got
            // from `alloc` (so it is initialised-or-host-written memory of this instance that
            // no Rust object aliases), within memory bounds; we only read it, right now.
            let bytes = unsafe { core::slice::from_raw_parts(ptr as usize as *const u8, len as usize) };
            crate::error::push_bytes(&mut v, bytes)?;
        }
        Ok(v)
    }

    fn open(&mut self, doc: i32, doc_len: i32, mime: i32, mime_len: i32, cfg: i32, cfg_len: i32) -> Result<i32> {
        let slot = self.streams.free_slot().ok_or_else(|| limit("too many open streams"))?;
        let block = self.check(doc, doc_len)?;
        let mime = self.copy(mime, mime_len)?;
        let config = Config::parse(&self.copy(cfg, cfg_len)?)?;
        let doc: &'static [u8] = match block {
            None => &[],
            // SAFETY: `check` proved the range lies inside a live host block. The block is
            // pinned below for as long as the stream lives (`free` refuses it with IN_USE,
            // `stream_close` unpins after dropping the stream), wasm memory never shrinks, and
            // the module never writes into host blocks; the contract (ABI.md) forbids the host
            // to change the document while the stream is open. So the slice stays valid and
            // unchanged for the stream's life, which is what `'static` stands for here.
            Some(_) => unsafe { core::slice::from_raw_parts(doc as usize as *const u8, doc_len as usize) },
        };
        let mime = if mime.is_empty() { None } else { Some(&mime[..]) };
        let stream = Stream::open(doc, mime, &config, &mut self.arena)?;
        let block = block.unwrap_or(0);
        if block != 0 {
            self.blocks.pin(block);
        }
        Ok(self.streams.fill(slot, Open { stream, block }))
    }
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "abi_version"))]
pub extern "C" fn pith_abi_version() -> i32 {
    super::ABI_VERSION
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "features"))]
pub extern "C" fn pith_features() -> i32 {
    let alloc_bit = if cfg!(feature = "wee_alloc") && !cfg!(feature = "talc") { crate::feature::ALLOC_WEE } else { 0 };
    (crate::formats::feature_bits() | alloc_bit) as i32
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "mime_types"))]
pub extern "C" fn pith_mime_types() -> i32 {
    crate::formats::MIME_LIST.as_ptr() as i32
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "mime_types_len"))]
pub extern "C" fn pith_mime_types_len() -> i32 {
    crate::formats::MIME_LIST.len() as i32
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "alloc"))]
pub extern "C" fn pith_alloc(len: i32) -> i32 {
    let st = state();
    if len <= 0 || len as usize > MAX_BLOCK_LEN || !st.blocks.reserve_one() {
        return 0;
    }
    let Ok(layout) = Layout::from_size_align(len as usize, BLOCK_ALIGN) else { return 0 };
    // SAFETY: the layout has a non-zero size. A null result (memory exhausted) is returned
    // to the host as 0, never dereferenced.
    let ptr = unsafe { alloc::alloc::alloc(layout) };
    if ptr.is_null() {
        return 0;
    }
    st.blocks.insert(ptr as usize, len as usize);
    ptr as i32
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "free"))]
pub extern "C" fn pith_free(ptr: i32, len: i32) -> i32 {
    let st = state();
    if ptr == 0 {
        return 0; // free(0, _) is a no-op, like C's free(NULL)
    }
    if ptr < 0 || len <= 0 {
        return st.fail(&Error::new(Code::BadPointer, "not a live alloc block"));
    }
    match st.blocks.remove(ptr as usize, len as usize) {
        Ok(()) => {
            // SAFETY: `remove` proved (ptr, len) is a block `alloc` returned with exactly this
            // size and BLOCK_ALIGN, not yet freed and not borrowed by a stream; it is now
            // forgotten, so it is deallocated exactly once.
            unsafe {
                alloc::alloc::dealloc(
                    ptr as usize as *mut u8,
                    Layout::from_size_align_unchecked(len as usize, BLOCK_ALIGN),
                )
            };
            0
        }
        Err(code) => {
            let what = if code == Code::InUse { "" } else { "not a live alloc block" };
            st.fail(&Error::new(code, what))
        }
    }
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "extract_ptr"))]
pub extern "C" fn pith_extract_ptr(doc: i32, doc_len: i32, mime: i32, mime_len: i32, cfg: i32, cfg_len: i32) -> i32 {
    let st = state();
    match st.open(doc, doc_len, mime, mime_len, cfg, cfg_len) {
        Ok(handle) => handle,
        Err(e) => st.fail(&e),
    }
}

#[cold]
fn bad_handle() -> Error {
    Error::new(Code::BadHandle, "")
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "stream_next"))]
pub extern "C" fn pith_stream_next(handle: i32, max_chunk: i32) -> i32 {
    let st = state();
    let r = match st.streams.get_mut(handle) {
        None => Err(bad_handle()),
        Some(_) if max_chunk < 0 => Err(Error::new(Code::InvalidArgument, "negative max_chunk")),
        Some(open) => open.stream.next(max_chunk as usize).map(|k| k as i32),
    };
    r.unwrap_or_else(|e| st.fail(&e))
}

fn payload(handle: i32) -> Option<&'static [u8]> {
    state().streams.get_mut(handle).map(|open| open.stream.payload())
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "record_ptr"))]
pub extern "C" fn pith_record_ptr(handle: i32) -> i32 {
    payload(handle).map_or(0, |p| p.as_ptr() as i32)
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "record_len"))]
pub extern "C" fn pith_record_len(handle: i32) -> i32 {
    payload(handle).map_or(0, |p| p.len() as i32)
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "result_json"))]
pub extern "C" fn pith_result_json(handle: i32) -> i32 {
    let st = state();
    let r = match st.streams.get_mut(handle) {
        None => Err(bad_handle()),
        Some(open) => open.stream.result_json(&mut st.arena),
    };
    match r {
        Ok(len) if len <= i32::MAX as usize => len as i32,
        Ok(_) => st.fail(&limit("JSON result larger than 2 GiB")),
        Err(e) => st.fail(&e),
    }
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "stream_close"))]
pub extern "C" fn pith_stream_close(handle: i32) -> i32 {
    let st = state();
    match st.streams.remove(handle) {
        Some(open) => {
            // Drop the stream (and its borrow of the document) before unpinning the block.
            open.stream.release(&mut st.arena);
            if open.block != 0 {
                st.blocks.unpin(open.block);
            }
            0
        }
        None => st.fail(&bad_handle()),
    }
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "error_ptr"))]
pub extern "C" fn pith_error_ptr() -> i32 {
    state().error.as_ptr() as i32
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "error_len"))]
pub extern "C" fn pith_error_len() -> i32 {
    state().error.len() as i32
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "heap_live"))]
pub extern "C" fn pith_heap_live() -> i32 {
    crate::allocator::live().min(i32::MAX as usize) as i32
}

#[cfg_attr(target_arch = "wasm32", unsafe(export_name = "arena_reset"))]
pub extern "C" fn pith_arena_reset() -> i32 {
    let st = state();
    if !st.streams.is_empty() {
        return st.fail(&Error::new(Code::InUse, "streams are open"));
    }
    st.arena.reset();
    0
}
