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
//! with the record's id and field, and its line in a TOML file; and every
//! unknown key, at any depth, naming its table and, in a table inside a
//! record, the keys the table does take. A file with any error yields no
//! scenario.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::base::Base;
use crate::claim::Claim;
use crate::correction::Correction;
use crate::country::{Alliance, CountryRecord, Region};
use crate::error::{Error, RecordKind, Result};
use crate::event::{Event, Layer};
use crate::ledger::Ledger;
use crate::qualifier::{ToleranceKind, TolerancePolicy};
use crate::unit::Unit;
#[cfg(feature = "csv")]
pub use imports::{Import, TableKind};

/// The bundled scenario's text.
pub const MADRID_2022: &str = include_str!("madrid-2022.toml");

pub use crate::error::{Diagnostic, ScenarioError};

/// The contents of a scenario file, as serde reads and writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioFile {
    /// The scenario's name and description.
    pub scenario: Meta,
    /// Declared countries: user-assigned codes, and other names of any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<CountryRecord>,
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
    /// How the scenario's hedged figures are read (the `[policy]` table):
    /// its claims are validated and checked under it. The crate's
    /// [`TolerancePolicy::default`] when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<TolerancePolicy>,
    /// Tables to import, from paths relative to the file.
    #[cfg(feature = "csv")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imports: Vec<Import>,
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
    /// The policy as the file wrote it, to write it back as written.
    written_policy: Option<TolerancePolicy>,
    /// The policy in force: the file's, else the default.
    policy: TolerancePolicy,
}

impl Scenario {
    /// Builds a scenario from its contents, collecting every problem.
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`] listing every record the ledger refuses and every
    /// claim that is not well formed; `file` names the source in messages.
    ///
    /// Tables the contents import are read from paths relative to `file`'s
    /// folder.
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
    /// As [`from_toml`](Scenario::from_toml), each problem with its line and
    /// column.
    #[cfg(feature = "json")]
    pub fn from_json(text: &str, file: &str) -> Result<Scenario> {
        let (contents, lines, found) = read_json(text, file)?;
        build(contents, found, &lines)
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
    /// back the same scenario. What a scenario imported from tables is
    /// written as records, not as imports.
    pub fn to_file(&self) -> ScenarioFile {
        ScenarioFile {
            scenario: self.meta.clone(),
            countries: self.ledger.declared_countries().cloned().collect(),
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
                .filter(|e| !self.ledger.is_replacement(&e.id()))
                .map(|e| e.to_event())
                .collect(),
            corrections: self.ledger.corrections().cloned().collect(),
            claims: self.claims.clone(),
            policy: self.written_policy.clone(),
            #[cfg(feature = "csv")]
            imports: Vec::new(),
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

    /// How the scenario's hedged figures are read: the file's `[policy]`,
    /// or [`TolerancePolicy::default`] when it has none. Its claims were
    /// validated under it; check them with it, as `posture check` does:
    ///
    /// ```
    /// use posture_ledger::{scenario, CheckOptions};
    ///
    /// let madrid = scenario::madrid_2022()?;
    /// let options = CheckOptions::from(madrid.policy());
    /// let report = madrid.ledger().check_with(madrid.claims(), options)?;
    /// assert!(!report.findings().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy(&self) -> &TolerancePolicy {
        &self.policy
    }

    /// The ledger, by value.
    pub fn into_ledger(self) -> Ledger {
        self.ledger
    }

    /// Reads a table into the scenario: a levels or changes table's units
    /// and events into its ledger, a claims table's claims beside its own.
    /// What it added is the table's: saved again
    /// ([`to_toml`](Scenario::to_toml)), the scenario holds it as records.
    ///
    /// # Errors
    ///
    /// As the [`import`](crate::import) function of the kind; a claim id
    /// the scenario already holds is refused. A refused table leaves the
    /// scenario as it was.
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::import::ImportOptions;
    /// use posture_ledger::scenario::{self, TableKind};
    /// use posture_ledger::{Country, Metric, Scope};
    ///
    /// let mut madrid = scenario::madrid_2022()?;
    /// let table = "date,contributor,host,metric,value\n2022-09-30,USA,DEU,personnel,35781\n";
    /// madrid.import(table.as_bytes(), TableKind::Levels, &ImportOptions::new("dmdc.csv"))?;
    /// let germany = Scope::all().in_country(Country::new("DEU")?);
    /// let total = madrid.ledger().total(&germany, &Metric::PERSONNEL, "2022-12-31".parse()?)?;
    /// assert_eq!(total.get(), Some(35_781));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "csv")]
    pub fn import(
        &mut self,
        table: impl std::io::Read,
        kind: TableKind,
        options: &crate::import::ImportOptions,
    ) -> Result<()> {
        match kind {
            TableKind::Levels => {
                crate::import::levels_csv(table, &mut self.ledger, options).map(|_| ())
            }
            TableKind::Changes => {
                crate::import::changes_csv(table, &mut self.ledger, options).map(|_| ())
            }
            TableKind::Claims => {
                let claims = crate::import::claims_csv(table, &self.ledger, options)?;
                if let Some(twice) = claims
                    .iter()
                    .find(|c| self.claims.iter().any(|own| own.id() == c.id()))
                {
                    return Err(twice.error("id", crate::Problem::Duplicate));
                }
                self.claims.extend(claims);
                Ok(())
            }
        }
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
/// assert_eq!(troops.get(), Some(1_650));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn madrid_2022() -> Result<Scenario> {
    Scenario::from_toml(MADRID_2022, "madrid-2022.toml")
}

