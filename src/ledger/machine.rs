//! What each kind of event does to a unit: the ledger's state machine.
//!
//! A unit's [`State`] is where it stands and its own strength per metric.
//! [`apply`] takes a state and one event to the next state, or refuses the
//! event; one function per kind below says what that kind means. Nothing
//! here reads the log or the index: what an event needs beyond its unit's
//! state (how the ledger numbers metrics and places, what the unit's
//! subunits hold, which events follow) it asks of its [`Surroundings`]. The
//! write path, which reports a refusal, and the replay of what was known on
//! a date, which passes over a refused event, both come through [`apply`].

use chrono::NaiveDate;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};

use super::events::{KindRef, Strength};
use super::EventRef;
use crate::deployment::{Footing, Location};
use crate::error::Problem;
use crate::index::{self, Key, Loc};
use crate::metric::{Count, Metric};

/// A unit's state at one point of its history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct State {
    /// Where the unit stands, if it is deployed.
    pub(super) placed: Option<Placed>,
    /// The unit's own strength per metric, subunits excluded, sorted by metric.
    pub(super) own: Vec<(u16, u64)>,
}

/// Where a deployed unit stands, on what footing, since when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Placed {
    pub(super) loc: Loc,
    pub(super) footing: Footing,
    pub(super) since: NaiveDate,
}

impl State {
    /// The unit's own strength in metric `metric`.
    pub(super) fn own(&self, metric: u16) -> u64 {
        self.own
            .binary_search_by_key(&metric, |&(m, _)| m)
            .map_or(0, |i| self.own[i].1)
    }

    fn set_own(&mut self, metric: u16, value: u64) {
        match self.own.binary_search_by_key(&metric, |&(m, _)| m) {
            Ok(i) => self.own[i].1 = value,
            Err(i) => self.own.insert(i, (metric, value)),
        }
    }
}

/// Why an event was refused: which event (by number), which field, what problem.
#[derive(Debug)]
pub(super) struct Fail {
    pub(super) seq: u32,
    pub(super) field: &'static str,
    pub(super) problem: Problem,
}

impl Fail {
    /// A refusal of the event at `key`.
    fn at(key: Key, field: &'static str, problem: Problem) -> Self {
        Fail {
            seq: index::seq(key),
            field,
            problem,
        }
    }
}

/// What applying an event needs to know beyond its unit's state.
pub(super) trait Surroundings {
    /// The ledger's number for `metric`, if any unit is counted in it.
    fn metric(&self, metric: &Metric) -> Option<u16>;

    /// Resolves a location's ids.
    fn loc(&self, location: &Location) -> Result<Loc, Problem>;

    /// The public form of a resolved location, for a refusal to name.
    fn location(&self, loc: Loc) -> Location;

    /// What the unit's subunits together hold in metric `metric` at `key`.
    ///
    /// # Errors
    ///
    /// A subunit's own refused event, when its history is replayed.
    fn below(&self, metric: u16, key: Key) -> Result<u128, Fail>;

    /// The keys of the unit's events after the one being applied, in order.
    fn later(&self) -> &[Key];

    /// The event at `key`.
    fn event(&self, key: Key) -> EventRef<'_>;
}

/// The state `event`, at `key`, takes `state` to. Each change of a unit's
/// strength at a place is passed to `emit` with the place, the metric and
/// the signed change: each an observation of that place, even of no change.
///
/// # Errors
///
/// The refusal of an event that cannot apply to `state`.
pub(super) fn apply(
    mut state: State,
    event: EventRef<'_>,
    key: Key,
    around: &impl Surroundings,
    mut emit: impl FnMut(Placed, u16, i128),
) -> Result<State, Fail> {
    let placed = state.placed;
    // Every event but a deploy needs the unit to be somewhere.
    let at = || {
        placed.ok_or_else(|| {
            Fail::at(
                key,
                "kind",
                Problem::NotDeployed {
                    date: event.effective(),
                },
            )
        })
    };
    let step = Step {
        key,
        around,
        emit: &mut emit,
    };
    let since = event.effective();
    match event.kind_ref() {
        KindRef::Deploy {
            location,
            footing,
            strength,
        } => step.deploy(&mut state, location, footing, strength, since)?,
        KindRef::Reinforce { metric, count } => {
            step.reinforce(&mut state, at()?, metric, count)?;
        }
        KindRef::Reduce { metric, count } => step.reduce(&mut state, at()?, metric, count)?,
        KindRef::SetLevel { metric, count } => {
            step.set_level(&mut state, at()?, metric, count)?;
        }
        KindRef::Scale { metric, factor } => step.scale(&mut state, at()?, metric, factor)?,
        KindRef::Pad { metric } => step.pad(&mut state, at()?, metric)?,
        KindRef::Withdraw => step.withdraw(&mut state, at()?),
        KindRef::Relocate { to } => step.relocate(&mut state, at()?, to, since)?,
        KindRef::ChangeFooting { to } => step.change_footing(&mut state, at()?, to),
    }
    Ok(state)
}

