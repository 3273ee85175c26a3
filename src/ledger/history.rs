//! What was known when, and why a total is what it is: corrections, and the
//! registers that explain totals and list announced changes.

use chrono::NaiveDate;

use super::query::Filter;
use super::replay::Replay;
use super::{end_of, index, EventRef, Ledger, Lens};
use crate::correction::{Amendment, Correction};
use crate::error::{Error, Problem, RecordKind, Result};
use crate::event::{Event, EventId};
use crate::index::Contribution;
use crate::metric::Metric;
use crate::register::{Entry, Listing, Register};
use crate::scope::Scope;

impl Ledger {
    /// Appends a correction of a recorded event: from the day it was recorded
    /// on, the event counts as corrected (replaced, or not at all); queries as
    /// known before that day still see it as first recorded. Nothing is deleted.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] naming the correction: a duplicate id, an
    /// unknown event or one already corrected (field `corrects`), a date
    /// recorded before the ledger knew of the event (field `recorded`), a
    /// replacement the event's unit cannot take, or a change that would make a
    /// strength negative or break a later event. The ledger is then unchanged.
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::*;
    ///
    /// let mut ledger = scenario::madrid_2022()?.into_ledger();
    /// let uk = Scope::all().from_country(Country::new("GBR")?).in_country(Country::new("EST")?);
    /// let summit = "2022-06-29".parse()?;
    /// ledger.correct(Correction::new(
    ///     EventId::new("gbr-est-fix")?,
    ///     EventId::new("gbr-est-now")?,
    ///     "2022-07-15".parse()?,
    ///     "the Ministry of Defence gives 1,700",
    ///     Amendment::Replace {
    ///         effective: summit,
    ///         kind: EventKind::Deploy {
    ///             location: Location::Country(Country::new("EST")?),
    ///             footing: Footing::Rotational,
    ///             strength: vec![Quantity::new(Metric::PERSONNEL, Count::new(1_700))],
    ///         },
    ///     },
    /// ))?;
    /// assert_eq!(ledger.total(&uk, &Metric::PERSONNEL, summit)?.get(), Some(1_700));
    /// let then = ledger.view().known_at("2022-07-01".parse()?);
    /// assert_eq!(then.total(&uk, &Metric::PERSONNEL, summit)?.get(), Some(1_650));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn correct(&mut self, correction: Correction) -> Result<()> {
        let id = correction.id().clone();
        let refuse = |field, problem| Error::event(&id, field, problem);
        if self.log.find(&id).is_some() {
            return Err(refuse("id", Problem::Duplicate));
        }
        let target = self.log.find(correction.corrects()).ok_or_else(|| {
            refuse(
                "corrects",
                Problem::UnknownReference {
                    kind: RecordKind::Event,
                    id: correction.corrects().to_string(),
                },
            )
        })?;
        if let Some(by) = self.log.corrected(target) {
            let by = by.correction.id().clone();
            return Err(refuse("corrects", Problem::AlreadyCorrected { by }));
        }
        let old = self.log.at(target);
        if let Some(known) = old.known().filter(|&k| correction.recorded() < k) {
            return Err(refuse(
                "recorded",
                Problem::CorrectedBeforeKnown {
                    recorded: correction.recorded(),
                    known,
                },
            ));
        }
        let old_key = self.log.key_of(target);
        let replacement = match correction.amendment() {
            Amendment::Retract => None,
            Amendment::Replace { effective, kind } => {
                let mut event =
                    Event::new(id.clone(), old.unit().clone(), *effective, kind.clone())
                        .with_recorded(correction.recorded());
                if let Some(announced) = old.announced() {
                    event = event.with_announced(announced);
                }
                if let Some(layer) = old.layer() {
                    event = event.in_layer(layer.clone());
                }
                if let Some(source) = correction.source() {
                    event = event.with_source(source.clone());
                }
                Some(event)
            }
        };
        // A replacement on the same day keeps the event's place in the day;
        // one on another day goes after that day's events.
        let same_day = replacement
            .as_ref()
            .is_some_and(|r| r.effective() == old.effective());
        let batch: Vec<Event> = replacement.into_iter().collect();
        let planned = if same_day {
            let (unit, _) = self.check_event(EventRef::of(&batch[0]))?;
            self.plan_units(&batch, Vec::new(), &[], Some(old_key))
                .map(|plan| plan.owned_by(vec![unit]))
        } else {
            self.plan(&batch, &[old_key])
        };
        // A refusal of the replacement names the correction already; a later
        // event the change would break is named in the problem.
        let plan = planned.map_err(|e| match e {
            Error::InvalidRecord {
                id: broken,
                problem,
                ..
            } if broken != id.as_str() => {
                let problem = match problem {
                    p @ Problem::Invalidates { .. } => p,
                    other => Problem::Invalidates {
                        event: EventId::new(&broken).unwrap_or_else(|_| id.clone()),
                        problem: Box::new(other),
                    },
                };
                refuse("corrects", problem)
            }
            other => other,
        })?;
        let seq = self.log.len() as u32;
        let replacement = (!batch.is_empty()).then_some(seq);
        self.commit(batch, plan);
        self.log
            .correct(correction, target, replacement, same_day.then_some(old_key));
        Ok(())
    }

    /// Every correction, in the order recorded.
    pub fn corrections(&self) -> impl Iterator<Item = &Correction> {
        self.log.corrections()
    }

    /// The correction that replaced or retracted `event`, if any.
    pub fn correction_of(&self, event: &EventId) -> Option<&Correction> {
        let seq = self.log.find(event)?;
        self.log.corrected(seq).map(|c| &c.correction)
    }

    /// Whether `event` was put in place of another by a correction.
    pub fn is_replacement(&self, event: &EventId) -> bool {
        self.log
            .find(event)
            .is_some_and(|seq| self.log.replaced(seq).is_some())
    }

    /// Every change to units in `scope` and `metric`, as (event, change) pairs in
    /// log order, replayed through `lens`: the changes effective by `date`, or
    /// those announced by `date` and not yet effective.
    fn changes(
        &self,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
        lens: Lens,
        listing: Listing,
    ) -> Result<Vec<(u32, i128)>> {
        let pending = listing == Listing::Announced;
        let m = *self
            .metric_ix
            .get(metric)
            .ok_or_else(|| Error::unknown(RecordKind::Metric, metric))?;
        let filter: Filter<'_> = self.filter(scope, date)?;
        let replay = Replay::recorded(self, lens.known_at);
        let upto = if pending { u64::MAX } else { end_of(date) };
        let mut out: Vec<Contribution> = Vec::new();
        let all: Vec<u32>;
        let units: &[u32] = match &filter.units {
            Some(units) => {
                all = units.iter().copied().collect();
                &all
            }
            None => {
                all = (0..self.units.len() as u32).collect();
                &all
            }
        };
        // A unit's changes all carry its own contributor and kind: a unit the
        // scope excludes by either need not be replayed.
        let admits = |u: u32| {
            let record = &self.units[u as usize];
            filter.kinds.is_none_or(|k| k.contains(&record.unit.kind()))
                && filter
                    .contributors
                    .as_ref()
                    .is_none_or(|(countries, alliances)| match record.contributor {
                        crate::index::Contrib::Country(c) => countries.binary_search(&c).is_ok(),
                        crate::index::Contrib::Alliance(a) => alliances.contains(&a),
                    })
        };
        for &u in units.iter().filter(|&&u| admits(u)) {
            let timeline = replay.timeline(u, lens.layer);
            replay
                .run(
                    (u, lens.layer),
                    &timeline,
                    0,
                    super::State::default(),
                    upto,
                    Some(&mut out),
                )
                .map_err(|f| super::internal(&f.problem))?;
        }
        let mut keyed: Vec<(u64, i128)> = out
            .iter()
            .filter(|c| c.cell.metric == m && filter.matches(self, &c.cell, date))
            .filter(|c| {
                let event = replay.event(c.key);
                !pending
                    || (event.effective() > date && event.announced().is_some_and(|a| a <= date))
            })
            .map(|c| (c.key, c.delta.get()))
            .collect();
        // Log order; one line per event, its changes to several cells
        // netted. An event that observes the scope and changes nothing (a
        // level that repeats the last, a withdrawal of none) is a line too:
        // it is a record, and the newest behind the total.
        keyed.sort_unstable_by_key(|&(k, _)| k);
        let mut changes: Vec<(u32, i128)> = Vec::with_capacity(keyed.len());
        for same in keyed.chunk_by(|a, b| a.0 == b.0) {
            let delta: i128 = same.iter().map(|&(_, d)| d).sum();
            let shown = self.log.version(index::seq(same[0].0), lens.known_at);
            changes.push((shown, delta));
        }
        Ok(changes)
    }

    /// The register of `changes`: one entry per event, with the running balance.
    fn register(
        &self,
        listing: Listing,
        changes: Vec<(u32, i128)>,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
        lens: Lens,
    ) -> Register {
        let mut balance = 0;
        let entries = changes
            .into_iter()
            .map(|(seq, change)| {
                let e = self.log.at(seq);
                balance += change;
                let corrects = self.log.replaced(seq).and_then(|c| {
                    let target = self.log.get(c.target)?;
                    Some((target.id(), c.correction.reason().to_string()))
                });
                Entry {
                    event: e.id(),
                    unit: e.unit().clone(),
                    kind: e.kind_name().to_string(),
                    effective: e.effective(),
                    announced: e.announced(),
                    known: e.known(),
                    source: e.source().cloned(),
                    corrects,
                    change,
                    balance,
                }
            })
            .collect();
        Register::new(
            listing,
            metric.clone(),
            scope.to_string(),
            date,
            lens.known_at,
            entries,
        )
    }

    /// The register of what `listing` asks for: the events behind the total
    /// on `date`, or the changes announced by then and not yet effective.
    pub(crate) fn register_at(
        &self,
        listing: Listing,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
        lens: Lens,
    ) -> Result<Register> {
        let changes = self.changes(scope, metric, date, lens, listing)?;
        // One rule with `total`: a figure the register would print must fit
        // a count, its balance (the total) and what was announced alike.
        let sum: i128 = changes.iter().map(|&(_, change)| change).sum();
        if u64::try_from(sum.unsigned_abs()).is_err() {
            return Err(Error::TotalOverflow {
                metric: metric.clone(),
            });
        }
        Ok(self.register(listing, changes, scope, metric, date, lens))
    }
}
