//! Corrections: how a recorded event is amended without rewriting history.
//!
//! A [`Correction`] names the event it corrects, says why and on whose word,
//! and either retracts it or replaces its date and kind. It is appended to the
//! ledger like an event. Queries "as known on" a date before the correction
//! was recorded still see the event as first recorded; later ones, and plain
//! queries, see it corrected.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::event::{EventId, EventKind, Source};

/// A correction of a recorded event, appended to the ledger.
///
/// # Example
///
/// ```
/// use posture_ledger::{Amendment, Correction, Count, EventId, EventKind, Metric};
///
/// let fix = Correction::new(
///     EventId::new("gbr-est-now-fix")?,
///     EventId::new("gbr-est-now")?,
///     "2022-07-15".parse()?,
///     "the Ministry of Defence gives 1,700",
///     Amendment::Replace {
///         effective: "2022-06-29".parse()?,
///         kind: EventKind::SetLevel { metric: Metric::PERSONNEL, count: Count::new(1_700) },
///     },
/// );
/// assert_eq!(fix.corrects().as_str(), "gbr-est-now");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    id: EventId,
    corrects: EventId,
    recorded: NaiveDate,
    reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<Source>,
    #[serde(flatten)]
    amendment: Amendment,
}

/// What a correction does to the event it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "amend", rename_all = "snake_case")]
pub enum Amendment {
    /// The event no longer counts: it did not happen, or was misreported.
    Retract,
    /// The event counts with this effective date and kind instead, for the same unit.
    Replace {
        /// The corrected effective date.
        effective: NaiveDate,
        /// The corrected change.
        #[serde(flatten)]
        kind: EventKind,
    },
}

impl Correction {
    /// A correction of `corrects`, recorded on `recorded`, for `reason`.
    pub fn new(
        id: EventId,
        corrects: EventId,
        recorded: NaiveDate,
        reason: impl Into<String>,
        amendment: Amendment,
    ) -> Self {
        Correction {
            id,
            corrects,
            recorded,
            reason: reason.into(),
            source: None,
            amendment,
        }
    }

    /// Sets the source of the correction.
    pub fn with_source(mut self, source: Source) -> Self {
        self.source = Some(source);
        self
    }

    /// The correction's own id, in the same space as event ids: a later
    /// correction may correct this one.
    pub fn id(&self) -> &EventId {
        &self.id
    }

    /// The event it corrects.
    pub fn corrects(&self) -> &EventId {
        &self.corrects
    }

    /// When the ledger learned of it.
    pub fn recorded(&self) -> NaiveDate {
        self.recorded
    }

    /// Why.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// On whose word.
    pub fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }

    /// What it does.
    pub fn amendment(&self) -> &Amendment {
        &self.amendment
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrections_read_from_toml() {
        #[derive(Deserialize)]
        struct File {
            corrections: Vec<Correction>,
        }
        let text = r#"
            [[corrections]]
            id = "fix"
            corrects = "e1"
            recorded = "2022-07-15"
            reason = "misreported"
            amend = "retract"

            [[corrections]]
            id = "fix2"
            corrects = "e2"
            recorded = "2022-07-16"
            reason = "the MoD says 1,700"
            source = { document = "MoD", reported = "2022-07-16" }
            amend = "replace"
            effective = "2022-06-29"
            kind = "set_level"
            metric = "personnel"
            count = 1700
        "#;
        let file: File = toml::from_str(text).unwrap();
        assert_eq!(file.corrections[0].amendment(), &Amendment::Retract);
        let Amendment::Replace { kind, .. } = file.corrections[1].amendment() else {
            panic!("a replacement");
        };
        assert_eq!(kind.name(), "set_level");
        let json = serde_json::to_string(&file.corrections).unwrap();
        assert_eq!(
            serde_json::from_str::<Vec<Correction>>(&json).unwrap(),
            file.corrections
        );
    }
}
