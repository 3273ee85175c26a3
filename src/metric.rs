//! What is counted: [`Metric`]s, [`Count`]s, and [`Quantity`], a count of one metric.
//!
//! Two metrics are never added together: a total is always of one metric, and
//! combining quantities of different metrics is an [`Error::MetricMismatch`].

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What is counted: personnel, ships, aircraft, squadrons, headquarters, or any
/// other name in lowercase `snake_case`.
///
/// # Example
///
/// ```
/// use posture_ledger::Metric;
///
/// assert_eq!(Metric::SHIPS.to_string(), "ships");
/// let batteries = Metric::new("air_defence_batteries")?;
/// assert_ne!(batteries, Metric::PERSONNEL);
/// # Ok::<(), posture_ledger::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Metric(Cow<'static, str>);

impl Metric {
    /// People in uniform.
    pub const PERSONNEL: Metric = Metric(Cow::Borrowed("personnel"));
    /// Commissioned ships (warships, destroyers…).
    pub const SHIPS: Metric = Metric(Cow::Borrowed("ships"));
    /// Aircraft.
    pub const AIRCRAFT: Metric = Metric(Cow::Borrowed("aircraft"));
    /// Flying squadrons.
    pub const SQUADRONS: Metric = Metric(Cow::Borrowed("squadrons"));
    /// Headquarters.
    pub const HEADQUARTERS: Metric = Metric(Cow::Borrowed("headquarters"));

    /// A metric by name: 1 to 64 lowercase ascii letters, digits and `_`, starting with a letter.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMetric`] for any other text.
    pub fn new(name: &str) -> Result<Self> {
        let ok = (1..=64).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            return Err(Error::InvalidMetric {
                name: name.to_string(),
            });
        }
        for known in [
            Self::PERSONNEL,
            Self::SHIPS,
            Self::AIRCRAFT,
            Self::SQUADRONS,
            Self::HEADQUARTERS,
        ] {
            if known.0 == name {
                return Ok(known);
            }
        }
        Ok(Metric(Cow::Owned(name.to_string())))
    }

    /// The metric's name.
    pub fn name(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Metric({})", self.0)
    }
}

impl FromStr for Metric {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Metric::new(s)
    }
}

impl TryFrom<String> for Metric {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        Metric::new(&s)
    }
}

impl From<Metric> for String {
    fn from(m: Metric) -> String {
        m.0.into_owned()
    }
}

/// A non-negative whole number of something: the strength of a unit, or a total.
///
/// Arithmetic is checked: `checked_add` and `checked_sub` return `None` rather
/// than wrap. `Display` groups thousands (`4,000`); `FromStr` accepts the number
/// with or without the commas, so the two round-trip. A comma (or `_`) must set
/// off groups of three digits: `1,650` and `1,650,000` read, `1,65`, `1,,650`,
/// `12,3456` and `,650` do not.
///
/// A count read from text or a file, and a count in a record the ledger
/// accepts, is at most [`Count::RECORD_MAX`], the largest integer TOML can
/// write; [`Count::new`] takes any `u64`, and totals may go beyond it.
///
/// # Example
///
/// ```
/// use posture_ledger::Count;
///
/// let c: Count = "4,000".parse()?;
/// assert_eq!(c, Count::new(4000));
/// assert_eq!(c.to_string(), "4,000");
/// assert_eq!(Count::new(1).checked_sub(Count::new(2)), None);
/// # Ok::<(), posture_ledger::Error>(())
/// ```
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(into = "u64", try_from = "RecordCount")]
pub struct Count(u64);

/// A count as a file writes it, refused above [`Count::RECORD_MAX`].
#[derive(Deserialize)]
#[serde(transparent)]
struct RecordCount(u64);

impl TryFrom<RecordCount> for Count {
    type Error = Error;
    fn try_from(n: RecordCount) -> Result<Count> {
        Count::new(n.0)
            .in_record_range()
            .ok_or_else(|| Error::InvalidCount {
                text: n.0.to_string(),
            })
    }
}

