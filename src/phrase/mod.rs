//! Quantity phrases in English text: "some 3,700 soldiers", "from four to
//! six", "more than doubling", read into typed [`Reading`]s.
//!
//! [`read`] finds every quantity phrase of a text and reads each into a
//! [`Value`] — a [`Figure`] (a hedged value or a range), a hedged range, a
//! [`Change`] or a ratio — with its byte span, its words as quoted, and the
//! [`Metric`] its noun counts when it names one. [`Reading::interval`] gives
//! the interval the phrase allows under a [`TolerancePolicy`]; the hedges are
//! the ones [`Qualifier::from_words`] knows, so a change of policy changes
//! every reading the same way.
//!
//! # Example
//!
//! ```
//! use posture_ledger::phrase;
//! use posture_ledger::{Metric, Qualifier, TolerancePolicy};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let text = "NATO had some 3,700 soldiers there, and\nnearly 20,000 more troops.";
//! let readings = phrase::read(text);
//! assert_eq!(readings.len(), 2);
//!
//! let some = &readings[0];
//! assert_eq!(some.words(), "some 3,700");
//! assert_eq!(some.qualifier(), Some(Qualifier::Approximate));
//! assert_eq!(some.metric(), Some(&Metric::PERSONNEL));
//! assert_eq!(some.interval(&TolerancePolicy::default())?.to_string(), "[3,650, 3,750]");
//!
//! let more = &readings[1];
//! assert_eq!(more.words(), "nearly 20,000 more");
//! assert_eq!(more.value().to_string(), "an increase of nearly 20,000");
//! assert_eq!(more.line_column(text), Some((2, 1)));
//! assert_eq!(more.interval(&TolerancePolicy::default())?.to_string(), "[18,000, 20,000)");
//! # Ok(())
//! # }
//! ```
//!
//! # What it reads
//!
//! | construction | examples | value |
//! |---|---|---|
//! | numerals | "1,650", "9641", "1.5 million", "3.7k", "10M", "2bn", "−1,650" | exact figure |
//! | number words | "four", "thirty five", "forty thousand", "one hundred and six", "a dozen", "half a million" | exact figure |
//! | hedge before | "some", "about", "nearly", "close to", "just over", "well over", "more than", "at least", "up to", "as many as", "fewer than", "a total of", "of the order of" | hedged figure |
//! | hedge after | "or more", "or so", "or fewer", "or less", "-strong" | hedged figure |
//! | ranges | "between 3,000 and 5,000", "3,000 to 5,000", "3,000–5,000", "3 to 5 million" | [`Figure::Range`] |
//! | hedged ranges | "about 1,100–1,200" | [`Value::HedgedRange`]: the hull of both ends' intervals |
//! | orders of magnitude | "tens of thousands", "hundreds", "thousands of" | order of magnitude: [10,000, 100,000), … |
//! | vague counts | "dozens" [24, 144]; "several hundred" [300, 900] (3 to 9 times); "a few thousand" [2,000, 5,000] (2 to 5 times) | [`Figure::Range`] |
//! | changes | "from four to six", "an increase of nearly 20,000", "increased by 500", "two more", "3,000 fewer", "tens of thousands more", "a new … headquarters", "build a … headquarters" | [`Change`] |
//! | factors | "doubled", "more than doubling", "nearly doubled", "tripled", "halved", "a fivefold increase", "5-fold" | [`Change`] with a ratio |
//! | ratios | "more than half", "nearly a third", "two thirds", "20%", "20 per cent" | [`Value::Ratio`] |
//!
//! "from a to b" is a change when a verb of change ("increase", "cut",
//! "rose", …) comes in the twelve words before it in its sentence, when
//! either end is hedged, or when it falls; otherwise it is a range.
//!
//! # What it refuses
//!
//! A phrase it cannot read is not read: no reading, never a guess.
//!
//! - numerals whose commas are not in groups of three ("1,65", "22,24,26"),
//!   with several points ("192.168.1.2"), or with a leading zero ("007", "0000");
//! - years: a four-digit numeral from 1800 to 2100 with no counted noun after
//!   it ("in 2022"; but "2000 troops" is read), and days of a month ("May 4");
//! - designators: a numeral hyphenated or joined to letters before it
//!   ("Su-35", "F-35", "AS-4", "A400"), and labels ("Article 5", "day two");
//! - units and ordinals written against a numeral ("4th", "29km", "180ml"),
//!   and a number hyphenated to a word other than "strong" or "fold"
//!   ("35-year-old", "twenty-first");
//! - times ("4 p.m.", "4:30") and codes: three or more numerals with only
//!   marks between them, or two joined by "/", ":" or "+" ("+1-222-2222-2222",
//!   "5/17/2018", "3/4");
//! - ordinals ("second", "the third") and "one" as a pronoun ("one of the",
//!   "the one", "no one");
//! - a hedge on a vague count ("about hundreds") and two hedges that
//!   contradict each other ("more than 500 or fewer").

