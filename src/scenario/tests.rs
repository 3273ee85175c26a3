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
        "f.toml:7:15: unit `a`: field `contributor`: unknown country `XYZ`: a user-assigned \
         code is taken once a `[[countries]]` record declares it"
    );
    // An unknown key is placed at the key.
    assert_eq!(
        e[1],
        "f.toml:15:1: unit `b`: unknown field `colour`, expected one of `id`, `name`, \
         `contributor`, `kind`, `echelon`, `parent`, `metrics`, `formed`"
    );
    assert_eq!(
        e[2],
        "f.toml:25:8: event `e1`: field `unit`: unknown unit `ghost`"
    );
    assert!(
        e[3].starts_with("f.toml:32:13: event `e2`: field `effective`: "),
        "{}",
        e[3]
    );
    assert_eq!(
        e[4],
        "f.toml:39:8: event `e3`: field `kind`: unit is not deployed on 2022-01-01"
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
        ["f.toml:9:9: claim `c1`: field `scope`: unknown region `nowhere`"]
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
    // At the value at fault, as in TOML.
    assert_eq!(
        e,
        ["f.json:1:60: event `e`: field `unit`: unknown unit `u`"]
    );
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
    // At the value of the field at fault, `corrects`.
    let line = broken
        .lines()
        .position(|l| l.contains("id = \"again\""))
        .unwrap()
        + 2;
    assert_eq!(
        e,
        [format!("f.toml:{line}:12: event `again`: field `corrects`: already corrected by `gbr-est-fix`: correct that instead")]
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

/// The one problem found in `text`, which must not load.
fn the_problem(text: &str) -> String {
    let e = errors(Scenario::from_toml(text, "f.toml"));
    assert_eq!(e.len(), 1, "{e:#?}");
    e[0].clone()
}

#[test]
fn a_misspelt_alliance_member_date_is_refused_not_dropped() {
    // `joind` for `joined` made Canada no member at all, and a claim about
    // NATO silently lost Canada's troops.
    let text = r#"[scenario]
name = "x"

[[alliances]]
id = "NATO"
name = "North Atlantic Treaty Organization"
members = [{ country = "USA", joined = "1949-08-24" }, { country = "CAN", joind = "1949-08-24" }]
"#;
    assert_eq!(
        the_problem(text),
        "f.toml:7:75: alliance `NATO`: field `members[1]`: unknown field `joind`, \
         expected one of `country`, `invited`, `joined`, `left`; did you mean `joined`?"
    );
}

#[test]
fn a_misspelt_region_member_date_is_refused_not_dropped() {
    let text = r#"[scenario]
name = "x"

[[regions]]
id = "baltic-states"
name = "the Baltic states"
members = [{ country = "EST", form = "2004-03-29" }]
"#;
    assert_eq!(
        the_problem(text),
        "f.toml:7:31: region `baltic-states`: field `members[0]`: unknown field `form`, \
         expected one of `country`, `from`, `until`; did you mean `from`?"
    );
}

/// A scenario with Estonia, Poland and a British unit, and `claim` appended.
fn with_claim(claim: &str) -> String {
    format!(
        r#"[scenario]
name = "x"

[[units]]
id = "uk"
name = "British contingent"
contributor = "GBR"
kind = "battlegroup"

[[events]]
id = "uk-arrives"
unit = "uk"
effective = "2022-02-24"
kind = "deploy"
location = {{ country = "EST" }}
footing = "rotational"
strength = {{ personnel = 900 }}

[[claims]]
id = "c1"
as_of = "2022-06-29"
source = {{ document = "d" }}
{claim}
"#
    )
}

#[test]
fn a_claim_scope_with_host_for_hosts_is_refused_not_read_as_everything() {
    let text = with_claim(
        r#"kind = "quantity"
scope = { host = { countries = ["EST"] } }
metric = "personnel"
qualifier = "exact"
value = 900"#,
    );
    assert_eq!(
        the_problem(&text),
        "f.toml:24:11: claim `c1`: field `scope`: unknown field `host`, \
         expected one of `hosts`, `contributors`, `bases`, `footings`, `kinds`, `units`; did you mean `hosts`?"
    );
}

#[test]
fn contributors_with_country_for_countries_is_refused() {
    let text = with_claim(
        r#"kind = "quantity"
scope = { contributors = { country = ["GBR"] } }
metric = "personnel"
qualifier = "exact"
value = 900"#,
    );
    assert_eq!(
        the_problem(&text),
        "f.toml:24:28: claim `c1`: field `scope.contributors`: unknown field `country`, \
         expected one of `countries`, `regions`, `alliances`"
    );
}

#[test]
fn an_extra_key_in_a_change_claims_delta_is_refused() {
    let text = with_claim(
        r#"kind = "change"
scope = { hosts = { countries = ["EST"] } }
metric = "personnel"
delta = { direction = "increase", qualifier = "nearly", value = 900, since = "2022-02-24" }"#,
    );
    assert_eq!(
        the_problem(&text),
        "f.toml:26:70: claim `c1`: field `delta`: unknown field `since`, \
         expected one of `direction`, `qualifier`, `value`, `low`, `high`"
    );
}

#[test]
fn host_inside_a_category_subjects_scope_is_refused() {
    let text = with_claim(
        r#"kind = "category"
subject = { footing = { host = { countries = ["EST"] } } }
value = "rotational""#,
    );
    assert_eq!(
        the_problem(&text),
        "f.toml:24:25: claim `c1`: field `subject.footing`: unknown field `host`, \
         expected one of `hosts`, `contributors`, `bases`, `footings`, `kinds`, `units`; did you mean `hosts`?"
    );
}

/// Where a table sits in a document: keys and array positions from the root.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path of every table in `value`, itself included, inline or not.
fn table_paths(value: &toml::Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        toml::Value::Table(t) => {
            out.push(at.clone());
            for (k, v) in t {
                at.push(Step::Key(k.clone()));
                table_paths(v, at, out);
                at.pop();
            }
        }
        toml::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                at.push(Step::Index(i));
                table_paths(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// `value` with `key = 1` added to the table at `path`.
fn with_key(value: &toml::Value, path: &[Step], key: &str) -> toml::Value {
    let mut out = value.clone();
    let mut here = &mut out;
    for step in path {
        here = match (step, here) {
            (Step::Key(k), toml::Value::Table(t)) => t.get_mut(k).expect("a path into the table"),
            (Step::Index(i), toml::Value::Array(a)) => &mut a[*i],
            (step, _) => panic!("no {step:?} here"),
        };
    }
    let toml::Value::Table(t) = here else {
        panic!("not a table")
    };
    t.insert(key.to_string(), toml::Value::Integer(1));
    out
}

fn path_name(path: &[Step]) -> String {
    let parts: Vec<String> = path
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(i) => i.to_string(),
        })
        .collect();
    parts.join(".")
}

/// Adds an unknown key to each table of `text` in turn, at every depth, and
/// asserts that the file, as TOML and as JSON, is refused naming the key.
fn every_table_refuses_an_unknown_key(text: &str) {
    let doc: toml::Value = toml::from_str(text).unwrap();
    // The document written back loads, so what is refused below is the key.
    Scenario::from_toml(&toml::to_string(&doc).unwrap(), "plain.toml").unwrap();
    let mut paths = Vec::new();
    table_paths(&doc, &mut Vec::new(), &mut paths);
    assert!(paths.len() > 10, "{} tables", paths.len());
    for path in paths {
        let bad = with_key(&doc, &path, "bogus_key");
        let where_ = path_name(&path);
        let text = toml::to_string(&bad).unwrap();
        let Err(Error::Scenario(e)) = Scenario::from_toml(&text, "f.toml") else {
            panic!("TOML, a key in `{where_}` is accepted");
        };
        let e: Vec<String> = e.diagnostics().iter().map(ToString::to_string).collect();
        assert!(
            e.iter().any(|m| m.contains("bogus_key")),
            "TOML, a key in `{where_}` is not refused by name: {e:#?}"
        );
        #[cfg(feature = "json")]
        {
            let json = serde_json::to_string(&bad).unwrap();
            let Err(Error::Scenario(e)) = Scenario::from_json(&json, "f.json") else {
                panic!("JSON, a key in `{where_}` is accepted");
            };
            let e: Vec<String> = e.diagnostics().iter().map(ToString::to_string).collect();
            assert!(
                e.iter().any(|m| m.contains("bogus_key")),
                "JSON, a key in `{where_}` is not refused by name: {e:#?}"
            );
        }
    }
}

#[test]
fn an_unknown_key_in_any_table_of_the_bundled_scenario_is_refused() {
    every_table_refuses_an_unknown_key(MADRID_2022);
}

#[test]
fn an_unknown_key_in_any_table_of_the_documented_example_is_refused() {
    let page = include_str!("../../docs/format.md");
    let blocks: Vec<&str> = page
        .split("```toml\n")
        .skip(1)
        .map(|block| block.split("\n```").next().unwrap())
        .collect();
    for example in &blocks {
        // Import specs are tested as specs, in tests/ledger/tables.rs.
        if example.starts_with("# An import spec") {
            continue;
        }
        // The `[policy]` table is shown alone; it is tested in the first
        // example's scenario.
        if example.starts_with("[policy]") {
            every_table_refuses_an_unknown_key(&format!("{}\n{example}\n", blocks[0]));
            continue;
        }
        every_table_refuses_an_unknown_key(example);
    }
}

#[test]
fn an_unknown_key_in_a_correction_a_relocation_or_a_range_is_refused() {
    // The tables the bundled scenario and the documented example do not have.
    every_table_refuses_an_unknown_key(
        r#"[scenario]
name = "x"

[[bases]]
id = "tapa"
name = "Tapa Army Base"
host = "EST"

[[units]]
id = "uk"
name = "British contingent"
contributor = "GBR"
kind = "battlegroup"

[[events]]
id = "uk-arrives"
unit = "uk"
effective = "2022-02-24"
kind = "deploy"
location = { country = "EST" }
footing = "rotational"
strength = { personnel = 900 }

[[events]]
id = "uk-to-tapa"
unit = "uk"
effective = "2022-03-01"
kind = "relocate"
to = { base = "tapa" }

[[corrections]]
id = "uk-fix"
corrects = "uk-arrives"
recorded = "2022-04-02"
reason = "the MoD gives 950"
source = { document = "MoD", reported = "2022-04-02" }
amend = "replace"
effective = "2022-02-24"
kind = "deploy"
location = { country = "EST" }
footing = "rotational"
strength = { personnel = 950 }

[[claims]]
id = "c1"
as_of = "2022-06-29"
source = { document = "d" }
kind = "change"
scope = { hosts = { countries = ["EST"] } }
metric = "personnel"
since = "2022-02-24"
before = { low = 900, high = 1000 }
after = { low = 900, high = 1000 }
"#,
    );
}

#[cfg(feature = "json")]
#[test]
fn a_json_count_toml_cannot_write_is_refused_naming_its_field() {
    // TOML integers are i64: this count loaded from JSON, and its TOML did not.
    let json = r#"{"scenario": {"name": "x"},
 "units": [{"id": "u", "name": "U", "contributor": "GBR", "kind": "land"}],
 "events": [
  {"id": "e1", "unit": "u", "effective": "2022-01-01", "kind": "deploy",
   "location": {"country": "EST"}, "footing": "rotational", "strength": {"personnel": 1}},
  {"id": "e2", "unit": "u", "effective": "2022-01-02", "kind": "reinforce",
   "metric": "personnel", "count": 9223372036854775808}]}"#;
    let e = errors(Scenario::from_json(json, "f.json"));
    assert_eq!(
        e,
        [
            "f.json:7:36: event `e2`: field `count`: invalid count `9223372036854775808`: \
          expected a whole number from 0 to 9,223,372,036,854,775,807"
        ]
    );
}

#[test]
fn a_scenario_built_in_rust_with_a_count_toml_cannot_write_is_refused() {
    use crate::{Count, EventKind, Metric};
    let text = r#"[scenario]
name = "x"

[[units]]
id = "u"
name = "U"
contributor = "GBR"
kind = "land"

[[events]]
id = "e1"
unit = "u"
effective = "2022-01-01"
kind = "deploy"
location = { country = "EST" }
footing = "rotational"
strength = { personnel = 1 }
"#;
    let mut file = Scenario::from_toml(text, "x.toml").unwrap().to_file();
    let event = Event::new(
        "too-many".parse().unwrap(),
        "u".parse().unwrap(),
        "2022-01-02".parse().unwrap(),
        EventKind::Reinforce {
            metric: Metric::PERSONNEL,
            count: Count::new(u64::MAX),
        },
    );
    file.events.push(event);
    let e = errors(Scenario::from_file(file, "built"));
    assert_eq!(
        e,
        [
            "built: event `too-many`: field `count`: 18,446,744,073,709,551,615 is more than \
          the largest count a record may hold, 9,223,372,036,854,775,807"
        ]
    );
}

#[cfg(feature = "json")]
#[test]
fn saving_and_loading_is_identity_at_the_ends_of_the_count_range() {
    let max = i64::MAX;
    let json = format!(
        r#"{{"scenario": {{"name": "ends"}},
 "units": [{{"id": "u", "name": "U", "contributor": "GBR", "kind": "land",
             "metrics": ["personnel", "ships"]}}],
 "events": [
  {{"id": "e1", "unit": "u", "effective": "2022-01-01", "kind": "deploy",
   "location": {{"country": "EST"}}, "footing": "rotational",
   "strength": {{"personnel": 0, "ships": {max}}}}},
  {{"id": "e2", "unit": "u", "effective": "2022-01-02", "kind": "reinforce",
   "metric": "personnel", "count": {max}}},
  {{"id": "e3", "unit": "u", "effective": "2022-01-03", "kind": "reduce",
   "metric": "ships", "count": {max}}},
  {{"id": "e4", "unit": "u", "effective": "2022-01-04", "kind": "set_level",
   "metric": "personnel", "count": 0}}]}}"#
    );
    let s = Scenario::from_json(&json, "ends.json").unwrap();
    let toml = s.to_toml().unwrap();
    assert!(toml.contains(&max.to_string()), "{toml}");
    let again = Scenario::from_toml(&toml, "ends.toml").unwrap();
    assert_eq!(again.to_file(), s.to_file());
    let json = again.to_json().unwrap();
    let thrice = Scenario::from_json(&json, "ends.json").unwrap();
    assert_eq!(thrice.to_file(), s.to_file());
}

