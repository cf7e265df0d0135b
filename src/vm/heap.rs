//! The heap: every object a program allocates, named by a one-word reference.
//!
//! A reference is an index into an append-only table of objects (0 is nil). Objects are shared
//! by all goroutines: their mutable words are atomics (`Relaxed` loads and stores, as Go's
//! memory model allows racy programs to see stale values but never torn words), and every
//! access goes through a checked lookup, so a wrong reference can only produce a Go-style
//! panic, never undefined behaviour. This module is safe Rust.
//!
//! Nothing is freed yet: the tracing collector of DESIGN.md comes later behind this same
//! interface (`alloc`, `get`); its roots are the registers of every goroutine, whose kinds the
//! compiler knows.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// The table's chunks double from 2^10 objects to 2^16, then stay at 2^16: a small program
/// touches little memory at start-up, a large one wastes at most one chunk's worth.
const FIRST_CHUNK_BITS: u32 = 10;
const FULL_CHUNK_BITS: u32 = 16;
/// The chunks that double (sizes 2^10 .. 2^16), and the objects they hold.
const GROWING_CHUNKS: usize = (FULL_CHUNK_BITS - FIRST_CHUNK_BITS + 1) as usize;
const GROWING_OBJECTS: u64 = ((1 << GROWING_CHUNKS) - 1) << FIRST_CHUNK_BITS;
/// With 2^14 full chunks the table holds about 2^30 objects (tens of GiB of objects).
const MAX_CHUNKS: usize = GROWING_CHUNKS + (1 << 14);

/// A key of a Go map, built from a value by its key type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MapKey {
    Word(u64),
    /// Floats compare by value: +0 and -0 are one key; NaN never equals itself.
    Float(u64),
    Bytes(Box<[u8]>),
    Composite(Box<[MapKey]>),
    /// An interface key: dynamic type and key of the dynamic value.
    Iface(u32, Box<MapKey>),
}

/// A Go map: entries in insertion order (iteration starts at a random entry, as in Go).
#[derive(Default, Debug)]
pub struct MapObj {
    /// The key type: keys are compared by value according to it.
    pub key_ty: u32,
    pub index: HashMap<MapKey, usize>,
    /// `(key word, value word)`; deleted entries are `None`.
    pub entries: Vec<Option<(u64, u64)>>,
    pub len: usize,
}

#[derive(Debug)]
pub enum Obj {
    /// Mutable words: a struct, an array, a slice's backing array, a boxed variable.
    Cells(Box<[AtomicU64]>),
    /// Immutable string bytes.
    Str(Box<[u8]>),
    /// A slice header: `len` elements of `array` from `offset`, room for `cap`.
    Slice {
        array: u64,
        offset: usize,
        len: usize,
        cap: usize,
    },
    /// A pointer to word `index` of the cells object `obj`.
    Ptr {
        obj: u64,
        index: usize,
    },
    /// A non-nil interface value: dynamic type and the value's word.
    Iface {
        ty: u32,
        value: u64,
    },
    Map(Mutex<MapObj>),
    /// A function value: function, captured variables' storage, bound receiver if a method
    /// value (`recv`), or an interface method value (`method` of `recv`).
    Closure {
        func: u32,
        captures: Box<[u64]>,
        recv: Option<u64>,
        iface_method: Option<(u32, u32)>,
    },
    /// A map iteration in progress: the map, the keys it had when the iteration started (in
    /// the random order chosen then), and the position.
    MapIter(Mutex<(u64, Vec<u64>, usize)>),
    /// A channel (`make(chan T, n)`): see `vm/chan.rs`.
    Chan(super::chan::ChanRef),
}

type Chunk = Box<[OnceLock<Obj>]>;

/// Slots of the pointer cache (a power of two).
const PTR_CACHE_SLOTS: usize = 1024;

pub struct Heap {
    chunks: Box<[OnceLock<Chunk>]>,
    next: AtomicU64,
    /// Recently made pointer objects, by a hash of their target (see [`Heap::ptr_to`]).
    ptr_cache: Box<[AtomicU64]>,
}

impl Default for Heap {
    fn default() -> Self {
        Heap::new()
    }
}

