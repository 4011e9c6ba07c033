//! pith: document text extraction inside one small WebAssembly module.
//!
//! Every format is a function from the input bytes to events on a [`sink::Sink`]; the
//! [`stream::Stream`] turns those events into typed records for the host, either one by one
//! (`stream_next`) or as one JSON document (`result_json`). The C ABI lives in [`abi`]; it and
//! [`allocator`] are the only places allowed to use `unsafe`.
//!
//! On wasm32 the crate is `no_std` + `alloc`; natively it links std so `cargo test` can run
//! the same code.
#![cfg_attr(target_arch = "wasm32", no_std)]
#![deny(unsafe_code)]

extern crate alloc;

pub mod abi;
#[cfg(target_arch = "wasm32")]
mod allocator;
pub mod arena;
pub mod config;
pub mod encoding;
pub mod error;
pub mod formats;
pub mod json;
pub mod mime;
pub mod records;
pub mod result;
pub mod sink;
pub mod stream;

/// Feature bits reported by the `features` export (mirrors `PITH_FEATURE_*` in `abi/pith.h`).
pub mod feature {
    pub const TEXT: u32 = 1 << 0;
    pub const ALLOC_WEE: u32 = 1 << 30;
}
