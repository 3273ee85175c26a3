//! Scopes: which deployments a total covers.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::base::BaseId;
use crate::country::{AllianceId, Country, RegionId};
use crate::deployment::Footing;
use crate::unit::{UnitId, UnitKind};

/// A union of countries, regions and alliances, resolved to a set of countries
/// on the date of a query (regions and alliances change membership over time).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Places {
    /// Countries named one by one.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub countries: BTreeSet<Country>,
    /// Regions, by id: their members on the date.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub regions: BTreeSet<RegionId>,
    /// Alliances, by id: their full members on the date.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub alliances: BTreeSet<AllianceId>,
}

impl fmt::Display for Places {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words(None))
    }
}

impl Places {
    /// The places joined by `+`: regions by their names and alliances by
    /// their labels in `names` where given, else by their ids; countries
    /// by their codes.
    fn words(&self, names: Option<&dyn Names>) -> String {
        let alliance = |id: &AllianceId| match names.and_then(|n| n.alliance_label(id)) {
            Some(label) => label.to_string(),
            None => id.to_string(),
        };
        let region = |id: &RegionId| match names.and_then(|n| n.region_name(id)) {
            Some(name) => name.to_string(),
            None => id.to_string(),
        };
        let names: Vec<String> = self
            .alliances
            .iter()
            .map(alliance)
            .chain(self.regions.iter().map(region))
            .chain(self.countries.iter().map(ToString::to_string))
            .collect();
        names.join("+")
    }
}

/// Which deployments a total covers: filters on host, contributor, base,
/// footing, unit kind and unit. Filters on different dimensions all apply
/// (and); several values on one dimension are alternatives (or). An empty scope
/// covers everything.
///
/// *Host* filters ask where a deployment is: a base is in its host country; a
/// deployment known only for a whole region counts when every member of the
/// region on that date is in the host filter. *Contributor* filters ask who
/// provides the unit: an alliance matches its member countries' units on the
/// date and the units it contributes as a whole.
///
/// # Example
///
/// ```
/// use posture_ledger::{AllianceId, Country, RegionId, Scope};
///
/// // All NATO personnel in the Baltic states.
/// let scope = Scope::all()
///     .from_alliance(AllianceId::new("NATO")?)
///     .in_region(RegionId::new("baltic-states")?);
/// assert_eq!(scope.to_string(), "NATO in baltic-states");
/// // British troops in Estonia.
/// let uk_in_estonia = Scope::all().from_country(Country::new("GBR")?).in_country(Country::new("EST")?);
/// assert_eq!(uk_in_estonia.to_string(), "GBR in EST");
/// # Ok::<(), posture_ledger::Error>(())
/// ```
// A misspelt filter must be refused: ignored, it would widen the scope, at
// worst to everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hosts: Option<Places>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contributors: Option<Places>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bases: Option<BTreeSet<BaseId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    footings: Option<BTreeSet<Footing>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kinds: Option<BTreeSet<UnitKind>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    units: Option<BTreeSet<UnitId>>,
}

impl Scope {
    /// The scope that covers every deployment.
    pub fn all() -> Self {
        Scope::default()
    }

    /// Deployments hosted in `country`.
    pub fn in_country(mut self, country: Country) -> Self {
        self.hosts
            .get_or_insert_with(Places::default)
            .countries
            .insert(country);
        self
    }

    /// Deployments hosted in the members of `region` on the query's date.
    pub fn in_region(mut self, region: RegionId) -> Self {
        self.hosts
            .get_or_insert_with(Places::default)
            .regions
            .insert(region);
        self
    }

    /// Deployments hosted in the members of `alliance` on the query's date.
    pub fn in_alliance(mut self, alliance: AllianceId) -> Self {
        self.hosts
            .get_or_insert_with(Places::default)
            .alliances
            .insert(alliance);
        self
    }

    /// Deployments at `base`.
    pub fn at_base(mut self, base: BaseId) -> Self {
        self.bases.get_or_insert_with(BTreeSet::new).insert(base);
        self
    }

