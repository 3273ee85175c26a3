//! `posture extract`: every quantity phrase of an article, with its line,
//! qualifier, interval, metric and places; or draft claims to confirm.

use std::fmt::Write as _;
use std::io::Read;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use posture_ledger::claim::Figure;
use posture_ledger::phrase::{self, Extracted, MetricFrom, PlaceRole, Value};
use posture_ledger::{Direction, Interval, Places, Qualifier};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::table::Table;
use crate::{Done, Failure};

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// The article, plain text; `-` reads it from stdin.
    #[arg(value_name = "ARTICLE")]
    article: PathBuf,
    /// A scenario file whose regions and alliances are the places known
    /// (TOML, or JSON by extension); the bundled Madrid 2022 scenario when
    /// left out.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// The document the draft claims cite; the article's file name without
    /// its extension when left out (`stdin` for `-`).
    #[arg(long, value_name = "NAME")]
    document: Option<String>,
    /// The date the article was printed: the draft claims' `reported` date,
    /// and their `as_of` until a person says otherwise.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::parse_date)]
    reported: Option<NaiveDate>,
    /// How to print: a table, JSON or CSV (schemas in docs/cli.md), or TOML
    /// draft `[[claims]]` with the guesses marked for a person to confirm.
    #[arg(long, value_enum, default_value_t = ExtractFormat::Text)]
    format: ExtractFormat,
    #[command(flatten)]
    policy: crate::PolicyArg,
}

/// `extract`'s output formats: the others', and TOML drafts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ExtractFormat {
    /// An aligned table for people.
    Text,
    /// JSON for programs, with the schema in docs/cli.md.
    Json,
    /// CSV, a row per phrase.
    Csv,
    /// Draft `[[claims]]` records for a scenario file.
    Toml,
}

pub fn run(args: &ExtractArgs) -> Result<Done, Failure> {
    let from_stdin = args.article.as_os_str() == "-";
    let text = if from_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::new(format!("reading the article from stdin: {e}")))?;
        text
    } else {
        std::fs::read_to_string(&args.article)
            .map_err(|e| Failure::new(format!("{}: {e}", args.article.display())))?
    };
    let scenario = crate::load(args.file.as_ref())?;
    let policy = args.policy.over(&scenario)?;
    let found = phrase::extract(&text, scenario.ledger(), &policy);
    let article = if from_stdin {
        "-".to_string()
    } else {
        args.article.display().to_string()
    };
    let document = match &args.document {
        Some(d) => d.clone(),
        None if from_stdin => "stdin".to_string(),
        None => args
            .article
            .file_stem()
            .map_or_else(|| article.clone(), |s| s.to_string_lossy().into_owned()),
    };
    let stdout = match args.format {
        ExtractFormat::Text => text_table(&article, scenario.name(), &found),
        ExtractFormat::Json => crate::to_json(&Output {
            schema_version: crate::SCHEMA_VERSION,
            command: "extract",
            article: &article,
            scenario: scenario.name(),
            document: &document,
            reported: args.reported,
            phrases: found.iter().map(|e| json_phrase(&text, e)).collect(),
        })?,
        ExtractFormat::Csv => csv(&found),
        ExtractFormat::Toml => drafts(&text, &found, &document, args.reported),
    };
    Ok(Done::ok(stdout))
}

/// A qualifier's name, or `range` for a range with no hedge.
fn qualifier(e: &Extracted) -> String {
    e.reading()
        .qualifier()
        .map_or_else(|| "range".to_string(), |q| q.to_string())
}

fn interval_text(e: &Extracted) -> String {
    match e.interval() {
        Ok(i) => i.to_string(),
        Err(err) => format!("— ({err})"),
    }
}

fn metric_text(e: &Extracted) -> String {
    match (e.metric(), e.metric_from()) {
        (Some(m), Some(MetricFrom::Sentence)) => format!("{m} (sentence)"),
        (Some(m), _) => m.to_string(),
        (None, _) => String::new(),
    }
}

