//! Expressions: each evaluates into a register (see the module comment of `compile` for how
//! values are represented).

use super::{is_location, FuncCompiler, Rep};
use crate::bytecode::{Cmp, CmpKind, Conv, FloatOp, IntOp, Op, Reg, SeqKind, Width};
use crate::check::basic::BasicKind;
use crate::check::constant::Value;
use crate::check::tast::{Builtin, Expr, ExprKind as E, Place, VarRef};
use crate::check::types::{Type, TypeId};
use crate::source::Span;
use crate::syntax::ast::{BinaryOp, UnaryOp};

/// The comparison that is true exactly when `cmp` is false (for totally ordered operands).
fn negate(cmp: Cmp) -> Cmp {
    match cmp {
        Cmp::Eq => Cmp::Ne,
        Cmp::Ne => Cmp::Eq,
        Cmp::Lt => Cmp::Ge,
        Cmp::Le => Cmp::Gt,
        Cmp::Gt => Cmp::Le,
        Cmp::Ge => Cmp::Lt,
    }
}

/// The comparison with its operands swapped (`a < b` is `b > a`).
fn swap(cmp: Cmp) -> Cmp {
    match cmp {
        Cmp::Eq => Cmp::Eq,
        Cmp::Ne => Cmp::Ne,
        Cmp::Lt => Cmp::Gt,
        Cmp::Le => Cmp::Ge,
        Cmp::Gt => Cmp::Lt,
        Cmp::Ge => Cmp::Le,
    }
}

/// Which family of integer a type is, for choosing signed/unsigned ops and wrapping.
fn width_of(kind: BasicKind) -> Option<Width> {
    match kind {
        BasicKind::Int8 => Some(Width::I8),
        BasicKind::Int16 => Some(Width::I16),
        BasicKind::Int32 => Some(Width::I32),
        BasicKind::Uint8 => Some(Width::U8),
        BasicKind::Uint16 => Some(Width::U16),
        BasicKind::Uint32 => Some(Width::U32),
        _ => None,
    }
}

