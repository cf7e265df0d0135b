//! The goroutine scheduler: Go's G/M/P model (`runtime/proc.go`) on crossbeam-deque.
//!
//! Glossary:
//! - **G**: a goroutine, a boxed [`Goroutine`] (registers + frames). Whoever holds the box owns
//!   the G: an M running it, a run queue, a channel's wait queue (through a [`Slot`]), the
//!   timer heap, or the `forever` list (nil-channel operations, `select {}`).
//! - **M**: an OS thread running [`Vm::m_loop`]. There are GOMAXPROCS Ms, each bound to one P
//!   for its whole life (no blocking natives yet, so no P hand-off).
//! - **P**: the M's [`Local`] state: a FIFO `Worker` run queue whose `Stealer` other Ms steal
//!   half of, a `runnext` slot (a G readied or spawned by the running G runs next and
//!   inherits the remaining fuel), the fuel budget and the schedule tick. The global
//!   `Injector` takes preempted and yielding Gs; it is checked first every 61st tick.
//!
//! Parking (Go's `gopark(unlockf)`): an operation that must block returns
//! `Unwind::Park(Park)` from the dispatch loop while it still holds the locks it decided
//! under (channel locks, the sync table lock) and after it enqueued a waiter pointing at an
//! empty [`Slot`]. [`Vm::commit`] then moves the G into the slot and only then drops the
//! locks, so a waker (who needs those locks to find the waiter) always finds the G there:
//! no lost wake-ups. The waker claims the slot (a CAS on `done`, which also makes select's
//! losing cases skip it), writes the results into the G's registers (it owns the G now),
//! and readies it into its own P's `runnext`.
//!
//! Idle and wake-up protocol: an M without work takes the `idle` lock, counts itself idle,
//! re-checks every queue, and waits on the condvar (with a timeout at the next timer). A
//! waker publishes work first, then (SeqCst) reads the idle count and notifies under the
//! lock; together with the re-check under the lock this is Dekker's pattern, so a wake-up
//! cannot be lost. Putting a G into `runnext` wakes nobody: this M runs it next.
//!
//! Deadlock (Go's `checkdead`): when the last M goes idle, with no runnable G and no pending
//! timer, nothing can ever wake a G: print Go's `fatal error: all goroutines are asleep -
//! deadlock!` with goroutine 1's wait reason and frames, exit 2.

use super::{Goroutine, PanicValue, Unwind, Vm};
use crate::bytecode::{self, Op};
use crossbeam_deque::{Injector, Steal, Stealer, Worker};
use parking_lot::{Condvar, Mutex};
use std::collections::BinaryHeap;
use std::io::Write;
use std::sync::atomic::{fence, AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) type GBox = Box<Goroutine>;

/// The panic text that marks a `runtime.Goexit` unwinding (deferred calls run, then the
/// goroutine ends without a panic).
pub(crate) const GOEXIT: &str = "\u{0}runtime.Goexit";

/// Whether an unwind is a `runtime.Goexit` that ran all deferred calls.
pub(crate) fn is_goexit(u: &Unwind) -> bool {
    matches!(u, Unwind::Panic(PanicValue::Runtime(m)) if m == GOEXIT)
}

/// Fuel units a G may use before it is preempted at its next safepoint.
pub(crate) const FUEL: i64 = 10_000;

/// Go's wait reasons (`runtime2.go`), printed by the deadlock report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WaitReason {
    ChanSend,
    ChanRecv,
    ChanSendNil,
    ChanRecvNil,
    Select,
    SelectNoCases,
    Sleep,
    WaitGroup,
    Mutex,
    RWMutexR,
    RWMutexW,
    CondWait,
    /// Not waiting: a yield (`runtime.Gosched`).
    Runnable,
}

impl WaitReason {
    fn text(self) -> &'static str {
        match self {
            WaitReason::ChanSend => "chan send",
            WaitReason::ChanRecv => "chan receive",
            WaitReason::ChanSendNil => "chan send (nil chan)",
            WaitReason::ChanRecvNil => "chan receive (nil chan)",
            WaitReason::Select => "select",
            WaitReason::SelectNoCases => "select (no cases)",
            WaitReason::Sleep => "sleep",
            WaitReason::WaitGroup => "sync.WaitGroup.Wait",
            WaitReason::Mutex => "sync.Mutex.Lock",
            WaitReason::RWMutexR => "sync.RWMutex.RLock",
            WaitReason::RWMutexW => "sync.RWMutex.Lock",
            WaitReason::CondWait => "sync.Cond.Wait",
            WaitReason::Runnable => "runnable",
        }
    }
}

