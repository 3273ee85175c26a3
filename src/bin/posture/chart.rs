//! `posture chart`: a timeline of a scope's total, the baseline and each
//! what-if layer (or a line per group), as SVG or PNG, drawn by
//! `posture_ledger::chart`.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::builder::TypedValueParser as _;
use clap::{Args, ValueEnum};
use posture_ledger::chart::{self, ChartOptions, Line, Timeline};
use posture_ledger::{CheckOptions, Count, Country, EventId, LayerId, Ledger, Metric};
use serde::Serialize;

use crate::groups::By;
use crate::table::{self, Table};
use crate::{Common, Done, Failure, Format, Query};

#[derive(Args, Debug)]
pub struct ChartArgs {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    query: Query,
    /// The first date; the earliest event's date when left out.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::parse_date)]
    from: Option<NaiveDate>,
    /// The last date; the latest event's date when left out.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::parse_date)]
    to: Option<NaiveDate>,
    /// A what-if layer to draw beside the baseline; repeat for several.
    /// Every layer of the scenario when left out.
    #[arg(long, value_name = "LAYER", value_parser = crate::parse_layer, conflicts_with = "by")]
    layer: Vec<LayerId>,
    /// Draws the baseline alone, without what-if layers.
    #[arg(long, conflicts_with = "layer")]
    baseline_only: bool,
    /// A line per group of the scope, in the baseline: per host country,
    /// contributing country, footing or unit kind. At most 8 lines, the
    /// smallest groups drawn together as "other".
    #[arg(long, value_enum)]
    by: Option<By>,
    /// The chart's title; the scope and metric in words when left out.
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// The line under the title; the scenario and the range when left out.
    #[arg(long, value_name = "TEXT")]
    subtitle: Option<String>,
    /// Marks an event (by id) with a line at the date it takes effect,
    /// labelled with its kind and unit, or with LABEL after `=`; repeat for
    /// several.
    #[arg(long, value_name = "EVENT[=LABEL]")]
    mark: Vec<String>,
    /// Leaves out the scenario's claims, otherwise drawn as intervals.
    #[arg(long)]
    no_claims: bool,
    /// The picture's width in pixels.
    #[arg(long, value_name = "PIXELS", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(200..=8000))]
    width: u32,
    /// The picture's height in pixels.
    #[arg(long, value_name = "PIXELS", default_value_t = 600, value_parser = clap::value_parser!(u32).range(150..=8000))]
    height: u32,
    /// Where to write the picture: a file name ending in `.svg` or `.png`,
    /// which chooses the format. The file is replaced only once the whole
    /// picture is written.
    #[arg(short, long, value_name = "OUT.svg|OUT.png", value_parser = output_path())]
    output: PathBuf,
}

/// A picture's format, from its file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Picture {
    Svg,
    Png,
}

/// Reads `-o` as a path (which need not be UTF-8), checked by `check_output`.
fn output_path() -> impl clap::builder::TypedValueParser<Value = PathBuf> {
    clap::builder::PathBufValueParser::new().try_map(check_output)
}

/// The format a file name asks for, if it is one this binary draws.
fn picture(path: &Path) -> Option<Picture> {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => Some(Picture::Svg),
        Some(e) if e.eq_ignore_ascii_case("png") => Some(Picture::Png),
        _ => None,
    }
}

/// Checks `-o`: a file name ending in `.svg` or `.png`. Refused here,
/// before anything is read or written, so that a picture never lands under
/// a name that says another format.
fn check_output(path: PathBuf) -> Result<PathBuf, String> {
    if path.as_os_str() == "-" {
        return Err(
            "the chart is written to a file, not to stdout (which carries its table or JSON): \
             give a file name ending in `.svg` or `.png`"
                .to_string(),
        );
    }
    match picture(&path) {
        Some(_) => Ok(path),
        None => Err(
            "charts are drawn as SVG or PNG, chosen by the file name: it must end in `.svg` or `.png`"
                .to_string(),
        ),
    }
}

