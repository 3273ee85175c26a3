//! Importing a published table of 10⁶ rows through the declarative spec, as a
//! user does: a scenario file whose `[[imports]]` reads the table. Target
//! (issue #14): ≤ 1 s and ≤ 150 B per row of peak memory above the ledger
//! itself. The figures are in benches/README.md.
//!
//! ```sh
//! cargo bench --features csv --bench import                  # 10⁶ rows, three loads
//! ROWS=100000 cargo bench --features csv --bench import
//! cargo bench --features csv --bench import -- instructions   # one load of 10⁵ rows, for callgrind
//! ```
//!
//! The table has the shape of `tests/data/dmdc-quarterly.csv` (a row per
//! host and date, US personnel with service columns that add up to
//! `troops_ad`), one row for each of the 250 countries a day: hosts with no
//! ISO code found by their `ccode` (Kosovo) or their name, and filler rows
//! with an empty `source`, skipped. It is written outside the measurement.

// The generator of ledgers is the other benches'; this one uses the
// random numbers and the memory figures.
#[allow(dead_code)]
mod common;

use std::fs::File;
use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{Datelike, Days, NaiveDate};
use common::Rng;
use posture_ledger::scenario::Scenario;
use posture_ledger::Country;

const SEED: u64 = 2022;

/// The scenario a user writes for the table: the import spec of
/// `tests/data/dmdc-quarterly.toml`.
const SCENARIO: &str = r#"
[scenario]
name = "US personnel abroad, by day"

[[imports]]
file = "table.csv"
kind = "levels"
[imports.spec]
columns = { host = "iso3c" }
constants = { contributor = "USA" }
values = [{ column = "troops_ad", metric = "personnel" }]
skip = [{ column = "source", when = "empty" }]
host_codes = [{ column = "ccode", codes = { "347" = "XKX" } }, { column = "countryname", by_name = true }]
duplicates = "sum"
"#;

const HEADER: &str = "date,year,quarter,month,ccode,iso3c,countryname,region,source,\
                      troops_ad,army_ad,navy_ad,air_force_ad,marine_corps_ad,space_force_ad,coast_guard_ad";

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const REGIONS: [&str; 6] = [
    "Europe & Central Asia",
    "East Asia & Pacific",
    "Middle East & North Africa",
    "Sub-Saharan Africa",
    "Latin America & Caribbean",
    "North America",
];

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A host as the table gives it.
struct Host {
    code: Country,
    /// Its name, as the table writes it (without commas, which would need quotes).
    name: String,
    /// The table's numeric code (`ccode`).
    number: u32,
    /// Whether its row leaves `iso3c` empty, so that the spec's
    /// `host_codes` find it: Kosovo by `ccode`, one host in twenty by name.
    coded_elsewhere: bool,
    region: &'static str,
    strength: u64,
}

/// Every country the crate knows, in code order.
fn countries() -> Vec<Country> {
    let letters = b'A'..=b'Z';
    letters
        .clone()
        .flat_map(|a| letters.clone().map(move |b| (a, b)))
        .flat_map(|(a, b)| (b'A'..=b'Z').map(move |c| [a, b, c]))
        .filter_map(|code| Country::new(std::str::from_utf8(&code).ok()?).ok())
        .collect()
}

fn hosts(rng: &mut Rng) -> Vec<Host> {
    countries()
        .into_iter()
        .enumerate()
        .map(|(i, code)| {
            let kosovo = code.code() == "XKX";
            let name = code.name().replace(',', "");
            Host {
                code,
                number: if kosovo { 347 } else { 2 + 5 * i as u32 },
                coded_elsewhere: kosovo
                    || (rng.chance(5) && Country::from_name(&name) == Some(code)),
                name,
                region: REGIONS[rng.below(REGIONS.len() as u64) as usize],
                strength: rng.below(40_000),
            }
        })
        .collect()
}

