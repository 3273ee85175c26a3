//! The query engine: a scope resolved into a [`Filter`], and the totals,
//! parts, tracks and first records that [`View`](crate::View) asks for,
//! read from the index's cells or, for a unit filter or a date of
//! knowledge, replayed.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;

use super::machine::State;
use super::replay::Replay;
use super::{date_of, end_of, internal, EventRef, Ledger};
use crate::base::Base;
use crate::country::{Country, Region};
use crate::deployment::{Deployment, Footing};
use crate::error::{Error, RecordKind, Result};
use crate::event::{EventId, LayerId};
use crate::hash::FastMap;
use crate::index::{self, CellKey, Cells, Contrib, Contribution, Host, Key, Loc, Series, Sum};
use crate::metric::{Count, Metric, Quantity};
use crate::scope::{Places, Scope};
use crate::total::Total;
use crate::unit::{Unit, UnitId};

impl Ledger {
    /// The number of the what-if layer `layer`.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] when the ledger has no such layer.
    pub(crate) fn layer_number(&self, layer: &LayerId) -> Result<u16> {
        self.layers
            .position(layer)
            .and_then(|p| u16::try_from(p).ok())
            .ok_or_else(|| Error::unknown(RecordKind::Layer, layer))
    }

    /// Where event `id` stands in its unit's timeline, and its layer.
    pub(crate) fn event_key(&self, id: &EventId) -> Option<(Key, Option<&LayerId>)> {
        let seq = self.log.find(id)?;
        let e = self.log.at(seq);
        Some((self.log.key_of(seq), e.layer()))
    }

    /// The id of the what-if layer numbered `layer`.
    pub(crate) fn layer_id(&self, layer: u16) -> Option<&LayerId> {
        self.layers.items.get(usize::from(layer)).map(|l| &l.id)
    }

    /// Whether a total read through `lens` may be stale: only where a
    /// maximum age applies or some event gives its figure an end. Where
    /// neither, no total is, and none need be read to tell.
    pub(crate) fn may_be_stale(&self, lens: Lens) -> bool {
        lens.max_age.is_some() || self.log.ends()
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
        let ages = self.may_be_stale(lens);
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
                self.each_cell(&filter, m, layer, date, |cell, series| {
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
                        self.log
                            .get(self.log.version(index::seq(k), lens.known_at))
                            .and_then(|e| e.valid_until())
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
    pub(crate) fn noted_events(&self) -> impl Iterator<Item = EventRef<'_>> {
        self.log.noted()
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

    /// When the ledger's records of `metric` in `scope` begin, in `lens`'s
    /// view, for each footing, unit kind and contributor country its cells
    /// hold, with memberships as on `date`: one pass over the scope's cells
    /// that answers, for any date in the same memberships, what a caveat
    /// would otherwise ask a total of each footing, kind and contributor
    /// for. `None` where the total is replayed (a unit filter, a date of
    /// knowledge): ask the totals then.
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
    ) -> Result<Option<Shapes>> {
        let Some(&m) = self.metric_ix.get(metric) else {
            return Ok(Some(Shapes::default()));
        };
        let filter = self.filter(scope, date)?;
        if filter.units.is_some() || lens.known_at.is_some() {
            return Ok(None);
        }
        // A cell's baseline and its layer's difference are read together: a
        // layer that moves a unit out of a cell takes the baseline's later
        // observations there away.
        let mut parts: FastMap<CellKey, Vec<&Series>> = FastMap::default();
        self.each_cell(&filter, m, lens.layer, date, |cell, series| {
            parts.entry(*cell).or_default().push(series);
        });
        let mut shapes = Shapes::default();
        for (cell, series) in parts {
            let first = match series.as_slice() {
                [one] => one.first_seen(),
                _ => Series::sum(series).first_seen(),
            };
            if let Some(first) = first {
                shapes.begin(cell, first);
            }
        }
        Ok(Some(shapes))
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
        mut each: impl FnMut(&'c CellKey, &'c Series),
    ) {
        let layer_cells = layer.and_then(|l| self.layer_cells.get(usize::from(l)));
        for cells in std::iter::once(&self.baseline).chain(layer_cells) {
            let mut each = |cell: &'c CellKey, series: &'c Series| {
                if cell.metric == m && filter.matches(self, cell, date) {
                    each(cell, series);
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
    pub(crate) fn event_at_key(&self, key: Key) -> Option<EventRef<'_>> {
        self.log.get(self.log.version(index::seq(key), None))
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
    pub(super) fn filter<'s>(&self, scope: &'s Scope, date: NaiveDate) -> Result<Filter<'s>> {
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
pub(super) fn host_of(bases: &[Base], loc: Loc) -> Host {
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

/// A footing, unit kind or contributor country that a scope's records hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Shape {
    /// Records on this footing.
    Footing(Footing),
    /// Records of units of this kind.
    Kind(crate::unit::UnitKind),
    /// Records of this country's own units.
    Country(Country),
}

/// When a scope's records of each [`Shape`] begin, in one metric and view:
/// built once for a scope, it tells each claim's date what the scope records
/// then in one look-up, where walking the scope's cells would cost every
/// claim the scope's size.
#[derive(Debug, Default)]
pub(crate) struct Shapes {
    first: FastMap<Shape, Key>,
}

impl Shapes {
    /// Takes in a cell whose records begin at `first`.
    fn begin(&mut self, cell: CellKey, first: Key) {
        let country = match cell.contributor {
            Contrib::Country(c) => Some(Shape::Country(c)),
            Contrib::Alliance(_) => None,
        };
        let shapes = [Shape::Footing(cell.footing), Shape::Kind(cell.kind)];
        for shape in shapes.into_iter().chain(country) {
            let begins = self.first.entry(shape).or_insert(first);
            *begins = (*begins).min(first);
        }
    }

    /// Whether the scope records `shape` on `date`: a record, once begun,
    /// stays, as the observations in view only grow with time.
    pub(crate) fn records(&self, shape: Shape, date: NaiveDate) -> bool {
        self.first.get(&shape).is_some_and(|&k| k <= end_of(date))
    }
}

/// What a query sees: a what-if layer or none, and a date of knowledge or none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Lens {
    pub layer: Option<u16>,
    pub known_at: Option<NaiveDate>,
    /// Days after which a figure is stale.
    pub max_age: Option<u32>,
}

/// A scope with its ids resolved and its memberships taken on one date.
pub(super) struct Filter<'s> {
    /// Sorted.
    pub(super) hosts: Option<Vec<Country>>,
    /// The region, when the host filter is one region.
    pub(super) region: Option<u32>,
    /// Countries sorted, and alliances.
    pub(super) contributors: Option<(Vec<Country>, Vec<u32>)>,
    pub(super) bases: Option<HashSet<u32>>,
    pub(super) footings: Option<&'s BTreeSet<Footing>>,
    pub(super) kinds: Option<&'s BTreeSet<crate::UnitKind>>,
    pub(super) units: Option<BTreeSet<u32>>,
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

    pub(super) fn matches(&self, ledger: &Ledger, cell: &CellKey, date: NaiveDate) -> bool {
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
