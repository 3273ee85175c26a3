//! Unit tests of the checker: one per rule and verdict, edge cases of the
//! intervals, and one per kind of invalid claim.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::claim::*;
use crate::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn c(code: &str) -> Country {
    Country::new(code).unwrap()
}

fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

fn source(line: u32) -> Source {
    Source {
        document: "test".into(),
        line: Some(line),
        ..Source::default()
    }
}

fn uk_in_est() -> Scope {
    Scope::all().from_country(c("GBR")).in_country(c("EST"))
}

fn baltics() -> Scope {
    Scope::all().in_region(RegionId::new("baltics").unwrap())
}

/// British troops in Estonia: 4,000 from 2022-02-10, 3,000 from 2022-02-20,
/// permanent; a `pledged` layer doubling them on 2022-06-01.
fn ledger() -> Ledger {
    let mut l = Ledger::new();
    l.add_region(
        Region::new(RegionId::new("baltics").unwrap(), "the Baltic states").with_members([
            c("EST"),
            c("LVA"),
            c("LTU"),
        ]),
    )
    .unwrap();
    l.add_alliance(
        Alliance::new(AllianceId::new("NATO").unwrap(), "NATO")
            .with_member(c("GBR"), d("1949-08-24")),
    )
    .unwrap();
    l.add_layer(Layer::new(LayerId::new("pledged").unwrap(), ""))
        .unwrap();
    l.add_unit(Unit::new(
        UnitId::new("uk").unwrap(),
        "UK",
        c("GBR"),
        UnitKind::Battlegroup,
    ))
    .unwrap();
    let ev = |id: &str, date: &str, kind| {
        Event::new(
            EventId::new(id).unwrap(),
            UnitId::new("uk").unwrap(),
            d(date),
            kind,
        )
        .with_source(source(100))
    };
    l.apply_batch([
        ev(
            "arrive",
            "2022-02-10",
            EventKind::Deploy {
                location: Location::Country(c("EST")),
                footing: Footing::Permanent,
                strength: vec![Quantity::new(Metric::PERSONNEL, Count::new(4000))],
            },
        ),
        ev(
            "cut",
            "2022-02-20",
            EventKind::Reduce {
                metric: Metric::PERSONNEL,
                count: Count::new(1000),
            },
        ),
        ev(
            "double",
            "2022-06-01",
            EventKind::Scale {
                metric: Metric::PERSONNEL,
                factor: Decimal::TWO,
            },
        )
        .in_layer(LayerId::new("pledged").unwrap()),
    ])
    .unwrap();
    l
}

fn quantity(id: &str, as_of: &str, scope: Scope, q: Qualifier, v: i64) -> Claim {
    Claim::quantity(
        ClaimId::new(id).unwrap(),
        source(1),
        as_of.parse().unwrap(),
        scope,
        Metric::PERSONNEL,
        Figure::new(q, dec(v)),
    )
}

