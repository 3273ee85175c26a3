//! Hostile input for every parser: nothing may panic, whatever the bytes.
//!
//! These are property tests over arbitrary bytes and over mutations of valid
//! files, run in CI with a modest case count. For a long run, raise it:
//! `PROPTEST_CASES=200000 cargo test --release --all-features --test fuzz`.
//! The figures of the last long run are in `benches/README.md`.

use posture_ledger::claim::AsOf;
use posture_ledger::scenario::{self, Scenario};
use posture_ledger::{Count, Country, Metric, Scope};
use proptest::prelude::*;

/// The case count: 256 in CI, or `PROPTEST_CASES` for a long run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256)
}

/// A valid file with a few bytes changed, inserted or removed: closer to the
/// inputs that reach deep into a parser than random bytes are.
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    let len = base.len();
    prop::collection::vec((0..len.max(1), any::<u8>(), 0..3u8), 1..8).prop_map(move |edits| {
        let mut bytes = base.as_bytes().to_vec();
        for (at, byte, op) in edits {
            let at = at.min(bytes.len());
            match op {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

const SMALL_SCENARIO: &str = r#"[scenario]
name = "fuzz"

[[regions]]
id = "r"
name = "R"
members = [{ country = "EST" }, { country = "LVA", from = "2004-03-29" }]

[[alliances]]
id = "NATO"
name = "NATO"
members = [{ country = "GBR", joined = "1949-08-24" }]

[[bases]]
id = "b"
name = "B"
host = "ESP"

[[units]]
id = "p"
name = "P"
contributor = "NATO"
kind = "battlegroup"

[[units]]
id = "u"
name = "U"
contributor = "GBR"
kind = "land"
parent = "p"
metrics = ["personnel", "ships"]

[[layers]]
id = "l"

[[events]]
id = "e1"
unit = "u"
effective = "2022-01-01"
kind = "deploy"
location = { base = "b" }
footing = "rotational"
strength = { personnel = 100, ships = 2 }

[[events]]
id = "e2"
unit = "p"
effective = "2022-02-01"
kind = "deploy"
location = { region = "r" }
footing = "permanent"
strength = { personnel = 400 }

[[events]]
id = "e3"
unit = "u"
layer = "l"
effective = "2022-03-01"
kind = "scale"
metric = "personnel"
factor = "2.5"

[[claims]]
id = "c"
as_of = "2022-02"
source = { document = "d", line = 1 }
kind = "change"
scope = { hosts = { regions = ["r"] } }
metric = "personnel"
since = "before 2022-01-15"
after = { qualifier = "more_than", value = 100 }
ratio = { qualifier = "nearly", value = "4" }
"#;

#[cfg(feature = "csv")]
const LEVELS: &str = "date,contributor,host,metric,value,footing\n\
                      2022-01-01,USA,DEU,personnel,\"35,000\",permanent\n\
                      2022-06-01,NATO,POL,personnel,100,rotational\n";

#[cfg(feature = "csv")]
const CHANGES: &str = "date,event,unit,contributor,host,metric,amount\n\
                       2022-01-01,deploy,u,GBR,EST,personnel,900\n\
                       2022-02-01,reduce,u,GBR,EST,personnel,100\n";

/// Loads a scenario and, when it loads, uses it: totals and a check.
fn exercise(s: Scenario) {
    let l = s.ledger();
    for day in ["1900-01-01", "2022-02-15", "2262-04-11"] {
        let day = day.parse().expect("a date");
        for metric in [Metric::PERSONNEL, Metric::SHIPS] {
            let _ = l.total(&Scope::all(), &metric, day);
        }
    }
    let _ = l.check(s.claims());
    let _ = s.to_toml().map(|t| Scenario::from_toml(&t, "again"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn scenario_toml_from_arbitrary_text(text in ".{0,400}") {
        if let Ok(s) = Scenario::from_toml(&text, "fuzz.toml") {
            exercise(s);
        }
    }

    #[test]
    fn scenario_toml_mutated(text in mutated(SMALL_SCENARIO)) {
        if let Ok(s) = Scenario::from_toml(&text, "fuzz.toml") {
            exercise(s);
        }
    }

    #[test]
    fn the_bundled_scenario_mutated(text in mutated(scenario::MADRID_2022)) {
        if let Ok(s) = Scenario::from_toml(&text, "fuzz.toml") {
            exercise(s);
        }
    }

    #[test]
    fn scenario_json_from_arbitrary_and_mutated_text(
        text in ".{0,300}",
        json in mutated(r#"{"scenario":{"name":"x"},"units":[{"id":"u","name":"U","contributor":"GBR","kind":"land"}],"events":[{"id":"e","unit":"u","effective":"2022-01-01","kind":"deploy","location":{"country":"EST"},"footing":"permanent","strength":{"personnel":5}}]}"#),
    ) {
        let _ = Scenario::from_json(&text, "fuzz.json");
        if let Ok(s) = Scenario::from_json(&json, "fuzz.json") {
            exercise(s);
        }
    }

    #[test]
    fn small_parsers_from_arbitrary_text(text in ".{0,40}") {
        let _ = text.parse::<AsOf>();
        let _ = text.parse::<Count>();
        let _ = text.parse::<Metric>();
        let _ = Country::new(&text);
        let ledger = scenario::madrid_2022().expect("loads").into_ledger();
        let _ = Scope::parse(&text, &ledger);
    }
}

#[cfg(feature = "csv")]
mod csv {
    use super::*;
    use posture_ledger::import::{changes_csv, levels_csv, ImportOptions};
    use posture_ledger::Ledger;

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        #[test]
        fn csv_imports_from_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let mut l = Ledger::new();
            let _ = levels_csv(&bytes[..], &mut l, &ImportOptions::new("fuzz.csv"));
            let _ = changes_csv(&bytes[..], &mut l, &ImportOptions::new("fuzz.csv"));
        }

        #[test]
        fn csv_imports_mutated(levels in mutated(LEVELS), changes in mutated(CHANGES)) {
            let mut l = scenario::madrid_2022().expect("loads").into_ledger();
            let before = l.events().len();
            if levels_csv(levels.as_bytes(), &mut l, &ImportOptions::new("fuzz.csv")).is_err() {
                prop_assert_eq!(l.events().len(), before, "a refused import changed the ledger");
            }
            let _ = changes_csv(changes.as_bytes(), &mut l, &ImportOptions::new("fuzz2.csv"));
        }
    }
}

/// Inputs the coverage-guided fuzzer (`fuzz/`) found, minimized, each kept with
/// the behaviour it should have had.
mod found {
    use super::*;

    /// Checks that every diagnostic of a refused file counts lines and columns from 1.
    fn places_count_from_one(e: &posture_ledger::Error) {
        let posture_ledger::Error::Scenario(s) = e else {
            panic!("not a scenario error: {e}");
        };
        assert!(!s.diagnostics().is_empty(), "{e}");
        for d in s.diagnostics() {
            assert_ne!(d.line, Some(0), "{d}");
            assert_ne!(d.column, Some(0), "{d}");
        }
    }

    #[test]
    fn json_syntax_error_at_the_start_of_a_line_is_at_column_1_not_0() {
        // The fuzzer's input: an empty file. serde_json puts its end at column 0.
        let empty = include_str!("data/fuzz/empty.json");
        let e = Scenario::from_json(empty, "empty.json").expect_err("an empty file is refused");
        places_count_from_one(&e);
        assert_eq!(e.to_string(), "empty.json:1:1: EOF while parsing a value");
        // The same at the start of a later line.
        let e = Scenario::from_json("{\n", "open.json").expect_err("refused");
        places_count_from_one(&e);
        assert_eq!(e.to_string(), "open.json:2:1: EOF while parsing an object");
    }
}
