//! The date index: per cell, a step function of the total over time.
//!
//! A *cell* is every deployment that shares a location, contributor, footing,
//! unit kind and metric. Each cell keeps its changes sorted by position in the
//! log, with running totals beside them, so the total at any position is one
//! binary search. A query sums the cells its scope matches; the number of cells
//! depends on how many distinct places and contributors there are, not on how
//! many events the ledger holds.

use std::collections::HashMap;

use crate::deployment::Footing;
use crate::unit::UnitKind;

/// Where in the log an event sits: its effective day in the high half, its
/// recording sequence number in the low half. Sorting by key sorts by date, then
/// by the order events were recorded.
pub(crate) type Key = u64;

/// The key of the last moment of the day `days` (days since the common era).
pub(crate) fn end_of_day(days: i32) -> Key {
    (day_bits(days) << 32) | u64::from(u32::MAX)
}

/// The key of event number `seq`, effective on day `days`.
pub(crate) fn key(days: i32, seq: u32) -> Key {
    (day_bits(days) << 32) | u64::from(seq)
}

/// The event number a key was made from.
pub(crate) fn seq(key: Key) -> u32 {
    // The low half is the sequence number by construction.
    (key & u64::from(u32::MAX)) as u32
}

fn day_bits(days: i32) -> u64 {
    // Shift the signed day number into the unsigned range, keeping its order.
    u64::from(u32::from_ne_bytes(days.to_ne_bytes()) ^ 0x8000_0000)
}

/// A location, with ids resolved to positions in the ledger's registries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Loc {
    Base(u32),
    Country(crate::Country),
    Region(u32),
}

/// A contributor, with an alliance resolved to its position in the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Contrib {
    Country(crate::Country),
    Alliance(u32),
}

/// What a cell groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct CellKey {
    pub loc: Loc,
    pub contributor: Contrib,
    pub footing: Footing,
    pub kind: UnitKind,
    pub metric: u16,
}

/// One change to one cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Contribution {
    pub key: Key,
    pub cell: CellKey,
    pub delta: i128,
}

/// The step function of one cell: `keys[i]` is where a change happens and
/// `totals[i]` the cell's total from there on.
#[derive(Clone, Debug, Default)]
pub(crate) struct Series {
    keys: Vec<Key>,
    totals: Vec<i128>,
}

impl Series {
    /// The total at `key`, counting every change at or before it.
    pub fn at(&self, key: Key) -> i128 {
        let n = self.keys.partition_point(|&k| k <= key);
        n.checked_sub(1).map_or(0, |i| self.totals[i])
    }

    fn last_total(&self) -> i128 {
        self.totals.last().copied().unwrap_or(0)
    }

    /// Adds changes, given sorted by key with no key twice.
    fn apply(&mut self, changes: &[(Key, i128)]) {
        let Some(&(first, _)) = changes.first() else {
            return;
        };
        if self.keys.last().is_none_or(|&last| last < first) {
            // The common case: changes after everything recorded so far.
            let mut total = self.last_total();
            for &(k, d) in changes {
                total += d;
                self.keys.push(k);
                self.totals.push(total);
            }
            return;
        }
        // A change in the past: merge as deltas from the first affected position
        // and recompute the running totals from there.
        let start = self.keys.partition_point(|&k| k < first);
        let base = start.checked_sub(1).map_or(0, |i| self.totals[i]);
        let mut old: Vec<(Key, i128)> = Vec::with_capacity(self.keys.len() - start);
        let mut prev = base;
        for i in start..self.keys.len() {
            old.push((self.keys[i], self.totals[i] - prev));
            prev = self.totals[i];
        }
        self.keys.truncate(start);
        self.totals.truncate(start);
        let mut merged = old;
        merged.extend_from_slice(changes);
        merged.sort_by_key(|&(k, _)| k);
        let mut total = base;
        for same_key in merged.chunk_by(|a, b| a.0 == b.0) {
            let delta: i128 = same_key.iter().map(|&(_, d)| d).sum();
            if delta != 0 {
                total += delta;
                self.keys.push(same_key[0].0);
                self.totals.push(total);
            }
        }
    }
}

/// Every cell of one layer of the ledger.
#[derive(Clone, Debug, Default)]
pub(crate) struct Cells {
    cells: HashMap<CellKey, Series>,
}

impl Cells {
    /// Adds contributions, which must be sorted by cell then key, with no
    /// (cell, key) pair twice.
    pub fn apply(&mut self, sorted: &[Contribution]) {
        for group in sorted.chunk_by(|a, b| a.cell == b.cell) {
            let cell = group[0].cell;
            let changes: Vec<(Key, i128)> = group.iter().map(|c| (c.key, c.delta)).collect();
            self.cells.entry(cell).or_default().apply(&changes);
        }
    }

    /// Every cell with its series.
    pub fn iter(&self) -> impl Iterator<Item = (&CellKey, &Series)> {
        self.cells.iter()
    }
}

/// `after − before` as a list of contributions sorted by cell then key, with
/// zero changes dropped.
pub(crate) fn difference(after: &[Contribution], before: &[Contribution]) -> Vec<Contribution> {
    let mut all: Vec<Contribution> = after
        .iter()
        .copied()
        .chain(before.iter().map(|c| Contribution {
            delta: -c.delta,
            ..*c
        }))
        .collect();
    all.sort_by_key(|c| (c.cell, c.key));
    let mut out: Vec<Contribution> = Vec::with_capacity(all.len());
    for c in all {
        match out.last_mut() {
            Some(last) if last.cell == c.cell && last.key == c.key => last.delta += c.delta,
            _ => out.push(c),
        }
    }
    out.retain(|c| c.delta != 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(changes: &[(Key, i128)]) -> Series {
        let mut s = Series::default();
        for &c in changes {
            s.apply(&[c]);
        }
        s
    }

    #[test]
    fn keys_sort_by_day_then_sequence() {
        assert!(key(-5, 9) < key(-4, 0));
        assert!(key(10, 1) < key(10, 2));
        assert!(key(10, u32::MAX) <= end_of_day(10));
        assert!(end_of_day(10) < key(11, 0));
        assert_eq!(seq(key(738_000, 42)), 42);
    }

    #[test]
    fn a_change_in_the_past_shifts_every_later_total() {
        let s = series(&[(10, 5), (30, 2), (20, 100)]);
        assert_eq!(
            [s.at(9), s.at(10), s.at(20), s.at(30), s.at(99)],
            [0, 5, 105, 107, 107]
        );
        // Cancelling a change removes its step.
        let mut s = s;
        s.apply(&[(20, -100)]);
        assert_eq!([s.at(20), s.at(30)], [5, 7]);
        assert_eq!(s.keys, [10, 30]);
    }

    #[test]
    fn the_difference_cancels_what_did_not_change() {
        let cell = CellKey {
            loc: Loc::Country(crate::Country::new("EST").unwrap()),
            contributor: Contrib::Country(crate::Country::new("GBR").unwrap()),
            footing: Footing::Rotational,
            kind: UnitKind::Battlegroup,
            metric: 0,
        };
        let c = |key, delta| Contribution { key, cell, delta };
        let d = difference(&[c(1, 10), c(2, 5)], &[c(1, 10), c(3, 4)]);
        assert_eq!(d, [c(2, 5), c(3, -4)]);
    }
}
