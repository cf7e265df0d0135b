//! The virtual machine: runs a compiled program.
//!
//! Input: a [`bytecode::Program`]. Output: the program's effects and its exit code (0, or 2
//! after an unrecovered panic, or the code given to `os.Exit`). Entry point: [`run_program`].
//!
//! A goroutine ([`Goroutine`]) is a heap object of registers and frames: Go-to-Go calls push a
//! frame instead of recursing on the Rust stack, so deep recursion is bounded by
//! [`MAX_FRAMES`] and ends as Go's `fatal error: stack overflow`. All frames share one
//! register file that only grows: a call instruction's callee frame starts at the caller's
//! argument registers (no copy), frames pushed by the runtime (deferred calls, closures)
//! start above the current frame's registers.
//!
//! Speed: [`Vm::step_until_event`] is the hot loop. It keeps the current frame's code, pc and
//! register window in locals, runs the common instructions inline (including Go-to-Go calls
//! and plain returns, which switch frames in place) and hands every other instruction to
//! [`Vm::exec`]. Hot pairs (an increment and its loop branch, a call and its argument) run
//! as one superinstruction made by `bytecode::fuse`; when one needs the general path, `exec`
//! runs only its first instruction and the next one in the code follows. Fuel is charged at
//! safepoints only (see `bytecode`). Slice indexing goes through a per-run cache from slice
//! reference to its words ([`SliceCache`]). Panics unwind frame by
//! frame, running deferred calls, which may `recover`. Goroutines run on the G/M/P scheduler
//! of [`sched`]: a [`Vm`] is one M with its P, and [`Vm::run_slice`] runs a goroutine until it
//! finishes, parks (channels, `sync`, timers: see `chan.rs`, `syncnatives.rs`, `rtnatives.rs`)
//! or uses up its fuel.

mod chan;
mod coro;
mod heap;
mod natives;
mod osfiles;
mod rtnatives;
pub(crate) mod sched;
pub mod session;
mod signal;
mod syncnatives;
mod task;
mod values;

pub use heap::Heap;
use heap::Obj;

use crate::bytecode::{self, Cmp, CmpKind, Const, Conv, FloatOp, IntOp, Op, Reg, Width};
use crate::check::types::{Type, TypeId};
use std::io::Write;

/// Frames a goroutine may have before Go's stack overflow (Go's 1 GB limit, in frames).
const MAX_FRAMES: usize = 200_000;

/// Runs a program to completion; returns its exit code.
pub fn run_program(program: bytecode::Program) -> i32 {
    sched::run(program)
}

/// Why a goroutine stopped running.
pub(crate) enum Unwind {
    /// A Go panic with its value (an interface word) or a runtime error message.
    Panic(PanicValue),
    /// `os.Exit(code)`.
    Exit(i32),
    /// A fatal error (`fatal error: ...`), never recoverable.
    Fatal(String),
    /// The goroutine blocks: the scheduler parks it (channels, `sync`, timers, yields).
    Park(Box<sched::Park>),
    /// A native needs user methods before it can return (see `task.rs`).
    Task(Box<task::Task>),
}

#[derive(Clone, Debug)]
pub(crate) enum PanicValue {
    /// `panic(v)`: the interface value.
    Value(u64),
    /// A runtime error: `runtime error: index out of range [5] with length 3`.
    Runtime(String),
}

/// The function of a deferred `close(ch)` (the channel is the `closure` word).
pub(crate) const DEFER_CLOSE: u32 = u32::MAX - 1;

pub(crate) struct Deferred {
    func: u32,
    closure: u64,
    args: Vec<u64>,
    native: bool,
}

struct Frame {
    func: u32,
    pc: usize,
    base: usize,
    /// Where the caller wants the results (a register of the caller's frame).
    ret: Reg,
    /// The closure being run (for `LoadCapture`).
    closure: u64,
    defers: Vec<Deferred>,
    /// This frame runs a deferred call started by a panic's unwinding (so `recover` may stop
    /// the panic, and its return continues it); deferred calls of a normal return are
    /// ordinary frames with `discard`.
    deferred: bool,
    /// The frame's results are dropped on return (deferred calls, nested invocations).
    discard: bool,
    /// The frame runs a method for the goroutine's innermost native task (`task.rs`): its
    /// return, or a panic ending it, resumes the task.
    task: bool,
}

impl Frame {
    const BLANK: Frame = Frame {
        func: 0,
        pc: 0,
        base: 0,
        ret: 0,
        closure: 0,
        defers: Vec::new(),
        deferred: false,
        discard: false,
        task: false,
    };

    /// The frame of a call instruction: its registers start at `base`.
    #[inline(always)]
    fn call(func: u32, base: usize, ret: Reg) -> Frame {
        Frame {
            func,
            base,
            ret,
            ..Frame::BLANK
        }
    }

    /// A return from it only copies results (no deferred call, not itself deferred).
    fn is_plain(&self) -> bool {
        !self.deferred && !self.discard && !self.task && self.defers.is_empty()
    }
}

/// A panic in progress.
pub(crate) struct PanicRecord {
    pub value: PanicValue,
    /// `recover` stopped it; it ends when the deferred call that recovered returns.
    pub recovered: bool,
    /// What `recover` returned (to recognise `panic(recover())` as a re-panic).
    pub recovered_word: u64,
}

pub(crate) struct Goroutine {
    regs: Vec<u64>,
    frames: Vec<Frame>,
    /// The panic being propagated, and whether `recover` has stopped it.
    /// Panics in progress, innermost last (a deferred call may panic while an earlier panic
    /// runs it).
    panics: Vec<PanicRecord>,
    /// Earlier panics replaced by a newer one (printed as `[recovered]` chains by Go).
    panic_chain: Vec<(PanicValue, &'static str)>,
    /// The frames when the current panic started, innermost first, as Go prints them.
    traceback: Vec<String>,
    /// The fatal panic re-panicked a recovered value (`[recovered, repanicked]`).
    repanicked: bool,
    /// Natives waiting for user methods, innermost last (`task.rs`).
    tasks: Vec<task::Task>,
    /// The scheduler's part: goroutine id, a panic to raise when resumed.
    pub(crate) rt: sched::GState,
}

/// One M (OS thread) with its P: the program, heap and constants are shared by all Ms; the
/// run queue, fuel and random state are this M's own.
pub struct Vm {
    pub(crate) program: std::sync::Arc<bytecode::Program>,
    pub(crate) heap: std::sync::Arc<Heap>,
    consts: std::sync::Arc<Vec<u64>>,
    pub(crate) out: sched::Out,
    natives: std::sync::Arc<Vec<Option<natives::Native>>>,
    rng: u64,
    /// Results of the last goroutine that finished (for nested invocations).
    last_results: Vec<u64>,
    /// The dynamic type of runtime errors (`runtime.Error`, a string with an `Error` method).
    pub(crate) rt_error: u32,
    /// `*runtime.PanicNilError`, the value of `panic(nil)`.
    pub(crate) panic_nil: u32,
    /// The scheduler shared by all Ms.
    pub(crate) rt: std::sync::Arc<sched::Sched>,
    /// This M's P: run queue, `runnext`, fuel.
    pub(crate) m: sched::Local,
}

impl Vm {
    pub(crate) fn new(
        program: bytecode::Program,
        rt: std::sync::Arc<sched::Sched>,
        m: sched::Local,
    ) -> Vm {
        let mut program = program;
        let rt_error = declare_runtime_error(&mut program);
        let panic_nil = values::declare_panic_nil_error(&mut program);
        let heap = Heap::new();
        let mut vm = Vm {
            program: std::sync::Arc::new(program),
            heap: std::sync::Arc::new(heap),
            consts: std::sync::Arc::new(Vec::new()),
            out: rt.out.clone(),
            natives: std::sync::Arc::new(Vec::new()),
            rng: seed(),
            last_results: Vec::new(),
            rt_error,
            panic_nil,
            rt,
            m,
        };
        vm.load_consts();
        vm.natives = std::sync::Arc::new(
            vm.program
                .functions
                .iter()
                .map(|f| f.native.and_then(|_| natives::bind(&f.name)))
                .collect(),
        );
        vm
    }

