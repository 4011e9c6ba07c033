//! Tables found in a page's layout, reported as table records beside the text (which keeps
//! them as laid out). A table here is a run of at least three consecutive lines, each split
//! into two or more short fragments by wide gaps, whose fragments line up in columns: the
//! columns are the union of the fragments' horizontal extents over the run. Text columns are
//! not tables: their fragments are whole lines of prose, far longer than cells.

use crate::error::{oom, Result};
use alloc::string::String;
use alloc::vec::Vec;

/// A fragment of one line: its horizontal extent, baseline, font size and text.
pub struct Cell {
    pub x0: f64,
    pub x1: f64,
    pub base: f64,
    pub size: f64,
    pub text: String,
}

/// Lines with fewer rows than this are not a table.
const MIN_ROWS: usize = 3;
/// A fragment longer than this many font sizes is prose, not a cell (median over the run).
const MAX_CELL_EMS: f64 = 12.0;
/// Lines further apart than this many font sizes end a run.
const MAX_ROW_GAP: f64 = 3.0;
/// Tables per page, and columns per table, beyond which the rest is left to the text.
const MAX_TABLES: usize = 16;
const MAX_COLUMNS: usize = 64;

/// The tables among `cells` (any order): rows of cell texts, top to bottom.
pub fn find(mut cells: Vec<Cell>) -> Result<Vec<Vec<Vec<String>>>> {
    crate::sort::sort_by(&mut cells, |a, b| b.base.total_cmp(&a.base).then(a.x0.total_cmp(&b.x0)))?;
    // Lines: fragments whose baselines are within half a font size.
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=cells.len() {
        let split = match (cells.get(i), cells.get(start)) {
            (Some(c), Some(s)) => (s.base - c.base).abs() > 0.5 * s.size.max(c.size),
            _ => true,
        };
        if split {
            lines.try_reserve(1).map_err(|_| oom())?;
            lines.push((start, i));
            start = i;
        }
    }
    let mut tables = Vec::new();
    let mut i = 0;
    while i < lines.len() && tables.len() < MAX_TABLES {
        // A run of multi-fragment lines, close one under the other.
        let mut j = i;
        while let Some(&(s, e)) = lines.get(j) {
            if e - s < 2 {
                break;
            }
            if j > i {
                let (Some(prev), Some(cur)) = (lines.get(j - 1).and_then(|l| cells.get(l.0)), cells.get(s)) else {
                    break;
                };
                if prev.base - cur.base > MAX_ROW_GAP * prev.size.max(cur.size) {
                    break;
                }
            }
            j += 1;
        }
        if j - i >= MIN_ROWS {
            if let Some(t) = table(&cells, lines.get(i..j).unwrap_or(&[]))? {
                tables.try_reserve(1).map_err(|_| oom())?;
                tables.push(t);
            }
        }
        i = j.max(i + 1);
    }
    Ok(tables)
}

/// The table made of `lines`, if its fragments are short and fall into two or more columns.
fn table(cells: &[Cell], lines: &[(usize, usize)]) -> Result<Option<Vec<Vec<String>>>> {
    let all = || lines.iter().flat_map(|&(s, e)| cells.get(s..e).unwrap_or(&[]).iter());
    let mut ems: Vec<f64> = all().map(|c| (c.x1 - c.x0) / c.size.max(0.1)).collect();
    crate::sort::sort_by(&mut ems, |a, b| a.total_cmp(b))?;
    if !ems.get(ems.len() / 2).is_some_and(|&m| m < MAX_CELL_EMS) {
        return Ok(None);
    }
    // Columns: the fragments' extents merged where they overlap.
    let mut spans: Vec<(f64, f64)> = all().map(|c| (c.x0, c.x1)).collect();
    crate::sort::sort_by(&mut spans, |a, b| a.0.total_cmp(&b.0))?;
    let mut columns: Vec<(f64, f64)> = Vec::new();
    for (x0, x1) in spans {
        match columns.last_mut() {
            Some(last) if x0 <= last.1 => last.1 = last.1.max(x1),
            _ => columns.push((x0, x1)),
        }
    }
    if columns.len() < 2 || columns.len() > MAX_COLUMNS {
        return Ok(None);
    }
    let mut rows = Vec::new();
    rows.try_reserve(lines.len()).map_err(|_| oom())?;
    for &(s, e) in lines {
        let mut row: Vec<String> = Vec::new();
        row.try_reserve(columns.len()).map_err(|_| oom())?;
        row.resize(columns.len(), String::new());
        for c in cells.get(s..e).unwrap_or(&[]) {
            let col = columns.iter().position(|&(a, b)| c.x0 >= a && c.x0 <= b).unwrap_or(0);
            if let Some(cell) = row.get_mut(col) {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(c.text.trim());
            }
        }
        rows.push(row);
    }
    Ok(Some(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(x0: f64, x1: f64, base: f64, text: &str) -> Cell {
        Cell { x0, x1, base, size: 10.0, text: text.into() }
    }

    #[test]
    fn aligned_short_fragments_make_a_table() {
        let mut cells = Vec::new();
        for (row, (a, b)) in [("Point", "Celsius"), ("Freezing", "0"), ("Boiling", "100")].iter().enumerate() {
            let y = 700.0 - 14.0 * row as f64;
            cells.push(cell(100.0, 150.0, y, a));
            cells.push(cell(300.0, 340.0, y, b));
        }
        let t = find(cells).unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0], [["Point", "Celsius"], ["Freezing", "0"], ["Boiling", "100"]]);
    }

    #[test]
    fn two_columns_of_prose_are_not_a_table() {
        let mut cells = Vec::new();
        for row in 0..10 {
            let y = 700.0 - 12.0 * row as f64;
            cells.push(cell(50.0, 290.0, y, "a long line of prose in the left column of the page"));
            cells.push(cell(310.0, 550.0, y, "and another long line of prose in the right column"));
        }
        assert!(find(cells).unwrap().is_empty());
    }

    #[test]
    fn two_rows_are_not_a_table() {
        let cells = vec![
            cell(0.0, 10.0, 100.0, "a"),
            cell(50.0, 60.0, 100.0, "b"),
            cell(0.0, 10.0, 88.0, "c"),
            cell(50.0, 60.0, 88.0, "d"),
        ];
        assert!(find(cells).unwrap().is_empty());
    }
}
