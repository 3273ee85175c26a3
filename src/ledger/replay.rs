//! The timelines that feed the state machine: a unit's events as recorded,
//! as staged by a batch being planned, as known on a date, or as a batch
//! that only appends has stepped them so far, each replayed through
//! [`machine::apply`] in order.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::machine::{self, Fail, State, Surroundings};
use super::{EventRef, Ledger, Timelines};
use crate::deployment::Location;
use crate::error::Problem;
use crate::event::Event;
use crate::hash::FastMap;
use crate::index::{self, CellKey, Contribution, Key, Loc};
use crate::metric::Metric;

/// Replays units' histories, over the recorded ledger or over a staged batch.
pub(super) struct Replay<'a> {
    pub(super) ledger: &'a Ledger,
    pub(super) batch: &'a [Event],
    pub(super) staged: Option<&'a FastMap<u32, Timelines>>,
    /// When set, only what the ledger knew on this date counts, each event as
    /// it stood then; events that cannot apply to it are passed over.
    pub(super) known_at: Option<NaiveDate>,
    /// A replacement being planned: the event it stands in for, and its number.
    pub(super) swap: Option<(u32, u32)>,
    /// When a batch only appends, the state each unit it touched has reached
    /// so far: subunits are read from here (or their recorded ends), not replayed.
    pub(super) live: Option<&'a RefCell<FastMap<u32, State>>>,
}

impl<'a> Replay<'a> {
    /// A replay of what is recorded, as known on `known_at` if given.
    pub(super) fn recorded(ledger: &'a Ledger, known_at: Option<NaiveDate>) -> Self {
        Replay {
            ledger,
            batch: &[],
            staged: None,
            known_at,
            swap: None,
            live: None,
        }
    }

