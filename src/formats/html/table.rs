//! Tables: cells collected while the table is open, then laid out on a grid with their
//! column and row spans spread, as the HTML table model does.

use crate::error::{oom, Result};
use alloc::string::String;
use alloc::vec::Vec;

/// Spans are capped as browsers cap them (colspan 1000; rowspan 65534, and a row span never
/// reaches past the table's last row).
pub const MAX_COLSPAN: u32 = 1000;
pub const MAX_ROWSPAN: u32 = 65534;

/// One cell of an open table, or (with `colspan` 0) the start of a row. Cell text is kept
/// in one buffer per table: a cell's text runs from its `start` to the next entry's.
pub struct Cell {
    pub start: usize,
    pub colspan: u16,
    pub rowspan: u16,
}

/// The leading decimal number of an attribute value (after white space), saturating; 0 if
/// there is none.
pub fn number(value: Option<&[u8]>) -> u32 {
    let mut n: u32 = 0;
    for &b in value.unwrap_or(b"").trim_ascii_start() {
        if !b.is_ascii_digit() {
            break;
        }
        n = n.saturating_mul(10).saturating_add((b - b'0') as u32);
    }
    n
}

/// Takes one slot from `budget`; false (and `spread` cleared) when it is spent.
fn take(budget: &mut usize, spread: &mut bool) -> bool {
    *spread &= *budget > 0;
    *budget = budget.saturating_sub(1);
    *spread
}

/// Lays the cells out on a grid: a cell's text goes to its top-left slot and the other
/// slots it spans stay empty, so the text appears once. Rows are as wide as their last
/// occupied slot (the Markdown renderer pads them); rows without cells are dropped. Cells
/// before the first row marker form a row of their own. The empty slots spans add are the
/// only ones not paid for by the document's own bytes, so they draw on `budget`
/// (`max_objects`): once it is spent, spans are no longer spread (every cell still keeps its
/// text) and the second value is false.
pub fn layout(cells: &[Cell], text: &str, budget: &mut usize) -> Result<(Vec<Vec<String>>, bool)> {
    let mut grid: Vec<Vec<String>> = Vec::new();
    // Rows each column is still covered for by a row span from above.
    let mut carried: Vec<u16> = Vec::new();
    let mut spread = true;
    // Memory ran out: checked once at the end, so there is one way out.
    let mut ok = true;
    // Rows from the current one to the end of the table.
    let mut left = 1 + cells.iter().filter(|c| c.colspan == 0).count();
    let mut out: Vec<String> = Vec::new();
    // One step past the last cell ends the last row.
    for k in 0..=cells.len() {
        let Some(cell) = cells.get(k).filter(|c| c.colspan > 0) else {
            // Row spans from above that reach past this row's last cell.
            let covered = carried.iter().rposition(|&c| c > 0).map_or(0, |c| c + 1);
            while out.len() < covered && take(budget, &mut spread) {
                ok &= push(&mut out, "");
            }
            for c in carried.iter_mut() {
                *c = c.saturating_sub(1);
            }
            if !out.is_empty() {
                ok &= grid.try_reserve(1).is_ok();
                if ok {
                    grid.push(core::mem::take(&mut out));
                }
            }
            left -= 1;
            continue;
        };
        while carried.get(out.len()).is_some_and(|&c| c > 0) && take(budget, &mut spread) {
            ok &= push(&mut out, "");
        }
        let end = cells.get(k + 1).map_or(text.len(), |c| c.start);
        let mut own = text.get(cell.start..end).unwrap_or("");
        let rows_left = cell.rowspan.min(left.min(u16::MAX as usize) as u16);
        for i in 0..cell.colspan {
            if i > 0 && !take(budget, &mut spread) {
                break;
            }
            let col = out.len();
            ok &= push(&mut out, core::mem::take(&mut own));
            // Columns are added one at a time, so `col` is at most one past the end.
            match carried.get_mut(col) {
                Some(c) => *c = rows_left,
                None => carried.push(rows_left),
            }
        }
    }
    if !ok {
        return Err(oom());
    }
    Ok((grid, spread))
}

/// Appends a slot with `text` to a row; false if memory ran out.
fn push(row: &mut Vec<String>, text: &str) -> bool {
    let mut s = String::new();
    let ok = row.try_reserve(1).is_ok() && s.try_reserve(text.len()).is_ok();
    if ok {
        s.push_str(text);
        row.push(s);
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of (text, colspan, rowspan) as the cells and text buffer of an open table.
    fn table(rows: &[&[(&str, u16, u16)]]) -> (Vec<Cell>, String) {
        let (mut cells, mut text) = (Vec::new(), String::new());
        for row in rows {
            cells.push(Cell { start: text.len(), colspan: 0, rowspan: 0 });
            for &(t, colspan, rowspan) in row.iter() {
                cells.push(Cell { start: text.len(), colspan, rowspan });
                text.push_str(t);
            }
        }
        (cells, text)
    }

    #[test]
    fn spans_spread() {
        let (cells, text) = table(&[
            &[("Region", 1, 2), ("Sales", 2, 1), ("Total", 1, 2)],
            &[("Q1", 1, 1), ("Q2", 1, 1)],
            &[],
            &[("USA", 1, 1), ("1", 1, 1), ("2", 1, 1), ("3", 1, 1)],
            &[("tall", 1, 9)],
        ]);
        let mut budget = 100;
        let (g, spread) = layout(&cells, &text, &mut budget).unwrap();
        assert_eq!(
            g,
            [vec!["Region", "Sales", "", "Total"], vec!["", "Q1", "Q2", ""], vec!["USA", "1", "2", "3"], vec!["tall"]]
        );
        assert!(spread);
        assert_eq!(budget, 100 - 3);
    }

    #[test]
    fn spans_are_capped_and_budgeted() {
        assert_eq!(number(Some(b" 3x")), 3);
        assert_eq!(number(Some(b"x")), 0);
        assert_eq!(number(Some(b"99999999999999999999999")), u32::MAX);
        assert_eq!(number(None), 0);
        let mut budget = 10;
        let (cells, text) = table(&[&[("wide", 1000, 1), ("next", 1, 1)]]);
        let (g, spread) = layout(&cells, &text, &mut budget).unwrap();
        assert!(!spread);
        assert_eq!(g[0].len(), 12);
        assert_eq!(g[0][11], "next");
        assert_eq!(budget, 0);
    }
}
