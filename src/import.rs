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
//!   ledger does not know are created from their first row. With signed
//!   amounts ([`ImportOptions::with_signed_amounts`]) there is no `event`
//!   column: the verb follows from the unit's strength.
//!
//! Those are the names of the plain format. A published table is read as it
//! comes through an [`ImportSpec`] ([`ImportOptions`] builds one): which
//! column gives each [`Field`] or which constant stands for it, a date
//! format, several value columns as several metrics, rows to skip, codes for
//! hosts that lack one, and whether duplicates are summed. Events cite the
//! published file's own lines, and share one [`Document`]
//! per document named.
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
//! - two figures of a levels table for one contingent, metric and date are
//!   an error naming both lines, unless the spec sums them
//!   ([`Duplicates`]);
//! - event ids (`PREFIX:LINE`) the ledger already holds are refused: import
//!   a file of the same name again under [`ImportOptions::with_id_prefix`].
//!
//! Every row that does not read is reported, with its line in the file; a file
//! with any error changes nothing, and neither does one the ledger refuses.
//! Rows are streamed, one record buffer reused throughout.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::NaiveDate;

use crate::country::Country;
use crate::deployment::{Footing, Location};
use crate::error::{Error, Result};
use crate::event::{Document, Event, EventKind};
use crate::hash::FastMap;
use crate::ledger::Ledger;
use crate::metric::{Count, Metric, Quantity};
use crate::unit::{Contributor, Unit, UnitId, UnitKind};

mod claims;
mod read;
mod rows;
mod spec;

use read::Row;
use rows::Rows;

pub use claims::claims_csv;
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

    /// Reads each row's region from `column`: a region per text it holds,
    /// of the hosts of the rows that name it, known by the text's slug
    /// ([`ImportSpec::region_column`]).
    pub fn with_region_column(mut self, column: impl Into<String>) -> Self {
        self.spec.region_column = Some(column.into());
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
    /// With several [value columns](Self::with_value_column), both carry
    /// the metric: `PREFIX:LINE:METRIC` and `PREFIX:LINE:METRIC:census-N`.
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
    /// or a filler such as `n/a`): read, and recorded as nothing. A row
    /// of several value columns counts once for each figure not reported.
    pub not_reported: usize,
    /// Rows a skip rule of the spec matched ([`ImportSpec::skip`]): counted
    /// among the rows read, and otherwise not read at all.
    pub skipped: usize,
}

/// Every problem found in an imported file, in file order: the same list of
/// diagnostics, each with the file and line, as a scenario file's.
pub type ImportError = crate::error::ScenarioError;

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
/// spec that does not fit the table (a field with both a column and a
/// constant, one a levels table has not, a constant that does not read, a
/// bad date format); a second figure for one contributor, host, footing,
/// metric and date, unless the spec sums them; a row that does not read — an unknown country or alliance, a bad date, a
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
    use rows::Need::{Optional, Required};
    let (mut reader, mut rows) = rows::open(
        reader,
        options,
        rows::Kind::Levels,
        &[
            (Field::Date, Required),
            (Field::Contributor, Required),
            (Field::Host, Required),
            (Field::Metric, Required),
            (Field::Value, Required),
            (Field::Footing, Optional),
            (Field::Source, Optional),
        ],
    )?;
    let values = rows.values.clone();
    let mut read = Vec::new();
    while let Some(row) = reader.next_row(&mut rows) {
        if rows.skips(&row) {
            continue;
        }
        let start = read.len();
        let parsed = (|| {
            let date = rows.date(&row)?;
            let contributor = rows.contributor(&row, ledger)?;
            let host = rows.host(&row, ledger)?;
            let footing = rows.footing(&row)?;
            let source = rows.source(&row);
            for (column, metric) in &values {
                let metric = match metric {
                    Some(m) => m.clone(),
                    None => rows.metric(&row)?,
                };
                read.push(Level {
                    line: row.line,
                    date,
                    contributor: contributor.clone(),
                    host,
                    metric,
                    value: rows.level_at(&row, *column)?,
                    footing,
                    source: source.clone(),
                });
            }
            Some(())
        })();
        if parsed.is_none() {
            read.truncate(start);
        }
    }
    rows.finish(&reader)?;
    let not_reported = read.iter().filter(|l| l.value.is_none()).count();
    duplicates(&mut read, options.spec.duplicates, &mut rows)?;

    // One contingent per contributor, host and footing; its rows of figures
    // in date order. A row not reported records nothing.
    let mut contingents: FastMap<(Contributor, Country, Footing), Vec<usize>> = FastMap::default();
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
            events.push(rows.event(level.line, &id, level.date, kind, level.source.as_ref())?);
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
    // The rows as read are done with: the ledger's batch should not be
    // planned beside them.
    drop(read);
    let mut imported = rows.commit(ledger, units, events)?;
    imported.census_zeros = census_zeros;
    imported.not_reported = not_reported;
    Ok(imported)
}

