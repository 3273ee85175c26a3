//! Importing published troop tables and movement logs from CSV.
//!
//! Two shapes of file are read, with columns found by name in the header row
//! (any order, any case, each name once; extra columns are ignored):
//!
//! - **levels** — observed strengths, as annual or quarterly troop tables give
//!   them: `date,contributor,host,metric,value[,footing,source]`. Each
//!   contributor, host and footing becomes a national contingent (a unit with
//!   id `CONTRIBUTOR:HOST:footing`), deployed at its first row and *set* to the
//!   observed level at each later one. A figure marked not reported (`n/a`,
//!   `..`, an empty cell…) records nothing; read as a census
//!   ([`ImportOptions::as_census`]), each dated report is a complete list, and
//!   a contingent it leaves out is set to 0.
//! - **changes** — movements, as trackers log them:
//!   `date,event,unit,contributor,host,metric,amount[,footing,source,kind]`,
//!   where `event` is `deploy`, `reinforce`, `reduce` or `withdraw`. Units the
//!   ledger does not know are created from their first row.
//!
//! Reading is strict, since a lenient reader misreads in silence:
//!
//! - every row has as many fields as the header — an unquoted `1,650` is two
//!   fields, and would otherwise read as 1;
//! - every quote that opens a field closes it — one left open would take in
//!   the rest of the file;
//! - a figure is plain digits, or has commas setting off groups of three:
//!   `1650`, `"1,650"`, `"1,650,000"`; `1,65`, `1,,650`, `12,3456` and `,650`
//!   are errors, not 165, 1650, 123456 and 650;
//! - event ids (`PREFIX:LINE`) the ledger already holds are refused: import
//!   a file of the same name again under [`ImportOptions::with_id_prefix`].
//!
//! Every row that does not read is reported, with its line in the file; a file
//! with any error changes nothing, and neither does one the ledger refuses.
//! Rows are streamed, one record buffer reused throughout.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Read;

use chrono::NaiveDate;

use crate::country::Country;
use crate::deployment::{Footing, Location};
use crate::error::{Error, Result};
use crate::event::{Event, EventId, EventKind, Source};
use crate::index::FastMap;
use crate::ledger::Ledger;
use crate::metric::{Count, Metric, Quantity};
use crate::scenario::Diagnostic;
use crate::unit::{Contributor, Unit, UnitId, UnitKind};

mod read;
mod spec;

use read::{iso_date, Reader, Row, Tracker, NOT_REPORTED};

pub use spec::{
    Amounts, Completeness, Duplicates, Field, HostCodes, ImportSpec, Skip, SkipWhen, ValueColumn,
};

/// How rows become records: the file's name and an [`ImportSpec`], built
/// here step by step or read from a scenario file.
///
/// # Example
///
/// ```
/// use posture_ledger::import::{Field, ImportOptions};
/// use posture_ledger::Footing;
///
/// let options = ImportOptions::new("dmdc-2022.csv")
///     .with_column(Field::Host, "iso3c")
///     .with_constant(Field::Contributor, "USA")
///     .with_default_footing(Footing::Rotational);
/// assert_eq!(options.file(), "dmdc-2022.csv");
/// assert_eq!(options.spec().columns[&Field::Host], "iso3c");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOptions {
    file: String,
    /// The prefix of event ids when the spec gives none: the file's name.
    stem: String,
    spec: ImportSpec,
}

