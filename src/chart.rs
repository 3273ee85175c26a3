//! Timeline charts of a scope's total, as SVG or PNG (feature `chart`).
//!
//! A [`Timeline`] holds what a chart shows: a line per view or group, each
//! the library's total at every event date in the range, the claims drawn as
//! intervals, and the sources of the events behind the lines. It draws
//! itself as SVG text ([`Timeline::svg`]) or PNG bytes ([`Timeline::png`]),
//! with titles and labels in words, calendar ticks, no line where the ledger
//! has no record, and stale figures drawn grey and dashed. The text of a PNG
//! is set in the bundled DejaVu Sans (`assets/fonts/`, under its own
//! licence), so no system font or library is needed.
//!
//! # Example
//!
//! ```
//! use posture_ledger::chart::{ChartOptions, Timeline};
//! use posture_ledger::{scenario, Metric, Scope};
//!
//! let scenario = scenario::madrid_2022()?;
//! let baltics = Scope::parse("from:NATO in:baltic-states kind:battlegroup", scenario.ledger())?;
//! let timeline = Timeline::new(scenario.ledger(), &baltics, &Metric::PERSONNEL, &ChartOptions::new())?;
//! assert_eq!(timeline.title(), "NATO forces in the Baltic states, battlegroup units: Personnel");
//! let svg = timeline.with_subtitle(scenario.name()).svg()?;
//! assert!(svg.contains("NATO forces in the Baltic states") && svg.contains("Madrid 2022"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

use crate::check::{Report, Rule, Verdict};
use crate::claim::{Claim, ClaimId, Statement};
use crate::error::{Error, RecordKind, Result};
use crate::event::{EventId, LayerId};
use crate::interval::Bound;
use crate::ledger::Ledger;
use crate::metric::Metric;
use crate::number::whole;
use crate::scope::{Places, Scope};
use crate::total::Total;
use crate::view::View;

/// The bundled font, DejaVu Sans: its licence is `assets/fonts/LICENSE-DejaVu.txt`.
const FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

/// The font family every text of a chart asks for.
const FAMILY: &str = "sans-serif";

/// The most lines a grouped chart draws: past it, the smallest groups are
/// drawn together as "other".
pub const MAX_LINES: usize = 8;

/// The credit line under a chart when none is given.
pub const CREDIT: &str = "Chart: posture-ledger, from the ledger's recorded events";

/// Registers the bundled font once, for every chart of the process.
fn font() -> Result<()> {
    static REGISTERED: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FAMILY, FontStyle::Normal, FONT)
                .map_err(|_| "the bundled font does not read".to_string())
        })
        .clone()
        .map_err(drawing)
}

/// An error of the drawing library, as the crate's error.
fn drawing(e: impl std::fmt::Display) -> Error {
    Error::Chart {
        reason: e.to_string(),
    }
}

/// The options of a chart, each with a default: the range of dates, its
/// size, the lens of the views it asks.
///
/// # Example
///
/// ```
/// use posture_ledger::chart::ChartOptions;
///
/// let options = ChartOptions::new().size(800, 450).max_age(180);
/// assert_eq!(options.width(), 800);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartOptions {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    width: u32,
    height: u32,
    known_at: Option<NaiveDate>,
    max_age: Option<u32>,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions::new()
    }
}

impl ChartOptions {
    /// The defaults: every event date of the ledger, 1000 × 600 pixels,
    /// everything recorded, no maximum age.
    pub fn new() -> Self {
        ChartOptions {
            from: None,
            to: None,
            width: 1000,
            height: 600,
            known_at: None,
            max_age: None,
        }
    }

    /// The first date; the earliest event's date when not given.
    pub fn from(mut self, date: NaiveDate) -> Self {
        self.from = Some(date);
        self
    }

    /// The last date; the latest event's date when not given.
    pub fn to(mut self, date: NaiveDate) -> Self {
        self.to = Some(date);
        self
    }

    /// The picture's size in pixels (an SVG's too).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.width = width;
        self.height = height;
        self
    }

    /// Every figure as known on `date`: see [`View::known_at`].
    pub fn known_at(mut self, date: NaiveDate) -> Self {
        self.known_at = Some(date);
        self
    }

    /// Figures older than `days` are stale, and drawn so: see [`View::max_age`].
    pub fn max_age(mut self, days: u32) -> Self {
        self.max_age = Some(days);
        self
    }

    /// The width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// The height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The view to ask for `layer`, through this lens.
    fn view<'a>(&self, ledger: &'a Ledger, layer: Option<&LayerId>) -> Result<View<'a>> {
        let view = match layer {
            Some(l) => ledger.with_layer(l)?,
            None => ledger.view(),
        };
        let view = match self.max_age {
            Some(days) => view.max_age(days),
            None => view,
        };
        Ok(match self.known_at {
            Some(k) => view.known_at(k),
            None => view,
        })
    }
}

/// What one line counts: a scope, in the baseline or with a layer, and its
/// name in the legend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The name in the legend.
    pub label: String,
    /// What is counted.
    pub scope: Scope,
    /// The what-if layer, or `None` for the baseline.
    pub layer: Option<LayerId>,
}

/// One line of a chart, with the library's total at each of the chart's dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Series {
    /// The what-if layer, or `None` for the baseline.
    pub layer: Option<LayerId>,
    /// The name in the legend.
    pub label: String,
    /// The total at the end of each date; `None` where no record covers the
    /// scope (no line there).
    pub totals: Vec<Option<u64>>,
    /// Whether the total at each date is stale (only with a maximum age).
    #[serde(skip)]
    pub stale: Vec<bool>,
    /// The date of the newest observation behind each total.
    #[serde(skip)]
    pub newest: Vec<Option<NaiveDate>>,
}

