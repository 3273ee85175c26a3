//! The Madrid 2022 scenario: the before/after figures a reader of the report
//! wants, every one computed by the ledger from the bundled data.
//!
//! Run with `cargo run --example madrid_2022`.

use chrono::NaiveDate;
use posture_ledger::{
    scenario, AllianceId, Comparison, Country, EventId, Footing, LayerId, Ledger, Metric, RegionId,
    Scope, Total, UnitId, UnitKind,
};
use rust_decimal::Decimal;

/// How a row's two figures are taken.
enum Compare {
    /// The baseline against a what-if layer, on one date.
    WhatIf(&'static str, NaiveDate),
    /// The baseline on two dates.
    Dates(NaiveDate, NaiveDate),
    /// Just before and just after one event.
    Across(&'static str),
}

struct Row {
    label: &'static str,
    scope: Scope,
    metric: Metric,
    how: Compare,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let scenario = scenario::madrid_2022()?;
    let ledger = scenario.ledger();
    let summit: NaiveDate = "2022-06-29".parse()?;
    let before_invasion: NaiveDate = "2022-02-23".parse()?;
    let (nato, usa, gbr) = (
        AllianceId::new("NATO")?,
        Country::new("USA")?,
        Country::new("GBR")?,
    );

    // The tripwire force is NATO's battlegroups there; the UK's national
    // contingent in Estonia is counted apart, as it is more than its share.
    let tripwire = Scope::all()
        .from_alliance(nato.clone())
        .in_region(RegionId::new("baltic-states")?)
        .of_kind(UnitKind::Battlegroup);
    let rows = [
        Row {
            label: "Baltic forward presence: now vs requested",
            scope: tripwire.clone(),
            metric: Metric::PERSONNEL,
            how: Compare::WhatIf("requested", summit),
        },
        Row {
            label: "US personnel in Europe: pre-invasion vs now *",
            scope: Scope::all()
                .from_country(usa)
                .in_region(RegionId::new("europe")?),
            metric: Metric::PERSONNEL,
            how: Compare::Dates(before_invasion, summit),
        },
        Row {
            label: "US ships in Spain: from four to six",
            scope: Scope::all()
                .from_country(usa)
                .in_country(Country::new("ESP")?),
            metric: Metric::SHIPS,
            how: Compare::Across("rota-six"),
        },
        Row {
            label: "UK troops in Estonia: now vs if doubled",
            scope: Scope::all()
                .from_country(gbr)
                .in_country(Country::new("EST")?),
            metric: Metric::PERSONNEL,
            how: Compare::WhatIf("pledged", summit),
        },
        Row {
            label: "US F-35 squadrons in the UK",
            scope: Scope::all().from_country(usa).in_country(gbr),
            metric: Metric::SQUADRONS,
            how: Compare::Across("f35-to-gbr"),
        },
        Row {
            label: "US permanent headquarters in Poland",
            scope: Scope::all()
                .from_country(usa)
                .in_country(Country::new("POL")?)
                .on_footing(Footing::Permanent),
            metric: Metric::HEADQUARTERS,
            how: Compare::Across("v-corps-permanent"),
        },
    ];

    println!(
        "{} — computed by posture-ledger from the bundled scenario",
        scenario.name()
    );
    println!();
    let header = ["", "scope", "metric", "before", "after", "change", "ratio"];
    let mut table: Vec<[String; 7]> = vec![header.map(String::from)];
    let mut unrecorded = false;
    for row in &rows {
        let cmp = compare(ledger, row)?;
        unrecorded |= !cmp.before().is_recorded() || !cmp.after().is_recorded();
        table.push([
            row.label.to_string(),
            row.scope.to_string(),
            row.metric.to_string(),
            cell(cmp.before()),
            cell(cmp.after()),
            cmp.change().map_or("—".to_string(), |c| {
                posture_ledger::interval::signed_thousands(&Decimal::from(c))
            }),
            cmp.ratio().map_or("—".to_string(), |r| {
                format!("×{}", r.round_dp(3).normalize())
            }),
        ]);
    }
    print_table(&table);

    println!();
    println!("* the source says \"more than 100,000\" now, \"an increase of nearly 20,000\":");
    println!("  the ledger holds the figures it states, so these are bounds, not counts.");
    if unrecorded {
        println!("— no record: the report gives no figure there; that is unknown, not 0.");
    }

    let hq = UnitId::new("v-corps-fwd")?;
    if let (Some(before), Some(after)) =
        ledger.deployment_across(&EventId::new("v-corps-permanent")?)?
    {
        println!();
        println!(
            "{} in {}: {} → {}",
            ledger.unit(&hq).map_or("?", |u| u.name()),
            after.location,
            before.footing,
            after.footing
        );
    }

    // What was known when: the report of 2022-06-29 is the scenario's source.
    let us_in_europe = Scope::all()
        .from_country(usa)
        .in_region(RegionId::new("europe")?);
    println!();
    println!("US personnel in Europe on {summit}, as known:");
    for known in ["2022-06-28", "2022-06-29"] {
        let known: NaiveDate = known.parse()?;
        let then = ledger.view().known_at(known);
        println!(
            "  on {known}: {:>7}",
            then.total(&us_in_europe, &Metric::PERSONNEL, summit)?
                .to_string()
        );
    }

    // The second source: NATO's own battlegroup strengths of 2022-06-28.
    let eve: NaiveDate = "2022-06-28".parse()?;
    let battlegroups = Scope::all()
        .from_alliance(nato)
        .of_kind(UnitKind::Battlegroup);
    let nato_doc = "nato-efp-2022-06-28";
    let hosts = ledger
        .events()
        .iter()
        .filter(|e| e.source().is_some_and(|s| s.document == nato_doc))
        .filter(|e| matches!(e.kind(), posture_ledger::EventKind::Deploy { .. }))
        .count();
    println!();
    println!(
        "Second source, NATO ({nato_doc}): {} in {hosts} battlegroups on {eve}, {} of them in the Baltic states",
        ledger.total(&battlegroups, &Metric::PERSONNEL, eve)?,
        ledger.total(&tripwire, &Metric::PERSONNEL, eve)?,
    );

    // Why the tripwire force is no longer the report's 3,700: the register behind the total.
    println!();
    print!(
        "{}",
        ledger
            .view()
            .explain(&tripwire, &Metric::PERSONNEL, summit)?
    );

    let report = ledger.check(scenario.claims())?;
    println!();
    println!(
        "Claims of the report, checked against the ledger and each other ({} findings, worst first):",
        report.findings().len()
    );
    println!();
    print!("{}", report.named(ledger));
    Ok(())
}

fn compare(ledger: &Ledger, row: &Row) -> posture_ledger::Result<Comparison> {
    match row.how {
        Compare::WhatIf(layer, date) => {
            ledger.what_if(&LayerId::new(layer)?, &row.scope, &row.metric, date)
        }
        Compare::Dates(from, to) => ledger.compare(&row.scope, &row.metric, from, to),
        Compare::Across(event) => ledger.across(&EventId::new(event)?, &row.scope, &row.metric),
    }
}

/// Prints rows with the first three columns left-aligned and the figures right-aligned.
fn print_table(rows: &[[String; 7]]) {
    let mut widths = [0usize; 7];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            let pad = " ".repeat(w - cell.chars().count());
            if i < 3 {
                line.push_str(&format!("{cell}{pad}  "));
            } else {
                line.push_str(&format!("{pad}{cell}  "));
            }
        }
        println!("{}", line.trim_end());
    }
}

/// A total's cell: `—` where no record covers it, which is unknown, not 0.
fn cell(total: Total) -> String {
    total.count().map_or("—".to_string(), |c| c.to_string())
}
