//! A small escape analysis of local slice variables, for `append`'s capacities.
//!
//! Input: one checked function. Output: the [`Growth`] of each local slice variable, which the
//! compiler puts on the `append` instructions that grow it.
//!
//! Since Go 1.25, Go's compiler gives a slice that may live on the stack a 32-byte stack buffer,
//! and that is visible in `cap()`: a slice that never escapes takes the whole buffer at its
//! first growth (`[]int` goes 0, 4, 8, ...), and one that escapes only by being stored in a
//! package variable or returned grows within the buffer one size class at a time (1, 2, 3, 4,
//! 8, ...) and is moved to the heap where it escapes. Go decides this with its full escape
//! analysis (after inlining); this module approximates it syntactically and conservatively:
//! any use it does not recognise makes the slice a plain heap slice, Go's behaviour before
//! 1.25. Known difference: Go inlines small functions into their callers first, which can
//! turn a "stored or returned" slice of a tiny function into a heap one.

use crate::bytecode::Growth;
use crate::check::tast::{
    Block, Builtin, Expr, ExprKind, Func, LocalId, Place, SelectKind, Stmt, StmtKind, VarRef,
};
use crate::check::types::{Type, TypeTable};
use crate::syntax::ast::BinaryOp;
use std::collections::HashMap;

/// The growth of every local slice variable of `f` that may use a stack buffer; the others
/// (parameters, results, captured or address-taken variables, escaping slices) are absent.
pub(crate) fn slice_growth(f: &Func, types: &TypeTable) -> HashMap<LocalId, Growth> {
    let mut analysis = Analysis {
        state: HashMap::new(),
    };
    for (i, local) in f.locals.iter().enumerate() {
        let id = LocalId(i as u32);
        let is_slice = matches!(types.under(local.ty), Type::Slice(_));
        let declared_inside = !f.params.contains(&id) && !f.results.contains(&id);
        if is_slice && declared_inside && !local.boxed {
            analysis.state.insert(id, Growth::StackBuffer);
        }
    }
    if let Some(body) = &f.body {
        analysis.block(body);
    }
    analysis.state.retain(|_, g| *g != Growth::Heap);
    analysis.state
}

struct Analysis {
    state: HashMap<LocalId, Growth>,
}

/// The candidate local an expression names, if it is just a local variable.
fn local_of(e: &Expr) -> Option<LocalId> {
    match e.kind {
        ExprKind::Var(VarRef::Local(l)) => Some(l),
        _ => None,
    }
}

impl Analysis {
    fn escape(&mut self, l: LocalId) {
        if let Some(g) = self.state.get_mut(&l) {
            *g = Growth::Heap;
        }
    }

    /// The slice is stored whole into a package variable or returned.
    fn store(&mut self, l: LocalId) {
        if let Some(g) = self.state.get_mut(&l) {
            if *g == Growth::StackBuffer {
                *g = Growth::StackBump;
            }
        }
    }

    fn block(&mut self, b: &Block) {
        for s in &b.stmts {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Go(e) | StmtKind::Defer(e) => self.expr(e),
            StmtKind::Define { values, .. } => values.iter().for_each(|v| self.expr(v)),
            StmtKind::Assign { places, values } if places.len() == values.len() => {
                for (p, v) in places.iter().zip(values) {
                    self.assign(p, v);
                }
            }
            StmtKind::Assign { places, values } => {
                places.iter().for_each(|p| self.place(p));
                values.iter().for_each(|v| self.expr(v));
            }
            StmtKind::AssignTuple { places, value } => {
                places.iter().for_each(|p| self.place(p));
                self.expr(value);
            }
            StmtKind::OpAssign { place, value, .. } => {
                self.place(place);
                self.expr(value);
            }
            StmtKind::Send { chan, value } => {
                self.expr(chan);
                self.expr(value);
            }
            StmtKind::Return(values) => {
                for v in values {
                    match local_of(v) {
                        Some(l) => self.store(l),
                        None => self.expr(v),
                    }
                }
            }
            StmtKind::Block(b) => self.block(b),
            StmtKind::If { cond, then, els } => {
                self.expr(cond);
                self.block(then);
                if let Some(e) = els {
                    self.stmt(e);
                }
            }
            StmtKind::For {
                cond, post, body, ..
            } => {
                if let Some(c) = cond {
                    self.expr(c);
                }
                if let Some(p) = post {
                    self.stmt(p);
                }
                self.block(body);
            }
            StmtKind::Range {
                x,
                key,
                value,
                body,
                ..
            } => {
                // Ranging over a slice reads its elements only.
                if local_of(x).is_none() {
                    self.expr(x);
                }
                key.iter().chain(value).for_each(|p| self.place(p));
                self.block(body);
            }
            StmtKind::Switch { tag, clauses, .. } => {
                if let Some(t) = tag {
                    self.expr(t);
                }
                for c in clauses {
                    c.values.iter().for_each(|v| self.expr(v));
                    self.block(&c.body);
                }
            }
            StmtKind::TypeSwitch { x, clauses, .. } => {
                self.expr(x);
                clauses.iter().for_each(|c| self.block(&c.body));
            }
            StmtKind::Select { cases, .. } => {
                for c in cases {
                    match &c.kind {
                        SelectKind::Send { chan, value } => {
                            self.expr(chan);
                            self.expr(value);
                        }
                        SelectKind::Recv { chan, value, ok } => {
                            self.expr(chan);
                            value.iter().chain(ok).for_each(|p| self.place(p));
                        }
                        SelectKind::Default => {}
                    }
                    self.block(&c.body);
                }
            }
            StmtKind::Labeled { stmt, .. } => self.stmt(stmt),
            StmtKind::Break(_)
            | StmtKind::Continue(_)
            | StmtKind::Goto(_)
            | StmtKind::Fallthrough
            | StmtKind::Bad => {}
        }
    }

