//! Bases: named locations in a host country.

use serde::{Deserialize, Serialize};

use crate::country::Country;
use crate::error::RecordKind;
use crate::id::define_id;

define_id!(
    /// The id of a [`Base`], such as `rota`.
    BaseId,
    RecordKind::Base
);

/// A named location in a host country: Naval Station Rota, Spain.
///
/// # Example
///
/// ```
/// use posture_ledger::{Base, BaseId, Country};
///
/// let rota = Base::new(BaseId::new("rota")?, "Naval Station Rota", Country::new("ESP")?);
/// assert_eq!(rota.host().code(), "ESP");
/// # Ok::<(), posture_ledger::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Base {
    id: BaseId,
    name: String,
    host: Country,
}

impl Base {
    /// A base named `name` in `host`.
    pub fn new(id: BaseId, name: impl Into<String>, host: Country) -> Self {
        Base {
            id,
            name: name.into(),
            host,
        }
    }

    /// The id.
    pub fn id(&self) -> &BaseId {
        &self.id
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The host country.
    pub fn host(&self) -> Country {
        self.host
    }
}
