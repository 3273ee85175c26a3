//! Tests of import specs: columns by other names, constants, date formats,
//! several value columns, rows skipped, codes for hosts that lack one, and
//! the spec's own mistakes.

use super::*;

/// The personnel-like `metric` of `contributor`'s contingents in `host` on `day`.
fn at(l: &Ledger, metric: &Metric, host: &str, day: &str) -> Option<u64> {
    let scope = Scope::all().in_country(c(host));
    l.total(&scope, metric, d(day)).unwrap().get()
}

fn army() -> Metric {
    Metric::new("army_personnel").unwrap()
}

/// A published table's shape: no contributor or metric column, hosts in
/// `iso3c`, the figure in `troops_ad`, a service column beside it.
const PUBLISHED: &str = "\
date,ccode,iso3c,countryname,source,troops_ad,army_ad
2021-09-30,255,DEU,Germany,September 2021,34700,21000
2021-09-30,347,,Kosovo,September 2021,9,9
2021-09-30,325,ITA,Italy,September 2021,12300,
2021-12-31,255,DEU,Germany,,0,
2022-03-31,255,DEU,Germany,March 2022,35100,21400
2022-03-31,347,,Kosovo,March 2022,12,12
";

fn published() -> ImportOptions {
    ImportOptions::new("dmdc.csv")
        .with_column(Field::Host, "iso3c")
        .with_constant(Field::Contributor, "USA")
        .with_value_column("troops_ad", &Metric::PERSONNEL)
        .with_value_column("army_ad", &army())
        .skip_if_empty("source")
        .with_host_codes(HostCodes {
            column: "ccode".into(),
            codes: [("347".to_string(), c("XKX"))].into_iter().collect(),
            by_name: false,
        })
}

#[test]
fn a_published_table_reads_through_columns_constants_and_value_columns() {
    let mut l = Ledger::new();
    let imported = levels_csv(PUBLISHED.as_bytes(), &mut l, &published()).unwrap();
    assert_eq!((imported.rows, imported.skipped), (6, 1));
    // Italy's army figure is empty: not reported, so no record.
    assert_eq!(imported.not_reported, 1);
    assert_eq!(
        at(&l, &Metric::PERSONNEL, "DEU", "2021-09-30"),
        Some(34_700)
    );
    assert_eq!(at(&l, &army(), "DEU", "2021-09-30"), Some(21_000));
    assert_eq!(at(&l, &army(), "ITA", "2021-09-30"), None);
    // The filler row of December, with its 0, was skipped: the figure carries on.
    assert_eq!(
        at(&l, &Metric::PERSONNEL, "DEU", "2021-12-31"),
        Some(34_700)
    );
    assert_eq!(
        at(&l, &Metric::PERSONNEL, "DEU", "2022-03-31"),
        Some(35_100)
    );
    // Kosovo has no ISO code in the table: its `ccode` gives one.
    assert_eq!(at(&l, &Metric::PERSONNEL, "XKX", "2022-03-31"), Some(12));
    let usa = Scope::all().from_country(c("USA"));
    assert_eq!(
        l.total(&usa, &Metric::PERSONNEL, d("2021-09-30"))
            .unwrap()
            .get(),
        Some(34_700 + 9 + 12_300)
    );
}

#[test]
fn events_cite_the_published_files_own_lines_past_skipped_rows() {
    let mut l = Ledger::new();
    levels_csv(PUBLISHED.as_bytes(), &mut l, &published()).unwrap();
    let march = l
        .events()
        .iter()
        .filter(|e| e.effective() == d("2022-03-31"))
        .filter(|e| e.unit().as_str() == "USA:DEU:permanent")
        .map(|e| e.source().and_then(|s| s.line))
        .collect::<Vec<_>>();
    assert_eq!(march, [Some(6), Some(6)]);
    let source = l.events().iter().find_map(|e| e.source()).unwrap();
    assert!(source.document.starts_with("September 2021") || source.document == "March 2022");
}

