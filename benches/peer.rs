//! The peer benchmark's job (issue #15): load the events of
//! `../shared/bench/peers-gen.py`, validate them, answer every host's total
//! at the end of 2012-12-31, and check every assertion, in one process, as
//! the scenario file `benches/peer/peer.toml` describes it, through the
//! library: what `posture check` does, less the printing. Targets: ≤ 1/100
//! of ledger-cli's wall time, measured in the same run, and ≤ 250 MB peak.
//! `benches/peer/run.sh` times it, and `posture check` on the same file,
//! beside ledger-cli; the figures are in benches/README.md.
//!
//! The scenario's imports are relative to it: it is linked into the data
//! folder, beside `events.csv` and `assertions.csv` (run.sh does it).
//!
//! ```sh
//! ln -sf "$PWD/benches/peer/peer.toml" ../peers-data/1000000/
//! PEER_DATA=../peers-data/1000000 cargo bench --features csv --bench peer
//! PEER_DATA=../peers-data/100000 valgrind --tool=callgrind --toggle-collect='*peer::job*' \
//!     target/release/deps/peer-<hash> --bench
//! ```

// The generator of ledgers is the other benches'; this one reads memory figures.
#[allow(dead_code)]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use posture_ledger::scenario::Scenario;
use posture_ledger::{CheckOptions, Country, Metric, Scope, Verdict};

/// The day every host's total is asked for.
const AT: &str = "2012-12-31";

/// What one run of the job did, and how long each part took.
#[derive(Default)]
struct Job {
    /// Reading the scenario and its two tables, validating, indexing.
    load: Duration,
    totals: Duration,
    check: Duration,
    events: usize,
    assertions: usize,
    verdicts: BTreeMap<Verdict, usize>,
    hosts: usize,
    personnel: u64,
    /// The resident set's high-water mark once loaded, and the resident
    /// set then, in bytes: what loading needed, and what it left.
    load_peak: u64,
    load_rss: u64,
}

/// The job, once: every part timed from the tables on disk to the report.
/// Kept a function of its own for callgrind to count
/// (`--toggle-collect='*peer::job*'`).
#[inline(never)]
fn job(scenario: &Path) -> Job {
    let mut job = Job::default();
    let start = Instant::now();
    let loaded = Scenario::from_path(scenario).expect("the scenario and its tables");
    job.load = start.elapsed();
    (job.load_peak, job.load_rss) = (common::status("VmHWM"), common::status("VmRSS"));
    let ledger = loaded.ledger();
    job.events = ledger.events().len();
    job.assertions = loaded.claims().len();

    let mark = Instant::now();
    let at = AT.parse().expect("a date");
    let hosts: BTreeSet<Country> = ledger
        .regions()
        .iter()
        .flat_map(|r| r.members().iter().map(|m| m.country))
        .collect();
    job.hosts = hosts.len();
    for host in hosts {
        let total = ledger
            .total(&Scope::all().in_country(host), &Metric::PERSONNEL, at)
            .expect("a total");
        job.personnel += total.get().unwrap_or(0);
    }
    job.totals = mark.elapsed();

    let mark = Instant::now();
    let report = ledger
        .check_with(loaded.claims(), CheckOptions::from(loaded.policy()))
        .expect("a report");
    for finding in report.findings() {
        *job.verdicts.entry(finding.verdict).or_default() += 1;
    }
    job.check = mark.elapsed();
    black_box((&loaded, &report));
    job
}

fn main() {
    // The tables are generated, not committed: without them (as under
    // `cargo test --all-targets`) there is nothing to time.
    let Some(folder) = std::env::var_os("PEER_DATA").map(PathBuf::from) else {
        eprintln!("peer: PEER_DATA names no folder of peers-gen.py's tables; nothing run");
        return;
    };
    let start = Instant::now();
    let job = job(&folder.join("peer.toml"));
    let whole = start.elapsed();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let verdicts: Vec<String> = job
        .verdicts
        .iter()
        .map(|(v, n)| format!("{n} {v}"))
        .collect();
    println!(
        "peer/{} events/{} assertions: {:.0} ms (load {:.0} ms, {} hosts' totals {:.2} ms, \
         check {:.0} ms); {} personnel on {AT}; findings: {}; resident {:.0} MB once loaded \
         (peak {:.0} MB by then), peak {:.0} MB over the job",
        job.events,
        job.assertions,
        ms(whole),
        ms(job.load),
        job.hosts,
        ms(job.totals),
        ms(job.check),
        job.personnel,
        verdicts.join(", "),
        job.load_rss as f64 / 1e6,
        job.load_peak as f64 / 1e6,
        common::status("VmHWM") as f64 / 1e6,
    );
}