fn change(id: &str, as_of: &str, change: Change) -> Claim {
    Claim::change(
        ClaimId::new(id).unwrap(),
        source(1),
        as_of.parse().unwrap(),
        uk_in_est(),
        Metric::PERSONNEL,
        change,
    )
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

#[test]
fn a_claim_outside_the_ledger_conflicts_and_says_by_how_much() {
    let report = ledger()
        .check(&[quantity(
            "q",
            "2022-03-01",
            uk_in_est(),
            Qualifier::Approximate,
            2_700,
        )])
        .unwrap();
    let f = finding(&report, Rule::ClaimVsLedger, &["q"]);
    assert_eq!(f.verdict, Verdict::Conflicting);
    assert_eq!(f.gap, Some(dec(250)));
    assert!(
        f.summary
            .contains("expected [2,650, 2,750], ledger has 3,000"),
        "{}",
        f.summary
    );
    assert!(f.summary.contains("250 too many"), "{}", f.summary);
}

#[test]
fn open_and_closed_ends_decide_at_the_boundary() {
    let l = ledger();
    let cases = [
        (Qualifier::MoreThan, 3_000, Verdict::Conflicting),
        (Qualifier::AtLeast, 3_000, Verdict::Consistent),
        (Qualifier::UpTo, 3_000, Verdict::Consistent),
        (Qualifier::LessThan, 3_000, Verdict::Conflicting),
        (Qualifier::Nearly, 3_300, Verdict::Consistent),
        (Qualifier::Nearly, 3_000, Verdict::Conflicting),
        (Qualifier::OrderOfMagnitude, 1_000, Verdict::Consistent),
        (Qualifier::Exact, 3_000, Verdict::Consistent),
    ];
    for (q, v, verdict) in cases {
        let report = l
            .check(&[quantity("q", "2022-03-01", uk_in_est(), q, v)])
            .unwrap();
        let f = finding(&report, Rule::ClaimVsLedger, &["q"]);
        assert_eq!(f.verdict, verdict, "{q} {v}: {}", f.summary);
    }
}

#[test]
fn a_month_covers_every_figure_the_ledger_had_in_it() {
    let l = ledger();
    // In February the ledger has 0 (before the 10th), 4,000, then 3,000.
    for (v, verdict) in [
        (4_000, Verdict::Consistent),
        (3_000, Verdict::Consistent),
        (5_000, Verdict::Conflicting),
    ] {
        let report = l
            .check(&[quantity("q", "2022-02", uk_in_est(), Qualifier::Exact, v)])
            .unwrap();
        assert_eq!(
            finding(&report, Rule::ClaimVsLedger, &["q"]).verdict,
            verdict,
            "{v}"
        );
    }
}

#[test]
fn a_claim_the_ledger_took_its_figure_from_cannot_be_checked_by_it() {
    let mut claim = quantity("q", "2022-03-01", uk_in_est(), Qualifier::MoreThan, 3_000);
    claim = Claim::new(
        claim.id().clone(),
        source(100),
        claim.as_of(),
        claim.statement().clone(),
    );
    let report = ledger().check(&[claim]).unwrap();
    let f = finding(&report, Rule::ClaimVsLedger, &["q"]);
    assert_eq!(f.verdict, Verdict::Unverifiable);
    assert_eq!(f.events.len(), 2, "both events cite line 100");
}

#[test]
fn nothing_recorded_is_unverifiable() {
    let l = ledger();
    let lva = Scope::all().in_country(c("LVA"));
    let report = l
        .check(&[quantity("q", "2022-03-01", lva, Qualifier::Exact, 10)])
        .unwrap();
    assert_eq!(
        finding(&report, Rule::ClaimVsLedger, &["q"]).verdict,
        Verdict::Unverifiable
    );
    let deaths = Claim::quantity(
        ClaimId::new("k").unwrap(),
        source(1),
        AsOf::Day(d("2022-03-01")),
        Scope::all(),
        Metric::new("deaths").unwrap(),
        Figure::new(Qualifier::AtLeast, dec(18)),
    );
    let report = l.check(&[deaths]).unwrap();
    let f = finding(&report, Rule::ClaimVsLedger, &["k"]);
    assert_eq!(f.verdict, Verdict::Unverifiable);
    assert_eq!(f.summary, "the ledger counts no deaths");
}

#[test]
fn claims_on_one_date_must_meet() {
    let l = ledger();
    let report = l
        .check(&[
            quantity("a", "2022-03-01", uk_in_est(), Qualifier::Exact, 1_650),
            quantity("b", "2022-03-01", uk_in_est(), Qualifier::Exact, 2_000),
            quantity("c", "2022-03", uk_in_est(), Qualifier::Approximate, 2_000),
        ])
        .unwrap();
    // One finding for the claims that share the day, not one per pair: the
    // two farthest apart, and the fewest groups that agree within.
    let f = finding(&report, Rule::SameDate, &["a", "b", "c"]);
    assert_eq!((f.verdict, f.gap), (Verdict::Conflicting, Some(dec(350))));
    assert!(
        f.summary.contains("a (1,650) and b (2,000) are 350 apart"),
        "{}",
        f.summary
    );
    assert!(
        f.summary
            .ends_with("they need at least 2 different figures: a on 1,650; b, c on 2,000"),
        "{}",
        f.summary
    );
    let groups: Vec<(&str, String)> = f
        .evidence
        .iter()
        .filter(|e| e.label.ends_with("agree on"))
        .map(|e| (e.label.as_str(), e.interval.to_string()))
        .collect();
    assert_eq!(
        groups,
        [
            ("a agree on", "1,650".to_string()),
            ("b, c agree on", "2,000".to_string())
        ]
    );
    assert!(report.has_conflicts());
    // A month overlaps its days: [1,500, 2,500] meets 1,650.
    let report = l
        .check(&[
            quantity("a", "2022-03-01", uk_in_est(), Qualifier::Exact, 1_650),
            quantity("c", "2022-03", uk_in_est(), Qualifier::Approximate, 2_000),
        ])
        .unwrap();
    let f = finding(&report, Rule::SameDate, &["a", "c"]);
    assert_eq!(f.verdict, Verdict::Consistent);
    assert!(f.summary.contains("meet in 1,650"), "{}", f.summary);
}

#[test]
fn claims_on_different_dates_are_bridged_by_the_ledger() {
    let l = ledger();
    // 4,000 on the 15th, minus the ledger's 1,000 since, is 3,000 on 1 March.
    let ok = l
        .check(&[
            quantity("early", "2022-02-15", uk_in_est(), Qualifier::Exact, 4_000),
            quantity("late", "2022-03-01", uk_in_est(), Qualifier::Exact, 3_000),
        ])
        .unwrap();
    let f = finding(&ok, Rule::AcrossDates, &["early", "late"]);
    assert_eq!(f.verdict, Verdict::Consistent);
    assert_eq!(
        f.events.iter().map(EventId::as_str).collect::<Vec<_>>(),
        ["cut"]
    );
    let bad = l
        .check(&[
            quantity("early", "2022-02-15", uk_in_est(), Qualifier::Exact, 4_000),
            quantity("late", "2022-03-01", uk_in_est(), Qualifier::Exact, 4_000),
        ])
        .unwrap();
    let f = finding(&bad, Rule::AcrossDates, &["early", "late"]);
    assert_eq!((f.verdict, f.gap), (Verdict::Conflicting, Some(dec(1_000))));
}

#[test]
fn a_part_cannot_exceed_its_whole() {
    let l = ledger();
    let report = l
        .check(&[
            quantity("part", "2022-03-01", uk_in_est(), Qualifier::Exact, 3_000),
            quantity(
                "whole",
                "2022-03-01",
                baltics(),
                Qualifier::Approximate,
                2_000,
            ),
        ])
        .unwrap();
    let f = finding(&report, Rule::PartWithinWhole, &["part", "whole"]);
    assert_eq!((f.verdict, f.gap), (Verdict::Conflicting, Some(dec(500))));
    let report = l
        .check(&[
            quantity("part", "2022-03-01", uk_in_est(), Qualifier::Exact, 1_650),
            quantity(
                "whole",
                "2022-03-01",
                baltics(),
                Qualifier::Approximate,
                4_000,
            ),
        ])
        .unwrap();
    let f = finding(&report, Rule::PartWithinWhole, &["part", "whole"]);
    assert_eq!(f.verdict, Verdict::Consistent);
    assert_eq!(
        f.evidence[2].interval,
        Interval::closed(dec(1_850), dec(2_850)).unwrap()
    );
    assert!(
        f.summary.contains("2,350 on the stated figures"),
        "{}",
        f.summary
    );
    // A scope is not part of an unrelated one.
    let report = l
        .check(&[
            quantity("a", "2022-03-01", uk_in_est(), Qualifier::Exact, 1),
            quantity(
                "b",
                "2022-03-01",
                Scope::all().in_country(c("POL")),
                Qualifier::Exact,
                1,
            ),
        ])
        .unwrap();
    assert!(report
        .findings()
        .iter()
        .all(|f| f.rule != Rule::PartWithinWhole));
}

#[test]
fn a_part_is_compared_with_its_whole_as_it_stood_on_the_wholes_days() {
    let l = ledger();
    // 4,000 in Estonia on some day of February (the 10th to the 19th) and
    // 3,000 in the Baltic states on the 25th, after the cut, both hold: on
    // the 25th the part was 3,000 too.
    let report = l
        .check(&[
            quantity("part", "2022-02", uk_in_est(), Qualifier::Exact, 4_000),
            quantity("whole", "2022-02-25", baltics(), Qualifier::Exact, 3_000),
        ])
        .unwrap();
    let f = finding(&report, Rule::PartWithinWhole, &["part", "whole"]);
    assert_eq!(f.verdict, Verdict::Consistent, "{}", f.summary);
    assert_eq!(
        f.evidence[1].interval,
        Interval::closed(dec(-1_000), dec(0)).unwrap(),
        "the ledger's change in the part, from February to the 25th"
    );
    assert_eq!(f.evidence[3].interval, Interval::exact(dec(0)));
    assert!(f.summary.contains("between them"), "{}", f.summary);
    // 5,000 in February is more than the whole could hold on the 25th
    // whatever day it meant: at least 4,000 then, 1,000 too many.
    let report = l
        .check(&[
            quantity("part", "2022-02", uk_in_est(), Qualifier::Exact, 5_000),
            quantity("whole", "2022-02-25", baltics(), Qualifier::Exact, 3_000),
        ])
        .unwrap();
    let f = finding(&report, Rule::PartWithinWhole, &["part", "whole"]);
    assert_eq!((f.verdict, f.gap), (Verdict::Conflicting, Some(dec(1_000))));
}

#[test]
fn a_part_is_within_its_whole_only_if_it_is_on_every_day_the_whole_may_mean() {
    // Danes in Estonia throughout; the British join the alliance on 25 February.
    let mut l = Ledger::new();
    l.add_alliance(
        Alliance::new(AllianceId::new("NATO").unwrap(), "NATO")
            .with_member(c("DNK"), d("1949-08-24"))
            .with_member(c("GBR"), d("2022-02-25")),
    )
    .unwrap();
    for (id, country, strength) in [("dk", "DNK", 500), ("uk", "GBR", 3_000)] {
        l.add_unit(Unit::new(
            UnitId::new(id).unwrap(),
            id,
            c(country),
            UnitKind::Battlegroup,
        ))
        .unwrap();
        l.apply(Event::new(
            EventId::new(format!("{id}-arrives")).unwrap(),
            UnitId::new(id).unwrap(),
            d("2022-01-01"),
            EventKind::Deploy {
                location: Location::Country(c("EST")),
                footing: Footing::Permanent,
                strength: vec![Quantity::new(Metric::PERSONNEL, Count::new(strength))],
            },
        ))
        .unwrap();
    }
    let from_nato = Scope::all().from_alliance(AllianceId::new("NATO").unwrap());
    // 500 from the alliance on some day of the week holds (the 22nd); 3,000
    // British on the 26th holds too. The British are part of the alliance on
    // the 26th, but the whole may mean a day they were not.
    let report = l
        .check(&[
            quantity(
                "part",
                "2022-02-26",
                Scope::all().from_country(c("GBR")),
                Qualifier::Exact,
                3_000,
            ),
            quantity(
                "whole",
                "2022-02-21..2022-02-28",
                from_nato.clone(),
                Qualifier::Exact,
                500,
            ),
        ])
        .unwrap();
    assert!(!report.has_conflicts(), "{report}");
    // On one day when both are members, the part is bound by the whole.
    let report = l
        .check(&[
            quantity(
                "part",
                "2022-02-26",
                Scope::all().from_country(c("GBR")),
                Qualifier::Exact,
                3_000,
            ),
            quantity("whole", "2022-02-26", from_nato, Qualifier::Exact, 500),
        ])
        .unwrap();
    let f = finding(&report, Rule::PartWithinWhole, &["part", "whole"]);
    assert_eq!(f.verdict, Verdict::Conflicting);
}

#[test]
fn a_change_implies_its_missing_parts() {
    let l = ledger();
    let nearly = |v| Delta {
        direction: Direction::Increase,
        figure: Figure::new(Qualifier::Nearly, dec(v)),
    };
    let report = l
        .check(&[change(
            "c",
            "2022-03-01",
            Change {
                since: Some(AsOf::Before(d("2022-02-24"))),
                after: Some(Figure::new(Qualifier::MoreThan, dec(100_000))),
                delta: Some(nearly(20_000)),
                ..Change::default()
            },
        )])
        .unwrap();
    let f = finding(&report, Rule::ChangeImplies, &["c"]);
    assert_eq!(f.verdict, Verdict::Consistent);
    let before = f
        .evidence
        .iter()
        .find(|e| e.label.ends_with("implied before"))
        .unwrap();
    assert_eq!(before.interval, Interval::more_than(dec(80_000)));
    // A prospective ratio starts from the ledger.
    let report = l
        .check(&[change(
            "r",
            "2022-03-01",
            Change {
                ratio: Some(Figure::new(Qualifier::MoreThan, dec(2))),
                ..Change::default()
            },
        )])
        .unwrap();
    let f = finding(&report, Rule::ChangeImplies, &["r"]);
    let after = f
        .evidence
        .iter()
        .find(|e| e.label.ends_with("implied after"))
        .unwrap();
    assert_eq!(after.interval, Interval::more_than(dec(6_000)));
}

#[test]
fn a_change_that_contradicts_itself_conflicts() {
    let report = ledger()
        .check(&[change(
            "c",
            "2022-03-01",
            Change {
                since: Some(AsOf::Day(d("2022-02-15"))),
                before: Some(Figure::exact(4)),
                after: Some(Figure::exact(6)),
                delta: Some(Delta {
                    direction: Direction::Increase,
                    figure: Figure::exact(3),
                }),
                ..Change::default()
            },
        )])
        .unwrap();
    let f = finding(&report, Rule::ChangeImplies, &["c"]);
    assert_eq!(f.verdict, Verdict::Conflicting, "{}", f.summary);
}

#[test]
fn a_change_is_checked_against_the_ledger_between_its_dates() {
    let report = ledger()
        .check(&[change(
            "c",
            "2022-03-01",
            Change {
                since: Some(AsOf::Day(d("2022-02-15"))),
                delta: Some(Delta {
                    direction: Direction::Decrease,
                    figure: Figure::new(Qualifier::Approximate, dec(1_000)),
                }),
                ..Change::default()
            },
        )])
        .unwrap();
    assert_eq!(
        finding(&report, Rule::ClaimVsLedger, &["c"]).verdict,
        Verdict::Consistent
    );
    // The layer against the baseline: doubling is +3,000 in June.
    let pledged = change(
        "p",
        "2022-06-01",
        Change {
            delta: Some(Delta {
                direction: Direction::Increase,
                figure: Figure::new(Qualifier::MoreThan, dec(3_000)),
            }),
            ..Change::default()
        },
    )
    .in_layer(LayerId::new("pledged").unwrap());
    let report = ledger().check(&[pledged]).unwrap();
    let f = finding(&report, Rule::ClaimVsLedger, &["p"]);
    assert_eq!(
        f.verdict,
        Verdict::Conflicting,
        "more than 3,000 is not 3,000: {}",
        f.summary
    );
}

#[test]
fn a_ratio_of_a_zero_baseline() {
    let l = ledger();
    // From the ledger: nothing before the 10th of February, so the ratio says nothing.
    let report = l
        .check(&[change(
            "r",
            "2022-02-01",
            Change {
                ratio: Some(Figure::exact(2)),
                ..Change::default()
            },
        )])
        .unwrap();
    assert_eq!(
        finding(&report, Rule::ChangeImplies, &["r"]).verdict,
        Verdict::Unverifiable
    );
    // Stated: an error.
    let err = l
        .check(&[change(
            "z",
            "2022-03-01",
            Change {
                before: Some(Figure::exact(0)),
                ratio: Some(Figure::exact(2)),
                ..Change::default()
            },
        )])
        .unwrap_err();
    assert!(
        matches!(err.problem(), Some(Problem::ZeroBaseline)),
        "{err}"
    );
}

#[test]
fn categories_agree_or_conflict() {
    let l = ledger();
    let named = |id: &str, as_of: &str, v: &str| {
        Claim::category(
            ClaimId::new(id).unwrap(),
            source(1),
            as_of.parse().unwrap(),
            Subject::Named {
                name: "Joe Biden".into(),
                attribute: "office".into(),
            },
            v,
        )
    };
    let report = l
        .check(&[
            named("a", "2022-06-29", "Vice President"),
            named("b", "2022-06-29", "President"),
            named("c", "2010-01-01", "Vice President"),
        ])
        .unwrap();
    let f = finding(&report, Rule::Categories, &["a", "b"]);
    assert_eq!(f.verdict, Verdict::Conflicting);
    // Years apart, "c" is compared with neither: alone on its day, about
    // something the ledger does not record, it is unverifiable.
    let about_c: Vec<&Finding> = report
        .findings()
        .iter()
        .filter(|f| f.claims.iter().any(|c| c.as_str() == "c"))
        .collect();
    assert_eq!(about_c.len(), 1);
    assert_eq!(
        (about_c[0].verdict, about_c[0].claims.len()),
        (Verdict::Unverifiable, 1)
    );

    let footing = |v: &str| {
        Claim::category(
            ClaimId::new("f").unwrap(),
            source(1),
            AsOf::Day(d("2022-03-01")),
            Subject::Footing(Box::new(uk_in_est())),
            v,
        )
    };
    let verdict = |claim| finding(&l.check(&[claim]).unwrap(), Rule::Categories, &["f"]).verdict;
    assert_eq!(verdict(footing("permanent")), Verdict::Consistent);
    assert_eq!(verdict(footing("rotational")), Verdict::Conflicting);

    let member = |country: &str, v: &str| {
        Claim::category(
            ClaimId::new("m").unwrap(),
            source(1),
            AsOf::Day(d("2022-03-01")),
            Subject::Membership {
                country: c(country),
                alliance: AllianceId::new("NATO").unwrap(),
            },
            v,
        )
    };
    let verdict = |claim| finding(&l.check(&[claim]).unwrap(), Rule::Categories, &["m"]).verdict;
    assert_eq!(verdict(member("GBR", "member")), Verdict::Consistent);
    assert_eq!(verdict(member("UKR", "member")), Verdict::Conflicting);
}

#[test]
fn every_invalid_claim_is_a_typed_error_naming_its_field() {
    let l = ledger();
    type Check = fn(&Problem) -> bool;
    let q = |scope: Scope, figure: Figure| {
        Claim::quantity(
            ClaimId::new("x").unwrap(),
            source(1),
            AsOf::Day(d("2022-03-01")),
            scope,
            Metric::PERSONNEL,
            figure,
        )
    };
    let cases: Vec<(&str, Vec<Claim>, &str, Check)> = vec![
        (
            "unknown region",
            vec![q(
                Scope::all().in_region(RegionId::new("atlantis").unwrap()),
                Figure::exact(1),
            )],
            "scope",
            |p| {
                matches!(
                    p,
                    Problem::UnknownReference {
                        kind: RecordKind::Region,
                        ..
                    }
                )
            },
        ),
        (
            "a metric one letter off a counted one, which would pass as unverifiable",
            vec![Claim::quantity(
                ClaimId::new("x").unwrap(),
                source(1),
                AsOf::Day(d("2022-03-01")),
                uk_in_est(),
                Metric::new("personel").unwrap(),
                Figure::exact(1),
            )],
            "metric",
            |p| {
                matches!(p, Problem::MisspeltMetric { metric, meant }
                if metric.name() == "personel" && *meant == Metric::PERSONNEL)
            },
        ),
        (
            "unknown layer",
            vec![q(uk_in_est(), Figure::exact(1)).in_layer(LayerId::new("dreams").unwrap())],
            "layer",
            |p| {
                matches!(
                    p,
                    Problem::UnknownReference {
                        kind: RecordKind::Layer,
                        ..
                    }
                )
            },
        ),
        (
            "a range whose low end is above its high end",
            vec![q(
                uk_in_est(),
                Figure::Range {
                    low: dec(5),
                    high: dec(3),
                },
            )],
            "value",
            |p| matches!(p, Problem::Interval(_)),
        ),
        (
            "an order of magnitude that is not a power of ten",
            vec![q(
                uk_in_est(),
                Figure::new(Qualifier::OrderOfMagnitude, dec(12_000)),
            )],
            "value",
            |p| matches!(p, Problem::Figure(_)),
        ),
        (
            "a change that states nothing",
            vec![change("x", "2022-03-01", Change::default())],
            "kind",
            |p| matches!(p, Problem::NothingStated),
        ),
        (
            "a footing that is not one",
            vec![Claim::category(
                ClaimId::new("x").unwrap(),
                source(1),
                AsOf::Day(d("2022-03-01")),
                Subject::Footing(Box::new(uk_in_est())),
                "sometimes",
            )],
            "value",
            |p| matches!(p, Problem::NotAValue { .. }),
        ),
        (
            "an unknown alliance",
            vec![Claim::category(
                ClaimId::new("x").unwrap(),
                source(1),
                AsOf::Day(d("2022-03-01")),
                Subject::Membership {
                    country: c("UKR"),
                    alliance: AllianceId::new("CSTO").unwrap(),
                },
                "member",
            )],
            "subject",
            |p| {
                matches!(
                    p,
                    Problem::UnknownReference {
                        kind: RecordKind::Alliance,
                        ..
                    }
                )
            },
        ),
        (
            // A month or span that does not exist cannot be built; the day
            // before the calendar's first can, and names no day.
            "the day before the first day there is",
            vec![Claim::quantity(
                ClaimId::new("x").unwrap(),
                source(1),
                AsOf::Before(NaiveDate::MIN),
                uk_in_est(),
                Metric::PERSONNEL,
                Figure::exact(1),
            )],
            "as_of",
            |p| matches!(p, Problem::NotAValue { .. }),
        ),
        (
            "a negative figure",
            vec![q(uk_in_est(), Figure::exact(-5))],
            "value",
            |p| matches!(p, Problem::NegativeFigure { .. }),
        ),
        (
            "about a negative figure",
            vec![q(
                uk_in_est(),
                Figure::new(Qualifier::Approximate, dec(-3_700)),
            )],
            "value",
            |p| matches!(p, Problem::NegativeFigure { .. }),
        ),
        (
            "a range from below zero",
            vec![q(
                uk_in_est(),
                Figure::Range {
                    low: dec(-10),
                    high: dec(10),
                },
            )],
            "value",
            |p| matches!(p, Problem::NegativeFigure { .. }),
        ),
        (
            "a change of a negative size",
            vec![change(
                "x",
                "2022-03-01",
                Change {
                    since: Some(AsOf::Day(d("2022-02-15"))),
                    delta: Some(Delta {
                        direction: Direction::Increase,
                        figure: Figure::exact(-1_000),
                    }),
                    ..Change::default()
                },
            )],
            "delta",
            |p| matches!(p, Problem::NegativeFigure { .. }),
        ),
        (
            "a change since a date after its own",
            vec![change(
                "x",
                "2022-03-01",
                Change {
                    since: Some(AsOf::Day(d("2022-04-01"))),
                    after: Some(Figure::exact(3_000)),
                    ..Change::default()
                },
            )],
            "since",
            |p| matches!(p, Problem::SinceAfterAsOf { .. }),
        ),
        (
            "a change since the day before the first day there is",
            vec![change(
                "x",
                "2022-03-01",
                Change {
                    since: Some(AsOf::Before(NaiveDate::MIN)),
                    after: Some(Figure::exact(3_000)),
                    ..Change::default()
                },
            )],
            "since",
            |p| matches!(p, Problem::NotAValue { .. }),
        ),
        (
            "a duplicate id",
            vec![
                q(uk_in_est(), Figure::exact(1)),
                q(uk_in_est(), Figure::exact(2)),
            ],
            "id",
            |p| matches!(p, Problem::Duplicate),
        ),
    ];
    for (name, claims, field, check) in cases {
        let err = l.check(&claims).expect_err(name);
        match &err {
            Error::InvalidRecord {
                kind: RecordKind::Claim,
                id,
                field: f,
                problem,
            } => {
                assert_eq!((id.as_str(), *f), ("x", field), "{name}: {err}");
                assert!(check(problem), "{name}: {err}");
            }
            other => panic!("{name}: unexpected {other}"),
        }
    }
}

#[test]
fn a_report_reads_worst_first_and_round_trips_as_json() {
    let l = ledger();
    let report = l
        .check(&[
            quantity("ok", "2022-03-01", uk_in_est(), Qualifier::Exact, 3_000),
            quantity("bad", "2022-03-01", uk_in_est(), Qualifier::Exact, 9_000),
        ])
        .unwrap();
    let verdicts: Vec<Verdict> = report.findings().iter().map(|f| f.verdict).collect();
    let mut sorted = verdicts.clone();
    sorted.sort();
    assert_eq!(verdicts, sorted);
    assert!(report.to_string().starts_with("CONFLICTING"));
    let json = serde_json::to_string(&report).unwrap();
    assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), report);
}

