//! The phrase reader on the Madrid report, and against the number specs of
//! Microsoft's Recognizers-Text.

use std::path::Path;

use posture_ledger::claim::{Change, Figure, Statement};
use posture_ledger::phrase::{self, Reading, Value};
use posture_ledger::scenario;
use posture_ledger::{Interval, TolerancePolicy};
use rust_decimal::Decimal;

use crate::madrid::{plain, SOURCE};

/// What one part of a claim states, and the interval the claim gives it.
struct Part {
    claim: String,
    line: usize,
    quote: String,
    /// Whether a reading states this part.
    matches: Box<dyn Fn(&Value) -> bool>,
    interval: Interval,
}

/// Every figure the bundled scenario's claims take from the report: a
/// quantity's figure, a change's before and after, delta and ratio.
fn parts() -> Vec<Part> {
    let policy = TolerancePolicy::default();
    let scenario = scenario::madrid_2022().expect("the bundled scenario loads");
    let mut parts = Vec::new();
    for claim in scenario.claims() {
        let source = claim.source();
        if source.document != "madrid-summit-2022" {
            continue;
        }
        let line = source.line.expect("every Madrid claim cites a line") as usize;
        let quote = source.quote.clone().unwrap_or_default();
        let mut push = |matches: Box<dyn Fn(&Value) -> bool>, interval: Interval| {
            parts.push(Part {
                claim: claim.id().to_string(),
                line,
                quote: quote.clone(),
                matches,
                interval,
            });
        };
        match claim.statement() {
            Statement::Quantity { figure, .. } => {
                let figure = *figure;
                push(
                    Box::new(move |v| *v == Value::Figure(figure)),
                    figure.interval(&policy).unwrap(),
                );
            }
            Statement::Change { change, .. } => {
                let change: Change = *change;
                match (change.before, change.after) {
                    (Some(before), Some(after)) => push(
                        Box::new(move |v| {
                            matches!(v, Value::Change(c)
                                if c.before == Some(before) && c.after == Some(after))
                        }),
                        after.interval(&policy).unwrap(),
                    ),
                    // "More than 100,000 … an increase of nearly 20,000": the
                    // after figure is a quantity phrase of its own.
                    (None, Some(after)) => push(
                        Box::new(move |v| *v == Value::Figure(after)),
                        after.interval(&policy).unwrap(),
                    ),
                    _ => {}
                }
                if let Some(delta) = change.delta {
                    let size = delta.figure.interval(&policy).unwrap();
                    let signed = match delta.direction {
                        posture_ledger::Direction::Increase => size,
                        posture_ledger::Direction::Decrease => -size,
                    };
                    push(
                        Box::new(move |v| matches!(v, Value::Change(c) if c.delta == Some(delta))),
                        signed,
                    );
                }
                if let Some(ratio) = change.ratio {
                    push(
                        Box::new(move |v| matches!(v, Value::Change(c) if c.ratio == Some(ratio))),
                        ratio.interval(&policy).unwrap(),
                    );
                }
            }
            Statement::Category { .. } | Statement::Retraction => {}
        }
    }
    parts
}

#[test]
fn every_figure_of_the_madrid_claims_is_read_on_its_line() {
    let policy = TolerancePolicy::default();
    let readings = phrase::read(SOURCE);
    let parts = parts();
    let mut claims: Vec<String> = Vec::new();
    for part in &parts {
        let on_line: Vec<&Reading> = readings
            .iter()
            .filter(|r| r.line_column(SOURCE).map(|(l, _)| l) == Some(part.line))
            .collect();
        let found = on_line
            .iter()
            .find(|r| (part.matches)(r.value()) && plain(&part.quote).contains(&plain(r.words())));
        let Some(reading) = found else {
            let seen: Vec<String> = on_line
                .iter()
                .map(|r| format!("{:?} {}", r.words(), r.value()))
                .collect();
            panic!(
                "{}: nothing on line {} within {:?} states it; read {seen:?}",
                part.claim, part.line, part.quote
            );
        };
        assert_eq!(
            reading.interval(&policy).unwrap(),
            part.interval,
            "{}: {:?}",
            part.claim,
            reading.words()
        );
        let claim = scenario::madrid_2022()
            .unwrap()
            .claims()
            .iter()
            .find(|c| c.id().to_string() == part.claim)
            .map(|c| match c.statement() {
                Statement::Quantity { metric, .. } | Statement::Change { metric, .. } => {
                    metric.clone()
                }
                _ => unreachable!("only quantities and changes have parts"),
            })
            .unwrap();
        if let Some(metric) = reading.metric() {
            assert_eq!(*metric, claim, "{}: {:?}", part.claim, reading.words());
        }
        claims.push(part.claim.split('-').next().unwrap_or_default().to_string());
    }
    claims.dedup();
    // C13 to C15 are categories, with no figure to read.
    let want: Vec<String> = (1..=12).map(|n| format!("C{n}")).collect();
    assert_eq!(claims, want);
}

