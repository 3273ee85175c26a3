//! The log: every event in the order recorded, found by id, and the
//! corrections that replaced or retracted some of them. Storage only: what
//! an event means is the state machine's, and where it counts the index's.

use std::hash::Hasher;

use chrono::{Datelike, NaiveDate};

use rust_decimal::Decimal;

use super::events::{EventRef, Events, KindRef, Strength};
use crate::correction::Correction;
use crate::deployment::{Footing, Location};
use crate::event::{Event, EventId, EventKind, LayerId, Parts, Source};
use crate::hash::{FastHasher, FastMap};
use crate::index::{self, Key};
use crate::metric::{Count, Metric, Quantity};
use crate::unit::UnitId;

/// The events, their index by id, and their corrections.
///
/// The events are kept in columns, one entry per event in each: what every
/// event has (unit, date, kind, the kind's metric, count and place) as
/// numbers, the ids in one string, and what few events have (dates beyond
/// the effective one, a layer, a source, a scale's factor, a deploy's
/// strength of other than one quantity) in side tables. An `Event` as
/// given holds its id, its extras and its source in allocations of their
/// own, and is three times the size of an event's columns.
#[derive(Clone, Debug, Default)]
pub(super) struct Log {
    rows: Rows,
    index: EventIndex,
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
}

/// The events' columns, and the tables their numbers point into.
#[derive(Clone, Debug, Default)]
struct Rows {
    /// The ledger's number of each event's unit.
    unit: Vec<u32>,
    /// The effective date, in days since the common era.
    day: Vec<i32>,
    code: Vec<Code>,
    /// A deploy's or a change of footing's footing; `Permanent` for others.
    footing: Vec<Footing>,
    /// The number in `metrics` of the metric an event names, or of a
    /// deploy's one quantity; 0 for others.
    metric: Vec<u16>,
    /// A deploy's or a relocation's place, numbered in `places`; a scale's
    /// factor, numbered in `factors`; 0 for others.
    place: Vec<u32>,
    /// The count of a change or a level, or of a deploy's one quantity; a
    /// deploy's list of quantities, as its start in `quantities` (low half)
    /// and length (high half); 0 for others.
    count: Vec<u64>,
    /// The event's entry in `rare_rows`, or `NONE`.
    rare: Vec<u32>,
    /// The event's entry in `sources`, or `NONE`: kept apart from the rare
    /// fields, since a table's import gives every event a source.
    source: Vec<u32>,
    /// Where each id ends in `ids`; it starts where the one before ends.
    id_end: Vec<u32>,
    ids: String,
    metrics: Vec<Metric>,
    metric_ix: FastMap<Metric, u16>,
    places: Vec<Location>,
    place_ix: FastMap<Location, u32>,
    factors: Vec<Decimal>,
    quantities: Vec<Quantity>,
    rare_rows: Vec<Rare>,
    /// Each in the allocation it was given in, which a batch's event
    /// hands over: copying them out would hold each twice at the peak.
    #[allow(clippy::vec_box)]
    sources: Vec<Box<Source>>,
    /// Each unit's id by the ledger's number, for the units with events.
    unit_ids: Vec<Option<UnitId>>,
}

/// No entry in a side table.
const NONE: u32 = u32::MAX;

/// An event's kind, with a deploy's strength told apart by how it is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Code {
    /// A deploy of one quantity, kept in the columns.
    DeployOne,
    /// A deploy of none or several, kept in `quantities`.
    DeployList,
    Reinforce,
    Reduce,
    SetLevel,
    Pad,
    Scale,
    Withdraw,
    Relocate,
    ChangeFooting,
}

/// What few events have: dates beside the effective one, a layer.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Rare {
    pub(super) announced: Option<NaiveDate>,
    pub(super) recorded: Option<NaiveDate>,
    pub(super) valid_until: Option<NaiveDate>,
    pub(super) layer: Option<LayerId>,
}

/// Whether `event` has any of the fields kept in `Rare`.
fn has_rare(event: &Event) -> bool {
    event.announced().is_some()
        || event.recorded().is_some()
        || event.valid_until().is_some()
        || event.layer().is_some()
}

impl Rows {
    fn len(&self) -> usize {
        self.day.len()
    }

    fn id(&self, seq: u32) -> &str {
        let seq = seq as usize;
        let start = match seq {
            0 => 0,
            _ => self.id_end[seq - 1] as usize,
        };
        &self.ids[start..self.id_end[seq] as usize]
    }

