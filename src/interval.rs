//! Intervals of decimal figures: exact, open or closed at each end, or unbounded.
//!
//! A hedged claim ("some 3,700", "more than 100,000") is read as the set of figures
//! it allows, an [`Interval`], and consistency between claims is interval arithmetic.
//! An interval is never empty: every constructor that could produce an empty set
//! checks for it and returns [`IntervalError::Empty`].
//!
//! Arithmetic is exact whenever the result fits in a [`Decimal`] (28 significant
//! digits). When `rust_decimal` has to round a bound, the bound is moved outwards by
//! one unit in its last place, so a computed interval always contains every figure
//! the operands allow. Overflow is an [`IntervalError::Overflow`], never a panic.
//!
//! # Example
//!
//! ```
//! use posture_ledger::interval::Interval;
//! use rust_decimal::Decimal;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // "4,000-strong" now, 50,000 requested.
//! let now = Interval::closed(Decimal::from(3_500), Decimal::from(4_500))?;
//! let requested = Interval::exact(Decimal::from(50_000));
//! let increase = requested.checked_sub(&now)?;
//! assert_eq!(increase.to_string(), "[45,500, 46,500]");
//!
//! // "more than 100,000" now: any increase of 20,000 still leaves more than 80,000.
//! let after = Interval::more_than(Decimal::from(100_000));
//! let before = after.checked_sub(&Interval::exact(Decimal::from(20_000)))?;
//! assert_eq!(before.to_string(), "(80,000, +∞)");
//! # Ok(())
//! # }
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::ops::Neg;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::number::{group_thousands, signed_thousands};
use crate::number::{write_thousands, Thousands};

/// One end of an [`Interval`]: unbounded, or a figure that is included or excluded.
///
/// Serialized as `"unbounded"`, `{"included": "3650"}` or `{"excluded": "3750"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// No bound: −∞ as a low end, +∞ as a high end. Infinity is never a member.
    Unbounded,
    /// The figure is a member of the interval (a closed end, `[` or `]`).
    Included(Decimal),
    /// The figure is not a member, but every figure beyond it is (an open end).
    Excluded(Decimal),
}

impl Bound {
    /// The figure at this end, or `None` if the end is unbounded.
    #[must_use]
    pub fn value(&self) -> Option<Decimal> {
        match *self {
            Bound::Unbounded => None,
            Bound::Included(v) | Bound::Excluded(v) => Some(v),
        }
    }

    /// Whether the end is [`Bound::Unbounded`].
    #[must_use]
    pub fn is_unbounded(&self) -> bool {
        matches!(self, Bound::Unbounded)
    }

    /// A finite bound, included or not.
    fn finite(value: Decimal, included: bool) -> Bound {
        if included {
            Bound::Included(value)
        } else {
            Bound::Excluded(value)
        }
    }

    /// The figure and whether it is included, for a finite bound.
    fn parts(self) -> Option<(Decimal, bool)> {
        match self {
            Bound::Unbounded => None,
            Bound::Included(v) => Some((v, true)),
            Bound::Excluded(v) => Some((v, false)),
        }
    }

    /// The same end with its figure negated (a low end becomes a high end).
    fn negated(self) -> Bound {
        match self {
            Bound::Unbounded => Bound::Unbounded,
            Bound::Included(v) => Bound::Included(-v),
            Bound::Excluded(v) => Bound::Excluded(-v),
        }
    }
}

impl fmt::Display for Bound {
    /// Writes `unbounded`, `included 3,650` or `excluded 3,750`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::Unbounded => f.write_str("unbounded"),
            Bound::Included(v) => write!(f, "included {}", Thousands(v)),
            Bound::Excluded(v) => write!(f, "excluded {}", Thousands(v)),
        }
    }
}

/// Orders two bounds used as low ends: the one that admits smaller figures first.
pub(crate) fn cmp_low(a: Bound, b: Bound) -> Ordering {
    match (a.parts(), b.parts()) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        // At the same figure an included low end starts earlier than an excluded one.
        (Some((x, xi)), Some((y, yi))) => x.cmp(&y).then(yi.cmp(&xi)),
    }
}

/// Orders two bounds used as high ends: the one that admits larger figures last.
pub(crate) fn cmp_high(a: Bound, b: Bound) -> Ordering {
    match (a.parts(), b.parts()) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        // At the same figure an included high end ends later than an excluded one.
        (Some((x, xi)), Some((y, yi))) => x.cmp(&y).then(xi.cmp(&yi)),
    }
}

/// The arithmetic or measurement that overflowed, named in [`IntervalError::Overflow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IntervalOp {
    /// `left + right`.
    Add,
    /// `left − right`.
    Sub,
    /// `left × right` (a scalar multiplication has a point as `right`).
    Mul,
    /// `left ÷ right`.
    Div,
    /// The width of `left` (`right` repeats it).
    Width,
    /// The gap between `left` and `right`.
    Gap,
}

/// An error from building an interval or computing with intervals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IntervalError {
    /// The ends describe no figure at all: low above high, or equal with an excluded end.
    #[error("empty interval {}", show_ends(*.low, *.high))]
    Empty {
        /// The requested low end.
        low: Bound,
        /// The requested high end.
        high: Bound,
    },
    /// A bound of the result is outside the range of [`Decimal`].
    #[error("overflow: {} is outside the decimal range", show_operation(*.operation, .left, .right))]
    Overflow {
        /// What was being computed.
        operation: IntervalOp,
        /// The left operand (the interval measured, for a width).
        left: Interval,
        /// The right operand (a point for a scalar multiplication).
        right: Interval,
    },
    /// The divisor contains zero, so the ratio has no bounds.
    #[error("division by zero: divisor {divisor} contains 0")]
    DivisionByZero {
        /// The offending divisor.
        divisor: Interval,
    },
}

fn show_operation(operation: IntervalOp, left: &Interval, right: &Interval) -> String {
    match operation {
        IntervalOp::Add => format!("{left} + {right}"),
        IntervalOp::Sub => format!("{left} − {right}"),
        IntervalOp::Mul => format!("{left} × {right}"),
        IntervalOp::Div => format!("{left} ÷ {right}"),
        IntervalOp::Width => format!("the width of {left}"),
        IntervalOp::Gap => format!("the gap between {left} and {right}"),
    }
}

/// A non-empty set of decimal figures between two [`Bound`]s.
///
/// Fields are private: every value is non-empty by construction.
///
/// Serialized as `{"low": <bound>, "high": <bound>}`, for instance
/// `{"low": {"included": "3650"}, "high": {"excluded": "3750"}}`; deserializing an
/// empty interval fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "IntervalRepr")]
pub struct Interval {
    low: Bound,
    high: Bound,
}

/// The unchecked shape of an interval on the wire.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntervalRepr {
    low: Bound,
    high: Bound,
}

impl TryFrom<IntervalRepr> for Interval {
    type Error = IntervalError;

