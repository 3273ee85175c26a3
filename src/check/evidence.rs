//! What the checker reads from the ledger: totals over a claim's days,
//! each scope's tracks through time, the events that cite a line, and
//! staleness, each worked out once and cached for every claim that asks.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::rc::Rc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::coverage::Kept;
use super::text::{describe, Stale};
use super::{Caveat, Checker, Fact};
use crate::claim::{AsOf, Claim};
use crate::country::Country;
use crate::error::{Error, Result};
use crate::event::{EventId, LayerId};
use crate::hash::FastMap;
use crate::index::Series;
use crate::interval::Interval;
use crate::ledger::{end_of, Ledger, Shapes};
use crate::metric::Metric;
use crate::scope::Scope;
use crate::view::View;

pub(super) type Described<'a> = (ScopeNo, &'a Metric, Option<&'a LayerId>);

pub(super) type TrackKey<'a> = (ScopeNo, &'a Metric, Option<u16>);

/// A scope's number among the distinct scopes of one check: the caches'
/// key, hashed and compared as one integer rather than as the scope's
/// sets, which every claim's rules look up several times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct ScopeNo(usize);

/// The numbers of the scopes met so far: by where a scope lies, then, for
/// a scope not met there before, by its value. A scope borrowed for the
/// check stays where it is, and no other lies there, for as long as the
/// check runs: its address names it.
#[derive(Default)]
pub(super) struct ScopeNos<'a> {
    by_place: FastMap<*const Scope, ScopeNo>,
    by_value: FastMap<&'a Scope, ScopeNo>,
}

pub(super) type Track<'a> = Rc<Cow<'a, Series>>;
/// A run of days, first and last, with its track.
pub(super) type Run<'a> = (NaiveDate, NaiveDate, Option<Track<'a>>);

/// One scope's tracks: one per run of days between the changes of what the
/// scope stands for, each built when first read; `None` where the total
/// must be replayed. Likewise when its records of each footing, kind and
/// contributor begin, for its caveats.
pub(super) struct Tracks<'a> {
    changes: Vec<NaiveDate>,
    built: FastMap<usize, Option<Track<'a>>>,
    shapes: FastMap<usize, Option<Rc<Shapes>>>,
}

impl Tracks<'_> {
    fn new(ledger: &Ledger, scope: &Scope) -> Self {
        Tracks {
            changes: ledger.membership_changes(scope),
            built: FastMap::default(),
            shapes: FastMap::default(),
        }
    }

    /// The run of days between changes that `date` falls in.
    fn run_of(&self, date: NaiveDate) -> usize {
        self.changes.partition_point(|&c| c <= date)
    }
}

impl<'a> Checker<'a> {
    /// [`describe`], written once per scope, metric and layer: claims of one
    /// scope share it.
    pub(super) fn describe(
        &self,
        scope: &'a Scope,
        metric: &'a Metric,
        layer: Option<&'a LayerId>,
    ) -> Rc<str> {
        Rc::clone(
            self.described
                .borrow_mut()
                .entry((self.scope_no(scope), metric, layer))
                .or_insert_with(|| describe(scope, metric, layer, self.ledger).into()),
        )
    }

    /// `scope` in words (`GBR in EST`), written once: a scope is the part or
    /// the whole of many pairs.
    pub(super) fn scope_text(&self, scope: &'a Scope) -> Rc<str> {
        Rc::clone(
            self.scope_texts
                .borrow_mut()
                .entry(self.scope_no(scope))
                .or_insert_with(|| scope.to_string().into()),
        )
    }

    /// The number of `scope` among the check's distinct scopes: equal
    /// scopes, wherever they lie, have one number.
    pub(super) fn scope_no(&self, scope: &'a Scope) -> ScopeNo {
        let mut nos = self.scope_nos.borrow_mut();
        let place: *const Scope = scope;
        if let Some(&no) = nos.by_place.get(&place) {
            return no;
        }
        let next = ScopeNo(nos.by_value.len());
        let no = *nos.by_value.entry(scope).or_insert(next);
        nos.by_place.insert(place, no);
        no
    }

