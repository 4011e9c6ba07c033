//! Markdown output shared by the formats that produce it (tables from HTML, CSV and, later,
//! Office documents).

use crate::error::{reserve_str, Result};
use crate::formats::text::is_white_space;
use alloc::string::String;
use alloc::vec::Vec;

/// Renders rows as a GitHub-flavoured Markdown table: the first row is the header, ragged
/// rows are padded to the widest, and cell text is kept on one line with `|` escaped.
/// Returns an empty string for no rows.
pub fn table(rows: &[Vec<String>]) -> Result<String> {
    let mut out = String::new();
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(0).max(1);
    if rows.is_empty() {
        return Ok(out);
    }
    let size: usize = rows.iter().flatten().map(|c| c.len() + 3).sum::<usize>() + (rows.len() + 1) * (width * 3 + 2);
    reserve_str(&mut out, size)?;
    for (i, row) in rows.iter().enumerate() {
        push_row(&mut out, row, width, i == 0);
    }
    Ok(out)
}

/// One table row padded to `width` cells, followed by the rule when it is the `header`.
/// Shared with CSV, which writes its table a row at a time.
pub fn push_row(out: &mut String, row: &[String], width: usize, header: bool) {
    out.push('|');
    for col in 0..width {
        out.push(' ');
        if let Some(cell) = row.get(col) {
            push_cell(out, cell);
        }
        out.push_str(" |");
    }
    out.push('\n');
    if header {
        out.push('|');
        for _ in 0..width {
            out.push_str(" --- |");
        }
        out.push('\n');
    }
}

/// Cell text on one line: line breaks become spaces, runs of white space collapse, `|` and
/// `\` are escaped so the cell cannot end early. Cells that need none of that (the usual
/// case) are copied whole.
pub fn push_cell(out: &mut String, cell: &str) {
    // Most cells are printable ASCII with single inner spaces: nothing to rewrite.
    // (Starting as if after a space rejects a leading one; ending on one, a trailing one.)
    let mut prev = b' ';
    let plain = cell.bytes().all(|c| {
        let ok = (matches!(c, b'!'..=b'~') && c != b'|' && c != b'\\') || (c == b' ' && prev != b' ');
        prev = c;
        ok
    });
    if plain && prev != b' ' {
        out.push_str(cell);
        return;
    }
    // White space is Unicode's (as `str::trim` sees it), tested without core's table. A
    // run becomes one space when text follows it, so leading and trailing runs vanish.
    let (mut space, mut started) = (false, false);
    for c in cell.chars() {
        if is_white_space(c) {
            space = true;
            continue;
        }
        if space && started {
            out.push(' ');
        }
        (space, started) = (false, true);
        if c == '|' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Appends `n` (1..=3999) in Roman numerals, as list markers show it; other values write
/// nothing. Shared by the DOCX and ODF list numbering.
pub fn push_roman(out: &mut String, n: u32, upper: bool) {
    const ROMAN: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    if !(1..4000).contains(&n) {
        return;
    }
    let mut n = n;
    for (value, digits) in ROMAN {
        while n >= value {
            for c in digits.chars() {
                out.push(if upper { c.to_ascii_uppercase() } else { c });
            }
            n -= value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(r: &[&[&str]]) -> Vec<Vec<String>> {
        r.iter().map(|row| row.iter().map(|c| String::from(*c)).collect()).collect()
    }

    #[test]
    fn renders_with_header_padding_and_escapes() {
        let t = table(&rows(&[&["Name", "Value"], &["a|b", "multi\nline  text"], &["only one"]])).unwrap();
        assert_eq!(t, "| Name | Value |\n| --- | --- |\n| a\\|b | multi line text |\n| only one |  |\n");
        assert_eq!(table(&[]).unwrap(), "");
    }
}
