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

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::rc::Rc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::claim::{AsOf, Change, Claim, ClaimId, Direction, Figure, Statement, Subject};
use crate::country::{Country, MembershipStatus};
use crate::deployment::Footing;
use crate::error::{Error, Problem, RecordKind, Result};
use crate::event::{EventId, LayerId};
use crate::index::{FastMap, FastSet, Series};
use crate::interval::{cmp_high, cmp_low, Bound, Interval};
use crate::ledger::{end_of, Ledger};
use crate::metric::Metric;
use crate::number::Thousands;
use crate::qualifier::TolerancePolicy;
use crate::scope::{Places, Scope};
use crate::view::View;

mod coverage;
pub use coverage::Caveat;

/// `format!` for the findings' text: the sentences run to a hundred bytes
/// or so, and `format!` starts from a guess that a large check pays for in
/// three or four reallocations per string; this starts from enough, then
/// gives back what is left.
macro_rules! text {
    ($($arg:tt)*) => {{
        let mut out = String::with_capacity(160);
        // Writing to a `String` cannot fail.
        let _ = fmt::Write::write_fmt(&mut out, format_args!($($arg)*));
        out.shrink_to_fit();
        out
    }};
}

/// The verdict of one check, worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No values satisfy both sides.
    Conflicting,
    /// The ledger or the other claims cannot tell.
    Unverifiable,
    /// Some values satisfy every side.
    Consistent,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Verdict::Conflicting => "CONFLICTING",
            Verdict::Unverifiable => "unverifiable",
            Verdict::Consistent => "consistent",
        })
    }
}

/// Which rule a finding comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A claim against the ledger's total for its scope, metric and date.
    /// Over a month or a range of days, the claim must match the total on
    /// some day of it; the days before the first on which the ledger
    /// records anything in the scope are left out, as the ledger does not
    /// say the total was zero then.
    ClaimVsLedger,
    /// Claims of one scope and metric on overlapping dates, allowing for
    /// what the ledger changed between the days each may mean. Claims that
    /// all share a day make one finding: consistent with the interval they
    /// all leave, or conflicting with the two farthest apart (whose distance
    /// is the gap) and the fewest groups that agree within, each with the
    /// interval it leaves. Where dates chain without all sharing a day, each
    /// claim makes one finding against those its dates overlap, naming the
    /// farthest it does not meet below and above.
    SameDate,
    /// Two claims of one scope and metric on different dates, bridged by the ledger's changes.
    AcrossDates,
    /// A claim about a part of another claim's scope, on overlapping dates:
    /// the part, as it stood on the whole's days by the ledger's changes,
    /// cannot exceed the whole. Judged only where the part is within the
    /// whole on every day the whole's claim may mean.
    PartWithinWhole,
    /// What a change claim's stated parts imply.
    ChangeImplies,
    /// Categorical claims about one subject: one finding of the values
    /// stated by claims that all share a day (or, where dates chain without
    /// all sharing one, one per claim against those its dates overlap); and
    /// each claim against the ledger where it records the subject. A named
    /// subject no other claim speaks of then is unverifiable.
    Categories,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Rule::ClaimVsLedger => "claim vs ledger",
            Rule::SameDate => "same date",
            Rule::AcrossDates => "across dates",
            Rule::PartWithinWhole => "part within whole",
            Rule::ChangeImplies => "change implies",
            Rule::Categories => "categories",
        })
    }
}

/// One interval a finding used, with what it stands for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// What the interval is: `C10: about 3,700 on 2022-02`, `ledger on 2022-06-29`.
    pub label: String,
    /// The interval.
    pub interval: Interval,
}

/// The result of one check: its rule, verdict and evidence.
///
/// Its fields are plain data to read. The crate never takes a finding back
/// but inside a [`Report`] read with serde, and reading one refuses a finding
/// that names no claim or whose gap is below zero.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FindingFields")]
pub struct Finding {
    /// The rule applied.
    pub rule: Rule,
    /// The verdict.
    pub verdict: Verdict,
    /// The claims involved. A finding of one claim against all those its
    /// dates overlap names that claim first, then the few the finding cites.
    pub claims: Vec<ClaimId>,
    /// The ledger events involved, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventId>,
    /// The intervals used.
    pub evidence: Vec<Evidence>,
    /// For a conflict, the distance between the intervals that fail to meet;
    /// where several fail, between the two farthest apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<Decimal>,
    /// The finding in a sentence.
    pub summary: String,
    /// What the ledger's figure may not cover, or may take in beyond the
    /// claim's scope: said beside the verdict, not folded into it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<Caveat>,
}

/// A finding as read, before it is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingFields {
    rule: Rule,
    verdict: Verdict,
    claims: Vec<ClaimId>,
    #[serde(default)]
    events: Vec<EventId>,
    evidence: Vec<Evidence>,
    #[serde(default)]
    gap: Option<Decimal>,
    summary: String,
    #[serde(default)]
    caveats: Vec<Caveat>,
}

impl TryFrom<FindingFields> for Finding {
    type Error = &'static str;
    fn try_from(f: FindingFields) -> std::result::Result<Self, &'static str> {
        if f.claims.is_empty() {
            return Err("a finding names at least one claim");
        }
        if f.gap.is_some_and(|g| g.is_sign_negative() && !g.is_zero()) {
            return Err("a finding's gap is a distance, never below zero");
        }
        Ok(Finding {
            rule: f.rule,
            verdict: f.verdict,
            claims: f.claims,
            events: f.events,
            evidence: f.evidence,
            gap: f.gap,
            summary: f.summary,
            caveats: f.caveats,
        })
    }
}

impl Finding {
    /// A finding with no evidence or summary yet.
    fn new(rule: Rule, verdict: Verdict, claims: Vec<ClaimId>) -> Self {
        Finding {
            rule,
            verdict,
            claims,
            events: Vec::new(),
            evidence: Vec::new(),
            gap: None,
            summary: String::new(),
            caveats: Vec::new(),
        }
    }
}

/// Every finding of a check, worst first.
///
/// `Display` prints an aligned table a person scans at a glance; serde gives
/// the same as data, and reading a report back refuses one that is not worst
/// first (whose first findings a reader would take for the worst).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ReportFields")]
pub struct Report {
    findings: Vec<Finding>,
}

/// A report as read, before its order is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportFields {
    findings: Vec<Finding>,
}

impl TryFrom<ReportFields> for Report {
    type Error = String;
    fn try_from(r: ReportFields) -> std::result::Result<Self, String> {
        match r
            .findings
            .windows(2)
            .position(|w| w[1].verdict < w[0].verdict)
        {
            Some(i) => Err(format!(
                "finding {} is {} after a {} one: a report lists its findings worst first",
                i + 2,
                r.findings[i + 1].verdict,
                r.findings[i].verdict
            )),
            None => Ok(Report {
                findings: r.findings,
            }),
        }
    }
}

