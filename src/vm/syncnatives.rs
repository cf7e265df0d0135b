//! Natives of `sync` (Mutex, RWMutex, WaitGroup, Cond's notify lists), `sync/atomic`
//! (the Add/Load/Store/Swap/CompareAndSwap/And/Or functions and `Value`'s word operations)
//! and the two type helpers of `context` (`typeName`, `isComparable`).
//!
//! Input: the arguments of a body-less `sync`/`sync/atomic` function (pointers are heap
//! references: an object, or an interior `Obj::Ptr` to a field or element). Output: its
//! results, a Go panic/fatal error, or a `Park` (the caller blocks). Entry: [`lookup`].
//!
//! The state of every sync object lives in one table keyed by the object's reference (a
//! `*sync.Mutex` is the reference of the Mutex's own object), like Go's semaphore table keyed
//! by address. Blocking never spins: the caller enqueues a slot and parks with the table lock
//! held (see `sched.rs`); the releasing goroutine hands the lock (or the wake-up) directly to
//! the first waiter, as Go's starving-mode mutex does, which keeps waiters FIFO.
//!
//! Atomics operate on the pointed-to heap word itself (every shared heap slot is an atomic
//! word, DESIGN.md invariant 1) with SeqCst ordering, as Go's atomics are sequentially
//! consistent; 32-bit values stay canonical in their word (sign- or zero-extended).

use super::natives::Native;
use super::sched::{Held, Park, ParkTo, Slot, WaitReason};
use super::{Unwind, Vm};
use parking_lot::RawMutex;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::Arc;

pub(crate) type SyncGuard = parking_lot::ArcMutexGuard<RawMutex, SyncTable>;

/// The state of one sync object (only the fields its kind uses).
#[derive(Default)]
struct SyncObj {
    /// Mutex held / RWMutex held by a writer.
    locked: bool,
    readers: u64,
    /// Mutex and RWMutex writers waiting; RWMutex readers waiting.
    lockq: VecDeque<Arc<Slot>>,
    readq: VecDeque<Arc<Slot>>,
    /// WaitGroup counter and waiters.
    count: i64,
    waitq: Vec<Arc<Slot>>,
    /// Notify list tickets: next to hand out, next to notify; parked `(ticket, slot)`.
    ticket: u64,
    notified: u64,
    notifyq: Vec<(u64, Arc<Slot>)>,
}

#[derive(Default)]
pub(crate) struct SyncTable {
    objs: HashMap<u64, SyncObj>,
}

