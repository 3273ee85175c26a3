//! Charts drawn by `posture chart` and `posture_ledger::chart`: their text
//! holds the title, calendar ticks and source line the library computes; a
//! PNG decodes to the size asked for and is not blank; `--by host` draws a
//! line per host.

#![cfg(feature = "cli")]

use std::path::PathBuf;

use assert_cmd::cargo::cargo_bin_cmd;
use chrono::NaiveDate;
use posture_ledger::chart::{ChartOptions, Timeline};
use posture_ledger::{scenario, CheckOptions, Country, Metric, Scope};
use serde_json::Value;

const BALTIC: &str = "from:NATO in:baltic-states kind:battlegroup";

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("chart-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// Runs `posture` with `args` and `--format json`, expecting success.
fn json(args: &[&str]) -> Value {
    let out = cargo_bin_cmd!("posture")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The contents of every `<text>` element of an SVG, trimmed.
fn texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let after = &rest[start..];
        let open = after.find('>').unwrap() + 1;
        let close = after.find("</text>").unwrap();
        out.push(after[open..close].trim().to_string());
        rest = &after[close..];
    }
    out
}

/// The library's chart of the Baltic battlegroups, with the claims drawn.
fn baltic() -> Timeline {
    let s = scenario::madrid_2022().unwrap();
    let scope = Scope::parse(BALTIC, s.ledger()).unwrap();
    let report = s
        .ledger()
        .check_with(s.claims(), CheckOptions::new())
        .unwrap();
    Timeline::new(s.ledger(), &scope, &Metric::PERSONNEL, &ChartOptions::new())
        .unwrap()
        .with_claims(s.claims(), &report)
}

#[test]
fn an_svg_chart_holds_its_title_ticks_and_source_line_as_text() {
    let out = tmp("baltic.svg");
    let o = out.to_str().unwrap();
    let v = json(&[
        "chart",
        "--scope",
        BALTIC,
        "--title",
        "Troops in the Baltics",
        "-o",
        o,
    ]);
    let svg = std::fs::read_to_string(&out).unwrap();
    let texts = texts(&svg);
    assert!(
        texts.iter().any(|t| t == "Troops in the Baltics"),
        "{texts:?}"
    );
    let timeline = baltic();
    let ticks = timeline.ticks();
    assert!(ticks.len() >= 3, "{ticks:?}");
    for (date, label) in &ticks {
        assert!(texts.contains(label), "{date}: {label} in {texts:?}");
    }
    assert!(texts.contains(&timeline.source_line()), "{texts:?}");
    assert!(timeline.source_line().starts_with("Sources: "));
    assert_eq!(v["sources"], serde_json::json!(timeline.sources()));
    // The claims of the scope are drawn, each labelled by its id.
    assert!(!timeline.claims().is_empty());
    for c in timeline.claims() {
        assert!(texts.contains(&c.claim.to_string()), "{}", c.claim);
    }
    // Tick labels of the y axis are thousands-separated counts from 0.
    assert!(texts.iter().any(|t| t == "0"));
    assert!(texts.iter().any(|t| t == "10,000"), "{texts:?}");
}

#[test]
fn a_png_chart_decodes_to_the_size_asked_for_and_is_not_blank() {
    let out = tmp("baltic.png");
    let o = out.to_str().unwrap();
    json(&[
        "chart", "--scope", BALTIC, "--width", "640", "--height", "400", "-o", o,
    ]);
    let decoder = png::Decoder::new(std::fs::File::open(&out).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width, frame.height), (640, 400));
    let pixels = &pixels[..frame.buffer_size()];
    let inked = pixels
        .chunks(frame.color_type.samples())
        .filter(|p| p.iter().take(3).any(|&c| c < 200))
        .count();
    let all = (frame.width * frame.height) as usize;
    // Text, axes and lines: more than 1% of the picture, less than half.
    assert!(inked * 100 > all && inked * 2 < all, "{inked} of {all}");
    // The library draws the same picture.
    let bytes = baltic().png().unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
}

