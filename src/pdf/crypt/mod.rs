//! The standard security handler (ISO 32000-2 7.6.4): the file key from a password, and the
//! decryption of strings and streams with RC4 or AES. The ciphers and hashes are written
//! here, small and dependency-free; none of them is used to protect anything, only to read.

mod aes;
mod md5;
mod rc4;
mod sha2;

use crate::error::{corrupt, oom, Code, Error, Result};
use aes::{Aes, Table};
use alloc::vec::Vec;
use md5::{md5, Md5};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Method {
    None,
    Rc4,
    Aes128,
    Aes256,
}

/// The /Encrypt dictionary's entries as the object layer read them (strings as bytes, empty
/// when absent), and the first string of the trailer's /ID.
pub struct EncryptParams<'p> {
    pub v: i64,
    pub r: i64,
    pub length_bits: i64,
    pub o: &'p [u8],
    pub u: &'p [u8],
    pub oe: &'p [u8],
    pub ue: &'p [u8],
    pub perms: &'p [u8],
    pub p: i32,
    pub encrypt_metadata: bool,
    pub stream_method: Method,
    pub string_method: Method,
    pub id0: &'p [u8],
}

/// The padding string of Algorithm 2, which also fills short passwords.
const PAD: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08, 0x2E, 0x2E, 0x00,
    0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];

#[derive(Debug)]
pub struct Decryptor {
    key: [u8; 32],
    key_len: usize,
    stream_method: Method,
    string_method: Method,
    aes_table: Table,
}

impl Decryptor {
    /// Standard security handler revisions 2–6 (RC4 40–128 bit, AES-128 (V4 CFM AESV2),
    /// AES-256 (V5 R5, and R6 with the ISO 32000-2 hash)). Tries `password` as the user
    /// password, then as the owner password (R2–4: the user password recovered from O;
    /// R5/6: the OE path), and last the empty user password, so that a password given for a
    /// document that needs none does no harm. Neither opens: PASSWORD_REQUIRED.
    pub fn new(p: &EncryptParams, password: &[u8]) -> Result<Decryptor> {
        let aes_table = Table::decrypt();
        let (key, key_len) = match p.r {
            2..=4 => {
                let n = key_bytes(p);
                let key = legacy_user(p, password, n)
                    .or_else(|| legacy_owner(p, password, n))
                    .or_else(|| legacy_user(p, b"", n))
                    .ok_or_else(password_required)?;
                (key, n)
            }
            5 | 6 => {
                let key = modern(p, password, false, &aes_table)
                    .or_else(|| modern(p, password, true, &aes_table))
                    .or_else(|| modern(p, b"", false, &aes_table))
                    .ok_or_else(password_required)?;
                (key, 32)
            }
            _ => return Err(Error::new(Code::Unsupported, "pdf: unknown security handler revision")),
        };
        Ok(Decryptor { key, key_len, stream_method: p.stream_method, string_method: p.string_method, aes_table })
    }

    pub fn decrypt_stream(&self, num: u32, gen: u16, data: &[u8]) -> Result<Vec<u8>> {
        self.decrypt(self.stream_method, num, gen, data)
    }

    pub fn decrypt_string(&self, num: u32, gen: u16, data: &[u8]) -> Result<Vec<u8>> {
        self.decrypt(self.string_method, num, gen, data)
    }