/// The native implementing a body-less `sync` or `sync/atomic` function, by qualified name.
pub(crate) fn lookup(name: &str) -> Option<Native> {
    Some(match name {
        "sync.(*Mutex).Lock" => |vm, _, a| vm.mutex_lock(a[0], false),
        "sync.(*Mutex).TryLock" => |vm, _, a| vm.mutex_trylock(a[0]),
        "sync.(*Mutex).Unlock" => {
            |vm, _, a| vm.mutex_unlock(a[0], "sync: unlock of unlocked mutex")
        }
        "sync.(*RWMutex).Lock" => |vm, _, a| vm.mutex_lock(a[0], true),
        "sync.(*RWMutex).TryLock" => |vm, _, a| vm.mutex_trylock(a[0]),
        "sync.(*RWMutex).Unlock" => {
            |vm, _, a| vm.mutex_unlock(a[0], "sync: Unlock of unlocked RWMutex")
        }
        "sync.(*RWMutex).RLock" => |vm, _, a| vm.rlock(a[0]),
        "sync.(*RWMutex).TryRLock" => |vm, _, a| vm.try_rlock(a[0]),
        "sync.(*RWMutex).RUnlock" => |vm, _, a| vm.runlock(a[0]),
        "sync.(*WaitGroup).add" => |vm, _, a| vm.wg_add(a[0], a[1] as i64),
        "sync.(*WaitGroup).Wait" => |vm, _, a| vm.wg_wait(a[0]),
        "sync.runtime_notifyListAdd" => |vm, _, a| vm.notify_add(a[0]),
        "sync.runtime_notifyListWait" => |vm, _, a| vm.notify_wait(a[0], a[1]),
        "sync.runtime_notifyListNotifyOne" => |vm, _, a| vm.notify(a[0], false),
        "sync.runtime_notifyListNotifyAll" => |vm, _, a| vm.notify(a[0], true),
        "sync/atomic.(*Value).Load" => |vm, _, a| Ok(vec![vm.load_word(a[0], 0)?]),
        "sync/atomic.(*Value).casWord" => |vm, _, a| vm.value_cas_word(a[0], a[1], a[2]),
        "context.typeName" => |vm, _, a| Ok(vec![vm.dynamic_type_name(a[0])]),
        "context.isComparable" => |vm, _, a| {
            let comparable = vm
                .iface_type(a[0])
                .is_none_or(|t| vm.program.types.comparable(crate::check::types::TypeId(t)));
            Ok(vec![u64::from(comparable)])
        },
        "sync/atomic.sameType" => {
            |vm, _, a| Ok(vec![u64::from(vm.iface_type(a[0]) == vm.iface_type(a[1]))])
        }
        "sync/atomic.SwapInt32" => |vm, _, a| vm.atomic_rmw(a, W::I32, A::Swap),
        "sync/atomic.AddInt32" => |vm, _, a| vm.atomic_rmw(a, W::I32, A::Add),
        "sync/atomic.AndInt32" => |vm, _, a| vm.atomic_rmw(a, W::I32, A::And),
        "sync/atomic.OrInt32" => |vm, _, a| vm.atomic_rmw(a, W::I32, A::Or),
        "sync/atomic.LoadInt32" => |vm, _, a| vm.atomic_rmw(a, W::I32, A::Load),
        "sync/atomic.StoreInt32" => |vm, _, a| vm.atomic_rmw(a, W::I32, A::Store),
        "sync/atomic.CompareAndSwapInt32" => |vm, _, a| vm.atomic_cas(a, W::I32),
        "sync/atomic.SwapInt64" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Swap),
        "sync/atomic.AddInt64" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Add),
        "sync/atomic.AndInt64" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::And),
        "sync/atomic.OrInt64" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Or),
        "sync/atomic.LoadInt64" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Load),
        "sync/atomic.StoreInt64" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Store),
        "sync/atomic.CompareAndSwapInt64" => |vm, _, a| vm.atomic_cas(a, W::W64),
        "sync/atomic.SwapUint32" => |vm, _, a| vm.atomic_rmw(a, W::U32, A::Swap),
        "sync/atomic.AddUint32" => |vm, _, a| vm.atomic_rmw(a, W::U32, A::Add),
        "sync/atomic.AndUint32" => |vm, _, a| vm.atomic_rmw(a, W::U32, A::And),
        "sync/atomic.OrUint32" => |vm, _, a| vm.atomic_rmw(a, W::U32, A::Or),
        "sync/atomic.LoadUint32" => |vm, _, a| vm.atomic_rmw(a, W::U32, A::Load),
        "sync/atomic.StoreUint32" => |vm, _, a| vm.atomic_rmw(a, W::U32, A::Store),
        "sync/atomic.CompareAndSwapUint32" => |vm, _, a| vm.atomic_cas(a, W::U32),
        "sync/atomic.SwapUint64" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Swap),
        "sync/atomic.AddUint64" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Add),
        "sync/atomic.AndUint64" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::And),
        "sync/atomic.OrUint64" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Or),
        "sync/atomic.LoadUint64" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Load),
        "sync/atomic.StoreUint64" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Store),
        "sync/atomic.CompareAndSwapUint64" => |vm, _, a| vm.atomic_cas(a, W::W64),
        "sync/atomic.SwapUintptr" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Swap),
        "sync/atomic.AddUintptr" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Add),
        "sync/atomic.AndUintptr" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::And),
        "sync/atomic.OrUintptr" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Or),
        "sync/atomic.LoadUintptr" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Load),
        "sync/atomic.StoreUintptr" => |vm, _, a| vm.atomic_rmw(a, W::W64, A::Store),
        "sync/atomic.CompareAndSwapUintptr" => |vm, _, a| vm.atomic_cas(a, W::W64),

        _ => return None,
    })
}

/// The width of an atomic operand: values stay canonical in their word (sign-extended int32,
/// zero-extended uint32).
#[derive(Clone, Copy)]
enum W {
    I32,
    U32,
    W64,
}

impl W {
    fn canon(self, v: u64) -> u64 {
        match self {
            W::I32 => v as u32 as i32 as i64 as u64,
            W::U32 => u64::from(v as u32),
            W::W64 => v,
        }
    }
}

/// An atomic read-modify-write (`Load`/`Store` included).
#[derive(Clone, Copy)]
enum A {
    Swap,
    Add,
    And,
    Or,
    Load,
    Store,
}

type NativeResult = Result<Vec<u64>, Unwind>;

impl Vm {
    fn sync_table(&self) -> SyncGuard {
        self.rt.sync.lock_arc()
    }

    /// The identity of a sync object from a pointer to it: its object's reference, or for an
    /// interior pointer, its object and word (word 0 is the object itself, as `&s` and
    /// `&s.first` are one address in Go).
    fn sync_key(&self, p: u64) -> u64 {
        match self.heap.get(p) {
            Some(super::heap::Obj::Ptr { obj, index }) => obj.wrapping_add((*index as u64) << 32),
            _ => p,
        }
    }

