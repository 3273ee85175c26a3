//! Claims: sourced statements of a quantity, a change or a category, to check.
//!
//! A [`Claim`] has a source, an as-of date ([`AsOf`]: a day, a month, a range,
//! or "just before" a date), optionally a what-if layer it speaks of, and a
//! [`Statement`]:
//!
//! - a [`Figure`] for a scope and metric: "some 3,700 soldiers";
//! - a [`Change`]: "from four to six", "an increase of nearly 20,000 since
//!   four months ago", "more than doubling";
//! - a category for a [`Subject`]: an office held, a footing, alliance membership.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::country::{AllianceId, Country};
use crate::error::{Error, Problem, RecordKind, Result};
use crate::event::{LayerId, Source};
use crate::id::define_id;
use crate::interval::Interval;
use crate::metric::Metric;
use crate::number::Thousands;
use crate::qualifier::{Qualifier, TolerancePolicy};
use crate::scope::Scope;

define_id!(
    /// The id of a [`Claim`], such as `C10`.
    ClaimId,
    RecordKind::Claim,
    // Every finding names its claims: a large check copies claim ids
    // hundreds of thousands of times, and copies share one allocation.
    std::sync::Arc<str>
);

/// The date a claim speaks of, as precisely as the source gives it.
///
/// Written in files as `2022-06-29` (a day), `2022-02` (a month),
/// `2022-02-01..2022-02-28` (a range, both ends included) or
/// `before 2022-02-24` (the day before: "just before the invasion").
///
/// # Example
///
/// ```
/// use posture_ledger::claim::AsOf;
///
/// let feb: AsOf = "2022-02".parse()?;
/// assert_eq!(feb.first().to_string(), "2022-02-01");
/// assert_eq!(feb.last().to_string(), "2022-02-28");
/// assert_eq!(feb.to_string(), "2022-02");
/// # Ok::<(), posture_ledger::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum AsOf {
    /// One day.
    Day(NaiveDate),
    /// A calendar month: "in February".
    Month(YearMonth),
    /// A range of days, both ends included.
    Between(DaySpan),
    /// The day before a date: "just before the invasion".
    Before(NaiveDate),
}

/// A calendar month the calendar has: its year and its month, 1 to 12.
/// Built by [`YearMonth::new`] (or [`AsOf::month`]), which refuses any other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    /// Month `month` (1 to 12) of `year`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] when the month is not 1 to 12 or the year is out
    /// of the calendar's range.
    pub fn new(year: i32, month: u32) -> Result<YearMonth> {
        if NaiveDate::from_ymd_opt(year, month, 1).is_none() {
            return Err(invalid_as_of(&format!("{year:04}-{month:02}")));
        }
        Ok(YearMonth { year, month })
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u32 {
        self.month
    }

    /// Its first day.
    pub fn first(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Its last day.
    pub fn last(&self) -> NaiveDate {
        let first = self.first();
        first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|next| next.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }
}

/// Days from a first to a last, both included, the last never before the
/// first. Built by [`DaySpan::new`] (or [`AsOf::between`]), which refuses a
/// span that ends before it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DaySpan {
    from: NaiveDate,
    until: NaiveDate,
}

impl DaySpan {
    /// The days from `from` to `until`, both included.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] when `until` is before `from`.
    pub fn new(from: NaiveDate, until: NaiveDate) -> Result<DaySpan> {
        if until < from {
            return Err(invalid_as_of(&format!("{from}..{until}")));
        }
        Ok(DaySpan { from, until })
    }

    /// The first day.
    pub fn from(&self) -> NaiveDate {
        self.from
    }

    /// The last day.
    pub fn until(&self) -> NaiveDate {
        self.until
    }
}

impl AsOf {
    /// A calendar month.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] when the month is not 1 to 12 or the year is out of range.
    pub fn month(year: i32, month: u32) -> Result<AsOf> {
        YearMonth::new(year, month).map(AsOf::Month)
    }

    /// A range of days.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] when `until` is before `from`.
    pub fn between(from: NaiveDate, until: NaiveDate) -> Result<AsOf> {
        DaySpan::new(from, until).map(AsOf::Between)
    }