    /// Another M sharing this one's program, heap and constants.
    pub(crate) fn for_m(&self, m: sched::Local) -> Vm {
        Vm {
            program: self.program.clone(),
            heap: self.heap.clone(),
            consts: self.consts.clone(),
            out: self.out.clone(),
            natives: self.natives.clone(),
            rng: seed() ^ (m.index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            last_results: Vec::new(),
            rt_error: self.rt_error,
            panic_nil: self.panic_nil,
            rt: self.rt.clone(),
            m,
        }
    }

    fn load_consts(&mut self) {
        let globals: Vec<u64> = self
            .program
            .globals
            .clone()
            .iter()
            .map(|t| self.zero(TypeId(*t)))
            .collect();
        let globals_ref = self.heap.cells(globals);
        let consts = self
            .program
            .consts
            .iter()
            .enumerate()
            .map(|(i, c)| match c {
                _ if i == 0 => globals_ref,
                Const::Word(w) => *w,
                Const::Str(s) => self.heap.string(s),
            })
            .collect();
        self.consts = std::sync::Arc::new(consts);
    }

    pub(crate) fn flush(&mut self) {
        let _ = self.out.flush();
    }

    /// Prints why the program dies (as Go does) and returns the exit code.
    pub(crate) fn die(&mut self, g: &Goroutine, u: Unwind) -> i32 {
        self.flush();
        match u {
            Unwind::Exit(code) => code,
            Unwind::Park(_) | Unwind::Task(_) => 2,
            Unwind::Fatal(message) if message.starts_with("gom:") => {
                eprintln!("{message}");
                2
            }
            Unwind::Fatal(message) => {
                let stack = if message == "stack overflow" {
                    "runtime: goroutine stack exceeds 1000000000-byte limit\n".to_string()
                } else {
                    String::new()
                };
                eprintln!("{stack}fatal error: {message}");
                2
            }
            Unwind::Panic(p) => {
                let mut text = String::new();
                // Go indents the continuation lines of a multi-line panic value.
                let indent = |t: String| t.replace('\n', "\n\t");
                for (earlier, suffix) in &g.panic_chain {
                    text.push_str(&format!(
                        "panic: {}{suffix}\n\t",
                        indent(self.panic_text(earlier))
                    ));
                }
                let suffix = if g.repanicked {
                    " [recovered, repanicked]"
                } else {
                    ""
                };
                text.push_str(&format!("panic: {}{suffix}", indent(self.panic_text(&p))));
                let signal = if text.ends_with("nil pointer dereference") {
                    "\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x0]"
                } else {
                    ""
                };
                eprintln!(
                    "{text}{signal}\n\ngoroutine {} [running]:\n{}",
                    g.rt.id,
                    g.traceback.join("\n")
                );
                2
            }
        }
    }

    // ---- Frames and calls -------------------------------------------------------------------------

    /// A Go-to-Go call whose arguments are already in the registers from `base` on: the
    /// callee's frame starts there (no copy).
    fn push_frame_at(
        &mut self,
        g: &mut Goroutine,
        func: u32,
        base: usize,
        ret: Reg,
    ) -> Result<(), Unwind> {
        if g.frames.len() >= MAX_FRAMES {
            return Err(Unwind::Fatal("stack overflow".to_string()));
        }
        g.frames.push(Frame::call(func, base, ret));
        Ok(())
    }

    /// Where a new frame pushed by the runtime (not by a call instruction) starts: above the
    /// current frame's registers.
    fn frame_end(&self, g: &Goroutine) -> usize {
        g.frames.last().map_or(0, |f| {
            let nregs = self
                .program
                .functions
                .get(f.func as usize)
                .map_or(1, |func| func.nregs.max(1) as usize);
            f.base + nregs
        })
    }

    fn push_frame(
        &mut self,
        g: &mut Goroutine,
        func: u32,
        args: &[u64],
        ret: Reg,
        closure: u64,
        discard: bool,
    ) -> Result<(), Unwind> {
        if g.frames.len() >= MAX_FRAMES {
            return Err(Unwind::Fatal("stack overflow".to_string()));
        }
        let f = &self.program.functions[func as usize];
        let base = self.frame_end(g);
        let top = base + (f.nregs.max(1) as usize).max(args.len());
        if g.regs.len() < top {
            g.regs.resize(top, 0);
        }
        for (i, a) in args.iter().enumerate() {
            if let Some(r) = g.regs.get_mut(base + i) {
                *r = *a;
            }
        }
        g.frames.push(Frame {
            func,
            pc: 0,
            base,
            ret,
            closure,
            defers: Vec::new(),
            deferred: false,
            discard,
            task: false,
        });
        Ok(())
    }

    /// Calls any function (Go or native) with arguments; results go to the caller's `ret`.
    fn call(
        &mut self,
        g: &mut Goroutine,
        func: u32,
        args: Vec<u64>,
        ret: Reg,
        closure: u64,
    ) -> Result<(), Unwind> {
        if self.program.functions[func as usize].native.is_some() {
            return self.call_native_into(g, func, &args, ret);
        }
        self.push_frame(g, func, &args, ret, closure, false)
    }

    fn write_results(&mut self, g: &mut Goroutine, ret: Reg, results: &[u64]) {
        let Some(frame) = g.frames.last() else { return };
        let base = frame.base;
        for (i, v) in results.iter().enumerate() {
            if let Some(r) = g.regs.get_mut(base + ret as usize + i) {
                *r = *v;
            }
        }
    }

    /// Calls a native with arguments in registers `args..args + nargs` of the frame at
    /// `base`: they are copied to the stack (the native may write the registers), not to a
    /// fresh Vec, so a call allocates nothing for its arguments.
    fn call_native_regs(
        &mut self,
        g: &mut Goroutine,
        func: u32,
        base: usize,
        args: Reg,
        nargs: u32,
        ret: Reg,
    ) -> Result<(), Unwind> {
        const INLINE: usize = 8;
        let first = base + args as usize;
        let n = nargs as usize;
        if n <= INLINE {
            let mut a = [0u64; INLINE];
            for (i, w) in a.iter_mut().take(n).enumerate() {
                *w = g.regs.get(first + i).copied().unwrap_or(0);
            }
            self.call_native_into(g, func, &a[..n], ret)
        } else {
            let a: Vec<u64> = (0..n)
                .map(|i| g.regs.get(first + i).copied().unwrap_or(0))
                .collect();
            self.call_native_into(g, func, &a, ret)
        }
    }

    /// Calls a native and returns its results, running any user method it needs on nested
    /// goroutines (where the caller cannot wait for frames: deferred natives, nested calls).
    fn call_native(
        &mut self,
        g: &mut Goroutine,
        func: u32,
        args: &[u64],
    ) -> Result<Vec<u64>, Unwind> {
        match self.call_native_raw(g, func, args) {
            Ok(results) => Ok(results.into_vec()),
            Err(Unwind::Task(task)) => self.complete_now(*task),
            Err(other) => Err(other),
        }
    }

    /// Calls a native; it may return `Unwind::Task` (see [`Vm::call_native_into`]).
    fn call_native_raw(
        &mut self,
        g: &mut Goroutine,
        func: u32,
        args: &[u64],
    ) -> Result<natives::Words, Unwind> {
        match self.natives.get(func as usize).copied().flatten() {
            Some(native) => native(self, g, args),
            None => {
                let name = self.program.functions[func as usize].name.clone();
                Err(Unwind::Fatal(format!(
                    "gom: native function {name} is not implemented yet"
                )))
            }
        }
    }

    /// Calls a closure value.
    fn call_closure(
        &mut self,
        g: &mut Goroutine,
        callee: u64,
        mut args: Vec<u64>,
        ret: Reg,
    ) -> Result<(), Unwind> {
        let Some(Obj::Closure {
            func,
            recv,
            iface_method,
            ..
        }) = self.heap.get(callee)
        else {
            return Err(self.runtime("invalid memory address or nil pointer dereference"));
        };
        let (func, recv, iface_method) = (*func, *recv, *iface_method);
        if let Some(r) = recv {
            args.insert(0, r);
        }
        if let Some((iface, m)) = iface_method {
            let (target, value) = self.resolve_iface_call(args[0], iface, m)?;
            args[0] = value;
            return self.call(g, target, args, ret, 0);
        }
        self.call(g, func, args, ret, callee)
    }

    // ---- The dispatch loop -------------------------------------------------------------------------

    /// Runs goroutine `g` until its outermost frame returns, on this M's stack (a nested
    /// invocation by a native: it may not block).
    pub(crate) fn run(&mut self, g: &mut Goroutine) -> Result<(), Unwind> {
        loop {
            match self.run_slice(g) {
                Ok(sched::Event::Done) => return Ok(()),
                Ok(sched::Event::Yield) => {}
                Err(Unwind::Park(_)) => {
                    return Err(Unwind::Fatal(
                        "gom: a String/Error method blocked inside a deferred or `go` fmt call (not supported: only a direct call can wait)".to_string(),
                    ))
                }
                Err(other) => return Err(other),
            }
        }
    }

    /// Runs goroutine `g` until it finishes, uses up this M's fuel (`Yield`) or unwinds
    /// (`Unwind::Park` when it blocks).
    pub(crate) fn run_slice(&mut self, g: &mut Goroutine) -> Result<sched::Event, Unwind> {
        if let Some(p) = g.rt.pending.take() {
            // Woken to panic (a sender woken by `close`).
            if let Some(true) = self.start_panic(g, p)? {
                return Ok(sched::Event::Done);
            }
        }
        loop {
            match self.step_until_event(g) {
                Ok(true) => return Ok(sched::Event::Done),
                Ok(false) => return Ok(sched::Event::Yield),
                // A panic that already unwound every frame (it surfaced through the return of
                // the last deferred call) is over: it must not start again from nothing.
                Err(Unwind::Panic(p)) if g.frames.is_empty() => return Err(Unwind::Panic(p)),
                Err(Unwind::Panic(p)) => {
                    if let Some(true) = self.start_panic(g, p)? {
                        return Ok(sched::Event::Done);
                    }
                }
                Err(other) => return Err(other),
            }
        }
    }

    /// Executes instructions until the goroutine finishes (`Ok(true)`), its fuel is spent at a
    /// safepoint (a backward jump or a call: `Ok(false)`) or an unwind.
    ///
    /// The hot loop: the current frame's code, pc and register window live in locals, and the
    /// common instructions run inline, Go-to-Go calls and plain returns included (they switch
    /// frames and reload the locals). Every other instruction saves the pc into the frame and
    /// goes through [`Vm::exec`]. An inline instruction that fails (an index out of range, a
    /// division by zero) also takes that path, which raises the error with Go's message.
    fn step_until_event(&mut self, g: &mut Goroutine) -> Result<bool, Unwind> {
        let program = self.program.clone();
        let consts = self.consts.clone();
        let heap_ref = self.heap.clone();
        let heap: &Heap = &heap_ref;
        let mut slices = SliceCache::new();
        'frames: loop {
            let Some(frame) = g.frames.last() else {
                return Ok(true);
            };
            let (func_index, mut base, mut pc) = (frame.func as usize, frame.base, frame.pc);
            let func = &program.functions[func_index];
            let mut code: &[Op] = &func.code;
            let top = base + func.nregs.max(1) as usize;
            if g.regs.len() < top {
                g.regs.resize(top, 0);
            }
            let mut regs = &mut g.regs[base..top];
            // Saves the pc into the frame (tracebacks and the general path read it there).
            macro_rules! save_pc {
                () => {
                    if let Some(f) = g.frames.last_mut() {
                        f.pc = pc;
                    }
                };
            }
            // A taken branch: going backward closes a loop, which pays for its length and is
            // a safepoint.
            macro_rules! branch {
                ($target:expr) => {{
                    let target = $target as usize;
                    if target < pc {
                        self.m.fuel -= (pc - target) as i64;
                        if self.m.fuel <= 0 {
                            pc = target;
                            save_pc!();
                            return Ok(false);
                        }
                    }
                    pc = target;
                }};
            }
            // A Go-to-Go call of `f` (not native, frames to spare: checked by the caller):
            // pushes its frame and switches to it in place.
            macro_rules! call {
                ($f:expr, $callee:expr, $args:expr, $dst:expr) => {{
                    let (f, callee, args, dst) = ($f, $callee, $args, $dst);
                    save_pc!();
                    let callee_base = base + args as usize;
                    // Pushed blank, then filled in place: building the frame on the
                    // stack and copying it costs a store-forwarding stall per call.
                    g.frames.push(Frame::BLANK);
                    if let Some(fr) = g.frames.last_mut() {
                        fr.func = callee;
                        fr.base = callee_base;
                        fr.ret = dst;
                    }
                    self.m.fuel -= 5;
                    if self.m.fuel <= 0 {
                        return Ok(false);
                    }
                    // Switch to the callee without going through the frame stack.
                    let top = callee_base + f.nregs.max(1) as usize;
                    if g.regs.len() < top {
                        g.regs.resize(top, 0);
                    }
                    base = callee_base;
                    code = &f.code;
                    pc = 0;
                    regs = &mut g.regs[base..top];
                }};
            }
            // A plain return (no deferred calls, not a deferred or runtime-pushed frame) of
            // `R[src..src+n]`: pops the frame and switches to the caller in place; anything
            // else evaluates `general` (which leaves the loop for the general path).
            macro_rules! ret {
                ($op:expr, $src:expr, $n:expr, $general:expr) => {{
                    let plain = g.frames.len() > 1
                        && g.panics.is_empty()
                        && g.frames.last().is_some_and(Frame::is_plain);
                    if !plain {
                        $general;
                    }
                    let (src, n) = (base + $src as usize, $n as usize);
                    // Dropped in place: popping would copy the whole frame out.
                    let depth = g.frames.len() - 1;
                    let ret = g.frames.last().map_or(0, |f| f.ret);
                    g.frames.truncate(depth);
                    let Some(caller) = g.frames.last() else {
                        break Some($op);
                    };
                    let to = caller.base + ret as usize;
                    if n == 1 {
                        let v = g.regs.get(src).copied().unwrap_or(0);
                        if let Some(slot) = g.regs.get_mut(to) {
                            *slot = v;
                        }
                    } else if src + n <= g.regs.len() && to + n <= g.regs.len() {
                        g.regs.copy_within(src..src + n, to);
                    }
                    // Back to the caller without going through the frame stack.
                    let f = &program.functions[caller.func as usize];
                    let top = caller.base + f.nregs.max(1) as usize;
                    let (caller_base, caller_pc) = (caller.base, caller.pc);
                    match g.regs.get_mut(caller_base..top) {
                        Some(window) => {
                            regs = window;
                            base = caller_base;
                            code = &f.code;
                            pc = caller_pc;
                        }
                        None => continue 'frames,
                    }
                }};
            }
            let slow: Option<&Op> = loop {
                let Some(op) = code.get(pc) else {
                    break None;
                };
                pc += 1;
                match *op {
                    Op::Const { dst, k } => {
                        regs[dst as usize] = consts.get(k as usize).copied().unwrap_or(0)
                    }
                    Op::Move { dst, src } => regs[dst as usize] = regs[src as usize],
                    Op::Int { op: iop, dst, a, b } => {
                        match int_fast(iop, regs[a as usize], regs[b as usize]) {
                            Some(v) => regs[dst as usize] = v,
                            None => break Some(op),
                        }
                    }
                    Op::AddImm { dst, a, imm } => {
                        regs[dst as usize] = regs[a as usize].wrapping_add(imm as i64 as u64)
                    }
                    Op::AddInt { dst, a, b } => {
                        regs[dst as usize] = regs[a as usize].wrapping_add(regs[b as usize])
                    }
                    Op::SubInt { dst, a, b } => {
                        regs[dst as usize] = regs[a as usize].wrapping_sub(regs[b as usize])
                    }
                    Op::MulInt { dst, a, b } => {
                        regs[dst as usize] = regs[a as usize].wrapping_mul(regs[b as usize])
                    }
                    Op::AddFloat { dst, a, b } => {
                        let v = f64::from_bits(regs[a as usize]) + f64::from_bits(regs[b as usize]);
                        regs[dst as usize] = v.to_bits();
                    }
                    Op::SubFloat { dst, a, b } => {
                        let v = f64::from_bits(regs[a as usize]) - f64::from_bits(regs[b as usize]);
                        regs[dst as usize] = v.to_bits();
                    }
                    Op::MulFloat { dst, a, b } => {
                        let v = f64::from_bits(regs[a as usize]) * f64::from_bits(regs[b as usize]);
                        regs[dst as usize] = v.to_bits();
                    }
                    Op::DivFloat { dst, a, b } => {
                        let v = f64::from_bits(regs[a as usize]) / f64::from_bits(regs[b as usize]);
                        regs[dst as usize] = v.to_bits();
                    }
                    Op::Wrap { dst, width } => regs[dst as usize] = wrap(regs[dst as usize], width),
                    Op::NegInt { dst, src } => {
                        regs[dst as usize] = (regs[src as usize] as i64).wrapping_neg() as u64
                    }
                    Op::Complement { dst, src } => regs[dst as usize] = !regs[src as usize],
                    Op::Not { dst, src } => regs[dst as usize] = u64::from(regs[src as usize] == 0),
                    Op::Float { op: fop, dst, a, b } => {
                        let x = f64::from_bits(regs[a as usize]);
                        let y = f64::from_bits(regs[b as usize]);
                        regs[dst as usize] = float_op(fop, x, y).to_bits();
                    }
                    Op::NegFloat { dst, src } => {
                        regs[dst as usize] = (-f64::from_bits(regs[src as usize])).to_bits()
                    }
                    Op::Compare {
                        cmp,
                        kind,
                        dst,
                        a,
                        b,
                    } => match compare_scalar(cmp, kind, regs[a as usize], regs[b as usize]) {
                        Some(v) => regs[dst as usize] = u64::from(v),
                        None => break Some(op),
                    },
                    Op::Convert { conv, dst, src } => {
                        match convert_scalar(conv, regs[src as usize]) {
                            Some(v) => regs[dst as usize] = v,
                            None => break Some(op),
                        }
                    }
                    Op::Jump { target } => branch!(target),
                    Op::JumpIf { cond, target } => {
                        if regs[cond as usize] != 0 {
                            branch!(target)
                        }
                    }
                    Op::JumpIfNot { cond, target } => {
                        if regs[cond as usize] == 0 {
                            branch!(target)
                        }
                    }
                    Op::JumpCmpInt { cmp, a, b, target } => {
                        if int_cmp(cmp, regs[a as usize] as i64, regs[b as usize] as i64) {
                            branch!(target)
                        }
                    }
                    Op::JumpCmpImm {
                        cmp,
                        a,
                        imm,
                        target,
                    } => {
                        if int_cmp(cmp, regs[a as usize] as i64, i64::from(imm)) {
                            branch!(target)
                        }
                    }
                    Op::Call {
                        func: callee,
                        args,
                        dst,
                        ..
                    } => {
                        let f = &program.functions[callee as usize];
                        if f.native.is_some() || g.frames.len() >= MAX_FRAMES {
                            break Some(op);
                        }
                        call!(f, callee, args, dst)
                    }
                    Op::CallAddImm {
                        a,
                        imm,
                        func: callee,
                        args,
                        dst,
                        ..
                    } => {
                        let f = &program.functions[callee as usize];
                        // Checked before the argument is written: the general path runs
                        // the `AddImm` again.
                        if f.native.is_some() || g.frames.len() >= MAX_FRAMES {
                            break Some(op);
                        }
                        regs[args as usize] = regs[a as usize].wrapping_add(imm as i64 as u64);
                        // The caller resumes after the `Call`.
                        pc += 1;
                        call!(f, callee, args, dst)
                    }
                    Op::IncJumpCmpImm {
                        dst,
                        a,
                        imm,
                        cmp,
                        lim,
                        target,
                    } => {
                        let v = regs[a as usize].wrapping_add(imm as i64 as u64);
                        regs[dst as usize] = v;
                        pc += 1;
                        if int_cmp(cmp, v as i64, i64::from(lim)) {
                            branch!(target)
                        }
                    }
                    Op::IncJumpCmpInt {
                        dst,
                        a,
                        imm,
                        cmp,
                        b,
                        target,
                    } => {
                        regs[dst as usize] = regs[a as usize].wrapping_add(imm as i64 as u64);
                        pc += 1;
                        if int_cmp(cmp, regs[dst as usize] as i64, regs[b as usize] as i64) {
                            branch!(target)
                        }
                    }
                    Op::AddJumpCmpImm {
                        dst,
                        a,
                        b,
                        cmp,
                        lim,
                        target,
                    } => {
                        let v = regs[a as usize].wrapping_add(regs[b as usize]);
                        regs[dst as usize] = v;
                        pc += 1;
                        if int_cmp(cmp, v as i64, i64::from(lim)) {
                            branch!(target)
                        }
                    }
                    Op::MulAddFloat {
                        dst,
                        acc,
                        tmp,
                        a,
                        b,
                    } => {
                        let m = f64::from_bits(regs[a as usize]) * f64::from_bits(regs[b as usize]);
                        regs[tmp as usize] = m.to_bits();
                        let v =
                            f64::from_bits(regs[acc as usize]) + f64::from_bits(regs[tmp as usize]);
                        regs[dst as usize] = v.to_bits();
                        pc += 1;
                    }
                    Op::Index2MulAdd {
                        dst,
                        x,
                        i,
                        j,
                        sum,
                        acc,
                        tmp,
                        a,
                    } => {
                        let (i, j) = (regs[usize::from(i)] as usize, regs[usize::from(j)] as usize);
                        let relaxed = std::sync::atomic::Ordering::Relaxed;
                        let v = slices
                            .words(heap, regs[usize::from(x)])
                            .and_then(|w| w.get(i))
                            .and_then(|row| slices.words(heap, row.load(relaxed)))
                            .and_then(|w| w.get(j))
                            .map(|w| w.load(relaxed));
                        let Some(v) = v else { break Some(op) };
                        regs[usize::from(dst)] = v;
                        // In order, as the three instructions run (registers may coincide).
                        let m = f64::from_bits(regs[usize::from(a)]) * f64::from_bits(v);
                        regs[usize::from(tmp)] = m.to_bits();
                        let s = f64::from_bits(regs[usize::from(acc)])
                            + f64::from_bits(regs[usize::from(tmp)]);
                        regs[usize::from(sum)] = s.to_bits();
                        pc += 2;
                    }
                    Op::SetIndexConst { x, index, src, k } => {
                        let v = consts.get(k as usize).copied().unwrap_or(0);
                        regs[src as usize] = v;
                        let i = regs[index as usize] as usize;
                        match slices.words(heap, regs[x as usize]).and_then(|w| w.get(i)) {
                            Some(w) => {
                                w.store(v, std::sync::atomic::Ordering::Relaxed);
                                pc += 1;
                            }
                            // The general path: `Const` again, then the `SetIndex` fails.
                            None => break Some(op),
                        }
                    }
                    Op::IndexJump {
                        dst,
                        x,
                        index,
                        jump_if,
                        target,
                    } => {
                        let i = regs[index as usize] as usize;
                        let v = slices
                            .words(heap, regs[x as usize])
                            .and_then(|w| w.get(i))
                            .map(|w| w.load(std::sync::atomic::Ordering::Relaxed));
                        match v {
                            Some(v) => {
                                regs[dst as usize] = v;
                                pc += 1;
                                if (v != 0) == jump_if {
                                    branch!(target)
                                }
                            }
                            None => break Some(op),
                        }
                    }
                    Op::Return { src, n } => ret!(op, src, n, break Some(op)),
                    Op::AddIntReturn { dst, a, b } => {
                        regs[dst as usize] = regs[a as usize].wrapping_add(regs[b as usize]);
                        // Not a plain return: the `Return` after it takes the general path
                        // (running the `AddInt` again could add twice: `x += y; return x`).
                        pc += 1;
                        ret!(op, dst, 1, continue)
                    }
                    Op::JumpCmpImmElseReturn {
                        cmp,
                        a,
                        imm,
                        target,
                        src,
                        n,
                    } => {
                        if int_cmp_flat(cmp, regs[a as usize] as i64, i64::from(imm)) {
                            branch!(target)
                        } else {
                            ret!(op, src, n, break Some(op))
                        }
                    }
                    Op::RunDefers => {
                        if !g.frames.last().is_some_and(|f| f.defers.is_empty()) {
                            break Some(op);
                        }
                    }
                    Op::Load { dst, obj, index } => {
                        match heap
                            .cell_words(regs[obj as usize])
                            .and_then(|w| heap::load(w, index as usize))
                        {
                            Some(v) => regs[dst as usize] = v,
                            None => break Some(op),
                        }
                    }
                    Op::Store { obj, index, src } => {
                        let stored = heap
                            .cell_words(regs[obj as usize])
                            .is_some_and(|w| heap::store(w, index as usize, regs[src as usize]));
                        if !stored {
                            break Some(op);
                        }
                    }
                    Op::LoadCapture { dst, index } => {
                        let closure = g.frames.last().map_or(0, |f| f.closure);
                        match heap.get(closure) {
                            Some(Obj::Closure { captures, .. }) => {
                                regs[dst as usize] =
                                    captures.get(index as usize).copied().unwrap_or(0)
                            }
                            _ => break Some(op),
                        }
                    }
                    Op::NilCheck { src } => {
                        if regs[src as usize] == 0 {
                            break Some(op);
                        }
                    }
                    Op::Index {
                        dst,
                        x,
                        index,
                        kind,
                    } => {
                        let i = regs[index as usize] as usize;
                        let v = match kind {
                            bytecode::SeqKind::Slice => slices
                                .words(heap, regs[x as usize])
                                .and_then(|w| w.get(i))
                                .map(|w| w.load(std::sync::atomic::Ordering::Relaxed)),
                            bytecode::SeqKind::String => heap
                                .str_bytes(regs[x as usize])
                                .get(i)
                                .map(|b| u64::from(*b)),
                            bytecode::SeqKind::Array => heap
                                .cell_words(regs[x as usize])
                                .and_then(|w| heap::load(w, i)),
                        };
                        match v {
                            Some(v) => regs[dst as usize] = v,
                            None => break Some(op),
                        }
                    }
                    Op::Index2 { dst, x, i, j } => {
                        let (i, j) = (regs[i as usize] as usize, regs[j as usize] as usize);
                        let relaxed = std::sync::atomic::Ordering::Relaxed;
                        let v = slices
                            .words(heap, regs[x as usize])
                            .and_then(|w| w.get(i))
                            .and_then(|row| slices.words(heap, row.load(relaxed)))
                            .and_then(|w| w.get(j))
                            .map(|w| w.load(relaxed));
                        match v {
                            Some(v) => regs[dst as usize] = v,
                            None => break Some(op),
                        }
                    }
                    Op::SetIndex {
                        x,
                        index,
                        src,
                        kind,
                    } => {
                        let i = regs[index as usize] as usize;
                        let words = match kind {
                            bytecode::SeqKind::Slice => slices.words(heap, regs[x as usize]),
                            bytecode::SeqKind::Array => heap.cell_words(regs[x as usize]),
                            bytecode::SeqKind::String => None,
                        };
                        match words.and_then(|w| w.get(i)) {
                            Some(w) => {
                                w.store(regs[src as usize], std::sync::atomic::Ordering::Relaxed)
                            }
                            None => break Some(op),
                        }
                    }
                    Op::Len {
                        dst,
                        x,
                        kind: bytecode::SeqKind::Slice,
                    } => match slices.words(heap, regs[x as usize]) {
                        Some(w) => regs[dst as usize] = w.len() as u64,
                        None => break Some(op),
                    },
                    Op::Len {
                        dst,
                        x,
                        kind: bytecode::SeqKind::String,
                    } => regs[dst as usize] = heap.str_bytes(regs[x as usize]).len() as u64,
                    _ => break Some(op),
                }
            };
            save_pc!();
            let Some(op) = slow else {
                // Falling off the end of a function (entry) returns nothing.
                if self.return_from(g, &[])? {
                    return Ok(true);
                }
                continue;
            };
            let (cost, safepoint) = op.charge();
            if self.exec(g, op, base)? {
                return Ok(true);
            }
            self.m.fuel -= cost;
            if safepoint && self.m.fuel <= 0 {
                return Ok(false);
            }
        }
    }