    /// Units contributed by `country`.
    pub fn from_country(mut self, country: Country) -> Self {
        self.contributors
            .get_or_insert_with(Places::default)
            .countries
            .insert(country);
        self
    }

    /// Units contributed by the members of `region` on the query's date.
    pub fn from_region(mut self, region: RegionId) -> Self {
        self.contributors
            .get_or_insert_with(Places::default)
            .regions
            .insert(region);
        self
    }

    /// Units contributed by `alliance` as a whole or by its members on the query's date.
    pub fn from_alliance(mut self, alliance: AllianceId) -> Self {
        self.contributors
            .get_or_insert_with(Places::default)
            .alliances
            .insert(alliance);
        self
    }

    /// Deployments on `footing`.
    pub fn on_footing(mut self, footing: Footing) -> Self {
        self.footings
            .get_or_insert_with(BTreeSet::new)
            .insert(footing);
        self
    }

    /// Units of `kind`.
    pub fn of_kind(mut self, kind: UnitKind) -> Self {
        self.kinds.get_or_insert_with(BTreeSet::new).insert(kind);
        self
    }

    /// `unit` and its subunits.
    pub fn unit(mut self, unit: UnitId) -> Self {
        self.units.get_or_insert_with(BTreeSet::new).insert(unit);
        self
    }

    /// This scope with its footing filter replaced by `footing` alone: the
    /// part of the scope on that footing, when the filter allows it.
    pub(crate) fn only_footing(&self, footing: Footing) -> Scope {
        let mut out = self.clone();
        out.footings = Some(BTreeSet::from([footing]));
        out
    }

    /// This scope with its contributor filter replaced by `country` alone.
    pub(crate) fn only_contributor(&self, country: Country) -> Scope {
        let mut out = self.clone();
        out.contributors = Some(Places {
            countries: BTreeSet::from([country]),
            ..Places::default()
        });
        out
    }

    /// This scope with its host filter replaced by `country` alone.
    pub(crate) fn only_host(&self, country: Country) -> Scope {
        let mut out = self.clone();
        out.hosts = Some(Places {
            countries: BTreeSet::from([country]),
            ..Places::default()
        });
        out
    }

    /// This scope with its unit-kind filter replaced by `kind` alone.
    pub(crate) fn only_kind(&self, kind: UnitKind) -> Scope {
        let mut out = self.clone();
        out.kinds = Some(BTreeSet::from([kind]));
        out
    }

    /// The host filter, if any.
    pub fn hosts(&self) -> Option<&Places> {
        self.hosts.as_ref()
    }

    /// The contributor filter, if any.
    pub fn contributors(&self) -> Option<&Places> {
        self.contributors.as_ref()
    }

    /// The base filter, if any.
    pub fn bases(&self) -> Option<&BTreeSet<BaseId>> {
        self.bases.as_ref()
    }

    /// The footing filter, if any.
    pub fn footings(&self) -> Option<&BTreeSet<Footing>> {
        self.footings.as_ref()
    }

    /// The unit-kind filter, if any.
    pub fn kinds(&self) -> Option<&BTreeSet<UnitKind>> {
        self.kinds.as_ref()
    }

    /// The unit filter, if any.
    pub fn units(&self) -> Option<&BTreeSet<UnitId>> {
        self.units.as_ref()
    }
}