    /// Whether it names real days. Months and spans cannot be built
    /// otherwise; only the day before the calendar's first is none.
    pub fn is_valid(&self) -> bool {
        match *self {
            AsOf::Before(d) => d.pred_opt().is_some(),
            AsOf::Day(_) | AsOf::Month(_) | AsOf::Between(_) => true,
        }
    }

    /// The first day it covers.
    pub fn first(&self) -> NaiveDate {
        match *self {
            AsOf::Day(d) => d,
            AsOf::Month(m) => m.first(),
            AsOf::Between(span) => span.from,
            AsOf::Before(d) => d.pred_opt().unwrap_or(d),
        }
    }

    /// The last day it covers.
    pub fn last(&self) -> NaiveDate {
        match *self {
            AsOf::Day(d) => d,
            AsOf::Month(m) => m.last(),
            AsOf::Between(span) => span.until,
            AsOf::Before(d) => d.pred_opt().unwrap_or(d),
        }
    }

    /// Every day it covers, first to last.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> {
        let last = self.last();
        self.first().iter_days().take_while(move |d| *d <= last)
    }

    /// Whether the two share a day.
    pub fn overlaps(&self, other: &AsOf) -> bool {
        self.first() <= other.last() && other.first() <= self.last()
    }

    /// The number of days it covers.
    pub fn len_days(&self) -> u64 {
        u64::try_from((self.last() - self.first()).num_days()).map_or(1, |n| n + 1)
    }
}

fn invalid_as_of(text: &str) -> Error {
    Error::InvalidName {
        what: "as-of date",
        text: text.to_string(),
        expected: "`YYYY-MM-DD`, `YYYY-MM`, `YYYY-MM-DD..YYYY-MM-DD` or `before YYYY-MM-DD`",
    }
}

impl fmt::Display for AsOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AsOf::Day(d) => write!(f, "{}", Day(*d)),
            AsOf::Month(m) => write!(f, "{:04}-{:02}", m.year, m.month),
            AsOf::Between(span) => write!(f, "{}..{}", Day(span.from), Day(span.until)),
            AsOf::Before(d) => write!(f, "before {}", Day(*d)),
        }
    }
}

/// A date as `NaiveDate` prints it, `2022-06-29`, written in one piece:
/// chrono writes a date digit by digit, and a large check prints millions.
pub(crate) struct Day(pub NaiveDate);

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = (self.0.year(), self.0.month(), self.0.day());
        let Ok(year) = u16::try_from(year) else {
            return write!(f, "{}", self.0);
        };
        if year > 9999 {
            return write!(f, "{}", self.0);
        }
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let y = u32::from(year);
        let text = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
        ];
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl FromStr for AsOf {
    type Err = Error;
    fn from_str(s: &str) -> Result<AsOf> {
        let s = s.trim();
        let day = |t: &str| t.trim().parse::<NaiveDate>().map_err(|_| invalid_as_of(s));
        if let Some(rest) = s.strip_prefix("before ") {
            let before = AsOf::Before(day(rest)?);
            // The first day chrono holds has no day before it.
            return if before.is_valid() {
                Ok(before)
            } else {
                Err(invalid_as_of(s))
            };
        }
        if let Some((from, until)) = s.split_once("..") {
            return AsOf::between(day(from)?, day(until)?).map_err(|_| invalid_as_of(s));
        }
        // Exactly `YYYY-MM`, the form `Display` writes: any seven characters
        // read `20205-9` as a month, written back as `20205-09`, which did not read.
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        if let Some((y, m)) = s
            .split_once('-')
            .filter(|(y, m)| digits(y, 4) && digits(m, 2))
        {
            let year = y.parse().map_err(|_| invalid_as_of(s))?;
            let month = m.parse().map_err(|_| invalid_as_of(s))?;
            return AsOf::month(year, month).map_err(|_| invalid_as_of(s));
        }
        Ok(AsOf::Day(day(s)?))
    }
}

impl TryFrom<String> for AsOf {
    type Error = Error;
    fn try_from(s: String) -> Result<AsOf> {
        s.parse()
    }
}

impl From<AsOf> for String {
    fn from(a: AsOf) -> String {
        a.to_string()
    }
}

impl From<NaiveDate> for AsOf {
    fn from(d: NaiveDate) -> AsOf {
        AsOf::Day(d)
    }
}