    fn reserve(&mut self, n: usize) {
        self.unit.reserve(n);
        self.day.reserve(n);
        self.code.reserve(n);
        self.footing.reserve(n);
        self.metric.reserve(n);
        self.place.reserve(n);
        self.count.reserve(n);
        self.rare.reserve(n);
        self.source.reserve(n);
        self.id_end.reserve(n);
    }

    /// The number of `metric`, numbered when first seen.
    fn metric_number(&mut self, metric: Metric) -> u16 {
        // A ledger counts a few metrics, most often: comparing them beats
        // hashing the name.
        let few = &self.metrics[..self.metrics.len().min(8)];
        if let Some(m) = few.iter().position(|m| *m == metric) {
            return m as u16;
        }
        if let Some(&m) = self.metric_ix.get(&metric) {
            return m;
        }
        // An event names only metrics its unit counts, and the ledger
        // numbers those in 16 bits.
        let m = u16::try_from(self.metrics.len()).unwrap_or(u16::MAX);
        self.metric_ix.insert(metric.clone(), m);
        self.metrics.push(metric);
        m
    }

    /// The number of `place`, numbered when first seen.
    fn place_number(&mut self, place: Location) -> u32 {
        if let Some(&p) = self.place_ix.get(&place) {
            return p;
        }
        // Fewer places than events, and a log holds fewer than 2³² events.
        let p = self.places.len() as u32;
        self.place_ix.insert(place.clone(), p);
        self.places.push(place);
        p
    }

    /// Appends `event`, of unit number `unit`, decomposed into the columns.
    fn push(&mut self, event: Event, unit: u32) {
        let Parts {
            id,
            effective,
            announced,
            recorded,
            valid_until,
            layer,
            source,
            kind,
        } = event.into_parts();
        self.ids.push_str(id.as_str());
        // plan refuses a ledger whose ids would not fit.
        self.id_end.push(self.ids.len() as u32);
        self.unit.push(unit);
        self.day.push(days(effective));
        let (code, footing, metric, place, count) = match kind {
            EventKind::Deploy {
                location,
                footing,
                mut strength,
            } => {
                let place = self.place_number(location);
                if strength.len() == 1 {
                    let q = strength.pop().unwrap_or_else(|| unreachable!());
                    let m = self.metric_number(q.metric);
                    (Code::DeployOne, footing, m, place, q.count.get())
                } else {
                    let start = self.quantities.len() as u64;
                    let len = strength.len() as u64;
                    self.quantities.extend(strength);
                    (Code::DeployList, footing, 0, place, start | len << 32)
                }
            }
            EventKind::Reinforce { metric, count } => {
                let m = self.metric_number(metric);
                (Code::Reinforce, Footing::Permanent, m, 0, count.get())
            }
            EventKind::Reduce { metric, count } => {
                let m = self.metric_number(metric);
                (Code::Reduce, Footing::Permanent, m, 0, count.get())
            }
            EventKind::SetLevel { metric, count } => {
                let m = self.metric_number(metric);
                (Code::SetLevel, Footing::Permanent, m, 0, count.get())
            }
            EventKind::Pad { metric } => {
                let m = self.metric_number(metric);
                (Code::Pad, Footing::Permanent, m, 0, 0)
            }
            EventKind::Scale { metric, factor } => {
                let m = self.metric_number(metric);
                let f = self.factors.len() as u32;
                self.factors.push(factor);
                (Code::Scale, Footing::Permanent, m, f, 0)
            }
            EventKind::Withdraw => (Code::Withdraw, Footing::Permanent, 0, 0, 0),
            EventKind::Relocate { to } => {
                let place = self.place_number(to);
                (Code::Relocate, Footing::Permanent, 0, place, 0)
            }
            EventKind::ChangeFooting { to } => (Code::ChangeFooting, to, 0, 0, 0),
        };
        self.code.push(code);
        self.footing.push(footing);
        self.metric.push(metric);
        self.place.push(place);
        self.count.push(count);
        match source {
            None => self.source.push(NONE),
            Some(source) => {
                self.source.push(self.sources.len() as u32);
                self.sources.push(source);
            }
        }
        let rare = Rare {
            announced,
            recorded,
            valid_until,
            layer,
        };
        if rare == Rare::default() {
            self.rare.push(NONE);
        } else {
            self.rare.push(self.rare_rows.len() as u32);
            self.rare_rows.push(rare);
        }
    }

