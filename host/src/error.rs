//! Status codes of the ABI and the host's error type.

use std::fmt;

/// Status codes, mirroring the `PITH_OK` / `PITH_E_*` defines of `abi/pith.h`.
pub mod status {
    /// `PITH_OK`.
    pub const OK: i32 = 0;
    /// `PITH_E_INVALID_ARGUMENT`: an argument is out of its documented range.
    pub const INVALID_ARGUMENT: i32 = -1;
    /// `PITH_E_BAD_POINTER`: a pointer/length is outside memory or a live alloc.
    pub const BAD_POINTER: i32 = -2;
    /// `PITH_E_OUT_OF_MEMORY`: the module could not allocate.
    pub const OUT_OF_MEMORY: i32 = -3;
    /// `PITH_E_UNSUPPORTED`: format unknown, or its feature not compiled in.
    pub const UNSUPPORTED: i32 = -4;
    /// `PITH_E_CORRUPT`: the document is malformed beyond recovery.
    pub const CORRUPT: i32 = -5;
    /// `PITH_E_PASSWORD_REQUIRED`: encrypted; no or wrong password in the config.
    pub const PASSWORD_REQUIRED: i32 = -6;
    /// `PITH_E_LIMIT`: a configured resource limit was crossed.
    pub const LIMIT: i32 = -7;
    /// `PITH_E_BAD_HANDLE`: the stream handle is unknown, closed or stale.
    pub const BAD_HANDLE: i32 = -8;
    /// `PITH_E_INTERNAL`: a bug in pith; the module stays usable.
    pub const INTERNAL: i32 = -9;
    /// `PITH_E_MIME_MISMATCH`: the declared MIME type contradicts the content.
    pub const MIME_MISMATCH: i32 = -10;
    /// `PITH_E_IN_USE`: the buffer is borrowed by an open stream.
    pub const IN_USE: i32 = -11;

    /// The name of a status code as in `pith.h` without the `PITH_E_` prefix
    /// (`"INVALID_ARGUMENT"`), or `None` for a code the ABI does not define.
    pub fn name(code: i32) -> Option<&'static str> {
        Some(match code {
            OK => "OK",
            INVALID_ARGUMENT => "INVALID_ARGUMENT",
            BAD_POINTER => "BAD_POINTER",
            OUT_OF_MEMORY => "OUT_OF_MEMORY",
            UNSUPPORTED => "UNSUPPORTED",
            CORRUPT => "CORRUPT",
            PASSWORD_REQUIRED => "PASSWORD_REQUIRED",
            LIMIT => "LIMIT",
            BAD_HANDLE => "BAD_HANDLE",
            INTERNAL => "INTERNAL",
            MIME_MISMATCH => "MIME_MISMATCH",
            IN_USE => "IN_USE",
            _ => return None,
        })
    }
}

/// Everything that can go wrong when driving the module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PithError {
    /// The module answered with a negative status code (one of [`status`]); `message` is the
    /// module's own text from `error_ptr`/`error_len`.
    ///
    /// The host also reports two conditions of its own under ABI codes, because a caller
    /// handles them the same way: a document the module could not allocate a block for
    /// (`alloc` returned 0) is `OUT_OF_MEMORY`, and a buffer over the 2 GiB an `i32` can
    /// address is `LIMIT`.
    Status { code: i32, message: String },
    /// The WebAssembly code trapped: a bug in the module (the ABI promises no call traps),
    /// or the fuel / epoch deadline the host set ran out (`trap` tells which). The instance
    /// is poisoned afterwards; see [`crate::Instance::recycle`].
    Trap { trap: Option<wasmtime::Trap>, message: String },
    /// A call on an instance that trapped earlier. Its memory may be half-updated (the trap
    /// can have hit inside the allocator), so no further call is made; `message` is the
    /// original trap's.
    Poisoned { message: String },
    /// A host-side memory access (`read`/`write`, or a payload the module pointed at) falls
    /// outside the module's memory.
    OutOfBounds { ptr: i64, len: i64, memory: usize },
    /// The module broke its contract in a way no status code covers (a handle of 0, an unknown
    /// record kind, a result that is not UTF-8 or not JSON, a wrong ABI version).
    Protocol { message: String },
    /// The module could not be read, compiled or instantiated.
    Load { message: String },
}

impl PithError {
    /// The ABI status code, for [`PithError::Status`].
    pub fn code(&self) -> Option<i32> {
        match self {
            PithError::Status { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// True if this is a `Status` error with the given code.
    pub fn is(&self, code: i32) -> bool {
        self.code() == Some(code)
    }

    /// A short upper-case name for messages: the `pith.h` code name for status errors
    /// (`MIME_MISMATCH`), otherwise the variant (`TRAP`, `POISONED`, ...).
    pub fn code_name(&self) -> String {
        match self {
            PithError::Status { code, .. } => match status::name(*code) {
                Some(name) => name.to_string(),
                None => format!("UNKNOWN_STATUS({code})"),
            },
            PithError::Trap { .. } => "TRAP".to_string(),
            PithError::Poisoned { .. } => "POISONED".to_string(),
            PithError::OutOfBounds { .. } => "OUT_OF_BOUNDS".to_string(),
            PithError::Protocol { .. } => "PROTOCOL".to_string(),
            PithError::Load { .. } => "LOAD".to_string(),
        }
    }

    /// The human-readable part, without the code name.
    pub fn message(&self) -> String {
        match self {
            PithError::Status { message, .. }
            | PithError::Trap { message, .. }
            | PithError::Protocol { message }
            | PithError::Load { message } => message.clone(),
            PithError::Poisoned { message } => {
                format!("the instance trapped earlier ({message}); recycle it")
            }
            PithError::OutOfBounds { ptr, len, memory } => {
                format!("range at {ptr} of {len} bytes is outside the module's memory of {memory} bytes")
            }
        }
    }

    /// True for a trap caused by the fuel limit set with [`crate::Instance::set_fuel`].
    pub fn is_out_of_fuel(&self) -> bool {
        matches!(self, PithError::Trap { trap: Some(wasmtime::Trap::OutOfFuel), .. })
    }

    /// True for a trap caused by the epoch deadline set with
    /// [`crate::Instance::set_epoch_deadline`].
    pub fn is_interrupt(&self) -> bool {
        matches!(self, PithError::Trap { trap: Some(wasmtime::Trap::Interrupt), .. })
    }

    pub(crate) fn status(code: i32, message: impl Into<String>) -> Self {
        PithError::Status { code, message: message.into() }
    }

    pub(crate) fn protocol(message: impl Into<String>) -> Self {
        PithError::Protocol { message: message.into() }
    }

    pub(crate) fn load(message: impl Into<String>) -> Self {
        PithError::Load { message: message.into() }
    }

    /// Classifies an error from a wasmtime call. The module has no imports, so no host
    /// function can fail: every error of a call is a trap of the guest.
    pub(crate) fn from_call(err: wasmtime::Error) -> Self {
        let trap = err.downcast_ref::<wasmtime::Trap>().copied();
        let message = match trap {
            Some(t) => t.to_string(),
            None => format!("{err:#}"),
        };
        PithError::Trap { trap, message }
    }
}

impl fmt::Display for PithError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code_name(), self.message())
    }
}

impl std::error::Error for PithError {}