impl Scope {
    /// Reads a scope written as terms `key:value[,value…]` separated by spaces,
    /// resolving names against `names`, usually a [`Ledger`](crate::Ledger):
    ///
    /// | key | filter | values |
    /// |---|---|---|
    /// | `in` | host | country codes, region ids, alliance ids |
    /// | `from` | contributor | country codes, region ids, alliance ids |
    /// | `at` | base | base ids |
    /// | `footing` | footing | `permanent`, `rotational`, `high_readiness`, `requested`, `pledged` |
    /// | `kind` | unit kind | `headquarters`, `battlegroup`, `land`, `squadron`, `ship`, … |
    /// | `unit` | unit and subunits | unit ids |
    ///
    /// An empty text, or `all`, is the scope that covers everything.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`](crate::Error::InvalidName) for a term without a known key;
    /// [`Error::Unknown`](crate::Error::Unknown) for a name the ledger does not know; the parse errors
    /// of [`Country`], [`Footing`] and [`UnitKind`].
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::{scenario, AllianceId, RegionId, Scope};
    ///
    /// let ledger = scenario::madrid_2022()?.into_ledger();
    /// let scope = Scope::parse("from:NATO in:baltic-states", &ledger)?;
    /// let same = Scope::all()
    ///     .from_alliance(AllianceId::new("NATO")?)
    ///     .in_region(RegionId::new("baltic-states")?);
    /// assert_eq!(scope, same);
    /// # Ok::<(), posture_ledger::Error>(())
    /// ```
    pub fn parse(text: &str, names: &impl Names) -> crate::Result<Scope> {
        use crate::error::{Error, RecordKind};
        let mut scope = Scope::all();
        for term in text.split_whitespace().filter(|t| *t != "all") {
            let Some((key, values)) = term.split_once(':') else {
                return Err(bad_term(term));
            };
            if values.split(',').all(str::is_empty) {
                // `in:` alone would otherwise widen the scope to everything.
                return Err(bad_term(term));
            }
            for value in values.split(',').filter(|v| !v.is_empty()) {
                scope = match key {
                    "in" | "from" => {
                        let place = if let Some(c) = names.country(value) {
                            Place::Country(c)
                        } else if names.region_name(&RegionId::new(value)?).is_some() {
                            Place::Region(RegionId::new(value)?)
                        } else if names.alliance_label(&AllianceId::new(value)?).is_some() {
                            Place::Alliance(AllianceId::new(value)?)
                        } else {
                            return Err(Error::Unknown {
                                kind: RecordKind::Region,
                                id: format!("{value} (not a country code, region or alliance)"),
                            });
                        };
                        match (key, place) {
                            ("in", Place::Country(c)) => scope.in_country(c),
                            ("in", Place::Region(r)) => scope.in_region(r),
                            ("in", Place::Alliance(a)) => scope.in_alliance(a),
                            (_, Place::Country(c)) => scope.from_country(c),
                            (_, Place::Region(r)) => scope.from_region(r),
                            (_, Place::Alliance(a)) => scope.from_alliance(a),
                        }
                    }
                    "at" => {
                        let base = BaseId::new(value)?;
                        if !names.has_base(&base) {
                            return Err(Error::unknown(RecordKind::Base, value));
                        }
                        scope.at_base(base)
                    }
                    "unit" => {
                        let unit = UnitId::new(value)?;
                        if !names.has_unit(&unit) {
                            return Err(Error::unknown(RecordKind::Unit, value));
                        }
                        scope.unit(unit)
                    }
                    "footing" => scope.on_footing(value.parse()?),
                    "kind" => scope.of_kind(value.parse()?),
                    _ => return Err(bad_term(term)),
                };
            }
        }
        Ok(scope)
    }
}

/// The ids a scope's text may name that only a register of them can tell
/// apart from a typo — countries' user-assigned codes, regions, alliances,
/// bases and units — and the names a scope is written in for people. What
/// [`Scope::parse`] and [`Scope::named`] need to know, rather than a whole
/// [`Ledger`](crate::Ledger), which is the usual one.
pub trait Names {
    /// The country whose code `text` is, in any case, if records may name
    /// it: an assigned code, `XKX`, or a user-assigned code declared.
    fn country(&self, text: &str) -> Option<Country>;

    /// The name of the region with this id, if there is one.
    fn region_name(&self, id: &RegionId) -> Option<&str>;

    /// What people read for the alliance with this id, if there is one:
    /// its [label](crate::Alliance::label).
    fn alliance_label(&self, id: &AllianceId) -> Option<&str>;

    /// Whether a base has this id.
    fn has_base(&self, id: &BaseId) -> bool;

