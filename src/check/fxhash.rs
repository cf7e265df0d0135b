//! A fast, non-cryptographic hasher for the checker's maps (the one rustc uses, "FxHash").
//!
//! The checker hashes many short keys (identifiers, type ids, interned types); std's default
//! SipHash is built to resist hash flooding, which costs more than the lookups themselves on
//! this workload. Keys here come from the program being checked, and a hostile program can
//! only slow down its own checking, so the cheaper hash is the right trade. Deterministic:
//! no code may depend on iteration order anyway (std's order was random per process).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Multiplier from rustc's FxHasher (derived from the golden ratio).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// One word of state: each input word is rotated in, then multiplied.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
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
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The length keeps "a\0" and "a" apart.
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Builds [`FxHasher`]s; maps using it are created with `default()`, not `new()`.
pub type FxBuildHasher = BuildHasherDefault<FxHasher>;
/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, FxBuildHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work_and_strings_differ() {
        let mut map: FxHashMap<String, u32> = FxHashMap::default();
        for (i, name) in ["a", "a\0", "ab", "abcdefgh", "abcdefghi", ""]
            .iter()
            .enumerate()
        {
            map.insert(name.to_string(), i as u32);
        }
        assert_eq!(map.len(), 6);
        assert_eq!(map.get("abcdefghi"), Some(&4));
        assert_eq!(map.get(""), Some(&5));
    }
}
