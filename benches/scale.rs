//! Proof at scale: checking 10⁵ claims against a 10⁶-event ledger, and a whole
//! run from a file of 10⁶ movements to checked claims, with its peak memory.
//! The figures and the targets are in benches/README.md.
//!
//! ```sh
//! cargo bench --features csv --bench scale                # both
//! cargo bench --features csv --bench scale -- check      # 10⁵ claims, 10⁶ events
//! cargo bench --features csv --bench scale -- end_to_end  # file to findings, one process
//! CLAIMS=10000 EVENTS=100000 cargo bench --features csv --bench scale -- check
//! cargo bench --features csv --bench scale -- instructions  # one check of 10⁴ claims, 10⁵ events
//! ```
//!
//! Each is timed as single runs (three for the check, the fastest kept), not
//! through criterion: one run takes seconds, and the end-to-end run measures
//! the process's peak resident set, which only a fresh process shows.

mod common;

use std::hint::black_box;
use std::io::Write;
use std::time::{Duration, Instant};

use chrono::{Datelike, Days, NaiveDate};
use common::Rng;
use posture_ledger::claim::{AsOf, Claim, ClaimId, Figure};
use posture_ledger::import::{changes_csv, ImportOptions};
use posture_ledger::{Country, Ledger, Metric, Qualifier, Region, Scope, Source};
use rust_decimal::Decimal;

const SEED: u64 = 2022;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A figure rounded to two significant digits, as reports print them.
fn rounded(n: u64) -> u64 {
    let mut scale = 1;
    while n / scale >= 100 {
        scale *= 10;
    }
    (n + scale / 2) / scale * scale
}

/// A random scope: a host country, a contributor, or a contributor in a host.
fn scope(rng: &mut Rng, hosts: &[Country], contributors: &[Country]) -> Scope {
    let host = hosts[rng.below(hosts.len() as u64) as usize];
    let contributor = contributors[rng.below(contributors.len() as u64) as usize];
    match rng.below(3) {
        0 => Scope::all().in_country(host),
        1 => Scope::all().from_country(contributor),
        _ => Scope::all().from_country(contributor).in_country(host),
    }
}

/// A random day or, one time in four, a month, within the generated history.
fn as_of(rng: &mut Rng) -> AsOf {
    let span = (common::last_day() - common::first_day()).num_days() as u64;
    let day = common::first_day() + Days::new(rng.below(span));
    if rng.chance(25) {
        AsOf::month(day.year(), day.month()).expect("a month")
    } else {
        AsOf::Day(day)
    }
}

/// A hedged figure near `truth` ("some 3,700") three times in four, else a
/// bound that may or may not hold ("more than 12,000").
fn figure(rng: &mut Rng, truth: Option<u64>) -> Figure {
    match truth {
        Some(t) if rng.chance(75) && rounded(t) > 0 => {
            Figure::new(Qualifier::Approximate, Decimal::from(rounded(t)))
        }
        _ => {
            let q = [
                Qualifier::MoreThan,
                Qualifier::AtLeast,
                Qualifier::Nearly,
                Qualifier::UpTo,
                Qualifier::LessThan,
            ][rng.below(5) as usize];
            Figure::new(q, Decimal::from(rounded(1 + rng.below(200_000))))
        }
    }
}

/// `n` quantity claims of personnel, each citing its own line of one report;
/// with a ledger, most figures are near its totals.
fn claims(n: usize, ledger: Option<&Ledger>, seed: u64) -> Vec<Claim> {
    let mut rng = Rng::new(seed);
    let hosts = common::hosts();
    let contributors: Vec<Country> = common::CONTRIBUTORS
        .iter()
        .map(|c| Country::new(c).expect("a country"))
        .collect();
    (0..n)
        .map(|i| {
            let scope = scope(&mut rng, &hosts, &contributors);
            let as_of = as_of(&mut rng);
            // No record is no truth to hedge: such a claim is made up.
            let truth = ledger.and_then(|l| {
                l.total(&scope, &Metric::PERSONNEL, as_of.last())
                    .expect("a total")
                    .get()
            });
            let source = Source {
                document: "bench-report".into(),
                line: Some(i as u32 + 1),
                ..Source::default()
            };
            Claim::quantity(
                ClaimId::new(format!("c{i}")).expect("an id"),
                source,
                as_of,
                scope,
                Metric::PERSONNEL,
                figure(&mut rng, truth),
            )
        })
        .collect()
}

