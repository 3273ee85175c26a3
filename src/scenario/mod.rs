//! Scenario files and the bundled Madrid 2022 scenario.
//!
//! A scenario is a TOML document with one table array per kind of record:
//! `[[regions]]`, `[[alliances]]`, `[[bases]]`, `[[units]]`, `[[layers]]` and
//! `[[events]]`, plus a `[scenario]` table that names it. The bundled
//! [`madrid_2022`] scenario, in `src/scenario/madrid-2022.toml`, is annotated
//! and serves as the format's reference.

use serde::{Deserialize, Serialize};

use crate::base::Base;
use crate::claim::Claim;
use crate::country::{Alliance, Region};
use crate::error::Result;
use crate::event::{Event, Layer};
use crate::ledger::Ledger;
use crate::unit::Unit;

/// The bundled scenario's text.
pub const MADRID_2022: &str = include_str!("madrid-2022.toml");

/// A scenario file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ScenarioError {
    /// The file's name, as given to the loader.
    pub file: String,
    /// The line, counting from 1.
    pub line: usize,
    /// The column, counting from 1, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// A loaded scenario: its name and description, and the ledger it builds.
#[derive(Clone, Debug)]
pub struct Scenario {
    name: String,
    description: String,
    ledger: Ledger,
    claims: Vec<Claim>,
}

impl Scenario {
    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the scenario holds, in a sentence or two.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The ledger the scenario builds.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The scenario's claims, to check against the ledger.
    pub fn claims(&self) -> &[Claim] {
        &self.claims
    }

    /// The ledger, by value.
    pub fn into_ledger(self) -> Ledger {
        self.ledger
    }

    /// Reads a scenario from TOML text; `file` names it in error messages.
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`](crate::Error::Scenario) with the line and column for
    /// text that is not a scenario; [`Error::InvalidRecord`](crate::Error::InvalidRecord)
    /// naming the record and field for a record the ledger refuses or a claim
    /// that is not well formed.
    pub fn from_toml(text: &str, file: &str) -> Result<Scenario> {
        let parsed: File = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_and_column(text, span.start));
            ScenarioError {
                file: file.to_string(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        let mut ledger = Ledger::new();
        for r in parsed.regions {
            ledger.add_region(r)?;
        }
        for a in parsed.alliances {
            ledger.add_alliance(a)?;
        }
        for b in parsed.bases {
            ledger.add_base(b)?;
        }
        for u in parsed.units {
            ledger.add_unit(u)?;
        }
        for l in parsed.layers {
            ledger.add_layer(l)?;
        }
        ledger.apply_batch(parsed.events)?;
        crate::check::validate(&ledger, &parsed.claims, &crate::TolerancePolicy::default())?;
        Ok(Scenario {
            name: parsed.scenario.name,
            description: parsed.scenario.description,
            ledger,
            claims: parsed.claims,
        })
    }
}

/// The Madrid 2022 scenario: the posture facts and events of a report from day
/// two of NATO's Madrid summit (2022-06-29), each citing its line.
///
/// # Errors
///
/// None in practice: the bundled file is checked by this crate's tests.
///
/// # Example
///
/// ```
/// use posture_ledger::{scenario, Country, Metric, Scope};
///
/// let ledger = scenario::madrid_2022()?.into_ledger();
/// let uk_in_estonia = Scope::all().from_country(Country::new("GBR")?).in_country(Country::new("EST")?);
/// let troops = ledger.total(&uk_in_estonia, &Metric::PERSONNEL, "2022-06-29".parse()?)?;
/// assert_eq!(troops.get(), 1_650);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn madrid_2022() -> Result<Scenario> {
    Scenario::from_toml(MADRID_2022, "madrid-2022.toml")
}

/// The whole file, as serde sees it.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct File {
    scenario: Meta,
    #[serde(default)]
    regions: Vec<Region>,
    #[serde(default)]
    alliances: Vec<Alliance>,
    #[serde(default)]
    bases: Vec<Base>,
    #[serde(default)]
    units: Vec<Unit>,
    #[serde(default)]
    layers: Vec<Layer>,
    #[serde(default)]
    events: Vec<Event>,
    #[serde(default)]
    claims: Vec<Claim>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    name: String,
    #[serde(default)]
    description: String,
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn the_bundled_scenario_loads() {
        let s = madrid_2022().unwrap();
        assert_eq!(s.name(), "Madrid 2022");
        assert!(s.ledger().events().len() > 10);
    }

    #[test]
    fn a_syntax_error_names_the_line_and_column() {
        let text = "[scenario]\nname = \"x\"\n[[units]]\nid = \n";
        let Err(Error::Scenario(e)) = Scenario::from_toml(text, "broken.toml") else {
            panic!("expected a scenario error");
        };
        assert_eq!((e.file.as_str(), e.line), ("broken.toml", 4));
        assert!(e.to_string().starts_with("broken.toml:4:"), "{e}");
    }

    #[test]
    fn a_refused_record_is_named() {
        let text = "[scenario]\nname = \"x\"\n[[events]]\nid = \"e1\"\nunit = \"ghost\"\neffective = \"2022-01-01\"\nkind = \"withdraw\"\n";
        let err = Scenario::from_toml(text, "f.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "event `e1`: field `unit`: unknown unit `ghost`"
        );
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_and_column("ab\ncdé\nx", 7), (2, 4));
        assert_eq!(line_and_column("", 0), (1, 1));
    }
}
