//! The date index: per cell, a step function of the total over time.
//!
//! A *cell* is every deployment that shares a location, contributor, footing,
//! unit kind and metric. Each cell keeps its changes sorted by position in the
//! log, with running totals beside them, so the total at any position is one
//! binary search. A query sums the cells its scope matches; the number of cells
//! depends on how many distinct places and contributors there are, not on how
//! many events the ledger holds.
//!
//! Beside the cells, each layer keeps the cells grouped by *host* (the country
//! a country or base location is in, or the region of a regional figure), by
//! contributor, and by both, and, per host and per contributor and metric,
//! the step function of their sum. A scope that filters on hosts alone, or on
//! contributors alone, is then a binary search per host or contributor, and
//! a scope with other filters too reads only the cells of its hosts and
//! contributors.

use crate::deployment::Footing;
use crate::hash::{FastMap, FastSet};
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

/// The day number a key was made from.
pub(crate) fn day(key: Key) -> i32 {
    // The high half is the shifted day number by construction.
    i32::from_ne_bytes((((key >> 32) as u32) ^ 0x8000_0000).to_ne_bytes())
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

/// Where a cell's deployments are, for a host filter: the host country of a
/// country or a base, or the region of a regional figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Host {
    Country(crate::Country),
    Region(u32),
}

/// A sum the index keeps per metric beside the cells: a host's cells, the
/// cells of every country that is a member of a region at all dates, or a
/// contributor's cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Sum {
    Host(Host),
    Members(u32),
    Contributor(Contrib),
}

/// The kinds of [`Sum`], each fed from a batch in turn.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SumKind {
    Host,
    Members,
    Contributor,
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

fn host_bits(h: Host) -> u64 {
    match h {
        // Three ASCII bytes fit in 24 bits.
        Host::Country(c) => u64::from(c.bits()),
        Host::Region(r) => (1 << 32) | u64::from(r),
    }
}

impl Sum {
    /// The sum and a metric packed into one number, distinct for distinct
    /// pairs: sorting by it groups equal pairs with one integer comparison.
    fn rank(self, metric: u16) -> u64 {
        let sum = match self {
            Sum::Host(h) => host_bits(h),
            Sum::Members(r) => (2 << 32) | u64::from(r),
            Sum::Contributor(Contrib::Country(c)) => (3 << 32) | u64::from(c.bits()),
            Sum::Contributor(Contrib::Alliance(a)) => (4 << 32) | u64::from(a),
        };
        (sum << 16) | u64::from(metric)
    }
}

/// One change to one cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Contribution {
    pub key: Key,
    pub cell: CellKey,
    /// Scratch for [`net`]: the cell's number among the cells of one batch,
    /// so that sorting compares two integers. It sits in what would be
    /// padding: a change is 48 bytes with it or without.
    pub group: u32,
    pub delta: Delta,
    /// How many observations of the cell the change is: 1 for an event's
    /// change, even of nothing (a level that repeats the last, a withdrawal
    /// of a unit of strength 0); in a difference or once netted, any count,
    /// negative where observations are taken away, 0 where a change moved
    /// but its observation stayed.
    pub seen: i32,
}

// The largest thing a large batch holds, one or two per event: 56 bytes,
// with the delta in two halves; an `i128` field, aligned to 16 bytes,
// would make it 64.
const _: () = assert!(std::mem::size_of::<Contribution>() == 56);

/// A change's delta, an `i128` held in two 64-bit halves so that it is
/// aligned to 8 bytes, not 16: every value of an `i128`, exactly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Delta {
    low: u64,
    high: i64,
}

impl Delta {
    /// The delta as a number.
    pub fn get(self) -> i128 {
        (i128::from(self.high) << 64) | i128::from(self.low)
    }
}

impl From<i128> for Delta {
    fn from(delta: i128) -> Self {
        // The low half's bits, then the high half's, sign and all.
        Delta {
            low: (delta & i128::from(u64::MAX)) as u64,
            high: (delta >> 64) as i64,
        }
    }
}

impl std::ops::Neg for Delta {
    type Output = Delta;
    fn neg(self) -> Delta {
        Delta::from(-self.get())
    }
}

impl std::ops::AddAssign for Delta {
    fn add_assign(&mut self, other: Delta) {
        *self = Delta::from(self.get() + other.get());
    }
}

/// The step function of one cell: `keys[i]` is where an observation is made
/// and `totals[i]` the cell's total from there on; `seen[i]` counts the
/// observations up to and including `keys[i]`. A key is kept where the total
/// changes or an observation is made, even of no change: a recorded 0 is a
/// record, and no observation is no record.
///
/// In a what-if layer's cells, which hold the layer's difference from the
/// baseline, a step may take observations away (`seen` falls), where the
/// layer moves a unit out of a cell before a baseline event in it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Series {
    keys: Vec<Key>,
    totals: Totals,
    seen: Seen,
    /// Every [`FENCE`]th key, `fences[i] == keys[i * FENCE]`: a search reads
    /// this small array, which stays in cache, and then one short block of
    /// `keys`, instead of missing the cache at every level of a long one.
    fences: Vec<Key>,
}