impl ImportOptions {
    /// Options for a file named `file`: events get ids `NAME:LINE`, where
    /// `NAME` is the file's name without its folders, and cite the file as
    /// their source when a row names none; rows without a footing are
    /// permanent (stationed).
    pub fn new(file: impl Into<String>) -> Self {
        let file = file.into();
        let stem: String = file
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&file)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        ImportOptions {
            stem: if stem.is_empty() { "csv".into() } else { stem },
            file,
            spec: ImportSpec::default(),
        }
    }

    /// Options for a file named `file`, read as `spec` says.
    pub fn from_spec(file: impl Into<String>, spec: ImportSpec) -> Self {
        ImportOptions::new(file).with_spec(spec)
    }

    /// Reads the file as `spec` says, in place of everything set so far.
    pub fn with_spec(mut self, spec: ImportSpec) -> Self {
        self.spec = spec;
        self
    }

    /// The spec the file is read by.
    pub fn spec(&self) -> &ImportSpec {
        &self.spec
    }

    /// Reads `field` from the column named `column` (in any case), in place
    /// of the column named after the field, or a constant set before.
    pub fn with_column(mut self, field: Field, column: impl Into<String>) -> Self {
        self.spec.constants.remove(&field);
        self.spec.columns.insert(field, column.into());
        self
    }

    /// Gives `field` the text `value` in every row, for a table that has no
    /// column for it: contributor `USA`, metric `personnel`.
    pub fn with_constant(mut self, field: Field, value: impl Into<String>) -> Self {
        self.spec.columns.remove(&field);
        self.spec.constants.insert(field, value.into());
        self
    }

    /// Reads dates in `format`, in `strftime` form (`"%d/%m/%Y"`).
    pub fn with_date_format(mut self, format: impl Into<String>) -> Self {
        self.spec.date_format = Some(format.into());
        self
    }

    /// Adds a value column of a levels table, whose figures count `metric`:
    /// a table with value columns has no `value` or `metric` column.
    pub fn with_value_column(mut self, column: impl Into<String>, metric: &Metric) -> Self {
        self.spec.values.push(ValueColumn {
            column: column.into(),
            metric: metric.name().to_string(),
        });
        self
    }

    /// Skips the rows whose `column` is empty: a published table's fillers.
    pub fn skip_if_empty(mut self, column: impl Into<String>) -> Self {
        self.spec.skip.push(Skip {
            column: column.into(),
            when: SkipWhen::Empty,
        });
        self
    }

    /// Skips the rows whose `column` holds `text`.
    pub fn skip_if_equal(mut self, column: impl Into<String>, text: impl Into<String>) -> Self {
        self.spec.skip.push(Skip {
            column: column.into(),
            when: SkipWhen::Equals(text.into()),
        });
        self
    }

    /// Adds a place where rows with an empty `host` find their code, after
    /// those added before.
    pub fn with_host_codes(mut self, codes: HostCodes) -> Self {
        self.spec.host_codes.push(codes);
        self
    }

    /// Adds up rows of a levels table for the same contributor, host,
    /// footing, metric and date, rather than refuse them.
    pub fn summing_duplicates(mut self) -> Self {
        self.spec.duplicates = Duplicates::Sum;
        self
    }

    /// Reads a changes table's amounts as signed changes, with no verb
    /// ([`Amounts::Signed`]).
    pub fn with_signed_amounts(mut self) -> Self {
        self.spec.amounts = Amounts::Signed;
        self
    }

    /// Sets the prefix of event ids, `PREFIX:LINE`: for a file whose name
    /// the ledger has already imported, since an id the ledger holds is
    /// refused.
    pub fn with_id_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.spec.id_prefix = Some(prefix.into());
        self
    }

    /// Sets the footing of rows that give none.
    pub fn with_default_footing(mut self, footing: Footing) -> Self {
        self.spec.default_footing = Some(footing);
        self
    }

    /// Reads a levels table as a census: each of its dated reports is a
    /// complete snapshot of a contributor's contingents, so a contingent a
    /// snapshot leaves out has none from that date.
    ///
    /// A *snapshot* is the set of rows of one contributor, metric and
    /// footing on one date (rows of figures and of [not reported
    /// fillers](levels_csv#figures-not-reported) alike). At each snapshot,
    /// every contingent of that contributor, metric and footing that an
    /// earlier snapshot of the same file listed, and that this one does not,
    /// is set to 0 from the snapshot's date: a set-level event citing the
    /// table — the `source` of the snapshot's first row, or else the file —
    /// at that row's line, with id `PREFIX:LINE:census-N`, `LINE` being that
    /// row's line and `N` counting the snapshot's zero records from 1 in
    /// order of host. Row events are `PREFIX:LINE`, so the two never clash.
    /// A contingent already at 0 (reported so, or left out before) gets no
    /// second record: its 0 carries on.
    ///
    /// - A snapshot is per footing, not per contributor and metric alone:
    ///   tables often give permanently stationed and rotational forces as
    ///   separate lists, or on separate schedules (a quarterly table of
    ///   assigned strength beside occasional figures for rotations), so a
    ///   date with only permanent rows says nothing of rotational ones. A
    ///   record of 0 is a claim, and the census makes it only where the
    ///   table plainly listed that footing and left the host out. The cost:
    ///   a footing the table stops listing altogether is not zeroed; a row
    ///   of 0 ends it. A table without a `footing` column has one footing,
    ///   so its snapshots are per contributor and metric.
    /// - A date without a row for a contributor, metric and footing is no
    ///   snapshot of them, and no report of zero: their last figures carry
    ///   on, and nothing is recorded.
    /// - A host listed as not reported is listed: it keeps its last figure.
    /// - Only the contingents this file has listed are in its census: one
    ///   the ledger has from elsewhere, that this file never names, is left
    ///   as it is.
    ///
    /// [`Imported::census_zeros`] counts the zero records added.
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::import::{levels_csv, ImportOptions};
    /// use posture_ledger::{Country, Ledger, Metric, Scope};
    ///
    /// // Italy is not in the 2022 report, and Poland's figure was not reported.
    /// let table = "date,contributor,host,metric,value\n\
    ///              2021-09-30,USA,DEU,personnel,35124\n\
    ///              2021-09-30,USA,ITA,personnel,12312\n\
    ///              2021-09-30,USA,POL,personnel,5500\n\
    ///              2022-09-30,USA,DEU,personnel,35781\n\
    ///              2022-09-30,USA,POL,personnel,n/a\n";
    /// let mut ledger = Ledger::new();
    /// let options = ImportOptions::new("dmdc.csv").as_census();
    /// let imported = levels_csv(table.as_bytes(), &mut ledger, &options)?;
    /// assert_eq!((imported.census_zeros, imported.not_reported), (1, 1));
    /// let personnel = |host: &str| -> Result<Option<u64>, Box<dyn std::error::Error>> {
    ///     let scope = Scope::all().in_country(Country::new(host)?);
    ///     Ok(ledger.total(&scope, &Metric::PERSONNEL, "2022-09-30".parse()?)?.get())
    /// };
    /// // Italy left out is a record of 0, not no record.
    /// assert_eq!((personnel("DEU")?, personnel("ITA")?, personnel("POL")?), (Some(35_781), Some(0), Some(5_500)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_census(mut self) -> Self {
        self.spec.completeness = Completeness::Census;
        self
    }

    /// Whether a levels table is read as a census ([`as_census`](Self::as_census)).
    pub fn is_census(&self) -> bool {
        self.spec.completeness == Completeness::Census
    }

    /// The file's name, as messages give it.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The prefix of event ids: the spec's, or else the file's name.
    pub fn id_prefix(&self) -> &str {
        self.spec.id_prefix.as_deref().unwrap_or(&self.stem)
    }

    fn default_footing(&self) -> Footing {
        self.spec.default_footing.unwrap_or(Footing::Permanent)
    }
}

