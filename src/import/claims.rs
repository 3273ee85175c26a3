//! Claims from a table: fact-checkers keep them in spreadsheets.

use std::collections::HashMap;
use std::io::Read;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::read::Row;
use super::rows::{self, Need, Rows};
use super::spec::Field;
use super::ImportOptions;
use crate::claim::{AsOf, Claim, ClaimId, Figure};
use crate::error::Result;
use crate::event::Source;
use crate::ledger::Ledger;
use crate::metric::Count;
use crate::qualifier::Qualifier;
use crate::scope::Scope;

/// Reads a claims table: one claim of a quantity per row,
/// `id,as_of,scope,metric,value[,qualifier,source,quote,line]`, columns by name
/// or as an [`ImportSpec`](super::ImportSpec) maps them.
///
/// - `id` is the claim's id; without an `id` column, `PREFIX:LINE` as for
///   events;
/// - a `host` (a column, a constant, or the spec's `host_codes`, as in a
///   levels table) narrows the scope to that host: a table of a host's
///   expected totals needs no `scope` column;
/// - `as_of` is a day (`2022-06-29`), a month (`2022-02`), a range
///   (`2022-02-01..2022-02-28`) or `before 2022-02-24`;
/// - `scope` is a scope as [`Scope::parse`] reads it against `ledger`
///   (`from:NATO in:baltic-states`; empty or `all` for everything);
/// - `qualifier` is `exact` (where empty), `approximate`, `more_than`,
///   `at_least`, `nearly`, `up_to`, `less_than` or `order_of_magnitude`;
/// - `value` is a number of 0 or more: digits (`3700`, `"3,700"`, commas
///   setting off groups of three) or a decimal (`12.5`);
/// - `source` names the document the claim cites (the file where empty),
///   `quote` its words and `line` their line in it. Give the line where the
///   ledger's figures come from the same document: a figure from the line
///   of the claim is the claim itself, and the check does not take it as
///   confirming the claim.
///
/// The claims are returned, in file order, for a scenario or
/// [`Ledger::check`] to hold; nothing is added to the ledger.
///
/// # Errors
///
/// [`Error::Import`] listing every problem with its line and column: a
/// missing column; a row that does not read — an id, date, scope, metric,
/// qualifier or value that does not read, a name the ledger does not know in
/// its scope; and a claim id two rows give, at the second, naming the first.
///
/// # Example
///
/// ```
/// use posture_ledger::import::{claims_csv, ImportOptions};
/// use posture_ledger::scenario;
///
/// let table = "id,as_of,scope,metric,qualifier,value,source,line,quote\n\
///              C4,2022-06-29,from:GBR in:EST,personnel,exact,\"1,650\",madrid-summit-2022,4,1650 troops stationed in Estonia\n\
///              C10,2022-02,from:NATO in:baltic-states kind:battlegroup,personnel,approximate,3700,madrid-summit-2022,28,some 3700 soldiers\n";
/// let scenario = scenario::madrid_2022()?;
/// let claims = claims_csv(table.as_bytes(), scenario.ledger(), &ImportOptions::new("claims.csv"))?;
/// assert_eq!(claims.len(), 2);
/// let report = scenario.ledger().check(&claims)?;
/// assert_eq!(report.findings().len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn claims_csv(
    reader: impl Read,
    ledger: &Ledger,
    options: &ImportOptions,
) -> Result<Vec<Claim>> {
    use Need::{Optional, Required};
    let (mut reader, mut rows) = rows::open(
        reader,
        options,
        rows::Kind::Claims,
        &[
            (Field::Id, Optional),
            (Field::AsOf, Required),
            (Field::Scope, Optional),
            (Field::Host, Optional),
            (Field::Metric, Required),
            (Field::Value, Required),
            (Field::Qualifier, Optional),
            (Field::Source, Optional),
            (Field::Quote, Optional),
            (Field::Line, Optional),
        ],
    )?;
    if !rows.gives(Field::Scope) && !rows.gives(Field::Host) {
        let message =
            "missing column `scope`: a claims table names each claim's scope, or its `host`";
        rows.problem(1, message.to_string());
        return rows.finish(&reader).map(|()| Vec::new());
    }
    let mut claims = Vec::new();
    let mut ids: HashMap<ClaimId, usize> = HashMap::new();
    while let Some(row) = reader.next_row(&mut rows) {
        if rows.skips(&row) {
            continue;
        }
        let Some(claim) = read_claim(&mut rows, &row, ledger) else {
            continue;
        };
        if let Some(first) = ids.insert(claim.id().clone(), row.line) {
            ids.insert(claim.id().clone(), first);
            let label = rows.label(Field::Id);
            let message = format!("{label}: claim `{}` is already line {first}'s", claim.id());
            rows.problem(row.line, message);
            continue;
        }
        claims.push(claim);
    }
    rows.finish(&reader)?;
    Ok(claims)
}