    /// Parks the caller on `slot`, releasing the table lock after the commit.
    fn park_sync(table: SyncGuard, slot: Arc<Slot>, reason: WaitReason) -> NativeResult {
        Err(Park::unwind(reason, Held::Sync(table), ParkTo::Slot(slot)))
    }

    /// Wakes the G parked on `slot` (the table lock was released by the caller).
    fn wake(&mut self, slot: &Slot) {
        if slot.claim() {
            if let Some(g) = slot.take() {
                self.ready(g);
            }
        }
    }

    fn mutex_lock(&mut self, m: u64, rw: bool) -> NativeResult {
        let m = self.sync_key(m);
        let mut t = self.sync_table();
        let o = t.objs.entry(m).or_default();
        if !o.locked && o.readers == 0 {
            o.locked = true;
            return Ok(vec![]);
        }
        let slot = Arc::new(Slot::default());
        o.lockq.push_back(slot.clone());
        let reason = if rw {
            WaitReason::RWMutexW
        } else {
            WaitReason::Mutex
        };
        Vm::park_sync(t, slot, reason)
    }

    fn mutex_trylock(&mut self, m: u64) -> NativeResult {
        let m = self.sync_key(m);
        let mut t = self.sync_table();
        let o = t.objs.entry(m).or_default();
        let ok = !o.locked && o.readers == 0;
        if ok {
            o.locked = true;
        }
        Ok(vec![u64::from(ok)])
    }

    /// Unlocks a Mutex or a RWMutex's writer lock: waiting readers go first (RWMutex), then
    /// the first waiting writer, who receives the lock still held.
    fn mutex_unlock(&mut self, m: u64, fatal: &str) -> NativeResult {
        let m = self.sync_key(m);
        let mut t = self.sync_table();
        let o = t.objs.entry(m).or_default();
        if !o.locked {
            return Err(Unwind::Fatal(fatal.to_string()));
        }
        let woken: Vec<Arc<Slot>> = if !o.readq.is_empty() {
            o.locked = false;
            o.readers += o.readq.len() as u64;
            o.readq.drain(..).collect()
        } else if let Some(s) = o.lockq.pop_front() {
            vec![s]
        } else {
            o.locked = false;
            Vec::new()
        };
        drop(t);
        for s in woken {
            self.wake(&s);
        }
        Ok(vec![])
    }

    fn rlock(&mut self, m: u64) -> NativeResult {
        let m = self.sync_key(m);
        let mut t = self.sync_table();
        let o = t.objs.entry(m).or_default();
        // A waiting writer blocks new readers, as in Go.
        if !o.locked && o.lockq.is_empty() {
            o.readers += 1;
            return Ok(vec![]);
        }
        let slot = Arc::new(Slot::default());
        o.readq.push_back(slot.clone());
        Vm::park_sync(t, slot, WaitReason::RWMutexR)
    }

    fn try_rlock(&mut self, m: u64) -> NativeResult {
        let m = self.sync_key(m);
        let mut t = self.sync_table();
        let o = t.objs.entry(m).or_default();
        let ok = !o.locked && o.lockq.is_empty();
        if ok {
            o.readers += 1;
        }
        Ok(vec![u64::from(ok)])
    }

    fn runlock(&mut self, m: u64) -> NativeResult {
        let m = self.sync_key(m);
        let mut t = self.sync_table();
        let o = t.objs.entry(m).or_default();
        if o.readers == 0 {
            return Err(Unwind::Fatal(
                "sync: RUnlock of unlocked RWMutex".to_string(),
            ));
        }
        o.readers -= 1;
        let mut woken = None;
        if o.readers == 0 {
            if let Some(s) = o.lockq.pop_front() {
                o.locked = true;
                woken = Some(s);
            }
        }
        drop(t);
        if let Some(s) = woken {
            self.wake(&s);
        }
        Ok(vec![])
    }

    /// Adds `delta` to a WaitGroup's counter, releasing its waiters at zero. Returns false
    /// (counter reset to zero) if the counter would go negative: the caller, written in the
    /// language, panics with Go's string value.
    fn wg_add(&mut self, wg: u64, delta: i64) -> NativeResult {
        let wg = self.sync_key(wg);
        let mut t = self.sync_table();
        let o = t.objs.entry(wg).or_default();
        o.count += delta;
        if o.count < 0 {
            o.count = 0;
            return Ok(vec![0]);
        }
        let woken = if o.count == 0 {
            std::mem::take(&mut o.waitq)
        } else {
            Vec::new()
        };
        drop(t);
        for s in woken {
            self.wake(&s);
        }
        Ok(vec![1])
    }