/// What an import added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Data rows read.
    pub rows: usize,
    /// Units created.
    pub units: usize,
    /// Events recorded, the census's zero records among them.
    pub events: usize,
    /// Zero records a census added for contingents its snapshots left out
    /// ([`ImportOptions::as_census`]); 0 outside census mode.
    pub census_zeros: usize,
    /// Rows of a levels table whose figure was not reported (an empty cell
    /// or a filler such as `n/a`): read, and recorded as nothing.
    pub not_reported: usize,
}

/// Every problem found in an imported file, in file order: the same list of
/// diagnostics, each with the file and line, as a scenario file's.
pub type ImportError = crate::scenario::ScenarioError;

/// Reads observed strengths into `ledger` as deploy and set-level events of
/// national contingents.
///
/// Read as a census ([`ImportOptions::as_census`]), a table's snapshots also
/// set the contingents they leave out to 0.
///
/// # Figures not reported
///
/// Published tables mark a figure they do not give rather than leave the
/// row out: a row whose `value` is empty, or one of `-`, `–`, `—`, `..`,
/// `n/a`, `na`, `n.a.`, `n.k.` (not known, as the IISS Military Balance
/// writes it), `x` or `*` (suppressed), in any case, is *not reported*. It
/// is no observation, so it records nothing and the contingent keeps its
/// last figure — in a census too, where the row still lists its host. Such
/// rows are skipped, not refused, in either mode, and counted in
/// [`Imported::not_reported`] so that a caller can say how many there were;
/// every other column of the row must still read. A table that writes a
/// dash for *nil*, as some statistical offices do, must have its dashes
/// written as `0` first: read here, they would carry the last figure on.
/// Any other text that is not a figure is an error.
///
/// # Errors
///
/// [`Error::Import`] listing every problem with its line: a missing column
/// or one named twice in the header; a row with more or fewer fields than
/// the header; a quote never closed (at the line and column it opened); a
/// row that does not read — an unknown country or alliance, a bad date, a
/// negative or non-numeric value, or one with commas out of thousands
/// positions; an event id the ledger already holds; or the row whose event
/// the ledger refuses. The ledger is then unchanged.
///
/// # Example
///
/// ```
/// use posture_ledger::import::{levels_csv, ImportOptions};
/// use posture_ledger::{Country, Ledger, Metric, Scope};
///
/// let table = "date,contributor,host,metric,value\n\
///              2021-09-30,USA,DEU,personnel,35124\n\
///              2022-09-30,USA,DEU,personnel,35781\n\
///              2022-09-30,USA,POL,personnel,10496\n";
/// let mut ledger = Ledger::new();
/// let imported = levels_csv(table.as_bytes(), &mut ledger, &ImportOptions::new("dmdc.csv"))?;
/// assert_eq!((imported.rows, imported.units, imported.events), (3, 2, 3));
/// let usa = Scope::all().from_country(Country::new("USA")?);
/// assert_eq!(ledger.total(&usa, &Metric::PERSONNEL, "2022-12-31".parse()?)?.get(), Some(46_277));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn levels_csv(
    reader: impl Read,
    ledger: &mut Ledger,
    options: &ImportOptions,
) -> Result<Imported> {
    let (mut reader, mut rows, columns) = open(
        reader,
        options,
        &["date", "contributor", "host", "metric", "value"],
    )?;
    let [date, contributor, host, metric, value] = columns;
    let (footing, source) = (rows.optional("footing"), rows.optional("source"));
    let mut read = Vec::new();
    while let Some(row) = reader.next_row(&mut rows) {
        let parsed = (|| {
            Some(Level {
                line: row.line,
                date: rows.date(&row, date)?,
                contributor: rows.contributor(&row, contributor, ledger)?,
                host: rows.country(&row, host)?,
                metric: rows.metric(&row, metric)?,
                value: rows.level(&row, value)?,
                footing: rows.footing(&row, footing)?,
                source: source
                    .and_then(|c| row.get(c))
                    .filter(|s| !s.is_empty())
                    .map(String::from),
            })
        })();
        if let Some(level) = parsed {
            read.push(level);
        }
    }
    rows.finish(&reader)?;
    let not_reported = read.iter().filter(|l| l.value.is_none()).count();

    // One contingent per contributor, host and footing; its rows of figures
    // in date order. A row not reported records nothing.
    let mut contingents: HashMap<(Contributor, Country, Footing), Vec<usize>> = HashMap::new();
    for (i, level) in read.iter().enumerate() {
        if level.value.is_some() {
            contingents
                .entry((level.contributor.clone(), level.host, level.footing))
                .or_default()
                .push(i);
        }
    }
    let mut keys: Vec<_> = contingents.keys().cloned().collect();
    keys.sort();
    let mut units = Vec::new();
    let mut events = Vec::with_capacity(read.len());
    for key in keys {
        let mut members = contingents.remove(&key).unwrap_or_default();
        members.sort_by_key(|&i| (read[i].date, read[i].line));
        let (contributor, host, footing) = key;
        let id = contingent_id(&contributor, host, footing)?;
        let mut metrics: Vec<Metric> = members.iter().map(|&i| read[i].metric.clone()).collect();
        metrics.sort();
        metrics.dedup();
        let known = ledger.unit(&id).is_some();
        if !known {
            units.push(
                Unit::new(
                    id.clone(),
                    format!("{contributor} contingent in {host} ({footing})"),
                    contributor,
                    UnitKind::Contingent,
                )
                .with_metrics(metrics),
            );
        }
        let first_date = members.first().map(|&i| read[i].date);
        for &i in &members {
            let level = &read[i];
            // Members are rows of figures only.
            let Some(value) = level.value else {
                continue;
            };
            let quantity = Quantity::new(level.metric.clone(), Count::new(value));
            let kind = if !known && Some(level.date) == first_date {
                // Every metric observed on the first day goes into the deploy.
                if members.iter().any(|&j| j < i && read[j].date == level.date) {
                    EventKind::SetLevel {
                        metric: quantity.metric,
                        count: quantity.count,
                    }
                } else {
                    EventKind::Deploy {
                        location: Location::Country(host),
                        footing,
                        strength: vec![quantity],
                    }
                }
            } else {
                EventKind::SetLevel {
                    metric: quantity.metric,
                    count: quantity.count,
                }
            };
            events.push(rows.event(level.line, &id, level.date, kind, level.source.as_deref())?);
        }
    }
    let census_zeros = if options.is_census() {
        let zeros = census_zeros(&read, ledger, &mut rows)?;
        let n = zeros.len();
        events.extend(zeros);
        n
    } else {
        0
    };
    let mut imported = rows.commit(ledger, units, events)?;
    imported.census_zeros = census_zeros;
    imported.not_reported = not_reported;
    Ok(imported)
}