/// Reads a claims row, or reports every problem with it.
fn read_claim(rows: &mut Rows<'_>, row: &Row<'_>, ledger: &Ledger) -> Option<Claim> {
    // Every field is read, so that a row's problems are all reported at once.
    let id = match rows.gives(Field::Id) {
        true => rows.parse_with(row, Field::Id, |t| ClaimId::new(t)),
        // Without ids, a claim is known by its row, as an event is.
        false => {
            let text = format!("{}:{}", rows.options.id_prefix(), row.line);
            ClaimId::new(&text)
                .map_err(|e| rows.problem(row.line, format!("the claim's id `{text}`: {e}")))
                .ok()
        }
    };
    let as_of = rows.parse_with(row, Field::AsOf, AsOf::from_str);
    let scope = match rows.raw(row, Field::Scope) {
        // Without a scope column, the host alone; empty is everything, as
        // `Scope::parse` reads it.
        None | Some("") => Some(Scope::all()),
        _ => rows.parse_with(row, Field::Scope, |t| Scope::parse(t, ledger)),
    };
    let scope = match rows.gives(Field::Host) {
        true => rows
            .host(row, ledger)
            .and_then(|h| Some(scope?.in_country(h))),
        false => scope,
    };
    let metric = rows.metric(row);
    let qualifier = match rows.raw(row, Field::Qualifier).filter(|t| !t.is_empty()) {
        None => Some(Qualifier::Exact),
        Some(text) => match text.parse::<Qualifier>() {
            Ok(q) => Some(q),
            Err(e) => {
                let label = rows.label(Field::Qualifier);
                rows.problem(row.line, format!("{label}: {e}"));
                None
            }
        },
    };
    let value = value(rows, row);
    let document = rows.source(row);
    let quote = rows
        .raw(row, Field::Quote)
        .filter(|t| !t.is_empty())
        .map(String::from);
    let line = match rows.raw(row, Field::Line).filter(|t| !t.is_empty()) {
        None => Some(None),
        Some(text) => match text.parse::<u32>().ok().filter(|&n| n > 0) {
            Some(n) => Some(Some(n)),
            None => {
                let label = rows.label(Field::Line);
                rows.problem(row.line, format!("{label}: `{text}` is not a line number"));
                None
            }
        },
    };
    let source = Source {
        document: document.unwrap_or_else(|| rows.options.file().into()),
        quote,
        line: line?,
        ..Source::default()
    };
    let figure = Figure::new(qualifier?, value?);
    Some(Claim::quantity(
        id?, source, as_of?, scope?, metric?, figure,
    ))
}

/// A claim's value: a count, commas and all, or a decimal of 0 or more.
fn value(rows: &mut Rows<'_>, row: &Row<'_>) -> Option<Decimal> {
    let text = rows.text(row, Field::Value)?;
    let label = rows.label(Field::Value);
    if text.contains(',') || !text.contains('.') {
        return match text.parse::<Count>() {
            Ok(c) => Some(Decimal::from(c.get())),
            Err(_) => {
                let why = super::rows::not_a_count(text);
                rows.problem(row.line, format!("{label}: `{text}` {why}"));
                None
            }
        };
    }
    match Decimal::from_str(text) {
        Ok(d) if d.is_sign_negative() => {
            rows.problem(row.line, format!("{label}: `{text}` is negative"));
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            rows.problem(row.line, format!("{label}: `{text}` is not a number"));
            None
        }
    }
}
