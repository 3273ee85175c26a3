//! Hostile input for every parser: nothing may panic, whatever the bytes, and
//! a scenario that loads survives a save and reload unchanged.
//!
//! These are property tests over arbitrary bytes, over mutations of valid
//! files and over generated scenario files, run in CI with a modest case
//! count. For a long run, raise it:
//! `PROPTEST_CASES=200000 cargo test --release --all-features --test fuzz`.
//! The coverage-guided fuzzer is in `fuzz/` (see `fuzz/README.md`); what it
//! found is kept in the module `found` below, with its inputs in
//! `tests/data/fuzz/`.

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

/// Uses a scenario that loaded — totals and a check — then saves it and
/// reloads the save: the reloaded scenario must equal it, in TOML and in JSON,
/// and saving it again must write the same text (the save is a fixed point).
fn exercise(s: Scenario) -> Result<(), TestCaseError> {
    let l = s.ledger();
    for day in ["1900-01-01", "2022-02-15", "2262-04-11"] {
        let day = day.parse().expect("a date");
        for metric in [Metric::PERSONNEL, Metric::SHIPS] {
            let _ = l.total(&Scope::all(), &metric, day);
        }
    }
    let _ = l.check(s.claims());
    round_trips(&s)
}

/// Saving `s` and loading the save gives back `s`, and the save of the
/// reloaded scenario is the same text, in TOML and in JSON.
fn round_trips(s: &Scenario) -> Result<(), TestCaseError> {
    let file = s.to_file();
    let toml = s
        .to_toml()
        .map_err(|e| fail(format!("no TOML save: {e}")))?;
    let again = Scenario::from_toml(&toml, "saved.toml")
        .map_err(|e| fail(format!("the TOML save does not load: {e}\n{toml}")))?;
    prop_assert!(
        again.to_file() == file,
        "TOML save and reload changed the scenario:\n{}",
        toml
    );
    let twice = again
        .to_toml()
        .map_err(|e| fail(format!("no TOML save: {e}")))?;
    prop_assert_eq!(&twice, &toml, "the TOML save is not a fixed point");

    let json = s
        .to_json()
        .map_err(|e| fail(format!("no JSON save: {e}")))?;
    let again = Scenario::from_json(&json, "saved.json")
        .map_err(|e| fail(format!("the JSON save does not load: {e}\n{json}")))?;
    prop_assert!(
        again.to_file() == file,
        "JSON save and reload changed the scenario:\n{}",
        json
    );
    let twice = again
        .to_json()
        .map_err(|e| fail(format!("no JSON save: {e}")))?;
    prop_assert_eq!(&twice, &json, "the JSON save is not a fixed point");
    Ok(())
}

fn fail(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}

/// A day in one of `years`, as files write it.
fn day(years: std::ops::RangeInclusive<u32>) -> impl Strategy<Value = String> {
    (years, 1..=12u32, 1..=28u32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
}

/// A strength, small or at the edge of what a TOML file holds (an `i64`).
fn count() -> impl Strategy<Value = u64> {
    let edge = i64::MAX.unsigned_abs();
    prop_oneof![8 => 0..5_000u64, 1 => Just(edge), 1 => (edge / 2)..=edge]
}

/// Text for a name or a quote: any characters, so that escaping is tested.
fn words() -> impl Strategy<Value = String> {
    prop_oneof![".{0,12}", "[a-z \"\\\\]{0,12}"]
}

/// A TOML string literal holding `text`.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The fields of an event after a unit's deployment.
fn later_event() -> impl Strategy<Value = String> {
    let metric = prop_oneof![3 => Just("personnel"), 1 => Just("ships")];
    let change = |kind: &'static str, amount: BoxedStrategy<u64>| {
        (metric.clone(), amount)
            .prop_map(move |(m, n)| format!("kind = \"{kind}\"\nmetric = \"{m}\"\ncount = {n}"))
    };
    let factor = prop_oneof![Just("2"), Just("0.5"), Just("1.25"), Just("0")];
    prop_oneof![
        change("reinforce", count().boxed()),
        change("reduce", (0..100u64).boxed()),
        change("set_level", count().boxed()),
        (metric.clone(), factor)
            .prop_map(|(m, f)| format!("kind = \"scale\"\nmetric = \"{m}\"\nfactor = \"{f}\"")),
        Just("kind = \"withdraw\"".to_string()),
        Just("kind = \"relocate\"\nto = { country = \"POL\" }".to_string()),
        Just("kind = \"change_footing\"\nto = \"permanent\"".to_string()),
    ]
}

