//! Scenario files and the bundled Madrid 2022 scenario.
//!
//! A scenario is a document with one list per kind of record — `regions`,
//! `alliances`, `bases`, `units`, `layers`, `events`, `claims` — and a
//! `scenario` table that names it. People write it in TOML; programs may use
//! JSON (with the `json` feature, on by default) with the same shape. The
//! bundled [`madrid_2022`] scenario, `src/scenario/madrid-2022.toml`, is
//! annotated and is the format's reference; `docs/format.md` walks through it.
//!
//! Loading reports *every* problem, not just the first: syntax errors with the
//! file, line and column; records that do not read or that the ledger refuses
//! with the record's id and field, and its line in a TOML file. A file with
//! any error yields no scenario.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::base::Base;
use crate::claim::Claim;
use crate::correction::Correction;
use crate::country::{Alliance, Region};
use crate::error::{Error, RecordKind, Result};
use crate::event::{Event, Layer};
use crate::ledger::Ledger;
use crate::qualifier::TolerancePolicy;
use crate::unit::Unit;

/// The bundled scenario's text.
pub const MADRID_2022: &str = include_str!("madrid-2022.toml");

/// One problem found in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The file's name, as given to the loader.
    pub file: String,
    /// The line, counting from 1, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The column, counting from 1, in characters, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// What is wrong, naming the record and field where there is one.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            (Some(l), None) => write!(f, "{}:{l}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem found in a scenario file, in file order; never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioError {
    diagnostics: Vec<Diagnostic>,
}

impl ScenarioError {
    /// The problems, sorted into file order: problems without a line go last.
    pub(crate) fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by_key(|d| (d.line.is_none(), d.line, d.column));
        ScenarioError { diagnostics }
    }

    /// The problems, in the order found.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// The contents of a scenario file, as serde reads and writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioFile {
    /// The scenario's name and description.
    pub scenario: Meta,
    /// Regions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
    /// Alliances.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alliances: Vec<Alliance>,
    /// Bases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<Base>,
    /// Units, parents before their subunits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<Unit>,
    /// What-if layers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<Layer>,
    /// Events, in the order recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// Corrections of events, applied after every event, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    /// Claims.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
}

/// A scenario's name and description.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The name.
    pub name: String,
    /// What it holds, in a sentence or two.
    #[serde(default)]
    pub description: String,
}

/// A loaded scenario: its name and description, the ledger it builds, and its claims.
#[derive(Clone, Debug)]
pub struct Scenario {
    meta: Meta,
    ledger: Ledger,
    claims: Vec<Claim>,
}

impl Scenario {
    /// Builds a scenario from its contents, collecting every problem.
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`] listing every record the ledger refuses and every
    /// claim that is not well formed; `file` names the source in messages.
    pub fn from_file(contents: ScenarioFile, file: &str) -> Result<Scenario> {
        build(contents, diagnostics(file), &Lines::default())
    }

    /// Reads a scenario from TOML text; `file` names it in error messages.
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`] listing every problem: syntax errors with line and
    /// column, records that do not read or that the ledger refuses with their
    /// id, field and line.
    pub fn from_toml(text: &str, file: &str) -> Result<Scenario> {
        let (contents, lines, found) = read_toml(text, file)?;
        build(contents, found, &lines)
    }

    /// Reads a scenario from JSON text; `file` names it in error messages.
    ///
    /// # Errors
    ///
    /// As [`from_toml`](Scenario::from_toml); records are named by id and
    /// position rather than line.
    #[cfg(feature = "json")]
    pub fn from_json(text: &str, file: &str) -> Result<Scenario> {
        let (contents, found) = read_json(text, file)?;
        build(contents, found, &Lines::default())
    }

    /// Reads a scenario file: JSON if its name ends in `.json`, TOML otherwise.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read; otherwise as
    /// [`from_toml`](Scenario::from_toml).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Scenario> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        #[cfg(feature = "json")]
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            return Scenario::from_json(&text, &shown);
        }
        Scenario::from_toml(&text, &shown)
    }

    /// The scenario's contents, as a file holds them: loading them again gives
    /// back the same scenario.
    pub fn to_file(&self) -> ScenarioFile {
        ScenarioFile {
            scenario: self.meta.clone(),
            regions: self.ledger.regions().to_vec(),
            alliances: self.ledger.alliances().to_vec(),
            bases: self.ledger.bases().to_vec(),
            units: self.ledger.units().cloned().collect(),
            layers: self.ledger.layers().to_vec(),
            // A correction's replacement is written as the correction.
            events: self
                .ledger
                .events()
                .iter()
                .filter(|e| !self.ledger.is_replacement(e.id()))
                .cloned()
                .collect(),
            corrections: self.ledger.corrections().cloned().collect(),
            claims: self.claims.clone(),
        }
    }

    /// The scenario as TOML.
    ///
    /// # Errors
    ///
    /// [`Error::Internal`] if a value cannot be written, which would be a bug.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(&self.to_file()).map_err(|e| Error::Internal {
            detail: format!("writing TOML: {e}"),
        })
    }

    /// The scenario as pretty-printed JSON.
    ///
    /// # Errors
    ///
    /// [`Error::Internal`] if a value cannot be written, which would be a bug.
    #[cfg(feature = "json")]
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(&self.to_file()).map_err(|e| Error::Internal {
            detail: format!("writing JSON: {e}"),
        })
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.meta.name
    }

    /// What the scenario holds, in a sentence or two.
    pub fn description(&self) -> &str {
        &self.meta.description
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
}