/// The id of the contingent of `contributor` in `host` on `footing`.
fn contingent_id(contributor: &Contributor, host: Country, footing: Footing) -> Result<UnitId> {
    UnitId::new(format!("{contributor}:{host}:{footing}"))
}

/// The zero records of a census: for each snapshot (the rows of one
/// contributor, metric and footing on one date), a set-level 0 of every
/// contingent an earlier snapshot listed that this one leaves out, unless
/// it is at 0 already.
fn census_zeros(read: &[Level], ledger: &Ledger, rows: &mut Rows<'_>) -> Result<Vec<Event>> {
    /// What the census knows of a contingent it has listed.
    struct Listed {
        id: UnitId,
        /// Whether the unit is there to set: the ledger has it, or a figure
        /// in this file before deployed it. A contingent listed only as not
        /// reported so far, and not in the ledger, has nothing to set to 0.
        exists: bool,
        /// Whether its last figure in this file is 0.
        at_zero: bool,
    }
    let mut snapshots: BTreeMap<(&Contributor, &Metric, Footing), BTreeMap<NaiveDate, Vec<usize>>> =
        BTreeMap::new();
    for (i, level) in read.iter().enumerate() {
        snapshots
            .entry((&level.contributor, &level.metric, level.footing))
            .or_default()
            .entry(level.date)
            .or_default()
            .push(i);
    }
    let mut zeros = Vec::new();
    for ((contributor, metric, footing), dates) in snapshots {
        let mut listed: BTreeMap<Country, Listed> = BTreeMap::new();
        for (date, mut members) in dates {
            members.sort_by_key(|&i| read[i].line);
            let Some(&first) = members.first() else {
                continue;
            };
            let mut n = 0usize;
            for (host, contingent) in &mut listed {
                if !contingent.exists
                    || contingent.at_zero
                    || members.iter().any(|&i| read[i].host == *host)
                {
                    continue;
                }
                n += 1;
                let kind = EventKind::SetLevel {
                    metric: metric.clone(),
                    count: Count::new(0),
                };
                zeros.push(rows.census_event(
                    (read[first].line, n),
                    &contingent.id,
                    date,
                    kind,
                    read[first].source.as_deref(),
                )?);
                contingent.at_zero = true;
            }
            for &i in &members {
                let level = &read[i];
                let contingent = match listed.entry(level.host) {
                    std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        let id = contingent_id(contributor, level.host, footing)?;
                        // A contingent this file creates is deployed at its
                        // first figure, which may come after this row.
                        let exists = ledger.unit(&id).is_some();
                        e.insert(Listed {
                            id,
                            exists,
                            at_zero: false,
                        })
                    }
                };
                if let Some(v) = level.value {
                    contingent.exists = true;
                    contingent.at_zero = v == 0;
                }
            }
        }
    }
    Ok(zeros)
}

