//! The figures DOMAIN.md says a user expects from the Madrid 2022 scenario,
//! each computed by the ledger from the bundled data.

use chrono::NaiveDate;
use posture_ledger::{
    scenario, AllianceId, Caveat, Country, EventId, EventKind, Footing, LayerId, Ledger,
    MembershipStatus, Metric, RegionId, Rule, Scope, UnitId, UnitKind, Verdict, View,
};
use rust_decimal::Decimal;

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn ledger() -> Ledger {
    scenario::madrid_2022()
        .expect("the bundled scenario loads")
        .into_ledger()
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn country(code: &str) -> Country {
    Country::new(code).expect("a country")
}

fn nato_in_baltics() -> Scope {
    Scope::all()
        .from_alliance(AllianceId::new("NATO").unwrap())
        .in_region(RegionId::new("baltic-states").unwrap())
}

/// The tripwire force: NATO's battlegroups in the Baltic states.
fn tripwire() -> Scope {
    nato_in_baltics().of_kind(UnitKind::Battlegroup)
}

/// The ledger's total as a number: the one place to adapt when totals
/// change type.
/// The total's count; `None` where no record covers it.
fn total(view: View<'_>, scope: &Scope, metric: &Metric, date: NaiveDate) -> Option<u64> {
    view.total(scope, metric, date).expect("a total").get()
}

/// NATO's press release of 2022-06-28, the scenario's second source.
const NATO_DOC: &str = "nato-efp-2022-06-28";

/// The strengths NATO's press release gives, host by host, read from the
/// scenario's events.
fn nato_figures(l: &Ledger) -> Vec<(UnitId, Country, u64)> {
    l.events()
        .iter()
        .filter(|e| e.source().is_some_and(|s| s.document == NATO_DOC))
        .filter_map(|e| match &e.kind() {
            EventKind::Deploy {
                location: posture_ledger::Location::Country(c),
                strength,
                ..
            } => Some((e.unit().clone(), *c, strength[0].count.get())),
            _ => None,
        })
        .collect()
}

#[test]
fn baltic_forward_presence_now_against_the_request() -> Result {
    let l = ledger();
    let cmp = l.what_if(
        &LayerId::new("requested")?,
        &tripwire(),
        &Metric::PERSONNEL,
        day("2022-06-29"),
    )?;
    // Now is NATO's own figure of the day before, host by host.
    let baltic: u64 = nato_figures(&l)
        .iter()
        .filter(|(_, c, _)| ["EST", "LVA", "LTU"].map(country).contains(c))
        .map(|(_, _, n)| n)
        .sum();
    assert_eq!(cmp.before().get(), Some(baltic));
    assert_eq!(cmp.after().get(), Some(50_000));
    assert_eq!(cmp.change(), Some(50_000 - i128::from(baltic)));
    assert_eq!(
        cmp.ratio(),
        Some(Decimal::from(50_000) / Decimal::from(baltic))
    );
    // The request is for a permanent force in place of the battlegroups; the
    // baseline has none, and the UK's contingent is not part of it.
    let permanent = tripwire().on_footing(Footing::Permanent);
    let cmp = l.what_if(
        &LayerId::new("requested")?,
        &permanent,
        &Metric::PERSONNEL,
        day("2022-06-29"),
    )?;
    assert_eq!(
        (cmp.before().get(), cmp.after().get()),
        (None, Some(50_000))
    );
    Ok(())
}

#[test]
fn the_tripwire_force_in_february_and_in_june() -> Result {
    let l = ledger();
    let cmp = l.compare(
        &tripwire(),
        &Metric::PERSONNEL,
        day("2022-02-24"),
        day("2022-06-27"),
    )?;
    // The report's regional figure, until NATO's own figures take over.
    assert_eq!(
        (cmp.before().get(), cmp.after().get()),
        (Some(3_700), Some(3_700))
    );
    // Nothing was recorded before the invasion.
    assert_eq!(
        total(l.view(), &tripwire(), &Metric::PERSONNEL, day("2022-02-23")),
        None
    );
    Ok(())
}

#[test]
fn us_personnel_in_europe_before_the_invasion_and_now() -> Result {
    let l = ledger();
    let us_in_europe = Scope::all()
        .from_country(country("USA"))
        .in_region(RegionId::new("europe")?);
    let cmp = l.compare(
        &us_in_europe,
        &Metric::PERSONNEL,
        day("2022-02-23"),
        day("2022-06-29"),
    )?;
    assert_eq!(
        (cmp.before().get(), cmp.after().get()),
        (Some(80_000), Some(100_000))
    );
    assert_eq!(cmp.change(), Some(20_000));
    let across = l.across(
        &EventId::new("usa-europe-increase")?,
        &us_in_europe,
        &Metric::PERSONNEL,
    )?;
    assert_eq!(
        (across.before().get(), across.after().get()),
        (Some(80_000), Some(100_000))
    );
    // A regional figure is never split into a country's.
    let us_in_poland = Scope::all()
        .from_country(country("USA"))
        .in_country(country("POL"));
    assert_eq!(
        l.total(&us_in_poland, &Metric::PERSONNEL, day("2022-06-29"))?
            .get(),
        None
    );
    Ok(())
}

#[test]
fn us_ships_in_spain_from_four_to_six() -> Result {
    let l = ledger();
    let in_spain = Scope::all()
        .from_country(country("USA"))
        .in_country(country("ESP"));
    let cmp = l.across(&EventId::new("rota-six")?, &in_spain, &Metric::SHIPS)?;
    assert_eq!((cmp.before().get(), cmp.after().get()), (Some(4), Some(6)));
    assert_eq!(cmp.change(), Some(2));
    assert_eq!(cmp.ratio(), Some(Decimal::new(15, 1)));
    // The six are all at Rota.
    let at_rota = Scope::all().at_base(posture_ledger::BaseId::new("rota")?);
    assert_eq!(
        l.total(&at_rota, &Metric::SHIPS, day("2022-06-29"))?.get(),
        Some(6)
    );
    // Ships are never personnel.
    assert_eq!(
        l.total(&in_spain, &Metric::PERSONNEL, day("2022-06-29"))?
            .get(),
        None
    );
    Ok(())
}

#[test]
fn uk_troops_in_estonia_now_and_if_doubled() -> Result {
    let l = ledger();
    let uk_in_estonia = Scope::all()
        .from_country(country("GBR"))
        .in_country(country("EST"));
    let cmp = l.what_if(
        &LayerId::new("pledged")?,
        &uk_in_estonia,
        &Metric::PERSONNEL,
        day("2022-06-29"),
    )?;
    assert_eq!(
        (cmp.before().get(), cmp.after().get()),
        (Some(1_650), Some(3_300))
    );
    // The UK's national contingent is not a part of the tripwire force:
    // doubling it leaves the battlegroups as they are.
    let whole = l.what_if(
        &LayerId::new("pledged")?,
        &tripwire(),
        &Metric::PERSONNEL,
        day("2022-06-29"),
    )?;
    assert_eq!(whole.before(), whole.after());
    Ok(())
}

#[test]
fn f35_squadrons_and_the_v_corps_headquarters() -> Result {
    let l = ledger();
    let us_in_uk = Scope::all()
        .from_country(country("USA"))
        .in_country(country("GBR"));
    let cmp = l.across(&EventId::new("f35-to-gbr")?, &us_in_uk, &Metric::SQUADRONS)?;
    // The report is the only record: before the squadrons' deploy, the
    // ledger has no record of US squadrons in the UK, so no change to give.
    assert_eq!((cmp.before().get(), cmp.after().get()), (None, Some(2)));
    assert_eq!((cmp.change(), cmp.ratio()), (None, None));

    let permanent_in_poland = Scope::all()
        .from_country(country("USA"))
        .in_country(country("POL"))
        .on_footing(Footing::Permanent);
    let cmp = l.across(
        &EventId::new("v-corps-permanent")?,
        &permanent_in_poland,
        &Metric::HEADQUARTERS,
    )?;
    assert_eq!((cmp.before().get(), cmp.after().get()), (None, Some(1)));
    let (before, after) = l.deployment_across(&EventId::new("v-corps-permanent")?)?;
    assert_eq!(before.map(|d| d.footing), Some(Footing::Rotational));
    assert_eq!(after.map(|d| d.footing), Some(Footing::Permanent));
    Ok(())
}

#[test]
fn the_high_alert_pool_is_a_pledge_not_a_deployment() -> Result {
    let l = ledger();
    let ready = Scope::all().on_footing(Footing::HighReadiness);
    let cmp = l.what_if(
        &LayerId::new("pledged")?,
        &ready,
        &Metric::PERSONNEL,
        day("2022-06-29"),
    )?;
    assert_eq!(
        (cmp.before().get(), cmp.after().get()),
        (None, Some(300_000))
    );
    // A Europe-wide pool counts for Europe, not for the Baltic states.
    let baltic = l.with_layer(&LayerId::new("pledged")?)?.total(
        &ready.in_region(RegionId::new("baltic-states")?),
        &Metric::PERSONNEL,
        day("2022-06-29"),
    )?;
    assert_eq!(baltic.get(), None);
    Ok(())
}

#[test]
fn finland_and_sweden_are_invited_not_members() -> Result {
    let l = ledger();
    let nato = l.alliance(&AllianceId::new("NATO")?).expect("NATO");
    for code in ["FIN", "SWE"] {
        assert_eq!(
            nato.status(country(code), day("2022-06-28")),
            MembershipStatus::Outside
        );
        assert_eq!(
            nato.status(country(code), day("2022-06-29")),
            MembershipStatus::Invited
        );
    }
    assert_eq!(
        nato.status(country("UKR"), day("2022-06-29")),
        MembershipStatus::Outside
    );
    assert_eq!(
        nato.status(country("LTU"), day("2022-06-29")),
        MembershipStatus::Member
    );
    Ok(())
}

/// The report, as the scenario cites it.
pub const SOURCE: &str = include_str!("../data/madrid-summit-2022.txt");

/// Straightens typographic quotes, so a quote typed with ASCII quotes matches.
pub fn plain(s: &str) -> String {
    s.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
}

#[test]
fn every_event_quotes_the_line_it_cites() {
    let l = ledger();
    let lines: Vec<String> = SOURCE.lines().map(plain).collect();
    for e in l.events() {
        let source = e
            .source()
            .unwrap_or_else(|| panic!("{} has no source", e.id()));
        // NATO's press release is not in the repository, and has no lines.
        if source.document == NATO_DOC {
            continue;
        }
        assert_eq!(source.document, "madrid-summit-2022", "{}", e.id());
        let n = source
            .line
            .unwrap_or_else(|| panic!("{} has no line", e.id()));
        let line = lines
            .get(n as usize - 1)
            .unwrap_or_else(|| panic!("{}: no line {n}", e.id()));
        if let Some(quote) = &source.quote {
            assert!(
                line.contains(&plain(quote)),
                "{}: line {n} does not say {quote:?}",
                e.id()
            );
        }
    }
}

#[test]
fn natos_eight_battlegroups_make_its_stated_total_and_no_more() -> Result {
    let l = ledger();
    let eve = day("2022-06-28");
    let figures = nato_figures(&l);
    assert_eq!(figures.len(), 8, "one figure per host");
    let battlegroups = Scope::all()
        .from_alliance(AllianceId::new("NATO")?)
        .of_kind(UnitKind::Battlegroup);
    // NATO's "9,641 in all" is the sum of its eight figures, and the ledger's
    // total counts nothing else: not the report's regional figure too.
    assert_eq!(
        total(l.view(), &battlegroups, &Metric::PERSONNEL, eve),
        Some(9_641)
    );
    assert_eq!(
        l.deployment(&UnitId::new("nato-efp")?, eve)?,
        None,
        "the report's regional figure ends where NATO's begin"
    );
    for (unit, host, n) in &figures {
        let here = battlegroups.clone().in_country(*host);
        assert_eq!(
            total(l.view(), &here, &Metric::PERSONNEL, eve),
            Some(*n),
            "{unit}"
        );
    }
    // The Baltic states' battlegroups are NATO's three there, on the eve and
    // on the day of the report.
    let baltic: u64 = figures
        .iter()
        .filter(|(_, c, _)| ["EST", "LVA", "LTU"].map(country).contains(c))
        .map(|(_, _, n)| n)
        .sum();
    for date in [eve, day("2022-06-29")] {
        assert_eq!(
            total(l.view(), &tripwire(), &Metric::PERSONNEL, date),
            Some(baltic)
        );
    }
    Ok(())
}

#[test]
fn the_uk_contingent_in_estonia_is_not_counted_inside_natos_battlegroup() -> Result {
    let l = ledger();
    let summit = day("2022-06-29");
    let est = country("EST");
    let (_, _, nato_est) = nato_figures(&l)
        .into_iter()
        .find(|(_, c, _)| *c == est)
        .expect("NATO's figure for Estonia");
    let uk = Scope::all().from_country(country("GBR")).in_country(est);
    let uk_total = total(l.view(), &uk, &Metric::PERSONNEL, summit);
    assert!(
        uk_total > Some(nato_est),
        "the UK's whole presence is more than the battlegroup"
    );
    // The battlegroup in Estonia is NATO's figure alone.
    assert_eq!(
        total(
            l.view(),
            &Scope::all()
                .from_alliance(AllianceId::new("NATO")?)
                .of_kind(UnitKind::Battlegroup)
                .in_country(est),
            &Metric::PERSONNEL,
            summit
        ),
        Some(nato_est)
    );
    assert_eq!(
        total(
            l.view(),
            &uk.clone().of_kind(UnitKind::Battlegroup),
            &Metric::PERSONNEL,
            summit
        ),
        None
    );
    Ok(())
}

#[test]
fn the_report_s_tripwire_figure_conflicts_with_nato_s_and_says_what_nato_s_may_include() -> Result {
    let scenario = scenario::madrid_2022()?;
    let l = scenario.ledger();
    let report = l.check(scenario.claims())?;
    let c2 = posture_ledger::ClaimId::new("C2")?;
    let f = report
        .about(&c2)
        .find(|f| f.rule == Rule::ClaimVsLedger)
        .expect("C2 is checked against the ledger");
    assert_eq!(f.verdict, Verdict::Conflicting, "{}", f.summary);
    assert_eq!(f.claims, vec![c2.clone()]);
    assert!(f.events.is_empty(), "the ledger's figure is not C2's own");
    let ledger_figure = total(l.view(), &tripwire(), &Metric::PERSONNEL, day("2022-06-29"));
    let found = &f.evidence[1].interval;
    assert_eq!(found.is_exact(), ledger_figure.map(Decimal::from));
    let claimed = &f.evidence[0].interval;
    assert_eq!(
        f.gap,
        claimed.gap(found).expect("comparable"),
        "the gap is how far NATO's figure lies outside the hedge"
    );
    assert!(f.caveats.contains(&Caveat::MayInclude {
        document: NATO_DOC.into(),
        what: "forces deployed in a support role".into(),
    }));
    // The report's text says it beside the verdict, on C2's line.
    let text = report.to_string();
    let line = text
        .lines()
        .find(|l| l.contains("claim vs ledger") && l.split_whitespace().nth(4) == Some("C2"))
        .expect("C2's line");
    assert!(line.starts_with("CONFLICTING"), "{line}");
    assert!(
        line.contains(
            "caveat: nato-efp-2022-06-28's figures may include forces deployed in a support role"
        ),
        "{line}"
    );
    // C4 is the UK's whole presence, not a part of the battlegroups: no
    // part-within-whole finding pairs it with C2.
    let c4 = posture_ledger::ClaimId::new("C4")?;
    assert!(report
        .about(&c4)
        .all(|f| !(f.rule == Rule::PartWithinWhole && f.claims.contains(&c2))));
    // February's 3,700 with the ledger's changes since, NATO's figures
    // among them, does not reach the report's June figure either.
    let c10 = posture_ledger::ClaimId::new("C10")?;
    let across = report
        .about(&c10)
        .find(|f| f.rule == Rule::AcrossDates)
        .expect("C10 and C2 across dates");
    assert_eq!(across.claims, vec![c10.clone(), c2]);
    assert_eq!(across.verdict, Verdict::Conflicting, "{}", across.summary);
    Ok(())
}