impl Count {
    /// Zero.
    pub const ZERO: Count = Count(0);

    /// The largest count a record may hold: 9,223,372,036,854,775,807
    /// (`i64::MAX`), the largest integer a TOML file can write, so that every
    /// record saves and loads again. Totals the ledger adds up may be larger.
    pub const RECORD_MAX: Count = Count(i64::MAX.unsigned_abs());

    /// A count of `n`.
    pub const fn new(n: u64) -> Self {
        Count(n)
    }

    /// The count, if a record may hold it: if it is at most [`Count::RECORD_MAX`].
    pub fn in_record_range(self) -> Option<Count> {
        (self <= Count::RECORD_MAX).then_some(self)
    }

    /// The number.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Count) -> Option<Count> {
        self.0.checked_add(other.0).map(Count)
    }

    /// `self − other`, or `None` when it would be negative.
    pub fn checked_sub(self, other: Count) -> Option<Count> {
        self.0.checked_sub(other.0).map(Count)
    }
}

impl From<u64> for Count {
    fn from(n: u64) -> Self {
        Count(n)
    }
}

impl From<Count> for u64 {
    fn from(c: Count) -> u64 {
        c.0
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&crate::number::whole(i128::from(self.0)))
    }
}

/// Reads a whole number from 0 to [`Count::RECORD_MAX`], plain or with
/// separators setting off thousands.
impl FromStr for Count {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let invalid = || Error::InvalidCount {
            text: s.to_string(),
        };
        let s = s.trim();
        // The common case, plain digits, without building a string.
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            let n: u64 = s.parse().map_err(|_| invalid())?;
            return Count(n).in_record_range().ok_or_else(invalid);
        }
        // Separators set off thousands, and nothing else: `1,65` and `,,,5,,`
        // are typos or decimal commas, not 165 and 5. One kind of separator
        // per figure, a first group of one to three digits that does not
        // start with 0 (`0,650` is a decimal comma), then groups of three.
        let sep = if s.contains(',') { ',' } else { '_' };
        let mut groups = s.split(sep);
        let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
        let first = groups.next().unwrap_or_default();
        if !(1..=3).contains(&first.len()) || first.starts_with('0') || !digits(first) {
            return Err(invalid());
        }
        let mut n: u64 = first.parse().map_err(|_| invalid())?;
        for group in groups {
            if group.len() != 3 || !digits(group) {
                return Err(invalid());
            }
            n = group
                .parse::<u64>()
                .ok()
                .and_then(|g| n.checked_mul(1000)?.checked_add(g))
                .ok_or_else(invalid)?;
        }
        Count(n).in_record_range().ok_or_else(invalid)
    }
}

/// A count of one metric: `1,650 personnel`, `6 ships`.
///
/// # Example
///
/// ```
/// use posture_ledger::{Count, Metric, Quantity};
///
/// let ships = Quantity::new(Metric::SHIPS, Count::new(4));
/// let more = ships.checked_add(&Quantity::new(Metric::SHIPS, Count::new(2)))?;
/// assert_eq!(more.to_string(), "6 ships");
/// // Ships and personnel never add up.
/// assert!(more.checked_add(&Quantity::new(Metric::PERSONNEL, Count::new(300))).is_err());
/// # Ok::<(), posture_ledger::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Quantity {
    /// What is counted.
    pub metric: Metric,
    /// How many.
    pub count: Count,
}

impl Quantity {
    /// `count` of `metric`.
    pub fn new(metric: Metric, count: Count) -> Self {
        Quantity { metric, count }
    }

