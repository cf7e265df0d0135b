//! The compiler: typed AST to register bytecode.
//!
//! Input: a [`tast::Program`] from the checker. Output: a [`bytecode::Program`]. Entry point:
//! [`compile_program`].
//!
//! Representation decisions (see `bytecode` for the value model):
//! - Scalars (numbers, bools, strings, pointers, slices, maps, funcs, interfaces) live in one
//!   register. A scalar local that is captured by a closure or has its address taken lives in a
//!   heap cell whose reference is in its register.
//! - Structs and arrays are heap objects; a variable of such a type holds a reference to its own
//!   object, which it keeps for life: assignment copies words *into* it ([`Op::CopyInto`]) so
//!   pointers to it stay valid, and reading it as a value copies it out ([`Op::CopyValue`]).
//! - Globals are the slots of one heap object whose reference is constant `K[0]`.
//! - Calls compute their arguments straight into consecutive fresh registers, the highest in
//!   use (the callee's frame starts at the first of them); results come back over them.
//! - Conditions of `if` and `for` compile to jumps (`!`, `&&`, `||`, and signed integer
//!   comparisons as one compare-and-branch); `for` loops test their condition at the bottom.
//! - Functions without a `defer` statement return their values directly (no `RunDefers`).

mod conc;
mod escape;
mod expr;
pub mod session;
mod stmt;

use crate::bytecode::{self, Const, Function, Op, Reg};
use crate::check::tast::{self, FuncId, LabelId, LocalId};
use crate::check::types::{Type, TypeId, TypeTable};
use crate::source::Span;
use std::collections::HashMap;

/// How a type's values are held, for choosing instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rep {
    /// One word, no heap object of its own (numbers, bools) or a reference that is shared
    /// by value (strings, pointers, slices, maps, chans, funcs, interfaces).
    Scalar,
    /// A struct or array: a reference to an object owned by whoever holds it.
    Aggregate,
}

pub fn compile_program(program: tast::Program) -> bytecode::Program {
    let mut builder = Builder {
        types: program.types,
        consts: vec![Const::Word(0)],
        const_index: HashMap::new(),
        strings: Vec::new(),
        print_types: Vec::new(),
        global_types: program.globals.iter().map(|g| g.ty).collect(),
    };
    let mut functions: Vec<Function> = Vec::with_capacity(program.funcs.len() + 1);
    for (i, f) in program.funcs.iter().enumerate() {
        functions.push(builder.function(FuncId(i as u32), f, &program.funcs));
    }
    let entry = functions.len() as u32;
    functions.push(builder.entry(&program.init, program.main, &program.funcs));
    // The typed bodies are not needed any more; freeing them node by node costs more than
    // compiling hello-world, and the process ends soon, so they are leaked.
    std::mem::forget((program.funcs, program.init));
    bytecode::Program {
        functions,
        consts: builder.consts,
        strings: builder.strings,
        entry,
        types: builder.types,
        files: program.files,
        print_types: builder.print_types,
        globals: builder.global_types.iter().map(|t| t.0).collect(),
    }
}

/// State shared by all functions: the type table and the constant pool.
pub(crate) struct Builder {
    pub types: TypeTable,
    pub consts: Vec<Const>,
    const_index: HashMap<ConstKey, u32>,
    pub strings: Vec<String>,
    pub print_types: Vec<Vec<u32>>,
    pub global_types: Vec<TypeId>,
}

#[derive(Hash, PartialEq, Eq)]
enum ConstKey {
    Word(u64),
    Str(Vec<u8>),
}

/// The constant index of the globals object.
pub(crate) const GLOBALS: u32 = 0;

impl Builder {
    pub fn word(&mut self, w: u64) -> u32 {
        self.intern(ConstKey::Word(w), Const::Word(w))
    }

    pub fn string(&mut self, s: &[u8]) -> u32 {
        self.intern(ConstKey::Str(s.to_vec()), Const::Str(s.to_vec()))
    }

    fn intern(&mut self, key: ConstKey, c: Const) -> u32 {
        if let Some(&k) = self.const_index.get(&key) {
            return k;
        }
        self.consts.push(c);
        let k = self.consts.len() as u32 - 1;
        self.const_index.insert(key, k);
        k
    }

    pub fn message(&mut self, text: &str) -> u32 {
        self.strings.push(text.to_string());
        self.strings.len() as u32 - 1
    }

    pub fn rep(&self, ty: TypeId) -> Rep {
        match self.types.under(ty) {
            Type::Struct(_) | Type::Array(..) => Rep::Aggregate,
            _ => Rep::Scalar,
        }
    }

