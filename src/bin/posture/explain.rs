//! `posture explain`: why a total is what it is — the events behind it, one
//! line each with the running balance, like an account's register — or, with
//! `--announced`, the changes announced by the date and not yet effective.

use chrono::NaiveDate;
use clap::Args;
use posture_ledger::{Entry, LayerId, Listing, Metric, Register};
use serde::Serialize;

use crate::{Common, Done, Failure, Format};

#[derive(Args, Debug)]
pub struct ExplainArgs {
    #[command(flatten)]
    common: Common,
    /// The date of the total: the events effective on or before it; with
    /// --announced, the changes announced by it and effective after it.
    /// The last date with a record when left out.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::parse_date)]
    at: Option<NaiveDate>,
    /// The scope of the total, as for `totals` ("all" for everything). For
    /// example "from:NATO in:baltic-states".
    #[arg(long, value_name = "SCOPE")]
    scope: String,
    /// One metric; every metric with something in its register when left out.
    #[arg(long, value_name = "METRIC", value_parser = crate::parse_metric)]
    metric: Option<Metric>,
    /// Explains the total with a what-if layer on top of the baseline.
    #[arg(long, value_name = "LAYER", value_parser = crate::parse_layer)]
    layer: Option<LayerId>,
    /// Lists the changes announced by --at and not yet effective then,
    /// instead of the events behind the total.
    #[arg(long)]
    announced: bool,
}

/// `explain --format json`; docs/cli.md documents it.
#[derive(Serialize)]
struct Output {
    schema_version: u32,
    command: &'static str,
    scenario: String,
    query: String,
    scope: String,
    date: NaiveDate,
    known_at: Option<NaiveDate>,
    layer: Option<String>,
    announced: bool,
    registers: Vec<JsonRegister>,
}

#[derive(Serialize)]
struct JsonRegister {
    metric: String,
    /// `null` where no event records the scope (for a total, not 0).
    total: Option<i128>,
    entries: Vec<JsonEntry>,
}

#[derive(Serialize)]
struct JsonEntry {
    event: String,
    unit: String,
    kind: String,
    effective: NaiveDate,
    announced: Option<NaiveDate>,
    known: Option<NaiveDate>,
    source: Option<JsonSource>,
    corrects: Option<JsonCorrects>,
    change: i128,
    balance: i128,
}

#[derive(Serialize)]
struct JsonSource {
    document: String,
    reported: Option<NaiveDate>,
    line: Option<u32>,
    quote: Option<String>,
    may_include: Option<String>,
}

#[derive(Serialize)]
struct JsonCorrects {
    event: String,
    reason: String,
}

pub fn run(args: &ExplainArgs) -> Result<Done, Failure> {
    let scenario = crate::load(args.common.file.as_ref())?;
    let ledger = scenario.ledger();
    let scope = crate::parse_scope(Some(&args.scope), ledger)?;
    let metrics = crate::groups::metrics(ledger, args.metric.as_ref())?;
    let known_at = args.common.known_at;
    let view = crate::view(ledger, args.layer.as_ref(), &args.common)?;
    let at = match args.at {
        Some(at) => at,
        None => crate::last_record(ledger)?,
    };
    let mut registers = metrics
        .iter()
        .map(|m| {
            Ok(if args.announced {
                view.announced(&scope, m, at)?
            } else {
                view.explain(&scope, m, at)?
            })
        })
        .collect::<Result<Vec<Register>, Failure>>()?;
    // Metrics with nothing in their register are left out, unless all are.
    if registers.iter().any(|r| !r.entries().is_empty()) {
        registers.retain(|r| !r.entries().is_empty());
    }

    let stdout = match args.common.format {
        Format::Json => crate::to_json(&Output {
            schema_version: crate::SCHEMA_VERSION,
            command: "explain",
            scenario: scenario.name().to_string(),
            query: crate::groups::whole(Some(&args.scope), &scope).query,
            scope: scope.to_string(),
            date: at,
            known_at,
            layer: args.layer.as_ref().map(ToString::to_string),
            announced: args.announced,
            registers: registers.iter().map(json_register).collect(),
        })?,
        Format::Csv => {
            let mut csv = crate::csv::Csv::new(&[
                "metric",
                "event",
                "unit",
                "kind",
                "effective",
                "announced",
                "known",
                "change",
                "balance",
                "document",
                "line",
            ]);
            for r in &registers {
                for e in r.entries() {
                    csv.row([
                        r.metric().to_string(),
                        e.event.to_string(),
                        e.unit.to_string(),
                        e.kind.clone(),
                        e.effective.to_string(),
                        crate::csv::opt(e.announced),
                        crate::csv::opt(e.known),
                        e.change.to_string(),
                        e.balance.to_string(),
                        crate::csv::opt(e.source.as_ref().map(|s| &s.document)),
                        crate::csv::opt(e.source.as_ref().and_then(|s| s.line)),
                    ]);
                }
            }
            csv.finish()
        }
        Format::Text => {
            let what = if args.announced {
                format!("changes announced by {} and not yet effective", at)
            } else {
                format!("the events behind each total at the end of {}", at)
            };
            let mut out = format!(
                "{} · {what}{} · {}\n",
                scenario.name(),
                crate::as_known(known_at),
                match &args.layer {
                    Some(l) => format!("baseline with layer `{l}`"),
                    None => "baseline".to_string(),
                }
            );
            // Each register as the library writes it.
            for r in &registers {
                out.push('\n');
                out.push_str(&r.with_scope(&scope.named(ledger)).to_string());
            }
            out
        }
    };
    Ok(Done::ok(stdout))
}

fn json_register(r: &Register) -> JsonRegister {
    JsonRegister {
        metric: r.metric().to_string(),
        total: match r.listing() {
            Listing::Total if !r.is_recorded() => None,
            _ => Some(r.total()),
        },
        entries: r.entries().iter().map(json_entry).collect(),
    }
}

fn json_entry(e: &Entry) -> JsonEntry {
    JsonEntry {
        event: e.event.to_string(),
        unit: e.unit.to_string(),
        kind: e.kind.clone(),
        effective: e.effective,
        announced: e.announced,
        known: e.known,
        source: e.source.as_ref().map(|s| JsonSource {
            document: s.document.to_string(),
            reported: s.reported,
            line: s.line,
            quote: s.quote.clone(),
            may_include: s.may_include.clone(),
        }),
        corrects: e.corrects.as_ref().map(|(id, reason)| JsonCorrects {
            event: id.to_string(),
            reason: reason.clone(),
        }),
        change: e.change,
        balance: e.balance,
    }
}
