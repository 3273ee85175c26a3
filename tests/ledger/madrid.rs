//! The figures DOMAIN.md says a user expects from the Madrid 2022 scenario,
//! each computed by the ledger from the bundled data.

use chrono::NaiveDate;
use posture_ledger::{
    scenario, AllianceId, Country, EventId, Footing, LayerId, Ledger, MembershipStatus, Metric,
    RegionId, Scope, UnitId,
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

#[test]
fn baltic_forward_presence_now_against_the_request() -> Result {
    let l = ledger();
    let cmp = l.what_if(
        &LayerId::new("requested")?,
        &nato_in_baltics(),
        &Metric::PERSONNEL,
        day("2022-06-29"),
    )?;
    assert_eq!(cmp.before().get(), Some(4_000));
    assert_eq!(cmp.after().get(), Some(50_000));
    assert_eq!(cmp.change(), Some(46_000));
    assert_eq!(cmp.ratio(), Some(Decimal::new(125, 1)));
    // The request is for a permanent force; the baseline has none.
    let permanent = nato_in_baltics().on_footing(Footing::Permanent);
    let cmp = l.what_if(
        &LayerId::new("requested")?,
        &permanent,
        &Metric::PERSONNEL,
        day("2022-06-29"),
    )?;
    assert_eq!(
        (cmp.before().get(), cmp.after().get()),
        (None, Some(50_000 - 1_650))
    );
    Ok(())
}

#[test]
fn the_tripwire_force_in_february_and_in_june() -> Result {
    let l = ledger();
    let cmp = l.compare(
        &nato_in_baltics(),
        &Metric::PERSONNEL,
        day("2022-02-24"),
        day("2022-06-29"),
    )?;
    assert_eq!(
        (cmp.before().get(), cmp.after().get()),
        (Some(3_700), Some(4_000))
    );
    // Nothing was recorded before the invasion.
    assert_eq!(
        l.total(&nato_in_baltics(), &Metric::PERSONNEL, day("2022-02-23"))?
            .get(),
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
    // The part is inside the whole: the rest of the force is 2,350 on the stated figures.
    let efp = l
        .deployment(&UnitId::new("nato-efp")?, day("2022-06-29"))?
        .expect("deployed");
    assert_eq!(efp.strength[0].count.get(), 2_350);
    // Doubling the part grows the whole, since no later level pins it.
    let whole = l.what_if(
        &LayerId::new("pledged")?,
        &nato_in_baltics(),
        &Metric::PERSONNEL,
        day("2022-06-29"),
    )?;
    assert_eq!(whole.after().get(), Some(4_000 + 1_650));
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
