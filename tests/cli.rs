//! End-to-end tests of the `posture` binary: each command on the bundled
//! scenario and on broken input, with the figures it prints checked against
//! the library's.
//!
//! Run with `cargo test --features cli --test cli` (or `--all-features`).

#![cfg(feature = "cli")]

use std::path::PathBuf;

use assert_cmd::cargo::cargo_bin_cmd;
use chrono::NaiveDate;
use posture_ledger::{scenario, CheckOptions, LayerId, Metric, Register, Scope};
use predicates::prelude::*;
use serde_json::Value;

const BROKEN: &str = "tests/data/cli/broken.toml";
const SYNTAX: &str = "tests/data/cli/syntax.toml";
const AGREEING: &str = "tests/data/cli/agreeing.toml";
const POLICY: &str = "tests/data/cli/policy.toml";
const SUMMIT: &str = "2022-06-29";

/// Runs `posture` with `args` and returns its exit status, stdout and stderr.
fn posture(args: &[&str]) -> (i32, String, String) {
    let out = cargo_bin_cmd!("posture")
        .args(args)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    (
        out.status.code().expect("an exit code"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr,
    )
}

/// Runs `posture` with `args` and `--format json`, expecting `status`.
fn json(args: &[&str], status: i32) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = posture(&all);
    assert_eq!(code, status, "{stderr}");
    serde_json::from_str(&stdout).expect("JSON on stdout")
}

/// Asserts that `args` is refused as unusable input: exit status 2, nothing on
/// stdout, and every stderr line one message containing one of `expected`, in order.
fn refused(args: &[&str], expected: &[&str]) {
    let (code, stdout, stderr) = posture(args);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.is_empty()).collect();
    let messages: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(messages.len(), expected.len(), "{stderr}");
    for (m, e) in messages.iter().zip(expected) {
        assert!(m.contains(e), "{m:?} should contain {e:?}");
    }
}

/// Asserts that clap refuses `args` as a misuse, with usage help: exit
/// status 2, nothing on stdout, and `expected` on stderr.
fn misused(args: &[&str], expected: &str) {
    let (code, stdout, stderr) = posture(args);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(expected),
        "{stderr}"
    );
}

/// The three problems of `broken.toml`, each at its record's line.
const BROKEN_PROBLEMS: [&str; 3] = [
    "broken.toml:11:15: unit `ghost-force`: field `contributor`: unknown alliance `PHANTOM`",
    "broken.toml:31:8: event `nobody`: field `unit`: unknown unit `no-such-unit`",
    "broken.toml:41:9: event `too-many`: field `count`: strength would fall below zero",
];

fn tmp(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

fn scope(text: &str) -> (posture_ledger::Ledger, Scope) {
    let ledger = scenario::madrid_2022().unwrap().into_ledger();
    let scope = Scope::parse(text, &ledger).unwrap();
    (ledger, scope)
}

#[test]
fn totals_prints_a_row_per_host_and_the_whole() {
    let (code, stdout, _) = posture(&["totals", "--at", SUMMIT]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "Madrid 2022 · totals at the end of 2022-06-29 · baseline"
    );
    assert!(lines[2].starts_with("scope") && lines[2].ends_with("headquarters"));
    // Each row's personnel as the library totals it.
    let (ledger, _) = scope("");
    let date = SUMMIT.parse().unwrap();
    for (label, query) in [("in EST", "in:EST"), ("everything", "all")] {
        let s = Scope::parse(query, &ledger).unwrap();
        let personnel = ledger.total(&s, &Metric::PERSONNEL, date).unwrap();
        let line = stdout
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} row: {stdout}"));
        assert_eq!(
            line.split_whitespace().nth(label.split(' ').count()),
            Some(personnel.to_string().as_str()),
            "{stdout}"
        );
    }
    // Hosts overlap (a region holds its countries): the table says so.
    assert!(
        stdout.contains("the last row is the whole scope, not their sum"),
        "{stdout}"
    );
}

#[test]
fn totals_json_matches_the_library() {
    let v = json(&["totals", "--at", SUMMIT], 0);
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["command"], "totals");
    assert_eq!(v["by"], "host");
    assert_eq!(v["layer"], Value::Null);
    let (ledger, _) = scope("");
    let date = SUMMIT.parse().unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["group"] == "baltic-states"));
    for row in rows.iter().chain([&v["total"]]) {
        let s = Scope::parse(row["query"].as_str().unwrap(), &ledger).unwrap();
        assert_eq!(row["scope"], s.to_string());
        for (metric, count) in row["totals"].as_object().unwrap() {
            let m = Metric::new(metric).unwrap();
            assert_eq!(
                *count,
                serde_json::to_value(ledger.total(&s, &m, date).unwrap()).unwrap()
            );
        }
    }
    assert_eq!(v["total"]["group"], Value::Null);
    assert_eq!(v["total"]["query"], "all");
}

#[test]
fn totals_with_a_scope_a_layer_and_a_metric() {
    let args = [
        "totals",
        "--at",
        SUMMIT,
        "--scope",
        "from:NATO in:baltic-states kind:battlegroup",
        "--layer",
        "requested",
        "--metric",
        "personnel",
    ];
    let v = json(&args, 0);
    assert_eq!(v["rows"], Value::Array(vec![]));
    // The request, in place of the battlegroups there.
    assert_eq!(v["total"]["totals"]["personnel"]["count"], 50_000);
    assert_eq!(v["metrics"], serde_json::json!(["personnel"]));
    let v = json(&["totals", "--at", SUMMIT, "--by", "footing"], 0);
    let groups: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["group"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["permanent", "rotational"]);
}

#[test]
fn totals_refuses_unusable_input() {
    refused(&["totals", BROKEN, "--at", SUMMIT], &BROKEN_PROBLEMS);
    refused(
        &["totals", SYNTAX, "--at", SUMMIT],
        &["syntax.toml:3:17: invalid basic string"],
    );
    refused(
        &["totals", "tests/data/cli/missing.toml", "--at", SUMMIT],
        &["cannot read tests/data/cli/missing.toml"],
    );
    refused(&["totals", "--at", "29/06/2022"], &["YYYY-MM-DD"]);
    refused(&["totals", "--at", "2022-02-30"], &["no such day"]);
    refused(
        &["totals", "--at", SUMMIT, "--scope", "in:atlantis"],
        &["--scope `in:atlantis`: unknown region `atlantis"],
    );
    refused(
        &["totals", "--at", SUMMIT, "--scope", "EST"],
        &["invalid scope term `EST`"],
    );
    refused(
        &["totals", "--at", SUMMIT, "--layer", "wished"],
        &["unknown layer `wished`: the scenario's layers are requested, pledged"],
    );
    refused(
        &["totals", "--at", SUMMIT, "--metric", "tanks"],
        &["no unit is counted in `tanks`"],
    );
    refused(
        &[
            "totals", "--at", SUMMIT, "--scope", "in:EST", "--by", "host",
        ],
        &["--by host cannot split a scope that already filters by host"],
    );
    misused(
        &["totals", "--at", "2022-6-29"],
        "expected a date as YYYY-MM-DD",
    );
    misused(
        &["totals", "--at", SUMMIT, "--by", "colour"],
        "[possible values: host, contributor, footing, kind]",
    );
}

#[test]
fn totals_reads_json_scenarios_too() {
    let path = tmp("madrid.json");
    std::fs::write(&path, scenario::madrid_2022().unwrap().to_json().unwrap()).unwrap();
    let from_json = json(&["totals", path.to_str().unwrap(), "--at", SUMMIT], 0);
    let bundled = json(&["totals", "--at", SUMMIT], 0);
    assert_eq!(from_json, bundled);
}

#[test]
fn diff_between_two_dates() {
    let (code, stdout, _) = posture(&["diff", "--from", "2022-02-23", "--to", SUMMIT]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with(
        "Madrid 2022 · baseline at the end of 2022-02-23 → baseline at the end of 2022-06-29\n"
    ));
    let (ledger, _) = scope("");
    let c = ledger
        .compare(
            &Scope::all(),
            &Metric::PERSONNEL,
            "2022-02-23".parse().unwrap(),
            SUMMIT.parse().unwrap(),
        )
        .unwrap();
    let line = stdout
        .lines()
        .find(|l| l.starts_with("everything") && l.contains("personnel"))
        .unwrap_or_else(|| panic!("{stdout}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cells[2..4],
        [c.before().to_string(), c.after().to_string()],
        "{stdout}"
    );
    let v = json(&["diff", "--from", "2022-02-23", "--to", SUMMIT], 0);
    for row in v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["total"].as_array().unwrap())
    {
        let s = Scope::parse(row["query"].as_str().unwrap(), &ledger).unwrap();
        let m = Metric::new(row["metric"].as_str().unwrap()).unwrap();
        let c = ledger
            .compare(
                &s,
                &m,
                "2022-02-23".parse().unwrap(),
                SUMMIT.parse().unwrap(),
            )
            .unwrap();
        assert_eq!(row["before"], serde_json::to_value(c.before()).unwrap());
        assert_eq!(row["after"], serde_json::to_value(c.after()).unwrap());
        assert_eq!(row["change"].as_i64().map(i128::from), c.change());
        assert_eq!(
            row["ratio"].as_str().map(String::from),
            c.ratio().map(|r| r.to_string())
        );
    }
    assert!(
        stdout.contains("the last rows are the whole scope, not their sum"),
        "{stdout}"
    );
}

