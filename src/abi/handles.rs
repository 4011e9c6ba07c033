//! Open-stream handles: a small slot table whose handles carry a generation, so a closed or
//! stale handle is recognised as such instead of reaching whatever reuses its slot.

use alloc::vec::Vec;

/// Streams open at once; `extract_ptr` returns LIMIT beyond this.
pub const MAX_OPEN: usize = 64;
const SLOT_BITS: u32 = 7;
const GEN_MAX: u32 = (1 << (31 - SLOT_BITS)) - 1;

struct Slot<T> {
    generation: u32,
    item: Option<T>,
}

pub struct Handles<T> {
    slots: Vec<Slot<T>>,
    open: usize,
}

impl<T> Handles<T> {
    pub const fn new() -> Handles<T> {
        Handles { slots: Vec::new(), open: 0 }
    }

    /// A free slot for `fill`, or None when MAX_OPEN streams are open. Taking the slot
    /// before the item exists means a full table never has to hand a large item back.
    pub fn free_slot(&mut self) -> Option<usize> {
        if let Some(i) = self.slots.iter().position(|s| s.item.is_none()) {
            return Some(i);
        }
        if self.slots.len() >= MAX_OPEN || self.slots.try_reserve(1).is_err() {
            return None;
        }
        self.slots.push(Slot { generation: 0, item: None });
        Some(self.slots.len() - 1)
    }

    /// Stores `item` in a slot from `free_slot` and returns its handle (> 0).
    pub fn fill(&mut self, index: usize, item: T) -> i32 {
        let Some(slot) = self.slots.get_mut(index) else { return 0 };
        slot.generation = if slot.generation >= GEN_MAX { 1 } else { slot.generation + 1 };
        self.open += slot.item.is_none() as usize;
        slot.item = Some(item);
        ((slot.generation << SLOT_BITS) | (index as u32 + 1)) as i32
    }

    fn slot(&mut self, handle: i32) -> Option<&mut Slot<T>> {
        if handle <= 0 {
            return None;
        }
        let h = handle as u32;
        let index = (h & ((1 << SLOT_BITS) - 1)).checked_sub(1)? as usize;
        let slot = self.slots.get_mut(index)?;
        (slot.generation == h >> SLOT_BITS && slot.item.is_some()).then_some(slot)
    }

    pub fn get_mut(&mut self, handle: i32) -> Option<&mut T> {
        self.slot(handle)?.item.as_mut()
    }

    pub fn remove(&mut self, handle: i32) -> Option<T> {
        let item = self.slot(handle)?.item.take();
        self.open -= item.is_some() as usize;
        item
    }

    pub fn is_empty(&self) -> bool {
        self.open == 0
    }
}

impl<T> Default for Handles<T> {
    fn default() -> Self {
        Handles::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_and_foreign_handles_are_refused() {
        let mut h = Handles::new();
        let insert = |h: &mut Handles<&'static str>, v| {
            let i = h.free_slot().unwrap();
            h.fill(i, v)
        };
        let a = insert(&mut h, "a");
        assert!(a > 0);
        assert_eq!(h.remove(a), Some("a"));
        assert!(h.is_empty());
        let b = insert(&mut h, "b");
        assert_ne!(a, b, "a reused slot gets a new generation");
        assert_eq!(h.get_mut(a), None);
        assert_eq!(h.remove(a), None);
        for bad in [0, -1, i32::MAX, b + 1, b ^ (1 << 20)] {
            assert_eq!(h.get_mut(bad), None);
        }
        assert_eq!(h.get_mut(b), Some(&mut "b"));
    }

    #[test]
    fn bounded() {
        let mut h = Handles::new();
        let handles: Vec<i32> = (0..MAX_OPEN)
            .map(|i| {
                let slot = h.free_slot().unwrap();
                h.fill(slot, i)
            })
            .collect();
        assert_eq!(h.free_slot(), None);
        assert_eq!(h.remove(handles[5]), Some(5));
        assert_eq!(h.free_slot(), Some(5));
    }
}
