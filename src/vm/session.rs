//! REPL sessions in the VM: one heap, one set of globals and one scheduler that live for the
//! whole session, running one entry after another while goroutines run in the background.
//!
//! Input: for each entry, the whole program compiled so far (`compile::session`), whose
//! functions, constants, types and globals extend the previous program's (never renumbered).
//! Output: how the entry ended ([`EntryEnd`]); the program's output goes to the sink given at
//! [`VmSession::start`]. Entry points: [`VmSession::start`], [`VmSession::run`].
//!
//! The session runs one M (GOMAXPROCS is 1 in the REPL), so that a new program can be swapped
//! in between two time slices, when no goroutine is in the middle of an instruction: the M
//! picks the update up at its next schedule point ([`Vm::session_poll`]), loads the new
//! constants, gives the new globals their zero values and readies the entry's goroutine.
//! Globals live in one cells object allocated with room for [`GLOBALS_CAPACITY`] of them, so
//! that pointers to globals stay valid as the session grows.
//!
//! An entry's goroutine has id 1, as `main` does (Go's deadlock report names goroutine 1),
//! and carries the entry's serial number. Where a program would end, a session goes on:
//! - the entry returns: the REPL is told [`EntryEnd::Done`];
//! - it panics (or a background goroutine panics): Go's panic text is printed and the REPL is
//!   told [`EntryEnd::Panicked`] (a background goroutine just ends);
//! - every goroutine is asleep while the entry waits: Go's deadlock report for the entry,
//!   [`EntryEnd::Deadlock`]; the entry's goroutine stays parked (nothing can wake it);
//! - Ctrl-C: a running entry is dropped at its next preemption point; an entry that is parked
//!   is abandoned ([`EntryEnd::Interrupted`]);
//! - `os.Exit(n)` ends the session with status n ([`EntryEnd::Exited`]).

use super::sched::{self, Event, Local, Out, Sched};
use super::{Goroutine, Unwind, Vm};
use crate::bytecode::{self, Const};
use crate::check::types::{TypeId, TypeTable};
use crossbeam_deque::Worker;
use parking_lot::Mutex;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How many globals a session may declare (package variables of imported packages included).
pub const GLOBALS_CAPACITY: usize = 1 << 16;

/// How an entry ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryEnd {
    Done,
    Panicked,
    Deadlock,
    Interrupted,
    /// `os.Exit(code)` (or an internal failure): the session is over.
    Exited(i32),
}

/// State shared by the REPL thread and the session's M.
pub(crate) struct Shared {
    update: Mutex<Option<(bytecode::Program, u64)>>,
    has_update: AtomicBool,
    /// The serial number of the entry running now (0: none).
    current: AtomicU64,
    interrupt: AtomicBool,
    ends: Mutex<Sender<(u64, EntryEnd)>>,
    /// `:goroutines` asked for the listing, to be sent here by the M.
    listing: Mutex<Option<Sender<String>>>,
    wants_listing: AtomicBool,
}

impl Shared {
    pub(crate) fn has_update(&self) -> bool {
        self.has_update.load(Ordering::SeqCst)
    }

    /// The REPL waits for the M: a new program or a goroutine listing.
    pub(crate) fn has_request(&self) -> bool {
        self.has_update() || self.wants_listing.load(Ordering::SeqCst)
    }

    /// The program is ending (`os.Exit`): the REPL stops.
    pub(crate) fn exited(&self, code: i32) {
        let _ = self.ends.lock().send((0, EntryEnd::Exited(code)));
    }

    fn end(&self, serial: u64, how: EntryEnd) {
        if serial != 0
            && self
                .current
                .compare_exchange(serial, 0, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            let _ = self.ends.lock().send((serial, how));
        }
    }

    fn is_current(&self, serial: u64) -> bool {
        serial != 0 && self.current.load(Ordering::Acquire) == serial
    }
}

/// A running session: the REPL's handle on the VM.
pub struct VmSession {
    rt: Arc<Sched>,
    shared: Arc<Shared>,
    ends: Receiver<(u64, EntryEnd)>,
    serial: u64,
    exited: Option<i32>,
}