/// The fields of a claim after its id, date and source.
fn claim_body() -> impl Strategy<Value = String> {
    let qualifier = prop::sample::select(vec![
        "exact",
        "approximate",
        "more_than",
        "at_least",
        "nearly",
        "up_to",
        "less_than",
        "order_of_magnitude",
    ]);
    let value = prop_oneof![
        (0..10_000u64).prop_map(|v| v.to_string()),
        Just("\"12.5\"".to_string())
    ];
    // An order of magnitude takes a power of ten; the others any figure.
    let figure = (qualifier, value, 0..5u32).prop_map(|(q, v, p)| match q {
        "order_of_magnitude" => (q, 10u64.pow(p).to_string()),
        _ => (q, v),
    });
    prop_oneof![
        figure.clone().prop_map(|(q, v)| format!(
            "kind = \"quantity\"\nscope = {{ hosts = {{ countries = [\"EST\"] }} }}\n\
             metric = \"personnel\"\nqualifier = \"{q}\"\nvalue = {v}"
        )),
        (day(2020..=2022), figure).prop_map(|(since, (q, v))| format!(
            "kind = \"change\"\nscope = {{ contributors = {{ alliances = [\"NATO\"] }} }}\n\
             metric = \"personnel\"\nsince = \"{since}\"\nratio = {{ qualifier = \"{q}\", value = {v} }}"
        )),
    ]
}