#[cfg(feature = "json")]
mod round_trip {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn day() -> impl Strategy<Value = NaiveDate> {
        let (first, last) = (
            NaiveDate::MIN.num_days_from_ce(),
            NaiveDate::MAX.num_days_from_ce(),
        );
        prop_oneof![
            (first..=last).prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap()),
            Just(NaiveDate::MIN),
            Just(NaiveDate::MAX),
        ]
    }

    fn decimal() -> impl Strategy<Value = Decimal> {
        let m = 1i128 << 96;
        (-(m - 1)..m, 0..=28u32)
            .prop_map(|(n, scale)| Decimal::try_from_i128_with_scale(n, scale).unwrap())
    }

    fn count() -> impl Strategy<Value = u64> {
        let max = i64::MAX.unsigned_abs();
        prop_oneof![0..10_000u64, 0..=max, Just(0), Just(max)]
    }

    /// A scaling factor the ledger takes, most of the time.
    fn factor() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (0..1_000i64, 0..=4u32).prop_map(|(n, scale)| Decimal::new(n, scale)),
            decimal().prop_map(|d| d.abs()),
        ]
    }

    use chrono::Datelike;

    proptest! {
        /// Whatever loads saves, as TOML and as JSON, to a file that loads
        /// back to the same scenario.
        #[test]
        fn saving_and_loading_is_identity_for_every_value_that_loads(
            (first, then) in (day(), day()),
            (deployed, more) in (count(), count()),
            factor in factor(),
            value in decimal(),
            line in any::<u32>(),
            text in "\\PC{0,12}|.{0,12}",
        ) {
            let (first, then) = (first.min(then), first.max(then));
            let json = serde_json::json!({
                "scenario": { "name": text, "description": text },
                "units": [{ "id": "u", "name": text, "contributor": "GBR", "kind": "land",
                            "formed": first.to_string() }],
                "layers": [{ "id": "l", "description": text }],
                "events": [
                    { "id": "e1", "unit": "u", "effective": first.to_string(), "kind": "deploy",
                      "location": { "country": "EST" }, "footing": "rotational",
                      "strength": { "personnel": deployed },
                      "source": { "document": text, "reported": then.to_string(), "line": line,
                                  "quote": text } },
                    { "id": "e2", "unit": "u", "effective": then.to_string(), "kind": "reinforce",
                      "metric": "personnel", "count": more, "announced": first.to_string() },
                    { "id": "e3", "unit": "u", "effective": then.to_string(), "kind": "scale",
                      "metric": "personnel", "factor": factor.to_string(), "layer": "l" },
                ],
                "claims": [
                    { "id": "c1", "as_of": then.to_string(), "source": { "document": text },
                      "kind": "quantity", "scope": { "hosts": { "countries": ["EST"] } },
                      "metric": "personnel", "qualifier": "exact", "value": value.to_string() },
                    { "id": "c2", "as_of": then.to_string(), "source": { "document": text },
                      "kind": "category", "subject": { "named": { "name": text, "attribute": text } },
                      "value": text },
                ],
            });
            if let Ok(s) = Scenario::from_json(&json.to_string(), "p.json") {
                let toml = s.to_toml().unwrap();
                let again = Scenario::from_toml(&toml, "p.toml")
                    .unwrap_or_else(|e| panic!("its TOML does not load: {e}\n{toml}"));
                prop_assert_eq!(again.to_file(), s.to_file());
                let json = s.to_json().unwrap();
                let again = Scenario::from_json(&json, "p.json")
                    .unwrap_or_else(|e| panic!("its JSON does not load: {e}\n{json}"));
                prop_assert_eq!(again.to_file(), s.to_file());
            }
        }
    }
}

