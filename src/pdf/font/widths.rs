//! Glyph widths of CID fonts: the `/W` array in both of its forms and `/DW`.

use crate::config::Config;
use crate::error::{limit, oom, Result};
use crate::pdf::document::Document;
use crate::pdf::object::{Dict, Object};
use alloc::vec::Vec;

/// Widths by CID in 1/1000 em: ranges sorted by first CID.
#[derive(Debug)]
pub struct CidWidths {
    ranges: Vec<(u32, u32, f32)>,
    default: f32,
}

impl Default for CidWidths {
    fn default() -> CidWidths {
        CidWidths { ranges: Vec::new(), default: 1000.0 }
    }
}

impl CidWidths {
    pub fn load(doc: &Document, font: &Dict, cfg: &Config) -> Result<CidWidths> {
        let default = match font.get(b"DW") {
            Some(o) => doc.resolve(o)?.as_f64().unwrap_or(1000.0),
            None => 1000.0,
        };
        let w = match font.get(b"W") {
            Some(o) => doc.resolve(o)?,
            None => Object::Null,
        };
        let items = w.as_array().unwrap_or(&[]);
        // Inner arrays may be references.
        let mut resolved: Vec<Object> = Vec::new();
        resolved.try_reserve(items.len()).map_err(|_| oom())?;
        for o in items {
            resolved.push(match o {
                Object::Ref(_) => doc.resolve(o)?,
                _ => o.clone(),
            });
        }
        let mut widths = parse(&resolved, cfg.max_objects as usize)?;
        widths.default = default as f32;
        Ok(widths)
    }

    /// The width `W` gives a CID, None where the default applies.
    pub fn explicit(&self, cid: u32) -> Option<f64> {
        let i = self.ranges.partition_point(|r| r.0 <= cid).checked_sub(1)?;
        let &(first, last, w) = self.ranges.get(i)?;
        (cid >= first && cid <= last).then_some(w as f64)
    }

    /// Width of a CID (or of an unknown CID: the default).
    pub fn get(&self, cid: Option<u32>) -> f64 {
        let Some(cid) = cid else { return self.default as f64 };
        let i = self.ranges.partition_point(|r| r.0 <= cid);
        match i.checked_sub(1).and_then(|i| self.ranges.get(i)) {
            Some(&(first, last, w)) if cid >= first && cid <= last => w as f64,
            _ => self.default as f64,
        }
    }
}

/// Reads `[c [w1 w2 …]  cfirst clast w …]`; malformed entries are skipped.
pub fn parse(items: &[Object], max_entries: usize) -> Result<CidWidths> {
    let mut ranges: Vec<(u32, u32, f32)> = Vec::new();
    let mut i = 0;
    while let Some(first) = items.get(i) {
        let Some(c) = first.as_int().and_then(|c| u32::try_from(c).ok()) else {
            i += 1;
            continue;
        };
        match (items.get(i + 1), items.get(i + 2)) {
            (Some(Object::Array(list)), _) => {
                for (k, w) in list.iter().enumerate() {
                    let (Some(w), Ok(k)) = (w.as_f64(), u32::try_from(k)) else { continue };
                    let cid = c.saturating_add(k);
                    add(&mut ranges, (cid, cid, w as f32), max_entries)?;
                }
                i += 2;
            }
            (Some(last), Some(w)) => {
                if let (Some(last), Some(w)) = (last.as_int().and_then(|l| u32::try_from(l).ok()), w.as_f64()) {
                    if last >= c {
                        add(&mut ranges, (c, last, w as f32), max_entries)?;
                    }
                }
                i += 3;
            }
            _ => break,
        }
    }
    crate::sort::sort_by_key(&mut ranges, |r| r.0)?;
    Ok(CidWidths { ranges, default: 1000.0 })
}

fn add(ranges: &mut Vec<(u32, u32, f32)>, r: (u32, u32, f32), max: usize) -> Result<()> {
    if ranges.len() >= max {
        return Err(limit("pdf: font width array longer than max_objects"));
    }
    ranges.try_reserve(1).map_err(|_| oom())?;
    ranges.push(r);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn both_forms() {
        let items = vec![
            Object::Int(1),
            Object::Array(vec![Object::Int(500), Object::Real(250.5)]),
            Object::Int(10),
            Object::Int(20),
            Object::Int(700),
        ];
        let w = parse(&items, 100).unwrap();
        assert_eq!(w.get(Some(1)), 500.0);
        assert_eq!(w.get(Some(2)), 250.5);
        assert_eq!(w.get(Some(3)), 1000.0);
        assert_eq!(w.get(Some(10)), 700.0);
        assert_eq!(w.get(Some(20)), 700.0);
        assert_eq!(w.get(Some(21)), 1000.0);
        assert_eq!(w.get(None), 1000.0);
    }

    #[test]
    fn malformed_entries_are_skipped_and_size_is_bounded() {
        let items = vec![Object::Name(b"x".to_vec()), Object::Int(5), Object::Int(3), Object::Int(9), Object::Int(7)];
        let w = parse(&items, 100).unwrap();
        assert_eq!(w.get(Some(5)), 1000.0);
        let big = vec![Object::Int(0), Object::Array(vec![Object::Int(1); 50])];
        assert!(parse(&big, 10).is_err());
    }
}