impl Series {
    /// The last total of the line, if the ledger has one there.
    pub fn last(&self) -> Option<u64> {
        self.totals.last().copied().flatten()
    }
}

/// A claim drawn as an interval: a whisker over the figures it allows, at
/// the days it may mean, coloured by its finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimMark {
    /// The claim.
    pub claim: ClaimId,
    /// The first day it may mean.
    pub from: NaiveDate,
    /// The last day it may mean.
    pub until: NaiveDate,
    /// The lowest figure it allows, if it has a low end.
    pub low: Option<u64>,
    /// The highest figure it allows, if it has a high end.
    pub high: Option<u64>,
    /// The verdict of its finding against the ledger.
    pub verdict: Verdict,
}

/// A marked date: a thin vertical line with a short label, for an event a
/// reader should see (an announcement, a reinforcement).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Marker {
    /// The date marked.
    pub date: NaiveDate,
    /// The label beside the line.
    pub label: String,
}

/// A chart's content: title, lines, claims, sources; drawn by
/// [`svg`](Timeline::svg) and [`png`](Timeline::png).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    title: String,
    subtitle: String,
    credit: String,
    metric: Metric,
    scope: Scope,
    dates: Vec<NaiveDate>,
    series: Vec<Series>,
    claims: Vec<ClaimMark>,
    markers: Vec<Marker>,
    sources: Vec<String>,
    max_age: Option<u32>,
    width: u32,
    height: u32,
}

impl Timeline {
    /// The chart of `scope`'s total of `metric`: the baseline and every
    /// what-if layer of the ledger, titled with the scope's name.
    ///
    /// # Errors
    ///
    /// As [`Timeline::lines`].
    pub fn new(
        ledger: &Ledger,
        scope: &Scope,
        metric: &Metric,
        options: &ChartOptions,
    ) -> Result<Timeline> {
        let layers: Vec<LayerId> = ledger.layers().iter().map(|l| l.id.clone()).collect();
        Timeline::with_layers(ledger, scope, metric, &layers, options)
    }

    /// The chart of `scope`'s total of `metric`: the baseline and each of
    /// `layers`, each named by its description in the ledger.
    ///
    /// # Errors
    ///
    /// As [`Timeline::lines`].
    pub fn with_layers(
        ledger: &Ledger,
        scope: &Scope,
        metric: &Metric,
        layers: &[LayerId],
        options: &ChartOptions,
    ) -> Result<Timeline> {
        let mut lines = vec![Line {
            label: "Recorded".to_string(),
            scope: scope.clone(),
            layer: None,
        }];
        for l in layers {
            lines.push(Line {
                label: layer_name(ledger, l),
                scope: scope.clone(),
                layer: Some(l.clone()),
            });
        }
        Timeline::lines(ledger, scope, metric, lines, options)
    }

    /// The chart of `lines`, all of `metric`, within `scope` (which names
    /// the chart), at the range's ends and every event date between.
    ///
    /// # Errors
    ///
    /// [`Error::Chart`] when the ledger has no events to date the chart and
    /// the options give no range, or the range runs backwards; otherwise as
    /// [`View::total`].
    pub fn lines(
        ledger: &Ledger,
        scope: &Scope,
        metric: &Metric,
        lines: Vec<Line>,
        options: &ChartOptions,
    ) -> Result<Timeline> {
        let dates = dates(ledger, options.from, options.to)?;
        let mut series = Vec::with_capacity(lines.len());
        let mut documents: Vec<(NaiveDate, String)> = Vec::new();
        for line in lines {
            let view = options.view(ledger, line.layer.as_ref())?;
            let totals: Vec<Total> = dates
                .iter()
                .map(|&d| view.total(&line.scope, metric, d))
                .collect::<Result<_>>()?;
            // The events behind the line: those behind its last recorded
            // total, and before that each earlier one (a withdrawal takes
            // an event out of a later register).
            for (d, t) in dates.iter().zip(&totals) {
                if t.is_recorded() {
                    for e in view.explain(&line.scope, metric, *d)?.entries() {
                        if let Some(s) = &e.source {
                            documents.push((e.effective, s.document.to_string()));
                        }
                    }
                }
            }
            series.push(Series {
                layer: line.layer,
                label: line.label,
                totals: totals.iter().map(Total::get).collect(),
                stale: totals.iter().map(Total::is_stale).collect(),
                newest: totals.iter().map(Total::newest).collect(),
            });
        }
        documents.sort();
        let mut sources: Vec<String> = Vec::new();
        for (_, d) in documents {
            if !sources.contains(&d) {
                sources.push(d);
            }
        }
        Ok(Timeline {
            title: format!("{}: {}", scope_name(ledger, scope), metric_name(metric)),
            subtitle: String::new(),
            credit: CREDIT.to_string(),
            metric: metric.clone(),
            scope: scope.clone(),
            dates,
            series,
            claims: Vec::new(),
            markers: Vec::new(),
            sources,
            max_age: options.max_age,
            width: options.width,
            height: options.height,
        })
    }

