//! Benchmarks of the ledger on generated ledgers of 10³ to 10⁶ events; the
//! figures and the targets are in benches/README.md.
//!
//! ```sh
//! cargo bench --bench ledger             # build, point query, compare, conflicts
//! cargo bench --bench ledger -- memory   # peak memory per event, instead
//! cargo bench --bench ledger -- conflicts  # 10⁴ conflicting claims: time and peak memory
//! cargo bench --bench ledger -- instructions  # one build of 10⁵ events, 10⁴ region totals, once
//! ```

mod common;

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};
use posture_ledger::{
    Amendment, AsOf, Claim, ClaimId, Correction, Count, Country, Event, EventId, EventKind, Figure,
    Footing, Ledger, Location, Metric, Quantity, Scope, Source, Subject, Unit, UnitId, UnitKind,
};

const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];
const SEED: u64 = 2022;

fn ledger(n: usize) -> Ledger {
    let g = common::generate(n, SEED);
    let mut ledger = g.world;
    ledger
        .apply_batch(g.events)
        .expect("the generated events are valid");
    ledger
}

fn group<'c>(
    c: &'c mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'c, criterion::measurement::WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    group
}

/// Ingest and validate: every event in one batch, and in batches of 1,000 in date order.
fn build(c: &mut Criterion) {
    let mut g = group(c, "build");
    for n in SIZES {
        let generated = common::generate(n, SEED);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("one_batch", n), &generated, |b, gen| {
            b.iter_batched(
                || (gen.world.clone(), gen.events.clone()),
                |(mut ledger, events)| {
                    ledger.apply_batch(events).expect("valid");
                    ledger
                },
                BatchSize::PerIteration,
            );
        });
        g.bench_with_input(
            BenchmarkId::new("batches_of_1000", n),
            &generated,
            |b, gen| {
                b.iter_batched(
                    || (gen.world.clone(), gen.events.clone()),
                    |(mut ledger, events)| {
                        let mut events = events.into_iter();
                        loop {
                            let chunk: Vec<_> = events.by_ref().take(1_000).collect();
                            if chunk.is_empty() {
                                break;
                            }
                            ledger.apply_batch(chunk).expect("valid");
                        }
                        ledger
                    },
                    BatchSize::PerIteration,
                );
            },
        );
    }
    g.finish();
}

/// Dates spread over the history, to query at.
fn dates(k: usize) -> Vec<NaiveDate> {
    let span = (common::last_day() - common::first_day()).num_days();
    (0..k)
        .map(|i| common::first_day() + chrono::Days::new((i as i64 * span / k as i64) as u64))
        .collect()
}

/// A region's, a contributor's and a contributor-in-host's total on a date,
/// and every host country's before and after.
fn queries(c: &mut Criterion) {
    let ledgers: Vec<(usize, Ledger)> = SIZES.iter().map(|&n| (n, ledger(n))).collect();
    let regions: Vec<Scope> = common::regions()
        .into_iter()
        .map(|r| Scope::all().in_region(r))
        .collect();
    let hosts: Vec<Scope> = common::hosts()
        .into_iter()
        .map(|h| Scope::all().in_country(h))
        .collect();
    let dates = dates(61);

    // A contributor's total is a search of its kept sum, like a region's; a
    // contributor's in a host reads that pair's cells.
    let contributors: Vec<Scope> = common::CONTRIBUTORS
        .iter()
        .map(|c| Scope::all().from_country(Country::new(c).expect("a country")))
        .collect();
    let in_hosts: Vec<Scope> = common::hosts()
        .into_iter()
        .enumerate()
        .map(|(i, h)| contributors[i % contributors.len()].clone().in_country(h))
        .collect();
    for (name, scopes) in [
        ("region_total", &regions),
        ("contributor_total", &contributors),
        ("contributor_in_host_total", &in_hosts),
    ] {
        let mut g = group(c, name);
        g.measurement_time(Duration::from_secs(1));
        for (n, ledger) in &ledgers {
            g.bench_with_input(BenchmarkId::from_parameter(n), ledger, |b, ledger| {
                let mut i = 0;
                b.iter(|| {
                    i = (i + 1) % dates.len();
                    black_box(ledger.total(&scopes[i % scopes.len()], &Metric::PERSONNEL, dates[i]))
                        .expect("a total")
                });
            });
        }
        g.finish();
    }

    let mut g = group(c, "compare_every_host");
    g.measurement_time(Duration::from_secs(1));
    let (from, to) = (
        "2010-01-01".parse().expect("a date"),
        "2020-01-01".parse().expect("a date"),
    );
    for (n, ledger) in &ledgers {
        g.bench_with_input(BenchmarkId::from_parameter(n), ledger, |b, ledger| {
            b.iter(|| {
                for host in &hosts {
                    black_box(ledger.compare(host, &Metric::PERSONNEL, from, to))
                        .expect("a comparison");
                }
            });
        });
    }
    g.finish();
}