/// Where each record of a file is written, and its keys and values, by kind
/// and position and by id; empty for a scenario built in Rust.
#[derive(Default)]
struct Lines {
    records: HashMap<RecordKind, Vec<places::RecordPlaces>>,
    /// Where the `[policy]` table and its keys are written.
    policy: Option<places::RecordPlaces>,
    /// The positions in their section of the records with each id.
    by_id: HashMap<(RecordKind, String), Vec<usize>>,
    /// How many duplicates of each id have been placed so far.
    duplicates: std::cell::RefCell<HashMap<(RecordKind, String), usize>>,
    /// The records that did not read, by kind and id: what refers to them
    /// follows from their problem.
    unreadable: Ids,
}

impl Lines {
    fn record(&self, kind: RecordKind, index: usize) -> Option<&places::RecordPlaces> {
        self.records.get(&kind).and_then(|r| r.get(index))
    }

    /// Where the ledger's refusal of record `id`'s `field` belongs: at the
    /// field's value if written, else at the record; a duplicate at the
    /// duplicate (the second record with the id, then the third…), not at
    /// the first.
    fn of(
        &self,
        kind: RecordKind,
        id: &str,
        field: &str,
        duplicate: bool,
    ) -> (Option<usize>, Option<usize>) {
        for &k in named_as(&kind) {
            let key = (k, id.to_string());
            let Some(positions) = self.by_id.get(&key) else {
                continue;
            };
            let nth = if duplicate {
                let mut placed = self.duplicates.borrow_mut();
                let n = placed.entry(key).or_insert(0);
                *n += 1;
                (*n).min(positions.len() - 1)
            } else {
                0
            };
            if let Some(r) = positions.get(nth).and_then(|&i| self.record(k, i)) {
                let (line, column) = r.value(field);
                return (Some(line), Some(column));
            }
        }
        (None, None)
    }
}

fn diagnostics(file: &str) -> Diagnostics<'_> {
    Diagnostics {
        file,
        list: Vec::new(),
        hints: HINTS,
    }
}

/// How many unknown ids of one file get a "did you mean": each hint compares
/// the id with every id of its kind, so a file of many unknown references to
/// many records would otherwise take time in their product.
const HINTS: usize = 100;