    /// Returns from the current frame with `results`; `true` when the goroutine is done.
    fn return_from(&mut self, g: &mut Goroutine, results: &[u64]) -> Result<bool, Unwind> {
        // The registers stay allocated: the goroutine's register file only grows (frames
        // overlap their caller's argument registers, so it is never cut at a frame's base).
        let Some(frame) = g.frames.pop() else {
            return Ok(true);
        };
        if g.frames.is_empty() {
            self.last_results = results.to_vec();
            return Ok(true);
        }
        if frame.task {
            return self.resume_task(g, Ok(results)).map(|()| false);
        }
        if frame.deferred {
            // A deferred call finished: if it recovered the panic, the deferring frame returns
            // normally through its recovery epilogue.
            if g.panics.last().is_some_and(|p| p.recovered) {
                g.panics.pop();
                if let Some(f) = g.frames.last_mut() {
                    let func = &self.program.functions[f.func as usize];
                    f.pc = func.recover_pc as usize;
                }
                return Ok(false);
            }
            if !g.panics.is_empty() {
                return self.continue_panic(g).map(|d| d.unwrap_or(false));
            }
        }
        if !frame.discard {
            self.write_results(g, frame.ret, results);
        }
        Ok(false)
    }

    fn reg(g: &Goroutine, base: usize, r: Reg) -> u64 {
        g.regs.get(base + r as usize).copied().unwrap_or(0)
    }