/// The scheduler's fields of a goroutine.
#[derive(Default)]
pub(crate) struct GState {
    pub id: u64,
    /// A panic to raise when the G resumes (a sender woken by `close`).
    pub pending: Option<PanicValue>,
    /// The REPL entry this G runs (0: not an entry's G; see `vm/session.rs`).
    pub entry: u64,
}

/// Where a parked G waits to be claimed by exactly one waker (Go's `sudog.g` plus
/// `g.selectDone`: the select cases of one G share one slot).
#[derive(Default)]
pub(crate) struct Slot {
    done: AtomicBool,
    g: Mutex<Option<GBox>>,
}

impl Slot {
    /// Claims the slot for this waker; false if another waker (another select case) won.
    pub(crate) fn claim(&self) -> bool {
        !self.done.swap(true, Ordering::AcqRel)
    }

    pub(crate) fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// The parked G (present once the parker committed, which the waker's lock guarantees).
    pub(crate) fn take(&self) -> Option<GBox> {
        self.g.lock().take()
    }
}

/// Locks held across the park, released by the commit (held only to be dropped there).
#[allow(dead_code)]
pub(crate) enum Held {
    None,
    Chans(Vec<super::chan::ChanGuard>),
    Sync(super::rtnatives::SyncGuard),
}

/// Where the parked G goes.
pub(crate) enum ParkTo {
    Slot(Arc<Slot>),
    Timer(Instant),
    Forever,
    /// Back on the global run queue (`runtime.Gosched`).
    Yield,
}

/// A blocking goroutine's request to the scheduler (Go's `gopark` arguments).
pub(crate) struct Park {
    pub reason: WaitReason,
    pub held: Held,
    pub to: ParkTo,
}

impl Park {
    pub(crate) fn unwind(reason: WaitReason, held: Held, to: ParkTo) -> Unwind {
        Unwind::Park(Box::new(Park { reason, held, to }))
    }
}

/// What `run_slice` reports.
pub(crate) enum Event {
    Done,
    Yield,
}

/// The program's standard output, shared by all Ms: one lock per write (one `Print` call),
/// flushed at exit, before fatal output and whenever an M goes idle. Once closed (the
/// program is exiting) writes are dropped, as the process would already be gone in Go.
#[derive(Clone)]
pub(crate) struct Out(Arc<Mutex<OutInner>>);

struct OutInner {
    buf: std::io::BufWriter<Box<dyn Write + Send>>,
    closed: bool,
}

impl Out {
    /// Output to `sink` (stdout for programs, the REPL's printer in a session).
    pub(crate) fn new(sink: Box<dyn Write + Send>) -> Out {
        Out(Arc::new(Mutex::new(OutInner {
            buf: std::io::BufWriter::with_capacity(1 << 16, sink),
            closed: false,
        })))
    }

    /// Flushes and drops every later write.
    fn close(&self) {
        let mut o = self.0.lock();
        let _ = o.buf.flush();
        o.closed = true;
    }
}

impl Write for Out {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut o = self.0.lock();
        if !o.closed {
            o.buf.write_all(bytes)?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.lock().buf.flush()
    }
}

/// What a timer does when it fires: wake a sleeping G, or run a `time.Timer`/`Ticker`
/// (by id, only if its generation is still current: Stop and Reset bump it).
enum Wake {
    G(GBox),
    /// `chan` is the timer's channel (0 for `AfterFunc`).
    Timer {
        id: u64,
        gen: u64,
        chan: u64,
    },
}

/// An entry of the timer heap (ordered for a min-heap).
struct Timer {
    when: Instant,
    seq: u64,
    what: Wake,
}

/// An active `time.Timer` or `Ticker`: the channel it sends on (0 for `AfterFunc`), the
/// function it starts (0 for channel timers), its period (0 for one-shot timers).
#[derive(Clone, Copy)]
pub(crate) struct ActiveTimer {
    pub gen: u64,
    pub chan: u64,
    pub func: u64,
    pub period: i64,
}