fn places_text(places: &Places) -> String {
    places.to_string()
}

fn text_table(article: &str, scenario: &str, found: &[Extracted]) -> String {
    let mut table = Table::new(
        7,
        [
            "line:col",
            "words",
            "qualifier",
            "interval",
            "metric",
            "in",
            "also named",
        ]
        .map(String::from)
        .to_vec(),
    );
    for e in found {
        table.row(vec![
            format!("{}:{}", e.line(), e.column()),
            e.reading().words().to_string(),
            qualifier(e),
            interval_text(e),
            metric_text(e),
            places_text(&e.hosts()),
            places_text(&e.others()),
        ]);
    }
    let mut out = format!(
        "{article} · {} · places known from {scenario}\n\n",
        crate::plural(found.len(), "quantity phrase")
    );
    if !found.is_empty() {
        out.push_str(&table.render());
        out.push_str(
            "\nEvery metric and place is a guess to confirm. \"(sentence)\": no counted noun follows the phrase; the metric is the nearest one before it in its sentence. \"in\": named after in, to, across, at…; \"also named\": elsewhere in the sentence.\n",
        );
    }
    out
}

/// `extract --format json`; docs/cli.md documents it.
#[derive(Serialize)]
struct Output<'a> {
    schema_version: u32,
    command: &'static str,
    article: &'a str,
    scenario: &'a str,
    document: &'a str,
    reported: Option<NaiveDate>,
    phrases: Vec<JsonPhrase<'a>>,
}

#[derive(Serialize)]
struct JsonPhrase<'a> {
    line: usize,
    column: usize,
    words: &'a str,
    value: String,
    qualifier: Option<Qualifier>,
    interval: Option<JsonInterval>,
    error: Option<String>,
    metric: Option<String>,
    metric_from: Option<&'static str>,
    hosts: Places,
    others: Places,
    places: Vec<JsonPlace<'a>>,
    sentence: &'a str,
}

#[derive(Serialize)]
struct JsonInterval {
    text: String,
    interval: Interval,
}

#[derive(Serialize)]
struct JsonPlace<'a> {
    place: String,
    kind: &'static str,
    words: &'a str,
    line: usize,
    column: usize,
    role: &'static str,
}

fn json_phrase<'a>(text: &'a str, e: &'a Extracted) -> JsonPhrase<'a> {
    JsonPhrase {
        line: e.line(),
        column: e.column(),
        words: e.reading().words(),
        value: e.reading().value().to_string(),
        qualifier: e.reading().qualifier(),
        interval: e.interval().ok().map(|i| JsonInterval {
            text: i.to_string(),
            interval: i,
        }),
        error: e.interval().err().map(|err| err.to_string()),
        metric: e.metric().map(ToString::to_string),
        metric_from: e.metric_from().map(|f| match f {
            MetricFrom::Noun => "noun",
            MetricFrom::Sentence => "sentence",
        }),
        hosts: e.hosts(),
        others: e.others(),
        places: e
            .places()
            .iter()
            .map(|p| {
                let (line, column) = phrase::line_column(text, p.span.start).unwrap_or((1, 1));
                JsonPlace {
                    place: p.place.to_string(),
                    kind: match p.place {
                        phrase::Place::Country(_) => "country",
                        phrase::Place::Region(_) => "region",
                        phrase::Place::Alliance(_) => "alliance",
                    },
                    words: &p.words,
                    line,
                    column,
                    role: match p.role {
                        PlaceRole::Host => "host",
                        PlaceRole::Other => "other",
                    },
                }
            })
            .collect(),
        sentence: text.get(e.sentence()).unwrap_or(""),
    }
}

