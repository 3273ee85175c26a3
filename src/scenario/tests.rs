//! Tests of scenario files: syntax and meaning errors with their places, and round trips.

use super::*;

fn errors(result: Result<Scenario>) -> Vec<String> {
    match result {
        Err(Error::Scenario(e)) => e.diagnostics().iter().map(ToString::to_string).collect(),
        Err(other) => panic!("expected scenario errors, got {other}"),
        Ok(_) => panic!("expected scenario errors, got a scenario"),
    }
}

#[test]
fn the_bundled_scenario_loads() {
    let s = madrid_2022().unwrap();
    assert_eq!(s.name(), "Madrid 2022");
    assert!(s.ledger().events().len() > 10);
    assert!(s.claims().len() >= 15);
}

#[test]
fn a_syntax_error_names_the_line_and_column() {
    let text = "[scenario]\nname = \"x\"\n[[units]]\nid = \n";
    let e = errors(Scenario::from_toml(text, "broken.toml"));
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("broken.toml:4:"), "{e:?}");
}

#[test]
fn every_problem_is_reported_with_its_record_and_line() {
    let text = r#"[scenario]
name = "broken"

[[units]]
id = "a"
name = "A"
contributor = "XYZ"
kind = "land"

[[units]]
id = "b"
name = "B"
contributor = "GBR"
kind = "land"
colour = "red"

[[units]]
id = "c"
name = "C"
contributor = "GBR"
kind = "land"

[[events]]
id = "e1"
unit = "ghost"
effective = "2022-01-01"
kind = "withdraw"

[[events]]
id = "e2"
unit = "c"
effective = "2022-13-01"
kind = "withdraw"

[[events]]
id = "e3"
unit = "c"
effective = "2022-01-01"
kind = "reinforce"
metric = "personnel"
count = 5
"#;
    let e = errors(Scenario::from_toml(text, "f.toml"));
    assert_eq!(e.len(), 5, "{e:#?}");
    assert_eq!(
        e[0],
        "f.toml:4:1: unit `a`: field `contributor`: unknown alliance `XYZ`"
    );
    assert_eq!(e[1], "f.toml:10:1: unit `b`: unknown field `colour`");
    assert_eq!(
        e[2],
        "f.toml:23:1: event `e1`: field `unit`: unknown unit `ghost`"
    );
    assert!(
        e[3].starts_with("f.toml:29:1: event `e2`: field `effective`: "),
        "{}",
        e[3]
    );
    assert_eq!(
        e[4],
        "f.toml:35:1: event `e3`: field `kind`: unit is not deployed on 2022-01-01"
    );
}

#[test]
fn a_file_without_its_scenario_table_or_with_an_unknown_section_is_refused() {
    let e = errors(Scenario::from_toml("[[unitz]]\nid = \"a\"\n", "f.toml"));
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(e[0].contains("unknown section `unitz`"), "{e:?}");
    assert!(e[1].contains("missing the `[scenario]` table"), "{e:?}");
}

#[test]
fn a_refused_claim_is_named() {
    let text = r#"[scenario]
name = "x"

[[claims]]
id = "c1"
as_of = "2022-06-29"
source = { document = "d" }
kind = "quantity"
scope = { hosts = { regions = ["nowhere"] } }
metric = "personnel"
qualifier = "exact"
value = 1
"#;
    let e = errors(Scenario::from_toml(text, "f.toml"));
    assert_eq!(
        e,
        ["f.toml:4:1: claim `c1`: field `scope`: unknown region `nowhere`"]
    );
}

#[test]
fn saving_and_loading_gives_back_the_same_scenario() {
    let s = madrid_2022().unwrap();
    let toml = s.to_toml().unwrap();
    let again = Scenario::from_toml(&toml, "saved.toml").unwrap();
    assert_eq!(again.to_file(), s.to_file());
    #[cfg(feature = "json")]
    {
        let json = s.to_json().unwrap();
        let again = Scenario::from_json(&json, "saved.json").unwrap();
        assert_eq!(again.to_file(), s.to_file());
    }
}

#[cfg(feature = "json")]
#[test]
fn json_errors_name_the_line_and_column_or_the_record() {
    let e = errors(Scenario::from_json(
        "{\"scenario\": {\"name\": \"x\"},\n \"units\": [}",
        "f.json",
    ));
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("f.json:2:"), "{e:?}");
    let e = errors(Scenario::from_json(
        r#"{"scenario": {"name": "x"}, "events": [{"id": "e", "unit": "u", "effective": "2022-01-01", "kind": "withdraw"}]}"#,
        "f.json",
    ));
    assert_eq!(e, ["f.json: event `e`: field `unit`: unknown unit `u`"]);
}

#[test]
fn line_and_column_count_characters() {
    assert_eq!(line_and_column("ab\ncdé\nx", 7), (2, 4));
    assert_eq!(line_and_column("", 0), (1, 1));
}

#[test]
fn corrections_load_save_and_reload_and_name_their_line() {
    let mut text = MADRID_2022.to_string();
    text.push_str(
        r#"
[[corrections]]
id = "gbr-est-fix"
corrects = "gbr-est-now"
recorded = "2022-07-15"
reason = "the Ministry of Defence gives 1,700"
amend = "replace"
effective = "2022-06-29"
kind = "deploy"
location = { country = "EST" }
footing = "rotational"
strength = { personnel = 1700 }
"#,
    );
    let s = Scenario::from_toml(&text, "fixed.toml").unwrap();
    assert_eq!(s.ledger().corrections().count(), 1);
    let again = Scenario::from_toml(&s.to_toml().unwrap(), "saved.toml").unwrap();
    assert_eq!(again.to_file(), s.to_file());
    assert_eq!(again.to_file().corrections.len(), 1);

    let broken = format!("{text}\n[[corrections]]\nid = \"again\"\ncorrects = \"gbr-est-now\"\nrecorded = \"2022-07-16\"\nreason = \"?\"\namend = \"retract\"\n");
    let e = errors(Scenario::from_toml(&broken, "f.toml"));
    let line = broken
        .lines()
        .position(|l| l.contains("id = \"again\""))
        .unwrap();
    assert_eq!(
        e,
        [format!("f.toml:{line}:1: event `again`: field `corrects`: already corrected by `gbr-est-fix`: correct that instead")]
    );
}

#[test]
fn a_file_that_cannot_be_read_is_named() {
    let err = Scenario::from_path("/nonexistent/posture.toml").unwrap_err();
    assert!(
        matches!(&err, Error::Io { path, .. } if path == "/nonexistent/posture.toml"),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("cannot read /nonexistent/posture.toml: "),
        "{err}"
    );
}
