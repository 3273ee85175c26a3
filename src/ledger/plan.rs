//! The write path: a batch checked event by event, then against the whole
//! history of every unit it touches, into a [`Plan`] of every change it
//! makes; and the commit of a plan, which cannot fail. A refused batch
//! changes nothing.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::events::KindRef;
use super::log::EventIndex;
use super::machine::{Fail, State};
use super::query::host_of;
use super::replay::Replay;
use super::{days, internal, EventRef, Ledger, Timelines};
use crate::error::{Error, Problem, RecordKind, Result};
use crate::event::Event;
use crate::hash::FastMap;
use crate::index::{self, Contribution, Key};
use crate::metric::Count;

/// A new event of a batch: its unit, its layer, its key.
type NewEvent = (u32, Option<u16>, Key);

/// A batch's new events, grouped by unit: sorted by unit.
struct Touched<'a> {
    list: &'a [NewEvent],
    /// Each unit with the end of its run in `list`.
    units: Vec<(u32, usize)>,
}

impl<'a> Touched<'a> {
    fn new(list: &'a [NewEvent]) -> Self {
        let mut units: Vec<(u32, usize)> = Vec::new();
        for (i, &(unit, _, _)) in list.iter().enumerate() {
            match units.last_mut() {
                Some(last) if last.0 == unit => last.1 = i + 1,
                _ => units.push((unit, i + 1)),
            }
        }
        Touched { list, units }
    }

    fn len(&self) -> usize {
        self.units.len()
    }

    fn run(&self, i: usize) -> &'a [NewEvent] {
        let start = i.checked_sub(1).map_or(0, |p| self.units[p].1);
        &self.list[start..self.units[i].1]
    }

    fn iter(&self) -> impl Iterator<Item = (u32, &'a [NewEvent])> + '_ {
        (0..self.units.len()).map(|i| (self.units[i].0, self.run(i)))
    }

    fn get(&self, unit: u32) -> Option<&'a [NewEvent]> {
        self.units
            .binary_search_by_key(&unit, |&(u, _)| u)
            .ok()
            .map(|i| self.run(i))
    }
}

impl Ledger {
    /// Checks a batch, and the retirement of recorded events (`retire`, their
    /// keys) that corrections replace or retract, and works out every change
    /// they make, without changing anything.
    pub(super) fn plan(&self, batch: &[Event], retire: &[Key]) -> Result<Plan> {
        let Some(first) = batch.first() else {
            if retire.is_empty() {
                return Ok(Plan::default());
            }
            return self.plan_retirement(batch, retire);
        };
        let base = self.log.len();
        // The log numbers its events, and places their ids in its one
        // string of ids, in 32 bits.
        let id_bytes = batch.iter().map(|e| e.id().as_str().len()).sum::<usize>();
        if base
            .checked_add(batch.len())
            .is_none_or(|end| end > u32::MAX as usize)
            || self.log.id_bytes() + id_bytes > u32::MAX as usize
        {
            return Err(Error::event(first.id(), "id", Problem::LedgerFull));
        }
        // Each event on its own.
        let mut seen = EventIndex::with_capacity(batch.len());
        // The new events of each unit: a list sorted by unit, not a map of
        // lists, since a large batch touches its units in random order.
        let mut list: Vec<NewEvent> = Vec::with_capacity(batch.len());
        let mut owners: Vec<u32> = Vec::with_capacity(batch.len());
        for (i, event) in batch.iter().enumerate() {
            let seq = (base + i) as u32;
            let (unit, layer) = self.check_event(EventRef::of(event))?;
            let id_of = |i: u32| batch[i as usize].id().as_str();
            if self.log.find(event.id()).is_some()
                || seen.find(event.id().as_str(), id_of).is_some()
            {
                return Err(Error::event(event.id(), "id", Problem::Duplicate));
            }
            seen.insert(i as u32, id_of);
            let key = index::key(days(event.effective()), seq);
            list.push((unit, layer, key));
            owners.push(unit);
        }
        let appending = if retire.is_empty() {
            self.plan_appending(batch, &list)
        } else {
            None
        };
        let mut plan = match appending {
            Some(mut plan) => {
                plan.appended = list;
                plan
            }
            None => self.plan_units(batch, list, retire, None)?,
        };
        plan.owners = owners;
        plan.seen = Some(seen);
        Ok(plan)
    }