#[test]
fn a_record_with_unknown_nested_keys_reports_each_and_nothing_that_follows_from_it() {
    // The event is kept without the keys, as a record with an unknown key of
    // its own is: dropping it made every later event of its unit "not deployed".
    let text = r#"[scenario]
name = "x"

[[units]]
id = "uk"
name = "British contingent"
contributor = "GBR"
kind = "battlegroup"

[[events]]
id = "uk-arrives"
unit = "uk"
effective = "2022-02-24"
kind = "deploy"
location = { country = "EST", bsae = "tapa" }
footing = "rotational"
strength = { personnel = 900 }
source = { document = "d", reportd = "2022-02-24" }

[[events]]
id = "uk-more"
unit = "uk"
effective = "2022-03-01"
kind = "reinforce"
metric = "personnel"
count = 100
"#;
    let e = errors(Scenario::from_toml(text, "f.toml"));
    assert_eq!(
        e,
        [
            "f.toml:15:31: event `uk-arrives`: field `location`: unknown field `bsae`, \
             expected one of `base`, `country`, `region`; did you mean `base`?",
            "f.toml:18:28: event `uk-arrives`: field `source`: unknown field `reportd`, \
             expected one of `document`, `reported`, `line`, `quote`, `may_include`; did you mean `reported`?",
        ]
    );
}