    fn function(&mut self, id: FuncId, f: &tast::Func, all: &[tast::Func]) -> Function {
        let mut fc = FuncCompiler::new(self, f, all);
        let _ = id;
        match &f.body {
            Some(body) => fc.body(body),
            None => {
                // A body-less function has no locals: count its parameters (receiver
                // included) and results from its signature.
                let (nparams, nresults) = self
                    .types
                    .signature(f.ty)
                    .map_or((f.params.len(), f.results.len()), |s| {
                        (s.params.len(), s.results.len())
                    });
                let (nparams, nresults) = (nparams as u32, nresults as u32);
                return Function {
                    name: f.name.clone(),
                    code: Vec::new(),
                    spans: Vec::new(),
                    nregs: nparams + nresults,
                    nparams,
                    nresults,
                    file: f.file,
                    native: Some(u32::MAX),
                    recover_pc: 0,
                };
            }
        }
        fc.finish()
    }

    /// The program's entry: package initialisation in order, then `main.main`.
    fn entry(&mut self, init: &[tast::InitStep], main: FuncId, all: &[tast::Func]) -> Function {
        let pseudo = tast::Func::empty(
            "runtime.main".to_string(),
            TypeId::INVALID,
            0,
            Span::default(),
        );
        let mut fc = FuncCompiler::new(self, &pseudo, all);
        for step in init {
            match step {
                tast::InitStep::Vars { globals, values } => fc.init_globals(globals, values),
                tast::InitStep::Init(f) => fc.call_void(*f),
            }
        }
        fc.call_void(main);
        let r = fc.temp();
        fc.emit(Op::Return { src: r, n: 0 }, Span::default());
        fc.finish()
    }
}

/// Where a jump target's `break`/`continue` go.
struct Target {
    breaks: Vec<usize>,
    continues: Vec<usize>,
    continue_pc: Option<usize>,
}

pub(crate) struct FuncCompiler<'b> {
    pub b: &'b mut Builder,
    pub all: &'b [tast::Func],
    name: String,
    file: u32,
    nparams: u32,
    nresults: u32,
    code: Vec<Op>,
    spans: Vec<Span>,
    /// Register of each local.
    local_regs: Vec<Reg>,
    /// Whether each local lives in a heap cell.
    boxed: Vec<bool>,
    local_types: Vec<TypeId>,
    result_locals: Vec<LocalId>,
    next_reg: Reg,
    max_reg: Reg,
    targets: HashMap<LabelId, Target>,
    pub capture_types: Vec<TypeId>,
    pub global_types: Vec<TypeId>,
    label_pcs: HashMap<LabelId, usize>,
    gotos: Vec<(usize, LabelId)>,
    pub span: Span,
    /// Where a recovered panic resumes: the epilogue's `RunDefers`.
    recover_pc: u32,
    /// The body has a `defer` statement. Without one, nothing can run between a `return`
    /// and the caller, so returns skip `RunDefers` and return their values directly.
    has_defer: bool,
    /// Locals the code never reads (so the prologue need not zero them).
    unread: Vec<bool>,
    /// How `append` grows each local slice that may use a stack buffer (`escape`).
    slice_growth: HashMap<LocalId, bytecode::Growth>,
}

