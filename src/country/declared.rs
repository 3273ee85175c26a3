//! The countries a ledger is told of: user-assigned codes it takes, with
//! their names, and other names people write for any country.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::Country;
use crate::error::{Error, Problem, RecordKind, Result};

/// A country declared to a ledger (a scenario file's `[[countries]]`): a
/// user-assigned code and its name, which the ledger then takes, or any
/// code with other names that tables write for it, which imports then read.
///
/// ```
/// use posture_ledger::{Country, CountryRecord, Ledger};
///
/// let mut ledger = Ledger::new();
/// let xsl = Country::user_assigned("XSL")?;
/// ledger.add_country(CountryRecord::new(xsl, "Somaliland").with_aliases(["Republic of Somaliland"]))?;
/// ledger.add_country(CountryRecord::new(Country::new("GBR")?, "").with_aliases(["Great Britain & NI"]))?;
/// assert_eq!(ledger.country_named("republic of somaliland"), Some(xsl));
/// assert_eq!(ledger.country_named("Great Britain & NI"), Some(Country::new("GBR")?));
/// assert_eq!(ledger.country_named("Latvia"), Some(Country::new("LVA")?));
/// # Ok::<(), posture_ledger::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryRecord {
    code: Country,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
}

impl CountryRecord {
    /// The country `code`, called `name`: required for a user-assigned
    /// code; for an assigned one, empty keeps its ISO 3166-1 name.
    pub fn new(code: Country, name: impl Into<String>) -> Self {
        CountryRecord {
            code,
            name: name.into(),
            aliases: Vec::new(),
        }
    }

    /// Other names tables write for the country.
    #[must_use]
    pub fn with_aliases(mut self, aliases: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.aliases.extend(aliases.into_iter().map(Into::into));
        self
    }

    /// The code.
    pub fn code(&self) -> Country {
        self.code
    }

    /// The name, empty where an assigned code keeps its own.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The other names.
    pub fn aliases(&self) -> &[String] {
        &self.aliases
    }

    fn error(&self, field: &'static str, problem: Problem) -> Error {
        Error::InvalidRecord {
            kind: RecordKind::Country,
            id: self.code.to_string(),
            field,
            problem,
        }
    }
}

/// Kosovo's user-assigned code, which every ledger knows.
const KOSOVO: Country = Country(*b"XKX");

/// A ledger's declared countries, and every name they add, folded to
/// lowercase.
#[derive(Clone, Debug, Default)]
pub(crate) struct Countries {
    records: BTreeMap<Country, CountryRecord>,
    names: HashMap<String, Country>,
}

impl Countries {
    /// Declares a country, or refuses it and changes nothing.
    pub(crate) fn declare(&mut self, record: CountryRecord) -> Result<()> {
        let code = record.code;
        if self.records.contains_key(&code) {
            return Err(record.error("code", Problem::Duplicate));
        }
        if code.is_user_assigned() && code != KOSOVO && record.name.trim().is_empty() {
            return Err(record.error("name", Problem::Empty));
        }
        let mut added: Vec<String> = Vec::new();
        for (field, name) in std::iter::once(("name", &record.name))
            .chain(record.aliases.iter().map(|a| ("aliases", a)))
            .filter(|(_, n)| !n.trim().is_empty())
        {
            let folded = name.trim().to_lowercase();
            if let Some(other) = self.named(name).filter(|&c| c != code) {
                return Err(record.error(
                    field,
                    Problem::NameTaken {
                        name: name.trim().to_string(),
                        country: other,
                    },
                ));
            }
            added.push(folded);
        }
        // Nothing can fail from here on.
        for folded in added {
            self.names.insert(folded, code);
        }
        self.records.insert(code, record);
        Ok(())
    }

    /// Whether a record may name `country`: an assigned code, `XKX`, or a
    /// declared user-assigned one.
    pub(crate) fn knows(&self, country: Country) -> bool {
        !country.is_user_assigned() || country == KOSOVO || self.records.contains_key(&country)
    }

    /// The country whose code `text` is, in any case, if a record may name it.
    pub(crate) fn code(&self, text: &str) -> Option<Country> {
        Country::new(text)
            .or_else(|_| Country::user_assigned(text))
            .ok()
            .filter(|&c| self.knows(c))
    }

    /// The country `text` names: a code the ledger knows, a declared name or
    /// alias, or what [`Country::from_name`] reads, in any case.
    pub(crate) fn named(&self, text: &str) -> Option<Country> {
        let text = text.trim();
        if let Some(c) = self.code(text) {
            return Some(c);
        }
        self.names
            .get(&text.to_lowercase())
            .copied()
            .or_else(|| Country::from_name(text))
    }

