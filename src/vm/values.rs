//! Operations on heap values: zero values, copies of structs and arrays, slices (with Go's
//! growth rule for `append`), maps, interfaces and type assertions, deep equality, and the
//! panic/defer/recover machinery.

use super::heap::{self, MapKey, MapObj, Obj};
use super::{Deferred, Goroutine, PanicValue, Unwind, Vm};
use crate::bytecode::{Growth, SeqKind};
use crate::check::types::{Type, TypeId};
use std::sync::Mutex;

impl Vm {
    // ---- Zero values and copies -----------------------------------------------------------------

    /// The zero word of a type: 0, or a fresh zeroed object for structs and arrays.
    pub(crate) fn zero(&self, ty: TypeId) -> u64 {
        match self.program.types.under(ty) {
            Type::Struct(fields) => {
                let words = fields.iter().map(|f| self.zero(f.ty)).collect();
                self.heap.cells(words)
            }
            &Type::Array(n, elem) => {
                let words = (0..n).map(|_| self.zero(elem)).collect();
                self.heap.cells(words)
            }
            _ => 0,
        }
    }

    fn is_aggregate(&self, ty: TypeId) -> bool {
        matches!(
            self.program.types.under(ty),
            Type::Struct(_) | Type::Array(..)
        )
    }

    /// The element or field types of an aggregate, one per word.
    fn word_types(&self, ty: TypeId) -> Vec<TypeId> {
        match self.program.types.under(ty) {
            Type::Struct(fields) => fields.iter().map(|f| f.ty).collect(),
            Type::Array(n, elem) => vec![*elem; *n as usize],
            _ => Vec::new(),
        }
    }

