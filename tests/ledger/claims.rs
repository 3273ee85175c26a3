//! The verdicts DOMAIN.md's expected figures imply for the claims of the
//! Madrid 2022 report, each computed by the checker from the bundled data.

use chrono::NaiveDate;
use posture_ledger::{
    scenario, AllianceId, ClaimId, Finding, Interval, Ledger, Metric, RegionId, Report, Rule,
    Scope, UnitKind, Verdict,
};
use rust_decimal::Decimal;

fn ledger() -> Ledger {
    scenario::madrid_2022()
        .expect("the bundled scenario loads")
        .into_ledger()
}

/// The tripwire force: NATO's battlegroups in the Baltic states.
fn tripwire() -> Scope {
    Scope::all()
        .from_alliance(AllianceId::new("NATO").expect("an id"))
        .in_region(RegionId::new("baltic-states").expect("an id"))
        .of_kind(UnitKind::Battlegroup)
}

/// The ledger's total of the tripwire force on `date`, as a decimal: the one
/// place to adapt when totals change type.
fn tripwire_total(date: &str) -> Decimal {
    let date: NaiveDate = date.parse().expect("a date");
    let total = ledger()
        .total(&tripwire(), &Metric::PERSONNEL, date)
        .expect("a total");
    Decimal::from(total.get().expect("a record of the tripwire force"))
}

fn report() -> Report {
    let madrid = scenario::madrid_2022().expect("the bundled scenario loads");
    madrid
        .ledger()
        .check(madrid.claims())
        .expect("the claims are valid")
}

fn finding<'a>(report: &'a Report, rule: Rule, claims: &[&str]) -> &'a Finding {
    report
        .findings()
        .iter()
        .find(|f| {
            f.rule == rule
                && f.claims
                    .iter()
                    .map(ClaimId::as_str)
                    .eq(claims.iter().copied())
        })
        .unwrap_or_else(|| panic!("no {rule} finding for {claims:?} in\n{report}"))
}

fn evidence(f: &Finding, label_ends: &str) -> Interval {
    f.evidence
        .iter()
        .find(|e| e.label.ends_with(label_ends))
        .unwrap_or_else(|| panic!("no evidence ending {label_ends:?} in {f:?}"))
        .interval
}

fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

#[test]
fn some_3700_in_february_with_nato_s_june_figures_overshoots_4000_strong() {
    let r = report();
    let f = finding(&r, Rule::AcrossDates, &["C10", "C2"]);
    assert_eq!(f.verdict, Verdict::Conflicting, "{}", f.summary);
    // [3,650, 3,750] with the ledger's change since February: the report's
    // regional figure giving way to NATO's three battlegroups there.
    let change = tripwire_total("2022-06-29") - tripwire_total("2022-02-28");
    assert_eq!(
        evidence(f, "carried to 2022-06-29"),
        Interval::closed(dec(3_650) + change, dec(3_750) + change).unwrap()
    );
    assert_eq!(
        f.events.iter().map(|e| e.as_str()).collect::<Vec<_>>(),
        [
            "efp-by-host",
            "efp-est-2022-06-28",
            "efp-lva-2022-06-28",
            "efp-ltu-2022-06-28"
        ]
    );
    assert!(
        f.caveats
            .iter()
            .any(|c| matches!(c, posture_ledger::Caveat::MayInclude { .. })),
        "{f:?}"
    );
}

#[test]
fn from_four_to_six_warships_agrees_with_six_destroyers_at_rota() {
    let r = report();
    let f = finding(&r, Rule::PartWithinWhole, &["C11", "C5"]);
    assert_eq!(f.verdict, Verdict::Consistent, "{}", f.summary);
    assert_eq!(evidence(f, "beside USA at rota"), Interval::exact(dec(0)));
    let implied = finding(&r, Rule::ChangeImplies, &["C5"]);
    assert_eq!(evidence(implied, "implied change"), Interval::exact(dec(2)));
    assert_eq!(
        evidence(implied, "implied ratio"),
        Interval::exact(Decimal::new(15, 1))
    );
}