    /// The name of `country`: the declared one, else its ISO 3166-1 name.
    pub(crate) fn name(&self, country: Country) -> &str {
        match self.records.get(&country) {
            Some(r) if !r.name.is_empty() => &r.name,
            _ => country.name(),
        }
    }

    /// The declared countries, in the order of their codes.
    pub(crate) fn records(&self) -> impl Iterator<Item = &CountryRecord> {
        self.records.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: &str) -> Country {
        Country::new(code)
            .or_else(|_| Country::user_assigned(code))
            .expect("a code")
    }

    #[test]
    fn a_user_assigned_code_is_known_once_declared() {
        let mut countries = Countries::default();
        assert!(!countries.knows(c("XSL")));
        assert!(
            countries.knows(c("XKX")),
            "Kosovo is known without a record"
        );
        assert!(countries.knows(c("EST")));
        countries
            .declare(CountryRecord::new(c("XSL"), "Somaliland"))
            .expect("declared");
        assert!(countries.knows(c("XSL")));
        assert_eq!(countries.name(c("XSL")), "Somaliland");
        assert_eq!(countries.named("somaliland"), Some(c("XSL")));
        assert_eq!(countries.named("xsl"), Some(c("XSL")));
        assert_eq!(countries.named("XQQ"), None);
    }

    #[test]
    fn a_refused_record_changes_nothing() {
        let mut countries = Countries::default();
        let nameless = countries.declare(CountryRecord::new(c("XSL"), " "));
        assert!(
            matches!(
                &nameless,
                Err(Error::InvalidRecord {
                    field: "name",
                    problem: Problem::Empty,
                    ..
                })
            ),
            "{nameless:?}"
        );
        let taken =
            countries.declare(CountryRecord::new(c("XSL"), "Somaliland").with_aliases(["Latvia"]));
        assert!(
            matches!(
                &taken,
                Err(Error::InvalidRecord {
                    field: "aliases",
                    problem: Problem::NameTaken { .. },
                    ..
                })
            ),
            "{taken:?}"
        );
        assert!(!countries.knows(c("XSL")));
        assert_eq!(
            countries.named("Somaliland"),
            None,
            "no name of a refused record stays"
        );
        countries
            .declare(CountryRecord::new(c("XSL"), "Somaliland"))
            .expect("declared");
        let twice = countries.declare(CountryRecord::new(c("XSL"), "Somaliland"));
        assert!(
            matches!(
                &twice,
                Err(Error::InvalidRecord {
                    field: "code",
                    problem: Problem::Duplicate,
                    ..
                })
            ),
            "{twice:?}"
        );
    }

    #[test]
    fn a_ledger_refuses_every_record_naming_an_undeclared_code() {
        use crate::{Base, BaseId, Contributor, Ledger, Region, RegionId, Unit, UnitId, UnitKind};
        let xsl = c("XSL");
        let mut l = Ledger::new();
        let region =
            || Region::new(RegionId::new("horn").unwrap(), "Horn of Africa").with_members([xsl]);
        let base = || Base::new(BaseId::new("berbera").unwrap(), "Berbera", xsl);
        let unit = || {
            Unit::new(
                UnitId::new("sl").unwrap(),
                "SL",
                Contributor::Country(xsl),
                UnitKind::Land,
            )
        };
        let refused = |e: Error, field: &str| match e {
            Error::InvalidRecord {
                field: f,
                problem:
                    Problem::UnknownReference {
                        kind: RecordKind::Country,
                        id,
                    },
                ..
            } => {
                assert_eq!((f, id.as_str()), (field, "XSL"));
            }
            other => panic!("{other}"),
        };
        refused(l.add_region(region()).unwrap_err(), "members");
        refused(l.add_base(base()).unwrap_err(), "host");
        refused(l.add_unit(unit()).unwrap_err(), "contributor");
        assert!(l.regions().is_empty() && l.bases().is_empty() && l.units().next().is_none());
        l.add_country(CountryRecord::new(xsl, "Somaliland"))
            .unwrap();
        l.add_region(region()).unwrap();
        l.add_base(base()).unwrap();
        l.add_unit(unit()).unwrap();
    }

    #[test]
    fn an_alias_of_an_assigned_code_is_read_and_its_name_kept() {
        let mut countries = Countries::default();
        countries
            .declare(CountryRecord::new(c("GBR"), "").with_aliases(["Great Britain & NI"]))
            .expect("declared");
        assert_eq!(countries.named("great britain & ni"), Some(c("GBR")));
        assert_eq!(countries.name(c("GBR")), c("GBR").name());
    }
}
