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

/// Objects per chunk of the table (2^16).
const CHUNK_BITS: u32 = 16;
const CHUNK_SIZE: usize = 1 << CHUNK_BITS;
/// Chunks in the table: 2^16 chunks of 2^16 objects.
const MAX_CHUNKS: usize = 1 << 16;

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

pub struct Heap {
    chunks: Box<[OnceLock<Chunk>]>,
    next: AtomicU64,
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
        }
    }

    /// Allocates an object; returns its reference (never 0). Returns 0 only when the table is
    /// exhausted (2^32 objects), which callers report as out of memory.
    pub fn alloc(&self, obj: Obj) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (chunk, slot) = split(id);
        let Some(cell) = self.chunks.get(chunk) else {
            return 0;
        };
        let table = cell.get_or_init(|| (0..CHUNK_SIZE).map(|_| OnceLock::new()).collect());
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

fn split(id: u64) -> (usize, usize) {
    (
        (id >> CHUNK_BITS) as usize,
        (id as usize) & (CHUNK_SIZE - 1),
    )
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
