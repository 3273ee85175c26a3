//! Tests of the CSV importers: a published-style table, every row error with
//! its line, and atomicity.

use super::read::{iso_date, Outcome, Reader, Tracker};
use super::spec::slug;
use super::*;
use crate::{Country, CountryRecord, Scope};
use crate::{Document, EventId, Region, RegionId};

fn c(code: &str) -> Country {
    Country::new(code).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn problems(result: Result<Imported>) -> Vec<String> {
    match result {
        Err(Error::Import(e)) => e.diagnostics().iter().map(ToString::to_string).collect(),
        Err(other) => panic!("expected import errors, got {other}"),
        Ok(i) => panic!("expected import errors, got {i:?}"),
    }
}

const TABLE: &str = include_str!("../../tests/data/annual-troops.csv");

#[test]
fn a_published_annual_table_becomes_contingents_with_levels() {
    let mut l = Ledger::new();
    let imported = levels_csv(
        TABLE.as_bytes(),
        &mut l,
        &ImportOptions::new("annual-troops.csv"),
    )
    .unwrap();
    assert_eq!(
        imported,
        Imported {
            rows: 13,
            units: 4,
            events: 13,
            ..Imported::default()
        }
    );
    let usa = Scope::all().from_country(c("USA"));
    let at = |s: &Scope, day: &str| l.total(s, &Metric::PERSONNEL, d(day)).unwrap().get();
    // Before the first row, the table records nothing.
    assert_eq!(at(&usa, "2019-09-29"), None);
    assert_eq!(at(&usa, "2019-09-30"), Some(34_674 + 12_250 + 4_500));
    assert_eq!(at(&usa, "2022-09-30"), Some(35_781 + 12_405 + 10_496));
    assert_eq!(
        at(&usa.clone().in_country(c("POL")), "2021-12-31"),
        Some(5_500)
    );
    // Footing comes from its column; the headquarters row is a contingent of its own.
    let permanent_pol = usa.on_footing(Footing::Permanent).in_country(c("POL"));
    assert_eq!(
        l.total(&permanent_pol, &Metric::HEADQUARTERS, d("2022-09-30"))
            .unwrap()
            .get(),
        Some(1)
    );
    let event = l
        .events()
        .iter()
        .find(|e| e.id().as_str() == "annual-troops.csv:2")
        .unwrap();
    assert_eq!(event.source().and_then(|s| s.line), Some(2));
    assert_eq!(
        event.source().map(|s| s.document.as_str()),
        Some("illustrative annual table")
    );
}

#[test]
fn a_second_table_sets_the_levels_of_the_same_contingents() {
    let mut l = Ledger::new();
    levels_csv(TABLE.as_bytes(), &mut l, &ImportOptions::new("a.csv")).unwrap();
    let next = "date,contributor,host,metric,value,footing\n2023-09-30,USA,DEU,personnel,36000,permanent\n";
    let imported = levels_csv(next.as_bytes(), &mut l, &ImportOptions::new("b.csv")).unwrap();
    assert_eq!((imported.units, imported.events), (0, 1));
    let deu = Scope::all().in_country(c("DEU"));
    assert_eq!(
        l.total(&deu, &Metric::PERSONNEL, d("2023-09-30"))
            .unwrap()
            .get(),
        Some(36_000)
    );
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_nothing_changes() {
    let text = "Date,Contributor,Host,Metric,Value\n\
                2022-01-01,USA,DEU,personnel,100\n\
                2022-13-01,USA,DEU,personnel,100\n\
                2022-01-01,USA,XYZ,personnel,100\n\
                2022-01-01,USA,DEU,personnel,-5\n\
                2022-01-01,USA,DEU,personnel,lots\n\
                2022-01-01,WARSAW,DEU,personnel,1\n\
                2022-01-01,USA,DEU,Personnel,1\n\
                2022-01-01,USA,DEU,personnel,1.5\n";
    let mut l = Ledger::new();
    let p = problems(levels_csv(
        text.as_bytes(),
        &mut l,
        &ImportOptions::new("bad.csv"),
    ));
    assert_eq!(
        p,
        [
            "bad.csv:3: column `date`: `2022-13-01` is not a date (YYYY-MM-DD)",
            "bad.csv:4: column `host`: invalid country code `XYZ`: not an ISO 3166-1 alpha-3 \
             code; a user-assigned code is taken once a `[[countries]]` record declares it",
            "bad.csv:5: column `value`: `-5` is negative",
            "bad.csv:6: column `value`: `lots` is not a whole number",
            "bad.csv:7: column `contributor`: `WARSAW` is neither a country code nor an alliance of the ledger",
            "bad.csv:8: column `metric`: invalid metric `Personnel`: a metric is lowercase ascii letters, digits and `_`",
            "bad.csv:9: column `value`: `1.5` is not a whole number",
        ]
    );
    assert_eq!((l.units().count(), l.events().len()), (0, 0));
}

#[test]
fn a_table_saved_with_a_byte_order_mark_reads_as_one_without() {
    // Spreadsheets write UTF-8 with a byte order mark; the first column's
    // name then began with it, and `date` was reported missing.
    let table = "\u{feff}date,contributor,host,metric,value\n2022-01-01,USA,EST,personnel,650\n";
    let mut l = Ledger::new();
    let imported = levels_csv(table.as_bytes(), &mut l, &ImportOptions::new("bom.csv")).unwrap();
    assert_eq!(imported.events, 1);
    let est = Scope::all().in_country(c("EST"));
    assert_eq!(
        l.total(&est, &Metric::PERSONNEL, d("2022-01-01"))
            .unwrap()
            .get(),
        Some(650)
    );
    let log = "\u{feff}date,event,unit,contributor,host,metric,amount\n2022-01-01,deploy,u1,USA,EST,personnel,10\n";
    let mut l = Ledger::new();
    assert!(changes_csv(log.as_bytes(), &mut l, &ImportOptions::new("log.csv")).is_ok());
}

#[test]
fn after_a_byte_order_mark_a_quote_opens_the_first_field() {
    // The mark is dropped, so the quote starts the field: its line end is
    // text, and the rows below are on the lines after it.
    let table = "\u{feff}\"notes,\nif any\",date,contributor,host,metric,value\n,2022-01-01,USA,EST,personnel,lots\n";
    let mut l = Ledger::new();
    let p = problems(levels_csv(
        table.as_bytes(),
        &mut l,
        &ImportOptions::new("bom.csv"),
    ));
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("bom.csv:3: column `value`"), "{p:?}");
}

#[test]
fn a_missing_column_is_named() {
    let mut l = Ledger::new();
    let p = problems(levels_csv(
        "date,host,value\n".as_bytes(),
        &mut l,
        &ImportOptions::new("f.csv"),
    ));
    assert_eq!(
        p,
        ["f.csv:1: missing column `contributor`, `metric`: the header is `date,host,value`"]
    );
}

#[test]
fn movements_create_units_and_record_their_changes() {
    let log = "date,event,unit,contributor,host,metric,amount,kind\n\
               2022-02-24,deploy,uk-est,GBR,EST,personnel,900,battlegroup\n\
               2022-03-10,reinforce,uk-est,GBR,EST,personnel,750,\n\
               2022-03-01,deploy,us-ddg,USA,ESP,ships,4,ship\n\
               2022-06-28,reinforce,us-ddg,USA,ESP,ships,2,\n\
               2023-01-01,reduce,uk-est,GBR,EST,personnel,650,\n\
               2024-01-01,withdraw,us-ddg,USA,ESP,,,\n";
    let mut l = Ledger::new();
    let imported = changes_csv(log.as_bytes(), &mut l, &ImportOptions::new("log.csv")).unwrap();
    assert_eq!((imported.units, imported.events), (2, 6));
    let at = |s: &Scope, m: &Metric, day: &str| l.total(s, m, d(day)).unwrap().get();
    let est = Scope::all().in_country(c("EST"));
    let esp = Scope::all().in_country(c("ESP"));
    assert_eq!(at(&est, &Metric::PERSONNEL, "2022-03-10"), Some(1_650));
    assert_eq!(at(&est, &Metric::PERSONNEL, "2023-01-01"), Some(1_000));
    assert_eq!(at(&esp, &Metric::SHIPS, "2022-06-28"), Some(6));
    assert_eq!(at(&esp, &Metric::SHIPS, "2024-01-01"), Some(0));
    assert_eq!(
        l.unit(&UnitId::new("us-ddg").unwrap()).map(|u| u.kind()),
        Some(UnitKind::Ship)
    );
}

#[test]
fn a_movement_the_ledger_refuses_names_its_row_and_changes_nothing() {
    let log = "date,event,unit,contributor,host,metric,amount\n\
               2022-02-24,deploy,uk-est,GBR,EST,personnel,900\n\
               2022-03-10,reduce,uk-est,GBR,EST,personnel,1000\n";
    let mut l = Ledger::new();
    let p = problems(changes_csv(
        log.as_bytes(),
        &mut l,
        &ImportOptions::new("log.csv"),
    ));
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with(
            "log.csv:3: event `log.csv:3`: field `count`: strength would fall below zero"
        ),
        "{}",
        p[0]
    );
    assert_eq!((l.units().count(), l.events().len()), (0, 0));
    let p = problems(changes_csv(
        "date,event,unit,contributor,host,metric,amount\n2022-01-01,teleport,u,GBR,EST,personnel,1\n".as_bytes(),
        &mut l,
        &ImportOptions::new("log.csv"),
    ));
    assert_eq!(
        p,
        ["log.csv:2: column `event`: `teleport` is not deploy, reinforce, reduce or withdraw"]
    );
}

