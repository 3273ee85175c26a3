//! A table's header read against the spec, and its rows read field by field,
//! every problem kept with its line.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::Read;

use chrono::NaiveDate;

use super::read::{iso_date, Outcome, Reader, Record, Row, Tracker, NOT_REPORTED};
use super::spec::{Amounts, Field, HostCodes, SkipWhen};
use super::{FileUnit, ImportError, ImportOptions, Imported, Origin};
use crate::country::{Country, Region, RegionId};
use crate::deployment::Footing;
use crate::error::Diagnostic;
use crate::error::{Error, Result};
use crate::event::{Document, Event, EventId, EventKind, Source};
use crate::hash::FastMap;
use crate::ledger::Ledger;
use crate::metric::{Count, Metric};
use crate::unit::{Contributor, Unit, UnitId, UnitKind};

/// How many [`Field`]s there are.
const FIELDS: usize = 17;

/// Where a row's field comes from.
#[derive(Clone, Copy, Debug)]
pub(super) enum Cell<'o> {
    /// A column of the table, by position.
    Column(usize),
    /// The spec's text, the same in every row.
    Constant(&'o str),
    /// Neither: an optional field the table lacks.
    Absent,
}

/// Whether an importer must have a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Need {
    /// A column or a constant, or the table is refused.
    Required,
    /// Read where the table has it.
    Optional,
}

/// The kind of table being read, as messages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Observed strengths.
    Levels,
    /// Movements.
    Changes,
    /// Claims.
    Claims,
}

