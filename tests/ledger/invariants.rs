//! The ledger's invariants, checked on random ledgers built through the public
//! API: parts sum to the whole, comparisons agree with totals, a refusal
//! changes nothing, the posture depends on the events and not on how they were
//! fed in, and the date index agrees with a naive replay of every unit.
//!
//! The world (countries, a region with a dated member, an alliance with dated
//! accessions, bases, units with subunits, a what-if layer) is fixed; the
//! events are random, and many of them are refused. That is intended: the
//! refusals exercise the checks, and the accepted events make the history.

use std::collections::{BTreeMap, VecDeque};

use chrono::{Days, NaiveDate};
use posture_ledger::{
    Alliance, AllianceId, AllianceMember, Amendment, AsOf, Base, BaseId, Change, CheckOptions,
    Claim, ClaimId, Comparison, Contributor, Correction, Count, Country, Delta, Deployment,
    Direction, Event, EventId, EventKind, Figure, Footing, Interval, Layer, LayerId, Ledger,
    Location, MembershipStatus, Metric, Period, Qualifier, Quantity, Region, RegionId, Rule, Scope,
    Source, Statement, Unit, UnitId, UnitKind, Verdict, View,
};
use posture_ledger::{Error, RecordKind, Report, Subject, TolerancePolicy};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use rust_decimal::Decimal;

// ----- The world -------------------------------------------------------------

pub(crate) fn country(code: &str) -> Country {
    Country::new(code).expect("a country code")
}

/// Day `n` of the generated history, which starts on 2020-01-01.
pub(crate) fn day(n: i64) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date");
    if n >= 0 {
        start + Days::new(n.unsigned_abs())
    } else {
        start - Days::new(n.unsigned_abs())
    }
}

fn nato() -> AllianceId {
    AllianceId::new("NATO").expect("an id")
}

fn baltics() -> RegionId {
    RegionId::new("baltics").expect("an id")
}

pub(crate) fn pledged() -> LayerId {
    LayerId::new("pledged").expect("an id")
}

fn base(id: &str) -> BaseId {
    BaseId::new(id).expect("an id")
}

/// Host countries: every country a deployment can be in.
const HOSTS: [&str; 6] = ["EST", "LVA", "LTU", "POL", "ESP", "FIN"];

/// Contributing countries; FIN and SWE join the alliance during the history.
const CONTRIBUTORS: [&str; 6] = ["USA", "GBR", "DNK", "DEU", "FIN", "SWE"];

/// A unit: id, contributor, kind, parent, counted in ships too, formed on day.
type UnitRow = (
    &'static str,
    &'static str,
    UnitKind,
    Option<&'static str>,
    bool,
    Option<i64>,
);

const UNITS: [UnitRow; 11] = [
    ("us-corps", "USA", UnitKind::Land, None, false, None),
    (
        "us-bde",
        "USA",
        UnitKind::Land,
        Some("us-corps"),
        false,
        None,
    ),
    ("us-bn", "USA", UnitKind::Land, Some("us-bde"), false, None),
    ("us-ddg", "USA", UnitKind::Ship, None, true, None),
    (
        "us-ddg-2",
        "USA",
        UnitKind::Ship,
        Some("us-ddg"),
        true,
        None,
    ),
    ("uk-bg", "GBR", UnitKind::Battlegroup, None, false, None),
    (
        "dnk-coy",
        "DNK",
        UnitKind::Battlegroup,
        Some("uk-bg"),
        false,
        None,
    ),
    ("nato-hq", "NATO", UnitKind::Headquarters, None, false, None),
    ("fin-bde", "FIN", UnitKind::Land, None, false, Some(19)),
    ("swe-sqn", "SWE", UnitKind::Squadron, None, true, None),
    ("deu-ad", "DEU", UnitKind::AirDefence, None, false, None),
];

pub(crate) fn world() -> Ledger {
    let mut l = Ledger::new();
    l.add_region(
        Region::new(baltics(), "the Baltic states")
            .with_members([country("EST"), country("LVA")])
            // Lithuania joins the region on day 31, so regional figures change meaning.
            .with_member_during(country("LTU"), Period::starting(day(31))),
    )
    .expect("the region");
    let mut alliance = Alliance::new(nato(), "NATO");
    for c in [
        "USA", "GBR", "DNK", "DEU", "EST", "LVA", "LTU", "POL", "ESP",
    ] {
        alliance = alliance.with_member(country(c), day(-5000));
    }
    // Finland joins on day 45; Sweden is invited on day 9 and joins on day 79.
    alliance = alliance.with_member(country("FIN"), day(45));
    alliance = alliance.with_record(
        AllianceMember::new(country("SWE"), Some(day(9)), Some(day(79)), None)
            .expect("dates in order"),
    );
    l.add_alliance(alliance).expect("the alliance");
    l.add_base(Base::new(
        base("rota"),
        "Naval Station Rota",
        country("ESP"),
    ))
    .expect("a base");
    l.add_base(Base::new(base("tapa"), "Tapa", country("EST")))
        .expect("a base");
    l.add_layer(Layer::new(pledged(), "pledged posture"))
        .expect("a layer");
    for (id, contributor, kind, parent, ships, formed) in UNITS {
        let contributor: Contributor = contributor.parse().expect("a contributor");
        let mut unit = Unit::new(UnitId::new(id).expect("an id"), id, contributor, kind);
        if let Some(p) = parent {
            unit = unit.with_parent(UnitId::new(p).expect("an id"));
        }
        if ships {
            unit = unit.with_metrics([Metric::PERSONNEL, Metric::SHIPS]);
        }
        if let Some(f) = formed {
            unit = unit.with_formed(day(f));
        }
        l.add_unit(unit).expect("a unit");
    }
    l
}

/// Root units: the partition of all units by tree.
fn roots() -> impl Iterator<Item = UnitId> {
    UNITS
        .iter()
        .filter(|u| u.3.is_none())
        .map(|u| UnitId::new(u.0).expect("an id"))
}

fn locations() -> Vec<Location> {
    let mut out: Vec<Location> = HOSTS
        .iter()
        .map(|c| Location::Country(country(c)))
        .collect();
    out.push(Location::Base(base("rota")));
    out.push(Location::Base(base("tapa")));
    out.push(Location::Region(baltics()));
    // Unknown places, to be refused.
    out.push(Location::Base(base("nowhere")));
    out.push(Location::Region(RegionId::new("atlantis").expect("an id")));
    out
}

const FOOTINGS: [Footing; 5] = [
    Footing::Permanent,
    Footing::Rotational,
    Footing::HighReadiness,
    Footing::Requested,
    Footing::Pledged,
];

const KINDS: [UnitKind; 8] = [
    UnitKind::Headquarters,
    UnitKind::Battlegroup,
    UnitKind::Land,
    UnitKind::Squadron,
    UnitKind::Ship,
    UnitKind::AirDefence,
    UnitKind::Contingent,
    UnitKind::Other,
];

pub(crate) const METRICS: [Metric; 2] = [Metric::PERSONNEL, Metric::SHIPS];

// ----- Random events -----------------------------------------------------------

/// An event as plain data, so that proptest can shrink it.
#[derive(Clone, Debug)]
pub(crate) struct Spec {
    /// An index into `UNITS`; one past the end is an unknown unit.
    unit: usize,
    day: Day,
    /// 0 the baseline, 1 the `pledged` layer, 2 an unknown layer.
    layer: u8,
    /// Reuses the id of an earlier event, to be refused if that one was recorded.
    reuse_id: Option<usize>,
    kind: KindSpec,
}

/// When an event takes effect.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Day {
    /// On this day.
    On(i64),
    /// This many days from the event's place in the stream, which runs over
    /// days 0 to 99: mostly in date order, sometimes back-dated.
    Near(i64),
}