/// (a) 10⁵ claims against a ledger of 10⁶ events: target ≤ 1 s.
fn check() {
    let (n, k) = (env("EVENTS", 1_000_000), env("CLAIMS", 100_000));
    let generated = common::generate(n, SEED);
    let mut ledger = generated.world;
    ledger.apply_batch(generated.events).expect("valid");
    let claims = claims(k, Some(&ledger), SEED);
    let mut best = Duration::MAX;
    let mut findings = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let report = ledger.check(black_box(&claims)).expect("a report");
        best = best.min(start.elapsed());
        findings = report.findings().len();
    }
    println!(
        "check/{k} claims/{n} events: {:.3} s (fastest of 3), {findings} findings",
        best.as_secs_f64()
    );
}

/// Checks the claims once: the function `instructions` names for callgrind
/// to count (`--toggle-collect`).
#[inline(never)]
fn counted_check(ledger: &Ledger, claims: &[Claim]) -> usize {
    ledger.check(claims).expect("a report").findings().len()
}

/// One check of `CLAIMS` claims (10⁴ unless set) against a ledger of
/// `EVENTS` events (10⁵ unless set), without repetitions, to be counted by
/// callgrind:
///
/// ```sh
/// valgrind --tool=callgrind --toggle-collect='*counted_check*' target/release/deps/scale-* instructions
/// ```
///
/// The toggle leaves out generating and building the ledger, making the
/// claims (which reads the ledger's totals) and dropping the report.
fn instructions() {
    let (n, k) = (env("EVENTS", 100_000), env("CLAIMS", 10_000));
    let generated = common::generate(n, SEED);
    let mut ledger = generated.world;
    ledger.apply_batch(generated.events).expect("valid");
    let claims = claims(k, Some(&ledger), SEED);
    let findings = counted_check(&ledger, black_box(&claims));
    println!("instructions/{k} claims/{n} events: checked once, {findings} findings");
}

/// A movement log of `n` rows as the `changes` CSV import reads it: units
/// deploy to a host, are reinforced and reduced, and withdraw, in date order.
fn movements(n: usize, seed: u64, out: &mut impl Write) -> std::io::Result<()> {
    struct Sim {
        contributor: &'static str,
        host: Option<&'static str>,
        own: u64,
    }
    let mut rng = Rng::new(seed);
    let hosts: Vec<&'static str> = common::REGIONS
        .iter()
        .flat_map(|(_, m)| m.iter().copied())
        .collect();
    let footings = ["permanent", "rotational", "high_readiness"];
    let mut units: Vec<Sim> = (0..(n / 20).max(4))
        .map(|_| Sim {
            contributor: common::CONTRIBUTORS[rng.below(30) as usize],
            host: None,
            own: 0,
        })
        .collect();
    let span = (common::last_day() - common::first_day()).num_days() as u64;
    writeln!(
        out,
        "date,event,unit,contributor,host,metric,amount,footing"
    )?;
    for i in 0..n {
        let date: NaiveDate = common::first_day() + Days::new(i as u64 * span / n as u64);
        let u = rng.below(units.len() as u64) as usize;
        let sim = &mut units[u];
        let (event, amount) = match sim.host {
            None => {
                sim.host = Some(hosts[rng.below(hosts.len() as u64) as usize]);
                sim.own = 1 + rng.below(4_000);
                ("deploy", sim.own)
            }
            Some(_) => match rng.below(10) {
                0..=4 => {
                    let a = rng.below(2_000);
                    sim.own += a;
                    ("reinforce", a)
                }
                5..=8 => {
                    let a = rng.below(sim.own + 1);
                    sim.own -= a;
                    ("reduce", a)
                }
                _ => ("withdraw", 0),
            },
        };
        let host = sim.host.unwrap_or("EST");
        if event == "withdraw" {
            sim.host = None;
            sim.own = 0;
        }
        writeln!(
            out,
            "{date},{event},m{u},{},{host},personnel,{amount},{}",
            sim.contributor,
            footings[u % footings.len()]
        )?;
    }
    Ok(())
}