/// The Madrid 2022 scenario: the posture facts, events and claims of a report
/// from day two of NATO's Madrid summit (2022-06-29), each citing its line.
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

/// Where each record starts in a TOML file, by kind and id.
#[derive(Default)]
struct Lines {
    at: HashMap<(RecordKind, String), (usize, usize)>,
}

impl Lines {
    fn of(&self, kind: RecordKind, id: &str) -> (Option<usize>, Option<usize>) {
        // Corrections share the events' ids, and the ledger names them as events.
        let found = self.at.get(&(kind, id.to_string())).or_else(|| match kind {
            RecordKind::Event => self.at.get(&(RecordKind::Correction, id.to_string())),
            _ => None,
        });
        found.map_or((None, None), |&(l, c)| (Some(l), Some(c)))
    }
}

fn diagnostics(file: &str) -> Diagnostics<'_> {
    Diagnostics {
        file,
        list: Vec::new(),
    }
}

/// Collects diagnostics for one file.
struct Diagnostics<'a> {
    file: &'a str,
    list: Vec<Diagnostic>,
}

impl Diagnostics<'_> {
    fn push(&mut self, line: Option<usize>, column: Option<usize>, message: impl Into<String>) {
        self.list.push(Diagnostic {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        });
    }

    /// Records a refusal from the ledger, placed at its record's line.
    fn refused(&mut self, error: &Error, lines: &Lines) {
        let (line, column) = match error {
            Error::InvalidRecord { kind, id, .. } => lines.of(*kind, id),
            _ => (None, None),
        };
        self.push(line, column, error.to_string());
    }

    fn finish(self) -> Result<()> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(Error::Scenario(ScenarioError::new(self.list)))
        }
    }
}

/// Builds the ledger and checks the claims, collecting every problem.
fn build(
    contents: ScenarioFile,
    mut diagnostics: Diagnostics<'_>,
    lines: &Lines,
) -> Result<Scenario> {
    let mut ledger = Ledger::new();
    let refuse = |r: Result<()>, d: &mut Diagnostics<'_>| {
        if let Err(e) = r {
            d.refused(&e, lines);
        }
    };
    for r in contents.regions {
        refuse(ledger.add_region(r), &mut diagnostics);
    }
    for a in contents.alliances {
        refuse(ledger.add_alliance(a), &mut diagnostics);
    }
    for b in contents.bases {
        refuse(ledger.add_base(b), &mut diagnostics);
    }
    for u in contents.units {
        refuse(ledger.add_unit(u), &mut diagnostics);
    }
    for l in contents.layers {
        refuse(ledger.add_layer(l), &mut diagnostics);
    }
    if let Err(first) = ledger.apply_batch(contents.events.iter().cloned()) {
        // The batch stops at the first problem; one event at a time finds them all.
        let mut each = ledger.clone();
        let mut found = 0;
        for e in contents.events {
            if let Err(err) = each.apply(e) {
                diagnostics.refused(&err, lines);
                found += 1;
            }
        }
        if found == 0 {
            diagnostics.refused(&first, lines);
        }
    }
    for c in contents.corrections {
        refuse(ledger.correct(c), &mut diagnostics);
    }
    let policy = TolerancePolicy::default();
    let mut ids = BTreeSet::new();
    for claim in &contents.claims {
        if !ids.insert(claim.id()) {
            diagnostics.refused(&claim.error("id", crate::Problem::Duplicate), lines);
        } else if let Err(e) = crate::check::validate(&ledger, std::slice::from_ref(claim), &policy)
        {
            diagnostics.refused(&e, lines);
        }
    }
    diagnostics.finish()?;
    Ok(Scenario {
        meta: contents.scenario,
        ledger,
        claims: contents.claims,
    })
}

