//! Tests of duplicates: two figures for one contingent, metric and date are
//! an error naming both lines, or a sum where the spec says so; and the
//! events of one file share one copy of each document's name.

use super::*;

const SPLIT: &str = "date,contributor,host,metric,value,source\n\
                     2021-09-30,USA,DEU,personnel,21000,army table\n\
                     2021-09-30,USA,ITA,personnel,12000,army table\n\
                     2021-09-30,USA,DEU,personnel,13700,air force table\n\
                     2021-12-31,USA,DEU,personnel,n/a,army table\n\
                     2021-12-31,USA,DEU,personnel,34000,army table\n";

#[test]
fn two_figures_for_one_date_are_an_error_naming_both_lines() {
    let mut l = Ledger::new();
    assert_eq!(
        problems(levels_csv(SPLIT.as_bytes(), &mut l, &ImportOptions::new("split.csv"))),
        ["split.csv:4: line 2 already gives personnel of USA in DEU (permanent) on 2021-09-30: two figures for one date are an error, unless the spec sums them (`duplicates = \"sum\"`)"]
    );
    assert_eq!(l.events().len(), 0);
}

#[test]
fn the_spec_may_sum_them_as_parts_of_one_figure() {
    let mut l = Ledger::new();
    let options = ImportOptions::new("split.csv").summing_duplicates();
    let imported = levels_csv(SPLIT.as_bytes(), &mut l, &options).unwrap();
    // A figure not reported beside one reported is no second figure.
    assert_eq!(
        (imported.rows, imported.events, imported.not_reported),
        (5, 3, 1)
    );
    let deu = Scope::all().in_country(c("DEU"));
    let at = |day: &str| l.total(&deu, &Metric::PERSONNEL, d(day)).unwrap().get();
    assert_eq!(at("2021-09-30"), Some(21_000 + 13_700));
    assert_eq!(at("2021-12-31"), Some(34_000));
    // The sum cites the first of its rows.
    let first = l
        .events()
        .iter()
        .find(|e| e.effective() == d("2021-09-30") && e.unit().as_str() == "USA:DEU:permanent")
        .unwrap();
    assert_eq!(first.id().as_str(), "split.csv:2");
    assert_eq!(first.source().and_then(|s| s.line), Some(2));
}

#[test]
fn a_sum_past_a_counts_range_is_an_error_not_a_wrap() {
    let big = Count::RECORD_MAX.get();
    let table = format!(
        "date,contributor,host,metric,value\n2021-09-30,USA,DEU,personnel,{big}\n2021-09-30,USA,DEU,personnel,1\n"
    );
    let mut l = Ledger::new();
    let options = ImportOptions::new("big.csv").summing_duplicates();
    assert_eq!(
        problems(levels_csv(table.as_bytes(), &mut l, &options)),
        ["big.csv:3: the sum of personnel with line 2's figure is larger than a count can hold"]
    );
}

#[test]
fn one_host_under_two_codes_is_a_duplicate_too() {
    // Kosovo given once by code and once, codeless, by its `ccode`.
    let table = "date,iso3c,ccode,troops\n2021-09-30,XKX,347,9\n2021-09-30,,347,9\n";
    let options = ImportOptions::new("k.csv")
        .with_column(Field::Host, "iso3c")
        .with_column(Field::Value, "troops")
        .with_constant(Field::Contributor, "USA")
        .with_constant(Field::Metric, "personnel")
        .with_host_codes(HostCodes {
            column: "ccode".into(),
            codes: [("347".to_string(), c("XKX"))].into_iter().collect(),
            by_name: false,
        });
    let mut l = Ledger::new();
    let p = problems(levels_csv(table.as_bytes(), &mut l, &options));
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with("k.csv:3: line 2 already gives personnel of USA in XKX"),
        "{p:?}"
    );
}

#[test]
fn the_events_of_one_file_share_one_copy_of_each_documents_name() {
    let table = "date,contributor,host,metric,value,source\n\
                 2021-09-30,USA,DEU,personnel,1,army table\n\
                 2021-09-30,USA,ITA,personnel,2,army table\n\
                 2021-09-30,USA,POL,personnel,3,\n\
                 2021-12-31,USA,POL,personnel,4,\n";
    let mut l = Ledger::new();
    levels_csv(table.as_bytes(), &mut l, &ImportOptions::new("s.csv")).unwrap();
    let documents: Vec<&Document> = l
        .events()
        .iter()
        .filter_map(|e| e.source().map(|s| &s.document))
        .collect();
    assert_eq!(documents.len(), 4);
    for a in &documents {
        for b in &documents {
            assert_eq!(a.shares(b), a == b, "{a} and {b}");
        }
    }
    assert!(documents.iter().any(|d| **d == "s.csv"));
    assert!(documents.iter().any(|d| **d == "army table"));
}