/// A unit with a deployment and one reinforcement, ready to be corrected.
fn to_correct() -> Ledger {
    let unit = UnitId::new("u").expect("an id");
    let est = Country::new("EST").expect("a country");
    let mut ledger = Ledger::new();
    ledger
        .add_unit(Unit::new(
            unit.clone(),
            "a unit",
            est,
            UnitKind::Battlegroup,
        ))
        .expect("a unit");
    let deploy = EventKind::Deploy {
        location: Location::Country(est),
        footing: Footing::Rotational,
        strength: vec![Quantity::new(Metric::PERSONNEL, Count::new(100))],
    };
    let more = EventKind::Reinforce {
        metric: Metric::PERSONNEL,
        count: Count::new(1),
    };
    let day = |s: &str| s.parse().expect("a date");
    ledger
        .apply_batch([
            Event::new(
                EventId::new("e0").expect("an id"),
                unit.clone(),
                day("2022-03-01"),
                deploy,
            ),
            Event::new(
                EventId::new("c0").expect("an id"),
                unit,
                day("2022-03-10"),
                more,
            ),
        ])
        .expect("valid");
    ledger
}

/// A chain of corrections, each replacing the one before: on the same day
/// (the replacement keeps its place), and moving between two days (each
/// retires a key). The cost per correction must not grow with the chain.
fn corrections(c: &mut Criterion) {
    let mut g = group(c, "correction_chain");
    let first: NaiveDate = "2022-03-10".parse().expect("a date");
    for n in [1_000, 10_000] {
        g.throughput(Throughput::Elements(n as u64));
        for (name, moves) in [("same_day", false), ("moving", true)] {
            g.bench_function(BenchmarkId::new(name, n), |b| {
                b.iter_batched(
                    to_correct,
                    |mut ledger| {
                        for i in 1..=n {
                            let effective =
                                first + chrono::Days::new(u64::from(moves) * (i as u64 % 2));
                            let fix = Correction::new(
                                EventId::new(format!("c{i}")).expect("an id"),
                                EventId::new(format!("c{}", i - 1)).expect("an id"),
                                "2022-04-01".parse().expect("a date"),
                                "a better source",
                                Amendment::Replace {
                                    effective,
                                    kind: EventKind::Reinforce {
                                        metric: Metric::PERSONNEL,
                                        count: Count::new(i as u64),
                                    },
                                },
                            );
                            ledger.correct(fix).expect("a valid correction");
                        }
                        ledger
                    },
                    BatchSize::PerIteration,
                );
            });
        }
    }
    g.finish();
}

/// How many claims the conflict benchmarks check.
const CONFLICTING: usize = 10_000;

/// The day the conflicting claims speak of, within the generated history.
fn conflict_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 6, 30).expect("a date")
}

/// `n` claims of one scope on one day, exactly 1, 2, … `n`: every one
/// conflicts with every other, the worst case of the same-date rule.
fn conflicting(n: usize) -> Vec<Claim> {
    let scope = Scope::all().in_country(Country::new("EST").expect("a country"));
    (1..=n)
        .map(|v| {
            Claim::quantity(
                ClaimId::new(format!("c{v}")).expect("an id"),
                Source::default(),
                AsOf::Day(conflict_day()),
                scope.clone(),
                Metric::PERSONNEL,
                Figure::exact(v as u64),
            )
        })
        .collect()
}

/// `n` category claims about one subject on one day, two values between them.
fn categories(n: usize) -> Vec<Claim> {
    (0..n)
        .map(|i| {
            Claim::category(
                ClaimId::new(format!("k{i}")).expect("an id"),
                Source::default(),
                AsOf::Day(conflict_day()),
                Subject::Named {
                    name: "the commander".into(),
                    attribute: "rank".into(),
                },
                ["general", "admiral"][i % 2],
            )
        })
        .collect()
}

/// Checking 10⁴ mutually conflicting exact claims on one scope and day, and
/// 2 × 10⁴ category claims about one subject (once quadratic: 45 s), against
/// a ledger of 10⁴ events.
fn conflicts(c: &mut Criterion) {
    let ledger = ledger(10_000);
    let mut g = group(c, "conflicts");
    g.measurement_time(Duration::from_secs(5));
    let exact = conflicting(CONFLICTING);
    g.throughput(Throughput::Elements(exact.len() as u64));
    g.bench_function(BenchmarkId::new("same_date", exact.len()), |b| {
        b.iter(|| ledger.check(black_box(&exact)).expect("a report"));
    });
    let said = categories(2 * CONFLICTING);
    g.throughput(Throughput::Elements(said.len() as u64));
    g.bench_function(BenchmarkId::new("categories", said.len()), |b| {
        b.iter(|| ledger.check(black_box(&said)).expect("a report"));
    });
    g.finish();
}