#[test]
fn a_host_found_by_its_name_and_one_with_no_code_anywhere() {
    let table = "date,iso3c,countryname,troops\n\
                 2021-09-30,,Kosovo,9\n\
                 2021-09-30,,Latvia,100\n\
                 2021-09-30,,Narnia,5\n";
    let options = ImportOptions::new("names.csv")
        .with_column(Field::Host, "iso3c")
        .with_column(Field::Value, "troops")
        .with_constant(Field::Contributor, "USA")
        .with_constant(Field::Metric, "personnel")
        .with_host_codes(HostCodes {
            column: "countryname".into(),
            codes: Default::default(),
            by_name: true,
        });
    let mut l = Ledger::new();
    assert_eq!(
        problems(levels_csv(table.as_bytes(), &mut l, &options)),
        ["names.csv:4: column `iso3c`: empty, and column `countryname` gives no code: `Narnia`"]
    );
    let fixed = table.replace("Narnia", "Estonia");
    levels_csv(fixed.as_bytes(), &mut l, &options).unwrap();
    assert_eq!(at(&l, &Metric::PERSONNEL, "LVA", "2021-09-30"), Some(100));
    assert_eq!(at(&l, &Metric::PERSONNEL, "EST", "2021-09-30"), Some(5));
    assert_eq!(at(&l, &Metric::PERSONNEL, "XKX", "2021-09-30"), Some(9));
}

#[test]
fn a_date_format_reads_dates_as_the_table_writes_them() {
    let table = "day,contributor,host,metric,value\n\
                 30/09/2021,USA,DEU,personnel,100\n\
                 2021-12-31,USA,DEU,personnel,200\n";
    let options = ImportOptions::new("dmy.csv")
        .with_column(Field::Date, "day")
        .with_date_format("%d/%m/%Y");
    let mut l = Ledger::new();
    assert_eq!(
        problems(levels_csv(table.as_bytes(), &mut l, &options)),
        ["dmy.csv:3: column `day`: `2021-12-31` is not a date (%d/%m/%Y)"]
    );
    let fixed = table.replace("2021-12-31", "31/12/2021");
    levels_csv(fixed.as_bytes(), &mut l, &options).unwrap();
    assert_eq!(at(&l, &Metric::PERSONNEL, "DEU", "2021-12-30"), Some(100));
    assert_eq!(at(&l, &Metric::PERSONNEL, "DEU", "2021-12-31"), Some(200));
}

#[test]
fn rows_skipped_by_a_value_are_not_read_and_are_counted() {
    // The total row would be read as a host `ALL`, and refused.
    let table = "date,contributor,host,metric,value\n\
                 2021-09-30,USA,DEU,personnel,100\n\
                 2021-09-30,USA,Total,personnel,100\n\
                 2021-09-30,USA,ITA,personnel,garbage\n";
    let options = ImportOptions::new("t.csv")
        .skip_if_equal("host", "Total")
        .skip_if_equal("value", "garbage");
    let mut l = Ledger::new();
    let imported = levels_csv(table.as_bytes(), &mut l, &options).unwrap();
    assert_eq!(
        (imported.rows, imported.skipped, imported.events),
        (3, 2, 1)
    );
}

#[test]
fn a_spec_that_does_not_fit_the_table_is_refused_before_any_row() {
    let table = "date,contributor,host,metric,value\n2021-09-30,USA,DEU,personnel,100\n";
    let cases: Vec<(ImportOptions, &str)> = vec![
        (
            ImportOptions::new("t.csv").with_column(Field::Host, "iso3c"),
            "t.csv:1: missing column `iso3c`: the header is `date,contributor,host,metric,value`",
        ),
        (
            ImportOptions::new("t.csv").skip_if_empty("notes"),
            "t.csv:1: missing column `notes`: the header is `date,contributor,host,metric,value`",
        ),
        (
            ImportOptions::new("t.csv").with_date_format("%Y-%Q"),
            "t.csv: spec: `date_format`: `%Y-%Q` is not a strftime format",
        ),
        (
            ImportOptions::new("t.csv").with_constant(Field::Event, "deploy"),
            "t.csv: spec: a levels table has no field `event`",
        ),
        (
            ImportOptions::new("t.csv").with_value_column("value", &Metric::SHIPS).with_constant(Field::Metric, "ships"),
            "t.csv: spec: a table with `values` has no field `metric`: the metric is each value column's",
        ),
        (
            ImportOptions::new("t.csv").with_constant(Field::Value, "3"),
            "t.csv: spec: field `value` cannot be a constant",
        ),
    ];
    for (options, message) in cases {
        let mut l = Ledger::new();
        let result = levels_csv(table.as_bytes(), &mut l, &options);
        assert!(result.is_err(), "{options:?}");
        assert_eq!(problems(result), [message]);
    }
    // Both a column and a constant, as a scenario file may say.
    let mut spec = ImportSpec::default();
    spec.columns.insert(Field::Host, "host".into());
    spec.constants.insert(Field::Host, "DEU".into());
    let mut l = Ledger::new();
    assert_eq!(
        problems(levels_csv(
            table.as_bytes(),
            &mut l,
            &ImportOptions::from_spec("t.csv", spec)
        )),
        ["t.csv: spec: field `host` has both a column and a constant"]
    );
}