#[test]
fn diff_against_a_layer() {
    let args = [
        "diff",
        "--to",
        SUMMIT,
        "--layer",
        "requested",
        "--scope",
        "from:NATO in:baltic-states kind:battlegroup",
    ];
    let (code, stdout, _) = posture(&args);
    assert_eq!(code, 0);
    let (ledger, s) = scope("from:NATO in:baltic-states kind:battlegroup");
    let c = ledger
        .what_if(
            &LayerId::new("requested").unwrap(),
            &s,
            &Metric::PERSONNEL,
            SUMMIT.parse().unwrap(),
        )
        .unwrap();
    let line = stdout
        .lines()
        .find(|l| l.starts_with("NATO in the Baltic states, battlegroup  personnel"))
        .unwrap_or_else(|| panic!("{stdout}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cells[cells.len() - 4..cells.len() - 2],
        [c.before().to_string(), c.after().to_string()],
        "{stdout}"
    );
    let v = json(&args, 0);
    assert_eq!(
        v["before"],
        serde_json::json!({"date": SUMMIT, "layer": null})
    );
    assert_eq!(
        v["after"],
        serde_json::json!({"date": SUMMIT, "layer": "requested"})
    );
    let total = &v["total"][0];
    assert_eq!(total["metric"], "personnel");
    assert_eq!(total["before"], serde_json::to_value(c.before()).unwrap());
    assert_eq!(total["after"], serde_json::to_value(c.after()).unwrap());
    assert_eq!(
        total["ratio"].as_str().map(String::from),
        c.ratio().map(|r| r.to_string())
    );
    // Only the metrics with something on either side.
    assert_eq!(v["total"].as_array().unwrap().len(), 1);
}

#[test]
fn diff_refuses_unusable_input() {
    refused(
        &["diff", BROKEN, "--from", "2022-01-01", "--to", SUMMIT],
        &BROKEN_PROBLEMS,
    );
    refused(
        &["diff", "--to", SUMMIT],
        &["diff needs --from, or --layer"],
    );
    refused(
        &["diff", "--from", "2022-1-1", "--to", SUMMIT],
        &["YYYY-MM-DD"],
    );
    refused(
        &["diff", "--to", SUMMIT, "--layer", "Not A Layer"],
        &["invalid layer id"],
    );
}

#[test]
fn check_on_the_bundled_scenario_finds_its_conflict() {
    let (code, stdout, _) = posture(&["check"]);
    assert_eq!(
        code, 1,
        "the report calls Biden both President and Vice President"
    );
    let ledger = scenario::madrid_2022().unwrap();
    let report = ledger.ledger().check(ledger.claims()).unwrap();
    // The command prints the report with the ledger's names.
    let named = report.named(ledger.ledger()).to_string();
    assert!(stdout.starts_with(&named), "{stdout}");
    assert!(named.contains("in the Baltic states") && !named.contains("baltic-states"));
    assert!(stdout.starts_with("CONFLICTING"));
    let summary = stdout.lines().last().unwrap();
    assert_eq!(
        summary,
        format!(
            "Madrid 2022: 26 claims, {} findings: {} conflicting, {} unverifiable, {} consistent",
            report.findings().len(),
            report
                .with_verdict(posture_ledger::Verdict::Conflicting)
                .count(),
            report
                .with_verdict(posture_ledger::Verdict::Unverifiable)
                .count(),
            report
                .with_verdict(posture_ledger::Verdict::Consistent)
                .count(),
        )
    );

    let v = json(&["check"], 1);
    assert_eq!(v["conflicts"], true);
    assert_eq!(v["claims"], 26);
    assert_eq!(
        v["summary"]["conflicting"],
        report
            .with_verdict(posture_ledger::Verdict::Conflicting)
            .count()
    );
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), report.findings().len());
    for (j, f) in findings.iter().zip(report.findings()) {
        assert_eq!(j["summary"], f.summary.as_str());
        assert_eq!(j["verdict"], serde_json::to_value(f.verdict).unwrap());
        assert_eq!(j["rule"], serde_json::to_value(f.rule).unwrap());
        assert_eq!(j["evidence"].as_array().unwrap().len(), f.evidence.len());
        let caveats = j["caveats"].as_array().unwrap();
        assert_eq!(caveats.len(), f.caveats.len());
        for (jc, c) in caveats.iter().zip(&f.caveats) {
            assert_eq!(jc["text"], c.named(ledger.ledger()).to_string());
            let mut data = serde_json::to_value(c).unwrap();
            data["text"] = jc["text"].clone();
            assert_eq!(jc, &data);
        }
    }
    // C2 against NATO's figures: the caveat in text and JSON.
    let c2 = findings
        .iter()
        .find(|f| f["rule"] == "claim_vs_ledger" && f["claims"] == serde_json::json!(["C2"]))
        .expect("C2's finding");
    assert_eq!(c2["verdict"], "conflicting");
    assert_eq!(
        c2["caveats"],
        serde_json::json!([{
            "kind": "may_include",
            "document": "nato-efp-2022-06-28",
            "what": "forces deployed in a support role",
            "text": "nato-efp-2022-06-28's figures may include forces deployed in a support role",
        }])
    );
    let line = stdout
        .lines()
        .find(|l| l.contains("claim vs ledger") && l.split_whitespace().nth(4) == Some("C2"))
        .expect("C2's line");
    assert!(
        line.ends_with(" — caveat: nato-efp-2022-06-28's figures may include forces deployed in a support role"),
        "{line}"
    );
    assert_eq!(findings[0]["verdict"], "conflicting");
    assert_eq!(
        findings[0]["rule"],
        serde_json::to_value(report.findings()[0].rule).unwrap()
    );
}

#[test]
fn check_exits_zero_when_nothing_conflicts() {
    let (code, stdout, _) = posture(&["check", AGREEING]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("consistent  claim vs ledger  E1  ledger has 1,650"),
        "{stdout}"
    );
    assert!(stdout.ends_with(
        "Estonia 2022: 1 claim, 1 finding: 0 conflicting, 0 unverifiable, 1 consistent\n"
    ));
    let v = json(&["check", AGREEING], 0);
    assert_eq!(v["conflicts"], false);
    let evidence = &v["findings"][0]["evidence"][0];
    assert_eq!(evidence["text"], "[1,645, 1,655]");
    assert_eq!(
        evidence["interval"],
        serde_json::json!({"low": {"included": "1645"}, "high": {"included": "1655"}})
    );
}

/// The interval the library gives claim `P1` of `policy.toml` ("about
/// 1,700") under `policy`.
fn about_1700(policy: &posture_ledger::TolerancePolicy) -> String {
    policy
        .interval(posture_ledger::Qualifier::Approximate, 1_700.into())
        .unwrap()
        .to_string()
}

#[test]
fn check_reads_the_claims_under_the_files_policy_and_the_command_lines() {
    let file = scenario::Scenario::from_path(POLICY).unwrap();
    // The file's policy, 1 % either side of 1,700, leaves out the ledger's 1,650.
    let v = json(&["check", POLICY], 1);
    assert_eq!(v["findings"][0]["verdict"], "conflicting");
    assert_eq!(
        v["findings"][0]["evidence"][0]["text"],
        about_1700(file.policy())
    );
    let (code, stdout, _) = posture(&["check", POLICY]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("CONFLICTING"), "{stdout}");

    // `--policy rounding` overrides it: 1,700 rounds from [1,650, 1,750].
    let rounding: posture_ledger::TolerancePolicy = "rounding".parse().unwrap();
    let v = json(&["check", POLICY, "--policy", "rounding"], 0);
    assert_eq!(v["findings"][0]["verdict"], "consistent");
    assert_eq!(
        v["findings"][0]["evidence"][0]["text"],
        about_1700(&rounding)
    );

    // A setting the command line leaves out is the file's: a new "nearly"
    // keeps the file's 1 %.
    let v = json(&["check", POLICY, "--policy", "nearly=0.05"], 1);
    assert_eq!(v["findings"][0]["verdict"], "conflicting");
    // `default` forgets the file's policy; then one setting on top.
    let v = json(&["check", POLICY, "--policy", "default,relative:0.05"], 0);
    let wide: posture_ledger::TolerancePolicy = "relative:0.05".parse().unwrap();
    assert_eq!(v["findings"][0]["evidence"][0]["text"], about_1700(&wide));

    // The bundled scenario agrees with the file's: without --policy nothing changes.
    let (_, plain, _) = posture(&["check", AGREEING]);
    let (_, same, _) = posture(&["check", AGREEING, "--policy", "default"]);
    assert_eq!(plain, same);

    refused(
        &["check", POLICY, "--policy", "relative:1.5"],
        &["--policy: invalid relative tolerance (in [0, 1)): 1.5"],
    );
    refused(
        &["check", "--policy", "nerly=0.1"],
        &["--policy: policy setting `nerly=0.1`: unknown key"],
    );
}

