//! A generator of large, valid, deterministic ledgers for the benchmarks.
//!
//! About 30 contributing countries and 40 host countries in 6 regions, an
//! alliance with dated accessions, two bases per host, units ≈ events / 20
//! (some the subunits of others), and events from 2000 to 2025 in date order:
//! deploy, reinforce, reduce, set level, relocate, change footing, withdraw.
//! The generator tracks every unit's state, so every event it makes is valid
//! and a batch of them is accepted whole.

use chrono::{Days, NaiveDate};
use posture_ledger::{
    Alliance, AllianceId, Base, BaseId, Count, Country, Event, EventId, EventKind, Footing, Ledger,
    Location, Metric, Quantity, Region, RegionId, Unit, UnitId, UnitKind,
};

/// Contributing countries.
pub const CONTRIBUTORS: [&str; 30] = [
    "USA", "GBR", "FRA", "DEU", "ITA", "ESP", "CAN", "NLD", "BEL", "DNK", "NOR", "POL", "TUR",
    "GRC", "PRT", "CZE", "HUN", "ROU", "BGR", "SVK", "SVN", "HRV", "ALB", "MNE", "MKD", "LUX",
    "ISL", "FIN", "SWE", "EST",
];

/// Host countries, by region.
pub const REGIONS: [(&str, &[&str]); 6] = [
    ("baltic", &["EST", "LVA", "LTU"]),
    ("nordic", &["NOR", "SWE", "FIN", "DNK", "ISL"]),
    (
        "central",
        &["POL", "DEU", "CZE", "SVK", "HUN", "AUT", "CHE"],
    ),
    ("western", &["GBR", "FRA", "BEL", "NLD", "LUX", "IRL"]),
    (
        "southern",
        &["ESP", "PRT", "ITA", "GRC", "MLT", "CYP", "SVN", "HRV"],
    ),
    (
        "southeast",
        &[
            "ROU", "BGR", "TUR", "ALB", "MNE", "MKD", "SRB", "BIH", "MDA", "UKR", "GEO",
        ],
    ),
];

const FOOTINGS: [Footing; 5] = [
    Footing::Permanent,
    Footing::Rotational,
    Footing::HighReadiness,
    Footing::Requested,
    Footing::Pledged,
];

const KINDS: [UnitKind; 7] = [
    UnitKind::Headquarters,
    UnitKind::Battlegroup,
    UnitKind::Land,
    UnitKind::Squadron,
    UnitKind::Ship,
    UnitKind::AirDefence,
    UnitKind::Contingent,
];

/// The first and last day of the generated history.
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date")
}

/// The last day of the generated history.
pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 31).expect("a date")
}

/// A small, fast, deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A generated ledger: the definitions, and the events still to apply.
pub struct Generated {
    /// The ledger with its places, bases and units, and no events.
    pub world: Ledger,
    /// Valid events in date order.
    pub events: Vec<Event>,
}

/// What the generator knows of a unit while it makes events.
struct Sim {
    children: Vec<usize>,
    ships: bool,
    deployed: bool,
    /// Own personnel and ships, subunits excluded.
    own: [u64; 2],
}

