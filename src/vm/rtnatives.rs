//! Natives of the runtime: `sync` (Mutex, RWMutex, WaitGroup, Cond's notify lists), `time`
//! (Sleep, Now, Sub, the timers), `runtime` (NumGoroutine, Gosched, Goexit, GOMAXPROCS, GC,
//! readMemStats: a walk over gom's heap plus the RSS, Caller, Stack, Version) and
//! `runtime/debug` (readGCStats, the Set* settings, Stack, PrintStack; see [`RtStats`]).
//!
//! The state of every sync object lives in one table keyed by the object's reference (a
//! `*sync.Mutex` is the reference of the Mutex's own object), like Go's semaphore table keyed
//! by address. Blocking never spins: the caller enqueues a slot and parks with the table lock
//! held (see `sched.rs`); the releasing goroutine hands the lock (or the wake-up) directly to
//! the first waiter, as Go's starving-mode mutex does, which keeps waiters FIFO.

use super::natives::Native;
use super::sched::{ActiveTimer, Held, Park, ParkTo, Slot, TimerTable, WaitReason};
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
        "time.Now" => |vm, _, _| Ok(vec![vm.time_now()]),
        "time.(Time).Sub" | "time.Time.Sub" => |vm, _, a| {
            let (t, u) = (vm.load_word(a[0], 1)?, vm.load_word(a[1], 1)?);
            Ok(vec![(t as i64).wrapping_sub(u as i64) as u64])
        },
        "runtime.NumGoroutine" => |vm, _, _| Ok(vec![vm.rt.live.load(Ordering::Relaxed) as u64]),
        "runtime.GOMAXPROCS" => |vm, _, a| Ok(vec![vm.set_maxprocs(a[0] as i64) as u64]),
        "runtime.Goexit" => |_, _, _| {
            Err(Unwind::Panic(PanicValue::Runtime(
                super::sched::GOEXIT.to_string(),
            )))
        },
        "runtime.NumCPU" => |_, _, _| {
            Ok(vec![
                std::thread::available_parallelism().map_or(1, |n| n.get()) as u64,
            ])
        },
        "time.startTimer" => |vm, _, a| vm.start_timer(a[0], a[1], a[2] as i64, a[3] as i64),
        "time.stopTimer" => |vm, _, a| vm.stop_timer(a[0], a[1]),
        "time.resetTimer" => |vm, _, a| vm.reset_timer(a[0], a[1], a[2], a[3] as i64, a[4] as i64),
        "sync/atomic.(*Value).Load" => |vm, _, a| Ok(vec![vm.load_word(a[0], 0)?]),
        "sync/atomic.(*Value).Store" => {
            |vm, _, a| vm.value_swap(a[0], a[1], "store").map(|_| vec![])
        }
        "sync/atomic.(*Value).Swap" => |vm, _, a| vm.value_swap(a[0], a[1], "swap"),
        "sync/atomic.(*Value).CompareAndSwap" => |vm, _, a| vm.value_cas(a[0], a[1], a[2]),
        "runtime.GC" | "runtime/debug.FreeOSMemory" => |vm, _, _| {
            vm.rt.stats.forced_gc();
            Ok(vec![])
        },
        "runtime.readMemStats" => |vm, _, _| Ok(vm.mem_stats()),
        "runtime/debug.readGCStats" => |vm, _, _| {
            let (n, last) = vm.rt.stats.gc();
            Ok(vec![n, last as u64])
        },
        "runtime/debug.SetGCPercent" => |vm, _, a| {
            Ok(vec![
                vm.rt.stats.gc_percent.swap(a[0] as i64, Ordering::Relaxed) as u64,
            ])
        },
        "runtime/debug.SetMaxStack" => |vm, _, a| {
            Ok(vec![
                vm.rt.stats.max_stack.swap(a[0] as i64, Ordering::Relaxed) as u64,
            ])
        },
        "runtime/debug.SetMemoryLimit" => |vm, _, a| {
            let limit = &vm.rt.stats.mem_limit;
            let old = if (a[0] as i64) < 0 {
                limit.load(Ordering::Relaxed)
            } else {
                limit.swap(a[0] as i64, Ordering::Relaxed)
            };
            Ok(vec![old as u64])
        },
        "runtime.Version" => |vm, _, _| Ok(vec![vm.heap.string(GO_VERSION.as_bytes())]),
        "runtime.KeepAlive" | "runtime.SetFinalizer" => |_, _, _| Ok(vec![]),
        "runtime.Caller" => |vm, g, a| Ok(vm.caller(g, a[0] as i64)),
        "runtime.Stack" => |vm, g, a| {
            let text = vm.stack_text(g, &[], a[1] != 0);
            Ok(vec![vm.copy_slice(a[0], &bytes_as_words(&text)) as u64])
        },
        "runtime/debug.Stack" => |vm, g, _| {
            let text = vm.stack_text(g, &[DEBUG_STACK], false);
            Ok(vec![vm.slice_from(bytes_as_words(&text))])
        },
        "runtime/debug.PrintStack" => |vm, g, _| {
            let frames = [
                DEBUG_STACK,
                ("runtime/debug.PrintStack", "runtime/debug/stack.go:18"),
            ];
            let text = vm.stack_text(g, &frames, false);
            vm.write_fd(2, text.as_bytes());
            Ok(vec![])
        },
        "runtime.Gosched" => |_, _, _| {
            Err(Park::unwind(
                WaitReason::Runnable,
                Held::None,
                ParkTo::Yield,
            ))
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

/// `now + nanos` (clamped: a far deadline never overflows).
fn deadline(nanos: i64) -> Instant {
    let now = Instant::now();
    now.checked_add(Duration::from_nanos(nanos.max(0) as u64))
        .or_else(|| now.checked_add(Duration::from_secs(1 << 32)))
        .unwrap_or(now)
}

fn unix_nanos() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i64)
}

