//! Qualifiers: how exact a claimed figure is meant to be, and the interval it allows.
//!
//! A claim's figure comes with a hedge ("some 3,700", "more than 100,000", "nearly
//! 20,000", "tens of thousands"). A [`Qualifier`] names the hedge and a
//! [`TolerancePolicy`] turns a qualifier and a figure into an [`Interval`]. The
//! defaults follow the domain notes (tolerance t = 10 %):
//!
//! | qualifier | interval for v |
//! |---|---|
//! | exact | `[v, v]` |
//! | approximate | rounding: ± half the unit of v's last non-zero digit, or `[v·(1 − t), v·(1 + t)]` |
//! | more than | `(v, +∞)` |
//! | at least | `[v, +∞)` |
//! | nearly | `[v·(1 − t), v)` |
//! | up to | `[0, v]` |
//! | less than | `[0, v)` |
//! | order of magnitude | `[v, 10·v)`, v a power of ten |
//!
//! A hedge speaks of a magnitude, so only `exact` and `approximate` (which are
//! symmetric) accept a negative figure; for a decrease, build the interval of its
//! size and negate it (`-interval`).
//!
//! # Example
//!
//! ```
//! use posture_ledger::qualifier::{Approximation, Qualifier, TolerancePolicy};
//! use rust_decimal::Decimal;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let policy = TolerancePolicy::default();
//! let some = Qualifier::from_words("some").ok_or("unknown hedge")?;
//! assert_eq!(policy.interval(some, Decimal::from(3_700))?.to_string(), "[3,650, 3,750]");
//! assert_eq!(policy.interval(Qualifier::Nearly, Decimal::from(20_000))?.to_string(), "[18,000, 20,000)");
//!
//! let strict = TolerancePolicy::default()
//!     .with_nearly(Decimal::new(5, 2))?
//!     .with_approximation(Approximation::Relative(Decimal::new(1, 1)))?;
//! assert_eq!(strict.interval(Qualifier::Approximate, Decimal::from(4_000))?.to_string(), "[3,600, 4,400]");
//! assert_eq!("order_of_magnitude".parse::<Qualifier>()?, Qualifier::OrderOfMagnitude);
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::interval::{Interval, IntervalError};

/// How exact a claimed figure is meant to be.
///
/// Written in snake_case by [`Display`](fmt::Display), [`FromStr`] and serde
/// (`"more_than"`); [`Qualifier::from_words`] reads the English hedge instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// The figure as stated: "1,650 troops", "a total of six".
    Exact,
    /// A rounded figure: "some", "about", "around", "roughly", "-strong".
    Approximate,
    /// Strictly above the figure: "more than", "over".
    MoreThan,
    /// The figure or above: "at least".
    AtLeast,
    /// Just short of the figure: "nearly", "almost", "just under".
    Nearly,
    /// From zero to the figure: "up to", "at most".
    UpTo,
    /// From zero to just short of the figure: "less than", "fewer than", "under".
    LessThan,
    /// Between the figure, a power of ten, and ten times it: "tens of thousands" is 10,000.
    OrderOfMagnitude,
}

impl Qualifier {
    /// Every qualifier, in declaration order.
    pub const ALL: [Qualifier; 8] = [
        Qualifier::Exact,
        Qualifier::Approximate,
        Qualifier::MoreThan,
        Qualifier::AtLeast,
        Qualifier::Nearly,
        Qualifier::UpTo,
        Qualifier::LessThan,
        Qualifier::OrderOfMagnitude,
    ];