#[test]
fn a_chart_by_host_draws_a_line_per_host_country() {
    let out = tmp("hosts.svg");
    let o = out.to_str().unwrap();
    let v = json(&["chart", "--by", "host", "-o", o]);
    let s = scenario::madrid_2022().unwrap();
    let ledger = s.ledger();
    let dates: Vec<NaiveDate> = v["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().parse().unwrap())
        .collect();
    let series = v["series"].as_array().unwrap();
    assert!(series.len() <= posture_ledger::chart::MAX_LINES + 1);
    // A claim is about the whole scope, which a chart by group draws no line of.
    let other = tmp("gbr-est.svg");
    let o2 = other.to_str().unwrap();
    let whole = json(&["chart", "--scope", "from:GBR in:EST", "-o", o2]);
    assert!(!whole["claims"].as_array().unwrap().is_empty());
    let by_kind = json(&[
        "chart",
        "--scope",
        "from:GBR in:EST",
        "--by",
        "kind",
        "-o",
        o2,
    ]);
    assert_eq!(
        by_kind["claims"],
        serde_json::json!([]),
        "no claim beside the groups"
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    let texts = texts(&svg);
    let mut last = None;
    let mut countries = 0;
    for line in series {
        let label = line["label"].as_str().unwrap();
        assert!(texts.iter().any(|t| t == label), "{label} in the legend");
        let totals: Vec<Option<u64>> = serde_json::from_value(line["totals"].clone()).unwrap();
        if label.starts_with("Other") {
            continue;
        }
        countries += 1;
        let country = Country::from_name(label).unwrap_or_else(|| panic!("{label}"));
        let scope = Scope::all().in_country(country);
        let expected: Vec<Option<u64>> = dates
            .iter()
            .map(|&d| {
                ledger
                    .view()
                    .total(&scope, &Metric::PERSONNEL, d)
                    .unwrap()
                    .get()
            })
            .collect();
        assert_eq!(totals, expected, "{label}");
        // Sorted by the final value, largest first.
        let end = totals.last().copied().flatten();
        if let Some(previous) = last {
            assert!(end <= previous, "{label}");
        }
        last = Some(end);
    }
    // Every host country with a record in the range has its line, up to the cap.
    let hosts: std::collections::BTreeSet<Country> = ledger
        .events()
        .iter()
        .filter_map(|e| match &e.kind() {
            posture_ledger::EventKind::Deploy { location, .. } => match location {
                posture_ledger::Location::Country(c) => Some(*c),
                posture_ledger::Location::Base(b) => ledger.base(b).map(|b| b.host()),
                posture_ledger::Location::Region(_) => None,
            },
            _ => None,
        })
        .filter(|c| {
            let scope = Scope::all().in_country(*c);
            dates.iter().any(|&d| {
                ledger
                    .view()
                    .total(&scope, &Metric::PERSONNEL, d)
                    .unwrap()
                    .is_recorded()
            })
        })
        .collect();
    assert_eq!(
        countries,
        hosts.len().min(posture_ledger::chart::MAX_LINES - 1).max(
            if hosts.len() <= posture_ledger::chart::MAX_LINES {
                hosts.len()
            } else {
                0
            }
        )
    );
}

#[test]
fn a_marked_event_is_drawn_at_its_date_with_its_label() {
    let out = tmp("marked.svg");
    let o = out.to_str().unwrap();
    let v = json(&[
        "chart",
        "--scope",
        BALTIC,
        "--mark",
        "efp-at-invasion=Russia invades Ukraine",
        "--mark",
        "efp-est-2022-06-28",
        "-o",
        o,
    ]);
    let s = scenario::madrid_2022().unwrap();
    let ledger = s.ledger();
    let event = |id: &str| {
        ledger
            .event(&posture_ledger::EventId::new(id).unwrap())
            .unwrap()
    };
    let markers = v["markers"].as_array().unwrap();
    assert_eq!(markers.len(), 2);
    assert_eq!(markers[0]["label"], "Russia invades Ukraine");
    assert_eq!(
        markers[0]["date"],
        event("efp-at-invasion").effective().to_string()
    );
    // Without a label, the event's kind and its unit's name.
    let e = event("efp-est-2022-06-28");
    let unit = ledger.unit(e.unit()).unwrap().name();
    assert_eq!(markers[1]["label"], format!("{}: {unit}", e.kind().name()));
    let texts = texts(&std::fs::read_to_string(&out).unwrap());
    for m in markers {
        let label = m["label"].as_str().unwrap();
        assert!(texts.iter().any(|t| t == label), "{label} in {texts:?}");
    }

    let unknown = cargo_bin_cmd!("posture")
        .args(["chart", "--mark", "no-such-event", "-o", o])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("--mark `no-such-event`: unknown event `no-such-event`"));
}

/// A chart draws a file's claims as the file's `[policy]` reads them: the
/// verdict and the band are `posture check`'s.
#[test]
fn chart_draws_the_claims_under_the_files_policy() {
    let file = "tests/data/cli/policy.toml";
    let out = tmp("policy.svg");
    let v = json(&[
        "chart",
        file,
        "--scope",
        "from:GBR in:EST",
        "-o",
        out.to_str().unwrap(),
    ]);
    let s = posture_ledger::scenario::Scenario::from_path(file).unwrap();
    let interval = s
        .policy()
        .interval(posture_ledger::Qualifier::Approximate, 1_700.into())
        .unwrap();
    let claim = &v["claims"][0];
    assert_eq!(claim["claim"], "P1");
    assert_eq!(claim["verdict"], "conflicting");
    let bound = |b: posture_ledger::interval::Bound| b.value().unwrap().normalize().to_string();
    assert_eq!(claim["low"].to_string(), bound(interval.low()));
    assert_eq!(claim["high"].to_string(), bound(interval.high()));
}
