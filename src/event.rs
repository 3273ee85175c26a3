//! Change events: dated facts that change posture.
//!
//! An [`Event`] holds what every event has (id, unit, dates, source, layer);
//! its [`EventKind`] says what happened.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::deployment::{Footing, Location};
use crate::error::RecordKind;
use crate::id::define_id;
use crate::metric::{Metric, Quantity};
use crate::unit::UnitId;

define_id!(
    /// The id of an [`Event`].
    EventId,
    RecordKind::Event,
    // Findings and registers cite events by id, hundreds of thousands of
    // times in a large check: copies share the ledger's allocation.
    std::sync::Arc<str>
);

impl EventId {
    /// An id of text known to be valid, as [`EventId::new`] would make it,
    /// without checking it again: an id the ledger recorded, or the CSV
    /// importer's `PREFIX:LINE`, whose prefix it checked once for the file.
    pub(crate) fn from_valid(id: &str) -> Self {
        debug_assert_eq!(crate::id::validate(id), Ok(()), "{id:?}");
        EventId(id.into())
    }
}

define_id!(
    /// The id of a what-if [`Layer`], such as `requested` or `pledged`.
    LayerId,
    RecordKind::Layer
);

/// A what-if layer: requested or pledged posture kept beside the recorded facts.
///
/// Events in a layer apply on top of the baseline when a query asks for the
/// layer, and never otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// The layer's id.
    pub id: LayerId,
    /// What the layer holds, in a sentence.
    #[serde(default)]
    pub description: String,
}

impl Layer {
    /// A layer with a description.
    pub fn new(id: LayerId, description: impl Into<String>) -> Self {
        Layer {
            id,
            description: description.into(),
        }
    }
}

/// The name of a document a [`Source`] cites: text shared, not copied, by
/// every source that names the same document, so that the million events
/// of one imported table hold one copy of its name between them.
///
/// It reads and compares as the text it holds: `document == "madrid"`,
/// `&*document`, `document.as_str()`, and it is made from a `&str` or a
/// `String` with `into()`; a clone is a reference count, not a copy.
///
/// # Example
///
/// ```
/// use posture_ledger::{Document, Source};
///
/// let report = Document::from("dmdc-2022.csv");
/// let a = Source { document: report.clone(), line: Some(2), ..Source::default() };
/// let b = Source { document: report, line: Some(3), ..Source::default() };
/// assert!(a.document.shares(&b.document));
/// assert_eq!(a.document, "dmdc-2022.csv");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Document(std::sync::Arc<str>);

