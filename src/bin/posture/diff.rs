//! `posture diff`: before, after, change and ratio per scope and metric.

use chrono::NaiveDate;
use clap::Args;
use posture_ledger::{Comparison, LayerId, Metric, Scope, Total, View};
use serde::Serialize;

use crate::groups::{self, By, Group};
use crate::table::{self, Table};
use crate::{Common, Done, Failure, Format, Query};

#[derive(Args, Debug)]
pub struct DiffArgs {
    #[command(flatten)]
    common: Common,
    /// The date of the "before" figures, always in the baseline. With
    /// --layer it may be left out: it is then --to.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::parse_date)]
    from: Option<NaiveDate>,
    /// The date of the "after" figures (in --layer when given); the last
    /// date with a record when left out.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::parse_date)]
    to: Option<NaiveDate>,
    /// Takes the "after" figures with this what-if layer on top of the baseline.
    #[arg(long, value_name = "LAYER", value_parser = crate::parse_layer)]
    layer: Option<LayerId>,
    #[command(flatten)]
    query: Query,
    /// A row per group within the scope; `host` when there is no --scope,
    /// the scope's rows alone otherwise.
    #[arg(long, value_enum)]
    by: Option<By>,
}

/// `diff --format json`; docs/cli.md documents it.
#[derive(Serialize)]
struct Output {
    schema_version: u32,
    command: &'static str,
    scenario: String,
    known_at: Option<NaiveDate>,
    before: Side,
    after: Side,
    by: Option<By>,
    metrics: Vec<String>,
    rows: Vec<Row>,
    total: Vec<Row>,
}

#[derive(Serialize)]
struct Side {
    date: NaiveDate,
    layer: Option<String>,
}

#[derive(Serialize)]
struct Row {
    group: Option<String>,
    query: String,
    scope: String,
    metric: String,
    before: Total,
    after: Total,
    change: Option<i128>,
    ratio: Option<String>,
}

/// The two sides of a diff: the baseline at `from`, and the baseline (or
/// with a layer) at `to`, both as known on the same date when one is given.
struct Sides<'a> {
    from: NaiveDate,
    to: NaiveDate,
    layer: Option<&'a LayerId>,
    known_at: Option<NaiveDate>,
    before: View<'a>,
    after: View<'a>,
}

impl Sides<'_> {
    /// The comparison for one scope and metric, from the library: with no
    /// layer, `View::compare`; with one, the two views' totals (what
    /// `Ledger::what_if` compares when the dates are the same).
    fn compare(&self, scope: &Scope, metric: &Metric) -> Result<Comparison, Failure> {
        Ok(if self.layer.is_none() {
            self.before.compare(scope, metric, self.from, self.to)?
        } else {
            Comparison::new(
                metric.clone(),
                self.before.total(scope, metric, self.from)?,
                self.after.total(scope, metric, self.to)?,
            )
        })
    }
}