impl Heap {
    pub fn new() -> Heap {
        Heap {
            chunks: (0..MAX_CHUNKS).map(|_| OnceLock::new()).collect(),
            // Reference 0 is nil.
            next: AtomicU64::new(1),
            ptr_cache: (0..PTR_CACHE_SLOTS).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// A pointer to word `index` of the cells object `obj` (`&x`, `&s.f`, `&a[i]`), reusing
    /// a pointer object made earlier for the same word when the cache still has it, so a loop
    /// taking `&x` allocates once, not once per iteration. Pointer objects are immutable and
    /// pointers compare by target (`Vm::same_pointer`), so sharing one is unobservable. A slot
    /// holds only a reference and is checked against the object it names, so racing Ms can
    /// overwrite each other's slots but never make a wrong hit. (A collector must clear the
    /// cache or treat it as weak.) Returns 0 when the table is exhausted, as `alloc`.
    pub fn ptr_to(&self, obj: u64, index: usize) -> u64 {
        let hash = (obj ^ (index as u64).rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = &self.ptr_cache[(hash >> 54) as usize & (PTR_CACHE_SLOTS - 1)];
        let cached = slot.load(Ordering::Relaxed);
        if let Some(Obj::Ptr { obj: o, index: i }) = self.get(cached) {
            if *o == obj && *i == index {
                return cached;
            }
        }
        let p = self.alloc(Obj::Ptr { obj, index });
        slot.store(p, Ordering::Relaxed);
        p
    }

    /// Allocates an object; returns its reference (never 0). Returns 0 only when the table is
    /// exhausted (about 2^30 objects), which callers report as out of memory.
    pub fn alloc(&self, obj: Obj) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (chunk, slot) = split(id);
        let Some(cell) = self.chunks.get(chunk) else {
            return 0;
        };
        let size = 1usize << (FIRST_CHUNK_BITS as usize + chunk.min(GROWING_CHUNKS - 1));
        let table = cell.get_or_init(|| (0..size).map(|_| OnceLock::new()).collect());
        match table.get(slot) {
            Some(place) if place.set(obj).is_ok() => id,
            _ => 0,
        }
    }

    pub fn get(&self, id: u64) -> Option<&Obj> {
        let (chunk, slot) = split(id);
        self.chunks.get(chunk)?.get()?.get(slot)?.get()
    }

    /// Objects allocated so far (for `runtime.ReadMemStats`).
    pub fn count(&self) -> u64 {
        self.next.load(Ordering::Relaxed) - 1
    }

    // ---- Typed helpers -------------------------------------------------------------------------

    pub fn cells(&self, words: Vec<u64>) -> u64 {
        self.alloc(Obj::Cells(words.into_iter().map(AtomicU64::new).collect()))
    }

    /// `n` zero words. Written once here, never read first: a `vec![0; n]` from `calloc`
    /// converted by [`Heap::cells`] would fault each fresh page twice (read, then write).
    pub fn zeroed_cells(&self, n: usize) -> u64 {
        self.alloc(Obj::Cells(
            std::iter::repeat_with(|| AtomicU64::new(0))
                .take(n)
                .collect(),
        ))
    }

    pub fn string(&self, bytes: &[u8]) -> u64 {
        if bytes.is_empty() {
            return 0;
        }
        self.alloc(Obj::Str(bytes.into()))
    }

    /// The bytes of a string word (0 is the empty string).
    pub fn str_bytes(&self, id: u64) -> &[u8] {
        match self.get(id) {
            Some(Obj::Str(b)) => b,
            _ => &[],
        }
    }

    pub fn cell_words(&self, id: u64) -> Option<&[AtomicU64]> {
        match self.get(id) {
            Some(Obj::Cells(c)) => Some(c),
            _ => None,
        }
    }
}

/// The chunk of object `id` and its slot there. A growing chunk k starts at object
/// `2^10 * (2^k - 1)`: with `n = id / 2^10 + 1`, k is the position of n's top bit.
fn split(id: u64) -> (usize, usize) {
    if id >= GROWING_OBJECTS {
        let rest = id - GROWING_OBJECTS;
        let chunk = GROWING_CHUNKS + (rest >> FULL_CHUNK_BITS) as usize;
        return (chunk, (rest & ((1 << FULL_CHUNK_BITS) - 1)) as usize);
    }
    let n = (id >> FIRST_CHUNK_BITS) + 1;
    let chunk = 63 - n.leading_zeros();
    let start = ((1u64 << chunk) - 1) << FIRST_CHUNK_BITS;
    (chunk as usize, (id - start) as usize)
}

/// Loads a word of a cells object.
pub fn load(words: &[AtomicU64], i: usize) -> Option<u64> {
    words.get(i).map(|w| w.load(Ordering::Relaxed))
}

/// Stores a word of a cells object.
pub fn store(words: &[AtomicU64], i: usize, v: u64) -> bool {
    match words.get(i) {
        Some(w) => {
            w.store(v, Ordering::Relaxed);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod chunk_tests {
    use super::*;

    #[test]
    fn ids_map_to_consecutive_slots_of_growing_chunks() {
        let first = 1u64 << FIRST_CHUNK_BITS;
        assert_eq!(split(0), (0, 0));
        assert_eq!(split(first - 1), (0, first as usize - 1));
        assert_eq!(split(first), (1, 0));
        assert_eq!(split(3 * first - 1), (1, 2 * first as usize - 1));
        assert_eq!(split(3 * first), (2, 0));
        assert_eq!(
            split(GROWING_OBJECTS - 1),
            (GROWING_CHUNKS - 1, (1 << 16) - 1)
        );
        assert_eq!(split(GROWING_OBJECTS), (GROWING_CHUNKS, 0));
        assert_eq!(split(GROWING_OBJECTS + (1 << 16)), (GROWING_CHUNKS + 1, 0));
        let heap = Heap::new();
        let ids: Vec<u64> = (0..200_000)
            .map(|i| heap.alloc(Obj::Cells(vec![AtomicU64::new(i)].into())))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            let Some(Obj::Cells(words)) = heap.get(*id) else {
                panic!("object {id} missing")
            };
            assert_eq!(load(words, 0), Some(i as u64));
        }
    }
}
