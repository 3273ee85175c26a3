//! [`Rule::ClaimVsLedger`]: a claim against the ledger's total for its
//! scope, metric and date.

use crate::check::evidence::hull;
use crate::check::text::{describe, FactLabel, Label, Miss, Says, When};
use crate::check::{internal, Checker, Draft, Fact, Finding, Parts, Prepared, Rule, Verdict};
use crate::claim::AsOf;
use crate::error::Result;
use crate::interval::Interval;
use crate::metric::Metric;
use crate::scope::Scope;
use crate::view::View;

impl<'a> Checker<'a> {
    /// A quantity claim against the ledger's totals over its days: it holds
    /// if it holds on some day; the ledger cannot tell where it counts
    /// nothing of the metric, has no record then, has only a stale figure,
    /// or took its figure from the claim's own line.
    pub(in crate::check) fn quantity_vs_ledger(&self, fact: &Fact<'a>) -> Result<Finding> {
        let (claim, scope, metric, interval) =
            (fact.claim, fact.scope, fact.metric, &fact.interval);
        let as_of = claim.as_of();
        let mut f = Draft::new(
            Rule::ClaimVsLedger,
            Verdict::Unverifiable,
            vec![claim.id().clone()],
        );
        // Labelled without its layer, which the ledger's label names.
        let label = FactLabel {
            layer: None,
            ..fact.label()
        };
        f.evidence.push(Label::Fact(label).of(*interval));
        let where_ = self.describe(scope, metric, claim.layer());
        let Some(days) = self.fact_days(fact)? else {
            return Ok(f.says(Says::NotCounted { metric }));
        };
        let Some(ledger) = hull(days) else {
            // No record is not zero: say where the records begin, if anywhere.
            let first = fact.view.first_record(scope, metric, as_of.last())?;
            f.caveats = self.caveats(fact.view, scope, metric, as_of.last())?;
            return Ok(f.says(Says::NoRecord {
                where_: &where_,
                when: When::On(as_of),
                first,
            }));
        };
        f.evidence.push(
            Label::Ledger {
                where_: &where_,
                at: as_of,
            }
            .of(ledger),
        );
        f.caveats = self.caveats(fact.view, scope, metric, as_of.last())?;
        if let Some(why) = self.stale(fact.view, scope, metric, as_of.last())? {
            return Ok(f.says(Says::Stale {
                ledger,
                where_: &where_,
                why,
            }));
        }
        let own = self.own_figures(claim, fact.view, scope, metric, as_of)?;
        if !own.is_empty() {
            f.events = own;
            return Ok(f.says(Says::OwnLine {
                ledger,
                where_: &where_,
            }));
        }
        // Over a month or a range, the claim holds if it holds on some day.
        let where_ = &where_;
        if days.iter().any(|&v| interval.contains(v)) {
            f.verdict = Verdict::Consistent;
            return Ok(f.says(Says::Within {
                ledger,
                where_,
                claimed: *interval,
            }));
        }
        f.verdict = Verdict::Conflicting;
        f.gap = days
            .iter()
            .filter_map(|&v| interval.gap(&Interval::exact(v)).ok().flatten())
            .min();
        Ok(f.says(Says::Outside {
            claimed: *interval,
            ledger,
            where_,
        }))
    }

    /// A change claim's parts against what the ledger records at its two
    /// points, `lb` before and `la` after.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn change_vs_ledger(
        &self,
        p: &Prepared<'a>,
        scope: &'a Scope,
        metric: &'a Metric,
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
        let mut f = Draft::new(
            Rule::ClaimVsLedger,
            Verdict::Consistent,
            vec![claim.id().clone()],
        );
        f.evidence = vec![
            Label::LedgerBefore(before_at).of(lb),
            Label::LedgerAfter(claim.as_of()).of(la),
        ];
        let where_ = &describe(scope, metric, claim.layer(), self.ledger);
        f.caveats = self.caveats(p.view, scope, metric, claim.as_of().last())?;
        let stale = match self.stale(before_view, scope, metric, before_at.last())? {
            Some(why) => Some(why),
            None => self.stale(p.view, scope, metric, claim.as_of().last())?,
        };
        if let Some(why) = stale {
            f.verdict = Verdict::Unverifiable;
            return Ok(f.says(Says::StaleFigures { where_, why }));
        }
        if !own.is_empty() {
            f.verdict = Verdict::Unverifiable;
            f.events = own;
            return Ok(f.says(Says::OwnLines { where_ }));
        }
        let mut misses = Vec::new();
        for (part, claimed, ledger) in [
            ("before", parts.before, Some(lb)),
            ("after", parts.after, Some(la)),
            ("change", parts.delta, Some(delta)),
            ("ratio", parts.ratio, ratio),
        ] {
            if let (Some(c), Some(l)) = (claimed, ledger) {
                if !c.intersects(&l) {
                    misses.push(Miss {
                        part,
                        claimed: c,
                        ledger: l,
                    });
                    f.gap = f.gap.max(c.gap(&l).ok().flatten());
                }
            }
        }
        if !misses.is_empty() {
            f.verdict = Verdict::Conflicting;
        }
        Ok(f.says(Says::Changed {
            where_,
            before: lb,
            after: la,
            change: delta,
            misses,
        }))
    }

    /// A change claim's check against a ledger with no record of one of its
    /// points, or counting nothing of its metric: it says which, rather than
    /// leave the claim out. `recorded` says whether the ledger records its
    /// start and its end.
    pub(super) fn change_unrecorded(
        &self,
        p: &Prepared<'a>,
        scope: &'a Scope,
        metric: &'a Metric,
        (before_view, before_at): (View<'a>, AsOf),
        recorded: (bool, bool),
    ) -> Result<Finding> {
        let (claim, as_of) = (p.claim, p.claim.as_of());
        let f = Draft::new(
            Rule::ClaimVsLedger,
            Verdict::Unverifiable,
            vec![claim.id().clone()],
        );
        if !self.counts(metric) {
            return Ok(f.says(Says::NotCounted { metric }));
        }
        // The side with no record, in the view it is read in: a layer
        // claim's "before" is the baseline's.
        let (view, layer, when) = match recorded {
            (false, true) => (
                before_view,
                before_view.layer_index().and(claim.layer()),
                When::BeforeChange(before_at),
            ),
            (true, false) => (p.view, claim.layer(), When::AfterChange(as_of)),
            _ => (p.view, claim.layer(), When::OnEither(before_at, as_of)),
        };
        Ok(f.says(Says::NoRecord {
            where_: &self.describe(scope, metric, layer),
            when,
            first: view.first_record(scope, metric, as_of.last())?,
        }))
    }
}
