//! The registries: the regions, alliances, bases, layers, units and metrics
//! that events name, each defined once, found by id and numbered in the
//! order added, which is how the index and the machine refer to them.

use crate::base::{Base, BaseId};
use crate::country::{Alliance, AllianceId, Country, CountryRecord, Region, RegionId};
use crate::deployment::Location;
use crate::error::{Error, Problem, RecordKind, Result};
use crate::event::Layer;
use crate::hash::FastMap;
use crate::index::{Cells, Contrib, Loc};
use crate::metric::Metric;
use crate::scope::Names;
use crate::unit::{Contributor, Unit, UnitId};

use super::machine::State;
use super::{Ledger, Timelines, UnitRecord};

/// How many levels of parents a unit may have. Replaying, explaining and
/// checking walk unit trees recursively; the bound keeps a hostile file of
/// thousands of nested units from exhausting the stack.
const MAX_DEPTH: u32 = 64;

impl Ledger {
    /// Declares a country: a user-assigned code (`XAA`–`XZZ`), which records
    /// may then name, or other names for any country, which
    /// [`country_named`](Ledger::country_named) then reads. `XKX`, Kosovo,
    /// needs no declaring.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] for a code declared twice, a user-assigned
    /// code without a name, or a name that already stands for another
    /// country.
    pub fn add_country(&mut self, record: CountryRecord) -> Result<()> {
        self.countries.declare(record)
    }

    /// The country `text` names: its code, a name or alias declared to the
    /// ledger, or a name [`Country::from_name`] reads, in any case.
    pub fn country_named(&self, text: &str) -> Option<Country> {
        self.countries.named(text)
    }

    /// The country whose code `text` is, in any case: an assigned code,
    /// `XKX`, or a declared user-assigned one.
    pub fn country_code(&self, text: &str) -> Option<Country> {
        self.countries.code(text)
    }

    /// The name of `country`: the one declared to the ledger, else its ISO
    /// 3166-1 name.
    pub fn country_name(&self, country: Country) -> &str {
        self.countries.name(country)
    }

    /// The declared countries, in the order of their codes.
    pub fn declared_countries(&self) -> impl Iterator<Item = &CountryRecord> {
        self.countries.records()
    }

    /// Refuses a record's user-assigned code that no record declares.
    fn known(&self, country: Country) -> std::result::Result<(), Problem> {
        match self.countries.knows(country) {
            true => Ok(()),
            false => Err(Problem::unknown(RecordKind::Country, country)),
        }
    }

    /// Adds a region.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] for a duplicate id. (A membership period
    /// cannot end before it starts: [`Period`](crate::Period) refuses it.)
    pub fn add_region(&mut self, region: Region) -> Result<()> {
        let id = region.id().clone();
        let shown = id.to_string();
        for m in region.members() {
            self.known(m.country)
                .map_err(|problem| Error::InvalidRecord {
                    kind: RecordKind::Region,
                    id: shown.clone(),
                    field: "members",
                    problem,
                })?;
        }
        let mut lasting: Vec<Country> = region
            .members()
            .iter()
            .filter(|m| m.period.from().is_none() && m.period.until().is_none())
            .map(|m| m.country)
            .collect();
        lasting.sort_unstable();
        lasting.dedup();
        self.regions
            .insert(id, region, RecordKind::Region, &shown)?;
        // The registry gave the region the next position.
        let r = (self.regions.items.len() - 1) as u32;
        for &c in &lasting {
            self.member_of.entry(c).or_default().push(r);
        }
        for cells in std::iter::once(&mut self.baseline).chain(&mut self.layer_cells) {
            cells.add_region(r, &lasting);
        }
        self.lasting.push(lasting);
        Ok(())
    }

    /// Adds an alliance.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] for a duplicate id or backwards dates;
    /// [`Error::InvalidId`] for an id that is a country code.
    pub fn add_alliance(&mut self, alliance: Alliance) -> Result<()> {
        alliance.validate()?;
        let id = alliance.id().clone();
        let shown = id.to_string();
        for m in alliance.records() {
            self.known(m.country())
                .map_err(|problem| Error::InvalidRecord {
                    kind: RecordKind::Alliance,
                    id: shown.clone(),
                    field: "members",
                    problem,
                })?;
        }
        self.alliances
            .insert(id, alliance, RecordKind::Alliance, &shown)
    }

    /// Adds a base.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] for a duplicate id.
    pub fn add_base(&mut self, base: Base) -> Result<()> {
        let id = base.id().clone();
        let shown = id.to_string();
        self.known(base.host())
            .map_err(|problem| Error::InvalidRecord {
                kind: RecordKind::Base,
                id: shown.clone(),
                field: "host",
                problem,
            })?;
        self.bases.insert(id, base, RecordKind::Base, &shown)
    }

    /// Adds a what-if layer.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] for a duplicate id, or past 65,535 layers.
    pub fn add_layer(&mut self, layer: Layer) -> Result<()> {
        let shown = layer.id.to_string();
        if self.layers.items.len() >= usize::from(u16::MAX) {
            return Err(Error::InvalidRecord {
                kind: RecordKind::Layer,
                id: shown,
                field: "id",
                problem: Problem::LedgerFull,
            });
        }
        self.layers
            .insert(layer.id.clone(), layer, RecordKind::Layer, &shown)?;
        self.layer_cells.push(Cells::default());
        Ok(())
    }