#[test]
fn a_bad_value_or_metric_inside_an_event_names_its_field() {
    let event = |strength: &str, more: &str| {
        format!(
            r#"[scenario]
name = "x"

[[units]]
id = "uk"
name = "British contingent"
contributor = "GBR"
kind = "battlegroup"

[[events]]
id = "e"
unit = "uk"
effective = "2022-02-24"
kind = "deploy"
location = {{ country = "EST" }}
footing = "rotational"
strength = {{ {strength} }}
{more}"#
        )
    };
    assert_eq!(
        the_problem(&event("Personnel = 900", "")),
        "f.toml:17:12: event `e`: field `strength`: invalid metric `Personnel`: \
         a metric is lowercase ascii letters, digits and `_`"
    );
    assert_eq!(
        the_problem(&event("personnel = -1", "")),
        "f.toml:17:26: event `e`: field `strength.personnel`: `-1` is below zero: a count is never negative"
    );
}

#[test]
fn a_missing_field_inside_a_claim_is_not_placed_where_the_field_is_written() {
    // `after` has the `qualifier` that `before` lacks: naming `after` would
    // send the reader to the one figure that is right.
    let text = with_claim(
        r#"kind = "change"
scope = { hosts = { countries = ["EST"] } }
metric = "personnel"
since = "2022-02-24"
before = { value = 900 }
after = { qualifier = "exact", value = 900 }"#,
    );
    let e = the_problem(&text);
    assert!(!e.contains("field `after`"), "{e}");
    assert!(e.contains("missing field `qualifier`"), "{e}");
}

// ----- Every problem at its own place ---------------------------------------------

#[test]
fn a_record_is_placed_whatever_surrounds_its_header() {
    // A comment after the header, spaces inside its brackets, a byte order
    // mark, and a header-like line inside a multi-line string: the scan of
    // header lines put these errors on no line, or on another record's.
    let text = "\u{feff}[scenario]\nname = \"x\"\ndescription = \"\"\"\n[[units]]\n\"\"\"\n\n\
                [[ units ]] # the contingent\nid = \"a\"\nname = \"A\"\ncontributor = \"PHANTOM\"\nkind = \"land\"\n";
    assert_eq!(
        the_problem(text),
        "f.toml:10:15: unit `a`: field `contributor`: unknown alliance `PHANTOM`"
    );
    let inline = "units = [\n  { id = \"a\", name = \"A\", contributor = \"PHANTOM\", kind = \"land\" },\n]\n\n[scenario]\nname = \"x\"\n";
    assert_eq!(
        the_problem(inline),
        "f.toml:2:41: unit `a`: field `contributor`: unknown alliance `PHANTOM`"
    );
}

#[test]
fn an_alliance_named_like_a_country_is_refused_at_its_id() {
    let text = "[scenario]\nname = \"x\"\n\n[[alliances]]\nid = \"GBR\"\nname = \"not an alliance\"\nmembers = []\n";
    let e = the_problem(text);
    assert!(e.starts_with("f.toml:5:6: "), "{e}");
    assert!(e.contains("must not be a country code"), "{e}");
}

#[test]
fn a_duplicate_id_is_reported_at_the_duplicate() {
    let unit = |line: &str| {
        format!(
            "[[units]]\nid = \"a\"\nname = \"{line}\"\ncontributor = \"GBR\"\nkind = \"land\"\n\n"
        )
    };
    let text = format!(
        "[scenario]\nname = \"x\"\n\n{}{}{}",
        unit("first"),
        unit("second"),
        unit("third")
    );
    let e = errors(Scenario::from_toml(&text, "f.toml"));
    // The second and third records, at their ids: never the first.
    assert_eq!(
        e,
        [
            "f.toml:11:6: unit `a`: field `id`: duplicate id",
            "f.toml:17:6: unit `a`: field `id`: duplicate id",
        ]
    );
}

