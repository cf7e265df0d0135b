//! The goroutine scheduler: Go's G/M/P model (`runtime/proc.go`) on crossbeam-deque.
//!
//! Glossary:
//! - **G**: a goroutine, a boxed [`Goroutine`] (registers + frames). Whoever holds the box owns
//!   the G: an M running it, a run queue, a channel's wait queue (through a [`Slot`]), the
//!   timer heap, or the `forever` list (nil-channel operations, `select {}`).
//! - **M**: an OS thread running [`Vm::m_loop`], bound to one P for its whole life. GOMAXPROCS
//!   Ms start with the program; `runtime.GOMAXPROCS(n)` starts the Ms of new Ps, and an M whose
//!   P is beyond GOMAXPROCS *retires*: it moves its Gs to the global queue and sleeps until
//!   GOMAXPROCS covers its P again. A native blocked in an OS call ([`Vm::blocking`]) lends
//!   its P's place: one P more may run Gs until the call returns.
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
//! no lost wake-ups. The waker claims the slot (a CAS on its state, which also makes
//! select's losing cases skip it), writes the results into the G's registers (it owns the G
//! now), and readies it into its own P's `runnext`. Channel operations park every G on its
//! own slot, re-armed with a new generation for each park, so parking allocates nothing.
//!
//! Idle and wake-up protocol: an M without work takes the `idle` lock, counts itself idle,
//! re-checks every queue, and waits on the condvar (with a timeout at the next timer). A
//! waker publishes work first, then (SeqCst) reads the idle count and notifies under the
//! lock; together with the re-check under the lock this is Dekker's pattern, so a wake-up
//! cannot be lost. Putting a G into `runnext` wakes nobody: this M runs it next (and a G
//! it displaces wakes an M only when the local queue then holds more than it). At most one
//! woken M is on its way at a time (`spinning`).
//!
//! Deadlock (Go's `checkdead`): when the last M goes idle (idle and retired Ms number the Ms
//! started), with no runnable G and no timer that could wake one, nothing can ever wake a G:
//! print Go's `fatal error: all goroutines are asleep - deadlock!` and every parked G as Go's
//! traceback does (`goroutine N [wait reason]:`, its frames, `created by ...`), exit 2. The
//! parked Gs are found through the slots each P records when it parks one ([`ParkedSlots`])
//! and the `forever` list; a G parked on a slot records its wait reason in its `GState`.

use super::{Goroutine, PanicValue, Unwind, Vm};
use crate::bytecode;
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
    /// Why it waits, set when it parks (for the deadlock report).
    pub wait: Option<WaitReason>,
    /// The `go` statement that started it (none for main and `AfterFunc` goroutines).
    pub created_by: Option<CreatedBy>,
    /// The REPL entry this G runs (0: not an entry's G; see `vm/session.rs`).
    pub entry: u64,
    /// The G's own slot, reused by every channel operation and `select` it blocks in (Go's
    /// per-G `selectDone` and cached sudogs): made and registered for the deadlock report
    /// on its first park, re-armed with a new generation for each later one.
    pub slot: Option<Arc<Slot>>,
}

/// Where a goroutine was started: the creating goroutine and its frame `(func, pc)` at the
/// `go` statement (Go's `created by main.main in goroutine 1`).
#[derive(Clone, Copy)]
pub(crate) struct CreatedBy {
    pub parent: u64,
    pub func: u32,
    pub pc: usize,
}

/// The slots of parked Gs, kept by the P whose M parked them (so pushing is uncontended):
/// the deadlock report finds every blocked G through them. Entries whose G was woken are
/// dropped when the list has doubled since the last purge.
#[derive(Default)]
struct ParkedSlots {
    slots: Vec<std::sync::Weak<Slot>>,
    purge_at: usize,
}

impl ParkedSlots {
    /// Registers a slot. Purging keeps every slot still alive: a G's own slot is registered
    /// once and serves all its later parks (it dies with the G); a one-time slot of `sync`
    /// dies when its waker drops it.
    fn push(&mut self, slot: &Arc<Slot>) {
        if self.slots.len() >= self.purge_at.max(64) {
            self.slots.retain(|w| w.strong_count() > 0);
            self.purge_at = self.slots.len() * 2;
        }
        self.slots.push(Arc::downgrade(slot));
    }
}