/// The world's definitions and `n` valid events, from `seed`.
pub fn generate(n: usize, seed: u64) -> Generated {
    let mut rng = Rng::new(seed);
    let mut world = Ledger::new();
    let country = |c: &str| Country::new(c).expect("a country code");

    let mut hosts: Vec<Country> = Vec::new();
    let mut regions: Vec<RegionId> = Vec::new();
    for (id, members) in REGIONS {
        let region = RegionId::new(id).expect("an id");
        let members: Vec<Country> = members.iter().map(|c| country(c)).collect();
        hosts.extend(&members);
        world
            .add_region(Region::new(region.clone(), id).with_members(members))
            .expect("a region");
        regions.push(region);
    }
    let mut alliance = Alliance::new(AllianceId::new("NATO").expect("an id"), "NATO");
    for (i, c) in CONTRIBUTORS.iter().enumerate() {
        // Accessions spread over the history, so alliance scopes change with the date.
        let joined = first_day() - Days::new(20_000) + Days::new(i as u64 * 1_000);
        alliance = alliance.with_member(country(c), joined);
    }
    world.add_alliance(alliance).expect("the alliance");
    let mut bases: Vec<BaseId> = Vec::new();
    for host in &hosts {
        for k in 0..2 {
            let id =
                BaseId::new(format!("{}-base-{k}", host.code().to_lowercase())).expect("an id");
            world
                .add_base(Base::new(id.clone(), id.as_str(), *host))
                .expect("a base");
            bases.push(id);
        }
    }

    // Units: about one per 20 events; a third are subunits of an earlier unit
    // of the same contributor, at most three deep.
    let units = (n / 20).max(4);
    let mut sims: Vec<Sim> = Vec::with_capacity(units);
    let mut ids: Vec<UnitId> = Vec::with_capacity(units);
    let mut by_contributor: Vec<Vec<usize>> = vec![Vec::new(); CONTRIBUTORS.len()];
    let mut depth: Vec<u8> = Vec::with_capacity(units);
    for u in 0..units {
        let c = rng.below(CONTRIBUTORS.len() as u64) as usize;
        let kind = KINDS[rng.below(KINDS.len() as u64) as usize];
        let id = UnitId::new(format!("u{u}")).expect("an id");
        let mut unit = Unit::new(
            id.clone(),
            format!("unit {u}"),
            country(CONTRIBUTORS[c]),
            kind,
        );
        let ships = kind == UnitKind::Ship;
        if ships {
            unit = unit.with_metrics([Metric::PERSONNEL, Metric::SHIPS]);
        }
        let mut parent = None;
        let peers = &by_contributor[c];
        if !peers.is_empty() && rng.chance(33) {
            let p = peers[rng.below(peers.len() as u64) as usize];
            if depth[p] < 3 {
                parent = Some(p);
            }
        }
        if let Some(p) = parent {
            unit = unit.with_parent(ids[p].clone());
            sims[p].children.push(u);
        }
        world.add_unit(unit).expect("a unit");
        depth.push(parent.map_or(0, |p| depth[p] + 1));
        by_contributor[c].push(u);
        ids.push(id);
        sims.push(Sim {
            children: Vec::new(),
            ships,
            deployed: false,
            own: [0, 0],
        });
    }

    let locations: Vec<Location> = hosts
        .iter()
        .map(|&c| Location::Country(c))
        .chain(bases.iter().cloned().map(Location::Base))
        .chain(regions.iter().cloned().map(Location::Region))
        .collect();
    let location = |rng: &mut Rng| -> Location {
        // Mostly countries and bases; a regional figure now and then.
        if rng.chance(5) {
            Location::Region(regions[rng.below(regions.len() as u64) as usize].clone())
        } else {
            locations[rng.below((hosts.len() + bases.len()) as u64) as usize].clone()
        }
    };
    // The unit with its subunits, for levels.
    fn whole(sims: &[Sim], u: usize, m: usize) -> u64 {
        sims[u].own[m]
            + sims[u]
                .children
                .iter()
                .map(|&c| whole(sims, c, m))
                .sum::<u64>()
    }
    let span = (last_day() - first_day()).num_days() as u64;
    let metric = |m: usize| {
        if m == 0 {
            Metric::PERSONNEL
        } else {
            Metric::SHIPS
        }
    };

    let mut events = Vec::with_capacity(n);
    for i in 0..n {
        let date = first_day() + Days::new(i as u64 * span / n as u64);
        let u = rng.below(units as u64) as usize;
        let m = if sims[u].ships && rng.chance(30) {
            1
        } else {
            0
        };
        let scale = if m == 1 { 4 } else { 2_000 };
        let kind = if !sims[u].deployed {
            sims[u].deployed = true;
            let mut strength = Vec::new();
            for m in 0..(1 + usize::from(sims[u].ships)) {
                let below = whole(&sims, u, m) - sims[u].own[m];
                let own = rng.below(if m == 1 { 6 } else { 4_000 });
                sims[u].own[m] = own;
                strength.push(Quantity::new(metric(m), Count::new(below + own)));
            }
            EventKind::Deploy {
                location: location(&mut rng),
                footing: FOOTINGS[rng.below(5) as usize],
                strength,
            }
        } else {
            match rng.below(100) {
                0..=29 => {
                    let count = rng.below(scale);
                    sims[u].own[m] += count;
                    EventKind::Reinforce {
                        metric: metric(m),
                        count: Count::new(count),
                    }
                }
                30..=49 => {
                    let count = rng.below(sims[u].own[m] + 1);
                    sims[u].own[m] -= count;
                    EventKind::Reduce {
                        metric: metric(m),
                        count: Count::new(count),
                    }
                }
                50..=69 => {
                    let below = whole(&sims, u, m) - sims[u].own[m];
                    let own = rng.below(2 * scale);
                    sims[u].own[m] = own;
                    EventKind::SetLevel {
                        metric: metric(m),
                        count: Count::new(below + own),
                    }
                }
                70..=81 => EventKind::Relocate {
                    to: location(&mut rng),
                },
                82..=93 => EventKind::ChangeFooting {
                    to: FOOTINGS[rng.below(5) as usize],
                },
                _ => {
                    sims[u].deployed = false;
                    sims[u].own = [0, 0];
                    EventKind::Withdraw
                }
            }
        };
        events.push(Event::new(
            EventId::new(format!("e{i}")).expect("an id"),
            ids[u].clone(),
            date,
            kind,
        ));
    }
    Generated { world, events }
}

/// The host countries, in region order.
pub fn hosts() -> Vec<Country> {
    REGIONS
        .iter()
        .flat_map(|(_, members)| members.iter())
        .map(|c| Country::new(c).expect("a country code"))
        .collect()
}

/// The regions' ids.
pub fn regions() -> Vec<RegionId> {
    REGIONS
        .iter()
        .map(|(id, _)| RegionId::new(id).expect("an id"))
        .collect()
}

/// A figure from `/proc/self/status`, in bytes (`VmRSS`,
/// `VmHWM`): the measure both benches report memory by.
pub fn status(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    text.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .expect("the field")
}