    /// The snake_case name, as written by `Display` and read by `FromStr`.
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::Approximate => "approximate",
            Qualifier::MoreThan => "more_than",
            Qualifier::AtLeast => "at_least",
            Qualifier::Nearly => "nearly",
            Qualifier::UpTo => "up_to",
            Qualifier::LessThan => "less_than",
            Qualifier::OrderOfMagnitude => "order_of_magnitude",
        }
    }

    /// Recognises an English hedge, ignoring case, surrounding space and repeated spaces.
    ///
    /// Returns `None` for words it does not know. For an order of magnitude
    /// ("tens of thousands"), [`magnitude_from_words`] gives the figure.
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::qualifier::Qualifier;
    ///
    /// assert_eq!(Qualifier::from_words("More than"), Some(Qualifier::MoreThan));
    /// assert_eq!(Qualifier::from_words("-strong"), Some(Qualifier::Approximate));
    /// assert_eq!(Qualifier::from_words("tens of thousands"), Some(Qualifier::OrderOfMagnitude));
    /// assert_eq!(Qualifier::from_words("perhaps"), None);
    /// ```
    #[must_use]
    pub fn from_words(words: &str) -> Option<Qualifier> {
        let words = normalize_words(words);
        let qualifier = match words.as_str() {
            "exactly" | "precisely" | "a total of" | "in total" | "all told" | "equal to"
            | "equals" | "equals to" | "equaling to" => Qualifier::Exact,
            "some" | "about" | "around" | "roughly" | "approximately" | "approx." | "circa"
            | "c." | "an estimated" | "estimated" | "-strong" | "strong" | "or so" => {
                Qualifier::Approximate
            }
            "more than" | "over" | "above" | "in excess of" | "upwards of" | "upward of"
            | "just over" | "well over" | "just above" | "well above" | "greater than"
            | "larger than" | "bigger than" | "higher than" | "exceeding" | "exceeds"
            | "exceed" | "surpassing" | "surpass" | ">" => Qualifier::MoreThan,
            "at least"
            | "no fewer than"
            | "no less than"
            | "a minimum of"
            | "or more"
            | "or greater"
            | "or above"
            | "and more"
            | "and above"
            | "greater than or equal to"
            | "more than or equal to"
            | "equal to or more than"
            | "equal to or greater than"
            | "at least or equal to"
            | "bigger or equal than"
            | "higher or equal than"
            | "larger or equal than"
            | "greater or equal than"
            | "more or equal than"
            | ">="
            | "≥" => Qualifier::AtLeast,
            // "Close to 20,000" is, in reporting, said of a figure just short of it.
            "nearly" | "almost" | "just under" | "just short of" | "just below" | "close to" => {
                Qualifier::Nearly
            }
            "up to"
            | "at most"
            | "as many as"
            | "no more than"
            | "a maximum of"
            | "or fewer"
            | "or less"
            | "less than or equal to"
            | "fewer than or equal to"
            | "equal to or less than"
            | "equal to or fewer than"
            | "smaller or equal than"
            | "less or equal than"
            | "lower or equal than"
            | "<="
            | "≤" => Qualifier::UpTo,
            "less than" | "fewer than" | "under" | "below" | "smaller than" | "lower than"
            | "<" => Qualifier::LessThan,
            // The words `Display` of a figure writes for this qualifier.
            "of the order of" | "on the order of" => Qualifier::OrderOfMagnitude,
            _ if magnitude_from_words(&words).is_some() => Qualifier::OrderOfMagnitude,
            _ => return None,
        };
        Some(qualifier)
    }
}

/// Lower-cases, trims and collapses runs of white space to one space.
fn normalize_words(words: &str) -> String {
    words
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The figure of an order-of-magnitude phrase: "tens of thousands" gives 10,000.
///
/// Knows "tens", "hundreds", "thousands", "tens of thousands", "hundreds of
/// thousands", "millions", "tens of millions" and "hundreds of millions" (case
/// and spacing ignored); returns `None` for anything else.
///
/// # Example
///
/// ```
/// use posture_ledger::qualifier::magnitude_from_words;
/// use rust_decimal::Decimal;
///
/// assert_eq!(magnitude_from_words("Tens of thousands"), Some(Decimal::from(10_000)));
/// assert_eq!(magnitude_from_words("dozens"), None);
/// ```
#[must_use]
pub fn magnitude_from_words(words: &str) -> Option<Decimal> {
    let figure: i64 = match normalize_words(words).as_str() {
        "tens" => 10,
        "hundreds" => 100,
        "thousands" => 1_000,
        "tens of thousands" => 10_000,
        "hundreds of thousands" => 100_000,
        "millions" => 1_000_000,
        "tens of millions" => 10_000_000,
        "hundreds of millions" => 100_000_000,
        _ => return None,
    };
    Some(Decimal::from(figure))
}

impl fmt::Display for Qualifier {
    /// Writes the snake_case name, such as `more_than`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Qualifier {
    type Err = QualifierError;

    /// Reads a snake_case name, such as `more_than`.
    ///
    /// # Errors
    ///
    /// [`QualifierError::UnknownQualifier`] for any other text.
    fn from_str(s: &str) -> Result<Qualifier, QualifierError> {
        Qualifier::ALL
            .into_iter()
            .find(|q| q.as_str() == s)
            .ok_or_else(|| QualifierError::UnknownQualifier { name: s.to_owned() })
    }
}

/// How an approximate figure ("some 3,700") is widened into an interval.
///
/// Serialized as `"rounding"` or `{"relative": "0.1"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approximation {
    /// ± half the unit of the last non-zero digit: 3,700 → [3,650, 3,750],
    /// 4,000 → [3,500, 4,500], 12.5 → [12.45, 12.55], 0 → [0, 0].
    Rounding,
    /// ± a fraction of the figure, in [0, 1): `Relative(0.1)` makes 4,000 → [3,600, 4,400].
    Relative(Decimal),
}

/// Written `rounding` or `relative:0.1` by [`Display`](fmt::Display) and
/// [`FromStr`], as `posture --policy` takes it.
impl fmt::Display for Approximation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Approximation::Rounding => f.write_str("rounding"),
            Approximation::Relative(t) => write!(f, "relative:{}", t.normalize()),
        }
    }
}

impl FromStr for Approximation {
    type Err = QualifierError;