impl Report {
    /// Every finding, conflicting first, then unverifiable, then consistent.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The findings with a given verdict.
    pub fn with_verdict(&self, verdict: Verdict) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.verdict == verdict)
    }

    /// Whether any finding is a conflict.
    pub fn has_conflicts(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.verdict == Verdict::Conflicting)
    }

    /// The findings that involve `claim`.
    pub fn about<'a>(&'a self, claim: &'a ClaimId) -> impl Iterator<Item = &'a Finding> {
        self.findings
            .iter()
            .filter(move |f| f.claims.contains(claim))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A column is as wide as its widest cell, up to `WIDEST`; a wider
        // cell (the ids of a thousand claims) runs on into the next column
        // rather than push every row out to its width. Padded by hand: a
        // `{:w$}` width past 65,535 is refused by the formatter.
        const WIDEST: usize = 60;
        let rows: Vec<[String; 3]> = self
            .findings
            .iter()
            .map(|x| {
                let ids: Vec<&str> = x.claims.iter().map(ClaimId::as_str).collect();
                [x.verdict.to_string(), x.rule.to_string(), ids.join(" ")]
            })
            .collect();
        let mut widths = [0; 3];
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                let n = cell.chars().count();
                if n <= WIDEST {
                    *w = (*w).max(n);
                }
            }
        }
        let mut line = String::new();
        for (row, finding) in rows.iter().zip(&self.findings) {
            line.clear();
            for (cell, w) in row.iter().zip(widths) {
                line.push_str(cell);
                let pad = w.saturating_sub(cell.chars().count()) + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
            line.push_str(&finding.summary);
            for caveat in &finding.caveats {
                // Writing to a `String` cannot fail.
                let _ = fmt::Write::write_fmt(&mut line, format_args!(" — caveat: {caveat}"));
            }
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

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

/// Checks that every claim is well formed and names what the ledger knows.
pub(crate) fn validate(ledger: &Ledger, claims: &[Claim], policy: &TolerancePolicy) -> Result<()> {
    Checker::new(ledger, policy, None)
        .prepare(claims)
        .map(|_| ())
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
    // Worst first, then by rule and claims. The claims compare by their
    // ranks among the ids, which orders them as the ids do, without reading
    // the ids' text at every comparison.
    let mut ids: Vec<&ClaimId> = claims.iter().map(Claim::id).collect();
    ids.sort_unstable();
    let ranks: FastMap<&ClaimId, usize> =
        ids.into_iter().enumerate().map(|(r, id)| (id, r)).collect();
    let rank = |id: &ClaimId| ranks.get(id).copied().unwrap_or(usize::MAX);
    findings.sort_by_cached_key(|f| {
        let ranks: Vec<usize> = f.claims.iter().map(rank).collect();
        (f.verdict, f.rule, ranks)
    });
    Ok(Report { findings })
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
}

type Described<'a> = (&'a Scope, &'a Metric, Option<&'a LayerId>);

type TrackKey<'a> = (&'a Scope, &'a Metric, Option<u16>);
type Track<'a> = Rc<Cow<'a, Series>>;
/// A run of days, first and last, with its track.
type Run<'a> = (NaiveDate, NaiveDate, Option<Track<'a>>);
/// Facts' positions by scope.
type ByScope<'s> = FastMap<&'s Scope, Vec<usize>>;

/// One scope's tracks: one per run of days between the changes of what the
/// scope stands for, each built when first read; `None` where the total
/// must be replayed.
struct Tracks<'a> {
    changes: Vec<NaiveDate>,
    built: FastMap<usize, Option<Track<'a>>>,
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
    /// `C10: about 3,700 on 2022-02`, `C7: implied after on 2022-06-29 (pledged)`:
    /// written into one string, since a large check labels every fact in
    /// several findings.
    fn label(&self) -> String {
        use fmt::Write as _;
        let mut out = String::with_capacity(48);
        // Writing to a `String` cannot fail.
        let _ = write!(out, "{}: ", self.claim.id());
        let _ = match (self.role, self.stated) {
            (Role::Stated, Some(f)) => write!(out, "{f}"),
            (Role::Before, Some(f)) => write!(out, "before {f}"),
            (Role::After, Some(f)) => write!(out, "after {f}"),
            (Role::Before, None) => write!(out, "implied before"),
            (Role::After, None) => write!(out, "implied after"),
            (Role::Stated, None) => write!(out, "stated"),
        };
        let _ = write!(out, " on {}", self.as_of);
        if let Some(l) = self.layer {
            let _ = write!(out, " ({l})");
        }
        out
    }
}

impl<'a> Checker<'a> {
    /// [`describe`], written once per scope, metric and layer: claims of one
    /// scope share it.
    fn describe(
        &self,
        scope: &'a Scope,
        metric: &'a Metric,
        layer: Option<&'a LayerId>,
    ) -> Rc<str> {
        Rc::clone(
            self.described
                .borrow_mut()
                .entry((scope, metric, layer))
                .or_insert_with(|| describe(scope, metric, layer).into()),
        )
    }