fn csv(found: &[Extracted]) -> String {
    let mut csv = crate::csv::Csv::new(&[
        "line",
        "column",
        "words",
        "value",
        "qualifier",
        "interval",
        "metric",
        "metric_from",
        "hosts",
        "others",
    ]);
    for e in found {
        csv.row([
            e.line().to_string(),
            e.column().to_string(),
            e.reading().words().to_string(),
            e.reading().value().to_string(),
            e.reading()
                .qualifier()
                .map_or(String::new(), |q| q.to_string()),
            e.interval().map_or(String::new(), |i| i.to_string()),
            crate::csv::opt(e.metric()),
            crate::csv::opt(e.metric_from().map(|f| match f {
                MetricFrom::Noun => "noun",
                MetricFrom::Sentence => "sentence",
            })),
            places_text(&e.hosts()),
            places_text(&e.others()),
        ]);
    }
    csv.finish()
}

/// A TOML string, quoted and escaped.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A figure's value as a scenario file writes it: a whole number as a
/// number, a decimal as a string.
fn number(d: Decimal) -> String {
    let d = d.normalize();
    if d.scale() == 0 && d.abs() <= Decimal::from(i64::MAX) {
        d.to_string()
    } else {
        quoted(&d.to_string())
    }
}

/// The fields of a figure inside an inline table: `qualifier = "exact",
/// value = 4` or `low = 3000, high = 5000`.
fn figure_fields(f: &Figure) -> [String; 2] {
    match f {
        Figure::Hedged { qualifier, value } => [
            format!("qualifier = {}", quoted(&qualifier.to_string())),
            format!("value = {}", number(*value)),
        ],
        Figure::Range { low, high } => [
            format!("low = {}", number(*low)),
            format!("high = {}", number(*high)),
        ],
    }
}

/// A figure as an inline table's fields: `qualifier = "exact", value = 4`.
fn inline(f: &Figure) -> String {
    figure_fields(f).join(", ")
}

/// A scope's places as an inline table: `{ countries = ["EST"] }`.
fn places_table(p: &Places) -> String {
    let list = |items: Vec<String>| {
        let quoted: Vec<String> = items.iter().map(|s| quoted(s)).collect();
        format!("[{}]", quoted.join(", "))
    };
    let mut parts = Vec::new();
    if !p.countries.is_empty() {
        parts.push(format!(
            "countries = {}",
            list(p.countries.iter().map(ToString::to_string).collect())
        ));
    }
    if !p.regions.is_empty() {
        parts.push(format!(
            "regions = {}",
            list(p.regions.iter().map(ToString::to_string).collect())
        ));
    }
    if !p.alliances.is_empty() {
        parts.push(format!(
            "alliances = {}",
            list(p.alliances.iter().map(ToString::to_string).collect())
        ));
    }
    format!("{{ {} }}", parts.join(", "))
}

fn is_empty(p: &Places) -> bool {
    p.countries.is_empty() && p.regions.is_empty() && p.alliances.is_empty()
}