    /// The plan of a batch that only appends to what is recorded, in date
    /// order, as OSINT trackers and movement logs do: each event steps its
    /// unit's state as the batch goes, and a level reads its subunits' states
    /// as they then are, instead of replaying any unit's history.
    ///
    /// `None` when the batch is not of that shape — an event in a layer, a
    /// pad (which reads ahead to the next level), dates out of order, or an
    /// event dated before the end of the recorded history of its unit, of a
    /// unit above it, or of a unit below it — or when an event fails: the
    /// general path then plans the batch, and reports its error as always.
    fn plan_appending(&self, batch: &[Event], list: &[NewEvent]) -> Option<Plan> {
        if !list.windows(2).all(|w| w[0].2 < w[1].2) {
            return None;
        }
        let live = RefCell::new(FastMap::<u32, State>::default());
        let replay = Replay {
            batch,
            live: Some(&live),
            ..Replay::recorded(self, None)
        };
        let mut changes = Vec::with_capacity(list.len() + list.len() / 2);
        for &(unit, layer, key) in list {
            if layer.is_some()
                || matches!(self.event_at(batch, key).kind_ref(), KindRef::Pad { .. })
            {
                return None;
            }
            let taken = live.borrow_mut().remove(&unit);
            let state = match taken {
                Some(state) => state,
                None if self.settled_before(unit, key) => self.units[unit as usize].end.clone(),
                None => return None,
            };
            let state = replay
                .step((unit, None), &[key], 0, state, Some(&mut changes))
                .ok()?;
            live.borrow_mut().insert(unit, state);
        }
        Some(Plan {
            ends: live.into_inner().into_iter().collect(),
            baseline: changes,
            ..Plan::default()
        })
    }

    /// Whether the recorded histories of `unit`, of the units above it and
    /// of those below it all end before `key`, with no layer events: then
    /// each one's recorded end is its state at `key`.
    fn settled_before(&self, unit: u32, key: Key) -> bool {
        let settled = |u: u32| {
            let t = &self.units[u as usize].timelines;
            t.layers.is_empty() && t.baseline.last().is_none_or(|&last| last < key)
        };
        fn below(ledger: &Ledger, unit: u32, settled: &impl Fn(u32) -> bool) -> bool {
            ledger.units[unit as usize]
                .children
                .iter()
                .all(|&c| settled(c) && below(ledger, c, settled))
        }
        let mut up = self.units[unit as usize].parent;
        while let Some(a) = up {
            if !settled(a) {
                return false;
            }
            up = self.units[a as usize].parent;
        }
        settled(unit) && below(self, unit, &settled)
    }

    /// A plan that only retires recorded events.
    fn plan_retirement(&self, batch: &[Event], retire: &[Key]) -> Result<Plan> {
        self.plan_units(batch, Vec::new(), retire, None)
    }

