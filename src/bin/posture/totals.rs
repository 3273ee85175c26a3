//! `posture totals`: a table of totals at the end of one date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use clap::Args;
use posture_ledger::{Caveat, LayerId, Metric, Total, View};
use serde::Serialize;

use crate::groups::{self, By, Group};
use crate::table::{self, Table};
use crate::{Common, Done, Failure, Format, Query};

#[derive(Args, Debug)]
pub struct TotalsArgs {
    #[command(flatten)]
    common: Common,
    /// The date: totals count every event effective on or before it. The
    /// last date with a record when left out.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::parse_date)]
    at: Option<NaiveDate>,
    #[command(flatten)]
    query: Query,
    /// A row per group within the scope; `host` when there is no --scope,
    /// a single row for the scope otherwise.
    #[arg(long, value_enum)]
    by: Option<By>,
    /// Totals with a what-if layer (such as `requested`) on top of the baseline.
    #[arg(long, value_name = "LAYER", value_parser = crate::parse_layer)]
    layer: Option<LayerId>,
}

/// `totals --format json`; docs/cli.md documents it.
#[derive(Serialize)]
struct Output {
    schema_version: u32,
    command: &'static str,
    scenario: String,
    date: NaiveDate,
    known_at: Option<NaiveDate>,
    layer: Option<String>,
    by: Option<By>,
    metrics: Vec<String>,
    rows: Vec<Row>,
    total: Row,
}

#[derive(Serialize)]
struct Row {
    group: Option<String>,
    query: String,
    scope: String,
    totals: BTreeMap<String, Total>,
    /// Where the row's figures may count forces twice.
    overlaps: Vec<Caveat>,
}

pub fn run(args: &TotalsArgs) -> Result<Done, Failure> {
    let scenario = crate::load(args.common.file.as_ref())?;
    let ledger = scenario.ledger();
    let text = args.query.scope.as_deref();
    let scope = crate::parse_scope(text, ledger)?;
    let metrics = groups::metrics(ledger, args.query.metric.as_ref())?;
    let view = crate::view(ledger, args.layer.as_ref(), &args.common)?;
    let at = match args.at {
        Some(at) => at,
        None => crate::last_record(ledger)?,
    };
    let by = args
        .by
        .or(if text.is_none() { Some(By::Host) } else { None });
    let split = match by {
        Some(by) => groups::split(ledger, text, &scope, by)?,
        None => Vec::new(),
    };
    let mut rows = Vec::new();
    for group in split {
        let counts = totals(&view, &group, &metrics, at)?;
        // A group with no record on the date is left out; one whose
        // record says 0 is not.
        if counts.iter().any(Total::is_recorded) {
            rows.push((group, counts));
        }
    }
    let whole = groups::whole(text, &scope);
    let whole_counts = totals(&view, &whole, &metrics, at)?;
    let mut overlaps = Vec::new();
    for group in rows.iter().map(|(g, _)| g).chain([&whole]) {
        overlaps.push(groups::counted_twice(&view, &group.scope, &metrics, at)?);
    }

    let stdout = match args.common.format {
        Format::Json => crate::to_json(&Output {
            schema_version: crate::SCHEMA_VERSION,
            command: "totals",
            scenario: scenario.name().to_string(),
            date: at,
            known_at: args.common.known_at,
            layer: args.layer.as_ref().map(ToString::to_string),
            by,
            metrics: metrics.iter().map(ToString::to_string).collect(),
            rows: rows
                .iter()
                .zip(&overlaps)
                .map(|((g, c), o)| json_row(g, &metrics, c, o))
                .collect(),
            total: json_row(
                &whole,
                &metrics,
                &whole_counts,
                overlaps.last().map_or(&[], Vec::as_slice),
            ),
        })?,
        Format::Csv => {
            let mut csv = crate::csv::Csv::new(&[
                "date", "known_at", "layer", "group", "query", "scope", "metric", "count",
                "newest", "stale",
            ]);
            for (g, counts) in rows
                .iter()
                .map(|(g, c)| (g, c))
                .chain([(&whole, &whole_counts)])
            {
                for (m, &t) in metrics.iter().zip(counts) {
                    let [count, newest, stale] = crate::csv::total(t);
                    csv.row([
                        at.to_string(),
                        crate::csv::opt(args.common.known_at),
                        crate::csv::opt(args.layer.as_ref()),
                        g.key.clone().unwrap_or_default(),
                        g.query.clone(),
                        g.scope.to_string(),
                        m.to_string(),
                        count,
                        newest,
                        stale,
                    ]);
                }
            }
            csv.finish()
        }
        Format::Text => {
            let mut out = format!(
                "{} · totals at the end of {}{} · {}\n\n",
                scenario.name(),
                at,
                crate::as_known(args.common.known_at),
                match &args.layer {
                    Some(l) => format!("baseline with layer `{l}`"),
                    None => "baseline".to_string(),
                }
            );
            let header = std::iter::once("scope".to_string())
                .chain(metrics.iter().map(ToString::to_string))
                .collect();
            let mut t = Table::new(1, header);
            let cells = |g: &Group, counts: &[Total]| {
                std::iter::once(g.scope.named(scenario.ledger()).to_string())
                    .chain(counts.iter().map(|&c| table::total(c)))
                    .collect()
            };
            for (g, c) in &rows {
                t.row(cells(g, c));
            }
            t.footer(cells(&whole, &whole_counts));
            out.push_str(&t.render());
            out.push_str(&table::notes(
                rows.iter().flat_map(|(_, c)| c).chain(&whole_counts),
            ));
            out.push_str(&groups::counted_twice_notes(
                rows.iter().map(|(g, _)| g).chain([&whole]).zip(&overlaps),
            ));
            if let Some(note) = groups::overlap_note(by, rows.len(), "the last row is") {
                out.push_str(&note);
            }
            out
        }
    };
    Ok(Done::ok(stdout))
}

/// The group's total in each metric, from the library.
fn totals(
    view: &View<'_>,
    group: &Group,
    metrics: &[Metric],
    at: NaiveDate,
) -> Result<Vec<Total>, Failure> {
    metrics
        .iter()
        .map(|m| view.total(&group.scope, m, at).map_err(Failure::from))
        .collect()
}

fn json_row(group: &Group, metrics: &[Metric], counts: &[Total], overlaps: &[Caveat]) -> Row {
    Row {
        group: group.key.clone(),
        query: group.query.clone(),
        scope: group.scope.to_string(),
        totals: metrics
            .iter()
            .zip(counts)
            .map(|(m, &c)| (m.to_string(), c))
            .collect(),
        overlaps: overlaps.to_vec(),
    }
}