    /// Whether any unit is counted in `metric`: if none, the ledger cannot tell.
    pub(super) fn counts(&self, metric: &Metric) -> bool {
        self.ledger.counts_metric(metric)
    }

    /// The positions of the events that cite `line` of any document, in log order.
    pub(super) fn citing(&self, line: u32) -> impl Iterator<Item = u32> + '_ {
        let cites = self.cites.get_or_init(|| {
            let mut cites: Vec<(u32, u32)> = self
                .ledger
                .events()
                .iter()
                .zip(0..)
                .filter_map(|(e, i)| Some((e.source()?.line?, i)))
                .collect();
            cites.sort_unstable();
            cites
        });
        let from = cites.partition_point(|&(l, _)| l < line);
        cites[from..]
            .iter()
            .take_while(move |&&(l, _)| l == line)
            .map(|&(_, i)| i)
    }

    /// The ledger's totals over the days of `as_of` that a record covers, in
    /// order, a value for each run of days it holds (not one per day): empty
    /// where no day has a record; `None` when no unit is counted in `metric`.
    pub(super) fn ledger_days(
        &self,
        view: View<'a>,
        scope: &'a Scope,
        metric: &'a Metric,
        as_of: AsOf,
    ) -> Result<Option<Vec<Decimal>>> {
        let Some(totals) = self.day_totals(view, scope, metric, as_of)? else {
            return Ok(None);
        };
        totals
            .into_iter()
            .flatten()
            .map(|v| decimal(v, metric))
            .collect::<Result<_>>()
            .map(Some)
    }

    /// The totals at the ends of the days of `as_of`, in order, one per
    /// change, recorded zeros included and `None` for days no record covers;
    /// `None` when the ledger counts nothing of `metric`.
    pub(super) fn day_totals(
        &self,
        view: View<'a>,
        scope: &'a Scope,
        metric: &'a Metric,
        as_of: AsOf,
    ) -> Result<Option<Vec<Option<i128>>>> {
        if !self.counts(metric) {
            return Ok(None);
        }
        let mut totals: Vec<Option<i128>> = Vec::new();
        for (first, last, track) in self.tracks(view, scope, metric, as_of.first(), as_of.last())? {
            match track {
                Some(track) => track.day_ends(end_of(first), end_of(last), &mut totals),
                None => {
                    for day in first.iter_days().take_while(|&d| d <= last) {
                        let total = view.total(scope, metric, day)?.get().map(i128::from);
                        if totals.last() != Some(&total) {
                            totals.push(total);
                        }
                    }
                }
            }
        }
        Ok(Some(totals))
    }

    /// The total of `metric` in `scope` through time, as the view shows it,
    /// over the days `first..=last`: the days cut where what the scope
    /// stands for changes, each run with its track (`None` where the total
    /// must be replayed).
    pub(super) fn tracks(
        &self,
        view: View<'a>,
        scope: &'a Scope,
        metric: &'a Metric,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<Run<'a>>> {
        let key = (self.scope_no(scope), metric, view.layer_index());
        let mut all = self.tracks.borrow_mut();
        let tracks = all
            .entry(key)
            .or_insert_with(|| Tracks::new(self.ledger, scope));
        let epoch = tracks.run_of(first);
        let mut runs = Vec::new();
        let mut start = first;
        for (n, &change) in tracks.changes[epoch..].iter().enumerate() {
            if change > last {
                break;
            }
            // A change is never `first` itself, so it has a day before it.
            runs.push((epoch + n, start, change.pred_opt().unwrap_or(change)));
            start = change;
        }
        runs.push((epoch + runs.len(), start, last));
        runs.into_iter()
            .map(|(epoch, from, to)| {
                let track = match tracks.built.get(&epoch) {
                    Some(track) => track.clone(),
                    None => {
                        let track = view.track(scope, metric, from)?.map(Rc::new);
                        tracks.built.insert(epoch, track.clone());
                        track
                    }
                };
                Ok((from, to, track))
            })
            .collect()
    }

    /// [`View::caveats`], reading what the checker keeps: whether the scope
    /// records anything on the date from its track, its [`Shapes`] built
    /// once for each run of days between changes of what it stands for,
    /// and the ledger's contributors once for each layer. Claims of one
    /// scope share them, each asking only of its own date.
    pub(super) fn caveats(
        &self,
        view: View<'a>,
        scope: &'a Scope,
        metric: &'a Metric,
        date: NaiveDate,
    ) -> Result<Vec<Caveat>> {
        let kept = KeptFor {
            checker: self,
            view,
            scope,
            metric,
            date,
        };
        view.caveats_with(scope, metric, date, &kept)
    }

    /// The ledger's totals over the days of `as_of`, as the interval from the
    /// least to the most; `None` when no unit is counted in `metric`.
    pub(super) fn ledger_range(
        &self,
        view: View<'a>,
        scope: &'a Scope,
        metric: &'a Metric,
        as_of: AsOf,
    ) -> Result<Option<Interval>> {
        Ok(self
            .ledger_days(view, scope, metric, as_of)?
            .and_then(|days| hull(&days)))
    }

    /// The view a claim is read in: its layer, as known on the check's date.
    pub(super) fn view_of(&self, layer: Option<&LayerId>) -> Result<View<'a>> {
        let view = match layer {
            None => self.ledger.view(),
            Some(l) => self.ledger.with_layer(l)?,
        };
        let view = match self.max_age {
            Some(days) => view.max_age(days),
            None => view,
        };
        Ok(match self.known_at {
            Some(k) => view.known_at(k),
            None => view,
        })
    }

    /// Where the view has a maximum age and the ledger's figure of `scope`
    /// on `date` is older: why it is stale, to say so instead of a verdict.
    pub(super) fn stale(
        &self,
        view: View<'_>,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
    ) -> Result<Option<Stale>> {
        if !self.ledger.may_be_stale(view.lens()) {
            return Ok(None);
        }
        let total = view.total(scope, metric, date)?;
        let (true, Some(oldest)) = (total.is_stale(), total.oldest_figure()) else {
            return Ok(None);
        };
        Ok(Some(match (total.valid_until(), view.max_age_days()) {
            (Some(until), _) if until < date => Stale::HoldsUntil(until),
            (_, Some(days)) => Stale::Observed { oldest, days, date },
            // Stale for one reason or the other, by construction.
            (_, None) => Stale::NoLongerHolds(date),
        }))
    }

    /// The recorded events that cite the claim's own line and count towards
    /// its scope: if any, the ledger's figure is the claim's own.
    pub(super) fn own_figures(
        &self,
        claim: &Claim,
        view: View<'_>,
        scope: &Scope,
        metric: &Metric,
        as_of: AsOf,
    ) -> Result<Vec<EventId>> {
        let (Some(line), document) = (claim.source().line, &claim.source().document) else {
            return Ok(Vec::new());
        };
        if !self.counts(metric) {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for i in self.citing(line) {
            let Some(event) = self.ledger.events().get(i as usize) else {
                continue;
            };
            let cites = event
                .source()
                .is_some_and(|s| s.line == Some(line) && &s.document == document);
            let visible = event.layer().is_none() || event.layer() == claim.layer();
            if cites && visible && event.effective() <= as_of.last() {
                // The event's figure is the ledger's there if the event itself
                // observed the scope: a line of the register behind the total.
                let within = scope.clone().unit(event.unit().clone());
                let register = view.explain(&within, metric, as_of.last())?;
                if register.entries().iter().any(|e| e.event == event.id()) {
                    out.push(event.id());
                }
            }
        }
        Ok(out)
    }

    /// The id of the event that stands at `key`, made once per check.
    fn cited_at(&self, key: crate::index::Key) -> Option<EventId> {
        if let Some(id) = self.cited.borrow().get(&key) {
            return Some(id.clone());
        }
        let id = self.ledger.event_at_key(key)?.id();
        self.cited.borrow_mut().insert(key, id.clone());
        Some(id)
    }

    /// The ledger's totals over the days a fact may mean, least to most; zero
    /// when the ledger counts nothing of its metric.
    pub(super) fn span(&self, f: &Fact<'a>) -> Result<Interval> {
        Ok(self
            .fact_days(f)?
            .and_then(hull)
            .unwrap_or(Interval::exact(Decimal::ZERO)))
    }

    /// The ledger's totals over a fact's days: see [`ledger_days`](Checker::ledger_days).
    pub(super) fn fact_days<'f>(&self, f: &'f Fact<'a>) -> Result<Option<&'f [Decimal]>> {
        if f.days.get().is_none() {
            let days = self.ledger_days(f.view, f.scope, f.metric, f.as_of)?;
            // Nothing else sets it: the value just worked out is the one kept.
            let _ = f.days.set(days);
        }
        Ok(f.days.get().and_then(Option::as_deref))
    }

    /// The events effective in (d1, d2] that changed the fact's total: the
    /// lines of the register behind the total on `d2` that fall after `d1`.
    /// One replay of the ledger per scope and date, however many events.
    pub(super) fn events_between(
        &self,
        fact: &Fact<'a>,
        d1: NaiveDate,
        d2: NaiveDate,
    ) -> Result<Vec<EventId>> {
        // Where the total has a track, its steps in the span are those events.
        let tracks = self.tracks(fact.view, fact.scope, fact.metric, d2, d2)?;
        if let Some((_, _, Some(track))) = tracks.first() {
            return Ok(track
                .changes_between(end_of(d1), end_of(d2))
                .filter_map(|key| self.cited_at(key))
                .collect());
        }
        let register = fact.view.explain(fact.scope, fact.metric, d2)?;
        Ok(register
            .into_entries()
            .into_iter()
            .filter(|e| d1 < e.effective && e.effective <= d2 && e.change != 0)
            .map(|e| e.event)
            .collect())
    }
}