    /// A copy of a struct/array object (nested aggregates copied too).
    pub(crate) fn copy_value(&self, src: u64, ty: TypeId) -> u64 {
        let Some(words) = self.heap.cell_words(src) else {
            return self.zero(ty);
        };
        let types = self.word_types(ty);
        let copied: Vec<u64> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let v = w.load(std::sync::atomic::Ordering::Relaxed);
                match types.get(i) {
                    Some(t) if self.is_aggregate(*t) => self.copy_value(v, *t),
                    _ => v,
                }
            })
            .collect();
        self.heap.cells(copied)
    }

    /// Copies the value of object `src` into object `dst` (both of type `ty`).
    pub(crate) fn copy_into(&self, dst: u64, src: u64, ty: TypeId) -> Result<(), Unwind> {
        if dst == src {
            return Ok(());
        }
        let (Some(to), Some(from)) = (self.heap.cell_words(dst), self.heap.cell_words(src)) else {
            return Err(self.runtime("invalid memory address or nil pointer dereference"));
        };
        let types = self.word_types(ty);
        for (i, w) in from.iter().enumerate() {
            let v = w.load(std::sync::atomic::Ordering::Relaxed);
            match types.get(i) {
                Some(t) if self.is_aggregate(*t) => {
                    let inner = heap::load(to, i).unwrap_or(0);
                    self.copy_into(inner, v, *t)?;
                }
                _ => {
                    heap::store(to, i, v);
                }
            }
        }
        Ok(())
    }

    pub(crate) fn load_word(&self, obj: u64, index: usize) -> Result<u64, Unwind> {
        match self.heap.cell_words(obj).and_then(|w| heap::load(w, index)) {
            Some(v) => Ok(v),
            None => Err(self.runtime("invalid memory address or nil pointer dereference")),
        }
    }

    pub(crate) fn store_word(&self, obj: u64, index: usize, v: u64) -> Result<(), Unwind> {
        match self.heap.cell_words(obj) {
            Some(w) if heap::store(w, index, v) => Ok(()),
            _ => Err(self.runtime("invalid memory address or nil pointer dereference")),
        }
    }

    pub(crate) fn load_ptr(&self, ptr: u64) -> Result<u64, Unwind> {
        match self.heap.get(ptr) {
            Some(Obj::Ptr { obj, index }) => self.load_word(*obj, *index),
            _ => Err(self.runtime("invalid memory address or nil pointer dereference")),
        }
    }

    pub(crate) fn store_ptr(&self, ptr: u64, v: u64) -> Result<(), Unwind> {
        match self.heap.get(ptr) {
            Some(Obj::Ptr { obj, index }) => self.store_word(*obj, *index, v),
            _ => Err(self.runtime("invalid memory address or nil pointer dereference")),
        }
    }

    /// A pointer to element `i` of a slice or array object.
    pub(crate) fn elem_ptr(&self, x: u64, i: u64) -> Result<u64, Unwind> {
        let (obj, index) = match self.heap.get(x) {
            Some(Obj::Slice {
                array, offset, len, ..
            }) => {
                if i >= *len as u64 {
                    return Err(self.index_error(i as i64, *len));
                }
                (*array, offset + i as usize)
            }
            Some(Obj::Cells(words)) => {
                if i >= words.len() as u64 {
                    return Err(self.index_error(i as i64, words.len()));
                }
                (x, i as usize)
            }
            _ => return Err(self.index_error(i as i64, 0)),
        };
        Ok(self.heap.ptr_to(obj, index))
    }

    // ---- Slices and strings ------------------------------------------------------------------------

    fn index_error(&self, i: i64, len: usize) -> Unwind {
        if i < 0 {
            return self.runtime(&format!("index out of range [{i}]"));
        }
        self.runtime(&format!("index out of range [{i}] with length {len}"))
    }

    pub(crate) fn make_slice(&self, elem: TypeId, len: i64, cap: i64) -> Result<u64, Unwind> {
        if len < 0 {
            return Err(self.runtime("makeslice: len out of range"));
        }
        if cap < len {
            return Err(self.runtime("makeslice: cap out of range"));
        }
        if cap > 1 << 32 {
            return Err(self.runtime("makeslice: len out of range"));
        }
        // Scalar zeros are all 0 (only aggregates need an object each).
        let array = if self.is_aggregate(elem) {
            self.heap.cells((0..cap).map(|_| self.zero(elem)).collect())
        } else {
            self.heap.zeroed_cells(cap as usize)
        };
        Ok(self.heap.alloc(Obj::Slice {
            array,
            offset: 0,
            len: len as usize,
            cap: cap as usize,
        }))
    }

    /// A new slice holding `words` (len = cap).
    pub(crate) fn slice_from(&self, words: Vec<u64>) -> u64 {
        let n = words.len();
        let array = self.heap.cells(words);
        self.heap.alloc(Obj::Slice {
            array,
            offset: 0,
            len: n,
            cap: n,
        })
    }

    /// The elements of a slice.
    pub(crate) fn slice_words(&self, s: u64) -> Vec<u64> {
        match self.heap.get(s) {
            Some(Obj::Slice {
                array, offset, len, ..
            }) => match self.heap.cell_words(*array) {
                Some(words) => (0..*len)
                    .filter_map(|i| heap::load(words, offset + i))
                    .collect(),
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    pub(crate) fn index(&self, x: u64, i: i64, kind: SeqKind) -> Result<u64, Unwind> {
        match kind {
            SeqKind::String => {
                let bytes = self.heap.str_bytes(x);
                match usize::try_from(i).ok().and_then(|i| bytes.get(i)) {
                    Some(b) => Ok(u64::from(*b)),
                    None => Err(self.index_error(i, bytes.len())),
                }
            }
            SeqKind::Slice => match self.heap.get(x) {
                Some(Obj::Slice {
                    array, offset, len, ..
                }) => {
                    if i < 0 || i as usize >= *len {
                        return Err(self.index_error(i, *len));
                    }
                    self.load_word(*array, offset + i as usize)
                        .map_err(|_| self.index_error(i, *len))
                }
                _ => Err(self.index_error(i, 0)),
            },
            SeqKind::Array => {
                let Some(words) = self.heap.cell_words(x) else {
                    return Err(self.runtime("invalid memory address or nil pointer dereference"));
                };
                match usize::try_from(i).ok().and_then(|i| heap::load(words, i)) {
                    Some(v) => Ok(v),
                    None => Err(self.index_error(i, words.len())),
                }
            }
        }
    }

    pub(crate) fn set_index(&self, x: u64, i: i64, v: u64, kind: SeqKind) -> Result<(), Unwind> {
        match kind {
            SeqKind::Slice => match self.heap.get(x) {
                Some(Obj::Slice {
                    array, offset, len, ..
                }) => {
                    if i < 0 || i as usize >= *len {
                        return Err(self.index_error(i, *len));
                    }
                    self.store_word(*array, offset + i as usize, v)
                }
                _ => Err(self.index_error(i, 0)),
            },
            _ => {
                let Some(words) = self.heap.cell_words(x) else {
                    return Err(self.runtime("invalid memory address or nil pointer dereference"));
                };
                if usize::try_from(i)
                    .ok()
                    .is_some_and(|i| heap::store(words, i, v))
                {
                    Ok(())
                } else {
                    Err(self.index_error(i, words.len()))
                }
            }
        }
    }

    pub(crate) fn len(&self, x: u64, kind: SeqKind) -> usize {
        match (kind, self.heap.get(x)) {
            (SeqKind::String, _) => self.heap.str_bytes(x).len(),
            (_, Some(Obj::Slice { len, .. })) => *len,
            (_, Some(Obj::Cells(words))) => words.len(),
            (_, Some(Obj::Map(m))) => m.lock().map_or(0, |m| m.len),
            _ => 0,
        }
    }

    pub(crate) fn cap(&self, x: u64, kind: SeqKind) -> usize {
        match self.heap.get(x) {
            Some(Obj::Slice { cap, .. }) => *cap,
            Some(Obj::Cells(words)) if kind == SeqKind::Array => words.len(),
            _ => 0,
        }
    }

    /// `x[lo:hi:max]` with Go's bounds checks and messages. Absent bounds are `u64::MAX`.
    pub(crate) fn slice_of(
        &self,
        x: u64,
        lo: u64,
        hi: u64,
        max: u64,
        kind: SeqKind,
    ) -> Result<u64, Unwind> {
        let absent = u64::MAX;
        if kind == SeqKind::String {
            let bytes = self.heap.str_bytes(x);
            let len = bytes.len() as u64;
            let hi = if hi == absent { len } else { hi };
            let lo = if lo == absent { 0 } else { lo };
            if hi > len {
                return Err(self.runtime(&format!(
                    "slice bounds out of range [:{hi}] with length {len}"
                )));
            }
            if lo > hi {
                return Err(self.runtime(&format!("slice bounds out of range [{lo}:{hi}]")));
            }
            let sub = bytes[lo as usize..hi as usize].to_vec();
            return Ok(self.heap.string(&sub));
        }
        let zero_or_absent = |b: u64| b == absent || b == 0;
        if kind == SeqKind::Slice && x == 0 && [lo, hi, max].into_iter().all(zero_or_absent) {
            // Slicing a nil slice within its bounds gives a nil slice.
            return Ok(0);
        }
        let (array, offset, len, cap) = match (kind, self.heap.get(x)) {
            (
                SeqKind::Slice,
                Some(Obj::Slice {
                    array,
                    offset,
                    len,
                    cap,
                }),
            ) => (*array, *offset, *len as u64, *cap as u64),
            (SeqKind::Slice, _) => (0, 0, 0, 0),
            (_, Some(Obj::Cells(words))) => (x, 0, words.len() as u64, words.len() as u64),
            _ => return Err(self.runtime("invalid memory address or nil pointer dereference")),
        };
        let three = max != absent;
        let max = if three { max } else { cap };
        let hi = if hi == absent { len } else { hi };
        let lo = if lo == absent { 0 } else { lo };
        let what = if kind == SeqKind::Slice {
            "capacity"
        } else {
            "length"
        };
        if max > cap {
            let form = if three {
                format!("[::{max}]")
            } else {
                format!("[:{max}]")
            };
            return Err(self.runtime(&format!(
                "slice bounds out of range {form} with {what} {cap}"
            )));
        }
        if hi > max {
            let form = if three {
                format!("[:{hi}:{max}]")
            } else {
                format!("[:{hi}]")
            };
            let message = if three {
                format!("slice bounds out of range {form}")
            } else {
                format!("slice bounds out of range {form} with {what} {cap}")
            };
            return Err(self.runtime(&message));
        }
        if lo > hi {
            return Err(self.runtime(&format!("slice bounds out of range [{lo}:{hi}]")));
        }
        Ok(self.heap.alloc(Obj::Slice {
            array,
            offset: offset + lo as usize,
            len: (hi - lo) as usize,
            cap: (max - lo) as usize,
        }))
    }

    /// `append(s, items...)` with Go's growth rule (double below 256, then ~1.25x plus
    /// rounding to the allocator's size classes); `growth` says which backing store Go's
    /// compiler would have given this append site (see [`Growth`]).
    pub(crate) fn append(
        &self,
        s: u64,
        items: &[u64],
        elem: TypeId,
        growth: Growth,
    ) -> Result<u64, Unwind> {
        let (array, offset, len, cap) = match self.heap.get(s) {
            Some(Obj::Slice {
                array,
                offset,
                len,
                cap,
            }) => (*array, *offset, *len, *cap),
            _ => (0, 0, 0, 0),
        };
        if items.is_empty() {
            return Ok(s);
        }
        let needed = len + items.len();
        if needed <= cap {
            if let Some(words) = self.heap.cell_words(array) {
                for (i, v) in items.iter().enumerate() {
                    heap::store(words, offset + len + i, *v);
                }
            }
            return Ok(self.heap.alloc(Obj::Slice {
                array,
                offset,
                len: needed,
                cap,
            }));
        }
        let layout = ElemLayout {
            size: self.elem_size(elem),
            noscan: !self.has_pointers(elem),
        };
        let new_cap = grown_capacity(cap, needed, layout, growth);
        let mut words = self.slice_words(s);
        words.extend_from_slice(items);
        words.extend((needed..new_cap).map(|_| self.zero(elem)));
        let array = self.heap.cells(words);
        Ok(self.heap.alloc(Obj::Slice {
            array,
            offset: 0,
            len: needed,
            cap: new_cap,
        }))
    }

    /// The element size Go uses for capacity rounding (bytes).
    fn elem_size(&self, elem: TypeId) -> usize {
        self.size_align(elem).0
    }

    /// Whether values of the type contain pointers (Go allocates them in scanned memory,
    /// which changes size-class rounding above 512 bytes).
    fn has_pointers(&self, ty: TypeId) -> bool {
        match self.program.types.under(ty) {
            Type::Basic(k) => k.is_string(),
            Type::Struct(fields) => fields.iter().any(|f| self.has_pointers(f.ty)),
            Type::Array(n, e) => *n > 0 && self.has_pointers(*e),
            _ => true,
        }
    }

    /// Go's `unsafe.Sizeof` and alignment of a type on 64-bit platforms.
    fn size_align(&self, ty: TypeId) -> (usize, usize) {
        use crate::check::basic::BasicKind as K;
        match self.program.types.under(ty) {
            Type::Basic(k) => match k {
                K::Bool | K::Int8 | K::Uint8 => (1, 1),
                K::Int16 | K::Uint16 => (2, 2),
                K::Int32 | K::Uint32 | K::Float32 => (4, 4),
                K::String | K::Complex128 => (16, 8),
                _ => (8, 8),
            },
            Type::Slice(_) => (24, 8),
            Type::Interface(_) => (16, 8),
            Type::Struct(fields) => {
                let (mut size, mut align) = (0usize, 1usize);
                for f in fields {
                    let (fs, fa) = self.size_align(f.ty);
                    size = size.div_ceil(fa) * fa + fs;
                    align = align.max(fa);
                }
                (size.div_ceil(align) * align, align)
            }
            Type::Array(n, e) => {
                let (es, ea) = self.size_align(*e);
                (*n as usize * es, ea)
            }
            _ => (8, 8),
        }
    }

    /// `[N]T(s)` (a copy of the first N elements) or `(*[N]T)(s)` (the backing array itself);
    /// Go panics if `len(s) < N`.
    pub(crate) fn slice_to_array(
        &self,
        s: u64,
        array: TypeId,
        pointer: bool,
    ) -> Result<u64, Unwind> {
        let (n, elem) = match self.program.types.under(array) {
            Type::Array(n, e) => (*n as usize, *e),
            _ => return Err(self.runtime("slice to array conversion of a non-array type")),
        };
        let (backing, offset, len) = match self.heap.get(s) {
            Some(Obj::Slice {
                array, offset, len, ..
            }) => (*array, *offset, *len),
            _ => (0, 0, 0),
        };
        if len < n {
            return Err(self.runtime(&format!(
                "cannot convert slice with length {len} to array or pointer to array with length {n}"
            )));
        }
        if pointer {
            if s == 0 {
                return Ok(0);
            }
            let words = self.heap.cell_words(backing).map_or(0, |w| w.len());
            if offset == 0 && words == n {
                return Ok(backing);
            }
            return Err(Unwind::Fatal(format!(
                "gom: converting a slice to *[{n}]T is supported only when the slice starts at \
                 its backing array and that array has exactly {n} elements (gom cannot point \
                 into part of an array yet)"
            )));
        }
        let words: Vec<u64> = self.slice_words(s).into_iter().take(n).collect();
        let copied = if self.is_aggregate(elem) {
            words.iter().map(|w| self.copy_value(*w, elem)).collect()
        } else {
            words
        };
        Ok(self.heap.cells(copied))
    }

    pub(crate) fn copy_slice(&self, to: u64, items: &[u64]) -> usize {
        let Some(Obj::Slice {
            array, offset, len, ..
        }) = self.heap.get(to)
        else {
            return 0;
        };
        let n = (*len).min(items.len());
        if let Some(words) = self.heap.cell_words(*array) {
            for (i, v) in items.iter().take(n).enumerate() {
                heap::store(words, offset + i, *v);
            }
        }
        n
    }

    // ---- Maps ------------------------------------------------------------------------------------------

    /// The key of a map entry of key type `ty`: numbers by value (+0 and -0 are one key),
    /// strings by bytes, interfaces by dynamic type and value, structs and arrays element by
    /// element.
    pub(crate) fn map_key(&self, word: u64, ty: TypeId) -> MapKey {
        match self.program.types.under(ty).clone() {
            Type::Basic(k) if k.is_string() => MapKey::Bytes(self.heap.str_bytes(word).into()),
            Type::Basic(k) if k.is_float() => {
                let f = f64::from_bits(word);
                MapKey::Float(if f == 0.0 { 0 } else { word })
            }
            Type::Interface(_) => match self.heap.get(word) {
                Some(Obj::Iface { ty, value }) => {
                    MapKey::Iface(*ty, Box::new(self.map_key(*value, TypeId(*ty))))
                }
                _ => MapKey::Word(0),
            },
            Type::Struct(fields) => MapKey::Composite(
                fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| self.map_key(self.load_word(word, i).unwrap_or(0), f.ty))
                    .collect(),
            ),
            Type::Array(n, elem) => MapKey::Composite(
                (0..n as usize)
                    .map(|i| self.map_key(self.load_word(word, i).unwrap_or(0), elem))
                    .collect(),
            ),
            // A pointer to a word is keyed by its target: two pointer objects made by separate
            // `&x` evaluations are one key, as they compare equal (`same_pointer`).
            Type::Pointer(_) => match self.heap.get(word) {
                Some(Obj::Ptr { obj, index }) => {
                    MapKey::Composite(Box::new([MapKey::Word(*obj), MapKey::Word(*index as u64)]))
                }
                _ => MapKey::Word(word),
            },
            _ => MapKey::Word(word),
        }
    }

    /// The key type of a map object.
    fn key_type(&self, m: u64) -> TypeId {
        match self.heap.get(m) {
            Some(Obj::Map(lock)) => lock
                .lock()
                .map_or(TypeId::INVALID, |map| TypeId(map.key_ty)),
            _ => TypeId::INVALID,
        }
    }

    fn with_map<T>(&self, m: u64, f: impl FnOnce(&mut MapObj) -> T) -> Option<T> {
        match self.heap.get(m) {
            Some(Obj::Map(lock)) => lock.lock().ok().map(|mut guard| f(&mut guard)),
            _ => None,
        }
    }

    pub(crate) fn map_get(&self, m: u64, key: u64) -> (u64, bool) {
        let k = self.map_key(key, self.key_type(m));
        self.with_map(m, |map| {
            map.index
                .get(&k)
                .and_then(|&i| map.entries.get(i).copied().flatten())
                .map(|(_, v)| v)
        })
        .flatten()
        .map_or((0, false), |v| (v, true))
    }

    pub(crate) fn map_set(&self, m: u64, key: u64, v: u64) -> Result<(), Unwind> {
        let k = self.map_key(key, self.key_type(m));
        let done = self.with_map(m, |map| match map.index.get(&k) {
            Some(&i) => map.entries[i] = Some((key, v)),
            None => {
                map.entries.push(Some((key, v)));
                map.index.insert(k, map.entries.len() - 1);
                map.len += 1;
            }
        });
        done.ok_or_else(|| {
            Unwind::Panic(PanicValue::Runtime(
                "assignment to entry in nil map".to_string(),
            ))
        })
    }

    /// `clear(x)`: a map loses every entry; a slice's elements become zero values.
    pub(crate) fn clear(&self, x: u64, ty: TypeId) -> Result<(), Unwind> {
        match self.program.types.under(ty).clone() {
            Type::Map(..) => {
                self.with_map(x, |map| {
                    map.index.clear();
                    map.entries.clear();
                    map.len = 0;
                });
            }
            Type::Slice(elem) => {
                let len = self.len(x, SeqKind::Slice);
                for i in 0..len {
                    let zero = self.zero(elem);
                    self.set_index(x, i as i64, zero, SeqKind::Slice)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    pub(crate) fn map_delete(&self, m: u64, key: u64) {
        let k = self.map_key(key, self.key_type(m));
        self.with_map(m, |map| {
            if let Some(i) = map.index.remove(&k) {
                map.entries[i] = None;
                map.len -= 1;
            }
        });
    }

    /// Starts iterating a map at a random entry (Go randomises iteration order).
    pub(crate) fn map_iter(&mut self, m: u64) -> u64 {
        let mut keys: Vec<u64> = self.map_entries(m).into_iter().map(|(k, _)| k).collect();
        if !keys.is_empty() {
            let start = (self.random() % keys.len() as u64) as usize;
            keys.rotate_left(start);
        }
        self.heap.alloc(Obj::MapIter(Mutex::new((m, keys, 0))))
    }

    /// The next entry of an iteration: keys deleted since it started are skipped, values are
    /// current (as in Go).
    pub(crate) fn map_next(&self, iter: u64) -> Option<(u64, u64)> {
        let Some(Obj::MapIter(lock)) = self.heap.get(iter) else {
            return None;
        };
        let mut state = lock.lock().ok()?;
        let (map, keys, pos) = &mut *state;
        while let Some(&key) = keys.get(*pos) {
            *pos += 1;
            let (value, present) = self.map_get(*map, key);
            if present {
                return Some((key, value));
            }
        }
        None
    }

    /// The map entries (for fmt), unordered.
    pub(crate) fn map_entries(&self, m: u64) -> Vec<(u64, u64)> {
        self.with_map(m, |map| map.entries.iter().flatten().copied().collect())
            .unwrap_or_default()
    }

    // ---- Interfaces ------------------------------------------------------------------------------------

    /// `x.(T)`: the value (or, for an interface target, the interface itself) and whether it
    /// matched.
    pub(crate) fn assert_type(&self, iface: u64, target: TypeId) -> Result<(u64, bool), Unwind> {
        let Some(Obj::Iface { ty, value }) = self.heap.get(iface) else {
            let zero = if self.program.types.is_interface(target) {
                0
            } else {
                self.zero(target)
            };
            return Ok((zero, false));
        };
        if self.program.types.is_interface(target) {
            let ok = self.implements(TypeId(*ty), target);
            return Ok((if ok { iface } else { 0 }, ok));
        }
        if *ty == target.0 {
            Ok((*value, true))
        } else {
            Ok((self.zero(target), false))
        }
    }

    pub(crate) fn assert_failure(&self, iface: u64, target: TypeId, from: TypeId) -> Unwind {
        let dynamic = match self.heap.get(iface) {
            Some(Obj::Iface { ty, .. }) => Some(TypeId(*ty)),
            _ => None,
        };
        let want = self.type_string(target);
        let static_name = self.type_string(from);
        let message = match dynamic {
            None if self.program.types.is_interface(target) => {
                format!("interface conversion: interface is nil, not {want}")
            }
            None => format!("interface conversion: {static_name} is nil, not {want}"),
            Some(ty) if self.program.types.is_interface(target) => {
                let missing = match self.program.types.under(target) {
                    Type::Interface(methods) => methods
                        .iter()
                        .find(|m| {
                            self.resolve_method(ty, &m.name)
                                .is_none_or(|f| f.sig != m.sig)
                        })
                        .map(|m| m.name.clone())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                format!(
                    "interface conversion: {} is not {want}: missing method {missing}",
                    self.type_string(ty)
                )
            }
            Some(ty) => format!(
                "interface conversion: {static_name} is {}, not {want}",
                self.type_string(ty)
            ),
        };
        Unwind::Panic(PanicValue::Runtime(message))
    }

    /// Whether the dynamic type `ty` has every method of interface `iface`.
    pub(crate) fn implements(&self, ty: TypeId, iface: TypeId) -> bool {
        let Type::Interface(methods) = self.program.types.under(iface) else {
            return false;
        };
        methods.iter().all(|m| {
            self.resolve_method(ty, &m.name)
                .is_some_and(|found| found.sig == m.sig)
        })
    }

    /// The function implementing method `name` for values of dynamic type `ty`, when the
    /// method needs no embedded-field path (used where the receiver is passed as is).
    pub(crate) fn find_method(&self, ty: TypeId, name: &str) -> Option<u32> {
        match self.resolve_method(ty, name) {
            Some(super::FoundMethod {
                path,
                target: super::MethodTarget::Func(f),
                ..
            }) if path.is_empty() => Some(f),
            _ => None,
        }
    }

    /// Go's method-set lookup on a dynamic type, breadth first through embedded fields (the
    /// shallowest match wins). A value type has its value-receiver methods, plus pointer ones
    /// promoted through embedded pointers; a pointer type has all.
    pub(crate) fn resolve_method(&self, ty: TypeId, name: &str) -> Option<super::FoundMethod> {
        let types = &self.program.types;
        let (start, through_pointer) = match types.get(ty) {
            Type::Pointer(elem) => (*elem, true),
            _ => (ty, false),
        };
        let mut level: Vec<(TypeId, Vec<u32>, bool)> = vec![(start, Vec::new(), through_pointer)];
        let mut seen = std::collections::HashSet::new();
        while !level.is_empty() {
            let mut next = Vec::new();
            for (t, path, pointer) in level {
                if !seen.insert(t) {
                    continue;
                }
                if let Some(named) = types.named(t) {
                    if let Some(m) = named
                        .methods
                        .iter()
                        .find(|m| m.name == name && (pointer || !m.pointer_receiver))
                    {
                        return Some(super::FoundMethod {
                            path,
                            target: super::MethodTarget::Func(m.func),
                            sig: m.sig,
                        });
                    }
                }
                match types.under(t) {
                    Type::Interface(methods)
                        if !path.is_empty() && methods.iter().any(|m| m.name == name) =>
                    {
                        let sig = methods
                            .iter()
                            .find(|m| m.name == name)
                            .map_or(TypeId::INVALID, |m| m.sig);
                        return Some(super::FoundMethod {
                            path,
                            target: super::MethodTarget::Interface,
                            sig,
                        });
                    }
                    Type::Struct(fields) => {
                        for (i, f) in fields.iter().enumerate().filter(|(_, f)| f.embedded) {
                            let mut p = path.clone();
                            p.push(i as u32);
                            match types.get(f.ty) {
                                Type::Pointer(e) => next.push((*e, p, true)),
                                _ => next.push((f.ty, p, pointer)),
                            }
                        }
                    }
                    _ => {}
                }
            }
            level = next;
        }
        None
    }

    /// Go's spelling of a type for messages and `%T`: `main.T`, `*main.T`, `[]int`.
    pub(crate) fn type_string(&self, ty: TypeId) -> String {
        reflect_spelling(&self.program.types.display(ty, &|pkg| !pkg.is_empty()))
    }

    /// `errors.assignTo(err, target)`: stores `err` into `*target` if `err`'s dynamic type
    /// fits the pointee type (an interface it implements, or the very type).
    pub(crate) fn assign_to_target(&self, err: u64, target: u64) -> Result<bool, Unwind> {
        let (
            Some(Obj::Iface { ty: err_ty, value }),
            Some(Obj::Iface {
                ty: ptr_ty,
                value: ptr,
            }),
        ) = (self.heap.get(err), self.heap.get(target))
        else {
            return Ok(false);
        };
        let (err_ty, value, ptr) = (TypeId(*err_ty), *value, *ptr);
        let Type::Pointer(elem) = self.program.types.under(TypeId(*ptr_ty)).clone() else {
            return Ok(false);
        };
        let word = if self.program.types.is_interface(elem) {
            if !self.implements(err_ty, elem) {
                return Ok(false);
            }
            err
        } else if err_ty == elem {
            value
        } else {
            return Ok(false);
        };
        if self.is_aggregate(elem) {
            self.copy_into(ptr, word, elem)?;
        } else {
            self.store_ptr(ptr, word)?;
        }
        Ok(true)
    }

    /// Whether two pointer words point at the same variable.
    pub(crate) fn same_pointer(&self, a: u64, b: u64) -> bool {
        if a == b {
            return true;
        }
        match (self.heap.get(a), self.heap.get(b)) {
            (Some(Obj::Ptr { obj: x, index: i }), Some(Obj::Ptr { obj: y, index: j })) => {
                x == y && i == j
            }
            _ => false,
        }
    }

    /// `==` on structs, arrays and interfaces.
    /// Go's `==` on values of type `ty`; `Err(t)` when two interfaces hold values of the
    /// same uncomparable dynamic type `t` (Go panics: `comparing uncomparable type t`).
    pub(crate) fn deep_equal(&self, a: u64, b: u64, ty: TypeId) -> Result<bool, TypeId> {
        Ok(match self.program.types.under(ty).clone() {
            Type::Interface(_) => match (self.heap.get(a), self.heap.get(b)) {
                (None, None) => a == b,
                (
                    Some(Obj::Iface { ty: ta, value: va }),
                    Some(Obj::Iface { ty: tb, value: vb }),
                ) => {
                    if ta != tb {
                        return Ok(false);
                    }
                    if !self.program.types.comparable(TypeId(*ta)) {
                        return Err(TypeId(*ta));
                    }
                    self.value_equal(*va, *vb, TypeId(*ta))?
                }
                _ => false,
            },
            Type::Struct(fields) => {
                for (i, f) in fields.iter().enumerate() {
                    let (x, y) = (
                        self.load_word(a, i).unwrap_or(0),
                        self.load_word(b, i).unwrap_or(0),
                    );
                    if !self.value_equal(x, y, f.ty)? {
                        return Ok(false);
                    }
                }
                true
            }
            Type::Array(n, elem) => {
                for i in 0..n as usize {
                    let (x, y) = (
                        self.load_word(a, i).unwrap_or(0),
                        self.load_word(b, i).unwrap_or(0),
                    );
                    if !self.value_equal(x, y, elem)? {
                        return Ok(false);
                    }
                }
                true
            }
            _ => a == b,
        })
    }

    fn value_equal(&self, a: u64, b: u64, ty: TypeId) -> Result<bool, TypeId> {
        Ok(match self.program.types.under(ty) {
            Type::Basic(k) if k.is_string() => self.heap.str_bytes(a) == self.heap.str_bytes(b),
            Type::Basic(k) if k.is_float() => f64::from_bits(a) == f64::from_bits(b),
            Type::Struct(_) | Type::Array(..) | Type::Interface(_) => {
                return self.deep_equal(a, b, ty)
            }
            Type::Pointer(_) => self.same_pointer(a, b),
            _ => a == b,
        })
    }

    // ---- Panics, defers, recover -----------------------------------------------------------------------

    /// Starts propagating a panic from the current frame: runs deferred calls frame by frame.
    /// Returns `Some(true)` if the goroutine finished, `Some(false)`/`None` to keep running.
    pub(crate) fn start_panic(
        &mut self,
        g: &mut Goroutine,
        p: PanicValue,
    ) -> Result<Option<bool>, Unwind> {
        // A recovered panic whose deferred call panics again is over: `panic(recover())` is
        // Go's "repanicked", anything else leaves the old one "[recovered]" in the chain.
        if g.panics.last().is_some_and(|top| top.recovered) {
            if let Some(old) = g.panics.pop() {
                let same = matches!(p, PanicValue::Value(v) if v == old.recovered_word && v != 0);
                g.repanicked = same;
                if !same {
                    g.panic_chain.push((old.value, " [recovered]"));
                }
            }
        }
        g.traceback = self.traceback(g);
        g.panics.push(super::PanicRecord {
            value: p,
            recovered: false,
            recovered_word: 0,
        });
        self.continue_panic(g)
    }

    /// Runs the next deferred call of the panicking goroutine, or dies when none is left.
    pub(crate) fn continue_panic(&mut self, g: &mut Goroutine) -> Result<Option<bool>, Unwind> {
        loop {
            let Some(frame) = g.frames.last_mut() else {
                let p = g
                    .panics
                    .pop()
                    .map_or(PanicValue::Runtime(String::new()), |r| r.value);
                return Err(Unwind::Panic(p));
            };
            if let Some(d) = frame.defers.pop() {
                // A native deferred call completes here; a Go one runs in a new frame and
                // the panic continues when it returns.
                let depth = g.frames.len();
                self.run_deferred(g, d, true)?;
                if g.frames.len() > depth {
                    return Ok(Some(false));
                }
                continue;
            }
            let Some(done) = g.frames.pop() else { continue };
            g.regs.truncate(done.base);
            if done.task && self.catch_for_task(g)? {
                return Ok(Some(false));
            }
            // Unwinding past a deferred call aborts the panic that was running it.
            if done.deferred && g.panics.len() > 1 {
                let aborted = g.panics.remove(g.panics.len() - 2);
                g.panic_chain.push((aborted.value, ""));
            }
        }
    }

    /// A panic ended a method that a native task asked for: fmt recovers it and prints it
    /// (`%!v(PANIC=String method: ...)`), so the task resumes with its text. `runtime.Goexit`
    /// is not recovered: the task is abandoned and the unwinding goes on (`false`).
    fn catch_for_task(&mut self, g: &mut Goroutine) -> Result<bool, Unwind> {
        let goexit = matches!(g.panics.last().map(|p| &p.value), Some(PanicValue::Runtime(m)) if m == super::sched::GOEXIT);
        if goexit {
            g.tasks.pop();
            return Ok(false);
        }
        let Some(record) = g.panics.pop() else {
            return Ok(false);
        };
        let text = self.panic_text(&record.value);
        self.resume_task(g, Err(text))?;
        Ok(true)
    }

    /// Calls a deferred function in a new frame marked as a deferred call.
    /// Starts deferred call `d`: `by_panic` when a panic's unwinding runs it (only such a call
    /// may `recover`, and its return continues or ends the panic), not when its function
    /// returns normally.
    pub(crate) fn run_deferred(
        &mut self,
        g: &mut Goroutine,
        d: Deferred,
        by_panic: bool,
    ) -> Result<(), Unwind> {
        let (func, closure, mut args) = (d.func, d.closure, d.args);
        if func == super::DEFER_CLOSE {
            return self.chan_close(closure);
        }
        if d.native {
            let results = self.call_native(g, func, &args);
            return results.map(|_| ());
        }
        let (func, closure) = if func == u32::MAX {
            match self.heap.get(closure) {
                Some(Obj::Closure { func, recv, .. }) => {
                    if let Some(r) = recv {
                        args.insert(0, *r);
                    }
                    (*func, closure)
                }
                _ => return Err(self.runtime("invalid memory address or nil pointer dereference")),
            }
        } else {
            (func, 0)
        };
        if self.program.functions[func as usize].native.is_some() {
            return self.call_native(g, func, &args).map(|_| ());
        }
        self.push_frame(g, func, &args, 0, closure, true)?;
        if let Some(f) = g.frames.last_mut() {
            f.deferred = by_panic;
        }
        Ok(())
    }

    /// `recover()`: stops the panic if called directly by a deferred call.
    pub(crate) fn recover(&mut self, g: &mut Goroutine) -> u64 {
        // `runtime.Goexit` unwinds like a panic but is not one: recover returns nil and does
        // not stop it.
        let goexit = matches!(g.panics.last().map(|p| &p.value), Some(PanicValue::Runtime(m)) if m == super::sched::GOEXIT);
        if goexit {
            return 0;
        }
        let direct = g.frames.last().is_some_and(|f| f.deferred);
        let Some(top) = g.panics.last_mut().filter(|p| direct && !p.recovered) else {
            return 0;
        };
        top.recovered = true;
        let value = top.value.clone();
        let word = self.panic_as_value(&value);
        if let Some(top) = g.panics.last_mut() {
            top.recovered_word = word;
        }
        word
    }

    /// The panic value as an interface (runtime errors become `runtime.Error` strings).
    fn panic_as_value(&self, p: &PanicValue) -> u64 {
        match p {
            PanicValue::Value(v) => *v,
            PanicValue::Runtime(message) => {
                let s = self.heap.string(message.as_bytes());
                self.heap.alloc(Obj::Iface {
                    ty: self.rt_error,
                    value: s,
                })
            }
        }
    }

    /// The value of `panic(nil)`: a `*runtime.PanicNilError` in an interface.
    pub(crate) fn panic_nil_error(&self) -> u64 {
        let value = self.heap.cells(Vec::new());
        self.heap.alloc(Obj::Iface {
            ty: self.panic_nil,
            value,
        })
    }

    /// How Go prints a panic value after `panic: `.
    pub(crate) fn panic_text(&mut self, p: &PanicValue) -> String {
        match p {
            PanicValue::Runtime(m) => m.clone(),
            PanicValue::Value(v) => self.panic_value_text(*v),
        }
    }
}

/// The type `*runtime.PanicNilError`: the one `stdlib/runtime` declares when the program
/// imports `runtime`, else an equivalent one declared here (an empty struct whose pointer has
/// the native methods `Error` and `RuntimeError`).
pub(crate) fn declare_panic_nil_error(program: &mut crate::bytecode::Program) -> u32 {
    use crate::check::types::{Method, Signature};
    let types = &mut program.types;
    if let Some(named) = types.find_named("runtime", "PanicNilError") {
        return types.intern(Type::Pointer(named)).0;
    }
    let named = types.new_named("PanicNilError", "runtime");
    let empty = types.intern(Type::Struct(Vec::new()));
    types.set_underlying(named, empty);
    let pointer = types.intern(Type::Pointer(named));
    let string = types.basic(crate::check::basic::BasicKind::String);
    for (name, results) in [("Error", vec![string]), ("RuntimeError", Vec::new())] {
        let sig = program.types.intern(Type::Func(Signature {
            params: Vec::new(),
            results: results.clone(),
            variadic: false,
        }));
        let func = program.functions.len() as u32;
        program.functions.push(crate::bytecode::Function {
            name: format!("runtime.(*PanicNilError).{name}"),
            code: Vec::new(),
            spans: Vec::new(),
            nregs: 1 + results.len() as u32,
            nparams: 1,
            nresults: results.len() as u32,
            file: 0,
            native: Some(0),
            recover_pc: 0,
        });
        if let Some(n) = program.types.named_mut(named) {
            n.methods.push(Method {
                name: name.to_string(),
                func,
                pointer_receiver: true,
                sig,
            });
        }
    }
    pointer.0
}

/// Bytes of the stack buffer Go's compiler gives an `append`ed slice that may live on the stack.
const STACK_BUFFER_BYTES: usize = 32;

/// What capacity rounding needs to know about an element type.
#[derive(Clone, Copy)]
struct ElemLayout {
    /// `unsafe.Sizeof` of the element.
    size: usize,
    /// The element has no pointers (Go's "noscan" memory).
    noscan: bool,
}

/// The capacity after growing a slice of capacity `old_cap` to hold `needed` elements.
fn grown_capacity(old_cap: usize, needed: usize, elem: ElemLayout, growth: Growth) -> usize {
    if elem.size == 0 {
        // Zero-size elements all share one address: Go gives exactly the length.
        return needed;
    }
    let fits_buffer = needed.saturating_mul(elem.size) <= STACK_BUFFER_BYTES;
    match growth {
        Growth::StackBuffer if fits_buffer => STACK_BUFFER_BYTES / elem.size,
        Growth::StackBump if fits_buffer => {
            round_up_size(needed * elem.size, elem.noscan) / elem.size
        }
        _ => grow_capacity(old_cap, needed, elem),
    }
}

/// Go's `growslice` capacity rule: double below 256 elements, then grow by a quarter plus 192
/// until large enough; then round the allocation up to the allocator's size class.
fn grow_capacity(old_cap: usize, needed: usize, elem: ElemLayout) -> usize {
    const THRESHOLD: usize = 256;
    let double = old_cap.saturating_mul(2);
    let new_cap = if needed > double {
        needed
    } else if old_cap < THRESHOLD {
        double
    } else {
        let mut c = old_cap;
        while c < needed {
            c += (c + 3 * THRESHOLD) / 4;
        }
        c
    };
    let bytes = new_cap.saturating_mul(elem.size);
    (round_up_size(bytes, elem.noscan) / elem.size).max(needed)
}

/// Largest "small" allocation of Go's allocator; larger ones are whole pages.
const MAX_SMALL_SIZE: usize = 32768;
/// Go's allocation page size.
const PAGE_SIZE: usize = 8192;
/// Above this size, a small object with pointers carries an 8-byte type header inside its
/// size-class slot (Go 1.22+ allocation headers), which the slice cannot use.
const MIN_SIZE_FOR_MALLOC_HEADER: usize = 512;
const MALLOC_HEADER_SIZE: usize = 8;

/// The usable size of the allocation Go makes for `size` bytes.
fn round_up_size(size: usize, noscan: bool) -> usize {
    if size <= MAX_SMALL_SIZE - MALLOC_HEADER_SIZE {
        let header = if !noscan && size > MIN_SIZE_FOR_MALLOC_HEADER {
            MALLOC_HEADER_SIZE
        } else {
            0
        };
        return size_class(size + header) - header;
    }
    size.div_ceil(PAGE_SIZE).saturating_mul(PAGE_SIZE)
}

/// The smallest of Go's malloc size classes (64-bit platforms) that holds `bytes` (at most
/// 32 KiB).
fn size_class(bytes: usize) -> usize {
    const CLASSES: &[usize] = &[
        0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288,
        320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536,
        1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192,
        9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576,
        27264, 28672, 32768,
    ];
    match CLASSES.iter().find(|&&c| c >= bytes) {
        Some(&c) => c,
        None => bytes.div_ceil(PAGE_SIZE) * PAGE_SIZE,
    }
}

/// The checker spells struct types as the compiler does (`struct{X int}`); at run time Go
/// prints them as `reflect` does (`struct { X int }`, `struct {}`).
fn reflect_spelling(compiler: &str) -> String {
    let mut out = String::with_capacity(compiler.len() + 8);
    // For each open brace: whether it opened a non-empty struct body.
    let mut braces: Vec<bool> = Vec::new();
    let mut rest = compiler;
    while let Some(c) = rest.chars().next() {
        let opener = ["struct{", "interface{"]
            .into_iter()
            .find(|p| rest.starts_with(*p));
        if let Some(prefix) = opener {
            let after = &rest[prefix.len()..];
            let empty = after.starts_with('}');
            out.push_str(&prefix[..prefix.len() - 1]);
            out.push_str(if empty { " {" } else { " { " });
            braces.push(!empty);
            rest = after;
            continue;
        }
        match c {
            '{' => braces.push(false),
            '}' if braces.pop() == Some(true) => out.push(' '),
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}