    /// Reads `rounding` or `relative:F`, F a fraction in [0, 1) such as `0.1`.
    ///
    /// # Errors
    ///
    /// [`QualifierError::PolicySetting`] for anything else, and
    /// [`QualifierError::InvalidTolerance`] for a fraction out of range.
    fn from_str(s: &str) -> Result<Approximation, QualifierError> {
        let setting = |reason| QualifierError::PolicySetting {
            setting: s.to_owned(),
            reason,
        };
        let text = s.trim();
        if text.eq_ignore_ascii_case("rounding") {
            return Ok(Approximation::Rounding);
        }
        let Some((rule, fraction)) = text.split_once(':') else {
            return Err(setting(
                "expected `rounding` or `relative:F`, F a fraction such as 0.1",
            ));
        };
        if !rule.trim().eq_ignore_ascii_case("relative") {
            return Err(setting(
                "expected `rounding` or `relative:F`, F a fraction such as 0.1",
            ));
        }
        let t = fraction_from_str(fraction)
            .ok_or_else(|| setting("the fraction is not a number such as 0.1"))?;
        check_tolerance(ToleranceKind::Relative, t)?;
        Ok(Approximation::Relative(t))
    }
}

/// A fraction written as a plain decimal number (`0.1`, `.05`), or `None`.
fn fraction_from_str(text: &str) -> Option<Decimal> {
    let text = text.trim();
    // Decimal's parser takes `1e-1` and `_` separators; a tolerance is
    // written plainly, so anything else is refused.
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    Decimal::from_str(text).ok()
}

/// Which tolerance of a [`TolerancePolicy`] was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ToleranceKind {
    /// The fraction below the figure that "nearly" allows; must be in (0, 1).
    Nearly,
    /// The fraction of [`Approximation::Relative`]; must be in [0, 1).
    Relative,
}

impl fmt::Display for ToleranceKind {
    /// Writes the tolerance and its allowed range, such as `nearly tolerance (in (0, 1))`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ToleranceKind::Nearly => "nearly tolerance (in (0, 1))",
            ToleranceKind::Relative => "relative tolerance (in [0, 1))",
        })
    }
}

/// An error from reading a qualifier or turning a qualified figure into an interval.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QualifierError {
    /// The text is not the snake_case name of a qualifier.
    #[error("unknown qualifier {name:?}")]
    UnknownQualifier {
        /// The text that was read.
        name: String,
    },
    /// A policy setting, as `--policy` takes them, does not read.
    #[error("policy setting `{setting}`: {reason}")]
    PolicySetting {
        /// The setting as written.
        setting: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A tolerance is outside its allowed range.
    #[error("invalid {kind}: {}", crate::number::group_thousands(.tolerance))]
    InvalidTolerance {
        /// Which tolerance.
        kind: ToleranceKind,
        /// The rejected fraction.
        tolerance: Decimal,
    },
    /// The qualifier speaks of a magnitude, and the figure is negative.
    #[error("{qualifier} needs a figure of zero or more, got {}", crate::number::group_thousands(.value))]
    NegativeValue {
        /// The qualifier applied.
        qualifier: Qualifier,
        /// The negative figure.
        value: Decimal,
    },
    /// An order of magnitude must be a power of ten (1, 10, 100, 0.1, …).
    #[error("order_of_magnitude needs a power of ten, got {}", crate::number::group_thousands(.value))]
    NotPowerOfTen {
        /// The figure given.
        value: Decimal,
    },
    /// The qualified figure allows no figure at all, as "nearly 0" or "less than 0".
    #[error("{qualifier} {} allows no figure", crate::number::group_thousands(.value))]
    NoFigure {
        /// The qualifier applied.
        qualifier: Qualifier,
        /// The figure given.
        value: Decimal,
    },
    /// Computing the interval failed, by overflow near the limits of [`Decimal`].
    #[error("{qualifier} {}: {source}", crate::number::group_thousands(.value))]
    Interval {
        /// The qualifier applied.
        qualifier: Qualifier,
        /// The figure given.
        value: Decimal,
        /// The interval error.
        source: IntervalError,
    },
}

/// The rules that turn a qualifier and a figure into an interval.
///
/// [`TolerancePolicy::default`] holds the domain defaults: rounding for approximate
/// figures and 10 % for "nearly". Fields are private so that every policy holds
/// valid tolerances; deserializing an invalid one fails, and a missing field takes
/// its default. Serialized as `{"approximation": "rounding", "nearly": "0.1"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PolicyRepr")]
pub struct TolerancePolicy {
    approximation: Approximation,
    nearly: Decimal,
}

/// The unchecked shape of a policy on the wire.
#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct PolicyRepr {
    approximation: Approximation,
    nearly: Decimal,
}

impl Default for PolicyRepr {
    fn default() -> PolicyRepr {
        let policy = TolerancePolicy::default();
        PolicyRepr {
            approximation: policy.approximation,
            nearly: policy.nearly,
        }
    }
}

impl TryFrom<PolicyRepr> for TolerancePolicy {
    type Error = QualifierError;

    fn try_from(repr: PolicyRepr) -> Result<TolerancePolicy, QualifierError> {
        TolerancePolicy::default()
            .with_approximation(repr.approximation)?
            .with_nearly(repr.nearly)
    }
}

impl Default for TolerancePolicy {
    /// Rounding for approximate figures and t = 10 % for "nearly".
    fn default() -> TolerancePolicy {
        TolerancePolicy {
            approximation: Approximation::Rounding,
            nearly: Decimal::new(1, 1),
        }
    }
}