mod extract;
mod grammar;
mod numbers;
mod tokens;

use std::fmt;
use std::ops::Range;

use rust_decimal::Decimal;

use crate::claim::{Change, Direction, Figure};
use crate::error::{Error, Result};
use crate::interval::Interval;
use crate::metric::Metric;
use crate::number::Thousands;
use crate::qualifier::{Qualifier, TolerancePolicy};

pub use extract::{extract, sentences, Extracted, MetricFrom, NamedPlace, Place, PlaceRole};

/// What a counted noun counts: "troops", "soldiers", "service members",
/// "personnel" → personnel; "warships", "destroyers", "ships" → ships;
/// "squadrons"; "headquarters"; "battlegroups"; "deaths"; "aircraft", "jets".
///
/// `noun` is lower case; `next` is the word after it, for the nouns of two
/// words ("service" "members", "battle" "groups"). This is the guess
/// [`Reading::metric`] makes.
///
/// # Example
///
/// ```
/// use posture_ledger::phrase::metric_from_noun;
/// use posture_ledger::Metric;
///
/// assert_eq!(metric_from_noun("destroyers", None), Some(Metric::SHIPS));
/// assert_eq!(metric_from_noun("service", Some("members")), Some(Metric::PERSONNEL));
/// assert_eq!(metric_from_noun("months", None), None);
/// ```
#[must_use]
pub fn metric_from_noun(noun: &str, next: Option<&str>) -> Option<Metric> {
    grammar::metric_of(noun, next)
}

/// What a quantity phrase says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// A hedged value ("some 3,700") or a range ("between 3,000 and 5,000").
    Figure(Figure),
    /// A range with a hedge on it, "about 1,100–1,200": under a policy, the
    /// hull of the intervals of its two ends.
    HedgedRange {
        /// The hedge.
        qualifier: Qualifier,
        /// The low end, as stated.
        low: Decimal,
        /// The high end, as stated.
        high: Decimal,
    },
    /// A change: before and after ("from four to six"), a delta ("two
    /// more"), or a ratio ("more than doubling").
    Change(Change),
    /// A proportion of a whole: "more than half" is more than 0.5.
    Ratio(Figure),
}

impl fmt::Display for Value {
    /// Writes the value in words: `about 3,700`, `from 4 to 6`,
    /// `an increase of nearly 20,000`, `a ratio of more than 2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Figure(figure) => write!(f, "{figure}"),
            Value::HedgedRange {
                qualifier,
                low,
                high,
            } => write!(
                f,
                "{}between {} and {}",
                crate::claim::hedge_words(*qualifier),
                Thousands(low),
                Thousands(high)
            ),
            Value::Change(change) => {
                let mut parts = Vec::new();
                if let (Some(before), Some(after)) = (change.before, change.after) {
                    parts.push(format!("from {before} to {after}"));
                }
                if let Some(delta) = change.delta {
                    let way = match delta.direction {
                        Direction::Increase => "an increase",
                        Direction::Decrease => "a decrease",
                    };
                    let figure = delta.figure.to_string();
                    // "of the order of 10,000" already begins with "of".
                    let of = if figure.starts_with("of ") { "" } else { "of " };
                    parts.push(format!("{way} {of}{figure}"));
                }
                if let Some(ratio) = change.ratio {
                    parts.push(format!("a ratio of {ratio}"));
                }
                f.write_str(&parts.join(", "))
            }
            Value::Ratio(figure) => write!(f, "a proportion of {figure}"),
        }
    }
}

/// A quantity phrase found in a text: where it is, its words, what it says
/// and what it counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    span: Range<usize>,
    words: String,
    value: Value,
    metric: Option<Metric>,
}

impl Reading {
    /// The byte range of the phrase in the text read; always on char boundaries.
    #[must_use]
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The phrase's words, as the text has them: the quote.
    #[must_use]
    pub fn words(&self) -> &str {
        &self.words
    }

    /// What the phrase says.
    #[must_use]
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// What the noun after the phrase counts, when it names one ("1,650
    /// troops" → personnel). A guess for a person to confirm.
    #[must_use]
    pub fn metric(&self) -> Option<&Metric> {
        self.metric.as_ref()
    }

    /// The hedge of the phrase's figure: of a change, of its delta, else its
    /// ratio, else its after figure. `None` for an unhedged range.
    #[must_use]
    pub fn qualifier(&self) -> Option<Qualifier> {
        let of = |figure: &Figure| match figure {
            Figure::Hedged { qualifier, .. } => Some(*qualifier),
            Figure::Range { .. } => None,
        };
        match &self.value {
            Value::Figure(figure) | Value::Ratio(figure) => of(figure),
            Value::HedgedRange { qualifier, .. } => Some(*qualifier),
            Value::Change(change) => change
                .delta
                .map(|d| d.figure)
                .or(change.ratio)
                .or(change.after)
                .and_then(|f| of(&f)),
        }
    }

