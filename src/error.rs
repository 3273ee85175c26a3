//! The crate's error type.
//!
//! Every way an input can be wrong has a variant here, and each carries the
//! context a caller needs to find the culprit: the record (event, unit, base…)
//! and the field, and for files the line and column. A rejected input never
//! changes the ledger.

use std::fmt;

use chrono::NaiveDate;

use crate::deployment::Location;
use crate::event::EventId;
use crate::metric::{Count, Metric};

mod files;
pub use files::{Diagnostic, ScenarioError};

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in this crate.
///
/// Consistency findings are not errors: a claim that disagrees with the ledger
/// is a result, not a failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A string is not an ISO 3166-1 alpha-3 country code.
    #[error("invalid country code `{code}`: not an ISO 3166-1 alpha-3 code{}", country_hint(.code))]
    InvalidCountry {
        /// The text that was given.
        code: String,
    },
    /// An identifier is empty, too long, or has characters outside
    /// `A-Z a-z 0-9 - _ . :`.
    #[error("invalid {kind} id `{id}`: {reason}")]
    InvalidId {
        /// What the id names.
        kind: RecordKind,
        /// The text that was given.
        id: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A metric name is not lowercase `snake_case`.
    #[error("invalid metric `{name}`: a metric is lowercase ascii letters, digits and `_`")]
    InvalidMetric {
        /// The text that was given.
        name: String,
    },
    /// A count is not a whole number from 0 to [`Count::RECORD_MAX`].
    #[error("invalid count `{text}`: expected a whole number from 0 to {max}", max = Count::RECORD_MAX)]
    InvalidCount {
        /// The text that was given.
        text: String,
    },
    /// A name of an enumerated value (a footing, a unit kind…) is not one of its values.
    #[error("invalid {what} `{text}`: expected one of {expected}")]
    InvalidName {
        /// What was being parsed.
        what: &'static str,
        /// The text that was given.
        text: String,
        /// The accepted spellings.
        expected: &'static str,
    },
    /// A record (a unit, a base, an event…) was refused; `problem` says why.
    #[error("{kind} `{id}`: field `{field}`: {problem}")]
    InvalidRecord {
        /// What kind of record.
        kind: RecordKind,
        /// The record's id.
        id: String,
        /// The field at fault.
        field: &'static str,
        /// What is wrong with it.
        problem: Problem,
    },
    /// A query names something the ledger does not know.
    #[error("unknown {kind} `{id}`")]
    Unknown {
        /// What kind of thing.
        kind: RecordKind,
        /// The id that was asked for.
        id: String,
    },
    /// A total is larger than a [`Count`] can hold.
    #[error("the total of {metric} does not fit in a 64-bit count")]
    TotalOverflow {
        /// The metric being totalled.
        metric: Metric,
    },
    /// Two quantities of different metrics were combined.
    #[error("cannot combine {left} with {right}: metrics are never added together")]
    MetricMismatch {
        /// The metric on the left.
        left: Metric,
        /// The metric on the right.
        right: Metric,
    },
    /// An event was asked about in a view that does not hold it: a what-if
    /// event seen from the baseline or from another layer.
    #[error("event `{event}` is in layer `{layer}`, not in this view")]
    NotInView {
        /// The event.
        event: EventId,
        /// Its layer.
        layer: crate::event::LayerId,
    },
    /// The ledger found its own state inconsistent. This is a bug in this crate;
    /// please report it with the input that led to it.
    #[error("internal error: {detail}")]
    Internal {
        /// What was found.
        detail: String,
    },
    /// A scenario file has problems: every one found, each with its place.
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    /// An imported file has problems: every one found, each with its line.
    #[cfg(feature = "csv")]
    #[error("{0}")]
    Import(ScenarioError),
    /// A chart could not be drawn (feature `chart`): its range, its size,
    /// or the drawing library refused.
    #[error("cannot draw the chart: {reason}")]
    Chart {
        /// Why.
        reason: String,
    },
    /// A file could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What the system said.
        message: String,
    },
    /// Dates that must be in order are not: a period that ends before it
    /// starts holds no day, a membership that ends before it starts never was.
    #[error("ends on {until}, before it starts on {from}")]
    BackwardsDates {
        /// The start.
        from: NaiveDate,
        /// The end.
        until: NaiveDate,
    },
}

impl Error {
    /// Builds an [`Error::InvalidRecord`] for an event.
    pub(crate) fn event(id: &EventId, field: &'static str, problem: Problem) -> Self {
        Error::InvalidRecord {
            kind: RecordKind::Event,
            id: id.to_string(),
            field,
            problem,
        }
    }