#[derive(Clone, Debug)]
pub(crate) enum KindSpec {
    Deploy {
        loc: usize,
        footing: usize,
        personnel: u64,
        ships: Option<u64>,
    },
    Reinforce(bool, u64),
    Reduce(bool, u64),
    SetLevel(bool, u64),
    Pad(bool),
    /// The factor in tenths; negative factors are refused.
    Scale(bool, i64),
    Withdraw,
    Relocate(usize),
    ChangeFooting(usize),
}

fn kind_spec() -> impl Strategy<Value = KindSpec> {
    let loc = prop_oneof![20 => 0..9usize, 1 => 9..11usize];
    let ships = prop::bool::weighted(0.15);
    prop_oneof![
        4 => (loc.clone(), 0..5usize, 0..4_000u64, prop::option::of(0..8u64)).prop_map(
            |(loc, footing, personnel, ships)| KindSpec::Deploy { loc, footing, personnel, ships }
        ),
        4 => (ships, 0..2_000u64).prop_map(|(s, n)| KindSpec::Reinforce(s, n)),
        3 => (ships, 0..1_500u64).prop_map(|(s, n)| KindSpec::Reduce(s, n)),
        3 => (ships, 0..6_000u64).prop_map(|(s, n)| KindSpec::SetLevel(s, n)),
        1 => ships.prop_map(KindSpec::Pad),
        1 => (ships, -5..25i64).prop_map(|(s, f)| KindSpec::Scale(s, f)),
        1 => Just(KindSpec::Withdraw),
        2 => loc.prop_map(KindSpec::Relocate),
        2 => (0..5usize).prop_map(KindSpec::ChangeFooting),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop_oneof![30 => 0..UNITS.len(), 1 => Just(UNITS.len())],
        prop_oneof![3 => -5..5i64, 1 => -40..10i64].prop_map(Day::Near),
        prop_oneof![40 => Just(0u8), 8 => Just(1u8), 1 => Just(2u8)],
        prop::option::weighted(0.03, 0..40usize),
        kind_spec(),
    )
        .prop_map(|(unit, day, layer, reuse_id, kind)| Spec {
            unit,
            day,
            layer,
            reuse_id,
            kind,
        })
}

/// A deploy early in the history, so that later events find their unit deployed.
fn early_deploy() -> impl Strategy<Value = Spec> {
    (
        0..UNITS.len(),
        0..5i64,
        prop_oneof![6 => Just(0u8), 1 => Just(1u8)],
        0..9usize,
        0..5usize,
        0..4_000u64,
        prop::option::of(0..8u64),
    )
        .prop_map(|(unit, day, layer, loc, footing, personnel, ships)| Spec {
            unit,
            day: Day::On(day),
            layer,
            reuse_id: None,
            kind: KindSpec::Deploy {
                loc,
                footing,
                personnel,
                ships,
            },
        })
}

/// A pad and the later level it derives its figure from, in one batch.
fn pad_then_level() -> impl Strategy<Value = Vec<Spec>> {
    (spec(), 1..10i64, 0..6_000u64).prop_map(|(pad, gap, level)| {
        let ships = matches!(pad.kind, KindSpec::Pad(true));
        let at = match pad.day {
            Day::On(d) => Day::On(d + gap),
            Day::Near(d) => Day::Near(d + gap),
        };
        let level = Spec {
            day: at,
            reuse_id: None,
            kind: KindSpec::SetLevel(ships, level),
            ..pad.clone()
        };
        let pad = Spec {
            kind: KindSpec::Pad(ships),
            ..pad
        };
        vec![pad, level]
    })
}

/// Events fed to the ledger: early deploys of some units, then random events
/// mostly one at a time, sometimes in small batches.
pub(crate) fn stream(max: usize) -> impl Strategy<Value = Vec<Vec<Spec>>> {
    (
        prop::collection::vec(early_deploy(), 0..12),
        prop::collection::vec(
            prop_oneof![
                4 => prop::collection::vec(spec(), 1..=1),
                1 => prop::collection::vec(spec(), 2..=4),
                1 => pad_then_level(),
            ],
            1..max,
        ),
    )
        .prop_map(|(early, rest)| early.into_iter().map(|s| vec![s]).chain(rest).collect())
}

fn metric(ships: bool) -> Metric {
    if ships {
        Metric::SHIPS
    } else {
        Metric::PERSONNEL
    }
}

/// The event number `n` of a stream of `len`.
fn event(n: usize, len: usize, spec: &Spec) -> Event {
    let id = EventId::new(format!(
        "e{}",
        spec.reuse_id.filter(|&k| k < n).unwrap_or(n)
    ))
    .expect("an id");
    let unit = UNITS.get(spec.unit).map_or("ghost", |u| u.0);
    let locs = locations();
    let kind = match spec.kind {
        KindSpec::Deploy {
            loc,
            footing,
            personnel,
            ships,
        } => {
            let mut strength = vec![Quantity::new(Metric::PERSONNEL, Count::new(personnel))];
            // Ships for a unit not counted in ships are refused: now and then only.
            let counts_ships = UNITS.get(spec.unit).is_some_and(|u| u.4) || personnel % 16 == 0;
            if let Some(s) = ships.filter(|_| counts_ships) {
                strength.push(Quantity::new(Metric::SHIPS, Count::new(s)));
            }
            EventKind::Deploy {
                location: locs[loc].clone(),
                footing: FOOTINGS[footing],
                strength,
            }
        }
        KindSpec::Reinforce(s, n) => EventKind::Reinforce {
            metric: metric(s),
            count: Count::new(n),
        },
        KindSpec::Reduce(s, n) => EventKind::Reduce {
            metric: metric(s),
            count: Count::new(n),
        },
        KindSpec::SetLevel(s, n) => EventKind::SetLevel {
            metric: metric(s),
            count: Count::new(n),
        },
        KindSpec::Pad(s) => EventKind::Pad { metric: metric(s) },
        KindSpec::Scale(s, f) => EventKind::Scale {
            metric: metric(s),
            factor: Decimal::new(f, 1),
        },
        KindSpec::Withdraw => EventKind::Withdraw,
        KindSpec::Relocate(loc) => EventKind::Relocate {
            to: locs[loc].clone(),
        },
        KindSpec::ChangeFooting(f) => EventKind::ChangeFooting { to: FOOTINGS[f] },
    };
    let date = match spec.day {
        Day::On(d) => d,
        Day::Near(offset) => (n * 100 / len.max(1)) as i64 + offset,
    };
    let e = Event::new(
        id,
        UnitId::new(unit).expect("an id"),
        day(date.clamp(0, 99)),
        kind,
    );
    match spec.layer {
        0 => e,
        1 => e.in_layer(pledged()),
        _ => e.in_layer(LayerId::new("ghost").expect("an id")),
    }
}

/// A ledger with the accepted events of a stream, and those events in the order recorded.
pub(crate) struct Built {
    pub(crate) ledger: Ledger,
    pub(crate) accepted: Vec<Event>,
}

/// Feeds a stream to a new ledger, keeping what is accepted. With `check`, every
/// refusal must leave everything observable unchanged.
pub(crate) fn build(stream: &[Vec<Spec>], check: bool) -> Result<Built, TestCaseError> {
    let mut ledger = world();
    let mut accepted = Vec::new();
    let mut seen = if check { snapshot(&ledger) } else { Vec::new() };
    let len = stream.iter().map(Vec::len).sum();
    let mut n = 0;
    for chunk in stream {
        let batch: Vec<Event> = chunk
            .iter()
            .map(|s| {
                n += 1;
                event(n - 1, len, s)
            })
            .collect();
        match ledger.apply_batch(batch.clone()) {
            Ok(()) => {
                accepted.extend(batch);
                if check {
                    seen = snapshot(&ledger);
                }
            }
            Err(err) => {
                prop_assert!(
                    err.problem().is_some(),
                    "a refusal names its problem: {err}"
                );
                if check {
                    prop_assert_eq!(&snapshot(&ledger), &seen, "refused: {}", err);
                }
            }
        }
    }
    prop_assert_eq!(ledger.events(), &accepted[..]);
    Ok(Built { ledger, accepted })
}