/// The header's columns, what the spec makes of them, and the problems
/// found so far.
pub(super) struct Rows<'o> {
    pub(super) header: Vec<String>,
    pub(super) options: &'o ImportOptions,
    pub(super) problems: Vec<Diagnostic>,
    metrics: Vec<Metric>,
    /// Every unit a file has named so far, each found by its id's text.
    pub(super) units: Vec<FileUnit>,
    unit_ix: FastMap<UnitId, usize>,
    /// The text of the last event id made, reused.
    id_text: String,
    /// Whether the id prefix, with a colon and digits after it, makes a
    /// valid id (if short enough).
    prefix_checked: bool,
    pub(super) rows: usize,
    /// Rows a skip rule matched.
    pub(super) skipped: usize,
    /// Where each field comes from, by [`Field`] as a number.
    cells: [Cell<'o>; FIELDS],
    /// A levels table's value columns and their metrics: the spec's, or
    /// else the `value` column, whose metric each row gives.
    pub(super) values: Vec<(usize, Option<Metric>)>,
    skips: Vec<(usize, &'o SkipWhen)>,
    host_codes: Vec<(usize, &'o HostCodes)>,
    /// The country each name a `by_name` column holds stands for, if any.
    names: FastMap<Box<str>, Option<Country>>,
    /// The code each text of the host column is, if any.
    codes: FastMap<Box<str>, Option<Country>>,
    /// The column that names each row's region, if the spec gives one.
    region_column: Option<usize>,
    /// Each region the column names, by its text: the line that first
    /// names it, and the hosts of its rows.
    regions: BTreeMap<String, (usize, BTreeSet<Country>)>,
    /// One copy of each document's name the file cites, shared by the
    /// events that cite it: the file's own, and each `source` a row gives.
    file_document: Document,
    documents: FastMap<Box<str>, Document>,
    /// The contributors read so far, by their text as the table gives it.
    contributors: FastMap<Box<str>, Contributor>,
}

/// Opens a file and reads its header against the spec: where each of
/// `fields` comes from, or an error naming every column missing and every
/// part of the spec that does not fit a table of `kind`.
pub(super) fn open<'o, R: Read>(
    reader: R,
    options: &'o ImportOptions,
    kind: Kind,
    fields: &[(Field, Need)],
) -> Result<(Reader<R>, Rows<'o>)> {
    // Every row has as many fields as the header: a row with more or
    // fewer has lost its alignment (an unquoted `1,650` is two fields),
    // and reading it by position would misread it.
    let mut reader = Reader::new(reader);
    let mut problems = Vec::new();
    let mut problem = |line: Option<usize>, message: String| {
        problems.push(Diagnostic {
            file: options.file.clone(),
            line,
            column: None,
            message,
        });
    };
    let header: Result<Vec<String>, String> = match reader.read() {
        Outcome::Record | Outcome::End | Outcome::Unequal { .. } => Ok(reader
            .record
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect()),
        Outcome::NotUtf8 { field } => Err(format!("column {}: not UTF-8 text", field + 1)),
        Outcome::Io(e) => Err(e.to_string()),
    };
    let line = reader.next_start().unwrap_or(1);
    let header = match header {
        Ok(header) => header,
        Err(e) => {
            problem(Some(line), format!("cannot read the header: {e}"));
            problems.extend(unterminated(reader.tracker(), options));
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
                Some(line),
                format!("columns {} and {} are both `{name}`", i + 1, j + 1),
            );
            seen.insert(name, i);
        }
    }
    let spec = &options.spec;
    let mut missing: Vec<String> = Vec::new();
    let mut find = |name: &str| -> Option<usize> {
        let name = name.trim().to_ascii_lowercase();
        let found = header.iter().position(|h| *h == name);
        if found.is_none() && !missing.contains(&name) {
            missing.push(name);
        }
        found
    };
    let mut spec_problems = Vec::new();
    // With value columns, each gives its own metric.
    let by_values = kind == Kind::Levels && !spec.values.is_empty();
    let mut cells = [Cell::Absent; FIELDS];
    for field in all_fields() {
        let need = fields.iter().find(|(f, _)| *f == field).map(|&(_, n)| n);
        let column = spec.columns.get(&field);
        let constant = spec.constants.get(&field);
        let named = column.is_some() || constant.is_some();
        let need = match need {
            Some(_) if by_values && matches!(field, Field::Value | Field::Metric) => {
                if named {
                    spec_problems.push(format!(
                        "a table with `values` has no field `{field}`: the metric is each value column's"
                    ));
                }
                continue;
            }
            Some(need) => need,
            None => {
                if named {
                    spec_problems.push(format!("a {kind} table has no field `{field}`"));
                }
                continue;
            }
        };
        cells[field as usize] = match (column, constant) {
            (Some(_), Some(_)) => {
                spec_problems.push(format!("field `{field}` has both a column and a constant"));
                Cell::Absent
            }
            (None, Some(_)) if matches!(field, Field::Value | Field::Amount) => {
                spec_problems.push(format!("field `{field}` cannot be a constant"));
                Cell::Absent
            }
            (None, Some(text)) => {
                if let Err(e) = constant_reads(field, text, spec.date_format.as_deref()) {
                    spec_problems.push(format!("constant `{field}`: {e}"));
                }
                Cell::Constant(text.trim())
            }
            // A column the spec names must be there.
            (Some(name), None) => find(name).map_or(Cell::Absent, Cell::Column),
            (None, None) => {
                let at = header.iter().position(|h| h == field.name());
                // A host may come from the spec's codes alone, and signed
                // amounts have no verb.
                let spared = (field == Field::Host && !spec.host_codes.is_empty())
                    || (field == Field::Event && spec.amounts == Amounts::Signed);
                match (at, need) {
                    (Some(i), _) => Cell::Column(i),
                    (None, Need::Required) if !spared => {
                        find(field.name());
                        Cell::Absent
                    }
                    (None, _) => Cell::Absent,
                }
            }
        };
    }
    let mut values = Vec::new();
    if by_values {
        for v in &spec.values {
            let metric = match Metric::new(v.metric.trim()) {
                Ok(m) => Some(m),
                Err(e) => {
                    spec_problems.push(format!("value column `{}`: {e}", v.column));
                    None
                }
            };
            if let Some(i) = find(&v.column) {
                values.push((i, metric));
            }
        }
    } else if kind == Kind::Levels {
        if let Cell::Column(i) = cells[Field::Value as usize] {
            values.push((i, None));
        }
    } else if !spec.values.is_empty() {
        spec_problems.push(format!("a {kind} table has no `values`"));
    }
    let skips: Vec<_> = spec
        .skip
        .iter()
        .filter_map(|s| Some((find(&s.column)?, &s.when)))
        .collect();
    let host_codes: Vec<_> = spec
        .host_codes
        .iter()
        .filter_map(|h| Some((find(&h.column)?, h)))
        .collect();
    if let Some(format) = &spec.date_format {
        if !strftime_reads(format) {
            spec_problems.push(format!(
                "`date_format`: `{format}` is not a strftime format"
            ));
        }
    }
    let region_column = spec.region_column.as_deref().and_then(&mut find);
    if kind == Kind::Claims && spec.region_column.is_some() {
        spec_problems.push("a claims table has no `region_column`".into());
    }
    if kind == Kind::Changes && spec.amounts == Amounts::Signed {
        if spec.columns.contains_key(&Field::Event) || spec.constants.contains_key(&Field::Event) {
            spec_problems.push("a table of signed amounts has no field `event`: the verb follows from the unit's strength".into());
        }
        cells[Field::Event as usize] = Cell::Absent;
    }
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        problem(
            Some(line),
            format!(
                "missing column {}: the header is `{}`",
                names.join(", "),
                header.join(",")
            ),
        );
    }
    for message in spec_problems {
        problem(None, format!("spec: {message}"));
    }
    if !problems.is_empty() {
        problems.extend(unterminated(reader.tracker(), options));
        return Err(Error::Import(ImportError::new(problems)));
    }
    Ok((
        reader,
        Rows {
            header,
            options,
            problems: Vec::new(),
            metrics: Vec::new(),
            units: Vec::new(),
            unit_ix: FastMap::default(),
            id_text: String::new(),
            prefix_checked: crate::id::validate(&format!("{}:1", options.id_prefix())).is_ok(),
            rows: 0,
            skipped: 0,
            cells,
            values,
            skips,
            host_codes,
            names: FastMap::default(),
            codes: FastMap::default(),
            region_column,
            regions: BTreeMap::new(),
            file_document: Document::from(options.file.as_str()),
            documents: FastMap::default(),
            contributors: FastMap::default(),
        },
    ))
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Levels => "levels",
            Kind::Changes => "changes",
            Kind::Claims => "claims",
        })
    }
}