/// How many keys a fence stands for: 32 keys are 256 bytes, four cache lines.
const FENCE: usize = 32;

/// A series' running totals: 64-bit while every total fits, which is every
/// real posture, and 128-bit from the first that does not, so that no sum of
/// counts can overflow. The narrow form takes two thirds of the room.
#[derive(Clone, Debug)]
enum Totals {
    Narrow(Vec<i64>),
    Wide(Vec<i128>),
}

impl Default for Totals {
    fn default() -> Self {
        Totals::Narrow(Vec::new())
    }
}

impl Totals {
    fn get(&self, i: usize) -> i128 {
        match self {
            Totals::Narrow(v) => i128::from(v[i]),
            Totals::Wide(v) => v[i],
        }
    }

    fn last(&self) -> Option<i128> {
        match self {
            Totals::Narrow(v) => v.last().map(|&t| i128::from(t)),
            Totals::Wide(v) => v.last().copied(),
        }
    }

    fn push(&mut self, total: i128) {
        match self {
            Totals::Narrow(v) => match i64::try_from(total) {
                Ok(t) => v.push(t),
                Err(_) => {
                    let mut wide: Vec<i128> = v.iter().map(|&t| i128::from(t)).collect();
                    wide.push(total);
                    *self = Totals::Wide(wide);
                }
            },
            Totals::Wide(v) => v.push(total),
        }
    }

    fn truncate(&mut self, len: usize) {
        match self {
            Totals::Narrow(v) => v.truncate(len),
            Totals::Wide(v) => v.truncate(len),
        }
    }

    fn reserve(&mut self, n: usize) {
        match self {
            Totals::Narrow(v) => v.reserve(n),
            Totals::Wide(v) => v.reserve(n),
        }
    }
}

/// A series' cumulative observation counts, `seen[i]` for its `i`th key,
/// in the smallest form that holds them: nothing at all while every key is
/// one observation (`seen[i] == i + 1`, most cells' series), 32 bits while
/// the counts are never negative and fit, and 64 bits from the first that
/// does not (a what-if layer's differences, which may take observations
/// away), so that no count is ever cut.
#[derive(Clone, Debug)]
enum Seen {
    /// `len` keys, each one observation.
    Ones(usize),
    Narrow(Vec<u32>),
    Wide(Vec<i64>),
}

impl Default for Seen {
    fn default() -> Self {
        Seen::Ones(0)
    }
}

impl Seen {
    fn get(&self, i: usize) -> i64 {
        match self {
            Seen::Ones(len) => {
                debug_assert!(i < *len);
                // A series holds fewer keys than memory has bytes.
                i64::try_from(i).map_or(i64::MAX, |i| i + 1)
            }
            Seen::Narrow(v) => i64::from(v[i]),
            Seen::Wide(v) => v[i],
        }
    }

    fn last(&self) -> Option<i64> {
        match self {
            Seen::Ones(0) => None,
            Seen::Ones(len) => Some(self.get(len - 1)),
            Seen::Narrow(v) => v.last().map(|&n| i64::from(n)),
            Seen::Wide(v) => v.last().copied(),
        }
    }

    fn push(&mut self, seen: i64) {
        match self {
            Seen::Ones(len) if usize::try_from(seen).is_ok_and(|n| n == *len + 1) => *len += 1,
            Seen::Ones(len) => {
                let len = *len;
                *self = match (u32::try_from(len), u32::try_from(seen)) {
                    (Ok(n), Ok(_)) => Seen::Narrow((1..=n).collect()),
                    _ => Seen::Wide(
                        (1..=len)
                            .map(|i| i64::try_from(i).unwrap_or(i64::MAX))
                            .collect(),
                    ),
                };
                self.push(seen);
            }
            Seen::Narrow(v) => match u32::try_from(seen) {
                Ok(n) => v.push(n),
                Err(_) => {
                    let wide: Vec<i64> = v.iter().map(|&n| i64::from(n)).collect();
                    *self = Seen::Wide(wide);
                    self.push(seen);
                }
            },
            Seen::Wide(v) => v.push(seen),
        }
    }

    fn truncate(&mut self, len: usize) {
        match self {
            Seen::Ones(n) => *n = (*n).min(len),
            Seen::Narrow(v) => v.truncate(len),
            Seen::Wide(v) => v.truncate(len),
        }
    }

    fn reserve(&mut self, n: usize) {
        match self {
            Seen::Ones(_) => {}
            Seen::Narrow(v) => v.reserve(n),
            Seen::Wide(v) => v.reserve(n),
        }
    }
}

impl Series {
    /// The total at `key`, counting every change at or before it.
    #[cfg(test)]
    pub fn at(&self, key: Key) -> i128 {
        match self.upto(key) {
            0 => 0,
            n => self.totals.get(n - 1),
        }
    }