// ----- What a caller can observe ---------------------------------------------------

/// Days to look at: the edges of the history and the membership changes
/// (Lithuania joins the region on day 31, Finland the alliance on day 45,
/// Sweden on day 79).
pub(crate) const PROBE_DAYS: [i64; 10] = [-1, 0, 14, 30, 31, 44, 45, 79, 99, 400];

pub(crate) fn views(l: &Ledger) -> [View<'_>; 2] {
    [l.view(), l.with_layer(&pledged()).expect("the layer")]
}

/// Everything observable: every event, totals of the probe scopes and of each
/// root unit, and every unit's deployment, on every probe day, in every view.
fn snapshot(l: &Ledger) -> Vec<String> {
    let mut out: Vec<String> = l.events().iter().map(|e| format!("{e:?}")).collect();
    let mut scopes: Vec<Scope> = probes().into_iter().map(|p| p.scope).collect();
    scopes.extend(roots().map(|u| Scope::all().unit(u)));
    for view in views(l) {
        for d in PROBE_DAYS.map(day) {
            for scope in &scopes {
                for m in &METRICS {
                    out.push(format!("{scope} {m} {d}: {:?}", view.total(scope, m, d)));
                }
            }
            for u in l.units() {
                out.push(format!("{} {d}: {:?}", u.id(), view.deployment(u.id(), d)));
            }
        }
    }
    out
}

// ----- Scopes with a hand-written oracle --------------------------------------------

/// A scope, and the same question asked of one deployment by hand.
pub(crate) struct Probe {
    pub(crate) scope: Scope,
    pub(crate) matches: fn(&Ledger, &Unit, &Deployment, NaiveDate) -> bool,
}

/// The countries a deployment is in: its country, its base's host, or every
/// member of its region on `date`.
fn hosts_of(l: &Ledger, location: &Location, date: NaiveDate) -> Vec<Country> {
    match location {
        Location::Country(c) => vec![*c],
        Location::Base(b) => vec![l.base(b).expect("a known base").host()],
        Location::Region(r) => l
            .region(r)
            .expect("a known region")
            .members_on(date)
            .collect(),
    }
}

/// Whether a deployment lies wholly inside `countries`.
fn inside(l: &Ledger, location: &Location, date: NaiveDate, countries: &[Country]) -> bool {
    let hosts = hosts_of(l, location, date);
    !hosts.is_empty() && hosts.iter().all(|h| countries.contains(h))
}

fn nato_members(l: &Ledger, date: NaiveDate) -> Vec<Country> {
    let a = l.alliance(&nato()).expect("the alliance");
    CONTRIBUTORS
        .iter()
        .chain(HOSTS.iter())
        .map(|c| country(c))
        .filter(|&c| a.status(c, date) == MembershipStatus::Member)
        .collect()
}

fn from_nato(l: &Ledger, u: &Unit, date: NaiveDate) -> bool {
    match u.contributor() {
        Contributor::Alliance(a) => *a == nato(),
        Contributor::Country(c) => nato_members(l, date).contains(c),
    }
}

fn is_country(u: &Unit, codes: &[&str]) -> bool {
    codes
        .iter()
        .any(|c| *u.contributor() == Contributor::Country(country(c)))
}

pub(crate) fn probes() -> Vec<Probe> {
    vec![
        Probe {
            scope: Scope::all(),
            matches: |_, _, _, _| true,
        },
        Probe {
            scope: Scope::all().in_country(country("EST")),
            matches: |l, _, d, date| inside(l, &d.location, date, &[country("EST")]),
        },
        Probe {
            scope: Scope::all().in_region(baltics()),
            matches: |l, _, d, date| {
                let members: Vec<Country> = l
                    .region(&baltics())
                    .expect("the region")
                    .members_on(date)
                    .collect();
                inside(l, &d.location, date, &members)
            },
        },
        Probe {
            scope: Scope::all().in_alliance(nato()),
            matches: |l, _, d, date| inside(l, &d.location, date, &nato_members(l, date)),
        },
        Probe {
            scope: Scope::all().from_alliance(nato()),
            matches: |l, u, _, date| from_nato(l, u, date),
        },
        Probe {
            // Part of the alliance's contributors from day 45 only.
            scope: Scope::all().from_country(country("FIN")),
            matches: |_, u, _, _| is_country(u, &["FIN"]),
        },
        Probe {
            scope: Scope::all()
                .from_country(country("USA"))
                .on_footing(Footing::Rotational),
            matches: |_, u, d, _| is_country(u, &["USA"]) && d.footing == Footing::Rotational,
        },
        Probe {
            scope: Scope::all().at_base(base("rota")),
            matches: |_, _, d, _| d.location == Location::Base(base("rota")),
        },
        Probe {
            scope: Scope::all()
                .of_kind(UnitKind::Land)
                .in_country(country("POL"))
                .in_country(country("LTU")),
            matches: |l, u, d, date| {
                u.kind() == UnitKind::Land
                    && inside(l, &d.location, date, &[country("POL"), country("LTU")])
            },
        },
        Probe {
            scope: Scope::all()
                .from_country(country("GBR"))
                .from_country(country("DNK"))
                .in_region(baltics()),
            matches: |l, u, d, date| {
                let members: Vec<Country> = l
                    .region(&baltics())
                    .expect("the region")
                    .members_on(date)
                    .collect();
                is_country(u, &["GBR", "DNK"]) && inside(l, &d.location, date, &members)
            },
        },
        Probe {
            scope: Scope::all()
                .of_kind(UnitKind::Ship)
                .of_kind(UnitKind::Squadron)
                .on_footing(Footing::Permanent)
                .on_footing(Footing::Pledged)
                .in_alliance(nato()),
            matches: |l, u, d, date| {
                matches!(u.kind(), UnitKind::Ship | UnitKind::Squadron)
                    && matches!(d.footing, Footing::Permanent | Footing::Pledged)
                    && inside(l, &d.location, date, &nato_members(l, date))
            },
        },
    ]
}

/// The total's count, `None` where no record covers it.
fn total(
    view: &View<'_>,
    scope: &Scope,
    m: &Metric,
    date: NaiveDate,
) -> Result<Option<u64>, TestCaseError> {
    view.total(scope, m, date)
        .map(|t| t.get())
        .map_err(|e| TestCaseError::fail(format!("total of {scope} on {date}: {e}")))
}

/// The sum of totals over several scopes: recorded where any is, and then
/// the sum of those recorded.
fn sum(
    view: &View<'_>,
    scopes: impl IntoIterator<Item = Scope>,
    m: &Metric,
    date: NaiveDate,
) -> Result<Option<u64>, TestCaseError> {
    let mut s = None;
    for scope in scopes {
        s = plus(s, total(view, &scope, m, date)?);
    }
    Ok(s)
}

/// Two totals added: no record where neither is recorded.
fn plus(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (None, None) => None,
        _ => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    }
}

// ----- Orderings --------------------------------------------------------------

/// A deterministic shuffle (xorshift), so a failing case replays from its seed.
fn shuffled(n: usize, mut seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    seed |= 1;
    for i in (1..n).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        order.swap(i, (seed % (i as u64 + 1)) as usize);
    }
    order
}