    fn try_from(repr: IntervalRepr) -> Result<Self, Self::Error> {
        Interval::new(repr.low, repr.high)
    }
}

/// Marks an overflow inside a helper; the public method names the operation.
struct Overflowed;

/// Which way to round a bound that `rust_decimal` cannot represent exactly.
#[derive(Clone, Copy)]
enum Round {
    Down,
    Up,
}

/// Moves a rounded figure one unit in its last place outwards.
///
/// `rust_decimal` rounds to the nearest figure at the result's scale, so the exact
/// value lies within half a unit of that scale; one unit covers it. A zero produced
/// by rounding comes from a value below half of 10⁻²⁸.
fn nudge(x: Decimal, round: Round) -> Result<Decimal, Overflowed> {
    let (mantissa, scale) = if x.is_zero() {
        (0, Decimal::MAX_SCALE)
    } else {
        (x.mantissa(), x.scale())
    };
    let moved = match round {
        Round::Down => mantissa.checked_sub(1),
        Round::Up => mantissa.checked_add(1),
    }
    .ok_or(Overflowed)?;
    Decimal::try_from_i128_with_scale(moved, scale).map_err(|_| Overflowed)
}

/// `a + b`, rounded in the given direction if it cannot be exact.
fn add_round(a: Decimal, b: Decimal, round: Round) -> Result<Decimal, Overflowed> {
    if a.is_zero() {
        return Ok(b);
    }
    if b.is_zero() {
        return Ok(a);
    }
    let sum = a.checked_add(b).ok_or(Overflowed)?;
    // An exact sum keeps the larger scale; rust_decimal only lowers it to round.
    if sum.scale() == a.scale().max(b.scale()) {
        Ok(sum)
    } else {
        nudge(sum, round)
    }
}

/// Whether `product` is exactly `a × b` (rust_decimal lowers the scale only to round).
fn is_exact_product(a: Decimal, b: Decimal, product: Decimal) -> bool {
    a.is_zero() || b.is_zero() || product.scale() == a.scale() + b.scale()
}

/// `a × b`, rounded in the given direction if it cannot be exact.
fn mul_round(a: Decimal, b: Decimal, round: Round) -> Result<Decimal, Overflowed> {
    if a.is_zero() || b.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let product = a.checked_mul(b).ok_or(Overflowed)?;
    if is_exact_product(a, b, product) {
        Ok(product)
    } else {
        nudge(product, round)
    }
}

/// `a ÷ b` for a non-zero `b`, rounded in the given direction if it cannot be exact.
fn div_round(a: Decimal, b: Decimal, round: Round) -> Result<Decimal, Overflowed> {
    if a.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let quotient = a.checked_div(b).ok_or(Overflowed)?;
    // The quotient is exact when multiplying it back gives `a` without rounding.
    let exact = !quotient.is_zero()
        && quotient
            .checked_mul(b)
            .is_some_and(|back| back == a && is_exact_product(quotient, b, back));
    if exact {
        Ok(quotient)
    } else {
        nudge(quotient, round)
    }
}

/// A non-empty interval within [0, +∞): its low end is finite and non-negative.
#[derive(Clone, Copy)]
struct Ray {
    low: Decimal,
    low_included: bool,
    high: Option<(Decimal, bool)>,
}

impl Ray {
    fn from_interval(interval: &Interval) -> Option<Ray> {
        let (low, low_included) = interval.low.parts()?;
        if low.is_sign_negative() && !low.is_zero() {
            return None;
        }
        Some(Ray {
            low,
            low_included,
            high: interval.high.parts(),
        })
    }

    /// The ray of an interval that lies entirely above zero (zero itself excluded).
    fn positive(interval: &Interval) -> Option<Ray> {
        Ray::from_interval(interval).filter(|ray| !(ray.low.is_zero() && ray.low_included))
    }

    fn is_zero_point(&self) -> bool {
        self.low.is_zero() && matches!(self.high, Some((h, true)) if h.is_zero())
    }

    /// Whether zero is a member, so that a product or quotient reaches zero exactly.
    fn holds_zero(&self) -> bool {
        self.low.is_zero() && self.low_included
    }
}

/// Which side of zero a [`Ray`] came from: a negative piece is stored negated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    NonNegative,
    NonPositive,
}

/// `p × q` for two rays, with outward rounding.
fn mul_rays(p: Ray, q: Ray) -> Result<Interval, Overflowed> {
    if p.is_zero_point() || q.is_zero_point() {
        return Ok(Interval::exact(Decimal::ZERO));
    }
    // The infimum p.low × q.low is reached when both ends are, or when one factor
    // reaches zero (zero times anything is zero).
    let low = Bound::finite(
        mul_round(p.low, q.low, Round::Down)?,
        p.holds_zero() || q.holds_zero() || (p.low_included && q.low_included),
    );
    // Neither ray is {0}, so both reach above zero and an unbounded factor makes
    // the product unbounded.
    let high = match (p.high, q.high) {
        (Some((ph, pi)), Some((qh, qi))) => Bound::finite(mul_round(ph, qh, Round::Up)?, pi && qi),
        _ => Bound::Unbounded,
    };
    Ok(Interval::from_valid(low, high))
}

/// `p ÷ q` for a ray `p` and a ray `q` that excludes zero, with outward rounding.
fn div_rays(p: Ray, q: Ray) -> Result<Interval, Overflowed> {
    if p.is_zero_point() {
        return Ok(Interval::exact(Decimal::ZERO));
    }
    let low = match q.high {
        // x ÷ y tends to 0 as y grows without bound; it reaches 0 only if x can be 0.
        None => Bound::finite(Decimal::ZERO, p.holds_zero()),
        Some((qh, qi)) => Bound::finite(
            div_round(p.low, qh, Round::Down)?,
            p.holds_zero() || (p.low_included && qi),
        ),
    };
    let high = match p.high {
        None => Bound::Unbounded,
        // A divisor approaching zero from above (an excluded 0) makes the ratio unbounded.
        Some(_) if q.low.is_zero() => Bound::Unbounded,
        Some((ph, pi)) => Bound::finite(div_round(ph, q.low, Round::Up)?, pi && q.low_included),
    };
    Ok(Interval::from_valid(low, high))
}

/// Renders a pair of ends in math notation, whether or not they form a valid interval.
fn show_ends(low: Bound, high: Bound) -> String {
    let mut out = String::new();
    // Writing to a `String` cannot fail.
    let _ = write_ends(&mut out, low, high);
    out
}

fn write_ends(out: &mut impl fmt::Write, low: Bound, high: Bound) -> fmt::Result {
    match low {
        Bound::Unbounded => out.write_str("(−∞")?,
        Bound::Included(v) => {
            out.write_char('[')?;
            write_thousands(out, &v)?;
        }
        Bound::Excluded(v) => {
            out.write_char('(')?;
            write_thousands(out, &v)?;
        }
    }
    out.write_str(", ")?;
    match high {
        Bound::Unbounded => out.write_str("+∞)"),
        Bound::Included(v) => {
            write_thousands(out, &v)?;
            out.write_char(']')
        }
        Bound::Excluded(v) => {
            write_thousands(out, &v)?;
            out.write_char(')')
        }
    }
}