    pub(super) fn timelines(&self, unit: u32) -> &'a Timelines {
        self.staged
            .and_then(|s| s.get(&unit))
            .unwrap_or(&self.ledger.units[unit as usize].timelines)
    }

    /// The unit's events in the baseline, merged with `layer`'s when given;
    /// as known on a date, the events known then, corrected or not.
    pub(super) fn timeline(&self, unit: u32, layer: Option<u16>) -> Cow<'a, [Key]> {
        let t = self.timelines(unit);
        if let Some(at) = self.known_at {
            let shown = layer.and_then(|l| self.ledger.layer_id(l));
            let extra = layer
                .and_then(|l| t.layers.get(&l))
                .map_or(&[][..], Vec::as_slice);
            let mut all: Vec<Key> = t
                .baseline
                .iter()
                .chain(extra)
                .chain(&self.ledger.units[unit as usize].retired)
                .copied()
                .filter(|&k| self.ledger.log.known_then(index::seq(k), shown, at))
                .collect();
            all.sort_unstable();
            return Cow::Owned(all);
        }
        match layer.and_then(|l| t.layers.get(&l)) {
            None => Cow::Borrowed(&t.baseline),
            Some(extra) => {
                let mut all = Vec::with_capacity(t.baseline.len() + extra.len());
                all.extend_from_slice(&t.baseline);
                all.extend_from_slice(extra);
                all.sort_unstable();
                Cow::Owned(all)
            }
        }
    }

    /// The layers with events on `unit` or below it.
    pub(super) fn layers_below(&self, unit: u32) -> BTreeSet<u16> {
        let mut out: BTreeSet<u16> = self.timelines(unit).layers.keys().copied().collect();
        for &c in &self.ledger.units[unit as usize].children {
            out.extend(self.layers_below(c));
        }
        out
    }

    pub(super) fn event(&self, key: Key) -> EventRef<'a> {
        let seq = index::seq(key);
        let seq = match self.swap {
            Some((from, to)) if from == self.ledger.log.version(seq, None) => to,
            _ => self.ledger.log.version(seq, self.known_at),
        };
        self.ledger.log.numbered(self.batch, seq)
    }

    pub(super) fn run_all(
        &self,
        unit: u32,
        layer: Option<u16>,
        out: Option<&mut Vec<Contribution>>,
    ) -> Result<State, Fail> {
        let timeline = self.timeline(unit, layer);
        self.run((unit, layer), &timeline, 0, State::default(), Key::MAX, out)
    }

    pub(super) fn state_at(&self, unit: u32, layer: Option<u16>, upto: Key) -> Result<State, Fail> {
        let timeline = self.timeline(unit, layer);
        self.run((unit, layer), &timeline, 0, State::default(), upto, None)
    }

    /// The unit together with its subunits: its strength in `metric` at `key`.
    fn aggregate(
        &self,
        unit: u32,
        layer: Option<u16>,
        metric: u16,
        key: Key,
    ) -> Result<u128, Fail> {
        let own = self.state_at(unit, layer, key)?.own(metric);
        let below = self.subunits(unit, layer, metric, key)?;
        Ok(u128::from(own) + below)
    }

    fn subunits(&self, unit: u32, layer: Option<u16>, metric: u16, key: Key) -> Result<u128, Fail> {
        if let Some(live) = self.live {
            return Ok(self.live_below(&live.borrow(), unit, metric));
        }
        let mut sum = 0u128;
        for &c in &self.ledger.units[unit as usize].children {
            sum += self.aggregate(c, layer, metric, key)?;
        }
        Ok(sum)
    }

    /// The subunits' strength in `metric` as they stand in `live`, or at
    /// their recorded ends.
    fn live_below(&self, live: &FastMap<u32, State>, unit: u32, metric: u16) -> u128 {
        let units = &self.ledger.units;
        units[unit as usize]
            .children
            .iter()
            .map(|&c| {
                let state = live.get(&c).unwrap_or(&units[c as usize].end);
                u128::from(state.own(metric)) + self.live_below(live, c, metric)
            })
            .sum()
    }

    /// Replays `timeline[start..]` up to `upto` from `state`, pushing the cell
    /// changes to `out`; returns the state reached.
    pub(super) fn run(
        &self,
        (unit, layer): (u32, Option<u16>),
        timeline: &[Key],
        start: usize,
        mut state: State,
        upto: Key,
        mut out: Option<&mut Vec<Contribution>>,
    ) -> Result<State, Fail> {
        for pos in start..timeline.len() {
            if timeline[pos] > upto {
                break;
            }
            if self.known_at.is_none() {
                state = self.step((unit, layer), timeline, pos, state, out.as_deref_mut())?;
                continue;
            }
            // As known on a date, an event that cannot apply to what was then
            // known (a change to a deployment learned of later) is passed over.
            let emitted = out.as_ref().map_or(0, |o| o.len());
            match self.step(
                (unit, layer),
                timeline,
                pos,
                state.clone(),
                out.as_deref_mut(),
            ) {
                Ok(next) => state = next,
                Err(_) => {
                    if let Some(o) = out.as_deref_mut() {
                        o.truncate(emitted);
                    }
                }
            }
        }
        Ok(state)
    }

    /// Applies `timeline[pos]` to `state`, pushing its cell changes to
    /// `out`; returns the state it leads to.
    pub(super) fn step(
        &self,
        (unit, layer): (u32, Option<u16>),
        timeline: &[Key],
        pos: usize,
        state: State,
        out: Option<&mut Vec<Contribution>>,
    ) -> Result<State, Fail> {
        let key = timeline[pos];
        let event = self.event(key);
        let around = Around {
            replay: self,
            unit,
            layer,
            later: &timeline[pos + 1..],
        };
        let Some(out) = out else {
            return machine::apply(state, event, key, &around, |_, _, _| {});
        };
        let record = &self.ledger.units[unit as usize];
        let (contributor, kind) = (record.contributor, record.unit.kind());
        machine::apply(state, event, key, &around, |placed, metric, delta| {
            out.push(Contribution {
                key,
                cell: CellKey {
                    loc: placed.loc,
                    contributor,
                    footing: placed.footing,
                    kind,
                    metric,
                },
                group: 0,
                delta: index::Delta::from(delta),
                seen: 1,
            });
        })
    }
}

/// What an event of one unit's timeline sees around it: the ledger's
/// numbering, the unit's subunits as this replay has them, its later events.
struct Around<'r, 'a> {
    replay: &'r Replay<'a>,
    unit: u32,
    layer: Option<u16>,
    later: &'r [Key],
}

// Inline: each is called for every event replayed, the write path's inner
// loop; without it the metric lookup, inlined when it was written in the
// step itself, became a call per event.
impl Surroundings for Around<'_, '_> {
    #[inline]
    fn metric(&self, metric: &Metric) -> Option<u16> {
        self.replay.ledger.metric_ix.get(metric).copied()
    }

    #[inline]
    fn loc(&self, location: &Location) -> Result<Loc, Problem> {
        self.replay.ledger.loc(location)
    }

    #[inline]
    fn location(&self, loc: Loc) -> Location {
        self.replay.ledger.location(loc)
    }

    #[inline]
    fn below(&self, metric: u16, key: Key) -> Result<u128, Fail> {
        self.replay.subunits(self.unit, self.layer, metric, key)
    }

    #[inline]
    fn later(&self) -> &[Key] {
        self.later
    }

    #[inline]
    fn event(&self, key: Key) -> EventRef<'_> {
        self.replay.event(key)
    }
}
