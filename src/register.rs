//! Registers: the events that make up a total, like an account's register.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::event::{EventId, Source};
use crate::metric::{group_thousands, signed_thousands, Metric};
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
/// The changes add up to the total. `Display` prints an aligned register a
/// person can cite line by line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    /// What the entries are: a total's events, or changes announced.
    pub listing: Listing,
    /// What is counted.
    pub metric: Metric,
    /// The scope, described.
    pub scope: String,
    /// The date of the total.
    pub date: NaiveDate,
    /// The date of knowledge, if the register is as known on a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_at: Option<NaiveDate>,
    /// The events, in order.
    pub entries: Vec<Entry>,
}

impl Register {
    /// The sum of the entries' changes: the total, or the change announced.
    pub fn total(&self) -> i128 {
        self.entries.iter().map(|e| e.change).sum()
    }
}

impl fmt::Display for Register {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known = self
            .known_at
            .map_or(String::new(), |k| format!(", as known on {k}"));
        match self.listing {
            Listing::Total => writeln!(
                f,
                "{} {} at the end of {}{known}: {}",
                self.scope,
                self.metric,
                self.date,
                group_thousands(self.total())
            )?,
            Listing::Announced => writeln!(
                f,
                "{} {}: changes announced by {} and not yet effective{known}: {}",
                self.scope,
                self.metric,
                self.date,
                signed_thousands(self.total())
            )?,
        }
        let rows: Vec<[String; 6]> = self
            .entries
            .iter()
            .map(|e| {
                let source = e.source.as_ref().map_or(String::new(), |s| {
                    let mut out = s.document.clone();
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
                    signed_thousands(e.change),
                    group_thousands(e.balance),
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