/// The events in a random order that keeps the relative order of events on
/// the same date: a shuffle of which date comes next, each date's events
/// taken in their original order.
fn interleaved(events: &[Event], seed: u64) -> Vec<Event> {
    let mut queues: BTreeMap<NaiveDate, VecDeque<&Event>> = BTreeMap::new();
    for e in events {
        queues.entry(e.effective()).or_default().push_back(e);
    }
    shuffled(events.len(), seed)
        .into_iter()
        .map(|i| {
            queues
                .get_mut(&events[i].effective())
                .and_then(VecDeque::pop_front)
                .expect("one event per slot of its date")
                .clone()
        })
        .collect()
}

/// The events by date, latest date first, events of one date in their original order.
fn dates_reversed(events: &[Event]) -> Vec<Event> {
    let mut out = events.to_vec();
    out.sort_by_key(|e| std::cmp::Reverse(e.effective()));
    out
}

/// The events by date, earliest first, events of one date in their original order.
fn by_date(events: &[Event]) -> Vec<Event> {
    let mut out = events.to_vec();
    out.sort_by_key(Event::effective);
    out
}

/// Applies events one at a time where each is valid on its own; an event
/// refused for now (a pad whose level comes later) waits and goes in with the
/// next one, in one batch. Everything must be in at the end.
fn one_by_one(events: &[Event]) -> Result<Ledger, TestCaseError> {
    let mut l = world();
    let mut pending: Vec<Event> = Vec::new();
    for e in events {
        pending.push(e.clone());
        if l.apply_batch(pending.clone()).is_ok() {
            pending.clear();
        }
    }
    prop_assert!(pending.is_empty(), "left over: {:?}", pending);
    Ok(l)
}

fn batch(events: &[Event]) -> Result<Ledger, TestCaseError> {
    let mut l = world();
    l.apply_batch(events.to_vec())
        .map_err(|e| TestCaseError::fail(format!("a valid history refused: {e}")))?;
    Ok(l)
}

/// `cases` by default, for CI; `PROPTEST_CASES=10000` for a deeper search.
pub(crate) fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/ledger/invariants.txt",
        ))),
        ..ProptestConfig::default()
    }
}

// ----- The properties -------------------------------------------------------------

proptest! {
    #![proptest_config(config(96))]

    /// Parts sum to the whole: by host country, by contributor, by unit tree,
    /// by footing and by kind, in the baseline and in the layer.
    #[test]
    fn parts_sum_to_the_whole(stream in stream(40)) {
        let l = build(&stream, false)?.ledger;
        for view in views(&l) {
            for date in PROBE_DAYS.map(day) {
                for m in &METRICS {
                    let whole = total(&view, &Scope::all(), m, date)?;

                    // By host: every country, and what is known only for the region.
                    let countries = sum(&view, HOSTS.map(|c| Scope::all().in_country(country(c))), m, date)?;
                    let members: Vec<Country> =
                        l.region(&baltics()).expect("the region").members_on(date).collect();
                    let region = total(&view, &Scope::all().in_region(baltics()), m, date)?;
                    let in_members = sum(&view, members.iter().map(|&c| Scope::all().in_country(c)), m, date)?;
                    prop_assert!(region >= in_members);
                    // The regional figures: what the region holds beyond its members.
                    let regional = region.unwrap_or(0) - in_members.unwrap_or(0);
                    prop_assert_eq!(whole.unwrap_or(0), countries.unwrap_or(0) + regional, "by host on {}", date);
                    // Recorded in the whole where recorded in a country or the region.
                    prop_assert_eq!(whole.is_some(), countries.is_some() || region.is_some(), "coverage by host on {}", date);

                    // By contributor: the alliance, and the countries outside it on the date.
                    let alliance = l.alliance(&nato()).expect("the alliance");
                    let outside = CONTRIBUTORS
                        .iter()
                        .map(|c| country(c))
                        .filter(|&c| alliance.status(c, date) != MembershipStatus::Member)
                        .map(|c| Scope::all().from_country(c));
                    let by_contributor = plus(
                        total(&view, &Scope::all().from_alliance(nato()), m, date)?,
                        sum(&view, outside, m, date)?,
                    );
                    prop_assert_eq!(whole, by_contributor, "by contributor on {}", date);

                    // By unit tree: the unit filter replays units instead of reading the cells.
                    let by_unit = sum(&view, roots().map(|u| Scope::all().unit(u)), m, date)?;
                    prop_assert_eq!(whole, by_unit, "by unit on {}", date);

                    let by_footing = sum(&view, FOOTINGS.map(|f| Scope::all().on_footing(f)), m, date)?;
                    prop_assert_eq!(whole, by_footing, "by footing on {}", date);
                    let by_kind = sum(&view, KINDS.map(|k| Scope::all().of_kind(k)), m, date)?;
                    prop_assert_eq!(whole, by_kind, "by kind on {}", date);
                }
            }
        }
    }

    /// A comparison is its two totals: before + change = after, and the ratio
    /// is after / before when before is not zero.
    #[test]
    fn a_comparison_is_its_two_totals(stream in stream(40), from in 0..PROBE_DAYS.len(), to in 0..PROBE_DAYS.len()) {
        let l = build(&stream, false)?.ledger;
        let (from, to) = (day(PROBE_DAYS[from]), day(PROBE_DAYS[to]));
        for probe in probes() {
            for m in &METRICS {
                let c: Comparison = l
                    .compare(&probe.scope, m, from, to)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(c.before().get(), total(&l.view(), &probe.scope, m, from)?);
                prop_assert_eq!(c.after().get(), total(&l.view(), &probe.scope, m, to)?);
                let (Some(before), Some(after)) = (c.before().get(), c.after().get()) else {
                    // With no record on a side, there is no change and no ratio.
                    prop_assert_eq!((c.change(), c.ratio()), (None, None));
                    continue;
                };
                prop_assert_eq!(c.change(), Some(i128::from(after) - i128::from(before)));
                if before == 0 {
                    prop_assert_eq!(c.ratio(), None);
                } else {
                    let exact = Decimal::from(after) / Decimal::from(before);
                    prop_assert_eq!(c.ratio(), Some(exact.normalize()));
                }
            }
        }
    }

    /// A refused event or batch leaves every event, total and deployment as it was.
    #[test]
    fn a_refusal_changes_nothing(stream in stream(30)) {
        build(&stream, true)?;
    }

    /// The index agrees with a naive oracle: each unit's deployment, matched
    /// against the scope by hand, summed.
    #[test]
    fn the_index_agrees_with_every_units_deployment(stream in stream(40)) {
        let l = build(&stream, false)?.ledger;
        for view in views(&l) {
            for date in PROBE_DAYS.map(day) {
                let deployed: Vec<(&Unit, Deployment)> = l
                    .units()
                    .filter_map(|u| view.deployment(u.id(), date).ok().flatten().map(|d| (u, d)))
                    .collect();
                for probe in probes() {
                    for m in &METRICS {
                        let oracle: u64 = deployed
                            .iter()
                            .filter(|(u, d)| (probe.matches)(&l, u, d, date))
                            .flat_map(|(_, d)| d.strength.iter())
                            .filter(|q| q.metric == *m)
                            .map(|q| q.count.get())
                            .sum();
                        let counted = deployed
                            .iter()
                            .filter(|(u, d)| (probe.matches)(&l, u, d, date))
                            .any(|(_, d)| d.strength.iter().any(|q| q.metric == *m));
                        let t = total(&view, &probe.scope, m, date)?;
                        // A unit deployed in the scope is a record; a scope may
                        // also hold a record of 0 that no deployment shows.
                        prop_assert!(t.is_some() || !counted, "{} {} on {}", probe.scope, m, date);
                        prop_assert_eq!(t.unwrap_or(0), oracle, "{} {} on {}", probe.scope, m, date);
                    }
                }
            }
        }
    }

    /// The posture depends on the events and their order within a date, not
    /// on how they were fed in: one by one, as one batch, or as one batch in
    /// any order that keeps each date's events in their order.
    #[test]
    fn any_feeding_order_gives_the_same_posture(stream in stream(40), seed in any::<u64>()) {
        let built = build(&stream, false)?;
        let expected = snapshot_without_events(&built.ledger);
        prop_assert_eq!(&snapshot_without_events(&batch(&built.accepted)?), &expected, "as one batch");
        let mixed = interleaved(&built.accepted, seed);
        prop_assert_eq!(&snapshot_without_events(&batch(&mixed)?), &expected, "interleaved");
        prop_assert_eq!(&snapshot_without_events(&one_by_one(&by_date(&built.accepted))?), &expected, "in date order");
    }

    /// Back-dated inserts: a history applied in date order, and the same
    /// events as one batch latest date first, give the same posture; and events
    /// inserted one by one latest first (skipping those refused then) give the
    /// posture of the same events applied in date order.
    #[test]
    fn back_dated_inserts_give_the_posture_of_date_order(stream in stream(40)) {
        let built = build(&stream, false)?;
        let in_order = one_by_one(&by_date(&built.accepted))?;
        let reversed = batch(&dates_reversed(&built.accepted))?;
        prop_assert_eq!(snapshot_without_events(&reversed), snapshot_without_events(&in_order));

        let mut back = world();
        let mut kept = Vec::new();
        for e in dates_reversed(&built.accepted) {
            if back.apply(e.clone()).is_ok() {
                kept.push(e);
            }
        }
        prop_assert_eq!(
            snapshot_without_events(&back),
            snapshot_without_events(&batch(&by_date(&kept))?)
        );
    }
}

