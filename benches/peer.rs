//! The peer benchmark's job (issue #15): load the events of
//! `../shared/bench/peers-gen.py`, validate them, answer every host's total
//! at the end of 2012-12-31, and check every assertion, in one process, as
//! the scenario file `benches/peer/peer.toml` describes it. Targets: ≤ 1/100
//! of ledger-cli's wall time, measured in the same run, and ≤ 250 MB peak.
//! `benches/peer/run.sh` times it beside ledger-cli; the figures are in
//! benches/README.md.
//!
//! ```sh
//! PEER_DATA=../peers-data/1000000 cargo bench --features csv --bench peer
//! PEER_DATA=../peers-data/100000 valgrind --tool=callgrind --toggle-collect='*peer::job*' \
//!     target/release/deps/peer-<hash> --bench
//! ```
//!
//! `posture` cannot read the two tables yet (the README says what it lacks),
//! so this bench reads the scenario file itself and does through the library
//! what its `[[imports]]` ask, and only the missing part in its own code: it
//! gives the events' hosts their codes, by the import's own `host_codes`,
//! and gives each assertion an id (its line) and a scope (`in:` its host).
//! The rewritten tables then go through `changes_csv` and `claims_csv` with
//! the scenario's specs, so the rows are read and validated as a scenario's
//! would be. Everything after reading the scenario file is timed.

// The generator of ledgers is the other benches'; this one reads memory figures.
#[allow(dead_code)]
mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use posture_ledger::import::{changes_csv, claims_csv, HostCodes, ImportOptions, ImportSpec};
use posture_ledger::scenario::{Import, Scenario, ScenarioFile, TableKind};
use posture_ledger::{Country, Ledger, Metric, Scope, Verdict};

/// The scenario file, unless `PEER_SCENARIO` names another.
const SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/peer/peer.toml");

/// The day every host's total is asked for.
const AT: &str = "2012-12-31";

/// The scenario file's records, and its two imports taken out of it.
fn scenario_file(path: &Path) -> (ScenarioFile, Import, Import) {
    let text = std::fs::read_to_string(path).expect("the scenario file");
    let mut file: ScenarioFile = toml::from_str(&text).expect("a scenario file");
    let mut take = |kind: TableKind| {
        let at = file
            .imports
            .iter()
            .position(|i| i.kind == kind)
            .expect("an import of each kind");
        file.imports.remove(at)
    };
    let (events, claims) = (take(TableKind::Changes), take(TableKind::Claims));
    (file, events, claims)
}

/// The code a host's text stands for, by the spec's `host_codes` read as
/// they would be for a `host` column of names.
fn host_code(codes: &[HostCodes], text: &str) -> Country {
    codes
        .iter()
        .find_map(|c| {
            c.codes
                .get(text)
                .copied()
                .or_else(|| c.by_name.then(|| Country::from_name(text)).flatten())
        })
        .unwrap_or_else(|| panic!("no code for host `{text}`"))
}

/// The table at `path` with the field at `column` of every data row
/// replaced by `replace`'s text, and, where `id` is given, that column's
/// header and `line-N` put first: what the spec would do if it could. The
/// tables are plain (no quotes), as the generator writes them; the file's
/// text is let go on return, so that only the rewritten table is held.
fn rewritten(
    path: &Path,
    column: &str,
    id: Option<&str>,
    mut replace: impl FnMut(&str) -> String,
) -> String {
    let table = std::fs::read_to_string(path).expect("the table");
    let mut lines = table.lines();
    let header = lines.next().expect("a header");
    let at = header
        .split(',')
        .position(|h| h == column)
        .expect("the column");
    let mut out = String::with_capacity(table.len() + table.len() / 4);
    if let Some(id) = id {
        write!(out, "{id},").expect("a string");
    }
    out.push_str(header);
    out.push('\n');
    for (i, line) in lines.enumerate() {
        if id.is_some() {
            write!(out, "line-{},", i + 2).expect("a string");
        }
        for (k, field) in line.split(',').enumerate() {
            if k > 0 {
                out.push(',');
            }
            if k == at {
                out.push_str(&replace(field));
            } else {
                out.push_str(field);
            }
        }
        out.push('\n');
    }
    out
}