/// Every field, in the order of their numbers.
fn all_fields() -> [Field; FIELDS] {
    use Field::*;
    [
        Date,
        Contributor,
        Host,
        Metric,
        Value,
        Footing,
        Source,
        Event,
        Unit,
        Amount,
        Kind,
        Id,
        AsOf,
        Scope,
        Qualifier,
        Quote,
        Line,
    ]
}

/// Whether `format` is a `strftime` format chrono reads.
fn strftime_reads(format: &str) -> bool {
    use chrono::format::{Item, StrftimeItems};
    StrftimeItems::new(format).all(|i| !matches!(i, Item::Error))
}

/// Whether a constant reads as its field, so that one that does not is
/// reported once, for the spec, and not at every row.
fn constant_reads(field: Field, text: &str, format: Option<&str>) -> Result<(), String> {
    let text = text.trim();
    let e = |e: Error| e.to_string();
    match field {
        Field::Date => parse_date(text, format).map(|_| ()).ok_or_else(|| {
            format!(
                "`{text}` is not a date ({})",
                format.unwrap_or("YYYY-MM-DD")
            )
        }),
        Field::Contributor => text.parse::<Contributor>().map(|_| ()).map_err(e),
        Field::Host => Country::new(text).map(|_| ()).map_err(e),
        Field::Metric => Metric::new(text).map(|_| ()).map_err(e),
        Field::Footing => text.parse::<Footing>().map(|_| ()).map_err(e),
        Field::Unit => UnitId::new(text).map(|_| ()).map_err(e),
        Field::Kind => text.parse::<UnitKind>().map(|_| ()).map_err(e),
        Field::Event => match text.to_ascii_lowercase().as_str() {
            "deploy" | "reinforce" | "reduce" | "withdraw" => Ok(()),
            _ => Err(format!(
                "`{text}` is not deploy, reinforce, reduce or withdraw"
            )),
        },
        Field::AsOf => text.parse::<crate::AsOf>().map(|_| ()).map_err(e),
        Field::Qualifier => text
            .parse::<crate::Qualifier>()
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Field::Id => crate::ClaimId::new(text).map(|_| ()).map_err(e),
        // A scope needs the ledger's names: it is read at each row.
        Field::Line => text
            .parse::<u32>()
            .ok()
            .filter(|&n| n > 0)
            .map(|_| ())
            .ok_or_else(|| format!("`{text}` is not a line number")),
        Field::Scope | Field::Source | Field::Quote | Field::Value | Field::Amount => Ok(()),
    }
}