    /// Stages the new and retired events of each unit, replays the units that
    /// change, and collects the changes to the index. With `swap`, the one
    /// event of `batch` stands in place of the recorded event at that key.
    pub(super) fn plan_units(
        &self,
        batch: &[Event],
        mut list: Vec<NewEvent>,
        retire: &[Key],
        swap: Option<Key>,
    ) -> Result<Plan> {
        let base = self.log.len();
        if let Some(key) = swap {
            let (unit, layer) = self.check_event(self.event_at(&[], key))?;
            list.push((unit, layer, key));
        }
        // A retired event is staged like a new one; its key, below every new
        // key, tells them apart.
        for &key in retire {
            let seq = index::seq(key);
            let event = self.log.get(seq).ok_or_else(|| Error::Internal {
                detail: format!("retiring event number {seq}, which is not recorded"),
            })?;
            let (unit, layer) = self.check_event(event)?;
            list.push((unit, layer, key));
        }

        // The units' new timelines.
        let mut staged: FastMap<u32, Timelines> = FastMap::default();
        let mut retired: Vec<(u32, Key)> = Vec::with_capacity(retire.len());
        list.sort_unstable();
        let touched = Touched::new(&list);
        staged.reserve(touched.len());
        for (unit, keys) in touched.iter() {
            let mut t = self.units[unit as usize].timelines.clone();
            for &(_, layer, key) in keys {
                if Some(key) == swap {
                    // The replacement takes its original's place: the key stays.
                    continue;
                }
                let list = match layer {
                    None => &mut t.baseline,
                    Some(l) => t.layers.entry(l).or_default(),
                };
                if (index::seq(key) as usize) < base {
                    list.retain(|&k| k != key);
                    retired.push((unit, key));
                } else {
                    list.push(key);
                }
            }
            t.layers.retain(|_, list| !list.is_empty());
            t.baseline.sort_unstable();
            for list in t.layers.values_mut() {
                list.sort_unstable();
            }
            staged.insert(unit, t);
        }

        // Which units to replay: those touched, and ancestors whose levels
        // (which include subunits) come after a change below them. Each is
        // blamed on the earliest new event in or below it.
        let mut todo: BTreeMap<u32, Key> = BTreeMap::new();
        for (unit, keys) in touched.iter() {
            let earliest = keys.iter().map(|&(_, _, k)| k).min().unwrap_or(Key::MAX);
            let slot = todo.entry(unit).or_insert(earliest);
            *slot = (*slot).min(earliest);
            // A pad takes its figure from the changes and the level after it:
            // a change there moves the unit's strength from the pad on.
            let t = staged
                .get(&unit)
                .unwrap_or(&self.units[unit as usize].timelines);
            let earliest = self.padded_from(batch, t, earliest);
            let mut up = self.units[unit as usize].parent;
            while let Some(a) = up {
                let t = staged.get(&a).unwrap_or(&self.units[a as usize].timelines);
                let later_level = std::iter::once(&t.baseline)
                    .chain(t.layers.values())
                    .flat_map(|list| list.iter().rev().take_while(|&&k| k > earliest))
                    .any(|&k| self.event_at(batch, k).kind_ref().depends_on_subunits());
                if later_level {
                    let slot = todo.entry(a).or_insert(earliest);
                    *slot = (*slot).min(earliest);
                }
                up = self.units[a as usize].parent;
            }
        }
        let mut order: Vec<(u32, Key)> = todo.into_iter().collect();
        // Subunits before their parents, so a parent's replay sees them settled.
        order.sort_by_key(|&(u, _)| std::cmp::Reverse(self.units[u as usize].depth));

        let before = Replay::recorded(self, None);
        let after = Replay {
            ledger: self,
            batch,
            staged: Some(&staged),
            known_at: None,
            // What the replacement swaps out is what stands at the key now.
            swap: swap.map(|key| (self.log.version(index::seq(key), None), base as u32)),
            live: None,
        };
        let mut plan = Plan {
            retired,
            ..Plan::default()
        };
        plan.ends.reserve(order.len());
        plan.baseline.reserve(list.len() + list.len() / 2);
        for (unit, earliest) in order {
            let blame = |fail: Fail| -> Error {
                let culprit = self.event_at(batch, earliest);
                // A replacement standing at its original's key fails as itself.
                let seq = match swap {
                    Some(key) if fail.seq == index::seq(key) => base as u32,
                    _ => fail.seq,
                };
                if seq as usize >= base {
                    let event = &batch[seq as usize - base];
                    Error::event(event.id(), fail.field, fail.problem)
                } else {
                    let broken = self.log.at(fail.seq).id();
                    Error::event(
                        &culprit.id(),
                        "effective",
                        Problem::Invalidates {
                            event: broken,
                            problem: Box::new(fail.problem),
                        },
                    )
                }
            };
            let record = &self.units[unit as usize];
            let new_timelines = staged.get(&unit).unwrap_or(&record.timelines);
            let layers = after.layers_below(unit);
            // `earliest` also counts changes below the unit: a subunit's
            // back-dated change moves the unit's own share at its later
            // levels, so only a unit whose whole history precedes every
            // change in and below it may replay from its cached end.
            let after_history =
                |key: Key| record.timelines.baseline.last().is_none_or(|&l| l < key);
            let only_appends = after_history(earliest)
                && touched.get(unit).is_some_and(|keys| {
                    keys.iter()
                        .all(|&(_, layer, key)| layer.is_none() && after_history(key))
                });
            if only_appends && layers.is_empty() && record.timelines.layers.is_empty() {
                // The common case: new events after the unit's history, no
                // layers involved. Replay only the new events.
                // The changes go straight to the plan, which commit sorts
                // and nets once for the whole batch.
                let start = record.timelines.baseline.len();
                let end = after
                    .run(
                        (unit, None),
                        &new_timelines.baseline,
                        start,
                        record.end.clone(),
                        Key::MAX,
                        Some(&mut plan.baseline),
                    )
                    .map_err(blame)?;
                plan.ends.push((unit, end));
                continue;
            }
            let mut old_b = Vec::new();
            before
                .run_all(unit, None, Some(&mut old_b))
                .map_err(|fail| internal(&blame(fail)))?;
            let mut new_b = Vec::new();
            let end = after.run_all(unit, None, Some(&mut new_b)).map_err(blame)?;
            let base_change = index::difference(&new_b, &old_b);
            for layer in layers.union(&before.layers_below(unit)) {
                let mut old_l = Vec::new();
                before
                    .run_all(unit, Some(*layer), Some(&mut old_l))
                    .map_err(|fail| internal(&blame(fail)))?;
                let mut new_l = Vec::new();
                after
                    .run_all(unit, Some(*layer), Some(&mut new_l))
                    .map_err(blame)?;
                let layer_change = index::difference(&new_l, &old_l);
                let mut negated: Vec<Contribution> = base_change
                    .iter()
                    .map(|c| Contribution {
                        delta: -c.delta,
                        seen: -c.seen,
                        ..*c
                    })
                    .collect();
                negated.extend(layer_change);
                plan.layers
                    .entry(*layer)
                    .or_default()
                    .extend(index::difference(&negated, &[]));
            }
            plan.baseline.extend(base_change);
            plan.ends.push((unit, end));
        }
        plan.staged = staged;
        Ok(plan)
    }