impl VmSession {
    /// Starts the session's M with nothing to run; `rt_error` is the id of `runtime.Error`
    /// in the session's types; the programs' output goes to `sink`.
    pub fn start(rt_error: u32, sink: Box<dyn Write + Send>) -> Result<VmSession, String> {
        let worker = Worker::new_fifo();
        let stealers = vec![worker.stealer()];
        let (send, ends) = mpsc::channel();
        let shared = Arc::new(Shared {
            update: Mutex::new(None),
            has_update: AtomicBool::new(false),
            current: AtomicU64::new(0),
            interrupt: AtomicBool::new(false),
            ends: Mutex::new(send),
            listing: Mutex::new(None),
            wants_listing: AtomicBool::new(false),
        });
        let rt = Arc::new(Sched::new(
            stealers,
            1,
            Vec::new(),
            Out::new(sink),
            Some(shared.clone()),
        ));
        let vm = Vm::for_session(rt.clone(), Local::new(0, worker), rt_error);
        // Counted as a started M, so the idle check can see that every M is idle.
        rt.start_m(vm);
        if rt.stopping() {
            return Err("cannot start the session's thread".to_string());
        }
        Ok(VmSession {
            rt,
            shared,
            ends,
            serial: 0,
            exited: None,
        })
    }

    /// Runs `program`'s entry; waits until it ends. `interrupted` is polled: when it says so,
    /// the entry is stopped.
    pub fn run(&mut self, program: bytecode::Program, interrupted: &dyn Fn() -> bool) -> EntryEnd {
        if let Some(code) = self.exited {
            return EntryEnd::Exited(code);
        }
        self.serial += 1;
        let serial = self.serial;
        *self.shared.update.lock() = Some((program, serial));
        self.shared.has_update.store(true, Ordering::SeqCst);
        self.rt.wakep();
        let mut interrupt_at: Option<Instant> = None;
        loop {
            match self.ends.recv_timeout(Duration::from_millis(20)) {
                Ok((_, EntryEnd::Exited(code))) => {
                    self.exited = Some(code);
                    return EntryEnd::Exited(code);
                }
                Ok((s, how)) if s == serial => return how,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    match interrupt_at {
                        None if interrupted() => {
                            self.shared.interrupt.store(true, Ordering::SeqCst);
                            interrupt_at = Some(Instant::now());
                        }
                        // Parked: it will not reach a preemption point; abandon it.
                        Some(at) if at.elapsed() > Duration::from_millis(300) => {
                            self.shared.end(serial, EntryEnd::Interrupted);
                            self.shared.interrupt.store(false, Ordering::SeqCst);
                        }
                        _ => {}
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.exited = Some(2);
                    return EntryEnd::Exited(2);
                }
            }
        }
    }

    /// `:goroutines`: the live goroutines, each waiting one with its id, wait reason and
    /// frames (as Go's `runtime.Stack(buf, true)` prints them), asked of the session's M.
    pub fn goroutines(&self) -> String {
        let (send, answer) = mpsc::channel();
        *self.shared.listing.lock() = Some(send);
        self.shared.wants_listing.store(true, Ordering::SeqCst);
        self.rt.wakep();
        answer
            .recv_timeout(Duration::from_secs(2))
            .unwrap_or_else(|_| "gom: the scheduler did not answer\n".to_string())
    }
}

impl Drop for VmSession {
    /// Stops the session's M (background goroutines end with it).
    fn drop(&mut self) {
        self.rt.finish(0);
    }
}

impl Vm {
    /// A VM for a session: an empty program, and globals with room to grow.
    fn for_session(rt: Arc<Sched>, m: Local, rt_error: u32) -> Vm {
        let empty = bytecode::Program {
            functions: Vec::new(),
            consts: vec![Const::Word(0)],
            strings: Vec::new(),
            entry: 0,
            types: TypeTable::new(),
            files: Vec::new(),
            print_types: Vec::new(),
            globals: Vec::new(),
        };
        let heap = super::Heap::new();
        let globals = heap.cells(vec![0; GLOBALS_CAPACITY]);
        Vm {
            program: Arc::new(empty),
            heap: Arc::new(heap),
            consts: Arc::new(vec![globals]),
            out: rt.out.clone(),
            natives: Arc::new(Vec::new()),
            rng: super::seed(),
            last_results: Vec::new(),
            rt_error,
            // No `*runtime.PanicNilError` in a session: `panic(nil)` is a plain runtime error.
            panic_nil: 0,
            rt,
            m,
        }
    }

    /// What `:goroutines` shows: a count, then every waiting goroutine with its wait reason
    /// and frames. Goroutines that are runnable right now sit in run queues that cannot be
    /// walked, so they are counted only.
    fn goroutine_listing(&self) -> String {
        let waiting = self.parked_goroutines();
        let live = usize::try_from(self.rt.live.load(Ordering::Relaxed)).unwrap_or(0);
        let mut text = format!(
            "{live} goroutines: {} waiting, {} runnable\n",
            waiting.len(),
            live.saturating_sub(waiting.len())
        );
        for report in waiting {
            text.push('\n');
            text.push_str(&report);
        }
        text
    }

