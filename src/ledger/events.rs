//! Borrowed views of the recorded events: [`Events`], the whole log, and
//! [`EventRef`], one event of it.
//!
//! The log keeps its events in columns, not as [`Event`]s, so that a
//! ledger of millions of events holds each in a few dozen bytes; these
//! views read the columns and answer as an `Event` would. [`EventRef::to_event`]
//! makes the owned, serializable `Event` back.

use std::fmt;

use chrono::NaiveDate;

use rust_decimal::Decimal;

use super::log::Log;
use crate::deployment::{Footing, Location};
use crate::event::{Event, EventId, EventKind, LayerId, Source};
use crate::metric::{Count, Metric, Quantity};
use crate::unit::UnitId;

/// One recorded event, borrowed from its [`Ledger`](crate::Ledger): it
/// reads as the [`Event`] that was recorded, and [`to_event`](EventRef::to_event)
/// makes that `Event` back.
///
/// It is `Copy`, compares equal to the `Event` it was recorded from, and
/// prints as that `Event` does with `{:?}`.
///
/// # Example
///
/// ```
/// use posture_ledger::*;
///
/// let mut ledger = Ledger::new();
/// ledger.add_unit(Unit::new(UnitId::new("ddg")?, "US destroyers", Country::new("USA")?, UnitKind::Ship)
///     .with_metrics([Metric::SHIPS]))?;
/// let four = Event::new(EventId::new("four")?, UnitId::new("ddg")?, "2022-06-01".parse()?,
///     EventKind::Deploy {
///         location: Location::Country(Country::new("ESP")?),
///         footing: Footing::Permanent,
///         strength: vec![Quantity::new(Metric::SHIPS, Count::new(4))],
///     });
/// ledger.apply(four.clone())?;
///
/// let recorded = ledger.event(&EventId::new("four")?).ok_or("recorded")?;
/// assert_eq!(recorded.id(), EventId::new("four")?);
/// assert_eq!(recorded.kind().name(), "deploy");
/// assert_eq!(recorded, four);
/// assert_eq!(recorded.to_event(), four);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct EventRef<'a> {
    inner: Inner<'a>,
}

/// Where an [`EventRef`] reads from.
#[derive(Clone, Copy)]
enum Inner<'a> {
    /// The log's row `seq`.
    Stored(&'a Log, u32),
    /// An event not recorded: one of a batch being planned.
    Owned(&'a Event),
}

impl<'a> EventRef<'a> {
    /// A view of an event that is not recorded: one of a batch being
    /// planned, read as recorded ones are.
    pub(crate) fn of(event: &'a Event) -> Self {
        EventRef {
            inner: Inner::Owned(event),
        }
    }

    /// A view of the log's event number `seq`, which is recorded.
    pub(super) fn stored(log: &'a Log, seq: u32) -> Self {
        debug_assert!((seq as usize) < log.len());
        EventRef {
            inner: Inner::Stored(log, seq),
        }
    }

    /// The id: a copy of the ledger's text.
    pub fn id(&self) -> EventId {
        match self.inner {
            Inner::Stored(log, seq) => EventId::from_valid(log.id_text(seq)),
            Inner::Owned(e) => e.id().clone(),
        }
    }

    /// The id's text, borrowed from the ledger.
    pub fn id_str(&self) -> &'a str {
        match self.inner {
            Inner::Stored(log, seq) => log.id_text(seq),
            Inner::Owned(e) => e.id().as_str(),
        }
    }

    /// The unit it changes.
    pub fn unit(&self) -> &'a UnitId {
        match self.inner {
            Inner::Stored(log, seq) => log.unit_id(seq),
            Inner::Owned(e) => e.unit(),
        }
    }

    /// When it takes effect.
    pub fn effective(&self) -> NaiveDate {
        match self.inner {
            Inner::Stored(log, seq) => log.effective(seq),
            Inner::Owned(e) => e.effective(),
        }
    }

    /// When it was announced, if known.
    pub fn announced(&self) -> Option<NaiveDate> {
        match self.inner {
            Inner::Stored(log, seq) => log.rare(seq).and_then(|r| r.announced),
            Inner::Owned(e) => e.announced(),
        }
    }

    /// The date it was recorded, if given apart from its source's report date.
    pub fn recorded(&self) -> Option<NaiveDate> {
        match self.inner {
            Inner::Stored(log, seq) => log.rare(seq).and_then(|r| r.recorded),
            Inner::Owned(e) => e.recorded(),
        }
    }

    /// The date the ledger learned of it: the date recorded, or else its
    /// source's report date; `None` when neither is known (see
    /// [`Event::known`]).
    pub fn known(&self) -> Option<NaiveDate> {
        self.recorded()
            .or_else(|| self.source().and_then(|s| s.reported))
    }

    /// The last day what the event observes holds, if its source gave one.
    pub fn valid_until(&self) -> Option<NaiveDate> {
        match self.inner {
            Inner::Stored(log, seq) => log.rare(seq).and_then(|r| r.valid_until),
            Inner::Owned(e) => e.valid_until(),
        }
    }

    /// Its what-if layer; `None` for the baseline.
    pub fn layer(&self) -> Option<&'a LayerId> {
        match self.inner {
            Inner::Stored(log, seq) => log.rare(seq).and_then(|r| r.layer.as_ref()),
            Inner::Owned(e) => e.layer(),
        }
    }

    /// Its source, if any.
    pub fn source(&self) -> Option<&'a Source> {
        match self.inner {
            Inner::Stored(log, seq) => log.source(seq),
            Inner::Owned(e) => e.source(),
        }
    }

    /// What happened: a copy of the event's kind, made from the log's form.
    pub fn kind(&self) -> EventKind {
        self.kind_ref().to_owned()
    }

    /// The kind's `snake_case` name, as written in scenario files, without
    /// making the kind.
    pub fn kind_name(&self) -> &'static str {
        self.kind_ref().name()
    }

    /// The kind, borrowed, for the ledger's own readers.
    pub(crate) fn kind_ref(&self) -> KindRef<'a> {
        match self.inner {
            Inner::Stored(log, seq) => log.kind(seq),
            Inner::Owned(e) => KindRef::of(e.kind()),
        }
    }

    /// The owned event, as it was recorded.
    pub fn to_event(&self) -> Event {
        if let Inner::Owned(e) = self.inner {
            return e.clone();
        }
        let mut event = Event::new(
            self.id(),
            self.unit().clone(),
            self.effective(),
            self.kind(),
        );
        if let Some(date) = self.announced() {
            event = event.with_announced(date);
        }
        if let Some(date) = self.recorded() {
            event = event.with_recorded(date);
        }
        if let Some(date) = self.valid_until() {
            event = event.with_valid_until(date);
        }
        if let Some(layer) = self.layer() {
            event = event.in_layer(layer.clone());
        }
        if let Some(source) = self.source() {
            event = event.with_source(source.clone());
        }
        event
    }
}

