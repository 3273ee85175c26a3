//! The rows of a table: groups of a scope, each a scope of its own, and the
//! metrics to show.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use clap::ValueEnum;
use posture_ledger::{
    Caveat, Contributor, Country, EventKind, Footing, Ledger, Location, Metric, Scope, UnitKind,
    View,
};
use serde::Serialize;

use crate::Failure;

/// How to split a scope into rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// A row per host country where something is deployed, then per region.
    Host,
    /// A row per contributing country, then per alliance (with its members).
    Contributor,
    /// A row per footing: permanent, rotational, high readiness…
    Footing,
    /// A row per unit kind: headquarters, battlegroup, ship…
    Kind,
}

impl By {
    fn name(self) -> &'static str {
        match self {
            By::Host => "host",
            By::Contributor => "contributor",
            By::Footing => "footing",
            By::Kind => "kind",
        }
    }

    /// Whether rows of this grouping can overlap.
    pub fn overlaps(self) -> bool {
        matches!(self, By::Host | By::Contributor)
    }
}

/// The note under a table of `rows` grouped `by`, when its rows can overlap:
/// `last` says what its last rows are ("the last row is").
pub fn overlap_note(by: Option<By>, rows: usize, last: &str) -> Option<String> {
    (by.is_some_and(By::overlaps) && rows > 1).then(|| {
        format!(
            "\nRows overlap where their scopes do (a region holds its countries, an alliance\n\
             its members' units); {last} the whole scope, not their sum.\n"
        )
    })
}

/// The caveats that a group's figures may count forces twice (an alliance's
/// own unit in a host beside its members' national units there), in every
/// metric with a record.
pub fn counted_twice(
    view: &View<'_>,
    scope: &Scope,
    metrics: &[Metric],
    at: NaiveDate,
) -> Result<Vec<Caveat>, Failure> {
    let mut out = Vec::new();
    for metric in metrics {
        if view.total(scope, metric, at)?.is_recorded() {
            out.extend(
                view.caveats(scope, metric, at)?
                    .into_iter()
                    .filter(|c| matches!(c, Caveat::Overlap { .. })),
            );
        }
    }
    Ok(out)
}

/// The notes under a table on the rows whose figures may count forces
/// twice, one line each: nothing when none may.
pub fn counted_twice_notes<'g>(
    rows: impl IntoIterator<Item = (&'g Group, &'g Vec<Caveat>)>,
) -> String {
    let mut out = String::new();
    for (_, caveats) in rows {
        for c in caveats {
            if out.is_empty() {
                out.push_str("\nMay count twice:\n");
            }
            // Each caveat names its row's scope.
            out.push_str(&format!("  {c}\n"));
        }
    }
    out
}

/// One row's scope: a group within the scope asked for, or the whole of it.
#[derive(Debug, Clone)]
pub struct Group {
    /// The group's value (`EST`, `rotational`), or `None` for the whole scope.
    pub key: Option<String>,
    /// The `--scope` text that gives this row's scope.
    pub query: String,
    /// The scope itself.
    pub scope: Scope,
}

/// The whole scope asked for, as a row.
pub fn whole(text: Option<&str>, scope: &Scope) -> Group {
    let query = text.map(str::trim).unwrap_or_default();
    Group {
        key: None,
        query: if query.is_empty() { "all" } else { query }.to_string(),
        scope: scope.clone(),
    }
}

/// The groups of `by` within `scope` (written `text` on the command line),
/// before any is found empty: each is the scope with one more term, so its
/// `query` reproduces it with `--scope`.
pub fn split(
    ledger: &Ledger,
    text: Option<&str>,
    scope: &Scope,
    by: By,
) -> Result<Vec<Group>, Failure> {
    // Terms on a dimension the scope already filters would widen it (values on
    // one dimension are alternatives), not split it.
    let taken = match by {
        By::Host => scope.hosts().is_some() || scope.bases().is_some(),
        By::Contributor => scope.contributors().is_some(),
        By::Footing => scope.footings().is_some(),
        By::Kind => scope.kinds().is_some(),
    };
    if taken {
        return Err(Failure::new(format!(
            "--by {0} cannot split a scope that already filters by {0}: leave out --by, or that part of --scope",
            by.name()
        )));
    }
    let keys = match by {
        By::Host => hosts(ledger),
        By::Contributor => contributors(ledger),
        By::Footing => Footing::ALL.iter().map(ToString::to_string).collect(),
        By::Kind => UnitKind::ALL.iter().map(ToString::to_string).collect(),
    };
    let prefix = match by {
        By::Host => "in",
        By::Contributor => "from",
        By::Footing => "footing",
        By::Kind => "kind",
    };
    let base = text.map(str::trim).unwrap_or_default();
    keys.into_iter()
        .map(|key| {
            let query = format!("{base} {prefix}:{key}").trim().to_string();
            let scope = Scope::parse(&query, ledger).map_err(|e| Failure::new(e.to_string()))?;
            Ok(Group {
                key: Some(key),
                query,
                scope,
            })
        })
        .collect()
}

/// Every country where an event puts a unit (directly or at a base), in code
/// order, then every region of the ledger, in the scenario's order.
fn hosts(ledger: &Ledger) -> Vec<String> {
    let mut countries: BTreeSet<Country> = BTreeSet::new();
    for event in ledger.events() {
        let kind = event.kind();
        let location = match &kind {
            EventKind::Deploy { location, .. } => location,
            EventKind::Relocate { to } => to,
            _ => continue,
        };
        match location {
            Location::Country(c) => {
                countries.insert(*c);
            }
            Location::Base(b) => {
                if let Some(base) = ledger.base(b) {
                    countries.insert(base.host());
                }
            }
            Location::Region(_) => {}
        }
    }
    countries
        .iter()
        .map(ToString::to_string)
        .chain(ledger.regions().iter().map(|r| r.id().to_string()))
        .collect()
}

/// Every contributing country, in code order, then every alliance.
fn contributors(ledger: &Ledger) -> Vec<String> {
    let mut countries = BTreeSet::new();
    let mut alliances = BTreeSet::new();
    for unit in ledger.units() {
        match unit.contributor() {
            Contributor::Country(c) => {
                countries.insert(c.to_string());
            }
            Contributor::Alliance(a) => {
                alliances.insert(a.to_string());
            }
        }
    }
    for alliance in ledger.alliances() {
        alliances.insert(alliance.id().to_string());
    }
    countries.into_iter().chain(alliances).collect()
}

/// The metrics to show: `chosen`, which some unit must be counted in, or
/// every metric of the scenario's units in the order they first appear.
pub fn metrics(ledger: &Ledger, chosen: Option<&Metric>) -> Result<Vec<Metric>, Failure> {
    let mut all: Vec<Metric> = Vec::new();
    for unit in ledger.units() {
        for m in unit.metrics() {
            if !all.contains(m) {
                all.push(m.clone());
            }
        }
    }
    match chosen {
        None => Ok(all),
        Some(m) if all.contains(m) => Ok(vec![m.clone()]),
        Some(m) => {
            let names: Vec<String> = all.iter().map(ToString::to_string).collect();
            Err(Failure::new(format!(
                "no unit is counted in `{m}`: the scenario counts {}",
                if names.is_empty() {
                    "nothing".to_string()
                } else {
                    names.join(", ")
                }
            )))
        }
    }
}
