//! The findings' English: every sentence a rule's finding says is written here.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Evidence, Role};
use crate::claim::{AsOf, ClaimId, Day, Figure};
use crate::event::LayerId;
use crate::interval::{Bound, Interval};
use crate::metric::Metric;
use crate::number::Thousands;
use crate::scope::{Names, Scope};

/// `format!` for the findings' text: the sentences run to a hundred bytes
/// or so, and `format!` starts from a guess that a large check pays for in
/// three or four reallocations per string; this starts from enough, then
/// gives back what is left.
macro_rules! text {
    ($($arg:tt)*) => {{
        let mut out = String::with_capacity(160);
        // Writing to a `String` cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut out, format_args!($($arg)*));
        out.shrink_to_fit();
        out
    }};
}

/// An interval for a sentence: bounds with more than three decimals widened
/// outward to three (a ratio of 50,000 / 4,949 reads `10.104`, not 28
/// digits); the evidence keeps it exact.
pub(super) fn readable(i: &Interval) -> Interval {
    use rust_decimal::RoundingStrategy::{ToNegativeInfinity, ToPositiveInfinity};
    let round = |b: Bound, down: bool| match b {
        Bound::Included(v) | Bound::Excluded(v) if v.scale() > 3 => {
            let r = v.round_dp_with_strategy(
                3,
                if down {
                    ToNegativeInfinity
                } else {
                    ToPositiveInfinity
                },
            );
            // Widened, the bound is included: the figure it stood for lies within.
            Bound::Included(r.normalize())
        }
        other => other,
    };
    Interval::new(round(i.low(), true), round(i.high(), false)).unwrap_or(*i)
}

/// `NATO in the Baltic states personnel`, regions and alliances by the
/// names `names` gives them, with the layer when there is one.
pub(super) fn describe(
    scope: &Scope,
    metric: &Metric,
    layer: Option<&LayerId>,
    names: &impl Names,
) -> String {
    let scope = scope.named(names);
    match layer {
        Some(l) => text!("{scope} {metric} ({l})"),
        None => text!("{scope} {metric}"),
    }
}

/// A signed interval: `+300`, `−1,650`, `+[18,000, 20,000)`.
fn signed(i: &Interval) -> Signed<'_> {
    Signed(i)
}

/// See [`signed`].
struct Signed<'i>(&'i Interval);

impl fmt::Display for Signed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.is_exact() {
            Some(v) if v.is_sign_positive() && !v.is_zero() => write!(f, "+{}", Thousands(&v)),
            Some(v) => write!(f, "{}", Thousands(&v)),
            None => write!(f, "{}", self.0),
        }
    }
}

/// How far `found` lies from `expected`: "250 too many", "1,000 too few".
fn off_by(expected: &Interval, found: &Interval) -> String {
    let gap = expected.gap(found).ok().flatten().unwrap_or_default();
    let above = match (found.low(), expected.high()) {
        (Bound::Included(f) | Bound::Excluded(f), Bound::Included(e) | Bound::Excluded(e)) => {
            f >= e
        }
        (_, Bound::Unbounded) => false,
        (Bound::Unbounded, _) => false,
    };
    let amount = Thousands(&gap);
    if gap.is_zero() {
        "they touch at an open end".to_string()
    } else if above {
        text!("{amount} too many")
    } else {
        text!("{amount} too few")
    }
}