    /// The chart of `scope` split into `groups` (a line each, all in the
    /// baseline or all with one layer), at most [`MAX_LINES`] of them: the
    /// groups with no record in the range are left out, the others sorted
    /// by their last total, largest first, and past the first
    /// `MAX_LINES - 1` drawn as one line, "other": the whole scope's total
    /// less the groups drawn, drawn too when no group is left out but the
    /// groups do not hold the whole. The groups must not overlap.
    ///
    /// # Errors
    ///
    /// [`Error::Chart`] when the groups drawn add up to more than the whole
    /// (they overlap); otherwise as [`Timeline::lines`].
    pub fn grouped(
        ledger: &Ledger,
        scope: &Scope,
        metric: &Metric,
        groups: Vec<Line>,
        options: &ChartOptions,
    ) -> Result<Timeline> {
        let whole = Line {
            label: "whole".to_string(),
            scope: scope.clone(),
            layer: groups.first().and_then(|g| g.layer.clone()),
        };
        let mut lines = vec![whole];
        lines.extend(groups);
        let mut timeline = Timeline::lines(ledger, scope, metric, lines, options)?;
        let whole = timeline.series.remove(0);
        timeline
            .series
            .retain(|s| s.totals.iter().any(Option::is_some));
        // Largest last figure first; lines that end with no record last.
        timeline
            .series
            .sort_by(|a, b| b.last().cmp(&a.last()).then(a.label.cmp(&b.label)));
        let rest = if timeline.series.len() > MAX_LINES {
            timeline.series.split_off(MAX_LINES - 1).len()
        } else {
            0
        };
        // What the lines drawn leave of the whole: the groups past the
        // cap, and whatever no group holds (a unit placed in a region, not
        // a country), drawn as one line where it is not nothing.
        let mut other = whole;
        other.label = match rest {
            0 => "Other".to_string(),
            n => format!("Other ({n} more)"),
        };
        for (i, total) in other.totals.iter_mut().enumerate() {
            let shown: Option<u64> = timeline
                .series
                .iter()
                .filter_map(|s| s.totals[i])
                .try_fold(0u64, u64::checked_add);
            *total = match (*total, shown) {
                (Some(w), Some(s)) => Some(w.checked_sub(s).ok_or_else(|| Error::Chart {
                    reason: format!(
                        "the groups drawn add up to more than the whole on {}: they overlap",
                        timeline.dates[i]
                    ),
                })?),
                (w, _) => w,
            };
        }
        if rest > 0 || other.totals.iter().any(|t| t.is_some_and(|t| t > 0)) {
            timeline.series.push(other);
        }
        Ok(timeline)
    }

    /// The same chart with `claims` drawn as intervals: each quantity claim
    /// of the chart's scope and metric (in the baseline, or in a layer the
    /// chart draws), as the interval its finding against the ledger in
    /// `report` used, coloured by that finding's verdict. Claims the report
    /// has no such finding for are not drawn.
    pub fn with_claims(mut self, claims: &[Claim], report: &Report) -> Self {
        let layers: Vec<Option<&LayerId>> = self.series.iter().map(|s| s.layer.as_ref()).collect();
        for claim in claims {
            let Statement::Quantity { scope, metric, .. } = claim.statement() else {
                continue;
            };
            if scope != &self.scope || metric != &self.metric || !layers.contains(&claim.layer()) {
                continue;
            }
            let prefix = format!("{}:", claim.id());
            let found = report.about(claim.id()).find_map(|f| {
                (f.rule == Rule::ClaimVsLedger)
                    .then(|| {
                        f.evidence
                            .iter()
                            .find(|e| e.label.starts_with(&prefix))
                            .map(|e| (f.verdict, e.interval))
                    })
                    .flatten()
            });
            let Some((verdict, interval)) = found else {
                continue;
            };
            let end = |b: Bound| match b {
                Bound::Unbounded => None,
                Bound::Included(d) | Bound::Excluded(d) => u64::try_from(d.round()).ok(),
            };
            self.claims.push(ClaimMark {
                claim: claim.id().clone(),
                from: claim.as_of().first(),
                until: claim.as_of().last(),
                low: end(interval.low()),
                high: end(interval.high()),
                verdict,
            });
        }
        self
    }

    /// The same chart titled `title`.
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The same chart with `subtitle` under its title.
    pub fn with_subtitle(mut self, subtitle: impl Into<String>) -> Self {
        self.subtitle = subtitle.into();
        self
    }

    /// The same chart with `credit` as its last line.
    pub fn with_credit(mut self, credit: impl Into<String>) -> Self {
        self.credit = credit.into();
        self
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The subtitle, empty when there is none.
    pub fn subtitle(&self) -> &str {
        &self.subtitle
    }

    /// The dates of the chart: the range's ends and every event date between.
    pub fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    /// The lines, in the legend's order.
    pub fn series(&self) -> &[Series] {
        &self.series
    }

    /// The same chart with `event` marked at the date it takes effect,
    /// labelled `label`, or by default with its kind and its unit's name
    /// ("reinforce: UK battlegroup in Estonia").
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] when the ledger has no such event.
    pub fn with_event(
        mut self,
        ledger: &Ledger,
        event: &EventId,
        label: Option<&str>,
    ) -> Result<Self> {
        let e = ledger
            .event(event)
            .ok_or_else(|| Error::unknown(RecordKind::Event, event))?;
        let label = match label {
            Some(l) => l.to_string(),
            None => format!(
                "{}: {}",
                words(e.kind_name()),
                ledger
                    .unit(e.unit())
                    .map_or(e.unit().to_string(), |u| u.name().to_string())
            ),
        };
        self.markers.push(Marker {
            date: e.effective(),
            label,
        });
        Ok(self)
    }

    /// The dates marked.
    pub fn markers(&self) -> &[Marker] {
        &self.markers
    }

    /// The claims drawn.
    pub fn claims(&self) -> &[ClaimMark] {
        &self.claims
    }

    /// The documents behind the events drawn, in the order of their first event.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// The source line under the chart: `Sources: a, b`.
    pub fn source_line(&self) -> String {
        if self.sources.is_empty() {
            "Sources: none recorded for the events drawn".to_string()
        } else {
            format!("Sources: {}", self.sources.join(", "))
        }
    }

    /// The calendar ticks of the x axis, with their labels.
    pub fn ticks(&self) -> Vec<(NaiveDate, String)> {
        calendar_ticks(self.dates[0], self.dates[self.dates.len() - 1])
    }