    /// Builds an [`Error::Unknown`].
    pub(crate) fn unknown(kind: RecordKind, id: impl fmt::Display) -> Self {
        Error::Unknown {
            kind,
            id: id.to_string(),
        }
    }

    /// The problem, when this error is about a record.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Error::InvalidRecord { problem, .. } => Some(problem),
            _ => None,
        }
    }
}

/// The kinds of record an error can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordKind {
    /// A change event.
    Event,
    /// A unit.
    Unit,
    /// A base.
    Base,
    /// A region.
    Region,
    /// An alliance.
    Alliance,
    /// A what-if layer.
    Layer,
    /// A claim.
    Claim,
    /// A metric.
    Metric,
    /// A correction of an event.
    Correction,
    /// A table a scenario file imports.
    Import,
    /// A declared country.
    Country,
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordKind::Event => "event",
            RecordKind::Unit => "unit",
            RecordKind::Base => "base",
            RecordKind::Region => "region",
            RecordKind::Alliance => "alliance",
            RecordKind::Layer => "layer",
            RecordKind::Claim => "claim",
            RecordKind::Metric => "metric",
            RecordKind::Correction => "correction",
            RecordKind::Import => "import",
            RecordKind::Country => "country",
        })
    }
}

/// `; for Latvia, write `LVA``, when `text` names a country another way than by its
/// alpha-3 code.
/// What to do about a user-assigned code nothing declares.
const DECLARE: &str = " a user-assigned code is taken once a `[[countries]]` record declares it";

fn country_hint(text: &str) -> String {
    match crate::Country::from_name(text) {
        Some(c) => format!("; for {}, write `{c}`", c.name()),
        None if crate::Country::user_assigned(text).is_ok() => format!(";{DECLARE}"),
        None => String::new(),
    }
}

/// For an unknown region or alliance that names a country: which code means it.
fn place_hint(kind: RecordKind, id: &str) -> String {
    match (kind, crate::Country::from_name(id)) {
        (RecordKind::Region | RecordKind::Alliance, Some(c)) => format!(
            ": `{id}` is not an ISO 3166-1 alpha-3 code; for {}, write `{c}`",
            c.name()
        ),
        (RecordKind::Country, _) => format!(":{DECLARE}"),
        _ => String::new(),
    }
}

impl Problem {
    /// A reference to a record the ledger does not know.
    pub(crate) fn unknown(kind: RecordKind, id: impl fmt::Display) -> Self {
        Problem::UnknownReference {
            kind,
            id: id.to_string(),
        }
    }
}