    fn set(g: &mut Goroutine, base: usize, r: Reg, v: u64) {
        if let Some(slot) = g.regs.get_mut(base + r as usize) {
            *slot = v;
        }
    }

    /// Executes one instruction; `true` when the goroutine finished.
    fn exec(&mut self, g: &mut Goroutine, op: &Op, base: usize) -> Result<bool, Unwind> {
        let r = |g: &Goroutine, x: Reg| Vm::reg(g, base, x);
        match *op {
            Op::Const { dst, k } => {
                let v = self.consts.get(k as usize).copied().unwrap_or(0);
                Vm::set(g, base, dst, v);
            }
            Op::Move { dst, src } => {
                let v = r(g, src);
                Vm::set(g, base, dst, v);
            }
            Op::Int { op, dst, a, b } => {
                let v = self.int_op(op, r(g, a), r(g, b))?;
                Vm::set(g, base, dst, v);
            }
            Op::AddImm { dst, a, imm } => {
                Vm::set(g, base, dst, r(g, a).wrapping_add(imm as i64 as u64))
            }
            Op::AddInt { dst, a, b } => Vm::set(g, base, dst, r(g, a).wrapping_add(r(g, b))),
            Op::SubInt { dst, a, b } => Vm::set(g, base, dst, r(g, a).wrapping_sub(r(g, b))),
            Op::MulInt { dst, a, b } => Vm::set(g, base, dst, r(g, a).wrapping_mul(r(g, b))),
            Op::AddFloat { dst, a, b }
            | Op::SubFloat { dst, a, b }
            | Op::MulFloat { dst, a, b }
            | Op::DivFloat { dst, a, b } => {
                let fop = match *op {
                    Op::AddFloat { .. } => FloatOp::Add,
                    Op::SubFloat { .. } => FloatOp::Sub,
                    Op::MulFloat { .. } => FloatOp::Mul,
                    _ => FloatOp::Div,
                };
                let (x, y) = (f64::from_bits(r(g, a)), f64::from_bits(r(g, b)));
                Vm::set(g, base, dst, float_op(fop, x, y).to_bits());
            }
            Op::JumpCmpInt { cmp, a, b, target } => {
                if int_cmp(cmp, r(g, a) as i64, r(g, b) as i64) {
                    self.jump(g, target);
                }
            }
            Op::JumpCmpImm {
                cmp,
                a,
                imm,
                target,
            } => {
                if int_cmp(cmp, r(g, a) as i64, i64::from(imm)) {
                    self.jump(g, target);
                }
            }
            Op::Wrap { dst, width } => {
                let v = wrap(r(g, dst), width);
                Vm::set(g, base, dst, v);
            }
            Op::NegInt { dst, src } => {
                Vm::set(g, base, dst, (r(g, src) as i64).wrapping_neg() as u64)
            }
            Op::Complement { dst, src } => Vm::set(g, base, dst, !r(g, src)),
            Op::Float { op, dst, a, b } => {
                let (x, y) = (f64::from_bits(r(g, a)), f64::from_bits(r(g, b)));
                Vm::set(g, base, dst, float_op(op, x, y).to_bits());
            }
            Op::NegFloat { dst, src } => {
                Vm::set(g, base, dst, (-f64::from_bits(r(g, src))).to_bits())
            }
            Op::Not { dst, src } => Vm::set(g, base, dst, u64::from(r(g, src) == 0)),
            Op::Compare {
                cmp,
                kind,
                dst,
                a,
                b,
            } => {
                let v = self.compare(cmp, kind, r(g, a), r(g, b))?;
                Vm::set(g, base, dst, u64::from(v));
            }
            Op::Convert { conv, dst, src } => {
                let v = self.convert(conv, r(g, src));
                Vm::set(g, base, dst, v);
            }
            Op::SliceToArray {
                dst,
                src,
                ty,
                pointer,
            } => {
                let v = self.slice_to_array(r(g, src), TypeId(ty), pointer)?;
                Vm::set(g, base, dst, v);
            }
            Op::Jump { target } => self.jump(g, target),
            Op::JumpIf { cond, target } => {
                if r(g, cond) != 0 {
                    self.jump(g, target);
                }
            }
            Op::JumpIfNot { cond, target } => {
                if r(g, cond) == 0 {
                    self.jump(g, target);
                }
            }
            Op::Call {
                func,
                args,
                nargs,
                dst,
            } => {
                if self.program.functions[func as usize].native.is_none() {
                    self.push_frame_at(g, func, base + args as usize, dst)?;
                } else {
                    self.call_native_regs(g, func, base, args, nargs, dst)?;
                }
            }
            Op::CallNative {
                native,
                args,
                nargs,
                dst,
            } => self.call_native_regs(g, native, base, args, nargs, dst)?,
            Op::CallClosure {
                callee,
                args,
                nargs,
                dst,
            } => {
                let a = (0..nargs).map(|i| r(g, args + i)).collect();
                let c = r(g, callee);
                self.call_closure(g, c, a, dst)?;
            }
            Op::CallIface {
                iface: iface_ty,
                method,
                args,
                nargs,
                dst,
            } => {
                let mut a: Vec<u64> = (0..nargs).map(|i| r(g, args + i)).collect();
                let iface = a.first().copied().unwrap_or(0);
                let (func, value) = self.resolve_iface_call(iface, iface_ty, method)?;
                if let Some(first) = a.first_mut() {
                    *first = value;
                }
                self.call(g, func, a, dst, 0)?;
            }
            Op::Return { src, n } => {
                let results: Vec<u64> = (0..n).map(|i| r(g, src + i)).collect();
                return self.return_from(g, &results);
            }
            Op::RunDefers => {
                let next = g.frames.last_mut().and_then(|f| f.defers.pop());
                if let Some(d) = next {
                    if let Some(f) = g.frames.last_mut() {
                        f.pc -= 1;
                    }
                    self.run_deferred(g, d, false)?;
                }
            }
            Op::NewZero { dst, ty } => {
                let v = self.zero(TypeId(ty));
                Vm::set(g, base, dst, v);
            }
            Op::NewCell { dst, src } => {
                let v = self.heap.cells(vec![r(g, src)]);
                Vm::set(g, base, dst, v);
            }
            Op::Load { dst, obj, index } => {
                let v = self.load_word(r(g, obj), index as usize)?;
                Vm::set(g, base, dst, v);
            }
            Op::Store { obj, index, src } => {
                let v = r(g, src);
                self.store_word(r(g, obj), index as usize, v)?;
            }
            Op::CopyValue { dst, src, ty } => {
                let v = self.copy_value(r(g, src), TypeId(ty));
                Vm::set(g, base, dst, v);
            }
            Op::CopyInto { dst, src, ty } => self.copy_into(r(g, dst), r(g, src), TypeId(ty))?,
            Op::ElemPtr { dst, obj, index } => {
                let v = self.elem_ptr(r(g, obj), r(g, index))?;
                Vm::set(g, base, dst, v);
            }
            Op::FieldPtr { dst, obj, index } => {
                let o = r(g, obj);
                if o == 0 {
                    return Err(self.nil_deref());
                }
                let v = self.heap.ptr_to(o, index as usize);
                Vm::set(g, base, dst, v);
            }
            Op::LoadPtr { dst, ptr } => {
                let v = self.load_ptr(r(g, ptr))?;
                Vm::set(g, base, dst, v);
            }
            Op::StorePtr { ptr, src } => {
                let v = r(g, src);
                self.store_ptr(r(g, ptr), v)?;
            }
            Op::NilCheck { src } => {
                if r(g, src) == 0 {
                    return Err(self.nil_deref());
                }
            }
            Op::MakeSlice { dst, ty, len, cap } => {
                let v = self.make_slice(TypeId(ty), r(g, len) as i64, r(g, cap) as i64)?;
                Vm::set(g, base, dst, v);
            }
            Op::Index {
                dst,
                x,
                index,
                kind,
            } => {
                let v = self.index(r(g, x), r(g, index) as i64, kind)?;
                Vm::set(g, base, dst, v);
            }
            Op::Index2 { dst, x, i, j } => {
                let row = self.index(r(g, x), r(g, i) as i64, bytecode::SeqKind::Slice)?;
                let v = self.index(row, r(g, j) as i64, bytecode::SeqKind::Slice)?;
                Vm::set(g, base, dst, v);
            }
            Op::SetIndex {
                x,
                index,
                src,
                kind,
            } => {
                let v = r(g, src);
                self.set_index(r(g, x), r(g, index) as i64, v, kind)?;
            }
            Op::Len { dst, x, kind } => {
                let v = self.len(r(g, x), kind);
                Vm::set(g, base, dst, v as u64);
            }
            Op::Cap { dst, x, kind } => {
                let v = self.cap(r(g, x), kind);
                Vm::set(g, base, dst, v as u64);
            }
            Op::SliceOf {
                dst,
                x,
                lo,
                hi,
                max,
                kind,
            } => {
                let v = self.slice_of(r(g, x), r(g, lo), r(g, hi), r(g, max), kind)?;
                Vm::set(g, base, dst, v);
            }
            Op::Append {
                dst,
                slice,
                src,
                n,
                ty,
                growth,
            } => {
                let items: Vec<u64> = (0..n).map(|i| r(g, src + i)).collect();
                let v = self.append(r(g, slice), &items, TypeId(ty), growth)?;
                Vm::set(g, base, dst, v);
            }
            Op::AppendSlice {
                dst,
                slice,
                other,
                from_string,
                ty,
                growth,
            } => {
                let items = if from_string {
                    self.heap
                        .str_bytes(r(g, other))
                        .iter()
                        .map(|b| u64::from(*b))
                        .collect()
                } else {
                    self.slice_words(r(g, other))
                };
                let v = self.append(r(g, slice), &items, TypeId(ty), growth)?;
                Vm::set(g, base, dst, v);
            }
            Op::CopySlice {
                dst,
                to,
                from,
                from_string,
            } => {
                let items = if from_string {
                    self.heap
                        .str_bytes(r(g, from))
                        .iter()
                        .map(|b| u64::from(*b))
                        .collect()
                } else {
                    self.slice_words(r(g, from))
                };
                let n = self.copy_slice(r(g, to), &items);
                Vm::set(g, base, dst, n as u64);
            }
            Op::Concat { dst, a, b } => {
                let mut s = self.heap.str_bytes(r(g, a)).to_vec();
                s.extend_from_slice(self.heap.str_bytes(r(g, b)));
                let v = self.heap.string(&s);
                Vm::set(g, base, dst, v);
            }
            Op::MakeMap { dst, ty } => {
                let key_ty = match self.program.types.under(TypeId(ty)) {
                    Type::Map(k, _) => k.0,
                    _ => 0,
                };
                let map = heap::MapObj {
                    key_ty,
                    ..heap::MapObj::default()
                };
                let v = self.heap.alloc(Obj::Map(std::sync::Mutex::new(map)));
                Vm::set(g, base, dst, v);
            }
            Op::MapGet { dst, map, key, ok } => {
                let (v, found) = self.map_get(r(g, map), r(g, key));
                Vm::set(g, base, dst, v);
                if ok {
                    Vm::set(g, base, dst + 1, u64::from(found));
                }
            }
            Op::MapSet { map, key, src } => {
                let v = r(g, src);
                self.map_set(r(g, map), r(g, key), v)?;
            }
            Op::Clear { x, ty } => self.clear(r(g, x), TypeId(ty))?,
            Op::MapDelete { map, key } => self.map_delete(r(g, map), r(g, key)),
            Op::MapIter { dst, map } => {
                let v = self.map_iter(r(g, map));
                Vm::set(g, base, dst, v);
            }
            Op::MapNext {
                iter,
                key,
                value,
                done,
            } => match self.map_next(r(g, iter)) {
                Some((k, v)) => {
                    Vm::set(g, base, key, k);
                    Vm::set(g, base, value, v);
                }
                None => self.jump_to(g, done),
            },
            Op::DecodeRune { dst, s, index } => {
                let bytes = self.heap.str_bytes(r(g, s));
                let (rune, width) = decode_rune(bytes.get(r(g, index) as usize..).unwrap_or(&[]));
                Vm::set(g, base, dst, u64::from(rune));
                Vm::set(g, base, dst + 1, width as u64);
            }
            Op::ToIface { dst, src, ty } => {
                let v = self.heap.alloc(Obj::Iface {
                    ty,
                    value: r(g, src),
                });
                Vm::set(g, base, dst, v);
            }
            Op::AssertType {
                dst,
                src,
                ty,
                ok,
                from,
            } => {
                let (v, matched) = self.assert_type(r(g, src), TypeId(ty))?;
                if !matched && !ok {
                    return Err(self.assert_failure(r(g, src), TypeId(ty), TypeId(from)));
                }
                Vm::set(g, base, dst, v);
                if ok {
                    Vm::set(g, base, dst + 1, u64::from(matched));
                }
            }
            Op::MakeClosure {
                dst,
                func,
                captures,
                n,
            } => {
                let caps: Box<[u64]> = (0..n).map(|i| r(g, captures + i)).collect();
                let v = self.heap.alloc(Obj::Closure {
                    func,
                    captures: caps,
                    recv: None,
                    iface_method: None,
                });
                Vm::set(g, base, dst, v);
            }
            Op::LoadCapture { dst, index } => {
                let closure = g.frames.last().map_or(0, |f| f.closure);
                let v = match self.heap.get(closure) {
                    Some(Obj::Closure { captures, .. }) => {
                        captures.get(index as usize).copied().unwrap_or(0)
                    }
                    _ => 0,
                };
                Vm::set(g, base, dst, v);
            }
            Op::BindMethod { dst, func, recv } => {
                let v = self.heap.alloc(Obj::Closure {
                    func,
                    captures: Box::new([]),
                    recv: Some(r(g, recv)),
                    iface_method: None,
                });
                Vm::set(g, base, dst, v);
            }
            Op::BindIfaceMethod {
                dst,
                recv,
                iface: iface_ty,
                method,
            } => {
                let iface = r(g, recv);
                if iface == 0 {
                    return Err(self.nil_deref());
                }
                let (func, value) = self.resolve_iface_call(iface, iface_ty, method)?;
                let v = self.heap.alloc(Obj::Closure {
                    func,
                    captures: Box::new([]),
                    recv: Some(value),
                    iface_method: None,
                });
                Vm::set(g, base, dst, v);
            }
            Op::Defer {
                func,
                callee,
                args,
                nargs,
                native,
            } => {
                let a: Vec<u64> = (0..nargs).map(|i| r(g, args + i)).collect();
                let closure = if func == u32::MAX { r(g, callee) } else { 0 };
                if let Some(f) = g.frames.last_mut() {
                    f.defers.push(Deferred {
                        func,
                        closure,
                        args: a,
                        native,
                    });
                }
            }
            Op::DeferClose { chan } => {
                let c = r(g, chan);
                if let Some(f) = g.frames.last_mut() {
                    f.defers.push(Deferred {
                        func: DEFER_CLOSE,
                        closure: c,
                        args: Vec::new(),
                        native: false,
                    });
                }
            }
            Op::Panic { src } => {
                let v = r(g, src);
                if v == 0 && self.panic_nil == 0 {
                    // A REPL session has no `*runtime.PanicNilError` type to give the value.
                    return Err(self.runtime("panic called with nil argument"));
                }
                let v = if v == 0 { self.panic_nil_error() } else { v };
                return Err(Unwind::Panic(PanicValue::Value(v)));
            }
            Op::Recover { dst } => {
                let v = self.recover(g);
                Vm::set(g, base, dst, v);
            }
            Op::Print {
                args,
                types,
                newline,
            } => {
                let tys = self
                    .program
                    .print_types
                    .get(types as usize)
                    .cloned()
                    .unwrap_or_default();
                let words: Vec<u64> = (0..tys.len() as u32).map(|i| r(g, args + i)).collect();
                self.builtin_print(&words, &tys, newline);
            }
            Op::Go {
                func,
                callee,
                args,
                nargs,
                iface,
            } => {
                let mut a = std::mem::take(&mut self.m.go_args);
                a.extend((0..nargs).map(|i| r(g, args + i)));
                let created_by = g.frames.last().map(|f| sched::CreatedBy {
                    parent: g.rt.id,
                    func: f.func,
                    pc: f.pc,
                });
                self.go(func, r(g, callee), a, iface, created_by)?;
            }
            Op::MakeChan { dst, ty, cap } => {
                let v = self.make_chan(ty, r(g, cap) as i64)?;
                Vm::set(g, base, dst, v);
            }
            Op::Send { chan, src } => {
                let (c, v) = (r(g, chan), r(g, src));
                self.chan_send(g, c, v)?
            }
            Op::Recv { dst, chan, ok } => {
                let at = base + dst as usize;
                self.chan_recv(g, r(g, chan), at, ok.then_some(at + 1))?
            }
            Op::Close { chan } => self.chan_close(r(g, chan))?,
            Op::ChanLen { dst, chan, cap } => {
                let v = self.chan_len(r(g, chan), cap);
                Vm::set(g, base, dst, v);
            }
            Op::Select {
                cases,
                n,
                sends,
                default,
                dst,
            } => self.select(g, base, cases, n, sends, default, dst)?,
            Op::IncJumpCmpImm { .. }
            | Op::IncJumpCmpInt { .. }
            | Op::AddJumpCmpImm { .. }
            | Op::SetIndexConst { .. }
            | Op::IndexJump { .. }
            | Op::MulAddFloat { .. }
            | Op::Index2MulAdd { .. }
            | Op::CallAddImm { .. }
            | Op::AddIntReturn { .. }
            | Op::JumpCmpImmElseReturn { .. } => {
                // Only the first half: the frame's pc is at the second instruction, which
                // stays in the code unfused and runs next.
                if let Some(first) = op.first_half() {
                    return self.exec(g, &first, base);
                }
            }
            Op::Fail { message } => {
                let m = self
                    .program
                    .strings
                    .get(message as usize)
                    .cloned()
                    .unwrap_or_default();
                if let Some(rest) = m.strip_prefix("runtime error: ") {
                    return Err(self.runtime(rest));
                }
                return Err(Unwind::Fatal(m));
            }
        }
        Ok(false)
    }