    fn kind(&self, seq: u32) -> KindRef<'_> {
        let i = seq as usize;
        let metric = || &self.metrics[usize::from(self.metric[i])];
        let count = || Count::new(self.count[i]);
        let place = || &self.places[self.place[i] as usize];
        match self.code[i] {
            Code::DeployOne => KindRef::Deploy {
                location: place(),
                footing: self.footing[i],
                strength: Strength::One(metric(), count()),
            },
            Code::DeployList => {
                let start = (self.count[i] & u64::from(u32::MAX)) as usize;
                let len = (self.count[i] >> 32) as usize;
                KindRef::Deploy {
                    location: place(),
                    footing: self.footing[i],
                    strength: Strength::List(&self.quantities[start..start + len]),
                }
            }
            Code::Reinforce => KindRef::Reinforce {
                metric: metric(),
                count: count(),
            },
            Code::Reduce => KindRef::Reduce {
                metric: metric(),
                count: count(),
            },
            Code::SetLevel => KindRef::SetLevel {
                metric: metric(),
                count: count(),
            },
            Code::Pad => KindRef::Pad { metric: metric() },
            Code::Scale => KindRef::Scale {
                metric: metric(),
                factor: self.factors[self.place[i] as usize],
            },
            Code::Withdraw => KindRef::Withdraw,
            Code::Relocate => KindRef::Relocate { to: place() },
            Code::ChangeFooting => KindRef::ChangeFooting {
                to: self.footing[i],
            },
        }
    }
}

/// A correction with the event it concerns.
#[derive(Clone, Debug)]
pub(super) struct Corrected {
    pub(super) correction: Correction,
    /// The event it corrects.
    pub(super) target: u32,
}

