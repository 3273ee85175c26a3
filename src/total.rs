//! Totals as observations: a count where a record covers the scope, none
//! where nothing does, with the date of the newest observation behind it.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::metric::Count;

/// The total of a metric in a scope on a date, as the ledger records it.
///
/// Posture data is observations, not bookkeeping: where no record covers a
/// scope, its total is *unknown*, not 0. A `Total` is either **no record** —
/// no event in view, on or before the date, placed anything counted in the
/// metric in the scope — or a **recorded** count, which is 0 only where a
/// record says so (a withdrawal, a level of 0, a move out). A recorded total
/// carries the date of the newest observation behind it: the latest event,
/// of any unit it counts, that observed the scope, even one that changed
/// nothing. A view with a [maximum age](crate::View::max_age) marks a
/// total whose newest observation is older than that as *stale*.
///
/// There is no `From<Total> for Count` and no default: a caller cannot take
/// "no record" for 0 without saying so.
///
/// # Example
///
/// ```
/// use posture_ledger::{scenario, Country, EventId, Metric, Scope};
///
/// let ledger = scenario::madrid_2022()?.into_ledger();
/// let day = "2022-06-29".parse()?;
/// // The report says nothing of US personnel in Spain: no record, not 0.
/// let spain = Scope::all().in_country(Country::new("ESP")?);
/// let total = ledger.total(&spain, &Metric::PERSONNEL, day)?;
/// assert_eq!(total.count(), None);
/// assert_eq!(total.to_string(), "no record");
/// // It does record ships there, and when: the two more destroyers at Rota.
/// let ships = ledger.total(&spain, &"ships".parse()?, day)?;
/// assert_eq!(ships.get(), Some(6));
/// let six = ledger.event(&EventId::new("rota-six")?).map(|e| e.effective());
/// assert_eq!(ships.newest(), six);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "TotalRecord", into = "TotalRecord")]
pub struct Total {
    record: Option<Observed>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Observed {
    count: Count,
    newest: NaiveDate,
    /// The oldest of the newest observations of the parts the total adds.
    oldest: NaiveDate,
    /// The last day the newest observation holds, where its source gave one.
    until: Option<NaiveDate>,
    stale: bool,
    /// Stale because a figure it adds has ended (not, or not only, by age).
    ended: bool,
}

impl Total {
    /// No record covers the scope.
    pub const NO_RECORD: Total = Total { record: None };

    /// A recorded `count`, whose newest observation is of `newest`.
    pub fn recorded(count: Count, newest: NaiveDate) -> Total {
        Total {
            record: Some(Observed {
                count,
                newest,
                oldest: newest,
                until: None,
                stale: false,
                ended: false,
            }),
        }
    }

    /// The same total, the oldest of the figures it adds last observed on
    /// `oldest` (no later than its newest observation).
    pub(crate) fn oldest(mut self, oldest: NaiveDate) -> Total {
        if let Some(r) = self.record.as_mut() {
            r.oldest = oldest.min(r.newest);
        }
        self
    }

    /// The same total, its newest observation holding until the end of
    /// `until` (see [`Event::with_valid_until`](crate::Event::with_valid_until)).
    pub(crate) fn holding_until(mut self, until: Option<NaiveDate>) -> Total {
        if let Some(r) = self.record.as_mut() {
            r.until = until;
        }
        self
    }

    /// The same total as read on `date`, marked stale when it is recorded
    /// and a figure it adds was last observed more than `max_age` days
    /// before `date`, or holds only until a day before `date`.
    pub(crate) fn aged(mut self, date: NaiveDate, max_age: Option<u32>) -> Total {
        if let Some(r) = self.record.as_mut() {
            let too_old = max_age.is_some_and(|age| {
                let limit = date
                    .checked_sub_days(chrono::Days::new(u64::from(age)))
                    .unwrap_or(NaiveDate::MIN);
                r.oldest < limit
            });
            r.ended = r.until.is_some_and(|until| until < date);
            r.stale = too_old || r.ended;
        }
        self
    }

    /// The recorded count, stale or not; `None` where no record covers the scope.
    pub fn count(&self) -> Option<Count> {
        self.record.map(|r| r.count)
    }

    /// The recorded count as a number; `None` where no record covers the scope.
    pub fn get(&self) -> Option<u64> {
        self.count().map(Count::get)
    }

    /// The recorded count where it is current: `None` where there is no
    /// record or the record is stale.
    pub fn current(&self) -> Option<Count> {
        self.record.filter(|r| !r.stale).map(|r| r.count)
    }

    /// Whether a record covers the scope.
    pub fn is_recorded(&self) -> bool {
        self.record.is_some()
    }

    /// Whether a figure the total adds is older than the view's maximum
    /// age, or holds only until a day before the date asked about: the total
    /// is then not current, even where other figures it adds are.
    pub fn is_stale(&self) -> bool {
        self.record.is_some_and(|r| r.stale)
    }

    /// The date of the newest observation behind the total, where there is one.
    pub fn newest(&self) -> Option<NaiveDate> {
        self.record.map(|r| r.newest)
    }

