//! Exact decimal numbers for numerical questions ([`Decimal`]), and reading
//! a number as a Vietnamese trainee types it ([`read_number`]).
//!
//! Policy:
//!
//! - **Exact, never floating point.** A [`Decimal`] is an integer count of
//!   10⁻¹² units, so `0.1 + 0.2 == 0.3`, a tolerance of `0.05` means exactly
//!   that, and the client and the server (wasm32 and x86-64) score alike.
//!   Authored values have at most [`MAX_FRACTION_DIGITS`] decimals and
//!   [`MAX_INTEGER_DIGITS`] digits before the point.
//! - **Files are read the way the file formats write numbers**
//!   ([`Decimal::parse`]): a point for decimals, an optional exponent
//!   (`1.5e3`), as Moodle and QTI write them. In TOML an author may also
//!   write a plain number (`value = 1930`, `tolerance = 0.5`).
//! - **Trainees type Vietnamese numbers** ([`read_number`]): the comma is
//!   the decimal separator and the dot groups thousands (`1.930` is one
//!   thousand nine hundred and thirty, `2,5` is two and a half), while a
//!   phone's English keyboard habit (`2.5`) still reads right whenever it
//!   cannot be a thousands group. The rules, in order:
//!   1. spaces between digits group thousands (`1 930`, `1 930,5`), and a
//!      `.` or `,` after them is the decimal separator;
//!   2. with both `.` and `,`, the last one written is the decimal
//!      separator and the other groups thousands (`1.930,5` and `1,930.5`
//!      are both 1930.5);
//!   3. one `,` alone is a decimal comma (`2,5`; `1,930` is 1.93);
//!   4. one `.` alone groups thousands when exactly three digits follow it
//!      and one to three digits, not starting with 0, come before it
//!      (`1.930`, `12.500`); otherwise it is a decimal point (`2.5`,
//!      `3.14`, `0.125`, `1.2345`);
//!   5. two or more of the same separator group thousands (`1.000.000`,
//!      `1,000,000`);
//!   6. a group after the first has exactly three digits and the first has
//!      one to three, or the text is refused as unclear (`1.93.0`).
//!
//!   A leading `-`, `−` or `+` gives the sign. Anything else (letters,
//!   units, two decimal separators) is refused with a reason, so the page
//!   can say so before the answer is sent — and it shows how it read the
//!   number ([`Decimal::display`]), which settles any doubt.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Units in one: values are kept in 10⁻¹² steps.
const ONE: i128 = 1_000_000_000_000;
/// Decimal places a [`Decimal`] keeps.
const SCALE: usize = 12;
/// Most decimal places an authored value or a typed answer may have.
pub const MAX_FRACTION_DIGITS: usize = 10;
/// Most digits before the decimal point.
pub const MAX_INTEGER_DIGITS: usize = 24;
/// Longest typed answer read as a number, in characters.
pub const MAX_TYPED_CHARS: usize = 40;

/// An exact decimal number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal(i128);

/// Why a text is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberError {
    /// Nothing but spaces.
    Empty,
    /// Letters or signs that are not part of a number (a unit, a word).
    NotANumber,
    /// Digit groups that are not thousands (`1.93.0`), or two decimal
    /// separators.
    Unclear,
    /// Too many digits before or after the decimal separator.
    TooLong,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NumberError::Empty => "no number",
            NumberError::NotANumber => "not a number",
            NumberError::Unclear => "the digit groups or separators are unclear",
            NumberError::TooLong => "too many digits",
        })
    }
}

impl std::error::Error for NumberError {}

impl Decimal {
    pub const ZERO: Decimal = Decimal(0);

    /// A whole number.
    pub const fn from_int(n: i64) -> Decimal {
        Decimal(n as i128 * ONE)
    }

    /// `n / 10^places`, e.g. `from_parts(25, 1)` is 2.5.
    pub fn from_parts(n: i64, places: u32) -> Option<Decimal> {
        let places = usize::try_from(places).ok().filter(|&p| p <= SCALE)?;
        let scale = 10_i128.pow(u32::try_from(SCALE - places).ok()?);
        i128::from(n).checked_mul(scale).map(Decimal)
    }