    /// Whether a unit has this id.
    fn has_unit(&self, id: &UnitId) -> bool;
}

enum Place {
    Country(Country),
    Region(RegionId),
    Alliance(AllianceId),
}

fn bad_term(term: &str) -> crate::Error {
    crate::Error::InvalidName {
        what: "scope term",
        text: term.to_string(),
        expected: "`in:…`, `from:…`, `at:…`, `footing:…`, `kind:…` or `unit:…`",
    }
}

/// A short description: `NATO in baltic-states`, `USA at rota`, `GBR in EST, rotational`.
impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words(None))
    }
}

/// A scope as people read it: see [`Scope::named`].
#[derive(Clone, Copy)]
pub struct NamedScope<'a> {
    scope: &'a Scope,
    names: &'a dyn Names,
}

impl fmt::Debug for NamedScope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("NamedScope")
            .field(&self.to_string())
            .finish()
    }
}

impl fmt::Display for NamedScope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.scope.words(Some(self.names)))
    }
}

impl Scope {
    /// The scope in words, with its regions by their names in `names` (`in
    /// the Baltic states`) rather than their ids (`in baltic-states`, as
    /// [`Display`](fmt::Display) writes them), and its alliances by their
    /// [labels](crate::Alliance::label): what tables for people print.
    ///
    /// ```
    /// use posture_ledger::{scenario, Scope};
    ///
    /// let ledger = scenario::madrid_2022()?.into_ledger();
    /// let scope = Scope::parse("in:baltic-states", &ledger)?;
    /// assert_eq!(scope.to_string(), "in baltic-states");
    /// assert_eq!(scope.named(&ledger).to_string(), "in the Baltic states");
    /// # Ok::<(), posture_ledger::Error>(())
    /// ```
    pub fn named<'a>(&'a self, names: &'a impl Names) -> NamedScope<'a> {
        NamedScope { scope: self, names }
    }

    pub(crate) fn words(&self, names: Option<&dyn Names>) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(units) = &self.units {
            parts.push(join(units));
        }
        if let Some(c) = &self.contributors {
            parts.push(c.words(names));
        }
        if let Some(h) = &self.hosts {
            parts.push(format!("in {}", h.words(names)));
        }
        if let Some(b) = &self.bases {
            parts.push(format!("at {}", join(b)));
        }
        let mut out = if parts.is_empty() {
            "everything".to_string()
        } else {
            parts.join(" ")
        };
        for extra in [
            self.footings.as_ref().map(join),
            self.kinds.as_ref().map(join),
        ]
        .into_iter()
        .flatten()
        {
            out.push_str(", ");
            out.push_str(&extra);
        }
        out
    }
}

fn join<T: fmt::Display>(set: &BTreeSet<T>) -> String {
    set.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("+")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{scenario, Error};

    #[test]
    fn scopes_parse_against_the_ledger() {
        let l = scenario::madrid_2022().unwrap().into_ledger();
        let s = Scope::parse("from:USA at:rota footing:permanent kind:ship", &l).unwrap();
        assert_eq!(s.to_string(), "USA at rota, permanent, ship");
        assert_eq!(Scope::parse("", &l).unwrap(), Scope::all());
        assert_eq!(Scope::parse("all", &l).unwrap(), Scope::all());
        let s = Scope::parse("in:EST,LVA from:NATO unit:nato-efp", &l).unwrap();
        assert_eq!(s.hosts().map(|h| h.countries.len()), Some(2));
        for bad in ["in:atlantis", "at:nowhere", "unit:ghost"] {
            assert!(
                matches!(Scope::parse(bad, &l), Err(Error::Unknown { .. })),
                "{bad}"
            );
        }
        for bad in [
            "host:EST",
            "EST",
            "footing:sometimes",
            "kind:blimp",
            "in:",
            "from:,",
        ] {
            assert!(
                matches!(Scope::parse(bad, &l), Err(Error::InvalidName { .. })),
                "{bad}"
            );
        }
    }
}