#[test]
fn dates_read_fast_or_by_the_general_parser() {
    assert_eq!(iso_date("2022-06-29"), Some(d("2022-06-29")));
    for other in [
        "2022-6-29",
        "2022-02-30",
        "20220629xx",
        "２０２２-06-29",
        "",
    ] {
        assert_eq!(iso_date(other), None, "{other}");
    }
}

#[test]
fn a_unit_given_two_contributors_in_one_file_is_refused() {
    let log = "date,event,unit,contributor,host,metric,amount\n\
               2022-02-24,deploy,u,GBR,EST,personnel,900\n\
               2022-03-10,reinforce,u,FRA,EST,personnel,750\n";
    let mut l = Ledger::new();
    let p = problems(changes_csv(
        log.as_bytes(),
        &mut l,
        &ImportOptions::new("log.csv"),
    ));
    assert_eq!(
        p,
        ["log.csv:3: column `contributor`: unit `u` is contributed by GBR (from an earlier row), not FRA"]
    );
    // Against a unit the ledger already has, on every row that says otherwise.
    changes_csv(
        "date,event,unit,contributor,host,metric,amount\n2022-02-24,deploy,u,GBR,EST,personnel,900\n"
            .as_bytes(),
        &mut l,
        &ImportOptions::new("a.csv"),
    )
    .unwrap();
    let p = problems(changes_csv(
        "date,event,unit,contributor,host,metric,amount\n\
         2022-03-10,reinforce,u,FRA,EST,personnel,750\n\
         2022-03-11,reinforce,u,GBR,EST,personnel,10\n\
         2022-03-12,reinforce,u,FRA,EST,personnel,20\n"
            .as_bytes(),
        &mut l,
        &ImportOptions::new("b.csv"),
    ));
    assert_eq!(
        p,
        [
            "b.csv:2: column `contributor`: unit `u` is contributed by GBR, not FRA",
            "b.csv:4: column `contributor`: unit `u` is contributed by GBR, not FRA"
        ]
    );
}