/// Writes `n` rows: one per host a day, from 2000 on; one row in fifty a
/// filler (no source, figure 0), the others a walk of each host's strength
/// split into services.
fn table(n: usize, seed: u64, out: &mut impl Write) -> std::io::Result<()> {
    let mut rng = Rng::new(seed);
    let mut hosts = hosts(&mut rng);
    let per_day = hosts.len();
    let first = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date");
    writeln!(out, "{HEADER}")?;
    for i in 0..n {
        let date = first + Days::new((i / per_day) as u64);
        let host = &mut hosts[i % per_day];
        let iso = if host.coded_elsewhere {
            ""
        } else {
            host.code.code()
        };
        let month = MONTHS[date.month0() as usize];
        let (year, quarter) = (date.year(), date.month0() / 3 + 1);
        let lead = format!(
            "{date},{year},{quarter},{month},{},{iso},{},{}",
            host.number, host.name, host.region
        );
        if rng.chance(2) {
            writeln!(out, "{lead},,0,,,,,,")?;
            continue;
        }
        host.strength = (host.strength + rng.below(201)).saturating_sub(100);
        let total = host.strength;
        let army = total / 2;
        let navy = total / 5;
        let air = total / 5;
        let marines = total - army - navy - air;
        writeln!(
            out,
            "{lead},{month} {year},{total},{army},{navy},{air},{marines},,"
        )?;
    }
    Ok(())
}

/// Writes the table and its scenario file into a folder of their own.
fn write_files(n: usize) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("posture-import-{n}"));
    std::fs::create_dir_all(&folder).expect("a temporary folder");
    let mut out = BufWriter::new(File::create(folder.join("table.csv")).expect("the table"));
    table(n, SEED, &mut out).expect("written");
    out.flush().expect("written");
    std::fs::write(folder.join("scenario.toml"), SCENARIO).expect("the scenario");
    folder
}

/// One load: the scenario file read, its table imported into a ledger.
fn load(folder: &Path) -> Scenario {
    Scenario::from_path(folder.join("scenario.toml")).expect("the table imports")
}

/// What one load took, and the memory it needed.
struct Measured {
    elapsed: Duration,
    /// Resident set before the load, at its peak, and after it (the
    /// scenario still held), in bytes.
    before: u64,
    peak: u64,
    after: u64,
    events: usize,
}

fn measure(folder: &Path) -> Measured {
    // Reset the high-water mark to the current resident set.
    std::fs::write("/proc/self/clear_refs", "5").expect("/proc/self/clear_refs (Linux)");
    let before = common::status("VmRSS");
    let start = Instant::now();
    let scenario = load(folder);
    let elapsed = start.elapsed();
    let measured = Measured {
        elapsed,
        before,
        peak: common::status("VmHWM"),
        after: common::status("VmRSS"),
        events: scenario.ledger().events().len(),
    };
    drop(black_box(scenario));
    measured
}

/// Three loads of `ROWS` rows (10⁶ unless set), each timed; the memory is
/// the first load's, since the allocator keeps what a load frees for the
/// next one, whose resident set then grows less.
fn import() {
    let n = env("ROWS", 1_000_000);
    let folder = write_files(n);
    let mut runs: Vec<Measured> = (0..3).map(|_| measure(&folder)).collect();
    let first = &runs[0];
    let per = |bytes: u64| bytes as f64 / n as f64;
    println!(
        "import/{n} rows ({} events), first load: peak {:.0} B/row above the start, \
         {:.0} B/row above the ledger it leaves ({:.0} B/row)",
        first.events,
        per(first.peak.saturating_sub(first.before)),
        per(first.peak.saturating_sub(first.after)),
        per(first.after.saturating_sub(first.before)),
    );
    let times: Vec<String> = runs
        .iter()
        .map(|m| format!("{:.3} s", m.elapsed.as_secs_f64()))
        .collect();
    runs.sort_by_key(|m| m.elapsed);
    println!(
        "import/{n} rows: {}; median {:.3} s",
        times.join(", "),
        runs[1].elapsed.as_secs_f64()
    );
    std::fs::remove_dir_all(&folder).ok();
}

/// One load, counted by callgrind (`--toggle-collect`).
#[inline(never)]
fn counted_import(folder: &Path) -> Scenario {
    load(folder)
}

/// One load of `ROWS` rows (10⁵ unless set), the table written first:
///
/// ```sh
/// valgrind --tool=callgrind --toggle-collect='*counted_import*' target/release/deps/import-* instructions
/// ```
fn instructions() {
    let n = env("ROWS", 100_000);
    let folder = write_files(n);
    let scenario = counted_import(&folder);
    println!(
        "instructions/{n} rows: imported once, {} events",
        scenario.ledger().events().len()
    );
    std::fs::remove_dir_all(&folder).ok();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "instructions") {
        instructions();
        return;
    }
    // `cargo test --all-targets` runs benches without `--bench`: a small
    // run then only shows that it still works.
    if !args.iter().any(|a| a == "--bench") && std::env::var_os("ROWS").is_none() {
        std::env::set_var("ROWS", "2000");
    }
    import();
}