#[test]
fn check_refuses_unusable_input() {
    refused(&["check", BROKEN], &BROKEN_PROBLEMS);
    refused(
        &["check", SYNTAX, "--format", "json"],
        &["syntax.toml:3:17"],
    );
}

#[test]
fn chart_draws_the_baseline_and_each_layer() {
    let out = tmp("baltic.svg");
    let _ = std::fs::remove_file(&out);
    let o = out.to_str().unwrap();
    let args = [
        "chart",
        "--scope",
        "from:NATO in:baltic-states kind:battlegroup",
        "--metric",
        "personnel",
        "-o",
        o,
    ];
    let (code, stdout, _) = posture(&args);
    assert_eq!(code, 0);
    let (ledger, s) = scope("from:NATO in:baltic-states kind:battlegroup");
    let summit: NaiveDate = SUMMIT.parse().unwrap();
    let figures: Vec<String> = [None, Some("requested"), Some("pledged")]
        .into_iter()
        .map(|layer| {
            let view = match layer {
                Some(l) => ledger.with_layer(&LayerId::new(l).unwrap()).unwrap(),
                None => ledger.view(),
            };
            view.total(&s, &Metric::PERSONNEL, summit)
                .unwrap()
                .to_string()
        })
        .collect();
    let line = stdout
        .lines()
        .find(|l| l.starts_with(SUMMIT))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(
        line.split_whitespace().skip(1).collect::<Vec<_>>(),
        figures,
        "{stdout}"
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<svg"));
    // Names in words, from the ledger's names and descriptions, not ids.
    for text in [
        "NATO forces in the Baltic states, battlegroup units: Personnel",
        "Recorded",
        "Requested: what the Baltic states ask of NATO",
        "Pledged: what allies say they may or will do",
        "50,000",
    ] {
        assert!(svg.contains(text), "{text}");
    }
    assert!(!svg.contains('`'), "no code formatting in the picture");

    let v = json(&args, 0);
    assert_eq!(v["from"], "2022-02-23");
    assert_eq!(v["to"], SUMMIT);
    let dates = v["dates"].as_array().unwrap();
    for series in v["series"].as_array().unwrap() {
        let view = match series["layer"].as_str() {
            Some(l) => ledger.with_layer(&LayerId::new(l).unwrap()).unwrap(),
            None => ledger.view(),
        };
        for (d, t) in dates.iter().zip(series["totals"].as_array().unwrap()) {
            let d = d.as_str().unwrap().parse().unwrap();
            assert_eq!(
                t.as_u64(),
                view.total(&s, &Metric::PERSONNEL, d).unwrap().get()
            );
        }
    }
    assert_eq!(v["series"].as_array().unwrap().len(), 3);
    let v = json(
        &[
            "chart",
            "--baseline-only",
            "--from",
            "2022-06-01",
            "--to",
            "2022-06-30",
            "-o",
            o,
        ],
        0,
    );
    assert_eq!(
        v["dates"],
        serde_json::json!([
            "2022-06-01",
            "2022-06-27",
            "2022-06-28",
            "2022-06-29",
            "2022-06-30"
        ])
    );
    assert_eq!(v["series"].as_array().unwrap().len(), 1);
}

#[test]
fn chart_refuses_unusable_input() {
    let out = tmp("never.svg");
    let _ = std::fs::remove_file(&out);
    let o = out.to_str().unwrap();
    refused(&["chart", BROKEN, "-o", o], &BROKEN_PROBLEMS);
    refused(
        &[
            "chart",
            "--from",
            "2022-07-01",
            "--to",
            "2022-06-01",
            "-o",
            o,
        ],
        &["is after --to"],
    );
    assert!(!out.exists(), "no picture of unusable input");
    misused(&["chart"], "--output <OUT.svg|OUT.png>");
    refused(
        &["chart", "-o", "/nonexistent-dir/x.svg"],
        &["cannot write the chart to /nonexistent-dir/x.svg"],
    );
}

#[test]
fn help_and_version_succeed() {
    cargo_bin_cmd!("posture")
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("totals").and(predicate::str::contains("chart")));
    cargo_bin_cmd!("posture")
        .args(["diff", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--layer"));
    cargo_bin_cmd!("posture")
        .arg("--version")
        .assert()
        .success();
    cargo_bin_cmd!("posture").assert().code(2);
}

// ----- What was known when, and why ------------------------------------------

/// A scenario learned over time: a report corrected on 2022-04-02, a claim
/// made on 2022-03-20, a change announced for the autumn.
const CORRECTED: &str = "tests/data/cli/corrected.toml";
/// Before the correction of 2022-04-02 and after the claim of 2022-03-20.
const BEFORE_FIX: &str = "2022-03-20";

fn corrected() -> scenario::Scenario {
    scenario::Scenario::from_path(CORRECTED).unwrap()
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[test]
fn totals_as_known_on_a_date() {
    let s = corrected();
    let ledger = s.ledger();
    for known in [None, Some(BEFORE_FIX), Some("2022-03-01")] {
        let mut args = vec!["totals", CORRECTED, "--at", SUMMIT];
        if let Some(k) = known {
            args.extend(["--known-at", k]);
        }
        let v = json(&args, 0);
        assert_eq!(v["known_at"], serde_json::json!(known));
        let view = match known {
            Some(k) => ledger.view().known_at(date(k)),
            None => ledger.view(),
        };
        for row in v["rows"].as_array().unwrap().iter().chain([&v["total"]]) {
            let scope = Scope::parse(row["query"].as_str().unwrap(), ledger).unwrap();
            for (metric, count) in row["totals"].as_object().unwrap() {
                let m = Metric::new(metric).unwrap();
                assert_eq!(
                    *count,
                    serde_json::to_value(view.total(&scope, &m, date(SUMMIT)).unwrap()).unwrap()
                );
            }
        }
    }
    // The correction shows: the figure as first reported, then as corrected.
    let first = json(
        &[
            "totals",
            CORRECTED,
            "--at",
            SUMMIT,
            "--known-at",
            BEFORE_FIX,
        ],
        0,
    );
    let now = json(&["totals", CORRECTED, "--at", SUMMIT], 0);
    assert_ne!(first["total"]["totals"], now["total"]["totals"]);

    let (code, stdout, _) = posture(&["totals", "--at", SUMMIT, "--known-at", "2022-06-28"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with(
        "Madrid 2022 · totals at the end of 2022-06-29, as known on 2022-06-28 · baseline\n"
    ));
    let v = json(&["totals", "--at", SUMMIT], 0);
    assert_eq!(v["known_at"], Value::Null);
}

#[test]
fn diff_as_known_on_a_date() {
    let args = [
        "diff",
        CORRECTED,
        "--from",
        "2022-03-01",
        "--to",
        SUMMIT,
        "--known-at",
        BEFORE_FIX,
    ];
    let (code, stdout, _) = posture(&args);
    assert_eq!(code, 0);
    assert!(
        stdout
            .lines()
            .next()
            .unwrap()
            .ends_with(", as known on 2022-03-20"),
        "{stdout}"
    );
    let v = json(&args, 0);
    assert_eq!(v["known_at"], BEFORE_FIX);
    let s = corrected();
    let view = s.ledger().view().known_at(date(BEFORE_FIX));
    let rows: Vec<&Value> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["total"].as_array().unwrap())
        .collect();
    assert!(!rows.is_empty());
    for row in rows {
        let scope = Scope::parse(row["query"].as_str().unwrap(), s.ledger()).unwrap();
        let m = Metric::new(row["metric"].as_str().unwrap()).unwrap();
        let c = view
            .compare(&scope, &m, date("2022-03-01"), date(SUMMIT))
            .unwrap();
        assert_eq!(row["before"], serde_json::to_value(c.before()).unwrap());
        assert_eq!(row["after"], serde_json::to_value(c.after()).unwrap());
        assert_eq!(row["change"].as_i64().map(i128::from), c.change());
    }

    // Against a layer: both sides as known on the date.
    let v = json(
        &[
            "diff",
            "--to",
            SUMMIT,
            "--layer",
            "requested",
            "--scope",
            "from:NATO in:baltic-states",
            "--metric",
            "personnel",
            "--known-at",
            "2022-06-28",
        ],
        0,
    );
    let (ledger, s) = scope("from:NATO in:baltic-states");
    let k = date("2022-06-28");
    let layer = LayerId::new("requested").unwrap();
    let total = &v["total"][0];
    assert_eq!(
        total["before"]["count"].as_u64(),
        ledger
            .view()
            .known_at(k)
            .total(&s, &Metric::PERSONNEL, date(SUMMIT))
            .unwrap()
            .get()
    );
    assert_eq!(
        total["after"]["count"].as_u64(),
        ledger
            .with_layer(&layer)
            .unwrap()
            .known_at(k)
            .total(&s, &Metric::PERSONNEL, date(SUMMIT))
            .unwrap()
            .get()
    );
}

#[test]
fn check_as_known_on_a_date() {
    let s = corrected();
    // The claim conflicts with the corrected figure, and agreed with the first report.
    for (known, status) in [(None, 1), (Some(BEFORE_FIX), 0)] {
        let mut args = vec!["check", CORRECTED];
        let options = match known {
            Some(k) => {
                args.extend(["--known-at", k]);
                CheckOptions::new().known_at(date(k))
            }
            None => CheckOptions::new(),
        };
        let report = s.ledger().check_with(s.claims(), options).unwrap();
        assert_eq!(status == 1, report.has_conflicts());
        let v = json(&args, status);
        assert_eq!(v["known_at"], serde_json::json!(known));
        assert_eq!(v["conflicts"], report.has_conflicts());
        let findings = v["findings"].as_array().unwrap();
        assert_eq!(findings.len(), report.findings().len());
        for (j, f) in findings.iter().zip(report.findings()) {
            assert_eq!(j["summary"], f.summary.as_str());
            assert_eq!(j["verdict"], serde_json::to_value(f.verdict).unwrap());
        }
        let (code, stdout, _) = posture(&args);
        assert_eq!(code, status);
        assert!(stdout.contains(&report.to_string()), "{stdout}");
        assert_eq!(
            stdout.starts_with("Estonia 2022, corrected · claims checked as known on 2022-03-20\n"),
            known.is_some(),
            "{stdout}"
        );
    }
}

#[test]
fn chart_as_known_on_a_date() {
    let out = tmp("known.svg");
    let o = out.to_str().unwrap();
    let args = ["chart", CORRECTED, "--known-at", BEFORE_FIX, "-o", o];
    let (code, stdout, _) = posture(&args);
    assert_eq!(code, 0);
    assert!(stdout
        .lines()
        .next()
        .unwrap()
        .ends_with(", as known on 2022-03-20"));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("as known on 2022-03-20"));
    let v = json(&args, 0);
    assert_eq!(v["known_at"], BEFORE_FIX);
    let s = corrected();
    let scope = Scope::all();
    let view = s.ledger().view().known_at(date(BEFORE_FIX));
    let series = &v["series"][0];
    for (d, t) in v["dates"]
        .as_array()
        .unwrap()
        .iter()
        .zip(series["totals"].as_array().unwrap())
    {
        let d = date(d.as_str().unwrap());
        assert_eq!(
            t.as_u64(),
            view.total(&scope, &Metric::PERSONNEL, d).unwrap().get()
        );
    }
}

/// Asserts that the registers of `v` are the library's, entry by entry.
fn same_registers(v: &Value, expected: &[Register]) {
    let registers = v["registers"].as_array().unwrap();
    assert_eq!(registers.len(), expected.len());
    for (j, r) in registers.iter().zip(expected) {
        assert_eq!(j["metric"], r.metric().to_string());
        assert_eq!(j["total"].as_i64().map(i128::from), Some(r.total()));
        let entries = j["entries"].as_array().unwrap();
        assert_eq!(entries.len(), r.entries().len());
        for (je, e) in entries.iter().zip(r.entries()) {
            assert_eq!(je["event"], e.event.as_str());
            assert_eq!(je["unit"], e.unit.as_str());
            assert_eq!(je["kind"], e.kind.as_str());
            assert_eq!(je["effective"], e.effective.to_string());
            assert_eq!(je["announced"], serde_json::json!(e.announced));
            assert_eq!(je["known"], serde_json::json!(e.known));
            assert_eq!(je["change"].as_i64().map(i128::from), Some(e.change));
            assert_eq!(je["balance"].as_i64().map(i128::from), Some(e.balance));
            assert_eq!(
                je["source"]["document"].as_str(),
                e.source.as_ref().map(|s| s.document.as_str())
            );
            assert_eq!(
                je["source"]["may_include"].as_str(),
                e.source.as_ref().and_then(|s| s.may_include.as_deref())
            );
            assert_eq!(
                je["corrects"]["event"].as_str(),
                e.corrects.as_ref().map(|(id, _)| id.as_str())
            );
            assert_eq!(
                je["corrects"]["reason"].as_str(),
                e.corrects.as_ref().map(|(_, why)| why.as_str())
            );
        }
    }
}

#[test]
fn explain_prints_the_register_behind_a_total() {
    let tripwire = "from:NATO in:baltic-states";
    let args = ["explain", "--at", SUMMIT, "--scope", tripwire];
    let (code, stdout, _) = posture(&args);
    assert_eq!(code, 0);
    let (ledger, s) = scope(tripwire);
    let why = ledger
        .view()
        .explain(&s, &Metric::PERSONNEL, date(SUMMIT))
        .unwrap();
    // The register's scope in names, as tables and findings print it.
    assert_eq!(
        stdout,
        format!(
            "Madrid 2022 · the events behind each total at the end of 2022-06-29 · baseline\n\n{}",
            why.with_scope(&s.named(&ledger))
        )
    );
    assert!(!stdout.contains("baltic-states"), "{stdout}");
    let v = json(&args, 0);
    assert_eq!(v["command"], "explain");
    assert_eq!(v["query"], tripwire);
    assert_eq!(v["scope"], s.to_string());
    assert_eq!(v["known_at"], Value::Null);
    assert_eq!(v["announced"], false);
    // Only personnel has anything in the tripwire's register.
    same_registers(&v, &[why]);
    // NATO's figures say what they may include, in its words.
    let nato = v["registers"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source"]["document"] == "nato-efp-2022-06-28" && e["kind"] == "deploy")
        .expect("an entry from NATO's figures");
    assert_eq!(
        nato["source"]["may_include"],
        "forces deployed in a support role"
    );

    // With a layer and a metric.
    let layer = LayerId::new("pledged").unwrap();
    let v = json(
        &[
            "explain",
            "--at",
            SUMMIT,
            "--scope",
            "in:EST",
            "--layer",
            "pledged",
            "--metric",
            "personnel",
        ],
        0,
    );
    let (_, est) = scope("in:EST");
    let why = ledger
        .with_layer(&layer)
        .unwrap()
        .explain(&est, &Metric::PERSONNEL, date(SUMMIT))
        .unwrap();
    assert_eq!(v["layer"], "pledged");
    same_registers(&v, &[why]);
}

#[test]
fn explain_as_known_on_a_date_shows_the_first_report_and_then_its_correction() {
    let s = corrected();
    let view = s.ledger().view();
    let all = Scope::all();
    for known in [None, Some(BEFORE_FIX)] {
        let mut args = vec!["explain", CORRECTED, "--at", SUMMIT, "--scope", "all"];
        let v = match known {
            Some(k) => {
                args.extend(["--known-at", k]);
                view.known_at(date(k))
            }
            None => view,
        };
        let why = v.explain(&all, &Metric::PERSONNEL, date(SUMMIT)).unwrap();
        let j = json(&args, 0);
        assert_eq!(j["known_at"], serde_json::json!(known));
        same_registers(&j, std::slice::from_ref(&why));
        let (code, stdout, _) = posture(&args);
        assert_eq!(code, 0);
        assert!(stdout.ends_with(&format!("\n\n{why}")), "{stdout}");
    }
    // As known now, the corrected report stands in place of the first.
    let now = view
        .explain(&all, &Metric::PERSONNEL, date(SUMMIT))
        .unwrap();
    assert!(now.entries().iter().any(|e| e.corrects.is_some()));
}

/// Once the last correction is known, every command as known on a later
/// date answers as it does now: the corrected report of 2022-03-10 kept its
/// date, and once known it used to vanish with the report it corrects.
#[test]
fn as_known_after_the_last_correction_every_command_answers_as_now() {
    let without_known_at = |mut v: Value| {
        v.as_object_mut().unwrap().remove("known_at");
        v
    };
    let now = |command: &[&str], status| without_known_at(json(command, status));
    let totals = ["totals", CORRECTED, "--at", SUMMIT];
    let explain = ["explain", CORRECTED, "--at", SUMMIT, "--scope", "all"];
    let check = ["check", CORRECTED];
    let (totals_now, explain_now, check_now) = (now(&totals, 0), now(&explain, 0), now(&check, 1));
    for known in ["2022-04-02", "2022-05-01", "2099-01-01"] {
        let then = |command: &[&str], status| {
            let mut args = command.to_vec();
            args.extend(["--known-at", known]);
            without_known_at(json(&args, status))
        };
        assert_eq!(then(&totals, 0), totals_now, "totals as known on {known}");
        assert_eq!(
            then(&explain, 0),
            explain_now,
            "explain as known on {known}"
        );
        assert_eq!(then(&check, 1), check_now, "check as known on {known}");
    }
}

#[test]
fn explain_announced_lists_what_is_said_and_not_yet_done() {
    let s = corrected();
    let args = [
        "explain",
        CORRECTED,
        "--at",
        SUMMIT,
        "--scope",
        "all",
        "--announced",
    ];
    let pending = s
        .ledger()
        .view()
        .announced(&Scope::all(), &Metric::PERSONNEL, date(SUMMIT))
        .unwrap();
    assert!(!pending.entries().is_empty());
    let (code, stdout, _) = posture(&args);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        format!(
            "Estonia 2022, corrected · changes announced by 2022-06-29 and not yet effective · baseline\n\n{pending}"
        )
    );
    let v = json(&args, 0);
    assert_eq!(v["announced"], true);
    same_registers(&v, &[pending]);
    // Once effective, a change is no longer pending.
    let v = json(
        &[
            "explain",
            CORRECTED,
            "--at",
            "2022-09-01",
            "--scope",
            "all",
            "--announced",
        ],
        0,
    );
    let later = s
        .ledger()
        .view()
        .announced(&Scope::all(), &Metric::PERSONNEL, date("2022-09-01"))
        .unwrap();
    same_registers(&v, &[later]);
}

#[test]
fn known_at_and_explain_refuse_unusable_input() {
    refused(
        &["explain", BROKEN, "--at", SUMMIT, "--scope", "all"],
        &BROKEN_PROBLEMS,
    );
    refused(
        &[
            "explain",
            BROKEN,
            "--at",
            SUMMIT,
            "--scope",
            "all",
            "--announced",
        ],
        &BROKEN_PROBLEMS,
    );
    refused(
        &["totals", BROKEN, "--at", SUMMIT, "--known-at", SUMMIT],
        &BROKEN_PROBLEMS,
    );
    refused(
        &[
            "diff",
            BROKEN,
            "--from",
            "2022-01-01",
            "--to",
            SUMMIT,
            "--known-at",
            SUMMIT,
        ],
        &BROKEN_PROBLEMS,
    );
    refused(&["check", BROKEN, "--known-at", SUMMIT], &BROKEN_PROBLEMS);
    refused(
        &[
            "chart",
            BROKEN,
            "--known-at",
            SUMMIT,
            "-o",
            tmp("never.svg").to_str().unwrap(),
        ],
        &BROKEN_PROBLEMS,
    );
    refused(
        &["explain", SYNTAX, "--at", SUMMIT, "--scope", "all"],
        &["syntax.toml:3:17"],
    );
    refused(
        &["totals", "--at", SUMMIT, "--known-at", "2022-02-30"],
        &["no such day"],
    );
    refused(&["check", "--known-at", "yesterday"], &["YYYY-MM-DD"]);
    refused(
        &["explain", "--at", SUMMIT, "--scope", "in:atlantis"],
        &["--scope `in:atlantis`: unknown region `atlantis"],
    );
    refused(
        &[
            "explain", "--at", SUMMIT, "--scope", "all", "--layer", "wished",
        ],
        &["unknown layer `wished`"],
    );
    refused(
        &[
            "explain", "--at", SUMMIT, "--scope", "all", "--metric", "tanks",
        ],
        &["no unit is counted in `tanks`"],
    );
    misused(&["explain", "--at", SUMMIT], "--scope <SCOPE>");
    misused(
        &["explain", "--scope", "all", "--at", "29/06/2022"],
        "expected a date as YYYY-MM-DD",
    );
}

// ----- Hostile input: no panic, no destroyed file -----------------------------

/// Writes a scenario of `n` units with 8-character ids (`u0000000`…), each
/// deployed in Estonia with one person, and returns its path and the ids.
fn many_units(name: &str, n: usize) -> (PathBuf, Vec<String>) {
    let ids: Vec<String> = (0..n).map(|i| format!("u{i:07}")).collect();
    let mut toml = String::from("[scenario]\nname = \"Many units\"\n");
    for id in &ids {
        toml.push_str(&format!(
            "\n[[units]]\nid = \"{id}\"\nname = \"unit {id}\"\ncontributor = \"GBR\"\nkind = \"battlegroup\"\n"
        ));
    }
    for id in &ids {
        toml.push_str(&format!(
            "\n[[events]]\nid = \"in-{id}\"\nunit = \"{id}\"\neffective = \"2022-03-01\"\n\
             kind = \"deploy\"\nlocation = {{ country = \"EST\" }}\nfooting = \"rotational\"\n\
             strength = {{ personnel = 1 }}\n"
        ));
    }
    let path = tmp(name);
    std::fs::write(&path, toml).unwrap();
    (path, ids)
}

#[test]
fn a_table_cell_wider_than_65535_characters_is_padded_without_panicking() {
    let (path, ids) = many_units("many-units.toml", 9_000);
    let file = path.to_str().unwrap();
    let text = format!("unit:{}", ids.join(","));
    let s = scenario::Scenario::from_path(&path).unwrap();
    let scope = Scope::parse(&text, s.ledger()).unwrap();
    let cell = scope.to_string();
    assert!(cell.chars().count() > 65_535, "the scope's cell is wide");
    let total = s
        .ledger()
        .view()
        .total(&scope, &Metric::PERSONNEL, date(SUMMIT))
        .unwrap();

    let (code, stdout, stderr) = posture(&["totals", file, "--at", SUMMIT, "--scope", &text]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    // The header's `scope` is padded to the width of the scope's cell, and
    // the figure follows it after two spaces.
    assert_eq!(lines[2].chars().count(), cell.chars().count() + 2 + 9);
    assert!(lines[2].starts_with("scope ") && lines[2].ends_with("  personnel"));
    let last = lines.last().unwrap();
    assert_eq!(*last, format!("{cell}  {:>9}", total.to_string()));

    let (code, stdout, stderr) = posture(&[
        "diff",
        file,
        "--from",
        "2022-01-01",
        "--to",
        SUMMIT,
        "--scope",
        &text,
    ]);
    assert_eq!(code, 0, "{stderr}");
    // The footer row is the table's last, before the note on no record:
    // nothing was deployed on 2022-01-01.
    let lines: Vec<&str> = stdout.lines().collect();
    let footer = lines.iter().rposition(|l| l.starts_with(&cell));
    assert!(footer.is_some(), "{}", &stdout[..200]);
    assert!(
        lines[footer.unwrap_or(0)].contains("— "),
        "no record before"
    );
    assert!(stdout.contains("— no record:"), "{}", &stdout[..200]);
}

/// Writes a scenario whose one unit is deployed on the first of `dates` and
/// reinforced on each later one, and returns its path.
fn dated(name: &str, dates: &[NaiveDate]) -> PathBuf {
    let mut toml = String::from(
        "[scenario]\nname = \"Extreme dates\"\n\n[[units]]\nid = \"gbr-est\"\n\
         name = \"British troops in Estonia\"\ncontributor = \"GBR\"\nkind = \"battlegroup\"\n",
    );
    for (i, d) in dates.iter().enumerate() {
        toml.push_str(&if i == 0 {
            format!(
                "\n[[events]]\nid = \"e{i}\"\nunit = \"gbr-est\"\neffective = \"{d}\"\nkind = \"deploy\"\n\
                 location = {{ country = \"EST\" }}\nfooting = \"rotational\"\nstrength = {{ personnel = 900 }}\n"
            )
        } else {
            format!(
                "\n[[events]]\nid = \"e{i}\"\nunit = \"gbr-est\"\neffective = \"{d}\"\nkind = \"reinforce\"\n\
                 metric = \"personnel\"\ncount = 100\n"
            )
        });
    }
    let path = tmp(name);
    std::fs::write(&path, toml).unwrap();
    path
}

#[test]
fn chart_draws_events_on_the_first_and_last_days_of_the_calendar() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let cases: [(&str, Vec<NaiveDate>); 4] = [
        ("last-day.toml", vec![d("2022-03-01"), d("+262142-12-31")]),
        ("first-day.toml", vec![NaiveDate::MIN, d("2022-03-01")]),
        ("whole-calendar.toml", vec![NaiveDate::MIN, NaiveDate::MAX]),
        ("last-day-alone.toml", vec![NaiveDate::MAX]),
    ];
    assert_eq!(NaiveDate::MAX, d("+262142-12-31"));
    for (name, dates) in cases {
        let file = dated(name, &dates);
        let out = tmp(&format!("{name}.svg"));
        let _ = std::fs::remove_file(&out);
        let args = ["chart", file.to_str().unwrap(), "-o", out.to_str().unwrap()];
        let v = json(&args, 0);
        let expected: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(v["dates"], serde_json::json!(expected), "{name}");
        let ledger = scenario::Scenario::from_path(&file).unwrap().into_ledger();
        let totals: Vec<Option<u64>> = dates
            .iter()
            .map(|&d| {
                ledger
                    .view()
                    .total(&Scope::all(), &Metric::PERSONNEL, d)
                    .unwrap()
                    .get()
            })
            .collect();
        assert_eq!(
            v["series"][0]["totals"],
            serde_json::json!(totals),
            "{name}"
        );
        let svg = std::fs::read_to_string(&out).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{name}"
        );
        // The title names the range, however far out its ends are.
        let range = format!("{} to {}", dates[0], dates[dates.len() - 1]);
        assert!(svg.contains(&range), "{name}: {range}");
    }
}

#[test]
fn chart_of_a_single_day_draws_it() {
    let out = tmp("one-day.svg");
    let _ = std::fs::remove_file(&out);
    let o = out.to_str().unwrap();
    for day in ["0000-01-01", SUMMIT, "9999-12-31"] {
        let v = json(&["chart", "--from", day, "--to", day, "-o", o], 0);
        assert_eq!(v["dates"], serde_json::json!([day]));
        let svg = std::fs::read_to_string(&out).unwrap();
        assert!(svg.trim_end().ends_with("</svg>"), "{day}");
    }
}

#[test]
fn chart_refuses_an_output_name_that_does_not_end_in_svg_or_png() {
    let pdf = tmp("chart.pdf");
    let old = b"%PDF an older picture".to_vec();
    std::fs::write(&pdf, &old).unwrap();
    misused(
        &["chart", "-o", pdf.to_str().unwrap()],
        "charts are drawn as SVG or PNG",
    );
    assert_eq!(std::fs::read(&pdf).unwrap(), old, "the .pdf is left alone");
    for name in ["chart.jpg", "chart", "chart.png.pdf"] {
        let path = tmp(name);
        let _ = std::fs::remove_file(&path);
        misused(
            &["chart", "-o", path.to_str().unwrap()],
            "must end in `.svg` or `.png`",
        );
        assert!(!path.exists(), "{name}");
    }
    // `-` is not stdout, which carries the chart's table or JSON.
    misused(&["chart", "-o", "-"], "not to stdout");
    assert!(!std::path::Path::new("-").exists());
    // The extension is read without regard to case.
    let upper = tmp("CHART.SVG");
    let v = json(&["chart", "-o", upper.to_str().unwrap()], 0);
    assert_eq!(v["output"], upper.to_str().unwrap());
    assert!(std::fs::read_to_string(&upper).unwrap().starts_with("<svg"));
}

/// The files in `dir`, by name, in order.
fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A fresh, empty directory under the tests' temporary directory.
fn empty_dir(name: &str) -> PathBuf {
    let dir = tmp(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn a_chart_that_cannot_be_written_leaves_the_existing_file_as_it_was() {
    let dir = empty_dir("atomic-chart");
    let out = dir.join("chart.svg");
    let o = out.to_str().unwrap();
    let old = "<svg><!-- an older picture --></svg>\n".repeat(1_000);
    std::fs::write(&out, &old).unwrap();

    // A disk that fills up while the chart is written: files may not grow
    // past 2 KiB (`ulimit -f` counts 512-byte blocks in sh), and the
    // signal for it is ignored so that the write fails instead.
    let run = std::process::Command::new("sh")
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 4; exec \"$0\" \"$@\"",
            env!("CARGO_BIN_EXE_posture"),
            "chart",
            "-o",
            o,
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with(&format!("error: cannot write the chart to {o}: "))),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), old);
    assert_eq!(files_in(&dir), ["chart.svg"], "no temporary file is left");

    // Nor does a chart of unusable input touch it.
    refused(&["chart", BROKEN, "-o", o], &BROKEN_PROBLEMS);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), old);

    // A chart that succeeds replaces it, whole.
    let (code, _, stderr) = posture(&["chart", "-o", o]);
    assert_eq!(code, 0, "{stderr}");
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert_eq!(files_in(&dir), ["chart.svg"], "no temporary file is left");
}