#[test]
fn a_constant_that_does_not_read_is_reported_once_not_at_every_row() {
    let table = "date,host,value\n2021-09-30,DEU,1\n2021-12-31,DEU,2\n";
    let options = ImportOptions::new("t.csv")
        .with_constant(Field::Contributor, "USA")
        .with_constant(Field::Metric, "Personnel");
    let mut l = Ledger::new();
    assert_eq!(
        problems(levels_csv(table.as_bytes(), &mut l, &options)),
        ["t.csv: spec: constant `metric`: invalid metric `Personnel`: a metric is lowercase ascii letters, digits and `_`"]
    );
}

#[test]
fn a_spec_reads_from_toml_as_a_scenario_file_would_hold_it() {
    let spec: ImportSpec = toml::from_str(
        r#"
        columns = { host = "iso3c" }
        constants = { contributor = "USA" }
        values = [{ column = "troops_ad", metric = "personnel" }, { column = "army_ad", metric = "army_personnel" }]
        skip = [{ column = "source", when = "empty" }]
        host_codes = [{ column = "ccode", codes = { "347" = "XKX" } }]
        "#,
    )
    .unwrap();
    assert_eq!(ImportOptions::from_spec("dmdc.csv", spec), published());
    let typo = toml::from_str::<ImportSpec>("colums = { host = \"iso3c\" }");
    assert!(typo
        .unwrap_err()
        .to_string()
        .contains("unknown field `colums`"));
}

#[test]
fn a_census_of_several_value_columns_zeroes_each_metric_of_a_host_left_out() {
    let table = "date,iso3c,troops_ad,army_ad\n\
                 2021-09-30,DEU,34700,21000\n\
                 2021-09-30,ITA,12300,4000\n\
                 2021-12-31,DEU,34800,21100\n";
    let options = ImportOptions::new("c.csv")
        .with_column(Field::Host, "iso3c")
        .with_constant(Field::Contributor, "USA")
        .with_value_column("troops_ad", &Metric::PERSONNEL)
        .with_value_column("army_ad", &army())
        .as_census();
    let mut l = Ledger::new();
    let imported = levels_csv(table.as_bytes(), &mut l, &options).unwrap();
    assert_eq!(imported.census_zeros, 2);
    assert_eq!(at(&l, &Metric::PERSONNEL, "ITA", "2021-12-31"), Some(0));
    assert_eq!(at(&l, &army(), "ITA", "2021-12-31"), Some(0));
    assert_eq!(at(&l, &army(), "ITA", "2021-12-30"), Some(4_000));
}