impl Log {
    /// How many events are recorded.
    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    /// Every event, in the order recorded.
    pub(super) fn events(&self) -> Events<'_> {
        Events::new(self)
    }

    /// Event number `seq`, if recorded.
    pub(super) fn get(&self, seq: u32) -> Option<EventRef<'_>> {
        ((seq as usize) < self.len()).then(|| EventRef::stored(self, seq))
    }

    /// The number of the event with `id`.
    pub(super) fn find(&self, id: &EventId) -> Option<u32> {
        self.index.find(id.as_str(), |seq| self.rows.id(seq))
    }

    /// Event number `seq`, recorded or in the batch being planned.
    pub(super) fn numbered<'a>(&'a self, batch: &'a [Event], seq: u32) -> EventRef<'a> {
        if (seq as usize) < self.len() {
            return EventRef::stored(self, seq);
        }
        EventRef::of(
            batch
                .get(seq as usize - self.len())
                .unwrap_or_else(|| unreachable!("a key names a recorded or staged event")),
        )
    }

    /// Event number `seq`, which is recorded.
    pub(super) fn at(&self, seq: u32) -> EventRef<'_> {
        EventRef::stored(self, seq)
    }

    /// How long the ids recorded are, together, in bytes.
    pub(super) fn id_bytes(&self) -> usize {
        self.rows.ids.len()
    }

    /// The text of event `seq`'s id.
    pub(super) fn id_text(&self, seq: u32) -> &str {
        self.rows.id(seq)
    }

    /// The id of event `seq`'s unit.
    pub(super) fn unit_id(&self, seq: u32) -> &UnitId {
        let unit = self.rows.unit[seq as usize] as usize;
        self.rows.unit_ids[unit]
            .as_ref()
            .unwrap_or_else(|| unreachable!("an event's unit has its id kept"))
    }

    /// When event `seq` takes effect.
    pub(super) fn effective(&self, seq: u32) -> NaiveDate {
        let date = NaiveDate::from_num_days_from_ce_opt(self.rows.day[seq as usize]);
        debug_assert!(date.is_some(), "a day made from a date");
        date.unwrap_or(NaiveDate::MAX)
    }

    /// What few events have, if event `seq` has any of it.
    pub(super) fn rare(&self, seq: u32) -> Option<&Rare> {
        self.rows
            .rare_rows
            .get(self.rows.rare[seq as usize] as usize)
    }

    /// Event `seq`'s source, if it has one.
    pub(super) fn source(&self, seq: u32) -> Option<&Source> {
        self.rows
            .sources
            .get(self.rows.source[seq as usize] as usize)
            .map(|s| &**s)
    }

    /// What event `seq` does.
    pub(super) fn kind(&self, seq: u32) -> KindRef<'_> {
        self.rows.kind(seq)
    }

    /// Where event `seq` stands in its unit's timeline.
    pub(super) fn key_of(&self, seq: u32) -> Key {
        match self.standing.get(&seq) {
            Some(&key) => key,
            None => index::key(self.rows.day[seq as usize], seq),
        }
    }

    /// The event that stands at event `seq`'s key: itself, or the latest
    /// replacement that kept its place, known by `known_at` if given.
    pub(super) fn version(&self, seq: u32, known_at: Option<NaiveDate>) -> u32 {
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
                self.replaced(next)
                    .is_some_and(|c| c.correction.recorded() <= at)
            })
            .last()
            .copied()
            .unwrap_or(seq)
    }

    /// Whether the event at a key numbered `seq` counts in the view of the
    /// layer `shown` (none: the baseline's) as known on `at`: known by then,
    /// and what stands at the key then (the event, or a replacement that
    /// kept its place) not yet corrected then.
    pub(super) fn known_then(&self, seq: u32, shown: Option<&LayerId>, at: NaiveDate) -> bool {
        let Some(event) = self.get(seq) else {
            return false;
        };
        let in_view = event.layer().is_none_or(|l| shown == Some(l));
        let corrected_by_then = self
            .corrected(self.version(seq, Some(at)))
            .is_some_and(|c| c.correction.recorded() <= at);
        in_view && event.known().is_none_or(|k| k <= at) && !corrected_by_then
    }

    /// The correction that replaced or retracted event `seq`, if any.
    pub(super) fn corrected(&self, seq: u32) -> Option<&Corrected> {
        let c = *self.superseded.get(&seq)?;
        self.corrections.get(c as usize)
    }

    /// The correction that put event `seq` in place of another, if any.
    pub(super) fn replaced(&self, seq: u32) -> Option<&Corrected> {
        let c = *self.replacements.get(&seq)?;
        self.corrections.get(c as usize)
    }

    /// Every correction, in the order recorded.
    pub(super) fn corrections(&self) -> impl Iterator<Item = &Correction> {
        self.corrections.iter().map(|c| &c.correction)
    }

    /// Whether any event gives its figure an end (`valid_until`).
    pub(super) fn ends(&self) -> bool {
        self.ends
    }

    /// The events whose source says what its figures may include.
    pub(super) fn noted(&self) -> impl Iterator<Item = EventRef<'_>> {
        self.noted.iter().filter_map(|&i| self.get(i))
    }

    /// Appends a checked batch, with `seen`, the index of its ids by their
    /// positions in it, if at hand; `owners`, the ledger's number of each
    /// event's unit, and `unit_id`, a unit's id by its number.
    pub(super) fn append<'u>(
        &mut self,
        batch: Vec<Event>,
        seen: Option<EventIndex>,
        owners: &[u32],
        unit_id: impl Fn(u32) -> &'u UnitId,
    ) {
        debug_assert_eq!(batch.len(), owners.len());
        let base = self.len() as u32;
        self.rows.reserve(batch.len());
        // The side tables are reserved exactly: a table's import gives every
        // event a source, and growth by doubling would hold up to twice the
        // room they need. One pass over the batch counts them all, since a
        // large batch is far larger than the cache.
        let (mut sources, mut rare, mut id_bytes) = (0, 0, 0);
        for e in &batch {
            sources += usize::from(e.source().is_some());
            rare += usize::from(has_rare(e));
            id_bytes += e.id().as_str().len();
        }
        self.rows.sources.reserve_exact(sources);
        self.rows.rare_rows.reserve_exact(rare);
        self.rows.ids.reserve_exact(id_bytes);
        for ((event, &unit), seq) in batch.into_iter().zip(owners).zip(base..) {
            self.ends |= event.valid_until().is_some();
            if event.source().is_some_and(|s| s.may_include.is_some()) {
                self.noted.push(seq);
            }
            let ids = &mut self.rows.unit_ids;
            if ids.len() <= unit as usize {
                ids.resize(unit as usize + 1, None);
            }
            ids[unit as usize].get_or_insert_with(|| unit_id(unit).clone());
            self.rows.push(event, unit);
        }
        let rows = &self.rows;
        match seen {
            // A first batch's own index, by its positions, is the log's.
            Some(seen) if base == 0 => self.index = seen,
            _ => {
                self.index.reserve(rows.len(), |seq| rows.id(seq));
                for seq in base..rows.len() as u32 {
                    self.index.insert(seq, |seq| rows.id(seq));
                }
            }
        }
    }

    /// Records `correction` of event `target`, once its replacement, if
    /// any, is appended as event `replacement`; `standing`, the key of the
    /// target's place in the day, when the replacement keeps it.
    pub(super) fn correct(
        &mut self,
        correction: Correction,
        target: u32,
        replacement: Option<u32>,
        standing: Option<Key>,
    ) {
        let index = self.corrections.len() as u32;
        self.superseded.insert(target, index);
        if let Some(seq) = replacement {
            self.replacements.insert(seq, index);
            if let Some(key) = standing {
                self.versions.entry(index::seq(key)).or_default().push(seq);
                self.standing.insert(seq, key);
            }
        }
        self.corrections.push(Corrected { correction, target });
    }
}

