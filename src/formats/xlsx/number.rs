//! Decimal digits of a double without `core::fmt` (which would cost kilobytes in the
//! module) and without `str::parse` (whose exact algorithm is larger than this file).
//!
//! Spreadsheets keep 15 significant digits of a number: that is what Excel shows and
//! stores, so a value is turned into at most 15 decimal digits once and every display
//! format rounds those digits further in decimal, as Excel does (2.675 shows as 2.68 with
//! two decimals, although the double is a little below). Scaling by powers of ten rounds
//! once or twice in binary; at 15 digits that moves nothing but values within a few units
//! in the last place of a rounding boundary.

/// Significant digits a spreadsheet keeps.
const SIGNIFICANT: usize = 15;
/// The powers of ten a double holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];
/// Below this a value shows as 0 (it is also below Excel's smallest number).
const TINY: f64 = 1e-300;

/// A non-negative decimal `0.d₁d₂…dₙ × 10^exp`, without trailing zeros; no digits is zero.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decimal {
    digits: [u8; SIGNIFICANT],
    len: usize,
    pub exp: i32,
}

/// `v × 10^k` in at most a few multiplications (|k| stays within the double's range).
fn scale(mut v: f64, mut k: i32) -> f64 {
    while k > 22 {
        v *= 1e22;
        k -= 22;
    }
    while k < -22 {
        v /= 1e22;
        k += 22;
    }
    let p = POW10.get(k.unsigned_abs() as usize).copied().unwrap_or(1.0);
    if k >= 0 {
        v * p
    } else {
        v / p
    }
}

impl Decimal {
    pub const ZERO: Decimal = Decimal { digits: [0; SIGNIFICANT], len: 0, exp: 0 };

    /// The 15 significant digits of `|v|` (0 for NaN, infinities and tiny values).
    pub fn of(v: f64) -> Decimal {
        let v = v.abs();
        if !v.is_finite() || v < TINY {
            return Decimal::ZERO;
        }
        // floor(e₂ · log₁₀ 2) + 1 is the decimal exponent, or one short of it.
        let e2 = ((v.to_bits() >> 52) & 0x7ff) as i32 - 1023;
        let mut exp = ((e2 * 78913) >> 18) + 1;
        let (low, high) = (1e14, 1e15);
        let mut n = 0u64;
        for _ in 0..4 {
            let x = scale(v, SIGNIFICANT as i32 - exp) + 0.5;
            if x >= high {
                exp += 1;
            } else if x < low {
                exp -= 1;
            } else {
                n = x as u64;
                break;
            }
        }
        let mut d = Decimal { digits: [0; SIGNIFICANT], len: SIGNIFICANT, exp };
        for slot in d.digits.iter_mut().rev() {
            *slot = (n % 10) as u8;
            n /= 10;
        }
        d.trim();
        d
    }

    pub fn is_zero(&self) -> bool {
        self.len == 0
    }