/// A number as a source states it: a hedged value ("some 3,700", "more than
/// 100,000") or an explicit range ("between 3,500 and 4,500").
///
/// # Example
///
/// ```
/// use posture_ledger::claim::Figure;
/// use posture_ledger::{Qualifier, TolerancePolicy};
/// use rust_decimal::Decimal;
///
/// let some = Figure::new(Qualifier::Approximate, Decimal::from(3_700));
/// assert_eq!(some.interval(&TolerancePolicy::default())?.to_string(), "[3,650, 3,750]");
/// assert_eq!(some.to_string(), "about 3,700");
/// # Ok::<(), posture_ledger::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged, try_from = "FigureFields")]
pub enum Figure {
    /// A value with a hedge.
    Hedged {
        /// How exact the value is meant to be.
        qualifier: Qualifier,
        /// The value stated.
        #[serde(with = "decimal_value")]
        value: Decimal,
    },
    /// An explicit range, both ends included.
    Range {
        /// The low end.
        #[serde(with = "decimal_value")]
        low: Decimal,
        /// The high end.
        #[serde(with = "decimal_value")]
        high: Decimal,
    },
}

/// A decimal as [`decimal_value`] reads it, for optional fields.
#[derive(Deserialize)]
#[serde(transparent)]
struct DecimalValue(#[serde(with = "decimal_value")] Decimal);

/// A figure as a file writes it. Read through this rather than as an untagged
/// enum, which would ignore a misspelt or extra key and could read the figure
/// meant by `low` and `high` as the one meant by `qualifier` and `value`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FigureFields {
    #[serde(default)]
    qualifier: Option<Qualifier>,
    #[serde(default)]
    value: Option<DecimalValue>,
    #[serde(default)]
    low: Option<DecimalValue>,
    #[serde(default)]
    high: Option<DecimalValue>,
}

impl TryFrom<FigureFields> for Figure {
    type Error = &'static str;
    fn try_from(f: FigureFields) -> std::result::Result<Figure, &'static str> {
        let either = "a figure is `qualifier` and `value`, or `low` and `high`";
        match (f.qualifier, f.value, f.low, f.high) {
            (Some(qualifier), Some(DecimalValue(value)), None, None) => {
                Ok(Figure::Hedged { qualifier, value })
            }
            (None, None, Some(DecimalValue(low)), Some(DecimalValue(high))) => {
                Ok(Figure::Range { low, high })
            }
            (Some(_), None, None, None) => Err("missing field `value`"),
            (None, Some(_), None, None) => Err("missing field `qualifier`"),
            (None, None, Some(_), None) => Err("missing field `high`"),
            (None, None, None, Some(_)) => Err("missing field `low`"),
            (None, None, None, None) => Err(either),
            _ => Err("a figure is `qualifier` and `value`, or `low` and `high`, not both"),
        }
    }
}

impl Figure {
    /// A hedged value.
    pub fn new(qualifier: Qualifier, value: Decimal) -> Figure {
        Figure::Hedged { qualifier, value }
    }

    /// An exact value.
    pub fn exact(value: impl Into<Decimal>) -> Figure {
        Figure::new(Qualifier::Exact, value.into())
    }

    /// The value stated, or the middle of a range.
    pub fn stated(&self) -> Decimal {
        match *self {
            Figure::Hedged { value, .. } => value,
            Figure::Range { low, high } => low.checked_add(high).map_or(low, |s| s / Decimal::TWO),
        }
    }

    /// The interval the figure stands for under `policy`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] is what a checker reports; here, the bare
    /// problem comes as [`Error::InvalidName`] for a figure below zero, a
    /// range whose low end is above its high end, or a value the qualifier
    /// cannot take.
    pub fn interval(&self, policy: &TolerancePolicy) -> Result<Interval> {
        self.interval_or_problem(policy)
            .map_err(|p| Error::InvalidName {
                what: "figure",
                text: format!("{self}: {p}"),
                expected: "a figure its qualifier can take",
            })
    }

    pub(crate) fn interval_or_problem(
        &self,
        policy: &TolerancePolicy,
    ) -> std::result::Result<Interval, Problem> {
        // A figure counts something, or is a ratio or a change's size: a
        // change states its direction apart.
        let negative = match *self {
            Figure::Hedged { value, .. } => Some(value),
            Figure::Range { low, high } => Some(low.min(high)),
        }
        .filter(|v| v.is_sign_negative() && !v.is_zero());
        if let Some(value) = negative {
            return Err(Problem::NegativeFigure { value });
        }
        match *self {
            Figure::Hedged { qualifier, value } => policy
                .interval(qualifier, value)
                .map_err(|e| Problem::Figure(Box::new(e))),
            Figure::Range { low, high } => {
                Interval::closed(low, high).map_err(|e| Problem::Interval(Box::new(e)))
            }
        }
    }
}

