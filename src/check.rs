//! The consistency checker: which claims agree, which conflict, and why.
//!
//! [`Ledger::check`] turns every figure into an [`Interval`] under a [`TolerancePolicy`]
//! and runs these rules, each of which yields [`Finding`]s with their evidence:
//!
//! | rule | what it asks |
//! |---|---|
//! | [`Rule::ClaimVsLedger`] | does the ledger's total lie in the claim's interval? |
//! | [`Rule::SameDate`] | can the claims of one scope on overlapping dates all hold? |
//! | [`Rule::AcrossDates`] | do the ledger's recorded changes bridge two claims of one scope on different dates? |
//! | [`Rule::PartWithinWhole`] | can a part (GBR in EST) fit in its whole (NATO in the Baltic states), on any day the whole may mean, with the ledger's changes in the part bridging their dates? |
//! | [`Rule::ChangeImplies`] | what do a change's stated parts imply, and do they agree? |
//! | [`Rule::Categories`] | do categorical claims about one subject on overlapping dates agree, with each other and the ledger? |
//!
//! The rules that compare claims with each other report groups, not pairs:
//! claims of one scope that all share a day make one same-date finding, so a
//! report grows with the claims, not with their pairs.
//!
//! A claim whose figure the ledger took from the same line of the same source
//! cannot be checked against the ledger: that check is *unverifiable*, not
//! consistent, since the ledger would only be agreeing with itself.
//!
//! Inside, each part has its file: `check/report.rs` the report and its
//! types; `check/validate.rs` claim validation; `check/evidence.rs` what is
//! read from the ledger, worked out once per scope; `check/rules/` one file
//! per rule, each deciding its findings as data; and `check/text.rs` every
//! sentence and label a finding says. A finding is made one way,
//! `Draft::says`, which asserts (in debug builds) what every finding holds.

use std::cell::{OnceCell, RefCell};
use std::collections::BTreeSet;
use std::fmt;
use std::rc::Rc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::claim::{AsOf, Change, Claim, Figure, Subject};
use crate::country::Country;
use crate::error::{Error, Result};
use crate::event::{EventId, LayerId};
use crate::hash::FastMap;
use crate::interval::Interval;
use crate::ledger::Ledger;
use crate::metric::Metric;
use crate::qualifier::TolerancePolicy;
use crate::scope::Scope;
use crate::view::View;

#[macro_use]
mod text;
mod coverage;
mod evidence;
mod report;
mod rules;
mod validate;

pub use coverage::Caveat;
use report::Draft;
pub use report::{Evidence, Finding, Report, Rule, Verdict};
pub(crate) use validate::validate;

use evidence::{Described, ScopeNo, ScopeNos, TrackKey, Tracks};
#[cfg(test)]
use text::readable;

impl Ledger {
    /// Checks `claims` against the ledger and each other under the default
    /// [`TolerancePolicy`].
    ///
    /// # Errors
    ///
    /// As [`check_with`](Ledger::check_with).
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::{scenario, Verdict};
    ///
    /// let madrid = scenario::madrid_2022()?;
    /// let report = madrid.ledger().check(madrid.claims())?;
    /// assert!(report.has_conflicts());
    /// println!("{report}");
    /// # Ok::<(), posture_ledger::Error>(())
    /// ```
    pub fn check(&self, claims: &[Claim]) -> Result<Report> {
        self.check_with(claims, CheckOptions::default())
    }

    /// Checks `claims` against the ledger and each other with `options`: a
    /// [`TolerancePolicy`], and optionally a date of knowledge.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] naming the claim and the field for an invalid
    /// claim: a scope naming a region, alliance, base or unit the ledger does
    /// not know, or an unknown layer or alliance; an as-of date or `since`
    /// that names no real day (`AsOf::Before(NaiveDate::MIN)`);
    /// a figure below zero, one its qualifier cannot take, or an empty range;
    /// a ratio of a zero baseline; a change that states nothing, or whose
    /// `since` is after its as-of date; a category value outside the
    /// subject's values; a duplicate id; a correction of an unknown claim, or
    /// without a reason.
    ///
    /// A metric no unit is counted in is not an error: a claim may count
    /// anything ("at least 18 deaths"), and its findings against the ledger
    /// are then [`Verdict::Unverifiable`], saying so. A metric close to one
    /// the ledger counts (`personel`) is taken for a typo, which would make
    /// the claim unverifiable without a word: an error,
    /// [`Problem::MisspeltMetric`](crate::Problem::MisspeltMetric), naming the
    /// metric meant. Every claim that stands
    /// (known by the date of knowledge, and not corrected) appears in at
    /// least one finding.
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::{scenario, CheckOptions, TolerancePolicy};
    /// use posture_ledger::qualifier::Approximation;
    /// use rust_decimal::Decimal;
    ///
    /// let madrid = scenario::madrid_2022()?;
    /// // "Some" and "-strong" read as ±10 % rather than by rounding.
    /// let policy = TolerancePolicy::default().with_approximation(Approximation::Relative(Decimal::new(1, 1)))?;
    /// let report = madrid.ledger().check_with(madrid.claims(), CheckOptions::from(policy))?;
    /// assert!(report.has_conflicts());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_with(&self, claims: &[Claim], options: impl Into<CheckOptions>) -> Result<Report> {
        let options = options.into();
        check(self, claims, &options)
    }
}