/// The snapshot without the event log, whose order differs between feedings.
fn snapshot_without_events(l: &Ledger) -> Vec<String> {
    snapshot(l).split_off(l.events().len())
}

/// A region added after the events it covers totals as one added before them:
/// the index starts its sums from what is already recorded.
#[test]
fn a_region_added_late_totals_as_one_added_early() {
    let events = vec![
        event(0, 4, &early(0, 0, 1_000)),
        event(1, 4, &early(5, 1, 250)),
        event(2, 4, &early(3, 6, 40)),
        event(3, 4, &early(7, 8, 7)),
    ];
    let late = RegionId::new("late").expect("an id");
    let region =
        || Region::new(late.clone(), "late").with_members([country("EST"), country("LVA")]);
    let mut before = world();
    before.add_region(region()).expect("the region");
    before.apply_batch(events.clone()).expect("valid events");
    let mut after = world();
    after.apply_batch(events).expect("valid events");
    after.add_region(region()).expect("the region");
    let scope = Scope::all().in_region(late.clone());
    for d in PROBE_DAYS.map(day) {
        assert_eq!(
            before
                .total(&scope, &Metric::PERSONNEL, d)
                .expect("a total"),
            after.total(&scope, &Metric::PERSONNEL, d).expect("a total"),
        );
    }
    assert_eq!(
        after
            .total(&scope, &Metric::PERSONNEL, day(99))
            .expect("a total")
            .get(),
        Some(1_000 + 250)
    );
}

/// An early deploy of unit `unit` at location `loc` (see [`locations`]): EST,
/// LVA, …, base rota, base tapa, the Baltic region.
fn early(unit: usize, loc: usize, personnel: u64) -> Spec {
    Spec {
        unit,
        day: Day::On(unit as i64),
        layer: 0,
        reuse_id: None,
        kind: KindSpec::Deploy {
            loc,
            footing: 1,
            personnel,
            ships: None,
        },
    }
}

// ----- Knowledge time and corrections ------------------------------------------------

/// The accepted events of a stream, each learned of `lag` days after it took
/// effect (lags cycle through the list), in a new ledger.
pub(crate) fn with_knowledge(accepted: &[Event], lags: &[i64]) -> Result<Ledger, TestCaseError> {
    let mut l = world();
    let known: Vec<Event> = accepted
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let lag = lags.get(i % lags.len().max(1)).copied().unwrap_or(0);
            e.clone()
                .with_recorded(e.effective() + Days::new(lag.unsigned_abs()))
        })
        .collect();
    l.apply_batch(known)
        .map_err(|e| TestCaseError::fail(format!("the same events with knowledge dates: {e}")))?;
    Ok(l)
}

/// Every probe total as known on each probe day, in both views.
fn known_answers(l: &Ledger, knowledge: &[NaiveDate]) -> Vec<String> {
    let mut out = Vec::new();
    for view in views(l) {
        for &k in knowledge {
            let then = view.known_at(k);
            for d in PROBE_DAYS.map(day) {
                for p in probes() {
                    for m in &METRICS {
                        out.push(format!(
                            "{k} {} {m} {d}: {:?}",
                            p.scope,
                            then.total(&p.scope, m, d)
                        ));
                    }
                }
            }
        }
    }
    out
}

/// A correction of accepted event `target`: retract it, or replace it with a
/// change of the same kind, `count` for its figure, `shift` days later (0:
/// the same day, keeping its place).
pub(crate) fn correction(
    n: usize,
    target: &Event,
    recorded: NaiveDate,
    retract: bool,
    count: u64,
    shift: i64,
) -> Correction {
    let amendment = if retract {
        Amendment::Retract
    } else {
        let kind = match target.kind() {
            EventKind::Reinforce { metric, .. } => EventKind::Reinforce {
                metric: metric.clone(),
                count: Count::new(count),
            },
            EventKind::Reduce { metric, .. } => EventKind::Reduce {
                metric: metric.clone(),
                count: Count::new(count),
            },
            EventKind::SetLevel { metric, .. } => EventKind::SetLevel {
                metric: metric.clone(),
                count: Count::new(count),
            },
            other => other.clone(),
        };
        let effective = if shift >= 0 {
            target.effective() + Days::new(shift.unsigned_abs())
        } else {
            target.effective() - Days::new(shift.unsigned_abs())
        };
        Amendment::Replace { effective, kind }
    };
    Correction::new(
        EventId::new(format!("fix{n}")).expect("an id"),
        target.id().clone(),
        recorded,
        "generated",
        amendment,
    )
}

/// A claim of exactly what the ledger holds in `view` on `on`, stated for
/// the whole span `days`: true, however vague its date. `None` where the
/// ledger holds nothing then (before anything is recorded, the ledger does
/// not say a total is zero).
fn true_claim(
    n: usize,
    view: &View<'_>,
    scope: &Scope,
    m: &Metric,
    days: (i64, i64),
    on: i64,
    layer: bool,
) -> Result<Option<Claim>, TestCaseError> {
    let Ok(truth) = view.total(scope, m, day(on)) else {
        return Ok(None); // no unit is counted in the metric
    };
    let Some(truth) = truth.get() else {
        return Ok(None); // no record: unverifiable, whatever the claim says
    };
    let as_of = AsOf::between(day(days.0), day(days.1)).expect("a span");
    let c = Claim::quantity(
        ClaimId::new(format!("t{n}")).expect("an id"),
        Source::default(),
        as_of,
        scope.clone(),
        m.clone(),
        hedged(n, truth),
    );
    Ok(Some(if layer { c.in_layer(pledged()) } else { c }))
}

/// A figure that holds for `truth`, hedged one of several ways by `n`:
/// exactly, about, at least, up to, more than or less than a figure next to
/// it, between two figures around it.
fn hedged(n: usize, truth: u64) -> Figure {
    let t = Decimal::from(truth);
    match n % 7 {
        0 => Figure::new(Qualifier::Exact, t),
        1 => Figure::new(Qualifier::Approximate, t),
        2 => Figure::new(Qualifier::AtLeast, t),
        3 => Figure::new(Qualifier::UpTo, t),
        // A figure is never negative: "more than −1" is no claim.
        4 if truth == 0 => Figure::new(Qualifier::AtLeast, t),
        4 => Figure::new(Qualifier::MoreThan, t - Decimal::ONE),
        5 => Figure::new(Qualifier::LessThan, t + Decimal::ONE),
        _ => Figure::Range {
            low: Decimal::from(truth / 2),
            high: Decimal::from(truth + truth / 3),
        },
    }
}