/// Collects diagnostics for one file.
struct Diagnostics<'a> {
    file: &'a str,
    list: Vec<Diagnostic>,
    /// How many more unknown ids may get a suggestion.
    hints: usize,
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

    /// Records a refusal from the ledger, placed at the field at fault,
    /// with the nearest valid name where an unknown one is near enough.
    fn refused(&mut self, error: &Error, lines: &Lines, ledger: &Ledger) {
        self.refused_with(error, lines, ledger, String::new());
    }

    fn refused_with(&mut self, error: &Error, lines: &Lines, ledger: &Ledger, note: String) {
        let (line, column) = match error {
            Error::InvalidRecord {
                kind,
                id,
                field,
                problem,
            } => lines.of(
                *kind,
                id,
                field,
                matches!(problem, crate::Problem::Duplicate),
            ),
            // An id the ledger refuses as such (an alliance named like a country).
            Error::InvalidId { kind, id, .. } => lines.of(*kind, id, "id", false),
            _ => (None, None),
        };
        let hint = match error.problem() {
            Some(crate::Problem::UnknownReference { kind, id }) if self.hints > 0 => {
                self.hints -= 1;
                did_you_mean(ledger, *kind, id)
            }
            _ => String::new(),
        };
        self.push(line, column, format!("{error}{hint}{note}"));
    }

    /// Whether `error` only follows from the problem of another record: a
    /// reference to a record that did not read or was refused, whose own
    /// problem is reported.
    fn follows(error: &Error, lines: &Lines, refused: &Ids) -> bool {
        let Some(crate::Problem::UnknownReference { kind, id }) = error.problem() else {
            return false;
        };
        named_as(kind).iter().any(|&k| {
            let key = (k, id.clone());
            lines.unreadable.contains(&key) || refused.contains(&key)
        })
    }

    /// Records the problems of import number `i`: a table's own, each at
    /// its line and column in the table; any other at the import's record.
    #[cfg(feature = "csv")]
    fn imported(&mut self, error: &Error, lines: &Lines, i: usize) {
        match error {
            Error::Scenario(e) => self.list.extend(e.diagnostics().iter().cloned()),
            other => {
                let (line, column) =
                    lines
                        .record(RecordKind::Import, i)
                        .map_or((None, None), |r| {
                            let (l, c) = r.value("file");
                            (Some(l), Some(c))
                        });
                self.push(line, column, format!("import number {}: {other}", i + 1));
            }
        }
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
    // The records refused so far: what refers to them is not reported again.
    let mut refused = Ids::new();
    let refuse = |r: Result<()>, ledger: &Ledger, d: &mut Diagnostics<'_>, refused: &mut Ids| {
        if let Err(e) = r {
            if !Diagnostics::follows(&e, lines, refused) {
                d.refused(&e, lines, ledger);
            }
            if let Error::InvalidRecord { kind, id, .. } = &e {
                refused.insert((*kind, id.clone()));
            }
        }
    };
    for c in contents.countries {
        let done = ledger.add_country(c);
        refuse(done, &ledger, &mut diagnostics, &mut refused);
    }
    for r in contents.regions {
        let done = ledger.add_region(r);
        refuse(done, &ledger, &mut diagnostics, &mut refused);
    }
    for a in contents.alliances {
        let done = ledger.add_alliance(a);
        refuse(done, &ledger, &mut diagnostics, &mut refused);
    }
    for b in contents.bases {
        let done = ledger.add_base(b);
        refuse(done, &ledger, &mut diagnostics, &mut refused);
    }
    for u in contents.units {
        let done = ledger.add_unit(u);
        refuse(done, &ledger, &mut diagnostics, &mut refused);
    }
    for l in contents.layers {
        let done = ledger.add_layer(l);
        refuse(done, &ledger, &mut diagnostics, &mut refused);
    }
    // Tables next: events and corrections may refer to what they create.
    #[cfg(feature = "csv")]
    let folder = std::path::Path::new(diagnostics.file)
        .parent()
        .unwrap_or(std::path::Path::new(""))
        .to_path_buf();
    #[cfg(feature = "csv")]
    for (i, import) in contents.imports.iter().enumerate() {
        if let Err(e) = import.records(&folder, &mut ledger) {
            diagnostics.imported(&e, lines, i);
        }
    }
    if let Err(first) = ledger.apply_batch(contents.events.iter().cloned()) {
        // The batch stops at the first problem; one event at a time finds them all.
        let mut each = ledger.clone();
        let mut found = 0;
        // Per unit, its first refused event: a later problem of the unit's
        // may follow from it, and says so.
        let mut first_refused: HashMap<crate::UnitId, crate::EventId> = HashMap::new();
        for e in contents.events {
            let (unit, id) = (e.unit().clone(), e.id().clone());
            if let Err(err) = each.apply(e) {
                found += 1;
                refused.insert((RecordKind::Event, id.to_string()));
                if Diagnostics::follows(&err, lines, &refused) {
                    continue;
                }
                let note = match first_refused.get(&unit) {
                    Some(earlier) if follows_in_history(&err) => {
                        format!(" (perhaps because event `{earlier}` of the unit was refused)")
                    }
                    _ => String::new(),
                };
                diagnostics.refused_with(&err, lines, &each, note);
                first_refused.entry(unit).or_insert(id);
            }
        }
        if found == 0 {
            diagnostics.refused(&first, lines, &ledger);
        }
        // Corrections and claims are read against the events that went in,
        // so that none is reported as of an unknown event that is there.
        ledger = each;
    }
    for c in contents.corrections {
        let done = ledger.correct(c);
        refuse(done, &ledger, &mut diagnostics, &mut refused);
    }
    let policy = contents.policy.clone().unwrap_or_default();
    let mut ids = BTreeSet::new();
    for claim in &contents.claims {
        if !ids.insert(claim.id().clone()) {
            diagnostics.refused(
                &claim.error("id", crate::Problem::Duplicate),
                lines,
                &ledger,
            );
        } else if let Err(e) = crate::check::validate(&ledger, std::slice::from_ref(claim), &policy)
        {
            diagnostics.refused(&e, lines, &ledger);
        }
    }
    #[allow(unused_mut)]
    let mut claims = contents.claims;
    #[cfg(feature = "csv")]
    for (i, import) in contents.imports.iter().enumerate() {
        match import.claims(&folder, &ledger) {
            Ok(read) => {
                for claim in read {
                    if !ids.insert(claim.id().clone()) {
                        diagnostics.refused(
                            &claim.error("id", crate::Problem::Duplicate),
                            lines,
                            &ledger,
                        );
                    } else if let Err(e) =
                        crate::check::validate(&ledger, std::slice::from_ref(&claim), &policy)
                    {
                        // A table's claim read under the file's policy, as
                        // the file's own claims are.
                        diagnostics.imported(&e, lines, i);
                    }
                    claims.push(claim);
                }
            }
            Err(e) => diagnostics.imported(&e, lines, i),
        }
    }
    diagnostics.finish()?;
    Ok(Scenario {
        meta: contents.scenario,
        ledger,
        claims,
        written_policy: contents.policy,
        policy,
    })
}