impl Interval {
    /// Builds the interval between two ends.
    ///
    /// # Errors
    ///
    /// [`IntervalError::Empty`] if the low figure is above the high figure, or if they
    /// are equal and either end is excluded.
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::interval::{Bound, Interval};
    /// use rust_decimal::Decimal;
    ///
    /// # fn main() -> Result<(), posture_ledger::interval::IntervalError> {
    /// let i = Interval::new(Bound::Included(Decimal::from(10_000)), Bound::Excluded(Decimal::from(100_000)))?;
    /// assert_eq!(i.to_string(), "[10,000, 100,000)");
    /// assert!(Interval::new(Bound::Included(Decimal::ONE), Bound::Excluded(Decimal::ONE)).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(low: Bound, high: Bound) -> Result<Interval, IntervalError> {
        if let (Some((l, li)), Some((h, hi))) = (low.parts(), high.parts()) {
            if l > h || (l == h && !(li && hi)) {
                return Err(IntervalError::Empty { low, high });
            }
        }
        Ok(Interval { low, high })
    }

    /// Wraps ends that the caller has proven non-empty.
    fn from_valid(low: Bound, high: Bound) -> Interval {
        debug_assert!(
            Interval::new(low, high).is_ok(),
            "empty interval {}",
            show_ends(low, high)
        );
        Interval { low, high }
    }

    /// The single figure `[v, v]`.
    #[must_use]
    pub fn exact(v: Decimal) -> Interval {
        Interval {
            low: Bound::Included(v),
            high: Bound::Included(v),
        }
    }

    /// The single figure `[v, v]`; the same as [`Interval::exact`].
    #[must_use]
    pub fn point(v: Decimal) -> Interval {
        Interval::exact(v)
    }

    /// Every figure from `v` up: `[v, +∞)`.
    #[must_use]
    pub fn at_least(v: Decimal) -> Interval {
        Interval {
            low: Bound::Included(v),
            high: Bound::Unbounded,
        }
    }

    /// Every figure above `v`: `(v, +∞)`.
    #[must_use]
    pub fn more_than(v: Decimal) -> Interval {
        Interval {
            low: Bound::Excluded(v),
            high: Bound::Unbounded,
        }
    }

    /// Every figure up to and including `v`: `(−∞, v]`.
    #[must_use]
    pub fn at_most(v: Decimal) -> Interval {
        Interval {
            low: Bound::Unbounded,
            high: Bound::Included(v),
        }
    }

    /// Every figure below `v`: `(−∞, v)`.
    #[must_use]
    pub fn less_than(v: Decimal) -> Interval {
        Interval {
            low: Bound::Unbounded,
            high: Bound::Excluded(v),
        }
    }

    /// Every figure: `(−∞, +∞)`.
    #[must_use]
    pub fn unbounded() -> Interval {
        Interval {
            low: Bound::Unbounded,
            high: Bound::Unbounded,
        }
    }

    /// `[a, b]`.
    ///
    /// # Errors
    ///
    /// [`IntervalError::Empty`] if `a > b`.
    pub fn closed(a: Decimal, b: Decimal) -> Result<Interval, IntervalError> {
        Interval::new(Bound::Included(a), Bound::Included(b))
    }

    /// `(a, b)`.
    ///
    /// # Errors
    ///
    /// [`IntervalError::Empty`] if `a >= b`.
    pub fn open(a: Decimal, b: Decimal) -> Result<Interval, IntervalError> {
        Interval::new(Bound::Excluded(a), Bound::Excluded(b))
    }

    /// `[a, b)`.
    ///
    /// # Errors
    ///
    /// [`IntervalError::Empty`] if `a >= b`.
    pub fn closed_open(a: Decimal, b: Decimal) -> Result<Interval, IntervalError> {
        Interval::new(Bound::Included(a), Bound::Excluded(b))
    }

    /// `(a, b]`.
    ///
    /// # Errors
    ///
    /// [`IntervalError::Empty`] if `a >= b`.
    pub fn open_closed(a: Decimal, b: Decimal) -> Result<Interval, IntervalError> {
        Interval::new(Bound::Excluded(a), Bound::Included(b))
    }

    /// The low end.
    #[must_use]
    pub fn low(&self) -> Bound {
        self.low
    }

    /// The high end.
    #[must_use]
    pub fn high(&self) -> Bound {
        self.high
    }

    /// Whether `v` is a member.
    #[must_use]
    pub fn contains(&self, v: Decimal) -> bool {
        let above_low = match self.low {
            Bound::Unbounded => true,
            Bound::Included(l) => v >= l,
            Bound::Excluded(l) => v > l,
        };
        let below_high = match self.high {
            Bound::Unbounded => true,
            Bound::Included(h) => v <= h,
            Bound::Excluded(h) => v < h,
        };
        above_low && below_high
    }

    /// The single member of a point interval, or `None` if there are several.
    #[must_use]
    pub fn is_exact(&self) -> Option<Decimal> {
        match (self.low, self.high) {
            (Bound::Included(l), Bound::Included(h)) if l == h => Some(l),
            _ => None,
        }
    }

    /// The figures in both intervals, or `None` if they have none in common.
    ///
    /// `[1, 2)` and `[2, 3]` have none in common; `[1, 2]` and `[2, 3]` share `2`.
    #[must_use]
    pub fn intersection(&self, other: &Interval) -> Option<Interval> {
        let low = match cmp_low(self.low, other.low) {
            Ordering::Less => other.low,
            _ => self.low,
        };
        let high = match cmp_high(self.high, other.high) {
            Ordering::Greater => other.high,
            _ => self.high,
        };
        Interval::new(low, high).ok()
    }

    /// Whether the intervals have a figure in common.
    #[must_use]
    pub fn intersects(&self, other: &Interval) -> bool {
        self.intersection(other).is_some()
    }

    /// The smallest interval holding both; for disjoint intervals it also holds the gap.
    #[must_use]
    pub fn hull(&self, other: &Interval) -> Interval {
        let low = match cmp_low(self.low, other.low) {
            Ordering::Greater => other.low,
            _ => self.low,
        };
        let high = match cmp_high(self.high, other.high) {
            Ordering::Less => other.high,
            _ => self.high,
        };
        Interval::from_valid(low, high)
    }

    /// The distance between two disjoint intervals, or `None` if they intersect.
    ///
    /// Intervals that touch at an excluded end, like `[1, 2)` and `[2, 3]`, are
    /// disjoint with a gap of `0`: no figure is in both, yet none lies between them.
    ///
    /// # Errors
    ///
    /// [`IntervalError::Overflow`] if the distance exceeds the range of [`Decimal`]
    /// (as between `Decimal::MIN` and `Decimal::MAX`).
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::interval::Interval;
    /// use rust_decimal::Decimal;
    ///
    /// # fn main() -> Result<(), posture_ledger::interval::IntervalError> {
    /// let claimed = Interval::closed(Decimal::from(3_650), Decimal::from(3_750))?;
    /// let ledger = Interval::exact(Decimal::from(4_000));
    /// assert_eq!(claimed.gap(&ledger)?, Some(Decimal::from(250)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn gap(&self, other: &Interval) -> Result<Option<Decimal>, IntervalError> {
        if self.intersects(other) {
            return Ok(None);
        }
        let (below, above) = match cmp_low(self.low, other.low) {
            Ordering::Less => (self, other),
            _ => (other, self),
        };
        // Disjoint intervals face each other with finite ends.
        let (Some(from), Some(to)) = (below.high.value(), above.low.value()) else {
            debug_assert!(
                false,
                "disjoint intervals {self} and {other} with an unbounded facing end"
            );
            return Ok(None);
        };
        to.checked_sub(from)
            .map(Some)
            .ok_or(IntervalError::Overflow {
                operation: IntervalOp::Gap,
                left: *self,
                right: *other,
            })
    }

    /// The distance from the low figure to the high figure, or `None` if unbounded.
    ///
    /// Open and closed ends are measured alike: `[1, 2)` has width `1`.
    ///
    /// # Errors
    ///
    /// [`IntervalError::Overflow`] if the width exceeds the range of [`Decimal`].
    pub fn width(&self) -> Result<Option<Decimal>, IntervalError> {
        match (self.low.value(), self.high.value()) {
            (Some(l), Some(h)) => h.checked_sub(l).map(Some).ok_or(IntervalError::Overflow {
                operation: IntervalOp::Width,
                left: *self,
                right: *self,
            }),
            _ => Ok(None),
        }
    }

    /// Whether every member of `self` is a member of `other`.
    #[must_use]
    pub fn is_subset_of(&self, other: &Interval) -> bool {
        cmp_low(other.low, self.low) != Ordering::Greater
            && cmp_high(self.high, other.high) != Ordering::Greater
    }

    fn overflow(&self, operation: IntervalOp, right: &Interval) -> IntervalError {
        IntervalError::Overflow {
            operation,
            left: *self,
            right: *right,
        }
    }

    fn add_unchecked(&self, other: &Interval) -> Result<Interval, Overflowed> {
        // An end of a sum is excluded if either contributing end is excluded, and
        // unbounded if either is unbounded.
        let low = match (self.low.parts(), other.low.parts()) {
            (Some((a, ai)), Some((b, bi))) => {
                Bound::finite(add_round(a, b, Round::Down)?, ai && bi)
            }
            _ => Bound::Unbounded,
        };
        let high = match (self.high.parts(), other.high.parts()) {
            (Some((a, ai)), Some((b, bi))) => Bound::finite(add_round(a, b, Round::Up)?, ai && bi),
            _ => Bound::Unbounded,
        };
        Ok(Interval::from_valid(low, high))
    }

    /// The sum `{x + y : x ∈ self, y ∈ other}`.
    ///
    /// An end of the sum is excluded if either contributing end is excluded.
    ///
    /// # Errors
    ///
    /// [`IntervalError::Overflow`] if a bound exceeds the range of [`Decimal`].
    pub fn checked_add(&self, other: &Interval) -> Result<Interval, IntervalError> {
        self.add_unchecked(other)
            .map_err(|_| self.overflow(IntervalOp::Add, other))
    }

    /// The difference `{x − y : x ∈ self, y ∈ other}` = `[self.low − other.high, self.high − other.low]`.
    ///
    /// # Errors
    ///
    /// [`IntervalError::Overflow`] if a bound exceeds the range of [`Decimal`].
    pub fn checked_sub(&self, other: &Interval) -> Result<Interval, IntervalError> {
        self.add_unchecked(&-*other)
            .map_err(|_| self.overflow(IntervalOp::Sub, other))
    }

    /// The scaled set `{k · x : x ∈ self}`: a negative `k` swaps the ends, zero gives `[0, 0]`.
    ///
    /// # Errors
    ///
    /// [`IntervalError::Overflow`] if a bound exceeds the range of [`Decimal`].
    pub fn checked_mul_scalar(&self, k: Decimal) -> Result<Interval, IntervalError> {
        let scalar = Interval::exact(k);
        self.mul_unchecked(&scalar)
            .map_err(|_| self.overflow(IntervalOp::Mul, &scalar))
    }

    /// The pieces of `self` on each side of zero, the non-positive one negated.
    fn rays(&self) -> impl Iterator<Item = (Side, Ray)> {
        let non_negative = self
            .intersection(&Interval::at_least(Decimal::ZERO))
            .and_then(|i| Ray::from_interval(&i))
            .map(|ray| (Side::NonNegative, ray));
        let non_positive = self
            .intersection(&Interval::at_most(Decimal::ZERO))
            .and_then(|i| Ray::from_interval(&-i))
            .map(|ray| (Side::NonPositive, ray));
        non_negative.into_iter().chain(non_positive)
    }

    /// Joins the signed results of `combine` over pieces of `self` into one interval.
    ///
    /// The image of an interval under multiplication or division by a sign-definite
    /// set is connected, so the hull of the pieces is exactly their union.
    fn over_rays(
        &self,
        mut combine: impl FnMut(Side, Ray) -> Result<Interval, Overflowed>,
    ) -> Result<Interval, Overflowed> {
        let mut joined: Option<Interval> = None;
        for (side, ray) in self.rays() {
            let piece = combine(side, ray)?;
            joined = Some(joined.map_or(piece, |j| j.hull(&piece)));
        }
        // Every non-empty interval meets [0, +∞) or (−∞, 0], so `joined` is set.
        debug_assert!(joined.is_some(), "interval {self} has no side of zero");
        joined.ok_or(Overflowed)
    }

    fn mul_unchecked(&self, other: &Interval) -> Result<Interval, Overflowed> {
        let other_rays: Vec<(Side, Ray)> = other.rays().collect();
        self.over_rays(|side, ray| {
            let mut joined: Option<Interval> = None;
            for &(other_side, other_ray) in &other_rays {
                let product = mul_rays(ray, other_ray)?;
                let product = if side == other_side {
                    product
                } else {
                    -product
                };
                joined = Some(joined.map_or(product, |j| j.hull(&product)));
            }
            joined.ok_or(Overflowed)
        })
    }

    /// The product `{x · y : x ∈ self, y ∈ other}`, for any signs, ends and bounds.
    ///
    /// An end of the product is included exactly when some pair of members reaches
    /// it; zero times an unbounded side is zero (`[0, 0] × (−∞, +∞)` is `[0, 0]`).
    ///
    /// # Errors
    ///
    /// [`IntervalError::Overflow`] if a bound exceeds the range of [`Decimal`].
    pub fn checked_mul(&self, other: &Interval) -> Result<Interval, IntervalError> {
        self.mul_unchecked(other)
            .map_err(|_| self.overflow(IntervalOp::Mul, other))
    }

    /// The ratio `{x / y : x ∈ self, y ∈ other}`, such as after ÷ before.
    ///
    /// A divisor that only approaches zero at an excluded end is allowed and makes
    /// the ratio unbounded on that side: `[1, 2] ÷ (0, 5]` is `[0.2, +∞)`.
    ///
    /// # Errors
    ///
    /// - [`IntervalError::DivisionByZero`] if zero is a member of `other` (`[0, 5]`).
    /// - [`IntervalError::Overflow`] if a bound exceeds the range of [`Decimal`].
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::interval::Interval;
    /// use rust_decimal::Decimal;
    ///
    /// # fn main() -> Result<(), posture_ledger::interval::IntervalError> {
    /// let ratio = Interval::exact(Decimal::from(50_000)).checked_div(&Interval::exact(Decimal::from(4_000)))?;
    /// assert_eq!(ratio.is_exact(), Some(Decimal::new(125, 1)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn checked_div(&self, other: &Interval) -> Result<Interval, IntervalError> {
        let divisor = match Ray::positive(other) {
            Some(ray) => (Side::NonNegative, ray),
            None => match Ray::positive(&-*other) {
                Some(ray) => (Side::NonPositive, ray),
                // Neither above nor below zero: zero is a member.
                None => return Err(IntervalError::DivisionByZero { divisor: *other }),
            },
        };
        self.over_rays(|side, ray| {
            let ratio = div_rays(ray, divisor.1)?;
            Ok(if side == divisor.0 { ratio } else { -ratio })
        })
        .map_err(|_| self.overflow(IntervalOp::Div, other))
    }
}