/// What a finding says, as its rule found it: the figures and the names,
/// not the words. Its `Display` writes the finding's sentence, so that every
/// sentence of the report is written here and a rule reads as a rule.
pub(super) enum Says<'s> {
    /// The ledger counts nothing of the claim's metric.
    NotCounted { metric: &'s Metric },
    /// The ledger has no record of `where_` on the days asked; `first` is
    /// the day its records there begin, if they do.
    NoRecord {
        where_: &'s str,
        when: When,
        first: Option<NaiveDate>,
    },
    /// The ledger's total is stale.
    Stale {
        ledger: Interval,
        where_: &'s str,
        why: Stale,
    },
    /// The ledger's total comes from the claim's own line.
    OwnLine { ledger: Interval, where_: &'s str },
    /// The ledger's total meets the claim on some day of it.
    Within {
        ledger: Interval,
        where_: &'s str,
        claimed: Interval,
    },
    /// The ledger's total misses the claim on every day of it.
    Outside {
        claimed: Interval,
        ledger: Interval,
        where_: &'s str,
    },
    /// A change's ledger figures are stale.
    StaleFigures { where_: &'s str, why: Stale },
    /// A change's ledger figures come from the claim's own line.
    OwnLines { where_: &'s str },
    /// The ledger's change against a change claim's parts: `misses` are
    /// the parts it does not meet.
    Changed {
        where_: &'s str,
        before: Interval,
        after: Interval,
        change: Interval,
        misses: Vec<Miss>,
    },
    /// A change claim's stated parts contradict each other.
    CannotAllHold(Contradiction),
    /// A change the ledger must start, with no record to start from.
    NoStart { where_: &'s str, at: AsOf },
    /// A ratio of a zero baseline.
    ZeroBaseline,
    /// What a change claim's parts imply beyond what it states.
    Implies(Vec<(&'static str, Interval)>),
    /// No record on one side or both of two claims across dates.
    NoBridge {
        where_: &'s str,
        early: AsOf,
        late: AsOf,
        missing: Missing,
    },
    /// One claim carried by the ledger's change to another's date.
    Bridged {
        early: Interval,
        early_at: AsOf,
        change: Interval,
        bridged: Interval,
        late: Interval,
        late_at: AsOf,
        meets: bool,
    },
    /// A part against its whole; `shift` is what the ledger changed in the
    /// part between their dates, if anything; `rest` what is left of the
    /// whole, if anything, with `stated_rest` on the stated figures.
    PartOfWhole {
        part: &'s str,
        part_claimed: Interval,
        whole: &'s str,
        whole_claimed: Interval,
        shift: Option<Interval>,
        rest: Option<(Interval, Option<Decimal>)>,
    },
    /// Claims of one scope that all share a day, and meet.
    AllMeet {
        listed: Vec<Named<'s>>,
        where_: &'s str,
        when: Shared,
        meet: Interval,
        allowing: bool,
    },
    /// Claims of one scope that all share a day, and cannot all hold:
    /// the two farthest apart and the fewest groups that agree within.
    CannotAllMeet {
        count: usize,
        where_: &'s str,
        when: Shared,
        lowest: Named<'s>,
        highest: Named<'s>,
        gap: Decimal,
        allowing: bool,
        groups: Vec<(Vec<&'s ClaimId>, Interval)>,
    },
    /// One claim against those whose dates overlap its own: `apart` the
    /// farthest it does not meet below and above, with their dates and
    /// distances, of `missed` it does not meet.
    AgainstOverlapping {
        claim: Named<'s>,
        where_: &'s str,
        at: AsOf,
        overlapping: usize,
        missed: usize,
        allowing: bool,
        apart: Vec<(Named<'s>, AsOf, Decimal)>,
    },
    /// A categorical claim no other claim or record speaks with.
    Lone {
        subject: &'s str,
        at: AsOf,
        value: &'s str,
    },
    /// The values stated by claims that all share a day.
    Values {
        subject: &'s str,
        at: AsOf,
        values: Vec<(&'s str, Vec<&'s ClaimId>)>,
    },
    /// A categorical claim against those whose dates overlap its own: one
    /// claim of each other value (a few), and how many more values.
    ValueAgainstOverlapping {
        subject: &'s str,
        at: AsOf,
        value: &'s str,
        claim: &'s ClaimId,
        overlapping: usize,
        others: Vec<(&'s str, &'s ClaimId, usize)>,
        more_values: usize,
    },
    /// The ledger records nothing of a categorical claim's subject.
    RecordsNo { subject: &'s str, date: NaiveDate },
    /// The ledger's values of a subject against a categorical claim's.
    Recorded {
        subject: &'s str,
        date: NaiveDate,
        found: Vec<String>,
        matched: Recorded,
    },
}

/// The days claims that all share a day are said to be on: the date they
/// all state, or the days they all share.
pub(super) enum Shared {
    On(AsOf),
    Days(NaiveDate, NaiveDate),
}

impl fmt::Display for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Shared::On(at) => write!(f, "{at}"),
            Shared::Days(from, until) if from == until => write!(f, "{}", AsOf::Day(from)),
            Shared::Days(from, until) => write!(f, "{}..{}", Day(from), Day(until)),
        }
    }
}

/// The days a [`Says::NoRecord`] asks about.
pub(super) enum When {
    /// The claim's own.
    On(AsOf),
    /// A change's start.
    BeforeChange(AsOf),
    /// A change's end.
    AfterChange(AsOf),
    /// Either point of a change.
    OnEither(AsOf, AsOf),
}

/// Why a ledger total is stale.
pub(super) enum Stale {
    /// A figure it adds holds only until a day before the one asked.
    HoldsUntil(NaiveDate),
    /// A figure it adds was last observed more than `days` before `date`.
    Observed {
        oldest: NaiveDate,
        days: u32,
        date: NaiveDate,
    },
    /// A figure it adds no longer holds on the day.
    NoLongerHolds(NaiveDate),
}

/// A part of a change the ledger does not meet.
pub(super) struct Miss {
    pub(super) part: &'static str,
    pub(super) claimed: Interval,
    pub(super) ledger: Interval,
}

/// Why a change's stated parts cannot all hold.
pub(super) enum Contradiction {
    /// Two readings of one part, by `relation`, do not meet.
    Disjoint {
        relation: &'static str,
        a: Interval,
        b: Interval,
    },
    /// A count below zero.
    BelowZero {
        part: &'static str,
        interval: Interval,
    },
}

/// Which side of two claims across dates has no record.
pub(super) enum Missing {
    Both,
    Early,
    Late,
}

/// How a categorical claim stands against the ledger's values.
pub(super) enum Recorded {
    /// The ledger's values come from the claim's own line.
    OwnLine,
    /// The claimed value is among them.
    AsClaimed,
    /// It is not: the value claimed, as compared.
    Not(String),
}

/// A claim named with its interval: `C10 ([3,600, 3,800])`.
pub(super) struct Named<'s> {
    pub(super) id: &'s ClaimId,
    pub(super) interval: Interval,
}

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.id, self.interval)
    }
}

/// `a ([1,600, 1,700]), b (2,000) and c (2,100)`; past four, the first
/// three and how many more.
fn listed(named: &[Named<'_>]) -> String {
    match named {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] if named.len() <= 4 => {
            let rest: Vec<String> = rest.iter().map(ToString::to_string).collect();
            text!("{} and {last}", rest.join(", "))
        }
        _ => {
            let first: Vec<String> = named[..3].iter().map(ToString::to_string).collect();
            text!(
                "{} and {} more",
                first.join(", "),
                Thousands(&Decimal::from(named.len() - 3))
            )
        }
    }
}

/// `"President" (C13-president) vs "Vice President" (C13, C13-again)`.
fn listing(values: &[(&str, Vec<&ClaimId>)]) -> String {
    let listing: Vec<String> = values
        .iter()
        .map(|(v, ids)| {
            let ids: Vec<&str> = ids.iter().map(|i| i.as_str()).collect();
            text!("\"{v}\" ({})", ids.join(", "))
        })
        .collect();
    listing.join(if values.len() > 1 { " vs " } else { ", " })
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::On(at) => write!(f, "on {at}"),
            When::BeforeChange(at) => write!(f, "on {at}, before the change"),
            When::AfterChange(at) => write!(f, "on {at}, after the change"),
            When::OnEither(before, after) => write!(f, "on {before} or on {after}"),
        }
    }
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stale::HoldsUntil(until) => write!(f, "a figure it adds holds only until {until}"),
            Stale::Observed { oldest, days, date } => write!(
                f,
                "a figure it adds was last observed on {oldest}, more than {days} days before {date}"
            ),
            Stale::NoLongerHolds(date) => write!(f, "a figure it adds no longer holds on {date}"),
        }?;
        f.write_str(": the total is stale, not current")
    }
}