/// Two figures for one contributor, host, footing, metric and date: an
/// error naming both lines, or with [`Duplicates::Sum`], one figure, the
/// sum, citing the first row. Rows not reported are no figures, and are
/// left as they are.
fn duplicates(read: &mut Vec<Level>, rule: Duplicates, rows: &mut Rows<'_>) -> Result<()> {
    // Each figure's key to the first figure of it, in file order: one hash
    // per row. Only the repeats, which are few, are then sorted, by key as
    // the problems are reported.
    let mut first: FastMap<_, usize> = FastMap::default();
    first.reserve(read.len());
    let mut repeats = Vec::new();
    for (i, l) in read.iter().enumerate().filter(|(_, l)| l.value.is_some()) {
        let key = (&l.contributor, l.host, l.footing, &l.metric, l.date);
        match first.entry(key) {
            std::collections::hash_map::Entry::Occupied(f) => repeats.push((key, *f.get(), i)),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i);
            }
        }
    }
    drop(first);
    repeats.sort_unstable_by(|a, b| (a.0, a.2).cmp(&(b.0, b.2)));
    let order: Vec<(usize, usize)> = repeats.into_iter().map(|(_, f, i)| (f, i)).collect();
    let mut gone = vec![false; read.len()];
    for (f, i) in order {
        let (a, b) = (&read[f], &read[i]);
        match rule {
            Duplicates::Refuse => {
                let message = format!(
                    "line {} already gives {} of {} in {} ({}) on {}: two figures for one date are an error, unless the spec sums them (`duplicates = \"sum\"`)",
                    a.line, a.metric, a.contributor, a.host, a.footing, a.date
                );
                rows.problem(b.line, message);
            }
            Duplicates::Sum => {
                let (x, y) = (a.value.unwrap_or(0), b.value.unwrap_or(0));
                match x.checked_add(y).filter(|&s| s <= Count::RECORD_MAX.get()) {
                    Some(sum) => read[f].value = Some(sum),
                    None => {
                        let message = format!(
                            "the sum of {} with line {}'s figure is larger than a count can hold",
                            a.metric, a.line
                        );
                        rows.problem(b.line, message);
                    }
                }
                gone[i] = true;
            }
        }
    }
    if !rows.problems.is_empty() {
        return Err(Error::Import(ImportError::new(std::mem::take(
            &mut rows.problems,
        ))));
    }
    if gone.contains(&true) {
        let mut i = 0;
        read.retain(|_| {
            i += 1;
            !gone[i - 1]
        });
    }
    Ok(())
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
                    read[first].source.as_ref(),
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
/// contributor than the ledger's. With signed amounts, a change of 0, a fall
/// of a unit not deployed, or one of more than the unit has.
///
/// # Signed amounts
///
/// With [`Amounts::Signed`] a row gives a signed amount (`900`, `+750`,
/// `-650`, `"-1,000"`) and no verb. Rows are taken in date order (file order
/// within a date), and each verb follows from the unit's strength in the
/// row's metric before it: *deploy* a unit not deployed, *reinforce* for a
/// rise, *reduce* for a fall, *withdraw* for a fall to nothing, in every
/// metric. A unit the ledger already has starts from its strength there on
/// the day before the file's first change of it.
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
    use rows::Need::{Optional, Required};
    let (mut reader, mut rows) = rows::open(
        reader,
        options,
        rows::Kind::Changes,
        &[
            (Field::Date, Required),
            (Field::Event, Required),
            (Field::Unit, Required),
            (Field::Contributor, Required),
            (Field::Host, Required),
            (Field::Metric, Required),
            (Field::Amount, Required),
            (Field::Footing, Optional),
            (Field::Source, Optional),
            (Field::Kind, Optional),
        ],
    )?;
    let signed = options.spec.amounts == Amounts::Signed;
    let mut file = ChangesFile::default();
    // Signed changes are read in date order, since each one's verb follows
    // from the strength the ones before it left; changes with verbs are
    // applied as they are read.
    let mut held = Vec::new();
    while let Some(row) = reader.next_row(&mut rows) {
        if rows.skips(&row) {
            continue;
        }
        let Some(change) = read_change(&mut rows, &row, ledger, signed) else {
            continue;
        };
        if signed {
            held.push(change);
        } else {
            file.apply(change, &mut rows, ledger)?;
        }
    }
    held.sort_by_key(|c| (c.date, c.line));
    for change in held {
        file.apply(change, &mut rows, ledger)?;
    }
    rows.finish(&reader)?;
    rows.commit(ledger, file.new_units, file.events)
}

