//! Readable function names for the size report. rustc's own symbols come in both manglings:
//! the crates we compile use legacy `_ZN...E` (wasm-ld usually demangles those already, leaving
//! a `::h<16 hex>` suffix), while the precompiled core/alloc use v0 `_R...`, which wasm-ld
//! leaves alone. `rustc-demangle` (tiny, no dependencies) handles both; its alternate form
//! drops the hash, which changes with crate metadata and would churn the reports.

/// The display form of a function name from the name section.
pub fn display_name(raw: &str) -> String {
    match rustc_demangle::try_demangle(raw) {
        Ok(symbol) => format!("{symbol:#}"),
        Err(_) => strip_hash(raw).to_string(),
    }
}

/// `core::fmt::write::h0123456789abcdef` -> `core::fmt::write`.
fn strip_hash(name: &str) -> &str {
    if let Some(at) = name.rfind("::h") {
        let hash = &name[at + 3..];
        if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return &name[..at];
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_symbols() {
        assert_eq!(display_name("_ZN4core3fmt5write17h0123456789abcdefE"), "core::fmt::write");
        assert_eq!(
            display_name("_ZN60_$LT$alloc..string..String$u20$as$u20$core..fmt..Display$GT$3fmt17h0123456789abcdefE"),
            "<alloc::string::String as core::fmt::Display>::fmt"
        );
    }

    #[test]
    fn v0_symbols() {
        assert_eq!(
            display_name("_RNvMNtCs5cOc02OMXlo_5alloc5allocNtB2_6Global18alloc_impl_runtime"),
            "<alloc::alloc::Global>::alloc_impl_runtime"
        );
    }

    #[test]
    fn already_demangled_and_plain_names() {
        assert_eq!(display_name("core::fmt::write::h0123456789abcdef"), "core::fmt::write");
        assert_eq!(display_name("talc::base::Talc<S,B>::allocate"), "talc::base::Talc<S,B>::allocate");
        assert_eq!(display_name("extract_ptr"), "extract_ptr");
        assert_eq!(display_name("foo::h123"), "foo::h123");
    }
}