/// Where a parked G waits to be claimed by exactly one waker (Go's `sudog.g` plus
/// `g.selectDone`: the select cases of one G share one slot).
///
/// A slot may be reused for many parks (a G's own slot, see [`GState::slot`]): `state` is
/// `generation << 1 | done`, each park re-arms it with the next generation, and a waiter
/// entry records the generation it was made for, so the entries a select left behind in
/// the queues of its losing cases can never claim a later park ([`Slot::claim_at`]).
#[derive(Default)]
pub(crate) struct Slot {
    state: AtomicU64,
    g: Mutex<Option<GBox>>,
}

impl Slot {
    /// Claims the slot for this waker; false if another waker (another select case) won.
    /// (For one-time slots; a reused slot is claimed with [`Slot::claim_at`].)
    pub(crate) fn claim(&self) -> bool {
        self.state.fetch_or(1, Ordering::AcqRel) & 1 == 0
    }

    /// Claims park number `gen` of the slot; false if it was claimed already or the slot has
    /// moved on to a later park.
    pub(crate) fn claim_at(&self, gen: u64) -> bool {
        self.state
            .compare_exchange(gen << 1, gen << 1 | 1, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// Whether the current park was claimed (the G is not waiting here).
    pub(crate) fn is_done(&self) -> bool {
        self.state.load(Ordering::Acquire) & 1 == 1
    }

    /// Whether park number `gen` is over (claimed, or a later park replaced it).
    pub(crate) fn is_done_at(&self, gen: u64) -> bool {
        self.state.load(Ordering::Acquire) != gen << 1
    }

    /// Opens the next park of a claimed slot and returns its generation. Only the slot's
    /// G calls it, while it runs: its last park was claimed, so no waker writes `state`.
    fn rearm(&self) -> u64 {
        let gen = (self.state.load(Ordering::Acquire) >> 1) + 1;
        self.state.store(gen << 1, Ordering::Release);
        gen
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
    Chan(super::chan::ChanGuard),
    /// A select's channels.
    Chans(super::chan::Guards),
    Sync(super::syncnatives::SyncGuard),
}

/// Where the parked G goes.
pub(crate) enum ParkTo {
    Slot(Arc<Slot>),
    /// The G's own slot ([`Vm::own_slot`]), already registered for the deadlock report.
    Own,
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

/// Scheduler state shared by all Ms.
pub(crate) struct Sched {
    injector: Injector<GBox>,
    stealers: Vec<Stealer<GBox>>,
    /// Held while an M goes idle or is woken; counts idle Ms (mirrored in `nidle`).
    idle: Mutex<usize>,
    nidle: AtomicUsize,
    wake: Condvar,
    /// An M was woken by [`Sched::wakep`] and has not yet looked for work (Go's
    /// `nmspinning`): further `wakep`s leave the other idle Ms asleep, since the woken one
    /// will find the work they published.
    spinning: AtomicBool,
    timers: Mutex<BinaryHeap<Timer>>,
    ntimers: AtomicUsize,
    timer_seq: AtomicU64,
    next_gid: AtomicU64,
    /// Live goroutines (`runtime.NumGoroutine`).
    pub live: AtomicI64,
    /// GOMAXPROCS: the Ps that run Gs are `0..maxprocs`; an M whose P is beyond it retires
    /// (hands its queue to the global one and sleeps on `retired`) until it is raised again.
    pub maxprocs: AtomicUsize,
    /// Run queues of Ps that no M owns yet.
    spare: Mutex<Vec<Option<Worker<GBox>>>>,
    /// Ms started; each owns P `index` for its life. The deadlock check compares the idle
    /// count (idle and retired Ms) with it.
    spawned: AtomicUsize,
    retired: Condvar,
    threads: Mutex<Vec<std::thread::JoinHandle<()>>>,
    /// Serialises `runtime.GOMAXPROCS` calls.
    resize: Mutex<()>,
    /// Ms inside [`Vm::blocking`].
    blocked: AtomicUsize,
    /// `time.Timer`s and `Ticker`s (lock order: this table, then the timer heap, then
    /// channels).
    pub ttable: Mutex<TimerTable>,
    stopping: AtomicBool,
    dying: AtomicBool,
    exit: Mutex<Option<i32>>,
    exited: Condvar,
    /// Goroutine 1 ended by `runtime.Goexit` (the program lives on without it).
    main_exited: AtomicBool,
    /// Per P: the slots of Gs it parked (see [`ParkedSlots`]).
    parked: Vec<Mutex<ParkedSlots>>,
    /// Gs that can never be woken (nil channels, `select {}`), kept alive as Go keeps them.
    forever: Mutex<Vec<GBox>>,
    /// Collection counters and `runtime/debug` settings.
    pub stats: super::rtnatives::RtStats,
    /// Mutexes, WaitGroups, notify lists: see `syncnatives.rs`.
    pub sync: Arc<Mutex<super::syncnatives::SyncTable>>,
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
    /// The reused buffers of `select` (its cases, its channels), so a select allocates
    /// nothing once the P has seen one as large.
    pub(crate) sel_cases: Vec<super::chan::SelCase>,
    pub(crate) sel_words: Vec<u64>,
    /// Finished goroutines kept for reuse with their register and frame vectors (Go's
    /// per-P `gFree` list): a `go` statement then allocates nothing.
    gfree: Vec<GBox>,
    /// The reused argument buffer of `go` statements.
    pub(crate) go_args: Vec<u64>,
}

/// Finished goroutines a P keeps for reuse.
const GFREE_MAX: usize = 256;

/// GOMAXPROCS: the environment variable when valid, else the available cores.
fn gomaxprocs() -> usize {
    std::env::var("GOMAXPROCS")
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(MAX_PROCS)
}

/// The most Ps a program may have (`GOMAXPROCS` above it is capped).
const MAX_PROCS: usize = 256;

/// Runs a program on GOMAXPROCS Ms; returns the exit code. The run queues of all
/// `MAX_PROCS` possible Ps exist from the start (so stealers never change); the Ms beyond
/// GOMAXPROCS start when `runtime.GOMAXPROCS` raises it.
pub(crate) fn run(program: bytecode::Program) -> i32 {
    let n = gomaxprocs();
    let workers: Vec<Worker<GBox>> = (0..MAX_PROCS).map(|_| Worker::new_fifo()).collect();
    let stealers = workers.iter().map(Worker::stealer).collect();
    let out = Out::new(Box::new(std::io::stdout()));
    let rt = Arc::new(Sched::new(stealers, n, workers, out, None));
    let Some(first) = rt.take_p(0) else {
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
    let others: Vec<Vm> = (1..n)
        .filter_map(|i| rt.take_p(i))
        .map(|l| vm0.for_m(l))
        .collect();
    rt.start_m(vm0);
    for vm in others {
        rt.start_m(vm);
    }
    let code = rt.wait_exit();
    let handles = std::mem::take(&mut *rt.threads.lock());
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
            sel_cases: Vec::new(),
            sel_words: Vec::new(),
            gfree: Vec::new(),
            go_args: Vec::new(),
        }
    }
}

impl Sched {
    /// The scheduler over the run queues `stealers`; `workers` are the Ps' own queues, taken
    /// by the Ms as they start (a REPL session passes none and brings its one P itself).
    pub(crate) fn new(
        stealers: Vec<Stealer<GBox>>,
        nprocs: usize,
        workers: Vec<Worker<GBox>>,
        out: Out,
        session: Option<Arc<super::session::Shared>>,
    ) -> Sched {
        Sched {
            injector: Injector::new(),
            stealers,
            spare: Mutex::new(workers.into_iter().map(Some).collect()),
            spawned: AtomicUsize::new(0),
            retired: Condvar::new(),
            threads: Mutex::new(Vec::new()),
            resize: Mutex::new(()),
            blocked: AtomicUsize::new(0),
            idle: Mutex::new(0),
            nidle: AtomicUsize::new(0),
            wake: Condvar::new(),
            spinning: AtomicBool::new(false),
            timers: Mutex::new(BinaryHeap::new()),
            ntimers: AtomicUsize::new(0),
            timer_seq: AtomicU64::new(0),
            next_gid: AtomicU64::new(1),
            live: AtomicI64::new(0),
            maxprocs: AtomicUsize::new(nprocs),
            ttable: Mutex::new(TimerTable::default()),
            stopping: AtomicBool::new(false),
            dying: AtomicBool::new(false),
            exit: Mutex::new(None),
            exited: Condvar::new(),
            main_exited: AtomicBool::new(false),
            parked: (0..MAX_PROCS).map(|_| Mutex::default()).collect(),
            forever: Mutex::new(Vec::new()),
            stats: super::rtnatives::RtStats::default(),
            sync: Arc::new(Mutex::new(super::syncnatives::SyncTable::default())),
            out,
            session,
        }
    }

    /// A new goroutine id (main is 1, then in creation order) and one more live G.
    pub(crate) fn new_gid(&self) -> u64 {
        self.live.fetch_add(1, Ordering::Relaxed);
        self.next_gid.fetch_add(1, Ordering::Relaxed)
    }

    /// P `index` for a new M, if no M owns it yet.
    fn take_p(&self, index: usize) -> Option<Local> {
        let worker = self.spare.lock().get_mut(index)?.take()?;
        Some(Local::new(index, worker))
    }

    /// Starts an M (an OS thread running `vm`'s schedule loop).
    pub(crate) fn start_m(&self, mut vm: Vm) {
        self.spawned.fetch_add(1, Ordering::SeqCst);
        let spawned = std::thread::Builder::new()
            .name(format!("gom-m{}", vm.m.index))
            .stack_size(64 << 20)
            .spawn(move || vm.m_loop());
        match spawned {
            Ok(h) => self.threads.lock().push(h),
            Err(e) => {
                eprintln!("gom: cannot start a thread: {e}");
                self.finish(2);
            }
        }
    }

    /// The Ps that may run Gs: GOMAXPROCS, plus one for each M blocked in [`Vm::blocking`]
    /// (whose P is handed on).
    fn active(&self) -> usize {
        self.maxprocs.load(Ordering::Relaxed) + self.blocked.load(Ordering::Relaxed)
    }

    /// Makes sure `n` Ps (at most `MAX_PROCS`) have an M and that retired ones re-check.
    fn ensure_ms(&self, n: usize, from: &Vm) {
        let ps: Vec<Local> = (0..n.min(MAX_PROCS))
            .filter_map(|i| self.take_p(i))
            .collect();
        for p in ps {
            self.start_m(from.for_m(p));
        }
        let _idle = self.idle.lock();
        self.retired.notify_all();
        self.wake.notify_all();
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
        self.retired.notify_all();
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
    ///
    /// At most one M is being woken at a time: it clears `spinning` when its wait returns and
    /// then re-checks every queue (under the idle lock), so work published while `spinning`
    /// was set is seen by that check (all SeqCst: the publisher's push, fence and swap are
    /// ordered against the woken M's clear and its check).
    pub(crate) fn wakep(&self) {
        fence(Ordering::SeqCst);
        if self.nidle.load(Ordering::SeqCst) > 0 && !self.spinning.swap(true, Ordering::SeqCst) {
            let _idle = self.idle.lock();
            if !self.wake.notify_one() {
                // Nobody waits on `wake` (the idle Ms are retired, or just timed out and will
                // re-check anyway).
                self.spinning.store(false, Ordering::SeqCst);
            }
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

    /// Registers a new timer (sending on `chan`, or starting `func` in a goroutine; repeating
    /// every `period` ns if positive) due at `when`, and returns its id.
    pub(crate) fn start_timer(&self, when: Instant, chan: u64, func: u64, period: i64) -> u64 {
        let mut tab = self.ttable.lock();
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
        self.add_time_timer(when, id, gen, chan);
        id
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
        for s in &self.stealers[..self.spawned.load(Ordering::SeqCst)] {
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
            if self.m.index >= self.rt.active() {
                self.retire();
                continue;
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
        let n = self.rt.spawned.load(Ordering::Relaxed).max(1);
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
            if rt.stopping() || self.m.index >= rt.active() {
                break None;
            }
            let all_idle = *count == rt.spawned.load(Ordering::SeqCst);
            if let Some(g) = rt.steal_any(&self.m.worker) {
                break Some(g);
            }
            if rt.session.as_ref().is_some_and(|s| s.has_request()) {
                break None;
            }
            match rt.next_timer() {
                Some(when) if when <= Instant::now() => break None,
                Some(_) if all_idle && !self.timers_can_wake() => {
                    // checkdead with Go 1.23 timers: a channel timer nobody is blocked on
                    // wakes no one (Go keeps it off the heap until a receiver blocks).
                    if self.session_deadlock() {
                        rt.wake.wait_for(&mut count, Duration::from_millis(50));
                        rt.spinning.store(false, Ordering::SeqCst);
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
                    rt.spinning.store(false, Ordering::SeqCst);
                }
                None if all_idle => {
                    // checkdead: every M is idle, nothing is runnable, no timer is pending.
                    if self.session_deadlock() {
                        rt.wake.wait(&mut count);
                        rt.spinning.store(false, Ordering::SeqCst);
                        continue;
                    }
                    drop(count);
                    self.deadlock();
                    return None;
                }
                None => {
                    rt.wake.wait(&mut count);
                    rt.spinning.store(false, Ordering::SeqCst);
                }
            }
        };
        *count -= 1;
        rt.nidle.store(*count, Ordering::SeqCst);
        found
    }

    /// This M's P is beyond GOMAXPROCS: its Gs go to the global queue and the M sleeps
    /// (counted as idle) until GOMAXPROCS covers its P again or the program ends.
    fn retire(&mut self) {
        if let Some(g) = self.m.runnext.take() {
            self.rt.injector.push(g);
        }
        while let Some(g) = self.m.worker.pop() {
            self.rt.injector.push(g);
        }
        let _ = self.out.flush();
        let rt = self.rt.clone();
        let mut count = rt.idle.lock();
        *count += 1;
        rt.nidle.store(*count, Ordering::SeqCst);
        // Idle Ms re-check: they may take the Gs moved here, or find that all Ms are idle.
        rt.wake.notify_all();
        while self.m.index >= rt.active() && !rt.stopping() {
            rt.retired.wait(&mut count);
        }
        *count -= 1;
        rt.nidle.store(*count, Ordering::SeqCst);
    }

    /// `runtime.GOMAXPROCS(n)`: sets the number of Ps that run Gs (n >= 1; otherwise only
    /// reports) and returns the previous value. Raising it starts the Ms of new Ps or wakes
    /// retired ones; lowering it lets the Ms beyond it retire at their next schedule point.
    pub(crate) fn set_maxprocs(&mut self, n: i64) -> usize {
        let rt = self.rt.clone();
        let _resize = rt.resize.lock();
        let old = rt.maxprocs.load(Ordering::SeqCst);
        if n < 1 {
            return old;
        }
        let n = (n as usize).min(MAX_PROCS);
        rt.maxprocs.store(n, Ordering::SeqCst);
        rt.ensure_ms(rt.active(), self);
        old
    }

    /// Runs `call`, a blocking OS call of a native (a read from stdin or a file), with this
    /// M's P handed on, as Go's `entersyscall`/`handoffp` do: while it blocks, one P more may
    /// run Gs (an M is started or woken for it), and the G this M would run next goes to the
    /// global queue. The M keeps its P: when `call` returns, the extra P's M retires at its
    /// next schedule point. An M blocked here is not idle, so the deadlock check waits for it.
    ///
    /// A native wraps only the blocking part: `let n = vm.blocking(|| file.read(&mut buf));`
    /// (`call` must not touch the VM).
    pub(crate) fn blocking<T>(&mut self, call: impl FnOnce() -> T) -> T {
        if let Some(g) = self.m.runnext.take() {
            self.rt.injector.push(g);
        }
        let _ = self.out.flush();
        {
            let _resize = self.rt.resize.lock();
            self.rt.blocked.fetch_add(1, Ordering::SeqCst);
            self.rt.ensure_ms(self.rt.active(), self);
        }
        let result = call();
        self.rt.blocked.fetch_sub(1, Ordering::SeqCst);
        result
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

    /// Prints Go's deadlock report and ends the program: every blocked goroutine with its
    /// wait reason and frames, goroutine 1 first, then in creation order.
    fn deadlock(&mut self) {
        if self.rt.dying.swap(true, Ordering::AcqRel) {
            return;
        }
        self.rt.out.close();
        let text = self.deadlock_text();
        let _ = std::io::stderr().write_all(text.as_bytes());
        self.rt.finish(2);
    }

    /// Go's deadlock report: every blocked goroutine with its wait reason and frames.
    pub(crate) fn deadlock_text(&self) -> String {
        let blocked = self.blocked_goroutines();
        if blocked.is_empty() && self.rt.main_exited.load(Ordering::Acquire) {
            "fatal error: no goroutines (main called runtime.Goexit) - deadlock!\n".to_string()
        } else {
            format!(
                "fatal error: all goroutines are asleep - deadlock!\n\n{}",
                blocked.join("\n")
            )
        }
    }

    /// The report of every parked G that nothing will wake (all Ms are idle), by id.
    fn blocked_goroutines(&self) -> Vec<String> {
        self.parked_goroutines()
    }

    /// The report of every G parked on a slot or for ever, by id (`runtime.Stack(buf,
    /// true)`; Gs that are running or runnable at this moment are not seen).
    pub(crate) fn parked_goroutines(&self) -> Vec<String> {
        let mut found: Vec<(u64, String)> = Vec::new();
        let mut describe = |g: &Goroutine| {
            let reason = g.rt.wait.map_or("running", WaitReason::text);
            found.push((g.rt.id, self.goroutine_report(g, reason)));
        };
        for list in &self.rt.parked {
            for weak in &list.lock().slots {
                let Some(slot) = weak.upgrade() else { continue };
                if slot.is_done() {
                    continue;
                }
                let parked = slot.g.lock();
                if let Some(g) = parked.as_deref() {
                    describe(g);
                }
            }
        }
        for g in self.rt.forever.lock().iter() {
            describe(g);
        }
        found.sort_by_key(|(id, _)| *id);
        found.dedup_by_key(|(id, _)| *id);
        found.into_iter().map(|(_, text)| text).collect()
    }

    /// `goroutine N [reason]:`, the frames, and where it was created, as Go prints them.
    pub(crate) fn goroutine_report(&self, g: &Goroutine, reason: &str) -> String {
        let mut text = format!("goroutine {} [{reason}]:\n", g.rt.id);
        for line in self.traceback(g) {
            text.push_str(&line);
            text.push('\n');
        }
        text
    }

    /// A frame's function name and source position `FILE:LINE` (`pc` is past the
    /// instruction running in that frame).
    pub(crate) fn frame_position(&self, func: u32, pc: usize) -> (String, String) {
        let Some(f) = self.program.functions.get(func as usize) else {
            return ("?".to_string(), "?:0".to_string());
        };
        let span = f
            .spans
            .get(pc.saturating_sub(1))
            .copied()
            .unwrap_or_default();
        let position = match self.program.files.get(f.file as usize) {
            Some(file) => format!("{}:{}", file.name, file.line_col(span.start).0),
            None => "?:0".to_string(),
        };
        (f.name.clone(), position)
    }

    /// Go's last traceback lines of a goroutine started by a `go` statement:
    /// `created by main.main in goroutine 1` / `\tFILE:LINE +0x0`.
    pub(crate) fn created_by_lines(&self, g: &Goroutine) -> Option<String> {
        let c = g.rt.created_by?;
        let (name, position) = self.frame_position(c.func, c.pc);
        Some(format!(
            "created by {name} in goroutine {}\n\t{position} +0x0",
            c.parent
        ))
    }

    /// A G used up its time slice. If nothing else is waiting for a P (this one's queues and
    /// the global queue are empty), it keeps this P for a new slice: handing it to the global
    /// queue would only wake another M to take it, moving it between threads every slice
    /// (gom's slices are much shorter than Go's 10 ms).
    fn preempted(&mut self, g: GBox) {
        let alone =
            self.m.runnext.is_none() && self.m.worker.is_empty() && self.rt.injector.is_empty();
        if alone {
            self.m.fuel = FUEL;
            self.m.runnext = Some(g);
        } else {
            self.rt.inject(g);
        }
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
                self.gfree(g);
            }
            Ok(Event::Yield) => self.preempted(g),
            Err(Unwind::Park(p)) => self.commit(g, *p),
            Err(u) if is_goexit(&u) => {
                // The goroutine ends; when main exits so, the program lives on until every
                // other goroutine is done or asleep, then `checkdead` reports it.
                self.rt.live.fetch_sub(1, Ordering::Relaxed);
                if g.rt.id == 1 {
                    self.rt.main_exited.store(true, Ordering::Release);
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
    pub(crate) fn commit(&mut self, mut g: GBox, park: Park) {
        g.rt.wait = Some(park.reason);
        match park.to {
            ParkTo::Slot(slot) => {
                self.rt.parked[self.m.index].lock().push(&slot);
                *slot.g.lock() = Some(g);
            }
            ParkTo::Own => match g.rt.slot.clone() {
                Some(slot) => *slot.g.lock() = Some(g),
                None => {
                    // Not reached: `own_slot` made it. Keep the G reachable all the same.
                    let slot = Arc::new(Slot::default());
                    self.rt.parked[self.m.index].lock().push(&slot);
                    *slot.g.lock() = Some(g);
                }
            },
            ParkTo::Timer(when) => self.rt.add_timer(when, Wake::G(g)),
            ParkTo::Forever => self.rt.forever.lock().push(g),
            ParkTo::Yield => self.rt.inject(g),
        }
        drop(park.held);
    }

    /// The G's own slot, armed for a new park: `(slot, generation)` for its waiter entries.
    /// Made and registered for the deadlock report on the G's first park.
    pub(crate) fn own_slot(&mut self, g: &mut Goroutine) -> (Arc<Slot>, u64) {
        if let Some(slot) = &g.rt.slot {
            let gen = slot.rearm();
            return (slot.clone(), gen);
        }
        let slot = Arc::new(Slot::default());
        self.rt.parked[self.m.index].lock().push(&slot);
        g.rt.slot = Some(slot.clone());
        (slot, 0)
    }

    /// Makes a woken G runnable: it runs next on this P (Go's `ready`). The G it displaces
    /// from `runnext` goes to the local queue; an idle M is woken only when that queue holds
    /// more than this one G. A single queued G is this M's next work after the running G
    /// and the new `runnext` (a pipeline's stages hand values around this way all the
    /// time), and waking another M for it costs more than it gains; if the running G keeps
    /// its P for a whole slice, its preemption puts it on the global queue and wakes an M.
    pub(crate) fn ready(&mut self, g: GBox) {
        if let Some(old) = self.m.runnext.replace(g) {
            self.m.worker.push(old);
            if self.m.worker.len() > 1 {
                self.rt.wakep();
            }
        }
    }

    /// Keeps a finished G for reuse by a later `go` (its vectors' memory, its slot), unless
    /// the P has enough or the G grew large.
    fn gfree(&mut self, mut g: GBox) {
        if self.m.gfree.len() >= GFREE_MAX || g.regs.capacity() > 1024 || g.frames.capacity() > 64 {
            return;
        }
        let mut regs = std::mem::take(&mut g.regs);
        let mut frames = std::mem::take(&mut g.frames);
        let slot = g.rt.slot.take();
        regs.clear();
        frames.clear();
        // Every other field starts afresh, as in a new G.
        *g = Goroutine::new();
        g.regs = regs;
        g.frames = frames;
        g.rt.slot = slot;
        self.m.gfree.push(g);
    }

    /// `go f(args)`: a new G that calls the function, runs next on this P.
    pub(crate) fn go(
        &mut self,
        func: u32,
        callee: u64,
        mut args: Vec<u64>,
        iface: Option<(u32, u32)>,
        created_by: Option<CreatedBy>,
    ) -> Result<(), Unwind> {
        let mut g = self
            .m
            .gfree
            .pop()
            .unwrap_or_else(|| Box::new(Goroutine::new()));
        g.rt.created_by = created_by;
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
        if args.capacity() > self.m.go_args.capacity() {
            args.clear();
            self.m.go_args = args;
        }
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