    /// `place = value`: the forms that keep a slice on the stack are `s = append(s, ...)`,
    /// `s = s[i:j]` and `global = s`.
    fn assign(&mut self, place: &Place, value: &Expr) {
        let target = match place {
            Place::Var(VarRef::Local(l)) => Some(*l),
            _ => None,
        };
        match &value.kind {
            ExprKind::CallBuiltin {
                builtin: Builtin::Append,
                args,
                spread,
            } if target.is_some() && local_of(&args[0]) == target => {
                self.append_args(&args[1..], *spread);
            }
            ExprKind::Slice { x, lo, hi, max } if target.is_some() && local_of(x) == target => {
                for bound in [lo, hi, max].into_iter().flatten() {
                    self.expr(bound);
                }
            }
            ExprKind::Var(VarRef::Local(l)) if matches!(place, Place::Var(VarRef::Global(_))) => {
                self.store(*l);
            }
            _ => {
                self.place(place);
                self.expr(value);
            }
        }
    }

    /// The appended values: a spread slice is only read; single values may escape.
    fn append_args(&mut self, args: &[Expr], spread: bool) {
        for a in args {
            if spread && local_of(a).is_some() {
                continue;
            }
            self.expr(a);
        }
    }

    fn place(&mut self, p: &Place) {
        match p {
            Place::Var(_) | Place::Blank => {}
            Place::Deref(x) => self.expr(x),
            Place::Field { x, .. } => self.expr(x),
            Place::Index { x, index } => {
                if local_of(x).is_none() {
                    self.expr(x);
                }
                self.expr(index);
            }
            Place::MapIndex { map, key } => {
                self.expr(map);
                self.expr(key);
            }
        }
    }

    /// An expression in a context that may let a slice escape, except for the uses that only
    /// read it (`len`, `cap`, indexing, comparison with nil, copying from or into it).
    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Var(VarRef::Local(l)) => self.escape(*l),
            ExprKind::Const(_)
            | ExprKind::Zero
            | ExprKind::Var(_)
            | ExprKind::Func(_)
            | ExprKind::Closure { .. } => {}
            ExprKind::CallBuiltin { builtin, args, .. } => match builtin {
                Builtin::Len | Builtin::Cap | Builtin::Copy | Builtin::Clear => {
                    for a in args {
                        if local_of(a).is_none() {
                            self.expr(a);
                        }
                    }
                }
                _ => args.iter().for_each(|a| self.expr(a)),
            },
            ExprKind::CallStatic { args, .. } => args.iter().for_each(|a| self.expr(a)),
            ExprKind::CallDynamic { func, args } => {
                self.expr(func);
                args.iter().for_each(|a| self.expr(a));
            }
            ExprKind::CallInterface { recv, args, .. } => {
                self.expr(recv);
                args.iter().for_each(|a| self.expr(a));
            }
            ExprKind::Let { value, body, .. } => {
                self.expr(value);
                self.expr(body);
            }
            ExprKind::Index { x, index } => {
                if local_of(x).is_none() {
                    self.expr(x);
                }
                self.expr(index);
            }
            ExprKind::Binary { op, x, y } => {
                let nil_test = matches!(op, BinaryOp::Eq | BinaryOp::Ne)
                    && (matches!(x.kind, ExprKind::Zero) || matches!(y.kind, ExprKind::Zero));
                for operand in [x, y] {
                    if !(nil_test && local_of(operand).is_some()) {
                        self.expr(operand);
                    }
                }
            }
            ExprKind::Field { x, .. }
            | ExprKind::PtrField { x, .. }
            | ExprKind::Deref(x)
            | ExprKind::New(x)
            | ExprKind::Unary { x, .. }
            | ExprKind::Convert(x)
            | ExprKind::ToInterface(x)
            | ExprKind::TypeAssert { x, .. } => self.expr(x),
            ExprKind::Recv { chan, .. } => self.expr(chan),
            ExprKind::AddrOf(p) => {
                // `&s[i]` keeps a pointer into the backing array: it must live on the heap.
                if let Place::Index { x, .. } = p.as_ref() {
                    self.expr(x);
                }
                self.place(p);
            }
            ExprKind::MapIndex { map, key, .. } => {
                self.expr(map);
                self.expr(key);
            }
            ExprKind::Slice { x, lo, hi, max } => {
                self.expr(x);
                for bound in [lo, hi, max].into_iter().flatten() {
                    self.expr(bound);
                }
            }
            ExprKind::StructLit(values) => values.iter().for_each(|v| self.expr(v)),
            ExprKind::ArrayLit { elems, .. } => elems.iter().for_each(|(_, v)| self.expr(v)),
            ExprKind::MapLit(pairs) => pairs.iter().for_each(|(k, v)| {
                self.expr(k);
                self.expr(v);
            }),
            ExprKind::MethodValue { recv, .. } | ExprKind::InterfaceMethodValue { recv, .. } => {
                self.expr(recv)
            }
        }
    }
}