    /// Algorithm 1: the object key from the file key, num and gen (+ "sAlT" for AES-128);
    /// AES-256 uses the file key itself. AES data starts with its 16-byte IV.
    fn decrypt(&self, method: Method, num: u32, gen: u16, data: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        if method == Method::None {
            out.try_reserve_exact(data.len()).map_err(|_| oom())?;
            out.extend_from_slice(data);
            return Ok(out);
        }
        let file_key = self.key.get(..self.key_len).unwrap_or(&self.key);
        let object_key;
        let key = if method == Method::Aes256 {
            file_key
        } else {
            let (n, g) = (num.to_le_bytes(), gen.to_le_bytes());
            let salt: &[u8] = if method == Method::Aes128 { b"sAlT" } else { b"" };
            object_key = md5(&[file_key, &n[..3], &g, salt]);
            object_key.get(..(self.key_len + 5).min(16)).unwrap_or(&object_key)
        };
        if method == Method::Rc4 {
            out.try_reserve_exact(data.len()).map_err(|_| oom())?;
            out.extend_from_slice(data);
            rc4::rc4(key, &mut out);
            return Ok(out);
        }
        let (Some(iv), Some(body)) = (data.get(..16), data.get(16..)) else { return Ok(out) };
        let aes = Aes::new(key).ok_or_else(|| corrupt("pdf: bad AES key"))?;
        let whole = body.len() - body.len() % 16;
        out.try_reserve_exact(whole).map_err(|_| oom())?;
        out.extend_from_slice(body.get(..whole).unwrap_or(&[]));
        let mut iv16 = [0u8; 16];
        iv16.copy_from_slice(iv);
        aes.cbc_decrypt(&self.aes_table, &iv16, &mut out);
        // PKCS#7: strip only a well-formed pad; a damaged one is kept rather than failing.
        if let Some(&pad) = out.last() {
            let n = usize::from(pad);
            if (1..=16).contains(&n) && n <= out.len() && out.iter().rev().take(n).all(|&b| b == pad) {
                out.truncate(out.len() - n);
            }
        }
        Ok(out)
    }
}

#[cold]
fn password_required() -> Error {
    Error::new(Code::PasswordRequired, "pdf: the document is encrypted and the password does not open it")
}

/// The file key length in bytes for revisions 2–4: 5 for R2 (40-bit RC4), else /Length (bits;
/// a few writers put bytes), 16 for AESV2.
fn key_bytes(p: &EncryptParams) -> usize {
    if p.r == 2 {
        return 5;
    }
    if p.stream_method == Method::Aes128 || p.string_method == Method::Aes128 {
        return 16;
    }
    let n = match p.length_bits {
        0 => 16,
        b @ 1..=16 => b,
        b => b / 8,
    };
    n.clamp(5, 16) as usize
}

fn padded(password: &[u8]) -> [u8; 32] {
    let mut out = PAD;
    let n = password.len().min(32);
    out[..n].copy_from_slice(&password[..n]);
    out[n..].copy_from_slice(&PAD[..32 - n]);
    out
}

/// Algorithm 2: the file key from a user password.
fn legacy_key(p: &EncryptParams, password: &[u8], n: usize) -> [u8; 32] {
    let mut h = Md5::new();
    h.update(&padded(password));
    h.update(p.o.get(..32).unwrap_or(p.o));
    h.update(&p.p.to_le_bytes());
    h.update(p.id0);
    if p.r >= 4 && !p.encrypt_metadata {
        h.update(&[0xFF; 4]);
    }
    let mut digest = h.finish();
    if p.r >= 3 {
        for _ in 0..50 {
            digest = md5(&[&digest[..n]]);
        }
    }
    let mut key = [0u8; 32];
    key[..n].copy_from_slice(&digest[..n]);
    key
}

/// Algorithms 4, 5 and 6: the key if `password` is the user password.
fn legacy_user(p: &EncryptParams, password: &[u8], n: usize) -> Option<[u8; 32]> {
    let key = legacy_key(p, password, n);
    let file_key = &key[..n];
    let check: [u8; 32] = if p.r == 2 {
        let mut d = PAD;
        rc4::rc4(file_key, &mut d);
        d
    } else {
        let mut d = md5(&[&PAD, p.id0]);
        for i in 0..20u8 {
            rc4::rc4(&xor_key(file_key, i)[..n], &mut d);
        }
        let mut full = [0u8; 32];
        full[..16].copy_from_slice(&d);
        full
    };
    let compared = if p.r == 2 { 32 } else { 16 };
    let u = p.u.get(..compared)?;
    (u == &check[..compared]).then_some(key)
}