#[cfg(unix)]
#[test]
fn chart_writes_through_a_symbolic_link_instead_of_replacing_it() {
    let dir = empty_dir("linked-chart");
    let real = dir.join("real.svg");
    std::fs::write(&real, "an older picture").unwrap();
    let link = dir.join("link.svg");
    std::os::unix::fs::symlink("real.svg", &link).unwrap();
    let (code, _, stderr) = posture(&["chart", "-o", link.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("<svg"));
    assert_eq!(files_in(&dir), ["link.svg", "real.svg"]);

    // A link to a file not there yet makes that file.
    let ahead = dir.join("ahead.svg");
    std::os::unix::fs::symlink("fresh.svg", &ahead).unwrap();
    let (code, _, stderr) = posture(&["chart", "-o", ahead.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let fresh = std::fs::read_to_string(dir.join("fresh.svg")).unwrap();
    assert!(fresh.starts_with("<svg"));
    assert_eq!(
        files_in(&dir),
        ["ahead.svg", "fresh.svg", "link.svg", "real.svg"]
    );
}

/// Runs `posture` with `args`, its stdout and stderr on `/dev/full` (every
/// write fails: no space left), and returns its exit code, or `None` when a
/// signal (an abort) ended it.
#[cfg(target_os = "linux")]
fn posture_on_a_full_disk(args: &[&str], stdout_too: bool) -> Option<i32> {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_posture"));
    cmd.args(args).stderr(full());
    if stdout_too {
        cmd.stdout(full());
    }
    cmd.status().unwrap().code()
}

#[cfg(target_os = "linux")]
#[test]
fn an_error_message_that_cannot_be_written_does_not_abort() {
    // Unusable input, its messages unwritable: still exit status 2.
    assert_eq!(
        posture_on_a_full_disk(&["totals", BROKEN, "--at", SUMMIT], false),
        Some(2)
    );
    // Output that cannot be written, nor the error saying so: still 2.
    assert_eq!(
        posture_on_a_full_disk(&["totals", "--at", SUMMIT], true),
        Some(2)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn help_that_cannot_be_written_is_not_a_success() {
    for args in [["--help"], ["--version"]] {
        assert_eq!(posture_on_a_full_disk(&args, true), Some(2), "{args:?}");
    }
}

// ----- validate ----------------------------------------------------------------

/// The library's problems with a file, as `validate` must print them.
fn library_problems(file: &str) -> Vec<String> {
    match scenario::Scenario::from_path(file) {
        Err(posture_ledger::Error::Scenario(e)) => {
            e.diagnostics().iter().map(|d| d.to_string()).collect()
        }
        other => panic!("{file} does not load with problems: {other:?}"),
    }
}

#[test]
fn validate_a_sound_file_counts_its_records_and_exits_0() {
    for (file, scenario) in [
        (None, scenario::madrid_2022().unwrap()),
        (Some(CORRECTED), corrected()),
    ] {
        let mut args = vec!["validate"];
        args.extend(file);
        let (code, stdout, stderr) = posture(&args);
        assert_eq!((code, stderr.as_str()), (0, ""));
        let l = scenario.ledger();
        let counts = format!(
            "{} unit{}, {} events, {} correction{}, {} claim{}",
            l.units().count(),
            if l.units().count() == 1 { "" } else { "s" },
            l.events().len(),
            l.corrections().count(),
            if l.corrections().count() == 1 {
                ""
            } else {
                "s"
            },
            scenario.claims().len(),
            if scenario.claims().len() == 1 {
                ""
            } else {
                "s"
            },
        );
        assert!(
            stdout.ends_with(&format!(": sound: {counts}\n")),
            "{stdout}"
        );
        let v = json(&args, 0);
        assert_eq!(v["command"], "validate");
        assert_eq!(v["sound"], true);
        assert_eq!(v["problems"], serde_json::json!([]));
        assert_eq!(v["records"]["events"], l.events().len());
        assert_eq!(v["records"]["claims"], scenario.claims().len());
    }
}

#[test]
fn validate_lists_every_problem_with_its_place_and_exits_2() {
    for file in [BROKEN, SYNTAX] {
        let expected = library_problems(file);
        let (code, stdout, stderr) = posture(&["validate", file]);
        assert_eq!((code, stdout.as_str()), (2, ""));
        let lines: Vec<&str> = stderr.lines().collect();
        let wanted: Vec<String> = expected.iter().map(|p| format!("error: {p}")).collect();
        assert_eq!(lines, wanted);
        let v = json(&["validate", file], 2);
        assert_eq!(v["sound"], false);
        assert_eq!(v["records"], Value::Null);
        let problems = v["problems"].as_array().unwrap();
        assert_eq!(problems.len(), expected.len());
        for (p, text) in problems.iter().zip(&expected) {
            let place = format!(
                "{}:{}:{}: {}",
                p["file"].as_str().unwrap(),
                p["line"],
                p["column"],
                p["message"].as_str().unwrap()
            );
            assert_eq!(&place, text);
        }
    }
    for problem in BROKEN_PROBLEMS {
        assert!(
            library_problems(BROKEN).iter().any(|p| p.contains(problem)),
            "{problem}"
        );
    }
}

#[test]
fn validate_places_a_claim_the_checker_cannot_read_at_its_line() {
    let text = std::fs::read_to_string(CORRECTED)
        .unwrap()
        .replace("countries = [\"EST\"]", "regions = [\"atlantis\"]");
    let file = tmp("unreadable-claim.toml");
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();
    let problems = library_problems(file);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("claim `C1`: field `scope`: unknown region `atlantis`"));
    let (code, stdout, stderr) = posture(&["validate", file]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(stderr, format!("error: {}\n", problems[0]));
}

#[test]
fn validate_a_file_that_cannot_be_read_exits_2() {
    let (code, stdout, stderr) = posture(&["validate", "tests/data/cli/no-such-file.toml"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("error: cannot read tests/data/cli/no-such-file.toml"),
        "{stderr}"
    );
}

const STALE: &str = "tests/data/cli/stale.toml";

/// A level never aged: a figure of 2018 read as current in 2022. Under
/// `--max-age` it is marked stale in tables and JSON, and `check` does not
/// judge a claim against it; without, it still stands.
#[test]
fn max_age_marks_old_figures_stale_in_text_and_json() {
    let (code, stdout, stderr) = posture(&["totals", STALE, "--at", SUMMIT, "--max-age", "365"]);
    assert_eq!(code, 0, "{stderr}");
    let row = stdout
        .lines()
        .find(|l| l.starts_with("in ISL"))
        .expect("a row for ISL");
    assert!(row.ends_with("1,200 (stale)"), "{stdout}");
    assert!(
        stdout.contains(
            "(stale): a figure the total adds is older than --max-age (the oldest figure, 2018-09-30)"
        ),
        "{stdout}"
    );
    let v = json(&["totals", STALE, "--at", SUMMIT, "--max-age", "365"], 0);
    assert_eq!(
        v["total"]["totals"]["personnel"],
        serde_json::json!({"count": 1200, "newest": "2018-09-30", "stale": true})
    );
    // Within the age, the same figure is current.
    let v = json(
        &["totals", STALE, "--at", "2019-06-30", "--max-age", "365"],
        0,
    );
    assert_eq!(v["total"]["totals"]["personnel"]["stale"], false);

    // The claim conflicts with the figure taken as current, and cannot be
    // judged against it once it is stale.
    let (code, stdout, _) = posture(&["check", STALE]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.starts_with("CONFLICTING"), "{stdout}");
    let (code, stdout, _) = posture(&["check", STALE, "--max-age", "365"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("a figure it adds was last observed on 2018-09-30, more than 365 days")
            && stdout.contains("stale"),
        "{stdout}"
    );
    let v = json(&["check", STALE, "--max-age", "365"], 0);
    assert_eq!(v["findings"][0]["verdict"], "unverifiable");
}

/// "No record" was printed as 0: the report says nothing of US personnel in
/// Spain. Every command now says there is no record, in text and JSON.
#[test]
fn no_record_is_printed_as_no_record_never_zero() {
    let totals = [
        "totals",
        "--at",
        SUMMIT,
        "--scope",
        "from:USA in:ESP",
        "--metric",
        "personnel",
    ];
    let (code, stdout, stderr) = posture(&totals);
    assert_eq!(code, 0, "{stderr}");
    let last_row = stdout
        .lines()
        .find(|l| l.starts_with("USA in ESP"))
        .expect("the scope's row");
    assert!(last_row.ends_with('—'), "{stdout}");
    assert!(!last_row.ends_with(" 0"), "{stdout}");
    assert!(stdout.contains("— no record:"), "{stdout}");
    let v = json(&totals, 0);
    assert_eq!(
        v["total"]["totals"]["personnel"],
        serde_json::json!({"count": null, "newest": null, "stale": false})
    );
    // Before the first record, a diff has no change to give.
    let diff = [
        "diff",
        "--from",
        "2022-01-01",
        "--to",
        SUMMIT,
        "--scope",
        "from:USA in:europe",
        "--metric",
        "personnel",
    ];
    let v = json(&diff, 0);
    let total = &v["total"][0];
    assert_eq!(total["before"]["count"], Value::Null);
    assert_eq!(total["change"], Value::Null);
    assert_eq!(total["ratio"], Value::Null);
    let (_, stdout, _) = posture(&diff);
    let row = stdout
        .lines()
        .find(|l| l.starts_with("USA in Europe"))
        .expect("a row");
    let cells: Vec<&str> = row.split_whitespace().skip(4).collect();
    assert_eq!(cells[0], "—", "before: {stdout}");
    assert_eq!(cells[2..], ["—", "—"], "change and ratio: {stdout}");
}

/// NATO's Estonian battlegroup and the UK's whole presence in Estonia, which
/// leads it, were added without a word: `totals` now says where a figure may
/// count forces twice, in text and JSON.
#[test]
fn totals_say_where_a_figure_may_count_forces_twice() {
    let (code, stdout, stderr) = posture(&["totals", "--at", SUMMIT]);
    assert_eq!(code, 0, "{stderr}");
    let notes = stdout.split("May count twice:").nth(1).expect("a note");
    assert!(
        notes.contains("in EST personnel adds NATO's own units in EST to GBR's"),
        "{stdout}"
    );
    let v = json(&["totals", "--at", SUMMIT], 0);
    let rows = v["rows"].as_array().unwrap();
    let est = rows
        .iter()
        .find(|r| r["group"] == "EST")
        .expect("an EST row");
    assert_eq!(est["overlaps"][0]["kind"], "overlap");
    assert_eq!(est["overlaps"][0]["host"], "EST");
    let lva = rows
        .iter()
        .find(|r| r["group"] == "LVA")
        .expect("an LVA row");
    assert_eq!(lva["overlaps"], serde_json::json!([]));
}

/// Reads a command's `--format csv` output: its header and rows.
fn csv_of(args: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut all = args.to_vec();
    all.extend(["--format", "csv"]);
    let (code, stdout, stderr) = posture(&all);
    // 1: `check` found a conflict; 2: `validate` found problems, and lists them.
    let validating = args.first() == Some(&"validate");
    assert!(
        code == 0 || code == 1 || (validating && code == 2),
        "{stderr}"
    );
    let mut reader = ::csv::Reader::from_reader(stdout.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The command wrote no CSV: `--format csv` on every command gives tidy
/// long-format rows, each figure the library's, no record an empty field.
#[test]
fn every_command_writes_csv_rows_the_library_computes() {
    let (ledger, _) = scope("");
    let day: NaiveDate = SUMMIT.parse().unwrap();

    let (header, rows) = csv_of(&["totals", "--at", SUMMIT]);
    assert_eq!(
        header,
        [
            "date", "known_at", "layer", "group", "query", "scope", "metric", "count", "newest",
            "stale"
        ]
    );
    for row in &rows {
        let s = Scope::parse(&row[4], &ledger).unwrap();
        let t = ledger
            .total(&s, &Metric::new(&row[6]).unwrap(), day)
            .unwrap();
        assert_eq!(
            row[7],
            t.get().map_or(String::new(), |c| c.to_string()),
            "{row:?}"
        );
        assert_eq!(
            row[8],
            t.newest().map_or(String::new(), |d| d.to_string()),
            "{row:?}"
        );
    }
    let spain = rows
        .iter()
        .find(|r| r[3] == "ESP" && r[6] == "personnel")
        .expect("ESP personnel");
    assert_eq!(spain[7], "", "no record is an empty field, not 0");

    let (header, rows) = csv_of(&[
        "diff",
        "--from",
        "2022-01-01",
        "--to",
        SUMMIT,
        "--scope",
        "from:USA in:europe",
    ]);
    assert_eq!(header[8..], ["before", "after", "change", "ratio"]);
    let s = Scope::parse("from:USA in:europe", &ledger).unwrap();
    let c = ledger
        .compare(&s, &Metric::PERSONNEL, "2022-01-01".parse().unwrap(), day)
        .unwrap();
    let personnel = rows
        .iter()
        .find(|r| r[7] == "personnel")
        .expect("a personnel row");
    assert_eq!(personnel[8], "");
    assert_eq!(personnel[9], c.after().get().unwrap().to_string());
    assert_eq!((personnel[10].as_str(), personnel[11].as_str()), ("", ""));

    let (header, rows) = csv_of(&["check"]);
    assert_eq!(
        header,
        ["verdict", "rule", "claims", "events", "gap", "summary", "caveats"]
    );
    let madrid = scenario::madrid_2022().unwrap();
    let report = madrid.ledger().check(madrid.claims()).unwrap();
    assert_eq!(rows.len(), report.findings().len());
    assert_eq!(rows[0][0], "conflicting");
    assert_eq!(rows[0][1], "claim_vs_ledger");
    assert_eq!(rows[0][5], report.findings()[0].summary);

    let (_, rows) = csv_of(&[
        "explain",
        "--at",
        SUMMIT,
        "--scope",
        "in:EST",
        "--metric",
        "personnel",
    ]);
    let register = ledger
        .view()
        .explain(
            &Scope::parse("in:EST", &ledger).unwrap(),
            &Metric::PERSONNEL,
            day,
        )
        .unwrap();
    let events: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    let expected: Vec<String> = register
        .entries()
        .iter()
        .map(|e| e.event.to_string())
        .collect();
    assert_eq!(events, expected);

    let out = tmp("csv-chart.svg");
    let (header, rows) = csv_of(&[
        "chart",
        "--scope",
        "from:GBR in:EST",
        "--from",
        "2022-06-28",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(header, ["date", "series", "layer", "count", "stale"]);
    assert_eq!(rows[0][0], "2022-06-28");
    assert_eq!(
        rows[0][2], "",
        "the first series is the baseline's, of no layer"
    );
    assert_eq!(rows[0][3], "", "no record before the UK's deploy");

    let (header, rows) = csv_of(&["validate", BROKEN]);
    assert_eq!(header, ["file", "line", "column", "message"]);
    assert_eq!(rows.len(), BROKEN_PROBLEMS.len());
}

/// Without FILE the bundled scenario is used, and stderr says so; without
/// --at, totals are at the last date with a record.
#[test]
fn the_bundled_scenario_is_named_and_at_defaults_to_the_last_record() {
    let (code, stdout, stderr) = posture(&["totals"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("note: no FILE given: using the bundled Madrid 2022 scenario"),
        "{stderr}"
    );
    let madrid = scenario::madrid_2022().unwrap();
    let last = madrid
        .ledger()
        .events()
        .iter()
        .filter(|e| e.layer().is_none())
        .map(|e| e.effective())
        .max()
        .unwrap();
    assert!(
        stdout.starts_with(&format!("Madrid 2022 · totals at the end of {last}")),
        "{stdout}"
    );
    let (_, _, stderr) = posture(&["totals", AGREEING]);
    assert!(!stderr.contains("bundled"), "{stderr}");
}

/// A published quarterly table — hosts without ISO codes, filler rows, a
/// quarter with no report, service columns, a region column — loads from a
/// scenario file of twenty lines through `posture totals`, with no code;
/// its totals by region equal the table's own sums for every quarter with a
/// report, summed here from the CSV by hand.
#[test]
fn a_published_table_imported_by_a_scenario_file_totals_as_the_table_sums() {
    const FILE: &str = "tests/data/dmdc-quarterly.toml";
    let table = std::fs::read_to_string("tests/data/dmdc-quarterly.csv").unwrap();
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (date, region, source, troops) =
        (col("date"), col("region"), col("source"), col("troops_ad"));
    let mut sums: std::collections::BTreeMap<(String, String), u64> = Default::default();
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        if f[source].is_empty() {
            continue; // a filler row: no report
        }
        *sums
            .entry((f[date].to_string(), f[region].to_string()))
            .or_default() += f[troops].parse::<u64>().unwrap();
    }
    let ids = [
        ("Europe & Central Asia", "europe-central-asia"),
        ("East Asia & Pacific", "east-asia-pacific"),
    ];
    let mut checked = 0;
    for ((day, name), sum) in &sums {
        let Some((_, id)) = ids.iter().find(|(n, _)| n == name) else {
            continue;
        };
        let v = json(
            &[
                "totals",
                FILE,
                "--at",
                day,
                "--scope",
                &format!("in:{id}"),
                "--metric",
                "personnel",
            ],
            0,
        );
        assert_eq!(
            v["total"]["totals"]["personnel"]["count"], *sum,
            "{name} on {day}"
        );
        checked += 1;
    }
    assert_eq!(checked, 8, "two regions, four quarters with a report");
    // Tables for people name a region as the table does; JSON keeps its id.
    let (_, text, _) = posture(&["totals", FILE, "--at", "2022-09-30"]);
    assert!(
        text.lines()
            .any(|l| l.starts_with("in Europe & Central Asia ")),
        "{text}"
    );
    assert!(!text.contains("europe-central-asia"), "{text}");
    // The quarter of filler rows alone is no report of zero: figures carry on.
    let last = sums.keys().map(|(d, _)| d.clone()).max().unwrap();
    let v = json(
        &[
            "totals",
            FILE,
            "--at",
            "2022-12-31",
            "--scope",
            "in:europe-central-asia",
            "--metric",
            "personnel",
        ],
        0,
    );
    let europe = sums[&(last.clone(), "Europe & Central Asia".to_string())];
    assert_eq!(v["total"]["totals"]["personnel"]["count"], europe);
    assert_eq!(v["total"]["totals"]["personnel"]["newest"], last.as_str());
}

/// `posture import` turns a published table into a scenario file that every
/// command reads, with the same figures as a scenario importing the table;
/// `-` reads the table from standard input.
#[test]
fn import_turns_a_table_into_a_scenario_file() {
    let args = [
        "import",
        "tests/data/dmdc-quarterly.csv",
        "--spec",
        "tests/data/dmdc-spec.toml",
        "--name",
        "US personnel abroad",
    ];
    let (code, stdout, stderr) = posture(&args);
    assert_eq!(code, 0, "{stderr}");
    let file = tmp("imported.toml");
    std::fs::write(&file, &stdout).unwrap();
    let imported = scenario::Scenario::from_path(&file).unwrap();
    assert_eq!(imported.name(), "US personnel abroad");
    let by_import = scenario::Scenario::from_path("tests/data/dmdc-quarterly.toml").unwrap();
    for host in ["DEU", "ITA", "POL", "XKX", "JPN", "KOR", "BHR"] {
        let s = Scope::all().in_country(posture_ledger::Country::new(host).unwrap());
        for day in ["2021-09-30", "2022-03-31", "2022-12-31"] {
            let d = day.parse().unwrap();
            assert_eq!(
                imported.ledger().total(&s, &Metric::PERSONNEL, d).unwrap(),
                by_import.ledger().total(&s, &Metric::PERSONNEL, d).unwrap(),
                "{host} on {day}"
            );
        }
    }
    // From standard input, the same records.
    let table = std::fs::read("tests/data/dmdc-quarterly.csv").unwrap();
    let out = cargo_bin_cmd!("posture")
        .args([
            "import",
            "-",
            "--spec",
            "tests/data/dmdc-spec.toml",
            "--name",
            "US personnel abroad",
        ])
        .write_stdin(table)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let from_stdin = String::from_utf8(out.stdout).unwrap();
    let piped = scenario::Scenario::from_toml(&from_stdin, "piped.toml").unwrap();
    assert_eq!(
        piped.ledger().events().len(),
        imported.ledger().events().len()
    );
    let germany = Scope::all().in_country(posture_ledger::Country::new("DEU").unwrap());
    let d = "2022-09-30".parse().unwrap();
    assert_eq!(
        piped
            .ledger()
            .total(&germany, &Metric::PERSONNEL, d)
            .unwrap(),
        imported
            .ledger()
            .total(&germany, &Metric::PERSONNEL, d)
            .unwrap()
    );
    // A table with a problem is refused at its line, and nothing is written.
    let bad = tmp("bad-table.csv");
    std::fs::write(
        &bad,
        "date,contributor,host,metric,value\n2022-09-30,USA,DEU,personnel,1,65\n",
    )
    .unwrap();
    let (code, stdout, stderr) = posture(&["import", bad.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("bad-table.csv:2"), "{stderr}");
}

/// The README's table import shows what the command prints.
#[test]
fn the_readme_shows_the_table_import_as_the_command_prints_it() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (code, stdout, stderr) = posture(&[
        "totals",
        "tests/data/dmdc-quarterly.toml",
        "--at",
        "2022-09-30",
    ]);
    assert_eq!(code, 0, "{stderr}");
    // The table as printed, up to its last row; the note under it is left out there.
    let table: String = stdout.split("\n\nRows overlap").next().unwrap().to_string();
    assert!(
        readme.contains(&table),
        "the README's block is not\n{table}"
    );
}