    /// Reads a number as files write it: `-12`, `3.25`, `.5`, `1.5e3`,
    /// `+7`; surrounding spaces are ignored.
    pub fn parse(text: &str) -> Result<Decimal, NumberError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(NumberError::Empty);
        }
        let (negative, t) = sign(t);
        let (mantissa, exponent) = match t.find(['e', 'E']) {
            Some(i) => {
                let exp = &t[i + 1..];
                let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
                if digits.is_empty() || digits.len() > 3 || !all_digits(digits) {
                    return Err(NumberError::NotANumber);
                }
                let e: i32 = exp.parse().map_err(|_| NumberError::NotANumber)?;
                (&t[..i], e)
            }
            None => (t, 0),
        };
        let (int, frac) = match mantissa.split_once('.') {
            Some((i, f)) => (i, f),
            None => (mantissa, ""),
        };
        if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
            return Err(NumberError::NotANumber);
        }
        from_digits(negative, int, frac, exponent)
    }

    /// Whether the number is below zero.
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `|self - other|`, or `None` on overflow.
    pub fn abs_diff(self, other: Decimal) -> Option<Decimal> {
        self.0.checked_sub(other.0).map(|d| Decimal(d.abs()))
    }

    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        self.0.checked_add(other.0).map(Decimal)
    }

    pub fn checked_sub(self, other: Decimal) -> Option<Decimal> {
        self.0.checked_sub(other.0).map(Decimal)
    }

    /// The number times `n`, or `None` on overflow.
    pub fn checked_mul_int(self, n: i64) -> Option<Decimal> {
        self.0.checked_mul(i128::from(n)).map(Decimal)
    }

    /// The number divided by `n`, only when the quotient is exact (has at
    /// most twelve decimals); `None` otherwise or for `n == 0`.
    pub fn checked_div_exact(self, n: i64) -> Option<Decimal> {
        let n = i128::from(n);
        (n != 0 && self.0 % n == 0).then(|| Decimal(self.0 / n))
    }

    /// `self / other`, only when the quotient is exact to twelve decimals
    /// (`1 / 4`, not `1 / 3`); `None` otherwise, on overflow or for 0.
    pub fn checked_div(self, other: Decimal) -> Option<Decimal> {
        if other.0 == 0 {
            return None;
        }
        let scaled = self.0.checked_mul(ONE)?;
        (scaled % other.0 == 0).then(|| Decimal(scaled / other.0))
    }

    /// Half of the number, exact for the values authors write (at most
    /// [`MAX_FRACTION_DIGITS`] decimals); rounded towards zero otherwise.
    pub fn half(self) -> Decimal {
        Decimal(self.0 / 2)
    }

    /// The number of 10⁻¹² units, for exact arithmetic elsewhere (GIFT's
    /// weights).
    pub fn units(self) -> i128 {
        self.0
    }

    /// Units in one (see [`Decimal::units`]).
    pub const UNITS_PER_ONE: i128 = ONE;

    /// The number as a person reads it: digits before the separator in
    /// groups of three set apart by spaces (only from 10 000 on, so a year
    /// stays `1930`), then `,` (Vietnamese) or `.` (English) and the
    /// decimals. Unambiguous whichever way the trainee typed it.
    pub fn display(self, decimal_comma: bool) -> String {
        let plain = self.to_string();
        let (sign, rest) = match plain.strip_prefix('-') {
            Some(r) => ("-", r),
            None => ("", plain.as_str()),
        };
        let (int, frac) = match rest.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (rest, None),
        };
        let grouped = if int.len() > 4 {
            let mut out = String::new();
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    out.push('\u{202f}');
                }
                out.push(c);
            }
            out
        } else {
            int.to_string()
        };
        match frac {
            Some(f) => format!(
                "{sign}{grouped}{}{f}",
                if decimal_comma { ',' } else { '.' }
            ),
            None => format!("{sign}{grouped}"),
        }
    }
}

