//! `posture validate`: every problem in a scenario file, with its place, as
//! a plain-text accounting checker reports them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use posture_ledger::scenario::{self, Diagnostic, Scenario};
use posture_ledger::Error;
use serde::Serialize;

use crate::{Done, Failure, Format};

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// A scenario file (TOML, or JSON by extension); the bundled Madrid 2022
    /// scenario when left out.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// How to print: a line for people, or JSON with the schema in docs/cli.md.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `validate --format json`; docs/cli.md documents it.
#[derive(Serialize)]
struct Output<'a> {
    schema_version: u32,
    command: &'static str,
    /// The scenario's name, when it loads.
    scenario: Option<&'a str>,
    file: &'a str,
    sound: bool,
    /// What the file holds, when it is sound.
    records: Option<Records>,
    problems: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct Records {
    units: usize,
    events: usize,
    corrections: usize,
    claims: usize,
}

pub fn run(args: &ValidateArgs) -> Result<Done, Failure> {
    let file = args.file.as_ref().map_or_else(
        || "the bundled Madrid 2022 scenario".to_string(),
        |p| p.display().to_string(),
    );
    let loaded = match &args.file {
        Some(path) => Scenario::from_path(path),
        None => scenario::madrid_2022(),
    };
    // Loading checks every record, claims included, against the ledger.
    let problems: Vec<Diagnostic> = match &loaded {
        Ok(_) => Vec::new(),
        Err(Error::Scenario(e)) => e.diagnostics().to_vec(),
        // The file could not be read at all: an error like any command's.
        Err(e) => return Err(Failure::new(e.to_string())),
    };
    let records = loaded
        .as_ref()
        .ok()
        .filter(|_| problems.is_empty())
        .map(|s| Records {
            units: s.ledger().units().count(),
            events: s.ledger().events().len(),
            corrections: s.ledger().corrections().count(),
            claims: s.claims().len(),
        });
    let status = if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    };
    let stdout = match args.format {
        Format::Json => crate::to_json(&Output {
            schema_version: crate::SCHEMA_VERSION,
            command: "validate",
            scenario: loaded.as_ref().ok().map(Scenario::name),
            file: &file,
            sound: problems.is_empty(),
            records,
            problems,
        })?,
        Format::Csv => {
            let mut csv = crate::csv::Csv::new(&["file", "line", "column", "message"]);
            for p in &problems {
                csv.row([
                    p.file.clone(),
                    crate::csv::opt(p.line),
                    crate::csv::opt(p.column),
                    p.message.clone(),
                ]);
            }
            csv.finish()
        }
        Format::Text => match records {
            Some(r) => format!(
                "{file}: sound: {}, {}, {}, {}\n",
                crate::plural(r.units, "unit"),
                crate::plural(r.events, "event"),
                crate::plural(r.corrections, "correction"),
                crate::plural(r.claims, "claim"),
            ),
            // Each problem on stderr, as every command reports a file's problems.
            None => {
                return Err(Failure(
                    problems.iter().map(Diagnostic::to_string).collect(),
                ));
            }
        },
    };
    Ok(Done { stdout, status })
}
