//! Integration tests: the bundled scenario's figures, and the ledger's invariants.

mod claims;
mod docs;
mod invariants;
mod madrid;
mod model;
mod phrases;
mod readme;
mod tables;
