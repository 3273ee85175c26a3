//! Views: the baseline, or the baseline with a what-if layer, to query.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::deployment::Deployment;
use crate::error::{Error, RecordKind, Result};
use crate::event::{EventId, LayerId};
use crate::ledger::{end_of, Ledger, Lens};
use crate::metric::Metric;
use crate::number::signed_whole;
use crate::register::{Listing, Register};
use crate::scope::Scope;
use crate::total::Total;
use crate::unit::UnitId;

/// What a query sees: the baseline alone, or the baseline with one what-if layer on top.
///
/// Get one from [`Ledger::view`] or [`Ledger::with_layer`].
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use posture_ledger::{scenario, LayerId, Metric, RegionId, Scope};
///
/// let ledger = scenario::madrid_2022()?.into_ledger();
/// let baltics = Scope::all().in_region(RegionId::new("baltic-states")?);
/// let day = "2022-06-29".parse()?;
/// let now = ledger.view().total(&baltics, &Metric::PERSONNEL, day)?;
/// let asked = ledger.with_layer(&LayerId::new("requested")?)?.total(&baltics, &Metric::PERSONNEL, day)?;
/// assert!(asked.count() > now.count());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct View<'a> {
    ledger: &'a Ledger,
    lens: Lens,
}

impl<'a> View<'a> {
    pub(crate) fn new(ledger: &'a Ledger, lens: Lens) -> Self {
        View { ledger, lens }
    }

