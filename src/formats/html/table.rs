//! Tables: cells collected while the table is open, then laid out on a grid with their
//! column and row spans spread, as the HTML table model does.

use crate::error::{oom, Result};
use alloc::string::String;
use alloc::vec::Vec;

/// Spans are capped as browsers cap them (colspan 1000; rowspan 65534, and a row span never
/// reaches past the table's last row).
pub const MAX_COLSPAN: usize = 1000;
pub const MAX_ROWSPAN: usize = 65534;

pub struct Cell {
    pub text: String,
    pub colspan: u16,
    pub rowspan: u16,
}

/// The leading decimal number of an attribute value (after white space), saturating; 0 if
/// there is none.
pub fn number(value: Option<&[u8]>) -> usize {
    let mut n: usize = 0;
    for &b in value.unwrap_or(b"").trim_ascii_start() {
        if !b.is_ascii_digit() {
            break;
        }
        n = n.saturating_mul(10).saturating_add((b - b'0') as usize);
    }
    n
}

/// Takes one slot from `budget`; false (and `spread` cleared) when it is spent.
fn take(budget: &mut usize, spread: &mut bool) -> bool {
    *spread &= *budget > 0;
    *budget = budget.saturating_sub(1);
    *spread
}

/// Lays the rows out on a grid: a cell's text goes to its top-left slot and the other slots
/// it spans stay empty, so the text appears once. Rows are as wide as their last occupied
/// slot (the Markdown renderer pads them); rows without cells are dropped. The empty slots
/// spans add are the only ones not paid for by the document's own bytes, so they draw on
/// `budget` (`max_objects`): once it is spent, spans are no longer spread (every cell still
/// keeps its text) and the second value is false.
pub fn layout(rows: Vec<Vec<Cell>>, budget: &mut usize) -> Result<(Vec<Vec<String>>, bool)> {
    let mut grid: Vec<Vec<String>> = Vec::new();
    grid.try_reserve(rows.len()).map_err(|_| oom())?;
    // Rows each column is still covered for by a row span from above.
    let mut carried: Vec<u16> = Vec::new();
    let mut spread = true;
    let left = rows.len();
    for (r, row) in rows.into_iter().enumerate() {
        let mut out: Vec<String> = Vec::new();
        out.try_reserve(row.len()).map_err(|_| oom())?;
        for mut cell in row {
            while carried.get(out.len()).is_some_and(|&c| c > 0) && take(budget, &mut spread) {
                out.push(String::new());
            }
            let rows_left = cell.rowspan.min((left - r).min(u16::MAX as usize) as u16);
            for i in 0..cell.colspan {
                if i > 0 && !take(budget, &mut spread) {
                    break;
                }
                let col = out.len();
                out.push(core::mem::take(&mut cell.text));
                // Columns are added one at a time, so `col` is at most one past the end.
                match carried.get_mut(col) {
                    Some(c) => *c = rows_left,
                    None => carried.push(rows_left),
                }
            }
        }
        // Row spans from above that reach past this row's last cell.
        let covered = carried.iter().rposition(|&c| c > 0).map_or(0, |c| c + 1);
        while out.len() < covered && take(budget, &mut spread) {
            out.push(String::new());
        }
        for c in carried.iter_mut() {
            *c = c.saturating_sub(1);
        }
        if !out.is_empty() {
            grid.push(out);
        }
    }
    Ok((grid, spread))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(t: &str, colspan: u16, rowspan: u16) -> Cell {
        Cell { text: t.into(), colspan, rowspan }
    }

    #[test]
    fn spans_spread() {
        let rows = vec![
            vec![cell("Region", 1, 2), cell("Sales", 2, 1), cell("Total", 1, 2)],
            vec![cell("Q1", 1, 1), cell("Q2", 1, 1)],
            vec![],
            vec![cell("USA", 1, 1), cell("1", 1, 1), cell("2", 1, 1), cell("3", 1, 1)],
            vec![cell("tall", 1, 9)],
        ];
        let mut budget = 100;
        let (g, spread) = layout(rows, &mut budget).unwrap();
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
        assert_eq!(number(Some(b"99999999999999999999999")), usize::MAX);
        assert_eq!(number(None), 0);
        let mut budget = 10;
        let (g, spread) = layout(vec![vec![cell("wide", 1000, 1), cell("next", 1, 1)]], &mut budget).unwrap();
        assert!(!spread);
        assert_eq!(g[0].len(), 12);
        assert_eq!(g[0][11], "next");
        assert_eq!(budget, 0);
    }
}