#[test]
fn a_corrected_claim_stands_until_the_correction_is_known() {
    let l = ledger();
    let first = quantity("first", "2022-03-01", uk_in_est(), Qualifier::Exact, 2_000);
    let reported = |c: Claim, day: &str| {
        let mut source = c.source().clone();
        source.reported = Some(d(day));
        Claim::new(c.id().clone(), source, c.as_of(), c.statement().clone())
    };
    let first = reported(first, "2022-03-02");
    let fixed = reported(
        quantity("fixed", "2022-03-01", uk_in_est(), Qualifier::Exact, 3_000),
        "2022-04-01",
    )
    .correcting(ClaimId::new("first").unwrap(), "the ministry's own figure");
    let claims = [first, fixed];
    let ids = |r: &Report| -> Vec<String> {
        let mut v: Vec<String> = r
            .findings()
            .iter()
            .flat_map(|f| f.claims.iter().map(ToString::to_string))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let before = l
        .check_with(&claims, CheckOptions::new().known_at(d("2022-03-15")))
        .unwrap();
    assert_eq!(ids(&before), ["first"]);
    assert!(before.has_conflicts(), "2,000 is not the ledger's 3,000");
    let after = l
        .check_with(&claims, CheckOptions::new().known_at(d("2022-04-01")))
        .unwrap();
    assert_eq!(ids(&after), ["fixed"]);
    assert!(!after.has_conflicts());
    assert_eq!(ids(&l.check(&claims).unwrap()), ["fixed"]);
    // Nothing known yet, nothing to check.
    let early = l
        .check_with(&claims, CheckOptions::new().known_at(d("2022-03-01")))
        .unwrap();
    assert!(early.findings().is_empty());
}

#[test]
fn a_retraction_withdraws_a_claim_and_corrections_are_checked() {
    let l = ledger();
    let claim = quantity("c", "2022-03-01", uk_in_est(), Qualifier::Exact, 9_000);
    let retract = Claim::new(
        ClaimId::new("r").unwrap(),
        source(2),
        AsOf::Day(d("2022-03-01")),
        Statement::Retraction,
    )
    .correcting(ClaimId::new("c").unwrap(), "misprint");
    assert!(l
        .check(&[claim.clone(), retract.clone()])
        .unwrap()
        .findings()
        .is_empty());
    let stray = retract
        .clone()
        .correcting(ClaimId::new("ghost").unwrap(), "?");
    let err = l.check(&[claim.clone(), stray]).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::InvalidRecord {
                field: "corrects",
                ..
            }
        ),
        "{err}"
    );
    let unexplained = retract.correcting(ClaimId::new("c").unwrap(), " ");
    let err = l.check(&[claim, unexplained]).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::InvalidRecord {
                field: "reason",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_month_claim_must_match_some_day_of_the_month() {
    // February has 4,000 (from the 10th), then 3,000 (from the 20th): never 3,500.
    let report = ledger()
        .check(&[quantity(
            "q",
            "2022-02",
            uk_in_est(),
            Qualifier::Exact,
            3_500,
        )])
        .unwrap();
    let f = finding(&report, Rule::ClaimVsLedger, &["q"]);
    assert_eq!((f.verdict, f.gap), (Verdict::Conflicting, Some(dec(500))));
}

#[test]
fn periods_are_bridged_from_any_of_their_days() {
    let l = ledger();
    // 4,000 on some day of February, less the cut, is 3,000 on 1 March.
    let report = l
        .check(&[
            quantity("feb", "2022-02", uk_in_est(), Qualifier::Exact, 4_000),
            quantity("mar", "2022-03-01", uk_in_est(), Qualifier::Exact, 3_000),
        ])
        .unwrap();
    assert_eq!(
        finding(&report, Rule::AcrossDates, &["feb", "mar"]).verdict,
        Verdict::Consistent
    );
    // Overlapping periods may mean different days: 4,000 in February and
    // 3,000 on the 25th both hold.
    let report = l
        .check(&[
            quantity("month", "2022-02", uk_in_est(), Qualifier::Exact, 4_000),
            quantity("day", "2022-02-25", uk_in_est(), Qualifier::Exact, 3_000),
        ])
        .unwrap();
    assert_eq!(
        finding(&report, Rule::SameDate, &["month", "day"]).verdict,
        Verdict::Consistent
    );
}

#[test]
fn category_values_compare_without_case_or_spacing() {
    let named = |id: &str, v: &str| {
        Claim::category(
            ClaimId::new(id).unwrap(),
            source(1),
            AsOf::Day(d("2022-06-29")),
            Subject::Named {
                name: "Joe Biden".into(),
                attribute: "office".into(),
            },
            v,
        )
    };
    let report = ledger()
        .check(&[named("a", "Vice President"), named("b", "vice  president")])
        .unwrap();
    assert_eq!(
        finding(&report, Rule::Categories, &["a", "b"]).verdict,
        Verdict::Consistent
    );
}

#[test]
fn footing_claims_read_the_claims_own_layer() {
    let l = ledger();
    let rotational_then_doubled = Claim::category(
        ClaimId::new("f").unwrap(),
        source(1),
        AsOf::Day(d("2022-06-01")),
        Subject::Footing(Box::new(uk_in_est())),
        "permanent",
    )
    .in_layer(LayerId::new("pledged").unwrap());
    let report = l.check(&[rotational_then_doubled]).unwrap();
    assert_eq!(
        finding(&report, Rule::Categories, &["f"]).verdict,
        Verdict::Consistent
    );
    // A layer that records nothing of the scope: nothing to judge by.
    let nothing = Claim::category(
        ClaimId::new("g").unwrap(),
        source(1),
        AsOf::Day(d("2022-06-01")),
        Subject::Footing(Box::new(Scope::all().in_country(c("LVA")))),
        "permanent",
    )
    .in_layer(LayerId::new("pledged").unwrap());
    let report = l.check(&[nothing]).unwrap();
    assert_eq!(
        finding(&report, Rule::Categories, &["g"]).verdict,
        Verdict::Unverifiable
    );
}

#[test]
fn a_check_as_known_on_a_date_reads_the_ledger_as_known_then() {
    let mut l = Ledger::new();
    l.add_unit(Unit::new(
        UnitId::new("u").unwrap(),
        "U",
        c("GBR"),
        UnitKind::Land,
    ))
    .unwrap();
    l.apply(
        Event::new(
            EventId::new("e").unwrap(),
            UnitId::new("u").unwrap(),
            d("2022-01-01"),
            EventKind::Deploy {
                location: Location::Country(c("EST")),
                footing: Footing::Rotational,
                strength: vec![Quantity::new(Metric::PERSONNEL, Count::new(100))],
            },
        )
        .with_recorded(d("2022-03-01")),
    )
    .unwrap();
    let claim = quantity(
        "q",
        "2022-01-15",
        Scope::all().in_country(c("EST")),
        Qualifier::Exact,
        100,
    );
    let now = l.check(std::slice::from_ref(&claim)).unwrap();
    assert_eq!(
        finding(&now, Rule::ClaimVsLedger, &["q"]).verdict,
        Verdict::Consistent
    );
    let then = l
        .check_with(&[claim], CheckOptions::new().known_at(d("2022-02-01")))
        .unwrap();
    assert_eq!(
        finding(&then, Rule::ClaimVsLedger, &["q"]).verdict,
        Verdict::Unverifiable
    );
}

/// The part-within-whole pass pairs only scopes that may nest, and only
/// facts whose dates overlap: it finds exactly the pairs a scan of every
/// pair of claims finds.
#[test]
fn parts_are_found_as_a_scan_of_every_pair_finds_them() {
    let l = ledger();
    let scopes = [
        Scope::all(),
        uk_in_est(),
        baltics(),
        Scope::all().in_country(c("EST")),
        Scope::all().in_country(c("EST")).in_country(c("LVA")),
        Scope::all().from_country(c("GBR")),
        Scope::all()
            .from_country(c("GBR"))
            .on_footing(Footing::Permanent),
        uk_in_est().on_footing(Footing::Permanent),
        Scope::all()
            .from_country(c("GBR"))
            .in_region(RegionId::new("baltics").unwrap()),
        Scope::all().in_country(c("POL")),
    ];
    let spans = [
        "2022-02-01",
        "2022-02",
        "2022-02-10..2022-03-05",
        "2022-03-01",
        "2022-03",
        "2022-02-28",
    ];
    let mut claims = Vec::new();
    for (i, scope) in scopes.iter().enumerate() {
        for (k, span) in spans.iter().enumerate().filter(|(k, _)| (i + k) % 3 != 0) {
            claims.push(quantity(
                &format!("s{i}d{k}"),
                span,
                scope.clone(),
                Qualifier::Approximate,
                1_000,
            ));
        }
    }
    let report = l.check(&claims).unwrap();
    let mut found: Vec<(&str, &str)> = report
        .findings()
        .iter()
        .filter(|f| f.rule == Rule::PartWithinWhole)
        .map(|f| (f.claims[0].as_str(), f.claims[1].as_str()))
        .collect();
    found.sort_unstable();

    let policy = TolerancePolicy::default();
    let checker = super::Checker::new(&l, &policy, None);
    let mut expected = Vec::new();
    for part in &claims {
        for whole in &claims {
            let (Statement::Quantity { scope: p, .. }, Statement::Quantity { scope: w, .. }) =
                (part.statement(), whole.statement())
            else {
                unreachable!("quantity claims")
            };
            if p != w && part.as_of().overlaps(&whole.as_of()) {
                let (first, last) = (whole.as_of().first(), whole.as_of().last());
                let mut days = first.iter_days().take_while(|&day| day <= last);
                if days.all(|day| checker.within(p, w, day).unwrap()) {
                    expected.push((part.id().as_str(), whole.id().as_str()));
                }
            }
        }
    }
    expected.sort_unstable();
    assert!(expected.len() > 20, "{expected:?}");
    assert_eq!(found, expected);
}

/// A change claim of a metric no unit is counted in once had its check
/// against the ledger dropped without a word: now it says why it cannot be
/// checked, as a quantity claim does.
#[test]
fn a_change_of_a_metric_the_ledger_does_not_count_is_unverifiable_not_missing() {
    let deaths = Claim::change(
        ClaimId::new("k").unwrap(),
        source(1),
        AsOf::Day(d("2022-03-01")),
        uk_in_est(),
        Metric::new("deaths").unwrap(),
        Change {
            since: Some(AsOf::Day(d("2022-02-15"))),
            after: Some(Figure::new(Qualifier::AtLeast, dec(18))),
            ..Change::default()
        },
    );
    let report = ledger().check(&[deaths]).unwrap();
    let f = finding(&report, Rule::ClaimVsLedger, &["k"]);
    assert_eq!(f.verdict, Verdict::Unverifiable);
    assert_eq!(f.summary, "the ledger counts no deaths");
}

/// A change in a scope where the ledger records nothing on either day was
/// left out of the report: now it is unverifiable, and says why.
#[test]
fn a_change_where_the_ledger_records_nothing_is_unverifiable_not_missing() {
    let nothing = Claim::change(
        ClaimId::new("k").unwrap(),
        source(1),
        AsOf::Day(d("2022-03-01")),
        Scope::all().in_country(c("LVA")),
        Metric::PERSONNEL,
        Change {
            since: Some(AsOf::Day(d("2022-02-15"))),
            after: Some(Figure::exact(300)),
            ..Change::default()
        },
    );
    let report = ledger().check(&[nothing]).unwrap();
    let f = finding(&report, Rule::ClaimVsLedger, &["k"]);
    assert_eq!(f.verdict, Verdict::Unverifiable);
    assert!(
        f.summary.contains("has no record of") && f.summary.contains("at any date"),
        "{}",
        f.summary
    );
}

/// A named category claim that no other claim speaks of on its dates, about
/// something the ledger does not record, appeared in no finding at all.
#[test]
fn a_lone_named_category_claim_is_unverifiable_not_missing() {
    let lone = Claim::category(
        ClaimId::new("n").unwrap(),
        source(1),
        AsOf::Day(d("2010-01-01")),
        Subject::Named {
            name: "Joe Biden".into(),
            attribute: "office".into(),
        },
        "Vice President",
    );
    let report = ledger().check(&[lone]).unwrap();
    let f = finding(&report, Rule::Categories, &["n"]);
    assert_eq!(f.verdict, Verdict::Unverifiable);
}

/// `Display` padded cells with `{:w$}`, whose width the formatter caps at
/// 65,535: a report whose claims cell was wider panicked ("Formatting
/// argument out of range"). 1,100 claims with 64-character ids about one
/// subject on one day make one finding with a 71,500-character cell.
#[test]
fn a_report_with_a_cell_wider_than_the_formatter_allows_prints() {
    let claims: Vec<Claim> = (0..1_100)
        .map(|n| {
            Claim::category(
                ClaimId::new(format!("{n:064}")).unwrap(),
                source(1),
                AsOf::Day(d("2022-06-29")),
                Subject::Named {
                    name: "Joe Biden".into(),
                    attribute: "office".into(),
                },
                if n % 2 == 0 {
                    "President"
                } else {
                    "Vice President"
                },
            )
        })
        .collect();
    let report = ledger().check(&claims).unwrap();
    let text = report.to_string();
    let wide = text.lines().next().unwrap();
    assert!(wide.chars().count() > 65_535, "{}", wide.len());
    assert!(wide.starts_with("CONFLICTING  categories  "), "{wide:.80}");
    assert!(wide.contains(&format!(" {:064} ", 1_099)));
    // The same with a cell built directly, and a short row after it, which
    // is not padded out to the wide cell.
    let mut wide = Finding::new(
        Rule::SameDate,
        Verdict::Conflicting,
        claims.iter().map(|c| c.id().clone()).collect(),
    );
    wide.summary = "wide".into();
    let mut short = Finding::new(
        Rule::ClaimVsLedger,
        Verdict::Consistent,
        vec![ClaimId::new("x").unwrap()],
    );
    short.summary = "short".into();
    let text = Report {
        findings: vec![wide, short],
    }
    .to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].ends_with("  wide"));
    assert_eq!(lines[1], "consistent   claim vs ledger  x  short");
}