    /// Digit `i` (0-based from the most significant); 0 past the end.
    pub fn digit(&self, i: i32) -> u8 {
        if i < 0 || i as usize >= self.len {
            return 0;
        }
        self.digits.get(i as usize).copied().unwrap_or(0)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    fn trim(&mut self) {
        while self.len > 0 && self.digits.get(self.len - 1) == Some(&0) {
            self.len -= 1;
        }
        if self.len == 0 {
            self.exp = 0;
        }
    }

    /// Keeps the first `keep` digits, rounding half away from zero.
    pub fn round(&mut self, keep: i32) {
        if keep >= self.len as i32 {
            return;
        }
        if keep < 0 {
            *self = Decimal::ZERO;
            return;
        }
        let keep = keep as usize;
        let up = self.digits.get(keep).is_some_and(|&d| d >= 5);
        self.len = keep;
        if up {
            let mut i = keep;
            loop {
                if i == 0 {
                    // Carried out of the top: 0.999… became 1.0.
                    self.digits[0] = 1;
                    self.len = 1;
                    self.exp += 1;
                    break;
                }
                i -= 1;
                if let Some(d) = self.digits.get_mut(i) {
                    if *d < 9 {
                        *d += 1;
                        break;
                    }
                    *d = 0;
                }
            }
        }
        self.trim();
    }

    /// Rounds to `frac` digits after the decimal point.
    pub fn round_fraction(&mut self, frac: i32) {
        self.round(self.exp.saturating_add(frac));
    }
}

/// A decimal number as written in a cell's `<v>`: sign, digits, point, exponent. None for
/// anything else, so the caller can show the text as it is.
pub fn parse(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let negative = matches!(b.first(), Some(b'-'));
    if matches!(b.first(), Some(b'-' | b'+')) {
        i = 1;
    }
    let (mut mantissa, mut exp, mut digits, mut point) = (0u64, 0i32, 0usize, false);
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                // 19 digits fill a u64; later ones only move the exponent.
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa * 10 + (c - b'0') as u64;
                    exp = exp.saturating_sub(point as i32);
                } else {
                    exp = exp.saturating_add(!point as i32);
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let minus = matches!(b.get(i), Some(b'-'));
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let (mut e, mut any) = (0i32, false);
        while let Some(&c @ b'0'..=b'9') = b.get(i) {
            e = e.saturating_mul(10).saturating_add((c - b'0') as i32);
            any = true;
            i += 1;
        }
        if !any {
            return None;
        }
        exp = exp.saturating_add(if minus { -e } else { e });
    }
    if i != b.len() {
        return None;
    }
    // Beyond these the value is 0 or infinite whatever the digits.
    let v = if mantissa == 0 || exp < -400 {
        0.0
    } else if exp > 400 {
        f64::INFINITY
    } else {
        scale(mantissa as f64, exp)
    };
    Some(if negative { -v } else { v })
}

/// Appends the decimal digits of `n`.
pub fn push_uint(out: &mut alloc::string::String, mut n: u64, min_digits: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    while n > 0 || buf.len() - i < min_digits.clamp(1, 20) {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
    }
    for &c in buf.get(i..).unwrap_or(&[]) {
        out.push(c as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn digits(d: &Decimal) -> (String, i32) {
        ((0..d.len() as i32).map(|i| (b'0' + d.digit(i)) as char).collect(), d.exp)
    }

    #[test]
    fn fifteen_significant_digits() {
        assert_eq!(digits(&Decimal::of(13.0)), ("13".into(), 2));
        assert_eq!(digits(&Decimal::of(0.1 + 0.2)), ("3".into(), 0));
        assert_eq!(digits(&Decimal::of(1.0 / 3.0)), ("333333333333333".into(), 0));
        assert_eq!(digits(&Decimal::of(-0.00012)), ("12".into(), -3));
        assert_eq!(digits(&Decimal::of(1e300)), ("1".into(), 301));
        assert_eq!(digits(&Decimal::of(123456789012345678.0)), ("123456789012346".into(), 18));
        assert_eq!(digits(&Decimal::of(999999999999999.9)), ("1".into(), 16));
        assert!(Decimal::of(0.0).is_zero() && Decimal::of(f64::NAN).is_zero() && Decimal::of(1e-310).is_zero());
    }

    #[test]
    fn rounds_in_decimal() {
        let mut d = Decimal::of(2.675);
        d.round_fraction(2);
        assert_eq!(digits(&d), ("268".into(), 1));
        let mut d = Decimal::of(9.995);
        d.round_fraction(2);
        assert_eq!(digits(&d), ("1".into(), 2));
        let mut d = Decimal::of(0.004);
        d.round_fraction(2);
        assert!(d.is_zero());
        let mut d = Decimal::of(0.005);
        d.round_fraction(2);
        assert_eq!(digits(&d), ("1".into(), -1));
    }

    #[test]
    fn parses_cell_values() {
        assert_eq!(parse("13.0"), Some(13.0));
        assert_eq!(parse("-2.5E-3"), Some(-0.0025));
        assert_eq!(parse("3.3333333333333335"), Some(3.3333333333333335));
        assert_eq!(parse("44927"), Some(44927.0));
        assert_eq!(parse("1e999"), Some(f64::INFINITY));
        for bad in ["", "-", "1e", "1.2.3", "abc", "1 ", "."] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn uints() {
        let mut s = String::new();
        push_uint(&mut s, 0, 0);
        push_uint(&mut s, 7, 2);
        push_uint(&mut s, u64::MAX, 0);
        assert_eq!(s, "00718446744073709551615");
    }
}