#[test]
fn a_change_in_another_country_than_its_unit_is_refused() {
    let log = "date,event,unit,contributor,host,metric,amount\n\
               2022-02-24,deploy,u,GBR,EST,personnel,900\n\
               2022-03-10,reinforce,u,GBR,LVA,personnel,750\n";
    let mut l = Ledger::new();
    let p = problems(changes_csv(
        log.as_bytes(),
        &mut l,
        &ImportOptions::new("log.csv"),
    ));
    assert_eq!(p, ["log.csv:3: column `host`: unit `u` is in EST, not LVA"]);
    // Against a unit the ledger already has.
    changes_csv("date,event,unit,contributor,host,metric,amount\n2022-02-24,deploy,u,GBR,EST,personnel,900\n".as_bytes(), &mut l, &ImportOptions::new("a.csv")).unwrap();
    let p = problems(changes_csv(
        "date,event,unit,contributor,host,metric,amount\n2022-03-10,reduce,u,GBR,POL,personnel,1\n"
            .as_bytes(),
        &mut l,
        &ImportOptions::new("b.csv"),
    ));
    assert_eq!(p, ["b.csv:2: column `host`: unit `u` is in EST, not POL"]);
}

/// Everything a caller can observe of a ledger: its records, and the total of
/// every metric it counts at a spread of dates, to compare before and after a
/// refused import.
fn snapshot(l: &Ledger) -> String {
    let mut metrics: Vec<&Metric> = l.units().flat_map(|u| u.metrics()).collect();
    metrics.sort();
    metrics.dedup();
    let mut totals = Vec::new();
    for day in [
        "1900-01-01",
        "2021-12-31",
        "2022-01-01",
        "2022-06-30",
        "2030-01-01",
    ] {
        for &m in &metrics {
            totals.push(format!("{m} {day} {:?}", l.total(&Scope::all(), m, d(day))));
        }
    }
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{totals:?}",
        l.units().collect::<Vec<_>>(),
        l.events(),
        l.regions(),
        l.alliances(),
        l.bases(),
    )
}