impl Document {
    /// The document's name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the two hold one shared copy of their text.
    pub fn shares(&self, other: &Document) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Document {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Document {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Document {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Document {
    fn from(text: &str) -> Self {
        Document(text.into())
    }
}

impl From<String> for Document {
    fn from(text: String) -> Self {
        Document(text.into())
    }
}

impl From<Document> for String {
    fn from(document: Document) -> Self {
        document.0.to_string()
    }
}

impl PartialEq<str> for Document {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Document {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Document {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl std::fmt::Display for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Document {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Document::from)
    }
}

/// Where a fact comes from: a document, the date it was reported, a line and a
/// quote; and what the document says its figures may include beyond what they
/// name, if it says so.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The document, outlet or speaker.
    pub document: Document,
    /// The date the source printed or said it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<NaiveDate>,
    /// The line in the document, counting from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The words quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// What the document says its figures may include beyond what they name,
    /// in its words: NATO's battlegroup strengths "may include forces
    /// deployed in a support role". A finding that uses such a figure says so
    /// in a [`Caveat::MayInclude`](crate::Caveat::MayInclude).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub may_include: Option<String>,
}

/// A dated change to one unit's posture.
///
/// An event has three dates: *effective*, when the change takes hold, which
/// every total uses; *announced*, when it was said, if known; and *known*, when
/// the ledger learned of it — the date [recorded](Event::with_recorded), or
/// else its source's report date — which queries "as known on" a date use.
///
/// # Example
///
/// ```
/// use posture_ledger::{Count, Event, EventId, EventKind, Metric, UnitId};
///
/// let more_ships = Event::new(
///     EventId::new("rota-plus-two")?,
///     UnitId::new("us-ddg-rota")?,
///     "2022-06-29".parse()?,
///     EventKind::Reinforce { metric: Metric::SHIPS, count: Count::new(2) },
/// );
/// assert_eq!(more_ships.kind().name(), "reinforce");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    id: EventId,
    unit: UnitId,
    effective: NaiveDate,
    /// Dates and layer, which few events have, in one allocation for those
    /// that have any: a ledger of millions of movements keeps 8 bytes per
    /// event for them, not 24.
    #[serde(flatten, default, deserialize_with = "Extras::some_if_any")]
    extras: Option<Box<Extras>>,
    /// Boxed: most events have no source, and a `Source` inline would be a
    /// third of an event's size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<Box<Source>>,
    #[serde(flatten)]
    kind: EventKind,
}

/// An event's announced and recorded dates, the end of what it observes,
/// and its layer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Extras {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    announced: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recorded: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    valid_until: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    layer: Option<LayerId>,
}

impl Extras {
    /// `None` for an event with no extras, so that events read from a file
    /// equal those built without them, and take no allocation.
    fn some_if_any<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Box<Extras>>, D::Error> {
        let extras = Extras::deserialize(deserializer)?;
        Ok((extras != Extras::default()).then(|| Box::new(extras)))
    }
}

impl Event {
    /// A baseline event with no announced date and no source.
    pub fn new(id: EventId, unit: UnitId, effective: NaiveDate, kind: EventKind) -> Self {
        Event {
            id,
            unit,
            effective,
            extras: None,
            source: None,
            kind,
        }
    }

    fn extras_mut(&mut self) -> &mut Extras {
        self.extras.get_or_insert_with(Box::default)
    }

    /// Sets the date the ledger learned of the event, when it is not the
    /// source's report date.
    pub fn with_recorded(mut self, recorded: NaiveDate) -> Self {
        self.extras_mut().recorded = Some(recorded);
        self
    }

    /// Sets the date the change was announced.
    pub fn with_announced(mut self, announced: NaiveDate) -> Self {
        self.extras_mut().announced = Some(announced);
        self
    }

    /// Gives what the event observes an end: the figure it reports holds
    /// until the end of `date` and, where it is still the newest observation
    /// behind a total after that, the total is stale ([`Total::is_stale`]).
    /// A table's level "as of 30 September" that the next quarter's table
    /// replaces is valid until then.
    ///
    /// [`Total::is_stale`]: crate::Total::is_stale
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::*;
    ///
    /// let mut ledger = Ledger::new();
    /// ledger.add_unit(Unit::new(UnitId::new("uk")?, "UK troops", Country::new("GBR")?, UnitKind::Contingent))?;
    /// let quarter: chrono::NaiveDate = "2022-09-30".parse()?;
    /// ledger.apply(
    ///     Event::new(EventId::new("q3")?, UnitId::new("uk")?, quarter, EventKind::Deploy {
    ///         location: Location::Country(Country::new("EST")?),
    ///         footing: Footing::Rotational,
    ///         strength: vec![Quantity::new(Metric::PERSONNEL, Count::new(1_650))],
    ///     })
    ///     .with_valid_until("2022-12-30".parse()?),
    /// )?;
    /// let uk = Scope::all().from_country(Country::new("GBR")?);
    /// let in_time = ledger.total(&uk, &Metric::PERSONNEL, "2022-12-30".parse()?)?;
    /// let after = ledger.total(&uk, &Metric::PERSONNEL, "2022-12-31".parse()?)?;
    /// assert!(!in_time.is_stale() && after.is_stale());
    /// assert_eq!(after.valid_until(), Some("2022-12-30".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_valid_until(mut self, date: NaiveDate) -> Self {
        self.extras_mut().valid_until = Some(date);
        self
    }

    /// The last day what the event observes holds, if its source gave one.
    pub fn valid_until(&self) -> Option<NaiveDate> {
        self.extras.as_ref().and_then(|x| x.valid_until)
    }

    /// Puts the event in a what-if layer instead of the baseline.
    pub fn in_layer(mut self, layer: LayerId) -> Self {
        self.extras_mut().layer = Some(layer);
        self
    }

    /// Sets the source.
    pub fn with_source(mut self, source: Source) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// The id.
    pub fn id(&self) -> &EventId {
        &self.id
    }

    /// The unit it changes.
    pub fn unit(&self) -> &UnitId {
        &self.unit
    }

    /// When it takes effect.
    pub fn effective(&self) -> NaiveDate {
        self.effective
    }

    /// When it was announced, if known.
    pub fn announced(&self) -> Option<NaiveDate> {
        self.extras.as_ref().and_then(|x| x.announced)
    }

    /// The date it was recorded, if given apart from its source's report date.
    pub fn recorded(&self) -> Option<NaiveDate> {
        self.extras.as_ref().and_then(|x| x.recorded)
    }

    /// The date the ledger learned of it: the date recorded, or else its
    /// source's report date; `None` when neither is known, and then the event
    /// counts as known at any date.
    pub fn known(&self) -> Option<NaiveDate> {
        self.recorded()
            .or_else(|| self.source().and_then(|s| s.reported))
    }

    /// Its what-if layer; `None` for the baseline.
    pub fn layer(&self) -> Option<&LayerId> {
        self.extras.as_ref().and_then(|x| x.layer.as_ref())
    }

    /// Its source, if any.
    pub fn source(&self) -> Option<&Source> {
        self.source.as_deref()
    }

    /// The event taken apart, for the log to keep in its columns.
    pub(crate) fn into_parts(self) -> Parts {
        let extras = self.extras.map(|x| *x).unwrap_or_default();
        Parts {
            id: self.id,
            effective: self.effective,
            announced: extras.announced,
            recorded: extras.recorded,
            valid_until: extras.valid_until,
            layer: extras.layer,
            source: self.source,
            kind: self.kind,
        }
    }

    /// What happened.
    pub fn kind(&self) -> &EventKind {
        &self.kind
    }
}

/// An event's fields, as [`Event::into_parts`] takes it apart; its unit is
/// left out, since the log knows it by number.
pub(crate) struct Parts {
    pub(crate) id: EventId,
    pub(crate) effective: NaiveDate,
    pub(crate) announced: Option<NaiveDate>,
    pub(crate) recorded: Option<NaiveDate>,
    pub(crate) valid_until: Option<NaiveDate>,
    pub(crate) layer: Option<LayerId>,
    /// Boxed as given: the log keeps the box rather than copy the source.
    pub(crate) source: Option<Box<Source>>,
    pub(crate) kind: EventKind,
}

/// What an event does to its unit.
///
/// *Changes* (reinforce, reduce) move the unit's own strength. *Levels*
/// (deploy, set level, scale) state the strength of the unit together with its
/// subunits, as observed, and the ledger derives the unit's own share; this is
/// how a parent formation's reported size and a detailed part of it agree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// The unit arrives at `location`, with `strength` (subunits included). A unit
    /// can be deployed in one place at a time.
    Deploy {
        /// Where it arrives.
        location: Location,
        /// On what footing.
        footing: Footing,
        /// Its strength on arrival, subunits included; metrics left out start at zero.
        #[serde(default, with = "strength_table")]
        strength: Vec<Quantity>,
    },
    /// The unit gains `count` of `metric`.
    Reinforce {
        /// What is counted.
        metric: Metric,
        /// How many more.
        count: crate::Count,
    },
    /// The unit loses `count` of `metric`; it cannot go below zero.
    Reduce {
        /// What is counted.
        metric: Metric,
        /// How many fewer.
        count: crate::Count,
    },
    /// An observed strength: the unit, subunits included, has `count` of `metric`.
    /// Like a balance assertion in plain-text accounting, but it sets rather than checks.
    SetLevel {
        /// What is counted.
        metric: Metric,
        /// The observed strength, subunits included.
        count: crate::Count,
    },
    /// Adjusts the unit's strength in `metric` so that its next [`SetLevel`](EventKind::SetLevel)
    /// holds with the changes recorded in between, like `pad` in Beancount: a
    /// figure "before" derived from a later level and the change since.
    Pad {
        /// What is counted.
        metric: Metric,
    },
    /// Multiplies the unit's strength (subunits included) by `factor`, rounding to
    /// the nearest whole number, halves away from zero: "doubling the current numbers".
    Scale {
        /// What is counted.
        metric: Metric,
        /// The factor, zero or more.
        #[serde(with = "rust_decimal::serde::str")]
        factor: Decimal,
    },
    /// The unit leaves; it counts nowhere until deployed again.
    Withdraw,
    /// The unit moves to `to`, with its strength.
    Relocate {
        /// Where it goes.
        to: Location,
    },
    /// The unit stays, on a new footing.
    ChangeFooting {
        /// The new footing.
        to: Footing,
    },
}