    fn jump(&mut self, g: &mut Goroutine, target: u32) {
        self.jump_to(g, target);
    }

    fn jump_to(&mut self, g: &mut Goroutine, target: u32) {
        if let Some(f) = g.frames.last_mut() {
            f.pc = target as usize;
        }
    }
}

/// Go's `min`/`max` on floats: NaN wins, and -0 is smaller than +0.
fn go_min_max(x: f64, y: f64, min: bool) -> f64 {
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == y && x == 0.0 {
        let negative = x.is_sign_negative() || y.is_sign_negative();
        let positive = x.is_sign_positive() || y.is_sign_positive();
        return if min && negative {
            -0.0
        } else if !min && positive {
            0.0
        } else {
            x
        };
    }
    if (x < y) == min {
        x
    } else {
        y
    }
}

fn wrap(v: u64, width: Width) -> u64 {
    match width {
        Width::I8 => v as i8 as i64 as u64,
        Width::I16 => v as i16 as i64 as u64,
        Width::I32 => v as i32 as i64 as u64,
        Width::U8 => v as u8 as u64,
        Width::U16 => v as u16 as u64,
        Width::U32 => v as u32 as u64,
    }
}

/// Integer arithmetic that cannot fail; `None` for a division by zero (the general path
/// raises Go's panic).
#[inline(always)]
fn int_fast(op: IntOp, a: u64, b: u64) -> Option<u64> {
    let (x, y) = (a as i64, b as i64);
    Some(match op {
        IntOp::Add => a.wrapping_add(b),
        IntOp::Sub => a.wrapping_sub(b),
        IntOp::Mul => a.wrapping_mul(b),
        IntOp::Div => x
            .checked_div(y)
            .or_else(|| (y == -1).then(|| x.wrapping_neg()))? as u64,
        IntOp::DivU => a.checked_div(b)?,
        IntOp::Rem => x.checked_rem(y).or_else(|| (y == -1).then_some(0))? as u64,
        IntOp::RemU => a.checked_rem(b)?,
        IntOp::And => a & b,
        IntOp::Or => a | b,
        IntOp::Xor => a ^ b,
        IntOp::AndNot => a & !b,
        IntOp::Shl => a.checked_shl(b.try_into().ok()?).unwrap_or(0),
        IntOp::Shr => x.checked_shr(b.try_into().ok()?).unwrap_or(x >> 63) as u64,
        IntOp::ShrU => a.checked_shr(b.try_into().ok()?).unwrap_or(0),
    })
}

#[inline(always)]
fn float_op(op: FloatOp, x: f64, y: f64) -> f64 {
    match op {
        FloatOp::Add => x + y,
        FloatOp::Sub => x - y,
        FloatOp::Mul => x * y,
        FloatOp::Div => x / y,
        FloatOp::Min => go_min_max(x, y, true),
        FloatOp::Max => go_min_max(x, y, false),
    }
}

fn int_cmp(cmp: Cmp, a: i64, b: i64) -> bool {
    match cmp {
        Cmp::Eq => a == b,
        Cmp::Ne => a != b,
        Cmp::Lt => a < b,
        Cmp::Le => a <= b,
        Cmp::Gt => a > b,
        Cmp::Ge => a >= b,
    }
}

/// [`int_cmp`] without a jump on `cmp`: which outcomes (bit 0 less, bit 1 equal, bit 2
/// greater) satisfy it is a table lookup. For a compare whose outcome is data-dependent
/// (a recursion's base case), where a jump table adds a second hard-to-predict branch; in
/// loops the plain match measured faster.
#[inline(always)]
fn int_cmp_flat(cmp: Cmp, a: i64, b: i64) -> bool {
    let outcomes: u8 = match cmp {
        Cmp::Eq => 0b010,
        Cmp::Ne => 0b101,
        Cmp::Lt => 0b001,
        Cmp::Le => 0b011,
        Cmp::Gt => 0b100,
        Cmp::Ge => 0b110,
    };
    let outcome = u8::from(a >= b) + u8::from(a > b);
    (outcomes >> outcome) & 1 != 0
}

/// Comparisons of words that need no heap access; `None` for strings, pointers and deep
/// comparisons (the general path).
#[inline(always)]
fn compare_scalar(cmp: Cmp, kind: CmpKind, a: u64, b: u64) -> Option<bool> {
    Some(match kind {
        CmpKind::Int => int_cmp(cmp, a as i64, b as i64),
        CmpKind::Uint | CmpKind::Word => match cmp {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
        },
        CmpKind::Float => {
            let (x, y) = (f64::from_bits(a), f64::from_bits(b));
            match cmp {
                Cmp::Eq => x == y,
                Cmp::Ne => x != y,
                Cmp::Lt => x < y,
                Cmp::Le => x <= y,
                Cmp::Gt => x > y,
                Cmp::Ge => x >= y,
            }
        }
        CmpKind::String | CmpKind::Pointer | CmpKind::Deep(_) => return None,
    })
}

/// Numeric conversions (no allocation); `None` for the string conversions.
#[inline(always)]
fn convert_scalar(conv: Conv, v: u64) -> Option<u64> {
    Some(match conv {
        Conv::IntToFloat => (v as i64 as f64).to_bits(),
        Conv::UintToFloat => (v as f64).to_bits(),
        Conv::FloatToInt => (f64::from_bits(v) as i64) as u64,
        Conv::FloatToUint => f64::from_bits(v) as u64,
        Conv::ToF32 => f64::from(f64::from_bits(v) as f32).to_bits(),
        Conv::Wrap(w) => wrap(v, w),
        _ => return None,
    })
}

/// Slots of [`SliceCache`] (a power of two).
const SLICE_CACHE_BITS: u32 = 10;

/// What the hot loop knows about slices it has indexed: a direct-mapped cache from a slice
/// reference to the words of its backing array that the slice covers. A slice header is
/// immutable and nothing is freed, so an entry stays right for the heap's lifetime; the cache
/// lives for one run of the dispatch loop (a future collector runs at safepoints, outside it).
/// Indexing a cached slice is then one bounds check and one atomic load instead of two object
/// table lookups. The table (24 KiB) is only set up when the run first indexes a slice: a
/// goroutine that blocks on a channel every few instructions enters the loop once per
/// message, and filling the table on each entry used to cost more than the message itself.
struct SliceCache<'h> {
    table: Option<SliceTable<'h>>,
}