impl fmt::Display for Contradiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Contradiction::Disjoint { relation, a, b } => {
                write!(f, "{relation}: {a} and {b} do not meet")
            }
            Contradiction::BelowZero { part, interval } => {
                write!(f, "{part} {interval} is below zero")
            }
        }
    }
}

impl fmt::Display for Says<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Says::NotCounted { metric } => write!(f, "the ledger counts no {metric}"),
            Says::NoRecord {
                where_,
                when,
                first: Some(first),
            } => write!(
                f,
                "the ledger has no record of {where_} {when}: its records there begin on {first}"
            ),
            Says::NoRecord { where_, .. } => {
                write!(f, "the ledger has no record of {where_} at any date")
            }
            Says::Stale { ledger, where_, why } => {
                write!(f, "the ledger has {ledger} for {where_}, but {why}")
            }
            Says::OwnLine { ledger, where_ } => write!(
                f,
                "the ledger's {ledger} for {where_} comes from this claim's own line, so it cannot check it"
            ),
            Says::Within {
                ledger,
                where_,
                claimed,
            } => write!(f, "ledger has {ledger} for {where_}, within {claimed}"),
            Says::Outside {
                claimed,
                ledger,
                where_,
            } => write!(
                f,
                "expected {claimed}, ledger has {ledger} for {where_} ({})",
                off_by(claimed, ledger)
            ),
            Says::StaleFigures { where_, why } => {
                write!(f, "the ledger has figures for {where_}, but {why}")
            }
            Says::OwnLines { where_ } => write!(
                f,
                "the ledger's figures for {where_} come from this claim's own line, so it cannot check it"
            ),
            Says::Changed {
                where_,
                before,
                after,
                change,
                misses,
            } => {
                write!(f, "ledger has {where_} {before} → {after} ({})", signed(change))?;
                if misses.is_empty() {
                    return f.write_str(", as claimed");
                }
                for m in misses {
                    write!(f, "; {}: expected {}, ledger has {}", m.part, m.claimed, m.ledger)?;
                }
                Ok(())
            }
            Says::CannotAllHold(why) => write!(f, "the stated parts cannot all hold: {why}"),
            Says::NoStart { where_, at } => write!(
                f,
                "the ledger has no record of {where_} on {at} to start the change from"
            ),
            Says::ZeroBaseline => f.write_str("a ratio of a zero baseline says nothing"),
            Says::Implies(parts) if parts.is_empty() => f.write_str("the stated parts agree"),
            Says::Implies(parts) => {
                let parts: Vec<String> = parts
                    .iter()
                    .map(|(label, i)| text!("{label} {}", readable(i)))
                    .collect();
                write!(f, "implies {}", parts.join(", "))
            }
            Says::NoBridge {
                where_,
                early,
                late,
                missing,
            } => match missing {
                Missing::Both => write!(
                    f,
                    "the ledger has no record of {where_} on {early} or on {late} to bridge them"
                ),
                Missing::Early => write!(
                    f,
                    "the ledger has no record of {where_} on {early} to bridge from"
                ),
                Missing::Late => write!(
                    f,
                    "the ledger has no record of {where_} on {late} to bridge to"
                ),
            },
            Says::Bridged {
                early,
                early_at,
                change,
                bridged,
                late,
                late_at,
                meets,
            } => {
                write!(
                    f,
                    "{early} on {early_at} with the ledger's {} since gives {bridged}",
                    signed(change)
                )?;
                if *meets {
                    write!(f, ", which meets {late} on {late_at}")
                } else {
                    write!(f, ", but {late} on {late_at} ({})", off_by(late, bridged))
                }
            }
            Says::PartOfWhole {
                part,
                part_claimed,
                whole,
                whole_claimed,
                shift,
                rest,
            } => {
                let within = match shift {
                    Some(shift) => text!(" with the ledger's {} in {part} between them", signed(shift)),
                    None => String::new(),
                };
                match rest {
                    Some((rest, stated)) => {
                        let stated = match stated {
                            Some(s) => text!("{} on the stated figures, ", Thousands(s)),
                            None => String::new(),
                        };
                        write!(
                            f,
                            "{part} ({part_claimed}) fits in {whole} ({whole_claimed}){within}: the rest is {stated}{rest} with the hedges"
                        )
                    }
                    None => write!(
                        f,
                        "{part} ({part_claimed}) exceeds its whole, {whole} ({whole_claimed}){within}"
                    ),
                }
            }
            Says::AllMeet {
                listed: named,
                where_,
                when,
                meet,
                allowing,
            } => write!(
                f,
                "{} for {where_} on {when} meet in {meet}{}",
                listed(named),
                allowed(*allowing)
            ),
            Says::CannotAllMeet {
                count,
                where_,
                when,
                lowest,
                highest,
                gap,
                allowing,
                groups,
            } => {
                let k = groups.len();
                write!(
                    f,
                    "{count} claims of {where_} on {when} cannot all hold: {lowest} and {highest} are {} apart{}; ",
                    Thousands(gap),
                    allowed(*allowing)
                )?;
                if *allowing {
                    write!(f, "they fall into at least {k} groups that agree within")?;
                } else {
                    write!(f, "they need at least {k} different figures")?;
                }
                if k > 4 {
                    return Ok(());
                }
                let parts: Vec<String> = groups
                    .iter()
                    .map(|(ids, meet)| {
                        let ids: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
                        let ids = if ids.len() <= 4 {
                            ids.join(", ")
                        } else {
                            text!("{}, {} and {} more", ids[0], ids[1], ids.len() - 2)
                        };
                        text!("{ids} on {meet}")
                    })
                    .collect();
                write!(f, ": {}", parts.join("; "))
            }
            Says::AgainstOverlapping {
                claim,
                where_,
                at,
                overlapping,
                missed,
                allowing,
                apart,
            } => {
                let whose = if *overlapping == 1 {
                    "the one claim whose dates overlap it".to_string()
                } else {
                    text!("the {overlapping} claims whose dates overlap it")
                };
                write!(f, "{claim} for {where_} on {at} ")?;
                if *missed == 0 {
                    return write!(f, "meets {whose}{}", allowed(*allowing));
                }
                match (*missed, *overlapping) {
                    (1, 1) => write!(f, "does not meet {whose}"),
                    (m, k) if m == k => write!(f, "meets none of {whose}"),
                    _ => write!(f, "does not meet {missed} of {whose}"),
                }?;
                // Past the one or two it names, the farthest on each side.
                let farthest = if *missed > apart.len() {
                    "the farthest, "
                } else {
                    ""
                };
                let apart: Vec<String> = apart
                    .iter()
                    .map(|(b, at, gap)| text!("{b} on {at}, {} apart", Thousands(gap)))
                    .collect();
                write!(f, "{}: {farthest}{}", allowed(*allowing), apart.join("; "))
            }
            Says::Lone { subject, at, value } => write!(
                f,
                "{subject} on {at}: \"{value}\", and no other claim or record of the ledger speaks of it then"
            ),
            Says::Values {
                subject,
                at,
                values,
            } => write!(f, "{subject} on {at}: {}", listing(values)),
            Says::ValueAgainstOverlapping {
                subject,
                at,
                value,
                claim,
                overlapping,
                others,
                more_values,
            } => {
                write!(f, "{subject} on {at}: \"{value}\" ({claim})")?;
                if others.is_empty() {
                    return write!(
                        f,
                        ", as every one of the {overlapping} claims whose dates overlap it"
                    );
                }
                let mut shown: Vec<String> = others
                    .iter()
                    .map(|(v, id, n)| match n {
                        1 => text!("\"{v}\" ({id})"),
                        _ => text!("\"{v}\" ({id} and {} more)", n - 1),
                    })
                    .collect();
                if *more_values > 0 {
                    shown.push(text!("{more_values} more values"));
                }
                write!(f, " vs {}", shown.join(", "))
            }
            Says::RecordsNo { subject, date } => {
                write!(f, "the ledger records no {subject} on {date}")
            }
            Says::Recorded {
                subject,
                date,
                found,
                matched,
            } => {
                let found = found.join(", ");
                match matched {
                    Recorded::OwnLine => write!(
                        f,
                        "the ledger's {subject} on {date} ({found}) comes from this claim's own line, so it cannot check it"
                    ),
                    Recorded::AsClaimed => {
                        write!(f, "ledger has {subject} on {date}: {found}, as claimed")
                    }
                    Recorded::Not(expected) => write!(
                        f,
                        "claimed {expected}, ledger has {subject} on {date}: {found}"
                    ),
                }
            }
        }
    }
}

