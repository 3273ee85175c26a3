//! Units: formations with a contributor, a kind, an echelon and an optional parent.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::country::{AllianceId, Country};
use crate::enums::named_enum;
use crate::error::{Error, Problem, RecordKind, Result};
use crate::id::define_id;
use crate::metric::Metric;

define_id!(
    /// The id of a [`Unit`], such as `v-corps-fwd`.
    UnitId,
    RecordKind::Unit,
    // Every event names its unit: copies of the id share one allocation, and
    // the ledger gives each event it records its unit's own copy.
    std::sync::Arc<str>
);

impl UnitId {
    /// Whether the two are the same copy, not merely equal.
    pub(crate) fn shares(&self, other: &UnitId) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }

    /// Where this copy's text lives: the same for every copy that
    /// [shares](UnitId::shares) it, while any of them lives.
    pub(crate) fn addr(&self) -> usize {
        std::sync::Arc::as_ptr(&self.0).cast::<u8>() as usize
    }
}

/// Who provides a unit: a country, or an alliance for a multinational formation
/// reported as a whole ("NATO had some 3,700 soldiers" in the Baltic states).
///
/// Written as the country code (`GBR`) or the alliance id (`NATO`); alliance ids
/// are never country codes, so the two cannot be confused.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Contributor {
    /// A national contribution.
    Country(Country),
    /// A multinational contribution, reported for the alliance as a whole.
    Alliance(AllianceId),
}

impl fmt::Display for Contributor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Contributor::Country(c) => fmt::Display::fmt(c, f),
            Contributor::Alliance(a) => fmt::Display::fmt(a, f),
        }
    }
}

impl fmt::Debug for Contributor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Contributor({self})")
    }
}

impl FromStr for Contributor {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        // A user-assigned code is a country's, whether or not the ledger
        // that takes it knows it: the ledger says which it does not.
        match Country::new(s).or_else(|_| Country::user_assigned(s)) {
            Ok(c) => Ok(Contributor::Country(c)),
            Err(_) => AllianceId::new(s).map(Contributor::Alliance),
        }
    }
}

impl TryFrom<String> for Contributor {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<Contributor> for String {
    fn from(c: Contributor) -> String {
        c.to_string()
    }
}

impl From<Country> for Contributor {
    fn from(c: Country) -> Self {
        Contributor::Country(c)
    }
}

impl From<AllianceId> for Contributor {
    fn from(a: AllianceId) -> Self {
        Contributor::Alliance(a)
    }
}

/// What a unit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// A headquarters.
    Headquarters,
    /// A multinational or national battlegroup.
    Battlegroup,
    /// A land formation: brigade, division and the like.
    Land,
    /// A flying squadron.
    Squadron,
    /// A ship, or ships counted together.
    Ship,
    /// Air and missile defence.
    AirDefence,
    /// A national contingent reported as one figure, whatever its make-up.
    Contingent,
    /// Anything else.
    Other,
}

named_enum!(UnitKind, "unit kind", {
    Headquarters => "headquarters",
    Battlegroup => "battlegroup",
    Land => "land",
    Squadron => "squadron",
    Ship => "ship",
    AirDefence => "air_defence",
    Contingent => "contingent",
    Other => "other",
});

/// A unit's size in the chain of command, smallest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Echelon {
    /// A company, battery or troop.
    Company,
    /// A battalion or air squadron.
    Battalion,
    /// A regiment or group.
    Regiment,
    /// A brigade or air wing.
    Brigade,
    /// A division.
    Division,
    /// A corps.
    Corps,
    /// A field army.
    Army,
    /// A theatre command.
    Theatre,
}

named_enum!(Echelon, "echelon", {
    Company => "company",
    Battalion => "battalion",
    Regiment => "regiment",
    Brigade => "brigade",
    Division => "division",
    Corps => "corps",
    Army => "army",
    Theatre => "theatre",
});

