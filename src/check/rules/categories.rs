//! [`Rule::Categories`]: categorical claims about one subject, with each
//! other and against the ledger.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::check::text::{Recorded, Says};
use crate::check::validate::normalized;
use crate::check::{Checker, Draft, Finding, Kind, Prepared, Rule, Verdict};
use crate::claim::{ClaimId, Subject};
use crate::deployment::Footing;
use crate::error::Result;
use crate::hash::FastMap;
use crate::metric::Metric;

impl<'a> Checker<'a> {
    /// Categorical claims about one subject, on dates that chain together:
    /// where they all share a day, one finding of the values they state;
    /// elsewhere one per claim, against those whose dates overlap its own. A
    /// claim no other speaks with, about something the ledger does not
    /// record, is unverifiable. The findings grow with the claims, not with
    /// their pairs.
    pub(in crate::check) fn categories(&self, prepared: &[Prepared<'_>]) -> Result<Vec<Finding>> {
        let mut findings = Vec::new();
        let mut groups: BTreeMap<String, Vec<Said<'_>>> = BTreeMap::new();
        for (n, p) in prepared.iter().enumerate() {
            if let Kind::Category { subject, value } = &p.kind {
                let as_of = p.claim.as_of();
                groups
                    .entry(normalized(&format!("{subject:?}")))
                    .or_default()
                    .push(Said {
                        n,
                        p,
                        subject,
                        about: self.about(subject),
                        value,
                        normal: normalized(value),
                        days: (as_of.first(), as_of.last()),
                    });
            }
        }
        for group in groups.values_mut() {
            group.sort_by_key(|s| (s.days, s.n));
            let mut start = 0;
            while start < group.len() {
                let mut end = start + 1;
                let mut reach = group[start].days.1;
                while end < group.len() && group[end].days.0 <= reach {
                    reach = reach.max(group[end].days.1);
                    end += 1;
                }
                let run = &group[start..end];
                start = end;
                let shared =
                    run.iter().map(|s| s.days.0).max() <= run.iter().map(|s| s.days.1).min();
                match run {
                    [one] => {
                        if matches!(one.subject, Subject::Named { .. }) {
                            let f = Draft::new(
                                Rule::Categories,
                                Verdict::Unverifiable,
                                vec![one.p.claim.id().clone()],
                            );
                            findings.push(f.says(Says::Lone {
                                subject: &one.about,
                                at: one.p.claim.as_of(),
                                value: one.value.trim(),
                            }));
                        }
                    }
                    _ if shared => findings.push(values_on_shared_days(run)),
                    _ => findings.extend(each_value_against_overlapping(run)),
                }
            }
            // Each claim about something the ledger records, against the ledger.
            group.sort_by_key(|s| s.n);
            for s in group.iter() {
                if let Some(f) = self.category_vs_ledger(s.p, s.subject, s.value)? {
                    findings.push(f);
                }
            }
        }
        Ok(findings)
    }

    /// A subject in words: a footing's scope with the ledger's names.
    fn about(&self, subject: &Subject) -> String {
        match subject {
            Subject::Footing(scope) => text!("footing of {}", scope.named(self.ledger)),
            _ => subject.to_string(),
        }
    }

    /// A categorical claim against what the ledger records of its subject on
    /// its last day; `None` for a named subject, which the ledger does not record.
    fn category_vs_ledger(
        &self,
        p: &Prepared<'_>,
        subject: &Subject,
        value: &str,
    ) -> Result<Option<Finding>> {
        let claim = p.claim;
        let date = claim.as_of().last();
        let mut own = Vec::new();
        let (found, expected): (Vec<String>, String) = match subject {
            Subject::Named { .. } => return Ok(None),
            Subject::Membership { country, alliance } => {
                let Some(a) = self.ledger.alliance(alliance) else {
                    return Ok(None);
                };
                (
                    vec![a.status(*country, date).to_string()],
                    normalized(value),
                )
            }
            Subject::Footing(scope) => {
                let metrics: BTreeSet<&Metric> =
                    self.ledger.units().flat_map(|u| u.metrics()).collect();
                let mut footings = Vec::new();
                for footing in Footing::ALL {
                    let on = scope.clone().on_footing(*footing);
                    for metric in &metrics {
                        // A footing a unit has left holds a recorded 0.
                        if p.view
                            .total(&on, metric, date)?
                            .get()
                            .is_some_and(|n| n > 0)
                        {
                            footings.push(footing.to_string());
                            break;
                        }
                    }
                }
                for metric in &metrics {
                    own.extend(self.own_figures(claim, p.view, scope, metric, claim.as_of())?);
                }
                own.sort();
                own.dedup();
                (footings, normalized(value))
            }
        };
        let mut f = Draft::new(
            Rule::Categories,
            Verdict::Consistent,
            vec![claim.id().clone()],
        );
        if found.is_empty() {
            f.verdict = Verdict::Unverifiable;
            let subject = &self.about(subject);
            return Ok(Some(f.says(Says::RecordsNo { subject, date })));
        }
        let matched = if !own.is_empty() {
            f.verdict = Verdict::Unverifiable;
            f.events = own;
            Recorded::OwnLine
        } else if found.contains(&expected) {
            Recorded::AsClaimed
        } else {
            f.verdict = Verdict::Conflicting;
            Recorded::Not(expected)
        };
        Ok(Some(f.says(Says::Recorded {
            subject: &self.about(subject),
            date,
            found,
            matched,
        })))
    }
}

/// A categorical claim as the rule reads it.
struct Said<'p> {
    /// Its place among the claims checked.
    n: usize,
    p: &'p Prepared<'p>,
    subject: &'p Subject,
    /// The subject in words, with the names of the ledger.
    about: String,
    value: &'p str,
    /// The value as compared: lowercase, single spaces.
    normal: String,
    days: (NaiveDate, NaiveDate),
}