/// The words `Display` writes before a figure for its qualifier, with a
/// trailing space: `"about "`, `""` for exact. The phrase reader reads them back.
pub(crate) fn hedge_words(qualifier: Qualifier) -> &'static str {
    match qualifier {
        Qualifier::Exact => "",
        Qualifier::Approximate => "about ",
        Qualifier::MoreThan => "more than ",
        Qualifier::AtLeast => "at least ",
        Qualifier::Nearly => "nearly ",
        Qualifier::UpTo => "up to ",
        Qualifier::LessThan => "less than ",
        Qualifier::OrderOfMagnitude => "of the order of ",
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Hedged { qualifier, value } => {
                write!(f, "{}{}", hedge_words(*qualifier), Thousands(value))
            }
            Figure::Range { low, high } => {
                write!(f, "between {} and {}", Thousands(low), Thousands(high))
            }
        }
    }
}

/// Which way a change goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More than before.
    Increase,
    /// Fewer than before.
    Decrease,
}

/// A change's size and direction: "an increase of nearly 20,000".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "DeltaFields")]
pub struct Delta {
    /// Up or down.
    pub direction: Direction,
    /// How much, as stated.
    #[serde(flatten)]
    pub figure: Figure,
}

/// A delta as a file writes it, every field at one level: serde cannot refuse
/// unknown fields beside a flattened one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeltaFields {
    direction: Direction,
    #[serde(default)]
    qualifier: Option<Qualifier>,
    #[serde(default)]
    value: Option<DecimalValue>,
    #[serde(default)]
    low: Option<DecimalValue>,
    #[serde(default)]
    high: Option<DecimalValue>,
}

impl TryFrom<DeltaFields> for Delta {
    type Error = &'static str;
    fn try_from(d: DeltaFields) -> std::result::Result<Delta, &'static str> {
        let figure = Figure::try_from(FigureFields {
            qualifier: d.qualifier,
            value: d.value,
            low: d.low,
            high: d.high,
        })?;
        Ok(Delta {
            direction: d.direction,
            figure,
        })
    }
}

/// A stated change between two points: what was before, what is after, the
/// difference, the ratio. Any part may be left out; whatever is stated is
/// linked by `after = before + delta` and `after = before × ratio`.
///
/// The two points are:
/// - with `since`: the posture on `since` (before) and on the claim's as-of date (after);
/// - without `since`, on a claim about a what-if layer: the baseline (before)
///   and the layer (after), both on the as-of date ("tens of thousands more");
/// - without either: the posture on the as-of date (before) and an unstated
///   future (after): a prospective change ("possibly more than doubling").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Change {
    /// The earlier point, if the change is since a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<AsOf>,
    /// The figure before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Figure>,
    /// The figure after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Figure>,
    /// The difference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<Delta>,
    /// The ratio after / before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<Figure>,
}

/// What a categorical claim is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "SubjectFields")]
pub enum Subject {
    /// The footing of the deployments in a scope; the value is a [`Footing`](crate::Footing) name.
    Footing(Box<Scope>),
    /// A country's standing with an alliance; the value is a
    /// [`MembershipStatus`](crate::MembershipStatus) name (`member`, `invited`, `outside`).
    Membership {
        /// The country.
        country: Country,
        /// The alliance.
        alliance: AllianceId,
    },
    /// Anything else: an attribute of a named subject ("Joe Biden", "office")
    /// that has one value at a time.
    Named {
        /// Who or what.
        name: String,
        /// Which attribute.
        attribute: String,
    },
}