    /// How many observations lie at or before `key`.
    pub fn seen_at(&self, key: Key) -> i64 {
        match self.upto(key) {
            0 => 0,
            n => self.seen.get(n - 1),
        }
    }

    /// The observations made at `keys[i]`.
    fn seen_here(&self, i: usize) -> i64 {
        self.seen.get(i) - i.checked_sub(1).map_or(0, |j| self.seen.get(j))
    }

    /// How many steps lie at or before `key`.
    fn upto(&self, key: Key) -> usize {
        // Blocks whose first key is at or before `key`; the last of them
        // holds the last change at or before it.
        let Some(block) = self.fences.partition_point(|&k| k <= key).checked_sub(1) else {
            return 0;
        };
        let start = block * FENCE;
        let end = (start + FENCE).min(self.keys.len());
        let n = start + self.keys[start..end].partition_point(|&k| k <= key);
        debug_assert_eq!(n, self.keys.partition_point(|&k| k <= key));
        n
    }

    /// The totals at the ends of the days from the one `from` ends to the one
    /// `to` ends (keys made by [`end_of_day`]), in order, each pushed onto
    /// `out` unless it equals the last value there: what the total is on
    /// some day of the span, one step per change, however many days the span
    /// has. A day before any observation is `None`, no record.
    pub fn day_ends(&self, from: Key, to: Key, out: &mut Vec<Option<i128>>) {
        let start = self.upto(from);
        let end = if to == from { start } else { self.upto(to) };
        let value = |i: usize| (self.seen.get(i) > 0).then(|| self.totals.get(i));
        let mut push = |total: Option<i128>| {
            if out.last() != Some(&total) {
                out.push(total);
            }
        };
        push(start.checked_sub(1).and_then(value));
        // Several changes on one day: only the day's last total is an end of day.
        for (i, pair) in self.keys[start..end].windows(2).enumerate() {
            if pair[0] >> 32 != pair[1] >> 32 {
                push(value(start + i));
            }
        }
        if end > start {
            push(value(end - 1));
        }
    }

    /// The key of the first observation, if any: where a record begins.
    pub fn first_seen(&self) -> Option<Key> {
        (0..self.keys.len())
            .find(|&i| self.seen.get(i) > 0)
            .map(|i| self.keys[i])
    }

    /// The keys after `from`, up to and including `to`, where the total changes.
    pub fn changes_between(&self, from: Key, to: Key) -> impl Iterator<Item = Key> + '_ {
        let (start, end) = (self.upto(from), self.upto(to));
        (start..end.max(start)).filter_map(move |i| {
            let prev = i.checked_sub(1).map_or(0, |j| self.totals.get(j));
            (self.totals.get(i) != prev).then_some(self.keys[i])
        })
    }

    /// The sum of several series.
    pub fn sum<'s>(parts: impl IntoIterator<Item = &'s Series>) -> Series {
        let mut changes: Vec<Change> = Vec::new();
        for part in parts {
            changes.extend(part.changes(0));
        }
        changes.sort_unstable_by_key(|c| c.0);
        let mut out = Series::default();
        out.extend_netted(&changes);
        out
    }

    /// The steps from position `start` on, as changes.
    fn changes(&self, start: usize) -> impl Iterator<Item = Change> + '_ {
        (start..self.keys.len()).map(move |i| {
            let prev = i.checked_sub(1).map_or(0, |j| self.totals.get(j));
            (self.keys[i], self.totals.get(i) - prev, self.seen_here(i))
        })
    }

    /// Pushes changes sorted by key, netting those at one key, and keeping a
    /// step wherever the total changes or observations are made.
    fn extend_netted(&mut self, sorted: &[Change]) {
        let (mut total, mut seen) = (self.last_total(), self.last_seen());
        for same_key in sorted.chunk_by(|a, b| a.0 == b.0) {
            let delta: i128 = same_key.iter().map(|c| c.1).sum();
            let count: i64 = same_key.iter().map(|c| c.2).sum();
            if delta != 0 || count != 0 {
                total += delta;
                seen += count;
                self.push(same_key[0].0, total, seen);
            }
        }
    }

    fn last_total(&self) -> i128 {
        self.totals.last().unwrap_or(0)
    }

    fn last_seen(&self) -> i64 {
        self.seen.last().unwrap_or(0)
    }

    fn push(&mut self, key: Key, total: i128, seen: i64) {
        if self.keys.len() % FENCE == 0 {
            self.fences.push(key);
        }
        self.keys.push(key);
        self.totals.push(total);
        self.seen.push(seen);
        debug_assert_eq!(self.totals.last(), Some(total));
    }

    /// Adds changes, given sorted by key with no key twice.
    fn apply(&mut self, changes: &[Change]) {
        let Some(&(first, _, _)) = changes.first() else {
            return;
        };
        if self.keys.last().is_none_or(|&last| last < first) {
            // The common case: changes after everything recorded so far.
            self.keys.reserve(changes.len());
            self.totals.reserve(changes.len());
            self.seen.reserve(changes.len());
            // No key twice: each change is a step of its own, with no
            // netting to do.
            let (mut total, mut seen) = (self.last_total(), self.last_seen());
            for &(key, delta, count) in changes {
                debug_assert!(self.keys.last().is_none_or(|&last| last < key));
                if delta != 0 || count != 0 {
                    total += delta;
                    seen += count;
                    self.push(key, total, seen);
                }
            }
            return;
        }
        // A change in the past: merge as deltas from the first affected position
        // and recompute the running totals from there.
        let start = self.keys.partition_point(|&k| k < first);
        let mut merged: Vec<Change> = self.changes(start).collect();
        self.keys.truncate(start);
        self.fences.truncate(start.div_ceil(FENCE));
        self.totals.truncate(start);
        self.seen.truncate(start);
        merged.extend_from_slice(changes);
        merged.sort_by_key(|c| c.0);
        self.extend_netted(&merged);
    }
}

