//! [`Rule::SameDate`]: claims of one scope and metric on overlapping dates.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::check::text::{Label, Named, Says, Shared};
use crate::check::{internal, Checker, Draft, Evidence, Fact, Finding, Rule, Verdict};
use crate::claim::{AsOf, ClaimId};
use crate::error::Result;
use crate::hash::FastSet;
use crate::interval::{cmp_high, cmp_low, Interval};

impl<'a> Checker<'a> {
    /// The same-date rule over one scope's facts, sorted by first day. The
    /// facts fall into runs whose dates chain together. Where every fact of
    /// a run shares a day with every other, one finding says whether they
    /// can all hold (intervals that meet pairwise all meet) and, if not,
    /// which two lie farthest apart and the fewest groups that agree within;
    /// elsewhere each fact gets one finding against those whose dates
    /// overlap it. Either way the findings grow with the facts, not with
    /// their pairs.
    pub(super) fn same_dates(
        &self,
        facts: &[Fact<'a>],
        days: &[(NaiveDate, NaiveDate)],
        group: &[usize],
        where_: &str,
        findings: &mut Vec<Finding>,
    ) -> Result<()> {
        let mut start = 0;
        while start < group.len() {
            let mut end = start + 1;
            let mut reach = days[group[start]].1;
            while end < group.len() && days[group[end]].0 <= reach {
                reach = reach.max(days[group[end]].1);
                end += 1;
            }
            let run = &group[start..end];
            start = end;
            if run.len() < 2 {
                continue;
            }
            let claims: FastSet<&ClaimId> = run.iter().map(|&i| facts[i].claim.id()).collect();
            if claims.len() < 2 {
                continue;
            }
            let mut offsets = Vec::with_capacity(run.len());
            for &i in run {
                let span = self.span(&facts[i])?;
                let offset = facts[i]
                    .interval
                    .checked_sub(&span)
                    .map_err(|e| internal(&e))?;
                offsets.push(Offset {
                    fact: i,
                    span,
                    offset,
                });
            }
            let shared =
                run.iter().map(|&i| days[i].0).max() <= run.iter().map(|&i| days[i].1).min();
            // A change claim's two points may both be in a run: they are
            // not compared with each other, so such a run is read fact by fact.
            if shared && claims.len() == run.len() {
                findings.push(all_on_shared_days(facts, days, &offsets, where_)?);
            } else {
                each_against_overlapping(facts, days, &offsets, where_, findings)?;
            }
        }
        Ok(())
    }
}

/// A fact as the same-date rule reads it: its claimed interval less the
/// ledger's totals over its days. Two facts of one scope on overlapping
/// dates can both hold exactly when theirs meet, since `a` carried by what
/// the ledger changed between their days, `a + (ledger on b − ledger on a)`,
/// meets `b` if and only if `a − ledger on a` meets `b − ledger on b`.
struct Offset {
    fact: usize,
    /// The ledger's totals over the fact's days, least to most; zero where
    /// the ledger counts nothing of the metric.
    span: Interval,
    /// The claimed interval less `span`.
    offset: Interval,
}

/// The one figure the ledger stands at over every fact's days, if it does:
/// then the claims compare as stated, with no change of the ledger's
/// between them.
fn level(offsets: &[&Offset]) -> Option<Decimal> {
    let first = offsets.first()?.span;
    first
        .is_exact()
        .filter(|_| offsets.iter().all(|o| o.span == first))
}

/// The facts of `offsets` named with their intervals, for the sentence.
fn named<'f>(facts: &'f [Fact<'_>], offsets: &[&Offset]) -> Vec<Named<'f>> {
    offsets.iter().map(|o| facts[o.fact].named()).collect()
}

/// The ledger's totals over each distinct span of days, as evidence.
fn spans_evidence(facts: &[Fact<'_>], offsets: &[&Offset], where_: &str) -> Vec<Evidence> {
    let mut seen = FastSet::default();
    offsets
        .iter()
        .filter(|o| seen.insert(facts[o.fact].as_of))
        .map(|o| {
            Label::Ledger {
                where_,
                at: facts[o.fact].as_of,
            }
            .of(o.span)
        })
        .collect()
}

/// Facts of one scope that all share a day, each of a different claim: can
/// they all hold? One finding, with every claim's interval as evidence; if
/// they cannot, the two farthest apart and the fewest groups that agree
/// within, each with the interval it leaves.
fn all_on_shared_days(
    facts: &[Fact<'_>],
    days: &[(NaiveDate, NaiveDate)],
    offsets: &[Offset],
    where_: &str,
) -> Result<Finding> {
    let all: Vec<&Offset> = offsets.iter().collect();
    let level = level(&all);
    // In the claims' own terms where the ledger stands still over their days.
    let shown = |i: Interval| match level {
        Some(v) => i.checked_add(&Interval::exact(v)).map_err(|e| internal(&e)),
        None => Ok(i),
    };
    let when = {
        let first = offsets.iter().map(|o| facts[o.fact].as_of);
        let mut distinct: Vec<AsOf> = first.collect();
        distinct.dedup();
        match distinct.as_slice() {
            [one] => Shared::On(*one),
            _ => {
                let from = offsets.iter().map(|o| days[o.fact].0).max();
                let until = offsets.iter().map(|o| days[o.fact].1).min();
                match (from, until) {
                    (Some(f), Some(u)) => Shared::Days(f, u),
                    _ => return Err(internal(&"a run of no facts")),
                }
            }
        }
    };
    let mut f = Draft::new(
        Rule::SameDate,
        Verdict::Consistent,
        offsets
            .iter()
            .map(|o| facts[o.fact].claim.id().clone())
            .collect(),
    );
    f.evidence = offsets.iter().map(|o| facts[o.fact].evidence()).collect();
    if level.is_none() {
        f.evidence.extend(spans_evidence(facts, &all, where_));
    }
    // The intersection of intervals runs from their highest low end to
    // their lowest high end.
    let (Some(highest), Some(lowest)) = (
        offsets
            .iter()
            .max_by(|a, b| cmp_low(a.offset.low(), b.offset.low())),
        offsets
            .iter()
            .min_by(|a, b| cmp_high(a.offset.high(), b.offset.high())),
    ) else {
        return Err(internal(&"a run of no facts"));
    };
    if let Ok(meet) = Interval::new(highest.offset.low(), lowest.offset.high()) {
        let meet = shown(meet)?;
        f.evidence.push(
            Label::AllMeet {
                level: level.is_some(),
            }
            .of(meet),
        );
        return Ok(f.says(Says::AllMeet {
            listed: named(facts, &all),
            where_,
            when,
            meet,
            allowing: level.is_none(),
        }));
    }
    f.verdict = Verdict::Conflicting;
    f.gap = lowest
        .offset
        .gap(&highest.offset)
        .map_err(|e| internal(&e))?;
    // The fewest groups that agree within: taken by their high ends, each
    // fact joins the group being built if it meets what the group leaves,
    // else starts the next. No fewer groups can do.
    let mut by_high: Vec<&Offset> = offsets.iter().collect();
    by_high.sort_by(|a, b| cmp_high(a.offset.high(), b.offset.high()));
    let mut groups: Vec<(Vec<&Offset>, Interval)> = Vec::new();
    for o in by_high {
        match groups.last_mut() {
            Some((members, meet)) if meet.intersects(&o.offset) => {
                members.push(o);
                *meet = meet.intersection(&o.offset).unwrap_or(*meet);
            }
            _ => groups.push((vec![o], o.offset)),
        }
    }
    let mut agreeing = Vec::with_capacity(groups.len());
    for (members, meet) in &groups {
        let ids: Vec<&ClaimId> = members.iter().map(|o| facts[o.fact].claim.id()).collect();
        let meet = shown(*meet)?;
        f.evidence.push(Label::Agree(ids.clone()).of(meet));
        agreeing.push((ids, meet));
    }
    let gap = f.gap.unwrap_or_default();
    Ok(f.says(Says::CannotAllMeet {
        count: offsets.len(),
        where_,
        when,
        lowest: facts[lowest.fact].named(),
        highest: facts[highest.fact].named(),
        gap,
        allowing: level.is_none(),
        groups: agreeing,
    }))
}

/// Facts of one scope whose dates chain together without all sharing a day:
/// each against those of other claims whose dates overlap its own, with the
/// farthest that it does not meet below and above.
fn each_against_overlapping(
    facts: &[Fact<'_>],
    days: &[(NaiveDate, NaiveDate)],
    offsets: &[Offset],
    where_: &str,
    findings: &mut Vec<Finding>,
) -> Result<()> {
    // Sorted by first day; the longest span bounds how early an overlapping one starts.
    let longest = offsets
        .iter()
        .map(|o| days[o.fact].1 - days[o.fact].0)
        .max()
        .unwrap_or_default();
    for a in offsets {
        let (first, last) = days[a.fact];
        let fa = &facts[a.fact];
        let earliest = first.checked_sub_signed(longest).unwrap_or(NaiveDate::MIN);
        let from = offsets.partition_point(|o| days[o.fact].0 < earliest);
        let (mut overlapping, mut missed) = (0usize, 0usize);
        let (mut below, mut above): (Option<&Offset>, Option<&Offset>) = (None, None);
        for b in &offsets[from..] {
            let (b_first, b_last) = days[b.fact];
            if b_first > last {
                break;
            }
            if b_last < first || facts[b.fact].claim.id() == fa.claim.id() {
                continue;
            }
            overlapping += 1;
            if b.offset.intersects(&a.offset) {
                continue;
            }
            missed += 1;
            if cmp_low(b.offset.low(), a.offset.low()) == std::cmp::Ordering::Less {
                if below.is_none_or(|x| cmp_high(b.offset.high(), x.offset.high()).is_lt()) {
                    below = Some(b);
                }
            } else if above.is_none_or(|x| cmp_low(b.offset.low(), x.offset.low()).is_gt()) {
                above = Some(b);
            }
        }
        if overlapping == 0 {
            continue;
        }
        let shown: Vec<&Offset> = [Some(a), below, above].into_iter().flatten().collect();
        let mut f = Draft::new(
            Rule::SameDate,
            Verdict::Consistent,
            shown
                .iter()
                .map(|o| facts[o.fact].claim.id().clone())
                .collect(),
        );
        f.evidence = shown.iter().map(|o| facts[o.fact].evidence()).collect();
        let level = level(&shown);
        if level.is_none() {
            f.evidence.extend(spans_evidence(facts, &shown, where_));
        }
        let mut apart = Vec::new();
        for b in [below, above].into_iter().flatten() {
            let gap = a.offset.gap(&b.offset).map_err(|e| internal(&e))?;
            f.gap = f.gap.max(gap);
            apart.push((
                facts[b.fact].named(),
                facts[b.fact].as_of,
                gap.unwrap_or_default(),
            ));
        }
        if missed > 0 {
            f.verdict = Verdict::Conflicting;
        }
        findings.push(f.says(Says::AgainstOverlapping {
            claim: fa.named(),
            where_,
            at: fa.as_of,
            overlapping,
            missed,
            allowing: level.is_none(),
            apart,
        }));
    }
    Ok(())
}
