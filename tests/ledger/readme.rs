//! The figures the README prints are the library's: each row of its Madrid
//! table is recomputed here and must appear in the README as printed.

use posture_ledger::interval::signed_thousands;
use posture_ledger::{
    scenario, AllianceId, Comparison, Country, EventId, Footing, LayerId, Metric, RegionId, Scope,
};
use rust_decimal::Decimal;

const README: &str = include_str!("../../README.md");

fn row(label: &str, cmp: &Comparison) -> Vec<String> {
    let ratio = cmp.ratio().map_or("—".to_string(), |r| {
        format!("×{}", r.round_dp(3).normalize())
    });
    vec![
        label.to_string(),
        cell(cmp.before()),
        cell(cmp.after()),
        cmp.change()
            .map_or("—".to_string(), |c| signed_thousands(&Decimal::from(c))),
        ratio,
    ]
}

#[test]
fn the_readme_table_is_what_the_library_computes() -> Result<(), Box<dyn std::error::Error>> {
    let l = scenario::madrid_2022()?.into_ledger();
    let summit = "2022-06-29".parse()?;
    let (usa, gbr) = (Country::new("USA")?, Country::new("GBR")?);
    let rows = [
        row(
            "Baltic forward presence: now vs requested",
            &l.what_if(
                &LayerId::new("requested")?,
                &Scope::all()
                    .from_alliance(AllianceId::new("NATO")?)
                    .in_region(RegionId::new("baltic-states")?)
                    .of_kind(posture_ledger::UnitKind::Battlegroup),
                &Metric::PERSONNEL,
                summit,
            )?,
        ),
        row(
            "US personnel in Europe: pre-invasion vs now *",
            &l.compare(
                &Scope::all()
                    .from_country(usa)
                    .in_region(RegionId::new("europe")?),
                &Metric::PERSONNEL,
                "2022-02-23".parse()?,
                summit,
            )?,
        ),
        row(
            "US ships in Spain: from four to six",
            &l.across(
                &EventId::new("rota-six")?,
                &Scope::all()
                    .from_country(usa)
                    .in_country(Country::new("ESP")?),
                &Metric::SHIPS,
            )?,
        ),
        row(
            "UK troops in Estonia: now vs if doubled",
            &l.what_if(
                &LayerId::new("pledged")?,
                &Scope::all()
                    .from_country(gbr)
                    .in_country(Country::new("EST")?),
                &Metric::PERSONNEL,
                summit,
            )?,
        ),
        row(
            "US F-35 squadrons in the UK",
            &l.across(
                &EventId::new("f35-to-gbr")?,
                &Scope::all().from_country(usa).in_country(gbr),
                &Metric::SQUADRONS,
            )?,
        ),
        row(
            "US permanent headquarters in Poland",
            &l.across(
                &EventId::new("v-corps-permanent")?,
                &Scope::all()
                    .from_country(usa)
                    .in_country(Country::new("POL")?)
                    .on_footing(Footing::Permanent),
                &Metric::HEADQUARTERS,
            )?,
        ),
    ];
    for expected in rows {
        let line = README
            .lines()
            .find(|l| l.starts_with(&expected[0]))
            .unwrap_or_else(|| panic!("the README has no row {:?}", expected[0]));
        let figures: Vec<&str> = line.split_whitespace().rev().take(4).collect();
        let wanted: Vec<&str> = expected[1..].iter().rev().map(String::as_str).collect();
        assert_eq!(figures, wanted, "README row {:?}", expected[0]);
    }
    Ok(())
}

/// A total as the README's table shows it: `—` for no record.
fn cell(total: posture_ledger::Total) -> String {
    total.count().map_or("—".to_string(), |c| c.to_string())
}
