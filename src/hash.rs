//! The hasher of the crate's internal maps, and the maps that use it.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A fast hasher for the ledger's internal maps, in the manner of rustc's
/// FxHash: a multiply and a rotate per word. The keys are the ledger's own
/// small, fixed-size keys and the ids of its records, hashed millions of times
/// while a large batch is checked; SipHash's protection against crafted keys
/// matters for a server facing the network, not for a ledger of one's own data.
#[derive(Clone, Copy, Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The bytes as a little-endian word, zero-padded; a copy into a
            // padded array would call `memcpy` for its variable length.
            let word = rest.iter().rev().fold(0, |w, &b| (w << 8) | u64::from(b));
            self.add(word);
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // A multiply leaves the low bits of the state depending on the low
        // bits of the input alone, and the hash table picks buckets by the
        // low bits: ids that differ only towards their end ("u10001",
        // "u10002") would share a few buckets. Fold the high bits down.
        let h = self.0 ^ (self.0 >> 32);
        h.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (h >> 29)
    }
}

/// A `HashMap` with the [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A `HashSet` with the [`FastHasher`].
pub(crate) type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_differ_at_their_end_spread_over_the_low_bits() {
        // A hash table picks buckets by the low bits of the hash.
        let buckets: std::collections::HashSet<u64> = (10_000..11_000)
            .map(|n| {
                let mut h = FastHasher::default();
                h.write(format!("u{n}").as_bytes());
                h.write_u8(0xff);
                h.finish() & 1023
            })
            .collect();
        assert!(buckets.len() > 600, "{} of 1,024 buckets", buckets.len());
    }
}
