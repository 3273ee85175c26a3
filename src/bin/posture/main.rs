//! `posture`: the force-posture ledger on the command line.
//!
//! Totals for any scope at any date, before/after comparisons, the claim
//! checker and timeline charts, over a scenario file or the bundled Madrid 2022
//! scenario. Every figure printed is computed by the library; this binary only
//! chooses the queries and formats the answers. `docs/cli.md` documents the
//! commands and the JSON each prints with `--format json`.
//!
//! Exit status: 0 on success (and for `check`, when nothing conflicts), 1 when
//! `check` finds a conflict, 2 for unusable input, with one message per
//! problem on stderr.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use posture_ledger::scenario::{self, Scenario};
use posture_ledger::{Error, LayerId, Ledger, Metric, Scope, TolerancePolicy, View};

mod chart;
mod check;
mod csv;
mod diff;
mod explain;
mod extract;
mod groups;
mod import;
mod table;
mod totals;
mod validate;

/// Totals, comparisons, claim checks and charts from a force-posture ledger.
///
/// With no FILE, every command works on the bundled Madrid 2022 scenario.
/// A FILE is a scenario in TOML, or in JSON when its name ends in `.json`.
#[derive(Parser, Debug)]
#[command(name = "posture", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// A table of totals at the end of one date: a row per host (or per
    /// `--by` group), a column per metric, and the whole scope last.
    Totals(totals::TotalsArgs),
    /// Before, after, change and ratio per scope and metric: between two
    /// dates, or from the baseline to a what-if layer.
    Diff(diff::DiffArgs),
    /// The scenario's claims checked against the ledger and each other,
    /// worst first. Exit status 1 when any finding is a conflict.
    Check(check::CheckArgs),
    /// An SVG timeline of a scope's total: the baseline and each what-if
    /// layer, at every event date in the range.
    Chart(chart::ChartArgs),
    /// Why a total is what it is: the events behind it, one line each, with
    /// the running balance; or, with --announced, the changes announced and
    /// not yet effective.
    Explain(explain::ExplainArgs),
    /// Every problem in a scenario file, each with its line and column:
    /// exit status 0 when the file is sound, 2 when it is not.
    Validate(validate::ValidateArgs),
    /// A published table turned into a scenario file, on stdout: levels,
    /// changes or claims, read as an import spec says.
    Import(import::ImportArgs),
    /// Every quantity phrase of an article, with its line and column,
    /// qualifier, interval, metric and the places its sentence names; or,
    /// with --format toml, draft claims for a person to confirm.
    Extract(extract::ExtractArgs),
}

/// The options every command takes.
#[derive(Args, Debug)]
struct Common {
    /// A scenario file (TOML, or JSON by extension); the bundled Madrid 2022
    /// scenario when left out.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Every figure as known on this date: only events and claims the ledger
    /// had learned of by then count, each as it stood before later corrections.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    known_at: Option<NaiveDate>,
    /// Figures whose newest observation is more than DAYS before the date
    /// asked about are stale: marked so in tables and JSON, and not taken as
    /// current by `check`. Without it, a figure stands until the next.
    #[arg(long, value_name = "DAYS")]
    max_age: Option<u32>,
    /// How to print: an aligned table, or JSON with the schema in docs/cli.md.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// How hedged figures are read: the option `check` and `extract` share.
#[derive(Args, Debug)]
struct PolicyArg {
    /// How hedges are read, over the scenario file's `[policy]`: a
    /// comma-separated list of `rounding`, `relative:F` (approximate figures
    /// ± F), `nearly=F` ("nearly v" is [v·(1 − F), v)) and `default` (the
    /// crate's defaults, forgetting the file's). For example
    /// "relative:0.1,nearly=0.05". Docs: docs/hedges.md.
    #[arg(long, value_name = "SETTINGS")]
    policy: Option<String>,
}

impl PolicyArg {
    /// The scenario's policy with the command line's settings applied.
    fn over(&self, scenario: &Scenario) -> Result<TolerancePolicy, Failure> {
        let policy = scenario.policy().clone();
        match &self.policy {
            None => Ok(policy),
            Some(settings) => policy
                .with_settings(settings)
                .map_err(|e| Failure::new(format!("--policy: {e}"))),
        }
    }
}

/// What a query covers: the options `totals`, `diff` and `chart` share.
#[derive(Args, Debug)]
struct Query {
    /// Which deployments to count, as `key:value[,value…]` terms:
    /// `in:` host, `from:` contributor (country, region or alliance),
    /// `at:` base, `footing:`, `kind:`, `unit:`. For example
    /// "from:NATO in:baltic-states".
    #[arg(long, value_name = "SCOPE")]
    scope: Option<String>,
    /// One metric (personnel, ships, squadrons…); every metric the scenario
    /// counts when left out.
    #[arg(long, value_name = "METRIC", value_parser = parse_metric)]
    metric: Option<Metric>,
}

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Aligned tables for people.
    Text,
    /// JSON for programs, with a stable schema (docs/cli.md).
    Json,
    /// CSV, a row per observation (long format), columns in docs/cli.md.
    Csv,
}

/// Why a command could not run: one message per problem, printed on stderr.
#[derive(Debug)]
struct Failure(Vec<String>);

impl Failure {
    fn new(message: impl Into<String>) -> Self {
        Failure(vec![message.into()])
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        match error {
            Error::Scenario(s) => Failure(s.diagnostics().iter().map(|d| d.to_string()).collect()),
            other => Failure::new(other.to_string()),
        }
    }
}

