//! End-to-end tests of `posture extract` on the Madrid report: the figures
//! it lists, with their lines and intervals as the library computes them,
//! the places it guesses, and draft claims that load once completed.
//!
//! Run with `cargo test --features cli --test extract` (or `--all-features`).

#![cfg(feature = "cli")]

use assert_cmd::cargo::cargo_bin_cmd;
use posture_ledger::phrase;
use posture_ledger::scenario::{self, Scenario};
use posture_ledger::TolerancePolicy;
use serde_json::Value;

const MADRID: &str = "tests/data/madrid-summit-2022.txt";

/// Runs `posture` with `args` and `stdin`; returns its status, stdout and stderr.
fn posture(args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = cargo_bin_cmd!("posture")
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().expect("an exit code"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr,
    )
}

fn article() -> String {
    std::fs::read_to_string(MADRID).expect("the Madrid report is in tests/data")
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["extract"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = posture(&all, "");
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("JSON on stdout")
}

#[test]
fn extract_reads_the_phrases_under_the_policy_given() {
    let text = article();
    let ledger = scenario::madrid_2022().expect("bundled").into_ledger();
    let settings = "approximation=relative:0.1,nearly=0.05";
    let policy: TolerancePolicy = settings.parse().expect("a policy");
    let expected = phrase::extract(&text, &ledger, &policy);
    let default = phrase::extract(&text, &ledger, &TolerancePolicy::default());
    let out = json(&[MADRID, "--policy", settings]);
    let phrases = out["phrases"].as_array().expect("phrases");
    assert_eq!(phrases.len(), expected.len());
    let mut changed = 0;
    for ((p, e), d) in phrases.iter().zip(&expected).zip(&default) {
        assert_eq!(p["words"], e.reading().words());
        let interval = e.interval().expect("every Madrid figure has an interval");
        assert_eq!(p["interval"]["text"], interval.to_string());
        changed += usize::from(e.interval() != d.interval());
    }
    // "some 3,700" and "nearly 20,000" are among those read otherwise.
    assert!(changed >= 2, "{changed} intervals changed");
    let (code, stdout, stderr) = posture(&["extract", MADRID, "--policy", "nearly=1"], "");
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("--policy: invalid nearly tolerance (in (0, 1)): 1"),
        "{stderr}"
    );
}

#[test]
fn extract_lists_every_figure_of_the_report_with_its_line_and_interval() {
    let text = article();
    let ledger = scenario::madrid_2022().expect("bundled").into_ledger();
    let expected = phrase::extract(&text, &ledger, &TolerancePolicy::default());
    assert!(expected.len() >= 15, "the report has its claims' figures");
    let out = json(&[MADRID]);
    assert_eq!(out["command"], "extract");
    assert_eq!(out["schema_version"], 2);
    let phrases = out["phrases"].as_array().expect("phrases");
    assert_eq!(phrases.len(), expected.len());
    for (p, e) in phrases.iter().zip(&expected) {
        assert_eq!(p["line"], e.line());
        assert_eq!(p["column"], e.column());
        assert_eq!(p["words"], e.reading().words());
        let interval = e.interval().expect("every Madrid figure has an interval");
        assert_eq!(p["interval"]["text"], interval.to_string());
    }
    // The figures of claims C2, C4, C10 and C12, found where the report has them.
    for (line, words) in [
        (2, "4,000-strong"),
        (4, "1,650"),
        (28, "some 3,700"),
        (51, "More than 100,000"),
        (51, "an increase of nearly 20,000"),
        (6, "from four to six"),
        (8, "more than doubling"),
    ] {
        assert!(
            phrases
                .iter()
                .any(|p| p["line"] == line && p["words"] == words),
            "{words:?} on line {line}"
        );
    }

    // The table prints each phrase's line:col, words and interval.
    let (code, table, _) = posture(&["extract", MADRID], "");
    assert_eq!(code, 0);
    for e in &expected {
        let row = table
            .lines()
            .find(|l| l.starts_with(&format!("{}:{} ", e.line(), e.column())))
            .unwrap_or_else(|| panic!("a row for {}:{}", e.line(), e.column()));
        assert!(row.contains(e.reading().words()), "{row}");
        assert!(
            row.contains(&e.interval().expect("interval").to_string()),
            "{row}"
        );
    }
}

