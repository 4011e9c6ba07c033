//! Numbers as the cell displays them: the number format of the cell's style (a built-in id
//! or a format code from `styles.xml`) applied to the value.
//!
//! Supported: `General`; digit placeholders `0 # ?` with a decimal point, thousands
//! separators and leading zeros; percent; scientific (`0.00E+00`); literal text (quoted,
//! escaped, `_x` spacing, `*x` fill dropped); sections for positive, negative and zero
//! values; dates and times (`y m d h s`, month and weekday names, `AM/PM`, elapsed `[h]`)
//! in the 1900 system (with its fictitious 1900-02-29) and the 1904 system. Conditions and
//! colours in brackets are ignored; fractions (`# ?/?`) show as General.
//!
//! Locale-dependent built-in formats (the short date 14, the East Asian dates) are shown
//! ISO-like, `2023-05-01`, since no locale is at hand.

use super::number::{push_uint, Decimal};
use alloc::string::String;

/// Built-in formats by id (ECMA-376 Part 1, 18.8.30); "" is General.
const BUILTIN: [&str; 50] = [
    "General",
    "0",
    "0.00",
    "#,##0",
    "#,##0.00",
    "\"$\"#,##0_);(\"$\"#,##0)",
    "\"$\"#,##0_);[Red](\"$\"#,##0)",
    "\"$\"#,##0.00_);(\"$\"#,##0.00)",
    "\"$\"#,##0.00_);[Red](\"$\"#,##0.00)",
    "0%",
    "0.00%",
    "0.00E+00",
    "# ?/?",
    "# ??/??",
    "yyyy-mm-dd",
    "d-mmm-yy",
    "d-mmm",
    "mmm-yy",
    "h:mm AM/PM",
    "h:mm:ss AM/PM",
    "h:mm",
    "h:mm:ss",
    "yyyy-mm-dd h:mm",
    "",
    "",
    "",
    "",
    "yyyy-mm-dd",
    "yyyy-mm-dd",
    "yyyy-mm-dd",
    "yyyy-mm-dd",
    "yyyy-mm-dd",
    "h:mm:ss",
    "h:mm:ss",
    "yyyy-mm-dd",
    "yyyy-mm-dd",
    "yyyy-mm-dd",
    "#,##0 ;(#,##0)",
    "#,##0 ;[Red](#,##0)",
    "#,##0.00;(#,##0.00)",
    "#,##0.00;[Red](#,##0.00)",
    "",
    "",
    "",
    "",
    "mm:ss",
    "[h]:mm:ss",
    "mm:ss.0",
    "##0.0E+0",
    "@",
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// Days from 1970-01-01 back to each system's day 0.
const EPOCH_1900: i64 = -25569; // 1899-12-30: day 0 after the fictitious 1900-02-29
const EPOCH_1904: i64 = -24107; // 1904-01-01
/// Excel's last date, 9999-12-31, in the 1900 system: later serials are not dates.
const MAX_SERIAL: f64 = 2_958_466.0;

/// The built-in format code of `id`; General for ids without one (locale currency and date
/// formats outside 0–49 included, whose ISO date would be a guess).
pub fn builtin(id: u32) -> &'static str {
    match id {
        50..=58 => "yyyy-mm-dd",
        _ => BUILTIN.get(id as usize).copied().filter(|c| !c.is_empty()).unwrap_or("General"),
    }
}

/// Appends `v` formatted with `code`.
pub fn format(out: &mut String, v: f64, code: &str, date1904: bool) {
    let (section, signed) = section(code, v);
    if is_date(section) {
        if (0.0..MAX_SERIAL).contains(&v) {
            date(out, v, section, date1904);
        } else {
            // Excel fills the cell with #; the number says more.
            general(out, v);
        }
        return;
    }
    // A negative value shows its own minus only when it has no section of its own.
    number(out, v.abs(), section, v < 0.0 && !signed);
}