/// How to check: the tolerance policy, and the date of knowledge.
///
/// Converts from a [`TolerancePolicy`], so the common call stays short.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    policy: TolerancePolicy,
    known_at: Option<NaiveDate>,
    max_age: Option<u32>,
}

impl CheckOptions {
    /// The default policy, with everything recorded.
    pub fn new() -> Self {
        CheckOptions::default()
    }

    /// Reads figures under `policy`.
    pub fn with_policy(mut self, policy: TolerancePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Checks as known on `date`: only claims and events the ledger had learned
    /// of by then count, each as it stood then, before later corrections.
    pub fn known_at(mut self, date: NaiveDate) -> Self {
        self.known_at = Some(date);
        self
    }

    /// Takes a ledger figure whose newest observation is more than `days`
    /// before the claim's date as stale (see [`View::max_age`]): a claim
    /// checked against it is unverifiable, saying how old the figure is,
    /// rather than in conflict with a figure nobody has reported for years.
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::{scenario, AsOf, Claim, ClaimId, CheckOptions, Country, Figure, Metric, Rule, Scope, Source, Verdict};
    ///
    /// let ledger = scenario::madrid_2022()?.into_ledger();
    /// let uk_in_estonia = Scope::all().from_country(Country::new("GBR")?).in_country(Country::new("EST")?);
    /// // Fewer than 1,000 UK troops in Estonia, two years after the report's 1,650.
    /// let claim = Claim::quantity(
    ///     ClaimId::new("later")?,
    ///     Source::default(),
    ///     AsOf::Day("2024-06-29".parse()?),
    ///     uk_in_estonia,
    ///     Metric::PERSONNEL,
    ///     Figure::new(posture_ledger::Qualifier::LessThan, 1_000.into()),
    /// );
    /// let judged = |options: CheckOptions| -> Result<Verdict, posture_ledger::Error> {
    ///     let report = ledger.check_with(std::slice::from_ref(&claim), options)?;
    ///     let verdict = report.about(claim.id()).find(|f| f.rule == Rule::ClaimVsLedger).map(|f| f.verdict);
    ///     Ok(verdict.unwrap_or(Verdict::Unverifiable))
    /// };
    /// assert_eq!(judged(CheckOptions::new())?, Verdict::Conflicting);
    /// assert_eq!(judged(CheckOptions::new().max_age(365))?, Verdict::Unverifiable);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_age(mut self, days: u32) -> Self {
        self.max_age = Some(days);
        self
    }
}

impl From<TolerancePolicy> for CheckOptions {
    fn from(policy: TolerancePolicy) -> Self {
        CheckOptions::new().with_policy(policy)
    }
}

impl From<&TolerancePolicy> for CheckOptions {
    fn from(policy: &TolerancePolicy) -> Self {
        CheckOptions::new().with_policy(policy.clone())
    }
}

fn check(ledger: &Ledger, claims: &[Claim], options: &CheckOptions) -> Result<Report> {
    let mut checker = Checker::new(ledger, &options.policy, options.known_at);
    checker.max_age = options.max_age;
    let prepared = checker.prepare(claims)?;
    let mut findings = Vec::new();
    let mut facts = Vec::new();
    for p in &prepared {
        match &p.kind {
            Kind::Quantity {
                scope,
                metric,
                interval,
                figure,
            } => {
                let fact = Fact {
                    claim: p.claim,
                    role: Role::Stated,
                    view: p.view,
                    layer: p.claim.layer(),
                    scope,
                    metric,
                    as_of: p.claim.as_of(),
                    interval: *interval,
                    stated: Some(*figure),
                    days: OnceCell::new(),
                };
                findings.push(checker.quantity_vs_ledger(&fact)?);
                facts.push(fact);
            }
            Kind::Change {
                scope,
                metric,
                change,
                parts,
            } => {
                let (finding, derived) = checker.change(p, scope, metric, change, parts)?;
                findings.extend(finding);
                facts.extend(derived);
            }
            Kind::Category { .. } => {}
        }
    }
    checker.pairs(&facts, &mut findings)?;
    findings.extend(checker.categories(&prepared)?);
    Ok(Report::worst_first(findings, claims))
}

