//! The log: every event in the order recorded, found by id, and the
//! corrections that replaced or retracted some of them. Storage only: what
//! an event means is the state machine's, and where it counts the index's.

use std::hash::Hasher;
use std::ops::Index;

use chrono::{Datelike, NaiveDate};

use crate::correction::Correction;
use crate::event::{Event, EventId, LayerId};
use crate::hash::{FastHasher, FastMap};
use crate::index::{self, Key};
use crate::unit::UnitId;

/// The events, their index by id, and their corrections.
#[derive(Clone, Debug, Default)]
pub(super) struct Log {
    events: Vec<Event>,
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
        self.events.len()
    }

    /// Every event, in the order recorded.
    pub(super) fn events(&self) -> &[Event] {
        &self.events
    }

    /// Event number `seq`, if recorded.
    pub(super) fn get(&self, seq: u32) -> Option<&Event> {
        self.events.get(seq as usize)
    }

    /// The number of the event with `id`.
    pub(super) fn find(&self, id: &EventId) -> Option<u32> {
        self.index.find(id, &self.events)
    }

    /// Event number `seq`, recorded or in the batch being planned.
    pub(super) fn numbered<'a>(&'a self, batch: &'a [Event], seq: u32) -> &'a Event {
        let seq = seq as usize;
        self.events
            .get(seq)
            .or_else(|| batch.get(seq - self.events.len()))
            .unwrap_or_else(|| unreachable!("a key names a recorded or staged event"))
    }

    /// Where event `seq` stands in its unit's timeline.
    pub(super) fn key_of(&self, seq: u32) -> Key {
        match self.standing.get(&seq) {
            Some(&key) => key,
            None => index::key(days(self.events[seq as usize].effective()), seq),
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
    pub(super) fn noted(&self) -> impl Iterator<Item = &Event> {
        self.noted.iter().filter_map(|&i| self.get(i))
    }

    /// Appends a checked batch, with `seen`, the index of its ids by their
    /// positions in it, if at hand; each event then names its unit by
    /// `unit_of` its position in the batch, one allocation shared, instead
    /// of one per event.
    pub(super) fn append<'u>(
        &mut self,
        batch: Vec<Event>,
        seen: Option<EventIndex>,
        unit_of: impl IntoIterator<Item = &'u UnitId>,
    ) {
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
        match seen {
            // A first batch's own index, by its positions, is the log's.
            Some(seen) if base == 0 => self.index = seen,
            _ => {
                self.index.reserve(self.events.len(), &self.events);
                for seq in base..self.events.len() as u32 {
                    self.index.insert(seq, &self.events);
                }
            }
        }
        for (event, id) in self.events[base as usize..].iter_mut().zip(unit_of) {
            if !event.unit().shares(id) {
                event.share_unit(id);
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

impl Index<u32> for Log {
    type Output = Event;

    fn index(&self, seq: u32) -> &Event {
        &self.events[seq as usize]
    }
}

/// Days since the common era, the index's day number.
pub(super) fn days(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// Events' positions by id: an open-addressing table of positions, probed
/// linearly, that keeps no copy of the ids (the events have them). A map from
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
    /// An index with room for `n` events of `events` without growing.
    pub(super) fn with_capacity(n: usize) -> Self {
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
    pub(super) fn find(&self, id: &EventId, events: &[Event]) -> Option<u32> {
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
    pub(super) fn insert(&mut self, seq: u32, events: &[Event]) {
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
