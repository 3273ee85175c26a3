//! Registers: the events that make up a total, like an account's register.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::event::{EventId, Source};
use crate::metric::Metric;
use crate::number::{signed_whole, whole};
use crate::unit::UnitId;

/// One line of a register: an event and what it changed in the total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The event.
    pub event: EventId,
    /// Its unit.
    pub unit: UnitId,
    /// Its kind, as written in files (`deploy`, `set_level`…).
    pub kind: String,
    /// When it took effect.
    pub effective: NaiveDate,
    /// When it was announced, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<NaiveDate>,
    /// When the ledger learned of it, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known: Option<NaiveDate>,
    /// Where it comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// When the event is a correction of another, the event corrected and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<(EventId, String)>,
    /// What it added to (or took from) the total.
    pub change: i128,
    /// The total after it.
    pub balance: i128,
}

/// What a register lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Listing {
    /// The events that make up the total on the date.
    Total,
    /// The changes announced by the date and not yet effective on it.
    Announced,
}

/// The events that make up a total, in the order they apply, with the running
/// balance: why the ledger says what it says.
///
/// The changes add up to the total, and each entry's balance is the sum of
/// the changes up to it: the ledger builds registers so, and reading one
/// (from JSON, say) refuses one that does not hold. `Display` prints an
/// aligned register a person can cite line by line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Parts")]
pub struct Register {
    listing: Listing,
    metric: Metric,
    scope: String,
    date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    known_at: Option<NaiveDate>,
    entries: Vec<Entry>,
}

/// A register as read, before its balances are checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Parts {
    listing: Listing,
    metric: Metric,
    scope: String,
    date: NaiveDate,
    #[serde(default)]
    known_at: Option<NaiveDate>,
    entries: Vec<Entry>,
}

impl TryFrom<Parts> for Register {
    type Error = String;

    fn try_from(p: Parts) -> Result<Self, String> {
        let mut balance: i128 = 0;
        for (i, e) in p.entries.iter().enumerate() {
            balance = balance.checked_add(e.change).ok_or_else(|| {
                format!(
                    "entry {} (event `{}`): the balance overflows",
                    i + 1,
                    e.event
                )
            })?;
            if e.balance != balance {
                return Err(format!(
                    "entry {} (event `{}`): balance {} is not the sum of the changes up to it, {}",
                    i + 1,
                    e.event,
                    e.balance,
                    balance
                ));
            }
        }
        Ok(Register {
            listing: p.listing,
            metric: p.metric,
            scope: p.scope,
            date: p.date,
            known_at: p.known_at,
            entries: p.entries,
        })
    }
}

impl Register {
    /// A register of `entries`, whose balances the ledger has run.
    pub(crate) fn new(
        listing: Listing,
        metric: Metric,
        scope: String,
        date: NaiveDate,
        known_at: Option<NaiveDate>,
        entries: Vec<Entry>,
    ) -> Self {
        Register {
            listing,
            metric,
            scope,
            date,
            known_at,
            entries,
        }
    }

    /// What the entries are: a total's events, or changes announced.
    pub fn listing(&self) -> Listing {
        self.listing
    }

    /// What is counted.
    pub fn metric(&self) -> &Metric {
        &self.metric
    }

    /// The scope, described.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// The date of the total.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The date of knowledge, if the register is as known on a date.
    pub fn known_at(&self) -> Option<NaiveDate> {
        self.known_at
    }

    /// The events, in the order they apply.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The events, in the order they apply, taken out of the register.
    pub fn into_entries(self) -> Vec<Entry> {
        self.entries
    }

    /// The sum of the entries' changes: the total, or the change announced.
    /// A register with no entries has no record: its total is 0 only as a
    /// sum of nothing; see [`is_recorded`](Register::is_recorded).
    pub fn total(&self) -> i128 {
        self.entries.iter().map(|e| e.change).sum()
    }

    /// Whether any event records the scope: every event that observes it is
    /// an entry, even one that changes nothing, so a register of no entries
    /// stands for no record, not for 0.
    pub fn is_recorded(&self) -> bool {
        !self.entries.is_empty()
    }
}

