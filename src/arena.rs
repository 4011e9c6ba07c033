//! The per-document scratch arena: byte buffers that documents borrow while they are open
//! and give back when they close. Reusing them keeps steady-state extraction free of
//! allocator churn; `reset` releases them all so the live heap returns to its baseline.

use alloc::vec::Vec;

/// Buffers larger than this are freed on return instead of kept: one huge document must not
/// pin its peak footprint for the rest of the instance's life.
const KEEP_MAX: usize = 4 << 20;
/// How many buffers are kept: a stream uses two at most (records and JSON).
const SLOTS: usize = 4;

pub struct Arena {
    /// Kept buffers; an empty slot holds a Vec with no capacity. A fixed array costs less
    /// code than a growable list of buffers.
    slots: [Vec<u8>; SLOTS],
}

impl Arena {
    pub const fn new() -> Arena {
        Arena { slots: [Vec::new(), Vec::new(), Vec::new(), Vec::new()] }
    }

    pub fn take(&mut self) -> Vec<u8> {
        match self.slots.iter_mut().find(|b| b.capacity() > 0) {
            Some(b) => core::mem::take(b),
            None => Vec::new(),
        }
    }

    pub fn give(&mut self, mut buf: Vec<u8>) {
        if buf.capacity() > KEEP_MAX {
            return;
        }
        if let Some(slot) = self.slots.iter_mut().find(|b| b.capacity() == 0) {
            buf.clear();
            *slot = buf;
        }
    }

    /// Releases every kept buffer.
    pub fn reset(&mut self) {
        self.slots = Arena::new().slots;
    }

    /// Bytes currently kept for reuse.
    pub fn retained(&self) -> usize {
        self.slots.iter().map(|b| b.capacity()).sum()
    }
}

impl Default for Arena {
    fn default() -> Arena {
        Arena::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_and_releases() {
        let mut a = Arena::new();
        let mut b = a.take();
        b.extend_from_slice(&[1u8; 1000]);
        let cap = b.capacity();
        a.give(b);
        assert_eq!(a.retained(), cap);
        let b = a.take();
        assert!(b.is_empty() && b.capacity() == cap);
        a.give(b);
        a.give(Vec::with_capacity(KEEP_MAX + 1));
        assert_eq!(a.retained(), cap);
        a.reset();
        assert_eq!(a.retained(), 0);
    }
}
