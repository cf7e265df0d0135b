//! Natives of `sync` (Mutex, RWMutex, WaitGroup, Cond's notify lists), `sync/atomic`
//! (the Add/Load/Store/Swap/CompareAndSwap/And/Or functions and `Value`'s word operations)
//! and the two type helpers of `context` (`typeName`, `isComparable`).
//!
//! Input: the arguments of a body-less `sync`/`sync/atomic` function (pointers are heap
//! references: an object, or an interior `Obj::Ptr` to a field or element). Output: its
//! results, a Go panic/fatal error, or a `Park` (the caller blocks). Entry: [`lookup`].
//!
//! A Mutex keeps its state in its own `state` word, with Go's algorithm (sync/mutex.go): an
//! uncontended Lock or Unlock is one compare-and-swap and touches nothing shared but that
//! word; woken waiters compete with running goroutines (normal mode) until one has waited
//! over 1ms (starvation mode: Unlock hands the lock to the first waiter). Only waiting goes
//! to the table below, which plays Go's semaphore table (`sema` count and queue per Mutex).
//!
//! The state of every other sync object lives in one table keyed by the object's reference
//! (a `*sync.RWMutex` is the reference of its own object), like Go's semaphore table keyed
//! by address. Blocking never spins: the caller enqueues a slot and parks with the table lock
//! held (see `sched.rs`); for RWMutex the releasing goroutine hands the lock (or the wake-up)
//! directly to the first waiter, which keeps waiters FIFO.
//!
//! Atomics operate on the pointed-to heap word itself (every shared heap slot is an atomic
//! word, DESIGN.md invariant 1) with SeqCst ordering, as Go's atomics are sequentially
//! consistent; 32-bit values stay canonical in their word (sign- or zero-extended).

use super::natives::Native;
use super::natives::{words, Words};
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
    /// RWMutex held by a writer.
    locked: bool,
    readers: u64,
    /// Mutex: released waits not yet taken (Go's `sema` count).
    sema: u64,
    /// Mutex waiters and RWMutex writers waiting; RWMutex readers waiting.
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
        "sync.(*Mutex).TryLock" | "sync.(*Mutex).lockFast" => {
            |vm, _, a| Ok(words![u64::from(vm.mutex_trylock(a[0])?)])
        }
        "sync.(*Mutex).lockStep" => |vm, _, a| Ok(words![vm.mutex_lock_step(a[0], a[1])?]),
        "sync.(*Mutex).semacquire" => |vm, _, a| vm.mutex_semacquire(a[0], a[1]),
        "sync.(*Mutex).Unlock" => |vm, _, a| vm.mutex_unlock(a[0]),
        "sync.(*RWMutex).Lock" => |vm, _, a| vm.rw_lock(a[0]),
        "sync.(*RWMutex).TryLock" => |vm, _, a| vm.rw_trylock(a[0]),
        "sync.(*RWMutex).Unlock" => |vm, _, a| vm.rw_unlock(a[0]),
        "sync.(*RWMutex).RLock" => |vm, _, a| vm.rlock(a[0]),
        "sync.(*RWMutex).TryRLock" => |vm, _, a| vm.try_rlock(a[0]),
        "sync.(*RWMutex).RUnlock" => |vm, _, a| vm.runlock(a[0]),
        "sync.(*WaitGroup).add" => |vm, _, a| vm.wg_add(a[0], a[1] as i64),
        "sync.(*WaitGroup).Wait" => |vm, _, a| vm.wg_wait(a[0]),
        "sync.runtime_notifyListAdd" => |vm, _, a| vm.notify_add(a[0]),
        "sync.runtime_notifyListWait" => |vm, _, a| vm.notify_wait(a[0], a[1]),
        "sync.runtime_notifyListNotifyOne" => |vm, _, a| vm.notify(a[0], false),
        "sync.runtime_notifyListNotifyAll" => |vm, _, a| vm.notify(a[0], true),
        "sync/atomic.(*Value).Load" => |vm, _, a| Ok(words![vm.load_word(a[0], 0)?]),
        "sync/atomic.(*Value).casWord" => |vm, _, a| vm.value_cas_word(a[0], a[1], a[2]),
        "context.typeName" => |vm, _, a| Ok(words![vm.dynamic_type_name(a[0])]),
        "context.isComparable" => |vm, _, a| {
            let comparable = vm
                .iface_type(a[0])
                .is_none_or(|t| vm.program.types.comparable(crate::check::types::TypeId(t)));
            Ok(words![u64::from(comparable)])
        },
        "sync/atomic.sameType" => |vm, _, a| {
            Ok(words![u64::from(
                vm.iface_type(a[0]) == vm.iface_type(a[1])
            )])
        },
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