// ----- Messages a person can act on ------------------------------------------------

/// A scenario with a British battlegroup `uk-bg`, then `record`.
fn with_record(record: &str) -> String {
    format!(
        "[scenario]\nname = \"x\"\n\n[[units]]\nid = \"uk-bg\"\nname = \"British\"\ncontributor = \"GBR\"\nkind = \"battlegroup\"\n\n{record}"
    )
}

/// `f.toml:L:C: ` for the first place `needle` is written in `text`: found
/// by searching the text, apart from the loader's spans.
fn place_of(text: &str, needle: &str) -> String {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` in the text"));
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    format!("f.toml:{line}:{column}: ")
}

const DEPLOY: &str = "[[events]]\nid = \"e\"\nunit = \"uk-bg\"\neffective = \"2022-02-24\"\nkind = \"deploy\"\nlocation = { country = \"EST\" }\nfooting = \"rotational\"\nstrength = { personnel = 900 }\n";

const CLAIM: &str = "[[claims]]\nid = \"C1\"\nas_of = \"2022-03-15\"\nsource = { document = \"d\" }\nkind = \"quantity\"\nscope = { hosts = { countries = [\"EST\"] } }\nmetric = \"personnel\"\nqualifier = \"approximate\"\nvalue = 900\n";

#[test]
fn every_message_says_what_to_change_at_the_place_to_change_it() {
    // (what was written wrong, the file's record with it, where it is, the message)
    let cases: [(&str, String, &str, &str); 13] = [
        (
            "a misspelt field",
            DEPLOY.replace("effective =", "efective ="),
            "efective",
            "event `e`: unknown field `efective`: did you mean `effective`?",
        ),
        (
            "a day past the end of its month",
            DEPLOY.replace("2022-02-24", "2022-02-30"),
            "\"2022-02-30\"",
            "event `e`: field `effective`: `2022-02-30` is not a date: February 2022 has 28 days",
        ),
        (
            "a month past December",
            DEPLOY.replace("2022-02-24", "2022-13-01"),
            "\"2022-13-01\"",
            "event `e`: field `effective`: `2022-13-01` is not a date: there is no month 13",
        ),
        (
            "a negative count",
            DEPLOY.replace("personnel = 900", "personnel = -350"),
            "-350",
            "event `e`: field `strength.personnel`: `-350` is below zero: a count is never negative",
        ),
        (
            "a misspelt footing",
            DEPLOY.replace("\"rotational\"", "\"rotationl\""),
            "\"rotationl\"",
            "event `e`: field `footing`: unknown variant `rotationl`, expected one of `permanent`, \
             `rotational`, `high_readiness`, `requested`, `pledged`; did you mean `rotational`?",
        ),
        (
            "a country by name",
            DEPLOY.replace("\"EST\"", "\"Latvia\""),
            "\"Latvia\"",
            "event `e`: field `location.country`: invalid country code `Latvia`: not an ISO \
             3166-1 alpha-3 code; for Latvia, write `LVA`",
        ),
        (
            "a misspelt unit",
            DEPLOY.replace("unit = \"uk-bg\"", "unit = \"uk-bgg\""),
            "\"uk-bgg\"",
            "event `e`: field `unit`: unknown unit `uk-bgg`; did you mean `uk-bg`?",
        ),
        (
            "a country's usual name for a contributor",
            "[[units]]\nid = \"u\"\nname = \"U\"\ncontributor = \"UK\"\nkind = \"land\"\n".into(),
            "\"UK\"",
            "unit `u`: field `contributor`: unknown alliance `UK`: `UK` is not an ISO 3166-1 \
             alpha-3 code; for United Kingdom, write `GBR`",
        ),
        (
            "a misspelt optional field",
            "[[units]]\nid = \"u\"\nname = \"U\"\ncontributor = \"GBR\"\nkind = \"land\"\nformd = \"2020-01-01\"\n".into(),
            "formd",
            "unit `u`: unknown field `formd`, expected one of `id`, `name`, `contributor`, \
             `kind`, `echelon`, `parent`, `metrics`, `formed`; did you mean `formed`?",
        ),
        (
            "a misspelt qualifier field",
            CLAIM.replace("qualifier =", "qualifer ="),
            "qualifer",
            "claim `C1`: unknown field `qualifer`: did you mean `qualifier`?",
        ),
        (
            "a hedge for a qualifier",
            CLAIM.replace("\"approximate\"", "\"about\""),
            "\"about\"",
            "claim `C1`: field `qualifier`: unknown variant `about`, expected one of `exact`, \
             `approximate`, `more_than`, `at_least`, `nearly`, `up_to`, `less_than`, \
             `order_of_magnitude`; did you mean `approximate`?",
        ),
        (
            "a figure that is no number",
            CLAIM.replace("value = 900", "value = \"lots\""),
            "\"lots\"",
            "claim `C1`: field `value`: `lots` is not a decimal number",
        ),
        (
            "a misspelt value field",
            CLAIM.replace("value =", "valu ="),
            "valu",
            "claim `C1`: unknown field `valu`: did you mean `value`?",
        ),
    ];
    for (what, record, needle, message) in cases {
        let text = with_record(&record);
        assert_eq!(
            the_problem(&text),
            format!("{}{message}", place_of(&text, needle)),
            "{what}"
        );
        // The same file as JSON: the same message, at the same key or value.
        #[cfg(feature = "json")]
        {
            let value: serde_json::Value = toml::from_str(&text).unwrap();
            let json = serde_json::to_string_pretty(&value).unwrap();
            let needle = if needle.starts_with(['"', '-']) {
                needle.to_string()
            } else {
                format!("\"{needle}\"")
            };
            let e = errors(Scenario::from_json(&json, "f.toml"));
            assert_eq!(e.len(), 1, "{what}: {e:#?}");
            assert_eq!(
                e[0],
                format!("{}{message}", place_of(&json, &needle)),
                "{what} in JSON"
            );
        }
    }
}

#[test]
fn only_root_causes_are_reported() {
    // A unit that does not read, and the events on it: one problem, the unit's.
    let bad_unit = "[[units]]\nid = \"fr\"\nname = \"FR\"\ncontributor = \"FRA\"\nkind = \"battlegroup\"\nechelon = \"legion\"\n\n";
    let events: String = (0..6)
        .map(|i| format!("[[events]]\nid = \"fr{i}\"\nunit = \"fr\"\neffective = \"2022-03-0{}\"\nkind = \"withdraw\"\n\n", i + 1))
        .collect();
    let e = errors(Scenario::from_toml(
        &with_record(&format!("{bad_unit}{events}")),
        "f.toml",
    ));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].contains("unit `fr`: field `echelon`"), "{e:#?}");

    // A refused event, and a correction of it: one problem, the event's; a
    // correction of an event that reads is not reported as of an unknown one.
    let refused = DEPLOY
        .replace("id = \"e\"", "id = \"e\"\nannounced = \"2023-01-01\"")
        .replace("personnel = 900", "personnel = -1");
    let fix = "\n[[corrections]]\nid = \"fix\"\ncorrects = \"e\"\nrecorded = \"2022-07-01\"\nreason = \"r\"\namend = \"retract\"\n";
    let e = errors(Scenario::from_toml(
        &with_record(&format!("{refused}{fix}")),
        "f.toml",
    ));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].contains("event `e`"), "{e:#?}");

    // A correction of an event that reads, beside another event that is
    // refused: only the refused event is reported, not the correction as of
    // an unknown event.
    let other = "\n[[events]]\nid = \"bad\"\nunit = \"uk-bg\"\neffective = \"2022-03-01\"\nkind = \"reduce\"\nmetric = \"personnel\"\ncount = 5000\n";
    let e = errors(Scenario::from_toml(
        &with_record(&format!("{DEPLOY}{other}{fix}")),
        "f.toml",
    ));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].contains("event `bad`"), "{e:#?}");

    // A later event of a unit whose deploy was refused says it may follow from it.
    let after = "\n[[events]]\nid = \"more\"\nunit = \"uk-bg\"\neffective = \"2022-03-01\"\nkind = \"reinforce\"\nmetric = \"personnel\"\ncount = 5\n";
    let gone = DEPLOY.replace("{ country = \"EST\" }", "{ base = \"nowhere\" }");
    let e = errors(Scenario::from_toml(
        &with_record(&format!("{gone}{after}")),
        "f.toml",
    ));
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(
        e[1].ends_with("unit is not deployed on 2022-03-01 (perhaps because event `e` of the unit was refused)"),
        "{e:#?}"
    );
}

/// The record a line of `text` belongs to: the id of the nearest `[[…]]`
/// record at or above it, found by scanning lines (the bundled file's
/// headers are plain), apart from the loader's spans.
fn record_at(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let header = (0..line.min(lines.len()))
        .rev()
        .find(|&i| lines[i].starts_with("[["))?;
    lines[header + 1..]
        .iter()
        .take_while(|l| !l.starts_with("[["))
        .find_map(|l| {
            l.strip_prefix("id = \"")?
                .strip_suffix('"')
                .map(String::from)
        })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Every problem found in a mutated bundled scenario is placed inside the
    /// record it names.
    #[test]
    fn every_place_lies_inside_the_record_it_names(
        edits in proptest::collection::vec((proptest::prelude::any::<proptest::sample::Index>(), 0..6usize), 1..4),
    ) {
        const BAD: [&str; 6] = ["\"XYZ\"", "\"2022-02-30\"", "-5", "\"ghost\"", "{ personel = 5 }", "\"Latvia\""];
        let mut lines: Vec<String> = MADRID_2022.lines().map(String::from).collect();
        for (at, bad) in edits {
            // One `key = value` line of a record, its key misspelt or its value replaced.
            let candidates: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains(" = ") && !lines[i].starts_with("id ") && !lines[i].starts_with('#'))
                .collect();
            let i = at.get(&candidates).to_owned();
            let (key, _) = lines[i].split_once(" = ").map(|(k, v)| (k.to_string(), v.to_string())).unwrap();
            lines[i] = if bad == 5 && key.len() > 3 {
                format!("{}{} = 1", &key[..1], &key[2..])
            } else {
                format!("{key} = {}", BAD[bad])
            };
        }
        let text = lines.join("\n") + "\n";
        if let Err(Error::Scenario(e)) = Scenario::from_toml(&text, "f.toml") {
            for d in e.diagnostics() {
                let (Some(line), Some(id)) = (d.line, d.message.split('`').nth(1)) else {
                    continue;
                };
                // Problems of the file as a whole name no record.
                if d.message.starts_with("scenario") || !d.message.contains(&format!("`{id}`: ")) {
                    continue;
                }
                let placed = record_at(&text, line);
                proptest::prop_assert_eq!(placed.as_deref(), Some(id), "{}", d);
            }
        }
    }
}

