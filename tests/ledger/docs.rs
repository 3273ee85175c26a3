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