/// Records by kind and id.
type Ids = std::collections::HashSet<(RecordKind, String)>;

/// The kinds of record the ledger names as `kind`: corrections share the
/// events' ids, and the ledger names them as events.
fn named_as(kind: &RecordKind) -> &[RecordKind] {
    match kind {
        RecordKind::Event => &[RecordKind::Event, RecordKind::Correction],
        _ => std::slice::from_ref(kind),
    }
}

/// Whether an event's problem is one that an earlier refused event of its
/// unit could cause: a state the unit did not reach.
fn follows_in_history(error: &Error) -> bool {
    use crate::Problem::*;
    matches!(
        error.problem(),
        Some(
            NotDeployed { .. }
                | AlreadyDeployed { .. }
                | NegativeStrength { .. }
                | LevelBelowSubunits { .. }
                | PadWithoutLevel { .. }
        )
    )
}

/// `; did you mean `uk-bg`?` for an unknown id near one the ledger has.
fn did_you_mean(ledger: &Ledger, kind: RecordKind, id: &str) -> String {
    let ids: Vec<&str> = match kind {
        RecordKind::Unit => ledger.units().map(|u| u.id().as_str()).collect(),
        RecordKind::Base => ledger.bases().iter().map(|b| b.id().as_str()).collect(),
        RecordKind::Region => ledger.regions().iter().map(|r| r.id().as_str()).collect(),
        RecordKind::Alliance => ledger.alliances().iter().map(|a| a.id().as_str()).collect(),
        RecordKind::Layer => ledger.layers().iter().map(|l| l.id.as_str()).collect(),
        RecordKind::Event => ledger.events().iter().map(|e| e.id_str()).collect(),
        _ => Vec::new(),
    };
    match crate::suggest::nearest(id, ids) {
        Some(near) => format!("; did you mean `{near}`?"),
        None => String::new(),
    }
}

/// The sections of a file, each record kept apart so one bad record does not
/// hide the next.
#[derive(Deserialize)]
#[serde(bound = "V: Deserialize<'de>")]
struct Sections<V> {
    scenario: Option<V>,
    #[serde(default)]
    countries: Vec<V>,
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
    #[serde(default)]
    imports: Vec<V>,
    policy: Option<V>,
    #[serde(flatten)]
    unknown: std::collections::BTreeMap<String, serde::de::IgnoredAny>,
}

/// How to take a record apart, for TOML and JSON alike.
trait Record: Sized + Clone {
    fn id(&self) -> Option<String>;
    /// The keys of a table as written, or none for anything else.
    fn keys(&self) -> Vec<String> {
        self.entries()
            .map(|e| e.into_iter().map(|(k, _)| k.to_string()).collect())
            .unwrap_or_default()
    }
    /// The record as `T`, or the path of the field at fault and what is wrong.
    fn decode<T: serde::de::DeserializeOwned>(self) -> std::result::Result<T, (String, String)>;
    /// The keys and values of a table, or `None` for anything else.
    fn entries(&self) -> Option<Vec<(&str, &Self)>>;
    /// The items of an array, or `None` for anything else.
    fn items(&self) -> Option<&[Self]>;

    /// The value one step below, to change.
    fn child_mut(&mut self, step: &Step) -> Option<&mut Self>;
    /// Removes `key` from this table; whether it was there.
    fn remove_key(&mut self, key: &str) -> bool;

    /// Removes `key` from the table at `path`; whether it was there.
    fn remove(&mut self, path: &[Step], key: &str) -> bool {
        let mut here = self;
        for step in path {
            match here.child_mut(step) {
                Some(next) => here = next,
                None => return false,
            }
        }
        here.remove_key(key)
    }