    /// Adds a unit. Its parent, if any, and its contributing alliance, if any,
    /// must be added first.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRecord`] for a duplicate id, an unknown parent or
    /// alliance, a parent already 64 levels below its top unit
    /// ([`Problem::TooDeep`]), or no metrics.
    pub fn add_unit(&mut self, unit: Unit) -> Result<()> {
        if self.unit_ix.contains_key(unit.id()) {
            return Err(unit.error("id", Problem::Duplicate));
        }
        let contributor = match unit.contributor() {
            Contributor::Country(c) => {
                self.known(*c).map_err(|p| unit.error("contributor", p))?;
                Contrib::Country(*c)
            }
            Contributor::Alliance(a) => {
                Contrib::Alliance(self.alliances.position(a).ok_or_else(|| {
                    unit.error("contributor", Problem::unknown(RecordKind::Alliance, a))
                })?)
            }
        };
        let parent = match unit.parent() {
            None => None,
            Some(p) => Some(
                *self
                    .unit_ix
                    .get(p)
                    .ok_or_else(|| unit.error("parent", Problem::unknown(RecordKind::Unit, p)))?,
            ),
        };
        let depth = parent.map_or(0, |p| self.units[p as usize].depth + 1);
        if depth > MAX_DEPTH {
            return Err(unit.error("parent", Problem::TooDeep { limit: MAX_DEPTH }));
        }
        if unit.metrics().is_empty() {
            return Err(unit.error("metrics", Problem::Empty));
        }
        let n =
            u32::try_from(self.units.len()).map_err(|_| unit.error("id", Problem::LedgerFull))?;
        let new_metrics = unit
            .metrics()
            .iter()
            .filter(|m| !self.metric_ix.contains_key(*m))
            .count();
        if self.metrics.len() + new_metrics > usize::from(u16::MAX) {
            return Err(unit.error("metrics", Problem::LedgerFull));
        }
        // Nothing can fail from here on.
        for m in unit.metrics() {
            self.intern_metric(m);
        }
        if let Some(p) = parent {
            self.units[p as usize].children.push(n);
        }
        self.unit_ix.insert(unit.id().clone(), n);
        self.unit_by_copy.insert(unit.id().addr(), n);
        if matches!(contributor, Contrib::Alliance(_)) {
            self.alliance_units.push(n);
        }
        self.units.push(UnitRecord {
            unit,
            contributor,
            parent,
            children: Vec::new(),
            depth,
            timelines: Timelines::default(),
            retired: Vec::new(),
            end: State::default(),
        });
        Ok(())
    }

    fn intern_metric(&mut self, metric: &Metric) {
        if !self.metric_ix.contains_key(metric) {
            // add_unit checked there is room.
            let i = u16::try_from(self.metrics.len()).unwrap_or(u16::MAX);
            self.metrics.push(metric.clone());
            self.metric_ix.insert(metric.clone(), i);
        }
    }

    /// Resolves a location's ids.
    pub(super) fn loc(&self, location: &Location) -> std::result::Result<Loc, Problem> {
        match location {
            Location::Country(c) => self.known(*c).map(|()| Loc::Country(*c)),
            Location::Base(b) => self
                .bases
                .position(b)
                .map(Loc::Base)
                .ok_or_else(|| Problem::unknown(RecordKind::Base, b)),
            Location::Region(r) => self
                .regions
                .position(r)
                .map(Loc::Region)
                .ok_or_else(|| Problem::unknown(RecordKind::Region, r)),
        }
    }

    /// The public form of a resolved location.
    pub(super) fn location(&self, loc: Loc) -> Location {
        match loc {
            Loc::Country(c) => Location::Country(c),
            Loc::Base(b) => Location::Base(self.bases.items[b as usize].id().clone()),
            Loc::Region(r) => Location::Region(self.regions.items[r as usize].id().clone()),
        }
    }
}

impl Names for Ledger {
    fn country(&self, text: &str) -> Option<Country> {
        self.countries.code(text)
    }

    fn region_name(&self, id: &RegionId) -> Option<&str> {
        self.regions.get(id).map(Region::name)
    }

    fn alliance_label(&self, id: &AllianceId) -> Option<&str> {
        self.alliances.get(id).map(Alliance::label)
    }

    fn has_base(&self, id: &BaseId) -> bool {
        self.bases.position(id).is_some()
    }

    fn has_unit(&self, id: &UnitId) -> bool {
        self.unit_ix.contains_key(id)
    }
}

/// Records in the order added, found by id.
#[derive(Clone, Debug)]
pub(super) struct Registry<I, T> {
    pub(super) items: Vec<T>,
    ix: FastMap<I, u32>,
}

impl<I, T> Default for Registry<I, T> {
    fn default() -> Self {
        Registry {
            items: Vec::new(),
            ix: FastMap::default(),
        }
    }
}

impl<I: std::hash::Hash + Eq, T> Registry<I, T> {
    pub(super) fn get(&self, id: &I) -> Option<&T> {
        self.ix.get(id).and_then(|&i| self.items.get(i as usize))
    }

    pub(super) fn position(&self, id: &I) -> Option<u32> {
        self.ix.get(id).copied()
    }

    pub(super) fn insert(&mut self, id: I, item: T, kind: RecordKind, shown: &str) -> Result<()> {
        if self.ix.contains_key(&id) {
            return Err(Error::InvalidRecord {
                kind,
                id: shown.to_string(),
                field: "id",
                problem: Problem::Duplicate,
            });
        }
        let n = u32::try_from(self.items.len()).map_err(|_| Error::InvalidRecord {
            kind,
            id: shown.to_string(),
            field: "id",
            problem: Problem::LedgerFull,
        })?;
        self.ix.insert(id, n);
        self.items.push(item);
        Ok(())
    }
}
