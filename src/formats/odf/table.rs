//! A table as its rows are read, with `number-columns-repeated` and
//! `number-rows-repeated` applied. Spreadsheets end every sheet with empty rows and columns
//! repeated up to the grid's size (1,048,576 rows): empty cells and rows are only counted
//! until content follows them, so trailing ones are never materialised. Every cell or row
//! that is materialised counts against `max_objects`.

use crate::error::{limit, oom, reserve_str, Result};
use alloc::string::String;
use alloc::vec::Vec;

#[derive(Default)]
pub struct Table {
    pub rows: Vec<Vec<String>>,
    row: Vec<String>,
    /// The text of the cell being read.
    pub cell: String,
    /// Empty cells of this row and empty rows of this table not yet materialised.
    empty_cells: u64,
    empty_rows: u64,
    /// Repetitions of the row and the cell being read.
    row_repeat: u64,
    cell_repeat: u64,
    /// Whether the cell being read holds a list item or paragraph already (for separators).
    pub cell_started: bool,
}

/// Counts materialised cells and rows against a limit shared by a document's tables,
/// and the bytes of their text against `max_output`, since all of it becomes output.
pub struct Budget {
    pub used: u64,
    pub max: u64,
    pub bytes: u64,
    pub max_bytes: u64,
}

impl Budget {
    fn take(&mut self, cells: u64, bytes: u64) -> Result<()> {
        self.used = self.used.saturating_add(cells);
        self.bytes = self.bytes.saturating_add(bytes);
        if self.used > self.max {
            return Err(limit("odf: more table cells than max_objects"));
        }
        if self.bytes > self.max_bytes {
            return Err(limit("content exceeds max_output"));
        }
        Ok(())
    }
}

fn grow<T>(v: &mut Vec<T>, n: u64) -> Result<()> {
    v.try_reserve(usize::try_from(n).map_err(|_| oom())?).map_err(|_| oom())
}

impl Table {
    pub fn start_row(&mut self, repeat: u64) {
        self.row.clear();
        self.empty_cells = 0;
        self.row_repeat = repeat.max(1);
    }

    pub fn start_cell(&mut self, repeat: u64) {
        self.cell.clear();
        self.cell_started = false;
        self.cell_repeat = repeat.max(1);
    }

    /// Ends the cell; `fallback` is its value when it has no text (a cell written without
    /// the paragraph that shows it).
    pub fn end_cell(&mut self, fallback: &str, budget: &mut Budget) -> Result<()> {
        if self.cell.is_empty() {
            reserve_str(&mut self.cell, fallback.len())?;
            self.cell.push_str(fallback);
        }
        let n = self.cell_repeat;
        if self.cell.is_empty() {
            self.empty_cells = self.empty_cells.saturating_add(n);
            return Ok(());
        }
        budget.take(self.empty_cells.saturating_add(n), (self.cell.len() as u64).saturating_mul(n))?;
        grow(&mut self.row, self.empty_cells.saturating_add(n))?;
        for _ in 0..self.empty_cells {
            self.row.push(String::new());
        }
        self.empty_cells = 0;
        for _ in 1..n {
            let mut copy = String::new();
            reserve_str(&mut copy, self.cell.len())?;
            copy.push_str(&self.cell);
            self.row.push(copy);
        }
        self.row.push(core::mem::take(&mut self.cell));
        Ok(())
    }

    pub fn end_row(&mut self, budget: &mut Budget) -> Result<()> {
        let n = self.row_repeat;
        if self.row.is_empty() {
            self.empty_rows = self.empty_rows.saturating_add(n);
            return Ok(());
        }
        let cells = self.row.len() as u64;
        let bytes: u64 = self.row.iter().map(|c| c.len() as u64).sum();
        budget.take(self.empty_rows.saturating_add(cells.saturating_mul(n - 1)), bytes.saturating_mul(n - 1))?;
        grow(&mut self.rows, self.empty_rows.saturating_add(n))?;
        for _ in 0..self.empty_rows {
            self.rows.push(Vec::new());
        }
        self.empty_rows = 0;
        for _ in 1..n {
            let mut copy = Vec::new();
            grow(&mut copy, cells)?;
            for c in &self.row {
                let mut s = String::new();
                reserve_str(&mut s, c.len())?;
                s.push_str(c);
                copy.push(s);
            }
            self.rows.push(copy);
        }
        self.rows.push(core::mem::take(&mut self.row));
        Ok(())
    }

    /// The rows, every one as wide as the widest, for the table record. LIMIT when padding
    /// them would materialise more cells than the budget allows.
    pub fn finish(mut self, budget: &mut Budget) -> Result<Vec<Vec<String>>> {
        let width = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let missing: u64 = self.rows.iter().map(|r| (width - r.len()) as u64).sum();
        budget.take(missing, 0)?;
        for row in self.rows.iter_mut() {
            grow(row, (width - row.len()) as u64)?;
            row.resize(width, String::new());
        }
        Ok(self.rows)
    }
}