impl FuncCompiler<'_> {
    /// Evaluates `e` as a value that the caller may store: aggregates read from a location are
    /// copied.
    pub fn value(&mut self, e: &Expr) -> Reg {
        let r = self.expr(e);
        if self.b.rep(e.ty) == Rep::Aggregate && is_location(e) {
            let t = self.temp();
            self.emit(
                Op::CopyValue {
                    dst: t,
                    src: r,
                    ty: e.ty.0,
                },
                e.span,
            );
            return t;
        }
        r
    }

    /// Evaluates `e` as a storable value (see [`FuncCompiler::value`]) into register `dst`.
    pub fn value_into(&mut self, e: &Expr, dst: Reg) {
        if self.b.rep(e.ty) == Rep::Aggregate && is_location(e) {
            let r = self.expr(e);
            self.emit(
                Op::CopyValue {
                    dst,
                    src: r,
                    ty: e.ty.0,
                },
                e.span,
            );
            return;
        }
        self.expr_into(e, dst);
    }

    /// Evaluates `e` into register `dst`. `dst` may be a variable that `e` reads: it is
    /// written only by the last instruction, after every operand was read.
    pub fn expr_into(&mut self, e: &Expr, dst: Reg) {
        match &e.kind {
            E::Const(v) => {
                let k = self.const_index(v, e.ty);
                self.emit(Op::Const { dst, k }, e.span);
            }
            E::Binary { op, x, y }
                if !matches!(
                    op,
                    BinaryOp::AndAnd
                        | BinaryOp::OrOr
                        | BinaryOp::Eq
                        | BinaryOp::Ne
                        | BinaryOp::Lt
                        | BinaryOp::Le
                        | BinaryOp::Gt
                        | BinaryOp::Ge
                ) =>
            {
                let a = self.expr(x);
                self.arith_expr(*op, a, y, e.ty, Some(dst), e.span);
            }
            _ => {
                let r = self.expr(e);
                if r != dst {
                    self.emit(Op::Move { dst, src: r }, e.span);
                }
            }
        }
    }

    /// Evaluates `e` into some register (possibly a variable's own register: do not write it).
    pub fn expr(&mut self, e: &Expr) -> Reg {
        let span = e.span;
        match &e.kind {
            E::Const(v) => self.constant(v, e.ty, span),
            E::Zero => {
                let r = self.temp();
                self.zero_into(r, e.ty);
                r
            }
            E::Var(var) => self.read_var(*var, span),
            E::Func(f) => {
                let r = self.temp();
                self.emit(
                    Op::MakeClosure {
                        dst: r,
                        func: f.0,
                        captures: r,
                        n: 0,
                    },
                    span,
                );
                r
            }
            E::Closure { func, captures } => self.closure(func.0, captures, span),
            E::CallStatic { func, args } => self.call_static(func.0, args, e.ty, span),
            E::CallDynamic { func, args } => {
                let callee = self.expr(func);
                let (first, n) = self.args(args);
                let dst = self.result_regs(e.ty);
                self.emit(
                    Op::CallClosure {
                        callee,
                        args: first,
                        nargs: n,
                        dst,
                    },
                    span,
                );
                dst
            }
            E::CallInterface { recv, method, args } => {
                let mut all = vec![self.expr(recv)];
                for a in args {
                    all.push(self.value(a));
                }
                let first = self.consecutive_fresh(&all);
                let dst = self.result_regs(e.ty);
                self.emit(
                    Op::CallIface {
                        iface: recv.ty.0,
                        method: *method,
                        args: first,
                        nargs: all.len() as u32,
                        dst,
                    },
                    span,
                );
                dst
            }
            E::CallBuiltin {
                builtin,
                args,
                spread,
            } => self.builtin(*builtin, args, *spread, e.ty, span),
            E::Let { temps, value, body } => {
                let first = self.tuple(value);
                for (i, t) in temps.iter().enumerate() {
                    let r = self.local_reg(*t);
                    self.emit(
                        Op::Move {
                            dst: r,
                            src: first + i as u32,
                        },
                        span,
                    );
                }
                self.expr(body)
            }
            E::Field { x, index } | E::PtrField { x, index } => {
                let obj = self.expr(x);
                let r = self.temp();
                self.emit(
                    Op::Load {
                        dst: r,
                        obj,
                        index: *index,
                    },
                    span,
                );
                r
            }
            E::Deref(x) => {
                let p = self.expr(x);
                if self.b.rep(e.ty) == Rep::Aggregate {
                    self.emit(Op::NilCheck { src: p }, span);
                    return p;
                }
                let r = self.temp();
                self.emit(Op::LoadPtr { dst: r, ptr: p }, span);
                r
            }
            E::AddrOf(place) => self.addr_of(place, span),
            E::New(init) => self.new_object(init, span),
            E::Index { x, index } => {
                let kind = self.seq_kind(x.ty);
                if let Some(r) = self.index2(x, index, kind, span) {
                    return r;
                }
                let xr = self.expr(x);
                let i = self.expr(index);
                let r = self.temp();
                self.emit(
                    Op::Index {
                        dst: r,
                        x: xr,
                        index: i,
                        kind,
                    },
                    span,
                );
                r
            }
            E::MapIndex { map, key, comma_ok } => {
                let m = self.expr(map);
                let k = self.value(key);
                let r = self.temps(if *comma_ok { 2 } else { 1 });
                self.emit(
                    Op::MapGet {
                        dst: r,
                        map: m,
                        key: k,
                        ok: *comma_ok,
                    },
                    span,
                );
                r
            }
            E::Slice { x, lo, hi, max } => {
                self.slice(x, lo.as_deref(), hi.as_deref(), max.as_deref(), e.ty, span)
            }
            E::Unary { op, x } => self.unary(*op, x, e.ty, span),
            E::Binary { op, x, y } => self.binary(*op, x, y, e.ty, span),
            E::Convert(x) => self.convert(x, e.ty, span),
            E::ToInterface(x) => {
                let v = self.value(x);
                if self.b.types.is_interface(x.ty) {
                    return v;
                }
                let r = self.temp();
                self.emit(
                    Op::ToIface {
                        dst: r,
                        src: v,
                        ty: x.ty.0,
                    },
                    span,
                );
                r
            }
            E::TypeAssert {
                x,
                target,
                comma_ok,
            } => {
                let v = self.expr(x);
                let r = self.temps(if *comma_ok { 2 } else { 1 });
                self.emit(
                    Op::AssertType {
                        dst: r,
                        src: v,
                        ty: target.0,
                        ok: *comma_ok,
                        from: x.ty.0,
                    },
                    span,
                );
                r
            }
            E::Recv { chan, comma_ok } => self.recv_expr(chan, *comma_ok, span),
            E::StructLit(values) => {
                let r = self.temp();
                self.emit(Op::NewZero { dst: r, ty: e.ty.0 }, span);
                for (i, v) in values.iter().enumerate() {
                    if matches!(v.kind, E::Zero) {
                        continue;
                    }
                    let src = self.value(v);
                    self.emit(
                        Op::Store {
                            obj: r,
                            index: i as u32,
                            src,
                        },
                        v.span,
                    );
                }
                r
            }
            E::ArrayLit { elems, len } => self.array_literal(elems, *len, e.ty, span),
            E::MapLit(pairs) => {
                let r = self.temp();
                self.emit(Op::MakeMap { dst: r, ty: e.ty.0 }, span);
                for (k, v) in pairs {
                    let kr = self.value(k);
                    let vr = self.value(v);
                    self.emit(
                        Op::MapSet {
                            map: r,
                            key: kr,
                            src: vr,
                        },
                        k.span,
                    );
                }
                r
            }
            E::MethodValue { recv, func } => {
                let rv = self.value(recv);
                let r = self.temp();
                self.emit(
                    Op::BindMethod {
                        dst: r,
                        func: func.0,
                        recv: rv,
                    },
                    span,
                );
                r
            }
            E::InterfaceMethodValue { recv, method } => {
                let rv = self.expr(recv);
                let r = self.temp();
                self.emit(
                    Op::BindIfaceMethod {
                        dst: r,
                        recv: rv,
                        iface: recv.ty.0,
                        method: *method,
                    },
                    span,
                );
                r
            }
        }
    }

    /// `s[i][j]` on a slice of slices as one `Index2`, when the outer index is a variable or
    /// a constant (nothing observable runs between the two bounds checks).
    fn index2(&mut self, x: &Expr, j: &Expr, kind: SeqKind, span: Span) -> Option<Reg> {
        let E::Index { x: outer, index: i } = &x.kind else {
            return None;
        };
        let simple = matches!(j.kind, E::Var(VarRef::Local(_)) | E::Const(_));
        if kind != SeqKind::Slice || self.seq_kind(outer.ty) != SeqKind::Slice || !simple {
            return None;
        }
        let xr = self.expr(outer);
        let ir = self.expr(i);
        let jr = self.expr(j);
        let r = self.temp();
        self.emit(
            Op::Index2 {
                dst: r,
                x: xr,
                i: ir,
                j: jr,
            },
            span,
        );
        Some(r)
    }

    /// Emits a runtime failure for a construct the VM does not run yet.
    pub fn unsupported(&mut self, what: &str, span: Span) -> Reg {
        let message = self.b.message(&format!("gom: {what} is not supported"));
        self.emit(Op::Fail { message }, span);
        self.temp()
    }

    fn constant(&mut self, v: &Value, ty: TypeId, span: Span) -> Reg {
        let r = self.temp();
        let k = self.const_index(v, ty);
        self.emit(Op::Const { dst: r, k }, span);
        r
    }

    fn const_index(&mut self, v: &Value, ty: TypeId) -> u32 {
        match v {
            Value::String(bytes) => self.b.string(bytes),
            _ => {
                let w = self.const_word(v, ty);
                self.b.word(w)
            }
        }
    }

    /// The value of an integer constant operand that fits an instruction's immediate.
    pub fn immediate(&self, e: &Expr) -> Option<i32> {
        let E::Const(v) = &e.kind else { return None };
        let kind = self.b.types.basic_kind(e.ty)?;
        if !kind.is_integer() {
            return None;
        }
        i32::try_from(self.const_word(v, e.ty) as i64).ok()
    }

    /// The word of a non-string constant of type `ty`.
    pub fn const_word(&self, v: &Value, ty: TypeId) -> u64 {
        let kind = self.b.types.basic_kind(ty).unwrap_or(BasicKind::Int);
        match v {
            Value::Bool(b) => u64::from(*b),
            _ if kind.is_float() => v.to_f64().map_or(0, |f| {
                if kind == BasicKind::Float32 {
                    f64::from(f as f32).to_bits()
                } else {
                    f.to_bits()
                }
            }),
            _ if kind.is_unsigned() => v.to_u64().unwrap_or(0),
            _ => v
                .to_i64()
                .map_or_else(|| v.to_u64().unwrap_or(0), |i| i as u64),
        }
    }

    pub fn read_var(&mut self, var: VarRef, span: Span) -> Reg {
        match var {
            VarRef::Local(l) => self.read_local(l),
            VarRef::Global(g) => self.load_global(g),
            VarRef::Capture(i) => {
                let c = self.temp();
                self.emit(Op::LoadCapture { dst: c, index: i }, span);
                let ty = self.capture_type(i);
                if self.b.rep(ty) == Rep::Aggregate {
                    return c;
                }
                let r = self.temp();
                self.emit(
                    Op::Load {
                        dst: r,
                        obj: c,
                        index: 0,
                    },
                    span,
                );
                r
            }
        }
    }

    /// The type of the i-th capture of the function being compiled.
    pub fn capture_type(&self, i: u32) -> TypeId {
        self.capture_types
            .get(i as usize)
            .copied()
            .unwrap_or(TypeId::INVALID)
    }

    /// The register holding a variable's storage: its cell for boxed scalars, its object for
    /// aggregates (what a closure captures).
    fn storage_ref(&mut self, var: VarRef, span: Span) -> Reg {
        match var {
            VarRef::Local(l) => self.local_reg(l),
            VarRef::Capture(i) => {
                let c = self.temp();
                self.emit(Op::LoadCapture { dst: c, index: i }, span);
                c
            }
            VarRef::Global(g) => self.load_global(g),
        }
    }

    fn closure(&mut self, func: u32, captures: &[VarRef], span: Span) -> Reg {
        let regs: Vec<Reg> = captures
            .iter()
            .map(|c| self.storage_ref(*c, span))
            .collect();
        let first = self.consecutive_fresh(&regs);
        let r = self.temp();
        self.emit(
            Op::MakeClosure {
                dst: r,
                func,
                captures: first,
                n: regs.len() as u32,
            },
            span,
        );
        r
    }

    /// Copies registers into fresh consecutive temporaries (argument lists).
    pub fn consecutive_fresh(&mut self, regs: &[Reg]) -> Reg {
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

    /// Evaluates call arguments straight into a block of fresh registers (the callee's frame
    /// will start at the first; everything evaluated meanwhile lives above it and is dead by
    /// the call).
    fn args(&mut self, args: &[Expr]) -> (Reg, u32) {
        let first = self.temps(args.len().max(1) as u32);
        for (i, a) in args.iter().enumerate() {
            self.value_into(a, first + i as u32);
        }
        (first, args.len() as u32)
    }

    /// Registers for a call's results (at least one, so `dst` is always valid).
    fn result_regs(&mut self, ty: TypeId) -> Reg {
        let n = match self.b.types.get(ty) {
            Type::Tuple(items) => items.len().max(1),
            _ => 1,
        };
        self.temps(n as u32)
    }

    fn call_static(&mut self, func: u32, args: &[Expr], ty: TypeId, span: Span) -> Reg {
        let (first, n) = self.args(args);
        // Results come back over the arguments (dead after the call), in the same block.
        let results = match self.b.types.get(ty) {
            Type::Tuple(items) => items.len().max(1) as u32,
            _ => 1,
        };
        if results > n.max(1) {
            self.temps(results - n.max(1));
        }
        self.release(first + results);
        let dst = first;
        let native = self
            .all
            .get(func as usize)
            .is_some_and(|f| f.body.is_none());
        if native {
            self.emit(
                Op::CallNative {
                    native: func,
                    args: first,
                    nargs: n,
                    dst,
                },
                span,
            );
        } else {
            self.emit(
                Op::Call {
                    func,
                    args: first,
                    nargs: n,
                    dst,
                },
                span,
            );
        }
        dst
    }

    /// Evaluates a tuple-typed expression (call, comma-ok form) into consecutive registers.
    /// A struct or array read from a map or an interface is copied: the variable it goes to
    /// must not share the map's or the interface's own object.
    pub fn tuple(&mut self, e: &Expr) -> Reg {
        let r = self.expr(e);
        let first_ty = match self.b.types.get(e.ty) {
            Type::Tuple(items) => items.first().copied(),
            _ => None,
        };
        let shares = matches!(e.kind, E::MapIndex { .. } | E::TypeAssert { .. });
        if let (Some(ty), true) = (first_ty, shares) {
            if self.b.rep(ty) == Rep::Aggregate {
                self.emit(
                    Op::CopyValue {
                        dst: r,
                        src: r,
                        ty: ty.0,
                    },
                    e.span,
                );
            }
        }
        r
    }

    fn addr_of(&mut self, place: &Place, span: Span) -> Reg {
        match place {
            Place::Var(var) => {
                let storage = self.storage_ref(*var, span);
                let ty = self.var_type(*var);
                if self.b.rep(ty) == Rep::Aggregate {
                    return storage;
                }
                if let VarRef::Global(g) = var {
                    let obj = self.temp();
                    self.emit(
                        Op::Const {
                            dst: obj,
                            k: super::GLOBALS,
                        },
                        span,
                    );
                    let r = self.temp();
                    self.emit(
                        Op::FieldPtr {
                            dst: r,
                            obj,
                            index: g.0,
                        },
                        span,
                    );
                    return r;
                }
                let r = self.temp();
                self.emit(
                    Op::FieldPtr {
                        dst: r,
                        obj: storage,
                        index: 0,
                    },
                    span,
                );
                r
            }
            Place::Deref(p) => self.expr(p),
            Place::Field { x, index, .. } => {
                let obj = self.expr(x);
                let field_ty = self.field_type(x.ty, *index);
                let r = self.temp();
                if self.b.rep(field_ty) == Rep::Aggregate {
                    self.emit(
                        Op::Load {
                            dst: r,
                            obj,
                            index: *index,
                        },
                        span,
                    );
                } else {
                    self.emit(
                        Op::FieldPtr {
                            dst: r,
                            obj,
                            index: *index,
                        },
                        span,
                    );
                }
                r
            }
            Place::Index { x, index } => {
                let kind = self.seq_kind(x.ty);
                let xr = self.expr(x);
                let i = self.expr(index);
                let elem = self.elem_type(x.ty);
                let r = self.temp();
                if self.b.rep(elem) == Rep::Aggregate {
                    self.emit(
                        Op::Index {
                            dst: r,
                            x: xr,
                            index: i,
                            kind,
                        },
                        span,
                    );
                } else {
                    self.emit(
                        Op::ElemPtr {
                            dst: r,
                            obj: xr,
                            index: i,
                        },
                        span,
                    );
                }
                r
            }
            Place::MapIndex { .. } | Place::Blank => self.unsupported("taking this address", span),
        }
    }

    pub fn var_type(&self, var: VarRef) -> TypeId {
        match var {
            VarRef::Local(l) => self.local_types[l.0 as usize],
            VarRef::Capture(i) => self.capture_type(i),
            VarRef::Global(g) => self
                .global_types
                .get(g.0 as usize)
                .copied()
                .unwrap_or(TypeId::INVALID),
        }
    }

    pub fn field_type(&self, struct_or_ptr: TypeId, index: u32) -> TypeId {
        let t = match self.b.types.under(struct_or_ptr) {
            Type::Pointer(e) => *e,
            _ => struct_or_ptr,
        };
        match self.b.types.under(t) {
            Type::Struct(fields) => fields.get(index as usize).map_or(TypeId::INVALID, |f| f.ty),
            _ => TypeId::INVALID,
        }
    }

    /// For a slice-to-array conversion: the array type and whether the result is a pointer.
    fn slice_to_array_target(&self, from: TypeId, to: TypeId) -> Option<(TypeId, bool)> {
        let types = &self.b.types;
        if !matches!(types.under(from), Type::Slice(_)) {
            return None;
        }
        let (array, pointer) = match types.under(to) {
            Type::Pointer(a) => (*a, true),
            _ => (to, false),
        };
        matches!(types.under(array), Type::Array(..)).then_some((array, pointer))
    }

    /// Which backing store Go gives the slice an `append` grows (see `escape`).
    fn append_growth(&self, slice: &Expr) -> crate::bytecode::Growth {
        match slice.kind {
            E::Var(VarRef::Local(l)) => self
                .slice_growth
                .get(&l)
                .copied()
                .unwrap_or(crate::bytecode::Growth::Heap),
            _ => crate::bytecode::Growth::Heap,
        }
    }

    pub fn elem_type(&self, ty: TypeId) -> TypeId {
        let t = match self.b.types.under(ty) {
            Type::Pointer(e) => *e,
            _ => ty,
        };
        match self.b.types.under(t) {
            Type::Slice(e) | Type::Array(_, e) => *e,
            Type::Basic(_) => self
                .b
                .types
                .basic_kind(ty)
                .map_or(TypeId::INVALID, |_| TypeId::INVALID),
            _ => TypeId::INVALID,
        }
    }

    pub fn seq_kind(&self, ty: TypeId) -> SeqKind {
        match self.b.types.under(ty) {
            Type::Slice(_) => SeqKind::Slice,
            Type::Basic(_) => SeqKind::String,
            _ => SeqKind::Array,
        }
    }

    fn new_object(&mut self, init: &Expr, span: Span) -> Reg {
        let v = self.value(init);
        if self.b.rep(init.ty) == Rep::Aggregate {
            return v;
        }
        let cell = self.temp();
        self.emit(Op::NewCell { dst: cell, src: v }, span);
        let r = self.temp();
        self.emit(
            Op::FieldPtr {
                dst: r,
                obj: cell,
                index: 0,
            },
            span,
        );
        r
    }

    fn slice(
        &mut self,
        x: &Expr,
        lo: Option<&Expr>,
        hi: Option<&Expr>,
        max: Option<&Expr>,
        ty: TypeId,
        span: Span,
    ) -> Reg {
        let kind = match self.b.types.under(x.ty) {
            Type::Pointer(_) => SeqKind::Array,
            _ => self.seq_kind(x.ty),
        };
        let xr = self.expr(x);
        let none = self.b.word(u64::MAX);
        let bound = |fc: &mut Self, e: Option<&Expr>| match e {
            Some(e) => fc.expr(e),
            None => {
                let r = fc.temp();
                fc.emit(Op::Const { dst: r, k: none }, span);
                r
            }
        };
        let lo = bound(self, lo);
        let hi = bound(self, hi);
        let max = bound(self, max);
        let r = self.temp();
        let _ = ty;
        self.emit(
            Op::SliceOf {
                dst: r,
                x: xr,
                lo,
                hi,
                max,
                kind,
            },
            span,
        );
        r
    }

    fn unary(&mut self, op: UnaryOp, x: &Expr, ty: TypeId, span: Span) -> Reg {
        let v = self.expr(x);
        let r = self.temp();
        let kind = self.b.types.basic_kind(ty).unwrap_or(BasicKind::Int);
        match op {
            UnaryOp::Pos => return v,
            UnaryOp::Neg if kind.is_float() => {
                self.emit(Op::NegFloat { dst: r, src: v }, span);
            }
            UnaryOp::Neg => {
                self.emit(Op::NegInt { dst: r, src: v }, span);
                self.wrap(r, kind, span);
            }
            UnaryOp::Not => {
                self.emit(Op::Not { dst: r, src: v }, span);
            }
            UnaryOp::Complement => {
                self.emit(Op::Complement { dst: r, src: v }, span);
                self.wrap(r, kind, span);
            }
            UnaryOp::Addr | UnaryOp::Recv | UnaryOp::Tilde => {
                return self.unsupported("this operator", span)
            }
        }
        r
    }

    fn wrap(&mut self, r: Reg, kind: BasicKind, span: Span) {
        if let Some(width) = width_of(kind) {
            self.emit(Op::Wrap { dst: r, width }, span);
        }
        if kind == BasicKind::Float32 {
            self.emit(
                Op::Convert {
                    conv: Conv::ToF32,
                    dst: r,
                    src: r,
                },
                span,
            );
        }
    }

    fn binary(&mut self, op: BinaryOp, x: &Expr, y: &Expr, ty: TypeId, span: Span) -> Reg {
        if matches!(op, BinaryOp::AndAnd | BinaryOp::OrOr) {
            return self.logical(op, x, y, span);
        }
        if matches!(
            op,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        ) {
            return self.comparison(op, x, y, span);
        }
        let a = self.expr(x);
        self.arith_expr(op, a, y, ty, None, span)
    }

    /// `R := R[a] op y` into `dst` (or a fresh register): adding or subtracting a small
    /// integer constant is one `AddImm`.
    pub fn arith_expr(
        &mut self,
        op: BinaryOp,
        a: Reg,
        y: &Expr,
        ty: TypeId,
        dst: Option<Reg>,
        span: Span,
    ) -> Reg {
        let kind = self.b.types.basic_kind(ty).unwrap_or(BasicKind::Int);
        let imm = match (op, self.immediate(y)) {
            (BinaryOp::Add, Some(i)) => Some(i),
            (BinaryOp::Sub, Some(i)) => i.checked_neg(),
            _ => None,
        };
        if let (Some(imm), true) = (imm, kind.is_integer()) {
            let r = dst.unwrap_or_else(|| self.temp());
            self.emit(Op::AddImm { dst: r, a, imm }, span);
            self.wrap(r, kind, span);
            return r;
        }
        let b = self.expr(y);
        self.arith_to(op, a, b, ty, y.ty, dst, span)
    }

    /// `R := a op b` for operands of type `ty` (`count_ty` is a shift count's type), into
    /// `dst` when given.
    #[allow(clippy::too_many_arguments)]
    fn arith_to(
        &mut self,
        op: BinaryOp,
        a: Reg,
        b: Reg,
        ty: TypeId,
        count_ty: TypeId,
        dst: Option<Reg>,
        span: Span,
    ) -> Reg {
        let kind = self.b.types.basic_kind(ty).unwrap_or(BasicKind::Int);
        let r = dst.unwrap_or_else(|| self.temp());
        if kind.is_string() {
            self.emit(Op::Concat { dst: r, a, b }, span);
            return r;
        }
        if kind.is_float() {
            let fop = match op {
                BinaryOp::Add => FloatOp::Add,
                BinaryOp::Sub => FloatOp::Sub,
                BinaryOp::Mul => FloatOp::Mul,
                _ => FloatOp::Div,
            };
            let op = match fop {
                FloatOp::Add => Op::AddFloat { dst: r, a, b },
                FloatOp::Sub => Op::SubFloat { dst: r, a, b },
                FloatOp::Mul => Op::MulFloat { dst: r, a, b },
                _ => Op::DivFloat { dst: r, a, b },
            };
            self.emit(op, span);
            self.wrap(r, kind, span);
            return r;
        }
        let unsigned = kind.is_unsigned();
        let count_signed = self
            .b
            .types
            .basic_kind(count_ty)
            .is_some_and(|k| !k.is_unsigned());
        let iop = match op {
            BinaryOp::Add => IntOp::Add,
            BinaryOp::Sub => IntOp::Sub,
            BinaryOp::Mul => IntOp::Mul,
            BinaryOp::Div if unsigned => IntOp::DivU,
            BinaryOp::Div => IntOp::Div,
            BinaryOp::Rem if unsigned => IntOp::RemU,
            BinaryOp::Rem => IntOp::Rem,
            BinaryOp::And => IntOp::And,
            BinaryOp::Or => IntOp::Or,
            BinaryOp::Xor => IntOp::Xor,
            BinaryOp::AndNot => IntOp::AndNot,
            BinaryOp::Shl => IntOp::Shl,
            BinaryOp::Shr if unsigned => IntOp::ShrU,
            _ => IntOp::Shr,
        };
        if matches!(iop, IntOp::Shl | IntOp::Shr | IntOp::ShrU) && count_signed {
            // A negative shift count panics (Go checks the signed count at run time).
            let zero = self.temp();
            let k = self.b.word(0);
            self.emit(Op::Const { dst: zero, k }, span);
            self.emit(
                Op::Compare {
                    cmp: Cmp::Lt,
                    kind: CmpKind::Int,
                    dst: zero,
                    a: b,
                    b: zero,
                },
                span,
            );
            let skip = self.emit(
                Op::JumpIfNot {
                    cond: zero,
                    target: 0,
                },
                span,
            );
            let message = self.b.message("runtime error: negative shift amount");
            self.emit(Op::Fail { message }, span);
            let here = self.pc();
            self.patch(skip, here);
        }
        let a = self.sized_operand(a, kind, span);
        let op = match iop {
            IntOp::Add => Op::AddInt { dst: r, a, b },
            IntOp::Sub => Op::SubInt { dst: r, a, b },
            IntOp::Mul => Op::MulInt { dst: r, a, b },
            op => Op::Int { op, dst: r, a, b },
        };
        self.emit(op, span);
        self.wrap(r, kind, span);
        r
    }

    /// Right shifts of sized unsigned values need the value zero-extended (it already is) and
    /// of sized signed values sign-extended (it already is): registers hold canonical values.
    fn sized_operand(&mut self, a: Reg, _kind: BasicKind, _span: Span) -> Reg {
        a
    }

    fn logical(&mut self, op: BinaryOp, x: &Expr, y: &Expr, span: Span) -> Reg {
        let r = self.temp();
        let a = self.expr(x);
        self.emit(Op::Move { dst: r, src: a }, span);
        let jump = if op == BinaryOp::AndAnd {
            self.emit(Op::JumpIfNot { cond: r, target: 0 }, span)
        } else {
            self.emit(Op::JumpIf { cond: r, target: 0 }, span)
        };
        let b = self.expr(y);
        self.emit(Op::Move { dst: r, src: b }, span);
        let end = self.pc();
        self.patch(jump, end);
        r
    }

    /// Emits jumps taken when `cond` evaluates to `when` (falling through otherwise) and
    /// returns them for patching: `!`, `&&` and `||` become control flow, and comparisons of
    /// signed integers one compare-and-branch instruction.
    pub fn branch_if(&mut self, cond: &Expr, when: bool) -> Vec<usize> {
        let span = cond.span;
        match &cond.kind {
            E::Unary {
                op: UnaryOp::Not,
                x,
            } => self.branch_if(x, !when),
            E::Binary {
                op: op @ (BinaryOp::AndAnd | BinaryOp::OrOr),
                x,
                y,
            } => {
                // `x && y` is true when both are; `x || y` when either is.
                let all = *op == BinaryOp::AndAnd;
                if all == when {
                    let skip = self.branch_if(x, !when);
                    let taken = self.branch_if(y, when);
                    let here = self.pc();
                    for at in skip {
                        self.patch(at, here);
                    }
                    taken
                } else {
                    let mut taken = self.branch_if(x, when);
                    taken.extend(self.branch_if(y, when));
                    taken
                }
            }
            E::Binary { op, x, y } if self.int_comparison(*op, x, y).is_some() => {
                let Some(cmp) = self.int_comparison(*op, x, y) else {
                    return Vec::new();
                };
                // Integers are totally ordered: "not less" is "greater or equal".
                let cmp = if when { cmp } else { negate(cmp) };
                let at = if let Some(imm) = self.immediate(y) {
                    let a = self.expr(x);
                    self.emit(
                        Op::JumpCmpImm {
                            cmp,
                            a,
                            imm,
                            target: 0,
                        },
                        span,
                    )
                } else if let Some(imm) = self.immediate(x) {
                    let b = self.expr(y);
                    self.emit(
                        Op::JumpCmpImm {
                            cmp: swap(cmp),
                            a: b,
                            imm,
                            target: 0,
                        },
                        span,
                    )
                } else {
                    let a = self.expr(x);
                    let b = self.expr(y);
                    self.emit(
                        Op::JumpCmpInt {
                            cmp,
                            a,
                            b,
                            target: 0,
                        },
                        span,
                    )
                };
                vec![at]
            }
            _ => {
                let c = self.expr(cond);
                let at = if when {
                    self.emit(Op::JumpIf { cond: c, target: 0 }, span)
                } else {
                    self.emit(Op::JumpIfNot { cond: c, target: 0 }, span)
                };
                vec![at]
            }
        }
    }

    /// The comparison of `x op y` when it compares signed integers.
    fn int_comparison(&self, op: BinaryOp, x: &Expr, y: &Expr) -> Option<Cmp> {
        let cmp = match op {
            BinaryOp::Eq => Cmp::Eq,
            BinaryOp::Ne => Cmp::Ne,
            BinaryOp::Lt => Cmp::Lt,
            BinaryOp::Le => Cmp::Le,
            BinaryOp::Gt => Cmp::Gt,
            BinaryOp::Ge => Cmp::Ge,
            _ => return None,
        };
        (self.cmp_kind(x.ty, y) == CmpKind::Int).then_some(cmp)
    }

    fn comparison(&mut self, op: BinaryOp, x: &Expr, y: &Expr, span: Span) -> Reg {
        let a = self.expr(x);
        let b = self.expr(y);
        let cmp = match op {
            BinaryOp::Eq => Cmp::Eq,
            BinaryOp::Ne => Cmp::Ne,
            BinaryOp::Lt => Cmp::Lt,
            BinaryOp::Le => Cmp::Le,
            BinaryOp::Gt => Cmp::Gt,
            _ => Cmp::Ge,
        };
        let kind = self.cmp_kind(x.ty, y);
        let r = self.temp();
        self.emit(
            Op::Compare {
                cmp,
                kind,
                dst: r,
                a,
                b,
            },
            span,
        );
        r
    }

    fn cmp_kind(&self, ty: TypeId, other: &Expr) -> CmpKind {
        if matches!(other.kind, E::Zero)
            && !matches!(self.b.types.under(ty), Type::Struct(_) | Type::Array(..))
        {
            return CmpKind::Word;
        }
        match self.b.types.under(ty) {
            Type::Basic(k) if k.is_float() => CmpKind::Float,
            Type::Basic(k) if k.is_string() => CmpKind::String,
            Type::Basic(k) if k.is_unsigned() => CmpKind::Uint,
            Type::Basic(k) if k.is_integer() => CmpKind::Int,
            Type::Struct(_) | Type::Array(..) | Type::Interface(_) => CmpKind::Deep(ty.0),
            Type::Pointer(_) => CmpKind::Pointer,
            _ => CmpKind::Word,
        }
    }

    fn convert(&mut self, x: &Expr, to: TypeId, span: Span) -> Reg {
        let v = self.value(x);
        if let Some((array, pointer)) = self.slice_to_array_target(x.ty, to) {
            let r = self.temp();
            self.emit(
                Op::SliceToArray {
                    dst: r,
                    src: v,
                    ty: array.0,
                    pointer,
                },
                span,
            );
            return r;
        }
        let from_kind = self.b.types.basic_kind(x.ty);
        let to_kind = self.b.types.basic_kind(to);
        let conv = match (from_kind, to_kind) {
            (Some(f), Some(t)) if f.is_integer() && t.is_integer() => width_of(t).map(Conv::Wrap),
            (Some(f), Some(t)) if f.is_integer() && t.is_float() => Some(if f.is_unsigned() {
                Conv::UintToFloat
            } else {
                Conv::IntToFloat
            }),
            (Some(f), Some(t)) if f.is_float() && t.is_integer() => Some(if t.is_unsigned() {
                Conv::FloatToUint
            } else {
                Conv::FloatToInt
            }),
            (Some(f), Some(t)) if f.is_float() && t == BasicKind::Float32 => Some(Conv::ToF32),
            (Some(f), Some(t)) if f.is_integer() && t.is_string() => Some(Conv::RuneToString),
            (Some(f), None) if f.is_string() => match self.b.types.under(to) {
                Type::Slice(e) if self.b.types.basic_kind(*e) == Some(BasicKind::Uint8) => {
                    Some(Conv::StringToBytes)
                }
                Type::Slice(_) => Some(Conv::StringToRunes),
                _ => None,
            },
            (None, Some(t)) if t.is_string() => match self.b.types.under(x.ty) {
                Type::Slice(e) if self.b.types.basic_kind(*e) == Some(BasicKind::Uint8) => {
                    Some(Conv::BytesToString)
                }
                Type::Slice(_) => Some(Conv::RunesToString),
                _ => None,
            },
            _ => None,
        };
        let Some(conv) = conv else { return v };
        let r = self.temp();
        self.emit(
            Op::Convert {
                conv,
                dst: r,
                src: v,
            },
            span,
        );
        // Float to a sized integer: wrap after truncation.
        if matches!(conv, Conv::FloatToInt | Conv::FloatToUint) {
            if let Some(t) = to_kind {
                self.wrap(r, t, span);
            }
        }
        if matches!(conv, Conv::IntToFloat | Conv::UintToFloat)
            && to_kind == Some(BasicKind::Float32)
        {
            self.emit(
                Op::Convert {
                    conv: Conv::ToF32,
                    dst: r,
                    src: r,
                },
                span,
            );
        }
        r
    }

    fn array_literal(&mut self, elems: &[(u64, Expr)], len: u64, ty: TypeId, span: Span) -> Reg {
        let r = self.temp();
        let kind = self.seq_kind(ty);
        if kind == SeqKind::Slice {
            let n = self.temp();
            let k = self.b.word(len);
            self.emit(Op::Const { dst: n, k }, span);
            let elem = self.elem_type(ty);
            self.emit(
                Op::MakeSlice {
                    dst: r,
                    ty: elem.0,
                    len: n,
                    cap: n,
                },
                span,
            );
        } else {
            self.emit(Op::NewZero { dst: r, ty: ty.0 }, span);
        }
        for (i, v) in elems {
            let src = self.value(v);
            let idx = self.temp();
            let k = self.b.word(*i);
            self.emit(Op::Const { dst: idx, k }, v.span);
            self.emit(
                Op::SetIndex {
                    x: r,
                    index: idx,
                    src,
                    kind,
                },
                v.span,
            );
        }
        r
    }

    fn builtin(&mut self, b: Builtin, args: &[Expr], spread: bool, ty: TypeId, span: Span) -> Reg {
        match b {
            Builtin::Len | Builtin::Cap => {
                let x = &args[0];
                let kind = match self.b.types.under(x.ty) {
                    Type::Map(..) => return self.map_len(x, span),
                    Type::Chan(..) => return self.chan_len(x, b == Builtin::Cap, span),
                    Type::Pointer(_) => SeqKind::Array,
                    _ => self.seq_kind(x.ty),
                };
                let v = self.expr(x);
                let r = self.temp();
                if b == Builtin::Len {
                    self.emit(Op::Len { dst: r, x: v, kind }, span);
                } else {
                    self.emit(Op::Cap { dst: r, x: v, kind }, span);
                }
                r
            }
            Builtin::Make => match self.b.types.under(ty).clone() {
                Type::Slice(elem) => {
                    let len = self.expr(&args[0]);
                    let cap = if args.len() > 1 {
                        self.expr(&args[1])
                    } else {
                        len
                    };
                    let r = self.temp();
                    self.emit(
                        Op::MakeSlice {
                            dst: r,
                            ty: elem.0,
                            len,
                            cap,
                        },
                        span,
                    );
                    r
                }
                Type::Map(..) => {
                    for a in args {
                        self.expr(a);
                    }
                    let r = self.temp();
                    self.emit(Op::MakeMap { dst: r, ty: ty.0 }, span);
                    r
                }
                _ => self.make_chan(ty, args, span),
            },
            Builtin::Append => {
                let growth = self.append_growth(&args[0]);
                let s = self.value(&args[0]);
                let r = self.temp();
                if spread {
                    let other = self.value(&args[1]);
                    let from_string = self
                        .b
                        .types
                        .basic_kind(args[1].ty)
                        .is_some_and(BasicKind::is_string);
                    let ty = self.elem_type(args[0].ty).0;
                    self.emit(
                        Op::AppendSlice {
                            dst: r,
                            slice: s,
                            other,
                            from_string,
                            ty,
                            growth,
                        },
                        span,
                    );
                } else {
                    let regs: Vec<Reg> = args[1..].iter().map(|a| self.value(a)).collect();
                    let src = self.consecutive_fresh(&regs);
                    let elem = self.elem_type(args[0].ty);
                    self.emit(
                        Op::Append {
                            dst: r,
                            slice: s,
                            src,
                            n: regs.len() as u32,
                            ty: elem.0,
                            growth,
                        },
                        span,
                    );
                }
                r
            }
            Builtin::Copy => {
                let to = self.expr(&args[0]);
                let from = self.expr(&args[1]);
                let from_string = self
                    .b
                    .types
                    .basic_kind(args[1].ty)
                    .is_some_and(BasicKind::is_string);
                let r = self.temp();
                self.emit(
                    Op::CopySlice {
                        dst: r,
                        to,
                        from,
                        from_string,
                    },
                    span,
                );
                r
            }
            Builtin::Delete => {
                let m = self.expr(&args[0]);
                let k = self.value(&args[1]);
                self.emit(Op::MapDelete { map: m, key: k }, span);
                self.temp()
            }
            Builtin::New => self.new_object(&args[0], span),
            Builtin::Panic => {
                let v = self.value(&args[0]);
                self.emit(Op::Panic { src: v }, span);
                self.temp()
            }
            Builtin::Recover => {
                let r = self.temp();
                self.emit(Op::Recover { dst: r }, span);
                r
            }
            Builtin::Print | Builtin::Println => {
                let regs: Vec<Reg> = args.iter().map(|a| self.value(a)).collect();
                let first = self.consecutive_fresh(&regs);
                self.b
                    .print_types
                    .push(args.iter().map(|a| a.ty.0).collect());
                let types = self.b.print_types.len() as u32 - 1;
                self.emit(
                    Op::Print {
                        args: first,
                        types,
                        newline: b == Builtin::Println,
                    },
                    span,
                );
                self.temp()
            }
            Builtin::Min | Builtin::Max => {
                let mut acc = self.value(&args[0]);
                let kind = self.cmp_kind(ty, &args[0]);
                if kind == CmpKind::Float {
                    let op = if b == Builtin::Min {
                        FloatOp::Min
                    } else {
                        FloatOp::Max
                    };
                    for a in &args[1..] {
                        let v = self.value(a);
                        let r = self.temp();
                        self.emit(
                            Op::Float {
                                op,
                                dst: r,
                                a: acc,
                                b: v,
                            },
                            span,
                        );
                        acc = r;
                    }
                    return acc;
                }
                for a in &args[1..] {
                    let v = self.value(a);
                    let better = self.temp();
                    let cmp = if b == Builtin::Min { Cmp::Lt } else { Cmp::Gt };
                    self.emit(
                        Op::Compare {
                            cmp,
                            kind,
                            dst: better,
                            a: v,
                            b: acc,
                        },
                        span,
                    );
                    let r = self.temp();
                    self.emit(Op::Move { dst: r, src: acc }, span);
                    let skip = self.emit(
                        Op::JumpIfNot {
                            cond: better,
                            target: 0,
                        },
                        span,
                    );
                    self.emit(Op::Move { dst: r, src: v }, span);
                    let here = self.pc();
                    self.patch(skip, here);
                    acc = r;
                }
                acc
            }
            Builtin::Clear => {
                let x = self.expr(&args[0]);
                self.emit(
                    Op::Clear {
                        x,
                        ty: args[0].ty.0,
                    },
                    span,
                );
                self.temp()
            }
            Builtin::Close => self.close_chan(&args[0], span),
            Builtin::Complex | Builtin::Real | Builtin::Imag => {
                self.unsupported(&format!("built-in {b:?}"), span)
            }
        }
    }

    fn map_len(&mut self, x: &Expr, span: Span) -> Reg {
        let m = self.expr(x);
        let r = self.temp();
        self.emit(
            Op::Len {
                dst: r,
                x: m,
                kind: SeqKind::Array,
            },
            span,
        );
        // Maps answer Len through the same op: the VM dispatches on the object.
        r
    }
}