/// What a command hands back: its output and its exit status.
struct Done {
    stdout: String,
    status: ExitCode,
}

impl Done {
    fn ok(stdout: String) -> Self {
        Done {
            stdout,
            status: ExitCode::SUCCESS,
        }
    }
}

fn main() -> ExitCode {
    // A panic would be a bug in this crate; say so in one line, with no backtrace.
    std::panic::set_hook(Box::new(|info| {
        complain(&format!("internal error, please report it: {info}"));
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let printed = e.print();
            return match printed {
                _ if e.use_stderr() => ExitCode::from(2),
                // Help or the version that could not be printed is a
                // failure, but a reader that stops early (`| head`) is not.
                Err(p) if p.kind() != std::io::ErrorKind::BrokenPipe => ExitCode::from(2),
                _ => ExitCode::SUCCESS,
            };
        }
    };
    let result = match &cli.command {
        Command::Totals(a) => totals::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Check(a) => check::run(a),
        Command::Chart(a) => chart::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Import(a) => import::run(a),
        Command::Extract(a) => extract::run(a),
    };
    match result {
        Ok(done) => {
            let mut out = std::io::stdout().lock();
            match out
                .write_all(done.stdout.as_bytes())
                .and_then(|()| out.flush())
            {
                // A reader that stops early (`| head`) is not an error.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    complain(&format!("writing the output: {e}"));
                    ExitCode::from(2)
                }
                _ => done.status,
            }
        }
        Err(Failure(messages)) => {
            for m in messages {
                complain(&m);
            }
            ExitCode::from(2)
        }
    }
}

/// Prints `error: message` on stderr. Unlike `eprintln!`, which panics when
/// stderr cannot be written (a full disk), a message that cannot be written
/// is dropped: the exit status still tells.
fn complain(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "error: {message}");
}

/// Loads the scenario named on the command line, or the bundled one.
fn load(file: Option<&PathBuf>) -> Result<Scenario, Failure> {
    Ok(match file {
        Some(path) => Scenario::from_path(path)?,
        None => {
            // Figures from a scenario the user did not name are said to be so.
            let _ = writeln!(
                std::io::stderr(),
                "note: no FILE given: using the bundled Madrid 2022 scenario"
            );
            scenario::madrid_2022()?
        }
    })
}

/// The last date on which the ledger records anything: what `--at` and
/// `--to` mean when left out.
fn last_record(ledger: &Ledger) -> Result<NaiveDate, Failure> {
    ledger
        .events()
        .iter()
        .filter(|e| e.layer().is_none())
        .map(|e| e.effective())
        .max()
        .ok_or_else(|| Failure::new("the scenario records no events: give --at"))
}

/// `1 claim`, `2 claims`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Reads a date as `YYYY-MM-DD`.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !well_formed {
        return Err("expected a date as YYYY-MM-DD, such as 2022-06-29".to_string());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| "no such day in the calendar".to_string())
}

fn parse_metric(text: &str) -> Result<Metric, String> {
    Metric::new(text).map_err(|e| e.to_string())
}

fn parse_layer(text: &str) -> Result<LayerId, String> {
    LayerId::new(text).map_err(|e| e.to_string())
}

/// The scope given with `--scope`, parsed against the ledger.
fn parse_scope(text: Option<&str>, ledger: &Ledger) -> Result<Scope, Failure> {
    match text {
        Some(t) => Scope::parse(t, ledger).map_err(|e| Failure::new(format!("--scope `{t}`: {e}"))),
        None => Ok(Scope::all()),
    }
}

/// Checks that the ledger has `layer`, naming the layers it has when not.
fn check_layer(ledger: &Ledger, layer: &LayerId) -> Result<(), Failure> {
    if ledger.layers().iter().any(|l| &l.id == layer) {
        return Ok(());
    }
    let known: Vec<String> = ledger.layers().iter().map(|l| l.id.to_string()).collect();
    Err(Failure::new(if known.is_empty() {
        format!("unknown layer `{layer}`: the scenario has no what-if layers")
    } else {
        format!(
            "unknown layer `{layer}`: the scenario's layers are {}",
            known.join(", ")
        )
    }))
}

/// The view to ask: the baseline, or with `layer` (which the ledger must
/// have), as known on `known_at` when given.
fn view<'a>(
    ledger: &'a Ledger,
    layer: Option<&LayerId>,
    common: &Common,
) -> Result<View<'a>, Failure> {
    let view = match layer {
        Some(l) => {
            check_layer(ledger, l)?;
            ledger.with_layer(l)?
        }
        None => ledger.view(),
    };
    let view = match common.max_age {
        Some(days) => view.max_age(days),
        None => view,
    };
    Ok(match common.known_at {
        Some(k) => view.known_at(k),
        None => view,
    })
}

/// `, as known on 2022-06-28` for a heading, or nothing.
fn as_known(known_at: Option<NaiveDate>) -> String {
    known_at.map_or(String::new(), |k| format!(", as known on {k}"))
}

/// Writes `value` as pretty JSON with a final newline.
fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Failure::new(format!("internal error: writing JSON: {e}")))
}

/// The version of the JSON schema in docs/cli.md; raised on any change that
/// could break a reader.
const SCHEMA_VERSION: u32 = 2;
