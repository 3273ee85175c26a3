//! `posture chart`: an SVG timeline of a scope's total, the baseline and each
//! what-if layer, at every event date in the range.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::builder::TypedValueParser as _;
use clap::Args;
use plotters::prelude::*;
use posture_ledger::{Count, LayerId, Ledger, Metric, Scope};
use serde::Serialize;

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
    #[arg(long, value_name = "LAYER", value_parser = crate::parse_layer)]
    layer: Vec<LayerId>,
    /// Draws the baseline alone, without what-if layers.
    #[arg(long, conflicts_with = "layer")]
    baseline_only: bool,
    /// Where to write the SVG picture: a file name ending in `.svg` (other
    /// formats, PNG among them, are not supported yet). The file is replaced
    /// only once the whole picture is written.
    #[arg(short, long, value_name = "OUT.svg", value_parser = output_path())]
    output: PathBuf,
}

/// Reads `-o` as a path (which need not be UTF-8), checked by `check_output`.
fn output_path() -> impl clap::builder::TypedValueParser<Value = PathBuf> {
    clap::builder::PathBufValueParser::new().try_map(check_output)
}

/// Checks `-o`: a file name ending in `.svg`, since SVG is all this binary
/// draws. Refused here, before anything is read or written, so that SVG
/// bytes never land under a `.png` name.
fn check_output(path: PathBuf) -> Result<PathBuf, String> {
    if path.as_os_str() == "-" {
        return Err(
            "the chart is written to a file, not to stdout (which carries its table or JSON): \
             give a file name ending in `.svg`"
                .to_string(),
        );
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("svg") => Ok(path),
        _ => Err(
            "charts are drawn as SVG only, so the file name must end in `.svg` \
             (PNG and other formats are not supported yet)"
                .to_string(),
        ),
    }
}

/// `chart --format json`; docs/cli.md documents it.
#[derive(Serialize)]
struct Output {
    schema_version: u32,
    command: &'static str,
    scenario: String,
    known_at: Option<NaiveDate>,
    query: String,
    scope: String,
    metric: String,
    from: NaiveDate,
    to: NaiveDate,
    output: String,
    dates: Vec<NaiveDate>,
    series: Vec<Series>,
}

/// One line of the chart: the baseline, or the baseline with a layer.
#[derive(Serialize)]
struct Series {
    layer: Option<String>,
    label: String,
    /// `None` (JSON `null`) where no record covers the scope: no line there.
    totals: Vec<Option<u64>>,
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
    let dates = dates(ledger, args.from, args.to)?;
    let known_at = args.common.known_at;
    let mut series = vec![Series {
        layer: None,
        label: "baseline".to_string(),
        totals: totals(ledger, None, &args.common, &scope, &metric, &dates)?,
    }];
    for l in &layers {
        series.push(Series {
            layer: Some(l.to_string()),
            label: format!("with `{l}`"),
            totals: totals(ledger, Some(l), &args.common, &scope, &metric, &dates)?,
        });
    }
    let title = format!(
        "{}: {scope}, {metric}, {} to {}{}",
        scenario.name(),
        dates[0],
        dates[dates.len() - 1],
        crate::as_known(known_at)
    );
    let svg = draw(&title, &metric, &dates, &series)?;