#[test]
fn extract_guesses_the_places_the_sentences_name() {
    let out = json(&[MADRID]);
    let phrases = out["phrases"].as_array().expect("phrases");
    let find = |line: u64, words: &str| {
        phrases
            .iter()
            .find(|p| p["line"] == line && p["words"] == words)
            .unwrap_or_else(|| panic!("{words:?} on line {line}"))
            .clone()
    };
    // "1,650 troops stationed in Estonia", by "Britain".
    let uk = find(4, "1,650");
    assert_eq!(uk["hosts"]["countries"], serde_json::json!(["EST"]));
    assert!(uk["others"]["countries"]
        .as_array()
        .expect("countries")
        .contains(&"GBR".into()));
    // "Aspirations in the Baltic states" (line 5) has no figure; line 28 lists the
    // three countries; "the Baltic states" is named on line 3 and line 5.
    let baltic = find(28, "some 3,700");
    assert_eq!(
        baltic["hosts"]["countries"],
        serde_json::json!(["EST", "LTU", "LVA"])
    );
    assert!(baltic["others"]["alliances"]
        .as_array()
        .expect("alliances")
        .contains(&"NATO".into()));
    // "across Europe" → the bundled scenario's region `europe`.
    let europe = find(51, "More than 100,000");
    assert_eq!(europe["hosts"]["regions"], serde_json::json!(["europe"]));
    let place = europe["places"]
        .as_array()
        .expect("places")
        .iter()
        .find(|p| p["place"] == "europe")
        .expect("Europe named")
        .clone();
    assert_eq!(place["kind"], "region");
    assert_eq!(place["role"], "host");
    assert_eq!(place["words"], "Europe");

    // "the Baltic states" by name: from a text on stdin.
    let (code, stdout, stderr) = posture(
        &["extract", "-", "--format", "json"],
        "NATO wants 50,000 troops stationed in the Baltic states.",
    );
    assert_eq!(code, 0, "{stderr}");
    let out: Value = serde_json::from_str(&stdout).expect("JSON");
    let p = &out["phrases"][0];
    assert_eq!(p["hosts"]["regions"], serde_json::json!(["baltic-states"]));
    assert_eq!(p["places"][1]["words"], "the Baltic states");
    assert_eq!(p["others"]["alliances"], serde_json::json!(["NATO"]));
    assert_eq!(out["article"], "-");
    assert_eq!(out["document"], "stdin");
}

/// The draft with every `# to fill` line filled with `value`, as a person would.
fn filled(draft: &str, key: &str, value: &str) -> String {
    draft
        .lines()
        .map(|l| {
            if l.starts_with(&format!("# {key} = ")) && l.contains("# to fill") {
                format!("{key} = {value}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn draft_claims_load_into_the_bundled_scenario_once_the_marked_blanks_are_filled() {
    let (code, draft, stderr) = posture(
        &[
            "extract",
            MADRID,
            "--reported",
            "2022-06-29",
            "--document",
            "madrid-summit-2022",
            "--format",
            "toml",
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    let text = article();
    let ledger = scenario::madrid_2022().expect("bundled").into_ledger();
    let expected = phrase::extract(&text, &ledger, &TolerancePolicy::default());
    assert_eq!(draft.matches("[[claims]]").count(), expected.len());
    assert!(draft.contains("# to confirm"), "{draft}");
    assert!(draft.contains(
        "source = { document = \"madrid-summit-2022\", reported = \"2022-06-29\", line = 4, quote = \"1,650\" }"
    ));

    // As written, the draft does not load: some phrases have no metric to guess.
    let with = |claims: &str| format!("{}\n{claims}", scenario::MADRID_2022);
    let unfilled = Scenario::from_toml(&with(&draft), "draft.toml");
    let problems = unfilled.expect_err("blanks left").to_string();
    assert!(problems.contains("missing field `metric`"), "{problems}");

    // Filled where it says "to fill", and nowhere else, it loads.
    let complete = filled(&draft, "metric", "\"personnel\"");
    let scenario = Scenario::from_toml(&with(&complete), "draft.toml")
        .unwrap_or_else(|e| panic!("the completed draft loads: {e}"));
    let bundled = scenario::madrid_2022().expect("bundled").claims().len();
    assert_eq!(scenario.claims().len(), bundled + expected.len());

    // Without --reported, `as_of` is a blank to fill too.
    let (_, undated, _) = posture(&["extract", MADRID, "--format", "toml"], "");
    let undated = filled(
        &filled(&undated, "metric", "\"personnel\""),
        "as_of",
        "\"2022-06-29\"",
    );
    assert!(Scenario::from_toml(&with(&undated), "draft.toml").is_ok());
}

#[test]
fn extract_writes_csv_rows_and_refuses_a_missing_article() {
    let (code, csv, _) = posture(&["extract", MADRID, "--format", "csv"], "");
    assert_eq!(code, 0);
    let text = article();
    let ledger = scenario::madrid_2022().expect("bundled").into_ledger();
    let expected = phrase::extract(&text, &ledger, &TolerancePolicy::default());
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("line,column,words,value,qualifier,interval,metric,metric_from,hosts,others")
    );
    assert_eq!(lines.count(), expected.len());
    let uk = expected
        .iter()
        .find(|e| e.reading().words() == "1,650")
        .expect("1,650 troops");
    let interval = uk.interval().expect("interval").to_string();
    let row = format!(
        "{},{},\"1,650\",\"{}\",exact,\"{interval}\",personnel,noun,EST,",
        uk.line(),
        uk.column(),
        uk.reading().value()
    );
    assert!(csv.contains(&row), "{row} in {csv}");

    let (code, stdout, stderr) = posture(&["extract", "tests/data/no-such-article.txt"], "");
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("error: tests/data/no-such-article.txt"),
        "{stderr}"
    );
}