    /// The record as `T`, if it reads, and every problem found, each naming
    /// the field at fault. A key unknown to a table below the record's top is
    /// reported and left out, as an unknown key of the record's own is, so
    /// that every one is found and nothing that follows from dropping the
    /// record is reported.
    fn read<T: serde::de::DeserializeOwned>(self) -> (Option<T>, Vec<Found>) {
        // serde_path_to_error writes `.` for no path and `?` for a step it
        // could not follow: it loses the path inside flattened fields, which
        // events and claims have.
        let lost = |p: &str| p.is_empty() || p == "." || p.contains('?');
        let mut problems = Vec::new();
        let mut value = self;
        loop {
            let mut written = value.clone();
            let (path, message) = match value.decode() {
                Ok(record) => return (Some(record), problems),
                Err(e) => e,
            };
            let Some((key, valid)) = unknown_field(&message) else {
                // "invalid count `N`", "unknown variant `deply`": the one
                // field written so, if one is. Other messages (a missing
                // field) quote what is not there, which cannot place them.
                let quotes_input = ["invalid ", "unknown variant ", "`"]
                    .iter()
                    .any(|p| message.starts_with(p));
                let path = if lost(&path) && quotes_input {
                    quoted(&message)
                        .and_then(|text| written.only_field_written_as(text))
                        .unwrap_or(path)
                } else {
                    path
                };
                // A missing field next to a key written close to it: the key
                // is the typo, and the place to fix.
                if let Some(typo) = missing_field(&message).and_then(|missing| {
                    let keys = written.keys();
                    let near = crate::suggest::nearest(missing, keys.iter().map(String::as_str))?;
                    Some(format!("unknown field `{near}`: did you mean `{missing}`?"))
                        .zip(Some(near.to_string()))
                }) {
                    let (message, key) = typo;
                    problems.push(Found {
                        message,
                        path: key,
                        at_key: true,
                    });
                    return (None, problems);
                }
                let value = written.at(&path).and_then(Record::scalar);
                let message = in_plain_words(&message, value.as_deref());
                problems.push(Found {
                    message: field_message(&path, &message),
                    path,
                    at_key: false,
                });
                return (None, problems);
            };
            // A key of the record's own top table, or of a table below it.
            let found = written.table_with(key, &valid).or_else(|| {
                written
                    .entries()
                    .is_some_and(|e| e.iter().any(|(k, _)| *k == key))
                    .then(Vec::new)
            });
            let message = match crate::suggest::nearest(key, valid.iter().copied()) {
                Some(near) => format!("{message}; did you mean `{near}`?"),
                None => message.clone(),
            };
            let serde_path = without_last(&path, key);
            let shown = match &found {
                Some(steps) if lost(serde_path) => path_text(steps),
                _ => serde_path.to_string(),
            };
            problems.push(Found {
                message: field_message(&shown, &message),
                path: if shown.is_empty() {
                    key.to_string()
                } else {
                    format!("{shown}.{key}")
                },
                at_key: true,
            });
            match found {
                Some(steps) if written.remove(&steps, key) => value = written,
                _ => return (None, problems),
            }
        }
    }

    /// A number, string or boolean as written, or `None` for a table or an array.
    fn scalar(&self) -> Option<String>;

    /// The value at a path as serde_path_to_error writes it (`strength.personnel`,
    /// `members[1].joined`), if the record has one there.
    fn at(&self, path: &str) -> Option<&Self> {
        let mut here = self;
        for part in path.split('.').filter(|p| !p.is_empty()) {
            let (key, indices) = part.split_once('[').map_or((part, ""), |(k, i)| (k, i));
            if !key.is_empty() {
                here = here.entries()?.into_iter().find(|(k, _)| *k == key)?.1;
            }
            for index in indices.split('[').filter(|i| !i.is_empty()) {
                let i: usize = index.trim_end_matches(']').parse().ok()?;
                here = here.items()?.get(i)?;
            }
        }
        Some(here)
    }

    /// The path of the one field whose value is written as `text`, or of the
    /// one table below the record's top with a key written so (a metric in
    /// a strength), if exactly one is.
    fn only_field_written_as(&self, text: &str) -> Option<String> {
        fn walk<R: Record>(v: &R, at: &str, text: &str, found: &mut Vec<String>) {
            if let Some(entries) = v.entries() {
                if !at.is_empty() && entries.iter().any(|(k, _)| *k == text) {
                    found.push(at.to_string());
                }
                for (k, v) in entries {
                    let at = if at.is_empty() {
                        k.to_string()
                    } else {
                        format!("{at}.{k}")
                    };
                    walk(v, &at, text, found);
                }
            } else if let Some(items) = v.items() {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{at}[{i}]"), text, found);
                }
            } else if v.scalar().as_deref() == Some(text) {
                found.push(at.to_string());
            }
        }
        let mut found = Vec::new();
        walk(self, "", text, &mut found);
        match found.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }

    /// The path of the first table below the record's top that has `key` and
    /// no key outside `valid` but it: where serde found `key` unknown.
    fn table_with(&self, key: &str, valid: &[&str]) -> Option<Vec<Step>> {
        fn walk<R: Record>(v: &R, at: &mut Vec<Step>, key: &str, valid: &[&str]) -> bool {
            if let Some(entries) = v.entries() {
                if !at.is_empty()
                    && entries.iter().any(|(k, _)| *k == key)
                    && entries.iter().all(|(k, _)| *k == key || valid.contains(k))
                {
                    return true;
                }
                entries.iter().any(|(k, v)| {
                    at.push(Step::Key((*k).to_string()));
                    let found = walk(*v, at, key, valid);
                    if !found {
                        at.pop();
                    }
                    found
                })
            } else {
                v.items().is_some_and(|items| {
                    items.iter().enumerate().any(|(i, v)| {
                        at.push(Step::Index(i));
                        let found = walk(v, at, key, valid);
                        if !found {
                            at.pop();
                        }
                        found
                    })
                })
            }
        }
        let mut at = Vec::new();
        walk(self, &mut at, key, valid).then_some(at)
    }
}

