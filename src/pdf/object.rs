//! PDF objects as the parser produces them. Names and strings keep their decoded bytes (a
//! name's `#xx` and a string's escapes are already resolved); what the bytes mean (text
//! string, font codes) is for the layer that reads them.

use alloc::vec::Vec;

/// An indirect reference `num gen R`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Ref {
    pub num: u32,
    pub gen: u16,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Name(Vec<u8>),
    Str(Vec<u8>),
    Array(Vec<Object>),
    Dict(Dict),
    Stream(Stream),
    Ref(Ref),
}

/// A dictionary in file order. Dictionaries are small (a handful of keys), so a vector
/// searched linearly is faster and smaller than a map; on a duplicate key the first wins.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dict {
    entries: Vec<(Vec<u8>, Object)>,
}

impl Dict {
    pub fn new() -> Dict {
        Dict::default()
    }

    pub fn get(&self, key: &[u8]) -> Option<&Object> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Object)> {
        self.entries.iter().map(|(k, v)| (k.as_slice(), v))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&[u8], &mut Object)> {
        self.entries.iter_mut().map(|(k, v)| (k.as_slice(), v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds an entry; the caller reserves (the parser grows dictionaries fallibly).
    pub fn push(&mut self, key: Vec<u8>, value: Object) {
        self.entries.push((key, value));
    }

    pub fn try_reserve(&mut self, extra: usize) -> crate::error::Result<()> {
        self.entries.try_reserve(extra).map_err(|_| crate::error::oom())
    }

    /// Sets `key`, replacing an earlier value (inherited page attributes).
    pub fn set(&mut self, key: &[u8], value: Object) -> crate::error::Result<()> {
        if let Some(slot) = self.entries.iter_mut().find(|(k, _)| k == key) {
            slot.1 = value;
            return Ok(());
        }
        self.try_reserve(1)?;
        self.entries.push((key.to_vec(), value));
        Ok(())
    }

    /// The integer at `key` (direct values only).
    pub fn int(&self, key: &[u8]) -> Option<i64> {
        self.get(key).and_then(Object::as_int)
    }

    /// The name at `key` (direct values only).
    pub fn name(&self, key: &[u8]) -> Option<&[u8]> {
        self.get(key).and_then(Object::as_name)
    }
}

/// A stream: its dictionary and where its raw (still encrypted and encoded) bytes lie in
/// the document. The bytes stay in the input; `Document::stream_data` decodes them.
#[derive(Clone, Debug, PartialEq)]
pub struct Stream {
    pub dict: Dict,
    /// Byte range of the raw data in the document's input.
    pub start: usize,
    pub end: usize,
    /// The indirect object holding the stream: its number and generation key the
    /// decryption. `None` for streams that are never encrypted (cross-reference streams).
    pub owner: Option<Ref>,
}

impl Object {
    pub fn as_int(&self) -> Option<i64> {
        match *self {
            Object::Int(i) => Some(i),
            // Writers put "612.0" where an integer belongs; viewers accept it.
            Object::Real(r) if r.is_finite() && r >= i64::MIN as f64 && r <= i64::MAX as f64 => Some(r as i64),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Object::Int(i) => Some(i as f64),
            Object::Real(r) => Some(r),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Object::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_name(&self) -> Option<&[u8]> {
        match self {
            Object::Name(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&[u8]> {
        match self {
            Object::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Object]> {
        match self {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }

    /// A dictionary, or a stream's dictionary.
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    pub fn as_stream(&self) -> Option<&Stream> {
        match self {
            Object::Stream(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_ref(&self) -> Option<Ref> {
        match *self {
            Object::Ref(r) => Some(r),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Object::Null)
    }
}