/// The sections of a file, each record kept apart so one bad record does not
/// hide the next.
#[derive(Deserialize)]
#[serde(bound = "V: Deserialize<'de>")]
struct Sections<V> {
    scenario: Option<V>,
    #[serde(default)]
    regions: Vec<V>,
    #[serde(default)]
    alliances: Vec<V>,
    #[serde(default)]
    bases: Vec<V>,
    #[serde(default)]
    units: Vec<V>,
    #[serde(default)]
    layers: Vec<V>,
    #[serde(default)]
    events: Vec<V>,
    #[serde(default)]
    corrections: Vec<V>,
    #[serde(default)]
    claims: Vec<V>,
    #[serde(flatten)]
    unknown: std::collections::BTreeMap<String, serde::de::IgnoredAny>,
}

/// How to take a record apart, for TOML and JSON alike.
trait Record: Sized {
    fn id(&self) -> Option<String>;
    fn keys(&self) -> Vec<String>;
    fn read<T: serde::de::DeserializeOwned>(self) -> std::result::Result<T, String>;
}

/// Reads what reads of a TOML file; what does not is in the diagnostics.
fn read_toml<'f>(text: &str, file: &'f str) -> Result<(ScenarioFile, Lines, Diagnostics<'f>)> {
    let mut d = diagnostics(file);
    let sections: Sections<toml::Value> = match toml::from_str(text) {
        Ok(s) => s,
        Err(e) => {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_and_column(text, span.start));
            d.push(Some(line), Some(column), e.message().trim_end().to_string());
            return Err(d.finish().err().unwrap_or_else(|| Error::Internal {
                detail: "a syntax error without a diagnostic".into(),
            }));
        }
    };
    let headers = headers(text);
    let mut lines = Lines::default();
    let contents = read_sections(sections, &mut d, |kind, index, v, placed| {
        let line = headers
            .get(&kind)
            .and_then(|starts| starts.get(index))
            .copied();
        if let (Some(line), Some(id)) = (line, v.id()) {
            lines.at.entry((kind, id)).or_insert((line, 1));
        }
        placed.place = (line, line.map(|_| 1));
    });
    Ok((contents, lines, d))
}

/// The line of each `[[section]]` header, by the kind of record it starts.
fn headers(text: &str) -> HashMap<RecordKind, Vec<usize>> {
    let mut out: HashMap<RecordKind, Vec<usize>> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let kind = match line.trim() {
            "[[regions]]" => RecordKind::Region,
            "[[alliances]]" => RecordKind::Alliance,
            "[[bases]]" => RecordKind::Base,
            "[[units]]" => RecordKind::Unit,
            "[[layers]]" => RecordKind::Layer,
            "[[events]]" => RecordKind::Event,
            "[[corrections]]" => RecordKind::Correction,
            "[[claims]]" => RecordKind::Claim,
            _ => continue,
        };
        out.entry(kind).or_default().push(i + 1);
    }
    out
}

impl Record for toml::Value {
    fn id(&self) -> Option<String> {
        self.get("id")
            .and_then(toml::Value::as_str)
            .map(String::from)
    }
    fn keys(&self) -> Vec<String> {
        self.as_table()
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default()
    }
    fn read<T: serde::de::DeserializeOwned>(self) -> std::result::Result<T, String> {
        serde_path_to_error::deserialize(self)
            .map_err(|e| field_message(&e.path().to_string(), e.inner().message().trim_end()))
    }
}

#[cfg(feature = "json")]
impl Record for serde_json::Value {
    fn id(&self) -> Option<String> {
        self.get("id")
            .and_then(serde_json::Value::as_str)
            .map(String::from)
    }
    fn keys(&self) -> Vec<String> {
        self.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }
    fn read<T: serde::de::DeserializeOwned>(self) -> std::result::Result<T, String> {
        serde_path_to_error::deserialize(self)
            .map_err(|e| field_message(&e.path().to_string(), &e.inner().to_string()))
    }
}