/// A change claim of what the ledger changed in `view` from `on.0` (a day
/// of `since`) to `on.1` (a day of `days`): before and after, hedged; the
/// exact difference; and the ratio where it is exact to the hundredth. `None`
/// where the ledger holds nothing on either day.
fn true_change(
    n: usize,
    view: &View<'_>,
    scope: &Scope,
    m: &Metric,
    (since, days): ((i64, i64), (i64, i64)),
    on: (i64, i64),
    layer: bool,
) -> Result<Option<Claim>, TestCaseError> {
    let (Ok(before), Ok(after)) = (
        view.total(scope, m, day(on.0)),
        view.total(scope, m, day(on.1)),
    ) else {
        return Ok(None);
    };
    let (Some(before), Some(after)) = (before.get(), after.get()) else {
        return Ok(None); // no record on a side: unverifiable
    };
    if before == 0 || after == 0 {
        return Ok(None);
    }
    let exact = |v: Decimal| Figure::new(Qualifier::Exact, v);
    let span = |(a, b): (i64, i64)| AsOf::between(day(a), day(b)).expect("a span");
    let change = Change {
        since: Some(span(since)),
        before: Some(hedged(n, before)),
        after: Some(hedged(n + 1, after)),
        delta: Some(Delta {
            direction: if after >= before {
                Direction::Increase
            } else {
                Direction::Decrease
            },
            figure: exact(Decimal::from(after.abs_diff(before))),
        }),
        ratio: (u128::from(after) * 100 % u128::from(before) == 0).then(|| {
            let hundredths = u128::from(after) * 100 / u128::from(before);
            exact(Decimal::from_i128_with_scale(hundredths as i128, 2))
        }),
    };
    let c = Claim::change(
        ClaimId::new(format!("t{n}")).expect("an id"),
        Source::default(),
        span(days),
        scope.clone(),
        m.clone(),
        change,
    );
    Ok(Some(if layer { c.in_layer(pledged()) } else { c }))
}

proptest! {
    #![proptest_config(config(48))]

    /// Claims that state what the ledger holds, each on some day of its
    /// span, never conflict: not with the ledger, not with each other on
    /// overlapping dates or across dates, not as part and whole, however
    /// their spans overlap, however they are hedged; nor do changes between
    /// two such days, stated with their before, after, difference and
    /// ratio. A conflict is reported only where no values satisfy both
    /// claims.
    #[test]
    fn claims_true_to_the_ledger_never_conflict(
        stream in stream(30),
        spans in prop::collection::vec((-5..90i64, 0..30i64, any::<prop::sample::Index>()), 2..5),
    ) {
        let l = build(&stream, false)?.ledger;
        let mut claims = Vec::new();
        for probe in probes() {
            for m in &METRICS {
                for (layer, view) in [false, true].into_iter().zip(views(&l)) {
                    let mut meant = Vec::new();
                    for &(first, len, pick) in &spans {
                        let on = first + pick.index(len as usize + 1) as i64;
                        let n = claims.len();
                        claims.extend(true_claim(n, &view, &probe.scope, m, (first, first + len), on, layer)?);
                        meant.push(((first, first + len), on));
                    }
                    // Changes from each span to the next that starts after it ends.
                    meant.sort_unstable();
                    for (k, &(since, from)) in meant.iter().enumerate() {
                        if let Some(&(days, to)) = meant[k + 1..].iter().find(|(d, _)| d.0 > since.1) {
                            let n = claims.len();
                            claims.extend(true_change(n, &view, &probe.scope, m, (since, days), (from, to), layer)?);
                        }
                    }
                }
            }
        }
        let report = l.check(&claims).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for f in report.findings() {
            prop_assert!(f.verdict != Verdict::Conflicting, "{:?} {:?}: {}", f.rule, f.claims, f.summary);
        }
    }

    /// Where nothing was corrected, a view as known on a date after every
    /// event was learned of agrees with the plain view.
    #[test]
    fn known_at_after_everything_agrees_with_the_plain_view(
        stream in stream(30),
        lags in prop::collection::vec(0..60i64, 1..6),
    ) {
        let accepted = build(&stream, false)?.accepted;
        let l = with_knowledge(&accepted, &lags)?;
        let late = day(1_000);
        // With a maximum age too: the index and the replay work out the
        // ages of the figures a total adds alike.
        let aged = views(&l).map(|v| v.max_age(20));
        for view in views(&l).into_iter().chain(aged) {
            for d in PROBE_DAYS.map(day) {
                for p in probes() {
                    for m in &METRICS {
                        prop_assert_eq!(
                            view.known_at(late).total(&p.scope, m, d),
                            view.total(&p.scope, m, d),
                            "{} {} on {}", p.scope, m, d
                        );
                    }
                }
            }
        }
    }

    /// Appending corrections never changes what was known before them; a
    /// refused correction changes nothing at all.
    #[test]
    fn corrections_never_lose_history(
        stream in stream(30),
        lags in prop::collection::vec(0..60i64, 1..6),
        fixes in prop::collection::vec((any::<prop::sample::Index>(), any::<bool>(), 0..3_000u64), 1..6),
    ) {
        let accepted = build(&stream, false)?.accepted;
        prop_assume!(!accepted.is_empty());
        let mut l = with_knowledge(&accepted, &lags)?;
        let knowledge: Vec<NaiveDate> = [0, 30, 99, 160].map(day).to_vec();
        let before = known_answers(&l, &knowledge);
        for (n, (which, retract, count)) in fixes.into_iter().enumerate() {
            let target = which.get(&l.events().to_vec()).clone();
            let seen = snapshot(&l);
            let recorded = day(200 + n as i64);
            if let Err(e) = l.correct(correction(n, &target, recorded, retract, count, 0)) {
                prop_assert!(e.problem().is_some(), "a refusal names its problem: {}", e);
                prop_assert_eq!(&snapshot(&l), &seen, "refused: {}", e);
            }
        }
        prop_assert_eq!(known_answers(&l, &knowledge), before);
    }

    /// An explanation's changes add up to the total it explains, now and as
    /// known on earlier dates.
    #[test]
    fn an_explanation_adds_up_to_its_total(
        stream in stream(30),
        lags in prop::collection::vec(0..60i64, 1..6),
    ) {
        let accepted = build(&stream, false)?.accepted;
        let l = with_knowledge(&accepted, &lags)?;
        for view in views(&l) {
            for v in [view, view.known_at(day(40)), view.known_at(day(99))] {
                for d in PROBE_DAYS.map(day) {
                    for p in probes() {
                        for m in &METRICS {
                            let why = v.explain(&p.scope, m, d).map_err(|e| TestCaseError::fail(e.to_string()))?;
                            let total = v.total(&p.scope, m, d).map_err(|e| TestCaseError::fail(e.to_string()))?;
                            prop_assert_eq!(why.total(), i128::from(total.get().unwrap_or(0)), "{} {} on {}", p.scope, m, d);
                            if let Some(last) = why.entries().last() {
                                prop_assert_eq!(last.balance, why.total());
                            }
                        }
                    }
                }
            }
        }
    }
}

// ----- Every claim accounted for, and the other half of soundness ----------------------

const QUALIFIERS: [Qualifier; 8] = [
    Qualifier::Exact,
    Qualifier::Approximate,
    Qualifier::AtLeast,
    Qualifier::MoreThan,
    Qualifier::UpTo,
    Qualifier::LessThan,
    Qualifier::Nearly,
    Qualifier::OrderOfMagnitude,
];