fn sign(t: &str) -> (bool, &str) {
    if let Some(r) = t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}')) {
        (true, r.trim_start())
    } else if let Some(r) = t.strip_prefix('+') {
        (false, r.trim_start())
    } else {
        (false, t)
    }
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// The number `±int.frac × 10^exponent`.
fn from_digits(
    negative: bool,
    int: &str,
    frac: &str,
    exponent: i32,
) -> Result<Decimal, NumberError> {
    // Shift the decimal point by the exponent, on the digit strings.
    let mut digits: String = format!("{int}{frac}");
    let mut point =
        i64::try_from(int.len()).map_err(|_| NumberError::TooLong)? + i64::from(exponent);
    if point < 0 {
        digits.insert_str(0, &"0".repeat(usize::try_from(-point).unwrap_or(0)));
        point = 0;
    }
    let point = usize::try_from(point).map_err(|_| NumberError::TooLong)?;
    while digits.len() < point {
        digits.push('0');
    }
    let (int, frac) = digits.split_at(point);
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    if int.len() > MAX_INTEGER_DIGITS || frac.len() > MAX_FRACTION_DIGITS {
        return Err(NumberError::TooLong);
    }
    let whole: i128 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| NumberError::TooLong)?
    };
    let mut fraction: i128 = 0;
    for (i, d) in frac.bytes().enumerate() {
        fraction += i128::from(d - b'0') * 10_i128.pow(u32::try_from(SCALE - 1 - i).unwrap_or(0));
    }
    let units = whole
        .checked_mul(ONE)
        .and_then(|w| w.checked_add(fraction))
        .ok_or(NumberError::TooLong)?;
    Ok(Decimal(if negative { -units } else { units }))
}