/// A formation: a contributor, a kind, an echelon, an optional parent, the
/// metrics it is counted in, and optionally the date it was formed.
///
/// A unit's strength is recorded by events in the [`Ledger`](crate::Ledger).
/// Changes (reinforce, reduce) are the unit's own; levels (deploy, set level)
/// are observed for the unit *with* its subunits, as a balance assertion on a
/// parent account includes its sub-accounts in plain-text accounting.
///
/// # Example
///
/// ```
/// use posture_ledger::{Country, Echelon, Metric, Unit, UnitId, UnitKind};
///
/// let hq = Unit::new(
///     UnitId::new("v-corps-fwd")?,
///     "U.S. Army V Corps forward headquarters",
///     Country::new("USA")?,
///     UnitKind::Headquarters,
/// )
/// .with_echelon(Echelon::Corps)
/// .with_metrics([Metric::HEADQUARTERS, Metric::PERSONNEL]);
/// assert!(hq.counts(&Metric::HEADQUARTERS));
/// # Ok::<(), posture_ledger::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    id: UnitId,
    name: String,
    contributor: Contributor,
    kind: UnitKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    echelon: Option<Echelon>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent: Option<UnitId>,
    #[serde(default = "default_metrics")]
    metrics: Vec<Metric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    formed: Option<NaiveDate>,
}

fn default_metrics() -> Vec<Metric> {
    vec![Metric::PERSONNEL]
}

impl Unit {
    /// A unit counted in personnel, with no echelon, parent or formation date.
    pub fn new(
        id: UnitId,
        name: impl Into<String>,
        contributor: impl Into<Contributor>,
        kind: UnitKind,
    ) -> Self {
        Unit {
            id,
            name: name.into(),
            contributor: contributor.into(),
            kind,
            echelon: None,
            parent: None,
            metrics: default_metrics(),
            formed: None,
        }
    }

    /// Sets the echelon.
    pub fn with_echelon(mut self, echelon: Echelon) -> Self {
        self.echelon = Some(echelon);
        self
    }

    /// Makes the unit a subunit of `parent`, which must be added to the ledger first.
    pub fn with_parent(mut self, parent: UnitId) -> Self {
        self.parent = Some(parent);
        self
    }

    /// Sets the metrics the unit is counted in (personnel by default).
    pub fn with_metrics(mut self, metrics: impl IntoIterator<Item = Metric>) -> Self {
        self.metrics = metrics.into_iter().collect();
        self.metrics.sort();
        self.metrics.dedup();
        self
    }

    /// Sets the date the unit was formed: no event may take effect before it.
    pub fn with_formed(mut self, formed: NaiveDate) -> Self {
        self.formed = Some(formed);
        self
    }

    /// The id.
    pub fn id(&self) -> &UnitId {
        &self.id
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Who provides it.
    pub fn contributor(&self) -> &Contributor {
        &self.contributor
    }

    /// What it is.
    pub fn kind(&self) -> UnitKind {
        self.kind
    }

    /// Its echelon, if known.
    pub fn echelon(&self) -> Option<Echelon> {
        self.echelon
    }

    /// Its parent unit, if any.
    pub fn parent(&self) -> Option<&UnitId> {
        self.parent.as_ref()
    }

    /// The metrics it is counted in.
    pub fn metrics(&self) -> &[Metric] {
        &self.metrics
    }

    /// Whether it is counted in `metric`.
    pub fn counts(&self, metric: &Metric) -> bool {
        self.metrics.contains(metric)
    }

    /// The date it was formed, if known.
    pub fn formed(&self) -> Option<NaiveDate> {
        self.formed
    }

    pub(crate) fn error(&self, field: &'static str, problem: Problem) -> Error {
        Error::InvalidRecord {
            kind: RecordKind::Unit,
            id: self.id.to_string(),
            field,
            problem,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contributors_parse_as_country_or_alliance() {
        assert_eq!(
            "GBR".parse::<Contributor>().unwrap(),
            Contributor::Country(Country::new("GBR").unwrap())
        );
        assert_eq!(
            "NATO".parse::<Contributor>().unwrap(),
            Contributor::Alliance(AllianceId::new("NATO").unwrap())
        );
        assert!("not an id".parse::<Contributor>().is_err());
    }

    #[test]
    fn kinds_and_echelons_round_trip_through_their_names() {
        for k in UnitKind::ALL {
            assert_eq!(k.to_string().parse::<UnitKind>().unwrap(), *k);
        }
        for e in Echelon::ALL {
            assert_eq!(e.to_string().parse::<Echelon>().unwrap(), *e);
        }
        assert!(matches!(
            "wing".parse::<Echelon>(),
            Err(Error::InvalidName { .. })
        ));
    }
}