/// A date in `format`, or `YYYY-MM-DD` (and what chrono reads as a date)
/// where there is none.
fn parse_date(text: &str, format: Option<&str>) -> Option<NaiveDate> {
    match format {
        Some(f) => NaiveDate::parse_from_str(text, f).ok(),
        None => iso_date(text).or_else(|| text.parse().ok()),
    }
}

/// A quote the end of the file left open, as a problem at the quote.
pub(super) fn unterminated<R>(tracker: &Tracker<R>, options: &ImportOptions) -> Option<Diagnostic> {
    let (line, column) = tracker.unterminated()?;
    Some(Diagnostic {
        file: options.file.clone(),
        line: Some(line),
        column: Some(column),
        message: "the quote that opens here is never closed: it would take in the rest of the file"
            .into(),
    })
}

impl<'o> Rows<'o> {
    /// The problem with a row of `len` fields under a header of `expected`.
    pub(super) fn unequal(&self, record: &Record, expected: usize, len: usize) -> String {
        let last = self.header.last().map_or("", String::as_str);
        let gist = if len > expected {
            match record.get(expected).map(str::trim) {
                Some(extra) if !extra.is_empty() => {
                    format!("`{extra}` is past the last column, `{last}`")
                }
                _ => format!("an empty field is past the last column, `{last}`"),
            }
        } else {
            let absent: Vec<String> = self
                .header
                .iter()
                .skip(len)
                .map(|h| format!("`{h}`"))
                .collect();
            format!("no {}", absent.join(", "))
        };
        let fields = if len == 1 { "field" } else { "fields" };
        format!("the row has {len} {fields}, the header {expected}: {gist}")
    }

    /// How messages name where `field` comes from.
    pub(super) fn label(&self, field: Field) -> String {
        match self.cells[field as usize] {
            Cell::Column(i) => {
                format!("column `{}`", self.header.get(i).map_or("", String::as_str))
            }
            Cell::Constant(_) => format!("constant `{field}`"),
            Cell::Absent => format!("field `{field}`"),
        }
    }

    /// Whether the table gives `field`: a column or a constant, or for a
    /// host, codes the spec finds for it.
    pub(super) fn gives(&self, field: Field) -> bool {
        !matches!(self.cells[field as usize], Cell::Absent)
            || (field == Field::Host && !self.host_codes.is_empty())
    }

    /// The text of `field` in `row`, as it is: empty, or `None` where the
    /// table lacks the field.
    pub(super) fn raw<'r>(&self, row: &'r Row<'_>, field: Field) -> Option<&'r str>
    where
        'o: 'r,
    {
        match self.cells[field as usize] {
            Cell::Column(i) => row.get(i),
            Cell::Constant(t) => Some(t),
            Cell::Absent => None,
        }
    }

    /// Whether a skip rule matches `row`; counts it if so.
    pub(super) fn skips(&mut self, row: &Row<'_>) -> bool {
        let skip = self.skips.iter().any(|&(column, when)| {
            let text = row.get(column).unwrap_or_default();
            match when {
                SkipWhen::Empty => text.is_empty(),
                SkipWhen::Equals(value) => text == value.trim(),
            }
        });
        self.skipped += usize::from(skip);
        skip
    }

    pub(super) fn problem(&mut self, line: usize, message: String) {
        self.problems.push(Diagnostic {
            file: self.options.file.clone(),
            line: Some(line),
            column: None,
            message,
        });
    }