/// A ledger with something in it already: one import of each kind.
fn populated() -> Ledger {
    let mut l = Ledger::new();
    levels_csv(
        TABLE.as_bytes(),
        &mut l,
        &ImportOptions::new("earlier-levels.csv"),
    )
    .unwrap();
    changes_csv(
        "date,event,unit,contributor,host,metric,amount\n\
         2022-01-01,deploy,uk-est,GBR,EST,personnel,900\n"
            .as_bytes(),
        &mut l,
        &ImportOptions::new("earlier-changes.csv"),
    )
    .unwrap();
    l
}

/// Imports `text` with `import` into a populated ledger as file `f.csv`, and
/// returns its problems, checking the ledger did not change.
fn refused(
    import: fn(&[u8], &mut Ledger, &ImportOptions) -> Result<Imported>,
    text: &str,
) -> Vec<String> {
    let mut l = populated();
    let before = snapshot(&l);
    let p = problems(import(
        text.as_bytes(),
        &mut l,
        &ImportOptions::new("f.csv"),
    ));
    assert_eq!(snapshot(&l), before, "a refused import changed the ledger");
    p
}

fn levels(text: &[u8], l: &mut Ledger, o: &ImportOptions) -> Result<Imported> {
    levels_csv(text, l, o)
}

fn changes(text: &[u8], l: &mut Ledger, o: &ImportOptions) -> Result<Imported> {
    changes_csv(text, l, o)
}

#[test]
fn an_unquoted_thousands_comma_spilling_into_an_extra_field_is_an_error_naming_its_line() {
    let p = refused(
        levels,
        "date,contributor,host,metric,value\n\
         2022-01-01,USA,EST,personnel,\"1,650\"\n\
         2022-01-01,USA,EST,personnel,1,650\n",
    );
    assert_eq!(
        p,
        ["f.csv:3: the row has 6 fields, the header 5: `650` is past the last column, `value`"]
    );
    let p = refused(
        changes,
        "date,event,unit,contributor,host,metric,amount,source\n\
         2022-02-24,deploy,x,GBR,EST,personnel,1,650,tracker\n",
    );
    assert_eq!(
        p,
        ["f.csv:2: the row has 9 fields, the header 8: `tracker` is past the last column, `source`"]
    );
}

#[test]
fn a_row_with_fewer_fields_than_the_header_is_an_error_naming_its_line() {
    let p = refused(
        levels,
        "date,contributor,host,metric,value,footing,source\n\
         2022-01-01,USA,EST,personnel,100,rotational,report\n\
         2022-01-01,USA,LVA,personnel,100\n",
    );
    assert_eq!(
        p,
        ["f.csv:3: the row has 5 fields, the header 7: no `footing`, `source`"]
    );
}

#[test]
fn an_unterminated_quote_is_an_error_naming_the_line_it_opens_on() {
    let text = "date,contributor,host,metric,value,source\n\
                2022-01-01,USA,DEU,personnel,100,\"annual table\n\
                2022-01-01,USA,POL,personnel,200,annual table\n\
                2022-01-01,USA,ITA,personnel,300,annual table\n";
    let p = refused(levels, text);
    assert_eq!(
        p,
        ["f.csv:2:34: the quote that opens here is never closed: it would take in the rest of the file"]
    );
    // A quote that is closed, even across lines, is a field like any other.
    let mut l = Ledger::new();
    let imported = levels_csv(
        "date,contributor,host,metric,value,source\n\
         2022-01-01,USA,DEU,personnel,\"1,000\",\"annual\ntable, \"\"quoted\"\"\"\n\
         2022-01-01,USA,POL,personnel,200,5\" guns\n"
            .as_bytes(),
        &mut l,
        &ImportOptions::new("f.csv"),
    )
    .unwrap();
    assert_eq!(imported.events, 2);
    assert_eq!(
        l.events().to_vec()[0].source().map(|s| s.document.as_str()),
        Some("annual\ntable, \"quoted\"")
    );
    // In the header, and in a movement log.
    let p = refused(levels, "date,contributor,host,metric,\"value\n");
    assert_eq!(
        p,
        ["f.csv:1:30: the quote that opens here is never closed: it would take in the rest of the file"]
    );
    let p = refused(
        changes,
        "date,event,unit,contributor,host,metric,amount\n\
         2022-02-24,deploy,x,GBR,EST,personnel,900\n\
         2022-03-01,reinforce,x,GBR,EST,personnel,\"7\n",
    );
    assert_eq!(
        p,
        ["f.csv:3:42: the quote that opens here is never closed: it would take in the rest of the file"]
    );
}