impl Neg for Interval {
    type Output = Interval;

    /// `{−x : x ∈ self}`; exact, since the range of [`Decimal`] is symmetric.
    fn neg(self) -> Interval {
        Interval::from_valid(self.high.negated(), self.low.negated())
    }
}

impl From<Decimal> for Interval {
    /// The point interval `[v, v]`.
    fn from(v: Decimal) -> Interval {
        Interval::exact(v)
    }
}

impl fmt::Display for Interval {
    /// Writes a point as its figure (`1,650`), otherwise math notation
    /// (`[3,650, 3,750]`, `(100,000, +∞)`, `(−∞, 5]`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.is_exact() {
            Some(v) => write_thousands(f, &v),
            None => write_ends(f, self.low, self.high),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn inc(s: &str) -> Bound {
        Bound::Included(d(s))
    }

    fn exc(s: &str) -> Bound {
        Bound::Excluded(d(s))
    }

    const UNB: Bound = Bound::Unbounded;

    fn iv(low: Bound, high: Bound) -> Interval {
        Interval::new(low, high).unwrap()
    }

    #[test]
    fn constructors_validate_emptiness() {
        let cases: &[(Bound, Bound, bool)] = &[
            (inc("1"), inc("1"), true),
            (inc("1"), exc("1"), false),
            (exc("1"), inc("1"), false),
            (exc("1"), exc("1"), false),
            (inc("2"), inc("1"), false),
            (exc("1"), exc("1.0001"), true),
            (UNB, inc("-5"), true),
            (exc("5"), UNB, true),
            (UNB, UNB, true),
        ];
        for &(low, high, ok) in cases {
            let got = Interval::new(low, high);
            assert_eq!(got.is_ok(), ok, "{low:?} {high:?}");
            if !ok {
                assert_eq!(got, Err(IntervalError::Empty { low, high }));
            }
        }
        assert!(Interval::closed(d("2"), d("1")).is_err());
        assert!(Interval::closed(d("1"), d("1")).is_ok());
        assert!(Interval::open(d("1"), d("1")).is_err());
        assert!(Interval::closed_open(d("1"), d("1")).is_err());
        assert!(Interval::open_closed(d("1"), d("1")).is_err());
        assert_eq!(Interval::point(d("3")), Interval::exact(d("3")));
        assert_eq!(Interval::from(d("3")), Interval::exact(d("3")));
    }