impl fmt::Display for Decimal {
    /// The canonical form: `-12`, `3.25`, `0.5`; no exponent, no trailing
    /// zeros. [`Decimal::parse`] reads it back to the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let one = ONE.unsigned_abs();
        let whole = abs / one;
        let frac = abs % one;
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let digits = format!("{frac:012}");
            write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl FromStr for Decimal {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Decimal, NumberError> {
        Decimal::parse(s)
    }
}

impl Serialize for Decimal {
    /// As its canonical text, so JSON and TOML keep the exact value.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    /// From a string (`"2.5"`), an integer (`1930`) or a float (`0.5`, read
    /// through its shortest decimal form, which is what the author wrote).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or a number in a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
                Decimal::parse(v).map_err(|e| E::custom(format!("{v:?}: {e}")))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal::from_int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
                i64::try_from(v)
                    .map(Decimal::from_int)
                    .map_err(|_| E::custom("number too large"))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
                if !v.is_finite() {
                    return Err(E::custom("not a finite number"));
                }
                let text = format!("{v:?}");
                Decimal::parse(&text).map_err(|e| E::custom(format!("{text}: {e}")))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Reads a number as a trainee types it, by the rules in the
/// [module doc](self).
pub fn read_number(input: &str) -> Result<Decimal, NumberError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(NumberError::Empty);
    }
    if t.chars().count() > MAX_TYPED_CHARS {
        return Err(NumberError::TooLong);
    }
    let (negative, t) = sign(t);
    let is_space = |c: char| c.is_whitespace() || c == '\u{202f}' || c == '\u{a0}';
    if t.chars()
        .any(|c| !(c.is_ascii_digit() || c == '.' || c == ',' || is_space(c)))
    {
        return Err(NumberError::NotANumber);
    }
    // Spaces are grouping only between digits.
    let chars: Vec<char> = t.chars().collect();
    let mut spaced = false;
    for (i, &c) in chars.iter().enumerate() {
        if is_space(c) {
            let digit_before = i > 0 && chars[i - 1].is_ascii_digit();
            let digit_after = chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if !(digit_before && digit_after) {
                return Err(NumberError::Unclear);
            }
            spaced = true;
        }
    }
    let dots = t.matches('.').count();
    let commas = t.matches(',').count();
    let (group, decimal): (Option<char>, Option<char>) = if spaced {
        match (dots, commas) {
            (0, 0) => (Some(' '), None),
            (1, 0) => (Some(' '), Some('.')),
            (0, 1) => (Some(' '), Some(',')),
            _ => return Err(NumberError::Unclear),
        }
    } else {
        match (dots, commas) {
            (0, 0) => (None, None),
            (_, 0) if dots >= 2 => (Some('.'), None),
            (0, _) if commas >= 2 => (Some(','), None),
            (0, 1) => (None, Some(',')),
            (1, 0) => {
                let (before, after) = t.split_once('.').unwrap_or((t, ""));
                let thousands = after.len() == 3
                    && all_digits(after)
                    && (1..=3).contains(&before.len())
                    && !before.starts_with('0');
                if thousands {
                    (Some('.'), None)
                } else {
                    (None, Some('.'))
                }
            }
            _ => {
                let last_dot = t.rfind('.').unwrap_or(0);
                let last_comma = t.rfind(',').unwrap_or(0);
                let (decimal, group) = if last_dot > last_comma {
                    ('.', ',')
                } else {
                    (',', '.')
                };
                if t.matches(decimal).count() != 1 {
                    return Err(NumberError::Unclear);
                }
                (Some(group), Some(decimal))
            }
        }
    };
    let (int_part, frac) = match decimal {
        Some(d) => t.split_once(d).unwrap_or((t, "")),
        None => (t, ""),
    };
    let int: String = match group {
        Some(g) => {
            let groups: Vec<&str> = if g == ' ' {
                int_part.split(is_space).collect()
            } else {
                int_part.split(g).collect()
            };
            let well_grouped = groups.len() < 2
                || (groups.iter().skip(1).all(|g| g.len() == 3)
                    && (1..=3).contains(&groups[0].len()));
            if !well_grouped {
                return Err(NumberError::Unclear);
            }
            groups.concat()
        }
        None => int_part.to_string(),
    };
    if !all_digits(&int) || !all_digits(frac) || (int.is_empty() && frac.is_empty()) {
        return Err(NumberError::Unclear);
    }
    from_digits(negative, &int, frac, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_products_and_quotients() {
        let credit = Decimal::parse("33.33333").unwrap();
        let score = credit
            .checked_mul_int(3)
            .unwrap()
            .checked_div_exact(100)
            .unwrap();
        assert_eq!(score.to_string(), "0.9999999");
        assert_eq!(
            score.checked_mul_int(100).unwrap().checked_div_exact(3),
            Some(credit)
        );
        assert_eq!(Decimal::from_int(1).checked_div_exact(3), None);
        assert_eq!(Decimal::from_int(1).checked_div_exact(0), None);
        let half = Decimal::parse("0.5").unwrap();
        assert_eq!(
            half.checked_div(Decimal::from_int(2)),
            Decimal::parse("0.25").ok()
        );
        assert_eq!(Decimal::from_int(1).checked_div(Decimal::from_int(3)), None);
    }
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn files_write_numbers_with_a_point() {
        assert_eq!(d("1930").to_string(), "1930");
        assert_eq!(d(" -3.250 ").to_string(), "-3.25");
        assert_eq!(d(".5").to_string(), "0.5");
        assert_eq!(d("+7").to_string(), "7");
        assert_eq!(d("1.5e3").to_string(), "1500");
        assert_eq!(d("25E-3").to_string(), "0.025");
        assert_eq!(d("0.1").checked_add(d("0.2")), Some(d("0.3")));
        assert_eq!(d("1").checked_add(d("5")).map(Decimal::half), Some(d("3")));
        for bad in ["", " ", "abc", "1,5", "1.2.3", "e5", "1e", "--1", "1 000"] {
            assert!(Decimal::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(Decimal::parse("0.00000000001"), Err(NumberError::TooLong));
        assert_eq!(Decimal::parse(&"9".repeat(25)), Err(NumberError::TooLong));
    }

    #[test]
    fn vietnamese_input_reads_right() {
        let r = |s: &str| read_number(s).map(|v| v.to_string());
        // The two cases.
        assert_eq!(r("1.930"), Ok("1930".into()));
        assert_eq!(r("2,5"), Ok("2.5".into()));
        // Rule 1: spaces group.
        assert_eq!(r("1 930"), Ok("1930".into()));
        assert_eq!(r("1\u{a0}930,5"), Ok("1930.5".into()));
        assert_eq!(r("96 208 984"), Ok("96208984".into()));
        assert_eq!(r("1 930.5"), Ok("1930.5".into()));
        // Rule 2: both separators, the last is the decimal one.
        assert_eq!(r("1.930,5"), Ok("1930.5".into()));
        assert_eq!(r("1,930.5"), Ok("1930.5".into()));
        assert_eq!(r("1.000.000,25"), Ok("1000000.25".into()));
        // Rule 3: a lone comma is decimal.
        assert_eq!(r("1,930"), Ok("1.93".into()));
        assert_eq!(r(",5"), Ok("0.5".into()));
        // Rule 4: a lone dot.
        assert_eq!(r("12.500"), Ok("12500".into()));
        assert_eq!(r("2.5"), Ok("2.5".into()));
        assert_eq!(r("3.14"), Ok("3.14".into()));
        assert_eq!(r("0.125"), Ok("0.125".into()));
        assert_eq!(r("1.2345"), Ok("1.2345".into()));
        assert_eq!(r("1234.567"), Ok("1234.567".into()));
        // Rule 5: repeated separators group.
        assert_eq!(r("1.000.000"), Ok("1000000".into()));
        assert_eq!(r("1,000,000"), Ok("1000000".into()));
        // Signs.
        assert_eq!(r("-5"), Ok("-5".into()));
        assert_eq!(r("\u{2212}2,5"), Ok("-2.5".into()));
        assert_eq!(r("+ 3"), Ok("3".into()));
        // Rule 6 and the rest: refused with a reason.
        assert_eq!(r("1.93.0"), Err(NumberError::Unclear));
        assert_eq!(r("1,930,5"), Err(NumberError::Unclear));
        assert_eq!(r("1.930,5,2"), Err(NumberError::Unclear));
        assert_eq!(r("12 34"), Err(NumberError::Unclear));
        assert_eq!(r("1930 năm"), Err(NumberError::NotANumber));
        assert_eq!(r("1e3"), Err(NumberError::NotANumber));
        assert_eq!(r("   "), Err(NumberError::Empty));
        assert_eq!(r("."), Err(NumberError::Unclear));
        assert_eq!(r(&"1".repeat(41)), Err(NumberError::TooLong));
    }

    #[test]
    fn display_is_unambiguous() {
        assert_eq!(d("1930").display(true), "1930");
        assert_eq!(d("2.5").display(true), "2,5");
        assert_eq!(d("2.5").display(false), "2.5");
        assert_eq!(d("96208984").display(true), "96\u{202f}208\u{202f}984");
        assert_eq!(d("-12345.5").display(true), "-12\u{202f}345,5");
    }

    #[test]
    fn serde_takes_strings_integers_and_floats() {
        let v: Decimal = serde_json::from_str("\"2.50\"").unwrap();
        assert_eq!(v, d("2.5"));
        let v: Decimal = serde_json::from_str("1930").unwrap();
        assert_eq!(v, d("1930"));
        let v: Decimal = serde_json::from_str("0.1").unwrap();
        assert_eq!(v, d("0.1"));
        assert_eq!(serde_json::to_string(&d("0.10")).unwrap(), "\"0.1\"");
        assert!(serde_json::from_str::<Decimal>("\"x\"").is_err());
    }

    proptest! {
        /// The canonical text reads back to the same value.
        #[test]
        fn canonical_text_round_trips(units in -(10_i128.pow(30))..10_i128.pow(30)) {
            // Authored values have at most 10 decimals.
            let v = Decimal(units - units % 100);
            prop_assert_eq!(Decimal::parse(&v.to_string()), Ok(v));
        }

        /// Whole numbers typed plainly, with dots, spaces or commas between
        /// groups of three, all read as themselves; with a decimal comma or
        /// point the decimals are kept.
        #[test]
        fn typed_numbers_read_as_written(n in 0u64..10_000_000_000, frac in proptest::option::of(1u32..1000)) {
            let plain = n.to_string();
            let group = |sep: &str| {
                let mut out = String::new();
                for (i, c) in plain.chars().enumerate() {
                    if i > 0 && (plain.len() - i) % 3 == 0 {
                        out.push_str(sep);
                    }
                    out.push(c);
                }
                out
            };
            let value = match frac {
                None => Decimal::from_int(n as i64),
                Some(f) => Decimal::parse(&format!("{n}.{f:03}")).unwrap(),
            };
            let tail = |sep: char| frac.map(|f| format!("{sep}{f:03}")).unwrap_or_default();
            prop_assert_eq!(read_number(&format!("{plain}{}", tail(','))), Ok(value));
            prop_assert_eq!(read_number(&format!("{}{}", group(" "), tail(','))), Ok(value));
            prop_assert_eq!(read_number(&format!("{}{}", group("."), tail(','))), Ok(value));
            // Commas group only where they cannot be a decimal comma: two
            // or more of them, or one before a decimal point.
            let commas = group(",").matches(',').count();
            if commas >= 2 || (commas == 1 && frac.is_some()) || (commas == 0 && frac.is_none()) {
                prop_assert_eq!(read_number(&format!("{}{}", group(","), tail('.'))), Ok(value));
            }
            // The display form reads back too (spaces, decimal comma).
            prop_assert_eq!(read_number(&value.display(true)), Ok(value));
        }

        /// Reading never panics, and what it reads displays and reads back
        /// to the same value.
        #[test]
        fn reading_anything_is_safe(s in "[0-9.,  \\-a]{0,16}") {
            if let Ok(v) = read_number(&s) {
                prop_assert_eq!(read_number(&v.display(true)), Ok(v));
            }
        }
    }
}
