//! Benchmarks of the ledger (placeholder; see benches/README.md).
fn main() {}