#[test]
fn a_figure_with_commas_out_of_thousands_positions_is_an_error_naming_line_column_and_text() {
    for (figure, value) in [
        ("1650", 1_650),
        ("\"1,650\"", 1_650),
        ("\"1,650,000\"", 1_650_000),
        ("\"999\"", 999),
    ] {
        let mut l = Ledger::new();
        levels_csv(
            format!("date,contributor,host,metric,value\n2022-01-01,USA,EST,personnel,{figure}\n")
                .as_bytes(),
            &mut l,
            &ImportOptions::new("f.csv"),
        )
        .unwrap();
        assert_eq!(
            l.total(&Scope::all(), &Metric::PERSONNEL, d("2022-01-01"))
                .unwrap()
                .get(),
            Some(value),
            "{figure}"
        );
    }
    for bad in [
        "1,65",
        ",,,5,,",
        "1,,650",
        "12,3456",
        ",650",
        "650,",
        "0,650",
        "1,650_000",
    ] {
        let p = refused(
            levels,
            &format!(
                "date,contributor,host,metric,value\n2022-01-01,USA,EST,personnel,\"{bad}\"\n"
            ),
        );
        assert_eq!(
            p,
            [format!(
                "f.csv:2: column `value`: `{bad}` is not a whole number: separators must set off groups of three digits, as in 1,650"
            )],
            "{bad}"
        );
        let p = refused(
            changes,
            &format!(
                "date,event,unit,contributor,host,metric,amount\n2022-01-01,deploy,x,GBR,EST,personnel,\"{bad}\"\n"
            ),
        );
        assert_eq!(
            p,
            [format!(
                "f.csv:2: column `amount`: `{bad}` is not a whole number: separators must set off groups of three digits, as in 1,650"
            )],
            "{bad}"
        );
    }
}

#[test]
fn a_repeated_header_column_is_an_error_naming_the_header_line_and_both_columns() {
    let p = refused(
        levels,
        "date,contributor,host,metric,value,Host\n2022-01-01,USA,EST,personnel,1,LVA\n",
    );
    assert_eq!(p, ["f.csv:1: columns 3 and 6 are both `host`"]);
    // Even a column the importer does not read: a reader of the file cannot tell either.
    let p = refused(
        changes,
        "date,event,unit,contributor,host,metric,amount,note,note\n",
    );
    assert_eq!(p, ["f.csv:1: columns 8 and 9 are both `note`"]);
}

#[test]
fn a_second_import_of_a_file_with_the_same_name_is_refused_naming_the_id_and_the_prefix_option() {
    let next = "date,contributor,host,metric,value,footing\n\
                2023-09-30,USA,DEU,personnel,36000,permanent\n\
                2023-09-30,USA,ITA,personnel,12000,permanent\n";
    let mut l = Ledger::new();
    levels_csv(
        TABLE.as_bytes(),
        &mut l,
        &ImportOptions::new("2022/troops.csv"),
    )
    .unwrap();
    let before = snapshot(&l);
    let p = problems(levels_csv(
        next.as_bytes(),
        &mut l,
        &ImportOptions::new("2023/troops.csv"),
    ));
    assert_eq!(
        p,
        ["2023/troops.csv:2: event id `troops.csv:2` is already in the ledger, from `illustrative annual table` line 2: \
          give this import another id prefix with `ImportOptions::with_id_prefix` (2 ids clash)"]
    );
    assert_eq!(snapshot(&l), before, "a refused import changed the ledger");
    // With a prefix of its own, it goes in.
    let imported = levels_csv(
        next.as_bytes(),
        &mut l,
        &ImportOptions::new("2023/troops.csv").with_id_prefix("troops-2023"),
    )
    .unwrap();
    assert_eq!(imported.events, 2);
    assert!(l.event(&EventId::new("troops-2023:3").unwrap()).is_some());
    // A movement log imported twice.
    let mut l = populated();
    let before = snapshot(&l);
    let p = problems(changes_csv(
        "date,event,unit,contributor,host,metric,amount\n\
         2022-02-24,reinforce,uk-est,GBR,EST,personnel,100\n"
            .as_bytes(),
        &mut l,
        &ImportOptions::new("earlier-changes.csv"),
    ));
    assert_eq!(
        p,
        ["earlier-changes.csv:2: event id `earlier-changes.csv:2` is already in the ledger, from `earlier-changes.csv` line 2: \
          give this import another id prefix with `ImportOptions::with_id_prefix`"]
    );
    assert_eq!(snapshot(&l), before, "a refused import changed the ledger");
}