/// An event's kind as the ledger reads it, borrowed from the log (or from
/// an [`EventKind`]): the same variants, with a deploy's strength either a
/// list or its one quantity, which is how most deploys are stored.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum KindRef<'a> {
    Deploy {
        location: &'a Location,
        footing: Footing,
        strength: Strength<'a>,
    },
    Reinforce {
        metric: &'a Metric,
        count: Count,
    },
    Reduce {
        metric: &'a Metric,
        count: Count,
    },
    SetLevel {
        metric: &'a Metric,
        count: Count,
    },
    Pad {
        metric: &'a Metric,
    },
    Scale {
        metric: &'a Metric,
        factor: Decimal,
    },
    Withdraw,
    Relocate {
        to: &'a Location,
    },
    ChangeFooting {
        to: Footing,
    },
}

/// A deploy's strength: a list of quantities, or the one quantity a deploy
/// usually has, kept in the log's columns.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Strength<'a> {
    List(&'a [Quantity]),
    One(&'a Metric, Count),
}

impl<'a> Strength<'a> {
    /// Each metric and its count, in the order given.
    pub(crate) fn iter(self) -> impl Iterator<Item = (&'a Metric, Count)> {
        let (list, one): (&'a [Quantity], _) = match self {
            Strength::List(list) => (list, None),
            Strength::One(metric, count) => (&[], Some((metric, count))),
        };
        list.iter().map(|q| (&q.metric, q.count)).chain(one)
    }
}

/// Equal when they list the same quantities, however each is kept.
impl PartialEq for Strength<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<'a> KindRef<'a> {
    /// The borrowed form of `kind`.
    pub(crate) fn of(kind: &'a EventKind) -> Self {
        match kind {
            EventKind::Deploy {
                location,
                footing,
                strength,
            } => KindRef::Deploy {
                location,
                footing: *footing,
                strength: Strength::List(strength),
            },
            EventKind::Reinforce { metric, count } => KindRef::Reinforce {
                metric,
                count: *count,
            },
            EventKind::Reduce { metric, count } => KindRef::Reduce {
                metric,
                count: *count,
            },
            EventKind::SetLevel { metric, count } => KindRef::SetLevel {
                metric,
                count: *count,
            },
            EventKind::Pad { metric } => KindRef::Pad { metric },
            EventKind::Scale { metric, factor } => KindRef::Scale {
                metric,
                factor: *factor,
            },
            EventKind::Withdraw => KindRef::Withdraw,
            EventKind::Relocate { to } => KindRef::Relocate { to },
            EventKind::ChangeFooting { to } => KindRef::ChangeFooting { to: *to },
        }
    }

    /// The owned kind.
    pub(crate) fn to_owned(self) -> EventKind {
        match self {
            KindRef::Deploy {
                location,
                footing,
                strength,
            } => EventKind::Deploy {
                location: location.clone(),
                footing,
                strength: strength
                    .iter()
                    .map(|(metric, count)| Quantity::new(metric.clone(), count))
                    .collect(),
            },
            KindRef::Reinforce { metric, count } => EventKind::Reinforce {
                metric: metric.clone(),
                count,
            },
            KindRef::Reduce { metric, count } => EventKind::Reduce {
                metric: metric.clone(),
                count,
            },
            KindRef::SetLevel { metric, count } => EventKind::SetLevel {
                metric: metric.clone(),
                count,
            },
            KindRef::Pad { metric } => EventKind::Pad {
                metric: metric.clone(),
            },
            KindRef::Scale { metric, factor } => EventKind::Scale {
                metric: metric.clone(),
                factor,
            },
            KindRef::Withdraw => EventKind::Withdraw,
            KindRef::Relocate { to } => EventKind::Relocate { to: to.clone() },
            KindRef::ChangeFooting { to } => EventKind::ChangeFooting { to },
        }
    }

    /// The kind's `snake_case` name, as [`EventKind::name`].
    pub(crate) fn name(self) -> &'static str {
        match self {
            KindRef::Deploy { .. } => "deploy",
            KindRef::Reinforce { .. } => "reinforce",
            KindRef::Reduce { .. } => "reduce",
            KindRef::SetLevel { .. } => "set_level",
            KindRef::Pad { .. } => "pad",
            KindRef::Scale { .. } => "scale",
            KindRef::Withdraw => "withdraw",
            KindRef::Relocate { .. } => "relocate",
            KindRef::ChangeFooting { .. } => "change_footing",
        }
    }

    /// The metrics the event names, in the order given.
    pub(crate) fn metrics(self) -> impl Iterator<Item = &'a Metric> {
        let (strength, one) = match self {
            KindRef::Deploy { strength, .. } => (Some(strength), None),
            KindRef::Reinforce { metric, .. }
            | KindRef::Reduce { metric, .. }
            | KindRef::SetLevel { metric, .. }
            | KindRef::Pad { metric }
            | KindRef::Scale { metric, .. } => (None, Some(metric)),
            KindRef::Withdraw | KindRef::Relocate { .. } | KindRef::ChangeFooting { .. } => {
                (None, None)
            }
        };
        strength
            .into_iter()
            .flat_map(|s| s.iter().map(|(m, _)| m))
            .chain(one)
    }

    /// Whether the event states a level that includes subunits, and so
    /// depends on them.
    pub(crate) fn depends_on_subunits(self) -> bool {
        matches!(
            self,
            KindRef::Deploy { .. }
                | KindRef::SetLevel { .. }
                | KindRef::Pad { .. }
                | KindRef::Scale { .. }
        )
    }
}