    fn wg_wait(&mut self, wg: u64) -> NativeResult {
        let wg = self.sync_key(wg);
        let mut t = self.sync_table();
        let o = t.objs.entry(wg).or_default();
        if o.count == 0 {
            return Ok(vec![]);
        }
        let slot = Arc::new(Slot::default());
        o.waitq.push(slot.clone());
        Vm::park_sync(t, slot, WaitReason::WaitGroup)
    }

    fn notify_add(&mut self, l: u64) -> NativeResult {
        let l = self.sync_key(l);
        let mut t = self.sync_table();
        let o = t.objs.entry(l).or_default();
        let ticket = o.ticket;
        o.ticket += 1;
        Ok(vec![ticket])
    }

    fn notify_wait(&mut self, l: u64, ticket: u64) -> NativeResult {
        let l = self.sync_key(l);
        let mut t = self.sync_table();
        let o = t.objs.entry(l).or_default();
        if ticket < o.notified {
            return Ok(vec![]);
        }
        let slot = Arc::new(Slot::default());
        o.notifyq.push((ticket, slot.clone()));
        Vm::park_sync(t, slot, WaitReason::CondWait)
    }

    fn notify(&mut self, l: u64, all: bool) -> NativeResult {
        let l = self.sync_key(l);
        let mut t = self.sync_table();
        let o = t.objs.entry(l).or_default();
        let woken: Vec<Arc<Slot>> = if all {
            o.notified = o.ticket;
            o.notifyq.drain(..).map(|(_, s)| s).collect()
        } else if o.notified < o.ticket {
            let ticket = o.notified;
            o.notified += 1;
            match o.notifyq.iter().position(|(t, _)| *t == ticket) {
                Some(i) => vec![o.notifyq.swap_remove(i).1],
                None => Vec::new(),
            }
        } else {
            Vec::new()
        };
        drop(t);
        for s in woken {
            self.wake(&s);
        }
        Ok(vec![])
    }

    /// The word a `*int32`/`*int64`/... points to.
    fn atomic_word(&self, p: u64) -> Result<&std::sync::atomic::AtomicU64, Unwind> {
        let (obj, index) = match self.heap.get(p) {
            Some(super::heap::Obj::Ptr { obj, index }) => (*obj, *index),
            Some(super::heap::Obj::Cells(_)) => (p, 0),
            _ => (0, 0),
        };
        self.heap
            .cell_words(obj)
            .and_then(|w| w.get(index))
            .ok_or_else(|| self.runtime("invalid memory address or nil pointer dereference"))
    }

    fn atomic_rmw(&mut self, a: &[u64], w: W, op: A) -> NativeResult {
        let cell = self.atomic_word(a[0])?;
        let x = a.get(1).copied().unwrap_or(0);
        let update = |old: u64| -> u64 {
            w.canon(match op {
                A::Swap | A::Store => x,
                A::Add => old.wrapping_add(x),
                A::And => old & x,
                A::Or => old | x,
                A::Load => old,
            })
        };
        Ok(match op {
            A::Load => vec![w.canon(cell.load(Ordering::SeqCst))],
            A::Store => {
                cell.store(w.canon(x), Ordering::SeqCst);
                vec![]
            }
            _ => {
                let old = cell
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| Some(update(o)))
                    .unwrap_or_else(|o| o);
                match op {
                    A::Add => vec![update(old)],
                    _ => vec![w.canon(old)],
                }
            }
        })
    }

    fn atomic_cas(&mut self, a: &[u64], w: W) -> NativeResult {
        let cell = self.atomic_word(a[0])?;
        let ok = cell
            .compare_exchange(
                w.canon(a[1]),
                w.canon(a[2]),
                Ordering::SeqCst,
                Ordering::SeqCst,
            )
            .is_ok();
        Ok(vec![u64::from(ok)])
    }

    /// The dynamic type of an interface word (None for nil).
    fn iface_type(&self, v: u64) -> Option<u32> {
        match self.heap.get(v) {
            Some(super::heap::Obj::Iface { ty, .. }) => Some(*ty),
            _ => None,
        }
    }

    /// The name of an interface's dynamic type as `%T` prints it (`<nil>` for nil), as a
    /// string word.
    fn dynamic_type_name(&self, v: u64) -> u64 {
        let name = match self.iface_type(v) {
            Some(t) => self.type_string(crate::check::types::TypeId(t)),
            None => "<nil>".to_string(),
        };
        self.heap.string(name.as_bytes())
    }

    /// `Value.casWord`: replaces the stored interface word if it is still `old` (identity:
    /// `old` is a word `Load` returned; the equality and type checks are in the language).
    fn value_cas_word(&mut self, v: u64, old: u64, new: u64) -> NativeResult {
        let cell = self.atomic_word(v)?;
        let swapped = cell
            .compare_exchange(old, new, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok();
        Ok(vec![u64::from(swapped)])
    }
}
