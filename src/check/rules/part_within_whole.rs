//! [`Rule::PartWithinWhole`]: a part cannot exceed its whole. Which pairs
//! of scopes nest on the whole's days, and what is judged of each pair.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::check::evidence::{decimal, hull};
use crate::check::text::{Label, Says};
use crate::check::{internal, Checker, Draft, Fact, Finding, Rule, Verdict};
use crate::claim::AsOf;
use crate::country::Country;
use crate::error::Result;
use crate::event::LayerId;
use crate::hash::FastMap;
use crate::interval::Interval;
use crate::metric::Metric;
use crate::scope::{Places, Scope};

/// Facts' positions by scope.
type ByScope<'s> = FastMap<&'s Scope, Vec<usize>>;

impl<'a> Checker<'a> {
    /// Part within whole: different scopes, one metric and layer, overlapping
    /// dates. The facts are grouped by metric and layer, then by scope,
    /// each scope's sorted by date; each ordered pair of scopes that may
    /// nest is swept for facts whose dates overlap, and the pairs are then
    /// taken in the order of a scan of every pair.
    pub(super) fn parts_within_wholes(
        &self,
        facts: &[Fact<'a>],
        days: &[(NaiveDate, NaiveDate)],
        findings: &mut Vec<Finding>,
    ) -> Result<()> {
        let mut by_metric: FastMap<(&Metric, Option<&LayerId>), ByScope<'_>> = FastMap::default();
        for (i, f) in facts.iter().enumerate() {
            by_metric
                .entry((f.metric, f.layer))
                .or_default()
                .entry(f.scope)
                .or_default()
                .push(i);
        }
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for by_scope in by_metric.into_values() {
            let mut groups: Vec<ScopeFacts<'_>> = by_scope
                .into_iter()
                .map(|(scope, mut group)| {
                    group.sort_by_key(|&i| (days[i].0, i));
                    // The longest span bounds how early an overlapping fact can start.
                    let longest = group
                        .iter()
                        .map(|&i| days[i].1 - days[i].0)
                        .max()
                        .unwrap_or_default();
                    ScopeFacts {
                        scope,
                        facts: group,
                        longest,
                        dated: dated(scope),
                        changes: self.ledger.membership_changes(scope),
                        shape: Shape::of(scope),
                    }
                })
                .collect();
            groups.sort_by_key(|g| g.facts[0]);
            for part in &groups {
                for whole in &groups {
                    if std::ptr::eq(part, whole)
                        || !part.shape.may_fit(&whole.shape)
                        || !may_be_within(part.scope, whole.scope)
                    {
                        continue;
                    }
                    // Scopes of countries alone nest, or not, on every date.
                    let undated = !part.dated && !whole.dated;
                    if undated && !self.within(part.scope, whole.scope, NaiveDate::MIN)? {
                        continue;
                    }
                    for &i in &part.facts {
                        let (first, last) = days[i];
                        let earliest = first
                            .checked_sub_signed(whole.longest)
                            .unwrap_or(NaiveDate::MIN);
                        let from = whole.facts.partition_point(|&j| days[j].0 < earliest);
                        for &j in &whole.facts[from..] {
                            if days[j].0 > last {
                                break;
                            }
                            if days[j].1 < first {
                                continue;
                            }
                            if undated || self.within_throughout(part, whole, days[j])? {
                                candidates.push((i, j));
                            }
                        }
                    }
                }
            }
        }
        candidates.sort_unstable();
        for (i, j) in candidates {
            let (part, whole) = (&facts[i], &facts[j]);
            if part.claim.id() != whole.claim.id() {
                let shift = self.part_shift(part, whole)?;
                let (p, w) = (self.scope_text(part.scope), self.scope_text(whole.scope));
                findings.push(part_within_whole(part, whole, shift, (&p, &w))?);
            }
        }
        Ok(())
    }

    /// What the ledger changed in the part's scope between any day the part
    /// may mean and any day the whole may mean: a part stated for February
    /// and a whole for 25 February are compared as the part stood on the 25th.
    /// Unlike a claim's own days, the whole's keep the days before anything
    /// was recorded in the part: the whole may mean one when the part was
    /// nothing.
    fn part_shift(&self, part: &Fact<'a>, whole: &Fact<'a>) -> Result<Interval> {
        self.shift_to(part, whole.as_of, || {
            let totals = self.day_totals(part.view, part.scope, part.metric, whole.as_of)?;
            // The change the ledger records: a day before any record of the
            // part holds nothing recorded of it.
            let totals: Vec<Decimal> = totals
                .unwrap_or_default()
                .into_iter()
                .map(|v| decimal(v.unwrap_or(0), part.metric))
                .collect::<Result<_>>()?;
            Ok(hull(&totals).unwrap_or(Interval::exact(Decimal::ZERO)))
        })
    }

    /// What the ledger changed in `a`'s scope from any day of `a` to any day
    /// of `to`, given the span of its totals over `to`'s days.
    fn shift_to(
        &self,
        a: &Fact<'a>,
        to: AsOf,
        span_to: impl FnOnce() -> Result<Interval>,
    ) -> Result<Interval> {
        let zero = Interval::exact(Decimal::ZERO);
        let one_day = a.as_of.first() == a.as_of.last()
            && a.as_of.first() == to.first()
            && to.first() == to.last();
        if one_day || !self.counts(a.metric) {
            return Ok(zero);
        }
        span_to()?
            .checked_sub(&self.span(a)?)
            .map_err(|e| internal(&e))
    }

    /// Whether every deployment `part` covers is covered by `whole` on `date`,
    /// judged from the scopes' filters.
    pub(in crate::check) fn within(
        &self,
        part: &Scope,
        whole: &Scope,
        date: NaiveDate,
    ) -> Result<bool> {
        if let Some(w) = whole.units() {
            let Some(p) = part.units() else {
                return Ok(false);
            };
            for id in p {
                let mut cur = Some(id.clone());
                let mut inside = false;
                while let Some(u) = cur {
                    if w.contains(&u) {
                        inside = true;
                        break;
                    }
                    cur = self.ledger.unit(&u).and_then(|x| x.parent().cloned());
                }
                if !inside {
                    return Ok(false);
                }
            }
        }
        if let Some(w) = whole.bases() {
            if !part.bases().is_some_and(|p| p.is_subset(w)) {
                return Ok(false);
            }
        }
        if let Some(w) = whole.hosts() {
            let w = self.countries(w, date)?;
            let p: Option<BTreeSet<Country>> = match (part.hosts(), part.bases()) {
                (Some(h), _) => Some(self.countries(h, date)?),
                (None, Some(bases)) => bases
                    .iter()
                    .map(|b| self.ledger.base(b).map(|b| b.host()))
                    .collect(),
                (None, None) => None,
            };
            if !p.is_some_and(|p| !p.is_empty() && p.is_subset(&w)) {
                return Ok(false);
            }
        }
        if let Some(w) = whole.contributors() {
            let Some(p) = part.contributors() else {
                return Ok(false);
            };
            let countries_ok = self
                .countries(p, date)?
                .is_subset(&self.countries(w, date)?);
            if !countries_ok || !p.alliances.is_subset(&w.alliances) {
                return Ok(false);
            }
        }
        if let Some(w) = whole.footings() {
            if !part.footings().is_some_and(|p| p.is_subset(w)) {
                return Ok(false);
            }
        }
        if let Some(w) = whole.kinds() {
            if !part.kinds().is_some_and(|p| p.is_subset(w)) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether `part` is within `whole` on every day from `first` to `last`,
    /// the days the whole's claim may mean: a part is bound by its whole only
    /// if it is part of it whichever of those days the whole's figure is for.
    fn within_throughout(
        &self,
        part: &ScopeFacts<'_>,
        whole: &ScopeFacts<'_>,
        (first, last): (NaiveDate, NaiveDate),
    ) -> Result<bool> {
        if !self.within(part.scope, whole.scope, first)? {
            return Ok(false);
        }
        for &day in part.changes.iter().chain(&whole.changes) {
            if first < day && day <= last && !self.within(part.scope, whole.scope, day)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn countries(&self, places: &Places, date: NaiveDate) -> Result<BTreeSet<Country>> {
        Ok(self.ledger.countries(places, date)?.into_iter().collect())
    }
}

/// One scope's facts of one metric and layer, sorted by their first day.
struct ScopeFacts<'s> {
    scope: &'s Scope,
    facts: Vec<usize>,
    /// The longest span of days among them.
    longest: chrono::TimeDelta,
    /// Whether the scope names a region or an alliance, whose members change.
    dated: bool,
    /// The days what the scope names changes members.
    changes: Vec<NaiveDate>,
    shape: Shape,
}

/// What a scope filters on, in a form compared in a few instructions: a bit
/// per filter it has, and where it names countries alone, the countries as
/// bits of a 64-bit mask. Ruling out most pairs of scopes this way leaves
/// [`may_be_within`] the few that might nest.
#[derive(Clone, Copy)]
struct Shape {
    filters: u8,
    hosts: Option<u64>,
    contributors: Option<u64>,
}

impl Shape {
    const HOSTS: u8 = 1;
    const CONTRIBUTORS: u8 = 2;
    const BASES: u8 = 4;
    const UNITS: u8 = 8;
    const FOOTINGS: u8 = 16;
    const KINDS: u8 = 32;

    fn of(scope: &Scope) -> Shape {
        let has = [
            (scope.hosts().is_some(), Shape::HOSTS),
            (scope.contributors().is_some(), Shape::CONTRIBUTORS),
            (scope.bases().is_some(), Shape::BASES),
            (scope.units().is_some(), Shape::UNITS),
            (scope.footings().is_some(), Shape::FOOTINGS),
            (scope.kinds().is_some(), Shape::KINDS),
        ];
        let countries = |p: Option<&Places>| {
            let p = p.filter(|p| p.regions.is_empty() && p.alliances.is_empty())?;
            // A country to one of 64 bits, spread by a multiplicative hash.
            Some(p.countries.iter().fold(0u64, |bits, c| {
                bits | 1 << (c.bits().wrapping_mul(0x9E37_79B1) >> 26)
            }))
        };
        Shape {
            filters: has
                .iter()
                .filter(|(on, _)| *on)
                .fold(0, |f, (_, bit)| f | bit),
            hosts: countries(scope.hosts()),
            contributors: countries(scope.contributors()),
        }
    }

    /// False only where [`may_be_within`] is false.
    fn may_fit(&self, whole: &Shape) -> bool {
        // A host filter is met by hosts or by bases; every other by itself.
        let needed = whole.filters & !Shape::HOSTS;
        let hosts_met =
            whole.filters & Shape::HOSTS == 0 || self.filters & (Shape::HOSTS | Shape::BASES) != 0;
        let among = |part: Option<u64>, whole: Option<u64>| match (part, whole) {
            (Some(p), Some(w)) => p & !w == 0,
            _ => true,
        };
        needed & !self.filters == 0
            && hosts_met
            && among(self.hosts, whole.hosts)
            && among(self.contributors, whole.contributors)
    }
}

/// Whether `scope` names a region or an alliance: what it covers then
/// depends on the date.
fn dated(scope: &Scope) -> bool {
    [scope.hosts(), scope.contributors()]
        .into_iter()
        .flatten()
        .any(|p| !p.regions.is_empty() || !p.alliances.is_empty())
}

/// What [`Checker::within`] needs, read off the scopes alone and cheaply:
/// every filter of the whole is one the part has, and where both name
/// countries alone, the part's are among the whole's.
fn may_be_within(part: &Scope, whole: &Scope) -> bool {
    fn subset<T: Ord>(part: Option<&BTreeSet<T>>, whole: Option<&BTreeSet<T>>) -> bool {
        match (part, whole) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(p), Some(w)) => p.is_subset(w),
        }
    }
    let countries_only = |p: &Places| p.regions.is_empty() && p.alliances.is_empty();
    let places = |p: Option<&Places>, w: Option<&Places>| match (p, w) {
        (Some(p), Some(w)) if countries_only(p) && countries_only(w) => {
            p.countries.is_subset(&w.countries)
        }
        _ => true,
    };
    let hosts = whole.hosts().is_none() || part.hosts().is_some() || part.bases().is_some();
    hosts
        && places(part.hosts(), whole.hosts())
        && (whole.contributors().is_none() || part.contributors().is_some())
        && places(part.contributors(), whole.contributors())
        && (whole.units().is_none() || part.units().is_some())
        && subset(part.bases(), whole.bases())
        && subset(part.footings(), whole.footings())
        && subset(part.kinds(), whole.kinds())
}

/// A part cannot exceed its whole; what is left is bounded. `shift` is what
/// the ledger changed in the part between their dates (zero on one day);
/// `p` and `w` are the part's and the whole's scopes in words.
fn part_within_whole(
    part: &Fact<'_>,
    whole: &Fact<'_>,
    shift: Interval,
    (p, w): (&str, &str),
) -> Result<Finding> {
    let moved = shift.is_exact() != Some(Decimal::ZERO);
    let part_then = part
        .interval
        .checked_add(&shift)
        .map_err(|e| internal(&e))?;
    let remainder = whole
        .interval
        .checked_sub(&part_then)
        .map_err(|e| internal(&e))?
        .intersection(&Interval::at_least(Decimal::ZERO));
    let mut evidence = vec![Label::Part(part.label()).of(part.interval)];
    if moved {
        evidence.push(
            Label::PartChange {
                part: p,
                from: part.as_of,
                to: whole.as_of,
            }
            .of(shift),
        );
    }
    evidence.push(Label::Whole(whole.label()).of(whole.interval));
    let mut f = Draft::new(
        Rule::PartWithinWhole,
        Verdict::Consistent,
        vec![part.claim.id().clone(), whole.claim.id().clone()],
    );
    f.evidence = evidence;
    let rest = match remainder {
        Some(rest) => {
            f.evidence.push(Label::Rest { whole: w, part: p }.of(rest));
            let stated = match (part.stated, whole.stated) {
                (Some(ps), Some(ws)) if !moved && ws.stated() >= ps.stated() => {
                    Some(ws.stated() - ps.stated())
                }
                _ => None,
            };
            Some((rest, stated))
        }
        None => {
            f.verdict = Verdict::Conflicting;
            f.gap = part_then.gap(&whole.interval).ok().flatten();
            None
        }
    };
    Ok(f.says(Says::PartOfWhole {
        part: p,
        part_claimed: part.interval,
        whole: w,
        whole_claimed: whole.interval,
        shift: moved.then_some(shift),
        rest,
    }))
}