    /// Whether the total is stale because a figure it adds holds only until
    /// a day before the date asked about ([`valid_until`](Total::valid_until)).
    pub fn has_ended(&self) -> bool {
        self.record.is_some_and(|r| r.ended)
    }

    /// The oldest of the figures the total adds: the date of the newest
    /// observation of the part (a host, a contributor, a unit, as the scope
    /// is summed) observed longest ago, among the parts that add anything.
    /// A region total whose hosts reported this quarter but one, which last
    /// reported four years ago, is four years old here. Worked out unit by
    /// unit where a figure can be stale — in a view with a maximum age, or a
    /// ledger with figures given an end — and otherwise the newest
    /// observation.
    pub fn oldest_figure(&self) -> Option<NaiveDate> {
        self.record.map(|r| r.oldest)
    }

    /// The first day on which a figure the total adds stops holding, where
    /// its source gave one ([`Event::with_valid_until`](crate::Event::with_valid_until)).
    pub fn valid_until(&self) -> Option<NaiveDate> {
        self.record.and_then(|r| r.until)
    }
}

/// `4,000`; `no record`; `4,000 (stale: a figure of 2018-09-30)`. Width
/// and alignment apply to the whole.
impl fmt::Display for Total {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.record {
            None => f.pad("no record"),
            Some(r) if r.stale => f.pad(&format!("{} (stale: a figure of {})", r.count, r.oldest)),
            Some(r) => f.pad(&r.count.to_string()),
        }
    }
}

/// A total's JSON: `{"count": 4000, "newest": "2022-06-29", "stale": false}`,
/// or `{"count": null, "newest": null, "stale": false}` for no record.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TotalRecord {
    count: Option<Count>,
    newest: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    oldest_figure: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    valid_until: Option<NaiveDate>,
    #[serde(default)]
    stale: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    ended: bool,
}

impl From<Total> for TotalRecord {
    fn from(t: Total) -> Self {
        TotalRecord {
            count: t.count(),
            newest: t.newest(),
            // Written where it says more than `newest`.
            oldest_figure: t.oldest_figure().filter(|&o| Some(o) != t.newest()),
            valid_until: t.valid_until(),
            stale: t.is_stale(),
            ended: t.has_ended(),
        }
    }
}

impl TryFrom<TotalRecord> for Total {
    type Error = &'static str;

    fn try_from(r: TotalRecord) -> Result<Self, Self::Error> {
        match (r.count, r.newest, r.stale) {
            (None, None, false)
                if r.valid_until.is_none() && r.oldest_figure.is_none() && !r.ended =>
            {
                Ok(Total::NO_RECORD)
            }
            (Some(_), Some(newest), _) if r.oldest_figure.is_some_and(|o| o > newest) => {
                Err("a total's oldest figure is no newer than its newest observation")
            }
            (Some(_), Some(_), false) if r.ended => Err("a total whose figure has ended is stale"),
            (Some(count), Some(newest), stale) => Ok(Total {
                record: Some(Observed {
                    count,
                    newest,
                    oldest: r.oldest_figure.unwrap_or(newest),
                    until: r.valid_until,
                    stale,
                    ended: r.ended,
                }),
            }),
            (None, None, _) => Err("a total with no record has no age"),
            _ => Err("a total has both a count and its newest date, or neither"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn no_record_is_not_zero() {
        let zero = Total::recorded(Count::new(0), day("2022-06-29"));
        assert_ne!(Total::NO_RECORD, zero);
        assert_eq!(zero.get(), Some(0));
        assert_eq!(Total::NO_RECORD.get(), None);
        assert_eq!(zero.to_string(), "0");
        assert_eq!(Total::NO_RECORD.to_string(), "no record");
    }

    #[test]
    fn a_figure_older_than_the_maximum_age_is_stale() {
        let t = Total::recorded(Count::new(1_650), day("2022-06-29"));
        assert!(!t.aged(day("2022-07-29"), Some(30)).is_stale());
        let old = t.aged(day("2022-07-30"), Some(30));
        assert!(old.is_stale());
        assert_eq!(
            (old.count(), old.current()),
            (Some(Count::new(1_650)), None)
        );
        assert_eq!(old.to_string(), "1,650 (stale: a figure of 2022-06-29)");
        assert!(!Total::NO_RECORD.aged(day("2030-01-01"), Some(0)).is_stale());
    }

    #[test]
    fn json_says_null_for_no_record_and_refuses_half_a_record() {
        let t = Total::recorded(Count::new(4_000), day("2022-06-29"));
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"count":4000,"newest":"2022-06-29","stale":false}"#
        );
        assert_eq!(serde_json::from_str::<Total>(&json).unwrap(), t);
        let none = serde_json::to_string(&Total::NO_RECORD).unwrap();
        assert_eq!(none, r#"{"count":null,"newest":null,"stale":false}"#);
        assert!(serde_json::from_str::<Total>(r#"{"count":5,"newest":null}"#).is_err());
        assert!(
            serde_json::from_str::<Total>(r#"{"count":null,"newest":null,"stale":true}"#).is_err()
        );
    }
}