/// Why a record was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The id is already taken by another record of the same kind.
    #[error("duplicate id")]
    Duplicate,
    /// The record refers to something the ledger does not know.
    #[error("unknown {kind} `{id}`{}", place_hint(*.kind, .id))]
    UnknownReference {
        /// What kind of thing is referred to.
        kind: RecordKind,
        /// The id that was referred to.
        id: String,
    },
    /// The change would make a strength negative.
    #[error("strength would fall below zero: {strength} {metric}, changed by −{change}")]
    NegativeStrength {
        /// The metric.
        metric: Metric,
        /// The strength before the change.
        strength: Count,
        /// The amount taken away.
        change: Count,
    },
    /// A level (an observed strength that includes subunits) is below what
    /// the subunits alone already hold.
    #[error("level {level} {metric} is below the {subunits} its subunits hold")]
    LevelBelowSubunits {
        /// The metric.
        metric: Metric,
        /// The level that was set.
        level: Count,
        /// What the subunits hold at that moment.
        subunits: Count,
    },
    /// The unit is already deployed somewhere: a unit is in one place at a time.
    #[error("unit is already deployed at {location} since {since}")]
    AlreadyDeployed {
        /// Where it is.
        location: Location,
        /// Since when.
        since: NaiveDate,
    },
    /// The event needs the unit to be deployed, and it is not.
    #[error("unit is not deployed on {date}")]
    NotDeployed {
        /// The event's effective date.
        date: NaiveDate,
    },
    /// The event takes effect before its unit was formed.
    #[error("effective {date} is before the unit was formed on {formed}")]
    BeforeFormed {
        /// The event's effective date.
        date: NaiveDate,
        /// The unit's formation date.
        formed: NaiveDate,
    },
    /// The event counts a metric its unit is not counted in.
    #[error("unit is not counted in {metric} (it is counted in {expected})")]
    MetricMismatch {
        /// The metric the event uses.
        metric: Metric,
        /// The unit's metrics, comma-separated.
        expected: String,
    },
    /// A strength or a total would exceed what a [`Count`] can hold.
    #[error("the count would overflow")]
    Overflow,
    /// A count in a record is above [`Count::RECORD_MAX`], the largest a
    /// scenario file can hold, so the record could not be saved and loaded again.
    #[error("{count} is more than the largest count a record may hold, {max}", max = Count::RECORD_MAX)]
    CountOutOfRange {
        /// The count given.
        count: Count,
    },
    /// A pad has no later level on the same metric to pad up to.
    #[error("no later level of {metric} to pad up to")]
    PadWithoutLevel {
        /// The metric.
        metric: Metric,
    },
    /// Between a pad and its level lies an event that resets the strength.
    #[error("event `{event}` between the pad and its level resets the strength")]
    PadAcrossReset {
        /// The event in the way.
        event: EventId,
    },
    /// A scaling factor is negative.
    #[error("factor {factor} is negative")]
    NegativeFactor {
        /// The factor given.
        factor: rust_decimal::Decimal,
    },
    /// A list that must not be empty is empty.
    #[error("must not be empty")]
    Empty,
    /// A name declared for a country already stands for another.
    #[error("`{name}` already stands for {country}")]
    NameTaken {
        /// The name.
        name: String,
        /// The country it stands for.
        country: crate::Country,
    },
    /// A date range ends before it starts.
    #[error("ends on {until}, before it starts on {from}")]
    BackwardsDates {
        /// The start.
        from: NaiveDate,
        /// The end.
        until: NaiveDate,
    },
    /// The ledger holds as many events as it can index (2³² − 1).
    #[error("the ledger is full")]
    LedgerFull,
    /// The unit would sit below more levels of parents than the ledger
    /// allows: real orders of battle are a dozen deep at most, and the
    /// ledger walks unit trees level by level.
    #[error("a unit can sit at most {limit} levels below its top unit")]
    TooDeep {
        /// The deepest a unit may sit.
        limit: u32,
    },
    /// A figure cannot be read as an interval under the tolerance policy.
    #[error("{0}")]
    Figure(Box<crate::qualifier::QualifierError>),
    /// An interval is empty or cannot be computed.
    #[error("{0}")]
    Interval(Box<crate::interval::IntervalError>),
    /// A ratio is stated against a baseline of zero.
    #[error("a ratio of a zero baseline")]
    ZeroBaseline,
    /// A change claim states none of before, after, delta and ratio.
    #[error("states nothing: give before, after, delta or ratio")]
    NothingStated,
    /// A category's value is not one of the subject's values.
    #[error("`{value}` is not one of {expected}")]
    NotAValue {
        /// The value given.
        value: String,
        /// The values the subject takes.
        expected: &'static str,
    },
    /// The event was already corrected: correct the correction instead.
    #[error("already corrected by `{by}`: correct that instead")]
    AlreadyCorrected {
        /// The correction that replaced or retracted it.
        by: EventId,
    },
    /// A back-dated event makes an event already recorded invalid.
    #[error("would make event `{event}` invalid: {problem}")]
    Invalidates {
        /// The recorded event that would break.
        event: EventId,
        /// How it would break.
        problem: Box<Problem>,
    },
    /// A correction recorded before the ledger knew of the event it corrects:
    /// nothing can be corrected before it is known.
    #[error("recorded on {recorded}, before the event it corrects was known, on {known}")]
    CorrectedBeforeKnown {
        /// When the correction says it was recorded.
        recorded: NaiveDate,
        /// When the ledger learned of the event.
        known: NaiveDate,
    },
    /// A figure is below zero: a claim counts things, and states the
    /// direction of a change apart from its size.
    #[error("{} is below zero: a figure is never negative", crate::number::group_thousands(.value))]
    NegativeFigure {
        /// The figure given.
        value: rust_decimal::Decimal,
    },
    /// A change claim's `since` is after the date it speaks of: no day of
    /// the one comes before a day of the other.
    #[error("the change is since {since}, after its as-of date {as_of}")]
    SinceAfterAsOf {
        /// The earlier point, as given.
        since: crate::claim::AsOf,
        /// The claim's as-of date.
        as_of: crate::claim::AsOf,
    },
    /// A claim's metric is no metric the ledger counts, but close to one:
    /// a typo would otherwise make the claim silently unverifiable.
    #[error("the ledger counts no `{metric}`; did you mean `{meant}`?")]
    MisspeltMetric {
        /// The metric given.
        metric: Metric,
        /// The counted metric nearest to it.
        meant: Metric,
    },
}
