//! [`Rule::AcrossDates`]: two claims of one scope on different dates,
//! bridged by the ledger's changes.

use rust_decimal::Decimal;

use crate::check::text::{Label, Missing, Says};
use crate::check::{internal, Checker, Draft, Fact, Finding, Rule, Verdict};
use crate::error::Result;

impl<'a> Checker<'a> {
    /// `early` carried by what the ledger changed from its days to `late`'s,
    /// against `late`: unverifiable where either side has no record.
    pub(super) fn across_dates(
        &self,
        early: &Fact<'a>,
        late: &Fact<'a>,
        where_: &str,
    ) -> Result<Finding> {
        let (d1, d2) = (early.as_of.last(), late.as_of.first());
        // What the ledger changed between any day of the one and any day of
        // the other: from the least to the most.
        let unrecorded = |f: &Fact<'a>| -> Result<bool> {
            Ok(self.fact_days(f)?.is_some_and(<[Decimal]>::is_empty))
        };
        let (no_early, no_late) = (unrecorded(early)?, unrecorded(late)?);
        let (before, after) = (self.span(early)?, self.span(late)?);
        let known = self.counts(early.metric);
        let change = after.checked_sub(&before).map_err(|e| internal(&e))?;
        let bridged = early
            .interval
            .checked_add(&change)
            .map_err(|e| internal(&e))?;
        let events = if known {
            self.events_between(early, d1, d2)?
        } else {
            Vec::new()
        };
        let mut f = Draft::new(
            Rule::AcrossDates,
            Verdict::Consistent,
            vec![early.claim.id().clone(), late.claim.id().clone()],
        );
        f.events = events;
        f.evidence = vec![
            early.evidence(),
            Label::LedgerChange {
                from: early.as_of,
                to: late.as_of,
            }
            .of(change),
            Label::Carried {
                id: early.claim.id(),
                to: d2,
            }
            .of(bridged),
            late.evidence(),
        ];
        if known {
            f.caveats = self.caveats(late.view, late.scope, late.metric, late.as_of.last())?;
        }
        if no_early || no_late || !known {
            // No record on a side is no figure to carry from or to: the
            // evidence keeps the claims, not a change from a record of none;
            // the events between stay, as what the ledger holds there.
            f.verdict = Verdict::Unverifiable;
            f.evidence.truncate(1);
            f.evidence.push(late.evidence());
            let missing = match (no_early, no_late) {
                (true, false) => Missing::Early,
                (false, true) => Missing::Late,
                // Both, or neither where the ledger counts nothing of the metric.
                _ => Missing::Both,
            };
            return Ok(f.says(Says::NoBridge {
                where_,
                early: early.as_of,
                late: late.as_of,
                missing,
            }));
        }
        let meets = bridged.intersects(&late.interval);
        if !meets {
            f.verdict = Verdict::Conflicting;
            f.gap = bridged.gap(&late.interval).ok().flatten();
        }
        Ok(f.says(Says::Bridged {
            early: early.interval,
            early_at: early.as_of,
            change,
            bridged,
            late: late.interval,
            late_at: late.as_of,
            meets,
        }))
    }
}