#[test]
fn a_row_that_is_not_utf8_is_an_error_naming_its_line_and_column() {
    let mut l = populated();
    let before = snapshot(&l);
    let mut text = b"date,contributor,host,metric,value\n\n2022-01-01,USA,DEU,".to_vec();
    text.extend_from_slice(b"person\xffnel,1\n");
    let p = problems(levels_csv(&text[..], &mut l, &ImportOptions::new("f.csv")));
    assert_eq!(p, ["f.csv:3: column `metric`: not UTF-8 text"]);
    assert_eq!(snapshot(&l), before, "a refused import changed the ledger");
}

/// Reads `text` a few bytes at a time, as a slow pipe would give it.
struct Trickle<'a> {
    text: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.text.len());
        buf[..n].copy_from_slice(&self.text[..n]);
        self.text = &self.text[n..];
        Ok(n)
    }
}

#[test]
fn records_and_quotes_are_followed_across_reads_of_any_size() {
    let long = "x,".repeat(5_000);
    // A text, the lines its records start on, and where a quote is left open.
    type Case = (String, &'static [usize], Option<(usize, usize)>);
    let cases: [Case; 8] = [
        ("a,b\n1,2\n".into(), &[1, 2], None),
        ("a,b\n1,\"2\n".into(), &[1, 2], Some((2, 3))),
        // Blank lines, of any ending, are skipped; the last line needs no end.
        ("\r\n\na,b\r\n\r\n\r\r1,2\n\n3,4".into(), &[3, 5, 7], None),
        // A quote inside an unquoted field is a character, not an opening.
        ("a,b\n1,5\" gun\n".into(), &[1, 2], None),
        // A doubled quote inside a quoted field is a quote character.
        ("a,b\n1,\"say \"\"hi\"\"\"\n".into(), &[1, 2], None),
        ("a,b\n1,\"say \"\"hi\"\"\n".into(), &[1, 2], Some((2, 3))),
        // The opening quote's own line and column, after a field across lines.
        (
            "a,b,c\n\"x\ny\",é,\"open\nmore\n".into(),
            &[1, 2],
            Some((3, 6)),
        ),
        // Far into the file, past the reader's buffer.
        (
            format!("{long}\n{long}\"open\n"),
            &[1, 2],
            Some((2, 10_001)),
        ),
    ];
    for (text, starts, open) in &cases {
        for step in [1, 2, 3, 7, 64, 8192, usize::MAX] {
            let mut tracker = Tracker::new(Trickle {
                text: text.as_bytes(),
                step,
            });
            std::io::copy(&mut tracker, &mut std::io::sink()).unwrap();
            assert_eq!(tracker.unterminated(), *open, "{text:?} in reads of {step}");
            assert_eq!(
                tracker.starts.iter().copied().collect::<Vec<_>>(),
                *starts,
                "{text:?} in reads of {step}"
            );
        }
    }
}

#[test]
fn every_refused_import_leaves_a_populated_ledger_as_it_was() {
    // `refused` checks the snapshot; each file here fails in another way.
    let changes_header = "date,event,unit,contributor,host,metric,amount\n";
    for (import, text) in [
        (levels as fn(&[u8], &mut Ledger, &ImportOptions) -> Result<Imported>, "date,host,value\n".to_string()),
        (levels, "date,contributor,host,metric,value\n2022-13-01,USA,DEU,personnel,1\n".into()),
        (levels, "date,contributor,host,metric,value\n2022-01-01,USA,DEU,ships,-1\n".into()),
        // A new contingent with a new metric, then a row that does not read.
        (levels, "date,contributor,host,metric,value\n2022-01-01,FRA,EST,jets,4\n2022-01-02,FRA,EST,jets,lots\n".into()),
        // Units and a metric the file creates, then an event the ledger refuses.
        (changes, format!("{changes_header}2022-02-24,deploy,new,FRA,EST,tanks,9\n2022-03-01,reduce,new,FRA,EST,tanks,10\n")),
        (changes, format!("{changes_header}2022-02-24,reinforce,uk-est,FRA,EST,personnel,9\n")),
        (changes, format!("{changes_header}2022-02-24,reinforce,uk-est,GBR,LVA,personnel,9\n")),
        (changes, format!("{changes_header}2022-02-24,teleport,uk-est,GBR,EST,personnel,9\n")),
        (changes, format!("{changes_header}2022-02-24,deploy,uk-est,GBR,EST,personnel,9\n")),
        (changes, format!("{changes_header}2022-02-24,withdraw,uk-est,GBR,EST,,\n2022-02-24,withdraw,uk-est,GBR,EST,,\n")),
    ] {
        assert!(!refused(import, &text).is_empty(), "{text}");
    }
}

#[test]
fn a_row_after_blank_lines_is_named_by_its_own_line() {
    // The csv crate places a record where the blank lines before it begin.
    let p = refused(
        levels,
        "date,contributor,host,metric,value\n\n\n2022-13-01,USA,DEU,personnel,1\n\r\n2022-01-01,USA,DEU,personnel,1,2\n",
    );
    assert_eq!(
        p,
        [
            "f.csv:4: column `date`: `2022-13-01` is not a date (YYYY-MM-DD)",
            "f.csv:6: the row has 6 fields, the header 5: `2` is past the last column, `value`"
        ]
    );
    // The header too, with every later copy of a name against the first.
    let p = refused(levels, "\n\ndate,contributor,host,metric,value,x,X,x\n");
    assert_eq!(
        p,
        [
            "f.csv:3: columns 6 and 7 are both `x`",
            "f.csv:3: columns 6 and 8 are both `x`"
        ]
    );
    // And the ids and sources of the events, which cite the line.
    let mut l = Ledger::new();
    levels_csv(
        "date,contributor,host,metric,value,source\n\
         2022-01-01,USA,DEU,personnel,1,\"a\nnote\"\n\n\
         2022-01-02,USA,DEU,personnel,2,b\n"
            .as_bytes(),
        &mut l,
        &ImportOptions::new("f.csv"),
    )
    .unwrap();
    let cited: Vec<_> = l
        .events()
        .iter()
        .map(|e| (e.id().to_string(), e.source().and_then(|s| s.line)))
        .collect();
    assert_eq!(
        cited,
        [
            ("f.csv:2".to_string(), Some(2)),
            ("f.csv:5".to_string(), Some(5))
        ]
    );
}

proptest::proptest! {
    /// The importer reads the records the `csv` crate reads, field for
    /// field and at the same lines, with the same errors, whatever the
    /// bytes and however the input hands them over.
    #[test]
    fn the_importers_reader_reads_any_bytes_as_the_csv_crate_does(
        bytes in proptest::collection::vec(
            proptest::sample::select(vec![b'a', b',', b',', b'"', b'\r', b'\n', b'\n', 0xc3, 0xa9, 0xef, 0xbb, 0xbf]),
            0..120,
        ),
        step in 1usize..20,
        marked in proptest::bool::ANY,
    ) {
        let bytes = [if marked { &b"\xef\xbb\xbf"[..] } else { b"" }, &bytes].concat();
        proptest::prop_assert_eq!(
            read_by_the_importer(&bytes, step),
            read_by_the_csv_crate(&bytes),
            "{:?}",
            String::from_utf8_lossy(&bytes)
        );
    }

    /// The tracker finds the records the CSV reader reads, each at the line
    /// where its first byte is: the reader's own byte offset of a record,
    /// past the blank lines it places the record at, is the oracle.
    #[test]
    fn the_tracker_starts_each_record_where_the_csv_reader_does(
        chars in proptest::collection::vec(
            proptest::sample::select(vec!['a', ',', '"', '\r', '\n', 'é']),
            0..80,
        )
    ) {
        let text: String = chars.into_iter().collect();
        let bytes = text.as_bytes();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Tracker::new(Trickle { text: bytes, step: 3 }));
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let at = usize::try_from(record.position().unwrap().byte()).unwrap();
            let first = (at..bytes.len())
                .find(|&i| !matches!(bytes[i], b'\r' | b'\n'))
                .unwrap_or(bytes.len());
            let line = 1 + bytes[..first].iter().filter(|&&b| b == b'\n').count();
            proptest::prop_assert_eq!(reader.get_mut().next_start(), Some(line), "{:?}", text);
        }
        proptest::prop_assert_eq!(reader.get_mut().next_start(), None, "{:?}", text);
    }
}

