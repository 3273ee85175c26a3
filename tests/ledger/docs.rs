//! The example scenario of `docs/format.md`, written from the docs alone,
//! loads and says what the page says it does.

use posture_ledger::scenario::Scenario;
use posture_ledger::{Country, Metric, Scope, Verdict};

const PAGE: &str = include_str!("../../docs/format.md");

/// The page's one TOML block.
fn example() -> &'static str {
    PAGE.split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("docs/format.md has a TOML example")
}

#[test]
fn the_documented_example_scenario_loads_and_adds_up() -> Result<(), Box<dyn std::error::Error>> {
    let scenario = Scenario::from_toml(example(), "tapa.toml")?;
    let ledger = scenario.ledger();
    let uk = Scope::all()
        .from_country(Country::new("GBR")?)
        .in_country(Country::new("EST")?);
    assert_eq!(
        ledger
            .total(&uk, &Metric::PERSONNEL, "2022-03-10".parse()?)?
            .get(),
        Some(1_650)
    );
    let est = Scope::all().in_country(Country::new("EST")?);
    assert_eq!(
        ledger
            .total(&est, &Metric::PERSONNEL, "2022-03-01".parse()?)?
            .get(),
        Some(2_000)
    );
    assert_eq!(
        ledger
            .total(&est, &Metric::PERSONNEL, "2022-03-10".parse()?)?
            .get(),
        Some(2_750)
    );
    assert_eq!(
        ledger
            .total(&est, &Metric::PERSONNEL, "2022-01-01".parse()?)?
            .get(),
        None,
        "no record before the deploy, as the page says"
    );
    let report = ledger.check(scenario.claims())?;
    assert!(
        report
            .findings()
            .iter()
            .all(|f| f.verdict != Verdict::Conflicting),
        "{report}"
    );
    assert_eq!(scenario.claims().len(), 2);
    Ok(())
}

/// The `[policy]` block of `docs/format.md`.
fn policy_block() -> &'static str {
    PAGE.split_once("```toml\n[policy]")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("docs/format.md has a [policy] example")
}

#[test]
fn the_documented_policy_table_reads_as_the_page_says() -> Result<(), Box<dyn std::error::Error>> {
    use posture_ledger::Qualifier;
    let text = format!("{}\n[policy]{}", example(), policy_block());
    let scenario = Scenario::from_toml(&text, "tapa.toml")?;
    let policy = scenario.policy();
    let approximate = policy.interval(Qualifier::Approximate, 1_650.into())?;
    let nearly = policy.interval(Qualifier::Nearly, 20_000.into())?;
    let block = policy_block();
    assert!(
        block.contains(&format!("1,650 → {approximate}")),
        "{approximate}"
    );
    assert!(block.contains(&format!("20,000 → {nearly}")), "{nearly}");
    let rounding = posture_ledger::TolerancePolicy::default()
        .interval(Qualifier::Approximate, 1_650.into())?;
    assert!(block.contains(&format!("1,650 → {rounding}")), "{rounding}");
    Ok(())
}

/// The checked table of `docs/hedges.md`: each row's intervals are what the
/// library computes for its qualifier and value, under the defaults and
/// under `relative:0.1`.
#[test]
fn the_hedges_page_gives_the_intervals_the_library_computes(
) -> Result<(), Box<dyn std::error::Error>> {
    use posture_ledger::{Qualifier, TolerancePolicy};
    let page = include_str!("../../docs/hedges.md");
    let table = page
        .split_once("<!-- hedges-table -->")
        .and_then(|(_, rest)| rest.split_once("<!-- /hedges-table -->"))
        .map(|(table, _)| table)
        .expect("docs/hedges.md has its table");
    let default = TolerancePolicy::default();
    let relative: TolerancePolicy = "relative:0.1".parse()?;
    let mut rows = 0;
    let mut about_10000 = None;
    let mut nearly_9000 = None;
    for line in table.lines().skip(3) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [phrase, qualifier, value, under_default, under_relative] = cells[..] else {
            panic!("a row of five cells: {line}");
        };
        let qualifier: Qualifier = qualifier.parse()?;
        let value: rust_decimal::Decimal = value.parse()?;
        let d = default.interval(qualifier, value)?;
        let r = relative.interval(qualifier, value)?;
        assert_eq!(d.to_string(), under_default, "{phrase}");
        assert_eq!(r.to_string(), under_relative, "{phrase}");
        match phrase {
            "about 10,000" => about_10000 = Some((d, r)),
            "nearly 9,000" => nearly_9000 = Some((d, r)),
            _ => {}
        }
        rows += 1;
    }
    assert_eq!(rows, 7);
    // What the page says of the two: they agree under the defaults, not
    // under relative:0.1.
    let (about, nearly) = (about_10000.expect("row"), nearly_9000.expect("row"));
    assert!(about.0.intersects(&nearly.0));
    assert!(!about.1.intersects(&nearly.1));
    assert!(page.contains(&format!(
        "they share\n{}",
        about.0.intersection(&nearly.0).expect("shared")
    )));
    Ok(())
}