/// One step of a series as a change: where, by how much, and how many
/// observations it makes.
pub(crate) type Change = (Key, i128, i64);

/// What the series of a scope say of its total at a key: whether any
/// observation covers it, and the newest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Coverage {
    /// How many observations lie at or before the key, over every part.
    pub seen: i64,
    /// The key of the newest of them.
    pub newest: Option<Key>,
}

impl Coverage {
    /// The total at `key` of the sum of `parts`, and its coverage. Where
    /// every part is a baseline's, each step is an observation and the
    /// newest is the last step of any part; where a layer's differences
    /// take observations away, the newest is the last key whose
    /// observations, summed over the parts, remain.
    ///
    /// One search per part finds the total, the newest step of every part
    /// and how many observations are made there; only where those sum to
    /// none (a layer took them away) does [`Coverage::searched`] search
    /// further back.
    pub fn with_total(parts: &[&Series], key: Key) -> (i128, Coverage) {
        let (mut total, mut seen) = (0i128, 0i64);
        // The newest step at or before `key` of any part, and the
        // observations the parts make there.
        let mut newest: Option<(Key, i64)> = None;
        for s in parts {
            let Some(i) = s.upto(key).checked_sub(1) else {
                continue;
            };
            total += s.totals.get(i);
            seen += s.seen.get(i);
            let (k, here) = (s.keys[i], s.seen_here(i));
            newest = match newest {
                Some((best, n)) if best == k => Some((best, n + here)),
                Some((best, _)) if best > k => newest,
                _ => Some((k, here)),
            };
        }
        let coverage = match newest {
            _ if seen <= 0 => Coverage { seen, newest: None },
            Some((k, here)) if here > 0 => Coverage {
                seen,
                newest: Some(k),
            },
            _ => Coverage::searched(parts, key, seen),
        };
        (total, coverage)
    }