#[test]
fn only_the_first_unknown_ids_of_a_file_get_a_suggestion() {
    // Each suggestion compares the id with every id of its kind: for a
    // file of many unknown references to many units, that is capped.
    let events: String = (0..HINTS + 20)
        .map(|i| {
            DEPLOY
                .replace("id = \"e\"", &format!("id = \"e{i}\""))
                .replace("unit = \"uk-bg\"", "unit = \"uk-bgg\"")
                + "\n"
        })
        .collect();
    let e = errors(Scenario::from_toml(&with_record(&events), "f.toml"));
    assert_eq!(e.len(), HINTS + 20);
    let hinted = e
        .iter()
        .filter(|m| m.ends_with("did you mean `uk-bg`?"))
        .count();
    assert_eq!(hinted, HINTS);
    assert!(e.iter().all(|m| m.contains("unknown unit `uk-bgg`")));
}

#[test]
fn a_date_in_the_last_month_of_the_largest_year_is_refused_without_overflow() {
    let e = the_problem(&with_record(
        &DEPLOY.replace("2022-02-24", "2147483647-12-40"),
    ));
    assert!(e.contains("`2147483647-12-40` is not a date"), "{e}");
}

/// A level that holds only until a date: the scenario format gives it an
/// end, it survives a save, a misspelt key is refused at its place, and an
/// end before the event is refused as backwards.
#[test]
fn an_events_valid_until_loads_saves_and_is_checked() {
    use crate::{Country, EventId, Metric, Scope};
    let text = |until_key: &str, until: &str| {
        format!(
            r#"[scenario]
name = "table"

[[units]]
id = "c"
name = "contingent"
contributor = "USA"
kind = "contingent"

[[events]]
id = "q3"
unit = "c"
effective = "2022-09-30"
{until_key} = "{until}"
kind = "deploy"
location = {{ country = "DEU" }}
footing = "permanent"
strength = {{ personnel = 35000 }}
"#
        )
    };
    let s = Scenario::from_toml(&text("valid_until", "2022-12-30"), "t.toml").unwrap();
    let until = s
        .ledger()
        .event(&EventId::new("q3").unwrap())
        .and_then(|e| e.valid_until());
    assert_eq!(until, Some("2022-12-30".parse().unwrap()));
    let again = Scenario::from_toml(&s.to_toml().unwrap(), "saved.toml").unwrap();
    assert_eq!(again.ledger().events(), s.ledger().events());
    let deu = Scope::all().in_country(Country::new("DEU").unwrap());
    let total = |d: &str| {
        s.ledger()
            .total(&deu, &Metric::PERSONNEL, d.parse().unwrap())
            .unwrap()
    };
    assert!(!total("2022-12-30").is_stale());
    assert!(total("2022-12-31").is_stale());

    let e = errors(Scenario::from_toml(
        &text("valid_untl", "2022-12-30"),
        "t.toml",
    ));
    assert!(
        e[0].starts_with("t.toml:14:1: event `q3`: unknown field `valid_untl`"),
        "{e:?}"
    );
    let e = errors(Scenario::from_toml(
        &text("valid_until", "2022-09-29"),
        "t.toml",
    ));
    assert!(
        e[0].contains(
            "event `q3`: field `valid_until`: ends on 2022-09-29, before it starts on 2022-09-30"
        ),
        "{e:?}"
    );
}