/// `chart --format json`; docs/cli.md documents it.
#[derive(Serialize)]
struct Output<'a> {
    schema_version: u32,
    command: &'static str,
    scenario: String,
    known_at: Option<NaiveDate>,
    query: String,
    scope: String,
    metric: String,
    by: Option<By>,
    from: NaiveDate,
    to: NaiveDate,
    output: String,
    title: &'a str,
    subtitle: &'a str,
    dates: &'a [NaiveDate],
    series: &'a [chart::Series],
    claims: &'a [chart::ClaimMark],
    markers: &'a [chart::Marker],
    sources: &'a [String],
}

pub fn run(args: &ChartArgs) -> Result<Done, Failure> {
    let scenario = crate::load(args.common.file.as_ref())?;
    let ledger = scenario.ledger();
    let text = args.query.scope.as_deref();
    let scope = crate::parse_scope(text, ledger)?;
    let metric = match &args.query.metric {
        Some(m) => crate::groups::metrics(ledger, Some(m))?.remove(0),
        None => default_metric(ledger)?,
    };
    if let (Some(from), Some(to)) = (args.from, args.to) {
        if from > to {
            return Err(Failure::new(format!(
                "--from {from} is after --to {to}: the chart runs forwards in time"
            )));
        }
    }
    let known_at = args.common.known_at;
    let mut options = ChartOptions::new().size(args.width, args.height);
    if let Some(d) = args.from {
        options = options.from(d);
    }
    if let Some(d) = args.to {
        options = options.to(d);
    }
    if let Some(k) = known_at {
        options = options.known_at(k);
    }
    if let Some(days) = args.common.max_age {
        options = options.max_age(days);
    }
    let timeline = match args.by {
        Some(by) => {
            let groups = crate::groups::split(ledger, text, &scope, by)?
                .into_iter()
                .filter_map(|g| {
                    let key = g.key?;
                    // Groups that can overlap (a region holds its countries,
                    // an alliance its members' units) are drawn by country
                    // alone, which never overlap: the rest is "other".
                    let label = match key.parse::<Country>() {
                        Ok(c) => c.name().to_string(),
                        Err(_) if by.overlaps() => return None,
                        Err(_) => capitalised(&key.replace('_', " ")),
                    };
                    Some(Line {
                        label,
                        scope: g.scope,
                        layer: None,
                    })
                })
                .collect();
            Timeline::grouped(ledger, &scope, &metric, groups, &options)?
        }
        None => {
            let layers: Vec<LayerId> = if args.baseline_only {
                Vec::new()
            } else if args.layer.is_empty() {
                ledger.layers().iter().map(|l| l.id.clone()).collect()
            } else {
                for l in &args.layer {
                    crate::check_layer(ledger, l)?;
                }
                args.layer.clone()
            };
            Timeline::with_layers(ledger, &scope, &metric, &layers, &options)?
        }
    };
    // A claim is about the whole scope, which a chart by group draws no
    // line of: beside the groups' lines it would mislead.
    let timeline = if args.no_claims || args.by.is_some() {
        timeline
    } else {
        // The claims as `check` reads them: under the file's policy.
        let mut check = CheckOptions::from(scenario.policy());
        if let Some(k) = known_at {
            check = check.known_at(k);
        }
        if let Some(days) = args.common.max_age {
            check = check.max_age(days);
        }
        let report = ledger.check_with(scenario.claims(), check)?;
        timeline.with_claims(scenario.claims(), &report)
    };
    let (from, to) = match timeline.dates() {
        [first, .., last] => (*first, *last),
        [only] => (*only, *only),
        [] => return Err(Failure::new("internal error: a chart with no dates")),
    };
    let subtitle = match &args.subtitle {
        Some(s) => s.clone(),
        None => format!(
            "{}: totals at the end of each day, {from} to {to}{}",
            scenario.name(),
            crate::as_known(known_at)
        ),
    };
    let mut timeline = timeline.with_subtitle(subtitle);
    if let Some(t) = &args.title {
        timeline = timeline.with_title(t.clone());
    }
    for mark in &args.mark {
        let (id, label) = match mark.split_once('=') {
            Some((id, label)) => (id, Some(label)),
            None => (mark.as_str(), None),
        };
        let event = EventId::new(id).map_err(|e| Failure::new(format!("--mark `{mark}`: {e}")))?;
        timeline = timeline
            .with_event(ledger, &event, label)
            .map_err(|e| Failure::new(format!("--mark `{mark}`: {e}")))?;
    }
    let dates = timeline.dates();
    let bytes = match picture(&args.output) {
        Some(Picture::Png) => timeline.png()?,
        _ => timeline.svg()?.into_bytes(),
    };

    let stdout = match args.common.format {
        Format::Json => crate::to_json(&Output {
            schema_version: crate::SCHEMA_VERSION,
            command: "chart",
            scenario: scenario.name().to_string(),
            known_at,
            query: crate::groups::whole(text, &scope).query,
            scope: scope.to_string(),
            metric: metric.to_string(),
            by: args.by,
            from,
            to,
            output: args.output.display().to_string(),
            title: timeline.title(),
            subtitle: timeline.subtitle(),
            dates,
            series: timeline.series(),
            claims: timeline.claims(),
            markers: timeline.markers(),
            sources: timeline.sources(),
        })?,
        Format::Csv => {
            let mut csv = crate::csv::Csv::new(&["date", "series", "layer", "count", "stale"]);
            for s in timeline.series() {
                for (i, (d, t)) in dates.iter().zip(&s.totals).enumerate() {
                    csv.row([
                        d.to_string(),
                        s.label.clone(),
                        crate::csv::opt(s.layer.as_ref()),
                        crate::csv::opt(*t),
                        s.stale.get(i).copied().unwrap_or(false).to_string(),
                    ]);
                }
            }
            csv.finish()
        }
        Format::Text => {
            let mut out = format!(
                "{} · {}, {metric}, at the end of each date{}\n\n",
                scenario.name(),
                scope.named(ledger),
                crate::as_known(known_at)
            );
            let series = timeline.series();
            let header = std::iter::once("date".to_string())
                .chain(series.iter().map(|s| s.label.clone()))
                .collect();
            let mut t = Table::new(1, header);
            for (i, d) in dates.iter().enumerate() {
                t.row(
                    std::iter::once(d.to_string())
                        .chain(series.iter().map(|s| match s.totals[i] {
                            Some(n) => table::count(Count::new(n)),
                            None => table::NO_RECORD.to_string(),
                        }))
                        .collect(),
                );
            }
            out.push_str(&t.render());
            out.push_str(&format!(
                "\n{}\nwrote {}\n",
                timeline.source_line(),
                args.output.display()
            ));
            out
        }
    };
    // Last, once everything else has succeeded: the picture replaces the
    // file only when it is whole.
    write_atomically(&args.output, &bytes).map_err(|e| {
        Failure::new(format!(
            "cannot write the chart to {}: {e}",
            args.output.display()
        ))
    })?;
    Ok(Done::ok(stdout))
}

