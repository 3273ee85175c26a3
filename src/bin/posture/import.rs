//! `posture import`: a published table turned into a scenario file.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use posture_ledger::import::{ImportOptions, ImportSpec};
use posture_ledger::scenario::{Meta, Scenario, ScenarioFile, TableKind};

use crate::{Done, Failure};

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The table, a CSV file; `-` reads standard input.
    #[arg(value_name = "TABLE")]
    table: String,
    /// What the table holds.
    #[arg(long, value_enum, default_value_t = Kind::Levels)]
    kind: Kind,
    /// How to read it: an import spec in TOML (columns, constants, rows to
    /// skip, codes…), as docs/format.md describes; the table's columns are
    /// then named after the fields when left out.
    #[arg(long, value_name = "SPEC.toml")]
    spec: Option<PathBuf>,
    /// A scenario to import into (its regions name the places a claims table
    /// refers to); a new, empty one when left out.
    #[arg(long, value_name = "SCENARIO")]
    into: Option<PathBuf>,
    /// The new scenario's name; the table's file name when left out.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Reads a levels table as a census: a host a snapshot leaves out is
    /// recorded as 0 from that date.
    #[arg(long)]
    census: bool,
    /// The scenario written: TOML, or JSON.
    #[arg(long, value_enum, default_value_t = Written::Toml)]
    format: Written,
}

/// What a table holds, as `--kind` names it.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Kind {
    Levels,
    Changes,
    Claims,
}

/// The scenario's format on stdout.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Written {
    Toml,
    Json,
}

pub fn run(args: &ImportArgs) -> Result<Done, Failure> {
    let spec = match &args.spec {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::new(format!("{}: {e}", path.display())))?;
            toml::from_str::<ImportSpec>(&text)
                .map_err(|e| Failure::new(format!("{}: {}", path.display(), e.message())))?
        }
        None => ImportSpec::default(),
    };
    let shown = if args.table == "-" {
        "stdin".to_string()
    } else {
        args.table.clone()
    };
    let mut options = ImportOptions::from_spec(shown.clone(), spec);
    if args.census {
        options = options.as_census();
    }
    let mut scenario = match &args.into {
        Some(path) => Scenario::from_path(path)?,
        None => {
            let name = args.name.clone().unwrap_or_else(|| {
                let file = shown.rsplit(['/', '\\']).next().unwrap_or(&shown);
                file.strip_suffix(".csv").unwrap_or(file).to_string()
            });
            let contents = ScenarioFile {
                scenario: Meta {
                    name,
                    description: format!("imported from {shown}"),
                },
                ..ScenarioFile::default()
            };
            Scenario::from_file(contents, "new scenario")?
        }
    };
    let kind = match args.kind {
        Kind::Levels => TableKind::Levels,
        Kind::Changes => TableKind::Changes,
        Kind::Claims => TableKind::Claims,
    };
    if args.table == "-" {
        let mut text = Vec::new();
        std::io::stdin()
            .read_to_end(&mut text)
            .map_err(|e| Failure::new(format!("reading standard input: {e}")))?;
        scenario.import(text.as_slice(), kind, &options)?;
    } else {
        let file = std::fs::File::open(&args.table)
            .map_err(|e| Failure::new(format!("{}: {e}", args.table)))?;
        scenario.import(file, kind, &options)?;
    }
    let stdout = match args.format {
        Written::Toml => scenario.to_toml()?,
        Written::Json => scenario.to_json()? + "\n",
    };
    Ok(Done::ok(stdout))
}