    /// The sum of two quantities of the same metric.
    ///
    /// # Errors
    ///
    /// [`Error::MetricMismatch`] when the metrics differ; [`Error::TotalOverflow`]
    /// when the sum does not fit in a [`Count`].
    pub fn checked_add(&self, other: &Quantity) -> Result<Quantity> {
        if self.metric != other.metric {
            return Err(Error::MetricMismatch {
                left: self.metric.clone(),
                right: other.metric.clone(),
            });
        }
        let count = self
            .count
            .checked_add(other.count)
            .ok_or_else(|| Error::TotalOverflow {
                metric: self.metric.clone(),
            })?;
        Ok(Quantity::new(self.metric.clone(), count))
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.count, self.metric)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_names_are_snake_case() {
        assert_eq!(Metric::new("ships").unwrap(), Metric::SHIPS);
        assert_eq!(
            Metric::new("air_defence_2").unwrap().name(),
            "air_defence_2"
        );
        for bad in ["", "Ships", "2ships", "air defence", "ü"] {
            assert!(
                matches!(Metric::new(bad), Err(Error::InvalidMetric { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn counts_group_thousands_and_round_trip() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (46_000, "46,000"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(Count::new(n).to_string(), s);
            assert_eq!(s.parse::<Count>().unwrap(), Count::new(n));
        }
        assert_eq!(
            Count::RECORD_MAX.to_string().parse::<Count>().unwrap(),
            Count::RECORD_MAX
        );
        for bad in ["", "-1", "1.5", "lots", "18446744073709551616"] {
            assert!(
                matches!(bad.parse::<Count>(), Err(Error::InvalidCount { .. })),
                "{bad}"
            );
        }
        assert_eq!(crate::number::whole(-46_000), "−46,000");
    }

    #[test]
    fn counts_take_separators_only_in_thousands_positions() {
        for (s, n) in [
            ("1650", 1_650),
            ("1,650", 1_650),
            ("1,650,000", 1_650_000),
            ("12,345", 12_345),
            ("123,456", 123_456),
            ("1_650", 1_650),
            (" 1,650 ", 1_650),
        ] {
            assert_eq!(s.parse::<Count>().unwrap(), Count::new(n), "{s}");
        }
        // Each of these was read as a number once, with the commas dropped.
        for bad in [
            "1,65",
            ",,,5,,",
            "1,,650",
            "12,3456",
            "1234,567",
            ",650",
            "650,",
            "1,650,",
            "0,650",
            "1,650_000",
            "1_65",
            ",",
            "_",
        ] {
            assert!(
                matches!(bad.parse::<Count>(), Err(Error::InvalidCount { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_count_toml_cannot_write_does_not_parse_or_deserialize() {
        // TOML integers are i64: a larger count read from JSON or text would
        // be written to a file that does not load again.
        let max = i64::MAX.unsigned_abs();
        for text in ["9223372036854775807", "9,223,372,036,854,775,807"] {
            assert_eq!(text.parse::<Count>().unwrap(), Count::new(max), "{text}");
        }
        for text in ["9223372036854775808", "9,223,372,036,854,775,808"] {
            let err = text.parse::<Count>().unwrap_err();
            assert!(matches!(err, Error::InvalidCount { .. }), "{text}: {err}");
            assert_eq!(
                err.to_string(),
                format!(
                    "invalid count `{text}`: expected a whole number from 0 to 9,223,372,036,854,775,807"
                )
            );
        }
        assert_eq!(
            serde_json::from_str::<Count>("9223372036854775807").unwrap(),
            Count::new(max)
        );
        let err = serde_json::from_str::<Count>("9223372036854775808").unwrap_err();
        assert!(
            err.to_string().starts_with(
                "invalid count `9223372036854775808`: expected a whole number from 0 to 9,223,372,036,854,775,807"
            ),
            "{err}"
        );
        assert!(serde_json::from_str::<Count>("-1").is_err());
    }

    #[test]
    fn quantities_of_different_metrics_do_not_add() {
        let a = Quantity::new(Metric::SHIPS, Count::new(4));
        let b = Quantity::new(Metric::PERSONNEL, Count::new(4));
        assert!(matches!(
            a.checked_add(&b),
            Err(Error::MetricMismatch { .. })
        ));
        let max = Quantity::new(Metric::SHIPS, Count::new(u64::MAX));
        assert!(matches!(
            max.checked_add(&a),
            Err(Error::TotalOverflow { .. })
        ));
    }
}
