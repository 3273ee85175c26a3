//! [`Rule::ChangeImplies`]: what a change claim's stated parts imply, and
//! the quantities it states or implies at its two points.

use std::cell::OnceCell;

use rust_decimal::Decimal;

use crate::check::text::{Contradiction, Label, Says};
use crate::check::{Checker, Draft, Fact, Finding, Parts, Prepared, Role, Rule, Verdict};
use crate::claim::Change;
use crate::error::Result;
use crate::interval::{Bound, Interval};
use crate::metric::Metric;
use crate::scope::Scope;

impl<'a> Checker<'a> {
    /// What a change claim implies, checked against itself and the ledger;
    /// and the quantities it states or implies at its two points.
    pub(in crate::check) fn change(
        &self,
        p: &Prepared<'a>,
        scope: &'a Scope,
        metric: &'a Metric,
        change: &Change,
        stated: &Parts,
    ) -> Result<(Vec<Finding>, Vec<Fact<'a>>)> {
        let claim = p.claim;
        let as_of = claim.as_of();
        // The two points: where "before" and "after" are read in the ledger.
        let (before_view, before_at, after_known) = match (change.since, claim.layer()) {
            (Some(since), _) => (p.view, since, true),
            (None, Some(_)) => (self.view_of(None)?, as_of, true),
            (None, None) => (p.view, as_of, false),
        };
        let mut findings = Vec::new();
        let mut evidence = Vec::new();
        let mut parts = *stated;
        let ledger_before = self.ledger_range(before_view, scope, metric, before_at)?;
        let ledger_after = if after_known {
            self.ledger_range(p.view, scope, metric, as_of)?
        } else {
            None
        };
        let own_before = self.own_figures(claim, before_view, scope, metric, before_at)?;
        // With no stated "before", a prospective or layer change starts from the ledger.
        let mut from_ledger = false;
        if change.since.is_none()
            && parts.before.is_none()
            && (parts.ratio.is_some() || parts.delta.is_some())
        {
            if let (Some(b), true) = (ledger_before, own_before.is_empty()) {
                parts.before = Some(b);
                from_ledger = true;
                evidence.push(
                    Label::LedgerStart {
                        where_: &self.describe(scope, metric, None),
                        at: before_at,
                    }
                    .of(b),
                );
            }
        }
        // A change whose start the ledger must give, where it has no record.
        let no_start = change.since.is_none()
            && parts.before.is_none()
            && parts.after.is_none()
            && (parts.ratio.is_some() || parts.delta.is_some())
            && ledger_before.is_none()
            && self.counts(metric);
        let derived = derive(&parts);
        let mut f = Draft::new(
            Rule::ChangeImplies,
            Verdict::Consistent,
            vec![claim.id().clone()],
        );
        for (part, i) in [
            ("before", stated.before),
            ("after", stated.after),
            ("change", stated.delta),
            ("ratio", stated.ratio),
        ] {
            if let Some(i) = i {
                f.evidence.push(
                    Label::StatedPart {
                        id: claim.id(),
                        part,
                    }
                    .of(i),
                );
            }
        }
        f.evidence.extend(evidence);
        let says = match derived {
            Err(why) => {
                f.verdict = Verdict::Conflicting;
                f.says(Says::CannotAllHold(why))
            }
            Ok(_) if no_start => {
                f.verdict = Verdict::Unverifiable;
                f.says(Says::NoStart {
                    where_: &self.describe(scope, metric, None),
                    at: before_at,
                })
            }
            Ok(_)
                if parts.ratio.is_some()
                    && parts
                        .before
                        .is_some_and(|b| b.is_exact() == Some(Decimal::ZERO)) =>
            {
                f.verdict = Verdict::Unverifiable;
                f.says(Says::ZeroBaseline)
            }
            Ok(d) => {
                let mut implied = Vec::new();
                for (part, was, now) in [
                    ("before", stated.before, d.before),
                    ("after", stated.after, d.after),
                    ("change", stated.delta, d.delta),
                    ("ratio", stated.ratio, d.ratio),
                ] {
                    if let Some(now) = now.filter(informative) {
                        if was != Some(now) {
                            f.evidence.push(
                                Label::ImpliedPart {
                                    id: claim.id(),
                                    part,
                                }
                                .of(now),
                            );
                            implied.push((part, now));
                        }
                    }
                }
                parts = d;
                f.says(Says::Implies(implied))
            }
        };
        findings.push(says);

        // Against the ledger, where it records either point; where it
        // cannot tell, the report says so rather than leave the claim out.
        match (ledger_before, ledger_after) {
            (Some(lb), Some(la)) => {
                findings.push(self.change_vs_ledger(
                    p,
                    scope,
                    metric,
                    before_view,
                    before_at,
                    &parts,
                    lb,
                    la,
                )?);
            }
            // A prospective change has no recorded "after": what the ledger
            // says of its "before" is in the finding above.
            _ if !after_known && self.counts(metric) => {}
            (before, after) => findings.push(self.change_unrecorded(
                p,
                scope,
                metric,
                (before_view, before_at),
                (before.is_some(), after.is_some()),
            )?),
        }

        // The quantities at the two points, for the pairwise rules. A point
        // the ledger filled in says nothing the ledger does not: only what the
        // claim states, or implies from what it states, goes on.
        let mut facts = Vec::new();
        if from_ledger {
            parts = *stated;
        }
        let fact = |role, view, layer, at, interval, stated| Fact {
            claim,
            role,
            view,
            layer,
            scope,
            metric,
            as_of: at,
            interval,
            stated,
            days: OnceCell::new(),
        };
        let before_layer = if before_view.layer_index() == p.view.layer_index() {
            claim.layer()
        } else {
            None
        };
        if let Some(b) = parts.before {
            facts.push(fact(
                Role::Before,
                before_view,
                before_layer,
                before_at,
                b,
                change.before,
            ));
        }
        if let (Some(a), true) = (parts.after, after_known) {
            facts.push(fact(
                Role::After,
                p.view,
                claim.layer(),
                as_of,
                a,
                change.after,
            ));
        }
        Ok((findings, facts))
    }
}

