//! The ledger: the registries of places and units, the append-only event log,
//! and the date index beside it.
//!
//! # How events are ordered
//!
//! Events are ordered by effective date, then by the order they were recorded
//! (a batch records its events in the order given). A total *on* a date counts
//! every event effective on or before that date: it is the posture at the end
//! of the day. So an event effective on 2022-06-29 shows in the total on
//! 2022-06-29 and not in the total on 2022-06-28. To see the posture between
//! two events of the same day, compare across an event with
//! [`View::across`](crate::View::across).
//!
//! # How a write is checked
//!
//! Every event is checked against the whole history of its unit, in order, in
//! the baseline and in every what-if layer that touches it: an event dated in
//! the past may make a later recorded event impossible (a reduce below zero, a
//! deploy of a unit already deployed), and then the new event is refused. The
//! checks run on a staged copy of the units involved; the ledger changes only
//! once everything has passed, so a refused event or batch changes nothing.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::Hasher;

use chrono::{Datelike, NaiveDate};

use crate::base::{Base, BaseId};
use crate::correction::Correction;
use crate::country::{Alliance, AllianceId, Country, Region, RegionId};
use crate::deployment::{Deployment, Footing, Location};
use crate::error::{Error, Problem, RecordKind, Result};
use crate::event::{Event, EventId, EventKind, Layer, LayerId};
use crate::index::{
    self, CellKey, Cells, Contrib, Contribution, FastHasher, FastMap, Host, Key, Loc, Series, Sum,
};
use crate::metric::{Count, Metric, Quantity};
use crate::scope::{Places, Scope};
use crate::total::Total;
use crate::unit::{Contributor, Unit, UnitId};
use crate::view::View;
use machine::{Fail, State};
use replay::Replay;

/// A force-posture ledger: places, bases, units, what-if layers, and an
/// append-only log of dated change events, indexed for totals at any date.
///
/// Define the places and units first ([`add_region`](Ledger::add_region),
/// [`add_unit`](Ledger::add_unit)…), then record events with
/// [`apply`](Ledger::apply) or [`apply_batch`](Ledger::apply_batch), and ask
/// for totals through [`total`](Ledger::total) or a [`View`].
///
/// # Example
///
/// ```
/// use posture_ledger::*;
///
/// let mut ledger = Ledger::new();
/// let usa = Country::new("USA")?;
/// ledger.add_base(Base::new(BaseId::new("rota")?, "Naval Station Rota", Country::new("ESP")?))?;
/// ledger.add_unit(
///     Unit::new(UnitId::new("ddg")?, "US destroyers at Rota", usa, UnitKind::Ship)
///         .with_metrics([Metric::SHIPS]),
/// )?;
/// let day = |s: &str| s.parse::<chrono::NaiveDate>();
/// ledger.apply(Event::new(EventId::new("four")?, UnitId::new("ddg")?, day("2022-06-01")?,
///     EventKind::Deploy {
///         location: Location::Base(BaseId::new("rota")?),
///         footing: Footing::Permanent,
///         strength: vec![Quantity::new(Metric::SHIPS, Count::new(4))],
///     }))?;
/// ledger.apply(Event::new(EventId::new("six")?, UnitId::new("ddg")?, day("2022-06-29")?,
///     EventKind::Reinforce { metric: Metric::SHIPS, count: Count::new(2) }))?;
///
/// let in_spain = Scope::all().from_country(usa).in_country(Country::new("ESP")?);
/// let change = ledger.compare(&in_spain, &Metric::SHIPS, day("2022-06-28")?, day("2022-06-29")?)?;
/// assert_eq!((change.before().get(), change.after().get()), (Some(4), Some(6)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    regions: Registry<RegionId, Region>,
    alliances: Registry<AllianceId, Alliance>,
    bases: Registry<BaseId, Base>,
    layers: Registry<LayerId, Layer>,
    units: Vec<UnitRecord>,
    unit_ix: FastMap<UnitId, u32>,
    /// Each unit by where its id's text lives: an event that names its unit
    /// by a copy of the ledger's id (as imports do, and as events do once
    /// recorded) is matched without reading or hashing the text.
    unit_by_copy: FastMap<usize, u32>,
    metrics: Vec<Metric>,
    metric_ix: FastMap<Metric, u16>,
    events: Vec<Event>,
    event_ix: EventIndex,
    baseline: Cells,
    layer_cells: Vec<Cells>,
    /// Per region, its members at all dates, sorted: the index sums them.
    lasting: Vec<Vec<Country>>,
    /// Per country, the regions it is a member of at all dates.
    member_of: FastMap<Country, Vec<u32>>,
    /// Every correction, in the order recorded.
    corrections: Vec<Corrected>,
    /// The events a correction replaced or retracted: event → correction.
    superseded: FastMap<u32, u32>,
    /// The events a correction put in place of another: event → correction.
    replacements: FastMap<u32, u32>,
    /// Replacements that keep their event's date also keep its place in the
    /// day: the event whose key that place is → the events put in its place,
    /// in the order recorded (a replacement of a replacement is appended).
    versions: FastMap<u32, Vec<u32>>,
    /// The key such a replacement stands at: its original's.
    standing: FastMap<u32, Key>,
    /// Whether any event gives its figure an end (`valid_until`): totals
    /// then work out the age of each figure they add.
    ends: bool,
    /// The events whose source says what its figures may include, in log
    /// order: what a caveat reads, without reading every event.
    noted: Vec<u32>,
    /// The units an alliance contributes as a whole, in the order added.
    alliance_units: Vec<u32>,
}

/// A correction with the events it concerns.
#[derive(Clone, Debug)]
struct Corrected {
    correction: Correction,
    /// The event it corrects.
    target: u32,
}

/// Records in the order added, found by id.
#[derive(Clone, Debug)]
struct Registry<I, T> {
    items: Vec<T>,
    ix: FastMap<I, u32>,
}

impl<I, T> Default for Registry<I, T> {
    fn default() -> Self {
        Registry {
            items: Vec::new(),
            ix: FastMap::default(),
        }
    }
}

impl<I: std::hash::Hash + Eq, T> Registry<I, T> {
    fn get(&self, id: &I) -> Option<&T> {
        self.ix.get(id).and_then(|&i| self.items.get(i as usize))
    }

    fn position(&self, id: &I) -> Option<u32> {
        self.ix.get(id).copied()
    }

    fn insert(&mut self, id: I, item: T, kind: RecordKind, shown: &str) -> Result<()> {
        if self.ix.contains_key(&id) {
            return Err(Error::InvalidRecord {
                kind,
                id: shown.to_string(),
                field: "id",
                problem: Problem::Duplicate,
            });
        }
        let n = u32::try_from(self.items.len()).map_err(|_| Error::InvalidRecord {
            kind,
            id: shown.to_string(),
            field: "id",
            problem: Problem::LedgerFull,
        })?;
        self.ix.insert(id, n);
        self.items.push(item);
        Ok(())
    }
}

/// Events' positions by id: an open-addressing table of positions, probed
/// linearly, that keeps no copy of the ids (the events have them). A map from
/// ids to positions would hold every id twice, and a large ledger's ids take
/// more room than anything else it derives. Each slot keeps 32 bits of its
/// id's hash beside the position, so a probe reads an event (a cache miss,
/// and another for its id) only when those bits match.
#[derive(Clone, Debug, Default)]
struct EventIndex {
    /// The hash's low half in the high half, the position plus one in the
    /// low half; zero for an empty slot. The length is a power of two, and
    /// at most half the slots are full.
    slots: Vec<u64>,
    len: usize,
}