/// The same-date rule made one finding per pair: 2,000 claims of one scope
/// on one day made 1,999,000 of them. Claims that all share a day make one
/// finding, with every claim's interval, the two farthest apart, and the
/// fewest groups that agree within.
#[test]
fn conflicting_claims_on_one_day_make_one_finding_not_one_per_pair() {
    let claims: Vec<Claim> = (1..=300)
        .map(|v| {
            quantity(
                &format!("c{v:03}"),
                "2022-03-01",
                uk_in_est(),
                Qualifier::Exact,
                v,
            )
        })
        .collect();
    let report = ledger().check(&claims).unwrap();
    let same: Vec<&Finding> = report
        .findings()
        .iter()
        .filter(|f| f.rule == Rule::SameDate)
        .collect();
    assert_eq!(same.len(), 1);
    let f = same[0];
    assert_eq!((f.verdict, f.gap), (Verdict::Conflicting, Some(dec(299))));
    assert_eq!(f.claims.len(), 300);
    assert!(
        f.summary.starts_with(
            "300 claims of GBR in EST personnel on 2022-03-01 cannot all hold: \
             c001 (1) and c300 (300) are 299 apart; they need at least 300 different figures"
        ),
        "{}",
        f.summary
    );
    let stated = f
        .evidence
        .iter()
        .filter(|e| e.label.contains(" on 2022-03-01"));
    assert_eq!(stated.count(), 300, "every claim's interval");
    let groups = f.evidence.iter().filter(|e| e.label.ends_with("agree on"));
    assert_eq!(groups.count(), 300);
}