/// Splits on `;` outside quotes, escapes and brackets: the section for `v`, and whether it
/// is a negative section (which brings its own sign, if any).
fn section(code: &str, v: f64) -> (&str, bool) {
    let b = code.as_bytes();
    let mut bounds = [0usize; 4];
    let mut count = 1;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => i = b.iter().skip(i + 1).position(|&c| c == b'"').map_or(b.len(), |n| i + 1 + n),
            b'\\' => i += 1,
            b'[' => i = b.iter().skip(i).position(|&c| c == b']').map_or(b.len(), |n| i + n),
            b';' if count < 4 => {
                if let Some(slot) = bounds.get_mut(count) {
                    *slot = i + 1;
                }
                count += 1;
            }
            _ => {}
        }
        i += 1;
    }
    let part = |k: usize| {
        let from = bounds.get(k).copied().unwrap_or(0);
        let to = if k + 1 < count { bounds.get(k + 1).map_or(b.len(), |&e| e - 1) } else { b.len() };
        code.get(from..to).unwrap_or("")
    };
    match count {
        1 => (part(0), false),
        _ if v < 0.0 => (part(1), true),
        3.. if v == 0.0 => (part(2), false),
        _ => (part(0), false),
    }
}

/// Whether a section formats dates or times: a date letter outside quotes and brackets
/// (elapsed `[h]`, `[m]`, `[s]` count).
fn is_date(section: &str) -> bool {
    let b = section.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c.to_ascii_lowercase() {
            b'"' => i = b.iter().skip(i + 1).position(|&c| c == b'"').map_or(b.len(), |n| i + 1 + n),
            b'\\' | b'_' | b'*' => i += 1,
            b'[' => {
                if matches!(b.get(i + 1).map(u8::to_ascii_lowercase), Some(b'h' | b'm' | b's')) {
                    return true;
                }
                i = b.iter().skip(i).position(|&c| c == b']').map_or(b.len(), |n| i + n);
            }
            b'g' if starts_ci(b, i, b"general") => i += 6,
            b'y' | b'm' | b'd' | b'h' | b's' => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

fn starts_ci(b: &[u8], i: usize, word: &[u8]) -> bool {
    b.get(i..i + word.len()).is_some_and(|w| w.eq_ignore_ascii_case(word))
}

/// Writes the literal at `i` (a quoted string, an escaped character, spacing, plain
/// characters); returns the index after it. Brackets (colours, conditions, locales) and
/// fills write nothing.
fn literal(out: &mut String, s: &str, i: usize) -> usize {
    let b = s.as_bytes();
    match b.get(i) {
        Some(b'"') => {
            let end = b.iter().skip(i + 1).position(|&c| c == b'"').map_or(b.len(), |n| i + 1 + n);
            out.push_str(s.get(i + 1..end).unwrap_or(""));
            end + 1
        }
        Some(b'\\') => {
            let end = char_end(s, i + 1);
            out.push_str(s.get(i + 1..end).unwrap_or(""));
            end
        }
        Some(b'_') => {
            out.push(' ');
            char_end(s, i + 1)
        }
        Some(b'*') => char_end(s, i + 1),
        Some(b'[') => {
            let end = b.iter().skip(i).position(|&c| c == b']').map_or(b.len(), |n| i + n);
            // `[$€-407]`: a currency symbol and its locale; the symbol shows.
            if b.get(i + 1) == Some(&b'$') {
                let body = s.get(i + 2..end).unwrap_or("");
                let symbol =
                    body.as_bytes().iter().position(|&c| c == b'-').map_or(body, |n| body.get(..n).unwrap_or(""));
                out.push_str(symbol);
            }
            end + 1
        }
        Some(_) => {
            let end = char_end(s, i);
            out.push_str(s.get(i..end).unwrap_or(""));
            end
        }
        None => i + 1,
    }
}

/// The end of the character starting at `i`.
fn char_end(s: &str, i: usize) -> usize {
    let mut end = i + 1;
    while end < s.len() && !s.is_char_boundary(end) {
        end += 1;
    }
    end
}

/// The shape of a numeric section, learnt in one pass.
#[derive(Default)]
struct Shape {
    /// Byte range of the number: first to last placeholder (exponent included).
    start: Option<usize>,
    end: usize,
    int_zeros: usize,
    frac_zeros: usize,
    frac_max: usize,
    point: bool,
    grouping: bool,
    percent: u32,
    /// Exponent digits, when scientific.
    exp: Option<usize>,
    exp_plus: bool,
    general: bool,
    fraction: bool,
}

fn shape(s: &str) -> Shape {
    let b = s.as_bytes();
    let mut sh = Shape::default();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let placeholder = match c {
            b'0' | b'#' | b'?' if sh.exp.is_some() => {
                if let Some(n) = sh.exp.as_mut() {
                    *n += (c == b'0') as usize;
                }
                true
            }
            b'0' | b'#' | b'?' if sh.point => {
                sh.frac_max += 1;
                sh.frac_zeros += (c == b'0') as usize;
                true
            }
            b'0' | b'#' | b'?' => {
                sh.int_zeros += (c == b'0') as usize;
                true
            }
            b'.' if sh.exp.is_none()
                && !sh.point
                && (sh.start.is_some() || matches!(b.get(i + 1), Some(b'0' | b'#' | b'?'))) =>
            {
                sh.point = true;
                true
            }
            b',' if sh.start.is_some() && !sh.point => {
                // Between placeholders it groups thousands; after the last it would scale.
                sh.grouping |= matches!(b.get(i + 1), Some(b'0' | b'#' | b'?'));
                false
            }
            b'/' if sh.start.is_some() => {
                sh.fraction = true;
                false
            }
            b'E' | b'e' if sh.start.is_some() && matches!(b.get(i + 1), Some(b'+' | b'-')) => {
                sh.exp = Some(0);
                sh.exp_plus = b.get(i + 1) == Some(&b'+');
                i += 1;
                true
            }
            b'%' => {
                sh.percent += 1;
                false
            }
            b'@' => {
                sh.general = true;
                sh.start.get_or_insert(i);
                sh.end = i + 1;
                i += 1;
                continue;
            }
            b'G' | b'g' if starts_ci(b, i, b"general") => {
                sh.general = true;
                sh.start.get_or_insert(i);
                sh.end = i + 7;
                i += 7;
                continue;
            }
            b'"' | b'\\' | b'_' | b'*' | b'[' => {
                i = literal(&mut String::new(), s, i);
                continue;
            }
            _ => false,
        };
        if placeholder {
            sh.start.get_or_insert(i);
            sh.end = i + 1;
        }
        i += 1;
    }
    sh
}

/// A non-negative value with a numeric (or text) section; `minus` for a negative value
/// whose section brings no sign (shown unless the value rounds to zero).
fn number(out: &mut String, mut v: f64, section: &str, minus: bool) {
    let sh = shape(section);
    for _ in 0..sh.percent.min(3) {
        v *= 100.0;
    }
    let mut d = Decimal::of(v);
    let fixed_point = !(sh.general || sh.fraction || sh.exp.is_some()) && sh.start.is_some();
    if fixed_point {
        d.round_fraction(sh.frac_max as i32);
    }
    if minus && !d.is_zero() {
        out.push('-');
    }
    let Some(start) = sh.start else {
        // Only literals: the text stands for the number.
        let mut i = 0;
        while i < section.len() {
            i = literal(out, section, i);
        }
        if section.is_empty() {
            general(out, v);
        }
        return;
    };
    let mut i = 0;
    while i < start {
        i = literal(out, section, i);
    }
    if fixed_point {
        fixed(out, &d, sh.int_zeros, sh.frac_zeros, sh.grouping);
    } else if let Some(exp_zeros) = sh.exp {
        scientific(out, v, sh.frac_max, sh.frac_zeros, exp_zeros, sh.exp_plus);
    } else {
        general(out, v);
    }
    let mut i = sh.end;
    while i < section.len() {
        i = literal(out, section, i);
    }
}

/// General: up to 15 significant digits, scientific beyond 10^15 and below 10^-4 as
/// spreadsheets do; integers without a point.
pub fn general(out: &mut String, v: f64) {
    if v < 0.0 {
        out.push('-');
    }
    let d = Decimal::of(v);
    if d.is_zero() || (-3..=15).contains(&d.exp) {
        fixed(out, &d, 1, 0, false);
    } else {
        scientific(out, v.abs(), SIGNIFICANT_FRACTION, 0, 2, true);
    }
}

/// Fraction digits scientific General shows at most (15 significant digits in all).
const SIGNIFICANT_FRACTION: usize = 14;

/// `d` with at least `int_min` integer digits and `frac_min` fraction digits (it is
/// already rounded to the most the format shows).
fn fixed(out: &mut String, d: &Decimal, int_min: usize, frac_min: usize, grouping: bool) {
    let int_len = d.exp.max(0) as usize;
    let width = int_len.max(int_min);
    for k in 0..width {
        // Position k counted from the left of a `width`-digit integer part.
        let from_right = width - k;
        let digit = if from_right > int_len { 0 } else { d.digit((int_len - from_right) as i32) };
        out.push((b'0' + digit) as char);
        if grouping && from_right > 1 && from_right % 3 == 1 {
            out.push(',');
        }
    }
    let frac_len = (d.len() as i32 - d.exp).max(0) as usize;
    let frac = frac_len.max(frac_min);
    if frac > 0 {
        out.push('.');
        for k in 0..frac {
            out.push((b'0' + d.digit(d.exp + k as i32)) as char);
        }
    }
}

fn scientific(out: &mut String, v: f64, frac_max: usize, frac_min: usize, exp_min: usize, plus: bool) {
    let mut d = Decimal::of(v);
    d.round(frac_max as i32 + 1);
    out.push((b'0' + d.digit(0)) as char);
    let frac = (d.len().saturating_sub(1)).max(frac_min);
    if frac > 0 {
        out.push('.');
        for k in 1..=frac {
            out.push((b'0' + d.digit(k as i32)) as char);
        }
    }
    let e = if d.is_zero() { 0 } else { d.exp - 1 };
    out.push('E');
    if e < 0 {
        out.push('-');
    } else if plus {
        out.push('+');
    }
    push_uint(out, e.unsigned_abs() as u64, exp_min);
}

/// A date and time split into its fields.
struct Moment {
    year: i64,
    month: u32,
    day: u32,
    weekday: usize,
    /// Whole days, for elapsed hours.
    days: u64,
    /// Milliseconds into the day.
    ms: u32,
}

impl Moment {
    fn of(serial: f64, date1904: bool, unit_ms: u32) -> Moment {
        let mut days = serial as i64;
        // Rounded to what the format shows, which can carry into the next day.
        let unit = unit_ms.max(1) as f64;
        let mut ms = (((serial - days as f64) * 86_400_000.0 / unit + 0.5) as u32).saturating_mul(unit_ms.max(1));
        if ms >= 86_400_000 {
            days += 1;
            ms -= 86_400_000;
        }
        // The 1900 system counts a 29 February 1900 that never was (Lotus 1-2-3 did): days
        // before it are one off from the epoch that fits the later ones.
        let (year, month, day) = if date1904 {
            civil(EPOCH_1904 + days)
        } else if days == 60 {
            (1900, 2, 29)
        } else if days < 60 {
            civil(EPOCH_1900 + 1 + days)
        } else {
            civil(EPOCH_1900 + days)
        };
        let since_1970 = if date1904 { EPOCH_1904 } else { EPOCH_1900 } + days;
        Moment { year, month, day, weekday: (since_1970 + 4).rem_euclid(7) as usize, days: days as u64, ms }
    }
}

/// (year, month, day) of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + (month <= 2) as i64, month, day)
}