    /// The coverage where the newest step's observations cancel: a layer
    /// took the last observations away.
    fn searched(parts: &[&Series], key: Key, seen: i64) -> Coverage {
        if seen <= 0 {
            return Coverage { seen, newest: None };
        }
        // A layer took the last observations away. The count of
        // observations in view only grows with the key, so the newest is the
        // first key at which it reaches its count at `key`: a binary search
        // over keys, 64 steps of one search per part, however many steps
        // the layer cancels.
        let (mut low, mut high) = (0, key);
        while low < high {
            let mid = low + (high - low) / 2;
            let at: i64 = parts.iter().map(|s| s.seen_at(mid)).sum();
            if at >= seen {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        Coverage {
            seen,
            newest: Some(low),
        }
    }
}

/// A change to a sum while a batch's changes are sorted by sum and key:
/// the sum's rank, the key, the delta and the observations.
trait SumChange: Copy {
    /// `c` under the rank of a sum it feeds.
    fn new(rank: u64, c: &Contribution) -> Self;
    fn rank(&self) -> u64;
    fn key(&self) -> Key;
    fn delta(&self) -> i128;
    fn seen(&self) -> i64;
}

/// A [`SumChange`] whose delta fits 64 bits: 32 bytes, where a 128-bit
/// delta's alignment makes one 48, and sorting moves them whole.
#[derive(Clone, Copy)]
struct NarrowSumChange {
    rank: u64,
    key: Key,
    delta: i64,
    seen: i32,
}

const _: () = assert!(std::mem::size_of::<NarrowSumChange>() == 32);

impl SumChange for NarrowSumChange {
    fn new(rank: u64, c: &Contribution) -> Self {
        // Taken only for a batch whose every delta fits, checked first.
        let delta = c.delta.get();
        debug_assert!(i64::try_from(delta).is_ok());
        let delta = i64::try_from(delta).unwrap_or(if delta < 0 { i64::MIN } else { i64::MAX });
        NarrowSumChange {
            rank,
            key: c.key,
            delta,
            seen: c.seen,
        }
    }
    fn rank(&self) -> u64 {
        self.rank
    }
    fn key(&self) -> Key {
        self.key
    }
    fn delta(&self) -> i128 {
        i128::from(self.delta)
    }
    fn seen(&self) -> i64 {
        i64::from(self.seen)
    }
}

/// A [`SumChange`] of any delta.
#[derive(Clone, Copy)]
struct WideSumChange {
    rank: u64,
    key: Key,
    delta: i128,
    seen: i32,
}

impl SumChange for WideSumChange {
    fn new(rank: u64, c: &Contribution) -> Self {
        WideSumChange {
            rank,
            key: c.key,
            delta: c.delta.get(),
            seen: c.seen,
        }
    }
    fn rank(&self) -> u64 {
        self.rank
    }
    fn key(&self) -> Key {
        self.key
    }
    fn delta(&self) -> i128 {
        self.delta
    }
    fn seen(&self) -> i64 {
        i64::from(self.seen)
    }
}

/// Every cell of one layer of the ledger, grouped by host, with each host's
/// total per metric.
#[derive(Clone, Debug, Default)]
pub(crate) struct Cells {
    /// Every cell with its series, in the order first changed.
    cells: Vec<(CellKey, Series)>,
    /// Where each cell is in `cells`.
    slots: FastMap<CellKey, usize>,
    /// The cells of each host, to read only those a host filter matches.
    by_host: FastMap<Host, Vec<usize>>,
    /// The cells of each contributor, likewise for a contributor filter.
    by_contributor: FastMap<Contrib, Vec<usize>>,
    /// The cells of each contributor in each host, for a filter on both.
    /// Cells are few beside the changes they hold: the three listings cost
    /// a few bytes per cell, not per event.
    by_pair: FastMap<(Host, Contrib), Vec<usize>>,
    /// The regions with regional figures, in the order first seen.
    regions: Vec<u32>,
    /// Per host or region's lasting members, and metric, the sum of their cells.
    sums: FastMap<(Sum, u16), Series>,
    /// What the cells hold, wherever they are: metric, contributor, footing
    /// and kind; for a caveat's "the ledger records such forces elsewhere",
    /// a lookup rather than a pass over every cell.
    shapes: FastSet<(u16, Contrib, Footing, UnitKind)>,
    /// The same without the contributor.
    kinds: FastSet<(u16, Footing, UnitKind)>,
}

impl Cells {
    /// Adds contributions, which must be sorted by cell then key, with no
    /// (cell, key) pair twice. `host` says where a location is, `member_of`
    /// the regions a country is a member of at all dates.
    pub fn apply<'r>(
        &mut self,
        sorted: &[Contribution],
        host: impl Fn(Loc) -> Host,
        member_of: impl Fn(crate::Country) -> &'r [u32],
    ) {
        let mut changes: Vec<Change> = Vec::new();
        for group in sorted.chunk_by(|a, b| a.cell == b.cell) {
            let cell = group[0].cell;
            let h = host(cell.loc);
            changes.clear();
            changes.extend(
                group
                    .iter()
                    .map(|c| (c.key, c.delta.get(), i64::from(c.seen))),
            );
            let slot = *self.slots.entry(cell).or_insert_with(|| {
                self.shapes
                    .insert((cell.metric, cell.contributor, cell.footing, cell.kind));
                self.kinds.insert((cell.metric, cell.footing, cell.kind));
                let slot = self.cells.len();
                self.cells.push((cell, Series::default()));
                let cells = self.by_host.entry(h).or_default();
                if cells.is_empty() {
                    if let Host::Region(r) = h {
                        self.regions.push(r);
                    }
                }
                cells.push(slot);
                self.by_contributor
                    .entry(cell.contributor)
                    .or_default()
                    .push(slot);
                self.by_pair
                    .entry((h, cell.contributor))
                    .or_default()
                    .push(slot);
                slot
            });
            self.cells[slot].1.apply(&changes);
        }
        // Every real change fits 64 bits; a batch with one that does not
        // (a figure near the limit of a count) feeds the sums in 128 bits.
        if sorted.iter().all(|c| i64::try_from(c.delta.get()).is_ok()) {
            self.feed_sums::<NarrowSumChange>(sorted, &host, &member_of);
        } else {
            self.feed_sums::<WideSumChange>(sorted, &host, &member_of);
        }
        debug_assert_eq!(
            self.by_host.values().map(Vec::len).sum::<usize>(),
            self.cells.len()
        );
        debug_assert_eq!(
            self.by_contributor.values().map(Vec::len).sum::<usize>(),
            self.cells.len()
        );
        debug_assert_eq!(
            self.by_pair.values().map(Vec::len).sum::<usize>(),
            self.cells.len()
        );
    }

    /// Feeds the sums the changes of [`Cells::apply`], summed per sum,
    /// metric and key: the hosts' first, then the regions' lasting
    /// members', then the contributors', so that a large batch holds the
    /// list of one kind of sum at a time. `E` is how a change is held while
    /// they are sorted: in 32 bytes where every delta fits 64 bits.
    fn feed_sums<'r, E: SumChange>(
        &mut self,
        sorted: &[Contribution],
        host: &impl Fn(Loc) -> Host,
        member_of: &impl Fn(crate::Country) -> &'r [u32],
    ) {
        // Each change goes in under its sum's rank, worked out once, so the
        // sort compares integers; the sums are told by rank.
        let mut changes: Vec<Change> = Vec::new();
        let mut by_sum: Vec<E> = Vec::new();
        let mut sums_by_rank: FastMap<u64, (Sum, u16)> = FastMap::default();
        for kind in [SumKind::Host, SumKind::Members, SumKind::Contributor] {
            by_sum.clear();
            for group in sorted.chunk_by(|a, b| a.cell == b.cell) {
                let cell = group[0].cell;
                let h = host(cell.loc);
                let sums: &[u32] = match (kind, h) {
                    (SumKind::Members, Host::Country(country)) => member_of(country),
                    (SumKind::Members, Host::Region(_)) => &[],
                    (SumKind::Host | SumKind::Contributor, _) => &[0],
                };
                for &r in sums {
                    let sum = match kind {
                        SumKind::Host => Sum::Host(h),
                        SumKind::Members => Sum::Members(r),
                        SumKind::Contributor => Sum::Contributor(cell.contributor),
                    };
                    let rank = sum.rank(cell.metric);
                    sums_by_rank.insert(rank, (sum, cell.metric));
                    by_sum.extend(group.iter().map(|c| E::new(rank, c)));
                }
            }
            by_sum.sort_unstable_by_key(|c| (c.rank(), c.key()));
            for group in by_sum.chunk_by(|a, b| a.rank() == b.rank()) {
                changes.clear();
                for same_key in group.chunk_by(|a, b| a.key() == b.key()) {
                    let delta: i128 = same_key.iter().map(|c| c.delta()).sum();
                    let seen: i64 = same_key.iter().map(|c| c.seen()).sum();
                    if delta != 0 || seen != 0 {
                        changes.push((same_key[0].key(), delta, seen));
                    }
                }
                if let Some(&sum) = sums_by_rank.get(&group[0].rank()) {
                    self.sums.entry(sum).or_default().apply(&changes);
                }
            }
        }
    }