    /// Checks every claim, and prepares those that stand on the date of
    /// knowledge: known by then, and not corrected by a claim known by then.
    fn prepare(&self, claims: &'a [Claim]) -> Result<Vec<Prepared<'a>>> {
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
    fn check_scope(&self, claim: &Claim, scope: &Scope, metric: &Metric) -> Result<()> {
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

    fn check_category(&self, claim: &Claim, subject: &Subject, value: &str) -> Result<()> {
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
    fn check_scope_places(&self, claim: &Claim, scope: &Scope, field: &'static str) -> Result<()> {
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

    /// Whether any unit is counted in `metric`: if none, the ledger cannot tell.
    fn counts(&self, metric: &Metric) -> bool {
        self.ledger.counts_metric(metric)
    }

    /// The positions of the events that cite `line` of any document, in log order.
    fn citing(&self, line: u32) -> impl Iterator<Item = u32> + '_ {
        let cites = self.cites.get_or_init(|| {
            let mut cites: Vec<(u32, u32)> = self
                .ledger
                .events()
                .iter()
                .zip(0..)
                .filter_map(|(e, i)| Some((e.source()?.line?, i)))
                .collect();
            cites.sort_unstable();
            cites
        });
        let from = cites.partition_point(|&(l, _)| l < line);
        cites[from..]
            .iter()
            .take_while(move |&&(l, _)| l == line)
            .map(|&(_, i)| i)
    }

    /// The ledger's totals over the days of `as_of` that a record covers, in
    /// order, a value for each run of days it holds (not one per day): empty
    /// where no day has a record; `None` when no unit is counted in `metric`.
    fn ledger_days(
        &self,
        view: View<'a>,
        scope: &'a Scope,
        metric: &'a Metric,
        as_of: AsOf,
    ) -> Result<Option<Vec<Decimal>>> {
        let Some(totals) = self.day_totals(view, scope, metric, as_of)? else {
            return Ok(None);
        };
        totals
            .into_iter()
            .flatten()
            .map(|v| decimal(v, metric))
            .collect::<Result<_>>()
            .map(Some)
    }

    /// The totals at the ends of the days of `as_of`, in order, one per
    /// change, recorded zeros included and `None` for days no record covers;
    /// `None` when the ledger counts nothing of `metric`.
    fn day_totals(
        &self,
        view: View<'a>,
        scope: &'a Scope,
        metric: &'a Metric,
        as_of: AsOf,
    ) -> Result<Option<Vec<Option<i128>>>> {
        if !self.counts(metric) {
            return Ok(None);
        }
        let mut totals: Vec<Option<i128>> = Vec::new();
        for (first, last, track) in self.tracks(view, scope, metric, as_of.first(), as_of.last())? {
            match track {
                Some(track) => track.day_ends(end_of(first), end_of(last), &mut totals),
                None => {
                    for day in first.iter_days().take_while(|&d| d <= last) {
                        let total = view.total(scope, metric, day)?.get().map(i128::from);
                        if totals.last() != Some(&total) {
                            totals.push(total);
                        }
                    }
                }
            }
        }
        Ok(Some(totals))
    }

    /// The total of `metric` in `scope` through time, as the view shows it,
    /// over the days `first..=last`: the days cut where what the scope
    /// stands for changes, each run with its track (`None` where the total
    /// must be replayed).
    fn tracks(
        &self,
        view: View<'a>,
        scope: &'a Scope,
        metric: &'a Metric,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<Run<'a>>> {
        let mut all = self.tracks.borrow_mut();
        let tracks = all
            .entry((scope, metric, view.layer_index()))
            .or_insert_with(|| Tracks {
                changes: self.ledger.membership_changes(scope),
                built: FastMap::default(),
            });
        let epoch = tracks.changes.partition_point(|&c| c <= first);
        let mut runs = Vec::new();
        let mut start = first;
        for (n, &change) in tracks.changes[epoch..].iter().enumerate() {
            if change > last {
                break;
            }
            // A change is never `first` itself, so it has a day before it.
            runs.push((epoch + n, start, change.pred_opt().unwrap_or(change)));
            start = change;
        }
        runs.push((epoch + runs.len(), start, last));
        runs.into_iter()
            .map(|(epoch, from, to)| {
                let track = match tracks.built.get(&epoch) {
                    Some(track) => track.clone(),
                    None => {
                        let track = view.track(scope, metric, from)?.map(Rc::new);
                        tracks.built.insert(epoch, track.clone());
                        track
                    }
                };
                Ok((from, to, track))
            })
            .collect()
    }

    /// The ledger's totals over the days of `as_of`, as the interval from the
    /// least to the most; `None` when no unit is counted in `metric`.
    fn ledger_range(
        &self,
        view: View<'a>,
        scope: &'a Scope,
        metric: &'a Metric,
        as_of: AsOf,
    ) -> Result<Option<Interval>> {
        Ok(self
            .ledger_days(view, scope, metric, as_of)?
            .and_then(|days| hull(&days)))
    }

    /// The view a claim is read in: its layer, as known on the check's date.
    fn view_of(&self, layer: Option<&LayerId>) -> Result<View<'a>> {
        let view = match layer {
            None => self.ledger.view(),
            Some(l) => self.ledger.with_layer(l)?,
        };
        let view = match self.max_age {
            Some(days) => view.max_age(days),
            None => view,
        };
        Ok(match self.known_at {
            Some(k) => view.known_at(k),
            None => view,
        })
    }

    /// Where the view has a maximum age and the ledger's figure of `scope`
    /// on `date` is older: why it is stale, to say so instead of a verdict.
    fn stale(
        &self,
        view: View<'_>,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
    ) -> Result<Option<String>> {
        let total = view.total(scope, metric, date)?;
        let (true, Some(oldest)) = (total.is_stale(), total.oldest_figure()) else {
            return Ok(None);
        };
        let why = match (total.valid_until(), view.max_age_days()) {
            (Some(until), _) if until < date => text!("a figure it adds holds only until {until}"),
            (_, Some(days)) => text!(
                "a figure it adds was last observed on {oldest}, more than {days} days before {date}"
            ),
            // Stale for one reason or the other, by construction.
            (_, None) => text!("a figure it adds no longer holds on {date}"),
        };
        Ok(Some(text!("{why}: the total is stale, not current")))
    }

    /// The recorded events that cite the claim's own line and count towards
    /// its scope: if any, the ledger's figure is the claim's own.
    fn own_figures(
        &self,
        claim: &Claim,
        view: View<'_>,
        scope: &Scope,
        metric: &Metric,
        as_of: AsOf,
    ) -> Result<Vec<EventId>> {
        let (Some(line), document) = (claim.source().line, &claim.source().document) else {
            return Ok(Vec::new());
        };
        if !self.counts(metric) {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for i in self.citing(line) {
            let event = &self.ledger.events()[i as usize];
            let cites = event
                .source()
                .is_some_and(|s| s.line == Some(line) && &s.document == document);
            let visible = event.layer().is_none() || event.layer() == claim.layer();
            if cites && visible && event.effective() <= as_of.last() {
                // The event's figure is the ledger's there if the event itself
                // observed the scope: a line of the register behind the total.
                let within = scope.clone().unit(event.unit().clone());
                let register = view.explain(&within, metric, as_of.last())?;
                if register.entries().iter().any(|e| e.event == *event.id()) {
                    out.push(event.id().clone());
                }
            }
        }
        Ok(out)
    }

    fn quantity_vs_ledger(&self, fact: &Fact<'a>) -> Result<Finding> {
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

    /// What a change claim implies, checked against itself and the ledger;
    /// and the quantities it states or implies at its two points.
    fn change(
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
                evidence.push(Evidence {
                    label: text!(
                        "ledger before: {} on {before_at}",
                        self.describe(scope, metric, None)
                    ),
                    interval: b,
                });
            }
        }
        // A change whose start the ledger must give, where it has no record.
        let no_start = change.since.is_none()
            && parts.before.is_none()
            && parts.after.is_none()
            && (parts.ratio.is_some() || parts.delta.is_some())
            && ledger_before.is_none()
            && self.counts(metric);
        let mut summary_parts = Vec::new();
        let derived = derive(&parts);
        let name = |s: &str| text!("{}: {s}", claim.id());
        let mut f = Finding::new(
            Rule::ChangeImplies,
            Verdict::Consistent,
            vec![claim.id().clone()],
        );
        for (label, i) in [
            ("before", stated.before),
            ("after", stated.after),
            ("change", stated.delta),
            ("ratio", stated.ratio),
        ] {
            if let Some(i) = i {
                f.evidence.push(Evidence {
                    label: name(&format!("stated {label}")),
                    interval: i,
                });
            }
        }
        f.evidence.extend(evidence);
        match derived {
            Err(why) => {
                f.verdict = Verdict::Conflicting;
                f.summary = text!("the stated parts cannot all hold: {why}");
            }
            Ok(_) if no_start => {
                f.verdict = Verdict::Unverifiable;
                f.summary = text!(
                    "the ledger has no record of {} on {before_at} to start the change from",
                    self.describe(scope, metric, None)
                );
            }
            Ok(_)
                if parts.ratio.is_some()
                    && parts
                        .before
                        .is_some_and(|b| b.is_exact() == Some(Decimal::ZERO)) =>
            {
                f.verdict = Verdict::Unverifiable;
                f.summary = "a ratio of a zero baseline says nothing".to_string();
            }
            Ok(d) => {
                for (label, was, now) in [
                    ("before", stated.before, d.before),
                    ("after", stated.after, d.after),
                    ("change", stated.delta, d.delta),
                    ("ratio", stated.ratio, d.ratio),
                ] {
                    if let Some(now) = now.filter(informative) {
                        if was != Some(now) {
                            f.evidence.push(Evidence {
                                label: name(&format!("implied {label}")),
                                interval: now,
                            });
                            summary_parts.push(text!("{label} {}", readable(&now)));
                        }
                    }
                }
                f.summary = if summary_parts.is_empty() {
                    "the stated parts agree".to_string()
                } else {
                    text!("implies {}", summary_parts.join(", "))
                };
                parts = d;
            }
        }
        findings.push(f);

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
            _ => {
                let mut f = Finding::new(
                    Rule::ClaimVsLedger,
                    Verdict::Unverifiable,
                    vec![claim.id().clone()],
                );
                f.summary = if self.counts(metric) {
                    // The side with no record, in the view it is read in: a
                    // layer claim's "before" is the baseline's.
                    let before_layer = before_view.layer_index().and(claim.layer());
                    let (view, layer, which) = match (ledger_before, ledger_after) {
                        (None, Some(_)) => (
                            before_view,
                            before_layer,
                            text!("on {before_at}, before the change"),
                        ),
                        (Some(_), None) => {
                            (p.view, claim.layer(), text!("on {as_of}, after the change"))
                        }
                        _ => (p.view, claim.layer(), text!("on {before_at} or on {as_of}")),
                    };
                    let where_ = self.describe(scope, metric, layer);
                    match view.first_record(scope, metric, as_of.last())? {
                        Some(first) => text!(
                            "the ledger has no record of {where_} {which}: its records there begin on {first}"
                        ),
                        None => text!("the ledger has no record of {where_} at any date"),
                    }
                } else {
                    text!("the ledger counts no {metric}")
                };
                findings.push(f);
            }
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

    #[allow(clippy::too_many_arguments)]
    fn change_vs_ledger(
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

    /// The rules over pairs of quantities: same date, across dates, part
    /// within whole; their findings go onto `findings`.
    fn pairs(&self, facts: &[Fact<'a>], findings: &mut Vec<Finding>) -> Result<()> {
        // Each fact's first and last day, worked out once.
        let days: Vec<(NaiveDate, NaiveDate)> = facts
            .iter()
            .map(|f| (f.as_of.first(), f.as_of.last()))
            .collect();
        // Same scope, metric and layer: grouped, then sorted by date.
        let mut groups: FastMap<(&Scope, &Metric, Option<&LayerId>), Vec<usize>> =
            FastMap::default();
        for (i, fact) in facts.iter().enumerate() {
            groups
                .entry((fact.scope, fact.metric, fact.layer))
                .or_default()
                .push(i);
        }
        let mut keys: Vec<_> = groups.keys().copied().collect();
        keys.sort_by_cached_key(|(s, m, l)| {
            (s.to_string(), m.to_string(), l.map(ToString::to_string))
        });
        for key in keys {
            let where_ = self.describe(key.0, key.1, key.2);
            let mut group = groups.remove(&key).unwrap_or_default();
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
        // Part within whole: different scopes, one metric and layer, overlapping
        // dates. The facts are grouped by metric and layer, then by scope,
        // each scope's sorted by date; each ordered pair of scopes that may
        // nest is swept for facts whose dates overlap, and the pairs are then
        // taken in the order of a scan of every pair.
        let mut by_metric: FastMap<(&Metric, Option<&LayerId>), ByScope<'_>> = FastMap::default();
        for (i, f) in facts.iter().enumerate() {
            by_metric
                .entry((f.metric, f.layer))
                .or_default()
                .entry(f.scope)
                .or_default()
                .push(i);
        }
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for by_scope in by_metric.into_values() {
            let mut groups: Vec<ScopeFacts<'_>> = by_scope
                .into_iter()
                .map(|(scope, mut group)| {
                    group.sort_by_key(|&i| (days[i].0, i));
                    // The longest span bounds how early an overlapping fact can start.
                    let longest = group
                        .iter()
                        .map(|&i| days[i].1 - days[i].0)
                        .max()
                        .unwrap_or_default();
                    ScopeFacts {
                        scope,
                        facts: group,
                        longest,
                        dated: dated(scope),
                        changes: self.ledger.membership_changes(scope),
                        shape: Shape::of(scope),
                    }
                })
                .collect();
            groups.sort_by_key(|g| g.facts[0]);
            for part in &groups {
                for whole in &groups {
                    if std::ptr::eq(part, whole)
                        || !part.shape.may_fit(&whole.shape)
                        || !may_be_within(part.scope, whole.scope)
                    {
                        continue;
                    }
                    // Scopes of countries alone nest, or not, on every date.
                    let undated = !part.dated && !whole.dated;
                    if undated && !self.within(part.scope, whole.scope, NaiveDate::MIN)? {
                        continue;
                    }
                    for &i in &part.facts {
                        let (first, last) = days[i];
                        let earliest = first
                            .checked_sub_signed(whole.longest)
                            .unwrap_or(NaiveDate::MIN);
                        let from = whole.facts.partition_point(|&j| days[j].0 < earliest);
                        for &j in &whole.facts[from..] {
                            if days[j].0 > last {
                                break;
                            }
                            if days[j].1 < first {
                                continue;
                            }
                            if undated || self.within_throughout(part, whole, days[j])? {
                                candidates.push((i, j));
                            }
                        }
                    }
                }
            }
        }
        candidates.sort_unstable();
        for (i, j) in candidates {
            let (part, whole) = (&facts[i], &facts[j]);
            if part.claim.id() != whole.claim.id() {
                let shift = self.part_shift(part, whole)?;
                findings.push(part_within_whole(part, whole, shift)?);
            }
        }
        Ok(())
    }

    /// The same-date rule over one scope's facts, sorted by first day. The
    /// facts fall into runs whose dates chain together. Where every fact of
    /// a run shares a day with every other, one finding says whether they
    /// can all hold (intervals that meet pairwise all meet) and, if not,
    /// which two lie farthest apart and the fewest groups that agree within;
    /// elsewhere each fact gets one finding against those whose dates
    /// overlap it. Either way the findings grow with the facts, not with
    /// their pairs.
    fn same_dates(
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

    /// What the ledger changed in the part's scope between any day the part
    /// may mean and any day the whole may mean: a part stated for February
    /// and a whole for 25 February are compared as the part stood on the 25th.
    /// Unlike a claim's own days, the whole's keep the days before anything
    /// was recorded in the part: the whole may mean one when the part was
    /// nothing.
    fn part_shift(&self, part: &Fact<'a>, whole: &Fact<'a>) -> Result<Interval> {
        self.shift_to(part, whole.as_of, || {
            let totals = self.day_totals(part.view, part.scope, part.metric, whole.as_of)?;
            // The change the ledger records: a day before any record of the
            // part holds nothing recorded of it.
            let totals: Vec<Decimal> = totals
                .unwrap_or_default()
                .into_iter()
                .map(|v| decimal(v.unwrap_or(0), part.metric))
                .collect::<Result<_>>()?;
            Ok(hull(&totals).unwrap_or(Interval::exact(Decimal::ZERO)))
        })
    }

    /// What the ledger changed in `a`'s scope from any day of `a` to any day
    /// of `to`, given the span of its totals over `to`'s days.
    fn shift_to(
        &self,
        a: &Fact<'a>,
        to: AsOf,
        span_to: impl FnOnce() -> Result<Interval>,
    ) -> Result<Interval> {
        let zero = Interval::exact(Decimal::ZERO);
        let one_day = a.as_of.first() == a.as_of.last()
            && a.as_of.first() == to.first()
            && to.first() == to.last();
        if one_day || !self.counts(a.metric) {
            return Ok(zero);
        }
        span_to()?
            .checked_sub(&self.span(a)?)
            .map_err(|e| internal(&e))
    }

    /// The ledger's totals over the days a fact may mean, least to most; zero
    /// when the ledger counts nothing of its metric.
    fn span(&self, f: &Fact<'a>) -> Result<Interval> {
        Ok(self
            .fact_days(f)?
            .and_then(hull)
            .unwrap_or(Interval::exact(Decimal::ZERO)))
    }

    /// The ledger's totals over a fact's days: see [`ledger_days`](Checker::ledger_days).
    fn fact_days<'f>(&self, f: &'f Fact<'a>) -> Result<Option<&'f [Decimal]>> {
        if f.days.get().is_none() {
            let days = self.ledger_days(f.view, f.scope, f.metric, f.as_of)?;
            // Nothing else sets it: the value just worked out is the one kept.
            let _ = f.days.set(days);
        }
        Ok(f.days.get().and_then(Option::as_deref))
    }

    fn across_dates(&self, early: &Fact<'a>, late: &Fact<'a>, where_: &str) -> Result<Finding> {
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
        let mut f = Finding {
            rule: Rule::AcrossDates,
            verdict: Verdict::Consistent,
            claims: vec![early.claim.id().clone(), late.claim.id().clone()],
            events,
            evidence: vec![
                Evidence {
                    label: early.label(),
                    interval: early.interval,
                },
                Evidence {
                    label: text!("ledger change {} → {}", early.as_of, late.as_of),
                    interval: change,
                },
                Evidence {
                    label: text!("{} carried to {d2}", early.claim.id()),
                    interval: bridged,
                },
                Evidence {
                    label: late.label(),
                    interval: late.interval,
                },
            ],
            gap: None,
            summary: String::new(),
            caveats: Vec::new(),
        };
        if known {
            f.caveats = late
                .view
                .caveats(late.scope, late.metric, late.as_of.last())?;
        }
        if no_early || no_late || !known {
            // No record on a side is no figure to carry from or to: the
            // evidence keeps the claims, not a change from a record of none;
            // the events between stay, as what the ledger holds there.
            f.verdict = Verdict::Unverifiable;
            f.evidence.truncate(1);
            f.evidence.push(Evidence {
                label: late.label(),
                interval: late.interval,
            });
            f.summary = match (no_early, no_late) {
                (true, true) | (false, false) => {
                    text!(
                        "the ledger has no record of {where_} on {} or on {} to bridge them",
                        early.as_of,
                        late.as_of
                    )
                }
                (true, false) => text!(
                    "the ledger has no record of {where_} on {} to bridge from",
                    early.as_of
                ),
                (false, true) => text!(
                    "the ledger has no record of {where_} on {} to bridge to",
                    late.as_of
                ),
            };
        } else if bridged.intersects(&late.interval) {
            f.summary = text!(
                "{} on {} with the ledger's {} since gives {}, which meets {} on {}",
                early.interval,
                early.as_of,
                signed(&change),
                bridged,
                late.interval,
                late.as_of
            );
        } else {
            f.verdict = Verdict::Conflicting;
            f.gap = bridged.gap(&late.interval).ok().flatten();
            f.summary = text!(
                "{} on {} with the ledger's {} since gives {}, but {} on {} ({})",
                early.interval,
                early.as_of,
                signed(&change),
                bridged,
                late.interval,
                late.as_of,
                off_by(&late.interval, &bridged)
            );
        }
        Ok(f)
    }

    /// The events effective in (d1, d2] that changed the fact's total: the
    /// lines of the register behind the total on `d2` that fall after `d1`.
    /// One replay of the ledger per scope and date, however many events.
    fn events_between(
        &self,
        fact: &Fact<'a>,
        d1: NaiveDate,
        d2: NaiveDate,
    ) -> Result<Vec<EventId>> {
        // Where the total has a track, its steps in the span are those events.
        let tracks = self.tracks(fact.view, fact.scope, fact.metric, d2, d2)?;
        if let Some((_, _, Some(track))) = tracks.first() {
            return Ok(track
                .changes_between(end_of(d1), end_of(d2))
                .filter_map(|key| self.ledger.event_at_key(key))
                .map(|e| e.id().clone())
                .collect());
        }
        let register = fact.view.explain(fact.scope, fact.metric, d2)?;
        Ok(register
            .into_entries()
            .into_iter()
            .filter(|e| d1 < e.effective && e.effective <= d2 && e.change != 0)
            .map(|e| e.event)
            .collect())
    }

    /// Whether every deployment `part` covers is covered by `whole` on `date`,
    /// judged from the scopes' filters.
    fn within(&self, part: &Scope, whole: &Scope, date: NaiveDate) -> Result<bool> {
        if let Some(w) = whole.units() {
            let Some(p) = part.units() else {
                return Ok(false);
            };
            for id in p {
                let mut cur = Some(id.clone());
                let mut inside = false;
                while let Some(u) = cur {
                    if w.contains(&u) {
                        inside = true;
                        break;
                    }
                    cur = self.ledger.unit(&u).and_then(|x| x.parent().cloned());
                }
                if !inside {
                    return Ok(false);
                }
            }
        }
        if let Some(w) = whole.bases() {
            if !part.bases().is_some_and(|p| p.is_subset(w)) {
                return Ok(false);
            }
        }
        if let Some(w) = whole.hosts() {
            let w = self.countries(w, date)?;
            let p: Option<BTreeSet<Country>> = match (part.hosts(), part.bases()) {
                (Some(h), _) => Some(self.countries(h, date)?),
                (None, Some(bases)) => bases
                    .iter()
                    .map(|b| self.ledger.base(b).map(|b| b.host()))
                    .collect(),
                (None, None) => None,
            };
            if !p.is_some_and(|p| !p.is_empty() && p.is_subset(&w)) {
                return Ok(false);
            }
        }
        if let Some(w) = whole.contributors() {
            let Some(p) = part.contributors() else {
                return Ok(false);
            };
            let countries_ok = self
                .countries(p, date)?
                .is_subset(&self.countries(w, date)?);
            if !countries_ok || !p.alliances.is_subset(&w.alliances) {
                return Ok(false);
            }
        }
        if let Some(w) = whole.footings() {
            if !part.footings().is_some_and(|p| p.is_subset(w)) {
                return Ok(false);
            }
        }
        if let Some(w) = whole.kinds() {
            if !part.kinds().is_some_and(|p| p.is_subset(w)) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether `part` is within `whole` on every day from `first` to `last`,
    /// the days the whole's claim may mean: a part is bound by its whole only
    /// if it is part of it whichever of those days the whole's figure is for.
    fn within_throughout(
        &self,
        part: &ScopeFacts<'_>,
        whole: &ScopeFacts<'_>,
        (first, last): (NaiveDate, NaiveDate),
    ) -> Result<bool> {
        if !self.within(part.scope, whole.scope, first)? {
            return Ok(false);
        }
        for &day in part.changes.iter().chain(&whole.changes) {
            if first < day && day <= last && !self.within(part.scope, whole.scope, day)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn countries(&self, places: &Places, date: NaiveDate) -> Result<BTreeSet<Country>> {
        Ok(self.ledger.countries(places, date)?.into_iter().collect())
    }

    /// Categorical claims about one subject, on dates that chain together:
    /// where they all share a day, one finding of the values they state;
    /// elsewhere one per claim, against those whose dates overlap its own. A
    /// claim no other speaks with, about something the ledger does not
    /// record, is unverifiable. The findings grow with the claims, not with
    /// their pairs.
    fn categories(&self, prepared: &[Prepared<'_>]) -> Result<Vec<Finding>> {
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
                            let mut f = Finding::new(
                                Rule::Categories,
                                Verdict::Unverifiable,
                                vec![one.p.claim.id().clone()],
                            );
                            f.summary = text!(
                                "{} on {}: \"{}\", and no other claim or record of the ledger speaks of it then",
                                one.subject,
                                one.p.claim.as_of(),
                                one.value.trim()
                            );
                            findings.push(f);
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
        let mut f = Finding::new(
            Rule::Categories,
            Verdict::Consistent,
            vec![claim.id().clone()],
        );
        if found.is_empty() {
            f.verdict = Verdict::Unverifiable;
            f.summary = text!("the ledger records no {subject} on {date}");
        } else if !own.is_empty() {
            f.verdict = Verdict::Unverifiable;
            f.summary = text!(
                "the ledger's {subject} on {date} ({}) comes from this claim's own line, so it cannot check it",
                found.join(", ")
            );
            f.events = own;
        } else if found.contains(&expected) {
            f.summary = text!(
                "ledger has {subject} on {date}: {}, as claimed",
                found.join(", ")
            );
        } else {
            f.verdict = Verdict::Conflicting;
            f.summary = text!(
                "claimed {expected}, ledger has {subject} on {date}: {}",
                found.join(", ")
            );
        }
        Ok(Some(f))
    }
}

/// A categorical claim as the rule reads it.
struct Said<'p> {
    /// Its place among the claims checked.
    n: usize,
    p: &'p Prepared<'p>,
    subject: &'p Subject,
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

/// Categorical claims about one subject that all share a day: one finding,
/// conflicting if they state more than one value.
fn values_on_shared_days(run: &[Said<'_>]) -> Finding {
    let mut ordered: Vec<&Said<'_>> = run.iter().collect();
    ordered.sort_by_key(|s| s.n);
    let values = values_of(ordered.iter().copied());
    let conflict = values.len() > 1;
    let mut f = Finding::new(
        Rule::Categories,
        if conflict {
            Verdict::Conflicting
        } else {
            Verdict::Consistent
        },
        ordered.iter().map(|s| s.p.claim.id().clone()).collect(),
    );
    f.summary = text!(
        "{} on {}: {}",
        ordered[0].subject,
        ordered[0].p.claim.as_of(),
        listing(&values)
    );
    f
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
        let mut f = Finding::new(Rule::Categories, Verdict::Consistent, claims);
        let head = text!(
            "{} on {}: \"{}\" ({})",
            a.subject,
            a.p.claim.as_of(),
            a.value.trim(),
            a.p.claim.id()
        );
        if others.is_empty() {
            f.summary =
                text!("{head}, as every one of the {overlapping} claims whose dates overlap it");
        } else {
            f.verdict = Verdict::Conflicting;
            let mut shown: Vec<String> = others
                .values()
                .take(SHOWN)
                .map(|(v, id, n)| match n {
                    1 => text!("\"{v}\" ({id})"),
                    _ => text!("\"{v}\" ({id} and {} more)", n - 1),
                })
                .collect();
            if others.len() > SHOWN {
                shown.push(text!("{} more values", others.len() - SHOWN));
            }
            f.summary = text!("{head} vs {}", shown.join(", "));
        }
        findings.push(f);
    }
    findings
}

/// One scope's facts of one metric and layer, sorted by their first day.
struct ScopeFacts<'s> {
    scope: &'s Scope,
    facts: Vec<usize>,
    /// The longest span of days among them.
    longest: chrono::TimeDelta,
    /// Whether the scope names a region or an alliance, whose members change.
    dated: bool,
    /// The days what the scope names changes members.
    changes: Vec<NaiveDate>,
    shape: Shape,
}

/// What a scope filters on, in a form compared in a few instructions: a bit
/// per filter it has, and where it names countries alone, the countries as
/// bits of a 64-bit mask. Ruling out most pairs of scopes this way leaves
/// [`may_be_within`] the few that might nest.
#[derive(Clone, Copy)]
struct Shape {
    filters: u8,
    hosts: Option<u64>,
    contributors: Option<u64>,
}

impl Shape {
    const HOSTS: u8 = 1;
    const CONTRIBUTORS: u8 = 2;
    const BASES: u8 = 4;
    const UNITS: u8 = 8;
    const FOOTINGS: u8 = 16;
    const KINDS: u8 = 32;

    fn of(scope: &Scope) -> Shape {
        let has = [
            (scope.hosts().is_some(), Shape::HOSTS),
            (scope.contributors().is_some(), Shape::CONTRIBUTORS),
            (scope.bases().is_some(), Shape::BASES),
            (scope.units().is_some(), Shape::UNITS),
            (scope.footings().is_some(), Shape::FOOTINGS),
            (scope.kinds().is_some(), Shape::KINDS),
        ];
        let countries = |p: Option<&Places>| {
            let p = p.filter(|p| p.regions.is_empty() && p.alliances.is_empty())?;
            // A country to one of 64 bits, spread by a multiplicative hash.
            Some(p.countries.iter().fold(0u64, |bits, c| {
                bits | 1 << (c.bits().wrapping_mul(0x9E37_79B1) >> 26)
            }))
        };
        Shape {
            filters: has
                .iter()
                .filter(|(on, _)| *on)
                .fold(0, |f, (_, bit)| f | bit),
            hosts: countries(scope.hosts()),
            contributors: countries(scope.contributors()),
        }
    }

    /// False only where [`may_be_within`] is false.
    fn may_fit(&self, whole: &Shape) -> bool {
        // A host filter is met by hosts or by bases; every other by itself.
        let needed = whole.filters & !Shape::HOSTS;
        let hosts_met =
            whole.filters & Shape::HOSTS == 0 || self.filters & (Shape::HOSTS | Shape::BASES) != 0;
        let among = |part: Option<u64>, whole: Option<u64>| match (part, whole) {
            (Some(p), Some(w)) => p & !w == 0,
            _ => true,
        };
        needed & !self.filters == 0
            && hosts_met
            && among(self.hosts, whole.hosts)
            && among(self.contributors, whole.contributors)
    }
}

/// Whether `scope` names a region or an alliance: what it covers then
/// depends on the date.
fn dated(scope: &Scope) -> bool {
    [scope.hosts(), scope.contributors()]
        .into_iter()
        .flatten()
        .any(|p| !p.regions.is_empty() || !p.alliances.is_empty())
}

/// What [`Checker::within`] needs, read off the scopes alone and cheaply:
/// every filter of the whole is one the part has, and where both name
/// countries alone, the part's are among the whole's.
fn may_be_within(part: &Scope, whole: &Scope) -> bool {
    fn subset<T: Ord>(part: Option<&BTreeSet<T>>, whole: Option<&BTreeSet<T>>) -> bool {
        match (part, whole) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(p), Some(w)) => p.is_subset(w),
        }
    }
    let countries_only = |p: &Places| p.regions.is_empty() && p.alliances.is_empty();
    let places = |p: Option<&Places>, w: Option<&Places>| match (p, w) {
        (Some(p), Some(w)) if countries_only(p) && countries_only(w) => {
            p.countries.is_subset(&w.countries)
        }
        _ => true,
    };
    let hosts = whole.hosts().is_none() || part.hosts().is_some() || part.bases().is_some();
    hosts
        && places(part.hosts(), whole.hosts())
        && (whole.contributors().is_none() || part.contributors().is_some())
        && places(part.contributors(), whole.contributors())
        && (whole.units().is_none() || part.units().is_some())
        && subset(part.bases(), whole.bases())
        && subset(part.footings(), whole.footings())
        && subset(part.kinds(), whole.kinds())
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

/// `a ([1,600, 1,700]), b (2,000) and c (2,100)`; past four, the first
/// three and how many more.
fn listed(facts: &[Fact<'_>], offsets: &[&Offset]) -> String {
    let named = |o: &&Offset| {
        let f = &facts[o.fact];
        text!("{} ({})", f.claim.id(), f.interval)
    };
    match offsets {
        [] => String::new(),
        [one] => named(one),
        _ if offsets.len() <= 4 => {
            let (last, rest) = offsets
                .split_last()
                .map_or((None, offsets), |(l, r)| (Some(l), r));
            let rest: Vec<String> = rest.iter().map(named).collect();
            text!(
                "{} and {}",
                rest.join(", "),
                last.map(named).unwrap_or_default()
            )
        }
        _ => {
            let first: Vec<String> = offsets[..3].iter().map(named).collect();
            text!(
                "{} and {} more",
                first.join(", "),
                Thousands(&Decimal::from(offsets.len() - 3))
            )
        }
    }
}

/// The ledger's totals over each distinct span of days, as evidence.
fn spans_evidence(facts: &[Fact<'_>], offsets: &[&Offset], where_: &str) -> Vec<Evidence> {
    let mut seen = FastSet::default();
    offsets
        .iter()
        .filter(|o| seen.insert(facts[o.fact].as_of))
        .map(|o| Evidence {
            label: text!("ledger: {where_} on {}", facts[o.fact].as_of),
            interval: o.span,
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
            [one] => one.to_string(),
            _ => {
                let from = offsets.iter().map(|o| days[o.fact].0).max();
                let until = offsets.iter().map(|o| days[o.fact].1).min();
                match (from, until) {
                    (Some(f), Some(u)) if f == u => AsOf::Day(f).to_string(),
                    (Some(f), Some(u)) => {
                        text!("{}..{}", crate::claim::Day(f), crate::claim::Day(u))
                    }
                    _ => String::new(),
                }
            }
        }
    };
    let mut f = Finding::new(
        Rule::SameDate,
        Verdict::Consistent,
        offsets
            .iter()
            .map(|o| facts[o.fact].claim.id().clone())
            .collect(),
    );
    f.evidence = offsets
        .iter()
        .map(|o| Evidence {
            label: facts[o.fact].label(),
            interval: facts[o.fact].interval,
        })
        .collect();
    if level.is_none() {
        f.evidence.extend(spans_evidence(facts, &all, where_));
    }
    let allowing = if level.is_some() {
        ""
    } else {
        ", with the ledger's changes over their days allowed for"
    };
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
        f.evidence.push(Evidence {
            label: if level.is_some() {
                "where they all meet".to_string()
            } else {
                "claimed less the ledger's, where they all meet".to_string()
            },
            interval: meet,
        });
        f.summary = text!(
            "{} for {where_} on {when} meet in {meet}{allowing}",
            listed(facts, &all)
        );
        return Ok(f);
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
    for (members, meet) in &groups {
        let ids: Vec<&str> = members
            .iter()
            .map(|o| facts[o.fact].claim.id().as_str())
            .collect();
        f.evidence.push(Evidence {
            label: text!("{} agree on", ids.join(", ")),
            interval: shown(*meet)?,
        });
    }
    let k = groups.len();
    let need = if level.is_some() {
        text!("they need at least {k} different figures")
    } else {
        text!("they fall into at least {k} groups that agree within")
    };
    let few = if k <= 4 {
        let parts: Vec<String> = groups
            .iter()
            .map(|(members, meet)| {
                let ids: Vec<&str> = members
                    .iter()
                    .map(|o| facts[o.fact].claim.id().as_str())
                    .collect();
                let ids = if ids.len() <= 4 {
                    ids.join(", ")
                } else {
                    text!("{}, {} and {} more", ids[0], ids[1], ids.len() - 2)
                };
                shown(*meet).map(|m| text!("{ids} on {m}"))
            })
            .collect::<Result<_>>()?;
        text!(": {}", parts.join("; "))
    } else {
        String::new()
    };
    f.summary = text!(
        "{} claims of {where_} on {when} cannot all hold: {} and {} are {} apart{allowing}; {need}{few}",
        offsets.len(),
        listed(facts, &[lowest]),
        listed(facts, &[highest]),
        Thousands(&f.gap.unwrap_or_default()),
    );
    Ok(f)
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
        let mut f = Finding::new(
            Rule::SameDate,
            Verdict::Consistent,
            shown
                .iter()
                .map(|o| facts[o.fact].claim.id().clone())
                .collect(),
        );
        f.evidence = shown
            .iter()
            .map(|o| Evidence {
                label: facts[o.fact].label(),
                interval: facts[o.fact].interval,
            })
            .collect();
        let level = level(&shown);
        if level.is_none() {
            f.evidence.extend(spans_evidence(facts, &shown, where_));
        }
        let allowing = if level.is_some() {
            ""
        } else {
            ", with the ledger's changes over their days allowed for"
        };
        let head = text!("{} for {where_} on {}", listed(facts, &[a]), fa.as_of);
        let whose = if overlapping == 1 {
            "the one claim whose dates overlap it".to_string()
        } else {
            text!("the {overlapping} claims whose dates overlap it")
        };
        if missed == 0 {
            f.summary = text!("{head} meets {whose}{allowing}");
        } else {
            f.verdict = Verdict::Conflicting;
            let mut apart = Vec::new();
            for b in [below, above].into_iter().flatten() {
                let gap = a.offset.gap(&b.offset).map_err(|e| internal(&e))?;
                f.gap = f.gap.max(gap);
                apart.push(text!(
                    "{} on {}, {} apart",
                    listed(facts, &[b]),
                    facts[b.fact].as_of,
                    Thousands(&gap.unwrap_or_default())
                ));
            }
            // Past the one or two it names, the farthest on each side.
            let farthest = if missed > apart.len() {
                "the farthest, "
            } else {
                ""
            };
            let missed = match (missed, overlapping) {
                (1, 1) => text!("does not meet {whose}"),
                (m, k) if m == k => text!("meets none of {whose}"),
                _ => text!("does not meet {missed} of {whose}"),
            };
            f.summary = text!("{head} {missed}{allowing}: {farthest}{}", apart.join("; "));
        }
        findings.push(f);
    }
    Ok(())
}

/// A part cannot exceed its whole; what is left is bounded. `shift` is what
/// the ledger changed in the part between their dates (zero on one day).
fn part_within_whole(part: &Fact<'_>, whole: &Fact<'_>, shift: Interval) -> Result<Finding> {
    let moved = shift.is_exact() != Some(Decimal::ZERO);
    let part_then = part
        .interval
        .checked_add(&shift)
        .map_err(|e| internal(&e))?;
    let remainder = whole
        .interval
        .checked_sub(&part_then)
        .map_err(|e| internal(&e))?
        .intersection(&Interval::at_least(Decimal::ZERO));
    let (p, w) = (part.scope.to_string(), whole.scope.to_string());
    let mut evidence = vec![Evidence {
        label: text!("part {}", part.label()),
        interval: part.interval,
    }];
    if moved {
        evidence.push(Evidence {
            label: text!("ledger change in {p} {} → {}", part.as_of, whole.as_of),
            interval: shift,
        });
    }
    evidence.push(Evidence {
        label: text!("whole {}", whole.label()),
        interval: whole.interval,
    });
    let mut f = Finding {
        rule: Rule::PartWithinWhole,
        verdict: Verdict::Consistent,
        claims: vec![part.claim.id().clone(), whole.claim.id().clone()],
        events: Vec::new(),
        evidence,
        gap: None,
        summary: String::new(),
        caveats: Vec::new(),
    };
    let within = if moved {
        text!(" with the ledger's {} in {p} between them", signed(&shift))
    } else {
        String::new()
    };
    match remainder {
        Some(rest) => {
            f.evidence.push(Evidence {
                label: text!("the rest of {w} beside {p}"),
                interval: rest,
            });
            let stated = match (part.stated, whole.stated) {
                (Some(ps), Some(ws)) if !moved && ws.stated() >= ps.stated() => text!(
                    "{} on the stated figures, ",
                    Thousands(&(ws.stated() - ps.stated()))
                ),
                _ => String::new(),
            };
            f.summary = text!(
                "{p} ({}) fits in {w} ({}){within}: the rest is {stated}{} with the hedges",
                part.interval,
                whole.interval,
                rest
            );
        }
        None => {
            f.verdict = Verdict::Conflicting;
            f.gap = part_then.gap(&whole.interval).ok().flatten();
            f.summary = text!(
                "{p} ({}) exceeds its whole, {w} ({}){within}",
                part.interval,
                whole.interval
            );
        }
    }
    Ok(f)
}

/// A total as a `Decimal`; totals are sums of counts, never negative.
fn decimal(total: i128, metric: &Metric) -> Result<Decimal> {
    u64::try_from(total)
        .map(Decimal::from)
        .map_err(|_| Error::TotalOverflow {
            metric: metric.clone(),
        })
}

/// The interval from the least to the most of `values`; `None` for none.
fn hull(values: &[Decimal]) -> Option<Interval> {
    let low = values.iter().min()?;
    let high = values.iter().max()?;
    Interval::closed(*low, *high).ok()
}

/// An interval for a sentence: bounds with more than three decimals widened
/// outward to three (a ratio of 50,000 / 4,949 reads `10.104`, not 28
/// digits); the evidence keeps it exact.
fn readable(i: &Interval) -> Interval {
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
fn derive(parts: &Parts) -> std::result::Result<Parts, String> {
    let mut p = *parts;
    let meet = |a: Option<Interval>,
                b: Option<Interval>,
                what: &str|
     -> std::result::Result<Option<Interval>, String> {
        match (a, b) {
            (Some(a), Some(b)) => a
                .intersection(&b)
                .map(Some)
                .ok_or_else(|| text!("{what}: {} and {} do not meet", a, b)),
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
            *part = Some(
                i.intersection(&Interval::at_least(Decimal::ZERO))
                    .ok_or_else(|| text!("{what} {} is below zero", i))?,
            );
        }
    }
    Ok(p)
}

/// A value as compared: lowercase, single spaces.
fn normalized(value: &str) -> String {
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

fn internal(e: &dyn fmt::Display) -> Error {
    Error::Internal {
        detail: text!("checking claims: {e}"),
    }
}

/// `NATO in baltic-states personnel`, with the layer when there is one.
fn describe(scope: &Scope, metric: &Metric, layer: Option<&LayerId>) -> String {
    match layer {
        Some(l) => text!("{scope} {metric} ({l})"),
        None => text!("{scope} {metric}"),
    }
}

fn stated_figure(claim: &Claim) -> String {
    match claim.statement() {
        Statement::Quantity { figure, .. } => figure.to_string(),
        _ => String::new(),
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

#[cfg(test)]
mod tests;
