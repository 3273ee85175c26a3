//! `posture check`: the scenario's claims against the ledger and each other.

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;
use posture_ledger::{Caveat, CheckOptions, Finding, Interval, Ledger, Report, Rule, Verdict};
use serde::Serialize;

use crate::{Common, Done, Failure, Format, PolicyArg};

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    policy: PolicyArg,
}

/// `check --format json`; docs/cli.md documents it.
#[derive(Serialize)]
struct Output<'a> {
    schema_version: u32,
    command: &'static str,
    scenario: String,
    known_at: Option<NaiveDate>,
    claims: usize,
    conflicts: bool,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct Summary {
    findings: usize,
    conflicting: usize,
    unverifiable: usize,
    consistent: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    verdict: Verdict,
    rule: Rule,
    claims: Vec<&'a str>,
    events: Vec<&'a str>,
    evidence: Vec<JsonEvidence<'a>>,
    gap: Option<String>,
    summary: &'a str,
    caveats: Vec<JsonCaveat<'a>>,
}

/// A caveat as the library writes it, with its sentence beside it.
#[derive(Serialize)]
struct JsonCaveat<'a> {
    text: String,
    #[serde(flatten)]
    caveat: &'a Caveat,
}

#[derive(Serialize)]
struct JsonEvidence<'a> {
    label: &'a str,
    text: String,
    interval: &'a Interval,
}

pub fn run(args: &CheckArgs) -> Result<Done, Failure> {
    let scenario = crate::load(args.common.file.as_ref())?;
    let known_at = args.common.known_at;
    let options = CheckOptions::from(args.policy.over(&scenario)?);
    let options = match known_at {
        Some(k) => options.known_at(k),
        None => options,
    };
    let options = match args.common.max_age {
        Some(days) => options.max_age(days),
        None => options,
    };
    let report = scenario.ledger().check_with(scenario.claims(), options)?;
    let summary = summary(&report);
    let stdout = match args.common.format {
        Format::Json => crate::to_json(&Output {
            schema_version: crate::SCHEMA_VERSION,
            command: "check",
            scenario: scenario.name().to_string(),
            known_at,
            claims: scenario.claims().len(),
            conflicts: report.has_conflicts(),
            findings: report
                .findings()
                .iter()
                .map(|f| json_finding(f, scenario.ledger()))
                .collect(),
            summary,
        })?,
        Format::Csv => {
            let mut csv = crate::csv::Csv::new(&[
                "verdict", "rule", "claims", "events", "gap", "summary", "caveats",
            ]);
            for f in report.findings() {
                let ids = |v: &mut dyn Iterator<Item = String>| v.collect::<Vec<_>>().join(" ");
                csv.row([
                    crate::csv::name(&f.verdict),
                    crate::csv::name(&f.rule),
                    ids(&mut f.claims.iter().map(ToString::to_string)),
                    ids(&mut f.events.iter().map(ToString::to_string)),
                    crate::csv::opt(f.gap),
                    f.summary.clone(),
                    f.caveats
                        .iter()
                        .map(|c| c.named(scenario.ledger()).to_string())
                        .collect::<Vec<_>>()
                        .join("; "),
                ]);
            }
            csv.finish()
        }
        Format::Text => {
            let claims = crate::plural(scenario.claims().len(), "claim");
            // As known on a date, a heading says so; without one, the
            // report starts with the worst finding.
            let heading = known_at.map_or(String::new(), |k| {
                format!("{} · claims checked as known on {k}\n\n", scenario.name())
            });
            let body = if report.findings().is_empty() {
                format!("{}: {claims}, no findings\n", scenario.name())
            } else {
                format!(
                    "{}\n{}: {claims}, {}: {} conflicting, {} unverifiable, {} consistent\n",
                    report.named(scenario.ledger()),
                    scenario.name(),
                    crate::plural(summary.findings, "finding"),
                    summary.conflicting,
                    summary.unverifiable,
                    summary.consistent,
                )
            };
            heading + &body
        }
    };
    Ok(Done {
        stdout,
        status: if report.has_conflicts() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    })
}

/// `1 claim`, `26 claims`.
fn summary(report: &Report) -> Summary {
    Summary {
        findings: report.findings().len(),
        conflicting: report.with_verdict(Verdict::Conflicting).count(),
        unverifiable: report.with_verdict(Verdict::Unverifiable).count(),
        consistent: report.with_verdict(Verdict::Consistent).count(),
    }
}

fn json_finding<'a>(f: &'a Finding, ledger: &Ledger) -> JsonFinding<'a> {
    JsonFinding {
        verdict: f.verdict,
        rule: f.rule,
        claims: f.claims.iter().map(|c| c.as_str()).collect(),
        events: f.events.iter().map(|e| e.as_str()).collect(),
        evidence: f
            .evidence
            .iter()
            .map(|e| JsonEvidence {
                label: &e.label,
                text: e.interval.to_string(),
                interval: &e.interval,
            })
            .collect(),
        gap: f.gap.map(|g| g.to_string()),
        summary: &f.summary,
        caveats: f
            .caveats
            .iter()
            .map(|c| JsonCaveat {
                text: c.named(ledger).to_string(),
                caveat: c,
            })
            .collect(),
    }
}
