//! Coverage caveats: what a finding's ledger figure may leave out, or take in
//! beyond the claim's scope, said beside its verdict.
//!
//! A claim about "American service members in Europe" counts every footing;
//! a ledger that records only permanently assigned personnel there gives a
//! figure that may be short of it for want of records, not of troops. The
//! caveats are worked out from the ledger's records in the claim's scope on
//! the claim's date (which footings and unit kinds hold anything there), and
//! from what the sources behind the figure say it may include.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Checker;
use crate::deployment::Footing;
use crate::error::Result;
use crate::metric::{Count, Metric};
use crate::scope::Scope;
use crate::unit::UnitKind;
use crate::view::View;

/// What a finding's ledger figure may not cover, beside its verdict: the
/// ledger records only part of what the claim's scope takes in, or a source
/// behind the figure says it may include more than it names.
///
/// `Display` writes the caveat as a sentence; serde writes it as data, tagged
/// by `kind` (`footings`, `kinds`, `may_include`).
///
/// # Example
///
/// ```
/// use posture_ledger::{scenario, Caveat, ClaimId};
///
/// let madrid = scenario::madrid_2022()?;
/// let report = madrid.ledger().check(madrid.claims())?;
/// let c2 = ClaimId::new("C2")?;
/// let caveats: Vec<&Caveat> = report.about(&c2).flat_map(|f| &f.caveats).collect();
/// assert!(caveats.iter().any(|c| matches!(c, Caveat::MayInclude { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Caveat {
    /// The claim counts forces on footings of which the ledger records none
    /// in its scope on the date, though it records them elsewhere, in units
    /// of the kinds the claim counts: "the ledger records only permanent
    /// footing for USA in europe personnel".
    ///
    /// A claim with no footing filter is taken to count the forces in place,
    /// permanent and rotational; one with a filter, the footings it names.
    Footings {
        /// The claim's scope.
        scope: Scope,
        /// What is counted.
        metric: Metric,
        /// The footings the ledger records in the scope on the date.
        recorded: BTreeSet<Footing>,
        /// The footings the claim counts that the ledger records elsewhere
        /// on the date but not in the scope.
        missing: BTreeSet<Footing>,
    },
    /// The claim counts units of kinds of which the ledger records none in
    /// its scope on the date, though it counts the metric in such units
    /// elsewhere, on the footings the claim counts. Never said where a national contingent, which stands for
    /// a contributor's whole presence, is among the records.
    Kinds {
        /// The claim's scope.
        scope: Scope,
        /// What is counted.
        metric: Metric,
        /// The unit kinds the ledger records in the scope on the date.
        recorded: BTreeSet<UnitKind>,
        /// The kinds the claim counts that the ledger records elsewhere on
        /// the date but not in the scope.
        missing: BTreeSet<UnitKind>,
    },
    /// A source of a figure the ledger counts in the scope says its figures
    /// may include more than they name (its [`Source::may_include`](crate::Source::may_include)).
    MayInclude {
        /// The source's document.
        document: String,
        /// What it says its figures may include, in its words.
        what: String,
    },
}

impl fmt::Display for Caveat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Caveat::Footings {
                scope,
                metric,
                recorded,
                missing,
            } => write!(
                f,
                "the ledger records only {} footing for {}; a claim that counts {} forces too may count more",
                joined(recorded),
                where_(scope, metric),
                joined(missing)
            ),
            Caveat::Kinds {
                scope,
                metric,
                recorded,
                missing,
            } => write!(
                f,
                "the ledger records only {} units for {}; a claim that counts {} units too may count more",
                joined(recorded),
                where_(scope, metric),
                joined(missing)
            ),
            Caveat::MayInclude { document, what } => {
                write!(f, "{document}'s figures may include {what}")
            }
        }
    }
}

/// `USA in europe personnel`; `personnel` for the scope of everything.
fn where_(scope: &Scope, metric: &Metric) -> String {
    let scope = scope.to_string();
    if scope.is_empty() {
        metric.to_string()
    } else {
        format!("{scope} {metric}")
    }
}