/// Agreeing claims on one day were listed pair by pair too: now one
/// finding says what they leave between them.
#[test]
fn agreeing_claims_on_one_day_make_one_finding_with_what_they_leave() {
    let l = ledger();
    let hedges = [
        (Qualifier::Approximate, 3_000),
        (Qualifier::AtLeast, 2_980),
        (Qualifier::UpTo, 3_020),
        (Qualifier::MoreThan, 2_990),
        (Qualifier::Nearly, 3_010),
    ];
    let claims: Vec<Claim> = (0..100)
        .map(|n| {
            let (q, v) = hedges[n % hedges.len()];
            quantity(&format!("c{n:03}"), "2022-03-01", uk_in_est(), q, v)
        })
        .collect();
    let report = l.check(&claims).unwrap();
    let same: Vec<&Finding> = report
        .findings()
        .iter()
        .filter(|f| f.rule == Rule::SameDate)
        .collect();
    assert_eq!(same.len(), 1);
    assert_eq!(same[0].verdict, Verdict::Consistent);
    assert_eq!(same[0].claims.len(), 100);
    let left = same[0].evidence.last().unwrap();
    assert_eq!(left.label, "where they all meet");
    assert_eq!(
        left.interval,
        Interval::open(dec(2_990), dec(3_010)).unwrap()
    );
    assert!(
        same[0]
            .summary
            .ends_with("and 97 more for GBR in EST personnel on 2022-03-01 meet in (2,990, 3,010)"),
        "{}",
        same[0].summary
    );
}