/// Days since the common era, the index's day number.
pub(super) fn days(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// Events' positions by id: an open-addressing table of positions, probed
/// linearly, that keeps no copy of the ids (the log's id column, or a
/// batch's events, has them). A map from
/// ids to positions would hold every id twice, and a large ledger's ids take
/// more room than anything else it derives. Each slot keeps 32 bits of its
/// id's hash beside the position, so a probe reads an event (a cache miss,
/// and another for its id) only when those bits match.
#[derive(Clone, Debug, Default)]
pub(super) struct EventIndex {
    /// The hash's low half in the high half, the position plus one in the
    /// low half; zero for an empty slot. The length is a power of two, and
    /// at most half the slots are full.
    slots: Vec<u64>,
    len: usize,
}

impl EventIndex {
    /// An index with room for `n` events without growing.
    pub(super) fn with_capacity(n: usize) -> Self {
        EventIndex {
            slots: vec![0; (2 * n).next_power_of_two().max(16)],
            len: 0,
        }
    }

    /// Where `id`'s probe starts, and the tag its slot carries.
    fn start(&self, id: &str) -> (usize, u64) {
        let mut h = FastHasher::default();
        h.write(id.as_bytes());
        let hash = h.finish();
        let bits = self.slots.len().trailing_zeros();
        ((hash >> (64 - bits)) as usize, hash << 32)
    }

    /// The position of the event with `id`, given each position's id by `id_of`.
    pub(super) fn find<'i>(&self, id: &str, id_of: impl Fn(u32) -> &'i str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let (mut i, tag) = self.start(id);
        loop {
            let slot = self.slots[i];
            let seq = (slot as u32).checked_sub(1)?;
            if (slot & !u64::from(u32::MAX)) == tag && id_of(seq) == id {
                return Some(seq);
            }
            i = (i + 1) & mask;
        }
    }

    /// Makes room for `n` events in all without growing, so that a large
    /// batch rehashes what is recorded once rather than at every doubling.
    fn reserve<'i>(&mut self, n: usize, id_of: impl Fn(u32) -> &'i str) {
        if 2 * n > self.slots.len() {
            self.regrow(n, id_of);
        }
    }

    fn regrow<'i>(&mut self, n: usize, id_of: impl Fn(u32) -> &'i str) {
        let mut grown = EventIndex::with_capacity(n);
        for &slot in self.slots.iter().filter(|&&s| s != 0) {
            grown.put((slot as u32) - 1, &id_of);
        }
        *self = grown;
    }

    /// Adds position `seq`, whose id (by `id_of`) is not in the index.
    pub(super) fn insert<'i>(&mut self, seq: u32, id_of: impl Fn(u32) -> &'i str) {
        if 2 * (self.len + 1) > self.slots.len() {
            self.regrow(self.len + 1, &id_of);
        }
        self.put(seq, &id_of);
    }

    fn put<'i>(&mut self, seq: u32, id_of: &impl Fn(u32) -> &'i str) {
        debug_assert!(self.find(id_of(seq), id_of).is_none());
        let mask = self.slots.len() - 1;
        let (mut i, tag) = self.start(id_of(seq));
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        // A position is below u32::MAX: plan refuses a ledger that long.
        self.slots[i] = tag | u64::from(seq + 1);
        self.len += 1;
    }
}