/// What the checker keeps that a caveat of `scope` on `date` reads.
struct KeptFor<'c, 'a> {
    checker: &'c Checker<'a>,
    view: View<'a>,
    scope: &'a Scope,
    metric: &'a Metric,
    date: NaiveDate,
}

impl Kept for KeptFor<'_, '_> {
    /// From the scope's track where it has one, as the total on the date
    /// would say: recorded where any observation lies at or before the
    /// date's end.
    fn recorded(&self) -> Result<bool> {
        let (c, date) = (self.checker, self.date);
        let runs = c.tracks(self.view, self.scope, self.metric, date, date)?;
        match runs.first() {
            Some((_, _, Some(track))) => Ok(track.seen_at(end_of(date)) > 0),
            _ => Ok(self
                .view
                .total(self.scope, self.metric, date)?
                .is_recorded()),
        }
    }

    fn shapes(&self) -> Result<Option<Rc<Shapes>>> {
        let (c, view, scope, metric) = (self.checker, self.view, self.scope, self.metric);
        let key = (c.scope_no(scope), metric, view.layer_index());
        let mut all = c.tracks.borrow_mut();
        let tracks = all
            .entry(key)
            .or_insert_with(|| Tracks::new(c.ledger, scope));
        let run = tracks.run_of(self.date);
        if let Some(shapes) = tracks.shapes.get(&run) {
            return Ok(shapes.clone());
        }
        let shapes = c
            .ledger
            .recorded_shapes(scope, metric, self.date, view.lens())?
            .map(Rc::new);
        tracks.shapes.insert(run, shapes.clone());
        Ok(shapes)
    }

    fn contributors(&self) -> Rc<BTreeSet<Country>> {
        let layer = self.view.layer_index();
        let mut all = self.checker.contributors.borrow_mut();
        Rc::clone(
            all.entry(layer)
                .or_insert_with(|| Rc::new(self.checker.ledger.contributor_countries(layer))),
        )
    }
}

/// A total as a `Decimal`; totals are sums of counts, never negative.
pub(super) fn decimal(total: i128, metric: &Metric) -> Result<Decimal> {
    u64::try_from(total)
        .map(Decimal::from)
        .map_err(|_| Error::TotalOverflow {
            metric: metric.clone(),
        })
}

/// The interval from the least to the most of `values`; `None` for none.
pub(super) fn hull(values: &[Decimal]) -> Option<Interval> {
    let low = values.iter().min()?;
    let high = values.iter().max()?;
    Interval::closed(*low, *high).ok()
}