/// Where claims' dates chain without all sharing a day (1 February, the
/// month, 25 February), each is checked against those its dates overlap,
/// one finding each, naming the farthest it does not meet.
#[test]
fn claims_whose_dates_chain_are_each_checked_against_those_they_overlap() {
    let report = ledger()
        .check(&[
            quantity("feb1", "2022-02-01", uk_in_est(), Qualifier::Exact, 500),
            quantity("month", "2022-02", uk_in_est(), Qualifier::Exact, 4_000),
            quantity("feb25", "2022-02-25", uk_in_est(), Qualifier::Exact, 9_000),
        ])
        .unwrap();
    // Nothing was recorded on the 1st; the month may mean any day from the
    // 10th, when the ledger had 4,000 and then 3,000: 500 on the 1st and
    // 4,000 on some day of the month can both hold.
    let f = finding(&report, Rule::SameDate, &["feb1"]);
    assert_eq!(f.verdict, Verdict::Consistent, "{}", f.summary);
    // 9,000 on the 25th, with 3,000 recorded, is 5,000 beyond anything the
    // month's 4,000 allows.
    let f = finding(&report, Rule::SameDate, &["feb25", "month"]);
    assert_eq!((f.verdict, f.gap), (Verdict::Conflicting, Some(dec(5_000))));
    let f = finding(&report, Rule::SameDate, &["month", "feb25"]);
    assert_eq!((f.verdict, f.gap), (Verdict::Conflicting, Some(dec(5_000))));
    assert!(
        f.summary
            .contains("does not meet 1 of the 2 claims whose dates overlap it"),
        "{}",
        f.summary
    );
    let same = report
        .findings()
        .iter()
        .filter(|f| f.rule == Rule::SameDate);
    assert_eq!(same.count(), 3);
}

/// Category claims on one subject whose dates chain without all sharing a
/// day: each against those its dates overlap, one finding each.
#[test]
fn category_claims_whose_dates_chain_are_each_checked_against_those_they_overlap() {
    let named = |id: &str, as_of: &str, v: &str| {
        Claim::category(
            ClaimId::new(id).unwrap(),
            source(1),
            as_of.parse().unwrap(),
            Subject::Named {
                name: "Joe Biden".into(),
                attribute: "office".into(),
            },
            v,
        )
    };
    let report = ledger()
        .check(&[
            named("early", "2022-06-01", "Vice President"),
            named("june", "2022-06", "President"),
            named("late", "2022-06-29", "president"),
        ])
        .unwrap();
    let f = finding(&report, Rule::Categories, &["early", "june"]);
    assert_eq!(f.verdict, Verdict::Conflicting);
    let f = finding(&report, Rule::Categories, &["june", "early"]);
    assert_eq!(f.verdict, Verdict::Conflicting);
    assert!(
        f.summary.contains("vs \"Vice President\" (early)"),
        "{}",
        f.summary
    );
    let f = finding(&report, Rule::Categories, &["late"]);
    assert_eq!(f.verdict, Verdict::Consistent, "{}", f.summary);
}