/// What a changes row does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verb {
    Deploy,
    Reinforce,
    Reduce,
    Withdraw,
}

/// A changes row's action: a verb the table gives, or a signed amount
/// whose verb follows from the unit's strength.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Verb(Verb),
    Signed { negative: bool },
}

/// One row of a changes file, read.
struct Change {
    line: usize,
    date: NaiveDate,
    action: Action,
    /// The unit, as its position in [`Rows::units`].
    unit: usize,
    contributor: Contributor,
    host: Country,
    /// `None` for a withdrawal, which takes the whole unit.
    metric: Option<Metric>,
    footing: Footing,
    amount: u64,
    unit_kind: UnitKind,
    source: Option<Document>,
}

/// Reads a changes row, or reports why it does not read.
fn read_change(
    rows: &mut Rows<'_>,
    row: &Row<'_>,
    ledger: &Ledger,
    signed: bool,
) -> Option<Change> {
    let date = rows.date(row)?;
    let action = if signed {
        None
    } else {
        let verb = rows.text(row, Field::Event)?;
        Some(match verb.to_ascii_lowercase().as_str() {
            "deploy" => Verb::Deploy,
            "reinforce" => Verb::Reinforce,
            "reduce" => Verb::Reduce,
            "withdraw" => Verb::Withdraw,
            _ => {
                let message = format!(
                    "column `event`: `{verb}` is not deploy, reinforce, reduce or withdraw"
                );
                rows.problem(row.line, message);
                return None;
            }
        })
    };
    let unit = rows.unit(row, ledger)?;
    let contributor = rows.contributor(row, ledger)?;
    let host = rows.host(row, ledger)?;
    // A withdrawal takes the whole unit: it has no metric or amount.
    let withdraw = action == Some(Verb::Withdraw);
    let metric = if withdraw {
        None
    } else {
        Some(rows.metric(row)?)
    };
    let footing = rows.footing(row)?;
    let (action, amount) = match action {
        Some(Verb::Withdraw) => (Action::Verb(Verb::Withdraw), 0),
        Some(verb) => (Action::Verb(verb), rows.count(row, Field::Amount)?),
        None => {
            let (negative, amount) = rows.signed(row)?;
            (Action::Signed { negative }, amount)
        }
    };
    let unit_kind = rows.unit_kind(row)?;
    let source = rows.source(row);
    Some(Change {
        line: row.line,
        date,
        action,
        unit,
        contributor,
        host,
        metric,
        footing,
        amount,
        unit_kind,
        source,
    })
}

/// What a changes file has made so far.
#[derive(Default)]
struct ChangesFile {
    new_units: Vec<Unit>,
    events: Vec<Event>,
    /// For signed changes, each unit's strength after the file's changes
    /// so far, by its position in [`Rows::units`]: `None` where it is not
    /// deployed. A unit the file has not changed yet is not here.
    strength: FastMap<usize, Option<Vec<Quantity>>>,
}

