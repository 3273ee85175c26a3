//! [`Rule::ClaimVsLedger`]: a claim against the ledger's total for its
//! scope, metric and date.

use crate::check::evidence::hull;
use crate::check::text::{describe, off_by, signed, stated_figure};
use crate::check::{internal, Checker, Evidence, Fact, Finding, Parts, Prepared, Rule, Verdict};
use crate::claim::AsOf;
use crate::error::Result;
use crate::interval::Interval;
use crate::metric::Metric;
use crate::scope::Scope;
use crate::view::View;

impl<'a> Checker<'a> {
    pub(in crate::check) fn quantity_vs_ledger(&self, fact: &Fact<'a>) -> Result<Finding> {
        let (claim, scope, metric, interval) =
            (fact.claim, fact.scope, fact.metric, &fact.interval);
        let as_of = claim.as_of();
        let label = text!("{}: {} on {as_of}", claim.id(), stated_figure(claim));
        let mut f = Finding {
            rule: Rule::ClaimVsLedger,
            verdict: Verdict::Unverifiable,
            claims: vec![claim.id().clone()],
            events: Vec::new(),
            evidence: vec![Evidence {
                label,
                interval: *interval,
            }],
            gap: None,
            summary: String::new(),
            caveats: Vec::new(),
        };
        let where_ = self.describe(scope, metric, claim.layer());
        let Some(days) = self.fact_days(fact)? else {
            f.summary = text!("the ledger counts no {metric}");
            return Ok(f);
        };
        let Some(ledger) = hull(days) else {
            // No record is not zero: say where the records begin, if anywhere.
            let first = fact.view.first_record(scope, metric, as_of.last())?;
            f.caveats = fact.view.caveats(scope, metric, as_of.last())?;
            f.summary = match first {
                Some(first) => text!(
                    "the ledger has no record of {where_} on {as_of}: its records there begin on {first}"
                ),
                None => text!("the ledger has no record of {where_} at any date"),
            };
            return Ok(f);
        };
        f.evidence.push(Evidence {
            label: text!("ledger: {where_} on {as_of}"),
            interval: ledger,
        });
        f.caveats = fact.view.caveats(scope, metric, as_of.last())?;
        if let Some(why) = self.stale(fact.view, scope, metric, as_of.last())? {
            f.summary = text!("the ledger has {ledger} for {where_}, but {why}");
            return Ok(f);
        }
        let own = self.own_figures(claim, fact.view, scope, metric, as_of)?;
        if !own.is_empty() {
            f.summary = text!(
                "the ledger's {} for {where_} comes from this claim's own line, so it cannot check it",
                ledger
            );
            f.events = own;
            return Ok(f);
        }
        // Over a month or a range, the claim holds if it holds on some day.
        if days.iter().any(|&v| interval.contains(v)) {
            f.verdict = Verdict::Consistent;
            f.summary = text!("ledger has {} for {where_}, within {}", ledger, interval);
        } else {
            f.verdict = Verdict::Conflicting;
            f.gap = days
                .iter()
                .filter_map(|&v| interval.gap(&Interval::exact(v)).ok().flatten())
                .min();
            f.summary = text!(
                "expected {}, ledger has {} for {where_} ({})",
                interval,
                ledger,
                off_by(interval, &ledger)
            );
        }
        Ok(f)
    }

    #[allow(clippy::too_many_arguments)]
    pub(in crate::check) fn change_vs_ledger(
        &self,
        p: &Prepared<'_>,
        scope: &Scope,
        metric: &Metric,
        before_view: View<'_>,
        before_at: AsOf,
        parts: &Parts,
        lb: Interval,
        la: Interval,
    ) -> Result<Finding> {
        let claim = p.claim;
        let mut own = self.own_figures(claim, before_view, scope, metric, before_at)?;
        own.extend(self.own_figures(claim, p.view, scope, metric, claim.as_of())?);
        let delta = la.checked_sub(&lb).map_err(|e| internal(&e))?;
        let ratio = la.checked_div(&lb).ok();
        let mut f = Finding {
            rule: Rule::ClaimVsLedger,
            verdict: Verdict::Consistent,
            claims: vec![claim.id().clone()],
            events: Vec::new(),
            evidence: vec![
                Evidence {
                    label: text!("ledger before, on {before_at}"),
                    interval: lb,
                },
                Evidence {
                    label: text!("ledger after, on {}", claim.as_of()),
                    interval: la,
                },
            ],
            gap: None,
            summary: String::new(),
            caveats: Vec::new(),
        };
        let where_ = describe(scope, metric, claim.layer());
        f.caveats = p.view.caveats(scope, metric, claim.as_of().last())?;
        let stale = match self.stale(before_view, scope, metric, before_at.last())? {
            Some(why) => Some(why),
            None => self.stale(p.view, scope, metric, claim.as_of().last())?,
        };
        if let Some(why) = stale {
            f.verdict = Verdict::Unverifiable;
            f.summary = text!("the ledger has figures for {where_}, but {why}");
            return Ok(f);
        }
        if !own.is_empty() {
            f.verdict = Verdict::Unverifiable;
            f.events = own;
            f.summary = text!("the ledger's figures for {where_} come from this claim's own line, so it cannot check it");
            return Ok(f);
        }
        let mut misses = Vec::new();
        for (label, claimed, ledger) in [
            ("before", parts.before, Some(lb)),
            ("after", parts.after, Some(la)),
            ("change", parts.delta, Some(delta)),
            ("ratio", parts.ratio, ratio),
        ] {
            if let (Some(c), Some(l)) = (claimed, ledger) {
                if !c.intersects(&l) {
                    misses.push(text!("{label}: expected {}, ledger has {}", c, l));
                    f.gap = f.gap.max(c.gap(&l).ok().flatten());
                }
            }
        }
        let shown_change = text!("{} → {} ({})", lb, la, signed(&delta));
        if misses.is_empty() {
            f.summary = text!("ledger has {where_} {shown_change}, as claimed");
        } else {
            f.verdict = Verdict::Conflicting;
            f.summary = text!("ledger has {where_} {shown_change}; {}", misses.join("; "));
        }
        Ok(f)
    }
}
