//! Where a unit stands and on what footing: [`Location`], [`Footing`], [`Deployment`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::base::BaseId;
use crate::country::{Country, RegionId};
use crate::enums::named_enum;
use crate::metric::Quantity;

/// Where a unit is deployed: at a base, in a host country, or, when a source
/// gives only a regional figure ("across Europe", "across their nations"), in a
/// region.
///
/// A deployment known only at region level counts in a host-country scope only
/// when the whole region lies inside it: 4,000 troops "in the Baltic states"
/// count towards the Baltic states and Europe, never towards Estonia alone.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "LocationFields")]
pub enum Location {
    /// At a base (and so in the base's host country).
    Base(BaseId),
    /// Somewhere in a host country.
    Country(Country),
    /// Somewhere in a region, split between its countries in a way the source does not give.
    Region(RegionId),
}

/// A location as a file writes it: a table with one of `base`, `country` and
/// `region`. Read through this rather than as serde's externally tagged enum,
/// so that an extra key is refused by name.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocationFields {
    #[serde(default)]
    base: Option<BaseId>,
    #[serde(default)]
    country: Option<Country>,
    #[serde(default)]
    region: Option<RegionId>,
}

impl TryFrom<LocationFields> for Location {
    type Error = &'static str;
    fn try_from(l: LocationFields) -> Result<Location, &'static str> {
        match (l.base, l.country, l.region) {
            (Some(b), None, None) => Ok(Location::Base(b)),
            (None, Some(c), None) => Ok(Location::Country(c)),
            (None, None, Some(r)) => Ok(Location::Region(r)),
            (None, None, None) => Err("expected one of `base`, `country`, `region`"),
            _ => Err("expected only one of `base`, `country`, `region`"),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Base(b) => write!(f, "base {b}"),
            Location::Country(c) => write!(f, "{c}"),
            Location::Region(r) => write!(f, "region {r}"),
        }
    }
}

/// On what footing a unit is deployed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Footing {
    /// Permanently stationed.
    Permanent,
    /// Deployed on rotation.
    Rotational,
    /// On high alert, ready to deploy, not deployed.
    HighReadiness,
    /// Requested by a host, not granted.
    Requested,
    /// Pledged by a contributor, not yet in place.
    Pledged,
}

named_enum!(Footing, "footing", {
    Permanent => "permanent",
    Rotational => "rotational",
    HighReadiness => "high_readiness",
    Requested => "requested",
    Pledged => "pledged",
});

/// A unit's deployment on a date: where, on what footing, with what strength.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    /// Where the unit is.
    pub location: Location,
    /// On what footing.
    pub footing: Footing,
    /// The unit's own strength, one quantity per metric, subunits excluded.
    pub strength: Vec<Quantity>,
}