    /// The chart as SVG text.
    ///
    /// # Errors
    ///
    /// [`Error::Chart`] when the drawing fails.
    pub fn svg(&self) -> Result<String> {
        font()?;
        let mut svg = String::new();
        {
            let root =
                SVGBackend::with_string(&mut svg, (self.width, self.height)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(drawing)?;
        }
        Ok(svg)
    }

    /// The chart as PNG bytes.
    ///
    /// # Errors
    ///
    /// [`Error::Chart`] when the drawing or its encoding fails, or the size
    /// is too large for memory.
    pub fn png(&self) -> Result<Vec<u8>> {
        font()?;
        let len = (self.width as usize)
            .checked_mul(self.height as usize)
            .and_then(|n| n.checked_mul(3))
            .ok_or_else(|| drawing("the picture is too large"))?;
        let mut pixels = vec![0u8; len];
        {
            let root = BitMapBackend::with_buffer(&mut pixels, (self.width, self.height))
                .into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(drawing)?;
        }
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(drawing)?;
        writer.write_image_data(&pixels).map_err(drawing)?;
        writer.finish().map_err(drawing)?;
        Ok(out)
    }

    /// Draws the chart on `root`: title and subtitle, the plot, the source
    /// and credit lines.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let failed = |e: DrawingAreaErrorKind<DB::ErrorType>| drawing(e);
        if self.width < 200 || self.height < 150 {
            return Err(drawing(format!(
                "{} × {} pixels is too small for a chart: at least 200 × 150",
                self.width, self.height
            )));
        }
        root.fill(&WHITE).map_err(failed)?;
        let (w, h) = (self.width as i32, self.height as i32);
        let text = |size: u32, colour: RGBColor| {
            (FAMILY, size)
                .into_font()
                .color(&colour)
                .pos(Pos::new(HPos::Left, VPos::Top))
        };
        root.draw(&Text::new(
            self.title.clone(),
            (20, 14),
            text(22, RGBColor(0x11, 0x11, 0x11)),
        ))
        .map_err(failed)?;
        let mut header = 46;
        if !self.subtitle.is_empty() {
            root.draw(&Text::new(
                self.subtitle.clone(),
                (20, 44),
                text(15, RGBColor(0x55, 0x55, 0x55)),
            ))
            .map_err(failed)?;
            header = 68;
        }
        // The footer: the source line, wrapped to the width, and the credit.
        let per_line = ((w - 40) / 7).max(20) as usize;
        let mut footer: Vec<String> = wrap(&self.source_line(), per_line);
        if self.max_age.is_some() && self.series.iter().any(|s| s.stale.contains(&true)) {
            footer.push(format!(
                "Grey dashes: the newest figure is more than {} days old (stale).",
                self.max_age.unwrap_or_default()
            ));
        }
        footer.push(self.credit.clone());
        let footer_height = 10 + 17 * footer.len() as i32;
        for (i, line) in footer.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (20, h - footer_height + 17 * i as i32),
                text(13, RGBColor(0x55, 0x55, 0x55)),
            ))
            .map_err(failed)?;
        }
        let plot = root.margin(header as u32, footer_height as u32, 10, 30);
        self.plot(&plot)
    }

    /// Draws the axes, lines, claims and legend on `area`.
    fn plot<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        let failed = |e: DrawingAreaErrorKind<DB::ErrorType>| drawing(e);
        let first = self.dates[0];
        let last = self.dates[self.dates.len() - 1];
        let day = |d: NaiveDate| (d - first).num_days() as f64;
        let span = day(last);
        // Room on the right for the last figure to show as a level, not a point.
        let end = span + (span * 0.04).max(1.0);
        let largest = self
            .series
            .iter()
            .flat_map(|s| s.totals.iter().copied().flatten())
            .chain(
                self.claims
                    .iter()
                    .flat_map(|c| c.low.into_iter().chain(c.high)),
            )
            .max()
            .unwrap_or(0);
        let (top, step) = nice_top(largest);
        let ticks = self.ticks();
        let x_keys: Vec<f64> = ticks.iter().map(|(d, _)| day(*d)).collect();
        let labels: Vec<(f64, String)> = x_keys
            .iter()
            .copied()
            .zip(ticks.iter().map(|(_, l)| l.clone()))
            .collect();
        // i × step ≤ top: never past a u64.
        let y_keys: Vec<f64> = (0..=top / step).map(|i| (i * step) as f64).collect();
        let x_range = Axis::new(-(end * 0.01), end, x_keys);
        let y_range = Axis::new(0.0, top as f64, y_keys);
        let mut chart = ChartBuilder::on(area)
            .x_label_area_size(30)
            .y_label_area_size(70)
            .build_cartesian_2d(x_range, y_range)
            .map_err(failed)?;
        let label_x = |x: &f64| {
            labels
                .iter()
                .find(|(k, _)| (k - x).abs() < 0.5)
                .map_or(String::new(), |(_, l)| l.clone())
        };
        let label_y = |y: &f64| label_count(*y);
        let grid = RGBColor(0xe4, 0xe4, 0xe4);
        chart
            .configure_mesh()
            .y_desc(metric_name(&self.metric))
            .x_label_formatter(&label_x)
            .y_label_formatter(&label_y)
            .bold_line_style(grid)
            .light_line_style(TRANSPARENT)
            .max_light_lines(0)
            .axis_style(RGBColor(0x88, 0x88, 0x88))
            .label_style((FAMILY, 13))
            .axis_desc_style((FAMILY, 14))
            .draw()
            .map_err(failed)?;

        // The legend lists the series in order, from empty series drawn first…
        for (i, s) in self.series.iter().enumerate() {
            chart
                .draw_series(LineSeries::new(std::iter::empty::<(f64, f64)>(), style(i)))
                .map_err(failed)?
                .label(s.label.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style(i)));
        }
        let verdicts: BTreeSet<Verdict> = self.claims.iter().map(|c| c.verdict).collect();
        for v in verdicts {
            chart
                .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
                .map_err(failed)?
                .label(format!("Claim, {}", verdict_name(v)))
                .legend(move |(x, y)| {
                    PathElement::new(
                        vec![(x + 12, y - 6), (x + 12, y + 6)],
                        verdict_colour(v).stroke_width(3),
                    )
                });
        }
        // …while the lines are drawn last first, so the first stays on top
        // where they agree.
        let stale_style = RGBColor(0x99, 0x99, 0x99).stroke_width(2);
        let mut labelled: Vec<u64> = Vec::new();
        for (i, s) in self.series.iter().enumerate().rev() {
            let (fresh, stale) = self.runs(s, end, day);
            for run in fresh {
                if i == 0 {
                    chart.draw_series(LineSeries::new(run, style(i)))
                } else {
                    chart.draw_series(DashedLineSeries::new(run, 8, 5, style(i)))
                }
                .map_err(failed)?;
            }
            for run in stale {
                chart
                    .draw_series(DashedLineSeries::new(run, 3, 4, stale_style))
                    .map_err(failed)?;
            }
            chart
                .draw_series(self.dates.iter().zip(&s.totals).filter_map(|(&d, &v)| {
                    v.map(|v| Circle::new((day(d), v as f64), 3, colour(i).filled()))
                }))
                .map_err(failed)?;
            // The final figure, once per distinct value.
            let Some(last) = s.last() else {
                continue;
            };
            if !labelled.contains(&last) {
                labelled.push(last);
                chart
                    .draw_series(std::iter::once(Text::new(
                        whole(i128::from(last)),
                        (end, last as f64),
                        (FAMILY, 13)
                            .into_font()
                            .color(&colour(i))
                            .pos(Pos::new(HPos::Right, VPos::Bottom)),
                    )))
                    .map_err(failed)?;
            }
        }
        // Marked events: a thin line up the plot, labelled at its top.
        for (i, m) in self.markers.iter().enumerate() {
            if m.date < first || m.date > last {
                continue;
            }
            let x = day(m.date);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, 0.0), (x, top as f64)],
                    RGBColor(0x77, 0x77, 0x77).stroke_width(1),
                )))
                .map_err(failed)?;
            // Labels step down so that markers close together stay legible,
            // and stand on the side of their line that has room.
            let y = top as f64 * (0.97 - 0.05 * (i % 4) as f64);
            let side = if x < span / 2.0 {
                HPos::Left
            } else {
                HPos::Right
            };
            chart
                .draw_series(std::iter::once(Text::new(
                    m.label.clone(),
                    (x, y),
                    (FAMILY, 12)
                        .into_font()
                        .color(&RGBColor(0x44, 0x44, 0x44))
                        .pos(Pos::new(side, VPos::Top)),
                )))
                .map_err(failed)?;
        }
        // Claims: a whisker over the figures each allows, at its days.
        for c in &self.claims {
            let colour = verdict_colour(c.verdict);
            let (a, b) = (day(c.from.max(first)), day(c.until.min(last)));
            if c.until < first || c.from > last {
                continue;
            }
            let x = (a + b) / 2.0;
            let low = c.low.map_or(0.0, |l| l as f64);
            let high = c.high.map_or(top as f64, |h| h as f64);
            let cap = (end / 150.0).max(0.5);
            let mut marks = vec![
                PathElement::new(vec![(x, low), (x, high)], colour.stroke_width(3)),
                PathElement::new(vec![(x - cap, low), (x + cap, low)], colour.stroke_width(2)),
            ];
            if c.high.is_some() {
                marks.push(PathElement::new(
                    vec![(x - cap, high), (x + cap, high)],
                    colour.stroke_width(2),
                ));
            }
            if b > a {
                let mid = (low + high) / 2.0;
                marks.push(PathElement::new(
                    vec![(a, mid), (b, mid)],
                    colour.mix(0.6).stroke_width(1),
                ));
            }
            chart.draw_series(marks).map_err(failed)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    c.claim.to_string(),
                    (x, high),
                    (FAMILY, 12)
                        .into_font()
                        .color(&colour)
                        .pos(Pos::new(HPos::Right, VPos::Bottom)),
                )))
                .map_err(failed)?;
        }
        chart
            .configure_series_labels()
            // Out of the way of marked events' labels, at the plot's corners.
            .position(if self.markers.is_empty() {
                SeriesLabelPosition::UpperLeft
            } else {
                SeriesLabelPosition::UpperMiddle
            })
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(0xcc, 0xcc, 0xcc))
            .label_font((FAMILY, 13))
            .draw()
            .map_err(failed)?;
        Ok(())
    }

    /// The runs of points of `s` to draw as lines: fresh figures, and stale
    /// ones (a figure turns stale, within a step, the day after it is
    /// `max_age` days old). Steps: a total holds until the next date.
    fn runs(&self, s: &Series, end: f64, day: impl Fn(NaiveDate) -> f64) -> (Runs, Runs) {
        let mut fresh = Vec::new();
        let mut stale = Vec::new();
        let n = self.dates.len();
        for i in 0..n {
            let Some(v) = s.totals[i] else { continue };
            let v = v as f64;
            let a = day(self.dates[i]);
            let b = if i + 1 < n {
                day(self.dates[i + 1])
            } else {
                end
            };
            // The day the figure turns stale, as a position on the axis.
            let turns = match (self.max_age, s.newest[i]) {
                _ if s.stale[i] => a,
                (Some(m), Some(newest)) => newest
                    .checked_add_days(chrono::Days::new(u64::from(m) + 1))
                    .map_or(f64::INFINITY, &day),
                _ => f64::INFINITY,
            };
            let next = if i + 1 < n { s.totals[i + 1] } else { None };
            let step = |run: &mut Vec<Vec<(f64, f64)>>, from: f64, to: f64, rise: bool| {
                let mut points = vec![(from, v), (to, v)];
                if rise {
                    if let Some(next) = next {
                        points.push((to, next as f64));
                    }
                }
                run.push(points);
            };
            if turns <= a {
                step(&mut stale, a, b, true);
            } else if turns < b {
                step(&mut fresh, a, turns, false);
                step(&mut stale, turns, b, true);
            } else {
                step(&mut fresh, a, b, true);
            }
        }
        (fresh, stale)
    }
}

