//! The memory blocks the host owns: every `alloc` the host made and has not freed, and how
//! many open streams borrow each. Pointers the host passes are accepted only inside a live
//! block, so a host can never make the module read its own heap or a freed block.

use crate::error::Code;
use alloc::vec::Vec;

/// At most this many host blocks live at once; `alloc` fails beyond it.
pub const MAX_BLOCKS: usize = 1 << 16;
/// The largest block `alloc` hands out: larger than any document pith accepts.
pub const MAX_BLOCK_LEN: usize = 1 << 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Block {
    ptr: usize,
    len: usize,
    pins: u32,
}

/// Live blocks, sorted by address (blocks never overlap, the allocator guarantees it).
#[derive(Default)]
pub struct Blocks {
    list: Vec<Block>,
}

impl Blocks {
    pub const fn new() -> Blocks {
        Blocks { list: Vec::new() }
    }

    /// Makes room for one more block, so `insert` after a successful allocation cannot fail.
    pub fn reserve_one(&mut self) -> bool {
        self.list.len() < MAX_BLOCKS && self.list.try_reserve(1).is_ok()
    }

    pub fn insert(&mut self, ptr: usize, len: usize) {
        let at = self.list.partition_point(|b| b.ptr < ptr);
        self.list.insert(at, Block { ptr, len, pins: 0 });
    }

    fn find(&self, ptr: usize) -> Option<usize> {
        self.list.binary_search_by(|b| b.ptr.cmp(&ptr)).ok()
    }

    /// Forgets the block `(ptr, len)`, exactly as allocated, unless a stream borrows it.
    pub fn remove(&mut self, ptr: usize, len: usize) -> Result<(), Code> {
        let i = self.find(ptr).filter(|&i| self.list.get(i).is_some_and(|b| b.len == len));
        let i = i.ok_or(Code::BadPointer)?;
        if self.list.get(i).is_some_and(|b| b.pins > 0) {
            return Err(Code::InUse);
        }
        self.list.remove(i);
        Ok(())
    }

    /// The block that wholly contains `[ptr, ptr + len)`, by its address.
    pub fn containing(&self, ptr: usize, len: usize) -> Option<usize> {
        let end = ptr.checked_add(len)?;
        let i = self.list.partition_point(|b| b.ptr <= ptr).checked_sub(1)?;
        let b = self.list.get(i)?;
        (end <= b.ptr.checked_add(b.len)?).then_some(b.ptr)
    }

    pub fn pin(&mut self, block: usize) {
        if let Some(b) = self.find(block).and_then(|i| self.list.get_mut(i)) {
            b.pins = b.pins.saturating_add(1);
        }
    }

    pub fn unpin(&mut self, block: usize) {
        if let Some(b) = self.find(block).and_then(|i| self.list.get_mut(i)) {
            b.pins = b.pins.saturating_sub(1);
        }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment_and_pins() {
        let mut b = Blocks::new();
        for (p, l) in [(100, 10), (200, 50), (120, 5)] {
            assert!(b.reserve_one());
            b.insert(p, l);
        }
        assert_eq!(b.containing(200, 50), Some(200));
        assert_eq!(b.containing(210, 40), Some(200));
        assert_eq!(b.containing(210, 41), None);
        assert_eq!(b.containing(110, 1), None);
        assert_eq!(b.containing(99, 2), None);
        assert_eq!(b.containing(usize::MAX, 2), None);
        assert_eq!(b.containing(120, 0), Some(120));
        b.pin(200);
        assert_eq!(b.remove(200, 50), Err(Code::InUse));
        b.unpin(200);
        assert_eq!(b.remove(200, 49), Err(Code::BadPointer));
        assert_eq!(b.remove(201, 50), Err(Code::BadPointer));
        assert_eq!(b.remove(200, 50), Ok(()));
        assert_eq!(b.remove(200, 50), Err(Code::BadPointer));
        assert_eq!(b.len(), 2);
    }
}
