//! Errors: a numbered code the host can branch on, a fixed text per code, and details.
//!
//! Error paths are `#[cold]` and build their message without `core::fmt`, which would cost
//! kilobytes in the module.

use alloc::string::String;
use alloc::vec::Vec;

/// Status codes of the ABI (`PITH_E_*` in `abi/pith.h`). Values never change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(i32)]
pub enum Code {
    InvalidArgument = -1,
    BadPointer = -2,
    OutOfMemory = -3,
    Unsupported = -4,
    Corrupt = -5,
    PasswordRequired = -6,
    Limit = -7,
    BadHandle = -8,
    Internal = -9,
    MimeMismatch = -10,
    InUse = -11,
}

impl Code {
    /// The fixed message of each code, as documented in `abi/ABI.md`.
    pub fn text(self) -> &'static str {
        match self {
            Code::InvalidArgument => "invalid argument",
            Code::BadPointer => "bad pointer",
            Code::OutOfMemory => "out of memory",
            Code::Unsupported => "unsupported format",
            Code::Corrupt => "corrupt input",
            Code::PasswordRequired => "password required",
            Code::Limit => "limit exceeded",
            Code::BadHandle => "bad handle",
            Code::Internal => "internal error",
            Code::MimeMismatch => "MIME type does not match the content",
            Code::InUse => "buffer in use by an open stream",
        }
    }
}

/// An error: one pointer wide, so `Result<(), Error>` travels in a single register through
/// every `?` of the parsers (a 40-byte error returned through memory cost kilobytes of code).
/// Boxing on the error path is fine: when even these few bytes cannot be allocated, no
/// further progress is possible anyway.
#[derive(PartialEq, Eq, Debug)]
pub struct Error(alloc::boxed::Box<Inner>);

#[derive(PartialEq, Eq, Debug)]
pub struct Inner {
    pub code: Code,
    /// What failed, e.g. "json: expected ':'".
    pub what: &'static str,
    /// What the message is about (a MIME type, a feature), or "". Static: errors never
    /// allocate text, which keeps every error path small.
    pub subject: &'static str,
    /// A byte offset into the document, if the error has one.
    pub offset: Option<usize>,
}

impl Error {
    #[cold]
    #[inline(never)]
    pub fn new(code: Code, what: &'static str) -> Error {
        Error(alloc::boxed::Box::new(Inner { code, what, subject: "", offset: None }))
    }

    #[cold]
    #[inline(never)]
    pub fn with_subject(mut self, subject: &'static str) -> Error {
        self.0.subject = subject;
        self
    }

    #[cold]
    #[inline(never)]
    pub fn at(mut self, offset: usize) -> Error {
        self.0.offset = Some(offset);
        self
    }

    /// The same error without its details, for repeating it cheaply.
    #[cold]
    pub fn again(&self) -> Error {
        Error::new(self.0.code, self.0.what)
    }

    pub fn code(&self) -> Code {
        self.0.code
    }

    /// "corrupt input: json: expected ':' at byte 17", "unsupported format: no extractor in
    /// this build for application/pdf"
    #[cold]
    pub fn message(&self) -> Vec<u8> {
        let e = &self.0;
        let mut m = Vec::new();
        m.extend_from_slice(e.code.text().as_bytes());
        if !e.what.is_empty() {
            m.extend_from_slice(b": ");
            m.extend_from_slice(e.what.as_bytes());
        }
        if !e.subject.is_empty() {
            m.push(b' ');
            m.extend_from_slice(e.subject.as_bytes());
        }
        if let Some(o) = e.offset {
            m.extend_from_slice(b" at byte ");
            crate::json::push_uint(&mut m, o);
        }
        m
    }
}

/// Shorthands used all over the format code.
#[cold]
pub fn corrupt(what: &'static str) -> Error {
    Error::new(Code::Corrupt, what)
}

/// CORRUPT at byte `at`: one out-of-line call in place of `corrupt(what).at(at)` inlined at
/// each of a parser's many error sites.
#[cold]
#[inline(never)]
pub fn corrupt_at(what: &'static str, at: usize) -> Error {
    corrupt(what).at(at)
}

#[cold]
pub fn limit(what: &'static str) -> Error {
    Error::new(Code::Limit, what)
}

#[cold]
pub fn oom() -> Error {
    Error::new(Code::OutOfMemory, "")
}

pub type Result<T> = core::result::Result<T, Error>;

/// Grows `v` by `extra` bytes of capacity or reports OUT_OF_MEMORY instead of aborting:
/// every buffer whose size depends on the document grows through here.
pub fn reserve(v: &mut Vec<u8>, extra: usize) -> Result<()> {
    v.try_reserve(extra).map_err(|_| oom())
}

pub fn reserve_str(s: &mut String, extra: usize) -> Result<()> {
    s.try_reserve(extra).map_err(|_| oom())
}

/// Appends bytes with a fallible reservation.
pub fn push_bytes(v: &mut Vec<u8>, bytes: &[u8]) -> Result<()> {
    reserve(v, bytes.len())?;
    v.extend_from_slice(bytes);
    Ok(())
}