/// One record as the `csv` crate reads it, with the settings the importer
/// had when it read through the crate: flexible lengths refused, nothing
/// trimmed, the first record the header.
#[derive(Debug, PartialEq)]
enum Got {
    Record(Vec<String>, usize),
    Unequal(usize, usize, Vec<String>),
    NotUtf8(usize),
    End,
}

/// Every record of `bytes`, read by the `csv` crate: the oracle.
fn read_by_the_csv_crate(bytes: &[u8]) -> Vec<Got> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(bytes);
    let mut record = csv::StringRecord::new();
    let mut out = Vec::new();
    loop {
        let fields = |r: &csv::StringRecord| r.iter().map(String::from).collect();
        let result = reader.read_record(&mut record);
        // The line of the record's first byte, past the blank lines the
        // crate places it after.
        let line = || {
            let at = usize::try_from(record.position().unwrap().byte()).unwrap();
            // Past the byte-order mark the crate drops.
            let at = if at == 0 && bytes.starts_with(b"\xef\xbb\xbf") {
                3
            } else {
                at
            };
            let first = (at..bytes.len())
                .find(|&i| !matches!(bytes[i], b'\r' | b'\n'))
                .unwrap_or(bytes.len());
            1 + bytes[..first].iter().filter(|&&b| b == b'\n').count()
        };
        out.push(match result {
            Ok(false) => Got::End,
            Ok(true) => Got::Record(fields(&record), line()),
            Err(e) => match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => Got::Unequal(
                    usize::try_from(*expected_len).unwrap(),
                    usize::try_from(*len).unwrap(),
                    fields(&record),
                ),
                csv::ErrorKind::Utf8 { err, .. } => Got::NotUtf8(err.field()),
                other => panic!("the crate failed: {other:?}"),
            },
        });
        if out.last() == Some(&Got::End) {
            return out;
        }
    }
}

