//! What a check returns: the report, its findings, their verdicts, rules and evidence.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::coverage::Written;
use super::text::Says;
use super::Caveat;
use crate::claim::{Claim, ClaimId};
use crate::event::EventId;
use crate::hash::FastMap;
use crate::interval::Interval;
use crate::scope::Names;

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

/// A finding as its rule judges it, before it says so: the one way the
/// checker makes a [`Finding`]. A rule fills it in, then [`Draft::says`]
/// writes its sentence and asserts what every finding holds.
pub(super) struct Draft {
    pub(super) rule: Rule,
    pub(super) verdict: Verdict,
    pub(super) claims: Vec<ClaimId>,
    pub(super) events: Vec<EventId>,
    pub(super) evidence: Vec<Evidence>,
    pub(super) gap: Option<Decimal>,
    pub(super) caveats: Vec<Caveat>,
}

impl Draft {
    /// A finding of `rule` about `claims`, with no evidence yet.
    pub(super) fn new(rule: Rule, verdict: Verdict, claims: Vec<ClaimId>) -> Draft {
        Draft {
            rule,
            verdict,
            claims,
            events: Vec::new(),
            evidence: Vec::new(),
            gap: None,
            caveats: Vec::new(),
        }
    }

    /// The finding, saying `says` in a sentence.
    pub(super) fn says(self, says: Says<'_>) -> Finding {
        let f = Finding {
            rule: self.rule,
            verdict: self.verdict,
            claims: self.claims,
            events: self.events,
            evidence: self.evidence,
            gap: self.gap,
            summary: text!("{says}"),
            caveats: self.caveats,
        };
        f.debug_assert_invariants();
        f
    }
}

impl Finding {
    /// What every finding the checker makes holds: it names its claims, as
    /// many as its rule compares; a gap is a distance, and only a conflict
    /// has one; the events it cites are those its figures came from (then
    /// it cannot tell) or, across dates, those between; and it has the
    /// evidence its rule and verdict need.
    fn debug_assert_invariants(&self) {
        let (rule, verdict, claims) = (self.rule, self.verdict, self.claims.len());
        debug_assert!(claims > 0, "{rule} finding names no claim");
        debug_assert!(!self.summary.is_empty(), "{rule} finding says nothing");
        match rule {
            Rule::ClaimVsLedger | Rule::ChangeImplies => {
                debug_assert_eq!(claims, 1, "{rule} finding of {claims} claims");
            }
            Rule::AcrossDates | Rule::PartWithinWhole => debug_assert!(
                claims == 2 && self.claims[0] != self.claims[1],
                "{rule} finding of {:?}",
                self.claims
            ),
            Rule::SameDate | Rule::Categories => {}
        }
        if let Some(gap) = self.gap {
            debug_assert!(gap >= Decimal::ZERO, "{rule} gap {gap} below zero");
            debug_assert_eq!(verdict, Verdict::Conflicting, "{rule} gap {gap}");
        }
        debug_assert!(
            self.events.is_empty() || verdict == Verdict::Unverifiable || rule == Rule::AcrossDates,
            "{verdict} {rule} finding cites events"
        );
        let evidence = self.evidence.len();
        let needed = match (rule, verdict) {
            (Rule::Categories, _) => 0..=0,
            // A change claim's check against a ledger with no record of it.
            (Rule::ClaimVsLedger, Verdict::Unverifiable) => 0..=usize::MAX,
            // The claim and the ledger; or two claims; or the stated parts.
            (Rule::ClaimVsLedger | Rule::AcrossDates | Rule::PartWithinWhole, _) => 2..=usize::MAX,
            (Rule::SameDate | Rule::ChangeImplies, _) => 1..=usize::MAX,
        };
        debug_assert!(
            needed.contains(&evidence),
            "{verdict} {rule} finding with {evidence} intervals of evidence"
        );
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
    pub(super) findings: Vec<Finding>,
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
    /// The report of `findings` about `claims`: worst first, then by rule
    /// and claims.
    pub(super) fn worst_first(findings: Vec<Finding>, claims: &[Claim]) -> Report {
        // The claims compare by their ranks among the ids, which orders them
        // as the ids do, without reading the ids' text at every comparison.
        let mut ids: Vec<&ClaimId> = claims.iter().map(Claim::id).collect();
        ids.sort_unstable();
        let ranks: FastMap<&ClaimId, usize> =
            ids.into_iter().enumerate().map(|(r, id)| (id, r)).collect();
        // A finding's ids are copies of its claims' ids, which share their
        // text: looked up by where that text lies, an id is found without
        // reading it, which at 10^5 claims is a cache miss each. By its
        // text only where it is no copy.
        let by_place: FastMap<*const u8, usize> = claims
            .iter()
            .map(|c| (c.id().as_str().as_ptr(), ranks[c.id()]))
            .collect();
        let rank = |id: &ClaimId| match by_place.get(&id.as_str().as_ptr()) {
            Some(&r) => r,
            None => ranks.get(id).copied().unwrap_or(usize::MAX),
        };
        // Every finding's ranks in one list, each finding's a slice of it,
        // rather than a list for each of hundreds of thousands of findings.
        let mut all: Vec<usize> = Vec::new();
        let mut keys: Vec<(Verdict, Rule, usize, usize)> = Vec::with_capacity(findings.len());
        for f in &findings {
            let start = all.len();
            all.extend(f.claims.iter().map(rank));
            keys.push((f.verdict, f.rule, start, all.len()));
        }
        let mut order: Vec<usize> = (0..findings.len()).collect();
        // Unstable, but ties keep their order: the position breaks them.
        order.sort_unstable_by(|&a, &b| {
            let ((va, ra, sa, ea), (vb, rb, sb, eb)) = (keys[a], keys[b]);
            (va, ra, &all[sa..ea], a).cmp(&(vb, rb, &all[sb..eb], b))
        });
        let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
        let findings = order.into_iter().filter_map(|i| slots[i].take()).collect();
        Report { findings }
    }

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
        self.write(f, None)
    }
}

impl Report {
    /// The report as `Display` writes it, with the regions and alliances of
    /// its caveats by the names `names` gives them, as the findings'
    /// summaries already are: what a person reads.
    pub fn named<'a>(&'a self, names: &'a impl Names) -> impl fmt::Display + 'a {
        Named(self, names)
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, names: Option<&dyn Names>) -> fmt::Result {
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
                let caveat = Written(caveat, names);
                // Writing to a `String` cannot fail.
                let _ = fmt::Write::write_fmt(&mut line, format_args!(" — caveat: {caveat}"));
            }
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// A report written with the names of a ledger: see [`Report::named`].
struct Named<'a>(&'a Report, &'a dyn Names);

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write(f, Some(self.1))
    }
}

#[cfg(test)]
impl Finding {
    /// A bare finding, with no evidence or summary, for the tests of how a
    /// report is laid out: it holds none of a checked finding's invariants,
    /// so the checker never makes one this way.
    pub(super) fn new(rule: Rule, verdict: Verdict, claims: Vec<ClaimId>) -> Self {
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