/// A scenario whose one claim, "about 1,700", meets a ledger of 1,650: at
/// the edge of what rounding allows, and well outside 1 % of 1,700.
fn about_1700(policy: &str) -> String {
    format!(
        r#"[scenario]
name = "policy"
{policy}
[[units]]
id = "gbr-est"
name = "British troops in Estonia"
contributor = "GBR"
kind = "battlegroup"

[[events]]
id = "arrive"
unit = "gbr-est"
effective = "2022-03-01"
kind = "deploy"
location = {{ country = "EST" }}
footing = "rotational"
strength = {{ personnel = 1650 }}

[[claims]]
id = "P1"
as_of = "2022-06-29"
source = {{ document = "a test", line = 1, quote = "about 1,700 British troops in Estonia" }}
kind = "quantity"
scope = {{ contributors = {{ countries = ["GBR"] }}, hosts = {{ countries = ["EST"] }} }}
metric = "personnel"
qualifier = "approximate"
value = 1700
"#
    )
}

fn verdicts(s: &Scenario) -> Vec<crate::Verdict> {
    let report = s
        .ledger()
        .check_with(s.claims(), crate::CheckOptions::from(s.policy()))
        .unwrap();
    report.findings().iter().map(|f| f.verdict).collect()
}

#[test]
fn a_policy_table_sets_how_the_claims_are_read() {
    let plain = Scenario::from_toml(&about_1700(""), "plain.toml").unwrap();
    assert_eq!(plain.policy(), &crate::TolerancePolicy::default());
    assert_eq!(verdicts(&plain), [crate::Verdict::Consistent]);

    let strict = about_1700("\n[policy]\napproximation = { relative = \"0.01\" }\nnearly = 0.05\n");
    let strict = Scenario::from_toml(&strict, "strict.toml").unwrap();
    let expected = crate::TolerancePolicy::default()
        .with_approximation(crate::qualifier::Approximation::Relative(
            rust_decimal::Decimal::new(1, 2),
        ))
        .unwrap()
        .with_nearly(rust_decimal::Decimal::new(5, 2))
        .unwrap();
    assert_eq!(strict.policy(), &expected);
    assert_eq!(verdicts(&strict), [crate::Verdict::Conflicting]);

    // Saved and read again, the policy is the file's; a file without one
    // writes none.
    let again = Scenario::from_toml(&strict.to_toml().unwrap(), "again.toml").unwrap();
    assert_eq!(again.policy(), &expected);
    assert_eq!(again.to_file(), strict.to_file());
    assert!(!plain.to_toml().unwrap().contains("[policy]"));
    #[cfg(feature = "json")]
    {
        let json = Scenario::from_json(&strict.to_json().unwrap(), "again.json").unwrap();
        assert_eq!(json.policy(), &expected);
    }
}