type NativeResult = Result<Words, Unwind>;

// The bits of a Mutex's state word, as in Go: locked, a waiter was woken, starvation mode,
// and the count of waiters above them. A locked mutex prints as `{1 0}`, as Go's does.
const MUTEX_LOCKED: u64 = 1;
const MUTEX_WOKEN: u64 = 2;
const MUTEX_STARVING: u64 = 4;
const MUTEX_WAITER_SHIFT: u32 = 3;
const MUTEX_WAITER: u64 = 1 << MUTEX_WAITER_SHIFT;
/// A waiter that waited longer than this puts the mutex in starvation mode (Go: 1ms).
const STARVATION_NS: u64 = 1_000_000;
// The bits of a Lock waiter's state (see `mutex_lock_step`).
const WAITER_STARVING: u64 = 1;
const WAITER_REQUEUE: u64 = 2;
const WAITER_TIME_SHIFT: u32 = 2;

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

    // ---- Mutex: Go's algorithm (sync/mutex.go) over the state word ---------------------------

    /// One attempt of `Lock` (see `stdlib/sync/mutex.gom`): 0 when the lock is taken, or the
    /// waiter state to park with and pass back after the wake-up. The state packs the wait
    /// start (nanoseconds since the runtime started, never 0), a re-queue flag (this waiter
    /// parked before: it queues first, as Go's `queueLifo`) and the starving flag; a non-zero
    /// state also means "woken from semacquire" (Go's `awoke`).
    fn mutex_lock_step(&mut self, m: u64, st: u64) -> Result<u64, Unwind> {
        let cell = self.atomic_word(m)?;
        let mut old = cell.load(Ordering::Relaxed);
        let awoke = st != 0;
        let mut starving = st & WAITER_STARVING != 0;
        let mut wait_start = st >> WAITER_TIME_SHIFT;
        if awoke {
            let now = self.rt_nanos();
            starving = starving || now.saturating_sub(wait_start) > STARVATION_NS;
            if old & MUTEX_STARVING != 0 {
                // Handed off by Unlock in starvation mode: the lock is ours (Unlock left the
                // locked bit clear and the waiter counted). Leave starvation mode when the
                // mutex no longer needs it, as Go does.
                let mut delta = MUTEX_LOCKED.wrapping_sub(MUTEX_WAITER);
                if !starving || old >> MUTEX_WAITER_SHIFT == 1 {
                    delta = delta.wrapping_sub(MUTEX_STARVING);
                }
                cell.fetch_add(delta, Ordering::Acquire);
                return Ok(0);
            }
        }
        loop {
            let mut new = old;
            // A starving mutex belongs to the waiters: newcomers queue.
            if old & MUTEX_STARVING == 0 {
                new |= MUTEX_LOCKED;
            }
            if old & (MUTEX_LOCKED | MUTEX_STARVING) != 0 {
                new += MUTEX_WAITER;
            }
            if starving && old & MUTEX_LOCKED != 0 {
                new |= MUTEX_STARVING;
            }
            if awoke {
                // This goroutine was the woken one: the next Unlock may wake another.
                new &= !MUTEX_WOKEN;
            }
            match cell.compare_exchange(old, new, Ordering::Acquire, Ordering::Relaxed) {
                Ok(_) => {
                    if old & (MUTEX_LOCKED | MUTEX_STARVING) == 0 {
                        return Ok(0);
                    }
                    let requeue = wait_start != 0;
                    if wait_start == 0 {
                        wait_start = self.rt_nanos();
                    }
                    return Ok((wait_start << WAITER_TIME_SHIFT)
                        | if requeue { WAITER_REQUEUE } else { 0 }
                        | if starving { WAITER_STARVING } else { 0 });
                }
                Err(now) => old = now,
            }
        }
    }

    /// Nanoseconds since the first contended Lock (at least 1: a wait start of 0 means none).
    fn rt_nanos(&self) -> u64 {
        static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        let epoch = EPOCH.get_or_init(std::time::Instant::now);
        (epoch.elapsed().as_nanos() as u64).max(1)
    }

    /// Go's `runtime_SemacquireMutex`: takes a pending release of `m`'s semaphore, or parks
    /// (reason `sync.Mutex.Lock`) until Unlock releases this waiter.
    fn mutex_semacquire(&mut self, m: u64, st: u64) -> NativeResult {
        let key = self.sync_key(m);
        let mut t = self.sync_table();
        let o = t.objs.entry(key).or_default();
        if o.sema > 0 {
            o.sema -= 1;
            return Ok(words![]);
        }
        let slot = Arc::new(Slot::default());
        if st & WAITER_REQUEUE != 0 {
            o.lockq.push_front(slot.clone());
        } else {
            o.lockq.push_back(slot.clone());
        }
        Vm::park_sync(t, slot, WaitReason::Mutex)
    }

    /// Go's `runtime_Semrelease`: wakes the first waiter of `m`, or records the release for
    /// the next semacquire (a waiter counted in the state word that has not parked yet).
    fn mutex_semrelease(&mut self, m: u64) {
        let key = self.sync_key(m);
        let mut t = self.sync_table();
        let o = t.objs.entry(key).or_default();
        let woken = o.lockq.pop_front();
        if woken.is_none() {
            o.sema += 1;
        }
        drop(t);
        if let Some(s) = woken {
            self.wake(&s);
        }
    }

    /// `TryLock`, and Lock's fast path: takes the lock if it is free and the mutex is not
    /// starving, whether or not there are waiters (a running goroutine beats woken ones, as
    /// in Go's normal mode).
    fn mutex_trylock(&mut self, m: u64) -> Result<bool, Unwind> {
        let cell = self.atomic_word(m)?;
        let mut old = cell.load(Ordering::Relaxed);
        loop {
            if old & (MUTEX_LOCKED | MUTEX_STARVING) != 0 {
                return Ok(false);
            }
            match cell.compare_exchange(
                old,
                old | MUTEX_LOCKED,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Ok(true),
                Err(now) => old = now,
            }
        }
    }

    /// Go's `Unlock`: clears the locked bit (a fatal error if it was clear) and, if there are
    /// waiters and none is already woken, releases one: in normal mode it competes for the
    /// lock, in starvation mode it receives it.
    fn mutex_unlock(&mut self, m: u64) -> NativeResult {
        let cell = self.atomic_word(m)?;
        let mut old = cell.load(Ordering::Relaxed);
        let new = loop {
            if old & MUTEX_LOCKED == 0 {
                return Err(Unwind::Fatal("sync: unlock of unlocked mutex".to_string()));
            }
            let new = old - MUTEX_LOCKED;
            match cell.compare_exchange(old, new, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => break new,
                Err(now) => old = now,
            }
        };
        if new == 0 {
            return Ok(words![]);
        }
        if new & MUTEX_STARVING != 0 {
            self.mutex_semrelease(m);
            return Ok(words![]);
        }
        let mut old = new;
        loop {
            // No waiters, or someone already holds, was woken or will be handed the lock.
            if old >> MUTEX_WAITER_SHIFT == 0
                || old & (MUTEX_LOCKED | MUTEX_WOKEN | MUTEX_STARVING) != 0
            {
                return Ok(words![]);
            }
            let new = (old - MUTEX_WAITER) | MUTEX_WOKEN;
            match cell.compare_exchange(old, new, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => {
                    self.mutex_semrelease(m);
                    return Ok(words![]);
                }
                Err(now) => old = now,
            }
        }
    }

    // ---- RWMutex: state in the table -----------------------------------------------------------

    fn rw_lock(&mut self, m: u64) -> NativeResult {
        let m = self.sync_key(m);
        let mut t = self.sync_table();
        let o = t.objs.entry(m).or_default();
        if !o.locked && o.readers == 0 {
            o.locked = true;
            return Ok(words![]);
        }
        let slot = Arc::new(Slot::default());
        o.lockq.push_back(slot.clone());
        Vm::park_sync(t, slot, WaitReason::RWMutexW)
    }

    fn rw_trylock(&mut self, m: u64) -> NativeResult {
        let m = self.sync_key(m);
        let mut t = self.sync_table();
        let o = t.objs.entry(m).or_default();
        let ok = !o.locked && o.readers == 0;
        if ok {
            o.locked = true;
        }
        Ok(words![u64::from(ok)])
    }

    /// Unlocks a RWMutex's writer lock: waiting readers go first, then the first waiting
    /// writer, who receives the lock still held.
    fn rw_unlock(&mut self, m: u64) -> NativeResult {
        let m = self.sync_key(m);
        let mut t = self.sync_table();
        let o = t.objs.entry(m).or_default();
        if !o.locked {
            return Err(Unwind::Fatal(
                "sync: Unlock of unlocked RWMutex".to_string(),
            ));
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
        Ok(words![])
    }

    fn rlock(&mut self, m: u64) -> NativeResult {
        let m = self.sync_key(m);
        let mut t = self.sync_table();
        let o = t.objs.entry(m).or_default();
        // A waiting writer blocks new readers, as in Go.
        if !o.locked && o.lockq.is_empty() {
            o.readers += 1;
            return Ok(words![]);
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
        Ok(words![u64::from(ok)])
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
        Ok(words![])
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
            return Ok(words![0]);
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
        Ok(words![1])
    }

    fn wg_wait(&mut self, wg: u64) -> NativeResult {
        let wg = self.sync_key(wg);
        let mut t = self.sync_table();
        let o = t.objs.entry(wg).or_default();
        if o.count == 0 {
            return Ok(words![]);
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
        Ok(words![ticket])
    }

    fn notify_wait(&mut self, l: u64, ticket: u64) -> NativeResult {
        let l = self.sync_key(l);
        let mut t = self.sync_table();
        let o = t.objs.entry(l).or_default();
        if ticket < o.notified {
            return Ok(words![]);
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
        Ok(words![])
    }

    /// The word a `*int32`/`*int64`/... points to.
    fn atomic_word(&self, p: u64) -> Result<&std::sync::atomic::AtomicU64, Unwind> {
        match self.heap.get(p) {
            Some(super::heap::Obj::Cells(words)) => words.first(),
            Some(super::heap::Obj::Ptr { obj, index }) => {
                self.heap.cell_words(*obj).and_then(|w| w.get(*index))
            }
            _ => None,
        }
        .ok_or_else(|| self.runtime("invalid memory address or nil pointer dereference"))
    }

    fn atomic_rmw(&mut self, a: &[u64], w: W, op: A) -> NativeResult {
        let cell = self.atomic_word(a[0])?;
        let x = w.canon(a.get(1).copied().unwrap_or(0));
        let sc = Ordering::SeqCst;
        // And, Or and (64-bit) Add of canonical words give canonical words, so they are one
        // hardware operation; a 32-bit Add must wrap at 32 bits, so it loops on a CAS.
        let result = match op {
            A::Load => w.canon(cell.load(sc)),
            A::Store => {
                cell.store(x, sc);
                return Ok(words![]);
            }
            A::Swap => w.canon(cell.swap(x, sc)),
            A::And => w.canon(cell.fetch_and(x, sc)),
            A::Or => w.canon(cell.fetch_or(x, sc)),
            A::Add => match w {
                W::W64 => cell.fetch_add(x, sc).wrapping_add(x),
                W::I32 | W::U32 => {
                    let add = |old: u64| Some(w.canon(old.wrapping_add(x)));
                    let old = cell.fetch_update(sc, sc, add).unwrap_or_else(|o| o);
                    w.canon(old.wrapping_add(x))
                }
            },
        };
        Ok(words![result])
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
        Ok(words![u64::from(ok)])
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
        Ok(words![u64::from(swapped)])
    }
}
