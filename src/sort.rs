//! One stable sort for the whole module. `slice::sort_by` is monomorphised for every element
//! type and comparator, about 1.5 KB of wasm each (the PDF layout alone had 30 KB of them);
//! here the algorithm is compiled once, over `u32` indices with a `dyn` comparator, and only
//! the few lines that set it up and apply the resulting permutation are generic.
//!
//! Bottom-up merge sort: O(n log n) comparisons, stable, no recursion, one index buffer; the
//! memory it needs is reserved fallibly, so a huge slice is OUT_OF_MEMORY, not a trap.

use crate::error::{oom, Result};
use alloc::vec::Vec;
use core::cmp::Ordering;

/// Sorts `v` stably by `cmp`, like `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) -> Result<()> {
    let n = v.len();
    if n < 2 {
        return Ok(());
    }
    let Ok(len) = u32::try_from(n) else {
        return Err(oom());
    };
    let mut order: Vec<u32> = Vec::new();
    order.try_reserve_exact(n).map_err(|_| oom())?;
    order.extend(0..len);
    {
        let items = &*v;
        let mut after = |a: u32, b: u32| match (items.get(a as usize), items.get(b as usize)) {
            (Some(x), Some(y)) => cmp(x, y) == Ordering::Greater,
            _ => false,
        };
        merge_sort(&mut order, &mut after)?;
    }
    permute(v, &mut order);
    Ok(())
}

/// `sort_by` comparing by a key, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) -> Result<()> {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// Sorts indices so that `after(a, b)` never holds for a before b; equal elements keep their
/// order (a run's element is taken first unless the other run's is strictly smaller).
fn merge_sort(order: &mut [u32], after: &mut dyn FnMut(u32, u32) -> bool) -> Result<()> {
    let n = order.len();
    let mut buf: Vec<u32> = Vec::new();
    buf.try_reserve_exact(n).map_err(|_| oom())?;
    buf.resize(n, 0);
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in buf.get_mut(start..end).unwrap_or(&mut []) {
                let take_left = match (order.get(i), order.get(j)) {
                    (Some(&l), Some(&r)) if i < mid && j < end => !after(l, r),
                    _ => i < mid,
                };
                if take_left {
                    *slot = order.get(i).copied().unwrap_or(0);
                    i += 1;
                } else {
                    *slot = order.get(j).copied().unwrap_or(0);
                    j += 1;
                }
            }
            start = end;
        }
        order.copy_from_slice(&buf);
        width *= 2;
    }
    Ok(())
}

/// Rearranges `v` so that position k holds what was at `order[k]`, following each cycle of
/// the permutation with swaps (`order` is used up as the visited marks).
fn permute<T>(v: &mut [T], order: &mut [u32]) {
    for start in 0..order.len() {
        let mut cur = start;
        while let Some(next) = order.get(cur).map(|&n| n as usize) {
            if let Some(o) = order.get_mut(cur) {
                *o = cur as u32;
            }
            if next == start || next == cur {
                break;
            }
            v.swap(cur, next);
            cur = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Rng;

    #[test]
    fn matches_the_standard_stable_sort() {
        let mut rng = Rng::new(7);
        for n in [0usize, 1, 2, 3, 5, 16, 17, 100, 1000] {
            let v: Vec<(u8, u32)> = (0..n as u32).map(|i| ((rng.next() % 7) as u8, i)).collect();
            let mut ours = v.clone();
            let mut std = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0)).unwrap();
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "n = {n}");
            let mut desc = v.clone();
            sort_by_key(&mut desc, |x| core::cmp::Reverse(x.0)).unwrap();
            let mut std_desc = v;
            std_desc.sort_by_key(|x| core::cmp::Reverse(x.0));
            assert_eq!(desc, std_desc);
        }
    }

    #[test]
    fn floats_with_total_order() {
        let mut v = [3.5f64, -1.0, f64::NAN, 0.0, -0.0, 2.25];
        sort_by(&mut v, |a, b| a.total_cmp(b)).unwrap();
        assert_eq!(&v[..2], &[-1.0, -0.0]);
        assert!(v[5].is_nan());
    }
}
