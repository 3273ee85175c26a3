//! Numbers as people read them: a comma every three digits and a true
//! minus sign (`−46,000`), for every figure the crate prints. Private:
//! [`group_thousands`] and [`signed_thousands`] are public from
//! [`interval`](crate::interval).

use std::fmt;

use rust_decimal::Decimal;

/// Formats a figure with thousands separators, a true minus sign and no trailing zeros.
///
/// `46000` gives `"46,000"`, `-1650` gives `"−1,650"` (U+2212), `12.50` gives `"12.5"`;
/// the fractional part is not grouped.
///
/// # Example
///
/// ```
/// use posture_ledger::interval::group_thousands;
/// use rust_decimal::Decimal;
///
/// assert_eq!(group_thousands(&Decimal::from(46_000)), "46,000");
/// assert_eq!(group_thousands(&Decimal::from(-1_650)), "−1,650");
/// assert_eq!(group_thousands(&Decimal::new(1250, 2)), "12.5");
/// ```
#[must_use]
pub fn group_thousands(d: &Decimal) -> String {
    let mut out = String::new();
    // Writing to a `String` cannot fail.
    let _ = write_thousands(&mut out, d);
    out
}

/// [`group_thousands`] as a `Display`, written where it is printed, without
/// a `String` of its own.
pub(crate) struct Thousands<'a>(pub &'a Decimal);

impl fmt::Display for Thousands<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_thousands(f, self.0)
    }
}

/// Writes what [`group_thousands`] returns, from the decimal's digits, with
/// no allocation and in one write: findings print hundreds of thousands of
/// figures.
pub(crate) fn write_thousands(out: &mut impl fmt::Write, d: &Decimal) -> fmt::Result {
    let d = d.normalize();
    if d.is_zero() {
        // Also covers negative zero, which would otherwise print as "-0".
        return out.write_char('0');
    }
    // The mantissa's digits, least significant first: at most 29 of 96 bits.
    let mut digits = [0u8; 29];
    let mut len = 0;
    // A 128-bit division is a call, a 64-bit division by ten a multiply:
    // divide in 128 bits only until the rest fits in 64, as nearly every
    // figure does from the start.
    let mut wide = d.mantissa().unsigned_abs();
    while wide > u128::from(u64::MAX) {
        digits[len] = b'0' + (wide % 10) as u8;
        wide /= 10;
        len += 1;
    }
    let mut rest = u64::try_from(wide).unwrap_or(0);
    while rest > 0 && len < digits.len() {
        digits[len] = b'0' + (rest % 10) as u8;
        rest /= 10;
        len += 1;
    }
    let scale = (d.scale() as usize).min(28);
    let whole = len.saturating_sub(scale);
    // The text: a sign (3 bytes), up to 29 digits with 9 commas, a point and
    // up to 28 zeros before the fraction's digits: under 80 bytes.
    let mut text = [0u8; 80];
    let mut n = 0;
    let mut push = |bytes: &[u8]| {
        text[n..n + bytes.len()].copy_from_slice(bytes);
        n += bytes.len();
    };
    let digit = |i: usize| digits[len - 1 - i];
    if d.is_sign_negative() {
        push("−".as_bytes());
    }
    if whole == 0 {
        push(b"0");
    }
    for i in 0..whole {
        if i > 0 && (whole - i) % 3 == 0 {
            push(b",");
        }
        push(&[digit(i)]);
    }
    if scale > 0 {
        push(b".");
        for _ in len..scale {
            push(b"0");
        }
        for i in whole..len {
            push(&[digit(i)]);
        }
    }
    out.write_str(std::str::from_utf8(&text[..n]).map_err(|_| fmt::Error)?)
}

/// A change with its sign: `+46,000`, `−2,000`, `0`.
///
/// # Example
///
/// ```
/// use posture_ledger::interval::signed_thousands;
/// use rust_decimal::Decimal;
///
/// assert_eq!(signed_thousands(&Decimal::from(46_000)), "+46,000");
/// assert_eq!(signed_thousands(&Decimal::from(-2_000)), "−2,000");
/// assert_eq!(signed_thousands(&Decimal::ZERO), "0");
/// ```
#[must_use]
pub fn signed_thousands(d: &Decimal) -> String {
    if d.is_sign_positive() && !d.is_zero() {
        format!("+{}", group_thousands(d))
    } else {
        group_thousands(d)
    }
}

/// Writes a whole number with a comma every three digits and a true minus sign: `−46,000`.
pub(crate) fn whole(n: i128) -> String {
    // Counts and their differences fit a decimal's 96 bits; anything larger
    // is written plainly rather than lost.
    match Decimal::try_from_i128_with_scale(n, 0) {
        Ok(d) => group_thousands(&d),
        Err(_) => n.to_string(),
    }
}

/// A whole number with its sign: `+46,000`, `−2,000`, `0`.
pub(crate) fn signed_whole(n: i128) -> String {
    match Decimal::try_from_i128_with_scale(n, 0) {
        Ok(d) => signed_thousands(&d),
        Err(_) => n.to_string(),
    }
}