#[test]
fn the_hedges_domain_md_spells_out_come_out_as_it_says() {
    // DOMAIN.md: "4,000-strong" read as the hedge [3,500, 4,500]; "some
    // 3,700" is [3,650, 3,750]; "more than doubling" 1,650 is above 3,300.
    let policy = TolerancePolicy::default();
    let find = |words: &str| {
        phrase::read(SOURCE)
            .into_iter()
            .find(|r| r.words() == words)
            .unwrap_or_else(|| panic!("{words:?} is not read"))
    };
    assert_eq!(
        find("4,000-strong").interval(&policy).unwrap().to_string(),
        "[3,500, 4,500]"
    );
    assert_eq!(
        find("some 3,700").interval(&policy).unwrap().to_string(),
        "[3,650, 3,750]"
    );
    let doubling = find("more than doubling").interval(&policy).unwrap();
    let uk = find("1,650").interval(&policy).unwrap();
    assert_eq!(
        uk.checked_mul(&doubling).unwrap().to_string(),
        "(3,300, +∞)"
    );
}

// ---- the peer suite ----------------------------------------------------

/// The pass rate measured when this test was written; it must not drop.
/// See docs/phrases.md for what it counts and why the rest differ.
const MEASURED_NUMBER: usize = 117;
const MEASURED_RANGE: usize = 29;

/// One end of an interval in Recognizers-Text's notation: `None` unbounded.
type End = Option<(f64, bool)>;

/// Reads `[20,30)`, `(,100]`, `[30,)` into its two ends.
fn peer_interval(text: &str) -> Option<(End, End)> {
    let low_closed = text.starts_with('[');
    let high_closed = text.ends_with(']');
    let inner = text.get(1..text.len().checked_sub(1)?)?;
    let (low, high) = inner.split_once(',')?;
    let end = |s: &str, closed: bool| -> Option<End> {
        if s.trim().is_empty() {
            Some(None)
        } else {
            Some(Some((s.trim().parse().ok()?, closed)))
        }
    };
    Some((end(low, low_closed)?, end(high, high_closed)?))
}

fn number(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(f64::NAN)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// This crate's interval in the peer's terms.
fn our_interval(i: &Interval) -> (End, End) {
    use posture_ledger::Bound;
    let end = |b: Bound| match b {
        Bound::Included(v) => Some((number(v), true)),
        Bound::Excluded(v) => Some((number(v), false)),
        Bound::Unbounded => None,
    };
    (end(i.low()), end(i.high()))
}

fn same_end(a: End, b: End) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some((x, cx)), Some((y, cy))) => close(x, y) && cx == cy,
        _ => false,
    }
}

/// The value a reading gives as one number: an exact figure or proportion.
fn our_number(r: &Reading) -> Option<f64> {
    match r.value() {
        Value::Figure(Figure::Hedged { value, .. })
        | Value::Ratio(Figure::Hedged { value, .. }) => Some(number(*value)),
        _ => None,
    }
}