    /// The first key from which a unit's strength can move when its events
    /// change from `earliest` on: the key of a pad before `earliest` (and
    /// after the unit's last arrival or departure), whose figure depends on
    /// what follows it; else `earliest`.
    fn padded_from(&self, batch: &[Event], t: &Timelines, earliest: Key) -> Key {
        let mut from = earliest;
        for list in std::iter::once(&t.baseline).chain(t.layers.values()) {
            let before = &list[..list.partition_point(|&k| k < earliest)];
            for &k in before.iter().rev() {
                match self.event_at(batch, k).kind_ref() {
                    KindRef::Pad { .. } => from = from.min(k),
                    KindRef::Deploy { .. } | KindRef::Withdraw => break,
                    _ => {}
                }
            }
        }
        from
    }

    /// Applies a plan: nothing here can fail.
    pub(super) fn commit(&mut self, batch: Vec<Event>, mut plan: Plan) {
        // The plan's lists are let go as soon as they are read: the peak of a
        // large batch is reached below, feeding the index.
        let units = &self.units;
        let unit_id = |u: u32| units[u as usize].unit.id();
        self.log
            .append(batch, plan.seen.take(), &plan.owners, unit_id);
        for (unit, timelines) in plan.staged {
            self.units[unit as usize].timelines = timelines;
        }
        for (unit, key) in plan.retired {
            self.units[unit as usize].retired.push(key);
        }
        for (unit, _, key) in plan.appended {
            self.units[unit as usize].timelines.baseline.push(key);
        }
        for (unit, end) in plan.ends {
            self.units[unit as usize].end = end;
        }
        let bases = &self.bases.items;
        let host = |loc| host_of(bases, loc);
        let member_of = &self.member_of;
        let member_of = |c| member_of.get(&c).map_or(&[][..], Vec::as_slice);
        index::net(&mut plan.baseline);
        self.baseline.apply(&plan.baseline, host, member_of);
        for (layer, mut changes) in plan.layers {
            index::net(&mut changes);
            if let Some(cells) = self.layer_cells.get_mut(usize::from(layer)) {
                cells.apply(&changes, host, member_of);
            }
        }
    }

