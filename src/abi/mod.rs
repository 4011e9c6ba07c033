//! The C ABI (`abi/pith.h`). The host-facing bookkeeping — which memory blocks the host owns,
//! which streams are open — is plain safe code in [`blocks`] and [`handles`]; the `extern "C"`
//! functions in `exports` (wasm32 only) are the one place that turns host integers into
//! slices, after these checks.

pub mod blocks;
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
mod exports;
pub mod handles;

pub const ABI_VERSION: i32 = 1;
