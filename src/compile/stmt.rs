//! Statements: assignments to places, control flow with patched jumps, loops with Go 1.22
//! per-iteration variables, `defer` and `return` (results are stored, deferred calls run, then
//! the result variables are read, so deferred closures can change named results).

use super::{FuncCompiler, Rep, Target};
use crate::bytecode::{Cmp, CmpKind, IntOp, Op, Reg, SeqKind};
use crate::check::tast::{
    self, Block, Expr, ExprKind as E, LabelId, Place, RangeKind, Stmt, StmtKind as S, VarRef,
};
use crate::check::types::{Type, TypeId};
use crate::source::Span;
use crate::syntax::ast::BinaryOp;

/// A place whose operands are already in registers.
enum Prepared {
    Blank,
    Var(VarRef),
    Deref {
        ptr: Reg,
        pointee: TypeId,
    },
    Field {
        obj: Reg,
        index: u32,
        ty: TypeId,
    },
    Index {
        x: Reg,
        index: Reg,
        kind: SeqKind,
        elem: TypeId,
    },
    MapIndex {
        map: Reg,
        key: Reg,
    },
}

impl FuncCompiler<'_> {
    pub fn block(&mut self, b: &Block) {
        for s in &b.stmts {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        let mark = self.mark();
        self.span = s.span;
        let span = s.span;
        match &s.kind {
            S::Expr(e) => {
                self.expr(e);
            }
            S::Define { locals, values } => self.define(locals, values, span),
            S::Assign { places, values } => self.assign(places, values, span),
            S::AssignTuple { places, value } => {
                let first = self.tuple(value);
                for (i, place) in places.iter().enumerate() {
                    self.store(place, first + i as u32, span);
                }
            }
            S::OpAssign { place, op, value } => self.op_assign(place, *op, value, span),
            S::Send { chan, value } => self.send_stmt(chan, value, span),
            S::Go(call) => self.go_stmt(call, span),
            S::Defer(call) => self.defer(call, span),
            S::Return(values) => self.return_stmt(values, span),
            S::Block(b) => self.block(b),
            S::If { cond, then, els } => {
                let skips = self.branch_if(cond, false);
                self.release(mark);
                self.block(then);
                let end = els
                    .as_ref()
                    .map(|_| self.emit(Op::Jump { target: 0 }, span));
                let here = self.pc();
                for at in skips {
                    self.patch(at, here);
                }
                if let (Some(e), Some(end)) = (els, end) {
                    self.stmt(e);
                    let here = self.pc();
                    self.patch(end, here);
                }
            }
            S::For {
                label,
                cond,
                post,
                body,
                per_iteration,
            } => {
                self.for_loop(
                    *label,
                    cond.as_ref(),
                    post.as_deref(),
                    body,
                    per_iteration,
                    span,
                );
            }
            S::Range {
                label,
                kind,
                x,
                key,
                value,
                body,
            } => self.range(*label, *kind, x, key.as_ref(), value.as_ref(), body, span),
            S::Switch {
                label,
                tag,
                clauses,
            } => self.switch(*label, tag.as_ref(), clauses, span),
            S::TypeSwitch { label, x, clauses } => self.type_switch(*label, x, clauses, span),
            S::Select { label, cases } => self.select_stmt(*label, cases, span),
            S::Break(label) => {
                let at = self.emit(Op::Jump { target: 0 }, span);
                if let Some(t) = self.targets_mut(*label) {
                    t.breaks.push(at);
                }
            }
            S::Continue(label) => {
                let at = self.emit(Op::Jump { target: 0 }, span);
                if let Some(t) = self.targets_mut(*label) {
                    match t.continue_pc {
                        Some(pc) => self.patch(at, pc),
                        None => t.continues.push(at),
                    }
                }
            }
            S::Goto(label) => {
                let at = self.emit(Op::Jump { target: 0 }, span);
                self.gotos.push((at, *label));
            }
            S::Labeled { label, stmt } => {
                let here = self.pc();
                self.label_pcs.insert(*label, here);
                self.stmt(stmt);
            }
            S::Fallthrough | S::Bad => {}
        }
        self.release(mark);
    }

    fn targets_mut(&mut self, label: LabelId) -> Option<&mut Target> {
        self.targets.get_mut(&label)
    }

    fn define(&mut self, locals: &[tast::LocalId], values: &[Expr], span: Span) {
        if values.is_empty() {
            for l in locals {
                let r = self.local_reg(*l);
                let ty = self.local_types[l.0 as usize];
                self.zero_into(r, ty);
                if self.is_boxed(*l) {
                    self.emit(Op::NewCell { dst: r, src: r }, span);
                }
            }
            return;
        }
        if let ([l], [v]) = (locals, values) {
            if !self.is_boxed(*l) {
                // A new variable is not in scope in its own initialiser: compute into it.
                let r = self.local_reg(*l);
                self.value_into(v, r);
                return;
            }
        }
        // Values are all computed before any variable is set (`a, b := b, a`).
        let temps = self.values_into_temps(values, locals.len(), span);
        for (l, t) in locals.iter().zip(temps) {
            let r = self.local_reg(*l);
            if self.is_boxed(*l) {
                self.emit(Op::NewCell { dst: r, src: t }, span);
            } else {
                self.emit(Op::Move { dst: r, src: t }, span);
            }
        }
    }

    /// Stores `src` into a place (aggregates are copied into the place's own object).
    pub fn store(&mut self, place: &Place, src: Reg, span: Span) {
        let prepared = self.prepare(place, span);
        self.store_prepared(&prepared, src, span);
    }

    /// Evaluates the operands of a place (Go's first phase of assignment: index operands and
    /// pointers on the left are evaluated before anything is assigned).
    fn prepare(&mut self, place: &Place, span: Span) -> Prepared {
        let keep = |fc: &mut Self, e: &Expr| {
            let r = fc.expr(e);
            let t = fc.temp();
            fc.emit(Op::Move { dst: t, src: r }, span);
            t
        };
        match place {
            Place::Blank => Prepared::Blank,
            Place::Var(var) => Prepared::Var(*var),
            Place::Deref(p) => {
                let pointee = self.pointee(p.ty);
                Prepared::Deref {
                    ptr: keep(self, p),
                    pointee,
                }
            }
            Place::Field { x, index, .. } => {
                let ty = self.field_type(x.ty, *index);
                Prepared::Field {
                    obj: keep(self, x),
                    index: *index,
                    ty,
                }
            }
            Place::Index { x, index } => {
                let kind = match self.b.types.under(x.ty) {
                    Type::Pointer(_) => SeqKind::Array,
                    _ => self.seq_kind(x.ty),
                };
                let elem = self.elem_type(x.ty);
                let xr = keep(self, x);
                let i = keep(self, index);
                Prepared::Index {
                    x: xr,
                    index: i,
                    kind,
                    elem,
                }
            }
            Place::MapIndex { map, key } => {
                let m = keep(self, map);
                let k = self.value(key);
                let kt = self.temp();
                self.emit(Op::Move { dst: kt, src: k }, span);
                Prepared::MapIndex { map: m, key: kt }
            }
        }
    }

    fn store_prepared(&mut self, place: &Prepared, src: Reg, span: Span) {
        match *place {
            Prepared::Blank => {}
            Prepared::Var(var) => self.store_var(var, src, span),
            Prepared::Deref { ptr, pointee } => {
                if self.b.rep(pointee) == Rep::Aggregate {
                    self.emit(Op::NilCheck { src: ptr }, span);
                    self.emit(
                        Op::CopyInto {
                            dst: ptr,
                            src,
                            ty: pointee.0,
                        },
                        span,
                    );
                } else {
                    self.emit(Op::StorePtr { ptr, src }, span);
                }
            }
            Prepared::Field { obj, index, ty } => {
                if self.b.rep(ty) == Rep::Aggregate {
                    let dst = self.temp();
                    self.emit(Op::Load { dst, obj, index }, span);
                    self.emit(Op::CopyInto { dst, src, ty: ty.0 }, span);
                } else {
                    self.emit(Op::Store { obj, index, src }, span);
                }
            }
            Prepared::Index {
                x,
                index,
                kind,
                elem,
            } => {
                if self.b.rep(elem) == Rep::Aggregate {
                    let dst = self.temp();
                    self.emit(
                        Op::Index {
                            dst,
                            x,
                            index,
                            kind,
                        },
                        span,
                    );
                    self.emit(
                        Op::CopyInto {
                            dst,
                            src,
                            ty: elem.0,
                        },
                        span,
                    );
                } else {
                    self.emit(
                        Op::SetIndex {
                            x,
                            index,
                            src,
                            kind,
                        },
                        span,
                    );
                }
            }
            Prepared::MapIndex { map, key } => {
                self.emit(Op::MapSet { map, key, src }, span);
            }
        }
    }

    /// `a, b = x, y`: left operands, then right values (copied), then the stores in order.
    fn assign(&mut self, places: &[Place], values: &[Expr], span: Span) {
        if let ([place], [value]) = (places, values) {
            return self.assign_one(place, value, span);
        }
        let prepared: Vec<Prepared> = places.iter().map(|p| self.prepare(p, span)).collect();
        let regs = self.values_into_temps(values, places.len(), span);
        for (place, r) in prepared.iter().zip(regs) {
            self.store_prepared(place, r, span);
        }
    }

    /// `place = value`. With one place, no store can change an operand of another, and an
    /// unboxed local can only change by assignment, so operands need no copies; a scalar
    /// local is computed into directly (every instruction writes its result last).
    fn assign_one(&mut self, place: &Place, value: &Expr, span: Span) {
        if let Place::Var(VarRef::Local(l)) = place {
            let ty = self.local_types[l.0 as usize];
            if !self.is_boxed(*l) && self.b.rep(ty) == Rep::Scalar {
                let r = self.local_reg(*l);
                self.value_into(value, r);
                return;
            }
        }
        let prepared = self.prepare_direct(place, span);
        let src = self.value(value);
        self.store_prepared(&prepared, src, span);
    }

    /// A place's operands for a single assignment: in whatever registers they are.
    fn prepare_direct(&mut self, place: &Place, span: Span) -> Prepared {
        match place {
            Place::Index { x, index } => {
                let kind = match self.b.types.under(x.ty) {
                    Type::Pointer(_) => SeqKind::Array,
                    _ => self.seq_kind(x.ty),
                };
                let elem = self.elem_type(x.ty);
                let xr = self.expr(x);
                let i = self.expr(index);
                Prepared::Index {
                    x: xr,
                    index: i,
                    kind,
                    elem,
                }
            }
            Place::Field { x, index, .. } => {
                let ty = self.field_type(x.ty, *index);
                Prepared::Field {
                    obj: self.expr(x),
                    index: *index,
                    ty,
                }
            }
            _ => self.prepare(place, span),
        }
    }

    fn pointee(&self, ptr: TypeId) -> TypeId {
        match self.b.types.under(ptr) {
            Type::Pointer(e) => *e,
            _ => TypeId::INVALID,
        }
    }

    fn store_var(&mut self, var: VarRef, src: Reg, span: Span) {
        let ty = self.var_type(var);
        if self.b.rep(ty) == Rep::Aggregate {
            let dst = match var {
                VarRef::Local(l) => self.local_reg(l),
                VarRef::Capture(i) => {
                    let c = self.temp();
                    self.emit(Op::LoadCapture { dst: c, index: i }, span);
                    c
                }
                VarRef::Global(g) => self.load_global(g),
            };
            self.emit(Op::CopyInto { dst, src, ty: ty.0 }, span);
            return;
        }
        match var {
            VarRef::Local(l) if self.is_boxed(l) => {
                let cell = self.local_reg(l);
                self.emit(
                    Op::Store {
                        obj: cell,
                        index: 0,
                        src,
                    },
                    span,
                );
            }
            VarRef::Local(l) => {
                let r = self.local_reg(l);
                self.emit(Op::Move { dst: r, src }, span);
            }
            VarRef::Capture(i) => {
                let c = self.temp();
                self.emit(Op::LoadCapture { dst: c, index: i }, span);
                self.emit(
                    Op::Store {
                        obj: c,
                        index: 0,
                        src,
                    },
                    span,
                );
            }
            VarRef::Global(g) => self.store_global(g, src, span),
        }
    }

    /// Reads a place's current value (for `x op= y`).
    fn load_place(&mut self, place: &Place, ty: TypeId, span: Span) -> Reg {
        match place {
            Place::Var(var) => self.read_var(*var, span),
            Place::Deref(p) => {
                let e = Expr {
                    kind: E::Deref(Box::new(p.as_ref().clone())),
                    ty,
                    span,
                };
                self.expr(&e)
            }
            Place::Field {
                x,
                index,
                through_pointer,
            } => {
                let kind = if *through_pointer {
                    E::PtrField {
                        x: x.clone(),
                        index: *index,
                    }
                } else {
                    E::Field {
                        x: x.clone(),
                        index: *index,
                    }
                };
                self.expr(&Expr { kind, ty, span })
            }
            Place::Index { x, index } => self.expr(&Expr {
                kind: E::Index {
                    x: x.clone(),
                    index: index.clone(),
                },
                ty,
                span,
            }),
            Place::MapIndex { map, key } => self.expr(&Expr {
                kind: E::MapIndex {
                    map: map.clone(),
                    key: key.clone(),
                    comma_ok: false,
                },
                ty,
                span,
            }),
            Place::Blank => self.temp(),
        }
    }

    fn op_assign(&mut self, place: &Place, op: BinaryOp, value: &Expr, span: Span) {
        let ty = self.place_type(place, value);
        if let Place::Var(VarRef::Local(l)) = place {
            if !self.is_boxed(*l) {
                // `x op= v` on a register variable: one instruction writes it.
                let r = self.local_reg(*l);
                self.arith_expr(op, r, value, ty, Some(r), span);
                return;
            }
        }
        let current = self.load_place(place, ty, span);
        let r = self.arith_expr(op, current, value, ty, None, span);
        self.store(place, r, span);
    }

    /// The type of a place, from the value assigned with `op=` (same type except for shifts).
    fn place_type(&self, place: &Place, value: &Expr) -> TypeId {
        match place {
            Place::Var(v) => self.var_type(*v),
            _ => value.ty,
        }
    }

    fn defer(&mut self, call: &Expr, span: Span) {
        match &call.kind {
            E::CallStatic { func, args } => {
                let regs: Vec<Reg> = args.iter().map(|a| self.value(a)).collect();
                let first = self.consecutive_fresh(&regs);
                let native = self
                    .all
                    .get(func.0 as usize)
                    .is_some_and(|f| f.body.is_none());
                self.emit(
                    Op::Defer {
                        func: func.0,
                        callee: first,
                        args: first,
                        nargs: regs.len() as u32,
                        native,
                    },
                    span,
                );
            }
            E::CallDynamic { func, args } => {
                let callee = self.expr(func);
                let regs: Vec<Reg> = args.iter().map(|a| self.value(a)).collect();
                let first = self.consecutive_fresh(&regs);
                self.emit(
                    Op::Defer {
                        func: u32::MAX,
                        callee,
                        args: first,
                        nargs: regs.len() as u32,
                        native: false,
                    },
                    span,
                );
            }
            E::CallInterface { recv, method, args } => {
                // The method is bound to the receiver's dynamic value now, as Go evaluates
                // the receiver at the defer statement.
                let r = self.expr(recv);
                let callee = self.temp();
                self.emit(
                    Op::BindIfaceMethod {
                        dst: callee,
                        recv: r,
                        iface: recv.ty.0,
                        method: *method,
                    },
                    span,
                );
                let regs: Vec<Reg> = args.iter().map(|a| self.value(a)).collect();
                let first = self.consecutive_fresh(&regs);
                self.emit(
                    Op::Defer {
                        func: u32::MAX,
                        callee,
                        args: first,
                        nargs: regs.len() as u32,
                        native: false,
                    },
                    span,
                );
            }
            E::CallBuiltin {
                builtin: crate::check::tast::Builtin::Close,
                args,
                ..
            } => {
                let chan = self.expr(&args[0]);
                self.emit(Op::DeferClose { chan }, span);
            }
            E::Let { temps, value, body } => {
                // `defer f(g())` with a multi-value `g`: g runs now, f when deferred.
                let first = self.tuple(value);
                for (i, t) in temps.iter().enumerate() {
                    let r = self.local_reg(*t);
                    let src = first + i as u32;
                    self.emit(Op::Move { dst: r, src }, span);
                }
                self.defer(body, span);
            }
            _ => {
                self.unsupported("this kind of call in a defer statement", span);
            }
        }
    }

    /// Evaluates `values` (or one multi-value expression spread over `n` slots) into fresh
    /// temporaries, so that no assignment can change a value still to be assigned.
    fn values_into_temps(&mut self, values: &[Expr], n: usize, span: Span) -> Vec<Reg> {
        let regs: Vec<Reg> = if values.len() == 1 && n > 1 {
            let first = self.tuple(&values[0]);
            (0..n as u32).map(|i| first + i).collect()
        } else {
            values.iter().map(|v| self.value(v)).collect()
        };
        regs.iter()
            .map(|&r| {
                let t = self.temp();
                self.emit(Op::Move { dst: t, src: r }, span);
                t
            })
            .collect()
    }

    fn return_stmt(&mut self, values: &[Expr], span: Span) {
        let results = self.result_locals.clone();
        if !self.has_defer && !values.is_empty() {
            // Nothing runs between this return and the caller: the values go back directly.
            let src = if values.len() == 1 && results.len() == 1 {
                self.value(&values[0])
            } else if values.len() == 1 {
                self.tuple(&values[0])
            } else {
                let first = self.temps(values.len() as u32);
                for (i, v) in values.iter().enumerate() {
                    self.value_into(v, first + i as u32);
                }
                first
            };
            self.emit(
                Op::Return {
                    src,
                    n: results.len() as u32,
                },
                span,
            );
            return;
        }
        if !values.is_empty() {
            let temps = self.values_into_temps(values, results.len(), span);
            for (l, t) in results.iter().zip(temps) {
                self.store_var(VarRef::Local(*l), t, span);
            }
        }
        if self.has_defer {
            self.emit(Op::RunDefers, span);
        }
        let regs: Vec<Reg> = results.iter().map(|l| self.read_local(*l)).collect();
        let src = self.consecutive_regs(&regs);
        self.emit(
            Op::Return {
                src,
                n: regs.len() as u32,
            },
            span,
        );
    }

    pub(super) fn enter_loop(&mut self, label: Option<LabelId>) {
        if let Some(l) = label {
            self.targets.insert(
                l,
                Target {
                    breaks: Vec::new(),
                    continues: Vec::new(),
                    continue_pc: None,
                },
            );
        }
    }

    pub(super) fn set_continue(&mut self, label: Option<LabelId>, pc: usize) {
        let Some(l) = label else { return };
        let pending = match self.targets.get_mut(&l) {
            Some(t) => {
                t.continue_pc = Some(pc);
                std::mem::take(&mut t.continues)
            }
            None => Vec::new(),
        };
        for at in pending {
            self.patch(at, pc);
        }
    }

    pub(super) fn leave_loop(&mut self, label: Option<LabelId>, end: usize) {
        let Some(l) = label else { return };
        if let Some(t) = self.targets.remove(&l) {
            for at in t.breaks {
                self.patch(at, end);
            }
            for at in t.continues {
                self.patch(at, end);
            }
        }
    }

    fn for_loop(
        &mut self,
        label: Option<LabelId>,
        cond: Option<&Expr>,
        post: Option<&Stmt>,
        body: &Block,
        per_iteration: &[tast::LocalId],
        span: Span,
    ) {
        self.enter_loop(label);
        // The condition is tested at the bottom (one branch per iteration): enter by jumping
        // to it.
        let entry = cond.map(|_| self.emit(Op::Jump { target: 0 }, span));
        let top = self.pc();
        self.block(body);
        let continue_pc = self.pc();
        self.set_continue(label, continue_pc);
        // Go 1.22: each iteration has its own copy of the loop variables; only captured ones
        // (boxed) can tell, so only they get a fresh cell before the post statement.
        for l in per_iteration {
            if self.is_boxed(*l) {
                let mark = self.mark();
                let cell = self.local_reg(*l);
                let v = self.temp();
                self.emit(
                    Op::Load {
                        dst: v,
                        obj: cell,
                        index: 0,
                    },
                    span,
                );
                self.emit(Op::NewCell { dst: cell, src: v }, span);
                self.release(mark);
            }
        }
        if let Some(p) = post {
            self.stmt(p);
        }
        match (cond, entry) {
            (Some(c), Some(entry)) => {
                let here = self.pc();
                self.patch(entry, here);
                let mark = self.mark();
                self.span = span;
                for at in self.branch_if(c, true) {
                    self.patch(at, top);
                }
                self.release(mark);
            }
            _ => {
                self.emit(Op::Jump { target: top as u32 }, span);
            }
        }
        let end = self.pc();
        self.leave_loop(label, end);
    }

    #[allow(clippy::too_many_arguments)]
    fn range(
        &mut self,
        label: Option<LabelId>,
        kind: RangeKind,
        x: &Expr,
        key: Option<&Place>,
        value: Option<&Place>,
        body: &Block,
        span: Span,
    ) {
        match kind {
            RangeKind::Map => return self.range_map(label, x, key, value, body, span),
            RangeKind::Chan => return self.range_chan(label, x, key, body, span),
            _ => {}
        }
        // The range expression is evaluated once: later assignments to a ranged variable do
        // not change the iteration.
        let ranged = self.value(x);
        let seq = self.temp();
        self.emit(
            Op::Move {
                dst: seq,
                src: ranged,
            },
            span,
        );
        let len = self.temp();
        match kind {
            RangeKind::Int => {
                self.emit(Op::Move { dst: len, src: seq }, span);
            }
            RangeKind::String => {
                self.emit(
                    Op::Len {
                        dst: len,
                        x: seq,
                        kind: SeqKind::String,
                    },
                    span,
                );
            }
            RangeKind::Slice => {
                self.emit(
                    Op::Len {
                        dst: len,
                        x: seq,
                        kind: SeqKind::Slice,
                    },
                    span,
                );
            }
            _ => {
                self.emit(
                    Op::Len {
                        dst: len,
                        x: seq,
                        kind: SeqKind::Array,
                    },
                    span,
                );
            }
        }
        let i = self.temp();
        let zero = self.b.word(0);
        self.emit(Op::Const { dst: i, k: zero }, span);
        let one = self.temp();
        let k1 = self.b.word(1);
        self.emit(Op::Const { dst: one, k: k1 }, span);
        let step = self.temp();
        self.enter_loop(label);
        let top = self.pc();
        let exit = self.emit(
            Op::JumpCmpInt {
                cmp: Cmp::Ge,
                a: i,
                b: len,
                target: 0,
            },
            span,
        );
        if kind == RangeKind::String {
            let rune = self.temps(2);
            self.emit(
                Op::DecodeRune {
                    dst: rune,
                    s: seq,
                    index: i,
                },
                span,
            );
            self.emit(
                Op::Move {
                    dst: step,
                    src: rune + 1,
                },
                span,
            );
            self.assign_iteration(key, i, span);
            self.assign_iteration(value, rune, span);
        } else {
            self.emit(
                Op::Move {
                    dst: step,
                    src: one,
                },
                span,
            );
            self.assign_iteration(key, i, span);
            if value.is_some() {
                let elem = self.temp();
                let seq_kind = if kind == RangeKind::Slice {
                    SeqKind::Slice
                } else {
                    SeqKind::Array
                };
                self.emit(
                    Op::Index {
                        dst: elem,
                        x: seq,
                        index: i,
                        kind: seq_kind,
                    },
                    span,
                );
                let elem_ty = self.elem_type(x.ty);
                let copied = if self.b.rep(elem_ty) == Rep::Aggregate {
                    let c = self.temp();
                    self.emit(
                        Op::CopyValue {
                            dst: c,
                            src: elem,
                            ty: elem_ty.0,
                        },
                        span,
                    );
                    c
                } else {
                    elem
                };
                self.assign_iteration(value, copied, span);
            }
        }
        self.block(body);
        let continue_pc = self.pc();
        self.set_continue(label, continue_pc);
        self.emit(
            Op::Int {
                op: IntOp::Add,
                dst: i,
                a: i,
                b: step,
            },
            span,
        );
        self.emit(Op::Jump { target: top as u32 }, span);
        let end = self.pc();
        self.patch(exit, end);
        self.leave_loop(label, end);
    }

    /// Assigns an iteration value to a range variable (a new variable each iteration when
    /// declared with `:=`, which `define`-style places get from their own cells).
    pub(super) fn assign_iteration(&mut self, place: Option<&Place>, src: Reg, span: Span) {
        let Some(place) = place else { return };
        if let Place::Var(VarRef::Local(l)) = place {
            if self.is_boxed(*l) {
                let r = self.local_reg(*l);
                self.emit(Op::NewCell { dst: r, src }, span);
                return;
            }
        }
        self.store(place, src, span);
    }

    fn range_map(
        &mut self,
        label: Option<LabelId>,
        x: &Expr,
        key: Option<&Place>,
        value: Option<&Place>,
        body: &Block,
        span: Span,
    ) {
        let m = self.expr(x);
        let iter = self.temp();
        self.emit(Op::MapIter { dst: iter, map: m }, span);
        let k = self.temp();
        let v = self.temp();
        self.enter_loop(label);
        let top = self.pc();
        let next = self.emit(
            Op::MapNext {
                iter,
                key: k,
                value: v,
                done: 0,
            },
            span,
        );
        if let Type::Map(_, value_ty) = self.b.types.under(x.ty).clone() {
            if self.b.rep(value_ty) == Rep::Aggregate {
                self.emit(
                    Op::CopyValue {
                        dst: v,
                        src: v,
                        ty: value_ty.0,
                    },
                    span,
                );
            }
        }
        self.assign_iteration(key, k, span);
        self.assign_iteration(value, v, span);
        self.block(body);
        let continue_pc = self.pc();
        self.set_continue(label, continue_pc);
        self.emit(Op::Jump { target: top as u32 }, span);
        let end = self.pc();
        self.patch(next, end);
        self.leave_loop(label, end);
    }

    fn switch(
        &mut self,
        label: Option<LabelId>,
        tag: Option<&Expr>,
        clauses: &[tast::CaseClause],
        span: Span,
    ) {
        self.enter_loop(label);
        let tag_reg = tag.map(|t| {
            let r = self.value(t);
            let keep = self.temp();
            self.emit(Op::Move { dst: keep, src: r }, span);
            keep
        });
        let kind = tag.map_or(CmpKind::Word, |t| self.switch_cmp_kind(t.ty));
        // Tests: each case value jumps to its clause's body.
        let mut body_jumps: Vec<Vec<usize>> = Vec::new();
        for c in clauses {
            let mut jumps = Vec::new();
            for v in &c.values {
                let mark = self.mark();
                let r = self.value(v);
                let hit = match tag_reg {
                    Some(t) => {
                        let h = self.temp();
                        self.emit(
                            Op::Compare {
                                cmp: Cmp::Eq,
                                kind,
                                dst: h,
                                a: t,
                                b: r,
                            },
                            span,
                        );
                        h
                    }
                    None => r,
                };
                jumps.push(self.emit(
                    Op::JumpIf {
                        cond: hit,
                        target: 0,
                    },
                    span,
                ));
                self.release(mark);
            }
            body_jumps.push(jumps);
        }
        let to_default = self.emit(Op::Jump { target: 0 }, span);
        let mut ends = Vec::new();
        let mut fall_from: Option<usize> = None;
        let mut default_pc = None;
        for (i, c) in clauses.iter().enumerate() {
            let start = self.pc();
            if let Some(at) = fall_from.take() {
                self.patch(at, start);
            }
            for at in &body_jumps[i] {
                self.patch(*at, start);
            }
            if c.is_default {
                default_pc = Some(start);
            }
            self.block(&c.body);
            let at = self.emit(Op::Jump { target: 0 }, span);
            if c.fallthrough {
                fall_from = Some(at);
            } else {
                ends.push(at);
            }
        }
        let end = self.pc();
        self.patch(to_default, default_pc.unwrap_or(end));
        for at in ends.into_iter().chain(fall_from) {
            self.patch(at, end);
        }
        self.leave_loop(label, end);
    }

    fn switch_cmp_kind(&self, ty: TypeId) -> CmpKind {
        let zero = Expr {
            kind: E::Const(crate::check::constant::Value::Bool(false)),
            ty,
            span: Span::default(),
        };
        let _ = zero;
        match self.b.types.under(ty) {
            Type::Basic(k) if k.is_float() => CmpKind::Float,
            Type::Basic(k) if k.is_string() => CmpKind::String,
            Type::Basic(k) if k.is_unsigned() => CmpKind::Uint,
            Type::Basic(k) if k.is_integer() => CmpKind::Int,
            Type::Struct(_) | Type::Array(..) | Type::Interface(_) => CmpKind::Deep(ty.0),
            _ => CmpKind::Word,
        }
    }

    fn type_switch(
        &mut self,
        label: Option<LabelId>,
        x: &Expr,
        clauses: &[tast::TypeClause],
        span: Span,
    ) {
        self.enter_loop(label);
        let v = self.expr(x);
        let subject = self.temp();
        self.emit(
            Op::Move {
                dst: subject,
                src: v,
            },
            span,
        );
        let mut ends = Vec::new();
        let mut default: Option<&tast::TypeClause> = None;
        for c in clauses {
            if c.is_default {
                default = Some(c);
                continue;
            }
            let mut hits = Vec::new();
            let out = self.temps(2);
            for t in &c.types {
                match t {
                    Some(ty) => {
                        self.emit(
                            Op::AssertType {
                                dst: out,
                                src: subject,
                                ty: ty.0,
                                ok: true,
                                from: 0,
                            },
                            span,
                        );
                        hits.push(self.emit(
                            Op::JumpIf {
                                cond: out + 1,
                                target: 0,
                            },
                            span,
                        ));
                    }
                    None => {
                        let zero = self.temp();
                        let k = self.b.word(0);
                        self.emit(Op::Const { dst: zero, k }, span);
                        let h = self.temp();
                        self.emit(
                            Op::Compare {
                                cmp: Cmp::Eq,
                                kind: CmpKind::Word,
                                dst: h,
                                a: subject,
                                b: zero,
                            },
                            span,
                        );
                        hits.push(self.emit(Op::JumpIf { cond: h, target: 0 }, span));
                    }
                }
            }
            let skip = self.emit(Op::Jump { target: 0 }, span);
            let start = self.pc();
            for at in hits {
                self.patch(at, start);
            }
            if let Some(local) = c.bind {
                let single = matches!(c.types.as_slice(), [Some(_)]);
                let src = if single { out } else { subject };
                let r = self.local_reg(local);
                if self.is_boxed(local) {
                    self.emit(Op::NewCell { dst: r, src }, span);
                } else {
                    self.emit(Op::Move { dst: r, src }, span);
                }
            }
            self.block(&c.body);
            ends.push(self.emit(Op::Jump { target: 0 }, span));
            let next = self.pc();
            self.patch(skip, next);
        }
        if let Some(c) = default {
            if let Some(local) = c.bind {
                let r = self.local_reg(local);
                if self.is_boxed(local) {
                    self.emit(
                        Op::NewCell {
                            dst: r,
                            src: subject,
                        },
                        span,
                    );
                } else {
                    self.emit(
                        Op::Move {
                            dst: r,
                            src: subject,
                        },
                        span,
                    );
                }
            }
            self.block(&c.body);
        }
        let end = self.pc();
        for at in ends {
            self.patch(at, end);
        }
        self.leave_loop(label, end);
    }
}
