//! An independent model of what events do, and the property that the ledger
//! agrees with it.
//!
//! The model reads the event kinds' documentation, not the ledger's code: it
//! keeps the log as plain records, orders a unit's records by effective date
//! and then by the order they were recorded in (a correction that keeps its
//! event's date keeps its place; one that moves it goes after that day's
//! records), replays each unit from the start of its history for every
//! question, working out subunits by replaying them too, and matches scopes
//! with the hand-written oracles of `invariants.rs`. It shares nothing with
//! the ledger's replay, index or registers: it is slow, small, and obviously
//! what the docs say. Over generated histories with corrections (retractions,
//! replacements on the same day and on other days, chains of them), what-if
//! layers and dates of knowledge, the ledger's totals, deployments and
//! explanations must equal the model's.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use posture_ledger::{
    Amendment, Correction, Count, Deployment, Event, EventId, EventKind, Footing, LayerId, Ledger,
    Location, Metric, Quantity, Unit, UnitId, View,
};
use proptest::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::invariants::{
    build, config, correction, day, pledged, probes, stream, views, with_knowledge, Probe, METRICS,
    PROBE_DAYS,
};

// ----- The model -------------------------------------------------------------------

/// One record of the log: an event as recorded, or a replacement a
/// correction put in its place.
#[derive(Clone, Debug)]
struct Record {
    id: EventId,
    unit: UnitId,
    layer: Option<LayerId>,
    kind: EventKind,
    /// Where it stands in its unit's history: its effective date, then the
    /// order of recording.
    place: (NaiveDate, usize),
    /// From when the ledger knew of it; `None` for always.
    known_from: Option<NaiveDate>,
    /// From when a correction superseded it, if one did.
    superseded_from: Option<NaiveDate>,
}

impl Record {
    /// Whether it counts as known on `at` (`None`: now).
    fn counts(&self, at: Option<NaiveDate>) -> bool {
        match at {
            None => self.superseded_from.is_none(),
            Some(at) => {
                self.known_from.is_none_or(|k| k <= at)
                    && self.superseded_from.is_none_or(|s| s > at)
            }
        }
    }
}

/// What a unit is at one point of its history.
#[derive(Clone, Debug, Default, PartialEq)]
struct UnitState {
    /// Where and on what footing, when deployed.
    placed: Option<(Location, Footing)>,
    /// Its own strength, subunits excluded; absent metrics are zero.
    own: BTreeMap<Metric, u64>,
}

impl UnitState {
    fn own(&self, m: &Metric) -> u64 {
        self.own.get(m).copied().unwrap_or(0)
    }
}

/// A record applied, with the unit's state before and after it.
type Step<'m> = (&'m Record, UnitState, UnitState);

/// A unit at the end of a day, and the steps that brought it there.
type Replayed<'m> = (&'m Unit, UnitState, Vec<Step<'m>>);

/// A deployment as compared: where, on what footing, and its strengths other
/// than zero, sorted.
type Compared = (Location, Footing, Vec<(Metric, u64)>);

/// A question's view: a layer or the baseline, now or as known on a date.
#[derive(Clone, Copy, Debug)]
struct Lens<'a> {
    layer: Option<&'a LayerId>,
    known_at: Option<NaiveDate>,
}

struct Model {
    /// The units, and each unit's subunits.
    units: Vec<Unit>,
    children: BTreeMap<UnitId, Vec<UnitId>>,
    records: Vec<Record>,
    /// How many records have been given a place in recording order.
    recorded: usize,
}

/// The model's answer could not be worked out: the ledger accepted a history
/// the model finds invalid.
#[derive(Debug)]
struct Invalid(String);

impl Model {
    fn new(world: &Ledger) -> Self {
        let units: Vec<Unit> = world.units().cloned().collect();
        let mut children: BTreeMap<UnitId, Vec<UnitId>> = BTreeMap::new();
        for u in &units {
            if let Some(p) = u.parent() {
                children.entry(p.clone()).or_default().push(u.id().clone());
            }
        }
        Model {
            units,
            children,
            records: Vec::new(),
            recorded: 0,
        }
    }

    fn record(&mut self, e: &Event) {
        self.records.push(Record {
            id: e.id().clone(),
            unit: e.unit().clone(),
            layer: e.layer().cloned(),
            kind: e.kind().clone(),
            place: (e.effective(), self.recorded),
            known_from: e.known(),
            superseded_from: None,
        });
        self.recorded += 1;
    }