    /// The text of `field` in `row`, or a problem where it is empty.
    pub(super) fn text<'r>(&mut self, row: &'r Row<'_>, field: Field) -> Option<&'r str>
    where
        'o: 'r,
    {
        match self.raw(row, field).filter(|t| !t.is_empty()) {
            Some(t) => Some(t),
            None => {
                let label = self.label(field);
                self.problem(row.line, format!("{label}: empty"));
                None
            }
        }
    }

    pub(super) fn parse_with<T>(
        &mut self,
        row: &Row<'_>,
        field: Field,
        parse: impl FnOnce(&str) -> Result<T>,
    ) -> Option<T> {
        let text = self.text(row, field)?;
        match parse(text) {
            Ok(v) => Some(v),
            Err(e) => {
                let label = self.label(field);
                self.problem(row.line, format!("{label}: {e}"));
                None
            }
        }
    }

    pub(super) fn date(&mut self, row: &Row<'_>) -> Option<NaiveDate> {
        let text = self.text(row, Field::Date)?;
        let format = self.options.spec.date_format.as_deref();
        match parse_date(text, format) {
            Some(d) => Some(d),
            None => {
                let label = self.label(Field::Date);
                self.problem(
                    row.line,
                    format!(
                        "{label}: `{text}` is not a date ({})",
                        format.unwrap_or("YYYY-MM-DD")
                    ),
                );
                None
            }
        }
    }

    /// The row's host: its `host`, or where that is empty, a code the
    /// spec's [`host_codes`](super::ImportSpec::host_codes) find.
    pub(super) fn host(&mut self, row: &Row<'_>, ledger: &Ledger) -> Option<Country> {
        let host = self.host_of(row, ledger)?;
        if let Some(text) = self.region_column.and_then(|i| row.get(i)).map(str::trim) {
            // Looked up before it is entered: an entry would copy the name
            // at every row.
            match self.regions.get_mut(text) {
                Some((_, hosts)) => {
                    hosts.insert(host);
                }
                None if !text.is_empty() => {
                    let hosts = BTreeSet::from([host]);
                    self.regions.insert(text.to_string(), (row.line, hosts));
                }
                None => {}
            }
        }
        Some(host)
    }

    fn host_of(&mut self, row: &Row<'_>, ledger: &Ledger) -> Option<Country> {
        let text = self.raw(row, Field::Host).unwrap_or_default();
        // A code the ledger was told of, else the error of a code.
        let code = |t: &str| Country::new(t).or_else(|e| ledger.country_code(t).ok_or(e));
        // A table names few hosts, in many rows: each text is tried as a
        // code once.
        let known = match self.codes.get(text) {
            Some(&c) => c,
            None => {
                let c = code(text).ok();
                self.codes.insert(text.into(), c);
                c
            }
        };
        if let Some(c) = known {
            return Some(c);
        }
        if self.host_codes.is_empty() {
            return self.parse_with(row, Field::Host, code);
        }
        // Where the host is not a code, the spec's codes are tried; the
        // columns that give none are named if none does.
        let mut none = Vec::new();
        for &(column, codes) in &self.host_codes {
            let text = row.get(column).unwrap_or_default();
            if text.is_empty() {
                none.push((column, text));
                continue;
            }
            let found = codes.codes.get(text).copied().or_else(|| {
                if !codes.by_name {
                    return None;
                }
                // Looked up, not entered, on every row but the first: an
                // entry would copy the name each time.
                if let Some(&c) = self.names.get(text) {
                    return c;
                }
                let c = ledger.country_named(text);
                self.names.insert(text.into(), c);
                c
            });
            match found {
                Some(c) => return Some(c),
                None => none.push((column, text)),
            }
        }
        // The error's message is written only here: its hint reads names.
        let host = match code(text) {
            _ if text.is_empty() => "empty".to_string(),
            Err(e) => e.to_string(),
            Ok(c) => c.to_string(),
        };
        let why: Vec<String> = none
            .into_iter()
            .map(|(column, text)| {
                let name = self.header.get(column).map_or("", String::as_str);
                match text {
                    "" => format!("column `{name}` is empty"),
                    _ => format!("column `{name}` gives no code: `{text}`"),
                }
            })
            .collect();
        let label = self.label(Field::Host);
        self.problem(row.line, format!("{label}: {host}, and {}", why.join(", ")));
        None
    }