#[test]
fn a_skip_rule_by_value_reads_from_toml() {
    let spec: ImportSpec =
        toml::from_str(r#"skip = [{ column = "host", when = { equals = "Total" } }]"#).unwrap();
    assert_eq!(
        ImportOptions::from_spec("t.csv", spec),
        ImportOptions::new("t.csv").skip_if_equal("host", "Total")
    );
}

/// A table of places ISO 3166-1 gives no code, and names it spells its own way.
const DECLARED: &str = "\
date,iso3c,countryname,troops
2022-03-31,XSL,Somaliland,4
2022-03-31,,Republic of Somaliland,1
2022-03-31,,Great Britain & NI,9
";

fn declared() -> ImportOptions {
    ImportOptions::new("declared.csv")
        .with_column(Field::Host, "iso3c")
        .with_constant(Field::Contributor, "USA")
        .with_value_column("troops", &Metric::PERSONNEL)
        .summing_duplicates()
        .with_host_codes(HostCodes {
            column: "countryname".into(),
            codes: Default::default(),
            by_name: true,
        })
}

#[test]
fn declared_codes_and_aliases_are_read_and_undeclared_ones_refused() {
    let xsl = Country::user_assigned("XSL").unwrap();
    let mut l = Ledger::new();
    let refused = problems(levels_csv(DECLARED.as_bytes(), &mut l, &declared()));
    assert_eq!(
        refused,
        [
            "declared.csv:2: column `iso3c`: invalid country code `XSL`: not an ISO 3166-1 \
             alpha-3 code; a user-assigned code is taken once a `[[countries]]` record declares \
             it, and column `countryname` gives no code: `Somaliland`",
            "declared.csv:3: column `iso3c`: empty, and column `countryname` gives no code: \
             `Republic of Somaliland`",
            "declared.csv:4: column `iso3c`: empty, and column `countryname` gives no code: \
             `Great Britain & NI`",
        ]
    );
    l.add_country(CountryRecord::new(xsl, "Somaliland").with_aliases(["Republic of Somaliland"]))
        .unwrap();
    l.add_country(CountryRecord::new(c("GBR"), "").with_aliases(["Great Britain & NI"]))
        .unwrap();
    levels_csv(DECLARED.as_bytes(), &mut l, &declared()).unwrap();
    let in_xsl = Scope::all().in_country(xsl);
    let total = l
        .total(&in_xsl, &Metric::PERSONNEL, d("2022-03-31"))
        .unwrap();
    assert_eq!(
        total.get(),
        Some(5),
        "the code's row and its alias's, summed"
    );
    assert_eq!(at(&l, &Metric::PERSONNEL, "GBR", "2022-03-31"), Some(9));
}

/// A table whose region column names each host's region in words.
const REGIONS: &str = "\
date,iso3c,region,troops
2022-03-31,DEU,Europe & Central Asia,35100
2022-03-31,POL,Europe & Central Asia,10500
2022-03-31,JPN,East Asia & Pacific,55000
2022-06-30,ITA,Europe & Central Asia,12300
2022-06-30,KOR,,28500
";

fn regional() -> ImportOptions {
    ImportOptions::new("regions.csv")
        .with_column(Field::Host, "iso3c")
        .with_constant(Field::Contributor, "USA")
        .with_value_column("troops", &Metric::PERSONNEL)
        .with_region_column("region")
}

#[test]
fn a_region_column_makes_regions_of_the_hosts_it_names() {
    let mut l = Ledger::new();
    levels_csv(REGIONS.as_bytes(), &mut l, &regional()).unwrap();
    let europe = RegionId::new("europe-central-asia").unwrap();
    let region = l.region(&europe).expect("a region read from the column");
    assert_eq!(region.name(), "Europe & Central Asia");
    let members: Vec<Country> = region.members_on(d("2022-06-30")).collect();
    assert_eq!(members, [c("DEU"), c("ITA"), c("POL")]);
    let asia = Scope::all().in_region(RegionId::new("east-asia-pacific").unwrap());
    assert_eq!(
        l.total(&asia, &Metric::PERSONNEL, d("2022-06-30"))
            .unwrap()
            .get(),
        Some(55_000)
    );
    // A row with no region is in none.
    assert_eq!(l.regions().len(), 2);
}

#[test]
fn a_region_column_naming_a_region_the_ledger_has_is_refused_whole() {
    let mut l = Ledger::new();
    let europe = RegionId::new("europe-central-asia").unwrap();
    l.add_region(Region::new(europe, "Europe").with_members([c("FRA")]))
        .unwrap();
    let refused = problems(levels_csv(REGIONS.as_bytes(), &mut l, &regional()));
    assert_eq!(
        refused,
        ["regions.csv:2: column `region`: region `europe-central-asia` (`Europe & Central Asia`) \
          is already in the ledger"]
    );
    assert!(l.events().is_empty(), "nothing of the table went in");
    assert_eq!(l.regions().len(), 1);
    assert_eq!(
        slug(" Middle East & North Africa!"),
        "middle-east-north-africa"
    );
}

#[test]
fn two_region_names_of_one_id_are_refused_at_the_second_and_change_nothing() {
    let table = "date,iso3c,region,troops\n\
                 2022-03-31,DEU,Europe & Asia,1\n\
                 2022-03-31,POL,Europe/Asia,2\n\
                 2022-03-31,ITA, Europe & Asia ,3\n";
    let mut l = Ledger::new();
    let refused = problems(levels_csv(table.as_bytes(), &mut l, &regional()));
    assert_eq!(
        refused,
        [
            "regions.csv:3: column `region`: `Europe/Asia` gives the id `europe-asia`, as \
          `Europe & Asia` of line 2 does"
        ]
    );
    assert!(
        l.events().is_empty() && l.regions().is_empty(),
        "nothing of the table went in"
    );
}