/// Every record of `bytes`, read in reads of `step` bytes by the importer's
/// reader.
fn read_by_the_importer(bytes: &[u8], step: usize) -> Vec<Got> {
    let mut reader = Reader::new(Trickle { text: bytes, step });
    let mut out = Vec::new();
    loop {
        let outcome = reader.read();
        let fields = |reader: &Reader<_>| reader.record.iter().map(String::from).collect();
        out.push(match outcome {
            Outcome::End => Got::End,
            Outcome::Record => Got::Record(fields(&reader), reader.next_start().unwrap()),
            Outcome::Unequal { expected, len } => {
                reader.next_start();
                Got::Unequal(expected, len, fields(&reader))
            }
            Outcome::NotUtf8 { field } => {
                reader.next_start();
                Got::NotUtf8(field)
            }
            Outcome::Io(e) => panic!("reading from memory failed: {e}"),
        });
        if out.last() == Some(&Got::End) {
            return out;
        }
    }
}

#[test]
fn the_importers_reader_reads_what_the_csv_crate_reads() {
    let long = "x,".repeat(40_000);
    let cases: Vec<Vec<u8>> = vec![
        b"a,b\n1,2\n".to_vec(),
        b"\xef\xbb\xbfa,b\r\n1,2\r\n\r\n3,4".to_vec(),
        b"a,b\n1,\"2,5\"\n\"x\ny\",3\n4\n5,6,7\n,\n".to_vec(),
        b"a,b\n\xc3,\xa9\n\xc3\xa9,1\n\"\xc3\",\"\xa9\"\n1\n".to_vec(),
        format!("{long}\n{long}\n{long}\"q\"\n").into_bytes(),
        b"a,b\n1,\"open\n".to_vec(),
        b"".to_vec(),
        b"\n\r\n".to_vec(),
    ];
    for bytes in &cases {
        // Reads of a byte or three, in a test build, only for the short.
        let steps: &[usize] = if bytes.len() < 1000 {
            &[1, 3, 64, 8192, usize::MAX]
        } else {
            &[4096, 8192, usize::MAX]
        };
        for &step in steps {
            assert_eq!(
                read_by_the_importer(bytes, step),
                read_by_the_csv_crate(bytes),
                "{:?} in reads of {step}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

mod census;
mod claims;
mod duplicates;
mod signed;
mod spec;