/// A subject as a file writes it: a table with one of `footing`,
/// `membership` and `named`. Read through this rather than as serde's
/// externally tagged enum, so that an extra key is refused by name.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectFields {
    #[serde(default)]
    footing: Option<Box<Scope>>,
    #[serde(default)]
    membership: Option<MembershipFields>,
    #[serde(default)]
    named: Option<NamedFields>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MembershipFields {
    country: Country,
    alliance: AllianceId,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamedFields {
    name: String,
    attribute: String,
}

impl TryFrom<SubjectFields> for Subject {
    type Error = &'static str;
    fn try_from(s: SubjectFields) -> std::result::Result<Subject, &'static str> {
        match (s.footing, s.membership, s.named) {
            (Some(scope), None, None) => Ok(Subject::Footing(scope)),
            (None, Some(MembershipFields { country, alliance }), None) => {
                Ok(Subject::Membership { country, alliance })
            }
            (None, None, Some(NamedFields { name, attribute })) => {
                Ok(Subject::Named { name, attribute })
            }
            (None, None, None) => Err("expected one of `footing`, `membership`, `named`"),
            _ => Err("expected only one of `footing`, `membership`, `named`"),
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Footing(scope) => write!(f, "footing of {scope}"),
            Subject::Membership { country, alliance } => {
                write!(f, "{country}'s standing in {alliance}")
            }
            Subject::Named { name, attribute } => write!(f, "{name}'s {attribute}"),
        }
    }
}

/// What a claim states.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Statement {
    /// A quantity of `metric` in `scope`.
    Quantity {
        /// Which deployments.
        scope: Scope,
        /// What is counted.
        metric: Metric,
        /// How many, as stated.
        #[serde(flatten)]
        figure: Figure,
    },
    /// A change of `metric` in `scope`.
    Change {
        /// Which deployments.
        scope: Scope,
        /// What is counted.
        metric: Metric,
        /// The change, as stated.
        #[serde(flatten)]
        change: Change,
    },
    /// A value from a named set for a subject.
    Category {
        /// What the claim is about.
        subject: Subject,
        /// The value stated.
        value: String,
    },
    /// Nothing: the claim retracts the claim it [corrects](Claim::correcting).
    Retraction,
}

/// A sourced statement about posture, to check against the ledger and other claims.
///
/// # Example
///
/// ```
/// use posture_ledger::claim::{AsOf, Claim, ClaimId, Figure};
/// use posture_ledger::{AllianceId, Metric, Qualifier, RegionId, Scope, Source};
/// use rust_decimal::Decimal;
///
/// // "NATO had some 3,700 soldiers stationed in Estonia, Lithuania, and Latvia
/// // when Russia invaded Ukraine in February."
/// let c10 = Claim::quantity(
///     ClaimId::new("C10")?,
///     Source { document: "madrid-summit-2022".into(), line: Some(28), ..Source::default() },
///     "2022-02".parse::<AsOf>()?,
///     Scope::all().from_alliance(AllianceId::new("NATO")?).in_region(RegionId::new("baltic-states")?),
///     Metric::PERSONNEL,
///     Figure::new(Qualifier::Approximate, Decimal::from(3_700)),
/// );
/// assert_eq!(c10.as_of().last().to_string(), "2022-02-28");
/// # Ok::<(), posture_ledger::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    id: ClaimId,
    source: Source,
    as_of: AsOf,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    layer: Option<LayerId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recorded: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    corrects: Option<ClaimId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(flatten)]
    statement: Statement,
}

impl Claim {
    /// A claim with any statement.
    pub fn new(id: ClaimId, source: Source, as_of: AsOf, statement: Statement) -> Claim {
        Claim {
            id,
            source,
            as_of,
            layer: None,
            recorded: None,
            corrects: None,
            reason: None,
            statement,
        }
    }

    /// Makes the claim a correction of `claim`, for `reason`: from the date the
    /// ledger learns of it, it stands in place of the claim it corrects. A
    /// correction whose statement is [`Statement::Retraction`] withdraws it.
    pub fn correcting(mut self, claim: ClaimId, reason: impl Into<String>) -> Claim {
        self.corrects = Some(claim);
        self.reason = Some(reason.into());
        self
    }

    /// Sets the date the ledger learned of the claim, when it is not the
    /// source's report date.
    pub fn with_recorded(mut self, recorded: NaiveDate) -> Claim {
        self.recorded = Some(recorded);
        self
    }

    /// The date the ledger learned of the claim: the date recorded, or else its
    /// source's report date; `None` when neither is known, and then the claim
    /// counts as known at any date.
    pub fn known(&self) -> Option<NaiveDate> {
        self.recorded.or(self.source.reported)
    }