/// Whether an interval says anything about a count: `(0, +∞)` does not.
fn informative(i: &Interval) -> bool {
    let open_above = i.high().is_unbounded();
    let from_zero_or_less = match i.low() {
        Bound::Unbounded => true,
        Bound::Included(v) | Bound::Excluded(v) => v <= Decimal::ZERO,
    };
    !(open_above && from_zero_or_less)
}

/// Narrows a change's parts by `after = before + delta` and `after = before × ratio`.
fn derive(parts: &Parts) -> std::result::Result<Parts, Contradiction> {
    let mut p = *parts;
    let meet = |a: Option<Interval>,
                b: Option<Interval>,
                relation: &'static str|
     -> std::result::Result<Option<Interval>, Contradiction> {
        match (a, b) {
            (Some(a), Some(b)) => {
                a.intersection(&b)
                    .map(Some)
                    .ok_or(Contradiction::Disjoint { relation, a, b })
            }
            (a, b) => Ok(a.or(b)),
        }
    };
    // `f(x, y)` where both are stated or implied and the arithmetic holds.
    type Op = fn(&Interval, &Interval) -> std::result::Result<Interval, crate::IntervalError>;
    let apply = |x: Option<Interval>, y: Option<Interval>, f: Op| match (x, y) {
        (Some(x), Some(y)) => f(&x, &y).ok(),
        _ => None,
    };
    // Two rounds carry a narrowing from one relation into the other.
    for _ in 0..2 {
        let sum = apply(p.before, p.delta, Interval::checked_add);
        let product = apply(p.before, p.ratio, Interval::checked_mul);
        p.after = meet(p.after, sum, "after = before + change")?;
        p.after = meet(p.after, product, "after = before × ratio")?;
        let from_delta = apply(p.after, p.delta, Interval::checked_sub);
        let from_ratio = apply(p.after, p.ratio, Interval::checked_div);
        p.before = meet(p.before, from_delta, "before = after − change")?;
        p.before = meet(p.before, from_ratio, "before = after ÷ ratio")?;
        let delta = apply(p.after, p.before, Interval::checked_sub);
        let ratio = apply(p.after, p.before, Interval::checked_div);
        p.delta = meet(p.delta, delta, "change = after − before")?;
        p.ratio = meet(p.ratio, ratio, "ratio = after ÷ before")?;
    }
    // Counts are never negative.
    for (part, what) in [(&mut p.before, "before"), (&mut p.after, "after")] {
        if let Some(i) = *part {
            *part = Some(i.intersection(&Interval::at_least(Decimal::ZERO)).ok_or(
                Contradiction::BelowZero {
                    part: what,
                    interval: i,
                },
            )?);
        }
    }
    Ok(p)
}