/// What a random claim is: its kind and figures, mostly valid; a few are
/// negative, name no real day or a `since` after their date, or a figure
/// their qualifier cannot take.
#[derive(Clone, Debug)]
struct ClaimSpec {
    kind: u8,
    probe: prop::sample::Index,
    metric: usize,
    first: i64,
    len: i64,
    value: i64,
    qualifier: usize,
    since: i64,
    layer: bool,
}

fn claim_spec() -> impl Strategy<Value = ClaimSpec> {
    (
        0..6u8,
        any::<prop::sample::Index>(),
        0..3usize,
        -5..90i64,
        prop_oneof![3 => Just(0i64), 1 => 1..40i64],
        prop_oneof![12 => 0..5_000i64, 1 => -50..0i64],
        0..QUALIFIERS.len() + 1,
        prop_oneof![8 => -60..0i64, 1 => 0..40i64],
        any::<bool>(),
    )
        .prop_map(
            |(kind, probe, metric, first, len, value, qualifier, since, layer)| ClaimSpec {
                kind,
                probe,
                metric,
                first,
                len,
                value,
                qualifier,
                since,
                layer,
            },
        )
}

/// The claim a spec describes, with id `a{n}`.
fn spec_claim(n: usize, spec: &ClaimSpec) -> Claim {
    let probes = probes();
    let scope = spec.probe.get(&probes).scope.clone();
    let metric = [
        Metric::PERSONNEL,
        Metric::SHIPS,
        Metric::new("deaths").expect("a metric"),
    ][spec.metric]
        .clone();
    let as_of = AsOf::between(day(spec.first), day(spec.first + spec.len)).expect("a span");
    let v = Decimal::from(spec.value);
    let figure = match QUALIFIERS.get(spec.qualifier) {
        Some(&q) => Figure::new(q, v),
        None => Figure::Range {
            low: v,
            high: v + Decimal::from(spec.len),
        },
    };
    let id = ClaimId::new(format!("a{n}")).expect("an id");
    let source = Source::default();
    let since = AsOf::Day(day(spec.first + spec.since));
    let claim = match spec.kind {
        0 | 1 => Claim::quantity(id, source, as_of, scope, metric, figure),
        2 => Claim::change(
            id,
            source,
            as_of,
            scope,
            metric,
            Change {
                since: Some(since),
                after: Some(figure),
                ..Change::default()
            },
        ),
        3 => Claim::change(
            id,
            source,
            as_of,
            scope,
            metric,
            Change {
                since: Some(since),
                delta: Some(Delta {
                    direction: Direction::Decrease,
                    figure,
                }),
                ..Change::default()
            },
        ),
        4 => Claim::change(
            id,
            source,
            as_of,
            scope,
            metric,
            Change {
                ratio: Some(Figure::new(Qualifier::MoreThan, Decimal::TWO)),
                ..Change::default()
            },
        ),
        _ => Claim::category(
            id,
            source,
            as_of,
            Subject::Named {
                name: "the commander".into(),
                attribute: "rank".into(),
            },
            ["general", "admiral"][spec.qualifier % 2],
        ),
    };
    if spec.layer && spec.kind < 5 {
        claim.in_layer(pledged())
    } else {
        claim
    }
}

/// Whether `report` has a finding of `rule` about `id` that conflicts.
fn conflicts(report: &Report, rule: Rule, id: &ClaimId) -> bool {
    report
        .about(id)
        .any(|f| f.rule == rule && f.verdict == Verdict::Conflicting)
}

/// A value for `q` whose interval under the default policy leaves `truth`
/// out: tried from candidates around it, starting at one picked by `seed`;
/// `None` if none does (as for "nearly" a figure the policy cannot shave).
fn off_by_more_than_the_hedge(q: Option<Qualifier>, truth: u64, seed: u64) -> Option<Figure> {
    let policy = TolerancePolicy::default();
    let t = i128::from(truth);
    let step = i128::from(seed % 5_000) + 1;
    let mut candidates: Vec<i128> = vec![
        t + step,
        t - step,
        t + 1,
        t - 1,
        t,
        2 * t + step,
        t / 2 - step,
        t * 10,
    ];
    candidates.extend((0..=15).map(|k| 10i128.pow(k)));
    let start = (seed % candidates.len() as u64) as usize;
    candidates.rotate_left(start);
    candidates
        .into_iter()
        .filter(|&v| v >= 0)
        .map(Decimal::from)
        .map(|v| match q {
            Some(q) => Figure::new(q, v),
            None => Figure::Range {
                low: v,
                high: v + Decimal::from(step),
            },
        })
        .find(|f| {
            f.interval(&policy)
                .is_ok_and(|i| !i.contains(Decimal::from(truth)))
        })
}

proptest! {
    #![proptest_config(config(48))]

    /// A report accounts for every claim: each claim that stands (here,
    /// every one: none is corrected) appears in at least one finding, or
    /// the check is an error naming it. An invalid claim is taken out and
    /// the rest checked again, until the check goes through.
    #[test]
    fn every_claim_is_in_a_finding_or_named_by_the_error(
        stream in stream(30),
        specs in prop::collection::vec(claim_spec(), 1..12),
    ) {
        let l = build(&stream, false)?.ledger;
        let mut claims: Vec<Claim> = specs.iter().enumerate().map(|(n, s)| spec_claim(n, s)).collect();
        loop {
            match l.check(&claims) {
                Ok(report) => {
                    for c in &claims {
                        prop_assert!(
                            report.about(c.id()).next().is_some(),
                            "{} is in no finding: {:?}\n{}", c.id(), c, report
                        );
                    }
                    break;
                }
                Err(Error::InvalidRecord { kind: RecordKind::Claim, id, .. }) => {
                    let at = claims.iter().position(|c| c.id().as_str() == id);
                    prop_assert!(at.is_some(), "the error names {}, not a claim checked", id);
                    claims.remove(at.unwrap_or_default());
                }
                Err(e) => prop_assert!(false, "not an error naming a claim: {}", e),
            }
        }
    }

    /// The other half of soundness: a claim of one day off the ledger's
    /// figure by more than its hedge allows conflicts with the ledger, and
    /// with a claim of exactly the ledger's figure on that day, for every
    /// qualifier and for ranges. The policy's own interval only picks a
    /// value outside it; the verdicts are the checker's.
    #[test]
    fn claims_off_the_ledger_by_more_than_their_hedge_always_conflict(
        stream in stream(30),
        picks in prop::collection::vec(
            (any::<prop::sample::Index>(), 0..METRICS.len(), -5..100i64, 0..QUALIFIERS.len() + 1, any::<u64>(), any::<bool>()),
            1..10,
        ),
    ) {
        let l = build(&stream, false)?.ledger;
        let probes = probes();
        let mut claims = Vec::new();
        let mut off = Vec::new();
        for (n, (probe, m, on, q, seed, layer)) in picks.into_iter().enumerate() {
            let scope = &probe.get(&probes).scope;
            let m = &METRICS[m];
            let view = views(&l)[usize::from(layer)];
            let Ok(truth) = view.total(scope, m, day(on)) else {
                continue; // no unit is counted in the metric
            };
            // No record is unverifiable, not conflicting; a recorded 0 is
            // checked like any figure.
            let Some(truth) = truth.get() else {
                continue;
            };
            let Some(figure) = off_by_more_than_the_hedge(QUALIFIERS.get(q).copied(), truth, seed) else {
                continue;
            };
            let layered = |c: Claim| if layer { c.in_layer(pledged()) } else { c };
            let id = ClaimId::new(format!("off{n}")).expect("an id");
            claims.push(layered(Claim::quantity(
                id.clone(), Source::default(), AsOf::Day(day(on)), scope.clone(), m.clone(), figure,
            )));
            claims.push(layered(Claim::quantity(
                ClaimId::new(format!("true{n}")).expect("an id"),
                Source::default(),
                AsOf::Day(day(on)),
                scope.clone(),
                m.clone(),
                Figure::exact(truth),
            )));
            off.push(id);
        }
        let report = l.check(&claims).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for id in &off {
            prop_assert!(conflicts(&report, Rule::ClaimVsLedger, id), "{} against the ledger:\n{}", id, report);
            prop_assert!(conflicts(&report, Rule::SameDate, id), "{} against the true claim:\n{}", id, report);
        }
    }
}