struct SliceTable<'h> {
    keys: [u64; 1 << SLICE_CACHE_BITS],
    words: [&'h [std::sync::atomic::AtomicU64]; 1 << SLICE_CACHE_BITS],
}

impl<'h> SliceTable<'h> {
    fn new() -> Self {
        // Key 0 is the nil slice, whose words are none: slot 0 starts out right for it.
        SliceTable {
            keys: [0; 1 << SLICE_CACHE_BITS],
            words: [&[]; 1 << SLICE_CACHE_BITS],
        }
    }
}

impl<'h> SliceCache<'h> {
    /// An empty cache (no table yet).
    fn new() -> Self {
        SliceCache { table: None }
    }

    /// The elements of slice `s` (`None` if `s` is not a slice).
    #[inline(always)]
    fn words(&mut self, heap: &'h Heap, s: u64) -> Option<&'h [std::sync::atomic::AtomicU64]> {
        // Fibonacci hashing spreads the table's sequential references over the slots.
        let slot = (s.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLICE_CACHE_BITS)) as usize;
        if let Some(t) = &self.table {
            if t.keys.get(slot) == Some(&s) {
                return t.words.get(slot).copied();
            }
        }
        self.fill(heap, s, slot)
    }

    #[cold]
    fn fill(
        &mut self,
        heap: &'h Heap,
        s: u64,
        slot: usize,
    ) -> Option<&'h [std::sync::atomic::AtomicU64]> {
        let Some(Obj::Slice {
            array, offset, len, ..
        }) = heap.get(s)
        else {
            return None;
        };
        let words = heap.cell_words(*array)?.get(*offset..offset + len)?;
        let t = self.table.get_or_insert_with(SliceTable::new);
        if let (Some(k), Some(w)) = (t.keys.get_mut(slot), t.words.get_mut(slot)) {
            *k = s;
            *w = words;
        }
        Some(words)
    }
}