    fn correct(&mut self, c: &Correction) {
        let target = self
            .records
            .iter_mut()
            .find(|r| &r.id == c.corrects() && r.superseded_from.is_none())
            .expect("the ledger accepted a correction of a standing record");
        target.superseded_from = Some(c.recorded());
        let target = target.clone();
        if let Amendment::Replace { effective, kind } = c.amendment() {
            let place = if *effective == target.place.0 {
                target.place
            } else {
                (*effective, self.recorded)
            };
            self.records.push(Record {
                id: c.id().clone(),
                unit: target.unit,
                layer: target.layer,
                kind: kind.clone(),
                place,
                known_from: Some(c.recorded()),
                superseded_from: None,
            });
            self.recorded += 1;
        }
    }

    /// The unit's records in `lens`, in order.
    fn history(&self, unit: &UnitId, lens: Lens<'_>) -> Vec<&Record> {
        let mut out: Vec<&Record> = self
            .records
            .iter()
            .filter(|r| &r.unit == unit && r.counts(lens.known_at))
            .filter(|r| r.layer.is_none() || r.layer.as_ref() == lens.layer)
            .collect();
        out.sort_by_key(|r| r.place);
        out
    }

    /// The unit after every record of its history up to `upto`, and for each
    /// record applied, the state before and after it.
    fn replay(
        &self,
        unit: &UnitId,
        lens: Lens<'_>,
        upto: (NaiveDate, usize),
    ) -> Result<(UnitState, Vec<Step<'_>>), Invalid> {
        let history = self.history(unit, lens);
        let mut state = UnitState::default();
        let mut steps = Vec::new();
        for (i, r) in history.iter().enumerate() {
            if r.place > upto {
                break;
            }
            match self.apply(unit, lens, &state, &history[i..]) {
                Ok(next) => {
                    steps.push((*r, state.clone(), next.clone()));
                    state = next;
                }
                // As known on a date, what cannot apply to what was known
                // then is passed over.
                Err(_) if lens.known_at.is_some() => {}
                Err(e) => return Err(e),
            }
        }
        Ok((state, steps))
    }

    /// The unit's strength in `m` with its subunits, wherever they are,
    /// after everything up to `upto`.
    fn below(
        &self,
        unit: &UnitId,
        lens: Lens<'_>,
        m: &Metric,
        upto: (NaiveDate, usize),
    ) -> Result<u64, Invalid> {
        let mut sum = 0u64;
        for c in self.children.get(unit).into_iter().flatten() {
            let own = self.replay(c, lens, upto)?.0.own(m);
            sum += own + self.below(c, lens, m, upto)?;
        }
        Ok(sum)
    }

    /// The own strength that makes the unit with its subunits `level` at `at`.
    fn own_for(
        &self,
        unit: &UnitId,
        lens: Lens<'_>,
        m: &Metric,
        level: u64,
        at: (NaiveDate, usize),
    ) -> Result<u64, Invalid> {
        let below = self.below(unit, lens, m, at)?;
        level
            .checked_sub(below)
            .ok_or_else(|| Invalid(format!("level {level} below subunits' {below}")))
    }

    /// The state after `rest[0]`, which follows `state`; `rest` is the
    /// unit's history from that record on.
    fn apply(
        &self,
        unit: &UnitId,
        lens: Lens<'_>,
        state: &UnitState,
        rest: &[&Record],
    ) -> Result<UnitState, Invalid> {
        let r = rest[0];
        let mut next = state.clone();
        let placed = || {
            state
                .placed
                .clone()
                .ok_or_else(|| Invalid(format!("{} on an undeployed unit", r.id)))
        };
        match &r.kind {
            EventKind::Deploy {
                location,
                footing,
                strength,
            } => {
                if state.placed.is_some() {
                    return Err(Invalid(format!("{} deploys a deployed unit", r.id)));
                }
                next = UnitState {
                    placed: Some((location.clone(), *footing)),
                    own: BTreeMap::new(),
                };
                for q in strength {
                    let own = self.own_for(unit, lens, &q.metric, q.count.get(), r.place)?;
                    next.own.insert(q.metric.clone(), own);
                }
            }
            EventKind::Reinforce { metric, count } => {
                placed()?;
                *next.own.entry(metric.clone()).or_default() += count.get();
            }
            EventKind::Reduce { metric, count } => {
                placed()?;
                let own = state
                    .own(metric)
                    .checked_sub(count.get())
                    .ok_or_else(|| Invalid(format!("{} reduces below zero", r.id)))?;
                next.own.insert(metric.clone(), own);
            }
            EventKind::SetLevel { metric, count } => {
                placed()?;
                let own = self.own_for(unit, lens, metric, count.get(), r.place)?;
                next.own.insert(metric.clone(), own);
            }
            EventKind::Scale { metric, factor } => {
                placed()?;
                let whole = state.own(metric) + self.below(unit, lens, metric, r.place)?;
                let level = (Decimal::from(whole) * factor)
                    .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                    .to_u64()
                    .ok_or_else(|| Invalid(format!("{} scales out of range", r.id)))?;
                let own = self.own_for(unit, lens, metric, level, r.place)?;
                next.own.insert(metric.clone(), own);
            }
            EventKind::Pad { metric } => {
                placed()?;
                let own = self.pad(unit, lens, metric, rest)?;
                next.own.insert(metric.clone(), own);
            }
            EventKind::Withdraw => {
                placed()?;
                next = UnitState::default();
            }
            EventKind::Relocate { to } => {
                let (_, footing) = placed()?;
                next.placed = Some((to.clone(), footing));
            }
            EventKind::ChangeFooting { to } => {
                let (location, _) = placed()?;
                next.placed = Some((location, *to));
            }
        }
        Ok(next)
    }