/// What a run of `m` means: minutes right after hours or right before seconds.
fn minutes_here(b: &[u8], at: usize, after_hour: bool) -> bool {
    if after_hour {
        return true;
    }
    let mut i = at;
    while let Some(&c) = b.get(i) {
        match c.to_ascii_lowercase() {
            b'm' => {}
            b's' => return true,
            b'y' | b'd' | b'h' => return false,
            b'[' => return matches!(b.get(i + 1).map(u8::to_ascii_lowercase), Some(b's')),
            _ => {}
        }
        i += 1;
    }
    false
}

fn date(out: &mut String, serial: f64, s: &str, date1904: bool) {
    let b = s.as_bytes();
    let twelve = starts_ci_anywhere(b, b"am/pm") || starts_ci_anywhere(b, b"a/p");
    let frac_digits = fraction_of_seconds(b);
    let unit = [1000, 100, 10, 1].get(frac_digits).copied().unwrap_or(1);
    let m = Moment::of(serial, date1904, unit);
    let (hour, minute, second) = (m.ms / 3_600_000, m.ms / 60_000 % 60, m.ms / 1000 % 60);
    let mut after_hour = false;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let lower = c.to_ascii_lowercase();
        let run = b.iter().skip(i).take_while(|x| x.to_ascii_lowercase() == lower).count();
        match lower {
            b'y' => {
                let y = m.year.unsigned_abs();
                if run <= 2 {
                    push_uint(out, y % 100, 2);
                } else {
                    push_uint(out, y, 4);
                }
            }
            b'm' if minutes_here(b, i + run, after_hour) => {
                push_uint(out, minute as u64, run.min(2));
                after_hour = false;
            }
            b'm' => {
                let name = MONTHS.get((m.month as usize).wrapping_sub(1)).copied().unwrap_or("");
                match run {
                    1 | 2 => push_uint(out, m.month as u64, run),
                    3 => out.push_str(name.get(..3).unwrap_or(name)),
                    4 => out.push_str(name),
                    _ => out.push_str(name.get(..1).unwrap_or(name)),
                }
            }
            b'd' => {
                let name = DAYS.get(m.weekday).copied().unwrap_or("");
                match run {
                    1 | 2 => push_uint(out, m.day as u64, run),
                    3 => out.push_str(name.get(..3).unwrap_or(name)),
                    _ => out.push_str(name),
                }
            }
            b'h' => {
                let h = if twelve { (hour + 11) % 12 + 1 } else { hour };
                push_uint(out, h as u64, run.min(2));
                after_hour = true;
            }
            b's' => {
                push_uint(out, second as u64, run.min(2));
                if frac_digits > 0 && b.get(i + run) == Some(&b'.') {
                    out.push('.');
                    let sub = m.ms % 1000 / unit;
                    push_uint(out, sub as u64, frac_digits);
                    i += 1 + frac_digits;
                }
                after_hour = false;
            }
            b'a' if starts_ci(b, i, b"am/pm") => {
                out.push_str(if hour < 12 { "AM" } else { "PM" });
                i += 5;
                continue;
            }
            b'a' if starts_ci(b, i, b"a/p") => {
                out.push(if hour < 12 { 'A' } else { 'P' });
                i += 3;
                continue;
            }
            b'[' if matches!(b.get(i + 1).map(u8::to_ascii_lowercase), Some(b'h' | b'm' | b's')) => {
                let close = b.iter().skip(i).position(|&c| c == b']').map_or(b.len(), |n| i + n);
                let width = close - i - 1;
                let total_s = m.days.saturating_mul(86_400).saturating_add((m.ms / 1000) as u64);
                let value = match b.get(i + 1).map(u8::to_ascii_lowercase) {
                    Some(b'h') => total_s / 3600,
                    Some(b'm') => total_s / 60,
                    _ => total_s,
                };
                push_uint(out, value, width);
                after_hour = b.get(i + 1).map(u8::to_ascii_lowercase) == Some(b'h');
                i = close + 1;
                continue;
            }
            _ => {
                i = literal(out, s, i);
                continue;
            }
        }
        i += run;
    }
}