    #[test]
    fn contains_respects_ends() {
        let i = Interval::closed_open(d("10000"), d("100000")).unwrap();
        assert!(i.contains(d("10000")));
        assert!(i.contains(d("99999.99")));
        assert!(!i.contains(d("100000")));
        assert!(!Interval::more_than(d("5")).contains(d("5")));
        assert!(Interval::at_least(d("5")).contains(d("5")));
        assert!(Interval::at_most(d("5")).contains(d("-1E20")));
        assert!(!Interval::less_than(d("5")).contains(d("5")));
        assert!(Interval::unbounded().contains(Decimal::MIN));
        assert!(Interval::unbounded().contains(Decimal::MAX));
    }

    #[test]
    fn is_exact_only_for_points() {
        assert_eq!(Interval::exact(d("1650")).is_exact(), Some(d("1650")));
        assert_eq!(Interval::closed(d("1"), d("2")).unwrap().is_exact(), None);
        assert_eq!(Interval::at_least(d("1")).is_exact(), None);
    }

    #[test]
    fn intersection_and_touching_ends() {
        let cases: &[(Interval, Interval, Option<Interval>)] = &[
            (iv(inc("1"), exc("2")), iv(inc("2"), inc("3")), None),
            (
                iv(inc("1"), inc("2")),
                iv(inc("2"), inc("3")),
                Some(Interval::exact(d("2"))),
            ),
            (iv(inc("1"), inc("2")), iv(exc("2"), inc("3")), None),
            (
                iv(inc("1"), inc("5")),
                iv(exc("2"), UNB),
                Some(iv(exc("2"), inc("5"))),
            ),
            (
                iv(UNB, exc("5")),
                iv(UNB, inc("5")),
                Some(iv(UNB, exc("5"))),
            ),
            (
                Interval::unbounded(),
                iv(exc("0"), inc("1")),
                Some(iv(exc("0"), inc("1"))),
            ),
        ];
        for (a, b, want) in cases {
            assert_eq!(a.intersection(b), *want, "{a} ∩ {b}");
            assert_eq!(b.intersection(a), *want, "{b} ∩ {a}");
            assert_eq!(a.intersects(b), want.is_some());
        }
    }