/// Reads movements into `ledger`: deploy, reinforce, reduce and withdraw events
/// of units, creating the units it does not know.
///
/// # Errors
///
/// As [`levels_csv`]; also an unknown `event`, or a unit given with another
/// contributor than the ledger's.
///
/// # Example
///
/// ```
/// use posture_ledger::import::{changes_csv, ImportOptions};
/// use posture_ledger::{Country, Ledger, Metric, Scope};
///
/// let log = "date,event,unit,contributor,host,metric,amount\n\
///            2022-02-24,deploy,uk-est,GBR,EST,personnel,900\n\
///            2022-03-10,reinforce,uk-est,GBR,EST,personnel,750\n";
/// let mut ledger = Ledger::new();
/// changes_csv(log.as_bytes(), &mut ledger, &ImportOptions::new("tracker.csv"))?;
/// let est = Scope::all().in_country(Country::new("EST")?);
/// assert_eq!(ledger.total(&est, &Metric::PERSONNEL, "2022-03-10".parse()?)?.get(), Some(1_650));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn changes_csv(
    reader: impl Read,
    ledger: &mut Ledger,
    options: &ImportOptions,
) -> Result<Imported> {
    let (mut reader, mut rows, columns) = open(
        reader,
        options,
        &[
            "date",
            "event",
            "unit",
            "contributor",
            "host",
            "metric",
            "amount",
        ],
    )?;
    let [date, event, unit, contributor, host, metric, amount] = columns;
    let (footing, source, kind) = (
        rows.optional("footing"),
        rows.optional("source"),
        rows.optional("kind"),
    );
    let mut new_units: Vec<Unit> = Vec::new();
    let mut events = Vec::new();
    while let Some(row) = reader.next_row(&mut rows) {
        let parsed = (|| {
            let date = rows.date(&row, date)?;
            let action = rows.text(&row, event)?;
            // Most files write actions in lower case: no copy for those.
            let action = if action.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(action.to_ascii_lowercase())
            } else {
                Cow::Borrowed(action)
            };
            let u = rows.unit(&row, unit, ledger)?;
            let contributor = rows.contributor(&row, contributor, ledger)?;
            let host = rows.country(&row, host)?;
            // A withdrawal takes the whole unit: it has no metric or amount.
            let withdraw = action == "withdraw";
            let metric = if withdraw {
                None
            } else {
                Some(rows.metric(&row, metric)?)
            };
            let footing = rows.footing(&row, footing)?;
            let amount = if withdraw {
                0
            } else {
                rows.count(&row, amount)?
            };
            let unit_kind = match kind.and_then(|k| row.get(k)).filter(|t| !t.is_empty()) {
                None => UnitKind::Contingent,
                Some(_) => rows.parse_with(&row, kind?, "kind", |t| t.parse::<UnitKind>())?,
            };
            Some((
                date,
                action,
                u,
                contributor,
                host,
                metric,
                footing,
                amount,
                unit_kind,
            ))
        })();
        let Some((date, action, u, contributor, host, metric, footing, amount, unit_kind)) = parsed
        else {
            continue;
        };
        let id = rows.units[u].id.clone();
        // The unit: the ledger's, or one this file creates.
        match &rows.units[u].origin {
            Origin::Ledger(from) if from != &contributor => {
                let problem = format!(
                    "column `contributor`: unit `{id}` is contributed by {from}, not {contributor}"
                );
                rows.problem(row.line, problem);
                continue;
            }
            Origin::Ledger(_) => {}
            &Origin::New(n) if new_units[n].contributor() != &contributor => {
                rows.problem(
                    row.line,
                    format!(
                        "column `contributor`: unit `{id}` is contributed by {} (from an earlier row), not {contributor}",
                        new_units[n].contributor()
                    ),
                );
                continue;
            }
            &Origin::New(n) => {
                if let Some(m) = metric.as_ref().filter(|m| !new_units[n].counts(m)) {
                    let mut metrics = new_units[n].metrics().to_vec();
                    metrics.push(m.clone());
                    new_units[n] = new_units[n].clone().with_metrics(metrics);
                }
            }
            Origin::Unseen => {
                rows.units[u].origin = Origin::New(new_units.len());
                let unit = Unit::new(id.clone(), id.to_string(), contributor, unit_kind);
                new_units.push(match &metric {
                    Some(m) => unit.with_metrics([m.clone()]),
                    None => unit,
                });
            }
        }
        // A change must name the country its unit is in: the host of the
        // file's last deploy of it, or else the ledger's deployment.
        if matches!(action.as_ref(), "reinforce" | "reduce") {
            let known = rows.units[u].host.or_else(|| {
                match ledger.deployment(&id, date).ok().flatten()?.location {
                    Location::Country(c) => Some(c),
                    Location::Base(b) => ledger.base(&b).map(|b| b.host()),
                    Location::Region(_) => None,
                }
            });
            if let Some(there) = known.filter(|&there| there != host) {
                rows.problem(
                    row.line,
                    format!("column `host`: unit `{id}` is in {there}, not {host}"),
                );
                continue;
            }
        }
        if action == "deploy" {
            rows.units[u].host = Some(host);
        }
        let count = Count::new(amount);
        let kind = match (action.as_ref(), metric) {
            ("withdraw", _) => EventKind::Withdraw,
            (_, None) => continue,
            (action, Some(metric)) => match action {
                "deploy" => EventKind::Deploy {
                    location: Location::Country(host),
                    footing,
                    strength: vec![Quantity::new(metric, count)],
                },
                "reinforce" => EventKind::Reinforce { metric, count },
                "reduce" => EventKind::Reduce { metric, count },
                other => {
                    rows.problem(
                    row.line,
                    format!("column `event`: `{other}` is not deploy, reinforce, reduce or withdraw"),
                );
                    continue;
                }
            },
        };
        let src = source.and_then(|c| row.get(c)).filter(|s| !s.is_empty());
        events.push(rows.event(row.line, &id, date, kind, src)?);
    }
    rows.finish(&reader)?;
    rows.commit(ledger, new_units, events)
}