/// Runs of points to draw as lines, each a step of a series.
type Runs = Vec<Vec<(f64, f64)>>;

/// A linear axis whose ticks are the key points given: calendar dates,
/// round counts.
#[derive(Clone, Debug)]
struct Axis {
    low: f64,
    high: f64,
    keys: Vec<f64>,
}

impl Axis {
    fn new(low: f64, high: f64, keys: Vec<f64>) -> Self {
        Axis { low, high, keys }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let length = f64::from(limit.1) - f64::from(limit.0);
        if self.high <= self.low || !value.is_finite() {
            return limit.0 + (length / 2.0) as i32;
        }
        let share = ((value - self.low) / (self.high - self.low)).clamp(-1.0, 2.0);
        // Within twice the axis's length of it, so never past an i32.
        limit.0 + (length * share).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _: Hint) -> Vec<f64> {
        self.keys.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.low..self.high
    }
}

/// Wraps `text` at spaces into lines of at most about `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push(line);
    out
}

/// The chart of `scope`'s total of `metric` in the baseline and every layer
/// of `ledger`, as SVG text, with the default options: the short call for a
/// crate that embeds the picture.
///
/// # Errors
///
/// As [`Timeline::new`] and [`Timeline::svg`].
///
/// # Example
///
/// ```
/// use posture_ledger::{chart, scenario, Metric, Scope};
///
/// let ledger = scenario::madrid_2022()?.into_ledger();
/// let svg = chart::svg(&ledger, &Scope::parse("in:baltic-states", &ledger)?, &Metric::PERSONNEL)?;
/// assert!(svg.starts_with("<svg"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn svg(ledger: &Ledger, scope: &Scope, metric: &Metric) -> Result<String> {
    Timeline::new(ledger, scope, metric, &ChartOptions::new())?.svg()
}