/// The active `time.Timer`s and `Ticker`s by id. A one-shot timer leaves the table when it
/// fires or stops; Reset puts it back under a new generation.
#[derive(Default)]
pub(crate) struct TimerTable {
    pub next_id: u64,
    pub next_gen: u64,
    pub active: std::collections::HashMap<u64, ActiveTimer>,
}

impl PartialEq for Timer {
    fn eq(&self, other: &Self) -> bool {
        (self.when, self.seq) == (other.when, other.seq)
    }
}
impl Eq for Timer {}
impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Timer {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (other.when, other.seq).cmp(&(self.when, self.seq))
    }
}

/// Why goroutine 1 waits, and its frames `(func, pc)`.
type MainWait = (WaitReason, Vec<(u32, usize)>);

/// Scheduler state shared by all Ms.
pub(crate) struct Sched {
    injector: Injector<GBox>,
    stealers: Vec<Stealer<GBox>>,
    /// Held while an M goes idle or is woken; counts idle Ms (mirrored in `nidle`).
    idle: Mutex<usize>,
    nidle: AtomicUsize,
    wake: Condvar,
    timers: Mutex<BinaryHeap<Timer>>,
    ntimers: AtomicUsize,
    timer_seq: AtomicU64,
    next_gid: AtomicU64,
    /// Live goroutines (`runtime.NumGoroutine`).
    pub live: AtomicI64,
    pub nprocs: usize,
    /// What `runtime.GOMAXPROCS` reports (the M count stays `nprocs`).
    pub maxprocs: AtomicUsize,
    /// `time.Timer`s and `Ticker`s (lock order: this table, then the timer heap, then
    /// channels).
    pub ttable: Mutex<TimerTable>,
    stopping: AtomicBool,
    dying: AtomicBool,
    exit: Mutex<Option<i32>>,
    exited: Condvar,
    /// Goroutine 1's wait reason and frames `(func, pc)` while it is parked (for the deadlock
    /// report: the parked G itself may be unreachable inside a wait queue).
    main_wait: Mutex<Option<MainWait>>,
    /// Gs that can never be woken (nil channels, `select {}`), kept alive as Go keeps them.
    forever: Mutex<Vec<GBox>>,
    /// Mutexes, WaitGroups, notify lists: see `rtnatives.rs`.
    pub sync: Arc<Mutex<super::rtnatives::SyncTable>>,
    pub out: Out,
    /// Present when the Ms serve a REPL session (`vm/session.rs`) rather than one program.
    pub(crate) session: Option<Arc<super::session::Shared>>,
}

/// One P, owned by its M.
pub(crate) struct Local {
    pub index: usize,
    worker: Worker<GBox>,
    runnext: Option<GBox>,
    pub fuel: i64,
    tick: u64,
}

/// The fuel an instruction costs (its documented cost, roughly) and whether it is a
/// safepoint where a G may be preempted (a backward jump or a call).
pub(crate) fn cost(op: &Op, pc: usize) -> (i64, bool) {
    match op {
        Op::Jump { target } => (1, (*target as usize) <= pc),
        Op::Call { .. } | Op::CallClosure { .. } | Op::CallNative { .. } => (5, true),
        Op::CallIface { .. } => (6, true),
        Op::Go { .. } => (10, true),
        Op::Select { n, .. } => (5 + i64::from(*n), false),
        Op::Return { .. } | Op::NewZero { .. } | Op::NewCell { .. } => (2, false),
        _ => (1, false),
    }
}

/// GOMAXPROCS: the environment variable when valid, else the available cores.
fn gomaxprocs() -> usize {
    std::env::var("GOMAXPROCS")
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(256)
}