// ----- The checker's reading of the ledger ------------------------------------------

/// A quantity claim of `scope` over `days`, in `layer` if given, citing no line.
fn claim_of(n: usize, scope: &Scope, m: &Metric, days: (i64, i64), layer: bool) -> Claim {
    let as_of = AsOf::between(day(days.0), day(days.1)).expect("a span");
    let c = Claim::quantity(
        ClaimId::new(format!("c{n}")).expect("an id"),
        Source::default(),
        as_of,
        scope.clone(),
        m.clone(),
        Figure::new(Qualifier::Approximate, Decimal::from(100)),
    );
    if layer {
        c.in_layer(pledged())
    } else {
        c
    }
}

/// The ledger's totals over `first..=last` as the checker states them: from
/// the least to the most, leaving out the days before the first with anything
/// recorded; `None` when nothing is.
fn day_by_day(
    view: &View<'_>,
    scope: &Scope,
    m: &Metric,
    (first, last): (i64, i64),
) -> Result<Option<Interval>, TestCaseError> {
    let mut totals = Vec::new();
    for n in first..=last {
        totals.push(total(view, scope, m, day(n))?);
    }
    // Days no record covers say nothing.
    let totals: Vec<u64> = totals.into_iter().flatten().collect();
    Ok(match (totals.iter().min(), totals.iter().max()) {
        (Some(&lo), Some(&hi)) => {
            Some(Interval::closed(Decimal::from(lo), Decimal::from(hi)).expect("lo ≤ hi"))
        }
        _ => None,
    })
}

proptest! {
    #![proptest_config(config(48))]

    /// The checker reads a scope's totals over a span of days from the
    /// index's step functions, and, as known on a date, by replaying the log:
    /// the two give the same report, and agree with the totals day by day
    /// (across the region's and the alliance's changes of membership) and
    /// with the registers' events between two claims.
    #[test]
    fn the_checker_reads_the_ledger_as_its_totals_do(
        stream in stream(30),
        spans in prop::collection::vec((0..40i64, 0..30i64), 2..4),
        start in -5..40i64,
    ) {
        let l = build(&stream, false)?.ledger;
        // Spans one after another, a gap between each.
        let mut spans_at = Vec::new();
        let mut at = start;
        for (gap, len) in spans {
            at += gap + 1;
            spans_at.push((at, at + len));
            at += len;
        }
        let mut claims = Vec::new();
        for (p, probe) in probes().iter().enumerate() {
            for (k, m) in METRICS.iter().enumerate() {
                for layer in [false, true] {
                    for (s, &span) in spans_at.iter().enumerate() {
                        let n = ((p * METRICS.len() + k) * 2 + usize::from(layer)) * 10 + s;
                        claims.push(claim_of(n, &probe.scope, m, span, layer));
                    }
                }
            }
        }
        let report = l.check(&claims).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let replayed = l
            .check_with(&claims, CheckOptions::new().known_at(day(10_000)))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&report, &replayed);

        for (c, claim) in claims.iter().enumerate() {
            let Statement::Quantity { scope, metric, .. } = claim.statement() else {
                unreachable!("quantity claims")
            };
            let view = if claim.layer().is_some() { views(&l)[1] } else { views(&l)[0] };
            if view.total(scope, metric, day(0)).is_err() {
                continue; // no unit is counted in the metric
            }
            let span = spans_at[c % spans_at.len()];
            let finding = report
                .about(claim.id())
                .find(|f| f.rule == Rule::ClaimVsLedger)
                .expect("a finding against the ledger");
            let stated = finding
                .evidence
                .iter()
                .find(|e| e.label.starts_with("ledger:"))
                .map(|e| e.interval);
            let expected = day_by_day(&view, scope, metric, span)?;
            prop_assert_eq!(stated, expected, "{}: {} over {:?}", claim.id(), scope, span);

            // The next claim of the same scope: the events between them.
            if let Some(next) = claims.get(c + 1).filter(|_| (c + 1) % spans_at.len() != 0) {
                let (d1, d2) = (claim.as_of().last(), next.as_of().first());
                let across = report
                    .about(claim.id())
                    .find(|f| f.rule == Rule::AcrossDates && f.claims[1] == *next.id())
                    .expect("a finding across dates");
                let register = view.explain(scope, metric, d2).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let between: Vec<EventId> = register
                    .into_entries()
                    .into_iter()
                    // Those that changed it: an observation of no change is
                    // a line of the register, not a change.
                    .filter(|e| d1 < e.effective && e.effective <= d2 && e.change != 0)
                    .map(|e| e.event)
                    .collect();
                prop_assert_eq!(&across.events, &between, "{} → {}", claim.id(), next.id());
            }
        }
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// No record is not zero, both ways: a host no event has touched has no
    /// record at every date, in every view, however many events the ledger
    /// holds elsewhere; a deploy of strength 0 there is a record of 0 from
    /// its day on (and none before), and a withdrawal keeps the record.
    #[test]
    fn a_scope_no_event_touches_has_no_record_and_an_event_of_zero_is_one(
        stream in stream(30),
        arrive in 0..60i64,
        stay in 1..60i64,
    ) {
        let mut l = build(&stream, false)?.ledger;
        let iceland = Scope::all().in_country(country("ISL"));
        let fail = |e: posture_ledger::Error| TestCaseError::fail(e.to_string());
        for view in views(&l) {
            for d in PROBE_DAYS.map(day) {
                for m in &METRICS {
                    let t = view.total(&iceland, m, d).map_err(fail)?;
                    prop_assert!(!t.is_recorded(), "{} in ISL on {}: {}", m, d, t);
                    prop_assert_eq!(view.first_record(&iceland, m, d).map_err(fail)?, None);
                }
            }
        }
        l.add_unit(Unit::new(UnitId::new("isl-watch").expect("an id"), "a watch of none", country("USA"), UnitKind::Contingent))
            .map_err(fail)?;
        let unit = UnitId::new("isl-watch").expect("an id");
        let deploy = Event::new(EventId::new("isl-arrive").expect("an id"), unit.clone(), day(arrive), EventKind::Deploy {
            location: Location::Country(country("ISL")),
            footing: Footing::Rotational,
            strength: vec![Quantity::new(Metric::PERSONNEL, Count::ZERO)],
        });
        let leave = Event::new(EventId::new("isl-leave").expect("an id"), unit, day(arrive + stay), EventKind::Withdraw);
        l.apply_batch([deploy, leave]).map_err(fail)?;
        for view in views(&l) {
            for n in [arrive - 1, arrive, arrive + stay - 1, arrive + stay, arrive + stay + 100] {
                let t = view.total(&iceland, &Metric::PERSONNEL, day(n)).map_err(fail)?;
                if n < arrive {
                    prop_assert!(!t.is_recorded(), "before the deploy, on day {}: {}", n, t);
                } else {
                    prop_assert_eq!(t.get(), Some(0), "on day {}", n);
                    let newest = if n < arrive + stay { arrive } else { arrive + stay };
                    prop_assert_eq!(t.newest(), Some(day(newest)), "on day {}", n);
                }
                // Ships were never counted there: still no record.
                prop_assert!(!view.total(&iceland, &Metric::SHIPS, day(n)).map_err(fail)?.is_recorded());
            }
        }
    }
}