#[test]
fn more_than_100000_after_nearly_20000_more_puts_the_earlier_figure_above_80000() {
    let r = report();
    let f = finding(&r, Rule::ChangeImplies, &["C12"]);
    assert_eq!(f.verdict, Verdict::Consistent);
    assert_eq!(
        evidence(f, "implied before"),
        Interval::more_than(dec(80_000))
    );
    // The ledger holds the report's own figures for this, so it cannot judge it.
    assert_eq!(
        finding(&r, Rule::ClaimVsLedger, &["C12"]).verdict,
        Verdict::Unverifiable
    );
}

#[test]
fn the_uk_s_whole_presence_is_not_judged_a_part_of_the_tripwire_force() {
    // The UK's 1,650 in Estonia is more than its share of NATO's Estonian
    // battlegroup, so C4 is not a part of C2's battlegroups.
    let r = report();
    assert!(
        !r.findings()
            .iter()
            .any(|f| f.rule == Rule::PartWithinWhole && f.claims.iter().any(|c| c.as_str() == "C4")),
        "{r}"
    );
}

#[test]
fn more_than_doubling_1650_means_above_3300() {
    let r = report();
    let f = finding(&r, Rule::ChangeImplies, &["C8"]);
    assert_eq!(f.verdict, Verdict::Consistent);
    assert_eq!(
        evidence(f, "implied after"),
        Interval::more_than(dec(3_300))
    );
}

#[test]
fn tens_of_thousands_more_agrees_with_50000_less_nato_s_figures() {
    let r = report();
    let f = finding(&r, Rule::ClaimVsLedger, &["C1"]);
    assert_eq!(f.verdict, Verdict::Consistent, "{}", f.summary);
    assert_eq!(
        evidence(f, "ledger before, on 2022-06-29"),
        Interval::exact(tripwire_total("2022-06-29"))
    );
    assert_eq!(
        evidence(f, "ledger after, on 2022-06-29"),
        Interval::exact(dec(50_000))
    );
}

#[test]
fn joe_biden_cannot_be_president_and_vice_president_on_one_day() {
    let r = report();
    let f = finding(&r, Rule::Categories, &["C13", "C13-president", "C13-again"]);
    assert_eq!(f.verdict, Verdict::Conflicting);
    assert!(
        f.summary
            .contains("\"President\" (C13-president) vs \"Vice President\" (C13, C13-again)"),
        "{}",
        f.summary
    );
    // It is the report's only conflict with itself; the others are with
    // NATO's figures, and all come first.
    let conflicts: Vec<(Rule, Vec<&str>)> = r
        .with_verdict(Verdict::Conflicting)
        .map(|f| (f.rule, f.claims.iter().map(ClaimId::as_str).collect()))
        .collect();
    assert_eq!(
        conflicts,
        [
            (Rule::ClaimVsLedger, vec!["C2"]),
            (Rule::AcrossDates, vec!["C10", "C2"]),
            (Rule::Categories, vec!["C13", "C13-president", "C13-again"]),
        ]
    );
    assert_eq!(r.findings()[0].verdict, Verdict::Conflicting);
}

#[test]
fn footing_and_membership_claims_match_the_ledger() {
    let r = report();
    for id in [
        "C15-ukraine",
        "C15-lithuania",
        "C15-poland",
        "C15-finland",
        "C15-sweden",
    ] {
        assert_eq!(
            finding(&r, Rule::Categories, &[id]).verdict,
            Verdict::Consistent,
            "{id}"
        );
    }
    // The ledger took the V Corps' permanent footing from C14's own line.
    let c14 = finding(&r, Rule::Categories, &["C14"]);
    assert_eq!(c14.verdict, Verdict::Unverifiable);
    assert_eq!(
        c14.events.iter().map(|e| e.as_str()).collect::<Vec<_>>(),
        ["v-corps-in-poland", "v-corps-permanent"]
    );
    // The ledger has no US forces in the Baltic states to judge "rotating" by.
    assert_eq!(
        finding(&r, Rule::Categories, &["C14-baltic"]).verdict,
        Verdict::Unverifiable
    );
}