/// Runs a program on GOMAXPROCS Ms; returns the exit code.
pub(crate) fn run(program: bytecode::Program) -> i32 {
    let n = gomaxprocs();
    let workers: Vec<Worker<GBox>> = (0..n).map(|_| Worker::new_fifo()).collect();
    let stealers = workers.iter().map(Worker::stealer).collect();
    let out = Out::new(Box::new(std::io::stdout()));
    let rt = Arc::new(Sched::new(stealers, n, out, None));
    let mut locals = workers
        .into_iter()
        .enumerate()
        .map(|(index, worker)| Local {
            index,
            worker,
            runnext: None,
            fuel: FUEL,
            tick: 0,
        });
    let Some(first) = locals.next() else {
        return 2;
    };
    let entry = program.entry;
    let mut vm0 = Vm::new(program, rt.clone(), first);
    let mut main = Box::new(Goroutine::new());
    main.rt.id = rt.new_gid();
    if let Err(u) = vm0.push_frame(&mut main, entry, &[], 0, 0, true) {
        let code = vm0.die(&main, u);
        vm0.flush();
        return code;
    }
    vm0.m.runnext = Some(main);
    let mut vms: Vec<Vm> = locals.map(|l| vm0.for_m(l)).collect();
    vms.insert(0, vm0);
    let mut handles = Vec::new();
    for mut vm in vms {
        let spawned = std::thread::Builder::new()
            .name(format!("gom-m{}", vm.m.index))
            .stack_size(64 << 20)
            .spawn(move || vm.m_loop());
        match spawned {
            Ok(h) => handles.push(h),
            Err(e) => {
                eprintln!("gom: cannot start a thread: {e}");
                rt.finish(2);
            }
        }
    }
    let code = rt.wait_exit();
    for h in handles {
        let _ = h.join();
    }
    code
}

impl Local {
    pub(crate) fn new(index: usize, worker: Worker<GBox>) -> Local {
        Local {
            index,
            worker,
            runnext: None,
            fuel: FUEL,
            tick: 0,
        }
    }
}

impl Sched {
    pub(crate) fn new(
        stealers: Vec<Stealer<GBox>>,
        nprocs: usize,
        out: Out,
        session: Option<Arc<super::session::Shared>>,
    ) -> Sched {
        Sched {
            injector: Injector::new(),
            stealers,
            idle: Mutex::new(0),
            nidle: AtomicUsize::new(0),
            wake: Condvar::new(),
            timers: Mutex::new(BinaryHeap::new()),
            ntimers: AtomicUsize::new(0),
            timer_seq: AtomicU64::new(0),
            next_gid: AtomicU64::new(1),
            live: AtomicI64::new(0),
            nprocs,
            maxprocs: AtomicUsize::new(nprocs),
            ttable: Mutex::new(TimerTable::default()),
            stopping: AtomicBool::new(false),
            dying: AtomicBool::new(false),
            exit: Mutex::new(None),
            exited: Condvar::new(),
            main_wait: Mutex::new(None),
            forever: Mutex::new(Vec::new()),
            sync: Arc::new(Mutex::new(super::rtnatives::SyncTable::default())),
            out,
            session,
        }
    }

    /// A new goroutine id (main is 1, then in creation order) and one more live G.
    pub(crate) fn new_gid(&self) -> u64 {
        self.live.fetch_add(1, Ordering::Relaxed);
        self.next_gid.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }

    /// Ends the program with `code` (the first caller wins): output is flushed and closed,
    /// every M stops at its next schedule point.
    pub(crate) fn finish(&self, code: i32) {
        if let Some(session) = &self.session {
            session.exited(code);
        }
        self.out.close();
        let mut exit = self.exit.lock();
        if exit.is_none() {
            *exit = Some(code);
        }
        self.stopping.store(true, Ordering::Release);
        self.exited.notify_all();
        drop(exit);
        let _idle = self.idle.lock();
        self.wake.notify_all();
    }

    fn wait_exit(&self) -> i32 {
        let mut exit = self.exit.lock();
        loop {
            if let Some(code) = *exit {
                return code;
            }
            self.exited.wait(&mut exit);
        }
    }

    /// Wakes an idle M if there is one (called after publishing stealable work).
    pub(crate) fn wakep(&self) {
        fence(Ordering::SeqCst);
        if self.nidle.load(Ordering::SeqCst) > 0 {
            let _idle = self.idle.lock();
            self.wake.notify_one();
        }
    }

    /// Puts a G on the global queue.
    pub(crate) fn inject(&self, g: GBox) {
        self.injector.push(g);
        self.wakep();
    }

    fn add_timer(&self, when: Instant, what: Wake) {
        let seq = self.timer_seq.fetch_add(1, Ordering::Relaxed);
        self.timers.lock().push(Timer { when, seq, what });
        self.ntimers.fetch_add(1, Ordering::SeqCst);
        // An idle M may be waiting without a timeout (or a later one): let it re-arm.
        fence(Ordering::SeqCst);
        if self.nidle.load(Ordering::SeqCst) > 0 {
            let _idle = self.idle.lock();
            self.wake.notify_all();
        }
    }