/// (b) Load 10⁶ movements from a file, validate them, answer every host
/// country's total at a date, and check 10⁴ claims: target ≤ 0.3 s and
/// ≤ 250 MB peak. The file is written first, outside the measurement.
fn end_to_end() {
    let (n, k) = (env("EVENTS", 1_000_000), env("CLAIMS", 10_000));
    let path = std::env::temp_dir().join(format!("posture-movements-{n}.csv"));
    {
        let file = std::fs::File::create(&path).expect("a temporary file");
        let mut out = std::io::BufWriter::new(file);
        movements(n, SEED, &mut out).expect("written");
        out.flush().expect("written");
    }
    let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
    // The claims come from elsewhere (a report), so they are made up front too.
    let claims = claims(k, None, SEED);
    // Reset the high-water mark to the current resident set.
    std::fs::write("/proc/self/clear_refs", "5").expect("/proc/self/clear_refs (Linux)");
    let before = common::status("VmRSS");

    let start = Instant::now();
    let mut ledger = Ledger::new();
    for (id, (name, members)) in common::regions().into_iter().zip(common::REGIONS) {
        let members = members.iter().map(|c| Country::new(c).expect("a country"));
        ledger
            .add_region(Region::new(id, name).with_members(members))
            .expect("a region");
    }
    let file = std::fs::File::open(&path).expect("the file");
    let imported = changes_csv(file, &mut ledger, &ImportOptions::new("movements.csv"))
        .expect("a valid movement log");
    let loaded = start.elapsed();
    let date = "2020-01-01".parse().expect("a date");
    let mut sum = 0;
    for host in common::hosts() {
        sum += ledger
            .total(&Scope::all().in_country(host), &Metric::PERSONNEL, date)
            .expect("a total")
            .get()
            .unwrap_or(0);
    }
    let totals = start.elapsed() - loaded;
    let report = ledger.check(&claims).expect("a report");
    let elapsed = start.elapsed();
    let checked = elapsed - loaded - totals;
    let peak = common::status("VmHWM");
    println!(
        "end_to_end/{n} events ({:.0} MB file, {} rows)/{k} claims: {:.3} s \
         (load and validate {:.3} s, 40 totals {:.1} µs, check {:.3} s); \
         peak resident {:.0} MB ({:.0} MB before loading), {} findings, {sum} personnel in 2020",
        bytes as f64 / 1e6,
        imported.rows,
        elapsed.as_secs_f64(),
        loaded.as_secs_f64(),
        totals.as_secs_f64() * 1e6,
        checked.as_secs_f64(),
        peak as f64 / 1e6,
        before as f64 / 1e6,
        report.findings().len(),
    );
    black_box(&ledger);
    std::fs::remove_file(&path).ok();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Counted alone, at its own sizes: callgrind runs the binary directly,
    // without `--bench`.
    if args.iter().any(|a| a == "instructions") {
        instructions();
        return;
    }
    // `cargo test --all-targets` runs benches without `--bench`: then a
    // small run only shows that each still works.
    if !args.iter().any(|a| a == "--bench") {
        for (name, value) in [("EVENTS", "2000"), ("CLAIMS", "100")] {
            if std::env::var_os(name).is_none() {
                std::env::set_var(name, value);
            }
        }
    }
    let wants = |name: &str| {
        let named: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        named.is_empty() || named.iter().any(|a| a.as_str() == name)
    };
    if wants("end_to_end") {
        end_to_end();
    }
    if wants("check") {
        check();
    }
}