/// `permanent`, `permanent and rotational`, `land, ship and other`.
fn joined<T: fmt::Display>(set: &BTreeSet<T>) -> String {
    let names: Vec<String> = set.iter().map(ToString::to_string).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The forces in place, which a claim with no footing filter counts.
const IN_PLACE: [Footing; 2] = [Footing::Permanent, Footing::Rotational];

impl Checker<'_> {
    /// The caveats of a finding that reads the ledger's figure for `scope`
    /// and `metric` on `date` in `view`, in a fixed order: footings, kinds,
    /// then the sources' words, by document.
    pub(super) fn caveats(
        &self,
        view: View<'_>,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
    ) -> Result<Vec<Caveat>> {
        let mut out = Vec::new();
        if !self.counts(metric) {
            return Ok(out);
        }
        let has = |s: &Scope| -> Result<bool> { Ok(view.total(s, metric, date)? > Count::ZERO) };
        // Elsewhere is like with like: the units of the claim's kinds when
        // asking after footings, on its footings when asking after kinds.
        let (mut of_kinds, mut on_footings) = (Scope::all(), Scope::all());
        for &kind in scope.kinds().into_iter().flatten() {
            of_kinds = of_kinds.of_kind(kind);
        }
        for &footing in scope.footings().into_iter().flatten() {
            on_footings = on_footings.on_footing(footing);
        }

        // Footings: those the claim counts, of which the ledger holds
        // anything anywhere on the date, against those in the scope.
        let counted: Vec<Footing> = match scope.footings() {
            Some(f) => f.iter().copied().collect(),
            None => IN_PLACE.to_vec(),
        };
        let (mut recorded, mut missing) = (BTreeSet::new(), BTreeSet::new());
        for &footing in &counted {
            if has(&scope.only_footing(footing))? {
                recorded.insert(footing);
            } else if has(&of_kinds.only_footing(footing))? {
                missing.insert(footing);
            }
        }
        if !recorded.is_empty() && !missing.is_empty() {
            out.push(Caveat::Footings {
                scope: scope.clone(),
                metric: metric.clone(),
                recorded,
                missing,
            });
        }

        // Kinds, likewise; a contingent stands for a whole presence.
        let counted: Vec<UnitKind> = match scope.kinds() {
            Some(k) => k.iter().copied().collect(),
            None => UnitKind::ALL.to_vec(),
        };
        let (mut recorded, mut missing) = (BTreeSet::new(), BTreeSet::new());
        for &kind in &counted {
            if has(&scope.only_kind(kind))? {
                recorded.insert(kind);
            } else if has(&on_footings.only_kind(kind))? {
                missing.insert(kind);
            }
        }
        if !recorded.is_empty() && !missing.is_empty() && !recorded.contains(&UnitKind::Contingent)
        {
            out.push(Caveat::Kinds {
                scope: scope.clone(),
                metric: metric.clone(),
                recorded,
                missing,
            });
        }

        // What the sources behind the figure say it may include: the events
        // with such words, in this view by the date, whose units count in
        // the scope then.
        let layer = view.layer_index().and_then(|i| self.ledger.layer_id(i));
        let mut said = BTreeSet::new();
        for event in self.ledger.events() {
            let Some((document, what)) = event.source().and_then(|s| {
                let what = s.may_include.as_deref()?.trim();
                (!what.is_empty()).then_some((&s.document, what))
            }) else {
                continue;
            };
            let visible = event.layer().is_none() || event.layer() == layer;
            if !visible || event.effective() > date || said.contains(&(document, what)) {
                continue;
            }
            if has(&scope.clone().unit(event.unit().clone()))? {
                said.insert((document, what));
            }
        }
        out.extend(said.into_iter().map(|(document, what)| Caveat::MayInclude {
            document: document.clone(),
            what: what.to_string(),
        }));
        Ok(out)
    }
}