/// Draft `[[claims]]` records, one per phrase a claim can state. What the
/// reader guessed is written and marked `# to confirm: …`; what it cannot
/// guess is written as a commented-out line marked `# to fill: …`, so that
/// the file does not load until a person fills it. A phrase no claim can
/// state (a proportion, a hedged range, a figure with no interval) is
/// written as comments only, saying why.
fn drafts(text: &str, found: &[Extracted], document: &str, reported: Option<NaiveDate>) -> String {
    let mut out = String::from(
        "# Draft claims written by `posture extract`. Each guess is marked `# to confirm`;\n\
         # each field it could not guess is a commented-out line marked `# to fill`.\n\
         # Confirm or correct the guesses, fill the blanks, and append the records to a\n\
         # scenario file whose regions and alliances they name.\n",
    );
    for e in found {
        let words = e.reading().words();
        let sentence = text.get(e.sentence()).unwrap_or("");
        out.push('\n');
        let _ = writeln!(
            out,
            "# line {}, column {}: {}",
            e.line(),
            e.column(),
            quoted(&one_line(sentence))
        );
        let statement = match (e.reading().value(), e.interval()) {
            (_, Err(err)) => Err(format!("its figure has no interval: {err}")),
            (Value::Figure(f), Ok(_)) => Ok(("quantity", figure_fields(f).join("\n"))),
            (Value::Change(c), Ok(_)) => {
                let mut fields = Vec::new();
                if let Some(b) = &c.before {
                    fields.push(format!("before = {{ {} }}", inline(b)));
                }
                if let Some(a) = &c.after {
                    fields.push(format!("after = {{ {} }}", inline(a)));
                }
                if let Some(d) = &c.delta {
                    let direction = match d.direction {
                        Direction::Increase => "increase",
                        Direction::Decrease => "decrease",
                    };
                    fields.push(format!(
                        "delta = {{ direction = \"{direction}\", {} }}",
                        inline(&d.figure)
                    ));
                }
                if let Some(r) = &c.ratio {
                    fields.push(format!("ratio = {{ {} }}", inline(r)));
                }
                Ok(("change", fields.join("\n")))
            }
            (Value::HedgedRange { .. }, Ok(_)) => {
                Err("a hedged range: a claim's range has exact ends, so write the range a person reads it as".to_string())
            }
            (Value::Ratio(_), Ok(_)) => Err(
                "a proportion: no claim states one; write the quantity it is a proportion of"
                    .to_string(),
            ),
        };
        let (kind, figure) = match statement {
            Ok(s) => s,
            Err(why) => {
                let _ = writeln!(out, "# not drafted: {} is {why}", quoted(words));
                continue;
            }
        };
        out.push_str("[[claims]]\n");
        let _ = writeln!(
            out,
            "id = {}",
            quoted(&format!("L{}:{}", e.line(), e.column()))
        );
        match reported {
            Some(r) => {
                let _ = writeln!(
                    out,
                    "as_of = \"{r}\"  # to confirm: the date the figure holds (the report's date)"
                );
            }
            None => out.push_str(
                "# as_of = \"YYYY-MM-DD\"  # to fill: the date the figure holds (no --reported)\n",
            ),
        }
        let mut source = format!("document = {}", quoted(document));
        if let Some(r) = reported {
            let _ = write!(source, ", reported = \"{r}\"");
        }
        let _ = write!(source, ", line = {}, quote = {}", e.line(), quoted(words));
        let _ = writeln!(out, "source = {{ {source} }}");
        let _ = writeln!(out, "kind = \"{kind}\"");
        let (hosts, others) = (e.hosts(), e.others());
        let mut scope = Vec::new();
        if !is_empty(&others) {
            scope.push(format!("contributors = {}", places_table(&others)));
        }
        if !is_empty(&hosts) {
            scope.push(format!("hosts = {}", places_table(&hosts)));
        }
        let named: Vec<String> = e
            .places()
            .iter()
            .map(|p| quoted(&p.words))
            .collect::<Vec<_>>();
        if scope.is_empty() {
            out.push_str("scope = {}  # to confirm: the sentence names no place; {} covers every deployment\n");
        } else {
            let _ = writeln!(
                out,
                "scope = {{ {} }}  # to confirm: hosts are the places after in/to/across/at…, contributors the others named ({})",
                scope.join(", "),
                named.join(", ")
            );
        }
        match (e.metric(), e.metric_from()) {
            (Some(m), Some(MetricFrom::Sentence)) => {
                let _ = writeln!(
                    out,
                    "metric = {}  # to confirm: the nearest counted noun before the phrase",
                    quoted(m.name())
                );
            }
            (Some(m), _) => {
                let _ = writeln!(
                    out,
                    "metric = {}  # to confirm: the noun after the phrase",
                    quoted(m.name())
                );
            }
            (None, _) => out.push_str(
                "# metric = \"?\"  # to fill: what is counted (no counted noun in the sentence)\n",
            ),
        }
        out.push_str(&figure);
        out.push('\n');
    }
    out
}

/// The text on one line: line breaks and runs of spaces as one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