/// One row of a levels file, read.
struct Level {
    line: usize,
    date: NaiveDate,
    contributor: Contributor,
    host: Country,
    metric: Metric,
    /// The figure, or `None` where the table marks it not reported.
    value: Option<u64>,
    footing: Footing,
    source: Option<String>,
}

/// A unit a movement log names.
struct FileUnit {
    id: UnitId,
    origin: Origin,
    /// The host of the file's last deploy of it.
    host: Option<Country>,
}

/// Where a unit a movement log names comes from.
enum Origin {
    /// The ledger has it, from this contributor.
    Ledger(Contributor),
    /// The file makes it: its position among the file's new units.
    New(usize),
    /// The file makes it at the first row that names it and reads.
    Unseen,
}

/// The header's columns, and the problems found so far.
struct Rows<'o> {
    header: Vec<String>,
    options: &'o ImportOptions,
    problems: Vec<Diagnostic>,
    metrics: Vec<Metric>,
    /// Every unit a file has named so far, each found by its id's text.
    units: Vec<FileUnit>,
    unit_ix: FastMap<UnitId, usize>,
    /// The text of the last event id made, reused.
    id_text: String,
    rows: usize,
}

/// Opens a file and finds its columns: the required ones in order, or an error.
fn open<'o, R: Read, const N: usize>(
    reader: R,
    options: &'o ImportOptions,
    required: &[&str; N],
) -> Result<(Reader<R>, Rows<'o>, [usize; N])> {
    {
        // Every row has as many fields as the header: a row with more or
        // fewer has lost its alignment (an unquoted `1,650` is two fields),
        // and reading it by position would misread it.
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .trim(csv::Trim::None)
            .from_reader(Tracker::new(reader));
        let mut problems = Vec::new();
        let mut problem = |line: usize, message: String| {
            problems.push(Diagnostic {
                file: options.file.clone(),
                line: Some(line),
                column: None,
                message,
            });
        };
        let header: Result<Vec<String>, String> = match reader.headers() {
            Ok(h) => Ok(h.iter().map(|h| h.trim().to_ascii_lowercase()).collect()),
            Err(e) => Err(match e.kind() {
                csv::ErrorKind::Utf8 { err, .. } => {
                    format!("column {}: not UTF-8 text", err.field() + 1)
                }
                _ => e.to_string(),
            }),
        };
        let line = reader.get_mut().next_start().unwrap_or(1);
        let header = match header {
            Ok(header) => header,
            Err(e) => {
                problem(line, format!("cannot read the header: {e}"));
                problems.extend(unterminated(reader.get_ref(), options));
                return Err(Error::Import(ImportError::new(problems)));
            }
        };
        // Columns are found by name: two of one name leave it unknown which
        // one the file means.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (j, name) in header.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            if let Some(i) = seen.insert(name, j) {
                problem(
                    line,
                    format!("columns {} and {} are both `{name}`", i + 1, j + 1),
                );
                seen.insert(name, i);
            }
        }
        let mut columns = [0; N];
        let mut missing = Vec::new();
        for (slot, name) in columns.iter_mut().zip(required) {
            match header.iter().position(|h| h == name) {
                Some(i) => *slot = i,
                None => missing.push(format!("`{name}`")),
            }
        }
        if !missing.is_empty() {
            problem(
                line,
                format!(
                    "missing column {}: the header is `{}`",
                    missing.join(", "),
                    header.join(",")
                ),
            );
        }
        if !problems.is_empty() {
            problems.extend(unterminated(reader.get_ref(), options));
            return Err(Error::Import(ImportError::new(problems)));
        }
        Ok((
            Reader {
                reader,
                record: csv::StringRecord::new(),
            },
            Rows {
                header,
                options,
                problems: Vec::new(),
                metrics: Vec::new(),
                units: Vec::new(),
                unit_ix: FastMap::default(),
                id_text: String::new(),
                rows: 0,
            },
            columns,
        ))
    }
}

/// A quote the end of the file left open, as a problem at the quote.
fn unterminated<R>(tracker: &Tracker<R>, options: &ImportOptions) -> Option<Diagnostic> {
    let (line, column) = tracker.unterminated()?;
    Some(Diagnostic {
        file: options.file.clone(),
        line: Some(line),
        column: Some(column),
        message: "the quote that opens here is never closed: it would take in the rest of the file"
            .into(),
    })
}

