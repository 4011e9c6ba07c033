//! The standard security handler's view of a document: reads the /Encrypt dictionary into
//! the parameters `crate::pdf::crypt` needs, opens it with the configured password (else
//! the empty one), and decrypts strings and streams with each object's own key.

use crate::error::{Code, Error, Result};
use crate::pdf::crypt::{Decryptor, EncryptParams, Method};
use crate::pdf::document::Document;
use crate::pdf::object::{Dict, Object, Ref};
use alloc::vec::Vec;

pub struct Security {
    decryptor: Decryptor,
    encrypt_metadata: bool,
    /// The /Encrypt dictionary's own object: its strings are never encrypted.
    pub encrypt_ref: Option<Ref>,
}

impl Security {
    pub fn open(doc: &Document, encrypt: &Object, password: &[u8]) -> Result<Security> {
        let dict = match doc.resolve(encrypt)? {
            Object::Dict(d) => d,
            _ => return Err(Error::new(Code::Corrupt, "pdf: the /Encrypt entry is not a dictionary")),
        };
        if dict.name(b"Filter").is_some_and(|f| f != b"Standard") {
            return Err(Error::new(Code::Unsupported, "pdf: encrypted with a security handler other than Standard"));
        }
        let num = |k: &[u8], default: i64| -> Result<i64> {
            Ok(match dict.get(k) {
                Some(o) => doc.resolve(o)?.as_int().unwrap_or(default),
                None => default,
            })
        };
        let v = num(b"V", 0)?;
        let r = num(b"R", 2)?;
        let length_bits = num(b"Length", 40)?;
        let p = num(b"P", 0)? as i32;
        let encrypt_metadata = dict.get(b"EncryptMetadata").and_then(Object::as_bool).unwrap_or(true);
        let strings = |k: &[u8]| -> Result<Vec<u8>> {
            Ok(match dict.get(k) {
                Some(o) => match doc.resolve(o)? {
                    Object::Str(s) => s,
                    _ => Vec::new(),
                },
                None => Vec::new(),
            })
        };
        let (o, u, oe, ue, perms) =
            (strings(b"O")?, strings(b"U")?, strings(b"OE")?, strings(b"UE")?, strings(b"Perms")?);
        let id0 = match doc.trailer().get(b"ID") {
            Some(id) => match doc.resolve(id)? {
                Object::Array(a) => a.first().and_then(Object::as_str).map(<[u8]>::to_vec).unwrap_or_default(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        let (stream_method, string_method) = if v >= 4 {
            (crypt_filter(&dict, b"StmF"), crypt_filter(&dict, b"StrF"))
        } else {
            (Method::Rc4, Method::Rc4)
        };
        let params = EncryptParams {
            v,
            r,
            length_bits,
            o: &o,
            u: &u,
            oe: &oe,
            ue: &ue,
            perms: &perms,
            p,
            encrypt_metadata,
            stream_method,
            string_method,
            id0: &id0,
        };
        let decryptor = match Decryptor::new(&params, password) {
            Ok(d) => d,
            // The configured password failed: documents often open with the empty one.
            Err(e) if !password.is_empty() && e.code() == Code::PasswordRequired => Decryptor::new(&params, b"")?,
            Err(e) => return Err(e),
        };
        Ok(Security { decryptor, encrypt_metadata, encrypt_ref: encrypt.as_ref() })
    }

    /// Whether a stream with this dictionary is encrypted: all are, except the XMP metadata
    /// when /EncryptMetadata is false.
    pub fn applies_to(&self, dict: &Dict) -> bool {
        self.encrypt_metadata || dict.name(b"Type") != Some(b"Metadata")
    }

    pub fn decrypt_stream(&self, owner: Ref, data: &[u8]) -> Result<Vec<u8>> {
        self.decryptor.decrypt_stream(owner.num, owner.gen, data)
    }

    /// Decrypts every string inside an object read from the file (objects inside object
    /// streams are not decrypted again: their stream was).
    pub fn decrypt_strings(&self, obj: &mut Object, owner: Ref, depth: u32) -> Result<()> {
        if depth == 0 {
            return Ok(());
        }
        match obj {
            Object::Str(s) => *s = self.decryptor.decrypt_string(owner.num, owner.gen, s)?,
            Object::Array(a) => {
                for o in a {
                    self.decrypt_strings(o, owner, depth - 1)?;
                }
            }
            Object::Dict(d) => self.decrypt_dict(d, owner, depth)?,
            Object::Stream(s) => self.decrypt_dict(&mut s.dict, owner, depth)?,
            _ => {}
        }
        Ok(())
    }

    fn decrypt_dict(&self, d: &mut Dict, owner: Ref, depth: u32) -> Result<()> {
        for (_, v) in d.iter_mut() {
            self.decrypt_strings(v, owner, depth - 1)?;
        }
        Ok(())
    }
}

/// The method of the crypt filter named by `key` (/StmF, /StrF) in /CF.
fn crypt_filter(dict: &Dict, key: &[u8]) -> Method {
    let Some(name) = dict.name(key) else { return Method::None };
    if name == b"Identity" {
        return Method::None;
    }
    let cfm = dict.get(b"CF").and_then(Object::as_dict).and_then(|cf| cf.get(name)).and_then(Object::as_dict);
    match cfm.and_then(|f| f.name(b"CFM")) {
        Some(b"V2") => Method::Rc4,
        Some(b"AESV2") => Method::Aes128,
        Some(b"AESV3") => Method::Aes256,
        _ => Method::None,
    }
}