/// The values of claims that all share a day, each with its claims, in the
/// order first stated; values that differ only in case or spacing are one,
/// shown as first written.
fn values_of<'s>(said: impl Iterator<Item = &'s Said<'s>>) -> Vec<(&'s str, Vec<&'s ClaimId>)> {
    let mut at: FastMap<&str, usize> = FastMap::default();
    let mut values: Vec<(&str, Vec<&ClaimId>)> = Vec::new();
    for s in said {
        let k = *at.entry(s.normal.as_str()).or_insert_with(|| {
            values.push((s.value.trim(), Vec::new()));
            values.len() - 1
        });
        values[k].1.push(s.p.claim.id());
    }
    // Listed by value, as compared.
    values.sort_by_cached_key(|(v, _)| normalized(v));
    values
}

/// Categorical claims about one subject that all share a day: one finding,
/// conflicting if they state more than one value.
fn values_on_shared_days(run: &[Said<'_>]) -> Finding {
    let mut ordered: Vec<&Said<'_>> = run.iter().collect();
    ordered.sort_by_key(|s| s.n);
    let values = values_of(ordered.iter().copied());
    let conflict = values.len() > 1;
    let f = Draft::new(
        Rule::Categories,
        if conflict {
            Verdict::Conflicting
        } else {
            Verdict::Consistent
        },
        ordered.iter().map(|s| s.p.claim.id().clone()).collect(),
    );
    f.says(Says::Values {
        subject: &ordered[0].about,
        at: ordered[0].p.claim.as_of(),
        values,
    })
}

/// Categorical claims about one subject whose dates chain together without
/// all sharing a day: each against those whose dates overlap its own, naming
/// one claim of each other value (a few, and how many more).
fn each_value_against_overlapping(run: &[Said<'_>]) -> Vec<Finding> {
    const SHOWN: usize = 4;
    let longest = run
        .iter()
        .map(|s| s.days.1 - s.days.0)
        .max()
        .unwrap_or_default();
    let mut findings = Vec::new();
    for a in run {
        let (first, last) = a.days;
        let earliest = first.checked_sub_signed(longest).unwrap_or(NaiveDate::MIN);
        let from = run.partition_point(|s| s.days.0 < earliest);
        let mut overlapping = 0usize;
        let mut others: BTreeMap<&str, (&str, &ClaimId, usize)> = BTreeMap::new();
        for b in &run[from..] {
            if b.days.0 > last {
                break;
            }
            if b.days.1 < first || std::ptr::eq(a, b) {
                continue;
            }
            overlapping += 1;
            if b.normal != a.normal {
                others
                    .entry(b.normal.as_str())
                    .or_insert((b.value.trim(), b.p.claim.id(), 0))
                    .2 += 1;
            }
        }
        if overlapping == 0 {
            continue;
        }
        let mut claims = vec![a.p.claim.id().clone()];
        claims.extend(others.values().take(SHOWN).map(|(_, id, _)| (*id).clone()));
        let mut f = Draft::new(Rule::Categories, Verdict::Consistent, claims);
        if !others.is_empty() {
            f.verdict = Verdict::Conflicting;
        }
        findings.push(f.says(Says::ValueAgainstOverlapping {
            subject: &a.about,
            at: a.p.claim.as_of(),
            value: a.value.trim(),
            claim: a.p.claim.id(),
            overlapping,
            more_values: others.len().saturating_sub(SHOWN),
            others: others.into_values().take(SHOWN).collect(),
        }));
    }
    findings
}