impl Rows<'_> {
    /// The problem with a row of `len` fields under a header of `expected`.
    fn unequal(&self, record: &csv::StringRecord, expected: u64, len: u64) -> String {
        let at = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        let last = self.header.last().map_or("", String::as_str);
        let gist = if len > expected {
            match record.get(at(expected)).map(str::trim) {
                Some(extra) if !extra.is_empty() => {
                    format!("`{extra}` is past the last column, `{last}`")
                }
                _ => format!("an empty field is past the last column, `{last}`"),
            }
        } else {
            let absent: Vec<String> = self
                .header
                .iter()
                .skip(at(len))
                .map(|h| format!("`{h}`"))
                .collect();
            format!("no {}", absent.join(", "))
        };
        let fields = if len == 1 { "field" } else { "fields" };
        format!("the row has {len} {fields}, the header {expected}: {gist}")
    }

    fn optional(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    fn problem(&mut self, line: usize, message: String) {
        self.problems.push(Diagnostic {
            file: self.options.file.clone(),
            line: Some(line),
            column: None,
            message,
        });
    }

    fn text<'r>(&mut self, row: &'r Row<'_>, column: usize) -> Option<&'r str> {
        match row.get(column).filter(|t| !t.is_empty()) {
            Some(t) => Some(t),
            None => {
                let name = self.header.get(column).cloned().unwrap_or_default();
                self.problem(row.line, format!("column `{name}`: empty"));
                None
            }
        }
    }

    fn parse_with<T>(
        &mut self,
        row: &Row<'_>,
        column: usize,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T>,
    ) -> Option<T> {
        let text = self.text(row, column)?;
        match parse(text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(row.line, format!("column `{name}`: {e}"));
                None
            }
        }
    }

    fn date(&mut self, row: &Row<'_>, column: usize) -> Option<NaiveDate> {
        let text = self.text(row, column)?;
        match iso_date(text).map_or_else(|| text.parse(), Ok) {
            Ok(d) => Some(d),
            Err(_) => {
                self.problem(
                    row.line,
                    format!("column `date`: `{text}` is not a date (YYYY-MM-DD)"),
                );
                None
            }
        }
    }

    fn country(&mut self, row: &Row<'_>, column: usize) -> Option<Country> {
        self.parse_with(row, column, "host", Country::new)
    }

    fn contributor(
        &mut self,
        row: &Row<'_>,
        column: usize,
        ledger: &Ledger,
    ) -> Option<Contributor> {
        let contributor =
            self.parse_with(row, column, "contributor", |t| t.parse::<Contributor>())?;
        if let Contributor::Alliance(a) = &contributor {
            if ledger.alliance(a).is_none() {
                self.problem(
                    row.line,
                    format!("column `contributor`: `{a}` is neither a country code nor an alliance of the ledger"),
                );
                return None;
            }
        }
        Some(contributor)
    }

    /// The unit a row names, as its position in [`units`](Rows::units): one
    /// lookup of the id's text per row, and everything the importer needs
    /// to know of the unit found with it. The id is the ledger's own copy
    /// where it has the unit, so the ledger finds each event's unit by its
    /// pointer.
    fn unit(&mut self, row: &Row<'_>, column: usize, ledger: &Ledger) -> Option<usize> {
        let text = self.text(row, column)?;
        if let Some(&u) = self.unit_ix.get(text) {
            return Some(u);
        }
        let id = self.parse_with(row, column, "unit", |t| UnitId::new(t))?;
        let (id, origin) = match ledger.unit(&id) {
            Some(unit) => (
                unit.id().clone(),
                Origin::Ledger(unit.contributor().clone()),
            ),
            None => (id, Origin::Unseen),
        };
        self.unit_ix.insert(id.clone(), self.units.len());
        self.units.push(FileUnit {
            id,
            origin,
            host: None,
        });
        Some(self.units.len() - 1)
    }

    fn metric(&mut self, row: &Row<'_>, column: usize) -> Option<Metric> {
        let text = self.text(row, column)?;
        // Files hold a handful of metrics: look them up rather than allocate one per row.
        if let Some(m) = self.metrics.iter().find(|m| m.name() == text) {
            return Some(m.clone());
        }
        match Metric::new(text) {
            Ok(m) => {
                self.metrics.push(m.clone());
                Some(m)
            }
            Err(e) => {
                self.problem(row.line, format!("column `metric`: {e}"));
                None
            }
        }
    }

    fn count(&mut self, row: &Row<'_>, column: usize) -> Option<u64> {
        let text = self.text(row, column)?;
        match text.parse::<Count>() {
            Ok(c) => Some(c.get()),
            Err(_) => {
                let name = self.header.get(column).cloned().unwrap_or_default();
                let separated = text.contains([',', '_']);
                let digits: String = text.chars().filter(|c| !matches!(c, ',' | '_')).collect();
                let why = if text.starts_with('-') {
                    "is negative"
                } else if separated && digits.parse::<u64>().is_ok() {
                    "is not a whole number: separators must set off groups of three digits, as in 1,650"
                } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    "is larger than a count can hold"
                } else {
                    "is not a whole number"
                };
                self.problem(row.line, format!("column `{name}`: `{text}` {why}"));
                None
            }
        }
    }

    /// A levels row's figure: `Some(None)` where the table marks it not
    /// reported ([`NOT_REPORTED`]), `None` (and a problem) where it does not read.
    fn level(&mut self, row: &Row<'_>, column: usize) -> Option<Option<u64>> {
        let text = row.get(column).unwrap_or_default();
        if NOT_REPORTED.iter().any(|f| f.eq_ignore_ascii_case(text)) {
            return Some(None);
        }
        self.count(row, column).map(Some)
    }

    fn footing(&mut self, row: &Row<'_>, column: Option<usize>) -> Option<Footing> {
        match column.and_then(|c| row.get(c)).filter(|t| !t.is_empty()) {
            None => Some(self.options.default_footing()),
            Some(_) => self.parse_with(row, column?, "footing", |t| t.parse::<Footing>()),
        }
    }

    fn event(
        &mut self,
        line: usize,
        unit: &UnitId,
        date: NaiveDate,
        kind: EventKind,
        source: Option<&str>,
    ) -> Result<Event> {
        self.id_text.clear();
        // Writing to a `String` cannot fail.
        let _ = write!(self.id_text, "{}:{line}", self.options.id_prefix());
        self.event_with_id(line, unit, date, kind, source)
    }

    /// A census's zero record, the `n`th of the snapshot whose first row is
    /// at `line`: id `PREFIX:LINE:census-N`, citing that row's line.
    fn census_event(
        &mut self,
        (line, n): (usize, usize),
        unit: &UnitId,
        date: NaiveDate,
        kind: EventKind,
        source: Option<&str>,
    ) -> Result<Event> {
        self.id_text.clear();
        // Writing to a `String` cannot fail.
        let _ = write!(self.id_text, "{}:{line}:census-{n}", self.options.id_prefix());
        self.event_with_id(line, unit, date, kind, source)
    }

    /// An event with the id in `id_text`, citing `line` of `source` or the file.
    fn event_with_id(
        &mut self,
        line: usize,
        unit: &UnitId,
        date: NaiveDate,
        kind: EventKind,
        source: Option<&str>,
    ) -> Result<Event> {
        let id = EventId::new(&self.id_text)?;
        let source = Source {
            document: source.unwrap_or(&self.options.file).to_string(),
            line: u32::try_from(line).ok(),
            ..Source::default()
        };
        Ok(Event::new(id, unit.clone(), date, kind).with_source(source))
    }

    /// Every problem found, a quote left open at the end of the file among
    /// them, or nothing.
    fn finish<R: Read>(&mut self, reader: &Reader<R>) -> Result<()> {
        self.problems
            .extend(unterminated(reader.reader.get_ref(), self.options));
        if self.problems.is_empty() {
            return Ok(());
        }
        Err(Error::Import(ImportError::new(std::mem::take(
            &mut self.problems,
        ))))
    }

    /// Adds the units and events, all or nothing; a refusal is reported at the
    /// line of the row it comes from.
    fn commit(
        &self,
        ledger: &mut Ledger,
        units: Vec<Unit>,
        events: Vec<Event>,
    ) -> Result<Imported> {
        let imported = Imported {
            rows: self.rows,
            units: units.len(),
            events: events.len(),
            ..Imported::default()
        };
        // Ids are `PREFIX:LINE`, and the prefix is the file's name: the same
        // file imported twice, or two files of one name from different
        // folders, would give the same ids. Neither may pass for the other.
        let mut clashes = events
            .iter()
            .filter_map(|new| Some((new, ledger.event(new.id())?)));
        if let Some((new, old)) = clashes.next() {
            let more = clashes.count();
            let from = old.source().map_or(String::new(), |s| match s.line {
                Some(l) => format!(", from `{}` line {l}", s.document),
                None => format!(", from `{}`", s.document),
            });
            let all = if more > 0 {
                format!(" ({} ids clash)", more + 1)
            } else {
                String::new()
            };
            return Err(Error::Import(ImportError::new(vec![Diagnostic {
                file: self.options.file.clone(),
                line: new
                    .source()
                    .and_then(|s| s.line)
                    .and_then(|l| usize::try_from(l).ok()),
                column: None,
                message: format!(
                    "event id `{}` is already in the ledger{from}: give this import another id prefix with `ImportOptions::with_id_prefix`{all}",
                    new.id()
                ),
            }])));
        }
        ledger.extend(units, events).map_err(|e| {
            // An event's id is `PREFIX:LINE`, or a census's `PREFIX:LINE:census-N`:
            // the row it comes from.
            let line = match &e {
                Error::InvalidRecord {
                    kind: crate::RecordKind::Event,
                    id,
                    ..
                } => id
                    .strip_prefix(self.options.id_prefix())
                    .and_then(|rest| rest.strip_prefix(':'))
                    .and_then(|rest| rest.split(':').next())
                    .and_then(|l| l.parse().ok()),
                _ => None,
            };
            Error::Import(ImportError::new(vec![Diagnostic {
                file: self.options.file.clone(),
                line,
                column: None,
                message: e.to_string(),
            }]))
        })?;
        Ok(imported)
    }
}


#[cfg(test)]
mod tests;