    #[test]
    fn hull_and_subset() {
        let a = iv(inc("1"), exc("2"));
        let b = iv(exc("3"), UNB);
        assert_eq!(a.hull(&b), iv(inc("1"), UNB));
        assert!(a.is_subset_of(&a.hull(&b)));
        assert!(iv(exc("1"), exc("2")).is_subset_of(&iv(inc("1"), inc("2"))));
        assert!(!iv(inc("1"), inc("2")).is_subset_of(&iv(exc("1"), inc("2"))));
        assert!(!iv(inc("1"), inc("2")).is_subset_of(&iv(inc("1"), exc("2"))));
        assert!(Interval::more_than(d("1")).is_subset_of(&Interval::unbounded()));
        assert!(!Interval::unbounded().is_subset_of(&Interval::more_than(d("1"))));
    }

    #[test]
    fn gap_between_disjoint_intervals() {
        let cases: &[(Interval, Interval, Option<&str>)] = &[
            (iv(inc("1"), exc("2")), iv(inc("2"), inc("3")), Some("0")),
            (iv(inc("1"), inc("2")), iv(inc("5"), UNB), Some("3")),
            (
                iv(inc("3650"), inc("3750")),
                Interval::exact(d("4000")),
                Some("250"),
            ),
            (iv(inc("1"), inc("2")), iv(inc("2"), inc("3")), None),
            (Interval::unbounded(), Interval::exact(d("7")), None),
        ];
        for (a, b, want) in cases {
            let want = want.map(d);
            assert_eq!(a.gap(b), Ok(want), "gap {a} {b}");
            assert_eq!(b.gap(a), Ok(want), "gap {b} {a}");
        }
        let far = Interval::exact(Decimal::MIN);
        assert!(matches!(
            far.gap(&Interval::exact(Decimal::MAX)),
            Err(IntervalError::Overflow {
                operation: IntervalOp::Gap,
                ..
            })
        ));
    }

    #[test]
    fn width_of_bounded_and_unbounded() {
        assert_eq!(iv(inc("1"), exc("2.5")).width(), Ok(Some(d("1.5"))));
        assert_eq!(Interval::exact(d("4")).width(), Ok(Some(d("0"))));
        assert_eq!(Interval::at_least(d("4")).width(), Ok(None));
        assert!(matches!(
            Interval::closed(Decimal::MIN, Decimal::MAX)
                .unwrap()
                .width(),
            Err(IntervalError::Overflow {
                operation: IntervalOp::Width,
                ..
            })
        ));
    }

    #[test]
    fn add_sub_neg_keep_open_ends() {
        let a = iv(inc("1"), exc("2"));
        let b = iv(inc("3"), inc("4"));
        assert_eq!(a.checked_add(&b).unwrap(), iv(inc("4"), exc("6")));
        assert_eq!(a.checked_sub(&b).unwrap(), iv(inc("-3"), exc("-1")));
        assert_eq!(-a, iv(exc("-2"), inc("-1")));
        assert_eq!(
            Interval::more_than(d("100000"))
                .checked_sub(&Interval::exact(d("20000")))
                .unwrap(),
            Interval::more_than(d("80000"))
        );
        assert_eq!(
            Interval::at_most(d("5"))
                .checked_add(&Interval::at_least(d("1")))
                .unwrap(),
            Interval::unbounded()
        );
        assert_eq!(-Interval::less_than(d("5")), Interval::more_than(d("-5")));
    }

    #[test]
    fn scalar_multiplication() {
        let a = iv(inc("1"), exc("2"));
        assert_eq!(
            a.checked_mul_scalar(d("2")).unwrap(),
            iv(inc("2"), exc("4"))
        );
        assert_eq!(
            a.checked_mul_scalar(d("-2")).unwrap(),
            iv(exc("-4"), inc("-2"))
        );
        assert_eq!(
            a.checked_mul_scalar(d("0")).unwrap(),
            Interval::exact(d("0"))
        );
        assert_eq!(
            Interval::more_than(d("3"))
                .checked_mul_scalar(d("0"))
                .unwrap(),
            Interval::exact(d("0"))
        );
        assert_eq!(
            Interval::more_than(d("1650"))
                .checked_mul_scalar(d("2"))
                .unwrap(),
            Interval::more_than(d("3300"))
        );
    }

    #[test]
    fn general_multiplication() {
        let cases: &[(Interval, Interval, Interval)] = &[
            (
                iv(inc("2"), inc("3")),
                iv(inc("4"), inc("5")),
                iv(inc("8"), inc("15")),
            ),
            (
                iv(exc("-1"), inc("2")),
                iv(inc("3"), inc("4")),
                iv(exc("-4"), inc("8")),
            ),
            (
                iv(inc("-2"), exc("3")),
                iv(inc("-1"), inc("4")),
                iv(inc("-8"), exc("12")),
            ),
            (iv(inc("0"), UNB), iv(exc("1"), exc("2")), iv(inc("0"), UNB)),
            (iv(exc("0"), UNB), iv(UNB, exc("0")), iv(UNB, exc("0"))),
            (
                iv(exc("0"), inc("1")),
                iv(exc("0"), inc("1")),
                iv(exc("0"), inc("1")),
            ),
            (
                Interval::exact(d("0")),
                Interval::unbounded(),
                Interval::exact(d("0")),
            ),
            (
                iv(inc("-1"), inc("1")),
                Interval::unbounded(),
                Interval::unbounded(),
            ),
            (
                iv(inc("-3"), inc("-2")),
                iv(inc("-5"), inc("-4")),
                iv(inc("8"), inc("15")),
            ),
            (
                iv(exc("-3"), exc("-2")),
                iv(UNB, inc("-4")),
                iv(exc("8"), UNB),
            ),
        ];
        for (a, b, want) in cases {
            assert_eq!(a.checked_mul(b).unwrap(), *want, "{a} × {b}");
            assert_eq!(b.checked_mul(a).unwrap(), *want, "{b} × {a}");
        }
    }

    #[test]
    fn division_and_division_by_zero() {
        let cases: &[(Interval, Interval, Interval)] = &[
            (
                Interval::exact(d("50000")),
                Interval::exact(d("4000")),
                Interval::exact(d("12.5")),
            ),
            (
                iv(inc("1"), inc("2")),
                iv(exc("0"), inc("5")),
                iv(inc("0.2"), UNB),
            ),
            (iv(inc("1"), inc("2")), iv(UNB, exc("0")), iv(UNB, exc("0"))),
            (
                iv(inc("0"), inc("2")),
                iv(inc("1"), UNB),
                iv(inc("0"), inc("2")),
            ),
            (
                iv(exc("0"), inc("2")),
                iv(inc("1"), UNB),
                iv(exc("0"), inc("2")),
            ),
            (
                iv(inc("-6"), exc("3")),
                iv(inc("2"), inc("3")),
                iv(inc("-3"), exc("1.5")),
            ),
            (
                Interval::more_than(d("3300")),
                Interval::exact(d("1650")),
                Interval::more_than(d("2")),
            ),
        ];
        for (a, b, want) in cases {
            assert_eq!(a.checked_div(b).unwrap(), *want, "{a} ÷ {b}");
        }
        for divisor in [
            Interval::closed(d("0"), d("5")).unwrap(),
            Interval::exact(d("0")),
            Interval::unbounded(),
            Interval::open(d("-1"), d("1")).unwrap(),
        ] {
            assert_eq!(
                Interval::exact(d("1")).checked_div(&divisor),
                Err(IntervalError::DivisionByZero { divisor })
            );
        }
    }