    /// The claim this one corrects, if any.
    pub fn corrects(&self) -> Option<&ClaimId> {
        self.corrects.as_ref()
    }

    /// Why this claim corrects another, if it does.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    /// A claim of a quantity.
    pub fn quantity(
        id: ClaimId,
        source: Source,
        as_of: AsOf,
        scope: Scope,
        metric: Metric,
        figure: Figure,
    ) -> Claim {
        Claim::new(
            id,
            source,
            as_of,
            Statement::Quantity {
                scope,
                metric,
                figure,
            },
        )
    }

    /// A claim of a change.
    pub fn change(
        id: ClaimId,
        source: Source,
        as_of: AsOf,
        scope: Scope,
        metric: Metric,
        change: Change,
    ) -> Claim {
        Claim::new(
            id,
            source,
            as_of,
            Statement::Change {
                scope,
                metric,
                change,
            },
        )
    }

    /// A claim of a category.
    pub fn category(
        id: ClaimId,
        source: Source,
        as_of: AsOf,
        subject: Subject,
        value: impl Into<String>,
    ) -> Claim {
        Claim::new(
            id,
            source,
            as_of,
            Statement::Category {
                subject,
                value: value.into(),
            },
        )
    }

    /// Makes the claim speak of a what-if layer (requested or pledged posture).
    pub fn in_layer(mut self, layer: LayerId) -> Claim {
        self.layer = Some(layer);
        self
    }

    /// The id.
    pub fn id(&self) -> &ClaimId {
        &self.id
    }

    /// Where it comes from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The date it speaks of.
    pub fn as_of(&self) -> AsOf {
        self.as_of
    }

    /// The what-if layer it speaks of, if any.
    pub fn layer(&self) -> Option<&LayerId> {
        self.layer.as_ref()
    }

    /// What it states.
    pub fn statement(&self) -> &Statement {
        &self.statement
    }

    pub(crate) fn error(&self, field: &'static str, problem: Problem) -> Error {
        Error::InvalidRecord {
            kind: RecordKind::Claim,
            id: self.id.to_string(),
            field,
            problem,
        }
    }
}

/// A decimal written as a number (`3700`) or a string (`"12.5"`) in files;
/// always written back as a string, which is exact.
mod decimal_value {
    use std::fmt;