struct Checker<'a> {
    ledger: &'a Ledger,
    policy: &'a TolerancePolicy,
    known_at: Option<NaiveDate>,
    /// Days after which a ledger figure is stale.
    max_age: Option<u32>,
    /// The recorded events' lines and positions, sorted: built on first
    /// use, so that a claim finds the events from its own line without
    /// reading every event.
    cites: OnceCell<Vec<(u32, u32)>>,
    /// Each scope's total through time, by scope, metric and layer: built on
    /// first use, so that claims of one scope read one step function, not
    /// the cells, per day.
    tracks: RefCell<FastMap<TrackKey<'a>, Tracks<'a>>>,
    /// Each scope's description (`GBR in EST personnel`), written once.
    described: RefCell<FastMap<Described<'a>, Rc<str>>>,
    /// Each scope in words (`GBR in EST`), written once.
    scope_texts: RefCell<FastMap<ScopeNo, Rc<str>>>,
    /// The numbers of the distinct scopes, which key the caches above.
    scope_nos: RefCell<ScopeNos<'a>>,
    /// The countries that contribute anything the ledger holds, by layer:
    /// what a claim with no contributor filter counts, for its caveats.
    contributors: RefCell<FastMap<Option<u16>, Rc<BTreeSet<Country>>>>,
    /// The id of each event a finding has cited, by its key in the index:
    /// one copy of each id for every finding that cites it, where the log
    /// makes a new one each time it is asked.
    cited: RefCell<FastMap<crate::index::Key, EventId>>,
}

impl<'a> Checker<'a> {
    fn new(ledger: &'a Ledger, policy: &'a TolerancePolicy, known_at: Option<NaiveDate>) -> Self {
        Checker {
            ledger,
            policy,
            known_at,
            max_age: None,
            cites: OnceCell::new(),
            tracks: RefCell::new(FastMap::default()),
            described: RefCell::new(FastMap::default()),
            scope_texts: RefCell::new(FastMap::default()),
            scope_nos: RefCell::new(ScopeNos::default()),
            contributors: RefCell::new(FastMap::default()),
            cited: RefCell::new(FastMap::default()),
        }
    }
}

/// A claim with its figures as intervals and its layer resolved.
struct Prepared<'a> {
    claim: &'a Claim,
    view: View<'a>,
    kind: Kind<'a>,
}

enum Kind<'a> {
    Quantity {
        scope: &'a Scope,
        metric: &'a Metric,
        interval: Interval,
        figure: Figure,
    },
    Change {
        scope: &'a Scope,
        metric: &'a Metric,
        change: &'a Change,
        parts: Parts,
    },
    Category {
        subject: &'a Subject,
        value: &'a str,
    },
}

/// The parts of a change, as intervals; the delta is signed.
#[derive(Clone, Copy, Debug, Default)]
struct Parts {
    before: Option<Interval>,
    after: Option<Interval>,
    delta: Option<Interval>,
    ratio: Option<Interval>,
}

/// A quantity on a date, stated by a claim or implied by a change claim.
struct Fact<'a> {
    claim: &'a Claim,
    role: Role,
    view: View<'a>,
    layer: Option<&'a LayerId>,
    scope: &'a Scope,
    metric: &'a Metric,
    as_of: AsOf,
    interval: Interval,
    /// The figure as stated, when the claim states this quantity.
    stated: Option<Figure>,
    /// The ledger's totals over the fact's days, as [`Checker::ledger_days`]
    /// gives them: worked out once, for its claim and for however many
    /// pairs the fact is in.
    days: OnceCell<Option<Vec<Decimal>>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Stated,
    Before,
    After,
}

impl Fact<'_> {
    /// The fact's claim, named with the fact's interval, for a sentence.
    fn named(&self) -> text::Named<'_> {
        text::Named {
            id: self.claim.id(),
            interval: self.interval,
        }
    }

    /// `C10: about 3,700 on 2022-02`, `C7: implied after on 2022-06-29 (pledged)`.
    fn label(&self) -> text::FactLabel<'_> {
        text::FactLabel {
            id: self.claim.id(),
            role: self.role,
            stated: self.stated,
            at: self.as_of,
            layer: self.layer,
        }
    }

    /// The fact's interval as evidence, under its label.
    fn evidence(&self) -> Evidence {
        text::Label::Fact(self.label()).of(self.interval)
    }
}

fn internal(e: &dyn fmt::Display) -> Error {
    Error::Internal {
        detail: text!("checking claims: {e}"),
    }
}

#[cfg(test)]
mod tests;