#[test]
fn a_policy_table_refuses_unknown_keys_and_bad_tolerances_at_their_lines() {
    let text = about_1700("\n[policy]\nnearly = 0.05\nrelative = 0.1\n");
    let e = errors(Scenario::from_toml(&text, "typo.toml"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("typo.toml:6:1: policy: "), "{e:?}");
    assert!(e[0].contains("unknown field `relative`"), "{e:?}");

    let text = about_1700("\n[policy]\nnearly = 1.5\n");
    let e = errors(Scenario::from_toml(&text, "wide.toml"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("wide.toml:5:10: policy: "), "{e:?}");
    assert!(e[0].contains("nearly tolerance"), "{e:?}");

    #[cfg(feature = "json")]
    {
        let json =
            "{\n  \"scenario\": {\"name\": \"j\"},\n  \"policy\": {\n    \"nerly\": 0.2\n  }\n}\n";
        let e = errors(Scenario::from_json(json, "typo.json"));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("typo.json:4:5: policy: unknown field `nerly`"),
            "{e:?}"
        );
    }

    // A key inside the approximation's table, named and placed.
    let text = about_1700("\n[policy]\napproximation = { relative = 0.1, relatve = 0.2 }\n");
    let e = errors(Scenario::from_toml(&text, "inner.toml"));
    assert_eq!(
        e,
        ["inner.toml:5:35: policy: field `approximation`: unknown field `relatve`, expected `relative`"]
    );

    // An approximation rule the crate does not know, at its table.
    let text = about_1700("\n[policy]\napproximation = \"sometimes\"\n");
    let e = errors(Scenario::from_toml(&text, "variant.toml"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("variant.toml:5:"), "{e:?}");
}

/// A claims table a scenario imports is read as the file's own claims are:
/// a claim the checker could not judge (a metric one typo from a counted
/// one) is refused, not left to vanish from the report.
#[cfg(feature = "csv")]
#[test]
fn an_imported_claim_is_checked_as_the_files_own() {
    let dir = std::env::temp_dir().join(format!("posture-import-claims-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("claims.csv"),
        "id,as_of,scope,metric,value,qualifier,source,quote\n\
         K1,2022-06-29,from:GBR in:EST,personel,1650,exact,a paper,1\n",
    )
    .unwrap();
    let text = r#"[scenario]
name = "table claims"

[[units]]
id = "uk"
name = "UK troops"
contributor = "GBR"
kind = "contingent"

[[events]]
id = "arrive"
unit = "uk"
effective = "2022-06-01"
kind = "deploy"
location = { country = "EST" }
footing = "rotational"
strength = { personnel = 1650 }

[[imports]]
file = "claims.csv"
kind = "claims"
"#;
    let file = dir.join("s.toml");
    std::fs::write(&file, text).unwrap();
    let e = errors(Scenario::from_path(&file));
    assert!(
        e.iter().any(|m| m.contains("K1") && m.contains("personel")),
        "{e:?}"
    );
    // Spelt right, it loads.
    std::fs::write(
        dir.join("claims.csv"),
        "id,as_of,scope,metric,value,qualifier,source,quote\n\
         K1,2022-06-29,from:GBR in:EST,personnel,1650,exact,a paper,1\n",
    )
    .unwrap();
    assert_eq!(Scenario::from_path(&file).unwrap().claims().len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A scenario with `countries` declared and a unit deployed in `host`.
fn in_host(countries: &str, host: &str) -> String {
    format!(
        r#"[scenario]
name = "user-assigned codes"
{countries}
[[units]]
id = "kfor"
name = "KFOR contingent"
contributor = "USA"
kind = "contingent"

[[events]]
id = "e1"
unit = "kfor"
effective = "2022-01-01"
kind = "deploy"
location = {{ country = "{host}" }}
footing = "rotational"
strength = {{ personnel = 9 }}
"#
    )
}

#[test]
fn a_declared_user_assigned_code_is_taken_and_written_back() {
    let declared = "[[countries]]\ncode = \"XSL\"\nname = \"Somaliland\"\naliases = [\"Republic of Somaliland\"]\n";
    let s = Scenario::from_toml(&in_host(declared, "XSL"), "x.toml").unwrap();
    let xsl = crate::Country::user_assigned("XSL").unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let total = s
        .ledger()
        .view()
        .total(
            &crate::Scope::all().in_country(xsl),
            &crate::Metric::PERSONNEL,
            day,
        )
        .unwrap();
    assert_eq!(total.get(), Some(9));
    assert_eq!(s.ledger().country_name(xsl), "Somaliland");
    assert_eq!(
        s.ledger().country_named("republic of somaliland"),
        Some(xsl)
    );
    let again = Scenario::from_toml(&s.to_toml().unwrap(), "again.toml").unwrap();
    assert_eq!(again.to_file(), s.to_file());
    assert_eq!(again.ledger().country_name(xsl), "Somaliland");
}

#[test]
fn an_undeclared_user_assigned_code_is_refused_at_its_place() {
    let e = errors(Scenario::from_toml(&in_host("", "XSL"), "x.toml"));
    assert_eq!(
        e,
        [
            "x.toml:15:12: event `e1`: field `location`: unknown country `XSL`: a user-assigned \
          code is taken once a `[[countries]]` record declares it"
        ]
    );
    // Kosovo's code needs no declaring.
    assert!(Scenario::from_toml(&in_host("", "XKX"), "x.toml").is_ok());
}

#[test]
fn a_country_record_without_a_name_is_refused_and_what_names_it_follows() {
    let nameless = "[[countries]]\ncode = \"XSL\"\n";
    let e = errors(Scenario::from_toml(&in_host(nameless, "XSL"), "x.toml"));
    assert_eq!(
        e,
        ["x.toml:3:1: country `XSL`: field `name`: must not be empty"],
        "the event in XSL follows from the refused record"
    );
}
