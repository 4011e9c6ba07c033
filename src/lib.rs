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
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod json;
pub mod markdown;
pub mod mime;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod records;
pub mod result;
pub mod sink;
pub mod sort;
pub mod stream;
#[cfg(test)]
mod testing;
#[cfg(feature = "xml-reader")]
pub mod xml;
#[cfg(feature = "zip")]
pub mod zip;

/// Feature bits reported by the `features` export (mirrors `PITH_FEATURE_*` in `abi/pith.h`).
pub mod feature {
    pub const TEXT: u32 = 1 << 0;
    pub const HTML: u32 = 1 << 1;
    pub const MARKDOWN: u32 = 1 << 2;
    pub const JSON: u32 = 1 << 3;
    pub const YAML: u32 = 1 << 4;
    pub const TOML: u32 = 1 << 5;
    pub const XML: u32 = 1 << 6;
    pub const CSV: u32 = 1 << 7;
    pub const ENCODINGS: u32 = 1 << 8;
    pub const CJK: u32 = 1 << 9;
    pub const DOCX: u32 = 1 << 10;
    pub const XLSX: u32 = 1 << 11;
    pub const PPTX: u32 = 1 << 12;
    pub const ODT: u32 = 1 << 13;
    pub const ODS: u32 = 1 << 14;
    pub const ODP: u32 = 1 << 15;
    pub const PDF: u32 = 1 << 16;
    pub const ALLOC_WEE: u32 = 1 << 30;
}