/// The range's ends and every event date between them, in order.
fn dates(
    ledger: &Ledger,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<NaiveDate>> {
    let effective: BTreeSet<NaiveDate> = ledger.events().iter().map(|e| e.effective()).collect();
    let (Some(from), Some(to)) = (
        from.or(effective.first().copied()),
        to.or(effective.last().copied()),
    ) else {
        return Err(drawing(
            "the ledger has no events to date the chart: give the range's first and last dates",
        ));
    };
    if from > to {
        return Err(drawing(format!(
            "the range starts on {from}, after it ends on {to}: a chart runs forwards in time"
        )));
    }
    let mut dates: BTreeSet<NaiveDate> = effective.range(from..=to).copied().collect();
    dates.insert(from);
    dates.insert(to);
    Ok(dates.into_iter().collect())
}

/// The name of a scope in words, from the ledger's names of its places:
/// "NATO forces in the Baltic states, battlegroups".
pub fn scope_name(ledger: &Ledger, scope: &Scope) -> String {
    let places = |p: &Places| {
        let mut names: Vec<String> = p.countries.iter().map(|c| c.name().to_string()).collect();
        names.extend(p.regions.iter().map(|r| {
            ledger
                .region(r)
                .map_or(r.to_string(), |r| r.name().to_string())
        }));
        names.extend(
            p.alliances
                .iter()
                .map(|a| alliance_name(ledger, a.as_str())),
        );
        and_list(&names)
    };
    let mut out = match scope.contributors() {
        Some(p) => format!("{} forces", places(p)),
        None => "Forces".to_string(),
    };
    if let Some(p) = scope.hosts() {
        out.push_str(&format!(" in {}", places(p)));
    }
    if let Some(bases) = scope.bases() {
        let names: Vec<String> = bases
            .iter()
            .map(|b| {
                ledger
                    .base(b)
                    .map_or(b.to_string(), |b| b.name().to_string())
            })
            .collect();
        out.push_str(&format!(" at {}", and_list(&names)));
    }
    if let Some(units) = scope.units() {
        let names: Vec<String> = units
            .iter()
            .map(|u| {
                ledger
                    .unit(u)
                    .map_or(u.to_string(), |u| u.name().to_string())
            })
            .collect();
        out.push_str(&format!(" of {}", and_list(&names)));
    }
    if let Some(kinds) = scope.kinds() {
        let names: Vec<String> = kinds.iter().map(|k| words(&k.to_string())).collect();
        out.push_str(&format!(", {} units", and_list(&names)));
    }
    if let Some(footings) = scope.footings() {
        let names: Vec<String> = footings.iter().map(|f| words(&f.to_string())).collect();
        out.push_str(&format!(", on {} footing", and_list(&names)));
    }
    if scope == &Scope::all() {
        out = "All forces".to_string();
    }
    out
}

/// An alliance by its acronym where its id is one (NATO), else by its name.
fn alliance_name(ledger: &Ledger, id: &str) -> String {
    match ledger.alliances().iter().find(|a| a.id().as_str() == id) {
        Some(a) => a.label().to_string(),
        None => id.to_string(),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// An id or enumerated name in words: `high_readiness` → `high readiness`.
fn words(name: &str) -> String {
    name.replace(['_', '-'], " ")
}

/// A metric's name for a title or an axis: `Personnel`, `Combat aircraft`.
pub fn metric_name(metric: &Metric) -> String {
    capitalised(&words(&metric.to_string()))
}

/// A layer's name for a legend: its id in words, then its description up to
/// the first stop or colon: "Requested: what the Baltic states ask of NATO".
pub fn layer_name(ledger: &Ledger, layer: &LayerId) -> String {
    let name = capitalised(&words(layer.as_str()));
    let description = ledger
        .layers()
        .iter()
        .find(|l| &l.id == layer)
        .map(|l| l.description.as_str())
        .unwrap_or_default();
    let short = description
        .split([':', '.', '('])
        .next()
        .unwrap_or_default()
        .trim()
        .trim_end_matches(',');
    if short.is_empty() {
        name
    } else {
        let mut chars = short.chars();
        let lowered: String = chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default();
        format!("{name}: {lowered}")
    }
}

/// `text` with its first letter upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A verdict in words for a legend.
fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Conflicting => "conflicts with the record",
        Verdict::Unverifiable => "the record cannot tell",
        Verdict::Consistent => "consistent with the record",
    }
}

/// The colour of a claim of verdict `v`.
fn verdict_colour(v: Verdict) -> RGBColor {
    match v {
        Verdict::Conflicting => RGBColor(0xc0, 0x1c, 0x28),
        Verdict::Unverifiable => RGBColor(0xe6, 0x8a, 0x00),
        Verdict::Consistent => RGBColor(0x1a, 0x7f, 0x37),
    }
}

/// Colours for the lines after the first's near-black.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0x17, 0xbe, 0xcf),
    RGBColor(0xe3, 0x77, 0xc2),
];