impl fmt::Debug for EventRef<'_> {
    /// As the [`Event`] it reads as.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner {
            Inner::Stored(..) => fmt::Debug::fmt(&self.to_event(), f),
            Inner::Owned(e) => fmt::Debug::fmt(e, f),
        }
    }
}

impl EventRef<'_> {
    /// Whether the two read as the same event, field by field, without
    /// making either.
    fn same(&self, other: &EventRef<'_>) -> bool {
        self.id_str() == other.id_str()
            && self.unit() == other.unit()
            && self.effective() == other.effective()
            && self.announced() == other.announced()
            && self.recorded() == other.recorded()
            && self.valid_until() == other.valid_until()
            && self.layer() == other.layer()
            && self.source() == other.source()
            && self.kind_ref() == other.kind_ref()
    }
}

impl PartialEq for EventRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.same(other)
    }
}

impl Eq for EventRef<'_> {}

impl PartialEq<Event> for EventRef<'_> {
    fn eq(&self, other: &Event) -> bool {
        self.same(&EventRef::of(other))
    }
}

impl PartialEq<&Event> for EventRef<'_> {
    fn eq(&self, other: &&Event) -> bool {
        self.same(&EventRef::of(other))
    }
}

impl PartialEq<EventRef<'_>> for Event {
    fn eq(&self, other: &EventRef<'_>) -> bool {
        other == self
    }
}

impl From<EventRef<'_>> for Event {
    fn from(event: EventRef<'_>) -> Self {
        event.to_event()
    }
}

