//! The findings' English: every sentence a rule's finding says is written here.

use std::fmt;

use crate::claim::{Claim, Statement};
use crate::event::LayerId;
use crate::interval::{Bound, Interval, Thousands};
use crate::metric::Metric;
use crate::scope::Scope;

/// `format!` for the findings' text: the sentences run to a hundred bytes
/// or so, and `format!` starts from a guess that a large check pays for in
/// three or four reallocations per string; this starts from enough, then
/// gives back what is left.
macro_rules! text {
    ($($arg:tt)*) => {{
        let mut out = String::with_capacity(160);
        // Writing to a `String` cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut out, format_args!($($arg)*));
        out.shrink_to_fit();
        out
    }};
}

/// An interval for a sentence: bounds with more than three decimals widened
/// outward to three (a ratio of 50,000 / 4,949 reads `10.104`, not 28
/// digits); the evidence keeps it exact.
pub(super) fn readable(i: &Interval) -> Interval {
    use rust_decimal::RoundingStrategy::{ToNegativeInfinity, ToPositiveInfinity};
    let round = |b: Bound, down: bool| match b {
        Bound::Included(v) | Bound::Excluded(v) if v.scale() > 3 => {
            let r = v.round_dp_with_strategy(
                3,
                if down {
                    ToNegativeInfinity
                } else {
                    ToPositiveInfinity
                },
            );
            // Widened, the bound is included: the figure it stood for lies within.
            Bound::Included(r.normalize())
        }
        other => other,
    };
    Interval::new(round(i.low(), true), round(i.high(), false)).unwrap_or(*i)
}

/// `NATO in baltic-states personnel`, with the layer when there is one.
pub(super) fn describe(scope: &Scope, metric: &Metric, layer: Option<&LayerId>) -> String {
    match layer {
        Some(l) => text!("{scope} {metric} ({l})"),
        None => text!("{scope} {metric}"),
    }
}

pub(super) fn stated_figure(claim: &Claim) -> String {
    match claim.statement() {
        Statement::Quantity { figure, .. } => figure.to_string(),
        _ => String::new(),
    }
}

/// A signed interval: `+300`, `−1,650`, `+[18,000, 20,000)`.
pub(super) fn signed(i: &Interval) -> Signed<'_> {
    Signed(i)
}

/// See [`signed`].
pub(super) struct Signed<'i>(&'i Interval);

impl fmt::Display for Signed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.is_exact() {
            Some(v) if v.is_sign_positive() && !v.is_zero() => write!(f, "+{}", Thousands(&v)),
            Some(v) => write!(f, "{}", Thousands(&v)),
            None => write!(f, "{}", self.0),
        }
    }
}

/// How far `found` lies from `expected`: "250 too many", "1,000 too few".
pub(super) fn off_by(expected: &Interval, found: &Interval) -> String {
    let gap = expected.gap(found).ok().flatten().unwrap_or_default();
    let above = match (found.low(), expected.high()) {
        (Bound::Included(f) | Bound::Excluded(f), Bound::Included(e) | Bound::Excluded(e)) => {
            f >= e
        }
        (_, Bound::Unbounded) => false,
        (Bound::Unbounded, _) => false,
    };
    let amount = Thousands(&gap);
    if gap.is_zero() {
        "they touch at an open end".to_string()
    } else if above {
        text!("{amount} too many")
    } else {
        text!("{amount} too few")
    }
}