#[test]
fn claims_the_ledger_cannot_judge_say_why() {
    let r = report();
    let deaths = finding(&r, Rule::ClaimVsLedger, &["C9"]);
    assert_eq!(
        (deaths.verdict, deaths.summary.as_str()),
        (Verdict::Unverifiable, "the ledger counts no deaths")
    );
    // The ledger's figure for C4 is C4's own line: no independent check.
    let own = finding(&r, Rule::ClaimVsLedger, &["C4"]);
    assert_eq!(own.verdict, Verdict::Unverifiable);
    assert_eq!(
        own.events.iter().map(|e| e.as_str()).collect::<Vec<_>>(),
        ["gbr-est-now"]
    );
    // A second report of the same figure is independent, and agrees.
    assert_eq!(
        finding(&r, Rule::ClaimVsLedger, &["C3-again"]).verdict,
        Verdict::Consistent
    );
    // "Two more" squadrons: the ledger has no record of US squadrons in the
    // UK before the report's, so it cannot say whether there are two more.
    let more = finding(&r, Rule::ClaimVsLedger, &["C6-again"]);
    assert_eq!(more.verdict, Verdict::Unverifiable);
    assert!(
        more.summary.contains("no record") && more.summary.contains("begin on 2022-06-29"),
        "{}",
        more.summary
    );
}

#[test]
fn every_claim_quotes_the_line_it_cites() {
    let madrid = scenario::madrid_2022().expect("loads");
    let lines: Vec<String> = crate::madrid::SOURCE
        .lines()
        .map(crate::madrid::plain)
        .collect();
    assert!(madrid.claims().len() >= 15);
    for claim in madrid.claims() {
        let s = claim.source();
        let n = s
            .line
            .unwrap_or_else(|| panic!("{} has no line", claim.id()));
        let quote = s
            .quote
            .as_deref()
            .unwrap_or_else(|| panic!("{} has no quote", claim.id()));
        assert!(
            lines[n as usize - 1].contains(&crate::madrid::plain(quote)),
            "{}: line {n}",
            claim.id()
        );
    }
}

/// A scenario file's claims with a negative figure or a change since a date
/// after their own loaded, and were checked as if they made sense: each is
/// now refused at its record's line, naming the claim and the field.
#[test]
fn a_scenario_refuses_a_negative_figure_and_a_since_after_the_date_at_their_lines() {
    let text = r#"
[scenario]
name = "Bad claims"

[[units]]
id = "gbr-est"
name = "British troops in Estonia"
contributor = "GBR"
kind = "battlegroup"

[[claims]]
id = "minus"
as_of = "2022-03-01"
source = { document = "report", line = 1 }
kind = "quantity"
scope = { hosts = { countries = ["EST"] } }
metric = "personnel"
qualifier = "exact"
value = -5

[[claims]]
id = "backwards"
as_of = "2022-03-01"
source = { document = "report", line = 2 }
kind = "change"
scope = { hosts = { countries = ["EST"] } }
metric = "personnel"
since = "2022-04-01"
after = { qualifier = "exact", value = 900 }
"#;
    let err = scenario::Scenario::from_toml(text, "bad.toml").expect_err("refused");
    let message = err.to_string();
    assert!(
        message.contains("bad.toml:19:9: claim `minus`: field `value`: −5 is below zero"),
        "{message}"
    );
    assert!(
        message.contains(
            "bad.toml:28:9: claim `backwards`: field `since`: the change is since 2022-04-01, after its as-of date 2022-03-01"
        ),
        "{message}"
    );
}