    /// Every cell with its series.
    pub fn iter(&self) -> impl Iterator<Item = (&CellKey, &Series)> {
        self.cells.iter().map(|(cell, series)| (cell, series))
    }

    /// The cells of one host.
    pub fn of_host(&self, host: Host) -> impl Iterator<Item = (&CellKey, &Series)> {
        self.slotted(self.by_host.get(&host))
    }

    /// The cells of one contributor.
    pub fn of_contributor(
        &self,
        contributor: Contrib,
    ) -> impl Iterator<Item = (&CellKey, &Series)> {
        self.slotted(self.by_contributor.get(&contributor))
    }

    /// The cells of one contributor in one host.
    pub fn of_pair(
        &self,
        host: Host,
        contributor: Contrib,
    ) -> impl Iterator<Item = (&CellKey, &Series)> {
        self.slotted(self.by_pair.get(&(host, contributor)))
    }

    fn slotted<'s>(
        &'s self,
        slots: Option<&'s Vec<usize>>,
    ) -> impl Iterator<Item = (&'s CellKey, &'s Series)> {
        slots
            .into_iter()
            .flatten()
            .filter_map(|&slot| self.cells.get(slot))
            .map(|(cell, series)| (cell, series))
    }

    /// The contributors of any cell.
    pub fn contributors(&self) -> impl Iterator<Item = Contrib> + '_ {
        self.by_contributor.keys().copied()
    }

    /// Whether any cell, at any date, holds `metric` on `footing` in units
    /// of `kind`, from `contributor` if given.
    pub fn holds(
        &self,
        metric: u16,
        contributor: Option<Contrib>,
        footing: Footing,
        kind: UnitKind,
    ) -> bool {
        match contributor {
            Some(c) => self.shapes.contains(&(metric, c, footing, kind)),
            None => self.kinds.contains(&(metric, footing, kind)),
        }
    }

    /// The regions that hold regional figures.
    pub fn regions(&self) -> &[u32] {
        &self.regions
    }

    /// The sum of the cells a sum covers in `metric`, if any changed or
    /// was observed.
    pub fn sum(&self, sum: Sum, metric: u16) -> Option<&Series> {
        self.sums.get(&(sum, metric))
    }

    /// Starts the sum of a new region's lasting members from their hosts'
    /// sums, for a region added after events were recorded.
    pub fn add_region(&mut self, region: u32, members: &[crate::Country]) {
        let metrics: std::collections::BTreeSet<u16> = self.sums.keys().map(|&(_, m)| m).collect();
        for m in metrics {
            let parts = members
                .iter()
                .filter_map(|&c| self.sums.get(&(Sum::Host(Host::Country(c)), m)));
            let sum = Series::sum(parts);
            if !sum.keys.is_empty() {
                self.sums.insert((Sum::Members(region), m), sum);
            }
        }
    }
}