/// A unit of a generated scenario: contributor, whether it is under the unit
/// before it, whether it counts ships, its name, and the day it deploys.
type GenUnit = (&'static str, bool, bool, String, String);
/// A later event: which unit, when, its fields, whether it is in the layer,
/// and its announced and recorded dates.
type GenEvent = (usize, String, String, bool, Option<String>, Option<String>);
/// A correction of the first deployment: retract or replace, when it was
/// recorded, and the replacement's strength.
type GenCorrection = (bool, String, u64);
/// A claim: its date, quote, fields, and whether it is in the layer.
type GenClaim = (&'static str, String, String, bool);

/// A scenario file built from random parts in the file format, so that many
/// load (unlike a mutated file): names with any characters, units under
/// parents, events of every kind with edge counts, a layer, announced and
/// recorded dates, a correction, and claims.
fn generated() -> impl Strategy<Value = String> {
    let unit = (
        prop::sample::select(vec!["GBR", "USA", "NATO"]),
        any::<bool>(),
        any::<bool>(),
        words(),
        // Deployments in 2020, everything else later, so that most files load.
        day(2020..=2020),
    );
    let later = || day(2021..=2024);
    let event = (
        0..4usize,
        later(),
        later_event(),
        any::<bool>(),
        prop::option::of(later()),
        prop::option::of(later()),
    );
    let claim = (
        prop::sample::select(vec![
            "2022-06",
            "2022-06-29",
            "before 2022-02-24",
            "2021-01-01..2022-12-31",
        ]),
        words(),
        claim_body(),
        any::<bool>(),
    );
    (
        words(),
        prop::collection::vec(unit, 1..4),
        prop::collection::vec(event, 0..8),
        prop::option::of((any::<bool>(), later(), count())),
        prop::collection::vec(claim, 0..3),
    )
        .prop_map(|(name, units, events, correction, claims)| {
            scenario_text(&name, &units, &events, correction, &claims)
        })
}

/// Writes a generated scenario as a TOML file.
fn scenario_text(
    name: &str,
    units: &[GenUnit],
    events: &[GenEvent],
    correction: Option<GenCorrection>,
    claims: &[GenClaim],
) -> String {
    let mut f = format!(
        "[scenario]\nname = {}\ndescription = {}\n\n\
         [[regions]]\nid = \"baltic\"\nname = \"Baltic\"\n\
         members = [{{ country = \"EST\" }}, {{ country = \"LVA\", from = \"2021-01-01\" }}]\n\n\
         [[alliances]]\nid = \"NATO\"\nname = \"NATO\"\n\
         members = [{{ country = \"GBR\", joined = \"1949-08-24\" }}, {{ country = \"USA\", joined = \"1949-08-24\" }}]\n\n\
         [[bases]]\nid = \"tapa\"\nname = \"Tapa\"\nhost = \"EST\"\n\n\
         [[layers]]\nid = \"pledged\"\ndescription = {}\n\n",
        quoted(name),
        quoted(&name.chars().rev().collect::<String>()),
        quoted(name),
    );
    for (i, (contributor, parent, ships, unit_name, _)) in units.iter().enumerate() {
        f.push_str(&format!(
            "[[units]]\nid = \"u{i}\"\nname = {}\ncontributor = \"{contributor}\"\nkind = \"land\"\n",
            quoted(unit_name)
        ));
        if *parent && i > 0 {
            f.push_str(&format!("parent = \"u{}\"\n", i - 1));
        }
        if *ships {
            f.push_str("metrics = [\"personnel\", \"ships\"]\n");
        }
        f.push('\n');
    }
    for (i, (.., date)) in units.iter().enumerate() {
        let location = if i % 2 == 0 {
            "{ base = \"tapa\" }"
        } else {
            "{ region = \"baltic\" }"
        };
        // A parent holds at least what its subunits hold.
        f.push_str(&format!(
            "[[events]]\nid = \"d{i}\"\nunit = \"u{i}\"\neffective = \"{date}\"\nkind = \"deploy\"\n\
             location = {location}\nfooting = \"rotational\"\nstrength = {{ personnel = {} }}\n\n",
            1_000 * (units.len() - i)
        ));
    }
    for (i, (unit, date, body, layered, announced, recorded)) in events.iter().enumerate() {
        f.push_str(&format!(
            "[[events]]\nid = \"e{i}\"\nunit = \"u{}\"\neffective = \"{date}\"\n{body}\n",
            unit % units.len()
        ));
        if *layered {
            f.push_str("layer = \"pledged\"\n");
        }
        if let Some(a) = announced {
            f.push_str(&format!("announced = \"{a}\"\n"));
        }
        if let Some(r) = recorded {
            f.push_str(&format!("recorded = \"{r}\"\n"));
        }
        f.push('\n');
    }
    if let Some((retract, recorded, n)) = correction {
        f.push_str(&format!(
            "[[corrections]]\nid = \"fix\"\ncorrects = \"d0\"\nrecorded = \"{recorded}\"\nreason = \"fuzz\"\n"
        ));
        if retract {
            f.push_str("amend = \"retract\"\n\n");
        } else {
            f.push_str(&format!(
                "amend = \"replace\"\neffective = \"{}\"\nkind = \"deploy\"\nlocation = {{ country = \"EST\" }}\n\
                 footing = \"permanent\"\nstrength = {{ personnel = {n} }}\n\n",
                units[0].4
            ));
        }
    }
    for (i, (as_of, quote, body, layered)) in claims.iter().enumerate() {
        f.push_str(&format!(
            "[[claims]]\nid = \"c{i}\"\nas_of = \"{as_of}\"\n\
             source = {{ document = \"d\", line = {}, quote = {} }}\n{body}\n",
            i + 1,
            quoted(quote)
        ));
        if *layered {
            f.push_str("layer = \"pledged\"\n");
        }
        f.push('\n');
    }
    f
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn scenario_toml_from_arbitrary_text(text in ".{0,400}") {
        if let Ok(s) = Scenario::from_toml(&text, "fuzz.toml") {
            exercise(s)?;
        }
    }

    #[test]
    fn scenario_toml_mutated(text in mutated(SMALL_SCENARIO)) {
        if let Ok(s) = Scenario::from_toml(&text, "fuzz.toml") {
            exercise(s)?;
        }
    }

    #[test]
    fn the_bundled_scenario_mutated(text in mutated(scenario::MADRID_2022)) {
        if let Ok(s) = Scenario::from_toml(&text, "fuzz.toml") {
            exercise(s)?;
        }
    }

    #[test]
    fn scenario_json_from_arbitrary_and_mutated_text(
        text in ".{0,300}",
        json in mutated(r#"{"scenario":{"name":"x"},"units":[{"id":"u","name":"U","contributor":"GBR","kind":"land"}],"events":[{"id":"e","unit":"u","effective":"2022-01-01","kind":"deploy","location":{"country":"EST"},"footing":"permanent","strength":{"personnel":5}}]}"#),
    ) {
        let _ = Scenario::from_json(&text, "fuzz.json");
        if let Ok(s) = Scenario::from_json(&json, "fuzz.json") {
            exercise(s)?;
        }
    }

    #[test]
    fn generated_scenarios_that_load_survive_a_save_and_reload(text in generated()) {
        if let Ok(s) = Scenario::from_toml(&text, "generated.toml") {
            exercise(s)?;
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

    #[test]
    fn phrases_from_arbitrary_and_mutated_text(
        text in prop_oneof![".{0,400}", mutated(MADRID_REPORT)],
    ) {
        for reading in posture_ledger::phrase::read(&text) {
            let span = reading.span();
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            prop_assert_eq!(text.get(span), Some(reading.words()));
            prop_assert!(reading.line_column(&text).is_some());
            let _ = reading.interval(&posture_ledger::TolerancePolicy::default());
            let _ = reading.value().to_string();
        }
    }
}

/// The Madrid report, for the phrase reader.
const MADRID_REPORT: &str = include_str!("data/madrid-summit-2022.txt");

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

    /// A JSON file held a count above `i64::MAX`, the largest integer TOML
    /// holds: it loaded, and its TOML save did not reload ("u64 value was too
    /// large", naming no record). Counts are now 0 to `i64::MAX` on every
    /// input, so the file is refused, naming the field.
    #[test]
    fn json_count_above_what_toml_holds_is_refused_naming_its_field() {
        let text = include_str!("data/fuzz/count-beyond-toml.json");
        let e = Scenario::from_json(text, "big.json").expect_err("refused");
        let posture_ledger::Error::Scenario(s) = &e else {
            panic!("not a scenario error: {e}");
        };
        assert!(
            s.diagnostics()
                .iter()
                .any(|d| d.message.contains("field `") && d.message.contains("invalid count")),
            "{e}"
        );
    }

    #[test]
    fn as_of_month_with_a_five_digit_year_is_refused_not_saved_unreadable() {
        // The fuzzer's input, `20205-9`: seven characters, so it was read as a
        // month, and written back as `20205-09`, which does not read.
        let text = include_str!("data/fuzz/as-of-five-digit-year.txt");
        assert_eq!(text, "20205-9");
        match text.parse::<AsOf>() {
            Err(e) => assert!(e.to_string().contains("as-of date `20205-9`"), "{e}"),
            Ok(a) => assert_eq!(
                a.to_string().parse::<AsOf>().ok(),
                Some(a),
                "{a} does not read back"
            ),
        }
        // In a file, the claim is refused with its field and line, rather than
        // loading and saving a file that does not load.
        let file = SMALL_SCENARIO.replace("as_of = \"2022-02\"", &format!("as_of = \"{text}\""));
        let e = Scenario::from_toml(&file, "f.toml").expect_err("refused");
        assert!(e.to_string().contains("claim `c`"), "{e}");
        assert!(e.to_string().contains("as_of"), "{e}");
        for odd in ["+2022-1", "2022-1x", "202-011", "-2022-1"] {
            assert!(odd.parse::<AsOf>().is_err(), "{odd} is not `YYYY-MM`");
        }
        assert_eq!("2022-06".parse::<AsOf>().ok(), AsOf::month(2022, 6).ok());
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