/// The colour of series `i`.
fn colour(i: usize) -> RGBColor {
    match i {
        0 => RGBColor(0x22, 0x22, 0x22),
        _ => PALETTE[(i - 1) % PALETTE.len()],
    }
}

/// The line of series `i`: the first heavier.
fn style(i: usize) -> ShapeStyle {
    colour(i).stroke_width(if i == 0 { 3 } else { 2 })
}

/// The top of the y axis and its step: a round figure (1, 2 or 5 times a
/// power of ten) above `largest`, in at most about six steps from 0.
fn nice_top(largest: u64) -> (u64, u64) {
    let target = largest.max(1);
    let mut power: u64 = 1;
    loop {
        for m in [1u64, 2, 5] {
            let Some(step) = power.checked_mul(m) else {
                return (u64::MAX, u64::MAX / 4);
            };
            // Written so as not to overflow: target / step + 1 ≤ 6.
            let steps = target / step;
            if steps <= 5 {
                let steps = steps + 1;
                return match step.checked_mul(steps) {
                    Some(top) => (top, step),
                    None => (u64::MAX, step),
                };
            }
        }
        match power.checked_mul(10) {
            Some(p) => power = p,
            None => return (u64::MAX, u64::MAX / 4),
        }
    }
}

/// Calendar ticks for a range from `first` to `last`: years, quarters,
/// months or days, whichever gives from about 3 to 10 ticks, each with
/// its label ("2022", "Apr 2022", "3 Mar").
pub fn calendar_ticks(first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, String)> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let span = (last - first).num_days();
    let month_label = |d: NaiveDate| format!("{} {}", MONTHS[d.month0() as usize], d.year());
    let months = |step: u32, label: &dyn Fn(NaiveDate) -> String| {
        let mut out = Vec::new();
        let mut year = first.year();
        let mut month = first.month0();
        // The first month start on or after `first` that falls on the step.
        loop {
            if month % step == 0 {
                if let Some(d) = NaiveDate::from_ymd_opt(year, month + 1, 1) {
                    if d > last {
                        break;
                    }
                    if d >= first {
                        out.push((d, label(d)));
                    }
                } else {
                    break;
                }
            }
            month += 1;
            if month == 12 {
                month = 0;
                year += 1;
            }
        }
        out
    };
    if span > 3 * 365 {
        let years = (span / 365) as i32;
        // 1, 2 or 5 times a power of ten, whatever the span: the calendar
        // runs over half a million years.
        let step = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]
            .into_iter()
            .flat_map(|p| [p, 2 * p, 5 * p])
            .find(|s| years / s <= 10)
            .unwrap_or(1_000_000);
        let mut out = Vec::new();
        let mut year = first.year() + 1;
        if NaiveDate::from_ymd_opt(first.year(), 1, 1) == Some(first) {
            year = first.year();
        }
        year += (step - year.rem_euclid(step)) % step;
        while let Some(d) = NaiveDate::from_ymd_opt(year, 1, 1) {
            if d > last {
                break;
            }
            out.push((d, year.to_string()));
            year += step;
        }
        out
    } else if span > 300 {
        months(3, &month_label)
    } else if span > 75 {
        months(1, &month_label)
    } else {
        let step = [1, 2, 7, 14]
            .into_iter()
            .find(|s| span / s <= 10)
            .unwrap_or(14) as u64;
        let mut out = Vec::new();
        let mut d = first;
        while d <= last {
            out.push((d, format!("{} {}", d.day(), MONTHS[d.month0() as usize])));
            match d.checked_add_days(chrono::Days::new(step)) {
                Some(next) => d = next,
                None => break,
            }
        }
        out
    }
}