impl EventKind {
    /// The kind's `snake_case` name, as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Deploy { .. } => "deploy",
            EventKind::Reinforce { .. } => "reinforce",
            EventKind::Reduce { .. } => "reduce",
            EventKind::SetLevel { .. } => "set_level",
            EventKind::Pad { .. } => "pad",
            EventKind::Scale { .. } => "scale",
            EventKind::Withdraw => "withdraw",
            EventKind::Relocate { .. } => "relocate",
            EventKind::ChangeFooting { .. } => "change_footing",
        }
    }
}

/// Strength as a table `{ personnel = 1650, ships = 4 }` in files, a list in Rust.
mod strength_table {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::metric::{Count, Metric, Quantity};

    pub fn serialize<S: Serializer>(list: &[Quantity], s: S) -> Result<S::Ok, S::Error> {
        let table: BTreeMap<&Metric, Count> = list.iter().map(|q| (&q.metric, q.count)).collect();
        table.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Quantity>, D::Error> {
        let table = BTreeMap::<Metric, Count>::deserialize(d)?;
        Ok(table
            .into_iter()
            .map(|(metric, count)| Quantity { metric, count })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reinforce() -> Event {
        Event::new(
            EventId::new("e1").expect("an id"),
            UnitId::new("u1").expect("an id"),
            NaiveDate::from_ymd_opt(2022, 6, 29).expect("a date"),
            EventKind::Reinforce {
                metric: Metric::SHIPS,
                count: crate::Count::new(2),
            },
        )
    }

    #[test]
    fn an_event_read_without_dates_or_layer_is_the_one_built_without_them() {
        let plain = reinforce();
        let text = serde_json::to_string(&plain).expect("serializes");
        assert!(
            !text.contains("layer") && !text.contains("announced"),
            "{text}"
        );
        let read: Event = serde_json::from_str(&text).expect("deserializes");
        assert_eq!(read, plain);
        assert!(read.extras.is_none(), "no allocation for what is not there");
    }

    #[test]
    fn dates_layer_and_source_round_trip() {
        let day = |d| NaiveDate::from_ymd_opt(2022, 6, d).expect("a date");
        let full = reinforce()
            .with_announced(day(28))
            .with_recorded(day(30))
            .in_layer(LayerId::new("pledged").expect("an id"))
            .with_source(Source {
                document: "madrid".into(),
                reported: Some(day(29)),
                line: Some(12),
                quote: None,
                may_include: Some("forces deployed in a support role".into()),
            });
        let text = serde_json::to_string(&full).expect("serializes");
        let read: Event = serde_json::from_str(&text).expect("deserializes");
        assert_eq!(read, full);
        assert_eq!(read.announced(), Some(day(28)));
        assert_eq!(read.known(), Some(day(30)));
        assert_eq!(read.layer().map(LayerId::as_str), Some("pledged"));
        let only_layer = reinforce().in_layer(LayerId::new("pledged").expect("an id"));
        assert_eq!(only_layer.known(), None);
        assert_eq!(only_layer.recorded(), None);
    }
}