impl<'b> FuncCompiler<'b> {
    fn new(b: &'b mut Builder, f: &tast::Func, all: &'b [tast::Func]) -> FuncCompiler<'b> {
        let global_types = b.global_types.clone();
        let slice_growth = escape::slice_growth(f, &b.types);
        let mut fc = FuncCompiler {
            b,
            all,
            name: f.name.clone(),
            file: f.file,
            nparams: f.params.len() as u32,
            nresults: f.results.len() as u32,
            code: Vec::new(),
            spans: Vec::new(),
            local_regs: Vec::new(),
            boxed: Vec::new(),
            local_types: Vec::new(),
            result_locals: f.results.clone(),
            next_reg: 0,
            max_reg: 0,
            targets: HashMap::new(),
            capture_types: f.capture_types.clone(),
            global_types: Vec::new(),
            label_pcs: HashMap::new(),
            gotos: Vec::new(),
            span: f.span,
            recover_pc: 0,
            has_defer: f.body.as_ref().is_some_and(block_has_defer),
            unread: Vec::new(),
            slice_growth,
        };
        // Unnamed results are never read when no deferred call can run after a `return`:
        // every return gives its values directly.
        fc.unread = (0..f.locals.len())
            .map(|i| {
                !fc.has_defer
                    && f.results.iter().any(|r| r.0 as usize == i)
                    && f.locals[i].name.is_empty()
            })
            .collect();
        fc.global_types = global_types;
        // Parameters take the first registers, in order; then every other local.
        let mut order: Vec<usize> = f.params.iter().map(|l| l.0 as usize).collect();
        order.extend((0..f.locals.len()).filter(|i| !f.params.iter().any(|p| p.0 as usize == *i)));
        fc.local_regs = vec![0; f.locals.len()];
        for i in order {
            let r = fc.alloc();
            fc.local_regs[i] = r;
        }
        for l in &f.locals {
            let scalar = fc.b.rep(l.ty) == Rep::Scalar;
            fc.boxed.push(l.boxed && scalar);
            fc.local_types.push(l.ty);
        }
        fc
    }

    fn body(&mut self, body: &tast::Block) {
        self.prologue();
        self.block(body);
        // The epilogue: falling off the end returns, and a recovered panic resumes here (so
        // deferred calls still run and named results are read after them).
        self.recover_pc = self.pc() as u32;
        if self.has_defer {
            self.emit(Op::RunDefers, self.span);
        }
        let regs = self.result_registers();
        let src = self.consecutive_regs(&regs);
        self.emit(
            Op::Return {
                src,
                n: regs.len() as u32,
            },
            self.span,
        );
    }

    /// `regs` as one block of consecutive registers: themselves when they already are one,
    /// else fresh copies.
    pub fn consecutive_regs(&mut self, regs: &[Reg]) -> Reg {
        let in_place = regs
            .iter()
            .enumerate()
            .all(|(i, &r)| r == regs[0] + i as u32);
        if let (true, Some(&first)) = (in_place, regs.first()) {
            return first;
        }
        let first = self.temps(regs.len().max(1) as u32);
        for (i, &r) in regs.iter().enumerate() {
            self.emit(
                Op::Move {
                    dst: first + i as u32,
                    src: r,
                },
                self.span,
            );
        }
        first
    }

    /// Boxes captured parameters; zeroes aggregate locals and results.
    fn prologue(&mut self) {
        for i in 0..self.local_regs.len() {
            let r = self.local_regs[i];
            let ty = self.local_types[i];
            let is_param = (i as u32) < self.nparams && self.local_regs[i] < self.nparams;
            if self.boxed[i] {
                if !is_param {
                    self.zero_into(r, ty);
                }
                self.emit(Op::NewCell { dst: r, src: r }, self.span);
            } else if !is_param && !self.unread[i] {
                self.zero_into(r, ty);
            }
        }
    }

    fn finish(self) -> Function {
        let mut code = self.code;
        for (pc, label) in &self.gotos {
            if let Some(&target) = self.label_pcs.get(label) {
                if let Op::Jump { target: t } = &mut code[*pc] {
                    *t = target as u32;
                }
            }
        }
        crate::bytecode::fuse(&mut code);
        Function {
            name: self.name,
            code,
            spans: self.spans,
            nregs: self.max_reg.max(1),
            nparams: self.nparams,
            nresults: self.nresults,
            file: self.file,
            native: None,
            recover_pc: self.recover_pc,
        }
    }

    // ---- Registers and emission -------------------------------------------------------------

    pub fn alloc(&mut self) -> Reg {
        let r = self.next_reg;
        self.next_reg += 1;
        self.max_reg = self.max_reg.max(self.next_reg);
        r
    }

    pub fn temp(&mut self) -> Reg {
        self.alloc()
    }

    /// `n` consecutive fresh registers.
    pub fn temps(&mut self, n: u32) -> Reg {
        let first = self.next_reg;
        for _ in 0..n {
            self.alloc();
        }
        first
    }

    /// Frees temporaries above `mark` (statement boundaries reset the temp stack).
    pub fn release(&mut self, mark: Reg) {
        self.next_reg = mark;
    }

    pub fn mark(&self) -> Reg {
        self.next_reg
    }

    pub fn emit(&mut self, op: Op, span: Span) -> usize {
        self.code.push(op);
        self.spans.push(span);
        self.code.len() - 1
    }

    pub fn pc(&self) -> usize {
        self.code.len()
    }

    pub fn patch(&mut self, at: usize, target: usize) {
        let t = target as u32;
        match &mut self.code[at] {
            Op::Jump { target }
            | Op::JumpIf { target, .. }
            | Op::JumpIfNot { target, .. }
            | Op::JumpCmpInt { target, .. }
            | Op::JumpCmpImm { target, .. } => *target = t,
            Op::MapNext { done, .. } => *done = t,
            _ => {}
        }
    }

    /// Registers holding the current values of the result variables.
    fn result_registers(&mut self) -> Vec<Reg> {
        let locals = self.result_locals.clone();
        locals.iter().map(|l| self.read_local(*l)).collect()
    }

    pub fn local_reg(&self, l: LocalId) -> Reg {
        self.local_regs[l.0 as usize]
    }

    pub fn is_boxed(&self, l: LocalId) -> bool {
        self.boxed[l.0 as usize]
    }

    /// The value of a local in a register (loading it from its cell if boxed).
    pub fn read_local(&mut self, l: LocalId) -> Reg {
        let r = self.local_reg(l);
        if self.is_boxed(l) {
            let t = self.temp();
            self.emit(
                Op::Load {
                    dst: t,
                    obj: r,
                    index: 0,
                },
                self.span,
            );
            t
        } else {
            r
        }
    }

    /// `R[dst] := zero value of ty`.
    pub fn zero_into(&mut self, dst: Reg, ty: TypeId) {
        match self.b.rep(ty) {
            Rep::Aggregate => {
                self.emit(Op::NewZero { dst, ty: ty.0 }, self.span);
            }
            Rep::Scalar => {
                let k = self.b.word(0);
                self.emit(Op::Const { dst, k }, self.span);
            }
        }
    }

    fn call_void(&mut self, f: FuncId) {
        let mark = self.mark();
        let args = self.temp();
        self.emit(
            Op::Call {
                func: f.0,
                args,
                nargs: 0,
                dst: args,
            },
            self.span,
        );
        self.release(mark);
    }

    fn init_globals(&mut self, globals: &[tast::GlobalId], values: &[tast::Expr]) {
        let mark = self.mark();
        if values.len() == 1 && globals.len() > 1 {
            let first = self.tuple(&values[0]);
            for (i, g) in globals.iter().enumerate() {
                self.store_global(*g, first + i as u32, values[0].span);
            }
        } else {
            for (g, v) in globals.iter().zip(values) {
                let r = self.value(v);
                self.store_global(*g, r, v.span);
            }
        }
        self.release(mark);
    }

    fn globals_ref(&mut self) -> Reg {
        let r = self.temp();
        self.emit(Op::Const { dst: r, k: GLOBALS }, self.span);
        r
    }

    pub fn load_global(&mut self, g: tast::GlobalId) -> Reg {
        let obj = self.globals_ref();
        let r = self.temp();
        self.emit(
            Op::Load {
                dst: r,
                obj,
                index: g.0,
            },
            self.span,
        );
        r
    }

    pub fn store_global(&mut self, g: tast::GlobalId, src: Reg, span: Span) {
        let obj = self.globals_ref();
        self.emit(
            Op::Store {
                obj,
                index: g.0,
                src,
            },
            span,
        );
    }
}