impl Register {
    /// The register written as [`Display`](fmt::Display) writes it, with
    /// `scope` in place of the scope's ids: its [`named`](crate::Scope::named)
    /// form, as tables and findings print a scope.
    ///
    /// ```
    /// use posture_ledger::{scenario, Metric, Scope};
    ///
    /// let madrid = scenario::madrid_2022()?;
    /// let ledger = madrid.ledger();
    /// let tripwire = Scope::parse("from:NATO in:baltic-states", ledger)?;
    /// let why = ledger.view().explain(&tripwire, &Metric::PERSONNEL, "2022-06-29".parse()?)?;
    /// let text = why.with_scope(&tripwire.named(ledger)).to_string();
    /// assert!(text.starts_with("NATO in the Baltic states personnel at the end of 2022-06-29"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_scope<'a>(&'a self, scope: &'a dyn fmt::Display) -> impl fmt::Display + 'a {
        struct Titled<'a>(&'a Register, &'a dyn fmt::Display);
        impl fmt::Display for Titled<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write(f, self.1)
            }
        }
        Titled(self, scope)
    }
}

impl fmt::Display for Register {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, &self.scope)
    }
}

impl Register {
    fn write(&self, f: &mut fmt::Formatter<'_>, scope: &dyn fmt::Display) -> fmt::Result {
        let known = self
            .known_at
            .map_or(String::new(), |k| format!(", as known on {k}"));
        match self.listing {
            Listing::Total if !self.is_recorded() => writeln!(
                f,
                "{scope} {} at the end of {}{known}: no record",
                self.metric, self.date,
            )?,
            Listing::Total => writeln!(
                f,
                "{scope} {} at the end of {}{known}: {}",
                self.metric,
                self.date,
                whole(self.total())
            )?,
            Listing::Announced => writeln!(
                f,
                "{scope} {}: changes announced by {} and not yet effective{known}: {}",
                self.metric,
                self.date,
                signed_whole(self.total())
            )?,
        }
        let rows: Vec<[String; 6]> = self
            .entries
            .iter()
            .map(|e| {
                let source = e.source.as_ref().map_or(String::new(), |s| {
                    let mut out = s.document.to_string();
                    if let Some(line) = s.line {
                        out.push_str(&format!(" line {line}"));
                    }
                    out
                });
                let source = match &e.corrects {
                    Some((id, why)) => format!("{source} (corrects {id}: {why})"),
                    None => source,
                };
                [
                    e.effective.to_string(),
                    e.event.to_string(),
                    e.kind.clone(),
                    signed_whole(e.change),
                    whole(e.balance),
                    source,
                ]
            })
            .collect();
        let mut widths = [0; 6];
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for row in &rows {
            let pad = |i: usize| " ".repeat(widths[i] - row[i].chars().count());
            let line = format!(
                "  {}{}  {}{}  {}{}  {}{}  {}{}  {}",
                row[0],
                pad(0),
                row[1],
                pad(1),
                row[2],
                pad(2),
                pad(3),
                row[3],
                pad(4),
                row[4],
                row[5]
            );
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(event: &str, change: i128, balance: i128) -> Entry {
        Entry {
            event: EventId::new(event).unwrap(),
            unit: UnitId::new("u").unwrap(),
            kind: "reinforce".into(),
            effective: "2022-03-01".parse().unwrap(),
            announced: None,
            known: None,
            source: None,
            corrects: None,
            change,
            balance,
        }
    }

    fn register(entries: Vec<Entry>) -> Register {
        Register::new(
            Listing::Total,
            Metric::PERSONNEL,
            "everything".into(),
            "2022-06-29".parse().unwrap(),
            None,
            entries,
        )
    }

    #[test]
    fn a_register_whose_balance_disagrees_with_its_entries_does_not_deserialize() {
        let good = register(vec![entry("a", 900, 900), entry("b", 700, 1_600)]);
        let json = serde_json::to_string(&good).unwrap();
        assert_eq!(serde_json::from_str::<Register>(&json).unwrap(), good);
        let bad = json.replace("1600", "1800");
        let err = serde_json::from_str::<Register>(&bad)
            .unwrap_err()
            .to_string();
        assert!(err.contains("entry 2 (event `b`): balance 1800"), "{err}");
        let extra = json.replacen("{", "{\"total\":5,", 1);
        assert!(serde_json::from_str::<Register>(&extra).is_err());
    }
}
