//! Exact decimal numbers: the numeric literals of patterns and numeric-looking
//! log values, compared without floating-point rounding.

use std::cmp::Ordering;
use std::fmt;

/// A decimal number held exactly: `1e3`, `1000` and `1000.0` are the same value.
///
/// The value is `0.d₁d₂…dₙ × 10^exponent`, with no leading or trailing zero digit,
/// so equal numbers have equal representations (and `Eq`/`Hash` agree with
/// numeric equality).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    negative: bool,
    /// ASCII digits, no leading or trailing `0`; empty for zero.
    digits: String,
    exponent: i64,
}

/// Exponents beyond this are rejected: they cannot come from a real log value and
/// would only make comparisons and printing expensive.
const MAX_EXPONENT: i64 = 100_000;

impl Decimal {
    /// Parses `[+-]? digits [. digits] [(e|E) [+-]? digits]` (digits may be on either
    /// side of the point, but at least one). Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<Decimal> {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut negative = false;
        if let Some(&sign) = bytes.first() {
            if sign == b'+' || sign == b'-' {
                negative = sign == b'-';
                i = 1;
            }
        }
        let int_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let int_digits = &text[int_start..i];
        let mut frac_digits = "";
        if i < bytes.len() && bytes[i] == b'.' {
            let frac_start = i + 1;
            i = frac_start;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            frac_digits = &text[frac_start..i];
        }
        if int_digits.is_empty() && frac_digits.is_empty() {
            return None;
        }
        let mut exp: i64 = 0;
        if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
            i += 1;
            let mut exp_negative = false;
            if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
                exp_negative = bytes[i] == b'-';
                i += 1;
            }
            let exp_start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                exp = exp
                    .checked_mul(10)?
                    .checked_add(i64::from(bytes[i] - b'0'))?;
                if exp > MAX_EXPONENT {
                    return None;
                }
                i += 1;
            }
            if i == exp_start {
                return None;
            }
            if exp_negative {
                exp = -exp;
            }
        }
        if i != bytes.len() {
            return None;
        }
        // 0.DIGITS × 10^(len(int) + exp), then strip zeros.
        let mut all = String::with_capacity(int_digits.len() + frac_digits.len());
        all.push_str(int_digits);
        all.push_str(frac_digits);
        let leading = all.bytes().take_while(|&b| b == b'0').count();
        let exponent = i64::try_from(int_digits.len()).ok()? + exp - i64::try_from(leading).ok()?;
        let digits = all[leading..].trim_end_matches('0').to_owned();
        if digits.is_empty() {
            return Some(Decimal::zero());
        }
        Some(Decimal {
            negative,
            digits,
            exponent,
        })
    }

    fn zero() -> Decimal {
        Decimal {
            negative: false,
            digits: String::new(),
            exponent: 0,
        }
    }

    /// The value as an `i128` when it is an integer that fits.
    pub fn to_i128(&self) -> Option<i128> {
        if self.digits.is_empty() {
            return Some(0);
        }
        let len = i64::try_from(self.digits.len()).ok()?;
        if self.exponent < len || self.exponent > 38 {
            return None;
        }
        let mut value: i128 = 0;
        for b in self.digits.bytes() {
            value = value.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
        }
        for _ in len..self.exponent {
            value = value.checked_mul(10)?;
        }
        Some(if self.negative { -value } else { value })
    }

    /// The greatest integer not above the value and the least not below it
    /// (equal for an integer), each clamped to `-limit..=limit`: what an
    /// exact comparison with integers needs, without a big-number type.
    ///
    /// ```
    /// use kmswatch_decisions::pattern::Decimal;
    /// let d = |s| Decimal::parse(s).unwrap();
    /// assert_eq!(d("2.5").integer_bounds(100), (2, 3));
    /// assert_eq!(d("-2.5").integer_bounds(100), (-3, -2));
    /// assert_eq!(d("1e3").integer_bounds(100), (100, 100));
    /// assert_eq!(d("-1e-9").integer_bounds(100), (-1, 0));
    /// ```
    pub fn integer_bounds(&self, limit: i128) -> (i128, i128) {
        let clamp = |v: i128| v.clamp(-limit, limit);
        if let Some(n) = self.to_i128() {
            return (clamp(n), clamp(n));
        }
        if self.exponent > 38 {
            let far = if self.negative { -limit } else { limit };
            return (far, far);
        }
        // Not an integer: truncate toward zero, then step outward for the
        // bound on the far side of zero.
        let int_len = usize::try_from(self.exponent.max(0)).unwrap_or(0);
        let mut truncated: i128 = 0;
        for b in self.digits.bytes().take(int_len) {
            truncated = truncated
                .saturating_mul(10)
                .saturating_add(i128::from(b - b'0'));
        }
        for _ in self.digits.len()..int_len {
            truncated = truncated.saturating_mul(10);
        }
        if self.negative {
            (clamp(-truncated - 1), clamp(-truncated))
        } else {
            (clamp(truncated), clamp(truncated + 1))
        }
    }

    /// [`integer_bounds`](Self::integer_bounds) of the value times
    /// `10^scale`: exact comparisons with decimals of `scale` fraction digits.
    ///
    /// ```
    /// use kmswatch_decisions::pattern::Decimal;
    /// let d = |s| Decimal::parse(s).unwrap();
    /// assert_eq!(d("2.5").scaled_integer_bounds(1, 1000), (25, 25));
    /// assert_eq!(d("0.125").scaled_integer_bounds(2, 1000), (12, 13));
    /// ```
    pub fn scaled_integer_bounds(&self, scale: u32, limit: i128) -> (i128, i128) {
        let scaled = Decimal {
            exponent: self.exponent + i64::from(scale),
            ..self.clone()
        };
        if scaled.digits.is_empty() {
            return (0, 0);
        }
        scaled.integer_bounds(limit)
    }

    /// The nearest `f64`.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    fn magnitude_cmp(&self, other: &Decimal) -> Ordering {
        match (self.digits.is_empty(), other.digits.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        // Normalised digits start with a non-zero digit, so the exponent decides first,
        // then the digit strings (no trailing zeros: a prefix is the smaller value).
        self.exponent
            .cmp(&other.exponent)
            .then_with(|| self.digits.cmp(&other.digits))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        let self_neg = self.negative && !self.digits.is_empty();
        let other_neg = other.negative && !other.digits.is_empty();
        match (self_neg, other_neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.magnitude_cmp(other),
            (true, true) => other.magnitude_cmp(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    /// Plain notation for everyday magnitudes (`1000`, `55.5`, `0.001`), scientific
    /// (`1.5e40`) otherwise. The output parses back to the same `Decimal`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.digits.is_empty() {
            return f.write_str("0");
        }
        if self.negative {
            f.write_str("-")?;
        }
        let digits = self.digits.as_str();
        let len = digits.len() as i64;
        let e = self.exponent;
        if e >= len && e <= 21 {
            f.write_str(digits)?;
            for _ in len..e {
                f.write_str("0")?;
            }
            Ok(())
        } else if e > 0 && e < len {
            let (int, frac) = digits.split_at(e as usize);
            write!(f, "{int}.{frac}")
        } else if e <= 0 && e > -6 {
            f.write_str("0.")?;
            for _ in e..0 {
                f.write_str("0")?;
            }
            f.write_str(digits)
        } else {
            let (first, rest) = digits.split_at(1);
            f.write_str(first)?;
            if !rest.is_empty() {
                write!(f, ".{rest}")?;
            }
            write!(f, "e{}", e - 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap_or_else(|| panic!("{s} parses"))
    }

    #[test]
    fn equal_values_have_equal_representations() {
        assert_eq!(d("1e3"), d("1000"));
        assert_eq!(d("1000.000"), d("+1000"));
        assert_eq!(d("10e-3"), d("0.01"));
        assert_eq!(d("-0"), d("0"));
        assert_eq!(d("0.0e10"), d("0"));
        assert_ne!(d("1000"), d("1001"));
    }

    #[test]
    fn ordering_is_numeric() {
        assert!(d("-5") < d("-4.9"));
        assert!(d("-0.1") < d("0"));
        assert!(d("99") < d("100"));
        assert!(d("1.05") < d("1.5"));
        assert!(d("12345678901234567") < d("12345678901234568"));
        assert!(d("10e3") > d("9999.999"));
    }

    #[test]
    fn rejects_non_numbers() {
        for s in [
            "",
            "+",
            ".",
            "1e",
            "1e+",
            "abc",
            "1.2.3",
            "123.123.*",
            "0x10",
            "1 ",
            "e5",
        ] {
            assert!(Decimal::parse(s).is_none(), "{s:?}");
        }
        assert!(Decimal::parse("1e999999999999").is_none());
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "0",
            "1000",
            "55.5",
            "-0.001",
            "1e40",
            "1.5e-9",
            "123456789012",
            "1e21",
            "1e22",
        ] {
            let v = d(s);
            assert_eq!(d(&v.to_string()), v, "{s} -> {v}");
        }
        assert_eq!(d("1e3").to_string(), "1000");
        assert_eq!(d("10e-3").to_string(), "0.01");
    }

    #[test]
    fn integer_and_float_views() {
        assert_eq!(d("1e3").to_i128(), Some(1000));
        assert_eq!(d("-42").to_i128(), Some(-42));
        assert_eq!(d("1.5").to_i128(), None);
        assert_eq!(d("55.5").to_f64(), 55.5);
    }
}