/// A change claim's two points may fall on overlapping dates (since
/// February, as of the 25th): they are compared with other claims, never
/// with each other.
#[test]
fn a_change_claims_two_points_are_not_compared_with_each_other() {
    let report = ledger()
        .check(&[
            change(
                "chg",
                "2022-02-25",
                Change {
                    since: Some("2022-02".parse().unwrap()),
                    before: Some(Figure::exact(4_000)),
                    after: Some(Figure::exact(9_000)),
                    ..Change::default()
                },
            ),
            quantity("q", "2022-02-25", uk_in_est(), Qualifier::Exact, 3_000),
        ])
        .unwrap();
    let same: Vec<&Finding> = report
        .findings()
        .iter()
        .filter(|f| f.rule == Rule::SameDate)
        .collect();
    assert!(!same.is_empty(), "{report}");
    for f in &same {
        let mut ids: Vec<&str> = f.claims.iter().map(ClaimId::as_str).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), f.claims.len(), "{}", f.summary);
    }
    // The stated 9,000 after does not meet q's 3,000 on the same day.
    let f = finding(&report, Rule::SameDate, &["q", "chg"]);
    assert_eq!((f.verdict, f.gap), (Verdict::Conflicting, Some(dec(6_000))));
}

#[test]
fn a_report_read_back_must_list_its_findings_worst_first() {
    let l = ledger();
    let claims = [
        quantity("low", "2022-03-01", uk_in_est(), Qualifier::Exact, 1_000),
        quantity("high", "2022-03-01", uk_in_est(), Qualifier::Exact, 9_000),
        // What the ledger holds: a consistent finding after the conflicts.
        quantity("right", "2022-03-02", uk_in_est(), Qualifier::Exact, 3_000),
    ];
    let report = l.check(&claims).unwrap();
    assert!(report.has_conflicts());
    assert!(report.with_verdict(Verdict::Consistent).next().is_some());
    let json = serde_json::to_value(&report).unwrap();
    let back: Report = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, report);
    // The same findings, best first: a reader would take the first for the worst.
    let mut reversed = json;
    reversed["findings"].as_array_mut().unwrap().reverse();
    let err = serde_json::from_value::<Report>(reversed)
        .unwrap_err()
        .to_string();
    assert!(err.contains("worst first"), "{err}");
    // A finding of no claim, or with a gap below zero, is refused too.
    let finding = serde_json::to_value(&report.findings()[0]).unwrap();
    let mut nobody = finding.clone();
    nobody["claims"] = serde_json::json!([]);
    assert!(serde_json::from_value::<Finding>(nobody).is_err());
    let mut negative = finding.clone();
    negative["gap"] = serde_json::json!("-5");
    assert!(serde_json::from_value::<Finding>(negative).is_err());
    assert_eq!(
        serde_json::from_value::<Finding>(finding).unwrap(),
        report.findings()[0]
    );
}

/// A figure nobody has reported for years was judged as if current: "fewer
/// than 1,000" conflicted with a level four years old. Under a maximum age
/// it is stale, and the finding says so, in text and in JSON; within the
/// age, the same claim still conflicts.
#[test]
fn a_claim_against_a_stale_figure_is_unverifiable_and_says_how_old_it_is() {
    let l = ledger();
    let later = quantity(
        "later",
        "2026-02-20",
        uk_in_est(),
        Qualifier::LessThan,
        1_000,
    );
    let plain = l.check(std::slice::from_ref(&later)).unwrap();
    let f = finding(&plain, Rule::ClaimVsLedger, &["later"]);
    assert_eq!(f.verdict, Verdict::Conflicting, "{}", f.summary);

    let aged = l
        .check_with(
            std::slice::from_ref(&later),
            CheckOptions::new().max_age(365),
        )
        .unwrap();
    let f = finding(&aged, Rule::ClaimVsLedger, &["later"]);
    assert_eq!(f.verdict, Verdict::Unverifiable);
    assert!(
        f.summary.contains(
            "a figure it adds was last observed on 2022-02-20, more than 365 days before"
        ) && f.summary.contains("stale"),
        "{}",
        f.summary
    );
    let json = serde_json::to_value(&aged).unwrap();
    let in_json = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["claims"] == serde_json::json!(["later"]) && f["rule"] == "claim_vs_ledger")
        .expect("the finding in JSON");
    assert_eq!(in_json["verdict"], "unverifiable");
    assert_eq!(in_json["summary"], f.summary.as_str());

    // A figure observed within the age is current: the claim conflicts.
    let fresh = quantity(
        "fresh",
        "2022-12-31",
        uk_in_est(),
        Qualifier::LessThan,
        1_000,
    );
    let report = l
        .check_with(&[fresh], CheckOptions::new().max_age(365))
        .unwrap();
    assert_eq!(
        finding(&report, Rule::ClaimVsLedger, &["fresh"]).verdict,
        Verdict::Conflicting
    );
}

/// A recorded 0 was taken as no record: a claim of 0 was "unverifiable",
/// and so was a false claim of 6. A withdrawal records 0; before any
/// event there is no record.
#[test]
fn a_recorded_zero_is_checked_like_any_figure() {
    let mut l = ledger();
    l.apply(
        Event::new(
            EventId::new("leave").unwrap(),
            UnitId::new("uk").unwrap(),
            d("2022-09-01"),
            EventKind::Withdraw,
        )
        .with_source(source(100)),
    )
    .unwrap();
    let claims = [
        quantity("none", "2022-10-01", uk_in_est(), Qualifier::Exact, 0),
        quantity("six", "2022-10-01", uk_in_est(), Qualifier::Exact, 6),
        quantity("early", "2022-01-01", uk_in_est(), Qualifier::Exact, 6),
    ];
    let report = l.check(&claims).unwrap();
    let verdict = |id: &str| finding(&report, Rule::ClaimVsLedger, &[id]).verdict;
    assert_eq!(verdict("none"), Verdict::Consistent);
    assert_eq!(verdict("six"), Verdict::Conflicting);
    let early = finding(&report, Rule::ClaimVsLedger, &["early"]);
    assert_eq!(early.verdict, Verdict::Unverifiable);
    assert!(
        early.summary.contains("no record") && early.summary.contains("begin on 2022-02-10"),
        "{}",
        early.summary
    );
}

/// A level given an end is not current after it: a claim against it is
/// unverifiable, saying until when the figure held.
#[test]
fn a_claim_after_a_levels_end_is_unverifiable() {
    let mut l = ledger();
    l.apply(
        Event::new(
            EventId::new("table").unwrap(),
            UnitId::new("uk").unwrap(),
            d("2022-09-30"),
            EventKind::SetLevel {
                metric: Metric::PERSONNEL,
                count: Count::new(2_500),
            },
        )
        .with_valid_until(d("2022-12-30"))
        .with_source(source(100)),
    )
    .unwrap();
    let claims = [
        quantity(
            "in-time",
            "2022-12-30",
            uk_in_est(),
            Qualifier::LessThan,
            1_000,
        ),
        quantity(
            "after",
            "2022-12-31",
            uk_in_est(),
            Qualifier::LessThan,
            1_000,
        ),
    ];
    let report = l.check(&claims).unwrap();
    assert_eq!(
        finding(&report, Rule::ClaimVsLedger, &["in-time"]).verdict,
        Verdict::Conflicting
    );
    let after = finding(&report, Rule::ClaimVsLedger, &["after"]);
    assert_eq!(after.verdict, Verdict::Unverifiable);
    assert!(
        after.summary.contains("holds only until 2022-12-30"),
        "{}",
        after.summary
    );
}

/// A ratio's interval was written with 28 digits in a finding's sentence:
/// it reads to three decimals now, widened outward so that it still holds
/// the figure, while the evidence keeps it exact.
#[test]
fn a_sentence_reads_a_ratio_to_three_decimals_and_never_narrower() {
    let exact = Interval::closed_open(
        Decimal::from(14_949) / Decimal::from(4_949),
        Decimal::from(104_949) / Decimal::from(4_949),
    )
    .unwrap();
    let shown = super::readable(&exact);
    assert_eq!(shown.to_string(), "[3.02, 21.207]");
    assert!(exact.is_subset_of(&shown));
    let plain = Interval::closed(dec(4_000), dec(50_000)).unwrap();
    assert_eq!(super::readable(&plain), plain);
}