/// Whether a block contains a `defer` statement (function literals are functions of their
/// own, so expressions need no search).
fn block_has_defer(b: &tast::Block) -> bool {
    b.stmts.iter().any(stmt_has_defer)
}

fn stmt_has_defer(s: &tast::Stmt) -> bool {
    use tast::StmtKind as S;
    match &s.kind {
        S::Defer(_) => true,
        S::Block(b) => block_has_defer(b),
        S::If { then, els, .. } => {
            block_has_defer(then) || els.as_deref().is_some_and(stmt_has_defer)
        }
        S::For { body, post, .. } => {
            block_has_defer(body) || post.as_deref().is_some_and(stmt_has_defer)
        }
        S::Range { body, .. } => block_has_defer(body),
        S::Switch { clauses, .. } => clauses.iter().any(|c| block_has_defer(&c.body)),
        S::TypeSwitch { clauses, .. } => clauses.iter().any(|c| block_has_defer(&c.body)),
        S::Select { cases, .. } => cases.iter().any(|c| block_has_defer(&c.body)),
        S::Labeled { stmt, .. } => stmt_has_defer(stmt),
        _ => false,
    }
}

/// Whether an expression denotes an existing location (so reading an aggregate from it must
/// copy).
pub(crate) fn is_location(e: &tast::Expr) -> bool {
    matches!(
        e.kind,
        tast::ExprKind::Var(_)
            | tast::ExprKind::Field { .. }
            | tast::ExprKind::PtrField { .. }
            | tast::ExprKind::Index { .. }
            | tast::ExprKind::Deref(_)
            | tast::ExprKind::MapIndex {
                comma_ok: false,
                ..
            }
            | tast::ExprKind::TypeAssert {
                comma_ok: false,
                ..
            }
    )
}