    let (from, to) = (dates[0], dates[dates.len() - 1]);
    let stdout = match args.common.format {
        Format::Json => crate::to_json(&Output {
            schema_version: crate::SCHEMA_VERSION,
            command: "chart",
            scenario: scenario.name().to_string(),
            known_at,
            query: crate::groups::whole(text, &scope).query,
            scope: scope.to_string(),
            metric: metric.to_string(),
            from,
            to,
            output: args.output.display().to_string(),
            dates,
            series,
        })?,
        Format::Csv => {
            let mut csv = crate::csv::Csv::new(&["date", "series", "layer", "count"]);
            for s in &series {
                for (d, t) in dates.iter().zip(&s.totals) {
                    csv.row([
                        d.to_string(),
                        s.label.clone(),
                        crate::csv::opt(s.layer.as_ref()),
                        crate::csv::opt(*t),
                    ]);
                }
            }
            csv.finish()
        }
        Format::Text => {
            let mut out = format!(
                "{} · {scope}, {metric}, at the end of each date{}\n\n",
                scenario.name(),
                crate::as_known(known_at)
            );
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
            out.push_str(&format!("\nwrote {}\n", args.output.display()));
            out
        }
    };
    // Last, once everything else has succeeded: the picture replaces the
    // file only when it is whole.
    write_atomically(&args.output, svg.as_bytes()).map_err(|e| {
        Failure::new(format!(
            "cannot write the chart to {}: {e}",
            args.output.display()
        ))
    })?;
    Ok(Done::ok(stdout))
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

/// The range's ends and every event date between them, in order.
fn dates(
    ledger: &Ledger,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<NaiveDate>, Failure> {
    let effective: BTreeSet<NaiveDate> = ledger.events().iter().map(|e| e.effective()).collect();
    let (Some(from), Some(to)) = (
        from.or(effective.first().copied()),
        to.or(effective.last().copied()),
    ) else {
        return Err(Failure::new(
            "the scenario has no events to date the chart: give --from and --to",
        ));
    };
    if from > to {
        return Err(Failure::new(format!(
            "--from {from} is after --to {to}: the chart runs forwards in time"
        )));
    }
    let mut dates: BTreeSet<NaiveDate> = effective.range(from..=to).copied().collect();
    dates.insert(from);
    dates.insert(to);
    Ok(dates.into_iter().collect())
}

/// The scope's total at the end of each date, from the library.
fn totals(
    ledger: &Ledger,
    layer: Option<&LayerId>,
    common: &crate::Common,
    scope: &Scope,
    metric: &Metric,
    dates: &[NaiveDate],
) -> Result<Vec<Option<u64>>, Failure> {
    let view = crate::view(ledger, layer, common)?;
    dates
        .iter()
        .map(|&d| Ok(view.total(scope, metric, d)?.get()))
        .collect()
}

/// Colours for the layers' lines, after the baseline's black.
const PALETTE: [RGBColor; 5] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x94, 0x67, 0xbd),
];

/// The colour of series `i`: black for the baseline, then the palette.
fn colour(i: usize) -> RGBColor {
    match i {
        0 => BLACK,
        _ => PALETTE[(i - 1) % PALETTE.len()],
    }
}

/// The line of series `i`: the baseline's heavier.
fn style(i: usize) -> ShapeStyle {
    colour(i).stroke_width(if i == 0 { 3 } else { 2 })
}