/// What a same-date finding adds where the ledger's figure moves over the
/// claims' days.
fn allowed(allowing: bool) -> &'static str {
    if allowing {
        ", with the ledger's changes over their days allowed for"
    } else {
        ""
    }
}

/// What an interval of evidence stands for: its `Display` is the label
/// (`C10: about 3,700 on 2022-02`, `ledger: GBR in EST personnel on 2022-03`).
pub(super) enum Label<'s> {
    /// A fact a claim states or implies.
    Fact(FactLabel<'s>),
    /// A fact as the part of a whole.
    Part(FactLabel<'s>),
    /// A fact as the whole a part is within.
    Whole(FactLabel<'s>),
    /// The ledger's total of `where_` over the days of `at`.
    Ledger { where_: &'s str, at: AsOf },
    /// The ledger's figure at a change's start.
    LedgerBefore(AsOf),
    /// The ledger's figure at a change's end.
    LedgerAfter(AsOf),
    /// The ledger's figure a change claim with no stated start starts from.
    LedgerStart { where_: &'s str, at: AsOf },
    /// A part of a change claim as stated.
    StatedPart { id: &'s ClaimId, part: &'static str },
    /// A part of a change claim as its other parts imply.
    ImpliedPart { id: &'s ClaimId, part: &'static str },
    /// What the ledger changed between two claims' dates.
    LedgerChange { from: AsOf, to: AsOf },
    /// A claim carried by the ledger's change to another's date.
    Carried { id: &'s ClaimId, to: NaiveDate },
    /// What the ledger changed in a part between its date and its whole's.
    PartChange { part: &'s str, from: AsOf, to: AsOf },
    /// What is left of a whole beside its part.
    Rest { whole: &'s str, part: &'s str },
    /// Where claims of one scope all meet; `level` where the ledger stands
    /// still over their days, so they meet in their own terms.
    AllMeet { level: bool },
    /// Where a group of claims agree.
    Agree(Vec<&'s ClaimId>),
}

/// A fact's own label: its claim, what it is of the claim, its date and layer.
pub(super) struct FactLabel<'s> {
    pub(super) id: &'s ClaimId,
    pub(super) role: Role,
    pub(super) stated: Option<Figure>,
    pub(super) at: AsOf,
    pub(super) layer: Option<&'s LayerId>,
}

impl Label<'_> {
    /// The evidence of `interval` under this label: written into one string,
    /// since a large check labels every fact in several findings.
    pub(super) fn of(&self, interval: Interval) -> Evidence {
        let mut label = String::with_capacity(48);
        // Writing to a `String` cannot fail.
        let _ = fmt::Write::write_fmt(&mut label, format_args!("{self}"));
        Evidence { label, interval }
    }
}

impl fmt::Display for FactLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.id)?;
        match (self.role, self.stated) {
            (Role::Stated, Some(s)) => write!(f, "{s}"),
            (Role::Before, Some(s)) => write!(f, "before {s}"),
            (Role::After, Some(s)) => write!(f, "after {s}"),
            (Role::Before, None) => f.write_str("implied before"),
            (Role::After, None) => f.write_str("implied after"),
            (Role::Stated, None) => f.write_str("stated"),
        }?;
        write!(f, " on {}", self.at)?;
        match self.layer {
            Some(l) => write!(f, " ({l})"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::Fact(fact) => write!(f, "{fact}"),
            Label::Part(fact) => write!(f, "part {fact}"),
            Label::Whole(fact) => write!(f, "whole {fact}"),
            Label::Ledger { where_, at } => write!(f, "ledger: {where_} on {at}"),
            Label::LedgerBefore(at) => write!(f, "ledger before, on {at}"),
            Label::LedgerAfter(at) => write!(f, "ledger after, on {at}"),
            Label::LedgerStart { where_, at } => write!(f, "ledger before: {where_} on {at}"),
            Label::StatedPart { id, part } => write!(f, "{id}: stated {part}"),
            Label::ImpliedPart { id, part } => write!(f, "{id}: implied {part}"),
            Label::LedgerChange { from, to } => write!(f, "ledger change {from} → {to}"),
            Label::Carried { id, to } => write!(f, "{id} carried to {to}"),
            Label::PartChange { part, from, to } => {
                write!(f, "ledger change in {part} {from} → {to}")
            }
            Label::Rest { whole, part } => write!(f, "the rest of {whole} beside {part}"),
            Label::AllMeet { level: true } => f.write_str("where they all meet"),
            Label::AllMeet { level: false } => {
                f.write_str("claimed less the ledger's, where they all meet")
            }
            Label::Agree(ids) => {
                let ids: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
                write!(f, "{} agree on", ids.join(", "))
            }
        }
    }
}