/// How long each part of one job took, and what it found.
#[derive(Default)]
struct Job {
    read: Duration,
    events: Duration,
    claims: Duration,
    totals: Duration,
    check: Duration,
    rows: usize,
    assertions: usize,
    verdicts: BTreeMap<Verdict, usize>,
    hosts: usize,
    personnel: u64,
    /// The resident set's high-water mark once the events are in, and the
    /// resident set then, in bytes: what building needed, and what it left.
    events_peak: u64,
    events_rss: u64,
}

/// The job, once: every part timed from the tables on disk to the report.
/// Kept a function of its own for callgrind to count
/// (`--toggle-collect='*peer::job*'`).
#[inline(never)]
fn job(folder: &Path, scenario: &Path) -> Job {
    let mut job = Job::default();
    let (file, events, claims) = scenario_file(scenario);
    let start = Instant::now();
    let mut ledger: Ledger = Scenario::from_file(file, &scenario.display().to_string())
        .expect("the scenario's records")
        .into_ledger();

    let mut spec: ImportSpec = events.spec.clone();
    let codes = std::mem::take(&mut spec.host_codes);
    let table = rewritten(&events.path(folder), "host", None, |h| {
        host_code(&codes, h).code().to_string()
    });
    job.read = start.elapsed();
    let imported = changes_csv(
        table.as_bytes(),
        &mut ledger,
        &ImportOptions::from_spec(events.file.clone(), spec),
    )
    .expect("the events import");
    drop(table);
    (job.events_peak, job.events_rss) = (common::status("VmHWM"), common::status("VmRSS"));
    job.rows = imported.rows;
    job.events = start.elapsed() - job.read;

    let table = rewritten(&claims.path(folder), "host", Some("id"), |h| {
        format!("in:{}", host_code(&codes, h))
    });
    let options = ImportOptions::from_spec(claims.file.clone(), claims.spec.clone());
    let assertions = claims_csv(table.as_bytes(), &ledger, &options).expect("the claims import");
    job.assertions = assertions.len();
    job.claims = start.elapsed() - job.read - job.events;

    let mark = Instant::now();
    let at = AT.parse().expect("a date");
    let hosts = codes
        .iter()
        .flat_map(|c| c.codes.values().copied())
        .collect::<std::collections::BTreeSet<_>>();
    job.hosts = hosts.len();
    for host in hosts {
        let total = ledger
            .total(&Scope::all().in_country(host), &Metric::PERSONNEL, at)
            .expect("a total");
        job.personnel += total.get().unwrap_or(0);
    }
    job.totals = mark.elapsed();

    let mark = Instant::now();
    let report = ledger.check(&assertions).expect("a report");
    for finding in report.findings() {
        *job.verdicts.entry(finding.verdict).or_default() += 1;
    }
    job.check = mark.elapsed();
    black_box((&ledger, &report));
    job
}

fn main() {
    let scenario = std::env::var_os("PEER_SCENARIO").map_or_else(|| SCENARIO.into(), PathBuf::from);
    // The tables are generated, not committed: without them (as under
    // `cargo test --all-targets`) there is nothing to time.
    let Some(folder) = std::env::var_os("PEER_DATA").map(PathBuf::from) else {
        eprintln!("peer: PEER_DATA names no folder of peers-gen.py's tables; nothing run");
        return;
    };
    let start = Instant::now();
    let job = job(&folder, &scenario);
    let whole = start.elapsed();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let verdicts: Vec<String> = job
        .verdicts
        .iter()
        .map(|(v, n)| format!("{n} {v}"))
        .collect();
    println!(
        "peer/{} rows/{} assertions: {:.0} ms (read and rewrite {:.0} ms, events {:.0} ms, \
         claims {:.0} ms, {} hosts' totals {:.2} ms, check {:.0} ms); {} personnel on {AT}; \
         findings: {}; resident {:.0} MB with the events in (peak {:.0} MB by then), \
         peak {:.0} MB over the job",
        job.rows,
        job.assertions,
        ms(whole),
        ms(job.read),
        ms(job.events),
        ms(job.claims),
        job.hosts,
        ms(job.totals),
        ms(job.check),
        job.personnel,
        verdicts.join(", "),
        job.events_rss as f64 / 1e6,
        job.events_peak as f64 / 1e6,
        common::status("VmHWM") as f64 / 1e6,
    );
}
