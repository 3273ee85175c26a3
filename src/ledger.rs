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
//!
//! # Where things live
//!
//! [`Ledger`] is the façade; behind it, each module owns one job:
//!
//! - `registry`: the regions, alliances, bases, layers, units and metrics,
//!   defined once and numbered in the order added;
//! - `log`: the events in the order recorded, found by id, and their
//!   corrections: storage only;
//! - `machine`: what each kind of event does to a unit's state, one function
//!   per kind (`reinforce`, `withdraw`…): the only place events mean anything;
//! - `replay`: the timelines (recorded, staged, known on a date, live) that
//!   feed the machine;
//! - `plan`: the write path, checked whole before anything changes;
//! - `query`: scopes resolved into filters, and the totals, parts and tracks
//!   that [`View`](crate::View) asks for;
//! - `history`: corrections, and the registers that explain a total;
//! - `extend`: units and events added together, all or nothing.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::base::{Base, BaseId};
use crate::country::{Alliance, AllianceId, Countries, Country, Region, RegionId};
use crate::error::{Error, Result};
use crate::event::{Event, EventId, Layer, LayerId};
use crate::hash::FastMap;
use crate::index::{self, Cells, Contrib, Key};
use crate::metric::Metric;
use crate::unit::{Unit, UnitId};
pub use events::{EventIter, EventRef, Events};
use log::{days, Log};
use machine::State;
pub(crate) use query::{Lens, Shape, Shapes};
use registry::Registry;

/// A force-posture ledger: places, bases, units, what-if layers, and an
/// append-only log of dated change events, indexed for totals at any date.
///
/// Define the places and units first ([`add_region`](Ledger::add_region),
/// [`add_unit`](Ledger::add_unit)…), then record events with
/// [`apply`](Ledger::apply) or [`apply_batch`](Ledger::apply_batch), and ask
/// for totals through [`total`](Ledger::total) or a [`View`](crate::View).
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
    /// Declared countries: user-assigned codes and other names.
    countries: Countries,
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
    log: Log,
    baseline: Cells,
    layer_cells: Vec<Cells>,
    /// Per region, its members at all dates, sorted: the index sums them.
    lasting: Vec<Vec<Country>>,
    /// Per country, the regions it is a member of at all dates.
    member_of: FastMap<Country, Vec<u32>>,
    /// The units an alliance contributes as a whole, in the order added.
    alliance_units: Vec<u32>,
}

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

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Self {
        Ledger::default()
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

    /// The event at a key, whether recorded or in the batch being planned; a
    /// replacement that kept its original's place stands at its key.
    fn event_at<'a>(&'a self, batch: &'a [Event], key: Key) -> EventRef<'a> {
        self.log
            .numbered(batch, self.log.version(index::seq(key), None))
    }

    // ----- Reading -----------------------------------------------------------

    /// Whether any unit is counted in `metric`: the metrics the ledger knows
    /// are exactly those of its units.
    pub(crate) fn counts_metric(&self, metric: &Metric) -> bool {
        self.metric_ix.contains_key(metric)
    }

    /// Every metric the ledger counts: those its units are counted in.
    pub(crate) fn metrics(&self) -> &[Metric] {
        &self.metrics
    }

    /// Every event, in the order recorded, borrowed: each an [`EventRef`]
    /// that reads as the [`Event`] recorded.
    pub fn events(&self) -> Events<'_> {
        self.log.events()
    }

    /// An event by id.
    pub fn event(&self, id: &EventId) -> Option<EventRef<'_>> {
        self.log.find(id).map(|i| self.log.at(i))
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
}

/// Replaying what is already recorded cannot fail, since it passed when
/// recorded; if it does, the ledger is broken, and saying so beats a panic.
fn internal(error: &dyn std::fmt::Display) -> Error {
    debug_assert!(false, "replaying recorded history failed: {error}");
    Error::Internal {
        detail: format!("replaying recorded history failed: {error}"),
    }
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

mod events;
mod extend;
mod history;
mod log;
mod machine;
mod plan;
mod query;
mod registry;
mod replay;

#[cfg(test)]
mod tests;