    /// The same view as known on `date`: only events the ledger had learned of
    /// by then count, each as it stood before any later correction. Without a
    /// date of knowledge, everything recorded counts.
    ///
    /// Totals as known on a date replay the log rather than read the index:
    /// they take time in proportion to the ledger's size.
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::{scenario, Country, Metric, RegionId, Scope};
    ///
    /// let ledger = scenario::madrid_2022()?.into_ledger();
    /// let us_in_europe = Scope::all().from_country(Country::new("USA")?).in_region(RegionId::new("europe")?);
    /// let summit = "2022-06-29".parse()?;
    /// // The report of 2022-06-29 is the ledger's only source: the day before, nothing was known,
    /// // which is no record, not 0.
    /// let before = ledger.view().known_at("2022-06-28".parse()?).total(&us_in_europe, &Metric::PERSONNEL, summit)?;
    /// let after = ledger.view().known_at(summit).total(&us_in_europe, &Metric::PERSONNEL, summit)?;
    /// assert_eq!((before.get(), after.get()), (None, Some(100_000)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn known_at(mut self, date: NaiveDate) -> Self {
        self.lens.known_at = Some(date);
        self
    }

    /// The same view with figures older than `days` *stale*: a total whose
    /// newest observation is more than `days` before the date asked about
    /// says so ([`Total::is_stale`]), and the checker does not take it as
    /// current. Without a maximum age, a figure stands until the next.
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::{scenario, Country, Metric, Scope};
    ///
    /// let ledger = scenario::madrid_2022()?.into_ledger();
    /// let gbr_in_est = Scope::all().from_country(Country::new("GBR")?).in_country(Country::new("EST")?);
    /// let later = "2023-06-29".parse()?;
    /// let year_on = ledger.view().max_age(180).total(&gbr_in_est, &Metric::PERSONNEL, later)?;
    /// assert!(year_on.is_stale());
    /// assert_eq!(year_on.current(), None);
    /// assert_eq!(year_on.newest(), Some("2022-06-29".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_age(mut self, days: u32) -> Self {
        self.lens.max_age = Some(days);
        self
    }

    /// The view's maximum age of a figure, in days, if it has one.
    pub fn max_age_days(&self) -> Option<u32> {
        self.lens.max_age
    }

    /// What this view sees.
    pub(crate) fn lens(&self) -> Lens {
        self.lens
    }

    /// The ledger this view reads.
    pub(crate) fn ledger(&self) -> &'a Ledger {
        self.ledger
    }

    /// The date of knowledge, if the view has one.
    pub fn knowledge(&self) -> Option<NaiveDate> {
        self.lens.known_at
    }

    /// The layer this view shows, as the ledger numbers it.
    pub(crate) fn layer_index(&self) -> Option<u16> {
        self.lens.layer
    }

    /// The total of `metric` in `scope` through time, with memberships as
    /// on `date`: see [`Ledger::track`].
    pub(crate) fn track(
        &self,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
    ) -> Result<Option<std::borrow::Cow<'a, crate::index::Series>>> {
        self.ledger.track(scope, metric, date, self.lens)
    }

    /// The total of `metric` in `scope` at the end of `date`: every event
    /// effective on or before `date` counts. Where no event in view placed
    /// anything counted in `metric` in `scope` by then, the total is
    /// [`Total::NO_RECORD`], not 0.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] when the scope names a region, alliance, base or unit
    /// the ledger does not know, or no unit is counted in `metric`;
    /// [`Error::TotalOverflow`] when the total exceeds a [`Count`].
    pub fn total(&self, scope: &Scope, metric: &Metric, date: NaiveDate) -> Result<Total> {
        self.ledger
            .total_at(scope, metric, end_of(date), date, self.lens)
    }

    /// The date of the first record of `metric` in `scope`, with memberships
    /// as on `date`: where the ledger's records there begin, or `None` when
    /// nothing in view ever records it.
    ///
    /// # Errors
    ///
    /// As [`total`](View::total), but for the overflow of a total.
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::{scenario, Country, EventId, Metric, RegionId, Scope};
    ///
    /// let ledger = scenario::madrid_2022()?.into_ledger();
    /// let day = "2022-06-29".parse()?;
    /// let us_in_europe = Scope::all().from_country(Country::new("USA")?).in_region(RegionId::new("europe")?);
    /// // The deploy "just before the invasion" is the first record.
    /// let first = ledger.event(&EventId::new("usa-europe-before-invasion")?).map(|e| e.effective());
    /// assert_eq!(ledger.view().first_record(&us_in_europe, &Metric::PERSONNEL, day)?, first);
    /// let spain = Scope::all().in_country(Country::new("ESP")?);
    /// assert_eq!(ledger.view().first_record(&spain, &Metric::PERSONNEL, day)?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn first_record(
        &self,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
    ) -> Result<Option<NaiveDate>> {
        self.ledger.first_record(scope, metric, date, self.lens)
    }

    /// The totals at the end of `from` (before) and of `to` (after).
    ///
    /// # Errors
    ///
    /// As [`total`](View::total).
    pub fn compare(
        &self,
        scope: &Scope,
        metric: &Metric,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Comparison> {
        let before = self.total(scope, metric, from)?;
        let after = self.total(scope, metric, to)?;
        Ok(Comparison::new(metric.clone(), before, after))
    }

    /// The totals just before and just after `event`: events on the same day
    /// recorded before it count in both, those recorded after it in neither.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown event; [`Error::NotInView`] for an
    /// event of a what-if layer this view does not show; otherwise as
    /// [`total`](View::total).
    pub fn across(&self, event: &EventId, scope: &Scope, metric: &Metric) -> Result<Comparison> {
        let key = self.key_in_view(event)?;
        let date = self
            .ledger
            .event(event)
            .map(|e| e.effective())
            .ok_or_else(|| Error::unknown(RecordKind::Event, event))?;
        // The key of an event is never zero: the day number is shifted up.
        let before = self
            .ledger
            .total_at(scope, metric, key.saturating_sub(1), date, self.lens)?;
        let after = self.ledger.total_at(scope, metric, key, date, self.lens)?;
        Ok(Comparison::new(metric.clone(), before, after))
    }

    /// The deployment of `event`'s unit just before and just after the event:
    /// how a relocation, a change of footing or a withdrawal changed it.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown event; [`Error::NotInView`] for an
    /// event of a what-if layer this view does not show.
    pub fn deployment_across(
        &self,
        event: &EventId,
    ) -> Result<(Option<Deployment>, Option<Deployment>)> {
        let key = self.key_in_view(event)?;
        let unit = self
            .ledger
            .event(event)
            .map(|e| e.unit())
            .ok_or_else(|| Error::unknown(RecordKind::Event, event))?;
        Ok((
            self.ledger
                .deployment_at(unit, key.saturating_sub(1), self.lens)?,
            self.ledger.deployment_at(unit, key, self.lens)?,
        ))
    }

    /// The event's key, if this view shows it.
    fn key_in_view(&self, event: &EventId) -> Result<u64> {
        let (key, layer) = self
            .ledger
            .event_key(event)
            .ok_or_else(|| Error::unknown(RecordKind::Event, event))?;
        if let Some(layer) = layer {
            if self.lens.layer.and_then(|l| self.ledger.layer_id(l)) != Some(layer) {
                return Err(Error::NotInView {
                    event: event.clone(),
                    layer: layer.clone(),
                });
            }
        }
        Ok(key)
    }

    /// The events that make up the total of `metric` in `scope` at the end of
    /// `date`, with what each added and the running balance: why the ledger
    /// says what it says. The changes add up to [`total`](View::total).
    ///
    /// # Errors
    ///
    /// As [`total`](View::total).
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::{scenario, AllianceId, Metric, RegionId, Scope, UnitKind};
    ///
    /// let ledger = scenario::madrid_2022()?.into_ledger();
    /// let tripwire = Scope::all()
    ///     .from_alliance(AllianceId::new("NATO")?)
    ///     .in_region(RegionId::new("baltic-states")?)
    ///     .of_kind(UnitKind::Battlegroup);
    /// let summit = "2022-06-29".parse()?;
    /// let why = ledger.view().explain(&tripwire, &Metric::PERSONNEL, summit)?;
    /// assert_eq!(Some(why.total()), ledger.total(&tripwire, &Metric::PERSONNEL, summit)?.get().map(i128::from));
    /// let events: Vec<&str> = why.entries().iter().map(|e| e.event.as_str()).collect();
    /// // The report's regional figure, then NATO's own, host by host.
    /// assert_eq!(
    ///     events,
    ///     ["efp-at-invasion", "efp-by-host", "efp-est-2022-06-28", "efp-lva-2022-06-28", "efp-ltu-2022-06-28"]
    /// );
    /// println!("{why}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explain(&self, scope: &Scope, metric: &Metric, date: NaiveDate) -> Result<Register> {
        self.ledger
            .register_at(Listing::Total, scope, metric, date, self.lens)
    }

    /// The changes to `metric` in `scope` announced by `date` and not yet
    /// effective then: what has been said, apart from what has happened.
    ///
    /// # Errors
    ///
    /// As [`total`](View::total).
    pub fn announced(&self, scope: &Scope, metric: &Metric, date: NaiveDate) -> Result<Register> {
        self.ledger
            .register_at(Listing::Announced, scope, metric, date, self.lens)
    }

    /// Where `unit` stands at the end of `date`, or `None` when it is not deployed.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown unit.
    pub fn deployment(&self, unit: &UnitId, date: NaiveDate) -> Result<Option<Deployment>> {
        self.ledger.deployment_at(unit, end_of(date), self.lens)
    }
}