    /// Schedules `time.Timer` `id` (generation `gen`) to fire at `when`.
    pub(crate) fn add_time_timer(&self, when: Instant, id: u64, gen: u64, chan: u64) {
        self.add_timer(when, Wake::Timer { id, gen, chan });
    }

    /// Removes `time.Timer` `id`'s entries from the heap (a stopped timer keeps nothing
    /// alive, so the deadlock detector does not wait for it).
    pub(crate) fn remove_time_timer(&self, id: u64) {
        let mut heap = self.timers.lock();
        let before = heap.len();
        heap.retain(|t| !matches!(t.what, Wake::Timer { id: i, .. } if i == id));
        self.ntimers
            .fetch_sub(before - heap.len(), Ordering::SeqCst);
    }

    /// The earliest timer, if any.
    fn next_timer(&self) -> Option<Instant> {
        if self.ntimers.load(Ordering::SeqCst) == 0 {
            return None;
        }
        self.timers.lock().peek().map(|t| t.when)
    }

    /// Removes the timers due by now.
    fn due_timers(&self) -> Vec<(Instant, Wake)> {
        if self.ntimers.load(Ordering::Relaxed) == 0 {
            return Vec::new();
        }
        let now = Instant::now();
        let mut heap = self.timers.lock();
        let mut due = Vec::new();
        while heap.peek().is_some_and(|t| t.when <= now) {
            if let Some(t) = heap.pop() {
                due.push((t.when, t.what));
            }
        }
        self.ntimers.fetch_sub(due.len(), Ordering::SeqCst);
        due
    }

    /// Some work anywhere that this M may take (under the idle lock).
    fn steal_any(&self, into: &Worker<GBox>) -> Option<GBox> {
        if let Some(g) = steal(|| self.injector.steal_batch_and_pop(into)) {
            return Some(g);
        }
        for s in &self.stealers {
            if let Some(g) = steal(|| s.steal_batch_and_pop(into)) {
                return Some(g);
            }
        }
        None
    }
}

/// Retries a steal until it succeeds or finds nothing.
fn steal(mut f: impl FnMut() -> Steal<GBox>) -> Option<GBox> {
    loop {
        match f() {
            Steal::Success(g) => return Some(g),
            Steal::Empty => return None,
            Steal::Retry => std::hint::spin_loop(),
        }
    }
}

impl Vm {
    /// The M's schedule loop: find a runnable G, run it, until the program ends.
    pub(crate) fn m_loop(&mut self) {
        while let Some(g) = self.find_runnable() {
            self.execute(g);
        }
    }

    /// Go's `findRunnable`: timers, the global queue every 61st tick, `runnext`, the local
    /// queue, the global queue, stealing; then idling (and the deadlock check).
    fn find_runnable(&mut self) -> Option<GBox> {
        loop {
            if self.rt.stopping() {
                return None;
            }
            self.session_poll();
            self.m.tick += 1;
            self.run_timers();
            if self.m.tick % 61 == 0 {
                if let Some(g) = steal(|| self.rt.injector.steal()) {
                    self.m.fuel = FUEL;
                    return Some(g);
                }
            }
            if let Some(g) = self.m.runnext.take() {
                // Inherits the time slice, as in Go.
                if self.m.fuel <= 0 {
                    self.m.fuel = FUEL;
                }
                return Some(g);
            }
            self.m.fuel = FUEL;
            if let Some(g) = self.m.worker.pop() {
                return Some(g);
            }
            if let Some(g) = self.steal_work() {
                return Some(g);
            }
            if let Some(g) = self.idle() {
                return Some(g);
            }
        }
    }

    /// Takes from the global queue, then half of another P's queue (random start).
    fn steal_work(&mut self) -> Option<GBox> {
        if let Some(g) = steal(|| self.rt.injector.steal_batch_and_pop(&self.m.worker)) {
            return Some(g);
        }
        let n = self.rt.stealers.len();
        let start = (self.random() % n as u64) as usize;
        for i in 0..n {
            let victim = (start + i) % n;
            if victim == self.m.index {
                continue;
            }
            let s = &self.rt.stealers[victim];
            if let Some(g) = steal(|| s.steal_batch_and_pop(&self.m.worker)) {
                return Some(g);
            }
        }
        None
    }