/// Draws the series as step lines (a total holds until the next event
/// changes it), with a marker at each date and the final figure labelled,
/// and returns the SVG text. Nothing is written to a file here, so a drawing
/// that fails, or panics, leaves no half-written picture.
fn draw(
    title: &str,
    metric: &Metric,
    dates: &[NaiveDate],
    series: &[Series],
) -> Result<String, Failure> {
    let failed = |e: &dyn std::fmt::Display| Failure::new(format!("cannot draw the chart: {e}"));
    let mut svg = String::new();
    let first = dates[0];
    let day = |d: NaiveDate| (d - first).num_days() as f64;
    let span = day(dates[dates.len() - 1]);
    // Room on the right for the last figure to show as a level, not a point.
    let end = span + (span * 0.06).max(1.0);
    let top = series
        .iter()
        .flat_map(|s| s.totals.iter().copied().flatten())
        .max()
        .unwrap_or(0)
        .max(1) as f64
        * 1.15;

    let root = SVGBackend::with_string(&mut svg, (1000, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| failed(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(-(end * 0.01)..end, 0f64..top)
        .map_err(|e| failed(&e))?;
    let label_date = |x: &f64| label_date(first, *x);
    let label_count = |y: &f64| label_count(*y);
    chart
        .configure_mesh()
        .x_desc("date (totals at the end of the day)")
        .y_desc(metric.to_string())
        .x_labels(8)
        .y_labels(8)
        .x_label_formatter(&label_date)
        .y_label_formatter(&label_count)
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .draw()
        .map_err(|e| failed(&e))?;

    // The legend lists the series in order, from empty series drawn first…
    for (i, s) in series.iter().enumerate() {
        chart
            .draw_series(LineSeries::new(std::iter::empty::<(f64, f64)>(), style(i)))
            .map_err(|e| failed(&e))?
            .label(s.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style(i)));
    }
    // …while the lines are drawn layers first, so the baseline stays on top
    // where they agree.
    let mut labelled: Vec<u64> = Vec::new();
    for (i, s) in series.iter().enumerate().rev() {
        // A line for each run of dates with a record: none where there is
        // no record, which is unknown, not 0.
        let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut previous: Option<u64> = None;
        for (&d, &v) in dates.iter().zip(&s.totals) {
            match (previous, v) {
                (Some(p), Some(v)) => {
                    if let Some(run) = runs.last_mut() {
                        run.push((day(d), p as f64));
                        run.push((day(d), v as f64));
                    }
                }
                (None, Some(v)) => runs.push(vec![(day(d), v as f64)]),
                (_, None) => {}
            }
            previous = v;
        }
        let last = s.totals[s.totals.len() - 1];
        if let (Some(last), Some(run)) = (last, runs.last_mut()) {
            run.push((end, last as f64));
        }
        for run in runs {
            if i == 0 {
                chart.draw_series(LineSeries::new(run, style(i)))
            } else {
                chart.draw_series(DashedLineSeries::new(run, 8, 5, style(i)))
            }
            .map_err(|e| failed(&e))?;
        }
        chart
            .draw_series(dates.iter().zip(&s.totals).filter_map(|(&d, &v)| {
                v.map(|v| Circle::new((day(d), v as f64), 3, colour(i).filled()))
            }))
            .map_err(|e| failed(&e))?;
        // The final figure, once per distinct value.
        let Some(last) = last else {
            continue;
        };
        if !labelled.contains(&last) {
            labelled.push(last);
            chart
                .draw_series(std::iter::once(Text::new(
                    table::count(Count::new(last)),
                    (end, last as f64),
                    ("sans-serif", 14).into_font().color(&colour(i)).pos(
                        plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Right,
                            plotters::style::text_anchor::VPos::Bottom,
                        ),
                    ),
                )))
                .map_err(|e| failed(&e))?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(0xaa, 0xaa, 0xaa))
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(|e| failed(&e))?;
    root.present().map_err(|e| failed(&e))?;
    drop(chart);
    drop(root);
    Ok(svg)
}

/// The label of the x axis at `x` days after `first`. The axis runs a little
/// beyond the dates on both sides, which may be past the ends of the
/// calendar: such a position has no label.
fn label_date(first: NaiveDate, x: f64) -> String {
    chrono::TimeDelta::try_days(x.round() as i64)
        .and_then(|days| first.checked_add_signed(days))
        .map_or(String::new(), |d| d.to_string())
}

/// The label of the y axis at `y`, when that is a count: not past the
/// largest (the axis runs above the largest total, which may be near it),
/// nor below zero, where a cast would saturate to a figure that is not there.
fn label_count(y: f64) -> String {
    let y = y.round();
    // 2⁶⁴, exact as a float: every float below it is a count.
    if (0.0..18_446_744_073_709_551_616.0).contains(&y) {
        table::count(Count::new(y as u64))
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_positions_past_the_ends_of_the_calendar_have_no_label() {
        assert_eq!(label_date(NaiveDate::MAX, 0.0), NaiveDate::MAX.to_string());
        assert_eq!(label_date(NaiveDate::MAX, 1.0), "");
        assert_eq!(label_date(NaiveDate::MIN, -1.0), "");
        assert_eq!(label_date(NaiveDate::MIN, f64::MAX), "");
        assert_eq!(
            label_date(NaiveDate::MIN, f64::NAN),
            NaiveDate::MIN.to_string()
        );
    }

    #[test]
    fn a_count_axis_above_the_largest_count_has_no_label_there() {
        // The axis runs 15% above the largest total, which for a total near
        // u64::MAX is past any count: labelling it u64::MAX would be wrong.
        let max = u64::MAX as f64;
        assert_eq!(label_count(max * 1.15), "");
        assert_eq!(label_count(-1.0), "");
        assert_eq!(label_count(f64::NAN), "");
        assert_eq!(label_count(1_650.4), "1,650");
        assert_eq!(label_count(0.0), "0");
    }
}
