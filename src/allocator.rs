//! The global allocator (talc by default, wee_alloc only for size comparison), wrapped to
//! count live heap bytes for the `heap_live` export, and the panic handler. wasm32 only.
#![allow(unsafe_code)]

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering};

#[cfg(all(feature = "talc", feature = "wee_alloc"))]
compile_error!("choose one allocator: `talc` (default) or `wee_alloc`");
#[cfg(not(any(feature = "talc", feature = "wee_alloc")))]
compile_error!("an allocator feature is required on wasm32: `talc` (default) or `wee_alloc`");

static LIVE: AtomicUsize = AtomicUsize::new(0);

/// Bytes currently allocated.
pub fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

struct Counting<A>(A);

// SAFETY: every method forwards to the inner allocator with the caller's arguments unchanged,
// so the inner allocator's guarantees hold; the counter is bookkeeping only.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, forwarded as is.
        let p = unsafe { self.0.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::dealloc`'s contract, forwarded as is.
        unsafe { self.0.dealloc(ptr, layout) }
    }
    // `realloc` keeps its default (allocate, copy, free through the two methods above), so
    // the count stays right; talc is built without in-place reallocation anyway, to save bytes.
}

#[cfg(feature = "talc")]
#[global_allocator]
static ALLOCATOR: Counting<talc::wasm::WasmDynamicTalc> = Counting(talc::wasm::new_wasm_dynamic_allocator());

#[cfg(all(feature = "wee_alloc", not(feature = "talc")))]
#[global_allocator]
static ALLOCATOR: Counting<wee_alloc::WeeAlloc<'static>> = Counting(wee_alloc::WeeAlloc::INIT);

/// A panic is a bug (untrusted input must never reach one); trap, and the host recycles the
/// instance. The message is not formatted: that would pull `core::fmt` into the module.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