    /// The interval the phrase allows under `policy`. Of a change, the
    /// interval of its delta (negative for a decrease), else of its ratio,
    /// else of its after figure.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] when the figure cannot take its qualifier (as
    /// "of the order of 20,000": not a power of ten) or the interval
    /// overflows.
    pub fn interval(&self, policy: &TolerancePolicy) -> Result<Interval> {
        match &self.value {
            Value::Figure(figure) | Value::Ratio(figure) => figure.interval(policy),
            Value::HedgedRange {
                qualifier,
                low,
                high,
            } => {
                let low = Figure::new(*qualifier, *low).interval(policy)?;
                let high = Figure::new(*qualifier, *high).interval(policy)?;
                Ok(low.hull(&high))
            }
            Value::Change(change) => {
                if let Some(delta) = change.delta {
                    let size = delta.figure.interval(policy)?;
                    return Ok(match delta.direction {
                        Direction::Increase => size,
                        Direction::Decrease => -size,
                    });
                }
                change
                    .ratio
                    .or(change.after)
                    .ok_or_else(|| Error::InvalidName {
                        what: "change",
                        text: self.words.clone(),
                        expected: "a change with a delta, a ratio or an after figure",
                    })?
                    .interval(policy)
            }
        }
    }

    /// The 1-based line and column (in chars) where the phrase starts in
    /// `text`, the text it was read from.
    #[must_use]
    pub fn line_column(&self, text: &str) -> Option<(usize, usize)> {
        line_column(text, self.span.start)
    }
}

/// Finds and reads every quantity phrase in `text`, in order; phrases do not overlap.
///
/// # Example
///
/// ```
/// use posture_ledger::phrase::{self, Value};
/// use posture_ledger::claim::Figure;
///
/// let readings = phrase::read("the F-35 squadrons, in 2022: between 3,000 and 5,000");
/// assert_eq!(readings.len(), 1);
/// assert_eq!(readings[0].words(), "between 3,000 and 5,000");
/// assert_eq!(
///     readings[0].value(),
///     &Value::Figure(Figure::Range { low: 3_000.into(), high: 5_000.into() })
/// );
/// ```
#[must_use]
pub fn read(text: &str) -> Vec<Reading> {
    grammar::scan(text)
}

/// Reads `phrase` as one quantity phrase: `None` unless one reading covers
/// all of it (space around it aside).
///
/// # Example
///
/// ```
/// use posture_ledger::phrase;
///
/// assert!(phrase::read_phrase("more than doubling").is_some());
/// assert!(phrase::read_phrase("1,65").is_none());
/// assert!(phrase::read_phrase("some 3,700 soldiers").is_none()); // the noun is not the phrase
/// ```
#[must_use]
pub fn read_phrase(phrase: &str) -> Option<Reading> {
    let trimmed = phrase.trim();
    let mut readings = read(trimmed);
    let reading = readings.pop()?;
    (readings.is_empty() && reading.span == (0..trimmed.len())).then_some(reading)
}

/// Reads `phrase` as one figure, the inverse of [`Figure`]'s `Display`:
/// `"about 3,700"`, `"between 3,000 and 5,000"`.
///
/// # Example
///
/// ```
/// use posture_ledger::phrase;
/// use posture_ledger::{Figure, Qualifier};
/// use rust_decimal::Decimal;
///
/// let figure = Figure::new(Qualifier::Nearly, Decimal::from(20_000));
/// assert_eq!(phrase::read_figure(&figure.to_string()), Some(figure));
/// ```
#[must_use]
pub fn read_figure(phrase: &str) -> Option<Figure> {
    match read_phrase(phrase)?.value {
        Value::Figure(figure) => Some(figure),
        _ => None,
    }
}

/// The 1-based line and column (counted in chars) of byte `offset` in
/// `text`; `None` when the offset is past the end or inside a char.
///
/// # Example
///
/// ```
/// use posture_ledger::phrase::line_column;
///
/// assert_eq!(line_column("one\n“two” 3", 14), Some((2, 7))); // "3", after 6 chars
/// assert_eq!(line_column("one\n“two” 3", 5), None); // inside "“"
/// assert_eq!(line_column("abc", 9), None);
/// ```
#[must_use]
pub fn line_column(text: &str, offset: usize) -> Option<(usize, usize)> {
    let before = text.get(..offset)?;
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit_once('\n')
        .map_or(before, |(_, rest)| rest)
        .chars()
        .count()
        + 1;
    Some((line, column))
}

#[cfg(test)]
mod tests;
