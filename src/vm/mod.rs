//! The virtual machine: runs a compiled program.
//!
//! Input: a [`bytecode::Program`]. Output: the program's effects and its exit code (0, or 2
//! after an unrecovered panic, or the code given to `os.Exit`). Entry point: [`run_program`].
//!
//! A goroutine ([`Goroutine`]) is a heap object of registers and frames: Go-to-Go calls push a
//! frame instead of recursing on the Rust stack, so deep recursion is bounded by
//! [`MAX_FRAMES`] and ends as Go's `fatal error: stack overflow`. Panics unwind frame by
//! frame, running deferred calls, which may `recover`. Goroutines run on the G/M/P scheduler
//! of [`sched`]: a [`Vm`] is one M with its P, and [`Vm::run_slice`] runs a goroutine until it
//! finishes, parks (channels, `sync`, timers: see `chan.rs`, `rtnatives.rs`) or uses up its
//! fuel.

mod chan;
mod heap;
mod natives;
mod rtnatives;
pub(crate) mod sched;
pub mod session;
mod values;

pub use heap::Heap;
use heap::{MapKey, Obj};

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
    /// This frame runs a deferred call (so `recover` may stop a panic).
    deferred: bool,
    /// The frame's results are dropped on return (deferred calls, nested invocations).
    discard: bool,
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
            rt,
            m,
        };
        vm.load_consts();
        vm.natives = std::sync::Arc::new(
            vm.program
                .functions
                .iter()
                .map(|f| {
                    f.native.and_then(|_| {
                        rtnatives::lookup(&f.name).or_else(|| natives::lookup(&f.name))
                    })
                })
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
            Unwind::Park(_) => 2,
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
                if let PanicValue::Value(v) = &p {
                    if self.is_error_value(*v) {
                        // Go appends nothing more for errors; `[recovered]` handled above.
                    }
                }
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

    /// A Go-to-Go call whose arguments are the caller's registers `[from, from + n)`: copies
    /// them straight into the new frame (no intermediate vector on the hot call path).
    fn push_frame_from(
        &mut self,
        g: &mut Goroutine,
        func: u32,
        from: usize,
        n: usize,
        ret: Reg,
    ) -> Result<(), Unwind> {
        if g.frames.len() >= MAX_FRAMES {
            return Err(Unwind::Fatal("stack overflow".to_string()));
        }
        let nregs = self.program.functions[func as usize].nregs.max(1) as usize;
        let base = g.regs.len();
        g.regs.resize(base + nregs.max(n), 0);
        if from + n <= base {
            g.regs.copy_within(from..from + n, base);
        }
        g.frames.push(Frame {
            func,
            pc: 0,
            base,
            ret,
            closure: 0,
            defers: Vec::new(),
            deferred: false,
            discard: false,
        });
        Ok(())
    }

    /// Returns from an ordinary frame (not the last, not a deferred call, results wanted, no
    /// panic in progress) by copying the results straight into the caller's registers.
    /// `false` when the general path is needed.
    fn plain_return(&mut self, g: &mut Goroutine, src: usize, n: usize) -> bool {
        let plain = g.frames.len() > 1
            && g.panics.is_empty()
            && g.frames.last().is_some_and(|f| !f.deferred && !f.discard);
        if !plain {
            return false;
        }
        let Some(frame) = g.frames.pop() else {
            return false;
        };
        let caller_base = g.frames.last().map_or(0, |f| f.base);
        let dst = caller_base + frame.ret as usize;
        if src + n <= g.regs.len() && dst + n <= frame.base {
            g.regs.copy_within(src..src + n, dst);
        }
        g.regs.truncate(frame.base);
        true
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
        let base = g.regs.len();
        g.regs.resize(base + f.nregs.max(1) as usize, 0);
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
            let results = self.call_native(g, func, &args)?;
            self.write_results(g, ret, &results);
            return Ok(());
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

    fn call_native(
        &mut self,
        g: &mut Goroutine,
        func: u32,
        args: &[u64],
    ) -> Result<Vec<u64>, Unwind> {
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
                        "gom: a method called by fmt blocked (not supported yet)".to_string(),
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
    fn step_until_event(&mut self, g: &mut Goroutine) -> Result<bool, Unwind> {
        loop {
            let Some(frame) = g.frames.last() else {
                return Ok(true);
            };
            let (func, pc, base) = (frame.func as usize, frame.pc, frame.base);
            let Some(op) = self.program.functions[func].code.get(pc).cloned() else {
                // Falling off the end of a function (entry) returns nothing.
                if self.return_from(g, &[])? {
                    return Ok(true);
                }
                continue;
            };
            if let Some(f) = g.frames.last_mut() {
                f.pc += 1;
            }
            let (cost, safepoint) = sched::cost(&op, pc);
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
        let Some(frame) = g.frames.pop() else {
            return Ok(true);
        };
        g.regs.truncate(frame.base);
        if g.frames.is_empty() {
            self.last_results = results.to_vec();
            return Ok(true);
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
    fn exec(&mut self, g: &mut Goroutine, op: Op, base: usize) -> Result<bool, Unwind> {
        let r = |g: &Goroutine, x: Reg| Vm::reg(g, base, x);
        match op {
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
                let v = match op {
                    FloatOp::Add => x + y,
                    FloatOp::Sub => x - y,
                    FloatOp::Mul => x * y,
                    FloatOp::Div => x / y,
                    FloatOp::Min => go_min_max(x, y, true),
                    FloatOp::Max => go_min_max(x, y, false),
                };
                Vm::set(g, base, dst, v.to_bits());
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
                let v = self.compare(cmp, kind, r(g, a), r(g, b));
                Vm::set(g, base, dst, u64::from(v));
            }
            Op::Convert { conv, dst, src } => {
                let v = self.convert(conv, r(g, src));
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
                    self.push_frame_from(g, func, base + args as usize, nargs as usize, dst)?;
                } else {
                    let a = (0..nargs).map(|i| r(g, args + i)).collect();
                    self.call(g, func, a, dst, 0)?;
                }
            }
            Op::CallNative {
                native,
                args,
                nargs,
                dst,
            } => {
                let a: Vec<u64> = (0..nargs).map(|i| r(g, args + i)).collect();
                let results = self.call_native(g, native, &a)?;
                self.write_results(g, dst, &results);
            }
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
                if self.plain_return(g, base + src as usize, n as usize) {
                    return Ok(false);
                }
                let results: Vec<u64> = (0..n).map(|i| r(g, src + i)).collect();
                return self.return_from(g, &results);
            }
            Op::RunDefers => {
                let next = g.frames.last_mut().and_then(|f| f.defers.pop());
                if let Some(d) = next {
                    if let Some(f) = g.frames.last_mut() {
                        f.pc -= 1;
                    }
                    self.run_deferred(g, d)?;
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
                let v = self.heap.alloc(Obj::Ptr {
                    obj: o,
                    index: index as usize,
                });
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
            } => {
                let items: Vec<u64> = (0..n).map(|i| r(g, src + i)).collect();
                let v = self.append(r(g, slice), &items, TypeId(ty))?;
                Vm::set(g, base, dst, v);
            }
            Op::AppendSlice {
                dst,
                slice,
                other,
                from_string,
                ty,
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
                let v = self.append(r(g, slice), &items, TypeId(ty))?;
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
                if v == 0 {
                    return Err(Unwind::Panic(PanicValue::Runtime(
                        "panic called with nil argument (use runtime.PanicNilError)".into(),
                    )));
                }
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
                let a: Vec<u64> = (0..nargs).map(|i| r(g, args + i)).collect();
                self.go(func, r(g, callee), a, iface)?;
            }
            Op::MakeChan { dst, ty, cap } => {
                let v = self.make_chan(ty, r(g, cap) as i64)?;
                Vm::set(g, base, dst, v);
            }
            Op::Send { chan, src } => self.chan_send(r(g, chan), r(g, src))?,
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

    fn compare(&self, cmp: Cmp, kind: CmpKind, a: u64, b: u64) -> bool {
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
            CmpKind::Deep(ty) => Some(if self.deep_equal(a, b, TypeId(ty)) {
                Ordering::Equal
            } else {
                Ordering::Less
            }),
        };
        match (cmp, ord) {
            (Cmp::Ne, None) => true,
            (_, None) => false,
            (Cmp::Eq, Some(o)) => o == Ordering::Equal,
            (Cmp::Ne, Some(o)) => o != Ordering::Equal,
            (Cmp::Lt, Some(o)) => o == Ordering::Less,
            (Cmp::Le, Some(o)) => o != Ordering::Greater,
            (Cmp::Gt, Some(o)) => o == Ordering::Greater,
            (Cmp::Ge, Some(o)) => o != Ordering::Less,
        }
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

    pub(crate) fn is_error_value(&self, _v: u64) -> bool {
        false
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
        lines
    }
}

#[allow(dead_code)]
fn unused(_: MapKey) {}