impl EventIndex {
    /// An index with room for `n` events of `events` without growing.
    fn with_capacity(n: usize) -> Self {
        EventIndex {
            slots: vec![0; (2 * n).next_power_of_two().max(16)],
            len: 0,
        }
    }

    /// Where `id`'s probe starts, and the tag its slot carries.
    fn start(&self, id: &EventId) -> (usize, u64) {
        let mut h = FastHasher::default();
        h.write(id.as_str().as_bytes());
        let hash = h.finish();
        let bits = self.slots.len().trailing_zeros();
        ((hash >> (64 - bits)) as usize, hash << 32)
    }

    /// The position in `events` of the event with `id`.
    fn find(&self, id: &EventId, events: &[Event]) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let (mut i, tag) = self.start(id);
        loop {
            let slot = self.slots[i];
            let seq = (slot as u32).checked_sub(1)?;
            if (slot & !u64::from(u32::MAX)) == tag && events[seq as usize].id() == id {
                return Some(seq);
            }
            i = (i + 1) & mask;
        }
    }

    /// Makes room for `n` events in all without growing, so that a large
    /// batch rehashes what is recorded once rather than at every doubling.
    fn reserve(&mut self, n: usize, events: &[Event]) {
        if 2 * n > self.slots.len() {
            self.regrow(n, events);
        }
    }

    fn regrow(&mut self, n: usize, events: &[Event]) {
        let mut grown = EventIndex::with_capacity(n);
        for &slot in self.slots.iter().filter(|&&s| s != 0) {
            grown.put((slot as u32) - 1, events);
        }
        *self = grown;
    }

    /// Adds `events[seq]`, whose id is not in the index.
    fn insert(&mut self, seq: u32, events: &[Event]) {
        if 2 * (self.len + 1) > self.slots.len() {
            self.regrow(self.len + 1, events);
        }
        self.put(seq, events);
    }

    fn put(&mut self, seq: u32, events: &[Event]) {
        debug_assert!(self.find(events[seq as usize].id(), events).is_none());
        let mask = self.slots.len() - 1;
        let (mut i, tag) = self.start(events[seq as usize].id());
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        // A position is below u32::MAX: plan refuses a ledger that long.
        self.slots[i] = tag | u64::from(seq + 1);
        self.len += 1;
    }
}

/// How many levels of parents a unit may have. Replaying, explaining and
/// checking walk unit trees recursively; the bound keeps a hostile file of
/// thousands of nested units from exhausting the stack.
const MAX_DEPTH: u32 = 64;

/// A unit with everything the ledger derives about it.
#[derive(Clone, Debug)]
struct UnitRecord {
    unit: Unit,
    contributor: Contrib,
    parent: Option<u32>,
    children: Vec<u32>,
    depth: u32,
    timelines: Timelines,
    /// The unit's events a correction has since replaced or retracted, in no
    /// order, for queries as known before the correction. Kept apart from
    /// `timelines`, which a plan copies, so a chain of corrections costs each
    /// link a constant, not the length of the chain.
    retired: Vec<Key>,
    /// The unit's state after its last baseline event.
    end: State,
}

