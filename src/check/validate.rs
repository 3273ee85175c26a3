//! Claim validation: every claim well formed and naming what the ledger
//! knows, prepared for the rules with its figures as intervals.

use std::fmt;

use rust_decimal::Decimal;

use super::{Checker, Kind, Parts, Prepared};
use crate::claim::{Claim, ClaimId, Direction, Figure, Statement, Subject};
use crate::country::MembershipStatus;
use crate::deployment::Footing;
use crate::error::{Error, Problem, RecordKind, Result};
use crate::hash::FastSet;
use crate::ledger::Ledger;
use crate::metric::Metric;
use crate::qualifier::TolerancePolicy;
use crate::scope::Scope;

impl<'a> Checker<'a> {
    /// Checks every claim, and prepares those that stand on the date of
    /// knowledge: known by then, and not corrected by a claim known by then.
    pub(super) fn prepare(&self, claims: &'a [Claim]) -> Result<Vec<Prepared<'a>>> {
        let mut seen = FastSet::default();
        let mut out = Vec::with_capacity(claims.len());
        let ids: FastSet<&ClaimId> = claims.iter().map(Claim::id).collect();
        let known = |c: &Claim| match (self.known_at, c.known()) {
            (Some(at), Some(k)) => k <= at,
            _ => true,
        };
        let corrected: FastSet<&ClaimId> = claims
            .iter()
            .filter(|c| known(c))
            .filter_map(Claim::corrects)
            .collect();
        for claim in claims {
            if !seen.insert(claim.id()) {
                return Err(claim.error("id", Problem::Duplicate));
            }
            let as_of = claim.as_of();
            if !as_of.is_valid() {
                return Err(claim.error(
                    "as_of",
                    Problem::NotAValue {
                        value: format!("{as_of:?}"),
                        expected: "a real day, month or range of days",
                    },
                ));
            }
            if let Some(target) = claim.corrects() {
                if !ids.contains(target) || target == claim.id() {
                    return Err(
                        claim.error("corrects", Problem::unknown(RecordKind::Claim, target))
                    );
                }
                if claim.reason().is_none_or(|r| r.trim().is_empty()) {
                    return Err(claim.error("reason", Problem::Empty));
                }
            }
            let view = self.view_of(claim.layer()).map_err(|_| {
                claim.error(
                    "layer",
                    Problem::unknown(RecordKind::Layer, claim.layer().map_or("", |l| l.as_str())),
                )
            })?;
            let figure = |field, f: &Figure| {
                f.interval_or_problem(self.policy)
                    .map_err(|p| claim.error(field, p))
            };
            let kind = match claim.statement() {
                Statement::Quantity {
                    scope,
                    metric,
                    figure: f,
                } => {
                    self.check_scope(claim, scope, metric)?;
                    Kind::Quantity {
                        scope,
                        metric,
                        interval: figure("value", f)?,
                        figure: *f,
                    }
                }
                Statement::Change {
                    scope,
                    metric,
                    change,
                } => {
                    self.check_scope(claim, scope, metric)?;
                    if let Some(since) = change.since {
                        if !since.is_valid() {
                            return Err(claim.error(
                                "since",
                                Problem::NotAValue {
                                    value: format!("{since:?}"),
                                    expected: "a real day, month or range of days",
                                },
                            ));
                        }
                        // The change runs from a day of `since` to a day of
                        // the as-of date: some day of the one must come first.
                        if since.first() > as_of.last() {
                            return Err(
                                claim.error("since", Problem::SinceAfterAsOf { since, as_of })
                            );
                        }
                    }
                    let delta = match &change.delta {
                        None => None,
                        Some(d) => {
                            let size = figure("delta", &d.figure)?;
                            Some(match d.direction {
                                Direction::Increase => size,
                                Direction::Decrease => -size,
                            })
                        }
                    };
                    let parts = Parts {
                        before: change
                            .before
                            .as_ref()
                            .map(|f| figure("before", f))
                            .transpose()?,
                        after: change
                            .after
                            .as_ref()
                            .map(|f| figure("after", f))
                            .transpose()?,
                        delta,
                        ratio: change
                            .ratio
                            .as_ref()
                            .map(|f| figure("ratio", f))
                            .transpose()?,
                    };
                    if parts.before.is_none()
                        && parts.after.is_none()
                        && parts.delta.is_none()
                        && parts.ratio.is_none()
                    {
                        return Err(claim.error("kind", Problem::NothingStated));
                    }
                    if parts.ratio.is_some()
                        && parts.before.and_then(|b| b.is_exact()) == Some(Decimal::ZERO)
                    {
                        return Err(claim.error("ratio", Problem::ZeroBaseline));
                    }
                    Kind::Change {
                        scope,
                        metric,
                        change,
                        parts,
                    }
                }
                Statement::Category { subject, value } => {
                    self.check_category(claim, subject, value)?;
                    Kind::Category { subject, value }
                }
                Statement::Retraction if claim.corrects().is_none() => {
                    return Err(claim.error("corrects", Problem::Empty));
                }
                Statement::Retraction => continue,
            };
            if known(claim) && !corrected.contains(claim.id()) {
                out.push(Prepared { claim, view, kind });
            }
        }
        Ok(out)
    }

    /// Refuses a scope or metric the ledger does not know, naming the claim.
    pub(super) fn check_scope(&self, claim: &Claim, scope: &Scope, metric: &Metric) -> Result<()> {
        self.check_scope_places(claim, scope, "scope")?;
        // A metric no unit is counted in is no error: a claim may count
        // anything (deaths, say), and the ledger then cannot tell. But one
        // close to a counted metric is taken for a typo, which would
        // otherwise leave the claim unverifiable without a word.
        match self.ledger.resolve(scope, metric, claim.as_of().first()) {
            Ok(()) => Ok(()),
            Err(Error::Unknown {
                kind: RecordKind::Metric,
                ..
            }) => {
                let counted = self.ledger.metrics().iter().map(Metric::name);
                match crate::suggest::nearest(metric.name(), counted) {
                    Some(meant) => Err(claim.error(
                        "metric",
                        Problem::MisspeltMetric {
                            metric: metric.clone(),
                            meant: Metric::new(meant)?,
                        },
                    )),
                    None => Ok(()),
                }
            }
            Err(Error::Unknown { kind, id }) => {
                Err(claim.error("scope", Problem::UnknownReference { kind, id }))
            }
            Err(e) => Err(e),
        }
    }

    pub(super) fn check_category(
        &self,
        claim: &Claim,
        subject: &Subject,
        value: &str,
    ) -> Result<()> {
        match subject {
            Subject::Footing(scope) => {
                self.check_scope_places(claim, scope, "subject")?;
                value.parse::<Footing>().map(|_| ()).map_err(|_| {
                    claim.error(
                        "value",
                        Problem::NotAValue {
                            value: value.to_string(),
                            expected: "permanent, rotational, high_readiness, requested, pledged",
                        },
                    )
                })
            }
            Subject::Membership { alliance, .. } => {
                if self.ledger.alliance(alliance).is_none() {
                    return Err(
                        claim.error("subject", Problem::unknown(RecordKind::Alliance, alliance))
                    );
                }
                membership(value).map(|_| ()).ok_or_else(|| {
                    claim.error(
                        "value",
                        Problem::NotAValue {
                            value: value.to_string(),
                            expected: "member, invited, outside",
                        },
                    )
                })
            }
            Subject::Named { .. } if value.trim().is_empty() => {
                Err(claim.error("value", Problem::Empty))
            }
            Subject::Named { .. } => Ok(()),
        }
    }

    /// Refuses a scope that names a region, alliance, base or unit the ledger does not know.
    pub(super) fn check_scope_places(
        &self,
        claim: &Claim,
        scope: &Scope,
        field: &'static str,
    ) -> Result<()> {
        let l = self.ledger;
        let unknown_in =
            |kind, id: &dyn fmt::Display| Err(claim.error(field, Problem::unknown(kind, id)));
        for places in [scope.hosts(), scope.contributors()].into_iter().flatten() {
            if let Some(r) = places.regions.iter().find(|r| l.region(r).is_none()) {
                return unknown_in(RecordKind::Region, r);
            }
            if let Some(a) = places.alliances.iter().find(|a| l.alliance(a).is_none()) {
                return unknown_in(RecordKind::Alliance, a);
            }
        }
        if let Some(b) = scope
            .bases()
            .and_then(|b| b.iter().find(|b| l.base(b).is_none()))
        {
            return unknown_in(RecordKind::Base, b);
        }
        if let Some(u) = scope
            .units()
            .and_then(|u| u.iter().find(|u| l.unit(u).is_none()))
        {
            return unknown_in(RecordKind::Unit, u);
        }
        Ok(())
    }
}

/// Checks that every claim is well formed and names what the ledger knows.
pub(crate) fn validate(ledger: &Ledger, claims: &[Claim], policy: &TolerancePolicy) -> Result<()> {
    Checker::new(ledger, policy, None)
        .prepare(claims)
        .map(|_| ())
}

/// A value as compared: lowercase, single spaces.
pub(super) fn normalized(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn membership(value: &str) -> Option<MembershipStatus> {
    match normalized(value).as_str() {
        "member" => Some(MembershipStatus::Member),
        "invited" => Some(MembershipStatus::Invited),
        "outside" => Some(MembershipStatus::Outside),
        _ => None,
    }
}
