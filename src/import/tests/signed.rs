//! Tests of signed changes: the verb follows from the unit's strength.

use super::*;

fn signed(file: &str) -> ImportOptions {
    ImportOptions::new(file).with_signed_amounts()
}

fn kinds(l: &Ledger) -> Vec<(String, &'static str)> {
    l.events()
        .iter()
        .map(|e| (e.id().to_string(), e.kind().name()))
        .collect()
}

#[test]
fn a_signed_amount_deploys_reinforces_reduces_and_withdraws() {
    // Out of date order on purpose: verbs follow from the strength on the
    // row's date, not from the row's place in the file.
    let log = "date,unit,contributor,host,metric,amount\n\
               2022-03-10,uk-est,GBR,EST,personnel,+750\n\
               2022-02-24,uk-est,GBR,EST,personnel,900\n\
               2022-05-01,uk-est,GBR,EST,personnel,-650\n\
               2022-07-01,uk-est,GBR,EST,personnel,\"-1,000\"\n\
               2022-09-01,uk-est,GBR,EST,personnel,200\n";
    let mut l = Ledger::new();
    let imported = changes_csv(log.as_bytes(), &mut l, &signed("t.csv")).unwrap();
    assert_eq!((imported.units, imported.events), (1, 5));
    let mut got = kinds(&l);
    got.sort();
    assert_eq!(
        got,
        [
            ("t.csv:2".to_string(), "reinforce"),
            ("t.csv:3".to_string(), "deploy"),
            ("t.csv:4".to_string(), "reduce"),
            ("t.csv:5".to_string(), "withdraw"),
            ("t.csv:6".to_string(), "deploy"),
        ]
    );
    let est = Scope::all().in_country(c("EST"));
    let at = |day: &str| l.total(&est, &Metric::PERSONNEL, d(day)).unwrap().get();
    assert_eq!(at("2022-03-10"), Some(900 + 750));
    assert_eq!(at("2022-05-01"), Some(900 + 750 - 650));
    assert_eq!(at("2022-09-01"), Some(200));
}

#[test]
fn a_signed_change_follows_the_ledgers_strength_of_a_unit_it_has() {
    let mut l = Ledger::new();
    let first =
        "date,unit,contributor,host,metric,amount\n2022-02-24,uk-est,GBR,EST,personnel,900\n";
    changes_csv(first.as_bytes(), &mut l, &signed("a.csv")).unwrap();
    let next =
        "date,unit,contributor,host,metric,amount\n2022-03-10,uk-est,GBR,EST,personnel,-900\n";
    changes_csv(next.as_bytes(), &mut l, &signed("b.csv")).unwrap();
    assert!(kinds(&l).contains(&("b.csv:2".to_string(), "withdraw")));
}

#[test]
fn a_signed_change_that_takes_more_than_there_is_is_an_error() {
    let log = "date,unit,contributor,host,metric,amount\n\
               2022-02-24,uk-est,GBR,EST,personnel,-5\n\
               2022-03-01,uk-lva,GBR,LVA,personnel,100\n\
               2022-03-02,uk-lva,GBR,LVA,personnel,-150\n\
               2022-03-03,uk-lva,GBR,LVA,personnel,0\n\
               2022-03-04,uk-lva,GBR,LVA,personnel,+-3\n\
               2022-03-05,uk-lva,GBR,LVA,personnel,--3\n";
    let mut l = Ledger::new();
    assert_eq!(
        problems(changes_csv(log.as_bytes(), &mut l, &signed("t.csv"))),
        [
            "t.csv:2: column `amount`: unit `uk-est` is not deployed on 2022-02-24: -5 takes from nothing",
            "t.csv:4: column `amount`: unit `uk-lva` has 100 personnel on 2022-03-02: -150 takes 50 more than there are",
            "t.csv:5: column `amount`: a change of 0 changes nothing: leave the row out",
            "t.csv:6: column `amount`: `+-3` is not a whole number",
            "t.csv:7: column `amount`: `--3` is not a whole number",
        ]
    );
}

#[test]
fn a_table_of_signed_amounts_gives_no_verb() {
    let log = "date,event,unit,contributor,host,metric,amount\n2022-02-24,deploy,uk-est,GBR,EST,personnel,5\n";
    let mut l = Ledger::new();
    let options = signed("t.csv").with_column(Field::Event, "event");
    assert_eq!(
        problems(changes_csv(log.as_bytes(), &mut l, &options)),
        ["t.csv: spec: a table of signed amounts has no field `event`: the verb follows from the unit's strength"]
    );
    // Its `event` column, where it has one, is ignored like any other.
    changes_csv(log.as_bytes(), &mut l, &signed("t.csv")).unwrap();
}

#[test]
fn a_changes_table_through_a_spec_with_names_for_hosts() {
    let log = "when,who,where,country,change\n\
               24/02/2022,uk-est,,Estonia,900\n\
               10/03/2022,uk-est,EST,,+750\n";
    let options = signed("t.csv")
        .with_column(Field::Date, "when")
        .with_date_format("%d/%m/%Y")
        .with_column(Field::Unit, "who")
        .with_column(Field::Host, "where")
        .with_column(Field::Amount, "change")
        .with_constant(Field::Contributor, "GBR")
        .with_constant(Field::Metric, "personnel")
        .with_host_codes(HostCodes {
            column: "country".into(),
            codes: Default::default(),
            by_name: true,
        });
    let mut l = Ledger::new();
    changes_csv(log.as_bytes(), &mut l, &options).unwrap();
    let est = Scope::all().in_country(c("EST"));
    assert_eq!(
        l.total(&est, &Metric::PERSONNEL, d("2022-03-10"))
            .unwrap()
            .get(),
        Some(900 + 750)
    );
}