/// A unit's events by position in the log: the baseline's, and each layer's.
#[derive(Clone, Debug, Default)]
struct Timelines {
    baseline: Vec<Key>,
    layers: BTreeMap<u16, Vec<Key>>,
}

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
    /// An empty ledger.
    pub fn new() -> Self {
        Ledger::default()
    }

    // ----- Definitions -------------------------------------------------------

    /// Adds a region.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] for a duplicate id. (A membership period
    /// cannot end before it starts: [`Period`](crate::Period) refuses it.)
    pub fn add_region(&mut self, region: Region) -> Result<()> {
        let id = region.id().clone();
        let shown = id.to_string();
        let mut lasting: Vec<Country> = region
            .members()
            .iter()
            .filter(|m| m.period.from().is_none() && m.period.until().is_none())
            .map(|m| m.country)
            .collect();
        lasting.sort_unstable();
        lasting.dedup();
        self.regions
            .insert(id, region, RecordKind::Region, &shown)?;
        // The registry gave the region the next position.
        let r = (self.regions.items.len() - 1) as u32;
        for &c in &lasting {
            self.member_of.entry(c).or_default().push(r);
        }
        for cells in std::iter::once(&mut self.baseline).chain(&mut self.layer_cells) {
            cells.add_region(r, &lasting);
        }
        self.lasting.push(lasting);
        Ok(())
    }

    /// Adds an alliance.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] for a duplicate id or backwards dates;
    /// [`Error::InvalidId`] for an id that is a country code.
    pub fn add_alliance(&mut self, alliance: Alliance) -> Result<()> {
        alliance.validate()?;
        let id = alliance.id().clone();
        let shown = id.to_string();
        self.alliances
            .insert(id, alliance, RecordKind::Alliance, &shown)
    }

    /// Adds a base.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] for a duplicate id.
    pub fn add_base(&mut self, base: Base) -> Result<()> {
        let id = base.id().clone();
        let shown = id.to_string();
        self.bases.insert(id, base, RecordKind::Base, &shown)
    }

    /// Adds a what-if layer.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] for a duplicate id, or past 65,535 layers.
    pub fn add_layer(&mut self, layer: Layer) -> Result<()> {
        let shown = layer.id.to_string();
        if self.layers.items.len() >= usize::from(u16::MAX) {
            return Err(Error::InvalidRecord {
                kind: RecordKind::Layer,
                id: shown,
                field: "id",
                problem: Problem::LedgerFull,
            });
        }
        self.layers
            .insert(layer.id.clone(), layer, RecordKind::Layer, &shown)?;
        self.layer_cells.push(Cells::default());
        Ok(())
    }

    /// Adds a unit. Its parent, if any, and its contributing alliance, if any,
    /// must be added first.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] for a duplicate id, an unknown parent or
    /// alliance, a parent already 64 levels below its top unit
    /// ([`Problem::TooDeep`]), or no metrics.
    pub fn add_unit(&mut self, unit: Unit) -> Result<()> {
        if self.unit_ix.contains_key(unit.id()) {
            return Err(unit.error("id", Problem::Duplicate));
        }
        let contributor = match unit.contributor() {
            Contributor::Country(c) => Contrib::Country(*c),
            Contributor::Alliance(a) => {
                Contrib::Alliance(self.alliances.position(a).ok_or_else(|| {
                    unit.error("contributor", Problem::unknown(RecordKind::Alliance, a))
                })?)
            }
        };
        let parent = match unit.parent() {
            None => None,
            Some(p) => Some(
                *self
                    .unit_ix
                    .get(p)
                    .ok_or_else(|| unit.error("parent", Problem::unknown(RecordKind::Unit, p)))?,
            ),
        };
        let depth = parent.map_or(0, |p| self.units[p as usize].depth + 1);
        if depth > MAX_DEPTH {
            return Err(unit.error("parent", Problem::TooDeep { limit: MAX_DEPTH }));
        }
        if unit.metrics().is_empty() {
            return Err(unit.error("metrics", Problem::Empty));
        }
        let n =
            u32::try_from(self.units.len()).map_err(|_| unit.error("id", Problem::LedgerFull))?;
        let new_metrics = unit
            .metrics()
            .iter()
            .filter(|m| !self.metric_ix.contains_key(*m))
            .count();
        if self.metrics.len() + new_metrics > usize::from(u16::MAX) {
            return Err(unit.error("metrics", Problem::LedgerFull));
        }
        // Nothing can fail from here on.
        for m in unit.metrics() {
            self.intern_metric(m);
        }
        if let Some(p) = parent {
            self.units[p as usize].children.push(n);
        }
        self.unit_ix.insert(unit.id().clone(), n);
        self.unit_by_copy.insert(unit.id().addr(), n);
        if matches!(contributor, Contrib::Alliance(_)) {
            self.alliance_units.push(n);
        }
        self.units.push(UnitRecord {
            unit,
            contributor,
            parent,
            children: Vec::new(),
            depth,
            timelines: Timelines::default(),
            retired: Vec::new(),
            end: State::default(),
        });
        Ok(())
    }

    fn intern_metric(&mut self, metric: &Metric) {
        if !self.metric_ix.contains_key(metric) {
            // add_unit checked there is room.
            let i = u16::try_from(self.metrics.len()).unwrap_or(u16::MAX);
            self.metrics.push(metric.clone());
            self.metric_ix.insert(metric.clone(), i);
        }
    }

    // ----- Events ------------------------------------------------------------

    /// Records one event.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] naming the event and the field when the event
    /// is invalid on its own (duplicate id, unknown unit, base, region or layer,
    /// a metric its unit is not counted in, a date before the unit was formed)
    /// or against its unit's history (already deployed elsewhere, not deployed,
    /// a strength below zero, a count overflow). The ledger is then unchanged.
    pub fn apply(&mut self, event: Event) -> Result<()> {
        self.apply_batch([event])
    }

    /// Records several events, all or nothing, in the order given.
    ///
    /// # Errors
    ///
    /// As [`apply`](Ledger::apply), for the first event found invalid; no event
    /// of the batch is then recorded.
    pub fn apply_batch(&mut self, events: impl IntoIterator<Item = Event>) -> Result<()> {
        let batch: Vec<Event> = events.into_iter().collect();
        let plan = self.plan(&batch, &[])?;
        self.commit(batch, plan);
        Ok(())
    }

    /// Checks a batch, and the retirement of recorded events (`retire`, their
    /// keys) that corrections replace or retract, and works out every change
    /// they make, without changing anything.
    fn plan(&self, batch: &[Event], retire: &[Key]) -> Result<Plan> {
        let Some(first) = batch.first() else {
            if retire.is_empty() {
                return Ok(Plan::default());
            }
            return self.plan_retirement(batch, retire);
        };
        let base = self.events.len();
        if base
            .checked_add(batch.len())
            .is_none_or(|end| end > u32::MAX as usize)
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
            let (unit, layer) = self.check_event(event)?;
            if self.event_ix.find(event.id(), &self.events).is_some()
                || seen.find(event.id(), batch).is_some()
            {
                return Err(Error::event(event.id(), "id", Problem::Duplicate));
            }
            seen.insert(i as u32, batch);
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
            if layer.is_some() || matches!(self.event_at(batch, key).kind(), EventKind::Pad { .. })
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
    fn plan_units(
        &self,
        batch: &[Event],
        mut list: Vec<NewEvent>,
        retire: &[Key],
        swap: Option<Key>,
    ) -> Result<Plan> {
        let base = self.events.len();
        if let Some(key) = swap {
            let (unit, layer) = self.check_event(self.event_at(&[], key))?;
            list.push((unit, layer, key));
        }
        // A retired event is staged like a new one; its key, below every new
        // key, tells them apart.
        for &key in retire {
            let seq = index::seq(key) as usize;
            let event = self.events.get(seq).ok_or_else(|| Error::Internal {
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
                    .any(|&k| self.event_at(batch, k).kind().depends_on_subunits());
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
            swap: swap.map(|key| (self.version(index::seq(key), None), base as u32)),
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
                    let broken = self.events[fail.seq as usize].id().clone();
                    Error::event(
                        culprit.id(),
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
                match self.event_at(batch, k).kind() {
                    EventKind::Pad { .. } => from = from.min(k),
                    EventKind::Deploy { .. } | EventKind::Withdraw => break,
                    _ => {}
                }
            }
        }
        from
    }

    /// Applies a plan: nothing here can fail.
    fn commit(&mut self, batch: Vec<Event>, mut plan: Plan) {
        let base = self.events.len() as u32;
        self.ends |= batch.iter().any(|e| e.valid_until().is_some());
        self.noted.extend(
            (base..)
                .zip(&batch)
                .filter(|(_, e)| e.source().is_some_and(|s| s.may_include.is_some()))
                .map(|(i, _)| i),
        );
        if self.events.is_empty() {
            // No copy: a first large batch would otherwise be held twice.
            self.events = batch;
        } else {
            self.events.extend(batch);
        }
        match plan.seen.take() {
            // A first batch's own index, by its positions, is the log's.
            Some(seen) if base == 0 => self.event_ix = seen,
            _ => {
                self.event_ix.reserve(self.events.len(), &self.events);
                for seq in base..self.events.len() as u32 {
                    self.event_ix.insert(seq, &self.events);
                }
            }
        }
        // Each event's unit id becomes a copy of its unit's, one allocation
        // shared, instead of one per event.
        // The plan's lists are let go as soon as they are read: the peak of a
        // large batch is reached below, feeding the index.
        for (event, unit) in self.events[base as usize..].iter_mut().zip(plan.owners) {
            let id = self.units[unit as usize].unit.id();
            if !event.unit().shares(id) {
                event.share_unit(id);
            }
        }
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
    fn check_event(&self, event: &Event) -> Result<(u32, Option<u16>)> {
        let id = event.id();
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
            None => *self.unit_ix.get(event.unit()).ok_or_else(|| {
                Error::event(id, "unit", Problem::unknown(RecordKind::Unit, event.unit()))
            })?,
        };
        let record = &self.units[unit as usize];
        let layer = match event.layer() {
            None => None,
            Some(l) => Some(
                self.layers
                    .position(l)
                    .and_then(|p| u16::try_from(p).ok())
                    .ok_or_else(|| {
                        Error::event(id, "layer", Problem::unknown(RecordKind::Layer, l))
                    })?,
            ),
        };
        if let Some(until) = event.valid_until() {
            if until < event.effective() {
                return Err(Error::event(
                    id,
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
                return Err(Error::event(
                    id,
                    "effective",
                    Problem::BeforeFormed {
                        date: event.effective(),
                        formed,
                    },
                ));
            }
        }
        let metric_field = match event.kind() {
            EventKind::Deploy { .. } => "strength",
            _ => "metric",
        };
        // A count beyond what a file can hold would be saved to a file that
        // does not load again.
        let too_large = |c: &&Count| c.in_record_range().is_none();
        let too_large = match event.kind() {
            EventKind::Deploy { strength, .. } => strength
                .iter()
                .map(|q| &q.count)
                .find(too_large)
                .map(|c| ("strength", *c)),
            EventKind::Reinforce { count, .. }
            | EventKind::Reduce { count, .. }
            | EventKind::SetLevel { count, .. } => {
                Some(count).filter(too_large).map(|c| ("count", *c))
            }
            _ => None,
        };
        if let Some((field, count)) = too_large {
            return Err(Error::event(id, field, Problem::CountOutOfRange { count }));
        }
        for (i, metric) in event.kind().metrics().enumerate() {
            if !record.unit.counts(metric) {
                let expected = record
                    .unit
                    .metrics()
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(Error::event(
                    id,
                    metric_field,
                    Problem::MetricMismatch {
                        metric: metric.clone(),
                        expected,
                    },
                ));
            }
            // An event names a few metrics at most: no set needed.
            if event.kind().metrics().take(i).any(|m| m == metric) {
                return Err(Error::event(id, metric_field, Problem::Duplicate));
            }
        }
        match event.kind() {
            EventKind::Deploy { location, .. } => {
                self.loc(location)
                    .map_err(|p| Error::event(id, "location", p))?;
            }
            EventKind::Relocate { to } => {
                self.loc(to).map_err(|p| Error::event(id, "to", p))?;
            }
            EventKind::Scale { factor, .. } if factor.is_sign_negative() && !factor.is_zero() => {
                return Err(Error::event(
                    id,
                    "factor",
                    Problem::NegativeFactor { factor: *factor },
                ));
            }
            _ => {}
        }
        Ok((unit, layer))
    }

    /// Resolves a location's ids.
    fn loc(&self, location: &Location) -> std::result::Result<Loc, Problem> {
        match location {
            Location::Country(c) => Ok(Loc::Country(*c)),
            Location::Base(b) => self
                .bases
                .position(b)
                .map(Loc::Base)
                .ok_or_else(|| Problem::unknown(RecordKind::Base, b)),
            Location::Region(r) => self
                .regions
                .position(r)
                .map(Loc::Region)
                .ok_or_else(|| Problem::unknown(RecordKind::Region, r)),
        }
    }

    /// The public form of a resolved location.
    fn location(&self, loc: Loc) -> Location {
        match loc {
            Loc::Country(c) => Location::Country(c),
            Loc::Base(b) => Location::Base(self.bases.items[b as usize].id().clone()),
            Loc::Region(r) => Location::Region(self.regions.items[r as usize].id().clone()),
        }
    }

    /// The event at a key, whether recorded or in the batch being planned; a
    /// replacement that kept its original's place stands at its key.
    fn event_at<'a>(&'a self, batch: &'a [Event], key: Key) -> &'a Event {
        self.event_numbered(batch, self.version(index::seq(key), None))
    }

    /// The event that stands at event `seq`'s key: itself, or the latest
    /// replacement that kept its place, known by `known_at` if given.
    fn version(&self, seq: u32, known_at: Option<NaiveDate>) -> u32 {
        let Some(chain) = self.versions.get(&seq) else {
            return seq;
        };
        let Some(at) = known_at else {
            return chain.last().copied().unwrap_or(seq);
        };
        // Each replacement corrects the one before it, so one not yet known
        // hides those after it too.
        chain
            .iter()
            .take_while(|&&next| {
                self.replacements
                    .get(&next)
                    .and_then(|&c| self.corrections.get(c as usize))
                    .is_some_and(|c| c.correction.recorded() <= at)
            })
            .last()
            .copied()
            .unwrap_or(seq)
    }

    /// Event number `seq`, recorded or in the batch being planned.
    fn event_numbered<'a>(&'a self, batch: &'a [Event], seq: u32) -> &'a Event {
        let seq = seq as usize;
        self.events
            .get(seq)
            .or_else(|| batch.get(seq - self.events.len()))
            .unwrap_or_else(|| unreachable!("a key names a recorded or staged event"))
    }

    // ----- Reading -----------------------------------------------------------

    /// A view of the baseline, to query.
    pub fn view(&self) -> View<'_> {
        View::new(self, Lens::default())
    }

    /// A view of the baseline with the what-if `layer` applied on top.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] when the ledger has no such layer.
    pub fn with_layer(&self, layer: &LayerId) -> Result<View<'_>> {
        let ix = self
            .layers
            .position(layer)
            .and_then(|p| u16::try_from(p).ok())
            .ok_or_else(|| Error::unknown(RecordKind::Layer, layer))?;
        Ok(View::new(
            self,
            Lens {
                layer: Some(ix),
                known_at: None,
                max_age: None,
            },
        ))
    }

    /// The total of `metric` in `scope` at the end of `date`, in the baseline:
    /// [`Total::NO_RECORD`] where nothing recorded covers it. See [`View::total`].
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] when the scope or metric names something the ledger
    /// does not know; [`Error::TotalOverflow`] when the total exceeds a [`Count`].
    pub fn total(&self, scope: &Scope, metric: &Metric, date: NaiveDate) -> Result<Total> {
        self.view().total(scope, metric, date)
    }

    /// The totals at the end of `from` and of `to`, in the baseline.
    ///
    /// # Errors
    ///
    /// As [`total`](Ledger::total).
    pub fn compare(
        &self,
        scope: &Scope,
        metric: &Metric,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<crate::Comparison> {
        self.view().compare(scope, metric, from, to)
    }

    /// The totals just before and just after `event`, in the event's own layer.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown event; otherwise as [`total`](Ledger::total).
    pub fn across(
        &self,
        event: &EventId,
        scope: &Scope,
        metric: &Metric,
    ) -> Result<crate::Comparison> {
        self.view_of(event)?.across(event, scope, metric)
    }

    /// The deployment of `event`'s unit just before and just after the event,
    /// in the event's own layer.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown event.
    pub fn deployment_across(
        &self,
        event: &EventId,
    ) -> Result<(Option<Deployment>, Option<Deployment>)> {
        self.view_of(event)?.deployment_across(event)
    }

    /// The view that shows `event`: the baseline, or the event's layer.
    fn view_of(&self, event: &EventId) -> Result<View<'_>> {
        let e = self
            .event(event)
            .ok_or_else(|| Error::unknown(RecordKind::Event, event))?;
        match e.layer() {
            None => Ok(self.view()),
            Some(l) => self.with_layer(l),
        }
    }

    /// The baseline total (before) against the total with `layer` applied
    /// (after), both at the end of `date`.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown layer; otherwise as [`total`](Ledger::total).
    pub fn what_if(
        &self,
        layer: &LayerId,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
    ) -> Result<crate::Comparison> {
        let before = self.total(scope, metric, date)?;
        let after = self.with_layer(layer)?.total(scope, metric, date)?;
        Ok(crate::Comparison::new(metric.clone(), before, after))
    }

    /// Where `unit` stands at the end of `date` in the baseline, or `None` when it is not deployed.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown unit.
    pub fn deployment(&self, unit: &UnitId, date: NaiveDate) -> Result<Option<Deployment>> {
        self.view().deployment(unit, date)
    }

    /// Whether any unit is counted in `metric`: the metrics the ledger knows
    /// are exactly those of its units.
    pub(crate) fn counts_metric(&self, metric: &Metric) -> bool {
        self.metric_ix.contains_key(metric)
    }

    /// Every metric the ledger counts: those its units are counted in.
    pub(crate) fn metrics(&self) -> &[Metric] {
        &self.metrics
    }

    /// Every event, in the order recorded.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// An event by id.
    pub fn event(&self, id: &EventId) -> Option<&Event> {
        self.event_ix
            .find(id, &self.events)
            .map(|i| &self.events[i as usize])
    }

    /// A unit by id.
    pub fn unit(&self, id: &UnitId) -> Option<&Unit> {
        self.unit_ix.get(id).map(|&i| &self.units[i as usize].unit)
    }

    /// Every unit, in the order added.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.units.iter().map(|r| &r.unit)
    }

    /// A base by id.
    pub fn base(&self, id: &BaseId) -> Option<&Base> {
        self.bases.get(id)
    }

    /// Every base, in the order added.
    pub fn bases(&self) -> &[Base] {
        &self.bases.items
    }

    /// A region by id.
    pub fn region(&self, id: &RegionId) -> Option<&Region> {
        self.regions.get(id)
    }

    /// Every region, in the order added.
    pub fn regions(&self) -> &[Region] {
        &self.regions.items
    }

    /// An alliance by id.
    pub fn alliance(&self, id: &AllianceId) -> Option<&Alliance> {
        self.alliances.get(id)
    }

    /// Every alliance, in the order added.
    pub fn alliances(&self) -> &[Alliance] {
        &self.alliances.items
    }

    /// Every what-if layer, in the order added.
    pub fn layers(&self) -> &[Layer] {
        &self.layers.items
    }

    // ----- Queries, for View --------------------------------------------------

    /// Whether the event at a key numbered `seq` counts in `layer`'s view as
    /// known on `at`: known by then, and what stands at the key then (the
    /// event, or a replacement that kept its place) not yet corrected then.
    fn known_then(&self, seq: u32, layer: Option<u16>, at: NaiveDate) -> bool {
        let Some(event) = self.events.get(seq as usize) else {
            return false;
        };
        let in_view = match event.layer() {
            None => true,
            Some(l) => layer.and_then(|x| self.layer_id(x)) == Some(l),
        };
        let shown = self.version(seq, Some(at));
        let corrected_by_then = self
            .superseded
            .get(&shown)
            .and_then(|&c| self.corrections.get(c as usize))
            .is_some_and(|c| c.correction.recorded() <= at);
        in_view && event.known().is_none_or(|k| k <= at) && !corrected_by_then
    }

    pub(crate) fn event_key(&self, id: &EventId) -> Option<(Key, Option<&LayerId>)> {
        let seq = self.event_ix.find(id, &self.events)?;
        let e = &self.events[seq as usize];
        Some((self.key_of(seq), e.layer()))
    }

    /// Where event `seq` stands in its unit's timeline.
    fn key_of(&self, seq: u32) -> Key {
        match self.standing.get(&seq) {
            Some(&key) => key,
            None => index::key(days(self.events[seq as usize].effective()), seq),
        }
    }

    pub(crate) fn layer_id(&self, layer: u16) -> Option<&LayerId> {
        self.layers.items.get(usize::from(layer)).map(|l| &l.id)
    }

    /// The total of `metric` in `scope` at `key`, judged with memberships on `date`.
    pub(crate) fn total_at(
        &self,
        scope: &Scope,
        metric: &Metric,
        key: Key,
        date: NaiveDate,
        lens: Lens,
    ) -> Result<Total> {
        let layer = lens.layer;
        let m = *self
            .metric_ix
            .get(metric)
            .ok_or_else(|| Error::unknown(RecordKind::Metric, metric))?;
        let filter = self.filter(scope, date)?;
        // The newest observation of each cell that adds something: how old
        // the figures are that the total adds up. Only where a figure can be
        // stale: a maximum age, or a figure given an end.
        let ages = lens.max_age.is_some() || self.ends;
        let mut cells: FastMap<CellKey, (i128, Option<Key>)> = FastMap::default();
        let (total, coverage) = if filter.units.is_some() || lens.known_at.is_some() {
            let (mut total, mut seen, mut newest): (i128, i64, Option<Key>) = (0, 0, None);
            self.replayed(&filter, m, lens, key, date, |c| {
                total += c.delta.get();
                seen += i64::from(c.seen);
                newest = newest.max(Some(c.key));
                if ages {
                    let cell = cells.entry(c.cell).or_insert((0, None));
                    *cell = (cell.0 + c.delta.get(), cell.1.max(Some(c.key)));
                }
            })?;
            (total, index::Coverage { seen, newest })
        } else {
            if ages {
                // A cell's baseline and its layer's difference are read
                // together: a layer that moves a unit out of a cell takes
                // the baseline's later observations there away.
                let mut parts: FastMap<CellKey, Vec<&Series>> = FastMap::default();
                self.each_cell(&filter, m, layer, date, |_, cell, series| {
                    parts.entry(*cell).or_default().push(series);
                });
                for (cell, series) in parts {
                    let (total, coverage) = index::Coverage::with_total(&series, key);
                    cells.insert(cell, (total, coverage.newest));
                }
            }
            let mut parts = Vec::new();
            self.parts(&filter, m, layer, date, |series| parts.push(series));
            index::Coverage::with_total(&parts, key)
        };
        let mut figures: Vec<Key> = cells
            .values()
            .filter(|(n, _)| *n != 0)
            .filter_map(|&(_, k)| k)
            .collect();
        debug_assert!(total >= 0, "a total is never negative");
        let count = u64::try_from(total)
            .map(Count::new)
            .map_err(|_| Error::TotalOverflow {
                metric: metric.clone(),
            })?;
        Ok(match coverage.newest {
            Some(newest) if coverage.seen > 0 => {
                // A total of 0 is as old as its newest observation.
                if figures.is_empty() {
                    figures.push(newest);
                }
                let oldest = figures.iter().copied().min().unwrap_or(newest);
                // The first day a figure it adds stops holding, if its
                // source gave one.
                let until = figures
                    .iter()
                    .filter_map(|&k| {
                        self.events
                            .get(self.version(index::seq(k), lens.known_at) as usize)
                            .and_then(Event::valid_until)
                    })
                    .min();
                Total::recorded(count, date_of(newest))
                    .oldest(date_of(oldest))
                    .holding_until(until)
                    .aged(date, lens.max_age)
            }
            _ => {
                debug_assert_eq!(total, 0, "a total without a record is 0");
                Total::NO_RECORD
            }
        })
    }

    /// Replays the units the filter may count, as `lens` sees them, up to
    /// `key`, passing each change they make to a cell the filter matches in
    /// metric `m` to `each`: what a unit filter or a date of knowledge needs,
    /// since the cells mix units and hold what is known now.
    fn replayed(
        &self,
        filter: &Filter<'_>,
        m: u16,
        lens: Lens,
        key: Key,
        date: NaiveDate,
        mut each: impl FnMut(&Contribution),
    ) -> Result<()> {
        let replay = Replay::recorded(self, lens.known_at);
        let all: Vec<u32>;
        let units: &mut dyn Iterator<Item = u32> = match &filter.units {
            Some(units) => &mut units.iter().copied(),
            None => {
                all = (0..self.units.len() as u32).collect();
                &mut all.iter().copied()
            }
        };
        let mut changes = Vec::new();
        for u in units {
            changes.clear();
            let timeline = replay.timeline(u, lens.layer);
            replay
                .run(
                    (u, lens.layer),
                    &timeline,
                    0,
                    State::default(),
                    key,
                    Some(&mut changes),
                )
                .map_err(|f| internal(&f.problem))?;
            for c in &changes {
                if c.cell.metric == m && filter.matches(self, &c.cell, date) {
                    each(c);
                }
            }
        }
        Ok(())
    }

    /// Whether the ledger, in `layer`'s view, holds `metric` at any date on
    /// one of `footings` in units of one of `kinds`, from `contributor` if
    /// given: where a caveat says such forces are recorded elsewhere.
    pub(crate) fn ever_holds(
        &self,
        metric: &Metric,
        layer: Option<u16>,
        contributor: Option<Country>,
        footings: &[Footing],
        kinds: &[crate::unit::UnitKind],
    ) -> bool {
        let Some(&m) = self.metric_ix.get(metric) else {
            return false;
        };
        let contributor = contributor.map(Contrib::Country);
        let layer_cells = layer.and_then(|l| self.layer_cells.get(usize::from(l)));
        std::iter::once(&self.baseline)
            .chain(layer_cells)
            .any(|cells| {
                footings
                    .iter()
                    .any(|&f| kinds.iter().any(|&k| cells.holds(m, contributor, f, k)))
            })
    }

    /// The countries that contribute anything the cells hold, in `layer`'s
    /// view.
    pub(crate) fn contributor_countries(&self, layer: Option<u16>) -> BTreeSet<Country> {
        let layer_cells = layer.and_then(|l| self.layer_cells.get(usize::from(l)));
        std::iter::once(&self.baseline)
            .chain(layer_cells)
            .flat_map(|cells| cells.contributors())
            .filter_map(|c| match c {
                Contrib::Country(c) => Some(c),
                Contrib::Alliance(_) => None,
            })
            .collect()
    }

    /// The events whose source says what its figures may include.
    pub(crate) fn noted_events(&self) -> impl Iterator<Item = &Event> {
        self.noted
            .iter()
            .filter_map(|&i| self.events.get(i as usize))
    }

    /// The units an alliance contributes as a whole.
    pub(crate) fn alliance_units(&self) -> impl Iterator<Item = &Unit> {
        self.alliance_units
            .iter()
            .filter_map(|&u| self.units.get(u as usize))
            .map(|r| &r.unit)
    }

    /// The date of the first record of `metric` in `scope`, with memberships
    /// as on `date`, as `lens` sees it: where the ledger's records there
    /// begin, if they ever do.
    ///
    /// # Errors
    ///
    /// As [`total_at`](Ledger::total_at), but for the overflow of a total.
    pub(crate) fn first_record(
        &self,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
        lens: Lens,
    ) -> Result<Option<NaiveDate>> {
        let m = *self
            .metric_ix
            .get(metric)
            .ok_or_else(|| Error::unknown(RecordKind::Metric, metric))?;
        let filter = self.filter(scope, date)?;
        let first = if filter.units.is_some() || lens.known_at.is_some() {
            let mut first: Option<Key> = None;
            self.replayed(&filter, m, lens, Key::MAX, date, |c| {
                first = Some(first.map_or(c.key, |f| f.min(c.key)));
            })?;
            first
        } else {
            let mut parts = Vec::new();
            self.parts(&filter, m, lens.layer, date, |series| parts.push(series));
            match (parts.as_slice(), lens.layer) {
                ([one], _) => one.first_seen(),
                // Every step of a baseline series is an observation.
                (_, None) => parts.iter().filter_map(|s| s.first_seen()).min(),
                // A layer's differences may take a baseline observation away:
                // only the sum tells where observations remain.
                (_, Some(_)) => Series::sum(parts).first_seen(),
            }
        };
        Ok(first.map(date_of))
    }

    /// What the ledger records in `scope` in `metric` on `date`, in `lens`'s
    /// view, cell by cell: the contributors, footings and kinds of the cells
    /// with a record then. One pass over the scope's cells, for a caveat
    /// that would otherwise ask a total of each contributor, footing and
    /// kind in turn. `None` where the total is replayed (a unit filter, a
    /// date of knowledge): ask the totals then.
    ///
    /// # Errors
    ///
    /// As [`total_at`](Ledger::total_at), but for the overflow of a total.
    pub(crate) fn recorded_shapes(
        &self,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
        lens: Lens,
    ) -> Result<Option<BTreeSet<(Contributor, Footing, crate::unit::UnitKind)>>> {
        let Some(&m) = self.metric_ix.get(metric) else {
            return Ok(Some(BTreeSet::new()));
        };
        let filter = self.filter(scope, date)?;
        if filter.units.is_some() || lens.known_at.is_some() {
            return Ok(None);
        }
        let key = end_of(date);
        let mut out = BTreeSet::new();
        self.each_cell(&filter, m, lens.layer, date, |baseline, cell, series| {
            // A baseline's every step is an observation: its first key says
            // whether it records anything by `key`.
            let records = match baseline {
                true => series.baseline_records_at(key),
                false => series.seen_at(key) > 0,
            };
            if !records {
                return;
            }
            let contributor = match cell.contributor {
                Contrib::Country(c) => Some(Contributor::Country(c)),
                Contrib::Alliance(a) => self
                    .alliances
                    .items
                    .get(a as usize)
                    .map(|x| Contributor::Alliance(x.id().clone())),
            };
            if let Some(contributor) = contributor {
                out.insert((contributor, cell.footing, cell.kind));
            }
        });
        Ok(Some(out))
    }

    /// Every cell the filter matches in metric `m`, in the baseline and in
    /// `layer`'s differences, each passed to `each` with whether it is the
    /// baseline's: the cells of the filter's hosts, contributors or both,
    /// never the sums.
    fn each_cell<'c>(
        &'c self,
        filter: &Filter<'_>,
        m: u16,
        layer: Option<u16>,
        date: NaiveDate,
        mut each: impl FnMut(bool, &'c CellKey, &'c Series),
    ) {
        let layer_cells = layer.and_then(|l| self.layer_cells.get(usize::from(l)));
        for (i, cells) in std::iter::once(&self.baseline)
            .chain(layer_cells)
            .enumerate()
        {
            let mut each = |cell: &'c CellKey, series: &'c Series| {
                if cell.metric == m && filter.matches(self, cell, date) {
                    each(i == 0, cell, series);
                }
            };
            match (&filter.hosts, &filter.contributors) {
                (Some(hosts), Some(_)) => {
                    for host in self.hosts_within(cells, hosts, date) {
                        for contributor in filter.contributor_ids() {
                            cells
                                .of_pair(host, contributor)
                                .for_each(|(c, s)| each(c, s));
                        }
                    }
                }
                (Some(hosts), None) => {
                    for host in self.hosts_within(cells, hosts, date) {
                        cells.of_host(host).for_each(|(c, s)| each(c, s));
                    }
                }
                (None, Some(_)) => {
                    for contributor in filter.contributor_ids() {
                        cells
                            .of_contributor(contributor)
                            .for_each(|(c, s)| each(c, s));
                    }
                }
                (None, None) => cells.iter().for_each(|(c, s)| each(c, s)),
            }
        }
    }

    /// The series whose sum is the filter's total in metric `m`, in `layer`'s
    /// view, each passed to `each`: the hosts' or a region's sums where the
    /// filter is on hosts alone, else the matching cells.
    fn parts<'c>(
        &'c self,
        filter: &Filter<'_>,
        m: u16,
        layer: Option<u16>,
        date: NaiveDate,
        mut each: impl FnMut(&'c Series),
    ) {
        let layer_cells = layer.and_then(|l| self.layer_cells.get(usize::from(l)));
        for cells in std::iter::once(&self.baseline).chain(layer_cells) {
            let mut sum = |s: Sum| {
                if let Some(series) = cells.sum(s, m) {
                    each(series);
                }
            };
            match &filter.hosts {
                // One region alone: the sum of its lasting members, the
                // members of the day, and the regional figures within.
                Some(hosts) if filter.hosts_only() && filter.region.is_some() => {
                    let r = filter.region.unwrap_or_default();
                    let lasting = &self.lasting[r as usize];
                    sum(Sum::Members(r));
                    for host in self.hosts_within(cells, hosts, date) {
                        if !matches!(host, Host::Country(c) if lasting.binary_search(&c).is_ok()) {
                            sum(Sum::Host(host));
                        }
                    }
                }
                // Hosts alone: each host's total, without reading its cells.
                Some(hosts) if filter.hosts_only() => {
                    for host in self.hosts_within(cells, hosts, date) {
                        sum(Sum::Host(host));
                    }
                }
                // Hosts, contributors and maybe more: only their cells.
                Some(hosts) if filter.contributors.is_some() => {
                    for host in self.hosts_within(cells, hosts, date) {
                        for contributor in filter.contributor_ids() {
                            for (cell, series) in cells.of_pair(host, contributor) {
                                if cell.metric == m && filter.matches(self, cell, date) {
                                    each(series);
                                }
                            }
                        }
                    }
                }
                // Hosts and more: only the hosts' cells.
                Some(hosts) => {
                    for host in self.hosts_within(cells, hosts, date) {
                        for (cell, series) in cells.of_host(host) {
                            if cell.metric == m && filter.matches(self, cell, date) {
                                each(series);
                            }
                        }
                    }
                }
                // Contributors alone: each contributor's total.
                None if filter.contributors_only() => {
                    for contributor in filter.contributor_ids() {
                        sum(Sum::Contributor(contributor));
                    }
                }
                // Contributors and more, but no hosts: only the contributors' cells.
                None => match &filter.contributors {
                    Some(_) => {
                        for contributor in filter.contributor_ids() {
                            for (cell, series) in cells.of_contributor(contributor) {
                                if cell.metric == m && filter.matches(self, cell, date) {
                                    each(series);
                                }
                            }
                        }
                    }
                    None => {
                        for (cell, series) in cells.iter() {
                            if cell.metric == m && filter.matches(self, cell, date) {
                                each(series);
                            }
                        }
                    }
                },
            }
        }
    }

    /// The total of `metric` in `scope` through time, as one step function,
    /// with memberships as on `date` (and on every day until the next of the
    /// scope's [`membership_changes`](Ledger::membership_changes)). `None` when
    /// the total must be replayed instead: a unit filter, or a date of
    /// knowledge.
    ///
    /// # Errors
    ///
    /// As [`total_at`](Ledger::total_at), but for the overflow of a total,
    /// which the caller meets when it reads one.
    pub(crate) fn track(
        &self,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
        lens: Lens,
    ) -> Result<Option<Cow<'_, Series>>> {
        let m = *self
            .metric_ix
            .get(metric)
            .ok_or_else(|| Error::unknown(RecordKind::Metric, metric))?;
        let filter = self.filter(scope, date)?;
        if filter.units.is_some() || lens.known_at.is_some() {
            return Ok(None);
        }
        let mut parts = Vec::new();
        self.parts(&filter, m, lens.layer, date, |series| parts.push(series));
        Ok(Some(match parts.as_slice() {
            [one] => Cow::Borrowed(*one),
            _ => Cow::Owned(Series::sum(parts)),
        }))
    }

    /// Checks that `scope` and `metric` name what the ledger knows, as on
    /// `date`, without computing a total.
    ///
    /// # Errors
    ///
    /// As [`total_at`](Ledger::total_at), but for the overflow of a total.
    pub(crate) fn resolve(&self, scope: &Scope, metric: &Metric, date: NaiveDate) -> Result<()> {
        if !self.metric_ix.contains_key(metric) {
            return Err(Error::unknown(RecordKind::Metric, metric));
        }
        self.filter(scope, date).map(|_| ())
    }

    /// The days on which what `scope` stands for may change, sorted: the
    /// membership changes of the regions and alliances it names and, when it
    /// filters on hosts, of every region (a regional figure counts where its
    /// members on the day are all hosts). Between two of them, the scope
    /// resolves to the same countries and regional figures.
    pub(crate) fn membership_changes(&self, scope: &Scope) -> Vec<NaiveDate> {
        let places = || [scope.hosts(), scope.contributors()].into_iter().flatten();
        let all_regions = scope.hosts().is_some();
        let regions = self
            .regions
            .items
            .iter()
            .filter(|r| all_regions || places().any(|p| p.regions.contains(r.id())))
            .flat_map(|r| r.members())
            .flat_map(|m| [m.period.from(), m.period.until().and_then(|u| u.succ_opt())]);
        let alliances = self
            .alliances
            .items
            .iter()
            .filter(|a| places().any(|p| p.alliances.contains(a.id())))
            .flat_map(|a| a.records())
            .flat_map(|m| [m.joined(), m.left()]);
        let mut days: Vec<NaiveDate> = regions.chain(alliances).flatten().collect();
        days.sort_unstable();
        days.dedup();
        days
    }

    /// The event that stands at `key` in the recorded log, as corrected.
    pub(crate) fn event_at_key(&self, key: Key) -> Option<&Event> {
        self.events
            .get(self.version(index::seq(key), None) as usize)
    }

    /// The hosts of `cells` that lie within `countries` on `date`: each
    /// country, and each region with figures whose every member on the date
    /// is one of them.
    fn hosts_within<'c>(
        &'c self,
        cells: &'c Cells,
        countries: &'c [Country],
        date: NaiveDate,
    ) -> impl Iterator<Item = Host> + 'c {
        let regions = cells
            .regions()
            .iter()
            .copied()
            .filter(move |&r| region_within(&self.regions.items[r as usize], countries, date));
        countries
            .iter()
            .map(|&c| Host::Country(c))
            .chain(regions.map(Host::Region))
    }

    /// A unit's deployment at `key`.
    pub(crate) fn deployment_at(
        &self,
        unit: &UnitId,
        key: Key,
        lens: Lens,
    ) -> Result<Option<Deployment>> {
        let u = *self
            .unit_ix
            .get(unit)
            .ok_or_else(|| Error::unknown(RecordKind::Unit, unit))?;
        let replay = Replay::recorded(self, lens.known_at);
        let state = replay
            .state_at(u, lens.layer, key)
            .map_err(|f| internal(&f.problem))?;
        Ok(state.placed.map(|p| Deployment {
            location: self.location(p.loc),
            footing: p.footing,
            strength: state
                .own
                .iter()
                .map(|&(m, n)| Quantity::new(self.metrics[usize::from(m)].clone(), Count::new(n)))
                .collect(),
        }))
    }

    /// Resolves a scope's ids and memberships on `date`.
    fn filter<'s>(&self, scope: &'s Scope, date: NaiveDate) -> Result<Filter<'s>> {
        let hosts = scope.hosts().map(|p| self.countries(p, date)).transpose()?;
        let contributors = match scope.contributors() {
            None => None,
            Some(p) => {
                let alliances = p
                    .alliances
                    .iter()
                    .map(|a| {
                        self.alliances
                            .position(a)
                            .ok_or_else(|| Error::unknown(RecordKind::Alliance, a))
                    })
                    .collect::<Result<Vec<u32>>>()?;
                Some((self.countries(p, date)?, alliances))
            }
        };
        let bases = scope
            .bases()
            .map(|set| {
                set.iter()
                    .map(|b| {
                        self.bases
                            .position(b)
                            .ok_or_else(|| Error::unknown(RecordKind::Base, b))
                    })
                    .collect::<Result<HashSet<u32>>>()
            })
            .transpose()?;
        let units = match scope.units() {
            None => None,
            Some(set) => {
                let mut all = BTreeSet::new();
                for id in set {
                    let u = *self
                        .unit_ix
                        .get(id)
                        .ok_or_else(|| Error::unknown(RecordKind::Unit, id))?;
                    self.subtree(u, &mut all);
                }
                Some(all)
            }
        };
        let region = scope
            .hosts()
            .filter(|p| p.countries.is_empty() && p.alliances.is_empty() && p.regions.len() == 1)
            .and_then(|p| p.regions.first())
            .and_then(|r| self.regions.position(r));
        Ok(Filter {
            hosts,
            region,
            contributors,
            bases,
            footings: scope.footings(),
            kinds: scope.kinds(),
            units,
        })
    }

    fn subtree(&self, unit: u32, out: &mut BTreeSet<u32>) {
        if out.insert(unit) {
            for &c in &self.units[unit as usize].children {
                self.subtree(c, out);
            }
        }
    }

    /// The countries a set of places stands for on `date`, sorted, each once.
    pub(crate) fn countries(&self, places: &Places, date: NaiveDate) -> Result<Vec<Country>> {
        let mut out: Vec<Country> = places.countries.iter().copied().collect();
        for r in &places.regions {
            let region = self
                .regions
                .get(r)
                .ok_or_else(|| Error::unknown(RecordKind::Region, r))?;
            out.extend(region.members_on(date));
        }
        for a in &places.alliances {
            let alliance = self
                .alliances
                .get(a)
                .ok_or_else(|| Error::unknown(RecordKind::Alliance, a))?;
            out.extend(alliance.members_on(date));
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

/// Where a location is, for the index: a country or base's host country, or a region.
fn host_of(bases: &[Base], loc: Loc) -> Host {
    match loc {
        Loc::Country(c) => Host::Country(c),
        Loc::Base(b) => Host::Country(bases[b as usize].host()),
        Loc::Region(r) => Host::Region(r),
    }
}

/// Whether a regional figure lies within `countries` (sorted) on `date`: the
/// region has members then, and each is one of them.
fn region_within(region: &Region, countries: &[Country], date: NaiveDate) -> bool {
    let mut members = region.members_on(date).peekable();
    members.peek().is_some() && members.all(|c| countries.binary_search(&c).is_ok())
}

/// Replaying what is already recorded cannot fail, since it passed when
/// recorded; if it does, the ledger is broken, and saying so beats a panic.
fn internal(error: &dyn std::fmt::Display) -> Error {
    debug_assert!(false, "replaying recorded history failed: {error}");
    Error::Internal {
        detail: format!("replaying recorded history failed: {error}"),
    }
}

/// Days since the common era, the index's day number.
fn days(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// The date of a key's day.
pub(crate) fn date_of(key: Key) -> NaiveDate {
    let date = NaiveDate::from_num_days_from_ce_opt(index::day(key));
    // Every key the index holds was made from a date.
    debug_assert!(date.is_some(), "key {key:#x} has no date");
    date.unwrap_or(NaiveDate::MAX)
}

/// The index's key for the end of `date`.
pub(crate) fn end_of(date: NaiveDate) -> Key {
    index::end_of_day(days(date))
}

/// What a query sees: a what-if layer or none, and a date of knowledge or none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Lens {
    pub layer: Option<u16>,
    pub known_at: Option<NaiveDate>,
    /// Days after which a figure is stale.
    pub max_age: Option<u32>,
}

/// Everything a batch changes, worked out before anything is changed.
#[derive(Default)]
struct Plan {
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

/// A scope with its ids resolved and its memberships taken on one date.
struct Filter<'s> {
    /// Sorted.
    hosts: Option<Vec<Country>>,
    /// The region, when the host filter is one region.
    region: Option<u32>,
    /// Countries sorted, and alliances.
    contributors: Option<(Vec<Country>, Vec<u32>)>,
    bases: Option<HashSet<u32>>,
    footings: Option<&'s BTreeSet<Footing>>,
    kinds: Option<&'s BTreeSet<crate::UnitKind>>,
    units: Option<BTreeSet<u32>>,
}

impl Filter<'_> {
    /// The contributors the filter names, countries and alliances; none
    /// without a contributor filter.
    fn contributor_ids(&self) -> impl Iterator<Item = Contrib> + '_ {
        self.contributors.iter().flat_map(|(countries, alliances)| {
            countries
                .iter()
                .map(|&c| Contrib::Country(c))
                .chain(alliances.iter().map(|&a| Contrib::Alliance(a)))
        })
    }

    /// Whether the scope filters on contributors and nothing else.
    fn contributors_only(&self) -> bool {
        self.contributors.is_some()
            && self.hosts.is_none()
            && self.bases.is_none()
            && self.footings.is_none()
            && self.kinds.is_none()
            && self.units.is_none()
    }

    /// Whether the scope filters on hosts and nothing else.
    fn hosts_only(&self) -> bool {
        self.hosts.is_some()
            && self.contributors.is_none()
            && self.bases.is_none()
            && self.footings.is_none()
            && self.kinds.is_none()
            && self.units.is_none()
    }

    fn matches(&self, ledger: &Ledger, cell: &CellKey, date: NaiveDate) -> bool {
        if self.footings.is_some_and(|f| !f.contains(&cell.footing))
            || self.kinds.is_some_and(|k| !k.contains(&cell.kind))
        {
            return false;
        }
        if let Some(bases) = &self.bases {
            if !matches!(cell.loc, Loc::Base(b) if bases.contains(&b)) {
                return false;
            }
        }
        if let Some(hosts) = &self.hosts {
            let inside = match host_of(&ledger.bases.items, cell.loc) {
                Host::Country(c) => hosts.binary_search(&c).is_ok(),
                Host::Region(r) => region_within(&ledger.regions.items[r as usize], hosts, date),
            };
            if !inside {
                return false;
            }
        }
        if let Some((countries, alliances)) = &self.contributors {
            let from = match cell.contributor {
                Contrib::Country(c) => countries.binary_search(&c).is_ok(),
                Contrib::Alliance(a) => alliances.contains(&a),
            };
            if !from {
                return false;
            }
        }
        true
    }
}

mod extend;
mod history;
mod machine;
mod replay;

#[cfg(test)]
mod tests;