    /// Takes the REPL's next program, if one is waiting, and readies its entry goroutine.
    pub(crate) fn session_poll(&mut self) {
        let Some(shared) = self.rt.session.clone() else {
            return;
        };
        if shared.wants_listing.swap(false, Ordering::SeqCst) {
            let listing = self.goroutine_listing();
            if let Some(send) = shared.listing.lock().take() {
                let _ = send.send(listing);
            }
        }
        if !shared.has_update() {
            return;
        }
        let Some((program, serial)) = shared.update.lock().take() else {
            return;
        };
        shared.has_update.store(false, Ordering::SeqCst);
        shared.interrupt.store(false, Ordering::SeqCst);
        shared.current.store(serial, Ordering::SeqCst);
        if let Err(message) = self.load(program) {
            eprintln!("gom: {message}");
            shared.end(serial, EntryEnd::Panicked);
            return;
        }
        let mut g = Box::new(Goroutine::new());
        g.rt.id = 1;
        g.rt.entry = serial;
        self.rt.live.fetch_add(1, Ordering::Relaxed);
        let entry = self.program.entry;
        if let Err(u) = self.push_frame(&mut g, entry, &[], 0, 0, true) {
            self.die(&g, u);
            shared.end(serial, EntryEnd::Panicked);
            return;
        }
        self.ready(g);
    }

    /// Switches to `program`, which extends the current one.
    fn load(&mut self, program: bytecode::Program) -> Result<(), String> {
        if program.globals.len() > GLOBALS_CAPACITY {
            return Err(format!(
                "a session holds at most {GLOBALS_CAPACITY} package variables; :reset starts a new one"
            ));
        }
        let old_consts = self.consts.len();
        let old_globals = self.program.globals.len();
        self.program = Arc::new(program);
        let mut consts = (*self.consts).clone();
        for c in self.program.consts.iter().skip(old_consts) {
            consts.push(match c {
                Const::Word(w) => *w,
                Const::Str(s) => self.heap.string(s),
            });
        }
        self.consts = Arc::new(consts);
        let globals = self.consts.first().copied().unwrap_or(0);
        for i in old_globals..self.program.globals.len() {
            let zero = self.zero(TypeId(self.program.globals[i]));
            if let Some(words) = self.heap.cell_words(globals) {
                super::heap::store(words, i, zero);
            }
        }
        self.natives = Arc::new(
            self.program
                .functions
                .iter()
                .map(|f| f.native.and_then(|_| super::natives::bind(&f.name)))
                .collect(),
        );
        Ok(())
    }

    /// `execute` for a session: a goroutine's end never ends the session (see the module
    /// comment).
    pub(crate) fn execute_in_session(&mut self, mut g: sched::GBox) {
        let Some(shared) = self.rt.session.clone() else {
            return;
        };
        let result = self.run_slice(&mut g);
        let entry = g.rt.entry;
        match result {
            Ok(Event::Done) => {
                self.rt.live.fetch_sub(1, Ordering::Relaxed);
                self.flush();
                shared.end(entry, EntryEnd::Done);
            }
            Ok(Event::Yield) => {
                if shared.is_current(entry) && shared.interrupt.swap(false, Ordering::SeqCst) {
                    self.rt.live.fetch_sub(1, Ordering::Relaxed);
                    self.flush();
                    shared.end(entry, EntryEnd::Interrupted);
                } else {
                    self.rt.inject(g);
                }
            }
            Err(Unwind::Park(p)) => self.commit(g, *p),
            Err(u) if sched::is_goexit(&u) => {
                self.rt.live.fetch_sub(1, Ordering::Relaxed);
                shared.end(entry, EntryEnd::Done);
            }
            Err(Unwind::Exit(code)) => {
                self.flush();
                self.rt.finish(code);
            }
            Err(u) => {
                self.rt.live.fetch_sub(1, Ordering::Relaxed);
                self.die(&g, u);
                shared.end(entry, EntryEnd::Panicked);
            }
        }
        self.flush();
    }

    /// Every M is idle with nothing to wake anyone: in a session that is not the end. If an
    /// entry is waiting, it is reported as Go reports a deadlock. Returns true in a session.
    pub(crate) fn session_deadlock(&mut self) -> bool {
        let Some(shared) = self.rt.session.clone() else {
            return false;
        };
        let serial = shared.current.load(Ordering::Acquire);
        if serial != 0 {
            self.flush();
            let text = self.deadlock_text();
            let _ = std::io::stderr().write_all(text.as_bytes());
            shared.end(serial, EntryEnd::Deadlock);
        }
        true
    }
}