/// Groups contributions by cell, sorts each cell's by key, and nets those at
/// the same cell and key, dropping those that change nothing and observe
/// nothing, in place: what
/// [`Cells::apply`] takes. A large batch's changes are the largest thing a
/// build holds, so no copy is made.
pub(crate) fn net(changes: &mut Vec<Contribution>) {
    // Number the cells in the order first met: a batch touches far fewer
    // cells than it makes changes, and the sort then compares integers.
    let mut numbers: FastMap<CellKey, u32> = FastMap::default();
    for c in changes.iter_mut() {
        let next = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
        c.group = *numbers.entry(c.cell).or_insert(next);
    }
    changes.sort_unstable_by_key(|c| (c.group, c.key));
    changes.dedup_by(|c, kept| {
        let same = kept.cell == c.cell && kept.key == c.key;
        if same {
            kept.delta += c.delta;
            kept.seen += c.seen;
        }
        same
    });
    changes.retain(|c| c.delta != Delta::default() || c.seen != 0);
}

/// `after − before` as a list of contributions sorted by cell then key, with
/// those that change and observe nothing dropped.
pub(crate) fn difference(after: &[Contribution], before: &[Contribution]) -> Vec<Contribution> {
    let mut all: Vec<Contribution> = after
        .iter()
        .copied()
        .chain(before.iter().map(|c| Contribution {
            delta: -c.delta,
            seen: -c.seen,
            ..*c
        }))
        .collect();
    all.sort_by_key(|c| (c.cell, c.key));
    let mut out: Vec<Contribution> = Vec::with_capacity(all.len());
    for c in all {
        match out.last_mut() {
            Some(last) if last.cell == c.cell && last.key == c.key => {
                last.delta += c.delta;
                last.seen += c.seen;
            }
            _ => out.push(c),
        }
    }
    out.retain(|c| c.delta != Delta::default() || c.seen != 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(changes: &[(Key, i128)]) -> Series {
        let mut s = Series::default();
        for &(k, d) in changes {
            s.apply(&[(k, d, 1)]);
        }
        s
    }

    /// A layer that moves a unit out early cancels every later baseline
    /// observation in its cell: the newest that remains is found by a
    /// search, not a walk back through each cancelled step.
    #[test]
    fn the_newest_observation_a_layer_leaves_is_found_past_what_it_cancels() {
        let n: u64 = 10_000;
        let base = series(&(1..=n).map(|k| (k * 10, 1)).collect::<Vec<_>>());
        // The layer takes away every observation after key 50, and the
        // figures with them.
        let mut layer = Series::default();
        let cancel: Vec<Change> = (6..=n).map(|k| (k * 10, -1, -1)).collect();
        layer.apply(&cancel);
        let (total, coverage) = Coverage::with_total(&[&base, &layer], n * 10 + 5);
        assert_eq!(total, 5);
        assert_eq!(
            coverage,
            Coverage {
                seen: 5,
                newest: Some(50)
            }
        );
        // Without the layer, the newest is the last step.
        let (_, alone) = Coverage::with_total(&[&base], n * 10 + 5);
        assert_eq!(alone.newest, Some(n * 10));
        // Cancelled down to nothing: no record.
        let mut all = Series::default();
        all.apply(&(1..=n).map(|k| (k * 10, -1, -1)).collect::<Vec<_>>());
        let (_, none) = Coverage::with_total(&[&base, &all], n * 10 + 5);
        assert_eq!(none.newest, None);
    }

    #[test]
    fn keys_sort_by_day_then_sequence() {
        assert!(key(-5, 9) < key(-4, 0));
        assert!(key(10, 1) < key(10, 2));
        assert!(key(10, u32::MAX) <= end_of_day(10));
        assert!(end_of_day(10) < key(11, 0));
        assert_eq!(seq(key(738_000, 42)), 42);
        for d in [i32::MIN, -5, 0, 738_000, i32::MAX] {
            assert_eq!(day(key(d, 7)), d);
            assert_eq!(day(end_of_day(d)), d);
        }
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
        s.apply(&[(20, -100, -1)]);
        assert_eq!([s.at(20), s.at(30)], [5, 7]);
        assert_eq!(s.keys, [10, 30]);
    }

    #[test]
    fn a_search_through_the_fences_finds_every_step() {
        let mut s = series(&(0..200).map(|i| (10 * i + 10, 1)).collect::<Vec<_>>());
        for k in 0..2_100 {
            assert_eq!(s.at(k), i128::from(k.min(2_000) / 10), "at {k}");
        }
        // A change in the past truncates and rebuilds the fences.
        s.apply(&[(15, 1_000, 1)]);
        assert_eq!(s.fences.len(), s.keys.len().div_ceil(FENCE));
        for k in 0..2_100 {
            let expected = i128::from(k.min(2_000) / 10) + if k >= 15 { 1_000 } else { 0 };
            assert_eq!(s.at(k), expected, "at {k}");
        }
    }

    #[test]
    fn totals_past_64_bits_widen_and_stay_exact() {
        let big = i128::from(u64::MAX);
        let s = series(&[(10, 5), (20, big), (30, big), (40, -big)]);
        assert!(matches!(s.totals, Totals::Wide(_)));
        assert_eq!(
            [s.at(9), s.at(10), s.at(20), s.at(30), s.at(40)],
            [0, 5, 5 + big, 5 + 2 * big, 5 + big]
        );
        let narrow = series(&[(10, 5), (20, 7)]);
        assert!(matches!(narrow.totals, Totals::Narrow(_)));
    }

    #[test]
    fn a_delta_in_halves_holds_every_i128() {
        let big = i128::from(u64::MAX);
        for d in [0, 1, -1, big, -big, big + 1, -big - 1, i128::MAX, i128::MIN] {
            assert_eq!(Delta::from(d).get(), d, "{d}");
        }
        assert_eq!((-Delta::from(big)).get(), -big);
        let mut sum = Delta::from(big);
        sum += Delta::from(big);
        assert_eq!(sum.get(), 2 * big);
    }

    #[test]
    fn observation_counts_take_the_narrowest_form_that_holds_them() {
        // One observation at every key: nothing is stored.
        let ones = series(&[(10, 5), (20, -5), (30, 0)]);
        assert!(matches!(ones.seen, Seen::Ones(3)));
        assert_eq!([ones.seen_at(9), ones.seen_at(30)], [0, 3]);
        // Two at one key: 32-bit counts, the ones before kept.
        let mut s = ones.clone();
        s.apply(&[(40, 1, 2)]);
        assert!(matches!(s.seen, Seen::Narrow(_)));
        assert_eq!([10, 20, 30, 40].map(|k| s.seen_at(k)), [1, 2, 3, 5]);
        // A count taken away below none, or past 32 bits: 64-bit counts.
        let mut taken = ones.clone();
        taken.apply(&[(5, 0, -1)]);
        assert!(matches!(taken.seen, Seen::Wide(_)));
        assert_eq!([5, 10, 30].map(|k| taken.seen_at(k)), [-1, 0, 2]);
        let mut many = s.clone();
        let past = i64::from(u32::MAX);
        many.apply(&[(50, 0, past)]);
        assert!(matches!(many.seen, Seen::Wide(_)));
        assert_eq!([many.seen_at(40), many.seen_at(50)], [5, 5 + past]);
        // A change in the past truncates every form alike.
        let mut back = ones;
        back.apply(&[(15, 1, 1)]);
        assert!(matches!(back.seen, Seen::Ones(4)));
        assert_eq!([back.at(15), back.at(30)], [6, 1]);
    }

    #[test]
    fn a_sum_of_series_steps_where_any_part_does() {
        let a = series(&[(10, 5), (30, 2)]);
        let b = series(&[(20, 1), (30, -2)]);
        let sum = Series::sum([&a, &b]);
        // The changes at 30 cancel, but both parts observe the cell there.
        assert_eq!(sum.keys, [10, 20, 30]);
        assert_eq!(sum.seen_at(30), 4);
        for k in [0, 10, 15, 20, 30, 99] {
            assert_eq!(sum.at(k), a.at(k) + b.at(k));
        }
    }

    #[test]
    fn ranks_tell_every_sum_apart() {
        let est = crate::Country::new("EST").unwrap();
        let sums = [
            Sum::Host(Host::Country(est)),
            Sum::Host(Host::Region(u32::MAX)),
            Sum::Members(0),
            Sum::Members(u32::MAX),
            Sum::Contributor(Contrib::Country(est)),
            Sum::Contributor(Contrib::Alliance(0)),
            Sum::Contributor(Contrib::Alliance(u32::MAX)),
        ];
        let ranks: std::collections::HashSet<u64> = sums
            .iter()
            .flat_map(|s| [s.rank(0), s.rank(u16::MAX)])
            .collect();
        assert_eq!(ranks.len(), 2 * sums.len());
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
        let c = |key, delta: i128| Contribution {
            key,
            cell,
            group: 0,
            delta: Delta::from(delta),
            seen: 1,
        };
        let d = difference(&[c(1, 10), c(2, 5)], &[c(1, 10), c(3, 4)]);
        let gone = Contribution {
            seen: -1,
            ..c(3, -4)
        };
        assert_eq!(d, [c(2, 5), gone]);
        let mut netted = vec![c(3, 4), c(1, 10), c(3, -4), c(2, 5), c(1, 1)];
        net(&mut netted);
        // Changes that cancel at one key are still two observations there.
        let twice = |key, delta| Contribution {
            seen: 2,
            ..c(key, delta)
        };
        assert_eq!(netted, [twice(1, 11), c(2, 5), twice(3, 0)]);
        // A change and its taking back cancel altogether.
        let mut gone = vec![
            c(4, 7),
            Contribution {
                seen: -1,
                ..c(4, -7)
            },
        ];
        net(&mut gone);
        assert_eq!(gone, []);
    }
}