    pub(super) fn contributor(&mut self, row: &Row<'_>, ledger: &Ledger) -> Option<Contributor> {
        // A table names a few contributors, or gives one as a constant:
        // each text is read once.
        let text = self.raw(row, Field::Contributor);
        if let Some(c) = text.and_then(|t| self.contributors.get(t)) {
            return Some(c.clone());
        }
        let contributor = self.read_contributor(row, ledger)?;
        if let Some(text) = text {
            self.contributors.insert(text.into(), contributor.clone());
        }
        Some(contributor)
    }

    fn read_contributor(&mut self, row: &Row<'_>, ledger: &Ledger) -> Option<Contributor> {
        let contributor = self.parse_with(row, Field::Contributor, |t| t.parse::<Contributor>())?;
        if let Contributor::Alliance(a) = &contributor {
            if ledger.alliance(a).is_none() {
                let label = self.label(Field::Contributor);
                self.problem(
                    row.line,
                    format!(
                        "{label}: `{a}` is neither a country code nor an alliance of the ledger"
                    ),
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
    pub(super) fn unit(&mut self, row: &Row<'_>, ledger: &Ledger) -> Option<usize> {
        let text = self.text(row, Field::Unit)?;
        if let Some(&u) = self.unit_ix.get(text) {
            return Some(u);
        }
        let id = self.parse_with(row, Field::Unit, |t| UnitId::new(t))?;
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

    pub(super) fn metric(&mut self, row: &Row<'_>) -> Option<Metric> {
        let text = self.text(row, Field::Metric)?;
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
                let label = self.label(Field::Metric);
                self.problem(row.line, format!("{label}: {e}"));
                None
            }
        }
    }

    /// The count in `column` of `row`, or a problem saying why it is none.
    pub(super) fn count_at(&mut self, row: &Row<'_>, column: usize) -> Option<u64> {
        let name = |rows: &Self| rows.header.get(column).cloned().unwrap_or_default();
        let Some(text) = row.get(column).filter(|t| !t.is_empty()) else {
            let name = name(self);
            self.problem(row.line, format!("column `{name}`: empty"));
            return None;
        };
        match text.parse::<Count>() {
            Ok(c) => Some(c.get()),
            Err(_) => {
                let name = name(self);
                let why = not_a_count(text);
                self.problem(row.line, format!("column `{name}`: `{text}` {why}"));
                None
            }
        }
    }

    /// The count of `field`, a column.
    pub(super) fn count(&mut self, row: &Row<'_>, field: Field) -> Option<u64> {
        match self.cells[field as usize] {
            Cell::Column(i) => self.count_at(row, i),
            _ => {
                self.text(row, field)?;
                None
            }
        }
    }

    /// A signed amount in the `amount` column: `+750`, `-300`, `"1,650"`;
    /// a problem where it does not read, or is 0, which changes nothing.
    pub(super) fn signed(&mut self, row: &Row<'_>) -> Option<(bool, u64)> {
        let Cell::Column(column) = self.cells[Field::Amount as usize] else {
            self.text(row, Field::Amount)?;
            return None;
        };
        let text = self.text(row, Field::Amount)?;
        let name = self.header.get(column).map_or("", String::as_str);
        let (negative, digits) = match text.as_bytes()[0] {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        match digits.parse::<Count>() {
            Ok(c) if c.get() == 0 => {
                self.problem(
                    row.line,
                    format!("column `{name}`: a change of 0 changes nothing: leave the row out"),
                );
                None
            }
            Ok(c) => Some((negative, c.get())),
            Err(_) => {
                let why = match not_a_count(digits) {
                    "is negative" => "is not a whole number",
                    why => why,
                };
                self.problem(row.line, format!("column `{name}`: `{text}` {why}"));
                None
            }
        }
    }

    /// A levels row's figure in `column`: `Some(None)` where the table marks
    /// it not reported ([`NOT_REPORTED`]), `None` (and a problem) where it
    /// does not read.
    pub(super) fn level_at(&mut self, row: &Row<'_>, column: usize) -> Option<Option<u64>> {
        let text = row.get(column).unwrap_or_default();
        // A figure starts with a digit; none of the marks does.
        let figure = text.starts_with(|c: char| c.is_ascii_digit());
        if !figure && NOT_REPORTED.iter().any(|f| f.eq_ignore_ascii_case(text)) {
            return Some(None);
        }
        self.count_at(row, column).map(Some)
    }

    pub(super) fn footing(&mut self, row: &Row<'_>) -> Option<Footing> {
        match self.raw(row, Field::Footing).filter(|t| !t.is_empty()) {
            None => Some(self.options.default_footing()),
            Some(_) => self.parse_with(row, Field::Footing, |t| t.parse::<Footing>()),
        }
    }

    /// A changes row's kind of unit, for a unit it creates.
    pub(super) fn unit_kind(&mut self, row: &Row<'_>) -> Option<UnitKind> {
        match self.raw(row, Field::Kind).filter(|t| !t.is_empty()) {
            None => Some(UnitKind::Contingent),
            Some(_) => self.parse_with(row, Field::Kind, |t| t.parse::<UnitKind>()),
        }
    }

    /// The document a row cites: its `source`, one copy of each text for
    /// the whole file; `None` where it names none, and its events cite the
    /// file.
    pub(super) fn source(&mut self, row: &Row<'_>) -> Option<Document> {
        let text = self.raw(row, Field::Source).filter(|t| !t.is_empty())?;
        if let Some(d) = self.documents.get(text) {
            return Some(d.clone());
        }
        let d = Document::from(text);
        self.documents.insert(text.into(), d.clone());
        Some(d)
    }

    pub(super) fn event(
        &mut self,
        line: usize,
        unit: &UnitId,
        date: NaiveDate,
        kind: EventKind,
        source: Option<&Document>,
    ) -> Result<Event> {
        self.id_text.clear();
        self.id_text.push_str(self.options.id_prefix());
        self.id_text.push(':');
        push_decimal(&mut self.id_text, line);
        let mut checked = self.prefix_checked;
        // A row of several value columns makes an event of each: they are
        // told apart by metric, `PREFIX:LINE:METRIC`.
        if self.values.len() > 1 {
            let metric = match &kind {
                EventKind::Deploy { strength, .. } => strength.first().map(|q| &q.metric),
                EventKind::SetLevel { metric, .. } => Some(metric),
                _ => None,
            };
            if let Some(metric) = metric {
                let _ = write!(self.id_text, ":{metric}");
                checked = false;
            }
        }
        self.event_with_id(line, unit, date, kind, source, checked)
    }

    /// A census's zero record, the `n`th of the snapshot whose first row is
    /// at `line`: id `PREFIX:LINE:census-N`, citing that row's line.
    pub(super) fn census_event(
        &mut self,
        (line, n): (usize, usize),
        unit: &UnitId,
        date: NaiveDate,
        kind: EventKind,
        source: Option<&Document>,
    ) -> Result<Event> {
        self.id_text.clear();
        // Writing to a `String` cannot fail.
        let _ = write!(self.id_text, "{}:{line}", self.options.id_prefix());
        // Snapshots of several value columns share their first row: each
        // metric's zero records are told apart by it.
        if let (true, EventKind::SetLevel { metric, .. }) = (self.values.len() > 1, &kind) {
            let _ = write!(self.id_text, ":{metric}");
        }
        let _ = write!(self.id_text, ":census-{n}");
        self.event_with_id(line, unit, date, kind, source, false)
    }

    /// An event with the id in `id_text`, citing `line` of `source` or the
    /// file; `checked` where that text is the checked prefix, a colon and
    /// digits.
    pub(super) fn event_with_id(
        &mut self,
        line: usize,
        unit: &UnitId,
        date: NaiveDate,
        kind: EventKind,
        source: Option<&Document>,
        checked: bool,
    ) -> Result<Event> {
        // An id of a checked prefix, a colon and digits needs only its
        // length checked.
        let id = match checked && self.id_text.len() <= crate::id::MAX_LEN {
            true => EventId::from_valid(&self.id_text),
            false => EventId::new(&self.id_text)?,
        };
        let source = Source {
            document: source.unwrap_or(&self.file_document).clone(),
            line: u32::try_from(line).ok(),
            ..Source::default()
        };
        Ok(Event::new(id, unit.clone(), date, kind).with_source(source))
    }

    /// Every problem found, a quote left open at the end of the file among
    /// them, or nothing.
    pub(super) fn finish<R: Read>(&mut self, reader: &Reader<R>) -> Result<()> {
        self.problems
            .extend(unterminated(reader.tracker(), self.options));
        if self.problems.is_empty() {
            return Ok(());
        }
        Err(Error::Import(ImportError::new(std::mem::take(
            &mut self.problems,
        ))))
    }

    /// Adds the units and events, all or nothing; a refusal is reported at the
    /// line of the row it comes from.
    pub(super) fn commit(
        &self,
        ledger: &mut Ledger,
        units: Vec<Unit>,
        events: Vec<Event>,
    ) -> Result<Imported> {
        let imported = Imported {
            rows: self.rows,
            units: units.len(),
            events: events.len(),
            skipped: self.skipped,
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
        let regions = self.regions(ledger)?;
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
        // The events went in, so every host is one the ledger takes, and
        // no region has the id of another.
        for region in regions {
            ledger.add_region(region).map_err(|e| Error::Internal {
                detail: format!("a region read from a column: {e}"),
            })?;
        }
        Ok(imported)
    }

    /// The regions the region column names, or an error at the first line
    /// of each that cannot be one: a name of no letters or digits, or an
    /// id the ledger already has.
    fn regions(&self, ledger: &Ledger) -> Result<Vec<Region>> {
        let mut out = Vec::new();
        let mut problems = Vec::new();
        // In the order first named, so that of two names of one id the
        // second is refused, naming the first.
        let mut named: Vec<_> = self.regions.iter().collect();
        named.sort_by_key(|(_, (line, _))| *line);
        let mut ids: HashMap<RegionId, (&str, usize)> = HashMap::new();
        for (name, (line, hosts)) in named {
            let column = self.region_column.and_then(|i| self.header.get(i));
            let column = column.map_or("", String::as_str);
            let problem = match RegionId::new(super::spec::slug(name)) {
                Ok(id) if ledger.region(&id).is_some() => {
                    format!("column `{column}`: region `{id}` (`{name}`) is already in the ledger")
                }
                Ok(id) => match ids.get(&id) {
                    Some((first, at)) => format!(
                        "column `{column}`: `{name}` gives the id `{id}`, as `{first}` of line {at} does"
                    ),
                    None => {
                        ids.insert(id.clone(), (name, *line));
                        out.push(Region::new(id, name.as_str()).with_members(hosts.iter().copied()));
                        continue;
                    }
                },
                Err(e) => format!("column `{column}`: `{name}` names no region: {e}"),
            };
            problems.push(Diagnostic {
                file: self.options.file.clone(),
                line: Some(*line),
                column: None,
                message: problem,
            });
        }
        // Added in the order of their names, as a table of them is read.
        out.sort_by(|a, b| a.name().cmp(b.name()));
        match problems.is_empty() {
            true => Ok(out),
            false => Err(Error::Import(ImportError::new(problems))),
        }
    }
}

/// Appends `n` in decimal digits: what `write!` does, without the
/// formatting machinery, for the one id made from every row.
fn push_decimal(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// Why a text is not a count, as a message says it.
pub(super) fn not_a_count(text: &str) -> &'static str {
    let separated = text.contains([',', '_']);
    let digits: String = text.chars().filter(|c| !matches!(c, ',' | '_')).collect();
    if text.starts_with('-') {
        "is negative"
    } else if separated && digits.parse::<u64>().is_ok() {
        "is not a whole number: separators must set off groups of three digits, as in 1,650"
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        "is larger than a count can hold"
    } else {
        "is not a whole number"
    }
}

#[cfg(test)]
mod tests {
    use super::push_decimal;

    #[test]
    fn decimals_are_written_as_format_writes_them() {
        for n in [0, 7, 9, 10, 99, 100, 123_456, usize::MAX] {
            let mut out = String::from("x:");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x:{n}"));
        }
    }
}
