//! `[[imports]]`: tables a scenario file reads, from paths relative to it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::claim::Claim;
use crate::error::{Error, Result};
use crate::import::{self, ImportOptions, ImportSpec};
use crate::ledger::Ledger;

/// A table a scenario imports: which file, what it holds, and how to read it.
///
/// In a scenario file:
///
/// ```toml
/// [[imports]]
/// file = "dmdc-quarterly.csv"       # relative to the scenario file
/// kind = "levels"                   # levels, changes or claims
/// spec = { columns = { host = "iso3c" }, constants = { contributor = "USA", metric = "personnel" } }
/// ```
///
/// `spec` is an [`ImportSpec`]; without it, the table has the columns the
/// [`import`](crate::import) module names. Imports are read after the file's
/// units and layers and before its events, so that events and corrections
/// may refer to what a table created; claims tables are read last, against
/// the whole ledger. A scenario saved again holds the imported records
/// themselves, not the import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Import {
    /// The table's path, relative to the scenario file's folder.
    pub file: String,
    /// What the table holds.
    pub kind: TableKind,
    /// How to read it: columns, constants, skipped rows, census mode…
    #[serde(default, skip_serializing_if = "is_default")]
    pub spec: ImportSpec,
}

fn is_default(spec: &ImportSpec) -> bool {
    *spec == ImportSpec::default()
}

/// What a table holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// Observed strengths: [`import::levels_csv`].
    Levels,
    /// Movements: [`import::changes_csv`].
    Changes,
    /// Claims: [`import::claims_csv`].
    Claims,
}

impl Import {
    /// The table's path, as found from a scenario in `folder`.
    pub fn path(&self, folder: &Path) -> std::path::PathBuf {
        folder.join(&self.file)
    }

    fn open(&self, folder: &Path) -> Result<(std::fs::File, ImportOptions)> {
        let path = self.path(folder);
        let shown = path.display().to_string();
        let file = std::fs::File::open(&path).map_err(|e| Error::Io {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        Ok((file, ImportOptions::from_spec(shown, self.spec.clone())))
    }

    /// Reads a levels or changes table into `ledger`; a claims table is
    /// read by [`claims`](Import::claims) instead.
    pub(crate) fn records(&self, folder: &Path, ledger: &mut Ledger) -> Result<()> {
        let (file, options) = match self.kind {
            TableKind::Claims => return Ok(()),
            _ => self.open(folder)?,
        };
        match self.kind {
            TableKind::Levels => import::levels_csv(file, ledger, &options).map(|_| ()),
            TableKind::Changes => import::changes_csv(file, ledger, &options).map(|_| ()),
            TableKind::Claims => Ok(()),
        }
    }

    /// The claims of a claims table, read against `ledger`; none for another kind.
    pub(crate) fn claims(&self, folder: &Path, ledger: &Ledger) -> Result<Vec<Claim>> {
        if self.kind != TableKind::Claims {
            return Ok(Vec::new());
        }
        let (file, options) = self.open(folder)?;
        import::claims_csv(file, ledger, &options)
    }
}