fn starts_ci_anywhere(b: &[u8], word: &[u8]) -> bool {
    (0..b.len()).any(|i| starts_ci(b, i, word))
}

/// Digits of fractions of a second the section shows (`ss.00`), at most 3.
fn fraction_of_seconds(b: &[u8]) -> usize {
    let Some(at) = b.iter().rposition(|c| c.eq_ignore_ascii_case(&b's')) else { return 0 };
    if b.get(at + 1) != Some(&b'.') {
        return 0;
    }
    b.iter().skip(at + 2).take_while(|&&c| c == b'0').count().min(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: f64, code: &str) -> String {
        let mut s = String::new();
        format(&mut s, v, code, false);
        s
    }

    #[test]
    fn general_numbers() {
        for (v, want) in [
            (1.0, "1"),
            (13.0, "13"),
            (-3.0, "-3"),
            (0.0, "0"),
            (0.1 + 0.2, "0.3"),
            (1.0 / 3.0, "0.333333333333333"),
            (123456.789, "123456.789"),
            (0.0001, "0.0001"),
            (0.00001234, "1.234E-05"),
            (1e20, "1E+20"),
            (-2.5e-7, "-2.5E-07"),
            (123456789012345.0, "123456789012345"),
        ] {
            assert_eq!(f(v, "General"), want, "{v}");
        }
    }

    #[test]
    fn numeric_formats() {
        for (v, code, want) in [
            (1234.5, "0", "1235"),
            (2.675, "0.00", "2.68"),
            (1234567.891, "#,##0.00", "1,234,567.89"),
            (999.5, "#,##0", "1,000"),
            (0.256, "0%", "26%"),
            (0.25, "0.00%", "25.00%"),
            (12345.0, "0.00E+00", "1.23E+04"),
            (0.000123, "0.00E+00", "1.23E-04"),
            (-5.0, "0.00", "-5.00"),
            (-5.0, "#,##0 ;(#,##0)", "(5)"),
            (-0.001, "0.00", "0.00"),
            (1234.5, "[$€-407] #,##0.00", "€ 1,234.50"),
            (5.0, "#,##0 ;(#,##0)", "5 "),
            (0.0, "0.0;-0.0;\"zero\"", "zero"),
            (42.0, "\"$\"#,##0.00", "$42.00"),
            (7.0, "000", "007"),
            (0.5, "#.##", ".5"),
            (3.0, "0\" units\"", "3 units"),
            (3.5, "General\" kg\"", "3.5 kg"),
            (12.0, "[Red][>10]0.0", "12.0"),
            (0.75, "# ?/?", "0.75"),
            (5.0, "@", "5"),
        ] {
            assert_eq!(f(v, code), want, "{v} {code}");
        }
    }

    #[test]
    fn dates_and_times() {
        for (v, code, want) in [
            (45047.0, builtin(14), "2023-05-01"),
            (45047.0, "dd/mm/yyyy", "01/05/2023"),
            (45047.0, "d mmmm yy", "1 May 23"),
            (45047.0, "dddd, mmm d", "Monday, May 1"),
            (45047.5, "yyyy-mm-dd hh:mm:ss", "2023-05-01 12:00:00"),
            (0.75, "h:mm AM/PM", "6:00 PM"),
            (0.0000115741, "h:mm:ss", "0:00:01"),
            (1.5, "[h]:mm:ss", "36:00:00"),
            (0.5 + 1.5 / 86400.0, "mm:ss.0", "00:01.5"),
            (59.0, "yyyy-mm-dd", "1900-02-28"),
            (60.0, "yyyy-mm-dd", "1900-02-29"),
            (61.0, "yyyy-mm-dd", "1900-03-01"),
            (1.0, "yyyy-mm-dd", "1900-01-01"),
            (0.999999999, "yyyy-mm-dd hh:mm", "1900-01-01 00:00"),
            (-1.0, "yyyy-mm-dd", "-1"),
            (45047.0, "yyyy\\-mm\"x\"", "2023-05x"),
        ] {
            assert_eq!(f(v, code), want, "{v} {code}");
        }
        let mut s = String::new();
        format(&mut s, 0.0, "yyyy-mm-dd", true);
        assert_eq!(s, "1904-01-01");
    }

    #[test]
    fn builtin_ids() {
        assert_eq!(builtin(0), "General");
        assert_eq!(builtin(4), "#,##0.00");
        assert_eq!(builtin(23), "General");
        assert_eq!(builtin(57), "yyyy-mm-dd");
        assert_eq!(builtin(1000), "General");
    }

    #[test]
    fn hostile_codes_never_panic() {
        let mut rng = crate::testing::Rng::new(7);
        let alphabet = b"0#?.,%E+-;\"\\_*[]hmsdyAP/@General ";
        for _ in 0..5000 {
            let len = rng.next() % 24;
            let code: String = (0..len).map(|_| alphabet[rng.next() % alphabet.len()] as char).collect();
            for v in [0.0, -1.5, 45047.25, 1e300, -1e-300, f64::NAN, 3e6] {
                let mut s = String::new();
                format(&mut s, v, &code, rng.next().is_multiple_of(2));
                assert!(s.len() < 1000, "{code}: {s}");
            }
        }
    }
}