/// One step of a path into a record: a table's key or an array's index.
enum Step {
    Key(String),
    Index(usize),
}

/// A path as serde_path_to_error writes it: `scope.contributors`, `members[1]`.
fn path_text(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The key and the valid keys of serde's "unknown field `k`, expected one of
/// `a`, `b`" (or "expected `a`", or "there are no fields").
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let valid = rest.split('`').skip(1).step_by(2).collect();
    Some((key, valid))
}

/// `effective` of serde's "missing field `effective`".
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")?
        .split_once('`')
        .map(|(field, _)| field)
}

/// A deserializer's message in the crate's words, given the value written
/// where there is one: what is wrong with a date, a negative count, the
/// nearest variant to a misspelt one.
fn in_plain_words(message: &str, value: Option<&str>) -> String {
    // chrono's words for a date that does not parse.
    const DATE: [&str; 6] = [
        "input is out of range",
        "input contains invalid characters",
        "premature end of input",
        "trailing input",
        "no possible date and time matching input",
        "input is not enough for unique date and time",
    ];
    if let Some(text) = value.filter(|_| DATE.contains(&message)) {
        return not_a_date(text);
    }
    if let Some(rest) = message.strip_prefix("invalid value: integer `-") {
        if let Some((digits, _)) = rest.split_once('`') {
            return format!("`-{digits}` is below zero: a count is never negative");
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        if let Some((variant, expected)) = rest.split_once('`') {
            let valid: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            // The hedges people write, for the qualifiers that mean them.
            const HEDGES: [(&str, &str); 12] = [
                ("about", "approximate"),
                ("around", "approximate"),
                ("some", "approximate"),
                ("roughly", "approximate"),
                ("approximately", "approximate"),
                ("over", "more_than"),
                ("above", "more_than"),
                ("almost", "nearly"),
                ("under", "less_than"),
                ("below", "less_than"),
                ("fewer_than", "less_than"),
                ("at_most", "up_to"),
            ];
            let meant = HEDGES
                .iter()
                .find(|(word, q)| variant.eq_ignore_ascii_case(word) && valid.contains(q))
                .map(|(_, q)| *q)
                .or_else(|| crate::suggest::nearest(variant, valid.iter().copied()));
            if let Some(near) = meant {
                return format!("{message}; did you mean `{near}`?");
            }
        }
    }
    message.to_string()
}

/// Why `text` is not a date.
fn not_a_date(text: &str) -> String {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str| s.parse::<u32>().ok().filter(|_| !s.is_empty());
    if let [y, m, d] = parts.as_slice() {
        if let (Ok(year), Some(month), Some(day)) = (y.parse::<i32>(), number(m), number(d)) {
            if !(1..=12).contains(&month) {
                return format!("`{text}` is not a date: there is no month {month}");
            }
            // A month the calendar holds, whose length says what is wrong.
            if let Ok(m) = crate::claim::YearMonth::new(year, month) {
                let days = chrono::Datelike::day(&m.last());
                if day == 0 || day > days {
                    return format!(
                        "`{text}` is not a date: {} {year} has {days} days",
                        m.first().format("%B")
                    );
                }
            }
        }
    }
    format!("`{text}` is not a date: write dates as YYYY-MM-DD, such as 2022-06-29")
}

/// The first text a message quotes between backticks.
fn quoted(message: &str) -> Option<&str> {
    message
        .split('`')
        .nth(1)
        .filter(|_| message.matches('`').count() >= 2)
}

/// `members[1]` of `members[1].joind`: the table that holds an unknown key,
/// which serde's path names as if it were a field.
fn without_last<'p>(path: &'p str, key: &str) -> &'p str {
    if path == key {
        ""
    } else {
        path.strip_suffix(key)
            .and_then(|p| p.strip_suffix('.'))
            .unwrap_or(path)
    }
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
    let mut lines = Lines {
        records: places::toml_places(text).unwrap_or_default(),
        policy: places::toml_table_places(text, "policy"),
        ..Lines::default()
    };
    let contents = read_sections(sections, &mut d, &mut lines);
    Ok((contents, lines, d))
}

