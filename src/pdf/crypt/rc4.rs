//! RC4, the stream cipher of security handler revisions 2 to 4 (and of crypt filters with
//! CFM /V2).

pub struct Rc4 {
    s: [u8; 256],
    i: u8,
    j: u8,
}

impl Rc4 {
    /// Key schedule; an empty key acts as a single zero byte rather than dividing by zero.
    pub fn new(key: &[u8]) -> Rc4 {
        let key = if key.is_empty() { &[0u8][..] } else { key };
        let mut s = [0u8; 256];
        for (i, v) in s.iter_mut().enumerate() {
            *v = i as u8;
        }
        let mut j = 0u8;
        for i in 0..256 {
            j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
            s.swap(i, usize::from(j));
        }
        Rc4 { s, i: 0, j: 0 }
    }

    /// XORs the keystream into `data` (encryption and decryption are the same).
    pub fn apply(&mut self, data: &mut [u8]) {
        for b in data {
            self.i = self.i.wrapping_add(1);
            self.j = self.j.wrapping_add(self.s[usize::from(self.i)]);
            self.s.swap(usize::from(self.i), usize::from(self.j));
            let k = self.s[usize::from(self.s[usize::from(self.i)].wrapping_add(self.s[usize::from(self.j)]))];
            *b ^= k;
        }
    }
}

/// `data` encrypted (or decrypted) with `key`, in place.
pub fn rc4(key: &[u8], data: &mut [u8]) {
    Rc4::new(key).apply(data);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        // The classic vectors (Wikipedia / the original cypherpunks post).
        for (key, plain, cipher) in [
            (&b"Key"[..], &b"Plaintext"[..], &[0xBB, 0xF3, 0x16, 0xE8, 0xD9, 0x40, 0xAF, 0x0A, 0xD3][..]),
            (b"Wiki", b"pedia", &[0x10, 0x21, 0xBF, 0x04, 0x20]),
            (
                b"Secret",
                b"Attack at dawn",
                &[0x45, 0xA0, 0x1F, 0x64, 0x5F, 0xC3, 0x5B, 0x38, 0x35, 0x52, 0x54, 0x4B, 0x9B, 0xF5],
            ),
        ] {
            let mut data = plain.to_vec();
            rc4(key, &mut data);
            assert_eq!(data, cipher);
            rc4(key, &mut data);
            assert_eq!(data, plain);
        }
    }

    #[test]
    fn rfc6229_40_bit_key() {
        // RFC 6229, key 0x0102030405, keystream offsets 0 and 16.
        let mut data = [0u8; 32];
        rc4(&[1, 2, 3, 4, 5], &mut data);
        assert_eq!(
            data[..16],
            [0xb2, 0x39, 0x63, 0x05, 0xf0, 0x3d, 0xc0, 0x27, 0xcc, 0xc3, 0x52, 0x4a, 0x0a, 0x11, 0x18, 0xa8]
        );
        assert_eq!(
            data[16..],
            [0x69, 0x82, 0x94, 0x4f, 0x18, 0xfc, 0x82, 0xd5, 0x89, 0xc4, 0x03, 0xa4, 0x7a, 0x0d, 0x09, 0x19]
        );
    }
}