    #[test]
    fn inexact_results_round_outwards() {
        let third = Interval::exact(d("1"))
            .checked_div(&Interval::exact(d("3")))
            .unwrap();
        assert_eq!(third.is_exact(), None);
        assert!(third.contains(d("1") / d("3")));
        assert!(third.width().unwrap().unwrap() <= d("0.0000000000000000000000000003"));
        // 10⁻³² is below the finest scale: the bounds straddle it rather than round to 0.
        let tiny = Interval::exact(d("0.0000000000000001"))
            .checked_mul(&Interval::exact(d("0.0000000000000001")))
            .unwrap();
        assert_eq!(
            tiny,
            Interval::closed(
                d("-0.0000000000000000000000000001"),
                d("0.0000000000000000000000000001")
            )
            .unwrap()
        );
        let big = d("100000000000000000000");
        let small = d("0.00000000000000000001");
        let sum = Interval::exact(big)
            .checked_add(&Interval::exact(small))
            .unwrap();
        assert!(sum.low().value() <= Some(big) && sum.high().value() > Some(big));
    }

    #[test]
    fn overflow_never_panics() {
        let max = Interval::exact(Decimal::MAX);
        let one = Interval::exact(Decimal::ONE);
        let cases: Vec<(IntervalOp, Result<Interval, IntervalError>)> = vec![
            (IntervalOp::Add, max.checked_add(&one)),
            (IntervalOp::Sub, (-max).checked_sub(&one)),
            (IntervalOp::Mul, max.checked_mul_scalar(d("2"))),
            (
                IntervalOp::Mul,
                max.checked_mul(&Interval::at_least(d("2"))),
            ),
            (IntervalOp::Div, max.checked_div(&Interval::exact(d("0.5")))),
            (
                IntervalOp::Div,
                one.checked_div(&Interval::exact(d("0.0000000000000000000000000001")))
                    .and_then(|i| i.checked_mul(&max))
                    .map_err(|_| IntervalError::Overflow {
                        operation: IntervalOp::Div,
                        left: one,
                        right: one,
                    }),
            ),
        ];
        for (op, got) in cases {
            assert!(
                matches!(got, Err(IntervalError::Overflow { operation, .. }) if operation == op),
                "{op:?} gave {got:?}"
            );
        }
        assert_eq!(-max, Interval::exact(Decimal::MIN));
    }

    #[test]
    fn error_messages() {
        let cases: Vec<(IntervalError, &str)> = vec![
            (
                IntervalError::Empty {
                    low: inc("5"),
                    high: exc("3"),
                },
                "empty interval [5, 3)",
            ),
            (
                IntervalError::Overflow {
                    operation: IntervalOp::Add,
                    left: Interval::exact(d("1")),
                    right: Interval::at_least(d("2")),
                },
                "overflow: 1 + [2, +∞) is outside the decimal range",
            ),
            (
                IntervalError::Overflow {
                    operation: IntervalOp::Sub,
                    left: Interval::exact(d("1")),
                    right: Interval::exact(d("2")),
                },
                "overflow: 1 − 2 is outside the decimal range",
            ),
            (
                IntervalError::Overflow {
                    operation: IntervalOp::Mul,
                    left: Interval::exact(d("1")),
                    right: Interval::exact(d("2")),
                },
                "overflow: 1 × 2 is outside the decimal range",
            ),
            (
                IntervalError::Overflow {
                    operation: IntervalOp::Div,
                    left: Interval::exact(d("1")),
                    right: Interval::exact(d("2")),
                },
                "overflow: 1 ÷ 2 is outside the decimal range",
            ),
            (
                IntervalError::Overflow {
                    operation: IntervalOp::Width,
                    left: Interval::at_most(d("1")),
                    right: Interval::at_most(d("1")),
                },
                "overflow: the width of (−∞, 1] is outside the decimal range",
            ),
            (
                IntervalError::Overflow {
                    operation: IntervalOp::Gap,
                    left: Interval::exact(d("1")),
                    right: Interval::exact(d("2")),
                },
                "overflow: the gap between 1 and 2 is outside the decimal range",
            ),
            (
                IntervalError::DivisionByZero {
                    divisor: Interval::closed(d("0"), d("5")).unwrap(),
                },
                "division by zero: divisor [0, 5] contains 0",
            ),
        ];
        for (error, want) in cases {
            assert_eq!(error.to_string(), want);
        }
    }

    #[test]
    fn display_forms() {
        let cases: &[(Interval, &str)] = &[
            (iv(inc("3650"), inc("3750")), "[3,650, 3,750]"),
            (Interval::more_than(d("100000")), "(100,000, +∞)"),
            (iv(inc("10000"), exc("100000")), "[10,000, 100,000)"),
            (Interval::at_most(d("5")), "(−∞, 5]"),
            (Interval::exact(d("1650")), "1,650"),
            (Interval::exact(d("12.50")), "12.5"),
            (Interval::unbounded(), "(−∞, +∞)"),
            (iv(exc("-1.50"), exc("0")), "(−1.5, 0)"),
        ];
        for (i, want) in cases {
            assert_eq!(i.to_string(), *want);
        }
        assert_eq!(Bound::Unbounded.to_string(), "unbounded");
        assert_eq!(inc("3650").to_string(), "included 3,650");
        assert_eq!(exc("3750").to_string(), "excluded 3,750");
    }

    #[test]
    fn group_thousands_table() {
        let cases = [
            ("46000", "46,000"),
            ("-1650", "−1,650"),
            ("12.50", "12.5"),
            ("0", "0"),
            ("0.000", "0"),
            ("-0", "0"),
            ("999", "999"),
            ("1000", "1,000"),
            ("100000", "100,000"),
            ("1234567.891", "1,234,567.891"),
            ("-0.5", "−0.5"),
            (
                "79228162514264337593543950335",
                "79,228,162,514,264,337,593,543,950,335",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(group_thousands(&d(input)), want, "{input}");
        }
    }

    #[test]
    fn serde_shape() {
        let i = iv(inc("3650"), exc("3750"));
        let json = serde_json::to_string(&i).unwrap();
        assert_eq!(
            json,
            r#"{"low":{"included":"3650"},"high":{"excluded":"3750"}}"#
        );
        assert_eq!(serde_json::from_str::<Interval>(&json).unwrap(), i);
        let json = serde_json::to_string(&Interval::more_than(d("5"))).unwrap();
        assert_eq!(json, r#"{"low":{"excluded":"5"},"high":"unbounded"}"#);
        let empty = r#"{"low":{"included":"5"},"high":{"excluded":"5"}}"#;
        let err = serde_json::from_str::<Interval>(empty).unwrap_err();
        assert!(err.to_string().contains("empty interval [5, 5)"), "{err}");
        let extra = r#"{"low":"unbounded","high":"unbounded","width":"1"}"#;
        assert!(serde_json::from_str::<Interval>(extra).is_err());
    }

    fn decimal() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            8 => (-1_000_000_000i64..1_000_000_000, 0u32..5).prop_map(|(m, s)| Decimal::new(m, s)),
            1 => (any::<i64>(), 0u32..29).prop_map(|(m, s)| Decimal::new(m, s)),
            1 => prop_oneof![Just(Decimal::MAX), Just(Decimal::MIN), Just(Decimal::ZERO)],
        ]
    }

