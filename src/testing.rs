//! Helpers shared by the unit tests (some builds compile none of the formats that use them).
#![allow(dead_code)]

/// xorshift64: seeded, reproducible random input for the "never panics" tests of the parsers.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
}