    use rust_decimal::Decimal;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number, or a decimal written as a string such as \"12.5\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal::from(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
                Ok(Decimal::from(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
                let plain: String = v.chars().filter(|&c| c != ',' && c != '_').collect();
                plain
                    .parse()
                    .map_err(|_| E::custom(format!("`{v}` is not a decimal number")))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_or_span_that_does_not_exist_cannot_be_built() {
        assert!(YearMonth::new(2022, 13).is_err());
        assert!(YearMonth::new(2022, 0).is_err());
        assert!(AsOf::month(2022, 13).is_err());
        let (early, late) = ("2022-02-01".parse().unwrap(), "2022-02-28".parse().unwrap());
        assert!(DaySpan::new(late, early).is_err());
        assert_eq!(AsOf::between(early, late).unwrap().last(), late);
        let feb = YearMonth::new(2022, 2).unwrap();
        assert_eq!((feb.first(), feb.last()), (early, late));
        // The calendar's last month ends on its last day.
        let last = YearMonth::new(NaiveDate::MAX.year(), 12).unwrap();
        assert_eq!(last.last(), NaiveDate::MAX);
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn as_of_dates_round_trip_and_cover_their_days() {
        for (text, first, last) in [
            ("2022-06-29", "2022-06-29", "2022-06-29"),
            ("2022-02", "2022-02-01", "2022-02-28"),
            ("2024-02", "2024-02-01", "2024-02-29"),
            ("2022-12", "2022-12-01", "2022-12-31"),
            ("2022-02-01..2022-02-10", "2022-02-01", "2022-02-10"),
            ("before 2022-02-24", "2022-02-23", "2022-02-23"),
        ] {
            let a: AsOf = text.parse().unwrap();
            assert_eq!((a.first(), a.last()), (d(first), d(last)), "{text}");
            assert_eq!(a.to_string(), text);
            assert_eq!(a.days().count() as u64, a.len_days());
        }
        for bad in [
            "2022-13",
            "2022-02-30",
            "2022-03-01..2022-02-01",
            "yesterday",
            "before",
        ] {
            assert!(
                matches!(bad.parse::<AsOf>(), Err(Error::InvalidName { .. })),
                "{bad}"
            );
        }
    }

    /// "Before" the first day chrono can hold names no day: it parsed, and
    /// only the checker refused it.
    #[test]
    fn before_the_first_day_there_is_is_refused_when_read() {
        let text = format!("before {}", NaiveDate::MIN);
        assert!(
            matches!(text.parse::<AsOf>(), Err(Error::InvalidName { .. })),
            "{text}"
        );
        let json = format!("\"{text}\"");
        assert!(serde_json::from_str::<AsOf>(&json).is_err());
        assert!(serde_json::from_str::<AsOf>("\"2022-13\"").is_err());
    }

    #[test]
    fn overlapping_as_of_dates_share_a_day() {
        let feb: AsOf = "2022-02".parse().unwrap();
        assert!(feb.overlaps(&AsOf::Before(d("2022-02-24"))));
        assert!(!feb.overlaps(&AsOf::Day(d("2022-03-01"))));
    }

    #[test]
    fn figures_become_intervals() {
        let p = TolerancePolicy::default();
        let range = Figure::Range {
            low: Decimal::from(3_500),
            high: Decimal::from(4_500),
        };
        assert_eq!(range.interval(&p).unwrap().to_string(), "[3,500, 4,500]");
        assert_eq!(range.stated(), Decimal::from(4_000));
        let backwards = Figure::Range {
            low: Decimal::from(5),
            high: Decimal::from(3),
        };
        assert!(matches!(
            backwards.interval_or_problem(&p),
            Err(Problem::Interval(_))
        ));
        let tens = Figure::new(Qualifier::OrderOfMagnitude, Decimal::from(12_345));
        assert!(matches!(
            tens.interval_or_problem(&p),
            Err(Problem::Figure(_))
        ));
    }

    #[test]
    fn claims_read_from_toml() {
        #[derive(Deserialize)]
        struct File {
            claims: Vec<Claim>,
        }
        let text = r#"
            [[claims]]
            id = "C10"
            as_of = "2022-02"
            source = { document = "report", line = 28 }
            kind = "quantity"
            scope = { contributors = { alliances = ["NATO"] }, hosts = { regions = ["baltic-states"] } }
            metric = "personnel"
            qualifier = "approximate"
            value = 3700

            [[claims]]
            id = "C12"
            as_of = "2022-06-29"
            source = { document = "report", line = 51 }
            kind = "change"
            scope = { contributors = { countries = ["USA"] }, hosts = { regions = ["europe"] } }
            metric = "personnel"
            since = "before 2022-02-24"
            after = { qualifier = "more_than", value = 100000 }
            delta = { direction = "increase", qualifier = "nearly", value = 20000 }

            [[claims]]
            id = "C13a"
            as_of = "2022-06-29"
            source = { document = "report", line = 5 }
            kind = "category"
            subject = { named = { name = "Joe Biden", attribute = "office" } }
            value = "Vice President"
        "#;
        let file: File = toml::from_str(text).unwrap();
        assert_eq!(file.claims.len(), 3);
        let Statement::Change { change, .. } = file.claims[1].statement() else {
            panic!("a change");
        };
        assert_eq!(change.since, Some(AsOf::Before(d("2022-02-24"))));
        assert_eq!(change.delta.map(|d| d.direction), Some(Direction::Increase));
        let json = serde_json::to_string(&file.claims).unwrap();
        let back: Vec<Claim> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, file.claims);
    }

    #[test]
    fn a_day_prints_as_chrono_prints_it() {
        let mut days: Vec<NaiveDate> = NaiveDate::from_ymd_opt(2024, 1, 1)
            .unwrap()
            .iter_days()
            .take(366)
            .collect();
        for (y, m, d) in [
            (0, 1, 1),
            (9, 2, 3),
            (999, 12, 31),
            (9999, 12, 31),
            (10_000, 1, 1),
            (-1, 6, 15),
            (-44, 3, 15),
        ] {
            days.push(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        }
        days.extend([NaiveDate::MIN, NaiveDate::MAX]);
        for day in days {
            assert_eq!(Day(day).to_string(), day.to_string());
        }
    }
}