impl ChangesFile {
    /// Records a change, or reports why it cannot be.
    fn apply(&mut self, change: Change, rows: &mut Rows<'_>, ledger: &Ledger) -> Result<()> {
        let Change {
            line,
            date,
            action,
            unit: u,
            contributor,
            host,
            metric,
            footing,
            amount,
            unit_kind,
            source,
        } = change;
        let id = rows.units[u].id.clone();
        let verb = match action {
            Action::Verb(verb) => verb,
            Action::Signed { negative } => {
                let Some(metric) = &metric else {
                    return Ok(());
                };
                let now = self.strength.entry(u).or_insert_with(|| {
                    // The ledger's strength the day before the file's first
                    // change of the unit.
                    let before = date.pred_opt().unwrap_or(date);
                    ledger
                        .deployment(&id, before)
                        .ok()
                        .flatten()
                        .map(|d| d.strength)
                });
                let has = |q: &[Quantity]| {
                    q.iter()
                        .find(|q| &q.metric == metric)
                        .map_or(0, |q| q.count.get())
                };
                match (now.as_deref(), negative) {
                    (None, false) => Verb::Deploy,
                    (Some(_), false) => Verb::Reinforce,
                    (None, true) => {
                        let label = "column `amount`";
                        rows.problem(
                            line,
                            format!("{label}: unit `{id}` is not deployed on {date}: -{amount} takes from nothing"),
                        );
                        return Ok(());
                    }
                    (Some(q), true) => {
                        let there = has(q);
                        let others = q.iter().any(|q| &q.metric != metric && q.count.get() > 0);
                        if amount > there {
                            rows.problem(
                                line,
                                format!("column `amount`: unit `{id}` has {} {metric} on {date}: -{amount} takes {} more than there are", Count::new(there), Count::new(amount - there)),
                            );
                            return Ok(());
                        } else if amount == there && !others {
                            Verb::Withdraw
                        } else {
                            Verb::Reduce
                        }
                    }
                }
            }
        };
        // The unit: the ledger's, or one this file creates.
        match &rows.units[u].origin {
            Origin::Ledger(from) if from != &contributor => {
                let problem = format!(
                    "column `contributor`: unit `{id}` is contributed by {from}, not {contributor}"
                );
                rows.problem(line, problem);
                return Ok(());
            }
            Origin::Ledger(_) => {}
            &Origin::New(n) if self.new_units[n].contributor() != &contributor => {
                rows.problem(
                    line,
                    format!(
                        "column `contributor`: unit `{id}` is contributed by {} (from an earlier row), not {contributor}",
                        self.new_units[n].contributor()
                    ),
                );
                return Ok(());
            }
            &Origin::New(n) => {
                if let Some(m) = metric.as_ref().filter(|m| !self.new_units[n].counts(m)) {
                    let mut metrics = self.new_units[n].metrics().to_vec();
                    metrics.push(m.clone());
                    self.new_units[n] = self.new_units[n].clone().with_metrics(metrics);
                }
            }
            Origin::Unseen => {
                rows.units[u].origin = Origin::New(self.new_units.len());
                let unit = Unit::new(id.clone(), id.to_string(), contributor, unit_kind);
                self.new_units.push(match &metric {
                    Some(m) => unit.with_metrics([m.clone()]),
                    None => unit,
                });
            }
        }
        // A change must name the country its unit is in: the host of the
        // file's last deploy of it, or else the ledger's deployment.
        if matches!(verb, Verb::Reinforce | Verb::Reduce) {
            let known = rows.units[u].host.or_else(|| {
                match ledger.deployment(&id, date).ok().flatten()?.location {
                    Location::Country(c) => Some(c),
                    Location::Base(b) => ledger.base(&b).map(|b| b.host()),
                    Location::Region(_) => None,
                }
            });
            if let Some(there) = known.filter(|&there| there != host) {
                rows.problem(
                    line,
                    format!("column `host`: unit `{id}` is in {there}, not {host}"),
                );
                return Ok(());
            }
        }
        if verb == Verb::Deploy {
            rows.units[u].host = Some(host);
        }
        let count = Count::new(amount);
        let kind = match (verb, metric) {
            (Verb::Withdraw, _) => EventKind::Withdraw,
            (_, None) => return Ok(()),
            (Verb::Deploy, Some(metric)) => EventKind::Deploy {
                location: Location::Country(host),
                footing,
                strength: vec![Quantity::new(metric, count)],
            },
            (Verb::Reinforce, Some(metric)) => EventKind::Reinforce { metric, count },
            (Verb::Reduce, Some(metric)) => EventKind::Reduce { metric, count },
        };
        if let Action::Signed { .. } = action {
            self.follow(u, &kind);
        }
        let event = rows.event(line, &id, date, kind, source.as_ref())?;
        self.events.push(event);
        Ok(())
    }

    /// Follows a signed change's effect on its unit's strength.
    fn follow(&mut self, u: usize, kind: &EventKind) {
        let Some(now) = self.strength.get_mut(&u) else {
            return;
        };
        match kind {
            EventKind::Deploy { strength, .. } => *now = Some(strength.clone()),
            EventKind::Withdraw => *now = None,
            EventKind::Reinforce { metric, count } | EventKind::Reduce { metric, count } => {
                let up = matches!(kind, EventKind::Reinforce { .. });
                let q = now.get_or_insert_with(Vec::new);
                match q.iter_mut().find(|q| &q.metric == metric) {
                    Some(q) => {
                        let n = if up {
                            q.count.checked_add(*count)
                        } else {
                            q.count.checked_sub(*count)
                        };
                        // The ledger refuses a change past a count's range.
                        q.count = n.unwrap_or(q.count);
                    }
                    None if up => q.push(Quantity::new(metric.clone(), *count)),
                    None => {}
                }
            }
            _ => {}
        }
    }
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
    source: Option<Document>,
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

/// The Rust examples of `docs/format.md`, run as doctests so that the page
/// stays true.
#[cfg(doctest)]
#[doc = include_str!("../docs/format.md")]
pub struct FormatPage;

#[cfg(test)]
mod tests;