type NativeResult = Result<Vec<u64>, Unwind>;

/// What `runtime.Version` reports: the Go release whose behaviour gom reproduces (the one
/// go-oracle runs), so programs printing it agree with Go.
const GO_VERSION: &str = "go1.27.3";

/// The frame Go shows for `debug.Stack` (Go's own source position).
const DEBUG_STACK: (&str, &str) = ("runtime/debug.Stack", "runtime/debug/stack.go:26");

/// The bytes of a text as the words of a `[]byte`.
fn bytes_as_words(text: &str) -> Vec<u64> {
    text.bytes().map(u64::from).collect()
}

/// The `runtime/debug` settings and the collection counters behind `runtime.ReadMemStats` and
/// `debug.ReadGCStats`. gom's heap does not collect yet: a "collection" is a forced one
/// (`runtime.GC`, `debug.FreeOSMemory`), counted with its time so programs that force one and
/// read the statistics see it, and the settings are recorded and reported back.
pub(crate) struct RtStats {
    num_gc: std::sync::atomic::AtomicU64,
    last_gc: std::sync::atomic::AtomicI64,
    pub gc_percent: std::sync::atomic::AtomicI64,
    pub max_stack: std::sync::atomic::AtomicI64,
    pub mem_limit: std::sync::atomic::AtomicI64,
}

impl Default for RtStats {
    fn default() -> Self {
        // GOGC as Go reads it: a percentage, or "off" (-1); 100 otherwise.
        let gogc = match std::env::var("GOGC").as_deref() {
            Ok("off") => -1,
            Ok(v) => v.trim().parse().unwrap_or(100),
            Err(_) => 100,
        };
        RtStats {
            num_gc: Default::default(),
            last_gc: Default::default(),
            gc_percent: gogc.into(),
            max_stack: 1_000_000_000.into(),
            mem_limit: i64::MAX.into(),
        }
    }
}

impl RtStats {
    fn forced_gc(&self) {
        self.last_gc.store(unix_nanos(), Ordering::Relaxed);
        self.num_gc.fetch_add(1, Ordering::Relaxed);
    }

    /// The number of collections and the time of the last one (Unix nanoseconds).
    fn gc(&self) -> (u64, i64) {
        (
            self.num_gc.load(Ordering::Relaxed),
            self.last_gc.load(Ordering::Relaxed),
        )
    }
}