/// Reads what reads of a JSON file; what does not is in the diagnostics.
#[cfg(feature = "json")]
fn read_json<'f>(text: &str, file: &'f str) -> Result<(ScenarioFile, Diagnostics<'f>)> {
    let mut d = diagnostics(file);
    let sections: Sections<serde_json::Value> = match serde_json::from_str(text) {
        Ok(s) => s,
        Err(e) => {
            let message = e.to_string();
            // serde_json appends " at line L column C"; the diagnostic carries them.
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m)
                .to_string();
            // serde_json counts columns from 1 but puts an end of input at the
            // start of a line at column 0; diagnostics count from 1.
            d.push(Some(e.line()), Some(e.column().max(1)), message);
            return Err(d.finish().err().unwrap_or_else(|| Error::Internal {
                detail: "a syntax error without a diagnostic".into(),
            }));
        }
    };
    let contents = read_sections(sections, &mut d, |_, _, _, placed| {
        placed.place = (None, None)
    });
    Ok((contents, d))
}

/// A diagnostics list that knows where the current record is.
struct Placed<'d, 'f> {
    inner: &'d mut Diagnostics<'f>,
    place: (Option<usize>, Option<usize>),
}

impl Placed<'_, '_> {
    fn push(&mut self, message: String) {
        let (line, column) = self.place;
        self.inner.push(line, column, message);
    }
}

/// Reads every record of every section, collecting what does not read.
fn read_sections<V: Record + Serialize>(
    sections: Sections<V>,
    d: &mut Diagnostics<'_>,
    mut locate: impl FnMut(RecordKind, usize, &V, &mut Placed<'_, '_>),
) -> ScenarioFile {
    for name in sections.unknown.keys() {
        d.push(
            None,
            None,
            format!("unknown section `{name}`: expected scenario, regions, alliances, bases, units, layers, events, corrections or claims"),
        );
    }
    let mut placed = Placed {
        inner: d,
        place: (None, None),
    };
    let meta = match sections.scenario {
        None => {
            placed.push("missing the `[scenario]` table with the scenario's `name`".into());
            Meta::default()
        }
        Some(v) => match v.read::<Meta>() {
            Ok(m) => m,
            Err(e) => {
                placed.push(format!("scenario: {e}"));
                Meta::default()
            }
        },
    };
    macro_rules! section {
        ($list:expr, $kind:expr) => {{
            let mut out = Vec::new();
            for (i, v) in $list.into_iter().enumerate() {
                locate($kind, i, &v, &mut placed);
                let who = match v.id() {
                    Some(id) => format!("{} `{id}`", $kind),
                    None => format!("{} number {}", $kind, i + 1),
                };
                let keys = v.keys();
                match v.read() {
                    Ok(record) => {
                        if let Some(extra) = unknown_keys(&keys, &record) {
                            placed.push(format!("{who}: unknown field `{extra}`"));
                        }
                        out.push(record);
                    }
                    Err(e) => placed.push(format!("{who}: {e}")),
                }
            }
            out
        }};
    }
    ScenarioFile {
        scenario: meta,
        regions: section!(sections.regions, RecordKind::Region),
        alliances: section!(sections.alliances, RecordKind::Alliance),
        bases: section!(sections.bases, RecordKind::Base),
        units: section!(sections.units, RecordKind::Unit),
        layers: section!(sections.layers, RecordKind::Layer),
        events: section!(sections.events, RecordKind::Event),
        corrections: section!(sections.corrections, RecordKind::Correction),
        claims: section!(sections.claims, RecordKind::Claim),
    }
}

/// A key of the record as written that the record, written back, does not
/// have: a misspelt or unknown field, which serde would silently ignore.
/// Optional fields left out when empty are written back whenever they were
/// written, so they never show up here.
fn unknown_keys<T: Serialize>(written: &[String], record: &T) -> Option<String> {
    let back = toml::Value::try_from(record).ok()?;
    let back = back.as_table()?;
    written.iter().find(|k| !back.contains_key(*k)).cloned()
}

/// `field `effective`: input is out of range`, or the bare message when the
/// problem is with the record as a whole.
fn field_message(path: &str, message: &str) -> String {
    if path.is_empty() || path == "." {
        message.to_string()
    } else {
        format!("field `{path}`: {message}")
    }
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