/// Every recorded event of a [`Ledger`](crate::Ledger), in the order
/// recorded, borrowed: what [`Ledger::events`](crate::Ledger::events) returns.
///
/// It has a length and reads by position ([`get`](Events::get)) or in order
/// ([`iter`](Events::iter), or `for event in ledger.events()`), each event an
/// [`EventRef`]. It compares equal to a slice of the [`Event`]s recorded,
/// and [`to_vec`](Events::to_vec) makes them.
///
/// # Example
///
/// ```
/// use posture_ledger::*;
///
/// let mut ledger = Ledger::new();
/// ledger.add_unit(Unit::new(UnitId::new("ddg")?, "US destroyers", Country::new("USA")?, UnitKind::Ship)
///     .with_metrics([Metric::SHIPS]))?;
/// let day = |s: &str| s.parse::<chrono::NaiveDate>();
/// let batch = vec![
///     Event::new(EventId::new("four")?, UnitId::new("ddg")?, day("2022-06-01")?,
///         EventKind::Deploy {
///             location: Location::Country(Country::new("ESP")?),
///             footing: Footing::Permanent,
///             strength: vec![Quantity::new(Metric::SHIPS, Count::new(4))],
///         }),
///     Event::new(EventId::new("six")?, UnitId::new("ddg")?, day("2022-06-29")?,
///         EventKind::Reinforce { metric: Metric::SHIPS, count: Count::new(2) }),
/// ];
/// ledger.apply_batch(batch.clone())?;
///
/// let events = ledger.events();
/// assert_eq!(events.len(), 2);
/// assert_eq!(events.get(1).map(|e| e.kind_name()), Some("reinforce"));
/// let ids: Vec<String> = events.iter().map(|e| e.id().to_string()).collect();
/// assert_eq!(ids, ["four", "six"]);
/// assert_eq!(events, batch[..]);
/// assert_eq!(events.to_vec(), batch);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Events<'a> {
    log: &'a Log,
}

impl<'a> Events<'a> {
    pub(super) fn new(log: &'a Log) -> Self {
        Events { log }
    }

    /// How many events are recorded.
    pub fn len(&self) -> usize {
        self.log.len()
    }

    /// Whether no event is recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The event recorded `i`-th, counting from 0.
    pub fn get(&self, i: usize) -> Option<EventRef<'a>> {
        (i < self.len()).then(|| EventRef::stored(self.log, i as u32))
    }

    /// The first event recorded.
    pub fn first(&self) -> Option<EventRef<'a>> {
        self.get(0)
    }

    /// The last event recorded.
    pub fn last(&self) -> Option<EventRef<'a>> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// Every event, in the order recorded.
    pub fn iter(&self) -> EventIter<'a> {
        EventIter {
            events: *self,
            front: 0,
            back: self.len(),
        }
    }

    /// The owned events, in the order recorded.
    pub fn to_vec(&self) -> Vec<Event> {
        self.iter().map(|e| e.to_event()).collect()
    }
}

impl fmt::Debug for Events<'_> {
    /// As a slice of the [`Event`]s they read as.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Events<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl Eq for Events<'_> {}

impl PartialEq<[Event]> for Events<'_> {
    fn eq(&self, other: &[Event]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == *b)
    }
}

impl PartialEq<&[Event]> for Events<'_> {
    fn eq(&self, other: &&[Event]) -> bool {
        *self == **other
    }
}

impl PartialEq<Vec<Event>> for Events<'_> {
    fn eq(&self, other: &Vec<Event>) -> bool {
        *self == other[..]
    }
}

impl PartialEq<Events<'_>> for [Event] {
    fn eq(&self, other: &Events<'_>) -> bool {
        other == self
    }
}

impl PartialEq<Events<'_>> for Vec<Event> {
    fn eq(&self, other: &Events<'_>) -> bool {
        other == &self[..]
    }
}

impl<'a> IntoIterator for Events<'a> {
    type Item = EventRef<'a>;
    type IntoIter = EventIter<'a>;

    fn into_iter(self) -> EventIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &Events<'a> {
    type Item = EventRef<'a>;
    type IntoIter = EventIter<'a>;

    fn into_iter(self) -> EventIter<'a> {
        self.iter()
    }
}

/// The events of an [`Events`], in the order recorded.
#[derive(Clone, Debug)]
pub struct EventIter<'a> {
    events: Events<'a>,
    front: usize,
    back: usize,
}

impl<'a> Iterator for EventIter<'a> {
    type Item = EventRef<'a>;

    fn next(&mut self) -> Option<EventRef<'a>> {
        if self.front == self.back {
            return None;
        }
        self.front += 1;
        self.events.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }

    fn nth(&mut self, n: usize) -> Option<EventRef<'a>> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }
}

impl DoubleEndedIterator for EventIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        self.events.get(self.back)
    }
}

impl ExactSizeIterator for EventIter<'_> {}

impl std::iter::FusedIterator for EventIter<'_> {}