impl Record for toml::Value {
    fn id(&self) -> Option<String> {
        // A declared country is known by its code.
        self.get("id")
            .or_else(|| self.get("code"))
            .and_then(toml::Value::as_str)
            .map(String::from)
    }
    fn decode<T: serde::de::DeserializeOwned>(self) -> std::result::Result<T, (String, String)> {
        serde_path_to_error::deserialize(self).map_err(|e| {
            let message = e.inner().message().trim_end().to_string();
            (e.path().to_string(), message)
        })
    }
    fn entries(&self) -> Option<Vec<(&str, &Self)>> {
        self.as_table()
            .map(|t| t.iter().map(|(k, v)| (k.as_str(), v)).collect())
    }
    fn items(&self) -> Option<&[Self]> {
        self.as_array().map(Vec::as_slice)
    }
    fn child_mut(&mut self, step: &Step) -> Option<&mut Self> {
        match step {
            Step::Key(k) => self.get_mut(k.as_str()),
            Step::Index(i) => self.get_mut(*i),
        }
    }
    fn remove_key(&mut self, key: &str) -> bool {
        self.as_table_mut().and_then(|t| t.remove(key)).is_some()
    }
    fn scalar(&self) -> Option<String> {
        match self {
            toml::Value::String(s) => Some(s.clone()),
            toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_) => {
                Some(self.to_string())
            }
            _ => None,
        }
    }
}

#[cfg(feature = "json")]
impl Record for serde_json::Value {
    fn id(&self) -> Option<String> {
        // A declared country is known by its code.
        self.get("id")
            .or_else(|| self.get("code"))
            .and_then(serde_json::Value::as_str)
            .map(String::from)
    }
    fn decode<T: serde::de::DeserializeOwned>(self) -> std::result::Result<T, (String, String)> {
        serde_path_to_error::deserialize(self)
            .map_err(|e| (e.path().to_string(), e.inner().to_string()))
    }
    fn entries(&self) -> Option<Vec<(&str, &Self)>> {
        self.as_object()
            .map(|o| o.iter().map(|(k, v)| (k.as_str(), v)).collect())
    }
    fn items(&self) -> Option<&[Self]> {
        self.as_array().map(Vec::as_slice)
    }
    fn child_mut(&mut self, step: &Step) -> Option<&mut Self> {
        match step {
            Step::Key(k) => self.get_mut(k.as_str()),
            Step::Index(i) => self.get_mut(*i),
        }
    }
    fn remove_key(&mut self, key: &str) -> bool {
        self.as_object_mut().and_then(|o| o.remove(key)).is_some()
    }
    fn scalar(&self) -> Option<String> {
        match self {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(_) | serde_json::Value::Bool(_) => Some(self.to_string()),
            _ => None,
        }
    }
}

/// Reads what reads of a JSON file; what does not is in the diagnostics.
#[cfg(feature = "json")]
fn read_json<'f>(text: &str, file: &'f str) -> Result<(ScenarioFile, Lines, Diagnostics<'f>)> {
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
    let mut lines = Lines {
        records: places::json_places(text).unwrap_or_default(),
        policy: places::json_table_places(text, "policy"),
        ..Lines::default()
    };
    let contents = read_sections(sections, &mut d, &mut lines);
    Ok((contents, lines, d))
}

/// A diagnostics list that knows where the current record is written.
struct Placed<'d, 'f, 'p> {
    inner: &'d mut Diagnostics<'f>,
    record: Option<&'p places::RecordPlaces>,
}

impl Placed<'_, '_, '_> {
    /// A problem with the record as a whole, at its start.
    fn push(&mut self, message: String) {
        let place = self.record.map(places::RecordPlaces::start);
        self.inner
            .push(place.map(|p| p.0), place.map(|p| p.1), message);
    }

    /// A problem found reading the record, at the key or value at fault.
    fn push_found(&mut self, who: &str, found: Found) {
        let place = self.record.map(|r| match found.at_key {
            true => r.key(&found.path),
            false => r.value(&found.path),
        });
        self.inner.push(
            place.map(|p| p.0),
            place.map(|p| p.1),
            format!("{who}: {}", found.message),
        );
    }
}

/// A problem found reading a record: what is wrong, and where.
struct Found {
    /// The path of the key or value at fault, as serde_path_to_error writes it.
    path: String,
    /// Whether the key is at fault (one the table does not take) rather than its value.
    at_key: bool,
    message: String,
}

