//! The declarative part of an import: which column gives each field, which
//! constant stands for a field the table lacks, which rows to skip, and how
//! to read what is left. A plain record, so that a scenario file can hold one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::country::Country;
use crate::deployment::Footing;

/// How to read a published table: the declarative part of
/// [`ImportOptions`](super::ImportOptions), everything but the file's name.
///
/// Every field has a default that reads the tables this module has always
/// read (columns named after their fields, one `value` or `amount` column, no
/// row skipped), so `ImportSpec::default()` is the plain format and a spec
/// names only what differs. In TOML (field names as below):
///
/// ```
/// use posture_ledger::import::{Field, ImportSpec};
///
/// let spec: ImportSpec = toml::from_str(r#"
///     columns = { host = "iso3c" }
///     constants = { contributor = "USA" }
///     values = [{ column = "troops_ad", metric = "personnel" },
///               { column = "army_ad", metric = "army_personnel" }]
///     skip = [{ column = "source", when = "empty" }]
///     host_codes = [{ column = "ccode", codes = { "347" = "XKX" } },
///                   { column = "countryname", by_name = true }]
///     duplicates = "sum"
/// "#)?;
/// assert_eq!(spec.columns[&Field::Host], "iso3c");
/// assert_eq!(spec.constants[&Field::Contributor], "USA");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImportSpec {
    /// The column that gives a field, where it is not named after the field
    /// (`host = "iso3c"`). Names are compared in any case.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<Field, String>,
    /// The text that stands for a field in every row, for a field the table
    /// has no column for (`contributor = "USA"`, `metric = "personnel"`). A
    /// field may have a column or a constant, not both.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub constants: BTreeMap<Field, String>,
    /// The format of the `date` column, in `strftime` form
    /// (`"%d/%m/%Y"`); by default `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_format: Option<String>,
    /// Several value columns of a levels table, each a metric of its own: a
    /// row gives one figure of each. With these, the table has no `value` or
    /// `metric` column. Metrics are never added together, so a table whose
    /// service columns add up to its total gives each service a metric of
    /// its own (`army_ad` as `army_personnel`), apart from the total's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueColumn>,
    /// Rows to skip before anything else of them is read: a row any of
    /// these match is counted in [`Imported::skipped`](super::Imported::skipped),
    /// and records nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skip: Vec<Skip>,
    /// Where a row whose `host` is empty, or not a code, finds its code,
    /// tried in order: for tables that give some hosts no ISO code, or
    /// name them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub host_codes: Vec<HostCodes>,
    /// What two rows of a levels table with the same contributor, host,
    /// footing, metric and date mean.
    pub duplicates: Duplicates,
    /// Whether each dated report of a levels table lists every contingent.
    pub completeness: Completeness,
    /// How a changes table gives its amounts.
    pub amounts: Amounts,
    /// The footing of rows that give none; permanent by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_footing: Option<Footing>,
    /// The prefix of event ids, `PREFIX:LINE`; by default the file's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_prefix: Option<String>,
    /// A column that names each row's region (`"Europe & Central Asia"`):
    /// every text it holds becomes a region of the hosts of the rows that
    /// name it, named as the text and known by its slug
    /// (`europe-central-asia`), which no region of the ledger may already
    /// have. For levels and changes tables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_column: Option<String>,
}

/// The id a region read from a column gets: its name in lowercase ASCII
/// letters and digits, every other run of characters one `-`
/// (`Europe & Central Asia` → `europe-central-asia`).
pub(super) fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A field of a row, as a spec names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The date of the row: of the observation, or of the change.
    Date,
    /// The contributing country or alliance.
    Contributor,
    /// The host country.
    Host,
    /// What is counted.
    Metric,
    /// A levels table's figure, or a claims table's value.
    Value,
    /// The footing.
    Footing,
    /// The document the row cites (or, in a claims table, the claim's
    /// source); the file's name where empty.
    Source,
    /// A changes table's verb: deploy, reinforce, reduce or withdraw.
    Event,
    /// A changes table's unit.
    Unit,
    /// A changes table's amount.
    Amount,
    /// A changes table's kind of a unit it creates.
    Kind,
    /// A claims table's claim id.
    Id,
    /// A claims table's date of a claim: a day, a month, a range or
    /// `before DAY`, as [`AsOf`](crate::AsOf) reads it.
    AsOf,
    /// A claims table's scope, as [`Scope::parse`](crate::Scope::parse) reads it.
    Scope,
    /// A claims table's qualifier (`exact`, `approximate`, `more_than`…);
    /// exact where empty.
    Qualifier,
    /// A claims table's words quoted.
    Quote,
    /// A claims table's line in the document the claim cites: a claim and
    /// the ledger's figures from the same line of the same document are one
    /// statement, and the figures do not confirm the claim.
    Line,
}

impl Field {
    /// The field's name, which is also the column a table names it by
    /// unless the spec says otherwise.
    pub fn name(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::Contributor => "contributor",
            Field::Host => "host",
            Field::Metric => "metric",
            Field::Value => "value",
            Field::Footing => "footing",
            Field::Source => "source",
            Field::Event => "event",
            Field::Unit => "unit",
            Field::Amount => "amount",
            Field::Kind => "kind",
            Field::Id => "id",
            Field::AsOf => "as_of",
            Field::Scope => "scope",
            Field::Qualifier => "qualifier",
            Field::Quote => "quote",
            Field::Line => "line",
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A value column of a levels table and the metric it gives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueColumn {
    /// The column's name.
    pub column: String,
    /// The metric its figures count, as [`Metric::new`](crate::Metric::new) reads it.
    pub metric: String,
}

/// A rule for rows to skip: those whose `column` is empty, or equals a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skip {
    /// The column looked at.
    pub column: String,
    /// When a row is skipped.
    pub when: SkipWhen,
}

/// When a [`Skip`] rule skips a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipWhen {
    /// The column is empty (or only spaces).
    Empty,
    /// The column holds exactly this text, spaces around it aside.
    Equals(String),
}

/// Where a row whose `host` is empty or not a code finds its code: a
/// column whose texts map to codes, by a table of the spec's, by country
/// name, or both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostCodes {
    /// The column looked at: a numeric code such as `ccode`, or a name.
    pub column: String,
    /// Texts of that column and the code each stands for (`"347" = "XKX"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub codes: BTreeMap<String, Country>,
    /// Whether a text that `codes` does not hold is read as a country's
    /// name, by [`Ledger::country_named`](crate::Ledger::country_named).
    #[serde(default)]
    pub by_name: bool,
}

/// What two rows of a levels table for the same contributor, host, footing,
/// metric and date mean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duplicates {
    /// They are an error naming both lines: a table that says two things
    /// of one contingent on one date has a mistake, or is split in a way
    /// the spec should say.
    #[default]
    Refuse,
    /// They are parts of one figure, added up: a table split by service or
    /// by base, or one host under two codes. The figure cites the first
    /// row's line and source.
    Sum,
}

/// Whether each dated report of a levels table lists every contingent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Completeness {
    /// A row is an observation; a contingent a date leaves out holds its
    /// last figure.
    #[default]
    Partial,
    /// Each snapshot lists every contingent: one it leaves out has none
    /// ([`ImportOptions::as_census`](super::ImportOptions::as_census)).
    Census,
}

/// How a changes table gives its amounts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Amounts {
    /// A verb in the `event` column and an amount of 0 or more.
    #[default]
    WithVerb,
    /// A signed amount and no verb: the verb follows from the unit's
    /// strength in the metric just before the row's date — deploy from
    /// nothing, withdraw to nothing, reinforce or reduce between.
    Signed,
}
