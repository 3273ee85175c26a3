//! A published quarterly table read through an import spec, checked against
//! the table's own sums by an oracle that reads the CSV by itself.
#![cfg(feature = "csv")]

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use posture_ledger::import::{levels_csv, Field, HostCodes, ImportOptions};
use posture_ledger::{Country, Ledger, Metric, Region, RegionId, Scope};

/// A table of the shape of the Defense Manpower Data Center's quarterly
/// reports as researchers rebuild them: hosts without ISO codes (Kosovo,
/// South Korea here), filler rows with an empty `source` (December 2022),
/// a missing quarter (June 2022), service columns that add up to
/// `troops_ad`, a region column, and Japan given in two rows.
const TABLE: &str = include_str!("../data/dmdc-quarterly.csv");

/// The codes the spec gives hosts by their `ccode`.
const CCODES: &[(&str, &str)] = &[("347", "XKX")];

fn options() -> ImportOptions {
    ImportOptions::new("dmdc-quarterly.csv")
        .with_column(Field::Host, "iso3c")
        .with_constant(Field::Contributor, "USA")
        .with_value_column("troops_ad", &Metric::PERSONNEL)
        .with_value_column("army_ad", &Metric::new("army_personnel").unwrap())
        .skip_if_empty("source")
        .with_host_codes(HostCodes {
            column: "ccode".into(),
            codes: CCODES
                .iter()
                .map(|(k, v)| (k.to_string(), Country::new(v).unwrap()))
                .collect(),
            by_name: false,
        })
        .with_host_codes(HostCodes {
            column: "countryname".into(),
            codes: BTreeMap::new(),
            by_name: true,
        })
        .summing_duplicates()
}

/// The table as the oracle reads it: a row is its cells by column name.
fn rows() -> Vec<BTreeMap<String, String>> {
    // The oracle splits on commas: the fixture must have no quoted fields.
    assert!(!TABLE.contains('"'));
    let mut lines = TABLE.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells.len(), header.len(), "{line}");
            header
                .iter()
                .zip(cells)
                .map(|(h, c)| (h.to_string(), c.trim().to_string()))
                .collect()
        })
        .collect()
}

/// A row's host, as the oracle finds it.
fn host(row: &BTreeMap<String, String>) -> Country {
    if !row["iso3c"].is_empty() {
        return Country::new(&row["iso3c"]).unwrap();
    }
    if let Some((_, code)) = CCODES.iter().find(|(c, _)| *c == row["ccode"]) {
        return Country::new(code).unwrap();
    }
    Country::from_name(&row["countryname"]).unwrap()
}

fn slug(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words.join("-")
}

/// The table's sums of `column` by (date, key) over rows with a report.
fn sums(
    column: &str,
    key: impl Fn(&BTreeMap<String, String>) -> String,
) -> BTreeMap<(NaiveDate, String), u64> {
    let mut out = BTreeMap::new();
    for row in rows().iter().filter(|r| !r["source"].is_empty()) {
        let n: u64 = if row[column].is_empty() {
            continue;
        } else {
            row[column].parse().unwrap()
        };
        *out.entry((row["date"].parse().unwrap(), key(row)))
            .or_default() += n;
    }
    out
}

fn ledger() -> Ledger {
    let mut l = Ledger::new();
    let mut regions: BTreeMap<String, BTreeSet<Country>> = BTreeMap::new();
    for row in rows() {
        regions
            .entry(row["region"].clone())
            .or_default()
            .insert(host(&row));
    }
    for (name, members) in regions {
        let id = RegionId::new(slug(&name)).unwrap();
        l.add_region(Region::new(id, name).with_members(members))
            .unwrap();
    }
    levels_csv(TABLE.as_bytes(), &mut l, &options()).unwrap();
    l
}

#[test]
fn the_fixture_is_of_the_shape_it_claims() {
    let rows = rows();
    let services = [
        "army_ad",
        "navy_ad",
        "air_force_ad",
        "marine_corps_ad",
        "space_force_ad",
        "coast_guard_ad",
    ];
    for row in &rows {
        let parts: u64 = services
            .iter()
            .map(|s| row[*s].parse::<u64>().unwrap_or(0))
            .sum();
        assert_eq!(parts, row["troops_ad"].parse::<u64>().unwrap(), "{row:?}");
    }
    assert!(rows.iter().any(|r| r["iso3c"].is_empty()));
    assert!(rows.iter().any(|r| r["source"].is_empty()));
    let dates: BTreeSet<&str> = rows.iter().map(|r| r["date"].as_str()).collect();
    assert!(!dates.contains("2022-06-30"), "a quarter is missing");
}