    /// Checks what can be checked of an event on its own; returns its unit and layer.
    pub(super) fn check_event(&self, event: EventRef<'_>) -> Result<(u32, Option<u16>)> {
        // The id is made only for a refusal: it is text in the log's column.
        let refuse = |field, problem| Error::event(&event.id(), field, problem);
        let by_copy = self
            .unit_by_copy
            .get(&event.unit().addr())
            .copied()
            .filter(|&u| {
                self.units
                    .get(u as usize)
                    .is_some_and(|r| r.unit.id().shares(event.unit()))
            });
        let unit = match by_copy {
            Some(u) => u,
            None => *self
                .unit_ix
                .get(event.unit())
                .ok_or_else(|| refuse("unit", Problem::unknown(RecordKind::Unit, event.unit())))?,
        };
        let record = &self.units[unit as usize];
        let layer = match event.layer() {
            None => None,
            Some(l) => Some(
                self.layers
                    .position(l)
                    .and_then(|p| u16::try_from(p).ok())
                    .ok_or_else(|| refuse("layer", Problem::unknown(RecordKind::Layer, l)))?,
            ),
        };
        if let Some(until) = event.valid_until() {
            if until < event.effective() {
                return Err(refuse(
                    "valid_until",
                    Problem::BackwardsDates {
                        from: event.effective(),
                        until,
                    },
                ));
            }
        }
        if let Some(formed) = record.unit.formed() {
            if event.effective() < formed {
                return Err(refuse(
                    "effective",
                    Problem::BeforeFormed {
                        date: event.effective(),
                        formed,
                    },
                ));
            }
        }
        let kind = event.kind_ref();
        let metric_field = match kind {
            KindRef::Deploy { .. } => "strength",
            _ => "metric",
        };
        // A count beyond what a file can hold would be saved to a file that
        // does not load again.
        let too_large = |c: &Count| c.in_record_range().is_none();
        let too_large = match kind {
            KindRef::Deploy { strength, .. } => strength
                .iter()
                .map(|(_, count)| count)
                .find(too_large)
                .map(|c| ("strength", c)),
            KindRef::Reinforce { count, .. }
            | KindRef::Reduce { count, .. }
            | KindRef::SetLevel { count, .. } => {
                Some(count).filter(too_large).map(|c| ("count", c))
            }
            _ => None,
        };
        if let Some((field, count)) = too_large {
            return Err(refuse(field, Problem::CountOutOfRange { count }));
        }
        for (i, metric) in kind.metrics().enumerate() {
            if !record.unit.counts(metric) {
                let expected = record
                    .unit
                    .metrics()
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(refuse(
                    metric_field,
                    Problem::MetricMismatch {
                        metric: metric.clone(),
                        expected,
                    },
                ));
            }
            // An event names a few metrics at most: no set needed.
            if kind.metrics().take(i).any(|m| m == metric) {
                return Err(refuse(metric_field, Problem::Duplicate));
            }
        }
        match kind {
            KindRef::Deploy { location, .. } => {
                self.loc(location).map_err(|p| refuse("location", p))?;
            }
            KindRef::Relocate { to } => {
                self.loc(to).map_err(|p| refuse("to", p))?;
            }
            KindRef::Scale { factor, .. } if factor.is_sign_negative() && !factor.is_zero() => {
                return Err(refuse("factor", Problem::NegativeFactor { factor }));
            }
            _ => {}
        }
        Ok((unit, layer))
    }
}

/// Everything a batch changes, worked out before anything is changed.
#[derive(Default)]
pub(super) struct Plan {
    staged: FastMap<u32, Timelines>,
    /// The recorded events the batch replaces or retracts, by unit.
    retired: Vec<(u32, Key)>,
    /// Instead of `staged`, when the batch only appends: each new event, in
    /// date order, to add at the end of its unit's baseline timeline.
    appended: Vec<NewEvent>,
    /// The unit of each new event, in batch order.
    owners: Vec<u32>,
    ends: Vec<(u32, State)>,
    /// The index of the batch's ids, by their positions in it.
    seen: Option<EventIndex>,
    baseline: Vec<Contribution>,
    layers: BTreeMap<u16, Vec<Contribution>>,
}

impl Plan {
    /// The plan, with `owners` as the units of the batch's events, in batch
    /// order: for a plan made without working them out.
    pub(super) fn owned_by(mut self, owners: Vec<u32>) -> Self {
        self.owners = owners;
        self
    }
}