/// The process's resident set size in bytes (0 where `/proc` is missing).
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

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

    /// `Value.Store` / `Value.Swap`: Go's checks, then an atomic exchange.
    fn value_swap(&mut self, v: u64, new: u64, what: &str) -> NativeResult {
        let Some(ty) = self.iface_type(new) else {
            return Err(Unwind::Panic(PanicValue::Runtime(format!(
                "sync/atomic: {what} of nil value into Value"
            ))));
        };
        let cell = self.atomic_word(v)?;
        let old = cell.load(Ordering::SeqCst);
        if let Some(t) = self.iface_type(old) {
            if t != ty {
                return Err(Unwind::Panic(PanicValue::Runtime(format!(
                    "sync/atomic: {what} of inconsistently typed value into Value"
                ))));
            }
        }
        let cell = self.atomic_word(v)?;
        Ok(vec![cell.swap(new, Ordering::SeqCst)])
    }

    /// `Value.CompareAndSwap`: compares dynamic types and value words (scalars).
    fn value_cas(&mut self, v: u64, old: u64, new: u64) -> NativeResult {
        let Some(ty) = self.iface_type(new) else {
            return Err(Unwind::Panic(PanicValue::Runtime(
                "sync/atomic: compare and swap of nil value into Value".to_string(),
            )));
        };
        let word = |x: u64| match self.heap.get(x) {
            Some(super::heap::Obj::Iface { ty, value }) => Some((*ty, *value)),
            _ => None,
        };
        let cell = self.atomic_word(v)?;
        let cur = cell.load(Ordering::SeqCst);
        if let Some((t, _)) = word(cur) {
            if t != ty {
                return Err(Unwind::Panic(PanicValue::Runtime(
                    "sync/atomic: compare and swap of inconsistently typed values into Value"
                        .to_string(),
                )));
            }
        }
        let same = cur == old || (word(cur).is_some() && word(cur) == word(old));
        if !same {
            return Ok(vec![0]);
        }
        let cell = self.atomic_word(v)?;
        Ok(vec![u64::from(
            cell.compare_exchange(cur, new, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok(),
        )])
    }

    /// `time.startTimer`: a new Timer/Ticker (channel or function) due in `d`.
    fn start_timer(&mut self, chan: u64, func: u64, d: i64, period: i64) -> NativeResult {
        self.mark_timer_chan(chan);
        let rt = self.rt.clone();
        let mut tab = rt.ttable.lock();
        tab.next_id += 1;
        let id = tab.next_id;
        tab.next_gen += 1;
        let gen = tab.next_gen;
        tab.active.insert(
            id,
            ActiveTimer {
                gen,
                chan,
                func,
                period,
            },
        );
        rt.add_time_timer(deadline(d), id, gen, chan);
        Ok(vec![id])
    }

    /// Deactivates a timer and drains its channel (Go 1.23): true if it had not yet fired,
    /// or had fired but its value was not yet received.
    fn deactivate_timer(&mut self, tab: &mut TimerTable, id: u64, chan: u64) -> bool {
        let pending = tab.active.remove(&id).is_some();
        if pending {
            self.rt.remove_time_timer(id);
        }
        let drained = chan != 0 && self.timer_drain(chan);
        pending || drained
    }

    fn stop_timer(&mut self, id: u64, chan: u64) -> NativeResult {
        let rt = self.rt.clone();
        let mut tab = rt.ttable.lock();
        let pending = self.deactivate_timer(&mut tab, id, chan);
        Ok(vec![u64::from(pending)])
    }

    fn reset_timer(&mut self, id: u64, chan: u64, func: u64, d: i64, period: i64) -> NativeResult {
        let rt = self.rt.clone();
        let mut tab = rt.ttable.lock();
        let pending = self.deactivate_timer(&mut tab, id, chan);
        tab.next_gen += 1;
        let gen = tab.next_gen;
        tab.active.insert(
            id,
            ActiveTimer {
                gen,
                chan,
                func,
                period,
            },
        );
        rt.add_time_timer(deadline(d), id, gen, chan);
        Ok(vec![u64::from(pending)])
    }

    /// A `time.Timer`/`Ticker` fires (called by the scheduler for a current generation):
    /// a Ticker re-arms at its next multiple of the period; the current time is sent on the
    /// channel, or the function starts in a new goroutine.
    pub(crate) fn fire_timer(&mut self, when: Instant, id: u64, gen: u64) {
        let rt = self.rt.clone();
        let mut tab = rt.ttable.lock();
        let Some(t) = tab.active.get(&id).copied() else {
            return;
        };
        if t.gen != gen {
            return;
        }
        if t.period > 0 {
            let period = t.period as u128;
            let behind = Instant::now().saturating_duration_since(when).as_nanos();
            let k = behind / period + 1;
            let step = u64::try_from(k * period).unwrap_or(u64::MAX / 2);
            let next = when
                .checked_add(Duration::from_nanos(step))
                .unwrap_or_else(|| deadline(t.period));
            rt.add_time_timer(next, id, gen, t.chan);
        } else {
            tab.active.remove(&id);
        }
        if t.chan != 0 {
            let now = self.time_now();
            self.timer_send(t.chan, now);
            drop(tab);
        } else {
            drop(tab);
            let _ = self.go(u32::MAX, t.func, Vec::new(), None, None);
        }
    }

    /// `runtime.readMemStats`: the heap's bytes and objects (a walk over every object, as
    /// Go's ReadMemStats stops the world), the resident set size, the collections.
    fn mem_stats(&self) -> Vec<u64> {
        use super::heap::Obj;
        let objects = self.heap.count();
        let slot = std::mem::size_of::<std::sync::OnceLock<Obj>>() as u64;
        let mut bytes = 0u64;
        for id in 1..=objects {
            let payload = match self.heap.get(id) {
                Some(Obj::Cells(words)) => 8 * words.len(),
                Some(Obj::Str(b)) => b.len(),
                Some(Obj::Map(m)) => {
                    let m = m.lock().map_or(0, |m| m.entries.len());
                    // An entry's two words plus its index entry (key and position).
                    m * 64
                }
                Some(Obj::Closure { captures, .. }) => 8 * captures.len(),
                Some(Obj::MapIter(it)) => it.lock().map_or(0, |it| 8 * it.1.len()),
                Some(Obj::Chan(c)) => c.lock().footprint(),
                _ => 0,
            };
            bytes += slot + payload as u64;
        }
        let (num_gc, last_gc) = self.rt.stats.gc();
        vec![bytes, objects, resident_bytes(), num_gc, last_gc as u64]
    }

    /// `runtime.Caller(skip)`: the pc (function and instruction), file and line of the
    /// `skip`th caller of the function calling Caller. Main's caller is the runtime's entry,
    /// reported as Go reports `runtime.main`.
    fn caller(&self, g: &super::Goroutine, skip: i64) -> Vec<u64> {
        let depth = usize::try_from(skip)
            .ok()
            .map(|s| g.frames.len().checked_sub(s + 1));
        let Some(Some(index)) = depth else {
            return vec![0, 0, 0, 0];
        };
        let frame = &g.frames[index];
        if frame.func == self.program.entry {
            return vec![1, self.heap.string(b"runtime/proc.go"), 302, 1];
        }
        let (_, position) = self.frame_position(frame.func, frame.pc);
        let (file, line) = position.rsplit_once(':').unwrap_or((&position, "0"));
        let pc = (u64::from(frame.func) + 1) << 32 | frame.pc as u64;
        vec![
            pc,
            self.heap.string(file.as_bytes()),
            line.parse().unwrap_or(0),
            1,
        ]
    }

    /// A `runtime.Stack`-style text of the calling goroutine: `goroutine N [running]:`, the
    /// frames of the natives Go would show (`extra`: name and line in Go's sources), the
    /// goroutine's frames; with `all`, the other goroutines that are parked.
    fn stack_text(&self, g: &super::Goroutine, extra: &[(&str, &str)], all: bool) -> String {
        let mut text = format!("goroutine {} [running]:\n", g.rt.id);
        for (name, position) in extra {
            text.push_str(&format!("{name}()\n\t{position} +0x0\n"));
        }
        for line in self.traceback(g) {
            text.push_str(&line);
            text.push('\n');
        }
        if all {
            for other in self.parked_goroutines() {
                text.push('\n');
                text.push_str(&other);
            }
        }
        text
    }

    /// A `time.Time` for now: `{wall: 1, ext: Unix nanoseconds, loc: nil}` (see `time.gom`).
    fn time_now(&self) -> u64 {
        self.heap.cells(vec![1, unix_nanos() as u64, 0])
    }

    fn sleep(&mut self, nanos: i64) -> NativeResult {
        if nanos <= 0 {
            return Ok(vec![]);
        }
        let when = deadline(nanos);
        Err(Park::unwind(
            WaitReason::Sleep,
            Held::None,
            ParkTo::Timer(when),
        ))
    }
}