/// The ledger records ships in Spain and no personnel: a claim of US
/// personnel there is unverifiable, and says what the ledger does record
/// there, in text and JSON.
#[test]
fn a_claim_of_a_metric_with_no_record_says_which_metrics_are_recorded() {
    let madrid = crate::scenario::madrid_2022().unwrap();
    let claim = quantity(
        "spain",
        "2022-06-29",
        Scope::all().from_country(c("USA")).in_country(c("ESP")),
        Qualifier::Approximate,
        3_000,
    );
    let report = madrid.ledger().check(std::slice::from_ref(&claim)).unwrap();
    let f = finding(&report, Rule::ClaimVsLedger, &["spain"]);
    assert_eq!(f.verdict, Verdict::Unverifiable);
    assert!(
        f.summary.contains("no record of USA in ESP personnel"),
        "{}",
        f.summary
    );
    let Some(Caveat::Metrics { recorded, .. }) = f.caveats.first() else {
        panic!("a metrics caveat: {:?}", f.caveats);
    };
    assert_eq!(
        recorded.iter().map(Metric::name).collect::<Vec<_>>(),
        ["ships"]
    );
    assert!(report.to_string().contains("caveat: the ledger records only ships for USA in ESP; it has nothing of personnel there"), "{report}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["findings"][0]["caveats"][0]["kind"], "metrics");
    assert_eq!(
        json["findings"][0]["caveats"][0]["recorded"],
        serde_json::json!(["ships"])
    );
}

/// A recorded 0 was blamed on the claim's own line: a unit that moved out of
/// the scope holds a record of 0 there, and an event of the claim's line that
/// never touched the scope made the 0 "the claim's own". Only an event that
/// observed the scope makes the ledger's figure the claim's own.
#[test]
fn a_zero_left_by_a_move_is_not_the_claims_own_figure() {
    let mut l = ledger();
    let ev = |id: &str, date: &str, kind, line| {
        Event::new(
            EventId::new(id).unwrap(),
            UnitId::new("uk").unwrap(),
            d(date),
            kind,
        )
        .with_source(source(line))
    };
    l.apply_batch([
        ev(
            "move",
            "2022-07-01",
            EventKind::Relocate {
                to: Location::Country(c("LVA")),
            },
            101,
        ),
        ev(
            "more",
            "2022-07-02",
            EventKind::Reinforce {
                metric: Metric::PERSONNEL,
                count: Count::new(100),
            },
            5,
        ),
    ])
    .unwrap();
    // The claim cites line 5, whose event reinforced the unit in Latvia.
    let mut claim = quantity("est", "2022-07-03", uk_in_est(), Qualifier::Exact, 1_000);
    claim = Claim::quantity(
        claim.id().clone(),
        source(5),
        claim.as_of(),
        uk_in_est(),
        Metric::PERSONNEL,
        Figure::exact(1_000),
    );
    let report = l.check(&[claim]).unwrap();
    let f = finding(&report, Rule::ClaimVsLedger, &["est"]);
    assert_eq!(f.verdict, Verdict::Conflicting, "{}", f.summary);
    assert!(f.events.is_empty());
}

/// A layer claim's "before" is read in the baseline: where the baseline has
/// no record, the finding says so of the baseline, not of the layer whose
/// records begin earlier.
#[test]
fn a_layer_claims_missing_before_is_the_baselines() {
    let mut l = ledger();
    l.add_unit(Unit::new(
        UnitId::new("isl").unwrap(),
        "UK in Iceland",
        c("GBR"),
        UnitKind::Land,
    ))
    .unwrap();
    l.apply(
        Event::new(
            EventId::new("isl-pledge").unwrap(),
            UnitId::new("isl").unwrap(),
            d("2022-06-01"),
            EventKind::Deploy {
                location: Location::Country(c("ISL")),
                footing: Footing::Pledged,
                strength: vec![Quantity::new(Metric::PERSONNEL, Count::new(500))],
            },
        )
        .in_layer(LayerId::new("pledged").unwrap()),
    )
    .unwrap();
    let claim = Claim::change(
        ClaimId::new("more").unwrap(),
        source(1),
        "2022-06-29".parse().unwrap(),
        Scope::all().from_country(c("GBR")).in_country(c("ISL")),
        Metric::PERSONNEL,
        Change {
            delta: Some(Delta {
                direction: Direction::Increase,
                figure: Figure::exact(500),
            }),
            ..Change::default()
        },
    )
    .in_layer(LayerId::new("pledged").unwrap());
    let report = l.check(&[claim]).unwrap();
    let f = finding(&report, Rule::ClaimVsLedger, &["more"]);
    assert_eq!(f.verdict, Verdict::Unverifiable);
    assert_eq!(
        f.summary,
        "the ledger has no record of GBR in ISL personnel at any date"
    );
}

/// Staleness looked at the newest observation alone: one fresh host hid a
/// figure years old in the same region total. A total is stale where any
/// figure it adds is, and says the oldest; a figure given an end makes the
/// sum stale after it, however fresh the rest.
#[test]
fn a_total_is_as_stale_as_the_oldest_figure_it_adds() {
    let mut l = ledger();
    l.add_unit(Unit::new(
        UnitId::new("dk").unwrap(),
        "Danes",
        c("DNK"),
        UnitKind::Land,
    ))
    .unwrap();
    let deploy = |id: &str, date: &str, n| {
        Event::new(
            EventId::new(id).unwrap(),
            UnitId::new("dk").unwrap(),
            d(date),
            EventKind::Deploy {
                location: Location::Country(c("LVA")),
                footing: Footing::Rotational,
                strength: vec![Quantity::new(Metric::PERSONNEL, Count::new(n))],
            },
        )
    };
    l.apply(deploy("dk-2024", "2024-01-01", 700)).unwrap();
    let view = l.view().max_age(365);
    let at = d("2024-06-01");
    let region = view.total(&baltics(), &Metric::PERSONNEL, at).unwrap();
    assert!(region.is_stale(), "{region}");
    assert_eq!(region.newest(), Some(d("2024-01-01")));
    assert_eq!(region.oldest_figure(), Some(d("2022-02-20")));
    let latvia = view
        .total(&Scope::all().in_country(c("LVA")), &Metric::PERSONNEL, at)
        .unwrap();
    assert!(!latvia.is_stale(), "{latvia}");

    // A fresh figure beside one that has ended: the sum is stale after the end.
    let mut l = ledger();
    l.add_unit(Unit::new(
        UnitId::new("dk").unwrap(),
        "Danes",
        c("DNK"),
        UnitKind::Land,
    ))
    .unwrap();
    l.apply(deploy("dk-2022", "2022-03-01", 700).with_valid_until(d("2022-09-30")))
        .unwrap();
    let region = l
        .total(&baltics(), &Metric::PERSONNEL, d("2022-12-01"))
        .unwrap();
    assert!(region.is_stale() && region.has_ended(), "{region}");
    assert_eq!(region.valid_until(), Some(d("2022-09-30")));
    assert!(!l
        .total(&baltics(), &Metric::PERSONNEL, d("2022-09-30"))
        .unwrap()
        .is_stale());
}

/// The checker answers a caveat from what it keeps for a scope (its track,
/// its shapes, the contributors of its layer); the view asks the ledger
/// each time. The view is the oracle: every claim's caveats against the
/// ledger are the view's on its last day, in its layer, on days with and
/// without a record, before and after a layer's change.
#[test]
fn a_claim_s_caveats_against_the_ledger_are_the_view_s_on_its_date() {
    let madrid = scenario::madrid_2022().unwrap();
    let pledged = LayerId::new("pledged").unwrap();
    let small = ledger();
    let mut claims = Vec::new();
    for (n, date) in ["2022-02-01", "2022-02-15", "2022-02", "2022-07-01"]
        .into_iter()
        .enumerate()
    {
        for (m, scope) in [uk_in_est(), baltics(), Scope::all().in_country(c("EST"))]
            .into_iter()
            .enumerate()
        {
            let claim = |id: String| quantity(&id, date, scope.clone(), Qualifier::Exact, 3_000);
            claims.push(claim(format!("q{n}-{m}")));
            claims.push(claim(format!("l{n}-{m}")).in_layer(pledged.clone()));
        }
    }
    for (ledger, claims) in [(madrid.ledger(), madrid.claims()), (&small, &claims[..])] {
        let report = ledger.check(claims).unwrap();
        for claim in claims {
            let Statement::Quantity { scope, metric, .. } = claim.statement() else {
                continue;
            };
            let Some(found) = report
                .about(claim.id())
                .find(|f| f.rule == Rule::ClaimVsLedger)
            else {
                continue;
            };
            let view = match claim.layer() {
                Some(layer) => ledger.with_layer(layer).unwrap(),
                None => ledger.view(),
            };
            let asked = view.caveats(scope, metric, claim.as_of().last()).unwrap();
            assert_eq!(found.caveats, asked, "{}: {}", claim.id(), found.summary);
        }
    }
}