/// The peak memory of one check of the 10⁴ conflicting claims, above what
/// the ledger and the claims already hold: the resident high-water mark,
/// reset just before the check, as `memory` measures a build.
fn conflicts_memory() {
    let ledger = ledger(10_000);
    for (what, claims) in [
        ("same_date", conflicting(CONFLICTING)),
        ("categories", categories(2 * CONFLICTING)),
    ] {
        let before = common::status("VmRSS");
        std::fs::write("/proc/self/clear_refs", "5").expect("/proc/self/clear_refs (Linux)");
        let start = std::time::Instant::now();
        let report = ledger.check(black_box(&claims)).expect("a report");
        let elapsed = start.elapsed();
        let peak = common::status("VmHWM");
        println!(
            "conflicts/{what}/{}: one check {:.3} s, peak {:.1} MB above the {:.1} MB before it, {} findings",
            claims.len(),
            elapsed.as_secs_f64(),
            peak.saturating_sub(before) as f64 / 1e6,
            before as f64 / 1e6,
            report.findings().len(),
        );
        black_box(&report);
    }
}

/// Peak and retained memory per event of building a ledger of `n` events,
/// measured as resident set size: the crate forbids `unsafe`, so a counting
/// global allocator cannot be written here, and the kernel's high-water mark
/// (reset through `/proc/self/clear_refs`) stands in for it.
fn memory(n: usize) {
    let start = common::status("VmRSS");
    let generated = common::generate(n, SEED);
    let generated_rss = common::status("VmRSS");
    // Reset the high-water mark to the current resident set.
    std::fs::write("/proc/self/clear_refs", "5").expect("/proc/self/clear_refs (Linux)");
    let mut ledger = generated.world;
    ledger.apply_batch(generated.events).expect("valid");
    let peak = common::status("VmHWM");
    let after = common::status("VmRSS");
    let per = |bytes: u64| bytes.saturating_sub(start) as f64 / n as f64;
    println!(
        "memory/{n}: events as input {:.0} B/event; peak while building {:.0} B/event; ledger after {:.0} B/event",
        per(generated_rss),
        per(peak),
        per(after),
    );
    black_box(&ledger);
}

/// Builds the generated ledger in one batch, once: the function
/// `instructions` names for callgrind to count (`--toggle-collect`).
#[inline(never)]
fn counted_build(world: Ledger, events: Vec<Event>) -> Ledger {
    let mut ledger = world;
    ledger.apply_batch(events).expect("valid");
    ledger
}

/// `k` region totals on dates spread over the history, once: the other
/// function `instructions` names for callgrind.
#[inline(never)]
fn counted_region_totals(ledger: &Ledger, regions: &[Scope], dates: &[NaiveDate], k: usize) {
    for i in 0..k {
        let total = ledger
            .total(
                &regions[i % regions.len()],
                &Metric::PERSONNEL,
                dates[i % dates.len()],
            )
            .expect("a total");
        black_box(total);
    }
}

/// One build of `INSTRUCTION_EVENTS` events (10⁵ unless set) in one batch,
/// then 10⁴ region totals on it, each once and without criterion's
/// repetitions, to be counted by callgrind:
///
/// ```sh
/// valgrind --tool=callgrind --toggle-collect='*counted_build*' target/release/deps/ledger-* instructions
/// valgrind --tool=callgrind --toggle-collect='*counted_region_totals*' target/release/deps/ledger-* instructions
/// ```
///
/// The toggles leave out generating the events and dropping the ledger,
/// which a criterion run of `build` does not time either.
fn instructions() {
    let n = match std::env::var("INSTRUCTION_EVENTS") {
        Ok(v) => v.parse().expect("INSTRUCTION_EVENTS is a number"),
        Err(_) => 100_000,
    };
    let generated = common::generate(n, SEED);
    let ledger = counted_build(generated.world, generated.events);
    let regions: Vec<Scope> = common::regions()
        .into_iter()
        .map(|r| Scope::all().in_region(r))
        .collect();
    counted_region_totals(&ledger, &regions, &dates(61), 10_000);
    println!("instructions/{n}: built, and 10^4 region totals read");
}

fn main() {
    if std::env::args().skip(1).any(|a| a == "instructions") {
        instructions();
        return;
    }
    if std::env::args().skip(1).any(|a| a == "memory") {
        let sizes: Vec<usize> = match std::env::var("MEMORY_EVENTS") {
            Ok(v) => vec![v.parse().expect("MEMORY_EVENTS is a number")],
            Err(_) => vec![1_000_000],
        };
        for n in sizes {
            memory(n);
        }
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    // `-- conflicts` runs the conflict benchmarks alone, with their memory:
    // the others build ledgers of up to 10⁶ events first.
    if std::env::args().skip(1).any(|a| a == "conflicts") {
        conflicts_memory();
        conflicts(&mut c);
        c.final_summary();
        return;
    }
    build(&mut c);
    queries(&mut c);
    corrections(&mut c);
    conflicts(&mut c);
    c.final_summary();
}