/// The ledger's shortcuts to its views. They live here, beside [`View`],
/// so that the ledger, which a view reads, does not in turn depend on it.
impl Ledger {
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
        let lens = Lens {
            layer: Some(self.layer_number(layer)?),
            ..Lens::default()
        };
        Ok(View::new(self, lens))
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
    ) -> Result<Comparison> {
        self.view().compare(scope, metric, from, to)
    }

    /// The totals just before and just after `event`, in the event's own layer.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown event; otherwise as [`total`](Ledger::total).
    pub fn across(&self, event: &EventId, scope: &Scope, metric: &Metric) -> Result<Comparison> {
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
    ) -> Result<Comparison> {
        let before = self.total(scope, metric, date)?;
        let after = self.with_layer(layer)?.total(scope, metric, date)?;
        Ok(Comparison::new(metric.clone(), before, after))
    }

    /// Where `unit` stands at the end of `date` in the baseline, or `None` when it is not deployed.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] for an unknown unit.
    pub fn deployment(&self, unit: &UnitId, date: NaiveDate) -> Result<Option<Deployment>> {
        self.view().deployment(unit, date)
    }
}

/// Two totals of one metric, before and after, with the change and the ratio
/// between them where both are recorded.
///
/// # Example
///
/// ```
/// use posture_ledger::{Comparison, Count, Metric, Total};
/// use rust_decimal::Decimal;
///
/// let day = "2022-06-29".parse()?;
/// let c = Comparison::new(
///     Metric::PERSONNEL,
///     Total::recorded(Count::new(4_000), day),
///     Total::recorded(Count::new(50_000), day),
/// );
/// assert_eq!(c.change(), Some(46_000));
/// assert_eq!(c.ratio(), Some(Decimal::new(125, 1)));
/// assert_eq!(c.to_string(), "4,000 → 50,000 personnel (+46,000, ×12.5)");
/// // With no record before, there is no change to speak of.
/// let new = Comparison::new(Metric::PERSONNEL, Total::NO_RECORD, Total::recorded(Count::new(4_000), day));
/// assert_eq!((new.change(), new.ratio()), (None, None));
/// assert_eq!(new.to_string(), "no record → 4,000 personnel");
/// # Ok::<(), chrono::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    metric: Metric,
    before: Total,
    after: Total,
}

impl Comparison {
    /// Compares two totals of `metric`.
    pub fn new(metric: Metric, before: Total, after: Total) -> Self {
        Comparison {
            metric,
            before,
            after,
        }
    }

    /// The metric both totals count.
    pub fn metric(&self) -> &Metric {
        &self.metric
    }

    /// The earlier (or baseline) total.
    pub fn before(&self) -> Total {
        self.before
    }

    /// The later (or what-if) total.
    pub fn after(&self) -> Total {
        self.after
    }

    /// `after − before`, exact, where both are recorded.
    pub fn change(&self) -> Option<i128> {
        let (before, after) = (self.before.get()?, self.after.get()?);
        Some(i128::from(after) - i128::from(before))
    }

    /// `after / before` as an exact decimal (to 28 significant digits), where
    /// both are recorded and `before` is not zero.
    pub fn ratio(&self) -> Option<Decimal> {
        let (before, after) = (self.before.get()?, self.after.get()?);
        Decimal::from(after)
            .checked_div(Decimal::from(before))
            .map(|r| r.normalize())
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} → {} {}", self.before, self.after, self.metric)?;
        let Some(change) = self.change() else {
            return Ok(());
        };
        write!(f, " ({}", signed_whole(change))?;
        match self.ratio() {
            Some(r) => write!(f, ", ×{r})"),
            None => f.write_str(")"),
        }
    }
}