    /// Readies the sleepers whose time has come into this P's queue.
    fn run_timers(&mut self) {
        let due = self.rt.due_timers();
        let many = due.len() > 1;
        for (when, what) in due {
            match what {
                Wake::G(g) => self.m.worker.push(g),
                Wake::Timer { id, gen, .. } => self.fire_timer(when, id, gen),
            }
        }
        if many {
            self.rt.wakep();
        }
    }

    /// Parks this M until work or a timer arrives. `None`: look again (or the program ends).
    fn idle(&mut self) -> Option<GBox> {
        let _ = self.out.flush();
        let rt = self.rt.clone();
        let mut count = rt.idle.lock();
        *count += 1;
        rt.nidle.store(*count, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        let found = loop {
            if rt.stopping() {
                break None;
            }
            if let Some(g) = rt.steal_any(&self.m.worker) {
                break Some(g);
            }
            if rt.session.as_ref().is_some_and(|s| s.has_update()) {
                break None;
            }
            match rt.next_timer() {
                Some(when) if when <= Instant::now() => break None,
                Some(_) if *count == rt.nprocs && !self.timers_can_wake() => {
                    // checkdead with Go 1.23 timers: a channel timer nobody is blocked on
                    // wakes no one (Go keeps it off the heap until a receiver blocks).
                    if self.session_deadlock() {
                        rt.wake.wait_for(&mut count, Duration::from_millis(50));
                        continue;
                    }
                    drop(count);
                    self.deadlock();
                    return None;
                }
                Some(when) => {
                    let wait = when.saturating_duration_since(Instant::now());
                    rt.wake
                        .wait_for(&mut count, wait.max(Duration::from_micros(50)));
                }
                None if *count == rt.nprocs => {
                    // checkdead: every M is idle, nothing is runnable, no timer is pending.
                    if self.session_deadlock() {
                        rt.wake.wait(&mut count);
                        continue;
                    }
                    drop(count);
                    self.deadlock();
                    return None;
                }
                None => rt.wake.wait(&mut count),
            }
        };
        *count -= 1;
        rt.nidle.store(*count, Ordering::SeqCst);
        found
    }

    /// Whether a pending timer could wake a goroutine: a sleeper, an `AfterFunc`, or a channel
    /// timer whose channel has a blocked receiver (a channel busy right now counts as one).
    fn timers_can_wake(&self) -> bool {
        let chans: Option<Vec<u64>> = self
            .rt
            .timers
            .lock()
            .iter()
            .map(|t| match t.what {
                Wake::Timer { chan, .. } if chan != 0 => Some(chan),
                _ => None,
            })
            .collect();
        match chans {
            None => true,
            Some(chans) => chans
                .into_iter()
                .any(|c| self.chan_has_receiver(c) != Some(false)),
        }
    }

    /// Prints Go's deadlock report and ends the program.
    fn deadlock(&mut self) {
        if self.rt.dying.swap(true, Ordering::AcqRel) {
            return;
        }
        self.rt.out.close();
        let text = self.deadlock_text();
        let _ = std::io::stderr().write_all(text.as_bytes());
        self.rt.finish(2);
    }

    /// Go's deadlock report: goroutine 1's wait reason and frames.
    pub(crate) fn deadlock_text(&self) -> String {
        let main = self.rt.main_wait.lock().take();
        match main {
            Some((reason, frames)) => format!(
                "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [{}]:\n{}\n",
                reason.text(),
                self.format_frames(&frames).join("\n")
            ),
            None => {
                "fatal error: no goroutines (main called runtime.Goexit) - deadlock!\n".to_string()
            }
        }
    }

    /// Frames `(func, pc)` as Go's traceback prints them, innermost first.
    fn format_frames(&self, frames: &[(u32, usize)]) -> Vec<String> {
        let mut lines = Vec::new();
        for &(f, pc) in frames.iter().rev() {
            if f == self.program.entry {
                continue;
            }
            let func = &self.program.functions[f as usize];
            let span = func
                .spans
                .get(pc.saturating_sub(1))
                .copied()
                .unwrap_or_default();
            let (file, line) = match self.program.files.get(func.file as usize) {
                Some(file) => (file.name.clone(), file.line_col(span.start).0),
                None => ("?".to_string(), 0),
            };
            let args = if func.nparams > 0 { "..." } else { "" };
            lines.push(format!("{}({args})\n\t{file}:{line} +0x0", func.name));
        }
        lines
    }

    /// Runs a G for one time slice and acts on how it stopped.
    fn execute(&mut self, mut g: GBox) {
        if self.rt.session.is_some() {
            self.execute_in_session(g);
            return;
        }
        match self.run_slice(&mut g) {
            Ok(Event::Done) => {
                self.rt.live.fetch_sub(1, Ordering::Relaxed);
                if g.rt.id == 1 {
                    self.rt.finish(0);
                }
            }
            Ok(Event::Yield) => self.rt.inject(g),
            Err(Unwind::Park(p)) => self.commit(g, *p),
            Err(u) if is_goexit(&u) => {
                // The goroutine ends; when main exits so, the program lives on until every
                // other goroutine is done or asleep, then `checkdead` reports it.
                self.rt.live.fetch_sub(1, Ordering::Relaxed);
                if g.rt.id == 1 {
                    *self.rt.main_wait.lock() = None;
                }
            }
            Err(u) => {
                // Only the first goroutine to die reports; the program is ending.
                if self.rt.dying.swap(true, Ordering::AcqRel) {
                    return;
                }
                self.rt.out.close();
                let code = self.die(&g, u);
                self.rt.finish(code);
            }
        }
    }

    /// The second half of `gopark`: the G goes where its waker will look, then the locks the
    /// blocking operation decided under are released.
    pub(crate) fn commit(&mut self, g: GBox, park: Park) {
        if g.rt.id == 1 {
            let frames = g.frames.iter().map(|f| (f.func, f.pc)).collect();
            *self.rt.main_wait.lock() = Some((park.reason, frames));
        }
        match park.to {
            ParkTo::Slot(slot) => *slot.g.lock() = Some(g),
            ParkTo::Timer(when) => self.rt.add_timer(when, Wake::G(g)),
            ParkTo::Forever => self.rt.forever.lock().push(g),
            ParkTo::Yield => self.rt.inject(g),
        }
        drop(park.held);
    }

    /// Makes a woken G runnable: it runs next on this P (Go's `ready`).
    pub(crate) fn ready(&mut self, g: GBox) {
        if g.rt.id == 1 {
            *self.rt.main_wait.lock() = None;
        }
        if let Some(old) = self.m.runnext.replace(g) {
            self.m.worker.push(old);
            self.rt.wakep();
        }
    }

    /// `go f(args)`: a new G that calls the function, runs next on this P.
    pub(crate) fn go(
        &mut self,
        func: u32,
        callee: u64,
        mut args: Vec<u64>,
        iface: Option<(u32, u32)>,
    ) -> Result<(), Unwind> {
        let mut g = Box::new(Goroutine::new());
        let (func, closure) = match iface {
            Some((ty, method)) => {
                let (target, value) =
                    self.resolve_iface_call(args.first().copied().unwrap_or(0), ty, method)?;
                if let Some(first) = args.first_mut() {
                    *first = value;
                }
                (target, 0)
            }
            None if func == u32::MAX => self.closure_target(callee, &mut args)?,
            None => (func, 0),
        };
        if self.program.functions[func as usize].native.is_some() {
            // A native runs to completion at once; it has no goroutine of its own to show.
            self.call_native(&mut g, func, &args)?;
            return Ok(());
        }
        g.rt.id = self.rt.new_gid();
        self.push_frame(&mut g, func, &args, 0, closure, true)?;
        self.ready(g);
        Ok(())
    }

    /// The function a closure value calls, with its bound receiver put first in `args`.
    fn closure_target(&self, callee: u64, args: &mut Vec<u64>) -> Result<(u32, u64), Unwind> {
        let Some(super::heap::Obj::Closure {
            func,
            recv,
            iface_method,
            ..
        }) = self.heap.get(callee)
        else {
            return Err(self.nil_deref());
        };
        if let Some(r) = recv {
            args.insert(0, *r);
        }
        if let Some((iface, m)) = iface_method {
            let (target, value) =
                self.resolve_iface_call(args.first().copied().unwrap_or(0), *iface, *m)?;
            if let Some(first) = args.first_mut() {
                *first = value;
            }
            return Ok((target, 0));
        }
        Ok((*func, callee))
    }
}
