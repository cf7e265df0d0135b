//! Natives of the runtime: `sync` (Mutex, RWMutex, WaitGroup, Cond's notify lists), `time`
//! (Sleep, Now, Sub) and `runtime` (NumGoroutine, Gosched, GOMAXPROCS).
//!
//! The state of every sync object lives in one table keyed by the object's reference (a
//! `*sync.Mutex` is the reference of the Mutex's own object), like Go's semaphore table keyed
//! by address. Blocking never spins: the caller enqueues a slot and parks with the table lock
//! held (see `sched.rs`); the releasing goroutine hands the lock (or the wake-up) directly to
//! the first waiter, as Go's starving-mode mutex does, which keeps waiters FIFO.

use super::natives::Native;
use super::sched::{Held, Park, ParkTo, Slot, WaitReason};
use super::{PanicValue, Unwind, Vm};
use parking_lot::RawMutex;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

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

/// The native implementing a body-less runtime function, by qualified name.
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
        "sync.(*WaitGroup).Add" => |vm, _, a| vm.wg_add(a[0], a[1] as i64),
        "sync.(*WaitGroup).Wait" => |vm, _, a| vm.wg_wait(a[0]),
        "sync.runtime_notifyListAdd" => |vm, _, a| vm.notify_add(a[0]),
        "sync.runtime_notifyListWait" => |vm, _, a| vm.notify_wait(a[0], a[1]),
        "sync.runtime_notifyListNotifyOne" => |vm, _, a| vm.notify(a[0], false),
        "sync.runtime_notifyListNotifyAll" => |vm, _, a| vm.notify(a[0], true),
        "time.Sleep" => |vm, _, a| vm.sleep(a[0] as i64),
        "time.Now" => |vm, _, _| Ok(vec![vm.heap.cells(vec![0, unix_nanos() as u64, 0])]),
        "time.(Time).Sub" | "time.Time.Sub" => |vm, _, a| {
            let (t, u) = (vm.load_word(a[0], 1)?, vm.load_word(a[1], 1)?);
            Ok(vec![(t as i64).wrapping_sub(u as i64) as u64])
        },
        "runtime.NumGoroutine" => |vm, _, _| Ok(vec![vm.rt.live.load(Ordering::Relaxed) as u64]),
        "runtime.GOMAXPROCS" => |vm, _, _| Ok(vec![vm.rt.nprocs as u64]),
        "runtime.Gosched" => |_, _, _| {
            Err(Park::unwind(
                WaitReason::Runnable,
                Held::None,
                ParkTo::Yield,
            ))
        },
        _ => return None,
    })
}

fn unix_nanos() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i64)
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

    fn wg_add(&mut self, wg: u64, delta: i64) -> NativeResult {
        let wg = self.sync_key(wg);
        let mut t = self.sync_table();
        let o = t.objs.entry(wg).or_default();
        o.count += delta;
        if o.count < 0 {
            o.count = 0;
            return Err(Unwind::Panic(PanicValue::Runtime(
                "sync: negative WaitGroup counter".to_string(),
            )));
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
        Ok(vec![])
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

    fn sleep(&mut self, nanos: i64) -> NativeResult {
        if nanos <= 0 {
            return Ok(vec![]);
        }
        let when = Instant::now() + Duration::from_nanos(nanos as u64);
        Err(Park::unwind(
            WaitReason::Sleep,
            Held::None,
            ParkTo::Timer(when),
        ))
    }
}