    fn bound() -> impl Strategy<Value = Bound> {
        prop_oneof![
            1 => Just(Bound::Unbounded),
            3 => decimal().prop_map(Bound::Included),
            3 => decimal().prop_map(Bound::Excluded),
        ]
    }

    fn interval() -> impl Strategy<Value = Interval> {
        prop_oneof![
            // Ends in the wrong order are swapped; equal figures with an excluded end
            // become the point, so that no case is rejected.
            4 => (bound(), bound()).prop_map(|(a, b)| {
                Interval::new(a, b)
                    .or_else(|_| Interval::new(b, a))
                    .unwrap_or_else(|_| a.value().map_or(Interval::unbounded(), Interval::exact))
            }),
            1 => decimal().prop_map(Interval::exact),
        ]
    }

    /// A candidate member of `i`, or `None` when the sample missed an open end.
    fn sample(i: &Interval, fraction: u16, offset: i64) -> Option<Decimal> {
        let offset = Decimal::from(offset.unsigned_abs() % 1_000_000);
        let fraction = Decimal::new(i64::from(fraction % 1001), 3);
        let x = match (i.low().value(), i.high().value()) {
            (Some(l), Some(h)) => h.checked_sub(l)?.checked_mul(fraction)?.checked_add(l)?,
            (Some(l), None) => l.checked_add(offset)?,
            (None, Some(h)) => h.checked_sub(offset)?,
            (None, None) => offset,
        };
        i.contains(x).then_some(x)
    }

    /// Whether `v` is in `i`; an oracle that `rust_decimal` rounded may land on an
    /// excluded end (as `MAX − 0.1` rounds to `MAX`), so then the closure is enough.
    fn holds(i: &Interval, v: Decimal, exact: bool) -> bool {
        i.contains(v) || (!exact && (i.low().value() == Some(v) || i.high().value() == Some(v)))
    }

    proptest! {
        /// Grouping changes nothing but the separators and the minus sign,
        /// for any mantissa and scale.
        #[test]
        fn grouped_figures_read_as_the_decimal(m in any::<i64>(), wide in any::<u32>(), scale in 0..29u32) {
            let d = Decimal::from_i128_with_scale(i128::from(m) * i128::from(wide), scale);
            let plain = group_thousands(&d).replace(',', "").replace('−', "-");
            let expected = if d.is_zero() { "0".to_owned() } else { d.normalize().to_string() };
            prop_assert_eq!(plain, expected);
        }

        #[test]
        fn arithmetic_is_sound(
            a in interval(), b in interval(),
            fa in any::<u16>(), fb in any::<u16>(), oa in any::<i64>(), ob in any::<i64>(),
            k in decimal(),
        ) {
            let (Some(x), Some(y)) = (sample(&a, fa, oa), sample(&b, fb, ob)) else {
                return Ok(());
            };
            if let (Ok(sum), Some(xy)) = (a.checked_add(&b), x.checked_add(y)) {
                let exact = x.is_zero() || y.is_zero() || xy.scale() == x.scale().max(y.scale());
                prop_assert!(holds(&sum, xy, exact), "{x} + {y} = {xy} not in {a} + {b} = {sum}");
            }
            if let (Ok(diff), Some(xy)) = (a.checked_sub(&b), x.checked_sub(y)) {
                let exact = x.is_zero() || y.is_zero() || xy.scale() == x.scale().max(y.scale());
                prop_assert!(holds(&diff, xy, exact), "{x} - {y} = {xy} not in {a} - {b} = {diff}");
            }
            if let (Ok(scaled), Some(xk)) = (a.checked_mul_scalar(k), x.checked_mul(k)) {
                let exact = is_exact_product(x, k, xk);
                prop_assert!(holds(&scaled, xk, exact), "{x} * {k} = {xk} not in {k} * {a} = {scaled}");
            }
            if let (Ok(product), Some(xy)) = (a.checked_mul(&b), x.checked_mul(y)) {
                let exact = is_exact_product(x, y, xy);
                prop_assert!(holds(&product, xy, exact), "{x} * {y} = {xy} not in {a} * {b} = {product}");
            }
            match a.checked_div(&b) {
                Ok(ratio) => {
                    prop_assert!(!y.is_zero());
                    if let Some(xy) = x.checked_div(y) {
                        let exact = xy.checked_mul(y).is_some_and(|back| back == x && is_exact_product(xy, y, back));
                        prop_assert!(holds(&ratio, xy, exact), "{x} / {y} = {xy} not in {a} / {b} = {ratio}");
                    }
                }
                Err(IntervalError::DivisionByZero { .. }) => prop_assert!(b.contains(Decimal::ZERO)),
                Err(_) => {}
            }
        }

        #[test]
        fn intersection_holds_exactly_the_common_figures(
            a in interval(), b in interval(),
            fa in any::<u16>(), fb in any::<u16>(), oa in any::<i64>(), ob in any::<i64>(),
        ) {
            let mut candidates: Vec<Decimal> = [a.low(), a.high(), b.low(), b.high()]
                .iter()
                .filter_map(Bound::value)
                .collect();
            candidates.extend(sample(&a, fa, oa));
            candidates.extend(sample(&b, fb, ob));
            let both = a.intersection(&b);
            prop_assert_eq!(both.is_some(), a.intersects(&b));
            for x in candidates {
                let in_both = both.is_some_and(|i| i.contains(x));
                prop_assert_eq!(in_both, a.contains(x) && b.contains(x), "{} in {} ∩ {}", x, a, b);
                if a.contains(x) || b.contains(x) {
                    prop_assert!(a.hull(&b).contains(x));
                }
            }
            if let Some(i) = both {
                prop_assert!(i.is_subset_of(&a) && i.is_subset_of(&b));
                prop_assert_eq!(a.gap(&b), Ok(None));
            } else if let Ok(gap) = a.gap(&b) {
                prop_assert!(gap.is_some_and(|g| !g.is_sign_negative() || g.is_zero()));
            }
        }

        #[test]
        fn serde_round_trip_is_identity(a in interval()) {
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<Interval>(&json).unwrap(), a);
            prop_assert!(!a.to_string().is_empty());
        }
    }
}