/// Written as `posture --policy` takes it, every setting named:
/// `approximation=rounding,nearly=0.1`; [`FromStr`] reads it back.
impl fmt::Display for TolerancePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "approximation={},nearly={}",
            self.approximation,
            self.nearly.normalize()
        )
    }
}

impl FromStr for TolerancePolicy {
    type Err = QualifierError;

    /// The crate's defaults with `s`'s settings applied, as
    /// [`with_settings`](TolerancePolicy::with_settings) reads them.
    fn from_str(s: &str) -> Result<TolerancePolicy, QualifierError> {
        TolerancePolicy::default().with_settings(s)
    }
}

/// Checks that `tolerance` lies in [0, 1), or in (0, 1) when zero is not allowed.
fn check_tolerance(kind: ToleranceKind, tolerance: Decimal) -> Result<(), QualifierError> {
    let zero_ok = matches!(kind, ToleranceKind::Relative);
    let above_low = tolerance > Decimal::ZERO || (zero_ok && tolerance.is_zero());
    if above_low && tolerance < Decimal::ONE {
        Ok(())
    } else {
        Err(QualifierError::InvalidTolerance { kind, tolerance })
    }
}

/// Half the unit of the last non-zero digit of `value`: 3,700 → 50, 12.5 → 0.05.
///
/// Returns `None` for zero. Below 10⁻²⁸ the half unit is not representable, so it
/// widens to 10⁻²⁸, which still holds every figure that rounds to `value`.
fn half_unit(value: Decimal) -> Option<Decimal> {
    if value.is_zero() {
        return None;
    }
    let value = value.normalize();
    let (_, trailing_zeros) = strip_trailing_zeros(value.mantissa().unsigned_abs());
    // The unit is 10^(trailing_zeros − scale); half of it is 5 × 10^(that − 1).
    let exponent = i64::from(trailing_zeros) - i64::from(value.scale()) - 1;
    let half = match u32::try_from(exponent) {
        Ok(power) => 10i128
            .checked_pow(power)
            .and_then(|p| p.checked_mul(5))
            .and_then(|m| Decimal::try_from_i128_with_scale(m, 0).ok()),
        Err(_) => u32::try_from(-exponent)
            .ok()
            .and_then(|scale| Decimal::try_from_i128_with_scale(5, scale).ok()),
    };
    Some(half.unwrap_or(Decimal::new(1, Decimal::MAX_SCALE)))
}

/// Whether `value` is a positive power of ten (…, 0.1, 1, 10, 100, …).
fn is_power_of_ten(value: Decimal) -> bool {
    if value <= Decimal::ZERO {
        return false;
    }
    strip_trailing_zeros(value.normalize().mantissa().unsigned_abs()).0 == 1
}

/// Divides out the factors of ten of a mantissa: returns what is left and how many.
fn strip_trailing_zeros(mut mantissa: u128) -> (u128, u32) {
    let mut zeros = 0;
    while mantissa != 0 {
        // Written with a remainder binding, not `is_multiple_of`, to build on older compilers.
        let remainder = mantissa % 10;
        if remainder != 0 {
            break;
        }
        mantissa /= 10;
        zeros += 1;
    }
    (mantissa, zeros)
}

impl TolerancePolicy {
    /// How approximate figures are widened.
    #[must_use]
    pub fn approximation(&self) -> Approximation {
        self.approximation
    }

    /// The fraction below the figure that "nearly" allows (0.1 by default).
    #[must_use]
    pub fn nearly(&self) -> Decimal {
        self.nearly
    }

    /// The same policy with a new tolerance for "nearly": `[v·(1 − t), v)`.
    ///
    /// # Errors
    ///
    /// [`QualifierError::InvalidTolerance`] unless `0 < t < 1` (with t = 0 "nearly"
    /// would allow no figure).
    pub fn with_nearly(self, t: Decimal) -> Result<TolerancePolicy, QualifierError> {
        check_tolerance(ToleranceKind::Nearly, t)?;
        Ok(TolerancePolicy { nearly: t, ..self })
    }

    /// The same policy with a new rule for approximate figures.
    ///
    /// # Errors
    ///
    /// [`QualifierError::InvalidTolerance`] if a relative tolerance is outside [0, 1).
    pub fn with_approximation(
        self,
        approximation: Approximation,
    ) -> Result<TolerancePolicy, QualifierError> {
        if let Approximation::Relative(t) = approximation {
            check_tolerance(ToleranceKind::Relative, t)?;
        }
        Ok(TolerancePolicy {
            approximation,
            ..self
        })
    }