fn xor_key(key: &[u8], i: u8) -> [u8; 16] {
    let mut out = [0u8; 16];
    for (o, k) in out.iter_mut().zip(key) {
        *o = k ^ i;
    }
    out
}

/// Algorithm 7: the owner password decrypts O into the user password.
fn legacy_owner(p: &EncryptParams, password: &[u8], n: usize) -> Option<[u8; 32]> {
    let mut digest = md5(&[&padded(password)]);
    if p.r >= 3 {
        for _ in 0..50 {
            digest = md5(&[&digest]);
        }
    }
    let mut user = [0u8; 32];
    user.copy_from_slice(p.o.get(..32)?);
    if p.r == 2 {
        rc4::rc4(&digest[..n], &mut user);
    } else {
        for i in (0..20u8).rev() {
            rc4::rc4(&xor_key(&digest[..n], i)[..n], &mut user);
        }
    }
    legacy_user(p, &user, n)
}

/// Algorithms 2.A, 11 and 12 (revisions 5 and 6): the file key from the user (`owner` false)
/// or owner password.
fn modern(p: &EncryptParams, password: &[u8], owner: bool, td: &Table) -> Option<[u8; 32]> {
    let password = password.get(..127).unwrap_or(password);
    let u = p.u.get(..48)?;
    let (hash, validation, key_salt, udata, wrapped) = if owner {
        let o = p.o.get(..48)?;
        (o.get(..32)?, o.get(32..40)?, o.get(40..48)?, u, p.oe)
    } else {
        (u.get(..32)?, u.get(32..40)?, u.get(40..48)?, &[][..], p.ue)
    };
    if hash_r56(p.r, password, validation, udata).ok()? != *hash {
        return None;
    }
    let intermediate = hash_r56(p.r, password, key_salt, udata).ok()?;
    let mut key = [0u8; 32];
    key.copy_from_slice(wrapped.get(..32)?);
    Aes::new(&intermediate)?.cbc_decrypt(td, &[0; 16], &mut key);
    Some(key)
}

/// Revision 5: SHA-256 of password, salt and user data. Revision 6: Algorithm 2.B, rounds of
/// AES-128-CBC and SHA-2 until the last byte of the round's output allows stopping.
fn hash_r56(r: i64, password: &[u8], salt: &[u8], udata: &[u8]) -> Result<[u8; 32]> {
    let mut k = [0u8; 64];
    k[..32].copy_from_slice(&sha2::sha256(&[password, salt, udata]));
    if r == 5 {
        let mut out = [0u8; 32];
        out.copy_from_slice(&k[..32]);
        return Ok(out);
    }
    let te = Table::encrypt();
    let mut k_len = 32;
    let mut e = Vec::new();
    let mut round = 0u32;
    loop {
        let k1_len = password.len() + k_len + udata.len();
        e.clear();
        e.try_reserve(k1_len * 64).map_err(|_| oom())?;
        for _ in 0..64 {
            e.extend_from_slice(password);
            e.extend_from_slice(&k[..k_len]);
            e.extend_from_slice(udata);
        }
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&k[16..32]);
        let aes = Aes::new(&k[..16]).ok_or_else(|| corrupt("pdf: bad AES key"))?;
        aes.cbc_encrypt(&te, &iv, &mut e);
        let selector = e.iter().take(16).map(|&b| u32::from(b)).sum::<u32>() % 3;
        match selector {
            0 => {
                k[..32].copy_from_slice(&sha2::sha256(&[&e]));
                k_len = 32;
            }
            1 => {
                k[..48].copy_from_slice(&sha2::sha384(&[&e]));
                k_len = 48;
            }
            _ => {
                k = sha2::sha512(&[&e]);
                k_len = 64;
            }
        }
        round += 1;
        let last = u32::from(e.last().copied().unwrap_or(0));
        // The loop ends by round 64 + 256 at the latest, since `last` is at most 255.
        if round >= 64 && last + 32 <= round {
            break;
        }
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(&k[..32]);
    Ok(out)
}

#[cfg(test)]
mod tests;