/// Reads every record of every section, collecting what does not read.
fn read_sections<V: Record + Serialize>(
    sections: Sections<V>,
    d: &mut Diagnostics<'_>,
    lines: &mut Lines,
) -> ScenarioFile {
    for name in sections.unknown.keys() {
        d.push(
            None,
            None,
            format!("unknown section `{name}`: expected scenario, policy, regions, alliances, bases, units, layers, events, corrections, claims or imports"),
        );
    }
    #[cfg(not(feature = "csv"))]
    if !sections.imports.is_empty() {
        d.push(
            None,
            None,
            "section `imports`: this build reads no tables (the crate's `csv` feature is off)",
        );
    }
    let Lines {
        records,
        policy: policy_places,
        by_id,
        unreadable,
        ..
    } = lines;
    let mut placed = Placed {
        inner: d,
        record: None,
    };
    let meta = match sections.scenario {
        None => {
            placed.push("missing the `[scenario]` table with the scenario's `name`".into());
            Meta::default()
        }
        Some(v) => {
            let (meta, problems) = v.read::<Meta>();
            for e in problems {
                placed.push(format!("scenario: {}", e.message));
            }
            meta.unwrap_or_default()
        }
    };
    let policy = sections.policy.and_then(|v| {
        placed.record = policy_places.as_ref();
        // An approximation written as a table takes one key, `relative`:
        // serde reports any other as "wanted exactly 1 element", which names
        // nothing, so the keys are looked at first.
        let extra: Vec<String> = v
            .at("approximation")
            .and_then(Record::entries)
            .map(|e| {
                e.iter()
                    .map(|(k, _)| k.to_string())
                    .filter(|k| k != "relative")
                    .collect()
            })
            .unwrap_or_default();
        for key in &extra {
            placed.push_found(
                "policy",
                Found {
                    message: format!(
                        "field `approximation`: unknown field `{key}`, expected `relative`"
                    ),
                    path: format!("approximation.{key}"),
                    at_key: true,
                },
            );
        }
        if !extra.is_empty() {
            return None;
        }
        let (policy, problems) = v.read::<TolerancePolicy>();
        for mut e in problems {
            // A tolerance out of range is refused after the table has read,
            // which loses its path: the message names the tolerance, and so
            // its key.
            if !e.at_key && (e.path.is_empty() || e.path == ".") {
                let tolerance = ToleranceKind::Nearly.to_string();
                e.path = if e.message.contains(&tolerance) {
                    "nearly".into()
                } else {
                    "approximation".into()
                };
            }
            placed.push_found("policy", e);
        }
        policy
    });
    placed.record = None;
    macro_rules! section {
        ($list:expr, $kind:expr) => {{
            let mut out = Vec::new();
            for (i, v) in $list.into_iter().enumerate() {
                placed.record = records.get(&$kind).and_then(|r| r.get(i));
                let id = v.id();
                let who = match &id {
                    Some(id) => {
                        by_id.entry(($kind, id.clone())).or_default().push(i);
                        format!("{} `{id}`", $kind)
                    }
                    None => format!("{} number {}", $kind, i + 1),
                };
                let mut keys = v.keys();
                let (record, problems) = v.read();
                // Keys of the record's own already reported are not again.
                keys.retain(|k| !problems.iter().any(|e| e.at_key && e.path == *k));
                for e in problems {
                    placed.push_found(&who, e);
                }
                if record.is_none() {
                    unreadable.extend(id.map(|id| ($kind, id)));
                }
                if let Some(record) = record {
                    if let Some(extra) = unknown_keys(&keys, &record) {
                        placed.push_found(
                            &who,
                            Found {
                                message: format!("unknown field `{extra}`"),
                                path: extra,
                                at_key: true,
                            },
                        );
                    }
                    out.push(record);
                }
            }
            out
        }};
    }
    ScenarioFile {
        scenario: meta,
        countries: section!(sections.countries, RecordKind::Country),
        regions: section!(sections.regions, RecordKind::Region),
        alliances: section!(sections.alliances, RecordKind::Alliance),
        bases: section!(sections.bases, RecordKind::Base),
        units: section!(sections.units, RecordKind::Unit),
        layers: section!(sections.layers, RecordKind::Layer),
        events: section!(sections.events, RecordKind::Event),
        corrections: section!(sections.corrections, RecordKind::Correction),
        claims: section!(sections.claims, RecordKind::Claim),
        policy,
        #[cfg(feature = "csv")]
        imports: section!(sections.imports, RecordKind::Import),
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

#[cfg(feature = "csv")]
mod imports;
mod places;

#[cfg(test)]
mod tests;