    /// The same policy with `settings` applied, left to right: the syntax of
    /// `posture --policy`, a comma-separated list of
    ///
    /// - `rounding` or `approximation=rounding`: approximate figures by rounding;
    /// - `relative:F` or `approximation=relative:F`: approximate figures ± F of
    ///   the figure, F in [0, 1);
    /// - `nearly=F`: "nearly v" allows `[v·(1 − F), v)`, F in (0, 1);
    /// - `default`: the crate's defaults, forgetting what came before.
    ///
    /// What a list does not name is kept from `self`, so that a command line
    /// can change one tolerance of a file's policy.
    ///
    /// # Errors
    ///
    /// [`QualifierError::PolicySetting`] for a setting that does not read,
    /// naming it; [`QualifierError::InvalidTolerance`] for a fraction out of
    /// range.
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::qualifier::{Approximation, TolerancePolicy};
    /// use rust_decimal::Decimal;
    ///
    /// # fn main() -> Result<(), posture_ledger::qualifier::QualifierError> {
    /// let policy = TolerancePolicy::default().with_settings("relative:0.1,nearly=0.05")?;
    /// assert_eq!(policy.approximation(), Approximation::Relative(Decimal::new(1, 1)));
    /// assert_eq!(policy.nearly(), Decimal::new(5, 2));
    /// assert_eq!(policy.to_string(), "approximation=relative:0.1,nearly=0.05");
    /// assert_eq!(policy.to_string().parse::<TolerancePolicy>()?, policy);
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_settings(self, settings: &str) -> Result<TolerancePolicy, QualifierError> {
        let mut policy = self;
        for setting in settings.split(',') {
            let text = setting.trim();
            let refused = |reason| QualifierError::PolicySetting {
                setting: text.to_owned(),
                reason,
            };
            // The rule's own complaint, about the whole setting as written.
            let approximation = |rule: &str| match rule.parse::<Approximation>() {
                Err(QualifierError::PolicySetting { reason, .. }) => Err(refused(reason)),
                other => other,
            };
            policy = match text.split_once('=') {
                None if text.eq_ignore_ascii_case("default") => TolerancePolicy::default(),
                None if text.is_empty() => {
                    return Err(refused("empty: expected a setting such as `nearly=0.1`"))
                }
                // A bare setting is an approximation rule, named or not.
                None => policy.with_approximation(approximation(text)?)?,
                Some((key, value)) => match key.trim().to_ascii_lowercase().as_str() {
                    "approximation" => policy.with_approximation(approximation(value)?)?,
                    "nearly" => policy
                        .with_nearly(fraction_from_str(value).ok_or_else(|| {
                            refused("the fraction is not a number such as 0.1")
                        })?)?,
                    _ => return Err(refused("unknown key: expected `approximation` or `nearly`")),
                },
            };
        }
        Ok(policy)
    }