pub fn run(args: &DiffArgs) -> Result<Done, Failure> {
    let scenario = crate::load(args.common.file.as_ref())?;
    let ledger = scenario.ledger();
    let text = args.query.scope.as_deref();
    let scope = crate::parse_scope(text, ledger)?;
    let metrics = groups::metrics(ledger, args.query.metric.as_ref())?;
    let to = match args.to {
        Some(to) => to,
        None => crate::last_record(ledger)?,
    };
    let from = match (args.from, &args.layer) {
        (Some(from), _) => from,
        (None, Some(_)) => to,
        (None, None) => {
            return Err(Failure::new(
                "diff needs --from, or --layer to compare the baseline with a what-if layer",
            ))
        }
    };
    let known_at = args.common.known_at;
    let sides = Sides {
        from,
        to,
        layer: args.layer.as_ref(),
        known_at,
        before: crate::view(ledger, None, &args.common)?,
        after: crate::view(ledger, args.layer.as_ref(), &args.common)?,
    };
    let by = args
        .by
        .or(if text.is_none() { Some(By::Host) } else { None });
    let split = match by {
        Some(by) => groups::split(ledger, text, &scope, by)?,
        None => Vec::new(),
    };
    let mut rows = Vec::new();
    for group in &split {
        for metric in &metrics {
            let c = sides.compare(&group.scope, metric)?;
            // No record on either side: no row.
            if c.before().is_recorded() || c.after().is_recorded() {
                rows.push((group, c));
            }
        }
    }
    let whole = groups::whole(text, &scope);
    let mut total = Vec::new();
    for metric in &metrics {
        total.push((&whole, sides.compare(&whole.scope, metric)?));
    }
    // Metrics with no record on either side are left out, unless all are.
    let recorded = |c: &Comparison| c.before().is_recorded() || c.after().is_recorded();
    if total.iter().any(|(_, c)| recorded(c)) {
        total.retain(|(_, c)| recorded(c));
    }

    let side = |date, layer: Option<&LayerId>| Side {
        date,
        layer: layer.map(ToString::to_string),
    };
    let stdout = match args.common.format {
        Format::Json => crate::to_json(&Output {
            schema_version: crate::SCHEMA_VERSION,
            command: "diff",
            scenario: scenario.name().to_string(),
            known_at: sides.known_at,
            before: side(sides.from, None),
            after: side(sides.to, sides.layer),
            by,
            metrics: metrics.iter().map(ToString::to_string).collect(),
            rows: rows.iter().map(|(g, c)| json_row(g, c)).collect(),
            total: total.iter().map(|(g, c)| json_row(g, c)).collect(),
        })?,
        Format::Csv => {
            let mut csv = crate::csv::Csv::new(&[
                "known_at",
                "before_date",
                "after_date",
                "after_layer",
                "group",
                "query",
                "scope",
                "metric",
                "before",
                "after",
                "change",
                "ratio",
            ]);
            for (g, c) in rows.iter().chain(&total) {
                csv.row([
                    crate::csv::opt(sides.known_at),
                    sides.from.to_string(),
                    sides.to.to_string(),
                    crate::csv::opt(sides.layer),
                    g.key.clone().unwrap_or_default(),
                    g.query.clone(),
                    g.scope.to_string(),
                    c.metric().to_string(),
                    crate::csv::opt(c.before().get()),
                    crate::csv::opt(c.after().get()),
                    crate::csv::opt(c.change()),
                    crate::csv::opt(c.ratio()),
                ]);
            }
            csv.finish()
        }
        Format::Text => {
            let after = match sides.layer {
                Some(l) => format!("layer `{l}`"),
                None => "baseline".to_string(),
            };
            let mut out = if sides.from == sides.to {
                format!(
                    "{} · baseline → {after}, both at the end of {}{}\n\n",
                    scenario.name(),
                    sides.to,
                    crate::as_known(sides.known_at)
                )
            } else {
                format!(
                    "{} · baseline at the end of {} → {after} at the end of {}{}\n\n",
                    scenario.name(),
                    sides.from,
                    sides.to,
                    crate::as_known(sides.known_at)
                )
            };
            let header = ["scope", "metric", "before", "after", "change", "ratio"];
            let mut t = Table::new(2, header.map(String::from).to_vec());
            let cells = |g: &Group, c: &Comparison| {
                [
                    g.scope.named(scenario.ledger()).to_string(),
                    c.metric().to_string(),
                ]
                .into_iter()
                .chain(table::comparison(c))
                .collect()
            };
            for (g, c) in &rows {
                t.row(cells(g, c));
            }
            for (g, c) in &total {
                t.footer(cells(g, c));
            }
            out.push_str(&t.render());
            out.push_str(&table::notes(
                rows.iter()
                    .chain(&total)
                    .flat_map(|(_, c)| [c.before(), c.after()])
                    .collect::<Vec<_>>()
                    .iter(),
            ));
            if let Some(note) = groups::overlap_note(by, rows.len(), "the last rows are") {
                out.push_str(&note);
            }
            out
        }
    };
    Ok(Done::ok(stdout))
}

fn json_row(group: &Group, c: &Comparison) -> Row {
    Row {
        group: group.key.clone(),
        query: group.query.clone(),
        scope: group.scope.to_string(),
        metric: c.metric().to_string(),
        before: c.before(),
        after: c.after(),
        change: c.change(),
        ratio: c.ratio().map(|r| r.to_string()),
    }
}