/// One event being applied: its key, what it may ask, and where its changes go.
struct Step<'s, S, E> {
    key: Key,
    around: &'s S,
    emit: &'s mut E,
}

impl<S: Surroundings, E: FnMut(Placed, u16, i128)> Step<'_, S, E> {
    fn fail(&self, field: &'static str, problem: Problem) -> Fail {
        Fail::at(self.key, field, problem)
    }

    /// The ledger's number for a metric the event names.
    fn metric(&self, metric: &Metric) -> Result<u16, Fail> {
        self.around.metric(metric).ok_or_else(|| {
            self.fail(
                "metric",
                Problem::MetricMismatch {
                    metric: metric.clone(),
                    expected: String::new(),
                },
            )
        })
    }

    /// Moves the unit's own strength in `m` to `own`, observing the change at `at`.
    fn set(&mut self, state: &mut State, at: Placed, m: u16, own: u64) {
        (self.emit)(at, m, i128::from(own) - i128::from(state.own(m)));
        state.set_own(m, own);
    }

    /// The own strength that makes the unit, with its subunits' `below`,
    /// hold `level` of `metric`.
    fn own_for_level(&self, metric: &Metric, level: u128, below: u128) -> Result<u64, Fail> {
        let own = level.checked_sub(below).ok_or_else(|| {
            self.fail(
                "count",
                Problem::LevelBelowSubunits {
                    metric: metric.clone(),
                    level: saturated(level),
                    subunits: saturated(below),
                },
            )
        })?;
        u64::try_from(own).map_err(|_| self.fail("count", Problem::Overflow))
    }

    /// A deploy places an undeployed unit, and sets its strength, subunits
    /// included, in each metric it names.
    fn deploy(
        self,
        state: &mut State,
        location: &Location,
        footing: Footing,
        strength: Strength<'_>,
        since: NaiveDate,
    ) -> Result<(), Fail> {
        if let Some(p) = state.placed {
            return Err(self.fail(
                "unit",
                Problem::AlreadyDeployed {
                    location: self.around.location(p.loc),
                    since: p.since,
                },
            ));
        }
        let loc = self
            .around
            .loc(location)
            .map_err(|p| self.fail("location", p))?;
        let at = Placed {
            loc,
            footing,
            since,
        };
        state.placed = Some(at);
        for (metric, count) in strength.iter() {
            let m = self.metric(metric)?;
            let below = self.around.below(m, self.key)?;
            let own = self.own_for_level(metric, u128::from(count.get()), below)?;
            state.set_own(m, own);
            (self.emit)(at, m, i128::from(own));
        }
        Ok(())
    }

    /// A reinforce adds to the unit's own strength.
    fn reinforce(
        self,
        state: &mut State,
        at: Placed,
        metric: &Metric,
        count: Count,
    ) -> Result<(), Fail> {
        let m = self.metric(metric)?;
        let own = state
            .own(m)
            .checked_add(count.get())
            .ok_or_else(|| self.fail("count", Problem::Overflow))?;
        state.set_own(m, own);
        (self.emit)(at, m, i128::from(count.get()));
        Ok(())
    }

    /// A reduce takes from the unit's own strength, never below zero.
    fn reduce(
        self,
        state: &mut State,
        at: Placed,
        metric: &Metric,
        count: Count,
    ) -> Result<(), Fail> {
        let m = self.metric(metric)?;
        let before = state.own(m);
        let own = before.checked_sub(count.get()).ok_or_else(|| {
            self.fail(
                "count",
                Problem::NegativeStrength {
                    metric: metric.clone(),
                    strength: Count::new(before),
                    change: count,
                },
            )
        })?;
        state.set_own(m, own);
        (self.emit)(at, m, -i128::from(count.get()));
        Ok(())
    }

    /// A level sets the unit's strength, subunits included: its own is what
    /// the subunits do not hold.
    fn set_level(
        mut self,
        state: &mut State,
        at: Placed,
        metric: &Metric,
        count: Count,
    ) -> Result<(), Fail> {
        let m = self.metric(metric)?;
        let below = self.around.below(m, self.key)?;
        let own = self.own_for_level(metric, u128::from(count.get()), below)?;
        self.set(state, at, m, own);
        Ok(())
    }

    /// A scale multiplies the unit's strength, subunits included, rounding
    /// half away from zero, and sets that as its level.
    fn scale(
        mut self,
        state: &mut State,
        at: Placed,
        metric: &Metric,
        factor: Decimal,
    ) -> Result<(), Fail> {
        let m = self.metric(metric)?;
        let below = self.around.below(m, self.key)?;
        let whole = u128::from(state.own(m)) + below;
        let level = Decimal::from_u128(whole)
            .and_then(|w| w.checked_mul(factor))
            .map(|x| x.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
            .and_then(|x| x.to_u128())
            .ok_or_else(|| self.fail("factor", Problem::Overflow))?;
        let own = self.own_for_level(metric, level, below)?;
        self.set(state, at, m, own);
        Ok(())
    }

    /// A pad sets the unit's own strength to what makes its next level hold,
    /// given the reinforcements and reductions in between.
    fn pad(mut self, state: &mut State, at: Placed, metric: &Metric) -> Result<(), Fail> {
        let m = self.metric(metric)?;
        let own = self.padded(metric, m)?;
        self.set(state, at, m, own);
        Ok(())
    }

    /// The own strength a pad sets on `metric` (numbered `m`).
    fn padded(&self, metric: &Metric, m: u16) -> Result<u64, Fail> {
        let fail = |problem| self.fail("metric", problem);
        let mut changes: i128 = 0;
        for &key in self.around.later() {
            let event = self.around.event(key);
            let names = event.kind_ref().metrics().any(|x| x == metric);
            match event.kind_ref() {
                KindRef::Reinforce { count, .. } if names => changes += i128::from(count.get()),
                KindRef::Reduce { count, .. } if names => changes -= i128::from(count.get()),
                KindRef::SetLevel { count, .. } if names => {
                    let below = self.around.below(m, key)?;
                    let target = u128::from(count.get()).checked_sub(below).ok_or_else(|| {
                        Fail::at(
                            key,
                            "count",
                            Problem::LevelBelowSubunits {
                                metric: metric.clone(),
                                level: count,
                                subunits: saturated(below),
                            },
                        )
                    })?;
                    // target ≤ u64::MAX since count is a u64.
                    let own = i128::try_from(target).unwrap_or(i128::MAX) - changes;
                    return u64::try_from(own).map_err(|_| {
                        fail(Problem::NegativeStrength {
                            metric: metric.clone(),
                            strength: saturated(target),
                            change: saturated(changes.unsigned_abs()),
                        })
                    });
                }
                KindRef::Withdraw | KindRef::Deploy { .. } => {
                    return Err(fail(Problem::PadAcrossReset { event: event.id() }));
                }
                KindRef::Scale { .. } | KindRef::Pad { .. } if names => {
                    return Err(fail(Problem::PadAcrossReset { event: event.id() }));
                }
                _ => {}
            }
        }
        Err(fail(Problem::PadWithoutLevel {
            metric: metric.clone(),
        }))
    }

    /// A withdrawal takes the unit and all its own strength away.
    fn withdraw(self, state: &mut State, at: Placed) {
        for &(m, n) in &state.own {
            (self.emit)(at, m, -i128::from(n));
        }
        *state = State::default();
    }

    /// A relocation moves the unit, with its strength, to another place.
    fn relocate(
        self,
        state: &mut State,
        at: Placed,
        to: &Location,
        since: NaiveDate,
    ) -> Result<(), Fail> {
        let loc = self.around.loc(to).map_err(|p| self.fail("to", p))?;
        self.move_to(state, at, Placed { loc, since, ..at });
        Ok(())
    }

    /// A change of footing keeps the unit where it is, on another footing.
    fn change_footing(self, state: &mut State, at: Placed, footing: Footing) {
        self.move_to(state, at, Placed { footing, ..at });
    }

    /// Moves the unit's whole own strength from `from` to `to`.
    fn move_to(self, state: &mut State, from: Placed, to: Placed) {
        for &(m, n) in &state.own {
            (self.emit)(from, m, -i128::from(n));
            (self.emit)(to, m, i128::from(n));
        }
        state.placed = Some(to);
    }
}

/// A figure as a count, or the largest count when it is larger, for a
/// refusal to quote.
fn saturated(n: u128) -> Count {
    Count::new(u64::try_from(n).unwrap_or(u64::MAX))
}