/// The label of the y axis at `y`, when that is a count: not past the
/// largest count nor below zero, where a cast would saturate to a figure
/// that is not there.
fn label_count(y: f64) -> String {
    let y = y.round();
    // 2⁶⁴, exact as a float: every float below it is a count.
    if (0.0..18_446_744_073_709_551_616.0).contains(&y) {
        whole(i128::from(y as u64))
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ticks_fall_on_years_quarters_months_or_days_by_the_span() {
        let years = calendar_ticks(d("2019-11-04"), d("2025-04-26"));
        assert_eq!(years.first().map(|t| t.1.as_str()), Some("2020"));
        assert!(years.iter().all(|(t, _)| t.month() == 1 && t.day() == 1));
        let quarters = calendar_ticks(d("2021-11-04"), d("2022-12-26"));
        assert!(quarters
            .iter()
            .all(|(t, _)| t.day() == 1 && t.month0() % 3 == 0));
        assert_eq!(quarters[0].1, "Jan 2022");
        let months = calendar_ticks(d("2022-02-23"), d("2022-06-29"));
        assert_eq!(
            months.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["Mar 2022", "Apr 2022", "May 2022", "Jun 2022"]
        );
        let days = calendar_ticks(d("2022-06-20"), d("2022-06-29"));
        assert_eq!(days[0].1, "20 Jun");
        assert!(days.len() <= 11);
    }

    #[test]
    fn ticks_near_the_ends_of_the_calendar_stop_there() {
        assert!(!calendar_ticks(NaiveDate::MAX, NaiveDate::MAX).is_empty());
        let long = calendar_ticks(NaiveDate::MIN, NaiveDate::MAX);
        assert!(long.len() <= 12, "{}", long.len());
    }

    #[test]
    fn the_y_axis_tops_out_at_a_round_figure_above_the_largest() {
        for largest in [0, 1, 7, 4_949, 50_000, 300_001, u64::MAX / 3, u64::MAX] {
            let (top, step) = nice_top(largest);
            assert!(top >= largest, "{largest}");
            assert!(step > 0);
        }
        assert_eq!(nice_top(4_949), (5_000, 1_000));
    }

    /// The baseline of British troops in Estonia over 2022 and 2023, as
    /// drawn: its fresh and stale runs.
    fn gbr_in_est(options: ChartOptions) -> (Timeline, Runs, Runs) {
        let ledger = crate::scenario::madrid_2022().unwrap().into_ledger();
        let scope = Scope::parse("from:GBR in:EST", &ledger).unwrap();
        let options = options.from(d("2022-01-01")).to(d("2023-12-31"));
        let timeline =
            Timeline::with_layers(&ledger, &scope, &Metric::PERSONNEL, &[], &options).unwrap();
        let first = timeline.dates()[0];
        let day = |x: NaiveDate| (x - first).num_days() as f64;
        let (fresh, stale) = timeline.runs(&timeline.series()[0], day(d("2024-01-30")), day);
        (timeline, fresh, stale)
    }

    #[test]
    fn no_line_is_drawn_before_the_first_record() {
        let (timeline, fresh, stale) = gbr_in_est(ChartOptions::new());
        let s = &timeline.series()[0];
        let recorded = s.totals.iter().position(Option::is_some).unwrap();
        assert!(recorded > 0, "the range starts before the first record");
        let first = timeline.dates()[0];
        let start = (timeline.dates()[recorded] - first).num_days() as f64;
        let xs = fresh.iter().chain(&stale).flatten().map(|p| p.0);
        assert!(xs.clone().all(|x| x >= start));
        assert!(xs.clone().any(|x| x == start));
        assert!(stale.is_empty(), "no maximum age, nothing stale");
    }

    #[test]
    fn a_figure_is_drawn_stale_from_the_day_it_turns_stale() {
        let (timeline, _, stale) = gbr_in_est(ChartOptions::new().max_age(180));
        let s = &timeline.series()[0];
        let newest = s.newest.iter().flatten().max().copied().unwrap();
        let turns = newest.checked_add_days(chrono::Days::new(181)).unwrap();
        let first = timeline.dates()[0];
        let at = (turns - first).num_days() as f64;
        assert_eq!(stale.first().map(|r| r[0].0), Some(at));
        // The library agrees: the day before is current, the day itself stale.
        let ledger = crate::scenario::madrid_2022().unwrap().into_ledger();
        let scope = Scope::parse("from:GBR in:EST", &ledger).unwrap();
        let view = ledger.view().max_age(180);
        let before = turns.pred_opt().unwrap();
        assert!(!view
            .total(&scope, &Metric::PERSONNEL, before)
            .unwrap()
            .is_stale());
        assert!(view
            .total(&scope, &Metric::PERSONNEL, turns)
            .unwrap()
            .is_stale());
        assert!(timeline.svg().unwrap().contains("more than 180 days old"));
    }

    #[test]
    fn a_chart_that_cannot_be_drawn_is_an_error_saying_why() {
        let ledger = crate::scenario::madrid_2022().unwrap().into_ledger();
        let all = Scope::all();
        let backwards = ChartOptions::new()
            .from(d("2022-07-01"))
            .to(d("2022-06-01"));
        let err = Timeline::new(&ledger, &all, &Metric::PERSONNEL, &backwards).unwrap_err();
        assert!(matches!(err, Error::Chart { .. }));
        assert_eq!(
            err.to_string(),
            "cannot draw the chart: the range starts on 2022-07-01, after it ends on 2022-06-01: \
             a chart runs forwards in time"
        );
        let tiny = ChartOptions::new().size(100, 100);
        let timeline = Timeline::new(&ledger, &all, &Metric::PERSONNEL, &tiny).unwrap();
        for err in [timeline.svg().unwrap_err(), timeline.png().unwrap_err()] {
            assert_eq!(
                err.to_string(),
                "cannot draw the chart: 100 × 100 pixels is too small for a chart: at least 200 × 150"
            );
        }
        let empty = Ledger::new();
        let err =
            Timeline::new(&empty, &all, &Metric::PERSONNEL, &ChartOptions::new()).unwrap_err();
        assert!(
            err.to_string().contains("no events to date the chart"),
            "{err}"
        );
    }

    #[test]
    fn a_count_axis_past_any_count_has_no_label_there() {
        assert_eq!(label_count(u64::MAX as f64 * 1.15), "");
        assert_eq!(label_count(-1.0), "");
        assert_eq!(label_count(f64::NAN), "");
        assert_eq!(label_count(1_650.4), "1,650");
    }
}
