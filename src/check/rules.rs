//! The rules, one file each; here, how quantities are paired for the rules
//! that compare them with each other.

use chrono::NaiveDate;

use super::evidence::ScopeNo;
use super::{Checker, Fact, Finding};
use crate::error::Result;
use crate::event::LayerId;
use crate::hash::FastMap;
use crate::metric::Metric;
use crate::scope::Scope;

mod across_dates;
mod categories;
mod change_implies;
mod ledger;
mod part_within_whole;
mod same_date;

impl<'a> Checker<'a> {
    /// The rules over pairs of quantities: same date, across dates, part
    /// within whole; their findings go onto `findings`.
    pub(super) fn pairs(&self, facts: &[Fact<'a>], findings: &mut Vec<Finding>) -> Result<()> {
        // Each fact's first and last day, worked out once.
        let days: Vec<(NaiveDate, NaiveDate)> = facts
            .iter()
            .map(|f| (f.as_of.first(), f.as_of.last()))
            .collect();
        // Same scope, metric and layer: grouped, then sorted by date.
        // Keyed by the scope's number, each group keeps a scope of its own.
        type Group<'f> = (&'f Scope, Vec<usize>);
        let mut groups: FastMap<(ScopeNo, &Metric, Option<&LayerId>), Group<'_>> =
            FastMap::default();
        for (i, fact) in facts.iter().enumerate() {
            groups
                .entry((self.scope_no(fact.scope), fact.metric, fact.layer))
                .or_insert_with(|| (fact.scope, Vec::new()))
                .1
                .push(i);
        }
        let mut keys: Vec<_> = groups.iter().map(|(&k, &(s, _))| (k, s)).collect();
        keys.sort_by_cached_key(|((_, m, l), s)| {
            (s.to_string(), m.to_string(), l.map(ToString::to_string))
        });
        for (key, scope) in keys {
            let where_ = self.describe(scope, key.1, key.2);
            let mut group = groups.remove(&key).map(|(_, g)| g).unwrap_or_default();
            group.sort_by(|&a, &b| {
                (days[a], facts[a].claim.id()).cmp(&(days[b], facts[b].claim.id()))
            });
            self.same_dates(facts, &days, &group, &where_, findings)?;
            for (n, &i) in group.iter().enumerate() {
                let (a, last) = (&facts[i], days[i].1);
                // Sorted by first day, the facts that overlap this one come
                // next, up to the first that starts after it ends.
                let later = n + 1 + group[n + 1..].partition_point(|&j| days[j].0 <= last);
                // Across dates: each quantity with the next later one that does not overlap it.
                if let Some(&j) = group[later..]
                    .iter()
                    .find(|&&j| facts[j].claim.id() != a.claim.id())
                {
                    findings.push(self.across_dates(a, &facts[j], &where_)?);
                }
            }
        }
        self.parts_within_wholes(facts, &days, findings)
    }
}