    /// The interval of figures that `qualifier value` allows.
    ///
    /// Zero is accepted where it means something: exact and approximate 0 give
    /// `[0, 0]`, up to 0 gives `[0, 0]`, more than 0 gives `(0, +∞)`.
    ///
    /// # Errors
    ///
    /// - [`QualifierError::NegativeValue`] for a negative figure with any qualifier
    ///   but exact and approximate.
    /// - [`QualifierError::NotPowerOfTen`] for an order of magnitude that is not
    ///   a power of ten.
    /// - [`QualifierError::NoFigure`] for "nearly 0" and "less than 0".
    /// - [`QualifierError::Interval`] if a bound overflows [`Decimal`].
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::qualifier::{Qualifier, TolerancePolicy};
    /// use rust_decimal::Decimal;
    ///
    /// # fn main() -> Result<(), posture_ledger::qualifier::QualifierError> {
    /// let policy = TolerancePolicy::default();
    /// let tens_of_thousands = policy.interval(Qualifier::OrderOfMagnitude, Decimal::from(10_000))?;
    /// assert!(tens_of_thousands.contains(Decimal::from(46_000)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn interval(
        &self,
        qualifier: Qualifier,
        value: Decimal,
    ) -> Result<Interval, QualifierError> {
        let negative = value < Decimal::ZERO;
        let interval_error = |source: IntervalError| QualifierError::Interval {
            qualifier,
            value,
            source,
        };
        let no_figure = |_: IntervalError| QualifierError::NoFigure { qualifier, value };
        if negative && !matches!(qualifier, Qualifier::Exact | Qualifier::Approximate) {
            return Err(QualifierError::NegativeValue { qualifier, value });
        }
        match qualifier {
            Qualifier::Exact => Ok(Interval::exact(value)),
            Qualifier::Approximate => {
                let spread = match self.approximation {
                    Approximation::Rounding => match half_unit(value) {
                        None => return Ok(Interval::exact(value)),
                        Some(half) => Interval::closed(-half, half).map_err(interval_error)?,
                    },
                    Approximation::Relative(t) => Interval::closed(-t, t)
                        .map_err(interval_error)?
                        .checked_mul_scalar(value)
                        .map_err(interval_error)?,
                };
                Interval::exact(value)
                    .checked_add(&spread)
                    .map_err(interval_error)
            }
            Qualifier::MoreThan => Ok(Interval::more_than(value)),
            Qualifier::AtLeast => Ok(Interval::at_least(value)),
            Qualifier::Nearly => {
                // The interval product rounds the lower figure down if it must round;
                // the product of a point is bounded, so the fallback is never taken.
                let low = Interval::exact(value)
                    .checked_mul_scalar(Decimal::ONE - self.nearly)
                    .map_err(interval_error)?
                    .low()
                    .value()
                    .unwrap_or(Decimal::ZERO);
                Interval::closed_open(low, value).map_err(no_figure)
            }
            Qualifier::UpTo => Interval::closed(Decimal::ZERO, value).map_err(no_figure),
            Qualifier::LessThan => Interval::closed_open(Decimal::ZERO, value).map_err(no_figure),
            Qualifier::OrderOfMagnitude => {
                if !is_power_of_ten(value) {
                    return Err(QualifierError::NotPowerOfTen { value });
                }
                // The product of a point is bounded, so the fallback is never taken.
                let high = Interval::exact(value)
                    .checked_mul_scalar(Decimal::TEN)
                    .map_err(interval_error)?
                    .high()
                    .value()
                    .unwrap_or(value);
                Interval::closed_open(value, high).map_err(interval_error)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interval::Bound;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn show(r: Result<Interval, QualifierError>) -> String {
        match r {
            Ok(i) => i.to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn every_qualifier_with_the_default_policy() {
        let policy = TolerancePolicy::default();
        let cases: &[(Qualifier, &str, &str)] = &[
            (Qualifier::Exact, "1650", "1,650"),
            (Qualifier::Exact, "-1650", "−1,650"),
            (Qualifier::Exact, "0", "0"),
            (Qualifier::Approximate, "4000", "[3,500, 4,500]"),
            (Qualifier::Approximate, "3700", "[3,650, 3,750]"),
            (Qualifier::Approximate, "1650", "[1,645, 1,655]"),
            (Qualifier::Approximate, "50000", "[45,000, 55,000]"),
            (Qualifier::Approximate, "12.5", "[12.45, 12.55]"),
            (Qualifier::Approximate, "12.50", "[12.45, 12.55]"),
            (Qualifier::Approximate, "1", "[0.5, 1.5]"),
            (Qualifier::Approximate, "0.03", "[0.025, 0.035]"),
            (Qualifier::Approximate, "-3700", "[−3,750, −3,650]"),
            (Qualifier::Approximate, "0", "0"),
            (Qualifier::MoreThan, "100000", "(100,000, +∞)"),
            (Qualifier::MoreThan, "0", "(0, +∞)"),
            (Qualifier::AtLeast, "18", "[18, +∞)"),
            (Qualifier::Nearly, "20000", "[18,000, 20,000)"),
            (Qualifier::Nearly, "7", "[6.3, 7)"),
            (Qualifier::UpTo, "300000", "[0, 300,000]"),
            (Qualifier::UpTo, "0", "0"),
            (Qualifier::LessThan, "100", "[0, 100)"),
            (Qualifier::OrderOfMagnitude, "10000", "[10,000, 100,000)"),
            (
                Qualifier::OrderOfMagnitude,
                "100000",
                "[100,000, 1,000,000)",
            ),
            (Qualifier::OrderOfMagnitude, "1", "[1, 10)"),
            (Qualifier::OrderOfMagnitude, "0.1", "[0.1, 1)"),
        ];
        for (qualifier, value, want) in cases {
            assert_eq!(
                show(policy.interval(*qualifier, d(value))),
                *want,
                "{qualifier} {value}"
            );
        }
        let covered: Vec<Qualifier> = cases.iter().map(|c| c.0).collect();
        assert!(Qualifier::ALL.iter().all(|q| covered.contains(q)));
    }

    #[test]
    fn configured_policy() {
        let policy = TolerancePolicy::default()
            .with_nearly(d("0.05"))
            .unwrap()
            .with_approximation(Approximation::Relative(d("0.1")))
            .unwrap();
        assert_eq!(policy.nearly(), d("0.05"));
        assert_eq!(policy.approximation(), Approximation::Relative(d("0.1")));
        let cases: &[(Qualifier, &str, &str)] = &[
            (Qualifier::Approximate, "4000", "[3,600, 4,400]"),
            (Qualifier::Approximate, "-4000", "[−4,400, −3,600]"),
            (Qualifier::Approximate, "0", "0"),
            (Qualifier::Nearly, "20000", "[19,000, 20,000)"),
        ];
        for (qualifier, value, want) in cases {
            assert_eq!(
                show(policy.interval(*qualifier, d(value))),
                *want,
                "{qualifier} {value}"
            );
        }
        let exact_relative = TolerancePolicy::default()
            .with_approximation(Approximation::Relative(Decimal::ZERO))
            .unwrap();
        assert_eq!(
            show(exact_relative.interval(Qualifier::Approximate, d("4000"))),
            "4,000"
        );
    }

    #[test]
    fn every_error() {
        let policy = TolerancePolicy::default();
        let interval_cases: &[(Qualifier, Decimal, &str)] = &[
            (
                Qualifier::MoreThan,
                d("-1"),
                "error: more_than needs a figure of zero or more, got −1",
            ),
            (
                Qualifier::AtLeast,
                d("-1"),
                "error: at_least needs a figure of zero or more, got −1",
            ),
            (
                Qualifier::Nearly,
                d("-20000"),
                "error: nearly needs a figure of zero or more, got −20,000",
            ),
            (
                Qualifier::UpTo,
                d("-5"),
                "error: up_to needs a figure of zero or more, got −5",
            ),
            (
                Qualifier::LessThan,
                d("-5"),
                "error: less_than needs a figure of zero or more, got −5",
            ),
            (
                Qualifier::OrderOfMagnitude,
                d("-10"),
                "error: order_of_magnitude needs a figure of zero or more, got −10",
            ),
            (
                Qualifier::OrderOfMagnitude,
                d("20000"),
                "error: order_of_magnitude needs a power of ten, got 20,000",
            ),
            (
                Qualifier::OrderOfMagnitude,
                d("0"),
                "error: order_of_magnitude needs a power of ten, got 0",
            ),
            (
                Qualifier::Nearly,
                d("0"),
                "error: nearly 0 allows no figure",
            ),
            (
                Qualifier::LessThan,
                d("0"),
                "error: less_than 0 allows no figure",
            ),
            (
                Qualifier::OrderOfMagnitude,
                d("10000000000000000000000000000"),
                "error: order_of_magnitude 10,000,000,000,000,000,000,000,000,000: overflow: \
                 10,000,000,000,000,000,000,000,000,000 × 10 is outside the decimal range",
            ),
        ];
        for (qualifier, value, want) in interval_cases {
            assert_eq!(
                show(policy.interval(*qualifier, *value)),
                *want,
                "{qualifier} {value}"
            );
        }
        assert!(matches!(
            policy.interval(Qualifier::Approximate, Decimal::MAX),
            Err(QualifierError::Interval {
                source: IntervalError::Overflow { .. },
                ..
            })
        ));
        let tolerance_cases: &[(Result<TolerancePolicy, QualifierError>, &str)] = &[
            (
                policy.clone().with_nearly(d("0")),
                "invalid nearly tolerance (in (0, 1)): 0",
            ),
            (
                policy.clone().with_nearly(d("1")),
                "invalid nearly tolerance (in (0, 1)): 1",
            ),
            (
                policy.clone().with_nearly(d("-0.1")),
                "invalid nearly tolerance (in (0, 1)): −0.1",
            ),
            (
                policy
                    .clone()
                    .with_approximation(Approximation::Relative(d("1"))),
                "invalid relative tolerance (in [0, 1)): 1",
            ),
            (
                policy
                    .clone()
                    .with_approximation(Approximation::Relative(d("-0.1"))),
                "invalid relative tolerance (in [0, 1)): −0.1",
            ),
        ];
        for (result, want) in tolerance_cases {
            assert_eq!(
                result.as_ref().map_err(ToString::to_string),
                Err(want.to_string())
            );
        }
        assert_eq!(
            "roughly".parse::<Qualifier>().unwrap_err().to_string(),
            "unknown qualifier \"roughly\""
        );
    }

    #[test]
    fn names_round_trip() {
        for q in Qualifier::ALL {
            assert_eq!(q.to_string().parse::<Qualifier>(), Ok(q));
            let json = serde_json::to_string(&q).unwrap();
            assert_eq!(json, format!("\"{q}\""));
            assert_eq!(serde_json::from_str::<Qualifier>(&json).unwrap(), q);
        }
        assert!("MoreThan".parse::<Qualifier>().is_err());
    }

    #[test]
    fn english_hedges() {
        let cases: &[(&str, Option<Qualifier>)] = &[
            ("a total of", Some(Qualifier::Exact)),
            ("some", Some(Qualifier::Approximate)),
            ("About", Some(Qualifier::Approximate)),
            ("around", Some(Qualifier::Approximate)),
            ("roughly", Some(Qualifier::Approximate)),
            ("approximately", Some(Qualifier::Approximate)),
            ("-strong", Some(Qualifier::Approximate)),
            ("more than", Some(Qualifier::MoreThan)),
            ("  More   THAN ", Some(Qualifier::MoreThan)),
            ("over", Some(Qualifier::MoreThan)),
            ("at least", Some(Qualifier::AtLeast)),
            ("nearly", Some(Qualifier::Nearly)),
            ("almost", Some(Qualifier::Nearly)),
            ("just under", Some(Qualifier::Nearly)),
            ("up to", Some(Qualifier::UpTo)),
            ("at most", Some(Qualifier::UpTo)),
            ("fewer than", Some(Qualifier::LessThan)),
            ("close to", Some(Qualifier::Nearly)),
            ("just over", Some(Qualifier::MoreThan)),
            ("well over", Some(Qualifier::MoreThan)),
            ("or fewer", Some(Qualifier::UpTo)),
            ("of the order of", Some(Qualifier::OrderOfMagnitude)),
            ("tens of thousands", Some(Qualifier::OrderOfMagnitude)),
            ("hundreds of thousands", Some(Qualifier::OrderOfMagnitude)),
            ("", None),
            ("perhaps", None),
            ("more than doubling", None),
        ];
        for (words, want) in cases {
            assert_eq!(Qualifier::from_words(words), *want, "{words:?}");
        }
        assert_eq!(
            magnitude_from_words("hundreds of thousands"),
            Some(d("100000"))
        );
        assert_eq!(magnitude_from_words("tens"), Some(d("10")));
    }

    #[test]
    fn policy_settings_read_left_to_right_and_round_trip() {
        let d = |n: i64, scale: u32| Decimal::new(n, scale);
        let base = TolerancePolicy::default().with_nearly(d(2, 1)).unwrap();
        let cases: &[(&str, Approximation, Decimal)] = &[
            ("rounding", Approximation::Rounding, d(2, 1)),
            ("relative:0.1", Approximation::Relative(d(1, 1)), d(2, 1)),
            (
                " Relative : .25 ",
                Approximation::Relative(d(25, 2)),
                d(2, 1),
            ),
            ("relative:0", Approximation::Relative(d(0, 0)), d(2, 1)),
            ("nearly=0.05", Approximation::Rounding, d(5, 2)),
            (
                "approximation=relative:0.1,nearly=0.05",
                Approximation::Relative(d(1, 1)),
                d(5, 2),
            ),
            ("relative:0.1,rounding", Approximation::Rounding, d(2, 1)),
            ("nearly=0.05,default", Approximation::Rounding, d(1, 1)),
        ];
        for (text, approximation, nearly) in cases {
            let p = base.clone().with_settings(text).unwrap();
            assert_eq!(
                (p.approximation(), p.nearly()),
                (*approximation, *nearly),
                "{text}"
            );
            assert_eq!(
                p.to_string().parse::<TolerancePolicy>().unwrap(),
                p,
                "{text}"
            );
        }
        let refused: &[(&str, &str)] = &[
            ("", "policy setting ``: empty"),
            ("rounding,", "policy setting ``: empty"),
            ("roundish", "policy setting `roundish`: expected `rounding`"),
            ("relative", "policy setting `relative`: expected `rounding`"),
            (
                "relative:",
                "policy setting `relative:`: the fraction is not a number",
            ),
            (
                "relative:1e-1",
                "policy setting `relative:1e-1`: the fraction is not a number",
            ),
            (
                "relative:-0.1",
                "policy setting `relative:-0.1`: the fraction is not a number",
            ),
            ("relative:1", "invalid relative tolerance (in [0, 1)): 1"),
            ("nearly=0", "invalid nearly tolerance (in (0, 1)): 0"),
            (
                "nearly=abc",
                "policy setting `nearly=abc`: the fraction is not a number",
            ),
            (
                "approximation=sometimes",
                "policy setting `approximation=sometimes`: expected `rounding`",
            ),
            ("nerly=0.1", "policy setting `nerly=0.1`: unknown key"),
        ];
        for (text, message) in refused {
            let e = base.clone().with_settings(text).unwrap_err().to_string();
            assert!(e.starts_with(message), "{text}: {e}");
        }
    }

    #[test]
    fn policy_serde() {
        let policy = TolerancePolicy::default();
        let json = serde_json::to_string(&policy).unwrap();
        assert_eq!(json, r#"{"approximation":"rounding","nearly":"0.1"}"#);
        assert_eq!(
            serde_json::from_str::<TolerancePolicy>(&json).unwrap(),
            policy
        );
        let relative = r#"{"approximation":{"relative":"0.2"}}"#;
        assert_eq!(
            serde_json::from_str::<TolerancePolicy>(relative).unwrap(),
            policy
                .with_approximation(Approximation::Relative(d("0.2")))
                .unwrap()
        );
        assert!(serde_json::from_str::<TolerancePolicy>(r#"{"nearly":"1.5"}"#).is_err());
        assert!(
            serde_json::from_str::<TolerancePolicy>(r#"{"approximation":{"relative":"1"}}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<TolerancePolicy>(r#"{"nearly":"0.1","typo":1}"#).is_err());
    }

    #[test]
    fn tiny_fraction_widens_half_unit() {
        let tiny = Decimal::new(1, 28);
        let i = TolerancePolicy::default()
            .interval(Qualifier::Approximate, tiny)
            .unwrap();
        assert_eq!(i.low(), Bound::Included(Decimal::ZERO));
        assert_eq!(i.high(), Bound::Included(Decimal::new(2, 28)));
    }

    fn figure() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            8 => (0i64..10_000_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
            1 => (any::<i64>(), 0u32..29).prop_map(|(m, s)| Decimal::new(m, s)),
            1 => prop_oneof![Just(Decimal::MAX), Just(Decimal::MIN), Just(Decimal::new(1, 28))],
        ]
    }

    fn qualifier() -> impl Strategy<Value = Qualifier> {
        proptest::sample::select(Qualifier::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn intervals_hold_the_figure_where_they_should(
            q in qualifier(), v in figure(), t in 1u32..1000, relative in any::<bool>(),
        ) {
            let mut policy = TolerancePolicy::default().with_nearly(Decimal::new(i64::from(t), 3)).unwrap();
            if relative {
                policy = policy.with_approximation(Approximation::Relative(Decimal::new(i64::from(t), 3))).unwrap();
            }
            let Ok(i) = policy.interval(q, v) else { return Ok(()) };
            match q {
                Qualifier::Nearly | Qualifier::MoreThan | Qualifier::LessThan => prop_assert!(!i.contains(v)),
                _ => prop_assert!(i.contains(v), "{} {} gave {}", q, v, i),
            }
            if !matches!(q, Qualifier::Exact | Qualifier::Approximate) {
                prop_assert!(!v.is_sign_negative() || v.is_zero());
            }
            if q == Qualifier::Approximate && !relative {
                // Every figure that rounds to v at its last non-zero digit is inside.
                prop_assert!(i.width().unwrap().is_some());
            }
        }
    }
}
