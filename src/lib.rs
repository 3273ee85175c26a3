#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod base;
#[cfg(feature = "chart")]
pub mod chart;
mod check;
pub mod claim;
mod correction;
mod country;
mod deployment;
mod enums;
mod error;
mod event;
mod hash;
mod id;
#[cfg(feature = "csv")]
pub mod import;
mod index;
pub mod interval;
mod ledger;
mod metric;
mod number;
pub mod phrase;
pub mod qualifier;
mod register;
pub mod scenario;
mod scope;
mod suggest;
mod total;
mod unit;
mod view;

pub use base::{Base, BaseId};
pub use check::{Caveat, CheckOptions, Evidence, Finding, Report, Rule, Verdict};
pub use claim::{AsOf, Change, Claim, ClaimId, Delta, Direction, Figure, Statement, Subject};
pub use correction::{Amendment, Correction};
pub use country::{
    Alliance, AllianceId, AllianceMember, Country, CountryRecord, MembershipStatus, Period, Region,
    RegionId, RegionMember,
};
pub use deployment::{Deployment, Footing, Location};
pub use error::{Error, Problem, RecordKind, Result};
pub use event::{Document, Event, EventId, EventKind, Layer, LayerId, Source};
pub use interval::{Bound, Interval, IntervalError};
pub use ledger::{EventIter, EventRef, Events, Ledger};
pub use metric::{Count, Metric, Quantity};
pub use qualifier::{Approximation, Qualifier, QualifierError, TolerancePolicy};
pub use register::{Entry, Listing, Register};
pub use scope::{NamedScope, Names, Places, Scope};
pub use total::Total;
pub use unit::{Contributor, Echelon, Unit, UnitId, UnitKind};
pub use view::{Comparison, View};