    /// A pad's own strength: what makes the unit's next level in `metric`
    /// hold, given the reinforcements and reductions in between.
    fn pad(
        &self,
        unit: &UnitId,
        lens: Lens<'_>,
        metric: &Metric,
        rest: &[&Record],
    ) -> Result<u64, Invalid> {
        let mut between: i128 = 0;
        for r in &rest[1..] {
            match &r.kind {
                EventKind::Reinforce { metric: m, count } if m == metric => {
                    between += i128::from(count.get());
                }
                EventKind::Reduce { metric: m, count } if m == metric => {
                    between -= i128::from(count.get());
                }
                EventKind::SetLevel { metric: m, count } if m == metric => {
                    let target = self.own_for(unit, lens, metric, count.get(), r.place)?;
                    return u64::try_from(i128::from(target) - between)
                        .map_err(|_| Invalid(format!("pad before {} below zero", r.id)));
                }
                EventKind::Scale { metric: m, .. } | EventKind::Pad { metric: m }
                    if m == metric =>
                {
                    return Err(Invalid(format!("pad across {}", r.id)));
                }
                EventKind::Deploy { .. } | EventKind::Withdraw => {
                    return Err(Invalid(format!("pad across {}", r.id)));
                }
                _ => {}
            }
        }
        Err(Invalid("pad without a level".into()))
    }