/// Runs one spec file; returns (passed, total) and prints what failed.
fn run_spec(path: &Path, ranges: bool) -> (usize, usize) {
    let text = std::fs::read_to_string(path).expect("the spec reads");
    let cases: serde_json::Value = serde_json::from_str(&text).expect("the spec is JSON");
    let cases = cases.as_array().expect("a list of cases");
    let policy = TolerancePolicy::default();
    let mut passed = 0;
    for case in cases {
        let input = case["Input"].as_str().unwrap_or_default();
        let want = case["Results"].as_array().cloned().unwrap_or_default();
        let got = phrase::read(input);
        let same = got.len() == want.len()
            && got.iter().zip(&want).all(|(r, w)| {
                // The peer counts chars, ends included.
                let start = input[..r.span().start].chars().count();
                let end = start + r.words().chars().count() - 1;
                let text_ok = w["Text"]
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case(r.words()));
                let span_ok = w["Start"].as_u64() == Some(start as u64)
                    && w["End"].as_u64() == Some(end as u64);
                let value = w["Resolution"]["value"].as_str().unwrap_or_default();
                let value_ok = if ranges {
                    match (peer_interval(value), r.interval(&policy)) {
                        (Some((lo, hi)), Ok(i)) => {
                            let (our_lo, our_hi) = our_interval(&i);
                            same_end(lo, our_lo) && same_end(hi, our_hi)
                        }
                        _ => false,
                    }
                } else {
                    match (value.parse::<f64>(), our_number(r)) {
                        (Ok(v), Some(ours)) => close(ours, v),
                        _ => false,
                    }
                };
                text_ok && span_ok && value_ok
            });
        if same {
            passed += 1;
        } else {
            let ours: Vec<String> = got
                .iter()
                .map(|r| {
                    let i = r
                        .interval(&policy)
                        .map_or_else(|e| e.to_string(), |i| i.to_string());
                    format!("{:?} {} {i}", r.words(), r.value())
                })
                .collect();
            let theirs: Vec<String> = want
                .iter()
                .map(|w| format!("{} {}", w["Text"], w["Resolution"]["value"]))
                .collect();
            println!("DIFF {input:?}\n  peer: {theirs:?}\n  ours: {ours:?}");
        }
    }
    (passed, cases.len())
}

#[test]
fn recognizers_text_number_specs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/peer-specs/recognizers-text");
    if !dir.is_dir() {
        println!(
            "skipped: {} is absent (a fresh clone has no ../shared)",
            dir.display()
        );
        return;
    }
    let (number_passed, number_total) = run_spec(&dir.join("NumberModel.json"), false);
    let (range_passed, range_total) = run_spec(&dir.join("NumberRangeModel.json"), true);
    println!(
        "Recognizers-Text pass rate: numbers {number_passed}/{number_total}, \
         ranges {range_passed}/{range_total}, all {}/{}",
        number_passed + range_passed,
        number_total + range_total
    );
    assert!(
        number_passed >= MEASURED_NUMBER,
        "numbers: {number_passed} < {MEASURED_NUMBER}"
    );
    assert!(
        range_passed >= MEASURED_RANGE,
        "ranges: {range_passed} < {MEASURED_RANGE}"
    );
}

#[test]
fn the_example_of_docs_phrases_md_prints_what_the_page_says() {
    const PAGE: &str = include_str!("../../docs/phrases.md");
    let block = PAGE
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("docs/phrases.md has a Rust example");
    let text = block
        .lines()
        .find_map(|l| l.trim().strip_prefix("let text = \""))
        .and_then(|l| l.strip_suffix("\";"))
        .expect("the example reads a text");
    let printed: Vec<String> = block
        .lines()
        .filter_map(|l| l.trim().strip_prefix("// "))
        .map(str::to_string)
        .collect();
    let policy = TolerancePolicy::default();
    let ours: Vec<String> = phrase::read(text)
        .iter()
        .map(|r| {
            let (line, column) = r.line_column(text).unwrap_or_default();
            let interval = r.interval(&policy).unwrap();
            format!("{line}:{column} {:?} {} {interval}", r.words(), r.value())
        })
        .collect();
    assert_eq!(ours, printed);
}