#[test]
fn totals_by_host_equal_the_tables_sums_for_every_quarter_with_a_report() {
    let l = ledger();
    let army = Metric::new("army_personnel").unwrap();
    for (metric, column) in [(Metric::PERSONNEL, "troops_ad"), (army, "army_ad")] {
        let expected = sums(column, |r| host(r).to_string());
        assert!(expected.len() > 20);
        for ((date, code), n) in expected {
            let scope = Scope::all().in_country(Country::new(&code).unwrap());
            let got = l.total(&scope, &metric, date).unwrap().get();
            assert_eq!(got, Some(n), "{metric} in {code} on {date}");
        }
    }
}

#[test]
fn totals_by_region_equal_the_tables_sums_for_every_quarter_with_a_report() {
    let l = ledger();
    let expected = sums("troops_ad", |r| slug(&r["region"]));
    for ((date, region), n) in expected {
        let scope = Scope::all().in_region(RegionId::new(&region).unwrap());
        let got = l.total(&scope, &Metric::PERSONNEL, date).unwrap().get();
        assert_eq!(got, Some(n), "{region} on {date}");
    }
}

#[test]
fn a_missing_quarter_and_a_filler_quarter_carry_the_last_report_on() {
    let l = ledger();
    let by_host = sums("troops_ad", |r| host(r).to_string());
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    for (later, reported) in [("2022-06-30", "2022-03-31"), ("2022-12-31", "2022-09-30")] {
        for ((date, code), n) in by_host.iter().filter(|((date, _), _)| *date == d(reported)) {
            let scope = Scope::all().in_country(Country::new(code).unwrap());
            let got = l.total(&scope, &Metric::PERSONNEL, d(later)).unwrap().get();
            assert_eq!(got, Some(*n), "{code} on {later}, last reported {date}");
        }
    }
    // Poland's first report is December 2021: before it, no record.
    let pol = Scope::all().in_country(Country::new("POL").unwrap());
    assert_eq!(
        l.total(&pol, &Metric::PERSONNEL, d("2021-09-30"))
            .unwrap()
            .get(),
        None
    );
}

#[test]
fn events_cite_the_published_tables_lines_and_its_quarterly_reports() {
    let l = ledger();
    let rows = rows();
    for e in l.events() {
        let source = e.source().unwrap();
        // Line 1 is the header; row i is line i + 2.
        let line = usize::try_from(source.line.unwrap()).unwrap();
        let row = &rows[line - 2];
        assert_eq!(source.document, row["source"].as_str(), "{}", e.id());
        assert_eq!(e.effective(), row["date"].parse::<NaiveDate>().unwrap());
    }
}

#[test]
fn the_spec_reads_from_toml_as_a_scenario_file_would_give_it() {
    let spec = toml::from_str(
        r#"
        columns = { host = "iso3c" }
        constants = { contributor = "USA" }
        values = [
            { column = "troops_ad", metric = "personnel" },
            { column = "army_ad", metric = "army_personnel" },
        ]
        skip = [{ column = "source", when = "empty" }]
        host_codes = [
            { column = "ccode", codes = { "347" = "XKX" } },
            { column = "countryname", by_name = true },
        ]
        duplicates = "sum"
        "#,
    )
    .unwrap();
    assert_eq!(
        ImportOptions::from_spec("dmdc-quarterly.csv", spec),
        options()
    );
}

#[test]
fn the_documented_spec_reads_the_table_of_its_shape() {
    let page = include_str!("../../docs/format.md");
    let block = page
        .split("```toml\n")
        .map(|b| b.split("\n```").next().unwrap())
        .find(|b| b.starts_with("# An import spec"))
        .expect("docs/format.md has an import spec");
    let spec = toml::from_str(block).unwrap();
    assert_eq!(
        ImportOptions::from_spec("dmdc-quarterly.csv", spec),
        options()
    );
    // The sample rows the page shows are the fixture's.
    let sample = page
        .split("```text\n")
        .find(|b| b.starts_with("date,year,quarter"))
        .and_then(|b| b.split("\n```").next())
        .unwrap();
    for line in sample.lines() {
        assert!(TABLE.lines().any(|l| l == line), "{line}");
    }
}