    /// Every unit's state at the end of `date`, with the records that made it.
    fn states(&self, lens: Lens<'_>, date: NaiveDate) -> Result<Vec<Replayed<'_>>, Invalid> {
        let end = (date, usize::MAX);
        self.units
            .iter()
            .map(|u| {
                let (state, steps) = self.replay(u.id(), lens, end)?;
                Ok((u, state, steps))
            })
            .collect()
    }
}

fn deployment(state: &UnitState) -> Option<Deployment> {
    let (location, footing) = state.placed.clone()?;
    Some(Deployment {
        location,
        footing,
        strength: state
            .own
            .iter()
            .map(|(m, &n)| Quantity::new(m.clone(), Count::new(n)))
            .collect(),
    })
}

/// A deployment's strengths other than zero, to compare.
fn nonzero(d: Option<Deployment>) -> Option<Compared> {
    d.map(|d| {
        let mut strength: Vec<(Metric, u64)> = d
            .strength
            .into_iter()
            .filter(|q| q.count.get() > 0)
            .map(|q| (q.metric, q.count.get()))
            .collect();
        strength.sort();
        (d.location, d.footing, strength)
    })
}

/// What the model says a unit in `state` adds to `probe`'s total in `m` on `date`.
fn counted(
    l: &Ledger,
    probe: &Probe,
    u: &Unit,
    state: &UnitState,
    m: &Metric,
    date: NaiveDate,
) -> u64 {
    match deployment(state) {
        Some(d) if (probe.matches)(l, u, &d, date) => state.own(m),
        _ => 0,
    }
}

/// Whether the model's step observes `probe` in `m` on `date`: it names `m`
/// (a deploy with a strength in it, or a change to it) while the unit
/// stands in the scope, or it moves or withdraws the unit while the unit
/// holds a figure in `m` (even 0) and stands in the scope before or after.
/// An observation is a record, even one that changes nothing.
fn observes(
    l: &Ledger,
    probe: &Probe,
    u: &Unit,
    step: &Step<'_>,
    m: &Metric,
    date: NaiveDate,
) -> bool {
    let (r, before, after) = step;
    let inside = |s: &UnitState| deployment(s).is_some_and(|d| (probe.matches)(l, u, &d, date));
    match &r.kind {
        EventKind::Deploy { strength, .. } => {
            strength.iter().any(|q| q.metric == *m) && inside(after)
        }
        EventKind::Reinforce { metric, .. }
        | EventKind::Reduce { metric, .. }
        | EventKind::SetLevel { metric, .. }
        | EventKind::Scale { metric, .. }
        | EventKind::Pad { metric } => metric == m && inside(before),
        EventKind::Withdraw | EventKind::Relocate { .. } | EventKind::ChangeFooting { .. } => {
            before.own.contains_key(m) && (inside(before) || inside(after))
        }
    }
}

// ----- Comparing -------------------------------------------------------------------

/// Every question the ledger answers, asked of the ledger and of the model.
fn agree(l: &Ledger, model: &Model, knowledge: &[Option<NaiveDate>]) -> Result<(), TestCaseError> {
    let layer = pledged();
    for (view, layer) in views(l).into_iter().zip([None, Some(&layer)]) {
        for &known_at in knowledge {
            let lens = Lens { layer, known_at };
            let view: View<'_> = match known_at {
                Some(k) => view.known_at(k),
                None => view,
            };
            for date in PROBE_DAYS.map(day) {
                let states = model.states(lens, date).map_err(|e| {
                    TestCaseError::fail(format!("the model refuses what the ledger took: {}", e.0))
                })?;
                let at = format!("on {date}, layer {layer:?}, known at {known_at:?}");
                for (u, state, _) in &states {
                    let ledger = view
                        .deployment(u.id(), date)
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert_eq!(
                        nonzero(ledger),
                        nonzero(deployment(state)),
                        "{} {}",
                        u.id(),
                        at
                    );
                }
                for probe in probes() {
                    for m in &METRICS {
                        let expected: u64 = states
                            .iter()
                            .map(|(u, s, _)| counted(l, &probe, u, s, m, date))
                            .sum();
                        let total = view
                            .total(&probe.scope, m, date)
                            .map_err(|e| TestCaseError::fail(e.to_string()))?;
                        // The newest observation behind the total, if any: no
                        // observation is no record, and then nothing is counted.
                        let newest = states
                            .iter()
                            .flat_map(|(u, _, steps)| {
                                steps
                                    .iter()
                                    .filter(|step| observes(l, &probe, u, step, m, date))
                                    .map(|(r, _, _)| r.place.0)
                            })
                            .max();
                        let expected = newest.map(|_| expected);
                        prop_assert_eq!(total.get(), expected, "{} {} {}", probe.scope, m, at);
                        prop_assert_eq!(
                            total.newest(),
                            newest,
                            "newest of {} {} {}",
                            probe.scope,
                            m,
                            at
                        );
                        // The explanation: each record's change to the total, in log order.
                        let mut changes: Vec<((NaiveDate, usize), &EventId, i128)> = Vec::new();
                        for (u, _, steps) in &states {
                            for (r, before, after) in steps {
                                let change = i128::from(counted(l, &probe, u, after, m, date))
                                    - i128::from(counted(l, &probe, u, before, m, date));
                                // Every observation is a line, even of no change.
                                if change != 0
                                    || observes(
                                        l,
                                        &probe,
                                        u,
                                        &(*r, before.clone(), after.clone()),
                                        m,
                                        date,
                                    )
                                {
                                    changes.push((r.place, &r.id, change));
                                }
                            }
                        }
                        changes.sort();
                        let expected: Vec<(String, i128)> = changes
                            .into_iter()
                            .map(|(_, id, change)| (id.to_string(), change))
                            .collect();
                        let why = view
                            .explain(&probe.scope, m, date)
                            .map_err(|e| TestCaseError::fail(e.to_string()))?;
                        let explained: Vec<(String, i128)> = why
                            .entries()
                            .iter()
                            .map(|e| (e.event.to_string(), e.change))
                            .collect();
                        prop_assert_eq!(
                            explained,
                            expected,
                            "explain {} {} {}",
                            probe.scope,
                            m,
                            at
                        );
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    /// The ledger's totals, deployments and explanations equal the model's,
    /// in the baseline and the layer, now and as known on dates before,
    /// between and after the corrections.
    #[test]
    fn the_ledger_agrees_with_an_independent_model(
        stream in stream(30),
        lags in prop::collection::vec(0..60i64, 1..6),
        fixes in prop::collection::vec(
            (any::<prop::sample::Index>(), 0..4u8, 0..3_000u64, prop_oneof![3 => Just(0i64), 1 => -3..4i64], 0..3i64),
            0..8,
        ),
    ) {
        let accepted = build(&stream, false)?.accepted;
        let mut l = with_knowledge(&accepted, &lags)?;
        let mut model = Model::new(&l);
        for e in l.events() {
            model.record(&e.to_event());
        }
        let mut recorded = day(150);
        for (n, (which, how, count, shift, gap)) in fixes.into_iter().enumerate() {
            let Some(target) = (!l.events().is_empty()).then(|| which.get(&l.events().to_vec()).clone()) else {
                break;
            };
            recorded = recorded + Days::new(gap.unsigned_abs());
            let c = correction(n, &target, recorded, how == 0, count, shift);
            if l.correct(c.clone()).is_ok() {
                model.correct(&c);
            }
        }
        let knowledge = [None, Some(day(10)), Some(day(60)), Some(day(150)), Some(day(152)), Some(day(160)), Some(day(400))];
        agree(&l, &model, &knowledge)?;
    }
}