/// `text` with its first letter upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// renamed over `path` only once it is complete and synced: a failure at any
/// point (a full disk, a panic, a kill) leaves an existing file as it was.
/// The temporary file takes the permissions of the file it replaces, and a
/// symbolic link is written through, not replaced.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = match std::fs::symlink_metadata(path) {
        // A link to a file not there yet is followed one step, as opening
        // it for writing would.
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).or_else(|_| {
            std::fs::read_link(path).map(|to| match path.parent() {
                Some(dir) => dir.join(to),
                None => to,
            })
        })?,
        _ => path.to_path_buf(),
    };
    let (temp, mut file) = temporary_beside(&target)?;
    let written = (|| {
        if let Ok(existing) = std::fs::metadata(&target) {
            file.set_permissions(existing.permissions())?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// A new file in the directory of `path`, named after it (`.chart.svg.123-0.tmp`),
/// that no other process has: created with `create_new`, so never one that
/// already exists.
fn temporary_beside(path: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    for n in 0..100 {
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}-{n}.tmp", std::process::id()));
        let temp = dir.join(temp_name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "no free name for a temporary file",
    ))
}

/// Personnel when the scenario counts it, else its first metric.
fn default_metric(ledger: &Ledger) -> Result<Metric, Failure> {
    let all = crate::groups::metrics(ledger, None)?;
    if all.contains(&Metric::PERSONNEL) {
        return Ok(Metric::PERSONNEL);
    }
    all.into_iter()
        .next()
        .ok_or_else(|| Failure::new("the scenario has no units, so nothing to chart"))
}