/// Decodes one UTF-8 rune as Go does: invalid bytes give U+FFFD with width 1.
pub(crate) fn decode_rune(bytes: &[u8]) -> (u32, usize) {
    let Some(&first) = bytes.first() else {
        return (0xFFFD, 0);
    };
    if first < 0x80 {
        return (u32::from(first), 1);
    }
    let len = match first {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return (0xFFFD, 1),
    };
    match bytes
        .get(..len)
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|s| s.chars().next())
    {
        Some(c) => (c as u32, len),
        None => (0xFFFD, 1),
    }
}

fn seed() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    t ^ (std::process::id() as u64) << 32 | 1
}

impl Vm {
    pub(crate) fn random(&mut self) -> u64 {
        // xorshift64*: map iteration order and select need cheap randomness, not quality.
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn int_op(&self, op: IntOp, a: u64, b: u64) -> Result<u64, Unwind> {
        let (x, y) = (a as i64, b as i64);
        Ok(match op {
            IntOp::Add => a.wrapping_add(b),
            IntOp::Sub => a.wrapping_sub(b),
            IntOp::Mul => a.wrapping_mul(b),
            IntOp::Div => {
                if y == 0 {
                    return Err(self.runtime("integer divide by zero"));
                }
                x.wrapping_div(y) as u64
            }
            IntOp::DivU => a
                .checked_div(b)
                .ok_or_else(|| self.runtime("integer divide by zero"))?,
            IntOp::Rem => {
                if y == 0 {
                    return Err(self.runtime("integer divide by zero"));
                }
                x.wrapping_rem(y) as u64
            }
            IntOp::RemU => a
                .checked_rem(b)
                .ok_or_else(|| self.runtime("integer divide by zero"))?,
            IntOp::And => a & b,
            IntOp::Or => a | b,
            IntOp::Xor => a ^ b,
            IntOp::AndNot => a & !b,
            IntOp::Shl => {
                if b >= 64 {
                    0
                } else {
                    a << b
                }
            }
            IntOp::Shr => {
                if b >= 64 {
                    (x >> 63) as u64
                } else {
                    (x >> b) as u64
                }
            }
            IntOp::ShrU => {
                if b >= 64 {
                    0
                } else {
                    a >> b
                }
            }
        })
    }

    /// `a cmp b`; comparing interfaces that hold an uncomparable type panics as in Go.
    fn compare(&self, cmp: Cmp, kind: CmpKind, a: u64, b: u64) -> Result<bool, Unwind> {
        use std::cmp::Ordering;
        let ord = match kind {
            CmpKind::Int => Some((a as i64).cmp(&(b as i64))),
            CmpKind::Uint | CmpKind::Word => Some(a.cmp(&b)),
            CmpKind::Pointer => Some(if self.same_pointer(a, b) {
                Ordering::Equal
            } else {
                Ordering::Less
            }),
            CmpKind::Float => f64::from_bits(a).partial_cmp(&f64::from_bits(b)),
            CmpKind::String => Some(self.heap.str_bytes(a).cmp(self.heap.str_bytes(b))),
            CmpKind::Deep(ty) => {
                let equal = self.deep_equal(a, b, TypeId(ty)).map_err(|t| {
                    self.runtime(&format!(
                        "comparing uncomparable type {}",
                        self.type_string(t)
                    ))
                })?;
                Some(if equal {
                    Ordering::Equal
                } else {
                    Ordering::Less
                })
            }
        };
        Ok(match (cmp, ord) {
            (Cmp::Ne, None) => true,
            (_, None) => false,
            (Cmp::Eq, Some(o)) => o == Ordering::Equal,
            (Cmp::Ne, Some(o)) => o != Ordering::Equal,
            (Cmp::Lt, Some(o)) => o == Ordering::Less,
            (Cmp::Le, Some(o)) => o != Ordering::Greater,
            (Cmp::Gt, Some(o)) => o == Ordering::Greater,
            (Cmp::Ge, Some(o)) => o != Ordering::Less,
        })
    }

    fn convert(&mut self, conv: Conv, v: u64) -> u64 {
        match conv {
            Conv::IntToFloat => (v as i64 as f64).to_bits(),
            Conv::UintToFloat => (v as f64).to_bits(),
            Conv::FloatToInt => (f64::from_bits(v) as i64) as u64,
            Conv::FloatToUint => f64::from_bits(v) as u64,
            Conv::ToF32 => f64::from(f64::from_bits(v) as f32).to_bits(),
            Conv::Wrap(w) => wrap(v, w),
            Conv::RuneToString => {
                let c = u32::try_from(v as i64)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{FFFD}');
                self.heap.string(c.to_string().as_bytes())
            }
            Conv::StringToBytes => {
                let words: Vec<u64> = self
                    .heap
                    .str_bytes(v)
                    .iter()
                    .map(|b| u64::from(*b))
                    .collect();
                self.slice_from(words)
            }
            Conv::BytesToString => {
                let bytes: Vec<u8> = self.slice_words(v).iter().map(|w| *w as u8).collect();
                self.heap.string(&bytes)
            }
            Conv::StringToRunes => {
                let bytes = self.heap.str_bytes(v).to_vec();
                let mut words = Vec::new();
                let mut i = 0;
                while i < bytes.len() {
                    let (r, w) = decode_rune(&bytes[i..]);
                    words.push(u64::from(r));
                    i += w.max(1);
                }
                self.slice_from(words)
            }
            Conv::RunesToString => {
                let s: String = self
                    .slice_words(v)
                    .iter()
                    .map(|w| char::from_u32(*w as u32).unwrap_or('\u{FFFD}'))
                    .collect();
                self.heap.string(s.as_bytes())
            }
        }
    }

    pub(crate) fn runtime(&self, message: &str) -> Unwind {
        Unwind::Panic(PanicValue::Runtime(format!("runtime error: {message}")))
    }

    fn nil_deref(&self) -> Unwind {
        self.runtime("invalid memory address or nil pointer dereference")
    }
}

impl Vm {
    /// The function implementing method `method` of static interface type `iface_ty` for the
    /// dynamic value in the interface word `iface`, and the receiver to pass it.
    fn resolve_iface_call(
        &self,
        iface: u64,
        iface_ty: u32,
        method: u32,
    ) -> Result<(u32, u64), Unwind> {
        let Some(Obj::Iface { ty, value }) = self.heap.get(iface) else {
            return Err(self.nil_deref());
        };
        let (ty, value) = (*ty, *value);
        let name = match self.program.types.under(TypeId(iface_ty)) {
            Type::Interface(methods) => methods
                .get(method as usize)
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        self.method_of_value(TypeId(ty), value, &name)
    }

    /// The function implementing method `name` on a value of dynamic type `ty`, and the
    /// receiver to pass: promoted methods follow the embedded fields, and a method promoted
    /// from an embedded interface is dispatched on that interface's dynamic value.
    pub(crate) fn method_of_value(
        &self,
        ty: TypeId,
        value: u64,
        name: &str,
    ) -> Result<(u32, u64), Unwind> {
        let Some(found) = self.resolve_method(ty, name) else {
            return Err(Unwind::Fatal(format!(
                "gom: method {name} not found on {}",
                self.type_string(ty)
            )));
        };
        let mut recv = value;
        for index in &found.path {
            recv = self.load_word(recv, *index as usize)?;
        }
        match found.target {
            MethodTarget::Func(func) => Ok((func, recv)),
            MethodTarget::Interface => {
                let Some(Obj::Iface { ty, value }) = self.heap.get(recv) else {
                    return Err(self.nil_deref());
                };
                self.method_of_value(TypeId(*ty), *value, name)
            }
        }
    }
}

/// Declares the type of runtime errors and its `Error` method (a native).
/// Declares the type of runtime errors (`runtime.Error`, a string) and its `Error` method (a
/// native); returns the type's id.
fn declare_runtime_error(program: &mut bytecode::Program) -> u32 {
    let string = program.types.basic(crate::check::basic::BasicKind::String);
    let ty = program.types.new_named("Error", "runtime");
    program.types.set_underlying(ty, string);
    let sig = program
        .types
        .intern(Type::Func(crate::check::types::Signature {
            params: Vec::new(),
            results: vec![string],
            variadic: false,
        }));
    let func = program.functions.len() as u32;
    program.functions.push(bytecode::Function {
        name: "runtime.Error.Error".to_string(),
        code: Vec::new(),
        spans: Vec::new(),
        nregs: 2,
        nparams: 1,
        nresults: 1,
        file: 0,
        native: Some(0),
        recover_pc: 0,
    });
    if let Some(named) = program.types.named_mut(ty) {
        named.methods.push(crate::check::types::Method {
            name: "Error".to_string(),
            func,
            pointer_receiver: false,
            sig,
        });
    }
    ty.0
}

/// Where a method found by [`Vm::resolve_method`] lives.
#[derive(Clone, Debug)]
pub(crate) enum MethodTarget {
    Func(u32),
    /// Promoted from an embedded interface field.
    Interface,
}

/// A method found on a dynamic type: the embedded fields to follow, then the target.
#[derive(Clone, Debug)]
pub(crate) struct FoundMethod {
    pub path: Vec<u32>,
    pub target: MethodTarget,
    /// The method's signature without receiver (for interface satisfaction).
    pub sig: TypeId,
}

impl Goroutine {
    pub(crate) fn new() -> Goroutine {
        Goroutine {
            regs: Vec::new(),
            frames: Vec::new(),
            panics: Vec::new(),
            panic_chain: Vec::new(),
            traceback: Vec::new(),
            repanicked: false,
            tasks: Vec::new(),
            rt: sched::GState::default(),
        }
    }
}

impl Vm {
    /// The goroutine's frames as Go's traceback prints them: `main.f(...)` then
    /// `\tFILE:LINE +0x0`, innermost first (the runtime's entry frame is not shown).
    pub(crate) fn traceback(&self, g: &Goroutine) -> Vec<String> {
        let mut lines = Vec::new();
        for frame in g.frames.iter().rev() {
            let func = &self.program.functions[frame.func as usize];
            if frame.func == self.program.entry {
                continue;
            }
            let pc = frame.pc.saturating_sub(1);
            let span = func.spans.get(pc).copied().unwrap_or_default();
            let (file, line) = match self.program.files.get(func.file as usize) {
                Some(f) => (f.name.clone(), f.line_col(span.start).0),
                None => ("?".to_string(), 0),
            };
            let args = if func.nparams > 0 { "..." } else { "" };
            lines.push(format!("{}({args})\n\t{file}:{line} +0x0", func.name));
        }
        lines.extend(self.created_by_lines(g));
        lines
    }
}
